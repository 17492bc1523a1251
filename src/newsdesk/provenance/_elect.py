"""Election of a copy group's original (declared links, then credits, then time), and the edges,
with the evidence a person can check, drawn from every other member to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from .._stopwords import STOP_WORDS
from .._text import word_count
from ..model import Article, CopyEdge
from ._compare import Similarity, body, compare, declared_urls, declares, kind_of, related
from ._fingerprint import anchors, normalise

# -- tuning (pinned by the provenance evaluation; change only with its figures) -------------------

CLOCK_SKEW = 3 * 3600  # seconds within which publication times are too close to order copies
TRUNCATION = 0.1  # a text this much shorter than another in its group counts as cut down


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
    seen = set(a) - STOP_WORDS
    rest = set(b[len(a) :]) - STOP_WORDS
    return len(rest & seen) >= CONTINUATION * len(rest)


def _names_of(article: Article) -> frozenset[str]:
    names = {n.lower() for n in (article.source, article.site_name) if n}
    host = urlsplit(article.canonical_url).hostname or ""
    parts = host.removeprefix("www.").split(".")
    if len(parts) >= 2:
        names.add(parts[-2])
    return frozenset(names)


def _byline_credits(byline: str | None) -> frozenset[str]:
    """A byline naming an agency ("Pressline", "Staff and Pressline") credits it."""
    if not byline:
        return frozenset()
    parts = re.split(r",|;|\band\b|\bwith\b|/", byline, flags=re.IGNORECASE)
    return frozenset(p.strip().lower() for p in parts if p.strip())


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
