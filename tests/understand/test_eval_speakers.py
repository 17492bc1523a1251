"""Quality gate: quotes tied to entities as the desk stores them (``understand.analyse``), on
PolNeAR dev, must not fall below the floors of bench/floors.toml ("speakers")."""

from __future__ import annotations

import pytest
from bench.understand.speakers import score

from ..conftest import require_gate

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]


def test_quotes_are_tied_to_the_right_entities_on_polnear_dev() -> None:
    gate = require_gate("speakers")
    result = score("dev")
    for name, floor in gate.floors.items():
        assert result[name] >= floor, (name, result)
    for name, ceiling in gate.ceilings.items():
        assert result[name] <= ceiling, (name, result)
