"""A person named by surname alone, across articles (issue 17): "Obama" is the person of that
surname the desk knows by full name, when the desk has seen that person called "Obama" alone.

The understand stage joins "Obama" to "Barack Obama" within one article; across articles the store
joins entities by equal key only, so an article that names a person by surname alone ("President
Obama said ...") made ``person:obama``, an entity of its own beside ``person:barack obama``. The
rule, as an editor would put it: a person named by a single word S is the person the desk knows by
a full name (two words or more) ending in S, when

* the desk has seen that full name called by S alone: some article names the full name and, as the
  same entity, S alone or after a title ("Barack Obama ... Obama said", "Mr. Obama") —
  ``surname_of`` gives an article's entity that evidence, and the store keeps it with the article
  (``article_entities.last_word``, what ``people_by_last_word`` reads);
* S may be a surname: no people's adjective ("Israeli", "Muslims": ``understand.entities.demonym``)
  and no title or office ("Secretary"), and the full name begins with a capitalised word that is
  no stop word and no title ("If Israeli", "Press Secretary" are no one's full names);
* those full names are all one person — exactly one, or several that share their first word too
  ("Vladimir Putin", "Vladimir V. Putin": the most named of them).

Not joined: a word the article also names as a place or an organisation ("Jordan"), a
surname two full names share ("Boris Johnson", "Magic Johnson"), any name of two words or more, and
a full name never seen called by its last word alone: the recogniser's non-people typed as people
("Thank God", "Arab Israeli", "Sunni Muslims") are no surname's. Other articles' kinds of the
word do not count: the recogniser types one word differently from article to article ("Mariners"
an organisation in one report, a person called so by five that name "Kestrel Bay Mariners"), and
the outcome would depend on which article the desk stored first.

Pure functions over an ``Understanding`` and a lookup, so they are tested alone and the Desk's
figures are theirs: ``surname_of`` is the evidence one article gives, ``full_name`` is the rule over
the people a store finds by that evidence (``people_by_last_word``), ``rekeyed`` applies a lookup
to an article's understanding (its entities and the quotes that name them as speaker),
``called_by`` gives the words an article gives evidence for, whose arrival may complete a single
word the desk already holds (``Desk`` then stores that word's articles again, re-keyed: an article
naming only "Obama" may come before any naming "Barack Obama"), or make it mean two people
(``unkeyed``: the articles joined to the first are given the word alone back, so that the desk's
answer does not depend on which article came first).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

from ._stopwords import STORY_STOP_WORDS
from .model import EntitySummary, NamedEntity, Understanding
from .understand.entities import TITLES, Entity, EntityType, canonical_key, demonym, name_core

PERSON = "person"

#: Words that open a sentence and begin no one's name, beyond the stop words: the recogniser
#: takes them into the name after them ("Maybe Putin", "Perhaps Obama"), and such a "full name"
#: would make the surname look shared by two people.
_NOT_FIRST = frozenset(
    "maybe perhaps however meanwhile indeed instead thus hence yet still even now yes oh thank "
    "dear hey why".split()
)

#: A lookup: the full-name person a single word means (None: none, or not one person).
Lookup = Callable[[str], EntitySummary | None]


def _words(key: str) -> list[str]:
    return key.partition(":")[2].split(" ")


def _name_words(key: str) -> list[str]:
    """A person's key as words without a generational suffix: its last is the surname
    (``person:robert downey jr`` -> robert, downey)."""
    return list(name_core(tuple(_words(key))))


def single_word(key: str) -> str | None:
    """The word of a person's key of one word (``person:obama`` -> ``obama``), else None."""
    kind, _, name = key.partition(":")
    return name if kind == PERSON and name and " " not in name else None


def may_be_surname(word: str) -> bool:
    """Whether a single word (folded, as keys spell it) may be a person's surname: no people's
    adjective or plural ("israeli", "muslims") and no title or office, whole or in part
    ("secretary", "attorney-general")."""
    return bool(word) and not any(w in TITLES for w in word.split("-")) and not demonym(word)


def _first_name(e: NamedEntity) -> bool:
    """Whether a full name's first word may begin a person's name: capitalised in the article's
    form of it and no acronym ("HMP Barlinnie"), no stop word ("If Israeli", "While Kepler": a
    sentence's first word taken into a name), no title ("Press Secretary", "President Obama"
    left whole) and no people's adjective ("Muslim Uighur", "Venezuelan Pastor Maldonado")."""
    first = e.name.split()[0] if e.name.split() else ""
    lead = _words(e.key)[0]
    return (
        first[:1].isupper()
        and not (len(first) > 1 and first.isupper())
        and lead not in STORY_STOP_WORDS
        and lead not in _NOT_FIRST
        and lead not in TITLES
        and not demonym(lead)
    )


def surname_of(e: NamedEntity) -> str | None:
    """The surname an article shows a person of full name is called by: the last word of its key,
    a generational suffix aside ("Robert Downey Jr." is called "Downey"),
    (``person:barack obama`` -> ``obama``) when one of the entity's mentions in the article is
    that word alone, perhaps after a title or with a possessive ("Obama", "Mr. Obama", "Obama's"),
    the word may be a surname and the name's first word a first name (``may_be_surname``); None
    otherwise. What the store keeps as the evidence ``people_by_last_word`` finds people by."""
    words = _name_words(e.key)
    if e.type != PERSON or len(words) < 2 or not may_be_surname(words[-1]) or not _first_name(e):
        return None
    alone = f"{PERSON}:{words[-1]}"
    for m in e.mentions:
        if _person_key(m.text) == alone:
            return words[-1]
    return None


@functools.lru_cache(maxsize=1 << 14)
def _person_key(mention: str) -> str:
    """The key a mention would have as a person's name alone (remembered: news repeats its names,
    and every person mention of every stored article is asked)."""
    return canonical_key(Entity(mention, EntityType.PERSON, ()))


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
        and len(w := _name_words(p.key)) >= 2
        and w[-1] == word
        and w[0] not in STORY_STOP_WORDS
        and w[0] not in _NOT_FIRST
        and w[0] not in TITLES
    ]
    if not may_be_surname(word) or not named or len({_words(p.key)[0] for p in named}) != 1:
        return None
    return min(named, key=lambda p: (-p.articles, p.key))


#: A re-keying of an article's entity: old key -> (new key, new name, old name).
_Moves = dict[str, tuple[str, str, str]]


def rekeyed(understood: Understanding, lookup: Lookup) -> Understanding:
    """``understood`` with each person named by a single word that is no place or organisation
    of the same article re-keyed to the full name ``lookup`` gives it: the entity takes the full
    name's key and name (joining the article's own entity of that key, if it has one), and so does
    every quote it is the speaker of (``speaker`` only where it was that entity's name)."""
    others = {e.key.partition(":")[2] for e in understood.entities if e.type != PERSON}
    moves: _Moves = {}
    for e in understood.entities:
        word = single_word(e.key)
        if word is None or word in others or e.key in moves:
            continue
        found = lookup(word)
        if found is not None and found.key != e.key:
            moves[e.key] = (found.key, found.name, e.name)
    return _moved(understood, moves)


def unkeyed(understood: Understanding, word: str) -> Understanding:
    """``understood`` with each person of full name ending in ``word`` that the article names only
    by ``word`` ("Phelps", "Mr. Phelps": re-keyed by ``rekeyed`` while one person of that surname
    was known) given back the key of the word alone, and so are the quotes it speaks: what the
    article says once a second person of that surname makes the word mean neither. A person the
    article names in full stays."""
    alone = f"{PERSON}:{word}"
    moves: _Moves = {}
    for e in understood.entities:
        words = _name_words(e.key)
        if e.type != PERSON or len(words) < 2 or words[-1] != word or not e.mentions:
            continue
        if all(_person_key(m.text) == alone for m in e.mentions):
            last = e.mentions[0].text.split()[-1]
            moves[e.key] = (alone, last[:-2] if last.endswith(("'s", "’s")) else last, e.name)
    return _moved(understood, moves)


def _moved(understood: Understanding, moves: _Moves) -> Understanding:
    """``understood`` with its entities re-keyed by ``moves`` (one that lands on a key the article
    already has joins that entity, in the article's own form of it), and the quotes they speak."""
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


def called_by(understood: Understanding) -> dict[str, str]:
    """The surname ``understood`` shows each person of full name called by (entity key -> word,
    ``surname_of``): the evidence the store keeps with the article. Once it is stored, each word
    may now mean a full name (``Desk`` stores the articles of that single word again, re-keyed)."""
    return {e.key: w for e in understood.entities if (w := surname_of(e)) is not None}
