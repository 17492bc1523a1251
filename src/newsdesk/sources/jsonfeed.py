"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1): a feed written as one JSON object.

Recognised by its content — an object whose ``version`` is a jsonfeed.org URL — before the JSON
Lines reader, which would take it for one bad record. Items become documents as RSS and Atom
entries do (``_entries``): ``content_html`` or ``content_text`` when it is the article, else a page
to fetch; the feed's ``feed_url`` becomes a source named by its title. (feedparser 6.0, which
reads RSS and Atom here, does not read JSON Feed: it takes one for malformed XML.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from .. import _valid
from ..exceptions import InvalidURLError
from ..model import Broken, Fetched, FoundSource, Rejected, RejectReason, SourceKind
from ..urls import is_http_url, is_site_root, normalize_url
from ._entries import FeedReading, entry_document, outlet_name

NAME = "jsonfeed"
SUFFIXES: tuple[str, ...] = ()  # feed.json shares .json with JSON Lines: recognised by content
MIME_TYPES = ("application/feed+json",)
#: Recognised by content before any suffix or MIME type (``.json``, ``application/json``).
SNIFF_FIRST = True

_VERSION = re.compile(rb'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version\\?/')


def is_json_feed(doc: object) -> bool:
    """Whether a parsed JSON document is a JSON Feed."""
    if not isinstance(doc, dict):
        return False
    version = doc.get("version")
    return isinstance(version, str) and "jsonfeed.org/version/" in version


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" and _VERSION.search(head) is not None


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return _valid.optional_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**30:
        return str(value)  # JSON Feed 1 allowed numeric ids
    return None


def _date(value: object) -> datetime | None:
    text = _text(value)
    return _valid.iso_date(text) if text else None


def _author(*holders: dict[str, Any]) -> str | None:
    """The first author named: ``authors`` (version 1.1) or ``author`` (version 1)."""
    for holder in holders:
        people = holder.get("authors")
        candidates = people if isinstance(people, list) else [holder.get("author")]
        for person in candidates:
            if isinstance(person, dict) and _text(person.get("name")):
                return _text(person.get("name"))
    return None


def _url(value: object, base: str | None) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return urljoin(base, text) if base else text


def parse(data: bytes, origin: str, *, base: str | None = None) -> FeedReading:
    """A JSON Feed's title, outlet and items (or why it is not one)."""
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError as e:
        return FeedReading(None, None, (Broken(origin, f"not valid JSON: {e.msg} at line {e.lineno}"),))
    except (ValueError, RecursionError) as e:
        why = "nested too deeply" if isinstance(e, RecursionError) else " ".join(str(e).split())[:120]
        return FeedReading(None, None, (Broken(origin, f"not JSON newsdesk can read: {why}"),))
    return from_document(doc, origin, base=base)


def _own(link: str | None, feed_url: str | None) -> tuple[str | None, str | None]:
    """An item's URL when it can be the article's (docs/identity.md), else None and why not."""
    if not link:
        return None, None
    try:
        url = normalize_url(link)
    except InvalidURLError:
        return None, f"its URL {link[:80]!r} is not an http(s) URL"
    if feed_url and is_http_url(feed_url) and url == normalize_url(feed_url):
        return None, f"its URL {url} is the feed's own address"
    if is_site_root(url):
        return None, f"its URL {url} is a site's home page"
    return url, None


def from_document(doc: object, origin: str, *, base: str | None = None) -> FeedReading:
    """A parsed JSON document read as a JSON Feed."""
    if not is_json_feed(doc):
        return FeedReading(None, None, (Broken(origin, "not a JSON Feed (no jsonfeed.org version)"),))
    assert isinstance(doc, dict)
    title = _text(doc.get("title"))
    feed_url = _text(doc.get("feed_url"))
    home = _text(doc.get("home_page_url"))
    base = next((u for u in (feed_url, home) if is_http_url(u)), None) or base
    raw_items = doc.get("items")
    if not isinstance(raw_items, list):
        return FeedReading(title, None, (Broken(origin, "a JSON Feed without an 'items' list"),))
    first = next((_url(i.get("url"), base) for i in raw_items if isinstance(i, dict) and i.get("url")), None)
    outlet = outlet_name(title, home or feed_url or first)
    items: list[Fetched | FoundSource | Broken | Rejected] = []
    if feed_url and is_http_url(feed_url):
        items.append(FoundSource(kind=SourceKind.FEED, url=feed_url, name=title))
    for n, item in enumerate(raw_items, start=1):
        where = f"{origin}#item-{n}"
        if not isinstance(item, dict):
            items.append(Broken(where, "an item must be a JSON object"))
            continue
        link, distrust = _own(_url(item.get("url"), base) or _url(item.get("external_url"), base), feed_url)
        body = _text(item.get("content_html")) or ""
        text = _text(item.get("content_text"))
        if not (link or body or text):
            if distrust:
                items.append(Rejected(where, RejectReason.NO_URL, f"no content, and {distrust}"))
                continue
            items.append(Broken(where, "an item with neither a URL nor content"))
            continue
        tags = item.get("tags")
        items.append(
            entry_document(
                link=link,
                title=_text(item.get("title")),
                body=body,
                summary=_text(item.get("summary")) or "",
                origin=where,
                outlet=outlet,
                published=_date(item.get("date_published")),
                updated=_date(item.get("date_modified")),
                author=_author(item, doc),
                categories=tuple(t for t in map(_text, tags[:50]) if t) if isinstance(tags, list) else (),
                entry_id=_text(item.get("id")),
                language=_text(item.get("language")) or _text(doc.get("language")),
                text=None if body else text,
                notes=(f"the item's URL was not used: {distrust}",) if distrust else (),
            )
        )
    return FeedReading(title=title, outlet=outlet, items=tuple(items))


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    yield from parse(data, origin).items
