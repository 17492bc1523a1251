"""The wild check: ingest real test material that nobody on the project wrote, and account for every
input.

    .venv/bin/python -m bench.wild                      # every corpus under ../shared/data/wild
    .venv/bin/python -m bench.wild ~/my-saved-news/     # or any folders of your own
    .venv/bin/python -m bench.wild --json out.json --only feeds,pages

Each corpus (a sub-folder of the given folder, or the folder itself when it holds files) is ingested
into a fresh SQLite store, one file at a time, listening to how every item ended
(``Desk.ingest(..., on_item=...)``). Per corpus it reports files tried, articles stored, sources
registered, rejections by reason, broken inputs by reason, and what is wrong:

- **tracebacks**: an exception escaped ``Desk.ingest``, or an item ended as ``internal-error``
  (newsdesk caught its own bug so the run could go on — still a bug);
- **unaccounted**: a file that ended without any outcome (no article, source, rejection or reason);
- **merged**: two distinct inputs that became one article with different texts (the second stored
  as a "revision" of the first): an identity taken from a URL that was not the article's;
- **home-page identity**: an article identified by a site's home page, which is never an article's
  URL (a merge waiting for the site's next page);
- **noise**: warnings printed on stderr while ingesting (a library's warning is not a reason).

The run exits 1 when any of these is non-zero. For the page corpus it also runs plain trafilatura
(the extraction benchmark's settings: ``trafilatura.extract(html, include_comments=False)``) on the
same files in the same run, and reports where newsdesk keeps less than trafilatura or rejects a
page trafilatura extracts.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import re
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench._common import eval_data, machine_line, markdown_table, score_page, tokens
from newsdesk import open_desk
from newsdesk.sources.files import list_inputs

try:
    from newsdesk import ItemResult, ItemStatus
    from newsdesk.sources.files import display_path
except ImportError:  # a newsdesk from before per-item outcomes: measuring the "before" figures
    import enum
    import os

    class ItemStatus(enum.StrEnum):  # type: ignore[no-redef]
        NEW = "new"
        UPDATED = "updated"
        UNCHANGED = "unchanged"
        OLDER = "older-revision"
        REJECTED = "rejected"
        BROKEN = "broken"
        SOURCE = "source"
        PENDING = "pending"
        COVERED = "covered"

    @dataclass(frozen=True)
    class ItemResult:  # type: ignore[no-redef]
        origin: str
        status: ItemStatus
        article_id: int | None = None
        reason: str | None = None
        detail: str | None = None

    def display_path(path: Path) -> str:  # type: ignore[misc]
        return os.fsencode(path).decode("utf-8", errors="replace")


WILD = eval_data("wild")
_STORED = {ItemStatus.NEW, ItemStatus.UPDATED, ItemStatus.UNCHANGED, ItemStatus.OLDER}


@dataclass
class FileRecord:
    path: str
    items: list[ItemResult] = field(default_factory=list)
    traceback: str | None = None
    noise: list[str] = field(default_factory=list)


@dataclass
class CorpusResult:
    name: str
    folder: str
    files: list[FileRecord] = field(default_factory=list)
    seconds: float = 0.0
    merged: list[dict[str, Any]] = field(default_factory=list)
    duplicates: int = 0
    #: Articles identified by a site's home page: a merge waiting for the site's next article.
    home_identity: list[str] = field(default_factory=list)
    extraction: dict[str, Any] | None = None

    def items(self) -> list[ItemResult]:
        return [i for f in self.files for i in f.items]

    def count(self, *statuses: ItemStatus) -> int:
        return sum(1 for i in self.items() if i.status in statuses)

    @property
    def internal_errors(self) -> list[ItemResult]:
        return [i for i in self.items() if i.reason == "internal-error"]

    @property
    def tracebacks(self) -> int:
        return sum(1 for f in self.files if f.traceback) + len(self.internal_errors)

    @property
    def unaccounted(self) -> list[str]:
        return [f.path for f in self.files if not f.items and not f.traceback]

    @property
    def noise(self) -> int:
        return sum(len(f.noise) for f in self.files)

    @property
    def clean(self) -> bool:
        return not (self.tracebacks or self.unaccounted or self.merged or self.noise or self.home_identity)


def reason_key(detail: str | None) -> str:
    """A broken input's detail reduced to its kind: without paths, URLs, quotes and numbers."""
    text = detail or ""
    text = re.sub(r"\S+://\S+", "URL", text)
    text = re.sub(r"(?:/[^\s:]+)+", "PATH", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "…", text)
    text = re.sub(r"\d[\d,.]*", "N", text)
    text = re.sub(r"\(.*?\)", "", text)
    return " ".join(text.split())[:70]


class _Capture(logging.Handler):
    """Warnings and errors that would reach stderr while one file is ingested."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}"[:300])


def _ingest_corpus(name: str, folder: Path, workdir: Path) -> CorpusResult:
    result = CorpusResult(name=name, folder=str(folder))
    files = list_inputs([folder])
    db = workdir / f"{name}.sqlite"
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    started = time.perf_counter()
    by_article: dict[int, list[tuple[str, ItemStatus]]] = defaultdict(list)
    try:
        with open_desk(db, data_dir=str(workdir / f"{name}-data")) as desk:
            listens = "on_item" in inspect.signature(desk.ingest).parameters
            for path in files:
                record = FileRecord(path=display_path(path))
                capture.lines = []
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        if listens:
                            desk.ingest([path], on_item=record.items.append)
                        else:
                            record.items = _items_of(desk.ingest([path]), record.path, by_article)
                    except Exception as e:  # noqa: BLE001 (the very thing this check looks for)
                        record.traceback = f"{type(e).__name__}: {e}"[:300]
                own_logs = [line for line in capture.lines if not line.startswith("newsdesk.core: ingesting")]
                record.noise = [f"{w.category.__name__}: {w.message}"[:300] for w in caught] + own_logs
                if listens:
                    for item in record.items:
                        if item.status in _STORED and item.article_id is not None:
                            by_article[item.article_id].append((item.origin, item.status))
                result.files.append(record)
    finally:
        root.removeHandler(capture)
    result.seconds = time.perf_counter() - started
    with open_desk(db, data_dir=str(workdir / f"{name}-data")) as desk:
        for article_id, arrivals in sorted(by_article.items()):
            url = desk.get_article(article_id).article.canonical_url
            if urlsplit(url).path in ("", "/") and not urlsplit(url).query:
                result.home_identity.append(f"{arrivals[0][0]} -> {url}")
    for article_id, arrivals in sorted(by_article.items()):
        origins = {o for o, _ in arrivals}
        if len(origins) < 2:
            continue
        if any(s in (ItemStatus.UPDATED, ItemStatus.OLDER) for _, s in arrivals):
            result.merged.append({"article_id": article_id, "inputs": sorted(origins)[:6]})
        else:
            result.duplicates += len(arrivals) - 1
    return result


def _items_of(
    report: Any, path: str, by_article: dict[int, list[tuple[str, ItemStatus]]]
) -> list[ItemResult]:
    """For a newsdesk from before ``on_item`` (to measure the "before" figures): each item's outcome
    rebuilt, as closely as an IngestReport allows, from the report of ingesting one file."""
    out: list[ItemResult] = []
    changed = (report.updated + report.older) > 0
    for n, article_id in enumerate(report.article_ids):
        origin = f"{path}#{n}"
        if article_id in by_article:
            status = ItemStatus.UPDATED if changed else ItemStatus.UNCHANGED
        else:
            status = ItemStatus.NEW
        by_article[article_id].append((origin, status))
        out.append(ItemResult(origin, status, article_id=article_id))
    for r in report.rejected:
        reason = r.reason.value
        if reason == "unparsable" and r.detail.startswith("extraction failed"):
            reason = "internal-error"
        out.append(ItemResult(r.origin, ItemStatus.REJECTED, reason=reason, detail=r.detail))
    out += [ItemResult(b.origin, ItemStatus.BROKEN, detail=b.detail) for b in report.broken]
    out += [ItemResult(path, ItemStatus.SOURCE) for _ in range(report.sources_found)]
    out += [ItemResult(p.origin, ItemStatus.PENDING, detail=p.detail) for p in report.summary_pending]
    out += [ItemResult(path, ItemStatus.COVERED) for _ in range(report.summary_covered)]
    return out


def _compare_extraction(result: CorpusResult, workdir: Path) -> dict[str, Any]:
    """newsdesk's stored text against plain trafilatura on the same HTML files, in the same run."""
    import trafilatura

    from newsdesk import open_desk as _open

    stored: dict[str, int] = {}
    for f in result.files:
        for item in f.items:
            if item.status in _STORED and item.article_id is not None:
                stored[f.path] = item.article_id
    rejected = {f.path: f.items[0] for f in result.files if f.items and f.path not in stored}
    pages = []
    with _open(workdir / f"{result.name}.sqlite", data_dir=str(workdir / f"{result.name}-data")) as desk:
        for f in result.files:
            if not f.path.endswith((".html", ".htm")):
                continue
            html = Path(f.path).read_bytes()
            t0 = time.process_time()
            theirs = trafilatura.extract(html, include_comments=False) or ""
            t_theirs = time.process_time() - t0
            ours = desk.get_article(stored[f.path]).article.text if f.path in stored else ""
            agreement = score_page(ours, theirs)
            pages.append(
                {
                    "file": Path(f.path).name,
                    "trafilatura_words": len(tokens(theirs)),
                    "newsdesk_words": len(tokens(ours)),
                    "agreement_f1": round(float(agreement["f1"]), 3),
                    "kept_of_trafilatura": round(float(agreement["recall"]), 3),
                    "newsdesk_outcome": "stored"
                    if f.path in stored
                    else (rejected[f.path].reason or rejected[f.path].status.value)
                    if f.path in rejected
                    else "none",
                    "trafilatura_cpu_s": round(t_theirs, 4),
                }
            )
    both = [p for p in pages if p["newsdesk_words"] and p["trafilatura_words"]]
    lost = [p for p in pages if p["trafilatura_words"] >= 100 and p["newsdesk_outcome"] != "stored"]
    less = [p for p in both if p["kept_of_trafilatura"] < 0.8]
    return {
        "pages": len(pages),
        "stored_by_newsdesk": sum(1 for p in pages if p["newsdesk_outcome"] == "stored"),
        "extracted_by_trafilatura": sum(1 for p in pages if p["trafilatura_words"]),
        "mean_agreement_f1": round(sum(p["agreement_f1"] for p in both) / len(both), 3) if both else None,
        "newsdesk_words_per_trafilatura_word": round(
            sum(p["newsdesk_words"] for p in both) / max(1, sum(p["trafilatura_words"] for p in both)), 3
        ),
        "rejected_where_trafilatura_has_100_words": [
            (p["file"], p["newsdesk_outcome"], p["trafilatura_words"]) for p in lost
        ],
        "kept_under_80_percent_of_trafilatura": [
            (p["file"], p["kept_of_trafilatura"], p["newsdesk_words"], p["trafilatura_words"]) for p in less
        ],
        "per_page": pages,
    }


def corpora(roots: list[Path], only: set[str] | None) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for root in roots:
        subs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        if subs and not any(p.is_file() and p.name.lower() != "readme.md" for p in root.iterdir()):
            found += [(p.name, p) for p in subs]
        else:
            found.append((root.name, root))
    return [(n, p) for n, p in found if only is None or n in only]


def summarize(r: CorpusResult) -> dict[str, Any]:
    items = r.items()
    rejected = Counter(i.reason for i in items if i.status is ItemStatus.REJECTED)
    broken = Counter(reason_key(i.detail) for i in items if i.status is ItemStatus.BROKEN)
    return {
        "corpus": r.name,
        "folder": r.folder,
        "files": len(r.files),
        "items": len(items),
        "articles_new": r.count(ItemStatus.NEW),
        "articles_same_input_again": r.duplicates,
        "sources": len({i.detail or i.origin for i in items if i.status is ItemStatus.SOURCE}),
        "pending_pages": r.count(ItemStatus.PENDING),
        "covered_entries": r.count(ItemStatus.COVERED),
        "rejected": dict(rejected.most_common()),
        "broken": dict(broken.most_common()),
        "tracebacks": r.tracebacks,
        "traceback_examples": [f.traceback for f in r.files if f.traceback][:5]
        + [f"{i.origin}: {i.detail}" for i in r.internal_errors][:5],
        "unaccounted": r.unaccounted,
        "merged": r.merged,
        "home_identity": r.home_identity,
        "noise": r.noise,
        "noise_examples": sorted({n for f in r.files for n in f.noise})[:5],
        "seconds": round(r.seconds, 1),
        "clean": r.clean,
        "extraction": r.extraction,
    }


def _top(counter: dict[str, int], n: int = 3) -> str:
    parts = [f"{k} {v}" for k, v in list(counter.items())[:n]]
    more = sum(list(counter.values())[n:])
    return "; ".join(parts) + (f"; other {more}" if more else "") if parts else "0"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", type=Path, help=f"folders of corpora (default: {WILD})")
    ap.add_argument("--only", help="comma-separated corpus names (feeds,opml,pages,sitemaps,warc)")
    ap.add_argument("--json", type=Path, help="write every figure (per page, per file) to this file")
    ap.add_argument("--no-compare", action="store_true", help="skip the plain-trafilatura comparison")
    args = ap.parse_args(argv)
    roots = args.folders or [WILD]
    missing = [r for r in roots if not r.is_dir()]
    if missing:
        print(f"skipped: {', '.join(map(str, missing))} not found (the wild data lives in {WILD})")
        return 0
    only = set(args.only.split(",")) if args.only else None
    # Warnings reach the capture of each file (reported as noise), not the terminal; the libraries
    # the command line quiets are quiet here too (their warnings are about an input, which newsdesk
    # reports as the item's reason or note).
    from newsdesk.cli import _QUIET_LOGGERS

    logging.getLogger().setLevel(logging.WARNING)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    print(machine_line())
    results = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-wild-") as tmp:
        for name, folder in corpora(roots, only):
            print(f"… {name} ({folder})", file=sys.stderr, flush=True)
            r = _ingest_corpus(name, folder, Path(tmp))
            if name == "pages" and not args.no_compare:
                r.extraction = _compare_extraction(r, Path(tmp))
            results.append(r)
    summaries = [summarize(r) for r in results]
    rows = [
        [
            s["corpus"],
            str(s["files"]),
            str(s["articles_new"]),
            str(s["sources"]),
            str(s["pending_pages"]),
            _top(s["rejected"]),
            _top(s["broken"], 2),
            str(s["tracebacks"]),
            str(len(s["unaccounted"])),
            str(len(s["merged"])),
            str(len(s["home_identity"])),
            str(s["noise"]),
            f"{s['seconds']:.1f}",
        ]
        for s in summaries
    ]
    headers = ["corpus", "files", "articles", "sources", "pages to fetch", "rejected (top)", "broken (top)"]
    headers += ["tracebacks", "unaccounted", "merged", "home-page identity", "noise", "s"]
    print(markdown_table(headers, rows))
    for s in summaries:
        problems = s["traceback_examples"] + [f"unaccounted: {u}" for u in s["unaccounted"][:5]]
        problems += [f"merged: {m['inputs']}" for m in s["merged"][:5]]
        problems += [f"home-page identity: {h}" for h in s["home_identity"][:5]]
        problems += [f"noise: {n}" for n in s["noise_examples"]]
        if problems:
            print(f"\n{s['corpus']}:")
            for p in problems:
                print(f"  {p}")
        ex = s["extraction"]
        if ex:
            print(
                f"\n{s['corpus']}: against plain trafilatura on the same {ex['pages']} pages: newsdesk stored "
                f"{ex['stored_by_newsdesk']}, trafilatura extracted text from {ex['extracted_by_trafilatura']}; "
                f"agreement F1 {ex['mean_agreement_f1']}, newsdesk words per trafilatura word "
                f"{ex['newsdesk_words_per_trafilatura_word']}"
            )
            for f, why, words in ex["rejected_where_trafilatura_has_100_words"]:
                print(f"  rejected by newsdesk, {words} words by trafilatura: {f} ({why})")
            for f, kept, ours, theirs in ex["kept_under_80_percent_of_trafilatura"]:
                print(f"  newsdesk keeps {kept:.0%} of trafilatura's text: {f} ({ours} vs {theirs} words)")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_line(), "corpora": summaries}, indent=1))
    bad = [s["corpus"] for s in summaries if not s["clean"]]
    if bad:
        print(f"\nNOT CLEAN: {', '.join(bad)}")
        return 1
    print("\nclean: no traceback, nothing unaccounted, nothing merged, no noise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
