"""One bad item never stops a run: every field of a record, every byte of a feed or page, may be
anything, and the good records beside it are still stored.

The named cases are the 16 inputs that once made `ingest` exit with a traceback and lose the good
records after them; the property tests throw arbitrary JSON values into every field of a record and
arbitrary bytes into feeds and pages.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import ItemStatus, open_desk

from .conftest import invoke_cli

WORDS = (
    "The harbour council voted on Tuesday to keep the night ferry running through the winter months, "
    "after a petition signed by more than four thousand residents asked for the service to be saved. "
)


def good(n: int) -> dict[str, Any]:
    return {
        "url": f"https://good.example/2026/03/story-{n}",
        "title": f"Ferry saved for the winter, story {n}",
        "text": f"{WORDS} Story number {n}. " * 6,
        "published": "2026-03-16T08:00:00Z",
        "source": "Good Example",
    }


FIELDS = [
    "url",
    "title",
    "html",
    "text",
    "published",
    "updated",
    "categories",
    "section",
    "author",
    "language",
    "id",
    "source",
]


def _deep(n: int) -> str:
    return "[" * n + "]" * n


HOSTILE_LINES = {
    "5000-digit integer": '{"url": "https://bad.example/a", "title": "t", "text": "x", "published": %s}'
    % ("9" * 5000),
    "published 1e300": json.dumps({**good(90), "url": "https://bad.example/1", "published": 1e300}),
    "published NaN": '{"url": "https://bad.example/2", "title": "T", "text": "%s", "published": NaN}'
    % (WORDS * 3),
    "published Infinity": '{"url": "https://bad.example/3", "title": "T", "text": "%s", "published": Infinity}'
    % (WORDS * 3),
    "published 1e15": json.dumps({**good(91), "url": "https://bad.example/4", "published": 1e15}),
    "published -1e13": json.dumps({**good(92), "url": "https://bad.example/5", "published": -1e13}),
    "categories 5": json.dumps({**good(93), "url": "https://bad.example/6", "categories": 5}),
    "array nested 100,000 deep": '{"url": "https://bad.example/7", "title": "T", "text": '
    + _deep(100_000)
    + "}",
    "object nested 100,000 deep": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "date 9999-12-31T23:59:59-23:59": json.dumps(
        {**good(94), "url": "https://bad.example/8", "published": "9999-12-31T23:59:59-23:59"}
    ),
    "date 0001-01-01T00:00:00+14:00": json.dumps(
        {**good(95), "url": "https://bad.example/9", "published": "0001-01-01T00:00:00+14:00"}
    ),
    "lone surrogate": '{"url": "https://bad.example/10", "title": "bad \\ud800 title", "text": "%s \\udfff"}'
    % (WORDS * 3),
}


def _ingest_lines(tmp: Path, lines: list[str]) -> tuple[Any, list[Any]]:
    path = tmp / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    seen: list[Any] = []
    with open_desk(tmp / "d.sqlite") as desk:
        report = desk.ingest([path], on_item=seen.append)
        urls = {desk.get_article(i).article.canonical_url for i in report.article_ids}
        assert desk.check() == []
    return urls, seen


@pytest.mark.parametrize("case", sorted(HOSTILE_LINES))
def test_a_hostile_record_between_two_good_ones(tmp_path: Path, case: str) -> None:
    lines = [json.dumps(good(1)), HOSTILE_LINES[case], json.dumps(good(2))]
    urls, seen = _ingest_lines(tmp_path, lines)
    assert {good(1)["url"], good(2)["url"]} <= urls
    assert len(seen) == 3 and not any(r.reason == "internal-error" for r in seen), seen


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("9999-12-31T23:59:59-23:59", False),
        ("0001-01-01T00:00:00+14:00", False),
        ("2026-03-16T08:00:00+01:00", True),
    ],
)
def test_extreme_dates_in_a_page_are_dropped_with_a_note(tmp_path: Path, value: str, kept: bool) -> None:
    body = "".join(f"<p>{WORDS} Paragraph {n}.</p>" for n in range(4))
    page = (
        f"<html><head><title>Ferry saved</title><meta property='article:published_time' content='{value}'>"
        f'<script type=\'application/ld+json\'>{{"@type": "NewsArticle", "dateModified": "{value}"}}</script>'
        f"</head><body><article><h1>Ferry saved</h1>{body}</article></body></html>"
    )
    (tmp_path / "page.html").write_text(page)
    with open_desk(tmp_path / "d.sqlite") as desk:
        report = desk.ingest([tmp_path / "page.html"])
        (article,) = [desk.get_article(i).article for i in report.article_ids]
    assert (article.published is not None) is kept
    assert kept or any("ignored the publication date" in n for n in article.notes)


def test_a_surrogate_reference_in_a_malformed_feed(tmp_path: Path) -> None:
    """feedparser's loose parser turned &#xD800; into a character it then failed to encode."""
    items = "".join(
        f"<item><title>Story {n} &#xD800;</title><link>https://feed.example/{n}</link>"
        f"<description>{WORDS * 7} &#55296; &amp broken</description></item>"
        for n in range(3)
    )
    (tmp_path / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}'
    )
    (tmp_path / "good.jsonl").write_text(json.dumps(good(1)) + "\n")
    with open_desk(tmp_path / "d.sqlite") as desk:
        report = desk.ingest([tmp_path])
        titles = {desk.get_article(i).article.title for i in report.article_ids}
    assert "Ferry saved for the winter, story 1" in titles
    assert "Story 0 \ufffd" in titles


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # A name whose bytes are not UTF-8 (os.fsdecode keeps them as surrogate escapes).
    bad = folder / os.fsdecode(b"bad-\xff\xfe-name.jsonl")
    bad.write_bytes(json.dumps(good(3)).encode() + b"\n")
    (folder / "good.jsonl").write_text(json.dumps(good(4)) + "\n")
    r = invoke_cli("--db", str(tmp_path / "d.sqlite"), "ingest", "--json", str(folder))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["new"] == 2
    assert "Traceback" not in r.stderr


def test_a_bug_in_one_item_is_that_items_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever newsdesk gets wrong on one item (here a fault put into extraction), the run goes on
    and the item ends as `internal-error` with the reason."""
    import newsdesk._budget

    real = newsdesk._budget.extract

    def faulty(fetched: Any, **kwargs: Any) -> Any:
        if fetched.url and fetched.url.endswith("story-2"):
            raise KeyError("a bug")
        return real(fetched, **kwargs)

    monkeypatch.setattr(newsdesk._budget, "extract", faulty)
    urls, seen = _ingest_lines(tmp_path, [json.dumps(good(n)) for n in (1, 2, 3)])
    assert urls == {good(1)["url"], good(3)["url"]}
    (failed,) = [r for r in seen if r.status is ItemStatus.REJECTED]
    assert failed.reason == "internal-error" and "KeyError" in (failed.detail or "")


# -- properties ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec=None), max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SLOW
@given(field=st.sampled_from(FIELDS), value=json_values)
def test_any_json_value_in_any_field(tmp_path: Path, field: str, value: Any) -> None:
    hostile = {**good(50), field: value}
    line = json.dumps(hostile, allow_nan=True)
    urls, seen = _ingest_lines(tmp_path, [json.dumps(good(1)), line, json.dumps(good(2))])
    assert {good(1)["url"], good(2)["url"]} <= urls
    assert not any(r.reason == "internal-error" for r in seen), seen


FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>'
    b"<item><title>Ferry saved</title><link>https://wire.example/2026/03/ferry</link><guid>w-1</guid>"
    b"<pubDate>Mon, 16 Mar 2026 08:00:00 GMT</pubDate><description><![CDATA[<p>"
    + WORDS.encode() * 4
    + b"</p>]]></description></item></channel></rss>"
)
PAGE = (
    b"<!doctype html><html><head><title>Ferry saved</title>"
    b"<meta property='article:published_time' content='2026-03-16T08:00:00Z'></head><body><article>"
    b"<h1>Ferry saved</h1><p>" + WORDS.encode() * 4 + b"</p></article></body></html>"
)


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "flip"]))
        chunk = draw(st.binary(min_size=1, max_size=12))
        if op == "insert":
            data[at:at] = chunk
        elif op == "delete":
            del data[at : at + len(chunk)]
        elif at < len(data):
            data[at] ^= chunk[0]
    return bytes(data)


@SLOW
@given(
    name=st.sampled_from(["feed.xml", "page.html", "thing.bin"]),
    data=st.one_of(st.binary(max_size=400), mutated(FEED), mutated(PAGE)),
)
def test_any_bytes_as_a_feed_or_a_page(tmp_path: Path, name: str, data: bytes) -> None:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_bytes(data)
    (folder / "zz-good.jsonl").write_text(json.dumps(good(7)) + "\n")
    seen: list[Any] = []
    with open_desk(tmp_path / f"{os.getpid()}-{len(data)}-{hash(data)}.sqlite") as desk:
        report = desk.ingest([folder], on_item=seen.append)
        urls = {desk.get_article(i).article.canonical_url for i in report.article_ids}
    assert good(7)["url"] in urls
    assert not any(r.reason == "internal-error" for r in seen), seen
    assert any(r.origin.startswith(str(folder / name)) for r in seen), "the hostile file has an outcome"
