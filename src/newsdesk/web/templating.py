"""HTML rendering for the site: one Jinja2 environment, the filters pages use, and ``render``.

Every template is autoescaped (whatever its name), so text from articles and feeds is always
escaped unless a filter here marks it safe after escaping it itself (``highlight``,
``timetag``). Nothing from a publisher is shown as HTML (articles are plain text), so no
template marks third-party text safe; one that ever must would need an allow-list sanitiser first.

Templates live in the package (``newsdesk/web/templates``), found with importlib.resources, and
extend ``base.html``: its blocks are ``title``, ``description``, ``feeds`` (the
``<link rel="alternate">`` of the page: the whole site's Atom feed unless a page overrides it),
``head`` (more tags in <head>), ``content`` (inside ``<main id="main">``) and ``scripts``
(``<script src="/static/...">`` only: the Content-Security-Policy refuses inline scripts and styles).
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..query import mark_snippet, source_health
from ..urls import domain_of

#: The name in the header, the titles and the footer.
SITE_NAME = "newsdesk"


def templates_dir() -> str:
    return str(resources.files("newsdesk") / "web" / "templates")


def _utc(when: datetime) -> datetime:
    """Naive datetimes are taken as UTC (the store writes UTC)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def iso(when: datetime | None) -> str:
    """A machine-readable UTC time: ``2026-03-02T08:15:00Z``."""
    if when is None:
        return ""
    return _utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_date(when: datetime | None) -> str:
    """``2 Mar 2026, 08:15 UTC``."""
    if when is None:
        return ""
    u = _utc(when)
    return f"{u.day} {u:%b %Y, %H:%M} UTC"


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """How long ago, coarsely: ``just now``, ``5 min ago``, ``3 h ago``, ``2 days ago``,
    ``4 months ago``, ``2 years ago`` (``in 3 h`` for a time in the future)."""
    if when is None:
        return ""
    now = _utc(now) if now is not None else datetime.now(UTC)
    seconds = (now - _utc(when)).total_seconds()
    future = seconds < 0
    s = abs(seconds)
    if s < 60:
        return "just now"
    if s < 3600:
        text = f"{int(s // 60)} min"
    elif s < 86400:
        text = f"{int(s // 3600)} h"
    elif s < 86400 * 61:
        n = int(s // 86400)
        text = f"{n} day{'s' if n != 1 else ''}"
    elif s < 86400 * 730:
        text = f"{int(s // (86400 * 30.44))} months"
    else:
        text = f"{int(s // (86400 * 365.25))} years"
    return f"in {text}" if future else f"{text} ago"


def timetag(when: datetime | None, style: str = "date", now: datetime | None = None) -> Markup:
    """A ``<time datetime="...Z">`` element; ``style`` is ``date`` (2 Mar 2026, 08:15 UTC) or
    ``ago`` (3 h ago, with the full date as its title)."""
    if when is None:
        return Markup("")
    if style == "ago":
        return Markup('<time datetime="{}" title="{}">{}</time>').format(
            iso(when), human_date(when), ago(when, now)
        )
    return Markup('<time datetime="{}">{}</time>').format(iso(when), human_date(when))


def host(url: str | None) -> str:
    """The host of a URL without ``www.``: ``https://www.example.com/a`` -> ``example.com``."""
    if not url:
        return ""
    try:
        return domain_of(url)
    except ValueError:  # not a URL urlsplit can read (a broken IPv6 host)
        return ""


def highlight(snippet: str | None) -> Markup:
    """A search snippet with the store's highlight markers as ``<mark>``: the text is escaped
    first, then the markers (control characters, never in escaped text) become tags; an unclosed
    mark is closed."""
    if not snippet:
        return Markup("")
    return Markup(mark_snippet(snippet, start="<mark>", end="</mark>", escape=lambda t: str(escape(t))))


def paragraphs(text: str | None) -> list[str]:
    """Plain text as paragraphs: split on blank lines, else on single newlines; inner whitespace
    folded. The result is still plain text (autoescaped where it is shown)."""
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text.strip()) if re.search(r"\n\s*\n", text) else text.splitlines()
    return [" ".join(b.split()) for b in blocks if b.strip()]


def path_quote(value: object) -> str:
    """One URL path segment (a source name): everything but unreserved characters escaped."""
    return quote(str(value), safe="")


def query(params: dict[str, Any] | None = None, **more: Any) -> str:
    """A query string (``?a=1&b=2``) from the non-empty values; empty when there are none."""
    merged = {**(params or {}), **more}
    kept = {k: v for k, v in merged.items() if v is not None and v != ""}
    return "?" + urlencode(kept) if kept else ""


def label(name: str | None) -> str:
    """A category as people read it: ``world`` -> ``World`` (only the first letter changes)."""
    if not name:
        return ""
    return name[:1].upper() + name[1:]


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 source``, ``3 sources``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


@functools.cache
def environment() -> Environment:
    """The site's Jinja2 environment (made once per process; templates are compiled once)."""
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        iso=iso,
        human_date=human_date,
        ago=ago,
        timetag=timetag,
        host=host,
        highlight=highlight,
        paragraphs=paragraphs,
        path_quote=path_quote,
        label=label,
    )
    env.globals.update(site_name=SITE_NAME, query=query, plural=plural, health=source_health)
    return env


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render template ``name`` with ``context`` (and ``request``) as an HTML response."""
    template = environment().get_template(name)
    html = template.render({**(context or {}), "request": request})
    return HTMLResponse(html, status_code=status_code, headers=headers)
