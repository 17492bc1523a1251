"""The story commands: stories, story, related and recluster."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from ..model import DecisionKind, Story
from ._output import _n
from ._root import _parse_when, _State, cli, pass_state


def _story_json(story: Story) -> dict[str, Any]:
    data = dataclasses.asdict(story)
    for k in ("first_seen", "last_seen"):
        data[k] = data[k].isoformat() if data[k] else None
    data["sources"] = list(story.sources)
    return data


@cli.command(name="stories")
@click.option("--since", help="Last seen on or after: 2026-03-01, 2026-03-01T08:00, 3d.")
@click.option("--category", help="Only stories whose articles are mostly in this category.")
@click.option("--min-size", default=1, show_default=True, help="Only stories of at least this many articles.")
@click.option("-n", "--limit", default=30, show_default=True, help="How many stories.")
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON lines.")
@pass_state
def stories_cmd(
    state: _State, since: str | None, category: str | None, min_size: int, limit: int, as_json: bool
) -> None:
    """Stories: the articles that report one event, grouped as they arrive; newest first.

    A story's title is its most central headline; it closes a week after its last article. See one
    with `newsdesk story ID`.
    """
    with state.desk() as desk:
        found = desk.stories(since=_parse_when(since), category=category, min_size=min_size, limit=limit)
    if as_json:
        for s in found:
            click.echo(json.dumps(_story_json(s), ensure_ascii=False))
        return
    if not found:
        state.out.print("no stories")
        return
    table = Table(title=f"{len(found)} stories", title_justify="left")
    for col in ("id", "articles", "first seen", "last seen", "category", "title", "sources"):
        table.add_column(col, justify="right" if col in ("id", "articles") else "left")
    for s in found:
        table.add_row(
            str(s.id),
            str(s.size),
            s.first_seen.strftime("%Y-%m-%d %H:%M") if s.first_seen else "",
            s.last_seen.strftime("%Y-%m-%d %H:%M") if s.last_seen else "",
            s.category or "",
            escape(s.title),
            escape(", ".join(s.sources[:4]) + (" …" if len(s.sources) > 4 else "")),
        )
    state.out.print(table)


@cli.command(name="story")
@click.argument("story_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
@pass_state
def story_cmd(state: _State, story_id: int, as_json: bool) -> None:
    """One story: a timeline of its coverage, source by source, and its merges and splits."""
    with state.desk() as desk:
        found = desk.story(story_id)
    story, members, decisions = found.story, found.articles, found.decisions
    if as_json:
        data = _story_json(story)
        data["articles"] = [
            {
                "id": m.id,
                "published": m.article.published.isoformat() if m.article.published else None,
                "source": m.article.source or m.article.site_name,
                "title": m.article.title,
                "url": m.article.canonical_url,
            }
            for m in members
        ]
        data["decisions"] = [dataclasses.asdict(d) for d in decisions]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = state.out
    out.print(f"[bold]{escape(story.title)}[/bold]  (story {story.id}, {_n(story.size, 'article')})")
    out.print(
        f"category: {story.category or 'unknown'} · sources: {escape(', '.join(story.sources))}"
        + ("" if story.open else " · closed")
    )
    table = Table(title="Coverage", title_justify="left")
    for col in ("published", "source", "id", "title"):
        table.add_column(col)
    for m in members:
        a = m.article
        when = a.published or m.first_seen
        table.add_row(
            when.strftime("%Y-%m-%d %H:%M"), escape(a.source or a.site_name or ""), str(m.id), escape(a.title)
        )
    out.print(table)
    for d in decisions:
        what = "merged in" if d.kind is DecisionKind.MERGE else "split off"
        out.print(
            f"{d.kind}: story {d.other_id} {what} ({_n(len(d.articles), 'article')}; {escape(d.reason)})"
        )


@cli.command()
@click.argument("ref", metavar="ID|URL")
@click.option("-n", "--limit", default=10, show_default=True, help="How many of the same story.")
@click.option("--others", default=5, show_default=True, help="At most this many nearest of other stories.")
@click.option("--json", "as_json", is_flag=True, help="Print the related articles as JSON lines.")
@pass_state
def related(state: _State, ref: str, limit: int, others: int, as_json: bool) -> None:
    """Articles related to one: the rest of its story (central first, sources varied), then the
    nearest articles of other stories (those that score 0.05 or more: below that they share only a
    few common words)."""
    with state.desk() as desk:
        items = desk.related(ref, limit=limit, others=others)
    if as_json:
        for r in items:
            data = dataclasses.asdict(r)
            data["published"] = r.published.isoformat() if r.published else None
            click.echo(json.dumps(data, ensure_ascii=False))
        return
    if not items:
        state.out.print("nothing related (is the article in a story yet?)")
        return
    table = Table(title="Related articles", title_justify="left")
    for col in ("id", "story", "same story", "score", "source", "title"):
        table.add_column(col)
    for r in items:
        table.add_row(
            str(r.id),
            str(r.story_id),
            "yes" if r.same_story else "",
            f"{r.score:.2f}",
            escape(r.source or ""),
            escape(r.title),
        )
    state.out.print(table)


@cli.command()
@pass_state
def recluster(state: _State) -> None:
    """Forget all stories and group every stored article again from scratch, in arrival order
    (copy detection is run again with it, as ingest runs it). On the same arrival order this gives
    the same stories as ingest did."""
    with state.desk() as desk:
        n = desk.recluster()
        decisions = len(desk.story_decisions())
    state.out.print(f"{n} stories; {decisions} merges and splits recorded")
