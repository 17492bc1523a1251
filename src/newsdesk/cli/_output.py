"""How the commands print for people: rich tables and summary lines, shared by the command groups."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from ..model import (
    BatchReport,
    BatchStage,
    BatchStep,
    Health,
    IngestReport,
    Rejected,
    SourceResult,
    StoredArticle,
)
from ..query import source_health

if TYPE_CHECKING:
    from distributed import Client
    from rich.progress import Progress

    # The Desk brings the whole pipeline (trafilatura, lxml, numpy, ...): a command imports it when
    # it opens one, so `newsdesk --help` and click's parsing stay light.
    from ..core import Desk
    from ..store import DiskUsage, StoredSource
    from ._root import _State


_BROKEN_SHOWN = 10


def _n(count: int, noun: str) -> str:
    """ "1 article", "2 articles": counts read as English."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _print_report(state: _State, report: IngestReport, verbose: bool, *, fetching: bool = False) -> None:
    out = state.out
    out.print(
        f"[bold]{report.new}[/bold] new, [bold]{report.updated}[/bold] updated, "
        f"[bold]{report.unchanged}[/bold] unchanged"
        + (f", {report.older} older revisions kept" if report.older else "")
        + f", [bold]{len(report.rejected)}[/bold] rejected, "
        f"[bold]{len(report.broken)}[/bold] broken inputs"
    )
    if report.copies_found:
        out.print(
            f"{report.copies_found} copy relations found (see `newsdesk copies ID`, `newsdesk source-report`)"
        )
    if report.sources_found:
        out.print(f"{report.sources_found} new sources remembered (see `newsdesk sources`)")
    if report.summary_covered or report.summary_pending:
        out.print(
            f"feed entries with only a summary, and sitemap URLs: {report.summary_covered} have their "
            f"page stored, {len(report.summary_pending)} need their page fetched"
            + (
                " (run again with --fetch to fetch them now)"
                if report.summary_pending and not fetching
                else ""
            )
        )
    if report.rejected:
        reasons: dict[str, list[Rejected]] = {}
        for r in report.rejected:
            reasons.setdefault(r.reason.value, []).append(r)
        table = Table(title="Rejected (not stored as articles)", title_justify="left")
        table.add_column("reason")
        table.add_column("count", justify="right")
        table.add_column("example")
        for reason, items in sorted(reasons.items()):
            ex = items[0]
            table.add_row(reason, str(len(items)), escape(f"{ex.origin}: {ex.detail}"))
        out.print(table)
        if verbose:
            for r in report.rejected:
                out.print(f"  {r.reason.value:<14} {escape(r.origin)}: {escape(r.detail)}")
    shown = report.broken if verbose else report.broken[:_BROKEN_SHOWN]
    for b in shown:
        out.print(f"[yellow]broken:[/yellow] {escape(b.origin)}: {escape(b.detail)}")
    if len(report.broken) > len(shown):
        out.print(f"… and {len(report.broken) - len(shown)} more broken inputs (-v, or `newsdesk rejected`)")


def _print_copies(state: _State, desk: Desk, limit: int) -> None:
    """Who copied whom, newest copies first: the part of the demo no plain reader shows."""
    edges = desk.copy_edges()
    if not edges:
        return
    table = Table(title=f"Who copied whom ({len(edges)} copies found)", title_justify="left")
    for col in ("copy", "copied by", "kind", "original", "from", "evidence"):
        table.add_column(col)
    for e in sorted(edges, key=lambda e: e.copy_id, reverse=True)[:limit]:
        copy = desk.get_article(e.copy_id).article
        original = desk.get_article(e.original_id).article
        ev = e.evidence
        why = "declared link" if ev.get("declared_link") else f"{int(100 * e.score)}% match"
        if "BEFORE" in ev.get("time_order", ""):
            why += "; published before its original"
        table.add_row(
            str(e.copy_id),
            escape(copy.source or ""),
            e.kind.value,
            str(e.original_id),
            escape(original.source or ""),
            escape(why),
        )
    state.out.print(table)


def _print_stats(state: _State, desk: Desk) -> None:
    s = desk.stats()
    state.out.print(
        f"\n[bold]The store[/bold]: {_n(s.articles, 'article')} ({_n(s.revisions, 'revision')}) from "
        f"{_n(len(s.by_source), 'source')}; {_n(s.rejections, 'input')} rejected"
    )
    cats = ", ".join(f"{k} {v}" for k, v in s.by_category.items())
    state.out.print(f"by category: {cats}")


def _print_latest(state: _State, items: list[StoredArticle]) -> None:
    table = Table(title="Latest articles", title_justify="left")
    table.add_column("id", justify="right")
    table.add_column("published")
    table.add_column("source")
    table.add_column("category")
    table.add_column("title")
    for s in items:
        a = s.article
        table.add_row(
            str(s.id),
            a.published.strftime("%Y-%m-%d %H:%M") if a.published else "",
            escape(a.source or ""),
            a.category or a.section or "",
            escape(a.title),
        )
    state.out.print(table)


def _print_usage(state: _State, usage: DiskUsage) -> None:
    """Disk use by area, then by table and index: bytes, bytes per article, and × the text."""

    def row(label: str, size: int) -> list[str]:
        each = usage.per_article(size)
        times = usage.to_text(size)
        return [
            label,
            f"{size / 2**20:,.2f}",
            "-" if each is None else f"{each:,.0f}",
            "-" if times is None else f"{times:.2f}",
        ]

    def table(title: str, first: str) -> Table:
        t = Table(title=title, title_justify="left")
        t.add_column(first)
        for col in ("MB", "bytes per article", "× text"):
            t.add_column(col, justify="right")
        return t

    out = state.out
    text_each = usage.per_article(usage.text_bytes)
    out.print(
        f"\n[bold]Disk use[/bold]: {usage.file_bytes / 2**20:,.2f} MB in the file "
        f"({usage.free_bytes / 2**20:,.2f} MB of it free pages) for {_n(usage.articles, 'article')} "
        f"holding {usage.text_bytes / 2**20:,.2f} MB of text (title and text, UTF-8"
        + ("" if text_each is None else f"; {text_each:,.0f} bytes an article")
        + ")"
    )
    if not usage.objects:
        out.print(
            "This SQLite has no dbstat table (built without SQLITE_ENABLE_DBSTAT_VTAB): "
            "only the totals are known."
        )
        total = usage.file_bytes - usage.free_bytes
        t = table("In all", "")
        t.add_row(*row("pages in use", total))
        out.print(t)
        return
    areas = table("By area", "area")
    for area, size in usage.by_area().items():
        areas.add_row(*row(area.value, size))
    areas.add_row(*row("[bold]all[/bold]", sum(o.bytes for o in usage.objects)))
    out.print(areas)
    objects = table("By table and index", "table or index")
    objects.add_column("index of")
    objects.add_column("area")
    for o in usage.objects:
        objects.add_row(*row(escape(o.name), o.bytes), escape(o.table) if o.index else "", o.area.value)
    out.print(objects)


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = (now - when).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 90:
        text = f"{seconds:.0f}s"
    elif seconds < 5400:
        text = f"{seconds / 60:.0f}m"
    elif seconds < 172_800:
        text = f"{seconds / 3600:.0f}h"
    else:
        text = f"{seconds / 86_400:.0f}d"
    return f"in {text}" if future else f"{text} ago"


def _health(s: StoredSource) -> str:
    health = source_health(s)
    if health is Health.PAUSED:
        return f"[red]paused[/red]: {escape(s.paused_reason or '')}"
    if health is Health.NEVER_FETCHED:
        return "not fetched yet"
    if health is Health.FAILING:
        return f"[yellow]failing[/yellow] ({s.errors_in_row} in a row): {escape(s.last_error or '')}"
    return f"[green]ok[/green] ({s.last_status})"


def _print_result(state: _State, r: SourceResult, verbose: bool) -> None:
    who = escape(r.name or r.url)
    if r.error:
        state.out.print(f"[yellow]failed[/yellow] {r.source_id} {who}: {escape(r.error)}")
    elif verbose:
        what = "unchanged (304)" if r.not_modified else f"{r.new} new, {r.updated} updated"
        state.out.print(f"ok {r.source_id} {who}: {what}")
    if r.moved_to:
        state.out.print(f"moved {r.source_id} {who} -> {escape(r.moved_to)}")
    if r.paused:
        state.out.print(f"[red]paused[/red] {r.source_id} {who}: {escape(r.paused)}")


def progress_bar(state: _State) -> Progress:
    """The bar long commands draw on stderr (a task a line, done of total, time so far), gone
    when the work is."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=state.err,
        transient=True,
    )


def _run_ingest(
    state: _State, desk: Desk, paths: list[str], show_progress: bool, *, force: bool = False
) -> IngestReport:
    use_bar = show_progress and desk.config.progress and state.err.is_terminal
    if not use_bar:
        return desk.ingest(paths, force=force)
    with progress_bar(state) as bar:
        task = bar.add_task("ingesting", total=None)

        def step(path: Path, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"ingesting {path.name}")

        return desk.ingest(paths, progress=step, force=force)


def _run_batch(
    state: _State,
    desk: Desk,
    inputs: list[str],
    client: Client,
    show_progress: bool,
    *,
    chunk: int,
    force: bool,
) -> BatchReport:
    from ..batch import run_batch

    use_bar = show_progress and desk.config.progress and state.err.is_terminal
    if not use_bar:
        return run_batch(desk, inputs, client, chunk_records=chunk, force=force)
    with progress_bar(state) as bar:
        labels = {BatchStage.PREPARE: "extracting (parts)", BatchStage.STORE: "storing (items)"}
        tasks = {stage: bar.add_task(label, total=None) for stage, label in labels.items()}

        def step(s: BatchStep) -> None:
            bar.update(tasks[s.stage], completed=s.done, total=s.total)

        return run_batch(desk, inputs, client, chunk_records=chunk, force=force, progress=step)


def _print_batch(state: _State, r: BatchReport) -> None:
    """What the cluster did, and what each half cost."""
    per = f" ({1000 * r.prepare_seconds / r.extracted:.0f} ms a document)" if r.extracted else ""
    state.out.print(
        f"{_n(r.inputs, 'input')} in {_n(r.partitions, 'part')} on {_n(r.workers, 'worker')}: "
        f"{_n(r.documents, 'document')} read, [bold]{r.known}[/bold] known before (not extracted), "
        f"[bold]{r.extracted}[/bold] extracted; {r.prepare_seconds:.1f}s on the workers{per}, "
        f"{r.store_seconds:.1f}s storing, {r.seconds:.1f}s in all"
    )
