"""The command line, in process (click's CliRunner); one test runs the real entry point
(``python -m newsdesk``) in a subprocess, as a user's shell would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .._pages import write_pages
from ..conftest import invoke_cli, run_cli


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    pages = root / "pages"
    write_pages(pages, 8)
    (pages / "index.html").write_text(
        "<html><head><title>World</title><meta property='og:type' content='website'></head><body><ul>"
        + "".join(
            f"<li><a href='/w/{i}'>Headline number {i} about the harbour budget</a></li>" for i in range(15)
        )
        + "</ul></body></html>"
    )
    db = root / "cli.sqlite"
    r = invoke_cli("--db", str(db), "ingest", str(pages))
    assert r.returncode == 0, r.stderr
    return db, pages


def test_help_teaches(tmp_path: Path) -> None:
    r = invoke_cli("--help")
    assert r.returncode == 0
    for word in ("demo", "ingest", "search", "show", "export", "extract", "NEWSDESK_DB"):
        assert word in r.stdout
    r = invoke_cli("ingest", "--help")
    assert "JSONL" in r.stdout and ".gz" in r.stdout


def test_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    r = invoke_cli("--version")
    assert r.returncode == 0 and r.stdout == f"newsdesk, version {version('newsdesk')}\n"


def test_ingest_summary_names_reasons(filled: tuple[Path, Path], tmp_path: Path) -> None:
    db, pages = filled
    r = invoke_cli("--db", str(tmp_path / "x.sqlite"), "ingest", str(pages))
    assert "8 new" in r.stdout and "1 rejected" in r.stdout and "index-page" in r.stdout
    r = invoke_cli("--db", str(db), "ingest", "--json", str(pages))
    assert json.loads(r.stdout)["unchanged"] == 8


def test_search_show_latest(filled: tuple[Path, Path]) -> None:
    db, _ = filled
    r = invoke_cli("--db", str(db), "search", "--json", "report", "--category", "sport")
    hits = [json.loads(line) for line in r.stdout.splitlines()]
    assert hits and all(h["category"] == "sport" for h in hits)
    r = invoke_cli("--db", str(db), "search", "Synthetic report number 3")
    assert r.returncode == 0 and "Synthetic report number 3" in r.stdout
    first = hits[0]
    r = invoke_cli("--db", str(db), "show", str(first["id"]))
    assert r.returncode == 0 and first["title"] in r.stdout
    r = invoke_cli("--db", str(db), "show", "--json", first["url"] + "?utm_source=x")
    assert json.loads(r.stdout)["id"] == first["id"]
    r = invoke_cli("--db", str(db), "latest", "-n", "3")
    assert r.returncode == 0 and r.stdout.count("Synthetic report") == 3
    r = invoke_cli("--db", str(db), "search", "report", "--since", "yesterday")
    assert r.returncode == 2 and "give a date" in r.stderr


def test_errors_are_one_line_not_a_traceback(filled: tuple[Path, Path]) -> None:
    """Through the real entry point: the process exits 1 with one line on stderr (main's logging
    set up, no traceback from the interpreter)."""
    db, _ = filled
    r = run_cli("--db", str(db), "show", "424242")
    assert r.returncode == 1 and "no article with id 424242" in r.stderr and "Traceback" not in r.stderr


def test_export_jsonl_and_parquet(filled: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = filled
    r = invoke_cli("--db", str(db), "export", "--format", "jsonl")
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(records) == 8
    expected = {
        "url",
        "canonical_url",
        "source",
        "title",
        "byline",
        "published",
        "updated",
        "language",
        "section",
        "category",
        "source_links",
        "text",
        "revisions",
    }
    assert expected <= set(records[0])
    out = tmp_path / "a.parquet"
    r = invoke_cli("--db", str(db), "export", "-f", "parquet", "-o", str(out), "--category", "world")
    assert r.returncode == 0, r.stderr
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert table.num_rows == 2 and set(table.column("category").to_pylist()) == {"world"}
    assert str(table.schema.field("published").type) == "timestamp[us, tz=UTC]"
    r = invoke_cli("--db", str(db), "export", "-f", "parquet")
    assert r.returncode == 2 and "-o" in r.stderr


def test_extract_prints_without_storing(filled: tuple[Path, Path], tmp_path: Path) -> None:
    _, pages = filled
    page = pages / "page-00002.html"
    r = invoke_cli(
        "extract", "--format", "json", str(page), env={"NEWSDESK_DB": str(tmp_path / "never.sqlite")}
    )
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["title"] == "Synthetic report number 2" and rec["category"] == "sport"
    assert not (tmp_path / "never.sqlite").exists()
    # The real process's stdin (a binary stream with a name, unlike CliRunner's).
    piped = run_cli("extract", "-", input=page.read_bytes())
    assert piped.returncode == 0 and b"Report 2 paragraph 0" in piped.stdout
    r = invoke_cli("extract", str(pages / "index.html"))
    assert r.returncode == 1 and "rejected (index-page)" in r.stderr


_TABLE_PAGE = (
    '<!doctype html><html lang="en"><head><title>Harbour City top the league</title>'
    '<meta property="article:published_time" content="2026-04-12T18:00:00+00:00"></head><body><article>'
    "<h1>Harbour City top the league</h1>"
    "<p>Harbour City finished the regular season top of the coastal league on Saturday after a 3-1 win over "
    "Millbrook Rovers, their ninth victory in a row in front of a sold-out home crowd at Quay Park.</p>"
    "<table><tr><th>Team</th><th>Points</th></tr><tr><td>Harbour City</td><td>44</td></tr>"
    "<tr><td>Millbrook Rovers</td><td>38</td></tr></table>"
    "<p>The play-offs begin next weekend, when the top four meet in single matches at the home ground of "
    "the higher-placed side, with the final due at the national stadium on the first of May.</p>"
    "</article></body></html>"
)
_TABLE_TEXT = [
    "Harbour City finished the regular season top of the coastal league on Saturday after a 3-1 win over "
    "Millbrook Rovers, their ninth victory in a row in front of a sold-out home crowd at Quay Park.",
    "Team | Points",
    "Harbour City | 44",
    "Millbrook Rovers | 38",
    "The play-offs begin next weekend, when the top four meet in single matches at the home ground of "
    "the higher-placed side, with the final due at the national stadium on the first of May.",
]


def test_extract_text_prints_the_metadata_header_then_the_text(tmp_path: Path) -> None:
    page = tmp_path / "league.html"
    page.write_text(_TABLE_PAGE, encoding="utf-8")
    r = run_cli("extract", "--format", "text", str(page))
    assert r.returncode == 0, r.stderr
    header, _, text = r.stdout.partition("\n\n")
    assert "title" in header and "Harbour City top the league" in header
    assert "published" in header and "2026-04-12" in header
    assert text.rstrip("\n").split("\n") == _TABLE_TEXT


def test_extract_text_only_prints_just_the_clean_text_for_pipes(
    tmp_path: Path, filled: tuple[Path, Path]
) -> None:
    page = tmp_path / "league.html"
    page.write_text(_TABLE_PAGE, encoding="utf-8")
    r = run_cli("extract", "--text-only", str(page))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "\n".join(_TABLE_TEXT) + "\n"
    r = run_cli("extract", "--text-only", "-", input=page.read_bytes())
    assert r.returncode == 0 and r.stdout.decode().split("\n")[:2] == _TABLE_TEXT[:2]
    # a rejected page prints nothing on stdout: the reason goes to stderr, with exit status 1
    _, pages = filled
    r = run_cli("extract", "--text-only", str(pages / "index.html"))
    assert r.returncode == 1 and r.stdout == "" and "rejected (index-page)" in r.stderr
    r = run_cli("extract", "--text-only", "--format", "json", str(page))
    assert r.returncode == 2 and "--text-only" in r.stderr


def test_stats_check_settings(filled: tuple[Path, Path]) -> None:
    db, _ = filled
    assert "8 articles" in invoke_cli("--db", str(db), "stats").stdout
    r = invoke_cli("--db", str(db), "stats", "--bytes", env={"COLUMNS": "160"})
    assert r.returncode == 0, r.stderr
    assert "Disk use" in r.stdout and "bytes per article" in r.stdout and "× text" in r.stdout
    assert "article_revisions" in r.stdout and "articles_fts_data" in r.stdout
    assert invoke_cli("--db", str(db), "check").stdout.strip() == "ok"
    r = invoke_cli("--db", str(db), "rejected")
    assert "index-page" in r.stdout
    r = invoke_cli("settings", env={"NEWSDESK_MIN_WORDS": "42"})
    assert "42" in r.stdout
    r = invoke_cli("settings", env={"NEWSDESK_MIN_WORDS": "many"})
    assert r.returncode == 1 and "min_words" in r.stderr


def test_bad_config_file_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "newsdesk.toml"
    cfg.write_text("[newsdesk]\nmin_wordz = 3\n")
    r = invoke_cli("--config", str(cfg), "--db", str(tmp_path / "d.sqlite"), "stats")
    assert r.returncode == 1 and "unknown setting(s) min_wordz" in r.stderr


def test_compact_gives_room_back_and_changes_no_result(filled: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "copy.sqlite"
    shutil.copy(filled[0], db)
    searched = invoke_cli("--db", str(db), "search", "council", "--json").stdout
    r = invoke_cli("--db", str(db), "compact")
    assert r.returncode == 0 and " MB -> " in r.stdout, r.stderr
    assert invoke_cli("--db", str(db), "search", "council", "--json").stdout == searched
    assert invoke_cli("--db", str(db), "check").stdout.strip() == "ok"
