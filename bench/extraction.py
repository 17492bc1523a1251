"""Score main-text extraction on the public evaluation pages (ScrapingHub article-extraction-benchmark).

    .venv/bin/python bench/extraction.py [--data DIR] [--json FILE] [--diff] [--repeat N]

Systems, run in the same process over the same pages (decompressed and decoded beforehand, so
pages/s counts extraction only; the systems are interleaved page by page so that machine noise
hits all of them alike):

* ``trafilatura``          ``trafilatura.extract(html, url=url, include_comments=False)`` (the
                           benchmark's settings);
* ``trafilatura-notables`` the same with ``include_tables=False`` (what newsdesk runs);
* ``newsdesk``             ``extract_html(html, url, min_words=1)``; a rejection counts as empty output.

The metric (the benchmark's): tokens are maximal runs of ``\\w+`` (case kept), each text becomes a
multiset of 4-token shingles, per page tp = shared shingles, precision = tp / predicted shingles,
recall = tp / true shingles; precision is averaged over pages with non-empty output, recall over all
pages, and F1 is the harmonic mean of the two averages. Accuracy is the share of pages whose whole
token sequence equals the truth's.

Importable: ``score_pages(predictions, truth)`` and ``run(data_dir)`` for gate tests.
Only the standard library, trafilatura and newsdesk.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction"

#: The systems, in the order they are reported.
SYSTEMS = ("trafilatura", "trafilatura-notables", "newsdesk")
LABELS = {
    "trafilatura": "(a) trafilatura.extract, comments off (benchmark settings)",
    "trafilatura-notables": "(a2) trafilatura.extract, comments and tables off",
    "newsdesk": "(b) newsdesk extract_html(min_words=1)",
}


def _common() -> ModuleType:
    """bench/_common.py, whether this file runs as a script or is imported by a test."""
    name = "_newsdesk_bench_common"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("_common.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# -- the metric ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")
NGRAM = 4


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """The multiset of n-token shingles; a text shorter than n tokens is one (shorter) shingle,
    as in the benchmark's own evaluation code; a text without tokens has none."""
    toks = tokens(text)
    if not toks:
        return Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)))


def score_page(pred: str | None, true: str | None) -> dict[str, float | int | bool]:
    """Per-page figures: tp, predicted and true shingle counts, precision, recall, F1, exact match."""
    p, t = shingles(pred), shingles(true)
    tp = sum((p & t).values())
    n_pred, n_true = sum(p.values()), sum(t.values())
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else (1.0 if not n_pred else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "predicted": n_pred,
        "true": n_true,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "exact": tokens(pred) == tokens(true),
    }


def score_pages(predictions: dict[str, str], truth: dict[str, str]) -> dict[str, Any]:
    """Score predicted texts against the true texts, page by page (keys of ``truth``).

    A page missing from ``predictions`` (or ``None``/empty) counts as empty output: it lowers
    recall, and it is left out of the precision average. Returns precision, recall, F1, accuracy,
    page counts and the per-page figures (``pages``).
    """
    pages = {pid: score_page(predictions.get(pid) or "", true) for pid, true in truth.items()}
    non_empty = [s for s in pages.values() if s["predicted"]]
    n = len(pages)
    precision = sum(float(s["precision"]) for s in non_empty) / len(non_empty) if non_empty else 0.0
    recall = sum(float(s["recall"]) for s in pages.values()) / n if n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(bool(s["exact"]) for s in pages.values()) / n if n else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": accuracy,
        "pages": n,
        "non_empty": len(non_empty),
        "per_page": pages,
    }


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

    from newsdesk.extract import extract_html
    from newsdesk.model import Rejected

    def traf(html: str, url: str) -> tuple[str, str | None]:
        return trafilatura.extract(html, url=url, include_comments=False) or "", None

    def traf_notables(html: str, url: str) -> tuple[str, str | None]:
        return trafilatura.extract(html, url=url, include_comments=False, include_tables=False) or "", None

    def newsdesk(html: str, url: str) -> tuple[str, str | None]:
        out = extract_html(html, url, min_words=1)
        if isinstance(out, Rejected):
            return "", f"{out.reason.value}: {out.detail}"
        return out.text, None

    return {"trafilatura": traf, "trafilatura-notables": traf_notables, "newsdesk": newsdesk}


_WARM_UP = (
    "<html><head><title>Warm-up page</title></head><body><nav><a href='/'>Home</a></nav><article>"
    "<h1>Warm-up page</h1>"
    + "<p>The council met on Monday to discuss the budget for the coming year and agreed on a plan "
    "to repair the roads, the bridge and the old school before the winter season starts.</p>"
    * 6
    + "</article><footer>Contact us</footer></body></html>"
)


def run(data_dir: Path, *, repeat: int = 1) -> dict[str, Any]:
    """Run every system over every page; return per-system figures.

    ``result["systems"][name]`` holds precision, recall, F1, accuracy, pages, non_empty, seconds,
    pages_per_s, rejected (list of (page id, reason)) and per_page figures; ``result["texts"]`` the
    outputs and ``result["truth"]`` the true texts, by system and page id (for ``--diff``).
    With ``repeat`` > 1 each page is extracted that many times and the fastest time is kept (this
    flatters every system a little: htmldate and trafilatura keep small LRU caches keyed on text).
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
    seconds: dict[str, float] = dict.fromkeys(systems, 0.0)
    names = list(systems)
    for i, pid in enumerate(html):
        # Rotate the order page by page so that no system always runs first on a cold cache.
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            best = float("inf")
            for _ in range(max(1, repeat)):
                t0 = time.perf_counter()
                text, why = systems[name](html[pid], urls[pid])
                best = min(best, time.perf_counter() - t0)
            seconds[name] += best
            texts[name][pid] = text
            if why:
                rejected[name].append((pid, why))

    out: dict[str, Any] = {
        "data": str(data_dir),
        "pages": len(html),
        "systems": {},
        "texts": texts,
        "truth": truth,
    }
    for name in names:
        figures = score_pages(texts[name], truth)
        figures["seconds"] = seconds[name]
        figures["pages_per_s"] = len(html) / seconds[name] if seconds[name] else 0.0
        figures["rejected"] = rejected[name]
        out["systems"][name] = figures
    return out


# -- the report ------------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    c = _common()
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
                f"{s['pages'] - s['non_empty']}",
            ]
        )
    headers = ["system", "precision", "recall", "F1", "accuracy", "pages/s", "speed vs (a)", "empty"]
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
        f"## Pages where newsdesk's F1 is below {against}'s (worst {worst})",
        "",
        f"newsdesk is below on {len(losing)} page(s), above on {len(gaining)}, equal on "
        f"{len(gaps) - len(losing) - len(gaining)}; sum of losses {sum(g for g, _ in losing):.3f}, "
        f"of gains {-sum(g for g, _ in gaining):.3f} (F1 points over all pages).",
        "",
    ]
    for gap, pid in losing[:worst]:
        f1 = {name: float(s["per_page"][pid]["f1"]) for name, s in systems.items()}
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
        true_tokens = tokens(result["truth"][pid])
        true_sh = shingles(result["truth"][pid])
        our_lines = _lines(result["texts"]["newsdesk"][pid])
        their_lines = _lines(result["texts"][against][pid])
        our_keys = Counter(tuple(tokens(x)) for x in our_lines)
        their_keys = Counter(tuple(tokens(x)) for x in their_lines)
        lost = [x for x in their_lines if our_keys[tuple(tokens(x))] == 0]
        added = [x for x in our_lines if their_keys[tuple(tokens(x))] == 0]
        lost_true = [x for x in lost if _in_truth(x, true_tokens, true_sh) >= 0.5]
        in_tables = sum(len(x.split()) for x in lost_true if x.startswith("|"))
        if lost_true and in_tables >= 0.5 * sum(len(x.split()) for x in lost_true):
            out.append(
                "  cause: table rows (newsdesk runs trafilatura with include_tables=False, like (a2); "
                "the text is lost or re-flowed)"
            )
        for label, items in (("lost", lost), ("added", added)):
            if not items:
                continue
            shares = [_in_truth(x, true_tokens, true_sh) for x in items]
            true_words = sum(len(x.split()) for x, sh in zip(items, shares, strict=True) if sh >= 0.5)
            words = sum(len(x.split()) for x in items)
            out.append(f"  {label}: {len(items)} line(s), {words} words, of which {true_words} in true text")
            for x, share in list(zip(items, shares, strict=True))[:8]:
                snippet = x if len(x) <= width else x[: width - 1] + "…"
                out.append(f"    [{'TRUE ' if share >= 0.5 else 'noise'} {share:4.0%}] {snippet}")
            if len(items) > 8:
                out.append(f"    … and {len(items) - 8} more")
        if not lost and not added:
            out.append("  same lines; the difference is in line breaks or order")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"evaluation folder (default {DEFAULT_DATA})"
    )
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures (no texts) as JSON")
    ap.add_argument("--diff", action="store_true", help="list the 10 pages where newsdesk loses most F1")
    ap.add_argument(
        "--diff-against",
        choices=SYSTEMS[:2],
        default="trafilatura",
        help="system to compare newsdesk with in --diff (default: trafilatura)",
    )
    ap.add_argument("--repeat", type=int, default=1, help="time each page N times, keep the fastest")
    args = ap.parse_args(argv)

    c = _common()
    data: Path = args.data
    if not (data / "ground-truth.json").exists() or not (data / "html").is_dir():
        print(f"skipped: extraction evaluation data not found at {data} (needs ground-truth.json and html/)")
        return 0
    m = c.machine()
    print(c.machine_line(m))
    print(f"Data: {data}")
    result = run(data, repeat=args.repeat)
    result["urls"] = {pid: u for pid, u in load_data(data)[2].items()}
    print(f"Pages: {result['pages']} (extraction time only; systems interleaved page by page)\n")
    print(table(result))
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
    for name in ("trafilatura", "trafilatura-notables"):
        s = result["systems"][name]
        print(
            f"newsdesk vs {name}: ΔF1 {nd['f1'] - s['f1']:+.4f}, ΔP {nd['precision'] - s['precision']:+.4f}, "
            f"ΔR {nd['recall'] - s['recall']:+.4f}, speed ×{nd['pages_per_s'] / s['pages_per_s']:.2f}"
        )
    if args.diff:
        print()
        print(diff(result, against=args.diff_against))
    if args.json:
        figures = {
            "machine": m,
            "data": result["data"],
            "pages": result["pages"],
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
        }
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
