"""Scaling, measured (issue 15, part 4): the batch driver's parallel phase on 1 and 2 workers, and
SQLite against PostgreSQL on the same workloads, in one run.

    .venv/bin/python -m bench.scale [--parts parallel,ingest,search,web,collectors]
        [--articles 100000,1000000] [--pages 2400] [--chunk 50] [--keep ../benchdata/scale]
        [--json FILE]

Parts (each backend's store is fresh unless said otherwise; PostgreSQL is a cluster of our own,
``tests/_postgres.py``, started in ``--keep``/pg and stopped at the end):

(parallel)   ``--pages`` generated news pages (``bench/ingest``'s corpus: four site templates at the
             weight of real pages, ~1-2 % exact duplicates and 2 % section pages) packed into WARC.gz
             files of 400 records, run through ``newsdesk.batch.run_batch`` on a
             ``distributed.LocalCluster`` of 1 worker and then of 2 workers (processes, 1 thread
             each), each into a fresh SQLite store. The parallel phase is the workers' phase
             (``BatchReport.parallel_seconds``: from the first task submitted to the last partition's
             result); storing, which is serial, is reported apart (``store_seconds``).
             Target: 2 workers >= 1.7x one worker.
(ingest)     The first ``--ingest-pages`` of those pages through ``Desk.ingest`` (one process,
             extraction included) into a fresh store of each backend: articles/s, CPU of this
             process per article, and the PostgreSQL server's CPU (its processes, from /proc).
(search)     ``--articles`` generated article rows (``bench/web.py``'s generator: 30 sources, 5
             categories, 60 days, events of 1-30 articles) loaded through each backend's bulk path
             (the ``Transfer`` protocol: ``import_rows("articles", ...)``, which is how
             ``copy-store`` moves a desk; PostgreSQL is then ANALYZEd, as autovacuum would soon
             do), then ``Desk.search`` latency for a fixed seeded mix of
             queries: a common word, a rare word, two words, a quoted phrase, each without and with
             a filter (a source, or the last 7 days); the web's ranking window (``SEARCH_WINDOW``)
             without a filter, as the site asks. The stores stay in ``--keep`` (a ``.done`` file per
             store), so a rerun skips the load.
(web)        ``newsdesk serve --workers 2`` over the smallest ``--articles`` store of each backend,
             ``bench/web.py``'s open-loop generator at ``--rate`` requests/s per route (the routes
             that need no stories: the bulk-loaded stores have articles only): p50/p99.
(collectors) ``bench/newsroom.py``'s 200 outlets over three rounds, served on 127.0.0.1, collected by
             1 and by 4 ``newsdesk update --watch`` processes into a fresh store of each backend:
             wall time until every report of the last round is stored, the collectors' CPU (and
             the PostgreSQL server's), and whether each report is stored exactly once.

Everything runs on the same machine, which the figures share with other work: the load average is
printed with each part, and ratios measured in one run are what to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import newsroom, web
from bench._common import REPO, machine, machine_line, markdown_table
from bench.ingest import corpus

DEFAULT_KEEP = REPO.parent / "benchdata" / "scale"
PARTS = ("parallel", "ingest", "search", "web", "collectors")
WARC_RECORDS = 400
#: Routes of bench/web.py that need no stories (the bulk-loaded stores hold articles only).
WEB_ROUTES = ("article /article/ID", "search /search?q=WORD", "API /api/v1/articles")
WEB_ROUTES += ("API /api/v1/articles?source=&category=", "feed /feeds/all.atom")


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def say(*parts: Any) -> None:
    print(*parts, flush=True)


# -- PostgreSQL ------------------------------------------------------------------------------------


@contextmanager
def postgres(keep: Path) -> Iterator[Any]:
    """A PostgreSQL cluster of our own in ``keep``/pg (made on first use, kept afterwards)."""
    from tests._postgres import PostgresServer, find_bin

    found = find_bin()
    if found is None:
        raise SystemExit("PostgreSQL's server is not installed: `make postgres` installs it (as root)")
    root = keep / "pg"
    root.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(found, root=root, keep=True).start()
    try:
        yield server
    finally:
        server.stop()


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def server_cpu(server: Any) -> float:
    """CPU seconds of the PostgreSQL server: its main process with its reaped children, and its
    live children (backends, writers)."""
    pm = server.postmaster() if server is not None else None
    if pm is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    main = _stat(pm)
    if main:
        total += sum(int(x) for x in main[11:15]) / tick  # utime stime cutime cstime
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(int(stat.parent.name))
        if fields and int(fields[1]) == pm:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cpu_times() -> list[list[int]]:
    """Per core: (busy, idle, steal) jiffies so far, from /proc/stat."""
    out = []
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name.startswith("cpu") and name != "cpu":
            v = [int(x) for x in values]
            idle = v[3] + v[4]
            steal = v[7] if len(v) > 7 else 0
            out.append([sum(v[:8]) - idle - steal, idle, steal])
    return out


def busy_shares(before: list[list[int]], after: list[list[int]]) -> list[float]:
    """How busy each core was between two ``cpu_times()``, 0-1 (steal counted as not ours)."""
    shares = []
    for b, a in zip(before, after, strict=True):
        d = [y - x for x, y in zip(b, a, strict=True)]
        shares.append(d[0] / max(1, sum(d)))
    return shares


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a live process and its reaped children."""
    fields = _stat(pid)
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


# -- parallel ----------------------------------------------------------------------------------------


def pages(keep: Path, n: int, seed: int) -> tuple[Path, list[Path]]:
    """The generated pages (a folder) and WARC.gz files of them, made once for these figures."""
    from newsdesk.archive import WarcWriter
    from newsdesk.fetch import Response

    folder = keep / f"pages-{n}-{seed}"
    done = folder / ".done"
    if done.exists():
        return folder / "html", sorted((folder / "warc").glob("*/*.warc.gz"))
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    made = corpus.generate(folder / "html", n, seed=seed)
    files = sorted((folder / "html").glob("*/*.html"))
    t_base = datetime(2024, 1, 1, tzinfo=UTC)
    for k in range(0, len(files), WARC_RECORDS):
        writer = WarcWriter(folder / "warc" / f"{k // WARC_RECORDS:03d}")
        for path in files[k : k + WARC_RECORDS]:
            url = f"https://pages.example/{path.relative_to(folder / 'html').as_posix()}"
            headers = (("Content-Type", "text/html; charset=utf-8"),)
            writer.write_response(Response(url, url, 200, headers, path.read_bytes(), t_base))
        writer.close()
    done.write_text(json.dumps({"pages": n, "kinds": made["kinds"], "bytes": made["bytes"]}) + "\n")
    say(f"Generated {n} pages ({made['bytes'] / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s")
    return folder / "html", sorted((folder / "warc").glob("*/*.warc.gz"))


def part_parallel(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from newsdesk import open_desk
    from newsdesk.batch import connect, run_batch

    _, warcs = pages(args.keep, args.pages, args.seed)
    runs = []
    for workers in args.workers:
        db = work / f"batch-{workers}.sqlite"
        with connect(workers=workers, dashboard_address=":0") as client:
            client.wait_for_workers(workers)
            l0, cpu0 = load(), time.process_time()
            marks = [cpu_times()]

            def progress(step: Any, marks: list[list[list[int]]] = marks) -> None:
                if step.stage.name == "STORE" and len(marks) == 1:
                    marks.append(cpu_times())  # the parallel phase is over

            w0 = sum(client.run(time.process_time).values())
            with open_desk(db) as desk:
                report = run_batch(
                    desk, [str(w) for w in warcs], client, chunk_records=args.chunk, progress=progress
                )
            # The workers are idle while the client stores: their CPU is the parallel phase's.
            worker_cpu = sum(client.run(time.process_time).values()) - w0
            row = {
                "workers": workers,
                "partitions": report.partitions,
                "documents": report.documents,
                "stored": report.ingest.new,
                "parallel_seconds": report.parallel_seconds,
                "worker_seconds": report.prepare_seconds,
                "store_seconds": report.store_seconds,
                "seconds": report.seconds,
                "client_cpu": time.process_time() - cpu0,
                "core_busy": busy_shares(marks[0], marks[-1]),
                "worker_cpu": worker_cpu,
                "machine_busy_cores": sum(busy_shares(marks[0], marks[-1])),
                "load": f"{l0}-{load()}",
            }
        say(
            f"  {workers} worker(s): parallel phase {row['parallel_seconds']:.1f} s "
            f"({row['worker_seconds']:.1f} worker-s, {row['worker_cpu']:.1f} s of worker CPU, over "
            f"{row['partitions']} partitions), "
            f"store {row['store_seconds']:.1f} s ({row['stored']} articles), cores busy "
            f"{', '.join(f'{x:.0%}' for x in row['core_busy'])} in the parallel phase, load {row['load']}"
        )
        runs.append(row)
    base = runs[0]["parallel_seconds"]
    for r in runs:
        r["speedup"] = base / r["parallel_seconds"] if r["parallel_seconds"] else math.nan
    return {"pages": args.pages, "warcs": len(warcs), "chunk": args.chunk, "runs": runs}


def table_parallel(res: dict[str, Any]) -> str:
    rows = [
        [
            f"{r['workers']}",
            f"{r['partitions']}",
            f"{r['parallel_seconds']:.1f}",
            f"{r['documents'] / r['parallel_seconds']:.1f}",
            f"{1000 * r['worker_seconds'] / max(1, r['documents']):.1f}",
            f"{1000 * r['worker_cpu'] / max(1, r['documents']):.1f}" if "worker_cpu" in r else "-",
            f"{r['worker_cpu'] / r['parallel_seconds']:.2f}" if "worker_cpu" in r else "-",
            f"×{r['speedup']:.2f}",
            " / ".join(f"{x:.0%}" for x in r.get("core_busy", [])),
            f"{r['store_seconds']:.1f}",
            f"{1000 * r['store_seconds'] / max(1, r['stored']):.1f}",
            r["load"],
        ]
        for r in res["runs"]
    ]
    headers = ["workers", "partitions", "parallel phase s", "documents/s", "worker ms/document (wall)"]
    headers += ["worker CPU ms/document", "cores the workers got"]
    headers += [
        "speed-up",
        "cores busy (parallel phase)",
        "store s (client)",
        "store ms/article",
        "load (1 min)",
    ]
    return markdown_table(headers, rows)


# -- ingest ------------------------------------------------------------------------------------------


def part_ingest(args: argparse.Namespace, work: Path, pg: Any) -> dict[str, Any]:
    from newsdesk import open_desk

    html, _ = pages(args.keep, args.pages, args.seed)
    files = sorted(html.glob("*/*.html"))[: args.ingest_pages]
    rows = []
    for backend in args.backends:
        location = str(work / "ingest.sqlite") if backend == "sqlite" else pg.database("ingest")
        l0 = load()
        s0, c0, t0 = (
            server_cpu(pg if backend == "postgresql" else None),
            time.process_time(),
            time.perf_counter(),
        )
        with open_desk(location) as desk:
            report = desk.ingest(files)
            s1 = server_cpu(pg if backend == "postgresql" else None)
        t1, c1 = time.perf_counter(), time.process_time()
        row = {
            "backend": backend,
            "pages": len(files),
            "stored": report.new,
            "seconds": t1 - t0,
            "articles_per_s": report.new / (t1 - t0),
            "client_cpu_ms": 1000 * (c1 - c0) / max(1, report.new),
            "server_cpu_ms": 1000 * (s1 - s0) / max(1, report.new),
            "load": f"{l0}-{load()}",
        }
        say(
            f"  {backend}: {row['stored']} articles in {row['seconds']:.1f} s "
            f"({row['articles_per_s']:.1f}/s), client CPU {row['client_cpu_ms']:.1f} ms/article, "
            f"server {row['server_cpu_ms']:.1f} ms/article, load {row['load']}"
        )
        rows.append(row)
    return {"rows": rows}


def table_ingest(res: dict[str, Any]) -> str:
    base = res["rows"][0]
    rows = [
        [
            r["backend"],
            f"{r['stored']:,}",
            f"{r['seconds']:.1f}",
            f"{r['articles_per_s']:.1f}",
            f"×{r['articles_per_s'] / base['articles_per_s']:.2f}",
            f"{r['client_cpu_ms']:.1f}",
            f"{r['server_cpu_ms']:.1f}" if r["backend"] != "sqlite" else "-",
            r["load"],
        ]
        for r in res["rows"]
    ]
    headers = ["store", "articles", "s", "articles/s", "vs SQLite", "client CPU ms/article"]
    headers += ["server CPU ms/article", "load (1 min)"]
    return markdown_table(headers, rows)


# -- search: bulk-loaded stores ------------------------------------------------------------------


def article_rows(records: list[Any], fetched: datetime) -> Iterator[tuple[Any, ...]]:
    """``bench/web.py``'s records as rows of the articles table (``TRANSFER_TABLES``)."""
    for i, r in enumerate(records, 1):
        when = datetime.fromtimestamp(r.published, tz=UTC)
        seen = when + timedelta(minutes=3)
        digest = hashlib.sha256(r.text.encode()).hexdigest()
        yield (
            i, r.url, r.url, r.source, r.source, r.title, r.author, when, None, seen, seen, seen,
            "en", r.category, r.category.lower(), "[]", "[]", None, "[]", r.text,
            len(r.text.split()), digest, 1, None, f"generated:{i}",
        )  # fmt: skip
    del fetched


def _location(backend: str, n: int, keep: Path, pg: Any) -> str:
    if backend == "sqlite":
        return str(keep / f"search-{n}.sqlite")
    return pg.url(f"search{n}")


def ensure_search_store(backend: str, n: int, args: argparse.Namespace, pg: Any) -> dict[str, Any]:
    from newsdesk import open_desk

    done = args.keep / f"search-{n}-{backend}.done"
    location = _location(backend, n, args.keep, pg)
    if done.exists() and (
        (backend == "sqlite" and Path(location).exists()) or (backend != "sqlite" and pg.exists(f"search{n}"))
    ):
        info: dict[str, Any] = json.loads(done.read_text())
        if "analyze_seconds" not in info:
            info["analyze_seconds"] = analyze(backend, location)
            done.write_text(json.dumps(info) + "\n")
        say(f"  reusing {backend} store of {n:,} articles (loaded in {info['load_seconds']:.0f} s)")
        return info
    done.unlink(missing_ok=True)
    if backend == "sqlite":
        for p in Path(location).parent.glob(Path(location).name + "*"):
            p.unlink()
    else:
        pg.database(f"search{n}")
    t0 = time.perf_counter()
    end = datetime(2026, 12, 1, tzinfo=UTC)
    records = web.generate(n, args.seed, end)
    gen = time.perf_counter() - t0
    say(f"  generated {len(records):,} records in {gen:.0f} s; loading into {backend}")
    l0, s0, c0, t0 = (
        load(),
        server_cpu(pg if backend != "sqlite" else None),
        time.process_time(),
        time.perf_counter(),
    )
    with open_desk(location) as desk:
        store: Any = desk._store
        with store.transaction():
            loaded = store.import_rows("articles", article_rows(records, end))
    t1 = time.perf_counter()
    info = {
        "analyze_seconds": analyze(backend, location),
        "backend": backend,
        "articles": loaded,
        "generate_seconds": round(gen, 1),
        "load_seconds": round(t1 - t0, 1),
        "load_client_cpu": round(time.process_time() - c0, 1),
        "load_server_cpu": round(server_cpu(pg if backend != "sqlite" else None) - s0, 1),
        "load": f"{l0}-{load()}",
    }
    if backend == "sqlite":
        info["bytes"] = sum(p.stat().st_size for p in Path(location).parent.glob(Path(location).name + "*"))
    else:
        import psycopg

        with psycopg.connect(location) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            info["bytes"] = int(row[0]) if row else 0
    done.write_text(json.dumps(info) + "\n")
    say(
        f"  loaded {loaded:,} articles into {backend} in {info['load_seconds']} s ({loaded / (t1 - t0):,.0f}/s)"
    )
    return info


def analyze(backend: str, location: str) -> float:
    """PostgreSQL's planner statistics after the bulk load (ANALYZE: what autovacuum would do
    within minutes, at a time of its choosing, so every run measures the same thing); seconds.
    Nothing on SQLite: the store runs no ANALYZE of its own, so its plans are those of a real
    store."""
    t0 = time.perf_counter()
    if backend != "sqlite":
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("ANALYZE")
    return round(time.perf_counter() - t0, 1)


def queries(n: int, seed: int, per_kind: int) -> list[tuple[str, str, Any]]:
    """(kind, query, filters): the same for every backend (drawn from the records themselves)."""
    from newsdesk.model import SearchFilters

    sample = web.generate(min(n, 20_000), seed, datetime(2026, 12, 1, tzinfo=UTC))
    rng = random.Random(seed + 15)
    common = ("government", "police", "market", "minister", "talks", "election", "company", "court")
    plain = set(web._COMMON) | set(web._VERBS) | set(web._GLUE)
    out: list[tuple[str, str, Any]] = []
    end = datetime(2026, 12, 1, tzinfo=UTC)
    for _ in range(per_kind):
        r = rng.choice(sample)
        words = [w.lower() for w in r.title.replace(":", " ").split() if w.isalpha() and len(w) >= 4]
        rare = [w for w in words if w not in plain] or words or ["talks"]
        text = [w for w in r.text.split() if w.isalpha() and w.islower() and len(w) > 3]
        k = rng.randrange(max(1, len(text) - 1))
        phrase = f'"{text[k]} {text[k + 1]}"' if len(text) > 1 else '"the talks"'
        made = {
            "common word": rng.choice(common),
            "rare word": rng.choice(rare),
            "two words": f"{rng.choice(rare)} {rng.choice(words or rare)}",
            "phrase": phrase,
        }
        for kind, q in made.items():
            out.append((kind, q, None))
            if rng.random() < 0.5:
                f = SearchFilters(source=r.source)
            else:
                f = SearchFilters(since=end - timedelta(days=7))
            out.append((kind + " + filter", q, f))
    return out


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return math.nan
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))]


def measure_search(location: str, qs: list[tuple[str, str, Any]]) -> dict[str, Any]:
    from newsdesk import open_desk
    from newsdesk.exceptions import NewsdeskError
    from newsdesk.web.pages import SEARCH_WINDOW

    times: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    hits = 0
    with open_desk(location, search_timeout=30) as desk:
        for _kind, q, f in qs[:8]:  # warm the caches
            with suppress(NewsdeskError):
                desk.search(q, f, window=None if f else SEARCH_WINDOW)
        for kind, q, f in qs:
            t0 = time.perf_counter()
            try:
                found = desk.search(q, f, window=None if f else SEARCH_WINDOW)
            except NewsdeskError as e:
                errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
                continue
            times.setdefault(kind, []).append(1000 * (time.perf_counter() - t0))
            hits += bool(found)
    every = [t for ts in times.values() for t in ts]
    return {
        "queries": len(qs),
        "with_hits": hits,
        "errors": errors,
        "p50_ms": _pct(every, 0.5),
        "p99_ms": _pct(every, 0.99),
        "max_ms": max(every, default=math.nan),
        "by_kind": {k: {"p50_ms": _pct(v, 0.5), "p99_ms": _pct(v, 0.99)} for k, v in times.items()},
    }


def part_search(args: argparse.Namespace, pg: Any) -> dict[str, Any]:
    rows = []
    for n in args.articles:
        qs = queries(n, args.seed, args.queries)
        for backend in args.backends:
            info = ensure_search_store(backend, n, args, pg)
            l0 = load()
            m = measure_search(_location(backend, n, args.keep, pg), qs)
            row = {"backend": backend, "articles": n, **info, **m, "search_load": f"{l0}-{load()}"}
            say(
                f"  {backend} at {n:,}: p50 {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms, "
                f"max {m['max_ms']:.0f} ms, {m['with_hits']}/{m['queries']} with hits, "
                f"errors {m['errors'] or 0}, load {row['search_load']}"
            )
            rows.append(row)
    return {"rows": rows}


def table_search(res: dict[str, Any]) -> str:
    rows = [
        [
            f"{r['articles']:,}",
            r["backend"],
            f"{r['load_seconds']:.0f}",
            f"{r['articles'] / r['load_seconds']:,.0f}",
            f"{r['bytes'] / 1e9:.2f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            f"{r['max_ms']:.0f}",
            f"{r['with_hits']}/{r['queries']}"
            + (f" ({sum(r['errors'].values())} err)" if r["errors"] else ""),
            r["search_load"],
        ]
        for r in res["rows"]
    ]
    headers = ["articles", "store", "bulk load s", "rows/s", "GB", "search p50 ms", "p99 ms", "max ms"]
    headers += ["with hits", "load (1 min)"]
    return markdown_table(headers, rows)


def table_search_kinds(res: dict[str, Any]) -> str:
    kinds = list(res["rows"][0]["by_kind"]) if res["rows"] else []
    rows = [
        [f"{r['articles']:,} {r['backend']}"]
        + [
            f"{r['by_kind'][k]['p50_ms']:.1f} / {r['by_kind'][k]['p99_ms']:.0f}" if k in r["by_kind"] else "-"
            for k in kinds
        ]
        for r in res["rows"]
    ]
    return markdown_table(["store", *kinds], rows)


# -- web ---------------------------------------------------------------------------------------------


def web_routes(location: str, seed: int, n: int = 300) -> dict[str, list[str]]:
    from urllib.parse import quote

    from newsdesk import open_desk

    rng = random.Random(seed)
    with open_desk(location) as desk:
        total = desk.stats().articles
        picked = [desk.get_article(rng.randint(1, total)).article for _ in range(n)]
    ids = [rng.randint(1, total) for _ in range(n)]
    words = sorted({w.lower() for a in picked for w in a.title.split() if w.isalpha() and len(w) >= 4})
    sources = sorted({a.source or "" for a in picked} - {""})
    cats = sorted({a.category or "" for a in picked} - {""})

    def filtered() -> str:
        roll = rng.random()
        if roll < 0.1:
            return f"/api/v1/articles?source=nobody-{rng.randint(1, 10**6)}.example"
        if roll < 0.4:
            return f"/api/v1/articles?category={quote(rng.choice(cats))}"
        if roll < 0.7:
            return f"/api/v1/articles?source={quote(rng.choice(sources).lower())}"
        return f"/api/v1/articles?source={quote(rng.choice(sources))}&category={quote(rng.choice(cats))}"

    return {
        "article /article/ID": [f"/article/{i}" for i in ids],
        "search /search?q=WORD": [f"/search?q={rng.choice(words)}" for _ in range(n)],
        "API /api/v1/articles": ["/api/v1/articles"] * n,
        "API /api/v1/articles?source=&category=": [filtered() for _ in range(n)],
        "feed /feeds/all.atom": ["/feeds/all.atom"] * n,
    }


def part_web(args: argparse.Namespace, work: Path, pg: Any) -> dict[str, Any]:
    n = min(args.articles)
    rows = []
    for backend in args.backends:
        ensure_search_store(backend, n, args, pg)
        location = _location(backend, n, args.keep, pg)
        routes = web_routes(location, args.seed)
        proc, base = web.start_server(location, 2, args.keep / f"serve-{backend}.log")
        try:
            for name, paths in routes.items():
                asyncio.run(web._open_loop(base, paths[:50], args.rate, 1.0))
                db_server = pg if backend != "sqlite" else None
                c0, s0, t0 = web.session_cpu(proc.pid), server_cpu(db_server), time.perf_counter()
                ol = asyncio.run(web._open_loop(base, paths, args.rate, args.web_seconds))
                c1, s1, t1 = web.session_cpu(proc.pid), server_cpu(db_server), time.perf_counter()
                row = {
                    "backend": backend,
                    "route": name,
                    "sent": ol.sent,
                    "p50_ms": ol.pct(0.5),
                    "p99_ms": ol.pct(0.99),
                    "max_ms": max(ol.latencies_ms, default=math.nan),
                    "errors": ol.errors,
                    "error_kinds": ol.error_kinds,
                    "server_cpu_ms": 1000 * (c1 - c0) / max(1, ol.sent),
                    "server_cores": (c1 - c0) / (t1 - t0),
                    "db_cpu_ms": 1000 * (s1 - s0) / max(1, ol.sent),
                    "load": load(),
                }
                say(
                    f"  {backend} {name:<40} p50 {row['p50_ms']:6.1f} ms, p99 {row['p99_ms']:7.1f} ms, "
                    f"{row['errors']} errors {row['error_kinds'] or ''}, serve CPU {row['server_cpu_ms']:.1f} ms/request, "
                    f"PostgreSQL CPU {row['db_cpu_ms']:.1f} ms/request, load {row['load']}"
                )
                rows.append(row)
        finally:
            web.stop_server(proc)
    return {"articles": n, "rate": args.rate, "seconds": args.web_seconds, "rows": rows}


def table_web(res: dict[str, Any]) -> str:
    by = {(r["backend"], r["route"]): r for r in res["rows"]}
    backends = sorted({r["backend"] for r in res["rows"]}, key=lambda b: b != "sqlite")
    routes = list(dict.fromkeys(r["route"] for r in res["rows"]))
    headers = ["route"]
    for b in backends:
        headers += [f"{b} p50 ms", f"{b} p99 ms", f"{b} errors", f"{b} CPU ms/req (serve + db)"]
    rows = []
    for route in routes:
        name, _, path = route.partition(" ")
        row = [f"`{path}` ({name})"]
        for b in backends:
            r = by.get((b, route))
            row += (
                [
                    f"{r['p50_ms']:.1f}",
                    f"{r['p99_ms']:.1f}",
                    f"{r['errors']}/{r['sent']}",
                    f"{r['server_cpu_ms']:.1f}" + (f" + {r['db_cpu_ms']:.1f}" if r.get("db_cpu_ms") else ""),
                ]
                if r
                else ["-"] * 4
            )
        rows.append(row)
    return markdown_table(headers, rows)


# -- collectors --------------------------------------------------------------------------------------


def collect(location: str, tmp: Path, room: newsroom.Newsroom, collectors: int, pg: Any) -> dict[str, Any]:
    """Serve ``room`` round by round to ``collectors`` watching collectors; the figures."""
    from tests._server import Reply, Request, running

    from newsdesk import open_desk

    tmp.mkdir(parents=True, exist_ok=True)
    state = {"round": 0}
    with running() as server:
        port = server.port

        def feed(outlet: int) -> Any:
            def reply(_req: Request) -> Reply:
                return Reply(
                    body=room.feed(outlet, state["round"], port),
                    content_type="application/rss+xml; charset=utf-8",
                )

            return reply

        for outlet in range(room.outlets):
            server.add(room.feed_path(), feed(outlet), host=room.host(outlet))
        opml = tmp / "room.opml"
        opml.write_text(room.opml(port))
        with open_desk(location, data_dir=str(tmp)) as desk:
            desk.import_opml(opml)

        def wanted(upto: int) -> dict[str, int]:
            return room.expected(port, upto)

        env = newsroom.collector_env(tmp)
        l0, cc0, s0, t0 = load(), children_cpu(), server_cpu(pg), time.perf_counter()
        procs = []
        for k in range(collectors):
            with (tmp / f"collector-{k}.log").open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "newsdesk", "--db", location, "update", "--watch"],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        # A background job of a shell ignores SIGINT, and so would its children:
                        # a collector stops on SIGINT, so give it the default back.
                        preexec_fn=_default_sigint,
                    )
                )
        twice = 0
        rounds: list[float] = []
        try:
            for rnd in range(len(room.rounds)):
                state["round"] = rnd
                want = wanted(rnd)
                r0 = time.perf_counter()
                while True:
                    have = newsroom.stored_versions(location)
                    twice += sum(1 for u in have if have[u] > want.get(u, 99))
                    if have == want:
                        break
                    if time.perf_counter() - r0 > 300:
                        raise SystemExit(
                            f"round {rnd}: {len(set(want) - set(have))} reports missing after 300 s"
                        )
                    time.sleep(0.25)
                rounds.append(time.perf_counter() - r0)
            wall = time.perf_counter() - t0
            cpu = sum(process_cpu(p.pid) for p in procs)  # before stopping: the work itself
            server = server_cpu(pg) - s0
        finally:
            stopping = time.perf_counter()
            for p in procs:
                p.send_signal(signal.SIGINT)
            for p in procs:
                try:
                    p.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        stop = time.perf_counter() - stopping
        final = newsroom.stored_versions(location)
        return {
            "collectors": collectors,
            "reports": len(final),
            "versions": sum(final.values()),
            "exactly_once": final == wanted(len(room.rounds) - 1) and twice == 0,
            "wall_seconds": wall,
            "round_seconds": rounds,
            "collector_cpu": cpu,
            "collector_cpu_with_stop": children_cpu() - cc0,
            "server_cpu": server,
            "stop_seconds": stop,
            "load": f"{l0}-{load()}",
        }


def part_collectors(args: argparse.Namespace, work: Path, pg: Any) -> dict[str, Any]:
    room = newsroom.build(outlets=args.outlets, events=args.events, seed=7)
    rows = []
    for backend in args.backends:
        for n in (1, 4):
            if backend == "sqlite":
                location = f"sqlite:///{work / f'collect-{n}.sqlite'}"
            else:
                location = pg.database(f"collect{n}")
            r = collect(
                location, work / f"collect-{backend}-{n}", room, n, pg if backend != "sqlite" else None
            )
            r["backend"] = backend
            say(
                f"  {backend}, {n} collector(s): {r['reports']} reports ({r['versions']} versions) in "
                f"{r['wall_seconds']:.1f} s (rounds {', '.join(f'{x:.1f}' for x in r['round_seconds'])}), "
                f"collectors' CPU {r['collector_cpu']:.1f} s, server {r['server_cpu']:.1f} s, "
                f"stopped in {r['stop_seconds']:.1f} s, "
                f"each once: {r['exactly_once']}, load {r['load']}"
            )
            rows.append(r)
    return {"outlets": args.outlets, "events": args.events, "rows": rows}


def table_collectors(res: dict[str, Any]) -> str:
    rows = [
        [
            r["backend"],
            f"{r['collectors']}",
            f"{r['reports']} ({r['versions']})",
            f"{r['wall_seconds']:.1f}",
            " / ".join(f"{x:.1f}" for x in r["round_seconds"]),
            f"{r['collector_cpu']:.1f}",
            f"{r['server_cpu']:.1f}" if r["backend"] != "sqlite" else "-",
            "yes" if r["exactly_once"] else "**no**",
            r["load"],
        ]
        for r in res["rows"]
    ]
    headers = ["store", "collectors", "reports (versions)", "wall s", "per round s", "collectors' CPU s"]
    headers += ["server CPU s", "each stored once", "load (1 min)"]
    return markdown_table(headers, rows)


# -- main ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default=",".join(PARTS))
    ap.add_argument("--articles", default="100000,1000000", help="search store sizes, comma-separated")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pages", type=int, default=2400, help="generated pages of the parallel phase")
    ap.add_argument("--ingest-pages", type=int, default=1000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--chunk", type=int, default=50, help="WARC records per partition")
    ap.add_argument("--queries", type=int, default=25, help="queries of each kind")
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--web-seconds", type=float, default=10.0)
    ap.add_argument("--outlets", type=int, default=200)
    ap.add_argument("--events", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=DEFAULT_KEEP, help="stores and pages kept between runs")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    parts = [p for p in args.parts.split(",") if p]
    if unknown := set(parts) - set(PARTS):
        ap.error(f"unknown parts: {', '.join(sorted(unknown))}")
    args.articles = [int(x) for x in args.articles.split(",") if x]
    args.backends = [b for b in args.backends.split(",") if b]
    args.workers = [int(x) for x in args.workers.split(",") if x]
    args.keep = args.keep.absolute()
    args.keep.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSDESK_PROGRESS"] = "false"
    # Stopped with SIGTERM (or SIGINT, which a background job ignores): still stop PostgreSQL.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    m = machine()
    say(machine_line(m))
    load_before = os.getloadavg()
    say(f"Load average before: {', '.join(f'{x:.2f}' for x in load_before)}")
    result: dict[str, Any] = {"machine": m, "load_before": load_before, "settings": {"parts": parts}}
    tables: list[tuple[str, str]] = []
    work = args.keep / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    needs_pg = "postgresql" in args.backends and bool(set(parts) - {"parallel"})
    with postgres(args.keep) if needs_pg else _nothing() as pg:
        for part in parts:
            say(f"\n== {part} (load {load()})")
            t0 = time.perf_counter()
            if part == "parallel":
                res = part_parallel(args, work)
                tables.append(("parallel phase", table_parallel(res)))
            elif part == "ingest":
                res = part_ingest(args, work, pg)
                tables.append(("ingest", table_ingest(res)))
            elif part == "search":
                res = part_search(args, pg)
                tables += [
                    ("search", table_search(res)),
                    ("search by kind (p50 / p99 ms)", table_search_kinds(res)),
                ]
            elif part == "web":
                res = part_web(args, work, pg)
                tables.append((f"web at {args.rate:.0f} requests/s", table_web(res)))
            else:
                res = part_collectors(args, work, pg)
                tables.append(("collectors", table_collectors(res)))
            res["part_seconds"] = round(time.perf_counter() - t0, 1)
            result[part] = res
            if args.json:  # after each part: a run cut short keeps what it measured
                args.json.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    load_after = os.getloadavg()
    result["load_after"] = load_after
    say("")
    say(machine_line(m))
    for title, text in tables:
        say(f"\n{title}\n\n{text}")
    say(
        f"\nLoad average before {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after {', '.join(f'{x:.2f}' for x in load_after)} (1, 5, 15 min)."
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    sys.exit(main())
