"""Full-text search: the word index (FTS5), the substring index for scripts written without
spaces, snippets, and the budget that stops a search in time.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ...exceptions import (
    SearchCancelledError,
    SearchQueryError,
    SearchStoppedError,
    SearchTimeoutError,
    StorageError,
)
from ...model import QueryBudget, SearchFilters, SearchHit, StoredArticle
from .. import _texts
from .._snippets import SCAN_BYTES, Snippets, interrupted, marked_snippet
from ._connection import StorageBase
from ._sql import _ARTICLE_COLUMNS, _dt, _row_to_stored, _where

#: Virtual-machine steps between two looks at a search's budget (about 0.1 ms of work; the look
#: itself costs under a microsecond).
_PROGRESS_STEPS = 1000

#: The word index's tokenizer (migration 0001 made articles_fts with it).
_TOKENIZE = "unicode61 remove_diacritics 2"


def _quote_terms(query: str) -> str:
    """Turn free text into an FTS5 query of quoted terms, for input FTS5 syntax rejects."""
    terms = re.findall(r"\w+", query)
    return " ".join('"' + t + '"' for t in terms)


#: Characters of the scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana,
#: Hangul, CJK ideographs): a query with any of them is searched by substrings in articles_cjk,
#: where migration 0008 indexes every article with one of them (the same blocks; a test checks).
_SUBSTRING_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
#: Most trigrams a one- or two-character string of a substring search stands for (those in the
#: most articles first): bounds the query, at the price of the rarest continuations of one
#: character.
_MAX_EXPANSIONS = 1000
#: A "quoted string" or a run of non-spaces of a query.
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclasses.dataclass(frozen=True, slots=True)
class _Match:
    """How a search asks the index: the FTS5 table and query; for a substring search the strings
    its snippets mark (None: snippets by FTS5, as the word index tokenizes) and the query without
    its operators (tried when FTS5 cannot parse the query)."""

    table: str
    query: str
    marks: tuple[str, ...] | None
    bare: str | None = None


class SearchMixin(StorageBase):
    def _snippets(self) -> Snippets:
        """The in-memory table snippets are made in (created on the first search)."""
        if self._scratch is None:
            self._scratch = Snippets(_TOKENIZE)
        return self._scratch

    @contextmanager
    def _budgeted(self, budget: QueryBudget | None, query: str) -> Iterator[None]:
        """Run a search within ``budget``: SQLite calls a handler every ``_PROGRESS_STEPS``
        virtual-machine steps on both connections a search uses, and the handler stops the
        statement once the time is up or the caller has cancelled. Every step of a search is
        either such a statement or bounded work (a snippet's chunk), so it stops within
        milliseconds."""
        if budget is None or (budget.seconds is None and budget.cancelled is None):
            yield
            return
        started = time.monotonic()
        deadline = None if budget.seconds is None else started + budget.seconds
        cancelled = budget.cancelled
        why: list[type[SearchStoppedError]] = []

        def handler() -> int:
            if not why:
                if cancelled is not None and cancelled():
                    why.append(SearchCancelledError)
                elif deadline is not None and time.monotonic() > deadline:
                    why.append(SearchTimeoutError)
            return 1 if why else 0

        connections = [self._db, self._snippets().connection]
        for db in connections:
            db.set_progress_handler(handler, _PROGRESS_STEPS)
        try:
            yield
        except (sqlite3.Error, StorageError) as e:
            if not why:
                raise
            ran = time.monotonic() - started
            if why[0] is SearchCancelledError:
                raise SearchCancelledError(
                    f"the search for {query!r} was cancelled after {ran:.1f} s", seconds=ran
                ) from e
            raise SearchTimeoutError(
                f"the search for {query!r} took more than {budget.seconds:g} s (the search_timeout "
                "setting) and was stopped; search for rarer words, or narrow it with a filter",
                seconds=ran,
            ) from e
        finally:
            for db in connections:
                db.set_progress_handler(None, 0)

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        originals: bool = False,
        window: int | None = None,
        budget: QueryBudget | None = None,
    ) -> list[SearchHit]:
        with self._budgeted(budget, query):
            return self._search(query, filters, limit, offset, originals, window)

    def _search(
        self,
        query: str,
        filters: SearchFilters | None,
        limit: int,
        offset: int,
        originals: bool,
        window: int | None,
    ) -> list[SearchHit]:
        if not query.strip():
            raise SearchQueryError("empty search query")
        where, params = _where(filters)
        if originals:
            where += " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.copy_id = a.id)"
        with self._errors("search"):
            match = self._match(query)
        try:
            ranked = self._rank(match, where, params, limit, offset, window)
        except sqlite3.OperationalError as e:
            if interrupted(e):
                raise
            # Not FTS5 syntax (an unbalanced quote, a stray operator): search the words themselves.
            match = self._fallback(match, query)
            with self._errors("search"):
                ranked = self._rank(match, where, params, limit, offset, window)
        except sqlite3.Error as e:
            raise StorageError(f"search failed in {self.path}: {e}") from e
        if not ranked:
            return []
        # Phase 2: rows and snippets for the page only, each snippet from a bounded part of its
        # article (see _snippets: FTS5's snippet() over a whole column grows with the square of
        # the matches in it).
        ids = [i for i, _ in ranked]
        marks = ",".join("?" * len(ids))
        with self._errors("reading search results"):
            rows = {
                int(r["id"]): r
                for r in self._db.execute(
                    "SELECT id, url, title, source, site_name, published, section, category, language "
                    f"FROM articles WHERE id IN ({marks})",
                    ids,
                )
            }
            texts = {i: (r["title"], *self._text_head(i)) for i, r in rows.items()}
        if match.marks is None:
            with self._errors("making snippets"):
                snippets = self._snippets().make(match.query, texts)
        else:
            snippets = {i: marked_snippet(head, match.marks, whole) for i, (_t, head, whole) in texts.items()}
        return [
            SearchHit(
                id=i,
                url=r["url"],
                title=r["title"],
                source=r["source"] or r["site_name"],
                published=_dt(r["published"]),
                section=r["category"] or r["section"],
                language=r["language"],
                snippet=snippets[i],
                rank=rank,
            )
            for i, rank in ranked
            if (r := rows.get(i)) is not None
        ]

    def _text_head(self, article_id: int) -> tuple[str, bool]:
        """The first SCAN_BYTES of an article's text, and whether that is all of it: read through
        incremental blob I/O, because substr() would load a huge value whole first, and inflated
        no further than that (``_texts.head``)."""
        row = self._db.execute("SELECT text_size FROM articles WHERE id = ?", (article_id,)).fetchone()
        size = None if row is None else row[0]
        with self._db.blobopen("articles", "text", article_id, readonly=True) as blob:
            stored = len(blob)
            data = _texts.head(blob.read, stored, size, SCAN_BYTES)
            whole = (size if size else stored) <= SCAN_BYTES
        return data.decode("utf-8", errors="ignore"), whole

    def _match(self, query: str) -> _Match:
        """How the index is asked for ``query``: by words (articles_fts), or, when the query has a
        character of a script written without spaces, by substrings (articles_cjk): each string
        of three or more characters as itself, a shorter one as any of the (at most
        ``_MAX_EXPANSIONS`` most common) trigrams that start with it. AND, OR, NOT and "quoted
        strings" work in both."""
        if not _SUBSTRING_SCRIPTS.search(query):
            return _Match("articles_fts", query, None)
        parts: list[str] = []
        bare: list[str] = []
        marks: list[str] = []
        negated = False
        for m in _QUERY_PART.finditer(query):
            phrase, word = m.groups()
            if phrase is None and word in ("AND", "OR", "NOT"):
                parts.append(word)
                negated = word == "NOT"
                continue
            text = phrase if phrase is not None else word.strip('*^()"')
            if not text:
                continue
            if len(text) >= 3:
                term = _fts_string(text)
            else:
                found = self._db.execute(
                    "SELECT term FROM articles_cjk_terms WHERE term >= ? AND term < ? "
                    "ORDER BY doc DESC, term LIMIT ?",
                    (text.lower(), text.lower() + "\U0010ffff", _MAX_EXPANSIONS),
                ).fetchall()
                term = "(" + " OR ".join(_fts_string(t) for (t,) in found) + ")" if found else '""'
            if parts and parts[-1] not in ("AND", "OR", "NOT"):
                parts.append("AND")  # FTS5 takes no implicit AND before a parenthesis
            parts.append(term)
            bare.append(term)
            if not negated:
                marks.append(text)
            negated = False
        if not bare:
            raise SearchQueryError(f"cannot search for {query!r}: nothing to look for")
        return _Match("articles_cjk", " ".join(parts), tuple(marks), " AND ".join(bare))

    @staticmethod
    def _fallback(match: _Match, query: str) -> _Match:
        """The query to try when FTS5 cannot parse ``match.query``: its words, all required."""
        if match.marks is not None and match.bare is not None:
            return dataclasses.replace(match, query=match.bare)
        quoted = _quote_terms(query)
        if not quoted:
            raise SearchQueryError(f"cannot search for {query!r}: no words to look for") from None
        return dataclasses.replace(match, query=quoted)

    def _rank(
        self, match: _Match, where: str, params: list[Any], limit: int, offset: int, window: int | None
    ) -> list[tuple[int, float]]:
        """Phase 1 of a search: (id, bm25 rank) of one page of matches, best first.

        Without filters the full-text index alone answers (no read of article rows), and
        ``window`` ranks only the ``window`` latest arrivals among the matches (found in the
        index's rowid order, which costs little), so a word in every article does not mean scoring
        every article. With filters every match is ranked: a window would drop the older matches
        a filter (a date range, a small source) asks for."""
        fts = match.table
        filtered = where != "1"
        base = (
            f"FROM {fts} JOIN articles a ON a.id = {fts}.rowid WHERE {fts} MATCH ? AND {where}"
            if filtered
            else f"FROM {fts} WHERE {fts} MATCH ?"
        )
        args: list[Any] = [match.query, *params] if filtered else [match.query]
        if window is not None and not filtered:
            edge = self._db.execute(
                f"SELECT {fts}.rowid {base} ORDER BY {fts}.rowid DESC LIMIT 1 OFFSET ?",
                [*args, max(window, 1) - 1],
            ).fetchone()
            if edge is not None:
                base += f" AND {fts}.rowid >= ?"
                args.append(edge[0])
        rows = self._db.execute(
            f"SELECT {fts}.rowid, bm25({fts}, 5.0, 1.0) AS rank {base} ORDER BY rank LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def search_latest(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 50,
        budget: QueryBudget | None = None,
    ) -> list[StoredArticle]:
        with self._budgeted(budget, query):
            return self._search_latest(query, filters, limit)

    def _search_latest(self, query: str, filters: SearchFilters | None, limit: int) -> list[StoredArticle]:
        if not query.strip():
            raise SearchQueryError("empty search query")
        where, params = _where(filters)
        with self._errors("search"):
            match = self._match(query)
        # The latest arrivals (FTS5 walks its doclists backwards by rowid and stops after
        # ``limit``: no sort of every match, however common the words), then the chosen rows.
        fts = match.table
        sql = (
            f"SELECT a.id FROM {fts} JOIN articles a ON a.id = {fts}.rowid "
            f"WHERE {fts} MATCH ? AND {where} ORDER BY {fts}.rowid DESC LIMIT ?"
        )
        try:
            ids = [r[0] for r in self._db.execute(sql, [match.query, *params, limit]).fetchall()]
        except sqlite3.OperationalError as e:
            if interrupted(e):
                raise
            match = self._fallback(match, query)
            with self._errors("search"):
                ids = [r[0] for r in self._db.execute(sql, [match.query, *params, limit]).fetchall()]
        except sqlite3.Error as e:
            raise StorageError(f"search failed in {self.path}: {e}") from e
        if not ids:
            return []
        with self._errors("reading found articles"):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        found = [_row_to_stored(r) for r in rows]
        found.sort(key=lambda s: (s.article.published or s.first_seen, s.id), reverse=True)
        return found
