"""What a SQLite store keeps read of the stories' state between articles.

Clustering an article reads two dozen candidate stories' centroids and the document frequencies of
its hundred-odd terms. Decoded again from their rows for every article, they cost the stage more
than all its own work (bench/RESULTS.md, "Stories"). The store keeps them here instead.

The invariant: what the memo holds is what the database holds, as this connection sees it.
So the store forgets all of it when another connection has committed (``PRAGMA data_version``
moved: its writes may have changed anything) and when a transaction of its own is rolled back (the
memo may hold what is being undone), and it writes to the memo only after the write to the
database has succeeded. Bounded: at most ``SKETCHES`` sketches (the least recently used go) and
``FREQUENCIES`` document frequencies (emptied when full: the frequent terms come back first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import StorySketch

#: Sketches kept: enough for every story open at once at a few thousand articles a day.
SKETCHES = 4096
#: Document frequencies kept (about 30 MB at most).
FREQUENCIES = 250_000


@dataclass(slots=True)
class StoryMemo:
    #: Open stories by id, least recently used first.
    sketches: dict[int, StorySketch] = field(default_factory=dict)
    #: Document frequencies as ``story_df`` holds them (0: a term it does not hold).
    folded: dict[str, int] = field(default_factory=dict)
    #: The terms counted in ``story_df_log`` (None: not read yet) and its rows.
    logged: Counter[str] | None = None
    log_rows: int = 0
    #: ``story_counts.docs`` (None: not read yet).
    docs: int | None = None
    #: ``PRAGMA data_version`` when the memo was last found true.
    version: int | None = None

    def forget(self) -> None:
        self.sketches.clear()
        self.folded.clear()
        self.logged = None
        self.log_rows = 0
        self.docs = None

    def remember(self, sketch: StorySketch) -> None:
        """Keep a sketch, as the most recently used."""
        self.sketches.pop(sketch.id, None)
        self.sketches[sketch.id] = sketch
        while len(self.sketches) > SKETCHES:
            del self.sketches[next(iter(self.sketches))]

    def recall(self, story_id: int) -> StorySketch | None:
        """A kept sketch, now the most recently used, or None."""
        sketch = self.sketches.pop(story_id, None)
        if sketch is not None:
            self.sketches[story_id] = sketch
        return sketch

    def fold_in(self, found: dict[str, int], *, keep: Iterable[str]) -> None:
        """Keep frequencies read from ``story_df``, and those of ``keep`` already kept."""
        folded = self.folded
        if len(folded) + len(found) > FREQUENCIES:
            kept = {t: folded[t] for t in keep if t in folded}
            folded.clear()
            folded.update(kept)
        folded.update(found)
