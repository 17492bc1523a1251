"""The shape of an article's text as quote finding reads it (``quotes.py``): paragraphs, sentences,
clauses, words, and the quotations their marks enclose, each as offsets into the text. Apart from the
rules so that they can be read (and tried, as bench/understand/quotes.py does) on their own: they
know nothing of cues or speakers, only of marks and stops.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._cues import _ABBREVIATIONS, _OPENERS, _WORD


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, spaces around it left out: a paragraph is a line
    (newsdesk stores paragraphs between blank lines)."""
    return [(m.start(1), m.end(1)) for m in re.finditer(r"^[^\S\n]*(\S[^\n]*?)[^\S\n]*$", text, re.M)]


_END = re.compile(r"[.!?]+[”\"’)»]*(?=\s+[“\"‘(«A-Z0-9])")


def _sentences(
    text: str, start: int, end: int, quotations: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph; a quotation's sentences are one sentence
    with the words around them (“A. B,” she said)."""
    out = []
    begin = start
    inside = [(qs, qe) for qs, qe in quotations if qs < end and qe > start]
    for m in _END.finditer(text, start, end):
        if any(qs < m.start() and m.end() < qe for qs, qe in inside):
            continue
        word = re.search(r"([\w.]+)\.+$", text[begin : m.start() + 1])
        if m.group().startswith(".") and word:
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                continue
        out.append((begin, m.end()))
        begin = m.end()
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        out.append((begin, end))
    return out


#: What a mistyped closing mark may follow: “…,“ said Smith (an opening mark after a word or its
#: punctuation, before no word, closes the quotation it stands in).
_CLOSES_AFTER = frozenset(",.!?…")


def _quotations(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included. A straight double quote opens and closes in
    turn within a paragraph; a quotation open at the end of its paragraph goes on when the next
    paragraph opens with a mark, else it ends with its paragraph."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    closers = ""
    for pi, (pstart, pend) in enumerate(paragraphs):
        i = pstart
        if open_at is not None:
            # the quotation of the paragraph before goes on here: skip the opening mark
            i += 1
        while i < pend:
            ch = text[i]
            if open_at is None:
                if ch in _OPENERS and not (ch == "»" and text[i - 1 : i].isalnum()):
                    open_at, closers = i, _OPENERS[ch]
            elif ch in closers or (
                ch == "“"
                and closers == '”"'
                and (text[i - 1] in _CLOSES_AFTER or text[i - 1].isalnum())
                and (i + 1 == pend or not text[i + 1].isalnum())
            ):
                out.append((open_at, i + 1))
                open_at = None
            i += 1
        if open_at is not None:
            nxt = paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None
            if nxt is None or text[nxt[0]] not in _OPENERS:
                out.append((open_at, pend))
                open_at = None
    return [(s, e) for s, e in out if len(re.findall(r"\w+", text[s:e])) >= 1]


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


_CLAUSE_END = re.compile(r"[.;!?:“\"]|,\s+(?![A-Z]\w*,)")
_SENTENCE_END = re.compile(r"[.;!?:“\"]")


def _clause_end(text: str, pos: int, limit: int, *, commas: bool = True) -> int:
    """Where the clause that starts at ``pos`` ends: a stop that is not an abbreviation's, a
    semicolon, a colon, a quotation mark, or (with ``commas``) a comma before a new clause."""
    for m in (_CLAUSE_END if commas else _SENTENCE_END).finditer(text, pos, limit):
        if m.group() == ".":
            word = re.search(r"([\w.]+)$", text[pos : m.start()])
            w = word.group(1).lower() if word else ""
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                continue
        return m.start()
    return limit


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in sentences:
        if s <= pos < e:
            return s, e
    return pos, pos
