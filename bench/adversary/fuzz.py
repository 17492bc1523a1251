"""The fuzz-bytes class: seeded byte mutations of a small valid file of each format."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

from bench.adversary.cases import Case
from bench.adversary.inputs import (
    _atom,
    _atom_entry,
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

_TOKENS = (
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#xD800;",
    b"&#0;",
    b"&#x110000;",
    b"]]>",
    b"<![CDATA[",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'"',
    b"'",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\\ud800",
    b"1e300",
    b"NaN",
    b"9999-12-31T23:59:59-23:59",
    b'<!DOCTYPE x [<!ENTITY e "eeeeeeeeeeeeeeee">]>',
    b"&e;",
    b"Content-Length: 99999999\r\n",
    b"\r\n\r\n",
    b"<p>",
    b"<div>" * 64,
    b"</channel>",
    b"<item>",
    b"<entry>",
    b"<url><loc>",
    b"WARC/1.0\r\n",
    b"\xed\xa0\x80",
)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to eight random edits: a byte changed, bytes or a hostile token inserted, a range deleted
    or duplicated, the tail cut."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.choices(range(6), weights=(4, 3, 3, 2, 4, 1))[0]
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2:
            del b[pos : pos + rng.randint(1, 64)]
        elif op == 3:
            chunk = b[pos : pos + rng.randint(1, 128)]
            at = rng.randrange(len(b) + 1)
            b[at:at] = chunk
        elif op == 4:
            b[pos:pos] = rng.choice(_TOKENS)
        else:
            del b[pos:]
    return bytes(b)


def fuzz_bases(rng: random.Random) -> dict[str, tuple[str, bytes]]:
    """A small valid file of each format: {format: (file name, bytes)}."""
    urls = [f"https://fuzz.example/a/{i}" for i in range(2)]
    rss = _rss([_rss_item(u, f"Fuzz item {i}", _paras(rng, f"rss {i}")) for i, u in enumerate(urls)]).encode()
    atom = _atom(
        [_atom_entry(u, f"Fuzz entry {i}", _paras(rng, f"atom {i}")) for i, u in enumerate(urls)]
    ).encode()
    opml = _opml(
        '<outline text="News"><outline text="A" xmlUrl="https://fuzz.example/a.xml"/>'
        '<outline text="B" xmlUrl="https://fuzz.example/b.xml"/></outline>'
    ).encode()
    page = _page("https://fuzz.example/page", "Fuzz page", _paras(rng, "page")).encode()
    jsonl = ("\n".join(json.dumps(_good_record(rng, "fuzzrec", i)) for i in (3, 4)) + "\n").encode()
    warc = _warc_record("https://fuzz.example/warc", page, "text/html")
    warc += _warc_record("https://fuzz.example/feed.rss", rss, "application/rss+xml")
    return {
        "rss": ("m-fuzz.rss", rss),
        "atom": ("m-fuzz.atom", atom),
        "opml": ("m-fuzz.opml", opml),
        "sitemap": ("m-fuzz.xml", _sitemap(urls).encode()),
        "html": ("m-fuzz.html", page),
        "jsonl": ("m-fuzz.jsonl", jsonl),
        "warc": ("m-fuzz.warc", warc),
        "warc.gz": ("m-fuzz.warc.gz", gzip.compress(warc, mtime=0)),
    }


def _gen_fuzz(root: Path, quick: bool, seed: int, per_format: int) -> list[Case]:
    """Seeded byte mutations of a small valid file of each format, each between two good files."""
    m = _Maker(root, "fuzz-bytes", seed)
    for fmt, (name, data) in fuzz_bases(random.Random(f"{seed}-bases")).items():
        for i in range(2 if quick else per_format):
            m.folder(f"{fmt} #{i}", name, mutate(data, random.Random(f"{seed}-{fmt}-{i}")))
    return m.cases
