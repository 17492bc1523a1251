"""Text decoded with the wrong encoding before it reached us ("mojibake") is repaired as it is
stored: its words are found, its names are entities, and it is an identical copy of its original."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk import Desk
from newsdesk._valid import repaired, unescaped
from newsdesk.extract import extract_html
from newsdesk.model import Article, CopyKind

TEXT = (
    "Egypt’s new government said on Monday that the café near Guantánamo Street would reopen — "
    "“soon”, according to officials. "
)


def mojibake(s: str) -> str:
    """UTF-8 read as Windows-1252, as a careless scraper does (undefined bytes as Latin-1)."""
    return "".join(
        bytes([b]).decode("cp1252", errors="strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
        for b in s.encode("utf-8")
    )


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        (mojibake(TEXT), TEXT),
        (
            "a helping hand \x97 or rather, fingers; Benedict XVI\x92s resignation",
            "a helping hand — or rather, fingers; Benedict XVI’s resignation",
        ),
        ("the countryâ\x80\x99s civil war", "the country’s civil war"),
    ],
)
def test_mis_decoded_text_is_repaired(broken: str, fixed: str) -> None:
    assert broken != fixed and repaired(broken) == fixed


@pytest.mark.parametrize(
    "clean",
    [
        TEXT,
        "SÃO PAULO — A Ãgua",  # Portuguese capitals: not UTF-8 read wrongly
        "Le café «noir» coûte 2 €, à 10 h.",
        "Президент заявил журналистам, что переговоры продолжатся.",
        "中华人民共和国国务院总理今天在北京会见了客人。",
        "plain ASCII text",
    ],
)
def test_clean_text_is_left_alone(clean: str) -> None:
    assert repaired(clean) == clean


def test_a_mis_decoded_page_extracts_as_the_right_one_with_a_note() -> None:
    body = "".join(
        f"<p>{TEXT} Paragraph {i} tells more about the reopening of the café.</p>" for i in range(6)
    )
    page = f"<html><head><title>Egypt’s café reopens</title></head><body><article><h1>Egypt’s café reopens</h1>{body}</article></body></html>"
    good = extract_html(page, "https://a.example/news/cafe")
    bad = extract_html(mojibake(page).encode("utf-8"), "https://a.example/news/cafe")
    assert isinstance(good, Article) and isinstance(bad, Article)
    assert bad.title == good.title and bad.text == good.text
    assert any("decoded with the wrong encoding" in n for n in bad.notes)
    assert not any("decoded with the wrong encoding" in n for n in good.notes)


def test_a_mis_decoded_record_is_an_identical_copy_and_found(desk: Desk, tmp_path: Path) -> None:
    text = " ".join(f"{TEXT} Paragraph {i} tells more about the reopening of the café." for i in range(8))
    records = [
        {
            "url": "https://a.example/news/cafe",
            "title": "Egypt’s café reopens",
            "text": text,
            "published": "2026-03-01T08:00:00Z",
        },
        {
            "url": "https://b.example/news/cafe",
            "title": mojibake("Egypt’s café reopens"),
            "text": mojibake(text),
            "published": "2026-03-02T08:00:00Z",
        },
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert desk.ingest([tmp_path]).new == 2
    copy = desk.get_article("https://b.example/news/cafe")
    assert copy.article.text == desk.get_article("https://a.example/news/cafe").article.text
    original = desk.copies(copy.id).original
    assert original is not None and original.kind == CopyKind.IDENTICAL
    assert len(desk.search("Guantánamo", limit=10)) == 2


@pytest.mark.parametrize(
    ("escaped", "text"),
    [
        ("AT&amp;T profits rise &#8211; shares up", "AT&T profits rise – shares up"),
        ("the company&#x2019;s chief &mdash; on Tuesday", "the company’s chief — on Tuesday"),
        ("Tom &amp;amp; Jerry", "Tom & Jerry"),  # escaped twice
        (
            "AT&T and R&D stay; so does &notaname; and a lone &",
            "AT&T and R&D stay; so does &notaname; and a lone &",
        ),
        ("this &notice is not ¬ice", "this &notice is not ¬ice"),  # no semicolon: no reference
    ],
)
def test_character_references_left_in_text_are_resolved(escaped: str, text: str) -> None:
    assert unescaped(escaped) == text


def test_a_feed_that_escapes_its_titles_twice_is_read_as_written(desk: Desk, tmp_path: Path) -> None:
    para = "AT&amp;amp;T said profits rose in the quarter &amp;mdash; the company&amp;#8217;s chief said. "
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><link>https://y.example/</link>'
        "<item><title>AT&amp;amp;T profits rise &amp;#8211; shares up</title>"
        "<link>https://y.example/att</link><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate>"
        f"<description>{f'&lt;p&gt;{para * 2}&lt;/p&gt;' * 8}</description></item></channel></rss>"
    )
    (tmp_path / "feed.xml").write_text(feed, encoding="utf-8")
    assert desk.ingest([tmp_path]).new == 1
    a = desk.get_article("https://y.example/att").article
    assert a.title == "AT&T profits rise – shares up"
    assert a.text.startswith("AT&T said profits rose in the quarter — the company’s chief said.")
    assert desk.search("AT&T profits", limit=5)
