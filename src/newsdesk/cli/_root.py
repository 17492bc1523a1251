"""The root group ``cli``, ``main``, the state every command shares (the consoles and the lazily
opened Desk) and the shared options. The command modules import these from here, and the package
imports the command modules, so the package and its parts import one way (no cycle)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape

from ..exceptions import NewsdeskError
from ..model import SearchFilters
from ..query import parse_time, search_filters
from ..urls import redact_url

if TYPE_CHECKING:
    # The Desk brings the whole pipeline (trafilatura, lxml, numpy, ...): a command imports it when
    # it opens one, so `newsdesk --help` and click's parsing stay light.
    from ..core import Desk


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
            # One line whatever its length (soft wrap): a terminal folds it, a log or grep sees
            # it whole (rich hard-wraps at 80 columns when stderr is no terminal).
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"[red]error:[/red] {escape(message)}"
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    envvar="NEWSDESK_DB",
    metavar="PATH|URL",
    help="The database: a SQLite file, or a PostgreSQL URL (postgresql://user@host/dbname). "
    "Env: NEWSDESK_DB. "
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
      newsdesk batch "crawl/*.warc.gz"  the same over many web archives, on a Dask cluster
      newsdesk add URL                  follow a feed, sitemap, OPML list or a site's feeds
      newsdesk update [--watch]         fetch what is due (and keep going, with --watch)
      newsdesk search "bridge closure"  full-text search with highlighted snippets
      newsdesk show 12                  one article, with its metadata and declared sources
      newsdesk stories --since 3d       the events covered, each with its articles grouped
      newsdesk quotes --speaker Sill    who said what, and which outlet reported it first
      newsdesk extract page.html        what extraction makes of a page, storing nothing
      newsdesk export -f parquet -o articles.parquet
    """
    ctx.obj = _State(db, config_file)


#: The filters that search, latest, export and originals share.
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
