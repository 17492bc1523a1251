"""Articles: list and search them, read one whole, its copies and its related articles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response

from ...core import Desk
from ...model import SearchFilters
from ...query import search_filters
from ..deps import read_until_gone, reader
from . import convert, cursors
from .routing import (
    CACHE_ITEM,
    CACHE_LIST,
    DEFAULT_LIMIT,
    MAX_GROUP,
    MAX_SEARCH_OFFSET,
    PREFIX,
    ArticleId,
    Cursor,
    Limit,
    When,
    cache,
    resource_router,
)
from .schemas import (
    ArticleCopies,
    ArticleLinks,
    ArticleOut,
    ArticlePage,
    ArticleSummary,
    ErrorBody,
    Links,
    Provenance,
    RelatedList,
    SourceLinkOut,
    StoryRef,
    error_responses,
)

router = resource_router()


def _filters(
    source: str | None,
    category: str | None,
    language: str | None,
    since: datetime | None,
    until: datetime | None,
) -> SearchFilters | None:
    return search_filters(source=source, category=category, language=language, since=since, until=until)


@router.get(
    "/articles",
    tags=["articles"],
    summary="List or search articles",
    response_model=ArticlePage,
    response_description="A page of articles (with snippets when searching).",
    responses={
        **error_responses(422, 503),
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
        When,
        Query(
            description="Published (else first seen) at or after: an ISO 8601 date or date-time "
            "(2026-03-01, 2026-03-01T08:00:00Z), UTC if no zone; anything else is a 422."
        ),
    ] = None,
    until: Annotated[
        When, Query(description="Published (else first seen) before (a date or date-time, as `since`).")
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
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
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
            if cursors.integer(k[0]) > MAX_SEARCH_OFFSET:
                raise ValueError("too deep")
            return cursors.integer(k[0])

        offset = cursors.decode(cursor, "q", offset_of) if cursor else 0
        hits = desk.search(
            q, filters, limit=limit + 1, offset=offset, originals=originals_only, cancelled=gone
        )
        items = convert.summaries(desk, [desk.get_article(hit.id) for hit in hits[:limit]])
        for item, hit in zip(items, hits, strict=False):
            item.snippet, item.snippet_html = convert.snippet(hit.snippet)
        if len(hits) > limit and offset + limit < MAX_SEARCH_OFFSET:
            nxt = cursors.encode("q", offset + limit)
    else:

        def key(k: list[Any]) -> tuple[datetime, int]:
            when = cursors.moment(k[0])
            if when is None:
                raise ValueError("no time")
            return when, cursors.integer(k[1])

        before = cursors.decode(cursor, "a", key) if cursor else None
        page = desk.article_page(filters, before=before, limit=limit + 1, originals=originals_only)
        items = convert.summaries(desk, page[:limit])
        if len(page) > limit:
            last = page[limit - 1]
            when = convert.utc(last.article.published) or last.first_seen
            nxt = cursors.encode("a", when.isoformat(), last.id)
    cache(response, CACHE_LIST)
    return ArticlePage(items=items, next=cursors.next_link(request, response, nxt), cursor=nxt)


def _provenance(desk: Desk, article_id: int) -> Provenance:
    up = desk.original_of(article_id)
    if up is not None:
        return Provenance(role="copy", original_id=up.original_id, kind=up.kind, score=up.score, copies=0)
    edges = desk.copies(article_id).copies
    return Provenance(
        role="original" if edges else "unique", original_id=None, kind=None, score=None, copies=len(edges)
    )


def _basis(basis: str | None) -> Literal["section", "learned"] | None:
    return "section" if basis == "section" else "learned" if basis == "learned" else None


@router.get(
    "/articles/{article_id}",
    tags=["articles"],
    summary="One article, whole",
    response_model=ArticleOut,
    response_description="The article.",
    responses=error_responses(404, 422),
)
def get_article(request: Request, response: Response, article_id: ArticleId) -> ArticleOut:
    """Every stored field of an article: the clean text, its canonical URL, the links it declares
    as its source, its story, whether it is an original or a copy, who said what in it and whom it
    names (offsets into `text`), and how it was filed under its category."""
    desk = reader(request)
    stored = desk.get_article(article_id)
    a = stored.article
    story_id = desk.story_id_of(stored.id)
    story = desk.story(story_id).story if story_id is not None else None
    understood = desk.understanding(stored.id)
    cache(response, CACHE_ITEM)
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
        quotes=[convert.quote(h) for h in desk.article_quotes(stored.id)],
        entities=[convert.named_entity(e) for e in understood.entities] if understood else [],
        filed_by=_basis(understood.category_basis) if understood else None,
        category_confidence=understood.category_confidence if understood else None,
        links=ArticleLinks(
            self=f"{PREFIX}/articles/{stored.id}",
            html=f"/article/{stored.id}",
            copies=f"{PREFIX}/articles/{stored.id}/copies",
            related=f"{PREFIX}/articles/{stored.id}/related",
            story=f"{PREFIX}/stories/{story.id}" if story else None,
        ),
    )


@router.get(
    "/articles/{article_id}/copies",
    tags=["articles", "copies"],
    summary="An article's original and copies, with evidence",
    response_model=ArticleCopies,
    response_description="Its copy group.",
    responses=error_responses(404, 422),
)
def article_copies(request: Request, response: Response, article_id: ArticleId) -> ArticleCopies:
    """Who copied whom around this article: the original of its group, its own edge to that
    original (when it is a copy), and every copy of the original, each with the evidence."""
    desk = reader(request)
    group = desk.copies(article_id)
    stored, up, edges = group.article, group.original, group.copies
    briefs = convert.Briefs(desk)
    briefs.seen[stored.id] = convert.brief(stored)
    role: Literal["original", "copy", "unique"] = "copy" if up else "original" if edges else "unique"
    root = group.root_id
    cache(response, CACHE_LIST)
    return ArticleCopies(
        article=briefs(stored.id),
        role=role,
        original=briefs(root) if role != "unique" else None,
        copy_of=briefs.edge(up) if up else None,
        copies=[briefs.edge(e) for e in edges[:MAX_GROUP]],
        copies_total=len(edges),
    )


@router.get(
    "/articles/{article_id}/related",
    tags=["articles"],
    summary="Articles related to one",
    response_model=RelatedList,
    response_description="Related articles, most related first.",
    responses=error_responses(404, 422),
)
def article_related(
    request: Request,
    response: Response,
    article_id: ArticleId,
    limit: Annotated[int, Query(ge=0, le=50, description="Most articles of the same story.")] = 10,
    others: Annotated[int, Query(ge=0, le=20, description="Most nearest articles of other stories.")] = 5,
) -> RelatedList:
    """The other articles of its story (central ones first, sources varied), then the nearest
    articles of other stories. Empty before the article is clustered."""
    found = reader(request).related(article_id, limit=limit, others=others)
    cache(response, CACHE_LIST)
    return RelatedList(items=[convert.related(r) for r in found])
