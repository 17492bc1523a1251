"""Pages that are not articles: section fronts and an error page."""

from __future__ import annotations

from _common import (
    COOKIE,
    LABELS,
    Site,
    attr,
    esc,
    ld_json,
    long_date,
    nav_links,
    slugify,
)


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
