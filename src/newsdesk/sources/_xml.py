"""What every reader of XML (feeds, OPML, sitemaps) does before a parser sees the document.

**No parser newsdesk runs on XML ever sees an entity declaration.** ``defuse`` expands a document's
internal entities itself, at most ``MAX_ENTITY_EXPANSION`` characters of replacement text in all,
and removes every entity declaration (the DOCTYPE's internal subset that holds them, a stray one
before the root element, a comment that names one); a document that would expand further, or
whose entities refer to themselves, is refused (``InputError``). So neither a "billion laughs" (entities
nested ten deep, ten references each) nor a quadratic blow-up (one long entity referenced thousands
of times) can make more than ``len(data) + MAX_ENTITY_EXPANSION`` characters of text, whatever the
parser behind does with entities — feedparser's loose parser, which runs whenever its strict one
gives up, expands declared entities without any limit. External and parameter entities are never
loaded: their declarations go, their references stay as undefined names (``&name;``).

``prepare`` goes further for the readers that parse with lxml (OPML, sitemaps) and recovers from the
faults feedparser recovers from in feeds: a wrong or missing encoding declaration, a byte-order mark
or blank lines before ``<?xml``, an unescaped ``&`` (kept as ``&``), an HTML entity name such as
``&nbsp;`` (its character). Character references and the five predefined entities are untouched.

``sniff_view`` gives the readers' ``sniff`` the document from its root element on: a long DOCTYPE,
comments or processing instructions first do not push the root out of the window looked at
(``SNIFF_BYTES``).
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass

from ..exceptions import InputError

#: How much of an input the readers look at to tell its format: room for a long prolog.
SNIFF_BYTES = 65_536
#: Characters of entity replacement text a document may expand to, in all (then it is refused).
MAX_ENTITY_EXPANSION = 1_000_000
#: Entities referring to entities referring to ...: deeper than this is refused.
MAX_ENTITY_DEPTH = 16

_PREDEFINED = frozenset({"lt", "gt", "amp", "quot", "apos"})
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_XML_DECL = re.compile(r"<\?xml\s[^>]{0,400}?\?>")
_ENCODING = re.compile(r"""encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_DECL_STOP = re.compile(r"""[>"']""")
_SUBSET_TEXT = re.compile(r"[^<\]]+")
_DOCTYPE_NAME = re.compile(r"\s*([^\s\[>\"']+)?")
_DOCTYPE_STOP = re.compile(r"[\[\"'>]")
#: The start of an element: "<" and a name's first character.
_ROOT = re.compile(r"<[^\W\d]", re.UNICODE)
#: Where feedparser thinks the document's head ends (it looks for entity declarations before it).
_FEEDPARSER_HEAD_END = re.compile(r"<[A-Za-z0-9_]")
_ENTITY_WORD = re.compile(r"<!ENTITY", re.IGNORECASE)
_ENTITY_BYTES = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ENTITY_DECL = re.compile(r"<!ENTITY\s+(%\s+)?([^\s\"'>%&;]+)\s*(.*)>\Z", re.IGNORECASE | re.DOTALL)
_NAME = r"[A-Za-z_:][\w.:-]*"
_REF = re.compile(rf"&({_NAME});")
#: In a document's body: sections where ``&`` is not markup, or an entity reference.
_BODY_REF = re.compile(rf"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|&({_NAME});", re.DOTALL)
#: Every ``&`` in a body, with what follows it when that is a well-formed reference.
_ANY_AMP = re.compile(
    rf"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|&(?:#[0-9]+;|#x[0-9A-Fa-f]+;|({_NAME});)?", re.DOTALL
)


# -- decoding -------------------------------------------------------------------------------------


def _wide_codec(data: bytes) -> str | None:
    """UTF-16 or UTF-32, by byte-order mark or by the zero bytes around the first character."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return None if codec == "utf-8" else codec
    head = data[:4]
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be"
    if len(head) == 4 and head[1:] == b"\0\0\0" and head[0]:
        return "utf-32-le"
    if len(head) >= 2 and not head[0] and head[1]:
        return "utf-16-be"
    if len(head) >= 2 and head[0] and not head[1]:
        return "utf-16-le"
    return None


def _markup_text(data: bytes) -> tuple[str, str]:
    """The document as text in which markup can be found, and the codec that gives the bytes back
    exactly: UTF-16/32 when it is that, else Latin-1 (every byte one character; the markup of any
    ASCII-compatible encoding, UTF-8 included, reads right)."""
    codec = _wide_codec(data) or "latin-1"
    return data.decode(codec, errors="replace"), codec


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, str | None]:
    """The document as text, and a note when its encoding declaration had to be overruled.

    A byte-order mark decides; then UTF-8 when the bytes are valid UTF-8 (whatever is declared: a
    document that declares ISO-8859-1 but is UTF-8 is common, the reverse is undetectable); then the
    declared encoding; then Windows-1252, which reads every byte.
    """
    wide = _wide_codec(data)
    if wide is not None:
        return data.decode(wide, errors="replace").lstrip("\ufeff"), None
    body = data.removeprefix(codecs.BOM_UTF8)
    decl = _XML_DECL.match(body[:512].decode("latin-1").lstrip())
    m = _ENCODING.search(decl.group()) if decl else None
    declared = m.group(1) if m else None
    codec = _known_codec(declared) if declared else None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared and codec not in ("utf-8", "ascii") and not text.isascii():
            return text, f"declares encoding {declared!r} but is UTF-8: read as UTF-8"
        return text, None
    if codec and codec != "utf-8":
        try:
            return body.decode(codec), None
        except UnicodeDecodeError:
            pass
    what = f"not valid {declared}" if declared and codec else "not valid UTF-8"
    if declared and not codec:
        what = f"declares an unknown encoding {declared!r}"
    return body.decode("cp1252", errors="replace"), f"{what}: read as Windows-1252"


# -- the prolog -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Doctype:
    start: int  # of "<!DOCTYPE"
    end: int  # after its ">"
    subset: tuple[int, int] | None  # "[" .. after "]", when it has an internal subset
    name: str


@dataclass(frozen=True, slots=True)
class _Prolog:
    """What stands before the root element."""

    #: Where the root element starts (the end of the text when there is none); None when the
    #: prolog does not end (an unterminated comment, declaration or DOCTYPE).
    end: int | None
    doctypes: tuple[_Doctype, ...]
    #: Spans of markup declarations outside any DOCTYPE (``<!ENTITY ...>`` on its own is not XML,
    #: but feedparser reads it as a declaration).
    stray: tuple[tuple[int, int], ...]
    #: Spans of comments and processing instructions.
    notes: tuple[tuple[int, int], ...]


def _markup_decl_end(text: str, i: int) -> int:
    """Index after the ``>`` that closes the declaration whose body starts at ``i`` (quotes
    respected), or -1."""
    while True:
        m = _DECL_STOP.search(text, i)
        if m is None:
            return -1
        if m.group() == ">":
            return m.end()
        close = text.find(m.group(), m.end())
        if close < 0:
            return -1
        i = close + 1


def _subset_end(text: str, i: int) -> int:
    """Index after the ``]`` that closes an internal subset whose content starts at ``i``, or -1."""
    n = len(text)
    while i < n:
        m = _SUBSET_TEXT.match(text, i)
        if m:
            i = m.end()
            continue
        if text[i] == "]":
            return i + 1
        if text.startswith("<!--", i):
            j = text.find("-->", i + 4)
            i = j + 3 if j >= 0 else -1
        elif text.startswith("<?", i):
            j = text.find("?>", i + 2)
            i = j + 2 if j >= 0 else -1
        elif text.startswith("<!", i):
            i = _markup_decl_end(text, i + 2)
        else:
            i += 1
        if i < 0:
            return -1
    return -1


def _doctype(text: str, start: int) -> _Doctype | None:
    i = start + len("<!DOCTYPE")
    m = _DOCTYPE_NAME.match(text, i)
    name = (m.group(1) or "") if m else ""
    subset = None
    while True:
        m = _DOCTYPE_STOP.search(text, i)
        if m is None:
            return None
        c = m.group()
        if c == ">":
            return _Doctype(start, m.end(), subset, name.lower())
        if c == "[":
            end = _subset_end(text, m.end())
            if end < 0:
                return None
            subset = (m.start(), end)
            i = end
        else:
            close = text.find(c, m.end())
            if close < 0:
                return None
            i = close + 1


def _prolog(text: str) -> _Prolog:
    """Skip what stands before the root element: a byte-order mark, blanks, the XML declaration,
    comments, processing instructions, DOCTYPEs, stray declarations and stray text."""
    i = 3 if text.startswith("\xef\xbb\xbf") else 0  # a UTF-8 BOM read as Latin-1
    n = len(text)
    doctypes: list[_Doctype] = []
    stray: list[tuple[int, int]] = []
    notes: list[tuple[int, int]] = []
    while i < n:
        if text[i] in "\ufeff \t\r\n":
            i += 1
            continue
        if text.startswith(("<?", "<!--"), i):
            close = "?>" if text[i + 1] == "?" else "-->"
            j = text.find(close, i + 2)
            if j >= 0:
                notes.append((i, j + len(close)))
            i = j + len(close) if j >= 0 else -1
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            d = _doctype(text, i)
            if d is not None:
                doctypes.append(d)
            i = d.end if d is not None else -1
        elif text.startswith("<!", i):
            j = _markup_decl_end(text, i + 2)
            if j >= 0:
                stray.append((i, j))
            i = j
        elif _ROOT.match(text, i):
            break
        else:  # stray text (or a "<" that starts nothing): the root may still follow
            j = text.find("<", i + 1)
            i = j if j >= 0 else n
        if i < 0:
            return _Prolog(None, tuple(doctypes), tuple(stray), tuple(notes))
    return _Prolog(i, tuple(doctypes), tuple(stray), tuple(notes))


@dataclass(frozen=True, slots=True)
class SniffView:
    """What sniffing looks at: the DOCTYPE's name (lower case) and, in lower case, the text from
    the root element on."""

    doctype: str | None
    text: str


def sniff_view(head: bytes, size: int = 2048) -> SniffView:
    """The start of an input, past its prolog when the prolog ends within ``head``."""
    text, _ = _markup_text(head)
    prolog = _prolog(text)
    doctype = prolog.doctypes[0].name if prolog.doctypes else None
    start = prolog.end if prolog.end is not None else 0
    return SniffView(doctype=doctype, text=text[start : start + size].lstrip("\ufeff \t\r\n").lower())


# -- entities -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entities:
    """The internal general entities of a DOCTYPE, expanded on demand within one budget."""

    raw: dict[str, str]
    budget: int
    done: dict[str, str]
    used: int = 0

    def expand(self, name: str, stack: tuple[str, ...] = ()) -> str:
        if name in self.done:
            return self.done[name]
        if name in stack:
            raise InputError(f"refused: entity &{name}; refers to itself")
        if len(stack) >= MAX_ENTITY_DEPTH:
            raise InputError(f"refused: entities nested more than {MAX_ENTITY_DEPTH} deep")
        size = 0

        def one(m: re.Match[str]) -> str:
            nonlocal size
            ref = m.group(1)
            value = self.expand(ref, (*stack, name)) if ref in self.raw else m.group()
            size += len(value)
            if size > self.budget:
                raise InputError(self.too_much())
            return value

        value = _REF.sub(one, self.raw[name])
        self.done[name] = value
        return value

    def charge(self, n: int) -> None:
        self.used += n
        if self.used > self.budget:
            raise InputError(self.too_much())

    def too_much(self) -> str:
        return (
            f"refused: its DOCTYPE declares entities that expand to more than {self.budget:,} "
            "characters (an entity bomb)"
        )


def _declarations(text: str, start: int, end: int) -> tuple[dict[str, str], list[str]]:
    """The internal general entities declared between ``start`` and ``end`` (the first declaration
    of a name binds), and the names of external or parameter entities, which are never loaded."""
    internal: dict[str, str] = {}
    ignored: list[str] = []
    i = start
    while i < end:
        j = text.find("<!", i, end)
        if j < 0:
            break
        if text.startswith("<!--", j):
            k = text.find("-->", j + 4, end)
            i = k + 3 if k >= 0 else end
            continue
        k = _markup_decl_end(text, j + 2)
        if k < 0 or k > end:
            break
        m = _ENTITY_DECL.match(text, j, k)
        if m:
            parameter, name, rest = m.group(1), m.group(2), m.group(3).strip()
            if not parameter and len(rest) >= 2 and rest[0] in "'\"" and rest.endswith(rest[0]):
                internal.setdefault(name, rest[1:-1])
            else:
                ignored.append(("%" if parameter else "") + name)
        i = k
    return internal, ignored


@dataclass(frozen=True, slots=True)
class Defused:
    """A document without entity declarations, and what was done to it (None when nothing was)."""

    data: bytes
    note: str | None = None


def _check_head(text: str) -> None:
    """Refuse a document where feedparser would still find an entity declaration: anything
    ``<!ENTITY`` before its first ``<`` + letter, wherever it stands (even in a comment)."""
    m = _FEEDPARSER_HEAD_END.search(text)
    if _ENTITY_WORD.search(text, 0, m.start() if m else len(text)):
        raise InputError("refused: an entity declaration newsdesk cannot read safely (unended, or misplaced)")


def _defuse_text(text: str, *, budget: int = MAX_ENTITY_EXPANSION) -> tuple[str, str | None]:
    prolog = _prolog(text)
    if prolog.end is None:
        _check_head(text)
        return text, None
    # Declarations are read from internal subsets and stray declarations; a comment or processing
    # instruction that mentions one goes too (feedparser would read it as a declaration).
    spans = [(d.subset, True) for d in prolog.doctypes if d.subset is not None]
    spans += [(s, True) for s in prolog.stray] + [(s, False) for s in prolog.notes]
    cuts: list[tuple[int, int]] = []  # spans of the prolog to remove
    raw: dict[str, str] = {}
    ignored: list[str] = []
    for (start, end), declares in sorted(spans):
        if not _ENTITY_WORD.search(text, start, end):
            continue
        if declares:
            internal, skipped = _declarations(text, start, end)
            for k, v in internal.items():
                raw.setdefault(k, v)
            ignored += skipped
        cuts.append((start, end))
    if not cuts:
        _check_head(text)
        return text, None
    entities = _Entities(raw=raw, budget=budget, done={})
    used: set[str] = set()

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name is None or name not in raw:
            return m.group()
        value = entities.expand(name)
        entities.charge(len(value))
        used.add(name)
        return value

    head = text[: prolog.end]
    for start, end in reversed(cuts):
        head = head[:start] + head[end:]
    out = head + _BODY_REF.sub(one, text[prolog.end :])
    _check_head(out)
    parts = []
    if raw:
        parts.append(f"{len(used)} of {len(raw)} internal entities expanded by newsdesk")
    if ignored:
        parts.append("external or parameter entities not loaded: " + ", ".join(sorted(set(ignored))[:5]))
    if not parts:
        parts.append("a comment or processing instruction that names one")
    return out, "entity declarations removed (" + "; ".join(parts) + ")"


def defuse(data: bytes, *, budget: int = MAX_ENTITY_EXPANSION) -> Defused:
    """The document with its internal entities expanded (within ``budget`` characters) and every
    entity declaration removed; the bytes are otherwise untouched. Raises InputError (a sentence a
    person can read) for a document that would expand further or whose entities loop."""
    if _wide_codec(data) is None and _ENTITY_BYTES.search(data) is None:
        return Defused(data)
    text, codec = _markup_text(data)
    defused, note = _defuse_text(text, budget=budget)
    if note is None:
        return Defused(data)
    return Defused(defused.encode(codec, errors="replace"), note)


# -- repairs for lxml -----------------------------------------------------------------------------


def repair_references(text: str) -> tuple[str, int, int]:
    """Escape every ``&`` that starts no reference and turn HTML entity names into characters.

    Returns the text, the number of bare ``&`` escaped and the number of entity names replaced (or
    escaped, when not HTML's either). Inside CDATA sections and comments nothing changes.
    """
    bare = named = 0

    def one(m: re.Match[str]) -> str:
        nonlocal bare, named
        ref = m.group()
        if not ref.startswith("&") or ref.startswith("&#"):
            return ref
        name = m.group(1)
        if name is None:
            bare += 1
            return "&amp;"
        if name in _PREDEFINED:
            return ref
        named += 1
        char = html.entities.html5.get(name + ";")
        if char is None:
            return "&amp;" + ref[1:]
        return "".join(f"&#{ord(c)};" for c in char)

    return _ANY_AMP.sub(one, text), bare, named


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready for lxml: UTF-8 without a declaration, no entity declarations, every
    reference well-formed; ``text`` is the same as a string, ``notes`` what was repaired."""

    data: bytes
    text: str
    notes: tuple[str, ...]


def prepare(data: bytes, *, budget: int = MAX_ENTITY_EXPANSION) -> Prepared:
    """Decode, defuse and repair a document for a strict XML parser. Raises InputError when its
    entities are refused or nothing of it is XML."""
    text, note = decode(data)
    notes = [note] if note else []
    text, entity_note = _defuse_text(text, budget=budget)
    if entity_note:
        notes.append(entity_note)
    start = text.find("<")
    if start < 0:
        raise InputError("no XML in it" if text.strip() else "empty")
    if text[:start].strip("\ufeff \t\r\n"):
        decl = text.find("<?xml")
        cut = decl if 0 <= decl < 1024 else start
        notes.append(f"text before the XML ignored ({text[:cut].strip()[:40]!r})")
        start = cut
    text = text[start:]
    m = _XML_DECL.match(text)
    if m:
        text = text[m.end() :]
    text, bare, named = repair_references(text)
    if bare:
        notes.append(f"{bare} unescaped '&' read as '&'")
    if named:
        notes.append(f"{named} undeclared entity names read as HTML's")
    return Prepared(data=text.encode("utf-8"), text=text, notes=tuple(notes))
