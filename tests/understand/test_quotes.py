"""understand/quotes.py: each form of attribution on sentences of our own, offsets that hold, the
speaker resolver, and the evaluation gate on PolNeAR's dev split (bench/understand/quotes.py)."""

from __future__ import annotations

import dataclasses

import pytest
from bench.understand.quotes import score

from newsdesk.understand.quotes import Quote, find_quotes
from newsdesk.understand.speakers import resolve_speaker

from ..conftest import require_gate


def one(text: str, *, language: str | None = "en", stance: bool = False) -> Quote:
    quotes = find_quotes(text, language=language, stance=stance)
    assert len(quotes) == 1, quotes
    return quotes[0]


def check_offsets(text: str, quotes: list[Quote]) -> None:
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert text[q.cue_start : q.cue_end] == q.cue
        if q.speaker_mention is None:
            assert q.speaker_start is None and q.speaker_end is None
        else:
            assert q.speaker_start is not None and q.speaker_end is not None
            assert text[q.speaker_start : q.speaker_end] == q.speaker_mention


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # the cue after the quotation
        (
            "“We will rebuild the bridge by spring,” she said.",
            "she",
            "said",
            "“We will rebuild the bridge by spring,”",
        ),
        ('"The ferry stays," said Ana Ruiz, the mayor.', "Ana Ruiz", "said", '"The ferry stays,"'),
        (
            "“The ferry stays,” Mayor Ana Ruiz said on Tuesday.",
            "Mayor Ana Ruiz",
            "said",
            "“The ferry stays,”",
        ),
        (
            "“The ferry stays,” Tom Berg, her deputy, told reporters.",
            "Tom Berg",
            "told reporters",
            "“The ferry stays,”",
        ),
        # in the next sentence: it must end with the cue
        (
            "“The bridge was never safe.” The minister added.",
            "The minister",
            "added",
            "“The bridge was never safe.”",
        ),
        # the cue before
        (
            "The mayor said: “We will rebuild the bridge.”",
            "The mayor",
            "said",
            "“We will rebuild the bridge.”",
        ),
        (
            "He added, “Nobody will be left without a road.”",
            "He",
            "added",
            "“Nobody will be left without a road.”",
        ),
    ],
)
def test_direct_quotes_before_and_after_their_cue(text: str, speaker: str, cue: str, content: str) -> None:
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (speaker, cue, content, True)


def test_a_quotation_interrupted_by_its_cue_is_one_attribution() -> None:
    text = "“The repairs will take a year,” she said. “Nobody will be left without a road.”"
    q = one(text)
    assert (q.start, q.end) == (0, len(text)) and q.speaker_mention == "she" and q.direct


def test_a_sentence_of_quotation_that_goes_on_after_its_cue_is_one_attribution() -> None:
    text = "“That does not mean no answer,” one aide said on Monday, “but a quiet one.”"
    q = one(text)
    assert (q.start, q.end, q.speaker_mention, q.cue) == (0, len(text), "one aide", "said")


def test_a_quotation_goes_on_in_the_next_paragraph_that_opens_with_a_mark() -> None:
    text = (
        "Ruiz told residents on Monday:\n\n"
        "“We have waited long enough. The money is there.\n\n"
        "“The work starts in May.”\n\n"
        "The meeting ended at nine."
    )
    q = one(text)
    check_offsets(text, [q])
    assert q.text.startswith("“We have waited") and q.text.endswith("in May.”")
    assert (q.speaker_mention, q.cue, q.direct) == ("Ruiz", "told", True)


def test_an_unclosed_quotation_ends_with_its_paragraph_when_the_next_does_not_open_with_a_mark() -> None:
    text = "“We have waited long enough,” Ruiz said. “The money is there.\n\nThe meeting ended at nine."
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert all("meeting" not in q.text for q in quotes)


def test_a_paragraph_of_quotation_after_an_attributed_one_is_the_same_speaker() -> None:
    text = "“The bridge is closed,” the engineer said.\n\n“It will stay closed until the inspection.”"
    first, second = find_quotes(text)
    check_offsets(text, [first, second])
    assert second.text == "“It will stay closed until the inspection.”"
    assert second.speaker_mention == first.speaker_mention == "the engineer"


def test_partial_quotes() -> None:
    text = "Ana Ruiz called the delay “a disgrace.”"
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (
        "Ana Ruiz",
        "called",
        "the delay “a disgrace.”",
        True,
    )
    text = "She said the plan was “dead on arrival.”"
    q = one(text)
    assert q.text == "the plan was “dead on arrival.”" and q.direct


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            "Ana Ruiz said that the bridge would reopen in May.",
            "Ana Ruiz",
            "said",
            "that the bridge would reopen in May.",
        ),
        (
            "Ruiz said on Monday that the bridge would reopen.",
            "Ruiz",
            "said",
            "that the bridge would reopen.",
        ),
        (
            "The mayor told reporters the bridge would reopen in May.",
            "The mayor",
            "told reporters",
            "the bridge would reopen in May.",
        ),
        (
            "The council warned that the bridge could close again.",
            "The council",
            "warned",
            "that the bridge could close again.",
        ),
        (
            "He denied that the contract had been rigged.",
            "He",
            "denied",
            "that the contract had been rigged.",
        ),
        ("Ruiz insisted the repairs were on schedule.", "Ruiz", "insisted", "the repairs were on schedule."),
        ("Officials say the bridge is safe.", "Officials", "say", "the bridge is safe."),
        (
            "A spokesperson for the council said the bridge would reopen in May.",
            "A spokesperson for the council",
            "said",
            "the bridge would reopen in May.",
        ),
        (
            "The bridge will reopen in May, the mayor said.",
            "the mayor",
            "said",
            "The bridge will reopen in May",
        ),
        (
            "The bridge will reopen in May, said Tom Berg.",
            "Tom Berg",
            "said",
            "The bridge will reopen in May",
        ),
        (
            "The ferry has never run so late in the year, said Tom Berg, the deputy mayor of the town.",
            "Tom Berg",
            "said",
            "The ferry has never run so late in the year",
        ),
        (
            "Tom Berg, the deputy mayor, who opposed the plan, said he would vote against it.",
            "Tom Berg",
            "said",
            "he would vote against it.",
        ),
        (
            "According to the city council, the bridge will reopen.",
            "the city council",
            "According to",
            "the bridge will reopen.",
        ),
        (
            "The bridge will reopen, according to the city council.",
            "the city council",
            "according to",
            "The bridge will reopen",
        ),
        (
            "Ana Ruiz, the mayor, said the ferry would run all winter.",
            "Ana Ruiz",
            "said",
            "the ferry would run all winter.",
        ),
        (
            "Senator Ana Ruiz (D-Ore.) last week said the bridge was safe.",
            "Senator Ana Ruiz",
            "said",
            "the bridge was safe.",
        ),
        (
            "Tom Berg, the deputy mayor, on Tuesday called the contract a mistake.",
            "Tom Berg",
            "called",
            "the contract a mistake.",
        ),
        (
            "Despite the praise, Ruiz says she goes back to work tomorrow.",
            "Ruiz",
            "says",
            "she goes back to work tomorrow.",
        ),
        (
            "Ruiz went on to say the ferry would run all winter.",
            "Ruiz",
            "say",
            "the ferry would run all winter.",
        ),
        (
            "Ruiz visited the site on Monday and said the work was behind schedule.",
            "Ruiz",
            "said",
            "the work was behind schedule.",
        ),
        (
            "Berg criticised the contract, saying it cost twice the estimate.",
            "Berg",
            "saying",
            "it cost twice the estimate.",
        ),
    ],
)
def test_reported_speech(text: str, speaker: str, cue: str, content: str) -> None:
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (speaker, cue, content, False)


def test_a_speaker_and_a_colon_opening_a_paragraph_headline_or_transcript() -> None:
    text = "Ruiz: “The Bridge Will Open In May.”\n\nUPDATE: The council met on Monday."
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (
        "Ruiz",
        ":",
        "“The Bridge Will Open In May.”",
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Critics attacked the so-called “reform” of the transport budget.",  # scare quotes
        "The council met in the “Old Hall” on Monday.",  # a name in quotation marks
        "The report was published on Monday.",  # a noun, no speaker
        "Some states report their figures late.",  # "states" is a noun after "some"
        "The bridge is closed.",
        "",
    ],
)
def test_no_quote_without_a_cue(text: str) -> None:
    assert find_quotes(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ruiz said the bridge was safe, but critics say it needs repairs.",
            [("Ruiz", "said", "the bridge was safe"), ("critics", "say", "it needs repairs.")],
        ),
        (
            "Ruiz said the bridge was safe and added that the ferry would run.",
            [("Ruiz", "said", "the bridge was safe"), ("Ruiz", "added", "that the ferry would run.")],
        ),
        (
            "Ruiz said the bridge was safe, adding that the ferry would run.",
            [("Ruiz", "said", "the bridge was safe"), ("Ruiz", "adding", "that the ferry would run.")],
        ),
        (
            "Asked whether the bridge was safe, Ruiz said it would stand for years.",
            [(None, "Asked", "whether the bridge was safe"), ("Ruiz", "said", "it would stand for years.")],
        ),
        (
            "When asked by reporters about the ferry, Ruiz declined to comment.",
            [("reporters", "asked", "about the ferry"), ("Ruiz", "declined", "to comment.")],
        ),
        (
            "“The bridge is safe,” Ruiz said, adding that the ferry would run.",
            [("Ruiz", "said", "“The bridge is safe,”"), ("Ruiz", "adding", "that the ferry would run.")],
        ),
    ],
)
def test_two_attributions_in_one_sentence(text: str, expected: list[tuple[str | None, str, str]]) -> None:
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == expected


def test_positions_taken_are_attributions_only_when_asked() -> None:
    text = "Berg accused the contractor of cutting corners."
    assert find_quotes(text) == []
    q = one(text, stance=True)
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (
        "Berg",
        "accused",
        "the contractor of cutting corners.",
        False,
    )


def test_other_languages_get_direct_quotes_with_their_cues() -> None:
    fr = "« Nous allons reconstruire le pont », a déclaré la maire."
    q = one(fr, language="fr")
    assert (q.speaker_mention, q.cue, q.text) == (
        "la maire",
        "a déclaré",
        "« Nous allons reconstruire le pont »",
    )
    de = "„Wir bauen die Brücke neu“, sagte die Bürgermeisterin."
    q = one(de, language="de-AT")
    assert (q.speaker_mention, q.cue, q.text) == (
        "die Bürgermeisterin",
        "sagte",
        "„Wir bauen die Brücke neu“",
    )
    assert find_quotes("“Ni hao,” she said.", language="zh") == []
    assert find_quotes("“We will rebuild,” she said.", language=None)[0].speaker_mention == "she"


def test_double_apostrophes_are_quotation_marks() -> None:
    text = "''We will rebuild the bridge,'' Ms. Ruiz said."
    q = one(text)
    check_offsets(text, [q])
    assert q.text == "''We will rebuild the bridge,''" and q.direct and q.speaker_mention == "Ms. Ruiz"


def test_offsets_hold_over_an_article() -> None:
    text = (
        "Ana Ruiz, the mayor of the town, spoke to residents on Monday.\n\n"
        "“We will not wait for the state,” she said. “The money is there.”\n\n"
        "Her deputy, Tom Berg, was more cautious. “It depends on the budget,” he said, adding that the "
        "council would vote in March.\n\n"
        "The work will take a year, according to the engineers. Officials say the ferry will run meanwhile."
    )
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    assert len(quotes) >= 4
    assert dataclasses.is_dataclass(Quote) and Quote.__dataclass_params__.frozen  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        quotes[0].text = "x"  # type: ignore[misc]


def test_resolve_speaker_maps_pronouns_and_descriptions_to_the_nearest_name() -> None:
    text = (
        "Ana Ruiz, the mayor of the town, spoke to residents on Monday.\n\n"
        "“We will not wait for the state,” she said.\n\n"
        "Her deputy, Tom Berg, was more cautious. “It depends on the budget,” he said.\n\n"
        "“We can only spend what we have,” Mayor Ana Ruiz said. “Nothing more,” Ruiz added later.\n\n"
        "Ana Ruiz met Tom Berg on Friday. “We agree,” she said."
    )
    quotes = find_quotes(text)
    names = resolve_speaker(quotes, text)
    assert [q.speaker_mention for q in quotes] == ["she", "he", "Mayor Ana Ruiz", "Ruiz", "she"]
    # the last "she" follows a sentence naming two people: not clear
    assert names == ["Ana Ruiz", "Tom Berg", "Ana Ruiz", "Ana Ruiz", None]


def test_resolve_speaker_leaves_groups_and_unknowns_alone() -> None:
    text = "Officials say the bridge is safe. The council warned that it could close again."
    quotes = find_quotes(text)
    assert resolve_speaker(quotes, text) == [None, None]
    assert resolve_speaker([], text) == []


@pytest.mark.slow
@pytest.mark.evaluation
def test_quotes_quality_gate_on_polnear_dev() -> None:
    floor = require_gate("quotes").floors
    speech = score("dev")
    stance = score("dev", stance=True)
    assert speech["all"]["precision"] >= floor["all_precision"], speech["all"]
    assert speech["all"]["f1"] >= floor["all_f1"], speech["all"]
    assert speech["direct"]["precision"] >= floor["direct_precision"], speech["direct"]
    assert speech["direct"]["recall"] >= floor["direct_recall"], speech["direct"]
    assert speech["direct"]["f1"] >= floor["direct_f1"], speech["direct"]
    assert speech["speaker_accuracy"] >= floor["speaker_accuracy"], speech
    assert stance["all"]["f1"] >= floor["stance_all_f1"], stance["all"]
    assert stance["all"]["precision"] >= floor["stance_all_precision"], stance["all"]


# -- the constructions of issue 17, part 2 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sentence of speaker and cue only, then the quotation
        (
            "Tom Berg, the harbour master, said in a statement. “The tides decide everything here.”",
            [("Tom Berg", "said", "“The tides decide everything here.”", True)],
        ),
        # the cue ends the sentence the quotation opens, a few words after it
        (
            "“We don’t close the ferry” for anything less than a storm, she said.",
            [("she", "said", "“We don’t close the ferry” for anything less than a storm", True)],
        ),
        # a long apposition after ", said NAME", then the quotation goes on
        (
            "“The tide is early,” said Tom Berg, the harbour master who has run the port since the "
            "old pier burned down. “We have to move the boats.”",
            [
                (
                    "Tom Berg",
                    "said",
                    "“The tide is early,” said Tom Berg, the harbour master who has run the port since "
                    "the old pier burned down. “We have to move the boats.”",
                    True,
                )
            ],
        ),
        # a title's full stop inside the interrupting cue; a straight mark closed by a curly one
        (
            '"The ferry will run all winter,” Ms. Ruiz said, "and the bridge will open in May.”',
            [
                (
                    "Ms. Ruiz",
                    "said",
                    '"The ferry will run all winter,” Ms. Ruiz said, "and the bridge will open in May.”',
                    True,
                )
            ],
        ),
        # any verb in the past ending the clause after the quotation and its comma
        (
            "“If she wants to be mayor, she should come to the harbour,” the editorial read.",
            [("the editorial", "read", "“If she wants to be mayor, she should come to the harbour,”", True)],
        ),
        # ", who said ..." after the quotation's speaker
        (
            "“The ferry stays,” said Ana Ruiz, who added that the council would vote in March.",
            [
                ("Ana Ruiz", "said", "“The ferry stays,”", True),
                ("who", "added", "that the council would vote in March.", False),
            ],
        ),
        # a stance with quoted words is a quote, without stance=True
        (
            "The mayor condemned “such a reckless plan” on Monday.",
            [("The mayor", "condemned", "“such a reckless plan” on Monday.", True)],
        ),
        # a quotation in the sentence's opening words is not what its cue reports
        (
            "On the radio show “Harbour Talk,” Ruiz said that the ferry would run.",
            [("Ruiz", "said", "that the ferry would run.", False)],
        ),
        # "- but he said": the words between the quotation and the cue are not a speaker
        (
            "Berg called the plan “a fine start” - but he said the money would run out by May.",
            [
                ("Berg", "called", "the plan “a fine start”", True),
                ("he", "said", "the money would run out by May.", False),
            ],
        ),
    ],
)
def test_direct_quotes_whose_cue_stands_apart(text: str, expected: list[tuple[str, str, str, bool]]) -> None:
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text, q.direct) for q in quotes] == expected


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            "As the mayor put it, the bridge will be rebuilt by spring.",
            "the mayor",
            "put it",
            "the bridge will be rebuilt by spring.",
        ),
        (
            "The bridge will be rebuilt by spring, in the words of the mayor.",
            "the mayor",
            "in the words of",
            "The bridge will be rebuilt by spring",
        ),
        (
            "Residents laughed at the councillor’s claim that the ferry was never late.",
            "the councillor’s",
            "claim",
            "that the ferry was never late",
        ),
        (
            "Critics doubted Berg’s promise that the tunnel would cost nothing.",
            "Berg’s",
            "promise",
            "that the tunnel would cost nothing",
        ),
        (
            "The engineers concluded that the tunnel was too costly.",
            "The engineers",
            "concluded",
            "that the tunnel was too costly.",
        ),
        (
            "Ana Ruiz reiterated that the ferry would run.",
            "Ana Ruiz",
            "reiterated",
            "that the ferry would run.",
        ),
        (
            "Ruiz made it clear that the ferry would stay.",
            "Ruiz",
            "made it clear",
            "that the ferry would stay.",
        ),
        (
            "Berg privately made the case to the council that the bridge could wait.",
            "Berg",
            "made the case",
            "that the bridge could wait.",
        ),
        (
            "The mayor assured residents that the ferry would run.",
            "The mayor",
            "assured residents",
            "that the ferry would run.",
        ),
        (
            "Ana Ruiz said Thursday her deputy would take over the budget.",
            "Ana Ruiz",
            "said",
            "her deputy would take over the budget.",
        ),
        (
            "A spokesman for the council declined to comment.",
            "A spokesman for the council",
            "declined",
            "to comment.",
        ),
        (
            "The mayor refused to say whether the ferry would run.",
            "The mayor",
            "refused",
            "to say whether the ferry would run.",
        ),
    ],
)
def test_reported_speech_constructions(text: str, speaker: str, cue: str, content: str) -> None:
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (speaker, cue, content, False)


def test_in_someones_words_before_a_quotation() -> None:
    text = "In Ana Ruiz’s words, “the ferry is a lifeline.”"
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (
        "Ana Ruiz’s",
        "In Ana Ruiz’s words",
        "“the ferry is a lifeline.”",
        True,
    )


def test_a_list_of_stances_after_one_speaker_is_one_attribution_each() -> None:
    text = "Berg defended the budget, mocked the council and praised the engineers."
    assert find_quotes(text) == []
    quotes = find_quotes(text, stance=True)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == [
        ("Berg", "defended", "the budget"),
        ("Berg", "mocked", "the council"),
        ("Berg", "praised", "the engineers."),
    ]


def test_a_quotation_signed_with_a_dash_and_a_name() -> None:
    text = (
        "“The ferry is all we have.” ― Jane Smith, a nurse from the island\n\n"
        "“The tides decide everything here.”\n\n- Tom Berg.\n\n"
        "“Slow and steady.” — the old saying"
    )
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == [
        ("Jane Smith", "―", "“The ferry is all we have.”"),
        ("Tom Berg", "-", "“The tides decide everything here.”"),
    ]


def test_a_cue_in_the_middle_of_a_sentence_that_goes_on_in_quotation_marks() -> None:
    text = "These and other rulings, the lawyers said, “all point the same way” on the ferry."
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text) == (
        "the lawyers",
        "said",
        "These and other rulings, the lawyers said, “all point the same way”",
    )
    text = "In a statement on Monday, Smith said, “we will not close the ferry.”"
    assert one(text).text == "“we will not close the ferry.”"


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            "In a harbour council survey released last Thursday, most residents backed the ferry.",
            "a harbour council survey released last Thursday",
            "In",
            "most residents backed the ferry.",
        ),
        (
            "Ruiz led Berg by nine points in the latest Island Gazette poll.",
            "the latest Island Gazette poll",
            "in",
            "Ruiz led Berg by nine points",
        ),
        ("Q: What did you find when you came home?", "Q", ":", "What did you find when you came home?"),
    ],
)
def test_polls_and_transcripts_as_sources(text: str, speaker: str, cue: str, content: str) -> None:
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text) == (speaker, cue, content)
    assert find_quotes("In the morning, the ferry left early.") == []


def test_citing_and_referring_to_after_a_quotation() -> None:
    text = "“We were sold out,” Berg said, referring to the council’s vote on the ferry."
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == [
        ("Berg", "said", "“We were sold out,”"),
        ("Berg", "referring", "to the council’s vote on the ferry."),
    ]


def test_seems_and_is_expected_are_stances_without_a_named_source() -> None:
    text = "After the vote, the council seemed ready to keep the ferry running."
    assert find_quotes(text) == []
    q = one(text, stance=True)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text) == (
        None,
        "seemed",
        "the council seemed ready to keep the ferry running.",
    )


def test_adding_a_second_quotation_is_a_second_attribution() -> None:
    text = "“The ferry stays,” he said, adding: “The bridge can wait.”"
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == [
        ("he", "said", "“The ferry stays,”"),
        ("he", "adding", "“The bridge can wait.”"),
    ]
    text = "Berg conceded that the ferry was late but implied that the tide was to blame."
    assert [(q.cue, q.text) for q in find_quotes(text)] == [
        ("conceded", "that the ferry was late"),
        ("implied", "that the tide was to blame."),
    ]


def test_a_name_with_of_and_an_audience_in_a_closing_cue() -> None:
    text = "Senator Ana Ruiz of Oregon, the chair of the committee, said the ferry will run on Monday."
    q = one(text)
    assert (q.speaker_mention, q.text) == ("Senator Ana Ruiz of Oregon", "the ferry will run on Monday.")
    text = "The union will sit out the vote, its director Tom Berg told The Island Gazette earlier this week."
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text) == (
        "its director Tom Berg",
        "told The Island Gazette",
        "The union will sit out the vote",
    )


def test_a_relative_clause_with_its_own_cue_before_the_main_cue() -> None:
    text = "Berg, who said the ferry had been inspected, said he knew of no fault."
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == [
        ("who", "said", "the ferry had been inspected"),
        ("Berg", "said", "he knew of no fault."),
    ]
    text = "The ferry is early, he said, and the tide finds that odd."
    assert find_quotes(text)[0].cue == "said"
    text = "The ferry runs late, said former harbour master Tom Berg, who retired in May."
    assert (one(text).speaker_mention, one(text).text) == (
        "former harbour master Tom Berg",
        "The ferry runs late",
    )


def test_a_paragraph_of_quotation_after_reported_speech_is_its_speaker_going_on() -> None:
    text = "Ruiz said the plan would fail without the ferry.\n\n“Nobody on the island has read it.”"
    first, second = find_quotes(text)
    check_offsets(text, [first, second])
    assert (second.speaker_mention, second.cue, second.text, second.direct) == (
        "Ruiz",
        "said",
        "“Nobody on the island has read it.”",
        True,
    )
    text = "The plan would fail without the ferry.\n\n“Nobody on the island has read it.”"
    assert find_quotes(text) == []


def test_as_reported_by() -> None:
    text = "The harbour board started reserving berths this week, as first reported by the Island Gazette."
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text) == (
        "the Island Gazette",
        "as first reported by",
        "The harbour board started reserving berths this week",
    )


def test_a_question_put_before_a_quotation() -> None:
    text = "When asked why the ferry was late, Berg said: “The tide turned early.”"
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == [
        (None, "asked", "why the ferry was late"),
        ("Berg", "said", "“The tide turned early.”"),
    ]


def test_a_participle_in_the_subjects_apposition_then_the_main_cue() -> None:
    text = "Salceda, citing data from the harbour board, said that about 4,000 people use the ferry."
    quotes = find_quotes(text)
    check_offsets(text, quotes)
    assert [(q.speaker_mention, q.cue, q.text) for q in quotes] == [
        ("Salceda", "citing", "data from the harbour board"),
        ("Salceda", "said", "that about 4,000 people use the ferry."),
    ]


def test_beliefs_without_that_are_stances_only() -> None:
    text = "Most residents believe the ferry will survive the winter."
    assert find_quotes(text) == []
    q = one(text, stance=True)
    assert (q.speaker_mention, q.cue, q.text) == (
        "Most residents",
        "believe",
        "the ferry will survive the winter.",
    )


def test_a_participle_of_stance_after_the_subjects_clause_with_stance_only() -> None:
    text = "Ruiz toured the harbour on Monday, urging the council to keep the ferry."
    assert find_quotes(text) == []
    q = one(text, stance=True)
    assert (q.speaker_mention, q.cue, q.text) == ("Ruiz", "urging", "the council to keep the ferry.")


def test_nouns_of_stance_with_stance_only() -> None:
    text = "The mayor's support for the ferry surprised nobody."
    assert find_quotes(text) == []
    q = one(text, stance=True)
    assert (q.speaker_mention, q.cue, q.text) == ("The mayor's", "support for", "the ferry surprised nobody")


def test_a_passive_of_stance_with_stance_only() -> None:
    text = "The ferry plan, opposed by the harbour council, never came to a vote."
    assert find_quotes(text) == []
    q = one(text, stance=True)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text) == ("the harbour council", "opposed", "The ferry plan")


def test_a_long_text_is_read_in_parts_with_offsets_into_the_whole() -> None:
    """A text past ``PART_CHARS`` is read in parts cut at paragraph breaks (else after a sentence):
    each part gives what it gives alone, at its place in the whole text."""
    from newsdesk.understand import quotes

    paragraph = "“We will stay until the pay offer improves,” said union leader Ana Ruiz on Monday.\n\n"
    text = paragraph * (quotes.PART_CHARS // len(paragraph) * 3)
    found = find_quotes(text)
    assert len(found) == text.count("“")
    for q in found:
        assert text[q.start : q.end] == q.text and text[q.cue_start : q.cue_end] == q.cue
        assert q.speaker_start is not None and text[q.speaker_start : q.speaker_end] == q.speaker_mention
    # one long paragraph is cut after a sentence, never inside one
    run_on = paragraph.replace("\n\n", " ") * (quotes.PART_CHARS // len(paragraph) * 3)
    parts = quotes._parts(run_on)
    assert len(parts) >= 3 and parts[0][0] == 0 and parts[-1][1] == len(run_on)
    assert all(run_on[b - 2 : b] == ". " for _, b in parts[:-1])
    assert len(find_quotes(run_on)) == run_on.count("“")


def test_a_conjunction_inside_quoted_words_does_not_end_the_reported_clause() -> None:
    text = (
        "Meridian Terminals said the offer was “fair and affordable” and warned that the stoppage "
        "would push customers towards rival ports."
    )
    found = [(q.cue, q.text) for q in find_quotes(text)]
    assert found == [
        ("said", "the offer was “fair and affordable”"),
        ("warned", "that the stoppage would push customers towards rival ports."),
    ]


# -- third round: pairing of marks, colons, participles before a quotation ---------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # a whole quotation after a colon, no verb of saying before it
        (
            "Pressed on the delay, the mayor shot back: “We are not the ones who stopped the ferry.”",
            "the mayor",
            ":",
            "“We are not the ones who stopped the ferry.”",
        ),
        (
            "More from Ana Ruiz: “The ferry carried more people this winter than in any year before.”",
            "Ana Ruiz",
            ":",
            "“The ferry carried more people this winter than in any year before.”",
        ),
        (
            "Ferry numbers climb again - Tom Berg: “The winter timetable has paid for itself.”",
            "Tom Berg",
            ":",
            "“The winter timetable has paid for itself.”",
        ),
        # a participle of saying (or "concluded") right before the quotation
        (
            "The union released a statement saying, “Our members will return on Monday.”",
            "The union",
            "saying",
            "“Our members will return on Monday.”",
        ),
        (
            "After a long evening, Ruiz concluded, “The ferry stays.”",
            "Ruiz",
            "concluded",
            "“The ferry stays.”",
        ),
        # ... or with its listener between, after a comma or "and"
        (
            "The mayor ended the meeting, telling reporters: “We will not close the ferry.”",
            "The mayor",
            "telling",
            "“We will not close the ferry.”",
        ),
        (
            "Ruiz has backed the plan, praising its costs, and telling the harbour council, “It will pay for itself.”",
            "Ruiz",
            "telling",
            "“It will pay for itself.”",
        ),
    ],
)
def test_a_quotation_after_a_colon_or_a_participle(text: str, speaker: str, cue: str, content: str) -> None:
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (speaker, cue, content, True)


def test_a_colon_before_a_quotation_with_no_speaker_gives_nothing() -> None:
    assert find_quotes("Then came the word from the bench: “Closed until spring.”") == []


def test_reported_speech_ending_in_quoted_words_takes_the_closing_mark() -> None:
    text = "Ruiz said the timetable “should be settled by the spring,” referring to the council vote."
    q = find_quotes(text)[0]
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (
        "Ruiz",
        "said",
        "the timetable “should be settled by the spring,”",
        True,
    )


def test_a_mistyped_closing_mark_closes_the_quotation() -> None:
    text = "“The ferry will run all winter,“ said Ana Ruiz, the mayor. The council agreed on Monday."
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == ("Ana Ruiz", "said", "“The ferry will run all winter,“")


def test_three_apostrophes_close_a_single_quote_inside_a_double_one() -> None:
    text = "''I would call the plan 'bold,''' said Ana Ruiz, the mayor. ''It is also late.''"
    q = one(text)
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue) == ("Ana Ruiz", "said")
    assert q.text == text


def test_a_title_and_a_name_in_apposition_speak() -> None:
    text = "The council's lawyer, Tom Berg, said Ruiz was “looking for a quarrel with the union.”"
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == (
        "Tom Berg",
        "said",
        "Ruiz was “looking for a quarrel with the union.”",
    )


def test_the_name_after_a_title_in_apposition_is_the_speaker() -> None:
    text = "The ferry company's chief executive, Ana Ruiz, said the winter timetable would stay."
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == ("Ana Ruiz", "said", "the winter timetable would stay.")
    # a name, then its apposition: the name speaks, as before
    q = one("Ana Ruiz, the ferry company's chief executive, said the winter timetable would stay.")
    assert q.speaker_mention == "Ana Ruiz"


@pytest.mark.parametrize("verb", ["barked", "boomed", "demurred"])
def test_verbs_of_loud_or_curt_speech_are_cues(verb: str) -> None:
    text = f"“Get off the pier,” {verb} the harbour master."
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == ("the harbour master", verb, "“Get off the pier,”")


def test_an_editors_bracket_opening_a_quotation_keeps_it_whole() -> None:
    text = "“The ferry stays,” said Ruiz. “[The council] has not read the harbour report.”"
    q = one(text)
    assert q.text == text and (q.speaker_mention, q.cue) == ("Ruiz", "said")


def test_a_headline_in_title_case_with_a_verb_of_saying() -> None:
    text = "Harbour Master Says The Ferry Will Run All Winter\n\nThe ferry will keep its timetable."
    q = find_quotes(text)[0]
    check_offsets(text, [q])
    assert (q.speaker_mention, q.cue, q.text) == ("Harbour Master", "Says", "The Ferry Will Run All Winter")
    # a sentence in ordinary case is not a headline
    assert find_quotes("Harbour master says nothing.") == []


def test_a_name_and_a_verb_after_the_cue_is_what_was_said_not_who_said_it() -> None:
    text = "Tom Berg, who chairs the harbour board in the port town, said Ruiz had misled the council."
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == ("Tom Berg", "said", "Ruiz had misled the council.")


def test_a_second_clause_with_its_own_cue_after_a_participle() -> None:
    text = (
        "The mayor praised the crew on Monday, saying they had kept the ferry running, "
        "but she warned that the winter timetable would cost more."
    )
    found = [(q.speaker_mention, q.cue, q.text) for q in find_quotes(text)]
    assert found == [
        ("The mayor", "saying", "they had kept the ferry running"),
        ("she", "warned", "that the winter timetable would cost more."),
    ]


def test_reported_speech_before_a_participle_and_its_quotation() -> None:
    text = "Ruiz told the council that the ferry “had never lost money,” adding, “It never will.”"
    found = [(q.cue, q.text, q.direct) for q in find_quotes(text)]
    assert found == [
        ("told the council", "that the ferry “had never lost money,”", True),
        ("adding", "“It never will.”", True),
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Sen. Ana Ruiz (D-Kestrel), chair of the harbour committee, said the ferry would stay.",
            "Sen. Ana Ruiz",
        ),
        ("Tom Berg — a ferry captain from the port town — says the ferry would stay.", "Tom Berg"),
        ("Harbour chairman Tom Berg, for example, said the ferry would stay.", "Harbour chairman Tom Berg"),
    ],
)
def test_a_speaker_with_an_apposition_between_dashes_or_after_a_parenthesis(text: str, speaker: str) -> None:
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == (speaker, text.split()[-5], "the ferry would stay.")


def test_a_time_closing_the_speakers_apposition_is_not_the_speakers_end() -> None:
    text = "Tom Berg, in a statement released by the board on Thursday, said the ferry would stay."
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == ("Tom Berg", "said", "the ferry would stay.")


def test_a_share_of_people_speaks() -> None:
    q = one("Of the riders, 42% say they would pay more for a winter timetable.")
    assert (q.speaker_mention, q.cue, q.text) == ("42%", "say", "they would pay more for a winter timetable.")


def test_pointed_out_is_a_cue_without_that() -> None:
    q = one("Ruiz pointed out the ferry had never lost money.")
    assert (q.speaker_mention, q.cue, q.text) == ("Ruiz", "pointed out", "the ferry had never lost money.")


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            "As Tom Berg, a captain of twenty years, put it, “Nobody crosses in January for fun.”",
            "Tom Berg",
            "put it",
            "“Nobody crosses in January for fun.”",
        ),
        (
            "Hundreds of ferry workers marched to the town hall, chanting “Keep the boats running.”",
            "Hundreds",
            "chanting",
            "“Keep the boats running.”",
        ),
    ],
)
def test_as_x_put_it_and_chanting_before_a_quotation(text: str, speaker: str, cue: str, content: str) -> None:
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (speaker, cue, content, True)


def test_a_speaker_of_seven_words_led_by_a_descriptor() -> None:
    text = (
        "“These are the darkest days for the harbour,” former ferry company chief executive Tom Berg wrote."
    )
    q = one(text)
    assert (q.speaker_mention, q.cue, q.text) == (
        "former ferry company chief executive Tom Berg",
        "wrote",
        "“These are the darkest days for the harbour,”",
    )


def test_a_statement_saying_without_a_comma() -> None:
    q = one("The union issued a statement saying the offer “does nothing for our members.”")
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (
        "The union",
        "saying",
        "the offer “does nothing for our members.”",
        True,
    )


def test_referred_to_as_in_quoted_words() -> None:
    q = one("At the meeting, Ruiz referred to the timetable as “a gift to the rival ports” and left early.")
    assert (q.speaker_mention, q.cue, q.text, q.direct) == (
        "Ruiz",
        "referred to",
        "the timetable as “a gift to the rival ports”",
        True,
    )


def test_a_participle_after_an_article_or_a_possessive_is_an_adjective_not_a_cue() -> None:
    text = (
        "The government agreed to hand over all its declared stockpile of chemical weapons. The "
        "company was sold for a reported $1.2 million. The rebels must follow through on announced "
        "plans to return the recorders.\n\n"
        "Ana Ruiz repeated her claim that the port was safe."
    )
    found = [(q.speaker_mention, q.cue) for q in find_quotes(text)]
    assert all(cue not in ("declared", "reported", "announced") for _, cue in found)
    assert ("her", "claim") in found or any(cue == "repeated" for _, cue in found)  # a noun of saying stays


def test_charged_with_a_crime_is_no_attribution() -> None:
    text = (
        "A man has appeared in court charged with murdering a fellow prisoner at the jail.\n\n"
        "Prosecutors charged that the company had hidden the losses."
    )
    found = [(q.cue, q.text) for q in find_quotes(text)]
    assert not any(t.startswith("with") for _, t in found)
    assert ("charged", "that the company had hidden the losses.") in found


def test_a_speaker_after_the_cue_keeps_the_whole_name_of_their_organisation() -> None:
    text = (
        "“Nobody asked about overtime,” said Brannock Sill of the Harbour and Dock Workers’ Union.\n\n"
        "“We will go,” said Ana Ruiz and Tom Lee."
    )
    mentions = [q.speaker_mention for q in find_quotes(text)]
    assert mentions == ["Brannock Sill of the Harbour and Dock Workers’ Union", "Ana Ruiz"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“We will not go back,” Harbour and Dock Workers' Union members said outside the gates.", None),
        ("“We will not go back,” Ana Ruiz and Tom Lee said.", "Ana Ruiz and Tom Lee"),
        ("“We will not go back,” the Smith and Wesson spokesman said.", "the Smith and Wesson spokesman"),
    ],
)
def test_speakers_joined_by_and_before_the_cue_speak_the_quotation(text: str, speaker: str | None) -> None:
    """The speaker phrase holds "and": the quotation is what was said, not the words after the cue
    (once "outside the gates." was the reported speech of "Dock Workers' Union members")."""
    q = one(text)
    assert q.direct and q.text == "“We will not go back,”"
    assert q.speaker_mention == (speaker or text[23 : text.index(" said")])
