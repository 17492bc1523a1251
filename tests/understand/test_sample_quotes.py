"""The truth of who said what in the sample corpus (src/newsdesk/sample/quotes.json) holds for the
corpus as newsdesk stores it: every annotated URL is a stored article, every quoted text, speaker
mention and cue is in that article's stored text, and every event it says it covers is covered whole.
The figures scored against it are bench/understand/sample.py's (the gate: test_eval_quotes_sample.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bench.understand.sample import articles, locate, same_speaker

from newsdesk import open_desk

FIELDS = {"speaker", "speaker_mention", "cue", "text", "direct", "named"}


@pytest.fixture(scope="module")
def quotes(sample_dir: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((sample_dir / "quotes.json").read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="module")
def stored(sample_store: Path) -> dict[str, str]:
    with open_desk(sample_store) as desk:
        return {s.article.url: s.article.text for s in desk.articles()}


def test_every_annotated_url_is_a_stored_article_named_as_truth_json_names_it(
    quotes: dict[str, Any], stored: dict[str, str], truth: dict[str, Any]
) -> None:
    assert quotes["articles"]
    for url, entry in quotes["articles"].items():
        assert url in stored, (entry["id"], url)
        assert truth["articles"][entry["id"]]["url"] == url, entry["id"]


def test_every_event_listed_is_annotated_whole(quotes: dict[str, Any], truth: dict[str, Any]) -> None:
    annotated = {entry["id"] for entry in quotes["articles"].values()}
    assert quotes["events"] and set(quotes["events"]) <= set(truth["events"])
    for event in quotes["events"]:
        assert set(truth["events"][event]["articles"]) <= annotated, event
    assert {truth["articles"][a]["event"] for a in annotated} <= set(quotes["events"])


def test_texts_mentions_and_cues_are_in_the_stored_text(
    quotes: dict[str, Any], stored: dict[str, str]
) -> None:
    for url, entry in quotes["articles"].items():
        text = stored[url]
        for q in entry["quotes"]:
            where = (entry["id"], q["text"][:50])
            assert set(q) - {"continued"} == FIELDS, where
            assert isinstance(q["direct"], bool) and isinstance(q["named"], bool), where
            assert q["text"] and q["text"] == q["text"].strip() and q["text"] in text, where
            for part in q.get("continued", ()):
                assert q["direct"] and part in text[text.index(q["text"]) :], where
            assert re.search(rf"(?<!\w){re.escape(q['speaker_mention'])}(?!\w)", text), where
            assert q["cue"] in text, where
            assert q["speaker"] and q["speaker"] == " ".join(q["speaker"].split()), where
        # each annotation found at its own place: repeated texts are repeated in the article
        spans = [content for content, _ in locate(text, entry["quotes"])]
        assert len(set(spans)) == len(spans), entry["id"]


def test_the_truth_is_located_and_read_as_the_evaluation_reads_it(
    quotes: dict[str, Any], stored: dict[str, str]
) -> None:
    arts = articles(stored, quotes)
    assert len(arts) == len(quotes["articles"])
    for a in arts:
        for g, q in zip(a.gold, a.truth, strict=True):
            assert a.text[g.content[0][0] : g.content[0][1]] == q["text"]
            assert a.text[g.source[0][0] : g.source[0][1]] == q["speaker_mention"]


@pytest.mark.parametrize(
    ("resolved", "speaker", "same"),
    [
        ("Brannock Sill", "Brannock Sill", True),
        ("brannock  sill", "Brannock Sill", True),
        ("Sill", "Brannock Sill", True),
        ("Harbour and Dock Workers' Union", "Harbour and Dock Workers’ Union", True),
        ("Pieter Oyelaran", "Helena Strachan and Pieter Oyelaran", True),
        ("Brannock", "Brannock Sill", False),
        ("HDWU general secretary Brannock Sill", "Brannock Sill", False),
        (None, "Brannock Sill", False),
    ],
)
def test_speaker_names_are_compared_folded_and_a_surname_alone_counts(
    resolved: str | None, speaker: str, same: bool
) -> None:
    assert same_speaker(resolved, speaker) is same
