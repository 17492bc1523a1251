"""The store's contract for understanding (``UnderstandingStore``): entities joined across articles,
quotes with their first report, figures, versions and refiling, on every backend, seen through the
Protocol alone (the fixtures and ``Surface`` of test_store_contract.py)."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

import pytest

from newsdesk import stories as st
from newsdesk._surnames import called_by
from newsdesk.model import (
    ArticleFigure,
    ArticleQuote,
    NamedEntity,
    Span,
    Understanding,
)
from newsdesk.store import Store, StoryBook
from newsdesk.store.protocols import UnderstandingStore

from .test_store_contract import T0, Backend, Surface, art, backend, store  # noqa: F401

V1, V2 = "1-aaa", "2-bbb"


@pytest.fixture
def minds(store: Store) -> UnderstandingStore:  # noqa: F811
    s: UnderstandingStore = Surface(store, UnderstandingStore)  # type: ignore[assignment]
    return s


def ent(name: str, kind: str = "person", *at: int) -> NamedEntity:
    spans = tuple(Span(name, a, a + len(name)) for a in (at or (0,)))
    return NamedEntity(f"{kind}:{folded(name)}", name, kind, spans)


def folded(name: str) -> str:
    """A name as ``understand.entities.canonical_key`` folds it (case, accents)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    return " ".join(plain.split())


def quote(
    text: str, speaker: str | None = "Ana Ruiz", *, direct: bool = True, key: Any = "auto"
) -> ArticleQuote:
    skey = f"person:{speaker.lower()}" if key == "auto" and speaker else (None if key == "auto" else key)
    return ArticleQuote(
        speaker=speaker,
        speaker_key=skey,
        speaker_mention=speaker.split()[-1] if speaker else "he",
        speaker_start=0,
        speaker_end=4,
        cue="said",
        cue_start=5,
        cue_end=9,
        text=text,
        start=10,
        end=10 + len(text),
        direct=direct,
        statement="s:" + text.lower(),
    )


def understanding(
    *entities: NamedEntity, quotes: tuple[ArticleQuote, ...] = (), version: str = V1
) -> Understanding:
    return Understanding(
        version=version,
        entities=entities,
        figures=(ArticleFigure("percent", "9%", 3, 5, "9"),),
        quotes=quotes,
        category_basis="learned",
        category_confidence=0.75,
    )


def saved(store: Store, n: int, when_days: float = 0, **kw: Any) -> int:  # noqa: F811
    aid, _ = store.save_article(
        art(f"https://a.example/world/{n}", f"Text {n}.", published=T0 + timedelta(days=when_days), **kw),
        seen=T0,
    )
    return aid


def test_an_understanding_round_trips_whole(store: Store, minds: UnderstandingStore) -> None:  # noqa: F811
    a = saved(store, 1)
    u = understanding(
        ent("Ana Ruiz", "person", 0, 40), ent("Kestrel Bay", "place", 12), quotes=(quote("We stay."),)
    )
    minds.save_understanding(a, u, when=T0)
    assert minds.understandings([a, a + 100]) == {a: u}
    assert minds.understandings([]) == {}


def test_entities_join_across_articles_and_their_counts_follow_each_article(
    store: Store,  # noqa: F811
    minds: UnderstandingStore,
) -> None:
    a, b = saved(store, 1), saved(store, 2, when_days=2)
    ruiz, bay, council = (
        ent("Ana Ruiz", "person", 0, 40, 80),
        ent("Kestrel Bay", "place", 12),
        ent("City Council", "organisation", 3),
    )
    minds.save_understanding(a, understanding(ruiz, bay, quotes=(quote("One."), quote("Two."))), when=T0)
    minds.save_understanding(
        b, understanding(ent("Ana Ruiz", "person", 5), council), when=T0 + timedelta(days=2)
    )
    top = minds.entities()
    assert [(e.name, e.articles, e.mentions, e.quotes) for e in top] == [
        ("Ana Ruiz", 2, 4, 2),
        ("City Council", 1, 1, 0),
        ("Kestrel Bay", 1, 1, 0),
    ]
    ana = top[0]
    assert (ana.key, ana.type, ana.first_seen, ana.last_seen) == (
        "person:ana ruiz",
        "person",
        T0,
        T0 + timedelta(days=2),
    )
    assert minds.get_entity(ana.id) == ana and minds.get_entity(ana.id + 1000) is None
    # Understood again, article a no longer names the bay, nor quotes Ana Ruiz: the counts follow.
    minds.save_understanding(a, understanding(ent("Ana Ruiz", "person", 0)), when=T0)
    now = {e.name: (e.articles, e.mentions, e.quotes) for e in minds.entities()}
    assert now == {"Ana Ruiz": (2, 2, 0), "City Council": (1, 1, 0)}  # an entity nobody names is not listed


def test_entities_filter_by_type_time_and_name(store: Store, minds: UnderstandingStore) -> None:  # noqa: F811
    a, b = saved(store, 1), saved(store, 2)
    minds.save_understanding(a, understanding(ent("José Álvarez"), ent("Kestrel Bay", "place")), when=T0)
    minds.save_understanding(
        b, understanding(ent("Kestrel Port Authority", "organisation")), when=T0 + timedelta(days=5)
    )
    assert [e.name for e in minds.entities(type="place")] == ["Kestrel Bay"]
    assert [e.name for e in minds.entities(since=T0 + timedelta(days=1))] == ["Kestrel Port Authority"]
    assert [e.name for e in minds.entities(query="kestrel")] == ["Kestrel Bay", "Kestrel Port Authority"]
    assert [e.name for e in minds.entities(query="jose alvarez")] == ["José Álvarez"]  # accents folded
    assert len(minds.entities(limit=2)) == 2 and len(minds.entities(limit=2, offset=2)) == 1


def test_a_name_finds_the_exact_entity_first_then_those_that_hold_it(
    store: Store,  # noqa: F811
    minds: UnderstandingStore,
) -> None:
    a, b = saved(store, 1), saved(store, 2)
    minds.save_understanding(a, understanding(ent("Ruiz Holdings", "organisation"), ent("Ana Ruiz")), when=T0)
    minds.save_understanding(b, understanding(ent("Ruiz Holdings", "organisation"), ent("Ruiz")), when=T0)
    assert [e.name for e in minds.find_entities("ruiz")] == ["Ruiz", "Ruiz Holdings", "Ana Ruiz"]
    assert [e.name for e in minds.find_entities("ANA RUIZ")] == ["Ana Ruiz"]
    assert minds.find_entities("nobody") == []


def test_an_entitys_articles_come_newest_first(store: Store, minds: UnderstandingStore) -> None:  # noqa: F811
    ids = [saved(store, n, when_days=n) for n in (1, 3, 2)]
    for aid in ids:
        minds.save_understanding(aid, understanding(ent("Ana Ruiz")), when=T0)
    eid = minds.entities()[0].id
    assert [s.id for s in minds.entity_articles(eid, 10)] == [ids[1], ids[2], ids[0]]
    assert [s.id for s in minds.entity_articles(eid, 1, offset=1)] == [ids[2]]


def test_quotes_by_speaker_words_and_article_with_their_first_report(
    store: Store,  # noqa: F811
    minds: UnderstandingStore,
) -> None:
    early, late, other = (
        saved(store, 1, when_days=0, source="Pressline"),
        saved(store, 2, when_days=1, source="Copycat"),
        saved(store, 3, when_days=2),
    )
    ruiz = ent("Ana Ruiz")
    pay = quote("Our members deserve a fair pay rise.")
    minds.save_understanding(early, understanding(ruiz, quotes=(pay,)), when=T0)
    minds.save_understanding(
        late,
        understanding(ruiz, quotes=(pay, quote("The harbour stays closed.", "Brannock Sill", direct=False))),
        when=T0,
    )
    minds.save_understanding(other, understanding(quotes=(quote("Nothing to add.", None),)), when=T0)
    everything = minds.quotes()
    assert [(h.article_id, h.quote.text) for h in everything] == [
        (other, "Nothing to add."),
        (late, "Our members deserve a fair pay rise."),
        (late, "The harbour stays closed."),
        (early, "Our members deserve a fair pay rise."),
    ]
    repeated = [h for h in everything if h.quote.text.startswith("Our members")]
    assert {(h.first_article_id, h.first_source) for h in repeated} == {(early, "Pressline")}
    assert [h.first_report for h in repeated] == [False, True]
    assert {h.title for h in everything} == {"Bridge closed"} and everything[
        0
    ].url == "https://a.example/world/3"
    ana = minds.find_entities("Ana Ruiz")[0].id
    assert [(h.article_id, h.speaker_entity_id) for h in minds.quotes(speaker=ana)] == [
        (late, ana),
        (early, ana),
    ]
    # Brannock Sill is named as a speaker but not as an entity of the article: no entity to tie to.
    assert [h.speaker_entity_id for h in minds.quotes(article_ids=[late])] == [ana, None]
    assert [h.quote.text for h in minds.quotes(query="harbour")] == ["The harbour stays closed."]
    assert [h.article_id for h in minds.quotes(query="fair pay", speaker=ana, limit=1)] == [late]
    assert [h.article_id for h in minds.quotes(query="fair pay", limit=1, offset=1)] == [early]
    assert minds.quotes(query="nothing-like-this-anywhere") == []
    assert [h.reports for h in everything] == [1, 2, 1, 2]


def test_quote_search_folds_accents_as_article_search_does(
    store: Store,  # noqa: F811
    minds: UnderstandingStore,
) -> None:
    """A quote's words fold their accents on every backend, both ways, as article search's do."""
    a, b = saved(store, 1), saved(store, 2, when_days=1)
    minds.save_understanding(
        a, understanding(quotes=(quote("Zürich and São Paulo back José Álvarez."),)), when=T0
    )
    minds.save_understanding(
        b, understanding(quotes=(quote("Zurich and Sao Paulo back Jose Alvarez."),)), when=T0
    )
    for query in ("zurich", "Zürich", "sao paulo", "São Paulo", "jose alvarez", "José Álvarez", "álv*"):
        assert [h.article_id for h in minds.quotes(query=query)] == [b, a], query
    assert [h.article_id for h in minds.quotes(query="zurich", statements=True)] == [b, a]


def test_quotes_as_statements_come_once_as_their_earliest_matching_report(
    store: Store,  # noqa: F811
    minds: UnderstandingStore,
) -> None:
    first, copy, rewrite, later = (saved(store, n, when_days=n) for n in (1, 2, 3, 4))
    ruiz, sill = ent("Ana Ruiz"), ent("Brannock Sill")
    pay = quote("Our members deserve a fair pay rise.")
    closed = quote("The harbour stays closed.", "Brannock Sill")
    minds.save_understanding(first, understanding(ruiz, quotes=(pay,)), when=T0)
    minds.save_understanding(copy, understanding(ruiz, sill, quotes=(pay, closed)), when=T0)
    # The rewrite gives the same words to nobody it can name: the same statement all the same.
    minds.save_understanding(rewrite, understanding(quotes=(quote(pay.text, None), closed)), when=T0)
    minds.save_understanding(later, understanding(quotes=(quote("Nothing to add.", None),)), when=T0)
    assert len(minds.quotes()) == 6
    once = minds.quotes(statements=True)
    assert [(h.article_id, h.quote.text, h.reports) for h in once] == [
        (later, "Nothing to add.", 1),
        (copy, "The harbour stays closed.", 2),
        (first, "Our members deserve a fair pay rise.", 3),
    ]
    assert all(h.first_report for h in once)
    # Paged as statements.
    assert [h.article_id for h in minds.quotes(statements=True, limit=1, offset=1)] == [copy]
    # Filtered before folding: the earliest report that matches, which may not be the first.
    unnamed = minds.quotes(statements=True, article_ids=[rewrite, later])
    assert [(h.article_id, h.quote.text, h.first_article_id) for h in unnamed] == [
        (later, "Nothing to add.", later),
        (rewrite, "Our members deserve a fair pay rise.", first),
        (rewrite, "The harbour stays closed.", copy),
    ]
    assert [h.article_id for h in minds.quotes(statements=True, query="fair pay")] == [first]


def test_what_is_left_to_understand_and_forgetting_it_all(store: Store, minds: UnderstandingStore) -> None:  # noqa: F811
    a, b, c = saved(store, 1), saved(store, 2), saved(store, 3)
    minds.save_understanding(a, understanding(ent("Ana Ruiz"), version=V1), when=T0)
    minds.save_understanding(b, understanding(ent("Ana Ruiz"), version=V2), when=T0)
    assert minds.not_understood(V2) == [a, c]
    assert minds.not_understood(V2, after=a) == [c]
    assert minds.not_understood(V2, limit=1) == [a]
    minds.forget_understanding()
    assert minds.not_understood(V2) == [a, b, c]
    assert minds.entities() == [] and minds.quotes() == [] and minds.understandings([a, b]) == {}


def test_a_unit_of_work_that_fails_leaves_the_understanding_as_it_was(
    store: Store,  # noqa: F811
    minds: UnderstandingStore,
) -> None:
    a = saved(store, 1)
    first = understanding(ent("Ana Ruiz"))
    minds.save_understanding(a, first, when=T0)
    with pytest.raises(RuntimeError), store.transaction():
        minds.save_understanding(a, understanding(ent("Brannock Sill"), version=V2), when=T0)
        raise RuntimeError("killed")
    assert minds.understandings([a]) == {a: first}
    assert [e.name for e in minds.entities()] == ["Ana Ruiz"]


def test_refiling_an_article_moves_its_storys_tally(store: Store, minds: UnderstandingStore) -> None:  # noqa: F811
    book: StoryBook = Surface(store, StoryBook)  # type: ignore[assignment]
    ids = [saved(store, n, category="business") for n in (1, 2, 3)]
    for n, aid in enumerate(ids):
        doc = st.features(
            aid,
            "Dock strike",
            "dockworkers strike over pay at the port",
            when=T0.timestamp() + n,
            category="business",
        )
        st.assign(book, doc, decided=T0)
    sid = book.story_id_of(ids[0])
    assert sid is not None and all(book.story_id_of(i) == sid for i in ids)
    minds.set_category(ids[0], "world")
    minds.set_category(ids[1], "world")
    assert store.get_article(ids[0]).article.category == "world"
    sketch = book.story_sketch(sid)
    assert (
        sketch is not None and sketch.categories == {"business": 1, "world": 2} and sketch.category == "world"
    )
    story = store.get_story(sid)
    assert story is not None and story.category == "world"
    minds.set_category(ids[2], None)
    sketch = book.story_sketch(sid)
    assert sketch is not None and sketch.categories == {"world": 2}


def test_an_entity_is_found_by_its_key(store: Store, minds: UnderstandingStore) -> None:  # noqa: F811
    a = saved(store, 1)
    minds.save_understanding(a, understanding(ent("José Álvarez"), ent("Kestrel Bay", "place")), when=T0)
    found = minds.entity_of_key("person:jose alvarez")
    assert found is not None and found.name == "José Álvarez" and found == minds.get_entity(found.id)
    assert minds.entity_of_key("place:jose alvarez") is None and minds.entity_of_key("") is None
    minds.save_understanding(a, understanding(ent("Kestrel Bay", "place")), when=T0)
    gone = minds.entity_of_key("person:jose alvarez")
    assert gone is not None and gone.articles == 0  # its row and id stay


def called(name: str, *alone: str) -> NamedEntity:
    """A person the article names in full and by ``alone`` (the last word, perhaps titled)."""
    e = ent(name)
    return NamedEntity(e.key, name, "person", (*e.mentions, *(Span(a, 100, 100 + len(a)) for a in alone)))


def test_people_are_found_by_the_last_word_an_article_calls_them_by(
    store: Store,  # noqa: F811
    minds: UnderstandingStore,
) -> None:
    a, b, c = saved(store, 1), saved(store, 2), saved(store, 3)

    def save(article_id: int, u: Understanding) -> None:
        # The evidence as the Desk gives it (the surname rule's, not the store's).
        minds.save_understanding(article_id, u, when=T0, called_by=called_by(u))

    putin, putin_v = called("Vladimir Putin", "Putin"), called("Vladimir V. Putin", "Mr. Putin")
    save(a, understanding(putin, ent("Putin"), ent("Putin Street", "place")))
    save(b, understanding(ent("Vladimir Putin"), putin_v, called("Álvaro Núñez", "Núñez's")))
    save(c, understanding(putin_v, called("Anna Putin Sill", "Sill"), called("Thank God")))
    found = minds.people_by_last_word("putin")
    # Full names some article calls by the word alone, the most named first then by key; not the
    # single word, not a place.
    assert [(p.key, p.articles) for p in found] == [
        ("person:vladimir putin", 2),
        ("person:vladimir v. putin", 2),
    ]
    assert [p.name for p in minds.people_by_last_word("putin", limit=1)] == ["Vladimir Putin"]
    assert [p.name for p in minds.people_by_last_word("nunez")] == ["Álvaro Núñez"]
    assert minds.people_by_last_word("vladimir") == [] and minds.people_by_last_word("") == []
    assert minds.people_by_last_word("god") == []  # never called "God" alone
    # The evidence goes with its article: a person no article calls so any more is not found.
    save(a, understanding(ent("Anna Putin Sill")))
    assert [p.key for p in minds.people_by_last_word("putin")] == ["person:vladimir v. putin"]
    save(c, understanding(ent("Anna Putin Sill")))
    assert [p.key for p in minds.people_by_last_word("putin")] == ["person:vladimir v. putin"]
    save(b, understanding(ent("Anna Putin Sill")))
    assert minds.people_by_last_word("putin") == [] and minds.people_by_last_word("sill") == []
