"""`Desk.update` against a real server on 127.0.0.1 serving the sample corpus's feeds and pages, and
the faults real sources have. Nothing crashes, nothing is lost, every failure is recorded with its
reason, and one bad source never stops the others."""

from __future__ import annotations

import gzip
import json
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pytest

from newsdesk import Desk, open_desk
from newsdesk._cadence import backoff_interval, cache_max_age, feed_ttl, next_interval, publishing_rate
from newsdesk.model import FoundSource, RejectReason, SourceKind
from newsdesk.store import open_store

from ._bombs import entity_bomb
from ._pages import article_page, endless_page
from ._server import Reply, Request, Server, running, serve_corpus

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "sample"
FAULTS = "faults.example"


def live_settings(tmp: Path, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "data_dir": str(tmp),
        "host_overrides": "*.example=127.0.0.1",
        "allow_private_addresses": True,
        "per_host_delay": 0,
        "retry_base_delay": 0.01,
        "read_timeout": 1.0,
        "total_timeout": 5.0,
        "max_body_bytes": 2_000_000,
        "min_update_interval": 60,
    }
    base.update(kw)
    return base


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as s:
        yield s


def open_live(tmp: Path, **kw: Any) -> Desk:
    return open_desk(tmp / "desk.sqlite", **live_settings(tmp, **kw))


def words(n: int, seed: int) -> str:
    rng = random.Random(seed)
    vocab = "harbour council bridge ferry budget river storm market factory union league season".split()
    return " ".join(rng.choice(vocab) for _ in range(n))


def rss(
    items: list[dict[str, str]], *, title: str = "Fault Feed", extra: str = "", encoding: str = "utf-8"
) -> bytes:
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>{escape(title)}</title><link>http://{FAULTS}/</link>{extra}",
    ]
    for it in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>")
        if "guid" in it:
            parts.append(f'<guid isPermaLink="false">{escape(it["guid"])}</guid>')
        parts.append(f"<pubDate>{it.get('date', 'Wed, 11 Mar 2026 10:00:00 +0000')}</pubDate>")
        parts.append(
            f"<description>{escape(it.get('summary', 'A short summary of the story.'))}</description>"
        )
        if "full" in it:
            parts.append(f"<content:encoded><![CDATA[{it['full']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding if encoding != "utf-8" else "utf-8", errors="xmlcharrefreplace")


def full_text(seed: int) -> str:
    return "".join(f"<p>{words(40, seed * 10 + p).capitalize()}.</p>" for p in range(5))


def feed_source(desk: Desk, url: str) -> None:
    desk.ingest_items([FoundSource(kind=SourceKind.FEED, url=url)])


# -- the sample corpus ------------------------------------------------------------------------------


def _opml(server: Server, feeds: dict[str, str]) -> bytes:
    outlines = "".join(
        f'<outline type="rss" text="{name}" xmlUrl="{escape(url)}"/>' for name, url in sorted(feeds.items())
    )
    return f'<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="News">{outlines}</outline></body></opml>'.encode()


def test_the_sample_corpus_is_collected_then_costs_only_304s(server: Server, tmp_path: Path) -> None:
    feeds = serve_corpus(server, SAMPLE)
    opml_url = server.add("/subscriptions.opml", Reply(body=_opml(server, feeds), content_type="text/x-opml"))
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    with open_live(tmp_path) as desk:
        added = desk.add_source(opml_url)
        assert len(added) == len(feeds) and all(new for _, new in added)
        assert {s.category for s in desk.sources()} == {"News"}
        first = desk.update()
        assert first.failed == [] and len(first.results) == len(feeds)
        stored = {a.article.canonical_url for a in desk.articles()}
        assert desk.rejections() == []
        # Every entry became an article, under the canonical URL the truth gives (entries that exist
        # only in a feed are known by their link, which the test server rewrote to itself).
        entries = sum(r.entries for r in first.results)
        assert first.new == len(stored) == entries
        canonical = {a["canonical_url"] for a in truth["articles"].values()}
        assert {re.sub(r"^http://([^/:]+):\d+/", r"https://\1/", u) for u in stored} <= canonical
        # Full-text feeds cost no page fetch.
        for host in ("pressline.example", "valleygazette.example"):
            assert [r.path for r in server.log if r.host == host and not r.path.startswith("/feed")] in (
                [],
                ["/wire.xml"],
            )
        requests = len(server.log)
        second = desk.update(sources=[s.id for s in desk.sources()])
        assert all(r.not_modified for r in second.results)
        assert len(server.log) - requests == len(feeds)  # one 304 per feed, nothing else
        assert second.new == 0 and desk.stats().articles == len(stored)
        src = desk.sources()[0]
        assert src.not_modified == 1 and src.fetches == 2 and src.errors_in_row == 0
        assert src.new_articles > 0 and src.last_new_article is not None


def test_feed_ttl_and_cache_control_decide_the_next_fetch(server: Server, tmp_path: Path) -> None:
    items = [{"title": "T", "link": f"http://{FAULTS}/a", "full": full_text(1)}]
    server.add("/ttl.xml", Reply(body=rss(items, extra="<ttl>180</ttl>")), host=FAULTS)
    server.add(
        "/cc.xml", Reply(body=rss(items), headers={"Cache-Control": "public, max-age=7200"}), host=FAULTS
    )
    with open_live(tmp_path, max_update_interval=86_400, default_update_interval=600) as desk:
        feed_source(desk, server.url("/ttl.xml", FAULTS))
        feed_source(desk, server.url("/cc.xml", FAULTS))
        t0 = datetime.now(UTC)
        report = desk.update()
        due = {
            r.url.rsplit("/", 1)[-1]: (r.next_due - t0).total_seconds() for r in report.results if r.next_due
        }
        assert 180 * 60 * 0.85 < due["ttl.xml"] < 180 * 60 * 1.15
        assert 7200 * 0.85 < due["cc.xml"] < 7200 * 1.15


def test_a_lease_of_a_collector_that_died_on_this_machine_is_taken_at_once(
    server: Server, tmp_path: Path
) -> None:
    """A killed `newsdesk update` leaves its sources leased; run again on the same machine, update
    sees the holder's process is gone and fetches them now, not when the leases run out. A lease
    of a collector that is alive (or on another machine) is left alone."""
    items = [{"title": "T", "link": f"http://{FAULTS}/a", "full": full_text(1)}]
    for name in ("dead", "alive", "elsewhere"):
        server.add(f"/{name}.xml", Reply(body=rss(items)), host=FAULTS)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    node = platform.node()
    holders = {
        "dead": f"{node}:{gone.pid}:abc123",
        "alive": f"{node}:{os.getpid()}:abc123",
        "elsewhere": "another-machine:1:abc123",
    }
    with open_live(tmp_path, source_lease=3600) as desk:
        for name in holders:
            feed_source(desk, server.url(f"/{name}.xml", FAULTS))
        store = open_store(str(tmp_path / "desk.sqlite"))
        try:
            now = datetime.now(UTC)
            for src in desk.sources():
                holder = holders[src.url.rsplit("/", 1)[-1].removesuffix(".xml")]
                got = store.claim_sources(
                    now, ["feed"], holder=holder, until=now + timedelta(hours=1), limit=1
                )
                assert [s.id for s in got] == [src.id]
        finally:
            store.close()
        report = desk.update()
        assert [r.url.rsplit("/", 1)[-1] for r in report.results] == ["dead.xml"]
        left = {s.url.rsplit("/", 1)[-1]: s.leased_by for s in desk.sources()}
        assert left == {
            "dead.xml": None,
            "alive.xml": holders["alive"],
            "elsewhere.xml": holders["elsewhere"],
        }


# -- faults ---------------------------------------------------------------------------------------


def test_every_fault_is_recorded_and_the_good_sources_are_collected(server: Server, tmp_path: Path) -> None:
    feeds = serve_corpus(server, SAMPLE)
    good = [
        {
            "title": f"Good story {i}",
            "link": f"http://{FAULTS}/good/{i}",
            "guid": f"g{i}",
            "full": full_text(i),
        }
        for i in range(3)
    ]
    server.add("/good.xml", Reply(body=rss(good)), host=FAULTS)
    server.add("/slow.xml", Reply(body=rss(good), delay=2.5), host=FAULTS)
    server.add("/404.xml", Reply(status=404, body=b"<html><title>Not found</title></html>"), host=FAULTS)
    server.add("/410.xml", Reply(status=410, body=b"gone"), host=FAULTS)
    server.add("/500.xml", Reply(status=500, body=b"oops", conditional=False), host=FAULTS)
    server.add("/429.xml", Reply(status=429, headers={"Retry-After": "7200"}, conditional=False), host=FAULTS)
    server.add("/loop.xml", Reply(status=302, headers={"Location": "/loop2.xml"}), host=FAULTS)
    server.add("/loop2.xml", Reply(status=302, headers={"Location": "/loop.xml"}), host=FAULTS)
    server.add("/huge.xml", Reply(body=rss(good) + b"<!--" + b"x" * 3_000_000 + b"-->"), host=FAULTS)
    server.add("/bomb.xml", Reply(body=gzip.compress(b" " * 40_000_000), encoded="gzip"), host=FAULTS)
    server.add("/invalid.xml", Reply(body=b"<?xml version='1.0'?><rss><channel><title>x</ti"), host=FAULTS)
    server.add(
        "/error-page.xml",
        Reply(
            body=b"<!doctype html><html><head><title>Service unavailable</title></head><body>Try later</body></html>"
        ),
        host=FAULTS,
    )
    server.add("/empty.xml", Reply(body=b""), host=FAULTS)
    bad = ["slow", "404", "410", "500", "429", "loop", "huge", "bomb", "invalid", "error-page", "empty"]
    # The bomb must be caught by its ratio before the 2 MB body cap would stop it.
    with open_live(tmp_path, max_decompression_ratio=20) as desk:
        for url in feeds.values():
            feed_source(desk, url)
        for name in ["good", *bad]:
            feed_source(desk, server.url(f"/{name}.xml", FAULTS))
        report = desk.update()
        by_name = {r.url.rsplit("/", 1)[-1].removesuffix(".xml"): r for r in report.results}
        assert len(report.results) == len(feeds) + 1 + len(bad)
        reasons = {name: by_name[name].error or "" for name in bad}
        assert reasons["slow"].startswith("timeout")
        assert reasons["404"].startswith("http-404")
        assert reasons["410"].startswith("http-410") and "410" in (by_name["410"].paused or "")
        assert reasons["500"].startswith("http-500")
        assert reasons["429"].startswith("http-429")
        assert reasons["loop"].startswith("redirect-loop")
        assert reasons["huge"].startswith("too-large")
        assert reasons["bomb"].startswith("decompression-bomb")
        assert "malformed" in reasons["invalid"] or "not an RSS" in reasons["invalid"]
        assert "HTML page" in reasons["error-page"] and "Service unavailable" in reasons["error-page"]
        assert "empty" in reasons["empty"]
        assert server.count("/500.xml") == 3  # retried (max_retries=2), then recorded
        # Nothing lost: the good feed and the whole corpus arrived in the same update.
        assert by_name["good"].new == 3 and not by_name["good"].error
        assert sum(by_name[n].new for n in by_name if n not in bad) == desk.stats().articles
        # Health: every failing source says why; 429's Retry-After sets its next try.
        state = {s.url.rsplit("/", 1)[-1].removesuffix(".xml"): s for s in desk.sources()}
        for name in bad:
            assert state[name].errors_in_row == 1 and state[name].last_error, name
        assert state["410"].paused_reason
        retry = (state["429"].next_due or datetime.now(UTC)) - datetime.now(UTC)
        assert retry > timedelta(seconds=7000)


def test_a_pathological_page_holds_up_no_other_source(server: Server, tmp_path: Path) -> None:
    """A page that takes seconds to extract is stopped at the time budget, one with too many elements
    is refused unparsed, and meanwhile a source that answers a moment later is fetched and stored:
    extraction runs away from the store's one writer."""
    endless = server.add("/endless/1", Reply(body=endless_page(40_000)), host=FAULTS)
    crowded = server.add(
        "/crowded/1", Reply(body=b"<html><body>" + b"<i>x</i>" * 60_000 + b"</body></html>"), host=FAULTS
    )
    server.add("/endless.xml", Reply(body=rss([{"title": "Endless", "link": endless}])), host=FAULTS)
    server.add("/crowded.xml", Reply(body=rss([{"title": "Crowded", "link": crowded}])), host=FAULTS)
    good = [
        {"title": f"Good story {i}", "link": f"http://{FAULTS}/good/{i}", "full": full_text(i)}
        for i in range(3)
    ]
    server.add("/good.xml", Reply(body=rss(good), delay=0.5), host=FAULTS)
    with open_live(tmp_path, extract_timeout=3.0) as desk:
        for name in ("endless", "crowded", "good"):
            feed_source(desk, server.url(f"/{name}.xml", FAULTS))
        report = desk.update()
        assert [r.error for r in report.results] == [None, None, None]
        by_name = {r.url.rsplit("/", 1)[-1].removesuffix(".xml"): r for r in report.results}
        assert by_name["good"].new == 3 and desk.stats().articles == 3
        rejected = {r.url: r for r in desk.rejections()}
        assert rejected[endless].reason is RejectReason.TIMED_OUT
        assert rejected[endless].detail.startswith(
            "extraction ran past extract_timeout=3 s and was stopped after"
        )
        assert rejected[crowded].reason is RejectReason.TOO_LARGE
        assert rejected[crowded].detail == "60,002 elements, more than max_page_elements=50,000: not parsed"
        sources = {s.url.rsplit("/", 1)[-1].removesuffix(".xml"): s for s in desk.sources()}
    with closing(open_store(str(tmp_path / "desk.sqlite"))) as store:
        stopped = store.page_fetch(endless)
        assert stopped is not None and stopped.outcome == "rejected"
        assert (stopped.detail or "").startswith("timed-out: ")
        # The good source was stored and done while the endless page was still being extracted.
        good_done = sources["good"].last_success
        assert good_done is not None and good_done < stopped.tried


def test_a_moved_feed_follows_its_permanent_redirect(server: Server, tmp_path: Path) -> None:
    items = [{"title": "Story", "link": f"http://{FAULTS}/s/1", "full": full_text(3)}]
    server.add(
        "/old.xml",
        Reply(status=301, headers={"Location": f"http://{FAULTS}:{server.port}/new.xml"}),
        host=FAULTS,
    )
    new_url = server.add("/new.xml", Reply(body=rss(items)), host=FAULTS)
    with open_live(tmp_path) as desk:
        feed_source(desk, server.url("/old.xml", FAULTS))
        (result,) = desk.update().results
        assert result.moved_to == new_url and result.new == 1
        (src,) = desk.sources()
        assert src.url == new_url
        desk.update(sources=[src.id])
        assert server.count("/old.xml") == 1


def test_a_feed_with_a_wrong_declared_encoding_is_read(server: Server, tmp_path: Path) -> None:
    text = "Le café du port a rouvert ses portes ce matin. " * 20
    items = [{"title": "Café rouvert", "link": f"http://{FAULTS}/cafe", "full": f"<p>{text}</p>"}]
    body = rss(items).replace(b'encoding="utf-8"', b'encoding="utf-8"').decode("utf-8").encode("cp1252")
    server.add("/latin.xml", Reply(body=body, content_type="application/xml; charset=utf-8"), host=FAULTS)
    with open_live(tmp_path) as desk:
        feed_source(desk, server.url("/latin.xml", FAULTS))
        (result,) = desk.update().results
        assert result.error is None and result.new == 1
        (article,) = list(desk.articles())
        assert "café" in article.article.text


def test_duplicate_and_changing_entry_ids_lose_nothing_and_duplicate_nothing(
    server: Server, tmp_path: Path
) -> None:
    # Two different stories sharing one id: both are kept.
    dup = [
        {"title": "First story", "link": f"http://{FAULTS}/d/1", "guid": "same", "full": full_text(5)},
        {"title": "Second story", "link": f"http://{FAULTS}/d/2", "guid": "same", "full": full_text(6)},
    ]
    server.add("/dup.xml", Reply(body=rss(dup)), host=FAULTS)
    # The same stories under a new id at every fetch: still the same articles.
    count = {"n": 0}
    lock = threading.Lock()

    def changing(req: Request) -> Reply:
        with lock:
            count["n"] += 1
            n = count["n"]
        items = [
            {
                "title": f"Changing {i}",
                "link": f"http://{FAULTS}/c/{i}",
                "guid": f"id-{n}-{i}",
                "full": full_text(10 + i),
            }
            for i in range(3)
        ]
        return Reply(body=rss(items))

    server.add("/changing.xml", changing, host=FAULTS)
    with open_live(tmp_path) as desk:
        feed_source(desk, server.url("/dup.xml", FAULTS))
        feed_source(desk, server.url("/changing.xml", FAULTS))
        desk.update()
        assert desk.stats().articles == 5
        again = desk.update(sources=[s.id for s in desk.sources()])
        assert again.new == 0 and desk.stats().articles == 5
        assert count["n"] == 2


def test_an_entry_whose_link_changes_keeps_its_article(server: Server, tmp_path: Path) -> None:
    state = {"link": f"http://{FAULTS}/2026/03/11/rate-rise"}

    def feed(req: Request) -> Reply:
        items = [
            {
                "title": "Rate rise hits homeowners",
                "link": state["link"],
                "guid": "story-42",
                "full": full_text(42),
            }
        ]
        return Reply(body=rss(items))

    server.add("/renamed.xml", feed, host=FAULTS)
    with open_live(tmp_path) as desk:
        feed_source(desk, server.url("/renamed.xml", FAULTS))
        desk.update()
        state["link"] = f"http://{FAULTS}/2026/03/11/rate-rise-hits-homeowners"
        report = desk.update(sources=[s.id for s in desk.sources()])
        assert report.new == 0 and desk.stats().articles == 1
        stored = desk.get_article(state["link"])
        assert stored.article.title.startswith("Rate rise")


def test_summary_entries_fetch_their_pages_and_failures_are_recorded(server: Server, tmp_path: Path) -> None:
    rng = random.Random(1)
    items = []
    for i in range(4):
        items.append(
            {
                "title": f"Synthetic report number {i}",
                "link": f"http://{FAULTS}:{server.port}/p/{i}",
                "guid": f"p{i}",
            }
        )
        server.add(f"/p/{i}", Reply(body=article_page(i, rng).encode()), host=FAULTS)
    items.append({"title": "Missing", "link": f"http://{FAULTS}:{server.port}/p/missing", "guid": "m"})
    items.append({"title": "Stalled", "link": f"http://{FAULTS}:{server.port}/p/stalled", "guid": "s"})
    server.add("/p/stalled", Reply(body=article_page(9, rng).encode(), stall=2.0), host=FAULTS)
    items.append({"title": "Private", "link": f"http://{FAULTS}:{server.port}/private/1", "guid": "r"})
    server.add("/private/1", Reply(body=article_page(8, rng).encode()), host=FAULTS)
    server.add(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        host=FAULTS,
    )
    server.add("/summaries.xml", Reply(body=rss(items)), host=FAULTS)
    with open_live(tmp_path) as desk:
        feed_source(desk, server.url("/summaries.xml", FAULTS))
        (result,) = desk.update().results
        assert result.error is None and result.new == 4
        assert result.pages_fetched == 4 and result.pages_failed == 3
        failed = {r.url: r.detail for r in desk.rejections() if r.reason is RejectReason.FETCH_FAILED}
        assert failed[f"http://{FAULTS}:{server.port}/p/missing"].startswith("http-404")
        assert failed[f"http://{FAULTS}:{server.port}/p/stalled"].startswith("timeout")
        assert failed[f"http://{FAULTS}:{server.port}/private/1"].startswith("robots-disallowed")
        assert server.count("/private/1", FAULTS) == 0
        # Next update: pages stored or gone for good are not fetched again; a timeout is retried.
        before = {p: server.count(p, FAULTS) for p in ("/p/0", "/p/missing", "/p/stalled")}
        server.routes[(FAULTS, "/summaries.xml")] = Reply(body=rss(items) + b"\n")
        desk.update(sources=[s.id for s in desk.sources()])
        assert server.count("/p/0", FAULTS) == before["/p/0"]
        assert server.count("/p/missing", FAULTS) == before["/p/missing"]
        assert server.count("/p/stalled", FAULTS) == before["/p/stalled"] + 1
        assert desk.stats().articles == 4


def test_a_source_that_keeps_failing_is_paused_and_can_be_resumed(server: Server, tmp_path: Path) -> None:
    server.add("/down.xml", Reply(status=503, conditional=False), host=FAULTS)
    with open_live(tmp_path, pause_after_errors=3, max_retries=0) as desk:
        feed_source(desk, server.url("/down.xml", FAULTS))
        (src,) = desk.sources()
        dues = []
        for _ in range(3):
            (r,) = desk.update(sources=[src.id]).results
            dues.append(r.next_due)
        (src,) = desk.sources()
        assert (
            src.errors_in_row == 3 and src.paused_reason and "3 failed updates in a row" in src.paused_reason
        )
        assert "http-503" in src.paused_reason
        assert desk.update().results == []
        resumed = desk.resume_source(src.id)
        assert resumed.paused_reason is None and resumed.errors_in_row == 0
        assert len(desk.update().results) == 1


def test_watch_keeps_each_source_on_its_schedule(server: Server, tmp_path: Path) -> None:
    items = [{"title": "Story", "link": f"http://{FAULTS}/w/1", "full": full_text(7)}]
    server.add("/w1.xml", Reply(body=rss(items)), host=FAULTS)
    server.add("/w2.xml", Reply(status=500, conditional=False), host=FAULTS)
    with open_live(tmp_path, min_update_interval=1, max_update_interval=1, max_retries=0) as desk:
        feed_source(desk, server.url("/w1.xml", FAULTS))
        feed_source(desk, server.url("/w2.xml", FAULTS))
        report = desk.update(watch=True, stop_after=3.2)
        ok = [r for r in report.results if r.url.endswith("/w1.xml")]
        assert len(ok) >= 2 and ok[0].new == 1 and all(r.not_modified for r in ok[1:])
        assert server.count("/w2.xml", FAULTS) >= 2


def test_a_sitemap_source_fetches_its_pages(server: Server, tmp_path: Path) -> None:
    rng = random.Random(3)
    urls = []
    for i in range(3):
        path = f"/news/{i}"
        server.add(path, Reply(body=article_page(20 + i, rng).encode()), host=FAULTS)
        urls.append(
            f"<url><loc>http://{FAULTS}:{server.port}{path}</loc><news:news><news:publication>"
            f"<news:name>Faults Daily</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>2026-03-1{i}T08:00:00Z</news:publication_date>"
            f"<news:title>Story {i}</news:title></news:news></url>"
        )
    child = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(urls) + "</urlset>"
    )
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>http://{FAULTS}:{server.port}/sitemap-news.xml</loc><lastmod>2026-03-12</lastmod></sitemap>"
        "</sitemapindex>"
    )
    server.add("/sitemap-news.xml", Reply(body=child.encode(), content_type="application/xml"), host=FAULTS)
    index_url = server.add(
        "/sitemap.xml", Reply(body=index.encode(), content_type="application/xml"), host=FAULTS
    )
    with open_live(tmp_path) as desk:
        ((src, new),) = desk.add_source(index_url)
        assert new and src.kind == "sitemap"
        (result,) = desk.update().results
        assert result.error is None and result.new == 3 and result.pages_fetched == 3
        assert {a.article.source for a in desk.articles()} == {"Faults Daily"}


def test_add_discovers_the_feeds_a_page_advertises(server: Server, tmp_path: Path) -> None:
    items = [{"title": "Story", "link": f"http://{FAULTS}/x/1", "full": full_text(8)}]
    server.add("/rss.xml", Reply(body=rss(items, title="Faults Daily")), host=FAULTS)
    home = (
        b"<!doctype html><html><head><title>Faults Daily</title>"
        b'<link rel="alternate" type="application/rss+xml" title="All news" href="/rss.xml">'
        b'<link rel="alternate" type="application/atom+xml" href="/rss.xml">'
        b'<link rel="stylesheet" href="/s.css"></head><body>Home</body></html>'
    )
    page_url = server.add("/", Reply(body=home), host=FAULTS)
    server.add(
        "/bare",
        Reply(body=b"<!doctype html><html><head><title>x</title></head><body>No feeds</body></html>"),
        host=FAULTS,
    )
    with open_live(tmp_path) as desk:
        ((src, new),) = desk.add_source(page_url)
        assert new and src.kind == "feed" and src.url.endswith("/rss.xml") and src.name == "All news"
        ((again, new),) = desk.add_source(server.url("/rss.xml", FAULTS))
        assert not new and again.id == src.id
        from newsdesk.exceptions import UnsupportedInputError

        with pytest.raises(UnsupportedInputError, match="advertises no feed"):
            desk.add_source(server.url("/bare", FAULTS))
        assert len(desk.sources()) == 1


def test_a_local_sitemap_is_read_as_pages_to_fetch(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"  # .xml, like feeds: recognised by its content
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://a.example/news/1</loc><lastmod>2026-03-10</lastmod></url>"
        "<url><loc>https://a.example/news/2</loc></url><url><loc>not a url</loc></url></urlset>"
    )
    index = tmp_path / "index.xml"
    index.write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://a.example/sitemap-1.xml</loc></sitemap></sitemapindex>"
    )
    with open_desk(tmp_path / "d.sqlite", data_dir=str(tmp_path)) as desk:
        report = desk.ingest([sitemap, index])
        assert [e.url for e in report.summary_pending] == [
            "https://a.example/news/1",
            "https://a.example/news/2",
        ]
        # The entry whose <loc> is no URL is said, not dropped in silence.
        assert [r.detail for r in report.rejected] == ["1 entries without a <loc> that is an http(s) URL"]
        assert report.broken == []
        assert [(s.kind, s.url) for s in desk.sources()] == [("sitemap", "https://a.example/sitemap-1.xml")]


def test_opml_import_and_export_round_trip(tmp_path: Path) -> None:
    with open_desk(tmp_path / "a.sqlite", data_dir=str(tmp_path)) as desk:
        done = desk.import_opml(SAMPLE / "sources.opml")
        added, known, broken = done.added, done.known, done.broken
        assert len(added) == 6 and known == 0 and broken == []
        assert desk.import_opml(SAMPLE / "sources.opml").known == 6
        data = desk.export_opml()
    (tmp_path / "out.opml").write_bytes(data)
    with open_desk(tmp_path / "b.sqlite", data_dir=str(tmp_path)) as other:
        other.import_opml(tmp_path / "out.opml")
        first = {(s.url, s.name, s.category) for s in desk_sources(tmp_path / "a.sqlite", tmp_path)}
        assert {(s.url, s.name, s.category) for s in other.sources()} == first


def desk_sources(db: Path, tmp: Path) -> list[Any]:
    with open_desk(db, data_dir=str(tmp)) as d:
        return d.sources()


# -- scheduling rules -----------------------------------------------------------------------------


def test_scheduling_rules() -> None:
    from newsdesk.config import load_config

    cfg = load_config(
        {"db": ":memory:", "min_update_interval": 300, "max_update_interval": 86_400}, environ={}
    )
    rng = random.Random(0)
    assert feed_ttl(b"<rss><channel><ttl>15</ttl>") == 900
    assert (
        feed_ttl(b"<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>")
        == 1800
    )
    assert cache_max_age([("Cache-Control", "public, max-age=600")]) == 600
    assert cache_max_age([("Cache-Control", "no-cache, max-age=600")]) is None
    day = datetime(2026, 3, 1, tzinfo=UTC)
    assert publishing_rate([day + timedelta(hours=h) for h in range(0, 25, 6)]) == pytest.approx(4.0)
    assert publishing_rate([day]) is None
    # About one new entry per fetch, within the bounds, never before the TTL.
    assert (
        0.85 * 21_600 < next_interval(cfg, ttl=None, max_age=None, rate_per_day=4.0, rng=rng) < 1.15 * 21_600
    )
    assert next_interval(cfg, ttl=None, max_age=None, rate_per_day=10_000, rng=rng) == 300
    assert next_interval(cfg, ttl=None, max_age=None, rate_per_day=0.01, rng=rng) == 86_400
    assert next_interval(cfg, ttl=7200, max_age=None, rate_per_day=100, rng=rng) >= 0.9 * 7200
    # Backoff doubles, is jittered, honours Retry-After and is capped.
    steps = [backoff_interval(cfg, n, None, rng) for n in range(1, 6)]
    for n, s in enumerate(steps):
        assert 0.75 * 300 * 2**n <= s <= 1.25 * 300 * 2**n
    assert backoff_interval(cfg, 1, 5000, rng) >= 5000
    assert backoff_interval(cfg, 40, None, rng) <= 86_400


def test_a_bug_one_source_triggers_is_fenced(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [{"title": "Story", "link": f"http://{FAULTS}/f/1", "full": full_text(9)}]
    server.add("/fine.xml", Reply(body=rss(items)), host=FAULTS)
    server.add("/boom.xml", Reply(body=rss(items)), host=FAULTS)
    import newsdesk.scheduler

    real = newsdesk.scheduler.feeds.read

    def read(data: bytes, origin: str, **kwargs: Any) -> Any:
        if "boom" in origin:
            raise RuntimeError("a parser bug")
        return real(data, origin, **kwargs)

    monkeypatch.setattr(newsdesk.scheduler.feeds, "read", read)
    with open_live(tmp_path) as desk:
        feed_source(desk, server.url("/boom.xml", FAULTS))
        feed_source(desk, server.url("/fine.xml", FAULTS))
        report = desk.update()
        by_url = {r.url.rsplit("/", 1)[-1]: r for r in report.results}
        assert by_url["boom.xml"].error == "internal error: RuntimeError: a parser bug"
        assert by_url["fine.xml"].new == 1 and by_url["fine.xml"].error is None
        boom = next(s for s in desk.sources() if s.url.endswith("boom.xml"))
        assert boom.errors_in_row == 1 and boom.last_error == "internal error: RuntimeError: a parser bug"


# -- what a feed is and whose its articles are ------------------------------------------------------


def test_an_entity_bomb_cannot_be_added_and_fails_alone_in_an_update(server: Server, tmp_path: Path) -> None:
    from newsdesk.exceptions import UnsupportedInputError

    good = [{"title": "Good story", "link": f"http://{FAULTS}/good/1", "full": full_text(4)}]
    server.add("/good.xml", Reply(body=rss(good)), host=FAULTS)
    server.add(
        "/bomb.xml", Reply(body=entity_bomb(20_000, FAULTS), content_type="application/rss+xml"), host=FAULTS
    )
    with open_live(tmp_path) as desk:
        with pytest.raises(UnsupportedInputError, match="entity bomb"):
            desk.add_source(server.url("/bomb.xml", FAULTS))
        feed_source(desk, server.url("/bomb.xml", FAULTS))
        feed_source(desk, server.url("/good.xml", FAULTS))
        by_name = {r.url.rsplit("/", 1)[-1]: r for r in desk.update().results}
        assert "entity bomb" in (by_name["bomb.xml"].error or "")
        assert by_name["good.xml"].new == 1 and desk.stats().articles == 1


def test_a_json_feed_is_added_and_followed(server: Server, tmp_path: Path) -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Faults Daily – Top Stories",
        "home_page_url": f"http://{FAULTS}/",
        "items": [{"id": "j1", "url": "/j/1", "title": "A JSON story", "content_html": full_text(5)}],
    }
    body = json.dumps(doc).encode()
    url = server.add("/feed.json", Reply(body=body, content_type="application/feed+json"), host=FAULTS)
    with open_live(tmp_path) as desk:
        ((src, new),) = desk.add_source(url)
        assert new and src.kind == "feed" and src.name == "Faults Daily – Top Stories"
        report = desk.update()
        assert report.failed == [] and report.new == 1
        (stored,) = list(desk.articles())
        assert stored.article.url == f"http://{FAULTS}/j/1"  # resolved against home_page_url
        assert stored.article.source == "Faults Daily"


def test_articles_belong_to_the_outlet_not_to_the_feed_title(server: Server, tmp_path: Path) -> None:
    """A feed titled "Faults Daily – Top Stories" names the feed; its full-text entries and the
    pages of its summary-only entries are all Faults Daily's, as the pages themselves say."""
    page = article_page(3, random.Random(5)).replace(
        "</head>", '<meta property="og:site_name" content="Faults Daily"></head>'
    )
    server.add("/p/3", Reply(body=page.encode()), host=FAULTS)
    items = [
        {"title": "In full", "link": f"http://{FAULTS}:{server.port}/full/1", "full": full_text(6)},
        {"title": "Synthetic report number 3", "link": f"http://{FAULTS}:{server.port}/p/3"},
    ]
    url = server.add("/top.xml", Reply(body=rss(items, title="Faults Daily – Top Stories")), host=FAULTS)
    with open_live(tmp_path) as desk:
        ((src, _),) = desk.add_source(url)
        assert src.name == "Faults Daily – Top Stories"
        (result,) = desk.update().results
        assert result.new == 2 and result.pages_fetched == 1
        assert {a.article.source for a in desk.articles()} == {"Faults Daily"}


def test_entries_seen_again_are_not_extracted_again(server: Server, tmp_path: Path) -> None:
    state = {"seed": 21}

    def feed(req: Request) -> Reply:
        items = [
            {
                "title": f"Entry {i}",
                "link": f"http://{FAULTS}/seen/{i}",
                "full": full_text(i + state["seed"] * (i == 2)),
            }
            for i in range(3)
        ]
        return Reply(body=rss(items), conditional=False)  # the whole feed at every fetch

    server.add("/seen.xml", feed, host=FAULTS)
    with open_live(tmp_path) as desk:
        feed_source(desk, server.url("/seen.xml", FAULTS))
        assert desk.update().new == 3
        # Make the stored texts unknown to the revision check: an entry extracted again would now be
        # an update; one recognised by its digest stays unchanged.
        with closing(sqlite3.connect(tmp_path / "desk.sqlite")) as db, db:
            db.execute("UPDATE articles SET content_hash = 'forgotten-' || id")
            db.execute("UPDATE article_revisions SET content_hash = 'forgotten-' || id")
        state["seed"] = 22  # the third entry's text changes
        again = desk.update(sources=[s.id for s in desk.sources()])
        assert (again.new, again.updated) == (0, 1)
        assert server.count("/seen.xml", FAULTS) == 2
