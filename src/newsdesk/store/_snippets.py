"""Search snippets whose cost does not grow with an article's size.

FTS5's ``snippet()`` over a whole column scores each match's window against every other match, so
its cost grows with the square of the matches in one article: a 4 MB article in which the word
searched for is every tenth word took 25 s, and a 46 MB one never finished (bench/RESULTS.md,
"Search and article size"). Here the start of each hit's text (``SCAN_BYTES``, read by the store
through SQLite's incremental blob I/O, so a huge value is never loaded whole) is cut into
overlapping chunks of at most ``CHUNK_CHARS``; the chunks go into a private in-memory FTS5 table
with the index's tokenizer (so words, prefixes, phrases and diacritics match as in the index); the
first chunk that matches the query is chosen, and ``snippet()`` runs over that chunk and a few
hundred characters after it. Invariant: a hit costs at most ``SCAN_BYTES`` of reading and
tokenizing (linear) and one ``snippet()`` over at most ``CHUNK_CHARS + _TAIL_CHARS`` characters,
however large the article.

An article of one chunk gets exactly the snippet FTS5 gave before (a test compares them); on the
sample corpus 1 snippet in 1,745 differs. In a longer article the snippet is FTS5's best window of
the first matching chunk, with "…" where that chunk is cut from the rest of the text. A query whose
words no single chunk holds (``a AND b`` far apart) gets the first chunk with any of its words.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence

from ..model import HIGHLIGHT_END, HIGHLIGHT_START

#: Most characters of one chunk: ``snippet()`` over the densest chunk of matches ("the the the...")
#: costs about 1 ms at 2,000 characters (5 ms at 4,000, 330 ms at 32,000: it is quadratic).
CHUNK_CHARS = 2000
#: Characters a chunk shares with the next one, so that a phrase across a cut is found whole.
OVERLAP_CHARS = 200
#: How much of an article's text is looked at for its snippet, in bytes of UTF-8 (about 80,000
#: English words or 170,000 Chinese characters, beyond the longest real news articles); a match past
#: it leaves the snippet at the start of the text.
SCAN_BYTES = 500_000
#: Characters after the chosen chunk that its snippet may also show (a snippet of 24 words is
#: about 150 characters of English).
_TAIL_CHARS = 400
#: Tokens in a snippet, as before.
SNIPPET_TOKENS = 24

_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_TERM = re.compile(r"(\w+)(\*)?(\s*:)?")
_LEADING_WORDS = re.compile(rf"\s*(?:\S+\s+){{0,{SNIPPET_TOKENS - 1}}}\S+")


def chunk_bounds(text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> list[tuple[int, int]]:
    """(start, end) of the chunks of ``text``: at most ``size`` characters each, cut at a space in
    the second half of the chunk when there is one, each starting ``overlap`` characters (snapped
    to the next word) before the previous one ends."""
    if overlap * 2 >= size:
        raise ValueError("the overlap must be less than half the chunk size")
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while True:
        end = min(start + size, n)
        if end < n:
            cut = max(text.rfind(" ", start + size // 2, end), text.rfind("\n", start + size // 2, end))
            if cut > start:
                end = cut
        out.append((start, end))
        if end >= n:
            return out
        back = end - overlap
        space = max(text.find(" ", back, end), text.find("\n", back, end))
        start = space + 1 if space != -1 else back


def any_term_query(query: str) -> str:
    """The words of an FTS5 query joined by OR (prefixes kept, operators and column names left
    out): what finds a chunk when no single chunk holds every word of the query."""
    terms = []
    for m in _TERM.finditer(query):
        word, star, column = m.groups()
        if column or word in _OPERATORS:
            continue
        terms.append('"' + word + '"' + (star or ""))
    return " OR ".join(dict.fromkeys(terms))


def leading_words(text: str) -> str:
    """The first ``SNIPPET_TOKENS`` words, as FTS5 shows a column without a match."""
    m = _LEADING_WORDS.match(text)
    if m is None:
        return text.strip()
    head = m.group(0).strip()
    return head + "…" if m.end() < len(text.rstrip()) else head


class Snippets:
    """The in-memory FTS5 table snippets are made in (one per store connection: never shared
    between threads at once). ``tokenize`` is the store index's tokenizer."""

    def __init__(self, tokenize: str) -> None:
        self._db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE chunks USING fts5 (title, text, tokenize = '{tokenize}')")

    @property
    def connection(self) -> sqlite3.Connection:
        return self._db

    def close(self) -> None:
        self._db.close()

    def make(self, query: str, texts: Mapping[int, tuple[str, str, bool]]) -> dict[int, str]:
        """A snippet (matches between HIGHLIGHT_START and HIGHLIGHT_END) for each id of ``texts``:
        id -> (title, the start of the text, whether that is the whole text)."""
        rows: list[tuple[int, str, str]] = []
        where: dict[int, tuple[int, int, int]] = {}  # rowid -> (article id, start, end)
        for article_id, (title, text, _length) in texts.items():
            for start, end in chunk_bounds(text):
                rows.append((len(rows) + 1, title if start == 0 else "", text[start:end]))
                where[len(rows)] = (article_id, start, end)
        db = self._db
        db.execute("BEGIN")
        try:
            db.executemany("INSERT INTO chunks (rowid, title, text) VALUES (?, ?, ?)", rows)
            chosen = {query: self._first(query, where, set(texts))}
            missing = set(texts) - set(chosen[query])
            fallback = any_term_query(query) if missing else ""
            if fallback:
                chosen[fallback] = self._first(fallback, where, missing)
            found: dict[int, str] = {}
            for q, firsts in chosen.items():
                # The snippet's own row: the chunk and a little more, so that a window near the
                # chunk's end is not cut short (the chunk itself when it ends the text).
                own: dict[int, tuple[int, int, int]] = {}
                added: list[tuple[int, str, str]] = []
                for article_id, rowid in firsts.items():
                    _id, start, end = where[rowid]
                    title, text, _whole = texts[article_id]
                    if end < len(text):
                        end = min(len(text), end + _TAIL_CHARS)
                        rowid = len(rows) + len(added) + 1
                        added.append((rowid, title if start == 0 else "", text[start:end]))
                    own[rowid] = (article_id, start, end)
                if not own:
                    continue
                db.executemany("INSERT INTO chunks (rowid, title, text) VALUES (?, ?, ?)", added)
                rows += added
                marks = ",".join("?" * len(own))
                for rowid, snippet in db.execute(
                    f"SELECT rowid, snippet(chunks, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', "
                    f"{SNIPPET_TOKENS}) FROM chunks WHERE chunks MATCH ? AND rowid IN ({marks})",
                    [q, *own],
                ):
                    article_id, start, end = own[rowid]
                    _title, text, whole = texts[article_id]
                    found[article_id] = _ellipsis(snippet or "", start > 0, end < len(text) or not whole)
        finally:
            db.execute("ROLLBACK")
        for article_id, (_title, text, _length) in texts.items():
            if article_id not in found:
                found[article_id] = leading_words(text[:CHUNK_CHARS])
        return found

    def _first(
        self, query: str, where: Mapping[int, tuple[int, int, int]], wanted: set[int]
    ) -> dict[int, int]:
        """The rowid of the first chunk of each wanted article that matches ``query``.

        The first, not the best ranked: FTS5's snippet scores a window by the distinct phrases in
        it, then by how many more matches, and keeps the earliest of equal windows; with every
        word of the query in each matching chunk the earliest chunk is closest to that."""
        try:
            found = self._db.execute("SELECT rowid FROM chunks WHERE chunks MATCH ?", (query,))
            rowids = [r for (r,) in found]
        except sqlite3.OperationalError as e:
            if interrupted(e):
                raise
            return {}  # a query this table cannot take (the index took it: not expected)
        first: dict[int, int] = {}
        for rowid in sorted(rowids):
            article_id = where[rowid][0]
            if article_id in wanted and article_id not in first:
                first[article_id] = rowid
        return first


#: Characters a substring search's snippet shows (24 words of English are about 150; 100 characters
#: of Chinese or Japanese say as much).
MARKED_CHARS = 100
#: Characters before the first match that such a snippet may start with.
_MARKED_BEFORE = 30
#: Where such a snippet prefers to start: after a space or the end of a sentence.
_BOUNDARIES = " \n。！？.!?、，,"


def marked_snippet(text: str, marks: Sequence[str], whole: bool) -> str:
    """The snippet of a substring search (Chinese, Japanese, ...; see SQLiteStore._match): about
    ``MARKED_CHARS`` of ``text`` from shortly before the first of ``marks`` in it (any case), each
    of them there between the highlight markers; the start of the text when none is in it (a
    match in the title). ``whole``: whether ``text`` is the whole text. Cost: one regular
    expression search over ``text``, which the caller bounds (SCAN_BYTES)."""
    strings = sorted({m for m in marks if m}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, strings)), re.IGNORECASE) if strings else None
    first = pattern.search(text) if pattern is not None else None
    start = 0
    if first is not None and first.start() > _MARKED_BEFORE:
        start = first.start() - _MARKED_BEFORE
        cut = max(text.rfind(c, start, first.start()) for c in _BOUNDARIES)
        start = cut + 1 if cut >= start else start
    end = min(len(text), start + MARKED_CHARS)
    pieces: list[str] = []
    pos = start
    if pattern is not None:
        for m in pattern.finditer(text, start, min(len(text), end + len(strings[0]))):
            if m.start() >= end:
                break
            pieces += [text[pos : m.start()], HIGHLIGHT_START, m.group(), HIGHLIGHT_END]
            pos = m.end()
    end = max(end, pos)
    pieces.append(text[pos:end])
    return _ellipsis("".join(pieces).strip(), start > 0, end < len(text) or not whole)


def interrupted(error: sqlite3.Error) -> bool:
    """Whether a statement failed because a progress handler (a query budget) stopped it."""
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT


def _ellipsis(snippet: str, cut_before: bool, cut_after: bool) -> str:
    if cut_before and not snippet.startswith("…"):
        snippet = "…" + snippet
    if cut_after and not snippet.endswith("…"):
        snippet += "…"
    return snippet
