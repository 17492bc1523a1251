"""Running the cases: the jobs run in a forked child under the memory and time caps, the runner
process that forks them (``runner_main``, started as ``python -m bench.adversary --runner``), its
client ``Runner``, the loopback ``Server`` (``serve_main``, started as ``python -m
bench.adversary --serve ROOT``) and ``run_cases``, which runs and judges a class's cases.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._common import child_env
from bench.adversary.cases import NOT_RUN, TOKEN, UNCAUGHT, Case, Result, Run, Verdict, _capped
from bench.adversary.inputs import _good_record, _page, _paras, _rss, _rss_item

# -- the child side: jobs run in the forked child, under the caps -----------------------------------


def _job_cli(
    argvs: list[list[str]],
    env: dict[str, str] | None = None,
    db: str | None = None,
    check: list[str] | None = None,
    find: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """newsdesk's console entry point, in process, once per argv (the child's exit code is the
    first one's); then, for ingest, what the store holds; for a search, whether ``find`` is in it."""
    import newsdesk.cli

    os.environ.update(env or {})
    exits: list[int] = []
    seconds = cpu = 0.0
    for argv in argvs:
        sys.argv = ["newsdesk", *argv]
        t0, c0 = time.perf_counter(), time.process_time()
        exits.append(_call_main(newsdesk.cli.main))
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
    out: dict[str, Any] = {"exits": exits, "seconds": seconds, "cpu": cpu}
    if "ingest" in argvs[0]:
        out["report"] = _stdout_json()
    if check is not None and db is not None:
        out["check"] = _inspect(db, check)
    if find is not None:
        out["found"] = find in _stdout_text()
        out["status"] = f"exit {exits[0]}"
    return exits[0], out


def _call_main(main: Callable[[], None]) -> int:
    """What the interpreter would make of an uncaught exception: its traceback, exit 1."""
    try:
        main()
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 - the child reports every crash, whatever it is
        traceback.print_exc()
        print(UNCAUGHT, file=sys.stderr)
        return 1
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
    return 0


def _stdout_text() -> str:
    with contextlib.suppress(OSError):
        return Path("/proc/self/fd/1").read_text("utf-8", errors="replace")
    return ""


def _stdout_json() -> dict[str, Any] | None:
    text = _stdout_text()
    start = text.find("{")
    if start < 0:
        return None
    try:
        value = json.loads(text[start:])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _inspect(db: str, urls: list[str]) -> dict[str, Any]:
    """Which of ``urls`` are stored, how many articles, and the recorded rejections."""
    out: dict[str, Any] = {"stored": {}, "articles": None, "rejections": [], "error": None}
    try:
        from newsdesk import open_desk

        with open_desk(db) as desk:
            for u in urls:
                try:
                    desk.get_article(u)
                    out["stored"][u] = True
                except Exception:  # noqa: BLE001 - not found, whatever the error class becomes
                    out["stored"][u] = False
            out["articles"] = desk.stats().articles
            out["rejections"] = [
                [str(r.origin)[-200:], str(getattr(r.reason, "value", r.reason)), str(r.detail)[:300]]
                for r in desk.rejections()[:20]
            ]
    except Exception as e:  # noqa: BLE001 - reported as the check's error
        out["error"] = f"{type(e).__name__}: {str(e)[:300]}"
    return out


def _client(db: str) -> Any:
    from fastapi.testclient import TestClient

    from newsdesk.config import load_config
    from newsdesk.web import create_app

    config = load_config({"db": db, "web_token": TOKEN, "data_dir": str(Path(db).parent)})
    return TestClient(create_app(config), raise_server_exceptions=False)


def _job_web_search(db: str, word: str, find: str) -> tuple[int, dict[str, Any]]:
    """GET /search?q=WORD through the in-process ASGI app: its seconds, and whether the page shows
    ``find`` (the article's title)."""
    from html import unescape

    with _client(db) as c:
        t0, c0 = time.perf_counter(), time.process_time()  # the app's thread counts too
        r = c.get("/search", params={"q": word})
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    found = r.status_code == 200 and find in unescape(r.text)
    return 0, {"seconds": seconds, "cpu": cpu, "status": f"HTTP {r.status_code}", "found": found}


def _job_web_add(db: str, url: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    """POST /api/v1/sources with the URL, then list the sources: statuses and bodies."""
    os.environ.update(env or {})
    out: dict[str, Any] = {}
    try:
        with _client(db) as c:
            # The body as ASCII JSON (a lone surrogate as its \\u escape), as any client may send it.
            body = json.dumps({"url": url}).encode()
            headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
            r = c.post("/api/v1/sources", headers=headers, content=body)
            out["status"], out["body"] = r.status_code, r.text[:2000]
            listing = c.get("/api/v1/sources")
            out["list_status"], out["list_body"] = listing.status_code, listing.text[:5000]
            for item in (listing.json().get("items") or [])[:5] if listing.status_code == 200 else []:
                one = c.get(f"/api/v1/sources/{item.get('id')}")
                out["list_body"] += one.text[:2000]
    except Exception as e:  # noqa: BLE001 - the app let an exception out: a crash, reported
        traceback.print_exc()
        out["exception"] = f"{type(e).__name__}: {str(e)[:300]}"
    return 0, out


def _job_selftest(kind: str) -> tuple[int, dict[str, Any]]:
    """Known outcomes, for testing the harness itself."""
    if kind == "raise":
        raise RuntimeError("a known crash")
    if kind == "hog":
        hog = [bytearray(64 << 20) for _ in range(1 << 10)]
        return 0, {"n": len(hog)}
    if kind == "sleep":
        time.sleep(3600)
    if kind == "exit":
        return 3, {}
    if kind == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "kill-runner":
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(3600)
    return 0, {"ok": True}


JOBS: dict[str, Callable[..., tuple[int, dict[str, Any]]]] = {
    "cli": _job_cli,
    "web_search": _job_web_search,
    "web_add": _job_web_add,
    "selftest": _job_selftest,
}


def _child(job: dict[str, Any]) -> None:
    """In the forked child: caps, files for stdout and stderr, the job, its result. Never returns."""
    code = 1
    try:
        mem = int(job["mem"])
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, key in ((1, "out"), (2, "err")):
            f = os.open(job[key], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(f, fd)
            os.close(f)
        os.chdir(job["cwd"])
        os.environ["NEWSDESK_DATA_DIR"] = job["cwd"]
        code, result = JOBS[job["call"]](**job["kwargs"])
        Path(job["result"]).write_text(json.dumps(result), "utf-8")
    except BaseException:  # noqa: BLE001 - whatever happens, the child ends here, with a traceback
        with contextlib.suppress(BaseException):
            traceback.print_exc()
            print(UNCAUGHT, file=sys.stderr)
        code = 1
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int, Any, bool]:
    """Wait for the child, killing it at the deadline: (status, rusage, timed out)."""
    deadline = time.monotonic() + timeout
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = -1
    timed_out = False
    while True:
        got, status, ru = os.wait4(pid, os.WNOHANG)
        if got == pid:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            _, status, ru = os.wait4(pid, 0)
            timed_out = True
            break
        if fd >= 0:
            sel = selectors.DefaultSelector()
            sel.register(fd, selectors.EVENT_READ)
            sel.select(min(left, 1.0))
            sel.close()
        else:
            time.sleep(min(left, 0.02))
    if fd >= 0:
        os.close(fd)
    return status, ru, timed_out


def _warm_up(tmp: Path) -> None:
    """Load what newsdesk loads lazily (extraction, language model), so each child has it already."""
    import newsdesk.cli
    from newsdesk import open_desk

    rng = random.Random(0)
    path = tmp / "warm.jsonl"
    path.write_text("\n".join(json.dumps(_good_record(rng, "warm", i)) for i in (1, 2)) + "\n", "utf-8")
    page = tmp / "warm.html"
    page.write_text(_page("https://warm.example/p", "Warm page", _paras(rng, "warm")), "utf-8")
    with open_desk(tmp / "warm.sqlite", data_dir=str(tmp), progress=False) as desk:
        desk.ingest([path, page])
        desk.search("council")
    assert newsdesk.cli.main


def runner_main() -> None:
    """The runner: imports newsdesk, then reads jobs (JSON lines) and forks a capped child for each."""
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything newsdesk prints at import goes to our stderr, not the protocol
    with tempfile.TemporaryDirectory(prefix="adversary-warm-") as tmp:
        _warm_up(Path(tmp))
    proto.write("ready\n")
    for line in sys.stdin:
        job = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            proto.close()
            _child(job)
        status, ru, timed_out = _wait(pid, float(job["timeout"]))
        wall = time.perf_counter() - t0
        reply = {
            "exit": os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "timed_out": timed_out,
            "wall": wall,
            "cpu": ru.ru_utime + ru.ru_stime,
            "maxrss_kb": ru.ru_maxrss,
        }
        proto.write(json.dumps(reply) + "\n")


# -- this side: the runner client, the loopback server, the campaign ---------------------------------


class Runner:
    """Talks to the runner process; starts it again when it stops answering."""

    def __init__(self, mem_mb: int, timeout: float, log: Path) -> None:
        self.mem = mem_mb << 20
        self.timeout = timeout
        self.log = log
        self.proc: subprocess.Popen[str] | None = None
        self.n = 0

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
        env.update(
            {
                "MALLOC_ARENA_MAX": "2",
                "OPENBLAS_NUM_THREADS": "1",
                "OMP_NUM_THREADS": "1",
                "PYTHONHASHSEED": "0",
            }
        )
        env["NEWSDESK_PROGRESS"] = "0"
        with self.log.open("a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bench.adversary", "--runner"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env=child_env(env),
                start_new_session=True,
                cwd=str(self.log.parent),
            )
        line = self._readline(180)
        if line != "ready":
            self.stop()
            raise RuntimeError(f"the runner did not start (see {self.log}): {line!r}")

    def _readline(self, timeout: float) -> str | None:
        assert self.proc is not None and self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            if not sel.select(timeout):
                return None
            return self.proc.stdout.readline().strip() or None
        finally:
            sel.close()

    def stop(self) -> None:
        """Close the runner's input (it ends when it reads no more jobs), then kill its process
        group (the runner and any child of it: started by us, in a session of their own)."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        with contextlib.suppress(OSError):
            proc.stdin.close()  # type: ignore[union-attr]
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        with contextlib.suppress(OSError):
            proc.stdout.close()  # type: ignore[union-attr]

    def run(self, call: str, kwargs: dict[str, Any], cwd: Path, timeout: float | None = None) -> Run:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        self.n += 1
        stem = cwd / f".run{self.n}"
        job = {
            "call": call,
            "kwargs": kwargs,
            "cwd": str(cwd),
            "timeout": timeout or self.timeout,
            "mem": self.mem,
            "out": f"{stem}.out",
            "err": f"{stem}.err",
            "result": f"{stem}.json",
        }
        lost = "the runner stopped answering"
        try:
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
            line = self._readline(job["timeout"] + 60)
        except OSError as e:
            line, lost = None, f"the runner's pipe broke: {e}"
        run = Run(cap=job["timeout"])
        if line is None:
            self.stop()
            run.lost = lost
            return run
        reply = json.loads(line)
        run.exit, run.signal, run.timed_out = reply["exit"], reply["signal"], reply["timed_out"]
        run.wall, run.cpu, run.maxrss_kb = reply["wall"], reply["cpu"], reply["maxrss_kb"]
        run.stdout = _read_capped(Path(job["out"]))
        run.stderr = _read_capped(Path(job["err"]))
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(Path(job["result"]).read_text("utf-8"))
            run.result = loaded if isinstance(loaded, dict) else {}
        return run


def _read_capped(path: Path, limit: int = 200_000) -> str:
    """A captured stream, its head and tail kept when it is long (a 10 MB page's text)."""
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
            if len(data) > limit:
                f.seek(-limit // 2, os.SEEK_END)
                data = data[: limit // 2] + b"\n...\n" + f.read()
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")


class Server:
    """A loopback HTTP server in its own process: a feed to add, and a log of every path asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.log = root / "requests.log"
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        rss = _rss(
            [
                _rss_item(
                    "http://feed.adversary.test/news/1", "Served item", _paras(random.Random(3), "served")
                )
            ]
        )
        (self.root / "feed.xml").write_text(rss, "utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.adversary", "--serve", str(self.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=child_env(),
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = sel.select(30)
        sel.close()
        line = self.proc.stdout.readline().strip() if ready else ""
        if not line.isdigit():
            self.stop()
            raise RuntimeError("the loopback server did not start")
        self.port = int(line)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        with contextlib.suppress(OSError):
            return sum(1 for line in self.log.read_text("utf-8").splitlines() if line.startswith(path))
        return 0

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()  # our own child, by its handle
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
            with contextlib.suppress(OSError):
                self.proc.stdout.close()  # type: ignore[union-attr]
            self.proc = None


def serve_main(root: str) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    log = Path(root) / "requests.log"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with log.open("a") as f:
                f.write(self.path + "\n")
            target = Path(root) / "feed.xml"
            if self.path.split("?")[0] == "/feed.xml":
                body, status, kind = target.read_bytes(), 200, "application/rss+xml"
            else:
                body, status, kind = b"not here", 404, "text/plain"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever()


def _capped_before(case: Case, results: list[Result]) -> str | None:
    """A point of a curve is not run when a smaller point of the same curve hit the time cap: the
    curves grow with size, so it would hit the cap too (a minute spent to learn nothing)."""
    assert case.curve is not None
    name, x = case.curve
    for r in results:
        same = r.case.cls == case.cls and r.case.curve is not None and r.case.curve[0] == name
        if same and r.case.curve is not None and r.case.curve[1] < x and _capped(r):
            return f"{NOT_RUN} the smaller {r.case.name!r} already hit the time cap"
    return None


def run_cases(cases: list[Case], runner: Runner, *, echo: Callable[[str], None] = print) -> list[Result]:
    """Each case in its capped child, judged; a case whose prerequisite failed is skipped."""
    done: dict[str, Result] = {}
    results: list[Result] = []
    for case in cases:
        key = f"{case.cls}/{case.name}"
        skip = None
        if case.needs is not None:
            need = done.get(f"{case.cls}/{case.needs}")
            if need is None or not need.verdict.clean:
                skip = f"needs {case.needs!r}, which did not end cleanly"
        if skip is None and case.curve is not None:
            skip = _capped_before(case, results)
        if skip is None and case.skip_when is not None:
            skip = case.skip_when(
                {k.split("/", 1)[1]: v for k, v in done.items() if k.startswith(case.cls + "/")}
            )
        if skip is not None:
            res = Result(case, None, Verdict(True, "skipped", skip), skipped=skip)
        else:
            run = runner.run(case.call, case.kwargs, case.dir)
            try:
                verdict = case.judge(case, run)
            except Exception as e:  # noqa: BLE001 - a judge's own bug must not stop the campaign
                verdict = Verdict(False, "harness error", f"judging failed: {type(e).__name__}: {e}")
            res = Result(case, run, verdict)
            if not verdict.clean:
                echo(f"  CRASH {case.cls} | {case.name[:70]} | {verdict.outcome}: {verdict.detail[:160]}")
        done[key] = res
        results.append(res)
    return results
