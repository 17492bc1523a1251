"""Several collectors on one store: real ``newsdesk update --watch`` processes against 200 feeds on
a local server, over three rounds of reports, copies, follow-ups and corrections (bench/newsroom.py).

What must hold: each report is stored exactly once (a corrected one with exactly two versions), no
source is fetched by two collectors at once, a collector killed with SIGKILL mid-run loses nothing
(its leases run out and the others take its sources), and four collectors end with the same copy
edges and stories as one collector given the same rounds.

Why "the same" can be asked of stories, though they are made online and four collectors store the
reports of a round in a different order than one: every write of an article (the article, its copy
edges, its story) is one unit of work that holds the store's one writer lock (SQLite's BEGIN
IMMEDIATE; on PostgreSQL, transaction-level advisory locks), so each unit sees every unit before it
whole; and what a round brings is told apart by its content, not by its order (a copy names its
original; the reports of one event share their people, place and subject; corrections change
one paragraph). The test compares copy edges as (copy, original, kind) and stories as sets of
addresses, not ids, which do depend on the order.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from bench import newsroom

from newsdesk import open_desk

from ._server import Reply, Request, Server, running

ROOM = newsroom.build(outlets=200, events=40, seed=7)


def _env(tmp: Path) -> dict[str, str]:
    return {**newsroom.collector_env(tmp), "PYTHONFAULTHANDLER": "1"}


class World:
    """The newsroom served round by round."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.round = 0
        for outlet in range(ROOM.outlets):
            server.add(ROOM.feed_path(), self._feed(outlet), host=ROOM.host(outlet))

    def _feed(self, outlet: int) -> Any:
        def reply(_req: Request) -> Reply:
            return Reply(
                body=ROOM.feed(outlet, self.round, self.server.port),
                content_type="application/rss+xml; charset=utf-8",
            )

        return reply

    def opml(self, path: Path) -> Path:
        path.write_text(ROOM.opml(self.server.port))
        return path


@pytest.fixture
def world() -> Iterator[World]:
    with running() as server:
        yield World(server)


def _collect(
    location: str,
    tmp: Path,
    world: World,
    collectors: int,
    *,
    kill_in_round: int | None = None,
    killed_pids: list[int] | None = None,
) -> list[str]:
    """Run ``collectors`` watching collectors through every round; returns what they printed
    (the pid of the one killed goes into ``killed_pids``)."""
    env = _env(tmp)
    with open_desk(location, data_dir=str(tmp)) as desk:
        assert len(desk.import_opml(world.opml(tmp / "room.opml")).added) == ROOM.outlets

    logs: list[Path] = []

    def start() -> subprocess.Popen[bytes]:
        # Output to a file: a watching collector prints a line a fetch, which would fill a pipe.
        logs.append(tmp / f"collector-{len(logs)}.log")
        with logs[-1].open("wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "newsdesk", "--db", location, "update", "--watch"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def said(p: subprocess.Popen[bytes]) -> str:
        return logs[started.index(p)].read_text(errors="replace")

    procs = [start() for _ in range(collectors)]
    started = list(procs)
    killed: subprocess.Popen[bytes] | None = None
    try:
        for rnd in range(len(ROOM.rounds)):
            world.round = rnd
            wanted = ROOM.expected(world.server.port, rnd)
            deadline = time.monotonic() + 240
            while True:
                have = newsroom.stored_versions(location)
                assert set(have) <= set(ROOM.expected(world.server.port, len(ROOM.rounds) - 1))
                assert all(have[u] <= wanted.get(u, 99) for u in have), "a text stored twice"
                if have == wanted:
                    break
                if (
                    kill_in_round == rnd
                    and killed is None
                    and len(set(have) - set(ROOM.expected(world.server.port, rnd - 1))) > 5
                ):
                    killed = procs.pop(0)  # mid-round: some of this round's reports are in
                    if killed_pids is not None:
                        killed_pids.append(killed.pid)
                    killed.send_signal(signal.SIGKILL)
                    killed.communicate()
                for p in procs:
                    assert p.poll() is None, f"a collector stopped: {said(p)[-2000:]}"
                assert time.monotonic() < deadline, (
                    f"round {rnd}: {len(set(wanted) - set(have))} reports missing after 240 s"
                )
                time.sleep(0.5)
    finally:
        stopping = time.monotonic()
        for p in procs:
            p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=max(stopping + 120 - time.monotonic(), 1))
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGABRT)  # with PYTHONFAULTHANDLER: every thread's stack in its log
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        print(f"{len(procs)} collectors stopped in {time.monotonic() - stopping:.1f} s")
    outputs = [said(p) for p in procs]
    for p, out in zip(procs, outputs, strict=True):
        assert p.returncode in (0, 130, -signal.SIGINT), f"exit {p.returncode}: {out[-6000:]}"
        assert "Traceback" not in out, out[-3000:]
    return outputs


def _outcome(
    location: str, killed_pids: Sequence[int] = ()
) -> tuple[set[tuple[str, str, str]], set[frozenset[str]], int]:
    """Copy edges as (copy, original, kind), stories as sets of addresses, and the leases left
    but the killed collectors' (``killed_pids``): a collector that stops gives its leases back; a
    killed one cannot, and its name stays on a source until another collector has to fetch that
    source again after the lease has run out (the test may end first)."""
    with open_desk(location) as desk:
        urls = {a.id: a.article.url for a in desk.articles()}
        edges = {(urls[e.copy_id], urls[e.original_id], str(e.kind)) for e in desk.copy_edges()}
        groups: dict[int, set[str]] = {}
        for aid, url in urls.items():
            sid = desk.story_id_of(aid)
            assert sid is not None, f"{url} has no story"
            groups.setdefault(sid, set()).add(url)
        dead = {str(pid) for pid in killed_pids}
        leased = sum(
            1 for s in desk.sources() if s.leased_by is not None and s.leased_by.split(":")[-2] not in dead
        )
    return edges, {frozenset(g) for g in groups.values()}, leased


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """Two empty stores of one backend: for one collector and for four."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'one.sqlite'}", f"sqlite:///{tmp_path / 'four.sqlite'}"
    server = request.getfixturevalue("postgres_server")
    return server.database(), server.database()


def test_four_collectors_store_each_report_once_and_agree_with_one(
    world: World, stores: tuple[str, str], tmp_path: Path
) -> None:
    one, four = stores
    (tmp_path / "one").mkdir()
    _collect(one, tmp_path / "one", world, 1)
    world.round = 0
    (tmp_path / "four").mkdir()
    killed: list[int] = []
    _collect(four, tmp_path / "four", world, 4, kill_in_round=1, killed_pids=killed)
    assert len(killed) == 1

    # Each report once, each correction once more: nothing lost to the killed collector, nothing
    # stored twice by two collectors.
    final = ROOM.expected(world.server.port, len(ROOM.rounds) - 1)
    assert newsroom.stored_versions(one) == final and newsroom.stored_versions(four) == final
    edges_one, stories_one, leased_one = _outcome(one)
    edges_four, stories_four, leased_four = _outcome(four, killed)
    assert leased_one == leased_four == 0  # every lease given back (the killed one's runs out)
    copies = {
        newsroom.on_port(r.url, world.server.port) for rnd in ROOM.rounds for r in rnd if r.kind == "copy"
    }
    assert copies <= {c for c, _, _ in edges_one}
    # Who copied whom does not depend on the order the reports came in.
    assert edges_four == edges_one
    assert len(stories_one) < len(final) / 2  # reports of one event are grouped, not left alone

    # Stories are made online, so they depend on the order reports arrive in, which four
    # collectors do not fix. What must hold is that no unit of work saw half of another: one
    # process going through the same reports in the same order (recluster: every article again,
    # in order of arrival) ends with the very same stories and copy edges.
    with open_desk(four) as desk:
        desk.recluster()
    if stores[0].startswith("sqlite"):
        assert _outcome(four, killed) == (edges_four, stories_four, 0)
    else:
        # On PostgreSQL an article's id is given before its unit takes the stages' turn, so two
        # units can be clustered in the other order than their ids: recluster (by id) is then
        # not the arrival order, and its stories may differ (seen once in six runs). Copy edges
        # do not depend on the order; that the replay is exact is shown on SQLite, whose one
        # writer gives ids in turn order.
        assert _outcome(four, killed)[0] == edges_four
