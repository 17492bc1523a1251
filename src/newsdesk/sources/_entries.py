"""Feed entries as documents, for every feed reader: which outlet an entry belongs to, and whether
it carries the article or only a teaser.

**One outlet is one source, however its feed titles itself.** A feed's title names the feed
("Pressline – Top News", "World news | The Guardian"); its articles belong to the outlet, which
is how the outlet's own pages name it ("Pressline"). ``outlet_name`` takes the part of the title
that names the site the feed links to; the feed's whole title stays the feed's name (the sources
table).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from .._text import word_count
from ..model import Broken, EntryHints, Fetched, FoundSource, Rejected
from ..urls import domain_of

#: Below this many words an entry's body is a teaser, not the article.
FULL_TEXT_MIN_WORDS = 60

_TAG = re.compile(r"<[^>]+>")
# " – ", " | ", " :: ", ": ", " » " ... between the outlet's name and the feed's section.
_TITLE_PARTS = re.compile(r"\s+(?:[-–—|>»·•~]+|::)\s+|\s*[|»·•]\s*|:\s+")
_SQUASH = re.compile(r"[\W_]+")
# Second-level labels of country domains (bbc.co.uk): never the site's own name.
_GENERIC_LABELS = frozenset(
    {"www", "com", "co", "org", "net", "ac", "gov", "edu", "news", "feeds", "feed", "rss", "m"}
)
# Parts of a title that name a section, never an outlet.
_GENERIC_PARTS = frozenset(
    {"news", "home", "homepage", "rss", "feed", "latest", "latestnews", "topstories", "world", "all", "main"}
)
_SEPARATOR_CHARS = " -–—|>»·•~:"
_SMALL_WORDS = frozenset({"the", "of", "and", "a", "an", "de", "la", "le", "el", "der", "die", "das"})


@dataclass(frozen=True, slots=True)
class FeedReading:
    """What one feed document gave: its own title (the feed's name), the outlet its entries belong
    to, and its entries, the sources it names and its problems, in order."""

    title: str | None
    outlet: str | None
    items: tuple[Fetched | FoundSource | Broken | Rejected, ...]


def words(fragment: str) -> int:
    """Words of an HTML fragment, fair to scripts written without spaces (``newsdesk._text``)."""
    return word_count(html.unescape(_TAG.sub(" ", fragment)))


def _site_labels(url: str | None) -> list[str]:
    """The labels of a site's host that can be its name: "feeds.bbci.co.uk" -> ["bbci"]."""
    if not url:
        return []
    labels = domain_of(url).lower().split(".")[:-1]  # the top-level domain is no name
    return [lab for lab in labels if lab not in _GENERIC_LABELS and len(lab) >= 2]


def _squash(text: str) -> str:
    """Lower case, accents and everything but letters and digits gone: "La Dépêche" -> "ladepeche"."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return _SQUASH.sub("", folded)


def _names_site(part: str, labels: list[str]) -> int:
    """How well a part of a title names the site: 2 exactly, 1 as a part, initials or short
    form of its address, 0 not at all."""
    squashed = _squash(part)
    if len(squashed) < 2 or squashed in _GENERIC_PARTS:
        return 0
    initials = "".join(w[0] for w in _SQUASH.split(part.lower()) if w and w not in _SMALL_WORDS)
    for label in labels:
        if squashed == label:
            return 2
    for label in labels:
        contains = len(label) >= 3 and label in squashed
        short_form = (len(squashed) >= 3 and squashed in label) or (len(initials) >= 2 and initials == label)
        if contains or short_form:
            return 1
    return 0


def plain_text(value: str | None, kind: str | None) -> str | None:
    """A feed's text construct as plain text: HTML ones (Atom ``type="html"``) lose their tags."""
    if value and kind and "html" in kind:
        return html.unescape(_TAG.sub(" ", value))
    return value


def outlet_name(title: str | None, site_url: str | None) -> str | None:
    """The outlet a feed belongs to: the part of its (plain text) title that names the site it
    links to.

    "Pressline – Top News" at pressline.example is "Pressline"; "World news | The Guardian" at
    theguardian.com is "The Guardian". A title that names no part of the site's address is kept
    whole (it is the feed's best name for itself); no title gives None (extraction then names the
    outlet from the page, or by its domain).
    """
    title = " ".join((title or "").split())
    if not title:
        return None
    labels = _site_labels(site_url)
    parts = [p.strip(_SEPARATOR_CHARS) for p in _TITLE_PARTS.split(title)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        scored = [(_names_site(p, labels), -n, p) for n, p in enumerate(parts)]
        score, _, best = max(scored)
        if score:
            return best
    return title


def entry_document(
    *,
    link: str | None,
    title: str | None,
    body: str,
    summary: str,
    origin: str,
    outlet: str | None,
    published: datetime | None = None,
    updated: datetime | None = None,
    author: str | None = None,
    categories: tuple[str, ...] = (),
    entry_id: str | None = None,
    language: str | None = None,
    text: str | None = None,
    notes: tuple[str, ...] = (),
) -> Fetched:
    """One feed entry as a document: with the article's HTML (or plain ``text``) when the entry
    carries it, else with an empty body (extraction rejects it as ``summary-only`` and the
    fetcher fetches its page)."""
    fullest = body if body else (html.escape(text) if text else "")
    full = words(fullest) >= FULL_TEXT_MIN_WORDS and words(fullest) > 1.5 * words(summary or "")
    if not full and words(fullest) >= 150:
        full = True  # a long description is the article itself
    hints = EntryHints(
        title=title,
        summary=html.unescape(_TAG.sub(" ", summary)).strip() or None,
        published=published or updated,
        updated=updated,
        author=author,
        categories=categories,
        entry_id=entry_id,
        source_name=outlet,
        language=language,
        text=text if full and not body else None,
        notes=notes,
    )
    return Fetched(
        url=link,
        body=body.encode("utf-8") if full and body else b"",
        origin=origin,
        content_type="text/html",
        hints=hints,
        source=outlet,
    )
