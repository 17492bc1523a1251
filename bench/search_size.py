"""Search time against the size of one stored article.

    .venv/bin/python bench/search_size.py [--sizes 0.25,0.5,1,2,4] [--repeat 3] [--give-up 60]
        [--json FILE]

For each size (in MB of text), a fresh store holds one generated article of that size (written
with ``SQLiteStore.save_article``, as a store made before ``max_article_chars`` may hold one) and
ten ordinary articles of about 3,000 characters. Then ``Desk.search`` is timed (the best of
``--repeat`` runs, wall and CPU) for:

- ``common``: a word about every tenth word of the huge article (and of the small ones), so the
  number of matches in one article grows with its size;
- ``rare``: a word found once, in the middle of the huge article.

The search returns the huge article with its snippet; the figure is the whole call (ranking,
reading the rows and making the snippets). A size whose previous size took more than
``--give-up`` seconds is skipped (the old code grows with the square of the size).

Only the standard library and newsdesk, so the same script measures an older checkout:
``PYTHONPATH=/tmp/old/src .venv/bin/python bench/search_size.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import machine, machine_line, markdown_table

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
COMMON = "epsilon"
RARE = "zanzibarite"


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnoprstuvw"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(3000)]


def generated_text(chars: int, rng: random.Random, *, rare: bool) -> str:
    """Sentences of 8-20 words from a fixed vocabulary, about one word in ten ``COMMON``; with
    ``rare``, ``RARE`` once in the middle."""
    vocab = _vocabulary(rng)
    parts: list[str] = []
    size = 0
    while size < chars:
        words = [COMMON if rng.random() < 0.1 else rng.choice(vocab) for _ in range(rng.randint(8, 20))]
        sentence = " ".join(words).capitalize() + ". "
        parts.append(sentence)
        size += len(sentence)
    text = "".join(parts)[:chars]
    if rare:
        middle = text.find(" ", len(text) // 2)
        text = text[:middle] + f" {RARE}" + text[middle:]
    return text


def build(path: Path, mb: float, seed: int) -> None:
    from newsdesk.model import Article
    from newsdesk.store import SQLiteStore

    rng = random.Random(seed)
    store = SQLiteStore(str(path))
    try:
        for i in range(10):
            url = f"https://small.example/{i}"
            text = generated_text(3000, rng, rare=False)
            store.save_article(
                Article(url=url, canonical_url=url, title=f"Small report {i}", text=text), seen=T0
            )
        url = "https://huge.example/1"
        text = generated_text(int(mb * 1_000_000), rng, rare=True)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1,2,4", help="MB of text, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--give-up", type=float, default=60.0, help="skip sizes after one this slow (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import newsdesk

    print(machine_line())
    print(f"newsdesk from {Path(newsdesk.__file__).parent}")
    results: list[dict[str, Any]] = []
    slow = {COMMON: False, RARE: False}
    with tempfile.TemporaryDirectory(prefix="search-size-") as tmp:
        for mb in (float(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"s{mb}.sqlite"
            build(path, mb, args.seed)
            row: dict[str, Any] = {"mb": mb}
            for kind, word in (("common", COMMON), ("rare", RARE)):
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
            ["article", f"`{COMMON}` (common), wall ms", f"`{RARE}` (once), wall ms"],
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
