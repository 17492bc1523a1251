"""Accents folded as the SQLite store's word index folds them (FTS5's ``unicode61`` tokenizer with
``remove_diacritics 2``), for PostgreSQL's word indexes and the queries that ask them, with no
extension (``unaccent`` needs CREATE on the database): the built-in, IMMUTABLE ``translate()``.

unicode61 folds a letter whose canonical decomposition is a base letter and combining marks to the
base ("é" is e, "Ž" is z, "ờ" is o), and drops combining marks written on their own ("e" and
U+0301 is e). A letter without such a decomposition is its own letter, on either backend: "ø", "ł",
"đ", "ħ", "ß", "æ", "œ", "þ" and "ı" stay as they are ("Ærø" is the word ærø, found by "ærø", not
by "aero"). The mapping here is computed from ``unicodedata`` for the Latin blocks (Latin-1
Supplement, Latin Extended-A and -B, Latin Extended Additional: the letters news writes in Latin
script, Vietnamese's included); tests check it against SQLite's own tokenizer, and that the
migration that indexes with it (postgres/0004) spells :data:`FOLD_FROM_SQL` and :data:`FOLD_TO_SQL`.
"""

from __future__ import annotations

import unicodedata

#: ASCII punctuation, a space to the word indexes (as to unicode61): the first 31 characters of
#: the translation, in the order migration 0001 wrote them.
PUNCTUATION = r"""!"#$%&'()*+,-./:;<=>?@[\]^`{|}~"""
_LATIN = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))
#: Letters with such a decomposition that unicode61 nevertheless keeps (its table skips them).
_KEPT = "\u01e0\u01e1"  # A and a with dot above and macron


def _base(char: str) -> str | None:
    """The ASCII letter unicode61 folds ``char`` to (its case kept), or None."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not all(unicodedata.combining(m) for m in marks):
        return None
    # "ſ" (long s) and "ẛ" (long s with a dot): unicode61 folds them to s, as it folds case.
    folded = base if base.isascii() else base.casefold()
    if folded == char or len(folded) != 1 or not (folded.isascii() and folded.isalpha()):
        return None
    return folded


def _letters() -> dict[str, str]:
    out = {}
    for lo, hi in _LATIN:
        for code in range(lo, hi + 1):
            char = chr(code)
            base = _base(char)
            if base is not None and char not in _KEPT:
                out[char] = base
    return out


#: Each accented Latin letter and the letter it folds to.
LETTERS = _letters()
#: The combining marks those letters are made of: unicode61 drops them when written on their own,
#: and so does the translation (unicode61 reads the other marks as spaces, PostgreSQL's parser as
#: part of a word: a difference 0004 leaves as it was).
_MARKS = "".join(sorted({m for c in LETTERS for m in unicodedata.normalize("NFD", c)[1:]}))
#: What ``translate(text, FOLD_FROM, FOLD_TO)`` replaces: punctuation by spaces, accented letters by
#: their base letters; the combining marks at the end, past FOLD_TO's length, it deletes.
FOLD_FROM = PUNCTUATION + "".join(LETTERS) + _MARKS
FOLD_TO = " " * len(PUNCTUATION) + "".join(LETTERS.values())
#: The same in Python: ``text.translate(FOLD)`` is ``translate(text, FOLD_FROM, FOLD_TO)``.
FOLD = str.maketrans(FOLD_FROM[: len(FOLD_TO)], FOLD_TO, _MARKS)
#: Accents only (punctuation kept): a query's words before the query parser reads its operators.
ACCENTS = str.maketrans("".join(LETTERS), "".join(LETTERS.values()), _MARKS)


def sql_literal(text: str) -> str:
    """``text`` as a PostgreSQL string constant of ASCII characters only (``U&'...'`` with
    ``\\XXXX`` escapes), so that no editor's Unicode normalisation can change a migration's."""
    out = []
    for char in text:
        if char == "'":
            out.append("''")
        elif char == "\\":
            out.append("\\\\")
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"\\{ord(char):04X}")
    return "U&'" + "".join(out) + "'"


FOLD_FROM_SQL = sql_literal(FOLD_FROM)
FOLD_TO_SQL = sql_literal(FOLD_TO)
#: The letters alone, one for one (no character deleted, every position kept): the text a search's
#: snippet is cut from, so that its words match the folded query's (``unfold`` puts the text's own
#: letters back).
LETTERS_FROM_SQL = sql_literal("".join(LETTERS))
LETTERS_TO_SQL = sql_literal("".join(LETTERS.values()))
_LETTERS_FOLD = str.maketrans("".join(LETTERS), "".join(LETTERS.values()))


def fold(text: str) -> str:
    """``text`` with its accents folded as the word indexes fold them (punctuation kept)."""
    return text.translate(ACCENTS)


def unfold(fragment: str, text: str, marks: tuple[str, ...]) -> str:
    """``fragment``, a piece of ``translate(text, LETTERS_FROM_SQL, LETTERS_TO_SQL)`` with ``marks``
    put in it (a highlight's start and end), in the letters of ``text`` itself; ``fragment`` as it
    is when it is not such a piece."""
    plain = fragment
    for mark in marks:
        plain = plain.replace(mark, "")
    at = text.translate(_LETTERS_FOLD).find(plain)
    if at < 0 or not plain:
        return fragment
    out: list[str] = []
    i = 0
    while i < len(fragment):
        found = next((m for m in marks if fragment.startswith(m, i)), None)
        if found is not None:
            out.append(found)
            i += len(found)
        else:
            out.append(text[at])
            at += 1
            i += 1
    return "".join(out)
