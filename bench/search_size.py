"""Search time against the size of one stored article.

    .venv/bin/python -m bench.search_size [--sizes 0.25,0.5,1,2,4] [--repeat 3] [--give-up 60]
        [--script latin|chinese] [--json FILE]

For each size (in MB of text), a fresh store holds one generated article of that size (written
with ``SQLiteStore.save_article``, as a store made before ``max_article_chars`` may hold one) and
ten ordinary articles of about 3,000 characters. Then ``Desk.search`` is timed (the best of
``--repeat`` runs, wall and CPU) for:

- ``common``: a word about every tenth word of the huge article (and of the small ones), so the
  number of matches in one article grows with its size;
- ``rare``: a word found once, in the middle of the huge article.

With ``--script chinese`` the texts are Chinese (generated from 2,000 common characters, the
sizes in MB of UTF-8), the common word is two characters about every tenth word and the rare one
three characters found once: the substring index (schema 8) and its snippets. Versions before
schema 8 find neither.

The search returns the huge article with its snippet; the figure is the whole call (ranking,
reading the rows and making the snippets). A size whose previous size took more than
``--give-up`` seconds is skipped (the old code grows with the square of the size).

``--abandoned N`` measures instead what searches whose clients hang up cost the server: a store of
1,000,000 short articles (one ``INSERT ... SELECT``) served by ``newsdesk serve`` in a child
process; N clients at once ask ``/search`` for a word in every article, filtered by source (so
every match is ranked, about 1.5 s here), and hang up after ``--client-timeout`` seconds; then the
server's CPU time (``/proc``) is read until it stops growing: how long and how much CPU the
abandoned searches went on using.

Only the standard library and newsdesk, so the same script measures an older checkout:
``PYTHONPATH=/tmp/old/src .venv/bin/python -m bench.search_size``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench._common import machine, machine_line, markdown_table

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WORDS = {"latin": ("epsilon", "zanzibarite"), "chinese": ("地震", "钱塘江")}


def _vocabulary(rng: random.Random, script: str) -> list[str]:
    if script == "chinese":  # 1-3 characters of a set that leaves out those of WORDS
        chars = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
        return ["".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 3)))) for _ in range(3000)]
    letters = "abcdefghijklmnoprstuvw"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(3000)]


def generated_text(size: int, rng: random.Random, *, rare: bool, script: str = "latin") -> str:
    """Sentences of 8-20 words from a fixed vocabulary, about one word in ten the common word;
    with ``rare``, the rare word once in the middle. ``size`` in bytes of UTF-8."""
    common, rare_word = WORDS[script]
    vocab = _vocabulary(rng, script)
    chinese = script == "chinese"
    parts: list[str] = []
    total = 0
    while total < size:
        words = [common if rng.random() < 0.1 else rng.choice(vocab) for _ in range(rng.randint(8, 20))]
        sentence = "".join(words) + "。" if chinese else " ".join(words).capitalize() + ". "
        parts.append(sentence)
        total += len(sentence.encode("utf-8"))
    text = "".join(parts)
    text = text[: len(text) * size // total]
    if rare:
        middle = text.find("。" if chinese else " ", len(text) // 2) + 1
        text = text[:middle] + (rare_word if chinese else f"{rare_word} ") + text[middle:]
    return text


def build(path: Path, mb: float, seed: int, script: str) -> None:
    from newsdesk.model import Article
    from newsdesk.store import SQLiteStore

    rng = random.Random(seed)
    store = SQLiteStore(str(path))
    try:
        for i in range(10):
            url = f"https://small.example/{i}"
            text = generated_text(3000, rng, rare=False, script=script)
            store.save_article(
                Article(url=url, canonical_url=url, title=f"Small report {i}", text=text), seen=T0
            )
        url = "https://huge.example/1"
        text = generated_text(int(mb * 1_000_000), rng, rare=True, script=script)
        store.save_article(Article(url=url, canonical_url=url, title="Huge report", text=text), seen=T0)
    finally:
        store.close()


def time_search(path: Path, word: str, repeat: int) -> dict[str, float]:
    from newsdesk import open_desk

    best_wall = best_cpu = float("inf")
    with open_desk(path) as desk:
        for _ in range(repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            hits = desk.search(word)
            best_wall = min(best_wall, time.perf_counter() - w0)
            best_cpu = min(best_cpu, time.process_time() - c0)
            if not any(h.url == "https://huge.example/1" for h in hits):
                raise SystemExit(f"the huge article was not found for {word!r}")
    return {"wall_s": best_wall, "cpu_s": best_cpu}


def build_crowded(path: Path, articles: int) -> None:
    """``articles`` short articles that all say "council", all from the source "Gazette"."""
    import sqlite3

    from newsdesk.store import SQLiteStore

    SQLiteStore(str(path)).close()
    with sqlite3.connect(path) as db:
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO articles (canonical_url, url, title, text, word_count, content_hash, "
            "first_seen, last_seen, source, tags, source_links, notes, revision) "
            "SELECT 'https://x.example/' || i, 'https://x.example/' || i, 'Council report ' || i, "
            "'The council met on day ' || i || '.', 6, 'h' || i, '2026-03-01T00:00:00+00:00', "
            "'2026-03-01T00:00:00+00:00', 'Gazette', '[]', '[]', '[]', 1 FROM n",
            (articles,),
        )


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def abandoned(requests: int, client_timeout: float, tmp: Path) -> dict[str, float]:
    """Server CPU and time spent on ``requests`` searches whose clients left after
    ``client_timeout`` seconds (see the module docstring)."""
    import http.client
    import socket
    import subprocess
    import threading

    path = tmp / "crowded.sqlite"
    build_crowded(path, 1_000_000)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsdesk",
            "--db",
            str(path),
            "serve",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env={**os.environ, "NEWSDESK_PROGRESS": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)

        def ask() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=client_timeout)
            try:
                conn.request("GET", "/search?q=council&source=Gazette")
                conn.getresponse().read()
            except TimeoutError:
                pass  # the reader gives up
            finally:
                conn.close()

        cpu0 = _cpu_seconds(server.pid)
        start = time.monotonic()
        clients = [threading.Thread(target=ask) for _ in range(requests)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        # Until the server's CPU time has not grown for 2 s (at most 10 minutes).
        last, last_change = _cpu_seconds(server.pid), time.monotonic()
        while time.monotonic() - last_change < 2.0 and time.monotonic() - start < 600:
            time.sleep(0.1)
            now = _cpu_seconds(server.pid)
            if now > last + 0.01:
                last, last_change = now, time.monotonic()
        return {"busy_s": last_change - start, "cpu_s": last - cpu0}
    finally:
        server.terminate()
        server.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1,2,4", help="MB of text, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--give-up", type=float, default=60.0, help="skip sizes after one this slow (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--script", choices=sorted(WORDS), default="latin")
    parser.add_argument("--abandoned", type=int, metavar="N", help="N searches whose clients hang up")
    parser.add_argument("--client-timeout", type=float, default=1.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import newsdesk

    print(machine_line())
    print(f"newsdesk from {Path(newsdesk.__file__).parent}")
    if args.abandoned:
        with tempfile.TemporaryDirectory(prefix="search-abandoned-") as tmp:
            found = abandoned(args.abandoned, args.client_timeout, Path(tmp))
        print(
            f"{args.abandoned} searches abandoned after {args.client_timeout:g} s: the server was busy "
            f"{found['busy_s']:.1f} s and used {found['cpu_s']:.1f} s of CPU"
        )
        if args.json:
            args.json.write_text(
                json.dumps({"machine": machine(), "abandoned": found}, indent=2), encoding="utf-8"
            )
        return 0
    results: list[dict[str, Any]] = []
    common, rare = WORDS[args.script]
    slow = {common: False, rare: False}
    with tempfile.TemporaryDirectory(prefix="search-size-") as tmp:
        for mb in (float(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"s{mb}.sqlite"
            build(path, mb, args.seed, args.script)
            row: dict[str, Any] = {"mb": mb}
            for kind, word in (("common", common), ("rare", rare)):
                if slow[word]:
                    row[kind] = None
                    continue
                row[kind] = time_search(path, word, args.repeat)
                slow[word] = row[kind]["wall_s"] > args.give_up
            results.append(row)
            for f in Path(tmp).glob(f"s{mb}.sqlite*"):
                f.unlink()

            def cell(r: dict[str, float] | None) -> str:
                return (
                    "skipped" if r is None else f"{r['wall_s'] * 1000:,.1f} ms ({r['cpu_s'] * 1000:,.1f} CPU)"
                )

            print(f"{mb:>5} MB  common: {cell(row['common']):>28}  rare: {cell(row['rare']):>28}", flush=True)
    print()
    print(
        markdown_table(
            ["article", f"`{common}` (common), wall ms", f"`{rare}` (once), wall ms"],
            [
                [
                    f"{r['mb']:g} MB",
                    "skipped" if r["common"] is None else f"{r['common']['wall_s'] * 1000:,.1f}",
                    "skipped" if r["rare"] is None else f"{r['rare']['wall_s'] * 1000:,.1f}",
                ]
                for r in results
            ],
        )
    )
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine(), "results": results}, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
