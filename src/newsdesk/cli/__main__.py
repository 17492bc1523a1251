"""``python -m newsdesk.cli``: print the CLI reference (docs/cli.md) from the commands."""

import click

from . import cli_reference

click.echo(cli_reference(), nl=False)
