"""Shared by the sample-corpus builder's modules: paths, the seed page's identity, each outlet's
section labels, small text and date helpers, loading the sources, and the site furniture (the Site
record, cookie banners, section navigation) that article templates and index pages share."""

from __future__ import annotations

import hashlib
import html
import json
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_OUT = ROOT / "src" / "newsdesk" / "sample"

SEED_ID = "seed-biden-zelenskyy"
SEED_URL = "https://worldnewsnow24.example/biden-talks-with-ukrainian-president-over-russian-tensions-border-conflict-news/"
SEED_SOURCE = "https://www.aljazeera.com/news/2021/12/9/biden-zelenskyy-call"
SEED_PUBLISHED = "2021-12-10T09:12:44+00:00"

# How each outlet labels our sections (what a reader sees in nav, breadcrumbs and metadata).
LABELS: dict[str, dict[str, str]] = {
    "harbourtimes": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "northwind": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "civicledger": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "pressline": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sports",
        "science": "Science",
    },
    "dailyorbit": {
        "world": "World",
        "business": "Business",
        "technology": "Tech",
        "sport": "Sports",
        "science": "Science",
    },
    "valleygazette": {
        "world": "World",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sport",
        "science": "Science",
    },
    "worldnewsnow": {
        "world": "World News",
        "business": "Business",
        "technology": "Technology",
        "sport": "Sports",
        "science": "Science",
    },
    "metroexpress": {
        "world": "World News",
        "business": "Money",
        "technology": "Tech",
        "sport": "Sport",
        "science": "Science",
    },
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# -- small helpers ----------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def dt(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def num(key: str, lo: int, hi: int) -> int:
    """A stable number in [lo, hi) derived from a key (for post ids, view counts...)."""
    h = int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)
    return lo + h % (hi - lo)


def ld_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("</", "<\\/")


def rfc822(iso: str) -> str:
    d = dt(iso)
    return f"{DAYS[d.weekday()][:3]}, {d.day:02d} {MONTHS[d.month - 1][:3]} {d.year} {d:%H:%M:%S} +0000"


def long_date(iso: str) -> str:  # "March 2, 2026"
    d = dt(iso)
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def paras(ps: list[str], cls: str | None = None) -> list[str]:
    c = f' class="{cls}"' if cls else ""
    return [f"<p{c}>{esc(p)}</p>" for p in ps]


def label(a: dict[str, Any]) -> str:
    return LABELS.get(a["outlet"], {}).get(a["section"], a["section"].title())


def word_count(ps: list[str]) -> int:
    return sum(len(p.split()) for p in ps)


# -- loading ----------------------------------------------------------------------------------------


def load_sources() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    outlets_doc = json.loads((HERE / "outlets.json").read_text(encoding="utf-8"))
    outlets = {o["slug"]: o for o in outlets_doc["outlets"]}
    events = []
    for path in sorted((HERE / "events").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["_file"] = path.name
        events.append(doc)
    filler = json.loads((HERE / "filler.json").read_text(encoding="utf-8"))
    articles: list[dict[str, Any]] = []
    for ev in events:
        for src in ev["articles"]:
            a = dict(src)
            a["event"] = ev["event"]
            a.setdefault("modified", None)
            a.setdefault("copy", None)
            a.setdefault("tags", [])
            a.setdefault("revisions", [])
            a.setdefault("standfirst", "")
            articles.append(a)
    articles.append(seed_article())
    by_id = {a["id"]: a for a in articles}
    for a in articles:
        copy = a.get("copy") or {}
        original = by_id.get(copy.get("of")) if copy else None
        a["copy_of"] = copy.get("of") if copy else None
        a["copy_kind"] = copy.get("kind") if copy else a.get("copy_kind")
        a["canonical_url"] = a["url"]
        if a["id"] == SEED_ID:
            a["declared_source"] = SEED_SOURCE
        elif copy.get("kind") == "rewritten" and original:
            a["declared_source"] = original["url"]  # the "Source link" anchor
        elif copy.get("kind") == "syndicated" and original:
            a["declared_source"] = original["url"]
            a["canonical_url"] = original["url"]  # rel=canonical points to the original
        else:
            a["declared_source"] = None
        a["original_outlet"] = original["outlet"] if original else None
        delivery = a.get("delivery", "page")
        a["delivery"] = delivery
        if delivery == "page":
            base = f"pages/{a['outlet']}/{a['id']}"
            if a["revisions"]:
                n = len(a["revisions"]) + 1
                a["revision_files"] = [f"{base}-r{i}.html" for i in range(1, n + 1)]
                a["file"] = a["revision_files"][-1]
            else:
                a["file"] = f"{base}.html"
        elif delivery == "feed":
            a["file"] = f"feeds/{a['outlet']}.xml"
        elif delivery == "jsonl":
            a["file"] = f"{a['outlet']}.jsonl"
        else:
            raise SystemExit(f"{a['id']}: unknown delivery {delivery!r}")
    return outlets, events, articles, filler


def seed_article() -> dict[str, Any]:
    """The auto-blog page built around ../shared/seed: its text exactly as given."""
    lines = [line.strip() for line in (HERE / "seed.txt").read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    category, headline = lines[0], lines[1]
    start, end = lines.index("[ad_1]"), lines.index("[ad_2]")
    body = lines[start + 1 : end]
    tail = lines[end + 1 :]
    assert tail == ["Source link", "Related Articles", "Back to top button"], tail
    assert category == "World News"
    return {
        "id": SEED_ID,
        "outlet": "worldnewsnow",
        "section": "world",
        "event": "seed",
        "url": SEED_URL,
        "published": SEED_PUBLISHED,
        "modified": "2021-12-10T09:12:44+00:00",
        "author": "admin",
        "headline": headline,
        "standfirst": body[0],
        "paragraphs": body,
        "tags": ["Biden", "Russia", "Ukraine", "Zelenskyy"],
        "delivery": "page",
        "copy": None,
        "copy_kind": "rewritten",
        "revisions": [],
        "seed": True,
    }


# -- site furniture -------------------------------------------------------------------------------


class Site:
    """Everything a template needs besides the article: other headlines, filler, comments."""

    def __init__(self, outlets: dict[str, Any], articles: list[dict[str, Any]], filler: dict[str, Any]):
        self.outlets = outlets
        self.articles = articles
        self.filler = filler
        self.by_id = {a["id"]: a for a in articles}

    def pages_of(self, outlet: str) -> list[dict[str, Any]]:
        own = [
            a
            for a in self.articles
            if a["outlet"] == outlet and a["delivery"] == "page" and not a.get("seed")
        ]
        return sorted(own, key=lambda a: (a["published"], a["id"]), reverse=True)

    def most_read(self, a: dict[str, Any], n: int = 5) -> list[tuple[str, str]]:
        others = [(o["headline"], o["url"]) for o in self.pages_of(a["outlet"]) if o["id"] != a["id"]]
        start = num(a["id"], 0, max(1, len(others))) if others else 0
        picked = (others[start:] + others[:start])[: n - 2]
        home = self.outlets[a["outlet"]]["home"]
        for title in self.filler["most_read"].get(a["outlet"], []):
            if len(picked) >= n:
                break
            picked.append((title, home + "news/" + slugify(title)))
        return picked

    def related(self, a: dict[str, Any], n: int = 3) -> list[dict[str, Any]]:
        same = [o for o in self.pages_of(a["outlet"]) if o["id"] != a["id"] and o["section"] == a["section"]]
        rest = [o for o in self.pages_of(a["outlet"]) if o["id"] != a["id"] and o["section"] != a["section"]]
        return (same + rest)[:n]

    def comments(self, a: dict[str, Any], n: int) -> list[tuple[str, str]]:
        pool = self.filler["comments"]
        start = num("c" + a["id"], 0, len(pool))
        return [tuple(pool[(start + 3 * i) % len(pool)]) for i in range(n)]  # type: ignore[misc]


def slugify(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isalnum() and ch.isascii():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


COOKIE = {
    "harbourtimes": '<div id="cookie-notice" class="cookie-notice" role="dialog"><p>We use cookies to improve '
    'your experience and to show you relevant advertising. <a href="/privacy">Find out more</a>.'
    '</p><button type="button">Accept all</button> <button type="button">Manage settings</button></div>',
    "northwind": '<div class="consent-banner" role="dialog" aria-label="Cookie consent"><p>Northwind Herald and '
    "our partners use cookies to personalise content and measure audiences.</p><button>Yes, I "
    "agree</button><button>Options</button></div>",
    "civicledger": '<div class="cookie-bar"><span>By continuing to browse you agree to our use of cookies.</span>'
    ' <a href="/cookies">Cookie policy</a> <button>OK</button></div>',
    "dailyorbit": '<div id="gdpr-popup" class="gdpr"><h4>We value your privacy</h4><p>We and our 143 partners '
    'store and access information on your device.</p><button class="btn-accept">Accept</button>'
    '<button class="btn-reject">Reject</button></div>',
    "metroexpress": '<div class="cmp-container"><p>We use cookies and similar technologies. Click “Accept” to '
    "consent.</p><button>Accept</button> <button>More options</button></div>",
}


def nav_links(outlet: str, prefix: str = "/") -> str:
    labels = LABELS[outlet]
    items = "".join(
        f'<li><a href="{prefix}{s}/">{esc(labels[s])}</a></li>'
        for s in ["world", "business", "technology", "science", "sport"]
    )
    return items
