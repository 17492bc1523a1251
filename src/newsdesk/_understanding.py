"""The Desk's understanding: filing an article under a category as it is stored, storing what the
understand stage found in it, reading entities and quotes back, and ``reunderstand``.

A mixin of ``Desk`` (as ``_intake._Intake`` is) so that core.py stays the Desk's lifecycle and
the other stages. The stage itself (``understand/``) is pure functions; what needs the store lives
here: the desk's own ``SectionLearner`` (how this desk's sources file their articles teaches it
how to file those that declare no section), the entity index, and the first report of a quote.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from . import _surnames, _valid, understand
from .exceptions import ArticleNotFoundError, EntityNotFoundError
from .model import Article, EntitySummary, QuoteHit, StoredArticle, Story, Understanding

if TYPE_CHECKING:
    from .store import Store
    from .understand.categories import SectionLearner

log = logging.getLogger(__name__)

#: The version of an understanding the stage failed to make: no release has it, so ``reunderstand``
#: tries the article again.
FAILED_UNDERSTANDING = "failed"

#: The full-name people of one last word the surname rule reads (``_surnames.full_name``): more
#: than this many people of one surname are not one person anyway.
SURNAME_PEOPLE = 20
#: Articles of a single-word person stored again, re-keyed, when a full name it ends arrives
#: (``Desk._complete_surnames``): the newest this many, so that one article's unit of work stays
#: bounded; older ones keep the single word until ``reunderstand --all``.
SURNAME_ARTICLES = 500

#: Articles whose declared section teaches a desk's learner when it is first needed: the newest
#: this many (the learner then learns every article stored after it, as it is stored).
LEARN_FROM = 2000


def analysed(article: Article) -> Understanding:
    """What the understand stage finds in an article, or, when it fails on this text, nothing
    under a version no release has (``reunderstand`` tries it again): understanding is never a
    reason to lose an article (nor to stop a ``reunderstand``)."""
    try:
        return understand.analyse(article.text, language=article.language)
    except Exception:
        log.warning("understanding %s failed; stored without it", article.url, exc_info=True)
        return Understanding(version=FAILED_UNDERSTANDING)


@dataclasses.dataclass(frozen=True, slots=True)
class Filing:
    """An article's category and where it came from (``section``: its source said so)."""

    category: str | None
    basis: str | None
    confidence: float | None


class _Understanding:
    """The Desk's understanding (see the module's docstring): ``Desk`` sets the attributes below."""

    _store: Store
    _clock: Callable[[], datetime]
    _learner_: SectionLearner | None = None

    if TYPE_CHECKING:

        def get_article(self, ref: int | str) -> StoredArticle: ...

    # -- filing ---------------------------------------------------------------------------------

    def _learner(self) -> SectionLearner:
        """The desk's learner, taught on first use by the newest articles whose sources declare a
        section that maps (one read, ``LEARN_FROM`` articles)."""
        if self._learner_ is None:
            from .understand.categories import SectionLearner

            learner = SectionLearner()
            for stored in self._store.latest(LEARN_FROM):
                a = stored.article
                learner.learn_declared(a.title, a.text, a.section, a.url)
            self._learner_ = learner
        return self._learner_

    def _file(self, article: Article) -> tuple[Article, Filing]:
        """The article filed: under the category its source declares (which teaches the learner),
        else under the one the desk's learner finds for its title and lead."""
        from .understand import categories

        declared = article.category or categories.from_section(article.section, article.url)
        if declared is not None and declared in categories.CATEGORIES:
            if self._learner_ is not None:
                self._learner_.learn(article.title, article.text, declared)
            return dataclasses.replace(article, category=declared), Filing(declared, "section", 1.0)
        if declared is not None:  # a declared category outside the taxonomy: kept, not learned
            return article, Filing(declared, "section", 1.0)
        if not article.text.strip():
            return article, Filing(None, None, None)
        found, confidence = self._learner().classify(article.title, article.text)
        return dataclasses.replace(article, category=found), Filing(found, "learned", round(confidence, 4))

    def _understand(
        self, article_id: int, when: datetime, filing: Filing, found: Understanding
    ) -> Understanding:
        """Store what the understand stage found in a stored article (``found``: made before the
        unit of work, by the ``Preparer`` or ``analysed``), in the unit of work open around it;
        ``when``: the article's time (published, else first seen). A person it names by surname
        alone becomes the person of that surname the desk knows by full name, when the desk has
        seen that person called by it alone (``_surnames``); an article that shows a full name
        called by its surname alone takes over the articles that named that surname alone before
        it came, or, when it shows a second person of that surname, gives back those joined to the
        first. Returns the understanding as stored (what story grouping reads)."""
        found = dataclasses.replace(found, category_basis=filing.basis, category_confidence=filing.confidence)
        found = _surnames.rekeyed(found, self._full_name)
        called = _surnames.called_by(found)
        words = list(dict.fromkeys(called.values()))
        meant = {word: self._full_name(word) for word in words}
        self._store.save_understanding(article_id, found, when=when, called_by=called)
        for word in words:
            before, now = meant[word], self._full_name(word)
            if now is None and before is not None:
                self._split_surname(word, before)
            elif now is not None:
                self._complete_surnames(word)
        return found

    def _full_name(self, word: str) -> EntitySummary | None:
        """The surname rule over this desk (``_surnames.full_name``): the person of full name the
        single word ``word`` means among those some article calls by it alone. One indexed read;
        none of the desk's other entities counts (a place or organisation of the same word in other
        articles would make the outcome depend on the order the articles came in)."""
        if not _surnames.may_be_surname(word):
            return None
        return _surnames.full_name(word, self._store.people_by_last_word(word, limit=SURNAME_PEOPLE))

    def _complete_surnames(self, word: str) -> None:
        """The articles that named the single word ``word`` as a person, stored again re-keyed now
        that the desk knows the full name it means (the newest ``SURNAME_ARTICLES`` of them, in the
        unit of work open around it): an entity page, its quotes and the export then see one
        person. Their stories stay as they were made. Called when ``_full_name(word)`` has just
        found that person."""
        alone = self._store.entity_of_key(f"{_surnames.PERSON}:{word}")
        if alone is None or alone.articles == 0:
            return
        self._store_again(alone.id, lambda understood: _surnames.rekeyed(understood, self._full_name))

    def _split_surname(self, word: str, meant: EntitySummary) -> None:
        """The articles that named only ``word`` and were joined to ``meant`` while it was the one
        person of that surname the desk knew, given back the word alone, now that a second person
        of it makes the word mean neither (the newest ``SURNAME_ARTICLES`` of ``meant``'s, in the
        unit of work open around it): which of them an earlier "Phelps" meant, the desk cannot
        tell, and an entity page must not claim it. Their stories stay as they were made."""
        self._store_again(meant.id, lambda understood: _surnames.unkeyed(understood, word))

    def _store_again(self, entity_id: int, change: Callable[[Understanding], Understanding]) -> None:
        """The newest ``SURNAME_ARTICLES`` articles naming an entity, their understanding stored
        again where ``change`` makes it another (it returns the one it was given when not)."""
        named = self._store.entity_articles(entity_id, SURNAME_ARTICLES)
        had = self._store.understandings([s.id for s in named])
        for stored in named:
            understood = had.get(stored.id)
            if understood is None:
                continue
            again = change(understood)
            if again is not understood:
                when = stored.article.published or stored.first_seen
                self._store.save_understanding(
                    stored.id, again, when=when, called_by=_surnames.called_by(again)
                )

    # -- reading --------------------------------------------------------------------------------

    def understanding(self, ref: int | str) -> Understanding | None:
        """What the desk understood of an article (None before ``reunderstand`` for articles
        stored by an older newsdesk)."""
        aid = self.get_article(ref).id
        return self._store.understandings([aid]).get(aid)

    def understandings(self, ids: Sequence[int]) -> dict[int, Understanding]:
        """``understanding`` for many articles in one read (an article with none is absent): what
        ``export`` reads a batch of articles at a time."""
        return self._store.understandings(list(ids)) if ids else {}

    def entities(
        self,
        *,
        type: str | None = None,
        since: datetime | None = None,
        query: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[EntitySummary]:
        """People, organisations and places, the most named first (see ``UnderstandingStore``)."""
        query = _valid.composed(query) if query else query
        return self._store.entities(type=type, since=since, query=query, limit=limit, offset=offset)

    def entity(self, ref: int | str) -> EntitySummary:
        """An entity by id, or the entity a name most likely means (the exact name first, then the
        most named entity whose name holds it). Raises EntityNotFoundError."""
        if isinstance(ref, int) or ref.strip().isdigit():
            found = self._store.get_entity(int(ref))
            if found is None:
                raise EntityNotFoundError(f"no entity with id {ref} (see `newsdesk entities`)")
            return found
        named = self._store.find_entities(_valid.composed(ref.strip()), limit=1)
        if not named:
            raise EntityNotFoundError(f"no entity is called {ref.strip()!r} (see `newsdesk entities`)")
        return named[0]

    def entity_by_key(self, key: str) -> EntitySummary:
        """The entity an article's ``NamedEntity.key`` (``person:brannock sill``) joins, so that a
        page lists an article's entities without a lookup each and links them here; one that no
        article names any more is not found. Raises EntityNotFoundError."""
        found = self._store.entity_of_key(key)
        if found is None or found.articles == 0:
            raise EntityNotFoundError(f"no entity with key {key!r} (see `newsdesk entities`)")
        return found

    def entity_articles(self, entity_id: int, *, limit: int = 20, offset: int = 0) -> list[StoredArticle]:
        """The articles naming an entity, newest first."""
        return self._store.entity_articles(entity_id, limit, offset=offset)

    def entity_stories(self, entity_id: int, *, limit: int = 20, scan: int = 200) -> list[Story]:
        """The stories of the newest articles naming an entity (of the newest ``scan``), latest
        first: the first ``limit`` stories met going back through those articles, so a page reads
        ``limit`` stories, not one for every article the entity is named in."""
        ids = [s.id for s in self._store.entity_articles(entity_id, scan)]
        of = self._store.story_ids_of(ids)
        story_ids = list(dict.fromkeys(of[a] for a in ids if a in of))[:limit]
        found = [s for sid in story_ids if (s := self._store.get_story(sid)) is not None]
        found.sort(key=lambda s: (s.last_seen, s.id), reverse=True)
        return found

    def quotes(
        self,
        *,
        speaker: int | str | None = None,
        query: str | None = None,
        statements: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> list[QuoteHit]:
        """Who said what: quotes, newest first, of a ``speaker`` (an entity id or name), whose
        words match ``query``; with ``statements``, each statement once (as its earliest matching
        report gave it) rather than every copy's repeat. Raises EntityNotFoundError for a speaker
        the desk does not know."""
        entity_id = self.entity(speaker).id if speaker is not None and str(speaker).strip() else None
        return self._store.quotes(
            speaker=entity_id,
            query=_valid.composed(query) if query else None,
            statements=statements,
            limit=limit,
            offset=offset,
        )

    def article_quotes(self, ref: int | str) -> list[QuoteHit]:
        """An article's quotes in text order."""
        aid = self.get_article(ref).id
        return self._store.quotes(article_ids=[aid], limit=10_000)

    def story_quotes(self, story_id: int, *, limit: int = 500) -> list[QuoteHit]:
        """A story's statements: each quote once (a quote repeated by copies and other outlets is
        one statement), as the earliest of the story's reports gave it (the desk's first report
        when that one is in the story), newest statement first. The store folds them, so
        ``limit`` counts statements, not every copy's repeat."""
        members = [m.article_id for m in self._store.story_members(story_id)]
        if not members:
            return []
        return self._store.quotes(article_ids=members, statements=True, limit=limit)

    # -- again ----------------------------------------------------------------------------------

    def reunderstand(
        self, *, everything: bool = False, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Understand again every article understood under another version of the stage (after an
        upgrade), or never (stored by an older newsdesk); ``everything``: all of them. Each article
        is one unit of work, so a killed run resumes where it stopped. Re-files articles whose
        category was learned. Returns how many articles were understood."""
        if everything:
            self._store.forget_understanding()
        version = understand.version()
        todo: list[int] = []
        while batch := self._store.not_understood(version, after=todo[-1] if todo else 0, limit=5000):
            todo.extend(batch)
        done = 0
        for n, aid in enumerate(todo, start=1):
            try:
                stored = self._store.get_article(aid)
            except ArticleNotFoundError:
                continue
            article = stored.article
            before = article.category
            basis = self._store.understandings([aid]).get(aid)
            if before is not None and (basis is None or basis.category_basis != "learned"):
                filed, filing = article, Filing(before, "section", 1.0)
            else:
                filed, filing = self._file(dataclasses.replace(article, category=None))
            found = analysed(article)
            with self._store.transaction():
                if filed.category != before:
                    self._store.set_category(aid, filed.category)
                self._understand(aid, article.published or stored.first_seen, filing, found)
            done += 1
            if progress:
                progress(n, len(todo))
        return done


class StoryTerms(TypedDict):
    entities: dict[str, int]
    figures: list[str]
    speakers: list[str]


def story_terms(understood: Understanding | None) -> StoryTerms:
    """What story grouping reads of an article's understanding (``stories.features``' plain
    values, so that stage knows nothing of this one's records): its entities' keys with their
    mentions, its figures as ``kind:value``, and the people it quotes."""
    if understood is None:
        return {"entities": {}, "figures": [], "speakers": []}
    keys: dict[str, int] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for e in understood.entities:
        keys[e.key] = keys.get(e.key, 0) + len(e.mentions)
        spans.setdefault(e.key, []).extend((m.start, m.end) for m in e.mentions)
    # Only a speaker the quote names itself ("said Ana Ruiz"): one found through "he" or "the
    # minister" is right less often, and as a term of the story it cost galaxy 0.009 and ECB+
    # 0.008 (bench/RESULTS.md, "Stories").
    speakers = [
        q.speaker_key
        for q in understood.quotes
        if q.speaker_key
        and q.speaker_key.startswith("person:")
        and q.speaker_start is not None
        and q.speaker_end is not None
        and any(a < q.speaker_end and q.speaker_start < b for a, b in spans.get(q.speaker_key, ()))
    ]
    return {
        "entities": keys,
        "figures": [f"{f.kind}:{f.value}" for f in understood.figures if f.value],
        "speakers": speakers,
    }


def statement_groups(hits: Sequence[QuoteHit]) -> dict[str, list[QuoteHit]]:
    """Quotes by statement, in the order their statements first come."""
    groups: dict[str, list[QuoteHit]] = {}
    for h in hits:
        groups.setdefault(h.quote.statement, []).append(h)
    return groups
