"""One article's understanding, whole: its entities, figures and quotes (speakers resolved and
tied to the entities), as the records the desk stores (``model.Understanding``).

The one entry the desk calls (``analyse``), so that the desk does not know how the parts fit: a
quote's speaker becomes an entity of the article when one of its mentions is the speaker's words,
or when the resolved name is one of the article's people; a quote's ``statement`` is the same for
the same words quoted anywhere, which is how the desk finds the first outlet to report it.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from pathlib import Path

from .._text import fold_words
from ..model import ArticleFigure, ArticleQuote, NamedEntity, Understanding
from . import entities as _entities
from . import quotes as _quotes
from . import speakers as _speakers

#: Bump when the code changes what ``analyse`` gives for a text (the model files are digested too):
#: ``newsdesk reunderstand`` recomputes every article understood under another version.
STAGE_VERSION = 5

_MODELS = Path(__file__).with_name("models")
_WORD = re.compile(r"[^\W_]+")
#: A wire story's credit line ("(Reporting by Ana Ruiz; editing by Tom Lee)", "Additional reporting
#: by ..."): it names the journalists, not who or what the story is about.
_CREDIT = re.compile(
    r"(?im)^[ \t]*\(?(?:(?:additional\s+)?reporting|writing|editing|compiled|produced)\s+by\b[^\n]*$"
)


@functools.cache
def version() -> str:
    """What a stored understanding was made with: the stage's version and its models' digest."""
    h = hashlib.sha256(str(STAGE_VERSION).encode())
    for path in sorted(_MODELS.glob("*")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return f"{STAGE_VERSION}-{h.hexdigest()[:12]}"


def statement_key(text: str) -> str:
    """The same for the same words, whatever their case, accents, punctuation or spacing."""
    return hashlib.blake2b(fold_words(text).encode(), digest_size=12).hexdigest()


def _fold(name: str) -> str:
    return " ".join(_WORD.findall(name.casefold()))


#: Words naming an organisation by what it is ("the union", "the port authority"): "the union" is
#: the organisation named last whose name holds "union"; "the port authority", a longer
#: description, is not resolved by its last word (the article named no port authority: another
#: organisation named "... Authority" may be a different one).
_ORG_NOUNS = frozenset(
    "company firm group club council union bank airline carrier operator agency government ministry "
    "department police authority institute university college school hospital board committee "
    "commission party federation association league team trust charity foundation organisation "
    "organization campaign coalition alliance network service".split()
)
_HE_SHE = frozenset({"he", "she"})
#: The kinds of entity that speak.
_SPEAKING = frozenset({"person", "organisation"})
#: A people ("Israeli", "Many Palestinians"): no speaker, nor the "he" of a sentence; but its
#: mentions stay in the index, since a people may qualify the name after it ("Gaza Palestinians").
_GROUP = _entities.EntityType.GROUP
_AFTER_HEAD = re.compile(r",|\s(?:of|from|at|for|with|who)\s")
#: What may stand between a name and the "who" that starts a clause about it: a comma, after an
#: "of" or "from" phrase at most ("Chancellor Olaf Scholz of Germany, who said ...").
_TO_RELATIVE = re.compile(r"(?:\s+(?:of|from|at|in|for)\s+[^.!?;:,\n]{1,60})?\s*,\s*")


#: The word after a name in a speaker's words, when it is not the head they name.
_NEXT_WORD = re.compile(r"\s*(['’]s\b|[^\W\d_][\w'’-]*)")
#: Words that may follow the speaker's name without being a noun it qualifies ("Clinton has",
#: "Trump also", "Mr. Obama himself", "Bush in a post"): the speaker words often run on past
#: the name.
_AFTER_NAME = frozenset(
    "has have had is was were are will would could should can may might must did does do also "
    "then later again still now once first too himself herself itself themselves he she they who "
    "which whose that said says told added noted wrote tweeted asked replied in on at of for with "
    "by from to during after before while when as and but or not never even only just".split()
)


def _qualifies(text: str, end: int, head_end: int, name_starts: set[int]) -> bool:
    """Whether a name ending at ``end`` only qualifies the speaker named up to ``head_end``:
    "Israeli officials", "U.S. State Department officials", "Obama administration officials",
    "Amnesty International's director". The speaker is then the group or the person the head
    names, not the country or the organisation (nor a person the entity model took "Israeli"
    for). A name followed by a verb, an adverb or a pronoun is the speaker ("Clinton has
    increasingly", "Trump also"), and so is one followed by a capitalised word that no other name
    starts with (the entity model cut "Harry M. Reid" short)."""
    m = _NEXT_WORD.match(text, end, head_end)
    if m is None:
        return False
    word = m.group(1)
    if word[0] in "'’":
        return True
    if word[0].isupper():
        return m.start(1) in name_starts
    low = word.lower()
    return not (low in _AFTER_NAME or low.endswith(("ly", "ed", "n't", "n’t")))


class _Mentions:
    """An article's entity mentions in order of the text, to find those at a place or before it
    without reading them all for every quote (a text of thousands of quotes and mentions)."""

    def __init__(self, found: list[NamedEntity], text: str) -> None:
        self.found = found
        self.text = text
        self.rows = sorted((m.start, m.end, i) for i, e in enumerate(found) for m in e.mentions)
        self.starts = [r[0] for r in self.rows]
        self.longest = max((b - a for a, b, _ in self.rows), default=0)

    def overlapping(self, at: int, end: int) -> list[tuple[int, int, NamedEntity]]:
        lo = bisect.bisect_left(self.starts, at - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [(a, b, self.found[i]) for a, b, i in self.rows[lo:hi] if b > at]

    def nearest(
        self, before: int, skip: tuple[int, int], kind: str, among: set[str] | None = None
    ) -> NamedEntity | None:
        """The entity of ``kind`` (and of the keys ``among``) whose mention comes last before
        ``before`` (within about two paragraphs: 1,500 characters), leaving out mentions inside
        ``skip`` (the quote's own words)."""
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0 and before - self.starts[i] <= 1500:
            a, _, k = self.rows[i]
            e = self.found[k]
            if e.type == kind and not skip[0] <= a < skip[1] and (among is None or e.key in among):
                return e
            i -= 1
        return None

    def antecedent(self, at: int) -> NamedEntity | None:
        """The person or organisation a relative "who" or "which" at ``at`` stands for: the one
        named just before it, with only a comma (and an "of ..." phrase) between ("Olaf Scholz of
        Germany, who said"; "Amnesty International, which said")."""
        i = bisect.bisect_left(self.starts, at) - 1
        while i >= 0 and at - self.starts[i] <= 200:
            _, b, k = self.rows[i]
            e = self.found[k]
            if b <= at and e.type in _SPEAKING and _TO_RELATIVE.fullmatch(self.text, b, at):
                return e
            i -= 1
        return None


def _speaker_entity(quote: _quotes.Quote, name: str | None, index: _Mentions) -> NamedEntity | None:
    """The article's entity the speaker is, as an editor reading the article would tell:

    - an entity one of whose mentions is the speaker's words;
    - "who" or "which" opening a clause after a name (", who said"): that name;
    - "he" or "she": the person named last before the quote; "the union": the organisation named
      last before it whose name holds that word. Not "the company" when no company's name says
      "company", nor "the minister": the organisation or person named last is as often another
      one (on the sample corpus such guesses were right 31 times and wrong 33), and a wrong
      speaker is worse than an unnamed one;
    - a name ("Meridian", "Adeyemi", "Industry Minister Fenwick Adeyemi", or the name
      ``speakers.resolve_speaker`` gave): the one entity whose name begins or ends with it, or
      that it ends with.
    """
    found = index.found
    at, end = quote.speaker_start, quote.speaker_end
    mention = (quote.speaker_mention or "").strip()
    skip = (quote.start, quote.end)
    if at is not None and end is not None:
        # The head of "former Brackenford defender Kofi Ainsley" is its last name; of "Lina Corvo
        # of the Aldane Estuary Trust", "Lina Corvo, a spokeswoman", the name before "of" or ",".
        cut = _AFTER_HEAD.search(mention)
        if cut is not None and cut.start() > 0:
            end = at + cut.start()
        best: tuple[bool, int, NamedEntity] | None = None
        named = index.overlapping(at, end)
        starts = {a for a, _, _ in named}
        for _, m_end, e in named:
            if e.type == _GROUP or _qualifies(index.text, m_end, end, starts):
                continue
            rank = (e.type == "person", m_end, e)
            if best is None or rank[:2] > best[:2]:
                best = rank
        if best is not None:
            return best[2]
    before = min(at if at is not None else quote.start, quote.start)
    words = _fold(mention).split()
    if words and len(words) == 1 and words[0] in _HE_SHE:
        return index.nearest(before, skip, "person")
    if words in (["who"], ["which"]) and at is not None:
        # (either word, either kind: "X, which said" speaks of an organisation the tagger may
        # have taken for a person)
        return index.antecedent(at)
    if len(words) >= 2 and words[0] == "the":
        head = words[-1]
        holding = [e for e in found if e.type == "organisation" and head in _fold(e.name).split()]
        if holding and (len(words) == 2 or head not in _ORG_NOUNS):
            keys = {e.key for e in holding}
            return index.nearest(before, skip, "organisation", keys) or holding[0]
        return None
    for candidate in (mention, name):
        want = _fold(candidate or "").split()
        if not want or (len(want) == 1 and want[0] in _HE_SHE):
            continue
        fits = []
        for e in found:
            if e.type == _GROUP:
                continue  # "Israeli", "Russians": a people, no one speaker
            have = _fold(e.name).split()
            n = min(len(have), len(want))
            if (have[:n] == want[:n] and len(want) <= len(have)) or have[-n:] == want[-n:]:
                fits.append(e)
        if len(fits) == 1:
            return fits[0]
        if len(fits) > 1:
            people = [e for e in fits if e.type == "person"]
            if len(people) == 1:
                return people[0]
    return None


def _named_by(mention: str | None, name: str | None) -> str | None:
    """A resolved name that is no entity of the article is kept only when the speaker's own words
    hold it ("Ms. Ruiz" -> "Ana Ruiz"): resolving "he" or "the union" to a name the entity model
    did not see as a person is a guess, and a wrong speaker is worse than an unnamed one."""
    if mention is None or name is None:
        return None
    words = set(_fold(mention).split())
    return name if words and words & set(_fold(name).split()) else None


def _outside(spans: list[tuple[int, int]], start: int) -> bool:
    return not any(a <= start < b for a, b in spans)


def analyse(text: str, *, language: str | None = "en") -> Understanding:
    """Entities, figures and quotes of an article's stored text (offsets into it). A language the
    models do not read (anything but English today) gives figures only. Names in a credit line
    (``_CREDIT``) are left out: the journalists are not what the story is about."""
    credits = [m.span() for m in _CREDIT.finditer(text)]
    found: list[NamedEntity] = []
    for entity in _entities.find_entities(text, language=language):
        spans = tuple(m for m in entity.mentions if _outside(credits, m.start))
        if spans:
            found.append(NamedEntity(_entities.canonical_key(entity), entity.name, entity.type.value, spans))
    # One article may name one entity twice under forms that fold to one key: keep one record.
    merged: dict[str, NamedEntity] = {}
    for e in found:
        had = merged.get(e.key)
        if had is None:
            merged[e.key] = e
        else:
            spans = tuple(sorted(had.mentions + e.mentions, key=lambda m: m.start))
            name = had.name if len(had.name) >= len(e.name) else e.name
            merged[e.key] = NamedEntity(had.key, name, had.type, spans)
    named = list(merged.values())
    figures = tuple(
        ArticleFigure(f.kind.value, f.text, f.start, f.end, f.value) for f in _entities.find_figures(text)
    )
    quotes: list[ArticleQuote] = []
    lang = (language or "").lower()
    if lang.startswith("en"):
        found_quotes = _quotes.find_quotes(text, language=language)
        names = _speakers.resolve_speaker(found_quotes, text)
        index = _Mentions(named, text)
        for q, resolved in zip(found_quotes, names, strict=True):
            who = _speaker_entity(q, resolved, index)
            speaker = who.name if who is not None else _named_by(q.speaker_mention, resolved)
            quotes.append(
                ArticleQuote(
                    speaker=speaker,
                    speaker_key=who.key if who is not None else None,
                    speaker_mention=q.speaker_mention,
                    speaker_start=q.speaker_start,
                    speaker_end=q.speaker_end,
                    cue=q.cue,
                    cue_start=q.cue_start,
                    cue_end=q.cue_end,
                    text=q.text,
                    start=q.start,
                    end=q.end,
                    direct=q.direct,
                    statement=statement_key(q.text),
                )
            )
    return Understanding(version=version(), entities=tuple(named), figures=figures, quotes=tuple(quotes))
