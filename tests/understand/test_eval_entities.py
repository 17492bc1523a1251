"""Quality gate: entities on GUM's Wikinews documents must not fall below pinned floors.

The figures of bench/understand/entities.py, asserted (trafilatura's eval_gate pattern) against the
floors of bench/floors.toml ("entities"), which hold for the data whose digest it records; and the
shipped model must be the one scripts/train_entities.py trains from that data (deterministic).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from bench._common import REPO
from bench.understand.entities import run

from ..conftest import require_gate

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]


def test_entities_quality_gate() -> None:
    gate = require_gate("entities")
    floor, ceiling = gate.floors, gate.ceilings
    result = run(["--repeat", "1"])
    dev, train = result["dev"], result["train"]
    model = dev["model"]
    assert model["micro"]["f1"] >= floor["dev_f1"], model
    assert model["micro"]["precision"] >= floor["dev_precision"], model
    assert model["micro"]["recall"] >= floor["dev_recall"], model
    for kind in ("person", "place", "organisation"):
        assert model[kind]["f1"] >= floor[f"dev_{kind}_f1"], (kind, model[kind])
    assert model["micro"]["f1"] > dev["baseline"]["micro"]["f1"], dev
    assert dev["joining"]["named_share"] >= floor["dev_join_share"], dev["joining"]
    assert train["joining"]["named_share"] >= floor["train_join_share"], train["joining"]
    assert train["model"]["micro"]["f1"] >= floor["train_f1"], train["model"]
    assert result["cost"]["entities_ms_per_1k_words"] <= ceiling["ms_per_1k_words"], result["cost"]


def test_the_shipped_model_is_what_the_training_script_makes() -> None:
    require_gate("entities")
    r = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "train_entities.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
