"""End-to-end ingest rate into SQLite on a generated corpus of news pages.

    .venv/bin/python bench/ingest.py [--pages 10000] [--keep DIR] [--seed 1] [--text generated|wikinews]

1. Generates ``--pages`` deterministic (seeded) news pages into a temporary folder: four site
   templates with navigation, sidebars, share buttons, "related" blocks and footers; 300-700 words of
   article text each; meta tags (unique canonical URL, og:title, article:published_time,
   article:section). About 2 % are section index pages and 1 % exact duplicates of other pages.
2. Baseline, in a child process: read every file and run ``extract_html`` on it (extraction alone).
3. In a child process: ``desk.ingest([folder])`` into a fresh SQLite file (extraction + store +
   copy tracing): articles/s, pages/s, seconds, peak RSS, database size.
4. In another child process: the same ingest again into the same database (expect 0 new).

Each phase runs in its own process so that its peak RSS (``resource.getrusage``) is its own, and its
time excludes interpreter start-up and imports. Machines are noisy: read the ratios against the
baseline measured in the same command rather than the absolute rates.

The text comes from a built-in generator (default; no data needed) or, with ``--text wikinews``,
from sentences of ../shared/data/articles/wikinews/*.csv recombined (falls back to the generator when
the folder is absent). Only the standard library and newsdesk.
"""

from __future__ import annotations

import argparse
import csv
import html
import importlib.util
import itertools
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

WIKINEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "articles" / "wikinews"


def _common() -> ModuleType:
    """bench/_common.py, whether this file runs as a script or is imported by a test."""
    name = "_newsdesk_bench_common"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("_common.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# -- text ------------------------------------------------------------------------------------------

_FUNCTION = (
    "the of and to a in that is was for on with as by at from it its has have had be been were are "
    "which but not this their after about more than over into also who would could will said says "
    "while when where they there some other all one two three new first last most many such only"
).split()
_CONTENT = (
    "government minister council report police officials company market election vote city country "
    "people year week month day plan budget court law health hospital school students workers union "
    "strike prices inflation bank rates energy oil gas power climate storm flood fire water river "
    "bridge road rail train airport flight border army troops talks deal agreement sanctions trade "
    "exports growth jobs unemployment taxes spending debt investors shares profits losses quarter "
    "results season match team coach players goal win defeat final league cup title record fans "
    "film music festival museum book author artist award show series audience study researchers "
    "scientists data evidence patients vaccine virus cases tests doctors nurses care families children "
    "women men residents community village region province capital parliament senate president mayor "
    "governor party leader campaign candidate supporters critics protest crowd statement spokesperson "
    "investigation charges trial judge jury lawyer prison sentence appeal ruling decision policy reform "
    "proposal bill measure committee hearing inquiry review agency department ministry service network "
    "system software platform users phone internet security attack hackers privacy technology satellite "
    "launch mission rocket space station island coast mountain forest farm crops drought harvest food "
    "supply shortage demand production factory plant site project construction housing rent property "
    "sale price cost value growth risk warning threat crisis emergency response aid relief support "
    "funding million billion percent increase decrease change rise fall level number figure share"
).split()
_VERBS = (
    "announced confirmed rejected approved reported warned argued claimed denied expected planned "
    "promised agreed refused launched opened closed raised cut increased reduced delayed welcomed "
    "criticised ordered signed won lost faced met visited discussed reviewed described"
).split()
_ADJ = (
    "new major local national international former senior public private early late final key "
    "strong weak large small growing recent long short high low economic political financial legal"
).split()
_SYL = (
    "ka lo ri ben tor mar sel vin da ne ro sa li mo ga te ha ru del fin kor las mi no pe sto van ber".split()
)


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(syllables)).capitalize()


class TextGen:
    """Deterministic news-like prose: Zipf-weighted words, made-up people and places, quotes."""

    def __init__(self, rng: random.Random, sentences: list[str] | None = None):
        self.rng = rng
        self.people = [f"{_name(rng, 2)} {_name(rng, rng.randint(2, 3))}" for _ in range(3000)]
        self.places = [_name(rng, rng.randint(2, 4)) for _ in range(800)]
        self.orgs = [
            f"{_name(rng, 2)} {rng.choice(['Group', 'Holdings', 'Institute', 'Party', 'Council', 'Bank'])}"
            for _ in range(400)
        ]
        # A long tail of rarer made-up content words, so that the vocabulary is large as in real news.
        self.rare = [_name(rng, rng.randint(2, 4)).lower() for _ in range(6000)]
        self.content = _CONTENT + self.rare
        self.cum_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(self.content))))
        self.sentences = sentences

    def word(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(_FUNCTION)
        if r < 0.55:
            return self.rng.choice(_ADJ)
        if r < 0.62:
            return self.rng.choice(_VERBS)
        return self.rng.choices(self.content, cum_weights=self.cum_weights)[0]

    def sentence(self) -> str:
        if self.sentences:
            return self.rng.choice(self.sentences)
        rng = self.rng
        n = rng.randint(8, 28)
        words = [self.word() for _ in range(n)]
        # Proper nouns in realistic places.
        for _ in range(rng.randint(0, 2)):
            words[rng.randrange(n)] = rng.choice([*self.places, *self.orgs])
        if rng.random() < 0.3:
            words.insert(rng.randrange(1, n), f"{rng.randint(2, 950)}")
        text = " ".join(words)
        if rng.random() < 0.15:
            return f'"{text[0].upper()}{text[1:]}," said {rng.choice(self.people)}, {rng.choice(_ADJ)} {rng.choice(_CONTENT)} official.'
        if rng.random() < 0.1:
            half = len(words) // 2
            return f"{' '.join(words[:half]).capitalize()}, {' '.join(words[half:])}."
        return f"{text[0].upper()}{text[1:]}."

    def paragraphs(self, target_words: int) -> list[str]:
        out: list[str] = []
        count = 0
        while count < target_words:
            para = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            out.append(para)
            count += len(para.split())
        return out

    def headline(self) -> str:
        rng = self.rng
        words = [rng.choice(self.places), rng.choice(_CONTENT), rng.choice(_VERBS)]
        words += [rng.choice(_FUNCTION), rng.choice(_ADJ), rng.choice(_CONTENT)]
        if rng.random() < 0.5:
            words += ["after", rng.choice(_CONTENT), rng.choice(_CONTENT)]
        text = " ".join(words)
        return text[0].upper() + text[1:]


def wikinews_sentences(folder: Path) -> list[str]:
    """Sentences of the Wikinews articles (CSV: url, date, title, text), or [] when absent."""
    out: list[str] = []
    csv.field_size_limit(10**8)
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for para in (row.get("text") or "").split("\n"):
                    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", para.strip()):
                        if 6 <= len(s.split()) <= 60:
                            out.append(s)
    return out


# -- pages -----------------------------------------------------------------------------------------

SITES = [
    {"domain": "www.dailyherald-example.com", "name": "The Daily Herald", "template": 0},
    {"domain": "news.metro-example.org", "name": "Metro News", "template": 1},
    {"domain": "www.globalwire-example.net", "name": "Global Wire", "template": 2},
    {"domain": "www.valleytimes-example.com", "name": "Valley Times", "template": 3},
]
SECTIONS = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Culture", "Local"]

_STYLE = "body{font-family:Georgia,serif;margin:0}.nav a{padding:0 8px}.share a{margin-right:6px}" * 12
_SCRIPT = (
    "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
    "gtag('js',new Date());gtag('config','G-XXXXXXX');var ads={slots:['top','mid','bottom'],refresh:30};"
) * 10


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70]


def _nav(site: dict[str, Any]) -> str:
    links = "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in SECTIONS)
    return (
        f'<header class="site-header"><a class="logo" href="/">{html.escape(site["name"])}</a>'
        f'<nav class="nav" role="navigation"><ul>{links}<li><a href="/subscribe">Subscribe</a></li></ul></nav>'
        '<form class="search"><input name="q" placeholder="Search"></form></header>'
    )


def _footer(site: dict[str, Any]) -> str:
    cols = "".join(
        f'<div class="col"><h4>{h}</h4><ul>'
        + "".join(f'<li><a href="/{h.lower()}/{i}">{h} link {i}</a></li>' for i in range(5))
        + "</ul></div>"
        for h in ("About", "Contact", "Advertise", "Legal")
    )
    return (
        f'<footer class="site-footer">{cols}<p>© 2024 {html.escape(site["name"])}. All rights reserved. '
        "Terms of use · Privacy policy · Cookie settings</p></footer>"
    )


def _share() -> str:
    return (
        '<div class="share"><a href="#">Share</a><a href="#">Tweet</a><a href="#">Email</a>'
        '<a href="#">Print</a></div>'
    )


def _headline_list(gen: TextGen, site: dict[str, Any], title: str, n: int, cls: str) -> str:
    items = "".join(
        f'<li><a href="https://{site["domain"]}/{gen.rng.choice(SECTIONS).lower()}/{_slug(h)}">{html.escape(h)}</a></li>'
        for h in (gen.headline() for _ in range(n))
    )
    return f'<aside class="{cls}"><h3>{title}</h3><ul>{items}</ul></aside>'


def article_page(gen: TextGen, site: dict[str, Any], n: int, when: datetime) -> tuple[str, str]:
    """(url, html) of one article page."""
    rng = gen.rng
    title = gen.headline()
    section = rng.choice(SECTIONS)
    url = f"https://{site['domain']}/{section.lower()}/{when:%Y/%m/%d}/{_slug(title)}-{n}"
    author = rng.choice(gen.people)
    paras = gen.paragraphs(rng.randint(300, 700))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    t = site["template"]
    published = when.isoformat()
    esc = html.escape
    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)} | {esc(site["name"])}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:title" content="{esc(title)}">'
        f'<meta property="og:type" content="article"><meta property="og:url" content="{url}">'
        f'<meta property="og:site_name" content="{esc(site["name"])}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<meta property="article:section" content="{section}"><meta name="author" content="{esc(author)}">'
        f'<meta name="description" content="{esc(paras[0][:150])}">'
        f"<style>{_STYLE}</style><script>{_SCRIPT}</script>"
    )
    if t in (1, 3):
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published,
            "articleSection": section,
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": site["name"]},
        }
        head += f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    head += "</head>"
    byline = f'<div class="byline">By <a href="/author/{_slug(author)}">{esc(author)}</a> · <time datetime="{published}">{when:%B %d, %Y}</time></div>'
    related = _headline_list(gen, site, "Related Articles", 4, "related")
    most_read = _headline_list(gen, site, "Most Read", 8, "sidebar most-read")
    if t == 0:  # classic: article + right sidebar, share bar on top
        main = f'<main><article><h1>{esc(title)}</h1>{byline}{_share()}<div class="article-body">{body}</div>{related}</article>{most_read}</main>'
    elif t == 1:  # breadcrumb + share at the bottom + newsletter box inside the article
        crumbs = f'<div class="breadcrumb"><a href="/">Home</a> › <a href="/{section.lower()}/">{section}</a></div>'
        split = max(1, len(paras) // 2)
        body = (
            "".join(f"<p>{esc(p)}</p>" for p in paras[:split])
            + '<div class="newsletter"><p>Sign up for our newsletter</p><input type="email"></div>'
            + "".join(f"<p>{esc(p)}</p>" for p in paras[split:])
        )
        main = f'<div class="wrap">{crumbs}<article><h1>{esc(title)}</h1>{byline}<section class="content">{body}</section>{_share()}</article>{most_read}{related}</div>'
    elif t == 2:  # div soup, no <article>, ads between paragraphs
        chunks = [f'<div class="para"><p>{esc(p)}</p></div>' for p in paras]
        for i in range(3, len(chunks), 4):
            chunks[i] += '<div class="ad-slot">Advertisement</div>'
        main = f'<div id="content"><div class="story"><h1 class="headline">{esc(title)}</h1>{byline}<div class="story-body">{"".join(chunks)}</div><div class="tags">Tags: {section}, {esc(rng.choice(gen.places))}</div></div><div class="rail">{most_read}</div></div>'
    else:  # magazine: figure + caption, pull quote, comments teaser
        fig = (
            f'<figure><img src="/img/{n}.jpg" alt=""><figcaption>{esc(gen.sentence())}</figcaption></figure>'
        )
        main = f'<main><article>{fig}<header><h1>{esc(title)}</h1>{byline}</header><div class="entry-content">{body}</div>{_share()}<div class="comments"><a href="#comments">12 Comments</a></div></article>{related}</main>'
    page = f"{head}<body>{_nav(site)}{main}{_footer(site)}</body></html>"
    return url, page


def index_page(gen: TextGen, site: dict[str, Any], n: int, *, blurbs: bool) -> str:
    """A section front: 24 headline links, bare ("river") or each with a one-sentence blurb
    ("teasers"). newsdesk should reject both as index pages."""
    section = gen.rng.choice(SECTIONS)
    url = f"https://{site['domain']}/{section.lower()}/page/{n}"
    items = "".join(
        f'<div class="teaser"><h2><a href="https://{site["domain"]}/{section.lower()}/{_slug(h)}">{html.escape(h)}</a></h2>'
        + (
            f"<p>{html.escape(gen.sentence())}</p>"
            if blurbs
            else f'<span class="ago">{gen.rng.randint(1, 59)} min ago</span>'
        )
        + "</div>"
        for h in (gen.headline() for _ in range(24))
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{section} | {html.escape(site["name"])}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:type" content="website">'
        f'<meta property="og:title" content="{section}"></head><body>{_nav(site)}'
        f'<main><h1>{section}</h1><div class="river">{items}</div></main>{_footer(site)}</body></html>'
    )


def generate(folder: Path, pages: int, *, seed: int = 1, text: str = "generated") -> dict[str, Any]:
    """Write ``pages`` HTML files under ``folder``; return what was made (expected outcomes)."""
    rng = random.Random(seed)
    sentences = wikinews_sentences(WIKINEWS) if text == "wikinews" else []
    gen = TextGen(rng, sentences or None)
    kinds: Counter[str] = Counter()
    written: list[Path] = []
    start = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)
    total_bytes = 0
    manifest: dict[str, str] = {}
    for i in range(pages):
        sub = folder / f"{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"page-{i:06d}.html"
        r = rng.random()
        site = SITES[i % len(SITES)]
        if r < 0.01 and written:
            data = rng.choice(written).read_bytes()  # an exact duplicate of an earlier page
            kind = "duplicate"
        elif r < 0.03:
            kind = "index-teasers" if kinds["index-river"] > kinds["index-teasers"] else "index-river"
            data = index_page(gen, site, i, blurbs=kind == "index-teasers").encode("utf-8")
        else:
            when = start + timedelta(minutes=7 * i + rng.randint(0, 6))
            _, page = article_page(gen, site, i, when)
            data = page.encode("utf-8")
            kind = "article"
            written.append(path)
        path.write_bytes(data)
        total_bytes += len(data)
        kinds[kind] += 1
        manifest[str(path)] = kind
    return {
        "pages": pages,
        "kinds": dict(kinds),
        "manifest": manifest,
        "bytes": total_bytes,
        "text": "wikinews" if sentences else "generated",
    }


# -- the phases (each in its own process) ------------------------------------------------------------


def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def _db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def _kinds(manifest: Path | None) -> dict[str, str]:
    if manifest is None or not manifest.exists():
        return {}
    kinds: dict[str, str] = json.loads(manifest.read_text(encoding="utf-8"))
    return kinds


def phase_extract(folder: Path, manifest: Path | None = None) -> dict[str, Any]:
    from newsdesk.extract import extract_html
    from newsdesk.model import Rejected
    from newsdesk.sources.files import list_inputs

    files = list_inputs([folder])
    outcomes: list[str] = []
    t0, c0 = time.perf_counter(), time.process_time()
    for path in files:
        out = extract_html(path.read_bytes())
        outcomes.append(out.reason.value if isinstance(out, Rejected) else "article")
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    kinds = _kinds(manifest)
    by_kind: dict[str, Counter[str]] = {}
    for path, outcome in zip(files, outcomes, strict=True):
        by_kind.setdefault(kinds.get(str(path), "?"), Counter())[outcome] += 1
    reasons = Counter(o for o in outcomes if o != "article")
    return {
        "files": len(files),
        "articles": outcomes.count("article"),
        "rejected": dict(reasons),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": _peak_rss_mb(),
    }


def phase_ingest(folder: Path, db: Path, manifest: Path | None = None) -> dict[str, Any]:
    from newsdesk import open_desk

    marks: list[tuple[int, float]] = []

    def progress(_path: Path, done: int, total: int) -> None:
        # Elapsed time at every tenth of the files: does the rate fall as the store grows?
        if done * 10 // total != (done - 1) * 10 // total or done == total:
            marks.append((done, time.perf_counter() - t1))

    t0, c0 = time.perf_counter(), time.process_time()
    with open_desk(db) as desk:
        t1 = time.perf_counter()
        report = desk.ingest([folder], progress=progress)
        t2 = time.perf_counter()
    t3, c3 = time.perf_counter(), time.process_time()
    reasons = Counter(r.reason.value for r in report.rejected)
    kinds = _kinds(manifest)
    rejected_by_kind: dict[str, Counter[str]] = {}
    for r in report.rejected:
        rejected_by_kind.setdefault(kinds.get(r.origin, "?"), Counter())[r.reason.value] += 1
    return {
        "rejected_by_kind": {k: dict(v) for k, v in sorted(rejected_by_kind.items())},
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "older": report.older,
        "rejected": dict(reasons),
        "broken": len(report.broken),
        "copies_found": report.copies_found,
        "seconds": t3 - t0,
        "ingest_seconds": t2 - t1,
        "open_close_seconds": (t1 - t0) + (t3 - t2),
        "cpu_seconds": c3 - c0,
        "peak_rss_mb": _peak_rss_mb(),
        "db_bytes": _db_bytes(db),
        "marks": marks,
    }


def _child(phase: str, *args: str) -> dict[str, Any]:
    """Run one phase in a fresh interpreter; its last stdout line is the JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_phase", phase, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"phase {phase} failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# -- the report ------------------------------------------------------------------------------------


def report(made: dict[str, Any], base: dict[str, Any], first: dict[str, Any], second: dict[str, Any]) -> str:
    c = _common()
    pages = made["pages"]
    rows = [
        [
            "extraction alone (read + extract_html)",
            f"{base['seconds']:.1f}",
            f"{pages / base['seconds']:.1f}",
            f"{base['articles'] / base['seconds']:.1f}",
            f"{base['articles']:,}",
            f"{base['peak_rss_mb']:.0f}",
            "-",
            "1.00",
        ],
        [
            "ingest into fresh SQLite",
            f"{first['seconds']:.1f}",
            f"{pages / first['seconds']:.1f}",
            f"{first['new'] / first['seconds']:.1f}",
            f"{first['new']:,} new",
            f"{first['peak_rss_mb']:.0f}",
            f"{first['db_bytes'] / 2**20:.1f}",
            f"{first['seconds'] / base['seconds']:.2f}",
        ],
        [
            "re-ingest, same folder",
            f"{second['seconds']:.1f}",
            f"{pages / second['seconds']:.1f}",
            "-",
            f"{second['new']:,} new, {second['unchanged']:,} unchanged",
            f"{second['peak_rss_mb']:.0f}",
            f"{second['db_bytes'] / 2**20:.1f}",
            f"{second['seconds'] / base['seconds']:.2f}",
        ],
    ]
    headers = [
        "phase",
        "seconds",
        "pages/s",
        "articles/s",
        "stored",
        "peak RSS MB",
        "DB MB",
        "time vs extraction",
    ]
    share = 1 - base["seconds"] / first["seconds"]
    lines = [
        c.markdown_table(headers, rows),
        "",
        f"Store + tracing share of ingest time: {share:.0%} (ingest takes ×{first['seconds'] / base['seconds']:.2f} "
        f"the time of extraction alone); re-ingest takes ×{second['seconds'] / first['seconds']:.2f} the first ingest.",
        f"Corpus: {pages:,} pages ({made['kinds']}), {made['bytes'] / 2**20:.1f} MB, text: {made['text']}.",
        f"Extraction alone, outcome by kind of page: {base['by_kind']}.",
        f"First ingest: new {first['new']}, unchanged {first['unchanged']}, updated {first['updated']}, "
        f"rejected {first['rejected_by_kind']} (by kind of page), broken {first['broken']}, "
        f"copies found {first['copies_found']}.",
        f"Second ingest: new {second['new']}, unchanged {second['unchanged']}, updated {second['updated']}, "
        f"rejected {second['rejected']}, broken {second['broken']}.",
    ]
    marks = first.get("marks") or []
    if len(marks) >= 4:
        # The second tenth against the last (the first tenth pays for warm-up).
        (a_n, a_s), (b_n, b_s) = marks[0], marks[1]
        (y_n, y_s), (z_n, z_s) = marks[-2], marks[-1]
        early, late = (b_n - a_n) / (b_s - a_s), (z_n - y_n) / (z_s - y_s)
        lines.append(
            f"First ingest rate, files {a_n + 1:,}-{b_n:,}: {early:.1f} files/s; files {y_n + 1:,}-{z_n:,}: "
            f"{late:.1f} files/s (×{late / early:.2f} as the store fills)."
        )
    expect_new = made["kinds"].get("article", 0)
    if first["new"] != expect_new:
        lines.append(
            f"NOTE: expected {expect_new} new articles (generated article pages), got {first['new']}."
        )
    if second["new"]:
        lines.append(f"NOTE: the second ingest stored {second['new']} new article(s); expected 0.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10_000, help="pages to generate (default 10000)")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR and keep it (and the DB)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--text", choices=("generated", "wikinews"), default="generated")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--_phase", help=argparse.SUPPRESS)
    ap.add_argument("--_db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_manifest", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._phase:  # inside a child process
        if args._phase == "extract":
            print(json.dumps(phase_extract(args._dir, args._manifest)))
        else:
            print(json.dumps(phase_ingest(args._dir, args._db, args._manifest)))
        return 0

    c = _common()
    m = c.machine()
    print(c.machine_line(m))
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    corpus, db, manifest = work / "corpus", work / "bench.sqlite", work / "manifest.json"
    try:
        if corpus.exists():
            shutil.rmtree(corpus)
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        t0 = time.perf_counter()
        made = generate(corpus, args.pages, seed=args.seed, text=args.text)
        manifest.write_text(json.dumps(made.pop("manifest")), encoding="utf-8")
        print(
            f"generated {args.pages:,} pages ({made['bytes'] / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f}s under {corpus}",
            flush=True,
        )
        base = _child("extract", "--_dir", str(corpus), "--_manifest", str(manifest))
        print(f"extraction alone: {base['seconds']:.1f}s", flush=True)
        first = _child("ingest", "--_dir", str(corpus), "--_db", str(db), "--_manifest", str(manifest))
        print(f"first ingest: {first['seconds']:.1f}s", flush=True)
        second = _child("ingest", "--_dir", str(corpus), "--_db", str(db), "--_manifest", str(manifest))
        print(f"second ingest: {second['seconds']:.1f}s\n", flush=True)
        print(report(made, base, first, second))
        if args.json:
            figures = {"machine": m, "corpus": made, "extraction": base, "ingest": first, "reingest": second}
            args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
            print(f"\nfigures written to {args.json}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
