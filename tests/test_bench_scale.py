"""bench/scale.py at a tiny size: every part runs and reports (so the benchmark cannot rot
silently); SQLite only here, PostgreSQL when its server is installed."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from bench import scale

from ._postgres import find_bin

pytestmark = pytest.mark.slow


def test_every_part_runs_at_a_tiny_size(tmp_path: Path) -> None:
    # The PostgreSQL cluster lives in --keep and runs as the postgres user, who must be able to
    # reach it: pytest's folders are private to their owner, so a folder of its own under /tmp.
    keep = Path(tempfile.mkdtemp(prefix="newsdesk-scale-"))
    keep.chmod(0o755)
    try:
        _run(tmp_path, keep)
    finally:
        shutil.rmtree(keep, ignore_errors=True)


def _run(tmp_path: Path, keep: Path) -> None:
    out = tmp_path / "scale.json"
    backends = "sqlite,postgresql" if find_bin() is not None else "sqlite"
    argv = ["--pages", "24", "--ingest-pages", "10", "--articles", "400", "--queries", "2"]
    argv += ["--web-seconds", "1", "--rate", "20", "--outlets", "6", "--events", "2", "--chunk", "8"]
    argv += ["--backends", backends, "--keep", str(keep), "--json", str(out)]
    assert scale.main(argv) == 0
    result = json.loads(out.read_text())
    assert [r["workers"] for r in result["parallel"]["runs"]] == [1, 2]
    assert all(r["parallel_seconds"] > 0 and r["stored"] > 0 for r in result["parallel"]["runs"])
    assert {r["backend"] for r in result["ingest"]["rows"]} == set(backends.split(","))
    assert all(r["articles"] == 400 and r["queries"] == 16 for r in result["search"]["rows"])
    assert all(r["errors"] == 0 for r in result["web"]["rows"])
    assert all(r["exactly_once"] for r in result["collectors"]["rows"])
