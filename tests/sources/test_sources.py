"""Readers of local inputs: every format, every way an input can be broken."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk import Broken, Fetched, FoundSource, InputError, Rejected
from newsdesk.sources import feeds, opml, reader_for
from newsdesk.sources._entries import outlet_name
from newsdesk.sources.files import list_inputs, read_file

PARAS = " ".join(
    f"Sentence number {i} of the harbour story, with a figure of {i * 7} tonnes." for i in range(12)
)

RSS2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Harbour Wire</title><link>https://wire.example/</link>
<atom:link href="https://wire.example/feed.xml" rel="self" type="application/rss+xml"/>
<item><title>Full story</title><link>https://wire.example/news/1</link><guid>wire-1</guid>
<pubDate>Mon, 02 Mar 2026 08:15:00 GMT</pubDate><category>World</category>
<description>A short teaser.</description>
<content:encoded><![CDATA[<p>{PARAS}</p><p>Second paragraph of the story.</p>]]></content:encoded></item>
<item><title>Teaser only</title><link>https://wire.example/news/2</link><guid>wire-2</guid>
<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate><description>Only a teaser here.</description></item>
</channel></rss>"""

RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Orbit</title><link>https://orbit.example/</link>
<description>x</description><language>en</language>
<item><title>Teaser</title><link>https://orbit.example/tech/1</link><description>Short.</description></item>
</channel></rss>"""

RSS10 = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://ledger.example/"><title>Ledger</title><link>https://ledger.example/</link>
<description>x</description><items><rdf:Seq><rdf:li resource="https://ledger.example/b/1"/></rdf:Seq></items></channel>
<item rdf:about="https://ledger.example/b/1"><title>Markets</title><link>https://ledger.example/b/1</link>
<description>{PARAS} {PARAS}</description><dc:date>2026-03-03T10:00:00Z</dc:date><dc:subject>Business</dc:subject></item>
</rdf:RDF>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title><id>urn:gazette</id>
<updated>2026-03-04T00:00:00Z</updated><link rel="self" href="https://gazette.example/atom.xml"/>
<entry><title>Valley flood</title><id>urn:gazette:1</id><link href="https://gazette.example/local/1"/>
<published>2026-03-03T07:00:00Z</published><updated>2026-03-03T09:00:00Z</updated>
<author><name>Ada Brook</name></author><category term="Local"/>
<content type="html">&lt;p&gt;{PARAS}&lt;/p&gt;</content></entry></feed>"""

OPML = """<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="World"><outline type="rss" text="Wire" xmlUrl="https://wire.example/feed.xml" htmlUrl="https://wire.example/"/>
<outline type="rss" text="Bad" xmlUrl="file:///etc/passwd"/></outline>
<outline type="rss" text="Gazette" xmlUrl="https://gazette.example/atom.xml"/></body></opml>"""


def items(tmp_path: Path, name: str, data: bytes | str) -> list[object]:
    p = tmp_path / name
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return list(read_file(p, max_bytes=10_000_000))


def test_rss2_full_text_entry_and_summary_only_entry(tmp_path: Path) -> None:
    got = items(tmp_path, "wire.xml", RSS2)
    sources = [i for i in got if isinstance(i, FoundSource)]
    docs = [i for i in got if isinstance(i, Fetched)]
    assert [s.url for s in sources] == ["https://wire.example/feed.xml"]
    assert [d.url for d in docs] == ["https://wire.example/news/1", "https://wire.example/news/2"]
    full, teaser = docs
    assert b"Second paragraph" in full.body
    assert full.hints.categories == ("World",)
    assert full.hints.entry_id == "wire-1"
    assert (
        full.hints.published is not None and full.hints.published.isoformat() == "2026-03-02T08:15:00+00:00"
    )
    assert teaser.body == b"" and teaser.hints.summary == "Only a teaser here."
    assert full.origin.endswith("wire.xml#entry-1")


@pytest.mark.parametrize(
    ("name", "data", "url"),
    [
        ("orbit.rss", RSS091, "https://orbit.example/tech/1"),
        ("ledger.rdf", RSS10, "https://ledger.example/b/1"),
        ("gazette.atom", ATOM, "https://gazette.example/local/1"),
    ],
)
def test_every_feed_flavour_parses(tmp_path: Path, name: str, data: str, url: str) -> None:
    docs = [i for i in items(tmp_path, name, data) if isinstance(i, Fetched)]
    assert [d.url for d in docs] == [url]
    assert not any(isinstance(i, Broken) for i in items(tmp_path, name, data))


def test_rss1_long_description_counts_as_full_text(tmp_path: Path) -> None:
    (doc,) = [i for i in items(tmp_path, "ledger.rdf", RSS10) if isinstance(i, Fetched)]
    assert doc.body and doc.hints.categories == ("Business",)


def test_atom_author_dates_and_content(tmp_path: Path) -> None:
    (doc,) = [i for i in items(tmp_path, "g.atom", ATOM) if isinstance(i, Fetched)]
    assert doc.hints.author == "Ada Brook"
    assert doc.hints.updated is not None and doc.hints.updated.hour == 9
    assert b"<p>" in doc.body


def test_malformed_feed_is_reported_not_fatal(tmp_path: Path) -> None:
    got = items(tmp_path, "broken.xml", RSS2[: len(RSS2) // 2])
    broken = [i for i in got if isinstance(i, Broken)]
    assert len(broken) == 1 and "malformed feed" in broken[0].detail


def test_an_html_error_page_served_as_a_feed_is_broken(tmp_path: Path) -> None:
    got = items(tmp_path, "feed.rss", "<html><body><h1>502 Bad Gateway</h1></body></html>")
    assert len(got) == 1 and isinstance(got[0], Broken)


def test_opml_outlines_become_sources_with_folders(tmp_path: Path) -> None:
    got = items(tmp_path, "subs.opml", OPML)
    found = [i for i in got if isinstance(i, FoundSource)]
    assert [(f.url, f.category) for f in found] == [
        ("https://wire.example/feed.xml", "World"),
        ("https://gazette.example/atom.xml", None),
    ]
    assert any(isinstance(i, Broken) and "file:///etc/passwd" in i.detail for i in got)


@dataclass(frozen=True)
class _Listed:
    kind: str
    url: str
    name: str | None = None
    domain: str | None = None
    category: str | None = None


def test_an_opml_list_written_reads_back() -> None:
    """``opml_document`` writes what ``read`` reads: feeds and sitemaps in their folders, a source
    without a name under its domain; pages are no subscriptions and stay out."""
    listed = [
        _Listed("feed", "https://wire.example/feed.xml", 'Wire & Co "Daily"', category="World"),
        _Listed("sitemap", "https://a.example/news-sitemap.xml", None, "a.example", "World"),
        _Listed("feed", "https://gazette.example/atom.xml", "Gazette"),
        _Listed("page", "https://b.example/story", "A page"),
    ]
    data = opml.opml_document(listed, title="Mine")
    assert b"<title>Mine</title>" in data and b'type="sitemap"' in data
    found = [i for i in opml.read(data, "out.opml") if isinstance(i, FoundSource)]
    assert [(f.url, f.name, f.category) for f in found] == [
        ("https://wire.example/feed.xml", 'Wire & Co "Daily"', "World"),
        ("https://a.example/news-sitemap.xml", "a.example", "World"),
        ("https://gazette.example/atom.xml", "Gazette", None),
    ]


def test_opml_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    evil = f"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>
<opml version="2.0"><body><outline text="&x;" xmlUrl="https://e.example/f"/></body></opml>"""
    got = items(tmp_path, "evil.opml", evil)
    assert not any("TOPSECRET" in str(i) for i in got)


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "url": "https://w.example/1",
                "title": "T",
                "text": PARAS,
                "published": "2026-03-02T08:00:00Z",
                "source": "Wire",
                "section": "world",
            }
        ),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"url": "https://w.example/2", "title": "No body"}),
        "",
        json.dumps({"url": "https://w.example/3", "title": "H", "html": f"<p>{PARAS}</p>"}),
    ]
    got = items(tmp_path, "wire.jsonl", "\n".join(lines))
    docs = [i for i in got if isinstance(i, Fetched)]
    broken = [i for i in got if isinstance(i, Broken)]
    assert [d.url for d in docs] == ["https://w.example/1", "https://w.example/3"]
    assert docs[0].hints.text == PARAS and docs[0].hints.categories == ("world",)
    assert docs[0].source == "Wire"
    assert [b.origin.rsplit(":", 1)[1] for b in broken] == ["2", "3", "4"]


def test_gzip_inputs_and_the_decompression_cap(tmp_path: Path) -> None:
    (tmp_path / "wire.xml.gz").write_bytes(gzip.compress(RSS2.encode()))
    got = list(read_file(tmp_path / "wire.xml.gz", max_bytes=10_000_000))
    assert sum(isinstance(i, Fetched) for i in got) == 2
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<html>" + b" " * 50_000_000))
    (res,) = list(read_file(bomb, max_bytes=1_000_000))
    assert isinstance(res, Broken) and "max_input_bytes" in res.detail
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(b"\x1f\x8b not really gzip")
    (res,) = list(read_file(bad, max_bytes=1_000_000))
    assert isinstance(res, Broken) and "gzip" in res.detail


def test_oversized_plain_file_is_not_read(tmp_path: Path) -> None:
    p = tmp_path / "big.html"
    p.write_bytes(b"<html>" + b"x" * 2000)
    (res,) = list(read_file(p, max_bytes=1000))
    assert isinstance(res, Broken)


def test_unknown_format_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "notes.bin").write_bytes(b"\x00\x01\x02")
    (tmp_path / "a" / ".hidden.html").write_text("<html></html>")
    (tmp_path / "b.html").write_text("<html></html>")
    files = list_inputs([tmp_path])
    assert [f.name for f in files] == ["notes.bin", "b.html"]
    (res,) = list(read_file(files[0], max_bytes=1000))
    assert isinstance(res, Broken) and "not a format" in res.detail
    with pytest.raises(InputError, match="no such file"):
        list_inputs([tmp_path / "missing"])


@pytest.mark.parametrize(
    ("name", "head", "ctype", "expected"),
    [
        ("x.html", b"", None, "page"),
        ("x", b"<!DOCTYPE html><html>", None, "page"),
        ("x", b"\xef\xbb\xbf<?xml version='1.0'?><rss version='2.0'>", None, "feed"),
        ("x", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>", None, "feed"),
        ("x", b"<?xml version='1.0'?><opml version='2.0'>", None, "opml"),
        # .xml is shared: an OPML list saved as .xml is read as one (it went to the feed reader).
        ("x.xml", b"<?xml version='1.0'?><opml version='2.0'>", None, "opml"),
        (
            "x.xml",
            b"<?xml version='1.0'?><!DOCTYPE opml [" + b" " * 5000 + b"]><opml version='2.0'>",
            None,
            "opml",
        ),
        ("x.xml", b"<html><body>502</body></html>", None, "feed"),
        ("x", b'{"url": "https://x"}', None, "jsonl"),
        ("x", b"", "application/atom+xml; charset=utf-8", "feed"),
        ("x", b"", "text/x-opml", "opml"),
    ],
)
def test_reader_dispatch(name: str, head: bytes, ctype: str | None, expected: str) -> None:
    reader = reader_for(name, head, ctype)
    assert reader is not None and expected == reader.NAME


def test_a_json_document_is_read_whole(tmp_path: Path) -> None:
    records = [{"url": "https://w.example/1", "title": "T", "text": PARAS}, {"title": "no body"}]
    got = items(tmp_path, "records.json", json.dumps(records, indent=2))
    assert [type(i).__name__ for i in got] == ["Fetched", "Broken"]
    got = items(tmp_path, "truth.json", json.dumps({"version": 1, "articles": {"a": {}}}, indent=2))
    assert len(got) == 1 and isinstance(got[0], Broken) and "not article records" in got[0].detail


def test_a_damaged_feed_recovered_whole_is_not_broken(tmp_path: Path) -> None:
    """An undefined entity mid-feed: feedparser's loose parser recovers every entry. The feed was
    still counted as broken; now the damage is a note on its entries."""
    damaged = RSS2.replace("Full story", "Full story &nbsp;&eacute; &bogus;", 1)
    got = items(tmp_path, "wire.xml", damaged)
    assert not any(isinstance(i, Broken) for i in got)
    docs = [i for i in got if isinstance(i, Fetched)]
    assert len(docs) == 2 and all(any("damaged feed" in n for n in d.hints.notes) for d in docs)


def test_a_feed_without_entries_says_so(tmp_path: Path) -> None:
    got = items(
        tmp_path,
        "empty.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>E</title></channel></rss>',
    )
    assert len(got) == 1 and isinstance(got[0], Rejected) and "no entries" in got[0].detail


# -- JSON Feed ------------------------------------------------------------------------------------

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Valley Gazette | Local",
    "home_page_url": "https://valleygazette.example/",
    "feed_url": "https://valleygazette.example/feed.json",
    "language": "en",
    "authors": [{"name": "Gazette desk"}],
    "items": [
        {
            "id": "vg-1",
            "url": "/2026/03/12/river-ferry-returns/",
            "title": "River ferry returns",
            "content_html": f"<p>{PARAS}</p>",
            "summary": "The ferry is back.",
            "date_published": "2026-03-12T06:00:00Z",
            "date_modified": "2026-03-12T09:30:00+01:00",
            "tags": ["Local", "Transport"],
        },
        {"id": 2, "url": "https://valleygazette.example/2", "title": "Teaser", "content_text": "Short."},
        {"id": "3", "content_text": PARAS, "authors": [{"name": "Ada Brook"}]},
        "not an item",
    ],
}


def test_a_json_feed_is_read_as_a_feed(tmp_path: Path) -> None:
    got = items(tmp_path, "feed.json", json.dumps(JSON_FEED, indent=2))
    assert [type(i).__name__ for i in got] == ["FoundSource", "Fetched", "Fetched", "Fetched", "Broken"]
    source = got[0]
    assert isinstance(source, FoundSource)
    assert (source.url, source.name) == ("https://valleygazette.example/feed.json", "Valley Gazette | Local")
    full, teaser, text_only = (i for i in got if isinstance(i, Fetched))
    assert full.url == "https://valleygazette.example/2026/03/12/river-ferry-returns/"
    assert b"Sentence number 11" in full.body and full.hints.summary == "The ferry is back."
    assert full.hints.categories == ("Local", "Transport") and full.hints.entry_id == "vg-1"
    assert full.hints.published is not None and full.hints.published.hour == 6
    assert full.hints.author == "Gazette desk" and full.hints.language == "en"
    assert full.source == "Valley Gazette"  # the outlet, not the feed's title
    assert teaser.body == b"" and teaser.hints.entry_id == "2"
    assert text_only.url is None and text_only.hints.text == PARAS and text_only.hints.author == "Ada Brook"


@pytest.mark.parametrize(
    ("name", "ctype", "data"),
    [
        ("feed.json", None, json.dumps(JSON_FEED)),
        ("feed", None, json.dumps(JSON_FEED, indent=1)),
        ("x.json", "application/json", json.dumps(JSON_FEED)),
        ("x", "application/feed+json", ""),
        # Keys in alphabetical order: "version" comes after the items, past the sniffing window.
        ("late.json", None, json.dumps({**JSON_FEED, "items": JSON_FEED["items"] * 100}, sort_keys=True)),
    ],
)
def test_a_json_feed_is_recognised_before_json_lines(name: str, ctype: str | None, data: str) -> None:
    reader = reader_for(name, data.encode()[:65_536], ctype)
    assert reader is not None
    if '"items"' in data[:65_536] and data.index('"version"') > 65_536:
        assert reader.NAME == "jsonl"  # and jsonl hands it to the JSON Feed reader:
        docs = [i for i in reader.read(data.encode(), name) if isinstance(i, Fetched)]
        assert docs and all(d.source == "Valley Gazette" for d in docs)
    else:
        assert reader.NAME == "jsonfeed"


# -- outlets --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site", "outlet"),
    [
        ("Pressline – Top News", "https://pressline.example/", "Pressline"),
        ("World news | The Guardian", "https://www.theguardian.com/world", "The Guardian"),
        ("BBC News - Home", "https://www.bbc.co.uk/news/", "BBC News"),
        ("NYT > Top Stories", "https://www.nytimes.com/", "NYT"),
        ("La Dépêche du Midi : actualités - ladepeche.fr", "https://www.ladepeche.fr/", "La Dépêche du Midi"),
        ("Loksattaदेश-विदेश – Loksatta", "https://www.loksatta.com/", "Loksatta"),
        ("KUSA - News", "http://rssfeeds.9news.com/kusa/home", "KUSA - News"),
        ("The Harbour Times", "https://harbourtimes.example/", "The Harbour Times"),
        ("Frankfurter Allgemeine", "https://www.faz.net/", "Frankfurter Allgemeine"),
        ("Evil <script>alert(1)</script> Gazette", None, "Evil <script>alert(1)</script> Gazette"),
        ("", "https://x.example/", None),
        (None, None, None),
    ],
)
def test_the_outlet_is_the_part_of_a_feed_title_that_names_its_site(
    title: str | None, site: str | None, outlet: str | None
) -> None:
    assert outlet_name(title, site) == outlet


def test_feed_entries_belong_to_the_outlet_and_the_feed_keeps_its_title(tmp_path: Path) -> None:
    data = RSS2.replace("<title>Harbour Wire</title>", "<title>Harbour Wire – World</title>")
    reading = feeds.parse(data.encode(), "wire.xml")
    assert (reading.title, reading.outlet) == ("Harbour Wire – World", "Harbour Wire")
    sources = [i for i in reading.items if isinstance(i, FoundSource)]
    assert [s.name for s in sources] == ["Harbour Wire – World"]
    docs = [i for i in reading.items if isinstance(i, Fetched)]
    assert {d.source for d in docs} == {d.hints.source_name for d in docs} == {"Harbour Wire"}
    # An entry that names where it comes from (RSS <source>) belongs there.
    aggregated = data.replace(
        "<guid>wire-2</guid>",
        '<guid>wire-2</guid><source url="https://ledger.example/rss">The Ledger</source>',
    )
    docs = [i for i in feeds.read(aggregated.encode(), "wire.xml") if isinstance(i, Fetched)]
    assert [d.source for d in docs] == ["Harbour Wire", "The Ledger"]


def test_html_entity_names_are_no_damage(tmp_path: Path) -> None:
    """&aacute; and &nbsp; are undefined in XML, so the strict parser gives up, but feeds use them
    everywhere and feedparser reads them right: 245 of feedparser's own test feeds were counted
    broken for nothing else."""
    feed = RSS2.replace("Full story", "Full story &aacute; la &nbsp;carte", 1)
    got = items(tmp_path, "wire.xml", feed)
    assert not any(isinstance(i, Broken) for i in got)
    docs = [i for i in got if isinstance(i, Fetched)]
    assert docs[0].hints.title == "Full story á la \xa0carte"
    assert not any("damaged" in n for d in docs for n in d.hints.notes)


def test_a_sitemap_without_usable_pages_says_so(tmp_path: Path) -> None:
    """A damaged or empty sitemap ended without any outcome (the adversary's fuzzing found it)."""
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    empty = items(tmp_path, "empty.xml", f'<?xml version="1.0"?><urlset {ns}></urlset>')
    assert len(empty) == 1 and isinstance(empty[0], Rejected) and "lists no pages" in empty[0].detail
    bad = items(
        tmp_path, "bad.xml", f'<?xml version="1.0"?><urlset {ns}><url><loc>ftp://x</loc></url></urlset>'
    )
    assert len(bad) == 1 and isinstance(bad[0], Rejected) and "1 entries without" in bad[0].detail
