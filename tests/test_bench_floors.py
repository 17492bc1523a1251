"""bench/floors.py: the gates' floors file reads, and a digest tells the data the floors were
measured on from any other (trafilatura's eval gate pattern)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import floors


def test_every_gate_of_the_floors_file_has_figures_and_a_command() -> None:
    gates = floors.gates()
    assert {
        "extraction",
        "stories",
        "provenance-sample",
        "provenance",
        "categories-sample",
        "categories",
    } <= set(gates)
    for gate in gates.values():
        assert gate.floors or gate.ceilings, gate.name
        assert gate.measured_with.startswith("python -m bench."), gate.name
        assert (gate.sha256 is None) == (not gate.data), gate.name
        if gate.sha256 is not None:
            assert len(gate.sha256) == 64 and int(gate.sha256, 16) >= 0, gate.name


def _gate(digest: str | None) -> floors.Gate:
    return floors.Gate("demo", ("demo/*.txt", "demo/truth.json"), digest, "python -m bench.demo", {}, {}, {})


def test_the_digest_follows_names_and_contents_not_the_folder(tmp_path: Path) -> None:
    for root in (tmp_path / "a", tmp_path / "b"):
        (root / "demo").mkdir(parents=True)
        (root / "demo" / "one.txt").write_text("one", "utf-8")
        (root / "demo" / "two.txt").write_text("two", "utf-8")
        (root / "demo" / "truth.json").write_text("{}", "utf-8")
        (root / "demo" / "notes.md").write_text("not part of the data", "utf-8")
    digest = _gate(None).digest(tmp_path / "a")
    gate = _gate(digest)
    assert gate.digest(tmp_path / "b") == digest
    assert gate.stale(tmp_path / "b") is None
    assert [p.name for p in gate.files(tmp_path / "a")] == ["one.txt", "truth.json", "two.txt"]
    (tmp_path / "b" / "demo" / "notes.md").write_text("changed, but not data", "utf-8")
    assert gate.stale(tmp_path / "b") is None
    (tmp_path / "b" / "demo" / "two.txt").write_text("two!", "utf-8")
    assert "measure them again with `python -m bench.demo`" in str(gate.stale(tmp_path / "b"))
    (tmp_path / "b" / "demo" / "two.txt").write_text("two", "utf-8")
    (tmp_path / "b" / "demo" / "one.txt").rename(tmp_path / "b" / "demo" / "uno.txt")
    assert gate.stale(tmp_path / "b") is not None


def test_missing_data_is_named_by_its_glob(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "one.txt").write_text("one", "utf-8")
    assert _gate("0" * 64).missing(tmp_path) == ["demo/truth.json"]


def test_a_gate_needs_data_and_digest_together(tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text(
        '[x]\nmeasured_with = "python -m bench.x"\ndata = ["x/*"]\n[x.floors]\nf1 = 0.5\n', "utf-8"
    )
    with pytest.raises(ValueError, match="both data and sha256"):
        floors.gates(path)
