"""Quality gate: story clustering on the public galaxy and ECB+ sets must not fall below pinned floors.

The figures of bench/stories.py, asserted (trafilatura's eval_gate pattern). Floors sit a little under
the measured figures (bench/RESULTS.md, "Stories"), so noise does not fail CI but a real regression
does. Of the issue's targets (B-cubed F1 0.90 on galaxy, 0.92 on ECB+) the ECB+ one is reached; the
galaxy one is not, and lies above every oracle-tuned offline system measured (0.874 at most), so its
floor pins what is.
"""

from __future__ import annotations

import pytest
from bench.stories import ceiling as oracle_ceiling
from bench.stories import load_galaxy, online, run, scores

from .conftest import require_shared

pytestmark = [pytest.mark.slow, pytest.mark.evaluation]

GALAXY_F1_FLOOR = 0.85  # measured 0.865 (baseline at its best threshold: 0.837)
ECBPLUS_F1_FLOOR = 0.92  # measured 0.9285, the target (baseline at its best threshold: 0.876)
GALAXY_PRECISION_FLOOR = 0.86  # measured 0.872
ECBPLUS_PRECISION_FLOOR = 0.91  # measured 0.926: look-alike events split apart (0.774 without)
ECBPLUS_RECALL_FLOOR = 0.92  # measured 0.931


def test_story_clustering_quality_gate() -> None:
    data = require_shared("stories").parent
    result = run(data, ("galaxy", "ecbplus"), shuffles=0)
    galaxy, ecb = result["galaxy"]["online"], result["ecbplus"]["online"]
    assert galaxy["bcubed_f1"] >= GALAXY_F1_FLOOR, galaxy
    assert galaxy["bcubed_p"] >= GALAXY_PRECISION_FLOOR, galaxy
    assert ecb["bcubed_f1"] >= ECBPLUS_F1_FLOOR, ecb
    assert ecb["bcubed_p"] >= ECBPLUS_PRECISION_FLOOR, ecb
    assert ecb["bcubed_r"] >= ECBPLUS_RECALL_FLOOR, ecb
    # online, one configuration for both, must stay ahead of the offline baseline on both
    assert galaxy["bcubed_f1"] >= result["galaxy"]["baseline"]["bcubed_f1"], result["galaxy"]
    assert ecb["bcubed_f1"] >= result["ecbplus"]["baseline"]["bcubed_f1"], result["ecbplus"]


def test_online_beats_every_oracle_tuned_offline_system_on_galaxy() -> None:
    """galaxy's target sits above what clustering on words reaches with the gold choosing every
    setting (bench/RESULTS.md, "Ceiling"); the online path, one pass with one configuration, must
    stay above each of those oracle systems on the whole stream."""
    data = require_shared("stories").parent
    rows = load_galaxy(data / "stories" / "galaxy")
    pred, _ = online(rows)
    ours = scores([r["gold"] for r in rows], pred)["bcubed_f1"]
    best = oracle_ceiling(rows)["best"]
    assert ours >= best["bcubed_f1"], (ours, best)
