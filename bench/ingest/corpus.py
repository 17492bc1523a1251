"""The generated corpus: news pages of four site templates at the weight of real ones, section
index pages and exact duplicates (``generate``).
"""

from __future__ import annotations

import html
import json
import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import _common
from bench.ingest.text import _ADJ, _CONTENT, TextGen, wikinews_sentences

WIKINEWS = _common.eval_data("articles", "wikinews")


# -- pages -----------------------------------------------------------------------------------------
#
# The templates imitate what real news pages carry around the story, at about their real weight:
# the 90 pages of the extraction benchmark have a median of 114 KB of HTML, 37 KB of it inline
# script and style, and 135 links. Here: a mega-menu, a cookie banner, inline CSS and analytics
# scripts, a preloaded-state JSON blob, share bars with inline SVG icons, ad slots between
# paragraphs, "Read more:" links inside the story, a tag list, an author box, reader comments, a
# "more from the section" grid, sidebars and a big footer.

SITES = [
    {"domain": "www.dailyherald-example.com", "name": "The Daily Herald", "template": 0},
    {"domain": "news.metro-example.org", "name": "Metro News", "template": 1},
    {"domain": "www.globalwire-example.net", "name": "Global Wire", "template": 2},
    {"domain": "www.valleytimes-example.com", "name": "Valley Times", "template": 3},
]
SECTIONS = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Culture", "Local"]
_SUBSECTIONS = ["Latest", "Analysis", "Explainers", "Video", "Photos", "Opinion", "Live"]
_ICON_PATH = "M12 2C6.5 2 2 6.5 2 12s4.5 10 10 10 10-4.5 10-10S17.5 2 12 2zm0 18c-4.4 0-8-3.6-8-8s3.6-8 8-8 8 3.6 8 8-3.6 8-8 8z"
esc = html.escape


_UTILITY = (
    "flex items-center justify-between relative overflow-hidden w-full px-4 py-2 md:px-6 lg:px-8 gap-4 "
    "grid grid-cols-12 col-span-12 md:col-span-8 text-sm md:text-base font-semibold leading-tight "
    "rounded shadow-sm hover:underline focus:outline-none mt-2 mb-4 sm:hidden lg:block"
).split()


def _cls(rng: random.Random, k: int = 6) -> str:
    """Utility-CSS class soup, as script-built templates write it."""
    return " ".join(rng.sample(_UTILITY, k))


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70]


def _icon(name: str, rng: random.Random) -> str:
    """An inline SVG icon, with a path as long as real icon paths are."""
    d = _ICON_PATH + "".join(
        f"l{rng.randint(-9, 9)}.{rng.randint(0, 9)} {rng.randint(-9, 9)}" for _ in range(20)
    )
    return f'<svg class="icon icon-{name}" viewBox="0 0 24 24" aria-hidden="true"><path d="{d}z"/></svg>'


class Chrome:
    """One site's fixed template parts (the same on every page of the site), built once."""

    def __init__(self, site: dict[str, Any], rng: random.Random):
        self.site = site
        name = esc(site["name"])
        # Critical CSS: a few hundred rules, about 15-25 KB.
        rules = "".join(
            f".c-{i}{{margin:{rng.randint(0, 32)}px {rng.randint(0, 32)}px;padding:{rng.randint(0, 16)}px;"
            f"color:#{rng.randrange(16**6):06x};font-size:{rng.randint(11, 28)}px;line-height:1.{rng.randint(2, 8)}}}"
            for i in range(rng.randint(250, 400))
        )
        self.style = f"<style>{rules}</style>"
        links = "".join(
            f'<link rel="stylesheet" href="https://static.{site["domain"]}/css/{part}.{rng.randrange(16**8):08x}.css">'
            for part in ("main", "article", "ads", "print")
        )
        preload = "".join(
            f'<link rel="preload" as="font" href="https://static.{site["domain"]}/fonts/{f}.woff2" crossorigin>'
            for f in ("serif-regular", "serif-bold", "sans-regular")
        )
        analytics = (
            "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});"
            "var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;j.src='https://www.googletagmanager"
            ".com/gtm.js?id='+i;f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-XXXX');"
        )
        consent = (
            "var __cmp=function(){"
            + "".join(
                f"var v{i}=(window.__tcfapi&&window.__tcfapi('getTCData',2,function(t,s){{return s&&t.purpose.consents[{i}]}}))||{rng.randint(0, 9)};"
                for i in range(rng.randint(60, 120))
            )
            + "};"
        )
        ads = (
            "var adSlots="
            + json.dumps(
                [
                    {
                        "id": f"div-gpt-ad-{rng.randrange(10**12)}-{i}",
                        "sizes": [[300, 250], [728, 90]],
                        "refresh": 30,
                    }
                    for i in range(rng.randint(20, 40))
                ]
            )
            + ";"
        )
        self.head = f"{links}{preload}{self.style}<script>{analytics}</script><script>{consent}</script><script>{ads}</script>"
        menu = "".join(
            f'<li class="menu-item has-children {_cls(rng)}"><a href="/{s.lower()}/" data-track="nav|{s}">{s}</a>'
            f'<ul class="sub-menu {_cls(rng)}">'
            + "".join(
                f'<li class="{_cls(rng, 4)}"><a class="{_cls(rng, 3)}" href="/{s.lower()}/{sub.lower()}/" '
                f'data-track="nav|{s}|{sub}">{sub}</a></li>'
                for sub in _SUBSECTIONS
            )
            + "</ul></li>"
            for s in SECTIONS
        )
        trending = "".join(
            f'<li><a href="/topic/{_slug(t)}">{t}</a></li>'
            for t in (
                "Elections",
                "Climate",
                "Markets",
                "Transport",
                "Housing",
                "Energy",
                "Courts",
                "Weather",
            )
        )
        logo = f'<a class="logo" href="/" aria-label="{name}">{_icon("logo", rng)}<span>{name}</span></a>'
        self.header = (
            f'<div class="top-bar"><span class="date"></span><a href="/subscribe" class="btn">Subscribe</a>'
            f'<a href="/login">Sign in</a></div><header class="site-header" role="banner">{logo}'
            f'<button class="menu-toggle" aria-label="Menu">{_icon("menu", rng)}</button>'
            f'<nav class="main-nav" role="navigation"><ul class="menu">{menu}</ul></nav>'
            f'<form class="search" action="/search"><input name="q" placeholder="Search {name}">'
            f"<button>{_icon('search', rng)}</button></form></header>"
            f'<nav class="trending" aria-label="Trending"><strong>Trending:</strong><ul>{trending}</ul></nav>'
        )
        self.cookies = (
            '<div id="cookie-consent" class="cookie-banner" role="dialog"><p>We and our partners use cookies '
            "and similar technologies to store and access information on your device, to personalise content "
            "and ads, to provide social media features and to analyse our traffic. You can change your "
            'choices at any time by clicking Privacy settings at the bottom of any page.</p><button class="accept">'
            'Accept all</button><button class="settings">Manage preferences</button></div>'
        )
        cols = "".join(
            f'<div class="footer-col"><h4>{h}</h4><ul>'
            + "".join(f'<li><a href="/{_slug(h)}/{_slug(x)}">{x}</a></li>' for x in items)
            + "</ul></div>"
            for h, items in (
                ("Sections", SECTIONS),
                ("About us", ["Who we are", "Editorial standards", "Corrections", "Careers", "Press office"]),
                ("Help", ["Contact us", "FAQ", "Subscriptions", "Newsletters", "Accessibility", "Site map"]),
                ("Advertise", ["Advertise with us", "Media kit", "Sponsored content", "Classifieds"]),
                (
                    "Legal",
                    ["Terms of use", "Privacy policy", "Cookie policy", "Privacy settings", "Licensing"],
                ),
            )
        )
        social = "".join(
            f'<a href="https://{net}.example/{_slug(site["name"])}" aria-label="{net}">{_icon(net, rng)}</a>'
            for net in ("facebook", "twitter", "instagram", "youtube", "linkedin")
        )
        self.footer = (
            f'<footer class="site-footer" role="contentinfo"><div class="footer-cols">{cols}</div>'
            f'<div class="social">{social}</div><div class="apps"><a href="/apps/ios">Download on the App Store</a>'
            f'<a href="/apps/android">Get it on Google Play</a></div><p class="copyright">© 2024 {name}. '
            "All rights reserved. Reproduction without permission is prohibited.</p></footer>"
        )
        self.share_icons = {
            net: _icon(net, rng) for net in ("facebook", "twitter", "whatsapp", "email", "print", "link")
        }

    def share(self) -> str:
        labels = {
            "facebook": "Share",
            "twitter": "Tweet",
            "whatsapp": "WhatsApp",
            "email": "Email",
            "print": "Print",
            "link": "Copy link",
        }
        return (
            '<div class="share-bar">'
            + "".join(
                f'<a class="share-{net}" href="#" title="{labels[net]}">{icon}<span class="sr-only">{labels[net]}</span></a>'
                for net, icon in self.share_icons.items()
            )
            + "</div>"
        )


def _teaser_card(gen: TextGen, site: dict[str, Any], *, blurb: bool) -> str:
    rng = gen.rng
    h = gen.headline()
    sec = rng.choice(SECTIONS).lower()
    href = f"https://{site['domain']}/{sec}/{_slug(h)}"
    track = f'data-track="card|{sec}|{rng.randrange(10**6)}" data-component="teaser"'
    img = (
        f'<div class="{_cls(rng)}"><a href="{href}" class="thumb" tabindex="-1"><picture><source srcset="'
        f"https://img.{site['domain']}/{rng.randrange(10**9)}_320.webp 320w, https://img.{site['domain']}/"
        f'{rng.randrange(10**9)}_640.webp 640w" type="image/webp"><img src="https://img.{site["domain"]}/'
        f'{rng.randrange(10**9)}_320.jpg" alt="" loading="lazy" width="320" height="180"></picture></a></div>'
    )
    text = f'<p class="{_cls(rng, 3)}">{esc(gen.sentence())}</p>' if blurb else ""
    return (
        f'<div class="card {_cls(rng)}" {track}><div class="{_cls(rng)}">{img}<div class="{_cls(rng)}">'
        f'<h3 class="{_cls(rng, 4)}"><a href="{href}" data-link-name="headline">{esc(h)}</a></h3>{text}'
        "</div></div></div>"
    )


def _headline_list(gen: TextGen, site: dict[str, Any], title: str, n: int, cls: str) -> str:
    items = "".join(
        f'<li class="{_cls(gen.rng, 4)}"><div class="{_cls(gen.rng)}"><a class="{_cls(gen.rng, 3)}" '
        f'href="https://{site["domain"]}/{gen.rng.choice(SECTIONS).lower()}/{_slug(h)}" '
        f'data-track="list|{cls.split()[-1]}|{i}">{esc(h)}</a></div></li>'
        for i, h in enumerate(gen.headline() for _ in range(n))
    )
    return f'<aside class="{cls}"><h3>{title}</h3><ol>{items}</ol></aside>'


def _ad(rng: random.Random) -> str:
    slot = f"div-gpt-ad-{rng.randrange(10**12)}-{rng.randint(0, 9)}"
    return (
        f'<div class="ad-slot ad-inline"><span class="ad-label">Advertisement</span><div id="{slot}">'
        f"<script>googletag.cmd.push(function(){{googletag.display('{slot}')}});</script></div></div>"
    )


def _state_blob(gen: TextGen, site: dict[str, Any], url: str, title: str, section: str) -> str:
    """The preloaded-state JSON that script-rendered sites embed (not the story itself here)."""
    rng = gen.rng
    state = {
        "page": {
            "url": url,
            "title": title,
            "section": section,
            "type": "article",
            "paywall": rng.random() < 0.3,
        },
        "ads": {"targeting": {"sec": section.lower(), "kw": [rng.choice(_CONTENT) for _ in range(12)]}},
        "recirculation": [
            {
                "id": rng.randrange(10**7),
                "headline": gen.headline(),
                "image": f"https://img.{site['domain']}/{rng.randrange(10**9)}.jpg",
            }
            for _ in range(rng.randint(10, 30))
        ],
        "features": {f"flag_{i}": rng.random() < 0.5 for i in range(rng.randint(40, 120))},
    }
    return f"<script>window.__PRELOADED_STATE__={json.dumps(state)};</script>"


def article_page(gen: TextGen, chrome: Chrome, n: int, when: datetime) -> tuple[str, str, str]:
    """(url, html, true text) of one article page; the true text is the story's crossheads and
    paragraphs, one per line, as the benchmark's ground truth would have it."""
    site = chrome.site
    rng = gen.rng
    title = gen.headline()
    section = rng.choice(SECTIONS)
    url = f"https://{site['domain']}/{section.lower()}/{when:%Y/%m/%d}/{_slug(title)}-{n}"
    author = rng.choice(gen.people)
    paras = gen.paragraphs(rng.randint(300, 700))
    published = when.isoformat()
    updated = (when + timedelta(minutes=rng.randint(5, 600))).isoformat()
    t = site["template"]

    # The story: paragraphs, a crosshead every few paragraphs, a few inline links; between them
    # (not part of the story) ad slots and "Read more:" links, as templates put them.
    truth: list[str] = []
    blocks: list[str] = []
    for i, p in enumerate(paras):
        if i and i % rng.randint(4, 7) == 0 and i < len(paras) - 1:
            head = " ".join(gen.word() for _ in range(rng.randint(3, 6))).capitalize()
            blocks.append(f"<h2>{esc(head)}</h2>")
            truth.append(head)
        words = p.split(" ")
        if len(words) > 12 and rng.random() < 0.5:
            a = rng.randrange(1, len(words) - 3)
            linked = " ".join(words[a : a + 3])
            blocks.append(
                f'<p>{esc(" ".join(words[:a]))} <a href="/topic/{_slug(linked)}">{esc(linked)}</a> '
                f"{esc(' '.join(words[a + 3 :]))}</p>"
            )
        else:
            blocks.append(f"<p>{esc(p)}</p>")
        truth.append(p)
        if t in (0, 2) and i == 2:
            h = gen.headline()
            blocks.append(
                f'<p class="read-more"><strong>Read more:</strong> <a href="https://{site["domain"]}/{section.lower()}/{_slug(h)}">{esc(h)}</a></p>'
            )
        if i % 4 == 3:
            blocks.append(_ad(rng))
    if t == 1 and len(blocks) > 4:
        blocks.insert(
            len(blocks) // 2,
            '<div class="newsletter-signup"><h3>The morning briefing</h3><p>Sign up for our newsletter</p>'
            '<form><input type="email" placeholder="Your email"><button>Sign up</button></form></div>',
        )
    body = "".join(blocks)

    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} | {esc(site['name'])}</title>"
        f'<link rel="canonical" href="{url}"><meta property="og:title" content="{esc(title)}">'
        f'<meta property="og:type" content="article"><meta property="og:url" content="{url}">'
        f'<meta property="og:site_name" content="{esc(site["name"])}">'
        f'<meta property="og:image" content="https://img.{site["domain"]}/{n}_1200.jpg">'
        f'<meta name="twitter:card" content="summary_large_image"><meta name="twitter:title" content="{esc(title)}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<meta property="article:modified_time" content="{updated}">'
        f'<meta property="article:section" content="{section}"><meta name="author" content="{esc(author)}">'
        f'<meta name="description" content="{esc(paras[0][:150])}">'
        f"{chrome.head}{_state_blob(gen, site, url, title, section)}"
    )
    if t in (1, 3):
        ld: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published,
            "dateModified": updated,
            "articleSection": section,
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": site["name"]},
        }
        head += f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    head += "</head>"
    byline = (
        f'<div class="byline">By <a rel="author" href="/author/{_slug(author)}">{esc(author)}</a> · '
        f'<time datetime="{published}">{when:%B %d, %Y}</time> · <span class="updated">Updated '
        f"{rng.randint(1, 9)} hours ago</span></div>"
    )
    figure = (
        f'<figure class="lead-image"><picture><source srcset="https://img.{site["domain"]}/{n}_1600.webp 1600w, '
        f'https://img.{site["domain"]}/{n}_800.webp 800w" type="image/webp"><img src="https://img.{site["domain"]}/{n}_800.jpg" '
        f'alt="" width="800" height="450"></picture><figcaption>{esc(gen.sentence())} <span class="credit">Photo: '
        f"{esc(rng.choice(gen.people))}/{esc(site['name'])}</span></figcaption></figure>"
    )
    tags = (
        '<ul class="tags">'
        + "".join(
            f'<li><a href="/topic/{_slug(x)}">{esc(x)}</a></li>'
            for x in {
                section,
                rng.choice(gen.places),
                rng.choice(gen.orgs),
                rng.choice(_CONTENT).capitalize(),
            }
        )
        + "</ul>"
    )
    author_box = (
        f'<div class="author-bio"><img src="/authors/{_slug(author)}.jpg" alt=""><h4>{esc(author)}</h4>'
        f"<p>{esc(author)} is a {rng.choice(_ADJ)} {rng.choice(_CONTENT)} reporter at {esc(site['name'])}. "
        f'<a href="/author/{_slug(author)}">More articles</a></p></div>'
    )
    grid = (
        f'<section class="more-from"><h2>More from {section}</h2><div class="grid">'
        + "".join(_teaser_card(gen, site, blurb=True) for _ in range(rng.randint(6, 12)))
        + "</div></section>"
    )
    most_read = _headline_list(gen, site, "Most Read", 10, "sidebar most-read")
    related = _headline_list(gen, site, "Related Articles", 4, "related")
    videos = (
        '<aside class="sidebar video-list"><h3>Watch</h3>'
        + "".join(_teaser_card(gen, site, blurb=False) for _ in range(5))
        + "</aside>"
    )
    sidebar = f'<div class="rail">{most_read}{_ad(rng)}{videos}</div>'
    ticker = (
        '<div class="breaking-ticker"><strong>Breaking</strong><ul>'
        + "".join(
            f'<li><a href="/live/{_slug(h)}">{esc(h)}</a></li>' for h in (gen.headline() for _ in range(5))
        )
        + "</ul></div>"
    )
    comments = (
        '<section id="comments" class="comments"><h3>Comments</h3>'
        + "".join(
            f'<div class="comment"><span class="comment-author">{esc(rng.choice(gen.people))}</span>'
            f'<p>{esc(gen.sentence())}</p><a href="#">Reply</a></div>'
            for _ in range(rng.randint(2, 6))
        )
        + "</section>"
    )
    crumbs = (
        f'<nav class="breadcrumb" aria-label="breadcrumb"><a href="/">Home</a> › '
        f'<a href="/{section.lower()}/">{section}</a></nav>'
    )
    kicker = f'<a class="kicker" href="/{section.lower()}/">{section}</a>'
    if t == 0:  # classic: share bar on top, right rail
        main = (
            f'{ticker}<main class="layout"><article class="story">{kicker}<h1>{esc(title)}</h1>{byline}{chrome.share()}'
            f'{figure}<div class="article-body">{body}</div>{tags}{chrome.share()}{author_box}{related}</article>'
            f"{sidebar}</main>{grid}"
        )
    elif t == 1:  # breadcrumb, share at the bottom, newsletter box inside the story
        main = (
            f'<div class="wrap">{crumbs}<article><header><h1>{esc(title)}</h1>{byline}</header>{figure}'
            f'<section class="content">{body}</section>{chrome.share()}{tags}</article>{sidebar}{related}</div>{grid}'
        )
    elif t == 2:  # div soup, no <article>
        main = (
            f'{ticker}<div id="content"><div class="story"><div class="kicker-wrap">{kicker}</div>'
            f'<h1 class="headline">{esc(title)}</h1>{byline}{figure}<div class="story-body">{body}</div>'
            f'<div class="tags-wrap">Tags: {tags}</div>{author_box}</div>{sidebar}</div>{grid}'
        )
    else:  # magazine: figure first, comments under the story
        main = (
            f"<main><article>{figure}<header>{kicker}<h1>{esc(title)}</h1>{byline}</header>{chrome.share()}"
            f'<div class="entry-content">{body}</div>{tags}{author_box}</article>{comments}{related}</main>'
            f"{sidebar}{grid}"
        )
    page = f"{head}<body>{chrome.cookies}{chrome.header}{main}{chrome.footer}</body></html>"
    return url, page, "\n".join(truth)


def index_page(gen: TextGen, chrome: Chrome, n: int, *, blurbs: bool) -> str:
    """A section front: 24 headline links, bare ("river") or each with a one-sentence blurb
    ("teasers"), in the site's chrome. newsdesk should reject both as index pages."""
    site = chrome.site
    section = gen.rng.choice(SECTIONS)
    url = f"https://{site['domain']}/{section.lower()}/page/{n}"
    items = "".join(
        f'<div class="teaser"><h2><a href="https://{site["domain"]}/{section.lower()}/{_slug(h)}">{esc(h)}</a></h2>'
        + (
            f"<p>{esc(gen.sentence())}</p>"
            if blurbs
            else f'<span class="ago">{gen.rng.randint(1, 59)} min ago</span>'
        )
        + "</div>"
        for h in (gen.headline() for _ in range(24))
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{section} | {esc(site["name"])}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:type" content="website">'
        f'<meta property="og:title" content="{section}">{chrome.head}</head><body>{chrome.cookies}{chrome.header}'
        f'<main><h1>{section}</h1><div class="river">{items}</div>{_ad(gen.rng)}</main>{chrome.footer}</body></html>'
    )


def generate(folder: Path, pages: int, *, seed: int = 1, text: str = "generated") -> dict[str, Any]:
    """Write ``pages`` HTML files under ``folder``; return what was made: counts by kind, bytes,
    and by file path its kind (``manifest``) and, for article pages, its true text (``truth``)."""
    rng = random.Random(seed)
    sentences = wikinews_sentences(WIKINEWS) if text == "wikinews" else []
    gen = TextGen(rng, sentences or None)
    chromes = [Chrome(site, rng) for site in SITES]
    kinds: Counter[str] = Counter()
    written: list[Path] = []
    start = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)
    sizes: list[int] = []
    manifest: dict[str, str] = {}
    truth: dict[str, str] = {}
    for i in range(pages):
        sub = folder / f"{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"page-{i:06d}.html"
        r = rng.random()
        chrome = chromes[i % len(chromes)]
        if r < 0.01 and written:
            original = rng.choice(written)
            data = original.read_bytes()  # an exact duplicate of an earlier page
            kind = "duplicate"
            truth[str(path)] = truth[str(original)]
        elif r < 0.03:
            kind = "index-teasers" if kinds["index-river"] > kinds["index-teasers"] else "index-river"
            data = index_page(gen, chrome, i, blurbs=kind == "index-teasers").encode("utf-8")
        else:
            when = start + timedelta(minutes=7 * i + rng.randint(0, 6))
            _, page, true_text = article_page(gen, chrome, i, when)
            data = page.encode("utf-8")
            kind = "article"
            written.append(path)
            truth[str(path)] = true_text
        path.write_bytes(data)
        sizes.append(len(data))
        kinds[kind] += 1
        manifest[str(path)] = kind
    sizes.sort()
    return {
        "pages": pages,
        "kinds": dict(kinds),
        "manifest": manifest,
        "truth": truth,
        "bytes": sum(sizes),
        "median_kb": sizes[len(sizes) // 2] / 1024 if sizes else 0.0,
        "text": "wikinews" if sentences else "generated",
    }
