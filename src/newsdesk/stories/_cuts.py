"""Cuts: whether a story's members are two events, and where to cut them.

Pure numerics over the members' vectors, apart from the book so they can be tested alone: the best
of a few seeded 2-means cuts judged by a silhouette (``_best_cut``), and, when that sees one blur,
the least normalized cut of the members' neighbour graph (``_graph_cut``). Near-copies count once
(``_reports``): two wire versions of one event must not pass for two events. ``_assign`` decides
with these whether to split.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import StoryMember

_SAME_REPORT = 0.8  # cosine of two member vectors from which they are one report (a copy) in a split


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
