"""OPML subscription lists: each outline with an ``xmlUrl`` is a feed to follow.

Parsed with lxml with entity resolution and network access off, so a hostile list cannot read local
files or call out.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..exceptions import InvalidURLError
from ..model import Broken, Fetched, FoundSource, SourceKind
from ..urls import normalize_url
from ._xml import head_text

NAME = "opml"
SUFFIXES = (".opml",)
MIME_TYPES = ("text/x-opml", "text/x-opml+xml", "application/opml+xml")


def sniff(head: bytes) -> bool:
    return "<opml" in head_text(head)


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        yield Broken(origin=origin, detail=f"malformed OPML: {e}")
        return
    if root.tag != "opml":
        yield Broken(origin=origin, detail=f"not OPML: root element is <{root.tag}>")
        return
    body = root.find("body")
    if body is None:
        yield Broken(origin=origin, detail="OPML without a <body>")
        return
    yield from _walk(body, None, origin)


def _walk(node: etree._Element, folder: str | None, origin: str) -> Iterator[FoundSource | Broken]:
    for outline in node.iterfind("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        name = outline.get("title") or outline.get("text")
        if url:
            try:
                normalize_url(url)
            except InvalidURLError as e:  # its message shows no user info
                yield Broken(origin=origin, detail=f"outline {name!r}: {e}")
            else:
                yield FoundSource(kind=SourceKind.FEED, url=url, name=name, category=folder)
        yield from _walk(outline, name if not url else folder, origin)
