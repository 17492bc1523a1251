"""``python -m bench.provenance``: the command line (see the package's docstring)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import bench.provenance
from bench.provenance.reporting import _strip, report
from bench.provenance.runner import run
from bench.provenance.scoring import DEFAULT_DATA
from bench.provenance.throughput import _lookup_child


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--_lookup":
        print(json.dumps(_lookup_child(sys.argv[2], sys.argv[3])))
        return 0
    ap = argparse.ArgumentParser(
        prog="python -m bench.provenance", description=(bench.provenance.__doc__ or "").split("\n\n")[0]
    )
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default {DEFAULT_DATA})"
    )
    ap.add_argument("--quick", action="store_true", help="a small version (40 originals, 10k indexed)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the throughput index in DIR (and resume it when it is there) instead of a temporary folder",
    )
    ap.add_argument("--originals", type=int, default=None, help="synthetic originals (default 200, quick 40)")
    ap.add_argument("--sizes", default=None, help="indexed sizes for throughput, e.g. 10000,100000,1000000")
    ap.add_argument(
        "--parts",
        default=None,
        help="comma-separated subset of sample,synthetic,control,sweep,throughput "
        "(default: all; no sweep with --quick)",
    )
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else None
    result = run(
        args.data,
        args.quick,
        seed=args.seed,
        parts=args.parts.split(",") if args.parts else None,
        n_originals=args.originals,
        sizes=sizes,
        keep=args.keep,
    )
    print(report(result))
    if args.json:
        args.json.write_text(
            json.dumps(_strip(result), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
