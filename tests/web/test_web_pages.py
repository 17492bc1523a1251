"""The site's pages, in-process (FastAPI's TestClient) over the bundled sample corpus.

What they prove: every page answers with the content it promises (top stories ranked and filtered
by category, originals before copies, a copy's Source link and evidence, highlighted search
results with paging), unknown ids are 404 pages, stored text is escaped, every page has one h1,
headings in order, labelled landmarks and no inline script or style, and no page reads the whole
store (the unbounded store reads are made to fail while the pages are fetched).
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from newsdesk import Desk, open_desk
from newsdesk.config import load_config
from newsdesk.model import HIGHLIGHT_END, HIGHLIGHT_START, SearchFilters, StoryDecision
from newsdesk.store.sqlite import SQLiteStore
from newsdesk.web import create_app, pages
from newsdesk.web.templating import ago, highlight, host, paragraphs, timetag

TOKEN = "test-token-for-pages"


def make_client(db: Path) -> TestClient:
    return TestClient(create_app(load_config({"db": str(db), "web_token": TOKEN})))


@pytest.fixture(scope="module")
def client(sample_store: Path) -> Iterator[TestClient]:
    with make_client(sample_store) as c:
        yield c


@pytest.fixture(scope="module")
def ids(sample_store: Path, truth: dict[str, Any]) -> dict[str, int]:
    """Sample article key (``e01-worldnewsnow``) -> stored id."""
    out = {}
    with open_desk(sample_store) as desk:
        for key, art in truth["articles"].items():
            out[key] = desk.get_article(art["url"]).id  # a syndicated copy's canonical URL is its original's
    return out


# -- an HTML outline ---------------------------------------------------------------------------


class Outline(HTMLParser):
    """Headings, landmarks, links, images and the other things the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[dict[str, str | None], str]] = []
        self._heading: list[str] | None = None
        self._level = 0
        self._link: tuple[dict[str, str | None], list[str]] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading, self._level = [], int(tag[1])
        if tag == "a":
            self._link = (a, [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append((self._level, " ".join("".join(self._heading).split())))
            self._heading = None
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def hrefs(self) -> list[str]:
        return [a.get("href") or "" for a, _ in self.links]


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


def check_structure(html: str) -> Outline:
    """One h1 first, headings never skip a level going down, labelled landmarks, a skip link to
    main, alt text on every image, lang on <html>, nothing inline the CSP would refuse."""
    page = outline(html)
    levels = [lvl for lvl, _ in page.headings]
    assert levels and levels[0] == 1, page.headings
    assert levels.count(1) == 1, page.headings
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading jumps from h{before} to h{after}: {page.headings}"
    assert page.find("html")[0].get("lang")
    assert page.find("meta", name="viewport")
    assert len(page.find("header")) >= 1 and len(page.find("footer")) == 1
    assert page.find("main", id="main")
    navs = page.find("nav")
    assert navs and all(n.get("aria-label") for n in navs)
    assert any(a.get("href") == "#main" for a, _ in page.links), "skip link"
    for img in page.find("img"):
        assert img.get("alt") is not None, img
    assert page.find("link", rel="stylesheet", href="/static/site.css")
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    return page


# -- the front page ----------------------------------------------------------------------------


def test_front_lists_top_stories_ranked(
    client: TestClient, sample_store: Path, truth: dict[str, Any]
) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = check_structure(r.text)
    titles = {a["title"] for a in truth["articles"].values()}
    story_links = [(a["href"], text) for a, text in page.links if (a.get("href") or "").startswith("/story/")]
    assert len(story_links) >= 10
    # Stories are titled by one of their articles: sample titles (or a later revision of one).
    assert sum(text in titles for _, text in story_links[:10]) >= 8
    # The most covered events (seven sources each) lead the page.
    with open_desk(sample_store) as desk:
        top = desk.top_stories(limit=3)
        assert [f"/story/{s.id}" for s in top] == [h for h, _ in story_links[:3]]
        assert max(len(s.sources) for s in desk.stories()) == len(top[0].sources)
    assert "7 sources" in r.text
    # Atom and the search box are there for every page.
    assert page.find("link", rel="alternate", type="application/atom+xml", href="/feeds/all.atom")
    assert page.find("form", action="/search", method="get")
    label_for = {a.get("for") for a in page.find("label")}
    assert all(i.get("id") in label_for for i in page.find("input") if i.get("type") != "hidden")


def test_category_tab_filters(client: TestClient, sample_store: Path) -> None:
    r = client.get("/?category=Sport")
    assert r.status_code == 200
    page = check_structure(r.text)
    current = [(a, text) for a, text in page.links if a.get("aria-current") == "page"]
    assert ("Sport", "/?category=Sport") in [(text, a["href"]) for a, text in current]
    assert page.headings[0] == (1, "Top stories: Sport")
    listed = [
        int((a["href"] or "").rsplit("/", 1)[1])
        for a, _ in page.links
        if (a["href"] or "").startswith("/story/")
    ]
    assert listed
    with open_desk(sample_store) as desk:
        for sid in listed:
            assert (desk.story(sid).story.category or "").lower() == "sport"
        everything = {s.id for s in desk.stories()}
    assert set(listed) < everything
    tabs = {text: a["href"] for a, text in page.links if (a["href"] or "").startswith("/?category=")}
    assert {"Business", "Sport", "World"} <= set(tabs)
    # A category nobody writes in: a friendly empty page, not an error.
    r = client.get("/?category=Gardening")
    assert r.status_code == 200 and "Nothing in Gardening yet" in r.text


def test_front_of_an_empty_store(tmp_path: Path) -> None:
    with make_client(tmp_path / "empty.sqlite") as c:
        r = c.get("/")
    assert r.status_code == 200
    check_structure(r.text)
    assert "No news here yet" in r.text and "newsdesk ingest" in r.text


@pytest.mark.parametrize(
    "path", ["/", "/?category=World", "/search?q=council", "/api/docs", "/api/v1/articles"]
)
def test_conditional_get_and_head(client: TestClient, path: str) -> None:
    """Pages and API reads carry an ETag and Cache-Control, answer 304 to a matching
    If-None-Match, and answer HEAD with the GET's headers and no body."""
    r = client.get(path)
    assert r.status_code == 200
    etag = r.headers["etag"]
    assert etag.startswith('"') and "max-age" in r.headers["cache-control"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == etag
    assert head.headers["content-length"] == str(len(r.content))
    assert head.headers["content-type"] == r.headers["content-type"]


def test_errors_are_not_cached(client: TestClient) -> None:
    for path in ("/story/999999", "/article/999999", "/api/v1/articles/999999"):
        r = client.get(path)
        assert r.status_code == 404
        assert r.headers["cache-control"] == "no-store"
        assert "etag" not in r.headers
        assert client.head(path).status_code == 404


def test_front_page_follows_writes_from_other_processes(sample_store: Path, tmp_path: Path) -> None:
    """The front page's reads are kept between requests (``DeskPool.memo``) only until the store
    changes: an article ingested through another connection shows at once."""
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(sample_store, db)
    title = "Lighthouse keeper of Port Aven retires after forty years"
    record = {
        "url": "https://harbourgazette.example/news/2026/03/20/lighthouse",
        "title": title,
        "text": " ".join(f"The keeper spoke of storm number {i} at the lighthouse." for i in range(60)),
        "published": "2026-03-20T09:00:00Z",
        "source": "Harbour Gazette",
        "language": "en",
    }
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with make_client(db) as c:
        first = c.get("/")
        assert title not in first.text
        assert c.get("/").text == first.text  # kept: same page
        with open_desk(db) as other:
            assert other.ingest([path]).new == 1
        assert title in c.get("/").text
        assert title not in c.get("/?category=Sport").text


# -- a story -----------------------------------------------------------------------------------


def test_story_lists_originals_before_copies(
    client: TestClient, sample_store: Path, ids: dict[str, int]
) -> None:
    with open_desk(sample_store) as desk:
        story_id = desk.story_id_of(ids["e06-metroexpress"])  # a syndicated copy of e06-civicledger
        assert story_id is not None
        found = desk.story(story_id)
        story, members = found.story, found.articles
        copies = {m.id for m in members if desk.original_of(m.id) is not None}
    assert ids["e06-metroexpress"] in copies
    r = client.get(f"/story/{story_id}")
    assert r.status_code == 200
    page = check_structure(r.text)
    assert page.headings[0] == (1, story.title)
    h2 = [t for lvl, t in page.headings if lvl == 2]
    assert h2.index("Original reporting") < h2.index("Copies") < h2.index("Sources") < h2.index("Timeline")
    body = r.text
    originals_at = body.index("Original reporting")
    copies_at = body.index(">Copies<")
    for m in members:
        first = body.index(f'href="/article/{m.id}"')
        assert (originals_at < first < copies_at) == (m.id not in copies), m.id
    copy_block = body[copies_at : body.index(">Sources<")]
    assert "syndicated copy" in copy_block
    assert f'href="/article/{ids["e06-civicledger"]}"' in copy_block  # links its original
    assert page.find("link", rel="alternate", href=f"/feeds/story/{story_id}.atom")
    for name in story.sources:
        assert f'href="/source/{quote(name, safe="")}"' in body
    assert "First seen" in body and "Last seen" in body and "<time datetime=" in body


# -- an article --------------------------------------------------------------------------------


def test_spun_copy_shows_source_link_to_its_original_and_evidence(
    client: TestClient, sample_store: Path, truth: dict[str, Any], ids: dict[str, int]
) -> None:
    spun = truth["articles"]["e01-worldnewsnow"]
    assert spun["copy_kind"] == "rewritten"
    original = truth["articles"][spun["copy_of"]]
    r = client.get(f"/article/{ids['e01-worldnewsnow']}")
    assert r.status_code == 200
    page = check_structure(r.text)
    assert page.headings[0] == (1, spun["title"])
    to_original = [(a, text) for a, text in page.links if a.get("href") == original["canonical_url"]]
    assert any("Source link" in text for _, text in to_original), to_original
    assert all(a.get("rel") == "noopener noreferrer nofollow" for a, _ in to_original)
    # The first Source link is the article's own publisher; the original's comes with the copy.
    first = next(a for a, text in page.links if text.startswith("Source link"))
    assert first["href"] == spun["canonical_url"]
    copy_heading = next(t for lvl, t in page.headings if t.startswith("Copy of"))
    assert copy_heading == f"Copy of {original['title']}"
    assert f'href="/article/{ids[spun["copy_of"]]}"' in r.text
    text = " ".join("".join(page.text).split())
    assert "rewritten copy" in text
    for label in ("Evidence", "Shared quotes", "Shared figures", "Time order", "Declared source link"):
        assert label in text, label
    assert "copy published" in text and "after the original" in text
    # The article's own text, as paragraphs, in its language.
    assert page.find("article", lang="en")
    with open_desk(sample_store) as desk:
        stored = desk.get_article(ids["e01-worldnewsnow"]).article.text
    paras = paragraphs(stored)
    assert len(paras) >= 3
    shown = r.text.split('<div class="article-text">', 1)[1].split("</div>", 1)[0]
    assert shown.count("<p>") == len(paras)


def test_original_lists_its_known_copies_and_related(client: TestClient, ids: dict[str, int]) -> None:
    r = client.get(f"/article/{ids['e01-civicledger']}")
    assert r.status_code == 200
    page = check_structure(r.text)
    h2 = [t for lvl, t in page.headings if lvl == 2]
    assert "Known copies" in h2 and "Related articles" in h2
    copies_at = r.text.index(">Known copies<")
    assert f'href="/article/{ids["e01-worldnewsnow"]}"' in r.text[copies_at:]
    assert "rewritten copy" in r.text[copies_at:]
    assert "Copy of" not in r.text
    assert "In the same story" in r.text


def test_article_page_facts(client: TestClient, truth: dict[str, Any], ids: dict[str, int]) -> None:
    art = truth["articles"]["e02-civicledger"]
    r = client.get(f"/article/{ids['e02-civicledger']}")
    assert r.status_code == 200
    page = check_structure(r.text)
    text = " ".join("".join(page.text).split())
    assert art["author"] in text
    assert "The Civic Ledger" in text
    assert page.find("a", href="/source/The%20Civic%20Ledger")
    first_para = art["paragraphs"][0]
    assert " ".join(first_para.split())[:80] in text
    assert page.find("time")


# -- a source ----------------------------------------------------------------------------------


def test_source_page_provenance_and_paging(
    client: TestClient, sample_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 6)
    r = client.get("/source/Metro%20Express")
    assert r.status_code == 200
    page = check_structure(r.text)
    assert page.headings[0] == (1, "Metro Express")
    text = " ".join("".join(page.text).split())
    assert "Syndicated copies" in text and "Original (copies nobody)" in text
    assert "not a followed source" in text
    with open_desk(sample_store) as desk:
        prov = desk.source_provenance("Metro Express")
        mine = next(p for p in desk.provenance_by_source() if p.source == "Metro Express")
    assert prov == mine
    assert page.find("link", rel="alternate", href="/feeds/source/Metro%20Express.atom")

    # A followed source shows its health; a big one pages.
    r = client.get("/source/Northwind%20Herald")
    assert r.status_code == 200
    page = check_structure(r.text)
    assert "Health" in [t for _, t in page.headings]
    assert "northwind" in r.text and "Not fetched yet" in r.text
    nxt = [a["href"] or "" for a, _ in page.links if a.get("rel") == "next"]
    assert nxt == ["/source/Northwind%20Herald?page=2"]
    first = {h for h in page.hrefs() if h.startswith("/article/")}
    r2 = client.get(nxt[0])
    assert r2.status_code == 200
    page2 = check_structure(r2.text)
    assert [a["href"] for a, _ in page2.links if a.get("rel") == "prev"] == ["/source/Northwind%20Herald"]
    second = {h for h in page2.hrefs() if h.startswith("/article/")}
    assert second and not (first & second)
    assert client.get("/source/Northwind%20Herald?page=3").status_code == 200
    assert client.get("/source/Northwind%20Herald?page=4").status_code == 404


def test_source_page_finds_its_feed_by_site(sample_store: Path, tmp_path: Path) -> None:
    """A feed named by its title (not the outlet's name on its articles) is still the source's."""
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(sample_store, db)
    store = SQLiteStore(str(db))
    store.add_source(
        "feed",
        "https://www.metroexpress.example/rss/tech.xml",
        "Metro Express - Tech",
        added=datetime(2026, 3, 1, tzinfo=UTC),
    )
    store.add_source("feed", "https://other.example/rss.xml", "Other", added=datetime(2026, 3, 1, tzinfo=UTC))
    store.close()
    with make_client(db) as c:
        r = c.get("/source/Metro%20Express")
    assert r.status_code == 200
    assert "not a followed source" not in r.text
    assert "https://www.metroexpress.example/rss/tech.xml" in r.text
    assert "https://other.example/rss.xml" not in r.text


# -- search ------------------------------------------------------------------------------------


def test_search_highlights_and_pages(client: TestClient) -> None:
    r = client.get("/search", params={"q": "strike"})
    assert r.status_code == 200
    page = check_structure(r.text)
    assert "<mark>strike</mark>" in r.text.lower()
    assert page.find("link", rel="alternate", href="/feeds/search.atom?q=strike")
    assert page.find("a", href="/feeds/search.atom?q=strike")
    assert page.find("input", name="q", value="strike")

    r = client.get("/search", params={"q": "the"})
    page = check_structure(r.text)
    nxt = [a["href"] or "" for a, _ in page.links if a.get("rel") == "next"]
    assert nxt == ["/search?q=the&page=2"]
    r2 = client.get(nxt[0])
    assert r2.status_code == 200
    page2 = outline(r2.text)
    assert [a["href"] for a, _ in page2.links if a.get("rel") == "prev"] == ["/search?q=the"]
    one = [h for h in page.hrefs() if h.startswith("/article/")]
    two = [h for h in page2.hrefs() if h.startswith("/article/")]
    assert len(one) == 20 and two and not set(one) & set(two)
    assert page2.find("ol", start="21")


def test_search_filters(client: TestClient, sample_store: Path) -> None:
    r = client.get(
        "/search",
        params={
            "q": "strike",
            "source": "Northwind Herald",
            "category": "Business",
            "since": "2026-03-01",
            "until": "2026-03-31",
        },
    )
    assert r.status_code == 200
    page = check_structure(r.text)
    found = [int(h.rsplit("/", 1)[1]) for h in page.hrefs() if h.startswith("/article/")]
    assert found
    with open_desk(sample_store) as desk:
        for aid in found:
            a = desk.get_article(aid).article
            assert a.source == "Northwind Herald" and a.category == "business"
    assert "selected" in page.find("option", value="Business")[0]
    # The feed of this search carries the same filters.
    feed = [a["href"] for a in page.find("link", rel="alternate")]
    assert feed and "source=Northwind+Herald" in (feed[0] or "") and "since=2026-03-01" in (feed[0] or "")
    # until is inclusive of its day.
    r = client.get("/search", params={"q": "strike", "since": "2026-03-02", "until": "2026-03-02"})
    assert r.status_code == 200 and "<mark>" in r.text.lower()


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 200, "Type some words"),
        ({"q": "   "}, 200, "Type some words"),
        ({"q": '"'}, 400, "could not run"),
        ({"q": "strike", "since": "yesterday"}, 400, "YYYY-MM-DD"),
        ({"q": "zzzznotaword"}, 200, "No articles match"),
    ],
)
def test_search_empty_or_invalid(
    client: TestClient, params: dict[str, str], status: int, message: str
) -> None:
    r = client.get("/search", params=params)
    assert r.status_code == status
    check_structure(r.text)
    assert message in r.text


def test_search_term_is_escaped(client: TestClient) -> None:
    r = client.get("/search", params={"q": '<script>alert("q")</script>'})
    assert r.status_code in (200, 400)
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;" in r.text


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/story/999999",
        "/article/999999",
        "/source/Nobody%20Here",
        "/story/not-a-number",
        "/article/-1",
        "/no/such/page",
    ],
)
def test_unknown_is_a_404_page(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    page = check_structure(r.text)
    assert page.headings[0] == (1, "Not Found")
    assert "Content-Security-Policy" in r.headers


def test_static_files(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "prefers-color-scheme: dark" in css.text and ":focus-visible" in css.text
    assert "@import" not in css.text and "url(http" not in css.text and "@font-face" not in css.text
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")


# -- stored XSS ---------------------------------------------------------------------------------

EVIL = '<script>alert("pwned")</script>'


@pytest.fixture(scope="module")
def evil_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A store with one article whose every field carries markup."""
    folder = tmp_path_factory.mktemp("evil")
    words = " ".join(f"Harbour council word{i} report." for i in range(80))
    record = {
        "url": "https://evil.example/news/2026/03/01/a",
        "title": f"{EVIL} Harbour & council",
        "text": f"{EVIL}\n\n<img src=x onerror=alert(1)> {words}\n\nSecond paragraph & more.",
        "published": "2026-03-01T10:00:00Z",
        "source": f"Evil {EVIL} Source",
        "author": f"{EVIL} Byline",
        "section": f"{EVIL}",
        "language": "en",
    }
    path = folder / "evil.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = folder / "evil.sqlite"
    with open_desk(db) as desk:
        report = desk.ingest([path])
        assert report.new == 1, report
        aid = report.article_ids[0]
    return db, aid


def test_stored_markup_is_escaped_everywhere(evil_store: tuple[Path, int]) -> None:
    db, aid = evil_store
    with open_desk(db) as desk:
        a = desk.get_article(aid).article
        story_id = desk.story_id_of(aid)
        category = a.category or a.section or ""
    assert "<script>" in a.title  # stored as it came: escaping is the page's job
    pages = [
        "/",
        f"/article/{aid}",
        f"/story/{story_id}",
        f"/source/{quote(a.source or '', safe='')}",
        "/search?q=harbour",
        f"/?category={quote(category, safe='')}",
    ]
    with make_client(db) as c:
        for path in pages:
            r = c.get(path)
            assert r.status_code == 200, path
            assert "<script" not in r.text.lower(), path
            assert "<img src=x" not in r.text.lower(), path
            check_structure(r.text)
        r = c.get(f"/article/{aid}")
        assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in r.text
        assert "Harbour &amp; council" in r.text


# -- no page reads the whole store -------------------------------------------------------------


def test_pages_make_only_bounded_reads(
    sample_store: Path, tmp_path: Path, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copy(sample_store, db)

    def refuse(name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"a page called the unbounded store read {name}")

        return fail

    for name in ("iter_articles", "provenance_by_source", "story_assignments", "rejections", "stats"):
        monkeypatch.setattr(SQLiteStore, name, refuse(name))
    real_edges = SQLiteStore.copy_edges

    def edges(self: SQLiteStore, *, original_id: int | None = None, copy_id: int | None = None) -> Any:
        assert original_id is not None or copy_id is not None, "a page read every copy edge"
        return real_edges(self, original_id=original_id, copy_id=copy_id)

    monkeypatch.setattr(SQLiteStore, "copy_edges", edges)
    real_stories = SQLiteStore.stories

    def stories(self: SQLiteStore, **kwargs: Any) -> Any:
        assert kwargs.get("limit") is not None, "a page read every story"
        return real_stories(self, **kwargs)

    monkeypatch.setattr(SQLiteStore, "stories", stories)
    with open_desk(db) as desk:
        story_id = desk.story_id_of(ids["e01-civicledger"])
    with make_client(db) as c:
        for path in (
            "/",
            "/?category=World",
            f"/story/{story_id}",
            f"/article/{ids['e01-worldnewsnow']}",
            f"/article/{ids['e01-civicledger']}",
            "/source/The%20Civic%20Ledger",
            "/search?q=strike&category=Business",
        ):
            assert c.get(path).status_code == 200, path


# -- the filters -------------------------------------------------------------------------------


def test_filters() -> None:
    now = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
    assert ago(datetime(2026, 3, 12, 9, 0, tzinfo=UTC), now) == "3 h ago"
    assert ago(datetime(2026, 3, 12, 11, 55, tzinfo=UTC), now) == "5 min ago"
    assert ago(datetime(2026, 3, 10, 12, 0, tzinfo=UTC), now) == "2 days ago"
    assert ago(datetime(2026, 3, 12, 11, 59, 30, tzinfo=UTC), now) == "just now"
    assert ago(datetime(2026, 3, 12, 15, 0, tzinfo=UTC), now) == "in 3 h"
    assert ago(None) == ""
    tag = timetag(datetime(2026, 3, 2, 8, 15, tzinfo=UTC))
    assert tag == '<time datetime="2026-03-02T08:15:00Z">2 Mar 2026, 08:15 UTC</time>'
    assert host("https://www.example.com/a?b") == "example.com"
    assert host("not a url") == ""
    marked = highlight(f"<b>x</b> {HIGHLIGHT_START}storm{HIGHLIGHT_END} & {HIGHLIGHT_START}open")
    assert marked == "&lt;b&gt;x&lt;/b&gt; <mark>storm</mark> &amp; <mark>open</mark>"
    assert paragraphs("One\n\n  Two\nlines\n\n\nThree") == ["One", "Two lines", "Three"]
    assert paragraphs("One\nTwo\n") == ["One", "Two"]


# -- search cost bounds --------------------------------------------------------------------------


def test_search_window_ranks_only_the_newest_matches(sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        everything = desk.search("the", limit=1000)
        assert len(everything) > 50
        newest = sorted((h.id for h in everything), reverse=True)[:10]
        windowed = desk.search("the", limit=1000, window=10)
        assert sorted(h.id for h in windowed) == sorted(newest)
        # Ranked as the whole search ranks them, with the same snippets.
        by_id = {h.id: h for h in everything}
        assert [h.id for h in windowed] == [h.id for h in everything if h.id in set(newest)]
        assert all(h.snippet == by_id[h.id].snippet and h.rank == by_id[h.id].rank for h in windowed)
        # A window as large as the matches changes nothing; filters ignore the window.
        assert desk.search("the", limit=1000, window=10_000) == everything
        filtered = desk.search("the", SearchFilters(category="business"), limit=1000, window=10)
        assert filtered == desk.search("the", SearchFilters(category="business"), limit=1000)
        assert len(filtered) > 10
        # Paging walks the same order.
        pages = [h.id for o in (0, 20, 40) for h in desk.search("the", limit=20, offset=o)]
        assert pages == [h.id for h in everything[:60]]


def test_story_merges_are_shown_and_merged_ids_redirect(
    client: TestClient, sample_store: Path, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_desk(sample_store) as desk:
        sid = desk.story_id_of(ids["e01-civicledger"])
        assert sid is not None
    decision = StoryDecision("merge", sid, 4242, (ids["e01-civicledger"],), 0.71, "centroids 0.71 apart", 7)
    monkeypatch.setattr(Desk, "story_decisions", lambda self, story_id=None: [decision])
    r = client.get(f"/story/{sid}")
    assert r.status_code == 200
    check_structure(r.text)
    assert "Merges and splits" in r.text
    text = " ".join("".join(outline(r.text).text).split())
    assert f"Story #4242 was merged into story #{sid}: 1 article moved (score 0.71)" in text
    assert "centroids 0.71 apart" in text

    real = Desk.story_articles
    monkeypatch.setattr(
        Desk,
        "story_articles",
        lambda self, story_id, limit=50: real(self, sid if story_id == 4242 else story_id, limit=limit),
    )
    r = client.get("/story/4242", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == f"/story/{sid}"
