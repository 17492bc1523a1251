"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser (and JSON Feeds, handed to ``jsonfeed``).

An entry that carries the article's full text becomes a document to extract; an entry with only a
summary becomes a document with an empty body, which extraction rejects as ``summary-only`` (the
fetcher fetches its page instead). A malformed feed is reported as broken, keeping any complete
entries feedparser could still recover.

feedparser never sees an entity declaration (``_xml.defuse``): its loose parser, which runs
whenever the strict one gives up, expands declared entities without limit. A feed whose entities
would expand beyond a small bound is refused whole.

Entries belong to the outlet, not to the feed: ``source`` is the outlet's name (``outlet_name``:
"Pressline" for a feed titled "Pressline – Top News"); the feed's own title names the feed.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..exceptions import InputError
from ..model import Broken, Fetched, FoundSource, SourceKind
from . import jsonfeed
from ._entries import FeedReading, entry_document, outlet_name, plain_text, words
from ._xml import defuse, sniff_view

NAME = "feed"
SUFFIXES = (".rss", ".atom", ".rdf", ".xml")
MIME_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)

# Problems feedparser reports that do not mean the feed is damaged.
_BENIGN = ("CharacterEncodingOverride", "NonXMLContentType")


def sniff(head: bytes) -> bool:
    text = sniff_view(head).text
    return any(m in text for m in ("<rss", "<feed", "<rdf:rdf", "<channel"))


def _when(entry: Any, key: str) -> datetime | None:
    # dict.get, not entry.get: feedparser's own lookup maps "updated" to "published" (deprecated).
    parsed: time.struct_time | None = dict.get(entry, key + "_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError):
        return None


def _body(entry: Any) -> tuple[str, str]:
    """The entry's fullest HTML body and its summary."""
    summary = str(entry.get("summary") or "")
    contents = [str(c.get("value") or "") for c in entry.get("content") or []]
    body = max(contents, key=words, default="")
    if words(summary) > words(body):
        body = summary
    return body, summary


def _entry_outlet(entry: Any, outlet: str | None) -> str | None:
    """An entry that names where it comes from (RSS ``<source>``, Atom ``<source>``) belongs there."""
    src = entry.get("source")
    if isinstance(src, dict) and src.get("title"):
        title = plain_text(str(src["title"]), (src.get("title_detail") or {}).get("type"))
        return outlet_name(title, src.get("href") or src.get("link") or entry.get("link"))
    return outlet


def parse(data: bytes, origin: str) -> FeedReading:
    """A feed's title, the outlet it belongs to, and its entries, found sources and problems."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return jsonfeed.parse(data, origin)
    try:
        defused = defuse(data)
    except InputError as e:
        return FeedReading(title=None, outlet=None, items=(Broken(origin=origin, detail=str(e)),))
    parsed = feedparser.parse(defused.data, sanitize_html=True, resolve_relative_uris=True)
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if type(exc).__name__ not in _BENIGN:
            problem = f"malformed feed: {exc}"
            if defused.note:
                problem += f"; {defused.note}"
    entries = parsed.get("entries") or []
    feed = parsed.get("feed") or {}
    if not parsed.get("version") and not entries:
        broken = Broken(origin=origin, detail=problem or "not an RSS or Atom feed")
        return FeedReading(title=None, outlet=None, items=(broken,))
    feed_title = " ".join(str(feed.get("title") or "").split()) or None
    first_link = next((e.get("link") for e in entries if e.get("link")), None)
    title_type = (feed.get("title_detail") or {}).get("type")
    outlet = outlet_name(plain_text(feed_title, title_type), feed.get("link") or first_link)
    items: list[Fetched | FoundSource | Broken] = []
    self_url = next((link.get("href") for link in feed.get("links", []) if link.get("rel") == "self"), None)
    if self_url and problem is None:
        items.append(FoundSource(kind=SourceKind.FEED, url=self_url, name=feed_title))
    recovered = 0
    for n, entry in enumerate(entries, start=1):
        link = entry.get("link")
        title = entry.get("title")
        if problem and not (link and title):
            continue  # a fragment of a damaged feed: nothing to trust
        body, summary = _body(entry)
        recovered += 1
        items.append(
            entry_document(
                link=link,
                title=title,
                body=body,
                summary=summary,
                origin=f"{origin}#entry-{n}",
                outlet=_entry_outlet(entry, outlet),
                published=_when(entry, "published"),
                updated=_when(entry, "updated"),
                author=entry.get("author") or None,
                categories=tuple(t.get("term") for t in entry.get("tags") or [] if t.get("term")),
                entry_id=entry.get("id") or None,
                language=entry.get("language") or feed.get("language") or None,
            )
        )
    if problem:
        items.append(Broken(origin=origin, detail=f"{problem} ({recovered} complete entries recovered)"))
    return FeedReading(title=feed_title, outlet=outlet, items=tuple(items))


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    yield from parse(data, origin).items
