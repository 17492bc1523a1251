"""Extraction's budget: what pages cost to extract, by size and shape, and what the budget does.

    .venv/bin/python -m bench.budget [--parts real,shapes,budget,transport,update] [--json FILE]

Parts (each prints a table; ``--parts`` picks some):

* ``real``: the real pages at hand (the extraction benchmark's 90 pages and the 110 "wild" pages of
  ../shared/data): bytes, elements (opening tags, as ``_budget.measure`` counts them), CPU seconds of
  ``extract`` in this process, and how many fall within the inline limits.
* ``shapes``: CPU seconds of ``extract`` in this process on generated pages of 5,000 to 40,000
  elements of several shapes (short paragraphs, sentence paragraphs, nested divs, link lists,
  tables, line breaks) and on 2 and 8 MB pages of few elements: what decides the limits.
* ``budget``: the pathological pages that motivated the budget (100,000, 200,000 and 1,000,000
  short paragraphs) through ``Extractor`` with the default settings (refused unparsed), then with the
  size limits lifted (stopped at ``extract_timeout``): outcome and wall seconds.
* ``transport``: what sending a page to a worker costs: pickling a Fetched and its Article both ways
  against extraction time, on the real pages and on large ones; the real pages extracted in a worker
  against in process (the whole round trip), and a worker's start-up.
* ``update``: ``Desk.update`` against a local server (tests/_server.py, in a child process): one
  feed whose two entries lead to pages of 200,000 paragraphs next to five feeds of ten full-text
  entries; total seconds and when each normal feed was done. Uses only settings every version
  has, so it can run against an older newsdesk (``PYTHONPATH=old/src``) for a before/after.

Only the standard library and newsdesk (plus trafilatura through it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import multiprocessing
import pickle
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import eval_data, machine, machine_line, markdown_table

PARTS = ("real", "shapes", "budget", "transport", "update")
_WORDS = "council harbour bridge engineers ferry budget minister river storm market shares factory".split()
_HEAD = '<!doctype html><html lang="en"><head><title>Big page</title></head><body><article><h1>Big page</h1>'
_TAIL = "</article></body></html>"
URL = "https://bench.example/world/2026/03/01/a-long-page"


def _sentence(rng: random.Random, k: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(k))


def short_paragraphs(n: int) -> bytes:
    """``n`` paragraphs of two words: the pages of the issue (200,000 of them are 2.7 MB)."""
    return (_HEAD + "".join(f"<p>word {i}</p>" for i in range(n)) + _TAIL).encode()


def shape(name: str, n: int, rng: random.Random) -> bytes:
    """A page of about ``n`` elements of one shape."""
    s = _sentence
    parts = {
        "short <p>": lambda: "".join(f"<p>word {i}</p>" for i in range(n)),
        "sentence <p>": lambda: "".join(f"<p>{s(rng, 20)}.</p>" for _ in range(n)),
        "nested <div>": lambda: "".join(
            f"<div><div><span>{s(rng, 3)} {i}</span></div></div>" for i in range(n // 3)
        ),
        "link list": lambda: (
            "<ul>"
            + "".join(f'<li><a href="/a/{i}">{s(rng, 5)} {i}</a></li>' for i in range(n // 2))
            + "</ul>"
        ),
        "table": lambda: (
            "<table>"
            + "".join(f"<tr><td>{i}</td><td>{s(rng, 4)}</td></tr>" for i in range(n // 3))
            + "</table>"
        ),
        "<br> lines": lambda: "<p>" + "".join(f"{s(rng, 6)}<br>" for _ in range(n)) + "</p>",
    }
    return (_HEAD + parts[name]() + _TAIL).encode()


def few_elements(name: str, megabytes: int, rng: random.Random) -> bytes:
    """A page of few elements and many bytes: one long paragraph, or a long inline script."""
    n = megabytes * 1_000_000
    article = "".join(f"<p>{_sentence(rng, 40)}.</p>" for _ in range(10))
    if name == "one long <p>":
        return (
            _HEAD + "<p>" + " ".join(_sentence(rng, 20) + "." for _ in range(n // 150)) + "</p>" + _TAIL
        ).encode()
    return (
        _HEAD.replace("</head>", "<script>var x='" + "a" * n + "';</script></head>") + article + _TAIL
    ).encode()


def _cpu(fn: Any) -> tuple[float, Any]:
    c0 = time.process_time()
    out = fn()
    return time.process_time() - c0, out


def _pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def real_pages() -> list[tuple[str, str, bytes]]:
    out = []
    for p in sorted(eval_data("extraction", "html").glob("*.html.gz")):
        out.append(("extraction benchmark", p.name, gzip.decompress(p.read_bytes())))
    for p in sorted(eval_data("wild", "pages", "trafilatura-cache").glob("*.html")):
        out.append(("wild", p.name, p.read_bytes()))
    return out


# -- parts -----------------------------------------------------------------------------------------


def part_real() -> dict[str, Any]:
    from newsdesk._budget import Budget, measure
    from newsdesk.extract import extract_html

    pages = real_pages()
    if not pages:
        print(f"no real pages under {eval_data()}: skipped\n")
        return {"note": f"no real pages under {eval_data()}"}
    extract_html(pages[0][2], URL)  # load what loads on first use (language model)
    budget = Budget()
    rows, figures = [], {}
    for corpus in sorted({c for c, _, _ in pages}):
        mine = [(n, b) for c, n, b in pages if c == corpus]
        sizes = [measure(b) for _, b in mine]
        secs = []
        for _, body in mine:
            try:
                secs.append(_cpu(lambda body=body: extract_html(body, URL))[0])
            except ValueError:  # a parser bug one page triggers (ingest rejects it): not timed here
                secs.append(float("nan"))
        ok = [s for s in secs if s == s]
        inline = sum(
            1 for z in sizes if z.bytes <= budget.inline_bytes and z.elements <= budget.inline_elements
        )
        f = {
            "pages": len(mine),
            "bytes": [statistics.median(z.bytes for z in sizes), max(z.bytes for z in sizes)],
            "elements": [statistics.median(z.elements for z in sizes), max(z.elements for z in sizes)],
            "seconds": [statistics.median(ok), _pct(ok, 0.99), max(ok)],
            "within_inline_limits": inline,
        }
        figures[corpus] = f
        rows.append(
            [
                corpus,
                str(len(mine)),
                f"{f['bytes'][0] / 1e3:.0f} KB / {f['bytes'][1] / 1e6:.2f} MB",
                f"{f['elements'][0]:,.0f} / {f['elements'][1]:,}",
                f"{1000 * f['seconds'][0]:.0f} / {1000 * f['seconds'][1]:.0f} / {1000 * f['seconds'][2]:.0f}",
                f"{inline} of {len(mine)}",
            ]
        )
    big = short_paragraphs(1_000_000)
    t0 = time.perf_counter()
    for _ in range(10):
        measure(big)
    figures["measure_ms_per_mb"] = (time.perf_counter() - t0) / 10 * 1000 / (len(big) / 1e6)
    print(
        markdown_table(
            [
                "real pages",
                "pages",
                "bytes (median / max)",
                "elements (median / max)",
                "extract CPU ms (median / p99 / max)",
                "within inline limits",
            ],
            rows,
        )
    )
    print(f"\nmeasure(): {figures['measure_ms_per_mb']:.2f} ms per MB (two bytes.count passes)\n")
    return figures


def part_shapes() -> dict[str, Any]:
    from newsdesk.extract import extract_html

    rng = random.Random(1)
    extract_html(_HEAD + "<p>" + _sentence(rng, 100) + "</p>" + _TAIL, URL)
    sizes = (5_000, 10_000, 20_000, 40_000)
    names = ("short <p>", "sentence <p>", "nested <div>", "link list", "table", "<br> lines")
    figures: dict[str, Any] = {}
    rows = []
    for name in names:
        secs, mbs = [], []
        for n in sizes:
            body = shape(name, n, rng)
            secs.append(_cpu(lambda body=body: extract_html(body, URL))[0])
            mbs.append(len(body) / 1e6)
        figures[name] = {"elements": list(sizes), "seconds": secs, "mb": mbs}
        exponent = math.log2(secs[-1] / secs[-2])
        rows.append(
            [name, *(f"{s:.2f} ({m:.1f} MB)" for s, m in zip(secs, mbs, strict=True)), f"{exponent:.1f}"]
        )
    print(markdown_table(["shape", *(f"{n:,} elements" for n in sizes), "exponent 20k→40k"], rows))
    rows = []
    for name in ("one long <p>", "inline script"):
        cells = []
        for mb in (2, 8):
            body = few_elements(name, mb, rng)
            sec, result = _cpu(lambda body=body: extract_html(body, URL))
            cells.append(f"{sec:.2f} ({type(result).__name__})")
            figures[f"{name} {mb} MB"] = sec
        rows.append([name, *cells])
    print()
    print(markdown_table(["few elements, many bytes", "2 MB", "8 MB"], rows))
    print()
    return figures


def part_budget() -> dict[str, Any]:
    from newsdesk._budget import Budget, Extractor
    from newsdesk.model import Fetched

    figures: dict[str, Any] = {}
    rows = []
    for label, budget in (
        ("defaults", Budget()),
        ("size limits lifted", Budget(max_bytes=10**9, max_elements=10**9)),
    ):
        extractor = Extractor(budget, min_words=60)
        try:
            for n in (100_000, 200_000, 1_000_000):
                body = short_paragraphs(n)
                doc = Fetched(url=URL, body=body, origin=f"{n}-paragraphs.html")
                t0 = time.perf_counter()
                result = extractor.extract(doc)
                took = time.perf_counter() - t0
                reason = getattr(result, "reason", None)
                outcome = reason.value if reason is not None else "article"
                figures[f"{label} {n}"] = {"seconds": took, "outcome": outcome}
                rows.append(
                    [
                        label,
                        f"{n:,} <p> ({len(body) / 1e6:.1f} MB)",
                        outcome,
                        f"{took:.2f}",
                        getattr(result, "detail", ""),
                    ]
                )
        finally:
            extractor.close()
    print(markdown_table(["budget", "page", "outcome", "wall s", "detail"], rows))
    print()
    return figures


def part_transport() -> dict[str, Any]:
    from newsdesk._budget import Budget, Extractor, run
    from newsdesk.model import Fetched

    def extract(doc: Fetched) -> Any:  # as ingest runs it: a parser bug on a page is a rejection
        return run(doc, 60)

    pages = [b for _, _, b in real_pages()]
    rng = random.Random(2)
    large = [shape("sentence <p>", 12_000, rng), shape("sentence <p>", 40_000, rng)]
    figures: dict[str, Any] = {}
    rows = []
    for label, bodies in (("real pages", pages), ("sentence <p> pages of 12,000 and 40,000", large)):
        if not bodies:
            continue
        pickling = extracting = 0.0
        for i, body in enumerate(bodies):
            doc = Fetched(url=URL, body=body, origin=f"p{i}")
            extracting += _cpu(lambda doc=doc: extract(doc))[0]
            result = extract(doc)
            t0 = time.perf_counter()
            for obj in (doc, result):
                pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
            pickling += time.perf_counter() - t0
        figures[label] = {"pickle_s": pickling, "extract_s": extracting, "pages": len(bodies)}
        rows.append(
            [
                label,
                str(len(bodies)),
                f"{1000 * pickling / len(bodies):.2f}",
                f"{1000 * extracting / len(bodies):.1f}",
                f"{pickling / extracting:.2%}",
            ]
        )
    print(
        markdown_table(
            ["pages", "n", "pickle both ways ms/page", "extract CPU ms/page", "pickling / extraction"], rows
        )
    )
    if pages:
        docs = [Fetched(url=URL, body=b, origin=f"p{i}") for i, b in enumerate(pages)]
        worker = Extractor(Budget(inline_bytes=0), min_words=60)
        try:
            t0 = time.perf_counter()
            worker.extract(docs[0])
            start_up = time.perf_counter() - t0
            for d in docs:  # a first pass for what loads on first use, on both sides
                worker.extract(d)
                extract(d)
            in_worker = here = 0.0
            for d in docs:  # then page by page, one way then the other: the machine's noise hits both
                t0 = time.perf_counter()
                worker.extract(d)
                t1 = time.perf_counter()
                extract(d)
                in_worker, here = in_worker + t1 - t0, here + time.perf_counter() - t1
        finally:
            worker.close()
        figures["round_trip"] = {
            "worker_s": in_worker,
            "inline_s": here,
            "start_up_s": start_up,
            "pages": len(docs),
        }
        print(
            f"\n{len(docs)} real pages: {here:.2f} s in process, {in_worker:.2f} s through a worker "
            f"(x{in_worker / here:.2f}: {1000 * (in_worker - here) / len(docs):.1f} ms a page for the "
            f"round trip); a worker's start-up with its first page: {start_up:.2f} s\n"
        )
    return figures


def _serve_update(paragraphs: int, ready: Any, stop: Any) -> None:
    from tests._server import Reply, Server

    server = Server()
    server.start()
    host = "slow.bench.example"
    items = []
    for i in range(2):
        path = f"/endless/{i}"
        server.add(path, Reply(body=short_paragraphs(paragraphs)), host=host)
        items.append(f"<item><title>Endless {i}</title><link>http://{host}:{server.port}{path}</link></item>")
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>{"".join(items)}</channel></rss>'
    server.add("/rss.xml", Reply(body=rss.encode(), content_type="application/rss+xml"), host=host)
    rng = random.Random(3)
    for f in range(5):
        host = f"feed{f}.bench.example"
        entries = "".join(
            f"<item><title>Story {f}-{i}</title><link>http://{host}/s/{i}</link>"
            f"<pubDate>Wed, 11 Mar 2026 10:{i:02d}:00 +0000</pubDate><content:encoded><![CDATA["
            + "".join(f"<p>{_sentence(rng, 40).capitalize()}.</p>" for _ in range(5))
            + "]]></content:encoded></item>"
            for i in range(10)
        )
        rss = (
            '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Feed {f}</title>{entries}</channel></rss>"
        )
        server.add("/rss.xml", Reply(body=rss.encode(), content_type="application/rss+xml"), host=host)
    ready.put(server.port)
    stop.wait()
    server.stop()


def part_update() -> dict[str, Any]:
    """Two scenarios: the issue's pages (200,000 paragraphs, refused by size now), and pages of
    40,000 paragraphs (within the size limits, seconds each) with extract_timeout 2 s."""
    import newsdesk.config

    figures = {"200,000 <p>": _update(200_000, {})}
    timeout = {"extract_timeout": 2.0} if hasattr(newsdesk.config.Config, "extract_timeout") else {}
    figures["40,000 <p>"] = _update(40_000, timeout)
    return figures


def _update(paragraphs: int, more: dict[str, Any]) -> dict[str, Any]:
    from newsdesk import open_desk
    from newsdesk.model import FoundSource, SourceKind

    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Queue(), ctx.Event()
    child = ctx.Process(target=_serve_update, args=(paragraphs, ready, stop), daemon=True)
    child.start()
    port = ready.get(timeout=120)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = {
                "data_dir": tmp,
                "host_overrides": "*.bench.example=127.0.0.1",
                "allow_private_addresses": True,
                "per_host_delay": 0,
                "progress": False,
                **more,
            }
            done: dict[str, float] = {}
            with open_desk(Path(tmp) / "u.sqlite", **settings) as desk:
                hosts = ["slow", *(f"feed{f}" for f in range(5))]
                desk.ingest_items(
                    [
                        FoundSource(kind=SourceKind.FEED, url=f"http://{h}.bench.example:{port}/rss.xml")
                        for h in hosts
                    ]
                )
                t0 = time.perf_counter()

                def progress(result: Any, _n: int, _total: int) -> None:
                    done[result.url.split("//")[1].split(".")[0]] = time.perf_counter() - t0

                report = desk.update(progress=progress)
                total = time.perf_counter() - t0
                rejected = {r.url: (r.reason.value, r.detail) for r in desk.rejections()}
    finally:
        stop.set()
        child.join(timeout=30)
    normal = [v for k, v in done.items() if k != "slow"]
    print(
        f"update, a feed of two pages of {paragraphs:,} paragraphs{' and ' + str(more) if more else ''} "
        f"beside five feeds of ten articles: {total:.1f} s in all; the five normal feeds done after "
        f"{min(normal):.1f}-{max(normal):.1f} s, the slow one after {done.get('slow', float('nan')):.1f} s; "
        f"{report.new} new articles; the pages: {sorted(v[0] for v in rejected.values()) or 'stored'}\n"
    )
    return {"seconds": total, "done": done, "new": report.new, "rejected": rejected}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of: {', '.join(PARTS)}")
    ap.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = ap.parse_args()
    logging.getLogger("newsdesk").setLevel(logging.ERROR)  # a page's rejection is no news here
    print(machine_line(machine()))
    print()
    figures: dict[str, Any] = {"machine": machine()}
    for part in args.parts.split(","):
        print(f"## {part}\n", flush=True)
        figures[part] = globals()[f"part_{part}"]()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
