"""Evaluation of the understand stage (issue 17), one module per part.

    .venv/bin/python -m bench.understand [--parts quotes,entities,categories,sample] [--json FILE]

- ``quotes``: who said what on PolNeAR (tune on train, report dev): span-overlap precision/recall/F1
  of all attributions and of direct quotes, and speaker accuracy of the matched ones;
- ``entities``: person/organisation/place mentions on GUM (train/dev), and how many mentions of
  one person are joined into one entity;
- ``categories``: accuracy and macro-F1 on HuffPost (mapped onto newsdesk's taxonomy), and on the
  sample corpus with its declared sections hidden;
- ``sample``: who said what on the sample corpus, against its hand-made truth
  (src/newsdesk/sample/quotes.json), scored as ``quotes`` is.

Each part is a module here with ``run(args) -> dict`` and ``report(result) -> str``; the data
folder is ``bench._common.eval_data()`` (``NEWSDESK_EVAL_DATA``).
"""
