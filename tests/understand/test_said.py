"""``ArticleQuote.said``: the words of a quote as a reader wants them, without the narration that
interrupts a quotation, while ``text`` and its offsets stay those of the stored text."""

from __future__ import annotations

import re

import pytest

from newsdesk.model import ArticleQuote


def quote(article: str, content: str, cue: str, speaker: str | None) -> ArticleQuote:
    """The quote ``content`` of ``article``, attributed by the first ``cue`` and ``speaker`` (as
    whole words) of the article."""

    def span(words: str) -> tuple[int, int]:
        m = re.search(rf"(?<!\w){re.escape(words)}(?!\w)", article)
        assert m, words
        return m.span()

    start = article.index(content)
    cs, ce = span(cue)
    ss, se = span(speaker) if speaker else (None, None)
    return ArticleQuote(
        speaker=speaker,
        speaker_key=None,
        speaker_mention=speaker,
        speaker_start=ss,
        speaker_end=se,
        cue=cue,
        cue_start=cs,
        cue_end=ce,
        text=content,
        start=start,
        end=start + len(content),
        direct=True,
        statement="s",
    )


@pytest.mark.parametrize(
    ("content", "cue", "speaker", "said"),
    [
        (
            "“The ferry will run,” said Ama Okafor of the port authority. “Not before Monday.”",
            "said",
            "Ama Okafor",
            "“The ferry will run,” … “Not before Monday.”",
        ),
        (
            "“We are ready,” she told reporters on the quay. “They are not.”",
            "told",
            "she",
            "“We are ready,” … “They are not.”",
        ),
        ("''It is over,'' Mr. Vale said. ''Truly.''", "said", "Mr. Vale", "''It is over,'' … ''Truly.''"),
        ('"Go," he said, "now."', "said", "he", '"Go," … "now."'),
        ("The plan, Okafor said on Tuesday, would cost more", "said", "Okafor", "The plan would cost more"),
    ],
)
def test_the_attribution_inside_a_quotation_is_left_out(
    content: str, cue: str, speaker: str, said: str
) -> None:
    q = quote(f"The harbour reopened. {content} Then it rained.", content, cue, speaker)
    assert q.said == said
    assert q.text == content  # the span itself is unchanged


@pytest.mark.parametrize(
    ("article", "content", "cue", "speaker"),
    [
        # The cue and the speaker after the span.
        ("“The ferry will run,” said Ama Okafor.", "“The ferry will run,”", "said", "Ama Okafor"),
        # Before it.
        ("Ama Okafor said that the ferry would run.", "that the ferry would run", "said", "Ama Okafor"),
        # Inside, with nothing said after them.
        ("The ferry will run on Monday, she said.", "The ferry will run on Monday, she said", "said", "she"),
        # Inside, with a long clause after them: not an aside to leave out.
        (
            "The plan, Okafor said when the council met for the third time that week, was dead.",
            "The plan, Okafor said when the council met for the third time that week, was dead",
            "said",
            "Okafor",
        ),
    ],
)
def test_a_quote_not_interrupted_reads_as_it_is(article: str, content: str, cue: str, speaker: str) -> None:
    q = quote(article, content, cue, speaker)
    assert q.said == q.text
