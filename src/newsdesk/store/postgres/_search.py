"""Full-text search with PostgreSQL's own: the word index (a ``tsvector`` column with a GIN index,
``websearch_to_tsquery``, ``ts_rank_cd``, ``ts_headline``), the substring index for scripts written
without spaces (``pg_trgm``), and the budget that stops a search in time.

The query language is the SQLite store's as far as it goes: words (all required), "quoted
phrases", ``OR``, ``AND``, ``NOT``, ``title:word``, ``prefix*``; what the parser cannot read is
searched as plain words, and a query with nothing to look for is a ``SearchQueryError``.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import psycopg

from ...exceptions import SearchCancelledError, SearchQueryError, SearchTimeoutError
from ...model import HIGHLIGHT_END, HIGHLIGHT_START, QueryBudget, SearchFilters, SearchHit, StoredArticle
from .._rows import like_pattern
from .._snippets import _ellipsis, leading_words, marked_snippet
from ._connection import Conn, StorageBase
from ._fold import LETTERS_FROM_SQL, LETTERS_TO_SQL, PUNCTUATION, fold, unfold
from ._sql import _ARTICLE_COLUMNS, _from_db, _row_to_stored, _utc, _where

#: Characters of the scripts written without spaces between words: the same blocks as SQLite's
#: ``_SUBSTRING_SCRIPTS`` and migration postgres/0001's partial trigram index (a test checks).
_SUBSTRING_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
#: The same class as a PostgreSQL regular expression (its escapes, as the migration spells it),
#: inlined in queries (never a parameter), so that the planner sees the partial index's own
#: condition and uses it.
_SUBSTRING_CLASS = (
    r"[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\U00020000-\U0003134F]"
)
_IN_SUBSTRING_INDEX = (
    f"(left(a.title, 1000) ~ '{_SUBSTRING_CLASS}' OR left(a.text, 1000) ~ '{_SUBSTRING_CLASS}')"
)
_HAYSTACK = "(a.title || ' ' || a.text)"

#: ASCII punctuation, a space to the word index (migration 0001 translates it so before indexing).
_PUNCTUATION = str.maketrans(dict.fromkeys(PUNCTUATION, " "))
#: What FTS5 reads as one bareword: ASCII letters, digits and "_", and any character beyond ASCII.
_BAREWORD = re.compile(r"[A-Za-z0-9_\u0080-\U0010ffff]+")
#: A "quoted string" or a run of non-spaces of a query.
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
_OPERATORS = ("AND", "OR", "NOT")

#: How the word index weighs a match: {D, C, B, A}; the title is A, the text B (5 to 1, as the
#: SQLite store's bm25 weighs them).
_WEIGHTS = "{0.1, 0.2, 0.2, 1.0}"
#: Characters of an article's text its snippet is looked for in (``ts_headline`` reads them all).
_HEADLINE_CHARS = 50_000
#: Characters a substring search's snippet is looked for in.
_MARKED_SCAN = 100_000
_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=24, MinWords=12, ShortWord=2"
)
#: Seconds between two looks at whether the caller has cancelled a search.
_CANCEL_POLL = 0.02


def _websearch(query: str) -> tuple[str, list[str]]:
    """The query in ``websearch_to_tsquery``'s syntax, meaning what it means to the SQLite store:
    AND is what words next to each other already mean, ``NOT word`` is ``-word``, ``OR`` alone
    is the operator (``or`` is a word); parentheses go. A
    word with ASCII punctuation in it (``club's``, ``47-year-old``, ``-word``, ``1,000``) is its
    runs of word characters, each required: what FTS5 searches after failing to parse it; a word
    FTS5 takes whole (letters, digits, anything beyond ASCII: ``people’s``) is its tokens in a row.

    Returns that, and the words asked of one column (``title:word``, ``text:word``) or by their
    start (``harb*``), each in ``to_tsquery``'s syntax (``'word':A``, ``'harb':*``), all required.
    Accents are folded as the word indexes fold them (migration 0004, ``_fold``): "José" is jose."""
    query = fold(query)
    out: list[str] = []
    weighted: list[str] = []
    negate = False
    for m in _QUERY_PART.finditer(query):
        phrase, word = m.groups()
        if phrase is not None:  # ASCII punctuation is a space, as the index reads the text
            out.append(("-" if negate else "") + '"' + phrase.translate(_PUNCTUATION) + '"')
            negate = False
            continue
        if word in ("AND", "NOT"):
            negate = word == "NOT"
            continue
        if word == "OR":
            out.append("OR")
            continue
        column = re.match(r"(title|text):(?=\w)", word)
        prefix = re.fullmatch(r"(?:(?:title|text):)?(\w+)\*", word)
        if column is not None or prefix is not None:
            marks = ("*" if prefix else "") + (
                "" if column is None else "A" if column.group(1) == "title" else "B"
            )
            rest = word[column.end() :] if column else word
            parts = re.findall(r"\w+", rest.translate(_PUNCTUATION))
            weighted += [("!" if negate else "") + f"'{part}':{marks}" for part in parts]
        elif _BAREWORD.fullmatch(word):  # a word FTS5 reads whole: its tokens in a row
            out.append(("-" if negate else "") + '"' + word + '"')
        else:
            out += [("-" if negate else "") + '"' + part + '"' for part in re.findall(r"\w+", word)]
        negate = False
    return " ".join(out), weighted


@dataclasses.dataclass(frozen=True, slots=True)
class _Match:
    """How a search asks the indexes: ``where`` (over articles a) and its parameters; for the word
    index the tsquery (an SQL expression and its parameters), for a substring search the strings
    its snippets mark."""

    where: str
    params: list[Any]
    tsquery: str | None = None
    tsquery_params: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()


class SearchMixin(StorageBase):
    @contextmanager
    def _budgeted(self, db: Conn, budget: QueryBudget | None, query: str) -> Iterator[None]:
        """Run a search on ``db`` within ``budget``: the server stops any statement that runs
        past the time left (``statement_timeout``), and a watcher asks ``budget.cancelled`` every
        few milliseconds and cancels the statement running once it says so."""
        if budget is None or (budget.seconds is None and budget.cancelled is None):
            yield
            return
        started = time.monotonic()
        cancelled = budget.cancelled
        stop = threading.Event()
        gone: list[bool] = []

        def watch() -> None:
            while not stop.wait(_CANCEL_POLL):
                if cancelled is not None and cancelled():
                    gone.append(True)
                    db.cancel_safe()
                    return

        watcher = threading.Thread(target=watch, name="newsdesk-search-watch", daemon=True)
        if budget.seconds is not None:
            db.execute(
                "SELECT set_config('statement_timeout', %s, false)",
                (f"{max(1, int(budget.seconds * 1000))}ms",),
            )
        watcher.start()
        try:
            yield
        except psycopg.errors.QueryCanceled as e:
            ran = time.monotonic() - started
            if gone:
                raise SearchCancelledError(
                    f"the search for {query!r} was cancelled after {ran:.1f} s", seconds=ran
                ) from e
            raise SearchTimeoutError(
                f"the search for {query!r} took more than {budget.seconds:g} s (the search_timeout "
                "setting) and was stopped; search for rarer words, or narrow it with a filter",
                seconds=ran,
            ) from e
        finally:
            stop.set()
            watcher.join()
            if budget.seconds is not None:
                # A connection whose transaction the stop aborted takes the RESET at its rollback.
                with suppress(psycopg.errors.InFailedSqlTransaction):
                    db.execute("RESET statement_timeout")

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
        if not query.strip():
            raise SearchQueryError("empty search query")
        where, params = _where(filters)
        if originals:
            where += " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.copy_id = a.id)"
        with self._reading("search") as db, self._budgeted(db, budget, query):
            match = self._match(db, query)
            ranked = self._rank(db, match, where, params, limit, offset, window)
            if not ranked:
                return []
            ids = [i for i, _ in ranked]
            if match.tsquery is not None:
                rows = db.execute(
                    "SELECT a.id, a.url, a.title, a.source, a.site_name, a.published, a.section, a.category, "
                    "a.language, left(a.text, 300) AS head, right(a.text, 300) AS tail, "
                    # the text is sent back only when folding changed it (``unfold`` needs its
                    # letters): most texts have no accented letter
                    "length(a.text) AS length, "
                    "CASE WHEN h.folded = h.body THEN NULL ELSE h.body END AS body, "
                    f"ts_headline('simple', h.folded, {match.tsquery}, %s) AS headline "
                    "FROM articles a CROSS JOIN LATERAL (SELECT b.body, "
                    f"translate(b.body, {LETTERS_FROM_SQL}, {LETTERS_TO_SQL}) AS folded "
                    "FROM (SELECT left(a.text, %s) AS body) b) h WHERE a.id = ANY(%s)",
                    (*match.tsquery_params, _HEADLINE_OPTIONS, _HEADLINE_CHARS, ids),
                ).fetchall()
            else:
                rows = db.execute(
                    "SELECT a.id, a.url, a.title, a.source, a.site_name, a.published, a.section, a.category, "
                    "a.language, left(a.text, %s) AS head, length(a.text) AS length "
                    "FROM articles a WHERE a.id = ANY(%s)",
                    (_MARKED_SCAN, ids),
                ).fetchall()
        by_id = {int(r["id"]): r for r in rows}
        out = []
        for i, rank in ranked:
            r = by_id.get(i)
            if r is None:
                continue
            snippet = (
                self._headline(r)
                if match.tsquery is not None
                else marked_snippet(_from_db(r["head"]), match.marks, r["length"] <= _MARKED_SCAN)
            )
            out.append(
                SearchHit(
                    id=i,
                    url=r["url"],
                    title=r["title"],
                    source=r["source"] or r["site_name"],
                    published=_utc(r["published"]),
                    section=r["category"] or r["section"],
                    language=r["language"],
                    snippet=snippet,
                    rank=rank,
                )
            )
        return out

    @staticmethod
    def _headline(r: dict[str, Any]) -> str:
        """``ts_headline``'s fragment, with "…" where it is cut from the rest of the text (as
        the SQLite store's snippets have); the first words when the text has no match."""
        # Cut from the text with its accents folded (as the query's words are), in its own letters.
        headline = r["headline"] or ""
        if r["body"] is not None:
            headline = unfold(headline, r["body"], (HIGHLIGHT_START, HIGHLIGHT_END))
        headline = _from_db(headline)
        plain = headline.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").strip()
        head, tail = _from_db(r["head"]).lstrip(), _from_db(r["tail"]).rstrip()
        if not plain:
            return leading_words(head)
        if HIGHLIGHT_START not in headline:
            return leading_words(_from_db(r["head"]) + ("" if r["length"] <= 300 else " …"))
        cut_before = not head.startswith(plain[:40])
        cut_after = not tail.endswith(plain[-40:])
        return _ellipsis(headline.strip(), cut_before, cut_after)

    def _match(self, db: Conn, query: str) -> _Match:
        """How the indexes are asked for ``query``: by words, or, when the query has a character of
        a script written without spaces, by substrings of the articles in the trigram index."""
        if _SUBSTRING_SCRIPTS.search(query):
            return self._substrings(query)
        words, weighted = _websearch(query)
        parts: list[str] = []
        params: list[str] = []
        if words.strip() or not weighted:
            parts.append("websearch_to_tsquery('simple', %s)")
            params.append(words)
        if weighted:
            parts.append("to_tsquery('simple', %s)")
            params.append(" & ".join(weighted))
        tsquery = "(" + " && ".join(parts) + ")"
        row = db.execute(f"SELECT numnode({tsquery}) AS n", params).fetchone()
        if row is None or not row["n"]:
            raise SearchQueryError(f"cannot search for {query!r}: no words to look for")
        return _Match(f"a.search @@ {tsquery}", params, tsquery=tsquery, tsquery_params=tuple(params))

    @staticmethod
    def _substrings(query: str) -> _Match:
        """Each string (a run of non-spaces or a "quoted string") found anywhere in the title or
        text, any case (``ILIKE``, which the trigram index answers for three characters or more),
        joined by AND (also between strings side by side), OR and NOT as written."""
        terms: list[str] = []
        params: list[Any] = []
        marks: list[str] = []
        pending: str | None = None
        for m in _QUERY_PART.finditer(query):
            phrase, word = m.groups()
            if phrase is None and word in _OPERATORS:
                pending = word
                continue
            text = phrase if phrase is not None else word.strip('*^()"')
            if not text:
                continue
            if terms:
                terms.append({"OR": "OR", "NOT": "AND NOT"}.get(pending or "", "AND"))
            elif pending == "NOT":
                terms.append("NOT")
            terms.append(f"{_HAYSTACK} ILIKE %s")
            params.append(like_pattern(text))
            if pending != "NOT":
                marks.append(text)
            pending = None
        if not params:
            raise SearchQueryError(f"cannot search for {query!r}: nothing to look for")
        return _Match(f"{_IN_SUBSTRING_INDEX} AND ({' '.join(terms)})", params, marks=tuple(marks))

    @staticmethod
    def _rank(
        db: Conn, match: _Match, where: str, params: list[Any], limit: int, offset: int, window: int | None
    ) -> list[tuple[int, float]]:
        """Phase 1 of a search: (id, rank) of one page of matches, best (lowest) first.

        The rank is ``-ts_rank_cd`` (the SQLite store's bm25 is lower for better too); a substring
        search ranks a match in the title first, then the latest. Without filters, ``window`` ranks
        only the ``window`` latest arrivals among the matches, as in the SQLite store."""
        base = f"FROM articles a WHERE {match.where} AND {where}"
        args: list[Any] = [*match.params, *params]
        if window is not None and where == "true":
            edge = db.execute(
                f"SELECT a.id {base} ORDER BY a.id DESC LIMIT 1 OFFSET %s", [*args, max(window, 1) - 1]
            ).fetchone()
            if edge is not None:
                base += " AND a.id >= %s"
                args.append(edge["id"])
        if match.tsquery is not None:
            score = f"-ts_rank_cd('{_WEIGHTS}', a.search, {match.tsquery}, 1)"
            score_args: list[Any] = list(match.tsquery_params)
        else:
            title = " OR ".join(["a.title ILIKE %s"] * len(match.marks)) or "false"
            score = f"CASE WHEN {title} THEN -5.0 ELSE -1.0 END"
            score_args = [like_pattern(m) for m in match.marks]
        rows = db.execute(
            f"SELECT a.id, {score} AS rank {base} ORDER BY rank, a.id DESC LIMIT %s OFFSET %s",
            [*score_args, *args, limit, offset],
        ).fetchall()
        return [(int(r["id"]), float(r["rank"])) for r in rows]

    def search_latest(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 50,
        budget: QueryBudget | None = None,
    ) -> list[StoredArticle]:
        if not query.strip():
            raise SearchQueryError("empty search query")
        where, params = _where(filters)
        with self._reading("search") as db, self._budgeted(db, budget, query):
            match = self._match(db, query)
            ids = [
                int(r["id"])
                for r in db.execute(
                    f"SELECT a.id FROM articles a WHERE {match.where} AND {where} "
                    "ORDER BY a.id DESC LIMIT %s",
                    [*match.params, *params, limit],
                ).fetchall()
            ]
            if not ids:
                return []
            rows = db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ANY(%s)", (ids,)
            ).fetchall()
        found = [_row_to_stored(r) for r in rows]
        found.sort(key=lambda s: (s.article.published or s.first_seen, s.id), reverse=True)
        return found
