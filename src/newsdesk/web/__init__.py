"""The web front end: the site, the JSON API under /api/v1 and outgoing Atom feeds, over one Desk.

Needs the ``web`` extra (FastAPI, uvicorn, Jinja2); ``import newsdesk`` never imports this
package, so the CLI and the batch path do not pay for it.

Layout (DESIGN.md): ``app`` builds the ASGI app and ``serve`` starts uvicorn; ``deps`` holds the
desks the routes read and write through; ``pages`` renders HTML, ``api`` (a package) serves JSON,
``feeds`` writes Atom; ``security`` holds the headers, limits and the token, ``errors`` the error
answers (JSON under /api, the error page elsewhere). Routes only call Desk methods: no SQL and no
stage internals here. The routers import ``deps``, never ``app`` (tests/web/test_web_layout.py).
"""

from .app import create_app

__all__ = ["create_app"]
