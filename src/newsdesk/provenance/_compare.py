"""Verification: exact measures on two texts the index proposed (shared shingles, sentences aligned in
order both ways, shared figures and quotes), and whether two articles are copies, of what kind.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain

from .._stopwords import STOP_WORDS
from .._text import word_count
from ..model import Article, CopyKind
from ._fingerprint import _WORD, SHINGLE, _shingle_hashes, _token_ids, normalise

# -- tuning (pinned by the provenance evaluation; change only with its figures) -------------------

NEAR_CONTAINMENT = 0.6  # share of the shorter text's shingles found in the other
ALIGN_SIMILARITY = 0.22  # word-set Jaccard for two sentences to be "the same sentence reworded"
ALIGN_SHARE = 0.7  # share of sentences aligned, in order, both ways, to call it a rewrite
MIN_REWRITE_SENTENCES = 4  # sentences aligned, in order, both ways: fewer is too little to tell a rewrite
REWRITE_RESEMBLANCE = 0.3  # mean sentence resemblance (see compare) a rewrite keeps
MIN_WORDS = 40  # shorter texts are too small to call copies

#: A sentence ends at terminal punctuation of any script (Latin, Arabic, Urdu, Devanagari, Ethiopic
#: and, with no space after, CJK full-width marks), with any closing quotes; group 1 ends the sentence.
_SENTENCE_END_AT = re.compile(r"((?<=[.!?…؟۔।॥።፧])[\"'”’)»]*)\s+|((?<=[。！？])[」』”’）]*)\s*")
_OPENING = "\"'“‘(«「『"
#: A figure as a person reads it in the evidence: a time of day stays whole ("08:12", not "08" and
#: "12"), as do decimals and thousands ("3.5", "1,400").
_FIGURE = re.compile(r"\b(?:\d{1,2}:\d{2}(?::\d{2})?|\d[\d.,]*\d|\d)\b")
_QUOTE = re.compile(r"[\"“]([^\"”]{12,400})[\"”]")


def figures_of(text: str) -> list[str]:
    """The figures of a text, each once, in order, as evidence shows them: numbers without
    thousands separators ("40,000" and "40000" are one figure, as in ``anchors``), a time of day
    whole ("08:12", which the anchors split in two)."""
    return list(dict.fromkeys(x if ":" in x else x.replace(",", "") for x in _FIGURE.findall(text)))


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
    return frozenset(w for w in _WORD.findall(sentence.lower()) if w not in STOP_WORDS)


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


def declared_urls(article: Article) -> frozenset[str]:
    return frozenset(s.url for s in article.source_links)


def body(article: Article) -> str:
    """The text provenance compares: without the standfirst, which outlets write for themselves even
    when they copy the story below it."""
    if not article.description:
        return article.text
    dek = normalise(article.description)
    return "\n".join(line for line in article.text.split("\n") if normalise(line) != dek)


def declares(a: Article, b: Article) -> bool:
    """Whether ``a`` names ``b`` as its source (canonical link, "Source link", "Originally at")."""
    urls = declared_urls(a)
    return b.canonical_url in urls or b.url in urls


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
