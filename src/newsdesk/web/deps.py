"""The desks the routes read and write through: a pool of read Desks and one writer.

Why a pool: a Desk holds one SQLite connection, and a connection must not serve two requests at
once. Reads run in Starlette's thread pool, so each of those threads gets its own Desk (SQLite in
WAL mode lets readers run beside a writer). Writes (adding, removing, pausing sources) all go
through one dedicated thread with its own Desk: one writer, as STYLE.md asks, so concurrent API
writes queue instead of failing with "database is locked".

Route code must take its Desk with ``reader(request)`` *inside* a sync endpoint body (FastAPI runs
sync dependencies on a different pool thread from the endpoint, which would share a connection
between threads) and must write only through ``await write(request, fn)``. A route whose read may be
long (a search) is async instead and reads through ``await read_until_gone(request, fn)``, which
stops the read when the client disconnects.

Its own module so that the routers (``pages``, ``feeds``, ``api``) import it and never the app that
includes them: the app imports the routers, nothing imports the app but the server start.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ..config import Config
from ..core import Desk
from ..store import open_store

T = TypeVar("T")

#: Values a thread keeps in ``DeskPool.memo`` (front pages: one per category asked for).
MEMO_SIZE = 64


class DeskPool:
    """One read Desk per thread, created on first use, and one write Desk on one writer thread."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._local = threading.local()
        self._lock = threading.Lock()
        self._desks: list[Desk] = []
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-writer")
        self._write_desk: Desk | None = None
        #: The one read Desk every thread uses, on a store threads share (None: one a thread).
        self._shared: Desk | None = None
        self._opening = threading.Lock()

    def _open(self) -> Desk:
        desk = Desk(open_store(self.config.db), self.config)
        with self._lock:
            self._desks.append(desk)
        return desk

    def reader(self) -> Desk:
        """The calling thread's read Desk: its own on SQLite (one connection a store); on a store
        whose threads can share it (PostgreSQL's pool), one Desk for every thread, so that a busy
        server holds the pool's connections, not one pool a thread (which outgrew the server's
        max_connections under load: bench/RESULTS.md, "Scale")."""
        desk: Desk | None = getattr(self._local, "desk", None)
        if desk is None:
            with self._opening:  # a thread's first request only
                desk = self._shared or self._open()
                if desk.threads_share:
                    self._shared = desk
            self._local.desk = desk
        return desk

    def memo(self, key: Hashable, compute: Callable[[Desk], T]) -> T:
        """``compute(desk)`` on the calling thread's read Desk, kept until the store changes.

        Why: the front page ranks hundreds of stories and reads the latest articles (about 5 ms of
        CPU), yet it changes only when something is ingested. Each thread keeps its own values,
        because the store's version is read through the thread's own connection (SQLite's
        ``data_version`` is per connection). At most ``MEMO_SIZE`` keys a thread; values are shared
        between requests, so callers must not change them."""
        desk = self.reader()
        memos: dict[Hashable, tuple[tuple[int, ...], object]] = self._local.__dict__.setdefault("memo", {})
        version = desk.version()  # read before computing: a write meanwhile means a recompute next time
        hit = memos.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]  # type: ignore[return-value]
        value = compute(desk)
        if key not in memos and len(memos) >= MEMO_SIZE:
            del memos[next(iter(memos))]
        memos[key] = (version, value)
        return value

    def _write(self, fn: Callable[[Desk], T]) -> T:
        if self._write_desk is None:
            self._write_desk = self._open()
        return fn(self._write_desk)

    async def write(self, fn: Callable[[Desk], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer, self._write, fn)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        with self._lock:
            desks, self._desks = self._desks, []
        for desk in desks:
            desk.close()


def reader(request: Request) -> Desk:
    """The calling thread's read Desk (call it inside a sync endpoint body)."""
    pool: DeskPool = request.app.state.pool
    return pool.reader()


def memo(request: Request, key: Hashable, compute: Callable[[Desk], T]) -> T:
    """``compute(desk)``, computed again only when the store has changed (see ``DeskPool.memo``)."""
    pool: DeskPool = request.app.state.pool
    return pool.memo(key, compute)


async def write(request: Request, fn: Callable[[Desk], T]) -> T:
    """Run ``fn`` on the one writer Desk and return what it returns."""
    pool: DeskPool = request.app.state.pool
    return await pool.write(fn)


async def read_until_gone(request: Request, fn: Callable[[Desk, Callable[[], bool]], T]) -> T:
    """``fn(desk, gone)`` on a worker thread with that thread's read Desk, while this task watches
    the connection: ``gone()`` turns True once the client has disconnected (or the server cancels
    the request), and ``fn`` passes it to ``Desk.search`` as ``cancelled``.

    Why: a sync endpoint runs to its end whatever the client does, so a search a reader gave up on
    went on holding a core (four abandoned requests held both cores for over 90 s). Reading
    ``receive`` here is safe because these routes take no request body: the next message after
    the (empty) body is the disconnect. Runs on Starlette's thread pool, as sync endpoints do, so
    ``pool.reader()`` gives the same per-thread Desks."""
    pool: DeskPool = request.app.state.pool
    gone = threading.Event()
    work = asyncio.ensure_future(run_in_threadpool(lambda: fn(pool.reader(), gone.is_set)))
    watch = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({work, watch}, return_when=asyncio.FIRST_COMPLETED)
        if not work.done() and watch.done() and not watch.cancelled() and watch.exception() is None:
            gone.set()
        return await work
    except asyncio.CancelledError:
        gone.set()
        raise
    finally:
        watch.cancel()
        await asyncio.wait({watch})
        if not watch.cancelled():
            watch.exception()  # a receive that failed is not this read's error


async def _disconnected(request: Request) -> None:
    """Returns when the client has disconnected."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
