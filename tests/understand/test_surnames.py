"""A person named by surname alone is the person of that surname the desk knows by full name, when
it knows exactly one (``_surnames``): the rule and the re-keying alone, then through a real SQLite
desk ingesting articles written here, in either order."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk import open_desk
from newsdesk._surnames import full_name, may_be_surname, rekeyed, surname_of
from newsdesk.core import Desk
from newsdesk.model import ArticleQuote, EntitySummary, NamedEntity, Span, Understanding

from ..conftest import TickingClock


def person(key: str, articles: int = 1, name: str | None = None) -> EntitySummary:
    name = name or key.partition(":")[2].title()
    return EntitySummary(1, key, name, key.partition(":")[0], articles, articles, 0, None, None)


def named(key: str, name: str, *starts: int) -> NamedEntity:
    return NamedEntity(key, name, key.partition(":")[0], tuple(Span(name, s, s + len(name)) for s in starts))


def said(key: str | None, speaker: str | None, words: str) -> ArticleQuote:
    return ArticleQuote(
        speaker=speaker, speaker_key=key, speaker_mention=speaker, speaker_start=0, speaker_end=4,
        cue="said", cue_start=5, cue_end=9, text=words, start=10, end=10 + len(words), direct=True,
        statement="s:" + words,
    )  # fmt: skip


def test_a_surname_means_the_one_full_name_that_ends_in_it() -> None:
    obama = person("person:barack obama", 24)
    assert full_name("obama", [obama]) == obama
    assert full_name("obama", []) is None
    assert full_name("obama", [person("person:barack obama", 0)]) is None  # nobody names it now
    assert full_name("barack", [obama]) is None  # a first name is no surname
    # A sentence's first word taken into a name is no first name: neither a match nor a rival.
    assert full_name("israeli", [person("person:if israeli", 1)]) is None
    assert full_name("obama", [obama, person("person:while obama", 2)]) == obama
    assert full_name("obama", [obama, person("person:maybe obama", 1)]) == obama
    # A title or a people is no surname, whatever the desk holds.
    assert full_name("secretary", [person("person:press secretary", 3)]) is None
    assert full_name("israeli", [person("person:arab israeli", 3)]) is None


def test_a_full_name_is_called_by_its_surname_only_where_an_article_calls_it_so() -> None:
    def seen(name: str, *said: str) -> str | None:
        key = "person:" + name.casefold()
        return surname_of(NamedEntity(key, name, "person", tuple(Span(t, 0, len(t)) for t in (name, *said))))

    assert seen("Barack Obama", "Obama") == "obama"
    assert seen("Barack Obama", "Mr. Obama") == "obama"  # after a title
    assert seen("Barack Obama", "President Obama") == "obama"
    assert seen("Barack Obama", "Obama's") == "obama"
    assert seen("Barack Obama") is None  # only in full: no evidence
    assert seen("Barack Obama", "Barack") is None  # a first name is no surname
    # The recogniser's non-people: a title, a people, a stop word or a people before the name.
    assert seen("Press Secretary", "Secretary") is None
    assert seen("Shadow Attorney-General", "Attorney-General") is None
    assert seen("Arab Israeli", "Israeli") is None and seen("Sunni Muslims", "Muslims") is None
    assert seen("If Kepler", "Kepler") is None and seen("Muslim Uighur", "Uighur") is None
    assert seen("Maybe Putin", "Putin") is None
    assert seen("HMP Barlinnie", "Barlinnie") is None
    assert surname_of(named("place:kestrel bay", "Kestrel Bay", 0)) is None
    assert may_be_surname("obama") and not may_be_surname("secretary") and not may_be_surname("israeli")


def test_the_surname_of_a_name_with_a_generational_suffix_is_the_word_before_it() -> None:
    downey = NamedEntity(
        "person:robert downey jr", "Robert Downey Jr", "person",
        (Span("Robert Downey Jr.", 0, 17), Span("Downey", 30, 36)),
    )  # fmt: skip
    assert surname_of(downey) == "downey"
    assert full_name("downey", [person("person:robert downey jr", 3)]) == person("person:robert downey jr", 3)
    assert full_name("jr", [person("person:robert downey jr", 3)]) is None


def test_full_names_sharing_their_first_word_are_one_person_the_most_named() -> None:
    putin, putin_v = person("person:vladimir putin", 21), person("person:vladimir v putin", 6)
    assert full_name("putin", [putin_v, putin]) == putin
    # As many articles each: the first key.
    tied = person("person:vladimir v putin", 21)
    assert full_name("putin", [tied, putin]) == putin


def test_a_surname_two_people_share_means_neither() -> None:
    boris, magic = person("person:boris johnson", 9), person("person:magic johnson", 1)
    assert full_name("johnson", [boris, magic]) is None
    assert full_name("johnson", [boris]) == boris


def test_rekeying_moves_the_entity_and_the_quotes_it_speaks() -> None:
    lookup = {"velloso": person("person:mara velloso", 3, "Mara Velloso")}
    found = Understanding(
        version="1-x",
        entities=(named("place:kestrel bay", "Kestrel Bay", 0), named("person:velloso", "Velloso", 40, 90)),
        quotes=(
            said("person:velloso", "Velloso", "The pier is stronger."),
            said("person:velloso", "the harbour master", "Ahead of time."),
            said(None, None, "Nobody said it."),
        ),
    )
    again = rekeyed(found, lookup.get)
    assert [(e.key, e.name, e.mentions) for e in again.entities] == [
        ("place:kestrel bay", "Kestrel Bay", found.entities[0].mentions),
        ("person:mara velloso", "Mara Velloso", found.entities[1].mentions),  # where the article said it
    ]
    assert [(q.speaker_key, q.speaker) for q in again.quotes] == [
        ("person:mara velloso", "Mara Velloso"),
        ("person:mara velloso", "the harbour master"),  # a speaker named otherwise keeps that name
        (None, None),
    ]
    assert [q.text for q in again.quotes] == [q.text for q in found.quotes]
    # Nothing to do: the same record back.
    assert rekeyed(found, {}.get) is found


def test_rekeying_joins_the_articles_own_full_name_and_leaves_the_rest() -> None:
    lookup = {
        "velloso": person("person:mara velloso", 3, "Mara Velloso"),
        "jordan": person("person:michael jordan", 5),
        "sill": person("person:brannock sill", 2),
    }
    found = Understanding(
        version="1-x",
        entities=(
            named("person:velloso", "Velloso", 5),
            named("person:mara velloso", "MARA VELLOSO", 30),
            named("person:jordan", "Jordan", 50),
            named("place:jordan", "Jordan", 70),
            named("person:ana sill", "Ana Sill", 80),
        ),
    )
    again = rekeyed(found, lookup.get)
    assert [(e.key, e.name, [m.start for m in e.mentions]) for e in again.entities] == [
        ("person:mara velloso", "MARA VELLOSO", [5, 30]),  # one entity, in the article's own form
        ("person:jordan", "Jordan", [50]),  # also a place of the article: left alone
        ("place:jordan", "Jordan", [70]),
        ("person:ana sill", "Ana Sill", [80]),  # two words: never re-keyed
    ]


# -- through the desk ------------------------------------------------------------------------------

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
FULL = (
    "Mara Velloso, the harbour master of Kestrel Bay, said on Monday that the ferry terminal would "
    'close for repairs. "We cannot risk another winter with the old pier," said Velloso. The '
    "council will meet on Thursday to discuss the budget for the works, which engineers estimate at "
    "four million dollars over two years. Traders on the waterfront said they feared losing customers."
)
ALONE = (
    'The ferry terminal at Kestrel Bay will reopen in May, officials said. "The new pier is stronger '
    'than anything we had," Velloso said on Friday. Engineers finished the works ahead of time and '
    "under budget, according to the council, which had approved four million dollars for the repairs. "
    "Traders on the waterfront welcomed the news after a quiet winter by the harbour."
)


def _ingest(desk: Desk, folder: Path, *texts: tuple[str, str, int]) -> list[int]:
    """Articles (slug, text, day) as one JSON Lines file, ingested in that order."""
    path = folder / f"{texts[0][0]}.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "url": f"https://harbour.example/news/{slug}",
                    "title": f"Harbour news {slug}",
                    "text": text,
                    "published": (T0 + timedelta(days=day)).isoformat(),
                    "source": "Harbour Times",
                }
            )
            + "\n"
            for slug, text, day in texts
        ),
        encoding="utf-8",
    )
    report = desk.ingest([path])
    assert report.new == len(texts)
    return report.article_ids


def _one_person(desk: Desk, ids: list[int]) -> None:
    """Mara Velloso is one entity named by both articles, speaking their quotes; ``Velloso`` alone is
    no entity of the desk; the export gives both articles the same key."""
    velloso = desk.entity("Mara Velloso")
    assert (velloso.key, velloso.articles, velloso.quotes) == ("person:mara velloso", 2, 3)
    assert [e.key for e in desk.entities(query="velloso")] == ["person:mara velloso"]
    assert desk.entity_by_key("person:mara velloso") == velloso
    hits = desk.quotes(speaker="Mara Velloso")
    # Both articles' quotes: the full name's article has two ("said on Monday that ..." too).
    assert {h.article_id for h in hits} == set(ids) and len(hits) == velloso.quotes
    assert {h.quote.speaker for h in hits} == {"Mara Velloso"}
    out = io.StringIO()
    desk.export("jsonl", out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    keys = {r["url"]: {e["key"] for e in r["entities"]} for r in records}
    speakers = {q["speaker_key"] for r in records for q in r["quotes"] if q["speaker"]}
    assert speakers == {"person:mara velloso"}
    assert all("person:mara velloso" in k and "person:velloso" not in k for k in keys.values()), keys


def test_a_surname_after_its_full_name_joins_it(tmp_path: Path) -> None:
    with open_desk(tmp_path / "d.sqlite", clock=TickingClock()) as desk:
        first = _ingest(desk, tmp_path, ("full", FULL, 0))
        later = _ingest(desk, tmp_path, ("alone", ALONE, 1))
        _one_person(desk, first + later)
        assert desk._store.entity_of_key("person:velloso") is None  # never made


def test_a_full_name_after_its_surname_takes_the_earlier_article_over(tmp_path: Path) -> None:
    with open_desk(tmp_path / "d.sqlite", clock=TickingClock()) as desk:
        first = _ingest(desk, tmp_path, ("alone", ALONE, 0))
        alone = desk.entity_by_key("person:velloso")
        assert (alone.articles, alone.quotes) == (1, 1)
        later = _ingest(desk, tmp_path, ("full", FULL, 1))
        _one_person(desk, first + later)
        gone = desk._store.entity_of_key("person:velloso")
        assert gone is not None and (gone.articles, gone.mentions, gone.quotes) == (0, 0, 0)
        understood = desk.understanding(first[0])
        assert understood is not None
        assert [q.speaker_key for q in understood.quotes if q.speaker] == ["person:mara velloso"]
        velloso = desk.entity("Mara Velloso")
        assert velloso.first_seen == T0 and velloso.last_seen == T0 + timedelta(days=1)
        # Understood again from scratch, the desk comes to the same.
        assert desk.reunderstand(everything=True) == 2
        _one_person(desk, first + later)


def test_a_surname_two_full_names_share_stays_alone(tmp_path: Path) -> None:
    boris = "Boris Johnson said the bridge plan was sound and would be built. Johnson visited the site. " * 8
    magic = "Magic Johnson visited the basketball club on Monday and met the players. Johnson smiled. " * 8
    alone = '"The deal is done," Johnson said on Tuesday after the vote in the council chamber. ' * 6
    with open_desk(tmp_path / "d.sqlite", clock=TickingClock()) as desk:
        _ingest(desk, tmp_path, ("boris", boris, 0), ("magic", magic, 1), ("alone", alone, 2))
        people = {e.key: e.articles for e in desk.entities(query="johnson")}
        assert people == {"person:boris johnson": 1, "person:magic johnson": 1, "person:johnson": 1}


def test_a_second_person_of_a_surname_gives_back_the_articles_joined_to_the_first(tmp_path: Path) -> None:
    """Once "Phelps" alone was joined to Fred Phelps, the one Phelps the desk knew; when Margie
    Phelps arrives the word means neither, and the earlier article says "Phelps" again."""
    fred = FULL.replace("Mara Velloso", "Fred Phelps").replace("Velloso", "Phelps")
    alone = ALONE.replace("Velloso", "Phelps")
    margie = (
        FULL.replace("Mara Velloso", "Margie Phelps").replace("Velloso", "Phelps").replace("Monday", "Sunday")
    )
    with open_desk(tmp_path / "d.sqlite", clock=TickingClock()) as desk:
        ids = _ingest(desk, tmp_path, ("fred", fred, 0)) + _ingest(desk, tmp_path, ("alone", alone, 1))
        assert {e.key: e.articles for e in desk.entities(query="phelps")} == {"person:fred phelps": 2}
        said = desk.understanding(ids[1])
        assert said is not None and {q.speaker_key for q in said.quotes if q.speaker} == {
            "person:fred phelps"
        }
        _ingest(desk, tmp_path, ("margie", margie, 2))
        people = {e.key: e.articles for e in desk.entities(query="phelps")}
        assert people == {"person:fred phelps": 1, "person:margie phelps": 1, "person:phelps": 1}
        said = desk.understanding(ids[1])
        assert said is not None
        assert [(q.speaker, q.speaker_key) for q in said.quotes if q.speaker] == [("Phelps", "person:phelps")]
        assert [e.name for e in said.entities if e.type == "person"] == ["Phelps"]
        # The full name's own article keeps it; understood again from scratch, the desk agrees.
        fred_said = desk.understanding(ids[0])
        assert fred_said is not None and "person:fred phelps" in {e.key for e in fred_said.entities}
        assert desk.reunderstand(everything=True) == 3
        assert {e.key: e.articles for e in desk.entities(query="phelps")} == people
