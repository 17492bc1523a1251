"""The ingest loop's item handling: one input item in, a stored article or a recorded outcome out.

Every way in (``Desk.ingest`` over files, ``Desk.ingest_items``, the fetcher of ``update``) ends
here, item by item: an item already stored byte for byte is counted unchanged without extraction
(``_digest``), a document is extracted within its budget (``_prepare``, which touches no store, so
the fetcher may run it beside the writer) and stored with its copy keys, copy edges, category,
understanding (``_understanding``) and story as one unit (``_store_prepared``), and a failure
that one item triggers becomes that item's outcome, never the run's end. ``Desk`` inherits it
from ``_Intake``, so the methods the fetcher is handed (``_ingest_some``, ``_prepare``,
``_is_large``, ``_known_inputs``) are still the Desk's; the provenance and story steps it calls
(``_trace``, ``_cluster``, ``_finish``) stay with them in ``core``.

The stages that need no store (the input's digest, extraction within its budget, an article's
copy-detection keys and understanding) are ``Preparer``'s: the Desk has one, and a batch worker
makes its own from the same settings, so that a document prepared on a worker (a ``Prepared``)
is stored by the very steps ingest runs (``Desk.ingest_prepared``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from . import _digest, _valid, provenance
from ._budget import Budget, Extractor
from ._understanding import analysed
from .config import Config
from .exceptions import InvalidURLError, StorageError
from .model import (
    Article,
    Broken,
    Extracted,
    Fetched,
    FoundSource,
    IndexKeys,
    IngestReport,
    ItemResult,
    ItemStatus,
    Outcome,
    Prepared,
    Rejected,
    RejectReason,
    Understanding,
)
from .sources import Item
from .store import KnownInput, Store, StoredSource
from .urls import normalize_url, redact_url

if TYPE_CHECKING:
    from ._understanding import Filing

#: The Desk's logger, as before the loop moved here: logging set up for it still hears the loop.
log = logging.getLogger("newsdesk.core")

#: Rejections that the same bytes always get from the same extraction: remembered with the input's
#: digest, so the input is not extracted again. Not a time-out, a worker lost, a bug or a page
#: still to fetch: those may end otherwise next time.
_SETTLED = frozenset(
    {
        RejectReason.NOT_HTML,
        RejectReason.EMPTY,
        RejectReason.ERROR_PAGE,
        RejectReason.INDEX_PAGE,
        RejectReason.TOO_SHORT,
        RejectReason.TOO_LARGE,
        RejectReason.NO_URL,
    }
)

#: Called once for every input item, with how it ended.
ItemCallback = Callable[[ItemResult], None]


def _ignore(result: ItemResult) -> None:
    """The ``on_item`` of callers that do not listen."""


def _origin_of(item: Item) -> str:
    origin = getattr(item, "origin", None)
    if isinstance(origin, str):
        return origin
    return str(getattr(item, "url", None) or "input")


def _describe(e: BaseException) -> str:
    """An exception in one line, bounded: some messages quote a whole input."""
    text = " ".join(str(e).split())
    if len(text) > 300:
        text = text[:300] + "…"
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _opt(value: str | None) -> str | None:
    return None if value is None else _valid.text(value)


def _storable(item: Rejected) -> Rejected:
    """The rejection with its strings as storable text (an origin may name a file whose name is
    not UTF-8, a detail may quote the input): recording a failure must not fail in turn."""
    t = _valid.text
    return Rejected(origin=t(item.origin), reason=item.reason, detail=t(item.detail), url=_opt(item.url))


def guarded(items: Iterable[Item], origin: str) -> Iterator[Item]:
    """The items of one input, ending with a Broken report if reading it fails part-way.

    A reader is a generator: once it raises it is finished, so what it yielded before is kept and
    the failure becomes the input's last outcome rather than the run's end."""
    iterator = iter(items)
    n = 0
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except StorageError:
            raise
        except Exception as e:
            log.debug("reading %s failed", origin, exc_info=True)
            yield Broken(origin=origin, detail=f"reading stopped after {n} items: {_describe(e)}")
            return
        n += 1
        yield item


class Preparer:
    """The ingest stages that need no store, under one set of settings: an input's digest
    (``_digest``), extraction within the budget (``_budget``) and an article's copy-detection keys
    (``provenance``). It touches no store, so it may run in any thread or process: the Desk's
    ingest and ``update`` use the Desk's own, a batch worker makes one from the Desk's config.
    Close it (large pages are extracted in worker processes it starts when one comes)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._extract = Extractor(
            Budget.from_config(config), min_words=config.min_words, max_chars=config.max_article_chars
        )
        #: The digest of what shapes extraction here (``_digest.extraction_digest``), made on first use.
        self._extraction: bytes | None = None

    def close(self) -> None:
        self._extract.close()

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def extraction_digest(self) -> bytes:
        if self._extraction is None:
            self._extraction = _digest.extraction_digest(self.config)
        return self._extraction

    @staticmethod
    def input_digest(fetched: Fetched) -> bytes:
        return _digest.input_digest(fetched)

    def extract(self, fetched: Fetched) -> Extracted:
        """Extract one document within the budget (see _budget.py)."""
        hints = fetched.hints
        if fetched.url and not fetched.body.strip() and not (hints.text or hints.title or hints.summary):
            # A bare link (a sitemap URL, an entry with nothing but a link): a page to fetch.
            result: Article | Rejected = Rejected(
                origin=fetched.origin,
                reason=RejectReason.SUMMARY_ONLY,
                detail="only a link; its page must be fetched",
                url=fetched.url,
            )
        else:
            result = self._extract.extract(fetched)
        return Extracted(fetched, result)

    def needs_worker(self, fetched: Fetched) -> bool:
        """Whether this document's extraction goes to a worker process (see _budget.py)."""
        return self._extract.needs_worker(fetched)

    def prepare(self, item: Fetched | Extracted, digest: bytes | None = None) -> Prepared:
        """Extract a document (unless ``item`` is extracted already) and fingerprint the article:
        everything of ingest but what the store does. ``digest``: its input digest, when known."""
        extracted = item if isinstance(item, Extracted) else self.extract(item)
        fetched, result = extracted.fetched, extracted.result
        if digest is None:
            digest = _digest.input_digest(fetched)
        index = found = None
        if isinstance(result, Article):
            index = provenance.fingerprint(provenance.body(result)).index
            found = analysed(result)
        return Prepared(fetched, digest, self.extraction_digest, result, index, found)

    def prepare_all(self, items: Iterable[Item], *, skip: Container[int] = ()) -> Iterator[Item]:
        """Every item of one input (a reader's), each document prepared (``prepare``) but those
        whose position is in ``skip`` (their inputs are known to the store: digested only, not
        extracted); the rest as they are. A document's body is left behind once it is prepared.
        A failure that one document triggers becomes its rejection, as in ingest."""
        for n, item in enumerate(items):
            if not isinstance(item, Fetched):
                yield item
                continue
            bodiless = dataclasses.replace(item, body=b"")
            try:
                digest = _digest.input_digest(item)
                if n in skip:
                    yield Prepared(bodiless, digest, self.extraction_digest, None)
                else:
                    yield dataclasses.replace(self.prepare(item, digest), fetched=bodiless)
            except Exception as e:
                log.debug("preparing %s failed", item.origin, exc_info=True)
                yield Rejected(
                    origin=item.origin,
                    reason=RejectReason.INTERNAL_ERROR,
                    detail=f"newsdesk failed on this item ({_describe(e)}); please report it",
                    url=item.url,
                )


def publication_order(item: Item) -> tuple[bool, float]:
    """The order in which ``Desk.ingest_prepared`` stores prepared documents: articles by
    publication time (those without one last), everything else after them; a stable sort keeps
    the given order (the inputs', record by record) among equals."""
    if isinstance(item, Prepared) and isinstance(item.result, Article) and item.result.published:
        return (False, item.result.published.timestamp())
    return (True, 0.0)


class _Intake:
    """The Desk's ingest loop (see the module's docstring): ``Desk`` sets the attributes below."""

    _store: Store
    config: Config
    _clock: Callable[[], datetime]
    _preparer: Preparer

    if TYPE_CHECKING:  # the Desk's own steps, which an item's storing runs

        def _add_found(self, item: FoundSource, *, keep_category: bool = True) -> StoredSource | None: ...
        def _see_fingerprint_scheme(self) -> None: ...
        def _trace(self, article_id: int, article: Article, fp: IndexKeys) -> int: ...
        def _cluster(
            self,
            article_id: int,
            article: Article,
            understood: Understanding | None = None,
            *,
            when: datetime | None = None,
        ) -> int: ...
        def _finish(self, article_id: int) -> int: ...
        def _file(self, article: Article) -> tuple[Article, Filing]: ...
        def _understand(
            self, article_id: int, when: datetime, filing: Filing, found: Understanding
        ) -> Understanding: ...

    def _ingest_some(
        self, items: Iterable[Item], *, on_item: ItemCallback | None = None, force: bool = False
    ) -> IngestReport:
        """``ingest_items`` without settling the store at the end: what the fetcher calls for each
        feed and page of an update, which settles the store once, when the update ends."""
        report = IngestReport()
        deferred: list[tuple[Rejected, Fetched]] = []
        self._ingest_items(guarded(items, "input"), report, deferred, on_item, force=force)
        self._settle_summaries(deferred, report, on_item)
        return report

    def _ingest_items(
        self,
        items: Iterable[Item],
        report: IngestReport,
        deferred: list[tuple[Rejected, Fetched]],
        on_item: ItemCallback | None,
        *,
        force: bool = False,
    ) -> None:
        tell = on_item or _ignore
        for item in items:
            try:
                self._ingest_item(item, report, deferred, tell, force=force)
            except StorageError:
                raise  # the store itself failed: nothing more can be recorded
            except Exception as e:
                # A bug that this one item triggers: recorded as its failure, and the run goes on.
                # The traceback is for whoever debugs it (logging at DEBUG), not the run's output.
                log.debug("ingesting %s failed", _origin_of(item), exc_info=True)
                failed = Rejected(
                    origin=_origin_of(item),
                    reason=RejectReason.INTERNAL_ERROR,
                    detail=f"newsdesk failed on this item ({_describe(e)}); please report it",
                    url=getattr(item, "url", None),
                )
                self._reject(failed, report, tell)

    def _reject(self, rejected: Rejected, report: IngestReport, tell: ItemCallback) -> None:
        rejected = _storable(rejected)
        report.rejected.append(rejected)
        self._store.record_rejection(rejected, seen=self._clock())
        tell(
            ItemResult(
                rejected.origin, ItemStatus.REJECTED, reason=rejected.reason.value, detail=rejected.detail
            )
        )

    def _ingest_item(
        self,
        item: Item,
        report: IngestReport,
        deferred: list[tuple[Rejected, Fetched]],
        tell: ItemCallback,
        *,
        force: bool = False,
    ) -> None:
        if isinstance(item, FoundSource):
            item = FoundSource(item.kind, _valid.text(item.url), _opt(item.name), _opt(item.category))
            try:
                if self._add_found(item, keep_category=False) is not None:
                    report.sources_found += 1
            except InvalidURLError as e:
                # A feed's own address that is no URL: the feed's entries are still read.
                why = f"not remembered as a source: {e}"
                tell(ItemResult(redact_url(item.url), ItemStatus.REJECTED, reason="no-url", detail=why))
                return
            shown = redact_url(item.url)
            tell(ItemResult(shown, ItemStatus.SOURCE, detail=shown))
        elif isinstance(item, Broken):
            item = Broken(origin=_valid.text(item.origin), detail=_valid.text(item.detail))
            report.broken.append(item)
            self._store.record_rejection(
                Rejected(origin=item.origin, reason=RejectReason.BROKEN, detail=item.detail),
                seen=self._clock(),
            )
            tell(
                ItemResult(
                    item.origin, ItemStatus.BROKEN, reason=RejectReason.BROKEN.value, detail=item.detail
                )
            )
        elif isinstance(item, Rejected):
            self._reject(item, report, tell)
        elif isinstance(item, Prepared):
            pair = (item.input_digest, item.extraction_digest)
            known = None if force else self._store.known_inputs([pair])[0]
            if known is not None:
                self._known(item.fetched, known, report, tell)
            elif item.result is None:
                # Not extracted because the store knew it when its batch began; it no longer does.
                why = "not extracted: the store knew this input when the run began, and no longer does"
                failed = Rejected(item.fetched.origin, RejectReason.INTERNAL_ERROR, why, item.fetched.url)
                self._reject(failed, report, tell)
            else:
                self._store_prepared(item, report, deferred, tell)
        else:
            fetched = item.fetched if isinstance(item, Extracted) else item
            digest = _digest.input_digest(fetched)
            known = None if force else self._store.known_inputs([(digest, self._extraction_digest())])[0]
            if known is None:
                self._store_prepared(self._preparer.prepare(item, digest), report, deferred, tell)
            else:
                self._known(fetched, known, report, tell)

    def _known(self, fetched: Fetched, known: KnownInput, report: IngestReport, tell: ItemCallback) -> None:
        """An item whose input the store knows: what it became then, without extracting it."""
        if known.article_id is not None:
            # Stored before from these very bytes, by this extraction: the same article,
            # unchanged (as extracting it again would find, at the price of an extraction).
            report.count(Outcome.UNCHANGED)
            report.article_ids.append(known.article_id)
            tell(ItemResult(fetched.origin, ItemStatus.UNCHANGED, article_id=known.article_id))
        else:
            assert known.reason is not None and known.detail is not None
            rejected = Rejected(fetched.origin, known.reason, known.detail, known.url)
            self._reject(rejected, report, tell)  # rejected again, for the same reason

    def _extraction_digest(self) -> bytes:
        return self._preparer.extraction_digest

    def _known_inputs(self, docs: Sequence[Fetched]) -> list[bool]:
        """Which documents are stored already, byte for byte (``update`` does not extract those)."""
        extraction = self._extraction_digest()
        found = self._store.known_inputs([(_digest.input_digest(d), extraction) for d in docs])
        return [f is not None for f in found]

    def _prepare(self, fetched: Fetched) -> Extracted:
        """Extract one document within the budget (see _budget.py). Touches no store, so it may run
        in any thread beside the store's writer: ``update`` extracts there, and a slow page holds up
        no other source."""
        return self._preparer.extract(fetched)

    def _is_large(self, fetched: Fetched) -> bool:
        """Whether this document's extraction goes to a worker process (see _budget.py)."""
        return self._preparer.needs_worker(fetched)

    def _store_prepared(
        self,
        prepared: Prepared,
        report: IngestReport,
        deferred: list[tuple[Rejected, Fetched]],
        tell: ItemCallback,
    ) -> None:
        """Store what extraction made of a document: a rejection, or the article with its copy keys,
        copy edges, story and the digest of its input as one unit of work (a kill leaves all of
        them or none)."""
        fetched, result = prepared.fetched, prepared.result
        digest, extraction = prepared.input_digest, prepared.extraction_digest
        assert result is not None, "an input not extracted is stored only when known"
        if isinstance(result, Rejected):
            if result.reason is RejectReason.SUMMARY_ONLY and not fetched.url:
                result = dataclasses.replace(
                    result, detail="a feed entry with only a summary and no usable link: no page to fetch"
                )
            elif result.reason is RejectReason.SUMMARY_ONLY:
                deferred.append((result, fetched))
                return
            with self._store.transaction():
                self._reject(result, report, tell)
                if result.reason in _SETTLED:
                    self._store.save_input(digest, extraction, rejected=_storable(result))
            return
        fp = prepared.index or provenance.fingerprint(provenance.body(result)).index
        found = prepared.understanding or analysed(result)
        self._see_fingerprint_scheme()
        # The article, its copy keys, its copy edges, its understanding and its story: one unit (a
        # kill leaves all or none).
        with self._store.transaction():
            filed, filing = self._file(result)
            article_id, outcome = self._store.save_article(filed, seen=self._clock(), index=fp)
            copies = 0
            if outcome in (Outcome.NEW, Outcome.UPDATED):
                copies = self._trace(article_id, filed, fp)
                when = filed.published or self._store.get_article(article_id).first_seen
                found = self._understand(article_id, when, filing, found)
                self._cluster(article_id, filed, found, when=when)
            elif self._store.story_id_of(article_id) is None:
                # Left unfinished by a run of an older newsdesk that was killed between its writes
                # (they were separate transactions then): finish it as it arrives again.
                copies = self._finish(article_id)
            self._store.save_input(digest, extraction, article_id=article_id)
        report.count(outcome)
        report.article_ids.append(article_id)
        report.copies_found += copies
        tell(ItemResult(fetched.origin, ItemStatus(outcome.value), article_id=article_id))

    def _settle_summaries(
        self, deferred: list[tuple[Rejected, Fetched]], report: IngestReport, on_item: ItemCallback | None
    ) -> None:
        """A summary-only feed entry is covered when its page was stored; else it waits for a fetch."""
        tell = on_item or _ignore
        for entry, fetched in deferred:
            found = None
            if entry.url:
                try:
                    found = self._store.find_article(normalize_url(entry.url))
                except InvalidURLError:
                    found = None
            if found is not None:
                report.summary_covered += 1
                tell(ItemResult(entry.origin, ItemStatus.COVERED, article_id=found.id, detail=entry.detail))
            else:
                report.summary_pending.append(entry)
                report.pending.append(fetched)
                tell(
                    ItemResult(
                        entry.origin, ItemStatus.PENDING, reason=entry.reason.value, detail=entry.detail
                    )
                )
