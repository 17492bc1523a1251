"""Errors, in the shape the part of the site that failed asks for.

- Under ``/api/`` every error is JSON in the one shape of ``error_body``; anywhere else it is the
  site's error page (``templates/error.html``) with the same status. After a crash the page is a
  plain one that needs no template (the templates may be what failed).
- Lookup errors of the Desk (unknown article, story, source, entity) become 404, bad search syntax 400, a
  search past its time budget 503 (``_DESK_ERRORS``), so routes may let them rise. Their messages
  pass through ``redact_url``: a credential in a URL never reaches a client.
- Methods: 404 for unknown paths; for a path that exists, ``OPTIONS`` is 204 and any method no route
  takes is 405, both with an ``Allow`` header naming every method the path takes (``allowed_methods``:
  all its routes, HEAD wherever GET is, OPTIONS), as HTTP requires of a 405. No CORS (the API is read
  by scripts and by pages of this origin): an OPTIONS answer carries no Access-Control headers.

Apart from ``security`` (headers, limits, the token) because it is a different question: what a
failure looks like, not what a request may do. ``security``'s middleware uses ``error_response``
for its refusals, so this module imports nothing from it.
"""

from __future__ import annotations

import html
import http
import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from jinja2 import TemplateNotFound
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles

from ..exceptions import (
    ArticleNotFoundError,
    EntityNotFoundError,
    FetchError,
    InvalidURLError,
    NewsdeskError,
    SearchCancelledError,
    SearchQueryError,
    SearchTimeoutError,
    SourceNotFoundError,
    StoryNotFoundError,
)
from ..urls import redact_url

log = logging.getLogger(__name__)


def error_body(status: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one shape of every API error body: {"error": {"status", "code", "message", ...}}."""
    return {"error": {"status": status, "code": code, "message": message, **extra}}


#: Codes for the statuses we send; others use their phrase in snake case.
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    414: "url_too_long",
    422: "invalid_request",
    499: "client_closed_request",
    500: "internal_error",
    503: "search_timeout",
}


def error_code(status: int) -> str:
    if status in _CODES:
        return _CODES[status]
    try:
        return http.HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """An error in the shape the part of the site asked for: JSON under /api, else the error page."""
    if is_api(request.url.path):
        return JSONResponse(
            error_body(status, error_code(status), message, **extra), status_code=status, headers=headers
        )
    return _error_page(request, status, message, headers)


def _error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None, *, plain: bool = False
) -> Response:
    """The site's error page; ``plain`` (after a crash, when the templates may be what failed): a
    minimal page that needs nothing but this function."""
    context = {"status": status, "title": _phrase(status), "message": message}
    render = None if plain else _site_renderer()
    if render is not None:
        try:
            response = render(request, "error.html", context, status_code=status)
        except TemplateNotFound:
            log.warning("templates/error.html is missing: a plain error page instead")
        else:
            for k, v in (headers or {}).items():
                response.headers[k] = v
            return response
    title = html.escape(f"{status} {_phrase(status)}")
    body = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} · newsdesk</title></head>"
        f'<body><main><h1>{title}</h1><p>{html.escape(message)}</p><p><a href="/">Front page</a></p>'
        "</main></body></html>\n"
    )
    return HTMLResponse(body, status_code=status, headers=headers)


def _site_renderer() -> Callable[..., Response] | None:
    """The site's ``templating.render``, imported when an error page is first made, so that a
    templating module that cannot be imported still leaves the plain page."""
    try:
        from . import templating
    except ImportError:
        return None
    render: Callable[..., Response] = templating.render
    return render


def detail_of(exc: StarletteHTTPException) -> str:
    """The message of an HTTP error: its detail, else the status's phrase."""
    if isinstance(exc.detail, str) and exc.detail:
        return exc.detail
    return _phrase(exc.status_code)


#: Methods a route may take, in the order an Allow header lists them.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method the request's path takes: those of all the routes that match it (a path may have
    several: GET and POST /api/v1/sources), HEAD wherever GET is (``caching`` answers it), and
    OPTIONS; empty for a path nothing serves."""
    routes = request.app.router.routes
    # Inside a mount (static files) the scope's root_path has grown by the mount's path: back to
    # the application's own, so the path is matched from the top again.
    top = {
        **request.scope,
        "root_path": request.scope.get("app_root_path", request.scope.get("root_path", "")),
    }
    allowed: list[str] = []
    for method in _METHODS:
        probe = {**top, "method": method}
        for route in routes:
            if route.matches(probe)[0] is not Match.FULL:
                continue
            if (
                isinstance(route, Mount)
                and isinstance(route.app, StaticFiles)
                and method not in ("GET", "HEAD")
            ):
                continue  # a mount matches any method; static files take GET and HEAD only
            allowed.append(method)
            break
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return [*allowed, "OPTIONS"] if allowed else []


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:
        # Starlette's Allow names the methods of the first route that matched the path only.
        allow = ", ".join(allowed_methods(request)) or (headers or {}).get("Allow", "")
        headers = {**(headers or {}), "Allow": allow}
        if request.scope["method"] == "OPTIONS":
            return Response(status_code=204, headers=headers)
    if exc.status_code < 400:
        return Response(status_code=exc.status_code, headers=headers)
    return error_response(request, exc.status_code, detail_of(exc), headers=headers)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    where = ", ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors
    )
    if is_api(request.url.path):
        details = jsonable_encoder([{k: e[k] for k in ("loc", "msg", "type") if k in e} for e in errors])
        return error_response(request, 422, f"invalid request: {where}", details=details)
    # A page: a bad path part (a story id that is not a number) names no page; a bad query is 400.
    in_path = any(e.get("loc", ("",))[0] == "path" for e in errors)
    return error_response(request, 404 if in_path else 400, f"invalid request: {where}")


#: Desk errors routes may let rise, and the status each one means.
_DESK_ERRORS: tuple[tuple[type[NewsdeskError], int], ...] = (
    (ArticleNotFoundError, 404),
    (StoryNotFoundError, 404),
    (SourceNotFoundError, 404),
    (EntityNotFoundError, 404),
    (SearchQueryError, 400),
    (SearchTimeoutError, 503),
    # Nobody reads it: the client has gone (nginx's "client closed request").
    (SearchCancelledError, 499),
    (InvalidURLError, 400),
    (FetchError, 502),
)


def install(app: FastAPI, *, crash_headers: Mapping[str, str]) -> None:
    """Answer every error of ``app`` in the shape its part of the site asks for.

    ``crash_headers`` (the security headers) go on the answer to a crash: that handler runs in
    Starlette's ServerErrorMiddleware, outside every middleware, so nothing else adds them. They
    are given here rather than imported because ``security``'s middleware answers its refusals with
    this module's ``error_response``."""

    async def on_desk_error(request: Request, exc: Exception) -> Response:
        for cls, status in _DESK_ERRORS:
            if isinstance(exc, cls):
                return error_response(request, status, redact_url(str(exc)))
        log.error("unexpected newsdesk error on %s", request.url.path, exc_info=exc)
        return _failed(request, crash_headers)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _failed(request, crash_headers)

    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(NewsdeskError, on_desk_error)
    app.add_exception_handler(Exception, on_crash)


def _failed(request: Request, headers: Mapping[str, str]) -> Response:
    message = "the server failed; the log says why"
    if is_api(request.url.path):
        return _with_headers(error_response(request, 500, message), headers)
    return _with_headers(_error_page(request, 500, message, None, plain=True), headers)


def _with_headers(response: Response, headers: Mapping[str, str]) -> Response:
    for k, v in headers.items():
        response.headers.setdefault(k, v)
    return response
