"""The Desk's understanding, through a real SQLite desk: every stored article is understood and
filed as it is ingested; quotes repeated by copies are one statement with its first report; the
learner files articles whose sources declare no section; ``reunderstand`` redoes only what is
stale and resumes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk import open_desk, understand
from newsdesk.core import Desk
from newsdesk.exceptions import EntityNotFoundError
from newsdesk.model import Fetched
from newsdesk.understand.categories import CATEGORIES

from ..conftest import TickingClock


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[Desk]:
    path = tmp_path_factory.mktemp("understood") / "sample.sqlite"
    with open_desk(path, clock=TickingClock()) as d:
        d.ingest([sample_dir])
        yield d


def test_every_stored_article_is_understood_and_filed(sample: Desk) -> None:
    stored = sample.latest(500)
    assert len(stored) == 90
    version = understand.version()
    for s in stored:
        u = sample.understanding(s.id)
        assert u is not None and u.version == version, s.article.url
        assert s.article.category in CATEGORIES, s.article.url
        assert u.category_basis in ("section", "learned")
        for e in u.entities:
            assert e.mentions and all(s.article.text[m.start : m.end] == m.text for m in e.mentions)
        for q in u.quotes:
            assert s.article.text[q.start : q.end] == q.text
            if q.speaker_start is not None and q.speaker_end is not None:
                assert s.article.text[q.speaker_start : q.speaker_end] == q.speaker_mention


def test_a_known_speaker_is_an_entity_with_their_quotes(sample: Desk, truth: dict[str, Any]) -> None:
    sill = sample.entity("Brannock Sill")
    assert (sill.name, sill.type) == ("Brannock Sill", "person")
    assert sample.entity(sill.id) == sill
    hits = sample.quotes(speaker="Brannock Sill", limit=100)
    assert len(hits) == sill.quotes >= 5
    assert all(h.speaker_entity_id == sill.id and h.quote.speaker == "Brannock Sill" for h in hits)
    # He is the union's leader in the dock strike (e01) and speaks again after the cyclone (e05).
    events = {truth["articles"][k]["url"]: truth["articles"][k]["event"] for k in truth["articles"]}
    urls = {sample.get_article(h.article_id).article.url for h in hits}
    assert {events.get(u) for u in urls} <= {"e01", "e05", None}
    with pytest.raises(EntityNotFoundError, match="no entity"):
        sample.entity("Nobody Of That Name")


def test_a_quote_repeated_by_copies_is_one_statement_with_its_first_report(sample: Desk) -> None:
    words = "The company can absorb a 9% settlement without touching its investment plan"
    hits = [h for h in sample.quotes(query="absorb settlement investment", limit=50) if words in h.quote.text]
    assert len(hits) >= 2  # the original and at least one copy
    statements = {h.quote.statement for h in hits}
    assert len(statements) == 1
    first = {h.first_article_id for h in hits}
    assert len(first) == 1
    earliest = min(hits, key=lambda h: (h.when, h.article_id))
    assert first == {earliest.article_id} and earliest.first_report


def test_an_entitys_stories_are_those_of_its_newest_articles(
    sample: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    sill = sample.entity("Brannock Sill")
    articles = sample.entity_articles(sill.id, limit=100)
    everyone = sample.entity_stories(sill.id, limit=100)
    expected = {sample.story_id_of(a.id) for a in articles}
    assert len(everyone) >= 2 and {s.id for s in everyone} == expected
    assert [s.last_seen for s in everyone] == sorted((s.last_seen for s in everyone), reverse=True)
    # A page asks for one story and reads one: that of his newest article.
    read: list[int] = []
    get_story = sample._store.get_story
    monkeypatch.setattr(sample._store, "get_story", lambda sid: read.append(sid) or get_story(sid))
    assert [s.id for s in sample.entity_stories(sill.id, limit=1)] == [sample.story_id_of(articles[0].id)]
    assert len(read) == 1


def test_a_story_gives_each_statement_once(sample: Desk) -> None:
    for story in sample.stories(limit=100):
        said = sample.story_quotes(story.id)
        assert len({h.quote.statement for h in said}) == len(said)
        members = {
            a for a, s in sample.story_ids_of([h.first_article_id for h in said]).items() if s == story.id
        }
        # Where the desk's first report of a statement is in the story, that report is the one given.
        assert all(h.first_report for h in said if h.first_article_id in members)
        # Newest statement first: a statement is as old as the report it is given by.
        assert [h.when for h in said] == sorted((h.when for h in said), reverse=True)


def test_articles_with_no_section_are_filed_by_the_learner(tmp_path: Path) -> None:
    text = (
        "The central bank raised its main interest rate by half a point on Tuesday, citing "
        "inflation that has stayed above its target for a year. Markets had expected the move; "
        "shares in banks rose while bond yields climbed. " * 3
    )
    page = (
        "<html><head><title>Central bank raises rates</title></head><body><article>"
        "<h1>Central bank raises rates</h1>"
        + "".join(f"<p>{p}.</p>" for p in text.split(". ") if p)
        + "</article></body></html>"
    )
    with open_desk(tmp_path / "d.sqlite") as d:
        report = d.ingest_items(
            [Fetched(url="https://bank.example/2026/rates", body=page.encode(), origin="page")]
        )
        assert report.new == 1
        stored = d.get_article(report.article_ids[0])
        u = d.understanding(stored.id)
        assert u is not None and u.category_basis == "learned"
        assert stored.article.category == "business"
        assert u.category_confidence is not None and 0 < u.category_confidence <= 1


def test_reunderstand_redoes_only_what_is_stale(tmp_path: Path, sample_dir: Path) -> None:
    path = tmp_path / "d.sqlite"
    with open_desk(path, clock=TickingClock()) as d:
        d.ingest([sample_dir / "pressline.jsonl"])
        ids = [s.id for s in d.latest(100)]
        assert ids and d.reunderstand() == 0  # all current
        before = {i: d.understanding(i) for i in ids}
        # An older version's understanding (as after an upgrade) for two articles; none for one.
        store: Any = d._store
        for i in ids[:2]:
            u = before[i]
            assert u is not None
            store.save_understanding(
                i, dataclasses.replace(u, version="0-old"), when=d.get_article(i).first_seen
            )
        seen: list[tuple[int, int]] = []
        assert d.reunderstand(progress=lambda n, total: seen.append((n, total))) == 2
        assert seen == [(1, 2), (2, 2)]
        assert {i: d.understanding(i) for i in ids} == before
        assert d.reunderstand(everything=True) == len(ids)
        assert {i: d.understanding(i) for i in ids} == before
        # The entities keep their ids through a forget-and-redo.
        assert [e.id for e in d.entities(limit=5)] == [e.id for e in d.entities(limit=5)]
