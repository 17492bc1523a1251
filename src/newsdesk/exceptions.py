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
    ├── SourceNotFoundError(NewsdeskError, LookupError)    no source with that id or URL
    ├── StoryNotFoundError(NewsdeskError, LookupError)     no story with that id
    ├── EntityNotFoundError(NewsdeskError, LookupError)    no entity with that id or name
    ├── FetchError(NewsdeskError)                     fetching a URL failed; ``reason`` says why in a word
    │   ├── AddressBlockedError(FetchError, PermissionError)   the address guard refused the connection
    │   ├── RobotsDisallowedError(FetchError, PermissionError) robots.txt forbids fetching the page
    │   ├── HTTPStatusError(FetchError)               the server answered 4xx or 5xx (``status``)
    │   ├── RedirectError(FetchError)                 a redirect loop, too many redirects, a bad target
    │   ├── FetchTimeoutError(FetchError, TimeoutError)        connect, read or total time ran out
    │   ├── ConnectionFailedError(FetchError, ConnectionError) name lookup, refused, reset, bad HTTP
    │   └── BodyLimitError(FetchError)                too large, a decompression bomb, or undecodable
    ├── SearchQueryError(NewsdeskError, ValueError)   a search query FTS5 cannot parse
    ├── BatchError(NewsdeskError)                     a batch's cluster cannot run it (unreachable, unlike)
    └── SearchStoppedError(NewsdeskError)             a search stopped before it had an answer
        ├── SearchTimeoutError(SearchStoppedError, TimeoutError)  it ran past search_timeout
        └── SearchCancelledError(SearchStoppedError)  its caller went away (a web client hung up)
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


class SearchStoppedError(NewsdeskError):
    """A search was stopped before it had an answer; ``seconds`` is how long it had run."""

    def __init__(self, message: str, *, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class SearchTimeoutError(SearchStoppedError, TimeoutError):
    """A search ran longer than its time budget (the ``search_timeout`` setting)."""


class SearchCancelledError(SearchStoppedError):
    """A search was stopped because its caller no longer wants the answer (a web client that
    disconnected)."""


class SourceNotFoundError(NewsdeskError, LookupError):
    """No source has that id or URL."""


class StoryNotFoundError(NewsdeskError, LookupError):
    """No story has that id."""


class EntityNotFoundError(NewsdeskError, LookupError):
    """No entity has that id or name."""


class FetchError(NewsdeskError):
    """Fetching a URL failed. ``reason`` is a short stable word for reports ("timeout", "http-404");
    ``status`` the HTTP status when there was one; ``retry_after`` the seconds the server asked for.
    """

    reason = "fetch-error"

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.retry_after = retry_after
        if reason is not None:
            self.reason = reason


class AddressBlockedError(FetchError, PermissionError):
    """The address guard refused to connect (loopback, private, link-local, multicast, reserved)."""

    reason = "blocked-address"


class RobotsDisallowedError(FetchError, PermissionError):
    """The site's robots.txt does not allow fetching this page."""

    reason = "robots-disallowed"


class HTTPStatusError(FetchError):
    """The server answered with an error status (after any retries)."""

    reason = "http-error"


class RedirectError(FetchError):
    """A redirect loop, more redirects than allowed, or a redirect to something that is not http(s)."""

    reason = "redirect"


class FetchTimeoutError(FetchError, TimeoutError):
    """Connecting, reading or the whole fetch took longer than allowed."""

    reason = "timeout"


class ConnectionFailedError(FetchError, ConnectionError):
    """The name did not resolve, the connection was refused or reset, or the reply was not HTTP."""

    reason = "connection"


class BodyLimitError(FetchError):
    """The body was larger than allowed, expanded too much (a decompression bomb), or was undecodable."""

    reason = "too-large"


class BatchError(NewsdeskError):
    """``newsdesk batch`` cannot run on its cluster: the scheduler cannot be reached, the workers
    extract with another newsdesk or settings than the client, or a part failed on every retry."""


__all__ = [
    "AddressBlockedError",
    "ArticleNotFoundError",
    "BatchError",
    "BodyLimitError",
    "ConfigError",
    "ConnectionFailedError",
    "FetchError",
    "FetchTimeoutError",
    "HTTPStatusError",
    "InputError",
    "IntegrityError",
    "InvalidURLError",
    "NewsdeskError",
    "RedirectError",
    "RobotsDisallowedError",
    "SchemaVersionError",
    "SearchCancelledError",
    "SearchQueryError",
    "SearchStoppedError",
    "SearchTimeoutError",
    "SourceNotFoundError",
    "StorageError",
    "StoryNotFoundError",
    "UnsupportedInputError",
]
