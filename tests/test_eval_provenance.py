"""Quality gate for copy detection: bench/provenance.py's quick run, asserted against pinned floors.

The sample-corpus part runs on a fresh clone too; the synthetic and same-story-control parts need
../shared/data and are skipped without it. The floors are the issue's targets (bench/RESULTS.md has
the full run, throughput at 1,000,000 indexed articles included).
"""

from __future__ import annotations

from typing import Any

import pytest
from bench._common import eval_data
from bench.provenance import run

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]


FLOORS = {
    "sample_precision": 1.0,
    "sample_recall": 1.0,
    "sample_election_recall": 1.0,
    "identical_precision": 0.99,
    "identical_recall": 0.98,
    "boilerplate_precision": 0.99,
    "boilerplate_recall": 0.98,
    "near_precision": 0.99,
    "near_recall": 0.98,
    "syndicated_precision": 0.99,
    "syndicated_recall": 0.98,
    "sub40_precision": 0.97,
    "sub40_recall": 0.90,
    "early_election_with_signal": 1.0,
    # pinned at the quick run of 28 Nov 2026 (bench/RESULTS.md): a regression shows up here
    "sub60_recall": 0.95,
    "sub40_all_recall": 0.95,
    "reordered_recall": 0.98,
    "boilerplate_soon_election": 0.95,  # a copy that adds boilerplate is not the original
    "expanded_soon_election": 0.9,  # nor one that adds paragraphs (0.105 before the teaser rule)
}
CEILINGS = {
    "control_en_fp_rate": 0.0,
    "control_same_language_fp_rate": 0.0,  # the Arabic pair, before sentences split in every script
    "control_all_fp_rate": 0.0,
    "control_any_score_fp_rate": 0.006,
}


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    data = eval_data()
    parts = ["sample", "synthetic", "control"] if data.exists() else ["sample"]
    result = run(data, quick=True, parts=parts)
    summary: dict[str, Any] = result["summary"]
    return summary


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_floor(figures: dict[str, Any], name: str) -> None:
    if name not in figures:
        pytest.skip(f"{name} not measured (public evaluation data absent at {eval_data()})")
    assert figures[name] >= FLOORS[name], (name, figures[name])


@pytest.mark.parametrize("name", sorted(CEILINGS))
def test_ceiling(figures: dict[str, Any], name: str) -> None:
    if name not in figures:
        pytest.skip(f"{name} not measured (public evaluation data absent at {eval_data()})")
    assert figures[name] <= CEILINGS[name], (name, figures[name])
