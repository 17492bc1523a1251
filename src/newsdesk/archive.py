"""The WARC archive of everything newsdesk fetches, so extraction can run again without refetching.

Each fetched page and feed becomes one WARC/1.1 ``response`` record (the HTTP status line, headers
and decoded body), gzip-compressed on its own so that a crash loses at most the record being
written. Files live in ``<data_dir>/warc/`` as ``newsdesk-<time>-<pid>.warc.gz`` and roll over at
``max_file_bytes``. What a feed entry said about a page (title, categories, entry id...) rides along
in a ``Newsdesk-Entry`` header, so re-extraction sees the same hints as the first extraction.

Reading is ``sources.warc`` (the same reader ``newsdesk ingest`` uses for any WARC), which also holds
the codec of the ``Newsdesk-Entry`` header: the reader needs nothing of the writer, so the two
modules import one way only (the writer the reader).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ._version import installed_version
from .fetch import Response
from .model import EntryHints
from .sources import warc
from .sources.warc import ENTRY_HEADER, hints_header

#: Hop-by-hop and encoding headers that no longer describe the decoded body we store.
_DROP = frozenset({"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"})
_REASONS = {200: "OK", 203: "Non-Authoritative Information", 206: "Partial Content", 304: "Not Modified"}


def _digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _clean(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def _warc_date(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcWriter:
    """Appends records to the current WARC file of this process; opens the file lazily."""

    def __init__(self, folder: Path, *, max_file_bytes: int = 1 << 30) -> None:
        self.folder = folder
        self.max_file_bytes = max_file_bytes
        self._file: IO[bytes] | None = None
        self._path: Path | None = None
        self._count = 0
        self.records = 0

    @property
    def path(self) -> Path | None:
        return self._path

    def _open(self, when: datetime) -> IO[bytes]:
        if self._file is not None and self._path is not None:
            if self._path.stat().st_size < self.max_file_bytes:
                return self._file
            self._file.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count += 1
        stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        self._path = self.folder / f"newsdesk-{stamp}-{os.getpid()}-{self._count}.warc.gz"
        self._file = self._path.open("ab")
        info = (
            f"software: newsdesk/{installed_version()}\r\nformat: WARC File Format 1.1\r\n"
            "description: pages and feeds fetched by newsdesk\r\n"
        ).encode()
        self._write(
            self._file,
            [
                ("WARC-Type", "warcinfo"),
                ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"),
                ("WARC-Date", _warc_date(when)),
                ("WARC-Filename", self._path.name),
                ("Content-Type", "application/warc-fields"),
                ("WARC-Block-Digest", _digest(info)),
            ],
            info,
        )
        return self._file

    @staticmethod
    def _write(f: IO[bytes], headers: list[tuple[str, str]], block: bytes) -> None:
        head = "WARC/1.1\r\n" + "".join(f"{k}: {_clean(v)}\r\n" for k, v in headers)
        head += f"Content-Length: {len(block)}\r\n\r\n"
        record = head.encode("utf-8") + block + b"\r\n\r\n"
        f.write(gzip.compress(record, compresslevel=6))
        f.flush()

    def write_response(self, response: Response, *, hints: EntryHints | None = None) -> str:
        """Archive one fetched response (not a 304: it has no body); returns the record id."""
        reason = _REASONS.get(response.status, "")
        http = [f"HTTP/1.1 {response.status} {reason}".rstrip()]
        for k, v in response.headers:
            if k.lower() not in _DROP:
                http.append(f"{k}: {_clean(v)}")
        http.append(f"Content-Length: {len(response.body)}")
        block = ("\r\n".join(http) + "\r\n\r\n").encode("latin-1", errors="replace") + response.body
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        headers = [
            ("WARC-Type", "response"),
            ("WARC-Record-ID", record_id),
            ("WARC-Date", _warc_date(response.fetched_at)),
            ("WARC-Target-URI", response.final_url),
            ("Content-Type", "application/http;msgtype=response"),
            ("WARC-Block-Digest", _digest(block)),
            ("WARC-Payload-Digest", _digest(response.body)),
        ]
        if response.address:
            headers.append(("WARC-IP-Address", response.address))
        if response.url != response.final_url:
            headers.append(("Newsdesk-Requested-URI", response.url))
        entry = hints_header(hints) if hints is not None else None
        if entry:
            headers.append((ENTRY_HEADER, entry))
        self._write(self._open(response.fetched_at), headers, block)
        self.records += 1
        return record_id

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def archive_files(folder: Path) -> list[Path]:
    """The archive's WARC files, oldest first (names start with the time they were opened)."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.name.endswith((".warc", ".warc.gz")) and p.is_file()]
    return sorted(files, key=lambda p: (p.name.split("-")[1] if p.name.count("-") >= 2 else "", p.name))


def iter_archive(folder: Path, *, max_record_bytes: int) -> Iterator[tuple[Path, int, Any]]:
    """(file, record number, item) for every item the archive's records hold, oldest first."""
    for path in archive_files(folder):
        for n, item in enumerate(warc.read_path(path, max_record_bytes=max_record_bytes)):
            yield path, n, item
