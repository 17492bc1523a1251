"""Run the newsdesk command line and kill it with SIGKILL at a chosen point of its work.

    python tests/_killer.py METHOD N [--legacy] -- NEWSDESK ARGS...

The process kills itself (SIGKILL: no cleanup runs, as with ``kill -9``) right after the Nth call of
``SQLiteStore.METHOD`` returns in this run: after a write (``save_article``, ``save_copy_group``,
``save_story_change``) that is done but, inside a unit of work, not yet committed; or in the middle
of the story stage (``story_candidates``, which ``stories.assign`` reads before it decides).

``--legacy`` turns the unit of work into nothing, so each write commits on its own as before units
existed: what an older newsdesk left behind when it was killed at that point.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsdesk.store.sqlite import SQLiteStore


def arm(method: str, n: int) -> None:
    original = getattr(SQLiteStore, method)
    calls = 0

    def killing(self: SQLiteStore, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        result = original(self, *args, **kwargs)
        calls += 1
        if calls == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(SQLiteStore, method, killing)


@contextmanager
def _no_unit(self: SQLiteStore) -> Iterator[None]:
    yield


def main(argv: list[str]) -> None:
    split = argv.index("--")
    options, args = argv[:split], argv[split + 1 :]
    method, n = options[0], int(options[1])
    arm(method, n)
    if "--legacy" in options:
        SQLiteStore.transaction = _no_unit  # type: ignore[method-assign]
    from newsdesk.cli import cli

    cli(args=args, prog_name="newsdesk")


if __name__ == "__main__":
    main(sys.argv[1:])
