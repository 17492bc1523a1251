"""Provenance: which articles copy which, of what kind, and which one is the original.

Plain functions over records; the store keeps fingerprints and the LSH index, the Desk drives. Three
steps, a module each, each importing only those before it:

* ``_fingerprint`` — the keys computed once per article (an exact hash, MinHash bands over its
  shingles and over its anchors) with which the store's LSH index proposes candidates;
* ``_compare`` — exact measures on two texts the index proposed, and whether two articles are
  copies, of what kind;
* ``_elect`` — a copy group's original, and the edges, with their evidence, drawn to it.

The names below are the package's surface, the same as when provenance was one module. A threshold
is read by the module that defines it: code that tunes one (the sweep of ``bench/provenance/sweep.py``)
sets it there, e.g. ``provenance._compare.ALIGN_SIMILARITY``.
"""

from __future__ import annotations

from ._compare import (
    ALIGN_SHARE,
    ALIGN_SIMILARITY,
    FRAME_ARTICLES,
    FRAME_LINES,
    MIN_REWRITE_SENTENCES,
    MIN_WORDS,
    NEAR_CONTAINMENT,
    REWRITE_RESEMBLANCE,
    FrameTest,
    Similarity,
    body,
    compare,
    declared_urls,
    declares,
    figures_of,
    kind_of,
    related,
    sentences,
    shared_frame,
)
from ._elect import (
    CLOCK_SKEW,
    CONTINUATION,
    PREFIX_SHARE,
    TRUNCATION,
    Election,
    Member,
    credits,
    elect,
    evidence,
    group_edges,
    member,
    truncation_of,
)
from ._fingerprint import (
    ANCHOR_PERMS,
    ANCHOR_ROWS,
    FINGERPRINT_SCHEME,
    SHINGLE,
    TEXT_PERMS,
    TEXT_ROWS,
    Fingerprint,
    anchors,
    fingerprint,
    normalise,
)

__all__ = [
    "ALIGN_SHARE",
    "ALIGN_SIMILARITY",
    "ANCHOR_PERMS",
    "ANCHOR_ROWS",
    "CLOCK_SKEW",
    "CONTINUATION",
    "FINGERPRINT_SCHEME",
    "FRAME_ARTICLES",
    "FRAME_LINES",
    "MIN_REWRITE_SENTENCES",
    "MIN_WORDS",
    "NEAR_CONTAINMENT",
    "PREFIX_SHARE",
    "REWRITE_RESEMBLANCE",
    "SHINGLE",
    "TEXT_PERMS",
    "TEXT_ROWS",
    "TRUNCATION",
    "Election",
    "Fingerprint",
    "FrameTest",
    "Member",
    "Similarity",
    "anchors",
    "body",
    "compare",
    "credits",
    "declared_urls",
    "declares",
    "elect",
    "evidence",
    "figures_of",
    "fingerprint",
    "group_edges",
    "kind_of",
    "member",
    "normalise",
    "related",
    "sentences",
    "shared_frame",
    "truncation_of",
]
