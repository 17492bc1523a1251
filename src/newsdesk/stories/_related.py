"""Related: what to show beside an article — its story's members, and its nearest in other stories.

Read-only over a book and the members' stored vectors. Both lists are ranked by the blended
similarity ``assign`` uses and shown on one scale, ``same_story`` of it: the chance that the two
articles tell the same story (calibrated on article pairs of known story, bench/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import StoryMember
from ..store.protocols import StoryBook
from ._features import DEFAULT, Params, blend, halves, part_norms, same_story, similarity, top

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
    ``diversity`` (greedy, like maximal marginal relevance) on the blended similarity ``assign``
    and ``nearest`` use. Scores are ``same_story`` of that similarity (0 to 1, as ``nearest``'s),
    so a list's two parts read on one scale."""
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
        out.append((best, round(same_story(base[best.article_id], params), 4)))
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
    index (its top terms), and only their members are compared. Those whose similarity is under
    ``params.related_floor`` are left out: an unrelated article is not "related coverage" just
    because nothing closer exists. Scores are ``same_story`` of the similarity, as ``rank_related``'s."""
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
    kept = [f for f in found if f[1] >= params.related_floor and f[1] > 0][:limit]
    return [(m, round(same_story(sim, params), 4)) for m, sim in kept]
