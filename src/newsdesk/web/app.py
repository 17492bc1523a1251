"""The ASGI app: the site, the JSON API and the feeds over one pool of desks (``deps.DeskPool``).

``create_app`` wires the parts together and is the only place that knows them all; the routers
import ``deps`` for their desks, never this module, so no import cycle runs through the app.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .._version import installed_version
from ..config import Config, load_config
from . import api, caching, feeds, pages, security
from .deps import DeskPool


def static_dir() -> str:
    return str(resources.files("newsdesk") / "web" / "static")


def create_app(config: Config | None = None) -> FastAPI:
    """The whole site, API and feeds over the store named by ``config`` (default: settings)."""
    config = config or load_config()
    pool = DeskPool(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="newsdesk",
        version=installed_version(),
        description="Read the articles, stories, copies and sources of a newsdesk store; "
        "manage sources with a bearer token.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.state.config = config

    security.install(app, config)
    caching.install(app)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    return app


def app_from_settings() -> FastAPI:
    """For ``uvicorn --factory`` in each worker process: settings come from NEWSDESK_* variables."""
    return create_app(load_config())


def run_server(config: Config, *, access_log: bool = True, config_file: str | None = None) -> None:
    """Serve ``config``'s store with uvicorn on ``web_host``:``web_port`` until Ctrl-C.

    With ``web_workers`` > 1 each worker process builds its own app (``app_from_settings``) from
    NEWSDESK_* variables, and the listening socket is bound here, re-made with ``IPPROTO_TCP`` as
    its protocol. Why: uvicorn 0.54 binds it with protocol 0, accepted sockets inherit that, and
    asyncio then never sets TCP_NODELAY on them, so Nagle's algorithm holds every keep-alive
    response until the client's delayed ACK, about 40 ms (uvicorn issue #3149; bench/RESULTS.md,
    "Web"). A single worker lets asyncio create the socket, which is already right.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    common: dict[str, Any] = {
        "host": config.web_host,
        "port": config.web_port,
        "access_log": access_log,
        "log_level": "info" if access_log else "warning",
        "proxy_headers": False,
    }
    if config.web_workers <= 1:
        uvicorn.run(create_app(config), **common)
        return
    os.environ["NEWSDESK_DB"] = config.db
    if config_file:
        os.environ["NEWSDESK_CONFIG"] = config_file
    server_config = uvicorn.Config(
        "newsdesk.web.app:app_from_settings",
        factory=True,
        workers=config.web_workers,
        **common,
    )
    sock = tcp_socket(server_config.bind_socket())
    try:
        Multiprocess(server_config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def tcp_socket(sock: socket.socket) -> socket.socket:
    """``sock`` re-made with ``IPPROTO_TCP`` as its protocol (same descriptor, still inheritable),
    so that asyncio sets TCP_NODELAY on the connections it accepts (see ``run_server``)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        sock.set_inheritable(True)
    return sock
