"""Understand: who said what (quotes with their speakers), who and where an article is about
(people, organisations, places, and figures), and which section it belongs in (categories).

Stage functions over an article's stored text, like extract/ and provenance/: no store access, no
network; the desk calls them and stores what they return. One module per part: ``quotes.py``
(with its words, ``_cues.py``, its text, speaker and cue readers, ``_quote_text.py``,
``_quote_speakers.py`` and ``_quote_patterns.py``, and ``speakers.py``), ``entities.py``,
``categories.py`` (each with its own evaluation in ``bench/understand/``), and ``_analyse.py``,
the one entry the desk calls for an article's entities, figures and quotes (``analyse``) with the
version they were made under.
Importing this package loads no model: each part loads its own on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Understanding


def analyse(text: str, *, language: str | None = "en") -> Understanding:
    """An article's entities, figures and quotes (see ``_analyse.analyse``)."""
    from ._analyse import analyse as run

    return run(text, language=language)


def version() -> str:
    """The version stored understandings are made under (see ``_analyse.version``)."""
    from ._analyse import version as current

    return current()


__all__ = ["analyse", "version"]
