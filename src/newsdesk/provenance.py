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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .model import Article, CopyEdge, CopyKind, IndexKeys

# -- tuning (pinned by the provenance evaluation; change only with its figures) -------------------

SHINGLE = 5
TEXT_PERMS, TEXT_ROWS = 126, 3  # 42 bands of 3 rows: P(candidate | J=0.5) ~ 0.996
ANCHOR_PERMS, ANCHOR_ROWS = 64, 2  # 32 bands of 2 rows: P(candidate | J=0.25) ~ 0.88
NEAR_CONTAINMENT = 0.6  # share of the shorter text's shingles found in the other
ALIGN_SIMILARITY = 0.22  # word-set Jaccard for two sentences to be "the same sentence reworded"
ALIGN_SHARE = 0.7  # share of sentences aligned, in order, both ways, to call it a rewrite
REWRITE_RESEMBLANCE = 0.3  # mean sentence resemblance (see compare) a rewrite keeps
MIN_WORDS = 40  # shorter texts are too small to call copies
CLOCK_SKEW = 3 * 3600  # seconds within which publication times are too close to order copies
TRUNCATION = 0.1  # a text this much shorter than another in its group counts as cut down

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_NUMBER = re.compile(r"^\d[\d.,]*$")
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
    ids = {t: zlib.crc32(t.encode("utf-8")) for t in set(tokens)}
    return np.fromiter((ids[t] for t in tokens), dtype=np.uint64, count=len(tokens))


def _shingle_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of every run of k token ids (a polynomial over the ids, wrapping mod 2**64)."""
    if len(ids) < k:
        return _EMPTY if len(ids) == 0 else np.unique(_mix(ids[None, :].sum(axis=1)))
    with np.errstate(over="ignore"):
        h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + ids[j : len(ids) - k + 1 + j]
    return np.unique(_mix(h))


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


def _band_keys(signature: np.ndarray, rows: int, salt: int) -> list[int]:
    """One signed 63-bit key per band (SQLite integers are signed 64-bit)."""
    keys = []
    for i in range(len(signature) // rows):
        band = signature[i * rows : (i + 1) * rows].tobytes()
        digest = hashlib.blake2b(band, digest_size=8, salt=salt.to_bytes(2, "little") + bytes([i])).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


_ANCHOR_CANDIDATE = re.compile(r"\b(?:\d[\d.,]*\d|\d|[A-Z][\w\-]*\w)\b")
_SENTENCE_END = frozenset('.!?\n"“”')


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
    norm = normalise(text)
    tokens = norm.split()
    text_sig = _minhash(_shingle_hashes(_token_ids(tokens), SHINGLE), TEXT_PERMS)
    anchor_tokens = anchors(text)
    anchor_keys: tuple[int, ...] = ()
    if len(anchor_tokens) >= 6:
        anchor_sig = _minhash(_shingle_hashes(_token_ids(anchor_tokens), 3), ANCHOR_PERMS)
        anchor_keys = tuple(_band_keys(anchor_sig, ANCHOR_ROWS, 2))
    text_keys = tuple(_band_keys(text_sig, TEXT_ROWS, 1)) if tokens else ()
    exact = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    return Fingerprint(exact=exact, text_keys=text_keys, anchor_keys=anchor_keys, words=len(tokens))


# -- verification: exact measures on the two texts -----------------------------------------------


def _shingle_set(text: str) -> set[int]:
    return set(_shingle_hashes(_token_ids(normalise(text).split()), SHINGLE).tolist())


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(s.strip() for s in _SENTENCE.split(para) if len(s.split()) >= 4)
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

    @property
    def kind(self) -> str | None:
        if self.identical:
            return "identical"
        if self.containment >= NEAR_CONTAINMENT:
            return "near"
        if self.aligned >= ALIGN_SHARE and self.resemblance >= REWRITE_RESEMBLANCE:
            return "rewritten"
        return None

    @property
    def score(self) -> float:
        if self.identical:
            return 1.0
        return round(max(self.containment, self.aligned), 3)


def _align(sent_a: list[str], sent_b: list[str]) -> tuple[float, float, list[str]]:
    """How well ``sent_a`` follows ``sent_b`` sentence by sentence.

    Returns (share of a's sentences matched, in order, at ALIGN_SIMILARITY or better; mean best
    word-set Jaccard of a's sentences; a's sentences that are near-verbatim in b).
    """
    words_b = [_content_words(s) for s in sent_b]
    matches: list[int] = []
    sims: list[float] = []
    shared: list[str] = []
    for s in sent_a:
        wa = _content_words(s)
        if len(wa) < 3:
            continue
        best, best_j = 0.0, -1
        for j, wb in enumerate(words_b):
            union = len(wa | wb)
            sim = len(wa & wb) / union if union else 0.0
            if sim > best:
                best, best_j = sim, j
        sims.append(best)
        if best >= ALIGN_SIMILARITY:
            matches.append(best_j)
            if best >= 0.8 and len(shared) < 5:
                shared.append(s)
    if not sims:
        return 0.0, 0.0, []
    return _longest_increasing(matches) / len(sims), sum(sims) / len(sims), shared


def compare(a: str, b: str) -> Similarity:
    """Measure two texts exactly (after the index proposed them).

    A rewrite follows its original sentence by sentence *in both directions*: an independent report
    of the same event may paraphrase the wire's sentences one by one for a while, but it also says
    things the other does not, and its sentences resemble the other's less (measured here: mean best
    word-set Jaccard of 0.55-0.67 for the sample corpus's spun copies against at most 0.38 for its
    independent reports of one event).
    """
    if normalise(a) == normalise(b):
        figs = tuple(dict.fromkeys(x for x in anchors(a) if _NUMBER.match(x)))[:10]
        return Similarity(True, 1.0, 1.0, 1.0, (), figs, tuple(_QUOTE.findall(a))[:5])
    sa, sb = _shingle_set(a), _shingle_set(b)
    small = min(len(sa), len(sb)) or 1
    containment = len(sa & sb) / small
    sent_a, sent_b = sentences(a), sentences(b)
    aligned_ab, resemblance_ab, shared = _align(sent_a, sent_b)
    aligned_ba, resemblance_ba, _ = _align(sent_b, sent_a)
    figures_a = {x for x in anchors(a) if _NUMBER.match(x)}
    figures = tuple(x for x in dict.fromkeys(anchors(b)) if x in figures_a)[:10]
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
            best, why = fuller, "fuller text published within the clock-skew window of the earliest"
    return Election(original=best.id, reasons={best.id: why})


def _fuller_near_in_time(earliest: Member, group: list[Member]) -> Member | None:
    """A member published within CLOCK_SKEW of the earliest whose text is clearly longer.

    Feeds run late and clocks drift, so a copy can carry an earlier time than its original; with no
    declared link or credit to go by, a copy trims far more often than it adds, so the fuller text
    wins when the times are too close to trust.
    """
    if earliest.published is None:
        return None
    close = [
        m
        for m in group
        if m.published is not None and abs((m.published - earliest.published).total_seconds()) <= CLOCK_SKEW
    ]
    fullest = max(close, key=lambda m: (m.words, -m.id))
    if fullest.id != earliest.id and earliest.words < (1 - TRUNCATION) * fullest.words:
        return fullest
    return None


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
    return Member(
        id=article_id,
        url=article.canonical_url,
        source=article.source or article.site_name,
        published=article.published,
        declared=declared_urls(article),
        credits=credits(article.text) | _byline_credits(article.byline),
        words=len(body(article).split()),
        names=_names_of(article),
    )


def related(a: Article, b: Article) -> Similarity | None:
    """The similarity of two articles when one copies the other, else None.

    A declared link lowers the bar (a syndicated copy may be trimmed hard), but a link alone is not a
    copy: the texts must still share a good part of their sentences.
    """
    text_a, text_b = body(a), body(b)
    if min(len(text_a.split()), len(text_b.split())) < MIN_WORDS:
        return None
    sim = compare(text_a, text_b)
    if sim.kind is not None:
        return sim
    if (declares(a, b) or declares(b, a)) and max(sim.containment, sim.aligned) >= 0.3:
        return sim
    return None


def kind_of(sim: Similarity, declared: bool) -> CopyKind:
    """Identical / near / rewritten by the text; a declared link makes a close copy syndicated."""
    if declared and sim.kind != "rewritten":
        return CopyKind.SYNDICATED
    if sim.kind == "identical":
        return CopyKind.IDENTICAL
    if sim.kind == "near":
        return CopyKind.NEAR
    if sim.kind == "rewritten":
        return CopyKind.REWRITTEN
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
    with the original is compared now.
    """
    election = elect(member(i, a) for i, a in articles.items())
    orig_id = election.original
    original = articles[orig_id]
    reason = election.reasons[orig_id]
    edges = []
    for i, a in sorted(articles.items()):
        if i == orig_id:
            continue
        sim = sims.get((i, orig_id)) or sims.get((orig_id, i)) or compare(body(a), body(original))
        kind = kind_of(sim, declares(a, original))
        edges.append(CopyEdge(i, orig_id, kind, sim.score, evidence(a, original, sim, reason), decided))
    return orig_id, edges
