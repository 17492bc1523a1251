"""HTML pages: one file, one document. The page itself says its URL (canonical link, og:url)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Broken, Fetched, FoundSource
from ._xml import sniff_view

NAME = "page"
SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MIME_TYPES = ("text/html", "application/xhtml+xml")


def sniff(head: bytes) -> bool:
    view = sniff_view(head)
    return view.doctype == "html" or view.text.startswith("<html") or "<html" in view.text[:1024]


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    if not data.strip():
        yield Broken(origin=origin, detail="empty file")
        return
    yield Fetched(url=None, body=data, origin=origin, content_type="text/html")
