"""A process killed in the middle of an ingest leaves a sound database, and a rerun finishes the job.

The ingest runs in a real subprocess through the real entry point and is killed with SIGKILL (no
cleanup handlers run) while it is writing; we do this twice, at different points.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from ._pages import write_pages
from .conftest import run_cli

pytestmark = pytest.mark.slow

N_PAGES = 300


def count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as c:
            return int(c.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # schema not created yet


def state(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as c:
        return c.execute(
            "SELECT a.canonical_url, a.content_hash, a.title, a.text, a.revision, "
            "(SELECT count(*) FROM article_revisions r WHERE r.article_id = a.id) "
            "FROM articles a ORDER BY a.canonical_url"
        ).fetchall()


def ingest_and_kill(db: Path, pages: Path, at_least: int) -> int:
    env = {**os.environ, "NEWSDESK_PROGRESS": "false"}
    log = db.with_suffix(".log")
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "--db", str(db), "ingest", str(pages)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    deadline = time.monotonic() + 120
    while count(db) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"ingest finished before it could be killed: {log.read_text()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("ingest made no progress")
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return count(db)


def test_killed_ingest_leaves_a_sound_database_and_a_rerun_completes(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    write_pages(pages, N_PAGES)
    db = tmp_path / "killed.sqlite"

    first = ingest_and_kill(db, pages, at_least=20)
    assert 0 < first < N_PAGES
    checked = run_cli("--db", str(db), "check")
    assert checked.returncode == 0 and checked.stdout.strip() == "ok", checked.stderr
    # every article present is whole: its revision row exists and the text is indexed
    with closing(sqlite3.connect(db)) as c:
        orphans = c.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)"
        ).fetchone()[0]
        indexed = c.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert orphans == 0 and indexed == count(db)

    second = ingest_and_kill(db, pages, at_least=first + 40)
    assert second < N_PAGES
    assert run_cli("--db", str(db), "check").returncode == 0

    rerun = run_cli("--db", str(db), "ingest", "--json", str(pages))
    assert rerun.returncode == 0, rerun.stderr
    import json

    summary = json.loads(rerun.stdout)
    assert summary["new"] == N_PAGES - second and summary["unchanged"] == second

    clean = tmp_path / "clean.sqlite"
    assert run_cli("--db", str(clean), "ingest", str(pages)).returncode == 0
    assert state(db) == state(clean)
    assert len(state(db)) == N_PAGES
