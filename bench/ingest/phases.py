"""The measured runs, each in its own process (``_child`` starts ``python -m bench.ingest
--_phase ...``): extraction alone, ``desk.ingest`` timed by stage, and the (untimed) extraction
quality against the generated true text.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import _common, store_size

# -- the phases (each in its own process) ------------------------------------------------------------


def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def _db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def _load(path: Path | None) -> dict[str, str]:
    if path is None or not path.exists():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _leak_key(line: str) -> str:
    """Group leaked template lines: the first two words, digits masked."""
    return re.sub(r"\d+", "#", " ".join(line.split()[:2]))


def phase_extract(
    folder: Path, manifest: Path | None = None, texts_out: Path | None = None
) -> dict[str, Any]:
    """Extraction alone: read every file and run ``extract_html`` on it, as ingest would (the HTML
    reader hands the page over without a URL; min_words is the default setting's).

    Only reading and extraction are timed. With ``texts_out``, each article's text is written there
    (JSON lines, untimed) for ``quality``, rather than kept: the peak RSS stays extraction's own.
    """
    from newsdesk.extract import extract_html
    from newsdesk.model import Rejected
    from newsdesk.sources.files import list_inputs

    files = list_inputs([folder])
    outcomes: list[str] = []
    seconds = cpu = 0.0
    load_before = os.getloadavg()[0]
    sink = texts_out.open("w", encoding="utf-8") if texts_out else None
    try:
        for path in files:
            t0, c0 = time.perf_counter(), time.process_time()
            out = extract_html(path.read_bytes())
            seconds += time.perf_counter() - t0
            cpu += time.process_time() - c0
            if isinstance(out, Rejected):
                outcomes.append(out.reason.value)
            else:
                outcomes.append("article")
                if sink:
                    sink.write(json.dumps({"path": str(path), "text": out.text}) + "\n")
    finally:
        if sink:
            sink.close()
    kinds = _load(manifest)
    by_kind: dict[str, Counter[str]] = {}
    for path, outcome in zip(files, outcomes, strict=True):
        by_kind.setdefault(kinds.get(str(path), "?"), Counter())[outcome] += 1
    reasons = Counter(o for o in outcomes if o != "article")
    return {
        "files": len(files),
        "articles": outcomes.count("article"),
        "rejected": dict(reasons),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": _peak_rss_mb(),
        "load": (load_before, os.getloadavg()[0]),
    }


def quality(truth_file: Path, texts_file: Path) -> dict[str, Any]:
    """Extraction quality on the generated article pages, whose true text is known: the benchmark's
    metric (bench/_common.py), and the template lines most often left in the text."""
    c = _common
    truth = _load(truth_file)
    texts: dict[str, str] = {}
    with texts_file.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts[record["path"]] = record["text"]
    pages = [c.score_page(texts.get(path, ""), true) for path, true in truth.items()]
    non_empty = [p for p in pages if p["predicted"]]
    precision = sum(float(p["precision"]) for p in non_empty) / max(1, len(non_empty))
    recall = sum(float(p["recall"]) for p in pages) / max(1, len(pages))
    leaks: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for name, true in truth.items():
        true_lines = {" ".join(x.split()) for x in true.splitlines()}
        for raw in texts.get(name, "").splitlines():
            line = " ".join(raw.split())
            if line and line not in true_lines:
                key = _leak_key(line)
                leaks[key] += 1
                examples.setdefault(key, line[:120])
    return {
        "pages": len(pages),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "accuracy": sum(bool(p["exact"]) for p in pages) / max(1, len(pages)),
        "leaked_lines": [(k, n, examples[k]) for k, n in leaks.most_common(10)],
    }


class _Timers:
    """Wall and CPU time spent inside chosen functions during an ingest (two clock pairs per call:
    a few microseconds, well under 0.1 % of the time of a page)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, key: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - t0
                self.cpu[key] = self.cpu.get(key, 0.0) + time.process_time() - c0
                self.calls[key] = self.calls.get(key, 0) + 1

        return timed

    def patch(self, owner: Any, name: str, key: str, *, materialise: bool = False) -> bool:
        """Time ``owner.name``; ``materialise`` for a generator function (time the whole read)."""
        fn = getattr(owner, name, None)
        if fn is None:
            return False
        if materialise:
            inner = fn

            def fn(*args: Any, **kwargs: Any) -> Any:
                return iter(list(inner(*args, **kwargs)))

        setattr(owner, name, self.wrap(key, fn))
        return True


def phase_ingest(
    folder: Path, db: Path, manifest: Path | None = None, *, force: bool = False
) -> dict[str, Any]:
    """``desk.ingest([folder])`` with the time split by stage: read, extract, fingerprint, save,
    trace, understand (entities, figures and quotes), file (category), save understanding, cluster
    (each when the Desk has that stage), record rejection; "other" is the rest.
    ``force``: ``desk.ingest([folder], force=True)`` (extract every item again)."""
    import newsdesk.core as core
    from newsdesk import open_desk

    timers = _Timers()
    # Reading, extraction and fingerprinting are module functions the Desk calls by name; saving
    # and tracing are methods. These are internals: a name that no longer exists is skipped.
    # Extraction is called from _budget (within its size and time budget) since that module exists.
    patched = [
        timers.patch(core, "read_file", "read", materialise=True),
        timers.patch(sys.modules.get("newsdesk._budget") or core, "extract", "extract"),
        timers.patch(getattr(core, "provenance", None), "fingerprint", "fingerprint"),
        timers.patch(core.Desk, "_trace", "trace"),
    ]
    # Story clustering, when the Desk has it (a stage added after the others): not required.
    timers.patch(core.Desk, "_cluster", "cluster")
    # Understanding (entities, figures, quotes; then filing and storing it), when the Desk has it.
    intake = sys.modules.get("newsdesk._intake")
    if intake is not None:
        timers.patch(intake, "analysed", "understand")
    timers.patch(core.Desk, "_file", "file")
    timers.patch(core.Desk, "_understand", "save understanding")
    marks: list[tuple[int, float, float]] = []

    def progress(_path: Path, done: int, total: int) -> None:
        # Elapsed and CPU time at every tenth of the files: does the rate fall as the store grows?
        if done * 10 // total != (done - 1) * 10 // total or done == total:
            marks.append((done, time.perf_counter() - t1, time.process_time() - c1))

    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    with open_desk(db) as desk:
        store = getattr(desk, "_store", None)
        patched += [
            timers.patch(store, "save_article", "save"),
            timers.patch(store, "record_rejection", "reject"),
        ]
        t1, c1 = time.perf_counter(), time.process_time()
        if force:
            report = desk.ingest([folder], progress=progress, force=True)
        else:  # without the keyword: an older checkout has none
            report = desk.ingest([folder], progress=progress)
        t2, c2 = time.perf_counter(), time.process_time()
    t3, c3 = time.perf_counter(), time.process_time()
    reasons = Counter(r.reason.value for r in report.rejected)
    kinds = _load(manifest)
    rejected_by_kind: dict[str, Counter[str]] = {}
    for r in report.rejected:
        rejected_by_kind.setdefault(kinds.get(r.origin, "?"), Counter())[r.reason.value] += 1
    stages = dict(timers.seconds)
    stages["other"] = (t2 - t1) - sum(stages.values())
    stages_cpu = dict(timers.cpu)
    stages_cpu["other"] = (c2 - c1) - sum(stages_cpu.values())
    return {
        "rejected_by_kind": {k: dict(v) for k, v in sorted(rejected_by_kind.items())},
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "older": report.older,
        "rejected": dict(reasons),
        "broken": len(report.broken),
        "copies_found": report.copies_found,
        "seconds": t3 - t0,
        "ingest_seconds": t2 - t1,
        "ingest_cpu_seconds": c2 - c1,
        "open_close_seconds": (t1 - t0) + (t3 - t2),
        "cpu_seconds": c3 - c0,
        "peak_rss_mb": _peak_rss_mb(),
        "db_bytes": _db_bytes(db),
        "marks": marks,
        "stages": stages,
        "stages_cpu": stages_cpu,
        "stage_calls": dict(timers.calls),
        "load": (load_before, os.getloadavg()[0]),
        "stages_complete": all(patched),
        "use": store_size.disk_use(db),
    }


def _child(phase: str, *args: str, src: Path | None = None) -> dict[str, Any]:
    """Run one phase in a fresh interpreter (with ``src`` first on its path: an older checkout);
    its last stdout line is the JSON result."""
    cmd = [sys.executable, "-m", "bench.ingest", "--_phase", phase, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=_common.child_env(src=src))
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"phase {phase} failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result
