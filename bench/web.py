"""Benchmark the web front end (``newsdesk serve``) on 100,000 generated articles.

    make bench-web      # installs Debian's wrk when root, then:
    .venv/bin/python -m bench.web [--db ../benchdata/web.sqlite] [--articles 100000]
        [--rate 200] [--seconds 20] [--wrk-seconds 10] [--connections 16] [--workers 2]
        [--parts generate,serve] [--json FILE]

Parts:

(generate) Unless the store at ``--db`` is already complete (a ``.done`` file beside it records the
           figures it was made with), writes a new one through the real Desk, as production ingest
           does (extraction, provenance tracing, story clustering, one transaction per article):
           ``--articles`` generated articles from 30 fictional sources in 5 categories over 60 days,
           about 20,000 events of 1-30 articles each, about 20 % of the articles copies or rewrites of
           an earlier one (syndication, lightly edited copies). Records are plain text (as a JSONL
           ``text`` record), so extraction is cheap and the time goes to the store and the stages.
           One process: a Desk has one writer (stories and provenance read what they just wrote).
           Deterministic (``--seed``). Keep it outside the repository.
(serve)    Starts ``newsdesk serve --workers N --no-access-log`` on 127.0.0.1 over that store and, per
           route, measures:
           - latency at a fixed arrival rate (``--rate`` requests/s for ``--seconds``): an open-loop
             generator (httpx + asyncio) that schedules request k at ``start + k / rate`` and measures
             from that scheduled time, so a slow answer delays nobody's clock (no coordinated
             omission); p50 / p99 / max and errors (status >= 400, or no answer within 10 s);
           - the closed-loop maximum throughput with ``wrk`` (Debian's, ``--connections``
             connections, 2 threads, ``--wrk-seconds``), over a Lua script that walks the same list
             of URLs; non-2xx answers are counted.
           Routes: front ``/``, story ``/story/ID``, article ``/article/ID``, search
           ``/search?q=WORD`` (words from the store's titles), API ``/api/v1/articles``, the same
           filtered by source and/or category (a tenth of them by a source the store lacks),
           ``/api/v1/stories/ID``, and the Atom feed ``/feeds/all.atom``. IDs, words and filters
           are drawn at random (seeded) from the store. Target: p99 < 100 ms at 200 requests/s on every route.

The machine is described (CPU, cores, load average before and after): other work on a shared
machine shows up in the figures, so the load averages are part of the result.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from bench._common import machine, machine_line, markdown_table

REPO = Path(__file__).resolve().parents[1]

DEFAULT_DB = REPO.parent / "benchdata" / "web.sqlite"
CATEGORIES = ("World", "Business", "Politics", "Science", "Sport")
TARGET_P99_MS = 100.0

# -- the generated corpus ---------------------------------------------------------------------------

_ONSETS: tuple[str, ...] = ("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p")
_ONSETS += ("pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", "th", "bl", "cl", "fl", "pl", "sl", "sp")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "ee")
_CODAS = ("", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "st", "x", "ck", "ng")

#: Plain English news words, so that texts read like text and searches hit common words too.
_COMMON = """
government minister official officials report reports company market markets price prices rise fell
city council plan plans police court judge trial vote election party leader leaders talks deal
agreement agency bank rates inflation growth jobs workers union strike school hospital health water
energy power fire storm flood weather road rail port airport border army ministry spokesman
spokeswoman statement investigation inquiry study scientists research team season match goal coach
club league final record record-breaking budget tax taxes spending contract project building bridge
residents families village region province capital district campaign protest protesters crowd
meeting summit talks ceasefire aid exports imports shares profit losses quarter year month week
director chairman board investors customers service services network system data security
""".split()
_VERBS = """
said announced confirmed warned expected rejected approved reported opened closed raised cut agreed
planned signed launched delayed blocked backed criticised welcomed promised denied estimated
""".split()
_GLUE = ("the", "a", "its", "their", "this", "that", "new", "local", "national", "first", "last")
_OUTLETS = ("Herald", "Gazette", "Times", "Post", "Courier", "Chronicle", "Observer", "Ledger", "Record")


def _pseudo(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)


@dataclass
class _Event:
    n: int
    category: str
    start: float
    names: list[str]
    places: list[str]
    figures: list[str]
    topic: list[str]
    titles: list[str] = field(default_factory=list)


@dataclass
class _Record:
    published: float
    url: str
    title: str
    text: str
    source: str
    category: str
    author: str
    copy_of: int | None  # index of the record it copies, for the generator's own counts


def _sources(rng: random.Random) -> list[tuple[str, str]]:
    """30 (name, host) pairs of fictional outlets."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < 30:
        place = _pseudo(rng, 2).capitalize()
        outlet = rng.choice(_OUTLETS)
        name = f"The {place} {outlet}"
        if name in seen:
            continue
        seen.add(name)
        out.append((name, f"{place.lower()}{outlet.lower()}.example"))
    return out


def _sentence(rng: random.Random, ev: _Event, vocab: list[str]) -> str:
    name = rng.choice(ev.names)
    place = rng.choice(ev.places)
    fig = rng.choice(ev.figures)
    words = [*rng.sample(ev.topic, 3), rng.choice(_COMMON), rng.choice(vocab)]
    forms = (
        f"{name} {rng.choice(_VERBS)} on Tuesday that {rng.choice(_GLUE)} {words[0]} {words[1]} in {place} "
        f"would {rng.choice(_VERBS)} {fig} {words[2]} {words[3]}.",
        f"In {place}, {rng.choice(_GLUE)} {words[3]} {rng.choice(_VERBS)} {fig} {words[0]}, "
        f"according to {name}.",
        f"The {words[1]} {words[2]} {rng.choice(_VERBS)} by {name} came after {fig} {words[4]} "
        f"{rng.choice(_VERBS)} {rng.choice(_GLUE)} {words[0]} near {place}.",
        f"{name}, who leads the {words[0]} {rng.choice(_COMMON)}, {rng.choice(_VERBS)} {fig} "
        f"{words[4]} and {rng.choice(_VERBS)} the {words[2]} {words[3]} in {place}.",
    )
    return rng.choice(forms)


def _filler(rng: random.Random, vocab: list[str]) -> str:
    w = [rng.choice(vocab) for _ in range(6)] + [rng.choice(_COMMON) for _ in range(4)]
    return (
        f"{w[6].capitalize()} {w[0]} {rng.choice(_VERBS)} {rng.choice(_GLUE)} {w[1]} {w[7]} "
        f"while the {w[2]} {w[8]} {rng.choice(_VERBS)} {w[3]} {w[4]} and {w[9]} {w[5]}."
    )


def generate(n_articles: int, seed: int, end: datetime) -> list[_Record]:
    """The corpus, in order of publication."""
    rng = random.Random(seed)
    vocab = sorted({_pseudo(rng, rng.choice((1, 2, 2, 3))) for _ in range(12000)})
    sources = _sources(rng)
    t_end = end.timestamp()
    t_start = t_end - 60 * 86400
    records: list[_Record] = []
    originals_of: dict[int, list[int]] = {}  # event -> indexes of its original records
    authors = [f"{_pseudo(rng, 2).capitalize()} {_pseudo(rng, 2).capitalize()}" for _ in range(300)]
    # Sizes 1-30, mean about 5 (so ~20,000 events for 100,000 articles).
    planned: list[tuple[_Event, int]] = []
    total = 0
    n = 0
    while total < n_articles:
        size = min(30, 1 + int(rng.expovariate(1 / 3.6)), n_articles - total)
        ev = _Event(
            n=n,
            category=rng.choice(CATEGORIES),
            start=rng.uniform(t_start, t_end - 3 * 86400),
            names=[f"{_pseudo(rng, 2).capitalize()} {_pseudo(rng, 2).capitalize()}" for _ in range(3)],
            places=[_pseudo(rng, rng.choice((2, 3))).capitalize() for _ in range(2)],
            figures=[str(rng.randint(3, 9000)) for _ in range(3)],
            topic=rng.sample(vocab, 6) + rng.sample(_COMMON, 2),
        )
        ev.titles = [
            f"{ev.places[0]}: {ev.names[0].split()[1]} {rng.choice(_VERBS)} {ev.figures[0]} {ev.topic[0]} {ev.topic[1]}"
            for _ in range(3)
        ]
        planned.append((ev, size))
        total += size
        n += 1
    for ev, size in planned:
        times = sorted(ev.start + rng.expovariate(1 / 86400) for _ in range(size))
        for t in times:
            mine = originals_of.setdefault(ev.n, [])
            source, host = rng.choice(sources)
            slug = f"{ev.n}-{len(records)}"
            day = datetime.fromtimestamp(t, tz=UTC)
            url = f"https://{host}/{day:%Y/%m/%d}/{ev.category.lower()}/{slug}"
            copy_of: int | None = None
            if mine and rng.random() < 0.25:  # about 20 % of all articles
                copy_of = rng.choice(mine)
                orig = records[copy_of]
                t = max(t, orig.published + rng.uniform(600, 6 * 3600))
                if rng.random() < 0.5:  # syndication: the same text under another masthead
                    text, title = orig.text, orig.title
                else:  # a rewrite: some paragraphs dropped, a new first line, some words changed
                    paras = orig.text.split("\n\n")
                    keep = [p for p in paras if rng.random() < 0.8] or paras[:3]
                    keep.insert(0, _sentence(rng, ev, vocab))
                    text = "\n\n".join(keep).replace(" said ", " told reporters ", 2)
                    title = rng.choice(ev.titles)
            else:
                k = rng.randint(6, 11)
                # Fresh sentences about the same names, places, figures and topic: the same story,
                # not a copy (copies come only from the branch above).
                paras = [
                    *(_sentence(rng, ev, vocab) for _ in range(k)),
                    *(_filler(rng, vocab) for _ in range(2)),
                ]
                rng.shuffle(paras)
                text = "\n\n".join(paras)
                title = rng.choice(ev.titles)
                mine.append(len(records))
            records.append(
                _Record(
                    published=t,
                    url=url,
                    title=title,
                    text=text,
                    source=source,
                    category=ev.category,
                    author=rng.choice(authors),
                    copy_of=copy_of,
                )
            )
    records.sort(key=lambda r: r.published)
    return records


def _items(records: list[_Record]) -> Iterator[Any]:
    from newsdesk.model import EntryHints, Fetched

    for i, r in enumerate(records):
        when = datetime.fromtimestamp(r.published, tz=UTC)
        # What the JSONL reader makes of {"url", "title", "text", "published", "source", "section", "author"}.
        hints = EntryHints(
            title=r.title,
            published=when,
            author=r.author,
            categories=(r.category,),
            source_name=r.source,
            language="en",
            text=r.text,
        )
        yield (
            i,
            Fetched(
                url=r.url,
                body=b"",
                origin=f"generated:{i}",
                content_type="text/html",
                hints=hints,
                source=r.source,
            ),
        )


def _done_file(db: Path) -> Path:
    return db.with_name(db.name + ".done")


def ensure_store(db: Path, n_articles: int, seed: int) -> dict[str, Any]:
    """The generated store at ``db``: reused when complete for these figures, else made anew."""
    done = _done_file(db)
    if db.exists() and done.exists():
        info: dict[str, Any] = json.loads(done.read_text(encoding="utf-8"))
        if info.get("articles_generated") == n_articles and info.get("seed") == seed:
            print(f"Reusing {db} ({info['articles']} articles, {info['stories']} stories)", flush=True)
            return info
    from newsdesk import open_desk

    for p in (db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal")), done):
        p.unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    t0 = time.perf_counter()
    records = generate(n_articles, seed, end)
    print(
        f"Generated {len(records)} records in {time.perf_counter() - t0:.1f} s; ingesting into {db}",
        flush=True,
    )
    now = [end]

    def clock() -> datetime:
        return now[0]

    t0 = time.perf_counter()
    stored = copies = 0
    with open_desk(db, clock=clock) as desk:
        for i, item in _items(records):
            now[0] = datetime.fromtimestamp(records[i].published, tz=UTC) + timedelta(minutes=3)
            report = desk.ingest_items([item])
            stored += report.new
            copies += report.copies_found
            if (i + 1) % 2000 == 0 or i + 1 == len(records):
                el = time.perf_counter() - t0
                print(
                    f"  {i + 1:>7}/{len(records)} ingested, {el:7.0f} s, {(i + 1) / el:6.1f} articles/s, "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
        stats = desk.stats()
        n_stories = len(desk.stories())
        n_edges = len(desk.copy_edges())
    info = {
        "articles_generated": n_articles,
        "seed": seed,
        "articles": stats.articles,
        "stories": n_stories,
        "copy_edges": n_edges,
        "generated_copies": sum(1 for r in records if r.copy_of is not None),
        "sources": len(stats.by_source),
        "ingest_seconds": round(time.perf_counter() - t0, 1),
        "end": end.isoformat(),
    }
    done.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"Store complete: {info}", flush=True)
    return info


# -- the load -------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(db: Path | str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``newsdesk serve`` on a free port of 127.0.0.1, answering; its output goes to ``log``."""
    port = _free_port()
    cmd = [sys.executable, "-m", "newsdesk"]
    cmd += ["--db", str(db), "serve", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--workers", str(workers), "--no-access-log"]
    env = {**os.environ, "NEWSDESK_PROGRESS": "false"}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    import httpx

    while True:
        if proc.poll() is not None:
            raise SystemExit(f"newsdesk serve exited with {proc.returncode}: see {log}")
        try:
            httpx.get(base + "/api/v1/openapi.json", timeout=5)
            return proc, base
        except httpx.TransportError:
            if time.monotonic() > deadline:
                stop_server(proc)
                raise SystemExit(f"newsdesk serve did not answer within 120 s: see {log}") from None
            time.sleep(0.3)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    # The whole session: uvicorn's supervisor and its worker processes.
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def session_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of every live process in the server's process group: uvicorn's
    supervisor and its workers. A figure that holds up better than latency on a busy machine."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After "pid (comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        if int(fields[2]) == pgid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def route_urls(db: Path, seed: int, n: int = 500) -> dict[str, list[str]]:
    """For each route, ``n`` paths with IDs and words drawn at random from the store."""
    from newsdesk import open_desk
    from newsdesk.exceptions import ArticleNotFoundError

    rng = random.Random(seed)
    with open_desk(db) as desk:
        stories = [s.id for s in desk.stories()]
        total = desk.stats().articles
        articles: list[int] = []
        words: list[str] = []
        names: set[str] = set()
        categories: set[str] = set()
        tries = 0
        while len(articles) < n and tries < 20 * n:
            tries += 1
            aid = rng.randint(1, total + total // 10)
            try:
                a = desk.get_article(aid).article
            except ArticleNotFoundError:
                continue
            articles.append(aid)
            names.add(a.source or "")
            names.add(urlsplit(a.canonical_url or a.url).netloc)
            categories.add(a.category or "")
            words += [w.lower() for w in a.title.replace(":", " ").split() if len(w) >= 4 and w.isalpha()]
    words = sorted(set(words))
    # Filters as people use them: a source by name (in lower case) or by host, a category, or both;
    # one in ten asks for a source the store does not have (the worst case before migration 0007).
    spellings = sorted(n for n in names if n)
    cats = sorted(c for c in categories if c)

    def filtered() -> str:
        roll = rng.random()
        if roll < 0.1:
            return f"/api/v1/articles?source=nobody-{rng.randint(1, 10**6)}.example"
        if roll < 0.4:
            return f"/api/v1/articles?category={quote(rng.choice(cats))}"
        if roll < 0.7:
            return f"/api/v1/articles?source={quote(rng.choice(spellings).lower())}"
        return f"/api/v1/articles?source={quote(rng.choice(spellings))}&category={quote(rng.choice(cats))}"

    return {
        "front /": ["/"] * n,
        "story /story/ID": [f"/story/{rng.choice(stories)}" for _ in range(n)],
        "article /article/ID": [f"/article/{rng.choice(articles)}" for _ in range(n)],
        "search /search?q=WORD": [f"/search?q={rng.choice(words)}" for _ in range(n)],
        "API /api/v1/articles": ["/api/v1/articles"] * n,
        "API /api/v1/articles?source=&category=": [filtered() for _ in range(n)],
        "API /api/v1/stories/ID": [f"/api/v1/stories/{rng.choice(stories)}" for _ in range(n)],
        "feed /feeds/all.atom": ["/feeds/all.atom"] * n,
    }


@dataclass
class OpenLoop:
    sent: int
    latencies_ms: list[float]
    errors: int
    error_kinds: dict[str, int]
    max_send_lag_ms: float

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return math.nan
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))]


class _Conn:
    """One keep-alive HTTP/1.1 connection: a deliberately small client (a GET, a status, a body by
    Content-Length or chunks), so the load generator spends little CPU of the shared machine."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host
        self.last_used = 0.0

    async def get(self, path: str) -> int:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: */*\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            raise ConnectionResetError("server closed the connection")
        return status


async def _open_loop(base: str, paths: list[str], rate: float, seconds: float) -> OpenLoop:
    """Request k is due at start + k / rate; its latency runs from that time to the last byte.

    Idle keep-alive connections are reused; when none is idle a new one is opened (up to 512), so
    a request never waits for an earlier one to finish: the arrival rate stays fixed."""
    n = int(rate * seconds)
    latencies: list[float] = []
    kinds: dict[str, int] = {}
    lag = 0.0
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    idle: list[_Conn] = []
    opened: list[_Conn] = []
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    async def one(k: int) -> None:
        nonlocal lag
        due = start + k / rate
        lag = max(lag, loop.time() - due)
        conn = None
        while idle and conn is None:
            conn = idle.pop()
            if loop.time() - conn.last_used > 3.0:  # uvicorn drops keep-alive connections idle 5 s
                conn.writer.close()
                opened.remove(conn)
                conn = None
        try:
            if conn is None:
                if len(opened) >= 512:
                    raise ConnectionRefusedError("512 connections open")
                conn = _Conn(*await asyncio.open_connection(host, port), parts.netloc)
                opened.append(conn)
            status = await asyncio.wait_for(conn.get(paths[k % len(paths)]), timeout=10.0)
        except (
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            TimeoutError,
            ValueError,
        ) as e:
            kinds[type(e).__name__] = kinds.get(type(e).__name__, 0) + 1
            if conn is not None:
                conn.writer.close()
                opened.remove(conn)
            return
        conn.last_used = loop.time()
        idle.append(conn)
        if status >= 400:
            kinds[str(status)] = kinds.get(str(status), 0) + 1
            return
        latencies.append((loop.time() - due) * 1000)

    tasks = []
    for k in range(n):
        delay = start + k / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(k)))
    await asyncio.gather(*tasks)
    for conn in opened:
        conn.writer.close()
    return OpenLoop(n, latencies, sum(kinds.values()), kinds, lag * 1000)


_WRK_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRKJSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"connect\\": %%d, \\"read\\": %%d, \\"write\\": %%d, \\"status\\": %%d, \\"timeout\\": %%d}\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, Any]:
    """Closed loop: ``connections`` connections each sending its next request when the last answers."""
    exe = shutil.which("wrk")
    if exe is None:
        return {"rps": math.nan, "errors": "wrk missing (make wrk)"}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_WRK_LUA % ", ".join(json.dumps(p) for p in paths))
        script = f.name
    try:
        out = subprocess.run(
            [exe, "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, base + "/"],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        ).stdout
    finally:
        Path(script).unlink(missing_ok=True)
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        return {"rps": math.nan, "errors": f"no wrk summary: {out[-300:]!r}"}
    s = json.loads(line[len("WRKJSON ") :])
    errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
    return {"rps": s["requests"] / (s["duration_us"] / 1e6), "requests": s["requests"], "errors": errors, **s}


def measure(
    base: str, pgid: int, routes: dict[str, list[str]], args: argparse.Namespace
) -> list[dict[str, Any]]:
    rows = []
    for name, paths in routes.items():
        asyncio.run(_open_loop(base, paths[:50], args.rate, 1.0))  # warm caches and connections
        cpu0, own0, t0 = session_cpu(pgid), time.process_time(), time.perf_counter()
        ol = asyncio.run(_open_loop(base, paths, args.rate, args.seconds))
        cpu1, own1, t1 = session_cpu(pgid), time.process_time(), time.perf_counter()
        w = wrk(base, paths, args.wrk_seconds, args.connections)
        row = {
            "route": name,
            "wrk_rps": w["rps"],
            "wrk_errors": w["errors"],
            "rate": args.rate,
            "sent": ol.sent,
            "p50_ms": ol.pct(0.50),
            "p99_ms": ol.pct(0.99),
            "max_ms": max(ol.latencies_ms, default=math.nan),
            "errors": ol.errors,
            "error_kinds": ol.error_kinds,
            "max_send_lag_ms": ol.max_send_lag_ms,
            "server_cpu_ms_per_request": 1000 * (cpu1 - cpu0) / max(1, ol.sent),
            "server_cpu_share": (cpu1 - cpu0) / (t1 - t0),
            "client_cpu_share": (own1 - own0) / (t1 - t0),
            "load_1min": os.getloadavg()[0],
        }
        row["meets_target"] = row["errors"] == 0 and row["p99_ms"] < TARGET_P99_MS
        print(
            f"  {name:<26} wrk {row['wrk_rps']:8.0f} req/s ({row['wrk_errors']} errors) | at {args.rate:.0f}/s: "
            f"p50 {row['p50_ms']:7.1f} ms, p99 {row['p99_ms']:7.1f} ms, max {row['max_ms']:7.1f} ms, "
            f"{row['errors']} errors {row['error_kinds'] or ''}, send lag {row['max_send_lag_ms']:.0f} ms, "
            f"server CPU {row['server_cpu_ms_per_request']:.1f} ms/request "
            f"({row['server_cpu_share']:.2f} cores), client {row['client_cpu_share']:.2f} cores, "
            f"load {row['load_1min']:.1f}",
            flush=True,
        )
        rows.append(row)
    return rows


def table(rows: list[dict[str, Any]], rate: float) -> str:
    headers = ["route", "req/s (wrk, closed loop)", f"p50 ms at {rate:.0f}/s", f"p99 ms at {rate:.0f}/s"]
    headers += ["max ms", "errors", "server CPU ms/request", "load (1 min)", "p99 < 100 ms"]
    body = [
        [
            f"`{r['route'].split(' ', 1)[1]}` ({r['route'].split(' ', 1)[0]})",
            f"{r['wrk_rps']:,.0f}" + (f" ({r['wrk_errors']} err)" if r["wrk_errors"] else ""),
            f"{r['p50_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            f"{r['max_ms']:.0f}",
            f"{r['errors']} / {r['sent']}",
            f"{r['server_cpu_ms_per_request']:.1f}",
            f"{r['load_1min']:.1f}",
            "yes" if r["meets_target"] else "**no**",
        ]
        for r in rows
    ]
    return markdown_table(headers, body)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=200.0, help="open-loop arrival rate, requests/s")
    ap.add_argument("--seconds", type=float, default=20.0, help="open-loop duration per route")
    ap.add_argument("--wrk-seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--parts", default="generate,serve")
    ap.add_argument("--routes", default="", help="comma-separated words: only routes whose name has one")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    parts = set(args.parts.split(","))

    m = machine()
    print(machine_line(m), flush=True)
    result: dict[str, Any] = {"machine": m}
    if "generate" in parts:
        result["store"] = ensure_store(args.db, args.articles, args.seed)
    if "serve" in parts:
        if not args.db.exists():
            raise SystemExit(f"no store at {args.db}: run with --parts generate first")
        routes = route_urls(args.db, args.seed)
        if args.routes:
            wanted = args.routes.split(",")
            routes = {k: v for k, v in routes.items() if any(w in k for w in wanted)}
        load_before = os.getloadavg()
        log = args.db.with_name(args.db.name + ".serve.log")
        proc, base = start_server(args.db, args.workers, log)
        try:
            print(
                f"Serving {args.db} at {base} with {args.workers} workers; load before {load_before}",
                flush=True,
            )
            rows = measure(base, proc.pid, routes, args)
        finally:
            stop_server(proc)
        load_after = os.getloadavg()
        result.update(
            rows=rows,
            load_before=load_before,
            load_after=load_after,
            settings={k: v for k, v in vars(args).items() if k not in ("db", "json")} | {"db": str(args.db)},
        )
        print()
        print(table(rows, args.rate))
        print(
            f"\nLoad average before {', '.join(f'{x:.2f}' for x in load_before)}; "
            f"after {', '.join(f'{x:.2f}' for x in load_after)} (1, 5, 15 min)."
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
