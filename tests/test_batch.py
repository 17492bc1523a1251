"""``newsdesk batch`` on a real Dask ``LocalCluster`` (two worker processes, one thread each,
started once for the module; nothing mocked).

The sample corpus (what ``newsdesk demo`` ingests) packed as a WARC by newsdesk's own writer, with
its JSON Lines file beside it, gives what ``newsdesk ingest`` gives on the same files: the same
articles, copy edges, rejections and export. Stories are the one order-dependent result: batch
stores in order of publication, so its stories are those of an ingest that sees the same
documents in that order. A rerun extracts nothing; JSON Lines, HTML, globs and ``file://`` URLs
are read; a bad file or record is one line and the batch goes on; a worker killed mid-run costs
only its parts; ``--parquet`` writes a dataset by day.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from distributed import Client

from newsdesk import (
    Article,
    BatchReport,
    BatchStage,
    BatchStep,
    Desk,
    Fetched,
    InputError,
    extract,
    open_desk,
)
from newsdesk.archive import WarcWriter
from newsdesk.batch import connect, run_batch
from newsdesk.fetch import Response
from newsdesk.sources.files import read_file

from .conftest import TickingClock, invoke_cli, run_cli

pytestmark = pytest.mark.slow

T0 = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
#: Fields of an export record that name rows of one store (ids) or the clock of one run.
RUN_FIELDS = ("id", "original_id", "story_id", "first_seen", "last_seen")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with connect(workers=2, dashboard_address=":0") as c:
        yield c


def pack_sample(sample_dir: Path, truth: dict[str, Any], folder: Path) -> Path:
    """The sample's pages and feeds as one WARC.gz (newsdesk's own writer), in the order ingest
    walks the folder; each page under its URL from the truth (other files under a made-up one)."""
    urls = {}
    for a in truth["articles"].values():
        for f in [a["file"], *(a.get("revision_files") or [])]:
            urls[f] = a["url"]
    writer = WarcWriter(folder)
    for path in sorted([*sample_dir.glob("pages/**/*.html"), *sample_dir.glob("feeds/*.xml")]):
        rel = path.relative_to(sample_dir).as_posix()
        url = urls.get(rel) or f"https://sample.example/{rel}"
        ctype = "text/html; charset=utf-8" if rel.endswith(".html") else "application/rss+xml"
        headers = (("Content-Type", ctype),)
        writer.write_response(Response(url, url, 200, headers, path.read_bytes(), T0))
    writer.close()
    assert writer.path is not None
    return writer.path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path, truth: dict[str, Any]) -> list[str]:
    warc = pack_sample(sample_dir, truth, tmp_path_factory.mktemp("warc"))
    return [str(warc), str(sample_dir / "pressline.jsonl")]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, inputs: list[str]) -> Path:
    db = tmp_path_factory.mktemp("ingest") / "ingest.sqlite"
    with open_desk(db, clock=TickingClock()) as desk:
        desk.ingest(inputs)
    return db


@pytest.fixture(scope="module")
def batched(
    tmp_path_factory: pytest.TempPathFactory, inputs: list[str], client: Client
) -> tuple[Path, BatchReport]:
    db = tmp_path_factory.mktemp("batch") / "batch.sqlite"
    with open_desk(db, clock=TickingClock()) as desk:
        report = run_batch(desk, inputs, client, chunk_records=10)
    return db, report


def articles(db: Path | str) -> list[tuple[Any, ...]]:
    with open_desk(db) as desk:
        return sorted(
            (
                a.url,
                a.canonical_url,
                a.title,
                a.text,
                a.origin,
                a.published,
                a.byline,
                a.category,
                s.revisions,
            )
            for s in desk.articles()
            for a in [s.article]
        )


def copy_edges(db: Path | str) -> list[tuple[Any, ...]]:
    with open_desk(db) as desk:
        url = {s.id: s.article.canonical_url for s in desk.articles()}
        return sorted((url[e.copy_id], url[e.original_id], e.kind, e.score) for e in desk.copy_edges())


def stories(db: Path) -> set[frozenset[str]]:
    """The stories as sets of article URLs (ids differ from store to store)."""
    with open_desk(db) as desk:
        records = exported(desk)
    groups: dict[int, set[str]] = {}
    for rec in records:
        groups.setdefault(rec["story_id"], set()).add(rec["canonical_url"])
    return {frozenset(g) for g in groups.values()}


def exported(desk: Desk) -> list[dict[str, Any]]:
    out = Path(desk.config.db).with_suffix(".jsonl")
    desk.export("jsonl", out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def export_without_ids(db: Path) -> list[dict[str, Any]]:
    with open_desk(db) as desk:
        records = exported(desk)
    return sorted(
        ({k: v for k, v in rec.items() if k not in RUN_FIELDS} for rec in records),
        key=lambda r: r["canonical_url"],
    )


def rejections(db: Path | str) -> list[tuple[str, str, str]]:
    with open_desk(db) as desk:
        return sorted((r.origin, r.reason.value, r.detail) for r in desk.rejections())


# -- the sample corpus: batch gives what ingest gives ---------------------------------------------


def test_batch_stores_the_articles_ingest_stores(batched: tuple[Path, BatchReport], ingested: Path) -> None:
    db, report = batched
    assert len(articles(db)) == 90
    assert articles(db) == articles(ingested)
    assert report.partitions > 2, "the WARC was read in parts"
    assert report.workers == 2


def test_batch_finds_the_copies_ingest_finds(batched: tuple[Path, BatchReport], ingested: Path) -> None:
    assert len(copy_edges(batched[0])) == 13
    assert copy_edges(batched[0]) == copy_edges(ingested)


def test_batch_rejects_and_counts_what_ingest_does(
    batched: tuple[Path, BatchReport], ingested: Path, inputs: list[str]
) -> None:
    db, report = batched
    assert rejections(db) == rejections(ingested)
    with open_desk(ingested) as desk:
        again = desk.ingest(inputs).as_dict()  # everything known now: only the counts that stay
    mine = report.ingest.as_dict()
    assert mine["new"] + mine["updated"] == again["unchanged"] == 92
    for key in ("rejected", "rejected_by_reason", "broken", "summary_only_covered", "summary_only_pending"):
        assert mine[key] == again[key], key
    assert mine["copies_found"] == 13


def in_publication_order(inputs: list[str], max_bytes: int) -> list[Any]:
    """The documents of ``inputs`` as the readers give them, sorted by the publication time their
    extraction finds (articles without one, and the rest, after them; stable)."""
    items = [item for p in inputs for item in read_file(Path(p), max_bytes=max_bytes)]
    far = datetime.max.replace(tzinfo=UTC)

    def key(item: Any) -> tuple[bool, datetime]:
        if isinstance(item, Fetched) and item.body.strip():
            result = extract(item)
            if isinstance(result, Article) and result.published:
                return (False, result.published)
        return (True, far)

    return sorted(items, key=key)


def test_batch_stories_are_those_of_ingest_in_publication_order(
    batched: tuple[Path, BatchReport], ingested: Path, inputs: list[str], tmp_path: Path
) -> None:
    reference = tmp_path / "ordered.sqlite"
    with open_desk(reference, clock=TickingClock()) as desk:
        desk.ingest_items(in_publication_order(inputs, desk.config.max_input_bytes))
    mine = stories(batched[0])
    assert mine == stories(reference)
    assert 15 <= len(mine) <= 25  # the sample tells 17 events
    # The same articles are in stories as with ingest in file order (only the grouping may differ).
    assert set().union(*mine) == set().union(*stories(ingested))


def test_batch_exports_what_ingest_exports(batched: tuple[Path, BatchReport], ingested: Path) -> None:
    mine = export_without_ids(batched[0])
    assert len(mine) == 90
    assert mine == export_without_ids(ingested)
    assert sum(1 for r in mine if r["copy_kind"]) == 13


def story_groups(db: Path | str) -> set[frozenset[str]]:
    with open_desk(db) as desk:
        groups: dict[int | None, set[str]] = {}
        for s in desk.articles():
            groups.setdefault(desk.story_id_of(s.id), set()).add(s.article.canonical_url)
    return {frozenset(g) for g in groups.values()}


def test_batch_into_postgresql_stores_what_it_stores_into_sqlite(
    batched: tuple[Path, BatchReport], inputs: list[str], client: Client, postgres_url: str
) -> None:
    """The client stores through the Desk, so the store is whichever --db names."""
    db, first = batched
    with open_desk(postgres_url, clock=TickingClock()) as desk:
        report = run_batch(desk, inputs, client, chunk_records=10)
    assert (report.ingest.new, report.ingest.updated) == (first.ingest.new, first.ingest.updated)
    assert articles(postgres_url) == articles(db)
    assert copy_edges(postgres_url) == copy_edges(db)
    assert rejections(postgres_url) == rejections(db)
    assert story_groups(postgres_url) == story_groups(db)


def test_batch_over_the_sample_folder_stores_what_the_demo_stores(
    tmp_path: Path, sample_dir: Path, sample_store: Path, client: Client
) -> None:
    """The sample's own files, as ``ingest`` (the demo) reads them: a part per file."""
    db = tmp_path / "folder.sqlite"
    with open_desk(db, clock=TickingClock()) as desk:
        report = run_batch(desk, [str(sample_dir)], client)
    assert report.partitions == report.inputs > 90
    assert articles(db) == articles(sample_store)
    assert copy_edges(db) == copy_edges(sample_store)
    assert rejections(db) == rejections(sample_store)


# -- reruns, inputs, failures ----------------------------------------------------------------------


def test_a_rerun_does_no_work(tmp_path: Path, inputs: list[str], client: Client) -> None:
    db = tmp_path / "rerun.sqlite"
    with open_desk(db, clock=TickingClock()) as desk:
        first = run_batch(desk, inputs, client, chunk_records=25)
        before = articles(db)
        again = run_batch(desk, inputs, client, chunk_records=25)
    assert first.extracted == first.documents > 90
    assert (again.ingest.new, again.ingest.updated, again.ingest.copies_found) == (0, 0, 0)
    assert again.ingest.unchanged == first.ingest.new + first.ingest.updated
    # Nothing stored before was extracted again: only the feed entries that hold a summary and
    # no article, which no run remembers (their page may come later), as ingest does.
    assert again.known == again.documents - again.ingest.summary_covered
    assert again.extracted == again.ingest.summary_covered
    assert articles(db) == before


def write_inputs(folder: Path, sample_dir: Path) -> None:
    folder.mkdir()
    for name in ("e01-civicledger.html", "e02-civicledger.html"):
        (folder / name).write_bytes((sample_dir / "pages" / "civicledger" / name).read_bytes())
    (folder / "wire.jsonl").write_bytes((sample_dir / "pressline.jsonl").read_bytes())


def test_jsonl_and_html_inputs_by_glob_and_url(tmp_path: Path, sample_dir: Path, client: Client) -> None:
    folder = tmp_path / "in"
    write_inputs(folder, sample_dir)
    with open_desk(tmp_path / "ingest.sqlite", clock=TickingClock()) as desk:
        expected = desk.ingest([folder])
    specs = [str(folder / "*.html"), (folder / "wire.jsonl").as_uri()]
    with open_desk(tmp_path / "batch.sqlite", clock=TickingClock()) as desk:
        report = run_batch(desk, specs, client)
    assert report.inputs == 3 and report.ingest.new == expected.new == 6
    mine = {(a[1], a[2], a[3]) for a in articles(tmp_path / "batch.sqlite")}
    assert mine == {(a[1], a[2], a[3]) for a in articles(tmp_path / "ingest.sqlite")}


def test_a_bad_file_or_record_is_one_line_and_the_batch_goes_on(
    tmp_path: Path, sample_dir: Path, client: Client
) -> None:
    folder = tmp_path / "in"
    write_inputs(folder, sample_dir)
    lines = (folder / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "wire.jsonl").write_text("\n".join([lines[0], '{"url": "https://x.example/a", ', *lines[1:]]))
    (folder / "junk.warc.gz").write_bytes(b"\x1f\x8b not a gzip stream at all")
    (folder / "notes.bin").write_bytes(b"\x00\x01\x02 nothing newsdesk reads")
    with open_desk(tmp_path / "batch.sqlite", clock=TickingClock()) as desk:
        report = run_batch(desk, [str(folder)], client)
    assert report.ingest.new == 6  # every good article of every input
    broken = {Path(b.origin).name: b.detail for b in report.ingest.broken}
    assert set(broken) == {"wire.jsonl:2", "junk.warc.gz", "notes.bin"}, broken
    assert all(detail and "\n" not in detail for detail in broken.values())
    assert "not valid JSON" in broken["wire.jsonl:2"]


def test_an_input_that_matches_nothing_stops_the_batch_before_any_work(
    tmp_path: Path, client: Client
) -> None:
    with open_desk(tmp_path / "b.sqlite") as desk:
        with pytest.raises(InputError, match="nothing matches"):
            run_batch(desk, [str(tmp_path / "*.warc.gz")], client)
        with pytest.raises(InputError, match="nosuchscheme://"):
            run_batch(desk, ["nosuchscheme://bucket/crawl.warc.gz"], client)
        with pytest.raises(InputError, match="no such file"):
            run_batch(desk, [str(tmp_path / "missing.warc.gz")], client)
        assert desk.stats().articles == 0


# -- a worker killed mid-run -----------------------------------------------------------------------


def test_a_worker_killed_mid_run_costs_only_its_parts(
    tmp_path: Path, inputs: list[str], ingested: Path, client: Client
) -> None:
    before = set(client.scheduler_info()["workers"])
    killed: list[str] = []

    def kill_a_busy_worker(step: BatchStep) -> None:
        if killed or step.stage is not BatchStage.PREPARE or step.done < 1:
            return
        busy = [w for w, keys in client.processing().items() if keys]
        if busy:
            killed.append(busy[0])
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)

    db = tmp_path / "killed.sqlite"
    with open_desk(db, clock=TickingClock()) as desk:
        report = run_batch(desk, inputs, client, chunk_records=3, progress=kill_a_busy_worker)
    client.wait_for_workers(2, timeout=60)
    assert killed, "no worker was busy to kill"
    assert killed[0] not in client.scheduler_info()["workers"], "the killed worker is gone"
    assert set(client.scheduler_info()["workers"]) != before
    # Complete, and nothing stored twice.
    assert report.ingest.new + report.ingest.updated == 92 and report.ingest.unchanged == 0
    assert articles(db) == articles(ingested)
    assert copy_edges(db) == copy_edges(ingested)
    assert rejections(db) == rejections(ingested)


# -- the command ------------------------------------------------------------------------------------


def test_the_command_with_a_parquet_dataset(
    tmp_path: Path, inputs: list[str], ingested: Path, client: Client
) -> None:
    import pyarrow.dataset as ds

    db, out = tmp_path / "cli.sqlite", tmp_path / "dataset"
    address = client.scheduler.address
    args = ["--db", str(db), "batch", "--scheduler", address, "--parquet", str(out), "--json", *inputs]
    r = invoke_cli(*args)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["new"], data["updated"], data["copies_found"]) == (90, 2, 13)
    assert data["parquet"]["articles"] == 90
    days = sorted(p.name for p in out.iterdir())
    assert days and all(d.startswith("date=") and len(d) == len("date=2026-03-01") for d in days)
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 90
    rows = table.to_pylist()
    assert sum(1 for row in rows if row["copy_kind"]) == 13
    assert all(row["story_id"] is not None for row in rows)
    for row in rows:
        assert row["date"] == (row["published"] or row["first_seen"]).date().isoformat()
    # Run again: the same dataset (each day replaced), and no work.
    again = json.loads(invoke_cli(*args).stdout)
    assert again["new"] == 0 and again["unchanged"] == 92
    assert ds.dataset(out, format="parquet", partitioning="hive").to_table().num_rows == 90


def test_the_command_refuses_workers_with_a_scheduler(tmp_path: Path) -> None:
    r = invoke_cli(
        "--db", str(tmp_path / "x.sqlite"), "batch", "--scheduler", "tcp://h:1", "--workers", "2", "x"
    )
    assert r.returncode == 2 and "--workers" in r.stderr


def test_the_command_starts_a_cluster_of_its_own(tmp_path: Path, sample_dir: Path) -> None:
    """Through the real entry point, without --scheduler: a LocalCluster of --workers processes,
    its dashboard's address printed, and the summary."""
    folder = tmp_path / "in"
    write_inputs(folder, sample_dir)
    r = run_cli("--db", str(tmp_path / "own.sqlite"), "batch", "--workers", "1", str(folder))
    assert r.returncode == 0, r.stderr
    assert "Dask dashboard: http://" in r.stderr
    assert "6 new" in r.stdout and "on 1 worker:" in r.stdout
