"""Well-formed content the hostile inputs are made of (records, pages, feeds, sitemaps, WARC
records) and ``_Maker``, which lays out the cases of one class on disk.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from bench.adversary.cases import Case, judge_ingest

_VOCAB = (
    "council harbour bridge engineers ferry budget minister river storm market shares factory workers "
    "union strike league coach season match goals election voters survey museum festival hospital "
    "patients doctors school pupils teachers train station airport flights farmers harvest prices "
    "energy wind solar grid police court judge ruling company profits the a of and to in on for with"
).split()


# -- generated content ------------------------------------------------------------------------------


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(_VOCAB, k=n))


def _text(rng: random.Random, n_words: int, tag: str) -> str:
    sentences = [f"{tag.capitalize()} report {i}: {_words(rng, 14)}." for i in range(max(1, n_words // 16))]
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def _good_record(rng: random.Random, tag: str, i: int) -> dict[str, Any]:
    return {
        "url": f"https://good.example/{tag}/{i}",
        "title": f"Good {tag} story {i} about the {rng.choice(_VOCAB)} and the {rng.choice(_VOCAB)}",
        "text": _text(rng, 160, f"good {tag} {i}"),
        "published": f"2026-03-0{i}T10:00:00Z",
        "source": "Good Wire",
        "section": "world",
    }


def _good_jsonl(path: Path, rng: random.Random, tag: str, i: int) -> str:
    rec = _good_record(rng, tag, i)
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    return str(rec["url"])


def _page(
    url: str | None, title: str, paras: list[str], *, head: str = "", body_pre: str = "", doctype: str = ""
) -> str:
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f'{doctype or "<!doctype html>"}<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'{canonical}<meta property="og:type" content="article">{head}</head>'
        f"<body><nav><a href='/'>Home</a></nav>{body_pre}<article><h1>{title}</h1>{body}</article>"
        "<footer>Adversary News</footer></body></html>"
    )


def _paras(rng: random.Random, tag: str, n: int = 5) -> list[str]:
    return [f"{tag.capitalize()} paragraph {p}: {_words(rng, 35)}." for p in range(n)]


def _good_page(path: Path, rng: random.Random, tag: str, i: int) -> str:
    url = f"https://good.example/{tag}/page-{i}"
    meta = '<meta property="article:published_time" content="2026-03-01T10:00:00+00:00">'
    path.write_text(_page(url, f"Good {tag} page {i}", _paras(rng, f"good {tag} {i}"), head=meta), "utf-8")
    return url


def _rss_item(url: str, title: str, paras: list[str], extra: str = "") -> str:
    content = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>{extra}"
        f"<description>{paras[0][:80]}</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
    )


def _rss(items: list[str], *, preamble: str = "", close: bool = True) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{preamble}\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Adversary Feed</title><link>https://feed.example/</link>"
        + "".join(items)
        + ("</channel></rss>" if close else "</channel>\n<item><title>unclosed")
    )


def _atom_entry(url: str, title: str, paras: list[str], updated: str = "2026-03-01T10:00:00Z") -> str:
    content = "".join(f"<p>{p}</p>" for p in paras).replace("<", "&lt;").replace(">", "&gt;")
    return (
        f'<entry><title>{title}</title><link href="{url}"/><id>{url}</id><updated>{updated}</updated>'
        f'<content type="html">{content}</content></entry>'
    )


def _atom(entries: list[str], *, preamble: str = "", close: bool = True) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{preamble}\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Adversary Atom</title><id>https://feed.example/atom</id><updated>2026-03-01T10:00:00Z</updated>"
        + "".join(entries)
        + ("</feed>" if close else "\n<entry><title>unclosed")
    )


def _opml(outlines: str, *, preamble: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{preamble}\n<opml version="2.0"><head><title>Feeds</title>'
        f"</head><body>{outlines}</body></opml>"
    )


def _sitemap(
    urls: list[str], *, preamble: str = "", extra: str = "", pub: str = "2026-03-01T10:00:00Z"
) -> str:
    entries = "".join(
        f"<url><loc>{u}</loc><lastmod>2026-03-01</lastmod><news:news><news:publication>"
        f"<news:name>Adversary</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{pub}</news:publication_date><news:title>Title {n}</news:title>"
        f"</news:news>{extra}</url>"
        for n, u in enumerate(urls)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{preamble}\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>'
    )


def _warc_record(uri: str, body: bytes, content_type: str, date: str = "2026-03-01T10:00:00Z") -> bytes:
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: "
        + content_type.encode()
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri + date)}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


class _Maker:
    """Makes the cases of one class: each case its own folder under ``root/<class>/``, its inputs
    in ``in/`` (the child runs in the case folder, where the store and the captured output go)."""

    def __init__(self, root: Path, cls: str, seed: int) -> None:
        self.cls = cls
        self.base = root / cls
        self.base.mkdir(parents=True, exist_ok=True)
        self.rng = random.Random(f"{seed}-{cls}")
        self.cases: list[Case] = []
        self.n = 0

    def dir(self, name: str) -> Path:
        """A new case folder (and its ``in/``): the case's inputs go in ``.../in``."""
        self.n += 1
        slug = "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "_" for c in name)[:40]
        d = self.base / f"{self.n:03d}-{slug}"
        (d / "in").mkdir(parents=True, exist_ok=True)
        return d

    def add(self, case: Case) -> Case:
        self.cases.append(case)
        return case

    def ingest(self, name: str, d: Path, paths: list[Path], goods: list[str], **expect: Any) -> Case:
        """`newsdesk ingest --json PATHS` into a fresh store in ``d``; the good URLs must be stored."""
        db = str(d / "desk.sqlite")
        argv = ["--db", db, "ingest", "--json", "--no-progress", *map(str, paths)]
        kwargs = {"db": db, "argvs": [argv], "check": goods}
        return self.add(Case(self.cls, name, "cli", kwargs, judge_ingest, d, {"goods": goods, **expect}))

    def records(self, name: str, tag: str, hostile_line: str, **expect: Any) -> Case:
        """A JSONL file: a good record, the hostile line, another good record."""
        d = self.dir(name)
        good1, good2 = _good_record(self.rng, tag, 1), _good_record(self.rng, tag, 2)
        path = d / "in" / "records.jsonl"
        path.write_text("\n".join([json.dumps(good1), hostile_line, json.dumps(good2)]) + "\n", "utf-8")
        return self.ingest(name, d, [path], [good1["url"], good2["url"]], **expect)

    def folder(self, name: str, hostile_name: str | bytes, content: bytes, **expect: Any) -> Case:
        """A folder: a good JSONL record, the hostile file, another good record (in that order)."""
        d = self.dir(name)
        inputs = d / "in"
        goods = [
            _good_jsonl(inputs / "a-good.jsonl", self.rng, self.cls, 1),
            _good_jsonl(inputs / "z-good.jsonl", self.rng, self.cls, 2),
        ]
        # A name given as bytes may be invalid UTF-8: os.fsdecode keeps its bytes (surrogateescape).
        name_str = os.fsdecode(hostile_name) if isinstance(hostile_name, bytes) else hostile_name
        (inputs / name_str).write_bytes(content)
        return self.ingest(name, d, [inputs], goods, **expect)
