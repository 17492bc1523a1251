"""Categories: which of the desk's sections an article belongs in, and a story's from its members'.

The taxonomy is fixed (``TAXONOMY``, one definition each; docs/categories.md says why each is
there). An article is filed from what its source declares when that maps cleanly
(``from_section``: the declared section, else a URL path segment, through ``SECTION_ALIASES``), and
otherwise learned (``classify``): a naive Bayes model over hashed word and word-pair counts of the
title and the lead, a linear model in those counts, weighted one-versus-all (Rennie et al. 2003,
"Tackling the Poor Assumptions of Naive Bayes Text Classifiers"): a word's weight for a class is
the log of its share of the class's counts less the log of its share of every other class's (the
class's *complement*). Plain multinomial naive Bayes (the v1 model) leans towards the largest
classes (politics is half the training data); the complement's side weighs a small class on as
much evidence as a large one. The default model ships in the package (``models/categories-v2.npz``,
trained by ``scripts/train_categories.py`` on data whose licence allows it: docs/dependencies.md,
"Shipped models"), so filing works on a desk's first day.

Why naive Bayes: its state is counts, and counts add (the complement's counts are the totals less
the class's own, so they add too). ``SectionLearner`` adapts to a desk by adding
the counts of the desk's own filed articles (those whose sources declare sections) to the default's,
each desk article weighing as ``weight`` default records: learning is an addition, its result does
not depend on the order articles arrive in, nothing is retrained, and the default keeps speaking
for words the desk has not seen yet, while the desk's own vocabulary and classes (``opinion`` and
``local``, which no topic data can teach) take over as its articles come in. The trained counts are
integers, so the shipped file is reproduced byte for byte by the training script.

Run time needs numpy only, imported on first use, so ``import newsdesk`` stays light; the model is
read with ``numpy.load(allow_pickle=False)``: arrays, no code.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from .._stopwords import STOP_WORDS

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: The desk's categories, each with the one line that decides what goes in it (docs/categories.md).
TAXONOMY: dict[str, str] = {
    "world": "Events abroad and between countries: foreign affairs, wars, diplomacy, other nations' news.",
    "politics": "Government, parties, elections, legislation and the people who hold or seek power.",
    "business": "Companies, markets, the economy, work and personal finance.",
    "technology": "Computing, the internet, software and devices, and the companies that make them.",
    "science": "Research and discovery: space, physics, biology, archaeology; how we know what we know.",
    "health": "Medicine, disease, public health, care systems and well-being.",
    "sport": "Competitive sport: matches, athletes, teams, leagues and their business.",
    "entertainment": "Film, television, music, celebrities, comedy and games as shows.",
    "culture": "Arts, books, ideas and religion, and ways of living: food, travel, style, home, family.",
    "environment": "Climate, energy, nature, pollution and the weather's extremes.",
    "opinion": "Argument rather than report: columns, editorials, comment and letters, on any topic.",
    "local": "Home news filed by place, not topic: the source's own country, region or city.",
}
#: The category names, in the taxonomy's order.
CATEGORIES: tuple[str, ...] = tuple(TAXONOMY)

#: Section labels and URL path segments (normalised by ``_section_key``) and the category each
#: files under; a label missing here does not map (None), and some are listed as None on purpose.
SECTION_ALIASES: dict[str, str | None] = {
    **dict.fromkeys(
        (
            "world",
            "world news",
            "international",
            "global",
            "foreign",
            "europe",
            "africa",
            "asia",
            "asia pacific",
            "americas",
            "latin america",
            "middle east",
            "worldnews",
            "world europe",
            "world africa",
            "world asia",
        ),
        "world",
    ),
    **dict.fromkeys(
        ("politics", "political", "election", "elections", "government", "policy", "us politics"),
        "politics",
    ),
    **dict.fromkeys(
        (
            "business",
            "economy",
            "economics",
            "markets",
            "market",
            "finance",
            "money",
            "companies",
            "industry",
            "trade",
            "banking",
            "personal finance",
            "work",
            "careers",
        ),
        "business",
    ),
    **dict.fromkeys(
        (
            "technology",
            "tech",
            "science and technology",
            "internet",
            "gadgets",
            "digital",
            "computing",
            "ai",
            "artificial intelligence",
            "cybersecurity",
        ),
        "technology",
    ),
    **dict.fromkeys(("science", "space", "research", "climate science"), "science"),
    **dict.fromkeys(
        ("health", "medicine", "wellness", "wellbeing", "well being", "coronavirus", "covid 19", "covid"),
        "health",
    ),
    **dict.fromkeys(
        (
            "sport",
            "sports",
            "football",
            "soccer",
            "cricket",
            "tennis",
            "rugby",
            "rugby union",
            "rugby league",
            "athletics",
            "basketball",
            "baseball",
            "nfl",
            "nba",
            "olympics",
            "f1",
            "formula 1",
            "motorsport",
            "golf",
            "cycling",
            "boxing",
        ),
        "sport",
    ),
    **dict.fromkeys(
        (
            "entertainment",
            "celebrity",
            "celebrities",
            "movies",
            "film",
            "films",
            "music",
            "tv",
            "television",
            "tv and radio",
            "showbiz",
            "comedy",
            "games",
            "gaming",
        ),
        "entertainment",
    ),
    **dict.fromkeys(
        (
            "culture",
            "arts",
            "art",
            "arts and culture",
            "culture and arts",
            "books",
            "lifestyle",
            "life and style",
            "food",
            "food and drink",
            "travel",
            "style",
            "fashion",
            "style and beauty",
            "home and living",
            "home and garden",
            "parenting",
            "family",
            "weddings",
            "religion",
            "faith",
        ),
        "culture",
    ),
    **dict.fromkeys(
        ("environment", "climate", "climate change", "energy", "nature", "weather"), "environment"
    ),
    **dict.fromkeys(
        (
            "opinion",
            "opinions",
            "comment",
            "commentisfree",
            "comment is free",
            "editorial",
            "editorials",
            "columns",
            "columnists",
            "letters",
            "op ed",
        ),
        "opinion",
    ),
    **dict.fromkeys(
        (
            "local",
            "local news",
            "regional",
            "city",
            "metro",
            "uk news",
            "us news",
            "u s news",
            "national",
            "nation",
            "domestic",
            "home news",
            "crime",
            "crime and justice",
        ),
        "local",
    ),
    # The same sections as German, French, Spanish, Italian and Portuguese sites name them.
    **{
        alias: category
        for category, aliases in {
            "world": "ausland welt international monde internacional mundo esteri mondo",
            "politics": "politik politique política politica",
            "business": "wirtschaft finanzen économie economie economía economia negocios mercados",
            "technology": "technik digital numérique tecnología tecnologia",
            "science": "wissenschaft wissen sciences ciencia scienza ciência",
            "health": "gesundheit santé salud salute saúde",
            "sport": "deportes esportes desporto calcio",
            "entertainment": "unterhaltung spectacles cinéma espectáculos spettacoli",
            "culture": "kultur feuilleton culture cultura livres libros viajes reisen",
            "environment": "umwelt klima environnement planète ambiente clima",
            "opinion": "meinung kommentar kommentare débats opiniones opinión opinioni opinião",
            "local": "inland regional lokales nacional cronaca",
        }.items()
        for alias in aliases.split()
    },
    "medio ambiente": "environment",
    # Labels that say where a page sits, or mix topics, and file nothing: the model decides.
    **dict.fromkeys(
        (
            "news",
            "home",
            "latest",
            "top stories",
            "breaking news",
            "apps",
            "app",
            "video",
            "videos",
            "live",
            "features",
            "analysis",
            "media",
            "education",
            "weird news",
            "offbeat",
            "impact",
            "blogs",
            "uncategorized",
            "uncategorised",
            "general",
        ),
        None,
    ),
}

_NON_WORD = re.compile(r"[\s_\-/.,:;|]+")


def _section_key(label: str) -> str:
    return _NON_WORD.sub(" ", label.casefold().replace("&", " and ")).strip()


def _label_category(label: str) -> tuple[bool, str | None]:
    """(known, category) of one label: known when the alias table lists it (or it with " news")."""
    key = _section_key(label)
    for candidate in (key, key.removesuffix(" news"), key.removeprefix("the ")):
        if candidate in SECTION_ALIASES:
            return True, SECTION_ALIASES[candidate]
    return False, None


_SEGMENT = re.compile(r"[a-z][a-z0-9\-]{1,40}")
#: Path segments that are editions or languages, not sections: look one further.
_EDITIONS = frozenset(
    {"en", "en-us", "en-gb", "intl", "edition", "amp", "news", "articles", "article", "story"}
)


_NUMBERED = re.compile(r"[a-z]{2,20}(?:-[a-z]{2,20}){0,3}-\d{5,}")


def _segments(url: str) -> list[str]:
    """The URL's path, casefolded, segment by segment."""
    return [p for p in urlsplit(url).path.casefold().split("/") if p]


def url_section(url: str | None) -> str | None:
    """The section a URL's path names: its first segment shaped like a word (editions, "news" and
    sections that are no category skipped), when a further segment follows (``/sport/2024/...``,
    not ``/about``) or it is a section's slug and a number after such a skipped segment
    (``/news/business-68279374``)."""
    if not url:
        return None
    parts = _segments(url)
    for i, part in enumerate(parts[:3]):
        if i + 1 >= len(parts):
            # the last segment only as a section's slug and the article's number
            # (``/news/entertainment-arts-26929175``), never a page's name (``/about``)
            return part if i > 0 and _NUMBERED.fullmatch(part) else None
        if part in _EDITIONS or _label_category(part) == (True, None):
            continue  # an edition, or a section that is no category ("apps", "media")
        return part if _SEGMENT.fullmatch(part) else None
    return None


def _first_segment(section: str, url: str | None) -> bool:
    """Whether ``section`` is only the first segment of the URL's path ("news" of
    ``/news/world/americas/...``), as extraction reads a section from a URL when the page
    declares none: then it says nothing the rest of the path does not say better."""
    if not url:
        return False
    parts = _segments(url)
    return bool(parts) and _section_key(parts[0]) == _section_key(section)


def from_section(section: str | None, url: str | None = None) -> str | None:
    """The category a source declares for an article, when it maps cleanly, else None.

    The declared section label first ("Sports", "World News", "Life & Style"); when it is absent
    or not in ``SECTION_ALIASES``, the section the URL's path names (``/tech/2024/...``, and the
    head of a compound like ``/world-europe-123``). A label listed as None ("News", "Apps",
    "Media") files nothing, and the URL is not asked either: the source said what it meant;
    unless the label is just the path's first segment (``/news/world/...``: a section read off
    the URL, or a site whose every path starts so), when the rest of the path is asked.
    """
    if section and section.strip():
        known, category = _label_category(section)
        if known and (category is not None or not _first_segment(section, url)):
            return category
    segment = url_section(url)
    if segment is None:
        return None
    known, category = _label_category(segment)
    if known:
        return category
    head = segment.split("-", 1)[0]
    return _label_category(head)[1] if head != segment else None


# -- features ---------------------------------------------------------------------------------------

#: How the default model reads an article; a model file records the values it was trained with.
HASH_BITS = 17
#: Words of the body read after the title: about a headline's and a standfirst's worth, which is
#: what the default model was trained on (HuffPost's headline and one-line description).
LEAD_WORDS = 60

_WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS]


def feature_tokens(title: str | None, text: str | None, lead_words: int = LEAD_WORDS) -> list[str]:
    """The words and adjacent word pairs the models count: the title's and the lead's (the first
    ``lead_words`` words of the text), lower-cased, letters only, stop words out; and the title's
    words once more, marked ``t:``, since a headline says what the article is about."""
    heading = _words(title or "")
    out: list[str] = []
    for part in (heading, _words(text or "")[:lead_words]):
        out.extend(part)
        out.extend(f"{a} {b}" for a, b in itertools.pairwise(part))
    out.extend(f"t:{w}" for w in heading)
    return out


def feature_hashes(tokens: Iterable[str], bits: int = HASH_BITS) -> list[int]:
    """Each token's bucket: CRC-32 of its UTF-8 bytes, modulo 2**bits (stable across runs and
    machines, unlike ``hash``)."""
    mask = (1 << bits) - 1
    return [zlib.crc32(t.encode("utf-8")) & mask for t in tokens]


# -- the model --------------------------------------------------------------------------------------


class Prediction(NamedTuple):
    """A learned filing: the category and the model's posterior probability of it."""

    category: str
    confidence: float


#: How a model file says what it is: a file of another format is refused with this in the message.
FORMAT = "newsdesk-categories-2"
#: How a model weighs its counts (``Params.weighting``).
WEIGHTINGS = ("one-versus-all", "complement", "multinomial")


@dataclass(frozen=True)
class Params:
    """How a model reads and scores: recorded in its file."""

    bits: int = HASH_BITS
    lead_words: int = LEAD_WORDS
    #: ``multinomial``: a word's weight for a class is the log of its share of the class's counts
    #: (the v1 model's); ``complement``: minus the log of its share of every *other* class's
    #: counts (Rennie et al. 2003, complement naive Bayes); ``one-versus-all``: the two added, the
    #: log-odds of the class against the rest (the same paper's OVA). The last two weigh a small
    #: class on as much evidence as a large one; the training script's ``--tune`` compares all
    #: three (docs/categories.md says why one-versus-all is the default's).
    weighting: str = "one-versus-all"
    #: Additive smoothing of each bucket's count, over the buckets some class has seen (a bucket
    #: none has seen is left out: it says nothing of the class).
    alpha: float = 0.3
    #: Multinomial and one-versus-all weighting: how much the classes' shares of the training
    #: records count (0: all classes alike, 1: as trained). The complement weighting uses none.
    prior_power: float = 0.0
    #: The scores are divided by this before they become probabilities: naive Bayes counts
    #: correlated words as independent evidence, so its raw posteriors are far too sure. Fitted by
    #: the training script (the log loss of held-out folds of its training data).
    temperature: float = 1.0

    def __post_init__(self) -> None:
        if self.weighting not in WEIGHTINGS:
            raise ValueError(f"weighting must be one of {WEIGHTINGS}, not {self.weighting!r}")


@dataclass
class Counts:
    """A desk's own counts, added to a model's: per class and bucket, per class, records per class,
    and how many buckets the two together have seen."""

    counts: npt.NDArray[np.float64]
    totals: npt.NDArray[np.float64]
    docs: npt.NDArray[np.float64]
    vocabulary: int


class CountModel:
    """Naive Bayes over hashed features (weighted as ``Params.weighting`` says): per
    class, each bucket's count and the number of records. Immutable once made; ``SectionLearner``
    adds a desk's ``Counts`` when it scores."""

    def __init__(
        self,
        classes: Sequence[str],
        counts: npt.NDArray[np.float64],
        docs: npt.NDArray[np.float64],
        params: Params,
    ) -> None:
        import numpy as np

        unknown = [c for c in classes if c not in TAXONOMY]
        if unknown:
            raise ValueError(f"not categories of the taxonomy: {unknown}")
        if counts.shape != (len(classes), 1 << params.bits) or docs.shape != (len(classes),):
            raise ValueError("counts must be (classes, 2**bits) and docs (classes,)")
        self.classes = tuple(classes)
        self.params = params
        self.counts = np.asarray(counts, dtype=np.float64)
        self.docs = np.asarray(docs, dtype=np.float64)
        self.counts.flags.writeable = False
        self.docs.flags.writeable = False
        self.totals = self.counts.sum(axis=1)
        #: Each bucket's count over all classes, and how many buckets have one.
        self.column = self.counts.sum(axis=0)
        self.vocabulary = int(np.count_nonzero(self.column))
        #: Every bucket's weight per class, made on first use (``scores``).
        self._table: npt.NDArray[np.float64] | None = None

    def features(
        self, title: str | None, text: str | None
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The buckets an article fills and how often (for ``scores``)."""
        import numpy as np

        hashes = feature_hashes(feature_tokens(title, text, self.params.lead_words), self.params.bits)
        buckets, times = np.unique(np.asarray(hashes, dtype=np.int64), return_counts=True)
        return buckets, times.astype(np.float64)

    def scores(
        self,
        buckets: npt.NDArray[np.int64],
        times: npt.NDArray[np.float64],
        extra: Counts | None = None,
        weight: float = 1.0,
    ) -> npt.NDArray[np.float64]:
        """Each class's score (a log posterior, unnormalised, for multinomial weighting);
        ``extra``'s counts (same classes) added ``weight`` times over. A class without a record
        scores -inf. The model alone reads its weights from a table made on first use."""
        import numpy as np

        p = self.params
        if extra is None:
            docs = self.docs
            out = self.table()[:, buckets] @ times
        else:
            own = extra.counts[:, buckets]
            n = self.counts[:, buckets] + weight * own
            totals = self.totals + weight * extra.totals
            docs = self.docs + weight * extra.docs
            column = self.column[buckets] + weight * own.sum(axis=0)
            out = self._weights(n, totals, column, extra.vocabulary) @ times
        known = docs > 0
        if p.weighting != "complement":
            prior = np.zeros(len(docs))
            prior[known] = p.prior_power * (np.log(docs[known]) - np.log(docs.sum()))
            out = out + prior
        out[~known] = -np.inf
        return np.asarray(out, dtype=np.float64)

    def table(self) -> npt.NDArray[np.float64]:
        """Every bucket's weight per class (classes by buckets), made once, on first use."""
        if self._table is None:
            self._table = self._weights(self.counts, self.totals, self.column, self.vocabulary)
        return self._table

    def _weights(
        self,
        n: npt.NDArray[np.float64],
        totals: npt.NDArray[np.float64],
        column: npt.NDArray[np.float64],
        vocabulary: int,
    ) -> npt.NDArray[np.float64]:
        """Per class, the weight of each bucket of ``n`` (counts per class of some buckets, and
        ``column`` their sums); 0 for a bucket no class has seen (it says nothing of the class)."""
        import numpy as np

        p = self.params
        seen = column > 0
        weights = np.zeros(n.shape)
        if p.weighting != "complement":
            # the log of each bucket's share of the class's own counts
            own = np.log(n[:, seen] + p.alpha) - np.log(totals + p.alpha * vocabulary)[:, None]
            weights[:, seen] += own
        if p.weighting != "multinomial":
            # minus the log of its share of the other classes' counts: large where they rarely
            # use the word
            outside = np.log(totals.sum() - totals + p.alpha * vocabulary)
            weights[:, seen] += outside[:, None] - np.log(column[seen] - n[:, seen] + p.alpha)
        return weights

    def predict(
        self, title: str | None, text: str | None, extra: Counts | None = None, weight: float = 1.0
    ) -> Prediction:
        """The most likely class and its probability (the scores tempered by ``temperature``)."""
        import numpy as np

        buckets, times = self.features(title, text)
        s = self.scores(buckets, times, extra, weight)
        best = int(np.argmax(s))
        shifted = np.exp((s - s[best]) / self.params.temperature)
        return Prediction(self.classes[best], float(1.0 / shifted.sum()))

    # -- files ---------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The model as an ``.npz`` (a zip of ``.npy`` arrays, no pickles): the classes, the buckets
        with a count, their integer counts, the records per class, the parameters as JSON. The same
        model gives the same bytes (fixed zip dates, sorted arrays)."""
        import numpy as np

        used = np.flatnonzero(self.counts.sum(axis=0))
        counts = self.counts[:, used]
        if not np.array_equal(counts, np.round(counts)) or not np.array_equal(self.docs, np.round(self.docs)):
            raise ValueError("only a model of whole counts is written")
        arrays = {
            "format": np.array(FORMAT, dtype=np.str_),
            "classes": np.array(self.classes, dtype=np.str_),
            "buckets": used.astype(np.uint32),
            "counts": counts.astype(np.uint32),
            "docs": self.docs.astype(np.uint32),
            "params": np.array(json.dumps(self.params.__dict__, sort_keys=True), dtype=np.str_),
        }
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(arrays):
                buf = io.BytesIO()
                np.lib.format.write_array(buf, arrays[name], allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, buf.getvalue(), compresslevel=9)
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CountModel:
        """A model written by ``to_bytes`` (of this ``FORMAT``; any other is refused, saying so)."""
        import numpy as np

        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            found = str(z["format"]) if "format" in z.files else "newsdesk-categories-1 (or older)"
            if found != FORMAT:
                raise ValueError(
                    f"a category model file of format {found}, and this newsdesk reads {FORMAT}: "
                    "use the model this version ships, or train it again with scripts/train_categories.py"
                )
            params = Params(**json.loads(str(z["params"])))
            classes = [str(c) for c in z["classes"]]
            counts = np.zeros((len(classes), 1 << params.bits), dtype=np.float64)
            counts[:, z["buckets"].astype(np.int64)] = z["counts"]
            docs = z["docs"].astype(np.float64)
        return cls(classes, counts, docs, params)


def train(
    examples: Iterable[tuple[str | None, str | None, str]],
    params: Params | None = None,
    classes: Sequence[str] = CATEGORIES,
) -> CountModel:
    """A model counted from ``(title, text, category)`` examples (order does not matter)."""
    import numpy as np

    params = params or Params()
    index = {c: i for i, c in enumerate(classes)}
    counts = np.zeros((len(classes), 1 << params.bits), dtype=np.float64)
    docs = np.zeros(len(classes), dtype=np.float64)
    for title, text, category in examples:
        row = index[category]
        hashes = feature_hashes(feature_tokens(title, text, params.lead_words), params.bits)
        np.add.at(counts[row], np.asarray(hashes, dtype=np.int64), 1.0)
        docs[row] += 1
    return CountModel(classes, counts, docs, params)


#: The shipped default model's file, inside the package.
DEFAULT_MODEL = "categories-v2.npz"


@cache
def default_model() -> CountModel:
    """The shipped model (read once per process, with its table of weights: it is immutable, so
    one copy serves all)."""
    data = resources.files("newsdesk.understand").joinpath("models", DEFAULT_MODEL).read_bytes()
    model = CountModel.from_bytes(data)
    model.table()
    return model


def classify(title: str | None, text: str | None) -> Prediction:
    """The default model's category for an article (its title and text), with its probability.
    It never answers ``opinion`` or ``local``: no licensed topic data teaches them (a desk's
    ``SectionLearner`` can)."""
    return default_model().predict(title, text)


# -- adapting to a desk ----------------------------------------------------------------------------


class Basis(Enum):
    """Where a filing came from."""

    SECTION = "section"  # the source's declared section (or URL), through SECTION_ALIASES
    LEARNED = "learned"  # the model: the default's counts plus the desk's own


class Filing(NamedTuple):
    """An article's category, how sure, and why."""

    category: str
    confidence: float
    basis: Basis


class SectionLearner:
    """The desk's own filing model: the default's counts plus those of the desk's articles whose
    sources declare a section that maps (``learn``), each weighing ``weight`` default records.

    In memory only (the desk will persist its counts later). Learning is order-free: the same
    articles give the same model whatever order they come in.
    """

    #: A desk article counts as this many default records. Its own counts are already larger (a
    #: lead, not a headline); on bench/understand/categories.py's HuffPost adaptation curve 1 and 3
    #: end level after 2,000 taught (v2 model) and 10 learns less (a few hundred articles outvote
    #: the default's broader evidence); 1 was chosen with the v1 model and is kept.
    WEIGHT = 1.0

    def __init__(self, base: CountModel | None = None, weight: float = WEIGHT) -> None:
        self.base = base if base is not None else default_model()
        self.weight = weight
        self._own: Counts | None = None
        #: How many articles the desk has taught, by category.
        self.learned: Counter[str] = Counter()

    def learn(self, title: str | None, text: str | None, category: str) -> None:
        """Count one filed article of the desk under ``category``."""
        import numpy as np

        if category not in self.base.classes:
            raise ValueError(f"{category!r} is not a category of the taxonomy")
        if self._own is None:
            shape = self.base.counts.shape
            self._own = Counts(np.zeros(shape), np.zeros(shape[0]), np.zeros(shape[0]), self.base.vocabulary)
        row = self.base.classes.index(category)
        buckets, times = self.base.features(title, text)
        new = (self.base.column[buckets] == 0) & (self._own.counts[:, buckets].sum(axis=0) == 0)
        self._own.vocabulary += int(np.count_nonzero(new))
        self._own.counts[row, buckets] += times  # buckets are unique
        self._own.totals[row] += times.sum()
        self._own.docs[row] += 1
        self.learned[category] += 1

    def learn_declared(
        self, title: str | None, text: str | None, section: str | None, url: str | None
    ) -> str | None:
        """Learn from an article whose source declares its section, when it maps; its category."""
        category = from_section(section, url)
        if category is not None:
            self.learn(title, text, category)
        return category

    def classify(self, title: str | None, text: str | None) -> Prediction:
        """The learned category: the default's evidence with the desk's added."""
        return self.base.predict(title, text, self._own, self.weight)

    def file(
        self, title: str | None, text: str | None, section: str | None = None, url: str | None = None
    ) -> Filing:
        """An article's category: from its declared section when that maps cleanly, else learned."""
        category = from_section(section, url)
        if category is not None:
            return Filing(category, 1.0, Basis.SECTION)
        category, confidence = self.classify(title, text)
        return Filing(category, confidence, Basis.LEARNED)


# -- stories ----------------------------------------------------------------------------------------


def story_category(
    member_categories: Sequence[str | None], confidences: Sequence[float] | None = None
) -> str | None:
    """A story's category from its members' (in order of arrival): the most frequent; a tie goes
    to the category with the greater summed confidence when ``confidences`` are given, then to the
    one whose latest member came last (the story as it stands now). None when no member has one."""
    tally: dict[str, list[float]] = {}
    for i, category in enumerate(member_categories):
        if category is None:
            continue
        sure = confidences[i] if confidences is not None else 0.0
        count, total, _ = tally.get(category, [0.0, 0.0, 0.0])
        tally[category] = [count + 1, total + sure, float(i)]
    if not tally:
        return None
    return max(tally, key=lambda c: tuple(tally[c]))
