"""Stories: coverage of one event grouped online, as articles arrive.

Plain functions over plain records; a *book* (``StoryBook``) keeps the state: document frequencies,
the story sketches, their members, and an inverted index from terms to the *open* stories. The store
implements a book over SQL tables (the Desk adapts it) and ``MemoryBook`` keeps one in memory for
the evaluation: both run the same ``assign``, so the figures of ``bench/stories.py`` are the
figures of the Desk.

One article, one pass:

1. ``features``: its words (title words count ``TITLE_BOOST`` times), with its *anchors* — names
   (capitalised words that do not start a sentence, and runs of them as one phrase) and figures —
   weighted up: the facts that tell two look-alike events (two earthquakes, two factory fires)
   apart when their vocabulary is the same. When the caller has run the understand stage, its
   findings come as plain values (``features(..., entities=, figures=, speakers=)``: canonical
   keys with mention counts, normalised figures, quoted speakers' keys) and each is an anchor term
   of its own ("@person:joe biden", "@date:2015-08-21"), beside the capitalisation heuristic's.
2. ``vector``: TF-IDF over document frequencies learned incrementally (the book counts every
   article it has seen), L2-normalised.
3. Candidates: the open stories sharing one of its top terms in the index, at most
   ``Params.candidates``; a story is indexed under the top terms of its centroid and leaves the
   index when it closes (``Params.window_days`` after its last article). The cost of an article is
   bounded by the stories open at its time, never by the number of stories.
4. Score: cosine with each candidate's centroid, times a time decay past ``Params.grace_days``;
   the best at ``Params.threshold`` or more is joined; when none reaches it, the article joins the
   story of the member it most resembles, among the few best candidates' members, if that
   resemblance reaches ``Params.member_join`` (a report that reads unlike the story's average but
   like one of its reports); else it starts a story. A copy
   (provenance) joins its original's story without a vote. A centroid keeps its
   ``Params.centroid_terms`` heaviest terms after every change and the lengths of its parts are
   cached on the sketch, so scoring a candidate costs a set intersection, not a pass over it.
5. Upkeep, recorded as decisions: two stories whose centroids come within ``Params.merge`` of each
   other are merged (the older keeps its id); a story is tested when its size reaches a power of
   two: the best of a few seeded 2-means cuts of its members is taken, and the story is split when
   its halves are well apart — each member resembles its own half (itself left out) clearly more
   than the other, a mean silhouette of ``Params.split`` or more — or, when 2-means finds no such
   cut, when the graph linking each member to its ``Params.split_neighbours`` nearest fellow
   members falls into two parts with few links between them (a normalized cut of at most
   ``Params.split_cut``): two look-alike events can blur together on average while each report's
   nearest neighbours are of its own event. This is what undoes an early
   mistake: the first article of a look-alike event (a second rehab, a second heavyweight bout of
   the same boxer) often joins the first event's story while that is one article; once both have
   grown, they can often be told apart. The title is the headline of the member most central to
   the centroid.

Everything is deterministic: the same arrival order gives the same stories (ties go to the lower id).

Four steps, a module each, each importing only those before it:

* ``_features`` — ``Params`` (the one configuration), an article's weighted terms, its TF-IDF
  vector, the blended similarity of two vectors (steps 1 and 2) and ``same_story``, that similarity
  as the chance two articles tell the same story (the scale related articles are shown on);
* ``_cuts`` — whether a story's members are two events: the 2-means and neighbour-graph cuts of
  step 5, pure numerics over member vectors;
* ``_assign`` — ``assign`` over a book (steps 3 to 5), and ``MemoryBook``;
* ``_related`` — the articles shown beside one: its story's members, its nearest in other stories.

The names below are the package's surface, the same as when stories was one module (``_best_cut``
and ``_graph_cut`` too, which the tests call directly). A constant is read by the module that
defines it: code that tunes one sets it there, e.g. ``stories._cuts._SAME_REPORT``.
"""

from __future__ import annotations

from ..store.protocols import StoryBook
from ._assign import MemoryBook, assign, centroid_norms, cluster_stream, decay, score
from ._cuts import _best_cut, _graph_cut
from ._features import (
    DEFAULT,
    Doc,
    Params,
    blend,
    cosine,
    dot,
    features,
    halves,
    norm,
    part_norms,
    same_story,
    similarity,
    top,
    truncate,
    unit,
    vector,
)
from ._related import nearest, rank_related

__all__ = [
    "DEFAULT",
    "Doc",
    "MemoryBook",
    "Params",
    "StoryBook",
    "_best_cut",
    "_graph_cut",
    "assign",
    "blend",
    "centroid_norms",
    "cluster_stream",
    "cosine",
    "decay",
    "dot",
    "features",
    "halves",
    "nearest",
    "norm",
    "part_norms",
    "rank_related",
    "same_story",
    "score",
    "similarity",
    "top",
    "truncate",
    "unit",
    "vector",
]
