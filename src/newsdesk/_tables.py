"""Tables in a page: the article's data, the page's layout, or the site's navigation.

A sports page's standings, a match report's results, a review's test scores are tables, and their
words are the article's as much as its paragraphs. Pages also use tables to lay themselves out (old
templates put the whole page in one), to lay out forms, and to hold the site's own lists ("most
read", archive calendars, share bars). Extraction must keep the first kind as text and not let the
others in, so every ``<table>`` is given one of three kinds before trafilatura reads the page
(``prepare``), by rules an editor would give:

* **layout** — the table only places blocks on the page: it is marked ``role="presentation"``, a
  cell holds block content (a heading, a list, another table, a quotation, several paragraphs),
  every row has a single cell, or what is left is no table of values (one row of two cells
  without numbers or headings: a photo and its caption). It is unwrapped: a cell of text becomes
  a paragraph, a cell of blocks a division, so its content reads as the page's blocks, once and
  in order.
* **template** — the table is the site's, not the article's: it stands in the site's navigation,
  masthead, footer or sidebar, it lays out a form (search, log-in, comments), it is a month
  calendar (its cells read 1, 2, 3 … 28-31), or it is a grid of links (at least half its cells
  are links and no row of column headings says what they are). It is removed.
* **data** — everything else with rows of values: header cells, columns repeated row after row,
  or numbers. Each row is written in the table's place as a paragraph of its own, cells separated
  by `` | ``, so a reader, a search index and a word-sequence comparison see the cells in order,
  and trafilatura decides as for any paragraph whether the rows belong to the main text.

The rules look at the table alone (its cells, its headings, its links) and at where it stands,
never at the words of a particular site. Work is linear in the size of the tables.
"""

from __future__ import annotations

import enum
import re

from lxml import etree

#: What the cells of a data table are separated by in the text.
CELL_SEPARATOR = " | "


class TableKind(enum.Enum):
    """What a table on a page is (see the module's docstring)."""

    DATA = "data"
    LAYOUT = "layout"
    TEMPLATE = "template"


#: Elements that make a cell a block of the page rather than one value.
_BLOCKS = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "table",
        "blockquote",
        "pre",
        "form",
        "article",
        "section",
        "aside",
        "nav",
        "header",
        "footer",
        "figure",
    }
)
#: Paragraph-like elements: a cell may wrap its one value in one of them, not hold several.
_PARAGRAPHS = frozenset({"p", "div"})
_CONTROLS = frozenset({"input", "select", "textarea", "button"})
_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})
#: Landmarks that hold the site's chrome, by tag or ARIA role.
_CHROME_TAGS = frozenset({"nav", "footer", "aside"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
#: Elements whose text is not the cell's (a nested table has its own kind).
_SKIPPED = frozenset({"table", "script", "style", "noscript", "template"})
#: Elements that stand between words.
_SEPARATING = frozenset({"br", "p", "div", "li", "td", "th", "tr", "table"}) | _BLOCKS
_DAY = re.compile(r"^\d{1,2}$")
_DIGIT = re.compile(r"\d")


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _words(text: str) -> str:
    return " ".join(text.split())


def _own_text(el: etree._Element) -> str:
    """The text of an element without that of the tables, scripts and styles in it; a line break
    or a block inside separates words. Iterative: no recursion limit, whatever the page's depth."""
    parts = [el.text or ""] if isinstance(el.tag, str) else []
    stack: list[tuple[etree._Element, bool]] = [(child, True) for child in reversed(el)]
    while stack:
        node, entering = stack.pop()
        if not entering:
            parts.append(node.tail or "")
            continue
        stack.append((node, False))
        tag = _tag(node)
        if tag in _SEPARATING:
            parts.append(" ")
        if tag and tag not in _SKIPPED:
            parts.append(node.text or "")
            stack.extend((child, True) for child in reversed(node))
    return _words("".join(parts))


def _rows(table: etree._Element) -> list[list[etree._Element]]:
    """The table's own rows (not those of tables nested in it), each as its cells. Cells standing
    outside any row (``<thead><th>…``, which parsers leave as written) make a row of their own."""
    rows: list[list[etree._Element]] = []

    def read(container: etree._Element) -> None:
        loose: list[etree._Element] = []
        for child in container:
            tag = _tag(child)
            if tag in _CELLS:
                loose.append(child)
                continue
            if loose:
                rows.append(loose)
                loose = []
            if tag == "tr":
                rows.append([c for c in child if _tag(c) in _CELLS])
            elif tag in _SECTIONS and container is table:
                read(child)
        if loose:
            rows.append(loose)

    read(table)
    return rows


def _is_block_cell(cell: etree._Element) -> bool:
    paragraphs = 0
    for el in cell.iterdescendants():
        tag = _tag(el)
        if tag in _BLOCKS:
            return True
        if tag in _PARAGRAPHS and _words(el.text or ""):
            paragraphs += 1
            if paragraphs > 1:
                return True
    return False


def _in_chrome(table: etree._Element) -> bool:
    """Inside the site's navigation, footer, sidebar or masthead (a ``<header>`` inside an
    ``<article>`` or ``<main>`` is the article's own)."""
    ancestors = list(table.iterancestors())
    tags = [_tag(a) for a in ancestors]
    for i, anc in enumerate(ancestors):
        role = (anc.get("role") or "").lower()
        if tags[i] in _CHROME_TAGS or role in _CHROME_ROLES:
            return True
        if tags[i] == "header" and not {"article", "main"} & set(tags[i + 1 :]):
            return True
    return False


def _is_link_cell(cell: etree._Element, text: str) -> bool:
    linked = sum(len(_words(a.text_content())) for a in cell.iter("a"))
    return linked * 2 >= len(text)


def _is_calendar(cells: list[str]) -> bool:
    """A month laid out in weeks: among its cells, day numbers that read 1, 2, 3 … 28 in order
    (the days of the months before and after may stand around them)."""
    days = [int(c) for c in cells if _DAY.match(c)]
    month = list(range(1, 29))
    return any(day == 1 and days[start : start + 28] == month for start, day in enumerate(days))


def classify(table: etree._Element) -> TableKind:
    """Which kind of table this is, by its cells and where it stands (see the module's docstring)."""
    if (table.get("role") or "").lower() in {"presentation", "none"}:
        return TableKind.LAYOUT
    rows = _rows(table)
    if any(_is_block_cell(c) for row in rows for c in row):
        return TableKind.LAYOUT
    if _in_chrome(table) or any(_tag(el) in _CONTROLS for el in table.iter()):
        return TableKind.TEMPLATE
    texts = [[_own_text(c) for c in row] for row in rows]
    if _is_calendar([t for row in texts for t in row]):
        return TableKind.TEMPLATE
    filled = [
        (c, t)
        for row, row_texts in zip(rows, texts, strict=True)
        for c, t in zip(row, row_texts, strict=True)
        if t
    ]
    widths = [sum(1 for t in row if t) for row in texts]
    if max(widths, default=0) < 2:
        return TableKind.LAYOUT
    # A row of column headings says what the columns hold (a heading per row, as in a list of
    # properties, does not).
    column_headings = any(_tag(child) == "thead" for child in table) or any(
        sum(1 for c in row if _tag(c) == "th") >= 2 for row in rows
    )
    links = sum(1 for c, t in filled if _is_link_cell(c, t))
    if links * 2 >= len(filled) and not column_headings:
        return TableKind.TEMPLATE
    headers = column_headings or any(_tag(c) == "th" for c, _ in filled)
    repeated = sum(1 for w in widths if w >= 2) >= 2
    numbers = any(_DIGIT.search(t) for _, t in filled)
    if headers or repeated or numbers:
        return TableKind.DATA
    return TableKind.LAYOUT


def _unwrap(table: etree._Element) -> None:
    """Make a layout table's parts ordinary blocks: a cell of text becomes a paragraph, a cell of
    blocks a division, the table, its sections and rows divisions. (trafilatura, reading with
    tables off, would delete every table with its content and leave the article to its fallback
    extractors.) Tables nested in it are left to their own kind."""
    rows = _rows(table)
    for cell in (c for row in rows for c in row):
        cell.tag = "div" if _is_block_cell(cell) else "p"
        for attr in ("colspan", "rowspan"):
            cell.attrib.pop(attr, None)
    for part in [table, *table]:
        tag = _tag(part)
        if tag in _SECTIONS:
            for row in part:
                if _tag(row) == "tr":
                    row.tag = "div"
            part.tag = "div"
        elif tag in {"table", "tr"}:
            part.tag = "div"
        elif tag == "caption":
            part.tag = "p"
    table.attrib.pop("role", None)


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def prepare(tree: etree._Element) -> dict[TableKind, int]:
    """Classify every table of a parsed page and act on it, in place: a layout table is unwrapped
    into blocks, a template table removed, a data table written as paragraphs of rows, one a row
    (so that it is the article's text wherever trafilatura keeps the blocks around it). Returns how
    many of each kind."""
    tables = list(tree.iter("table"))
    kinds = {t: classify(t) for t in tables}
    counts = dict.fromkeys(TableKind, 0)
    for table in tables:
        if any(kinds.get(a) is TableKind.TEMPLATE for a in table.iterancestors("table")):
            continue  # removed with the table around it
        kind = kinds[table]
        counts[kind] += 1
        if kind is TableKind.TEMPLATE:
            _drop(table)
        elif kind is TableKind.LAYOUT:
            _unwrap(table)
    # Data tables last: a data table inside a layout table is written where the layout put it.
    for table in tables:
        if kinds[table] is TableKind.DATA and not any(
            kinds.get(a) is TableKind.TEMPLATE for a in table.iterancestors("table")
        ):
            _write_rows(table)
    return counts


def _row_line(row: list[etree._Element]) -> str:
    texts = [_own_text(c) for c in row]
    while texts and not texts[-1]:
        texts.pop()
    while texts and not texts[0]:
        texts.pop(0)
    return CELL_SEPARATOR.join(texts)


def _write_rows(table: etree._Element) -> None:
    """Put a data table's caption and rows in its place as paragraphs, one a row, its cells
    separated by ``CELL_SEPARATOR`` (empty cells at either end of a row left out)."""
    captions = [_own_text(c) for c in table if _tag(c) == "caption"]
    lines = [c for c in captions if c] + [line for line in map(_row_line, _rows(table)) if line]
    parent = table.getparent()
    if parent is None:
        return
    index = parent.index(table)
    rows = []
    for line in lines:
        p = table.makeelement("p", {})
        p.text = line
        rows.append(p)
    if not rows:
        _drop(table)
        return
    rows[-1].tail = table.tail
    parent.remove(table)
    for offset, p in enumerate(rows):
        parent.insert(index + offset, p)
