"""The API's answers and request bodies as pydantic models: the OpenAPI document's schemas.

A model's docstring and field descriptions are what the OpenAPI document (and /api/docs) shows, so
they are written for the API's users. Every answer derives from ``_Out``: each field is always
present (null when empty), and the schema says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ...model import CopyKind
from .routing import MAX_CURSOR


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


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
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
    leased_by: str | None = Field(
        description="The collector updating it now (host:pid:token), while its lease runs."
    )
    leased_until: datetime | None = Field(description="When that collector's lease runs out.")
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


class SpanOut(_Out):
    text: str
    start: int = Field(description="Where it starts in the article's `text` (a character offset).")
    end: int = Field(description="Where it ends (exclusive): `text[start:end]` is these words.")


class ArticleEntityOut(_Out):
    key: str = Field(description="What joins it across articles: its type and folded name.")
    name: str = Field(description="The fullest form of its name this article gives.")
    type: str = Field(description="person, organisation, place or group (a people, nationality or faith).")
    mentions: list[SpanOut] = Field(description="Where the article names it.")
    links: Links = Field(description="`self` finds the entity (`/entities?key=`); `html` is its page.")


class FirstReport(_Out):
    article_id: int = Field(description="The first article of the desk to report the same words.")
    source: str | None
    when: datetime | None = Field(description="When it was published (else first seen).")
    links: Links


class QuoteOut(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "speaker": "Brannock Sill",
                    "speaker_entity_id": 67,
                    "speaker_mention": "HDWU general secretary Brannock Sill",
                    "cue": "told reporters",
                    "text": "“Our members have kept this port running through two record years, and they "
                    "are being asked to accept a real-terms pay cut,”",
                    "said": "“Our members have kept this port running through two record years, and they "
                    "are being asked to accept a real-terms pay cut,”",
                    "start": 412,
                    "end": 531,
                    "direct": True,
                    "article": {
                        "id": 74,
                        "title": "Kestrel Bay dockworkers walk out in 48-hour pay strike",
                        "source": "Valley Gazette",
                        "url": "https://valleygazette.example/business/kestrel-bay-strike",
                        "published": "2026-03-02T10:40:00+00:00",
                        "links": {"self": "/api/v1/articles/74", "html": "/article/74"},
                    },
                    "first_report": False,
                    "reports": 3,
                    "first": {
                        "article_id": 66,
                        "source": "Pressline",
                        "when": "2026-03-02T08:15:00+00:00",
                        "links": {"self": "/api/v1/articles/66", "html": "/article/66"},
                    },
                    "speaker_links": {"self": "/api/v1/entities/67", "html": "/entity/67"},
                }
            ]
        }
    )
    speaker: str | None = Field(description="Who said it, as resolved (null: nobody named).")
    speaker_entity_id: int | None = Field(description="The speaker's entity, when it is one.")
    speaker_mention: str | None = Field(description='The words naming the speaker there ("he", "Sill").')
    cue: str = Field(description='The verb that attributes it ("said", "told reporters").')
    text: str = Field(description="What was said, as the article gives it (`start` to `end`).")
    said: str = Field(
        description="The words said, for a reader: `text` without the narration that interrupts a "
        "quotation (“A,” said X. “B.” gives “A,” … “B.”)."
    )
    start: int = Field(description="Where the quote starts in the article's `text`.")
    end: int = Field(description="Where it ends (exclusive).")
    direct: bool = Field(description="True: quoted words; false: reported speech.")
    article: ArticleBrief
    first_report: bool = Field(
        description="True when this article is the first of the desk to report these words; copies "
        "and other outlets repeating them are the same statement."
    )
    first: FirstReport = Field(description="The statement's first report (this article when first).")
    reports: int = Field(
        description="How many of the desk's articles carry the same words (1: only this one)."
    )
    speaker_links: Links | None = Field(
        description="The speaker's entity in the API and on the site (null when it is not one)."
    )


class QuotePage(_Out):
    items: list[QuoteOut]
    next: str | None = Field(description="The next page, or null on the last.")
    cursor: _NextCursor


class EntityOut(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 67,
                    "key": "person:brannock sill",
                    "name": "Brannock Sill",
                    "type": "person",
                    "articles": 8,
                    "mentions": 8,
                    "quotes": 8,
                    "first_seen": "2026-03-02T08:15:00+00:00",
                    "last_seen": "2026-03-10T07:00:00+00:00",
                    "links": {"self": "/api/v1/entities/67", "html": "/entity/67"},
                }
            ]
        }
    )
    id: int
    key: str = Field(description="Its type and folded name: what joins it across articles.")
    name: str
    type: str = Field(description="person, organisation, place or group (a people, nationality or faith).")
    articles: int = Field(description="How many articles name it.")
    mentions: int = Field(description="How many times they name it.")
    quotes: int = Field(description="How many quotes it is the speaker of.")
    first_seen: datetime | None = Field(description="The first article naming it (published, else seen).")
    last_seen: datetime | None = Field(description="The latest article naming it.")
    links: Links


class EntityPage(_Out):
    items: list[EntityOut]
    next: str | None = Field(description="The next page, or null on the last.")
    cursor: _NextCursor


class EntityDetail(_Out):
    entity: EntityOut
    quotes: list[QuoteOut] = Field(description="Its newest quotes (all of them: `/quotes?speaker=ID`).")
    articles: list[ArticleBrief] = Field(
        description="The newest articles naming it (all of them: `/entities/ID/articles`)."
    )
    stories: list[StoryOut] = Field(description="The stories of the articles naming it, latest first.")


class ArticleBriefPage(_Out):
    items: list[ArticleBrief]
    next: str | None = Field(description="The next page, or null on the last.")
    cursor: _NextCursor


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
    quotes: list[QuoteOut] = Field(description="Who said what in it, in text order.")
    entities: list[ArticleEntityOut] = Field(description="The people, organisations and places it names.")
    filed_by: Literal["section", "learned"] | None = Field(
        description="How it came under its `category`: its source's section, or learned by newsdesk."
    )
    category_confidence: float | None = Field(description="For a learned category: how sure (0 to 1).")
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
    score: float = Field(
        description="The chance (0 to 1) that this article tells the same story as the one asked about."
    )
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
