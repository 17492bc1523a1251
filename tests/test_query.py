"""The readings every front end shares (``newsdesk.query``): one answer whoever asks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.model import HIGHLIGHT_END as E
from newsdesk.model import HIGHLIGHT_START as S
from newsdesk.model import Health, SearchFilters
from newsdesk.query import http_url, mark_snippet, parse_time, plain_snippet, search_filters, source_health
from newsdesk.store import StoredSource

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("3d", {}, datetime(2026, 3, 7, 12, tzinfo=UTC)),
        (" 12h ", {}, datetime(2026, 3, 10, 0, tzinfo=UTC)),
        ("2w", {}, datetime(2026, 2, 24, 12, tzinfo=UTC)),
        ("2026-03-01", {}, datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01", {"end": True}, datetime(2026, 3, 2, tzinfo=UTC)),
        ("2026-03-01T08:00Z", {"end": True}, datetime(2026, 3, 1, 8, tzinfo=UTC)),
        ("2026-03-01T08:00", {}, datetime(2026, 3, 1, 8, tzinfo=UTC)),
    ],
)
def test_times_dates_and_ages(text: str, kwargs: dict[str, bool], expected: datetime) -> None:
    assert parse_time(text, now=lambda: NOW, **kwargs) == expected


@pytest.mark.parametrize("text", ["", "soon", "3x", "2026-13-01"])
def test_what_is_not_a_time_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_a_form_without_ages_refuses_one() -> None:
    with pytest.raises(ValueError):
        parse_time("3d", ages=False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (" https://example.com/a ", "https://example.com/a"),
        ("HTTP://example.com", "HTTP://example.com"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("/relative", None),
        ("http://[::1", None),
        ("http://:80/", None),
        (None, None),
    ],
)
def test_links_safe_to_show(url: str | None, expected: str | None) -> None:
    assert http_url(url) == expected


def test_snippets_are_escaped_piece_by_piece_and_balanced() -> None:
    marked = f"<b> {S}storm{E} & {E}{S}open"
    assert plain_snippet(marked) == "<b> storm & open"
    html = mark_snippet(marked, start="<mark>", end="</mark>", escape=lambda t: t.replace("<", "&lt;"))
    assert html == "&lt;b> <mark>storm</mark> & <mark>open</mark>"


def _source(**state: object) -> StoredSource:
    return StoredSource(id=1, kind="feed", url="https://e.com/f", name=None, domain=None, added=NOW, **state)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "health"),
    [
        ({}, Health.NEVER_FETCHED),
        ({"fetches": 3}, Health.OK),
        ({"fetches": 3, "errors_in_row": 2}, Health.FAILING),
        ({"fetches": 3, "errors_in_row": 2, "paused_reason": "by hand"}, Health.PAUSED),
    ],
)
def test_source_health(state: dict[str, object], health: Health) -> None:
    assert source_health(_source(**state)) is health


def test_an_empty_form_is_no_filter() -> None:
    assert search_filters(source=None, category="", language=None) is None
    naive = datetime(2026, 3, 1)
    assert search_filters(since=naive) == SearchFilters(since=naive.replace(tzinfo=UTC))
