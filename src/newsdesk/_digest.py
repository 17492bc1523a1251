"""Digests that let ingest skip an input item it has already stored, before extracting it.

Invariant: two items with the same ``input_digest``, extracted under the same
``extraction_digest``, make the same article (the same identity, title and text). So an item whose
pair of digests the store knows (``Store.known_input``) is that article, unchanged, and extracting
it again could only say so at the price of an extraction. To keep that true:

- ``input_digest`` covers everything of a ``Fetched`` that extraction reads: the raw bytes, the
  URLs, the content type, the outlet and every hint a feed or record gave. It leaves out what
  extraction does not read (the fetch time, status and headers) and the item's position in its
  input (``origin``: a feed's third entry today is its fourth tomorrow) — except where extraction
  does read the origin: a local file that holds one page and gives no URL is known by its path
  (``urls.file_identity``).
- ``extraction_digest`` covers what else decides what extraction makes of those bytes: the
  versions of newsdesk and of the libraries it extracts with, the source of newsdesk's own
  extraction modules (a development install keeps its version number while its code changes) and
  the settings that decide whether a page is an article.

Anything else that changes what an item becomes needs ``ingest --force``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from importlib import metadata, resources

from .config import Config
from .model import Fetched
from .urls import file_identity

#: Libraries whose version changes what extraction makes of a page.
_LIBRARIES = ("newsdesk", "trafilatura", "lxml", "htmldate", "justext", "courlan", "python-dateutil")
#: newsdesk's modules whose code decides an article's identity, title and text.
_MODULES = ("extract.py", "_clutter.py", "_tables.py", "_charset.py", "_text.py", "_valid.py", "urls.py")
#: Settings that decide whether a page becomes an article, and what it keeps.
_SETTINGS = ("min_words", "max_page_bytes", "max_page_elements", "max_article_chars")


def _put(h: hashlib.blake2b, value: str | bytes | None) -> None:
    """One field, length-prefixed (so that no two sequences of fields run together alike)."""
    if value is None:
        h.update(b"\xff")
        return
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    h.update(len(data).to_bytes(8, "little"))
    h.update(data)


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def input_digest(fetched: Fetched) -> bytes:
    """128 bits over what extraction reads of ``fetched`` (see the module's docstring)."""
    h = hashlib.blake2b(digest_size=16, person=b"newsdesk-input-1")
    hints = fetched.hints
    for value in (
        fetched.body,
        fetched.url,
        fetched.final_url,
        fetched.content_type,
        fetched.source,
        file_identity(fetched.origin),
        hints.title,
        hints.summary,
        _when(hints.published),
        _when(hints.updated),
        hints.author,
        hints.entry_id,
        hints.source_name,
        hints.language,
        hints.text,
    ):
        _put(h, value)
    for group in (hints.categories, hints.notes):
        _put(h, str(len(group)))
        for item in group:
            _put(h, item)
    return h.digest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _module_source(name: str) -> bytes:
    try:
        return resources.files("newsdesk").joinpath(name).read_bytes()
    except OSError:  # installed without its sources: the version stands for them
        return b"unreadable"


def extraction_digest(config: Config) -> bytes:
    """64 bits over the versions, code and settings that shape extraction (the module's docstring)."""
    h = hashlib.blake2b(digest_size=8, person=b"newsdesk-extract")
    for name in _LIBRARIES:
        _put(h, f"{name}={_version(name)}")
    for module in _MODULES:
        _put(h, module)
        _put(h, _module_source(module))
    for setting in _SETTINGS:
        _put(h, f"{setting}={getattr(config, setting)!r}")
    return h.digest()
