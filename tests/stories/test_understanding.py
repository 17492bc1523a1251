"""Stories with understanding: entities, figures and speakers given to ``features`` as plain values."""

from __future__ import annotations

from dataclasses import replace

from newsdesk import stories as st
from newsdesk._understanding import story_terms
from newsdesk.understand import analyse

DAY = 86_400.0
T = 1_800_000_000.0

# Older coverage (closed stories by the time the fires arrive): the words of any plant fire are
# common, as they are in a real stream, so only the facts of an event tell two fires apart.
BACKGROUND = [
    (
        "Parliament passes budget",
        "The parliament passed the budget after a long debate about taxes and schools.",
    ),
    (
        "Storm closes schools",
        "A storm closed schools and roads across the region as snow fell through the night.",
    ),
    (
        "Fire at a warehouse",
        "Firefighters fought a blaze at a warehouse; two workers were hurt and the road was closed.",
    ),
    ("Plant fire", "A fire at a chemical plant hurt workers; police began an investigation into the blaze."),
    (
        "Chemical blaze",
        "Residents were told to stay indoors as a chemical fire burned at a plant by the river.",
    ),
    ("Team wins final", "The home team won the cup final with a late goal in front of a full stadium."),
]
# No names in the words: what the event is about comes only with the entities.
FIRE = (
    "Fire at chemical plant",
    "A fire broke out at a chemical plant on Monday. Firefighters fought the blaze for six hours and the "
    "owner said nobody was hurt. Residents were told to keep windows closed.",
)
SAME_FIRE_OTHER_WORDS = (
    "Blaze at chemical works",
    "Crews battled flames at the chemical works overnight. The company promised an inquiry into the blaze "
    "and said the damage was heavy.",
)
OTHER_FIRE = (
    "Workers hurt in plant fire",
    "Two workers were hurt on Tuesday when a blaze swept through a chemical plant. An investigation began "
    "and the site stayed shut.",
)
PORTO = {"person:ana ruiz": 3, "organisation:delta chemicals": 2, "place:porto": 2}
NINGBO = {"person:li wei": 3, "organisation:sun chemicals": 2, "place:ningbo": 2}


def _stories(*entities: dict[str, int] | None) -> list[int]:
    """Story ids of the three fire reports (background first, long before), given their entities."""
    book = st.MemoryBook()
    for i, (title, text) in enumerate(BACKGROUND, start=1):
        st.assign(book, st.features(i, title, text, when=T - 60 * DAY + i))
    out = []
    for i, ((title, text), ents) in enumerate(
        zip((FIRE, SAME_FIRE_OTHER_WORDS, OTHER_FIRE), entities, strict=True), start=100
    ):
        out.append(st.assign(book, st.features(i, title, text, when=T + i, entities=ents)).story_id)
    return out


def test_without_understanding_features_are_unchanged() -> None:
    title, text = FIRE
    plain = st.features(1, title, text, when=T)
    assert st.features(1, title, text, when=T, entities=None, figures=None, speakers=None) == plain
    assert st.features(1, title, text, when=T, entities={}, figures=[], speakers=[]) == plain


def test_understanding_becomes_anchor_terms_weighted_by_params() -> None:
    p = st.DEFAULT
    doc = st.features(
        1,
        "Fire",
        "a fire at the plant",
        entities={"person:ana ruiz": 3, "place:porto": 1},
        figures=["date:2026-04-02", "money:EUR 2000000", "date:2026-04-02"],
        speakers=["person:ana ruiz", "person:ana ruiz"],
    )
    c = doc.counts
    assert c["@person:ana ruiz"] == 3 * p.entity_weight + 2 * p.speaker_weight
    assert c["@place:porto"] == p.entity_weight
    assert c["@date:2026-04-02"] == 2 * p.figure_weight
    assert c["@money:EUR 2000000"] == p.figure_weight
    assert c["fire"] == p.title_boost + 1  # the words are the same as without understanding
    # a weight of 0 leaves that kind out
    off = replace(p, entity_weight=0.0, figure_weight=0.0, speaker_weight=0.0)
    bare = st.features(
        1, "Fire", "a fire at the plant", params=off, entities={"place:porto": 1}, figures=["x:1"]
    )
    assert bare == st.features(1, "Fire", "a fire at the plant", params=off)


def test_lookalike_events_with_different_actors_stay_apart() -> None:
    first, same, other = _stories(PORTO, PORTO, NINGBO)
    assert same == first  # one fire told in other words, the same people and places: one story
    assert other != first  # another plant's fire in the same words, other actors: its own story


def test_the_same_words_with_the_same_actors_join() -> None:
    first, same, other = _stories(PORTO, PORTO, PORTO)
    assert same == first and other == first


def test_without_entities_words_alone_get_these_fires_wrong() -> None:
    """What the entities fix here: on words alone, the report in other words starts a story and the
    look-alike joins the first fire's."""
    first, same, other = _stories(None, None, None)
    assert same != first and other == first


def test_related_ranks_the_same_actors_first() -> None:
    docs = [
        st.features(1, *FIRE, entities=PORTO),
        st.features(2, *SAME_FIRE_OTHER_WORDS, entities=PORTO),
        st.features(3, *OTHER_FIRE, entities=NINGBO),
    ] + [st.features(10 + i, t, x) for i, (t, x) in enumerate(BACKGROUND)]
    df: dict[str, int] = {}
    for d in docs:
        for t in d.counts:
            df[t] = df.get(t, 0) + 1
    v = [st.vector(d.counts, df, len(docs)) for d in docs]
    w = st.DEFAULT.anchor_weight
    assert st.similarity(v[0], v[1], w) > st.similarity(v[0], v[2], w)


def test_story_terms_converts_the_understand_stage_to_plain_values() -> None:
    text = (
        "Mayor Ana Ruiz of Porto said on 2 April 2026 that the plant would stay shut. "
        '"Nobody will go back in until it is safe," Ana Ruiz said. The repairs will cost EUR 2 million, '
        "and Delta Chemicals will pay, said Ruiz."
    )
    found = analyse(text)
    u = story_terms(found)
    assert u["entities"]["person:ana ruiz"] >= 2
    assert "date:2026-04-02" in u["figures"]
    assert "person:ana ruiz" in u["speakers"]
    assert all(isinstance(n, int) for n in u["entities"].values())
    doc = st.features(1, "", text, **u)
    assert "@person:ana ruiz" in doc.counts and "@date:2026-04-02" in doc.counts
    # no quotes given: no speakers
    assert story_terms(replace(found, quotes=()))["speakers"] == []
