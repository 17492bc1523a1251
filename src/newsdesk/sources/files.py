"""Local inputs: files, ``.gz`` files and folders, handed to the reader each one needs.

Reading is bounded: a file (or what a ``.gz`` expands to) larger than ``max_bytes`` is reported as
broken rather than read, so one hostile or mistaken input cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..exceptions import InputError
from ..model import Broken
from . import SNIFF_BYTES, Item, reader_for, warc

_SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def list_inputs(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Every file to read, in a stable order (folders walked recursively, hidden files skipped).

    ``exclude`` names files never to read: the desk's own database, when it lies inside a folder
    being ingested.
    """
    skip = {p.resolve() for p in exclude}
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                wanted = not any(part.startswith(".") for part in rel.parts)
                wanted = wanted and child.name not in _SKIP_NAMES and child.is_file()
                if wanted and child.resolve() not in skip:
                    out.append(child)
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return out


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.open(path, "rb") as f:
                data = f.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as e:
            raise InputError(f"not a readable gzip file: {e}") from e
        if len(data) > max_bytes:
            raise InputError(f"expands to more than {max_bytes:,} bytes (max_input_bytes)")
        return data
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{size:,} bytes, more than max_input_bytes ({max_bytes:,})")
    return path.read_bytes()


def display_path(path: Path) -> str:
    """A path as text that can be printed and stored: a name whose bytes are not valid UTF-8 (or
    not valid in the file system's encoding) shows the bad bytes as U+FFFD instead of lone
    surrogates, which no UTF-8 writer (a terminal, SQLite, JSON) accepts."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def read_file(path: Path, *, max_bytes: int) -> Iterator[Item]:
    """Everything one file holds, or a Broken report saying why it could not be read."""
    origin = display_path(path)
    if path.name.lower().endswith(warc.SUFFIXES):
        # WARC files are often far larger than memory: streamed, max_bytes applies per record.
        yield from warc.read_path(path, max_record_bytes=max_bytes, origin=origin)
        return
    try:
        data = _read_bounded(path, max_bytes)
    except InputError as e:
        yield Broken(origin=origin, detail=str(e))
        return
    except OSError as e:
        yield Broken(origin=origin, detail=f"cannot read: {e.strerror or e}")
        return
    yield from _read_data(data, path.name, origin)


def read_stream(f: IO[bytes], name: str, origin: str, *, max_bytes: int) -> Iterator[Item]:
    """Everything one opened input holds, as ``read_file`` reads a local file: an input of any
    file system fsspec opens (``newsdesk batch``), ``name`` its file name (which picks the reader
    as a suffix does). The same bounds: a WARC streamed with ``max_bytes`` per record, anything
    else (or what a ``.gz`` expands to) reported broken when larger than ``max_bytes``."""
    if name.lower().endswith(warc.SUFFIXES):
        yield from warc.read_stream(f, origin, max_record_bytes=max_bytes)
        return
    try:
        if name.lower().endswith(".gz"):
            try:
                with gzip.GzipFile(fileobj=f) as unzipped:
                    data = unzipped.read(max_bytes + 1)
            except (EOFError, zlib.error, gzip.BadGzipFile) as e:
                raise InputError(f"not a readable gzip file: {e}") from e
            if len(data) > max_bytes:
                raise InputError(f"expands to more than {max_bytes:,} bytes (max_input_bytes)")
        else:
            data = f.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(f"more than max_input_bytes ({max_bytes:,}) bytes")
    except InputError as e:
        yield Broken(origin=origin, detail=str(e))
        return
    except OSError as e:
        yield Broken(origin=origin, detail=f"cannot read: {e.strerror or e}")
        return
    yield from _read_data(data, name, origin)


def _read_data(data: bytes, filename: str, origin: str) -> Iterator[Item]:
    """The items of an input read whole, by the reader its name and first bytes call for."""
    name = filename[:-3] if filename.lower().endswith(".gz") else filename
    reader = reader_for(name, data[:SNIFF_BYTES])
    if reader is None:
        yield Broken(
            origin=origin, detail="not a format newsdesk reads (HTML, feed, OPML, sitemap, JSONL, WARC)"
        )
        return
    yield from reader.read(data, origin)
