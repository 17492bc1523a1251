"""What a URL a person gives to ``newsdesk add`` is: a feed, an OPML list, a sitemap, or an HTML page
whose feeds it advertises with ``<link rel="alternate" type="application/rss+xml" href="...">``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from ..model import SourceKind
from ..urls import is_http_url
from . import feeds, jsonfeed, opml, pages, sitemaps
from ._xml import SNIFF_BYTES

_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/xml",
        "text/xml",
    }
)


@dataclass(frozen=True, slots=True)
class Discovered:
    url: str
    title: str | None
    type: str


def detect_kind(body: bytes, content_type: str | None) -> SourceKind | None:
    """Which kind of source a fetched document is, by its content first, then its MIME type."""
    head = body[:SNIFF_BYTES]
    if sitemaps.sniff(head):
        return SourceKind.SITEMAP
    if opml.sniff(head):
        return SourceKind.OPML
    if feeds.sniff(head) or jsonfeed.sniff(head):
        return SourceKind.FEED
    if pages.sniff(head):
        return SourceKind.PAGE
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in feeds.MIME_TYPES or mime in jsonfeed.MIME_TYPES:
        return SourceKind.FEED
    if mime in pages.MIME_TYPES:
        return SourceKind.PAGE
    return None


def discover_feeds(body: bytes, base_url: str) -> list[Discovered]:
    """The feeds an HTML page advertises, in page order, absolute and without duplicates."""
    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for node in root.iter("base"):
        href = node.get("href")
        if href:
            base = urljoin(base_url, href.strip())
            break
    found: dict[str, Discovered] = {}
    for link in root.iter("link"):
        rels = {r.lower() for r in (link.get("rel") or "").split()}
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rels or kind not in _FEED_TYPES or not href:
            continue
        url = urljoin(base, href)
        if is_http_url(url) and url not in found:
            found[url] = Discovered(url=url, title=(link.get("title") or "").strip() or None, type=kind)
    return list(found.values())
