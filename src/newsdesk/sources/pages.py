"""HTML pages: one file, one document. The page itself says its URL (canonical link, og:url)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Broken, Fetched, FoundSource
from ._xml import head_text

NAME = "page"
SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MIME_TYPES = ("text/html", "application/xhtml+xml")


def sniff(head: bytes) -> bool:
    text = head_text(head)
    return text.startswith(("<!doctype html", "<html")) or "<html" in text[:1024]


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    if not data.strip():
        yield Broken(origin=origin, detail="empty file")
        return
    yield Fetched(url=None, body=data, origin=origin, content_type="text/html")
