"""Article texts stored compressed, the way SQLite's own archive format (sqlar) stores files.

A text is most of what an article takes on disk, and news prose compresses to about 0.42 of its
size with zlib (bench/RESULTS.md, "Store size"). So ``articles.text`` and ``article_revisions.text``
hold a BLOB and ``text_size`` beside it holds the length of the text in UTF-8: when the two lengths
differ, the BLOB is the text compressed by zlib's ``compress()``; when they are equal, it is the
UTF-8 itself (a text that zlib does not make smaller is kept as it is). That is exactly the rule of
an SQLite Archive's ``sqlar`` table (``data``, ``sz``), so the ``sqlite3`` shell reads a stored
text with its built-in function: ``SELECT CAST(sqlar_uncompress(text, text_size) AS TEXT) FROM
articles``, or simply ``SELECT text FROM article_texts`` (migration 0012's view).

The store registers the same two functions, ``sqlar_compress`` and ``sqlar_uncompress``, with the
shell's meaning, on every connection it opens: the full-text triggers and the ``article_texts`` view
call ``sqlar_uncompress``, so they work alike in newsdesk and in the shell. A value that is not a
BLOB (a row a client wrote as plain text, with ``text_size`` NULL) is read as it is.

The invariant: ``unpack_text(*pack_text(t)) == t`` for every string ``t`` (byte for byte), and
reading the start of a text (``head``) never inflates more than it was asked for.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable

from ..exceptions import StorageError

#: A value as SQLite hands it to a function.
SQLValue = str | bytes | int | float | None

#: Compressed bytes read at a time when only the start of a text is wanted.
_READ = 64 * 1024


def pack_text(text: str) -> tuple[bytes, int]:
    """What is stored for ``text``: (the BLOB, the size of the text in UTF-8)."""
    data = text.encode("utf-8")
    return _compress(data), len(data)


def unpack_text(value: bytes | str, size: int | None) -> str:
    """The text stored as ``value`` with ``text_size`` ``size``."""
    if isinstance(value, str):
        return value
    return sqlar_uncompress(value, size).decode("utf-8")


def _compress(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return packed if len(packed) < len(data) else data


def sqlar_compress(value: SQLValue) -> SQLValue:
    """The sqlite3 shell's ``sqlar_compress(X)``: a BLOB compressed by zlib when that makes it
    smaller, else the value itself (anything but a BLOB is returned as it is)."""
    return _compress(value) if isinstance(value, bytes) else value


def sqlar_uncompress(value: bytes, size: int | None) -> bytes:
    """The sqlite3 shell's ``sqlar_uncompress(X, SZ)``: X itself when SZ is not positive or is X's
    length, else X inflated (which must give SZ bytes: else StorageError)."""
    if not isinstance(value, bytes) or not size or size <= 0 or size == len(value):
        return value
    try:
        data = zlib.decompress(value, bufsize=size)
    except zlib.error as e:
        raise StorageError(f"a stored text does not inflate (the database is damaged): {e}") from None
    if len(data) != size:
        raise StorageError(f"a stored text inflates to {len(data)} bytes, not the {size} recorded")
    return data


def sql_uncompress(value: SQLValue, size: SQLValue) -> SQLValue:
    """``sqlar_uncompress`` as SQL calls it (any value, any size)."""
    if not isinstance(value, bytes) or not isinstance(size, int):
        return value
    return sqlar_uncompress(value, size)


def head(read: Callable[[int], bytes], stored: int, size: int | None, limit: int) -> bytes:
    """The first ``limit`` bytes of a stored text (at most), read through ``read(n)`` (the next n
    bytes of the BLOB, as incremental blob I/O gives them) from a BLOB of ``stored`` bytes: a huge
    text is neither read nor inflated whole."""
    if not size or size <= 0 or size == stored:
        return read(limit)
    inflate = zlib.decompressobj()
    out = bytearray()
    while len(out) < limit:
        chunk = inflate.unconsumed_tail or read(_READ)
        if not chunk:
            break
        out += inflate.decompress(chunk, limit - len(out))
        if inflate.eof:
            break
    return bytes(out)


def register(db: sqlite3.Connection) -> None:
    """Give a connection the two functions the sqlite3 shell has built in, which the texts'
    triggers and view call: every connection that writes articles or reads ``article_texts``
    needs them (``SQLiteStore`` registers them on each of its own)."""
    db.create_function("sqlar_compress", 1, sqlar_compress, deterministic=True)
    db.create_function("sqlar_uncompress", 2, sql_uncompress, deterministic=True)
