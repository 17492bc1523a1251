"""The sample corpus against its recorded truth: extraction quality, rejections, and a full ingest.

The truth (src/newsdesk/sample/truth.json) is written by the corpus builder from the same sources it
renders pages from, so these tests check extraction against what the page was made of.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from newsdesk import Article, Fetched, Rejected, SearchFilters, extract, normalize_url, open_desk
from newsdesk.extract import category_for

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


def norm(text: str) -> str:
    return " ".join(text.split())


def page_articles(truth: dict[str, Any]) -> list[str]:
    return sorted(aid for aid, a in truth["articles"].items() if a["file"].startswith("pages/"))


def extract_file(sample_dir: Path, rel: str) -> Article | Rejected:
    path = sample_dir / rel
    return extract(Fetched(url=None, body=path.read_bytes(), origin=str(path)))


def test_corpus_is_as_large_and_varied_as_promised(truth: dict[str, Any], sample_dir: Path) -> None:
    arts = truth["articles"]
    pages = page_articles(truth)
    assert len(pages) >= 60
    assert len({a["outlet"] for a in arts.values()}) >= 6
    assert len({a["section"] for a in arts.values()}) >= 4
    multi = [e for e in truth["events"].values() if len({arts[i]["outlet"] for i in e["articles"]}) >= 2]
    assert len(multi) >= 10
    kinds = {a["copy_kind"] for a in arts.values() if a.get("copy_kind")}
    assert {"identical", "rewritten", "syndicated"} <= kinds
    assert any(a.get("revision_files") for a in arts.values())
    assert "index-page" in truth["non_articles"].values()
    assert truth["malformed"]
    feeds = list((sample_dir / "feeds").glob("*.xml"))
    assert len(feeds) >= 4


@pytest.fixture(scope="module")
def extracted(truth: dict[str, Any], sample_dir: Path) -> dict[str, Article | Rejected]:
    return {aid: extract_file(sample_dir, truth["articles"][aid]["file"]) for aid in page_articles(truth)}


def test_every_page_article_is_extracted_whole_and_clean(
    truth: dict[str, Any], extracted: dict[str, Article | Rejected]
) -> None:
    problems = []
    for aid, result in extracted.items():
        t = truth["articles"][aid]
        if not isinstance(result, Article):
            problems.append(f"{aid}: rejected {result.reason.value}: {result.detail}")
            continue
        lines = {norm(line) for line in result.text.split("\n")}
        missing = [p for p in t["paragraphs"] if norm(p) not in lines]
        if missing:
            problems.append(f"{aid}: {len(missing)} paragraph(s) missing, first: {missing[0][:80]!r}")
        # the standfirst (the page's own description) is the outlet's text too, and may lead the body
        allowed = {norm(p) for p in t["paragraphs"]} | {norm(result.description or "")}
        extra = [line for line in result.text.split("\n") if norm(line) not in allowed]
        if extra:
            problems.append(f"{aid}: extra line(s) {extra[:2]!r}")
        for c in CLUTTER:
            if c.lower() in result.text.lower():
                problems.append(f"{aid}: clutter {c!r} left in text")
        if norm(result.title) != norm(t["title"]):
            problems.append(f"{aid}: title {result.title!r} != {t['title']!r}")
    assert not problems, "\n".join(problems)


def test_metadata_matches_the_truth(truth: dict[str, Any], extracted: dict[str, Article | Rejected]) -> None:
    problems = []
    for aid, result in extracted.items():
        t = truth["articles"][aid]
        assert isinstance(result, Article), aid
        want_cat = category_for(t["section"]) or t["section"]
        if result.category != want_cat:
            problems.append(
                f"{aid}: category {result.category!r} (section {result.section!r}) != {want_cat!r}"
            )
        if t.get("published") and (
            result.published is None or result.published.isoformat() != t["published"].replace("Z", "+00:00")
        ):
            problems.append(f"{aid}: published {result.published} != {t['published']}")
        if t.get("author") and t["author"] != "admin" and norm(result.byline or "") != norm(t["author"]):
            problems.append(f"{aid}: byline {result.byline!r} != {t['author']!r}")
        if result.language != "en":
            problems.append(f"{aid}: language {result.language!r}")
        own = normalize_url(t["url"])
        canonical = normalize_url(t["canonical_url"])
        if canonical != own:  # a syndicated copy: identity is its own URL, the original is declared
            if result.canonical_url != own or canonical not in {s.url for s in result.source_links}:
                problems.append(f"{aid}: cross-site canonical not handled ({result.canonical_url})")
        elif result.canonical_url != own:
            problems.append(f"{aid}: canonical {result.canonical_url} != {own}")
        declared = t.get("declared_source")
        if declared and normalize_url(declared) not in {s.url for s in result.source_links}:
            problems.append(f"{aid}: declared source {declared} not recorded ({result.source_links})")
        if not declared and canonical == own and result.source_links:
            problems.append(f"{aid}: spurious source links {result.source_links}")
    assert not problems, "\n".join(problems)


def test_the_seed_autoblog_page(truth: dict[str, Any], sample_dir: Path) -> None:
    """The real auto-blog text of ../shared/seed, in a WordPress theme: clutter out, body in, source kept."""
    (aid,) = [a for a, t in truth["articles"].items() if t["event"] == "seed"]
    t = truth["articles"][aid]
    result = extract_file(sample_dir, t["file"])
    assert isinstance(result, Article)
    lines = [norm(line) for line in result.text.split("\n")]
    assert lines == [norm(p) for p in t["paragraphs"]]
    for c in ("[ad_1]", "[ad_2]", "Source link", "Related Articles", "Back to top button"):
        assert c not in result.text
    assert lines[0].startswith("US President Joe Biden has spoken")
    assert [s.url for s in result.source_links] == [normalize_url(t["declared_source"])]


def test_non_articles_are_rejected_with_the_right_reason(truth: dict[str, Any], sample_dir: Path) -> None:
    for rel, reason in truth["non_articles"].items():
        result = extract_file(sample_dir, rel)
        assert isinstance(result, Rejected), rel
        assert result.reason.value == reason, (rel, result.detail)


def test_whole_corpus_ingest(tmp_path: Path, truth: dict[str, Any], sample_dir: Path) -> None:
    db = tmp_path / "sample.sqlite"
    with open_desk(db) as desk:
        report = desk.ingest([sample_dir])
        stored = {a.article.canonical_url: a for a in desk.articles()}
        broken = {Path(b.origin.split("#")[0]).relative_to(sample_dir).as_posix() for b in report.broken}
        assert set(truth["malformed"]) <= broken
        assert {r.reason.value for r in report.rejected} <= {"index-page", "error-page"}
        assert len(report.rejected) == len(truth["non_articles"])
        for aid, t in truth["articles"].items():
            url = normalize_url(t["url"])
            assert url in stored, f"{aid} ({t['file']}) not stored"
            got = stored[url]
            if t.get("revision_files"):
                assert got.revisions == len(t["revision_files"]), aid
            body = [
                line
                for line in got.article.text.split("\n")
                if norm(line) != norm(got.article.description or "")
            ]
            assert [norm(x) for x in body] == [norm(p) for p in t["paragraphs"]], aid
        assert len(stored) == len(truth["articles"])
        assert report.new == len(truth["articles"])
        assert report.summary_pending == [], [e.url for e in report.summary_pending]
        again = desk.ingest([sample_dir])
        assert (again.new, again.updated) == (0, 0)
        hits = desk.search("strike")
        assert all(re.search("strike", h.title + h.snippet, re.IGNORECASE) for h in hits)
        assert desk.check() == []


def test_one_outlet_is_one_source_however_its_articles_came(
    truth: dict[str, Any], sample_store: Path
) -> None:
    """Pressline's articles came as pages, as entries of a feed titled "Pressline – Top News" and as
    JSONL records: all of them are Pressline's, and the feed keeps its own title as its name."""
    with open_desk(sample_store) as desk:
        names: dict[str, set[str | None]] = {}
        for t in truth["articles"].values():
            names.setdefault(t["outlet"], set()).add(desk.get_article(normalize_url(t["url"])).article.source)
        assert all(len(n) == 1 for n in names.values()), names
        assert names["pressline"] == {"Pressline"}
        pressline = [t["url"] for t in truth["articles"].values() if t["outlet"] == "pressline"]
        listed = desk.latest(100, SearchFilters(source="Pressline"))
        assert {a.id for a in listed} == {desk.get_article(normalize_url(u)).id for u in pressline}
        assert "Pressline – Top News" in {s.name for s in desk.sources()}


def test_provenance_matches_the_truth(truth: dict[str, Any], sample_store: Path) -> None:
    """Every copy in the corpus is found with its kind and its true original; nothing else is."""
    with open_desk(sample_store) as desk:
        by_id = {desk.get_article(normalize_url(a["url"])).id: aid for aid, a in truth["articles"].items()}
        predicted = {(by_id[e.copy_id], by_id[e.original_id], e.kind.value) for e in desk.copy_edges()}
        early = [e for e in desk.copy_edges() if "BEFORE" in e.evidence["time_order"]]
    gold = {(aid, a["copy_of"], a["copy_kind"]) for aid, a in truth["articles"].items() if a["copy_of"]}
    assert predicted == gold
    assert early, "the corpus has copies published before their originals; evidence must say so"


def test_provenance_commands(truth: dict[str, Any], sample_store: Path) -> None:
    import json

    from .conftest import invoke_cli

    spun = truth["articles"]["e12-worldnewsnow"]
    r = invoke_cli("--db", str(sample_store), "copies", "--json", spun["url"])
    assert r.returncode == 0, r.stderr
    group = json.loads(r.stdout)
    original_url = normalize_url(truth["articles"][spun["copy_of"]]["url"])
    mine = [e for e in group["copies"] if e["copy"]["url"] == normalize_url(spun["url"])]
    assert mine and mine[0]["kind"] == "rewritten" and mine[0]["original"]["url"] == original_url
    assert mine[0]["evidence"]["declared_link"] == normalize_url(spun["declared_source"])
    r = invoke_cli("--db", str(sample_store), "copies", spun["url"])
    assert "rewritten" in r.stdout and "declares" in r.stdout
    r = invoke_cli("--db", str(sample_store), "source-report", "--json")
    report = {row["source"]: row for row in json.loads(r.stdout)}
    # its only "own" article is the seed page, whose original (another site) is not in the corpus
    assert report["World News Now 24"]["originals"] == 1
    assert report["World News Now 24"]["by_kind"] == {"rewritten": 3}
    r = invoke_cli("--db", str(sample_store), "export")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    kinds = {row["copy_kind"] for row in rows}
    assert {"identical", "near", "syndicated", "rewritten", None} <= kinds
    r = invoke_cli("--db", str(sample_store), "originals", "-n", "500")
    assert r.stdout.count("World News Now 24") == 1
