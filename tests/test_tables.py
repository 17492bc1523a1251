"""Tables: an article's data tables come out as rows of text; layout tables neither duplicate nor
mangle the article; the site's own tables (navigation, "most read", calendars, forms) stay out.

Every page here is our own, written for these tests.
"""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Article, EntryHints, Fetched, Rejected, extract, extract_html
from newsdesk._tables import CELL_SEPARATOR, TableKind, classify, prepare

REPORT = [
    "Harbour City finished the regular season top of the coastal league on Saturday after a 3-1 win "
    "over Millbrook Rovers, their ninth victory in a row in front of a sold-out home crowd.",
    "Coach Marta Ilves said the squad had earned the title with its defence, which conceded only "
    "eleven goals in eighteen matches, the lowest total in the history of the league.",
    "The play-offs begin next weekend, when the top four meet in single matches at the home ground "
    "of the higher-placed side, with the final due at the national stadium on the first of May.",
]
STANDINGS = [
    ["Pos", "Team", "Played", "Won", "Points"],
    ["1", "Harbour City", "18", "14", "44"],
    ["2", "Millbrook Rovers", "18", "12", "38"],
    ["3", "Eastport United", "18", "10", "33"],
    ["4", "Kestrel Bay", "18", "9", "30"],
]
ROWS = [CELL_SEPARATOR.join(row) for row in STANDINGS]


def standings_table(*, linked_teams: bool = False) -> str:
    head = "".join(f"<th>{c}</th>" for c in STANDINGS[0])
    body = ""
    for row in STANDINGS[1:]:
        cells = [
            f'<a href="/teams/{c.lower().replace(" ", "-")}">{c}</a>' if linked_teams and i == 1 else c
            for i, c in enumerate(row)
        ]
        body += "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    return f"<table class='standings'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


MOST_READ = (
    "<table class='most-read'><tr><td>1</td><td><a href='/news/2026/04/ferry-fares-frozen'>Ferry fares "
    "frozen for the whole of the spring season</a></td></tr><tr><td>2</td><td><a href='/news/2026/04/"
    "council-budget'>Council approves the new harbour budget after a long night</a></td></tr><tr><td>3</td>"
    "<td><a href='/news/2026/04/storm'>Storm warning issued for the northern coast tonight</a></td></tr>"
    "</table>"
)
CALENDAR = (
    "<table id='archive-cal'><caption>April 2026</caption><tr>"
    + "".join(f"<th>{d}</th>" for d in ("M", "T", "W", "T", "F", "S", "S"))
    + "</tr>"
    + "".join(
        "<tr>"
        + "".join(
            f"<td><a href='/2026/04/{d:02d}/'>{d}</a></td>" if d % 3 == 0 else f"<td>{d}</td>"
            for d in range(week * 7 + 1, min(week * 7 + 8, 31))
        )
        + "</tr>"
        for week in range(5)
    )
    + "</table>"
)
SHARE_BAR = (
    "<table class='share'><tr><td><a href='https://social.example/share?u=x'>Facebook</a></td>"
    "<td><a href='https://chirp.example/intent?u=x'>Chirp</a></td><td><a href='mailto:?body=x'>Email</a></td>"
    "</tr></table>"
)
SEARCH_FORM = (
    "<form action='/search'><table><tr><td>Search the archive</td><td><input name='q'></td>"
    "<td><button>Go</button></td></tr></table></form>"
)


def page(article: str, *, around: str = "{article}", title: str = "Harbour City win the league") -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} - Coastal Sport</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2026-04-12T18:00:00+00:00"></head><body>'
        "<header><nav><a href='/'>Home</a> <a href='/football/'>Football</a> <a href='/tennis/'>Tennis</a></nav></header>"
        + around.format(article=f"<article><h1>{title}</h1>{article}</article>")
        + "<footer><p>Coastal Sport, 12 Quay Street, Harbour City.</p></footer></body></html>"
    )


def paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def ok(result: Article | Rejected) -> Article:
    assert isinstance(result, Article), result
    return result


def first_table(html: str) -> lxml.html.HtmlElement:
    tree = lxml.html.fromstring(html)
    return next(tree.iter("table"))


# -- what the article keeps --------------------------------------------------------------------------


@pytest.mark.parametrize("linked_teams", [False, True], ids=["plain", "teams-linked"])
def test_a_results_table_inside_an_article_is_kept_as_rows_in_order(linked_teams: bool) -> None:
    html = page(paragraphs(REPORT[:2]) + standings_table(linked_teams=linked_teams) + paragraphs(REPORT[2:]))
    a = ok(extract_html(html))
    assert a.text.split("\n") == [*REPORT[:2], *ROWS, *REPORT[2:]]


def test_a_table_caption_leads_its_rows_and_empty_edge_cells_are_left_out() -> None:
    table = (
        "<table><caption>Final standings</caption>"
        "<tr><th></th><th>Team</th><th>Points</th></tr>"
        "<tr><td>1</td><td>Harbour City</td><td>44</td></tr>"
        "<tr><td colspan='3'>Relegated</td></tr>"
        "<tr><td>12</td><td>Westfield Athletic</td><td></td></tr>"
        "</table>"
    )
    a = ok(extract_html(page(paragraphs(REPORT[:2]) + table + paragraphs(REPORT[2:]))))
    rows = [
        "Final standings",
        "Team | Points",
        "1 | Harbour City | 44",
        "Relegated",
        "12 | Westfield Athletic",
    ]
    assert a.text.split("\n") == [*REPORT[:2], *rows, *REPORT[2:]]


def test_a_feed_entrys_table_is_kept_as_rows() -> None:
    content = (paragraphs(REPORT[:2]) + standings_table() + paragraphs(REPORT[2:])).encode()
    hints = EntryHints(title="Harbour City win the league")
    a = ok(
        extract(
            Fetched(url="https://sport.example/2026/04/12/league", body=content, origin="feed#1", hints=hints)
        )
    )
    assert a.text.split("\n") == [*REPORT[:2], *ROWS, *REPORT[2:]]


# -- what the page's layout does not do ---------------------------------------------------------------


def test_a_layout_table_around_the_article_does_not_duplicate_or_mangle_it() -> None:
    menu = (
        "<ul>"
        + "".join(f"<li><a href='/{s}/'>{s.title()}</a></li>" for s in ("news", "sport", "weather"))
        + "</ul>"
    )
    around = (
        "<table width='100%' cellpadding='0'><tr>"
        f"<td width='20%' valign='top'>{menu}</td>"
        "<td width='60%' valign='top'>{article}</td>"
        "<td width='20%' valign='top'><h4>Advertisement</h4><p>Book your ferry now.</p><p>Fares from 9 crowns.</p></td>"
        "</tr></table>"
    )
    a = ok(extract_html(page(paragraphs(REPORT), around=around)))
    assert a.text.split("\n") == REPORT


def test_text_standing_directly_in_a_layout_cell_is_read_once_as_a_paragraph() -> None:
    """A pull quote or a whole story in a table cell without <p>: trafilatura, reading with tables
    off, passes over a cell's own text, so the cell becomes a paragraph."""
    quote = "<table align='right' width='40%'><tr><td class='quote'>The defence won us the title, nothing else.</td></tr></table>"
    html = page(paragraphs(REPORT[:2]) + quote + paragraphs(REPORT[2:]))
    a = ok(extract_html(html))
    assert a.text.split("\n") == [*REPORT[:2], "The defence won us the title, nothing else.", *REPORT[2:]]


def test_an_old_page_laid_out_in_a_table_reads_as_its_story() -> None:
    """The whole page in one table: a menu cell, the story as text and line breaks, an ad cell."""
    menu = (
        "<ul>"
        + "".join(f"<li><a href='/{s}/'>{s.title()}</a></li>" for s in ("news", "sport", "weather"))
        + "</ul>"
    )
    html = (
        "<html><head><title>Harbour City win the league</title></head><body><table width='100%'><tr>"
        f"<td>{menu}</td><td><b>Harbour City win the league</b><br><br>"
        + "<br><br>".join(REPORT)
        + "</td><td>Advertisement</td></tr></table></body></html>"
    )
    a = ok(extract_html(html))
    assert a.text.split("\n") == REPORT


# -- what the site's own tables do not add ------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [MOST_READ, CALENDAR, SHARE_BAR, SEARCH_FORM],
    ids=["most-read", "calendar", "share-bar", "search-form"],
)
def test_the_sites_own_tables_are_dropped_from_the_article(template: str) -> None:
    html = page(paragraphs(REPORT) + "<h3>Most read</h3>" * (template is MOST_READ) + template)
    a = ok(extract_html(html))
    assert a.text.split("\n") == REPORT


def test_a_most_read_table_in_the_sidebar_stays_out_and_the_articles_table_stays_in() -> None:
    around = (
        "<div class='wrap'>{article}<aside class='rail'><h3>Most read</h3>" + MOST_READ + "</aside></div>"
    )
    html = page(paragraphs(REPORT[:2]) + standings_table() + paragraphs(REPORT[2:]), around=around)
    a = ok(extract_html(html))
    assert a.text.split("\n") == [*REPORT[:2], *ROWS, *REPORT[2:]]


def test_the_clean_up_still_removes_template_clutter_around_a_table() -> None:
    html = page(
        "<p>[ad_1]</p>"
        + paragraphs(REPORT[:2])
        + "<p>Advertisement</p>"
        + standings_table()
        + "<p>Share this:</p>"
        + paragraphs(REPORT[2:])
        + "<p>Source link</p>"
    )
    a = ok(extract_html(html))
    assert a.text.split("\n") == [*REPORT[:2], *ROWS, *REPORT[2:]]


# -- the rules, one by one ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        (standings_table(), TableKind.DATA),
        (standings_table(linked_teams=True), TableKind.DATA),
        # no headings, but the same columns row after row
        (
            "<table><tr><td>Oslo</td><td>4 °C</td></tr><tr><td>Bergen</td><td>7 °C</td></tr></table>",
            TableKind.DATA,
        ),
        # a heading per row: a list of properties
        (
            "<table><tr><th>Venue</th><td>Quay Park</td></tr><tr><th>Crowd</th><td>12,400</td></tr></table>",
            TableKind.DATA,
        ),
        (MOST_READ, TableKind.TEMPLATE),
        (CALENDAR, TableKind.TEMPLATE),
        (SHARE_BAR, TableKind.TEMPLATE),
        (SEARCH_FORM, TableKind.TEMPLATE),
        (
            "<nav><table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table></nav>",
            TableKind.TEMPLATE,
        ),
        # layout: marked so, one column, block content, a photo and its caption
        (
            "<table role='presentation'><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>",
            TableKind.LAYOUT,
        ),
        (
            "<table><tr><td>The whole story in one cell.</td></tr><tr><td>And more.</td></tr></table>",
            TableKind.LAYOUT,
        ),
        ("<table><tr><td><h2>Title</h2><p>Text</p></td><td>Side</td></tr></table>", TableKind.LAYOUT),
        (
            "<table><tr><td><p>One paragraph.</p><p>Another paragraph.</p></td><td>x</td></tr></table>",
            TableKind.LAYOUT,
        ),
        (
            "<table><tr><td><img src='a.jpg' alt=''></td><td>The captain lifts the trophy.</td></tr></table>",
            TableKind.LAYOUT,
        ),
        (
            "<table><tr><td><table><tr><td>a</td><td>1</td></tr></table></td><td>b</td></tr></table>",
            TableKind.LAYOUT,
        ),
    ],
    ids=[
        "standings",
        "standings-linked-teams",
        "repeated-columns",
        "row-headings",
        "most-read",
        "calendar",
        "share-bar",
        "search-form",
        "in-navigation",
        "role-presentation",
        "one-column",
        "heading-in-cell",
        "paragraphs-in-cell",
        "photo-and-caption",
        "nests-a-table",
    ],
)
def test_classify(html: str, kind: TableKind) -> None:
    assert classify(first_table(f"<html><body>{html}</body></html>")) is kind


def test_a_seven_column_table_of_small_numbers_is_no_calendar() -> None:
    """A box score has seven columns of small numbers, but they do not read 1, 2, 3 … 28."""
    rows = "".join(
        f"<tr><td>Player {n}</td>" + "".join(f"<td>{(n * k) % 9}</td>" for k in range(1, 7)) + "</tr>"
        for n in range(1, 10)
    )
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in ("Player", "AB", "R", "H", "RBI", "BB", "SO")) + "</tr>"
    assert classify(first_table(f"<table>{head}{rows}</table>")) is TableKind.DATA


def test_prepare_counts_every_kind_and_acts_on_each() -> None:
    tree = lxml.html.fromstring(
        f"<html><body><div>{standings_table()}{MOST_READ}"
        "<table><tr><td>Only text here.</td></tr></table></div></body></html>"
    )
    counts = prepare(tree)
    assert counts == {TableKind.DATA: 1, TableKind.TEMPLATE: 1, TableKind.LAYOUT: 1}
    assert [" ".join(p.text_content().split()) for p in tree.iter("p")] == [*ROWS, "Only text here."]
    assert "Ferry fares" not in tree.text_content()


_CELL = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=8)


@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda n: st.lists(st.lists(_CELL, min_size=n, max_size=n), min_size=2, max_size=6)
    )
)
def test_a_data_tables_rows_read_in_order_whatever_the_cells(grid: list[list[str]]) -> None:
    head = "<tr>" + "".join(f"<th>{c}</th>" for c in grid[0]) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in grid[1:])
    tree = lxml.html.fromstring(f"<html><body><div><table>{head}{body}</table></div></body></html>")
    assert prepare(tree)[TableKind.DATA] == 1
    assert [p.text for p in tree.iter("p")] == [CELL_SEPARATOR.join(row) for row in grid]
