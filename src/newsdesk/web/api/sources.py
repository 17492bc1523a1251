"""Sources: list them with their health; add, remove, pause and resume them (with the token)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from ...core import Desk
from ...exceptions import (
    AddressBlockedError,
    FetchError,
    FetchTimeoutError,
    InvalidURLError,
    UnsupportedInputError,
)
from ...store import StoredSource
from ...urls import redact_url
from .. import errors
from ..deps import reader, write
from . import convert, cursors
from .routing import CACHE_SOURCES, DEFAULT_LIMIT, WRITE, Cursor, Limit, SourceId, cache, resource_router
from .schemas import AddedSource, AddSourceIn, AddSourceOut, PauseIn, SourceOut, SourcePage, error_responses

router = resource_router()


@router.get(
    "/sources",
    tags=["sources"],
    summary="List sources with their health",
    response_model=SourcePage,
    response_description="A page of sources.",
    responses=error_responses(422),
)
def list_sources(
    request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> SourcePage:
    """Every source newsdesk updates, in the order they were added, with its health: the status of
    its last fetch, errors in a row, why it is paused, when it is next due."""
    after = cursors.decode(cursor, "src", lambda k: cursors.integer(k[0])) if cursor else 0
    sources = [s for s in reader(request).sources() if s.id > after][: limit + 1]
    more = len(sources) > limit
    items = [convert.source(s) for s in sources[:limit]]
    nxt = cursors.encode("src", items[-1].id) if more and items else None
    cache(response, CACHE_SOURCES)
    return SourcePage(items=items, next=cursors.next_link(request, response, nxt), cursor=nxt)


@router.get(
    "/sources/{source_id}",
    tags=["sources"],
    summary="One source with its health",
    response_model=SourceOut,
    response_description="The source.",
    responses=error_responses(404, 422),
)
def get_source(request: Request, response: Response, source_id: SourceId) -> SourceOut:
    """A source by id, with its health (the same fields as in the list)."""
    cache(response, CACHE_SOURCES)
    return convert.source(reader(request).source(source_id))


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body = errors.error_body(status, code, redact_url(message), **extra)
    return JSONResponse(body, status_code=status)


@router.post(
    "/sources",
    tags=["sources"],
    summary="Add a source (needs the token)",
    response_model=AddSourceOut,
    response_description="At least one source is new.",
    status_code=201,
    dependencies=WRITE,
    responses={
        200: {"model": AddSourceOut, "description": "Every source it gives was already known."},
        **error_responses(401, 403, 422, 502, 504),
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
    return AddSourceOut(added=[AddedSource(new=new, source=convert.source(s)) for s, new in found])


@router.delete(
    "/sources/{source_id}",
    tags=["sources"],
    summary="Remove a source (needs the token)",
    response_model=SourceOut,
    response_description="The source as it was.",
    dependencies=WRITE,
    responses=error_responses(401, 403, 404, 422),
)
async def remove_source(request: Request, source_id: SourceId) -> SourceOut:
    """Forget a source; its articles stay. Answers with the source as it was."""
    return convert.source(await write(request, lambda desk: desk.remove_source(source_id)))


@router.post(
    "/sources/{source_id}/pause",
    tags=["sources"],
    summary="Pause a source (needs the token)",
    response_model=SourceOut,
    response_description="The source as it is now.",
    dependencies=WRITE,
    responses=error_responses(401, 403, 404, 422),
)
async def pause_source(request: Request, source_id: SourceId, body: PauseIn | None = None) -> SourceOut:
    """Stop updating a source until it is resumed; the optional body gives the reason shown in its
    health."""
    reason = body.reason if body is not None else PauseIn().reason
    return convert.source(await write(request, lambda desk: desk.pause_source(source_id, reason)))


@router.post(
    "/sources/{source_id}/resume",
    tags=["sources"],
    summary="Resume a paused source (needs the token)",
    response_model=SourceOut,
    response_description="The source as it is now.",
    dependencies=WRITE,
    responses=error_responses(401, 403, 404, 422),
)
async def resume_source(request: Request, source_id: SourceId) -> SourceOut:
    """Update the source again: due now, its error count forgotten."""
    return convert.source(await write(request, lambda desk: desk.resume_source(source_id)))
