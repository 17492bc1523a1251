"""The JSON API under /api/v1: sources, articles, stories and copies, described by OpenAPI.

Reads are plain sync endpoints that take the thread's Desk with ``reader(request)``; writes need the
bearer token (``security.require_token``) and run on the one writer Desk through ``write``.

Conventions every route keeps:

- Lists are pages: ``limit`` (default 20, at most 100) and an opaque ``cursor``; a page carries the
  ``next`` link (also sent as a ``Link: <...>; rel="next"`` header) until the last page. Article,
  story and copy pages are keyset pages over an index (articles by (published else first seen,
  id), stories by (last seen, id), copies by copy id): a page never repeats or skips an item
  because newer ones arrived meanwhile. A story's place is when it last had a new article, so a
  story that grows while a client pages moves to the front: it is on the next first page, not on
  a later one. Search results page by offset (their order is by rank), up to
  ``MAX_SEARCH_OFFSET``.
- Errors under /api are ``errors.error_body`` JSON (installed by ``errors.install``); the few
  this module answers itself (a bad cursor, a source that cannot be added) use the same shape.
- Every GET under /api answers with a strong ``ETag`` (a hash of the body) and ``Cache-Control``,
  and ``304 Not Modified`` to a matching ``If-None-Match`` (``caching.ConditionalGetMiddleware``,
  which also answers HEAD); writes and errors are ``Cache-Control: no-store``.

``docs_page`` renders the OpenAPI document as HTML at
/api/docs, server-side, so it works without JavaScript under the site's CSP.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from markupsafe import escape
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from starlette.exceptions import HTTPException

from ..core import Desk
from ..exceptions import (
    AddressBlockedError,
    FetchError,
    FetchTimeoutError,
    InvalidURLError,
    UnsupportedInputError,
)
from ..model import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    CopyEdge,
    CopyKind,
    RelatedArticle,
    SearchFilters,
    StoredArticle,
    Story,
    StoryDecision,
)
from ..store import StoredSource
from ..urls import redact_url
from . import errors, security
from .deps import read_until_gone, reader, write

log = logging.getLogger(__name__)

T = TypeVar("T")

PREFIX = "/api/v1"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: Deepest a search result list pages (by offset: each page costs as much as all before it).
MAX_SEARCH_OFFSET = 1000
#: Largest id a path or cursor may name (SQLite's integers are 64-bit).
MAX_ID = 2**63 - 1
#: Longest cursor accepted; the cursors the API hands out are far shorter.
MAX_CURSOR = 500
#: Most copies of one original and members of one story listed in a single answer.
MAX_GROUP = 200

#: Cache-Control of reads: lists change as articles arrive; an article rarely changes.
CACHE_LIST = "public, max-age=30"
CACHE_ITEM = "public, max-age=300"
CACHE_SOURCES = "public, max-age=10"
CACHE_DOCS = "public, max-age=300"


class _Route(APIRoute):
    """A route whose dependencies include ``security.require_token`` checks the token before
    anything else, the body included: FastAPI reads and parses a body before it runs dependencies, so
    malformed JSON sent without a token was a 422 where it must be a 401 (403 with a wrong token).
    The dependency stays declared too (for the OpenAPI document, and as the check of a write route
    put on a router without this class)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not any(d.dependency is security.require_token for d in self.dependencies):
            return handler

        async def token_first(request: Request) -> Response:
            security.require_token(request)
            return await handler(request)

        return token_first


#: The versioned API; ``router`` (what the app includes) adds the docs page beside it.
v1 = APIRouter(prefix=PREFIX, route_class=_Route)
router = APIRouter()

#: Documents the bearer scheme in OpenAPI; ``security.require_token`` does the checking.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerToken",
    description="The `web_token` setting of the server, sent as `Authorization: Bearer <token>`. "
    "Without it a write is refused with 401; with a wrong token, or when the server has no "
    "`web_token`, with 403.",
)
_WRITE = [Depends(security.require_token), Security(_bearer)]


# -- models ----------------------------------------------------------------------------------------


class _Out(BaseModel):
    """An answer: every field is always present (null when empty), and the schema says so."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class ErrorDetail(_Out):
    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(description="A stable word for programs: not_found, invalid_request, ...")
    message: str = Field(description="What went wrong, for people.")


class ErrorBody(_Out):
    """Every error under /api has this shape (extra fields may appear inside ``error``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"error": {"status": 404, "code": "not_found", "message": "no article with id 9"}}]
        }
    )
    error: ErrorDetail


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "Bad request (a search query that cannot be parsed, a malformed body).",
        401: "No bearer token was sent.",
        403: "Wrong token, or writes are turned off (no web_token setting).",
        404: "No such item.",
        422: "A parameter or the body is not valid.",
        502: "Fetching the source failed (its status and reason are in the error).",
        503: "The search ran past its time budget (the search_timeout setting) and was stopped.",
        504: "Fetching the source timed out.",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}


class Links(_Out):
    self: str = Field(description="This item in the API.")
    html: str | None = Field(default=None, description="Its page on the site.")


class SourceHealth(_Out):
    status: Literal["ok", "failing", "paused", "never_fetched"] = Field(
        description="paused: not updated until resumed; failing: the last fetch failed; "
        "never_fetched: added but not updated yet."
    )
    last_status: int | None = Field(description="HTTP status of the last fetch.")
    last_fetched: datetime | None
    last_success: datetime | None
    last_error: str | None = Field(description="Why the last failed fetch failed.")
    errors_in_row: int
    paused_reason: str | None
    next_due: datetime | None = Field(description="When the next update fetches it (null: now).")
    fetches: int
    not_modified: int = Field(description="Fetches answered 304 Not Modified.")
    new_articles: int
    last_new_article: datetime | None
    new_per_day: float | None


class SourceOut(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "kind": "feed",
                    "url": "https://harbourtimes.example/feed.xml",
                    "name": "The Harbour Times",
                    "domain": "harbourtimes.example",
                    "category": None,
                    "added": "2026-03-15T12:00:01+00:00",
                    "health": {
                        "status": "ok",
                        "last_status": 200,
                        "last_fetched": "2026-03-15T12:30:00+00:00",
                        "last_success": "2026-03-15T12:30:00+00:00",
                        "last_error": None,
                        "errors_in_row": 0,
                        "paused_reason": None,
                        "next_due": "2026-03-15T13:00:00+00:00",
                        "fetches": 3,
                        "not_modified": 1,
                        "new_articles": 14,
                        "last_new_article": "2026-03-15T12:30:00+00:00",
                        "new_per_day": None,
                    },
                    "links": {"self": "/api/v1/sources/1", "html": None},
                }
            ]
        }
    )
    id: int
    kind: str = Field(description="feed, sitemap, opml, page, file or warc.")
    url: str
    name: str | None
    domain: str | None
    category: str | None
    added: datetime
    health: SourceHealth
    links: Links


#: The ``cursor`` of a page: what the ``cursor`` parameter takes back (so within its length limit).
_NextCursor = Annotated[
    str | None,
    Field(
        max_length=MAX_CURSOR,
        description=f"The cursor of the next page (opaque, at most {MAX_CURSOR} characters), or null "
        "on the last.",
    ),
]


class SourcePage(_Out):
    items: list[SourceOut]
    next: str | None = Field(description="The next page, or null on the last.")
    cursor: _NextCursor


class AddSourceIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"url": "https://harbourtimes.example/feed.xml", "name": "The Harbour Times"}]
        }
    )
    url: str = Field(
        min_length=1,
        max_length=2000,
        description="A feed (RSS, Atom, JSON Feed), a sitemap, an OPML list (every feed in it is "
        "added) or an HTML page that advertises its feeds. `https://user:password@host/feed` gives "
        "credentials: sent as HTTP Basic auth to that origin only, kept apart from the URL and never "
        "shown again (the source's `url` has no user info). A URL that is not one is a 422 with the "
        "reason.",
    )
    name: str | None = Field(
        default=None, max_length=200, description="Call the source this (default: its title)."
    )
    category: str | None = Field(
        default=None, max_length=100, description="File the source under this category."
    )


class AddedSource(_Out):
    new: bool = Field(description="False when the source was already known.")
    source: SourceOut


class AddSourceOut(_Out):
    added: list[AddedSource]


class PauseIn(BaseModel):
    reason: str = Field(default="paused through the API", min_length=1, max_length=500)


class ArticleBrief(_Out):
    id: int
    title: str
    source: str | None
    url: str
    published: datetime | None
    links: Links


class CopyOf(_Out):
    original_id: int
    kind: CopyKind
    score: float


class ArticleSummary(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 40,
                    "url": "https://harbourtimes.example/science/2026/03/12/astronomy-society",
                    "canonical_url": "https://harbourtimes.example/science/2026/03/12/astronomy-society",
                    "title": "Astronomy society plans comet nights",
                    "source": "The Harbour Times",
                    "site_name": "The Harbour Times",
                    "byline": "Beatrix Lowe",
                    "published": "2026-03-12T07:45:00+00:00",
                    "updated": None,
                    "first_seen": "2026-03-15T12:00:41+00:00",
                    "language": "en",
                    "section": "Science",
                    "category": "science",
                    "description": "Inquiries have tripled since the comet was announced.",
                    "word_count": 342,
                    "story_id": 20,
                    "copy_of": None,
                    "snippet": None,
                    "snippet_html": None,
                    "links": {"self": "/api/v1/articles/40", "html": "/article/40"},
                }
            ]
        }
    )
    id: int
    url: str = Field(description="The address it was fetched from.")
    canonical_url: str = Field(description="Its identity: the normalised canonical address.")
    title: str
    source: str | None = Field(description="The outlet, as articles name it (filter with ?source=).")
    site_name: str | None
    byline: str | None
    published: datetime | None
    updated: datetime | None
    first_seen: datetime = Field(description="When newsdesk first stored it.")
    language: str | None
    section: str | None
    category: str | None
    description: str | None
    word_count: int
    story_id: int | None = Field(description="Its story (null before it is clustered).")
    copy_of: CopyOf | None = Field(description="The original it copies; null for an original.")
    snippet: str | None = Field(default=None, description="Search only: the matching passage, plain text.")
    snippet_html: str | None = Field(
        default=None, description="Search only: the passage, HTML-escaped, matched terms in <mark>."
    )
    links: Links


class ArticlePage(_Out):
    items: list[ArticleSummary]
    next: str | None = Field(description="The next page, or null on the last.")
    cursor: _NextCursor


class SourceLinkOut(_Out):
    url: str
    label: str


class StoryRef(_Out):
    id: int
    title: str
    links: Links


class Provenance(_Out):
    role: Literal["original", "copy", "unique"] = Field(
        description="copy: it copies another article; original: others copy it; unique: neither."
    )
    original_id: int | None = Field(description="For a copy: the article it copies.")
    kind: CopyKind | None = Field(description="For a copy: how it copies.")
    score: float | None
    copies: int = Field(description="For an original: how many articles copy it.")


class ArticleLinks(Links):
    copies: str
    related: str
    story: str | None


class ArticleOut(_Out):
    id: int
    url: str
    canonical_url: str
    title: str
    text: str = Field(description="The clean text, paragraphs separated by newlines.")
    source: str | None
    site_name: str | None
    byline: str | None
    published: datetime | None
    updated: datetime | None
    fetched: datetime | None
    first_seen: datetime
    last_seen: datetime
    revisions: int
    language: str | None
    section: str | None
    category: str | None
    tags: list[str]
    description: str | None
    word_count: int
    source_links: list[SourceLinkOut] = Field(
        description='Links the article declares as its source ("Source link", "Originally published at").'
    )
    story: StoryRef | None
    provenance: Provenance
    links: ArticleLinks


class CopyEdgeOut(_Out):
    copy_: ArticleBrief = Field(alias="copy", description="The article that copies.")
    original: ArticleBrief
    kind: CopyKind
    score: float
    evidence: dict[str, Any] = Field(
        description="What a person can check: shared sentences, quotes and figures, the declared "
        "link, why this original was elected."
    )
    decided: datetime

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class ArticleCopies(_Out):
    article: ArticleBrief
    role: Literal["original", "copy", "unique"]
    original: ArticleBrief | None = Field(description="The original of its group (itself when original).")
    copy_of: CopyEdgeOut | None = Field(description="For a copy: its edge to the original, with evidence.")
    copies: list[CopyEdgeOut] = Field(description="Every copy of the original, with evidence.")
    copies_total: int


class RelatedOut(_Out):
    id: int
    title: str
    source: str | None
    published: datetime | None
    story_id: int
    score: float
    same_story: bool = Field(description="True: of the same story; false: the nearest of another story.")
    links: Links


class RelatedList(_Out):
    items: list[RelatedOut]


class StoryOut(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "title": "Reserve Council lifts rates to 4.25% in split vote",
                    "title_article": 47,
                    "first_seen": "2026-03-11T13:02:00+00:00",
                    "last_seen": "2026-03-12T07:30:00+00:00",
                    "size": 7,
                    "sources": ["Daily Orbit", "Metro Express"],
                    "category": "business",
                    "open": True,
                    "links": {"self": "/api/v1/stories/1", "html": "/story/1"},
                }
            ]
        }
    )
    id: int
    title: str
    title_article: int = Field(description="The article whose title names the story.")
    first_seen: datetime | None
    last_seen: datetime | None
    size: int = Field(description="How many articles it has.")
    sources: list[str] = Field(description="Its sources, most articles first.")
    category: str | None
    open: bool = Field(description="False once it left the clustering window (or was merged).")
    links: Links


class StoryPage(_Out):
    items: list[StoryOut]
    next: str | None
    cursor: _NextCursor


class DecisionOut(_Out):
    kind: str = Field(description="merge or split.")
    story_id: int = Field(description="The story that stays.")
    other_id: int = Field(description="The story merged into it, or split from it.")
    articles: list[int] = Field(description="The articles that moved.")
    score: float
    reason: str
    article_id: int = Field(description="The arrival that triggered it.")


class StoryDetail(_Out):
    story: StoryOut
    members: list[ArticleSummary] = Field(description="Its articles in order of publication.")
    members_total: int
    decisions: list[DecisionOut]


class CopyPage(_Out):
    items: list[CopyEdgeOut]
    next: str | None
    cursor: _NextCursor


# -- converting records ----------------------------------------------------------------------------


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def _health(s: StoredSource) -> SourceHealth:
    if s.paused_reason:
        status: Literal["ok", "failing", "paused", "never_fetched"] = "paused"
    elif s.fetches == 0:
        status = "never_fetched"
    elif s.errors_in_row:
        status = "failing"
    else:
        status = "ok"
    return SourceHealth(
        status=status,
        last_status=s.last_status,
        last_fetched=s.last_fetched,
        last_success=s.last_success,
        last_error=s.last_error,
        errors_in_row=s.errors_in_row,
        paused_reason=s.paused_reason,
        next_due=s.next_due,
        fetches=s.fetches,
        not_modified=s.not_modified,
        new_articles=s.new_articles,
        last_new_article=s.last_new_article,
        new_per_day=s.new_per_day,
    )


def _source(s: StoredSource) -> SourceOut:
    return SourceOut(
        id=s.id,
        kind=s.kind,
        url=s.url,
        name=s.name,
        domain=s.domain,
        category=s.category,
        added=s.added,
        health=_health(s),
        links=Links(self=f"{PREFIX}/sources/{s.id}"),
    )


def _article_links(article_id: int) -> Links:
    return Links(self=f"{PREFIX}/articles/{article_id}", html=f"/article/{article_id}")


def _brief(stored: StoredArticle) -> ArticleBrief:
    a = stored.article
    return ArticleBrief(
        id=stored.id,
        title=a.title,
        source=a.source or a.site_name,
        url=a.canonical_url,
        published=a.published,
        links=_article_links(stored.id),
    )


def _summary(desk: Desk, stored: StoredArticle) -> ArticleSummary:
    a = stored.article
    up = desk.original_of(stored.id)
    return ArticleSummary(
        id=stored.id,
        url=a.url,
        canonical_url=a.canonical_url,
        title=a.title,
        source=a.source,
        site_name=a.site_name,
        byline=a.byline,
        published=a.published,
        updated=a.updated,
        first_seen=stored.first_seen,
        language=a.language,
        section=a.section,
        category=a.category,
        description=a.description,
        word_count=a.word_count,
        story_id=desk.story_id_of(stored.id),
        copy_of=CopyOf(original_id=up.original_id, kind=up.kind, score=up.score) if up else None,
        links=_article_links(stored.id),
    )


def _snippet(marked: str) -> tuple[str, str]:
    """A search snippet with the store's highlight markers as plain text and as escaped HTML."""
    plain = marked.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    html = str(escape(marked)).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
    return plain, html


def _story(s: Story) -> StoryOut:
    return StoryOut(
        id=s.id,
        title=s.title,
        title_article=s.title_article,
        first_seen=s.first_seen,
        last_seen=s.last_seen,
        size=s.size,
        sources=list(s.sources),
        category=s.category,
        open=s.open,
        links=Links(self=f"{PREFIX}/stories/{s.id}", html=f"/story/{s.id}"),
    )


def _decision(d: StoryDecision) -> DecisionOut:
    return DecisionOut(
        kind=d.kind,
        story_id=d.story_id,
        other_id=d.other_id,
        articles=list(d.articles),
        score=d.score,
        reason=d.reason,
        article_id=d.article_id,
    )


class _Briefs:
    """Article briefs for copy edges, each article read once per request."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.seen: dict[int, ArticleBrief] = {}

    def __call__(self, article_id: int) -> ArticleBrief:
        if article_id not in self.seen:
            self.seen[article_id] = _brief(self.desk.get_article(article_id))
        return self.seen[article_id]

    def edge(self, e: CopyEdge) -> CopyEdgeOut:
        return CopyEdgeOut(
            copy=self(e.copy_id),
            original=self(e.original_id),
            kind=e.kind,
            score=e.score,
            evidence=e.evidence,
            decided=e.decided,
        )


def _related(r: RelatedArticle) -> RelatedOut:
    return RelatedOut(
        id=r.id,
        title=r.title,
        source=r.source,
        published=r.published,
        story_id=r.story_id,
        score=r.score,
        same_story=r.same_story,
        links=_article_links(r.id),
    )


# -- cursors ---------------------------------------------------------------------------------------


def _encode_cursor(kind: str, *key: Any) -> str:
    raw = json.dumps([kind, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, kind: str, parse: Callable[[list[Any]], T]) -> T:
    """The key of a cursor made by ``_encode_cursor(kind, ...)``; 422 for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if not isinstance(data, list) or not data or data[0] != kind:
            raise ValueError("another list's cursor")
        return parse(data[1:])
    except (ValueError, TypeError, IndexError, binascii.Error, UnicodeDecodeError) as e:
        raise HTTPException(
            422, "invalid cursor: pass back the 'cursor' (or follow the 'next' link) of the previous page"
        ) from e


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
        raise ValueError("not an id or offset")
    return value


def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not a time")
    return _utc(datetime.fromisoformat(value))


def _next_link(request: Request, response: Response, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", cursor))
    link = f"{request.url.path}?{urlencode(params)}"
    response.headers["Link"] = f'<{link}>; rel="next"'
    return link


def _cache(response: Response, policy: str) -> None:
    response.headers["Cache-Control"] = policy


# -- sources ---------------------------------------------------------------------------------------

_SourceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The source's id.")]
_ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The article's id.")]
_StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The story's id (a merged one leads on).")]
_Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")]
_Cursor = Annotated[
    str | None,
    Query(
        max_length=MAX_CURSOR,
        description=f"From the previous page's `cursor` (opaque; at most {MAX_CURSOR} characters). A "
        "longer or altered cursor, or one of another list, is a 422.",
    ),
]

#: An ISO 8601 date or date and time, as the schema says (``2026-03-01``, ``2026-03-01T08:00:00Z``,
#: ``2026-03-01T08:00+01:00``); pydantic alone also took numbers as Unix times (``until=0.0``).
_ISO_WHEN = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)


def _iso_when(value: Any) -> Any:
    if isinstance(value, str) and _ISO_WHEN.fullmatch(value.strip()):
        return value.strip()
    raise ValueError("give an ISO 8601 date or date-time: 2026-03-01, 2026-03-01T08:00:00Z")


_When = Annotated[
    datetime | None,
    BeforeValidator(_iso_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "format": "date"},
                {"type": "null"},
            ]
        }
    ),
]


@v1.get(
    "/sources",
    tags=["sources"],
    summary="List sources with their health",
    response_model=SourcePage,
    response_description="A page of sources.",
    responses=_errors(422),
)
def list_sources(
    request: Request, response: Response, limit: _Limit = DEFAULT_LIMIT, cursor: _Cursor = None
) -> SourcePage:
    """Every source newsdesk updates, in the order they were added, with its health: the status of
    its last fetch, errors in a row, why it is paused, when it is next due."""
    after = _decode_cursor(cursor, "src", lambda k: _int(k[0])) if cursor else 0
    sources = [s for s in reader(request).sources() if s.id > after][: limit + 1]
    more = len(sources) > limit
    items = [_source(s) for s in sources[:limit]]
    nxt = _encode_cursor("src", items[-1].id) if more and items else None
    _cache(response, CACHE_SOURCES)
    return SourcePage(items=items, next=_next_link(request, response, nxt), cursor=nxt)


@v1.get(
    "/sources/{source_id}",
    tags=["sources"],
    summary="One source with its health",
    response_model=SourceOut,
    response_description="The source.",
    responses=_errors(404, 422),
)
def get_source(request: Request, response: Response, source_id: _SourceId) -> SourceOut:
    """A source by id, with its health (the same fields as in the list)."""
    _cache(response, CACHE_SOURCES)
    return _source(reader(request).source(source_id))


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body = errors.error_body(status, code, redact_url(message), **extra)
    return JSONResponse(body, status_code=status)


@v1.post(
    "/sources",
    tags=["sources"],
    summary="Add a source (needs the token)",
    response_model=AddSourceOut,
    response_description="At least one source is new.",
    status_code=201,
    dependencies=_WRITE,
    responses={
        200: {"model": AddSourceOut, "description": "Every source it gives was already known."},
        **_errors(401, 403, 422, 502, 504),
    },
)
async def add_source(request: Request, response: Response, body: AddSourceIn) -> AddSourceOut | JSONResponse:
    """Fetch the URL, tell what it is and remember the sources it gives: a feed, a sitemap, every
    feed of an OPML list, or the feeds an HTML page advertises. 201 when at least one is new."""

    def add(desk: Desk) -> list[tuple[StoredSource, bool]]:
        return desk.add_source(body.url.strip(), name=body.name, category=body.category)

    try:
        found = await write(request, add)
    except InvalidURLError as e:
        return _error(422, "invalid_url", str(e))
    except UnsupportedInputError as e:
        return _error(422, "unsupported_input", str(e))
    except AddressBlockedError as e:
        return _error(422, "blocked_address", str(e), reason=e.reason)
    except FetchTimeoutError as e:
        return _error(504, "fetch_timeout", str(e), reason=e.reason)
    except FetchError as e:
        return _error(502, "fetch_failed", str(e), reason=e.reason, upstream_status=e.status)
    if not any(new for _, new in found):
        response.status_code = 200
    return AddSourceOut(added=[AddedSource(new=new, source=_source(s)) for s, new in found])


@v1.delete(
    "/sources/{source_id}",
    tags=["sources"],
    summary="Remove a source (needs the token)",
    response_model=SourceOut,
    response_description="The source as it was.",
    dependencies=_WRITE,
    responses=_errors(401, 403, 404, 422),
)
async def remove_source(request: Request, source_id: _SourceId) -> SourceOut:
    """Forget a source; its articles stay. Answers with the source as it was."""
    return _source(await write(request, lambda desk: desk.remove_source(source_id)))


@v1.post(
    "/sources/{source_id}/pause",
    tags=["sources"],
    summary="Pause a source (needs the token)",
    response_model=SourceOut,
    response_description="The source as it is now.",
    dependencies=_WRITE,
    responses=_errors(401, 403, 404, 422),
)
async def pause_source(request: Request, source_id: _SourceId, body: PauseIn | None = None) -> SourceOut:
    """Stop updating a source until it is resumed; the optional body gives the reason shown in its
    health."""
    reason = body.reason if body is not None else PauseIn().reason
    return _source(await write(request, lambda desk: desk.pause_source(source_id, reason)))


@v1.post(
    "/sources/{source_id}/resume",
    tags=["sources"],
    summary="Resume a paused source (needs the token)",
    response_model=SourceOut,
    response_description="The source as it is now.",
    dependencies=_WRITE,
    responses=_errors(401, 403, 404, 422),
)
async def resume_source(request: Request, source_id: _SourceId) -> SourceOut:
    """Update the source again: due now, its error count forgotten."""
    return _source(await write(request, lambda desk: desk.resume_source(source_id)))


# -- articles --------------------------------------------------------------------------------------


def _filters(
    source: str | None,
    category: str | None,
    language: str | None,
    since: datetime | None,
    until: datetime | None,
) -> SearchFilters | None:
    if not any((source, category, language, since, until)):
        return None
    return SearchFilters(
        source=source or None,
        category=category or None,
        language=language or None,
        since=_utc(since),
        until=_utc(until),
    )


@v1.get(
    "/articles",
    tags=["articles"],
    summary="List or search articles",
    response_model=ArticlePage,
    response_description="A page of articles (with snippets when searching).",
    responses={
        **_errors(422, 503),
        400: {
            "model": ErrorBody,
            "description": "`q` has no words to look for once parsed (`q=%2B`, that is a lone `+`; "
            "`q=*`; `q=-`), so there is nothing to search.",
        },
    },
)
async def list_articles(
    request: Request,
    response: Response,
    source: Annotated[
        str | None, Query(max_length=200, description="Source name (as articles give it) or domain.")
    ] = None,
    category: Annotated[str | None, Query(max_length=100, description="Category or section.")] = None,
    language: Annotated[str | None, Query(max_length=20, description="Language code, e.g. en.")] = None,
    since: Annotated[
        _When,
        Query(
            description="Published (else first seen) at or after: an ISO 8601 date or date-time "
            "(2026-03-01, 2026-03-01T08:00:00Z), UTC if no zone; anything else is a 422."
        ),
    ] = None,
    until: Annotated[
        _When, Query(description="Published (else first seen) before (a date or date-time, as `since`).")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description='Full-text search (FTS5 syntax: words, "phrases", OR, NOT, prefix*; Chinese, '
            "Japanese, Korean and Thai are searched as strings inside the text); results come best "
            "first with a snippet. A query that is only operators or punctuation (`+`, `*`) has no "
            "words to look for: a 400. Empty or blank, it is ignored. A search that runs past the "
            "server's time budget answers 503.",
        ),
    ] = None,
    originals_only: Annotated[bool, Query(description="Leave out articles that copy another.")] = False,
    limit: _Limit = DEFAULT_LIMIT,
    cursor: _Cursor = None,
) -> ArticlePage:
    """Articles newest first (by published time, else when first seen), or with `q` the search
    results best first. Follow `next` for the following page: pages of the plain list stay stable
    while articles arrive."""
    # Async, so that a search stops when the client disconnects (read_until_gone).
    return await read_until_gone(
        request,
        lambda desk, gone: _articles(
            request,
            response,
            desk,
            gone,
            source,
            category,
            language,
            since,
            until,
            q,
            originals_only,
            limit,
            cursor,
        ),
    )


def _articles(
    request: Request,
    response: Response,
    desk: Desk,
    gone: Callable[[], bool],
    source: str | None,
    category: str | None,
    language: str | None,
    since: datetime | None,
    until: datetime | None,
    q: str | None,
    originals_only: bool,
    limit: int,
    cursor: str | None,
) -> ArticlePage:
    filters = _filters(source, category, language, since, until)
    items: list[ArticleSummary] = []
    nxt: str | None = None
    if q is not None and q.strip():

        def offset_of(k: list[Any]) -> int:
            if _int(k[0]) > MAX_SEARCH_OFFSET:
                raise ValueError("too deep")
            return _int(k[0])

        offset = _decode_cursor(cursor, "q", offset_of) if cursor else 0
        hits = desk.search(
            q, filters, limit=limit + 1, offset=offset, originals=originals_only, cancelled=gone
        )
        for hit in hits[:limit]:
            item = _summary(desk, desk.get_article(hit.id))
            item.snippet, item.snippet_html = _snippet(hit.snippet)
            items.append(item)
        if len(hits) > limit and offset + limit < MAX_SEARCH_OFFSET:
            nxt = _encode_cursor("q", offset + limit)
    else:

        def key(k: list[Any]) -> tuple[datetime, int]:
            when = _time(k[0])
            if when is None:
                raise ValueError("no time")
            return when, _int(k[1])

        before = _decode_cursor(cursor, "a", key) if cursor else None
        page = desk.article_page(filters, before=before, limit=limit + 1, originals=originals_only)
        items = [_summary(desk, s) for s in page[:limit]]
        if len(page) > limit:
            last = page[limit - 1]
            when = _utc(last.article.published) or last.first_seen
            nxt = _encode_cursor("a", when.isoformat(), last.id)
    _cache(response, CACHE_LIST)
    return ArticlePage(items=items, next=_next_link(request, response, nxt), cursor=nxt)


def _provenance(desk: Desk, article_id: int) -> Provenance:
    up = desk.original_of(article_id)
    if up is not None:
        return Provenance(role="copy", original_id=up.original_id, kind=up.kind, score=up.score, copies=0)
    _, _, edges = desk.copies(article_id)
    return Provenance(
        role="original" if edges else "unique", original_id=None, kind=None, score=None, copies=len(edges)
    )


@v1.get(
    "/articles/{article_id}",
    tags=["articles"],
    summary="One article, whole",
    response_model=ArticleOut,
    response_description="The article.",
    responses=_errors(404, 422),
)
def get_article(request: Request, response: Response, article_id: _ArticleId) -> ArticleOut:
    """Every stored field of an article: the clean text, its canonical URL, the links it declares
    as its source, its story, and whether it is an original or a copy."""
    desk = reader(request)
    stored = desk.get_article(article_id)
    a = stored.article
    story_id = desk.story_id_of(stored.id)
    story = desk.story(story_id)[0] if story_id is not None else None
    _cache(response, CACHE_ITEM)
    return ArticleOut(
        id=stored.id,
        url=a.url,
        canonical_url=a.canonical_url,
        title=a.title,
        text=a.text,
        source=a.source,
        site_name=a.site_name,
        byline=a.byline,
        published=a.published,
        updated=a.updated,
        fetched=a.fetched,
        first_seen=stored.first_seen,
        last_seen=stored.last_seen,
        revisions=stored.revisions,
        language=a.language,
        section=a.section,
        category=a.category,
        tags=list(a.tags),
        description=a.description,
        word_count=a.word_count,
        source_links=[SourceLinkOut(url=s.url, label=s.label) for s in a.source_links],
        story=StoryRef(
            id=story.id,
            title=story.title,
            links=Links(self=f"{PREFIX}/stories/{story.id}", html=f"/story/{story.id}"),
        )
        if story
        else None,
        provenance=_provenance(desk, stored.id),
        links=ArticleLinks(
            self=f"{PREFIX}/articles/{stored.id}",
            html=f"/article/{stored.id}",
            copies=f"{PREFIX}/articles/{stored.id}/copies",
            related=f"{PREFIX}/articles/{stored.id}/related",
            story=f"{PREFIX}/stories/{story.id}" if story else None,
        ),
    )


@v1.get(
    "/articles/{article_id}/copies",
    tags=["articles", "copies"],
    summary="An article's original and copies, with evidence",
    response_model=ArticleCopies,
    response_description="Its copy group.",
    responses=_errors(404, 422),
)
def article_copies(request: Request, response: Response, article_id: _ArticleId) -> ArticleCopies:
    """Who copied whom around this article: the original of its group, its own edge to that
    original (when it is a copy), and every copy of the original, each with the evidence."""
    desk = reader(request)
    stored, up, edges = desk.copies(article_id)
    briefs = _Briefs(desk)
    briefs.seen[stored.id] = _brief(stored)
    role: Literal["original", "copy", "unique"] = "copy" if up else "original" if edges else "unique"
    root = up.original_id if up else stored.id
    _cache(response, CACHE_LIST)
    return ArticleCopies(
        article=briefs(stored.id),
        role=role,
        original=briefs(root) if role != "unique" else None,
        copy_of=briefs.edge(up) if up else None,
        copies=[briefs.edge(e) for e in edges[:MAX_GROUP]],
        copies_total=len(edges),
    )


@v1.get(
    "/articles/{article_id}/related",
    tags=["articles"],
    summary="Articles related to one",
    response_model=RelatedList,
    response_description="Related articles, most related first.",
    responses=_errors(404, 422),
)
def article_related(
    request: Request,
    response: Response,
    article_id: _ArticleId,
    limit: Annotated[int, Query(ge=0, le=50, description="Most articles of the same story.")] = 10,
    others: Annotated[int, Query(ge=0, le=20, description="Most nearest articles of other stories.")] = 5,
) -> RelatedList:
    """The other articles of its story (central ones first, sources varied), then the nearest
    articles of other stories. Empty before the article is clustered."""
    found = reader(request).related(article_id, limit=limit, others=others)
    _cache(response, CACHE_LIST)
    return RelatedList(items=[_related(r) for r in found])


# -- stories ---------------------------------------------------------------------------------------


@v1.get(
    "/stories",
    tags=["stories"],
    summary="List stories, newest first",
    response_model=StoryPage,
    response_description="A page of stories.",
    responses=_errors(422),
)
def list_stories(
    request: Request,
    response: Response,
    since: Annotated[
        _When,
        Query(description="Last seen at or after: an ISO 8601 date or date-time, UTC if no zone."),
    ] = None,
    category: Annotated[str | None, Query(max_length=100, description="The majority category.")] = None,
    limit: _Limit = DEFAULT_LIMIT,
    cursor: _Cursor = None,
) -> StoryPage:
    """Stories by when they last had a new article, newest first (merged ones are left out).

    A story that gains an article while you page moves to the front: poll the first page (with
    `since`) to see what changed, rather than expecting it on a later page."""
    before = _decode_cursor(cursor, "st", lambda k: (_time(k[0]), _int(k[1]))) if cursor else None
    page = reader(request).story_page(
        since=_utc(since), category=category or None, before=before, limit=limit + 1
    )
    items = [_story(s) for s in page[:limit]]
    nxt = None
    if len(page) > limit:
        last = page[limit - 1]
        nxt = _encode_cursor("st", last.last_seen.isoformat() if last.last_seen else None, last.id)
    _cache(response, CACHE_LIST)
    return StoryPage(items=items, next=_next_link(request, response, nxt), cursor=nxt)


@v1.get(
    "/stories/{story_id}",
    tags=["stories"],
    summary="One story, its articles and decisions",
    response_model=StoryDetail,
    response_description="The story.",
    responses=_errors(404, 422),
)
def get_story(request: Request, response: Response, story_id: _StoryId) -> StoryDetail:
    """A story, its articles in order of publication (each says whether it copies another), and the
    merges and splits that shaped it. A merged story's id leads to the story it joined."""
    desk = reader(request)
    story, members, decisions = desk.story(story_id)
    _cache(response, CACHE_LIST)
    return StoryDetail(
        story=_story(story),
        members=[_summary(desk, m) for m in members[:MAX_GROUP]],
        members_total=len(members),
        decisions=[_decision(d) for d in decisions],
    )


# -- copies ----------------------------------------------------------------------------------------


@v1.get(
    "/copies",
    tags=["copies"],
    summary="List copy edges",
    response_model=CopyPage,
    response_description="A page of copy edges.",
    responses=_errors(422),
)
def list_copies(
    request: Request,
    response: Response,
    kind: Annotated[CopyKind | None, Query(description="Only copies of this kind.")] = None,
    source: Annotated[
        str | None,
        Query(max_length=200, description="Edges where the copy or the original is from this source."),
    ] = None,
    limit: _Limit = DEFAULT_LIMIT,
    cursor: _Cursor = None,
) -> CopyPage:
    """Every "copy -> original" edge newsdesk found, in order of the copy's id, with its kind,
    score and evidence."""
    after = _decode_cursor(cursor, "cp", lambda k: _int(k[0])) if cursor else None
    desk = reader(request)
    page = desk.copy_page(
        kind=kind.value if kind else None, source=source or None, after=after, limit=limit + 1
    )
    briefs = _Briefs(desk)
    items = [briefs.edge(e) for e in page[:limit]]
    nxt = _encode_cursor("cp", page[limit - 1].copy_id) if len(page) > limit else None
    _cache(response, CACHE_LIST)
    return CopyPage(items=items, next=_next_link(request, response, nxt), cursor=nxt)


# -- the docs page ---------------------------------------------------------------------------------

#: Order of the sections of the docs page (tags of the routes).
_TAG_ORDER = ("sources", "articles", "stories", "copies")
_TAG_TEXT = {
    "sources": "The feeds, sitemaps and lists newsdesk updates, with their health. Adding, removing, "
    "pausing and resuming need the token.",
    "articles": "Clean articles: list with filters, search, read whole, and see who copied whom.",
    "stories": "Articles about the same event, grouped as they arrive.",
    "copies": "Copy edges: which article copies which original, how, and the evidence.",
}


def _prose(text: str | None) -> list[list[tuple[str, bool]]]:
    """Docstring text as paragraphs (split on blank lines, lines joined), each a list of
    (text, is_code) runs: `backticks` mark code."""
    out = []
    for block in re.split(r"\n\s*\n", text or ""):
        folded = " ".join(block.split())
        if folded:
            out.append([(run, i % 2 == 1) for i, run in enumerate(folded.split("`")) if run])
    return out


def _schema_type(schema: dict[str, Any]) -> tuple[str, str | None]:
    """A schema as a short phrase ("array of ArticleSummary", "integer, 1 to 100") and the name of
    the component it refers to, for a link."""
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return name, name
    if "anyOf" in schema or "oneOf" in schema:
        options = [o for o in schema.get("anyOf", schema.get("oneOf", [])) if o.get("type") != "null"]
        nullable = len(options) < len(schema.get("anyOf", schema.get("oneOf", [])))
        parts = [_schema_type(o) for o in options]
        text = " or ".join(p[0] for p in parts) + (" or null" if nullable else "")
        return text, next((p[1] for p in parts if p[1]), None)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _schema_type(schema["allOf"][0])
    kind = schema.get("type")
    if kind == "array":
        inner, ref = _schema_type(schema.get("items", {}))
        return f"array of {inner}", ref
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"]), None
    if "const" in schema:
        return f"always {schema['const']}", None
    if kind == "object" or (kind is None and "additionalProperties" in schema):
        return "object", None
    text = str(kind or "any")
    if "format" in schema:
        text += f" ({schema['format']})"
    return text, None


def _limits(schema: dict[str, Any]) -> str:
    found = []
    for key, word in (("minimum", "at least"), ("maximum", "at most"), ("exclusiveMinimum", "above")):
        if key in schema:
            found.append(f"{word} {schema[key]}")
    if "minLength" in schema and schema["minLength"] > 1:
        found.append(f"at least {schema['minLength']} characters")
    if "maxLength" in schema:
        found.append(f"at most {schema['maxLength']} characters")
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            found.extend(x for x in [_limits(option)] if x)
    return ", ".join(found)


def _media_schema(content: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of the first media type of a request or response body."""
    for media in content.values():
        schema: dict[str, Any] | None = media.get("schema")
        return schema
    return None


def _operation(path: str, method: str, op: dict[str, Any]) -> dict[str, Any]:
    params = []
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        text, ref = _schema_type(schema)
        params.append(
            {
                "name": p["name"],
                "where": p["in"],
                "required": p.get("required", False),
                "type": text,
                "ref": ref,
                "limits": _limits(schema),
                "default": json.dumps(schema["default"]) if "default" in schema else None,
                "description": _prose(p.get("description") or schema.get("description", "")),
            }
        )
    body = None
    if "requestBody" in op:
        content = op["requestBody"].get("content", {})
        text, ref = _schema_type(_media_schema(content) or {})
        body = {
            "type": text,
            "ref": ref,
            "media": next(iter(content), "application/json"),
            "required": op["requestBody"].get("required", False),
        }
    responses = []
    for status, r in op.get("responses", {}).items():
        content = r.get("content", {})
        schema = _media_schema(content)
        text, ref = _schema_type(schema) if schema else ("", None)
        responses.append(
            {"status": status, "description": _prose(r.get("description")), "type": text, "ref": ref}
        )
    return {
        "method": method.upper(),
        "path": path,
        "id": (method + path).replace("/", "-").replace("{", "").replace("}", "").strip("-"),
        "summary": op.get("summary", ""),
        "description": _prose(op.get("description", "")),
        "token": bool(op.get("security")),
        "parameters": params,
        "body": body,
        "responses": responses,
    }


def docs_context(spec: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as plain data for ``templates/api/docs.html``: sections by tag, each
    operation with its parameters, body, responses and auth rule, then every schema."""
    by_tag: dict[str, list[dict[str, Any]]] = {}
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append(_operation(path, method, op))
    order = [t for t in _TAG_ORDER if t in by_tag] + sorted(t for t in by_tag if t not in _TAG_ORDER)
    sections = [{"tag": t, "text": _prose(_TAG_TEXT.get(t)), "operations": by_tag[t]} for t in order]
    schemas = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = []
        for field_name, prop in schema.get("properties", {}).items():
            text, ref = _schema_type(prop)
            fields.append(
                {
                    "name": field_name,
                    "type": text,
                    "ref": ref,
                    "required": field_name in required,
                    "description": _prose(prop.get("description", "")),
                }
            )
        enum = [str(v) for v in schema.get("enum", [])]
        schemas.append(
            {"name": name, "description": _prose(schema.get("description")), "fields": fields, "enum": enum}
        )
    info = spec.get("info", {})
    return {
        "title": info.get("title", "newsdesk"),
        "version": info.get("version", ""),
        "description": _prose(info.get("description")),
        "sections": sections,
        "schemas": schemas,
        "openapi_url": f"{PREFIX}/openapi.json",
        "prefix": PREFIX,
        "default_limit": DEFAULT_LIMIT,
        "max_limit": MAX_LIMIT,
        "max_search_offset": MAX_SEARCH_OFFSET,
    }


@router.get("/api/docs", include_in_schema=False)
def docs_page(request: Request) -> Response:
    """The API reference as HTML, rendered here from the OpenAPI document (no JavaScript)."""
    from .templating import render

    context = getattr(request.app.state, "api_docs_context", None)
    if context is None:
        context = request.app.state.api_docs_context = docs_context(request.app.openapi())
    response = render(request, "api/docs.html", context)
    response.headers["Cache-Control"] = CACHE_DOCS
    return response


router.include_router(v1)
