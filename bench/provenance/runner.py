"""The whole run: the parts asked for, their figures and the summary the gate asserts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench import _common
from bench.provenance.control import run_control
from bench.provenance.sample import run_sample
from bench.provenance.scoring import DEFAULT_DATA, SAMPLE
from bench.provenance.sweep import run_sweep
from bench.provenance.synthetic import run_synthetic
from bench.provenance.throughput import run_throughput

# -- the whole run ------------------------------------------------------------------------------------


def run(
    data_dir: Path = DEFAULT_DATA,
    quick: bool = False,
    *,
    seed: int = 1,
    parts: Iterable[str] | None = None,
    n_originals: int | None = None,
    sizes: list[int] | None = None,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Every part (the threshold sweep only when not ``quick``); a part whose data is missing gets
    ``{"skipped": reason}``."""
    parts = set(parts or ("sample", "synthetic", "control", "throughput", *(() if quick else ("sweep",))))
    out: dict[str, Any] = {
        "quick": quick,
        "seed": seed,
        "data": str(data_dir),
        "machine": _common.machine(),
    }
    from newsdesk import provenance as pv

    out["constants"] = {
        k: getattr(pv, k)
        for k in (
            "SHINGLE",
            "TEXT_PERMS",
            "TEXT_ROWS",
            "ANCHOR_PERMS",
            "ANCHOR_ROWS",
            "NEAR_CONTAINMENT",
            "ALIGN_SIMILARITY",
            "ALIGN_SHARE",
            "REWRITE_RESEMBLANCE",
            "MIN_REWRITE_SENTENCES",
            "MIN_WORDS",
        )
    }
    if "sample" in parts:
        if (SAMPLE / "truth.json").exists():
            out["sample"] = run_sample(SAMPLE)
        else:
            out["sample"] = {"skipped": f"sample corpus not found at {SAMPLE}"}
    if "synthetic" in parts:
        if list((data_dir / "articles" / "wikinews").glob("*.csv")):
            out["synthetic"] = run_synthetic(data_dir, quick=quick, seed=seed, n_originals=n_originals)
        else:
            out["synthetic"] = {
                "skipped": f"wikinews articles not found at {data_dir / 'articles' / 'wikinews'}"
            }
    if "control" in parts:
        if (data_dir / "similarity" / "semeval2022-task8-pairs.csv").exists():
            out["control"] = run_control(data_dir, quick=quick)
        else:
            out["control"] = {"skipped": f"SemEval pairs not found at {data_dir / 'similarity'}"}
    if "sweep" in parts:
        if list((data_dir / "articles" / "wikinews").glob("*.csv")):
            out["sweep"] = run_sweep(data_dir, quick=quick, seed=seed)
        else:
            out["sweep"] = {"skipped": "wikinews articles not found"}
    if "throughput" in parts:
        out["throughput"] = run_throughput(data_dir, quick=quick, sizes=sizes, seed=seed, keep=keep)
    out["summary"], out["targets"] = summary(out)
    return out


#: The issue's targets: (figure in the summary, floor).
TARGETS = {
    "identical precision >= 0.99": ("identical_precision", 0.99),
    "identical recall >= 0.98": ("identical_recall", 0.98),
    "boilerplate-swap precision >= 0.99": ("boilerplate_precision", 0.99),
    "boilerplate-swap recall >= 0.98": ("boilerplate_recall", 0.98),
    "near precision >= 0.99": ("near_precision", 0.99),
    "near recall >= 0.98": ("near_recall", 0.98),
    "syndicated precision >= 0.99": ("syndicated_precision", 0.99),
    "syndicated recall >= 0.98": ("syndicated_recall", 0.98),
    "rewritten at 40 % substitution: recall >= 0.90": ("sub40_recall", 0.90),
    "rewritten at 40 % substitution: precision >= 0.97": ("sub40_precision", 0.97),
    "fingerprint + lookup >= 2,000 articles/s at 1,000,000 indexed": ("per_s_at_1000000", 2000.0),
}


def summary(result: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, bool | None]]:
    """Flat figures for a gate test, and each target of the issue met (True/False) or not measured (None)."""
    out: dict[str, float | None] = {}
    s = result.get("sample") or {}
    if "precision" in s:
        out["sample_precision"] = s["precision"]
        out["sample_recall"] = s["recall"]
        out["sample_election_recall"] = s["election_recall"]
        out["sample_election_precision"] = s["election_precision"]
    syn = result.get("synthetic") or {}
    for sc, r in syn.get("scenarios", {}).items():
        key = sc.replace("-", "_")
        if sc == "early":
            # precision/recall of the edge regardless of direction; election by early-copy type
            out["early_precision"] = r["linked_precision"]
            out["early_recall"] = r["detected_recall"]
            by = r.get("election_by_type", {})
            signal = [by[t] for t in ("credit", "declared") if t in by]
            out["early_election_with_signal"] = sum((x["elected_right"] or 0) * x["n"] for x in signal) / max(
                1, sum(x["n"] for x in signal)
            )
            nosig = [by[t] for t in ("no-signal", "truncated") if t in by]
            out["early_election_without_signal"] = sum(
                (x["elected_right"] or 0) * x["n"] for x in nosig
            ) / max(1, sum(x["n"] for x in nosig))
            continue
        out[f"{key}_precision"] = r["precision"]
        out[f"{key}_recall"] = r["recall"]
        out[f"{key}_linked_precision"] = r["linked_precision"]
        out[f"{key}_detected_recall"] = r["detected_recall"]
        out[f"{key}_election"] = r["election_recall"]
    if "mixed" in syn:
        out["mixed_precision"] = syn["mixed"]["precision"]
        out["mixed_recall"] = syn["mixed"]["recall"]
        out["mixed_election"] = syn["mixed"]["election_recall"]
    ctl = result.get("control") or {}
    for x in ctl.get("sets", []):
        name = {
            "en-en, Overall <= 1.5": "control_en_fp_rate",
            "same language, Overall <= 1.5": "control_same_language_fp_rate",
            "all languages, Overall <= 1.5": "control_all_fp_rate",
            "all pairs (any score)": "control_any_score_fp_rate",
        }[x["name"]]
        out[name] = x["rate"]
    for lv in (result.get("throughput") or {}).get("levels", []):
        out[f"per_s_at_{lv['indexed']}"] = lv["per_s"]
        out[f"fingerprint_per_s_at_{lv['indexed']}"] = lv["fingerprint_per_s"]
        out[f"lookup_per_s_at_{lv['indexed']}"] = lv["lookup_per_s"]
        out[f"bytes_per_article_at_{lv['indexed']}"] = lv["bytes_per_article"]
    targets = {
        name: (None if out.get(key) is None else out[key] >= floor) for name, (key, floor) in TARGETS.items()
    }
    return out, targets
