"""Adversary benchmark: hostile inputs made here, each run against newsdesk in a child process under
a memory cap and a time cap, and what came of each, per class.

    .venv/bin/python -m bench.adversary [--quick] [--json FILE] [--classes a,b] [--markdown FILE]
        [--mem-mb 2048] [--timeout 60] [--fuzz 40] [--seed 1] [--keep DIR] [-v]

**Caps.** Every input runs in its own child process with its address space capped at 2 GiB
(``RLIMIT_AS``) and its wall time capped at 60 s (the child is killed at the deadline). Both are what
a laptop user would still call bounded for one bad file: 2 GiB is a quarter to an eighth of a
laptop's memory and more than ten times what a normal ingest takes (130-170 MB); a minute is long
for one input but short enough that a whole campaign fits in about ten minutes (``--quick``: one to
two). A search, though, is a query a person waits for: one that answers but takes more than 10 s
fails too (``SEARCH_BUDGET_S``). ``RLIMIT_AS`` counts address space, not resident memory, so the
child runs with ``MALLOC_ARENA_MAX=2`` and ``OPENBLAS_NUM_THREADS=1`` (otherwise each thread would
reserve 64 MB of malloc arena and the cap would measure reservations rather than use). Core dumps
are off.

**How it runs.** A runner process imports newsdesk once and warms it up (extraction's lazy models),
then forks one child per input; the child sets its caps, sends its stdout and stderr to files and
calls newsdesk's real CLI entry point (``newsdesk.cli.main``) in process, or the web app through
its in-process ASGI client. A CLI start-up would cost 1.3 s an input; a fork costs milliseconds, so
the whole campaign fits in the time budget. The runner measures each child's wall time, CPU time
and peak RSS (``os.wait4``: the child's own ``ru_maxrss``; it includes the ~130 MB of warmed-up
imports every child inherits, which a real ``newsdesk ingest`` has too). This process only
writes inputs, talks to the runner and judges: it never imports newsdesk, so nothing newsdesk does
can stop it; a runner that stops answering is killed and started again.

**Verdicts.** An input is *clean* when newsdesk handled it: ingest exits 0 without a traceback,
every good record beside the hostile one is stored, and the hostile one is stored, rejected with a
reason or reported broken with a reason; ``add`` succeeds, or exits non-zero with an error message
and no traceback (the API answers 2xx or 4xx); extraction exits 0 or 1 (rejected, saying why); a
search finds the article within its budget. Anything else is a *crash*: a traceback on stderr (even
when the command went on), another exit code, a good record missing, a hostile record dropped
without a reason, a secret (a URL's password, a local file's content) echoed or stored, the memory
cap (MemoryError or a killed process) or the time cap.

Classes: jsonl-values, dates, surrogates-and-names, xml-entities, big-article-search,
big-page-extraction, bad-urls, fuzz-bytes (seeded). See ``CLASSES`` and each ``_gen_*`` function.
The two size classes report curves (seconds per size, and the growth exponent between sizes); a
size is not run once a smaller one hit the time cap (it is counted as skipped). No input reaches
the network: URLs are numeric, loopback (a server this script starts on 127.0.0.1), or
``*.adversary.test`` pointed at 127.0.0.1 and refused by the address guard.
Only the standard library here; the runner uses newsdesk (and FastAPI's test client for the web).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
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
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench._common import child_env, machine, machine_line, markdown_table

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

_VOCAB = (
    "council harbour bridge engineers ferry budget minister river storm market shares factory workers "
    "union strike league coach season match goals election voters survey museum festival hospital "
    "patients doctors school pupils teachers train station airport flights farmers harvest prices "
    "energy wind solar grid police court judge ruling company profits the a of and to in on for with"
).split()


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


# -- generated content ------------------------------------------------------------------------------


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(_VOCAB, k=n))


def _text(rng: random.Random, n_words: int, tag: str) -> str:
    sentences = [f"{tag.capitalize()} report {i}: {_words(rng, 14)}." for i in range(max(1, n_words // 16))]
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def _good_record(rng: random.Random, tag: str, i: int) -> dict[str, Any]:
    return {
        "url": f"https://good.example/{tag}/{i}",
        "title": f"Good {tag} story {i} about the {rng.choice(_VOCAB)} and the {rng.choice(_VOCAB)}",
        "text": _text(rng, 160, f"good {tag} {i}"),
        "published": f"2026-03-0{i}T10:00:00Z",
        "source": "Good Wire",
        "section": "world",
    }


def _good_jsonl(path: Path, rng: random.Random, tag: str, i: int) -> str:
    rec = _good_record(rng, tag, i)
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    return str(rec["url"])


def _page(
    url: str | None, title: str, paras: list[str], *, head: str = "", body_pre: str = "", doctype: str = ""
) -> str:
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f'{doctype or "<!doctype html>"}<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'{canonical}<meta property="og:type" content="article">{head}</head>'
        f"<body><nav><a href='/'>Home</a></nav>{body_pre}<article><h1>{title}</h1>{body}</article>"
        "<footer>Adversary News</footer></body></html>"
    )


def _paras(rng: random.Random, tag: str, n: int = 5) -> list[str]:
    return [f"{tag.capitalize()} paragraph {p}: {_words(rng, 35)}." for p in range(n)]


def _good_page(path: Path, rng: random.Random, tag: str, i: int) -> str:
    url = f"https://good.example/{tag}/page-{i}"
    meta = '<meta property="article:published_time" content="2026-03-01T10:00:00+00:00">'
    path.write_text(_page(url, f"Good {tag} page {i}", _paras(rng, f"good {tag} {i}"), head=meta), "utf-8")
    return url


def _rss_item(url: str, title: str, paras: list[str], extra: str = "") -> str:
    content = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>{extra}"
        f"<description>{paras[0][:80]}</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
    )


def _rss(items: list[str], *, preamble: str = "", close: bool = True) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{preamble}\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Adversary Feed</title><link>https://feed.example/</link>"
        + "".join(items)
        + ("</channel></rss>" if close else "</channel>\n<item><title>unclosed")
    )


def _atom_entry(url: str, title: str, paras: list[str], updated: str = "2026-03-01T10:00:00Z") -> str:
    content = "".join(f"<p>{p}</p>" for p in paras).replace("<", "&lt;").replace(">", "&gt;")
    return (
        f'<entry><title>{title}</title><link href="{url}"/><id>{url}</id><updated>{updated}</updated>'
        f'<content type="html">{content}</content></entry>'
    )


def _atom(entries: list[str], *, preamble: str = "", close: bool = True) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{preamble}\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Adversary Atom</title><id>https://feed.example/atom</id><updated>2026-03-01T10:00:00Z</updated>"
        + "".join(entries)
        + ("</feed>" if close else "\n<entry><title>unclosed")
    )


def _opml(outlines: str, *, preamble: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{preamble}\n<opml version="2.0"><head><title>Feeds</title>'
        f"</head><body>{outlines}</body></opml>"
    )


def _sitemap(
    urls: list[str], *, preamble: str = "", extra: str = "", pub: str = "2026-03-01T10:00:00Z"
) -> str:
    entries = "".join(
        f"<url><loc>{u}</loc><lastmod>2026-03-01</lastmod><news:news><news:publication>"
        f"<news:name>Adversary</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{pub}</news:publication_date><news:title>Title {n}</news:title>"
        f"</news:news>{extra}</url>"
        for n, u in enumerate(urls)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{preamble}\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>'
    )


def _warc_record(uri: str, body: bytes, content_type: str, date: str = "2026-03-01T10:00:00Z") -> bytes:
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: "
        + content_type.encode()
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri + date)}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


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


# -- the classes ----------------------------------------------------------------------------------


class _Maker:
    """Makes the cases of one class: each case its own folder under ``root/<class>/``, its inputs
    in ``in/`` (the child runs in the case folder, where the store and the captured output go)."""

    def __init__(self, root: Path, cls: str, seed: int) -> None:
        self.cls = cls
        self.base = root / cls
        self.base.mkdir(parents=True, exist_ok=True)
        self.rng = random.Random(f"{seed}-{cls}")
        self.cases: list[Case] = []
        self.n = 0

    def dir(self, name: str) -> Path:
        """A new case folder (and its ``in/``): the case's inputs go in ``.../in``."""
        self.n += 1
        slug = "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "_" for c in name)[:40]
        d = self.base / f"{self.n:03d}-{slug}"
        (d / "in").mkdir(parents=True, exist_ok=True)
        return d

    def add(self, case: Case) -> Case:
        self.cases.append(case)
        return case

    def ingest(self, name: str, d: Path, paths: list[Path], goods: list[str], **expect: Any) -> Case:
        """`newsdesk ingest --json PATHS` into a fresh store in ``d``; the good URLs must be stored."""
        db = str(d / "desk.sqlite")
        argv = ["--db", db, "ingest", "--json", "--no-progress", *map(str, paths)]
        kwargs = {"db": db, "argvs": [argv], "check": goods}
        return self.add(Case(self.cls, name, "cli", kwargs, judge_ingest, d, {"goods": goods, **expect}))

    def records(self, name: str, tag: str, hostile_line: str, **expect: Any) -> Case:
        """A JSONL file: a good record, the hostile line, another good record."""
        d = self.dir(name)
        good1, good2 = _good_record(self.rng, tag, 1), _good_record(self.rng, tag, 2)
        path = d / "in" / "records.jsonl"
        path.write_text("\n".join([json.dumps(good1), hostile_line, json.dumps(good2)]) + "\n", "utf-8")
        return self.ingest(name, d, [path], [good1["url"], good2["url"]], **expect)

    def folder(self, name: str, hostile_name: str | bytes, content: bytes, **expect: Any) -> Case:
        """A folder: a good JSONL record, the hostile file, another good record (in that order)."""
        d = self.dir(name)
        inputs = d / "in"
        goods = [
            _good_jsonl(inputs / "a-good.jsonl", self.rng, self.cls, 1),
            _good_jsonl(inputs / "z-good.jsonl", self.rng, self.cls, 2),
        ]
        # A name given as bytes may be invalid UTF-8: os.fsdecode keeps its bytes (surrogateescape).
        name_str = os.fsdecode(hostile_name) if isinstance(hostile_name, bytes) else hostile_name
        (inputs / name_str).write_bytes(content)
        return self.ingest(name, d, [inputs], goods, **expect)


#: Each hostile JSON value, as the raw JSON text it is written as.
DEEP = 100_000
HOSTILE_VALUES: dict[str, str] = {
    "int-5000-digits": "9" * 5000,
    "1e300": "1e300",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "1e15": "1e15",
    "-1e13": "-1e13",
    "5": "5",
    "true": "true",
    "array-100000-deep": "[" * DEEP + "]" * DEEP,
    "object-100000-deep": '{"a":' * DEEP + "1" + "}" * DEEP,
    "lone-surrogate": json.dumps("head \ud800 tail"),
    "date-9999-12-31-23:59": json.dumps(D_MAX),
    "date-0001-01-01+14:00": json.dumps(D_MIN),
    "object": '{"x": 1}',
    "mixed-list": '["a", 5, {"x": [1]}, null]',
}
FIELDS = (
    "url",
    "title",
    "html",
    "text",
    "published",
    "updated",
    "categories",
    "section",
    "author",
    "language",
    "id",
    "source",
)


def _gen_jsonl_values(root: Path, quick: bool, seed: int) -> list[Case]:
    """Each hostile value in each field of a record that lies between two good records."""
    m = _Maker(root, "jsonl-values", seed)
    fields, values = FIELDS, HOSTILE_VALUES
    if quick:
        fields = ("url", "title", "published", "categories")
        keep = (
            "int-5000-digits",
            "1e300",
            "NaN",
            "array-100000-deep",
            "lone-surrogate",
            "date-9999-12-31-23:59",
        )
        values = {k: HOSTILE_VALUES[k] for k in keep}
    for fname in fields:
        for n, (vname, raw) in enumerate(values.items()):
            hostile = _good_record(m.rng, "hostile", 3)
            hostile["url"] = f"https://hostile.example/{fname}/{n}"
            hostile[fname] = "__HOSTILE__"
            line = json.dumps(hostile).replace('"__HOSTILE__"', raw)
            m.records(f"{fname}={vname}", "jsonl", line, hostile_item=True)
    return m.cases


#: The extreme dates as RFC 822 (RSS) dates.
RFC_DATES = {D_MAX: "Fri, 31 Dec 9999 23:59:59 -2359", D_MIN: "Mon, 01 Jan 0001 00:00:00 +1400"}


def _gen_dates(root: Path, quick: bool, seed: int) -> list[Case]:
    """The extreme dates in every place a date comes from: JSONL, a page's meta tags, JSON-LD and
    <time>, RSS pubDate, Atom updated, a news sitemap and a WARC record's date."""
    m = _Maker(root, "dates", seed)
    for iso in (D_MAX, D_MIN):
        for key in ("published", "updated", "date", "modified"):
            if quick and key in ("date", "modified"):
                continue
            hostile = _good_record(m.rng, "dates", 3)
            hostile["url"] = f"https://hostile.example/dates/{key}-{iso[:4]}"
            hostile.pop("published")
            hostile[key] = iso
            m.records(f"JSONL {key}={iso}", "dates", json.dumps(hostile), hostile_item=True)
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Dated",
            "datePublished": iso,
            "dateModified": iso,
        }
        pages = {
            "meta article:published_time": (f'<meta property="article:published_time" content="{iso}">', ""),
            "meta article:modified_time": (f'<meta property="article:modified_time" content="{iso}">', ""),
            "JSON-LD datePublished": (f'<script type="application/ld+json">{json.dumps(ld)}</script>', ""),
            "<time datetime>": ("", f'<time datetime="{iso}" pubdate>{iso}</time>'),
        }
        for where, (head, pre) in pages.items():
            if quick and where != "meta article:published_time":
                continue
            d = m.dir(f"page {where}")
            goods = [
                _good_page(d / "in" / f"{c}-good.html", m.rng, "dates", i) for i, c in ((1, "a"), (2, "z"))
            ]
            url = f"https://hostile.example/dates/page-{m.n}"
            html = _page(url, f"Dated page {m.n}", _paras(m.rng, "dated"), head=head, body_pre=pre)
            (d / "in" / "m-hostile.html").write_text(html, "utf-8")
            m.ingest(f"page {where}={iso}", d, [d / "in"], goods, hostile_item=True)
        for kind in ("RSS pubDate", "Atom updated"):
            d = m.dir(kind)
            urls = [f"https://good.example/dates/feed-{m.n}-{i}" for i in (1, 2)]
            bad_url = f"https://hostile.example/dates/feed-{m.n}"
            if kind.startswith("RSS"):
                items = [
                    _rss_item(u, f"Good feed item {i}", _paras(m.rng, f"feed {i}"))
                    for i, u in enumerate(urls)
                ]
                bad = _rss_item(
                    bad_url, "Dated item", _paras(m.rng, "dated"), f"<pubDate>{RFC_DATES[iso]}</pubDate>"
                )
                path, doc, shown = d / "in" / "feed.rss", _rss([items[0], bad, items[1]]), RFC_DATES[iso]
            else:
                entries = [
                    _atom_entry(u, f"Good entry {i}", _paras(m.rng, f"atom {i}")) for i, u in enumerate(urls)
                ]
                bad = _atom_entry(bad_url, "Dated entry", _paras(m.rng, "dated"), updated=iso)
                path, doc, shown = d / "in" / "feed.atom", _atom([entries[0], bad, entries[1]]), iso
            path.write_text(doc, "utf-8")
            m.ingest(f"{kind}={shown}", d, [path], urls, hostile_item=True)
        if not quick:
            sm = _sitemap([f"https://hostile.example/sm/{iso[:4]}"], pub=iso).encode()
            m.folder(f"sitemap news:publication_date={iso}", "m-sitemap.xml", sm)
            url = f"https://hostile.example/dates/warc-{iso[:4]}"
            page = _page(url, "Archived page", _paras(m.rng, "warc")).encode()
            m.folder(
                f"WARC-Date={iso}",
                "m-archive.warc",
                _warc_record(url, page, "text/html", iso),
                hostile_item=True,
            )
    return m.cases


def _gen_surrogates(root: Path, quick: bool, seed: int) -> list[Case]:
    """Lone surrogates in JSON and in XML/HTML character references; names that are not UTF-8."""
    m = _Maker(root, "surrogates-and-names", seed)
    for fname in ("title", "text", "url", "author", "source", "html"):
        if quick and fname not in ("title", "html"):
            continue
        hostile = _good_record(m.rng, "sur", 3)
        hostile["url"] = f"https://hostile.example/sur/{fname}"
        hostile[fname] = (
            "<p>\udfff</p>" * 80 if fname == "html" else f"before \ud800 after {hostile.get(fname, 'x')}"
        )
        m.records(f"JSONL \\ud800 in {fname}", "sur", json.dumps(hostile), hostile_item=True)
    hostile = _good_record(m.rng, "sur", 4)
    hostile["url"] = "https://hostile.example/sur/key"
    m.records(
        "JSONL surrogates in a key and a value",
        "sur",
        json.dumps(hostile)[:-1] + ', "\\udc80k": "\\udbff"}',
        hostile_item=True,
    )
    for form, close in (("malformed", False), ("well-formed", True)):
        for spot in ("title", "description"):
            if quick and spot == "description":
                continue
            d = m.dir(f"rss {form} {spot}")
            urls = [f"https://good.example/sur/{m.n}-{i}" for i in (1, 2)]
            items = [_rss_item(u, f"Good item {i}", _paras(m.rng, f"item {i}")) for i, u in enumerate(urls)]
            paras = _paras(m.rng, "surrogate")
            if spot == "title":
                bad = _rss_item(f"https://hostile.example/sur/rss-{m.n}", "Ref &#xD800; here", paras)
            else:
                bad = _rss_item(
                    f"https://hostile.example/sur/rss-{m.n}", "Ref item", [*paras, "&#xD800;&#55296;"]
                )
                bad = bad.replace("<description>", "<description>&#xD800; ")
            (d / "in" / "feed.rss").write_text(_rss([items[0], bad, items[1]], close=close), "utf-8")
            m.ingest(f"RSS ({form}) &#xD800; in {spot}", d, [d / "in" / "feed.rss"], urls, hostile_item=True)
    d = m.dir("atom malformed")
    urls = [f"https://good.example/sur/atom-{i}" for i in (1, 2)]
    entries = [_atom_entry(u, f"Good entry {i}", _paras(m.rng, f"entry {i}")) for i, u in enumerate(urls)]
    bad = _atom_entry("https://hostile.example/sur/atom", "Ref &#xD800; entry", _paras(m.rng, "sur"))
    (d / "in" / "feed.atom").write_text(_atom([entries[0], bad, entries[1]], close=False), "utf-8")
    m.ingest("Atom (malformed) &#xD800; in title", d, [d / "in" / "feed.atom"], urls, hostile_item=True)
    d = m.dir("page charref")
    goods = [_good_page(d / "in" / f"{c}-good.html", m.rng, "sur", i) for i, c in ((1, "a"), (2, "z"))]
    page = _page(
        "https://hostile.example/sur/page", "Page &#xD800; title", [*_paras(m.rng, "sur"), "&#xD800;&#xDFFF;"]
    )
    (d / "in" / "m-hostile.html").write_text(page, "utf-8")
    m.ingest("HTML page &#xD800; in title and text", d, [d / "in"], goods, hostile_item=True)
    names: dict[str, bytes] = {
        "invalid UTF-8 (.jsonl)": b"m-\xff\xfe-bad.jsonl",
        "invalid UTF-8 (.html)": b"m-\xc3\x28.html",
        "terminal escape and newline": b"m-\x1b[31mred\nline.jsonl",
        "an encoded surrogate (CESU-8)": b"m-\xed\xa0\x80.jsonl",
    }
    for label, raw in names.items():
        if quick and label not in ("invalid UTF-8 (.jsonl)", "terminal escape and newline"):
            continue
        rec = _good_record(m.rng, "named", 3)
        rec["url"] = f"https://hostile.example/sur/name-{m.n}"
        if raw.endswith(b".html"):
            content = _page(rec["url"], rec["title"], _paras(m.rng, "named")).encode()
        else:
            content = (json.dumps(rec) + "\n").encode()
        m.folder(f"file name: {label}", raw, content, hostile_item=True)
    if not quick:
        d = m.dir("folder name")
        goods = [
            _good_jsonl(d / "in" / f"{c}-good.jsonl", m.rng, "named", i) for i, c in ((1, "a"), (2, "z"))
        ]
        sub = d / "in" / os.fsdecode(b"m-\xff-folder")
        sub.mkdir()
        rec = _good_record(m.rng, "named", 4)
        rec["url"] = "https://hostile.example/sur/in-bad-folder"
        (sub / "inner.jsonl").write_bytes((json.dumps(rec) + "\n").encode())
        m.ingest("folder name: invalid UTF-8", d, [d / "in"], goods, hostile_item=True)
    return m.cases


def _laughs(levels: int = 9) -> str:
    """The classic billion laughs: 10^9 "lol"s from nested entities (a DOCTYPE; ``{root}`` to fill)."""
    ents = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    ents += [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, levels + 1)]
    return "\n<!DOCTYPE {root} [\n" + "\n".join(ents) + "\n]>"


def _flat(kib: int) -> str:
    """One plain entity of ``kib`` KiB (a DOCTYPE; ``{root}`` to fill). feedparser's loose parser
    expands such "safe" entities (no nested references) however often they are referenced."""
    return '\n<!DOCTYPE {root} [\n<!ENTITY big "' + "ha" * (kib * 512) + '">\n]>'


def _gen_xml_entities(root: Path, quick: bool, seed: int, server: Server | None) -> list[Case]:
    """Entity expansion (nested and flat, well-formed and malformed) in feeds, OPML, sitemaps, a WARC
    record and a page; external entities (a local file, a URL); a long DOCTYPE before the root."""
    m = _Maker(root, "xml-entities", seed)
    secret_file = m.base / "local-secret.txt"
    secret_file.write_text(CANARY + "\n", "utf-8")
    paras = _paras(m.rng, "laughs")
    nested, flat = _laughs(), _flat(64)
    small, big = "&big;" * 10_000, "&big;" * 40_000  # 640 MiB and 2.5 GiB expanded

    def feed(pre: str, ref: str, close: bool) -> bytes:
        item = _rss_item("https://hostile.example/xml/1", f"Laughs {ref[:200]}", paras)
        item = item.replace("<description>", f"<description>{ref}")
        return _rss([item], preamble=pre.format(root="rss"), close=close).encode()

    variants: list[tuple[str, str, bytes]] = [
        ("RSS nested (well-formed)", "m-feed.rss", feed(nested, "&lol9;", True)),
        ("RSS nested (malformed)", "m-feed.rss", feed(nested, "&lol9;", False)),
        ("RSS flat 640 MiB (well-formed)", "m-feed.rss", feed(flat, small, True)),
        ("RSS flat 640 MiB (malformed)", "m-feed.rss", feed(flat, small, False)),
        ("RSS flat 2.5 GiB (malformed)", "m-feed.rss", feed(flat, big, False)),
    ]
    entry = _atom_entry("https://hostile.example/xml/atom", "Atom " + small, paras)
    atom = _atom([entry], preamble=flat.format(root="feed"), close=False).encode()
    variants.append(("Atom flat 640 MiB (malformed)", "m-feed.atom", atom))
    for label, pre, ref in (("nested", nested, "&lol9;"), ("flat 640 MiB", flat, small)):
        outline = f'<outline text="t{ref}" title="{ref}" xmlUrl="https://hostile.example/xml/feed.xml"/>'
        opml = _opml(outline, preamble=pre.format(root="opml")).encode()
        variants.append((f"OPML {label} (well-formed)", "m-list.opml", opml))
        variants.append((f"OPML {label} (malformed)", "m-list.opml", opml.replace(b"</body>", b"")))
        sm = _sitemap(["https://hostile.example/xml/sm"], preamble=pre.format(root="urlset"))
        sm = sm.replace("<news:title>", "<news:title>" + ref)
        variants.append((f"sitemap {label} (well-formed)", "m-sitemap.xml", sm.encode()))
        variants.append(
            (f"sitemap {label} (malformed)", "m-sitemap.xml", sm.replace("</urlset>", "").encode())
        )
    record = _warc_record(
        "https://hostile.example/xml/feed.rss", feed(flat, small, False), "application/rss+xml"
    )
    variants.append(("WARC record: RSS flat 640 MiB (malformed)", "m-archive.warc", record))
    page = _page(
        "https://hostile.example/xml/page",
        "Page &lol9;",
        [*paras, "&lol9;"],
        doctype=nested.format(root="html"),
    )
    variants.append(("HTML page with a nested-entity DOCTYPE", "m-page.html", page.encode()))
    if quick:
        keep = (
            "RSS nested (malformed)",
            "RSS flat 2.5 GiB (malformed)",
            "OPML flat 640 MiB (malformed)",
            "sitemap nested (well-formed)",
        )
        variants = [v for v in variants if v[0] in keep]
    for label, name, content in variants:
        m.folder(label, name, content)

    # External entities: a local file holding a canary, and a URL on the loopback server.
    file_uri = secret_file.resolve().as_uri()
    decls = [
        ("file", f'<!ENTITY xxe SYSTEM "{file_uri}">'),
        ("parameter entity", f'<!ENTITY % p SYSTEM "{file_uri}"> %p;'),
    ]
    if server is not None:
        decls.append(("http", '<!ENTITY xxe SYSTEM "{url}">'))
    for kind, decl in decls:
        forms = ("RSS (well-formed)", "RSS (malformed)", "OPML", "sitemap")
        for form in forms[1:2] if quick else forms:
            path = f"/xxe-{m.n + 1}"
            pre = (
                "\n<!DOCTYPE {root} [\n" + decl.replace("{url}", server.url(path) if server else "") + "\n]>"
            )
            if form.startswith("RSS"):
                name, content = "m-feed.rss", feed(pre, "&xxe;", form == "RSS (well-formed)")
            elif form == "OPML":
                outline = '<outline text="&xxe;" xmlUrl="https://hostile.example/xml/x.xml"/>'
                name, content = "m-list.opml", _opml(outline, preamble=pre.format(root="opml")).encode()
            else:
                sm = _sitemap(["https://hostile.example/xml/x"], preamble=pre.format(root="urlset"))
                name, content = "m-sitemap.xml", sm.replace("<news:title>", "<news:title>&xxe;").encode()
            hit = (lambda p=path: server.hits(p) > 0) if kind == "http" and server is not None else None
            m.folder(f"external entity ({kind}) in {form}", name, content, canary=True, server_hit=hit)

    # A long DOCTYPE (or comment) before the root: the sniffing window must not decide the format.
    long_subset = "\n<!DOCTYPE {root} [\n" + "".join(f"<!-- filler {i:05d} -->\n" for i in range(400)) + "]>"
    long_comment = "\n<!--" + "x" * 10_000 + "-->"
    urls = [f"https://hostile.example/xml/long-{i}" for i in range(3)]
    for label, pre in (("long DOCTYPE", long_subset), ("long comment", long_comment)):
        if quick and label == "long comment":
            continue
        sm = _sitemap(urls, preamble=pre.format(root="urlset")).encode()
        m.folder(f"{label} before a sitemap's <urlset>", "m-sitemap.xml", sm, listed=3)
    if not quick:
        outlines = "".join(
            f'<outline text="F{i}" xmlUrl="https://hostile.example/xml/f{i}.xml"/>' for i in range(3)
        )
        opml = _opml(outlines, preamble=long_subset.format(root="opml")).encode()
        m.folder("long DOCTYPE before an OPML list named .xml", "m-list.xml", opml, listed=3)
    return m.cases


def _big_text(rng: random.Random, n_bytes: int) -> str:
    """About ``n_bytes`` of generated sentences in which the query word is one word in ten (as often
    as "the" is in English): a search's snippet has that many hits to weigh."""
    population = [*_VOCAB, *[QUERY_WORD] * 6]
    out: list[str] = []
    size = 0
    while size < n_bytes:
        words = rng.choices(population, k=400)
        para = f"Part {len(out)}. " + " ".join(" ".join(words[j : j + 16]) + "." for j in range(0, 400, 16))
        out.append(para)
        size += len(para) + 2
    return "\n\n".join(out)


def _gen_big_article_search(root: Path, quick: bool, seed: int) -> list[Case]:
    """One article of 0.25-4 MB stored (beside two small ones), then searched for a word it holds,
    with `newsdesk search` and with the web site's /search."""
    m = _Maker(root, "big-article-search", seed)
    for mb in (0.25, 0.5, 1.0) if quick else (0.25, 0.5, 1.0, 2.0, 4.0):
        d = m.dir(f"{mb:g}MB")
        rec = _good_record(m.rng, "big", 3)
        rec["url"] = f"https://big.example/article-{mb:g}MB"
        rec["title"] = f"A very long article of {mb:g} MB"
        rec["text"] = _big_text(m.rng, int(mb * 1_000_000))
        goods = [_good_record(m.rng, "big", i) for i in (1, 2)]
        path = d / "in" / "records.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in (goods[0], rec, goods[1])) + "\n", "utf-8")
        store = m.ingest(
            f"store {mb:g} MB", d, [path], [goods[0]["url"], rec["url"], goods[1]["url"]], only_goods=True
        )
        # The curve measures search against the article's size: past max_article_chars (1,000,000
        # by default) an article is refused at the door (the case below), so the cap is lifted here.
        store.kwargs["env"] = {"NEWSDESK_MAX_ARTICLE_CHARS": str(10 * 1_000_000)}
        store.curve = ("ingest", mb)
        db = store.kwargs["db"]
        if mb >= 2:
            capped = m.dir(f"{mb:g}MB-capped")
            capped_path = capped / "in" / "records.jsonl"
            capped_path.write_text(path.read_text("utf-8"), "utf-8")
            m.ingest(
                f"store {mb:g} MB at the default cap (refused as too-large)",
                capped,
                [capped_path],
                [goods[0]["url"], goods[1]["url"]],
            )
        cli = m.add(
            Case(
                m.cls,
                f"CLI search {mb:g} MB",
                "cli",
                {
                    "db": db,
                    "argvs": [["--db", db, "search", QUERY_WORD, "--json", "-n", "5"]],
                    "find": rec["url"],
                },
                judge_search,
                d,
                needs=store.name,
                curve=("`newsdesk search`", mb),
            )
        )

        def too_slow(done: dict[str, Result], name: str = cli.name) -> str | None:
            r = done.get(name)
            if (
                r is not None
                and r.run is not None
                and (r.run.timed_out or (r.seconds or 0) > SEARCH_BUDGET_S)
            ):
                return f"not run (over budget): the same search took {r.seconds:.0f} s from the CLI"
            return None

        m.add(
            Case(
                m.cls,
                f"web /search {mb:g} MB",
                "web_search",
                {"db": db, "word": QUERY_WORD, "find": rec["title"]},
                judge_search,
                d,
                needs=store.name,
                skip_when=too_slow,
                curve=("web `/search`", mb),
            )
        )
    return m.cases


def _gen_big_pages(root: Path, quick: bool, seed: int) -> list[Case]:
    """Pages of 10k-200k paragraphs and of 100,000 nested <div>s, through `newsdesk extract` and
    through ingest (beside two good records)."""
    m = _Maker(root, "big-page-extraction", seed)
    pages: list[tuple[str, float | None, str]] = []
    for n in (10_000, 50_000) if quick else (10_000, 50_000, 100_000, 200_000):
        paras = [
            f"Paragraph {i} says the {_VOCAB[i % 40]} met the {_VOCAB[(i * 7) % 40]} today." for i in range(n)
        ]
        pages.append((f"{n:,} <p>", n / 1000, _page(f"https://big.example/p{n}", f"{n} paragraphs", paras)))
    depth = 20_000 if quick else 100_000
    inner = "<div>" * depth + "".join(f"<p>{p}</p>" for p in _paras(m.rng, "deep")) + "</div>" * depth
    pages.append(
        (
            f"{depth:,} nested <div>",
            None,
            _page("https://big.example/deep", "Deep page", _paras(m.rng, "top"), body_pre=inner),
        )
    )
    for label, k, html in pages:
        d = m.dir(label)
        page = d / "in" / "m-page.html"
        page.write_text(html, "utf-8")
        m.add(
            Case(
                m.cls,
                f"extract {label}",
                "cli",
                {"argvs": [["extract", str(page), "--format", "json"]]},
                judge_extract,
                d,
                curve=("`newsdesk extract`", k) if k else None,
            )
        )
        goods = [
            _good_jsonl(d / "in" / f"{c}-good.jsonl", m.rng, "bigpage", i) for i, c in ((1, "a"), (2, "z"))
        ]
        case = m.ingest(f"ingest {label}", d, [d / "in"], goods)
        case.curve = ("`newsdesk ingest` (the page and 2 records)", k) if k else None
        case.skip_when = partial(_skip_after_extract, f"extract {label}")
    return m.cases


#: How the reason for a skip starts when the case stands for "would hit the time cap".
NOT_RUN = "not run (time cap):"


def _skip_after_extract(extract_case: str, done: dict[str, Result]) -> str | None:
    """Ingest extracts the page: not worth running when extracting it alone hit the time cap."""
    r = done.get(extract_case)
    if r is not None and _capped(r):
        return f"{NOT_RUN} {extract_case!r} alone hit the time cap, or would have"
    return None


def _bad_urls(port: int | None) -> list[tuple[str, str, bool, str]]:
    """(label, URL, loopback allowed, front ends) for the bad-urls class. No URL leaves the
    machine: hosts are numeric, loopback, ``*.adversary.test`` (pointed at 127.0.0.1 with
    host_overrides, then refused by the address guard) or too long to be looked up."""
    host = "feed.adversary.test"
    urls: list[tuple[str, str, bool, str]] = [
        ("octal IPv4", "http://0177.0.0.1/", False, "cli api"),
        ("hex IPv4", "http://0x7f.0.0.1/", False, "cli api"),
        ("integer IPv4", "http://2130706433/", False, "cli api"),
        ("full-width digits", "http://１２７.０.０.１/", False, "cli api"),
        ("ideographic full stops", "http://127。0。0。1/", False, "cli api"),
        ("full-width letters", "http://ｆｅｅｄ.adversary.test/", False, "cli api"),
        ("IPv6 unclosed", "http://[::1", False, "cli api"),
        ("IPv6 loopback", "http://[::1]/", False, "cli api"),
        ("IPv4-mapped IPv6", "http://[::ffff:127.0.0.1]/", False, "cli api"),
        ("port 99999", f"http://{host}:99999/", False, "cli api"),
        ("port -1", f"http://{host}:-1/", False, "cli api"),
        ("empty host", "http:///feed.xml", False, "cli api"),
        ("CR LF in the path", f"http://{host}/a\r\nX-Injected: 1", False, "cli api"),
        ("escape sequence", f"http://{host}/\x1b[31mred", False, "cli api"),
        ("space in the host", "http://feed .adversary.test/", False, "cli api"),
        ("DEL in the host", "http://feed\x7f.adversary.test/", False, "cli api"),
        ("NUL in the host", "http://feed\x00.adversary.test/", False, "api"),
        ("lone surrogate in the host", "http://feed\ud800.adversary.test/", False, "api"),
        ("invalid UTF-8 argument", "http://feed\udcff.adversary.test/", False, "cli"),
        ("5,000-char label", "http://" + "a" * 5000 + ".invalid/", False, "cli api"),
        ("5,000-char name", "http://" + ("a" * 62 + ".") * 80 + "invalid/", False, "cli api"),
        ("bad punycode", "http://xn--a.adversary.test/", False, "cli api"),
        ("javascript:", "javascript:alert(1)", False, "cli api"),
        ("file:", "file:///etc/passwd", False, "cli api"),
        ("empty", "", False, "cli api"),
        ("password, refused host", f"http://reader:{SECRET}@0177.0.0.1/feed.xml", False, "cli api"),
        ("password, malformed", f"http://reader:{SECRET}@[::1/feed.xml", False, "cli api"),
        ("password, bad port", f"http://reader:{SECRET}@{host}:99999/", False, "cli api"),
    ]
    if port is not None:
        urls += [
            ("password, feed served", f"http://reader:{SECRET}@{host}:{port}/feed.xml", True, "cli api"),
            ("secret as user name, feed served", f"http://{SECRET}@{host}:{port}/feed.xml", True, "cli api"),
        ]
    return urls


BAD_URLS_QUICK = (
    "octal IPv4",
    "full-width digits",
    "IPv6 unclosed",
    "5,000-char label",
    "password, malformed",
    "password, feed served",
)


def _gen_bad_urls(root: Path, quick: bool, seed: int, server: Server | None) -> list[Case]:
    """Malformed URLs through `newsdesk add` (then `newsdesk sources --json`) and through
    POST /api/v1/sources (then the API's listing); a URL's password must not come back."""
    m = _Maker(root, "bad-urls", seed)
    env = {
        "NEWSDESK_HOST_OVERRIDES": "*.adversary.test=127.0.0.1",
        "NEWSDESK_MAX_RETRIES": "0",
        "NEWSDESK_CONNECT_TIMEOUT": "5",
        "NEWSDESK_TOTAL_TIMEOUT": "20",
        "NEWSDESK_PER_HOST_DELAY": "0",
    }
    for label, url, loopback, fronts in _bad_urls(server.port if server else None):
        if quick and label not in BAD_URLS_QUICK:
            continue
        case_env = {**env, "NEWSDESK_ALLOW_PRIVATE_ADDRESSES": "1"} if loopback else env
        expect = {"secret": SECRET if SECRET in url else None}
        if "cli" in fronts:
            d = m.dir(f"cli {label}")
            db = str(d / "desk.sqlite")
            argvs = [["--db", db, "add", url], ["--db", db, "sources", "--json"]]
            m.add(
                Case(m.cls, f"add: {label}", "cli", {"argvs": argvs, "env": case_env}, judge_add, d, expect)
            )
        if "api" in fronts:
            d = m.dir(f"api {label}")
            kwargs = {"db": str(d / "desk.sqlite"), "url": url, "env": case_env}
            m.add(Case(m.cls, f"API: {label}", "web_add", kwargs, judge_api_add, d, expect))
    return m.cases


_TOKENS = (
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#xD800;",
    b"&#0;",
    b"&#x110000;",
    b"]]>",
    b"<![CDATA[",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'"',
    b"'",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\\ud800",
    b"1e300",
    b"NaN",
    b"9999-12-31T23:59:59-23:59",
    b'<!DOCTYPE x [<!ENTITY e "eeeeeeeeeeeeeeee">]>',
    b"&e;",
    b"Content-Length: 99999999\r\n",
    b"\r\n\r\n",
    b"<p>",
    b"<div>" * 64,
    b"</channel>",
    b"<item>",
    b"<entry>",
    b"<url><loc>",
    b"WARC/1.0\r\n",
    b"\xed\xa0\x80",
)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to eight random edits: a byte changed, bytes or a hostile token inserted, a range deleted
    or duplicated, the tail cut."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.choices(range(6), weights=(4, 3, 3, 2, 4, 1))[0]
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2:
            del b[pos : pos + rng.randint(1, 64)]
        elif op == 3:
            chunk = b[pos : pos + rng.randint(1, 128)]
            at = rng.randrange(len(b) + 1)
            b[at:at] = chunk
        elif op == 4:
            b[pos:pos] = rng.choice(_TOKENS)
        else:
            del b[pos:]
    return bytes(b)


def fuzz_bases(rng: random.Random) -> dict[str, tuple[str, bytes]]:
    """A small valid file of each format: {format: (file name, bytes)}."""
    urls = [f"https://fuzz.example/a/{i}" for i in range(2)]
    rss = _rss([_rss_item(u, f"Fuzz item {i}", _paras(rng, f"rss {i}")) for i, u in enumerate(urls)]).encode()
    atom = _atom(
        [_atom_entry(u, f"Fuzz entry {i}", _paras(rng, f"atom {i}")) for i, u in enumerate(urls)]
    ).encode()
    opml = _opml(
        '<outline text="News"><outline text="A" xmlUrl="https://fuzz.example/a.xml"/>'
        '<outline text="B" xmlUrl="https://fuzz.example/b.xml"/></outline>'
    ).encode()
    page = _page("https://fuzz.example/page", "Fuzz page", _paras(rng, "page")).encode()
    jsonl = ("\n".join(json.dumps(_good_record(rng, "fuzzrec", i)) for i in (3, 4)) + "\n").encode()
    warc = _warc_record("https://fuzz.example/warc", page, "text/html")
    warc += _warc_record("https://fuzz.example/feed.rss", rss, "application/rss+xml")
    return {
        "rss": ("m-fuzz.rss", rss),
        "atom": ("m-fuzz.atom", atom),
        "opml": ("m-fuzz.opml", opml),
        "sitemap": ("m-fuzz.xml", _sitemap(urls).encode()),
        "html": ("m-fuzz.html", page),
        "jsonl": ("m-fuzz.jsonl", jsonl),
        "warc": ("m-fuzz.warc", warc),
        "warc.gz": ("m-fuzz.warc.gz", gzip.compress(warc, mtime=0)),
    }


def _gen_fuzz(root: Path, quick: bool, seed: int, per_format: int) -> list[Case]:
    """Seeded byte mutations of a small valid file of each format, each between two good files."""
    m = _Maker(root, "fuzz-bytes", seed)
    for fmt, (name, data) in fuzz_bases(random.Random(f"{seed}-bases")).items():
        for i in range(2 if quick else per_format):
            m.folder(f"{fmt} #{i}", name, mutate(data, random.Random(f"{seed}-{fmt}-{i}")))
    return m.cases


def generate(
    classes: list[str],
    root: Path,
    *,
    quick: bool,
    seed: int = 1,
    fuzz: int = FUZZ_PER_FORMAT,
    server: Server | None = None,
) -> list[Case]:
    """Every case of the chosen classes, its inputs written under ``root``."""
    out: list[Case] = []
    for cls in classes:
        if cls == "jsonl-values":
            out += _gen_jsonl_values(root, quick, seed)
        elif cls == "dates":
            out += _gen_dates(root, quick, seed)
        elif cls == "surrogates-and-names":
            out += _gen_surrogates(root, quick, seed)
        elif cls == "xml-entities":
            out += _gen_xml_entities(root, quick, seed, server)
        elif cls == "big-article-search":
            out += _gen_big_article_search(root, quick, seed)
        elif cls == "big-page-extraction":
            out += _gen_big_pages(root, quick, seed)
        elif cls == "bad-urls":
            out += _gen_bad_urls(root, quick, seed, server)
        elif cls == "fuzz-bytes":
            out += _gen_fuzz(root, quick, seed, fuzz)
        else:
            raise ValueError(f"unknown class {cls!r}: one of {', '.join(CLASSES)}")
    return out


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


def _capped(r: Result) -> bool:
    """Whether a case hit the time cap, or was not run because a case it follows did."""
    return (r.run is not None and r.run.timed_out) or (r.skipped or "").startswith(NOT_RUN)


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


def _loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


@dataclass
class ClassSummary:
    cls: str
    tried: int = 0
    clean: int = 0
    crashes: int = 0
    skipped: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    crash_kinds: Counter[str] = field(default_factory=Counter)
    peak_mb: float = 0.0
    seconds: float = 0.0
    cpu: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)


def summarise(cls: str, results: list[Result]) -> ClassSummary:
    s = ClassSummary(cls)
    for r in results:
        if r.skipped:
            s.skipped += 1
            continue
        s.tried += 1
        if r.verdict.clean:
            s.clean += 1
            s.outcomes[r.verdict.outcome] += 1
        else:
            s.crashes += 1
            s.crash_kinds[r.verdict.outcome] += 1
        if r.run is not None:
            s.peak_mb = max(s.peak_mb, r.run.maxrss_kb / 1024)
            s.seconds += r.run.wall
            s.cpu += r.run.cpu
    return s


def _kinds(c: Counter[str]) -> str:
    return ", ".join(f"{n} {k}" for k, n in c.most_common()) or "-"


def class_table(summaries: list[ClassSummary]) -> str:
    rows = [
        [
            s.cls,
            str(s.tried),
            str(s.clean),
            f"**{s.crashes}**" if s.crashes else "0",
            _kinds(s.crash_kinds),
            _kinds(s.outcomes),
            f"{s.peak_mb:,.0f}",
            f"{s.seconds:,.1f}",
            f"{s.cpu:,.1f}",
            f"{s.load[0]:.1f} → {s.load[1]:.1f}",
        ]
        + ([f"{s.skipped}"] if any(x.skipped for x in summaries) else [])
        for s in summaries
    ]
    headers = [
        "class",
        "tried",
        "clean",
        "crashes",
        "crash kinds",
        "clean outcomes",
        "peak RSS MB",
        "seconds",
        "CPU s",
        "load",
    ]
    if any(x.skipped for x in summaries):
        headers.append("not run")
    return markdown_table(headers, rows)


def curves(results: list[Result]) -> dict[str, list[dict[str, Any]]]:
    """Per curve, its points: size, seconds and CPU seconds of the operation, whether it hit the
    cap, and the growth exponent from the size before (on CPU time, which a busy machine inflates
    far less than wall time)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        if r.case.curve is None:
            continue
        name, x = r.case.curve
        point: dict[str, Any] = {
            "x": x,
            "case": r.case.name,
            "clean": r.verdict.clean,
            "outcome": r.verdict.outcome,
        }
        if r.run is not None:
            point.update(
                seconds=round(r.seconds or 0.0, 3),
                cpu=round(r.cpu or 0.0, 3),
                capped=r.run.timed_out,
                peak_mb=round(r.run.maxrss_kb / 1024),
            )
        else:
            point.update(seconds=None, cpu=None, capped=False, peak_mb=None, skipped=r.skipped)
        out.setdefault(name, []).append(point)
    for points in out.values():
        for prev, p in pairwise(points):
            usable = prev.get("cpu") and p.get("cpu") and not prev["capped"] and not p["capped"]
            if usable and p["x"] > prev["x"]:
                p["exponent"] = round(math.log(p["cpu"] / prev["cpu"]) / math.log(p["x"] / prev["x"]), 2)
    return out


def curve_table(cls: str, cv: dict[str, list[dict[str, Any]]], unit: str) -> str:
    names = list(cv)
    xs = sorted({p["x"] for n in names for p in cv[n]})
    rows = []
    for x in xs:
        row = [f"{x:g} {unit}"]
        for n in names:
            p = next((q for q in cv[n] if q["x"] == x), None)
            if p is None:
                row.append("-")
            elif p.get("skipped"):
                row.append("not run")
            elif p["capped"]:
                row.append(f"> {p['seconds']:.0f} **time cap** (CPU {p['cpu']:.0f})")
            else:
                exp = f", ×n^{p['exponent']:.2f}" if p.get("exponent") is not None else ""
                mark = "" if p["clean"] else f" **{p['outcome']}**"
                row.append(f"{p['seconds']:.2f} (CPU {p['cpu']:.2f}{exp}){mark}")
        rows.append(row)
    return markdown_table([f"{cls}: size", *[f"{n} s" for n in names]], rows)


def crash_table(results: list[Result]) -> str:
    """The distinct crashes: one row per (class, kind, message), with how many inputs and examples."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for r in results:
        if not r.verdict.clean:
            key = (r.case.cls, r.verdict.outcome, r.verdict.detail[:110])
            groups.setdefault(key, []).append(r.case.name)
    rows = []
    for (cls, outcome, detail), names in groups.items():
        examples = "; ".join(n[:60] for n in names[:3]) + (
            f"; +{len(names) - 3} more" if len(names) > 3 else ""
        )
        rows.append([cls, outcome, str(len(names)), detail.replace("|", "\\|"), examples.replace("|", "\\|")])
    return markdown_table(["class", "kind", "inputs", "message", "inputs (examples)"], rows) if rows else ""


def report_markdown(summaries: list[ClassSummary], results: list[Result], caps: str) -> str:
    parts = [caps, "", class_table(summaries)]
    note = False
    cv = curves([r for r in results if r.case.cls == "big-article-search"])
    if cv:
        parts += ["", curve_table("article", cv, "MB")]
        note = True
    cv = curves([r for r in results if r.case.cls == "big-page-extraction"])
    if cv:
        parts += ["", curve_table("page", cv, "thousand <p>")]
        note = True
    if note:
        parts += [
            "",
            "Wall seconds of the operation itself (the command in process, or the one request), its "
            "CPU seconds in brackets; ×n^k: growth from the size before, k = log(c2/c1) / log(n2/n1) "
            "on CPU time; a point after one that hit the time cap (or the budget) is not run.",
        ]
    crashes = crash_table(results)
    if crashes:
        parts += ["", "Distinct crashes:", "", crashes]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="A small subset of each class (about 1-2 minutes).")
    ap.add_argument("--classes", default=",".join(CLASSES), help="Comma-separated classes (default: all).")
    ap.add_argument("--json", type=Path, help="Also write every case's figures to this file.")
    ap.add_argument("--markdown", type=Path, help="Also write the tables to this file.")
    ap.add_argument(
        "--mem-mb", type=int, default=MEM_MB, help=f"Address-space cap per input (default {MEM_MB})."
    )
    ap.add_argument(
        "--timeout", type=float, default=TIMEOUT_S, help=f"Seconds per input (default {TIMEOUT_S:g})."
    )
    ap.add_argument("--fuzz", type=int, default=FUZZ_PER_FORMAT, help="Fuzzed variants per format.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="Write the inputs (and each run's output) here and keep them.")
    ap.add_argument("-v", "--verbose", action="store_true", help="Print every case's verdict.")
    args = ap.parse_args(argv)
    classes = [c.strip() for c in args.classes.split(",") if c.strip()]
    unknown = [c for c in classes if c not in CLASSES]
    if unknown:
        ap.error(f"unknown class {unknown[0]!r}: one of {', '.join(CLASSES)}")

    m = machine()
    print(machine_line(m))
    caps = (
        f"Caps per input: address space {args.mem_mb:,} MiB (RLIMIT_AS), wall time {args.timeout:g} s; "
        f"{'quick' if args.quick else 'full'} run, seed {args.seed}."
    )
    print(caps)
    t_start = time.perf_counter()
    load0 = _loadavg()
    print(f"load average (1 min) {load0:.2f}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        root_ctx: Any = contextlib.nullcontext(str(args.keep))
    else:
        root_ctx = tempfile.TemporaryDirectory(prefix="newsdesk-adversary-")
    summaries: list[ClassSummary] = []
    all_results: list[Result] = []
    with root_ctx as root_name:
        root = Path(root_name)
        server: Server | None = None
        if {"bad-urls", "xml-entities"} & set(classes):
            server = Server(root)
            try:
                server.start()
            except (OSError, RuntimeError) as e:
                print(f"!! no loopback server ({e}): the cases that need one are left out")
                server = None
        runner = Runner(args.mem_mb, args.timeout, root / "runner.log")
        try:
            try:
                runner.start()
            except (OSError, RuntimeError) as e:
                print(f"!! {e}")
                print(_read_capped(root / "runner.log")[-3000:])
                return 1
            for cls in classes:
                load_a = _loadavg()
                t0 = time.perf_counter()
                try:
                    cases = generate(
                        [cls], root, quick=args.quick, seed=args.seed, fuzz=args.fuzz, server=server
                    )
                except Exception:  # noqa: BLE001 - a generator's bug: reported, the other classes go on
                    print(f"!! {cls}: generating its inputs failed (a bug in this script):")
                    traceback.print_exc(file=sys.stdout)
                    continue
                gen = time.perf_counter() - t0
                print(f"\n{cls}: {len(cases)} cases generated in {gen:.1f} s (load {load_a:.2f})", flush=True)
                results = run_cases(cases, runner, echo=lambda s: print(s, flush=True))
                if args.verbose:
                    for r in results:
                        figures = (
                            "" if r.run is None else f"{r.run.wall:6.1f} s {r.run.maxrss_kb / 1024:6.0f} MB"
                        )
                        print(
                            f"  {'ok   ' if r.verdict.clean else 'CRASH'} {r.case.name[:56]:56} {figures:17} "
                            f"{r.verdict.outcome}: {r.verdict.detail[:90]}"
                        )
                s = summarise(cls, results)
                s.load = (load_a, _loadavg())
                summaries.append(s)
                all_results += results
                print(
                    f"{cls}: {s.tried} tried, {s.clean} clean, {s.crashes} crashes ({_kinds(s.crash_kinds)}), "
                    f"peak {s.peak_mb:,.0f} MB, {s.seconds:.1f} s",
                    flush=True,
                )
        finally:
            runner.stop()
            if server is not None:
                server.stop()
    table = report_markdown(summaries, all_results, caps)
    total = time.perf_counter() - t_start
    print()
    print(table)
    print(f"\nTotal {total:.0f} s; load average {load0:.2f} → {_loadavg():.2f}.")
    if args.markdown:
        args.markdown.write_text(table + "\n", "utf-8")
    if args.json:
        doc = {
            "machine": m,
            "caps": {"mem_mb": args.mem_mb, "timeout_s": args.timeout},
            "quick": args.quick,
            "seed": args.seed,
            "seconds": round(total, 1),
            "classes": [
                {
                    **{k: v for k, v in vars(s).items() if k not in ("outcomes", "crash_kinds")},
                    "outcomes": dict(s.outcomes),
                    "crash_kinds": dict(s.crash_kinds),
                }
                for s in summaries
            ],
            "curves": {cls: curves([r for r in all_results if r.case.cls == cls]) for cls in classes},
            "cases": [
                {
                    "class": r.case.cls,
                    "case": r.case.name,
                    "clean": r.verdict.clean,
                    "outcome": r.verdict.outcome,
                    "detail": r.verdict.detail,
                    "skipped": r.skipped,
                    "seconds": None if r.run is None else round(r.run.wall, 3),
                    "cpu": None if r.run is None else round(r.run.cpu, 3),
                    "peak_mb": None if r.run is None else round(r.run.maxrss_kb / 1024, 1),
                }
                for r in all_results
            ],
        }
        args.json.write_text(json.dumps(doc, indent=2, default=str) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--runner":
        runner_main()
    elif len(sys.argv) > 2 and sys.argv[1] == "--serve":
        serve_main(sys.argv[2])
    else:
        sys.exit(main())
