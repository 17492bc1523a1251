"""The public surface is what __all__ says, and every exported name exists (httpx's habit)."""

from __future__ import annotations

import newsdesk
from newsdesk import exceptions


def test_all_is_honest() -> None:
    for name in newsdesk.__all__:
        assert hasattr(newsdesk, name), name
    public = {n for n in dir(newsdesk) if not n.startswith("_")}
    modules = {
        "archive",
        "batch",
        "cli",
        "config",
        "core",
        "exceptions",
        "export",
        "extract",
        "fetch",
        "model",
        "provenance",
        "query",
        "scheduler",
        "sources",
        "stories",
        "store",
        "understand",
        "urls",
        "web",
    }
    assert public - modules - set(newsdesk.__all__) == set(), "exported but not in __all__"


def test_exception_tree() -> None:
    for name in exceptions.__all__:
        cls = getattr(exceptions, name)
        assert issubclass(cls, newsdesk.NewsdeskError)
        assert name in (exceptions.__doc__ or ""), f"{name} is missing from the tree drawn in the docstring"
    assert issubclass(newsdesk.InvalidURLError, ValueError)
    assert issubclass(newsdesk.ArticleNotFoundError, LookupError)
