"""Extraction within a budget: a size checked before anything is parsed, and a time enforced by a
worker process that is killed when it runs over.

Invariant: one document costs ingest at most ``max_page_bytes`` of parsing and about
``extract_timeout`` seconds of extraction (plus, when every worker is busy, the wait for one),
whatever its shape; then it is rejected with the reason (too-large, timed-out) and ingest goes on.

Why two paths. Extraction time grows faster than the page (inside trafilatura, about n^1.7 in
paragraphs: 40,000 short ``<p>`` take 6 s here, 100,000 take 21 s), but real news pages are small:
the 200 real pages measured (bench/budget.py) have at most 4,653 elements and 1.5 MB, and none takes
more than 0.5 s. A page within ``inline_page_bytes`` and ``inline_page_elements`` cannot be slow (the
worst shapes measured at those limits take about a second), so it is extracted right here, at no
cost beyond counting its tags. A larger page goes to a worker process, the one kind of place
trafilatura can be stopped from outside: the page travels pickled over a pipe (milliseconds per
MB, against seconds of extraction), and on overrun the worker is killed (SIGKILL) and the page
rejected as timed-out with the time it ran; the next large page gets a new worker.

Workers are started with ``spawn`` (never a fork of a threaded process), only when the first large
page arrives; each imports extraction once and says so, and only then does a page's clock start. A
worker ends when its pipe closes (the desk closed, or its process died) or, if it is busy, as soon as
it sees its parent gone: a killed ingest leaves no worker behind.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from .config import MAX_ARTICLE_CHARS
from .exceptions import NewsdeskError
from .extract import extract
from .model import Article, Fetched, Rejected, RejectReason

if TYPE_CHECKING:
    from multiprocessing.context import SpawnContext, SpawnProcess

    from .config import Config

log = logging.getLogger(__name__)

#: Seconds a new worker may take to start and import extraction before it is given up on (a cold
#: start on a busy machine takes a few seconds).
_START_TIMEOUT = 120.0
#: Seconds between a busy worker's looks at whether the process that started it is still there.
_ORPHAN_CHECK = 1.0


@dataclass(frozen=True, slots=True)
class Budget:
    """Extraction's limits per document: the settings of the same names (see config.SETTINGS)."""

    max_bytes: int = 8_000_000
    max_elements: int = 50_000
    timeout: float = 10.0
    workers: int = 2
    inline_bytes: int = 2_000_000
    inline_elements: int = 10_000

    @classmethod
    def from_config(cls, config: Config) -> Budget:
        return cls(
            max_bytes=config.max_page_bytes,
            max_elements=config.max_page_elements,
            timeout=config.extract_timeout,
            workers=config.extract_workers,
            inline_bytes=config.inline_page_bytes,
            inline_elements=config.inline_page_elements,
        )


@dataclass(frozen=True, slots=True)
class PageSize:
    """A document's size before parsing."""

    bytes: int
    #: Opening tags: every ``<`` that does not start a closing tag (comments and doctypes count too).
    elements: int

    def __str__(self) -> str:
        return f"{self.bytes:,} bytes, {self.elements:,} elements"


def measure(body: bytes) -> PageSize:
    """Bytes and elements of a body, by two ``bytes.count`` passes (about a millisecond a MB)."""
    return PageSize(len(body), body.count(b"<") - body.count(b"</"))


def oversize(fetched: Fetched, size: PageSize, budget: Budget) -> Rejected | None:
    """The rejection of a document over the size budget, or None when it is within it."""
    if size.bytes > budget.max_bytes:
        detail = f"{size.bytes:,} bytes, more than max_page_bytes={budget.max_bytes:,}: not parsed"
    elif size.elements > budget.max_elements:
        detail = (
            f"{size.elements:,} elements, more than max_page_elements={budget.max_elements:,}: not parsed"
        )
    else:
        return None
    return Rejected(origin=fetched.origin, reason=RejectReason.TOO_LARGE, detail=detail, url=fetched.url)


def run(fetched: Fetched, min_words: int, max_chars: int = MAX_ARTICLE_CHARS) -> Article | Rejected:
    """``extract`` with its failures made rejections (a worker process cannot raise across its
    pipe): a bug a page triggers is that page's ``internal-error``, recorded with the reason, and
    the run goes on; newsdesk's own errors are raised."""
    try:
        return extract(fetched, min_words=min_words, max_chars=max_chars)
    except NewsdeskError:
        raise
    except Exception as e:
        log.debug("extraction failed on %s", fetched.origin, exc_info=True)
        text = " ".join(str(e).split())[:300]
        return Rejected(
            origin=fetched.origin,
            reason=RejectReason.INTERNAL_ERROR,
            detail=f"newsdesk failed on this item ({type(e).__name__}: {text}); please report it",
            url=fetched.url,
        )


# -- the worker's side -----------------------------------------------------------------------------


def _serve(conn: Connection, parent: int) -> None:
    """A worker's life: say it is ready, then extract each page it is sent and answer, until its
    pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            fetched, min_words, max_chars = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("done", run(fetched, min_words, max_chars))
        except NewsdeskError as e:
            answer = ("raise", e)
        try:
            conn.send(answer)
        except OSError:  # nobody is listening any more
            return


def _leave_with(parent: int) -> None:
    """End this worker when the process that started it is gone (killed while we were busy)."""
    while os.getppid() == parent:
        time.sleep(_ORPHAN_CHECK)
    os._exit(0)


# -- the parent's side -----------------------------------------------------------------------------


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, context: SpawnContext) -> None:
        ours, theirs = context.Pipe()
        self.process: SpawnProcess = context.Process(
            target=_serve, args=(theirs, os.getpid()), name="newsdesk-extract", daemon=True
        )
        self.process.start()
        theirs.close()
        self.conn = ours
        self.ready = False
        self.alive = True
        self.code: int | None = None
        #: Guards the process against being killed by one thread while another reaps it.
        self._lock = threading.Lock()

    def wait_ready(self) -> str | None:
        """None once the worker has started, else why it could not (then it is stopped)."""
        if self.ready:
            return None
        try:
            if self.conn.poll(_START_TIMEOUT):
                self.conn.recv()
                self.ready = True
                return None
            self.stop()
            return f"no answer in {_START_TIMEOUT:g} s"
        except (EOFError, OSError):
            return f"it exited with code {self.stop()}"

    def interrupt(self) -> None:
        """Kill the process, leaving the pipe to the thread that is waiting on it (``stop``)."""
        with self._lock:
            if self.alive:
                self.process.kill()

    def stop(self) -> int | None:
        """Kill the process (if it still runs), reap it, close the pipe; returns its exit code."""
        with self._lock:
            if self.alive:
                self.alive = False
                self.process.kill()
                self.process.join()
                self.code = self.process.exitcode
                self.conn.close()
                self.process.close()
            return self.code

    def close(self) -> None:
        """Let an idle worker end by itself (its pipe closes), then make sure it did."""
        with self._lock:
            if not self.alive:
                return
            self.alive = False
            self.conn.close()
            self.process.join(timeout=2.0)
            if self.process.exitcode is None:
                self.process.kill()
                self.process.join()
            self.process.close()


class Extractor:
    """Extracts documents within a ``Budget``. Safe to call from several threads at once: small
    pages are extracted one at a time in this process, large ones on up to ``budget.workers``
    worker processes at once."""

    def __init__(self, budget: Budget, *, min_words: int, max_chars: int = MAX_ARTICLE_CHARS) -> None:
        self.budget = budget
        self.min_words = min_words
        self.max_chars = max_chars
        self._inline = threading.Lock()
        self._pool = threading.Condition()
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._closed = False
        self._context = multiprocessing.get_context("spawn")
        #: Workers started, and workers killed for running past the timeout, over this extractor's
        #: life (for reports and tests).
        self.started = 0
        self.killed = 0

    def needs_worker(self, fetched: Fetched) -> bool:
        """Whether ``extract`` sends this document to a worker process (a large page within the
        size budget); small pages and rejected ones are done here, at once."""
        size = measure(fetched.body)
        return oversize(fetched, size, self.budget) is None and not self._small(size)

    def extract(self, fetched: Fetched) -> Article | Rejected:
        size = measure(fetched.body)
        too_large = oversize(fetched, size, self.budget)
        if too_large is not None:
            return too_large
        if self._small(size):
            with self._inline:
                return run(fetched, self.min_words, self.max_chars)
        for _ in range(2):  # a second worker when the first had died before it got the page
            worker = self._acquire()
            try:
                result = self._ask(worker, fetched, size)
            finally:
                self._release(worker)
            if result is not None:
                return result
        return Rejected(
            origin=fetched.origin,
            reason=RejectReason.UNPARSABLE,
            detail=f"no extraction worker could take the page; {size}",
            url=fetched.url,
        )

    def close(self) -> None:
        """Stop every worker: idle ones end as their pipe closes; busy ones are killed (the page
        in flight is rejected as its worker dies)."""
        with self._pool:
            self._closed = True
            idle, busy = list(self._idle), self._workers - set(self._idle)
            self._idle.clear()
            self._pool.notify_all()
        for w in idle:
            w.close()
        for w in busy:
            w.interrupt()

    def _small(self, size: PageSize) -> bool:
        return size.bytes <= self.budget.inline_bytes and size.elements <= self.budget.inline_elements

    # -- the pool ---------------------------------------------------------------------------------

    def _acquire(self) -> _Worker:
        with self._pool:
            while True:
                if self._closed:
                    raise RuntimeError("the extractor is closed")
                if self._idle:
                    return self._idle.pop()
                if len(self._workers) < max(self.budget.workers, 1):
                    worker = _Worker(self._context)
                    self._workers.add(worker)
                    self.started += 1
                    return worker
                self._pool.wait()

    def _release(self, worker: _Worker) -> None:
        with self._pool:
            keep = worker.alive and not self._closed
            if keep:
                self._idle.append(worker)
            else:
                self._workers.discard(worker)
            self._pool.notify()
        if not keep:
            worker.stop()

    def _ask(self, worker: _Worker, fetched: Fetched, size: PageSize) -> Article | Rejected | None:
        """What the worker made of the page, or None when it had died before it got it."""

        def reject(reason: RejectReason, detail: str) -> Rejected:
            return Rejected(origin=fetched.origin, reason=reason, detail=detail, url=fetched.url)

        why = worker.wait_ready()
        if why is not None:
            log.error("cannot start an extraction worker: %s", why)
            return reject(RejectReason.UNPARSABLE, f"could not start an extraction worker ({why}); {size}")
        try:
            if not worker.process.is_alive():
                raise BrokenPipeError("the worker is gone")
            worker.conn.send((fetched, self.min_words, self.max_chars))
        except OSError:  # it died while it waited (killed from outside): not this page's doing
            worker.stop()
            return None
        timeout = self.budget.timeout
        start = time.monotonic()
        try:
            answered = worker.conn.poll(timeout)
            elapsed = time.monotonic() - start
            if not answered:
                worker.stop()
                with self._pool:
                    self.killed += 1
                log.info("extraction of %s stopped after %.1f s", fetched.origin, elapsed)
                return reject(
                    RejectReason.TIMED_OUT,
                    f"extraction ran past extract_timeout={timeout:g} s and was stopped after "
                    f"{elapsed:.1f} s; {size}",
                )
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            elapsed = time.monotonic() - start
            code = worker.stop()
            return reject(
                RejectReason.UNPARSABLE,
                f"the extraction worker died on this page after {elapsed:.1f} s (exit code {code}); {size}",
            )
        if kind == "raise":
            raise value
        result: Article | Rejected = value
        return result
