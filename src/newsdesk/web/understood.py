"""The site's pages of understanding: the entities, one entity, the quotes, and the "Who said
what" of an article or a story (``who_said_what``, which ``pages`` uses for those two pages).

Routes are sync endpoints that take their Desk with ``reader(request)`` and call only Desk
methods, as ``pages`` does; every read is bounded (``PAGE_SIZE`` items a page, at most
``MAX_PAGE`` pages, ``QUOTES_SHOWN`` quotes on an article or story page). Quotes are third-party
text: autoescaped like everything else, never marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from .._understanding import statement_groups
from ..core import Desk
from ..exceptions import EntityNotFoundError, SearchQueryError
from ..model import NamedEntity, QuoteHit, Understanding
from .deps import reader
from .templating import render

router = APIRouter(include_in_schema=False)

#: Items a page lists (entities, quotes, an entity's articles).
PAGE_SIZE = 20
#: Deepest page of a listing (offset paging: the cost grows with the page).
MAX_PAGE = 200
#: Quotes an entity page reads (its newest), shown as statements (repeats folded), and stories.
ENTITY_QUOTES = 60
ENTITY_STORIES = 10
#: Most quotes the "Who said what" of an article or a story shows.
QUOTES_SHOWN = 100
#: Most entities an article page names.
ENTITIES_SHOWN = 40

#: The entity types, as a filter takes them and as a page names them.
ENTITY_TYPES = {
    "person": "People",
    "organisation": "Organisations",
    "place": "Places",
    "group": "Peoples and faiths",
}

_Text = Annotated[str | None, Query(max_length=200)]
_Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


# -- who said what -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Speaker:
    """One speaker's quotes as "Who said what" lists them: ``entity_id`` when the speaker is an
    entity of the desk (its page is linked), ``name`` None for quotes attributed to nobody named."""

    name: str | None
    entity_id: int | None
    hits: list[QuoteHit]


def who_said_what(hits: list[QuoteHit]) -> list[Speaker]:
    """Quotes by speaker, speakers in the order they first speak, unattributed quotes last."""
    speakers: dict[tuple[int | None, str | None], Speaker] = {}
    for h in hits[:QUOTES_SHOWN]:
        name = h.quote.speaker
        key = (h.speaker_entity_id, None if h.speaker_entity_id is not None else name)
        if key not in speakers:
            speakers[key] = Speaker(name, h.speaker_entity_id, [])
        speakers[key].hits.append(h)
    found = list(speakers.values())
    return [s for s in found if s.name or s.entity_id] + [s for s in found if not (s.name or s.entity_id)]


@dataclass(frozen=True, slots=True)
class Statement:
    """Words quoted by one or more articles: ``hit`` is their first report among them (else the
    oldest), ``others`` the articles that repeat them."""

    hit: QuoteHit
    others: list[QuoteHit]


def statements(hits: list[QuoteHit]) -> list[Statement]:
    """Quotes (newest first) folded into statements, in the order their newest repeat comes."""
    found = []
    for group in statement_groups(hits).values():
        lead = next((h for h in group if h.first_report), group[-1])
        found.append(Statement(lead, [h for h in group if h is not lead]))
    return found


def named(found: Understanding | None) -> list[tuple[str, list[NamedEntity]]]:
    """An article's entities by type (people, organisations, places, peoples and faiths), the most
    mentioned first."""
    if found is None:
        return []
    ranked = sorted(found.entities, key=lambda e: (-len(e.mentions), e.name))[:ENTITIES_SHOWN]
    return [(label, [e for e in ranked if e.type == kind]) for kind, label in ENTITY_TYPES.items()] + [
        ("Others", [e for e in ranked if e.type not in ENTITY_TYPES])
    ]


def filed(found: Understanding | None) -> str | None:
    """How an article came under its category: "filed by its source", or "filed by newsdesk
    (learned, 87 %)"; None when the desk does not know."""
    if found is None or found.category_basis is None:
        return None
    if found.category_basis == "section":
        return "filed by its source"
    if found.category_confidence is not None:
        return f"filed by newsdesk (learned, {round(100 * found.category_confidence)} %)"
    return "filed by newsdesk (learned)"


def article_context(desk: Desk, article_id: int) -> dict[str, Any]:
    """What the article page adds about its understanding."""
    found = desk.understanding(article_id)
    return {
        "speakers": who_said_what(desk.article_quotes(article_id)),
        "named": [(label, items) for label, items in named(found) if items],
        "filed": filed(found),
    }


def story_context(desk: Desk, story_id: int) -> dict[str, Any]:
    """What the story page adds: its statements (each once, as first reported) by speaker."""
    return {"speakers": who_said_what(desk.story_quotes(story_id, limit=QUOTES_SHOWN * 5))}


# -- the entities --------------------------------------------------------------------------------


@router.get("/entities")
def entities(request: Request, type: _Text = None, q: _Text = None, page: _Page = 1) -> Response:
    kind = (type or "").strip().lower() or None
    words = (q or "").strip()
    if kind is not None and kind not in ENTITY_TYPES:
        kind = None
    found = reader(request).entities(
        type=kind, query=words or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    tabs = [{"label": "All", "type": None, "current": kind is None}] + [
        {"label": label, "type": k, "current": kind == k} for k, label in ENTITY_TYPES.items()
    ]
    return render(
        request,
        "entities.html",
        {
            "entities": found[:PAGE_SIZE],
            "has_next": len(found) > PAGE_SIZE,
            "page": page,
            "page_size": PAGE_SIZE,
            "form": {"type": kind, "q": words},
            "tabs": tabs,
            "kind_label": ENTITY_TYPES.get(kind or "", "People, organisations, places, peoples and faiths"),
        },
    )


@router.get("/entity")
def entity_by_key(request: Request, key: Annotated[str, Query(min_length=3, max_length=300)]) -> Response:
    """An article's entity, by the key the article names it with: on to its page."""
    found = reader(request).entity_by_key(key)
    return RedirectResponse(f"/entity/{found.id}", status_code=302)


@router.get("/entity/{entity_id}")
def entity(request: Request, entity_id: int, page: _Page = 1) -> Response:
    desk = reader(request)
    found = desk.entity(entity_id)
    articles = desk.entity_articles(found.id, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return render(
        request,
        "entity.html",
        {
            "entity": found,
            "kind": {
                "person": "Person",
                "organisation": "Organisation",
                "place": "Place",
                "group": "People or faith",
            }.get(found.type, found.type),
            "said": statements(desk.quotes(speaker=found.id, limit=ENTITY_QUOTES)) if page == 1 else [],
            "stories": desk.entity_stories(found.id, limit=ENTITY_STORIES) if page == 1 else [],
            "articles": articles[:PAGE_SIZE],
            "has_next": len(articles) > PAGE_SIZE,
            "page": page,
        },
    )


# -- the quotes ----------------------------------------------------------------------------------


@router.get("/quotes")
def quotes(request: Request, speaker: _Text = None, q: _Text = None, page: _Page = 1) -> Response:
    form = {"speaker": (speaker or "").strip(), "q": (q or "").strip()}
    desk = reader(request)
    context: dict[str, Any] = {
        "form": form,
        "hits": [],
        "has_next": False,
        "page": page,
        "page_size": PAGE_SIZE,
        "error": None,
        "speaker": None,
    }
    status = 200
    try:
        if form["speaker"]:
            context["speaker"] = desk.entity(form["speaker"])
        hits = desk.quotes(
            speaker=context["speaker"].id if context["speaker"] else None,
            query=form["q"] or None,
            statements=True,
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )
    except EntityNotFoundError as e:
        context["error"], status = str(e).split(" (see", 1)[0], 404
    except SearchQueryError as e:
        context["error"], status = str(e), 400
    else:
        context.update(hits=hits[:PAGE_SIZE], has_next=len(hits) > PAGE_SIZE)
    return render(request, "quotes.html", context, status_code=status)
