"""The site's HTML pages: the front page, stories, articles, sources and search.

Every route is a sync endpoint (Starlette runs it in its thread pool) that takes its Desk with
``reader(request)`` inside the body and calls only Desk methods; search is async and does the same
on a pool thread through ``read_until_gone``, which stops the search when the reader leaves. Each
page makes a bounded number of indexed reads (at most ``STORY_ARTICLES`` articles for a story,
``PAGE_SIZE`` per listing, a fixed window of recent stories for the front page): no page reads every
article or every story.

Unknown ids raise the Desk's lookup errors, which ``errors`` turns into the 404 error page.
Text from articles is plain text and autoescaped; nothing from a publisher is shown as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from ..core import Desk
from ..exceptions import ArticleNotFoundError, SearchQueryError, SearchTimeoutError, SourceNotFoundError
from ..model import CopyEdge, StoredArticle, Story
from ..query import http_url, parse_time, search_filters
from .deps import memo, read_until_gone, reader
from .templating import host, label, query, render
from .understood import article_context, story_context

router = APIRouter(include_in_schema=False)

#: Stories on the front page.
TOP_STORIES = 30
#: Latest articles under the top stories.
LATEST = 15
#: Articles listed per page (source pages, search results).
PAGE_SIZE = 20
#: Deepest page of a listing (offset paging: the cost grows with the page).
MAX_PAGE = 200
#: A search without filters ranks the newest this many matches (bounded cost for common words).
SEARCH_WINDOW = 5000
#: Most articles a story page lists (the newest).
STORY_ARTICLES = 200
#: Copies an article page lists (a wire story may be copied by hundreds of sites).
COPIES_SHOWN = 50
#: Source names shown with each story on the front page.
STORY_SOURCES_SHOWN = 4

_Text = Annotated[str | None, Query(max_length=200)]
_Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def _when(stored: StoredArticle) -> datetime:
    return stored.article.published or stored.first_seen


# -- the front page ------------------------------------------------------------------------------


@router.get("/")
def front(request: Request, category: _Text = None) -> Response:
    category = (category or "").strip() or None
    categories, stories, latest = memo(request, ("front", category), lambda desk: _front(desk, category))
    current = next((c for c in categories if category and c.casefold() == category.casefold()), category)
    tabs = [{"label": "All", "href": "/", "current": category is None}]
    tabs += [
        {
            "label": label(c),
            "href": "/" + query(category=label(c)),
            "current": category is not None and c.casefold() == category.casefold(),
        }
        for c in categories
    ]
    if category is not None and not any(t["current"] for t in tabs):
        tabs.append({"label": label(category), "href": "/" + query(category=category), "current": True})
    return render(
        request,
        "front.html",
        {
            "stories": stories,
            "latest": latest,
            "tabs": tabs,
            "category": label(current) if current else None,
            "sources_shown": STORY_SOURCES_SHOWN,
        },
    )


def _front(desk: Desk, category: str | None) -> tuple[list[str], list[Story], list[StoredArticle]]:
    """The front page's reads: its tabs, its top stories and the latest articles not in them."""
    categories = desk.categories()
    stories = desk.top_stories(category=category, limit=TOP_STORIES)
    shown = {s.id for s in stories if s.size > 1}
    latest = [
        a
        for a in desk.latest(LATEST + len(shown), search_filters(category=category))
        if desk.story_id_of(a.id) not in shown
    ][:LATEST]
    return categories, stories, latest


# -- a story -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coverage:
    """One article of a story as the story page lists it."""

    stored: StoredArticle
    edge: CopyEdge | None  # to its original when it is a copy
    original: StoredArticle | None  # that original


def _originals(desk: Desk, edges: dict[int, CopyEdge], known: dict[int, StoredArticle]) -> None:
    """Read the originals of ``edges`` that are not in ``known`` yet (of another story, or older
    than the articles listed)."""
    for edge in edges.values():
        if edge.original_id not in known:
            try:
                known[edge.original_id] = desk.get_article(edge.original_id)
            except ArticleNotFoundError:
                continue


@router.get("/story/{story_id}")
def story(request: Request, story_id: int) -> Response:
    desk = reader(request)
    latest = desk.story_articles(story_id, limit=STORY_ARTICLES)
    found, newest = latest.story, latest.articles
    if found.id != story_id:  # merged into another story: that one is the page
        return RedirectResponse(f"/story/{found.id}", status_code=301)
    decisions = desk.story_decisions(found.id)
    edges = {a.id: e for a in newest if (e := desk.original_of(a.id)) is not None}
    known = {a.id: a for a in newest}
    _originals(desk, edges, known)
    by_time = sorted(newest, key=lambda a: (_when(a), a.id))
    coverage = [
        Coverage(a, edges.get(a.id), known.get(edges[a.id].original_id) if a.id in edges else None)
        for a in by_time
    ]
    originals = [c for c in coverage if c.edge is None]
    copies = [c for c in coverage if c.edge is not None]
    sources: dict[str, int] = {}
    first_by_source: dict[str, StoredArticle] = {}
    for a in by_time:
        name = a.article.source or a.article.site_name or "(unknown source)"
        sources[name] = sources.get(name, 0) + 1
        first_by_source.setdefault(name, a)
    return render(
        request,
        "story.html",
        {
            "story": found,
            "originals": originals,
            "copies": copies,
            "timeline": coverage,
            "sources": sorted(sources.items(), key=lambda kv: (-kv[1], kv[0])),
            "first_by_source": first_by_source,
            "decisions": decisions,
            "shown": len(newest),
            "category": label(found.category) if found.category else None,
            **story_context(desk, found.id),
        },
    )


# -- an article ----------------------------------------------------------------------------------


#: Evidence of a copy edge that the article page names (others are listed by their key).
EVIDENCE_LISTS = {
    "shared_sentences": "Shared sentences",
    "shared_quotes": "Shared quotes",
    "shared_figures": "Shared figures",
    "credits": "Credits in the text",
}
EVIDENCE_TEXT = {
    "declared_link": "Declared source link",
    "time_order": "Time order",
    "election": "Why this one is the original",
}
EVIDENCE_MEASURES = {
    "aligned_sentences": "aligned sentences",
    "containment": "containment",
    "resemblance": "resemblance",
}


def evidence_view(evidence: dict[str, Any]) -> dict[str, Any]:
    """A copy edge's evidence arranged for the page: lists, texts, measures and the rest."""
    lists = [(EVIDENCE_LISTS[k], [str(v) for v in evidence[k]]) for k in EVIDENCE_LISTS if evidence.get(k)]
    texts = [(EVIDENCE_TEXT[k], str(evidence[k])) for k in EVIDENCE_TEXT if evidence.get(k)]
    measures = [
        (EVIDENCE_MEASURES[k], float(evidence[k]))
        for k in EVIDENCE_MEASURES
        if isinstance(evidence.get(k), int | float)
    ]
    named = {*EVIDENCE_LISTS, *EVIDENCE_TEXT, *EVIDENCE_MEASURES}
    other = []
    for k, v in evidence.items():
        if k in named or v in (None, "", [], {}):
            continue
        shown = ", ".join(str(x) for x in v) if isinstance(v, list | tuple) else str(v)
        other.append((k.replace("_", " "), shown))
    return {
        "lists": lists,
        "texts": texts,
        "measures": measures,
        "other": other,
        "declared_url": http_url(str(evidence.get("declared_link") or "")),
    }


@router.get("/article/{article_id}")
def article(request: Request, article_id: int) -> Response:
    desk = reader(request)
    found = desk.copies(article_id)
    stored, up, group = found.article, found.original, found.copies
    original = desk.get_article(up.original_id) if up is not None else None
    # Its own copies when it is an original; when it is a copy, the original's other copies.
    group_edges = [e for e in group if e.copy_id != stored.id]
    group_articles: list[tuple[CopyEdge, StoredArticle]] = []
    for e in group_edges[:COPIES_SHOWN]:
        try:
            group_articles.append((e, desk.get_article(e.copy_id)))
        except ArticleNotFoundError:
            continue
    a = stored.article
    declared = [(link.label, url) for link in a.source_links if (url := http_url(link.url)) is not None]
    story_found = desk.story_of(stored.id)
    related = desk.related(stored.id, limit=8, others=5)
    return render(
        request,
        "article.html",
        {
            "stored": stored,
            "a": a,
            "canonical": http_url(a.canonical_url) or http_url(a.url),
            "declared": declared,
            "up": up,
            "original": original,
            "original_url": http_url(original.article.canonical_url) if original else None,
            "evidence": evidence_view(up.evidence) if up is not None else None,
            "group": group_articles,
            "group_more": len(group_edges) - len(group_articles),
            "story": story_found,
            "related_same": [r for r in related if r.same_story],
            "related_other": [r for r in related if not r.same_story],
            **article_context(desk, stored.id),
        },
    )


# -- a source ------------------------------------------------------------------------------------


@router.get("/source/{name:path}")
def source(request: Request, name: str, page: _Page = 1) -> Response:
    desk = reader(request)
    articles = desk.source_articles(name, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    if not articles:
        raise SourceNotFoundError(f"{name!r} has fewer than {page} pages of articles")
    has_next = len(articles) > PAGE_SIZE
    articles = articles[:PAGE_SIZE]
    provenance = desk.source_provenance(name)
    # The feeds behind these articles: named like them, or on the site they come from (a feed's
    # name is often its title, "Metro Express - Tech", not the outlet's name on its articles).
    sites = {host(a.article.canonical_url or a.article.url) for a in articles} - {""}
    followed = [s for s in desk.sources() if s.name == name or (s.domain and s.domain in sites)]
    copies = {a.id: e for a in articles if (e := desk.original_of(a.id)) is not None}
    return render(
        request,
        "source.html",
        {
            "name": name,
            "articles": articles,
            "copies": copies,
            "page": page,
            "has_next": has_next,
            "provenance": provenance,
            "own_share": provenance.originals / provenance.articles if provenance.articles else 0.0,
            "followed": followed,
        },
    )


# -- search --------------------------------------------------------------------------------------


class _BadDateError(ValueError):
    """A date in the search form that is not one."""


def _day(value: str | None, field: str, *, end: bool = False) -> datetime | None:
    """A date from a form (``2026-03-02``, or a full ISO time); ``end``: the day after it (the
    upper bound is exclusive, so ``until`` a day includes that day)."""
    if not value or not value.strip():
        return None
    try:
        return parse_time(value, ages=False, end=end)
    except ValueError:
        raise _BadDateError(f"{field}: {value.strip()!r} is not a date (write it as YYYY-MM-DD)") from None


@router.get("/search")
async def search(
    request: Request,
    q: _Text = None,
    source: _Text = None,
    category: _Text = None,
    language: Annotated[str | None, Query(max_length=35)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    page: _Page = 1,
) -> Response:
    form = {
        "q": (q or "").strip(),
        "source": (source or "").strip(),
        "category": (category or "").strip(),
        "language": (language or "").strip(),
        "since": (since or "").strip(),
        "until": (until or "").strip(),
    }
    # Async, so that the search stops when the reader leaves (read_until_gone).
    return await read_until_gone(request, lambda desk, gone: _search_page(request, desk, gone, form, page))


def _search_page(
    request: Request, desk: Desk, gone: Callable[[], bool], form: dict[str, str], page: int
) -> Response:
    context: dict[str, Any] = {
        "form": form,
        "header_q": form["q"],
        "categories": [label(c) for c in desk.categories()],
        "hits": [],
        "page": page,
        "page_size": PAGE_SIZE,
        "window": SEARCH_WINDOW,
        "has_next": False,
        "error": None,
        "searched": False,
    }
    status = 200
    if form["q"]:
        try:
            filters = search_filters(
                source=form["source"],
                category=form["category"],
                language=form["language"],
                since=_day(form["since"], "From"),
                until=_day(form["until"], "Until", end=True),
            )
            hits = desk.search(
                form["q"],
                filters,
                limit=PAGE_SIZE + 1,
                offset=(page - 1) * PAGE_SIZE,
                window=SEARCH_WINDOW,
                cancelled=gone,
            )
        except (SearchQueryError, _BadDateError) as e:
            context["error"] = str(e)
            status = 400
        except SearchTimeoutError as e:
            context["error"] = str(e)
            status = 503
        else:
            context.update(hits=hits[:PAGE_SIZE], has_next=len(hits) > PAGE_SIZE, searched=True)
    return render(request, "search.html", context, status_code=status)
