"""Conditional GET for the pages and the API: ETag, Cache-Control, 304, and HEAD.

Why a middleware rather than per-route code: every page and API read gets the same treatment, and
a route cannot forget it. The ETag is a hash of the body, so it is right whatever produced the body
(and two workers agree on it without sharing anything). A 304 saves the transfer and the client's
parsing, not the server's work: the body is built to be hashed.

HEAD is answered for every GET route (FastAPI routes are GET only, so HEAD was a 405): the request
runs as a GET and the body is dropped, its headers (Content-Length and ETag among them) kept.

Static files (``/static``, whose StaticFiles answers with its own validators) pass through
untouched. Feeds set their own Cache-Control; the ETag, 304 and HEAD are this module's.
"""

from __future__ import annotations

import hashlib

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Cache-Control of a successful GET unless the route set its own: browsers and caches may reuse a
#: page for half a minute (a news page is stale after that), then revalidate with the ETag.
CACHE_DEFAULT = "public, max-age=30"

_PASS_THROUGH = ("/static/",)


def etag_of(body: bytes) -> str:
    """A strong ETag for ``body``: the same bytes give the same tag in every worker."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/"x" matches "x"."""
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


class ConditionalGetMiddleware:
    """A strong ETag and Cache-Control on every successful GET, 304 for a matching If-None-Match,
    HEAD as GET without the body; ``no-store`` on writes and errors.

    Pure ASGI; buffers the bodies of GETs (pages and API answers, bounded by their page limits)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_PASS_THROUGH):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ("GET", "HEAD"):

            async def send_no_store(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message).setdefault("cache-control", "no-store")
                await send(message)

            await self.app(scope, receive, send_no_store)
            return

        start: Message | None = None
        chunks: list[bytes] = []
        if_none_match = next(
            (v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"if-none-match"), None
        )
        head = method == "HEAD"

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _finish(start, b"".join(chunks), if_none_match, send, head=head)

        await self.app({**scope, "method": "GET"} if head else scope, receive, buffered)


async def _finish(start: Message, body: bytes, if_none_match: str | None, send: Send, *, head: bool) -> None:
    headers = MutableHeaders(scope=start)
    if start["status"] != 200:
        headers.setdefault("cache-control", "no-store")
    else:
        if "etag" not in headers:
            headers["etag"] = etag_of(body)
        headers.setdefault("cache-control", CACHE_DEFAULT)
        if if_none_match is not None and etag_matches(if_none_match, headers["etag"]):
            kept = [(k, v) for k, v in start["headers"] if k not in (b"content-length", b"content-type")]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
    await send(start)
    await send({"type": "http.response.body", "body": b"" if head else body})


def install(app: FastAPI) -> None:
    """Add conditional GET (and HEAD) to every page and API route of ``app``."""
    app.add_middleware(ConditionalGetMiddleware)
