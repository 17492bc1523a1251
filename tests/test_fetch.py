"""The HTTP client against a real server on 127.0.0.1: conditional GET, encodings, redirects,
timeouts, size and decompression caps, retries, robots.txt, politeness, User-Agent."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

import brotli
import httpx
import pytest

from newsdesk.exceptions import (
    BodyLimitError,
    ConnectionFailedError,
    FetchTimeoutError,
    HTTPStatusError,
    RedirectError,
    RobotsDisallowedError,
)
from newsdesk.fetch import (
    ROBOTS_TOKEN,
    AddressGuard,
    Fetcher,
    FetchKind,
    FetchSettings,
    Response,
    parse_retry_after,
)

from ._server import Reply, Request, Server, running

BODY = b"<html><head><title>Hello</title></head><body><p>" + b"word " * 400 + b"</p></body></html>"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running() as s:
        yield s


def settings(**kw: Any) -> FetchSettings:
    base: dict[str, Any] = {
        "user_agent": "newsdesk-test (+tests@example.org)",
        "guard": AddressGuard(allow_private=True),
        "host_overrides": {},
        "per_host_delay": 0.0,
        "per_host_concurrency": 4,
        "retry_base_delay": 0.01,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "total_timeout": 10.0,
    }
    base.update(kw)
    return FetchSettings(**base)


def fetch(url: str, **kw: Any) -> Response:
    kind = kw.pop("kind", FetchKind.FEED)
    extra = {k: kw.pop(k) for k in ("etag", "last_modified") if k in kw}

    async def go() -> Response:
        async with Fetcher(settings(**kw)) as f:
            return await f.fetch(url, kind=kind, **extra)

    return asyncio.run(go())


def test_conditional_get_makes_an_unchanged_document_a_304(server: Server) -> None:
    url = server.add("/cond.xml", Reply(body=BODY))
    first = fetch(url)
    assert first.status == 200 and first.body == BODY and first.header("etag")
    again = fetch(url, etag=first.header("etag"), last_modified=first.header("last-modified"))
    assert again.not_modified and again.body == b""
    sent = [r for r in server.log if r.path == "/cond.xml"][-1].headers
    assert sent["if-none-match"] == first.header("etag")
    assert sent["if-modified-since"] == first.header("last-modified")


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress)],
)
def test_compressed_bodies_are_decoded(server: Server, encoding: str, encode: Any) -> None:
    url = server.add(f"/enc-{encoding}", Reply(body=encode(BODY), encoded=encoding))
    r = fetch(url)
    assert r.body == BODY and r.raw_bytes < len(BODY)
    assert "br" in [r for r in server.log if r.path == f"/enc-{encoding}"][-1].headers["accept-encoding"]


def test_user_agent_names_newsdesk_and_the_contact(server: Server) -> None:
    from newsdesk.fetch import user_agent

    url = server.add("/ua", Reply(body=BODY))
    asyncio.run(_fetch_with(url, settings(user_agent=user_agent("ops@example.org"))))
    ua = [r for r in server.log if r.path == "/ua"][-1].headers["user-agent"]
    assert ua.startswith("newsdesk/") and "+ops@example.org" in ua


async def _fetch_with(url: str, s: FetchSettings, kind: FetchKind = FetchKind.FEED) -> Response:
    async with Fetcher(s) as f:
        return await f.fetch(url, kind=kind)


def test_redirects_are_followed_and_the_final_url_recorded(server: Server) -> None:
    server.add("/old-feed", Reply(status=301, headers={"Location": "/mid-feed"}))
    server.add("/mid-feed", Reply(status=308, headers={"Location": "/new-feed"}))
    new = server.add("/new-feed", Reply(body=BODY))
    r = fetch(server.url("/old-feed"))
    assert r.final_url == new and r.moved_to == new and [s for s, _ in r.redirects] == [301, 308]
    server.add("/temp", Reply(status=302, headers={"Location": "/new-feed"}))
    r = fetch(server.url("/temp"))
    assert r.final_url == new and r.moved_to is None  # a temporary redirect does not move a source


def test_redirect_loops_and_chains_too_long_are_errors(server: Server) -> None:
    server.add("/loop-a", Reply(status=302, headers={"Location": "/loop-b"}))
    server.add("/loop-b", Reply(status=302, headers={"Location": "/loop-a"}))
    with pytest.raises(RedirectError) as e:
        fetch(server.url("/loop-a"))
    assert e.value.reason == "redirect-loop"
    for i in range(8):
        server.add(f"/chain-{i}", Reply(status=301, headers={"Location": f"/chain-{i + 1}"}))
    with pytest.raises(RedirectError) as e:
        fetch(server.url("/chain-0"), max_redirects=3)
    assert e.value.reason == "too-many-redirects"
    server.add("/to-file", Reply(status=302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(RedirectError):
        fetch(server.url("/to-file"))


def test_slow_answers_and_stalled_bodies_time_out(server: Server) -> None:
    server.add("/slow", Reply(body=BODY, delay=1.5))
    t0 = time.monotonic()
    with pytest.raises(FetchTimeoutError) as e:
        fetch(server.url("/slow"), read_timeout=0.3)
    assert time.monotonic() - t0 < 1.4 and e.value.reason == "timeout"
    server.add("/stall", Reply(body=BODY, stall=1.5))
    with pytest.raises(FetchTimeoutError):
        fetch(server.url("/stall"), read_timeout=0.3)
    server.add("/dribble", Reply(body=BODY, delay=0.4, stall=0.4))
    with pytest.raises(FetchTimeoutError) as e:
        fetch(server.url("/dribble"), read_timeout=1.0, total_timeout=0.6)
    assert "total_timeout" in str(e.value)


def test_huge_bodies_and_gzip_bombs_are_refused(server: Server) -> None:
    server.add("/huge", Reply(body=b"x" * 300_000))
    with pytest.raises(BodyLimitError) as e:
        fetch(server.url("/huge"), max_body_bytes=100_000)
    assert e.value.reason == "too-large"
    # Chunked or compressed: no Content-Length to trust, the cap applies while reading.
    server.add("/huge-gz", Reply(body=gzip.compress(b"<p>" + b"y" * 300_000), encoded="gzip"))
    with pytest.raises(BodyLimitError):
        fetch(server.url("/huge-gz"), max_body_bytes=100_000, max_decompression_ratio=10_000)
    bomb = gzip.compress(b"\0" * 30_000_000)
    server.add("/bomb", Reply(body=bomb, encoded="gzip"))
    with pytest.raises(BodyLimitError) as e:
        fetch(server.url("/bomb"))
    assert e.value.reason == "decompression-bomb"
    server.add("/not-gzip", Reply(body=b"plain text, not gzip", encoded="gzip"))
    with pytest.raises(BodyLimitError) as e:
        fetch(server.url("/not-gzip"))
    assert e.value.reason == "bad-encoding"


def _flaky(failures: int, status: int, retry_after: str | None = None) -> Any:
    seen = {"n": 0}
    lock = threading.Lock()

    def route(req: Request) -> Reply:
        with lock:
            seen["n"] += 1
            n = seen["n"]
        if n <= failures:
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return Reply(status=status, body=b"busy", headers=headers, conditional=False)
        return Reply(body=BODY)

    return route


def test_429_and_5xx_are_retried_honouring_retry_after(server: Server) -> None:
    server.add("/busy", _flaky(2, 503, retry_after="0"))
    r = fetch(server.url("/busy"))
    assert r.status == 200 and r.attempts == 3 and server.count("/busy") == 3
    server.add("/rate", _flaky(1, 429, retry_after="0"))
    assert fetch(server.url("/rate")).attempts == 2
    server.add("/broken", Reply(status=500, body=b"oops", conditional=False))
    with pytest.raises(HTTPStatusError) as e:
        fetch(server.url("/broken"), max_retries=2)
    assert e.value.status == 500 and e.value.reason == "http-500" and server.count("/broken") == 3
    # A Retry-After longer than max_retry_wait is not waited for: it is reported, for the scheduler.
    server.add("/later", Reply(status=429, headers={"Retry-After": "3600"}, conditional=False))
    t0 = time.monotonic()
    with pytest.raises(HTTPStatusError) as e:
        fetch(server.url("/later"), max_retry_wait=5)
    assert e.value.retry_after == 3600 and time.monotonic() - t0 < 2 and server.count("/later") == 1


def test_client_errors_are_not_retried(server: Server) -> None:
    for status in (404, 410, 403):
        server.add(f"/s{status}", Reply(status=status, body=b"no", conditional=False))
        with pytest.raises(HTTPStatusError) as e:
            fetch(server.url(f"/s{status}"))
        assert e.value.status == status and server.count(f"/s{status}") == 1


def test_backoff_is_exponential_with_jitter() -> None:
    delays: list[float] = []

    async def fake_sleep(s: float) -> None:
        delays.append(s)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502)

    async def go() -> None:
        f = Fetcher(
            settings(max_retries=4, retry_base_delay=1.0, max_retry_wait=100),
            transport=httpx.MockTransport(handler),
            sleep=fake_sleep,
        )
        async with f:
            with pytest.raises(HTTPStatusError):
                await f.fetch("http://mock.example/x", kind=FetchKind.FEED)

    asyncio.run(go())
    assert len(delays) == 4
    for n, d in enumerate(delays):
        assert 0.5 * 2**n <= d <= 1.5 * 2**n
    assert len(set(delays)) == 4


def test_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_connection_refused_is_a_connection_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectionFailedError) as e:
        fetch(f"http://127.0.0.1:{port}/", max_retries=1)
    assert e.value.reason == "connection"


def test_robots_txt_is_honoured_for_pages_only(server: Server) -> None:
    host = "robots.example"
    server.add(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        host=host,
    )
    server.add("/private/a", Reply(body=BODY), host=host)
    server.add("/public/a", Reply(body=BODY), host=host)
    s = settings(host_overrides={host: "127.0.0.1"})

    async def go() -> None:
        async with Fetcher(s) as f:
            with pytest.raises(RobotsDisallowedError):
                await f.fetch(server.url("/private/a", host), kind=FetchKind.PAGE)
            assert (await f.fetch(server.url("/public/a", host), kind=FetchKind.PAGE)).status == 200
            # A feed (or a URL a person typed) is not subject to robots.txt.
            assert (await f.fetch(server.url("/private/a", host), kind=FetchKind.FEED)).status == 200

    asyncio.run(go())
    assert server.count("/robots.txt", host) == 1  # cached per host
    assert server.count("/private/a", host) == 1


#: A robots.txt as large sites write them: wildcards, end anchors, and an Allow that is longer (more
#: specific) than the Disallow it refines. The group for everyone else closes the whole site.
WILDCARD_ROBOTS = b"""\
User-agent: *
Disallow: /

# Our group, named with other capitals than our token.
User-agent: NewsDesk
Disallow: /search
Allow: /search/about$
Disallow: /*.pdf$
Disallow: /*?print=
Crawl-delay: 0
"""

#: path -> (allowed by newsdesk, allowed by urllib.robotparser): the stdlib reads ``*`` and ``$`` as
#: literal characters and lets the first matching rule win, RFC 9309 means wildcards and the longest
#: match.
WILDCARD_CASES = {
    "/files/report.pdf": (False, True),  # `/*.pdf$`: a wildcard and an anchor
    "/world/story?print=1": (False, True),  # `/*?print=`: a wildcard mid-path
    "/search/about": (True, False),  # `Allow: /search/about$` is longer than `Disallow: /search`
    "/files/report.pdf?page=2": (True, True),  # `$` anchors: the URL goes on after `.pdf`
    "/search/about/team": (False, False),  # `$` anchors: only /search/about itself is allowed
    "/search": (False, False),
    "/world/story": (True, True),  # our group, not `*`'s Disallow: /
}


def test_robots_txt_wildcards_and_longest_match(server: Server) -> None:
    """The robots.txt is fetched from the test server and read as RFC 9309 says; each path where the
    stdlib parser would decide the other way is one we now fetch, or now refuse, rightly."""
    import urllib.robotparser

    host = "wild.example"
    server.add("/robots.txt", Reply(body=WILDCARD_ROBOTS, content_type="text/plain"), host=host)
    for path in WILDCARD_CASES:
        server.add(path.partition("?")[0], Reply(body=BODY), host=host)
    stdlib = urllib.robotparser.RobotFileParser()
    stdlib.parse(WILDCARD_ROBOTS.decode().splitlines())

    async def go() -> dict[str, bool]:
        allowed: dict[str, bool] = {}
        async with Fetcher(settings(host_overrides={host: "127.0.0.1"})) as f:
            for path in WILDCARD_CASES:
                try:
                    await f.fetch(server.url(path, host), kind=FetchKind.PAGE)
                    allowed[path] = True
                except RobotsDisallowedError:
                    allowed[path] = False
        return allowed

    allowed = asyncio.run(go())
    assert allowed == {path: ours for path, (ours, _) in WILDCARD_CASES.items()}
    stdlib_verdicts = {
        path: stdlib.can_fetch(ROBOTS_TOKEN, server.url(path, host)) for path in WILDCARD_CASES
    }
    assert stdlib_verdicts == {path: theirs for path, (_, theirs) in WILDCARD_CASES.items()}
    assert server.count("/robots.txt", host) == 1
    # The server saw the allowed requests and nothing else.
    routes = {path.partition("?")[0] for path in WILDCARD_CASES}
    seen = {route: server.count(route, host) for route in routes}
    assert seen == {
        route: sum(ours for path, (ours, _) in WILDCARD_CASES.items() if path.partition("?")[0] == route)
        for route in routes
    }


@pytest.mark.parametrize(
    ("crawl_delay", "least", "most"),
    [("2.5", 1.5, 2.5), ("3600", 59.0, 60.0)],
    ids=["fraction", "capped"],
)
def test_robots_txt_crawl_delay_slows_the_host(
    server: Server, crawl_delay: str, least: float, most: float
) -> None:
    """Crawl-delay (of our group; a fraction too, which the stdlib parser dropped) raises the
    per-host delay, up to a minute: the second page waits for it."""
    host = f"slow-{crawl_delay.replace('.', '-')}.example"
    robots = f"User-agent: *\nCrawl-delay: 0\n\nUser-agent: newsdesk\nCrawl-delay: {crawl_delay}\n"
    server.add("/robots.txt", Reply(body=robots.encode(), content_type="text/plain"), host=host)
    server.add("/a", Reply(body=BODY), host=host)
    server.add("/b", Reply(body=BODY), host=host)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> None:
        async with Fetcher(settings(host_overrides={host: "127.0.0.1"}), sleep=sleep) as f:
            await f.fetch(server.url("/a", host), kind=FetchKind.PAGE)
            await f.fetch(server.url("/b", host), kind=FetchKind.PAGE)

    asyncio.run(go())
    assert len(waits) == 1 and least < waits[0] <= most


def test_unreachable_robots_txt_means_no_access_and_absent_means_all(server: Server) -> None:
    s = settings(host_overrides={"down.example": "127.0.0.1", "open.example": "127.0.0.1"}, max_retries=0)
    server.add("/robots.txt", Reply(status=503, conditional=False), host="down.example")
    server.add("/a", Reply(body=BODY))

    async def go() -> None:
        async with Fetcher(s) as f:
            with pytest.raises(RobotsDisallowedError):
                await f.fetch(server.url("/a", "down.example"), kind=FetchKind.PAGE)
            assert (await f.fetch(server.url("/a", "open.example"), kind=FetchKind.PAGE)).status == 200

    asyncio.run(go())


def test_per_host_concurrency_and_delay(server: Server) -> None:
    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow(req: Request) -> Reply:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        return Reply(body=BODY, conditional=False)

    server.add("/polite", slow)

    async def many(s: FetchSettings, n: int) -> float:
        t0 = time.monotonic()
        async with Fetcher(s) as f:
            await asyncio.gather(*(f.fetch(server.url("/polite")) for _ in range(n)))
        return time.monotonic() - t0

    asyncio.run(many(settings(per_host_concurrency=2), 6))
    assert state["max"] == 2
    state["max"] = 0
    elapsed = asyncio.run(many(settings(per_host_concurrency=4, per_host_delay=0.2), 3))
    assert elapsed >= 0.4  # starts 0.2 s apart
