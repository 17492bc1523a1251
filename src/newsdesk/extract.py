"""Fetched -> Article | Rejected: trafilatura for the main text and metadata, then the news-specific
clean-up trafilatura does not do.

The order of work matters: we read what we need from the parsed page (structured metadata, declared
source links, headline links for index detection) *before* handing the tree to trafilatura, which
prunes it in place. The clean-up (``_clutter``: its line rules and ``clean_text``) works on
trafilatura's text, line by line, because auto-blog clutter ("[ad_1]", "Source link", "Related
Articles") survives inside the main content container, where no DOM heuristic can tell it from a
short paragraph.
"""

from __future__ import annotations

import dataclasses
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from dateutil.parser import UnknownTimezoneWarning
from lxml import etree
from trafilatura.utils import load_html

from . import _tables, _valid
from ._charset import decode_html
from ._clutter import _BULLET, _INTL_SOURCE, _summarise_removed, clean_text
from ._text import CONTINUOUS_CHAR, word_count
from .config import MAX_ARTICLE_CHARS
from .exceptions import InvalidURLError
from .model import Article, Fetched, Rejected, RejectReason, SourceLink
from .urls import content_identity, domain_of, file_identity, is_ancestor, is_site_root, normalize_url

# htmldate hands date strings such as "2026-03-16 10:00 CEST" to dateutil, which warns on stderr
# that it does not know the zone and goes on with the date: the warning is about the page, not
# something a person running newsdesk can act on (the date is kept, by its day).
warnings.filterwarnings("ignore", category=UnknownTimezoneWarning)

# -- what a page declares it copies (read with its facts, below) -----------------------------------

#: Anchors whose own text declares the page they copy.
_SOURCE_ANCHOR = re.compile(
    r"^(?:source link|source|original (?:article|story|source|post|report)|"
    r"read (?:the )?(?:full|original|complete|whole) (?:article|story|report|post)(?: here)?|"
    r"read more(?: at| on)?|view (?:the )?original(?: article| story)?|"
    r"continue reading(?: at| on)?|full story|"
    f"{_INTL_SOURCE}|originalartikel|artículo original|article original|articolo originale|"
    "artigo original|оригинал статьи|阅读原文|閱讀原文|元記事|원문 보기|المقال الأصلي"
    r")\s*[:»>.…：]*$",
    re.IGNORECASE,
)
#: Text standing just before an anchor (at the start of its paragraph) that declares a source.
_SOURCE_LEAD = re.compile(
    r"^(?:(?:this (?:article|story|post) (?:was|is|has been) )?"
    r"(?:originally|first) (?:published|appeared|posted)(?: (?:at|on|in|by))?|"
    r"(?:this (?:article|story) (?:was|is) )?(?:republished|reproduced|syndicated) "
    r"(?:from|with permission from)|"
    r"read (?:more|the (?:full|original) (?:story|article)) (?:at|on)|"
    r"source|via|h/t|hat tip|courtesy(?: of)?|"
    f"{_INTL_SOURCE}|zuerst erschienen (?:in|bei|auf)|publicado originalmente en|"
    "publié initialement (?:sur|dans)|"
    "pubblicato originariamente su|publicado originalmente em|oorspronkelijk gepubliceerd (?:op|in)|"
    "впервые опубликовано (?:в|на)|本文转载自|本文轉載自|转载自|轉載自"
    r")\s*[:\-–—：]?$",
    re.IGNORECASE,
)
_ERROR_TITLE = re.compile(
    r"\b(?:404|410|403|500|502|503|not found|page not found|page cannot be found|"
    r"no longer available|access denied|forbidden|server error|something went wrong|"
    r"error page|gone|seite nicht gefunden|fehlerseite|página no encontrada|página não encontrada|"
    r"page introuvable|page non trouvée|pagina non trovata|pagina niet gevonden|"
    r"strona nie została znaleziona|sayfa bulunamadı|страница не найдена|сторінку не знайдено)\b|"
    r"页面不存在|页面未找到|找不到页面|頁面不存在|找不到網頁|ページが見つかりません|"
    r"페이지를 찾을 수 없습니다|الصفحة غير موجودة|הדף לא נמצא|पृष्ठ नहीं मिला",
    re.IGNORECASE,
)

# Canonical categories and the words sites use for them.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "world": (
        "world",
        "world news",
        "international",
        "global",
        "foreign",
        "europe",
        "africa",
        "asia",
        "americas",
        "middle east",
        "worldnews",
    ),
    "politics": ("politics", "political", "election", "elections", "government", "policy"),
    "business": (
        "business",
        "economy",
        "economics",
        "markets",
        "market",
        "finance",
        "money",
        "companies",
        "industry",
        "trade",
        "banking",
        "business news",
    ),
    "technology": (
        "technology",
        "tech",
        "science & technology",
        "science and technology",
        "internet",
        "gadgets",
        "digital",
        "computing",
        "ai",
        "cybersecurity",
    ),
    "science": ("science", "space", "research", "climate science"),
    "health": ("health", "medicine", "wellness", "coronavirus", "covid-19"),
    "sport": (
        "sport",
        "sports",
        "football",
        "soccer",
        "cricket",
        "tennis",
        "rugby",
        "athletics",
        "basketball",
        "olympics",
        "f1",
        "motorsport",
        "golf",
    ),
    "entertainment": ("entertainment", "celebrity", "movies", "film", "music", "tv", "showbiz"),
    "culture": ("culture", "arts", "books", "art", "lifestyle", "food", "travel"),
    "environment": ("environment", "climate", "energy", "nature", "weather"),
    "opinion": ("opinion", "comment", "editorial", "editorials", "columns", "analysis"),
    "local": ("local", "local news", "regional", "city", "metro", "uk news", "us news", "national"),
}
_CATEGORY_OF = {alias: cat for cat, aliases in CATEGORIES.items() for alias in aliases}

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "liveblogposting",
    "report",
    "scholarlyarticle",
    "techarticle",
}


#: The note of an article whose text was repaired (see ``_valid.repaired``).
_REPAIRED = "text repaired: it had been decoded with the wrong encoding (mojibake such as “â€™”)"


def _repaired(text: str, notes: list[str]) -> str:
    """``_valid.repaired``, saying so once in the article's notes when it changed something: a
    page's HTML is repaired before it is parsed (its parser drops the C1 characters that tell), and
    text that came without HTML (records, feed entries, fragments) after it is read."""
    fixed = _valid.repaired(text)
    if fixed != text and _REPAIRED not in notes:
        notes.append(_REPAIRED)
    return fixed


def category_for(label: str | None) -> str | None:
    """Map a site's own section label ("Sports", "World News", "/tech/") to our category."""
    if not label:
        return None
    key = re.sub(r"[\s_\-/]+", " ", label).strip().lower()
    if key in _CATEGORY_OF:
        return _CATEGORY_OF[key]
    if key.endswith(" news") and key[:-5] in _CATEGORY_OF:
        return _CATEGORY_OF[key[:-5]]
    return None


# -- what we read from the page before trafilatura ------------------------------------------------


@dataclass(slots=True)
class _PageFacts:
    canonical: str | None = None
    og_url: str | None = None
    title: str | None = None
    h1: str | None = None
    language: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    og_type: str | None = None
    is_article_typed: bool = False
    site_name: str | None = None
    description: str | None = None
    source_links: list[SourceLink] = field(default_factory=list)
    headline_links: set[str] = field(default_factory=set)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    text = re.sub(r"Z$", "+00:00", text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _json_ld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return {v.lower() for v in values if isinstance(v, str)}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _text_of(el: etree._Element) -> str:
    if not isinstance(el.tag, str):
        return ""  # a comment or processing instruction: no text of the page
    return " ".join("".join(el.itertext()).split())


def _in_chrome(el: etree._Element) -> bool:
    """Inside the site's navigation or masthead, where no declared source link lives.

    A ``<header>`` inside an ``<article>`` or ``<main>`` is the article's own header, not chrome.
    """
    ancestors = list(el.iterancestors())
    tags = [a.tag if isinstance(a.tag, str) else "" for a in ancestors]
    for i, anc in enumerate(ancestors):
        role = (anc.get("role") or "").lower()
        if tags[i] == "nav" or role == "navigation":
            return True
        if (tags[i] == "header" or role == "banner") and not {"article", "main"} & set(tags[i + 1 :]):
            return True
    return False


def _text_before(anchor: etree._Element) -> str:
    """The text just before an anchor inside its parent ("Originally published at <a>").

    Only the immediately preceding text (or the preceding inline element's text, for
    ``<strong>Source:</strong> <a>``) is looked at: constant work per link, whatever the page size.
    """
    prev = anchor.getprevious()
    parent = anchor.getparent()
    # Comments and processing instructions (WordPress's <!--more-->) hold no text of the page:
    # the text before the anchor is their tail, or what stands before them.
    for _ in range(3):
        if prev is None or isinstance(prev.tag, str) or (prev.tail or "").strip():
            break
        prev = prev.getprevious()
    if prev is not None and not isinstance(prev.tag, str):
        return " ".join((prev.tail or "").split())
    if prev is None:
        text = parent.text if parent is not None else None
    else:
        text = prev.tail
        if not (text or "").strip():
            text = _text_of(prev)
    return " ".join((text or "").split())


def _anchors(tree: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    """Every link with its text, read once: both source and headline detection need them."""
    return [(a, _text_of(a)) for a in tree.iter("a")]


def _source_links(anchors: list[tuple[lxml.html.HtmlElement, str]], page_url: str | None) -> list[SourceLink]:
    own_host = domain_of(page_url) if page_url else None
    found: list[SourceLink] = []
    seen: set[str] = set()
    for a, label in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        lead = ""
        declared = bool(label) and _SOURCE_ANCHOR.match(label) is not None
        if not declared:
            lead = _text_before(a)
            declared = bool(lead) and _SOURCE_LEAD.match(lead) is not None
        if not declared or _in_chrome(a):
            continue
        try:
            url = normalize_url(href, base=page_url)
        except InvalidURLError:
            continue
        explicit = label.lower().startswith(("source link", "original")) or lead.lower().startswith(
            ("originally", "first", "this", "republished", "reproduced", "syndicated")
        )
        if own_host and domain_of(url) == own_host and not explicit:
            continue  # "Read more" to the site's own pages is navigation, not a source
        if (page_url and url == page_url) or url in seen:
            continue
        seen.add(url)
        found.append(SourceLink(url=url, label=(f"{lead} {label}".strip() if lead else label)))
    return found


def _headline_links(anchors: list[tuple[lxml.html.HtmlElement, str]]) -> set[str]:
    out = set()
    for a, text in anchors:
        if text.count(" ") >= 3 and len(text.split()) >= 4 and not _in_chrome(a):
            out.add(text.lower())
    return out


def _breadcrumbs(tree: lxml.html.HtmlElement) -> list[str]:
    crumbs: list[str] = []
    containers = tree.xpath(
        '//*[contains(translate(@class,"BREADCRUMB","breadcrumb"),"breadcrumb") or '
        'contains(translate(@id,"BREADCRUMB","breadcrumb"),"breadcrumb") or '
        'contains(translate(@aria-label,"BREADCRUMB","breadcrumb"),"breadcrumb")]'
    )
    for c in containers[:1]:
        for a in c.iter("a"):
            t = _text_of(a)
            if t and t.lower() not in {"home", "homepage", "start", "news"}:
                crumbs.append(t)
    return crumbs


def _metas(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Every ``<meta>`` by its property, name or itemprop (lower-cased), first non-empty value wins."""
    found: dict[str, str] = {}
    for m in tree.iter("meta"):
        content = (m.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (m.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def _first(metas: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        if key.lower() in metas:
            return metas[key.lower()]
    return None


def _page_facts(tree: lxml.html.HtmlElement, url_hint: str | None) -> _PageFacts:
    f = _PageFacts()
    metas = _metas(tree)
    canon = tree.xpath('//link[@rel="canonical"]/@href')
    f.canonical = str(canon[0]).strip() if canon else None
    f.og_url = _first(metas, "og:url")
    titles = tree.xpath("//title")
    f.title = _text_of(titles[0]) if titles else None
    h1 = tree.xpath("//h1")
    f.h1 = _text_of(h1[0]) if h1 else None
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    f.language = lang or _first(metas, "og:locale", "language", "content-language", "inLanguage")
    f.og_type = (_first(metas, "og:type") or "").lower() or None
    f.site_name = _first(metas, "og:site_name", "application-name")
    f.description = _first(metas, "og:description", "description")
    f.published = _parse_time(
        _first(
            metas,
            "article:published_time",
            "datePublished",
            "parsely-pub-date",
            "pubdate",
            "publish-date",
            "dc.date",
            "DC.date.issued",
            "date",
        )
    )
    f.updated = _parse_time(_first(metas, "article:modified_time", "og:updated_time", "dateModified"))
    section = _first(metas, "article:section", "articleSection", "section", "parsely-section")
    if section:
        f.sections.append(section)
    author = _first(metas, "author", "article:author", "parsely-author", "dc.creator")
    if author and not author.startswith("http"):
        f.authors.append(author)
    for obj in _json_ld_objects(tree):
        types = _types(obj)
        if types & _ARTICLE_TYPES:
            f.is_article_typed = True
            f.published = f.published or _parse_time(str(obj.get("datePublished") or ""))
            f.updated = f.updated or _parse_time(str(obj.get("dateModified") or ""))
            sec = obj.get("articleSection")
            f.sections.extend(_names(sec))
            f.authors.extend(_names(obj.get("author")))
            if not f.language and isinstance(obj.get("inLanguage"), str):
                f.language = obj["inLanguage"]
            pub = _names(obj.get("publisher"))
            if pub and not f.site_name:
                f.site_name = pub[0]
        elif "breadcrumblist" in types:
            items = obj.get("itemListElement") or []
            names = [
                n
                for it in items
                if isinstance(it, dict)
                for n in _names(it.get("item") if isinstance(it.get("item"), dict) else it)
            ]
            f.sections.extend(n for n in names[:-1] if n.lower() not in {"home", "news"})
    if not f.published:
        times = tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime")
        f.published = _parse_time(str(times[0])) if times else None
    f.sections.extend(_breadcrumbs(tree))
    anchors = _anchors(tree)
    f.source_links = _source_links(anchors, url_hint or f.og_url or f.canonical)
    f.headline_links = _headline_links(anchors)
    return f


# -- language -------------------------------------------------------------------------------------


def _language(declared: str | None, text: str) -> tuple[str | None, str | None]:
    """Declared language (primary subtag) when the page gives one, else a detection from the text."""
    if declared:
        code = re.split(r"[-_]", declared.strip())[0].lower()
        if re.fullmatch(r"[a-z]{2,3}", code):
            return code, None
    if word_count(text) < 20:
        return None, None
    import py3langid  # loads its model on first use, once per process

    lang, _ = py3langid.classify(text[:5000])
    return str(lang), f"language detected from text ({lang})"


# -- the stage ------------------------------------------------------------------------------------


def _clean_title(title: str | None, site_name: str | None) -> str | None:
    if not title:
        return None
    title = " ".join(title.split())
    if site_name:
        for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
            if title.endswith(sep + site_name):
                title = title[: -len(sep + site_name)]
            if title.startswith(site_name + sep):
                title = title[len(site_name + sep) :]
    return title.strip() or None


def _pick_section(candidates: Iterable[str | None]) -> tuple[str | None, str | None]:
    labels = [c.strip() for c in candidates if c and c.strip()]
    for label in labels:
        cat = category_for(label)
        if cat:
            return label, cat
    return (labels[0] if labels else None), None


def _url_section(url: str | None) -> str | None:
    if not url:
        return None
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) >= 2 and re.fullmatch(r"[a-z][a-z\-]{1,30}", parts[0]):
        return parts[0]
    return None


def _fragment_text(body: bytes) -> tuple[str, lxml.html.HtmlElement]:
    """Text of an HTML fragment (a feed entry's content), one line per block."""
    # Control characters are no text and lxml refuses to set them on a node.
    root = lxml.html.fragment_fromstring(
        _valid.text(body.decode("utf-8", errors="replace")), create_parent="div"
    )
    for bad in root.xpath("//script|//style|//iframe|//noscript"):
        bad.drop_tree()
    _tables.prepare(root)
    blocks = {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "div",
        "figcaption",
        "tr",
        "br",
    }
    for el in root.iter():
        if el.tag in blocks:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    return "\n".join(" ".join(line.split()) for line in root.text_content().splitlines()), root


_STORY_QUERY = re.compile(
    r"(?:^|[&;])(?:p|id|sid|nid|aid|article|articleid|story|storyid|noticia|artikel|articolo)=?\d{3,}(?:$|[&;])",
    re.IGNORECASE,
)
_DATED_PATH = re.compile(r"/(?:19|20)\d\d[/-]\d\d?(?:[/-]|$)")


def _article_like_url(url: str | None) -> bool:
    """A URL shaped like one story's (a dated path, a long slug, a long numeric id), not a section's."""
    if not url:
        return False
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    # CMSs that address a story by a query (SPIP's ?article8532, WordPress's ?p=123, ?id=...).
    by_query = _STORY_QUERY.search(parts.query)
    return bool(_DATED_PATH.search(path) or last.count("-") >= 3 or re.search(r"\d{5,}", last) or by_query)


def _index_page(
    facts: _PageFacts, lines: list[str], words: int, min_words: int, *, is_page: bool, url: str | None
) -> str | None:
    """Why a page is a section front or home page rather than an article, or None.

    Two shapes: the text *is* the headline links (bare lists), or the text is teaser blurbs whose
    headlines trafilatura dropped — then the page has many headline links, short lines and no sign
    of being an article (no publication time, no Article markup, no og:type article).
    """
    links = len(facts.headline_links)
    if not lines or not links:
        return None
    linked = sum(_linked_words(line, facts.headline_links) for line in lines)
    if linked >= 0.5 * words and links >= 5:
        return f"a list of {links} headline links, not an article"
    if not is_page or facts.is_article_typed or facts.og_type == "article" or facts.published:
        return None
    if _article_like_url(facts.canonical or facts.og_url or url):
        return None
    lengths = sorted(word_count(line) for line in lines)
    # Blurbs are a sentence or two; an article with a busy template (sidebars, "most read") still
    # has paragraphs of its own, and three of 50 words or more are no section front's.
    if sum(1 for n in lengths if n >= 50) >= 3:
        return None
    teasers = len(lines) >= 8 and lengths[len(lengths) // 2] < 35 and links >= 0.4 * len(lines)
    if facts.og_type == "website" and links >= 10 and (teasers or words < 3 * min_words):
        return f"section or home page ({links} headline links, og:type website)"
    if links >= 15 and teasers:
        return f"section or home page ({links} headline links over {len(lines)} teaser lines)"
    return None


def _linked_words(line: str, links: set[str]) -> int:
    """Words of a line that are the text of a headline link (a teaser line is a link plus a blurb)."""
    low = _BULLET.sub("", line).lower()
    if low in links:
        return len(low.split())
    return max((len(link.split()) for link in links if link in low), default=0)


def _reject(fetched: Fetched, reason: RejectReason, detail: str, url: str | None = None) -> Rejected:
    return Rejected(origin=fetched.origin, reason=reason, detail=detail, url=url or fetched.url)


@dataclass(frozen=True, slots=True)
class _Identity:
    url: str  # the page's own URL (or the identity, when there is none)
    canonical_url: str  # the article's identity
    #: A canonical link to another site, kept as a declared source rather than our identity.
    foreign_canonical: str | None
    notes: list[str]


def _identity(
    page_url: str | None,
    claimed: list[tuple[str, str | None]],
    origin: str,
    title: str,
    text: str,
) -> _Identity:
    """Which URL this article is known by (docs/identity.md has the rules and their reasons).

    ``page_url`` is where the document came from (the fetched URL, a feed entry's link, a JSONL
    record's ``url``); ``claimed`` are the URLs the page claims for itself (canonical link,
    og:url), trusted only when they can be this article's: never a site's home page, never a
    section front above the page. A canonical link to another site is a declared source, not our
    identity. With no trustworthy URL, a file of its own is known by its path, anything else (a
    feed entry, a JSON record, a WARC record) by a digest of its content — never by another
    article's URL.
    """
    notes: list[str] = []
    page = None
    if page_url:
        try:
            page = normalize_url(page_url)
        except InvalidURLError as e:  # its message has the reason, and never user info
            notes.append(f"ignored the input's URL: {e}")
    if page and is_site_root(page):
        notes.append(f"ignored the input's URL {page}: a site's home page is no article's address")
        page = None
    trusted: list[tuple[str, str]] = []
    for label, candidate in claimed:
        if not candidate:
            continue
        try:
            url = normalize_url(candidate, base=page)
        except InvalidURLError as e:
            notes.append(f"ignored the {label}: {e}")
            continue
        if is_site_root(url):
            notes.append(f"ignored the {label} {url}: it points to the site's home page")
            continue
        trusted.append((label, url))
    if page is None:
        # A saved page without its address: sites set og:url to the page itself, and the
        # canonical link may point elsewhere (a syndicated copy's original).
        page = next((u for label, u in trusted if label == "og:url"), None)
    for label, url in trusted:
        if page and is_ancestor(url, page):
            notes.append(f"ignored the {label} {url}: it points to a section above this page")
            continue
        if page and domain_of(page) != domain_of(url):
            notes.append(f"{label} points to another site ({url}): kept as declared source")
            return _Identity(page, page, url, notes)
        return _Identity(page or url, url, None, notes)
    if page:
        return _Identity(page, page, None, notes)
    found = file_identity(origin)
    if found is not None:
        ident = found
        notes.append("no URL in the page or input: identified by its file")
    else:
        ident = content_identity(title, text)
        notes.append("no trustworthy URL: identified by a digest of its content")
    return _Identity(ident, ident, None, notes)


#: What only a whole page has (a fragment, such as a feed entry's content, has none of these).
#: Searched through the whole document: a page may open with kilobytes of comments or scripts, and
#: HTML lets a page leave out <html> and <body> altogether.
_FULL_PAGE = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|title[\s>])", re.IGNORECASE)


#: Titles that say a page is missing. Unlike "gone" or "forbidden", no headline says this of itself.
_NOT_FOUND = re.compile(
    r"^(?:error\s*)?(?:404|410)\b|\b(?:page|article|content)\s+(?:not found|cannot be found|"
    r"could not be found|does not exist|doesn't exist|no longer exists)\b|^not found$|"
    r"\b(?:seite nicht gefunden|"
    r"página no encontrada|página não encontrada|page introuvable|page non trouvée|pagina non trovata|"
    r"pagina niet gevonden|страница не найдена)\b|页面不存在|页面未找到|找不到页面|頁面不存在|"
    r"ページが見つかりません|페이지를 찾을 수 없습니다|الصفحة غير موجودة|הדף לא נמצא|पृष्ठ नहीं मिला",
    re.IGNORECASE,
)


def _is_not_found_title(title: str, site_name: str | None) -> bool:
    """A short title that says the page is missing ("Page not found | Site", "404 - Seite nicht
    gefunden"): a soft 404, served with status 200 and the whole site's navigation (so it may have
    any number of words)."""
    cleaned = _clean_title(title, site_name) or title
    return len(cleaned.split()) <= 10 and _NOT_FOUND.search(cleaned.strip(" |-–—:")) is not None


def _trafilatura_config(min_extracted_size: int) -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(min_extracted_size))
    return config


#: trafilatura's settings, as shipped.
_CONFIG = _trafilatura_config(250)
#: For pages in scripts written without spaces. trafilatura counts characters: below 250 it
#: distrusts its main extraction and falls back to a cruder one (one line, template included). 250
#: characters are about 40 English words but 125 Chinese ones: the same 40 words are about 80.
_DENSE_CONFIG = _trafilatura_config(80)
_DENSE_LANGUAGES = {"zh", "ja", "th", "lo", "km", "my", "bo"}


def _dense_script(facts: _PageFacts) -> bool:
    """Whether the page is written in a script without spaces: by its declared language, else by
    its title."""
    if facts.language:
        return re.split(r"[-_]", facts.language.strip().lower())[0] in _DENSE_LANGUAGES
    title = facts.title or facts.h1 or ""
    letters = sum(1 for c in title if c.isalpha())
    return letters > 0 and len(CONTINUOUS_CHAR.findall(title)) >= letters / 2


def _fetched_home_page(fetched: Fetched) -> str | None:
    """The URL a document was really fetched from (HTTP, a WARC record) when it is a site's home
    page: a front page or a removed article's redirect to it, never an article."""
    if not fetched.final_url:
        return None
    try:
        url = normalize_url(fetched.final_url)
    except InvalidURLError:
        return None
    return url if is_site_root(url) else None


def extract(
    fetched: Fetched, *, min_words: int = 60, max_chars: int = MAX_ARTICLE_CHARS
) -> Article | Rejected:
    """Make a clean article of one document, or say why it is not one (``max_chars``: the most
    characters of title and main text an article may have)."""
    hints = fetched.hints
    if not fetched.body.strip() and not hints.text:
        if hints.summary or hints.title:
            return _reject(
                fetched,
                RejectReason.SUMMARY_ONLY,
                "feed entry carries only a summary; its page must be fetched",
            )
        return _reject(fetched, RejectReason.EMPTY, "empty document")
    home = _fetched_home_page(fetched)
    if home:
        return _reject(fetched, RejectReason.INDEX_PAGE, f"a site's home page ({home}), not an article", home)
    url_hint = fetched.final_url or fetched.url
    page_url = url_hint
    notes: list[str] = list(hints.notes)
    if hints.text and not fetched.body.strip():
        raw_text = hints.text.replace("\r\n", "\n")
        facts = _PageFacts()
        doc: Any = None
    elif not _FULL_PAGE.search(fetched.body):
        raw_text, root = _fragment_text(fetched.body)
        facts = _PageFacts(source_links=_source_links(_anchors(root), url_hint))
        doc = None
    else:
        html, charset_note = decode_html(fetched.body, fetched.content_type)
        html = _valid.composed(_repaired(_valid.text(html), notes))
        if charset_note:
            notes.append(charset_note)
        tree = load_html(html)
        if tree is None:
            return _reject(fetched, RejectReason.UNPARSABLE, "not parsable as HTML")
        facts = _page_facts(tree, url_hint or None)
        if not url_hint:
            url_hint = facts.og_url or facts.canonical
        # Data tables become rows of text, layout tables ordinary blocks, the site's own tables go.
        _tables.prepare(tree)
        doc = trafilatura.bare_extraction(
            tree,
            url=url_hint,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
            config=_DENSE_CONFIG if _dense_script(facts) else _CONFIG,
        )
        raw_text = (doc.text if doc is not None else "") or ""
    raw_text = _valid.composed(_valid.unescaped(_repaired(raw_text, notes)))

    site_name = getattr(doc, "sitename", None) or facts.site_name or hints.source_name or fetched.source
    title = (
        _clean_title(hints.title, site_name)
        if doc is None
        else _clean_title(getattr(doc, "title", None) or facts.h1 or hints.title, site_name)
    )
    title = _valid.readable(title) if title else title
    size = len(raw_text) + len(title or "")
    if size > max_chars:
        return _reject(
            fetched,
            RejectReason.TOO_LARGE,
            f"title and main text have {size:,} characters, more than max_article_chars={max_chars:,}",
            url_hint,
        )
    page_title = facts.title or ""
    titles = [t for t in (page_title, facts.h1, title) if t]
    if (any(_ERROR_TITLE.search(t) for t in titles) and word_count(raw_text) < 200) or any(
        _is_not_found_title(t, site_name) for t in titles
    ):
        return _reject(
            fetched,
            RejectReason.ERROR_PAGE,
            f"looks like an error page (title {(facts.h1 or page_title)!r})",
            url_hint,
        )

    section, category = _pick_section(
        [
            *hints.categories,
            *facts.sections,
            *(getattr(doc, "categories", None) or []),
            _url_section(facts.canonical or url_hint),
        ]
    )
    text, removed = clean_text(
        raw_text, title, section, site_name, facts.headline_links, facts.canonical or url_hint
    )
    notes.extend(_summarise_removed(removed))
    words = word_count(text)

    lines = [line for line in text.splitlines() if line]
    index = _index_page(facts, lines, words, min_words, is_page=doc is not None, url=url_hint)
    if index:
        return _reject(fetched, RejectReason.INDEX_PAGE, index, url_hint)
    if words < min_words:
        return _reject(
            fetched,
            RejectReason.TOO_SHORT,
            f"main text has {words} words, fewer than min_words={min_words}",
            url_hint,
        )
    if not title:
        first = lines[0] if lines else ""
        if 3 <= word_count(first) <= 25:
            title, text = first, "\n".join(lines[1:])
            notes.append("no title in the page: used the first line")
        else:
            return _reject(fetched, RejectReason.UNPARSABLE, "no title found", url_hint)

    ident = _identity(
        page_url, [("canonical link", facts.canonical), ("og:url", facts.og_url)], fetched.origin, title, text
    )
    url, canonical_url = ident.url, ident.canonical_url
    notes.extend(ident.notes)
    source_links = list(facts.source_links)
    canon = ident.foreign_canonical
    if canon and all(s.url != canon for s in source_links):
        source_links.insert(0, SourceLink(url=canon, label="canonical link"))

    published = _sane_date(facts.published or hints.published, "publication", notes)
    if published is None and doc is not None and getattr(doc, "date", None):
        published = _sane_date(_parse_time(doc.date), "publication", notes)
        if published is not None:
            notes.append("publication date found by htmldate (day only)")
    updated = _sane_date(facts.updated or hints.updated, "update", notes)
    if updated and published and updated <= published:
        updated = None
    byline = getattr(doc, "author", None) or (", ".join(dict.fromkeys(facts.authors)) or None) or hints.author
    language, lang_note = _language(
        facts.language or (getattr(doc, "language", None)) or hints.language, text
    )
    if lang_note:
        notes.append(lang_note)
    tags = tuple(dict.fromkeys(getattr(doc, "tags", None) or []))
    return _storable(
        Article(
            url=url,
            canonical_url=canonical_url,
            title=title,
            text=text,
            # The outlet, as its own page names it, beats what delivered the page (a feed, a record).
            source=facts.site_name
            or fetched.source
            or site_name
            or (domain_of(url) if url.startswith("http") else None),
            site_name=site_name,
            byline=byline,
            published=published,
            updated=updated,
            fetched=_valid.in_range(fetched.fetched_at),
            language=language,
            section=section,
            category=category,
            tags=tags,
            source_links=tuple(source_links),
            description=getattr(doc, "description", None) or facts.description or hints.summary,
            notes=tuple(notes),
            origin=fetched.origin,
            entry_id=hints.entry_id,
        )
    )


def _sane_date(dt: datetime | None, what: str, notes: list[str]) -> datetime | None:
    """A date a store can keep and a reader can believe; else None, with a note."""
    if dt is None:
        return None
    kept = _valid.in_range(dt)
    if kept is None:
        notes.append(
            f"ignored the {what} date {dt.isoformat()}: not between {_valid.MIN_YEAR} and {_valid.MAX_YEAR}"
        )
    return kept


def _storable(article: Article) -> Article:
    """Every string of the article as text any UTF-8 writer accepts (no lone surrogates, no control
    characters): they arrive from feeds, records and pages that anyone may have written. The other
    words meant for reading are also made ``_valid.readable`` (the title and the text are already:
    ``extract`` reads them so before it cleans them); addresses and ids are left as they came."""
    t = _valid.text

    def w(value: str) -> str:
        return _valid.readable(t(value))

    def opt(value: str | None) -> str | None:
        return None if value is None else t(value)

    def optw(value: str | None) -> str | None:
        return None if value is None else w(value)

    return dataclasses.replace(
        article,
        url=t(article.url),
        canonical_url=t(article.canonical_url),
        title=t(article.title),
        text=t(article.text),
        source=opt(article.source),
        site_name=optw(article.site_name),
        byline=optw(article.byline),
        language=opt(article.language),
        section=optw(article.section),
        category=opt(article.category),
        tags=tuple(w(x) for x in article.tags if isinstance(x, str)),
        source_links=tuple(SourceLink(url=t(x.url), label=w(x.label)) for x in article.source_links),
        description=optw(article.description),
        notes=tuple(t(n) for n in article.notes),
        origin=opt(article.origin),
        entry_id=opt(article.entry_id),
    )


def extract_html(html: bytes | str, url: str | None = None, *, min_words: int = 60) -> Article | Rejected:
    """Extract one HTML page given as text: for the ``extract`` command, tests and benchmarks."""
    body = html.encode("utf-8") if isinstance(html, str) else html
    return extract(Fetched(url=url, body=body, origin=url or "<html>"), min_words=min_words)
