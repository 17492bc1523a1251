"""Score main-text extraction on the public evaluation pages (ScrapingHub article-extraction-benchmark).

    .venv/bin/python -m bench.extraction [--data DIR] [--json FILE] [--diff] [--repeat N]

Systems, run in the same process over the same pages (decompressed and decoded beforehand, so
pages/s counts extraction only; the systems are interleaved page by page so that machine noise
hits all of them alike):

* ``trafilatura``          ``trafilatura.extract(html, url=url, include_comments=False)`` (the
                           benchmark's settings);
* ``trafilatura-notables`` the same with ``include_tables=False`` (the table setting newsdesk runs);
* ``trafilatura-bare``     ``trafilatura.bare_extraction`` as newsdesk runs it: on the parsed page
                           after newsdesk's table preparation (data tables written as rows, layout
                           tables unwrapped, the site's tables removed), with exactly the settings
                           newsdesk passes (metadata on, comments and tables off, no deduplication):
                           newsdesk's raw text before its clean-up, so newsdesk minus this row is the
                           clean-up's effect;
* ``newsdesk``             ``extract_html(html, url, min_words=1)``; a rejection counts as empty output.

The metric (the benchmark's): tokens are maximal runs of ``\\w+`` (case kept), each text becomes a
multiset of 4-token shingles, per page tp = shared shingles, precision = tp / predicted shingles,
recall = tp / true shingles; precision is averaged over pages with non-empty output, recall over all
pages, and F1 is the harmonic mean of the two averages. Accuracy is the share of pages whose whole
token sequence equals the truth's. Differences between systems come with a paired bootstrap 95 %
interval over the pages (the benchmark's own way of telling a difference from noise).

The figures are also given for two halves of the pages, split by the parity of the SHA-256 of the
page id (``half_of``): rules are tuned on half A and half B is reported as held out, so that a gain
fitted to these files shows as a gap between the halves.

Importable: ``score_pages(predictions, truth)`` and ``run(data_dir)`` for gate tests.
Only the standard library, trafilatura and newsdesk.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import _common
from bench._common import NGRAM, score_page, shingles, tokens

DEFAULT_DATA = _common.eval_data("extraction")

#: The systems, in the order they are reported.
SYSTEMS = ("trafilatura", "trafilatura-notables", "trafilatura-bare", "newsdesk")
LABELS = {
    "trafilatura": "(a) trafilatura.extract, comments off (benchmark settings)",
    "trafilatura-notables": "(a2) trafilatura.extract, comments and tables off",
    "trafilatura-bare": "(a3) trafilatura.bare_extraction as newsdesk runs it (tables prepared), no clean-up",
    "newsdesk": "(b) newsdesk extract_html(min_words=1)",
}
SHORT = {"trafilatura": "(a)", "trafilatura-notables": "(a2)", "trafilatura-bare": "(a3)", "newsdesk": "(b)"}


# -- the metric (bench/_common.py holds it; ingest/ scores its generated pages with it too) ---------

__all__ = ["NGRAM", "aggregate", "half_of", "run", "score_page", "score_pages", "shingles", "tokens"]


def aggregate(pages: list[dict[str, Any]]) -> dict[str, float]:
    """Precision (over pages with output), recall (over all pages), F1 and accuracy of per-page figures."""
    non_empty = [p for p in pages if p["predicted"]]
    n = len(pages)
    precision = sum(float(p["precision"]) for p in non_empty) / len(non_empty) if non_empty else 0.0
    recall = sum(float(p["recall"]) for p in pages) / n if n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(bool(p["exact"]) for p in pages) / n if n else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def half_of(page_id: str) -> str:
    """ "A" or "B": the half of the pages a page belongs to, by the parity of its id's SHA-256."""
    return "AB"[int(hashlib.sha256(page_id.encode("utf-8")).hexdigest(), 16) % 2]


def halves(per_page: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and accuracy of each half of the pages (see ``half_of``), with its size."""
    out: dict[str, dict[str, float]] = {}
    for half in "AB":
        pages = [p for pid, p in sorted(per_page.items()) if half_of(pid) == half]
        out[half] = {**aggregate(pages), "pages": float(len(pages))}
    return out


def score_pages(predictions: dict[str, str], truth: dict[str, str]) -> dict[str, Any]:
    """Score predicted texts against the true texts, page by page (keys of ``truth``).

    A page missing from ``predictions`` (or ``None``/empty) counts as empty output: it lowers
    recall, and it is left out of the precision average. Returns precision, recall, F1, accuracy,
    page counts and the per-page figures (``per_page``).
    """
    pages = {pid: score_page(predictions.get(pid) or "", true) for pid, true in truth.items()}
    return {
        **aggregate(list(pages.values())),
        "pages": len(pages),
        "non_empty": sum(1 for s in pages.values() if s["predicted"]),
        "per_page": pages,
    }


def paired_bootstrap(
    ours: dict[str, dict[str, Any]],
    theirs: dict[str, dict[str, Any]],
    *,
    samples: int = 2000,
    seed: int = 0,
) -> dict[str, tuple[float, float, float]]:
    """Difference ours - theirs of P, R, F1 and accuracy: (observed, low, high), a paired percentile
    bootstrap 95 % interval (the same resampled pages for both systems; seeded, so repeatable)."""
    ids = sorted(ours)
    a = [ours[i] for i in ids]
    b = [theirs[i] for i in ids]
    observed_a, observed_b = aggregate(a), aggregate(b)
    rng = random.Random(seed)
    diffs: dict[str, list[float]] = {k: [] for k in observed_a}
    n = len(ids)
    for _ in range(samples):
        idx = [rng.randrange(n) for _ in range(n)]
        ma, mb = aggregate([a[i] for i in idx]), aggregate([b[i] for i in idx])
        for k in diffs:
            diffs[k].append(ma[k] - mb[k])
    out = {}
    for k, values in diffs.items():
        values.sort()
        out[k] = (
            observed_a[k] - observed_b[k],
            values[int(0.025 * (samples - 1))],
            values[int(0.975 * (samples - 1))],
        )
    return out


# -- the data --------------------------------------------------------------------------------------


def load_data(data_dir: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(html, truth, url) by page id; the HTML is decompressed and decoded here, before any timing."""
    truth_doc = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    html: dict[str, str] = {}
    truth: dict[str, str] = {}
    urls: dict[str, str] = {}
    for pid in sorted(truth_doc):
        path = data_dir / "html" / f"{pid}.html.gz"
        if not path.exists():
            continue
        html[pid] = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        truth[pid] = truth_doc[pid].get("articleBody") or ""
        urls[pid] = truth_doc[pid].get("url") or ""
    return html, truth, urls


# -- the systems -----------------------------------------------------------------------------------


def _systems() -> dict[str, Callable[[str, str], tuple[str, str | None]]]:
    """name -> f(html, url) -> (text, rejection or None)."""
    import trafilatura
    from trafilatura.utils import load_html

    from newsdesk._tables import prepare as prepare_tables
    from newsdesk.extract import extract_html
    from newsdesk.model import Rejected

    def traf(html: str, url: str) -> tuple[str, str | None]:
        return trafilatura.extract(html, url=url, include_comments=False) or "", None

    def traf_notables(html: str, url: str) -> tuple[str, str | None]:
        return trafilatura.extract(html, url=url, include_comments=False, include_tables=False) or "", None

    def traf_bare(html: str, url: str) -> tuple[str, str | None]:
        # What newsdesk's extract() runs: the page parsed as trafilatura parses it (bytes in, as
        # extract_html encodes a str page), its tables prepared, then trafilatura on the tree.
        tree = load_html(html.encode("utf-8"))
        if tree is None:
            return "", None
        prepare_tables(tree)
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
        return str(getattr(doc, "text", None) or ""), None

    def newsdesk(html: str, url: str) -> tuple[str, str | None]:
        out = extract_html(html, url, min_words=1)
        if isinstance(out, Rejected):
            return "", f"{out.reason.value}: {out.detail}"
        return out.text, None

    return {
        "trafilatura": traf,
        "trafilatura-notables": traf_notables,
        "trafilatura-bare": traf_bare,
        "newsdesk": newsdesk,
    }


_WARM_UP = (
    "<html><head><title>Warm-up page</title></head><body><nav><a href='/'>Home</a></nav><article>"
    "<h1>Warm-up page</h1>"
    + "<p>The council met on Monday to discuss the budget for the coming year and agreed on a plan "
    "to repair the roads, the bridge and the old school before the winter season starts.</p>"
    * 6
    + "</article><footer>Contact us</footer></body></html>"
)


#: Libraries whose ``functools.lru_cache`` caches are emptied before each timed pass.
_CACHED_LIBRARIES = ("trafilatura", "htmldate", "courlan", "newsdesk")


def clear_caches() -> int:
    """Empty the LRU caches of trafilatura, htmldate, courlan and newsdesk; return how many.

    trafilatura keeps caches keyed on text lines (``trim``, ``line_processing``) and htmldate on
    date strings: a system run right after another on the same page would otherwise find the
    page's strings cached and look faster than it is on a page it has never seen.
    """
    n = 0
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in _CACHED_LIBRARIES:
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                value.cache_clear()
                n += 1
    return n


def run(data_dir: Path, *, repeat: int = 1) -> dict[str, Any]:
    """Run every system over every page; return per-system figures.

    ``result["systems"][name]`` holds precision, recall, F1, accuracy, pages, non_empty, seconds,
    pages_per_s, passes (seconds of every timed pass), rejected (list of (page id, reason)) and
    per_page figures; ``result["texts"]`` the outputs and ``result["truth"]`` the true texts, by
    system and page id (for ``--diff``).

    Each system makes its own pass over all pages, with the library caches emptied first (see
    ``clear_caches``), so no system profits from another having seen the page. With ``repeat`` > 1
    there are that many rounds of passes, the order of the systems rotating from round to round,
    and each system's fastest pass is kept.
    """
    html, truth, urls = load_data(data_dir)
    if not html:
        raise FileNotFoundError(f"no pages under {data_dir / 'html'}")
    systems = _systems()
    # Warm-up outside the timing, on a made-up page (so that no cache holds an evaluation page):
    # imports, regex compilation and lazy models (newsdesk loads py3langid for a page that
    # declares no language, which costs about a second once).
    for fn in systems.values():
        fn(_WARM_UP, "https://example.com/news/2024/01/01/warm-up")

    texts: dict[str, dict[str, str]] = {name: {} for name in systems}
    rejected: dict[str, list[tuple[str, str]]] = {name: [] for name in systems}
    passes: dict[str, list[float]] = {name: [] for name in systems}
    cpu_passes: dict[str, list[float]] = {name: [] for name in systems}
    load_before = os.getloadavg()[0]
    names = list(systems)
    for round_ in range(max(1, repeat)):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            fn = systems[name]
            clear_caches()
            elapsed = cpu = 0.0
            outputs: dict[str, tuple[str, str | None]] = {}
            for pid, page in html.items():
                t0, c0 = time.perf_counter(), time.process_time()
                outputs[pid] = fn(page, urls[pid])
                elapsed += time.perf_counter() - t0
                cpu += time.process_time() - c0
            passes[name].append(elapsed)
            cpu_passes[name].append(cpu)
            if round_ == 0:
                texts[name] = {pid: text for pid, (text, _) in outputs.items()}
                rejected[name] = [(pid, why) for pid, (_, why) in outputs.items() if why]

    out: dict[str, Any] = {
        "data": str(data_dir),
        "pages": len(html),
        "urls": urls,
        "load": (load_before, os.getloadavg()[0]),
        "systems": {},
        "texts": texts,
        "truth": truth,
    }
    for name in names:
        figures = score_pages(texts[name], truth)
        figures["seconds"] = min(passes[name])
        figures["passes"] = passes[name]
        figures["pages_per_s"] = len(html) / figures["seconds"] if figures["seconds"] else 0.0
        figures["cpu_seconds"] = min(cpu_passes[name])
        figures["pages_per_cpu_s"] = len(html) / figures["cpu_seconds"] if figures["cpu_seconds"] else 0.0
        figures["rejected"] = rejected[name]
        figures["halves"] = halves(figures["per_page"])
        out["systems"][name] = figures
    return out


# -- the report ------------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    c = _common
    base = result["systems"]["trafilatura"]
    rows = []
    for name, s in result["systems"].items():
        rows.append(
            [
                LABELS.get(name, name),
                f"{s['precision']:.3f}",
                f"{s['recall']:.3f}",
                f"{s['f1']:.3f}",
                f"{s['accuracy']:.3f}",
                f"{s['pages_per_s']:.1f}",
                f"{s['pages_per_s'] / base['pages_per_s']:.2f}" if base["pages_per_s"] else "-",
                f"{s['pages_per_cpu_s']:.1f}",
                f"{s['pages_per_cpu_s'] / base['pages_per_cpu_s']:.2f}" if base["pages_per_cpu_s"] else "-",
                f"{s['pages'] - s['non_empty']}",
            ]
        )
    headers = [
        "system",
        "precision",
        "recall",
        "F1",
        "accuracy",
        "pages/s",
        "speed vs (a)",
        "pages/CPU s",
        "CPU speed vs (a)",
        "empty",
    ]
    return str(c.markdown_table(headers, rows))


def halves_table(result: dict[str, Any]) -> str:
    """P, R, F1 and accuracy of every system on each half of the pages (``half_of``)."""
    c = _common
    rows = []
    for name, s in result["systems"].items():
        row = [SHORT.get(name, name)]
        for half in "AB":
            h = s["halves"][half]
            row.append(f"{h['precision']:.3f} / {h['recall']:.3f} / **{h['f1']:.3f}** / {h['accuracy']:.3f}")
        rows.append(row)
    sizes = {half: int(next(iter(result["systems"].values()))["halves"][half]["pages"]) for half in "AB"}
    headers = [
        "system",
        f"half A, tuned on ({sizes['A']} pages): P / R / F1 / acc",
        f"half B, held out ({sizes['B']} pages): P / R / F1 / acc",
    ]
    return str(c.markdown_table(headers, rows))


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _in_truth(line: str, true_tokens: list[str], true_sh: Counter[tuple[str, ...]]) -> float:
    """How much of a line is true text: its share of shingles found in the truth; a line shorter
    than a shingle counts as true when its tokens occur, in order and adjacent, in the truth."""
    toks = tokens(line)
    if not toks:
        return 0.0
    if len(toks) < NGRAM:
        n = len(toks)
        return float(any(true_tokens[i : i + n] == toks for i in range(len(true_tokens) - n + 1)))
    sh = shingles(line)
    return sum((sh & true_sh).values()) / sum(sh.values())


def page_gaps(result: dict[str, Any], against: str = "trafilatura") -> list[tuple[float, str]]:
    """(F1 of ``against`` - F1 of newsdesk, page id), largest loss first."""
    ours = result["systems"]["newsdesk"]["per_page"]
    theirs = result["systems"][against]["per_page"]
    gaps = [(float(theirs[pid]["f1"]) - float(ours[pid]["f1"]), pid) for pid in ours]
    return sorted(gaps, key=lambda g: (-g[0], g[1]))


def _line_diff(ours: str, theirs: str) -> tuple[list[str], list[str]]:
    """(lines of ``theirs`` missing from ``ours``, lines of ``ours`` missing from ``theirs``),
    compared by their token sequences, as multisets."""
    our_lines, their_lines = _lines(ours), _lines(theirs)
    our_keys = Counter(tuple(tokens(x)) for x in our_lines)
    lost, added = [], []
    for x in their_lines:
        key = tuple(tokens(x))
        if our_keys[key] > 0:
            our_keys[key] -= 1
        else:
            lost.append(x)
    their_left = Counter(tuple(tokens(x)) for x in their_lines)
    for x in our_lines:
        key = tuple(tokens(x))
        if their_left[key] > 0:
            their_left[key] -= 1
        else:
            added.append(x)
    return lost, added


def _describe(
    label: str, items: list[str], truth: str, width: int, limit: int = 8
) -> tuple[list[str], int, int]:
    """Report lines for lost or added text, each marked TRUE (mostly true text) or noise; and
    the words of true text and of noise among them."""
    if not items:
        return [], 0, 0
    true_tokens, true_sh = tokens(truth), shingles(truth)
    shares = [_in_truth(x, true_tokens, true_sh) for x in items]
    true_words = sum(len(x.split()) for x, sh in zip(items, shares, strict=True) if sh >= 0.5)
    words = sum(len(x.split()) for x in items)
    out = [f"  {label}: {len(items)} line(s), {words} words, of which {true_words} in true text"]
    for x, share in list(zip(items, shares, strict=True))[:limit]:
        snippet = x if len(x) <= width else x[: width - 1] + "…"
        out.append(f"    [{'TRUE ' if share >= 0.5 else 'noise'} {share:4.0%}] {snippet}")
    if len(items) > limit:
        out.append(f"    … and {len(items) - limit} more")
    return out, true_words, words - true_words


def diff(result: dict[str, Any], *, against: str = "trafilatura", worst: int = 10, width: int = 150) -> str:
    """The pages where newsdesk's F1 is most below ``against``'s, with the lines it loses and adds.

    Each lost or added line is marked TRUE (mostly ground-truth text) or noise. Pages where
    newsdesk is not below are not listed; a summary line says how many gain and lose.
    """
    systems = result["systems"]
    rejected = dict(systems["newsdesk"]["rejected"])
    gaps = page_gaps(result, against)
    losing = [(g, pid) for g, pid in gaps if g > 1e-9]
    gaining = [(g, pid) for g, pid in gaps if g < -1e-9]
    out = [
        f"## Pages where newsdesk's F1 is below {SHORT.get(against, against)} {against}'s (worst {worst})",
        "",
        f"newsdesk is below on {len(losing)} page(s), above on {len(gaining)}, equal on "
        f"{len(gaps) - len(losing) - len(gaining)}; sum of losses {sum(g for g, _ in losing):.3f}, "
        f"of gains {-sum(g for g, _ in gaining):.3f} (F1 points over all pages).",
        "",
    ]
    if len(losing) < worst:
        out += [f"(Only {len(losing)} page(s) are below: all are listed.)", ""]
    for gap, pid in losing[:worst]:
        f1 = {SHORT.get(name, name): float(s["per_page"][pid]["f1"]) for name, s in systems.items()}
        o, t = systems["newsdesk"]["per_page"][pid], systems[against]["per_page"][pid]
        url = result.get("urls", {}).get(pid, "")
        out.append(f"### {pid[:12]} {url}")
        out.append(
            "F1 "
            + ", ".join(f"{name} {v:.3f}" for name, v in f1.items())
            + f" (gap {gap:+.3f}); P {t['precision']:.3f} -> {o['precision']:.3f}, R {t['recall']:.3f} -> {o['recall']:.3f}"
        )
        if pid in rejected:
            out.append(f"  newsdesk rejected the page: {rejected[pid]}")
        truth = result["truth"][pid]
        lost, added = _line_diff(result["texts"]["newsdesk"][pid], result["texts"][against][pid])
        bare = systems.get("trafilatura-bare", {}).get("per_page", {}).get(pid)
        if bare is not None:
            # Split the gap: trafilatura's settings (against -> a3), then the clean-up (a3 -> newsdesk).
            settings = float(bare["f1"]) - float(t["f1"])
            cleanup = float(o["f1"]) - float(bare["f1"])
            out.append(
                f"  split: trafilatura call as newsdesk runs it (a3) {settings:+.3f}, newsdesk clean-up "
                f"{cleanup:+.3f}"
                + (
                    " -> cause: trafilatura settings (tables off / bare_extraction)"
                    if settings < -1e-9
                    else ""
                )
                + (" -> cause: the clean-up" if cleanup < -1e-9 else "")
            )
        for label, items in (("lost", lost), ("added", added)):
            lines, _, _ = _describe(label, items, truth, width)
            out += lines
        if not lost and not added:
            out.append("  same lines; the difference is in line breaks or order")
        out.append("")
    return "\n".join(out)


def cleanup_audit(result: dict[str, Any], *, width: int = 150) -> tuple[str, dict[str, Any]]:
    """What newsdesk's clean-up removed on every page: newsdesk's output against (a3), which is the
    same trafilatura call without the clean-up. Returns the report and its figures."""
    systems = result["systems"]
    if "trafilatura-bare" not in systems:
        return "", {}
    bare, ours = systems["trafilatura-bare"], systems["newsdesk"]
    touched = better = worse = 0
    true_words = noise_words = 0
    added_pages: list[str] = []
    worse_pages: list[tuple[float, str, list[str]]] = []
    every: list[str] = []
    for pid in sorted(ours["per_page"]):
        lost, added = _line_diff(result["texts"]["newsdesk"][pid], result["texts"]["trafilatura-bare"][pid])
        if added:
            added_pages.append(pid)
        if not lost and not added:
            continue
        touched += 1
        lines, t, n = _describe("removed", lost, result["truth"][pid], width, limit=12)
        true_tokens, true_sh = tokens(result["truth"][pid]), shingles(result["truth"][pid])
        for x in lost:
            share = _in_truth(x, true_tokens, true_sh)
            snippet = x if len(x) <= 100 else x[:99] + "…"
            every.append(f"    [{'TRUE ' if share >= 0.5 else 'noise'} {share:4.0%}] {pid[:12]}  {snippet}")
        true_words += t
        noise_words += n
        delta = float(ours["per_page"][pid]["f1"]) - float(bare["per_page"][pid]["f1"])
        if delta > 1e-9:
            better += 1
        elif delta < -1e-9:
            worse += 1
            worse_pages.append((delta, pid, lines))
    d_f1 = ours["f1"] - bare["f1"]
    out = [
        "## What the clean-up removed: newsdesk against (a3), the same trafilatura call without it",
        "",
        f"The clean-up changed {touched} of {len(ours['per_page'])} pages: F1 higher on {better}, lower on "
        f"{worse}; it removed {noise_words} words of noise and {true_words} words of true text. "
        f"ΔF1 over the set {d_f1:+.4f}.",
    ]
    if added_pages:
        out.append(
            f"NOTE: on {len(added_pages)} page(s) newsdesk has lines (a3) lacks, so its raw text is not "
            f"(a3)'s: {', '.join(p[:12] for p in added_pages[:10])}"
        )
    out.append("")
    for delta, pid, lines in sorted(worse_pages):
        out.append(f"### {pid[:12]} {result.get('urls', {}).get(pid, '')} (ΔF1 {delta:+.3f})")
        out += [*lines, ""]
    out += [
        f"Every line the clean-up removed ({len(every)}), marked by how much of it is true text:",
        *every,
        "",
    ]
    figures = {
        "pages_changed": touched,
        "pages_better": better,
        "pages_worse": worse,
        "noise_words_removed": noise_words,
        "true_words_removed": true_words,
        "delta_f1": d_f1,
    }
    return "\n".join(out), figures


def comparisons(result: dict[str, Any]) -> list[tuple[str, str, dict[str, tuple[float, float, float]]]]:
    """Paired bootstrap differences of newsdesk against each other system."""
    ours = result["systems"]["newsdesk"]["per_page"]
    return [
        (name, LABELS[name], paired_bootstrap(ours, s["per_page"]))
        for name, s in result["systems"].items()
        if name != "newsdesk"
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"evaluation folder (default {DEFAULT_DATA})"
    )
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures (no texts) as JSON")
    ap.add_argument(
        "--diff",
        action="store_true",
        help="list the 10 pages where newsdesk loses most F1, and what its clean-up removed",
    )
    ap.add_argument(
        "--diff-against",
        choices=SYSTEMS[:3],
        default="trafilatura",
        help="system to compare newsdesk with in --diff (default: trafilatura)",
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="time N passes per system, keep the fastest (default 1)"
    )
    args = ap.parse_args(argv)

    c = _common
    data: Path = args.data
    if not (data / "ground-truth.json").exists() or not (data / "html").is_dir():
        print(f"skipped: extraction evaluation data not found at {data} (needs ground-truth.json and html/)")
        return 0
    m = c.machine()
    print(c.machine_line(m))
    print(f"Data: {data}")
    result = run(data, repeat=args.repeat)
    print(
        f"Pages: {result['pages']}; extraction time only (pages decompressed and decoded first), one pass "
        f"per system with library caches emptied, fastest of {max(1, args.repeat)} pass(es)\n"
    )
    print(table(result))
    print("\nBy half of the pages (split by the SHA-256 of the page id):\n")
    print(halves_table(result))
    before, after = result["load"]
    print(f"\n1-minute load average {before:.1f} at the start, {after:.1f} at the end", end="")
    if max(before, after) > (os.cpu_count() or 1) - 0.5:
        print(": the machine was busy with other work; trust the CPU-time columns more than pages/s.")
    else:
        print(".")
    nd = result["systems"]["newsdesk"]
    if nd["rejected"]:
        reasons = Counter(why.split(":", 1)[0] for _, why in nd["rejected"])
        print(
            f"\nnewsdesk rejected {len(nd['rejected'])} page(s): "
            + ", ".join(f"{r} ×{n}" for r, n in reasons.items())
        )
        for pid, why in nd["rejected"]:
            print(f"  {pid[:12]}: {why}")
    else:
        print("\nnewsdesk rejected no page.")
    print("\nnewsdesk minus each system (paired bootstrap 95 % interval over the pages):")
    diffs = comparisons(result)
    for name, _label, d in diffs:
        s = result["systems"][name]
        print(
            f"  vs {SHORT[name]} {name}: "
            + ", ".join(
                f"Δ{k if k != 'accuracy' else 'acc'} {v[0]:+.4f} [{v[1]:+.4f}, {v[2]:+.4f}]"
                for k, v in d.items()
                if k in ("f1", "precision", "recall", "accuracy")
            )
            + f"; speed ×{nd['pages_per_s'] / s['pages_per_s']:.2f} (CPU time: ×{nd['pages_per_cpu_s'] / s['pages_per_cpu_s']:.2f})"
        )
    audit_text, audit = cleanup_audit(result)
    if args.diff:
        print()
        print(diff(result, against=args.diff_against))
        if audit_text:
            print(audit_text)
    elif audit:
        print(
            f"\nclean-up (newsdesk vs a3): changed {audit['pages_changed']} pages, F1 up on "
            f"{audit['pages_better']}, down on {audit['pages_worse']}; removed {audit['noise_words_removed']} "
            f"noise words and {audit['true_words_removed']} true words (--diff for details)"
        )
    if args.json:
        figures = {
            "machine": m,
            "data": result["data"],
            "pages": result["pages"],
            "repeat": max(1, args.repeat),
            "systems": {
                name: {
                    **{k: v for k, v in s.items() if k != "per_page"},
                    "per_page": {
                        pid: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in p.items()}
                        for pid, p in s["per_page"].items()
                    },
                }
                for name, s in result["systems"].items()
            },
            "newsdesk_minus": {name: d for name, _, d in diffs},
            "cleanup": audit,
        }
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
