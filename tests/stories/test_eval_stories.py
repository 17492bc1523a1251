"""Quality gate: story clustering on the public galaxy and ECB+ sets must not fall below pinned floors.

The figures of bench/stories.py, asserted (trafilatura's eval_gate pattern) against the floors of
bench/floors.toml ("stories"), which hold for the data whose digest it records. Floors sit a little
under the measured figures (bench/RESULTS.md, "Stories"), so noise does not fail CI but a real
regression does.
"""

from __future__ import annotations

import pytest
from bench._common import eval_data
from bench.stories import ceiling as oracle_ceiling
from bench.stories import load_galaxy, online, run, scores, understand

from ..conftest import require_gate

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]


def test_story_clustering_quality_gate() -> None:
    floor = require_gate("stories").floors
    result = run(eval_data(), ("galaxy", "ecbplus"), shuffles=0)
    galaxy, ecb = result["galaxy"]["online"], result["ecbplus"]["online"]
    assert galaxy["bcubed_f1"] >= floor["galaxy_f1"], galaxy
    assert galaxy["bcubed_p"] >= floor["galaxy_precision"], galaxy
    assert ecb["bcubed_f1"] >= floor["ecbplus_f1"], ecb
    assert ecb["bcubed_p"] >= floor["ecbplus_precision"], ecb
    assert ecb["bcubed_r"] >= floor["ecbplus_recall"], ecb
    # online, one configuration for both, must stay ahead of the offline baseline on both
    assert galaxy["bcubed_f1"] >= result["galaxy"]["baseline"]["bcubed_f1"], result["galaxy"]
    assert ecb["bcubed_f1"] >= result["ecbplus"]["baseline"]["bcubed_f1"], result["ecbplus"]


def test_online_beats_every_oracle_tuned_offline_system_on_galaxy() -> None:
    """galaxy's target sits above what clustering on words reaches with the gold choosing every
    setting (bench/RESULTS.md, "Ceiling"); the online path, one pass with one configuration, must
    stay above each of those oracle systems on the whole stream."""
    require_gate("stories")
    rows = load_galaxy(eval_data("stories", "galaxy"))
    understand(rows)
    pred, _ = online(rows)
    ours = scores([r["gold"] for r in rows], pred)["bcubed_f1"]
    best = oracle_ceiling(rows)["best"]
    assert ours >= best["bcubed_f1"], (ours, best)


def test_story_similarity_against_semeval_judgements() -> None:
    """The stage's similarity of two articles against SemEval 2022 task 8's Overall (English)."""
    gate = require_gate("stories-semeval")
    floor, margin = gate.floors, gate.margins
    result = run(eval_data(), ("semeval",))["semeval"]
    assert result["pearson"] >= floor["pearson"], result
    assert result["spearman"] >= floor["spearman"], result
    assert result["pearson"] >= result["baseline_tfidf_pearson"] - margin["baseline_tfidf_pearson"], result


def test_tuning_holds_on_the_half_it_was_not_tuned_on() -> None:
    """Everything tuned, tuned on one half of each set and judged on the other (about 5 minutes)."""
    gate = require_gate("stories-cv")
    floor, ceiling = gate.floors, gate.ceilings
    cv = run(eval_data(), ("cv",))["cv"]
    for name, key in (("galaxy", "galaxy_f1"), ("ecbplus", "ecbplus_f1"), ("semeval", "semeval_pearson")):
        assert cv["cross_validated"][name] >= floor[key], cv
        assert cv["drop"][name] <= ceiling[f"{name}_drop"], cv
