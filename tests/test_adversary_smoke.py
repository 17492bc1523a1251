"""The adversary benchmark's harness (bench/adversary/) cannot pass everything by mistake: its
quick generator makes every class's inputs, and it calls a known crash a crash and a clean run
clean — through a real runner, with real caps, on tiny inputs."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bench import adversary as adv

pytestmark = pytest.mark.slow


def test_the_quick_generator_makes_every_class(tmp_path: Path) -> None:
    cases = adv.generate(list(adv.CLASSES), tmp_path, quick=True, seed=1)
    by_class = Counter(c.cls for c in cases)
    assert set(by_class) == set(adv.CLASSES)
    assert all(n >= 2 for n in by_class.values()), by_class
    names = [(c.cls, c.name) for c in cases]
    assert len(names) == len(set(names)), "case names are unique within a class"
    for case in cases:
        assert case.call in adv.JOBS
        assert case.dir.is_dir()
        if case.judge is adv.judge_ingest:
            (path,) = case.kwargs["argvs"][0][5:]
            assert Path(path).exists()
            assert len(case.expect["goods"]) >= 2 or case.expect.get("only_goods")
    # The hostile JSONL record sits between two good ones, its value written raw.
    nan = next(c for c in cases if c.cls == "jsonl-values" and c.name == "published=NaN")
    lines = Path(nan.kwargs["argvs"][0][-1]).read_text("utf-8").splitlines()
    assert len(lines) == 3 and '"published": NaN' in lines[1]
    assert [json.loads(line)["url"] for line in (lines[0], lines[2])] == nan.expect["goods"]
    # Seeded: the same inputs every time.
    again = adv.generate(["fuzz-bytes"], tmp_path / "again", quick=True, seed=1)
    first = [c for c in cases if c.cls == "fuzz-bytes"]
    for a, b in zip(first, again, strict=True):
        assert (a.dir / "in" / "m-fuzz.rss").exists() == (b.dir / "in" / "m-fuzz.rss").exists()
    bases = adv.fuzz_bases(random.Random("x"))
    data = bases["rss"][1]
    assert adv.mutate(data, random.Random(7)) == adv.mutate(data, random.Random(7))


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[adv.Runner]:
    r = adv.Runner(mem_mb=1024, timeout=30, log=tmp_path_factory.mktemp("runner") / "runner.log")
    r.start()
    yield r
    r.stop()


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("ok", "ok"),
        ("raise", "traceback"),
        ("hog", "memory cap"),
        ("sleep", "time cap"),
        ("segv", "killed by SIGSEGV"),
        ("exit", "exit 3"),
    ],
)
def test_known_outcomes_of_a_child(runner: adv.Runner, tmp_path: Path, kind: str, outcome: str) -> None:
    run = runner.run("selftest", {"kind": kind}, tmp_path, timeout=3)
    verdict = adv.judge_selftest(adv.Case("t", kind, "selftest", {}, adv.judge_selftest, tmp_path), run)
    assert verdict.outcome == outcome, (verdict, run.stderr[-500:])
    assert verdict.clean is (kind == "ok")
    assert run.maxrss_kb > 0 and run.wall > 0
    if kind == "sleep":
        assert run.timed_out and run.wall < 10


def test_a_lost_runner_is_a_harness_error_and_is_started_again(runner: adv.Runner, tmp_path: Path) -> None:
    run = runner.run("selftest", {"kind": "kill-runner"}, tmp_path, timeout=3)
    assert run.lost and adv.judge_selftest(_case(adv.judge_selftest), run).outcome == "harness error"
    again = runner.run("selftest", {"kind": "ok"}, tmp_path, timeout=30)
    assert adv.judge_selftest(_case(adv.judge_selftest), again).clean


def _records_case(tmp_path: Path, middle: str, **expect: object) -> adv.Case:
    maker = adv._Maker(tmp_path, "smoke", 1)
    return maker.records("smoke", "smoke", middle, **expect)


def test_a_real_clean_ingest_is_clean(runner: adv.Runner, tmp_path: Path) -> None:
    good = adv._good_record(random.Random(5), "middle", 3)
    case = _records_case(tmp_path, json.dumps(good), hostile_item=True)
    run = runner.run(case.call, case.kwargs, case.dir)
    verdict = case.judge(case, run)
    assert verdict.clean and verdict.outcome == "stored", (verdict, run.stderr[-500:])
    assert run.result["check"]["articles"] == 3


def test_a_missing_good_record_is_a_crash(runner: adv.Runner, tmp_path: Path) -> None:
    case = _records_case(tmp_path, "{not json")
    case.expect["goods"] = [*case.expect["goods"], "https://good.example/never/stored"]
    case.kwargs["check"] = case.expect["goods"]
    run = runner.run(case.call, case.kwargs, case.dir)
    verdict = case.judge(case, run)
    assert not verdict.clean and verdict.outcome == "good missing", verdict


def test_a_silently_dropped_record_is_a_crash(runner: adv.Runner, tmp_path: Path) -> None:
    # A line that is only whitespace yields nothing at all: fine for a file, not for a hostile record.
    case = _records_case(tmp_path, "   ", hostile_item=True)
    verdict = case.judge(case, runner.run(case.call, case.kwargs, case.dir))
    assert not verdict.clean and verdict.outcome == "dropped", verdict


def _case(judge: Callable[[adv.Case, adv.Run], adv.Verdict], **expect: object) -> adv.Case:
    return adv.Case("t", "t", "cli", {}, judge, Path(), dict(expect))


TB = 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nValueError: boom\n'


@pytest.mark.parametrize(
    ("run", "clean", "outcome"),
    [
        (adv.Run(exit=1, stderr=TB + adv.UNCAUGHT), False, "traceback"),
        (adv.Run(exit=0, stderr="warning\n" + TB + "more output\n"), False, "traceback logged"),
        (adv.Run(exit=0, stderr="MemoryError\n"), False, "memory cap"),
        (adv.Run(timed_out=True, wall=60.0), False, "time cap"),
        (adv.Run(exit=2, stderr="Error: no such option"), False, "exit 2"),
        (adv.Run(lost="the runner stopped answering"), False, "harness error"),
        (
            adv.Run(exit=0, result={"check": {"stored": {"u": True}, "articles": 1}}),
            False,
            "silent",
        ),  # no outcome at all: a silent nothing
        (
            adv.Run(
                exit=0,
                result={"check": {"stored": {"u": True}, "articles": 1, "rejections": [["o", "x", "y"]]}},
            ),
            True,
            "rejected",
        ),
        (adv.Run(exit=0, result={"check": {"stored": {"u": False}, "articles": 0}}), False, "good missing"),
    ],
)
def test_judging_an_ingest(run: adv.Run, clean: bool, outcome: str) -> None:
    verdict = adv.judge_ingest(_case(adv.judge_ingest, goods=["u"]), run)
    assert (verdict.clean, verdict.outcome) == (clean, outcome), verdict


def test_judging_add_and_the_api() -> None:
    refused = adv.Run(exit=1, stderr="error: not an http(s) URL: 'http://[::1'\n", result={"exits": [1, 0]})
    assert adv.judge_add(_case(adv.judge_add), refused).outcome == "refused"
    assert (
        adv.judge_add(_case(adv.judge_add), adv.Run(exit=1, result={"exits": [1, 0]})).outcome
        == "silent failure"
    )
    leaked = adv.Run(exit=0, stdout=f"added: 1 feed x http://u:{adv.SECRET}@h/", result={"exits": [0, 0]})
    assert adv.judge_add(_case(adv.judge_add, secret=adv.SECRET), leaked).outcome == "secret echoed"
    crashed = adv.Run(exit=1, stderr=TB + adv.UNCAUGHT, result={"exits": [1, 0]})
    assert adv.judge_add(_case(adv.judge_add), crashed).outcome == "traceback"
    api = adv.judge_api_add
    ok = {"status": 422, "body": '{"error": {}}', "list_status": 200, "list_body": ""}
    assert api(_case(api), adv.Run(exit=0, result=ok)).clean
    assert api(_case(api), adv.Run(exit=0, stderr=TB, result={**ok, "status": 500})).outcome == "HTTP 500"
    echoed = {**ok, "body": f"not a URL: http://u:{adv.SECRET}@["}
    assert api(_case(api, secret=adv.SECRET), adv.Run(exit=0, result=echoed)).outcome == "secret echoed"


def test_judging_a_search() -> None:
    found = adv.Run(exit=0, result={"found": True, "seconds": 0.2})
    assert adv.judge_search(_case(adv.judge_search), found).clean
    slow = adv.Run(exit=0, result={"found": True, "seconds": adv.SEARCH_BUDGET_S + 1})
    assert adv.judge_search(_case(adv.judge_search), slow).outcome == "over budget"
    missing = adv.Run(exit=0, result={"found": False, "seconds": 0.2})
    assert adv.judge_search(_case(adv.judge_search), missing).outcome == "not found"
