"""The installed version, so no module imports the package root for it.

Read from the installed distribution's metadata when first asked for: importing
``importlib.metadata`` costs more than the rest of ``import newsdesk``, and ``--help`` never needs it.
"""

from __future__ import annotations

import functools


@functools.cache
def installed_version() -> str:
    """newsdesk's version as installed, or ``0+unknown`` in a source tree that never was."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "0+unknown"
