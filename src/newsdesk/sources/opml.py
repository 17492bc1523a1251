"""OPML subscription lists: each outline with an ``xmlUrl`` is a feed to follow.

Parsed with lxml with entity resolution and network access off, after every entity declaration
was removed (``_xml.defuse``), so a hostile list can neither read local files, call out, nor
expand entities beyond a small bound.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..exceptions import InputError
from ..model import Broken, Fetched, FoundSource, SourceKind
from ..urls import is_http_url
from ._xml import defuse, sniff_view

NAME = "opml"
SUFFIXES = (".opml",)
MIME_TYPES = ("text/x-opml", "text/x-opml+xml", "application/opml+xml")


def sniff(head: bytes) -> bool:
    return "<opml" in sniff_view(head).text


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    try:
        data = defuse(data).data
    except InputError as e:
        yield Broken(origin=origin, detail=f"not readable as OPML: {e}")
        return
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
            if is_http_url(url):
                yield FoundSource(kind=SourceKind.FEED, url=url, name=name, category=folder)
            else:
                yield Broken(origin=origin, detail=f"outline {name!r}: not an http(s) URL: {url!r}")
        yield from _walk(outline, name if not url else folder, origin)
