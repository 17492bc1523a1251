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
from . import jsonfeed

NAME = "jsonl"
SUFFIXES = (".jsonl", ".ndjson", ".jl", ".json")
MIME_TYPES = ("application/jsonl", "application/x-ndjson", "application/jsonlines", "application/json")


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


def _record(where: str, record: Any) -> Fetched | Broken:
    """One record as a document, or why it cannot be one."""
    if not isinstance(record, dict):
        return Broken(origin=where, detail="a record must be a JSON object")
    body_html = _str(record, "html", "content_html")
    body_text = _str(record, "text", "content", "body")
    if not body_html and not body_text:
        return Broken(origin=where, detail="record has neither 'html' nor 'text'")
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
    return Fetched(
        url=_str(record, "url", "link"),
        body=(body_html or "").encode("utf-8"),
        origin=where,
        content_type="text/html",
        hints=hints,
        source=hints.source_name,
    )


def _whole_document(text: str, origin: str) -> list[Fetched | FoundSource | Broken] | None:
    """A pretty-printed ``.json`` file is one document: a list of records is read as records, a
    JSON Feed as a feed (when its ``version`` came too late for sniffing to see it), anything else
    is reported once (not once per line, as a JSON Lines reading would)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return None
    if jsonfeed.is_json_feed(doc):
        return list(jsonfeed.from_document(doc, origin).items)
    if isinstance(doc, list):
        return [_record(f"{origin}#{n}", r) for n, r in enumerate(doc, start=1)]
    if isinstance(doc, dict) and ("url" in doc or "link" in doc):
        return [_record(origin, doc)]
    return [Broken(origin=origin, detail="a JSON document that is not article records (a list of objects)")]


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    try:
        json.loads(first)
        one_per_line = True
    except json.JSONDecodeError:
        one_per_line = False
    if not one_per_line:
        whole = _whole_document(text, origin)
        if whole is not None:
            yield from whole
            return
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield Broken(origin=where, detail=f"not valid JSON: {e.msg} at column {e.colno}")
            continue
        if jsonfeed.is_json_feed(record):
            yield from jsonfeed.from_document(record, where).items
            continue
        yield _record(where, record)
