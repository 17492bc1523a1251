"""The one exception tree of newsdesk.

Every error newsdesk raises on purpose is a ``NewsdeskError``; specific classes also inherit the
builtin they refine, so ``except ValueError`` in a caller keeps working::

    NewsdeskError
    ├── ConfigError(NewsdeskError, ValueError)        a setting has a value we cannot use
    ├── InvalidURLError(NewsdeskError, ValueError)    not an http(s) URL we can identify an article by
    ├── InputError(NewsdeskError)                     an input file or record cannot be read
    │   └── UnsupportedInputError(InputError, ValueError)   no reader knows this kind of input
    ├── StorageError(NewsdeskError)                   every sqlite3.Error, wrapped, with the operation
    │   ├── SchemaVersionError(StorageError)          the database is newer than this newsdesk
    │   └── IntegrityError(StorageError)              the database failed PRAGMA integrity_check
    ├── ArticleNotFoundError(NewsdeskError, LookupError)   no stored article with that id or URL
    └── SearchQueryError(NewsdeskError, ValueError)   a search query FTS5 cannot parse
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Root of every error newsdesk raises on purpose."""


class ConfigError(NewsdeskError, ValueError):
    """A setting has a value newsdesk cannot use."""


class InvalidURLError(NewsdeskError, ValueError):
    """A string is not an absolute http(s) URL."""


class InputError(NewsdeskError):
    """An input file or record cannot be read; the message names the input."""


class UnsupportedInputError(InputError, ValueError):
    """No reader is registered for this kind of input."""


class StorageError(NewsdeskError):
    """The store failed; wraps the underlying driver error as ``__cause__``."""


class SchemaVersionError(StorageError):
    """The database was written by a newer newsdesk than this one."""


class IntegrityError(StorageError):
    """The database failed its integrity check."""


class ArticleNotFoundError(NewsdeskError, LookupError):
    """No stored article has that id or URL."""


class SearchQueryError(NewsdeskError, ValueError):
    """A search query is not valid full-text search syntax."""


__all__ = [
    "ArticleNotFoundError",
    "ConfigError",
    "InputError",
    "IntegrityError",
    "InvalidURLError",
    "NewsdeskError",
    "SchemaVersionError",
    "SearchQueryError",
    "StorageError",
    "UnsupportedInputError",
]
