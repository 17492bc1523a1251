"""Evaluate copy detection and original election (``newsdesk.provenance`` driven by the Desk).

    .venv/bin/python -m bench.provenance [--data DIR] [--quick] [--json FILE] [--seed 1]
        [--originals 200] [--sizes 10000,100000,1000000] [--parts sample,synthetic,control,throughput]
        [--examples N]

Four parts, each skipped with a message when its data is absent:

(a) ``sample``: the sample corpus (src/newsdesk/sample) ingested into a temporary desk; stored
    articles are mapped to truth ids by ``normalize_url`` of their URL; the predicted copy edges
    (copy, original, kind) are scored against ``copy_of``/``copy_kind`` of truth.json, and the
    election of each copy group's original.
(b) ``synthetic``: originals taken from ../shared/data/articles/wikinews/ (real texts), the other
    wikinews articles as unrelated distractors, and generated copies, one scenario (one fresh desk)
    per kind of copy: identical, boilerplate (header/footer lines added), near (truncated to 60-90 %
    at a sentence end, 3 words edited), syndicated (identical text in an HTML page declaring the
    original by ``<link rel=canonical>`` or a "Source link" anchor), reordered (adjacent sentences
    swapped), synonym substitution at 10/20/40/60 % of the eligible words, and copies published
    BEFORE their originals (no signal / a credit "(Wikinews)" / a declared link / truncated). A
    "mixed" scenario puts every kind of copy of each original in one desk (big copy groups).
    Originals and copies are ingested in a shuffled order.
(c) ``control``: SemEval-2022 task 8 pairs with Overall <= 1.5 (the same story told by two
    outlets): any copy relation between the two texts of a pair is a false positive. English pairs
    (en-en) and all language pairs are reported separately.
(t) ``throughput``: fingerprint + ``store.candidates(...)`` per article on one core with 10k, 100k
    and 1M generated articles indexed; DB bytes per indexed article (by table, from ``dbstat``) and
    the RSS of the lookup process.

Scoring: an edge (copy -> original) is *correct* when it points from a true copy to its true
original; *linked* when its two ends belong to the same true copy group (either direction, or two
copies of one original). Precision = correct (or linked) edges / predicted edges; recall = true
copies with an edge to their original (directed) or in one predicted group with it (detected) /
true copies. Election: a true group is *elected right* when its original is the original of the
predicted group holding its copies; election precision = predicted groups whose elected original
is a true original with its copies in the group / predicted groups touching a true group.

One module per part (``sample``, ``synthetic``, ``control``, ``sweep``, ``throughput``), over
``scoring`` (where the data is, the edge scores); ``runner`` runs the parts asked for and sums them
up, ``reporting`` writes the report, ``__main__`` is the command line.

Importable: ``run(data_dir, quick=False) -> dict`` for the gate test. Only the standard library,
numpy (already a newsdesk dependency) and newsdesk.
"""

from bench.provenance.reporting import report
from bench.provenance.runner import TARGETS, run, summary

__all__ = ["TARGETS", "report", "run", "summary"]
