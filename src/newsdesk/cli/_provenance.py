"""The provenance commands: who copied whom (copies, originals, source-report) and retrace."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from ..model import CopyEdge
from ._output import _print_latest
from ._root import _filter_options, _filters, _State, cli, pass_state

if TYPE_CHECKING:
    # The Desk brings the whole pipeline (trafilatura, lxml, numpy, ...): a command imports it when
    # it opens one, so `newsdesk --help` and click's parsing stay light.
    from ..core import Desk


def _edge_json(edge: CopyEdge, desk: Desk) -> dict[str, Any]:
    copy = desk.get_article(edge.copy_id).article
    original = desk.get_article(edge.original_id).article
    return {
        "copy": {
            "id": edge.copy_id,
            "url": copy.canonical_url,
            "source": copy.source,
            "title": copy.title,
            "published": copy.published.isoformat() if copy.published else None,
        },
        "original": {
            "id": edge.original_id,
            "url": original.canonical_url,
            "source": original.source,
            "title": original.title,
            "published": original.published.isoformat() if original.published else None,
        },
        "kind": edge.kind.value,
        "score": edge.score,
        "evidence": edge.evidence,
    }


@cli.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--json", "as_json", is_flag=True, help="Print the copy group as JSON.")
@pass_state
def copies(state: _State, ref: str, as_json: bool) -> None:
    """Who copied whom: an article's original, every copy of it, and the evidence for each.

    Kinds: identical (same text), near (small edits, truncation), syndicated (declared by a canonical
    link or "Source link" and textually close), rewritten (reworded; names, figures and quotes kept).
    """
    with state.desk() as desk:
        found = desk.copies(ref)
        stored, group, root = found.article, found.copies, found.root_id
        edges = [_edge_json(e, desk) for e in group]
        root_article = desk.get_article(root).article
    if as_json:
        click.echo(
            json.dumps(
                {"article": stored.id, "original": root, "copies": edges}, ensure_ascii=False, indent=2
            )
        )
        return
    if not group:
        state.out.print(f"{stored.id}: no known copies of this article, and it copies nobody we know.")
        return
    state.out.print(f"[bold]Original[/bold]: {root} {escape(root_article.title)}")
    state.out.print(f"  {escape(root_article.source or '')} · {root_article.canonical_url}")
    for e in edges:
        ev = e["evidence"]
        mark = "  ← this article" if e["copy"]["id"] == stored.id else ""
        state.out.print(f"\n[bold]{e['kind']}[/bold] copy {e['copy']['id']} (score {e['score']}){mark}")
        state.out.print(f"  {escape(e['copy']['source'] or '')} · {e['copy']['url']}")
        if ev.get("declared_link"):
            state.out.print(f"  declares: {escape(ev['declared_link'])}")
        if ev.get("matched_via"):
            state.out.print(
                f"  matched through copy {ev['matched_via']['id']}: {escape(ev['matched_via']['url'])}"
            )
        state.out.print(f"  time: {escape(ev['time_order'])}")
        for key, label in (("shared_figures", "figures"), ("shared_quotes", "quotes")):
            if ev.get(key):
                state.out.print(f"  shared {label}: {escape(', '.join(map(str, ev[key][:6])))}")
        for sentence in ev.get("shared_sentences", [])[:2]:
            state.out.print(f"  shared sentence: [dim]{escape(sentence[:160])}[/dim]")


@cli.command()
@_filter_options
@click.option("-n", "--limit", default=20, show_default=True, help="How many articles.")
@pass_state
def originals(
    state: _State,
    source: str | None,
    since: str | None,
    until: str | None,
    language: str | None,
    category: str | None,
    limit: int,
) -> None:
    """List articles that copy nobody (originals), newest first within the filters."""
    with state.desk() as desk:
        items = desk.originals(_filters(source, since, until, language, category), limit=limit)
        _print_latest(state, items)


@cli.command(name="source-report")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_state
def source_report(state: _State, as_json: bool) -> None:
    """Per source: how much of what it publishes is its own, copied or rewritten, and from whom."""
    with state.desk() as desk:
        rows = desk.provenance_by_source()
    if as_json:
        click.echo(
            json.dumps(
                [dataclasses.asdict(r) for r in rows],
                indent=2,
            )
        )
        return
    table = Table(title="Provenance by source", title_justify="left")
    for col in ("source", "articles", "own", "identical", "near", "syndicated", "rewritten", "copied from"):
        table.add_column(col)
    for r in rows:
        pct = f"{r.originals} ({100 * r.originals / r.articles:.0f}%)" if r.articles else "0"
        table.add_row(
            escape(r.source),
            str(r.articles),
            pct,
            *(str(r.by_kind.get(k, 0)) for k in ("identical", "near", "syndicated", "rewritten")),
            escape(", ".join(f"{k} {v}" for k, v in r.copied_from.items())),
        )
    state.out.print(table)


@cli.command()
@pass_state
def retrace(state: _State) -> None:
    """Forget all provenance and find copies again over every stored article, in arrival order.

    For after an upgrade that changes copy detection or the fingerprint scheme (`newsdesk check`
    says so); ingest traces new articles by itself.
    """
    with state.desk() as desk:
        found = desk.retrace()
        n = len(desk.copy_edges())
    state.out.print(f"{found} relations found; {n} copy edges recorded")
