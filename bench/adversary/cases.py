"""The adversary benchmark's records and judges: the caps and constants, what one input is
(``Case``), what the runner saw of its child (``Run``), the judgement (``Verdict``) and the
outcome (``Result``); the judges that turn a ``Run`` into a ``Verdict`` run in the main process.
"""

from __future__ import annotations

import contextlib
import json
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Default caps per input (see the module docstring for why).
MEM_MB = 2048
TIMEOUT_S = 60.0
#: A search that answers cleanly but later than this fails all the same: it is a query a person
#: waits for (the site's target is 100 ms at p99), not an input to get through.
SEARCH_BUDGET_S = 10.0
#: Fuzzed variants per format (``--quick``: 2).
FUZZ_PER_FORMAT = 40

CLASSES = (
    "jsonl-values",
    "dates",
    "surrogates-and-names",
    "xml-entities",
    "big-article-search",
    "big-page-extraction",
    "bad-urls",
    "fuzz-bytes",
)

#: A password put into URLs: it must never come back in any output or listing.
SECRET = "hunter2-s3cret-pw"
#: The content of a local file that external entities point at: it must never be read.
CANARY = "CANARY-7f3a-local-file-content"
#: The word the big articles are searched for.
QUERY_WORD = "zeppelin"
TOKEN = "adversary-token"

D_MAX = "9999-12-31T23:59:59-23:59"
D_MIN = "0001-01-01T00:00:00+14:00"


# -- records ------------------------------------------------------------------------------------


@dataclass
class Case:
    """One hostile input and one operation on it, run in one capped child."""

    cls: str
    name: str
    call: str  # a key of JOBS
    kwargs: dict[str, Any]
    judge: Callable[[Case, Run], Verdict]
    dir: Path
    expect: dict[str, Any] = field(default_factory=dict)
    #: Run only when this case (same class) was clean.
    needs: str | None = None
    #: Returns a reason to skip, given the results so far (by case name).
    skip_when: Callable[[dict[str, Result]], str | None] | None = None
    #: (curve name, x) when the case is a point of a curve.
    curve: tuple[str, float] | None = None


@dataclass
class Run:
    """What the runner saw of one child."""

    exit: int | None = None
    signal: int | None = None
    timed_out: bool = False
    lost: str | None = None  # the runner itself failed (harness problem, not newsdesk's)
    cap: float = TIMEOUT_S  # the time cap it ran under
    wall: float = 0.0
    cpu: float = 0.0
    maxrss_kb: int = 0
    stdout: str = ""
    stderr: str = ""
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    clean: bool
    outcome: str  # "stored", "rejected", "refused", "time cap", "traceback", ...
    detail: str = ""


@dataclass
class Result:
    case: Case
    run: Run | None
    verdict: Verdict
    skipped: str | None = None

    @property
    def seconds(self) -> float | None:
        """The timed operation's seconds (the job's own clock), else the child's wall time."""
        return self._op("seconds", "wall")

    @property
    def cpu(self) -> float | None:
        """The timed operation's CPU seconds (the job's own clock), else the child's."""
        return self._op("cpu", "cpu")

    def _op(self, key: str, fallback: str) -> float | None:
        if self.run is None:
            return None
        op = self.run.result.get(key)
        if isinstance(op, int | float) and not self.run.timed_out:
            return float(op)
        return float(getattr(self.run, fallback))


#: How the reason for a skip starts when the case stands for "would hit the time cap".
NOT_RUN = "not run (time cap):"


def _capped(r: Result) -> bool:
    """Whether a case hit the time cap, or was not run because a case it follows did."""
    return (r.run is not None and r.run.timed_out) or (r.skipped or "").startswith(NOT_RUN)


# -- judges (in this process, over what the runner saw) --------------------------------------------


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


_TRACEBACK = "Traceback (most recent call last):"
#: Printed by the child after the traceback of an exception that left newsdesk's entry point (the
#: command died of it), as opposed to one newsdesk printed (logged) and went on.
UNCAUGHT = "[adversary] uncaught: the exception above ended the command"


def _exception_line(text: str) -> str:
    """The ``Type: message`` line of the last traceback in ``text``."""
    lines = text[text.rfind(_TRACEBACK) :].splitlines()[1:]
    for line in lines:
        if line and not line[0].isspace():
            return line.strip()[:300]
    return _last_line(text)


def _crash(run: Run, ok_exits: tuple[int, ...] = (0,), *, tracebacks: bool = True) -> Verdict | None:
    """The crash a child's end shows, or None when it ended cleanly (``tracebacks``: whether a
    traceback on stderr counts; the API's judge looks at the answer first)."""
    if run.lost:
        return Verdict(False, "harness error", run.lost)
    if run.timed_out:
        return Verdict(False, "time cap", f"killed after {run.wall:.0f} s")
    if run.signal:
        try:
            name = signal.Signals(run.signal).name
        except ValueError:
            name = f"signal {run.signal}"
        return Verdict(False, f"killed by {name}", _last_line(run.stderr))
    if "MemoryError" in run.stderr:
        return Verdict(False, "memory cap", _exception_line(run.stderr) or "MemoryError")
    if tracebacks and _TRACEBACK in run.stderr:
        if UNCAUGHT in run.stderr:
            return Verdict(False, "traceback", _exception_line(run.stderr))
        return Verdict(
            False, "traceback logged", _exception_line(run.stderr) + " (printed, the command went on)"
        )
    if run.exit not in ok_exits:
        return Verdict(False, f"exit {run.exit}", _last_line(run.stderr) or _last_line(run.stdout))
    return None


def _secret_leak(case: Case, run: Run) -> Verdict | None:
    secret = case.expect.get("secret")
    if not secret:
        return None
    places = [("output", run.stdout), ("errors", run.stderr), ("answers", json.dumps(run.result))]
    leaked = [where for where, text in places if secret in text]
    if leaked:
        return Verdict(False, "secret echoed", f"the URL's password appears in the {', '.join(leaked)}")
    return None


def _canary_leak(case: Case, run: Run) -> Verdict | None:
    if not case.expect.get("canary"):
        return None
    where = [w for w, text in (("output", run.stdout), ("errors", run.stderr)) if CANARY in text]
    db = Path(case.kwargs.get("db", ""))
    for p in (db, db.with_name(db.name + "-wal")):
        with contextlib.suppress(OSError):
            if p.name and CANARY.encode() in p.read_bytes():
                where.append(p.name)
    if where:
        return Verdict(
            False, "file read", f"an external entity's local file content reached {', '.join(where)}"
        )
    return None


def _fate(case: Case, run: Run) -> Verdict:
    """What became of the hostile item, after a clean end with every good record stored."""
    check = run.result.get("check") or {}
    report = run.result.get("report") or {}
    goods = len(case.expect.get("goods", ()))
    stored = (check.get("articles") or 0) - goods
    rejections = check.get("rejections") or []
    expected = case.expect.get("listed")
    if expected is not None:
        pending = int(report.get("summary_only_pending") or 0) + int(report.get("sources_found") or 0)
        if pending < expected:
            why = f"; {rejections[0][1]}: {rejections[0][2]}" if rejections else ""
            return Verdict(False, "misread", f"{pending} of {expected} listed URLs read{why}")
    if stored > 0:
        why = f"; also {rejections[0][1]}: {rejections[0][2]}" if rejections else ""
        return Verdict(True, "stored", f"{stored} article(s) stored{why}")
    if rejections:
        _origin, reason, detail = rejections[0]
        return Verdict(True, "broken" if reason == "broken-input" else "rejected", f"{reason}: {detail}")
    if report.get("summary_only_pending"):
        return Verdict(True, "pending", f"{report['summary_only_pending']} page(s) to fetch (summary only)")
    if report.get("sources_found"):
        return Verdict(True, "sources", f"{report['sources_found']} source(s) found")
    if case.expect.get("hostile_item"):
        return Verdict(False, "dropped", "the hostile record left no article and no recorded reason")
    if case.expect.get("only_goods"):
        return Verdict(True, "stored", f"the {goods} records stored")
    # An input that ends without any outcome is the "silent nothing" newsdesk promises never to give.
    return Verdict(False, "silent", "no item read, nothing reported")


def judge_ingest(case: Case, run: Run) -> Verdict:
    crash = _crash(run) or _secret_leak(case, run) or _canary_leak(case, run)
    if crash:
        return crash
    check = run.result.get("check") or {}
    if check.get("error"):
        return Verdict(False, "store unreadable", check["error"])
    missing = [u for u in case.expect.get("goods", ()) if not (check.get("stored") or {}).get(u)]
    if missing:
        return Verdict(False, "good missing", f"{len(missing)} good record(s) not stored: {missing[0]}")
    hit = case.expect.get("server_hit")
    if hit is not None and hit():
        return Verdict(False, "network", "an external entity made newsdesk fetch a URL")
    return _fate(case, run)


def judge_extract(case: Case, run: Run) -> Verdict:
    crash = _crash(run, (0, 1))
    if crash:
        return crash
    if run.exit == 1:
        return Verdict(True, "rejected", _last_line(run.stderr) or _last_line(run.stdout))
    return Verdict(True, "extracted", f"{len(run.stdout):,} characters of output")


def judge_search(case: Case, run: Run) -> Verdict:
    crash = _crash(run)
    if crash:
        return crash
    if not run.result.get("found"):
        return Verdict(
            False, "not found", f"the article is not among the results ({run.result.get('status')})"
        )
    seconds = float(run.result.get("seconds") or 0.0)
    if seconds > SEARCH_BUDGET_S:
        return Verdict(
            False, "over budget", f"{seconds:.1f} s, over the {SEARCH_BUDGET_S:g} s a search may take"
        )
    return Verdict(True, "found", f"{seconds:.2f} s")


def judge_add(case: Case, run: Run) -> Verdict:
    exits = run.result.get("exits") or []
    crash = _crash(run, tuple(range(0, 126)))  # any ordinary exit; a traceback or a cap is a crash
    if crash:
        return crash
    if len(exits) > 1 and exits[1] != 0:
        return Verdict(False, "listing failed", f"`newsdesk sources --json` exited {exits[1]}")
    leak = _secret_leak(case, run)
    if leak:
        return leak
    if exits and exits[0] == 0:
        return Verdict(True, "added", _last_line(run.stdout))
    message = " ".join(run.stderr.split())
    if not message:
        return Verdict(False, "silent failure", f"exit {exits[0] if exits else '?'} without a message")
    return Verdict(True, "refused", message[:300])


def judge_api_add(case: Case, run: Run) -> Verdict:
    crash = _crash(run, tracebacks=False)
    if crash:
        return crash
    res = run.result
    if res.get("exception"):
        return Verdict(False, "exception", res["exception"])
    status = int(res.get("status") or 0)
    if status >= 500 or status == 0:
        why = _exception_line(run.stderr) if _TRACEBACK in run.stderr else str(res.get("body", ""))[:200]
        return Verdict(False, f"HTTP {status}", why)
    if int(res.get("list_status") or 0) != 200:
        return Verdict(False, "listing failed", f"GET /api/v1/sources answered {res.get('list_status')}")
    leak = _secret_leak(case, run) or _crash(run)
    if leak:
        return leak
    return Verdict(
        True, "added" if status < 300 else "refused", f"HTTP {status} {str(res.get('body', ''))[:160]}"
    )


def judge_selftest(case: Case, run: Run) -> Verdict:
    return _crash(run) or Verdict(True, "ok")
