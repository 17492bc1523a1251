"""Stories: list them newest first; one with its articles and the decisions that shaped it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from ..deps import reader
from . import convert, cursors
from .routing import (
    CACHE_LIST,
    DEFAULT_LIMIT,
    MAX_GROUP,
    Cursor,
    Limit,
    StoryId,
    When,
    cache,
    resource_router,
)
from .schemas import StoryDetail, StoryPage, error_responses

router = resource_router()


@router.get(
    "/stories",
    tags=["stories"],
    summary="List stories, newest first",
    response_model=StoryPage,
    response_description="A page of stories.",
    responses=error_responses(422),
)
def list_stories(
    request: Request,
    response: Response,
    since: Annotated[
        When,
        Query(description="Last seen at or after: an ISO 8601 date or date-time, UTC if no zone."),
    ] = None,
    category: Annotated[str | None, Query(max_length=100, description="The majority category.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> StoryPage:
    """Stories by when they last had a new article, newest first (merged ones are left out).

    A story that gains an article while you page moves to the front: poll the first page (with
    `since`) to see what changed, rather than expecting it on a later page."""
    before = (
        cursors.decode(cursor, "st", lambda k: (cursors.moment(k[0]), cursors.integer(k[1])))
        if cursor
        else None
    )
    page = reader(request).story_page(
        since=convert.utc(since), category=category or None, before=before, limit=limit + 1
    )
    items = [convert.story(s) for s in page[:limit]]
    nxt = None
    if len(page) > limit:
        last = page[limit - 1]
        nxt = cursors.encode("st", last.last_seen.isoformat() if last.last_seen else None, last.id)
    cache(response, CACHE_LIST)
    return StoryPage(items=items, next=cursors.next_link(request, response, nxt), cursor=nxt)


@router.get(
    "/stories/{story_id}",
    tags=["stories"],
    summary="One story, its articles and decisions",
    response_model=StoryDetail,
    response_description="The story.",
    responses=error_responses(404, 422),
)
def get_story(request: Request, response: Response, story_id: StoryId) -> StoryDetail:
    """A story, its articles in order of publication (each says whether it copies another), and the
    merges and splits that shaped it. A merged story's id leads to the story it joined."""
    desk = reader(request)
    found = desk.story(story_id)
    cache(response, CACHE_LIST)
    return StoryDetail(
        story=convert.story(found.story),
        members=convert.summaries(desk, found.articles[:MAX_GROUP]),
        members_total=len(found.articles),
        decisions=[convert.decision(d) for d in found.decisions],
    )
