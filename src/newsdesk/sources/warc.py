"""Web archives: WARC and WARC.gz files (ISO 28500), read with fastwarc, and the older ARC format
(``.arc``, ``.arc.gz``), read with warcio: each HTTP ``response`` record that holds an HTML page
becomes a document, each one that holds a feed becomes the feed's entries.

Records of other kinds (requests, metadata, revisits), non-2xx responses and non-HTML, non-feed
payloads (images, scripts, styles) are not news and are passed over; an archive that holds no page
or feed at all says so, with what it did hold. A record larger than the input
limit, a body that will not decode, or a file damaged part-way is reported as broken; the records
before the damage are kept. Bodies sent with a ``Content-Encoding`` are decoded with the same caps
as live fetches (a decompression bomb inside a WARC is refused).

Archives written by newsdesk carry what the feed entry said about a page in a ``Newsdesk-Entry``
header; it is given back to extraction as the entry's hints. The header's codec lives here, beside
the reader, and newsdesk's writer (``archive``) imports it: the reader, which every ingest loads,
needs nothing of the writer.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from fastwarc.warc import ArchiveIterator, WarcRecordType

from .._decode import DecodeError, decode_body
from ..model import Broken, EntryHints, Fetched, FoundSource, Rejected, RejectReason
from ..urls import redact_url
from . import feeds, jsonfeed, pages, sitemaps
from ._xml import SNIFF_BYTES

NAME = "warc"
SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
MIME_TYPES = ("application/warc",)
#: A WARC is recognised by its first bytes before any suffix or MIME type is considered.
SNIFF_FIRST = True

_FEED_TYPES = ("rss", "atom", "rdf", "xml")


def _starts_with(head: bytes, magic: bytes) -> bool:
    """Whether an archive begins with ``magic``, plain or gzipped (whole, or record by record)."""
    if head.startswith(magic):
        return True
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(head)) as f:
                return f.read(len(magic)) == magic
        except (OSError, EOFError):
            return False
    return False


def _sniff_warc(head: bytes) -> bool:
    return _starts_with(head, b"WARC/")


def sniff(head: bytes) -> bool:
    return _sniff_warc(head) or sniff_arc(head)


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    limit = max(len(data) * 20, 50_000_000)
    if sniff_arc(data[:4096]):
        yield from _arc_records(io.BytesIO(data), origin, max_record_bytes=limit)
    else:
        yield from _records(io.BytesIO(data), origin, max_record_bytes=limit)


def read_path(
    path: Path, *, max_record_bytes: int, origin: str | None = None
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    """Stream a WARC or ARC file from disk (a web archive may be far larger than memory)."""
    where = origin or str(path)
    try:
        f = path.open("rb")
    except OSError as e:
        yield Broken(origin=where, detail=f"cannot read: {e.strerror or e}")
        return
    with f:
        yield from read_stream(f, where, max_record_bytes=max_record_bytes)


def read_stream(
    f: IO[bytes], origin: str, *, max_record_bytes: int
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    """Stream a WARC or ARC file from an open, seekable binary file (a local one, or any file
    system's that fsspec opens)."""
    head = f.read(4096)
    f.seek(0)
    if sniff_arc(head):
        yield from _arc_records(f, origin, max_record_bytes=max_record_bytes)
    elif not head:
        yield Broken(origin=origin, detail="empty file")
    elif _sniff_warc(head):
        yield from _records(f, origin, max_record_bytes=max_record_bytes)
    else:
        yield Broken(origin=origin, detail="named like a web archive, but neither WARC nor ARC inside")


# -- record ranges: a large WARC read in parts, each part on its own (``newsdesk batch``) -------------


def record_ranges(f: IO[bytes], size: int) -> list[tuple[int, int, int]] | None:
    """How to read a WARC file in parts of ``size`` records each: for every part, the offset at
    which it starts, how many records (of any type) it holds, and the number (as the reader counts
    them in origins, ``#record-N``) of its first response or resource record. None when the file
    cannot be read from an offset (an ARC file, a WARC gzipped as a whole rather than record by
    record): it is then read in one part. One pass over the records' headers; memory is a tuple
    a part."""
    head = f.read(4096)
    f.seek(0)
    if not _sniff_warc(head):
        return None
    magic = b"\x1f\x8b" if head[:2] == b"\x1f\x8b" else b"WARC/"
    ranges: list[list[int]] = []  # [offset, records, first number]
    number, last = 1, -1
    try:
        for n, record in enumerate(ArchiveIterator(f, parse_http=False)):
            if record.stream_pos <= last:
                return None  # gzipped whole: no record starts at an offset of its own
            last = record.stream_pos
            if n % size == 0:
                ranges.append([record.stream_pos, 0, number])
            ranges[-1][1] += 1
            if record.record_type in (WarcRecordType.response, WarcRecordType.resource):
                number += 1
    except OSError:
        return None  # damaged: one part, which reports the damage as a whole read would
    for offset, _, _ in ranges:
        f.seek(offset)
        if f.read(len(magic)) != magic:
            return None
    f.seek(0)
    return [(offset, records, first) for offset, records, first in ranges]


def read_range(
    f: IO[bytes], origin: str, *, offset: int, records: int, first: int, max_record_bytes: int
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    """The items of ``records`` records of a WARC file from ``offset`` (a part that
    ``record_ranges`` made), numbered from ``first`` as a whole read numbers them. A part does not
    end with the whole file's summary (an archive with no page at all): only a whole read does."""
    f.seek(offset)
    yield from _records(f, origin, max_record_bytes=max_record_bytes, first=first, records=records)


# -- the Newsdesk-Entry header: what a feed entry said about an archived page ------------------------

#: The WARC header in which newsdesk's archive (``archive.WarcWriter``) keeps a page's entry hints.
ENTRY_HEADER = "Newsdesk-Entry"


def hints_header(hints: EntryHints) -> str | None:
    """The hints as one ASCII JSON line (a WARC header is one line, and any reader takes ASCII),
    or None when they say nothing."""
    data: dict[str, Any] = {}
    for key, value in asdict(hints).items():
        if value in (None, (), ""):
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        data[key] = value
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")) if data else None


def hints_from_header(text: str | None) -> EntryHints | None:
    """The hints of a header written by ``hints_header``; None when it is absent or unreadable (an
    archive written by hand, or by another tool, is read without them)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    fields: dict[str, Any] = {}
    for key in EntryHints.__dataclass_fields__:
        value = data.get(key)
        if value is None:
            continue
        if key in ("published", "updated"):
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                continue
        elif key in ("categories", "notes"):
            value = tuple(str(v) for v in value) if isinstance(value, list) else ()
        elif not isinstance(value, str):
            continue
        fields[key] = value
    return EntryHints(**fields)


class _Tally:
    """What a web archive held besides pages and feeds, so that an archive with none of those
    still ends with a reason ("4 request records") instead of in silence."""

    def __init__(self) -> None:
        self.skipped: Counter[str] = Counter()
        self.documents = 0

    def summary(self, origin: str) -> Rejected | None:
        if self.documents or not self.skipped:
            return None
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.skipped.most_common(6))
        total = sum(self.skipped.values())
        return Rejected(
            origin=origin,
            reason=RejectReason.NOT_HTML,
            detail=f"no page or feed among its {total} records ({kinds})",
        )


def _records(
    stream: IO[bytes],
    origin: str,
    *,
    max_record_bytes: int,
    first: int = 1,
    records: int | None = None,
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    """The items of a WARC stream's records: all of them, or the next ``records`` records (a part
    of the file, whose response and resource records are numbered from ``first``)."""
    n = first - 1
    seen = 0
    tally = _Tally()
    try:
        iterator = ArchiveIterator(stream, parse_http=True, auto_decode="transfer")
        for record in iterator:
            if records is not None and seen >= records:
                return
            seen += 1
            if record.record_type not in (WarcRecordType.response, WarcRecordType.resource):
                tally.skipped[f"{_kind(record.record_type)} record"] += 1
                continue
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
                tally.documents += 1
                continue
            if record.record_type == WarcRecordType.response:
                if not record.is_http:
                    yield Broken(origin=where, detail=f"{uri}: no readable HTTP response in the record")
                    tally.documents += 1
                    continue
                status = record.http_headers.status_code or 0
                if not 200 <= status < 300:
                    tally.skipped[f"HTTP {status}"] += 1
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
                tally.documents += 1
                continue
            try:
                body = decode_body(raw, encoding, max_bytes=max_record_bytes)
            except DecodeError as e:
                yield Broken(origin=where, detail=f"{uri}: {e}")
                tally.documents += 1
                continue
            when = _date(record.headers.get("WARC-Date"))
            requested = redact_url(record.headers.get("Newsdesk-Requested-URI") or "") or uri
            hints = hints_from_header(record.headers.get(ENTRY_HEADER))
            yield from _counted(
                _document(
                    body,
                    where,
                    url=requested or None,
                    final_url=uri or None,
                    status=status,
                    content_type=content_type,
                    headers=http_headers,
                    fetched_at=when,
                    hints=hints,
                ),
                tally,
                content_type,
            )
    except OSError as e:
        yield Broken(origin=origin, detail=f"damaged WARC after {n} records: {e}")
        return
    summary = tally.summary(origin) if records is None else None
    if summary:
        yield summary


def _kind(record_type: WarcRecordType) -> str:
    return str(getattr(record_type, "name", record_type)).rsplit(".", 1)[-1]


def _counted(
    items: Iterator[Fetched | FoundSource | Broken | Rejected], tally: _Tally, content_type: str | None
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    """The documents of one record, counted; a record that gives none is tallied by its type."""
    given = 0
    for item in items:
        given += 1
        yield item
    if given:
        tally.documents += given
    else:
        mime = (content_type or "").split(";")[0].strip().lower() or "untyped"
        tally.skipped[mime] += 1


# -- ARC, the Internet Archive's format before WARC ---------------------------------------------------


def sniff_arc(head: bytes) -> bool:
    """An ARC file starts with its ``filedesc://`` record (gzipped record by record, or not)."""
    return _starts_with(head, b"filedesc://")


def _arc_records(
    stream: IO[bytes], origin: str, *, max_record_bytes: int
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    """ARC records through warcio (the reference reader of both formats; fastwarc reads WARC
    only), each HTTP response handled as a WARC response is."""
    from warcio.archiveiterator import ArchiveIterator as ArcIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    tally = _Tally()
    head = stream.read(2)
    stream.seek(0)
    if head == b"\x1f\x8b":
        # warcio wants one gzip member per record and refuses a file gzipped whole: the gzip
        # module reads both kinds as one plain stream.
        stream = gzip.GzipFile(fileobj=stream)  # type: ignore[assignment]
    try:
        for record in ArcIterator(stream, arc2warc=True):
            if record.rec_type != "response":
                tally.skipped[f"{record.rec_type} record"] += 1
                continue
            n += 1
            where = f"{origin}#record-{n}"
            uri = redact_url(record.rec_headers.get_header("WARC-Target-URI") or "")
            if record.http_headers is None:
                yield Broken(origin=where, detail=f"{uri}: no readable HTTP response in the record")
                tally.documents += 1
                continue
            try:
                status = int(record.http_headers.get_statuscode() or 0)
            except ValueError:
                status = 0
            if not 200 <= status < 300:
                tally.skipped[f"HTTP {status or 'status unreadable'}"] += 1
                continue
            # content_stream() undoes the transfer and content encodings as it reads: reading one
            # byte past the limit bounds memory whatever the record claims.
            body = record.content_stream().read(max_record_bytes + 1)
            if len(body) > max_record_bytes:
                yield Broken(origin=where, detail=f"{uri}: decodes to more than max_input_bytes")
                tally.documents += 1
                continue
            content_type = record.http_headers.get_header("Content-Type")
            yield from _counted(
                _document(
                    body,
                    where,
                    url=uri or None,
                    final_url=uri or None,
                    status=status,
                    content_type=content_type,
                    headers=tuple(record.http_headers.headers),
                    fetched_at=_date(record.rec_headers.get_header("WARC-Date")),
                    hints=None,
                ),
                tally,
                content_type,
            )
    except (ArchiveLoadFailed, OSError, ValueError, EOFError, zlib.error) as e:
        yield Broken(origin=origin, detail=f"damaged ARC after {n} records: {' '.join(str(e).split())[:200]}")
        return
    summary = tally.summary(origin)
    if summary:
        yield summary


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
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    mime = (content_type or "").split(";")[0].strip().lower()
    head = body[:SNIFF_BYTES]
    if sitemaps.sniff(head):
        return  # a sitemap lists pages; the pages themselves are archived as their own records (tallied)
    is_feed = mime in feeds.MIME_TYPES or any(t in mime for t in _FEED_TYPES if "html" not in mime)
    if (feeds.sniff(head) and (is_feed or not pages.sniff(head))) or jsonfeed.sniff(head):
        for item in feeds.read(body, final_url or where, base=final_url):
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
            elif isinstance(item, Rejected):
                yield Rejected(origin=where, reason=item.reason, detail=f"{final_url}: {item.detail}")
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
