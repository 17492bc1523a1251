"""JSON Lines records, one article each: ``url``, ``title``, ``html`` or ``text``, ``published``,
``source`` (and optionally ``section``/``category``, ``author``, ``language``, ``id``).

A bad line is reported with its line number and the rest of the file goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from .. import _valid
from ..model import Broken, EntryHints, Fetched, FoundSource, Rejected
from . import jsonfeed

NAME = "jsonl"
SUFFIXES = (".jsonl", ".ndjson", ".jl", ".json")
MIME_TYPES = ("application/jsonl", "application/x-ndjson", "application/jsonlines", "application/json")


def sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return first == b"{"


def _date(value: Any, key: str, notes: list[str]) -> datetime | None:
    """A date in range from an ISO string or POSIX seconds (or milliseconds); else None, with a
    note when the record gave something that is no such date."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        found = _valid.timestamp(value)
    elif isinstance(value, str):
        found = _valid.iso_date(value)
    else:
        found = None
    if found is None:
        shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
        span = f"{_valid.MIN_YEAR} and {_valid.MAX_YEAR}"
        notes.append(f"ignored {key!r}: {shown[:60]} is no date between {span}")
    return found


def _str(record: dict[str, Any], *keys: str) -> str | None:
    for k in keys:
        v = _valid.optional_text(record.get(k))
        if v:
            return v
    return None


def _given(record: dict[str, Any], *keys: str) -> Any:
    return next((record[k] for k in keys if record.get(k) not in (None, "")), None)


def _labels(value: Any) -> tuple[str, ...]:
    """Categories given as a list of strings or one string; other values are not categories."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(c for c in (_valid.optional_text(v) for v in value[:50]) if c)


def _record(where: str, record: Any) -> Fetched | Broken:
    """One record as a document, or why it cannot be one."""
    if not isinstance(record, dict):
        return Broken(origin=where, detail="a record must be a JSON object")
    body_html = _str(record, "html", "content_html")
    body_text = _str(record, "text", "content", "body")
    if not body_html and not body_text:
        return Broken(origin=where, detail="record has neither 'html' nor 'text'")
    section = _str(record, "section", "category")
    categories = _labels(record.get("categories"))
    notes: list[str] = []
    hints = EntryHints(
        title=_str(record, "title", "headline"),
        published=_date(_given(record, "published", "date"), "published", notes),
        updated=_date(_given(record, "updated", "modified"), "updated", notes),
        author=_str(record, "author", "byline"),
        categories=((section,) if section else ()) + categories,
        entry_id=_str(record, "id", "guid"),
        source_name=_str(record, "source", "site_name"),
        language=_str(record, "language", "lang"),
        text=None if body_html else body_text,
        notes=tuple(notes),
    )
    return Fetched(
        url=_str(record, "url", "link"),
        body=(body_html or "").encode("utf-8"),
        origin=where,
        content_type="text/html",
        hints=hints,
        source=hints.source_name,
    )


def _whole_document(text: str, origin: str) -> list[Fetched | FoundSource | Broken | Rejected] | None:
    """A pretty-printed ``.json`` file is one document: a list of records is read as records, a
    JSON Feed as a feed (when its ``version`` came too late for sniffing to see it), anything else
    is reported once (not once per line, as a JSON Lines reading would)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return None
    except (ValueError, RecursionError) as e:
        return [Broken(origin=origin, detail=f"not JSON newsdesk can read: {_why(e)}")]
    if jsonfeed.is_json_feed(doc):
        return list(jsonfeed.from_document(doc, origin).items)
    if isinstance(doc, list):
        return [_record(f"{origin}#{n}", r) for n, r in enumerate(doc, start=1)]
    if isinstance(doc, dict) and ("url" in doc or "link" in doc):
        return [_record(origin, doc)]
    return [Broken(origin=origin, detail="a JSON document that is not article records (a list of objects)")]


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    try:
        json.loads(first)
        one_per_line = True
    except (ValueError, RecursionError):
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
        except (ValueError, RecursionError) as e:
            # Python's own limits: integers of more than 4,300 digits, nesting deeper than the stack.
            yield Broken(origin=where, detail=f"not JSON newsdesk can read: {_why(e)}")
            continue
        if jsonfeed.is_json_feed(record):
            yield from jsonfeed.from_document(record, where).items
            continue
        yield _record(where, record)


def _why(e: BaseException) -> str:
    if isinstance(e, RecursionError):
        return "nested too deeply"
    return " ".join(str(e).split())[:120]
