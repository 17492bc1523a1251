"""Source readers: each turns one kind of input into ``Fetched`` documents, found sources,
``Rejected`` items (readable, but nothing to store: a feed without entries) or ``Broken`` reports.
Every input a reader is given yields at least one item, so no input ends in silence.

Readers are registered here by the MIME types and file suffixes they handle; adding a format means
adding one module and one line in ``READERS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ..model import Broken, Extracted, Fetched, FoundSource, Prepared, Rejected
from . import feeds, jsonfeed, jsonl, opml, pages, sitemaps, warc
from ._xml import SNIFF_BYTES

#: What ingest takes: documents, found sources, broken inputs, items a reader rejected, and
#: documents already extracted (``update`` extracts away from the store's writer) or prepared
#: (a batch's workers extract and fingerprint them); readers never yield those two.
Item = Fetched | FoundSource | Broken | Rejected | Extracted | Prepared


class Reader(Protocol):
    """What a reader module provides."""

    NAME: str
    SUFFIXES: tuple[str, ...]
    MIME_TYPES: tuple[str, ...]

    def sniff(self, head: bytes) -> bool:
        """Whether the first bytes of an input look like this format."""
        ...

    def read(self, data: bytes, origin: str) -> Iterator[Item]: ...


# Order matters for sniffing: OPML and feeds are XML too, a JSON Feed is JSON too, pages come last.
# WARC comes first: its records hold HTML and feeds.
READERS: tuple[Reader, ...] = (warc, opml, sitemaps, feeds, jsonfeed, jsonl, pages)  # type: ignore[assignment]


def reader_for(name: str, head: bytes, content_type: str | None = None) -> Reader | None:
    """Pick a reader by MIME type, then by file suffix, then by sniffing the content; a name or type
    whose reader does not recognise the content gives way to the reader that does.

    ``head`` is the input's first ``SNIFF_BYTES`` (room for a long prolog before the root element).
    Readers with ``SNIFF_FIRST`` (WARC, sitemaps, JSON Feed) are asked first: their content is
    unmistakable, while their names and MIME types (``sitemap.xml``, ``application/xml``,
    ``feed.json``) are shared with others.
    """
    for r in READERS:
        if getattr(r, "SNIFF_FIRST", False) and r.sniff(head):
            return r
    named: Reader | None = None
    if content_type:
        mime = content_type.split(";")[0].strip().lower()
        named = next((r for r in READERS if mime in r.MIME_TYPES), None)
    if named is None:
        lower = name.lower()
        named = next((r for r in READERS if lower.endswith(r.SUFFIXES)), None)
    sniffed = next((r for r in READERS if r.sniff(head)), None)
    # .xml and application/xml are shared by feeds, OPML lists and sitemaps: among those, what the
    # content plainly is wins over the name (an OPML list saved as .xml). A page named .rss stays a
    # feed that failed, not a page.
    xml = {feeds.NAME, opml.NAME, sitemaps.NAME}
    if (
        named is not None
        and sniffed is not None
        and {named.NAME, sniffed.NAME} <= xml
        and sniffed is not named
        and not named.sniff(head)
    ):
        return sniffed
    return named or sniffed


__all__ = ["READERS", "SNIFF_BYTES", "Item", "Reader", "reader_for"]
