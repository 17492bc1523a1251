"""The understanding commands: entities, entity, quotes and reunderstand."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from .._understanding import statement_groups
from ..model import ENTITY_TYPES, EntitySummary, QuoteHit
from ._output import _n, progress_bar
from ._root import _parse_when, _State, cli, pass_state


def _day(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when else ""


def _date(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d") if when else ""


def entity_json(e: EntitySummary) -> dict[str, Any]:
    data = dataclasses.asdict(e)
    for k in ("first_seen", "last_seen"):
        data[k] = data[k].isoformat() if data[k] else None
    return data


def quote_json(h: QuoteHit) -> dict[str, Any]:
    q = h.quote
    return {
        "speaker": q.speaker,
        "speaker_entity_id": h.speaker_entity_id,
        "speaker_mention": q.speaker_mention,
        "cue": q.cue,
        "text": q.text,
        "said": q.said,
        "start": q.start,
        "end": q.end,
        "direct": q.direct,
        "article_id": h.article_id,
        "title": h.title,
        "url": h.url,
        "source": h.source,
        "when": h.when.isoformat() if h.when else None,
        "first_report": h.first_report,
        "first_article_id": h.first_article_id,
        "first_source": h.first_source,
        "first_when": h.first_when.isoformat() if h.first_when else None,
        "reports": h.reports,
    }


def _first_note(h: QuoteHit) -> str:
    """``first reported by OUTLET (article N)`` when this article is not the statement's first,
    and ``N articles carry it`` when others repeat it."""
    note = "" if h.reports < 2 else f" · {h.reports} articles carry it"
    if h.first_report:
        return note
    first = escape(h.first_source or "an unknown source")
    return f" · first reported by {first} (article {h.first_article_id}){note}"


def _print_quotes(state: _State, hits: list[QuoteHit], *, speaker: bool = True) -> None:
    out = state.out
    for h in hits:
        who = escape(h.quote.speaker or h.quote.speaker_mention or "unattributed")
        ref = f" (entity {h.speaker_entity_id})" if h.speaker_entity_id is not None else ""
        words = escape(h.quote.said)
        out.print(f"{f'[bold]{who}[/bold]{ref} {escape(h.quote.cue)}: ' if speaker else ''}{words}")
        out.print(
            f"   [dim]{escape(h.source or '')} · {_day(h.when)} · article {h.article_id}: "
            f"{escape(h.title)}{_first_note(h)}[/dim]"
        )


@cli.command(name="entities")
@click.option(
    "--type",
    "kind",
    type=click.Choice(ENTITY_TYPES),
    help="Only people, organisations, places or groups (peoples, nationalities, faiths).",
)
@click.option("--since", help="Named by an article seen on or after: 2026-03-01, 2026-03-01T08:00, 3d.")
@click.option("-q", "--query", help="Only entities whose name holds these words.")
@click.option("-n", "--limit", default=30, show_default=True, help="How many entities.")
@click.option("--offset", default=0, help="Skip this many entities (paging).")
@click.option("--json", "as_json", is_flag=True, help="Print the entities as JSON lines.")
@pass_state
def entities_cmd(
    state: _State,
    kind: str | None,
    since: str | None,
    query: str | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """People, organisations and places the articles name, the most named first.

    See one with `newsdesk entity NAME|ID`, and what it said with `newsdesk quotes --speaker`.
    """
    with state.desk() as desk:
        found = desk.entities(type=kind, since=_parse_when(since), query=query, limit=limit, offset=offset)
    if as_json:
        for e in found:
            click.echo(json.dumps(entity_json(e), ensure_ascii=False))
        return
    if not found:
        state.out.print("no entities")
        return
    table = Table(title=f"{len(found)} {'entity' if len(found) == 1 else 'entities'}", title_justify="left")
    for col in ("id", "type", "name", "articles", "mentions", "quotes", "first seen", "last seen"):
        table.add_column(col, justify="right" if col in ("id", "articles", "mentions", "quotes") else "left")
    for e in found:
        table.add_row(
            str(e.id),
            e.type,
            escape(e.name),
            str(e.articles),
            str(e.mentions),
            str(e.quotes),
            _date(e.first_seen),
            _date(e.last_seen),
        )
    state.out.print(table)


@cli.command(name="entity")
@click.argument("ref", metavar="NAME|ID")
@click.option("-n", "--limit", default=10, show_default=True, help="How many quotes, stories and articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the entity as JSON.")
@pass_state
def entity_cmd(state: _State, ref: str, limit: int, as_json: bool) -> None:
    """One person, organisation or place: what the desk knows of it, its latest quotes, its
    stories and the articles that name it (newest first).

    NAME is matched as `newsdesk entities -q` matches: the exact name first, then the most named
    entity whose name holds it.
    """
    with state.desk() as desk:
        e = desk.entity(ref)
        said = desk.quotes(speaker=e.id, limit=limit)
        stories = desk.entity_stories(e.id, limit=limit)
        articles = desk.entity_articles(e.id, limit=limit)
    if as_json:
        data = entity_json(e)
        # "quotes" and "articles" are its counts: the lists are the newest of each.
        data["latest_quotes"] = [quote_json(h) for h in said]
        data["stories"] = [{"id": s.id, "title": s.title, "size": s.size} for s in stories]
        data["latest_articles"] = [
            {
                "id": a.id,
                "title": a.article.title,
                "source": a.article.source or a.article.site_name,
                "published": a.article.published.isoformat() if a.article.published else None,
                "url": a.article.canonical_url,
            }
            for a in articles
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = state.out
    out.print(f"[bold]{escape(e.name)}[/bold]  ({e.type}, entity {e.id})")
    out.print(
        f"named in {_n(e.articles, 'article')} ({_n(e.mentions, 'mention')}), speaker of "
        f"{_n(e.quotes, 'quote')}; first seen {_day(e.first_seen) or 'never'}, "
        f"last seen {_day(e.last_seen) or 'never'}"
    )
    if said:
        out.print("\n[bold]Quotes[/bold] (newest first; words repeated by other articles once)")
        for group in statement_groups(said).values():
            first = next((h for h in group if h.first_report), group[-1])
            _print_quotes(state, [first], speaker=False)
            others = [h for h in group if h is not first]
            if others:
                also = ", ".join(f"{escape(h.source or '?')} ({h.article_id})" for h in others)
                out.print(f"   [dim]also reported by {also}[/dim]")
    if stories:
        out.print("\n[bold]Stories[/bold]")
        for s in stories:
            out.print(f"{s.id:>6}  {escape(s.title)}  ({_n(s.size, 'article')})")
    if articles:
        out.print("\n[bold]Articles[/bold] (newest first)")
        for a in articles:
            when = a.article.published or a.first_seen
            out.print(
                f"{a.id:>6}  {_day(when)}  {escape(a.article.source or a.article.site_name or '')}: "
                f"{escape(a.article.title)}"
            )


@cli.command(name="quotes")
@click.argument("query", required=False)
@click.option("--speaker", metavar="NAME|ID", help="Only what this person or organisation said.")
@click.option("-n", "--limit", default=20, show_default=True, help="How many quotes.")
@click.option("--offset", default=0, help="Skip this many quotes (paging).")
@click.option(
    "--every-report",
    is_flag=True,
    help="List every article's repeat of the same words, not each statement once.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the quotes as JSON lines.")
@pass_state
def quotes_cmd(
    state: _State,
    query: str | None,
    speaker: str | None,
    limit: int,
    offset: int,
    every_report: bool,
    as_json: bool,
) -> None:
    """Who said what: statements, newest first, with their speakers and articles.

    QUERY searches the quoted words (as `newsdesk search` reads a query). A quote repeated by
    copies and other outlets is one statement, listed once as its earliest matching report, with
    the outlet that reported it first and how many articles carry it (`--every-report` lists
    each repeat).
    """
    with state.desk() as desk:
        hits = desk.quotes(
            speaker=speaker, query=query, statements=not every_report, limit=limit, offset=offset
        )
    if as_json:
        for h in hits:
            click.echo(json.dumps(quote_json(h), ensure_ascii=False))
        return
    if not hits:
        state.out.print("no quotes")
        return
    _print_quotes(state, hits)


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Every article, not only those understood before.")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar (on a terminal).")
@pass_state
def reunderstand(state: _State, everything: bool, progress: bool) -> None:
    """Find entities, quotes and categories again in stored articles, after an upgrade.

    Without --all, only the articles understood by another version of newsdesk (or never): a run
    that was stopped or killed picks up where it stopped. With --all, every article from scratch.
    Articles filed under a category their source did not declare are filed again.
    """
    with state.desk() as desk:
        if progress and desk.config.progress and state.err.is_terminal:
            with progress_bar(state) as bar:
                task = bar.add_task("understanding", total=None)

                def step(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                n = desk.reunderstand(everything=everything, progress=step)
        else:
            n = desk.reunderstand(everything=everything)
    state.out.print(f"{_n(n, 'article')} understood")
