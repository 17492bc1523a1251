"""Fingerprints: the keys, computed once per article, that find the candidates a copy may be of.

* ``exact`` — a hash of the text with case, punctuation and spacing normalised: identical copies.
* ``text_keys`` — MinHash over 5-word shingles, cut into LSH bands: near-duplicates (small edits,
  other boilerplate, truncation) share at least one band with high probability.
* ``anchor_keys`` — MinHash over trigrams of the article's *anchors* (numbers and proper names, in
  order of appearance): what survives when a spinner rewords every other word. Independent reports
  of one event share anchors too, so a candidate found this way must pass sentence alignment
  (``_compare``) — a copy follows its original sentence by sentence, an independent report does not.

The MinHash is our own vectorised one (numpy, multiply-shift hashing over CRC32 token ids): stable
across processes, so keys can be stored, and ~20x faster than hashing each shingle in Python.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._stopwords import STOP_WORDS
from .._text import CONTINUOUS_CHAR
from ..model import IndexKeys

# -- tuning (pinned by the provenance evaluation; change only with its figures) -------------------

SHINGLE = 5
TEXT_PERMS, TEXT_ROWS = 126, 3  # 42 bands of 3 rows: P(candidate | J=0.5) ~ 0.996
ANCHOR_PERMS, ANCHOR_ROWS = 32, 2  # 16 bands of 2 rows: P(candidate | J=0.25) ~ 0.65, J=0.4 ~ 0.93

#: Version of the LSH keys (MinHash, bands, key folding). The store remembers the scheme its keys were
#: made with; when it differs, old keys no longer match new ones and ``Desk.retrace`` rebuilds them.
#: 1: blake2b band keys, 32 anchor bands. 2: numpy-folded band keys, 16 anchor bands.
FINGERPRINT_SCHEME = 2

#: A word, or one character of a script written without spaces (Chinese, Japanese, Thai, ...):
#: there a run of characters is a clause, not a word, and copies are found by character shingles,
#: as near-duplicate detection for those languages does. Text without such characters tokenises
#: as plain ``\w+``.
_WORD = re.compile(f"{CONTINUOUS_CHAR.pattern}|(?:(?!{CONTINUOUS_CHAR.pattern})\\w)+")


_MAX = np.uint64(0xFFFFFFFFFFFFFFFF)
_EMPTY = np.zeros(0, dtype=np.uint64)


def normalise(text: str) -> str:
    """Case, punctuation and spacing folded away: what "identical" compares."""
    return " ".join(_WORD.findall(text.lower()))


def _token_ids(tokens: Sequence[str]) -> np.ndarray:
    """CRC32 of each token's UTF-8 (hashing repeats is cheaper than a dictionary to skip them)."""
    return np.array(list(map(zlib.crc32, map(str.encode, tokens))), dtype=np.uint64)


def _shingle_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of every run of k token ids (a polynomial over the ids, wrapping mod 2**64).

    Repeated shingles repeat their hash: MinHash keeps minima, so duplicates change nothing, and
    skipping the sort of ``np.unique`` is a tenth of the fingerprint's time.
    """
    if len(ids) < k:
        return _EMPTY if len(ids) == 0 else _mix(ids[None, :].sum(axis=1))
    with np.errstate(over="ignore"):
        h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + ids[j : len(ids) - k + 1 + j]
    return _mix(h)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads structured polynomial hashes over all 64 bits."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        out: np.ndarray = h ^ (h >> np.uint64(31))
    return out


def _minhash(hashes: np.ndarray, bins: int) -> np.ndarray:
    """One-permutation MinHash with rotation densification (Shrivastava 2017).

    Each shingle hash falls in one of ``bins`` bins and each bin keeps its minimum: O(n) work instead
    of O(n * bins) for classic MinHash, with the same collision probability (Jaccard) per bin.
    Empty bins borrow from the next non-empty bin, offset by the distance, so short texts do not
    all collide on "empty".
    """
    sig = np.full(bins, _MAX, dtype=np.uint64)
    if len(hashes) == 0:
        return sig
    slot = (hashes % np.uint64(bins)).astype(np.intp)
    np.minimum.at(sig, slot, hashes // np.uint64(bins))
    empty = sig == _MAX
    if empty.any():
        filled = np.flatnonzero(~empty)
        positions = np.arange(bins)
        # index of the next filled bin, cyclically
        nxt = np.searchsorted(filled, positions) % len(filled)
        donor = filled[nxt]
        distance = (donor - positions) % bins
        with np.errstate(over="ignore"):
            sig = np.where(
                empty, sig[donor] + distance.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15), sig
            )
    return sig


def _band_seeds(bands: int, salt: int) -> np.ndarray:
    seeds = np.arange(bands, dtype=np.uint64) + np.uint64(salt << 16)
    with np.errstate(over="ignore"):
        return _mix(seeds * np.uint64(0x9E3779B97F4A7C15))


#: The seeds of the text and anchor bands, computed once (constants; never changed).
_BAND_SEEDS = {
    (TEXT_PERMS // TEXT_ROWS, 1): _band_seeds(TEXT_PERMS // TEXT_ROWS, 1),
    (ANCHOR_PERMS // ANCHOR_ROWS, 2): _band_seeds(ANCHOR_PERMS // ANCHOR_ROWS, 2),
}


def _band_keys(signature: np.ndarray, rows: int, salt: int) -> list[int]:
    """One signed 64-bit key per band (SQLite integers are signed 64-bit).

    Each band's rows are folded into a per-band, per-kind seed with the splitmix64 finaliser: plain
    uint64 arithmetic, so a key is the same in every process and on every platform (no ``hash()``).
    Changing this function changes every stored key: bump ``FINGERPRINT_SCHEME``.
    """
    bands = len(signature) // rows
    grid = signature[: bands * rows].reshape(bands, rows)
    h = _BAND_SEEDS.get((bands, salt))
    if h is None:
        h = _band_seeds(bands, salt)
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = _mix(h ^ grid[:, r])
    keys: list[int] = h.view(np.int64).tolist()
    return keys


# (the lookahead only lets the regex engine skip to candidate starts: a fifth faster, same matches)
_ANCHOR_CANDIDATE = re.compile(r"(?=[A-Z\d])\b(?:\d[\d.,]*\d|\d|[A-Z][\w\-]*\w)\b")
_SENTENCE_END = frozenset('.!?\n"“”')


def anchors(text: str) -> list[str]:
    """Numbers and proper names in order: the facts a rewording keeps.

    A capitalised word counts when it does not start a sentence (sentence-initial capitals are
    grammar, not names); numbers are normalised ("40,000" and "40000" are one anchor).
    """
    out: list[str] = []
    for m in _ANCHOR_CANDIDATE.finditer(text):
        w = m.group()
        if w[0].isdigit():
            out.append(w.replace(",", ""))
            continue
        i = m.start() - 1
        while i >= 0 and text[i] in " \t'‘(":
            i -= 1
        if i < 0 or text[i] in _SENTENCE_END:
            continue  # sentence-initial
        low = w.lower()
        if low not in STOP_WORDS:
            out.append(low)
    return out


@dataclass(frozen=True, slots=True)
class Fingerprint:
    exact: str
    text_keys: tuple[int, ...]
    anchor_keys: tuple[int, ...]
    words: int

    @property
    def index(self) -> IndexKeys:
        """What the store keeps of it."""
        return IndexKeys(self.exact, self.words, (*self.text_keys, *self.anchor_keys))


def fingerprint(text: str) -> Fingerprint:
    tokens = _WORD.findall(text.lower())
    norm = " ".join(tokens)
    text_keys: tuple[int, ...] = ()
    if tokens:
        text_sig = _minhash(_shingle_hashes(_token_ids(tokens), SHINGLE), TEXT_PERMS)
        text_keys = tuple(_band_keys(text_sig, TEXT_ROWS, 1))
    anchor_tokens = anchors(text)
    anchor_keys: tuple[int, ...] = ()
    if len(anchor_tokens) >= 6:
        anchor_sig = _minhash(_shingle_hashes(_token_ids(anchor_tokens), 3), ANCHOR_PERMS)
        anchor_keys = tuple(_band_keys(anchor_sig, ANCHOR_ROWS, 2))
    exact = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    return Fingerprint(exact=exact, text_keys=text_keys, anchor_keys=anchor_keys, words=len(tokens))
