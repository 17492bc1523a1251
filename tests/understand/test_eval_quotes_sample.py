"""Quality gate: who said what on the bundled sample corpus must not fall below the floors of
bench/floors.toml ("quotes-sample"); the figures are bench/understand/sample.py's, against the
hand-made truth src/newsdesk/sample/quotes.json (a fresh clone has both)."""

from __future__ import annotations

import pytest
from bench.understand.sample import run

from ..conftest import require_gate

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]


def test_who_said_what_on_the_sample_corpus() -> None:
    floor = require_gate("quotes-sample").floors
    result = run(["--examples", "0"])
    for part in ("all", "direct"):
        for figure in ("precision", "recall", "f1"):
            assert result[part][figure] >= floor[f"{part}_{figure}"], (part, result[part])
    assert result["indirect_recall"] >= floor["indirect_recall"], result
    assert result["speaker_accuracy_named"] >= floor["speaker_accuracy_named"], result
    assert result["speaker_accuracy_stored_named"] >= floor["speaker_accuracy_stored_named"], result
    ceiling = require_gate("quotes-sample").ceilings
    assert result["speaker_wrong_stored_named"] <= ceiling["speaker_wrong_stored_named"], result
    assert result["mention_overlap"] >= floor["mention_overlap"], result
