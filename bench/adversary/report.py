"""The summaries and tables of a campaign: per class, the curves of the size classes, the
distinct crashes, and the whole as markdown.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from bench._common import markdown_table
from bench.adversary.cases import Result


@dataclass
class ClassSummary:
    cls: str
    tried: int = 0
    clean: int = 0
    crashes: int = 0
    skipped: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    crash_kinds: Counter[str] = field(default_factory=Counter)
    peak_mb: float = 0.0
    seconds: float = 0.0
    cpu: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)


def summarise(cls: str, results: list[Result]) -> ClassSummary:
    s = ClassSummary(cls)
    for r in results:
        if r.skipped:
            s.skipped += 1
            continue
        s.tried += 1
        if r.verdict.clean:
            s.clean += 1
            s.outcomes[r.verdict.outcome] += 1
        else:
            s.crashes += 1
            s.crash_kinds[r.verdict.outcome] += 1
        if r.run is not None:
            s.peak_mb = max(s.peak_mb, r.run.maxrss_kb / 1024)
            s.seconds += r.run.wall
            s.cpu += r.run.cpu
    return s


def _kinds(c: Counter[str]) -> str:
    return ", ".join(f"{n} {k}" for k, n in c.most_common()) or "-"


def class_table(summaries: list[ClassSummary]) -> str:
    rows = [
        [
            s.cls,
            str(s.tried),
            str(s.clean),
            f"**{s.crashes}**" if s.crashes else "0",
            _kinds(s.crash_kinds),
            _kinds(s.outcomes),
            f"{s.peak_mb:,.0f}",
            f"{s.seconds:,.1f}",
            f"{s.cpu:,.1f}",
            f"{s.load[0]:.1f} → {s.load[1]:.1f}",
        ]
        + ([f"{s.skipped}"] if any(x.skipped for x in summaries) else [])
        for s in summaries
    ]
    headers = [
        "class",
        "tried",
        "clean",
        "crashes",
        "crash kinds",
        "clean outcomes",
        "peak RSS MB",
        "seconds",
        "CPU s",
        "load",
    ]
    if any(x.skipped for x in summaries):
        headers.append("not run")
    return markdown_table(headers, rows)


def curves(results: list[Result]) -> dict[str, list[dict[str, Any]]]:
    """Per curve, its points: size, seconds and CPU seconds of the operation, whether it hit the
    cap, and the growth exponent from the size before (on CPU time, which a busy machine inflates
    far less than wall time)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        if r.case.curve is None:
            continue
        name, x = r.case.curve
        point: dict[str, Any] = {
            "x": x,
            "case": r.case.name,
            "clean": r.verdict.clean,
            "outcome": r.verdict.outcome,
        }
        if r.run is not None:
            point.update(
                seconds=round(r.seconds or 0.0, 3),
                cpu=round(r.cpu or 0.0, 3),
                capped=r.run.timed_out,
                peak_mb=round(r.run.maxrss_kb / 1024),
            )
        else:
            point.update(seconds=None, cpu=None, capped=False, peak_mb=None, skipped=r.skipped)
        out.setdefault(name, []).append(point)
    for points in out.values():
        for prev, p in pairwise(points):
            usable = prev.get("cpu") and p.get("cpu") and not prev["capped"] and not p["capped"]
            if usable and p["x"] > prev["x"]:
                p["exponent"] = round(math.log(p["cpu"] / prev["cpu"]) / math.log(p["x"] / prev["x"]), 2)
    return out


def curve_table(cls: str, cv: dict[str, list[dict[str, Any]]], unit: str) -> str:
    names = list(cv)
    xs = sorted({p["x"] for n in names for p in cv[n]})
    rows = []
    for x in xs:
        row = [f"{x:g} {unit}"]
        for n in names:
            p = next((q for q in cv[n] if q["x"] == x), None)
            if p is None:
                row.append("-")
            elif p.get("skipped"):
                row.append("not run")
            elif p["capped"]:
                row.append(f"> {p['seconds']:.0f} **time cap** (CPU {p['cpu']:.0f})")
            else:
                exp = f", ×n^{p['exponent']:.2f}" if p.get("exponent") is not None else ""
                mark = "" if p["clean"] else f" **{p['outcome']}**"
                row.append(f"{p['seconds']:.2f} (CPU {p['cpu']:.2f}{exp}){mark}")
        rows.append(row)
    return markdown_table([f"{cls}: size", *[f"{n} s" for n in names]], rows)


def crash_table(results: list[Result]) -> str:
    """The distinct crashes: one row per (class, kind, message), with how many inputs and examples."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for r in results:
        if not r.verdict.clean:
            key = (r.case.cls, r.verdict.outcome, r.verdict.detail[:110])
            groups.setdefault(key, []).append(r.case.name)
    rows = []
    for (cls, outcome, detail), names in groups.items():
        examples = "; ".join(n[:60] for n in names[:3]) + (
            f"; +{len(names) - 3} more" if len(names) > 3 else ""
        )
        rows.append([cls, outcome, str(len(names)), detail.replace("|", "\\|"), examples.replace("|", "\\|")])
    return markdown_table(["class", "kind", "inputs", "message", "inputs (examples)"], rows) if rows else ""


def report_markdown(summaries: list[ClassSummary], results: list[Result], caps: str) -> str:
    parts = [caps, "", class_table(summaries)]
    note = False
    cv = curves([r for r in results if r.case.cls == "big-article-search"])
    if cv:
        parts += ["", curve_table("article", cv, "MB")]
        note = True
    cv = curves([r for r in results if r.case.cls == "big-page-extraction"])
    if cv:
        parts += ["", curve_table("page", cv, "thousand <p>")]
        note = True
    if note:
        parts += [
            "",
            "Wall seconds of the operation itself (the command in process, or the one request), its "
            "CPU seconds in brackets; ×n^k: growth from the size before, k = log(c2/c1) / log(n2/n1) "
            "on CPU time; a point after one that hit the time cap (or the budget) is not run.",
        ]
    crashes = crash_table(results)
    if crashes:
        parts += ["", "Distinct crashes:", "", crashes]
    return "\n".join(parts)
