"""The ``newsdesk`` command: a thin front end over the Desk.

Every command opens the desk, calls one or two of its methods and prints the result (rich tables for
people, ``--json`` for programs). Errors newsdesk raises on purpose become one line on stderr and exit
status 1; usage errors exit 2, as click does.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..config import SETTINGS, load_config, settings_markdown
from ..exceptions import NewsdeskError
from ..model import (
    SearchFilters,
)
from ..query import parse_time, search_filters
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
)

if TYPE_CHECKING:
    # The Desk brings the whole pipeline (trafilatura, lxml, numpy, ...): a command imports it when
    # it opens one, so `newsdesk --help` and click's parsing stay light.
    from ..core import Desk
    from ..store import StoredSource


def _parse_when(value: str | None) -> datetime | None:
    """ISO dates and times ("2026-03-01", "2026-03-01T08:00") or ages ("12h", "3d", "2w")."""
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: give a date (2026-03-01), a time (2026-03-01T08:00) or an age (12h, 3d, 2w)"
        ) from None


class _State:
    def __init__(self, db: str | None, config_file: str | None) -> None:
        self.db = db
        self.config_file = config_file
        self.out = Console(highlight=False, soft_wrap=False)
        self.err = Console(stderr=True, highlight=False)

    @contextmanager
    def desk(self) -> Iterator[Desk]:
        from ..core import open_desk

        with open_desk(self.db, config_file=self.config_file) as desk:
            yield desk


pass_state = click.make_pass_decorator(_State)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """click's --version, reading the installed version only when asked (importlib.metadata is
    slow to import)."""
    if not value or ctx.resilient_parsing:
        return
    from .._version import installed_version

    click.echo(f"newsdesk, version {installed_version()}")
    ctx.exit()


class _Group(click.Group):
    """Turns newsdesk's own errors into one readable line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsdeskError as e:
            message = redact_url(str(e))  # messages show no user info already; this is the last guard
            Console(stderr=True, highlight=False).print(f"[red]error:[/red] {escape(message)}")
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    envvar="NEWSDESK_DB",
    metavar="PATH",
    help="The database (a SQLite file). Env: NEWSDESK_DB. "
    "Default: newsdesk.sqlite in the data folder (NEWSDESK_DATA_DIR, "
    "else ~/.local/share/newsdesk).",
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="A newsdesk.toml with settings (default: ./newsdesk.toml if present).",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_file: str | None) -> None:
    """newsdesk: your own news desk over the sources you choose.

    Ingest news (HTML pages, RSS/Atom feeds, OPML lists, JSONL records), keep clean articles in a
    searchable SQLite file, and read them back.

    \b
    Start here:
      newsdesk demo                     ingest the bundled sample corpus and show it
      newsdesk ingest ~/saved-news/     ingest your own files and folders (.gz, WARC too)
      newsdesk add URL                  follow a feed, sitemap, OPML list or a site's feeds
      newsdesk update [--watch]         fetch what is due (and keep going, with --watch)
      newsdesk search "bridge closure"  full-text search with highlighted snippets
      newsdesk show 12                  one article, with its metadata and declared sources
      newsdesk stories --since 3d       the events covered, each with its articles grouped
      newsdesk extract page.html        what extraction makes of a page, storing nothing
      newsdesk export -f parquet -o articles.parquet
    """
    ctx.obj = _State(db, config_file)


# -- ingest ---------------------------------------------------------------------------------------


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


# -- the web site ------------------------------------------------------------------------------


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
_SAMPLE_NOT_INPUT = {"README.md", "truth.json", "__init__.py", "__pycache__"}


# -- reading --------------------------------------------------------------------------------------


def _filter_options(f: Any) -> Any:
    f = click.option("--source", help="Only this source (its name or domain).")(f)
    f = click.option("--since", help="Published on or after: 2026-03-01, 2026-03-01T08:00, 3d.")(f)
    f = click.option("--until", help="Published before (same forms as --since).")(f)
    f = click.option("--language", help="Only this language (ISO 639-1 code: en, fr, ...).")(f)
    f = click.option("--category", help="Only this category or section (world, sport, ...).")(f)
    return f


def _filters(
    source: str | None, since: str | None, until: str | None, language: str | None, category: str | None
) -> SearchFilters | None:
    return search_filters(
        source=source,
        since=_parse_when(since),
        until=_parse_when(until),
        language=language,
        category=category,
    )


# -- provenance -----------------------------------------------------------------------------------


# -- stories --------------------------------------------------------------------------------------


# -- housekeeping ---------------------------------------------------------------------------------


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


# -- live sources ---------------------------------------------------------------------------------


def _source_json(s: StoredSource) -> dict[str, Any]:
    data = dataclasses.asdict(s)
    for k, v in data.items():
        if isinstance(v, datetime):
            data[k] = v.isoformat()
    data["new_per_day"] = s.new_per_day
    return data


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
            ("paused" if s.paused_reason else _ago(s.next_due, now) if s.next_due else "now") if live else "",
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
        before, after = desk.compact()
    state.out.print(f"{before / 2**20:,.1f} MB -> {after / 2**20:,.1f} MB")


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


def cli_reference() -> str:
    """The CLI reference in Markdown, generated from the commands (docs/cli.md)."""
    lines = [
        "# Command-line reference",
        "",
        "Generated from the code by `python -m newsdesk.cli`; a test keeps it in step.",
        "",
    ]
    # The group's own context settings (-h as well as --help): click caches each command's help
    # option from the first context that asks, so a bare Context here made the reference depend on
    # whether the CLI had already run in this process.
    settings = {**cli.context_settings, "max_content_width": 100, "terminal_width": 100}
    ctx = click.Context(cli, info_name="newsdesk", **settings)
    lines += ["## newsdesk", "", "```", cli.get_help(ctx), "```", ""]
    for name in sorted(cli.commands):
        cmd = cli.commands[name]
        if cmd.hidden:
            continue
        sub = click.Context(cmd, info_name=name, parent=ctx, **settings)
        lines += [f"## newsdesk {name}", "", "```", cmd.get_help(sub), "```", ""]
    return "\n".join(lines)


#: Libraries whose warnings are about an input (a page's odd date, a WARC's odd URI), which
#: newsdesk turns into an item's reason or note: shown only when they are errors.
_QUIET_LOGGERS = (
    "trafilatura",
    "htmldate",
    "courlan",
    "justext",
    "warcio",
    "charset_normalizer",
    "py3langid",
)


def _configure_logging() -> None:
    """newsdesk's own warnings and errors on stderr, one line each; the libraries' chatter only
    when it is an error. Only for the command's own process (not when the CLI runs in-process)."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsdesk: %(levelname)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def main() -> None:
    _configure_logging()
    cli(prog_name="newsdesk")


# The command groups: importing each registers its commands on `cli` (each imports `cli` from here).
from . import _ingest, _provenance, _read, _stories  # noqa: E402, F401
