"""The batch driver: ``newsdesk batch`` over many inputs on a Dask cluster.

Inputs are paths, globs or URLs that fsspec opens (local files and folders, ``file://``, and
``s3://``, ``https://``, ... where its backend is installed): WARC and WARC.gz, JSON Lines, HTML,
and whatever else ``newsdesk ingest`` reads (the same readers, in ``sources/``). The work splits in
two, as ARCHITECTURE.md draws it:

* **On the workers, in parallel, in any order**: each *partition* (an input, or a run of
  ``chunk_records`` records of a web archive that can be read from an offset) is read, each
  document digested (``_digest``); the client asks the desk which digests it knows, and the
  worker extracts and fingerprints the others (``Preparer.prepare_all``). Workers never touch the
  store.
* **On the client, in publication order**: ``Desk.ingest_prepared`` saves each article with its
  copy keys, copy edges and story, as ``ingest`` does (the same code), into whatever store the
  desk opened.

Every task is a Dask future with retries; a worker that dies costs only the partitions it held
(their reads too: Dask runs them again from their inputs), and a partition's result is taken once,
so nothing is stored twice. A partition that fails on every try (or kills every worker it runs
on) is reported as one broken input, and the batch goes on. A rerun reads and digests its inputs
again but extracts nothing the store knows (``BatchReport.known``).

The client is a front end: it parses what the user gave, drives the cluster and hands the Desk its
records. Dask and fsspec are the ``batch`` extra, imported when a batch runs.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._intake import ItemCallback, Preparer, guarded
from .config import Config
from .exceptions import BatchError, ConfigError, InputError
from .model import (
    BatchReport,
    BatchStage,
    BatchStep,
    Broken,
    Fetched,
    FoundSource,
    IngestReport,
    Prepared,
    Rejected,
)
from .sources import Item, warc
from .sources.files import display_path, list_inputs, read_stream

if TYPE_CHECKING:
    from distributed import Client

    from .core import Desk

log = logging.getLogger(__name__)

#: Records of a web archive per partition, by default: enough that a partition's extraction
#: (tens of milliseconds a page) outweighs a task's overhead (about a millisecond).
CHUNK_RECORDS = 500
#: Times a failed task is tried again (a worker's death is not a failure: Dask reschedules it).
RETRIES = 2

#: Hears how far a batch has come.
BatchProgress = Callable[[BatchStep], None]


@dataclass(frozen=True, slots=True)
class BatchInput:
    """One input file: what opens it (``url``: a path or fsspec URL) and how reports name it
    (``origin``: for a local file, what ``ingest`` would call it, so both make the same
    articles)."""

    url: str
    origin: str

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Partition:
    """What one task reads: a whole input, or ``records`` records of a WARC from ``offset``
    (numbered from ``first``, as a whole read numbers them)."""

    source: BatchInput
    offset: int = 0
    records: int | None = None
    first: int = 1


class _Step(enum.Enum):
    """What a task of a batch does."""

    PLAN = "plan"  # split a web archive into record ranges
    DIGESTS = "digests"  # read a part and digest its documents
    PREPARE = "prepare"  # extract and fingerprint a part's documents the store does not know


@dataclass(frozen=True, slots=True)
class _Task:
    """A task under way: its step, for the ``part``-th part of the ``input``-th input."""

    step: _Step
    input: int
    part: int = 0

    @property
    def part_key(self) -> tuple[int, int]:
        return (self.input, self.part)


@dataclass(frozen=True, slots=True)
class PartResult:
    """What a worker made of a partition: its items in input order, and what it cost."""

    items: list[Item]
    documents: int
    extracted: int
    seconds: float


def _fsspec() -> Any:
    try:
        import fsspec
    except ImportError as e:
        raise ConfigError("newsdesk batch needs the 'batch' extra: pip install 'newsdesk[batch]'") from e
    return fsspec


def list_batch_inputs(specs: Sequence[str], *, exclude: Sequence[Path] = ()) -> list[BatchInput]:
    """Every input file the user named, in a stable order: a local path as ``ingest`` lists it
    (folders walked, hidden files skipped, ``exclude`` left out), a glob or URL as fsspec expands
    it (a folder's files found recursively). Raises InputError for a name that matches nothing."""
    out: list[BatchInput] = []
    skip = {e.resolve() for e in exclude}
    for spec in specs:
        if "://" not in spec and not any(c in spec for c in "*?["):
            for path in list_inputs([spec], exclude=exclude):
                out.append(BatchInput(str(path.resolve()), display_path(path)))
            continue
        try:
            fs, _, paths = _fsspec().get_fs_token_paths(spec)
            found: list[str] = []
            for p in paths:
                found.extend(sorted(fs.find(p)) if fs.isdir(p) else [p])
        except (ValueError, ImportError, OSError) as e:
            # An unknown protocol, a backend not installed (s3fs, gcsfs), a host that does not answer.
            raise InputError(f"{spec}: {' '.join(str(e).split())[:300]}") from e
        found = [p for p in found if not p.rsplit("/", 1)[-1].startswith(".")]  # hidden, as ingest
        if not found:
            raise InputError(f"{spec}: no such file, or nothing matches")
        local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
        for p in found:
            if local and Path(p).resolve() in skip:
                continue
            url = p if local else fs.unstrip_protocol(p)
            out.append(BatchInput(url, url))
    return out


# -- the tasks: run on the workers ---------------------------------------------------------------------


def _plan(source: BatchInput, size: int) -> list[Partition]:
    """A web archive's partitions: runs of ``size`` records, or the whole file when it cannot be
    read from an offset."""
    whole = [Partition(source)]
    if not source.name.lower().endswith((".warc", ".warc.gz")):
        return whole
    try:
        with _fsspec().open(source.url, "rb") as f:
            ranges = warc.record_ranges(f, size)
    except OSError:
        return whole  # the read reports it
    if not ranges or len(ranges) == 1:
        return whole
    return [Partition(source, offset, records, first) for offset, records, first in ranges]


def _read(part: Partition, max_bytes: int) -> list[Item]:
    """The items of one partition, as the readers give them; a failure part-way ends them with a
    Broken report (``guarded``), as in ingest."""
    source = part.source
    try:
        with _fsspec().open(source.url, "rb") as f:
            if part.records is None:
                items = read_stream(f, source.name, source.origin, max_bytes=max_bytes)
            else:
                items = warc.read_range(
                    f,
                    source.origin,
                    offset=part.offset,
                    records=part.records,
                    first=part.first,
                    max_record_bytes=max_bytes,
                )
            return list(guarded(items, source.origin))
    except OSError as e:
        return [Broken(origin=source.origin, detail=f"cannot read: {e.strerror or e}")]


def _digests(items: list[Item]) -> list[bytes | None]:
    """Each document's input digest (None for the other items): what the client checks."""
    return [Preparer.input_digest(i) if isinstance(i, Fetched) else None for i in items]


def _prepare(items: list[Item], skip: frozenset[int], config: Config, extraction: bytes) -> PartResult:
    """Extract and fingerprint a partition's documents but those in ``skip`` (known to the store)."""
    started = time.perf_counter()
    with Preparer(config) as preparer:
        if preparer.extraction_digest != extraction:
            raise BatchError(
                "a worker extracts with another newsdesk, library version or settings than the "
                "client: install the same versions everywhere"
            )
        out = list(preparer.prepare_all(items, skip=skip))
    documents = sum(1 for i in items if isinstance(i, Fetched))
    return PartResult(out, documents, documents - len(skip), time.perf_counter() - started)


# -- the client ------------------------------------------------------------------------------------


@contextlib.contextmanager
def connect(
    scheduler: str | None = None, workers: int | None = None, *, dashboard_address: str = ":8787"
) -> Iterator[Client]:
    """A Dask client: of the cluster at ``scheduler`` (``tcp://host:8786``), or of a
    ``LocalCluster`` of ``workers`` processes (default: one per core), one thread each (extraction
    holds the GIL), closed on leaving."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise ConfigError("newsdesk batch needs the 'batch' extra: pip install 'newsdesk[batch]'") from e
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as e:
            raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=dashboard_address
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def dashboard(client: Client) -> str | None:
    """The address of the cluster's Dask dashboard (its scheduler serves it when bokeh is
    installed beside it)."""
    link = getattr(client, "dashboard_link", None)
    return link if isinstance(link, str) else None


def bokeh_missing() -> bool:
    """Whether bokeh, which Dask serves its dashboard with, is missing here (the ``batch`` extra
    leaves it out): a cluster started here then has no dashboard behind its link."""
    import importlib.util

    return importlib.util.find_spec("bokeh") is None


def run_batch(
    desk: Desk,
    inputs: Sequence[str],
    client: Client,
    *,
    chunk_records: int = CHUNK_RECORDS,
    force: bool = False,
    progress: BatchProgress | None = None,
    on_item: ItemCallback | None = None,
) -> BatchReport:
    """Read, extract and fingerprint ``inputs`` on ``client``'s workers, then store them through
    ``desk`` in publication order (see the module's docstring). Raises InputError for an input
    that matches nothing (before any work), BatchError when the cluster cannot run the batch."""
    from distributed import as_completed

    started = time.perf_counter()
    db = Path(desk.config.db)
    own = [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]
    sources = list_batch_inputs(inputs, exclude=own)
    extraction = desk.extraction_digest()
    max_bytes = desk.config.max_input_bytes
    tell = progress or (lambda step: None)
    workers = len(client.scheduler_info().get("workers", {}))
    report = BatchReport(ingest=IngestReport(), inputs=len(sources), workers=workers)
    report.dashboard = dashboard(client)

    # Parts are keyed (input, part): sorted, they are the inputs' order, record by record.
    parts: dict[tuple[int, int], Partition] = {}
    results: dict[tuple[int, int], PartResult] = {}
    tasks: dict[Any, _Task] = {}  # by Dask key, the tasks under way
    reads: dict[tuple[int, int], Any] = {}  # the read parts, kept on the workers until prepared
    pending = as_completed()
    parallel = time.perf_counter()

    def planning() -> int:
        return sum(t.step is _Step.PLAN for t in tasks.values())

    def submit(fn: Callable[..., Any], *args: Any) -> Any:
        return client.submit(fn, *args, retries=RETRIES, pure=False)

    def run(task: _Task, fn: Callable[..., Any], *args: Any) -> Any:
        future = client.submit(fn, *args, retries=RETRIES, pure=False)
        tasks[future.key] = task
        pending.add(future)
        return future

    def start(task: _Task, part: Partition) -> None:
        parts[task.part_key] = part
        reads[task.part_key] = client.submit(_read, part, max_bytes, retries=RETRIES, pure=False)
        run(task, _digests, reads[task.part_key])

    for i, source in enumerate(sources):
        if source.name.lower().endswith((".warc", ".warc.gz")):
            run(_Task(_Step.PLAN, i), _plan, source, chunk_records)
        else:
            start(_Task(_Step.DIGESTS, i), Partition(source))
    tell(BatchStep(BatchStage.PREPARE, 0, len(parts) + planning()))

    for future in pending:
        task = tasks.pop(future.key)
        try:
            value = future.result()
        except BatchError:
            raise  # the cluster cannot run this batch at all
        except Exception as e:
            # A part that failed on every try (or killed every worker it ran on): one line for it,
            # and the batch goes on. A plan that failed leaves the whole file to one read.
            log.debug("batch task %s failed", future.key, exc_info=True)
            if task.step is _Step.PLAN:
                start(_Task(_Step.DIGESTS, task.input), Partition(sources[task.input]))
            else:
                results[task.part_key] = _failed(parts[task.part_key], e)
                reads.pop(task.part_key).release()
        else:
            if task.step is _Step.PLAN:
                for j, part in enumerate(value):
                    start(_Task(_Step.DIGESTS, task.input, j), part)
            elif task.step is _Step.DIGESTS:
                skip = frozenset() if force else _known(desk, value)
                prepare = _Task(_Step.PREPARE, task.input, task.part)
                run(prepare, _prepare, reads[task.part_key], skip, desk.config, extraction)
            else:
                results[task.part_key] = value
                reads.pop(task.part_key).release()
        future.release()
        tell(BatchStep(BatchStage.PREPARE, len(results), len(parts) + planning()))
    report.parallel_seconds = time.perf_counter() - parallel

    items: list[Item] = []
    for key in sorted(results):
        r = results[key]
        items.extend(r.items)
        report.documents += r.documents
        report.extracted += r.extracted
        report.prepare_seconds += r.seconds
    report.partitions = len(results)
    report.known = report.documents - report.extracted

    stored = 0
    total = len(items)

    def step(result: Any) -> None:
        nonlocal stored
        stored += 1
        tell(BatchStep(BatchStage.STORE, stored, total))
        if on_item is not None:
            on_item(result)

    tell(BatchStep(BatchStage.STORE, 0, total))
    storing = time.perf_counter()
    report.ingest = desk.ingest_prepared(_storable(items), on_item=step, force=force)
    report.store_seconds = time.perf_counter() - storing
    report.seconds = time.perf_counter() - started
    return report


def _failed(part: Partition, e: BaseException) -> PartResult:
    """What a part that failed on every try becomes: one Broken report, naming its records."""
    where = part.source.origin
    if part.records is not None:
        where += f"#record-{part.first} (and the rest of its {part.records} records)"
    why = " ".join(f"{type(e).__name__}: {e}".split())[:300]
    return PartResult([Broken(origin=where, detail=f"failed on every try, not read: {why}")], 0, 0, 0.0)


def _known(desk: Desk, digests: list[bytes | None]) -> frozenset[int]:
    """The positions of the documents whose inputs the store knows (not to be extracted)."""
    where = [n for n, d in enumerate(digests) if d is not None]
    known = desk.known_inputs([d for d in digests if d is not None])
    return frozenset(n for n, k in zip(where, known, strict=True) if k)


def _storable(items: list[Item]) -> list[Prepared | FoundSource | Broken | Rejected]:
    """The items ``Desk.ingest_prepared`` takes: a worker hands back no raw document."""
    out: list[Prepared | FoundSource | Broken | Rejected] = []
    for item in items:
        if not isinstance(item, Prepared | FoundSource | Broken | Rejected):
            raise AssertionError(f"a worker handed back {type(item).__name__} unprepared")
        out.append(item)
    return out
