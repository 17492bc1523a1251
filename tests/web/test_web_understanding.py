"""The front ends of understanding on the site and in the API, over the bundled sample corpus:
entity pages and lists, who said what on article and story pages, the quote search, the first
report of a statement repeated by copies, and the API's entities, quotes and an article's quotes
and entities. Brannock Sill of the dockworkers' union (the Kestrel Bay strike, event e01) is
quoted by Pressline first, then by the outlets that copy or rewrite it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk import open_desk
from newsdesk.store.sqlite import SQLiteStore
from newsdesk.web import understood

from .test_web_pages import check_structure, make_client, outline

SILL_SAID = "Our members have kept this port running through two record years"


@pytest.fixture(scope="module")
def client(sample_store: Path) -> Iterator[TestClient]:
    with make_client(sample_store) as c:
        yield c


@pytest.fixture(scope="module")
def known(sample_store: Path, truth: dict[str, Any]) -> dict[str, Any]:
    """What the tests look for, read through the Desk: Sill's entity, the strike's articles."""
    with open_desk(sample_store) as desk:
        sill = desk.entity("Brannock Sill")
        pressline = desk.get_article(truth["articles"]["e01-pressline"]["url"]).id
        gazette = desk.get_article(truth["articles"]["e01-valleygazette"]["url"]).id
        story = desk.story_id_of(pressline)
        said = {h.quote.statement for h in desk.quotes(speaker=sill.id, limit=1000, statements=False)}
    assert sill.type == "person" and sill.quotes >= 3
    return {"sill": sill, "pressline": pressline, "gazette": gazette, "story": story, "statements": len(said)}


# -- the site ------------------------------------------------------------------------------------


def test_entities_page_lists_the_most_named_and_filters_by_type(
    client: TestClient, known: dict[str, Any]
) -> None:
    sill = known["sill"]
    r = client.get("/entities")
    assert r.status_code == 200
    page = check_structure(r.text)
    assert f"/entity/{sill.id}" in page.hrefs()
    people = client.get("/entities", params={"type": "person"})
    assert f"/entity/{sill.id}" in outline(people.text).hrefs()
    places = client.get("/entities", params={"type": "place"})
    assert "Kestrel Bay" in places.text and f"/entity/{sill.id}" not in outline(places.text).hrefs()
    # A people is a type of its own, listed apart from the people ("Ukrainians" of the seed page).
    groups = client.get("/entities", params={"type": "group"})
    assert "Ukrainian" in groups.text and "Ukrainian" not in people.text
    found = client.get("/entities", params={"q": "brannock"})
    assert f"/entity/{sill.id}" in outline(found.text).hrefs()
    # An unknown type is no filter, not an error; paging stops where the entities do.
    assert client.get("/entities", params={"type": "robot"}).status_code == 200
    assert "No more entities" in client.get("/entities", params={"page": 200}).text


def test_entities_page_pages(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(understood, "PAGE_SIZE", 3)
    first = outline(client.get("/entities").text)
    second = outline(client.get("/entities", params={"page": 2}).text)
    ids_first = {h for h in first.hrefs() if h.startswith("/entity/")}
    ids_second = {h for h in second.hrefs() if h.startswith("/entity/")}
    assert len(ids_first) == len(ids_second) == 3 and not ids_first & ids_second
    assert "/entities?page=2" in first.hrefs()


def test_entity_page_says_what_the_desk_knows(client: TestClient, known: dict[str, Any]) -> None:
    sill = known["sill"]
    r = client.get(f"/entity/{sill.id}")
    assert r.status_code == 200
    page = check_structure(r.text)
    assert [h for lvl, h in page.headings if lvl == 1] == ["Brannock Sill"]
    assert "What Brannock Sill said" in [h for _, h in page.headings]
    # Pressline's quote, repeated by three outlets, is one statement: its first report, then the
    # outlets that repeat it.
    said = r.text.split("What Brannock Sill said", 1)[1].split("<h2", 1)[0]
    assert said.count(SILL_SAID) == 1
    assert "first reported by Pressline" in said and "Also reported by" in said
    assert f"/article/{known['pressline']}" in page.hrefs()
    assert f"/story/{known['story']}" in page.hrefs()
    assert f"/article/{known['gazette']}" in page.hrefs()
    assert f"/quotes?speaker={sill.id}" in page.hrefs()


def test_unknown_entities_are_404_pages(client: TestClient) -> None:
    for path in ("/entity/999999", "/entity/abc", "/entity?key=person:zyzzyva%20quux"):
        r = client.get(path)
        assert r.status_code == 404, path
        check_structure(r.text)


def test_an_article_entity_leads_to_its_page(client: TestClient, known: dict[str, Any]) -> None:
    r = client.get("/entity", params={"key": "person:brannock sill"}, follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == f"/entity/{known['sill'].id}"


def test_quotes_search_by_speaker_and_words(client: TestClient, known: dict[str, Any]) -> None:
    sill = known["sill"]
    by_name = client.get("/quotes", params={"speaker": "Brannock Sill"})
    by_id = client.get("/quotes", params={"speaker": str(sill.id)})
    assert by_name.status_code == by_id.status_code == 200
    page = check_structure(by_name.text)
    # A statement once, as its first report gave it (Pressline's), with the count of the articles
    # that repeat it; not once for every outlet that copied it.
    assert by_name.text.count(SILL_SAID) == 1
    said = by_name.text.split(SILL_SAID, 1)[1].split("</li>", 1)[0]
    assert "Pressline" in said and "first reported by" not in said
    assert re.search(r"\b[2-9] articles carry it", said)
    assert f"/entity/{sill.id}" in page.hrefs() and f"/article/{known['pressline']}" in page.hrefs()
    assert known["statements"] < sill.quotes  # copies repeat what he said: fewer statements than quotes
    shown = min(known["statements"], 20)
    assert by_name.text.count('class="quote"') == by_id.text.count('class="quote"') == shown
    words = client.get("/quotes", params={"q": "settlement"})
    assert words.status_code == 200 and "9% settlement" in words.text
    assert client.get("/quotes").status_code == 200  # the newest quotes, with no filter


def test_quotes_of_an_unknown_speaker_say_so(client: TestClient) -> None:
    r = client.get("/quotes", params={"speaker": "Zyzzyva Quux"})
    assert r.status_code == 404
    check_structure(r.text)
    assert "no entity is called" in r.text and 'role="alert"' in r.text


def test_article_page_shows_who_said_what(client: TestClient, known: dict[str, Any]) -> None:
    sill = known["sill"]
    r = client.get(f"/article/{known['gazette']}")
    assert r.status_code == 200
    page = check_structure(r.text)
    headings = [h for _, h in page.headings]
    assert "Who said what" in headings and "Brannock Sill" in headings
    assert "Named in this article" in headings
    assert f"/entity/{sill.id}" in page.hrefs()
    assert "/entity?key=person%3Abrannock+sill" in page.hrefs()
    # The copy repeats Pressline's words: it says that Pressline reported them first.
    assert "first reported by Pressline" in r.text
    assert "(filed by its source)" in r.text
    original = client.get(f"/article/{known['pressline']}")
    assert SILL_SAID in original.text and "its first report" not in original.text


def test_story_page_lists_each_statement_once(client: TestClient, known: dict[str, Any]) -> None:
    r = client.get(f"/story/{known['story']}")
    assert r.status_code == 200
    check_structure(r.text)
    said = r.text.split('id="who-said-what"', 1)[1].split("</section>", 1)[0]
    assert said.count(SILL_SAID) == 1  # reported by four outlets, one statement
    assert "first reported by Pressline" in said


def test_category_tabs_still_lead_to_pages(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        categories = desk.categories()
    assert categories
    for category in categories:
        r = client.get("/", params={"category": category.capitalize()})
        assert r.status_code == 200 and "Nothing in" not in r.text, category
        check_structure(r.text)
        assert client.get(f"/feeds/category/{category}.atom").status_code == 200


# -- hostile quotes --------------------------------------------------------------------------------

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A store with one article whose quote and speaker carry markup."""
    folder = tmp_path_factory.mktemp("evil-quotes")
    words = " ".join(f"Harbour council word{i} report." for i in range(60))
    record = {
        "url": "https://evil.example/news/2026/03/01/quote",
        "title": "Dock union keeps up its strike",
        "text": f"The union kept up its strike on Monday at the port.\n\n“We will not {EVIL} stop until the "
        f"offer improves,” said Jane Roe, the head of the Dock Union.\n\n{words}",
        "published": "2026-03-01T10:00:00Z",
        "source": "Evil Source",
        "language": "en",
    }
    path = folder / "evil.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = folder / "evil.sqlite"
    with open_desk(db) as desk:
        report = desk.ingest([path])
        aid = report.article_ids[0]
        assert desk.article_quotes(aid), "the stage finds the quote"
    return db, aid


def test_quotes_are_escaped_everywhere(evil_store: tuple[Path, int]) -> None:
    db, aid = evil_store
    with open_desk(db) as desk:
        roe = desk.entity("Jane Roe")
        story_id = desk.story_id_of(aid)
    with make_client(db) as c:
        for path in (f"/article/{aid}", f"/story/{story_id}", f"/entity/{roe.id}", "/quotes", "/entities"):
            r = c.get(path)
            assert r.status_code == 200, path
            assert "<script" not in r.text.lower(), path
            check_structure(r.text)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in c.get("/quotes").text
        api = c.get("/api/v1/quotes").json()
        assert EVIL in api["items"][0]["text"]  # JSON carries the words as they are


# -- bounded reads -------------------------------------------------------------------------------


def test_understanding_pages_make_only_bounded_reads(
    sample_store: Path, tmp_path: Path, known: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copy(sample_store, db)

    def refuse(name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"a page called the unbounded store read {name}")

        return fail

    for name in ("iter_articles", "story_assignments", "stats", "not_understood"):
        monkeypatch.setattr(SQLiteStore, name, refuse(name))
    real_quotes = SQLiteStore.quotes

    def quotes(self: SQLiteStore, **kwargs: Any) -> Any:
        assert kwargs.get("limit") is not None and kwargs["limit"] <= 10_000, "a page read every quote"
        return real_quotes(self, **kwargs)

    monkeypatch.setattr(SQLiteStore, "quotes", quotes)
    sill = known["sill"]
    with make_client(db) as c:
        for path in (
            "/entities",
            "/entities?type=person",
            f"/entity/{sill.id}",
            f"/quotes?speaker={sill.id}",
            "/quotes?q=strike",
            f"/article/{known['gazette']}",
            f"/story/{known['story']}",
            f"/api/v1/entities/{sill.id}",
            f"/api/v1/articles/{known['gazette']}",
        ):
            assert c.get(path).status_code == 200, path


# -- the API -------------------------------------------------------------------------------------


def test_api_entities_page_through_every_entity(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        every = [e.id for e in desk.entities(limit=10_000)]
    seen: list[int] = []
    url: str | None = "/api/v1/entities?limit=7"
    while url:
        r = client.get(url)
        assert r.status_code == 200 and r.headers["cache-control"] == "public, max-age=30"
        body = r.json()
        seen += [e["id"] for e in body["items"]]
        url = body["next"]
        if url:
            assert r.headers["link"] == f'<{url}>; rel="next"'
    assert seen == every
    people = client.get("/api/v1/entities", params={"type": "person", "limit": 100}).json()["items"]
    assert people and {e["type"] for e in people} == {"person"}
    groups = client.get("/api/v1/entities", params={"type": "group", "limit": 100}).json()["items"]
    assert groups and {e["type"] for e in groups} == {"group"}
    assert client.get("/api/v1/entities", params={"type": "robot"}).status_code == 422
    assert client.get("/api/v1/entities", params={"cursor": "nonsense"}).status_code == 422


def test_api_entity_by_id_and_by_key(client: TestClient, known: dict[str, Any]) -> None:
    sill = known["sill"]
    r = client.get(f"/api/v1/entities/{sill.id}")
    assert r.status_code == 200
    body = r.json()
    assert body["entity"]["name"] == "Brannock Sill" and body["entity"]["quotes"] == sill.quotes
    assert body["entity"]["links"] == {"self": f"/api/v1/entities/{sill.id}", "html": f"/entity/{sill.id}"}
    assert body["quotes"] and all(q["speaker_entity_id"] == sill.id for q in body["quotes"])
    assert known["gazette"] in [a["id"] for a in body["articles"]]
    assert known["story"] in [s["id"] for s in body["stories"]]
    articles = client.get(f"/api/v1/entities/{sill.id}/articles", params={"limit": 3}).json()
    assert len(articles["items"]) == 3 and articles["next"]
    rest = client.get(articles["next"]).json()["items"]
    assert not {a["id"] for a in rest} & {a["id"] for a in articles["items"]}
    by_key = client.get("/api/v1/entities", params={"key": sill.key}).json()
    assert [e["id"] for e in by_key["items"]] == [sill.id]
    assert client.get("/api/v1/entities", params={"key": "person:zyzzyva quux"}).json()["items"] == []


def test_api_unknown_entity_and_speaker_are_404_json(client: TestClient) -> None:
    for path in (
        "/api/v1/entities/999999",
        "/api/v1/entities/999999/articles",
        "/api/v1/quotes?speaker=Zyzzyva",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found" and r.headers["cache-control"] == "no-store"


def test_api_quotes_say_who_reported_first(client: TestClient, known: dict[str, Any]) -> None:
    sill = known["sill"]
    r = client.get("/api/v1/quotes", params={"speaker": "Brannock Sill", "limit": 100})
    assert r.status_code == 200
    items = r.json()["items"]
    assert len(items) == sill.quotes
    repeats = [q for q in items if SILL_SAID in q["text"]]
    firsts = [q for q in repeats if q["first_report"]]
    assert len(firsts) == 1 and firsts[0]["article"]["id"] == known["pressline"]
    for q in repeats:
        assert q["first"]["article_id"] == known["pressline"] and q["first"]["source"] == "Pressline"
        assert q["speaker_links"]["html"] == f"/entity/{sill.id}"
        assert q["reports"] == len(repeats)
    once = client.get("/api/v1/quotes", params={"speaker": "Brannock Sill", "statements": "true"}).json()
    assert len(once["items"]) == known["statements"]
    assert [q["article"]["id"] for q in once["items"] if SILL_SAID in q["text"]] == [known["pressline"]]
    paged = client.get("/api/v1/quotes", params={"speaker": str(sill.id), "limit": 2}).json()
    assert [q["text"] for q in paged["items"]] == [q["text"] for q in items[:2]] and paged["next"]
    etag = r.headers["etag"]
    again = client.get(
        "/api/v1/quotes", params={"speaker": "Brannock Sill", "limit": 100}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304


def test_api_article_carries_its_quotes_and_entities(client: TestClient, known: dict[str, Any]) -> None:
    body = client.get(f"/api/v1/articles/{known['gazette']}").json()
    text = body["text"]
    assert body["quotes"] and body["entities"]
    for q in body["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]
    sill = next(q for q in body["quotes"] if SILL_SAID in q["text"])
    assert sill["first_report"] is False and sill["first"]["source"] == "Pressline"
    for e in body["entities"]:
        assert e["type"] in ("person", "organisation", "place")
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    named = {e["key"]: e for e in body["entities"]}
    found = client.get(named["person:brannock sill"]["links"]["self"]).json()["items"]
    assert [e["name"] for e in found] == ["Brannock Sill"]
    assert body["filed_by"] == "section"
