"""Quality gate: filing articles into categories must not fall below the floors of bench/floors.toml.

"categories-sample" runs on the bundled sample corpus (a fresh clone has it); "categories" needs the
HuffPost data (``NEWSDESK_EVAL_DATA``, default ../shared/data). The figures are bench/understand/
categories.py's, with the learner's default weight.
"""

from __future__ import annotations

from typing import Any

import pytest
from bench._common import eval_data
from bench.understand.categories import TAUGHT, run_huffpost, run_sample

from newsdesk.understand.categories import SectionLearner

from ..conftest import require_gate

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]

WEIGHT = SectionLearner.WEIGHT


def test_the_sample_corpus_is_filed_with_its_sections_hidden() -> None:
    floor = require_gate("categories-sample").floors
    result: dict[str, Any] = run_sample((WEIGHT,))
    assert result["default"]["accuracy"] >= floor["sample_accuracy"], result["default"]
    adapted = result["leave_one_outlet_out"][str(WEIGHT)]
    assert adapted >= floor["sample_adapted_accuracy"], result["leave_one_outlet_out"]


def test_huffpost_held_out_half() -> None:
    floor = require_gate("categories").floors
    result = run_huffpost(eval_data(), (WEIGHT,))
    assert result["clean"]["accuracy"] >= floor["clean_accuracy"], result["clean"]
    assert result["clean"]["macro_f1"] >= floor["clean_macro_f1"], result["clean"]
    assert result["mapped"]["accuracy"] >= floor["mapped_accuracy"], result["mapped"]
    sure = result["confident"]["0.7"]
    assert sure["accuracy"] >= floor["confident_accuracy"], result["confident"]
    assert sure["share"] >= floor["confident_share"], result["confident"]
    curve = result["adaptation"]["accuracy"][str(WEIGHT)]
    assert curve[max(TAUGHT)] - curve[0] >= floor["adaptation_gain"], curve
