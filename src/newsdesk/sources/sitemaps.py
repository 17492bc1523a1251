"""XML sitemaps (sitemaps.org) and Google News sitemaps: lists of pages to fetch.

A ``<urlset>`` lists pages: each becomes a document without a body (its page must be fetched), with
what a news sitemap says about it (``news:title``, ``news:publication_date``, the publication's name
and language, ``news:keywords``) as hints. A ``<sitemapindex>`` lists further sitemaps, which become
sources. Parsed with lxml with entity resolution and network access off, after ``_xml.prepare``
removed every entity declaration and escaped the bare ``&`` so common in query strings (which
lxml's recovery would otherwise silently drop: ``?a=1&b=2`` read as ``?a=1=2``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from ..exceptions import InputError
from ..model import Broken, EntryHints, Fetched, FoundSource, Rejected, RejectReason, SourceKind
from ..urls import is_http_url
from ._xml import prepare, sniff_view

NAME = "sitemap"
SUFFIXES: tuple[str, ...] = ()  # sitemap.xml shares .xml with feeds: recognised by content
MIME_TYPES: tuple[str, ...] = ()
SNIFF_FIRST = True


@dataclass(frozen=True, slots=True)
class SitemapURL:
    loc: str
    lastmod: datetime | None = None
    title: str | None = None
    published: datetime | None = None
    publication: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()

    @property
    def when(self) -> datetime | None:
        return self.published or self.lastmod


@dataclass(frozen=True, slots=True)
class Sitemap:
    urls: list[SitemapURL]
    sitemaps: list[SitemapURL]
    #: Entries without a <loc> that is an http(s) URL.
    skipped: int = 0


def sniff(head: bytes) -> bool:
    text = sniff_view(head).text
    return "<urlset" in text or "<sitemapindex" in text


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _date(text: str | None) -> datetime | None:
    if not text or not text.strip():
        return None
    value = text.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _child_text(node: etree._Element, name: str) -> str | None:
    for child in node:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _find(node: etree._Element, name: str) -> etree._Element | None:
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def parse(data: bytes) -> Sitemap:
    """The pages and child sitemaps a sitemap lists. Raises ValueError when it is not one."""
    try:
        doc = prepare(data)
    except InputError as e:
        raise ValueError(f"not readable as a sitemap: {e}") from e
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(doc.data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise ValueError(f"malformed sitemap: {e}") from e
    if root is None:
        raise ValueError("empty sitemap")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap: root element is <{kind}>")
    urls: list[SitemapURL] = []
    maps: list[SitemapURL] = []
    skipped = 0
    for node in root:
        name = _local(node.tag)
        loc = _child_text(node, "loc")
        if not loc or not is_http_url(loc):
            skipped += 1
            continue
        lastmod = _date(_child_text(node, "lastmod"))
        if name == "sitemap":
            maps.append(SitemapURL(loc=loc, lastmod=lastmod))
        elif name == "url":
            news = _find(node, "news")
            if news is None:
                urls.append(SitemapURL(loc=loc, lastmod=lastmod))
                continue
            pub = _find(news, "publication")
            keywords = _child_text(news, "keywords") or ""
            urls.append(
                SitemapURL(
                    loc=loc,
                    lastmod=lastmod,
                    title=_child_text(news, "title"),
                    published=_date(_child_text(news, "publication_date")),
                    publication=_child_text(pub, "name") if pub is not None else None,
                    language=_child_text(pub, "language") if pub is not None else None,
                    keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
                )
            )
    return Sitemap(urls=urls, sitemaps=maps, skipped=skipped)


def as_document(entry: SitemapURL, origin: str) -> Fetched:
    """A listed page as a document without a body: a page to fetch, with the sitemap's hints."""
    hints = EntryHints(
        title=entry.title,
        published=entry.published,
        updated=entry.lastmod if entry.published else None,
        categories=entry.keywords,
        source_name=entry.publication,
        language=entry.language,
    )
    return Fetched(url=entry.loc, body=b"", origin=origin, hints=hints, source=entry.publication)


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    try:
        sitemap = parse(data)
    except ValueError as e:
        yield Broken(origin=origin, detail=str(e))
        return
    for child in sitemap.sitemaps:
        yield FoundSource(kind=SourceKind.SITEMAP, url=child.loc)
    for n, entry in enumerate(sitemap.urls, start=1):
        yield as_document(entry, f"{origin}#url-{n}")
    if sitemap.skipped:
        yield Rejected(
            origin=origin,
            reason=RejectReason.NO_URL,
            detail=f"{sitemap.skipped} entries without a <loc> that is an http(s) URL",
        )
    elif not sitemap.urls and not sitemap.sitemaps:
        yield Rejected(origin=origin, reason=RejectReason.EMPTY, detail="a sitemap that lists no pages")
