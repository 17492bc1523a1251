"""What both backends share of the understanding (``UnderstandingStore``): how a name is folded to
be compared with an entity's key, the JSON text of an article's figures and of an entity's
mentions (the same text on either backend, so a desk copied between them reads back the same,
table for table), the records made from rows, and a story's tally of categories after one article
is filed anew.

Only the mapping is shared, as in ``_rows``: each backend keeps its own SQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import ArticleFigure, ArticleQuote, EntitySummary, NamedEntity, QuoteHit, Span, majority
from ._rows import Row, When


def figures_json(figures: Sequence[ArticleFigure]) -> str:
    """An article's figures as stored: ``[{"kind", "text", "start", "end", "value"}, ...]``."""
    return json.dumps(
        [{"kind": f.kind, "text": f.text, "start": f.start, "end": f.end, "value": f.value} for f in figures],
        ensure_ascii=False,
    )


def figures_of(text: str) -> tuple[ArticleFigure, ...]:
    """The figures ``figures_json`` stored."""
    return tuple(
        ArticleFigure(f["kind"], f["text"], f["start"], f["end"], f["value"]) for f in json.loads(text)
    )


def mentions_json(mentions: Sequence[Span]) -> str:
    """An entity's mentions in one article as stored: ``[[start, end, text], ...]``."""
    return json.dumps([[m.start, m.end, m.text] for m in mentions], ensure_ascii=False)


def named_entity(row: Row) -> NamedEntity:
    """An article's entity from an ``article_entities`` row joined to its entity (``key``, ``type``)."""
    spans = tuple(Span(t, s, e) for s, e, t in json.loads(row["mentions"]))
    return NamedEntity(row["key"], row["name"], row["type"], spans)


def article_quote(row: Row) -> ArticleQuote:
    """The quote of an ``article_quotes`` row."""
    return ArticleQuote(
        speaker=row["speaker"],
        speaker_key=row["speaker_key"],
        speaker_mention=row["speaker_mention"],
        speaker_start=row["speaker_start"],
        speaker_end=row["speaker_end"],
        cue=row["cue"],
        cue_start=row["cue_start"],
        cue_end=row["cue_end"],
        text=row["text"],
        start=row["text_start"],
        end=row["text_end"],
        direct=bool(row["direct"]),
        statement=row["statement"],
    )


def entity_summary(row: Row, *, when: When) -> EntitySummary:
    """The entity of an ``entities`` row."""
    return EntitySummary(
        id=int(row["id"]),
        key=row["key"],
        name=row["name"],
        type=row["type"],
        articles=int(row["articles"]),
        mentions=int(row["mentions"]),
        quotes=int(row["quotes"]),
        first_seen=when(row["first_seen"]),
        last_seen=when(row["last_seen"]),
    )


def quote_hit(row: Row, *, when: When) -> QuoteHit:
    """A quote row joined to its article (``title``, ``url``, ``source``, ``at``) and to the first
    report of its statement (``first_id``, ``first_source``, ``first_at``) and the number of articles
    reporting it (``reports``)."""
    speaker = row["speaker_entity"]
    return QuoteHit(
        article_id=int(row["article_id"]),
        title=row["title"],
        url=row["url"],
        source=row["source"],
        when=when(row["at"]),
        quote=article_quote(row),
        speaker_entity_id=None if speaker is None else int(speaker),
        first_article_id=int(row["first_id"]),
        first_source=row["first_source"],
        first_when=when(row["first_at"]),
        reports=int(row["reports"]),
    )


def story_tally(
    categories: dict[str, int], old: str | None, new: str | None
) -> tuple[dict[str, int], str | None]:
    """A story's category counts after one member moved from ``old`` to ``new`` (a count that
    reaches 0 goes), and its category (``model.majority``, as ``StorySketch.category``)."""
    tally = dict(categories)
    if old is not None and old in tally:
        tally[old] -= 1
        if tally[old] <= 0:
            del tally[old]
    if new is not None:
        tally[new] = tally.get(new, 0) + 1
    return tally, majority(tally)


def story_tally_json(tally: dict[str, int]) -> str:
    """A story's category counts as ``stories.categories`` holds them (as the stories' own writes)."""
    return json.dumps(tally, ensure_ascii=False, sort_keys=True)
