"""Article identity (docs/identity.md): N distinct inputs give N articles, whatever URLs they carry
that cannot be theirs, and ingesting them again gives nothing new.

Each case is a shape real inputs showed: a page whose canonical link is its site's home page, one
whose canonical is the section above it, feed entries with no link, with a guid that is no URL,
with a ``javascript:`` or ``data:`` link, with the feed's own address or the site's home page as
their link, and JSON records with no URL. Before, each of these took one shared URL, and every
input after the first became an "older revision" of it: silent loss.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk import ItemStatus, open_desk

from ._server import Reply, Server, running

STORIES = [
    (
        "Bridge closed after crack found",
        "The harbour bridge was closed on Monday after engineers found a crack",
    ),
    (
        "Council votes on the ferry budget",
        "The council voted late on Tuesday to keep the night ferry running",
    ),
    ("Comet visible from the bay", "Astronomers say the comet will be visible to the naked eye from Friday"),
    (
        "Factory fire under control",
        "Firefighters brought the paint factory fire under control after six hours",
    ),
    ("Rate rise squeezes farmers", "Valley farmers fear a squeeze after the central bank raised its rate"),
    ("Marathon record falls", "The city marathon record fell on Sunday in cool and still conditions"),
]


def paragraphs(i: int) -> list[str]:
    title, lead = STORIES[i % len(STORIES)]
    return [f"{lead}, in the {title.lower()} story number {i}."] + [
        f"Paragraph {n} of story {i} adds the details a reader expects: who said what, when it happened, "
        f"and what comes next for the people of the bay, according to the officials we spoke to."
        for n in range(5)
    ]


def page(i: int, *, canonical: str | None = None, og_url: str | None = None) -> str:
    title = f"{STORIES[i % len(STORIES)][0]} ({i})"
    links = ""
    if canonical:
        links += f'<link rel="canonical" href="{canonical}">'
    if og_url:
        links += f'<meta property="og:url" content="{og_url}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs(i))
    return (
        f"<html><head><title>{title}</title>{links}</head><body><article><h1>{title}</h1>{body}"
        "</article></body></html>"
    )


def entry(i: int, link_xml: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs(i))
    return (
        f"<item><title>{STORIES[i % len(STORIES)][0]} ({i})</title>{link_xml}"
        f"<description><![CDATA[{body}]]></description></item>"
    )


def feed_links(own: str, start: int = 0) -> list[str]:
    return [
        "",  # no link at all
        "<guid>post-1234</guid>",  # a guid that is no URL (feedparser makes it the link)
        "<guid>post-5678</guid>",
        "<link>javascript:void(0)</link>",
        "<link>data:text/html,hello</link>",
        "<link>https://desk.example/</link>",  # the site's home page
        f"<link>{own}</link>",  # the feed's own address
        "<link></link>",
        f"<link>/news/story-{start}</link>",  # resolved against the feed's address when fetched
    ]


FEED_LINKS = feed_links("https://desk.example/feed.xml")


def feed(start: int, own: str = "https://desk.example/feed.xml") -> str:
    items = "".join(entry(start + n, link) for n, link in enumerate(feed_links(own, start)))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        f"<link>https://desk.example/</link>{items}</channel></rss>"
    )


def write_inputs(folder: Path) -> int:
    """Every shape of distrusted identity, as local files; returns how many articles they hold."""
    folder.mkdir()
    n = 0
    home = "https://desk.example/"
    for canonical, og in [(home, None), (home, home), ("https://desk.example/en/", None), (None, home)]:
        (folder / f"page-{n}.html").write_text(page(n, canonical=canonical, og_url=og))
        n += 1
    # Two pages of one site, each with the section above it as canonical.
    for slug in ("a-story-about-the-bridge", "a-story-about-the-ferry"):
        url = f"https://desk.example/local/2026/03/{slug}"
        (folder / f"page-{n}.html").write_text(page(n, canonical="https://desk.example/local/", og_url=url))
        n += 1
    (folder / "feed.xml").write_text(feed(n))
    n += len(FEED_LINKS)
    records = [
        f'{{"title": "{STORIES[i % 6][0]} ({i})", "text": "{" ".join(paragraphs(i))}"}}'
        for i in range(n, n + 3)
    ]
    (folder / "records.jsonl").write_text("\n".join(records) + "\n")
    n += 3
    return n


def test_n_distinct_inputs_give_n_articles_and_a_reingest_gives_none(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    expected = write_inputs(inputs)
    seen = []
    with open_desk(tmp_path / "d.sqlite") as desk:
        report = desk.ingest([inputs], on_item=seen.append)
        assert report.new == expected, [(r.origin, r.status.value, r.detail) for r in seen]
        assert report.updated == report.older == report.unchanged == 0
        identities = [desk.get_article(i).article.canonical_url for i in report.article_ids]
        assert len(set(identities)) == expected
        assert "https://desk.example/" not in identities
        assert not any(
            u.startswith("https://desk.example/local/") and u.endswith("/local/") for u in identities
        )
        # The pages with an og:url of their own are known by it, the section canonical ignored.
        assert "https://desk.example/local/2026/03/a-story-about-the-bridge" in identities
        # Notes say which URL was not trusted and why.
        notes = {n for i in report.article_ids for n in desk.get_article(i).article.notes}
        assert any("home page" in n for n in notes) and any("section above" in n for n in notes)
        again = desk.ingest([inputs])
        assert again.new == again.updated == again.older == 0 and again.unchanged == expected
    assert all(r.status is not ItemStatus.REJECTED for r in seen)


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as s:
        yield s


def test_a_followed_feed_never_gives_its_entries_its_own_address(server: Server, tmp_path: Path) -> None:
    """Through `update`, entries without a usable link used to take the feed's URL (relative and
    non-URL links resolved against it): every entry of every round became one article."""
    path = "/feed.xml"
    url = f"http://desk.example:{server.port}{path}"
    server.add(path, Reply(body=feed(0, url).encode(), content_type="application/rss+xml", conditional=False))
    settings = {
        "data_dir": str(tmp_path / "data"),
        "host_overrides": "*.example=127.0.0.1",
        "allow_private_addresses": True,
        "per_host_delay": 0,
        "max_retries": 0,
    }
    with open_desk(tmp_path / "d.sqlite", **settings) as desk:
        desk.add_source(url)
        first = desk.update()
        assert first.new == len(FEED_LINKS), first.as_dict()
        # The next round: the feed now holds other entries with the same kinds of links.
        server.add(
            path, Reply(body=feed(100, url).encode(), content_type="application/rss+xml", conditional=False)
        )
        second = desk.update(sources=[1])
        assert second.new == len(FEED_LINKS) and second.updated == 0, second.as_dict()
        assert desk.stats().articles == 2 * len(FEED_LINKS)
        urls = {a.article.canonical_url for a in desk.articles()}
        assert f"http://desk.example:{server.port}/news/story-100" in urls
        assert url not in urls
