"""WARC: what newsdesk archives it can read back (and so can any WARC tool); `ingest` reads WARC and
WARC.gz from anywhere; `reextract` runs extraction again over the archive without fetching."""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastwarc.warc import ArchiveIterator, WarcRecordType

from newsdesk import open_desk
from newsdesk.archive import WarcWriter, archive_files
from newsdesk.fetch import Response
from newsdesk.model import Broken, EntryHints, Fetched, FoundSource, SourceKind
from newsdesk.sources import reader_for, warc

from .._imports import newsdesk_imports, reachable
from .._pages import article_page
from .._server import Reply, Server, running

T0 = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
FEED = (
    b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Full story</title><link>https://wire.example/full</link><guid>w1</guid>
<description><![CDATA[<p>"""
    + (b"The harbour council voted on the bridge budget again today. " * 20)
    + b"""</p>]]></description></item>
</channel></rss>"""
)


def page(i: int) -> bytes:
    return article_page(i, random.Random(i)).encode()


def response(
    url: str,
    body: bytes,
    *,
    status: int = 200,
    ctype: str = "text/html; charset=utf-8",
    final: str | None = None,
) -> Response:
    return Response(
        url=url,
        final_url=final or url,
        status=status,
        headers=(("Content-Type", ctype), ("Content-Encoding", "gzip"), ("ETag", '"x"')),
        body=body,
        fetched_at=T0,
        address="93.184.216.34",
    )


def write_archive(folder: Path) -> Path:
    w = WarcWriter(folder)
    hints = EntryHints(
        title="From the feed", categories=("Business",), entry_id="e-1", source_name="Synthetic"
    )
    w.write_response(
        response("https://synthetic.example/a", page(1), final="https://synthetic.example/a/"), hints=hints
    )
    w.write_response(response("https://wire.example/feed.xml", FEED, ctype="application/rss+xml"))
    w.write_response(response("https://synthetic.example/logo.png", b"\x89PNG....", ctype="image/png"))
    w.close()
    assert w.path is not None
    return w.path


def test_archived_records_read_back_with_their_hints(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "warc")
    items = list(warc.read_path(path, max_record_bytes=10_000_000))
    pages = [i for i in items if isinstance(i, Fetched) and i.final_url]
    (doc,) = pages
    assert doc.url == "https://synthetic.example/a" and doc.final_url == "https://synthetic.example/a/"
    assert doc.body == page(1) and doc.status == 200 and doc.fetched_at == T0
    assert doc.hints.entry_id == "e-1" and doc.hints.categories == ("Business",)
    entries = [i for i in items if isinstance(i, Fetched) and i.url == "https://wire.example/full"]
    assert len(entries) == 1 and entries[0].body
    assert not any(isinstance(i, Broken) for i in items)


def test_archives_are_standard_warc(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "warc")
    with path.open("rb") as f:
        # verify_digests: records whose block digest is missing or wrong would be skipped.
        records = [
            (
                r.record_type,
                r.http_headers.get("Content-Encoding") if r.is_http else None,
                r.headers.get("WARC-IP-Address"),
            )
            for r in ArchiveIterator(f, parse_http=True, verify_digests=True)
        ]
    assert records[0][0] == WarcRecordType.warcinfo
    responses = [r for r in records if r[0] == WarcRecordType.response]
    assert len(responses) == 3
    assert all(encoding is None for _, encoding, _ in responses)  # the body is stored decoded
    assert responses[0][2] == "93.184.216.34"
    with gzip.open(path) as f:
        assert f.read(8) == b"WARC/1.1"


def _raw_record(uri: str, http: bytes) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2026-03-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{random.random()}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def _http(body: bytes, *extra: str, status: str = "200 OK") -> bytes:
    headers = [f"HTTP/1.1 {status}", "Content-Type: text/html", *extra, f"Content-Length: {len(body)}"]
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def test_foreign_warcs_errors_and_damage(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * 30_000_000)
    data = b"".join(
        [
            _raw_record("https://other.example/gz", _http(gzip.compress(page(2)), "Content-Encoding: gzip")),
            _raw_record("https://other.example/missing", _http(b"<html>gone</html>", status="404 Not Found")),
            _raw_record("https://other.example/bomb", _http(bomb, "Content-Encoding: gzip")),
            _raw_record("https://other.example/plain", _http(page(3))),
        ]
    )
    plain = tmp_path / "crawl.warc"
    first = _raw_record("https://other.example/cut", _http(page(4)))
    plain.write_bytes(data + first[:-500])  # a truncated last record
    items = list(warc.read_path(plain, max_record_bytes=10_000_000))
    docs = [i for i in items if isinstance(i, Fetched)]
    assert [d.url for d in docs] == ["https://other.example/gz", "https://other.example/plain"]
    assert docs[0].body == page(2)
    broken = [i.detail for i in items if isinstance(i, Broken)]
    assert any("decompression bomb" in b for b in broken)
    assert any("truncated record" in b for b in broken)
    # The reader is chosen by content, whatever the file is called.
    assert reader_for("crawl.bin", data[:4096]) is warc
    assert reader_for("crawl.bin", gzip.compress(data)[:4096]) is warc


def test_ingest_reads_warc_and_warc_gz(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "warc")
    plain = tmp_path / "copy.warc"
    with gzip.open(path) as f:
        plain.write_bytes(f.read())
    for name, target in (("gz", path), ("plain", plain)):
        with open_desk(tmp_path / f"{name}.sqlite", data_dir=str(tmp_path / name)) as desk:
            report = desk.ingest([target])
            assert report.new == 2 and report.broken == [], name
            stored = desk.get_article("https://synthetic.example/a/")
            assert stored.article.entry_id == "e-1" and stored.article.category == "business"
            assert desk.ingest([target]).unchanged == 2


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as s:
        yield s


def live(tmp: Path, db: str = "desk.sqlite", **kw: Any) -> Any:
    return open_desk(
        tmp / db,
        data_dir=str(tmp),
        host_overrides="*.example=127.0.0.1",
        allow_private_addresses=True,
        per_host_delay=0,
        **kw,
    )


def test_reextract_runs_extraction_again_without_fetching(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = "".join(
        f"<item><title>Synthetic report number {i}</title><link>http://site.example:{server.port}/p/{i}</link>"
        f"<guid>g{i}</guid><description>Short.</description></item>"
        for i in range(3)
    )
    server.add(
        "/feed.xml",
        Reply(
            body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>{items}</channel></rss>'.encode()
        ),
        host="site.example",
    )
    for i in range(3):
        server.add(f"/p/{i}", Reply(body=page(i), gzip=True), host="site.example")
    with live(tmp_path) as desk:
        desk.ingest_items([FoundSource(kind=SourceKind.FEED, url=server.url("/feed.xml", "site.example"))])
        assert desk.update().new == 3
        assert len(archive_files(tmp_path / "warc")) == 1
        requests = len(server.log)
        assert desk.reextract().unchanged == 3
        # An "upgrade" that changes what extraction makes of a page: the articles get a revision.
        # (Extraction is looked up where the budget runs it in process: these pages are small.)
        import newsdesk._budget

        real = newsdesk._budget.extract

        def upgraded(fetched: Fetched, **settings: Any) -> Any:
            result = real(fetched, **settings)
            if hasattr(result, "text"):
                from dataclasses import replace

                return replace(result, text=result.text + "\n(re-extracted)")
            return result

        monkeypatch.setattr(newsdesk._budget, "extract", upgraded)
        report = desk.reextract()
        assert report.updated == 3 and report.new == 0
        assert all(a.article.text.endswith("(re-extracted)") for a in desk.articles())
        assert all(a.revisions == 2 for a in desk.articles())
        assert len(server.log) == requests  # nothing was fetched
    monkeypatch.undo()
    # A new database over the same data folder is rebuilt from the archive alone.
    with live(tmp_path, db="rebuilt.sqlite") as fresh:
        report = fresh.reextract()
        assert report.new == 3
        assert {a.article.entry_id for a in fresh.articles()} == {"g0", "g1", "g2"}


def _arc(records: list[tuple[str, str, bytes]]) -> bytes:
    """An ARC v1 file (the Internet Archive's format before WARC): a filedesc record, then one
    record per (url, content type, HTTP response)."""
    version = b"1 0 Test Capture\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [b"filedesc://test.arc 127.0.0.1 20140216050221 text/plain %d\n" % len(version) + version + b"\n"]
    for url, ctype, http in records:
        out.append(b"%s 93.184.216.119 20140216050221 %s %d\n" % (url.encode(), ctype.encode(), len(http)))
        out.append(http + b"\n")
    return b"".join(out)


def _arc_http(body: bytes, status: str = "200 OK", ctype: str = "text/html") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


@pytest.mark.parametrize("gz", [False, True], ids=["arc", "arc.gz"])
def test_arc_files_are_read_as_web_archives_not_as_one_html_page(tmp_path: Path, gz: bool) -> None:
    """An ARC file begins with a text record and holds HTML further down: it was taken for an HTML
    page (the whole file one "article"). Its responses are documents, as a WARC's are."""
    data = _arc(
        [
            ("https://news.example/2026/03/14/story-0", "text/html", _arc_http(page(0))),
            (
                "https://news.example/2026/03/14/gone",
                "text/html",
                _arc_http(b"<html></html>", "404 Not Found"),
            ),
            ("https://news.example/logo.png", "image/png", _arc_http(b"\x89PNG....", ctype="image/png")),
        ]
    )
    if gz:
        data = gzip.compress(data)
    path = tmp_path / ("crawl.arc.gz" if gz else "crawl.arc")
    path.write_bytes(data)
    with open_desk(tmp_path / "d.sqlite") as desk:
        report = desk.ingest([path])
        (article,) = [desk.get_article(i).article for i in report.article_ids]
    assert article.canonical_url == "https://news.example/2026/03/14/story-0"
    assert "filedesc" not in article.text
    # The same bytes under another name are recognised by content.
    other = tmp_path / "crawl.bin"
    other.write_bytes(data)
    with open_desk(tmp_path / "e.sqlite") as desk:
        assert desk.ingest([other]).new == 1


def test_a_web_archive_without_pages_says_what_it_held(tmp_path: Path) -> None:
    """Requests, revisits, images and error responses are no news, but an archive holding only
    those must not end in silence ("0 new, 0 rejected, 0 broken")."""
    data = _arc(
        [("https://news.example/logo.png", "image/png", _arc_http(b"\x89PNG....", ctype="image/png"))]
    )
    path = tmp_path / "images.arc"
    path.write_bytes(data)
    seen: list[Any] = []
    with open_desk(tmp_path / "d.sqlite") as desk:
        report = desk.ingest([path], on_item=seen.append)
    assert report.new == 0 and len(report.rejected) == 1
    assert "no page or feed" in report.rejected[0].detail and "image/png" in report.rejected[0].detail
    assert [r.status.value for r in seen] == ["rejected"]


def test_the_archive_writer_and_the_warc_reader_import_one_way() -> None:
    """The writer imports the reader (for the Newsdesk-Entry header's codec, and to read its archive
    back); nothing the reader imports, directly or not, leads back to the writer. (The reader used
    to import the codec from the writer, inside a function to dodge the cycle at run time.)"""
    graph = newsdesk_imports()
    assert "newsdesk.sources.warc" in graph["newsdesk.archive"]
    assert "newsdesk.archive" not in reachable(graph, "newsdesk.sources.warc")
    assert "newsdesk.sources.warc" not in reachable(graph, "newsdesk.sources.warc")  # in no cycle at all


def test_the_entry_header_round_trips() -> None:
    hints = EntryHints(
        title="Zürich: the bridge vote", categories=("Local", "Politics"), entry_id="e-7", published=T0
    )
    header = warc.hints_header(hints)
    assert header is not None and header.isascii() and "\n" not in header
    assert warc.hints_from_header(header) == hints
    assert warc.hints_header(EntryHints()) is None
    assert warc.hints_from_header("not json") is None and warc.hints_from_header("[1]") is None


def test_a_warc_read_in_record_ranges_gives_what_a_whole_read_gives(tmp_path: Path) -> None:
    """``newsdesk batch`` reads a large WARC in parts from offsets: the parts' items, in order,
    are the whole read's (the same origins, ``#record-N`` numbered across parts)."""
    records = [
        _raw_record(
            f"https://other.example/{i}", _http(page(i), status="404 Not Found" if i == 4 else "200 OK")
        )
        for i in range(11)
    ]
    records.insert(3, records[0].replace(b"WARC-Type: response", b"WARC-Type: request"))
    files = {
        "plain.warc": b"".join(records),
        "members.warc.gz": b"".join(gzip.compress(r) for r in records),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        whole = list(warc.read_path(path, max_record_bytes=10_000_000))
        with path.open("rb") as f:
            ranges = warc.record_ranges(f, 4)
            assert ranges is not None and [r[1] for r in ranges] == [4, 4, 4], name
            parts = [
                item
                for offset, n, first in ranges
                for item in warc.read_range(
                    f, str(path), offset=offset, records=n, first=first, max_record_bytes=10_000_000
                )
            ]
        assert [(i.origin, getattr(i, "url", None)) for i in parts] == [
            (i.origin, getattr(i, "url", None)) for i in whole
        ]
        assert len([i for i in parts if isinstance(i, Fetched)]) == 10, name
    # Gzipped as a whole, a WARC has no record at an offset of its own: it is read in one part.
    whole_gz = tmp_path / "whole.warc.gz"
    whole_gz.write_bytes(gzip.compress(files["plain.warc"]))
    with whole_gz.open("rb") as f:
        assert warc.record_ranges(f, 4) is None
