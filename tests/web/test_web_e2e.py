"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `newsdesk serve`.

The real server runs as a subprocess with two worker processes (as the benchmark runs it) on
127.0.0.1 over a copy of the sample store; the browser is /usr/bin/chromium (``make browser``
installs it; Playwright never downloads one). Every request the browser makes is recorded, and any
that would leave 127.0.0.1 is refused and fails the test; console errors (CSP violations among
them) and page errors fail it too.

Screenshots (light, dark, phone) go to ``artifacts/screenshots/`` at the repository root, for people
to look at. Without Chromium the tests skip, unless the environment variable CI is set: then they
fail, so CI cannot pass without running them.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from newsdesk import open_desk

from ..conftest import unavailable

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Pages every page-level check runs on, filled by the `site` fixture: name -> path.
PAGES = ("front", "story", "article", "source", "search", "api-docs", "entity", "entities", "quotes")


# -- the server -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Site:
    base: str
    db: Path
    paths: dict[str, str] = field(default_factory=dict)
    search_word: str = ""

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(scope="module")
def site(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`newsdesk serve` on a free port over a copy of the sample store."""
    db = tmp_path_factory.mktemp("e2e") / "sample.sqlite"
    shutil.copy(sample_store, db)
    port = _free_port()
    cmd = [sys.executable, "-m", "newsdesk", "--db", str(db), "serve", "--workers", "2"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    env = {**os.environ, "NEWSDESK_PROGRESS": "false"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"newsdesk serve exited with {proc.returncode}:\n{out}\n{err}", pytrace=False)
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("newsdesk serve did not answer within 60 s", pytrace=False)
                time.sleep(0.2)
        found = Site(base=base, db=db)
        with open_desk(db) as desk:
            story = max(desk.stories(), key=lambda s: (len(s.sources), s.size, -s.id))
            found.paths["front"] = "/"
            found.paths["story"] = f"/story/{story.id}"
            found.paths["article"] = f"/article/{story.title_article}"
            article = desk.get_article(story.title_article).article
            found.paths["entity"] = f"/entity/{desk.entity('Brannock Sill').id}"
        found.paths["entities"] = "/entities"
        found.paths["quotes"] = "/quotes?speaker=Brannock+Sill"
        title = article.title
        found.paths["source"] = f"/source/{quote(article.source or '', safe='')}"
        found.search_word = max(re.findall(r"[A-Za-z]{5,}", title), key=len).lower()
        found.paths["search"] = f"/search?q={found.search_word}"
        found.paths["api-docs"] = "/api/docs"
        yield found
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


# -- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (run `make browser` as root to install it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright's Python package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        # launch() gives the browser a new, empty profile of its own each time.
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def shots(request: pytest.FixtureRequest) -> Iterator[Path]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield SHOTS
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nscreenshots of the end-to-end tests: {SHOTS}")


class Watch:
    """Everything a browser context asked for and complained about."""

    def __init__(self, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []

    def attach(self, context: Any) -> None:
        context.route("**/*", self._route)
        context.on("page", self._page)

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.netloc == self.host:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _page(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _console(self, msg: Any) -> None:
        if msg.type == "error" or "Content Security Policy" in msg.text:
            self.errors.append(f"console {msg.type}: {msg.text} ({msg.location.get('url', '')})")

    def check(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.errors == [], "console errors or CSP violations:\n" + "\n".join(self.errors)
        assert self.requests, "no request was recorded"


@pytest.fixture
def new_page(browser: Any, site: Site) -> Iterator[Any]:
    """new_page(**context options) -> (page, watch); every context is checked at the end."""
    made: list[tuple[Any, Watch]] = []

    def make(**options: Any) -> tuple[Any, Watch]:
        context = browser.new_context(**options)
        watch = Watch(site.base)
        watch.attach(context)
        made.append((context, watch))
        return context.new_page(), watch

    yield make
    for context, _ in made:
        context.close()


def _go(page: Any, url: str, status: int = 200) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == status, f"{url}: {response and response.status}"


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


# -- the journey ----------------------------------------------------------------------------------


def test_journey_front_story_article_search_docs_feed(new_page: Any, site: Site, shots: Path) -> None:
    page, watch = new_page(viewport={"width": 1280, "height": 900}, color_scheme="light")
    _go(page, site.url("/"))
    _shot(page, shots, "front-light")

    # Front page -> a story.
    story_link = page.locator("main a[href^='/story/']").first
    assert story_link.count() == 1, "the front page links no story"
    story_link.click()
    page.wait_for_url(re.compile(r"/story/\d+$"))
    assert page.locator("h1").count() == 1
    _shot(page, shots, "story-light")

    # Story -> an article.
    article_link = page.locator("main a[href^='/article/']").first
    assert article_link.count() == 1, "the story page links no article"
    article_link.click()
    page.wait_for_url(re.compile(r"/article/\d+$"))
    article_id = int(page.url.rsplit("/", 1)[1])
    _shot(page, shots, "article-light")

    # Its "Source link" goes to the original publisher (checked, never followed: no internet here).
    source = page.get_by_role("link", name=re.compile(r"source link", re.I))
    assert source.count() >= 1, "the article page has no 'Source link'"
    href = source.first.get_attribute("href") or ""
    with open_desk(site.db) as desk:
        stored = desk.get_article(article_id).article
    assert href in (stored.url, stored.canonical_url), f"Source link {href!r} is not {stored.url!r}"
    assert urlsplit(href).scheme in ("http", "https")
    assert urlsplit(href).hostname not in ("127.0.0.1", "localhost")

    # A search from the header's form: highlighted results.
    box = page.locator("header form[action='/search'] input[name='q']")
    assert box.count() == 1, "the header has no search form (form action=/search, input name=q)"
    box.fill(site.search_word)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert parse_qs(urlsplit(page.url).query).get("q") == [site.search_word]
    marks = page.locator("main mark")
    assert marks.count() >= 1, f"no highlighted word in the results for {site.search_word!r}"
    assert site.search_word in (marks.first.inner_text() or "").lower()
    _shot(page, shots, "search-light")

    # The API docs page renders, from this server alone.
    _go(page, site.url("/api/docs"))
    page.wait_for_load_state("networkidle")
    assert "/api/v1/" in page.locator("body").inner_text()
    _shot(page, shots, "api-docs-light")

    # An Atom feed is announced, and answers.
    _go(page, site.url("/"))
    feeds = page.locator("link[rel='alternate'][type='application/atom+xml'], a[href^='/feeds/']")
    assert feeds.count() >= 1, "the front page announces no Atom feed"
    feed_href = feeds.first.get_attribute("href") or ""
    answer = page.request.get(site.url(feed_href) if feed_href.startswith("/") else feed_href)
    assert answer.status == 200
    assert "atom" in answer.headers.get("content-type", "")
    assert "<feed" in answer.text()
    watch.check()


def test_journey_who_said_what(new_page: Any, site: Site, shots: Path) -> None:
    """The quote search's form, a speaker's entity page, and back to an article that quotes them."""
    page, watch = new_page(viewport={"width": 1280, "height": 900}, color_scheme="light")
    _go(page, site.url("/quotes"))
    page.locator("main form input[name='speaker']").fill("Brannock Sill")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/quotes\?speaker="))
    assert page.locator("main li.quote").count() >= 3
    _shot(page, shots, "quotes-light")
    page.locator("main a[href^='/entity/']").first.click()
    page.wait_for_url(re.compile(r"/entity/\d+$"))
    assert page.locator("h1").inner_text() == "Brannock Sill"
    _shot(page, shots, "entity-light")
    page.locator("main li.quote a[href^='/article/']").first.click()
    page.wait_for_url(re.compile(r"/article/\d+$"))
    said = page.locator("section.who-said-what")
    assert said.count() == 1 and "Brannock Sill" in said.inner_text()
    watch.check()


def test_works_without_javascript(new_page: Any, site: Site) -> None:
    page, watch = new_page(java_script_enabled=False)
    _go(page, site.url("/"))
    tab = page.locator("a[href^='/?category=']").first
    assert tab.count() == 1, "the front page has no category tab (/?category=...)"
    tab.click()
    page.wait_for_url(re.compile(r"/\?category="))
    page.locator("main a[href^='/story/']").first.click()
    page.wait_for_url(re.compile(r"/story/\d+$"))
    page.locator("main a[href^='/article/']").first.click()
    page.wait_for_url(re.compile(r"/article/\d+$"))
    assert page.get_by_role("link", name=re.compile(r"source link", re.I)).count() >= 1
    box = page.locator("header form[action='/search'] input[name='q']")
    box.fill(site.search_word)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert page.locator("main mark").count() >= 1
    _go(page, site.url("/api/docs"))
    assert "/api/v1/" in page.locator("body").inner_text()
    watch.check()


# -- every page: structure, landmarks, keyboard, dark mode, phone ---------------------------------

HEADINGS_JS = "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
IMAGES_JS = "() => [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src)"


@pytest.mark.parametrize("name", [*PAGES, "not-found"])
def test_page_structure(new_page: Any, site: Site, name: str) -> None:
    page, watch = new_page()
    if name == "not-found":  # the site's error page is a page like the others
        _go(page, site.url("/article/987654321"), status=404)
        watch.errors = [e for e in watch.errors if "404" not in e]  # the browser logs the status
    else:
        _go(page, site.url(site.paths[name]))
    if name == "api-docs":
        page.wait_for_load_state("networkidle")

    assert page.evaluate(IMAGES_JS) == [], "images without an alt attribute"
    levels: list[int] = page.evaluate(HEADINGS_JS)
    assert levels.count(1) == 1, f"{levels.count(1)} h1 elements (want exactly one)"
    assert levels[0] == 1, f"the first heading is h{levels[0]}"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading levels skip from h{before} to h{after}: {levels}"

    # Landmarks, by their ARIA roles (what a screen reader's landmark list shows).
    assert page.get_by_role("banner").count() == 1, "no single banner (<header> outside sectioning)"
    assert page.get_by_role("main").count() == 1, "no single main landmark"
    assert page.get_by_role("contentinfo").count() == 1, "no single contentinfo (<footer>)"
    navs = page.get_by_role("navigation")
    assert navs.count() >= 1, "no navigation landmark"
    for i in range(navs.count()):
        nav = navs.nth(i)
        labelled = nav.get_attribute("aria-label") or nav.get_attribute("aria-labelledby")
        assert labelled, f"navigation landmark {i} has no label"
    assert page.locator("html").get_attribute("lang"), "<html> has no lang"
    assert page.title().strip(), "the page has no <title>"
    watch.check()


@pytest.mark.parametrize("name", ["front", "article"])
def test_skip_link_moves_focus_to_main(new_page: Any, site: Site, name: str) -> None:
    page, watch = new_page()
    _go(page, site.url(site.paths[name]))
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => { const a = document.activeElement; return [a.tagName, a.getAttribute('href') || '', a.innerText] }"
    )
    assert first[0] == "A" and first[1].startswith("#"), f"the first Tab stop is not a skip link: {first}"
    page.keyboard.press("Enter")
    in_main = page.evaluate("() => !!document.activeElement && !!document.activeElement.closest('main')")
    assert in_main, "Enter on the skip link did not move the focus into <main> (tabindex=-1 on its target?)"
    watch.check()


def test_dark_mode_by_preference(new_page: Any, site: Site, shots: Path) -> None:
    light, w1 = new_page(color_scheme="light", viewport={"width": 1280, "height": 900})
    dark, w2 = new_page(color_scheme="dark", viewport={"width": 1280, "height": 900})
    background = "() => getComputedStyle(document.body).backgroundColor"
    for name in PAGES:
        _go(light, site.url(site.paths[name]))
        _go(dark, site.url(site.paths[name]))
        if name == "api-docs":
            light.wait_for_load_state("networkidle")
            dark.wait_for_load_state("networkidle")
        assert light.evaluate(background) != dark.evaluate(background), (
            f"{name}: same background in dark mode"
        )
        _shot(light, shots, f"{name}-light")
        _shot(dark, shots, f"{name}-dark")
    w1.check()
    w2.check()


def test_phone_width_has_no_horizontal_scroll(new_page: Any, site: Site, shots: Path) -> None:
    page, watch = new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True)
    for name in PAGES:
        _go(page, site.url(site.paths[name]))
        if name == "api-docs":
            page.wait_for_load_state("networkidle")
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{name}: {wide} px of horizontal scroll at 375 px wide"
        _shot(page, shots, f"{name}-phone")
    watch.check()
