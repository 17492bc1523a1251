"""``python -m bench.ingest``: the command line (see the package's docstring); with ``--_phase``
one measured phase, in the child process the command starts for it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import bench.ingest
from bench import _common
from bench.ingest.corpus import generate
from bench.ingest.phases import _child, phase_extract, phase_ingest, quality
from bench.ingest.report import report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.ingest", description=(bench.ingest.__doc__ or "").split("\n\n")[0]
    )
    ap.add_argument("--pages", type=int, default=10_000, help="pages to generate (default 10000)")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (and the DB)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--text", choices=("generated", "wikinews"), default="generated")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--force", action="store_true", help="also time a re-ingest with force=True")
    ap.add_argument(
        "--before", type=Path, metavar="SRC", help="also run the ingests with an older checkout's src"
    )
    ap.add_argument("--_phase", help=argparse.SUPPRESS)
    ap.add_argument("--_db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_manifest", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_texts", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_force", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._phase:  # inside a child process
        if args._phase == "extract":
            print(json.dumps(phase_extract(args._dir, args._manifest, args._texts)))
        else:
            print(json.dumps(phase_ingest(args._dir, args._db, args._manifest, force=args._force)))
        return 0

    c = _common
    m = c.machine()
    print(c.machine_line(m))
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    # The corpus folder holds only the pages: the manifest, the truth and the databases lie beside it.
    corpus, db, old_db = work / "corpus", work / "bench.sqlite", work / "before.sqlite"
    manifest, truth, texts = work / "manifest.json", work / "truth.json", work / "extracted.jsonl"
    try:
        if corpus.exists():
            shutil.rmtree(corpus)
        for d in (db, old_db):
            for p in (d, Path(f"{d}-wal"), Path(f"{d}-shm")):
                p.unlink(missing_ok=True)
        t0 = time.perf_counter()
        made = generate(corpus, args.pages, seed=args.seed, text=args.text)
        manifest.write_text(json.dumps(made.pop("manifest")), encoding="utf-8")
        truth.write_text(json.dumps(made.pop("truth")), encoding="utf-8")
        print(
            f"generated {args.pages:,} pages ({made['bytes'] / 2**20:.1f} MB, median {made['median_kb']:.0f} KB) "
            f"in {time.perf_counter() - t0:.1f}s under {corpus}",
            flush=True,
        )
        common = ["--_dir", str(corpus), "--_manifest", str(manifest)]
        base = _child("extract", *common, "--_texts", str(texts))
        print(f"extraction alone: {base['seconds']:.1f}s", flush=True)
        base["quality"] = quality(truth, texts)
        first = _child("ingest", *common, "--_db", str(db))
        print(f"first ingest: {first['seconds']:.1f}s", flush=True)
        second = _child("ingest", *common, "--_db", str(db))
        print(f"second ingest: {second['seconds']:.1f}s", flush=True)
        forced = None
        if args.force:
            forced = _child("ingest", *common, "--_db", str(db), "--_force")
            print(f"forced ingest: {forced['seconds']:.1f}s", flush=True)
        before = None
        if args.before:
            old = ["--_db", str(old_db)]
            before = (
                _child("ingest", *common, *old, src=args.before.resolve()),
                _child("ingest", *common, *old, src=args.before.resolve()),
            )
            print(
                f"before: first ingest {before[0]['seconds']:.1f}s, second {before[1]['seconds']:.1f}s",
                flush=True,
            )
        print()
        print(report(made, base, first, second, forced, before))
        if args.json:
            figures = {
                "machine": m,
                "corpus": made,
                "extraction": base,
                "ingest": first,
                "reingest": second,
                "forced": forced,
                "before": before,
            }
            args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
            print(f"\nfigures written to {args.json}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
