"""newsdesk: ingest news, extract clean articles, keep them in a searchable store.

The public surface is what ``__all__`` lists; everything else may change without notice.
A test checks this list against what the package really exports.

``import newsdesk`` loads only the records, settings, exceptions and URL rules. The pipeline's names
(``Desk``, ``open_desk``, ``extract``, ``extract_html``) and ``__version__`` are looked up on first
use by the module's ``__getattr__``: trafilatura, lxml, numpy, feedparser and the rest load when
something needs them, so ``newsdesk --help`` starts in a fraction of a second. A test runs
``import newsdesk`` and the CLI's help in a fresh interpreter and checks none of them was imported.
"""

import sys as _sys
import types as _types
import typing as _typing
from importlib import import_module as _import_module

from .config import SETTINGS, Config, Setting, load_config
from .exceptions import (
    AddressBlockedError,
    ArticleNotFoundError,
    BatchError,
    BodyLimitError,
    ConfigError,
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InputError,
    IntegrityError,
    InvalidURLError,
    NewsdeskError,
    RedirectError,
    RobotsDisallowedError,
    SchemaVersionError,
    SearchCancelledError,
    SearchQueryError,
    SearchStoppedError,
    SearchTimeoutError,
    SourceNotFoundError,
    StorageError,
    StoryNotFoundError,
    UnsupportedInputError,
)
from .model import (
    Article,
    BatchReport,
    BatchStage,
    BatchStep,
    Broken,
    CopyEdge,
    CopyGroup,
    CopyKind,
    DecisionKind,
    EntryHints,
    Fetched,
    FoundSource,
    Health,
    IngestReport,
    ItemResult,
    ItemStatus,
    JoinKind,
    OpmlImport,
    Outcome,
    PageOutcome,
    Prepared,
    Rejected,
    RejectReason,
    RelatedArticle,
    SearchFilters,
    SearchHit,
    SourceKind,
    SourceLink,
    SourceProvenance,
    SourceResult,
    StoredArticle,
    Story,
    StoryCoverage,
    StoryDecision,
    UpdateReport,
)
from .urls import normalize_url

if _typing.TYPE_CHECKING:
    from ._intake import Preparer
    from .core import Desk, open_desk
    from .extract import extract, extract_html

    __version__: str

#: Public names whose module loads on first use: name -> the module that defines it.
_LAZY = {
    "Desk": ".core",
    "Preparer": "._intake",
    "open_desk": ".core",
    "extract": ".extract",
    "extract_html": ".extract",
}


def _lazy_attribute(name: str) -> object:
    """Load a lazy public name's module the first time the name is asked for, then keep the name."""
    if name == "__version__":
        from ._version import installed_version

        value: object = installed_version()
    elif name in _LAZY:
        value = getattr(_import_module(_LAZY[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


if not _typing.TYPE_CHECKING:
    # Hidden from type checkers, which would otherwise take any misspelt ``newsdesk.name`` for a
    # lazy one; they see the real declarations above.
    __getattr__ = _lazy_attribute


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(_types.ModuleType):
    """The package's module: ``newsdesk.extract`` stays the function after the submodule of the
    same name is imported (the import system sets every submodule on its package as it loads it;
    the function would otherwise be shadowed by the module whenever ``newsdesk.extract`` loaded
    before the name was first asked for). ``from newsdesk.extract import ...`` is not affected."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

__all__ = [
    "SETTINGS",
    "AddressBlockedError",
    "Article",
    "ArticleNotFoundError",
    "BatchError",
    "BatchReport",
    "BatchStage",
    "BatchStep",
    "BodyLimitError",
    "Broken",
    "Config",
    "ConfigError",
    "ConnectionFailedError",
    "CopyEdge",
    "CopyGroup",
    "CopyKind",
    "DecisionKind",
    "Desk",
    "EntryHints",
    "FetchError",
    "FetchTimeoutError",
    "Fetched",
    "FoundSource",
    "HTTPStatusError",
    "Health",
    "IngestReport",
    "InputError",
    "IntegrityError",
    "InvalidURLError",
    "ItemResult",
    "ItemStatus",
    "JoinKind",
    "NewsdeskError",
    "OpmlImport",
    "Outcome",
    "PageOutcome",
    "Prepared",
    "Preparer",
    "RedirectError",
    "RejectReason",
    "Rejected",
    "RelatedArticle",
    "RobotsDisallowedError",
    "SchemaVersionError",
    "SearchCancelledError",
    "SearchFilters",
    "SearchHit",
    "SearchQueryError",
    "SearchStoppedError",
    "SearchTimeoutError",
    "Setting",
    "SourceKind",
    "SourceLink",
    "SourceNotFoundError",
    "SourceProvenance",
    "SourceResult",
    "StorageError",
    "StoredArticle",
    "Story",
    "StoryCoverage",
    "StoryDecision",
    "StoryNotFoundError",
    "UnsupportedInputError",
    "UpdateReport",
    "__version__",
    "extract",
    "extract_html",
    "load_config",
    "normalize_url",
    "open_desk",
]
