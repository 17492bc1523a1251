"""The Desk's ingest: outcomes, idempotence, revisions, and bad input that loses nothing."""

from __future__ import annotations

import gzip
import json
import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from newsdesk import Desk, InputError, RejectReason, open_desk
from newsdesk.model import ItemResult, ItemStatus
from newsdesk.store._texts import register

from ._pages import article_page, write_pages


def snapshot(db: Path) -> list[tuple[object, ...]]:
    """Everything an ingest can change, in a comparable form."""
    with closing(sqlite3.connect(db)) as c:
        rows = c.execute(
            "SELECT canonical_url, content_hash, revision, first_seen, last_seen FROM articles ORDER BY 1"
        ).fetchall()
        rows += c.execute(
            "SELECT article_id, revision, content_hash, stored FROM article_revisions ORDER BY 1, 2"
        ).fetchall()
        rows += c.execute("SELECT origin, reason, detail, seen FROM rejections ORDER BY 1").fetchall()
        rows += c.execute("SELECT url, added FROM sources ORDER BY 1").fetchall()
    return rows


def test_ingest_twice_changes_nothing(desk: Desk, tmp_path: Path, db_path: Path) -> None:
    pages = tmp_path / "pages"
    write_pages(pages, 12)
    (pages / "broken.xml").write_text("<rss><channel><item><title>x</ti")
    first = desk.ingest([pages])
    assert (first.new, first.updated, first.unchanged) == (12, 0, 0)
    assert len(first.broken) == 1
    before = snapshot(db_path)
    second = desk.ingest([pages])
    assert (second.new, second.updated, second.unchanged) == (0, 0, 12)
    assert snapshot(db_path) == before


def test_changed_text_at_the_same_url_is_an_update_with_history(desk: Desk, tmp_path: Path) -> None:
    rng = random.Random(1)
    v1 = article_page(3, rng)
    v2 = v1.replace(
        "</article>", "<p>Update: the council confirmed the figures on Tuesday evening.</p></article>"
    )
    v2 = v2.replace(
        'content="article">',
        'content="article"><meta property="article:modified_time" content="2026-03-20T10:00:00Z">',
    )
    (tmp_path / "a-r1.html").write_text(v1)
    r1 = desk.ingest([tmp_path / "a-r1.html"])
    (tmp_path / "a-r2.html").write_text(v2)
    r2 = desk.ingest([tmp_path / "a-r2.html"])
    assert (r1.new, r2.updated) == (1, 1)
    art = desk.get_article(r1.article_ids[0])
    assert "Update: the council confirmed" in art.article.text
    assert art.revisions == 2
    revs = desk.revisions(art.id)
    assert [r.current for r in revs] == [False, True]
    # re-ingesting both, in any order, changes nothing
    again = desk.ingest([tmp_path])
    assert again.unchanged == 2 and again.new == again.updated == 0


def test_every_kind_of_bad_input_is_reported_and_the_rest_is_stored(desk: Desk, tmp_path: Path) -> None:
    write_pages(tmp_path, 3)
    (tmp_path / "bad.jsonl").write_text('{"url": "https://x.example/1", "title": "t"}\n{oops\n')
    (tmp_path / "zero.html").write_text("")
    (tmp_path / "short.html").write_text("<html><body><h1>Tiny</h1><p>Too short.</p></body></html>")
    (tmp_path / "fake.html.gz").write_bytes(b"\x1f\x8bnot gzip")
    (tmp_path / "data.bin").write_bytes(bytes(range(256)))
    (tmp_path / "ok.json.gz").write_bytes(gzip.compress(b"not json either"))
    report = desk.ingest([tmp_path])
    assert report.new == 3
    assert {r.reason for r in report.rejected} == {RejectReason.TOO_SHORT}
    assert len(report.broken) == 6
    stored = {r.origin for r in desk.rejections()}
    assert any(o.endswith("bad.jsonl:1") for o in stored) and any(o.endswith("data.bin") for o in stored)
    assert desk.check() == []


def test_missing_path_is_an_error_before_anything_is_read(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        desk.ingest([tmp_path / "nope"])
    assert desk.stats().articles == 0


def test_jsonl_and_feed_entries_match_pages_by_url(desk: Desk, tmp_path: Path) -> None:
    rng = random.Random(5)
    (tmp_path / "p.html").write_text(article_page(1, rng))
    records = [
        {
            "url": "https://synthetic.example/world/2026/03/00001-report?utm_source=feed",
            "title": "x",
            "text": "short teaser",
        }
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><link>https://synthetic.example/</link>
    <item><title>Synthetic report number 1</title><link>https://synthetic.example/business/2026/03/00001-report</link>
    <description>Teaser only.</description></item>
    <item><title>Other</title><link>https://synthetic.example/world/2026/03/99999-report</link>
    <description>Teaser only.</description></item></channel></rss>"""
    (tmp_path / "feed.xml").write_text(feed)
    report = desk.ingest([tmp_path])
    assert report.new == 1
    assert report.summary_covered == 1
    assert [e.url for e in report.summary_pending] == ["https://synthetic.example/world/2026/03/99999-report"]


def test_opml_sources_are_remembered_once(desk: Desk, tmp_path: Path) -> None:
    opml = """<?xml version="1.0"?><opml version="2.0"><body>
    <outline text="A" type="rss" xmlUrl="https://a.example/feed"/><outline text="B" type="rss" xmlUrl="https://b.example/rss"/>
    </body></opml>"""
    (tmp_path / "subs.opml").write_text(opml)
    assert desk.ingest([tmp_path]).sources_found == 2
    assert desk.ingest([tmp_path]).sources_found == 0
    assert [s.url for s in desk.sources()] == ["https://a.example/feed", "https://b.example/rss"]


def test_progress_callback_sees_every_file(desk: Desk, tmp_path: Path) -> None:
    write_pages(tmp_path, 5)
    seen: list[tuple[int, int]] = []
    desk.ingest([tmp_path], progress=lambda path, done, total: seen.append((done, total)))
    assert seen == [(i, 5) for i in range(1, 6)]


# -- inputs already stored are not extracted again (migration 0010's input_digests) ----------------


def _forget_texts(db: Path) -> None:
    """Make every stored text unknown to the store's revision check, as if stored from other text:
    an item extracted again now comes out updated, while one skipped by its digest stays unchanged."""
    with closing(sqlite3.connect(db)) as c, c:
        c.execute("UPDATE articles SET content_hash = 'forgotten-' || id")
        c.execute("UPDATE article_revisions SET content_hash = 'forgotten-' || id")


def _feed(entries: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>https://feed.example/news/{n}</link>"
        f"<guid>https://feed.example/news/{n}</guid>"
        f"<description>A short summary.</description>"
        f"<content:encoded><![CDATA[{text}]]></content:encoded></item>"
        for n, (title, text) in enumerate(entries)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Feed</title><link>https://feed.example/</link>{items}</channel></rss>"
    )


def _words(seed: int) -> str:
    """Five paragraphs of 40 words: an entry's whole story."""
    rng = random.Random(seed)
    vocab = "harbour council bridge ferry budget river storm market factory union league season".split()
    return "".join(f"<p>{' '.join(rng.choice(vocab) for _ in range(40)).capitalize()}.</p>" for _ in range(5))


def test_an_item_stored_before_is_unchanged_without_extraction_and_force_extracts_it(
    desk: Desk, tmp_path: Path, db_path: Path
) -> None:
    pages = tmp_path / "pages"
    write_pages(pages, 4)
    first = desk.ingest([pages])
    assert first.new == 4
    _forget_texts(db_path)
    heard: list[ItemResult] = []
    second = desk.ingest([pages], on_item=heard.append)
    # Extracted again, each would be an update of a text the store no longer knows: none was.
    assert (second.new, second.updated, second.unchanged) == (0, 0, 4)
    assert sorted(second.article_ids) == sorted(first.article_ids)
    assert {(r.status, r.article_id) for r in heard} == {(ItemStatus.UNCHANGED, i) for i in first.article_ids}
    third = desk.ingest([pages])  # idempotent: the same again
    assert (third.new, third.updated, third.unchanged) == (0, 0, 4)
    forced = desk.ingest([pages], force=True)
    assert (forced.new, forced.updated, forced.unchanged) == (0, 4, 0)


def test_only_the_changed_entry_of_a_feed_is_extracted_again(
    desk: Desk, tmp_path: Path, db_path: Path
) -> None:
    entries = [(f"Story number {n} of the feed", _words(n)) for n in range(3)]
    feed = tmp_path / "feed.xml"
    feed.write_text(_feed(entries), encoding="utf-8")
    assert desk.ingest([feed]).new == 3
    _forget_texts(db_path)
    entries[1] = (entries[1][0], _words(99))
    feed.write_text(_feed(entries), encoding="utf-8")
    heard: list[ItemResult] = []
    report = desk.ingest([feed], on_item=heard.append)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 2)
    assert [r.status for r in heard] == [ItemStatus.UNCHANGED, ItemStatus.UPDATED, ItemStatus.UNCHANGED]
    assert "<p>" not in desk.get_article("https://feed.example/news/1").article.text
    assert desk.revisions(report.article_ids[1])[-1].current


def test_a_deleted_article_is_stored_again_from_its_input(desk: Desk, tmp_path: Path, db_path: Path) -> None:
    pages = tmp_path / "pages"
    write_pages(pages, 2)
    first = desk.ingest([pages])
    gone = first.article_ids[0]
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("PRAGMA foreign_keys = ON")
        register(c)  # the word index's trigger reads the text through sqlar_uncompress
        c.execute("DELETE FROM articles WHERE id = ?", (gone,))
    again = desk.ingest([pages])
    assert (again.new, again.unchanged) == (1, 1)


def test_other_extraction_settings_extract_again(tmp_path: Path, db_path: Path) -> None:
    pages = tmp_path / "pages"
    write_pages(pages, 3)
    with open_desk(db_path) as desk:
        assert desk.ingest([pages]).new == 3
    _forget_texts(db_path)
    with open_desk(db_path) as desk:
        assert desk.ingest([pages]).unchanged == 3  # the same settings: not extracted
    with open_desk(db_path, min_words=59) as desk:
        assert desk.ingest([pages]).updated == 3  # another min_words: extracted again


def test_a_page_rejected_before_is_rejected_again_without_extraction(
    desk: Desk, tmp_path: Path, db_path: Path
) -> None:
    write_pages(tmp_path, 2)
    (tmp_path / "short.html").write_text("<html><body><h1>Tiny</h1><p>Too short.</p></body></html>")
    first = desk.ingest([tmp_path])
    assert [r.reason for r in first.rejected] == [RejectReason.TOO_SHORT]
    with closing(sqlite3.connect(db_path)) as c, c:  # what extraction would not say again
        c.execute("UPDATE input_digests SET detail = 'as remembered' WHERE reason IS NOT NULL")
    heard: list[ItemResult] = []
    again = desk.ingest([tmp_path], on_item=heard.append)
    assert [(r.reason, r.detail) for r in again.rejected] == [(RejectReason.TOO_SHORT, "as remembered")]
    assert sorted(r.status for r in heard) == sorted([ItemStatus.REJECTED, *[ItemStatus.UNCHANGED] * 2])
    assert [r.detail for r in desk.rejections()] == ["as remembered"]
    forced = desk.ingest([tmp_path], force=True)
    assert forced.rejected[0].detail == first.rejected[0].detail


def test_the_extraction_digest_covers_every_module_extraction_imports() -> None:
    """A module of newsdesk's own that extraction imports (``_tables`` came after the digest) changes
    what a page becomes: leaving it out of ``_digest._MODULES`` would let an edit to it go unseen,
    and a re-ingest skip pages it would now extract differently. Only data types are exempt."""
    import ast

    import newsdesk
    from newsdesk import _digest

    package = Path(newsdesk.__file__).parent
    exempt = {"config.py", "exceptions.py", "model.py", "__init__.py"}
    seen: set[str] = set()
    todo = ["extract.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found = [f"{node.module}.py"] if node.module else [f"{a.name}.py" for a in node.names]
                todo += [f for f in found if (package / f).is_file() and f not in exempt]
    assert seen <= set(_digest._MODULES), sorted(seen - set(_digest._MODULES))


def test_documents_prepared_elsewhere_are_stored_as_ingest_stores_them(
    tmp_path: Path, sample_dir: Path
) -> None:
    """The seam ``newsdesk batch`` uses: a ``Preparer`` (no store) extracts and fingerprints, and
    ``Desk.ingest_prepared`` stores in order of publication, whatever order it is given."""
    from newsdesk import Article, Prepared, Preparer
    from newsdesk.sources.files import read_file

    from .conftest import TickingClock

    files = sorted((sample_dir / "pages" / "civicledger").glob("*.html"))
    with open_desk(tmp_path / "ingest.sqlite", clock=TickingClock()) as desk:
        expected = desk.ingest(files)
        want = sorted((s.article.canonical_url, s.article.title, s.article.text) for s in desk.articles())
    with open_desk(tmp_path / "prepared.sqlite", clock=TickingClock()) as desk:
        with Preparer(desk.config) as preparer:
            items = [
                preparer.prepare(item)
                for path in reversed(files)
                for item in read_file(path, max_bytes=desk.config.max_input_bytes)
            ]
        assert all(isinstance(i, Prepared) and i.extraction_digest == desk.extraction_digest() for i in items)
        report = desk.ingest_prepared(items)
        assert report.new == expected.new > 5
        stored = list(desk.articles())
        assert sorted((s.article.canonical_url, s.article.title, s.article.text) for s in stored) == want
        # Stored in order of publication: ids rise with the dates.
        dated = sorted((s.id, s.article.published) for s in stored if s.article.published)
        assert [when for _, when in dated] == sorted(when for _, when in dated)
        # Known inputs are unchanged, without extraction (a result of None is never extracted).
        known = [Prepared(i.fetched, i.input_digest, i.extraction_digest, None) for i in items]
        again = desk.ingest_prepared(known)
        assert (again.new, again.unchanged) == (0, expected.new)
        assert all(isinstance(i.result, Article) for i in items if isinstance(i, Prepared))
