"""understand/entities.py on sentences of our own: offsets, types, joining, figures, determinism.

The model's quality on real news is the evaluation gate's (test_eval_entities.py, GUM); here each
sentence is one a person would write, and joining is also tested on given spans, whatever the model
says.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.understand.entities import (
    MODEL_PATH,
    Entity,
    EntityType,
    FigureKind,
    Mention,
    _join,
    _no_name,
    _retyped,
    _with_initials,
    canonical_key,
    find_entities,
    find_figures,
    label_spans,
    tokenise,
)

PER, ORG, LOC = EntityType.PERSON, EntityType.ORGANISATION, EntityType.PLACE

BIDEN = (
    "President Joe Biden met Chancellor Olaf Scholz in Washington on Tuesday. "
    "Biden said the talks had gone well. The president later flew to Chicago."
)
BANK = (
    "The European Central Bank raised its main rate on Thursday. Economists in Germany "
    "said the ECB had little choice."
)


def _by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def _check_offsets(text: str, entities: list[Entity]) -> None:
    for e in entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text, (e, m)


def test_the_model_ships_with_the_package() -> None:
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size > 10_000


def test_people_places_and_joined_forms_of_one_person() -> None:
    found = find_entities(BIDEN)
    _check_offsets(BIDEN, found)
    names = _by_name(found)
    biden = names["Joe Biden"]
    assert biden.type is EntityType.PERSON and biden.type == "person"
    assert [m.text for m in biden.mentions] == ["Joe Biden", "Biden", "The president"]
    assert names["Olaf Scholz"].type is EntityType.PERSON
    assert names["Washington"].type is EntityType.PLACE
    assert names["Chicago"].type is EntityType.PLACE
    assert "President" not in {m.text for e in found for m in e.mentions}


def test_an_acronym_joins_the_organisation_it_abbreviates() -> None:
    found = find_entities(BANK)
    _check_offsets(BANK, found)
    bank = _by_name(found)["European Central Bank"]
    assert bank.type is EntityType.ORGANISATION
    assert [m.text for m in bank.mentions] == ["European Central Bank", "ECB"]
    assert _by_name(found)["Germany"].type is EntityType.PLACE


def _spans(text: str, *parts: tuple[str, EntityType]) -> list[tuple[int, int, EntityType]]:
    out, pos = [], 0
    for surface, kind in parts:
        start = text.index(surface, pos)
        out.append((start, start + len(surface), kind))
        pos = start + len(surface)
    return out


def test_joining_on_given_spans_whatever_the_model_says() -> None:
    text = (
        "Prime Minister Ada Lovegood spoke. Lovegood's rival Tom Lovegood did not. "
        "Ada Lovegood left for Lisbon; Lisbon was cold. The Northern Rail Authority (NRA) "
        "and NRA staff waited, as did Lovegood."
    )
    spans = _spans(
        text,
        ("Prime Minister Ada Lovegood", PER),
        ("Lovegood", PER),
        ("Tom Lovegood", PER),
        ("Ada Lovegood", PER),
        ("Lisbon", LOC),
        ("Lisbon", LOC),
        ("Northern Rail Authority", ORG),
        ("NRA", ORG),
        ("NRA", ORG),
        ("Lovegood", ORG),  # typed otherwise, and ambiguous: two Lovegoods
    )
    groups = {(g.type, g.form): [m.text for m in g.mentions] for g in _join(text, spans)}
    assert groups[(PER, ("ada", "lovegood"))] == ["Prime Minister Ada Lovegood", "Ada Lovegood"]
    assert groups[(PER, ("tom", "lovegood"))] == ["Tom Lovegood"]
    assert groups[(LOC, ("lisbon",))] == ["Lisbon", "Lisbon"]
    assert groups[(ORG, ("northern", "rail", "authority"))] == ["Northern Rail Authority", "NRA", "NRA"]
    # "Lovegood" alone could be either person: it joins neither (and its types' tie goes to the first)
    assert groups[(PER, ("lovegood",))] == ["Lovegood", "Lovegood"]
    assert len(groups) == 5


def test_a_surname_joins_the_one_person_it_ends_even_when_typed_otherwise() -> None:
    text = "Mira Okafor won the vote. Okafor thanked voters; Okafor's party cheered."
    spans = _spans(text, ("Mira Okafor", PER), ("Okafor", ORG), ("Okafor", PER))
    groups = _join(text, spans)
    assert len(groups) == 1 and groups[0].type is PER
    assert [m.text for m in groups[0].mentions] == ["Mira Okafor", "Okafor", "Okafor"]


def test_a_generational_suffix_is_part_of_a_name_and_not_its_surname() -> None:
    """ "King" before "Jr." is a name, not a title: once, "Martin Luther King Jr" was keyed
    ``person:jr`` and joined "Robert Downey Jr" as one person, and "Downey" joined neither."""
    text = (
        "Martin Luther King Jr. spoke. Robert Downey Jr. listened and Downey clapped. "
        "Martin Luther King Sr. was his father. Pope John Paul II wrote."
    )
    spans = _spans(
        text,
        ("Martin Luther King Jr", PER),
        ("Robert Downey Jr", PER),
        ("Downey", PER),
        ("Martin Luther King Sr", PER),
        ("Pope John Paul II", PER),
    )
    groups = {g.form: [m.text for m in g.mentions] for g in _join(text, spans)}
    assert groups == {
        ("martin", "luther", "king", "jr"): ["Martin Luther King Jr"],
        ("robert", "downey", "jr"): ["Robert Downey Jr", "Downey"],
        ("martin", "luther", "king", "sr"): ["Martin Luther King Sr"],  # the father is not his son
        ("john", "paul", "ii"): ["Pope John Paul II"],
    }
    king = Entity("Dr. Martin Luther King Jr.", PER, ())
    assert canonical_key(king) == "person:martin luther king jr"
    assert canonical_key(Entity("Queen Elizabeth II", PER, ())) == "person:elizabeth ii"
    found = {e.name for e in find_entities("Dr. Martin Luther King Jr. spoke in Atlanta on Monday.")}
    assert "Martin Luther King Jr" in found


def test_a_middle_initial_keeps_the_name_whole() -> None:
    text = "George W. Bush met Michael J. Fox. Plan B. Then they left."
    spans = tokenise(text)
    words = [text[a:b] for a, b in spans]
    tagged = dict.fromkeys(range(len(spans)), "O")
    tagged.update({0: "B-PER", 1: "I-PER", 3: "B-PER", 5: "B-PER", 6: "I-PER", 8: "B-PER", 11: "I-PER"})
    labels = _with_initials(text, spans, [tagged[i] for i in range(len(spans))])
    found = [text[a:b] for a, b, _ in label_spans(text, spans, labels)]
    assert found == ["George W. Bush", "Michael J. Fox", "B"], (words, labels)
    assert "George W. Bush" in {e.name for e in find_entities("Former president George W. Bush spoke.")}


def test_a_role_or_a_word_capitalised_by_its_place_names_no_one() -> None:
    text = (
        "The Prime Minister spoke. Officials said Her Majesty and the Defence Secretary had agreed. The officials left. "
        "Rose Tate said so. Tate smiled. More was said, and more."
    )
    spans = _spans(
        text,
        ("Prime Minister", PER),
        ("Officials", PER),
        ("Her Majesty", PER),
        ("Defence Secretary", PER),
        ("Rose Tate", PER),
        ("Tate", PER),
        ("More", PER),
    )
    kept = [g.text for g in _join(text, spans) if not _no_name(text, g)]
    # A name that opens its sentence stays when the article never writes it in lower case.
    assert kept == ["Rose Tate"]
    # A function word names no one, even where the article never writes it in lower case.
    most = "Most of the crew left. Tate stayed."
    assert [
        g.text for g in _join(most, _spans(most, ("Most", PER), ("Tate", PER))) if not _no_name(most, g)
    ] == ["Tate"]
    alone = "Tate spoke first. Tate left."
    assert [
        g.text for g in _join(alone, _spans(alone, ("Tate", PER), ("Tate", PER))) if not _no_name(alone, g)
    ] == ["Tate"]


def test_a_people_is_a_group_one_across_articles_whatever_its_number() -> None:
    found = {e.name: e for e in find_entities("Many Israelis fear the talks. Palestinians wept in Gaza.")}
    assert found["Israelis"].type is EntityType.GROUP and found["Palestinians"].type is EntityType.GROUP
    group = EntityType.GROUP
    keys = {canonical_key(Entity(n, group, ())) for n in ("Israelis", "Israeli", "ISRAELIS")}
    assert keys == {"group:israeli"}
    assert canonical_key(Entity("Swiss", group, ())) == "group:swiss"
    assert canonical_key(Entity("Sunni Muslims", group, ())) == "group:sunni muslim"


def test_a_place_the_model_took_for_a_person_by_its_first_word() -> None:
    for place in ("San Francisco", "New Jersey", "Los Angeles", "Port Aldane", "Veyra Point"):
        assert _retyped(place, PER) is LOC, place
    # A people of the place, and a longer description before a name, are not the place.
    for person in ("New Zealander", "New York Democrat Jerrold Nadler", "Sandra New"):
        assert _retyped(person, PER) is PER, person


def test_a_movement_news_names_by_one_word_is_an_organisation() -> None:
    kinds = {e.name: e.type for e in find_entities("Hamas said the truce was over. The Taliban denied it.")}
    assert kinds == {"Hamas": ORG, "Taliban": ORG}


def test_the_title_resolves_only_when_one_person_holds_it() -> None:
    one = "President Lena Vos opened the session. The president spoke for an hour."
    two = "President Lena Vos met President Omar Haddad. The president spoke for an hour."
    g1 = _join(one, _spans(one, ("Lena Vos", PER)))
    assert [m.text for m in g1[0].mentions] == ["Lena Vos", "The president"]
    three = "The president Lena Vos spoke. President Lena Vos left."
    g3 = _join(three, _spans(three, ("Lena Vos", PER), ("Lena Vos", PER)))
    assert [m.text for m in g3[0].mentions] == ["Lena Vos", "Lena Vos"]
    g2 = _join(two, _spans(two, ("Lena Vos", PER), ("Omar Haddad", PER)))
    assert all("The president" not in [m.text for m in g.mentions] for g in g2)


def test_canonical_key_folds_case_accents_titles_and_possessives() -> None:
    a = Entity("José Ramírez", EntityType.PERSON, (Mention("José Ramírez", 0, 12),))
    b = Entity("JOSE RAMIREZ", EntityType.PERSON, (Mention("JOSE RAMIREZ", 0, 12),))
    c = Entity("Jose Ramirez", EntityType.PLACE, (Mention("Jose Ramirez", 0, 12),))
    assert canonical_key(a) == canonical_key(b) == "person:jose ramirez"
    assert canonical_key(c) == "place:jose ramirez"
    assert canonical_key(Entity("Dr. Ann Lee's", EntityType.PERSON, ())) == "person:ann lee"


def test_only_english_is_read() -> None:
    assert find_entities(BIDEN, language="de") == []
    assert find_entities(BIDEN, language=None) == []
    assert find_entities(BIDEN, language="en-GB") == find_entities(BIDEN)
    assert find_entities("") == [] and find_entities("   \n") == []


def test_same_text_same_entities_in_another_process() -> None:
    here = [
        (e.name, e.type.value, [(m.start, m.end) for m in e.mentions]) for e in find_entities(BIDEN + BANK)
    ]
    assert here == [
        (e.name, e.type.value, [(m.start, m.end) for m in e.mentions]) for e in find_entities(BIDEN + BANK)
    ]
    code = (
        "import json, sys\nfrom newsdesk.understand.entities import find_entities\n"
        "print(json.dumps([(e.name, e.type.value, [(m.start, m.end) for m in e.mentions]) "
        "for e in find_entities(sys.stdin.read())]))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], input=BIDEN + BANK, capture_output=True, text=True, check=True
    )
    assert [tuple(x) for x in json.loads(r.stdout)] == [(n, t, [list(s) for s in ms]) for n, t, ms in here]


def test_tokens_keep_exact_offsets_and_split_possessives() -> None:
    text = "The U.S. envoy met O'Neill's team in São Paulo — again."
    words = [text[a:b] for a, b in tokenise(text)]
    assert words == [
        "The",
        "U.S.",
        "envoy",
        "met",
        "O'Neill",
        "'s",
        "team",
        "in",
        "São",
        "Paulo",
        "—",
        "again",
        ".",
    ]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Ab Cd.,'’$%-\n1é ECB Joe")), max_size=120))
def test_offsets_hold_for_any_text(text: str) -> None:
    _check_offsets(text, find_entities(text))
    for f in find_figures(text):
        assert text[f.start : f.end] == f.text
    assert all(text[a:b].strip() == text[a:b] and b > a for a, b in tokenise(text))


@pytest.mark.parametrize(
    ("text", "kind", "surface", "value"),
    [
        ("The council spent $4.5 million on roads.", FigureKind.MONEY, "$4.5 million", "USD 4500000"),
        ("It cost €300 last year.", FigureKind.MONEY, "€300", "EUR 300"),
        ("A fine of 2,500 pounds was paid.", FigureKind.MONEY, "2,500 pounds", "GBP 2500"),
        ("Prices rose 3.2% in May.", FigureKind.PERCENT, "3.2%", "3.2"),
        ("Turnout fell 12 percent.", FigureKind.PERCENT, "12 percent", "12"),
        ("Turnout fell 7 per cent.", FigureKind.PERCENT, "7 per cent", "7"),
        ("The vote is on March 5, 2024 in town.", FigureKind.DATE, "March 5, 2024", "2024-03-05"),
        ("It opened on Friday, 21 August 2015.", FigureKind.DATE, "Friday, 21 August 2015", "2015-08-21"),
        ("Filed 2019-11-02 by the clerk.", FigureKind.DATE, "2019-11-02", "2019-11-02"),
        ("Work began in 1998 and ended.", FigureKind.DATE, "1998", "1998"),
        ("They met in June 2020.", FigureKind.DATE, "June 2020", "2020-06"),
        ("The storm's winds reached 200 km/h.", FigureKind.QUANTITY, "200 km/h", "200 km/h"),
        ("The road is 12.5 kilometres long.", FigureKind.QUANTITY, "12.5 kilometres", "12.5 km"),
    ],
)
def test_figures(text: str, kind: FigureKind, surface: str, value: str) -> None:
    figures = find_figures(text)
    assert [(f.kind, f.text, f.value) for f in figures] == [(kind, surface, value)]
    f = figures[0]
    assert text[f.start : f.end] == surface


def test_figures_do_not_overlap_and_come_in_order() -> None:
    text = "On 4 May 2021 the firm lost $1.2bn, or 15% of its value, over 300 miles of track."
    figures = find_figures(text)
    assert [f.kind for f in figures] == [
        FigureKind.DATE,
        FigureKind.MONEY,
        FigureKind.PERCENT,
        FigureKind.QUANTITY,
    ]
    assert [f.value for f in figures] == ["2021-05-04", "USD 1200000000", "15", "300 mi"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(figures))
    assert find_figures("Room 101 has 3 chairs.") == []


def test_one_country_or_institution_under_the_names_news_gives_it() -> None:
    text = (
        "U.S. Secretary of State Antony Blinken met officials in Washington. America and Britain "
        "signed the pact at the U.N. on Monday; the UK said the United Nations would oversee it, "
        "and the Kremlin said it would not."
    )
    found = find_entities(text)
    keys = {canonical_key(e): e for e in found}
    assert {m.text for e in found if canonical_key(e) == "place:united kingdom" for m in e.mentions} == {
        "Britain",
        "UK",
    }
    assert keys["place:united states"].name == "United States"
    assert {
        m.text for e in found if canonical_key(e) == "organisation:united nations" for m in e.mentions
    } == {
        "U.N.",
        "United Nations",
    }
    assert keys["organisation:kremlin"].type is ORG
    # The office before a name is not the name.
    assert "person:antony blinken" in keys
    assert not {"place:britain", "place:uk", "place:america", "person:kremlin"} & set(keys)


def test_every_layer_knows_the_same_kinds_of_entity() -> None:
    """The stage's types are the model's list, which the stores, the CLI, the site and the API
    filter by (they may not import the stage)."""
    import typing

    from newsdesk.model import ENTITY_TYPES
    from newsdesk.web.api.entities import list_entities
    from newsdesk.web.understood import ENTITY_TYPES as SHOWN

    assert tuple(EntityType) == ENTITY_TYPES
    assert tuple(SHOWN) == ENTITY_TYPES
    kind = typing.get_type_hints(list_entities, include_extras=True)["type"]
    literal = next(
        a for a in typing.get_args(typing.get_args(kind)[0]) if typing.get_origin(a) is typing.Literal
    )
    assert typing.get_args(literal) == ENTITY_TYPES
