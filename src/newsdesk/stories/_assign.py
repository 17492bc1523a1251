"""Assign: one arrival placed in a story, with the upkeep it causes, over an injected book.

``assign`` reads and writes only a ``StoryBook`` (the store's, or ``MemoryBook`` here), so the
evaluation's figures are the Desk's. Scoring against candidate centroids (and, when none reaches
the threshold, against the members of the best few), joining or starting a story, merging stories
that meet, and splitting one that ``_cuts`` finds to be two events are all recorded as decisions on
the returned ``StoryChange``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np

from ..model import DecisionKind, JoinKind, StoryChange, StoryDecision, StoryMember, StorySketch
from ..store.protocols import StoryBook
from ._cuts import _best_cut, _graph_cut, _reports
from ._features import DEFAULT, Doc, Params, _vector, blend, dot, halves, part_norms, unit

_DAY = 86_400.0
_DIGITS = 4  # decimals kept of stored weights (member vectors, centroids): small records, same figures


def centroid_norms(story: StorySketch) -> tuple[float, float]:
    """The lengths of a centroid's parts, cached on the sketch (reset whenever the centroid changes)."""
    if story.norms is None:
        story.norms = part_norms(story.centroid)
    return story.norms


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
    if target is None and params.member_join > 0:
        near = _nearest_member(book, words, names, doc.when, scored, params)
        if near is not None:
            best, target, reason = near[0], _copy(near[1]), JoinKind.MEMBER
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


def _nearest_member(
    book: StoryBook,
    words: Mapping[str, float],
    names: Mapping[str, float],
    when: float | None,
    scored: Sequence[tuple[float, int, StorySketch]],
    params: Params,
) -> tuple[float, StorySketch] | None:
    """The story, among the ``member_candidates`` best scored (under the threshold), one of whose
    members the article resembles at ``member_join`` or more (the most alike member's story; ties:
    the better scored story), with that similarity (time decay as for the story); else None. Never
    under ``threshold``: below it, the member of a story of one would join what its centroid may not."""
    level = max(params.member_join, params.threshold)
    found: tuple[float, StorySketch] | None = None
    for sc, sid, cand in scored[: params.member_candidates]:
        if sc <= 0:
            break
        d = decay(when, cand, params)
        for m in book.story_members(sid):
            sim = blend(words, names, m.vector, part_norms(m.vector), params.anchor_weight) * d
            if sim >= level and (found is None or sim > found[0]):
                found = (sim, cand)
    return found


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
