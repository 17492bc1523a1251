"""Search over articles of any size: snippets from a bounded part of each hit (the speed is in
bench/search_size.py), with FTS5's own snippet for ordinary articles."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Article
from newsdesk.model import HIGHLIGHT_END, HIGHLIGHT_START
from newsdesk.store import SQLiteStore
from newsdesk.store._snippets import CHUNK_CHARS, SCAN_BYTES, chunk_bounds

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def art(url: str, text: str, title: str = "A report") -> Article:
    return Article(url=url, canonical_url=url, title=title, text=text)


def marked(word: str) -> str:
    return HIGHLIGHT_START + word + HIGHLIGHT_END


def filler(chars: int, seed: int = 0) -> str:
    """Plain sentences without the words the tests look for."""
    words = ["harbour", "council", "ferry", "budget", "weather", "market", "river", "school"]
    out: list[str] = []
    size, i = 0, seed
    while size < chars:
        sentence = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(12)).capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
        i += 1
    return "".join(out)[:chars]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(str(tmp_path / "s.sqlite"))
    yield s
    s.close()


ORDINARY = [
    "The harbour bridge closed after engineers found a crack in a girder. The council said the "
    "bridge would reopen in spring; ferries run every twenty minutes until then.",
    "Football club sacks its manager after a run of defeats; the bridge between the board and the "
    "fans, one supporter said, had long been burnt. Café owners near the ground were relieved.",
    "A long report. " + filler(1500) + " The minister visited the bridge. " + filler(300, 3),
]


@pytest.mark.parametrize(
    "query",
    [
        "bridge",
        "bridge council",
        '"crack in a girder"',
        "brid*",
        "cafe",
        "minister OR ferries",
        "title: report",
    ],
)
def test_an_ordinary_articles_snippet_is_fts5s_own(store: SQLiteStore, query: str) -> None:
    for n, text in enumerate(ORDINARY):
        store.save_article(art(f"https://a.example/{n}", text), seen=T0)
    hits = store.search(query)
    assert hits
    with sqlite3.connect(store.path) as db:
        own = dict(
            db.execute(
                f"SELECT rowid, snippet(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24) "
                "FROM articles_fts WHERE articles_fts MATCH ?",
                (query,),
            ).fetchall()
        )
    assert {h.id: h.snippet for h in hits} == {i: own[i] for i in (h.id for h in hits)}


def test_a_huge_article_is_found_with_its_match_marked(store: SQLiteStore) -> None:
    before = filler(300_000)
    text = before + " The zanzibarite deposit was found. " + filler(2_000_000, 5)
    aid, _ = store.save_article(art("https://huge.example/1", text), seen=T0)
    [hit] = store.search("zanzibarite")
    assert hit.id == aid
    assert marked("zanzibarite") in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")  # cut from the text around it
    assert len(hit.snippet) < 400


def test_a_word_on_every_line_of_a_huge_article(store: SQLiteStore) -> None:
    text = "".join(f"Line {i}: the epsilon reading was taken at the weir. " for i in range(60_000))
    store.save_article(art("https://huge.example/2", text), seen=T0)
    [hit] = store.search("epsilon")
    assert hit.snippet.count(marked("epsilon")) >= 2
    assert "Line 1: the " + marked("epsilon") in hit.snippet  # from the first chunk


def test_a_match_past_the_part_looked_at_leaves_the_start_of_the_text(store: SQLiteStore) -> None:
    text = filler(SCAN_BYTES + 10_000) + " The zanzibarite deposit was found."
    store.save_article(art("https://huge.example/3", text), seen=T0)
    [hit] = store.search("zanzibarite")
    assert HIGHLIGHT_START not in hit.snippet
    assert text.startswith(hit.snippet.removesuffix("…"))
    assert hit.snippet.endswith("…")


def test_a_phrase_across_a_chunk_boundary_is_marked(store: SQLiteStore) -> None:
    # Put the phrase where the first chunk ends, whatever the exact cut.
    head = filler(CHUNK_CHARS - 12)
    text = head + " crack in a girder was found. " + filler(5000, 2)
    store.save_article(art("https://a.example/long", text), seen=T0)
    [hit] = store.search('"crack in a girder"')
    assert marked("crack in a girder") in hit.snippet


def test_words_far_apart_still_get_a_marked_snippet(store: SQLiteStore) -> None:
    text = "Alphonse opened the meeting. " + filler(20_000) + " Zebedee closed it."
    store.save_article(art("https://a.example/far", text), seen=T0)
    [hit] = store.search("alphonse AND zebedee")
    assert marked("Alphonse") in hit.snippet


@given(st.text(alphabet=st.sampled_from("ab \n東"), max_size=3000), st.integers(20, 400))
def test_chunks_cover_the_text_in_order(text: str, size: int) -> None:
    overlap = size // 4
    bounds = chunk_bounds(text, size, overlap)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    for start, end in bounds:
        assert 0 <= start <= end <= len(text) and end - start <= size
    for (s1, e1), (s2, _e2) in itertools.pairwise(bounds):
        assert s1 < s2 <= e1  # each chunk starts inside the previous one, and later than it did
        assert e1 - s2 <= overlap
