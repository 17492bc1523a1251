"""Who a quote's speaker is: the canonical name a speaker mention stands for ("Mayor Ana Ruiz" ->
"Ana Ruiz", "Ruiz" -> the full name before it, "he" or "the minister" -> the one person the
nearest sentence before names), apart from finding the quotes (quotes.py), so that a later step
with entities can replace it whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from ._cues import _NOT_NAME, PRONOUNS
from .quotes import Quote

#: Titles before a name, left out of the canonical name ("Mayor Ana Ruiz" is "Ana Ruiz").
_TITLE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Pres|Prof|Rev|Mayor|President|Senator|Governor|"
    r"Minister|Prime Minister|Secretary|Chancellor|Judge|Justice|Representative|Councilmember|"
    r"Councillor|Chief|General|Former|former|Sir|Dame|Lord|Lady)\.?\s+)+"
)
_NAME = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z’'-]+){1,3}\b")
#: Pronouns that name one person, and descriptions that may ("the minister", "the former mayor").
_PERSON_PRONOUNS = frozenset("he she".split())
#: How far before a speaker "he", "she" or "the minister" may look for the person it stands for.
_LOOK_BACK = 3000
_DESCRIPTION = re.compile(r"(?i)^the\s+(?:[a-z-]+\s+){0,2}[a-z-]+$")


def _person_names(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Full names (two to four capitalised words, titles left out) in ``text[start:end]``."""
    out = []
    for m in _NAME.finditer(text, start, end):
        name = _TITLE.sub("", m.group())
        parts = name.split()
        if len(parts) < 2 or parts[0] in _NOT_NAME or parts[-1] in _NOT_NAME:
            continue
        out.append((m.start(), name))
    return out


def _nearest_person(text: str, at: int, skip: tuple[int, int], known: _Names | None = None) -> str | None:
    """The one person named in the nearest sentence before ``at`` (within this paragraph and the
    two before) that names anyone, leaving out the quote's own words (``skip``); None if that
    sentence names two people or none is found."""
    lo = at
    for _ in range(3):
        lo = text.rfind("\n\n", max(at - _LOOK_BACK, 0), max(lo - 1, 0))
        if lo < 0:
            lo = max(at - _LOOK_BACK, 0)  # (a paragraph longer than that: its last part)
            break
    bounds = [lo] + [m.end() for m in re.finditer(r"[.!?][”\"’]?\s+(?=[“\"A-Z])", text[lo:at])] + [at]
    bounds = sorted({b if b in (lo, at) else lo + b for b in bounds})
    for s, e in reversed(list(pairwise(bounds))):
        names = [n for pos, n in _person_names(text, s, e) if not skip[0] <= pos < skip[1]]
        people = {n.split()[-1]: n for n in names}
        if len(people) == 1:
            return _full_name(text, s, next(iter(people.values())), known)
        if len(people) > 1:
            return None
    return None


def _full_name(text: str, before: int, name: str, known: _Names | None = None) -> str:
    """The longest name ending as ``name`` does that appears before ``before``, else ``name``.
    ``known``: the text's names by last word, made once for all its quotes (``_names``)."""
    last = name.split()[-1]
    best = name
    found = (known or _names(text)).get(last, [])
    for pos, end, full in found:
        if pos >= before:
            break
        if end <= before and len(full) > len(best):
            best = full
    return best


#: A text's full names by their last word: (start, end, name) in order of the text.
_Names = dict[str, list[tuple[int, int, str]]]


def _names(text: str) -> _Names:
    out: _Names = {}
    for m in _NAME.finditer(text):
        name = _TITLE.sub("", m.group())
        parts = name.split()
        if len(parts) < 2 or parts[0] in _NOT_NAME or parts[-1] in _NOT_NAME:
            continue
        out.setdefault(parts[-1], []).append((m.start(), m.end(), name))
    return out


def resolve_speaker(quotes: Sequence[Quote], text: str) -> list[str | None]:
    """For each quote, its speaker's canonical name (a full name, titles left out), or None when
    that is not clear.

    A speaker named in full ("Mayor Ana Ruiz") is that name ("Ana Ruiz"); a surname ("Ruiz",
    "Ms. Ruiz") is the full name before it that ends with it (or itself if it also stands
    capitalised inside a sentence elsewhere: a name, not a first word); "he", "she" or a
    description ("the minister") is the one person named in the nearest sentence before it that
    names anyone (this paragraph and the two before; the quote's own words left out), and None
    when that sentence names two. Gender and number are not checked, organisations ("the
    council") are not people: a later step with entities will do better."""
    out: list[str | None] = []
    known = _names(text) if quotes else {}
    inside: dict[str, bool] = {}  # a one-word name: whether it stands capitalised inside a sentence
    for q in quotes:
        mention, at = q.speaker_mention, q.speaker_start
        name: str | None = None
        if mention is None or at is None:
            out.append(None)
            continue
        bare = _TITLE.sub("", mention)
        words = bare.split()
        proper = bool(words) and all(w[0].isupper() for w in words) and words[0] not in _NOT_NAME
        if proper and words[0].lower() not in PRONOUNS:
            if len(words) >= 2:
                name = _full_name(text, at, bare, known)
            else:
                full = _full_name(text, at, bare, known)
                if bare not in inside:
                    inside[bare] = re.search(rf"[a-z,]\s+{re.escape(bare)}\b", text) is not None
                if full != bare or inside[bare]:
                    name = full
        elif mention.lower() in _PERSON_PRONOUNS or _DESCRIPTION.match(mention):
            name = _nearest_person(text, at, (q.start, q.end), known)
        out.append(name)
    return out
