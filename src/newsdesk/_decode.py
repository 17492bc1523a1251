"""Bounded decoding of HTTP content encodings (gzip, deflate, brotli), for fetched and archived bodies.

A body is decoded piece by piece with a cap on every piece's output, so neither a huge body nor a
decompression bomb (a few kilobytes that expand to gigabytes) can take more memory than
``max_bytes``. Past ``ratio_floor`` decoded bytes, a body that expands more than ``max_ratio`` times
its transferred size is refused as a bomb.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli

#: Below this many decoded bytes the ratio is not checked: small repetitive bodies compress very well.
RATIO_FLOOR = 1 << 20

_STEP = 1 << 16


class DecodeError(ValueError):
    """A body could not be decoded within its limits; ``reason`` is "too-large",
    "decompression-bomb" or "bad-encoding"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class _Codec(Protocol):
    def step(self, data: bytes, limit: int) -> bytes:
        """Decode at most ``limit`` bytes from ``data`` plus what is buffered."""
        ...

    def pending(self) -> bool:
        """Whether output is waiting without more input."""
        ...


class _Identity:
    def __init__(self) -> None:
        self._buf = b""

    def step(self, data: bytes, limit: int) -> bytes:
        self._buf += data
        out, self._buf = self._buf[:limit], self._buf[limit:]
        return out

    def pending(self) -> bool:
        return bool(self._buf)


class _Zlib:
    def __init__(self, wbits: int, *, deflate: bool = False) -> None:
        self._wbits = wbits
        self._deflate = deflate
        self._first = True
        self._obj = zlib.decompressobj(wbits)
        self._tail = b""

    def step(self, data: bytes, limit: int) -> bytes:
        data = self._tail + data
        self._tail = b""
        if self._obj.eof:
            if not self._obj.unused_data and not data:
                return b""
            # Another gzip member follows (concatenated gzip is legal).
            data = self._obj.unused_data + data
            self._obj = zlib.decompressobj(self._wbits)
        try:
            out = self._obj.decompress(data, limit)
        except zlib.error:
            if self._deflate and self._first:
                # "deflate" is sometimes sent raw, without the zlib wrapper.
                self._wbits = -zlib.MAX_WBITS
                self._obj = zlib.decompressobj(self._wbits)
                self._first = False
                return self.step(data, limit)
            raise
        self._first = False
        self._tail = self._obj.unconsumed_tail
        return out

    def pending(self) -> bool:
        return bool(self._tail) or (self._obj.eof and bool(self._obj.unused_data))


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def step(self, data: bytes, limit: int) -> bytes:
        if data and not self._obj.can_accept_more_data():
            raise DecodeError("brotli decoder fed too fast", "bad-encoding")
        out: bytes = self._obj.process(data, output_buffer_limit=limit)
        return out

    def pending(self) -> bool:
        return not self._obj.can_accept_more_data()


def _codec(encoding: str) -> _Codec:
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return _Identity()
    if enc in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if enc == "deflate":
        return _Zlib(zlib.MAX_WBITS, deflate=True)
    if enc == "br":
        return _Brotli()
    raise DecodeError(f"unsupported content encoding {encoding!r}", "bad-encoding")


class BoundedDecoder:
    """Feed raw (transferred) bytes in, get the decoded body out, within the limits."""

    def __init__(
        self,
        content_encoding: str | None,
        *,
        max_bytes: int,
        max_ratio: int,
        ratio_floor: int = RATIO_FLOOR,
    ) -> None:
        encodings = [e for e in (content_encoding or "").split(",") if e.strip()]
        # Encodings are listed in the order they were applied; undo them last-first. More than two
        # stacked encodings is not something a real server sends.
        if len(encodings) > 2:
            raise DecodeError(f"too many content encodings: {content_encoding!r}", "bad-encoding")
        self._codecs = [_codec(e) for e in reversed(encodings)] or [_Identity()]
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.ratio_floor = ratio_floor
        self.raw_bytes = 0
        self._parts: list[bytes] = []
        self._size = 0

    def _emit(self, piece: bytes) -> None:
        if not piece:
            return
        self._size += len(piece)
        if self._size > self.max_bytes:
            raise DecodeError(f"body larger than {self.max_bytes:,} bytes", "too-large")
        if self._size > self.ratio_floor and self._size > self.max_ratio * max(self.raw_bytes, 1):
            raise DecodeError(
                f"{self.raw_bytes:,} bytes expand to more than {self._size:,} "
                f"(over {self.max_ratio}x): a decompression bomb",
                "decompression-bomb",
            )
        self._parts.append(piece)

    def _run(self, data: bytes, level: int) -> None:
        """Push data through codec ``level`` and the ones after it, one bounded step at a time."""
        codec = self._codecs[level]
        last = level == len(self._codecs) - 1
        try:
            piece = codec.step(data, _STEP)
            while True:
                if last:
                    self._emit(piece)
                elif piece:
                    self._run(piece, level + 1)
                if not codec.pending() and len(piece) < _STEP:
                    break
                piece = codec.step(b"", _STEP)
        except (zlib.error, brotli.error) as e:
            raise DecodeError(f"cannot decode the body: {e}", "bad-encoding") from e

    def feed(self, data: bytes) -> None:
        self.raw_bytes += len(data)
        self._run(data, 0)

    def finish(self) -> bytes:
        return b"".join(self._parts)

    @property
    def size(self) -> int:
        return self._size


def decode_body(body: bytes, content_encoding: str | None, *, max_bytes: int, max_ratio: int = 100) -> bytes:
    """Decode a whole body at once, within the same limits (for archived records)."""
    decoder = BoundedDecoder(content_encoding, max_bytes=max_bytes, max_ratio=max_ratio)
    for start in range(0, len(body), _STEP):
        decoder.feed(body[start : start + _STEP])
    if not body:
        decoder.feed(b"")
    return decoder.finish()
