"""What every front end reads the same way: times in a filter, links safe to show, search
snippets, a source's health and a form's filters.

The CLI, the JSON API, the pages and the Atom feeds each took these in their own words, and the
copies drifted (one link check asked for a host, another for any network location). Here each is
read once; a front end keeps only how it reports a mistake (a CLI usage error, an HTTP 400, a
message on the search page), because that is the front end's own business.

Light by design: the standard library and ``model`` only, so ``newsdesk --help`` stays quick.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .model import HIGHLIGHT_END, HIGHLIGHT_START, Health, SearchFilters

if TYPE_CHECKING:
    from .store import StoredSource

__all__ = [
    "as_utc",
    "http_url",
    "mark_snippet",
    "parse_time",
    "plain_snippet",
    "search_filters",
    "source_health",
]

#: An age: a number of hours, days or weeks before now ("12h", "3d", "2w").
_AGE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def as_utc(when: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC: the store compares aware times only."""
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_time(
    text: str, *, ages: bool = True, end: bool = False, now: Callable[[], datetime] | None = None
) -> datetime:
    """An ISO date or date-time ("2026-03-01", "2026-03-01T08:00Z"; UTC when it has no zone) or,
    with ``ages``, an age ("12h", "3d", "2w") counted back from ``now()``.

    ``end``: a bare date stands for the day after it, so that an exclusive upper bound ``until``
    a day includes that day (what a person means by a date in a form). Raises ValueError; the
    caller says so in its own way."""
    text = text.strip()
    m = _AGE.match(text) if ages else None
    if m:
        return (now or _now)() - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    if len(text) == 10:
        start = datetime.combine(date.fromisoformat(text), time(0), tzinfo=UTC)
        return start + timedelta(days=1) if end else start
    when = as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    assert when is not None
    return when


def _now() -> datetime:
    return datetime.now(UTC)


def http_url(url: str | None) -> str | None:
    """``url`` (trimmed) when it is an absolute http(s) URL with a host, safe as a link; None for
    anything else (javascript:, data:, relative, unreadable)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed address (an unclosed IPv6 bracket)
        return None
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return url
    return None


_MARKERS = re.compile(f"([{HIGHLIGHT_START}{HIGHLIGHT_END}])")


def mark_snippet(marked: str, *, start: str, end: str, escape: Callable[[str], str] = str) -> str:
    """A search snippet with the store's highlight markers turned into ``start`` and ``end`` (a
    front end's markup) and the text between them passed through ``escape``, piece by piece, so
    a marker can never end up inside escaped text. A stray end is dropped and an unclosed start is
    closed: the markup is always balanced."""
    out: list[str] = []
    open_ = False
    for part in _MARKERS.split(marked):
        if part == HIGHLIGHT_START:
            if not open_:
                out.append(start)
                open_ = True
        elif part == HIGHLIGHT_END:
            if open_:
                out.append(end)
                open_ = False
        elif part:
            out.append(escape(part))
    if open_:
        out.append(end)
    return "".join(out)


def plain_snippet(marked: str) -> str:
    """A search snippet without its highlight markers (for JSON and plain text)."""
    return marked.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")


def source_health(s: StoredSource) -> Health:
    """How a source is doing, by the first that holds: paused by hand or after failures, never
    fetched, failing (its last fetch failed), else ok."""
    if s.paused_reason:
        return Health.PAUSED
    if s.fetches == 0:
        return Health.NEVER_FETCHED
    if s.errors_in_row:
        return Health.FAILING
    return Health.OK


def search_filters(
    *,
    source: str | None = None,
    category: str | None = None,
    language: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> SearchFilters | None:
    """Filters from what a person filled in: empty fields are no filter, times without a zone are
    UTC, and nothing filled in is None (no filter at all, which a search may answer faster)."""
    if not any((source, category, language, since, until)):
        return None
    return SearchFilters(
        source=source or None,
        category=category or None,
        language=language or None,
        since=as_utc(since),
        until=as_utc(until),
    )
