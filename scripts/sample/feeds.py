"""Feeds in five formats (plus one deliberately broken feed), the OPML list of the feeds and the
JSONL delivery file."""

from __future__ import annotations

import html
import json
from typing import Any

from _common import esc, label, rfc822


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
