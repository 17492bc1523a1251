"""The commands that bring articles and sources in: ingest, batch, extract, update, add, remove,
resume, import, export-opml, reextract."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..config import load_config
from ..model import Fetched, Rejected, SourceResult
from ._output import _n, _print_batch, _print_report, _print_result, _run_batch, _run_ingest
from ._root import _State, cli, pass_state


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--progress/--no-progress", default=True, help="Show a progress bar (on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="List every rejected input.")
@click.option(
    "--fetch",
    is_flag=True,
    help="Then fetch the pages the files only point to (feed entries with only a summary, sitemap "
    "URLs), politely, as `update` does; at most max_pages_per_update of them.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Extract every item again, even those stored before from the same bytes by the same "
    "newsdesk and settings (which are otherwise counted unchanged without being extracted).",
)
@pass_state
def ingest(
    state: _State,
    paths: tuple[str, ...],
    progress: bool,
    as_json: bool,
    verbose: bool,
    fetch: bool,
    force: bool,
) -> None:
    """Ingest files and folders: HTML pages, RSS/Atom feeds, OPML lists, sitemaps, JSONL records,
    WARC files (.warc, .warc.gz: their HTML and feed responses), and .gz of any of these. Folders
    are read recursively.

    Each item is stored in its own transaction; an input that cannot be read is reported and
    skipped. Ingesting the same input again changes nothing, and an item stored before from the
    same bytes is not even extracted again (--force extracts it); changed text at the same URL
    becomes a new revision.

    JSONL records carry url, title, html or text, and optionally published, source, section,
    author, language.
    """
    with state.desk() as desk:
        report = _run_ingest(state, desk, list(paths), progress, force=force)
        pages = desk.fetch_pending(report) if fetch and report.pending else None
    if as_json:
        data = report.as_dict()
        if pages is not None:
            data["pages_fetched"] = dataclasses.asdict(pages)
        click.echo(json.dumps(data, indent=2))
        return
    _print_report(state, report, verbose, fetching=fetch)
    if pages is not None:
        state.out.print(
            f"fetched {pages.fetched} pages: [bold]{pages.new}[/bold] new, {pages.updated} updated, "
            f"{pages.rejected} rejected, {pages.failed} failed"
            + (f"; {pages.skipped} left for another run (max_pages_per_update)" if pages.skipped else "")
        )


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|GLOB|URL...")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786) instead of "
    "starting one on this machine. Its workers need the same newsdesk, libraries and settings.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes of the cluster started on this machine, one thread each (default: one per core).",
)
@click.option(
    "--parquet",
    "parquet_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Also write the batch's articles, with their copy fields (original_id, copy_kind, ...) "
    "and story_id, as a Parquet dataset in DIR partitioned by day (DIR/date=YYYY-MM-DD/); a day "
    "written again is replaced.",
)
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Records of a web archive per partition (a WARC gzipped as a whole is one partition).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Extract every item again, even those stored before from the same bytes (as ingest --force).",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar (on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="List every rejected input.")
@pass_state
def batch(
    state: _State,
    inputs: tuple[str, ...],
    scheduler: str | None,
    workers: int | None,
    parquet_dir: str | None,
    chunk: int,
    force: bool,
    progress: bool,
    as_json: bool,
    verbose: bool,
) -> None:
    """Ingest many inputs on a Dask cluster: WARC and WARC.gz files, JSON Lines, HTML pages (and
    whatever else `ingest` reads), given as paths, folders, globs ("crawl/*.warc.gz", quoted) or
    URLs (file://, and s3://, https://, ... where fsspec has the backend installed).

    Workers read, extract and fingerprint the inputs in parallel (a web archive in parts of
    --chunk records); then this process stores the articles in order of publication, with their
    copies and stories, into the database (--db), as `ingest` would. Workers never write the
    database. Without --scheduler, a cluster of --workers processes starts on this machine; the
    Dask dashboard's address is printed. A worker that dies costs only the parts it held, which
    run again elsewhere.

    Running a finished batch again does no work: every item stored before from the same bytes
    is counted unchanged without being extracted. An input or record that cannot be read is
    reported with its reason and the batch goes on. Needs the batch extra: pip install
    'newsdesk[batch]'.
    """
    if scheduler and workers:
        raise click.UsageError("--workers sizes the cluster started here: leave it out with --scheduler")
    from ..batch import bokeh_missing, connect, dashboard

    with state.desk() as desk, connect(scheduler, workers) as client:
        if not as_json:
            note = ""
            if not scheduler and bokeh_missing():
                note = " (served once bokeh is installed: pip install bokeh)"
            state.err.print(f"Dask dashboard: {dashboard(client)}{note}")
        report = _run_batch(state, desk, list(inputs), client, progress, chunk=chunk, force=force)
        written = None
        if parquet_dir:
            written = desk.export("parquet", Path(parquet_dir), ids=report.ingest.article_ids, by_date=True)
    if as_json:
        data = report.as_dict()
        if parquet_dir:
            data["parquet"] = {"folder": parquet_dir, "articles": written}
        click.echo(json.dumps(data, indent=2))
        return
    _print_report(state, report.ingest, verbose)
    _print_batch(state, report)
    if parquet_dir:
        state.out.print(f"{_n(written or 0, 'article')} written to the Parquet dataset {escape(parquet_dir)}")


@cli.command(name="extract")
@click.argument("file", type=click.File("rb"))
@click.option("--url", help="The page's URL, when the page does not say it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the metadata found, then the clean text; json: the article as export writes it.",
)
@click.option(
    "--text-only",
    is_flag=True,
    help="Print only the clean text, without the metadata header (for pipes: | wc -w, | grep ...).",
)
@pass_state
def extract_cmd(state: _State, file: Any, url: str | None, fmt: str, text_only: bool) -> None:
    """Show what extraction makes of one page (FILE, or - for stdin), storing nothing.

    For debugging a page: the metadata found, the clean text, the clutter removed and the links the
    page declares as its source. A table of the article comes out a row a line, its cells separated
    by " | ". Exits 1 when the page is rejected, saying why (on stderr). The page has the budget
    ingest gives it (max_page_bytes, max_page_elements, extract_timeout).
    """
    if text_only and fmt == "json":
        raise click.UsageError("--text-only prints plain text: leave out --format json")
    cfg = load_config(config_file=state.config_file)
    body = file.read(cfg.max_input_bytes + 1)
    if len(body) > cfg.max_input_bytes:
        raise click.ClickException(f"input larger than max_input_bytes ({cfg.max_input_bytes:,})")
    from .._budget import Budget, Extractor

    # The same budget as ingest (max_page_bytes, max_page_elements, extract_timeout): a page that
    # would take minutes is refused or stopped, with the reason.
    extractor = Extractor(Budget.from_config(cfg), min_words=cfg.min_words, max_chars=cfg.max_article_chars)
    try:
        result = extractor.extract(Fetched(url=url, body=body, origin=getattr(file, "name", "-")))
    finally:
        extractor.close()
    if isinstance(result, Rejected):
        if fmt == "json":
            click.echo(
                json.dumps(
                    {"rejected": result.reason.value, "detail": result.detail, "origin": result.origin}
                )
            )
        else:
            state.err.print(f"rejected ({result.reason.value}): {escape(result.detail)}")
        sys.exit(1)
    if fmt == "json":
        from ..export import record
        from ..model import StoredArticle

        now = datetime.now(UTC)
        rec = record(StoredArticle(id=0, article=result, first_seen=now, last_seen=now, revisions=0))
        for key in ("id", "first_seen", "last_seen", "revisions"):
            rec.pop(key)
        click.echo(json.dumps(rec, ensure_ascii=False, indent=2))
        return
    a = result
    if text_only:
        click.echo(a.text)
        return
    for k, v in [
        ("title", a.title),
        ("url", a.canonical_url),
        ("site", a.site_name),
        ("byline", a.byline),
        ("published", a.published and a.published.isoformat()),
        ("updated", a.updated and a.updated.isoformat()),
        ("language", a.language),
        ("section", a.section),
        ("category", a.category),
    ]:
        if v:
            state.out.print(f"[dim]{k:>10}[/dim]  {escape(str(v))}")
    for link in a.source_links:
        state.out.print(f"[dim]{'source':>10}[/dim]  {escape(link.url)}  ({escape(link.label)})")
    for note in a.notes:
        state.out.print(f"[dim]{'note':>10}  {escape(note)}[/dim]")
    state.out.print()
    click.echo(a.text)


@cli.command()
@click.argument("url")
@click.option("--name", help="Call the source this (default: the feed's own title).")
@click.option("--category", help="File the source under this category (kept in OPML exports).")
@pass_state
def add(state: _State, url: str, name: str | None, category: str | None) -> None:
    """Add a source by URL: a feed (RSS, Atom), an OPML list (adds every feed in it), a sitemap or
    news sitemap, or an HTML page (adds the feeds it advertises with <link rel="alternate">).

    newsdesk fetches the URL once to tell which; `newsdesk update` then fetches it.

    A feed behind a password: give it as https://USER:PASSWORD@host/feed (percent-encode any "@",
    ":", "/" in it). The credentials are sent as HTTP Basic auth to that host only and kept apart
    from the URL: `sources`, `export-opml`, the API and every message show the URL without them.
    """
    with state.desk() as desk:
        found = desk.add_source(url, name=name, category=category)
    for src, new in found:
        mark = "added" if new else "already known"
        state.out.print(f"{mark}: {src.id} {src.kind} {escape(src.name or '')} {escape(src.url)}")


@cli.command()
@click.argument("refs", nargs=-1, metavar="[ID|URL]...")
@click.option("--watch", is_flag=True, help="Keep going: each source on its own schedule, until Ctrl-C.")
@click.option("--stop-after", type=float, hidden=True, help="With --watch: stop after this many seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="List every source fetched, not only failures.")
@pass_state
def update(
    state: _State, refs: tuple[str, ...], watch: bool, stop_after: float | None, as_json: bool, verbose: bool
) -> None:
    """Fetch every source that is due, once: new articles are extracted and stored; a feed entry
    with only a summary has its page fetched; an unchanged feed costs a 304.

    Give sources (ids or URLs) to fetch just those, due or not. With --watch, keep going, each
    source on its own schedule (from its TTL, Cache-Control and publishing rate; backing off on
    errors). Every fetched page and feed is archived as WARC under the data folder.
    """

    def step(result: SourceResult, done: int, total: int) -> None:
        if watch and not as_json:
            _print_result(state, result, verbose=True)

    with state.desk() as desk:
        try:
            report = desk.update(
                watch=watch, stop_after=stop_after, sources=list(refs) or None, progress=step
            )
        except KeyboardInterrupt:
            state.err.print("stopped")
            return
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    if not watch:
        for result in report.results:
            if verbose or result.error or result.paused or result.moved_to:
                _print_result(state, result, verbose)
    d = report.as_dict()
    state.out.print(
        f"{d['sources']} sources fetched ({d['not_modified']} unchanged, {d['failed']} failed): "
        f"[bold]{d['new']}[/bold] new, [bold]{d['updated']}[/bold] updated articles; "
        f"{d['pages_fetched']} pages fetched; {d['requests']} requests, {d['bytes_received']:,} bytes"
    )


@cli.command()
@click.argument("refs", nargs=-1, required=True, metavar="ID|URL...")
@pass_state
def remove(state: _State, refs: tuple[str, ...]) -> None:
    """Forget sources (by id or URL). Their articles stay."""
    with state.desk() as desk:
        for ref in refs:
            src = desk.remove_source(ref)
            state.out.print(f"removed: {src.id} {escape(src.name or '')} {escape(src.url)}")


@cli.command()
@click.argument("refs", nargs=-1, required=True, metavar="ID|URL...")
@pass_state
def resume(state: _State, refs: tuple[str, ...]) -> None:
    """Start paused sources again (due at once, their error count forgotten)."""
    with state.desk() as desk:
        for ref in refs:
            src = desk.resume_source(ref)
            state.out.print(f"resumed: {src.id} {escape(src.name or '')} {escape(src.url)}")


@cli.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@pass_state
def import_cmd(state: _State, file: str) -> None:
    """Add every feed of an OPML subscription list (as exported by feed readers).

    A damaged list (an unescaped "&", a quote inside a title, a wrong encoding) gives every outline
    that can be read; each problem is listed on its own line. Exits with 1 when not one feed could
    be read.
    """
    with state.desk() as desk:
        done = desk.import_opml(file)
    state.out.print(f"{_n(len(done.added), 'source')} added, {done.known} already known")
    for b in done.broken:
        state.out.print(f"[yellow]problem:[/yellow] {escape(b.detail)}")


@cli.command(name="export-opml")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@pass_state
def export_opml(state: _State, output: str | None) -> None:
    """Write the feeds and sitemaps as an OPML 2.0 list (to stdout, or to a file)."""
    with state.desk() as desk:
        data = desk.export_opml()
    if output:
        Path(output).write_bytes(data)
        state.err.print(f"written to {output}")
    else:
        click.echo(data.decode("utf-8"), nl=False)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_state
def reextract(state: _State, as_json: bool) -> None:
    """Run extraction again over the WARC archive of everything fetched (after an upgrade), without
    fetching anything: articles whose extraction changed get a new revision."""
    with state.desk() as desk:
        report = desk.reextract()
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        _print_report(state, report, verbose=False)
