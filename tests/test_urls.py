from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.provisional import urls

from newsdesk import InvalidURLError, normalize_url
from newsdesk.urls import domain_of


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HTTPS://Example.COM:443/a/b/?b=2&a=1#frag", "https://example.com/a/b/?a=1&b=2"),
        ("http://example.com", "http://example.com/"),
        ("https://ex.com/story?utm_source=tw&utm_medium=x&id=7&fbclid=abc", "https://ex.com/story?id=7"),
        ("https://ex.com/a/./b/../c", "https://ex.com/a/c"),
        ("https://ex.com/%7Euser/caf%c3%a9", "https://ex.com/~user/caf%C3%A9"),
        ("https://ex.com:8080/x", "https://ex.com:8080/x"),
        ("  https://ex.com/x  ", "https://ex.com/x"),
    ],
)
def test_equivalent_urls_normalise_to_one_string(a: str, b: str) -> None:
    assert normalize_url(a) == normalize_url(b) == b


def test_content_selecting_query_is_kept_and_trailing_slash_matters() -> None:
    assert normalize_url("https://ex.com/p?id=1") != normalize_url("https://ex.com/p?id=2")
    assert normalize_url("https://ex.com/a") != normalize_url("https://ex.com/a/")


def test_relative_urls_resolve_against_a_base() -> None:
    assert normalize_url("../b?x=1", base="https://ex.com/a/c/d") == "https://ex.com/a/b?x=1"


@pytest.mark.parametrize(
    "bad", ["", "ftp://ex.com/x", "mailto:a@b.c", "https://", "not a url", "http://[::1"]
)
def test_non_http_urls_are_refused(bad: str) -> None:
    with pytest.raises(InvalidURLError):
        normalize_url(bad)
    with pytest.raises(ValueError):  # the builtin it refines, for callers that catch that
        normalize_url(bad)


@given(urls())
def test_normalising_is_idempotent(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once


@given(urls(), st.sampled_from(["utm_source", "fbclid", "gclid", "utm_campaign"]), st.text(min_size=1))
def test_tracking_parameters_never_change_identity(url: str, key: str, value: str) -> None:
    base = normalize_url(url)
    sep = "&" if "?" in base else "?"
    from urllib.parse import quote

    assert normalize_url(f"{base}{sep}{key}={quote(value)}") == base


def test_domain_of_drops_www() -> None:
    assert domain_of("https://www.example.com/x") == "example.com"
