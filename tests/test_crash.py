"""A process killed in the middle of its work leaves a whole desk, and a rerun finishes the job.

The work runs in a real subprocess through the real entry point and is killed with SIGKILL (no
cleanup handlers run): at a random moment while it writes, and at chosen points of each stage
(tests/_killer.py kills the process right after the Nth call of a store method returns) — after an
article is saved, after its copy edges are, in the middle of the story stage, after its story is —
during `ingest`, during `update` against the test server, and during `retrace` and `recluster`.
After every kill `newsdesk check` says what is missing (or that nothing is), and the rerun (or
`check --repair`) ends with the same articles, copy edges and story memberships as a run that was
never killed. Only the killed runs need a process of their own: the checks and reruns after them run
in this one (click's CliRunner).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from newsdesk import open_desk
from newsdesk.model import FoundSource, SourceKind
from newsdesk.store._texts import register

from ._pages import write_pages
from ._server import Server, running, serve_corpus
from .conftest import invoke_cli

pytestmark = pytest.mark.slow

N_PAGES = 300
SAMPLE = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "sample"
KILLER = Path(__file__).with_name("_killer.py")


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


def desk_state(db: Path) -> dict[str, Any]:
    """What a finished run leaves, by URL (ids and times differ between runs): the articles and
    their texts, the copy edges, the stories as groups of articles, and which articles lack a
    fingerprint."""
    with closing(sqlite3.connect(db)) as c:
        url = {int(i): u for i, u in c.execute("SELECT id, canonical_url FROM articles")}
        stories: dict[int, list[str]] = {}
        for aid, sid in c.execute("SELECT article_id, story_id FROM story_members"):
            stories.setdefault(int(sid), []).append(url[int(aid)])
        return {
            "articles": sorted(c.execute("SELECT canonical_url, content_hash, revision FROM articles")),
            "edges": sorted(
                (url[int(a)], url[int(b)], kind)
                for a, b, kind in c.execute("SELECT copy_id, original_id, kind FROM copies")
            ),
            "stories": sorted(sorted(members) for members in stories.values()),
            "unfingerprinted": sorted(
                url[int(a)]
                for (a,) in c.execute(
                    "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM fingerprints)"
                )
            ),
        }


def kill_at(
    db: Path, method: str, n: int, *args: str, legacy: bool = False, env: dict[str, str] | None = None
) -> None:
    """Run ``newsdesk --db DB ARGS`` and kill it right after the Nth call of ``SQLiteStore.METHOD``
    (see tests/_killer.py); ``legacy``: each write commits on its own, as an older newsdesk did."""
    cmd = [sys.executable, str(KILLER), method, str(n), *(["--legacy"] if legacy else []), "--"]
    proc = subprocess.run(
        [*cmd, "--db", str(db), *args],
        env={**os.environ, "NEWSDESK_PROGRESS": "false", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, (
        f"{' '.join(args)} ended ({proc.returncode}) before call {n} of {method}: {proc.stderr[-3000:]}"
    )


def check_says(db: Path, *options: str) -> tuple[int, str]:
    """Exit status of `newsdesk check` and what it printed: "ok", or the problems (on stderr,
    after what `--repair` did)."""
    checked = invoke_cli("--db", str(db), "check", *options)
    return checked.returncode, (checked.stderr + checked.stdout).strip()


def ingest_and_kill(db: Path, pages: Path, at_least: int) -> int:
    return run_and_kill(db, ["ingest", str(pages)], at_least)


def run_and_kill(db: Path, args: list[str], at_least: int, env: dict[str, str] | None = None) -> int:
    """Run ``newsdesk --db DB ARGS`` and kill it once the store holds ``at_least`` articles."""
    log = db.with_suffix(".log")
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "--db", str(db), *args],
            env={**os.environ, "NEWSDESK_PROGRESS": "false", **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    deadline = time.monotonic() + 120
    while count(db) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"{args[0]} finished before it could be killed: {log.read_text()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{args[0]} made no progress")
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
    checked = invoke_cli("--db", str(db), "check")
    assert checked.returncode == 0 and checked.stdout.strip() == "ok", checked.stderr
    # every article present is whole: its revision row exists and the text is indexed
    with closing(sqlite3.connect(db)) as c:
        register(c)  # articles_fts reads the texts through sqlar_uncompress (migration 0012)
        orphans = c.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_revisions r WHERE r.article_id = a.id)"
        ).fetchone()[0]
        indexed = c.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert orphans == 0 and indexed == count(db)

    second = ingest_and_kill(db, pages, at_least=first + 40)
    assert second < N_PAGES
    assert invoke_cli("--db", str(db), "check").returncode == 0

    rerun = invoke_cli("--db", str(db), "ingest", "--json", str(pages))
    assert rerun.returncode == 0, rerun.stderr
    import json

    summary = json.loads(rerun.stdout)
    assert summary["new"] == N_PAGES - second and summary["unchanged"] == second

    clean = tmp_path / "clean.sqlite"
    assert invoke_cli("--db", str(clean), "ingest", str(pages)).returncode == 0
    assert state(db) == state(clean)
    assert len(state(db)) == N_PAGES
    assert desk_state(db) == desk_state(clean)


#: (store method, call) at which each round of a run is killed: after an article is saved (its
#: copies and story not yet written), after its copy edges are, in the middle of the story stage,
#: after its story is. Each round gets further than the one before.
ROUNDS = [("save_article", 20), ("save_copy_group", 3), ("story_candidates", 15), ("save_story_change", 20)]


def test_kills_at_each_stage_of_an_ingest_leave_whole_articles(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite"
    stored = 0
    for method, n in ROUNDS:
        kill_at(db, method, n, "ingest", str(SAMPLE))
        assert check_says(db) == (0, "ok"), f"killed after {method} #{n}"
        assert count(db) > stored
        stored = count(db)
    rerun = invoke_cli("--db", str(db), "ingest", str(SAMPLE))
    assert rerun.returncode == 0, rerun.stderr
    clean = tmp_path / "clean.sqlite"
    assert invoke_cli("--db", str(clean), "ingest", str(SAMPLE)).returncode == 0
    whole = desk_state(clean)
    assert whole["edges"] and len(whole["stories"]) > 1 and not whole["unfingerprinted"]
    assert desk_state(db) == whole


@pytest.fixture
def corpus_server() -> Iterator[tuple[Server, dict[str, str]]]:
    with running() as server:
        yield server, serve_corpus(server, SAMPLE)


def live_env(tmp: Path) -> dict[str, str]:
    # One request at a time: the articles arrive in the same order in every run, as the
    # comparison with a clean run needs (stories depend on the order of arrival).
    return {
        "NEWSDESK_DATA_DIR": str(tmp),
        "NEWSDESK_HOST_OVERRIDES": "*.example=127.0.0.1",
        "NEWSDESK_ALLOW_PRIVATE_ADDRESSES": "true",
        "NEWSDESK_PER_HOST_DELAY": "0",
        "NEWSDESK_CONCURRENCY": "1",
        "NEWSDESK_ARCHIVE": "false",
    }


def with_sources(db: Path, feeds: dict[str, str]) -> None:
    with open_desk(db) as desk:
        desk.ingest_items([FoundSource(kind=SourceKind.FEED, url=u) for _, u in sorted(feeds.items())])


def test_kills_at_each_stage_of_an_update_leave_whole_articles(
    corpus_server: tuple[Server, dict[str, str]], tmp_path: Path
) -> None:
    _, feeds = corpus_server
    env = live_env(tmp_path)
    db = tmp_path / "killed.sqlite"
    with_sources(db, feeds)
    stored = run_and_kill(db, ["update"], at_least=5, env=env)  # at a random moment first
    assert check_says(db) == (0, "ok")
    # The sample's feeds give 59 articles through `update`, two of them copies (the 37th, the 55th).
    rounds = [
        ("save_article", 15),
        ("story_candidates", 10),
        ("save_copy_group", 1),
        ("save_story_change", 10),
        ("save_copy_group", 1),
    ]
    for method, n in rounds:
        kill_at(db, method, n, "update", env=env)
        assert check_says(db) == (0, "ok"), f"killed after {method} #{n}"
        assert count(db) >= stored
        stored = count(db)
    rerun = invoke_cli("--db", str(db), "update", "--json", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["failed"] == 0
    clean = tmp_path / "clean.sqlite"
    with_sources(clean, feeds)
    assert invoke_cli("--db", str(clean), "update", env=env).returncode == 0
    whole = desk_state(clean)
    assert whole["edges"] and len(whole["stories"]) > 1 and not whole["unfingerprinted"]
    assert desk_state(db) == whole


def test_check_finds_what_an_older_newsdesk_left_unfinished_and_repair_finishes_it(tmp_path: Path) -> None:
    """An older newsdesk wrote an article, its copy edges and its story in separate transactions:
    killed between them, it left articles without a story that reruns took for unchanged."""
    db = tmp_path / "old.sqlite"
    for method, n in ROUNDS[:3]:
        kill_at(db, method, n, "ingest", str(SAMPLE), legacy=True)
        status, said = check_says(db)
        assert status == 1 and "1 article(s) without story" in said, said
        assert check_says(db, "--repair") == (0, "finished 1 article(s)\nok")
    kill_at(db, "save_copy_group", 2, "ingest", str(SAMPLE), legacy=True)
    assert check_says(db)[0] == 1
    # A rerun finishes it too, when the article comes again (it used to count it as unchanged).
    assert invoke_cli("--db", str(db), "ingest", str(SAMPLE)).returncode == 0
    assert check_says(db) == (0, "ok")
    clean = tmp_path / "clean.sqlite"
    assert invoke_cli("--db", str(clean), "ingest", str(SAMPLE)).returncode == 0
    assert desk_state(db) == desk_state(clean)


@pytest.mark.parametrize(
    ("command", "method", "n", "missing"),
    [
        ("retrace", "save_fingerprint", 40, ["fingerprint"]),
        ("recluster", "save_story_change", 30, ["fingerprint", "story"]),
    ],
)
def test_a_killed_retrace_or_recluster_is_finished_by_repair(
    tmp_path: Path, command: str, method: str, n: int, missing: list[str]
) -> None:
    db = tmp_path / "desk.sqlite"
    assert invoke_cli("--db", str(db), "ingest", str(SAMPLE)).returncode == 0
    before = desk_state(db)
    kill_at(db, method, n, command)
    status, said = check_says(db)
    assert status == 1
    for part in missing:
        assert f"without {part}" in said, said
    status, said = check_says(db, "--repair")
    assert status == 0 and said.startswith("finished ") and said.endswith("\nok"), said
    assert desk_state(db) == before
