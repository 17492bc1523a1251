"""Start-up: what ``import newsdesk`` and ``newsdesk --help`` cost, against ``python -c pass``.

    .venv/bin/python -m bench.startup [--runs 30] [--target 0.25] [--json FILE]

Each command runs ``--runs`` times in a fresh interpreter, the commands taking turns (a change of load
during the run falls on all of them alike). For each: the median and the fastest wall time, the
median CPU time of the child (user + system), how many modules it had loaded at exit, and its wall
time as a multiple of the baseline, ``python -c pass`` measured in the same run. The target is the
median wall time of ``newsdesk --help``: the script exits 1 when it is over.

The pipeline's own import (``import newsdesk.core``) is measured as well: it is what the first
command that opens a desk pays, and what ``--help`` must not.

Against an older tree, for a before/after: ``PYTHONPATH=old/src .venv/bin/python -m bench.startup``
(the script prints which ``newsdesk`` it measured).

Only the standard library (Unix: ``resource`` for the children's CPU time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench._common import machine, machine_line, markdown_table

#: Prints, as the interpreter exits, how many modules it had loaded (on stderr, to keep --help's
#: stdout as it is).
_COUNT = "import atexit, sys; atexit.register(lambda: print(len(sys.modules), file=sys.__stderr__)); "


def commands(python: str, entry: str) -> dict[str, list[str]]:
    """Label -> argv. ``newsdesk`` runs through its real entry-point script."""
    run_entry = f"import sys; sys.argv = [{entry!r}] + sys.argv[1:]; from newsdesk.cli import main; main()"
    return {
        "python -c pass (baseline)": [python, "-c", "pass"],
        "python -c 'import newsdesk'": [python, "-c", "import newsdesk"],
        "newsdesk --help": [entry, "--help"],
        "newsdesk search --help": [entry, "search", "--help"],
        "python -c 'import newsdesk.core' (the pipeline)": [python, "-c", "import newsdesk.core"],
        # The same commands once more with the module count (a separate run: atexit costs a little).
        "#count python -c pass (baseline)": [python, "-c", _COUNT + "pass"],
        "#count python -c 'import newsdesk'": [python, "-c", _COUNT + "import newsdesk"],
        "#count newsdesk --help": [python, "-c", _COUNT + run_entry, "--help"],
        "#count newsdesk search --help": [python, "-c", _COUNT + run_entry, "search", "--help"],
        "#count python -c 'import newsdesk.core' (the pipeline)": [
            python,
            "-c",
            _COUNT + "import newsdesk.core",
        ],
    }


def timed(argv: list[str]) -> tuple[float, float, str]:
    """Wall seconds, child CPU seconds, and stderr, of one run (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{argv} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30, help="runs of each command (default 30)")
    ap.add_argument("--target", type=float, default=0.25, help="seconds for newsdesk --help (median)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    python = sys.executable
    entry = str(Path(python).with_name("newsdesk"))
    where = subprocess.run(
        [python, "-c", "import newsdesk, sys; print(newsdesk.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(machine_line())
    print(f"newsdesk measured: {where}")
    print(f"load average at start: {os.getloadavg()[0]:.2f}")

    cmds = commands(python, entry)
    for argv in cmds.values():  # warm the OS caches and the bytecode caches
        timed(argv)
    walls: dict[str, list[float]] = {label: [] for label in cmds}
    cpus: dict[str, list[float]] = {label: [] for label in cmds}
    loaded: dict[str, int] = {}
    for _ in range(args.runs):
        for label, argv in cmds.items():
            wall, cpu, err = timed(argv)
            walls[label].append(wall)
            cpus[label].append(cpu)
            if label.startswith("#count "):
                loaded[label.removeprefix("#count ")] = int(err.strip().splitlines()[-1])
    load_end = os.getloadavg()[0]

    timed_labels = [label for label in cmds if not label.startswith("#count ")]
    base = statistics.median(walls[timed_labels[0]])
    base_cpu = statistics.median(cpus[timed_labels[0]])
    rows = []
    figures = {}
    for label in timed_labels:
        med, fastest, cpu = statistics.median(walls[label]), min(walls[label]), statistics.median(cpus[label])
        figures[label] = {
            "median_s": med,
            "min_s": fastest,
            "cpu_median_s": cpu,
            "modules": loaded[label],
            "ratio": med / base,
            "over_baseline_s": med - base,
            "cpu_over_baseline_s": cpu - base_cpu,
        }
        rows.append(
            [
                label,
                f"{med * 1000:.0f}",
                f"{fastest * 1000:.0f}",
                f"{cpu * 1000:.0f}",
                f"{(med - base) * 1000:.0f}",
                f"×{med / base:.1f}",
                str(loaded[label]),
            ]
        )
    print()
    print(
        markdown_table(
            [
                f"command ({args.runs} runs each)",
                "median ms",
                "fastest ms",
                "CPU ms (median)",
                "over baseline ms",
                "vs baseline",
                "modules loaded",
            ],
            rows,
        )
    )
    print(f"\nload average at end: {load_end:.2f}")
    help_median = figures["newsdesk --help"]["median_s"]
    verdict = "met" if help_median < args.target else "NOT met"
    print(f"target: newsdesk --help under {args.target:.2f} s (median): {help_median:.3f} s, {verdict}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": machine(), "newsdesk": where, "runs": args.runs, "figures": figures}, indent=2
            )
        )
    if help_median >= args.target:
        sys.exit(1)


if __name__ == "__main__":
    main()
