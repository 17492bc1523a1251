"""Quotes: who said what, searchable by speaker and by the words."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from ..deps import reader
from . import convert, cursors
from .routing import CACHE_LIST, DEFAULT_LIMIT, MAX_LIST_OFFSET, Cursor, Limit, cache, resource_router
from .schemas import QuotePage, error_responses

router = resource_router()


@router.get(
    "/quotes",
    tags=["quotes"],
    summary="List or search quotes, newest first",
    response_model=QuotePage,
    response_description="A page of quotes.",
    responses=error_responses(400, 404, 422),
)
def list_quotes(
    request: Request,
    response: Response,
    speaker: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Only what this entity said: its id, or a name (the exact name first, then the "
            "most named entity whose name holds it). A speaker the desk does not know is a 404.",
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=500, description="Only quotes whose words match (full-text, as article search)."),
    ] = None,
    statements: Annotated[
        bool,
        Query(
            description="One item per statement: words repeated by copies and other outlets come "
            "once, as their earliest matching report (the first report when it matches), with "
            "`reports` counting the articles that carry them.",
        ),
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> QuotePage:
    """Who said what: quotes newest article first (in text order within one), each with its
    article, its speaker's entity and the first report of the same words: a quote repeated by
    copies and other outlets is one statement, `first` says which outlet reported it first and
    `reports` how many articles carry it; `statements=true` lists each statement once. Pages by
    offset, to a depth of 10,000 quotes."""
    offset = cursors.offset(cursor, "qu", MAX_LIST_OFFSET)
    hits = reader(request).quotes(
        speaker=(speaker or "").strip() or None,
        query=(q or "").strip() or None,
        statements=statements,
        limit=limit + 1,
        offset=offset,
    )
    nxt = cursors.next_offset("qu", offset, limit, len(hits), MAX_LIST_OFFSET)
    cache(response, CACHE_LIST)
    return QuotePage(
        items=[convert.quote(h) for h in hits[:limit]],
        next=cursors.next_link(request, response, nxt),
        cursor=nxt,
    )
