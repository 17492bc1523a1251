"""Records of the Desk (stored articles, sources, stories, copy edges) as the API's answers.

Plain functions, one per schema, so that a route only reads and pages; the links they carry are
the API's and the site's addresses of the same item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlencode

from markupsafe import escape

from ...core import Desk
from ...model import (
    CopyEdge,
    EntitySummary,
    NamedEntity,
    QuoteHit,
    RelatedArticle,
    StoredArticle,
    Story,
    StoryDecision,
)
from ...query import as_utc, mark_snippet, plain_snippet, source_health
from ...store import StoredSource
from .routing import PREFIX
from .schemas import (
    ArticleBrief,
    ArticleEntityOut,
    ArticleSummary,
    CopyEdgeOut,
    CopyOf,
    DecisionOut,
    EntityOut,
    FirstReport,
    Links,
    QuoteOut,
    RelatedOut,
    SourceHealth,
    SourceOut,
    SpanOut,
    StoryOut,
)

utc = as_utc


def health(s: StoredSource) -> SourceHealth:
    # A lease that ran out (its collector was killed) still names its holder in the store until
    # another collector takes the source: nobody is updating it.
    running = s.leased_until is not None and s.leased_until > datetime.now(UTC)
    return SourceHealth(
        status=source_health(s).value,
        last_status=s.last_status,
        last_fetched=s.last_fetched,
        last_success=s.last_success,
        last_error=s.last_error,
        errors_in_row=s.errors_in_row,
        paused_reason=s.paused_reason,
        next_due=s.next_due,
        leased_by=s.leased_by if running else None,
        leased_until=s.leased_until if running else None,
        fetches=s.fetches,
        not_modified=s.not_modified,
        new_articles=s.new_articles,
        last_new_article=s.last_new_article,
        new_per_day=s.new_per_day,
    )


def source(s: StoredSource) -> SourceOut:
    return SourceOut(
        id=s.id,
        kind=s.kind,
        url=s.url,
        name=s.name,
        domain=s.domain,
        category=s.category,
        added=s.added,
        health=health(s),
        links=Links(self=f"{PREFIX}/sources/{s.id}"),
    )


def article_links(article_id: int) -> Links:
    return Links(self=f"{PREFIX}/articles/{article_id}", html=f"/article/{article_id}")


def brief(stored: StoredArticle) -> ArticleBrief:
    a = stored.article
    return ArticleBrief(
        id=stored.id,
        title=a.title,
        source=a.source or a.site_name,
        url=a.canonical_url,
        published=a.published,
        links=article_links(stored.id),
    )


def summaries(desk: Desk, page: Sequence[StoredArticle]) -> list[ArticleSummary]:
    """A page of articles as the API shows them: their copy edges and stories read in one go (two
    reads a page, not two an article: on a database across the network those were most of a list's
    cost, bench/RESULTS.md "Scale")."""
    ids = [s.id for s in page]
    ups, stories = desk.originals_of(ids), desk.story_ids_of(ids)
    return [_summary(s, ups.get(s.id), stories.get(s.id)) for s in page]


def summary(desk: Desk, stored: StoredArticle) -> ArticleSummary:
    return _summary(stored, desk.original_of(stored.id), desk.story_id_of(stored.id))


def _summary(stored: StoredArticle, up: CopyEdge | None, story_id: int | None) -> ArticleSummary:
    a = stored.article
    return ArticleSummary(
        id=stored.id,
        url=a.url,
        canonical_url=a.canonical_url,
        title=a.title,
        source=a.source,
        site_name=a.site_name,
        byline=a.byline,
        published=a.published,
        updated=a.updated,
        first_seen=stored.first_seen,
        language=a.language,
        section=a.section,
        category=a.category,
        description=a.description,
        word_count=a.word_count,
        story_id=story_id,
        copy_of=CopyOf(original_id=up.original_id, kind=up.kind, score=up.score) if up else None,
        links=article_links(stored.id),
    )


def snippet(marked: str) -> tuple[str, str]:
    """A search snippet with the store's highlight markers as plain text and as escaped HTML."""
    html = mark_snippet(marked, start="<mark>", end="</mark>", escape=lambda t: str(escape(t)))
    return plain_snippet(marked), html


def story(s: Story) -> StoryOut:
    return StoryOut(
        id=s.id,
        title=s.title,
        title_article=s.title_article,
        first_seen=s.first_seen,
        last_seen=s.last_seen,
        size=s.size,
        sources=list(s.sources),
        category=s.category,
        open=s.open,
        links=Links(self=f"{PREFIX}/stories/{s.id}", html=f"/story/{s.id}"),
    )


def decision(d: StoryDecision) -> DecisionOut:
    return DecisionOut(
        kind=d.kind.value,
        story_id=d.story_id,
        other_id=d.other_id,
        articles=list(d.articles),
        score=d.score,
        reason=d.reason,
        article_id=d.article_id,
    )


class Briefs:
    """Article briefs for copy edges, each article read once per request."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.seen: dict[int, ArticleBrief] = {}

    def __call__(self, article_id: int) -> ArticleBrief:
        if article_id not in self.seen:
            self.seen[article_id] = brief(self.desk.get_article(article_id))
        return self.seen[article_id]

    def edge(self, e: CopyEdge) -> CopyEdgeOut:
        return CopyEdgeOut(
            copy=self(e.copy_id),
            original=self(e.original_id),
            kind=e.kind,
            score=e.score,
            evidence=e.evidence,
            decided=e.decided,
        )


def related(r: RelatedArticle) -> RelatedOut:
    return RelatedOut(
        id=r.id,
        title=r.title,
        source=r.source,
        published=r.published,
        story_id=r.story_id,
        score=r.score,
        same_story=r.same_story,
        links=article_links(r.id),
    )


def entity_links(entity_id: int) -> Links:
    return Links(self=f"{PREFIX}/entities/{entity_id}", html=f"/entity/{entity_id}")


def entity(e: EntitySummary) -> EntityOut:
    return EntityOut(
        id=e.id,
        key=e.key,
        name=e.name,
        type=e.type,
        articles=e.articles,
        mentions=e.mentions,
        quotes=e.quotes,
        first_seen=e.first_seen,
        last_seen=e.last_seen,
        links=entity_links(e.id),
    )


def named_entity(e: NamedEntity) -> ArticleEntityOut:
    found = urlencode({"key": e.key})
    return ArticleEntityOut(
        key=e.key,
        name=e.name,
        type=e.type,
        mentions=[SpanOut(text=m.text, start=m.start, end=m.end) for m in e.mentions],
        links=Links(self=f"{PREFIX}/entities?{found}", html=f"/entity?{found}"),
    )


def quote(h: QuoteHit) -> QuoteOut:
    q = h.quote
    return QuoteOut(
        speaker=q.speaker,
        speaker_entity_id=h.speaker_entity_id,
        speaker_mention=q.speaker_mention,
        cue=q.cue,
        text=q.text,
        said=q.said,
        start=q.start,
        end=q.end,
        direct=q.direct,
        article=ArticleBrief(
            id=h.article_id,
            title=h.title,
            source=h.source,
            url=h.url,
            published=h.when,
            links=article_links(h.article_id),
        ),
        first_report=h.first_report,
        reports=h.reports,
        first=FirstReport(
            article_id=h.first_article_id,
            source=h.first_source,
            when=h.first_when,
            links=article_links(h.first_article_id),
        ),
        speaker_links=entity_links(h.speaker_entity_id) if h.speaker_entity_id is not None else None,
    )
