"""WARC and WARC.gz files (ISO 28500), read with fastwarc: each HTTP ``response`` record that holds an
HTML page becomes a document, each one that holds a feed becomes the feed's entries.

Records of other kinds (requests, metadata, revisits), non-2xx responses and non-HTML, non-feed
payloads (images, scripts, styles) are not news and are passed over. A record larger than the input
limit, a body that will not decode, or a file damaged part-way is reported as broken; the records
before the damage are kept. Bodies sent with a ``Content-Encoding`` are decoded with the same caps
as live fetches (a decompression bomb inside a WARC is refused).

Archives written by newsdesk carry what the feed entry said about a page in a ``Newsdesk-Entry``
header; it is given back to extraction as the entry's hints.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from .._decode import DecodeError, decode_body
from ..model import Broken, EntryHints, Fetched, FoundSource
from ..urls import redact_url
from . import feeds, pages, sitemaps

NAME = "warc"
SUFFIXES = (".warc", ".warc.gz")
MIME_TYPES = ("application/warc",)
#: A WARC is recognised by its first bytes before any suffix or MIME type is considered.
SNIFF_FIRST = True

_FEED_TYPES = ("rss", "atom", "rdf", "xml")


def sniff(head: bytes) -> bool:
    if head.startswith(b"WARC/"):
        return True
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(head)) as f:
                return f.read(5) == b"WARC/"
        except (OSError, EOFError):
            return False
    return False


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    yield from _records(io.BytesIO(data), origin, max_record_bytes=max(len(data) * 20, 50_000_000))


def read_path(path: Path, *, max_record_bytes: int) -> Iterator[Fetched | FoundSource | Broken]:
    """Stream a WARC file from disk (a WARC may be far larger than memory)."""
    try:
        f = path.open("rb")
    except OSError as e:
        yield Broken(origin=str(path), detail=f"cannot read: {e.strerror or e}")
        return
    with f:
        yield from _records(f, str(path), max_record_bytes=max_record_bytes)


def _hints(header: str | None) -> EntryHints | None:
    from ..archive import hints_from_header

    return hints_from_header(header)


def _records(
    stream: IO[bytes], origin: str, *, max_record_bytes: int
) -> Iterator[Fetched | FoundSource | Broken]:
    n = 0
    try:
        iterator = ArchiveIterator(
            stream,
            record_types=WarcRecordType.response | WarcRecordType.resource,
            parse_http=True,
            auto_decode="transfer",
        )
        for record in iterator:
            n += 1
            where = f"{origin}#record-{n}"
            # User info is never part of a document's address: archives written before newsdesk
            # kept credentials apart from source URLs hold them here, and a feed's relative links
            # would carry them into the store.
            uri = redact_url((record.headers.get("WARC-Target-URI") or "").strip("<> "))
            if record.content_length > max_record_bytes:
                yield Broken(
                    origin=where,
                    detail=f"record of {record.content_length:,} bytes is larger than max_input_bytes",
                )
                continue
            if record.record_type == WarcRecordType.response:
                if not record.is_http:
                    yield Broken(origin=where, detail=f"{uri}: no readable HTTP response in the record")
                    continue
                status = record.http_headers.status_code or 0
                if not 200 <= status < 300:
                    continue
                http_headers = tuple(record.http_headers.items())
                content_type = record.http_headers.get("Content-Type")
                encoding = record.http_headers.get("Content-Encoding")
            else:
                status = 200
                http_headers = ()
                content_type = record.headers.get("Content-Type")
                encoding = None
            raw = record.reader.read()
            declared = record.http_headers.get("Content-Length") if http_headers else None
            if declared and declared.strip().isdigit() and len(raw) < int(declared):
                yield Broken(origin=where, detail=f"{uri}: truncated record ({len(raw)} of {declared} bytes)")
                continue
            try:
                body = decode_body(raw, encoding, max_bytes=max_record_bytes)
            except DecodeError as e:
                yield Broken(origin=where, detail=f"{uri}: {e}")
                continue
            when = _date(record.headers.get("WARC-Date"))
            requested = redact_url(record.headers.get("Newsdesk-Requested-URI") or "") or uri
            hints = _hints(record.headers.get("Newsdesk-Entry"))
            yield from _document(
                body,
                where,
                url=requested or None,
                final_url=uri or None,
                status=status,
                content_type=content_type,
                headers=http_headers,
                fetched_at=when,
                hints=hints,
            )
    except OSError as e:
        yield Broken(origin=origin, detail=f"damaged WARC after {n} records: {e}")


def _document(
    body: bytes,
    where: str,
    *,
    url: str | None,
    final_url: str | None,
    status: int,
    content_type: str | None,
    headers: tuple[tuple[str, str], ...],
    fetched_at: datetime | None,
    hints: EntryHints | None,
) -> Iterator[Fetched | FoundSource | Broken]:
    mime = (content_type or "").split(";")[0].strip().lower()
    head = body[:4096]
    if sitemaps.sniff(head):
        return  # a sitemap lists pages; the pages themselves are archived as their own records
    is_feed = mime in feeds.MIME_TYPES or any(t in mime for t in _FEED_TYPES if "html" not in mime)
    if feeds.sniff(head) and (is_feed or not pages.sniff(head)):
        for item in feeds.read(body, final_url or where):
            if isinstance(item, Fetched):
                yield Fetched(
                    url=item.url,
                    body=item.body,
                    origin=f"{where}:{item.origin.rsplit('#', 1)[-1]}",
                    content_type=item.content_type,
                    fetched_at=fetched_at,
                    hints=item.hints,
                    source=item.source,
                )
            elif isinstance(item, Broken):
                yield Broken(origin=where, detail=f"{final_url}: {item.detail}")
        return
    if mime in pages.MIME_TYPES or (not mime and pages.sniff(head)) or pages.sniff(head):
        if not body.strip():
            return
        yield Fetched(
            url=url,
            body=body,
            origin=where,
            content_type=content_type,
            final_url=final_url,
            status=status,
            fetched_at=fetched_at,
            headers=headers,
            hints=hints or EntryHints(),
            source=hints.source_name if hints else None,
        )


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
