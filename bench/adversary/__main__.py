"""``python -m bench.adversary``: the command line (see the package's docstring); with
``--runner`` the runner process, with ``--serve ROOT`` the loopback server (both started by
the command itself).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import bench.adversary
from bench._common import machine, machine_line
from bench.adversary.cases import CLASSES, FUZZ_PER_FORMAT, MEM_MB, TIMEOUT_S, Result
from bench.adversary.generate import generate
from bench.adversary.report import ClassSummary, _kinds, curves, report_markdown, summarise
from bench.adversary.runner import Runner, Server, _read_capped, run_cases, runner_main, serve_main


def _loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.adversary",
        description=bench.adversary.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--quick", action="store_true", help="A small subset of each class (about 1-2 minutes).")
    ap.add_argument("--classes", default=",".join(CLASSES), help="Comma-separated classes (default: all).")
    ap.add_argument("--json", type=Path, help="Also write every case's figures to this file.")
    ap.add_argument("--markdown", type=Path, help="Also write the tables to this file.")
    ap.add_argument(
        "--mem-mb", type=int, default=MEM_MB, help=f"Address-space cap per input (default {MEM_MB})."
    )
    ap.add_argument(
        "--timeout", type=float, default=TIMEOUT_S, help=f"Seconds per input (default {TIMEOUT_S:g})."
    )
    ap.add_argument("--fuzz", type=int, default=FUZZ_PER_FORMAT, help="Fuzzed variants per format.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="Write the inputs (and each run's output) here and keep them.")
    ap.add_argument("-v", "--verbose", action="store_true", help="Print every case's verdict.")
    args = ap.parse_args(argv)
    classes = [c.strip() for c in args.classes.split(",") if c.strip()]
    unknown = [c for c in classes if c not in CLASSES]
    if unknown:
        ap.error(f"unknown class {unknown[0]!r}: one of {', '.join(CLASSES)}")

    m = machine()
    print(machine_line(m))
    caps = (
        f"Caps per input: address space {args.mem_mb:,} MiB (RLIMIT_AS), wall time {args.timeout:g} s; "
        f"{'quick' if args.quick else 'full'} run, seed {args.seed}."
    )
    print(caps)
    t_start = time.perf_counter()
    load0 = _loadavg()
    print(f"load average (1 min) {load0:.2f}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        root_ctx: Any = contextlib.nullcontext(str(args.keep))
    else:
        root_ctx = tempfile.TemporaryDirectory(prefix="newsdesk-adversary-")
    summaries: list[ClassSummary] = []
    all_results: list[Result] = []
    with root_ctx as root_name:
        root = Path(root_name)
        server: Server | None = None
        if {"bad-urls", "xml-entities"} & set(classes):
            server = Server(root)
            try:
                server.start()
            except (OSError, RuntimeError) as e:
                print(f"!! no loopback server ({e}): the cases that need one are left out")
                server = None
        runner = Runner(args.mem_mb, args.timeout, root / "runner.log")
        try:
            try:
                runner.start()
            except (OSError, RuntimeError) as e:
                print(f"!! {e}")
                print(_read_capped(root / "runner.log")[-3000:])
                return 1
            for cls in classes:
                load_a = _loadavg()
                t0 = time.perf_counter()
                try:
                    cases = generate(
                        [cls], root, quick=args.quick, seed=args.seed, fuzz=args.fuzz, server=server
                    )
                except Exception:  # noqa: BLE001 - a generator's bug: reported, the other classes go on
                    print(f"!! {cls}: generating its inputs failed (a bug in this script):")
                    traceback.print_exc(file=sys.stdout)
                    continue
                gen = time.perf_counter() - t0
                print(f"\n{cls}: {len(cases)} cases generated in {gen:.1f} s (load {load_a:.2f})", flush=True)
                results = run_cases(cases, runner, echo=lambda s: print(s, flush=True))
                if args.verbose:
                    for r in results:
                        figures = (
                            "" if r.run is None else f"{r.run.wall:6.1f} s {r.run.maxrss_kb / 1024:6.0f} MB"
                        )
                        print(
                            f"  {'ok   ' if r.verdict.clean else 'CRASH'} {r.case.name[:56]:56} {figures:17} "
                            f"{r.verdict.outcome}: {r.verdict.detail[:90]}"
                        )
                s = summarise(cls, results)
                s.load = (load_a, _loadavg())
                summaries.append(s)
                all_results += results
                print(
                    f"{cls}: {s.tried} tried, {s.clean} clean, {s.crashes} crashes ({_kinds(s.crash_kinds)}), "
                    f"peak {s.peak_mb:,.0f} MB, {s.seconds:.1f} s",
                    flush=True,
                )
        finally:
            runner.stop()
            if server is not None:
                server.stop()
    table = report_markdown(summaries, all_results, caps)
    total = time.perf_counter() - t_start
    print()
    print(table)
    print(f"\nTotal {total:.0f} s; load average {load0:.2f} → {_loadavg():.2f}.")
    if args.markdown:
        args.markdown.write_text(table + "\n", "utf-8")
    if args.json:
        doc = {
            "machine": m,
            "caps": {"mem_mb": args.mem_mb, "timeout_s": args.timeout},
            "quick": args.quick,
            "seed": args.seed,
            "seconds": round(total, 1),
            "classes": [
                {
                    **{k: v for k, v in vars(s).items() if k not in ("outcomes", "crash_kinds")},
                    "outcomes": dict(s.outcomes),
                    "crash_kinds": dict(s.crash_kinds),
                }
                for s in summaries
            ],
            "curves": {cls: curves([r for r in all_results if r.case.cls == cls]) for cls in classes},
            "cases": [
                {
                    "class": r.case.cls,
                    "case": r.case.name,
                    "clean": r.verdict.clean,
                    "outcome": r.verdict.outcome,
                    "detail": r.verdict.detail,
                    "skipped": r.skipped,
                    "seconds": None if r.run is None else round(r.run.wall, 3),
                    "cpu": None if r.run is None else round(r.run.cpu, 3),
                    "peak_mb": None if r.run is None else round(r.run.maxrss_kb / 1024, 1),
                }
                for r in all_results
            ],
        }
        args.json.write_text(json.dumps(doc, indent=2, default=str) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--runner":
        runner_main()
    elif len(sys.argv) > 2 and sys.argv[1] == "--serve":
        serve_main(sys.argv[2])
    else:
        sys.exit(main())
