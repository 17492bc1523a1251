"""The hostile inputs of each class (the ``_gen_*`` functions) and ``generate``, which makes the
cases of the chosen classes (the fuzzed ones come from ``fuzz``).
"""

from __future__ import annotations

import json
import os
import random
from functools import partial
from pathlib import Path

from bench.adversary.cases import (
    CANARY,
    CLASSES,
    D_MAX,
    D_MIN,
    FUZZ_PER_FORMAT,
    NOT_RUN,
    QUERY_WORD,
    SEARCH_BUDGET_S,
    SECRET,
    Case,
    Result,
    _capped,
    judge_add,
    judge_api_add,
    judge_extract,
    judge_search,
)
from bench.adversary.fuzz import _gen_fuzz
from bench.adversary.inputs import (
    _VOCAB,
    _atom,
    _atom_entry,
    _good_jsonl,
    _good_page,
    _good_record,
    _Maker,
    _opml,
    _page,
    _paras,
    _rss,
    _rss_item,
    _sitemap,
    _warc_record,
)
from bench.adversary.runner import Server

#: Each hostile JSON value, as the raw JSON text it is written as.
DEEP = 100_000
HOSTILE_VALUES: dict[str, str] = {
    "int-5000-digits": "9" * 5000,
    "1e300": "1e300",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "1e15": "1e15",
    "-1e13": "-1e13",
    "5": "5",
    "true": "true",
    "array-100000-deep": "[" * DEEP + "]" * DEEP,
    "object-100000-deep": '{"a":' * DEEP + "1" + "}" * DEEP,
    "lone-surrogate": json.dumps("head \ud800 tail"),
    "date-9999-12-31-23:59": json.dumps(D_MAX),
    "date-0001-01-01+14:00": json.dumps(D_MIN),
    "object": '{"x": 1}',
    "mixed-list": '["a", 5, {"x": [1]}, null]',
}
FIELDS = (
    "url",
    "title",
    "html",
    "text",
    "published",
    "updated",
    "categories",
    "section",
    "author",
    "language",
    "id",
    "source",
)


def _gen_jsonl_values(root: Path, quick: bool, seed: int) -> list[Case]:
    """Each hostile value in each field of a record that lies between two good records."""
    m = _Maker(root, "jsonl-values", seed)
    fields, values = FIELDS, HOSTILE_VALUES
    if quick:
        fields = ("url", "title", "published", "categories")
        keep = (
            "int-5000-digits",
            "1e300",
            "NaN",
            "array-100000-deep",
            "lone-surrogate",
            "date-9999-12-31-23:59",
        )
        values = {k: HOSTILE_VALUES[k] for k in keep}
    for fname in fields:
        for n, (vname, raw) in enumerate(values.items()):
            hostile = _good_record(m.rng, "hostile", 3)
            hostile["url"] = f"https://hostile.example/{fname}/{n}"
            hostile[fname] = "__HOSTILE__"
            line = json.dumps(hostile).replace('"__HOSTILE__"', raw)
            m.records(f"{fname}={vname}", "jsonl", line, hostile_item=True)
    return m.cases


#: The extreme dates as RFC 822 (RSS) dates.
RFC_DATES = {D_MAX: "Fri, 31 Dec 9999 23:59:59 -2359", D_MIN: "Mon, 01 Jan 0001 00:00:00 +1400"}


def _gen_dates(root: Path, quick: bool, seed: int) -> list[Case]:
    """The extreme dates in every place a date comes from: JSONL, a page's meta tags, JSON-LD and
    <time>, RSS pubDate, Atom updated, a news sitemap and a WARC record's date."""
    m = _Maker(root, "dates", seed)
    for iso in (D_MAX, D_MIN):
        for key in ("published", "updated", "date", "modified"):
            if quick and key in ("date", "modified"):
                continue
            hostile = _good_record(m.rng, "dates", 3)
            hostile["url"] = f"https://hostile.example/dates/{key}-{iso[:4]}"
            hostile.pop("published")
            hostile[key] = iso
            m.records(f"JSONL {key}={iso}", "dates", json.dumps(hostile), hostile_item=True)
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Dated",
            "datePublished": iso,
            "dateModified": iso,
        }
        pages = {
            "meta article:published_time": (f'<meta property="article:published_time" content="{iso}">', ""),
            "meta article:modified_time": (f'<meta property="article:modified_time" content="{iso}">', ""),
            "JSON-LD datePublished": (f'<script type="application/ld+json">{json.dumps(ld)}</script>', ""),
            "<time datetime>": ("", f'<time datetime="{iso}" pubdate>{iso}</time>'),
        }
        for where, (head, pre) in pages.items():
            if quick and where != "meta article:published_time":
                continue
            d = m.dir(f"page {where}")
            goods = [
                _good_page(d / "in" / f"{c}-good.html", m.rng, "dates", i) for i, c in ((1, "a"), (2, "z"))
            ]
            url = f"https://hostile.example/dates/page-{m.n}"
            html = _page(url, f"Dated page {m.n}", _paras(m.rng, "dated"), head=head, body_pre=pre)
            (d / "in" / "m-hostile.html").write_text(html, "utf-8")
            m.ingest(f"page {where}={iso}", d, [d / "in"], goods, hostile_item=True)
        for kind in ("RSS pubDate", "Atom updated"):
            d = m.dir(kind)
            urls = [f"https://good.example/dates/feed-{m.n}-{i}" for i in (1, 2)]
            bad_url = f"https://hostile.example/dates/feed-{m.n}"
            if kind.startswith("RSS"):
                items = [
                    _rss_item(u, f"Good feed item {i}", _paras(m.rng, f"feed {i}"))
                    for i, u in enumerate(urls)
                ]
                bad = _rss_item(
                    bad_url, "Dated item", _paras(m.rng, "dated"), f"<pubDate>{RFC_DATES[iso]}</pubDate>"
                )
                path, doc, shown = d / "in" / "feed.rss", _rss([items[0], bad, items[1]]), RFC_DATES[iso]
            else:
                entries = [
                    _atom_entry(u, f"Good entry {i}", _paras(m.rng, f"atom {i}")) for i, u in enumerate(urls)
                ]
                bad = _atom_entry(bad_url, "Dated entry", _paras(m.rng, "dated"), updated=iso)
                path, doc, shown = d / "in" / "feed.atom", _atom([entries[0], bad, entries[1]]), iso
            path.write_text(doc, "utf-8")
            m.ingest(f"{kind}={shown}", d, [path], urls, hostile_item=True)
        if not quick:
            sm = _sitemap([f"https://hostile.example/sm/{iso[:4]}"], pub=iso).encode()
            m.folder(f"sitemap news:publication_date={iso}", "m-sitemap.xml", sm)
            url = f"https://hostile.example/dates/warc-{iso[:4]}"
            page = _page(url, "Archived page", _paras(m.rng, "warc")).encode()
            m.folder(
                f"WARC-Date={iso}",
                "m-archive.warc",
                _warc_record(url, page, "text/html", iso),
                hostile_item=True,
            )
    return m.cases


def _gen_surrogates(root: Path, quick: bool, seed: int) -> list[Case]:
    """Lone surrogates in JSON and in XML/HTML character references; names that are not UTF-8."""
    m = _Maker(root, "surrogates-and-names", seed)
    for fname in ("title", "text", "url", "author", "source", "html"):
        if quick and fname not in ("title", "html"):
            continue
        hostile = _good_record(m.rng, "sur", 3)
        hostile["url"] = f"https://hostile.example/sur/{fname}"
        hostile[fname] = (
            "<p>\udfff</p>" * 80 if fname == "html" else f"before \ud800 after {hostile.get(fname, 'x')}"
        )
        m.records(f"JSONL \\ud800 in {fname}", "sur", json.dumps(hostile), hostile_item=True)
    hostile = _good_record(m.rng, "sur", 4)
    hostile["url"] = "https://hostile.example/sur/key"
    m.records(
        "JSONL surrogates in a key and a value",
        "sur",
        json.dumps(hostile)[:-1] + ', "\\udc80k": "\\udbff"}',
        hostile_item=True,
    )
    for form, close in (("malformed", False), ("well-formed", True)):
        for spot in ("title", "description"):
            if quick and spot == "description":
                continue
            d = m.dir(f"rss {form} {spot}")
            urls = [f"https://good.example/sur/{m.n}-{i}" for i in (1, 2)]
            items = [_rss_item(u, f"Good item {i}", _paras(m.rng, f"item {i}")) for i, u in enumerate(urls)]
            paras = _paras(m.rng, "surrogate")
            if spot == "title":
                bad = _rss_item(f"https://hostile.example/sur/rss-{m.n}", "Ref &#xD800; here", paras)
            else:
                bad = _rss_item(
                    f"https://hostile.example/sur/rss-{m.n}", "Ref item", [*paras, "&#xD800;&#55296;"]
                )
                bad = bad.replace("<description>", "<description>&#xD800; ")
            (d / "in" / "feed.rss").write_text(_rss([items[0], bad, items[1]], close=close), "utf-8")
            m.ingest(f"RSS ({form}) &#xD800; in {spot}", d, [d / "in" / "feed.rss"], urls, hostile_item=True)
    d = m.dir("atom malformed")
    urls = [f"https://good.example/sur/atom-{i}" for i in (1, 2)]
    entries = [_atom_entry(u, f"Good entry {i}", _paras(m.rng, f"entry {i}")) for i, u in enumerate(urls)]
    bad = _atom_entry("https://hostile.example/sur/atom", "Ref &#xD800; entry", _paras(m.rng, "sur"))
    (d / "in" / "feed.atom").write_text(_atom([entries[0], bad, entries[1]], close=False), "utf-8")
    m.ingest("Atom (malformed) &#xD800; in title", d, [d / "in" / "feed.atom"], urls, hostile_item=True)
    d = m.dir("page charref")
    goods = [_good_page(d / "in" / f"{c}-good.html", m.rng, "sur", i) for i, c in ((1, "a"), (2, "z"))]
    page = _page(
        "https://hostile.example/sur/page", "Page &#xD800; title", [*_paras(m.rng, "sur"), "&#xD800;&#xDFFF;"]
    )
    (d / "in" / "m-hostile.html").write_text(page, "utf-8")
    m.ingest("HTML page &#xD800; in title and text", d, [d / "in"], goods, hostile_item=True)
    names: dict[str, bytes] = {
        "invalid UTF-8 (.jsonl)": b"m-\xff\xfe-bad.jsonl",
        "invalid UTF-8 (.html)": b"m-\xc3\x28.html",
        "terminal escape and newline": b"m-\x1b[31mred\nline.jsonl",
        "an encoded surrogate (CESU-8)": b"m-\xed\xa0\x80.jsonl",
    }
    for label, raw in names.items():
        if quick and label not in ("invalid UTF-8 (.jsonl)", "terminal escape and newline"):
            continue
        rec = _good_record(m.rng, "named", 3)
        rec["url"] = f"https://hostile.example/sur/name-{m.n}"
        if raw.endswith(b".html"):
            content = _page(rec["url"], rec["title"], _paras(m.rng, "named")).encode()
        else:
            content = (json.dumps(rec) + "\n").encode()
        m.folder(f"file name: {label}", raw, content, hostile_item=True)
    if not quick:
        d = m.dir("folder name")
        goods = [
            _good_jsonl(d / "in" / f"{c}-good.jsonl", m.rng, "named", i) for i, c in ((1, "a"), (2, "z"))
        ]
        sub = d / "in" / os.fsdecode(b"m-\xff-folder")
        sub.mkdir()
        rec = _good_record(m.rng, "named", 4)
        rec["url"] = "https://hostile.example/sur/in-bad-folder"
        (sub / "inner.jsonl").write_bytes((json.dumps(rec) + "\n").encode())
        m.ingest("folder name: invalid UTF-8", d, [d / "in"], goods, hostile_item=True)
    return m.cases


def _laughs(levels: int = 9) -> str:
    """The classic billion laughs: 10^9 "lol"s from nested entities (a DOCTYPE; ``{root}`` to fill)."""
    ents = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    ents += [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, levels + 1)]
    return "\n<!DOCTYPE {root} [\n" + "\n".join(ents) + "\n]>"


def _flat(kib: int) -> str:
    """One plain entity of ``kib`` KiB (a DOCTYPE; ``{root}`` to fill). feedparser's loose parser
    expands such "safe" entities (no nested references) however often they are referenced."""
    return '\n<!DOCTYPE {root} [\n<!ENTITY big "' + "ha" * (kib * 512) + '">\n]>'


def _gen_xml_entities(root: Path, quick: bool, seed: int, server: Server | None) -> list[Case]:
    """Entity expansion (nested and flat, well-formed and malformed) in feeds, OPML, sitemaps, a WARC
    record and a page; external entities (a local file, a URL); a long DOCTYPE before the root."""
    m = _Maker(root, "xml-entities", seed)
    secret_file = m.base / "local-secret.txt"
    secret_file.write_text(CANARY + "\n", "utf-8")
    paras = _paras(m.rng, "laughs")
    nested, flat = _laughs(), _flat(64)
    small, big = "&big;" * 10_000, "&big;" * 40_000  # 640 MiB and 2.5 GiB expanded

    def feed(pre: str, ref: str, close: bool) -> bytes:
        item = _rss_item("https://hostile.example/xml/1", f"Laughs {ref[:200]}", paras)
        item = item.replace("<description>", f"<description>{ref}")
        return _rss([item], preamble=pre.format(root="rss"), close=close).encode()

    variants: list[tuple[str, str, bytes]] = [
        ("RSS nested (well-formed)", "m-feed.rss", feed(nested, "&lol9;", True)),
        ("RSS nested (malformed)", "m-feed.rss", feed(nested, "&lol9;", False)),
        ("RSS flat 640 MiB (well-formed)", "m-feed.rss", feed(flat, small, True)),
        ("RSS flat 640 MiB (malformed)", "m-feed.rss", feed(flat, small, False)),
        ("RSS flat 2.5 GiB (malformed)", "m-feed.rss", feed(flat, big, False)),
    ]
    entry = _atom_entry("https://hostile.example/xml/atom", "Atom " + small, paras)
    atom = _atom([entry], preamble=flat.format(root="feed"), close=False).encode()
    variants.append(("Atom flat 640 MiB (malformed)", "m-feed.atom", atom))
    for label, pre, ref in (("nested", nested, "&lol9;"), ("flat 640 MiB", flat, small)):
        outline = f'<outline text="t{ref}" title="{ref}" xmlUrl="https://hostile.example/xml/feed.xml"/>'
        opml = _opml(outline, preamble=pre.format(root="opml")).encode()
        variants.append((f"OPML {label} (well-formed)", "m-list.opml", opml))
        variants.append((f"OPML {label} (malformed)", "m-list.opml", opml.replace(b"</body>", b"")))
        sm = _sitemap(["https://hostile.example/xml/sm"], preamble=pre.format(root="urlset"))
        sm = sm.replace("<news:title>", "<news:title>" + ref)
        variants.append((f"sitemap {label} (well-formed)", "m-sitemap.xml", sm.encode()))
        variants.append(
            (f"sitemap {label} (malformed)", "m-sitemap.xml", sm.replace("</urlset>", "").encode())
        )
    record = _warc_record(
        "https://hostile.example/xml/feed.rss", feed(flat, small, False), "application/rss+xml"
    )
    variants.append(("WARC record: RSS flat 640 MiB (malformed)", "m-archive.warc", record))
    page = _page(
        "https://hostile.example/xml/page",
        "Page &lol9;",
        [*paras, "&lol9;"],
        doctype=nested.format(root="html"),
    )
    variants.append(("HTML page with a nested-entity DOCTYPE", "m-page.html", page.encode()))
    if quick:
        keep = (
            "RSS nested (malformed)",
            "RSS flat 2.5 GiB (malformed)",
            "OPML flat 640 MiB (malformed)",
            "sitemap nested (well-formed)",
        )
        variants = [v for v in variants if v[0] in keep]
    for label, name, content in variants:
        m.folder(label, name, content)

    # External entities: a local file holding a canary, and a URL on the loopback server.
    file_uri = secret_file.resolve().as_uri()
    decls = [
        ("file", f'<!ENTITY xxe SYSTEM "{file_uri}">'),
        ("parameter entity", f'<!ENTITY % p SYSTEM "{file_uri}"> %p;'),
    ]
    if server is not None:
        decls.append(("http", '<!ENTITY xxe SYSTEM "{url}">'))
    for kind, decl in decls:
        forms = ("RSS (well-formed)", "RSS (malformed)", "OPML", "sitemap")
        for form in forms[1:2] if quick else forms:
            path = f"/xxe-{m.n + 1}"
            pre = (
                "\n<!DOCTYPE {root} [\n" + decl.replace("{url}", server.url(path) if server else "") + "\n]>"
            )
            if form.startswith("RSS"):
                name, content = "m-feed.rss", feed(pre, "&xxe;", form == "RSS (well-formed)")
            elif form == "OPML":
                outline = '<outline text="&xxe;" xmlUrl="https://hostile.example/xml/x.xml"/>'
                name, content = "m-list.opml", _opml(outline, preamble=pre.format(root="opml")).encode()
            else:
                sm = _sitemap(["https://hostile.example/xml/x"], preamble=pre.format(root="urlset"))
                name, content = "m-sitemap.xml", sm.replace("<news:title>", "<news:title>&xxe;").encode()
            hit = (lambda p=path: server.hits(p) > 0) if kind == "http" and server is not None else None
            m.folder(f"external entity ({kind}) in {form}", name, content, canary=True, server_hit=hit)

    # A long DOCTYPE (or comment) before the root: the sniffing window must not decide the format.
    long_subset = "\n<!DOCTYPE {root} [\n" + "".join(f"<!-- filler {i:05d} -->\n" for i in range(400)) + "]>"
    long_comment = "\n<!--" + "x" * 10_000 + "-->"
    urls = [f"https://hostile.example/xml/long-{i}" for i in range(3)]
    for label, pre in (("long DOCTYPE", long_subset), ("long comment", long_comment)):
        if quick and label == "long comment":
            continue
        sm = _sitemap(urls, preamble=pre.format(root="urlset")).encode()
        m.folder(f"{label} before a sitemap's <urlset>", "m-sitemap.xml", sm, listed=3)
    if not quick:
        outlines = "".join(
            f'<outline text="F{i}" xmlUrl="https://hostile.example/xml/f{i}.xml"/>' for i in range(3)
        )
        opml = _opml(outlines, preamble=long_subset.format(root="opml")).encode()
        m.folder("long DOCTYPE before an OPML list named .xml", "m-list.xml", opml, listed=3)
    return m.cases


def _big_text(rng: random.Random, n_bytes: int) -> str:
    """About ``n_bytes`` of generated sentences in which the query word is one word in ten (as often
    as "the" is in English): a search's snippet has that many hits to weigh."""
    population = [*_VOCAB, *[QUERY_WORD] * 6]
    out: list[str] = []
    size = 0
    while size < n_bytes:
        words = rng.choices(population, k=400)
        para = f"Part {len(out)}. " + " ".join(" ".join(words[j : j + 16]) + "." for j in range(0, 400, 16))
        out.append(para)
        size += len(para) + 2
    return "\n\n".join(out)


def _gen_big_article_search(root: Path, quick: bool, seed: int) -> list[Case]:
    """One article of 0.25-4 MB stored (beside two small ones), then searched for a word it holds,
    with `newsdesk search` and with the web site's /search."""
    m = _Maker(root, "big-article-search", seed)
    for mb in (0.25, 0.5, 1.0) if quick else (0.25, 0.5, 1.0, 2.0, 4.0):
        d = m.dir(f"{mb:g}MB")
        rec = _good_record(m.rng, "big", 3)
        rec["url"] = f"https://big.example/article-{mb:g}MB"
        rec["title"] = f"A very long article of {mb:g} MB"
        rec["text"] = _big_text(m.rng, int(mb * 1_000_000))
        goods = [_good_record(m.rng, "big", i) for i in (1, 2)]
        path = d / "in" / "records.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in (goods[0], rec, goods[1])) + "\n", "utf-8")
        store = m.ingest(
            f"store {mb:g} MB", d, [path], [goods[0]["url"], rec["url"], goods[1]["url"]], only_goods=True
        )
        # The curve measures search against the article's size: past max_article_chars (1,000,000
        # by default) an article is refused at the door (the case below), so the cap is lifted here.
        store.kwargs["env"] = {"NEWSDESK_MAX_ARTICLE_CHARS": str(10 * 1_000_000)}
        store.curve = ("ingest", mb)
        db = store.kwargs["db"]
        if mb >= 2:
            capped = m.dir(f"{mb:g}MB-capped")
            capped_path = capped / "in" / "records.jsonl"
            capped_path.write_text(path.read_text("utf-8"), "utf-8")
            m.ingest(
                f"store {mb:g} MB at the default cap (refused as too-large)",
                capped,
                [capped_path],
                [goods[0]["url"], goods[1]["url"]],
            )
        cli = m.add(
            Case(
                m.cls,
                f"CLI search {mb:g} MB",
                "cli",
                {
                    "db": db,
                    "argvs": [["--db", db, "search", QUERY_WORD, "--json", "-n", "5"]],
                    "find": rec["url"],
                },
                judge_search,
                d,
                needs=store.name,
                curve=("`newsdesk search`", mb),
            )
        )

        def too_slow(done: dict[str, Result], name: str = cli.name) -> str | None:
            r = done.get(name)
            if (
                r is not None
                and r.run is not None
                and (r.run.timed_out or (r.seconds or 0) > SEARCH_BUDGET_S)
            ):
                return f"not run (over budget): the same search took {r.seconds:.0f} s from the CLI"
            return None

        m.add(
            Case(
                m.cls,
                f"web /search {mb:g} MB",
                "web_search",
                {"db": db, "word": QUERY_WORD, "find": rec["title"]},
                judge_search,
                d,
                needs=store.name,
                skip_when=too_slow,
                curve=("web `/search`", mb),
            )
        )
    return m.cases


def _gen_big_pages(root: Path, quick: bool, seed: int) -> list[Case]:
    """Pages of 10k-200k paragraphs and of 100,000 nested <div>s, through `newsdesk extract` and
    through ingest (beside two good records)."""
    m = _Maker(root, "big-page-extraction", seed)
    pages: list[tuple[str, float | None, str]] = []
    for n in (10_000, 50_000) if quick else (10_000, 50_000, 100_000, 200_000):
        paras = [
            f"Paragraph {i} says the {_VOCAB[i % 40]} met the {_VOCAB[(i * 7) % 40]} today." for i in range(n)
        ]
        pages.append((f"{n:,} <p>", n / 1000, _page(f"https://big.example/p{n}", f"{n} paragraphs", paras)))
    depth = 20_000 if quick else 100_000
    inner = "<div>" * depth + "".join(f"<p>{p}</p>" for p in _paras(m.rng, "deep")) + "</div>" * depth
    pages.append(
        (
            f"{depth:,} nested <div>",
            None,
            _page("https://big.example/deep", "Deep page", _paras(m.rng, "top"), body_pre=inner),
        )
    )
    for label, k, html in pages:
        d = m.dir(label)
        page = d / "in" / "m-page.html"
        page.write_text(html, "utf-8")
        m.add(
            Case(
                m.cls,
                f"extract {label}",
                "cli",
                {"argvs": [["extract", str(page), "--format", "json"]]},
                judge_extract,
                d,
                curve=("`newsdesk extract`", k) if k else None,
            )
        )
        goods = [
            _good_jsonl(d / "in" / f"{c}-good.jsonl", m.rng, "bigpage", i) for i, c in ((1, "a"), (2, "z"))
        ]
        case = m.ingest(f"ingest {label}", d, [d / "in"], goods)
        case.curve = ("`newsdesk ingest` (the page and 2 records)", k) if k else None
        case.skip_when = partial(_skip_after_extract, f"extract {label}")
    return m.cases


def _skip_after_extract(extract_case: str, done: dict[str, Result]) -> str | None:
    """Ingest extracts the page: not worth running when extracting it alone hit the time cap."""
    r = done.get(extract_case)
    if r is not None and _capped(r):
        return f"{NOT_RUN} {extract_case!r} alone hit the time cap, or would have"
    return None


def _bad_urls(port: int | None) -> list[tuple[str, str, bool, str]]:
    """(label, URL, loopback allowed, front ends) for the bad-urls class. No URL leaves the
    machine: hosts are numeric, loopback, ``*.adversary.test`` (pointed at 127.0.0.1 with
    host_overrides, then refused by the address guard) or too long to be looked up."""
    host = "feed.adversary.test"
    urls: list[tuple[str, str, bool, str]] = [
        ("octal IPv4", "http://0177.0.0.1/", False, "cli api"),
        ("hex IPv4", "http://0x7f.0.0.1/", False, "cli api"),
        ("integer IPv4", "http://2130706433/", False, "cli api"),
        ("full-width digits", "http://１２７.０.０.１/", False, "cli api"),
        ("ideographic full stops", "http://127。0。0。1/", False, "cli api"),
        ("full-width letters", "http://ｆｅｅｄ.adversary.test/", False, "cli api"),
        ("IPv6 unclosed", "http://[::1", False, "cli api"),
        ("IPv6 loopback", "http://[::1]/", False, "cli api"),
        ("IPv4-mapped IPv6", "http://[::ffff:127.0.0.1]/", False, "cli api"),
        ("port 99999", f"http://{host}:99999/", False, "cli api"),
        ("port -1", f"http://{host}:-1/", False, "cli api"),
        ("empty host", "http:///feed.xml", False, "cli api"),
        ("CR LF in the path", f"http://{host}/a\r\nX-Injected: 1", False, "cli api"),
        ("escape sequence", f"http://{host}/\x1b[31mred", False, "cli api"),
        ("space in the host", "http://feed .adversary.test/", False, "cli api"),
        ("DEL in the host", "http://feed\x7f.adversary.test/", False, "cli api"),
        ("NUL in the host", "http://feed\x00.adversary.test/", False, "api"),
        ("lone surrogate in the host", "http://feed\ud800.adversary.test/", False, "api"),
        ("invalid UTF-8 argument", "http://feed\udcff.adversary.test/", False, "cli"),
        ("5,000-char label", "http://" + "a" * 5000 + ".invalid/", False, "cli api"),
        ("5,000-char name", "http://" + ("a" * 62 + ".") * 80 + "invalid/", False, "cli api"),
        ("bad punycode", "http://xn--a.adversary.test/", False, "cli api"),
        ("javascript:", "javascript:alert(1)", False, "cli api"),
        ("file:", "file:///etc/passwd", False, "cli api"),
        ("empty", "", False, "cli api"),
        ("password, refused host", f"http://reader:{SECRET}@0177.0.0.1/feed.xml", False, "cli api"),
        ("password, malformed", f"http://reader:{SECRET}@[::1/feed.xml", False, "cli api"),
        ("password, bad port", f"http://reader:{SECRET}@{host}:99999/", False, "cli api"),
    ]
    if port is not None:
        urls += [
            ("password, feed served", f"http://reader:{SECRET}@{host}:{port}/feed.xml", True, "cli api"),
            ("secret as user name, feed served", f"http://{SECRET}@{host}:{port}/feed.xml", True, "cli api"),
        ]
    return urls


BAD_URLS_QUICK = (
    "octal IPv4",
    "full-width digits",
    "IPv6 unclosed",
    "5,000-char label",
    "password, malformed",
    "password, feed served",
)


def _gen_bad_urls(root: Path, quick: bool, seed: int, server: Server | None) -> list[Case]:
    """Malformed URLs through `newsdesk add` (then `newsdesk sources --json`) and through
    POST /api/v1/sources (then the API's listing); a URL's password must not come back."""
    m = _Maker(root, "bad-urls", seed)
    env = {
        "NEWSDESK_HOST_OVERRIDES": "*.adversary.test=127.0.0.1",
        "NEWSDESK_MAX_RETRIES": "0",
        "NEWSDESK_CONNECT_TIMEOUT": "5",
        "NEWSDESK_TOTAL_TIMEOUT": "20",
        "NEWSDESK_PER_HOST_DELAY": "0",
    }
    for label, url, loopback, fronts in _bad_urls(server.port if server else None):
        if quick and label not in BAD_URLS_QUICK:
            continue
        case_env = {**env, "NEWSDESK_ALLOW_PRIVATE_ADDRESSES": "1"} if loopback else env
        expect = {"secret": SECRET if SECRET in url else None}
        if "cli" in fronts:
            d = m.dir(f"cli {label}")
            db = str(d / "desk.sqlite")
            argvs = [["--db", db, "add", url], ["--db", db, "sources", "--json"]]
            m.add(
                Case(m.cls, f"add: {label}", "cli", {"argvs": argvs, "env": case_env}, judge_add, d, expect)
            )
        if "api" in fronts:
            d = m.dir(f"api {label}")
            kwargs = {"db": str(d / "desk.sqlite"), "url": url, "env": case_env}
            m.add(Case(m.cls, f"API: {label}", "web_add", kwargs, judge_api_add, d, expect))
    return m.cases


def generate(
    classes: list[str],
    root: Path,
    *,
    quick: bool,
    seed: int = 1,
    fuzz: int = FUZZ_PER_FORMAT,
    server: Server | None = None,
) -> list[Case]:
    """Every case of the chosen classes, its inputs written under ``root``."""
    out: list[Case] = []
    for cls in classes:
        if cls == "jsonl-values":
            out += _gen_jsonl_values(root, quick, seed)
        elif cls == "dates":
            out += _gen_dates(root, quick, seed)
        elif cls == "surrogates-and-names":
            out += _gen_surrogates(root, quick, seed)
        elif cls == "xml-entities":
            out += _gen_xml_entities(root, quick, seed, server)
        elif cls == "big-article-search":
            out += _gen_big_article_search(root, quick, seed)
        elif cls == "big-page-extraction":
            out += _gen_big_pages(root, quick, seed)
        elif cls == "bad-urls":
            out += _gen_bad_urls(root, quick, seed, server)
        elif cls == "fuzz-bytes":
            out += _gen_fuzz(root, quick, seed, fuzz)
        else:
            raise ValueError(f"unknown class {cls!r}: one of {', '.join(CLASSES)}")
    return out
