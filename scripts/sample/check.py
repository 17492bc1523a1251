#!/usr/bin/env python3
"""Validate the sample corpus: its sources (scripts/sample/) and the built output (src/newsdesk/sample/).

Hard problems (exit status 1): broken references, duplicate ids or URLs, missing files, counts below
what the corpus promises, feeds that do not parse, pages that do not carry what truth.json says.
Warnings (printed, exit status unaffected): prose outside the suggested length, copies published
before their original, and so on.

It also previews extraction: newsdesk's own extractor (``newsdesk.extract.extract_html``) is run on
every article page -- or raw trafilatura, with ``--engine trafilatura`` -- and a table shows, per page,
how many body paragraphs are missing from its output, how many extra lines it adds, what clutter is
left, and for newsdesk whether the page was rejected and whether the declared source link (the
"Source link" of a spun copy) was recorded. That is information for the pipeline, not a failure of
the corpus.

Usage: python scripts/sample/check.py [--sample DIR] [--no-extract] [--engine newsdesk|trafilatura] [-v]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_SAMPLE = ROOT / "src" / "newsdesk" / "sample"

SECTIONS = {"world", "business", "technology", "sport", "science"}
COPY_KINDS = {"identical", "near", "syndicated", "rewritten"}
DELIVERIES = {"page": None, "feed": {"pressline", "valleygazette"}, "jsonl": {"pressline"}}
CLUTTER = (
    "[ad_",
    "Source link",
    "Related Articles",
    "Back to top",
    "Share this",
    "Subscribe to",
    "Leave a Reply",
    "Recent Posts",
)
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")
REQUIRED = ("id", "outlet", "section", "url", "published", "author", "headline", "paragraphs")


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def norm(text: str) -> str:
    return " ".join(text.split())


def words(ps: list[str]) -> int:
    return sum(len(p.split()) for p in ps)


def tokens(text: str, pattern: str) -> Counter[str]:
    return Counter(re.findall(pattern, text))


# -- sources -------------------------------------------------------------------------------------------


def check_sources(rep: Report) -> None:
    outlets_doc = json.loads((HERE / "outlets.json").read_text(encoding="utf-8"))
    outlets = {o["slug"]: o for o in outlets_doc["outlets"]}
    arts: dict[str, dict[str, Any]] = {}
    urls: dict[str, str] = {}
    events: dict[str, list[str]] = {}
    for path in sorted((HERE / "events").glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            rep.error(f"{path.name}: not valid JSON: {e}")
            continue
        eid = doc.get("event")
        if not eid or not doc.get("title") or not doc.get("articles"):
            rep.error(f"{path.name}: needs 'event', 'title' and a non-empty 'articles'")
            continue
        if path.stem != eid:
            rep.warn(f"{path.name}: file name does not match event id {eid!r}")
        if eid in events:
            rep.error(f"{path.name}: event id {eid} used twice")
        events[eid] = []
        for a in doc["articles"]:
            aid = a.get("id", "?")
            where = f"{path.name}:{aid}"
            missing = [k for k in REQUIRED if not a.get(k)]
            if missing:
                rep.error(f"{where}: missing {missing}")
                continue
            if aid in arts:
                rep.error(f"{where}: duplicate id")
            arts[aid] = {**a, "_event": eid, "_where": where}
            events[eid].append(aid)
            if a["outlet"] not in outlets:
                rep.error(f"{where}: unknown outlet {a['outlet']!r}")
                continue
            o = outlets[a["outlet"]]
            if not a["url"].startswith(f"https://{o['domain']}/"):
                rep.error(f"{where}: url {a['url']} is not on {o['domain']}")
            if a["url"] in urls:
                rep.error(f"{where}: url already used by {urls[a['url']]}")
            urls[a["url"]] = aid
            if a["section"] not in SECTIONS:
                rep.warn(f"{where}: section {a['section']!r} is not one of {sorted(SECTIONS)}")
            for key in ("published", "modified"):
                v = a.get(key)
                if v is not None and not ISO.match(v):
                    rep.error(f"{where}: {key} {v!r} is not YYYY-MM-DDTHH:MM:SS+00:00")
            if ISO.match(a["published"]) and not ("2026-03-01" <= a["published"][:10] <= "2026-03-12"):
                rep.warn(f"{where}: published {a['published']} outside 2026-03-01..12")
            if a.get("modified") and a["modified"] <= a["published"]:
                rep.error(f"{where}: modified is not after published")
            delivery = a.get("delivery", "page")
            if delivery not in DELIVERIES:
                rep.error(f"{where}: delivery {delivery!r}")
            elif DELIVERIES[delivery] and a["outlet"] not in DELIVERIES[delivery]:
                rep.error(f"{where}: delivery {delivery!r} is only for {sorted(DELIVERIES[delivery])}")
            if a["outlet"] in ("worldnewsnow",) and (a.get("copy") or {}).get("kind") != "rewritten":
                rep.warn(f"{where}: worldnewsnow is an auto-blog; its articles should be 'rewritten' copies")
            ps = a["paragraphs"]
            if not all(isinstance(p, str) and p.strip() for p in ps):
                rep.error(f"{where}: empty or non-string paragraph")
            if any(p != p.strip() or "\n" in p for p in ps):
                rep.error(f"{where}: a paragraph has surrounding whitespace or a newline")
            if not a.get("copy"):
                if not 5 <= len(ps) <= 10:
                    rep.warn(f"{where}: {len(ps)} paragraphs (suggested 5-10)")
                if not 180 <= words(ps) <= 450:
                    rep.warn(f"{where}: {words(ps)} words (suggested 180-450)")
            for p in [*ps, a["headline"]]:
                for c in CLUTTER:
                    if c.lower() in p.lower():
                        rep.error(f"{where}: text contains the clutter marker {c!r}: {p[:60]!r}")
            for r in a.get("revisions") or []:
                if not r.get("paragraphs"):
                    rep.error(f"{where}: a revision without paragraphs")
                if r.get("paragraphs") == ps and r.get("headline", a["headline"]) == a["headline"]:
                    rep.error(f"{where}: a revision identical to the final text")
    # copies
    for a in arts.values():
        copy = a.get("copy")
        if not copy:
            continue
        where = a["_where"]
        orig = arts.get(copy.get("of"))
        if orig is None:
            rep.error(f"{where}: copy of unknown id {copy.get('of')!r}")
            continue
        kind = copy.get("kind")
        if kind not in COPY_KINDS:
            rep.error(f"{where}: copy kind {kind!r}")
        if orig["_event"] != a["_event"]:
            rep.error(f"{where}: copies {orig['id']} from another event")
        if orig["outlet"] == a["outlet"]:
            rep.warn(f"{where}: copies its own outlet")
        if orig.get("copy"):
            rep.warn(f"{where}: copies {orig['id']}, which is itself a copy")
        if a["published"] < orig["published"]:
            rep.warn(
                f"{where}: published {a['published']} before its original {orig['id']} ({orig['published']})"
            )
        a_text, o_text = "\n".join(a["paragraphs"]), "\n".join(orig["paragraphs"])
        ratio = difflib.SequenceMatcher(None, a_text, o_text, autojunk=False).ratio()
        if kind in ("identical", "syndicated") and a["paragraphs"] != orig["paragraphs"]:
            rep.error(f"{where}: {kind} copy but paragraphs differ from {orig['id']}")
        if kind == "near" and (a["paragraphs"] == orig["paragraphs"] or ratio < 0.8):
            rep.warn(f"{where}: 'near' copy has similarity {ratio:.2f} to {orig['id']} (expected 0.8-1)")
        if kind == "rewritten":
            if ratio > 0.95:
                rep.warn(f"{where}: 'rewritten' copy is almost verbatim ({ratio:.2f})")
            nums_a, nums_o = tokens(a_text, r"\d[\d,.]*\d|\d"), tokens(o_text, r"\d[\d,.]*\d|\d")
            if nums_a != nums_o:
                rep.warn(
                    f"{where}: rewritten copy changes numbers: {dict(nums_o - nums_a)} -> {dict(nums_a - nums_o)}"
                )
    # events
    for eid, ids in events.items():
        outs = {arts[i]["outlet"] for i in ids if i in arts}
        if len(outs) < 2:
            rep.warn(f"event {eid}: covered by {len(outs)} outlet(s)")
    # "most of them covered by 2 to 5 outlets in their own words" (copies do not count)
    own = {
        eid: {arts[i]["outlet"] for i in ids if i in arts and not arts[i].get("copy")}
        for eid, ids in events.items()
    }
    typical = [eid for eid, outs in own.items() if 2 <= len(outs) <= 5]
    if len(typical) * 2 <= len(events):
        rep.error(
            f"only {len(typical)} of {len(events)} events are reported by 2-5 outlets in their own words"
        )
    for eid, outs in own.items():
        if len(outs) > 6 or len(outs) < 1:
            rep.warn(f"event {eid}: {len(outs)} outlets report it in their own words (suggested 2-5)")


# -- output --------------------------------------------------------------------------------------------


def check_output(sample: Path, rep: Report) -> dict[str, Any]:
    import feedparser
    from lxml import html as lhtml

    truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))
    arts = truth["articles"]
    stats: dict[str, Any] = {}
    # every file listed exists, every page file is accounted for
    listed: set[str] = set()
    for aid, t in arts.items():
        files = t.get("revision_files") or [t["file"]]
        for f in files:
            listed.add(f)
            if not (sample / f).is_file():
                rep.error(f"{aid}: file {f} missing")
        if t["copy_of"] and t["copy_of"] not in arts:
            rep.error(f"{aid}: copy_of {t['copy_of']} not in truth")
        if t["event"] not in truth["events"] or aid not in truth["events"][t["event"]]["articles"]:
            rep.error(f"{aid}: not listed under its event {t['event']}")
    for rel in truth["non_articles"]:
        listed.add(rel)
        if not (sample / rel).is_file():
            rep.error(f"non-article {rel} missing")
    for path in sorted((sample / "pages").rglob("*")):
        rel = path.relative_to(sample).as_posix()
        if path.is_file() and rel not in listed:
            rep.error(f"{rel}: page not described in truth.json")
    urls = Counter(t["url"] for t in arts.values())
    for u, n in urls.items():
        if n > 1:
            rep.error(f"url {u} used by {n} articles")

    page_ids = sorted(a for a, t in arts.items() if t["file"].startswith("pages/"))
    multi = [e for e, ev in truth["events"].items() if len({arts[i]["outlet"] for i in ev["articles"]}) >= 2]
    stats.update(
        articles=len(arts),
        pages=len(page_ids),
        page_files=len(list((sample / "pages").rglob("*.html"))),
        outlets=len({t["outlet"] for t in arts.values()}),
        sections=sorted({t["section"] for t in arts.values()}),
        events=len(truth["events"]),
        multi_outlet_events=len(multi),
        copy_kinds=dict(Counter(t["copy_kind"] for t in arts.values() if t["copy_kind"])),
        deliveries=dict(Counter(t.get("delivery", "page") for t in arts.values())),
        revised=[a for a, t in arts.items() if t.get("revision_files")],
        non_articles=dict(Counter(truth["non_articles"].values())),
    )
    if stats["pages"] < 60:
        rep.error(f"only {stats['pages']} article pages (need >= 60)")
    if stats["outlets"] < 6:
        rep.error(f"only {stats['outlets']} outlets (need >= 6)")
    if len(stats["sections"]) < 4:
        rep.error(f"only {len(stats['sections'])} sections (need >= 4)")
    if stats["multi_outlet_events"] < 10:
        rep.error(f"only {stats['multi_outlet_events']} events covered by >= 2 outlets (need >= 10)")
    if not {"identical", "rewritten", "syndicated"} <= set(stats["copy_kinds"]):
        rep.error(f"copy kinds present: {stats['copy_kinds']}")
    if "index-page" not in stats["non_articles"]:
        rep.error("no section index page")

    # pages carry what the truth says
    for aid in page_ids:
        t = arts[aid]
        doc = lhtml.fromstring((sample / t["file"]).read_bytes())
        if doc.get("lang", "")[:2] != "en":
            rep.error(f"{aid}: <html lang> is {doc.get('lang')!r}")
        canon = doc.xpath('//link[@rel="canonical"]/@href')
        if canon != [t["canonical_url"]]:
            rep.error(f"{aid}: canonical {canon} != {t['canonical_url']}")
        h1 = [norm(h.text_content()) for h in doc.xpath("//h1")]
        if h1 != [norm(t["title"])]:
            rep.error(f"{aid}: <h1> {h1} != title")
        ptexts = {norm(p.text_content()) for p in doc.xpath("//p")}
        lost = [p for p in t["paragraphs"] if norm(p) not in ptexts]
        if lost:
            rep.error(f"{aid}: {len(lost)} paragraph(s) not found as a whole <p>: {lost[0][:60]!r}")
        if t["declared_source"] and t["copy_kind"] == "rewritten":
            hrefs = doc.xpath('//a[normalize-space(.)="Source link"]/@href')
            if hrefs != [t["declared_source"]]:
                rep.error(f"{aid}: Source link {hrefs} != {t['declared_source']}")
    for rel, kind in truth["non_articles"].items():
        doc = lhtml.fromstring((sample / rel).read_bytes())
        if kind == "index-page" and len(doc.xpath("//main//a[h2 or h3] | //main//h2/a | //main//h3/a")) < 15:
            rep.error(f"{rel}: fewer than 15 headline links")

    # feeds
    feeds = sorted((sample / "feeds").glob("*.xml"))
    stats["feeds"] = len(feeds)
    feed_versions = {}
    for path in feeds:
        rel = path.relative_to(sample).as_posix()
        parsed = feedparser.parse(path.read_bytes())
        if rel in truth["malformed"]:
            good = [e for e in parsed.entries if e.get("link") and e.get("title")]
            if not parsed.bozo:
                rep.error(f"{rel}: meant to be malformed, but feedparser is happy with it")
            if good:
                rep.warn(f"{rel}: malformed feed still yields {len(good)} entries with title and link")
            continue
        feed_versions[rel] = parsed.version
        if parsed.bozo:
            rep.error(f"{rel}: feedparser bozo: {parsed.get('bozo_exception')}")
        if not parsed.entries:
            rep.error(f"{rel}: no entries")
        for e in parsed.entries:
            link = e.get("link")
            hits = [a for a, t in arts.items() if t["url"] == link]
            if not hits:
                rep.error(f"{rel}: entry link {link} is not an article of the corpus")
                continue
            t = arts[hits[0]]
            if norm(e.get("title", "")) != norm(t["title"]):
                rep.error(f"{rel}: entry title {e.get('title')!r} != {t['title']!r}")
            if t["file"] == rel:  # a full-text entry: every paragraph is in it
                content = " ".join(c.get("value", "") for c in e.get("content", []))
                text = norm(lhtml.fromstring(f"<div>{content}</div>").text_content()) if content else ""
                lost = [p for p in t["paragraphs"] if norm(p) not in text]
                if lost:
                    rep.error(f"{rel}: entry for {hits[0]} lacks {len(lost)} paragraph(s)")
    stats["feed_versions"] = feed_versions
    for aid, t in arts.items():
        if t["file"].startswith("feeds/"):
            parsed = feedparser.parse((sample / t["file"]).read_bytes())
            if t["url"] not in {e.get("link") for e in parsed.entries}:
                rep.error(f"{aid}: not in {t['file']}")
    # jsonl
    jsonl_ids = [a for a, t in arts.items() if t["file"].endswith(".jsonl")]
    by_url = {}
    for rel in sorted({arts[a]["file"] for a in jsonl_ids}):
        for n, line in enumerate((sample / rel).read_text(encoding="utf-8").splitlines(), 1):
            rec = json.loads(line)
            if not (
                {"url", "title", "published", "source"} <= rec.keys() and ("html" in rec or "text" in rec)
            ):
                rep.error(f"{rel}:{n}: record lacks required keys")
            by_url[rec["url"]] = rec
    for aid in jsonl_ids:
        rec = by_url.get(arts[aid]["url"])
        if rec is None:
            rep.error(f"{aid}: not in {arts[aid]['file']}")
            continue
        body = rec.get("text") or norm(lhtml.fromstring(f"<div>{rec['html']}</div>").text_content())
        if [p for p in arts[aid]["paragraphs"] if norm(p) not in norm(body)]:
            rep.error(f"{aid}: JSONL record lacks paragraphs")
    # opml
    from lxml import etree

    opml = etree.parse(str(sample / "sources.opml"))
    xml_urls = opml.xpath("//outline/@xmlUrl")
    stats["opml_feeds"] = len(xml_urls)
    size = sum(p.stat().st_size for p in sample.rglob("*") if p.is_file())
    stats["bytes"] = size
    if size > 2_000_000:
        rep.error(f"sample is {size:,} bytes (limit 2 MB)")
    return truth


# -- extraction preview ----------------------------------------------------------------------------------


def _run_newsdesk(html: str, t: dict[str, Any]) -> tuple[str, list[str], str]:
    """(text, lines allowed besides the body, note) from newsdesk.extract.extract_html."""
    if str(ROOT / "src") not in sys.path:  # run from a checkout without an installed newsdesk
        sys.path.insert(0, str(ROOT / "src"))
    from newsdesk.extract import extract_html
    from newsdesk.urls import normalize_url

    result = extract_html(html)
    text = getattr(result, "text", None)
    if text is None:  # a Rejected
        reason = getattr(getattr(result, "reason", None), "value", "?")
        return "", [], f"REJECTED {reason}"
    notes = []
    # the page's own description (the standfirst) may lead the body: the outlet's text, not clutter
    allowed = [norm(result.description or "")]
    declared = t.get("declared_source")
    if declared:
        got = {s.url for s in result.source_links}
        notes.append("source ok" if normalize_url(declared) in got else "SOURCE MISSING")
    if norm(result.title) != norm(t["title"]):
        notes.append("TITLE")
    return text, allowed, " ".join(notes)


def _flagged(note: str) -> bool:
    return any(w in note for w in ("REJECTED", "MISSING", "TITLE"))


def _run_trafilatura(html: str, t: dict[str, Any]) -> tuple[str, list[str], str]:
    import trafilatura

    return trafilatura.extract(html, url=t["url"], include_comments=False) or "", [], ""


def preview(sample: Path, truth: dict[str, Any], verbose: bool, engine: str = "newsdesk") -> None:
    run = _run_newsdesk if engine == "newsdesk" else _run_trafilatura
    arts = truth["articles"]
    rows = []
    for aid in sorted(a for a, t in arts.items() if t["file"].startswith("pages/")):
        t = arts[aid]
        html = (sample / t["file"]).read_text(encoding="utf-8")
        out, allowed, note = run(html, t)
        lines = [norm(x) for x in out.split("\n") if x.strip()]
        line_set = set(lines)
        want = [norm(p) for p in t["paragraphs"]]
        missing = [p for p in want if p not in line_set]
        extra = [x for x in lines if x not in set(want) | set(allowed)]
        clutter = [c for c in CLUTTER if c.lower() in out.lower()]
        rows.append((aid, t["outlet"], len(want), len(missing), len(extra), clutter, missing, extra, note))
    title = (
        "newsdesk.extract.extract_html(html)"
        if engine == "newsdesk"
        else "trafilatura.extract(html, url=..., include_comments=False)"
    )
    print(f"\nExtraction preview ({title}):")
    print(f"{'article':28} {'outlet':14} {'paras':>5} {'missing':>7} {'extra':>5}  {'clutter':14} note")
    for aid, outlet, n, miss, extra, clutter, missing, extras, note in rows:
        print(f"{aid:28} {outlet:14} {n:5} {miss:7} {extra:5}  {','.join(clutter):14} {note}")
        if verbose:
            for p in missing:
                print(f"      - missing: {p[:90]}")
            for x in extras:
                print(f"      + extra:   {x[:90]}")
    per_outlet: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for _aid, outlet, n, miss, extra, clutter, _m, _e, note in rows:
        s = per_outlet[outlet]
        s[0] += 1
        s[1] += n
        s[2] += miss
        s[3] += extra
        s[4] += bool(clutter)
        s[5] += _flagged(note)
    print(
        f"\n{'outlet':14} {'pages':>5} {'paras':>6} {'missing':>7} {'extra':>6} {'w/clutter':>9} {'flagged':>7}"
    )
    for outlet, (pages, n, miss, extra, cl, fl) in sorted(per_outlet.items()):
        print(f"{outlet:14} {pages:5} {n:6} {miss:7} {extra:6} {cl:9} {fl:7}")
    tot = [sum(s[i] for s in per_outlet.values()) for i in range(6)]
    perfect = sum(1 for r in rows if r[3] == 0 and r[4] == 0 and not r[5] and not _flagged(r[8]))
    print(f"{'total':14} {tot[0]:5} {tot[1]:6} {tot[2]:7} {tot[3]:6} {tot[4]:9} {tot[5]:7}")
    print(f"pages extracted exactly (no missing, no extra, no clutter, not flagged): {perfect}/{len(rows)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    ap.add_argument("--no-extract", action="store_true", help="skip the extraction preview")
    ap.add_argument(
        "--engine",
        choices=("newsdesk", "trafilatura"),
        default="newsdesk",
        help="extractor for the preview: newsdesk.extract.extract_html (default) or raw trafilatura",
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="list missing and extra lines")
    args = ap.parse_args(argv)
    rep = Report()
    check_sources(rep)
    truth = None
    if (args.sample / "truth.json").is_file():
        truth = check_output(args.sample, rep)
    else:
        rep.error(f"{args.sample}/truth.json missing: run scripts/sample/build.py")
    if truth is not None and not args.no_extract:
        preview(args.sample, truth, args.verbose, args.engine)
    if truth is not None:
        arts = truth["articles"]
        print("\nSummary:")
        print(
            f"  articles: {len(arts)}; article pages: {sum(1 for t in arts.values() if t['file'].startswith('pages/'))}"
            f"; page files: {len(list((args.sample / 'pages').rglob('*.html')))}"
        )
        print(
            f"  outlets: {len({t['outlet'] for t in arts.values()})}; sections: "
            f"{dict(Counter(t['section'] for t in arts.values()))}"
        )
        multi = [
            e for e, ev in truth["events"].items() if len({arts[i]["outlet"] for i in ev["articles"]}) >= 2
        ]
        print(f"  events: {len(truth['events'])} ({len(multi)} covered by >= 2 outlets)")
        print(f"  deliveries: {dict(Counter(t.get('delivery', 'page') for t in arts.values()))}")
        print(f"  copies: {dict(Counter(t['copy_kind'] for t in arts.values() if t['copy_kind']))}")
        print(f"  revised articles: {[a for a, t in arts.items() if t.get('revision_files')]}")
        print(f"  non-articles: {truth['non_articles']}; malformed: {truth['malformed']}")
        feeds = sorted(p.name for p in (args.sample / "feeds").glob("*.xml"))
        size = sum(p.stat().st_size for p in args.sample.rglob("*") if p.is_file())
        print(f"  feeds: {feeds}; total size: {size:,} bytes")
    for w in rep.warnings:
        print(f"WARNING: {w}")
    for e in rep.errors:
        print(f"ERROR: {e}")
    print(f"\n{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
