"""Provenance: which articles copy which, of what kind, and which one is the original.

Plain functions over records; the store keeps fingerprints and the LSH index, the Desk drives.

Three fingerprints, computed once per article:

* ``exact`` — a hash of the text with case, punctuation and spacing normalised: identical copies.
* ``text_keys`` — MinHash over 5-word shingles, cut into LSH bands: near-duplicates (small edits,
  other boilerplate, truncation) share at least one band with high probability.
* ``anchor_keys`` — MinHash over trigrams of the article's *anchors* (numbers and proper names, in
  order of appearance): what survives when a spinner rewords every other word. Independent reports
  of one event share anchors too, so a candidate found this way must pass sentence alignment — a
  copy follows its original sentence by sentence, an independent report does not.

The MinHash is our own vectorised one (numpy, multiply-shift hashing over CRC32 token ids): stable
across processes, so keys can be stored, and ~20x faster than hashing each shingle in Python.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from ._text import CONTINUOUS_CHAR, word_count
from .model import Article, CopyEdge, CopyKind, IndexKeys

# -- tuning (pinned by the provenance evaluation; change only with its figures) -------------------

SHINGLE = 5
TEXT_PERMS, TEXT_ROWS = 126, 3  # 42 bands of 3 rows: P(candidate | J=0.5) ~ 0.996
ANCHOR_PERMS, ANCHOR_ROWS = 32, 2  # 16 bands of 2 rows: P(candidate | J=0.25) ~ 0.65, J=0.4 ~ 0.93
NEAR_CONTAINMENT = 0.6  # share of the shorter text's shingles found in the other
ALIGN_SIMILARITY = 0.22  # word-set Jaccard for two sentences to be "the same sentence reworded"
ALIGN_SHARE = 0.7  # share of sentences aligned, in order, both ways, to call it a rewrite
MIN_REWRITE_SENTENCES = 4  # sentences aligned, in order, both ways: fewer is too little to tell a rewrite
REWRITE_RESEMBLANCE = 0.3  # mean sentence resemblance (see compare) a rewrite keeps
MIN_WORDS = 40  # shorter texts are too small to call copies
CLOCK_SKEW = 3 * 3600  # seconds within which publication times are too close to order copies
TRUNCATION = 0.1  # a text this much shorter than another in its group counts as cut down

#: Version of the LSH keys (MinHash, bands, key folding). The store remembers the scheme its keys were
#: made with; when it differs, old keys no longer match new ones and ``Desk.retrace`` rebuilds them.
#: 1: blake2b band keys, 32 anchor bands. 2: numpy-folded band keys, 16 anchor bands.
FINGERPRINT_SCHEME = 2

#: A word, or one character of a script written without spaces (Chinese, Japanese, Thai, ...):
#: there a run of characters is a clause, not a word, and copies are found by character shingles,
#: as near-duplicate detection for those languages does. Text without such characters tokenises
#: as plain ``\w+``.
_WORD = re.compile(f"{CONTINUOUS_CHAR.pattern}|(?:(?!{CONTINUOUS_CHAR.pattern})\\w)+")
#: A sentence ends at terminal punctuation of any script (Latin, Arabic, Urdu, Devanagari, Ethiopic
#: and, with no space after, CJK full-width marks), with any closing quotes; group 1 ends the sentence.
_SENTENCE_END_AT = re.compile(r"((?<=[.!?…؟۔।॥።፧])[\"'”’)»]*)\s+|((?<=[。！？])[」』”’）]*)\s*")
_OPENING = "\"'“‘(«「『"
#: A figure as a person reads it in the evidence: a time of day stays whole ("08:12", not "08" and
#: "12"), as do decimals and thousands ("3.5", "1,400").
_FIGURE = re.compile(r"\b(?:\d{1,2}:\d{2}(?::\d{2})?|\d[\d.,]*\d|\d)\b")
_QUOTE = re.compile(r"[\"“]([^\"”]{12,400})[\"”]")
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we you i his her their our your my me him them us not no so than
    then there here which who whom whose what when where why how all any each few more most other some
    such only own same too very can will just should would could may might must shall do does did done
    has have had having about above after again against below between both during into through under
    until up down out off over once also said says""".split()
)


_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)
_EMPTY = np.zeros(0, dtype=np.uint64)


def normalise(text: str) -> str:
    """Case, punctuation and spacing folded away: what "identical" compares."""
    return " ".join(_WORD.findall(text.lower()))


def _token_ids(tokens: Sequence[str]) -> np.ndarray:
    """CRC32 of each token's UTF-8 (hashing repeats is cheaper than a dictionary to skip them)."""
    return np.array(list(map(zlib.crc32, map(str.encode, tokens))), dtype=np.uint64)


def _shingle_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of every run of k token ids (a polynomial over the ids, wrapping mod 2**64).

    Repeated shingles repeat their hash: MinHash keeps minima, so duplicates change nothing, and
    skipping the sort of ``np.unique`` is a tenth of the fingerprint's time.
    """
    if len(ids) < k:
        return _EMPTY if len(ids) == 0 else _mix(ids[None, :].sum(axis=1))
    with np.errstate(over="ignore"):
        h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + ids[j : len(ids) - k + 1 + j]
    return _mix(h)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads structured polynomial hashes over all 64 bits."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        out: np.ndarray = h ^ (h >> np.uint64(31))
    return out


def _minhash(hashes: np.ndarray, bins: int) -> np.ndarray:
    """One-permutation MinHash with rotation densification (Shrivastava 2017).

    Each shingle hash falls in one of ``bins`` bins and each bin keeps its minimum: O(n) work instead
    of O(n * bins) for classic MinHash, with the same collision probability (Jaccard) per bin.
    Empty bins borrow from the next non-empty bin, offset by the distance, so short texts do not
    all collide on "empty".
    """
    sig = np.full(bins, _MAX, dtype=np.uint64)
    if len(hashes) == 0:
        return sig
    slot = (hashes % np.uint64(bins)).astype(np.intp)
    np.minimum.at(sig, slot, hashes // np.uint64(bins))
    empty = sig == _MAX
    if empty.any():
        filled = np.flatnonzero(~empty)
        positions = np.arange(bins)
        # index of the next filled bin, cyclically
        nxt = np.searchsorted(filled, positions) % len(filled)
        donor = filled[nxt]
        distance = (donor - positions) % bins
        with np.errstate(over="ignore"):
            sig = np.where(
                empty, sig[donor] + distance.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15), sig
            )
    return sig


def _band_seeds(bands: int, salt: int) -> np.ndarray:
    seeds = np.arange(bands, dtype=np.uint64) + np.uint64(salt << 16)
    with np.errstate(over="ignore"):
        return _mix(seeds * np.uint64(0x9E3779B97F4A7C15))


#: The seeds of the text and anchor bands, computed once (constants; never changed).
_BAND_SEEDS = {
    (TEXT_PERMS // TEXT_ROWS, 1): _band_seeds(TEXT_PERMS // TEXT_ROWS, 1),
    (ANCHOR_PERMS // ANCHOR_ROWS, 2): _band_seeds(ANCHOR_PERMS // ANCHOR_ROWS, 2),
}


def _band_keys(signature: np.ndarray, rows: int, salt: int) -> list[int]:
    """One signed 64-bit key per band (SQLite integers are signed 64-bit).

    Each band's rows are folded into a per-band, per-kind seed with the splitmix64 finaliser: plain
    uint64 arithmetic, so a key is the same in every process and on every platform (no ``hash()``).
    Changing this function changes every stored key: bump ``FINGERPRINT_SCHEME``.
    """
    bands = len(signature) // rows
    grid = signature[: bands * rows].reshape(bands, rows)
    h = _BAND_SEEDS.get((bands, salt))
    if h is None:
        h = _band_seeds(bands, salt)
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = _mix(h ^ grid[:, r])
    keys: list[int] = h.view(np.int64).tolist()
    return keys


# (the lookahead only lets the regex engine skip to candidate starts: a fifth faster, same matches)
_ANCHOR_CANDIDATE = re.compile(r"(?=[A-Z\d])\b(?:\d[\d.,]*\d|\d|[A-Z][\w\-]*\w)\b")
_SENTENCE_END = frozenset('.!?\n"“”')


def figures_of(text: str) -> list[str]:
    """The figures of a text, each once, in order, as evidence shows them: numbers without
    thousands separators ("40,000" and "40000" are one figure, as in ``anchors``), a time of day
    whole ("08:12", which the anchors split in two)."""
    return list(dict.fromkeys(x if ":" in x else x.replace(",", "") for x in _FIGURE.findall(text)))


def anchors(text: str) -> list[str]:
    """Numbers and proper names in order: the facts a rewording keeps.

    A capitalised word counts when it does not start a sentence (sentence-initial capitals are
    grammar, not names); numbers are normalised ("40,000" and "40000" are one anchor).
    """
    out: list[str] = []
    for m in _ANCHOR_CANDIDATE.finditer(text):
        w = m.group()
        if w[0].isdigit():
            out.append(w.replace(",", ""))
            continue
        i = m.start() - 1
        while i >= 0 and text[i] in " \t'‘(":
            i -= 1
        if i < 0 or text[i] in _SENTENCE_END:
            continue  # sentence-initial
        low = w.lower()
        if low not in _STOP:
            out.append(low)
    return out


@dataclass(frozen=True, slots=True)
class Fingerprint:
    exact: str
    text_keys: tuple[int, ...]
    anchor_keys: tuple[int, ...]
    words: int

    @property
    def index(self) -> IndexKeys:
        """What the store keeps of it."""
        return IndexKeys(self.exact, self.words, (*self.text_keys, *self.anchor_keys))


def fingerprint(text: str) -> Fingerprint:
    tokens = _WORD.findall(text.lower())
    norm = " ".join(tokens)
    text_keys: tuple[int, ...] = ()
    if tokens:
        text_sig = _minhash(_shingle_hashes(_token_ids(tokens), SHINGLE), TEXT_PERMS)
        text_keys = tuple(_band_keys(text_sig, TEXT_ROWS, 1))
    anchor_tokens = anchors(text)
    anchor_keys: tuple[int, ...] = ()
    if len(anchor_tokens) >= 6:
        anchor_sig = _minhash(_shingle_hashes(_token_ids(anchor_tokens), 3), ANCHOR_PERMS)
        anchor_keys = tuple(_band_keys(anchor_sig, ANCHOR_ROWS, 2))
    exact = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    return Fingerprint(exact=exact, text_keys=text_keys, anchor_keys=anchor_keys, words=len(tokens))


# -- verification: exact measures on the two texts -----------------------------------------------


def _shingle_set(text: str) -> set[int]:
    return set(_shingle_hashes(_token_ids(normalise(text).split()), SHINGLE).tolist())


def _split_sentences(para: str) -> list[str]:
    """Split at terminal punctuation unless a lowercase letter follows ("e.g. the", "U.S. officials"):
    scripts without case (Arabic, Devanagari, CJK) split at every sentence mark."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END_AT.finditer(para):
        nxt = m.end()
        if nxt < len(para) and para[nxt] in _OPENING:
            nxt += 1
        if nxt >= len(para) or para[nxt].islower():
            continue
        out.append(para[start : m.end(1) if m.group(1) is not None else m.end(2)])
        start = m.end()
    out.append(para[start:])
    return out


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(s.strip() for s in _split_sentences(para) if len(s.split()) >= 4)
    return out


def _content_words(sentence: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(sentence.lower()) if w not in _STOP)


def _longest_increasing(seq: list[int]) -> int:
    import bisect

    tails: list[int] = []
    for x in seq:
        i = bisect.bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


@dataclass(frozen=True, slots=True)
class Similarity:
    """How two texts relate, with the evidence a person can check."""

    identical: bool
    containment: float  # share of the shorter text's shingles inside the longer one
    aligned: float  # share of sentences matched, in order, in the other (the lower of both ways)
    resemblance: float  # mean best word-set Jaccard of a sentence with the other's (lower way)
    shared_sentences: tuple[str, ...]
    shared_figures: tuple[str, ...]
    shared_quotes: tuple[str, ...]
    aligned_sentences: int = 0  # how many sentences that is (the lower of both ways)

    @property
    def kind(self) -> CopyKind | None:
        """What the texts alone say (never SYNDICATED: that takes a declared link)."""
        if self.identical:
            return CopyKind.IDENTICAL
        if self.containment >= NEAR_CONTAINMENT:
            return CopyKind.NEAR
        if (
            self.aligned >= ALIGN_SHARE
            and self.resemblance >= REWRITE_RESEMBLANCE
            and self.aligned_sentences >= MIN_REWRITE_SENTENCES
        ):
            return CopyKind.REWRITTEN
        return None

    @property
    def score(self) -> float:
        if self.identical:
            return 1.0
        return round(max(self.containment, self.aligned), 3)


def _align(
    sent_a: list[str], words_a: list[frozenset[str]], words_b: list[frozenset[str]]
) -> tuple[int, float, float, list[str]]:
    """How well ``sent_a`` follows b sentence by sentence (``words_a``, ``words_b``: each sentence's
    content words, computed once by the caller for both directions).

    Returns (how many of a's sentences are matched, in order, at ALIGN_SIMILARITY or better; their
    share; mean best word-set Jaccard of a's sentences; a's sentences that are near-verbatim in b).
    """
    # Only b's sentences that share a word with a's can score above 0, so an index of b's words
    # finds them: comparing every pair of sentences was most of the time spent tracing copies.
    sizes_b: list[int] = []
    postings: dict[str, list[int]] = {}
    for j, wb in enumerate(words_b):
        sizes_b.append(len(wb))
        for w in wb:
            postings.setdefault(w, []).append(j)
    matches: list[int] = []
    sims: list[float] = []
    shared: list[str] = []
    for s, wa in zip(sent_a, words_a, strict=True):
        if len(wa) < 3:
            continue
        common = Counter(chain.from_iterable(postings[w] for w in wa if w in postings))
        best, best_j = 0.0, -1
        for j in sorted(common):  # in b's order, so ties go to the earliest sentence as before
            n = common[j]
            sim = n / (len(wa) + sizes_b[j] - n)
            if sim > best:
                best, best_j = sim, j
        sims.append(best)
        if best >= ALIGN_SIMILARITY:
            matches.append(best_j)
            if best >= 0.8 and len(shared) < 5:
                shared.append(s)
    if not sims:
        return 0, 0.0, 0.0, []
    in_order = _longest_increasing(matches)
    return in_order, in_order / len(sims), sum(sims) / len(sims), shared


def compare(a: str, b: str) -> Similarity:
    """Measure two texts exactly (after the index proposed them).

    A rewrite follows its original sentence by sentence *in both directions*: an independent report
    of the same event may paraphrase the wire's sentences one by one for a while, but it also says
    things the other does not, and its sentences resemble the other's less (measured here: mean best
    word-set Jaccard of 0.55-0.67 for the sample corpus's spun copies against at most 0.38 for its
    independent reports of one event).
    """
    if normalise(a) == normalise(b):
        figs = tuple(figures_of(a))[:10]
        return Similarity(True, 1.0, 1.0, 1.0, (), figs, tuple(_QUOTE.findall(a))[:5])
    return _measure(a, b)


#: At most this many lines at each end of a text can be a site's frame (header, footer, legal notice).
FRAME_LINES = 3
#: A line is frame when this many other articles of the same source carry it too.
FRAME_ARTICLES = 2

#: Whether a line is part of a source's frame: (line, source) -> bool (the Desk asks its store).
FrameTest = Callable[[str, str], bool]


def shared_frame(a: str, b: str) -> tuple[list[str], str, str] | None:
    """The lines two texts share word for word at the head and at the foot, when few enough to be a
    frame (at most ``FRAME_LINES`` at each end), and the two texts without them; else None."""
    la = [line for line in a.split("\n") if line.strip()]
    lb = [line for line in b.split("\n") if line.strip()]
    na, nb = [normalise(x) for x in la], [normalise(x) for x in lb]
    n = min(len(na), len(nb))
    lead = 0
    while lead < n and na[lead] == nb[lead]:
        lead += 1
    trail = 0
    while trail < n - lead and na[-1 - trail] == nb[-1 - trail]:
        trail += 1
    if not (lead or trail) or lead > FRAME_LINES or trail > FRAME_LINES:
        return None
    shared = la[:lead] + la[len(la) - trail :]
    return shared, "\n".join(la[lead : len(la) - trail]), "\n".join(lb[lead : len(lb) - trail])


def _measure(a: str, b: str) -> Similarity:
    sa, sb = _shingle_set(a), _shingle_set(b)
    small = min(len(sa), len(sb)) or 1
    containment = len(sa & sb) / small
    sent_a, sent_b = sentences(a), sentences(b)
    words_a, words_b = [_content_words(s) for s in sent_a], [_content_words(s) for s in sent_b]
    n_ab, aligned_ab, resemblance_ab, shared = _align(sent_a, words_a, words_b)
    n_ba, aligned_ba, resemblance_ba, _ = _align(sent_b, words_b, words_a)
    figures_a = set(figures_of(a))
    figures = tuple(x for x in figures_of(b) if x in figures_a)[:10]
    quotes_b = {normalise(q) for q in _QUOTE.findall(b)}
    quotes = tuple(q for q in _QUOTE.findall(a) if normalise(q) in quotes_b)[:5]
    return Similarity(
        False,
        round(containment, 3),
        round(min(aligned_ab, aligned_ba), 3),
        round(min(resemblance_ab, resemblance_ba), 3),
        tuple(shared),
        figures,
        quotes,
        min(n_ab, n_ba),
    )


# -- election of the original ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """What election needs to know of one article in a copy group."""

    id: int
    url: str
    source: str | None
    published: datetime | None
    declared: frozenset[str] = frozenset()  # URLs it declares as its source
    credits: frozenset[str] = frozenset()  # source names it credits in its text ("(Pressline)")
    words: int = 0
    #: Every name its publisher goes by (source, site name, domain): what others' credits match.
    names: frozenset[str] = frozenset()
    #: The text provenance compares (``body``): tells a truncated teaser from an expanded copy.
    text: str = ""


@dataclass(frozen=True, slots=True)
class Election:
    original: int
    reasons: dict[int, str] = field(default_factory=dict)


_CREDIT = re.compile(r"\(([A-Z][\w&.\- ]{1,30})\)|\b(?:via|source|credit|by)\s*:?\s+([A-Z][\w&.\-]{1,30})")


def credits(text: str) -> frozenset[str]:
    """Names a text credits: the "(AP)" of a wire dateline, "Source: Reuters"."""
    head = text[:600] + " " + text[-400:]
    out: set[str] = set()
    for m in _CREDIT.finditer(head):
        name = (m.group(1) or m.group(2) or "").strip().lower()
        if name:
            out.add(name)
    return frozenset(out)


def elect(members: Iterable[Member]) -> Election:
    """Pick the original of a copy group: declared links first, then credits, then time.

    * an article others declare as their source (by URL) is the original;
    * else one whose source others credit in their text (a wire agency's dateline);
    * else the earliest published, with ties (and missing dates) broken by the longest text — a
      copy trims more often than it adds.
    """
    group = list(members)
    by_url = {m.url: m for m in group}
    declared_count = {m.id: 0 for m in group}
    credited_count = {m.id: 0 for m in group}
    for m in group:
        for url in m.declared:
            if url in by_url and by_url[url].id != m.id:
                declared_count[by_url[url].id] += 1
        for other in group:
            if other.id != m.id and (other.names | {(other.source or "").lower()}) & m.credits:
                credited_count[other.id] += 1

    def rank(m: Member) -> tuple[int, int, float, int]:
        when = m.published.timestamp() if m.published else float("inf")
        return (-declared_count[m.id], -credited_count[m.id], when, -m.words)

    best = min(group, key=rank)
    if declared_count[best.id]:
        why = f"declared as source by {declared_count[best.id]} other(s)"
    elif credited_count[best.id]:
        why = f"credited by {credited_count[best.id]} other(s)"
    else:
        why = "earliest published" if best.published else "longest text (no dates)"
        fuller = _fuller_near_in_time(best, group)
        if fuller is not None:
            best, why = fuller, "fuller text that the earliest (within the clock-skew window) is cut from"
    return Election(original=best.id, reasons={best.id: why})


def _fuller_near_in_time(earliest: Member, group: list[Member]) -> Member | None:
    """A member published within CLOCK_SKEW of the earliest whose text the earliest's is cut from.

    Feeds run late and clocks drift, so a truncated copy (a teaser) can carry an earlier time than
    the full text it was cut from; when the times are too close to trust, the full text wins. Only
    then: an outlet that adds paragraphs of its own to a copy makes a fuller text too, and that one
    must not win (see ``truncation_of``).
    """
    if earliest.published is None:
        return None
    close = [
        m
        for m in group
        if m.published is not None and abs((m.published - earliest.published).total_seconds()) <= CLOCK_SKEW
    ]
    for fuller in sorted(close, key=lambda m: (-m.words, m.id)):
        if fuller.id == earliest.id or earliest.words >= (1 - TRUNCATION) * fuller.words:
            break
        if truncation_of(earliest.text, fuller.text):
            return fuller
    return None


PREFIX_SHARE = 0.9  # share of a teaser's words that run, from the start, as in the full text
CONTINUATION = 0.25  # share of what a full text adds after the cut that its teaser already names
_TEASER_END = re.compile(r"(?:\.\.\.|…|\[…\]|read more|continue reading|full story)\W*$", re.IGNORECASE)


def truncation_of(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` cut short, as a feed's teaser is.

    The full text starts with the short one (``PREFIX_SHARE`` of its words in order from the first,
    so a "Read more" tail is allowed). Then either the short text ends as a teaser does ("…",
    "Read more", "Continue reading"), or what the full text adds continues the same story: at least
    ``CONTINUATION`` of the names and figures after the cut, or of its distinct content words,
    already occur before it. Paragraphs an outlet adds at the end of a copy (other stories, notes of
    its own) speak of other things: on the Wikinews stress set 81 % of (unmarked) truncations pass
    and 8 % of such expansions.
    """
    a, b = normalise(short).split(), normalise(full).split()
    if not a or len(a) >= len(b):
        return False
    same = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        same += 1
    if same < PREFIX_SHARE * len(a):
        return False
    if _TEASER_END.search(short[-40:]):
        return True
    before = anchors(short)
    added = anchors(full)[len(before) :]
    if not added or sum(x in set(before) for x in added) >= CONTINUATION * len(added):
        return True
    seen = set(a) - _STOP
    rest = set(b[len(a) :]) - _STOP
    return len(rest & seen) >= CONTINUATION * len(rest)


def declared_urls(article: Article) -> frozenset[str]:
    return frozenset(s.url for s in article.source_links)


def _names_of(article: Article) -> frozenset[str]:
    names = {n.lower() for n in (article.source, article.site_name) if n}
    host = urlsplit(article.canonical_url).hostname or ""
    parts = host.removeprefix("www.").split(".")
    if len(parts) >= 2:
        names.add(parts[-2])
    return frozenset(names)


def body(article: Article) -> str:
    """The text provenance compares: without the standfirst, which outlets write for themselves even
    when they copy the story below it."""
    if not article.description:
        return article.text
    dek = normalise(article.description)
    return "\n".join(line for line in article.text.split("\n") if normalise(line) != dek)


def _byline_credits(byline: str | None) -> frozenset[str]:
    """A byline naming an agency ("Pressline", "Staff and Pressline") credits it."""
    if not byline:
        return frozenset()
    parts = re.split(r",|;|\band\b|\bwith\b|/", byline, flags=re.IGNORECASE)
    return frozenset(p.strip().lower() for p in parts if p.strip())


def declares(a: Article, b: Article) -> bool:
    """Whether ``a`` names ``b`` as its source (canonical link, "Source link", "Originally at")."""
    urls = declared_urls(a)
    return b.canonical_url in urls or b.url in urls


def member(article_id: int, article: Article) -> Member:
    text = body(article)
    return Member(
        id=article_id,
        url=article.canonical_url,
        source=article.source or article.site_name,
        published=article.published,
        declared=declared_urls(article),
        credits=credits(article.text) | _byline_credits(article.byline),
        words=word_count(text),
        names=_names_of(article),
        text=text,
    )


def related(a: Article, b: Article, frame: FrameTest | None = None) -> Similarity | None:
    """The similarity of two articles when one copies the other, else None.

    A declared link lowers the bar (a syndicated copy may be trimmed hard), but a link alone is not a
    copy: the texts must still share a good part of their sentences.

    Pages that share only their site's frame (the same header, footer or legal notice: lines that
    ``frame`` says other articles of either's source carry too) are not copies: when the texts are a copy
    only with their shared head and foot lines, and those are frame, the verdict is on the rest.
    """
    text_a, text_b = body(a), body(b)
    if min(word_count(text_a), word_count(text_b)) < MIN_WORDS:
        return None
    sim = compare(text_a, text_b)
    if sim.kind is not None and not sim.identical and frame is not None:
        sources = {x for x in (a.source or a.site_name, b.source or b.site_name) if x}
        sim = _without_frame(sim, text_a, text_b, sources, frame)
    if sim.kind is not None:
        return sim
    if (declares(a, b) or declares(b, a)) and max(sim.containment, sim.aligned) >= 0.3:
        return sim
    return None


def _without_frame(sim: Similarity, a: str, b: str, sources: set[str], frame: FrameTest) -> Similarity:
    found = shared_frame(a, b)
    if found is None:
        return sim
    lines, inner_a, inner_b = found
    short = min(word_count(inner_a), word_count(inner_b)) < MIN_WORDS
    inside = None if short else compare(inner_a, inner_b)
    if inside is not None and inside.kind is not None:
        return sim  # a copy without its head and foot too
    if not all(any(frame(line, s) for s in sorted(sources)) for line in lines):
        return sim  # the shared lines are the story's own
    return inside or Similarity(False, 0.0, 0.0, 0.0, (), (), ())


def kind_of(sim: Similarity, declared: bool) -> CopyKind:
    """Identical / near / rewritten by the text; a declared link makes a close copy syndicated."""
    if declared and sim.kind is not CopyKind.REWRITTEN:
        return CopyKind.SYNDICATED
    if sim.kind is not None:
        return sim.kind
    return CopyKind.SYNDICATED if declared else CopyKind.NEAR


def _minutes(delta_seconds: float) -> str:
    minutes = abs(delta_seconds) / 60
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


def evidence(copy: Article, original: Article, sim: Similarity, election_reason: str) -> dict[str, Any]:
    """What a person can check: the declared link, the time order, shared sentences, figures, quotes."""
    declared = next(
        (s.url for s in copy.source_links if s.url in (original.canonical_url, original.url)), None
    )
    if copy.published and original.published:
        delta = (copy.published - original.published).total_seconds()
        if delta >= 0:
            order = f"copy published {_minutes(delta)} after the original"
        else:
            order = (
                f"copy published {_minutes(delta)} BEFORE the original (a late feed or clock skew); "
                f"original elected by: {election_reason}"
            )
    else:
        order = "publication time unknown for one of the two"
    return {
        "declared_link": declared,
        "credits": sorted((credits(copy.text) | _byline_credits(copy.byline)) & _names_of(original)),
        "time_order": order,
        "election": election_reason,
        "containment": sim.containment,
        "aligned_sentences": sim.aligned,
        "resemblance": sim.resemblance,
        "shared_sentences": list(sim.shared_sentences),
        "shared_figures": list(sim.shared_figures),
        "shared_quotes": list(sim.shared_quotes),
    }


def group_edges(
    articles: dict[int, Article], sims: dict[tuple[int, int], Similarity], decided: datetime
) -> tuple[int, list[CopyEdge]]:
    """Elect the group's original and draw an edge from every other member to it.

    ``sims`` holds the similarities already measured (either order of ids); a member never compared
    with the original is compared now. A member can belong to the group through another member only
    (a copy of a copy, trimmed or reworded again): its edge still points at the original, but its
    kind, score and evidence are those of the member it does match, named in ``matched_via``.
    """
    election = elect(member(i, a) for i, a in articles.items())
    orig_id = election.original
    original = articles[orig_id]
    reason = election.reasons[orig_id]

    def measured(i: int, j: int) -> Similarity | None:
        return sims.get((i, j)) or sims.get((j, i))

    edges = []
    for i, a in sorted(articles.items()):
        if i == orig_id:
            continue
        sim = measured(i, orig_id) or compare(body(a), body(original))
        declared = declares(a, original)
        via = None
        if sim.kind is None and not declared:
            via = _matched_member(i, articles, orig_id, measured)
        if via is None:
            kind = kind_of(sim, declared)
            ev = evidence(a, original, sim, reason)
        else:
            via_id, sim = via
            kind = kind_of(sim, declares(a, articles[via_id]) or declares(articles[via_id], a))
            ev = evidence(a, original, sim, reason)
            ev["matched_via"] = {
                "id": via_id,
                "url": articles[via_id].canonical_url,
                "why": "too far from the original to compare; kind, score and shared text are against "
                "this member of the group",
            }
        edges.append(CopyEdge(i, orig_id, kind, sim.score, ev, decided))
    return orig_id, edges


#: Most members compared when looking for the one a member of a group matches (bounds the cost).
_VIA_COMPARISONS = 8


def _matched_member(
    i: int,
    articles: dict[int, Article],
    orig_id: int,
    measured: Callable[[int, int], Similarity | None],
) -> tuple[int, Similarity] | None:
    """The member (not the original) that member ``i`` is most like, among those it is related to."""
    best: tuple[int, Similarity] | None = None
    unmeasured = []
    for j in sorted(articles):
        if j in (i, orig_id):
            continue
        sim = measured(i, j)
        if sim is None:
            unmeasured.append(j)
        elif sim.kind is not None and (best is None or sim.score > best[1].score):
            best = (j, sim)
    if best is not None:
        return best
    for j in unmeasured[:_VIA_COMPARISONS]:
        found = related(articles[i], articles[j])
        if found is not None and (best is None or found.score > best[1].score):
            best = (j, found)
    return best
