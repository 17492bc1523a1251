"""The opaque cursors of the API's pages, and the ``next`` link that carries one.

A cursor is the key of the last item of a page (or, for search results, an offset), with the kind
of list it belongs to, as URL-safe base64 JSON. Anything that does not decode to this list's kind
and key is a 422: a client cannot page another list with it or reach past ``MAX_SEARCH_OFFSET``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request, Response
from starlette.exceptions import HTTPException

from .convert import utc
from .routing import MAX_ID

T = TypeVar("T")


def encode(kind: str, *key: Any) -> str:
    raw = json.dumps([kind, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, kind: str, parse: Callable[[list[Any]], T]) -> T:
    """The key of a cursor made by ``encode(kind, ...)``; 422 for anything else."""
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


def integer(value: Any) -> int:
    """An id or offset from a decoded cursor, checked: a cursor comes back from the client."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
        raise ValueError("not an id or offset")
    return value


def moment(value: Any) -> datetime | None:
    """A time (or null) from a decoded cursor, checked as ``integer`` checks ids."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not a time")
    return utc(datetime.fromisoformat(value))


def offset(cursor: str | None, kind: str, deepest: int) -> int:
    """Where a page of an offset-paged list of ``kind`` starts: 0 without a cursor, else the
    offset its cursor carries (422 past ``deepest``)."""

    def parse(key: list[Any]) -> int:
        if integer(key[0]) > deepest:
            raise ValueError("too deep")
        return integer(key[0])

    return decode(cursor, kind, parse) if cursor else 0


def next_offset(kind: str, start: int, limit: int, found: int, deepest: int) -> str | None:
    """The cursor of the page after one that started at ``start`` and read ``found`` items when
    asked for ``limit`` + 1; None on the last page or past ``deepest``."""
    return encode(kind, start + limit) if found > limit and start + limit <= deepest else None


def next_link(request: Request, response: Response, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", cursor))
    link = f"{request.url.path}?{urlencode(params)}"
    response.headers["Link"] = f'<{link}>; rel="next"'
    return link
