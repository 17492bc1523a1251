"""Article templates, one per outlet: each renders an article as that outlet's site would.

This module holds the newspaper, business, wire, tech/sport and tabloid templates and the TEMPLATES
registry; the two WordPress-built outlets are in templates_wp.py."""

from __future__ import annotations

from typing import Any

from templates_wp import tpl_valleygazette, tpl_worldnewsnow

from _common import (
    COOKIE,
    DAYS,
    MONTHS,
    Site,
    attr,
    dt,
    esc,
    label,
    ld_json,
    long_date,
    nav_links,
    num,
    paras,
    slugify,
    word_count,
)


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
