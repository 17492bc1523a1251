"""The JSON API under /api/v1: sources, articles, stories, copies, entities and quotes, described
by OpenAPI.

Reads are plain sync endpoints that take the thread's Desk with ``reader(request)``; writes need the
bearer token (``security.require_token``) and run on the one writer Desk through ``write``.

Conventions every route keeps:

- Lists are pages: ``limit`` (default 20, at most 100) and an opaque ``cursor``; a page carries the
  ``next`` link (also sent as a ``Link: <...>; rel="next"`` header) until the last page. Article,
  story and copy pages are keyset pages over an index (articles by (published else first seen,
  id), stories by (last seen, id), copies by copy id): a page never repeats or skips an item
  because newer ones arrived meanwhile. A story's place is when it last had a new article, so a
  story that grows while a client pages moves to the front: it is on the next first page, not on
  a later one. Search results page by offset (their order is by rank), up to
  ``MAX_SEARCH_OFFSET``; so do entities (by how often they are named), quotes and an entity's
  articles, up to ``MAX_LIST_OFFSET``.
- Errors under /api are ``errors.error_body`` JSON (installed by ``errors.install``); the few
  the API answers itself (a bad cursor, a source that cannot be added) use the same shape.
- Every GET under /api answers with a strong ``ETag`` (a hash of the body) and ``Cache-Control``,
  and ``304 Not Modified`` to a matching ``If-None-Match`` (``caching.ConditionalGetMiddleware``,
  which also answers HEAD); writes and errors are ``Cache-Control: no-store``.

Layout: ``routing`` (prefix, limits, the token-first route class, parameters), ``schemas`` (the
pydantic models), ``convert`` (records to schemas), ``cursors`` (paging), a module per resource
(``sources``, ``articles``, ``stories``, ``copies``, ``entities``, ``quotes``), and ``docs``, which
renders the OpenAPI document as HTML at /api/docs, server-side, so it works without JavaScript
under the site's CSP.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import articles, copies, docs, entities, quotes, sources, stories
from .routing import MAX_CURSOR, PREFIX

__all__ = ["MAX_CURSOR", "PREFIX", "RESOURCES", "router"]

#: The resources of the versioned API, in the order of the OpenAPI document.
RESOURCES = (sources, articles, stories, copies, entities, quotes)

#: What the app includes: the docs page, then every resource.
router = APIRouter()
router.include_router(docs.router)
for _resource in RESOURCES:
    router.include_router(_resource.router)
