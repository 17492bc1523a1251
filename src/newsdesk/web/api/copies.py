"""Copy edges: which article copies which original, how, and the evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from ...model import CopyKind
from ..deps import reader
from . import convert, cursors
from .routing import CACHE_LIST, DEFAULT_LIMIT, Cursor, Limit, cache, resource_router
from .schemas import CopyPage, error_responses

router = resource_router()


@router.get(
    "/copies",
    tags=["copies"],
    summary="List copy edges",
    response_model=CopyPage,
    response_description="A page of copy edges.",
    responses=error_responses(422),
)
def list_copies(
    request: Request,
    response: Response,
    kind: Annotated[CopyKind | None, Query(description="Only copies of this kind.")] = None,
    source: Annotated[
        str | None,
        Query(max_length=200, description="Edges where the copy or the original is from this source."),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> CopyPage:
    """Every "copy -> original" edge newsdesk found, in order of the copy's id, with its kind,
    score and evidence."""
    after = cursors.decode(cursor, "cp", lambda k: cursors.integer(k[0])) if cursor else None
    desk = reader(request)
    page = desk.copy_page(
        kind=kind.value if kind else None, source=source or None, after=after, limit=limit + 1
    )
    briefs = convert.Briefs(desk)
    items = [briefs.edge(e) for e in page[:limit]]
    nxt = cursors.encode("cp", page[limit - 1].copy_id) if len(page) > limit else None
    cache(response, CACHE_LIST)
    return CopyPage(items=items, next=cursors.next_link(request, response, nxt), cursor=nxt)
