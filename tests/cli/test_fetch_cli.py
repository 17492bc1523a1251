"""The live-source commands (in process, click's CliRunner) against a server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .._server import Reply, Server, running, serve_corpus
from ..conftest import invoke_cli

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "newsdesk" / "sample"


@pytest.fixture(scope="module")
def corpus() -> Iterator[tuple[Server, dict[str, str]]]:
    with running() as s:
        feeds = serve_corpus(s, SAMPLE)
        s.add("/down.xml", Reply(status=500, conditional=False), host="down.example")
        yield s, feeds


def env(tmp: Path) -> dict[str, str]:
    return {
        "NEWSDESK_DATA_DIR": str(tmp),
        "NEWSDESK_HOST_OVERRIDES": "*.example=127.0.0.1",
        "NEWSDESK_ALLOW_PRIVATE_ADDRESSES": "true",
        "NEWSDESK_PER_HOST_DELAY": "0",
        "NEWSDESK_MAX_RETRIES": "0",
        "NEWSDESK_USER_AGENT_CONTACT": "desk@example.org",
        "COLUMNS": "300",
    }


def test_add_update_sources_remove(corpus: tuple[Server, dict[str, str]], tmp_path: Path) -> None:
    server, feeds = corpus
    e = env(tmp_path)
    db = str(tmp_path / "cli.sqlite")
    harbour = feeds["harbourtimes.xml"]
    r = invoke_cli("--db", db, "add", harbour, "--category", "local", env=e)
    assert r.returncode == 0, r.stderr
    assert "added: 1 feed The Harbour Times" in r.stdout
    r = invoke_cli("--db", db, "add", harbour, env=e)
    assert "already known" in r.stdout
    r = invoke_cli("--db", db, "add", f"http://down.example:{server.port}/down.xml", env=e)
    assert r.returncode == 1 and "HTTP 500" in r.stderr and "down.example" in r.stderr
    assert "Traceback" not in r.stderr
    invoke_cli(
        "--db", db, "import", str(SAMPLE / "sources.opml"), env=e
    )  # real-world addresses: unreachable here
    r = invoke_cli("--db", db, "update", "--json", "1", env=e)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["sources"] == 1 and summary["new"] > 0 and summary["failed"] == 0
    ua = [q.headers["user-agent"] for q in server.log if q.host == "harbourtimes.example"]
    assert ua and all("+desk@example.org" in u for u in ua)
    r = invoke_cli("--db", db, "update", "1", env=e)
    assert "1 unchanged" in r.stdout and "0 new" in r.stdout
    r = invoke_cli("--db", db, "sources", env=e)
    assert "The Harbour Times" in r.stdout and "ok (304)" in r.stdout
    r = invoke_cli("--db", db, "sources", "--json", env=e)
    (harbour_state,) = [s for s in json.loads(r.stdout) if s["url"] == harbour]
    assert harbour_state["fetches"] == 2 and harbour_state["not_modified"] == 1
    assert harbour_state["category"] == "local" and harbour_state["new_articles"] > 0
    r = invoke_cli("--db", db, "export-opml", env=e)
    assert r.returncode == 0 and 'xmlUrl="' + harbour + '"' in r.stdout and 'text="local"' in r.stdout
    r = invoke_cli("--db", db, "remove", harbour, env=e)
    assert r.returncode == 0 and "removed: 1" in r.stdout
    r = invoke_cli("--db", db, "remove", "999", env=e)
    assert r.returncode == 1 and "no source" in r.stderr


def test_failures_pause_resume_and_reextract(corpus: tuple[Server, dict[str, str]], tmp_path: Path) -> None:
    server, feeds = corpus
    e = {**env(tmp_path), "NEWSDESK_PAUSE_AFTER_ERRORS": "1"}
    db = str(tmp_path / "cli.sqlite")
    opml = tmp_path / "mine.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline text="Down" xmlUrl="http://down.example:{server.port}/down.xml"/>'
        f'<outline text="Pressline" xmlUrl="{feeds["pressline.xml"]}"/></body></opml>'
    )
    r = invoke_cli("--db", db, "import", str(opml), env=e)
    assert "2 sources added" in r.stdout
    r = invoke_cli("--db", db, "update", env=e)
    assert r.returncode == 0, r.stderr
    assert "failed" in r.stdout and "http-500" in r.stdout and "paused" in r.stdout
    r = invoke_cli("--db", db, "sources", env=e)
    assert "paused" in r.stdout and "1 failed updates in a row" in r.stdout
    r = invoke_cli("--db", db, "resume", "1", env=e)
    assert "resumed: 1" in r.stdout
    assert list((tmp_path / "warc").glob("*.warc.gz"))
    r = invoke_cli("--db", db, "reextract", "--json", env=e)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["unchanged"] >= 1
    r = invoke_cli("--db", str(tmp_path / "fresh.sqlite"), "ingest", "--json", str(tmp_path / "warc"), env=e)
    assert json.loads(r.stdout)["new"] >= 1


def test_watch_stops_when_told(corpus: tuple[Server, dict[str, str]], tmp_path: Path) -> None:
    _, feeds = corpus
    e = {**env(tmp_path), "NEWSDESK_MIN_UPDATE_INTERVAL": "1", "NEWSDESK_MAX_UPDATE_INTERVAL": "1"}
    db = str(tmp_path / "cli.sqlite")
    invoke_cli("--db", db, "add", feeds["valleygazette.xml"], env=e)
    r = invoke_cli("--db", db, "update", "--watch", "--stop-after", "2.5", env=e)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("ok 1 Valley Gazette") >= 2 and "unchanged (304)" in r.stdout


def test_ingest_fetch_fetches_the_pages_a_local_sitemap_lists(
    corpus: tuple[Server, dict[str, str]], tmp_path: Path
) -> None:
    """A local sitemap only points at pages: `ingest` says they need fetching and how, and
    `ingest --fetch` fetches them (politely, as update does)."""
    server, _ = corpus
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    urls = sorted(
        a["url"].replace("https://", "http://").replace(".example/", f".example:{server.port}/", 1)
        for a in truth["articles"].values()
        if a.get("file", "").startswith("pages/harbourtimes/")
    )[:3]
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )
    e = env(tmp_path)
    db = str(tmp_path / "s.sqlite")
    r = invoke_cli("--db", db, "ingest", str(sitemap), env=e)
    assert r.returncode == 0, r.stderr
    assert "3 need their page fetched (run again with --fetch" in r.stdout
    r = invoke_cli("--db", db, "ingest", "--fetch", "--json", str(sitemap), env=e)
    assert r.returncode == 0, r.stderr
    fetched = json.loads(r.stdout)["pages_fetched"]
    assert fetched["fetched"] == 3 and fetched["new"] == 3 and fetched["failed"] == 0
    r = invoke_cli("--db", db, "ingest", str(sitemap), env=e)
    assert "3 have their page stored, 0 need their page fetched" in r.stdout
