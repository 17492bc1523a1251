"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser.

An entry that carries the article's full text becomes a document to extract; an entry with only a
summary becomes a document with an empty body, which extraction rejects as ``summary-only`` (the
fetcher fetches its page instead). A malformed feed is reported as broken, keeping any complete
entries feedparser could still recover.

feedparser never sees an entity declaration (``_xml.defuse``): its loose parser, which runs
whenever the strict one gives up, expands declared entities without limit. A feed whose entities
would expand beyond a small bound is refused whole.
"""

from __future__ import annotations

import calendar
import html
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..exceptions import InputError
from ..model import Broken, EntryHints, Fetched, FoundSource, SourceKind
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

#: Below this many words an entry's body is a teaser, not the article.
FULL_TEXT_MIN_WORDS = 60

# Problems feedparser reports that do not mean the feed is damaged.
_BENIGN = ("CharacterEncodingOverride", "NonXMLContentType")
_TAG = re.compile(r"<[^>]+>")


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


def _words(fragment: str) -> int:
    return len(html.unescape(_TAG.sub(" ", fragment)).split())


def _body(entry: Any) -> tuple[str, str]:
    """The entry's fullest HTML body and its summary."""
    summary = str(entry.get("summary") or "")
    contents = [str(c.get("value") or "") for c in entry.get("content") or []]
    body = max(contents, key=_words, default="")
    if _words(summary) > _words(body):
        body = summary
    return body, summary


def read(data: bytes, origin: str) -> Iterator[Fetched | FoundSource | Broken]:
    try:
        defused = defuse(data)
    except InputError as e:
        yield Broken(origin=origin, detail=str(e))
        return
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
        yield Broken(origin=origin, detail=problem or "not an RSS or Atom feed")
        return
    feed_title = feed.get("title") or None
    self_url = next((link.get("href") for link in feed.get("links", []) if link.get("rel") == "self"), None)
    if self_url and problem is None:
        yield FoundSource(kind=SourceKind.FEED, url=self_url, name=feed_title)
    recovered = 0
    for n, entry in enumerate(entries, start=1):
        link = entry.get("link")
        title = entry.get("title")
        if problem and not (link and title):
            continue  # a fragment of a damaged feed: nothing to trust
        body, summary = _body(entry)
        full = _words(body) >= FULL_TEXT_MIN_WORDS and _words(body) > 1.5 * _words(summary or "")
        if not full and _words(body) >= 150:
            full = True  # a long description is the article itself
        categories = tuple(t.get("term") for t in entry.get("tags") or [] if t.get("term"))
        hints = EntryHints(
            title=title,
            summary=html.unescape(_TAG.sub(" ", summary)).strip() or None,
            published=_when(entry, "published") or _when(entry, "updated"),
            updated=_when(entry, "updated"),
            author=entry.get("author") or None,
            categories=categories,
            entry_id=entry.get("id") or None,
            source_name=feed_title,
            language=entry.get("language") or feed.get("language") or None,
        )
        recovered += 1
        yield Fetched(
            url=link,
            body=body.encode("utf-8") if full else b"",
            origin=f"{origin}#entry-{n}",
            content_type="text/html",
            hints=hints,
            source=feed_title,
        )
    if problem:
        yield Broken(origin=origin, detail=f"{problem} ({recovered} complete entries recovered)")
