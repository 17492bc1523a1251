"""The news-specific clean-up of extracted text: the line rules, and ``clean_text`` that applies them.

Trafilatura keeps what sits inside the main content container; auto-blog and template clutter
("[ad_1]", "Source link", "Related Articles", a run of headline links, a byline's web address)
often does. Its rules are regular expressions over whole lines, in several languages, and only
``clean_text`` reads them, so they live apart from the stage (``extract``), which calls
``clean_text`` on trafilatura's text and records what it removed. The names the stage or the page
facts share (``_BULLET``, ``_INTL_SOURCE``) are imported from here.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .urls import domain_of

# -- the clean-up rules ---------------------------------------------------------------------------

#: A WordPress-style shortcode alone on a line: "[ad_1]", "[/caption]", "[adsense id=3]".
#: Shortcodes are lower-case; "[Engadget]" or "[PC World]" is a citation and stays.
_SHORTCODE_LINE = re.compile(r"^\[/?[a-z][a-z0-9_-]*(?:\s[^\]]*)?\]$")
#: Ad placeholders left inside a sentence.
_AD_INLINE = re.compile(
    r"\s*\[(?:ad|ads|advert|advertisement|adsense|banner|sponsored)(?:[_-]?\d+)?\]\s*",
    re.IGNORECASE,
)

# What templates say in other languages. Each list holds whole-line phrases (matched case-insensitively,
# alone on a line or as an anchor's whole text), so a paragraph of an article never matches one.
# German, Spanish, French, Italian, Portuguese, Dutch, Polish, Turkish, Russian, Ukrainian, Chinese,
# Japanese, Korean, Arabic, Hebrew, Hindi.
_INTL_SOURCE = (
    "quelle|quellenlink|fuente|enlace a la fuente|fonte|link alla fonte|bron|źródło|kaynak|"
    "источник|джерело|来源|來源|原文|原文链接|出典|出所|출처|المصدر|מקור|स्रोत"
)
_INTL_RELATED = (
    "ähnliche artikel|verwandte artikel|mehr zum thema|das könnte sie auch interessieren|"
    "artículos relacionados|noticias relacionadas|te puede interesar|articles similaires|"
    "articles connexes|à lire aussi|sur le même sujet|articoli correlati|leggi anche|"
    "artigos relacionados|notícias relacionadas|leia também|gerelateerde artikelen|lees ook|"
    "powiązane artykuły|czytaj także|ilgili haberler|похожие статьи|читайте также|"
    "по теме|схожі статті|читайте також|相关文章|相關文章|相关新闻|相關新聞|延伸阅读|延伸閱讀|"
    "関連記事|関連ニュース|관련 기사|관련기사|مقالات ذات صلة|أخبار ذات صلة|כתבות נוספות|"
    "כתבות קשורות|संबंधित खबरें|ये भी पढ़ें|यह भी पढ़ें"
)
_INTL_CLUTTER = (
    "teilen|artikel teilen|anzeige|werbung|nach oben|weiterlesen|mehr lesen|kommentare|"
    "compartir|publicidad|volver arriba|leer más|comentarios|partager|publicité|haut de page|"
    "lire la suite|commentaires|condividi|pubblicità|torna su|leggi di più|commenti|"
    "compartilhar|compartilhe|publicidade|voltar ao topo|leia mais|comentários|delen|"
    "advertentie|naar boven|lees meer|reacties|udostępnij|reklama|czytaj więcej|komentarze|"
    "paylaş|reklam|devamını oku|yorumlar|поделиться|реклама|наверх|читать далее|комментарии|"
    "поділитися|читати далі|分享|分享到|广告|廣告|返回顶部|返回頂部|阅读更多|閱讀更多|评论|"
    "シェア|広告|トップへ戻る|続きを読む|コメント|공유|공유하기|광고|맨 위로|더 보기|댓글|"
    "مشاركة|إعلان|اقرأ المزيد|تعليقات|שתף|שתפו|פרסומת|קרא עוד|תגובות|शेयर करें|विज्ञापन|"
    "और पढ़ें|टिप्पणियाँ"
)

_CLUTTER_LINE = re.compile(
    r"^(?:"
    r"source link|source|back to top(?: button)?|top of page|"
    r"share(?: this)?(?: article| story| post| page)?|share on \w+|"
    r"share (?:via|to) \w+|click to (?:share|email|print)\b.*|tweet|pin it|print|email|"
    r"like this|loading(?:\.{3}|…)?|"
    r"(?:sign up|subscribe)(?: now)?(?: (?:to|for) (?:our|the) .{0,40}newsletters?)?|"
    r"(?:sign up|subscribe) (?:to|for) .{0,40}newsletters?.{0,60}|"
    r"follow us(?: on .{0,40})?|join (?:us|our) .{0,30}(?:telegram|whatsapp) .{0,20}|"
    r"leave a (?:comment|reply)|\d*\s*comments?|add (?:a )?comment|"
    r"advertisement|advertising|sponsored(?: content)?|scroll to continue(?: with content)?|"
    r"read more|continue reading|skip to (?:main )?content|"
    r"our standards\s*:.{0,80}|(?:all rights reserved|copyright ©?).{0,80}|"
    r"(?:tags?|filed under|posted in|categories)\s*:.{0,200}|"
    # headings of the template's lists, wherever they stand (the lists are removed as link runs)
    r"most (?:read|popular|viewed|shared)(?: (?:in|on|from) .{1,40})?|popular (?:on|in) .{1,40}|"
    r"don'?t miss|you (?:may|might) also like|explore further|"
    # reading time, reprints and the share-by-e-mail dialog's leftovers
    r"(?:reading time|read time|lesezeit|temps de lecture|tiempo de lectura|tempo de leitura|"
    r"tempo di lettura|leestijd)\s*:?\s*(?:about |approx\.? |ca\. )?\d+\s*\w*|\d+\s*min(?:ute)?s? read|"
    r"(?:order )?reprints?|print (?:this )?(?:article|story|page)|this article has been sent to.{0,60}|"
    f"{_INTL_SOURCE}|{_INTL_CLUTTER}"
    r")\s*(?:[:.!»>|：。！]|…)*$",
    re.IGNORECASE,
)
#: The template's prompts, which run to a sentence or two: newsletter and channel sign-ups, the
#: reprint notice of a share dialog. Matched on lines of at most 40 words.
_PROMPT_LINE = re.compile(
    r"^(?:(?:click here to )?(?:sign up|subscribe)(?: now)? (?:to|for) .{0,60}"
    r"(?:newsletters?|channel|podcast|alerts)\b.{0,120}|sign up\s*[:!] .{0,200}|"
    r"this copy is for your personal,? non-commercial use only\b.{0,400})$",
    re.IGNORECASE,
)

#: A web address.
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: Where a person is reached: an e-mail address, a social handle.
_PERSONAL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])@\w{2,}")
#: A profile on a social network, written without its scheme ("twitter.com/jdoe").
_PROFILE = re.compile(r"\b(?:twitter|x|facebook|instagram|linkedin)\.com/\S+", re.IGNORECASE)
#: How a line that points the reader to an address begins: the author's card ("Write to … at …",
#: "Email … at … or follow …"), the desk's pointers ("Follow our coverage at …", "More AP NBA: …",
#: "Listen: …").
_INVITATION = re.compile(
    r"^(?:(?:write to|e-?mail|contact|reach|follow|listen|download|subscribe|watch)\b|more \S+(?: \S+)?\s*:)",
    re.IGNORECASE,
)
#: A line that only says when the page was published or updated: the article's fields already do.
_DATE_LABEL = re.compile(
    r"^(?:(?:first |last )?(?:published|updated|posted|modified)|publié|mis à jour|veröffentlicht|"
    r"aktualisiert|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt)"
    r"(?:\s+(?:on|at|le|am|el|il|op))?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_DATE_WORD = re.compile(
    r"^(?:\d[\d:./\-–,]*(?:st|nd|rd|th|h)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?|[ap]\.?m\.?|(?-i:[A-Z]{2,5})|[-–—|,@]|at|on)$",
    re.IGNORECASE,
)

#: An inline pointer to another story ("Read more: <headline>", "Related: ..."), placed by the template.
_POINTER_LINE = re.compile(
    r"^(?:read more|read also|also read|related|see also|see more|more on this(?: story)?|recommended|"
    r"don'?t miss)\s*[:|»>]\s*\S",
    re.IGNORECASE,
)

#: Where the article ends and the template's "more to read" begins.
_TAIL_MARKER = re.compile(
    r"^(?:related(?: articles| posts| stories| news| coverage| content)?|you may also like|"
    r"you might also like|recommended(?: for you| stories)?|more stories|more from .{1,40}|"
    r"read next|most read|most popular|trending(?: now)?|latest news|also read|"
    f"{_INTL_RELATED}"
    r")\s*[:.：。]?$",
    re.IGNORECASE,
)

#: A whole line saying where the text was first published: declared-source clutter.
_SOURCE_LINE = re.compile(
    r"^(?:(?:this (?:article|story|post) (?:was|is|has been) )?(?:originally|first) "
    r"(?:published|appeared|posted)|(?:this (?:article|story) (?:was|is) )?(?:republished|"
    r"reproduced) from|read more at|read the (?:full|original) (?:story|article) (?:at|on)|"
    r"source:|via\b|"
    f"(?:{_INTL_SOURCE})\\s*[:：]|zuerst erschienen (?:in|bei|auf)|publicado originalmente en|"
    "publié initialement (?:sur|dans)|本文转载自|本文轉載自"
    r").{0,160}$",
    re.IGNORECASE,
)

#: The list markers trafilatura puts before list items.
_BULLET = re.compile(r"^(?:[-*•]\s+)")
#: A tag a template sets after a headline link ("[VIDEO]", "[INSIGHT]", "(Photos)"), and a stray bar.
_LINK_TAG = re.compile(r"(?:\s*[\[(][^\])]{1,20}[\])])?\s*\|?\s*$")


# -- the text clean-up ----------------------------------------------------------------------------


def _same(a: str, b: str) -> bool:
    norm = re.compile(r"[\W_]+")
    return norm.sub(" ", a).strip().lower() == norm.sub(" ", b).strip().lower()


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _site_key(site_name: str | None) -> str | None:
    """A site name reduced so that "Live Science", "livescience.com" and "www.LiveScience.com"
    compare equal: sites name themselves either way in their credit lines."""
    if not site_name:
        return None
    name = site_name.strip().lower()
    name = re.sub(r"^(https?://)?(www\.)?", "", name).split("/")[0]
    if " " not in name and "." in name:
        name = name.rsplit(".", 1)[0]  # the TLD: livescience.com -> livescience
    key = _squash(name)
    return key if len(key) >= 3 else None


def _is_address_line(line: str, own_host: str | None) -> bool:
    """A line that points the reader to an address rather than telling the story: an invitation
    to write, follow or listen that gives one ("Write to Jane Doe at jane@example.com", "Follow our
    coverage at https://…"), or, alone on its line with at most a label, a social profile (the
    author's card) or a link to the site's own pages (a permalink). A bare address of another
    site, an e-mail address or a handle alone are kept: they may be the story's (a theatre's site,
    a campaign's mailbox, a line of code)."""
    low = line.lower()
    if "@" not in line and "://" not in line and "www." not in low and ".com/" not in low:
        return False  # no address at all: most lines, found without a regular expression
    web = _WEB_ADDRESS.findall(line)
    rest_of_line = _WEB_ADDRESS.sub(" ", line)
    profiles = _PROFILE.findall(rest_of_line)
    personal = _PERSONAL_ADDRESS.findall(_PROFILE.sub(" ", rest_of_line))
    if not (web or profiles or personal):
        return False
    if len(line.split()) <= 25 and _INVITATION.match(line):
        return True
    rest = _PERSONAL_ADDRESS.sub(" ", _PROFILE.sub(" ", rest_of_line)).split()
    if len(rest) > 3 or personal:
        return False
    return all(
        _PROFILE.search(u) or (own_host is not None and _same_site(_host_of(u), own_host))
        for u in [*web, *profiles]
    )


def _same_site(host: str | None, own_host: str) -> bool:
    return host is not None and (
        host == own_host or host.endswith("." + own_host) or own_host.endswith("." + host)
    )


def _host_of(address: str) -> str | None:
    address = address if "://" in address else "http://" + address
    try:
        return domain_of(address)
    except ValueError:
        return None


def _is_date_line(line: str) -> bool:
    """A line that only says when the page was published or updated ("Updated at 1:23 p.m.",
    "Published 18 November 2019")."""
    line = _BULLET.sub("", line)
    label = _DATE_LABEL.match(line)
    if label is None:
        return False
    rest = line[label.end() :].split()
    return (
        0 < len(rest) <= 10
        and any(c.isdigit() for c in line[label.end() :])
        and all(_DATE_WORD.match(w) for w in rest)
    )


#: Characters a headline link may have: longer lines are prose.
_LONGEST_HEADLINE = 300


def _is_link_line(line: str, links: Collection[str]) -> bool:
    """The whole line is the text of a headline link to another page (with a template's tag such as
    "[VIDEO]" after it)."""
    if len(line) > _LONGEST_HEADLINE:
        return False
    low = _LINK_TAG.sub("", _BULLET.sub("", line)).strip().lower()
    return bool(low) and low in links


def _without_link_runs(lines: list[str], links: Collection[str], removed: list[str]) -> list[str]:
    """Drop runs of two or more lines that are each a headline link to another page: the template's
    lists of other stories ("Don't miss", "More from …", a list with no heading at all), wherever
    they stand. A paragraph holding a link is never one. When such runs hold as many words as the
    rest, the text is a list of links, not a story with lists around it: it is left whole, for the
    index-page rule to judge."""
    if not links:
        return lines
    flags = [_is_link_line(line, links) for line in lines]
    kept: list[str] = []
    runs: list[int] = []
    dropped_words = 0
    i = 0
    while i < len(lines):
        end = i
        while end < len(lines) and flags[end]:
            end += 1
        if end - i >= 2:
            runs.append(end - i)
            dropped_words += sum(len(line.split()) for line in lines[i:end])
            i = end
        else:
            kept.append(lines[i])
            i += 1
    if not runs or dropped_words >= sum(len(line.split()) for line in kept):
        return lines
    removed.extend(f"{n} links to other stories" for n in runs)
    return kept


def clean_text(
    text: str,
    title: str | None,
    section: str | None = None,
    site_name: str | None = None,
    links: Collection[str] = (),
    page_url: str | None = None,
) -> tuple[str, list[str]]:
    """Remove template clutter from extracted text; return the text and what was removed.

    Rules only ever remove whole lines — short ones (a dozen words), the template's prompts and
    lines of addresses (a sentence or two), runs of lines that are each a link to another story —
    or inline ad placeholders, so an article paragraph can be lost only if it *is* one of these.
    ``links`` are the texts (lower-cased) of the page's headline links, for the runs of links to
    other stories; ``page_url`` tells a link to the site's own pages.
    """
    removed: list[str] = []
    site_key = _site_key(site_name)
    own_host = _host_of(page_url) if page_url else None
    lines = [" ".join(line.split()) for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if not line:
            continue
        stripped = _AD_INLINE.sub(" ", line).strip()
        if stripped != line:
            removed.append("ad placeholder")
            line = " ".join(stripped.split())
            if not line:
                continue
        if _SHORTCODE_LINE.match(line):
            removed.append(line)
            continue
        short = len(line.split()) <= 12
        if len(line.split()) <= 25 and _POINTER_LINE.match(line):
            removed.append(line.split(":")[0] + ": …")
            continue
        if (short and _CLUTTER_LINE.match(line)) or (len(line.split()) <= 40 and _PROMPT_LINE.match(line)):
            removed.append(line)
            continue
        # "Originally published on <this very site>" is the page's own credit line: keep it.
        own_credit = site_key is not None and site_key in _squash(line)
        if len(line.split()) <= 30 and _SOURCE_LINE.match(line) and not own_credit:
            removed.append(line)
            continue
        if _is_address_line(line, own_host) or (short and _is_date_line(line)):
            removed.append(line)
            continue
        kept.append(line)
    kept = _without_link_runs(kept, links, removed)
    # Cut at a "Related Articles"-style marker in the last third: what follows is the template's.
    for i, line in enumerate(kept):
        if i >= len(kept) * 2 // 3 and _TAIL_MARKER.match(line):
            removed.extend(kept[i : i + 1])
            if len(kept) - i > 1:
                removed.append(f"{len(kept) - i - 1} line(s) after {line!r}")
            kept = kept[:i]
            break
    # The headline (or the section label) repeated as the first line(s).
    for _ in range(2):
        if kept and ((title and _same(kept[0], title)) or (section and _same(kept[0], section))):
            removed.append(f"repeated heading {kept[0]!r}")
            kept = kept[1:]
    return "\n".join(kept), removed


def _summarise_removed(removed: list[str]) -> list[str]:
    if not removed:
        return []
    counts: dict[str, int] = {}
    for r in removed:
        counts[r] = counts.get(r, 0) + 1
    items = [f"{k!r} ×{n}" if n > 1 else repr(k) for k, n in counts.items()]
    return ["removed clutter: " + ", ".join(items)]
