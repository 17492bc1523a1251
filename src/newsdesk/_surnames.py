"""A person named by surname alone, across articles (issue 17): "Obama" is the person of that
surname the desk already knows by full name, when it knows exactly one.

The understand stage joins "Obama" to "Barack Obama" within one article; across articles the store
joins entities by equal key only, so an article that names a person by surname alone ("President
Obama said ...") made ``person:obama``, an entity of its own beside ``person:barack obama``. The
rule, as an editor would put it: a person named by a single word S is the person the desk knows by
a full name (two words or more) ending in S, when those full names are all one person — exactly
one, or several that share their first word too ("Vladimir Putin", "Vladimir V. Putin": the most
named of them). Not joined: a word the desk (or the article) also knows as a place or an
organisation ("Jordan"), a surname two full names share ("Boris Johnson", "Magic Johnson"), and any
name of two words or more.

Pure functions over an ``Understanding`` and a lookup, so they are tested alone and the Desk's
figures are theirs: ``full_name`` is the rule over the people a store finds by last word
(``people_by_last_word``), ``rekeyed`` applies a lookup to an article's understanding (its
entities and the quotes that name them as speaker), ``full_names`` lists the people whose arrival
may complete a single word the desk already holds (``Desk`` then stores that word's articles
again, re-keyed: an article naming only "Obama" may come before any naming "Barack Obama").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from ._stopwords import STORY_STOP_WORDS
from .model import EntitySummary, NamedEntity, Understanding

PERSON = "person"
#: The other kinds of entity a single word may also be, which keep it from being a surname.
OTHER_KINDS = ("place", "organisation")

#: A lookup: the full-name person a single word means (None: none, or not one person).
Lookup = Callable[[str], EntitySummary | None]


def _words(key: str) -> list[str]:
    return key.partition(":")[2].split(" ")


def single_word(key: str) -> str | None:
    """The word of a person's key of one word (``person:obama`` -> ``obama``), else None."""
    kind, _, name = key.partition(":")
    return name if kind == PERSON and name and " " not in name else None


def full_name(word: str, people: Sequence[EntitySummary]) -> EntitySummary | None:
    """The person ``word`` (a single word, folded as keys are) means among ``people``: the full
    names (two words or more) ending in ``word`` that at least one article names, when they are
    one person — exactly one, or several sharing their first word (then the most named, then the
    first key); None when there are none or they are two people. A "full name" whose first word
    is a stop word ("If Israeli", "While Kepler": a sentence's first word taken into a name) is
    no one's: on the 2014 galaxy articles, "If Israeli" took 23 articles of "Israeli"."""
    named = [
        p
        for p in people
        if p.type == PERSON
        and p.articles > 0
        and len(w := _words(p.key)) >= 2
        and w[-1] == word
        and w[0] not in STORY_STOP_WORDS
    ]
    if not named or len({_words(p.key)[0] for p in named}) != 1:
        return None
    return min(named, key=lambda p: (-p.articles, p.key))


def rekeyed(understood: Understanding, lookup: Lookup) -> Understanding:
    """``understood`` with each person named by a single word that is no place or organisation
    of the same article re-keyed to the full name ``lookup`` gives it: the entity takes the full
    name's key and name (joining the article's own entity of that key, if it has one), and so does
    every quote it is the speaker of (``speaker`` only where it was that entity's name)."""
    others = {e.key.partition(":")[2] for e in understood.entities if e.type != PERSON}
    moves: dict[str, tuple[str, str, str]] = {}  # old key -> (new key, new name, old name)
    for e in understood.entities:
        word = single_word(e.key)
        if word is None or word in others or e.key in moves:
            continue
        found = lookup(word)
        if found is not None and found.key != e.key:
            moves[e.key] = (found.key, found.name, e.name)
    if not moves:
        return understood
    merged: dict[str, NamedEntity] = {}
    for e in understood.entities:
        moved = e.key in moves
        if moved:
            key, name, _ = moves[e.key]
            e = dataclasses.replace(e, key=key, name=name)
        had = merged.get(e.key)
        if had is None:
            merged[e.key] = e
            continue
        spans = tuple(sorted(had.mentions + e.mentions, key=lambda m: m.start))
        # The article's own form of the full name rather than the desk's.
        merged[e.key] = dataclasses.replace(had if moved else e, mentions=spans)
    quotes = tuple(
        q
        if q.speaker_key not in moves
        else dataclasses.replace(
            q,
            speaker_key=moves[q.speaker_key][0],
            speaker=moves[q.speaker_key][1] if q.speaker == moves[q.speaker_key][2] else q.speaker,
        )
        for q in understood.quotes
    )
    return dataclasses.replace(understood, entities=tuple(merged.values()), quotes=quotes)


def full_names(understood: Understanding) -> list[str]:
    """The keys of the people ``understood`` names by a full name (two words or more): once one
    is new to the desk, the single word it ends in may now mean it (``Desk`` stores the articles
    of that word again, re-keyed)."""
    return [e.key for e in understood.entities if e.type == PERSON and len(_words(e.key)) >= 2]


def last_word(key: str) -> str:
    """The last word of a key's name (``person:barack obama`` -> ``obama``)."""
    return _words(key)[-1]
