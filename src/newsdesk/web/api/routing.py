"""What every resource of the API shares: its prefix and limits, the Cache-Control of reads, the
route class that checks the token first, and the path and query parameters.

The resource modules (``sources``, ``articles``, ``stories``, ``copies``, ``entities``, ``quotes``)
each make their router with ``resource_router()``, so every route has the prefix and the
token-first route class.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, Security
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from pydantic import BeforeValidator, WithJsonSchema

from .. import security

PREFIX = "/api/v1"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: Deepest a search result list pages (by offset: each page costs as much as all before it).
MAX_SEARCH_OFFSET = 1000
#: Deepest the lists of entities and quotes page (by offset, as search results).
MAX_LIST_OFFSET = 10_000
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


class TokenFirstRoute(APIRoute):
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


#: Documents the bearer scheme in OpenAPI; ``security.require_token`` does the checking.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerToken",
    description="The `web_token` setting of the server, sent as `Authorization: Bearer <token>`. "
    "Without it a write is refused with 401; with a wrong token, or when the server has no "
    "`web_token`, with 403.",
)
#: The dependencies of every write route.
WRITE = [Depends(security.require_token), Security(_bearer)]


def resource_router() -> APIRouter:
    """A router for one resource of the versioned API."""
    return APIRouter(prefix=PREFIX, route_class=TokenFirstRoute)


def cache(response: Response, policy: str) -> None:
    response.headers["Cache-Control"] = policy


SourceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The source's id.")]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The article's id.")]
StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The story's id (a merged one leads on).")]
EntityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The entity's id.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")]
Cursor = Annotated[
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


When = Annotated[
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
