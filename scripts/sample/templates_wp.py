"""Article templates of the two WordPress-built outlets: a regional paper and an auto-blog."""

from __future__ import annotations

from typing import Any

from _common import (
    DAYS,
    Site,
    attr,
    dt,
    esc,
    label,
    ld_json,
    long_date,
    num,
    paras,
    slugify,
    word_count,
)


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
