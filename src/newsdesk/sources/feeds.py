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
import contextlib
import html.entities
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from .. import _valid
from ..exceptions import InputError, InvalidURLError
from ..model import Broken, Fetched, FoundSource, Rejected, RejectReason, SourceKind
from ..urls import is_http_url, is_site_root, normalize_url
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


_ENTITY_REF = re.compile(rb"&([A-Za-z][A-Za-z0-9]{0,31});")
_KNOWN_ENTITIES = frozenset(name.rstrip(";") for name in html.entities.html5) | {"apos"}


def _html_entities_only(exc: Any, data: bytes) -> bool:
    """Whether the feed's only fault is HTML entity names (``&aacute;``, ``&nbsp;``) that XML does
    not define: feeds use them everywhere, and feedparser reads them right. Not damage."""
    if "undefined entity" not in str(exc):
        return False
    names = {m.decode("ascii") for m in _ENTITY_REF.findall(data)}
    return bool(names) and names <= _KNOWN_ENTITIES


def _ends_early(exc: Any, data: bytes) -> bool:
    """Whether the parser gave up on the document's last line: a feed cut short (an interrupted
    download), whose last entries are lost or cut, rather than one bad character mid-way, after
    which the loose parser recovers everything."""
    line = getattr(exc, "getLineNumber", None)
    if not callable(line):
        return False
    try:
        at = int(line())
    except (TypeError, ValueError):
        return False
    return at >= data.rstrip().count(b"\n") + 1


def _own_link(entry: Any, feed_urls: set[str], base: str | None) -> tuple[str | None, str | None]:
    """The entry's link when it can be the article's address, else None and why not.

    feedparser takes a guid for the link when the feed does not say it is no permalink, so a
    guid such as "post-123" becomes a made-up URL next to the feed; empty, ``javascript:`` and
    ``data:`` links, the feed's own address and a site's home page are no article's either.
    Trusting any of them would give different entries one identity (see docs/identity.md)."""
    link = str(entry.get("link") or "").strip()
    if not link:
        return None, None
    guid = str(entry.get("id") or "")
    if entry.get("guidislink") and link == guid and not is_http_url(guid):
        return None, f"its guid {guid[:80]!r} is not a URL"
    try:
        url = normalize_url(link, base=base)
    except InvalidURLError:
        return None, f"its link {link[:80]!r} is not an http(s) URL"
    if url in feed_urls:
        return None, f"its link {url} is the feed's own address"
    if is_site_root(url):
        return None, f"its link {url} is a site's home page"
    return url, None


def _feed_urls(feed: Any, origin: str, base: str | None) -> set[str]:
    urls = set()
    for candidate in [base, origin, feed.get("link"), *(x.get("href") for x in feed.get("links", []))]:
        if candidate:
            with contextlib.suppress(InvalidURLError):
                urls.add(normalize_url(str(candidate)))
    return urls


def parse(data: bytes, origin: str, *, base: str | None = None) -> FeedReading:
    """A feed's title, the outlet it belongs to, and its entries, found sources and problems.

    ``base``: the feed's own URL when it was fetched, against which relative entry links are
    resolved (a local file has none: its relative links are not trusted)."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return jsonfeed.parse(data, origin, base=base)
    try:
        defused = defuse(data)
    except InputError as e:
        return FeedReading(title=None, outlet=None, items=(Broken(origin=origin, detail=str(e)),))
    try:
        parsed = feedparser.parse(
            _valid.xml_charrefs(defused.data), sanitize_html=True, resolve_relative_uris=True
        )
    except Exception as e:  # noqa: BLE001 -- feedparser's loose parser has bugs of its own: a reason, not a crash
        detail = f"feedparser could not read it: {type(e).__name__}: {e}"[:300]
        return FeedReading(title=None, outlet=None, items=(Broken(origin=origin, detail=detail),))
    problem = None
    truncated = False
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if type(exc).__name__ not in _BENIGN and not _html_entities_only(exc, defused.data):
            problem = f"malformed feed: {exc}"
            if defused.note:
                problem += f"; {defused.note}"
            truncated = _ends_early(exc, defused.data)
    entries = parsed.get("entries") or []
    feed = parsed.get("feed") or {}
    if not parsed.get("version") and not entries:
        broken = Broken(origin=origin, detail=problem or "not an RSS or Atom feed")
        return FeedReading(title=None, outlet=None, items=(broken,))
    feed_title = " ".join(str(feed.get("title") or "").split()) or None
    first_link = next((e.get("link") for e in entries if e.get("link")), None)
    title_type = (feed.get("title_detail") or {}).get("type")
    outlet = outlet_name(plain_text(feed_title, title_type), feed.get("link") or first_link)
    items: list[Fetched | FoundSource | Broken | Rejected] = []
    self_url = next((link.get("href") for link in feed.get("links", []) if link.get("rel") == "self"), None)
    if self_url and problem is None:
        items.append(FoundSource(kind=SourceKind.FEED, url=self_url, name=feed_title))
    recovered = 0
    skipped = 0
    feed_urls = _feed_urls(feed, origin, base)
    for n, entry in enumerate(entries, start=1):
        link, distrust = _own_link(entry, feed_urls, base)
        title = entry.get("title")
        if problem and not (link and title):
            skipped += 1
            continue  # a fragment of a damaged feed: nothing to trust
        body, summary = _body(entry)
        recovered += 1
        notes = (
            f"the entry's link was not used: {distrust}" if distrust else None,
            f"recovered from a damaged feed ({problem})" if problem else None,
        )
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
                notes=tuple(note for note in notes if note),
            )
        )
    if problem and not recovered:
        items.append(Broken(origin=origin, detail=f"{problem} (no complete entry could be recovered)"))
    elif problem and (skipped or truncated):
        # Something was lost: the feed is broken, even if some of it was saved. A damaged feed
        # whose every entry was recovered is not: the damage is noted on each entry instead.
        lost = f"{skipped} incomplete left out" if skipped else "the feed ends early: the last may be cut"
        items.append(Broken(origin=origin, detail=f"{problem} ({recovered} entries recovered, {lost})"))
    elif not entries and not (self_url and problem is None):
        items.append(Rejected(origin=origin, reason=RejectReason.EMPTY, detail="a feed with no entries"))
    return FeedReading(title=feed_title, outlet=outlet, items=tuple(items))


def read(
    data: bytes, origin: str, *, base: str | None = None
) -> Iterator[Fetched | FoundSource | Broken | Rejected]:
    yield from parse(data, origin, base=base).items
