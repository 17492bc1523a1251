"""The report: the figures of a run as Markdown, as bench/RESULTS.md quotes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bench import _common
from bench.provenance.runner import TARGETS

# -- the report ----------------------------------------------------------------------------------------


def _targets_lines(result: dict[str, Any]) -> list[str]:
    lines = ["## Targets"]
    for name, ok in result.get("targets", {}).items():
        key = TARGETS[name][0]
        value = result["summary"].get(key)
        lines.append(
            f"- {'MET   ' if ok else 'MISSED' if ok is False else 'n/a   '} {name}: "
            + ("-" if value is None else f"{value:,.3f}" if value < 100 else f"{value:,.0f}")
        )
    return lines


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def report(result: dict[str, Any]) -> str:
    c = _common
    lines: list[str] = [c.machine_line(result["machine"]), ""]
    s = result.get("sample")
    if s:
        lines.append("## (a) Sample corpus (src/newsdesk/sample/truth.json)")
        if "skipped" in s:
            lines.append(f"skipped: {s['skipped']}")
        else:
            lines.append(
                f"{s['articles']} articles, {s['stored']} stored, {s['true_edges']} true copy edges, "
                f"{s['predicted_edges']} predicted; unmapped: {s['unmapped'] or 'none'}"
            )
            lines.append("")
            lines.append(_summary_table({"sample corpus": s}))
            lines.append("")
            lines.append(_kinds_table(s["kinds"]))
            if s["missed"]:
                lines.append(f"\nmissed: {s['missed']}")
            if s["false_edges"]:
                lines.append(f"false edges: {s['false_edges']}")
        lines.append("")
    syn = result.get("synthetic")
    if syn:
        lines.append("## (b) Synthetic stress set (wikinews originals)")
        if "skipped" in syn:
            lines.append(f"skipped: {syn['skipped']}")
        else:
            lines.append(
                f"{syn['originals']} originals (median {syn['original_words_median']} words), "
                f"distractors {syn['distractors']}; one desk per scenario, each a copy of the distractor desk"
            )
            dd = syn["distractor_desk"]
            same = sum(e["same_event"] for e in dd["edges"])
            lines.append(
                f"Distractor desk: {dd['stored']} stored, {dd['rejected']} rejected; {len(dd['edges'])} copy edges among "
                f"distractors ({same} between reports of one event); not counted below"
            )
            lines.append("")
            lines.append(_summary_table(syn["scenarios"]))
            lines.append("")
            rows = []
            for name, r in syn["scenarios"].items():
                for k, v in r["kinds"].items():
                    rows.append(
                        [
                            name,
                            k,
                            str(v["n"]),
                            _f(v["recall"]),
                            _f(v["detected"]),
                            _f(v["kind_ok"]),
                            ", ".join(f"{a} {b}" for a, b in sorted(v["predicted_kinds"].items())),
                        ]
                    )
            lines.append(
                c.markdown_table(
                    ["scenario", "truth kind", "n", "recall", "detected", "kind ok", "predicted kinds"], rows
                )
            )
            lines.append("")
            lines.append(
                "Pooled over the detection scenarios (not early, boilerplate-soon, expanded-soon), "
                "precision of each predicted kind:"
            )
            lines.append(
                c.markdown_table(
                    ["predicted kind", "edges", "precision", "P (linked)"],
                    [
                        [k, str(v["edges"]), _f(v["precision"]), _f(v.get("linked"))]
                        for k, v in syn["by_predicted_kind"].items()
                    ],
                )
            )
            rows = []
            for name, r in syn["scenarios"].items():
                for b, v in r.get("election_by_delay", {}).items():
                    rows.append([name, b, str(v["n"]), str(v["found"]), _f(v["elected_right"])])
            lines.append("")
            lines.append("Election by publication delay (pairs found; share electing the true original):")
            lines.append(c.markdown_table(["scenario", "delay", "copies", "found", "original elected"], rows))
            if "expanded-soon" in syn["scenarios"]:
                by = syn["scenarios"]["expanded-soon"].get("election_by_added_at", {})
                lines.append(
                    "expanded-soon, original elected by where the copy added its paragraphs: "
                    + "; ".join(f"{k} {_f(v['elected_right'])} (n={v['found']})" for k, v in by.items())
                )
            for name in ("early",):
                if name in syn["scenarios"]:
                    lines.append("")
                    lines.append(_early_table(syn["scenarios"][name]["election_by_type"]))
            if "mixed" in syn:
                lines.append("")
                lines.append("Mixed (every kind of copy of each original in one desk):")
                lines.append(_summary_table({"mixed": syn["mixed"]}))
                lines.append("")
                lines.append(_kinds_table(syn["mixed"]["kinds"]))
                lines.append("")
                lines.append(_early_table(syn["mixed"]["election_by_type"]))
                lines.append("")
                lines.append(
                    "Mixed, predicted kind of the correct edges by scenario: "
                    + "; ".join(
                        f"{sc}: " + ", ".join(f"{k} {n}" for k, n in sorted(v.items()))
                        for sc, v in syn["mixed"].get("kinds_by_scenario", {}).items()
                    )
                )
            for name, r in syn["scenarios"].items():
                if r["miss_details"] or r["false_details"]:
                    lines.append(f"\n{name}: misses {len(r['misses'])}")
                    for d in r["miss_details"][:5]:
                        lines.append(f"  miss {d}")
                    for d in r["false_details"][:5]:
                        lines.append(f"  false {d}")
        lines.append("")
    ctl = result.get("control")
    if ctl:
        lines.append("## (c) Same-story control (SemEval-2022 task 8)")
        if "skipped" in ctl:
            lines.append(f"skipped: {ctl['skipped']}")
        else:
            lines.append(
                f"{ctl['articles']} distinct articles, {ctl['stored']} stored, {ctl['edges']} copy edges in all"
            )
            rows = [
                [x["name"], str(x["pairs"]), str(x["comparable"]), str(x["flagged"]), _f(x["rate"])]
                for x in ctl["sets"]
            ]
            lines.append("")
            lines.append(
                c.markdown_table(
                    ["pairs", "n", "both >= MIN_WORDS", "called copies", "false-positive rate"], rows
                )
            )
            if "en_max" in ctl:
                lines.append(f"\nEnglish same-story pairs, highest measures: {ctl['en_max']}")
            for x in ctl["sets"]:
                for e in x["examples"][:5]:
                    lines.append(f"  {x['name']}: {e}")
        lines.append("")
    sw = result.get("sweep")
    if sw:
        lines.append("## Threshold sensitivity (every pair compared; the LSH stage left out)")
        if "skipped" in sw:
            lines.append(f"skipped: {sw['skipped']}")
        else:
            lines.append(sweep_table(sw, result["constants"]))
            lines.append("")
            lines.append("LSH: share of pairs sharing at least one band")
            lines.append(
                _common.markdown_table(
                    ["set", "n", "text band", "anchor band", "candidate"],
                    [
                        [k, str(v["n"]), _f(v["text_band"]), _f(v["anchor_band"]), _f(v["candidate"])]
                        for k, v in sw["lsh"].items()
                    ],
                )
            )
            lines.append("")
            lines.append(
                "Quantiles (1 %, 5 %, 50 %, 95 %, 99 %, max) of the measures at the current ALIGN_SIMILARITY:"
            )
            for k, q in sw["quantiles"].items():
                lines.append(f"  {k}: " + "; ".join(f"{m} {v}" for m, v in q.items()))
            for e in sw["current_negatives_called"][:20]:
                lines.append(f"  called with current constants: {e}")
        lines.append("")
    tp = result.get("throughput")
    if tp:
        lines.append("## Throughput: fingerprint + candidates on one core")
        lines.append(
            "Rates per CPU second of the lookup process (best of its passes); the wall-clock rate of the same"
            " pass beside it (lower when other processes share the cores). fingerprint/s and lookup/s: CPU."
        )
        rows = []
        for lv in tp["levels"]:
            tb = lv["table_bytes_per_article"]
            rows.append(
                [
                    f"{lv['indexed']:,}",
                    f"{lv['per_s']:,.0f}",
                    f"{lv['per_s_wall']:,.0f}" if "per_s_wall" in lv else "-",
                    f"{lv['fingerprint_per_s']:,.0f}",
                    f"{lv['lookup_per_s']:,.0f}",
                    f"{lv['lookup_p50_ms']:.2f}",
                    f"{lv['lookup_p99_ms']:.2f}",
                    f"{lv['bytes_per_article']:,.0f}",
                    f"{tb.get('lsh_keys', 0) + tb.get('lsh_keys_article', 0) + tb.get('fingerprints', 0) + tb.get('fingerprints_exact', 0):,.0f}",
                    f"{lv['rss_after_kb'] / 1024:,.0f}",
                    f"{lv['populate_seconds']:,.0f}",
                    f"{lv['load_before']:.1f} / {lv['load_after']:.1f}" if "load_before" in lv else "-",
                ]
            )
        lines.append(
            c.markdown_table(
                [
                    "indexed",
                    "articles/s (CPU)",
                    "articles/s (wall)",
                    "fingerprint/s",
                    "lookup/s",
                    "lookup p50 ms",
                    "p99 ms",
                    "DB bytes/article",
                    "index bytes/article",
                    "RSS MiB",
                    "populate s",
                    "load before / after",
                ],
                rows,
            )
        )
        if tp["levels"]:
            lines.append(
                f"\nquery mix: {tp['query_mix']}; mean {tp['levels'][0]['words_mean']:.0f} words per query"
            )
            for lv in tp["levels"]:
                lines.append(
                    f"  {lv['indexed']:,} indexed: articles/s by length "
                    + ", ".join(
                        f"{k} {v['per_s']:,.0f} (n={v['n']})" for k, v in lv["per_s_by_length"].items()
                    )
                    + f"; candidates per query {lv['candidates_mean']:.2f}; truncated copies whose original is "
                    f"among the candidates {_f(lv['copy_original_in_candidates'])}; RSS {lv['rss_before_kb'] / 1024:.0f} MiB "
                    f"before, {lv['rss_after_kb'] / 1024:.0f} MiB after the lookups (current RSS, /proc/self/status)"
                )
        lines.append("")
    lines += _targets_lines(result)
    return "\n".join(lines)


SWEEP_KEYS = (
    "ALIGN_SIMILARITY",
    "NEAR_CONTAINMENT",
    "ALIGN_SHARE",
    "REWRITE_RESEMBLANCE",
    "MIN_WORDS",
    "MIN_REWRITE_SENTENCES",
)


def sweep_table(sw: dict[str, Any], constants: dict[str, Any]) -> str:
    """Rows that differ from the current constants in at most one of them."""
    pos = [k for k in sw["positives"] if k in ("near", "reordered", "sub20", "sub40", "sub60", "sub40-all")]
    neg = list(sw["negatives"])
    rows = []
    for r in sw["grid"]:
        diff = [k for k in SWEEP_KEYS if abs(r[k] - constants.get(k, 0)) > 1e-9]
        if len(diff) > 1:
            continue
        name = "current" if not diff else f"{diff[0]} = {r[diff[0]]}"
        rows.append((0 if not diff else 1, name, [name] + [_f(r[k]) for k in pos] + [str(r[k]) for k in neg]))
    rows.sort(key=lambda x: (x[0], x[1]))
    return _common.markdown_table(
        ["constants", *(f"R {k}" for k in pos), *(f"{k[4:]} called (of {sw['negatives'][k]})" for k in neg)],
        [r[2] for r in rows],
    )


def _summary_table(rs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for name, r in rs.items():
        rows.append(
            [
                name,
                str(r["true_edges"]),
                str(r["predicted_edges"]),
                _f(r["precision"]),
                _f(r["recall"]),
                _f(r["linked_precision"]),
                _f(r["detected_recall"]),
                str(r["reversed"]),
                _f(r["election_precision"]),
                _f(r["election_recall"]),
            ]
        )
    return _common.markdown_table(
        [
            "set",
            "true edges",
            "predicted",
            "precision",
            "recall",
            "P (linked)",
            "R (detected)",
            "reversed",
            "election P",
            "election R",
        ],
        rows,
    )


def _kinds_table(kinds: dict[str, dict[str, Any]]) -> str:
    rows = [
        [
            k,
            str(v["n"]),
            _f(v["recall"]),
            _f(v["detected"]),
            _f(v["kind_ok"]),
            ", ".join(f"{a} {b}" for a, b in sorted(v["predicted_kinds"].items())),
        ]
        for k, v in kinds.items()
    ]
    return _common.markdown_table(
        ["truth kind", "n", "recall", "detected", "kind ok", "predicted kinds"], rows
    )


def _early_table(by_type: dict[str, dict[str, Any]]) -> str:
    rows = [
        [
            t,
            str(v["n"]),
            _f(v["detected"]),
            _f(v["elected_right"]),
            "; ".join(f"{k} ×{n}" for k, n in v["reasons"].items()),
        ]
        for t, v in by_type.items()
    ]
    return _common.markdown_table(
        ["copy published before its original", "n", "detected", "original elected", "election reasons"], rows
    )


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_strip(v) for v in obj]
    if isinstance(obj, set):
        return sorted(obj)
    if isinstance(obj, datetime):
        return obj.isoformat()
    return obj
