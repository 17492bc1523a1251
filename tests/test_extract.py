"""Extraction: metadata, the news clean-up, declared sources, and what is not an article."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Article, EntryHints, Fetched, Rejected, RejectReason, extract, extract_html, open_desk
from newsdesk.extract import category_for, clean_text

BODY = [
    "The Kestrel Bay bridge was closed on Monday after engineers found a crack in a main girder, "
    "diverting about 40,000 vehicles a day onto the ring roads.",
    '"We will not take any risks with public safety," said council leader Anna Verhoeven, adding '
    "that the inspection would take at least three weeks.",
    "Local businesses warned the closure could cost them up to 2 million crowns in lost trade, "
    "and ferry operators added extra crossings from Tuesday morning.",
    "The bridge, opened in 1974, carries the main road between the harbour district and the "
    "eastern suburbs and was last renovated twelve years ago.",
    "A source close to the council said a replacement span had been discussed as early as 2019, "
    "but the plan was shelved because of its cost.",
]


def page(body_html: str, head: str = "", title: str = "Bridge closed after crack found") -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} – World News Now</title>
{head}</head><body>
<header class="site-header"><nav class="main-menu"><a href="/">Home</a> <a href="/category/world/">World</a>
<a href="/category/business/">Business</a> <a href="https://pressline.example/">Read more</a></nav></header>
<div class="td-main-content"><article class="post type-post">
<h1 class="entry-title">{title}</h1>
<div class="td-post-content entry-content">{body_html}</div></article>
<aside class="sidebar"><h3>Recent Posts</h3><ul><li><a href="/a">Markets slide as oil prices climb again</a></li>
<li><a href="/b">Storm warning issued for the northern coast tonight</a></li></ul></aside></div>
<footer><p>© 2026 World News Now. All rights reserved.</p></footer></body></html>"""


AUTOBLOG = page(
    "<p>World News</p><p>Bridge closed after crack found</p><p>[ad_1]</p>"
    + "".join(f"<p>{p}</p>" for p in BODY)
    + '<p>[ad_2]</p><p><a href="https://pressline.example/news/2026/03/02/bridge-crack" target="_blank" '
    'rel="noopener">Source link</a></p>'
    '<div class="td-post-sharing"><span>Share this:</span> <a href="#">Facebook</a> <a href="#">Twitter</a></div>'
    "<h4>Related Articles</h4><ul><li><a href='/x'>Ferry fares frozen for spring season</a></li>"
    "<li><a href='/y'>Council approves new harbour budget plan</a></li></ul>"
    '<p><a href="#top">Back to top button</a></p>',
    head='<link rel="canonical" href="https://worldnewsnow24.example/world/bridge-closed-after-crack-found/">'
    '<meta property="og:type" content="article"><meta property="article:section" content="World News">'
    '<meta property="article:published_time" content="2026-03-02T10:40:00+00:00">',
)


def ok(result: Article | Rejected) -> Article:
    assert isinstance(result, Article), result
    return result


def test_autoblog_clutter_goes_and_every_paragraph_stays() -> None:
    a = ok(extract_html(AUTOBLOG))
    lines = a.text.split("\n")
    assert lines == BODY
    for clutter in ("[ad_", "Source link", "Related Articles", "Back to top", "Share this", "World News"):
        assert clutter not in a.text
    assert [s.url for s in a.source_links] == ["https://pressline.example/news/2026/03/02/bridge-crack"]
    assert a.source_links[0].label == "Source link"
    assert a.title == "Bridge closed after crack found"
    assert a.canonical_url == "https://worldnewsnow24.example/world/bridge-closed-after-crack-found/"
    assert a.published == datetime(2026, 3, 2, 10, 40, tzinfo=UTC)
    assert (a.section, a.category, a.language) == ("World News", "world", "en")
    assert any("removed clutter" in n for n in a.notes)


@pytest.mark.parametrize(
    ("snippet", "label"),
    [
        ('<p>Originally published at <a href="https://orig.example/s/1">The Original</a>.</p>', "Originally"),
        (
            '<p>This article was originally published on <a href="https://orig.example/s/1">orig.example</a></p>',
            "This",
        ),
        ('<p>via <a href="https://orig.example/s/1">Orig Daily</a></p>', "via"),
        ('<p>Read more at <a href="https://orig.example/s/1">Orig Daily</a></p>', "Read more at"),
        ('<p><a href="https://orig.example/s/1">Read the full story</a></p>', "Read the full story"),
        ('<p>Source: <a href="https://orig.example/s/1">Orig Daily</a></p>', "Source"),
    ],
)
def test_declared_source_phrasings(snippet: str, label: str) -> None:
    html = page(
        "".join(f"<p>{p}</p>" for p in BODY) + snippet,
        head='<link rel="canonical" href="https://copy.example/world/2026/bridge">',
    )
    a = ok(extract_html(html))
    assert [s.url for s in a.source_links] == ["https://orig.example/s/1"]
    assert a.source_links[0].label.startswith(label)
    assert "orig.example" not in a.text and "Orig Daily" not in a.text
    assert a.text.split("\n") == BODY


def test_links_inside_prose_and_site_navigation_are_not_sources() -> None:
    body = [
        *BODY[:3],
        'Officials said the figures came via <a href="https://stats.example/r">the statistics office</a>, '
        "which publishes a traffic survey every quarter of the year.",
    ]
    html = page(
        "".join(f"<p>{p}</p>" for p in body) + '<p><a href="/world/more-news">Read more</a></p>',
        head='<link rel="canonical" href="https://copy.example/world/2026/bridge">',
    )
    a = ok(extract_html(html))
    assert a.source_links == ()


def test_cross_site_canonical_is_a_declared_source_not_our_identity() -> None:
    html = page(
        "".join(f"<p>{p}</p>" for p in BODY),
        head='<link rel="canonical" href="https://harbourtimes.example/world/2026/03/02/bridge">',
    )
    a = ok(extract(Fetched(url="https://metroexpress.example/news/bridge", body=html.encode(), origin="t")))
    assert a.canonical_url == "https://metroexpress.example/news/bridge"
    assert a.source_links[0].url == "https://harbourtimes.example/world/2026/03/02/bridge"
    assert a.source_links[0].label == "canonical link"


def test_same_site_canonical_is_the_identity() -> None:
    html = page(
        "".join(f"<p>{p}</p>" for p in BODY),
        head='<link rel="canonical" href="https://ht.example/world/bridge?utm_source=rss">',
    )
    a = ok(
        extract(
            Fetched(url="https://ht.example/world/bridge?ref=home&page=1", body=html.encode(), origin="t")
        )
    )
    assert a.canonical_url == "https://ht.example/world/bridge"
    assert a.url == "https://ht.example/world/bridge?page=1&ref=home"
    assert a.source_links == ()


def test_error_page_is_rejected() -> None:
    html = page(
        "<p>Sorry, the page you are looking for does not exist. Try the search box.</p>",
        title="Page not found",
    )
    r = extract_html(html)
    assert isinstance(r, Rejected) and r.reason is RejectReason.ERROR_PAGE


def test_section_index_is_rejected() -> None:
    heads = [f"Headline number {i} about the harbour and the council budget" for i in range(20)]
    items = "".join(
        f'<li><h2><a href="/world/2026/03/{i}">{h}</a></h2><p>Teaser {i}.</p></li>'
        for i, h in enumerate(heads)
    )
    html = f"""<!doctype html><html lang="en"><head><title>World | Harbour Times</title>
    <meta property="og:type" content="website"></head><body><main><h1>World</h1><ul>{items}</ul></main></body></html>"""
    r = extract_html(html)
    assert isinstance(r, Rejected) and r.reason is RejectReason.INDEX_PAGE, r


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", RejectReason.EMPTY),
        (
            b"<html><body><article><h1>Hi</h1><p>Just a few words here.</p></article></body></html>",
            RejectReason.TOO_SHORT,
        ),
    ],
)
def test_empty_and_short(body: bytes, reason: RejectReason) -> None:
    r = extract(Fetched(url="https://a.example/x", body=body, origin="t"))
    assert isinstance(r, Rejected) and r.reason is reason


def test_summary_only_feed_entry() -> None:
    r = extract(
        Fetched(
            url="https://a.example/x",
            body=b"",
            origin="feed#1",
            hints=EntryHints(title="T", summary="A teaser."),
        )
    )
    assert isinstance(r, Rejected) and r.reason is RejectReason.SUMMARY_ONLY


def test_feed_fragment_uses_entry_metadata() -> None:
    frag = "".join(f"<p>{p}</p>" for p in BODY) + "<p>[ad_1]</p>"
    hints = EntryHints(
        title="Bridge shut",
        published=datetime(2026, 3, 2, 8, tzinfo=UTC),
        author="Wire Staff",
        categories=("Business",),
        entry_id="urn:x",
        source_name="Pressline",
    )
    a = ok(
        extract(
            Fetched(
                url="https://pressline.example/news/1",
                body=frag.encode(),
                origin="f#1",
                hints=hints,
                source="Pressline",
            )
        )
    )
    assert a.text.split("\n") == BODY
    assert (a.title, a.byline, a.category, a.entry_id, a.source) == (
        "Bridge shut",
        "Wire Staff",
        "business",
        "urn:x",
        "Pressline",
    )


def test_plain_text_record() -> None:
    text = "\n\n".join(BODY) + "\n\nSource link\n"
    a = ok(
        extract(
            Fetched(
                url="https://pressline.example/news/2",
                body=b"",
                origin="w.jsonl:1",
                hints=EntryHints(title="Bridge shut", text=text),
            )
        )
    )
    assert a.text.split("\n") == BODY


def test_language_is_detected_when_not_declared() -> None:
    fr = (
        "Le pont de la baie a été fermé lundi après la découverte d'une fissure dans une poutre principale. "
        "Les commerçants du quartier craignent des pertes importantes pendant les travaux, qui dureront "
        "au moins trois semaines selon la mairie. "
    ) * 4
    html = f"<html><head><title>Le pont fermé</title></head><body><article><h1>Le pont fermé</h1><p>{fr}</p></article></body></html>"
    a = ok(extract(Fetched(url="https://fr.example/a", body=html.encode(), origin="t")))
    assert a.language == "fr"
    assert any("detected" in n for n in a.notes)


def test_page_without_any_url_is_identified_by_its_file_else_by_its_content(tmp_path: Path) -> None:
    html = (
        "<html><body><article><h1>Bridge closed after crack found</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</article></body></html>"
    )
    page = tmp_path / "page.html"
    page.write_text(html)
    a = ok(extract(Fetched(url=None, body=html.encode(), origin=str(page))))
    assert a.canonical_url == page.resolve().as_uri()
    # Not a file of its own (a record inside a larger input): known by what it says.
    b = ok(extract(Fetched(url=None, body=html.encode(), origin="/nonexistent/page.html")))
    assert b.canonical_url.startswith("urn:newsdesk:content:")
    other = html.replace("crack", "fracture")
    c = ok(extract(Fetched(url=None, body=other.encode(), origin="/nonexistent/page.html")))
    assert c.canonical_url.startswith("urn:newsdesk:content:") and c.canonical_url != b.canonical_url


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("World News", "world"),
        ("Sports", "sport"),
        ("tech", "technology"),
        ("/business/", "business"),
        ("Markets", "business"),
        ("Science", "science"),
        ("Kestrel Bay", None),
        (None, None),
    ],
)
def test_category_mapping(label: str | None, category: str | None) -> None:
    assert category_for(label) == category


def test_clean_text_cuts_the_related_tail_and_repeated_heading() -> None:
    text = "\n".join(["Bridge closed", *BODY, "Related Posts", "Ferry fares frozen", "Council budget"])
    cleaned, removed = clean_text(text, "Bridge closed")
    assert cleaned.split("\n") == BODY
    assert any("Related Posts" in r for r in removed)


_WORD = st.text(alphabet=st.characters(categories=["L", "N", "P"]), min_size=1, max_size=12)


@given(st.lists(st.lists(_WORD, min_size=13, max_size=40).map(" ".join), min_size=1, max_size=8))
def test_long_lines_are_never_removed(lines: list[str]) -> None:
    """The clean-up removes only short lines, template prompts and lines of addresses (and inline
    ad shortcodes): prose is safe."""
    text = "\n".join(lines)
    cleaned, _ = clean_text(text, None)
    if "[" not in text:  # inline shortcode removal may legitimately shorten a line
        assert cleaned.split("\n") == lines


def test_citations_in_brackets_and_own_site_credits_stay() -> None:
    text = "Stadia delivers on the promise.\n[Engadget]\n[ad_1]\nOriginally published on Live Science."
    cleaned, removed = clean_text(text, None, None, "Live Science")
    assert cleaned.split("\n") == [
        "Stadia delivers on the promise.",
        "[Engadget]",
        "Originally published on Live Science.",
    ]
    assert removed == ["ad placeholder"] or removed == ["[ad_1]"]


@pytest.mark.parametrize("site_name", ["livescience.com", "www.LiveScience.com", "LIVE SCIENCE"])
def test_own_site_credit_stays_whatever_way_the_site_writes_its_name(site_name: str) -> None:
    text = "The probe landed.\nOriginally published on Live Science."
    cleaned, _ = clean_text(text, None, None, site_name)
    assert cleaned.endswith("Originally published on Live Science.")


def test_credit_to_another_site_is_still_removed() -> None:
    cleaned, removed = clean_text(
        "The probe landed.\nOriginally published on Space Daily.", None, None, "livescience.com"
    )
    assert cleaned == "The probe landed."
    assert removed


def _teaser_front(og_type: str, canonical: str) -> str:
    teasers = "".join(
        f'<div><h2><a href="https://news.example.com/world/story-{i}">Headline number {i} about the world today</a></h2>'
        f"<p>Officials in the capital said on Monday that talks over the budget would continue into next week, item {i}.</p></div>"
        for i in range(24)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>World | Example News</title><link rel="canonical" href="{canonical}">'
        f'<meta property="og:type" content="{og_type}"></head><body><main><h1>World</h1>{teasers}</main></body></html>'
    )


@pytest.mark.parametrize("og_type", ["website", "none"])
def test_section_front_with_teaser_blurbs_is_rejected(og_type: str) -> None:
    r = extract_html(_teaser_front(og_type, "https://news.example.com/world/"))
    assert isinstance(r, Rejected) and r.reason is RejectReason.INDEX_PAGE, r


def test_a_story_url_is_not_taken_for_a_section_front() -> None:
    """Some sites mark articles og:type website; a story-shaped URL keeps them articles."""
    url = "https://news.example.com/news/business/economy-in-stress-and-markets-on-a-high-4656421.html"
    r = extract_html(_teaser_front("website", url))
    assert isinstance(r, Article)


def test_inline_pointers_to_other_stories_go() -> None:
    text = "\n".join(
        [
            BODY[0],
            "Read more: Ferry fares frozen for the spring season",
            BODY[1],
            "RELATED: Council budget row",
        ]
    )
    cleaned, _ = clean_text(text, None)
    assert cleaned.split("\n") == BODY[:2]


LINKS = {
    "ferry fares frozen for the whole spring season",
    "council approves the new harbour budget plan",
    "storm warning issued for the northern coast tonight",
}


def test_runs_of_links_to_other_stories_go_wherever_they_stand() -> None:
    text = "\n".join(
        [
            BODY[0],
            "Don't miss",
            "Ferry fares frozen for the whole spring season [VIDEO]",
            "- Council approves the new harbour budget plan",
            BODY[1],
            BODY[2],
            "Storm warning issued for the northern coast tonight",
            "Ferry fares frozen for the whole spring season",
        ]
    )
    cleaned, removed = clean_text(text, None, links=LINKS)
    assert cleaned.split("\n") == BODY[:3]
    assert removed.count("2 links to other stories") == 2


def test_a_single_link_line_and_a_paragraph_holding_a_link_stay() -> None:
    """One line that is a link may be the story's (a report's title); a paragraph that holds a
    headline is prose."""
    text = "\n".join(
        [
            BODY[0],
            "Storm warning issued for the northern coast tonight",
            BODY[1],
            "The council said on Monday: council approves the new harbour budget plan, and "
            "ferry fares frozen for the whole spring season.",
        ]
    )
    cleaned, _ = clean_text(text, None, links=LINKS)
    assert cleaned == text


def test_a_text_that_is_mostly_links_is_left_whole_for_the_index_page_rule() -> None:
    """Removing the links of a list page would leave it empty, "too short" rather than the index
    page it is."""
    lines = [BODY[0][:40], *sorted(LINKS)]
    cleaned, _ = clean_text("\n".join(lines), None, links=LINKS)
    assert cleaned.split("\n") == lines
    page = (
        "<html><head><title>World</title></head><body><main><ul>"
        + "".join(
            f"<li><a href='/w/{i}'>Headline number {i} about the harbour budget</a></li>" for i in range(15)
        )
        + "</ul></main></body></html>"
    )
    r = extract_html(page)
    assert isinstance(r, Rejected) and r.reason is RejectReason.INDEX_PAGE, r


@pytest.mark.parametrize(
    "line",
    [
        "Write to Anna Verhoeven at anna.verhoeven@harbourtimes.example",
        "Email Anna Verhoeven at averhoeven@harbourtimes.example or follow her @annaverhoeven.",
        "Follow our full coverage of the bridge at https://harbourtimes.example/bridge",
        "More Harbour Times: https://harbourtimes.example/local and https://twitter.com/harbourtimes",
        "Listen: https://pods.example/tp/615",
        "twitter.com/annaverhoeven",
        "https://harbourtimes.example/world/bridge-closed",
        "Updated at 1:23 p.m.",
        "- Published 18 November 2026",
        "Last updated: Nov. 19, 2026 10:32 a.m. ET",
        "Reading time: 4 minutes",
        "5 min read",
        "Popular on Harbour Times",
        "Most read in world news",
        "Click here to subscribe to The Harbour Times newsletter",
        "Sign up: Stay on top of the latest news from the harbour! Sign up for our e-mail newsletters here.",
        "This copy is for your personal, non-commercial use only. To order copies for your colleagues, "
        "use the order form.",
        "Order Reprints",
        "Print Article",
    ],
)
def test_template_lines_that_point_elsewhere_or_date_the_page_go(line: str) -> None:
    cleaned, removed = clean_text(
        "\n".join([BODY[0], line, BODY[1]]), None, page_url="https://harbourtimes.example/x"
    )
    assert cleaned.split("\n") == BODY[:2], removed
    assert removed


@pytest.mark.parametrize(
    "line",
    [
        "— Anna Verhoeven (@annaverhoeven) March 2, 2026",  # a tweet's signature, quoted in the story
        "www.kestrelbaytheatre.example",  # another site's address: the story's
        "bridge-tips@council.example",  # an e-mail address alone: the story's mailbox
        "@classmethod",  # a line of code
        "Published in 2019 by the port authority, the report warned of cracks.",
        "Emails sent to residents@council.example show the plan was known in 2019.",
        "Subscribers to the ferry pass will be refunded.",
    ],
)
def test_lines_of_the_story_that_look_like_template_lines_stay(line: str) -> None:
    text = "\n".join([BODY[0], line, BODY[1]])
    cleaned, _ = clean_text(text, None, page_url="https://harbourtimes.example/x")
    assert cleaned == text


@pytest.mark.parametrize("wrap", [True, False], ids=["page", "feed-fragment"])
def test_a_link_right_after_an_html_comment(wrap: bool) -> None:
    """WordPress puts <!--more--> before the "continue reading" link; the link's lead text is
    looked up across the comment (this raised ValueError and lost the article)."""
    body = "".join(f"<p>{p}</p>" for p in BODY)
    more = '<p>Originally published at <!--more--> <a href="https://other.example/original">The Times</a></p>'
    tail = '<p><b>Photo</b> <!-- a --><!-- b --> <a href="https://other.example/x">our gallery</a></p>'
    inner = f"<h1>Bridge closed after crack found</h1>{body}{more}{tail}"
    html = f"<html><head><title>Bridge</title></head><body><article>{inner}</article></body></html>"
    doc = html if wrap else f"{body}{more}{tail}"
    hints = EntryHints(title="Bridge closed after crack found")
    a = ok(
        extract(
            Fetched(url="https://news.example/2026/03/bridge", body=doc.encode(), origin="t", hints=hints)
        )
    )
    assert {s.url for s in a.source_links} == {"https://other.example/original"}


@pytest.mark.parametrize("shape", ["late-html-tag", "no-html-or-body-tags"])
def test_a_whole_page_is_not_taken_for_a_fragment(shape: str) -> None:
    """A page whose <html> comes after 4 KB of comments and scripts, or that leaves out <html> and
    <body> (HTML allows it), was read as a fragment: its title and metadata were lost and the
    first navigation line became the title."""
    nav = "<ul><li><a href='/'>Primäre Mobile Navigation</a></li><li><a href='/a'>Politik</a></li></ul>"
    head = (
        "<title>Bridge closed after crack found | The Harbour Times</title>"
        "<meta property='og:site_name' content='The Harbour Times'>"
        "<meta property='article:published_time' content='2026-03-16T08:00:00Z'>"
    )
    article = (
        "<article><h1>Bridge closed after crack found</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</article>"
    )
    if shape == "late-html-tag":
        html = "<!--" + "x" * 5000 + "-->" + f"<html><head>{head}</head><body>{nav}{article}</body></html>"
    else:
        html = head + nav + article
    a = ok(extract(Fetched(url="https://news.example/2026/03/16/bridge", body=html.encode(), origin="t")))
    assert a.title == "Bridge closed after crack found"
    assert a.published is not None and a.published.day == 16
    assert a.site_name == "The Harbour Times"


def _busy_template_article(url: str, paragraphs: list[str]) -> str:
    sidebar = "".join(
        f"<li><a href='/noticias/{n}'>Titular número {n} de la portada de hoy en la ciudad</a></li>"
        for n in range(20)
    )
    return (
        "<html><head><title>El puente del puerto, cerrado por una grieta</title></head><body>"
        f"<aside><h3>Lo más leído</h3><ul>{sidebar}</ul></aside><main><h1>El puente del puerto, cerrado por una grieta</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</main></body></html>"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://diario.example/spip.php?article8532",
        "https://diario.example/index.php?p=4821",
        "https://diario.example/puente",
    ],
)
def test_an_article_with_a_busy_template_is_not_an_index_page(url: str) -> None:
    """An article with short paragraphs, no date and no Article markup, next to 20 headline links,
    was rejected as a section front. A story's address (a query id) or paragraphs of its own
    (three of 50 words or more) tell it apart from headlines with blurbs."""
    short = [
        f"Frase breve número {n} sobre el cierre del puente y sus efectos en el barrio." for n in range(12)
    ]
    long = [
        f"La autoridad de transporte informó en su parte número {n} de que el puente permanecerá cerrado al "
        "menos tres semanas, que todo el tráfico se desviará por los dos puentes antiguos del casco histórico "
        "y que los autobuses de las líneas cuatro y siete cambiarán de recorrido mientras duren las obras de "
        "reparación urgente, según el comunicado publicado el lunes por la tarde."
        for n in range(3)
    ]
    paragraphs = short if "?" in url else short + long
    a = ok(extract(Fetched(url=url, body=_busy_template_article(url, paragraphs).encode(), origin="t")))
    assert a.title == "El puente del puerto, cerrado por una grieta"


@pytest.mark.parametrize(
    "title",
    [
        "Page not found | The Harbour Times",
        "404 - Seite nicht gefunden",
        "Página no encontrada",
        "页面不存在",
    ],
)
def test_a_soft_404_with_a_long_template_is_an_error_page(title: str) -> None:
    """A "page not found" page served with status 200 and the site's whole navigation and
    recommendations (hundreds of words) was stored as an article."""
    filler = "".join(f"<p>{p}</p>" for p in BODY * 3)
    html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>Try these stories instead:</p>{filler}</body></html>"
    r = extract(Fetched(url="https://news.example/2026/03/16/missing-story", body=html.encode(), origin="t"))
    assert isinstance(r, Rejected) and r.reason is RejectReason.ERROR_PAGE


@pytest.mark.parametrize(
    "title", ["Gone with the wind: the remake nobody asked for", "Access denied to flood victims"]
)
def test_a_headline_that_merely_mentions_an_error_word_is_an_article(title: str) -> None:
    body = "".join(f"<p>{p}</p>" for p in BODY * 3)
    html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    a = ok(extract(Fetched(url="https://news.example/2026/03/16/story", body=html.encode(), origin="t")))
    assert a.title == title


@pytest.mark.parametrize(
    "url", ["https://news.example/", "https://news.example/en/", "https://news.example/index.html"]
)
def test_a_fetched_home_page_is_not_an_article(url: str) -> None:
    """A site's front page (or a removed article's redirect to it) was stored as an article, and
    every later fetch of the front page became a "revision" of it."""
    html = (
        "<html><head><title>News</title></head><body><article><h1>Top story</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</article></body></html>"
    )
    doc = Fetched(
        url="https://news.example/2026/03/16/removed",
        final_url=url,
        status=200,
        body=html.encode(),
        origin=url,
    )
    r = extract(doc)
    assert isinstance(r, Rejected) and r.reason is RejectReason.INDEX_PAGE and "home page" in r.detail


def test_an_unknown_time_zone_name_prints_nothing_on_stderr(tmp_path: Path) -> None:
    """dateutil warned on stderr ("tzname CEST identified but not understood") through htmldate."""
    from .conftest import run_cli

    body = "".join(f"<p>{p}</p>" for p in BODY)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge closed</title><meta name='date' content='2026-03-16 10:00 CEST'></head>"
        f"<body><article><h1>Bridge closed</h1>{body}</article></body></html>"
    )
    r = run_cli("extract", str(page))
    assert r.returncode == 0 and "Bridge closed" in r.stdout
    assert r.stderr == ""


def _record(chars: int) -> Fetched:
    sentence = "The council met and the harbour bridge stayed shut. "
    text = (sentence * (chars // len(sentence) + 1))[:chars]
    return Fetched(
        url="https://a.example/long",
        body=b"",
        origin="records.jsonl#1",
        hints=EntryHints(title="Long", text=text),
    )


def test_an_article_longer_than_the_cap_is_rejected_as_too_large() -> None:
    rejected = extract(_record(1_000_001))
    assert isinstance(rejected, Rejected)
    assert rejected.reason is RejectReason.TOO_LARGE and rejected.reason.value == "too-large"
    assert "max_article_chars=1,000,000" in rejected.detail
    assert isinstance(extract(_record(900_000)), Article)  # the default admits the longest real ones
    assert isinstance(extract(_record(1000), max_chars=1004), Article)  # title and text: 4 + 1000
    assert isinstance(extract(_record(1000), max_chars=1003), Rejected)


def test_the_desk_stores_no_article_over_max_article_chars(tmp_path: Path) -> None:
    with open_desk(tmp_path / "d.sqlite", max_article_chars=5000) as desk:
        report = desk.ingest_items([_record(6000)])
        assert [r.reason for r in report.rejected] == [RejectReason.TOO_LARGE]
        assert [r.reason for r in desk.rejections()] == [RejectReason.TOO_LARGE]
        assert desk.stats().articles == 0
        assert desk.ingest_items([_record(4000)]).new == 1
