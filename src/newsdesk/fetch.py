"""The one HTTP client: the only module in newsdesk that opens network connections.

``Fetcher`` wraps an ``httpx.AsyncClient`` whose transport connects through an address guard:

- **Safe.** Every connection resolves the host itself, refuses loopback, private, link-local,
  multicast and reserved addresses (unless ``allow_private_addresses`` or ``allowed_networks``
  say otherwise) and connects to the very address it checked, so a redirect or a DNS answer that
  changes between check and use cannot slip past. Redirects are followed by hand, at most
  ``max_redirects``, loops detected; connect, read and total times are capped; bodies are decoded
  here, with a cap on size and on the decompression ratio.
- **Polite.** At most ``per_host_concurrency`` requests to a host at once and ``per_host_delay``
  seconds between their starts (raised by robots.txt's Crawl-delay); robots.txt is honoured for
  pages, read as RFC 9309 reads it (``*`` and ``$`` wildcards, the longest rule wins); ETag /
  Last-Modified make an unchanged feed cost a 304; the User-Agent says who we are and how to reach
  the person running newsdesk.
- **Persistent.** 429, 5xx and broken connections are retried with exponential backoff and jitter,
  honouring Retry-After up to ``max_retry_wait``.
- **Discreet.** A URL is checked by ``urls.split_credentials`` before anything is sent (InvalidURLError
  with the reason otherwise) and its user info never goes into a request URL or a message: the
  credentials go as HTTP Basic auth, and only to the origin they were given for (or its https
  upgrade), never to another host a redirect leads to — as browsers and httpx decide.

Failures raise ``FetchError`` subclasses whose ``reason`` is a short stable word for reports.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email.utils
import enum
import ipaddress
import logging
import random
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
from protego import Protego

from ._decode import BoundedDecoder, DecodeError
from ._version import installed_version
from .config import Config
from .exceptions import (
    AddressBlockedError,
    BodyLimitError,
    ConfigError,
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    RedirectError,
    RobotsDisallowedError,
)
from .model import Credentials, EntryHints, Fetched
from .urls import redact_url, split_credentials

log = logging.getLogger(__name__)

#: Statuses worth retrying: the server is busy or broken for now.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
#: The token robots.txt rules are matched against.
ROBOTS_TOKEN = "newsdesk"
_ROBOTS_MAX_BYTES = 500_000
_ROBOTS_TTL = 3600.0
_MAX_CRAWL_DELAY = 60.0

_ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "robots": "text/plain, */*;q=0.5",
}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: Resolves (host, port) to IP address strings.
Resolver = Callable[[str, int], Awaitable[list[str]]]
Sleep = Callable[[float], Awaitable[None]]


class FetchKind(enum.StrEnum):
    """What is being fetched: decides the Accept header and whether robots.txt applies."""

    FEED = "feed"  # feeds, sitemaps, OPML lists and URLs a person typed: no robots.txt check
    PAGE = "page"  # article pages: robots.txt honoured
    ROBOTS = "robots"


# -- the address guard ----------------------------------------------------------------------------


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The address itself and any IPv4 address tunnelled inside an IPv6 one."""
    found: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in (ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None):
            if inner is not None:
                found.append(inner)
    return found


def blocked_reason(ip: IPAddress) -> str | None:
    """Why connecting to ``ip`` is refused by default, or None for a public address."""
    for addr in _embedded(ip):
        for attr, label in (
            ("is_loopback", "loopback"),
            ("is_link_local", "link-local"),
            ("is_multicast", "multicast"),
            ("is_unspecified", "unspecified"),
            ("is_private", "private"),
            ("is_reserved", "reserved"),
        ):
            if getattr(addr, attr):
                return label
        if not addr.is_global:
            return "not globally routable"
    return None


@dataclass(frozen=True, slots=True)
class AddressGuard:
    """Decides which resolved addresses newsdesk may connect to."""

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_config(cls, config: Config) -> AddressGuard:
        nets: list[IPNetwork] = []
        for part in config.allowed_networks.split(","):
            if part.strip():
                try:
                    nets.append(ipaddress.ip_network(part.strip(), strict=False))
                except ValueError as e:
                    raise ConfigError(f"setting allowed_networks: {e}") from e
        return cls(allow_private=config.allow_private_addresses, allowed=tuple(nets))

    def check(self, host: str, address: str) -> None:
        """Raise AddressBlockedError unless ``address`` (what ``host`` resolved to) is allowed."""
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError as e:
            raise AddressBlockedError(f"{host} resolved to {address!r}, not an IP address") from e
        if self.allow_private or any(ip in net for net in self.allowed if net.version == ip.version):
            return
        reason = blocked_reason(ip)
        if reason is not None:
            shown = host if host == address else f"{host} ({address})"
            raise AddressBlockedError(
                f"refused to connect to {shown}: a {reason} address "
                "(set allow_private_addresses or allowed_networks to permit it)"
            )


def parse_host_overrides(text: str) -> dict[str, str]:
    """``"a.example=127.0.0.1, *.b.example=10.0.0.1"`` as a mapping (validated)."""
    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        host, sep, addr = part.partition("=")
        host, addr = host.strip().lower(), addr.strip()
        try:
            ipaddress.ip_address(addr)
        except ValueError:
            raise ConfigError(f"setting host_overrides: {part.strip()!r} is not host=IP-address") from None
        if not sep or not host:
            raise ConfigError(f"setting host_overrides: {part.strip()!r} is not host=IP-address")
        out[host] = addr
    return out


def _override(overrides: dict[str, str], host: str) -> str | None:
    host = host.lower().rstrip(".")
    if host in overrides:
        return overrides[host]
    for pattern, addr in overrides.items():
        if pattern.startswith("*.") and (host.endswith(pattern[1:]) or host == pattern[2:]):
            return addr
    return None


def system_resolver(overrides: dict[str, str] | None = None) -> Resolver:
    """Resolve with the system's resolver (getaddrinfo), after any host overrides."""
    table = dict(overrides or {})

    async def resolve(host: str, port: int) -> list[str]:
        fixed = _override(table, host)
        if fixed is not None:
            return [fixed]
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    return resolve


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that resolves, checks and connects to the checked address."""

    def __init__(
        self,
        guard: AddressGuard,
        resolver: Resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._guard = guard
        self._resolve = resolver
        self._inner = inner or httpcore.AnyIOBackend()
        #: The address of the latest connection per host: recorded in the archive.
        self.addresses: dict[str, str] = {}

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            ipaddress.ip_address(host.strip("[]"))
            addresses = [host.strip("[]")]
        except ValueError:
            try:
                addresses = await asyncio.wait_for(self._resolve(host, port), timeout)
            except TimeoutError:
                raise httpcore.ConnectTimeout(f"looking up {host} took longer than {timeout}s") from None
            except (OSError, UnicodeError) as e:
                # UnicodeError: the resolver's IDNA codec refused the name (urls._parse lets none through).
                raise httpcore.ConnectError(f"cannot resolve {host}: {e}") from e
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            self._guard.check(host, address)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e
                continue
            self.addresses[host] = address
            return stream
        assert error is not None
        raise error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise AddressBlockedError("newsdesk never connects to Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# -- the transport: httpx on top of a guarded httpcore pool -----------------------------------------

_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextlib.contextmanager
def _mapped() -> Iterator[None]:
    try:
        yield
    except httpcore.UnsupportedProtocol as e:
        raise httpx.UnsupportedProtocol(str(e)) from e
    except (
        httpcore.TimeoutException,
        httpcore.NetworkError,
        httpcore.ProtocolError,
    ) as e:
        for source, target in _EXCEPTIONS:
            if isinstance(e, source):
                raise target(str(e)) from e
        raise


class _Stream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterator[bytes] | Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _mapped():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        if hasattr(self._stream, "aclose"):
            await self._stream.aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """httpx's default transport, minus proxies and Unix sockets, over a ``GuardedBackend``.

    It follows ``httpx.AsyncHTTPTransport`` (``httpx/_transports/default.py``; checked against httpx
    0.29.0) wherever it can: the same ``httpcore.AsyncConnectionPool`` settings for a client without
    a proxy, the same ``httpx.Request`` -> ``httpcore.Request`` -> ``httpx.Response`` translation in
    ``handle_async_request``, and ``_Stream`` / ``_mapped`` are its ``AsyncResponseStream`` and
    ``map_httpcore_exceptions``. When httpx is upgraded, compare with that file.

    Why not reuse it: the address guard must see the resolved address of every connection — the
    first, each redirect's (followed by hand, so each hop is a new request through this pool), each
    reconnect after a kept-alive connection closed — and the one place that sees them all is the
    pool's network backend, where the name is resolved and the checked address is the one connected
    to. ``AsyncHTTPTransport`` builds its pool itself and takes no ``network_backend``, so the guard
    could go in only by replacing its private ``_pool``; and its proxies (``proxy=``, or
    ``HTTP(S)_PROXY`` with ``trust_env``) connect to the proxy, whose address the guard would check
    instead of the site's, as ``uds=`` would skip TCP altogether. ``AsyncResponseStream`` and
    ``map_httpcore_exceptions`` are private to httpx, hence the copies.
    """

    def __init__(self, backend: httpcore.AsyncNetworkBackend, *, max_connections: int) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=30.0,
            http1=True,
            http2=False,
            network_backend=backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        req = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _mapped():
            resp = await self._pool.handle_async_request(req)
        return httpx.Response(
            status_code=resp.status,
            headers=resp.headers,
            stream=_Stream(resp.stream),
            extensions=resp.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


# -- responses ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Response:
    """A successful fetch (2xx, or 304 Not Modified): the decoded body and where it came from."""

    url: str
    final_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    redirects: tuple[tuple[int, str], ...] = ()
    attempts: int = 1
    address: str | None = None
    #: Bytes as transferred (before decompression).
    raw_bytes: int = 0

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for k, v in self.headers:
            if k.lower() == lower:
                return v
        return None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")

    @property
    def moved_to(self) -> str | None:
        """The new address when every redirect on the way was permanent (301/308)."""
        if self.redirects and all(status in _PERMANENT for status, _ in self.redirects):
            return self.final_url
        return None

    def to_fetched(
        self,
        *,
        url: str | None = None,
        hints: EntryHints | None = None,
        source: str | None = None,
    ) -> Fetched:
        return Fetched(
            url=url or self.url,
            body=self.body,
            origin=self.final_url,
            content_type=self.content_type,
            final_url=self.final_url,
            status=self.status,
            fetched_at=self.fetched_at,
            headers=self.headers,
            hints=hints or EntryHints(),
            source=source,
        )


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def user_agent(contact: str) -> str:
    who = f"+{contact.strip()}" if contact.strip() else "no contact configured"
    return f"newsdesk/{installed_version()} (self-hosted news reader; {who})"


# -- politeness -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _HostGate:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    delay: float = 0.0


@dataclass(slots=True)
class _Robots:
    parser: Protego | None  # None: allow everything
    disallow_all: bool
    expires: float
    note: str


@dataclass(slots=True)
class FetchStats:
    requests: int = 0
    not_modified: int = 0
    bytes_received: int = 0
    retries: int = 0


class _RetryError(Exception):
    """Internal: this attempt failed in a way worth another try."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """The settings the fetcher uses (from ``Config``; tests and benchmarks may build their own)."""

    user_agent: str
    guard: AddressGuard
    host_overrides: dict[str, str]
    concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    max_body_bytes: int = 20_000_000
    max_decompression_ratio: int = 100
    max_retries: int = 2
    retry_base_delay: float = 1.0
    max_retry_wait: float = 60.0

    @classmethod
    def from_config(cls, config: Config) -> FetchSettings:
        return cls(
            user_agent=user_agent(config.user_agent_contact),
            guard=AddressGuard.from_config(config),
            host_overrides=parse_host_overrides(config.host_overrides),
            concurrency=config.concurrency,
            per_host_concurrency=config.per_host_concurrency,
            per_host_delay=config.per_host_delay,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            total_timeout=config.total_timeout,
            max_redirects=config.max_redirects,
            max_body_bytes=config.max_body_bytes,
            max_decompression_ratio=config.max_decompression_ratio,
            max_retries=config.max_retries,
            retry_base_delay=config.retry_base_delay,
            max_retry_wait=config.max_retry_wait,
        )


class Fetcher:
    """The HTTP client. Use as ``async with Fetcher(settings) as f: await f.fetch(url)``.

    ``resolver`` replaces DNS (tests point names at their own server); ``transport`` replaces the
    guarded transport entirely (unit tests use ``httpx.MockTransport``); ``sleep`` and ``rng``
    make retries and delays deterministic in tests.
    """

    def __init__(
        self,
        settings: FetchSettings,
        *,
        resolver: Resolver | None = None,
        backend: httpcore.AsyncNetworkBackend | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.backend = GuardedBackend(
            settings.guard, resolver or system_resolver(settings.host_overrides), backend
        )
        self._transport = transport or GuardedTransport(
            self.backend, max_connections=max(settings.concurrency, 1)
        )
        self._client = httpx.AsyncClient(
            transport=self._transport,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=None,
            ),
            follow_redirects=False,
            trust_env=False,
            event_hooks={"response": [_check_location]},
        )
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clock = clock
        self._gates: dict[str, _HostGate] = {}
        self._all = asyncio.Semaphore(max(settings.concurrency, 1))
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.stats = FetchStats()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- public -----------------------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        kind: FetchKind = FetchKind.PAGE,
        etag: str | None = None,
        last_modified: str | None = None,
        retries: int | None = None,
        max_body_bytes: int | None = None,
        credentials: Credentials | None = None,
    ) -> Response:
        """Fetch one URL, following redirects; raises FetchError (a subclass) when it cannot, and
        InvalidURLError (with the reason) for a URL that is not one.

        ``credentials`` (or the user info of ``url``, which is taken out of it) are sent as HTTP Basic
        auth to ``url``'s origin only (``may_send_credentials``), not to a host a redirect leads to.
        """
        url, in_url = split_credentials(url)
        credentials = credentials or in_url
        attempts = 0
        limit = self.settings.max_retries if retries is None else retries
        while True:
            attempts += 1
            try:
                try:
                    async with asyncio.timeout(self.settings.total_timeout):
                        return await self._follow(
                            url, kind, etag, last_modified, attempts, max_body_bytes, credentials
                        )
                except TimeoutError:
                    raise FetchTimeoutError(
                        f"no complete answer within total_timeout ({self.settings.total_timeout:g}s)",
                        url=url,
                    ) from None
            except _RetryError as r:
                if attempts > limit:
                    raise r.error from None
                delay = self._backoff(attempts, r.retry_after)
                if delay > self.settings.max_retry_wait:
                    raise r.error from None
                self.stats.retries += 1
                log.info("retrying %s in %.1fs: %s", redact_url(url), delay, redact_url(str(r.error)))
                await self._sleep(delay)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after  # the server said when; it knows best
        base = self.settings.retry_base_delay * 2.0 ** (attempt - 1)
        return base * (0.5 + self._rng.random())  # jitter: half to one and a half times the step

    # -- one attempt: hops until a final answer ---------------------------------------------------

    async def _follow(
        self,
        url: str,
        kind: FetchKind,
        etag: str | None,
        last_modified: str | None,
        attempt: int,
        max_body_bytes: int | None,
        credentials: Credentials | None,
    ) -> Response:
        current = url
        seen = {url}
        hops: list[tuple[int, str]] = []
        while True:
            if kind is FetchKind.PAGE:
                await self._check_robots(current)
            host = _host_key(current)
            async with self._slot(host):
                headers = {"Accept": _ACCEPT[kind.value]}
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
                if credentials is not None and may_send_credentials(url, current):
                    headers["Authorization"] = _basic(credentials)
                try:
                    request = self._client.build_request("GET", current, headers=headers)
                except httpx.InvalidURL as e:  # urls._parse lets none through: a bug, said plainly
                    raise RedirectError(
                        f"httpx cannot request {redact_url(current)!r}: {e}", url=current, reason="bad-url"
                    ) from e
                try:
                    response = await self._client.send(request, stream=True)
                except FetchError:
                    raise
                except httpx.TimeoutException as e:
                    raise FetchTimeoutError(f"{_what_timed_out(e)} timed out: {e}", url=current) from e
                except (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError) as e:
                    raise _RetryError(ConnectionFailedError(_connection_message(e), url=current)) from e
                except httpx.HTTPError as e:
                    raise ConnectionFailedError(_connection_message(e), url=current) from e
                self.stats.requests += 1
                try:
                    status = response.status_code
                    if status in _REDIRECTS and response.headers.get("location"):
                        try:
                            # User info in a Location header is dropped, never sent: the credentials
                            # newsdesk sends are the ones it was given, to their own origin.
                            target, _ = split_credentials(response.headers["location"], base=current)
                        except InvalidURLError as e:  # _check_location raised it already
                            raise RedirectError(f"redirect to {e}", url=url, reason="bad-url") from None
                        hops.append((status, target))
                        if target in seen:
                            raise RedirectError(
                                f"redirect loop: {' -> '.join([url, *(t for _, t in hops)])}",
                                url=url,
                                reason="redirect-loop",
                            )
                        if len(hops) > self.settings.max_redirects:
                            raise RedirectError(
                                f"more than {self.settings.max_redirects} redirects (max_redirects)",
                                url=url,
                                reason="too-many-redirects",
                            )
                        seen.add(target)
                        current = target
                        continue
                    if status in RETRY_STATUSES:
                        retry_after = parse_retry_after(response.headers.get("retry-after"))
                        raise _RetryError(
                            HTTPStatusError(
                                f"HTTP {status} {response.reason_phrase}".strip()
                                + (f" (Retry-After {retry_after:g}s)" if retry_after is not None else ""),
                                url=current,
                                status=status,
                                retry_after=retry_after,
                                reason=f"http-{status}",
                            ),
                            retry_after,
                        )
                    if status >= 400 or status < 200 or (300 <= status < 400 and status != 304):
                        raise HTTPStatusError(
                            f"HTTP {status} {response.reason_phrase}".strip(),
                            url=current,
                            status=status,
                            reason=f"http-{status}",
                        )
                    body, raw = b"", 0
                    if status != 304:
                        body, raw = await self._read_body(response, current, max_body_bytes)
                    else:
                        self.stats.not_modified += 1
                    self.stats.bytes_received += raw
                    return Response(
                        url=url,
                        final_url=current,
                        status=status,
                        headers=tuple((k, v) for k, v in response.headers.multi_items()),
                        body=body,
                        fetched_at=self._clock(),
                        redirects=tuple(hops),
                        attempts=attempt,
                        address=self.backend.addresses.get(urlsplit(current).hostname or ""),
                        raw_bytes=raw,
                    )
                finally:
                    await response.aclose()

    async def _read_body(
        self, response: httpx.Response, url: str, max_body_bytes: int | None
    ) -> tuple[bytes, int]:
        limit = max_body_bytes or self.settings.max_body_bytes
        encoding = response.headers.get("content-encoding")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and not encoding and int(declared) > limit:
            raise BodyLimitError(
                f"declared body of {int(declared):,} bytes is larger than max_body_bytes ({limit:,})",
                url=url,
                reason="too-large",
            )
        try:
            decoder = BoundedDecoder(
                encoding, max_bytes=limit, max_ratio=self.settings.max_decompression_ratio
            )
            async for chunk in response.aiter_raw():
                decoder.feed(chunk)
        except DecodeError as e:
            raise BodyLimitError(str(e), url=url, reason=e.reason) from e
        except httpx.TimeoutException as e:
            raise FetchTimeoutError(f"reading the body timed out: {e}", url=url) from e
        except (httpx.ReadError, httpx.RemoteProtocolError) as e:
            raise _RetryError(ConnectionFailedError(f"connection broke mid-body: {e}", url=url)) from e
        return decoder.finish(), decoder.raw_bytes

    # -- politeness ---------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        gate = self._gates.get(host)
        if gate is None:
            gate = _HostGate(
                slots=asyncio.Semaphore(max(self.settings.per_host_concurrency, 1)),
                delay=self.settings.per_host_delay,
            )
            self._gates[host] = gate
        async with gate.slots:
            async with gate.lock:
                loop = asyncio.get_running_loop()
                wait = gate.next_start - loop.time()
                if wait > 0:
                    await self._sleep(wait)
                gate.next_start = loop.time() + gate.delay
            async with self._all:
                yield

    async def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            entry = self._robots.get(origin)
            if entry is None or entry.expires < time.monotonic():
                entry = await self._load_robots(origin)
                self._robots[origin] = entry
        if entry.disallow_all:
            raise RobotsDisallowedError(f"{origin}/robots.txt {entry.note}", url=url)
        if entry.parser is not None and not entry.parser.can_fetch(url, ROBOTS_TOKEN):
            raise RobotsDisallowedError(f"{origin}/robots.txt disallows {url}", url=url)

    async def _load_robots(self, origin: str) -> _Robots:
        expires = time.monotonic() + _ROBOTS_TTL
        try:
            resp = await self.fetch(
                origin + "/robots.txt",
                kind=FetchKind.ROBOTS,
                retries=0,
                max_body_bytes=_ROBOTS_MAX_BYTES,
            )
        except AddressBlockedError:
            raise
        except HTTPStatusError as e:
            if e.status is not None and 400 <= e.status < 500:
                return _Robots(None, False, expires, "absent")  # RFC 9309: 4xx means no rules
            return _Robots(None, True, time.monotonic() + 600, f"unavailable ({e}): assuming no access")
        except FetchError as e:
            return _Robots(None, True, time.monotonic() + 600, f"unreachable ({e}): assuming no access")
        # protego, not urllib.robotparser: the stdlib reads `*` and `$` in a rule as literal
        # characters and lets the first matching rule win, where RFC 9309 (and every large site's
        # robots.txt) means wildcards and the longest match.
        parser = Protego.parse(resp.body.decode("utf-8", errors="replace"))
        delay = parser.crawl_delay(ROBOTS_TOKEN)
        if delay:
            gate = self._gates.get(_host_key(origin))
            if gate is not None:
                gate.delay = max(gate.delay, min(float(delay), _MAX_CRAWL_DELAY))
            else:
                self._gates[_host_key(origin)] = _HostGate(
                    slots=asyncio.Semaphore(max(self.settings.per_host_concurrency, 1)),
                    delay=max(self.settings.per_host_delay, min(float(delay), _MAX_CRAWL_DELAY)),
                )
        return _Robots(parser, False, expires, "parsed")


async def _check_location(response: httpx.Response) -> None:
    """Response hook: a redirect's Location must be a URL newsdesk can follow, else RedirectError.

    Why a hook: httpx reads the Location of every redirect as soon as the answer arrives (to offer
    ``next_request``, even when it follows nothing), and one it cannot read escaped from ``send`` as
    RemoteProtocolError (taken for a broken connection and retried) or as idna's IDNAError."""
    location = response.headers.get("location")
    if response.status_code in _REDIRECTS and location:
        source = str(response.request.url)
        try:
            split_credentials(location, base=source)
        except InvalidURLError as e:
            raise RedirectError(f"redirect to {e}", url=source, reason="bad-url") from None


def _basic(credentials: Credentials) -> str:
    """The Authorization header of HTTP Basic auth (RFC 7617, UTF-8), as httpx builds it."""
    pair = f"{credentials.username}:{credentials.password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _site(url: str) -> tuple[str, bytes, int]:
    """(scheme, host as sent, port): what decides whether two URLs are one origin."""
    u = httpx.URL(url)
    return u.scheme, u.raw_host.lower(), u.port or _DEFAULT_PORTS[u.scheme]


def may_send_credentials(given_for: str, url: str) -> bool:
    """Whether credentials given for ``given_for`` may go with a request for ``url``: the same
    origin (scheme, host, port), or its https upgrade on the default ports. Never another host, never
    down from https to http; when either URL cannot be read, no."""
    try:
        a, b = _site(given_for), _site(url)
    except (httpx.InvalidURL, KeyError, ValueError, UnicodeError):
        return False
    return a == b or (a == ("http", b[1], 80) and b == ("https", a[1], 443))


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL, without user info."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}"


def _host_key(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _what_timed_out(e: httpx.TimeoutException) -> str:
    if isinstance(e, httpx.ConnectTimeout):
        return "connecting"
    if isinstance(e, httpx.ReadTimeout):
        return "reading"
    return "the request"


def _connection_message(e: httpx.HTTPError) -> str:
    text = str(e) or type(e).__name__
    return f"{type(e).__name__}: {text}" if text != type(e).__name__ else text


def retry_after_from(headers: Sequence[tuple[str, str]]) -> float | None:
    for k, v in headers:
        if k.lower() == "retry-after":
            return parse_retry_after(v)
    return None
