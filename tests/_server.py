"""A real HTTP server on 127.0.0.1 for the fetching tests and the fetch benchmark.

It serves virtual hosts (the ``Host`` header picks the site; tests point ``*.example`` at 127.0.0.1
with the ``host_overrides`` setting), supports conditional GET (ETag / Last-Modified -> 304) and
gzip, and serves the faults real sources have: slow answers, stalls, error statuses, redirect loops,
moved feeds, huge bodies, gzip bombs. Every request is logged, so tests can count them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LAST_MODIFIED = "Wed, 11 Mar 2026 16:45:00 GMT"


@dataclass
class Reply:
    """What the server answers on a route."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    #: Seconds before the status line is sent.
    delay: float = 0.0
    #: Send half the body, then stall this many seconds before the rest.
    stall: float = 0.0
    #: ETag and Last-Modified, and 304 for a matching conditional request.
    conditional: bool = True
    #: Compress with gzip when the client accepts it.
    gzip: bool = False
    #: The body is already encoded with this Content-Encoding (a bomb): send as is.
    encoded: str | None = None


@dataclass(frozen=True)
class Request:
    host: str
    path: str
    headers: dict[str, str]


Route = Reply | Callable[[Request], Reply]


class Server:
    """Routes by (host, path); host "*" matches any host."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.hits: Counter[tuple[str, str]] = Counter()
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.port = 0

    # -- routes ---------------------------------------------------------------------------------

    def add(self, path: str, reply: Route, host: str = "*") -> str:
        self.routes[(host.lower(), path)] = reply
        return self.url(path, host if host != "*" else "127.0.0.1")

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def count(self, path: str, host: str | None = None) -> int:
        with self._lock:
            return sum(n for (h, p), n in self.hits.items() if p == path and (host is None or h == host))

    def _route(self, host: str, path: str) -> Route | None:
        return self.routes.get((host, path)) or self.routes.get(("*", path))

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in separate writes

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
                path = urlsplit(self.path).path or "/"
                req = Request(host=host, path=path, headers={k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.hits[(host, path)] += 1
                    server.log.append(req)
                route = server._route(host, path)
                reply = Reply(status=404, body=b"<html><title>Not found</title><body>Not found</body></html>")
                if route is not None:
                    reply = route(req) if callable(route) else route
                with suppress(BrokenPipeError, ConnectionResetError):
                    server._send(self, req, reply)

        class Quiet(ThreadingHTTPServer):
            request_queue_size = 256  # socketserver's 5 drops concurrent connects (a 1 s SYN retry)

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client hanging up (a timeout test, a closed keep-alive) is not news

        self._httpd = Quiet(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, req: Request, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body
        headers = dict(reply.headers)
        status = reply.status
        if reply.conditional and status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", LAST_MODIFIED)
            if req.headers.get("if-none-match") == headers["ETag"]:
                status, body = 304, b""
        if reply.encoded:
            headers["Content-Encoding"] = reply.encoded
        elif reply.gzip and body and "gzip" in req.headers.get("accept-encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        h.send_response(status)
        if status != 304:
            h.send_header("Content-Type", reply.content_type)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if not body:
            return
        if reply.stall:
            half = len(body) // 2
            h.wfile.write(body[:half])
            h.wfile.flush()
            time.sleep(reply.stall)
            h.wfile.write(body[half:])
        else:
            h.wfile.write(body)


@contextmanager
def running() -> Iterator[Server]:
    server = Server()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- the sample corpus, served as the outlets' sites ---------------------------------------------------

_HTTPS_HOST = re.compile(rb"https://([a-z0-9.-]+\.example)/")


def serve_corpus(server: Server, sample: Path) -> dict[str, str]:
    """Serve the sample corpus's pages and feeds on their own hosts; returns {feed file: feed URL}.

    Feeds are rewritten so their links point at this server (``http://host.example:PORT/...``);
    pages are served as they are, so their canonical links keep naming the real addresses.
    """
    truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))
    for art in truth["articles"].values():
        file = art.get("file", "")
        if not file.startswith("pages/"):
            continue
        parts = urlsplit(art["url"])
        server.add(parts.path, Reply(body=(sample / file).read_bytes()), host=parts.hostname or "")
    opml = (sample / "sources.opml").read_text(encoding="utf-8")
    feed_urls = re.findall(r'xmlUrl="([^"]+)"', opml)
    out: dict[str, str] = {}
    port = str(server.port).encode()
    for path in sorted((sample / "feeds").glob("*.xml")):
        url = next((u for u in feed_urls if (urlsplit(u).hostname or "").startswith(path.stem)), None)
        if url is None:
            continue
        body = _HTTPS_HOST.sub(lambda m: b"http://" + m.group(1) + b":" + port + b"/", path.read_bytes())
        parts = urlsplit(url)
        server.add(
            parts.path, Reply(body=body, content_type="application/xml", gzip=True), host=parts.hostname or ""
        )
        out[path.name] = f"http://{parts.hostname}:{server.port}{parts.path}"
    return out
