"""Outgoing Atom 1.0 feeds (RFC 4287): everything, originals only, per category, source and story,
and any search.

    /feeds/all.atom                      the newest articles
    /feeds/originals.atom[?category=C]   the newest articles that copy nobody
    /feeds/category/{name}.atom          the newest articles of a category (world, business, ...)
    /feeds/source/{name}.atom            the newest articles of a source (404 when none has the name)
    /feeds/story/{id}.atom               the newest articles of a story (404 for an unknown story)
    /feeds/search.atom?q=...             the latest arrivals matching a search (&source= &category=
                                         &language= &since= &until=, as on /search)

Each feed holds the newest ``ENTRIES`` articles. An entry gives the title, byline (else the source),
dates, category, a link to our article page (``rel="alternate"``) and to the publisher's own page
(``rel="related"``), and a short plain-text excerpt: the article's own summary or its first
``EXCERPT_WORDS`` words. We never republish whole articles. Entry ids are the articles' canonical
URLs: stable across rebuilds of the store, and the same entry in every feed.

The XML is built with lxml (never by pasting strings), third-party text goes in as text (escaped,
``type="text"``), and characters XML 1.0 forbids are dropped. Responses carry Cache-Control, and
an ETag, 304 and HEAD as every page does (``caching.ConditionalGetMiddleware``). Each worker keeps
a built feed for ``FeedCache.ttl`` seconds (10), so a popular feed costs one build per ten seconds,
not one per request.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request, Response
from lxml import etree

from .._version import installed_version
from ..model import StoredArticle
from ..query import http_url, parse_time, search_filters
from .deps import reader

router = APIRouter(prefix="/feeds", include_in_schema=False)

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
#: How many entries a feed holds (the newest).
ENTRIES = 50
#: Longest excerpt, in words.
EXCERPT_WORDS = 50
CACHE_CONTROL = "public, max-age=300"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_A = f"{{{ATOM_NS}}}"
#: Characters XML 1.0 does not allow (C0 controls but tab/newline/return, surrogates, U+FFFE/F).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class _Feed:
    title: str
    #: Path and query of the feed itself (its id and rel="self").
    path: str
    #: Path and query of the site page showing the same thing (rel="alternate").
    page: str
    subtitle: str


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (lxml refuses them)."""
    if value.isascii() and value.isprintable():  # the common case, without a regex
        return value
    return _ILLEGAL_XML.sub("", value)


def _clean(value: str) -> str:
    return _SPACE.sub(" ", xml_text(value)).strip()


def excerpt(stored: StoredArticle, words: int = EXCERPT_WORDS) -> str:
    """A short plain-text excerpt: the article's own summary, else its opening words (at most
    ``words`` either way, with an ellipsis when cut)."""
    article = stored.article
    text = article.description or article.text
    parts = text.split(None, words)
    if len(parts) > words:
        return _clean(" ".join(parts[:words])) + " …"
    return _clean(" ".join(parts))


def _stamp(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _updated(stored: StoredArticle) -> datetime:
    a = stored.article
    when = a.updated or a.published or stored.first_seen
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _web_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL (never a javascript: or data: one), else None."""
    return http_url(xml_text(url)) if url else None


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _A + tag)
    for k, v in attrs.items():
        el.set(k, xml_text(v))
    if text is not None:
        el.text = xml_text(text)
    return el


def _entry(parent: etree._Element, stored: StoredArticle, base: str) -> None:
    a = stored.article
    entry = _sub(parent, "entry")
    if a.language and _LANGUAGE.match(a.language):
        entry.set(_XML_LANG, a.language)
    _sub(entry, "id", _web_url(a.canonical_url) or f"{base}/article/{stored.id}")  # stable: the URL
    _sub(entry, "title", _clean(a.title) or "(untitled)", type="text")
    _sub(entry, "updated", _stamp(_updated(stored)))
    if a.published is not None:
        _sub(entry, "published", _stamp(a.published))
    author = _sub(entry, "author")
    publisher = _web_url(a.canonical_url) or _web_url(a.url)
    source = (
        _clean(a.source or a.site_name or "") or (publisher and urlsplit(publisher).hostname) or "unknown"
    )
    _sub(author, "name", _clean(a.byline or "") or source)
    _sub(entry, "link", rel="alternate", type="text/html", href=f"{base}/article/{stored.id}")
    if publisher:
        _sub(entry, "link", rel="related", type="text/html", href=publisher, title=source)
    if a.category and _clean(a.category):
        _sub(entry, "category", term=_clean(a.category))
    summary = excerpt(stored)
    if summary:
        _sub(entry, "summary", summary, type="text")


def render_feed(
    request: Request, feed: _Feed, articles: Sequence[StoredArticle], fallback: datetime
) -> bytes:
    """The Atom document for ``articles`` (newest first), with absolute links under this site."""
    base = str(request.base_url).rstrip("/")
    root = etree.Element(_A + "feed", nsmap={None: ATOM_NS})
    _sub(root, "id", base + feed.path)
    _sub(root, "title", feed.title, type="text")
    _sub(root, "subtitle", feed.subtitle, type="text")
    newest = max((_updated(s) for s in articles), default=fallback)
    _sub(root, "updated", _stamp(newest))
    _sub(root, "link", rel="self", type="application/atom+xml", href=base + feed.path)
    _sub(root, "link", rel="alternate", type="text/html", href=base + feed.page)
    _sub(root, "generator", "newsdesk", version=installed_version())
    _sub(root, "rights", "Titles and short excerpts; every article belongs to its publisher.", type="text")
    for stored in articles:
        _entry(root, stored, base)
    body: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return body


def _respond(body: bytes) -> Response:
    # ETag, 304 and HEAD come from caching.ConditionalGetMiddleware, as for every page.
    return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": CACHE_CONTROL})


class FeedCache:
    """Feeds as built, kept ``ttl`` seconds (per worker process, on the app's state): a popular
    feed is built once per ``ttl``, not once per request. Feeds promise no fresher than that
    (Cache-Control allows readers five minutes). At most ``size`` feeds, least recently used out."""

    def __init__(self, ttl: float = 10.0, size: int = 256) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if time.monotonic() - found[0] >= self.ttl:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: str, body: bytes) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._items[key] = (time.monotonic(), body)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def feed_cache(request: Request) -> FeedCache:
    """The app's feed cache (made on first use; ``app.state.feed_cache`` may be set beforehand)."""
    cache: FeedCache | None = getattr(request.app.state, "feed_cache", None)
    if cache is None:
        cache = request.app.state.feed_cache = FeedCache()
    return cache


def _key(request: Request) -> str:
    # The host is part of it: links in a feed are absolute.
    return f"{request.base_url}{request.url.path}?{request.url.query}"


def _cached(request: Request) -> Response | None:
    body = feed_cache(request).get(_key(request))
    return None if body is None else _respond(body)


def _serve(request: Request, feed: _Feed, articles: Sequence[StoredArticle]) -> Response:
    fallback = _EPOCH
    if not articles:  # an empty feed is as new as the store
        newest = reader(request).latest(1)
        fallback = _updated(newest[0]) if newest else _EPOCH
    body = render_feed(request, feed, articles, fallback)
    feed_cache(request).put(_key(request), body)
    return _respond(body)


def _page(path: str, **params: str | None) -> str:
    query = urlencode([(k, v) for k, v in params.items() if v])
    return f"{path}?{query}" if query else path


def _when(value: str | None, name: str) -> datetime | None:
    """A time from a query parameter, read as the CLI and the search page read it: an ISO date or
    date-time ("2026-03-01", "2026-03-01T08:00Z") or an age ("12h", "3d", "2w": a rolling window,
    useful in a feed)."""
    if value is None or not value.strip():
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise HTTPException(
            400,
            f"{name}: {value.strip()!r} is not a date (2026-03-01), a time (2026-03-01T08:00) or an age (3d)",
        ) from None


_Text = Annotated[str | None, Query(max_length=200)]
_Words = Annotated[str | None, Query(max_length=1000)]


@router.get("/all.atom")
def all_articles(request: Request) -> Response:
    if (hit := _cached(request)) is not None:
        return hit
    feed = _Feed(
        "newsdesk: latest articles", "/feeds/all.atom", "/", "The newest articles from every source."
    )
    return _serve(request, feed, reader(request).latest(ENTRIES))


@router.get("/originals.atom")
def originals(request: Request, category: _Text = None) -> Response:
    if (hit := _cached(request)) is not None:
        return hit
    category = category.strip() if category else None
    title = f"newsdesk: originals in {category}" if category else "newsdesk: originals"
    feed = _Feed(
        title,
        _page("/feeds/originals.atom", category=category),
        _page("/", category=category),
        "The newest articles that copy nobody: the originals, and stories nobody else had.",
    )
    desk = reader(request)
    if category:
        articles = desk.category_articles(category, limit=ENTRIES, originals=True)
    else:
        articles = desk.latest(ENTRIES, originals=True)
    return _serve(request, feed, articles)


@router.get("/category/{name:path}.atom")
def category(request: Request, name: str) -> Response:
    if (hit := _cached(request)) is not None:
        return hit
    feed = _Feed(
        f"newsdesk: {name}",
        f"/feeds/category/{quote(name, safe='')}.atom",
        _page("/", category=name),
        f"The newest articles in {name}.",
    )
    return _serve(request, feed, reader(request).category_articles(name, limit=ENTRIES))


@router.get("/source/{name:path}.atom")
def source(request: Request, name: str) -> Response:
    if (hit := _cached(request)) is not None:
        return hit
    articles = reader(request).source_articles(name, limit=ENTRIES)  # SourceNotFoundError: 404
    quoted = quote(name, safe="")
    feed = _Feed(
        f"newsdesk: {name}",
        f"/feeds/source/{quoted}.atom",
        f"/source/{quoted}",
        f"The newest articles from {name}.",
    )
    return _serve(request, feed, articles)


@router.get("/story/{story_id}.atom")
def story(request: Request, story_id: int) -> Response:
    if (hit := _cached(request)) is not None:
        return hit
    latest = reader(request).story_articles(story_id, limit=ENTRIES)  # StoryNotFoundError: 404
    found, articles = latest.story, latest.articles
    feed = _Feed(
        f"newsdesk story: {found.title}",
        f"/feeds/story/{story_id}.atom",
        f"/story/{found.id}",
        f"Coverage of one story: {found.size} articles from {len(found.sources)} sources.",
    )
    return _serve(request, feed, articles)


@router.get("/search.atom")
def search(
    request: Request,
    q: _Words = None,
    source: _Text = None,
    category: _Text = None,
    language: _Text = None,
    since: _Text = None,
    until: _Text = None,
) -> Response:
    if (hit := _cached(request)) is not None:
        return hit
    if not q or not q.strip():
        raise HTTPException(400, "a search feed needs a query: /feeds/search.atom?q=words")
    q = q.strip()
    params = {
        "q": q,
        "source": (source or "").strip() or None,
        "category": (category or "").strip() or None,
        "language": (language or "").strip() or None,
        "since": (since or "").strip() or None,
        "until": (until or "").strip() or None,
    }
    filters = search_filters(
        source=params["source"],
        category=params["category"],
        language=params["language"],
        since=_when(params["since"], "since"),
        until=_when(params["until"], "until"),
    )
    shown = ", ".join(f"{k} {v}" for k, v in params.items() if v and k != "q")
    feed = _Feed(
        f"newsdesk search: {q}" + (f" ({shown})" if shown else ""),
        _page("/feeds/search.atom", **params),
        _page("/search", **params),
        f"The newest articles matching {q!r}.",
    )
    articles = reader(request).search_latest(q, filters, limit=ENTRIES)  # SearchQueryError: 400
    return _serve(request, feed, articles)
