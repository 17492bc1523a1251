"""The boundary where an input's values become ours: every string storable, every date sane.

Inputs are written by anyone: a JSON record's ``published`` may be ``1e300``, ``NaN`` or a
5,000-digit integer; a date may be ``9999-12-31T23:59:59-23:59`` (which no UTC clock reaches); a
string may hold a lone surrogate (``"\\ud800"`` in JSON, ``&#xD800;`` in XML) that no UTF-8 writer
(SQLite, a terminal, a JSON export) accepts. Each value is cleaned here into what it can honestly
be — a date in range, a string without unpaired surrogates — or dropped with a note saying why,
so that one odd field never costs the record, let alone the run.
"""

from __future__ import annotations

import html
import html.entities
import math
import re
import unicodedata
from datetime import UTC, datetime

#: News happens within these years; a date outside them is an error in the input, not a date.
#: (1800: digitised newspaper archives; 2100: anything later is a typo or a placeholder.)
MIN_YEAR = 1800
MAX_YEAR = 2100

_SURROGATE = re.compile("[\ud800-\udfff]")
#: Control characters other than tab, newline and carriage return: never text, and NUL ends a
#: string for some C readers of the store.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: XML character references no XML parser may accept: surrogates, and beyond U+10FFFF. feedparser's
#: loose parser turns them into characters anyway and then fails to encode them.
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")


def text(value: str) -> str:
    """The string as storable text: lone surrogates become U+FFFD, control characters go."""
    if _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value


def composed(value: str) -> str:
    """The string in Unicode's composed form (NFC): "é" as one character, not "e" and a combining
    accent. Pages written on some systems (and text copied from them) carry the decomposed form,
    which looks the same but is other characters: without this, a copy in that form is no exact
    copy of its original, and neither search backend finds "société" in it (each splits the word
    at the accent)."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


#: What text decoded with the wrong encoding looks like: C1 control characters (Windows-1252 bytes
#: read as Latin-1: "\x92" for "’"), or the letters a UTF-8 lead byte becomes when read as Latin-1
#: or Windows-1252, followed by a continuation byte read the same way: "Ã©" for "é", "Â " for a
#: no-break space, "â€™" for "’", "Ð¼" for Cyrillic, "Ø§" for Arabic. Other accented letters
#: before such a character are ordinary text ("café »", "Ü¹"), so only these leads count. Only
#: text that matches is handed to ftfy.
_C1 = re.compile("[\u0080-\u009f]")
_CONTINUATION = (
    "\u00a0-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
    "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
)
_MISREAD = re.compile(f"[\u00c2\u00c3\u00d0\u00d1\u00d8\u00d9][{_CONTINUATION}]|\u00e2\u20ac")
#: Its leads, looked for one by one first: ``in`` finds a character at memory speed, so a text
#: without any (most) is not scanned by the pattern at all.
_LEADS = ("\u00c2", "\u00c3", "\u00d0", "\u00d1", "\u00d8", "\u00d9", "\u00e2\u20ac")


def repaired(value: str) -> str:
    """Text decoded with the wrong encoding somewhere before us, decoded again as it was written
    ("Egyptâ€™s" is "Egypt’s", "GuantÃ¡namo" is "Guantánamo", a "\x97" is "—"), by ftfy's
    ``fix_encoding``, which undoes only such mistakes and leaves text it cannot prove wrong alone.
    Scraped corpora and feeds carry it (38 of 320 real 2014 articles of one public set): left as
    it is, "Obamaâ" becomes an entity, "Egypt’s" is not found, and a copy is no copy of its
    original."""
    if not (_C1.search(value) or (any(c in value for c in _LEADS) and _MISREAD.search(value))):
        return value
    import ftfy  # only for text that looks mis-decoded: 50 ms to import

    return ftfy.fix_encoding(value)


#: A character reference written out whole (with its semicolon): "&amp;", "&#8217;", "&mdash;".
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescaped(value: str) -> str:
    """Text with the character references left in it resolved: "AT&amp;T" is "AT&T", "&#8211;" is
    "–". Feeds escape a title twice, records carry text copied from HTML source, pages escape what
    their CMS had escaped already; a reader sees "&amp;" where "&" was written, and search looks
    for the wrong word. Only whole references (with their semicolon) are read, so "AT&T" and "R&D"
    stay, and an escape escaped twice ("&amp;amp;") is read twice."""
    for _ in range(3):
        if "&" not in value or not _REFERENCE.search(value):
            break
        value = _REFERENCE.sub(_resolved, value)
    return value


def _resolved(m: re.Match[str]) -> str:
    """A reference's character; a name HTML does not define stays as written ("&notaname;", which
    ``html.unescape`` would read as "&not" and "aname;")."""
    ref = m.group(0)
    return html.unescape(ref) if ref[1] == "#" else html.entities.html5.get(ref[1:], ref)


def readable(value: str) -> str:
    """Text meant for reading, as we store it: mis-decoding repaired, character references left in
    it resolved, composed (NFC)."""
    return composed(unescaped(repaired(value)))


def optional_text(value: object) -> str | None:
    """A non-empty string, cleaned; anything else (a number, a list, null) is None."""
    if not isinstance(value, str):
        return None
    cleaned = text(value).strip()
    return cleaned or None


def in_range(dt: datetime | None) -> datetime | None:
    """The date with a time zone (UTC when it had none) when it lies within MIN_YEAR..MAX_YEAR in
    UTC, else None."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        utc = dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return dt if MIN_YEAR <= utc.year < MAX_YEAR else None


def timestamp(value: float) -> datetime | None:
    """POSIX seconds (or milliseconds, as JavaScript writes them) as a date in range, else None."""
    if isinstance(value, bool) or not math.isfinite(value):
        return None
    seconds = value / 1000 if abs(value) >= 1e11 else value
    try:
        return in_range(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, ValueError, OSError):
        return None


def iso_date(value: str) -> datetime | None:
    """An ISO 8601 date (``Z`` and ``+hhmm`` accepted) in range, else None."""
    raw = value.strip()
    if not raw or len(raw) > 64:
        return None
    raw = re.sub(r"[Zz]$", "+00:00", raw)
    raw = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", raw)
    try:
        return in_range(datetime.fromisoformat(raw))
    except ValueError:
        return None


def _charref(m: re.Match[bytes]) -> bytes:
    digits = m.group(1)
    if len(digits) > 9:
        return b"&#xFFFD;"
    code = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return b"&#xFFFD;"
    return m.group(0)


def xml_charrefs(data: bytes) -> bytes:
    """XML with its impossible character references (NUL, surrogates, beyond U+10FFFF) made U+FFFD:
    feedparser's loose parser turns them into characters and then fails to encode them."""
    return _CHARREF.sub(_charref, data) if b"&#" in data else data
