"""Every malformed URL a person can type (or a server can send back) is refused with InvalidURLError
and the reason: by the fetcher before any request, by ``add`` (the Desk and the CLI, which prints the
reason and exits 1 without a traceback), and by the API (422). Nothing here reaches the network: a
URL that passes goes to a resolver that answers loopback, which the address guard refuses, and to a
network backend that never connects."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpcore
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsdesk import open_desk
from newsdesk.config import load_config
from newsdesk.exceptions import FetchError, InvalidURLError, RedirectError
from newsdesk.fetch import AddressGuard, Fetcher, FetchKind, FetchSettings, GuardedBackend, system_resolver
from newsdesk.model import IngestReport
from newsdesk.scheduler import Collector
from newsdesk.store import open_store
from newsdesk.urls import is_http_url, split_credentials
from newsdesk.web import create_app

from ._server import Reply, Server, running
from .conftest import invoke_cli
from .test_urls import TEXT_URLS

#: The issue's examples: each was a traceback from `newsdesk add` or a 500 from the API.
REPORTED = [
    ("http://0177.0.0.1/", "IPv4 address ambiguously"),
    ("http://１２７.０.０.１/", "look-alike characters"),
    (f"http://{'a' * 64}.example/feed", "longer than 63"),
    ("http://a..b.example/feed", "empty label"),
    ("http://[::1", "cannot be told apart"),
    ("http://[v1.x]/", "not an IPv6 address"),
    ("http://exa mple.com/feed", "a character no host name has"),
    ("http://example.com/\x01feed", "control character"),
    ("http://xn--/feed", "IDNA label"),
]


class Offline(httpcore.AsyncNetworkBackend):
    """The network as these tests have it: none. An address the guard lets through fails here."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError(f"no network in this test ({host})")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]  # refused by the default guard: nothing is connected to


def offline_fetcher() -> Fetcher:
    settings = FetchSettings(user_agent="t", guard=AddressGuard(), host_overrides={}, max_retries=0)
    return Fetcher(settings, resolver=_loopback, backend=Offline())


# -- the fetcher -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "reason"), REPORTED)
def test_the_fetcher_refuses_a_malformed_url_before_any_request(url: str, reason: str) -> None:
    async def go() -> None:
        async with offline_fetcher() as f:
            await f.fetch(url, kind=FetchKind.FEED)

    with pytest.raises(InvalidURLError, match=reason):
        asyncio.run(go())


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running() as s:
        yield s


@pytest.mark.parametrize("target", ["http://0177.0.0.1/x", "http://[::1/x", "http://xn--/x", "http://a..b/x"])
def test_a_redirect_to_a_malformed_url_is_a_redirect_error(server: Server, target: str) -> None:
    server.add("/bad-redirect", Reply(status=302, headers={"Location": target}, conditional=False))
    settings = FetchSettings(
        user_agent="t",
        guard=AddressGuard(allowed=(ipaddress.ip_network("127.0.0.1/32"),)),
        host_overrides={},
        max_retries=0,
        per_host_delay=0,
    )

    async def go() -> None:
        async with Fetcher(settings) as f:
            await f.fetch(server.url("/bad-redirect"), kind=FetchKind.FEED)

    with pytest.raises(RedirectError, match="redirect to invalid URL") as e:
        asyncio.run(go())
    assert e.value.reason == "bad-url"


def test_a_name_the_resolver_cannot_encode_is_a_connect_error() -> None:
    """The address guard's resolver: a name the system's IDNA codec refuses (a label over 63
    characters) is a failed connection, not a UnicodeError out of the fetcher."""
    backend = GuardedBackend(AddressGuard(), system_resolver(), Offline())
    with pytest.raises(httpcore.ConnectError, match="cannot resolve"):
        asyncio.run(backend.connect_tcp("a" * 64 + ".example", 80, timeout=1))


# -- add -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "reason"), REPORTED)
def test_add_refuses_a_malformed_url_with_the_reason(tmp_path: Path, url: str, reason: str) -> None:
    with open_desk(tmp_path / "d.sqlite", data_dir=str(tmp_path)) as desk:
        with pytest.raises(InvalidURLError, match=reason):
            desk.add_source(url)
        assert desk.sources() == []


@pytest.fixture(scope="module")
def collector(tmp_path_factory: pytest.TempPathFactory) -> Collector:
    tmp = tmp_path_factory.mktemp("collector")
    config = load_config({"db": str(tmp / "c.sqlite"), "data_dir": str(tmp)})
    return Collector(
        open_store(config.db),
        config,
        ingest=lambda items: IngestReport(),
        clock=lambda: datetime.now(UTC),
        fetcher_factory=offline_fetcher,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT_URLS)
def test_add_raises_invalid_url_error_or_tries_the_fetch(collector: Collector, text: str) -> None:
    try:
        split_credentials(text)
    except InvalidURLError as refused:
        with pytest.raises(InvalidURLError) as e:
            asyncio.run(collector.add(text))
        assert str(e.value) == str(refused)
        return
    # A URL: the fetch is tried and fails as this test's network does (the guard, or no network).
    with pytest.raises(FetchError):
        asyncio.run(collector.add(text))


@pytest.mark.parametrize(("url", "reason"), [r for r in REPORTED if "\x01" not in r[0]][:5])
def test_the_cli_prints_the_reason_and_exits_1(tmp_path: Path, url: str, reason: str) -> None:
    out = invoke_cli("--db", str(tmp_path / "d.sqlite"), "add", url, env={"NEWSDESK_DATA_DIR": str(tmp_path)})
    assert out.returncode == 1, out.stderr
    assert out.stderr.startswith("error: invalid URL") and reason in " ".join(out.stderr.split())
    assert "Traceback" not in out.stderr


# -- the API ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("api")
    config = load_config({"db": str(tmp / "a.sqlite"), "data_dir": str(tmp), "web_token": "t"})
    with TestClient(create_app(config)) as c:
        yield c


AUTH = {"Authorization": "Bearer t"}


@pytest.mark.parametrize(("url", "reason"), REPORTED)
def test_the_api_answers_422_with_the_reason(client: TestClient, url: str, reason: str) -> None:
    r = client.post("/api/v1/sources", headers=AUTH, json={"url": url})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_url" and reason in error["message"]


#: Hosts broken in each of the ways the issue found, by construction (so whatever the code under
#: test thinks of them).
BROKEN_HOSTS = st.one_of(
    st.builds(lambda a, b: f"0{a}.{b}.0.1", st.integers(0, 377), st.integers(0, 255)),  # octal
    st.builds(lambda a: f"0x{a:x}.1", st.integers(0, 255)),  # hex, two parts
    st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 255), st.integers(0, 2**24)),  # two parts
    st.integers(256, 2**32 - 1).map(str),  # one number
    st.text(alphabet="０１２３４５６７８９．", min_size=1, max_size=15),  # full-width
    st.builds(lambda n: "a" * n + ".example", st.integers(64, 200)),  # a label too long
    st.builds(lambda a, b: f"{a}..{b}", st.sampled_from(["a", "news"]), st.sampled_from(["example", "b"])),
    st.builds(lambda c: f"ex{c}ample.com", st.sampled_from([*" %*!$&'()+,;=<>{}|^`", "\x01", "\x7f"])),
    st.builds(lambda t: f"[{t}", st.text(alphabet="0123456789abcdef:.v", max_size=12)),
    st.sampled_from(["[v1.x]", "[::1]x", "[fe80::1%25eth0]", "xn--", "xn--zca.a_b.example"]),
)
MALFORMED_URLS = st.builds(
    lambda scheme, userinfo, host, path: f"{scheme}://{userinfo}{host}/{path}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.sampled_from(["", "reader:s3cret@"]),
    BROKEN_HOSTS,
    st.text(alphabet="abc/-._~?=&", max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MALFORMED_URLS)
def test_the_api_answers_422_with_a_reason_to_every_broken_host(client: TestClient, url: str) -> None:
    body = json.dumps({"url": url})
    r = client.post("/api/v1/sources", headers={**AUTH, "Content-Type": "application/json"}, content=body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_url" and error["message"].startswith("invalid URL")
    assert "s3cret" not in error["message"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT_URLS)
def test_the_api_answers_422_to_any_text_that_is_no_url(client: TestClient, text: str) -> None:
    assume(not is_http_url(text))  # a URL would be fetched: the Collector test above covers those
    body = json.dumps({"url": text})  # ASCII: a lone surrogate travels as its JSON escape
    r = client.post("/api/v1/sources", headers={**AUTH, "Content-Type": "application/json"}, content=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] in ("invalid_url", "invalid_request")  # the latter: empty, too long
