"""Features: what clustering sees of an article, and how two of them compare.

The configuration (``Params``, one for every corpus) lives here, at the bottom of the package, so
every step reads the same one. An article becomes weighted term counts (``features``: words, title
words counted up, names and figures as *anchors*, and the understand stage's entities, figures and
speakers as anchors too when the caller gives them), then a TF-IDF vector over the book's document
frequencies (``vector``); ``similarity`` blends the cosine of the word parts with that of the anchor
parts. Pure functions over mappings: no state, no book.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import compress, repeat

import numpy as np

from .._stopwords import STORY_STOP_WORDS

# -- tuning (pinned by bench/stories.py; change only with its figures) ------------------------------


@dataclass(frozen=True, slots=True)
class Params:
    """One configuration for every corpus (see bench/RESULTS.md, "Stories")."""

    threshold: float = 0.15  # least score to join a story
    # when no story reaches it: least similarity to one member of one of the ``member_candidates``
    # best stories to join that story (about where ``same_story`` gives even odds, ``same_story_at``:
    # a report of the event that reads unlike its average but like one report of it; never under
    # ``threshold``); 0: never
    member_join: float = 0.21
    member_candidates: int = 3
    size_bonus: float = 0.0  # the threshold is this much lower for a story of one article (less for 2, 3...)
    merge: float = 0.60  # centroid cosine at which two open stories become one
    split: float = 0.45  # separation of two halves (see ``_separation``) at which a story is split
    # ... or when the normalized cut of its neighbour graph (see ``_graph_cut``) is this or less
    split_cut: float = 0.15
    split_neighbours: int = 3  # each member's nearest fellow members in that graph
    grace_days: float = 2.0  # no time penalty within this distance of a story's span
    decay_days: float = 4.0  # then the score falls by e every this many days
    window_days: float = 7.0  # a story closes this long after its last article
    title_boost: float = 3.0  # a title word counts this many times
    anchor_weight: float = 0.3  # share of the score that comes from names and figures
    phrase_weight: float = 0.5  # count of a multi-word name ("tara reid") as one term
    query_terms: int = 30  # top terms of an article looked up in the index
    index_terms: int = 60  # top terms of a story's centroid kept in the index
    centroid_terms: int = 300  # terms kept in a story's centroid
    member_terms: int = 80  # terms kept of a member's vector (titles, splits, related)
    candidates: int = 24  # most candidate stories scored per article
    min_split_size: int = 8  # stories smaller than this are never split
    # least similarity of an article of another story to be shown as related (before ``same_story``
    # scales what is shown): below it, a match is a few shared common words (99 % of galaxy's pairs
    # from unrelated files score under 0.044)
    related_floor: float = 0.05
    # understanding, when the caller gives it (``features``' entities, figures and speakers): each
    # named entity an anchor term of its own ("@person:joe biden"), counted this many times a mention
    entity_weight: float = 0.25
    figure_weight: float = 0.5  # a normalised figure ("@date:2015-08-21"), counted this many times
    speaker_weight: float = 1.0  # a quoted speaker, counted this many times a quote (beside its entity)
    # the similarity shown (related articles): the chance that two articles tell the same story,
    # ``same_story``, a log-logistic curve of the blended similarity fitted on the article pairs of
    # galaxy and ECB+ (``python -m bench.stories --parts calibrate``): even at this similarity...
    same_story_at: float = 0.21
    same_story_slope: float = 3.94  # ... and this steep (the logistic slope in log similarity)


DEFAULT = Params()

# a word (letters and digits, inner apostrophes), or the empty string for a run of sentence ends
_TOKENS = re.compile(r"([^\W_]+(?:['’][^\W_]+)*)|[.!?\n:;\"“”]+")


@dataclass(frozen=True, slots=True)
class Doc:
    """What clustering knows of an article: weighted term counts, time and labels."""

    article_id: int
    counts: Mapping[str, float]
    when: float | None  # POSIX seconds (published, else first seen)
    title: str
    source: str | None = None
    category: str | None = None


def _when(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def features(
    article_id: int,
    title: str,
    text: str,
    *,
    when: datetime | float | None = None,
    source: str | None = None,
    category: str | None = None,
    params: Params = DEFAULT,
    entities: Mapping[str, int] | None = None,
    figures: Sequence[str] | None = None,
    speakers: Sequence[str] | None = None,
) -> Doc:
    """Count an article's terms: words (stop words left out, title words boosted), and its anchors
    as terms of their own, marked ``@``: names, figures and multi-word names ("@tara reid").

    Understanding, when the caller has it, comes as plain values (never the understand stage's
    classes): ``entities`` maps a canonical key ("person:joe biden") to its number of mentions,
    ``figures`` lists normalised figures ("date:2015-08-21", "money:USD 4500000"), ``speakers`` the
    canonical keys of quoted speakers (one per quote). Each becomes an anchor term ("@person:joe
    biden") weighted by ``Params.entity_weight``, ``figure_weight`` and ``speaker_weight``."""
    counts: dict[str, float] = {}
    get = counts.get
    phrase_weight = params.phrase_weight
    seen: dict[str, tuple[str, str, int]] = {}  # word -> (term, anchor term, kind), read once per article
    for part, weight in ((title, params.title_boost), (text, 1.0)):
        run: list[str] = []
        initial = True
        for w in _TOKENS.findall(part):
            if not w:  # a sentence ends: the next word may be capitalised for that alone
                if len(run) >= 2:
                    phrase = "@" + " ".join(run)
                    counts[phrase] = get(phrase, 0.0) + phrase_weight * weight
                run = []
                initial = True
                continue
            info = seen.get(w)
            if info is None:
                info = seen[w] = _kind(w)
            low, key, kind = info
            first, initial = initial, False
            if kind == _SKIP:
                if len(run) >= 2:
                    phrase = "@" + " ".join(run)
                    counts[phrase] = get(phrase, 0.0) + phrase_weight * weight
                run = []
                continue
            counts[low] = get(low, 0.0) + weight
            if kind == _FIGURE:
                counts[key] = get(key, 0.0) + weight
            elif kind == _NAME and not first:
                counts[key] = get(key, 0.0) + weight
                run.append(low)
                continue
            if len(run) >= 2:
                phrase = "@" + " ".join(run)
                counts[phrase] = get(phrase, 0.0) + phrase_weight * weight
            run = []
        if len(run) >= 2:
            phrase = "@" + " ".join(run)
            counts[phrase] = get(phrase, 0.0) + phrase_weight * weight
    if entities is not None or figures is not None or speakers is not None:
        _understood(counts, entities or {}, figures or (), speakers or (), params)
    at = when if isinstance(when, float | int) or when is None else _when(when)
    return Doc(article_id, counts, float(at) if at is not None else None, title, source, category)


_SKIP, _WORD_ONLY, _FIGURE, _NAME = range(4)


def _understood(
    counts: dict[str, float],
    entities: Mapping[str, int],
    figures: Sequence[str],
    speakers: Sequence[str],
    params: Params,
) -> None:
    """Add the caller's understanding to ``counts`` as anchor terms (see ``features``)."""
    get = counts.get
    for terms, weight in (
        (((k, max(n, 1)) for k, n in entities.items()), params.entity_weight),
        (((f, 1) for f in figures), params.figure_weight),
        (((k, 1) for k in speakers), params.speaker_weight),
    ):
        if weight <= 0:
            continue
        for key, n in terms:
            term = "@" + key
            counts[term] = get(term, 0.0) + weight * n


def _kind(w: str) -> tuple[str, str, int]:
    """A word's term, its anchor term and what it is: skipped (stop word, too short), a plain word,
    a figure (2+ characters starting with a digit) or a possible name (capitalised)."""
    low = w.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    if low in STORY_STOP_WORDS or len(low) < 2:
        return low, "", _SKIP
    c = w[0]
    if c.isdigit():
        return (low, "@" + low, _FIGURE) if len(w) >= 2 else (low, "", _WORD_ONLY)
    if c.isupper():
        return low, "@" + low, _NAME
    return low, "", _WORD_ONLY


def vector(counts: Mapping[str, float], df: Mapping[str, int], docs: int) -> dict[str, float]:
    """Sublinear TF times smoothed IDF; words and anchors (``@`` terms) each L2-normalised, so the
    two parts can be compared apart. ``df`` and ``docs`` include this article."""
    return _vector(counts, df, docs, seen=0)


def _vector(counts: Mapping[str, float], df: Mapping[str, int], docs: int, *, seen: int) -> dict[str, float]:
    """``vector`` with ``seen`` added to every document frequency (1: ``df`` is from before this
    article), in numpy: one array operation per step instead of a Python loop over the terms."""
    terms = list(counts)
    n = len(terms)
    if not n:
        return {}
    c = np.fromiter(counts.values(), float, n)
    d = np.fromiter(map(df.get, terms, repeat(1 - seen)), float, n) + seen
    idf = np.log((docs + 1) / (d + 0.5))
    v = np.where(c >= 1, 1.0 + np.log(c), c) * idf
    keep = idf > 0
    anchor = np.fromiter((t[0] == "@" for t in terms), bool, n)
    sq = v * v
    nw = math.sqrt(float(sq[keep & ~anchor].sum())) or 1.0
    na = math.sqrt(float(sq[keep & anchor].sum())) or 1.0
    v = v / np.where(anchor, na, nw)
    return dict(zip(compress(terms, keep), v[keep].tolist(), strict=True))


def top(vec: Mapping[str, float], n: int) -> list[str]:
    """The ``n`` heaviest terms (ties: the earlier in the mapping's order, which is deterministic)."""
    return heapq.nlargest(n, vec, key=vec.__getitem__)


def truncate(vec: Mapping[str, float], n: int) -> dict[str, float]:
    if len(vec) <= n:
        return dict(vec)
    return {t: vec[t] for t in top(vec, n)}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Sum of products over the shared terms (``fsum``: exact, so independent of the set's order)."""
    return math.fsum([a[t] * b[t] for t in a.keys() & b.keys()])


def norm(a: Mapping[str, float]) -> float:
    return math.sqrt(math.fsum([v * v for v in a.values()]))


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    na, nb = norm(a), norm(b)
    return dot(a, b) / (na * nb) if na and nb else 0.0


def halves(a: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """The word part and the name part (``@`` terms) of a vector."""
    words: dict[str, float] = {}
    names: dict[str, float] = {}
    for t, v in a.items():
        (names if t[0] == "@" else words)[t] = v
    return words, names


def part_norms(a: Mapping[str, float]) -> tuple[float, float]:
    """Lengths of the word part and of the name part."""
    words, names = halves(a)
    return norm(words), norm(names)


def unit(a: Mapping[str, float]) -> dict[str, float]:
    """``a`` with its word part and its anchor part each scaled to length 1 (like an article's)."""
    nw, na = part_norms(a)
    return {t: v / ((na if t[0] == "@" else nw) or 1.0) for t, v in a.items()}


def blend(
    words: Mapping[str, float],
    names: Mapping[str, float],
    b: Mapping[str, float],
    b_norms: tuple[float, float],
    anchor_weight: float,
) -> float:
    """Cosine of the word parts blended with the cosine of the name parts; ``words`` and ``names``
    are the halves of a unit article vector, ``b`` any vector with the lengths of its parts."""
    nw, na = b_norms
    cw = dot(words, b) / nw if nw else 0.0
    if not na or not names:
        return cw
    return (1.0 - anchor_weight) * cw + anchor_weight * dot(names, b) / na


def same_story(sim: float, params: Params = DEFAULT) -> float:
    """The chance that two articles of blended similarity ``sim`` tell the same story:
    ``sim^k / (sim^k + at^k)`` (a logistic curve in log similarity, ``at`` = ``Params.same_story_at``,
    ``k`` = ``Params.same_story_slope``), fitted on pairs of articles whose story is known. The
    cosine itself crowds every unrelated or loosely related pair near 0; this is the scale the
    stage shows. Monotone, so it orders as the similarity does, and grouping (which compares the
    similarity with ``Params.threshold``) decides the same either way."""
    if sim <= 0.0:
        return 0.0
    return 1.0 / (1.0 + math.pow(params.same_story_at / sim, params.same_story_slope))


def similarity(a: Mapping[str, float], b: Mapping[str, float], anchor_weight: float) -> float:
    """Cosine of the word parts blended with the cosine of the anchor parts (``a`` is a unit
    article vector, ``b`` any vector: a centroid, another article)."""
    words, names = halves(a)
    return blend(words, names, b, part_norms(b), anchor_weight)
