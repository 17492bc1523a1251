"""Live sources: tell what a URL is, fetch every source on its own schedule, keep each one's health.

The ``Collector`` is the driver behind ``Desk.add_source`` and ``Desk.update``. For each source that
is due it fetches the feed or sitemap (conditionally: an unchanged feed costs a 304), archives what
it got as WARC, hands the entries to ingest, fetches the pages of entries that carry only a summary
(and of sitemap URLs), and records the outcome: status, errors in a row, new articles, and when to
come back — from the feed's ``<ttl>``, ``Cache-Control: max-age`` and the publishing rate seen in
the entries' dates, within ``min_update_interval``..``max_update_interval``; after a failure, an
exponential backoff with jitter (at least any Retry-After). A source that keeps failing, or answers
410 Gone, or resolves to a refused address, is paused with the reason.

Sources are updated concurrently; every one is fenced: whatever one source does (a hang, garbage,
a bug it triggers in a parser) is recorded as its failure and the others go on.

A source's credentials (``user:password@`` in the URL a person added) are stored apart from its URL
and sent with the requests for its feed and for pages and child sitemaps on its own origin, never
elsewhere; every reason recorded or raised passes ``urls.redact_url``.

Store access goes through one lock and runs in a worker thread (``_db``): one writer at a time.
Extraction runs before, outside that lock (``_prepared``): small pages in one thread of their own, in
the order they arrived (so they are stored in that order, as ingest would), large ones in a thread
each that waits on a worker process with a time budget (see _budget.py). A slow page holds up
neither the event loop that keeps the downloads moving, nor the other sources' writes, nor the
small pages behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import platform
import random
import re
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ParamSpec, TypeVar

from ._cadence import backoff_interval, cache_max_age, feed_ttl, next_interval, publishing_rate
from .archive import WarcWriter
from .config import Config
from .exceptions import (
    AddressBlockedError,
    ArticleNotFoundError,
    BodyLimitError,
    FetchError,
    HTTPStatusError,
    InvalidURLError,
    RobotsDisallowedError,
    UnsupportedInputError,
)
from .fetch import Fetcher, FetchKind, FetchSettings, Response, may_send_credentials
from .model import (
    Broken,
    Credentials,
    EntryHints,
    Extracted,
    Fetched,
    FoundSource,
    IngestReport,
    PageOutcome,
    PagesReport,
    Rejected,
    RejectReason,
    SourceKind,
    SourceResult,
    UpdateReport,
)
from .sources import SNIFF_BYTES, Item, feeds, opml, pages, sitemaps
from .sources._entries import outlet_name
from .sources.discovery import detect_kind, discover_feeds
from .store import SourceFetch, Store, StoredSource
from .urls import domain_of, is_http_url, normalize_url, redact_url, split_credentials

log = logging.getLogger(__name__)

#: Source kinds that ``update`` fetches.
LIVE_KINDS = (SourceKind.FEED.value, SourceKind.SITEMAP.value)
#: Child sitemaps of a sitemap index fetched in one update (newest first).
MAX_CHILD_SITEMAPS = 5
#: A page that failed for now is tried this many times in all, one try per update.
PAGE_ATTEMPTS = 3

P = ParamSpec("P")
T = TypeVar("T")
IngestItems = Callable[[Iterable[Item]], IngestReport]
#: Extraction of one document, away from the store (the desk's ``_prepare``).
Prepare = Callable[[Fetched], Extracted]
#: Whether a document's extraction goes to a worker process (a large page; the desk's ``_is_large``).
IsLarge = Callable[[Fetched], bool]
#: Which documents the store has already from the same bytes, under the same extraction (the desk's
#: ``_known_inputs``): those are not extracted again.
Known = Callable[[Sequence[Fetched]], list[bool]]
#: Called after each source is done: (its result, sources done, sources in all — 0 when watching).
UpdateProgress = Callable[[SourceResult, int, int], None]

_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"\w+")


class _SourceProblemError(Exception):
    """Internal: the source answered, but not with something usable (not a feed, malformed)."""


def _similar_titles(a: str | None, b: str | None) -> bool:
    wa = {w.lower() for w in _WORD.findall(a or "")}
    wb = {w.lower() for w in _WORD.findall(b or "")}
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.5


def _outlet(src: StoredSource) -> str | None:
    """The outlet a source's articles belong to when they do not say: a source is named like its
    feed ("Pressline – Top News"), its articles by the outlet ("Pressline")."""
    return outlet_name(src.name, src.url)


def _not_a_feed(body: bytes, detail: str) -> str:
    head = body[:SNIFF_BYTES]
    if pages.sniff(head):
        m = _HTML_TITLE.search(body[:65_536])
        title = m.group(1).decode("utf-8", "replace").strip() if m else ""
        shown = f" (title {title[:80]!r})" if title else ""
        return f"not a feed: the server sent an HTML page{shown}"
    if not body.strip():
        return "not a feed: the body is empty"
    return detail


class Collector:
    """Fetches live sources for a desk. ``ingest`` is the desk's ``ingest_items``; ``prepare``, its
    extraction, which the collector runs outside the store's lock (without it, ingest extracts),
    and ``is_large`` tells the pages that go to a worker process."""

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        ingest: IngestItems,
        clock: Callable[[], datetime],
        prepare: Prepare | None = None,
        is_large: IsLarge | None = None,
        known: Known | None = None,
        fetcher_factory: Callable[[], Fetcher] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self.config = config
        self._ingest = ingest
        self._prepare = prepare
        self._is_large = is_large
        self._known = known
        self._clock = clock
        self._fetcher_factory = fetcher_factory
        self._rng = rng or random.Random()
        self._lock: asyncio.Lock | None = None
        self._archive: WarcWriter | None = None
        #: During a run: the thread that extracts small pages, one after the other in the order
        #: they came, and the threads that wait on the worker processes for large ones.
        self._small_pages: ThreadPoolExecutor | None = None
        self._large_pages: ThreadPoolExecutor | None = None
        #: This collector's name on the sources it leases, and the leased sources it has not
        #: recorded a fetch of yet (renewed while it works, released when it stops).
        self.holder = f"{platform.node()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._leased: set[int] = set()

    # -- plumbing -----------------------------------------------------------------------------------

    def _make_fetcher(self) -> Fetcher:
        if self._fetcher_factory is not None:
            return self._fetcher_factory()
        return Fetcher(FetchSettings.from_config(self.config), clock=self._clock)

    async def _db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a store (or ingest) call in a worker thread, one at a time. Cancelled (Ctrl-C), it
        still holds the store until the thread's call has returned: a thread cannot be stopped, and
        the next call must not use the connection while this one is half way through a write."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            call = asyncio.ensure_future(asyncio.to_thread(fn, *args, **kwargs))
            try:
                return await asyncio.shield(call)
            except asyncio.CancelledError:
                await asyncio.wait([call])
                raise

    async def _prepared(self, docs: Sequence[Fetched]) -> list[Fetched | Extracted]:
        """Extract documents outside the store's lock, in their order. Without ``prepare`` (or
        outside a run) they are returned as they are, for ingest to extract; so are those the store
        has already from the same bytes (``known``), which ingest counts unchanged unextracted."""
        small, large = self._small_pages, self._large_pages
        if self._prepare is None or small is None or large is None or not docs:
            return list(docs)
        stored = await self._db(self._known, docs) if self._known is not None else [False] * len(docs)
        loop = asyncio.get_running_loop()
        prepare, is_large = self._prepare, self._is_large or (lambda _: False)

        async def one(doc: Fetched, known: bool) -> Fetched | Extracted:
            if known:
                return doc
            return await loop.run_in_executor(
                large if is_large(doc) else small, functools.partial(prepare, doc)
            )

        return list(await asyncio.gather(*(one(d, k) for d, k in zip(docs, stored, strict=True))))

    def _archive_response(self, response: Response, hints: EntryHints | None = None) -> None:
        if not self.config.archive or response.not_modified:
            return
        if self._archive is None:
            self._archive = WarcWriter(Path(self.config.data_dir) / "warc")
        try:
            self._archive.write_response(response, hints=hints)
        except OSError as e:
            # Archiving is a convenience: a full disk must not stop collecting; say so loudly.
            log.error("cannot archive %s in %s: %s", redact_url(response.final_url), self._archive.folder, e)

    def _close_archive(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    # -- add ----------------------------------------------------------------------------------------

    async def add(
        self, url: str, *, name: str | None = None, category: str | None = None
    ) -> list[tuple[StoredSource, bool]]:
        """Fetch ``url``, tell what it is, and remember the sources it gives (with whether each is new).

        User info in ``url`` (``user:password@``) is sent as HTTP Basic auth and kept as the
        credentials of the sources found on the same origin, never in their URLs. Raises
        InvalidURLError (with the reason) for a URL that is not one, before any request.
        """
        url, credentials = split_credentials(url)
        async with self._make_fetcher() as fetcher:
            try:
                response = await fetcher.fetch(url, kind=FetchKind.FEED, credentials=credentials)
            except FetchError as e:
                raise type(e)(
                    f"cannot fetch {url}: {e}",
                    url=url,
                    status=e.status,
                    retry_after=e.retry_after,
                    reason=e.reason,
                ) from e
        self._archive_response(response)
        self._close_archive()
        final = response.moved_to or url
        kind = detect_kind(response.body, response.content_type)
        now = self._clock()
        found: list[tuple[str, str, str | None, str | None]] = []  # kind, url, name, category
        # (User info in the URLs found is their own credentials; else those given apply on their origin.)
        if kind is SourceKind.FEED:
            reading = feeds.parse(response.body, final, base=final)
            entries = sum(isinstance(item, Fetched) for item in reading.items)
            problem = next((item.detail for item in reading.items if isinstance(item, Broken)), None)
            if problem and not entries:
                raise UnsupportedInputError(f"{url} looks like a feed but cannot be read: {problem}")
            # The feed is named by its own title; its articles by their outlet (``outlet_name``).
            found.append((SourceKind.FEED.value, final, name or reading.title, category))
        elif kind is SourceKind.SITEMAP:
            try:
                sitemaps.parse(response.body)
            except ValueError as e:
                raise UnsupportedInputError(f"{url}: {e}") from e
            found.append((SourceKind.SITEMAP.value, final, name or domain_of(final), category))
        elif kind is SourceKind.OPML:
            problems = []
            for item in opml.read(response.body, final):
                if isinstance(item, FoundSource):
                    found.append((item.kind.value, item.url, item.name, item.category or category))
                elif isinstance(item, Broken):
                    problems.append(item.detail)
            if not found:
                why = "; ".join(problems[:3]) or "an OPML list without any feed in it"
                raise UnsupportedInputError(f"{url}: {why}")
        elif kind is SourceKind.PAGE:
            for d in discover_feeds(response.body, response.final_url):
                found.append((SourceKind.FEED.value, d.url, name or d.title, category))
            if not found:
                raise UnsupportedInputError(
                    f'{url} is an HTML page that advertises no feed (no <link rel="alternate" '
                    'type="application/rss+xml">); give the URL of its feed or sitemap'
                )
        else:
            raise UnsupportedInputError(
                f"{url}: not a feed, OPML list, sitemap or HTML page "
                f"(Content-Type {response.content_type or 'not given'})"
            )

        remembered: list[tuple[str, str, str | None, str | None, Credentials | None]] = []
        for k, u, n, c in found:
            try:
                clean, own = split_credentials(u)
            except InvalidURLError as e:
                log.warning("%s names a source that is not a valid URL: %s", url, e)
                continue  # a list or page naming a bad address: the good ones are still added
            if own is None and credentials is not None and may_send_credentials(url, clean):
                own = credentials
            remembered.append((k, clean, n, c, own))

        def remember() -> list[tuple[StoredSource, bool]]:
            out = []
            for k, u, n, c, cred in remembered:
                added = self._store.add_source(k, u, n, added=now, category=c, credentials=cred)
                src = self._store.find_source(u)
                assert src is not None
                out.append((src, added))
            return out

        return await self._db(remember)

    # -- update -------------------------------------------------------------------------------------

    async def run(
        self,
        *,
        watch: bool = False,
        stop_after: float | None = None,
        sources: Sequence[StoredSource] | None = None,
        progress: UpdateProgress | None = None,
    ) -> UpdateReport:
        """One pass over the due sources (or the given ones), or, watching, keep going until
        ``stop_after`` seconds have passed (or forever)."""
        report = UpdateReport()
        await self._db(self._free_dead_leases)
        fetcher = self._make_fetcher()
        self._small_pages = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-extract")
        self._large_pages = ThreadPoolExecutor(
            max_workers=max(self.config.extract_workers, 1), thread_name_prefix="newsdesk-extract-large"
        )
        try:
            if watch:
                await self._watch(fetcher, report, stop_after, progress)
            else:
                await self._once(fetcher, report, sources, progress)
        finally:
            report.requests = fetcher.stats.requests
            report.not_modified = fetcher.stats.not_modified
            report.bytes_received = fetcher.stats.bytes_received
            await fetcher.aclose()
            self._close_archive()
            for pool in (self._small_pages, self._large_pages):
                # Nothing is left when every source is done; when stopped (Ctrl-C), do not wait
                # for a large page: closing the desk kills its worker.
                pool.shutdown(wait=False, cancel_futures=True)
            self._small_pages = self._large_pages = None
        return report

    async def _once(
        self,
        fetcher: Fetcher,
        report: UpdateReport,
        sources: Sequence[StoredSource] | None,
        progress: UpdateProgress | None,
    ) -> None:
        # Sources named by the user are updated as asked; otherwise this pass takes (leases) the
        # sources due now, so that a collector running beside it on the same store does not.
        todo = list(sources) if sources is not None else await self._claim(None)
        gate = asyncio.Semaphore(max(self.config.concurrency, 1))

        async def one(src: StoredSource) -> None:
            async with gate:
                result = await self._fenced(fetcher, src)
            report.results.append(result)
            if progress:
                progress(result, len(report.results), len(todo))

        async with self._leases():
            await asyncio.gather(*(one(s) for s in todo))

    def _free_dead_leases(self) -> None:
        """End the leases of collectors on this machine whose process is gone (killed, crashed):
        their sources are due now rather than when the leases run out, so that `newsdesk update`
        run again after a crash fetches everything. A collector on another machine cannot be
        checked: its leases run out."""
        here = platform.node()
        for holder in {s.leased_by for s in self._store.sources() if s.leased_by}:
            host, pid, _token = ["", "", "", *holder.rsplit(":", 2)][-3:]  # see self.holder
            if host != here or not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                self._store.release_claims(holder)
            except OSError:
                continue  # alive, another user's

    async def _claim(self, limit: int | None) -> list[StoredSource]:
        """Lease the sources due now (at most ``limit``; None: all of them) to this collector."""
        until = self._clock() + timedelta(seconds=self.config.source_lease)
        claimed = await self._db(
            self._store.claim_sources,
            self._clock(),
            LIVE_KINDS,
            holder=self.holder,
            until=until,
            limit=limit if limit is not None else 1 << 31,
        )
        self._leased.update(s.id for s in claimed)
        return claimed

    @contextlib.asynccontextmanager
    async def _leases(self) -> AsyncIterator[None]:
        """Keep this collector's leases alive while it works, and give back those it did not use
        when it stops (Ctrl-C, an error): they are due again at once for another collector. A
        collector killed outright gives back nothing; its leases run out after ``source_lease``."""
        lease = self.config.source_lease

        async def renew() -> None:
            while True:
                await asyncio.sleep(max(lease / 3, 0.5))
                if self._leased:
                    until = self._clock() + timedelta(seconds=lease)
                    await self._db(self._store.renew_claims, self.holder, sorted(self._leased), until)

        renewing = asyncio.create_task(renew())
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            # Every lease of this collector, also one a cancelled claim took before it could say so.
            self._leased.clear()
            await asyncio.shield(self._db(self._store.release_claims, self.holder))

    async def _watch(
        self,
        fetcher: Fetcher,
        report: UpdateReport,
        stop_after: float | None,
        progress: UpdateProgress | None,
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + stop_after if stop_after is not None else None
        running: dict[int, asyncio.Task[SourceResult]] = {}

        def collect() -> None:
            for sid, task in list(running.items()):
                if task.done():
                    del running[sid]
                    result = task.result()
                    report.results.append(result)
                    if progress:
                        progress(result, len(report.results), 0)

        slots = max(self.config.concurrency, 1)
        async with self._leases():
            await self._watch_loop(fetcher, running, slots, deadline, collect)

    async def _watch_loop(
        self,
        fetcher: Fetcher,
        running: dict[int, asyncio.Task[SourceResult]],
        slots: int,
        deadline: float | None,
        collect: Callable[[], None],
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            while deadline is None or loop.time() < deadline:
                if len(running) < slots:
                    for src in await self._claim(slots - len(running)):
                        running[src.id] = asyncio.create_task(self._fenced(fetcher, src))
                upcoming = await self._db(self._store.next_due, LIVE_KINDS)
                wait = 30.0
                if upcoming is not None:
                    wait = (upcoming - self._clock()).total_seconds()
                    if wait <= 0:
                        wait = 30.0 if running else 0.05  # due but busy: wait for a slot
                    wait = min(max(wait, 0.05), 30.0)
                if deadline is not None:
                    wait = min(wait, max(deadline - loop.time(), 0.0))
                if running:
                    await asyncio.wait(
                        list(running.values()), timeout=wait, return_when=asyncio.FIRST_COMPLETED
                    )
                else:
                    await asyncio.sleep(wait)
                collect()
        finally:
            if running:
                # Stopping: let the sources in flight finish, so nothing is half-recorded.
                await asyncio.wait(list(running.values()))
                collect()

    async def _fenced(self, fetcher: Fetcher, src: StoredSource) -> SourceResult:
        """Update one source; whatever goes wrong is recorded as its failure, never raised.
        Recording the fetch ends the source's lease."""
        try:
            return await self._update_source(fetcher, src)
        except Exception as e:
            # One source must never stop the others: record the reason and go on.
            log.exception("updating source %s (%s) failed", src.id, redact_url(src.url))
            result = SourceResult(source_id=src.id, url=src.url, name=src.name)
            return await self._failure(src, result, f"internal error: {type(e).__name__}: {e}")
        finally:
            self._leased.discard(src.id)

    async def _update_source(self, fetcher: Fetcher, src: StoredSource) -> SourceResult:
        result = SourceResult(source_id=src.id, url=src.url, name=src.name)
        credentials = await self._db(self._store.source_credentials, src.id)
        try:
            response = await fetcher.fetch(
                src.url,
                kind=FetchKind.FEED,
                etag=src.etag,
                last_modified=src.last_modified,
                credentials=credentials,
            )
        except InvalidURLError as e:
            # Stored before newsdesk checked URLs this closely: it can never be fetched.
            return await self._failure(src, result, FetchError(str(e), url=src.url, reason="bad-url"))
        except FetchError as e:
            return await self._failure(src, result, e)
        result.status = response.status
        if response.not_modified:
            result.not_modified = True
            return await self._success(src, result, response, ttl=None, rate=None)
        self._archive_response(response)
        moved = response.moved_to
        if moved and moved != src.url:
            keep = may_send_credentials(src.url, moved)  # to another origin, they do not follow
            if await self._db(self._store.move_source, src.id, moved, keep_credentials=keep):
                result.moved_to = moved
                result.url = moved
            else:
                result.paused = f"moved permanently to {moved}, which is already another source"
        try:
            if src.kind == SourceKind.SITEMAP.value:
                rate, note = await self._update_sitemap(fetcher, src, result, response, credentials)
                ttl = None
            else:
                rate, note = await self._update_feed(fetcher, src, result, response, credentials)
                ttl = feed_ttl(response.body)
        except _SourceProblemError as e:
            return await self._failure(src, result, str(e), status=response.status)
        return await self._success(src, result, response, ttl=ttl, rate=rate, note=note)

    async def _success(
        self,
        src: StoredSource,
        result: SourceResult,
        response: Response,
        *,
        ttl: int | None,
        rate: float | None,
        note: str | None = None,
    ) -> SourceResult:
        now = self._clock()
        max_age = cache_max_age(response.headers)
        interval = next_interval(
            self.config,
            ttl=ttl if ttl is not None else (src.ttl_seconds if response.not_modified else None),
            max_age=max_age,
            rate_per_day=rate if rate is not None else src.rate_per_day,
            rng=self._rng,
        )
        result.next_due = now + timedelta(seconds=interval)
        fetch = SourceFetch(
            fetched=now,
            status=response.status,
            ok=True,
            next_due=result.next_due,
            error=note,
            errors_in_row=0,
            paused_reason=result.paused,
            etag=response.header("etag"),
            last_modified=response.header("last-modified"),
            not_modified=response.not_modified,
            new_articles=result.new,
            ttl_seconds=ttl if ttl is not None else (max_age if not response.not_modified else None),
            rate_per_day=rate,
        )
        await self._db(self._store.record_source_fetch, src.id, fetch)
        return result

    async def _failure(
        self,
        src: StoredSource,
        result: SourceResult,
        error: FetchError | str,
        *,
        status: int | None = None,
    ) -> SourceResult:
        now = self._clock()
        errors = src.errors_in_row + 1
        reason = redact_url(str(error) if isinstance(error, str) else f"{error.reason}: {error}")
        retry_after = None
        if isinstance(error, FetchError):
            status = error.status if error.status is not None else status
            retry_after = error.retry_after
        paused = result.paused
        if isinstance(error, HTTPStatusError) and error.status == 410:
            paused = "gone: the server says this address was removed for good (410)"
        elif isinstance(error, AddressBlockedError):
            paused = redact_url(f"blocked: {error}")
        elif isinstance(error, FetchError) and error.reason == "bad-url":
            paused = reason
        elif errors >= self.config.pause_after_errors:
            paused = f"{errors} failed updates in a row; the last: {reason}"
        result.status = status
        result.error = reason
        result.paused = paused
        result.next_due = now + timedelta(
            seconds=backoff_interval(self.config, errors, retry_after, self._rng)
        )
        fetch = SourceFetch(
            fetched=now,
            status=status,
            ok=False,
            next_due=result.next_due,
            error=reason,
            errors_in_row=errors,
            paused_reason=paused,
        )
        await self._db(self._store.record_source_fetch, src.id, fetch)
        return result

    # -- feeds --------------------------------------------------------------------------------------

    async def _update_feed(
        self,
        fetcher: Fetcher,
        src: StoredSource,
        result: SourceResult,
        response: Response,
        credentials: Credentials | None,
    ) -> tuple[float | None, str | None]:
        entries: list[Fetched] = []
        broken: list[Broken] = []
        for item in feeds.read(response.body, response.final_url, base=response.final_url):
            if isinstance(item, Fetched):
                entries.append(item)
            elif isinstance(item, Broken):
                broken.append(item)
        note = broken[0].detail if broken else None
        if not entries and broken:
            raise _SourceProblemError(_not_a_feed(response.body, broken[0].detail))
        result.entries = len(entries)
        counts = Counter(e.hints.entry_id for e in entries if e.hints.entry_id)
        duplicates = {i for i, n in counts.items() if n > 1}
        if duplicates:
            dup_note = f"{len(duplicates)} entry ids used by more than one entry: matched by link only"
            note = f"{note}; {dup_note}" if note else dup_note
        outlet = _outlet(src)
        entries = [replace(e, fetched_at=response.fetched_at, source=e.source or outlet) for e in entries]
        prepared = await self._prepared(entries)
        pending, pairs, new, updated = await self._db(self._take_entries, src.id, prepared, duplicates)
        result.new += new
        result.updated += updated
        pairs += await self._fetch_pages(fetcher, src, result, pending, duplicates, credentials)
        await self._db(self._store.save_entry_ids, src.id, pairs)
        rate = publishing_rate(e.hints.published for e in entries)
        return rate, note

    def _take_entries(
        self, source_id: int, items: list[Fetched | Extracted], duplicates: set[str]
    ) -> tuple[list[Fetched], list[tuple[str, int]], int, int]:
        """Ingest a feed's entries (in the worker thread): returns the entries whose page must be
        fetched, the (entry id, article id) pairs learnt, and the new and updated counts."""
        pending: list[Fetched] = []
        pairs: list[tuple[str, int]] = []
        new = updated = 0
        for item in items:
            entry = _document(item)
            eid = entry.hints.entry_id if entry.hints.entry_id not in duplicates else None
            if eid:
                self._match_entry(source_id, entry, eid)
            report = self._ingest([item])
            new += report.new
            updated += report.updated
            article_id = report.article_ids[-1] if report.article_ids else None
            if report.summary_pending:
                pending.append(entry)
            elif article_id is None and report.summary_covered and entry.url:
                article_id = self._lookup(entry.url)
            if eid and article_id is not None:
                pairs.append((eid, article_id))
        return pending, pairs, new, updated

    def _lookup(self, url: str) -> int | None:
        try:
            return self._store.article_id_for(normalize_url(url))
        except InvalidURLError:
            return None

    def _match_entry(self, source_id: int, entry: Fetched, entry_id: str) -> None:
        """An entry whose id we know but whose link is new: when it is plausibly the same article
        (same site, similar title), its new link becomes another URL of that article, so it is
        updated rather than duplicated. The link decides whenever it is already known."""
        article_id = self._store.entry_article(source_id, entry_id)
        if article_id is None or not entry.url:
            return
        try:
            url = normalize_url(entry.url)
        except InvalidURLError:
            return
        if self._store.article_id_for(url) is not None:
            return
        try:
            stored = self._store.get_article(article_id).article
        except ArticleNotFoundError:
            return
        if domain_of(stored.url) != domain_of(url) or not _similar_titles(stored.title, entry.hints.title):
            return
        self._store.add_article_url(article_id, url)

    # -- pages of summary-only entries and sitemap URLs ---------------------------------------------

    def _pages_to_fetch(self, pending: list[Fetched]) -> list[Fetched]:
        out: list[Fetched] = []
        seen: set[str] = set()
        for entry in pending:
            if not entry.url or entry.url in seen:
                continue
            seen.add(entry.url)
            before = self._store.page_fetch(entry.url)
            if before is not None and (
                before.outcome in (PageOutcome.REJECTED, PageOutcome.GONE)
                or (before.outcome is PageOutcome.FAILED and before.attempts >= PAGE_ATTEMPTS)
            ):
                continue
            out.append(entry)
            if len(out) >= self.config.max_pages_per_update:
                break
        return out

    async def _fetch_pages(
        self,
        fetcher: Fetcher,
        src: StoredSource,
        result: SourceResult,
        pending: list[Fetched],
        duplicates: set[str],
        credentials: Credentials | None,
    ) -> list[tuple[str, int]]:
        if not pending:
            return []
        todo = await self._db(self._pages_to_fetch, pending)
        found = await asyncio.gather(*(self._fetch_page(fetcher, src, result, e, credentials) for e in todo))
        pairs = []
        for entry, article_id in zip(todo, found, strict=True):
            eid = entry.hints.entry_id
            if eid and eid not in duplicates and article_id is not None:
                pairs.append((eid, article_id))
        return pairs

    async def _fetch_page(
        self,
        fetcher: Fetcher,
        src: StoredSource,
        result: SourceResult,
        entry: Fetched,
        credentials: Credentials | None,
    ) -> int | None:
        assert entry.url is not None
        url = entry.url
        mine = credentials if credentials is not None and may_send_credentials(src.url, url) else None
        try:
            response = await fetcher.fetch(url, kind=FetchKind.PAGE, credentials=mine)
        except InvalidURLError as e:
            result.pages_failed += 1
            await self._db(self._page_failed, url, src.id, None, PageOutcome.GONE, f"bad-url: {e}")
            return None
        except FetchError as e:
            permanent = isinstance(e, RobotsDisallowedError | AddressBlockedError | BodyLimitError) or (
                e.status in (404, 410)
            )
            result.pages_failed += 1
            await self._db(
                self._page_failed,
                url,
                src.id,
                e.status,
                PageOutcome.GONE if permanent else PageOutcome.FAILED,
                f"{e.reason}: {e}",
            )
            return None
        self._archive_response(response, entry.hints)
        doc = response.to_fetched(url=url, hints=entry.hints, source=entry.source or _outlet(src))
        (prepared,) = await self._prepared([doc])
        report, article_id = await self._db(self._take_page, prepared, src.id)
        result.pages_fetched += 1
        result.new += report.new
        result.updated += report.updated
        return article_id

    async def fetch_pages(
        self, entries: Sequence[Fetched], *, progress: Callable[[int, int], None] | None = None
    ) -> PagesReport:
        """Fetch and ingest the pages of entries read from local files (summary-only feed entries,
        sitemap URLs) that belong to no followed source: ``newsdesk ingest --fetch``. As polite
        and guarded as ``update``; at most ``max_pages_per_update`` pages, each URL once."""
        todo: list[Fetched] = []
        seen: set[str] = set()
        for entry in entries:
            if entry.url and entry.url not in seen and is_http_url(entry.url):
                seen.add(entry.url)
                todo.append(entry)
        report = PagesReport(skipped=max(0, len(todo) - self.config.max_pages_per_update))
        todo = todo[: self.config.max_pages_per_update]
        done = 0

        async def one(fetcher: Fetcher, entry: Fetched) -> None:
            nonlocal done
            assert entry.url is not None
            try:
                response = await fetcher.fetch(entry.url, kind=FetchKind.PAGE)
            except FetchError as e:
                gone = isinstance(e, RobotsDisallowedError | AddressBlockedError | BodyLimitError)
                await self._db(
                    self._page_failed,
                    entry.url,
                    None,
                    e.status,
                    PageOutcome.GONE if gone or e.status in (404, 410) else PageOutcome.FAILED,
                    f"{e.reason}: {e}",
                )
                report.failed += 1
            else:
                self._archive_response(response, entry.hints)
                doc = response.to_fetched(url=entry.url, hints=entry.hints, source=entry.source)
                (prepared,) = await self._prepared([doc])
                ingested, _ = await self._db(self._take_page, prepared, None)
                report.fetched += 1
                report.new += ingested.new
                report.updated += ingested.updated
                report.rejected += len(ingested.rejected)
            done += 1
            if progress:
                progress(done, len(todo))

        try:
            async with self._make_fetcher() as fetcher:
                await asyncio.gather(*(one(fetcher, e) for e in todo))
        finally:
            self._close_archive()
        return report

    def _page_failed(
        self, url: str, source_id: int | None, status: int | None, outcome: PageOutcome, detail: str
    ) -> None:
        now = self._clock()
        url, detail = redact_url(url), redact_url(detail)
        self._store.record_page_fetch(
            url, source_id=source_id, status=status, outcome=outcome, detail=detail, tried=now
        )
        self._store.record_rejection(
            Rejected(origin=url, reason=RejectReason.FETCH_FAILED, detail=detail, url=url), seen=now
        )

    def _take_page(self, item: Fetched | Extracted, source_id: int | None) -> tuple[IngestReport, int | None]:
        doc = _document(item)
        assert doc.url is not None
        report = self._ingest([item])
        article_id = report.article_ids[-1] if report.article_ids else None
        if article_id is not None:
            # The entry's link may differ from the page's canonical URL: both lead to the article.
            with contextlib.suppress(InvalidURLError):
                self._store.add_article_url(article_id, normalize_url(doc.url))
            outcome, detail = PageOutcome.STORED, None
        else:
            outcome = PageOutcome.REJECTED
            detail = (
                f"{report.rejected[0].reason.value}: {report.rejected[0].detail}" if report.rejected else None
            )
        self._store.record_page_fetch(
            doc.url,
            source_id=source_id,
            status=doc.status,
            outcome=outcome,
            detail=detail,
            tried=self._clock(),
        )
        return report, article_id

    # -- sitemaps -----------------------------------------------------------------------------------

    async def _update_sitemap(
        self,
        fetcher: Fetcher,
        src: StoredSource,
        result: SourceResult,
        response: Response,
        credentials: Credentials | None,
    ) -> tuple[float | None, str | None]:
        try:
            sitemap = sitemaps.parse(response.body)
        except ValueError as e:
            raise _SourceProblemError(_not_a_feed(response.body, str(e))) from e
        urls = list(sitemap.urls)
        notes: list[str] = []
        children = sorted(
            (
                c
                for c in sitemap.sitemaps
                if c.lastmod is None or src.last_success is None or c.lastmod > src.last_success
            ),
            key=lambda c: c.lastmod or datetime.min.replace(tzinfo=UTC),
            reverse=True,
        )[:MAX_CHILD_SITEMAPS]
        for child in children:
            mine = credentials if credentials and may_send_credentials(src.url, child.loc) else None
            try:
                got = await fetcher.fetch(child.loc, kind=FetchKind.FEED, credentials=mine)
                self._archive_response(got)
                urls.extend(sitemaps.parse(got.body).urls)
            except (FetchError, ValueError) as e:  # ValueError: InvalidURLError too
                notes.append(redact_url(f"child sitemap {child.loc}: {e}"))
        if sitemap.sitemaps and children and len(notes) == len(children) and not urls:
            raise _SourceProblemError("; ".join(notes))
        urls.sort(key=lambda u: u.when or datetime.min.replace(tzinfo=UTC), reverse=True)
        result.entries = len(urls)
        normalised: dict[str, sitemaps.SitemapURL] = {}
        for u in urls:
            try:
                normalised.setdefault(normalize_url(u.loc), u)
            except InvalidURLError:
                continue
        known = await self._db(self._store.known_urls, list(normalised))
        pending = [
            sitemaps.as_document(u, f"{response.final_url}#url-{n}")
            for n, (key, u) in enumerate(normalised.items(), start=1)
            if key not in known
        ]
        pending = [replace(p, source=p.source or _outlet(src)) for p in pending]
        await self._fetch_pages(fetcher, src, result, pending, set(), credentials)
        return publishing_rate(u.when for u in urls), "; ".join(notes) or None


def _document(item: Fetched | Extracted) -> Fetched:
    return item.fetched if isinstance(item, Extracted) else item
