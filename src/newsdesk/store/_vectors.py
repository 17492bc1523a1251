"""Term vectors (story centroids, member vectors) as compact bytes, read back exactly; also the
terms of the document-frequency log and the LSH keys a fingerprint lists (``pack_terms``,
``pack_keys``).

Clustering keeps its weights to four decimals (``stories._assign._DIGITS``), so a weight is an integer
count of ten-thousandths: two bytes each while every weight is under 6.5536 (every member vector,
most centroids), four up to 214,748, and a float64 for anything else (a weight that is not a
multiple of 0.0001, such as the unpruned sum a story merged away keeps). The invariant:
``unpack(pack(v)) == v`` for every vector of finite weights, to the bit and in the same order,
whichever width was chosen; so what clustering reads back from the store is what it computed.

Layout, little-endian::

    byte 0       width code: 1 = uint16 / 10**4, 2 = int32 / 10**4, 3 = float64; plus
                 ``ZLIB`` (16) when the bytes after it are the rest compressed by zlib
    bytes 1-4    n, the number of terms (uint32)
    n weights    2, 4 or 8 bytes each, in the vector's order
    the terms    UTF-8, separated by NUL (terms are words and names: they never hold a NUL)

A centroid of 300 terms takes about 3.3 KB this way, against 5.3 KB of compact JSON, and zlib
halves that again (the terms are words; the weights of a centroid are many small counts): the rest
is compressed whenever that makes it smaller, which costs about 50 us a centroid to write and 10 us
to read. numpy is imported when a vector is first packed or read (clustering has imported it by
then).
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Mapping, Sequence

_SCALE = 10_000.0
_LIMIT = (1 << 31) / _SCALE  # above it, a weight is no count of ten-thousandths that int32 holds
_TYPES = {1: "<u2", 2: "<i4", 3: "<f8"}
#: Added to the width code when the rest of the bytes is compressed by zlib.
ZLIB = 16


def pack(vector: Mapping[str, float]) -> bytes:
    """The vector as bytes (see the module's docstring). Raises ValueError for a term with a NUL."""
    import numpy as np

    terms = "\x00".join(vector)
    n = len(vector)
    if terms.count("\x00") != max(n - 1, 0):
        raise ValueError("a term of a vector holds a NUL character")
    weights = np.fromiter(vector.values(), float, n)
    code, values = 3, weights.astype(_TYPES[3])
    if n and np.isfinite(weights).all() and np.abs(weights).max() < _LIMIT:
        counts = np.rint(weights * _SCALE)
        low, high = counts.min(), counts.max()
        fits = 1 if low >= 0 and high < 1 << 16 else 2 if low >= -(1 << 31) and high < 1 << 31 else 0
        if fits:
            stored = counts.astype(_TYPES[fits])
            # whole ten-thousandths, as clustering keeps them? (bit for bit: -0.0 is not 0.0)
            if ((stored / _SCALE).view(np.int64) == weights.view(np.int64)).all():
                code, values = fits, stored
    rest = n.to_bytes(4, "little") + values.tobytes() + terms.encode("utf-8")
    packed = zlib.compress(rest)
    if len(packed) < len(rest):
        return bytes((code | ZLIB,)) + packed
    return bytes((code,)) + rest


def unpack(data: bytes) -> dict[str, float]:
    """The vector ``pack`` made, in its order. Raises ValueError for bytes it did not make."""
    import numpy as np

    if data[:1] and data[0] & ZLIB:
        try:
            data = bytes((data[0] & ~ZLIB,)) + zlib.decompress(data[1:])
        except zlib.error as e:
            raise ValueError(f"a packed vector does not inflate: {e}") from None
    if len(data) < 5 or data[0] not in _TYPES:
        raise ValueError("not a packed vector")
    n = int.from_bytes(data[1:5], "little")
    if not n:
        return {}
    kind = np.dtype(_TYPES[data[0]])
    end = 5 + n * kind.itemsize
    if len(data) < end:
        raise ValueError("a packed vector's weights are cut short")
    values = np.frombuffer(data, kind, n, 5)
    terms = data[end:].decode("utf-8").split("\x00")
    if len(terms) != n:
        raise ValueError("a packed vector's terms and weights do not match")
    weights = values.tolist() if data[0] == 3 else (values / _SCALE).tolist()
    return dict(zip(terms, weights, strict=True))


def pack_terms(terms: Sequence[str]) -> bytes:
    """One or more terms as bytes: UTF-8, separated by NUL. Raises ValueError for none, or for a
    term with a NUL."""
    text = "\x00".join(terms)
    if not terms or text.count("\x00") != len(terms) - 1:
        raise ValueError("no terms, or a term with a NUL character")
    return text.encode("utf-8")


def unpack_terms(data: bytes) -> list[str]:
    """The terms ``pack_terms`` made."""
    return data.decode("utf-8").split("\x00")


def starts(vector: Mapping[str, float], whole: Mapping[str, float]) -> bool:
    """Whether ``vector`` is the first ``len(vector)`` terms of ``whole``, in order, with the same
    weights to the bit (a story's only member and its centroid: see ``SQLiteStore``)."""
    if len(vector) > len(whole):
        return False
    return [(t, w.hex()) for t, w in vector.items()] == [
        (t, w.hex()) for t, w in itertools.islice(whole.items(), len(vector))
    ]


def first(whole: Mapping[str, float], n: int) -> dict[str, float]:
    """The first ``n`` terms of ``whole``."""
    return dict(itertools.islice(whole.items(), n))


def pack_keys(keys: Sequence[int]) -> bytes:
    """LSH keys as ``fingerprints.keys`` lists them (migration 0013): little-endian int64 each."""
    return struct.pack(f"<{len(keys)}q", *keys)


def unpack_keys(data: bytes) -> tuple[int, ...]:
    """The keys ``pack_keys`` made."""
    return struct.unpack(f"<{len(data) // 8}q", data)
