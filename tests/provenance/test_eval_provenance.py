"""Quality gate for copy detection: the quick run of bench/provenance/, asserted against the floors of
bench/floors.toml.

The sample-corpus part ("provenance-sample") runs on a fresh clone too; the synthetic and
same-story-control parts ("provenance") need the evaluation data (``NEWSDESK_EVAL_DATA``, default
../shared/data) and are skipped without it. The floors are the issue's targets (bench/RESULTS.md has
the full run, throughput at 1,000,000 indexed articles included).
"""

from __future__ import annotations

from typing import Any

import pytest
from bench import floors
from bench._common import eval_data
from bench.provenance import run

from ..conftest import require_gate

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]

SAMPLE = floors.gate("provenance-sample")
SHARED = floors.gate("provenance")


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    parts = ["sample"] if SHARED.missing() else ["sample", "synthetic", "control"]
    result = run(eval_data(), quick=True, parts=parts)
    summary: dict[str, Any] = result["summary"]
    return summary


@pytest.fixture(scope="module")
def shared() -> floors.Gate:
    """The gate of the parts on the evaluation data: skipped without it, failed when it changed."""
    return require_gate("provenance")


@pytest.mark.parametrize("name", sorted(SAMPLE.floors))
def test_sample_floor(figures: dict[str, Any], name: str) -> None:
    assert figures[name] >= SAMPLE.floors[name], (name, figures[name])


@pytest.mark.parametrize("name", sorted(SHARED.floors))
def test_floor(shared: floors.Gate, figures: dict[str, Any], name: str) -> None:
    assert figures[name] >= shared.floors[name], (name, figures[name])


@pytest.mark.parametrize("name", sorted(SHARED.ceilings))
def test_ceiling(shared: floors.Gate, figures: dict[str, Any], name: str) -> None:
    assert figures[name] <= shared.ceilings[name], (name, figures[name])
