"""Security for the web front end: headers, request limits, error pages, the HTML sanitiser and the
API token.

What ``install`` sets up, for every response (pages, API, feeds, static files, errors):

- ``SecurityMiddleware``, a pure ASGI middleware (no BaseHTTPMiddleware: it neither buffers nor
  spawns a task per request), adds the headers in ``SECURITY_HEADERS``. A route may set one of them
  itself (the middleware only fills in what is missing). It refuses before the app runs: a URL over
  ``MAX_URL_BYTES`` (414), a NUL byte in the path or a malformed ``Content-Length`` (400), a
  declared body over ``web_max_request_bytes`` (413); a body streamed without a length is counted
  as it arrives and refused with 413 as soon as it passes the limit.
- Error handlers: under ``/api/`` every error is JSON in the one shape of ``error_body``; anywhere
  else it is the site's error page (``templates/error.html``) with the same status. The 500 handler
  runs outside every middleware (Starlette's ServerErrorMiddleware), so it adds the headers itself.
  Lookup errors of the Desk (unknown article, story, source) become 404 and bad search syntax 400,
  so routes may let them rise.

Choices:

- ``Referrer-Policy: strict-origin-when-cross-origin``, not ``no-referrer``: newsdesk exists to send
  readers to the original publisher, and the origin alone ("came from this newsdesk") is the credit
  that publisher sees; the path (a story, a search query) never leaves the site, and nothing is sent
  on a downgrade to http. Links inside third-party HTML carry ``rel="noreferrer"`` anyway.
- Methods: 404 for unknown paths; for a path that exists, ``OPTIONS`` is 204 and any method no route
  takes is 405, both with an ``Allow`` header naming every method the path takes (``allowed_methods``:
  all its routes, HEAD wherever GET is, OPTIONS), as HTTP requires of a 405. No CORS (the API is read
  by scripts and by pages of this origin): an OPTIONS answer carries no Access-Control headers.

Left to the deployment (say so in the deployment notes):

- The ``Host`` header is not checked: absolute links in feeds use the address the request came in
  on, so put newsdesk behind a reverse proxy that only forwards the site's own host names (or add
  Starlette's TrustedHostMiddleware) and run uvicorn with ``--proxy-headers`` and
  ``--forwarded-allow-ips`` set to the proxy.
- TLS and ``Strict-Transport-Security`` belong to the proxy that terminates TLS.
- Limits on header size and slow clients are uvicorn's (h11 refuses headers over 64 KiB) and the
  proxy's.
"""

from __future__ import annotations

import hmac
import html
import http
import importlib
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from jinja2 import TemplateNotFound
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Config
from ..exceptions import (
    ArticleNotFoundError,
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

#: The one Content-Security-Policy: only this origin's scripts, styles, images (and data: images),
#: no inline script or style, no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

#: Added to every response that does not set them itself.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_RAW_HEADERS = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

#: Longest request target (path and query) accepted; longer ones get 414. Browsers and proxies
#: commonly stop at 8 KiB; no newsdesk URL comes near it.
MAX_URL_BYTES = 8192

# -- the sanitiser -------------------------------------------------------------------------------

#: Tags third-party HTML may keep when shown: text structure and links, nothing that runs, loads,
#: styles or frames anything. Tags not listed are removed and their text kept ...
ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "small",
    "sub",
    "sup",
    "cite",
    "code",
    "pre",
    "blockquote",
    "q",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
#: ... except these, removed with everything inside them (code, styles, embedded documents, forms).
REMOVED_WITH_CONTENT = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "textarea",
    "select",
    "title",
    "head",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "q": {"cite"}, "blockquote": {"cite"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow ugc"


def _url_filter(base_url: str | None) -> Callable[[str, str, str], str | None]:
    """Keep only absolute http(s)/mailto URLs; a relative one is resolved against ``base_url`` (the
    page it came from) or dropped, so it can never point into this site."""

    def check(tag: str, attr: str, value: str) -> str | None:
        if attr not in ("href", "cite"):
            return value
        url = value.strip()
        if not urlsplit(url).scheme:
            if not base_url:
                return None
            url = urljoin(base_url, url)
        parts = urlsplit(url)
        if parts.scheme.lower() not in URL_SCHEMES:
            return None
        if parts.scheme.lower() != "mailto" and not parts.netloc:
            return None
        return url

    return check


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """Third-party HTML made safe to insert into a page: an allow-list of text tags, links only to
    http, https and mailto (relative ones resolved against ``base_url`` or dropped), every link
    ``rel="noopener noreferrer nofollow ugc"``; scripts, styles, event handlers, images, frames and
    comments go."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_url_filter(base_url),
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


# -- errors --------------------------------------------------------------------------------------


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
    """The site's ``templating.render``, when the site's module is there (imported late: the site
    imports this module)."""
    try:
        module = importlib.import_module(f"{__package__}.templating")
    except ImportError:
        return None
    render: Callable[..., Response] = module.render
    return render


def _detail(exc: StarletteHTTPException) -> str:
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
    return error_response(request, exc.status_code, _detail(exc), headers=headers)


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
    (SearchQueryError, 400),
    (SearchTimeoutError, 503),
    # Nobody reads it: the client has gone (nginx's "client closed request").
    (SearchCancelledError, 499),
    (InvalidURLError, 400),
    (FetchError, 502),
)


async def _on_desk_error(request: Request, exc: Exception) -> Response:
    for cls, status in _DESK_ERRORS:
        if isinstance(exc, cls):
            return error_response(request, status, redact_url(str(exc)))
    log.error("unexpected newsdesk error on %s", request.url.path, exc_info=exc)
    return _failed(request)


async def _on_crash(request: Request, exc: Exception) -> Response:
    # Runs in ServerErrorMiddleware, outside SecurityMiddleware: add the headers here.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _failed(request)


def _failed(request: Request) -> Response:
    message = "the server failed; the log says why"
    if is_api(request.url.path):
        return _with_headers(error_response(request, 500, message))
    return _with_headers(_error_page(request, 500, message, None, plain=True))


def _with_headers(response: Response) -> Response:
    for k, v in SECURITY_HEADERS.items():
        response.headers.setdefault(k, v)
    return response


# -- the token ------------------------------------------------------------------------------------


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


# -- the middleware -------------------------------------------------------------------------------


class RequestTooLarge(StarletteHTTPException):
    """A streamed request body passed the limit (raised from ``receive``; becomes a 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


class SecurityMiddleware:
    """Headers on every response; URL, path and body limits before the app sees a request."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_url: int = MAX_URL_BYTES) -> None:
        self.app = app
        self.max_body = max_body
        self.max_url = max_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in _RAW_HEADERS if k not in present]
                if extra:
                    message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        refusal = self._refuse(scope)
        if refusal is not None:
            status, message = refusal
            await error_response(Request(scope), status, message)(scope, receive, send_with_headers)
            return

        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise RequestTooLarge(self.max_body)
            return message

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except RequestTooLarge as e:
            if started:
                raise
            await error_response(Request(scope), 413, _detail(e))(scope, receive, send_with_headers)

    def _refuse(self, scope: Scope) -> tuple[int, str] | None:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        if len(raw_path) + len(scope.get("query_string", b"")) > self.max_url:
            return 414, f"the address is longer than {self.max_url} bytes"
        if "\x00" in scope["path"] or b"\x00" in raw_path:
            return 400, "the address contains a NUL byte"
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                if not value.isdigit():
                    return 400, "Content-Length is not a number"
                if int(value) > self.max_body:
                    return 413, f"the request body is larger than the limit of {self.max_body} bytes"
        return None


def install(app: FastAPI, config: Config) -> None:
    """Add the security headers, request limits and error handlers to ``app``."""
    app.add_middleware(SecurityMiddleware, max_body=config.web_max_request_bytes)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(NewsdeskError, _on_desk_error)
    app.add_exception_handler(Exception, _on_crash)
