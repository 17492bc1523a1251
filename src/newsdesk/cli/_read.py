"""The commands that read articles back: search, show, latest, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape

from ..query import mark_snippet, plain_snippet
from ._output import _n, _print_latest
from ._root import _filter_options, _filters, _State, cli, pass_state


@cli.command()
@click.argument("query")
@_filter_options
@click.option("-n", "--limit", default=20, show_default=True, help="How many results.")
@click.option("--offset", default=0, help="Skip this many results (paging).")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON lines.")
@pass_state
def search(
    state: _State,
    query: str,
    source: str | None,
    since: str | None,
    until: str | None,
    language: str | None,
    category: str | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Full-text search over titles and texts, best matches first, with highlighted snippets.

    QUERY uses SQLite FTS5 syntax: words (all must match), "exact phrases", OR, NOT, prefix*.
    Anything else is searched as plain words. A query in Chinese, Japanese, Korean or Thai is
    searched as strings inside the text (no spaces needed), with AND, OR, NOT and "quotes".
    A search stops after search_timeout seconds (NEWSDESK_SEARCH_TIMEOUT).
    """
    with state.desk() as desk:
        hits = desk.search(
            query, _filters(source, since, until, language, category), limit=limit, offset=offset
        )
    if as_json:
        for h in hits:
            click.echo(
                json.dumps(
                    {
                        "id": h.id,
                        "url": h.url,
                        "title": h.title,
                        "source": h.source,
                        "published": h.published.isoformat() if h.published else None,
                        "category": h.section,
                        "language": h.language,
                        "snippet": plain_snippet(h.snippet),
                        "rank": h.rank,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not hits:
        state.out.print("no matches")
        return
    for h in hits:
        when = h.published.strftime("%Y-%m-%d") if h.published else "undated"
        state.out.print(f"[bold]{h.id:>5}[/bold]  [bold]{escape(h.title)}[/bold]")
        state.out.print(f"       {escape(h.source or '')} · {when} · {h.section or ''} · {h.url}")
        snippet = mark_snippet(h.snippet, start="[reverse]", end="[/reverse]", escape=escape)
        state.out.print(f"       {snippet}\n")


@cli.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.option("--revisions", is_flag=True, help="Also list the article's earlier texts.")
@pass_state
def show(state: _State, ref: str, as_json: bool, revisions: bool) -> None:
    """Show one stored article by id or by URL (canonical or page URL)."""
    from ..export import record

    with state.desk() as desk:
        stored = desk.get_article(ref)
        revs = desk.revisions(stored.id) if revisions else []
        found = desk.understanding(stored.id) if as_json else None
    if as_json:
        rec = record(stored, understanding=found)
        if revisions:
            rec["revision_history"] = [
                {
                    "revision": r.revision,
                    "title": r.title,
                    "stored": r.stored.isoformat(),
                    "updated": r.updated.isoformat() if r.updated else None,
                    "current": r.current,
                    "text": r.text,
                }
                for r in revs
            ]
        click.echo(json.dumps(rec, ensure_ascii=False, indent=2))
        return
    a = stored.article
    out = state.out
    out.print(f"[bold]{escape(a.title)}[/bold]")
    meta = [
        ("id", str(stored.id)),
        ("url", a.url),
        ("canonical", a.canonical_url),
        ("source", a.source or ""),
        ("byline", a.byline or ""),
        ("published", a.published.isoformat() if a.published else ""),
        ("updated", a.updated.isoformat() if a.updated else ""),
        ("language", a.language or ""),
        ("section", f"{a.section or ''} (category: {a.category or 'unknown'})"),
        ("revisions", str(stored.revisions)),
    ]
    for k, v in meta:
        if v:
            out.print(f"[dim]{k:>10}[/dim]  {escape(v)}")
    for link in a.source_links:
        out.print(f"[dim]{'source':>10}[/dim]  {escape(link.url)}  ({escape(link.label)})")
    for note in a.notes:
        out.print(f"[dim]{'note':>10}  {escape(note)}[/dim]")
    out.print()
    for para in a.text.split("\n"):
        out.print(escape(para) + "\n")
    for r in revs:
        mark = "current" if r.current else "earlier"
        out.print(
            f"[dim]revision {r.revision} ({mark}), stored {r.stored.isoformat()}: "
            f"{escape(r.title)} — {len(r.text.split())} words[/dim]"
        )


@cli.command()
@_filter_options
@click.option("-n", "--limit", default=20, show_default=True, help="How many articles.")
@pass_state
def latest(
    state: _State,
    source: str | None,
    since: str | None,
    until: str | None,
    language: str | None,
    category: str | None,
    limit: int,
) -> None:
    """List the most recently published articles."""
    with state.desk() as desk:
        _print_latest(state, desk.latest(limit, _filters(source, since, until, language, category)))


@cli.command(name="export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "parquet"]),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (required for parquet; JSONL goes to stdout without it).",
)
@_filter_options
@pass_state
def export_cmd(
    state: _State,
    fmt: str,
    output: str | None,
    source: str | None,
    since: str | None,
    until: str | None,
    language: str | None,
    category: str | None,
) -> None:
    """Export every stored field of every article, as JSON Lines or Parquet.

    Fields: id, url, canonical_url, source, site_name, title, byline, published, updated, fetched,
    first_seen, last_seen, language, section, category, tags, source_links, description, text,
    word_count, revisions, entry_id, origin, notes, original_id, original_url, copy_kind, copy_score,
    story_id, quotes (speaker, speaker_mention, cue, text, said: without the narration inside,
    start, end, direct, speaker_key, statement: the same for the same words quoted anywhere),
    entities (key: the same entity in every article, name, type, mentions).
    """
    if fmt == "parquet" and not output:
        raise click.UsageError("Parquet needs a file: add -o FILE.parquet")
    filters = _filters(source, since, until, language, category)
    with state.desk() as desk:
        if output:
            n = desk.export(fmt, Path(output), filters)
            state.err.print(f"{_n(n, 'article')} written to {output}")
        else:
            desk.export(fmt, sys.stdout, filters)
