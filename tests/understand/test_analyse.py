"""``understand.analyse``: the parts put together as the desk stores them."""

from __future__ import annotations

from newsdesk import understand
from newsdesk.understand._analyse import statement_key
from newsdesk.understand.entities import demonym

TEXT = (
    "KESTREL BAY (Pressline) - Dockworkers walked out on Monday after pay talks with Meridian "
    "Terminals collapsed.\n\n"
    "“Our members have kept this port running,” said union leader Brannock Sill.\n\n"
    "Sill added that the union would strike again next week.\n\n"
    "(Reporting by Rufus Amadi; editing by Ilse Marrow)"
)


def test_speakers_are_the_articles_entities_and_offsets_point_into_the_text() -> None:
    u = understand.analyse(TEXT)
    assert u.version == understand.version()
    keys = {e.key for e in u.entities}
    assert "person:brannock sill" in keys
    said = [(q.speaker, q.speaker_key, q.direct) for q in u.quotes]
    assert said[0] == ("Brannock Sill", "person:brannock sill", True)
    assert ("Brannock Sill", "person:brannock sill", False) in said  # "Sill added that ..."
    for q in u.quotes:
        assert TEXT[q.start : q.end] == q.text and TEXT[q.cue_start : q.cue_end] == q.cue


def test_who_after_a_name_is_that_name() -> None:
    text = (
        "Port officials met Mayor Ana Ruiz of Kestrel Bay, who said the harbour would reopen on "
        "Friday. Talks went on with Meridian Terminals, which said it was ready to improve its offer. "
        "Later, a spokesman for the ferry line, who said nothing else, confirmed the timetable."
    )
    said = {q.text: (q.speaker, q.speaker_mention) for q in understand.analyse(text).quotes}
    assert said["the harbour would reopen on Friday."] == ("Ana Ruiz", "who")
    assert said["it was ready to improve its offer."] == ("Meridian Terminals", "which")
    # The clause is about a spokesman, not a name: nobody is guessed.
    assert said["nothing else"] == (None, "who")


def test_a_name_that_only_qualifies_the_speaker_is_not_the_speaker() -> None:
    text = (
        "Ferries stopped at Kestrel Bay on Monday after talks between Meridian Terminals and the "
        "Harbour and Dock Workers' Union broke down.\n\n"
        "Meridian Terminals officials said the port would stay shut until Thursday.\n\n"
        "Kestrel Bay port officials said ferries would run again on Sunday.\n\n"
        "Brannock Sill also said the union would meet again on Friday.\n\n"
        "Meridian Terminals said it had made its best offer."
    )
    said = {q.text: (q.speaker_key, q.speaker_mention) for q in understand.analyse(text).quotes}
    # "Meridian Terminals officials", "Kestrel Bay port officials": the officials speak.
    officials = said["the port would stay shut until Thursday."]
    assert officials[0] is None and "officials" in (officials[1] or "")
    assert said["ferries would run again on Sunday."][0] is None
    # A name followed by an adverb, or by its verb, is the speaker.
    assert said["the union would meet again on Friday."][0] == "person:brannock sill"
    assert said["it had made its best offer."][0] == "organisation:meridian terminals"


def test_a_people_is_no_speaker() -> None:
    assert demonym("Israeli") and demonym("Russians") and demonym("Many Palestinians") and demonym("Swiss")
    assert not demonym("Obama") and not demonym("Jordan") and not demonym("American Airlines")
    text = (
        "Israel's prime minister, Dario Vell, met the Russian ambassador on Monday. Many "
        "Israelis fear the talks will fail.\n\n"
        "He said the border would reopen within a week.\n\n"
        "Israelis said they would wait and see."
    )
    found = understand.analyse(text)
    said = {q.text: q.speaker_key for q in found.quotes}
    # "He" is the last person named, not the people named after him.
    assert said["the border would reopen within a week."] == "person:dario vell"
    assert said.get("they would wait and see.") is None
    # A people is an entity of its own type, not a person (nor an organisation, nor a place).
    kinds = {e.key: e.type for e in found.entities}
    assert kinds.get("group:israeli") == "group" and kinds.get("person:dario vell") == "person"
    assert not any(k.startswith("person:") and "israel" in k for k in kinds)


def test_the_journalists_of_a_credit_line_are_not_entities_of_the_story() -> None:
    names = {e.name for e in understand.analyse(TEXT).entities}
    assert not names & {"Rufus Amadi", "Ilse Marrow", "Reporting"}


def test_the_same_words_are_one_statement_whatever_their_spelling() -> None:
    assert statement_key("Our members have kept this port running") == statement_key(
        "our members  have kept this port running!"
    )
    assert statement_key("Our members have kept this port running") != statement_key("Our members left")


def test_a_language_the_models_do_not_read_gets_figures_only() -> None:
    u = understand.analyse("Le port de Kestrel Bay est fermé depuis le 2 mars, a dit M. Sill.", language="fr")
    assert u.entities == () and u.quotes == ()
    u = understand.analyse("Die Preise stiegen um 4,5 %.", language=None)
    assert u.entities == () and u.quotes == ()
