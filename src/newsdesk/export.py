"""Exports for researchers: every stored field of every article, as JSON Lines or Parquet.

One flat record layout serves both formats, so a column means the same thing in each. Parquet needs
pyarrow (the ``newsdesk[parquet]`` extra), imported only when asked for. Parquet comes as one file,
or as a dataset: a folder partitioned by day (hive-style ``date=YYYY-MM-DD`` folders, the day an
article was published, else first seen), which ``newsdesk batch --parquet`` writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .exceptions import ConfigError
from .model import CopyEdge, StoredArticle, Understanding

FORMATS = ("jsonl", "parquet")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def record(
    stored: StoredArticle,
    edge: CopyEdge | None = None,
    original_url: str | None = None,
    *,
    story_id: int | None = None,
    understanding: Understanding | None = None,
) -> dict[str, Any]:
    """The export record of one article: flat, JSON-friendly, stable field names (``quotes`` and
    ``entities`` are lists of records: see ``understood``)."""
    a = stored.article
    return {
        "id": stored.id,
        "url": a.url,
        "canonical_url": a.canonical_url,
        "source": a.source,
        "site_name": a.site_name,
        "title": a.title,
        "byline": a.byline,
        "published": _iso(a.published),
        "updated": _iso(a.updated),
        "fetched": _iso(a.fetched),
        "first_seen": _iso(stored.first_seen),
        "last_seen": _iso(stored.last_seen),
        "language": a.language,
        "section": a.section,
        "category": a.category,
        "tags": list(a.tags),
        "source_links": [{"url": s.url, "label": s.label} for s in a.source_links],
        "description": a.description,
        "text": a.text,
        "word_count": a.word_count,
        "revisions": stored.revisions,
        "entry_id": a.entry_id,
        "origin": a.origin,
        "notes": list(a.notes),
        "original_id": edge.original_id if edge else None,
        "original_url": original_url,
        "copy_kind": edge.kind.value if edge else None,
        "copy_score": edge.score if edge else None,
        "story_id": story_id,
        **understanding_fields(understanding),
    }


def understanding_fields(found: Understanding | None) -> dict[str, list[dict[str, Any]]]:
    """An article's ``quotes`` (speaker, speaker_mention, cue, text, start, end, direct: offsets
    into ``text``; ``said``: the words without the narration that interrupts a quotation) and
    ``entities`` (name, type, mentions: each mention's text, start and end), as the export gives
    them; empty lists for an article not understood yet. The keys that join
    them across articles go too, for who studies a corpus rather than an article: an entity's
    ``key`` (the same person in every article that names them), a quote's ``speaker_key`` (its
    speaker's entity) and ``statement`` (the same for the same words quoted anywhere: group by it,
    order by ``published``, and the first is the outlet that reported them first)."""
    if found is None:
        return {"quotes": [], "entities": []}
    return {
        "quotes": [
            {
                "speaker": q.speaker,
                "speaker_mention": q.speaker_mention,
                "cue": q.cue,
                "text": q.text,
                "said": q.said,
                "start": q.start,
                "end": q.end,
                "direct": q.direct,
                "speaker_key": q.speaker_key,
                "statement": q.statement,
            }
            for q in found.quotes
        ],
        "entities": [
            {
                "key": e.key,
                "name": e.name,
                "type": e.type,
                "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions],
            }
            for e in found.entities
        ],
    }


#: Articles whose understandings ``understood`` reads at once.
UNDERSTOOD_BATCH = 500


def understood(
    records: Iterable[dict[str, Any]],
    read: Callable[[Sequence[int]], dict[int, Understanding]],
    batch_size: int = UNDERSTOOD_BATCH,
) -> Iterator[dict[str, Any]]:
    """``records`` with their articles' ``quotes`` and ``entities`` filled in, the understandings
    read ``batch_size`` articles at a time (``read``: ``Desk.understandings``), not one by one."""
    for batch in _batches(records, batch_size):
        found = read([rec["id"] for rec in batch])
        for rec in batch:
            rec.update(understanding_fields(found.get(rec["id"])))
            yield rec


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def _batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as e:
        raise ConfigError("Parquet export needs pyarrow: pip install 'newsdesk[parquet]'") from e
    return pyarrow


def _schema() -> Any:
    """The Parquet schema of ``record``'s layout."""
    pa = _pyarrow()
    link = pa.struct([("url", pa.string()), ("label", pa.string())])
    quote = pa.struct(
        [
            ("speaker", pa.string()),
            ("speaker_mention", pa.string()),
            ("cue", pa.string()),
            ("text", pa.string()),
            ("said", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("direct", pa.bool_()),
            ("speaker_key", pa.string()),
            ("statement", pa.string()),
        ]
    )
    span = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    entity = pa.struct(
        [("key", pa.string()), ("name", pa.string()), ("type", pa.string()), ("mentions", pa.list_(span))]
    )
    return pa.schema(
        [
            ("id", pa.int64()),
            ("url", pa.string()),
            ("canonical_url", pa.string()),
            ("source", pa.string()),
            ("site_name", pa.string()),
            ("title", pa.string()),
            ("byline", pa.string()),
            ("published", pa.timestamp("us", tz="UTC")),
            ("updated", pa.timestamp("us", tz="UTC")),
            ("fetched", pa.timestamp("us", tz="UTC")),
            ("first_seen", pa.timestamp("us", tz="UTC")),
            ("last_seen", pa.timestamp("us", tz="UTC")),
            ("language", pa.string()),
            ("section", pa.string()),
            ("category", pa.string()),
            ("tags", pa.list_(pa.string())),
            ("source_links", pa.list_(link)),
            ("description", pa.string()),
            ("text", pa.string()),
            ("word_count", pa.int64()),
            ("revisions", pa.int64()),
            ("entry_id", pa.string()),
            ("origin", pa.string()),
            ("notes", pa.list_(pa.string())),
            ("original_id", pa.int64()),
            ("original_url", pa.string()),
            ("copy_kind", pa.string()),
            ("copy_score", pa.float64()),
            ("story_id", pa.int64()),
            ("quotes", pa.list_(quote)),
            ("entities", pa.list_(entity)),
        ]
    )


_TIMES = ("published", "updated", "fetched", "first_seen", "last_seen")


def _table(batch: list[dict[str, Any]], schema: Any) -> Any:
    pa = _pyarrow()
    columns = {name: [rec[name] for rec in batch] for name in schema.names}
    for key in _TIMES:
        columns[key] = pa.array(
            [None if v is None else datetime.fromisoformat(v) for v in columns[key]],
            type=pa.timestamp("us", tz="UTC"),
        )
    return pa.table(columns, schema=schema)


def write_parquet(records: Iterable[dict[str, Any]], path: Path, batch_size: int = 2000) -> int:
    """Write in row groups so memory stays flat however large the store is."""
    import pyarrow.parquet as pq

    schema = _schema()
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in _batches(records, batch_size):
            writer.write_table(_table(batch, schema))
            n += len(batch)
    return n


def day_of(rec: dict[str, Any]) -> str:
    """The day a record is filed under in a dataset: published, else first seen (UTC)."""
    when = rec["published"] or rec["first_seen"]
    return datetime.fromisoformat(when).astimezone(UTC).date().isoformat()


def write_parquet_dataset(records: Iterable[dict[str, Any]], folder: Path, batch_size: int = 2000) -> int:
    """Write a Parquet dataset under ``folder``, partitioned by day (``date=YYYY-MM-DD/``), in
    batches so memory stays flat. A day written again replaces that day's files (a rerun gives
    the same dataset, not a second copy); other days already in the folder are left alone."""
    pa = _pyarrow()
    import pyarrow.dataset as ds

    schema = _schema().append(pa.field("date", pa.string()))
    n = 0

    def batches() -> Iterator[Any]:
        nonlocal n
        for batch in _batches(records, batch_size):
            table = _table(batch, schema.remove(schema.get_field_index("date")))
            table = table.append_column("date", pa.array([day_of(r) for r in batch], pa.string()))
            n += len(batch)
            yield from table.to_batches()

    folder.mkdir(parents=True, exist_ok=True)
    ds.write_dataset(
        batches(),
        str(folder),
        schema=schema,
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("date", pa.string())]), flavor="hive"),
        existing_data_behavior="delete_matching",
        basename_template="part-{i}.parquet",
    )
    return n
