"""Quality gate: extraction on the public ScrapingHub pages must not fall below pinned floors.

trafilatura's eval_gate pattern: the figures of bench/extraction.py, asserted. Floors sit a little
under the measured figures (bench/RESULTS.md) so noise does not fail CI but a real regression does.
"""

from __future__ import annotations

import pytest
from bench.extraction import run

from .conftest import require_shared

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]

F1_FLOOR = 0.970
PRECISION_FLOOR = 0.955
ACCURACY_FLOOR = 0.45
#: No page may fall further than this below plain trafilatura's F1 (the benchmark's settings).
PAGE_GAP = 0.02


def test_extraction_quality_gate() -> None:
    data = require_shared("extraction")
    result = run(data)
    ours = result["systems"]["newsdesk"]
    plain = result["systems"]["trafilatura"]
    assert ours["f1"] >= F1_FLOOR, ours
    assert ours["precision"] >= PRECISION_FLOOR, ours
    assert ours["accuracy"] >= ACCURACY_FLOOR, ours
    # our clean-up must not cost F1 against the extractor it runs on
    assert ours["f1"] >= plain["f1"] - 0.002, (ours, plain)
    # nor lose a page: a gain on average must not hide a page it makes worse
    behind = {
        pid: (round(float(p["f1"]), 3), round(float(plain["per_page"][pid]["f1"]), 3))
        for pid, p in ours["per_page"].items()
        if float(p["f1"]) < float(plain["per_page"][pid]["f1"]) - PAGE_GAP
    }
    assert not behind, behind
