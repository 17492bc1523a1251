"""Shared helpers of the benchmarks: the machine description and small formatting utilities.

Only the standard library (plus trafilatura/newsdesk for their versions).
"""

from __future__ import annotations

import os
import platform
import re
import sys
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: The repository root (bench/ is one level below it).
REPO = Path(__file__).resolve().parents[1]
#: The setting that names the evaluation data folder.
EVAL_DATA_VARIABLE = "NEWSDESK_EVAL_DATA"


def eval_data(*parts: str) -> Path:
    """The public evaluation data (or ``parts`` inside it), kept outside the repository: the folder
    ``$NEWSDESK_EVAL_DATA`` names, else ``../shared/data`` next to the repository. Every benchmark
    and evaluation gate finds its data here."""
    value = os.environ.get(EVAL_DATA_VARIABLE)
    root = Path(value).expanduser().absolute() if value else REPO.parent / "shared" / "data"
    return root.joinpath(*parts)


def child_env(env: dict[str, str] | None = None, *, src: Path | None = None) -> dict[str, str]:
    """The environment (``env``, else this process's) for a child ``python -m bench.NAME``: the
    repository on ``PYTHONPATH`` so that the package is found from any directory; with ``src`` (the
    ``src`` folder of an older checkout, for a before/after) that folder first, instead of the
    inherited path."""
    out = dict(os.environ if env is None else env)
    paths = [str(src), str(REPO)] if src is not None else [str(REPO), out.get("PYTHONPATH", "")]
    out["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str | int]:
    """What the figures were measured on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 1,
        "usable_cores": usable,
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": platform.platform(),
        "trafilatura": _version("trafilatura"),
        "lxml": _version("lxml"),
        "newsdesk": _version("newsdesk"),
    }


def machine_line(m: dict[str, str | int] | None = None) -> str:
    m = m or machine()
    return (
        f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
        f"{m['implementation']} {m['python']}, trafilatura {m['trafilatura']}, lxml {m['lxml']}, "
        f"newsdesk {m['newsdesk']} ({m['platform']})"
    )


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; columns after the first are right-aligned."""
    align = ["---"] + ["---:"] * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


# -- the ScrapingHub article-extraction-benchmark metric (shared by extraction.py and ingest/) -------

_TOKEN = re.compile(r"\w+")
NGRAM = 4


def tokens(text: str | None) -> list[str]:
    """Maximal runs of ``\\w+``, case kept."""
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
