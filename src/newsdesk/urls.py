"""URLs: the one parser every URL newsdesk takes in goes through, normalisation, and user info kept secret.

The identity of an article is its normalised canonical URL. Two URLs that a person would call "the
same page" must normalise to one string, and normalising twice must change nothing (a Hypothesis test
holds us to both). We keep query parameters that may select content (``?id=123``) and drop only the
ones that exist to track readers.

One parser (``_parse``) decides what a URL is, for normalising (``normalize_url``) and for fetching
(``split_credentials``), so a URL is either refused with ``InvalidURLError`` and a reason a person
can act on, or it is one the fetcher (httpx, then the system's resolver) can request: http(s); a
host that is a name of DNS labels (1 to 63 letters, digits, ``-`` or ``_``; IDNA-encoded as httpx
encodes it), a canonical IPv4 address or an IPv6 literal, never an ambiguous spelling of an address
(``0177.0.0.1``, ``0x7f.1``, ``127.1``, full-width digits); a port from 1 to 65535; no control
characters or lone surrogates; at most ``MAX_URL_LENGTH`` characters.

User info (``user:password@``) is a secret. ``split_credentials`` takes it out of a URL before the
URL is stored or fetched; ``redact_url`` takes it out of any text (a message, a log line) before the
text is shown or kept, and an invalid URL that might hide a password is not echoed at all.
"""

from __future__ import annotations

import hashlib
import ipaddress
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import idna

from .exceptions import InvalidURLError
from .model import Credentials

#: Longest URL accepted: httpx refuses longer ones, so they could never be fetched.
MAX_URL_LENGTH = 65_536
_MAX_HOST = 253
_MAX_LABEL = 63

_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|_ga|_gl|"
    r"igshid|ref_src|ref_url|ocid|cmpid|ito|itm_[a-z_]+|spm|share|__twitter_impression)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters that never need escaping in a path; everything else is (re-)quoted uniformly.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"

_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

#: Tab, CR and LF are dropped before parsing (as WHATWG and ``urlsplit`` do); other ASCII control
#: characters make a URL invalid (httpx refuses them).
_DROPPED = {9: None, 10: None, 13: None}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LABEL = re.compile(r"[a-z0-9_-]+")
#: A last label that is a number (decimal or 0x-hex): the host is an IPv4 address, so it must be a
#: canonical one (WHATWG's "ends in a number" rule).
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")
#: What httpx takes for an IPv4 address (the dots of its pattern are unescaped) and refuses unless
#: it is one.
_HTTPX_IPV4 = re.compile(r"[0-9]+.[0-9]+.[0-9]+.[0-9]+")
_BRACKETED = re.compile(r"\[([^\[\]]*)\](?::(.*))?", re.DOTALL)
_PORT = re.compile(r"[0-9]{1,5}")
#: The user info of a URL in any text: after ``scheme://``, everything up to the last "@" before the
#: host ends (at "/", "?" or "#"), as ``urlsplit`` and httpx read it.
_USERINFO = re.compile(r"\b([a-z][a-z0-9+.\-]*://)[^/?#]*@", re.IGNORECASE)
_SHOWN = 300


def redact_url(text: str) -> str:
    """``text`` with the user info (user name and password) of every URL in it taken out:
    ``http://user:pw@host/feed`` becomes ``http://host/feed``. Safe to show, log or store.

    The one redaction helper: everything that formats a URL that may carry user info into a message,
    a log line or a stored reason passes it (or the whole message) through here. It never raises.
    """
    return _USERINFO.sub(r"\1", text)


def _shown(url: str) -> str:
    """How an invalid URL appears in its error: quoted, without user info, cut when very long; not
    at all when an "@" is left where the host or path is (a password with an unencoded "/", "?" or
    "#" in it would otherwise show)."""
    text = redact_url(url.strip())
    if "@" in re.split(r"[?#]", text, maxsplit=1)[0]:
        return "(not shown: it may hold a password)"
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "...")


def _invalid(url: str, reason: str) -> InvalidURLError:
    return InvalidURLError(f"invalid URL {_shown(url)}: {reason}")


@dataclass(frozen=True, slots=True)
class _Parts:
    scheme: str
    #: As written (percent-encoded), None when there is none.
    userinfo: str | None
    #: ASCII, lower case, without a trailing dot; an IPv6 address without its brackets.
    host: str
    port: int | None
    #: Host and port as written, after the user info: what ``split_credentials`` keeps.
    hostport: str
    path: str
    query: str
    fragment: str


def _parse(url: str, base: str | None = None) -> _Parts:
    """The parts of an absolute http(s) URL (a relative one resolved against ``base``), checked as the
    module docstring says; InvalidURLError with the reason otherwise."""
    if len(url) > MAX_URL_LENGTH:
        raise _invalid(url, f"it is longer than {MAX_URL_LENGTH:,} characters")
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(url, "it is not valid Unicode (it has a lone surrogate)") from None
    raw = url.strip().translate(_DROPPED)
    if _CONTROL.search(raw):
        raise _invalid(url, "it contains a control character")
    try:
        if base:
            raw = urljoin(base, raw)
        parts = urlsplit(raw)
    except ValueError:
        # urlsplit's own message may quote the host with its user info: not shown.
        raise _invalid(url, "its host cannot be told apart (a bracket or a character out of place)") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise _invalid(url, "only absolute http and https URLs can be followed")
    userinfo, at, hostport = parts.netloc.rpartition("@")
    host, port = _host_and_port(url, hostport)
    return _Parts(
        scheme=scheme,
        userinfo=userinfo if at else None,
        host=host,
        port=port,
        hostport=hostport,
        path=parts.path,
        query=parts.query,
        fragment=parts.fragment,
    )


def _host_and_port(url: str, hostport: str) -> tuple[str, int | None]:
    m = _BRACKETED.fullmatch(hostport)
    if m:
        literal, port_text = m.group(1), m.group(2)
        if "%" in literal:
            raise _invalid(url, "an IPv6 zone id (%...) names a local interface: not allowed")
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            raise _invalid(url, "the address in brackets is not an IPv6 address") from None
        host = literal.lower()
    elif "[" in hostport or "]" in hostport:
        raise _invalid(url, "the brackets around an IPv6 address are malformed")
    else:
        name, colon, port_text = hostport.partition(":")
        port_text = port_text if colon else None
        host = _host(url, name)
    port = None
    if port_text:
        if not _PORT.fullmatch(port_text) or not 1 <= int(port_text) <= 65535:
            raise _invalid(url, "the port is not a number from 1 to 65535")
        port = int(port_text)
    return host, port


def _host(url: str, name: str) -> str:
    """A host name as httpx will send it (ASCII, lower case), or InvalidURLError with the reason."""
    host = name.rstrip(".")
    if not host:
        raise _invalid(url, "it has no host")
    if not host.isascii():
        if unicodedata.normalize("NFKC", host).isascii():
            raise _invalid(url, "the host is written in look-alike characters (full-width digits or letters)")
        try:
            # Exactly how httpx encodes it (IDNA 2008, no mapping): full-width digits are refused.
            host = idna.encode(host.lower()).decode("ascii")
        except (UnicodeError, ValueError):
            raise _invalid(url, "the host is not a valid internationalised domain name") from None
    host = host.lower()
    if len(host) > _MAX_HOST:
        raise _invalid(url, f"the host is longer than {_MAX_HOST} characters")
    labels = host.split(".")
    for label in labels:
        if not label:
            raise _invalid(url, "the host has an empty label (two dots in a row, or a leading dot)")
        if len(label) > _MAX_LABEL:
            raise _invalid(url, f"a label of the host is longer than {_MAX_LABEL} characters")
        if not _LABEL.fullmatch(label):
            raise _invalid(
                url, "the host has a character no host name has (letters, digits, '-', '_' and '.' only)"
            )
    if any(label.startswith("xn--") for label in labels):
        try:
            for label in labels:
                if label.startswith("xn--"):
                    idna.decode(label)
            if host.startswith("xn--"):
                idna.decode(host)  # httpx decodes such a host whole, every label checked
        except (UnicodeError, ValueError):
            raise _invalid(url, "the host has a malformed IDNA label (xn--...)") from None
    if _NUMBER.fullmatch(labels[-1]) or _HTTPX_IPV4.fullmatch(host):
        try:
            canonical = str(ipaddress.IPv4Address(host)) == host
        except ValueError:
            canonical = False
        if not canonical:
            raise _invalid(
                url,
                "the host spells an IPv4 address ambiguously (octal, hex, or not four parts): "
                "write it as four decimal numbers, like 192.0.2.1",
            )
    return host


def _normalise_escapes(path: str) -> str:
    """Decode escapes of unreserved characters only; "%2F" stays, so a path keeps its segments."""

    def fix(m: re.Match[str]) -> str:
        char = chr(int(m.group(1), 16))
        return char if char in _UNRESERVED else "%" + m.group(1).upper()

    return _ESCAPE.sub(fix, path)


def _clean_path(path: str) -> str:
    if not path:
        return "/"
    trailing = path.endswith("/")
    resolved = posixpath.normpath(path)
    if resolved.startswith("//"):
        resolved = "/" + resolved.lstrip("/")
    if trailing and resolved != "/":
        resolved += "/"
    # Quote what must be quoted ("%" is safe here: existing escapes were normalised above).
    return quote(_normalise_escapes(resolved), safe=_PATH_SAFE + "%")


def normalize_url(url: str, base: str | None = None) -> str:
    """Return the normalised form of an absolute http(s) URL (relative ones resolved against base):
    lower-case scheme and host, no default port, no user info, no fragment, a clean path, the query
    sorted without tracking parameters.

    Raises InvalidURLError, with the reason, for anything that is not an http(s) URL newsdesk could
    fetch (see the module docstring).
    """
    p = _parse(url, base)
    netloc = p.host if ":" not in p.host else f"[{p.host}]"
    if p.port is not None and p.port != _DEFAULT_PORTS[p.scheme]:
        netloc = f"{netloc}:{p.port}"
    query_pairs = [(k, v) for k, v in parse_qsl(p.query, keep_blank_values=True) if not _TRACKING.match(k)]
    query = urlencode(sorted(query_pairs), doseq=True)
    return urlunsplit((p.scheme, netloc, _clean_path(p.path), query, ""))


def split_credentials(url: str, base: str | None = None) -> tuple[str, Credentials | None]:
    """A URL to fetch (a relative one resolved against ``base``) without its user info, and the
    credentials that user info gave (None when it gave none). The URL is otherwise as written (not
    normalised: a feed's address is the publisher's).

    Raises InvalidURLError, with the reason, for anything ``normalize_url`` refuses, and for user info
    that does not decode (a user name with a colon, percent-escapes that are not UTF-8).
    """
    p = _parse(url, base)
    clean = urlunsplit((p.scheme, p.hostport, p.path, p.query, p.fragment))
    if p.userinfo is None:
        return clean, None
    user, _, password = p.userinfo.partition(":")
    try:
        username = unquote(user, errors="strict")
        password = unquote(password, errors="strict")
    except UnicodeDecodeError:
        raise _invalid(url, "its user info is not UTF-8 once percent-decoded") from None
    if ":" in username:
        raise _invalid(url, "its user name has a colon in it (HTTP Basic auth cannot send that)")
    if not username and not password:
        return clean, None
    return clean, Credentials(username, password)


def is_http_url(value: str | None) -> bool:
    if not value:
        return False
    try:
        _parse(value)
    except InvalidURLError:
        return False
    return True


def domain_of(url: str) -> str:
    """The host without a leading ``www.``: how people name a site."""
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


#: ISO 639-1 language codes: a first path segment of one ("/en/", "/de-at/", "/pt_br/") is a site's
#: home page in that language (an edition), not an article. Other two-letter segments ("/tv",
#: "/gz") are not.
_LANGUAGES = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy "
    "da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu "
    "hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb "
    "lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om "
    "or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw "
    "ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)
_EDITION = re.compile(r"^([a-z]{2})(?:[-_][a-z]{2,4})?$", re.IGNORECASE)
#: Home pages under a file name: "/index.html", "/default.aspx", "/home".
_HOME_FILE = re.compile(r"^(?:index|default|home|start|main)(?:\.[a-z]{2,5})?$", re.IGNORECASE)


def is_site_root(url: str) -> bool:
    """Whether a (normalised) URL is a site's home page — ``/``, ``/index.html``, a language root
    such as ``/en/`` — which is never one article's address. A query string (``/?p=123``, as
    WordPress links its posts) makes it a page of its own."""
    parts = urlsplit(url)
    if parts.query:
        return False
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return True
    if len(segments) == 1:
        return _is_edition(segments[0]) or bool(_HOME_FILE.match(segments[0]))
    return len(segments) == 2 and _is_edition(segments[0]) and bool(_HOME_FILE.match(segments[1]))


def _is_edition(segment: str) -> bool:
    m = _EDITION.match(segment)
    return bool(m and m.group(1).lower() in _LANGUAGES)


def is_ancestor(section: str, page: str) -> bool:
    """Whether ``section`` is a strict ancestor of ``page`` on the same host: ``/world/`` of
    ``/world/2024/05/a-story``. A canonical link to an ancestor names a section front, not the
    page (both URLs normalised)."""
    a, b = urlsplit(section), urlsplit(page)
    if a.netloc != b.netloc or a.query:
        return False
    up = [s for s in a.path.split("/") if s]
    down = [s for s in b.path.split("/") if s]
    return len(up) < len(down) and down[: len(up)] == up


def content_identity(title: str, text: str) -> str:
    """The identity of an article that has no trustworthy URL: a digest of what it says, so two
    different texts can never share one identity, and the same text arriving twice is one article.
    A URN, never shown as a link."""
    digest = hashlib.sha256(f"{title}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"urn:newsdesk:content:{digest}"


def file_identity(origin: str) -> str | None:
    """The identity of a page read from a local file of its own when the page gives no trustworthy
    URL (its ``file://`` URI), or None when ``origin`` names no such file (a feed entry, a record,
    a fetched page)."""
    if "#" in origin:
        return None
    path = Path(origin)
    return path.resolve().as_uri() if path.is_file() else None


def is_content_identity(url: str) -> bool:
    return url.startswith("urn:newsdesk:")
