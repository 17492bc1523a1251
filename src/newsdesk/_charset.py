"""Bytes of an HTML page -> text, honouring what the page and its server declare before guessing.

Browsers decode by the byte-order mark, then the HTTP ``Content-Type`` charset, then the page's own
``<meta charset>`` (in its first 1024 bytes by the standard; we look further, as real pages put
it after long scripts), and only then guess. A guess first, as trafilatura's ``decode_file`` does,
reads a GBK page declared as such as mojibake whenever the detector picks a wrong cousin. A
declaration is not trusted blindly either: one that cannot decode the bytes (a UTF-8 page
declared "iso-8859-1" by a careless server is still read right, but a Latin-1 page declared UTF-8
is not) gives way to the next signal.

Encoding labels are mapped as the WHATWG Encoding Standard maps them (``gb2312`` and ``gbk`` are
read as GB18030, ``iso-8859-1`` as windows-1252, ``shift_jis`` as windows-31j, ...): that is
what the pages' authors saw in their browsers.
"""

from __future__ import annotations

import codecs
import re

#: Where a <meta> declaration is looked for: the standard says 1024 bytes; pages put it later.
_META_WINDOW = 32_768
#: A declared encoding whose strict decode fails is still used when no more than this share of
#: the characters come out replaced (a stray bad byte in a long page).
_TOLERATED = 0.001

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)|"
    rb"<\?xml\s[^>]*?encoding\s*=\s*[\"']([\w.:-]+)",
    re.IGNORECASE,
)

#: WHATWG label -> the Python codec that decodes it as browsers do (labels not listed here are
#: looked up by Python's own codec names).
_WHATWG = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "iso-ir-58": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "korean": "cp949",
    "windows-949": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso_8859-1": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "windows-874": "cp874",
    "x-user-defined": "cp1252",
    "unicode": "utf-16-le",
    "utf-16": "utf-16-le",
    "ucs-2": "utf-16-le",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}


def codec_for(label: str | None) -> str | None:
    """The Python codec for an encoding label, or None when no codec has that name."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    name = _WHATWG.get(key, key)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _http_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HTTP_CHARSET.search(content_type)
    return m.group(1) if m else None


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:_META_WINDOW])
    if not m:
        return None
    label = m.group(1) or m.group(2)
    return label.decode("ascii", "replace") if label else None


def _decode_as(body: bytes, codec: str) -> str | None:
    """The text when ``codec`` reads the bytes (with at most a stray bad byte), else None."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
    return text if text.count("\ufffd") <= max(1, len(text) * _TOLERATED) else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str | None]:
    """The page as text, and a note when the encoding came from a guess or a declaration was
    overruled (for the article's notes); None when the page said what it is, or is UTF-8."""
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_codec, errors="replace"), None
    declared = [("HTTP header", _http_charset(content_type)), ("page", _meta_charset(body))]
    overruled: list[str] = []
    for where, label in declared:
        if not label:
            continue
        codec = codec_for(label)
        if codec is None:
            overruled.append(f"unknown encoding {label!r} declared by the {where}")
            continue
        if codec in ("utf-16-le", "utf-16-be"):
            continue  # a page that declares UTF-16 without a BOM is ASCII-compatible in practice
        text = _decode_as(body, codec)
        if text is not None:
            note = "; ".join(overruled) + " ignored" if overruled else None
            return text, note
        overruled.append(f"{label!r} declared by the {where} does not decode the page")
    try:
        text = body.decode("utf-8")
        return text, ("; ".join(overruled) + ": read as UTF-8") if overruled else None
    except UnicodeDecodeError:
        pass
    from trafilatura.utils import decode_file

    note = "no usable encoding declared: encoding guessed"
    if overruled:
        note = "; ".join(overruled) + ": encoding guessed"
    return decode_file(body), note
