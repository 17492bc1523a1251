"""Security for the web front end: headers, request limits, the HTML sanitiser and the API token.

(being completed: see the web issue. The names below are the interface other web modules use.)
"""

from __future__ import annotations

import hmac
from typing import Any

import nh3
from fastapi import FastAPI, HTTPException, Request

from ..config import Config

#: Tags and attributes third-party HTML may keep when shown: text structure and links, nothing
#: that runs, loads or styles anything.
ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "blockquote",
    "q",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize_html(html: str) -> str:
    """Third-party HTML made safe to insert into a page (allow-list; links get rel=noopener etc.)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )


def error_body(status: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one shape of every API error body: {"error": {"status", "code", "message", ...}}."""
    return {"error": {"status": status, "code": code, "message": message, **extra}}


def require_token(request: Request) -> None:
    """FastAPI dependency for API writes: a bearer token equal to the web_token setting.

    401 without a token, 403 with a wrong one, 403 when no token is configured (writes are then
    off). Compared in constant time."""
    config: Config = request.app.state.config
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(
            401,
            "this call changes data: send 'Authorization: Bearer <token>' (the web_token setting)",
            headers={"WWW-Authenticate": 'Bearer realm="newsdesk"'},
        )
    if not config.web_token:
        raise HTTPException(403, "writes are turned off: set the web_token setting to allow them")
    if not hmac.compare_digest(given.strip().encode(), config.web_token.encode()):
        raise HTTPException(403, "wrong token")


def install(app: FastAPI, config: Config) -> None:
    """Add the security headers, request limits and error handlers to ``app``."""
