"""The ``newsdesk`` command: a thin front end over the Desk.

Every command opens the desk, calls one or two of its methods and prints the result (rich tables for
people, ``--json`` for programs). Errors newsdesk raises on purpose become one line on stderr and exit
status 1; usage errors exit 2, as click does.

``_root`` holds the root group ``cli``, ``main``, the state every command shares (the consoles and
the lazily opened Desk) and the shared options; the commands live in one module per group, each
registering on ``cli`` when this package imports it:

    _ingest       ingest, extract, update, add, remove, resume, import, export-opml, reextract
    _read         search, show, latest, export
    _provenance   copies, originals, source-report, retrace
    _stories      stories, story, related, recluster
    _understand   entities, entity, quotes, reunderstand
    _admin        demo, serve, stats, rejected, sources, check, compact, settings
    _output       the rich tables and summary lines they print
"""

from __future__ import annotations

# The command groups: importing each registers its commands on `cli`.
from . import _admin, _ingest, _provenance, _read, _stories, _understand  # noqa: F401
from ._root import _QUIET_LOGGERS, cli, cli_reference, main

__all__ = ["_QUIET_LOGGERS", "cli", "cli_reference", "main"]
