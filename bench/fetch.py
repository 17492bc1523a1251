"""Fetching benchmark: a first full ``newsdesk update`` of many feeds, then a second one when nothing
changed.

    .venv/bin/python -m bench.fetch [--feeds 200] [--entries 50] [--json FILE] [--seed 1]

1. A child process serves ``--feeds`` feeds of ``--entries`` entries each on 127.0.0.1, one virtual
   host per feed (``feedNNN.bench.example``, pointed at 127.0.0.1 with ``host_overrides``). Half the
   feeds carry each article's full text (``content:encoded``); the other half carry a summary, so
   each of their entries costs a page fetch. Feeds and pages answer conditional requests (ETag and
   Last-Modified -> 304) and are gzip-compressed when the client accepts it, as real servers do.
2. A fresh desk adds the feeds and runs ``update``: articles/s, requests, bytes, seconds.
3. ``update`` again over every source (forced: none is due yet). Nothing changed, so it should be
   one 304 per feed and nothing else: its cost in requests, bytes and seconds against the first.

The server runs in its own process so that serving does not compete with the desk for the GIL. Every
fetched feed and page is archived as WARC, as in normal use. Only the standard library and newsdesk.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import machine, machine_line

_VOCAB = (
    "council harbour bridge engineers ferry budget minister river storm market shares factory workers "
    "union strike league coach season match goals election voters survey museum festival hospital "
    "patients doctors school pupils teachers train station airport flights farmers harvest prices "
    "energy wind solar grid police court judge ruling company profits"
).split()


def _paragraphs(rng: random.Random, i: int) -> list[str]:
    return [
        f"Report {i} paragraph {p}: " + " ".join(rng.choice(_VOCAB) for _ in range(rng.randint(30, 50))) + "."
        for p in range(6)
    ]


def _page(host: str, port: int, i: int, title: str, paras: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="http://{host}:{port}/a/{i}">
<meta property="og:type" content="article"><meta property="article:section" content="world">
<meta property="article:published_time" content="2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>{title}</h1>{body}</article>
<aside>Most read: <a href="/a/1">One</a> <a href="/a/2">Two</a></aside><footer>Bench News</footer></body></html>""".encode()


def _feed(
    host: str, port: int, n: int, entries: int, full: bool, rng: random.Random, pages: dict[str, bytes]
) -> bytes:
    items = []
    for e in range(entries):
        i = n * entries + e
        title = f"Bench story {i} about the {rng.choice(_VOCAB)} and the {rng.choice(_VOCAB)}"
        paras = _paragraphs(rng, i)
        link = f"http://{host}:{port}/a/{i}"
        content = ""
        if full:
            content = (
                "<content:encoded><![CDATA[" + "".join(f"<p>{p}</p>" for p in paras) + "]]></content:encoded>"
            )
        else:
            pages[f"{host}/a/{i}"] = _page(host, port, i, title, paras)
        items.append(
            f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>Wed, 11 Mar 2026 {e % 24:02d}:00:00 +0000</pubDate>"
            f"<description>{paras[0][:160]}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Bench feed {n}</title><link>http://{host}:{port}/</link><ttl>30</ttl>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def _serve(feeds: int, entries: int, seed: int, ready: Any, stop: Any) -> None:
    from tests._server import Reply, Server

    server = Server()
    server.start()
    rng = random.Random(seed)
    pages: dict[str, bytes] = {}
    for n in range(feeds):
        host = f"feed{n:03d}.bench.example"
        body = _feed(host, server.port, n, entries, n % 2 == 0, rng, pages)
        server.add("/rss.xml", Reply(body=body, content_type="application/rss+xml", gzip=True), host=host)
    for key, body in pages.items():
        host, path = key.split("/", 1)
        server.add("/" + path, Reply(body=body, gzip=True), host=host)
    ready.put(server.port)
    stop.wait()
    ready.put(len(server.log))
    server.stop()


def run(feeds: int, entries: int, seed: int) -> dict[str, Any]:
    from newsdesk import open_desk
    from newsdesk.model import FoundSource, SourceKind

    ctx = multiprocessing.get_context("fork")
    ready = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=_serve, args=(feeds, entries, seed, ready, stop), daemon=True)
    child.start()
    port = ready.get(timeout=120)
    out: dict[str, Any] = {"feeds": feeds, "entries_per_feed": entries, "full_text_feeds": (feeds + 1) // 2}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = {
                "data_dir": tmp,
                "host_overrides": "*.bench.example=127.0.0.1",
                "allow_private_addresses": True,
                "per_host_delay": 0,
                "per_host_concurrency": 4,
                "concurrency": 32,
                "max_pages_per_update": entries,
                "progress": False,
            }
            with open_desk(Path(tmp) / "bench.sqlite", **settings) as desk:
                desk.ingest_items(
                    [
                        FoundSource(
                            kind=SourceKind.FEED, url=f"http://feed{n:03d}.bench.example:{port}/rss.xml"
                        )
                        for n in range(feeds)
                    ]
                )
                t0 = time.perf_counter()
                first = desk.update()
                t1 = time.perf_counter()
                ids = [s.id for s in desk.sources()]
                t2 = time.perf_counter()
                second = desk.update(sources=ids)
                t3 = time.perf_counter()
                articles = desk.stats().articles
            warc_bytes = sum(p.stat().st_size for p in (Path(tmp) / "warc").glob("*.warc.gz"))
            db_bytes = (Path(tmp) / "bench.sqlite").stat().st_size
    finally:
        stop.set()
        served = ready.get(timeout=60)
        child.join(timeout=30)
    f, s = first.as_dict(), second.as_dict()
    out.update(
        {
            "articles": articles,
            "first": {
                "seconds": round(t1 - t0, 2),
                "new": f["new"],
                "failed": f["failed"],
                "pages_fetched": f["pages_fetched"],
                "requests": f["requests"],
                "bytes": f["bytes_received"],
                "articles_per_s": round(f["new"] / (t1 - t0), 1),
            },
            "second": {
                "seconds": round(t3 - t2, 3),
                "new": s["new"],
                "not_modified": s["not_modified"],
                "requests": s["requests"],
                "bytes": s["bytes_received"],
                "pages_fetched": s["pages_fetched"],
            },
            "served_requests": served,
            "warc_bytes": warc_bytes,
            "db_bytes": db_bytes,
        }
    )
    out["second_cheaper_by"] = {
        "time": round((t1 - t0) / max(t3 - t2, 1e-9), 1),
        "requests": round(f["requests"] / max(s["requests"], 1), 1),
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--entries", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = ap.parse_args()
    r = run(args.feeds, args.entries, args.seed)
    r["machine"] = machine()
    f, s = r["first"], r["second"]
    print(machine_line(r["machine"]))
    print(
        f"\n{r['feeds']} feeds x {r['entries_per_feed']} entries ({r['full_text_feeds']} with full text, "
        f"the rest summaries whose pages are fetched)\n"
    )
    print(
        "| update | seconds | new articles | articles/s | requests | 304s | pages fetched | bytes received |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| first (empty desk) | {f['seconds']} | {f['new']} | {f['articles_per_s']} | {f['requests']} | 0 | "
        f"{f['pages_fetched']} | {f['bytes']:,} |"
    )
    print(
        f"| second (nothing changed) | {s['seconds']} | {s['new']} | - | {s['requests']} | {s['not_modified']} | "
        f"{s['pages_fetched']} | {s['bytes']:,} |"
    )
    c = r["second_cheaper_by"]
    print(
        f"\nSecond update: {c['time']}x faster, {c['requests']}x fewer requests. "
        f"Failures in the first: {f['failed']}. Server saw {r['served_requests']} requests in all. "
        f"WARC archive {r['warc_bytes']:,} bytes, database {r['db_bytes']:,} bytes."
    )
    if args.json:
        args.json.write_text(json.dumps(r, indent=2), encoding="utf-8")
    ok = s["not_modified"] == r["feeds"] and s["requests"] == r["feeds"] and c["time"] >= 20
    if not ok:
        print("FAILED: the second update was not almost all 304s or not 20 times cheaper")
        sys.exit(1)


if __name__ == "__main__":
    main()
