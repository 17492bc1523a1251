"""OPML subscription lists: each ``<outline xmlUrl=...>`` becomes a feed source to follow; the
enclosing outline (a folder) becomes its category. ``opml_document`` writes such a list back (the
desk's ``export_opml``), here beside the reader, so that what one writes the other reads.

OPML files are recovered from the faults feeds are recovered from (``_xml.prepare``): an unescaped
``&``, an HTML entity name, a byte-order mark or blank lines before ``<?xml``, a wrong encoding
declaration. A list that is still not well-formed (a quote inside a quoted title, a tag cut off)
is read outline by outline, leniently: every outline that can be read is kept, and each one that
cannot is reported on its own line. Parsed with lxml with entity resolution and network access
off, after every entity declaration was removed, so a hostile list can neither read local files,
call out, nor expand entities beyond a small bound.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

from lxml import etree

from ..exceptions import InputError, InvalidURLError
from ..model import Broken, Fetched, FoundSource, SourceKind
from ..urls import normalize_url
from ._xml import prepare, sniff_view

NAME = "opml"
SUFFIXES = (".opml",)
MIME_TYPES = ("text/x-opml", "text/x-opml+xml", "application/opml+xml")

#: An outline tag longer than this is not read leniently (it is reported instead).
MAX_TAG_CHARS = 16_384

_OUTLINE = re.compile(r"<(/?)outline\b", re.IGNORECASE)
# The end of a tag, leniently: a ">" followed by the next tag or the end of the text (a ">" inside
# a title is followed by more words).
_TAG_END = re.compile(r"/?>(?=\s*(?:<|\Z))")
_ATTR_START = re.compile(r"([\w:.-]+)\s*=\s*([\"'])")
_VALUE_END = re.compile(r"\s+[\w:.-]+\s*=|\s*/?\s*\Z")


def sniff(head: bytes) -> bool:
    return "<opml" in sniff_view(head).text


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    try:
        doc = prepare(data)
    except InputError as e:
        yield Broken(origin=origin, detail=f"not readable as OPML: {e}")
        return
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        root = etree.fromstring(doc.data, parser=parser)
    except etree.XMLSyntaxError as e:
        yield from _lenient(doc.text, origin, str(e.msg))
        return
    if root.tag != "opml":
        yield Broken(origin=origin, detail=f"not OPML: root element is <{root.tag}>")
        return
    body = root.find("body")
    if body is None:
        yield Broken(origin=origin, detail="OPML without a <body>")
        return
    found = 0
    for item in _walk(body, None, origin):
        found += isinstance(item, FoundSource)
        yield item
    if not found:
        yield Broken(origin=origin, detail="an OPML list without any feed in it")


def _source(url: str, name: str | None, folder: str | None, origin: str) -> FoundSource | Broken:
    try:
        normalize_url(url)
    except InvalidURLError as e:  # its message shows no user info
        return Broken(origin=origin, detail=f"outline {name!r}: {e}")
    return FoundSource(kind=SourceKind.FEED, url=url, name=name, category=folder)


def _walk(node: etree._Element, folder: str | None, origin: str) -> Iterator[FoundSource | Broken]:
    for outline in node.iterfind("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        name = outline.get("title") or outline.get("text")
        if url:
            yield _source(url.strip(), name, folder, origin)
        yield from _walk(outline, name if not url else folder, origin)


def _attributes(tag: str) -> dict[str, str]:
    """A tag's attributes, leniently: a value ends at the quote followed by the next attribute or
    the end of the tag, so ``text="Gazeta "Kommersant""`` reads as ``Gazeta "Kommersant"``."""
    attrs: dict[str, str] = {}
    i = 0
    while (m := _ATTR_START.search(tag, i)) is not None:
        quote, j = m.group(2), m.end()
        while True:
            k = tag.find(quote, j)
            if k < 0:
                value, i = tag[m.end() :], len(tag)
                break
            if _VALUE_END.match(tag, k + 1):
                value, i = tag[m.end() : k], k + 1
                break
            j = k + 1
        attrs.setdefault(m.group(1).lower(), html.unescape(value))
    return attrs


def _unreadable(origin: str, line: int, tag: str) -> Broken:
    snippet = " ".join(tag.split())
    snippet = snippet if len(snippet) <= 80 else snippet[:79] + "…"
    return Broken(
        origin=f"{origin}:{line}", detail=f"line {line}: an outline that could not be read: {snippet!r}"
    )


def _lenient(text: str, origin: str, error: str) -> Iterator[FoundSource | Broken]:
    """An OPML list that is not well-formed, outline by outline."""
    if "<opml" not in text[:65_536].lower():
        yield Broken(origin=origin, detail=f"not OPML: no <opml> element ({error})")
        return
    folders: list[str | None] = [None]  # the category of the outlines at each depth
    found = 0
    line, counted = 1, 0
    for m in _OUTLINE.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        if m.group(1):  # </outline>
            if len(folders) > 1:
                folders.pop()
            continue
        # A tag cannot hold a "<": when quotes are broken, the next "<" still bounds it.
        bound = text.find("<", m.end())
        bound = min(len(text) if bound < 0 else bound, m.end() + MAX_TAG_CHARS)
        end = _TAG_END.search(text, m.end(), bound)
        if end is None:
            yield _unreadable(origin, line, text[m.end() : bound])
            continue
        tag = text[m.end() : end.start()]
        attrs = _attributes(tag)
        url = attrs.get("xmlurl", "").strip()
        name = attrs.get("title") or attrs.get("text")
        if url:
            item = _source(url, name, folders[-1], origin)
            found += isinstance(item, FoundSource)
            yield item
        elif "xmlurl" in tag.lower():
            yield _unreadable(origin, line, tag)
        if not end.group().startswith("/"):
            folders.append(name if not url else folders[-1])
    yield Broken(origin=origin, detail=f"malformed OPML ({error}): read leniently, {found} feeds recovered")


# -- writing ------------------------------------------------------------------------------------------


class ListedSource(Protocol):
    """What ``opml_document`` reads of a source: the store's ``StoredSource`` has it, and a reader
    module does not import the store."""

    @property
    def kind(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def domain(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...


#: The outline type of each kind of source a list carries; other kinds (pages, files) are not
#: subscriptions and are left out.
_OUTLINE_TYPES = {SourceKind.FEED.value: "rss", SourceKind.SITEMAP.value: "sitemap"}


def opml_document(sources: Iterable[ListedSource], *, title: str = "newsdesk sources") -> bytes:
    """An OPML 2.0 subscription list of the feeds (and sitemaps), grouped by category."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    body = etree.SubElement(root, "body")
    folders: dict[str, Any] = {}
    for src in sources:
        if src.kind not in _OUTLINE_TYPES:
            continue
        parent = body
        if src.category:
            if src.category not in folders:
                folders[src.category] = etree.SubElement(
                    body, "outline", text=src.category, title=src.category
                )
            parent = folders[src.category]
        name = src.name or src.domain or src.url
        attrs = {"type": _OUTLINE_TYPES[src.kind], "text": name, "title": name}
        attrs["xmlUrl"] = src.url
        etree.SubElement(parent, "outline", **attrs)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
