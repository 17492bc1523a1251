"""Disk use of a store by area, per article and as a multiple of its text, before and after.

    .venv/bin/python -m bench.store_size [--before SRC] [--data DIR] [--json FILE]

Ingests every Wikinews article of ``--data`` (default ../shared/data/articles/wikinews, CSV files
of url, date, title, text; written as JSONL records into a temporary folder, never into the repo)
with ``newsdesk ingest`` into a fresh SQLite file, then ingests the same folder again, each in a
child process, and measures the store with SQLite's ``dbstat`` table (the pages each table and
index takes). With ``--before SRC`` (the ``src`` folder of an older checkout, run through
``PYTHONPATH``) the same is done with that code first; its store is then copied and opened with
this code (the migration converts it in place) and measured again. One command, one machine:

- ``before``: the older code's store;
- ``migrated``: that store converted by this code's migration (the pages it freed stay in the
  file, as free pages, until ``newsdesk compact``);
- ``compacted``: the converted store after ``newsdesk compact`` (``Desk.compact``: the full-text
  indexes merged, then VACUUM), when this code has it;
- ``after``: this code's own store, at rest after its ingest.

The areas are those of ``newsdesk stats --bytes`` (``StorageArea``), worked out here from the
table names so that an older checkout is measured the same way. Only the standard library and
newsdesk.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from bench import _common

WIKINEWS = _common.eval_data("articles", "wikinews")

#: Areas in the order shown; what ``SQLiteStore`` files each table under (``_area`` in store/sqlite/).
AREAS = ("articles", "revisions", "search", "inputs", "provenance", "stories", "sources", "other")
#: The part of the store this benchmark's target is about: the texts and their search indexes.
TEXT_AREAS = ("articles", "revisions", "search", "inputs")
_TABLE_AREAS = {
    "articles": "articles",
    "article_urls": "articles",
    "article_revisions": "revisions",
    "input_digests": "inputs",
    "fingerprints": "provenance",
    "lsh_keys": "provenance",
    "copy_groups": "provenance",
    "copies": "provenance",
    "provenance_state": "provenance",
    "stories": "stories",
    "sources": "sources",
    "source_credentials": "sources",
    "entry_ids": "sources",
    "page_fetches": "sources",
    "rejections": "sources",
}


def area_of(table: str) -> str:
    if table.startswith(("articles_fts", "articles_cjk")):
        return "search"
    if table.startswith("story_"):
        return "stories"
    return _TABLE_AREAS.get(table, "other")


def disk_use(db: Path) -> dict[str, Any]:
    """Bytes by area (dbstat), the articles, their text (UTF-8 bytes of title and text), the file."""
    with closing(sqlite3.connect(db)) as c:
        owners = dict(c.execute("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')"))
        areas = dict.fromkeys(AREAS, 0)
        tables: dict[str, int] = {}
        for name, size in c.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = owners.get(name, name)
            areas[area_of(table)] += int(size)
            tables[table] = tables.get(table, 0) + int(size)
        articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        # From schema 12 a text is stored compressed, with its length in UTF-8 beside it (text_size).
        sized = any(r[1] == "text_size" for r in c.execute("PRAGMA table_info(articles)"))
        size = "coalesce(text_size, length(CAST(text AS BLOB)))" if sized else "length(CAST(text AS BLOB))"
        text = c.execute(
            f"SELECT coalesce(sum(length(CAST(title AS BLOB)) + {size}), 0) FROM articles"
        ).fetchone()[0]
        page = c.execute("PRAGMA page_size").fetchone()[0]
        pages = c.execute("PRAGMA page_count").fetchone()[0]
        free = c.execute("PRAGMA freelist_count").fetchone()[0]
    return {
        "areas": areas,
        "tables": dict(sorted(tables.items(), key=lambda kv: -kv[1])),
        "articles": articles,
        "text_bytes": text,
        "file_bytes": page * pages,
        "free_bytes": page * free,
    }


def area_rows(runs: dict[str, dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """A table: each area's bytes per article and × text, one pair of columns per run."""
    headers = ["area"]
    for label in runs:
        headers += [f"{label}: bytes/article", f"{label}: × text"]
    rows: list[list[str]] = []

    def row(label: str, pick: Any) -> list[str]:
        cells = [label]
        for use in runs.values():
            size = pick(use)
            n, text = use["articles"] or 1, use["text_bytes"] or 1
            cells += [f"{size / n:,.0f}", f"{size / text:.2f}"]
        return cells

    for area in AREAS:
        if any(use["areas"].get(area) for use in runs.values()):
            rows.append(row(area, lambda use, a=area: use["areas"].get(a, 0)))
    rows.append(
        row(
            "**articles + revisions + search + inputs**",
            lambda use: sum(use["areas"].get(a, 0) for a in TEXT_AREAS),
        )
    )
    rows.append(row("**all tables and indexes**", lambda use: sum(use["areas"].values())))
    rows.append(row("free pages", lambda use: use.get("free_bytes", 0)))
    rows.append(row("**whole file**", lambda use: use["file_bytes"]))
    rows.append(row("text itself (title and text)", lambda use: use["text_bytes"]))
    return headers, rows


def write_records(data: Path, out: Path) -> int:
    """The Wikinews CSV rows as JSONL records (url, title, text, published, source)."""
    csv.field_size_limit(10**8)
    n = 0
    with out.open("w", encoding="utf-8") as sink:
        for path in sorted(data.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    record = {
                        "url": row["url"],
                        "title": row["title"],
                        "text": row["text"],
                        "published": row["date"],
                        "source": "Wikinews",
                    }
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    n += 1
    return n


def phase(folder: Path, db: Path) -> dict[str, Any]:
    """In a child: one ``desk.ingest([folder])``, timed, then the store measured."""
    from newsdesk import open_desk

    t0, c0 = time.perf_counter(), time.process_time()
    with open_desk(db) as desk:
        report = desk.ingest([folder])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": len(report.rejected),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "use": disk_use(db),
    }


def _child(src: Path | None, folder: Path, db: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.store_size", "--_phase", str(folder), "--_db", str(db)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_common.child_env(src=src), check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"the ingest with {src or 'this code'} failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _migrate(before: Path, db: Path) -> dict[str, Any]:
    """A copy of the older store opened with this code (which migrates it), timed, then measured."""
    shutil.copy(before, db)
    cmd = [sys.executable, "-c", "import sys, newsdesk; newsdesk.open_desk(sys.argv[1]).close()", str(db)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "use": disk_use(db)}


def _compact(migrated: Path, db: Path) -> dict[str, Any] | None:
    """A copy of the converted store compacted by this code (None: this code has no compact)."""
    shutil.copy(migrated, db)
    code = (
        "import sys, newsdesk\n"
        "desk = newsdesk.open_desk(sys.argv[1])\n"
        "if not hasattr(desk, 'compact'): sys.exit(3)\n"
        "desk.compact(); desk.close()"
    )
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(db)], check=False)
    if done.returncode == 3:
        return None
    done.check_returncode()
    return {"seconds": time.perf_counter() - t0, "use": disk_use(db)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, metavar="SRC", help="the src folder of an older checkout")
    ap.add_argument("--data", type=Path, default=WIKINEWS, help="folder of Wikinews CSV files")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--_phase", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._phase:
        print(json.dumps(phase(args._phase, args._db)))
        return 0

    c = _common
    m = c.machine()
    print(c.machine_line(m))
    work = Path(tempfile.mkdtemp(prefix="newsdesk-size-"))
    try:
        folder = work / "records"
        folder.mkdir()
        n = write_records(args.data, folder / "wikinews.jsonl")
        print(f"{n} records from {args.data}", flush=True)
        runs: dict[str, dict[str, Any]] = {}
        times: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        if args.before:
            db = work / "before.sqlite"
            first, again = _child(args.before, folder, db), _child(args.before, folder, db)
            runs["before"], times["before"] = first["use"], (first, again)
            migrated = _migrate(db, work / "migrated.sqlite")
            runs["migrated"] = migrated["use"]
            print(f"migration of the older store: {migrated['seconds']:.2f} s", flush=True)
            compacted = _compact(work / "migrated.sqlite", work / "compacted.sqlite")
            if compacted is not None:
                runs["compacted"] = compacted["use"]
                print(f"compact of the converted store: {compacted['seconds']:.2f} s", flush=True)
        db = work / "after.sqlite"
        first, again = _child(None, folder, db), _child(None, folder, db)
        runs["after"], times["after"] = first["use"], (first, again)
        after = runs["after"]
        print(
            f"\n{after['articles']:,} articles, {after['text_bytes'] / 2**20:.2f} MB of text "
            f"({after['text_bytes'] / max(after['articles'], 1):,.0f} bytes an article)\n"
        )
        headers, rows = area_rows(runs)
        print(c.markdown_table(headers, rows))
        print()
        for label, (one, two) in times.items():
            print(
                f"{label}: first ingest {one['seconds']:.2f} s ({one['new']} new), ingest again "
                f"{two['seconds']:.2f} s ({two['unchanged']} unchanged, {two['rejected']} rejected): "
                f"×{one['seconds'] / two['seconds']:.1f} faster (CPU ×{one['cpu_seconds'] / two['cpu_seconds']:.1f})"
            )
        if args.json:
            figures = {"machine": m, "runs": runs, "times": {k: list(v) for k, v in times.items()}}
            args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
