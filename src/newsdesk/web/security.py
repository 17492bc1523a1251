"""Security for the web front end: headers, request limits and the API token.

What ``install`` sets up, for every response (pages, API, feeds, static files, errors):

- ``SecurityMiddleware``, a pure ASGI middleware (no BaseHTTPMiddleware: it neither buffers nor
  spawns a task per request), adds the headers in ``SECURITY_HEADERS``. A route may set one of them
  itself (the middleware only fills in what is missing). It refuses before the app runs: a URL over
  ``MAX_URL_BYTES`` (414), a NUL byte in the path or a malformed ``Content-Length`` (400), a
  declared body over ``web_max_request_bytes`` (413); a body streamed without a length is counted
  as it arrives and refused with 413 as soon as it passes the limit. Refusals have the shape of
  every other error (``errors.error_response``); the answer to a crash, made outside this
  middleware, gets the headers from ``errors.install``.

Choices:

- ``Referrer-Policy: strict-origin-when-cross-origin``, not ``no-referrer``: newsdesk exists to send
  readers to the original publisher, and the origin alone ("came from this newsdesk") is the credit
  that publisher sees; the path (a story, a search query) never leaves the site, and nothing is sent
  on a downgrade to http.
- No HTML sanitiser: nothing from a publisher is shown as HTML. Articles are stored as plain text
  and every template autoescapes (``templating``); feeds carry text (``feeds``). A page that ever
  shows publisher HTML must pass it through an allow-list sanitiser (nh3) first.

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

from fastapi import FastAPI, HTTPException, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Config
from .errors import detail_of, error_response

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
            await error_response(Request(scope), 413, detail_of(e))(scope, receive, send_with_headers)

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
    """Add the security headers and request limits to ``app``."""
    app.add_middleware(SecurityMiddleware, max_body=config.web_max_request_bytes)
