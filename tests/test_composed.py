"""Text in Unicode's decomposed form ("e" and a combining accent, as some systems write it) is
stored composed (NFC): a copy in that form is an identical copy of its original, and search finds
its words whichever form the query is typed in."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from newsdesk import Desk
from newsdesk.extract import extract_html
from newsdesk.model import Article, CopyKind

SENTENCE = "Le café de la Société Générale à Zürich a rouvert après les grèves, a déclaré Hélène Dubois."


def page(host: str, day: int) -> str:
    paras = "".join(
        f"<p>{SENTENCE} Paragraphe {i} : la réouverture du café près de la gare a été fêtée.</p>"
        for i in range(6)
    )
    return (
        f'<html lang="fr"><head><title>Le café rouvre à Zürich</title>'
        f'<link rel="canonical" href="https://{host}/actualite/cafe-zurich">'
        f'<meta property="article:published_time" content="2026-03-0{day}T08:00:00Z"></head>'
        f"<body><article><h1>Le café rouvre à Zürich</h1>{paras}"
        f'<p>Photo : Hélène Dubois. <a href="https://{host}/">Accueil</a></p></article></body></html>'
    )


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def test_a_decomposed_page_extracts_as_the_composed_one() -> None:
    composed = extract_html(page("a.example", 1), "https://a.example/actualite/cafe-zurich")
    decomposed = extract_html(nfd(page("a.example", 1)), "https://a.example/actualite/cafe-zurich")
    assert isinstance(composed, Article) and isinstance(decomposed, Article)
    assert nfd(composed.text) != composed.text  # the test means something: there are accents
    assert decomposed.title == composed.title and decomposed.text == composed.text


def test_a_decomposed_copy_is_an_identical_copy_and_search_finds_both(desk: Desk, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(page("a.example", 1), encoding="utf-8")
    (tmp_path / "b.html").write_text(nfd(page("b.example", 2)), encoding="utf-8")
    record = {
        "url": "https://c.example/actualite/cafe-zurich",
        "title": nfd("Le café rouvre à Zürich, selon Hélène Dubois"),
        "published": "2026-03-03T08:00:00Z",
        "text": nfd(" ".join(f"{SENTENCE} Le paragraphe {i} parle de la gare." for i in range(8))),
    }
    (tmp_path / "c.jsonl").write_text(json.dumps(record), encoding="utf-8")
    assert desk.ingest([tmp_path]).new == 3
    stored = [desk.get_article(i).article for i in (1, 2, 3)]
    for a in stored:
        assert unicodedata.is_normalized("NFC", a.title) and unicodedata.is_normalized("NFC", a.text)
    copy = desk.get_article("https://b.example/actualite/cafe-zurich")
    original = desk.copies(copy.id).original
    assert original is not None and original.kind == CopyKind.IDENTICAL
    assert original.original_id == desk.get_article("https://a.example/actualite/cafe-zurich").id
    for query in ("société", nfd("société"), "societe", nfd("Hélène Dubois")):
        assert len(desk.search(query, limit=10)) == 3, query
    assert desk.search_latest(nfd("grèves"), limit=10)
