"""Extraction's budget: a page over the size budget is rejected before it is parsed; a page that
runs past the time budget is stopped (its worker process killed) and rejected, and the pages after
it are extracted; a worker gives what extraction here gives; no worker outlives its desk or a killed
ingest. Real worker processes, real SIGKILLs."""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newsdesk import Fetched, RejectReason, open_desk
from newsdesk._budget import Budget, Extractor
from newsdesk.extract import extract

from ._pages import article_page, endless_page

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "sample"


def page(i: int, body: bytes | None = None) -> Fetched:
    html = body if body is not None else article_page(i, random.Random(i)).encode()
    return Fetched(url=f"https://synthetic.example/p/{i}", body=html, origin=f"page-{i}.html")


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ({"max_page_bytes": 100_000}, r"\d{3},\d{3} bytes, more than max_page_bytes=100,000: not parsed"),
        ({"max_page_elements": 1_000}, r"5,00\d elements, more than max_page_elements=1,000: not parsed"),
    ],
)
def test_a_page_over_the_size_budget_is_rejected_before_it_is_parsed(
    tmp_path: Path, setting: dict[str, int], said: str
) -> None:
    with open_desk(tmp_path / "d.sqlite", **setting) as desk:
        report = desk.ingest_items([page(1), page(2, endless_page(5_000))])
        assert report.new == 1
        (rejected,) = report.rejected
        assert rejected.reason is RejectReason.TOO_LARGE and rejected.origin == "page-2.html"
        assert re.fullmatch(said, rejected.detail), rejected.detail
        assert desk.rejections() == [rejected]
        assert multiprocessing.active_children() == []  # small or refused: no worker was needed


def test_a_page_past_the_time_budget_is_stopped_and_the_pages_after_it_are_extracted(tmp_path: Path) -> None:
    # Every page goes to the one worker: the slow page's is killed, the next page gets a new one.
    settings = {"extract_timeout": 1.0, "extract_workers": 1, "inline_page_bytes": 0}
    with open_desk(tmp_path / "d.sqlite", **settings) as desk:
        report = desk.ingest_items([page(1), page(2, endless_page(40_000)), page(3)])
        assert report.new == 2
        assert sorted(a.article.origin or "" for a in desk.articles()) == ["page-1.html", "page-3.html"]
        (rejected,) = report.rejected
        assert rejected.reason is RejectReason.TIMED_OUT and rejected.origin == "page-2.html"
        m = re.fullmatch(
            r"extraction ran past extract_timeout=1 s and was stopped after (\d+\.\d) s; "
            r"[\d,]+ bytes, 40,00\d elements",
            rejected.detail,
        )
        assert m and float(m.group(1)) >= 1.0, rejected.detail
        assert desk.rejections() == [rejected]


def test_a_worker_extracts_what_extraction_here_extracts() -> None:
    files = sorted((SAMPLE / "pages").rglob("*.html"))
    assert len(files) > 50
    docs = [Fetched(url=None, body=f.read_bytes(), origin=str(f)) for f in files]
    everything_to_workers = Extractor(Budget(inline_bytes=0), min_words=60)
    try:
        assert [everything_to_workers.extract(d) for d in docs] == [extract(d, min_words=60) for d in docs]
        assert everything_to_workers.started == 1 and everything_to_workers.killed == 0
    finally:
        everything_to_workers.close()


def test_closing_the_desk_ends_its_workers(tmp_path: Path) -> None:
    others = set(workers_of(os.getpid()))  # other tests' children, if any are still around
    with open_desk(tmp_path / "d.sqlite", inline_page_bytes=0, extract_workers=2) as desk:
        assert desk.ingest_items([page(1)]).new == 1
        workers = set(workers_of(os.getpid())) - others
        assert len(workers) == 1  # started when a page needed one, not before
    assert not any(alive(pid) for pid in workers)


def test_a_worker_that_dies_is_replaced_and_only_the_page_it_died_on_is_rejected(tmp_path: Path) -> None:
    settings = {"extract_workers": 1, "inline_page_bytes": 0, "max_page_elements": 10**6}
    others = set(workers_of(os.getpid()))  # other tests' children, if any are still around
    with open_desk(tmp_path / "d.sqlite", **settings) as desk:
        assert desk.ingest_items([page(1)]).new == 1
        # Killed from outside while it waits (the OOM killer, a person): the next page is not to blame.
        (idle,) = set(workers_of(os.getpid())) - others
        os.kill(idle, signal.SIGKILL)
        while alive(idle):  # dead before the next page comes (dying as it comes is dying on it)
            time.sleep(0.01)
        assert desk.ingest_items([page(2)]).new == 1
        # Killed while it works on a page: that page is rejected, and the next one extracted.
        outcome: list[Any] = []
        ingest = threading.Thread(
            target=lambda: outcome.append(desk.ingest_items([page(3, endless_page(200_000))]))
        )
        ingest.start()
        deadline = time.monotonic() + 120
        while not (
            busy := [w for w in set(workers_of(os.getpid())) - others - {idle} if cpu_seconds(w) > 1.5]
        ):
            assert ingest.is_alive() and time.monotonic() < deadline, "no busy worker appeared"
            time.sleep(0.1)
        os.kill(busy[0], signal.SIGKILL)
        ingest.join()
        (rejected,) = outcome[0].rejected
        assert rejected.reason is RejectReason.UNPARSABLE and rejected.origin == "page-3.html"
        assert re.match(
            r"the extraction worker died on this page after [\d.]+ s \(exit code -9\)", rejected.detail
        )
        assert desk.ingest_items([page(4)]).new == 1


def workers_of(pid: int) -> list[int]:
    """The extraction workers a process started (its children that run multiprocessing's spawn)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    """Whether any thread of the process still runs (a killed process is a zombie only once the
    last of its threads is gone; until then its pipes are open)."""
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            if task.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
                return True
        except OSError:
            continue  # that thread is gone
    return False


@pytest.mark.slow
def test_a_killed_ingest_leaves_no_worker_behind(tmp_path: Path) -> None:
    # A page that keeps a worker busy for about a minute, and a budget that lets it.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "endless.html").write_bytes(endless_page(200_000))
    env = {
        **os.environ,
        "NEWSDESK_PROGRESS": "false",
        "NEWSDESK_MAX_PAGE_ELEMENTS": "1000000",
        "NEWSDESK_EXTRACT_TIMEOUT": "600",
    }
    cmd = [
        sys.executable,
        "-m",
        "newsdesk",
        "--db",
        str(tmp_path / "d.sqlite"),
        "ingest",
        str(tmp_path / "in"),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        worker = None
        # Wait until the worker is busy with the page (past its start-up: a second of CPU).
        while worker is None or cpu_seconds(worker) < 2.0:
            assert proc.poll() is None and time.monotonic() < deadline, "no busy extraction worker appeared"
            found = workers_of(proc.pid)
            worker = found[0] if found else None
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 30
    while alive(worker):
        assert time.monotonic() < deadline, "the worker outlived the ingest that started it"
        time.sleep(0.1)


def test_the_extract_command_has_the_budget_too(tmp_path: Path) -> None:
    """`newsdesk extract FILE` extracted without a budget: a page of 200,000 paragraphs took
    minutes. It is now refused before parsing, as ingest refuses it."""
    from click.testing import CliRunner

    from newsdesk.cli import cli

    page = tmp_path / "big.html"
    page.write_text(
        "<html><head><title>x</title></head><body>" + "<p>word word</p>" * 60_000 + "</body></html>"
    )
    result = CliRunner().invoke(cli, ["extract", str(page)], env={"NEWSDESK_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "too-large" in result.output and "max_page_elements" in result.output
