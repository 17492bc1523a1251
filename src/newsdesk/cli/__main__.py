"""``python -m newsdesk.cli``: print the CLI reference (docs/cli.md) from the commands."""

import click

from ._root import cli_reference

click.echo(cli_reference(), nl=False)
