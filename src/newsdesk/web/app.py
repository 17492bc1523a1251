"""The ASGI app: the site, the JSON API and the feeds over one pool of desks (``deps.DeskPool``).

``create_app`` wires the parts together and is the only place that knows them all; the routers
import ``deps`` for their desks, never this module, so no import cycle runs through the app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .._version import installed_version
from ..config import Config, load_config
from . import api, caching, errors, feeds, pages, security, understood
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
    errors.install(app, crash_headers=security.SECURITY_HEADERS)
    caching.install(app)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(pages.router)
    app.include_router(understood.router)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    return app


def app_from_settings() -> FastAPI:
    """For ``uvicorn --factory`` in each worker process (``serve.run_server`` names it by this
    module's path): settings come from NEWSDESK_* variables."""
    return create_app(load_config())
