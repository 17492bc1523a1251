from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from newsdesk import InvalidURLError, normalize_url
from newsdesk.model import Credentials
from newsdesk.urls import domain_of, is_http_url, redact_url, split_credentials


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


# -- every malformed URL is InvalidURLError with a reason -------------------------------------------

MALFORMED = [
    ("http://0177.0.0.1/", "IPv4 address ambiguously"),
    ("http://0x7f.1/", "IPv4 address ambiguously"),
    ("http://127.1/", "IPv4 address ambiguously"),
    ("http://2130706433/", "IPv4 address ambiguously"),
    ("http://1a2b3c4/", "IPv4 address ambiguously"),
    ("http://１２７.０.０.１/", "look-alike characters"),
    ("http://ｅｘａｍｐｌｅ.com/", "look-alike characters"),
    ("http://\u200b.example/", "internationalised domain name"),
    (f"http://{'a' * 64}.example/", "longer than 63"),
    (f"http://{'a.' * 127}example/", "longer than 253"),
    ("http://a..b/", "empty label"),
    ("http://xn--/", "IDNA label"),
    ("http://xn--zca.a_b.example/", "IDNA label"),
    ("http://[::1", "cannot be told apart"),
    ("http://[::1]x/", "brackets"),
    ("http://[v1.x]/", "not an IPv6 address"),
    ("http://[fe80::1%25eth0]/", "zone id"),
    ("http://exa mple.com/", "a character no host name has"),
    ("http://%41.com/", "a character no host name has"),
    ("http://ex\x01ample.com/", "control character"),
    ("http://example.com/a\x7fb", "control character"),
    ("http://example.com/\ud800", "lone surrogate"),
    ("http://example.com:0/", "port"),
    ("http://example.com:99999/", "port"),
    ("http://example.com:８０/", "port"),
    ("http://" + "a" * 70_000, "longer than 65,536"),
    ("ftp://example.com/", "only absolute http and https"),
    ("//example.com/feed", "only absolute http and https"),
    ("http:///feed", "no host"),
]


@pytest.mark.parametrize(("bad", "reason"), MALFORMED)
def test_malformed_urls_are_refused_with_the_reason(bad: str, reason: str) -> None:
    with pytest.raises(InvalidURLError, match=re.escape(reason)):
        normalize_url(bad)
    with pytest.raises(InvalidURLError, match=re.escape(reason)):
        split_credentials(bad)
    assert not is_http_url(bad)


#: URLs as anything may arrive: typed, pasted, from a feed. Biased towards what hosts and
#: authorities are made of, so the host rules are reached, not only the scheme check.
_HOSTISH = st.text(
    alphabet=st.sampled_from(
        [*"0123456789abcdefxXn-_.:[]%@ /?#", "１", "．", "é", "ß", "\u200b", "\x00", "\x7f", "\t", "\ud800"]
    ),
    max_size=30,
)
TEXT_URLS = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda scheme, rest: f"{scheme}{rest}",
        st.sampled_from(["http://", "https://", "HTTP://", "http:", "ftp://", ""]),
        st.text(max_size=60),
    ),
    st.builds(
        lambda user, host, port, path: f"http://{user}{host}{port}/{path}",
        st.sampled_from(["", "u:p@", "u@", ":@", "u:p%40ss@", "u%3Ax:p@", "u:%ff@"]),
        _HOSTISH,
        st.sampled_from(["", ":", ":80", ":0", ":65536", ":8a", ":８０"]),
        st.text(max_size=10),
    ),
)


def _fetchable(url: str, host: str) -> None:
    """What the fetcher will do with ``url``: httpx builds the request for ``host``, and the
    system resolver's IDNA codec takes the name."""
    request = httpx.Request("GET", url)
    assert request.url.raw_host.decode("ascii").rstrip(".") == host  # "a." is "a" to DNS
    if ":" not in host:
        host.encode("idna")


@settings(max_examples=400)
@given(TEXT_URLS)
def test_any_text_is_a_fetchable_url_or_invalid_url_error(text: str) -> None:
    try:
        normalized = normalize_url(text)
    except InvalidURLError as e:
        with pytest.raises(InvalidURLError):
            split_credentials(text)
        assert "u:p" not in str(e) and "p%40ss" not in str(e)  # user info is never echoed
        return
    host = urlsplit(normalized).hostname
    assert host is not None
    _fetchable(normalized, host)
    assert normalize_url(normalized) == normalized
    try:
        clean, _ = split_credentials(text)
    except InvalidURLError as e:
        assert "user" in str(e)  # only the credentials can fail where the URL did not
        return
    assert "@" not in urlsplit(clean).netloc
    _fetchable(clean, host)  # as written, the same host once httpx encodes it


def test_credentials_are_taken_out_of_the_url() -> None:
    clean, cred = split_credentials(
        " HTTP://reader:s3cret%3Ap%40ss%2Fw%C3%B6rd@News.Example:8080/feed?a=1#top "
    )
    assert clean == "http://News.Example:8080/feed?a=1#top"
    assert cred == Credentials("reader", "s3cret:p@ss/wörd")
    assert "s3cret" not in repr(cred) and "reader" not in repr(cred)
    assert split_credentials("https://token@example.com/feed") == (
        "https://example.com/feed",
        Credentials("token", ""),
    )
    assert split_credentials("https://:@example.com/feed") == ("https://example.com/feed", None)
    assert split_credentials("https://example.com/@newsroom/feed")[1] is None  # an "@" in the path
    with pytest.raises(InvalidURLError, match="colon"):
        split_credentials("https://a%3Ab:c@example.com/")
    with pytest.raises(InvalidURLError, match="UTF-8"):
        split_credentials("https://a:%ff@example.com/")
    assert normalize_url("http://reader:s3cret@example.com/feed") == "http://example.com/feed"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://u:pw@host/feed", "http://host/feed"),
        ("fetching HTTPS://u:p@ss@host:8/x?y=@z failed", "fetching HTTPS://host:8/x?y=@z failed"),
        (
            "'http://token@a.example' and http://b.example/@user",
            "'http://a.example' and http://b.example/@user",
        ),
        ("no URL here, mail me@example.org", "no URL here, mail me@example.org"),
    ],
)
def test_redact_url(text: str, shown: str) -> None:
    assert redact_url(text) == shown


def test_an_invalid_url_that_may_hide_a_password_is_not_echoed() -> None:
    # An unencoded "/" in the password ends the host early: the rest must not show either.
    with pytest.raises(InvalidURLError) as e:
        normalize_url("http://reader:s3cret/pw@example.com/feed")
    assert "s3cret" not in str(e.value) and "not shown" in str(e.value)
    with pytest.raises(InvalidURLError) as e:
        normalize_url("http://reader:s3cret@0177.0.0.1/feed")
    assert "s3cret" not in str(e.value) and "http://0177.0.0.1/feed" in str(e.value)
