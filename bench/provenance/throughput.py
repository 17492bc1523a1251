"""(t) ``throughput``: fingerprint + lookup per article on one core with a large generated index."""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench import _common
from bench.provenance.scoring import _ratio
from bench.provenance.synthetic import COMMON, load_wikinews, truncate

# -- throughput: fingerprint + lookup with a large index -----------------------------------------------


class TextGenerator:
    """Article-like texts from the wikinews vocabulary: words drawn by their frequency, names
    (capitalised words not at a sentence start) by theirs, numbers; lengths drawn from the wikinews
    word counts. Distinct generated articles share common words and names but (almost) no 5-word
    shingles, as distinct real articles do."""

    def __init__(self, texts: list[str], seed: int) -> None:
        import numpy as np

        words: Counter[str] = Counter()
        names: Counter[str] = Counter()
        lengths = []
        for t in texts:
            toks = re.findall(r"[A-Za-z][\w'-]*|\d[\d,.]*\d|\d", t)
            lengths.append(min(max(len(t.split()), 80), 1500))
            for j, w in enumerate(toks):
                if w[0].isupper():
                    if j:
                        names[w] += 1
                elif w[0].isalpha():
                    words[w] += 1
        if not words:  # no data: a small built-in vocabulary
            for w in COMMON:
                words[w] += 1
            for w in ("London", "Paris", "Smith", "Jones", "Council", "Ministry"):
                names[w] += 1
            lengths = [300, 500, 700]
        self.np = np
        self.rng = np.random.default_rng(seed)
        self.words = np.array(list(words), dtype=object)
        p = np.array(list(words.values()), dtype=float)
        self.wp = p / p.sum()
        self.names = np.array(list(names), dtype=object)
        q = np.array(list(names.values()), dtype=float)
        self.np_ = q / q.sum()
        self.lengths = np.array(lengths)

    def article(self) -> str:
        np, rng = self.np, self.rng
        n = int(rng.choice(self.lengths))
        toks = rng.choice(self.words, size=n, p=self.wp)
        kind = rng.random(n)
        names = rng.choice(self.names, size=n, p=self.np_)
        nums = rng.integers(1, 100000, size=n)
        out = []
        for j in range(n):
            if kind[j] < 0.10:
                out.append(names[j])
            elif kind[j] < 0.12:
                out.append(str(nums[j]))
            else:
                out.append(toks[j])
        # sentences of ~20 words
        sents = []
        for s in range(0, n, 20):
            chunk = out[s : s + 20]
            chunk[0] = chunk[0][:1].upper() + chunk[0][1:]
            sents.append(" ".join(chunk) + ".")
        paras = [" ".join(sents[k : k + 3]) for k in range(0, len(sents), 3)]
        del np
        return "\n".join(paras)

    def batch(self, n: int) -> list[str]:
        return [self.article() for _ in range(n)]


_GEN: TextGenerator | None = None


def _gen_fp_chunk(args: tuple[int, int, int]) -> list[tuple[int, str, int, tuple[int, ...]]]:
    """Generate and fingerprint ``n`` articles with ids from ``start`` (in a worker process)."""
    start, n, seed = args
    from newsdesk import provenance as pv

    assert _GEN is not None
    _GEN.rng = _GEN.np.random.default_rng(seed * 1_000_003 + start)
    out = []
    for j in range(n):
        fp = pv.fingerprint(_GEN.article())
        out.append((start + j, fp.exact, fp.words, fp.index.keys))
    return out


def _bounded_imap(pool: Any, tasks: list[tuple[int, int, int]], window: int) -> Iterable[Any]:
    """``pool.imap`` with at most ``window`` chunks in flight: the workers fingerprint faster than one
    connection inserts, and an unbounded imap would queue every result in memory."""
    for i in range(0, len(tasks), window):
        yield from pool.imap(_gen_fp_chunk, tasks[i : i + window])


def _populate(db_path: Path, start: int, stop: int, gen: TextGenerator, seed: int, workers: int) -> float:
    """Index generated articles ``start``..``stop`` (ids start+1..stop) straight into the tables:
    minimal ``articles`` rows (foreign keys stay ON), ``fingerprints`` (with the keys listed, as
    schema 13 does) and ``lsh_keys``; a ``lsh_keys_article`` index (before schema 13) is dropped for
    the load and built again after. Returns seconds."""
    global _GEN
    import multiprocessing as mp

    _GEN = gen
    t0 = time.perf_counter()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -2000000")
    try:  # schema 12 on: the word index's triggers read texts through sqlar_uncompress
        from newsdesk.store._texts import register

        register(db)
    except ImportError:
        pass
    indexed = bool(db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'lsh_keys_article'").fetchone())
    listed = any(r[1] == "keys" for r in db.execute("PRAGMA table_info(fingerprints)"))
    db.execute("DROP INDEX IF EXISTS lsh_keys_article")
    chunk = 2000
    tasks = [(s, min(chunk, stop - s), seed) for s in range(start, stop, chunk)]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    pool = ctx.Pool(workers) if (ctx and workers > 1) else None
    results = _bounded_imap(pool, tasks, 2 * workers) if pool else map(_gen_fp_chunk, tasks)
    try:
        for rows in results:
            db.execute("BEGIN")
            db.executemany(
                "INSERT INTO articles (id, canonical_url, url, title, first_seen, last_seen, text, word_count, content_hash) "
                "VALUES (?, ?, ?, 'g', '2020-01-01', '2020-01-01', '', ?, ?)",
                (
                    (i + 1, f"https://gen.example/{i + 1}", f"https://gen.example/{i + 1}", w, e[:16])
                    for i, e, w, _ in rows
                ),
            )
            if listed:
                db.executemany(
                    "INSERT INTO fingerprints (article_id, exact, words, keys) VALUES (?, ?, ?, ?)",
                    ((i + 1, e, w, struct.pack(f"<{len(ks)}q", *ks)) for i, e, w, ks in rows),
                )
            else:
                db.executemany(
                    "INSERT INTO fingerprints (article_id, exact, words) VALUES (?, ?, ?)",
                    ((i + 1, e, w) for i, e, w, _ in rows),
                )
            keyrows = sorted({(k, i + 1) for i, _, _, ks in rows for k in ks})
            db.executemany("INSERT OR IGNORE INTO lsh_keys (key, article_id) VALUES (?, ?)", keyrows)
            db.execute("COMMIT")
    finally:
        if pool:
            pool.close()
            pool.join()
    if indexed:
        db.execute("CREATE INDEX IF NOT EXISTS lsh_keys_article ON lsh_keys (article_id)")
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - t0


def _db_sizes(db_path: Path) -> dict[str, int]:
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        sizes = {str(n): int(s) for n, s in rows}
    except sqlite3.Error:
        sizes = {}
    db.close()
    sizes["file"] = db_path.stat().st_size
    return sizes


def _rss_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _lookup_child(db_path: str, queries_path: str, passes: int = 3) -> dict[str, Any]:
    """In a child process: time fingerprint + store.candidates over the query texts.

    ``passes`` passes over all queries; the pass with the least CPU time counts. Rates are per CPU
    second of this process (``time.process_time``: user + system, so SQLite's reads count), which is
    what "on one core" means and what other processes on a shared machine do not disturb; the wall
    clock rates of the same pass are reported beside them.
    """
    from newsdesk import provenance as pv
    from newsdesk.store import open_store

    queries = json.loads(Path(queries_path).read_text(encoding="utf-8"))
    texts = [q["text"] for q in queries]
    store = open_store(db_path)
    rss0 = _rss_kb()
    load0 = os.getloadavg()
    # warm-up: a few queries outside the timing (imports, statement cache)
    for t in texts[:20]:
        fp = pv.fingerprint(t)
        store.candidates(fp.exact, fp.index.keys, exclude=-1, limit=20)
    best: dict[str, Any] | None = None
    cpu = time.process_time
    wall = time.perf_counter
    for _ in range(max(1, passes)):
        fp_cpu = lookup_cpu = fp_wall = lookup_wall = 0.0
        found = copies = copies_found = n_candidates = 0
        lat: list[float] = []
        buckets: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for q, t in zip(queries, texts, strict=True):
            c0, w0 = cpu(), wall()
            fp = pv.fingerprint(t)
            c1, w1 = cpu(), wall()
            cands = store.candidates(fp.exact, fp.index.keys, exclude=-1, limit=20)
            c2, w2 = cpu(), wall()
            fp_cpu += c1 - c0
            lookup_cpu += c2 - c1
            fp_wall += w1 - w0
            lookup_wall += w2 - w1
            lat.append(w2 - w1)
            found += bool(cands)
            n_candidates += len(cands)
            if q["expect"]:
                copies += 1
                copies_found += q["expect"] in cands
            b = "<300 words" if fp.words < 300 else "300-699 words" if fp.words < 700 else ">=700 words"
            buckets[b][0] += 1
            buckets[b][1] += c2 - c0
        if best is None or fp_cpu + lookup_cpu < best["cpu"]:
            best = {
                "cpu": fp_cpu + lookup_cpu,
                "fp_cpu": fp_cpu,
                "lookup_cpu": lookup_cpu,
                "fp_wall": fp_wall,
                "lookup_wall": lookup_wall,
                "lat": sorted(lat),
                "found": found,
                "copies": copies,
                "copies_found": copies_found,
                "n_candidates": n_candidates,
                "buckets": dict(buckets),
            }
    assert best is not None
    n = len(texts)
    lat = best["lat"]
    return {
        "queries": n,
        "passes": passes,
        "per_s": n / best["cpu"],
        "fingerprint_per_s": n / best["fp_cpu"],
        "lookup_per_s": n / best["lookup_cpu"],
        "per_s_wall": n / (best["fp_wall"] + best["lookup_wall"]),
        "fingerprint_per_s_wall": n / best["fp_wall"],
        "lookup_per_s_wall": n / best["lookup_wall"],
        "lookup_p50_ms": lat[n // 2] * 1000,
        "lookup_p99_ms": lat[min(n - 1, int(n * 0.99))] * 1000,
        "with_candidates": best["found"],
        "candidates_mean": best["n_candidates"] / n,
        "copies_queried": best["copies"],
        "copy_original_in_candidates": _ratio(best["copies_found"], best["copies"]),
        # (no ru_maxrss: Linux carries the parent's high-water mark across fork + exec into it)
        "rss_before_kb": rss0,
        "rss_after_kb": _rss_kb(),
        # the machine's load (1-minute average) when the lookups began and ended: how shared it was
        "load_before": load0[0],
        "load_after": os.getloadavg()[0],
        "per_s_by_length": {k: {"n": v[0], "per_s": v[0] / v[1]} for k, v in sorted(best["buckets"].items())},
        "words_mean": sum(len(t.split()) for t in texts) / n,
    }


def run_throughput(
    data_dir: Path,
    *,
    quick: bool = False,
    sizes: list[int] | None = None,
    seed: int = 1,
    keep: Path | None = None,
    queries: int = 2000,
) -> dict[str, Any]:
    from newsdesk import open_desk

    wiki = load_wikinews(data_dir) if (data_dir / "articles" / "wikinews").is_dir() else []
    sizes = sizes or ([10_000] if quick else [10_000, 100_000, 1_000_000])
    gen = TextGenerator([w["text"] for w in wiki], seed)
    try:
        workers = len(os.sched_getaffinity(0))
    except AttributeError:
        workers = os.cpu_count() or 1
    tmp = None if keep else tempfile.TemporaryDirectory(prefix="nd-prov-tp-")
    folder = keep or Path(tmp.name)  # type: ignore[union-attr]
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "index.db"
    desk = open_desk(db_path)  # creates and migrates the schema
    desk.close()
    with contextlib.closing(sqlite3.connect(db_path)) as db:  # a kept index is resumed
        done = int(db.execute("SELECT count(*) FROM fingerprints").fetchone()[0])
    # queries: fresh generated articles (not indexed), near copies of indexed ones, real wikinews texts
    qgen = TextGenerator([w["text"] for w in wiki], seed + 99)
    n_fresh = queries // 2
    q_texts = qgen.batch(n_fresh)
    q_texts += [w["text"] for w in wiki][: queries // 4]
    copy_gen = TextGenerator([w["text"] for w in wiki], seed)  # same stream as the index's first chunk
    copy_gen.rng = copy_gen.np.random.default_rng(seed * 1_000_003 + 0)
    indexed = [copy_gen.article() for _ in range(queries - len(q_texts))]
    q_texts += [truncate(t, 0.8) for t in indexed]
    n_copies = len(indexed)
    expect = [None] * (len(q_texts) - n_copies) + list(range(1, n_copies + 1))  # ids of the first chunk
    qpath = folder / "queries.json"
    qpath.write_text(
        json.dumps([{"text": t, "expect": e} for t, e in zip(q_texts, expect, strict=True)]), encoding="utf-8"
    )
    out: dict[str, Any] = {
        "workers_for_population": workers,
        "levels": [],
        "query_mix": {
            "fresh_generated": n_fresh,
            "wikinews": min(len(wiki), queries // 4),
            "truncated_copies_of_indexed": len(q_texts) - n_fresh - min(len(wiki), queries // 4),
        },
    }
    try:
        for size in sorted(sizes):
            if size < done:
                continue
            pop = _populate(db_path, done, size, gen, seed, workers) if size > done else 0.0
            done = size
            sizes_ = _db_sizes(db_path)
            proc = subprocess.run(
                [sys.executable, "-m", "bench.provenance", "--_lookup", str(db_path), str(qpath)],
                env=_common.child_env(),
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            r.update(
                {
                    "indexed": size,
                    "populate_seconds": pop,
                    "db_bytes": sizes_["file"],
                    "bytes_per_article": sizes_["file"] / size,
                    "table_bytes_per_article": {
                        k: v / size
                        for k, v in sizes_.items()
                        if k
                        in ("lsh_keys", "lsh_keys_article", "fingerprints", "fingerprints_exact", "articles")
                    },
                }
            )
            out["levels"].append(r)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return out
