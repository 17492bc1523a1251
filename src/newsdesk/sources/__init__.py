"""Source readers: each turns one kind of input into ``Fetched`` documents, found sources, or
``Broken`` reports. Readers are registered here by the MIME types and file suffixes they handle;
adding a format means adding one module and one line in ``READERS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ..model import Broken, Extracted, Fetched, FoundSource
from . import feeds, jsonl, opml, pages, sitemaps, warc

#: What ingest takes: documents, found sources, broken inputs, and documents already extracted
#: (``update`` extracts away from the store's writer; readers never yield those).
Item = Fetched | FoundSource | Broken | Extracted


class Reader(Protocol):
    """What a reader module provides."""

    NAME: str
    SUFFIXES: tuple[str, ...]
    MIME_TYPES: tuple[str, ...]

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes of an input look like this format."""
        ...

    def read(self, data: bytes, origin: str) -> Iterator[Item]: ...


# Order matters for sniffing: OPML and feeds are XML too, pages come last. WARC comes first: its
# records hold HTML and feeds.
READERS: tuple[Reader, ...] = (warc, opml, sitemaps, feeds, jsonl, pages)  # type: ignore[assignment]


def reader_for(name: str, head: bytes, content_type: str | None = None) -> Reader | None:
    """Pick a reader by MIME type, then by file suffix, then by sniffing the content.

    Readers with ``SNIFF_FIRST`` (WARC, sitemaps) are asked first: their content is unmistakable,
    while their names and MIME types (``sitemap.xml``, ``application/xml``) are shared with others.
    """
    for r in READERS:
        if getattr(r, "SNIFF_FIRST", False) and r.sniff(head):
            return r
    if content_type:
        mime = content_type.split(";")[0].strip().lower()
        for r in READERS:
            if mime in r.MIME_TYPES:
                return r
    lower = name.lower()
    for r in READERS:
        if lower.endswith(r.SUFFIXES):
            return r
    for r in READERS:
        if r.sniff(head):
            return r
    return None


__all__ = ["READERS", "Item", "Reader", "reader_for"]
