"""The report of a run: the phases' table, where the time goes by stage, disk use by area and
the notes on the corpus, the extraction quality and the rates.
"""

from __future__ import annotations

import os
from typing import Any

from bench import _common, store_size

_STAGE_NAMES = {
    "read": "read the file (and pick its reader)",
    "extract": "extract (newsdesk.extract.extract)",
    "fingerprint": "fingerprint (provenance)",
    "save": "save_article (SQLite, FTS, LSH keys, commit)",
    "trace": "trace copies (candidates, compare, save group)",
    "cluster": "cluster into stories (features, candidates, assign)",
    "reject": "record_rejection",
    "other": "other (loop, report)",
}


def report(
    made: dict[str, Any],
    base: dict[str, Any],
    first: dict[str, Any],
    second: dict[str, Any],
    forced: dict[str, Any] | None = None,
    before: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> str:
    c = _common
    pages = made["pages"]

    def load(run: dict[str, Any]) -> str:
        before, after = run.get("load") or (float("nan"), float("nan"))
        return f"{before:.1f} → {after:.1f}"

    def row(label: str, run: dict[str, Any], articles: str, stored: str, db: str) -> list[str]:
        return [
            label,
            f"{run['seconds']:.1f}",
            f"{run['cpu_seconds']:.1f}",
            f"{pages / run['seconds']:.1f}",
            articles,
            stored,
            f"{run['peak_rss_mb']:.0f}",
            db,
            f"{run['seconds'] / base['seconds']:.2f}",
            f"{run['cpu_seconds'] / base['cpu_seconds']:.2f}",
            load(run),
        ]

    rows = [
        row(
            "extraction alone (read + extract_html), baseline",
            base,
            f"{base['articles'] / base['seconds']:.1f} ({base['articles'] / base['cpu_seconds']:.1f} per CPU s)",
            f"{base['articles']:,} articles",
            "-",
        ),
        row(
            "`desk.ingest([folder])` into a fresh SQLite file",
            first,
            f"**{first['new'] / first['seconds']:.1f}** ({first['new'] / first['cpu_seconds']:.1f} per CPU s)",
            f"{first['new']:,} new",
            f"{first['db_bytes'] / 2**20:.1f}",
        ),
        row(
            "re-ingest of the same folder",
            second,
            "-",
            f"{second['new']:,} new, {second['unchanged']:,} unchanged",
            f"{second['db_bytes'] / 2**20:.1f}",
        ),
    ]
    if forced is not None:
        rows.append(
            row(
                "re-ingest with `force=True` (`ingest --force`)",
                forced,
                "-",
                f"{forced['new']:,} new, {forced['updated']:,} updated, {forced['unchanged']:,} unchanged",
                f"{forced['db_bytes'] / 2**20:.1f}",
            )
        )
    if before is not None:
        old_first, old_second = before
        rows.append(
            row(
                "before (`--before`): `desk.ingest([folder])` into a fresh SQLite file",
                old_first,
                f"{old_first['new'] / old_first['seconds']:.1f} ({old_first['new'] / old_first['cpu_seconds']:.1f} per CPU s)",
                f"{old_first['new']:,} new",
                f"{old_first['db_bytes'] / 2**20:.1f}",
            )
        )
        rows.append(
            row(
                "before (`--before`): re-ingest of the same folder",
                old_second,
                "-",
                f"{old_second['new']:,} new, {old_second['unchanged']:,} unchanged",
                f"{old_second['db_bytes'] / 2**20:.1f}",
            )
        )
    headers = [
        "phase",
        "seconds",
        "CPU s",
        "pages/s",
        "articles/s",
        "stored",
        "peak RSS MB",
        "DB MB",
        "time vs baseline",
        "CPU vs baseline",
        "load avg",
    ]
    lines = [c.markdown_table(headers, rows), ""]

    def stage_table(run: dict[str, Any], label: str) -> list[str]:
        stages = run.get("stages") or {}
        total = run["ingest_seconds"]
        if not stages or not total:
            return []
        calls = run.get("stage_calls") or {}
        cpu = run.get("stages_cpu") or {}
        cpu_total = run.get("ingest_cpu_seconds") or 0.0
        srows = [
            [
                _STAGE_NAMES.get(k, k),
                f"{v:.1f}",
                f"{v / total:.0%}",
                f"{cpu.get(k, float('nan')):.1f}",
                f"{cpu.get(k, 0.0) / cpu_total:.0%}" if cpu_total else "-",
                f"{1000 * cpu.get(k, 0.0) / calls[k]:.2f}" if calls.get(k) else "-",
                f"{calls.get(k, 0):,}" if k != "other" else "-",
            ]
            for k, v in sorted(stages.items(), key=lambda kv: -kv[1])
        ]
        note = "" if run.get("stages_complete", True) else " (some internals not found: partial)"
        return [
            f"{label}: where the time goes{note}",
            "",
            c.markdown_table(
                ["stage", "seconds", "share", "CPU s", "CPU share", "CPU ms per call", "calls"], srows
            ),
            "",
        ]

    lines += stage_table(first, "First ingest")
    lines += stage_table(second, "Re-ingest")
    share = 1 - base["seconds"] / first["seconds"]
    share_cpu = 1 - base["cpu_seconds"] / first["cpu_seconds"]
    extract_in = (first.get("stages_cpu") or {}).get("extract")
    lines.append(
        f"Ingest takes ×{first['seconds'] / base['seconds']:.2f} the wall time and "
        f"×{first['cpu_seconds'] / base['cpu_seconds']:.2f} the CPU time of extraction alone: store + tracing "
        f"= {share:.0%} of the ingest's wall time, {share_cpu:.0%} of its CPU time by those ratios"
        + (
            f"; measured inside the ingest, extraction is {extract_in / first['ingest_cpu_seconds']:.0%} "
            "of its CPU time."
            if extract_in and first.get("ingest_cpu_seconds")
            else "."
        )
    )
    busy = [
        name
        for name, run in (("baseline", base), ("ingest", first), ("re-ingest", second))
        if max(run.get("load") or (0.0, 0.0)) > (m_cores := (os.cpu_count() or 1)) - 0.5
    ]
    if busy:
        lines.append(
            f"WARNING: the 1-minute load average exceeded {m_cores - 0.5:.1f} during {', '.join(busy)} "
            "(other processes on the machine): wall-time rates and ratios are unreliable; the CPU-time "
            "ratios hold better."
        )
    lines.append(
        f"The re-ingest takes ×{second['seconds'] / first['seconds']:.3f} the first ingest's wall time: "
        f"**×{first['seconds'] / second['seconds']:.1f} faster** (CPU ×{first['cpu_seconds'] / second['cpu_seconds']:.1f})."
    )
    if forced is not None:
        lines.append(
            f"With `force=True` it takes ×{forced['seconds'] / first['seconds']:.2f} the first ingest "
            f"(×{forced['seconds'] / base['seconds']:.2f} extraction alone)."
        )
    if before is not None:
        old_first, old_second = before
        lines.append(
            f"Before (`--before`), the re-ingest took ×{old_second['seconds'] / old_first['seconds']:.2f} "
            f"the first ingest (×{old_first['seconds'] / old_second['seconds']:.1f} faster)."
        )
    uses = {"before": before[0]["use"]} if before is not None and before[0].get("use") else {}
    if first.get("use"):
        uses["after"] = first["use"]
    if uses:
        size = store_size
        headers, srows = size.area_rows(uses)
        lines += [
            "",
            "Disk use after the first ingest, by area (dbstat):",
            "",
            c.markdown_table(headers, srows),
            "",
        ]
    lines.append(
        f"Corpus: {pages:,} pages ({made['kinds']}), {made['bytes'] / 2**20:.1f} MB of HTML, median page "
        f"{made.get('median_kb', 0):.0f} KB, text: {made['text']}."
    )
    lines.append(f"Extraction alone, outcome by kind of page: {base['by_kind']}.")
    q = base.get("quality")
    if q:
        lines.append(
            f"Extraction quality on the generated article pages (true text known; benchmark metric): "
            f"P {q['precision']:.3f}, R {q['recall']:.3f}, F1 {q['f1']:.3f}, exact {q['accuracy']:.1%} "
            f"of {q['pages']:,} pages."
        )
        if q["leaked_lines"]:
            lines.append("Most frequent template lines left in the text (first two words: lines; example):")
            lines += [f"  - `{k}…`: {n:,}; e.g. {ex!r}" for k, n, ex in q["leaked_lines"]]
    lines.append(
        f"First ingest: new {first['new']:,}, unchanged {first['unchanged']}, updated {first['updated']}, "
        f"rejected {first['rejected_by_kind']} (by kind of page), broken {first['broken']}, "
        f"copies found {first['copies_found']}."
    )
    lines.append(
        f"Second ingest: new {second['new']}, unchanged {second['unchanged']:,}, updated {second['updated']}, "
        f"rejected {second['rejected']}, broken {second['broken']}."
    )
    marks = first.get("marks") or []
    if len(marks) >= 4:
        # The second tenth against the last (the first tenth pays for warm-up).
        (a_n, a_s, a_c), (b_n, b_s, b_c) = marks[0][:3], marks[1][:3]
        (y_n, y_s, y_c), (z_n, z_s, z_c) = marks[-2][:3], marks[-1][:3]
        early, late = (b_n - a_n) / (b_s - a_s), (z_n - y_n) / (z_s - y_s)
        early_c, late_c = (b_c - a_c) / (b_n - a_n), (z_c - y_c) / (z_n - y_n)
        lines.append(
            f"First ingest rate, files {a_n + 1:,}-{b_n:,}: {early:.1f} files/s; files {y_n + 1:,}-{z_n:,}: "
            f"{late:.1f} files/s (×{late / early:.2f} as the store fills). CPU per file: "
            f"{1000 * early_c:.1f} ms, then {1000 * late_c:.1f} ms (×{late_c / early_c:.2f})."
        )
    expect_new = made["kinds"].get("article", 0)
    if first["new"] != expect_new:
        lines.append(
            f"NOTE: expected {expect_new} new articles (generated article pages), got {first['new']}."
        )
    if second["new"]:
        lines.append(f"NOTE: the second ingest stored {second['new']} new article(s); expected 0.")
    return "\n".join(lines)
