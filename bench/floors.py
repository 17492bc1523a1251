"""The evaluation gates' floors (``bench/floors.toml``) and the digest of the data they were measured on.

    .venv/bin/python -m bench.floors     # each gate: the digest of its data now against the recorded one

trafilatura's eval gate pattern: a floor is a figure measured on given data, so it holds for that data
only. Each gate of ``floors.toml`` names the files it is measured on (globs inside the evaluation data,
``NEWSDESK_EVAL_DATA``) and records their SHA-256 digest; a gate test (``tests/**/test_eval_*.py``) fails
when the data's digest differs from the recorded one, since its floors then need measuring again (the
gate's ``measured_with`` command) before they mean anything. A gate without data files runs on what
the repository holds (the bundled sample corpus) and has no digest.

The digest: SHA-256 over one line per file, in order of path, ``PATH NUL SHA256(CONTENT) LF``, the path
relative to the evaluation data folder, so that moving the folder keeps it.
"""

from __future__ import annotations

import argparse
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bench._common import EVAL_DATA_VARIABLE, eval_data

#: The floors of every gate, with the digest of the data each was measured on.
FLOORS_FILE = Path(__file__).with_name("floors.toml")


@dataclass(frozen=True)
class Gate:
    """One evaluation gate's floors and the data they hold for."""

    name: str
    #: Globs inside the evaluation data; empty: the gate needs none.
    data: tuple[str, ...]
    #: SHA-256 of those files (``digest``), as measured; None without data.
    sha256: str | None
    #: The command whose figures the floors pin.
    measured_with: str
    #: Figures that must stay at or above these values.
    floors: dict[str, float]
    #: Figures that must stay at or below these values.
    ceilings: dict[str, float]
    #: Allowed differences against a baseline of the same run (their meaning is the gate's).
    margins: dict[str, float]

    def files(self, root: Path | None = None) -> list[Path]:
        """The data files, in order of path (those present)."""
        base = eval_data() if root is None else root
        found = {p for pattern in self.data for p in base.glob(pattern) if p.is_file()}
        return sorted(found, key=lambda p: p.relative_to(base).as_posix())

    def missing(self, root: Path | None = None) -> list[str]:
        """The globs that match no file: the data the gate cannot run without."""
        base = eval_data() if root is None else root
        return [pattern for pattern in self.data if not any(p.is_file() for p in base.glob(pattern))]

    def digest(self, root: Path | None = None) -> str:
        """The SHA-256 of the gate's data files as they are now (see the module's docstring)."""
        base = eval_data() if root is None else root
        outer = hashlib.sha256()
        for path in self.files(base):
            inner = hashlib.sha256()
            with path.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    inner.update(block)
            outer.update(f"{path.relative_to(base).as_posix()}\0{inner.hexdigest()}\n".encode())
        return outer.hexdigest()

    def stale(self, root: Path | None = None) -> str | None:
        """Why the floors do not hold for the data present (its digest differs), else None."""
        if not self.data:
            return None
        now = self.digest(root)
        if now == self.sha256:
            return None
        base = eval_data() if root is None else root
        return (
            f"the {self.name} gate's data at {base} ({', '.join(self.data)}) has SHA-256 {now}, not the "
            f"{self.sha256} its floors were measured on (bench/{FLOORS_FILE.name}): measure them again with "
            f"`{self.measured_with}` and record the new figures and digest together"
        )


def _numbers(table: object, where: str) -> dict[str, float]:
    if not isinstance(table, dict) or not all(isinstance(v, int | float) for v in table.values()):
        raise ValueError(f"{FLOORS_FILE}: [{where}] must map names to numbers")
    return {str(k): float(v) for k, v in table.items()}


def gates(path: Path = FLOORS_FILE) -> dict[str, Gate]:
    """Every gate of the floors file, by name."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, Gate] = {}
    for name, table in doc.items():
        data = tuple(table.get("data", ()))
        sha256 = table.get("sha256")
        if bool(data) != bool(sha256):
            raise ValueError(f"{path}: gate {name} needs both data and sha256, or neither")
        out[name] = Gate(
            name=name,
            data=data,
            sha256=sha256,
            measured_with=str(table["measured_with"]),
            floors=_numbers(table.get("floors", {}), f"{name}.floors"),
            ceilings=_numbers(table.get("ceilings", {}), f"{name}.ceilings"),
            margins=_numbers(table.get("margins", {}), f"{name}.margins"),
        )
    return out


def gate(name: str) -> Gate:
    """One gate of the floors file."""
    return gates()[name]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.parse_args(argv)
    root = eval_data()
    print(f"Evaluation data: {root} (${EVAL_DATA_VARIABLE}, default ../shared/data)")
    status = 0
    for g in gates().values():
        if not g.data:
            print(f"{g.name}: no data files (runs on the repository's own)")
        elif missing := g.missing(root):
            print(f"{g.name}: data missing ({', '.join(missing)})")
            status = 1
        elif reason := g.stale(root):
            print(f"{g.name}: DIFFERS: {reason}")
            status = 1
        else:
            print(f"{g.name}: {g.sha256} (as measured; {len(g.files(root))} files)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
