"""End-to-end ingest rate into SQLite on a generated corpus of news pages.

    .venv/bin/python -m bench.ingest [--pages 10000] [--keep DIR] [--json FILE] [--seed 1] [--text generated|wikinews]
        [--force] [--before SRC]

1. Generates ``--pages`` deterministic (seeded) news pages into a temporary folder: four site
   templates at the weight of real news pages (median about 90 KB: mega-menu, cookie banner, inline
   CSS and scripts, share bars, ad slots, "Read more:" links, tags, author box, comments, sidebars,
   "more from" grids, footers); 300-700 words of article text each; meta tags (unique canonical
   URL, og:title, article:published_time, article:section). About 2 % are section index pages
   (half bare headline lists, half headlines with teasers) and 1 % exact duplicates of other pages.
2. Baseline, in a child process: read every file and run ``extract_html`` on it (extraction alone),
   then (untimed) score the text of the article pages against the generated true text.
3. In a child process: ``desk.ingest([folder])`` into a fresh SQLite file (extraction + store +
   copy tracing + story clustering): articles/s, pages/s, seconds, peak RSS, database size, and the
   wall and CPU time split by stage (read, extract, fingerprint, save, trace, cluster), measured by
   wrapping those functions.
4. In another child process: the same ingest again into the same database (expect 0 new): items
   stored before from the same bytes are counted unchanged without being extracted again.
5. With ``--force``, in another child process: the same ingest with ``force=True`` (every item
   extracted again, as ``newsdesk ingest --force``).
6. With ``--before SRC`` (the ``src`` folder of an older checkout, run through ``PYTHONPATH``):
   steps 3 and 4 with that code into a database of its own, reported beside this code's, with the
   disk use of both stores by area (``bench/store_size.py``'s areas, from SQLite's ``dbstat``).

Each phase runs in its own process so that its peak RSS (``resource.getrusage``) is its own, and its
time excludes interpreter start-up and imports. Machines are noisy: read the ratios against the
baseline measured in the same command rather than the absolute rates.

The text comes from a built-in generator (default; no data needed) or, with ``--text wikinews``,
from sentences of ../shared/data/articles/wikinews/*.csv recombined (falls back to the generator when
the folder is absent). Only the standard library and newsdesk.
"""

from __future__ import annotations

import argparse
import csv
import html
import itertools
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import _common, store_size

WIKINEWS = _common.eval_data("articles", "wikinews")


# -- text ------------------------------------------------------------------------------------------

_FUNCTION = (
    "the of and to a in that is was for on with as by at from it its has have had be been were are "
    "which but not this their after about more than over into also who would could will said says "
    "while when where they there some other all one two three new first last most many such only"
).split()
_CONTENT = (
    "government minister council report police officials company market election vote city country "
    "people year week month day plan budget court law health hospital school students workers union "
    "strike prices inflation bank rates energy oil gas power climate storm flood fire water river "
    "bridge road rail train airport flight border army troops talks deal agreement sanctions trade "
    "exports growth jobs unemployment taxes spending debt investors shares profits losses quarter "
    "results season match team coach players goal win defeat final league cup title record fans "
    "film music festival museum book author artist award show series audience study researchers "
    "scientists data evidence patients vaccine virus cases tests doctors nurses care families children "
    "women men residents community village region province capital parliament senate president mayor "
    "governor party leader campaign candidate supporters critics protest crowd statement spokesperson "
    "investigation charges trial judge jury lawyer prison sentence appeal ruling decision policy reform "
    "proposal bill measure committee hearing inquiry review agency department ministry service network "
    "system software platform users phone internet security attack hackers privacy technology satellite "
    "launch mission rocket space station island coast mountain forest farm crops drought harvest food "
    "supply shortage demand production factory plant site project construction housing rent property "
    "sale price cost value growth risk warning threat crisis emergency response aid relief support "
    "funding million billion percent increase decrease change rise fall level number figure share"
).split()
_VERBS = (
    "announced confirmed rejected approved reported warned argued claimed denied expected planned "
    "promised agreed refused launched opened closed raised cut increased reduced delayed welcomed "
    "criticised ordered signed won lost faced met visited discussed reviewed described"
).split()
_ADJ = (
    "new major local national international former senior public private early late final key "
    "strong weak large small growing recent long short high low economic political financial legal"
).split()
_SYL = (
    "ka lo ri ben tor mar sel vin da ne ro sa li mo ga te ha ru del fin kor las mi no pe sto van ber".split()
)


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(syllables)).capitalize()


class TextGen:
    """Deterministic news-like prose: Zipf-weighted words, made-up people and places, quotes."""

    def __init__(self, rng: random.Random, sentences: list[str] | None = None):
        self.rng = rng
        self.people = [f"{_name(rng, 2)} {_name(rng, rng.randint(2, 3))}" for _ in range(3000)]
        self.places = [_name(rng, rng.randint(2, 4)) for _ in range(800)]
        self.orgs = [
            f"{_name(rng, 2)} {rng.choice(['Group', 'Holdings', 'Institute', 'Party', 'Council', 'Bank'])}"
            for _ in range(400)
        ]
        # A long tail of rarer made-up content words, so that the vocabulary is large as in real news.
        self.rare = [_name(rng, rng.randint(2, 4)).lower() for _ in range(6000)]
        self.content = _CONTENT + self.rare
        self.cum_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(self.content))))
        self.sentences = sentences

    def word(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(_FUNCTION)
        if r < 0.55:
            return self.rng.choice(_ADJ)
        if r < 0.62:
            return self.rng.choice(_VERBS)
        return self.rng.choices(self.content, cum_weights=self.cum_weights)[0]

    def sentence(self) -> str:
        if self.sentences:
            return self.rng.choice(self.sentences)
        rng = self.rng
        n = rng.randint(8, 28)
        words = [self.word() for _ in range(n)]
        # Proper nouns in realistic places.
        for _ in range(rng.randint(0, 2)):
            words[rng.randrange(n)] = rng.choice([*self.places, *self.orgs])
        if rng.random() < 0.3:
            words.insert(rng.randrange(1, n), f"{rng.randint(2, 950)}")
        text = " ".join(words)
        if rng.random() < 0.15:
            return f'"{text[0].upper()}{text[1:]}," said {rng.choice(self.people)}, {rng.choice(_ADJ)} {rng.choice(_CONTENT)} official.'
        if rng.random() < 0.1:
            half = len(words) // 2
            return f"{' '.join(words[:half]).capitalize()}, {' '.join(words[half:])}."
        return f"{text[0].upper()}{text[1:]}."

    def paragraphs(self, target_words: int) -> list[str]:
        out: list[str] = []
        count = 0
        while count < target_words:
            para = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            out.append(para)
            count += len(para.split())
        return out

    def headline(self) -> str:
        rng = self.rng
        words = [rng.choice(self.places), rng.choice(_CONTENT), rng.choice(_VERBS)]
        words += [rng.choice(_FUNCTION), rng.choice(_ADJ), rng.choice(_CONTENT)]
        if rng.random() < 0.5:
            words += ["after", rng.choice(_CONTENT), rng.choice(_CONTENT)]
        text = " ".join(words)
        return text[0].upper() + text[1:]


def wikinews_sentences(folder: Path) -> list[str]:
    """Sentences of the Wikinews articles (CSV: url, date, title, text), or [] when absent."""
    out: list[str] = []
    csv.field_size_limit(10**8)
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for para in (row.get("text") or "").split("\n"):
                    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", para.strip()):
                        if 6 <= len(s.split()) <= 60:
                            out.append(s)
    return out


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


# -- the phases (each in its own process) ------------------------------------------------------------


def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def _db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def _load(path: Path | None) -> dict[str, str]:
    if path is None or not path.exists():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _leak_key(line: str) -> str:
    """Group leaked template lines: the first two words, digits masked."""
    return re.sub(r"\d+", "#", " ".join(line.split()[:2]))


def phase_extract(
    folder: Path, manifest: Path | None = None, texts_out: Path | None = None
) -> dict[str, Any]:
    """Extraction alone: read every file and run ``extract_html`` on it, as ingest would (the HTML
    reader hands the page over without a URL; min_words is the default setting's).

    Only reading and extraction are timed. With ``texts_out``, each article's text is written there
    (JSON lines, untimed) for ``quality``, rather than kept: the peak RSS stays extraction's own.
    """
    from newsdesk.extract import extract_html
    from newsdesk.model import Rejected
    from newsdesk.sources.files import list_inputs

    files = list_inputs([folder])
    outcomes: list[str] = []
    seconds = cpu = 0.0
    load_before = os.getloadavg()[0]
    sink = texts_out.open("w", encoding="utf-8") if texts_out else None
    try:
        for path in files:
            t0, c0 = time.perf_counter(), time.process_time()
            out = extract_html(path.read_bytes())
            seconds += time.perf_counter() - t0
            cpu += time.process_time() - c0
            if isinstance(out, Rejected):
                outcomes.append(out.reason.value)
            else:
                outcomes.append("article")
                if sink:
                    sink.write(json.dumps({"path": str(path), "text": out.text}) + "\n")
    finally:
        if sink:
            sink.close()
    kinds = _load(manifest)
    by_kind: dict[str, Counter[str]] = {}
    for path, outcome in zip(files, outcomes, strict=True):
        by_kind.setdefault(kinds.get(str(path), "?"), Counter())[outcome] += 1
    reasons = Counter(o for o in outcomes if o != "article")
    return {
        "files": len(files),
        "articles": outcomes.count("article"),
        "rejected": dict(reasons),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": _peak_rss_mb(),
        "load": (load_before, os.getloadavg()[0]),
    }


def quality(truth_file: Path, texts_file: Path) -> dict[str, Any]:
    """Extraction quality on the generated article pages, whose true text is known: the benchmark's
    metric (bench/_common.py), and the template lines most often left in the text."""
    c = _common
    truth = _load(truth_file)
    texts: dict[str, str] = {}
    with texts_file.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts[record["path"]] = record["text"]
    pages = [c.score_page(texts.get(path, ""), true) for path, true in truth.items()]
    non_empty = [p for p in pages if p["predicted"]]
    precision = sum(float(p["precision"]) for p in non_empty) / max(1, len(non_empty))
    recall = sum(float(p["recall"]) for p in pages) / max(1, len(pages))
    leaks: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for name, true in truth.items():
        true_lines = {" ".join(x.split()) for x in true.splitlines()}
        for raw in texts.get(name, "").splitlines():
            line = " ".join(raw.split())
            if line and line not in true_lines:
                key = _leak_key(line)
                leaks[key] += 1
                examples.setdefault(key, line[:120])
    return {
        "pages": len(pages),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "accuracy": sum(bool(p["exact"]) for p in pages) / max(1, len(pages)),
        "leaked_lines": [(k, n, examples[k]) for k, n in leaks.most_common(10)],
    }


class _Timers:
    """Wall and CPU time spent inside chosen functions during an ingest (two clock pairs per call:
    a few microseconds, well under 0.1 % of the time of a page)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, key: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - t0
                self.cpu[key] = self.cpu.get(key, 0.0) + time.process_time() - c0
                self.calls[key] = self.calls.get(key, 0) + 1

        return timed

    def patch(self, owner: Any, name: str, key: str, *, materialise: bool = False) -> bool:
        """Time ``owner.name``; ``materialise`` for a generator function (time the whole read)."""
        fn = getattr(owner, name, None)
        if fn is None:
            return False
        if materialise:
            inner = fn

            def fn(*args: Any, **kwargs: Any) -> Any:
                return iter(list(inner(*args, **kwargs)))

        setattr(owner, name, self.wrap(key, fn))
        return True


def phase_ingest(
    folder: Path, db: Path, manifest: Path | None = None, *, force: bool = False
) -> dict[str, Any]:
    """``desk.ingest([folder])`` with the time split by stage: read, extract, fingerprint, save,
    trace, cluster (when the Desk has that stage), record rejection; "other" is the rest.
    ``force``: ``desk.ingest([folder], force=True)`` (extract every item again)."""
    import newsdesk.core as core
    from newsdesk import open_desk

    timers = _Timers()
    # Reading, extraction and fingerprinting are module functions the Desk calls by name; saving
    # and tracing are methods. These are internals: a name that no longer exists is skipped.
    # Extraction is called from _budget (within its size and time budget) since that module exists.
    patched = [
        timers.patch(core, "read_file", "read", materialise=True),
        timers.patch(sys.modules.get("newsdesk._budget") or core, "extract", "extract"),
        timers.patch(getattr(core, "provenance", None), "fingerprint", "fingerprint"),
        timers.patch(core.Desk, "_trace", "trace"),
    ]
    # Story clustering, when the Desk has it (a stage added after the others): not required.
    timers.patch(core.Desk, "_cluster", "cluster")
    marks: list[tuple[int, float, float]] = []

    def progress(_path: Path, done: int, total: int) -> None:
        # Elapsed and CPU time at every tenth of the files: does the rate fall as the store grows?
        if done * 10 // total != (done - 1) * 10 // total or done == total:
            marks.append((done, time.perf_counter() - t1, time.process_time() - c1))

    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    with open_desk(db) as desk:
        store = getattr(desk, "_store", None)
        patched += [
            timers.patch(store, "save_article", "save"),
            timers.patch(store, "record_rejection", "reject"),
        ]
        t1, c1 = time.perf_counter(), time.process_time()
        if force:
            report = desk.ingest([folder], progress=progress, force=True)
        else:  # without the keyword: an older checkout has none
            report = desk.ingest([folder], progress=progress)
        t2, c2 = time.perf_counter(), time.process_time()
    t3, c3 = time.perf_counter(), time.process_time()
    reasons = Counter(r.reason.value for r in report.rejected)
    kinds = _load(manifest)
    rejected_by_kind: dict[str, Counter[str]] = {}
    for r in report.rejected:
        rejected_by_kind.setdefault(kinds.get(r.origin, "?"), Counter())[r.reason.value] += 1
    stages = dict(timers.seconds)
    stages["other"] = (t2 - t1) - sum(stages.values())
    stages_cpu = dict(timers.cpu)
    stages_cpu["other"] = (c2 - c1) - sum(stages_cpu.values())
    return {
        "rejected_by_kind": {k: dict(v) for k, v in sorted(rejected_by_kind.items())},
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "older": report.older,
        "rejected": dict(reasons),
        "broken": len(report.broken),
        "copies_found": report.copies_found,
        "seconds": t3 - t0,
        "ingest_seconds": t2 - t1,
        "ingest_cpu_seconds": c2 - c1,
        "open_close_seconds": (t1 - t0) + (t3 - t2),
        "cpu_seconds": c3 - c0,
        "peak_rss_mb": _peak_rss_mb(),
        "db_bytes": _db_bytes(db),
        "marks": marks,
        "stages": stages,
        "stages_cpu": stages_cpu,
        "stage_calls": dict(timers.calls),
        "load": (load_before, os.getloadavg()[0]),
        "stages_complete": all(patched),
        "use": store_size.disk_use(db),
    }


def _child(phase: str, *args: str, src: Path | None = None) -> dict[str, Any]:
    """Run one phase in a fresh interpreter (with ``src`` first on its path: an older checkout);
    its last stdout line is the JSON result."""
    cmd = [sys.executable, "-m", "bench.ingest", "--_phase", phase, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=_common.child_env(src=src))
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"phase {phase} failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# -- the report ------------------------------------------------------------------------------------

_STAGE_NAMES = {
    "read": "read the file (and pick its reader)",
    "extract": "extract (newsdesk.extract.extract)",
    "fingerprint": "fingerprint (provenance)",
    "save": "save_article (SQLite, FTS, LSH keys, commit)",
    "trace": "trace copies (candidates, compare, save group)",
    "cluster": "cluster into stories (features, candidates, assign)",
    "reject": "record_rejection",
    "other": "other (loop, report)",
}


def report(
    made: dict[str, Any],
    base: dict[str, Any],
    first: dict[str, Any],
    second: dict[str, Any],
    forced: dict[str, Any] | None = None,
    before: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> str:
    c = _common
    pages = made["pages"]

    def load(run: dict[str, Any]) -> str:
        before, after = run.get("load") or (float("nan"), float("nan"))
        return f"{before:.1f} → {after:.1f}"

    def row(label: str, run: dict[str, Any], articles: str, stored: str, db: str) -> list[str]:
        return [
            label,
            f"{run['seconds']:.1f}",
            f"{run['cpu_seconds']:.1f}",
            f"{pages / run['seconds']:.1f}",
            articles,
            stored,
            f"{run['peak_rss_mb']:.0f}",
            db,
            f"{run['seconds'] / base['seconds']:.2f}",
            f"{run['cpu_seconds'] / base['cpu_seconds']:.2f}",
            load(run),
        ]

    rows = [
        row(
            "extraction alone (read + extract_html), baseline",
            base,
            f"{base['articles'] / base['seconds']:.1f} ({base['articles'] / base['cpu_seconds']:.1f} per CPU s)",
            f"{base['articles']:,} articles",
            "-",
        ),
        row(
            "`desk.ingest([folder])` into a fresh SQLite file",
            first,
            f"**{first['new'] / first['seconds']:.1f}** ({first['new'] / first['cpu_seconds']:.1f} per CPU s)",
            f"{first['new']:,} new",
            f"{first['db_bytes'] / 2**20:.1f}",
        ),
        row(
            "re-ingest of the same folder",
            second,
            "-",
            f"{second['new']:,} new, {second['unchanged']:,} unchanged",
            f"{second['db_bytes'] / 2**20:.1f}",
        ),
    ]
    if forced is not None:
        rows.append(
            row(
                "re-ingest with `force=True` (`ingest --force`)",
                forced,
                "-",
                f"{forced['new']:,} new, {forced['updated']:,} updated, {forced['unchanged']:,} unchanged",
                f"{forced['db_bytes'] / 2**20:.1f}",
            )
        )
    if before is not None:
        old_first, old_second = before
        rows.append(
            row(
                "before (`--before`): `desk.ingest([folder])` into a fresh SQLite file",
                old_first,
                f"{old_first['new'] / old_first['seconds']:.1f} ({old_first['new'] / old_first['cpu_seconds']:.1f} per CPU s)",
                f"{old_first['new']:,} new",
                f"{old_first['db_bytes'] / 2**20:.1f}",
            )
        )
        rows.append(
            row(
                "before (`--before`): re-ingest of the same folder",
                old_second,
                "-",
                f"{old_second['new']:,} new, {old_second['unchanged']:,} unchanged",
                f"{old_second['db_bytes'] / 2**20:.1f}",
            )
        )
    headers = [
        "phase",
        "seconds",
        "CPU s",
        "pages/s",
        "articles/s",
        "stored",
        "peak RSS MB",
        "DB MB",
        "time vs baseline",
        "CPU vs baseline",
        "load avg",
    ]
    lines = [c.markdown_table(headers, rows), ""]

    def stage_table(run: dict[str, Any], label: str) -> list[str]:
        stages = run.get("stages") or {}
        total = run["ingest_seconds"]
        if not stages or not total:
            return []
        calls = run.get("stage_calls") or {}
        cpu = run.get("stages_cpu") or {}
        cpu_total = run.get("ingest_cpu_seconds") or 0.0
        srows = [
            [
                _STAGE_NAMES.get(k, k),
                f"{v:.1f}",
                f"{v / total:.0%}",
                f"{cpu.get(k, float('nan')):.1f}",
                f"{cpu.get(k, 0.0) / cpu_total:.0%}" if cpu_total else "-",
                f"{1000 * cpu.get(k, 0.0) / calls[k]:.2f}" if calls.get(k) else "-",
                f"{calls.get(k, 0):,}" if k != "other" else "-",
            ]
            for k, v in sorted(stages.items(), key=lambda kv: -kv[1])
        ]
        note = "" if run.get("stages_complete", True) else " (some internals not found: partial)"
        return [
            f"{label}: where the time goes{note}",
            "",
            c.markdown_table(
                ["stage", "seconds", "share", "CPU s", "CPU share", "CPU ms per call", "calls"], srows
            ),
            "",
        ]

    lines += stage_table(first, "First ingest")
    lines += stage_table(second, "Re-ingest")
    share = 1 - base["seconds"] / first["seconds"]
    share_cpu = 1 - base["cpu_seconds"] / first["cpu_seconds"]
    extract_in = (first.get("stages_cpu") or {}).get("extract")
    lines.append(
        f"Ingest takes ×{first['seconds'] / base['seconds']:.2f} the wall time and "
        f"×{first['cpu_seconds'] / base['cpu_seconds']:.2f} the CPU time of extraction alone: store + tracing "
        f"= {share:.0%} of the ingest's wall time, {share_cpu:.0%} of its CPU time by those ratios"
        + (
            f"; measured inside the ingest, extraction is {extract_in / first['ingest_cpu_seconds']:.0%} "
            "of its CPU time."
            if extract_in and first.get("ingest_cpu_seconds")
            else "."
        )
    )
    busy = [
        name
        for name, run in (("baseline", base), ("ingest", first), ("re-ingest", second))
        if max(run.get("load") or (0.0, 0.0)) > (m_cores := (os.cpu_count() or 1)) - 0.5
    ]
    if busy:
        lines.append(
            f"WARNING: the 1-minute load average exceeded {m_cores - 0.5:.1f} during {', '.join(busy)} "
            "(other processes on the machine): wall-time rates and ratios are unreliable; the CPU-time "
            "ratios hold better."
        )
    lines.append(
        f"The re-ingest takes ×{second['seconds'] / first['seconds']:.3f} the first ingest's wall time: "
        f"**×{first['seconds'] / second['seconds']:.1f} faster** (CPU ×{first['cpu_seconds'] / second['cpu_seconds']:.1f})."
    )
    if forced is not None:
        lines.append(
            f"With `force=True` it takes ×{forced['seconds'] / first['seconds']:.2f} the first ingest "
            f"(×{forced['seconds'] / base['seconds']:.2f} extraction alone)."
        )
    if before is not None:
        old_first, old_second = before
        lines.append(
            f"Before (`--before`), the re-ingest took ×{old_second['seconds'] / old_first['seconds']:.2f} "
            f"the first ingest (×{old_first['seconds'] / old_second['seconds']:.1f} faster)."
        )
    uses = {"before": before[0]["use"]} if before is not None and before[0].get("use") else {}
    if first.get("use"):
        uses["after"] = first["use"]
    if uses:
        size = store_size
        headers, srows = size.area_rows(uses)
        lines += [
            "",
            "Disk use after the first ingest, by area (dbstat):",
            "",
            c.markdown_table(headers, srows),
            "",
        ]
    lines.append(
        f"Corpus: {pages:,} pages ({made['kinds']}), {made['bytes'] / 2**20:.1f} MB of HTML, median page "
        f"{made.get('median_kb', 0):.0f} KB, text: {made['text']}."
    )
    lines.append(f"Extraction alone, outcome by kind of page: {base['by_kind']}.")
    q = base.get("quality")
    if q:
        lines.append(
            f"Extraction quality on the generated article pages (true text known; benchmark metric): "
            f"P {q['precision']:.3f}, R {q['recall']:.3f}, F1 {q['f1']:.3f}, exact {q['accuracy']:.1%} "
            f"of {q['pages']:,} pages."
        )
        if q["leaked_lines"]:
            lines.append("Most frequent template lines left in the text (first two words: lines; example):")
            lines += [f"  - `{k}…`: {n:,}; e.g. {ex!r}" for k, n, ex in q["leaked_lines"]]
    lines.append(
        f"First ingest: new {first['new']:,}, unchanged {first['unchanged']}, updated {first['updated']}, "
        f"rejected {first['rejected_by_kind']} (by kind of page), broken {first['broken']}, "
        f"copies found {first['copies_found']}."
    )
    lines.append(
        f"Second ingest: new {second['new']}, unchanged {second['unchanged']:,}, updated {second['updated']}, "
        f"rejected {second['rejected']}, broken {second['broken']}."
    )
    marks = first.get("marks") or []
    if len(marks) >= 4:
        # The second tenth against the last (the first tenth pays for warm-up).
        (a_n, a_s, a_c), (b_n, b_s, b_c) = marks[0][:3], marks[1][:3]
        (y_n, y_s, y_c), (z_n, z_s, z_c) = marks[-2][:3], marks[-1][:3]
        early, late = (b_n - a_n) / (b_s - a_s), (z_n - y_n) / (z_s - y_s)
        early_c, late_c = (b_c - a_c) / (b_n - a_n), (z_c - y_c) / (z_n - y_n)
        lines.append(
            f"First ingest rate, files {a_n + 1:,}-{b_n:,}: {early:.1f} files/s; files {y_n + 1:,}-{z_n:,}: "
            f"{late:.1f} files/s (×{late / early:.2f} as the store fills). CPU per file: "
            f"{1000 * early_c:.1f} ms, then {1000 * late_c:.1f} ms (×{late_c / early_c:.2f})."
        )
    expect_new = made["kinds"].get("article", 0)
    if first["new"] != expect_new:
        lines.append(
            f"NOTE: expected {expect_new} new articles (generated article pages), got {first['new']}."
        )
    if second["new"]:
        lines.append(f"NOTE: the second ingest stored {second['new']} new article(s); expected 0.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10_000, help="pages to generate (default 10000)")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (and the DB)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--text", choices=("generated", "wikinews"), default="generated")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--force", action="store_true", help="also time a re-ingest with force=True")
    ap.add_argument(
        "--before", type=Path, metavar="SRC", help="also run the ingests with an older checkout's src"
    )
    ap.add_argument("--_phase", help=argparse.SUPPRESS)
    ap.add_argument("--_db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_manifest", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_texts", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_force", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._phase:  # inside a child process
        if args._phase == "extract":
            print(json.dumps(phase_extract(args._dir, args._manifest, args._texts)))
        else:
            print(json.dumps(phase_ingest(args._dir, args._db, args._manifest, force=args._force)))
        return 0

    c = _common
    m = c.machine()
    print(c.machine_line(m))
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    # The corpus folder holds only the pages: the manifest, the truth and the databases lie beside it.
    corpus, db, old_db = work / "corpus", work / "bench.sqlite", work / "before.sqlite"
    manifest, truth, texts = work / "manifest.json", work / "truth.json", work / "extracted.jsonl"
    try:
        if corpus.exists():
            shutil.rmtree(corpus)
        for d in (db, old_db):
            for p in (d, Path(f"{d}-wal"), Path(f"{d}-shm")):
                p.unlink(missing_ok=True)
        t0 = time.perf_counter()
        made = generate(corpus, args.pages, seed=args.seed, text=args.text)
        manifest.write_text(json.dumps(made.pop("manifest")), encoding="utf-8")
        truth.write_text(json.dumps(made.pop("truth")), encoding="utf-8")
        print(
            f"generated {args.pages:,} pages ({made['bytes'] / 2**20:.1f} MB, median {made['median_kb']:.0f} KB) "
            f"in {time.perf_counter() - t0:.1f}s under {corpus}",
            flush=True,
        )
        common = ["--_dir", str(corpus), "--_manifest", str(manifest)]
        base = _child("extract", *common, "--_texts", str(texts))
        print(f"extraction alone: {base['seconds']:.1f}s", flush=True)
        base["quality"] = quality(truth, texts)
        first = _child("ingest", *common, "--_db", str(db))
        print(f"first ingest: {first['seconds']:.1f}s", flush=True)
        second = _child("ingest", *common, "--_db", str(db))
        print(f"second ingest: {second['seconds']:.1f}s", flush=True)
        forced = None
        if args.force:
            forced = _child("ingest", *common, "--_db", str(db), "--_force")
            print(f"forced ingest: {forced['seconds']:.1f}s", flush=True)
        before = None
        if args.before:
            old = ["--_db", str(old_db)]
            before = (
                _child("ingest", *common, *old, src=args.before.resolve()),
                _child("ingest", *common, *old, src=args.before.resolve()),
            )
            print(
                f"before: first ingest {before[0]['seconds']:.1f}s, second {before[1]['seconds']:.1f}s",
                flush=True,
            )
        print()
        print(report(made, base, first, second, forced, before))
        if args.json:
            figures = {
                "machine": m,
                "corpus": made,
                "extraction": base,
                "ingest": first,
                "reingest": second,
                "forced": forced,
                "before": before,
            }
            args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
            print(f"\nfigures written to {args.json}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
