"""``worst``: the understand stage on texts made to be slow (no data needed).

    .venv/bin/python -m bench.understand --parts worst

One bad article must not hold up an ingest: ``understand.analyse`` runs in the ingest process with
no time limit of its own (extraction's budget caps an article at ``max_article_chars``, a million
characters by default), so its cost must grow with a text's length, not with its square. Each
input is built at two lengths; the ratio of their times against the ratio of their lengths shows
the growth (2x the text at 2x the time is linear, at 4x quadratic).
"""

from __future__ import annotations

import time
from typing import Any

from bench._common import markdown_table

#: name -> one unit of text, repeated
UNITS = {
    "one paragraph of quotes": "The minister said that the plan would work. “We will see,” she told reporters. ",
    "a quote a paragraph": "\n\n“Yes,” he said.\n\n",
    "names, then he": "Ana Ruiz met Tom Lee. “No,” he said. ",
    "figures": "March 3, 2026 $4.5 million 9% 200 km ",
    "capitalised words": "Ana Ruiz Of The Bank ",
    "open quotation marks": "“a ",
    "no spaces": "x" * 50,
}


def run(argv: list[str] | None = None) -> dict[str, Any]:
    from newsdesk.understand import analyse

    analyse("Warm up: “Yes,” said Ana Ruiz.")
    out: dict[str, Any] = {}
    for name, unit in UNITS.items():
        rows = []
        for chars in (150_000, 300_000):
            text = unit * (chars // len(unit))
            started = time.perf_counter()
            found = analyse(text)
            rows.append((len(text), time.perf_counter() - started, len(found.quotes), len(found.entities)))
        out[name] = rows
    return out


def report(result: dict[str, Any]) -> str:
    rows = []
    for name, ((n1, t1, _q1, _e1), (n2, t2, q2, _e2)) in result.items():
        rows.append(
            [name, f"{n1:,}", f"{t1:.2f}", f"{n2:,}", f"{t2:.2f}", f"{t2 / t1:.1f}" if t1 else "-", f"{q2:,}"]
        )
    return "## worst (understand.analyse on texts made to be slow)\n\n" + markdown_table(
        ["input", "chars", "s", "chars", "s", "time ratio (length ratio 2)", "quotes"], rows
    )
