"""Quality gate: extraction on the public ScrapingHub pages must not fall below pinned floors.

trafilatura's eval_gate pattern: the figures of bench/extraction.py, asserted against the floors of
bench/floors.toml ("extraction"), which hold for the data whose digest it records.
"""

from __future__ import annotations

import pytest
from bench._common import eval_data
from bench.extraction import run

from .conftest import require_gate

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]


def test_extraction_quality_gate() -> None:
    gate = require_gate("extraction")
    floor, margin = gate.floors, gate.margins
    result = run(eval_data("extraction"))
    ours = result["systems"]["newsdesk"]
    plain = result["systems"]["trafilatura"]
    assert ours["f1"] >= floor["f1"], ours
    assert ours["precision"] >= floor["precision"], ours
    assert ours["accuracy"] >= floor["accuracy"], ours
    # our clean-up must not cost F1 against the extractor it runs on
    assert ours["f1"] >= plain["f1"] - margin["trafilatura_f1"], (ours, plain)
    # nor lose a page: a gain on average must not hide a page it makes worse
    behind = {
        pid: (round(float(p["f1"]), 3), round(float(plain["per_page"][pid]["f1"]), 3))
        for pid, p in ours["per_page"].items()
        if float(p["f1"]) < float(plain["per_page"][pid]["f1"]) - margin["page_f1"]
    }
    assert not behind, behind
