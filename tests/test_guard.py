"""The address guard: loopback, private, link-local, multicast and reserved addresses are refused,
checked on the resolved address of every connection (so after every redirect too), unless a setting
allows them. No test here ever connects anywhere but 127.0.0.1."""

from __future__ import annotations

import asyncio
import ipaddress
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpcore
import pytest

from newsdesk import open_desk
from newsdesk.exceptions import AddressBlockedError, ConfigError
from newsdesk.fetch import (
    AddressGuard,
    Fetcher,
    FetchKind,
    FetchSettings,
    blocked_reason,
    parse_host_overrides,
)
from newsdesk.model import FoundSource, SourceKind

from ._server import Reply, Server, running

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>http://x.example/1</link><description>Short.</description></item>
</channel></rss>"""


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running() as s:
        s.add("/feed.xml", Reply(body=FEED, content_type="application/rss+xml"))
        yield s


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is not None
    with pytest.raises(AddressBlockedError):
        AddressGuard().check("somewhere.example", address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None
    AddressGuard().check("public.example", address)


def test_allowances() -> None:
    AddressGuard(allow_private=True).check("h", "10.0.0.1")
    guard = AddressGuard(allowed=(ipaddress.ip_network("10.1.0.0/16"),))
    guard.check("intranet", "10.1.2.3")
    with pytest.raises(AddressBlockedError):
        guard.check("other", "10.2.0.1")
    with pytest.raises(ConfigError):
        parse_host_overrides("news.example")
    assert parse_host_overrides("a.example=127.0.0.1, *.b.example=::1") == {
        "a.example": "127.0.0.1",
        "*.b.example": "::1",
    }


class NeverConnect(httpcore.AsyncNetworkBackend):
    """Stands in for the network where a test must prove no connection is even attempted."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.attempts.append(host)
        raise AssertionError(f"tried to connect to {host}")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class LoopbackOnly(httpcore.AsyncNetworkBackend):
    """The real network, but only to loopback: should the guard fail, nothing leaves this machine."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        assert ipaddress.ip_address(host).is_loopback, f"tried to connect to {host}"
        return await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _settings(**kw: Any) -> FetchSettings:
    base: dict[str, Any] = {
        "user_agent": "t",
        "guard": AddressGuard(),
        "host_overrides": {},
        "per_host_delay": 0.0,
        "max_retries": 0,
    }
    base.update(kw)
    return FetchSettings(**base)


def _fetch(url: str, s: FetchSettings, **kw: Any) -> None:
    async def go() -> None:
        async with Fetcher(s, **kw) as f:
            await f.fetch(url, kind=FetchKind.FEED)

    asyncio.run(go())


def test_the_tests_own_server_is_refused_without_the_allowance(server: Server) -> None:
    before = server.count("/feed.xml")
    with pytest.raises(AddressBlockedError, match="loopback"):
        _fetch(server.url("/feed.xml"), _settings())
    assert server.count("/feed.xml") == before


def test_a_public_name_resolving_to_loopback_is_refused(server: Server) -> None:
    before = server.count("/feed.xml")
    s = _settings(host_overrides={"news.example": "127.0.0.1"})
    with pytest.raises(AddressBlockedError, match=r"news\.example \(127\.0\.0\.1\)"):
        _fetch(server.url("/feed.xml", "news.example"), s)
    assert server.count("/feed.xml") == before


def test_an_answer_with_one_private_address_among_public_ones_is_refused() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    backend = NeverConnect()
    with pytest.raises(AddressBlockedError, match=re.escape("10.0.0.7")):
        _fetch("http://mixed.example/feed", _settings(), resolver=resolver, backend=backend)
    assert backend.attempts == []


def test_a_redirect_to_a_private_address_is_refused(server: Server) -> None:
    # The server itself is allowed (127.0.0.1/32); the redirect goes to another loopback address.
    server.add(
        "/to-private", Reply(status=302, headers={"Location": f"http://127.0.0.2:{server.port}/feed.xml"})
    )
    s = _settings(guard=AddressGuard(allowed=(ipaddress.ip_network("127.0.0.1/32"),)))
    with pytest.raises(AddressBlockedError, match=re.escape("127.0.0.2")):
        _fetch(server.url("/to-private"), s, backend=LoopbackOnly())
    assert server.count("/to-private") >= 1


def test_a_redirect_to_a_name_resolving_to_a_private_address_is_refused(server: Server) -> None:
    server.add("/to-intranet", Reply(status=301, headers={"Location": "http://intranet.example/secret"}))
    s = _settings(
        guard=AddressGuard(allowed=(ipaddress.ip_network("127.0.0.1/32"),)),
        host_overrides={"intranet.example": "10.20.30.40"},
    )
    with pytest.raises(AddressBlockedError, match=re.escape("10.20.30.40")):
        _fetch(server.url("/to-intranet"), s, backend=LoopbackOnly())


def test_a_source_at_a_refused_address_is_paused_with_the_reason(server: Server, tmp_path: Path) -> None:
    with open_desk(tmp_path / "d.sqlite", data_dir=str(tmp_path), per_host_delay=0) as desk:
        desk.ingest_items([FoundSource(kind=SourceKind.FEED, url=server.url("/feed.xml"))])
        report = desk.update()
        (result,) = report.results
        assert result.error and "blocked-address" in result.error
        (src,) = desk.sources()
        assert src.paused_reason and "loopback" in src.paused_reason
        # A paused source is not fetched again until resumed.
        assert desk.update().results == []
