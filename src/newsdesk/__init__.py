"""newsdesk: ingest news, extract clean articles, keep them in a searchable store.

The public surface is what ``__all__`` lists; everything else may change without notice.
A test checks this list against what the package really exports.
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from .config import SETTINGS, Config, Setting, load_config
from .core import Desk, open_desk
from .exceptions import (
    AddressBlockedError,
    ArticleNotFoundError,
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
from .extract import extract, extract_html
from .model import (
    Article,
    Broken,
    CopyEdge,
    CopyKind,
    EntryHints,
    Fetched,
    FoundSource,
    IngestReport,
    ItemResult,
    ItemStatus,
    Outcome,
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
    StoryDecision,
    UpdateReport,
)
from .urls import normalize_url

try:
    __version__ = _version("newsdesk")
except _PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "SETTINGS",
    "AddressBlockedError",
    "Article",
    "ArticleNotFoundError",
    "BodyLimitError",
    "Broken",
    "Config",
    "ConfigError",
    "ConnectionFailedError",
    "CopyEdge",
    "CopyKind",
    "Desk",
    "EntryHints",
    "FetchError",
    "FetchTimeoutError",
    "Fetched",
    "FoundSource",
    "HTTPStatusError",
    "IngestReport",
    "InputError",
    "IntegrityError",
    "InvalidURLError",
    "ItemResult",
    "ItemStatus",
    "NewsdeskError",
    "Outcome",
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
