#!/usr/bin/env python3
"""Render newsdesk's sample corpus from the sources in scripts/sample/.

Reads ``outlets.json``, ``events/*.json``, ``filler.json`` and ``seed.txt`` and writes
``src/newsdesk/sample/``: article pages in each outlet's own template, section index and error
pages, feeds in five formats (plus one deliberately broken feed), a JSONL delivery file, an OPML
list of the feeds, ``truth.json`` (what every file is and who copies whom) and a README.

Everything here is invented for newsdesk, except ``seed.txt``: the visible text of a real
auto-blog page, given to the project so that one page of the corpus is built around it.

The build is deterministic: running it twice produces byte-identical output. Usage::

    python3 scripts/sample/build.py [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_OUT = ROOT / "src" / "newsdesk" / "sample"

SEED_ID = "seed-biden-zelenskyy"
SEED_URL = "https://worldnewsnow24.example/biden-talks-with-ukrainian-president-over-russian-tensions-border-conflict-news/"
SEED_SOURCE = "https://www.aljazeera.com/news/2021/12/9/biden-zelenskyy-call"
SEED_PUBLISHED = "2021-12-10T09:12:44+00:00"

# How each outlet labels our sections (what a reader sees in nav, breadcrumbs and metadata).
LABELS: dict[str, dict[str, str]] = {
    "harbourtimes": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "northwind": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "civicledger": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "pressline": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sports",
        "science": "Science",
    },
    "dailyorbit": {
        "world": "World",
        "business": "Business",
        "technology": "Tech",
        "sport": "Sports",
        "science": "Science",
    },
    "valleygazette": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "worldnewsnow": {
        "world": "World News",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sports",
        "science": "Science",
    },
    "metroexpress": {
        "world": "World News",
        "business": "Money",
        "technology": "Tech",
        "sport": "Sport",
        "science": "Science",
    },
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# -- small helpers ----------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def dt(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def num(key: str, lo: int, hi: int) -> int:
    """A stable number in [lo, hi) derived from a key (for post ids, view counts...)."""
    h = int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)
    return lo + h % (hi - lo)


def ld_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("</", "<\\/")


def rfc822(iso: str) -> str:
    d = dt(iso)
    return f"{DAYS[d.weekday()][:3]}, {d.day:02d} {MONTHS[d.month - 1][:3]} {d.year} {d:%H:%M:%S} +0000"


def long_date(iso: str) -> str:  # "March 2, 2026"
    d = dt(iso)
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def paras(ps: list[str], cls: str | None = None) -> list[str]:
    c = f' class="{cls}"' if cls else ""
    return [f"<p{c}>{esc(p)}</p>" for p in ps]


def label(a: dict[str, Any]) -> str:
    return LABELS.get(a["outlet"], {}).get(a["section"], a["section"].title())


def word_count(ps: list[str]) -> int:
    return sum(len(p.split()) for p in ps)


# -- loading ----------------------------------------------------------------------------------------


def load_sources() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    outlets_doc = json.loads((HERE / "outlets.json").read_text(encoding="utf-8"))
    outlets = {o["slug"]: o for o in outlets_doc["outlets"]}
    events = []
    for path in sorted((HERE / "events").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["_file"] = path.name
        events.append(doc)
    filler = json.loads((HERE / "filler.json").read_text(encoding="utf-8"))
    articles: list[dict[str, Any]] = []
    for ev in events:
        for src in ev["articles"]:
            a = dict(src)
            a["event"] = ev["event"]
            a.setdefault("modified", None)
            a.setdefault("copy", None)
            a.setdefault("tags", [])
            a.setdefault("revisions", [])
            a.setdefault("standfirst", "")
            articles.append(a)
    articles.append(seed_article())
    by_id = {a["id"]: a for a in articles}
    for a in articles:
        copy = a.get("copy") or {}
        original = by_id.get(copy.get("of")) if copy else None
        a["copy_of"] = copy.get("of") if copy else None
        a["copy_kind"] = copy.get("kind") if copy else a.get("copy_kind")
        a["canonical_url"] = a["url"]
        if a["id"] == SEED_ID:
            a["declared_source"] = SEED_SOURCE
        elif copy.get("kind") == "rewritten" and original:
            a["declared_source"] = original["url"]  # the "Source link" anchor
        elif copy.get("kind") == "syndicated" and original:
            a["declared_source"] = original["url"]
            a["canonical_url"] = original["url"]  # rel=canonical points to the original
        else:
            a["declared_source"] = None
        a["original_outlet"] = original["outlet"] if original else None
        delivery = a.get("delivery", "page")
        a["delivery"] = delivery
        if delivery == "page":
            base = f"pages/{a['outlet']}/{a['id']}"
            if a["revisions"]:
                n = len(a["revisions"]) + 1
                a["revision_files"] = [f"{base}-r{i}.html" for i in range(1, n + 1)]
                a["file"] = a["revision_files"][-1]
            else:
                a["file"] = f"{base}.html"
        elif delivery == "feed":
            a["file"] = f"feeds/{a['outlet']}.xml"
        elif delivery == "jsonl":
            a["file"] = f"{a['outlet']}.jsonl"
        else:
            raise SystemExit(f"{a['id']}: unknown delivery {delivery!r}")
    return outlets, events, articles, filler


def seed_article() -> dict[str, Any]:
    """The auto-blog page built around ../shared/seed: its text exactly as given."""
    lines = [line.strip() for line in (HERE / "seed.txt").read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    category, headline = lines[0], lines[1]
    start, end = lines.index("[ad_1]"), lines.index("[ad_2]")
    body = lines[start + 1 : end]
    tail = lines[end + 1 :]
    assert tail == ["Source link", "Related Articles", "Back to top button"], tail
    assert category == "World News"
    return {
        "id": SEED_ID,
        "outlet": "worldnewsnow",
        "section": "world",
        "event": "seed",
        "url": SEED_URL,
        "published": SEED_PUBLISHED,
        "modified": "2021-12-10T09:12:44+00:00",
        "author": "admin",
        "headline": headline,
        "standfirst": body[0],
        "paragraphs": body,
        "tags": ["Biden", "Russia", "Ukraine", "Zelenskyy"],
        "delivery": "page",
        "copy": None,
        "copy_kind": "rewritten",
        "revisions": [],
        "seed": True,
    }


# -- site furniture -------------------------------------------------------------------------------


class Site:
    """Everything a template needs besides the article: other headlines, filler, comments."""

    def __init__(self, outlets: dict[str, Any], articles: list[dict[str, Any]], filler: dict[str, Any]):
        self.outlets = outlets
        self.articles = articles
        self.filler = filler
        self.by_id = {a["id"]: a for a in articles}

    def pages_of(self, outlet: str) -> list[dict[str, Any]]:
        own = [
            a
            for a in self.articles
            if a["outlet"] == outlet and a["delivery"] == "page" and not a.get("seed")
        ]
        return sorted(own, key=lambda a: (a["published"], a["id"]), reverse=True)

    def most_read(self, a: dict[str, Any], n: int = 5) -> list[tuple[str, str]]:
        others = [(o["headline"], o["url"]) for o in self.pages_of(a["outlet"]) if o["id"] != a["id"]]
        start = num(a["id"], 0, max(1, len(others))) if others else 0
        picked = (others[start:] + others[:start])[: n - 2]
        home = self.outlets[a["outlet"]]["home"]
        for title in self.filler["most_read"].get(a["outlet"], []):
            if len(picked) >= n:
                break
            picked.append((title, home + "news/" + slugify(title)))
        return picked

    def related(self, a: dict[str, Any], n: int = 3) -> list[dict[str, Any]]:
        same = [o for o in self.pages_of(a["outlet"]) if o["id"] != a["id"] and o["section"] == a["section"]]
        rest = [o for o in self.pages_of(a["outlet"]) if o["id"] != a["id"] and o["section"] != a["section"]]
        return (same + rest)[:n]

    def comments(self, a: dict[str, Any], n: int) -> list[tuple[str, str]]:
        pool = self.filler["comments"]
        start = num("c" + a["id"], 0, len(pool))
        return [tuple(pool[(start + 3 * i) % len(pool)]) for i in range(n)]  # type: ignore[misc]


def slugify(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isalnum() and ch.isascii():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


COOKIE = {
    "harbourtimes": '<div id="cookie-notice" class="cookie-notice" role="dialog"><p>We use cookies to improve '
    'your experience and to show you relevant advertising. <a href="/privacy">Find out more</a>.'
    '</p><button type="button">Accept all</button> <button type="button">Manage settings</button></div>',
    "northwind": '<div class="consent-banner" role="dialog" aria-label="Cookie consent"><p>Northwind Herald and '
    "our partners use cookies to personalise content and measure audiences.</p><button>Yes, I "
    "agree</button><button>Options</button></div>",
    "civicledger": '<div class="cookie-bar"><span>By continuing to browse you agree to our use of cookies.</span>'
    ' <a href="/cookies">Cookie policy</a> <button>OK</button></div>',
    "dailyorbit": '<div id="gdpr-popup" class="gdpr"><h4>We value your privacy</h4><p>We and our 143 partners '
    'store and access information on your device.</p><button class="btn-accept">Accept</button>'
    '<button class="btn-reject">Reject</button></div>',
    "metroexpress": '<div class="cmp-container"><p>We use cookies and similar technologies. Click “Accept” to '
    "consent.</p><button>Accept</button> <button>More options</button></div>",
}


def nav_links(outlet: str, prefix: str = "/") -> str:
    labels = LABELS[outlet]
    items = "".join(
        f'<li><a href="{prefix}{s}/">{esc(labels[s])}</a></li>'
        for s in ["world", "business", "technology", "science", "sport"]
    )
    return items


# -- templates ------------------------------------------------------------------------------------


def tpl_harbourtimes(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    o = site.outlets[a["outlet"]]
    lab = label(a)
    pub = dt(a["published"])
    modified = rev["modified"]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": rev["headline"],
        "description": a["standfirst"],
        "datePublished": a["published"],
        "dateModified": modified or a["published"],
        "articleSection": lab,
        "author": {"@type": "Person", "name": a["author"]},
        "publisher": {
            "@type": "Organization",
            "name": o["name"],
            "logo": {"@type": "ImageObject", "url": "https://harbourtimes.example/static/logo.png"},
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": a["canonical_url"]},
        "keywords": ", ".join(a["tags"]),
        "inLanguage": "en",
    }
    agency = ' <span class="agency">(Pressline)</span>' if a.get("original_outlet") == "pressline" else ""
    updated = (
        f' <span class="updated">Updated {DAYS[dt(modified).weekday()]} {dt(modified).day} '
        f"{MONTHS[dt(modified).month - 1]} {dt(modified).year} {dt(modified):%H.%M} GMT</span>"
        if modified
        else ""
    )
    body = paras(rev["paragraphs"])
    body.insert(
        min(2, len(body)),
        '<div class="ad-slot ad-mpu" data-slot="article-mid"><span>Advertisement</span></div>',
    )
    fig = ""
    if a.get("image_caption"):
        fig = (
            f'<figure class="lead-image"><img src="https://harbourtimes.example/img/{a["id"]}.jpg" alt="" '
            f'width="940" height="529"><figcaption>{esc(a["image_caption"])} '
            f'<span class="credit">Photograph: Harbour Times</span></figcaption></figure>'
        )
    most = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in site.most_read(a))
    tags = ", ".join(f'<a href="/tag/{slugify(t)}">{esc(t)}</a>' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(rev["headline"])} | The Harbour Times</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{attr(a["standfirst"])}">
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(rev["headline"])}">
<meta property="og:url" content="{attr(a["url"])}">
<meta property="og:site_name" content="The Harbour Times">
<meta property="og:description" content="{attr(a["standfirst"])}">
<link rel="stylesheet" href="/static/css/main.4f2a.css">
<script type="application/ld+json">
{ld_json(ld)}
</script>
<script type="application/ld+json">
{
        ld_json(
            {
                "@context": "https://schema.org",
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": o["home"]},
                    {"@type": "ListItem", "position": 2, "name": lab, "item": o["home"] + a["section"] + "/"},
                ],
            }
        )
    }
</script>
</head>
<body class="article-page section-{a["section"]}">
{COOKIE["harbourtimes"]}
<header class="masthead">
<div class="topbar"><span class="today">{DAYS[pub.weekday()]} {pub.day} {MONTHS[pub.month - 1]} {
        pub.year
    }</span> <a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div>
<a class="logo" href="/"><img src="/static/logo.svg" alt="The Harbour Times"></a>
<nav class="main-nav"><ul><li><a href="/">Home</a></li>{
        nav_links("harbourtimes")
    }<li><a href="/opinion/">Opinion</a></li><li><a href="/puzzles/">Puzzles</a></li></ul></nav>
</header>
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/{a["section"]}/">{
        esc(lab)
    }</a></nav>
<div class="page-wrap">
<main id="content">
<div class="article-header">
<h1 class="headline">{esc(rev["headline"])}</h1>
<p class="standfirst">{esc(a["standfirst"])}</p>
<div class="article-meta">By <a class="author-name" rel="author" href="/author/{slugify(a["author"])}">{
        esc(a["author"])
    }</a>{agency} | <span class="published">{DAYS[pub.weekday()]} {pub.day} {MONTHS[pub.month - 1]} {
        pub.year
    } {pub:%H.%M} GMT</span>{updated}</div>
</div>
{fig}
<div class="article-body">
{chr(10).join(body)}
</div>
<div class="article-tags">Topics: {tags}</div>
<div class="share-tools"><span>Share this story</span> <a href="https://facebook.example/share?u={
        attr(a["url"])
    }">Facebook</a> <a href="https://x.example/intent?url={attr(a["url"])}">X</a> <a href="mailto:?subject={
        attr(rev["headline"])
    }">Email</a></div>
</main>
<aside class="sidebar">
<section class="most-read"><h3>Most read</h3><ol>{most}</ol></section>
<section class="promo"><h3>The Harbour Times Weekender</h3><p>Get the best of the week’s journalism delivered to your inbox every Saturday.</p><a class="button" href="/newsletters">Sign up</a></section>
<div class="ad-slot ad-skyscraper"><span>Advertisement</span></div>
</aside>
</div>
<footer class="site-footer"><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/complaints">Corrections and complaints</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul><p>&copy; 2026 The Harbour Times, 14 Chandler Street, Kestrel Bay. All rights reserved.</p></footer>
</body>
</html>
"""


def tpl_northwind(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    lab = label(a)
    pub = dt(a["published"])
    modified = rev["modified"]
    body = paras(rev["paragraphs"])
    news_box = (
        '<aside class="newsletter-signup" aria-label="Newsletter"><h2>Subscribe to The Morning Brief</h2>'
        '<p>The day’s essential stories, in your inbox at 7am.</p><form action="/newsletters/subscribe" '
        'method="post"><input type="email" name="email" placeholder="Your email address"><button '
        'type="submit">Sign me up</button></form><p class="small">We will never share your details.</p>'
        "</aside>"
    )
    body.insert(min(4, len(body)), news_box)
    fig = ""
    if a.get("image_caption"):
        fig = (
            f'<figure class="story-image"><picture><source srcset="https://cdn.northwindherald.example/{a["id"]}'
            f'.webp" type="image/webp"><img src="https://cdn.northwindherald.example/{a["id"]}.jpg" alt="'
            f'{attr(a["image_caption"])}" loading="eager"></picture><figcaption>{esc(a["image_caption"])}'
            f"</figcaption></figure>"
        )
    mod_meta = f'\n<meta property="article:modified_time" content="{modified}">' if modified else ""
    mod_time = (
        f' <span class="updated-label">Updated</span> <time class="updated" datetime="{modified}">'
        f"{dt(modified).day} {MONTHS[dt(modified).month - 1][:3]} {dt(modified).year} {dt(modified):%H.%M} GMT</time>"
        if modified
        else ""
    )
    tag_meta = "".join(f'\n<meta property="article:tag" content="{attr(t)}">' for t in a["tags"])
    most = "".join(
        f'<li><a href="{attr(u)}"><span class="rank">{i}</span> {esc(t)}</a></li>'
        for i, (t, u) in enumerate(site.most_read(a), 1)
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(rev["headline"])} | {esc(lab)} | Northwind Herald</title>
<meta name="description" content="{attr(a["standfirst"])}">
<meta name="author" content="{attr(a["author"])}">
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Northwind Herald">
<meta property="og:title" content="{attr(rev["headline"])}">
<meta property="og:description" content="{attr(a["standfirst"])}">
<meta property="og:url" content="{attr(a["url"])}">
<meta property="og:image" content="https://cdn.northwindherald.example/{a["id"]}.jpg">
<meta property="article:published_time" content="{a["published"]}">{mod_meta}
<meta property="article:section" content="{attr(lab)}">
<meta property="article:author" content="https://northwindherald.example/profile/{slugify(a["author"])}">{tag_meta}
<meta name="twitter:card" content="summary_large_image">
<link rel="alternate" type="application/atom+xml" title="Northwind Herald" href="https://northwindherald.example/atom.xml">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
{COOKIE["northwind"]}
<header class="site-header">
<a class="brand" href="/" aria-label="Northwind Herald home"><svg width="180" height="32" role="img"><title>Northwind Herald</title></svg></a>
<nav class="primary-nav" aria-label="Sections"><ul><li><a href="/">News</a></li>{nav_links("northwind")}<li><a href="/culture/">Culture</a></li><li><a href="/opinion/">Opinion</a></li></ul></nav>
<a class="support-btn" href="/support">Support us</a>
</header>
<main id="main">
<article class="story">
<header class="story-header">
<p class="kicker"><a href="/{a["section"]}/">{esc(lab)}</a></p>
<h1>{esc(rev["headline"])}</h1>
<p class="dek">{esc(a["standfirst"])}</p>
<div class="byline-block"><address class="byline">By <a rel="author" href="/profile/{slugify(a["author"])}">{esc(a["author"])}</a></address>
<time class="published" datetime="{a["published"]}">{DAYS[pub.weekday()][:3]} {pub.day} {MONTHS[pub.month - 1][:3]} {pub.year} {pub:%H.%M} GMT</time>{mod_time}</div>
</header>
{fig}
<div class="story-body">
{chr(10).join(body)}
</div>
<footer class="story-footer">
<section class="share-bar" aria-label="Share"><h2>Share this article</h2><ul><li><a href="https://facebook.example/sharer?u={attr(a["url"])}">Facebook</a></li><li><a href="https://x.example/share?url={attr(a["url"])}">X</a></li><li><a href="https://linkedin.example/share?url={attr(a["url"])}">LinkedIn</a></li><li><a href="mailto:?body={attr(a["url"])}">Email</a></li><li><button class="copy-link">Copy link</button></li></ul></section>
<p class="topics">Topics: {", ".join(f'<a href="/topic/{slugify(t)}">{esc(t)}</a>' for t in a["tags"])}</p>
</footer>
</article>
<section class="most-read" aria-labelledby="mr"><h2 id="mr">Most read</h2><ol>{most}</ol></section>
</main>
<footer class="site-footer"><nav><a href="/about">About</a> · <a href="/help">Help</a> · <a href="/terms">Terms and conditions</a> · <a href="/privacy">Privacy policy</a> · <a href="/jobs">Work for us</a></nav><p>© 2026 Northwind Herald Media Ltd</p></footer>
<script src="/assets/app.js" defer></script>
</body>
</html>
"""


def tpl_civicledger(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    lab = label(a)
    modified = rev["modified"]
    mod_meta = f'\n<meta property="article:modified_time" content="{modified}">' if modified else ""
    most = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in site.most_read(a, 4))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(rev["headline"])} - The Civic Ledger</title>
<meta name="description" content="{attr(a["standfirst"])}">
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta property="og:site_name" content="The Civic Ledger">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(rev["headline"])}">
<meta property="og:url" content="{attr(a["url"])}">
<meta property="article:section" content="{attr(lab)}">
<meta property="article:published_time" content="{a["published"]}">{mod_meta}
<meta name="keywords" content="{attr(", ".join(a["tags"]))}">
<meta name="robots" content="max-image-preview:large">
</head>
<body class="story-page">
{COOKIE["civicledger"]}
<div class="ticker" aria-label="Markets"><ul><li>KBX 200 <b>8,412.6</b> <span class="up">+0.4%</span></li><li>Crown/Basket <b>1.0842</b> <span class="down">-0.1%</span></li><li>2-yr yield <b>4.32%</b></li><li>Brent-equivalent <b>81.20</b> <span class="up">+0.8%</span></li></ul></div>
<div id="header"><div class="logo"><a href="/">The Civic Ledger</a></div>
<ul class="nav"><li><a href="/companies/">Companies</a></li><li><a href="/markets/">Markets</a></li><li><a href="/economy/">Economy</a></li><li><a href="/technology/">Technology</a></li><li><a href="/world/">World</a></li><li><a href="/personal-finance/">Your money</a></li></ul>
<a class="subscribe-btn" href="/subscribe">Subscribe</a></div>
<div id="wrapper">
<div id="story" class="col-main">
<div class="story-section"><a href="/{a["section"]}/">{esc(lab)}</a></div>
<h1 class="story-title">{esc(rev["headline"])}</h1>
<h2 class="story-subtitle">{esc(a["standfirst"])}</h2>
<div class="story-meta"><span class="byline">By {esc(a["author"])}</span> <span class="sep">|</span> <span class="dateline">{long_date(a["published"])}</span></div>
<div class="story-tools"><a href="#" class="save">Save</a> <a href="#" class="gift">Gift this article</a> <a href="#" class="print">Print</a></div>
<div class="story-content" id="article-text">
{chr(10).join(paras(rev["paragraphs"]))}
</div>
<div class="paywall-teaser"><h3>You are reading a free article</h3><p>You have read 2 of your 5 free articles this month. Subscribe to The Civic Ledger for unlimited access to markets data, company news and analysis from 4 crowns a week.</p><a class="cta" href="/subscribe?src=teaser">See subscription options</a> <a href="/login">Already a subscriber? Log in</a></div>
</div>
<div id="rail" class="col-side">
<div class="box most-popular"><h4>Most popular</h4><ul>{most}</ul></div>
<div class="box markets-box"><h4>Markets data</h4><table><tr><td>KBX 200</td><td>8,412.6</td></tr><tr><td>KBX Small Caps</td><td>3,118.0</td></tr><tr><td>Crown index</td><td>101.7</td></tr></table></div>
<div class="box ad"><small>Advertisement</small></div>
</div>
</div>
<div id="footer"><p><a href="/about">About The Civic Ledger</a> | <a href="/advertise">Advertise</a> | <a href="/terms">Terms</a> | <a href="/privacy">Privacy</a></p><p>Copyright 2026 Civic Ledger Publishing. Market data delayed by at least 15 minutes.</p></div>
</body>
</html>
"""


def tpl_pressline(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    lab = label(a)
    pub = dt(a["published"])
    hour = pub.hour % 12 or 12
    ampm = "AM" if pub.hour < 12 else "PM"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(rev["headline"])} | Pressline</title>
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta name="description" content="{attr(a["standfirst"])}">
<meta name="author" content="{attr(a["author"])}">
<meta property="og:title" content="{attr(rev["headline"])}">
<meta property="og:site_name" content="Pressline">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{a["published"]}">
<meta property="article:section" content="{attr(lab)}">
<style>body{{font-family:Arial,sans-serif;max-width:760px;margin:auto}}</style>
</head>
<body>
<div class="pl-top"><a href="/">PRESSLINE</a> <span>| Trusted news since 1952</span> <a href="/services">For media clients</a> <a href="/login">Client login</a></div>
<ul class="pl-sections"><li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li><li><a href="/technology/">Technology</a></li><li><a href="/sports/">Sports</a></li><li><a href="/science/">Science</a></li></ul>
<div class="wire-story">
<span class="wire-section">{esc(lab)}</span>
<h1>{esc(rev["headline"])}</h1>
<div class="wire-meta">By <span class="wire-byline">{esc(a["author"])}</span> · <span class="wire-time">{MONTHS[pub.month - 1]} {pub.day}, {pub.year} {hour}:{pub:%M} {ampm} UTC</span></div>
<div class="wire-text">
{chr(10).join(paras(rev["paragraphs"]))}
</div>
<p class="wire-standards">Our Standards: <a href="/trust-principles">The Pressline Trust Principles.</a></p>
</div>
<div class="pl-more"><h3>More from Pressline</h3><ul>{"".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in site.most_read(a, 4))}</ul></div>
<div class="pl-footer">All quotes delayed a minimum of 15 minutes. © 2026 Pressline. All rights reserved. <a href="/licensing">Licensing</a></div>
</body>
</html>
"""


def tpl_dailyorbit(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    lab = label(a)
    pub = dt(a["published"])
    modified = rev["modified"] or a["published"]
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebPage",
                "@id": a["url"],
                "url": a["url"],
                "name": rev["headline"],
                "inLanguage": "en-US",
                "isPartOf": {"@id": "https://dailyorbit.example/#website"},
            },
            {
                "@type": "Article",
                "@id": a["url"] + "#article",
                "headline": rev["headline"],
                "datePublished": a["published"],
                "dateModified": modified,
                "articleSection": [lab],
                "author": {
                    "@type": "Person",
                    "name": a["author"],
                    "url": "https://dailyorbit.example/author/" + slugify(a["author"]),
                },
                "mainEntityOfPage": {"@id": a["url"]},
                "keywords": a["tags"],
                "publisher": {"@id": "https://dailyorbit.example/#organization"},
            },
            {
                "@type": "Organization",
                "@id": "https://dailyorbit.example/#organization",
                "name": "Daily Orbit",
            },
            {"@type": "WebSite", "@id": "https://dailyorbit.example/#website", "name": "Daily Orbit"},
        ],
    }
    body = paras(rev["paragraphs"])
    related = site.related(a)
    if related:
        r = related[0]
        body.insert(
            min(3, len(body)),
            f'<div class="inline-related"><span class="label">Read more</span> '
            f'<a href="{attr(r["url"])}">{esc(r["headline"])}</a></div>',
        )
    body.insert(
        min(6, len(body)),
        '<div class="ad-container" id="div-gpt-ad-incontent"><small>Advertisement'
        " - story continues below</small></div>",
    )
    rel_items = "".join(
        f'<li class="rel-card"><a href="{attr(r["url"])}"><img src="https://img.dailyorbit.example/thumb/'
        f'{r["id"]}.jpg" alt=""><span class="rel-title">{esc(r["headline"])}</span></a><span class="rel-date">'
        f"{long_date(r['published'])}</span></li>"
        for r in related
    )
    comments = "".join(
        f'<li class="comment" id="comment-{num(a["id"] + name, 1000, 99999)}"><div class="comment-author">'
        f'<b>{esc(name)}</b> <span class="comment-time">{num(a["id"] + name, 1, 23)} hours ago</span></div>'
        f'<div class="comment-text">{esc(text)}</div><a class="reply" href="#">Reply</a> <span class="votes">'
        f"▲ {num(name + a['id'], 0, 40)}</span></li>"
        for name, text in site.comments(a, 3)
    )
    trending = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in site.most_read(a, 5))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(rev["headline"])} – Daily Orbit</title>
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta name="description" content="{attr(a["standfirst"])}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(rev["headline"])}">
<meta property="og:description" content="{attr(a["standfirst"])}">
<meta property="og:url" content="{attr(a["url"])}">
<meta property="og:site_name" content="Daily Orbit">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@dailyorbit">
<script type="application/ld+json">{ld_json(graph)}</script>
<script async src="https://ads.example/gpt.js"></script>
</head>
<body class="single single-{a["section"]}">
{COOKIE["dailyorbit"]}
<div class="leaderboard ad"><small>Advertisement</small></div>
<header id="orbit-header">
<div class="brand"><a href="/"><img src="/logo.png" alt="Daily Orbit"></a><span class="tagline">Tech. Sport. Everything in between.</span></div>
<nav id="orbit-nav"><ul><li><a href="/tech/">Tech</a></li><li><a href="/reviews/">Reviews</a></li><li><a href="/science/">Science</a></li><li><a href="/sport/">Sports</a></li><li><a href="/sport/football/">Football</a></li><li><a href="/business/">Business</a></li><li><a href="/deals/">Deals</a></li></ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search Daily Orbit"></form>
<div class="live-scores"><span class="ls-title">Live</span> Kites 88 – 81 Owls (Q4) · Northmoor 1 – 0 Port Aldane (HT)</div>
</header>
<div id="orbit-main" class="container">
<main class="post">
<div class="post-cats"><a class="cat" href="/{a["section"]}/">{esc(lab)}</a></div>
<h1 class="post-title">{esc(rev["headline"])}</h1>
<p class="post-excerpt">{esc(a["standfirst"])}</p>
<div class="post-meta"><img class="avatar" src="https://img.dailyorbit.example/authors/{slugify(a["author"])}.jpg" alt=""><span class="author">{esc(a["author"])}</span> <span class="date">{long_date(a["published"])} {pub:%H:%M}</span> <span class="read-time">{max(1, word_count(rev["paragraphs"]) // 200)} min read</span> <a class="comments-count" href="#comments">3 comments</a></div>
<div class="share-top"><a class="share fb" href="#">Share</a> <a class="share x" href="#">Post</a> <a class="share wa" href="#">WhatsApp</a></div>
<div class="post-body" itemprop="articleBody">
{chr(10).join(body)}
</div>
<div class="post-tags">{"".join(f'<a class="tag" href="/tag/{slugify(t)}">#{esc(t)}</a> ' for t in a["tags"])}</div>
<section class="related-stories"><h3>Related stories</h3><ul>{rel_items}</ul></section>
<section id="comments" class="comments"><h3>3 comments</h3><ol class="comment-list">{comments}</ol>
<form class="comment-form"><label>Join the conversation</label><textarea name="comment" placeholder="Write a comment…"></textarea><button>Post</button></form>
<p class="comment-policy">Comments are moderated. Please read our <a href="/community">community guidelines</a>.</p></section>
</main>
<aside class="orbit-sidebar">
<div class="widget trending"><h4>Trending now</h4><ol>{trending}</ol></div>
<div class="widget poll"><h4>Quick poll</h4><p>Do you read the news on your phone or laptop?</p><label><input type="radio" name="p"> Phone</label> <label><input type="radio" name="p"> Laptop</label></div>
<div class="widget newsletter"><h4>Orbit Daily</h4><p>Get our top stories each morning.</p><input type="email" placeholder="Email"><button>Go</button></div>
<div class="widget ad"><small>Advertisement</small></div>
</aside>
</div>
<footer id="orbit-footer"><p>Daily Orbit is part of Orbit Media Group. <a href="/about">About</a> · <a href="/advertise">Advertise</a> · <a href="/privacy">Privacy</a> · <a href="/cookies">Cookie settings</a></p><p>© 2026 Orbit Media Group</p></footer>
</body>
</html>
"""


def wp_post_id(a: dict[str, Any]) -> int:
    return num("wp" + a["id"], 10000, 99999)


def tpl_valleygazette(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    lab = label(a)
    pid = wp_post_id(a)
    modified = rev["modified"] or a["published"]
    recent = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in site.most_read(a, 5))
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Article",
                "@id": a["url"] + "#article",
                "isPartOf": {"@id": a["url"]},
                "author": {
                    "name": a["author"],
                    "@id": "https://valleygazette.example/#/schema/person/" + slugify(a["author"]),
                },
                "headline": rev["headline"],
                "datePublished": a["published"],
                "dateModified": modified,
                "articleSection": [lab],
                "inLanguage": "en-GB",
                "publisher": {"@id": "https://valleygazette.example/#organization"},
            },
            {
                "@type": "WebPage",
                "@id": a["url"],
                "url": a["url"],
                "name": rev["headline"] + " – Valley Gazette",
            },
            {
                "@type": "Person",
                "@id": "https://valleygazette.example/#/schema/person/" + slugify(a["author"]),
                "name": a["author"],
            },
        ],
    }
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{esc(rev["headline"])} – Valley Gazette</title>
<meta name="robots" content="index, follow, max-image-preview:large">
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta property="og:locale" content="en_GB">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(rev["headline"])}">
<meta property="og:description" content="{attr(a["standfirst"])}">
<meta property="og:url" content="{attr(a["url"])}">
<meta property="og:site_name" content="Valley Gazette">
<meta property="article:published_time" content="{a["published"]}">
<meta property="article:modified_time" content="{modified}">
<meta name="author" content="{attr(a["author"])}">
<script type="application/ld+json" class="yoast-schema-graph">{ld_json(graph)}</script>
<link rel="alternate" type="application/atom+xml" title="Valley Gazette &raquo; Feed" href="https://valleygazette.example/feed/atom/">
<link rel="shortlink" href="https://valleygazette.example/?p={pid}">
<link rel="stylesheet" id="twentytwentyone-style-css" href="https://valleygazette.example/wp-content/themes/valley/style.css?ver=1.4" media="all">
</head>
<body class="post-template-default single single-post postid-{pid} single-format-standard wp-embed-responsive is-light-theme singular has-main-navigation">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header has-title-and-tagline has-menu">
<div class="site-branding"><p class="site-title"><a href="https://valleygazette.example/" rel="home">Valley Gazette</a></p><p class="site-description">News for Estervale and the Lowen Valley</p></div>
<nav id="site-navigation" class="primary-navigation" aria-label="Primary menu"><div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper"><li class="menu-item"><a href="https://valleygazette.example/">Home</a></li><li class="menu-item"><a href="https://valleygazette.example/category/local/">Local</a></li><li class="menu-item"><a href="https://valleygazette.example/category/business/">Business</a></li><li class="menu-item"><a href="https://valleygazette.example/category/sport/">Sport</a></li><li class="menu-item"><a href="https://valleygazette.example/category/science/">Science</a></li><li class="menu-item"><a href="https://valleygazette.example/category/world/">World</a></li><li class="menu-item"><a href="https://valleygazette.example/notices/">Notices</a></li></ul></div></nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-{pid}" class="post-{pid} post type-post status-publish format-standard hentry category-{a["section"]} entry">
<header class="entry-header alignwide">
<span class="cat-links"><a href="https://valleygazette.example/category/{a["section"]}/" rel="category tag">{esc(lab)}</a></span>
<h1 class="entry-title">{esc(rev["headline"])}</h1>
<div class="entry-meta"><span class="posted-on">Published <time class="entry-date published" datetime="{a["published"]}">{long_date(a["published"])}</time><time class="updated" datetime="{modified}">{long_date(modified)}</time></span> <span class="byline">by <span class="author vcard"><a class="url fn n" href="https://valleygazette.example/author/{slugify(a["author"])}/">{esc(a["author"])}</a></span></span></div>
</header>
<div class="entry-content">
{chr(10).join(paras(rev["paragraphs"]))}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul><li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button share-icon" href="https://valleygazette.example/?p={pid}&amp;share=facebook" target="_blank"><span>Facebook</span></a></li><li class="share-x"><a rel="nofollow noopener noreferrer" class="share-x sd-button share-icon" href="https://valleygazette.example/?p={pid}&amp;share=x" target="_blank"><span>X</span></a></li><li class="share-email"><a rel="nofollow noopener noreferrer" class="share-email sd-button share-icon" href="mailto:?subject=%5BShared%20Post%5D&amp;body={attr(a["url"])}" target="_blank"><span>Email</span></a></li><li class="share-end"></li></ul></div></div></div>
<div class="sharedaddy sd-block sd-like jetpack-likes-widget-wrapper"><h3 class="sd-title">Like this:</h3><div class="likes-widget-placeholder post-likes-widget-placeholder"><span class="button"><span>Like</span></span> <span class="loading">Loading...</span></div></div>
</div>
<footer class="entry-footer default-max-width"><div class="posted-by"><span class="byline">By <a href="https://valleygazette.example/author/{slugify(a["author"])}/">{esc(a["author"])}</a></span></div><div class="post-taxonomies"><span class="tags-links">Tagged {", ".join(f'<a href="https://valleygazette.example/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in a["tags"])}</span></div></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links"><div class="nav-previous"><a href="https://valleygazette.example/?p={pid - 7}" rel="prev"><p class="meta-nav">Previous post</p><p class="post-title">Estervale market hall reopens after repairs</p></a></div><div class="nav-next"><a href="https://valleygazette.example/?p={pid + 5}" rel="next"><p class="meta-nav">Next post</p><p class="post-title">School bus timetable changes from Easter</p></a></div></div></nav>
<div id="comments" class="comments-area default-max-width show-avatars">
<div id="respond" class="comment-respond"><h2 id="reply-title" class="comment-reply-title">Leave a comment</h2><form action="https://valleygazette.example/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate><p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> Required fields are marked <span class="required">*</span></p><p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="5" required></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"> <input type="hidden" name="comment_post_ID" value="{pid}" id="comment_post_ID"></p></form></div>
</div>
</main>
</div>
<aside class="widget-area" role="complementary" aria-label="Sidebar">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="https://valleygazette.example/"><label for="search-form-1">Search…</label><input type="search" id="search-form-1" class="search-field" name="s"><input type="submit" class="search-submit" value="Search"></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Latest from the Gazette</h2><nav aria-label="Latest from the Gazette"><ul>{recent}</ul></nav></section>
<section id="text-3" class="widget widget_text"><h2 class="widget-title">Got a story?</h2><div class="textwidget"><p>Call the newsdesk on 01632 960 412 or email news@valleygazette.example.</p></div></section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info"><div class="site-name">Valley Gazette</div><div class="powered-by">Proudly powered by <a href="https://wordpress.org/">WordPress</a>.</div><p>© 2026 Valley Gazette, 3 Market Square, Estervale.</p></div></footer>
</div>
</body>
</html>
"""


def tpl_metroexpress(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    lab = label(a)
    pub = dt(a["published"])
    body = paras(rev["paragraphs"])
    more = site.most_read(a, 4)
    if len(more) >= 2:
        body.insert(
            min(3, len(body)),
            f'<aside class="read-more-inline"><strong>MORE:</strong> <a href="'
            f'{attr(more[0][1])}">{esc(more[0][0])}</a></aside>',
        )
        body.insert(
            min(7, len(body)),
            f'<aside class="read-more-inline"><strong>MORE:</strong> <a href="'
            f'{attr(more[1][1])}">{esc(more[1][0])}</a></aside>',
        )
    partner = ""
    if a.get("copy_kind") == "syndicated" and a.get("original_outlet"):
        orig = site.outlets[a["original_outlet"]]
        partner = (
            f'<p class="partner-credit">Partner content: this story first appeared in <a href="'
            f'{attr(a["canonical_url"])}" rel="nofollow">{esc(orig["name"])}</a></p>'
        )
    bullets = "".join(f"<li>{esc(s)}</li>" for s in [a["standfirst"]])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(rev["headline"])} | Metro Express</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta property="og:url" content="{attr(a["url"])}">
<meta property="og:title" content="{attr(rev["headline"])}">
<meta property="og:site_name" content="Metro Express">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{a["published"]}">
<meta property="article:section" content="{attr(lab)}">
<meta name="author" content="{attr(a["author"])}">
<meta name="news_keywords" content="{attr(", ".join(a["tags"]))}">
</head>
<body class="article metro-{a["section"]}">
{COOKIE["metroexpress"]}
<div class="breaking-bar"><span>TRENDING</span> <a href="/showbiz/">Showbiz</a> <a href="/tv/">Soaps</a> <a href="/lottery/">Lottery results</a> <a href="/weather/">Weather</a></div>
<header class="mx-header"><a href="/" class="mx-logo">METRO EXPRESS</a><nav><a href="/news/">News</a> <a href="/news/world/">World</a> <a href="/sport/">Sport</a> <a href="/money/">Money</a> <a href="/news/tech/">Tech</a> <a href="/showbiz/">Showbiz</a></nav></header>
<div class="mx-page">
<article class="mx-article">
<div class="mx-channel">{esc(lab)}</div>
<h1 class="mx-headline">{esc(rev["headline"])}</h1>
<ul class="story-bullets">{bullets}</ul>
<div class="mx-byline"><span class="author-name">{esc(a["author"])}</span> <span class="post-date">Published {pub:%H:%M}, {DAYS[pub.weekday()][:3]} {pub.day} {MONTHS[pub.month - 1][:3]} {pub.year}</span></div>
{partner}
<div class="mx-share"><a href="#">Share</a> <a href="#">Comment</a></div>
<div class="article-text">
{chr(10).join(body)}
</div>
<div class="got-a-story"><h3>Got a story for us?</h3><p>Get in touch by emailing tips@metroexpress.example or call the newsdesk.</p></div>
</article>
<aside class="mx-rail"><h3>Most read</h3><ol>{"".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in more)}</ol><div class="ad"><small>Advertisement</small></div><div class="ad"><small>Sponsored: You won’t believe these harbour homes</small></div></aside>
</div>
<footer class="mx-footer"><p>© Metro Express 2026. <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/syndication">Syndication</a></p></footer>
</body>
</html>
"""


def tpl_worldnewsnow(a: dict[str, Any], site: Site, rev: dict[str, Any]) -> str:
    """An auto-blog on a Jannah-like WordPress theme, the way such sites really look."""
    lab = label(a)
    pid = wp_post_id(a)
    cat_slug = slugify(lab)
    date = long_date(a["published"])
    home = "https://worldnewsnow24.example/"
    if a.get("seed"):
        related = [(t, u, d) for t, u, d in site.filler["seed_related"]]
        recent = [(t, u, d) for t, u, d in site.filler["seed_related"]] + [
            (t, home + slugify(t) + "/", "December 10, 2021")
            for t in site.filler["most_read"]["worldnewsnow"]
        ]
    else:
        own = [o for o in site.pages_of("worldnewsnow") if o["id"] != a["id"]]
        related = [(o["headline"], o["url"], long_date(o["published"])) for o in own][:3]
        for t in site.filler["most_read"]["worldnewsnow"]:
            if len(related) >= 3:
                break
            related.append((t, home + slugify(t) + "/", date))
        recent = related + [
            (t, home + slugify(t) + "/", date) for t in site.filler["most_read"]["worldnewsnow"]
        ]
    body_ps = rev["paragraphs"]
    article_body = "[ad_1] " + " ".join(body_ps) + " [ad_2] Source link"
    schema = {
        "@context": "http://schema.org",
        "@type": "Article",
        "dateCreated": a["published"],
        "datePublished": a["published"],
        "dateModified": rev["modified"] or a["published"],
        "headline": rev["headline"],
        "name": rev["headline"],
        "keywords": ",".join(a["tags"]),
        "url": a["url"],
        "description": (a["standfirst"] or body_ps[0])[:150] + " [&hellip;]",
        "copyrightYear": a["published"][:4],
        "articleSection": lab,
        "articleBody": article_body,
        "publisher": {"@id": "#Publisher", "@type": "Organization", "name": "World News Now 24"},
        "sourceOrganization": {"@id": "#Publisher"},
        "copyrightHolder": {"@id": "#Publisher"},
        "mainEntityOfPage": {"@type": "WebPage", "@id": a["url"]},
        "author": {"@type": "Person", "name": a["author"], "url": home + "author/admin/"},
    }
    share = (
        "".join(
            f'<a href="{u}" rel="external noopener nofollow" title="{n}" target="_blank" class="{c}-share-btn '
            f'large-share-button" data-raw="{u}"><span class="share-btn-icon tie-icon-{c}"></span> <span '
            f'class="social-text">{n}</span></a>'
            for n, c, u in [
                ("Facebook", "facebook", "https://www.facebook.com/sharer.php?u=" + a["url"]),
                ("X", "twitter", "https://x.com/intent/post?text=" + slugify(rev["headline"])),
                ("LinkedIn", "linkedin", "https://www.linkedin.com/shareArticle?url=" + a["url"]),
                ("Tumblr", "tumblr", "https://www.tumblr.com/share/link?url=" + a["url"]),
                ("Pinterest", "pinterest", "https://pinterest.com/pin/create/button/?url=" + a["url"]),
                ("Reddit", "reddit", "https://reddit.com/submit?url=" + a["url"]),
                ("Share via Email", "email", "mailto:?subject=" + slugify(rev["headline"])),
            ]
        )
        + '<a href="#" rel="external noopener nofollow" title="Print" target="_blank" class="print-share-btn '
        'large-share-button"><span class="share-btn-icon tie-icon-print"></span> <span class="social-text">'
        "Print</span></a>"
    )
    ps = "\n".join(f"<p>{esc(p)}</p>" for p in body_ps)
    related_html = "\n".join(
        f'<div class="related-item tie-standard"><a aria-label="{attr(t)}" href="{attr(u)}" class="post-thumb">'
        f'<img width="390" height="220" src="{home}wp-content/uploads/2021/12/{slugify(t)[:30]}-390x220.jpg" '
        f'class="attachment-jannah-image-large size-jannah-image-large wp-post-image" alt="" decoding="async"></a>'
        f'<h3 class="post-title"><a href="{attr(u)}">{esc(t)}</a></h3><div class="post-meta clearfix"><span '
        f'class="date meta-item tie-icon">{esc(d)}</span></div></div>'
        for t, u, d in related
    )
    recent_html = "".join(
        f'<li class="widget-single-post-item widget-post-list tie-standard"><div class="post-widget-thumbnail">'
        f'<a aria-label="{attr(t)}" href="{attr(u)}" class="post-thumb"><img width="220" height="150" src="'
        f'{home}wp-content/uploads/thumb-{i}.jpg" alt=""></a></div><div class="post-widget-body "><a class="'
        f'post-title the-subtitle" href="{attr(u)}">{esc(t)}</a><div class="post-meta"><span class="date '
        f'meta-item tie-icon">{esc(d)}</span></div></div></li>'
        for i, (t, u, d) in enumerate(recent[:5])
    )
    cats = "".join(
        f'<li class="cat-item cat-item-{i + 2}"><a href="{home}category/{slugify(n)}/">{esc(n)}</a> '
        f"<span>({c:,})</span></li>"
        for i, (n, c) in enumerate(site.filler["autoblog_categories"])
    )
    menu = "".join(
        f'<li id="menu-item-{10 + i}" class="menu-item menu-item-type-taxonomy menu-item-object-category'
        f' menu-item-{10 + i}"><a href="{home}category/{slugify(n)}/">{esc(n)}</a></li>'
        for i, (n, _) in enumerate(site.filler["autoblog_categories"])
    )
    year = a["published"][:4]
    tags = "".join(f'<a href="{home}tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="en-US" class="" data-skin="light">
<head>
<meta charset="UTF-8">
<link rel="profile" href="https://gmpg.org/xfn/11">
<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1'>
<title>{esc(rev["headline"])} - World News Now 24</title>
<link rel="canonical" href="{attr(a["canonical_url"])}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(rev["headline"])} - World News Now 24">
<meta property="og:description" content="[ad_1] {attr(body_ps[0][:140])}">
<meta property="og:url" content="{attr(a["url"])}">
<meta property="og:site_name" content="World News Now 24">
<meta property="article:published_time" content="{a["published"]}">
<meta property="article:modified_time" content="{rev["modified"] or a["published"]}">
<meta name="author" content="admin">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="admin">
<meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="{max(1, word_count(body_ps) // 200)} minutes">
<link rel="alternate" type="application/rss+xml" title="World News Now 24 &raquo; Feed" href="{home}feed/">
<link rel='stylesheet' id='tie-css-base-css' href='{home}wp-content/themes/jannah/assets/css/base.min.css?ver=5.4.10' type='text/css' media='all'>
<link rel='stylesheet' id='tie-css-single-css' href='{home}wp-content/themes/jannah/assets/css/single.min.css?ver=5.4.10' type='text/css' media='all'>
<script type='text/javascript' src='{home}wp-includes/js/jquery/jquery.min.js?ver=3.6.0' id='jquery-core-js'></script>
<link rel="shortlink" href="{home}?p={pid}">
<meta name="generator" content="Jannah 5.4.10">
</head>
<body id="tie-body" class="post-template-default single single-post postid-{pid} single-format-standard wrapper-has-shadow block-head-1 magazine1 is-thumb-overlay-disabled is-desktop is-header-layout-3 sidebar-right has-sidebar post-layout-1 narrow-title-narrow-media has-mobile-share hide_share_post_top hide_share_post_bottom">
<div class="background-overlay">
<div id="tie-container" class="site tie-container">
<div id="tie-wrapper">
<header id="theme-header" class="theme-header header-layout-3 main-nav-dark main-nav-default-dark main-nav-below no-stream-item top-nav-active top-nav-light top-nav-default-light top-nav-above has-shadow has-normal-width-logo mobile-header-default">
<nav id="top-nav" class="has-date-breaking-components top-nav header-nav has-breaking-news" aria-label="Secondary Navigation">
<div class="container"><div class="topbar-wrapper"><div class="topbar-today-date tie-icon">{DAYS[dt(a["published"]).weekday()]}, {date}</div>
<div class="tie-alignleft"><div class="breaking controls-is-active"><span class="breaking-title"><span class="tie-icon-bolt breaking-icon" aria-hidden="true"></span><span class="breaking-title-text">Breaking News</span></span><ul id="breaking-news-in-header" class="breaking-news" data-type="reveal" data-arrows="true">{"".join(f'<li class="news-item"><a href="{attr(u)}">{esc(t)}</a></li>' for t, u, _ in recent[:3])}</ul></div></div>
<div class="tie-alignright"><ul class="components"><li class="social-icons-item"><a class="social-link facebook-social-icon" rel="external noopener nofollow" target="_blank" href="#"><span class="tie-social-icon tie-icon-facebook"></span><span class="screen-reader-text">Facebook</span></a></li><li class="social-icons-item"><a class="social-link twitter-social-icon" rel="external noopener nofollow" target="_blank" href="#"><span class="tie-social-icon tie-icon-twitter"></span><span class="screen-reader-text">X</span></a></li></ul></div>
</div></div>
</nav>
<div class="container header-container"><div class="tie-row logo-row"><div class="logo-wrapper"><div class="tie-col-md-4 logo-container clearfix"><div id="logo" class="image-logo" style="margin-top: 20px; margin-bottom: 20px;"><a title="World News Now 24" href="{home}"><picture class="tie-logo-default tie-logo-picture"><source class="tie-logo-source-default tie-logo-source" srcset="{home}wp-content/uploads/2021/06/logo.png"><img class="tie-logo-img-default tie-logo-img" src="{home}wp-content/uploads/2021/06/logo.png" alt="World News Now 24" width="300" height="49" style="max-height:49px; width: auto;"></picture></a></div></div></div></div></div>
<div class="main-nav-wrapper"><nav id="main-nav" class="main-nav header-nav" style="line-height:60px" aria-label="Primary Navigation"><div class="container"><div class="main-menu-wrapper"><div id="menu-components-wrap"><div class="main-menu main-menu-wrap tie-alignleft"><div id="main-nav-menu" class="main-menu header-menu"><ul id="menu-main-menu" class="menu" role="menubar"><li id="menu-item-9" class="menu-item menu-item-type-custom menu-item-object-custom menu-item-home menu-item-9"><a href="{home}">Home</a></li>{menu}</ul></div></div><ul class="components"><li class="search-compact-icon menu-item custom-menu-link"><a href="#" class="tie-search-trigger"><span class="tie-icon-search tie-search-icon" aria-hidden="true"></span><span class="screen-reader-text">Search for</span></a></li></ul></div></div></div></nav></div>
</header>
<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<article id="the-post" class="container-wrapper post-content tie-standard">
<header class="entry-header-outer">
<nav id="breadcrumb"><a href="{home}"><span class="tie-icon-home" aria-hidden="true"></span> Home</a><em class="delimiter">/</em><a href="{home}category/{cat_slug}/">{esc(lab)}</a><em class="delimiter">/</em><span class="current">{esc(rev["headline"])}</span></nav>
<div class="entry-header">
<span class="post-cat-wrap"><a class="post-cat tie-cat-2" href="{home}category/{cat_slug}/">{esc(lab)}</a></span>
<h1 class="post-title entry-title">{esc(rev["headline"])}</h1>
<div id="single-post-meta" class="post-meta clearfix"><span class="author-meta single-author no-avatars"><span class="meta-item meta-author-wrapper meta-author-1"><span class="meta-author"><a href="{home}author/admin/" class="author-name tie-icon" title="admin">admin</a></span></span></span><span class="date meta-item tie-icon">{date}</span><div class="tie-alignright"><span class="meta-views meta-item "><span class="tie-icon-fire" aria-hidden="true"></span> {num(a["id"], 2, 90)} </span><span class="meta-reading-time meta-item"><span class="tie-icon-bookmark" aria-hidden="true"></span> {max(1, word_count(body_ps) // 200)} minutes read</span></div></div>
</div>
</header>
<div id="share-buttons-top" class="share-buttons share-buttons-top"><div class="share-links ">{share}</div></div>
<div class="entry-content entry clearfix">
<p>[ad_1]<br></p>
<div>
{ps}
</div>
<p>[ad_2]<br>
<br><a href="{attr(a["declared_source"] or home)}">Source link </a></p>
<div class="post-bottom-meta post-bottom-tags post-tags-modern"><div class="post-bottom-meta-title"><span class="tie-icon-tags" aria-hidden="true"></span> Tags</div><span class="tagcloud">{tags}</span></div>
</div>
<div id="post-extra-info"><div class="theiaStickySidebar"><div class="single-post-meta post-meta clearfix"><span class="author-meta single-author no-avatars"><span class="meta-author"><a href="{home}author/admin/" class="author-name tie-icon" title="admin">admin</a></span></span><span class="date meta-item tie-icon">{date}</span></div></div></div>
<div class="clearfix"></div>
<script id="tie-schema-json" type="application/ld+json">{ld_json(schema)}</script>
<div id="share-buttons-bottom" class="share-buttons share-buttons-bottom"><div class="share-links  icons-only"><div class="share-title"><span class="tie-icon-share" aria-hidden="true"></span><span> Share</span></div>{share}</div></div>
</article>
<div class="post-components">
<div id="related-posts" class="container-wrapper has-extra-post">
<div class="mag-box-title the-global-title"><h3>Related Articles</h3></div>
<div class="related-posts-list">
{related_html}
</div>
</div>
<div id="comments" class="comments-area">
<div id="add-comment-block" class="container-wrapper">
<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title the-global-title">Leave a Reply <small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" style="display:none;">Cancel reply</a></small></h3><form action="{home}wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate><p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p><p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p><p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required></p><p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" autocomplete="email" required></p><p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url"></p><p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes"> <label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"> <input type="hidden" name="comment_post_ID" value="{pid}" id="comment_post_ID"> <input type="hidden" name="comment_parent" id="comment_parent" value="0"></p></form>
</div>
</div>
</div>
</div>
</div>
<aside class="sidebar tie-col-md-4 tie-col-xs-12 normal-side is-sticky" aria-label="Primary Sidebar">
<div class="theiaStickySidebar">
<div id="posts-list-widget-2" class="container-wrapper widget posts-list"><div class="widget-title the-global-title"><div class="the-subtitle">Recent Posts</div></div><div class="widget-posts-list-wrapper"><div class="widget-posts-list-container"><ul class="posts-list-items widget-posts-wrapper">{recent_html}</ul></div></div><div class="clearfix"></div></div>
<div id="categories-2" class="container-wrapper widget widget_categories"><div class="widget-title the-global-title"><div class="the-subtitle">Categories</div></div><ul>{cats}</ul><div class="clearfix"></div></div>
</div>
</aside>
</div></div>
<footer id="footer" class="site-footer dark-skin dark-widgetized-area">
<div id="site-info" class="site-info site-info-layout-2"><div class="container"><div class="tie-row"><div class="tie-col-md-12"><div class="copyright-text copyright-text-first">&copy; Copyright {year}, All Rights Reserved &nbsp;|&nbsp; <span style="color:#ccc">World News Now 24</span></div><div class="footer-menu"><ul id="menu-footer" class="menu"><li class="menu-item"><a href="{home}about-us/">About Us</a></li><li class="menu-item"><a href="{home}contact-us/">Contact Us</a></li><li class="menu-item"><a href="{home}privacy-policy/">Privacy Policy</a></li><li class="menu-item"><a href="{home}dmca/">DMCA</a></li></ul></div></div></div></div></div>
</footer>
<a id="go-to-top" class="go-to-top-button" href="#go-to-tie-body"><span class="tie-icon-angle-up"></span><span class="screen-reader-text">Back to top button</span></a>
</div>
</div>
</div>
<script type='text/javascript' id='tie-scripts-js-extra'>var tie = {{"is_rtl":"","ajaxurl":"{home}wp-admin\\/admin-ajax.php","is_side_aside_light":"","is_taqyeem_active":"","is_sticky_video":"1","mobile_menu_top":"","mobile_menu_active":"area_1","mobile_menu_parent":"","lightbox_all":"true","lightbox_gallery":"true","lightbox_skin":"dark","lightbox_thumb":"horizontal","lightbox_arrows":"true","is_singular":"1","autoload_posts":"","reading_indicator":"true","lazyload":"","select_share":"true","select_share_twitter":"","select_share_facebook":"","select_share_linkedin":"","select_share_email":"","facebook_app_id":"5303202981","twitter_username":"","responsive_tables":"true","ad_blocker_detector":"","sticky_behavior":"default","sticky_desktop":"true","sticky_mobile":"true","sticky_mobile_behavior":"default","ajax_loader":"<div class=\\"loader-overlay\\"><div class=\\"spinner-circle\\"><\\/div><\\/div>","type_to_search":"","lang_no_results":"Nothing Found","sticky_share_mobile":"true","sticky_share_post":"","sticky_share_post_menu":""}};</script>
<script type='text/javascript' src='{home}wp-content/themes/jannah/assets/js/scripts.min.js?ver=5.4.10' id='tie-scripts-js'></script>
</body>
</html>
"""


TEMPLATES = {
    "harbourtimes": tpl_harbourtimes,
    "northwind": tpl_northwind,
    "civicledger": tpl_civicledger,
    "pressline": tpl_pressline,
    "dailyorbit": tpl_dailyorbit,
    "valleygazette": tpl_valleygazette,
    "worldnewsnow": tpl_worldnewsnow,
    "metroexpress": tpl_metroexpress,
}


# -- non-article pages ----------------------------------------------------------------------------


def index_items(site: Site, outlet: str, section: str) -> list[tuple[str, str, str, str]]:
    """(headline, url, teaser, iso date) for a section front: the outlet's articles, then its archive."""
    home = site.outlets[outlet]["home"]
    items = [
        (a["headline"], a["url"], a["standfirst"], a["published"])
        for a in site.pages_of(outlet)
        if a["section"] == section
    ]
    for head, teaser, day in site.filler["archive"].get(f"{outlet}/{section}", []):
        url = f"{home}{section}/{day.replace('-', '/')}/{slugify(head)}"
        items.append((head, url, teaser, day + "T08:00:00+00:00"))
    return sorted(items, key=lambda x: (x[3], x[1]), reverse=True)


def harbourtimes_section(site: Site, section: str) -> str:
    lab = LABELS["harbourtimes"][section]
    items = index_items(site, "harbourtimes", section)
    lead, rest = items[0], items[1:]
    cards = "\n".join(
        f'<li class="card"><a class="card-link" href="{attr(u)}"><h3 class="card-headline">{esc(h)}</h3></a>'
        f'<p class="card-teaser">{esc(t)}</p><span class="card-date">{long_date(d)}</span></li>'
        for h, u, t, d in rest
    )
    url = f"https://harbourtimes.example/{section}/"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(lab)} news | The Harbour Times</title>
<meta name="description" content="The latest {esc(lab.lower())} news from Kestrel Bay and beyond.">
<link rel="canonical" href="{url}">
<meta property="og:type" content="website">
<meta property="og:title" content="{esc(lab)} | The Harbour Times">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="The Harbour Times">
<script type="application/ld+json">
{ld_json({"@context": "https://schema.org", "@type": "CollectionPage", "name": lab, "url": url})}
</script>
</head>
<body class="section-front section-{section}">
{COOKIE["harbourtimes"]}
<header class="masthead"><a class="logo" href="/"><img src="/static/logo.svg" alt="The Harbour Times"></a>
<nav class="main-nav"><ul><li><a href="/">Home</a></li>{nav_links("harbourtimes")}</ul></nav></header>
<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; <span>{esc(lab)}</span></nav>
<main id="content">
<h1 class="section-title">{esc(lab)}</h1>
<section class="lead-story"><a href="{attr(lead[1])}"><h2>{esc(lead[0])}</h2></a><p>{esc(lead[2])}</p><span class="card-date">{long_date(lead[3])}</span></section>
<ul class="story-list">
{cards}
</ul>
<nav class="pagination"><a href="/{section}/?page=2">Older stories</a></nav>
</main>
<footer class="site-footer"><p>&copy; 2026 The Harbour Times, 14 Chandler Street, Kestrel Bay. All rights reserved.</p></footer>
</body>
</html>
"""


def dailyorbit_chrome(title: str, url: str, main: str, og_type: str = "website") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)} – Daily Orbit</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="{og_type}">
<meta property="og:title" content="{esc(title)}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="Daily Orbit">
</head>
<body class="archive">
{COOKIE["dailyorbit"]}
<div class="leaderboard ad"><small>Advertisement</small></div>
<header id="orbit-header">
<div class="brand"><a href="/"><img src="/logo.png" alt="Daily Orbit"></a><span class="tagline">Tech. Sport. Everything in between.</span></div>
<nav id="orbit-nav"><ul><li><a href="/tech/">Tech</a></li><li><a href="/reviews/">Reviews</a></li><li><a href="/science/">Science</a></li><li><a href="/sport/">Sports</a></li><li><a href="/sport/football/">Football</a></li><li><a href="/business/">Business</a></li><li><a href="/deals/">Deals</a></li></ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search Daily Orbit"></form>
</header>
<div id="orbit-main" class="container">
{main}
</div>
<footer id="orbit-footer"><p>Daily Orbit is part of Orbit Media Group. <a href="/about">About</a> · <a href="/advertise">Advertise</a> · <a href="/privacy">Privacy</a></p><p>© 2026 Orbit Media Group</p></footer>
</body>
</html>
"""


def dailyorbit_section(site: Site, section: str) -> str:
    lab = LABELS["dailyorbit"][section]
    items = index_items(site, "dailyorbit", section)
    cards = "\n".join(
        f'<article class="archive-card"><a href="{attr(u)}"><img src="https://img.dailyorbit.example/thumb/'
        f'{slugify(h)[:24]}.jpg" alt=""></a><div class="card-body"><span class="cat">{esc(lab)}</span><h2 '
        f'class="card-title"><a href="{attr(u)}">{esc(h)}</a></h2><p class="card-excerpt">{esc(t)}</p><span '
        f'class="card-date">{long_date(d)}</span></div></article>'
        for h, u, t, d in items
    )
    main = (
        f'<main class="archive-list"><h1 class="archive-title">{esc(lab)}</h1><p class="archive-desc">Results, '
        f'reports and transfer news from every ground.</p>\n{cards}\n<nav class="pager"><a href="/sport/page/2/">'
        f'Load more</a></nav></main>\n<aside class="orbit-sidebar"><div class="widget ad"><small>Advertisement'
        f"</small></div></aside>"
    )
    return dailyorbit_chrome(f"{lab} news, results and analysis", "https://dailyorbit.example/sport/", main)


def dailyorbit_404(site: Site) -> str:
    popular = "".join(
        f'<li><a href="{attr(a["url"])}">{esc(a["headline"])}</a></li>'
        for a in site.pages_of("dailyorbit")[:5]
    )
    main = (
        '<main class="error-404 not-found"><h1 class="page-title">Page not found</h1><p class="err-code">'
        "Error 404</p><p>Sorry, we couldn’t find the page you were looking for. It may have been moved, or "
        'the link you followed may be broken.</p><form class="search" action="/search"><input name="q" '
        'placeholder="Try searching Daily Orbit"><button>Search</button></form><h2>Popular right now</h2>'
        f'<ul class="popular">{popular}</ul><p><a href="/">Back to the Daily Orbit homepage</a></p></main>'
    )
    page = dailyorbit_chrome("Page not found", "https://dailyorbit.example/404", main)
    return page.replace('<body class="archive">', '<body class="error404">')


# -- feeds ---------------------------------------------------------------------------------------------


def x(text: str) -> str:
    return html.escape(text, quote=True)


def html_body(a: dict[str, Any]) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"])


def feed_rss2_summary(o: dict[str, Any], arts: list[dict[str, Any]]) -> str:
    items = "\n".join(
        f"""<item>
<title>{x(a["headline"])}</title>
<link>{x(a["url"])}</link>
<guid isPermaLink="true">{x(a["url"])}</guid>
<pubDate>{rfc822(a["published"])}</pubDate>
<dc:creator>{x(a["author"])}</dc:creator>
<category>{x(label(a))}</category>
<description>{x(a["standfirst"])}</description>
</item>"""
        for a in arts
    )
    newest = max((a["modified"] or a["published"]) for a in arts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{x(o["name"])}</title>
<link>{x(o["home"])}</link>
<description>News from Kestrel Bay and beyond</description>
<language>en</language>
<atom:link href="{x(o["feed"]["url"])}" rel="self" type="application/rss+xml"/>
<lastBuildDate>{rfc822(newest)}</lastBuildDate>
<ttl>15</ttl>
{items}
</channel>
</rss>
"""


def feed_rss2_full(o: dict[str, Any], arts: list[dict[str, Any]]) -> str:
    items = "\n".join(
        f"""<item>
<title>{x(a["headline"])}</title>
<link>{x(a["url"])}</link>
<guid isPermaLink="false">pressline:{x(a["id"])}</guid>
<pubDate>{rfc822(a["published"])}</pubDate>
<dc:creator>{x(a["author"])}</dc:creator>
<category>{x(label(a))}</category>
{"".join(f"<category>{x(t)}</category>" for t in a["tags"])}
<description>{x(a["standfirst"])}</description>
<content:encoded><![CDATA[{html_body(a)}]]></content:encoded>
</item>"""
        for a in arts
    )
    newest = max((a["modified"] or a["published"]) for a in arts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Pressline – Top News</title>
<link>{x(o["home"])}</link>
<description>Pressline wire: full-text service for media clients</description>
<language>en</language>
<copyright>© 2026 Pressline. Redistribution only under licence.</copyright>
<atom:link href="{x(o["feed"]["url"])}" rel="self" type="application/rss+xml"/>
<lastBuildDate>{rfc822(newest)}</lastBuildDate>
{items}
</channel>
</rss>
"""


def atom_id(a: dict[str, Any], domain: str) -> str:
    return f"tag:{domain},{a['published'][:10]}:{a['url'].split(domain, 1)[1]}"


def feed_atom(o: dict[str, Any], arts: list[dict[str, Any]], full: bool) -> str:
    entries = []
    for a in arts:
        content = (
            f'\n<content type="html" xml:base="{x(a["url"])}">{x(html_body(a))}</content>' if full else ""
        )
        entries.append(f"""<entry>
<title type="text">{x(a["headline"])}</title>
<link rel="alternate" type="text/html" href="{x(a["url"])}"/>
<id>{x(atom_id(a, o["domain"]))}</id>
<published>{a["published"]}</published>
<updated>{a["modified"] or a["published"]}</updated>
<author><name>{x(a["author"])}</name></author>
<category term="{x(label(a))}"/>
<summary type="text">{x(a["standfirst"])}</summary>{content}
</entry>""")
    newest = max((a["modified"] or a["published"]) for a in arts)
    subtitle = (
        "News for Estervale and the Lowen Valley"
        if o["slug"] == "valleygazette"
        else "Independent journalism"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title type="text">{x(o["name"])}</title>
<subtitle type="text">{subtitle}</subtitle>
<link rel="alternate" type="text/html" href="{x(o["home"])}"/>
<link rel="self" type="application/atom+xml" href="{x(o["feed"]["url"])}"/>
<id>{x(o["home"])}</id>
<updated>{newest}</updated>
<generator>{"WordPress" if o["slug"] == "valleygazette" else "Herald CMS"}</generator>
{chr(10).join(entries)}
</feed>
"""


def feed_rss1(o: dict[str, Any], arts: list[dict[str, Any]]) -> str:
    seq = "\n".join(f'<rdf:li rdf:resource="{x(a["url"])}"/>' for a in arts)
    items = "\n".join(
        f"""<item rdf:about="{x(a["url"])}">
<title>{x(a["headline"])}</title>
<link>{x(a["url"])}</link>
<description>{x(a["standfirst"])}</description>
<dc:date>{a["published"]}</dc:date>
<dc:subject>{x(label(a))}</dc:subject>
<dc:creator>{x(a["author"])}</dc:creator>
</item>"""
        for a in arts
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{x(o["feed"]["url"])}">
<title>{x(o["name"])}</title>
<link>{x(o["home"])}</link>
<description>Business, markets and the economy</description>
<dc:language>en</dc:language>
<dc:publisher>Civic Ledger Publishing</dc:publisher>
<items>
<rdf:Seq>
{seq}
</rdf:Seq>
</items>
</channel>
{items}
</rdf:RDF>
"""


def feed_rss091(o: dict[str, Any], arts: list[dict[str, Any]]) -> str:
    items = "\n".join(
        f"""<item>
<title>{x(a["headline"])}</title>
<link>{x(a["url"])}</link>
<description>{x(a["standfirst"])}</description>
</item>"""
        for a in arts
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="0.91">
<channel>
<title>{x(o["name"])}</title>
<link>{x(o["home"])}</link>
<description>Tech. Sport. Everything in between.</description>
<language>en-us</language>
<copyright>Copyright 2026 Orbit Media Group</copyright>
<image>
<title>{x(o["name"])}</title>
<url>https://dailyorbit.example/logo-88.png</url>
<link>{x(o["home"])}</link>
</image>
{items}
</channel>
</rss>
"""


BROKEN_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>Metro Express - Latest & Greatest</title>
<link>https://metroexpress.example/</link>
<description>All the latest news, showbiz & sport
<item>
<title>EXCLUSIVE: Soap star's <b>secret wedding on the islands
<description><p>Fans were left stunned when the actress, 34, was spotted
<pubDate>Mon, 09 Mar 2026 25:61:00 +0000
<item>
<title>Lottery results: is it you?</title>
<description>Check your numbers for Saturday's
"""


# -- other outputs ------------------------------------------------------------------------------------


def opml(outlets: dict[str, Any]) -> str:
    groups = [
        ("Newspapers", ["harbourtimes", "northwind", "civicledger", "valleygazette"]),
        ("Wire services", ["pressline"]),
        ("Tech and sport", ["dailyorbit"]),
    ]
    body = []
    for name, slugs in groups:
        rows = []
        for s in slugs:
            o = outlets[s]
            if not o.get("feed"):
                continue
            kind = "rss"
            rows.append(
                f'      <outline type="{kind}" text="{x(o["name"])}" title="{x(o["name"])}" '
                f'xmlUrl="{x(o["feed"]["url"])}" htmlUrl="{x(o["home"])}" category="{x(o["template"])}"/>'
            )
        if rows:
            body.append(
                f'    <outline text="{x(name)}" title="{x(name)}">\n' + "\n".join(rows) + "\n    </outline>"
            )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>newsdesk sample sources</title>
    <dateCreated>Thu, 12 Mar 2026 18:00:00 +0000</dateCreated>
    <ownerName>newsdesk</ownerName>
    <docs>http://opml.org/spec2.opml</docs>
  </head>
  <body>
{chr(10).join(body)}
  </body>
</opml>
"""


def jsonl_records(arts: list[dict[str, Any]]) -> str:
    lines = []
    for i, a in enumerate(arts):
        fmt = a.get("jsonl_format") or ("html" if i % 2 == 0 else "text")
        rec: dict[str, Any] = {"url": a["url"], "title": a["headline"]}
        if fmt == "html":
            rec["html"] = html_body(a)
        else:
            rec["text"] = "\n\n".join(a["paragraphs"])
        rec["published"] = a["published"]
        rec["source"] = "Pressline"
        rec["section"] = label(a)
        rec["author"] = a["author"]
        lines.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(lines) + "\n"


README = """# newsdesk sample corpus

Everything in this folder is **fictional**, written for newsdesk: the outlets, people, places,
companies, teams and events are invented, and every domain uses the reserved `.example` TLD.
The single exception is `pages/worldnewsnow/seed-biden-zelenskyy.html`, an auto-blog page built
around the visible text of a real page of that kind (spun text, `[ad_1]`/`[ad_2]` placeholders,
"Source link"), kept as given because it shows what such pages really look like.

The corpus is generated by `scripts/sample/build.py` from the sources in `scripts/sample/`
(do not edit these files by hand; edit the sources and rebuild). `scripts/sample/check.py`
validates it.

What is inside:

- `pages/<outlet>/*.html` — article pages in eight different site templates (a classic newspaper
  CMS, an HTML5 news site, a business paper, a wire agency, a widget-heavy tech/sport site, a
  WordPress regional paper, a WordPress auto-blog, a tabloid); `*-r1.html`/`*-r2.html` are two
  revisions of one article at the same URL; `section-*.html` are section index pages and
  `dailyorbit/404.html` an error page (neither is an article).
- `feeds/*.xml` — RSS 2.0, RSS 1.0 (RDF), RSS 0.91 and Atom feeds; the Pressline and Valley
  Gazette feeds carry full text for articles that exist only in the feed; `broken.xml` is a
  deliberately malformed feed.
- `pressline.jsonl` — a wire delivery file, one article per line (`html` or `text`).
- `sources.opml` — the outlets' feeds as an OPML 2.0 subscription list.
- `truth.json` — the ground truth: for every article its outlet, URL, canonical URL, file,
  section, event, title, author, dates, body paragraphs, and which article it copies and how
  (`identical`, `near`, `syndicated`, `rewritten`); the events and the articles reporting each;
  which files are not articles; which files are malformed.

Counts: {counts}.
"""


# -- main ------------------------------------------------------------------------------------------


def build(out: Path) -> dict[str, Any]:
    outlets, events, articles, filler = load_sources()
    site = Site(outlets, articles, filler)
    written: dict[str, str] = {}

    for a in articles:
        if a["delivery"] != "page":
            continue
        render = TEMPLATES[a["outlet"]]
        if a["revisions"]:
            revs = [
                {
                    "headline": r.get("headline") or a["headline"],
                    "paragraphs": r["paragraphs"],
                    "modified": r.get("modified"),
                }
                for r in a["revisions"]
            ]
            revs.append({"headline": a["headline"], "paragraphs": a["paragraphs"], "modified": a["modified"]})
            for rel, rev in zip(a["revision_files"], revs, strict=True):
                written[rel] = render(a, site, rev)
        else:
            rev = {"headline": a["headline"], "paragraphs": a["paragraphs"], "modified": a["modified"]}
            written[a["file"]] = render(a, site, rev)

    non_articles = {
        "pages/harbourtimes/section-business.html": "index-page",
        "pages/dailyorbit/section-sport.html": "index-page",
        "pages/dailyorbit/404.html": "error-page",
    }
    written["pages/harbourtimes/section-business.html"] = harbourtimes_section(site, "business")
    written["pages/dailyorbit/section-sport.html"] = dailyorbit_section(site, "sport")
    written["pages/dailyorbit/404.html"] = dailyorbit_404(site)

    def newest_first(arts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(arts, key=lambda a: (a["modified"] or a["published"], a["id"]), reverse=True)

    for slug, o in sorted(outlets.items()):
        feed = o.get("feed")
        if not feed:
            continue
        if feed.get("full_text"):
            arts = newest_first([a for a in articles if a["outlet"] == slug and a["delivery"] == "feed"])
        else:
            arts = newest_first([a for a in site.pages_of(slug)])
        if not arts:
            continue
        fmt = feed["format"]
        if fmt == "rss2":
            text = feed_rss2_full(o, arts) if feed.get("full_text") else feed_rss2_summary(o, arts)
        elif fmt == "atom":
            text = feed_atom(o, arts, bool(feed.get("full_text")))
        elif fmt == "rss1":
            text = feed_rss1(o, arts)
        elif fmt == "rss091":
            text = feed_rss091(o, arts)
        else:
            raise SystemExit(f"{slug}: unknown feed format {fmt}")
        written[f"feeds/{slug}.xml"] = text
    written["feeds/broken.xml"] = BROKEN_FEED

    jsonl = sorted((a for a in articles if a["delivery"] == "jsonl"), key=lambda a: (a["published"], a["id"]))
    if jsonl:
        written["pressline.jsonl"] = jsonl_records(jsonl)
    written["sources.opml"] = opml(outlets)

    truth_articles = {}
    for a in sorted(articles, key=lambda a: a["id"]):
        t = {
            "outlet": a["outlet"],
            "url": a["url"],
            "canonical_url": a["canonical_url"],
            "file": a["file"],
            "delivery": a["delivery"],
            "section": a["section"],
            "event": a["event"],
            "title": a["headline"],
            "author": a["author"],
            "published": a["published"],
            "modified": a["modified"],
            "paragraphs": a["paragraphs"],
            "copy_of": a["copy_of"],
            "copy_kind": a["copy_kind"],
            "declared_source": a["declared_source"],
        }
        if a.get("revision_files"):
            t["revision_files"] = a["revision_files"]
        truth_articles[a["id"]] = t
    truth_events = {
        ev["event"]: {"title": ev["title"], "articles": [x["id"] for x in ev["articles"]]} for ev in events
    }
    truth_events["seed"] = {
        "title": "A spun auto-blog copy of a news report (the ../shared/seed page)",
        "articles": [SEED_ID],
    }
    truth = {
        "version": 1,
        "note": "Ground truth for the newsdesk sample corpus; generated by scripts/sample/build.py.",
        "articles": truth_articles,
        "events": truth_events,
        "non_articles": non_articles,
        "malformed": ["feeds/broken.xml"],
    }
    written["truth.json"] = json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=False) + "\n"

    n_pages = sum(1 for a in articles if a["delivery"] == "page")
    counts = (
        f"{len(articles)} articles ({n_pages} as pages, "
        f"{sum(1 for a in articles if a['delivery'] == 'feed')} only in feeds, "
        f"{len(jsonl)} only in the JSONL file) from {len({a['outlet'] for a in articles})} outlets, "
        f"{len(truth_events)} events"
    )
    written["README.md"] = README.format(counts=counts)

    # Replace what an earlier build wrote, and nothing else.
    for sub in ("pages", "feeds"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    for name in ("truth.json", "sources.opml", "pressline.jsonl", "README.md"):
        (out / name).unlink(missing_ok=True)
    for rel, text in sorted(written.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return {"files": len(written), "counts": counts}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    result = build(args.out)
    print(f"wrote {result['files']} files to {args.out}: {result['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
