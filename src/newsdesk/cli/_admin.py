"""The commands that look after the desk: demo, serve, stats, rejected, sources, check, compact, settings,
copy-store."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from ..config import SETTINGS, load_config, settings_markdown
from ..urls import redact_url
from ._output import (
    _ago,
    _health,
    _n,
    _print_copies,
    _print_latest,
    _print_report,
    _print_stats,
    _print_usage,
    _run_ingest,
    progress_bar,
)
from ._root import _State, cli, pass_state

if TYPE_CHECKING:
    from ..store import StoredSource


@cli.command()
@click.option("-n", "--limit", default=10, show_default=True, help="How many articles to show.")
@click.option(
    "--serve/--no-serve",
    "then_serve",
    default=False,
    help="Then serve the demo site (as `newsdesk serve`) until Ctrl-C.",
)
@click.option("--host", default=None, help="With --serve: address to listen on (setting web_host).")
@click.option("--port", type=int, default=None, help="With --serve: port (setting web_port).")
@pass_state
def demo(state: _State, limit: int, then_serve: bool, host: str | None, port: int | None) -> None:
    """Ingest the sample corpus that ships with newsdesk, then show what it holds.

    The sample is fictional (invented outlets, people and places), written for newsdesk. Run it on
    a throw-away database: newsdesk --db demo.sqlite demo --serve
    """
    from importlib import resources

    sample = resources.files("newsdesk") / "sample"
    with resources.as_file(sample) as folder, state.desk() as desk:
        state.out.print(f"[bold]Ingesting the sample corpus[/bold] from {folder}")
        state.out.print(f"into {desk.config.db}\n")
        inputs = sorted(str(p) for p in folder.iterdir() if p.name not in _SAMPLE_NOT_INPUT)
        report = _run_ingest(state, desk, inputs, True)
        _print_report(state, report, verbose=False)
        _print_stats(state, desk)
        state.out.print()
        _print_latest(state, desk.latest(limit))
        _print_copies(state, desk, limit)
        db = desk.config.db
        state.out.print(
            f'\nNext: newsdesk --db {db} search "your words"  ·  newsdesk --db {db} show ID  ·  '
            f"newsdesk --db {db} copies ID  ·  newsdesk --db {db} source-report"
        )
    if then_serve:
        _serve(state, host, port, None, access_log=False)


@cli.command()
@click.option("--host", default=None, help="Address to listen on. Setting: web_host (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port. Setting: web_port (default 8000).")
@click.option("--workers", type=int, default=None, help="Worker processes. Setting: web_workers (default 1).")
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
@pass_state
def serve(state: _State, host: str | None, port: int | None, workers: int | None, access_log: bool) -> None:
    """Serve the web site, the JSON API and the Atom feeds until Ctrl-C.

    \b
    /                  top stories, with category tabs
    /search?q=...      full-text search with filters
    /quotes?speaker=   who said what; /entities, /entity/ID: people, organisations, places
    /api/v1/...        JSON API (docs at /api/docs); writes need the web_token setting
    /feeds/...         Atom feeds: everything, per category, source, story, originals, any search

    Listens on 127.0.0.1 unless told otherwise: put it behind a reverse proxy with TLS before
    exposing it.
    """
    _serve(state, host, port, workers, access_log=access_log)


def _serve(
    state: _State, host: str | None, port: int | None, workers: int | None, *, access_log: bool
) -> None:
    try:
        from ..web.serve import run_server
    except ImportError as e:
        raise click.ClickException(
            f"the web site needs the 'web' extra ({e.name} is missing): pip install 'newsdesk[web]'"
        ) from e
    cfg = load_config(
        {"db": state.db, "web_host": host, "web_port": port, "web_workers": workers},
        config_file=state.config_file,
    )
    from ..core import open_desk

    # Create or migrate the store once here, so worker processes never race to migrate it.
    open_desk(cfg.db, config_file=state.config_file).close()
    url = f"http://{cfg.web_host if ':' not in cfg.web_host else f'[{cfg.web_host}]'}:{cfg.web_port}/"
    # Plain echo, not rich: the address must stay on one line for people and scripts to pick up.
    click.echo(f"\nServing newsdesk at {url}  (database {cfg.db}; Ctrl-C to stop)")
    click.echo(f"API docs: {url}api/docs  ·  Atom feed of everything: {url}feeds/all.atom", nl=True)
    sys.stdout.flush()
    run_server(cfg, access_log=access_log, config_file=state.config_file)


#: Files of the sample folder that describe it rather than feed it.
_SAMPLE_NOT_INPUT = {"README.md", "truth.json", "quotes.json", "__init__.py", "__pycache__"}


@cli.command()
@click.option(
    "--bytes",
    "show_bytes",
    is_flag=True,
    help="Also show the disk space each table and index takes, per article and as a multiple of "
    "the text stored (reads the whole store).",
)
@pass_state
def stats(state: _State, show_bytes: bool) -> None:
    """Counts of what the store holds: articles, revisions, categories, sources, rejections."""
    with state.desk() as desk:
        _print_stats(state, desk)
        s = desk.stats()
        usage = desk.disk_usage() if show_bytes else None
    table = Table(title="By source", title_justify="left")
    table.add_column("source")
    table.add_column("articles", justify="right")
    for k, v in s.by_source.items():
        table.add_row(escape(k), str(v))
    state.out.print(table)
    if usage is not None:
        _print_usage(state, usage)


@cli.command()
@click.option("-v", "--verbose", is_flag=True, help="List every rejected input.")
@pass_state
def rejected(state: _State, verbose: bool) -> None:
    """Inputs that did not become articles, and why (index pages, error pages, broken feeds...)."""
    with state.desk() as desk:
        items = desk.rejections()
    table = Table(title=f"{len(items)} rejected inputs", title_justify="left")
    table.add_column("reason")
    table.add_column("input")
    table.add_column("detail")
    for r in items:
        table.add_row(r.reason.value, escape(r.origin), escape(r.detail))
    state.out.print(table)


def _source_json(s: StoredSource) -> dict[str, Any]:
    data = dataclasses.asdict(s)
    for k, v in data.items():
        if isinstance(v, datetime):
            data[k] = v.isoformat()
    data["new_per_day"] = s.new_per_day
    return data


def _next(s: StoredSource, now: datetime) -> str:
    if s.paused_reason:
        return "paused"
    if s.leased_by and s.leased_until and s.leased_until > now:
        return f"updating ({s.leased_by})"
    return _ago(s.next_due, now) if s.next_due else "now"


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print every source and its state as JSON.")
@pass_state
def sources(state: _State, as_json: bool) -> None:
    """Sources newsdesk knows, with their health: last status, errors in a row, when an update last
    brought a new article, new articles per day, when each is next due, and why a paused source
    was paused (`newsdesk resume ID` starts it again)."""
    with state.desk() as desk:
        items = desk.sources()
    if as_json:
        click.echo(json.dumps([_source_json(s) for s in items], indent=2, ensure_ascii=False))
        return
    now = datetime.now(UTC)
    table = Table(title=_n(len(items), "source"), title_justify="left")
    for col in ("id", "kind", "name", "url", "health", "fetched", "last new", "new/day", "next"):
        table.add_column(col, overflow="fold")
    for s in items:
        live = s.kind in ("feed", "sitemap")
        rate = s.new_per_day
        table.add_row(
            str(s.id),
            s.kind,
            escape(s.name or ""),
            escape(s.url),
            _health(s) if live else "",
            _ago(s.last_fetched, now) if live else "",
            _ago(s.last_new_article, now) if live else "",
            f"{rate:.1f}" if rate is not None else "",
            _next(s, now) if live else "",
        )
    state.out.print(table)


@cli.command()
@click.option(
    "--repair",
    is_flag=True,
    help="First finish the articles a killed run left unfinished (trace and cluster them, in "
    "arrival order), then check.",
)
@pass_state
def check(state: _State, repair: bool) -> None:
    """Check the database's integrity (SQLite's integrity_check and the full-text index), that
    every article was finished (it has its copy-detection keys and a story; a run of an older
    newsdesk killed midway could leave one without), and that the copy index matches this
    newsdesk's fingerprint scheme (else run `newsdesk retrace`). Exit status 1 on any problem."""
    with state.desk() as desk:
        if repair:
            finished = desk.repair()
            if finished:
                state.err.print(f"finished {finished} article(s)")
        problems = desk.check()
    if problems:
        for p in problems:
            state.err.print(f"[red]problem:[/red] {escape(p)}")
        sys.exit(1)
    state.out.print("ok")


@cli.command()
@pass_state
def compact(state: _State) -> None:
    """Give back the disk space the database does not need: fold what a run left to fold, then
    write the whole file again (SQLite's VACUUM). A database made by an older newsdesk keeps the
    room its conversion freed until then. Slow for a big database, which needs that much free
    disk while it runs; nothing else may write to it meanwhile."""
    with state.desk() as desk:
        done = desk.compact()
    state.out.print(f"{done.before / 2**20:,.1f} MB -> {done.after / 2**20:,.1f} MB")


@cli.command(name="settings")
@click.option("--markdown", is_flag=True, help="Print the settings reference as Markdown.")
@pass_state
def settings_cmd(state: _State, markdown: bool) -> None:
    """Every setting, its environment variable, and its value here."""
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    cfg = load_config({"db": state.db}, config_file=state.config_file)
    table = Table()
    for col in ("setting", "environment", "value", "meaning"):
        table.add_column(col)
    for s in SETTINGS:
        table.add_row(s.name, s.env, str(getattr(cfg, s.name)), s.help)
    state.out.print(table)


@cli.command(name="copy-store")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar (on a terminal).")
@pass_state
def copy_store_cmd(state: _State, source: str, target: str, progress: bool) -> None:
    """Copy a whole desk from the store FROM into the empty store TO, whatever their kinds: a
    SQLite file (a path or sqlite:///path) or a PostgreSQL database (postgresql://user@host/db).

    Everything moves, ids kept: articles with every revision and URL, the inputs already seen,
    sources with their credentials, health and entry ids, page fetches, rejections, fingerprints
    and copy-detection keys, copy edges with their evidence and groups, stories with their
    members, sketches and decisions. TO must hold nothing yet (a new SQLite path, or a new
    database: createdb newsdesk); the copy is one transaction there, so a copy that stops leaves
    it empty. FROM is only read; stop what writes to it first (update, serve) for a copy of one
    moment. For example:

    \b
        newsdesk copy-store newsdesk.sqlite postgresql://newsdesk@db.example/newsdesk
        newsdesk copy-store postgresql://newsdesk@db.example/newsdesk back.sqlite
    """
    from ..store import copy_store, open_store

    if source == target:
        raise click.UsageError("FROM and TO are the same store")
    if "://" not in source or source.startswith("sqlite:///"):
        path = source.removeprefix("sqlite://")
        if path != ":memory:" and not Path(path).is_file():
            raise click.UsageError(f"FROM: {path} does not exist (FROM is a desk to copy)")
    src = open_store(source)
    try:
        dst = open_store(target)
        try:
            if progress and state.err.is_terminal:
                with progress_bar(state) as bar:
                    tasks: dict[str, Any] = {}

                    def step(table: str, done: int, total: int) -> None:
                        if table not in tasks:
                            tasks[table] = bar.add_task(f"copying {table}", total=total)
                        bar.update(tasks[table], completed=done)

                    copied = copy_store(src, dst, progress=step)
            else:
                copied = copy_store(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    table = Table(title=f"Copied into {redact_url(target)}", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in copied.items():
        table.add_row(name, f"{n:,}")
    state.out.print(table)
