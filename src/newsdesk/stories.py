"""Stories: coverage of one event grouped online, as articles arrive.

Plain functions over plain records; a *book* (``StoryBook``) keeps the state: document frequencies,
the story sketches, their members, and an inverted index from terms to the *open* stories. The store
implements a book over SQL tables (the Desk adapts it) and ``MemoryBook`` keeps one in memory for
the evaluation: both run the same ``assign`` below, so the figures of ``bench/stories.py`` are the
figures of the Desk.

One article, one pass:

1. ``features``: its words (title words count ``TITLE_BOOST`` times), with its *anchors* — names
   (capitalised words that do not start a sentence, and runs of them as one phrase) and figures —
   weighted up: the facts that tell two look-alike events (two earthquakes, two factory fires)
   apart when their vocabulary is the same.
2. ``vector``: TF-IDF over document frequencies learned incrementally (the book counts every
   article it has seen), L2-normalised.
3. Candidates: the open stories sharing one of its top terms in the index, at most
   ``Params.candidates``; a story is indexed under the top terms of its centroid and leaves the
   index when it closes (``Params.window_days`` after its last article). The cost of an article is
   bounded by the stories open at its time, never by the number of stories.
4. Score: cosine with each candidate's centroid, times a time decay past ``Params.grace_days``;
   the best at ``Params.threshold`` or more is joined, else the article starts a story. A copy
   (provenance) joins its original's story without a vote. A centroid keeps its
   ``Params.centroid_terms`` heaviest terms after every change and the lengths of its parts are
   cached on the sketch, so scoring a candidate costs a set intersection, not a pass over it.
5. Upkeep, recorded as decisions: two stories whose centroids come within ``Params.merge`` of each
   other are merged (the older keeps its id); a story is tested when its size reaches a power of
   two: the best of a few seeded 2-means cuts of its members is taken, and the story is split when
   its halves are well apart — each member resembles its own half (itself left out) clearly more
   than the other, a mean silhouette of ``Params.split`` or more — or, when 2-means finds no such
   cut, when the graph linking each member to its ``Params.split_neighbours`` nearest fellow
   members falls into two parts with few links between them (a normalized cut of at most
   ``Params.split_cut``): two look-alike events can blur together on average while each report's
   nearest neighbours are of its own event. This is what undoes an early
   mistake: the first article of a look-alike event (a second rehab, a second heavyweight bout of
   the same boxer) often joins the first event's story while that is one article; once both have
   grown, they can often be told apart. The title is the headline of the member most central to
   the centroid.

Everything is deterministic: the same arrival order gives the same stories (ties go to the lower id).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import compress, repeat

import numpy as np

from ._stopwords import STORY_STOP_WORDS
from .model import DecisionKind, JoinKind, StoryChange, StoryDecision, StoryMember, StorySketch
from .store.base import StoryBook

# -- tuning (pinned by bench/stories.py; change only with its figures) ------------------------------


@dataclass(frozen=True, slots=True)
class Params:
    """One configuration for every corpus (see bench/RESULTS.md, "Stories")."""

    threshold: float = 0.16  # least score to join a story
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
    phrase_weight: float = 1.0  # count of a multi-word name ("tara reid") as one term
    query_terms: int = 30  # top terms of an article looked up in the index
    index_terms: int = 60  # top terms of a story's centroid kept in the index
    centroid_terms: int = 300  # terms kept in a story's centroid
    member_terms: int = 80  # terms kept of a member's vector (titles, splits, related)
    candidates: int = 24  # most candidate stories scored per article
    min_split_size: int = 8  # stories smaller than this are never split
    # least score of an article of another story to be shown as related: below it, a match is a few
    # shared common words (99 % of galaxy's pairs from unrelated files score under 0.044)
    related_floor: float = 0.05


DEFAULT = Params()

_DAY = 86_400.0
_SAME_REPORT = 0.8  # cosine of two member vectors from which they are one report (a copy) in a split
_DIGITS = 4  # decimals kept of stored weights (member vectors, centroids): small records, same figures
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
) -> Doc:
    """Count an article's terms: words (stop words left out, title words boosted), and its anchors
    as terms of their own, marked ``@``: names, figures and multi-word names ("@tara reid")."""
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
    at = when if isinstance(when, float | int) or when is None else _when(when)
    return Doc(article_id, counts, float(at) if at is not None else None, title, source, category)


_SKIP, _WORD_ONLY, _FIGURE, _NAME = range(4)


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


def similarity(a: Mapping[str, float], b: Mapping[str, float], anchor_weight: float) -> float:
    """Cosine of the word parts blended with the cosine of the anchor parts (``a`` is a unit
    article vector, ``b`` any vector: a centroid, another article)."""
    words, names = halves(a)
    return blend(words, names, b, part_norms(b), anchor_weight)


def centroid_norms(story: StorySketch) -> tuple[float, float]:
    """The lengths of a centroid's parts, cached on the sketch (reset whenever the centroid changes)."""
    if story.norms is None:
        story.norms = part_norms(story.centroid)
    return story.norms


# -- the book (its Protocol, StoryBook, is the store's: store/base.py) ----------------------------------


# -- the assignment rule ------------------------------------------------------------------------------


def decay(when: float | None, story: StorySketch, params: Params) -> float:
    """1 within ``grace_days`` of the story's span, then exp(-excess / decay_days)."""
    if when is None or story.first is None or story.last is None:
        return 1.0
    gap = max(story.first - when, when - story.last, 0.0) / _DAY
    if gap <= params.grace_days:
        return 1.0
    return math.exp(-(gap - params.grace_days) / params.decay_days)


def score(vec: Mapping[str, float], when: float | None, story: StorySketch, params: Params) -> float:
    words, names = halves(vec)
    return _score(words, names, when, story, params)


def _score(
    words: Mapping[str, float],
    names: Mapping[str, float],
    when: float | None,
    story: StorySketch,
    params: Params,
) -> float:
    sim = blend(words, names, story.centroid, centroid_norms(story), params.anchor_weight)
    return sim * decay(when, story, params) if sim else 0.0


def _prune(story: StorySketch, params: Params) -> list[str]:
    """Keep the ``centroid_terms`` heaviest terms of a centroid (after every change, so scoring and
    storage stay bounded); returns its terms, heaviest first (ties: the earlier term)."""
    c = story.centroid
    ranked = sorted(c, key=c.__getitem__, reverse=True)[: params.centroid_terms]
    story.centroid = _rounded(ranked, c)
    story.norms = None
    return ranked


def _rounded(terms: Sequence[str], weights: Mapping[str, float]) -> dict[str, float]:
    """``terms`` with their weights to ``_DIGITS`` decimals (numpy: a fifth of the cost of round())."""
    values = np.fromiter(map(weights.__getitem__, terms), float, len(terms))
    return dict(zip(terms, values.round(_DIGITS).tolist(), strict=True))


def _absorb(story: StorySketch, vec: Mapping[str, float], doc: Doc, params: Params) -> None:
    c = story.centroid
    for t, v in vec.items():
        c[t] = c.get(t, 0.0) + v
    story.norms = None
    story.size += 1
    if doc.when is not None:
        story.first = doc.when if story.first is None else min(story.first, doc.when)
        story.last = doc.when if story.last is None else max(story.last, doc.when)
    if doc.source:
        story.sources[doc.source] = story.sources.get(doc.source, 0) + 1
    if doc.category:
        story.categories[doc.category] = story.categories.get(doc.category, 0) + 1


def _fresh(story_id: int, members: Sequence[StoryMember], params: Params) -> StorySketch:
    """A sketch rebuilt from members (after a split)."""
    s = StorySketch(story_id, {}, 0, None, None, "", 0)
    for m in members:
        _absorb(s, m.vector, Doc(m.article_id, {}, m.when, m.title, m.source, m.category), params)
    _prune(s, params)
    _retitle(s, members)
    return s


def _retitle(story: StorySketch, members: Sequence[StoryMember]) -> None:
    """The headline of the member most central to the centroid (ties: the earliest)."""
    best: tuple[float, int] | None = None
    chosen = None
    for m in members:
        key = (-dot(m.vector, story.centroid), m.article_id)
        if best is None or key < best:
            best, chosen = key, m
    if chosen is not None:
        story.title, story.title_article = chosen.title, chosen.article_id


def _copy(s: StorySketch) -> StorySketch:
    return replace(s, centroid=dict(s.centroid), sources=dict(s.sources), categories=dict(s.categories))


def _two_means(x: np.ndarray, a: int) -> np.ndarray:
    """A 2-means cut of the rows of ``x`` (member vectors, in order of article id) seeded with row
    ``a`` and the row least like it (ties: the earlier); up to five rounds of reassignment. Returns
    a boolean mask of the side that holds row 0."""
    seeds = x[[a, int(np.argmin(x @ x[a]))]]
    side = np.zeros(len(x), dtype=bool)
    for _ in range(5):
        lengths = np.sqrt((seeds * seeds).sum(axis=1))
        lengths[lengths == 0] = 1.0
        sims = (x @ seeds.T) / lengths
        new = sims[:, 0] >= sims[:, 1]
        if new.all() or not new.any():
            return np.ones(len(x), dtype=bool)
        if (new == side).all():
            break
        side = new
        seeds = np.stack([x[side].sum(axis=0), x[~side].sum(axis=0)])
    return side if side[0] else ~side


def _separation(x: np.ndarray, side: np.ndarray) -> float:
    """How much better each member fits its own half than the other: the mean silhouette over
    cosines with the halves' centroids, each member left out of its own half. Near 0 for one event
    cut in two, high for two events that were put together."""
    own_c = np.stack([x[side].sum(axis=0), x[~side].sum(axis=0)])
    sq = (own_c * own_c).sum(axis=1)
    mine = np.where(side, 0, 1)
    theirs = 1 - mine
    d = x @ own_c.T
    rows = np.arange(len(x))
    mm = (x * x).sum(axis=1)
    d_own = d[rows, mine]
    rest = np.sqrt(np.maximum(sq[mine] - 2 * d_own + mm, 0.0))
    rest[rest == 0] = 1.0
    a = (d_own - mm) / rest
    no = np.sqrt(sq[theirs])
    no[no == 0] = 1.0
    b = d[rows, theirs] / no
    top = np.maximum(a, b)
    top[top == 0] = 1.0
    return float(np.mean((a - b) / top))


def _reports(members: Sequence[StoryMember]) -> tuple[np.ndarray, list[int], list[int]]:
    """The members' vectors as rows of a matrix (in the order given), each member's report (the
    earliest member it is a near-copy of, cosine ``_SAME_REPORT`` or more: itself when none) and
    the distinct reports, in order."""
    terms: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, m in enumerate(members):
        for t, v in m.vector.items():
            rows.append(i)
            cols.append(terms.setdefault(t, len(terms)))
            vals.append(v)
    x = np.zeros((len(members), len(terms)))
    x[rows, cols] = vals
    lengths = np.sqrt((x * x).sum(axis=1))
    lengths[lengths == 0] = 1.0
    unit_rows = x / lengths[:, None]
    alike = unit_rows @ unit_rows.T
    report = list(range(len(members)))
    for i in range(1, len(members)):
        earlier = np.flatnonzero(alike[i, :i] >= _SAME_REPORT)
        if len(earlier):
            report[i] = report[int(earlier[0])]
    return x, report, sorted(set(report))


def _halves_of(
    members: Sequence[StoryMember], report: Sequence[int], on_left: set[int]
) -> tuple[list[StoryMember], list[StoryMember]]:
    """The members whose report is ``on_left``, and the others (each near-copy goes with its report)."""
    return (
        [m for m, r in zip(members, report, strict=True) if r in on_left],
        [m for m, r in zip(members, report, strict=True) if r not in on_left],
    )


_Reports = tuple[np.ndarray, list[int], list[int]]


def _best_cut(
    members: Sequence[StoryMember], reports: _Reports | None = None
) -> tuple[list[StoryMember], list[StoryMember], float]:
    """The best-separated of a few 2-means cuts (see ``_separation``), each half of two distinct
    reports or more, seeded with the members least and most like the whole, the first and the
    newest. Near-copies (cosine ``_SAME_REPORT`` or more with an earlier member) count once and go
    with their report: two wire versions of one event must not pass for two events.
    ``members`` are in order of article id; the half holding the first is returned first.
    ``reports``: ``_reports(members)`` when already made."""
    x, report, distinct = reports or _reports(members)
    if len(distinct) < 4:
        return list(members), [], 0.0
    xr = x[distinct]
    central = np.argsort(xr @ xr.sum(axis=0), kind="stable")  # ties: the earlier
    seeds: list[int] = []
    for a in (int(central[0]), int(central[-1]), 0, len(distinct) - 1):
        if a not in seeds:
            seeds.append(a)
    best: tuple[list[StoryMember], list[StoryMember], float] = (list(members), [], 0.0)
    for a in seeds:
        side = _two_means(xr, a)
        n = int(side.sum())
        if n < 2 or len(distinct) - n < 2:
            continue
        sep = _separation(xr, side)
        if sep > best[2]:
            left, right = _halves_of(members, report, {r for r, s in zip(distinct, side, strict=True) if s})
            best = (left, right, sep)
    return best


def _graph_cut(
    members: Sequence[StoryMember], neighbours: int, reports: _Reports | None = None
) -> tuple[list[StoryMember], list[StoryMember], float]:
    """The cut of the story's neighbour graph with the least normalized cut (1.0 or more when
    there is none to make): each distinct report is linked to its ``neighbours`` most similar
    fellow reports (cosine; a link either way counts), the reports are ordered by the graph's
    Fiedler vector (the second eigenvector of its normalized Laplacian) and the best cut of that
    order into two parts of two reports or more is taken. Two events told in look-alike words can
    be close on average (2-means and ``_separation`` see one blur) while each report's nearest
    fellows are of its own event: the graph then falls into two parts with few links between
    them (a normalized cut near 0). One event gives no such cut: its reports' neighbours are
    spread over all of it. ``members`` in order of article id; the half holding the first first."""
    x, report, distinct = reports or _reports(members)
    n = len(distinct)
    none: tuple[list[StoryMember], list[StoryMember], float] = (list(members), [], 1.0)
    if n < 4:
        return none
    xr = x[distinct]
    lengths = np.sqrt((xr * xr).sum(axis=1))
    lengths[lengths == 0] = 1.0
    u = xr / lengths[:, None]
    sims = u @ u.T
    np.fill_diagonal(sims, -np.inf)
    links = np.zeros((n, n))
    for i in range(n):
        near = np.argsort(-sims[i], kind="stable")[:neighbours]  # ties: the earlier
        links[i, near] = np.maximum(sims[i, near], 1e-6)  # a link, however weak, is a link
    links = np.maximum(links, links.T)
    degree = links.sum(axis=1)
    root = np.sqrt(degree)
    _, vectors = np.linalg.eigh(np.eye(n) - links / np.outer(root, root))
    order = np.argsort(vectors[:, 1] / root, kind="stable")
    total = float(degree.sum())
    best = none
    side = np.zeros(n, dtype=bool)
    volume = cut = 0.0
    for c in range(n - 2):
        v = order[c]
        inside = float(links[v, side].sum())
        cut += float(degree[v]) - 2.0 * inside  # its links to the rest now cross; those to the side no longer
        volume += float(degree[v])
        side[v] = True
        if c < 1:
            continue
        ncut = cut / volume + cut / (total - volume)
        if ncut < best[2]:
            left = {r for r, s in zip(distinct, side, strict=True) if s}
            if report[0] not in left:
                left = set(distinct) - left
            best = (*_halves_of(members, report, left), ncut)
    return best


def assign(
    book: StoryBook,
    doc: Doc,
    params: Params = DEFAULT,
    *,
    copy_story: int | None = None,
    decided: datetime | None = None,
) -> StoryChange:
    """Place one new article: join ``copy_story`` when given (the story of the article it copies, or
    of its copies), else the best open story at the threshold, else start a story; then merge and
    split as needed. The book saves the change (one transaction) and it is returned."""
    terms = tuple(sorted(doc.counts))
    df, docs = book.story_doc_freqs(terms)
    vec = _vector(doc.counts, df, docs + 1, seen=1)
    ranked = sorted(vec, key=vec.__getitem__, reverse=True)  # as ``top``: ties keep the earlier
    member = StoryMember(
        doc.article_id,
        0,
        _rounded(ranked[: params.member_terms], vec),
        doc.when,
        doc.title,
        doc.source,
        doc.category,
    )
    words, names = halves(vec)
    scored: list[tuple[float, int, StorySketch]] = []
    target: StorySketch | None = None
    best = 0.0
    reason = JoinKind.NEW
    if vec:
        for cand in book.story_candidates(ranked[: params.query_terms], limit=params.candidates):
            scored.append((_score(words, names, doc.when, cand, params), cand.id, cand))
        scored.sort(key=lambda x: (-x[0], x[1]))
    if copy_story is not None:
        target = book.story_sketch(copy_story)
        if target is not None:
            target = _copy(target)
            best, reason = _score(words, names, doc.when, target, params), JoinKind.COPY
    if target is None:
        for sc, _, cand in scored:
            if sc >= params.threshold - params.size_bonus / cand.size:
                best, target, reason = sc, _copy(cand), JoinKind.JOINED
                break
    if target is None:
        target = StorySketch(book.new_story_id(), {}, 0, None, None, doc.title, doc.article_id)
    _absorb(target, vec, doc, params)
    member = replace(member, story_id=target.id, joined=reason, score=round(best, 6))
    change = StoryChange(doc.article_id, target.id, round(best, 6), reason, terms, member, decided=decided)
    change.sketches[target.id] = target
    if target.size > 1:
        _retitle_with(book, target, member, params)
    _merge(book, change, target, scored, params, doc)
    live = change.sketches[change.story_id]
    if live.size >= params.min_split_size and live.size & (live.size - 1) == 0:
        _split(book, change, live, params)
    for s in change.sketches.values():
        if s.merged_into is None:
            change.keys[s.id] = tuple(_prune(s, params)[: params.index_terms])
            centroid_norms(s)  # a book may keep them with the centroid (the store does)
    if doc.when is not None:
        change.close_before = doc.when - params.window_days * _DAY
    book.save_story_change(change)
    return change


def _retitle_with(book: StoryBook, story: StorySketch, member: StoryMember, params: Params) -> None:
    """Keep the title's member unless the newcomer is more central; a full recount at sizes that are
    powers of two (so the cost per article stays bounded, amortised)."""
    if story.size & (story.size - 1) == 0:
        _retitle(story, [*book.story_members(story.id), member])
        return
    held = book.story_member(story.title_article)
    if held is None or dot(member.vector, story.centroid) > dot(held.vector, story.centroid):
        story.title, story.title_article = member.title, member.article_id


def _merge(
    book: StoryBook,
    change: StoryChange,
    target: StorySketch,
    scored: Sequence[tuple[float, int, StorySketch]],
    params: Params,
    doc: Doc,
) -> None:
    """Merge into ``target`` the candidate stories that now resemble it closely (one event)."""
    shape: tuple[dict[str, float], dict[str, float]] | None = None
    for sc, sid, other in scored:
        if sc < params.threshold:
            break  # only stories the article itself resembles can turn out to be its story
        if sid == target.id or other.merged_into is not None:
            continue
        if shape is None:
            shape = halves(unit(target.centroid))
        sim = blend(*shape, other.centroid, centroid_norms(other), params.anchor_weight)
        sim *= _span_decay(target, other, params)
        if sim < params.merge:
            continue
        keep, gone = (target, _copy(other)) if target.id < sid else (_copy(other), target)
        moved = tuple(m.article_id for m in book.story_members(gone.id))
        if gone.id == target.id:
            moved = (*moved, doc.article_id)
        for t, v in gone.centroid.items():
            keep.centroid[t] = keep.centroid.get(t, 0.0) + v
        keep.size += gone.size
        for a, b in ((keep.sources, gone.sources), (keep.categories, gone.categories)):
            for k, n in b.items():
                a[k] = a.get(k, 0) + n
        times = [t for t in (keep.first, keep.last, gone.first, gone.last) if t is not None]
        if times:
            keep.first, keep.last = min(times), max(times)
        _prune(keep, params)
        gone.merged_into, gone.open, gone.size = keep.id, False, 0
        change.sketches[keep.id] = keep
        change.sketches[gone.id] = gone
        shape = None
        change.moves.extend((a, keep.id) for a in moved)
        change.decisions.append(
            StoryDecision(
                DecisionKind.MERGE,
                keep.id,
                gone.id,
                moved,
                round(sim, 4),
                f"centroids {sim:.2f} alike (merge at {params.merge:.2f})",
                doc.article_id,
            )
        )
        if change.story_id == gone.id:
            change.story_id = keep.id
            change.member = replace(change.member, story_id=keep.id)
        target = keep


def _span_decay(a: StorySketch, b: StorySketch, params: Params) -> float:
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return 1.0
    gap = max(a.first - b.last, b.first - a.last, 0.0) / _DAY
    if gap <= params.grace_days:
        return 1.0
    return math.exp(-(gap - params.grace_days) / params.decay_days)


def _split(book: StoryBook, change: StoryChange, story: StorySketch, params: Params) -> None:
    members = [m for m in book.story_members(story.id) if m.article_id != change.article_id]
    moved_in = {a for a, to in change.moves if to == story.id}
    have = {m.article_id for m in members}
    for a in sorted(moved_in - have - {change.article_id}):
        found = book.story_member(a)
        if found is not None:
            members.append(found)
    members.append(change.member)
    members.sort(key=lambda m: m.article_id)
    reports = _reports(members)
    left, right, sim = _best_cut(members, reports)
    reason = f"halves {sim:.2f} apart (split at {params.split:.2f})"
    if sim < params.split:
        left, right, sim = _graph_cut(members, params.split_neighbours, reports)
        if sim > params.split_cut:
            return
        reason = f"neighbour graph cut {sim:.2f} (split at {params.split_cut:.2f} or less)"
    new_id = book.new_story_id()
    if new_id in change.sketches:
        new_id = max(change.sketches) + 1
    kept = _fresh(story.id, left, params)
    split = _fresh(new_id, right, params)
    kept.merged_into = split.merged_into = None
    change.sketches[story.id] = kept
    change.sketches[new_id] = split
    moved = tuple(m.article_id for m in right)
    change.moves.extend((a, new_id) for a in moved if a != change.article_id)
    if change.article_id in moved:
        change.story_id = new_id
        change.member = replace(change.member, story_id=new_id)
    change.decisions.append(
        StoryDecision(
            DecisionKind.SPLIT,
            story.id,
            new_id,
            moved,
            round(sim, 4),
            reason,
            change.article_id,
        )
    )


# -- the book in memory (evaluation, tests) -------------------------------------------------------------


class MemoryBook:
    """A ``StoryBook`` in memory: the same rule as the store's, for evaluation at speed.

    Closed stories leave the index and their members' vectors are dropped (``keep_members=False``)
    so memory follows the open stories, not the whole stream.
    """

    def __init__(self, *, keep_members: bool = True) -> None:
        self.df: dict[str, int] = {}
        self.docs = 0
        self.sketches: dict[int, StorySketch] = {}
        self.index: dict[str, set[int]] = {}
        self.keys: dict[int, tuple[str, ...]] = {}
        self.assignment: dict[int, int] = {}
        self.vectors: dict[int, StoryMember] = {}
        self.member_ids: dict[int, list[int]] = {}
        self.decisions: list[StoryDecision] = []
        self._closing: list[tuple[float, int]] = []
        self._next = 1
        self.keep_members = keep_members

    def story_doc_freqs(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        df = self.df
        return {t: df[t] for t in terms if t in df}, self.docs

    def story_candidates(self, keys: Sequence[str], *, limit: int) -> list[StorySketch]:
        shared: dict[int, int] = {}
        for k in keys:
            for sid in self.index.get(k, ()):
                shared[sid] = shared.get(sid, 0) + 1
        ranked = sorted(shared, key=lambda s: (-shared[s], s))[:limit]
        return [self.sketches[s] for s in ranked]

    def story_sketch(self, story_id: int) -> StorySketch | None:
        s = self.sketches.get(story_id)
        while s is not None and s.merged_into is not None:
            s = self.sketches.get(s.merged_into)
        return s

    def story_members(self, story_id: int) -> list[StoryMember]:
        return [self.vectors[a] for a in self.member_ids.get(story_id, []) if a in self.vectors]

    def story_member(self, article_id: int) -> StoryMember | None:
        return self.vectors.get(article_id)

    def story_id_of(self, article_id: int) -> int | None:
        return self.assignment.get(article_id)

    def new_story_id(self) -> int:
        return self._next

    def save_story_change(self, change: StoryChange) -> None:
        for t in change.terms:
            self.df[t] = self.df.get(t, 0) + 1
        self.docs += 1
        self._next = max(self._next, max(change.sketches) + 1)
        for sid, s in change.sketches.items():
            self.sketches[sid] = s
            self._unindex(sid)
            if s.merged_into is None and s.open:
                self.keys[sid] = change.keys.get(sid, ())
                for k in self.keys[sid]:
                    self.index.setdefault(k, set()).add(sid)
                if s.last is not None:
                    heapq.heappush(self._closing, (s.last, sid))
        m = change.member
        self.vectors[m.article_id] = m
        self.assignment[m.article_id] = change.story_id
        self.member_ids.setdefault(change.story_id, []).append(m.article_id)
        for a, to in change.moves:
            old = self.assignment.get(a)
            if old is not None and old != to and a in self.member_ids.get(old, []):
                self.member_ids[old].remove(a)
            if old != to:
                self.member_ids.setdefault(to, []).append(a)
                self.member_ids[to].sort()
            self.assignment[a] = to
            if a in self.vectors:
                self.vectors[a] = replace(self.vectors[a], story_id=to)
        self.decisions.extend(change.decisions)
        if change.close_before is not None:
            self._close(change.close_before)

    def _unindex(self, sid: int) -> None:
        for k in self.keys.pop(sid, ()):
            posting = self.index.get(k)
            if posting is not None:
                posting.discard(sid)
                if not posting:
                    del self.index[k]

    def _close(self, before: float) -> None:
        while self._closing and self._closing[0][0] < before:
            _, sid = heapq.heappop(self._closing)
            s = self.sketches.get(sid)
            if s is None or not s.open or s.last is None or s.last >= before:
                continue
            s.open = False
            self._unindex(sid)
            if not self.keep_members:
                for a in self.member_ids.pop(sid, []):
                    self.vectors.pop(a, None)
                s.centroid, s.norms = {}, None

    def open_stories(self) -> int:
        return sum(1 for s in self.sketches.values() if s.open and s.merged_into is None)

    def labels(self) -> dict[int, int]:
        """Article id -> story id (after every merge and split)."""
        return dict(self.assignment)


def cluster_stream(
    docs: Iterable[Doc], params: Params = DEFAULT, book: MemoryBook | None = None
) -> MemoryBook:
    """Cluster articles in the order given, in memory; returns the book (``labels()``)."""
    book = book if book is not None else MemoryBook()
    for doc in docs:
        assign(book, doc, params)
    return book


# -- related articles -----------------------------------------------------------------------------------


def rank_related(
    vec: Mapping[str, float],
    centroid: Mapping[str, float],
    members: Sequence[StoryMember],
    *,
    limit: int,
    diversity: float = 0.25,
    own_source: str | None = None,
    params: Params = DEFAULT,
) -> list[tuple[StoryMember, float]]:
    """Members of the article's story, best first: central to the story and close to the article,
    with each further article from an already shown source (or the article's own) marked down by
    ``diversity`` (greedy, like maximal marginal relevance). Scores are the blended similarity
    ``assign`` and ``nearest`` use (0 to 1), so a list's two parts read on one scale."""
    w = params.anchor_weight
    c_norms, v_norms = part_norms(centroid), part_norms(vec)
    base: dict[int, float] = {}
    for m in members:
        words, names = halves(m.vector)
        base[m.article_id] = 0.5 * blend(words, names, centroid, c_norms, w) + 0.5 * blend(
            words, names, vec, v_norms, w
        )
    shown: dict[str, int] = {}
    if own_source:
        shown[own_source] = 1
    left = list(members)
    out: list[tuple[StoryMember, float]] = []
    while left and len(out) < limit:
        best = max(
            left,
            key=lambda m: (base[m.article_id] - diversity * shown.get(m.source or "", 0), -m.article_id),
        )
        left.remove(best)
        out.append((best, round(base[best.article_id], 4)))
        if best.source:
            shown[best.source] = shown.get(best.source, 0) + 1
    return out


def nearest(
    book: StoryBook,
    member: StoryMember,
    *,
    exclude: int,
    limit: int,
    stories: int = 5,
    params: Params = DEFAULT,
) -> list[tuple[StoryMember, float]]:
    """The articles of other open stories nearest to ``member``: candidate stories come from the
    index (its top terms), and only their members are compared. Those under
    ``params.related_floor`` are left out: an unrelated article is not "related coverage" just
    because nothing closer exists."""
    if limit <= 0:
        return []
    found: list[tuple[StoryMember, float]] = []
    keys = top(member.vector, params.query_terms)
    for sketch in book.story_candidates(keys, limit=stories + 1):
        if sketch.id == exclude:
            continue
        for m in book.story_members(sketch.id):
            found.append((m, round(similarity(member.vector, m.vector, params.anchor_weight), 4)))
    found.sort(key=lambda x: (-x[1], x[0].article_id))
    return [f for f in found if f[1] >= params.related_floor and f[1] > 0][:limit]
