"""XML inputs newsdesk reads (feeds, OPML, sitemaps): entity bombs refused, declared entities kept
within bounds, the root element found past a long prolog, and OPML lists recovered from the faults
feeds are recovered from."""

from __future__ import annotations

import html.entities
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Broken, Fetched, FoundSource, InputError, UnsupportedInputError, open_desk
from newsdesk.sources import SNIFF_BYTES, opml, reader_for, sitemaps
from newsdesk.sources._xml import MAX_ENTITY_EXPANSION, defuse, prepare, sniff_view
from newsdesk.sources.files import read_file

from ..conftest import invoke_cli


def rss(
    doctype: str = "", *, title: str = "Ferry news", description: str = "A teaser.", tail: str = ""
) -> str:
    """An RSS feed; ``tail`` goes after the item (an undefined entity there makes the feed malformed,
    so feedparser's strict parser gives up and its loose one runs)."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n<rss version="2.0"><channel>'
        "<title>Harbour Wire – Ferries</title><link>https://harbourwire.example/</link>"
        f"<item><title>{title}</title><link>https://harbourwire.example/ferry/1</link>"
        f'<guid isPermaLink="false">ferry-1</guid><description>{description}</description></item>'
        f"<item><title>Second{tail}</title><link>https://harbourwire.example/ferry/2</link></item>"
        "</channel></rss>"
    )


def quadratic_bomb(size: int) -> bytes:
    """One long entity referenced thousands of times: ``size`` bytes that expand to ~size²/12
    characters. Malformed (an undefined entity), so feedparser's loose parser is the one that runs."""
    value = "A" * (size // 2)
    refs = "&a;" * (size // 6)
    return rss(f'<!DOCTYPE rss [\n<!ENTITY a "{value}">\n]>', description=refs, tail="&nbsp;").encode()


def billion_laughs(levels: int = 9) -> bytes:
    decls = '<!ENTITY lol0 "lol">\n' + "".join(
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">\n' for i in range(1, levels + 1)
    )
    return rss(f"<!DOCTYPE rss [\n{decls}]>", description=f"&lol{levels};", tail="&nbsp;").encode()


def text_size(items: list[object]) -> int:
    size = 0
    for item in items:
        if isinstance(item, Fetched):
            size += len(item.body) + len(item.hints.summary or "") + len(item.hints.title or "")
    return size


def read_items(tmp_path: Path, name: str, data: bytes) -> list[object]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_file(path, max_bytes=10_000_000))


# -- entity bombs ---------------------------------------------------------------------------------


def test_a_quadratic_entity_bomb_feed_is_refused_not_expanded(tmp_path: Path) -> None:
    data = quadratic_bomb(20_000)  # feedparser's loose parser made ~33 million characters of it
    items = read_items(tmp_path, "bomb.xml", data)
    assert text_size(items) < len(data)
    (broken,) = items
    assert isinstance(broken, Broken) and "entity bomb" in broken.detail


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(billion_laughs(), id="nested"),
        pytest.param(
            quadratic_bomb(20_000).decode().replace("utf-8", "utf-16").encode("utf-16"), id="utf-16"
        ),
        pytest.param(
            rss(
                f'<!DOCTYPE rss>\n<!ENTITY a "{"A" * 10_000}">', description="&a;" * 3000, tail="&nbsp;"
            ).encode(),
            id="declaration-outside-the-doctype",
        ),
        pytest.param(
            rss('<!DOCTYPE rss [<!ENTITY a "&b;"><!ENTITY b "x&a;">]>', description="&a;").encode(),
            id="self-reference",
        ),
    ],
)
def test_every_shape_of_entity_bomb_is_refused(tmp_path: Path, data: bytes) -> None:
    items = read_items(tmp_path, "bomb.xml", data)
    assert [type(i) for i in items] == [Broken]
    assert "refused" in str(items[0])


def test_a_declaration_hidden_in_a_prolog_comment_is_removed(tmp_path: Path) -> None:
    """feedparser reads an ``<!ENTITY`` line anywhere before the root element, comments included."""
    prolog = f'<!DOCTYPE rss>\n<!--\n<!ENTITY a "{"A" * 10_000}">\n-->'
    data = rss(prolog, description="&a;" * 3000, tail="&nbsp;").encode()
    items = read_items(tmp_path, "c.xml", data)
    assert text_size(items) < len(data)
    assert [i.url for i in items if isinstance(i, Fetched)] == [
        "https://harbourwire.example/ferry/1",
        "https://harbourwire.example/ferry/2",
    ]


def test_the_expansion_budget_is_a_bound_on_what_a_document_can_become() -> None:
    small = rss('<!DOCTYPE rss [<!ENTITY a "0123456789">]>', description="&a;" * 100).encode()
    assert b"0123456789" * 100 in defuse(small).data
    with pytest.raises(InputError, match="entity bomb"):
        defuse(small, budget=999)
    limit = rss(f'<!DOCTYPE rss [<!ENTITY a "{"A" * 1000}">]>', description="&a;" * 1000).encode()
    assert len(defuse(limit).data) <= len(limit) + MAX_ENTITY_EXPANSION


def test_ingest_of_a_large_entity_bomb_stays_small(tmp_path: Path) -> None:
    """The real CLI, under a 2 GB address-space cap, on a 131 KB bomb (which took 3-4 GB before)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bomb.xml").write_bytes(quadratic_bomb(131_000))

    cli = [
        sys.executable,
        "-m",
        "newsdesk",
        "--db",
        str(tmp_path / "d.sqlite"),
        "ingest",
        "--json",
        str(folder),
    ]
    r = subprocess.run(
        ["/bin/sh", "-c", 'ulimit -v 2097152 && exec "$@"', "sh", *cli],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NEWSDESK_PROGRESS": "false"},
    )
    assert r.returncode == 0, r.stderr[-2000:]
    report = json.loads(r.stdout)
    assert report["broken"] == 1 and report["new"] == 0


# -- declared entities that are not bombs, and entity names ---------------------------------------


def test_declared_entities_are_expanded_and_external_ones_never_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doctype = (
        "<!DOCTYPE rss [\n"
        '  <!ENTITY place "Kestrel Bay">\n'
        '  <!ENTITY where "the port of &place;">\n'
        f'  <!ENTITY file SYSTEM "file://{secret}">\n'
        "]>"
    )
    for tail in ("", "&nbsp;"):  # well-formed (strict parser) and malformed (loose parser)
        items = read_items(
            tmp_path, "f.xml", rss(doctype, title="Ferries at &where; &file;", tail=tail).encode()
        )
        first = next(i for i in items if isinstance(i, Fetched))
        assert first.hints.title is not None
        assert "Ferries at the port of Kestrel Bay" in first.hints.title
        assert "TOPSECRET" not in repr(items)


# The HTML entity names feedparser understands (its tests/entities/ covers all of them): with an
# entity declaration in the document, so that the document passes through defuse, they still work.
NAMES = ["nbsp", "eacute", "hellip", "rsquo", "mdash", "copy", "euro", "aacute", "szlig", "thorn", "Omega"]


@pytest.mark.parametrize("name", NAMES)
def test_html_entity_names_and_character_references_still_work(tmp_path: Path, name: str) -> None:
    char = html.entities.html5[name + ";"]
    title = f"A &{name}; B &#8217; C &#x2014; D &amp; E &lt;"
    items = read_items(tmp_path, "e.xml", rss('<!DOCTYPE rss [<!ENTITY x "y">]>', title=title).encode())
    first = next(i for i in items if isinstance(i, Fetched))
    assert first.hints.title == f"A {char} B \u2019 C \u2014 D & E <"


def test_a_sitemap_keeps_bare_ampersands_and_expands_its_entities() -> None:
    data = (
        b"<?xml version='1.0'?>\n<!DOCTYPE urlset [<!ENTITY site 'https://a.example'>]>\n"
        b"<urlset><url><loc>&site;/news/1</loc></url>"
        b"<url><loc>https://a.example/list?page=2&amp;sort=new&ref=home</loc></url></urlset>"
    )
    assert [u.loc for u in sitemaps.parse(data).urls] == [
        "https://a.example/news/1",
        "https://a.example/list?page=2&sort=new&ref=home",
    ]


def test_a_sitemap_entity_bomb_is_refused() -> None:
    data = quadratic_bomb(20_000).replace(b"<rss", b"<urlset").replace(b"DOCTYPE rss", b"DOCTYPE urlset")
    with pytest.raises(ValueError, match="entity bomb"):
        sitemaps.parse(data)


# -- sniffing past the prolog -----------------------------------------------------------------------

LONG_DOCTYPE = (
    "<!DOCTYPE x [\n"
    + "".join(f"<!ELEMENT e{i} (#PCDATA)>\n<!-- note {i} -->\n" for i in range(200))
    + "]>\n"
)
COMMENTS = "".join(f"<!-- generated by a CMS, line {i} -->\n" for i in range(200))
PIS = "".join(f'<?xml-stylesheet type="text/xsl" href="/style{i}.xsl"?>\n' for i in range(100))


@pytest.mark.parametrize("prolog", [LONG_DOCTYPE, COMMENTS, PIS], ids=["doctype", "comments", "pis"])
@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/1</loc></url></urlset>',
            "sitemap",
        ),
        ('<rss version="2.0"><channel><title>T</title></channel></rss>', "feed"),
        ('<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/f"/></body></opml>', "opml"),
    ],
)
def test_a_long_prolog_does_not_hide_the_root_element(prolog: str, root: str, expected: str) -> None:
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + prolog + root).encode()
    assert len(data) > 4096
    reader = reader_for("download", data[:SNIFF_BYTES])
    assert reader is not None and expected == reader.NAME


def test_sniffing_is_bounded_and_html_doctypes_still_say_page() -> None:
    view = sniff_view(b"<!DOCTYPE html><head><title>x</title></head>")
    assert view.doctype == "html" and view.text.startswith("<head")
    reader = reader_for("x", b"<!DOCTYPE html>\n<head><title>x</title></head><body>hi</body>")
    assert reader is not None and reader.NAME == "page"
    unended = b"<?xml version='1.0'?><!-- " + b"x" * SNIFF_BYTES
    assert reader_for("x", unended[:SNIFF_BYTES]) is None


# -- OPML recovery ----------------------------------------------------------------------------------

# From plenaryapp/awesome-rss-feeds @ 9ff012e, countries/with_category/United Kingdom.opml (CC0):
# a real export whose one unescaped "&" made the whole list unreadable.
UK_OPML = """<?xml version='1.0' encoding='UTF-8' ?>
<opml version="1.0">
	<head>
		<title>Export from Plenary</title>
		<url>https://play.google.com/store/apps/details?id=com.spians.plenary</url>
	</head>
	<body>
		<outline text="United Kingdom" title="United Kingdom">
			<outline text="BBC News - Home" title="BBC News - Home" description="BBC News - Home" xmlUrl="http://feeds.bbci.co.uk/news/rss.xml" type="rss" />
			<outline text="World news | The Guardian" title="World news | The Guardian" description="Latest World news news, comment and analysis from the Guardian, the world's leading liberal voice" xmlUrl="https://www.theguardian.com/world/rss" type="rss" />
			<outline text="Home | Mail Online" title="Home | Mail Online" description="MailOnline - get the latest breaking news, showbiz & celebrity photos, sport news & rumours, viral videos and top stories from MailOnline, Daily Mail and Mail on Sunday newspapers." xmlUrl="https://www.dailymail.co.uk/home/index.rss" type="rss" />
			<outline text="The Independent" title="The Independent" description="Visit now for the latest news direct from The Independent and updated throughout the day" xmlUrl="http://www.independent.co.uk/news/uk/rss" type="rss" />
			<outline text="Daily Express :: News Feed" title="Daily Express :: News Feed" description="Simply The Best 7 Days A Week" xmlUrl="http://feeds.feedburner.com/daily-express-news-showbiz" type="rss" />
		</outline>
	</body>
</opml>"""


def found(data: bytes) -> list[tuple[str, str | None, str | None]]:
    return [(i.url, i.name, i.category) for i in opml.read(data, "x.opml") if isinstance(i, FoundSource)]


def test_an_opml_export_with_an_unescaped_ampersand_is_read_whole() -> None:
    items = list(opml.read(UK_OPML.encode(), "uk.opml"))
    assert not [i for i in items if isinstance(i, Broken)]
    assert [(i.name, i.category) for i in items if isinstance(i, FoundSource)] == [
        ("BBC News - Home", "United Kingdom"),
        ("World news | The Guardian", "United Kingdom"),
        ("Home | Mail Online", "United Kingdom"),
        ("The Independent", "United Kingdom"),
        ("Daily Express :: News Feed", "United Kingdom"),
    ]


@pytest.mark.parametrize(
    ("data", "name", "url"),
    [
        pytest.param(
            b"<opml version='1.0'><body><outline text='Caf&eacute;&nbsp;Times' xmlUrl='https://c.example/f'/></body></opml>",
            "Caf\u00e9\u00a0Times",
            "https://c.example/f",
            id="html-entity-names",
        ),
        pytest.param(
            b"\xef\xbb\xbf\n\n   <?xml version='1.0' encoding='utf-8'?>\n<opml version='1.0'><body>"
            b"<outline text='Bay' xmlUrl='https://b.example/f?a=1&b=2'/></body></opml>",
            "Bay",
            "https://b.example/f?a=1&b=2",
            id="bom-blank-lines-and-bare-ampersand-in-a-url",
        ),
        pytest.param(
            "<?xml version='1.0' encoding='ISO-8859-1'?><opml version='1.0'><body>"
            "<outline text='Gazette – Café' xmlUrl='https://g.example/f'/></body></opml>".encode(),
            "Gazette – Café",
            "https://g.example/f",
            id="declares-latin-1-but-is-utf-8",
        ),
        pytest.param(
            "<?xml version='1.0' encoding='UTF-8'?><opml version='1.0'><body>"
            "<outline text='Café’s news' xmlUrl='https://g.example/f'/></body></opml>".encode("cp1252"),
            "Café’s news",
            "https://g.example/f",
            id="declares-utf-8-but-is-windows-1252",
        ),
    ],
)
def test_opml_recovers_from_what_feeds_recover_from(data: bytes, name: str, url: str) -> None:
    assert found(data) == [(url, name, None)]


DAMAGED = """<?xml version="1.0"?>
<opml version="2.0"><body>
<outline text="Russia">
  <outline text="Gazeta "Kommersant". Main" title="Gazeta "Kommersant". Main" xmlUrl="https://k.example/rss" type="rss"/>
  <outline text="TASS" xmlUrl="https://tass.example/rss" type="rss"/>
  <outline text="Cut off xmlUrl="https://cut.example/rss
</outline>
<outline text="Local" xmlUrl="https://local.example/rss"/>
</body></opml>"""


def test_a_damaged_opml_gives_every_readable_outline_and_one_line_per_problem() -> None:
    items = list(opml.read(DAMAGED.encode(), "d.opml"))
    assert [(i.url, i.name, i.category) for i in items if isinstance(i, FoundSource)] == [
        ("https://k.example/rss", 'Gazeta "Kommersant". Main', "Russia"),
        ("https://tass.example/rss", "TASS", "Russia"),
        ("https://local.example/rss", "Local", None),
    ]
    problems = [i.detail for i in items if isinstance(i, Broken)]
    assert len(problems) == 2
    assert problems[0].startswith("line 6: an outline that could not be read")
    assert problems[1].startswith("malformed OPML") and "3 feeds recovered" in problems[1]
    assert all("\n" not in p for p in problems)


def test_an_opml_entity_bomb_is_refused() -> None:
    data = quadratic_bomb(20_000).replace(b"<rss", b"<opml").replace(b"DOCTYPE rss", b"DOCTYPE opml")
    (item,) = opml.read(data, "b.opml")
    assert isinstance(item, Broken) and "entity bomb" in item.detail


def test_import_adds_what_it_can_and_says_what_it_cannot(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.opml"
    damaged.write_text(DAMAGED)
    r = invoke_cli("--db", str(tmp_path / "d.sqlite"), "import", str(damaged))
    assert r.returncode == 0, r.stderr
    assert "3 sources added" in r.stdout
    assert "problem: line 6: an outline that could not be read" in r.stdout
    uk = tmp_path / "uk.opml"
    uk.write_text(UK_OPML)
    r = invoke_cli("--db", str(tmp_path / "d.sqlite"), "import", str(uk))
    assert r.returncode == 0 and "5 sources added" in r.stdout and "could not" not in r.stdout


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"<?xml version='1.0'?><opml version='2.0'><body><outline text='a' xmlUrl='https://a.example/f",
            "0 feeds recovered",
        ),
        (
            b"<?xml version='1.0'?><opml version='2.0'><body><outline text='Empty folder'/></body></opml>",
            "without any feed",
        ),
        (
            quadratic_bomb(20_000).replace(b"<rss", b"<opml").replace(b"DOCTYPE rss", b"DOCTYPE opml"),
            "entity bomb",
        ),
    ],
    ids=["cut-off", "no-feeds", "bomb"],
)
def test_import_of_a_list_with_nothing_readable_fails_with_the_reason(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    path = tmp_path / "bad.opml"
    path.write_bytes(data)
    r = invoke_cli("--db", str(tmp_path / "d.sqlite"), "import", str(path))
    assert r.returncode == 1 and "sources added" not in r.stdout
    assert "no feed could be read" in r.stderr and reason in r.stderr
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1  # one line, however long
    assert "Traceback" not in r.stderr
    with open_desk(tmp_path / "d.sqlite") as desk, pytest.raises(UnsupportedInputError, match=reason):
        desk.import_opml(path)


def test_prepare_reports_what_it_repaired() -> None:
    doc = prepare("\n<?xml version='1.0' encoding='latin-1'?><a t='x & y &nbsp;'>é</a>".encode())
    assert doc.text == "<a t='x &amp; y &#160;'>é</a>"
    assert any("UTF-8" in n for n in doc.notes)
    assert any("unescaped" in n for n in doc.notes)


# -- properties -------------------------------------------------------------------------------------

_VALUE = st.lists(st.one_of(st.text("ab<>\"'& ;x", max_size=30), st.integers(0, 7).map(lambda n: f"&e{n};")))


@given(
    values=st.lists(_VALUE.map("".join), min_size=1, max_size=8),
    body=st.lists(
        st.one_of(st.text("ab&;<> ", max_size=20), st.integers(0, 9).map(lambda n: f"&e{n};")), max_size=60
    ),
)
def test_defuse_never_grows_a_document_beyond_its_budget(values: list[str], body: list[str]) -> None:
    decls = "".join(f"<!ENTITY e{n} '{v.replace(chr(39), '')}'>\n" for n, v in enumerate(values))
    data = f"<!DOCTYPE r [\n{decls}]>\n<r>{''.join(body)}</r>".encode()
    try:
        out = defuse(data, budget=500).data
    except InputError as e:
        assert str(e).startswith("refused")
        return
    assert len(out) <= len(data) + 500
    assert b"<!ENTITY" not in out


@given(st.text(max_size=200))
def test_prepare_leaves_only_well_formed_references(text: str) -> None:
    try:
        doc = prepare(("<r>" + text + "</r>").encode())
    except InputError:
        return
    for m in re.finditer("&", doc.text):
        rest = doc.text[m.start() :]
        if "<![CDATA[" in doc.text or "<!--" in doc.text:
            break  # inside those, "&" is text
        assert re.match(r"&(?:#[0-9]+;|#x[0-9A-Fa-f]+;|lt;|gt;|amp;|quot;|apos;)", rest), rest[:20]
