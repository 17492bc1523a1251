"""Sensitivity of the thresholds: the figures again with each constant moved (not in ``--quick``)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.provenance.control import load_semeval
from bench.provenance.synthetic import _prepare_wikinews, extra_distractors, make_copy

# -- sensitivity of the thresholds --------------------------------------------------------------------


def _pairs_for_sweep(data_dir: Path, seed: int, n_originals: int, cap: int) -> tuple[dict, list]:
    """Positives: synthetic copies per scenario (copy, original); negatives: reports of one event by
    different outlets (ECB+ clusters, galaxy events) and SemEval same-language pairs, capped."""
    rng = random.Random(seed)
    originals, _ = _prepare_wikinews(data_dir, n_originals, seed)
    positives: dict[str, list[tuple[str, str]]] = {}
    for sc in ("boilerplate", "near", "reordered", "sub10", "sub20", "sub40", "sub60", "sub40-all"):
        pairs = []
        for i, o in enumerate(originals):
            _, _, fx = make_copy(sc, i, o, rng)
            pairs.append((fx["text"], o["text"]))
        positives[sc] = pairs
    negatives: list[tuple[str, str, str]] = []
    extra = extra_distractors(data_dir)
    by_event: dict[str, list[str]] = defaultdict(list)
    for d in extra:
        if d.get("event"):
            by_event[d["event"]].append(d["text"])
    for ev, texts in by_event.items():
        pool = "ecbplus" if ev.startswith("ecb") else "galaxy"
        for a in range(len(texts)):
            for b in range(a + 1, len(texts)):
                negatives.append((pool, texts[a], texts[b]))
    if (data_dir / "similarity" / "semeval2022-task8-pairs.csv").exists():
        for r in load_semeval(data_dir):
            if r["lang1"] == r["lang2"] and float(r["Overall"]) <= 2.5:
                negatives.append(
                    (f"semeval-{'en' if r['lang1'] == 'en' else 'other'}", r["text1"], r["text2"])
                )
    rng.shuffle(negatives)
    kept: dict[str, int] = Counter()
    capped = []
    for pool, a, b in negatives:
        if kept[pool] < cap:
            kept[pool] += 1
            capped.append((pool, a, b))
    return positives, capped


def run_sweep(data_dir: Path, *, quick: bool = False, seed: int = 1) -> dict[str, Any]:
    """How recall on synthetic copies and copies called among same-story reports move with the
    thresholds (the LSH stage left out: every pair is compared). ALIGN_SIMILARITY changes the
    measures, so they are computed once per value; the other thresholds are applied after."""
    from newsdesk import provenance as pv
    from newsdesk.provenance import _compare

    positives, negatives = _pairs_for_sweep(data_dir, seed, 40 if quick else 120, 300 if quick else 1500)
    saved = _compare.ALIGN_SIMILARITY
    measures: dict[float, dict[str, list[tuple[float, float, float, int]]]] = {}
    lsh: dict[str, dict[str, float]] = {}
    try:
        for a_sim in (0.15, 0.22, 0.3, 0.4):
            _compare.ALIGN_SIMILARITY = a_sim  # read where it is defined
            m: dict[str, list[tuple[float, float, float, int]]] = {}
            for sc, pairs in positives.items():
                m[sc] = [_measure(pv, x, y) for x, y in pairs]
            for pool, x, y in negatives:
                m.setdefault("neg:" + pool, []).append(_measure(pv, x, y))
            measures[a_sim] = m
    finally:
        _compare.ALIGN_SIMILARITY = saved
    # LSH: share of pairs that share at least one band (text, anchor, either)
    for sc, pairs in [
        *positives.items(),
        *[
            ("neg:" + p, [(x, y) for q, x, y in negatives if q == p])
            for p in sorted({q for q, _, _ in negatives})
        ],
    ]:
        t = an = either = 0
        for x, y in pairs:
            fx, fy = pv.fingerprint(x), pv.fingerprint(y)
            st, sa = (
                bool(set(fx.text_keys) & set(fy.text_keys)),
                bool(set(fx.anchor_keys) & set(fy.anchor_keys)),
            )
            t, an, either = t + st, an + sa, either + (st or sa or fx.exact == fy.exact)
        n = max(1, len(pairs))
        lsh[sc] = {"n": len(pairs), "text_band": t / n, "anchor_band": an / n, "candidate": either / n}
    grid = []
    for a_sim, m in measures.items():
        for near in (0.5, 0.6, 0.7):
            for share in (0.5, 0.6, 0.7, 0.8):
                for res in (0.2, 0.3, 0.4, 0.45, 0.5):
                    for min_sent in (0, 4, 6):
                        for min_words in (40, 80):
                            row: dict[str, Any] = {
                                "ALIGN_SIMILARITY": a_sim,
                                "NEAR_CONTAINMENT": near,
                                "ALIGN_SHARE": share,
                                "REWRITE_RESEMBLANCE": res,
                                "MIN_WORDS": min_words,
                                "MIN_REWRITE_SENTENCES": min_sent,
                            }
                            for key, vals in m.items():
                                called = sum(
                                    1
                                    for c, al, rs, w, ns in vals
                                    if w >= min_words
                                    and (c >= near or (al >= share and rs >= res and ns >= min_sent))
                                )
                                row[key] = (
                                    called / max(1, len(vals)) if not key.startswith("neg:") else called
                                )
                            grid.append(row)
    neg_n = {k: len(v) for k, v in measures[0.22].items() if k.startswith("neg:")}
    # the negatives the current constants call copies, for a look by hand
    current = []
    cur = measures.get(0.22, {})
    for key, vals in cur.items():
        if not key.startswith("neg:"):
            continue
        pool = key[4:]
        texts = [(a, b) for q, a, b in negatives if q == pool]
        for (c, al, rs, w, ns), (a, b) in zip(vals, texts, strict=True):
            if w >= pv.MIN_WORDS and (
                c >= pv.NEAR_CONTAINMENT
                or (al >= pv.ALIGN_SHARE and rs >= pv.REWRITE_RESEMBLANCE and ns >= pv.MIN_REWRITE_SENTENCES)
            ):
                current.append(
                    {
                        "pool": pool,
                        "containment": c,
                        "aligned": al,
                        "resemblance": rs,
                        "words": w,
                        "sentences": ns,
                        "a": a[:200],
                        "b": b[:200],
                    }
                )
    # distributions: quantiles of each measure, per set, at the current ALIGN_SIMILARITY
    dist = {}
    for key, vals in cur.items():
        if not vals:
            continue
        qs = {}
        for j, name in enumerate(("containment", "aligned", "resemblance")):
            xs = sorted(v[j] for v in vals)
            qs[name] = [round(xs[int(q * (len(xs) - 1))], 3) for q in (0.01, 0.05, 0.5, 0.95, 0.99)] + [
                xs[-1]
            ]
        dist[key] = qs
    return {
        "negatives": neg_n,
        "positives": {k: len(v) for k, v in positives.items()},
        "grid": grid,
        "lsh": lsh,
        "current_negatives_called": current,
        "quantiles": dist,
    }


def _measure(pv: Any, a: str, b: str) -> tuple[float, float, float, int, int]:
    """(containment, aligned, resemblance, words of the shorter, sentences aligned in order, the lower
    of both ways: what ``MIN_REWRITE_SENTENCES`` counts)."""
    s = pv.compare(a, b)
    return (
        s.containment,
        s.aligned,
        s.resemblance,
        min(len(a.split()), len(b.split())),
        s.aligned_sentences,
    )
