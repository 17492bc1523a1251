"""The understanding commands (entities, entity, quotes, reunderstand) over the sample corpus, the
export's quotes and entities (JSON Lines and Parquet, read a batch of articles at a time), and a
`newsdesk reunderstand` killed with SIGKILL in a real process, which a second run finishes
without redoing what the first had done."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsdesk import open_desk
from newsdesk.store.sqlite import SQLiteStore

from .._pages import write_pages
from ..conftest import invoke_cli, run_cli

KILLER = Path(__file__).resolve().parents[1] / "_killer.py"
SILL_SAID = "Our members have kept this port running through two record years"


@pytest.fixture
def copied(sample_store: Path, tmp_path: Path) -> Path:
    """A copy of the sample store a test may change."""
    db = tmp_path / "copy.sqlite"
    shutil.copy(sample_store, db)
    return db


def test_entities_lists_the_most_named_and_filters(sample_store: Path) -> None:
    r = invoke_cli("--db", str(sample_store), "entities", "-n", "100", env={"COLUMNS": "200"})
    assert r.returncode == 0 and "Brannock Sill" in r.stdout and "Kestrel Bay" in r.stdout
    r = invoke_cli("--db", str(sample_store), "entities", "--type", "place", "--json", "-n", "100")
    places = [json.loads(line) for line in r.stdout.splitlines()]
    assert places and {e["type"] for e in places} == {"place"}
    counts = [e["articles"] for e in places]
    assert counts == sorted(counts, reverse=True)
    r = invoke_cli("--db", str(sample_store), "entities", "-q", "brannock", "--json")
    assert [json.loads(line)["name"] for line in r.stdout.splitlines()] == ["Brannock Sill"]
    r = invoke_cli("--db", str(sample_store), "entities", "--type", "robot")
    assert r.returncode == 2
    r = invoke_cli("--db", str(sample_store), "entities", "-q", "zyzzyva quux")
    assert r.returncode == 0 and r.stdout.strip() == "no entities"


def test_entity_by_name_and_by_id(sample_store: Path) -> None:
    r = invoke_cli("--db", str(sample_store), "entity", "Brannock Sill", "--json")
    assert r.returncode == 0, r.stderr
    sill = json.loads(r.stdout)
    assert sill["type"] == "person" and sill["quotes"] >= 3 and sill["articles"] >= 3
    assert len(sill["latest_quotes"]) == min(sill["quotes"], 10)
    assert any(SILL_SAID in q["text"] for q in sill["latest_quotes"])
    assert sill["stories"] and sill["latest_articles"]
    r = invoke_cli("--db", str(sample_store), "entity", str(sill["id"]), env={"COLUMNS": "200"})
    assert r.returncode == 0
    for words in ("Brannock Sill", "person", "Quotes", "Stories", "Articles"):
        assert words in r.stdout, words
    # Pressline's words, repeated by three outlets, are printed once: Pressline's, then the others.
    assert r.stdout.count(SILL_SAID) == 1
    assert "Pressline · 2026-03-02 08:15" in r.stdout and "also reported by Valley Gazette" in r.stdout


def test_unknown_entity_is_one_line_and_exit_1(sample_store: Path) -> None:
    """Through the real entry point, as other not-found errors (`show 424242`)."""
    r = run_cli("--db", str(sample_store), "entity", "Zyzzyva Quux")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        "error: no entity is called 'Zyzzyva Quux' (see `newsdesk entities`)"
    ]
    r = invoke_cli("--db", str(sample_store), "entity", "999999")
    assert r.returncode == 1 and "no entity with id 999999" in r.stderr
    r = invoke_cli("--db", str(sample_store), "quotes", "--speaker", "Zyzzyva Quux")
    assert r.returncode == 1 and "no entity is called" in r.stderr


def test_quotes_by_speaker_and_words(sample_store: Path) -> None:
    r = invoke_cli(
        "--db", str(sample_store), "quotes", "--speaker", "Sill", "-n", "50", "--every-report", "--json"
    )
    assert r.returncode == 0, r.stderr
    hits = [json.loads(line) for line in r.stdout.splitlines()]
    assert hits and {h["speaker"] for h in hits} == {"Brannock Sill"}
    repeats = [h for h in hits if SILL_SAID in h["text"]]
    assert len(repeats) >= 2 and len({h["first_article_id"] for h in repeats}) == 1
    assert [h["first_report"] for h in repeats].count(True) == 1
    assert {h["first_source"] for h in repeats} == {"Pressline"}
    assert {h["reports"] for h in repeats} == {len(repeats)}
    # By default each statement once: the repeats fold into their first report.
    r = invoke_cli("--db", str(sample_store), "quotes", "--speaker", "Sill", "-n", "50", "--json")
    once = [json.loads(line) for line in r.stdout.splitlines()]
    assert [h["first_report"] for h in once if SILL_SAID in h["text"]] == [True]
    assert len({h["text"] for h in once}) == len(once) < len(hits)
    r = invoke_cli(
        "--db", str(sample_store), "quotes", "--speaker", "Sill", "--every-report", env={"COLUMNS": "200"}
    )
    assert "first reported by Pressline" in r.stdout and SILL_SAID in r.stdout
    assert f"{len(repeats)} articles carry it" in r.stdout
    # A quotation interrupted by its attribution reads without it; ``text`` keeps the span whole.
    interrupted = [h for h in once if "said Brannock Sill of the" in h["text"]]
    assert interrupted and all(
        "said Brannock Sill" not in h["said"] and "” … “" in h["said"] for h in interrupted
    )
    r = invoke_cli(
        "--db", str(sample_store), "quotes", "overtime", "--speaker", "Sill", env={"COLUMNS": "300"}
    )
    assert "“Nobody asked about overtime,” … “People here know" in r.stdout
    r = invoke_cli("--db", str(sample_store), "quotes", "settlement", "--json")
    assert r.returncode == 0 and all(
        "settlement" in json.loads(line)["text"] for line in r.stdout.splitlines()
    )
    assert r.stdout
    r = invoke_cli("--db", str(sample_store), "quotes", "zyzzyva")
    assert r.returncode == 0 and r.stdout.strip() == "no quotes"


def test_reunderstand_does_only_what_is_left(copied: Path) -> None:
    with open_desk(copied) as desk:
        total = len(list(desk.articles()))
    r = invoke_cli("--db", str(copied), "reunderstand")
    assert r.returncode == 0 and r.stdout.strip() == "0 articles understood"  # ingest understood them
    r = invoke_cli("--db", str(copied), "reunderstand", "--all")
    assert r.returncode == 0 and r.stdout.strip() == f"{total} articles understood"
    r = invoke_cli("--db", str(copied), "entity", "Brannock Sill")
    assert r.returncode == 0


def test_reunderstand_draws_the_progress_bar_on_a_terminal(copied: Path) -> None:
    with open_desk(copied) as desk:
        total = len(list(desk.articles()))
    terminal = {"NEWSDESK_PROGRESS": "true", "FORCE_COLOR": "1", "COLUMNS": "100"}
    r = invoke_cli("--db", str(copied), "reunderstand", "--all", env=terminal)
    assert r.returncode == 0 and r.stdout.strip() == f"{total} articles understood"
    assert "understanding" in r.stderr and f"{total}/{total}" in r.stderr
    r = invoke_cli("--db", str(copied), "reunderstand", "--all", "--no-progress", env=terminal)
    assert r.returncode == 0 and r.stderr == ""


# -- export ----------------------------------------------------------------------------------------


def _sill_quote(rec: dict[str, Any]) -> dict[str, Any]:
    return next(q for q in rec["quotes"] if SILL_SAID in q["text"])


def test_export_carries_quotes_and_entities(
    sample_store: Path, tmp_path: Path, truth: dict[str, Any]
) -> None:
    url = truth["articles"]["e01-pressline"]["url"]
    r = invoke_cli("--db", str(sample_store), "export")
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert all(isinstance(rec["quotes"], list) and isinstance(rec["entities"], list) for rec in records)
    assert sum(len(rec["quotes"]) for rec in records) > 0
    with open_desk(sample_store) as desk:
        pressline = desk.get_article(url).id
    rec = next(rec for rec in records if rec["id"] == pressline)
    q = _sill_quote(rec)
    assert set(q) == {
        "speaker",
        "speaker_mention",
        "cue",
        "text",
        "said",
        "start",
        "end",
        "direct",
        "speaker_key",
        "statement",
    }
    assert q["speaker"] == "Brannock Sill" and q["direct"] is True
    assert q["speaker_key"] == "person:brannock sill"
    # The same words in the copies are the same statement, and the earliest record is Pressline's.
    repeats = [
        (r["published"], r["source"])
        for r in records
        for x in r["quotes"]
        if x["statement"] == q["statement"]
    ]
    assert len(repeats) >= 2 and min(repeats)[1] == "Pressline"
    assert rec["text"][q["start"] : q["end"]] == q["text"]
    sill = next(e for e in rec["entities"] if e["name"] == "Brannock Sill")
    assert sill["type"] == "person" and set(sill) == {"key", "name", "type", "mentions"}
    assert sill["key"] == "person:brannock sill"
    named = [r["id"] for r in records for e in r["entities"] if e["key"] == sill["key"]]
    assert len(named) >= 3  # one key across the articles that name him
    for e in rec["entities"]:
        for m in e["mentions"]:
            assert rec["text"][m["start"] : m["end"]] == m["text"]

    out = tmp_path / "all.parquet"
    r = invoke_cli("--db", str(sample_store), "export", "-f", "parquet", "-o", str(out))
    assert r.returncode == 0, r.stderr
    import pyarrow.parquet as pq

    rows = {row["id"]: row for row in pq.read_table(out).to_pylist()}
    assert len(rows) == len(records)
    for want in records:
        got = rows[want["id"]]
        assert got["quotes"] == want["quotes"] and got["entities"] == want["entities"], want["id"]


def test_export_reads_understandings_a_batch_at_a_time(
    sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = SQLiteStore.understandings

    def counted(self: SQLiteStore, article_ids: Any) -> Any:
        calls.append(len(article_ids))
        return real(self, article_ids)

    monkeypatch.setattr(SQLiteStore, "understandings", counted)
    with open_desk(sample_store) as desk:
        n = desk.export("jsonl", tmp_path / "all.jsonl")
    assert n > 50 and calls == [n]  # one read for the whole sample (batches of 500)


# -- a killed reunderstand -------------------------------------------------------------------------

N_PAGES = 60
KILL_AT = 21


@pytest.mark.slow
def test_a_killed_reunderstand_is_finished_by_the_next_run(tmp_path: Path) -> None:
    """`reunderstand --all` in a real process, killed (SIGKILL) right after the 21st article's
    understanding is written and before that article's unit of work commits: 20 articles are
    done. The next `reunderstand` understands the 40 left, not the 20 done, and every article ends
    understood."""
    pages = tmp_path / "pages"
    write_pages(pages, N_PAGES)
    db = tmp_path / "many.sqlite"
    assert invoke_cli("--db", str(db), "ingest", str(pages)).returncode == 0
    with open_desk(db) as desk:
        ids = [a.id for a in desk.articles()]
    assert len(ids) == N_PAGES
    kill = [sys.executable, str(KILLER), "save_understanding", str(KILL_AT), "--"]
    killed = subprocess.run(
        [*kill, "--db", str(db), "reunderstand", "--all"],
        env={**os.environ, "NEWSDESK_PROGRESS": "false"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    with open_desk(db) as desk:
        done = set(desk.understandings(ids))
    assert len(done) == KILL_AT - 1
    r = invoke_cli("--db", str(db), "reunderstand")
    assert r.returncode == 0 and r.stdout.strip() == f"{N_PAGES - KILL_AT + 1} articles understood"
    with open_desk(db) as desk:
        assert set(desk.understandings(ids)) == set(ids)
    r = invoke_cli("--db", str(db), "reunderstand")
    assert r.stdout.strip() == "0 articles understood"
