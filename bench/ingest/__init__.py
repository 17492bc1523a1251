"""End-to-end ingest rate into SQLite on a generated corpus of news pages.

    .venv/bin/python -m bench.ingest [--pages 10000] [--keep DIR] [--json FILE] [--seed 1] [--text generated|wikinews]
        [--force] [--before SRC]

1. Generates ``--pages`` deterministic (seeded) news pages into a temporary folder: four site
   templates at the weight of real news pages (median about 90 KB: mega-menu, cookie banner, inline
   CSS and scripts, share bars, ad slots, "Read more:" links, tags, author box, comments, sidebars,
   "more from" grids, footers); 300-700 words of article text each; meta tags (unique canonical
   URL, og:title, article:published_time, article:section). About 2 % are section index pages
   (half bare headline lists, half headlines with teasers) and 1 % exact duplicates of other pages.
2. Baseline, in a child process: read every file and run ``extract_html`` on it (extraction alone),
   then (untimed) score the text of the article pages against the generated true text.
3. In a child process: ``desk.ingest([folder])`` into a fresh SQLite file (extraction + store +
   copy tracing + story clustering): articles/s, pages/s, seconds, peak RSS, database size, and the
   wall and CPU time split by stage (read, extract, fingerprint, save, trace, cluster), measured by
   wrapping those functions.
4. In another child process: the same ingest again into the same database (expect 0 new): items
   stored before from the same bytes are counted unchanged without being extracted again.
5. With ``--force``, in another child process: the same ingest with ``force=True`` (every item
   extracted again, as ``newsdesk ingest --force``).
6. With ``--before SRC`` (the ``src`` folder of an older checkout, run through ``PYTHONPATH``):
   steps 3 and 4 with that code into a database of its own, reported beside this code's, with the
   disk use of both stores by area (``bench/store_size.py``'s areas, from SQLite's ``dbstat``).

Each phase runs in its own process so that its peak RSS (``resource.getrusage``) is its own, and its
time excludes interpreter start-up and imports. Machines are noisy: read the ratios against the
baseline measured in the same command rather than the absolute rates.

The text comes from a built-in generator (default; no data needed) or, with ``--text wikinews``,
from sentences of ../shared/data/articles/wikinews/*.csv recombined (falls back to the generator when
the folder is absent). Only the standard library and newsdesk.

One module per part: ``text`` (the prose generator), ``corpus`` (the pages and the corpus),
``phases`` (the measured runs, each in a child process started as ``python -m bench.ingest
--_phase ...``), ``report`` (the tables and notes) and ``__main__`` (the command line).
"""

from bench.ingest.corpus import WIKINEWS, generate
from bench.ingest.phases import phase_extract, phase_ingest, quality
from bench.ingest.report import report
from bench.ingest.text import TextGen, wikinews_sentences

__all__ = [
    "WIKINEWS",
    "TextGen",
    "generate",
    "phase_extract",
    "phase_ingest",
    "quality",
    "report",
    "wikinews_sentences",
]
