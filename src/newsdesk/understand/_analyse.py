"""One article's understanding, whole: its entities, figures and quotes (speakers resolved and
tied to the entities), as the records the desk stores (``model.Understanding``).

The one entry the desk calls (``analyse``), so that the desk does not know how the parts fit: a
quote's speaker becomes an entity of the article when one of its mentions is the speaker's words,
or when the resolved name is one of the article's people; a quote's ``statement`` is the same for
the same words quoted anywhere, which is how the desk finds the first outlet to report it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

from ..model import ArticleFigure, ArticleQuote, NamedEntity, Span, Understanding
from . import entities as _entities
from . import quotes as _quotes
from . import speakers as _speakers

#: Bump when the code changes what ``analyse`` gives for a text (the model files are digested too):
#: ``newsdesk reunderstand`` recomputes every article understood under another version.
STAGE_VERSION = 1

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
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return hashlib.blake2b(" ".join(_WORD.findall(plain)).encode(), digest_size=12).hexdigest()


def _fold(name: str) -> str:
    return " ".join(_WORD.findall(name.casefold()))


def _speaker_entity(quote: _quotes.Quote, name: str | None, found: list[NamedEntity]) -> NamedEntity | None:
    """The article's entity the speaker is: one whose mention holds the speaker's words, else the
    one person (or, failing that, organisation) whose name is the resolved name or ends with it."""
    if quote.speaker_start is not None and quote.speaker_end is not None:
        for e in found:
            for m in e.mentions:
                if m.start < quote.speaker_end and quote.speaker_start < m.end:
                    return e
    if name is None:
        return None
    want = _fold(name)
    if not want:
        return None
    for kind in ("person", "organisation"):
        same = [e for e in found if e.type == kind and _fold(e.name) == want]
        if not same:
            same = [e for e in found if e.type == kind and _fold(e.name).endswith(" " + want)]
        if len(same) == 1:
            return same[0]
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
        spans = tuple(Span(m.text, m.start, m.end) for m in entity.mentions if _outside(credits, m.start))
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
        for q, resolved in zip(found_quotes, names, strict=True):
            who = _speaker_entity(q, resolved, named)
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
