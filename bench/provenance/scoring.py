"""Where the data is, and how predicted copy edges are scored against the truth (every part uses it)."""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from bench import _common

DEFAULT_DATA = _common.eval_data()
SAMPLE = _common.REPO / "src" / "newsdesk" / "sample"


# -- scoring -----------------------------------------------------------------------------------------


def _components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over undirected edges: label -> representative."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return {x: find(x) for x in parent}


def _ratio(n: int, d: int) -> float | None:
    return n / d if d else None


def score(
    truth: dict[str, tuple[str, str]],
    predicted: list[tuple[str, str, str]],
    expected_kinds: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """Score predicted edges (copy, original, kind) against truth {copy: (original, kind)}.

    Labels of predicted edges that are in no truth group (distractors, unrelated articles) count as
    their own singleton groups, so an edge touching them is wrong. ``expected_kinds`` maps a truth
    kind to the predicted kinds accepted for it (default: the same kind).
    """
    group = {c: o for c, (o, _) in truth.items()}
    for o, _ in truth.values():
        group[o] = o
    n_pred = len(predicted)
    correct = sum(1 for c, o, _ in predicted if c in truth and truth[c][0] == o)
    linked = sum(1 for c, o, _ in predicted if group.get(c, "?" + c) == group.get(o, "?" + o))
    reversed_ = sum(1 for c, o, _ in predicted if o in truth and truth[o][0] == c)
    wrong = [(c, o, k) for c, o, k in predicted if group.get(c, "?" + c) != group.get(o, "?" + o)]
    comp = _components((c, o) for c, o, _ in predicted)
    elected = {c: o for c, o, _ in predicted}  # copy -> the original its group elected
    edge_of = {c: (o, k) for c, o, k in predicted}
    # per truth kind
    kinds: dict[str, dict[str, Any]] = {}
    exp = expected_kinds or {}
    for kind in sorted({k for _, k in truth.values()}):
        members = [c for c, (_, k) in truth.items() if k == kind]
        directed = sum(1 for c in members if edge_of.get(c, ("",))[0] == truth[c][0])
        detected = sum(
            1 for c in members if c in comp and truth[c][0] in comp and comp[c] == comp[truth[c][0]]
        )
        got = Counter(edge_of[c][1] for c in members if edge_of.get(c, ("",))[0] == truth[c][0])
        ok = exp.get(kind, {kind})
        kinds[kind] = {
            "n": len(members),
            "recall": _ratio(directed, len(members)),
            "detected": _ratio(detected, len(members)),
            "kind_ok": _ratio(sum(v for k, v in got.items() if k in ok), directed),
            "predicted_kinds": dict(got),
        }
    # per predicted kind
    by_pred: dict[str, dict[str, Any]] = {}
    for k in sorted({k for _, _, k in predicted}):
        es = [(c, o) for c, o, kk in predicted if kk == k]
        by_pred[k] = {
            "edges": len(es),
            "precision": _ratio(sum(1 for c, o in es if c in truth and truth[c][0] == o), len(es)),
            "linked": _ratio(
                sum(1 for c, o in es if group.get(c, "?" + c) == group.get(o, "?" + o)), len(es)
            ),
        }
    # election, per true group with at least one copy
    true_groups: dict[str, list[str]] = defaultdict(list)
    for c, (o, _) in truth.items():
        true_groups[o].append(c)
    elected_right = 0
    for o, copies in true_groups.items():
        found = [c for c in copies if elected.get(c) == o]
        if found and o not in elected:
            elected_right += 1
    # predicted groups touching a truth group
    pred_groups: dict[str, set[str]] = defaultdict(set)
    for x, r in comp.items():
        pred_groups[r].add(x)
    touching = right_groups = 0
    for members_ in pred_groups.values():
        if not any(m in group for m in members_):
            continue
        touching += 1
        roots = {elected.get(m, m) for m in members_}
        root = next(iter(roots)) if len(roots) == 1 else None
        if (
            root is not None
            and root in true_groups
            and any(group.get(m) == root for m in members_ if m != root)
        ):
            right_groups += 1
    n_true = len(truth)
    return {
        "true_edges": n_true,
        "predicted_edges": n_pred,
        "correct": correct,
        "precision": _ratio(correct, n_pred),
        "recall": _ratio(correct, n_true),
        "linked_precision": _ratio(linked, n_pred),
        "detected_recall": _ratio(
            sum(1 for c, (o, _) in truth.items() if c in comp and o in comp and comp[c] == comp[o]), n_true
        ),
        "reversed": reversed_,
        "false_edges": wrong,
        "kinds": kinds,
        "by_predicted_kind": by_pred,
        "groups": len(true_groups),
        "election_recall": _ratio(elected_right, len(true_groups)),
        "election_precision": _ratio(right_groups, touching),
        "predicted_groups": touching,
    }


def hash_id(x: Any) -> int:
    """A stable small number for an id (to spread made-up URLs over outlets)."""
    return zlib.crc32(str(x).encode())
