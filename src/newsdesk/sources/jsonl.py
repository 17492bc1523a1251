"""JSON Lines records, one article each: ``url``, ``title``, ``html`` or ``text``, ``published``,
``source`` (and optionally ``section``/``category``, ``author``, ``language``, ``id``).

A bad line is reported with its line number and the rest of the file goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ..model import Broken, EntryHints, Fetched, FoundSource

NAME = "jsonl"
SUFFIXES = (".jsonl", ".ndjson", ".jl")
MIME_TYPES = ("application/jsonl", "application/x-ndjson", "application/jsonlines")


def sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return first == b"{"


def _date(value: Any) -> datetime | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _str(record: dict[str, Any], *keys: str) -> str | None:
    for k in keys:
        v = record.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    text = data.decode("utf-8-sig", errors="replace")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield Broken(origin=where, detail=f"not valid JSON: {e.msg} at column {e.colno}")
            continue
        if not isinstance(record, dict):
            yield Broken(origin=where, detail="a record must be a JSON object")
            continue
        body_html = _str(record, "html", "content_html")
        body_text = _str(record, "text", "content", "body")
        if not body_html and not body_text:
            yield Broken(origin=where, detail="record has neither 'html' nor 'text'")
            continue
        section = _str(record, "section", "category")
        categories = tuple(c for c in record.get("categories") or () if isinstance(c, str))
        hints = EntryHints(
            title=_str(record, "title", "headline"),
            published=_date(record.get("published") or record.get("date")),
            updated=_date(record.get("updated") or record.get("modified")),
            author=_str(record, "author", "byline"),
            categories=((section,) if section else ()) + categories,
            entry_id=_str(record, "id", "guid"),
            source_name=_str(record, "source", "site_name"),
            language=_str(record, "language", "lang"),
            text=None if body_html else body_text,
        )
        yield Fetched(
            url=_str(record, "url", "link"),
            body=(body_html or "").encode("utf-8"),
            origin=where,
            content_type="text/html",
            hints=hints,
            source=hints.source_name,
        )
