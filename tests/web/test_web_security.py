"""Security of the web front end, against the real app: stored XSS through feed titles, bylines,
source names, article HTML and search terms; the token on writes; request limits; path traversal in
static files; the security headers on every kind of response.

The hostile store is a copy of the sample corpus plus one RSS feed and one HTML page written here,
ingested through ``Desk.ingest`` as any feed or page would be.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import lxml.html
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from lxml import etree
from starlette.routing import Match

from newsdesk import open_desk
from newsdesk.config import load_config
from newsdesk.web import create_app
from newsdesk.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

TOKEN = "s3cret-token-for-tests"
ATOM = "{http://www.w3.org/2005/Atom}"

HOSTILE_TITLE = (
    '<script>alert(1)</script> Harbour <img src=x onerror=alert(1)> pier "><svg onload=alert(1)> reopens'
)

HOSTILE_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Evil &lt;script&gt;alert(1)&lt;/script&gt; Gazette</title>
<link>https://evil.example/</link>
<description>A feed that tries everything.</description>
<item>
<title>&lt;script&gt;alert(1)&lt;/script&gt; Harbour &lt;img src=x onerror=alert(1)&gt; pier
"&gt;&lt;svg onload=alert(1)&gt; reopens</title>
<link>https://evil.example/news/pier-reopens</link>
<dc:creator>&lt;script&gt;alert('byline')&lt;/script&gt;</dc:creator>
<category>&lt;script&gt;alert('category')&lt;/script&gt;</category>
<description>&lt;img src=x onerror=alert(1)&gt; The pier &lt;a href="javascript:alert(1)"&gt;reopened&lt;/a&gt;
"&gt;&lt;svg onload=alert(1)&gt;</description>
<content:encoded><![CDATA[<p>The old harbour pier reopened on Tuesday after two years of repairs, the
council said. <script>alert(1)</script> Workers replaced the timber deck and the iron railings, and
the lifeboat station moved back to its old slipway.</p>
<p>Visitors queued from early morning. <img src=x onerror=alert(1)> A brass band played as the mayor
cut the ribbon, and children ran the length of the deck to the lighthouse at the far end.</p>
<p>Read the <a href="javascript:alert(1)">council report</a> or the
<a href="JaVaScRiPt:alert(2)">minutes</a>. "><svg onload=alert(1)> The repairs cost four million,
shared between the council and the regional harbour fund, and came in under budget, officials said.
Fishing boats will be able to tie up again from next month.</p>
<p>Literal text: &lt;script&gt;alert(3)&lt;/script&gt; and &lt;img src=x onerror=alert(4)&gt; and
javascript:alert(5) stay text.</p>]]></content:encoded>
<pubDate>Thu, 12 Mar 2026 09:00:00 +0000</pubDate>
</item>
</channel>
</rss>
"""

HOSTILE_PAGE = """<!doctype html><html><head>
<title>Tide gauge &lt;script&gt;alert(1)&lt;/script&gt; installed</title>
<meta property="og:title" content="Tide gauge &lt;script&gt;alert(1)&lt;/script&gt; installed">
<meta property="og:site_name" content="Evil Page Times">
<meta name="author" content="&lt;img src=x onerror=alert(1)&gt;">
<meta name="description" content="&quot;&gt;&lt;svg onload=alert(1)&gt; a tide gauge">
<link rel="canonical" href="https://evilpage.example/2026/03/12/tide-gauge">
<meta property="article:published_time" content="2026-03-12T10:00:00Z">
<script>alert('head')</script></head>
<body onload="alert(1)"><article><h1>Tide gauge &lt;script&gt;alert(1)&lt;/script&gt; installed</h1>
<p>A new tide gauge was installed at the harbour mouth on Wednesday, giving fishermen and sailors live
readings of the water level. &lt;script&gt;alert(1)&lt;/script&gt; The gauge sends a reading every
minute to the harbour office.</p>
<p>Engineers said the old gauge, installed in 1962, had drifted by several centimetres.
&lt;img src=x onerror=alert(1)&gt; The new one uses radar and has no moving parts, so it should need
little maintenance over the coming decades.</p>
<p onclick="alert(1)">Readings will be published online, the harbour master said.
"&gt;&lt;svg onload=alert(1)&gt; A <a href="javascript:alert(1)">link</a> and javascript:alert(2) in
the text. The council paid for the gauge from its coastal fund, and a second one is planned for the
river mouth next year if the first works well.</p>
<script>alert('body')</script><img src=x onerror="alert(1)">
</article></body></html>
"""

#: A page whose own addresses are scripts: canonical, og:url and its "Source link".
HOSTILE_LINKS_PAGE = """<!doctype html><html><head><title>Ferry timetable changes for spring</title>
<link rel="canonical" href="javascript:alert(1)">
<meta property="og:url" content="javascript:alert(2)">
<meta property="og:site_name" content="Evil Links Daily">
<meta property="article:published_time" content="2026-03-12T11:00:00Z">
</head><body><article><h1>Ferry timetable changes for spring</h1>
<p>The ferry company will run two extra crossings a day from April, with an early sailing for
commuters and a late one on Fridays and Saturdays, it said on Thursday.</p>
<p>Fares will stay the same until the summer, when the company will review them with the harbour
board. Passengers asked for the changes in a survey last year, the company said, and most wanted an
earlier first crossing.</p>
<p>Source link: <a href="javascript:alert(document.cookie)">Original report</a></p>
<p>Originally published at <a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">the gazette</a>.</p>
</article></body></html>
"""

#: Search terms that are themselves attacks (reflected on the search page and in feed titles).
HOSTILE_QUERIES = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "<img src=x onerror=alert(1)> pier",
    "javascript:alert(1)",
]


@dataclass(frozen=True)
class Hostile:
    db: Path
    feed_article: int
    page_article: int
    links_article: int
    source: str
    stories: tuple[int, ...]


def _copy_store(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        extra = src.with_name(src.name + suffix)
        if extra.exists():
            shutil.copyfile(extra, dst.with_name(dst.name + suffix))
    return dst


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> Hostile:
    folder = tmp_path_factory.mktemp("hostile")
    db = _copy_store(sample_store, folder / "store" / "hostile.sqlite")
    inputs = folder / "inputs"
    inputs.mkdir()
    (inputs / "evil.xml").write_text(HOSTILE_FEED, encoding="utf-8")
    (inputs / "tide-gauge.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    (inputs / "ferry.html").write_text(HOSTILE_LINKS_PAGE, encoding="utf-8")
    with open_desk(db) as desk:
        report = desk.ingest([inputs])
        assert report.new == 3, report.as_dict()
        links_article = next(i for i in report.article_ids if "Ferry" in desk.get_article(i).article.title)
        feed_article = desk.get_article("https://evil.example/news/pier-reopens")
        page_article = desk.get_article("https://evilpage.example/2026/03/12/tide-gauge")
        # Extraction keeps hostile strings as text: that is what the front end must escape.
        assert "<script>" in feed_article.article.title
        assert feed_article.article.source and "<script>" in feed_article.article.source
        stories = tuple(
            s.id for s in (desk.story_of(feed_article.id), desk.story_of(page_article.id)) if s is not None
        )
        return Hostile(
            db, feed_article.id, page_article.id, links_article, feed_article.article.source, stories
        )


def _app(db: Path, **settings: Any) -> FastAPI:
    return create_app(load_config({"db": str(db), "web_token": TOKEN, **settings}))


@pytest.fixture(scope="module")
def app(hostile: Hostile) -> FastAPI:
    return _app(hostile.db)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def assert_routed(app: FastAPI, path: str) -> None:
    """Some route of the app answers ``path``. Why fail rather than skip: a renamed or removed route
    would otherwise turn an XSS or token test into a skip that nobody reads."""
    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    assert any(route.matches(scope)[0] is not Match.NONE for route in app.router.routes), (
        f"no route answers {path}: renamed or removed? point the security tests at its new address"
    )


def _get_page(client: TestClient, app: FastAPI, url: str) -> str:
    assert_routed(app, url.split("?", 1)[0])
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


# -- what counts as executable markup ----------------------------------------------------------------

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application", "data:image/svg")
_FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "link"}


def _bad_url(value: str) -> bool:
    squashed = "".join(ch for ch in value if ch > " ").lower()
    return squashed.startswith(_BAD_SCHEMES)


def assert_no_executable_markup(body: str, where: str) -> None:
    """No script but our own files, no event handler, no javascript: URL, nothing inline that CSP
    would have to block, no element that loads or frames another document."""
    # Raw text: an escape that failed shows up verbatim.
    for raw in ("<script>alert", "<img src=x", "<svg onload", '"><svg', '<a href="javascript'):
        assert raw not in body, f"{where}: unescaped {raw!r}"
    doc = lxml.html.document_fromstring(body)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        tag = el.tag.lower()
        if tag == "script":
            src = el.get("src") or ""
            assert src.startswith("/static/"), (
                f"{where}: a script that is not ours: {lxml.html.tostring(el)!r}"
            )
            assert not (el.text or "").strip(), f"{where}: an inline script"
        if tag == "link":
            rel = (el.get("rel") or "").lower()
            href = el.get("href") or ""
            assert rel in {"stylesheet", "icon", "alternate", "canonical", "search", "manifest"}, where
            if rel == "stylesheet":
                assert href.startswith("/static/"), f"{where}: a stylesheet from elsewhere: {href}"
        elif tag in _FORBIDDEN_TAGS:
            raise AssertionError(f"{where}: a <{tag}> element")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            raise AssertionError(f"{where}: a meta refresh")
        for name, value in el.attrib.items():
            lname = name.lower()
            assert not lname.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            assert lname != "style", f"{where}: an inline style on <{tag}>"
            if lname in _URL_ATTRIBUTES or lname.endswith("href"):
                assert not _bad_url(value), f"{where}: <{tag} {name}={value!r}>"
            if lname == "srcset":
                assert "javascript" not in value.lower(), where


def assert_safe_atom(body: bytes, where: str) -> etree._Element:
    parsed = feedparser.parse(body)
    assert not parsed.bozo, f"{where}: {parsed.get('bozo_exception')}"
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == ATOM + "feed"
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag.startswith(ATOM), f"{where}: a foreign element {el.tag}"
        if el.tag in (ATOM + "title", ATOM + "summary", ATOM + "subtitle", ATOM + "rights", ATOM + "content"):
            assert el.get("type", "text") == "text", f"{where}: {el.tag} is not plain text"
            assert len(el) == 0, f"{where}: markup inside {el.tag}"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), where
            if name in ("href", "uri", "src"):
                assert value.startswith(("http://", "https://")), f"{where}: {name}={value!r}"
    return root


def _walk_html_fields(value: Any, where: str) -> None:
    """JSON is not HTML, but a field that carries HTML (``*_html``) must be sanitised HTML."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and k.endswith("_html"):
                assert_no_executable_markup(f"<div>{v}</div>", f"{where}.{k}")
            else:
                _walk_html_fields(v, f"{where}.{k}")
    elif isinstance(value, list):
        for n, v in enumerate(value):
            _walk_html_fields(v, f"{where}[{n}]")


# -- stored XSS on the site ------------------------------------------------------------------------


def test_hostile_strings_are_stored_as_text(hostile: Hostile) -> None:
    with open_desk(hostile.db) as desk:
        a = desk.get_article(hostile.feed_article).article
        assert a.title == HOSTILE_TITLE.replace("\n", " ") or "<script>alert(1)</script>" in a.title
        assert "alert('byline')" in (a.byline or "")
        page = desk.get_article(hostile.page_article).article
        assert "<script>alert(1)</script>" in page.text
        assert "<img src=x onerror=alert(1)>" in page.text


def test_front_page_escapes_hostile_titles(client: TestClient, app: FastAPI) -> None:
    assert_no_executable_markup(_get_page(client, app, "/"), "/")


@pytest.mark.parametrize("category", ["World", "Business", "<script>alert(1)</script>", '"><svg onload=1>'])
def test_front_page_tabs(client: TestClient, app: FastAPI, category: str) -> None:
    assert_routed(app, "/")
    r = client.get("/", params={"category": category})
    assert r.status_code == 200, r.status_code  # a category with no articles is an empty tab
    assert_no_executable_markup(r.text, f"/?category={category}")


def test_article_pages_escape_hostile_text(client: TestClient, app: FastAPI, hostile: Hostile) -> None:
    for article_id in (hostile.feed_article, hostile.page_article):
        body = _get_page(client, app, f"/article/{article_id}")
        assert_no_executable_markup(body, f"/article/{article_id}")
        # Escaped, not eaten: the hostile text is shown to the reader as text.
        text = lxml.html.document_fromstring(body).text_content()
        assert "<script>alert(1)</script>" in text


def test_article_page_of_a_page_with_script_addresses(
    client: TestClient, app: FastAPI, hostile: Hostile
) -> None:
    url = f"/article/{hostile.links_article}"
    assert_no_executable_markup(_get_page(client, app, url), url)


def test_story_pages_escape_hostile_titles(client: TestClient, app: FastAPI, hostile: Hostile) -> None:
    assert hostile.stories, "the hostile articles were clustered into stories"
    for story_id in hostile.stories:
        assert_no_executable_markup(_get_page(client, app, f"/story/{story_id}"), f"/story/{story_id}")


def test_source_page_escapes_a_hostile_source_name(
    client: TestClient, app: FastAPI, hostile: Hostile
) -> None:
    url = "/source/" + quote(hostile.source, safe="")
    assert_no_executable_markup(_get_page(client, app, url), url)


@pytest.mark.parametrize("query", [*HOSTILE_QUERIES, "pier", "tide gauge"])
def test_search_page_escapes_terms_and_results(client: TestClient, app: FastAPI, query: str) -> None:
    assert_routed(app, "/search")
    r = client.get("/search", params={"q": query})
    assert r.status_code in (200, 400), (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    assert_no_executable_markup(r.text, f"/search?q={query}")


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_filters_are_escaped(client: TestClient, app: FastAPI, query: str) -> None:
    params = {"q": "pier", "source": query, "category": query, "language": query}
    assert_routed(app, "/search")
    r = client.get("/search", params=params)
    assert r.status_code in (200, 400), r.status_code
    assert_no_executable_markup(r.text, f"/search filters {query}")


def test_error_pages_escape_the_address(client: TestClient) -> None:
    for url in ("/no/<script>alert(1)</script>", '/article/"><svg onload=alert(1)>', "/story/<img src=x>"):
        r = client.get(url)
        assert r.status_code in (400, 404), (url, r.status_code)
        assert r.headers["content-type"].startswith("text/html")
        assert_no_executable_markup(r.text, url)


# -- the API and the feeds -----------------------------------------------------------------------


def test_api_carries_hostile_text_as_json_only(client: TestClient, app: FastAPI, hostile: Hostile) -> None:
    urls = [
        f"/api/v1/articles/{hostile.feed_article}",
        f"/api/v1/articles/{hostile.page_article}",
        f"/api/v1/articles/{hostile.links_article}",
        "/api/v1/articles",
        "/api/v1/articles?q=pier",
        "/api/v1/articles?" + "q=" + quote("<script>alert(1)</script>"),
        *(f"/api/v1/stories/{s}" for s in hostile.stories),
    ]
    for url in urls:
        assert_routed(app, url.split("?")[0])
        r = client.get(url)
        assert r.status_code in (200, 400), (url, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/json"), url
        assert r.headers["x-content-type-options"] == "nosniff"
        _walk_html_fields(r.json(), url)


def test_feeds_carry_hostile_text_as_text(client: TestClient, hostile: Hostile) -> None:
    urls = [
        "/feeds/all.atom",
        "/feeds/originals.atom",
        "/feeds/source/" + quote(hostile.source, safe="") + ".atom",
        *(f"/feeds/story/{s}.atom" for s in hostile.stories),
        "/feeds/search.atom?q=pier",
        "/feeds/search.atom?q=tide",
    ]
    titles: set[str] = set()
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
        root = assert_safe_atom(r.content, url)
        titles |= {t.text or "" for t in root.iter(ATOM + "title")}
        for summary in root.iter(ATOM + "summary"):
            assert len((summary.text or "").split()) <= 51, url
    # Shown as the text it is (escaped in the XML), not dropped and not turned into markup.
    assert any("<script>alert(1)</script> Harbour" in t for t in titles)
    assert any("Evil <script>alert(1)</script> Gazette" in t for t in titles)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_feed_with_hostile_query(client: TestClient, query: str) -> None:
    r = client.get("/feeds/search.atom", params={"q": query, "source": query})
    if r.status_code == 400:  # nothing searchable in it: the error page, escaped
        assert_no_executable_markup(r.text, f"/feeds/search.atom?q={query}")
        return
    assert r.status_code == 200
    root = assert_safe_atom(r.content, f"/feeds/search.atom?q={query}")
    assert query in (root.findtext(ATOM + "title") or "")


# -- the token on writes ---------------------------------------------------------------------------

_WRITES = [
    ("POST", "/api/v1/sources", {"url": "https://example.com/feed.xml"}),
    ("DELETE", "/api/v1/sources/1", None),
    ("POST", "/api/v1/sources/1/pause", None),
    ("POST", "/api/v1/sources/1/resume", None),
]


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:300])
    body: dict[str, Any] = r.json()
    assert body["error"]["status"] == status
    assert body["error"]["code"] and body["error"]["message"]
    return body


@pytest.mark.parametrize(("method", "path", "payload"), _WRITES)
def test_write_without_token_is_401(
    client: TestClient, app: FastAPI, method: str, path: str, payload: Any
) -> None:
    assert_routed(app, path)
    r = client.request(method, path, json=payload)
    _error(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", TOKEN):
        _error(client.request(method, path, json=payload, headers={"Authorization": header}), 401)


@pytest.mark.parametrize(("method", "path", "payload"), _WRITES)
def test_write_with_wrong_token_is_403(
    client: TestClient, app: FastAPI, method: str, path: str, payload: Any
) -> None:
    assert_routed(app, path)
    for wrong in ("nope", TOKEN + "x", TOKEN[:-1], TOKEN.upper()):
        r = client.request(method, path, json=payload, headers={"Authorization": f"Bearer {wrong}"})
        _error(r, 403)


@pytest.mark.parametrize(("method", "path", "payload"), _WRITES)
def test_writes_are_off_without_a_configured_token(
    hostile: Hostile, method: str, path: str, payload: Any
) -> None:
    app = create_app(load_config({"db": str(hostile.db), "web_token": ""}))
    assert_routed(app, path)
    with TestClient(app) as c:
        for given_token in ("", "anything"):
            r = c.request(method, path, json=payload, headers={"Authorization": f"Bearer {given_token}"})
            _error(r, 401 if not given_token else 403)


def test_right_token_writes(client: TestClient, app: FastAPI) -> None:
    assert_routed(app, "/api/v1/sources/1/pause")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/v1/sources/1/pause", headers=auth)
    assert r.status_code == 200, r.text
    r = client.post("/api/v1/sources/1/resume", headers=auth)
    assert r.status_code == 200, r.text


# -- request limits --------------------------------------------------------------------------------

LIMIT = 1024


@pytest.fixture(scope="module")
def small(hostile: Hostile) -> Iterator[TestClient]:
    """The app with a 1 KiB body limit."""
    app = _app(hostile.db, web_max_request_bytes=LIMIT)

    @app.post("/api/v1/_test_echo")
    async def echo(request: Request) -> dict[str, int]:  # reads the whole body, as any JSON route does
        return {"bytes": len(await request.body())}

    with TestClient(app) as c:
        yield c


def test_declared_body_over_the_limit_is_413_json_under_api(small: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = json.dumps({"url": "https://example.com/feed.xml", "pad": "x" * LIMIT}).encode()
    r = small.post("/api/v1/sources", content=body, headers={**auth, "Content-Type": "application/json"})
    _error(r, 413)
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_declared_body_over_the_limit_is_413_page_elsewhere(small: TestClient) -> None:
    r = small.post("/search", content=b"q=" + b"x" * LIMIT)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["x-frame-options"] == "DENY"


def test_streamed_body_over_the_limit_is_413(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b"x" * 256

    r = small.post("/api/v1/_test_echo", content=chunks())
    assert r.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in r.request.headers
    _error(r, 413)


def test_body_at_the_limit_passes(small: TestClient) -> None:
    r = small.post("/api/v1/_test_echo", content=b"x" * LIMIT)
    assert r.status_code == 200
    assert r.json() == {"bytes": LIMIT}

    def chunks() -> Iterator[bytes]:
        yield b"x" * (LIMIT // 2)
        yield b"x" * (LIMIT // 2)

    r = small.post("/api/v1/_test_echo", content=chunks())
    assert r.status_code == 200
    assert r.json() == {"bytes": LIMIT}


def test_streamed_body_over_the_limit_is_413_over_http(server: _Server, app: FastAPI) -> None:
    assert_routed(app, "/api/v1/sources")
    limit = app.state.config.web_max_request_bytes

    def chunks() -> Iterator[bytes]:
        yield b'{"url": "https://example.com/feed.xml", "pad": "'
        for _ in range(2 * limit // 4096 + 2):
            yield b"x" * 4096

    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    status, body = server.chunked("/api/v1/sources", chunks(), auth)
    assert status == 413
    assert b'"request_too_large"' in body


def test_bad_content_length_is_400(small: TestClient) -> None:
    r = small.post("/api/v1/_test_echo", content=b"x", headers={"Content-Length": "-1"})
    assert r.status_code == 400


def test_long_urls_are_414(client: TestClient) -> None:
    r = client.get("/search", params={"q": "a" * 9000})
    assert r.status_code == 414
    assert r.headers["content-type"].startswith("text/html")
    r = client.get("/api/v1/articles", params={"q": "a" * 9000})
    _error(r, 414)
    assert client.get("/feeds/search.atom", params={"q": "pier " * 100}).status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("DELETE", "/feeds/all.atom"),
        ("PUT", "/feeds/all.atom"),
        ("TRACE", "/feeds/all.atom"),
        ("FOO", "/feeds/all.atom"),
        ("POST", "/static/site.css"),
        ("PATCH", "/api/v1/openapi.json"),
    ],
)
def test_unknown_methods_are_405(client: TestClient, method: str, url: str) -> None:
    r = client.request(method, url)
    assert r.status_code == 405, (method, url, r.status_code)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["allow"] == "GET, HEAD, OPTIONS"  # HTTP: every 405 names what the path takes


# -- static files --------------------------------------------------------------------------------

#: Ways out of /static/, as the raw request target a client sends.
TRAVERSALS = [
    "/static/../core.py",
    "/static/../../newsdesk/core.py",
    "/static/../../../../../../etc/passwd",
    "/static/..%2fcore.py",
    "/static/%2e%2e/core.py",
    "/static/%2e%2e%2fcore.py",
    "/static/%2e%2e%2f%2e%2e%2fcore.py",
    "/static/%2e%2e%5ccore.py",
    "/static/..%5c..%5ccore.py",
    "/static/%252e%252e%252fcore.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/%2Fetc/passwd",
    "/static/..%00/core.py",
    "/static/site.css%00.py",
    "/static/%00",
    "/static/.",
    "/static/..",
    "/static/templates/../../app.py",
]

_OUTSIDE = ("The Desk: the one object", "root:x:0:0", "The ASGI app and the desks", "def create_app")


class _Server:
    """The real app under uvicorn on 127.0.0.1, to send request targets no client library would."""

    def __init__(self, app: FastAPI) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve(sockets=[self.sock])))

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

    def raw(self, target: str, method: str = "GET") -> tuple[int, bytes]:
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return int(head.split(b" ", 2)[1]), body

    def chunked(self, target: str, chunks: Iterator[bytes], headers: dict[str, str]) -> tuple[int, bytes]:
        """POST a body in chunks without a Content-Length, as a streaming client does."""
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(
                f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                f"Transfer-Encoding: chunked\r\n{head}\r\n".encode()
            )
            try:
                for chunk in chunks:
                    s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                s.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed before the end: what a limit does
            data = b""
            try:
                while chunk := s.recv(65536):
                    data += chunk
            except ConnectionResetError:
                pass
        head_bytes, _, body = data.partition(b"\r\n\r\n")
        return int(head_bytes.split(b" ", 2)[1]), body


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[_Server]:
    with _Server(app) as s:
        yield s


def test_static_serves_its_own_files(server: _Server, app: FastAPI) -> None:
    status, body = server.raw("/static/site.css")
    assert status == 200 and body


@pytest.mark.parametrize("target", TRAVERSALS)
def test_static_refuses_traversal_over_http(server: _Server, target: str) -> None:
    status, body = server.raw(target)
    assert status in (400, 404), (target, status)
    text = body.decode("utf-8", "replace")
    for marker in _OUTSIDE:
        assert marker not in text, (target, marker)


@pytest.mark.parametrize("target", TRAVERSALS)
def test_static_refuses_traversal_in_process(client: TestClient, target: str) -> None:
    r = client.get(target)
    for marker in _OUTSIDE:
        assert marker not in r.text, (target, marker)
    # httpx removes dot segments before sending ("/static/.." asks for "/"): the raw targets are
    # what the test over HTTP above is for. What still reaches /static/ must be refused.
    if r.request.url.raw_path.startswith(b"/static/"):
        assert r.status_code in (400, 404), (target, r.status_code)


def test_absolute_path_as_request_target_is_refused(server: _Server) -> None:
    status, body = server.raw("/static/" + str(Path(__file__).resolve()))
    assert status in (400, 404)
    assert b"Security of the web front end" not in body


# -- headers on every kind of response -------------------------------------------------------------


def _assert_headers(r: Any, what: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, (what, name, r.headers.get(name))


@pytest.mark.parametrize(
    ("what", "method", "url", "status"),
    [
        ("API JSON", "GET", "/api/v1/openapi.json", 200),
        ("API error", "GET", "/api/v1/no-such-thing", 404),
        ("API 405", "PUT", "/api/v1/openapi.json", 405),
        ("feed", "GET", "/feeds/all.atom", 200),
        ("feed HEAD", "HEAD", "/feeds/all.atom", 200),
        ("feed 404", "GET", "/feeds/story/999999.atom", 404),
        ("feed 400", "GET", "/feeds/search.atom", 400),
        ("static", "GET", "/static/site.css", 200),
        ("static 404", "GET", "/static/no-such-file.css", 404),
        ("page 404", "GET", "/no/such/page", 404),
        ("414", "GET", "/" + "a" * 9000, 414),
        ("400 NUL", "GET", "/static/%00", 400),
    ],
)
def test_headers_on_every_response(client: TestClient, what: str, method: str, url: str, status: int) -> None:
    r = client.request(method, url)
    assert r.status_code == status, (what, r.status_code)
    _assert_headers(r, what)


def test_headers_on_pages(client: TestClient, app: FastAPI, hostile: Hostile) -> None:
    for url in ("/", f"/article/{hostile.feed_article}", "/search?q=pier"):
        assert_routed(app, url.split("?")[0])
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        _assert_headers(r, url)


def test_headers_on_304(client: TestClient) -> None:
    etag = client.get("/feeds/all.atom").headers["etag"]
    r = client.get("/feeds/all.atom", headers={"If-None-Match": etag})
    assert r.status_code == 304
    _assert_headers(r, "304")


def test_headers_and_shape_of_a_crash(hostile: Hostile) -> None:
    app = _app(hostile.db)

    @app.get("/api/v1/_test_crash")
    def crash_api() -> None:
        raise RuntimeError("boom: secret detail")

    @app.get("/_test_crash")
    def crash_page() -> None:
        raise RuntimeError("boom: secret detail")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/_test_crash")
        _error(r, 500)
        assert "secret" not in r.text
        _assert_headers(r, "API 500")
        r = c.get("/_test_crash")
        assert r.status_code == 500
        assert r.headers["content-type"].startswith("text/html")
        assert "secret" not in r.text
        _assert_headers(r, "page 500")


def test_401_has_the_headers_too(client: TestClient, app: FastAPI) -> None:
    assert_routed(app, "/api/v1/sources")
    r = client.post("/api/v1/sources", json={"url": "https://example.com/"})
    assert r.status_code == 401
    _assert_headers(r, "401")


# -- the policy ------------------------------------------------------------------------------------


def test_the_policy_is_the_one_the_site_promises() -> None:
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    assert SECURITY_HEADERS["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_api_docs_page_needs_nothing_the_policy_refuses(client: TestClient, app: FastAPI) -> None:
    """The docs page is ours, but it must still work under the CSP: local scripts only."""
    body = _get_page(client, app, "/api/docs")
    assert_no_executable_markup(body, "/api/docs")  # scripts and styles from /static/ only
