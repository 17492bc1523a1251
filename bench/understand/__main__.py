"""``python -m bench.understand``: run the parts asked for and print their reports."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from bench._common import machine_line

PARTS = ("quotes", "entities", "categories", "sample", "speakers", "worst", "ceiling")
#: What a plain run measures: every part but ``ceiling``, a study of what other classifiers would
#: score on the category data (minutes of scikit-learn fits, and sentence embeddings when a
#: separate environment has them), asked for by name.
DEFAULT_PARTS = tuple(p for p in PARTS if p != "ceiling")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.understand", description=__doc__)
    parser.add_argument(
        "--parts",
        default=",".join(DEFAULT_PARTS),
        help="Comma-separated: " + ", ".join(PARTS) + " (default: all but ceiling)",
    )
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    args, rest = parser.parse_known_args(argv)
    out: dict[str, Any] = {"machine": machine_line()}
    for name in [p.strip() for p in args.parts.split(",") if p.strip()]:
        if name not in PARTS:
            parser.error(f"unknown part {name!r} (one of {', '.join(PARTS)})")
        try:
            part = importlib.import_module(f"bench.understand.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"bench.understand.{name}":
                raise
            print(f"## {name}\n\nnot written yet\n")
            continue
        result = part.run(rest)
        out[name] = result
        print(part.report(result))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
