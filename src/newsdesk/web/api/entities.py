"""Entities: the people, organisations and places the articles name; one with its quotes,
articles and stories; the articles naming one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request, Response

from ...exceptions import EntityNotFoundError
from ..deps import reader
from . import convert, cursors
from .routing import (
    CACHE_LIST,
    DEFAULT_LIMIT,
    MAX_LIST_OFFSET,
    Cursor,
    EntityId,
    Limit,
    When,
    cache,
    resource_router,
)
from .schemas import ArticleBriefPage, EntityDetail, EntityPage, error_responses

router = resource_router()

#: What an entity's answer carries: its newest quotes and articles, its latest stories.
DETAIL_QUOTES = 20
DETAIL_ARTICLES = 20
DETAIL_STORIES = 10


@router.get(
    "/entities",
    tags=["entities"],
    summary="List entities, the most named first",
    response_model=EntityPage,
    response_description="A page of entities.",
    responses=error_responses(422),
)
def list_entities(
    request: Request,
    response: Response,
    type: Annotated[
        Literal["person", "organisation", "place", "group"] | None, Query(description="Only this type.")
    ] = None,
    since: Annotated[
        When, Query(description="Named by an article seen at or after: an ISO 8601 date or date-time.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Only entities whose name holds this (case folded).")
    ] = None,
    key: Annotated[
        str | None,
        Query(
            max_length=300,
            description="The entity an article names with this key (`person:brannock sill`, the `key` of "
            "an article's `entities`): a page of that one entity, or of none.",
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> EntityPage:
    """People, organisations and places named in at least one article, the most named first (then
    by name). Pages by offset, to a depth of 10,000 entities."""
    desk = reader(request)
    cache(response, CACHE_LIST)
    if key is not None and key.strip():
        try:
            found = [desk.entity_by_key(key.strip())]
        except EntityNotFoundError:
            found = []
        return EntityPage(items=[convert.entity(e) for e in found], next=None, cursor=None)
    offset = cursors.offset(cursor, "en", MAX_LIST_OFFSET)
    page = desk.entities(
        type=type, since=convert.utc(since), query=(q or "").strip() or None, limit=limit + 1, offset=offset
    )
    nxt = cursors.next_offset("en", offset, limit, len(page), MAX_LIST_OFFSET)
    return EntityPage(
        items=[convert.entity(e) for e in page[:limit]],
        next=cursors.next_link(request, response, nxt),
        cursor=nxt,
    )


@router.get(
    "/entities/{entity_id}",
    tags=["entities"],
    summary="One entity, its quotes, articles and stories",
    response_model=EntityDetail,
    response_description="The entity.",
    responses=error_responses(404, 422),
)
def get_entity(request: Request, response: Response, entity_id: EntityId) -> EntityDetail:
    """What the desk knows of an entity: its counts, its newest quotes (all of them page through
    `/quotes?speaker=ID`), the newest articles naming it (all of them: `/entities/ID/articles`) and
    their stories."""
    desk = reader(request)
    found = desk.entity(entity_id)
    cache(response, CACHE_LIST)
    return EntityDetail(
        entity=convert.entity(found),
        quotes=[convert.quote(h) for h in desk.quotes(speaker=found.id, limit=DETAIL_QUOTES)],
        articles=[convert.brief(a) for a in desk.entity_articles(found.id, limit=DETAIL_ARTICLES)],
        stories=[convert.story(s) for s in desk.entity_stories(found.id, limit=DETAIL_STORIES)],
    )


@router.get(
    "/entities/{entity_id}/articles",
    tags=["entities"],
    summary="The articles naming an entity, newest first",
    response_model=ArticleBriefPage,
    response_description="A page of articles.",
    responses=error_responses(404, 422),
)
def entity_articles(
    request: Request,
    response: Response,
    entity_id: EntityId,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> ArticleBriefPage:
    """The articles naming an entity, newest first (published, else first seen). Pages by offset,
    to a depth of 10,000 articles."""
    desk = reader(request)
    found = desk.entity(entity_id)
    offset = cursors.offset(cursor, "ea", MAX_LIST_OFFSET)
    page = desk.entity_articles(found.id, limit=limit + 1, offset=offset)
    nxt = cursors.next_offset("ea", offset, limit, len(page), MAX_LIST_OFFSET)
    cache(response, CACHE_LIST)
    return ArticleBriefPage(
        items=[convert.brief(a) for a in page[:limit]],
        next=cursors.next_link(request, response, nxt),
        cursor=nxt,
    )
