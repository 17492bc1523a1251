"""Copy detection and original election, on texts written for these tests."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk import CopyKind, Desk, EntryHints, Fetched, open_desk
from newsdesk import provenance as pv
from newsdesk.provenance._compare import _split_sentences
from newsdesk.store._texts import register
from newsdesk.store._vectors import first, unpack
from newsdesk.store.sqlite import _migrations, _statements

from .._imports import newsdesk_imports, reachable

ORIGINAL = """KESTREL BAY, March 3 (Pressline) - The Kestrel Bay bridge was closed on Monday after engineers found a crack in a main girder, diverting about 40,000 vehicles a day onto the ring roads.
"We will not take any risks with public safety," said council leader Anna Verhoeven, adding that the inspection would take at least three weeks to complete.
Local businesses warned the closure could cost them up to 2 million crowns in lost trade, and ferry operator Bayline added six extra crossings from Tuesday morning.
The bridge, opened in 1974, carries the main road between the harbour district and the eastern suburbs and was last renovated twelve years ago.
A report commissioned by the council in 2019 had recommended replacing the central span within a decade, at an estimated cost of 180 million crowns.
Opposition councillor Tomas Reyk said the closure showed years of neglect. "This was predictable and it was predicted," he told reporters outside the town hall.
Engineers from the firm Strand & Koll will use ultrasound scanners to map the crack, which is about 35 centimetres long, before deciding whether the span can be braced."""

SPUN = """KESTREL BAY, March 3 (Pressline) - The Kestrel Bay overpass was shut on Monday after technicians discovered a fissure in a principal girder, rerouting roughly 40,000 automobiles each day onto the ring highways.
"We will not take any risks with public safety," stated council chief Anna Verhoeven, including that the examination would need no less than three weeks to finish.
Nearby companies cautioned the shutdown might cost them as much as 2 million crowns in misplaced commerce, and ferry firm Bayline included six additional crossings from Tuesday morning.
The overpass, inaugurated in 1974, bears the primary route linking the harbour area and the eastern outskirts and was final refurbished twelve years in the past.
A study ordered by the council in 2019 had advised changing the central span inside a decade, at an approximated expense of 180 million crowns.
Opposition councillor Tomas Reyk stated the shutdown demonstrated years of disregard. "This was predictable and it was predicted," he informed journalists exterior the city hall.
Technicians from the agency Strand & Koll will utilize ultrasound scanners to chart the fissure, which is round 35 centimetres lengthy, earlier than determining whether or not the span may be reinforced."""

INDEPENDENT = """Thousands of drivers faced long queues on Monday evening as the closure of Kestrel Bay's only road bridge pushed traffic onto the ring roads for the first time in decades.
Council leader Anna Verhoeven said safety came first. "We will not take any risks with public safety," she said at a hastily arranged briefing, and asked commuters to use the ferries.
The problem was spotted during a routine inspection, when a member of the maintenance crew noticed rust stains spreading from a joint beneath the deck.
Shopkeepers in the harbour district were already counting the cost. Ilse Marten, who runs a bakery near the northern ramp, said her morning trade had halved.
The town's transport office expects the ring roads to carry roughly 40,000 extra vehicles a day while the crossing is shut, and police have added patrols at the busiest junctions.
The bridge dates from 1974. Critics have long argued that the council delayed repairs to keep local taxes down, a charge the council denies.
Bayline, the ferry company, said it would run extra boats from Tuesday, and that season tickets would be honoured on every crossing until the bridge reopens."""

T0 = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


def doc(url: str, text: str, when: datetime, html: str | None = None, source: str = "x") -> Fetched:
    if html is not None:
        return Fetched(
            url=url,
            body=html.encode(),
            origin=url,
            source=source,
            hints=EntryHints(title="Bridge closed", published=when),
        )
    return Fetched(
        url=url,
        body=b"",
        origin=url,
        source=source,
        hints=EntryHints(title="Bridge closed", text=text, published=when),
    )


def test_fingerprints_are_stable_and_fit_sqlite_integers() -> None:
    a, b = pv.fingerprint(ORIGINAL), pv.fingerprint(ORIGINAL)
    assert a == b
    assert all(-(2**63) <= k < 2**63 for k in (*a.text_keys, *a.anchor_keys))
    assert len(a.text_keys) == pv.TEXT_PERMS // pv.TEXT_ROWS


def test_kinds_by_text() -> None:
    boiler = "Share this article\n" + ORIGINAL.replace("\n", "  \n") + "\nFollow us for more."
    assert pv.compare(ORIGINAL, ORIGINAL.upper()).kind == "identical"
    assert pv.compare(ORIGINAL, boiler).kind == "near"
    truncated = "\n".join(ORIGINAL.split("\n")[:4])
    assert pv.compare(ORIGINAL, truncated).kind == "near"
    spun = pv.compare(ORIGINAL, SPUN)
    assert spun.kind == "rewritten", spun
    assert "40000" in spun.shared_figures and "1974" in spun.shared_figures
    assert any("public safety" in q for q in spun.shared_quotes)
    independent = pv.compare(ORIGINAL, INDEPENDENT)
    assert independent.kind is None, independent


def test_the_lsh_index_proposes_copies_but_not_the_independent_report() -> None:
    o, s, i = pv.fingerprint(ORIGINAL), pv.fingerprint(SPUN), pv.fingerprint(INDEPENDENT)
    assert set(o.anchor_keys) & set(s.anchor_keys)  # the rewording keeps the facts in order
    near = pv.fingerprint("\n".join(ORIGINAL.split("\n")[:5]))
    assert set(o.text_keys) & set(near.text_keys)
    assert not set(o.text_keys) & set(i.text_keys)


def test_election_prefers_declared_links_then_credits_then_time() -> None:
    early = pv.Member(1, "https://a.example/1", "Metro", T0 - timedelta(hours=2), words=200)
    wire = pv.Member(2, "https://wire.example/1", "Pressline", T0, words=210)
    copier = pv.Member(
        3,
        "https://c.example/1",
        "Daily",
        T0 + timedelta(hours=1),
        declared=frozenset({"https://wire.example/1"}),
        words=200,
    )
    assert pv.elect([early, wire, copier]).original == 2
    credited = pv.Member(
        4,
        "https://d.example/1",
        "Daily",
        T0 - timedelta(minutes=20),
        credits=frozenset({"pressline"}),
        words=190,
    )
    assert pv.elect([credited, wire]).original == 2  # a late wire feed still wins
    # hours apart, time decides; within the clock-skew window a clearly fuller text wins
    later = pv.Member(5, "https://e.example/1", "E", T0 + timedelta(hours=4), words=500)
    assert pv.elect([early, later]).original == 1
    # within the clock-skew window, the full text beats an earlier teaser cut from it ...
    teaser_text = "\n".join(ORIGINAL.split("\n")[:5]) + " Read more"
    teaser = pv.Member(7, "https://g.example/1", "G", T0 - timedelta(hours=1), words=120, text=teaser_text)
    full = pv.Member(8, "https://h.example/1", "H", T0, words=len(ORIGINAL.split()), text=ORIGINAL)
    election = pv.elect([teaser, full])
    assert election.original == 8 and "fuller text" in election.reasons[8]
    assert pv.truncation_of(teaser_text, ORIGINAL)
    # ... but not a copy that adds paragraphs of its own, at the head or at the end
    elsewhere = (
        "In other news, the Harlow Rovers beat Dunmere United 3-1 on Saturday in front of a sold-out crowd, "
        "with two late goals from their new striker Pavel Osk.\nThe city museum reopens its west wing on Friday "
        "after a two-year renovation funded by a private trust, with free entry for schoolchildren all month."
    )
    for expanded_text in (elsewhere + "\n" + ORIGINAL, ORIGINAL + "\n" + elsewhere):
        assert not pv.truncation_of(ORIGINAL, expanded_text)
        expanded = pv.Member(
            9,
            "https://i.example/1",
            "I",
            T0 + timedelta(hours=1),
            words=len(expanded_text.split()),
            text=expanded_text,
        )
        assert pv.elect([full, expanded]).original == 8


def test_desk_traces_copies_as_they_arrive(desk: Desk) -> None:
    canonical_copy = (
        '<html lang="en"><head><title>Bridge closed</title>'
        '<link rel="canonical" href="https://pressline.example/news/bridge"></head><body><article><h1>Bridge closed</h1>'
        + "".join(f"<p>{p}</p>" for p in ORIGINAL.split("\n"))
        + "</article></body></html>"
    )
    spun_page = (
        '<html lang="en"><head><title>Bridge closed</title></head><body><article><h1>Bridge closed</h1><p>[ad_1]</p>'
        + "".join(f"<p>{p}</p>" for p in SPUN.split("\n"))
        + '<p>[ad_2]</p><p><a href="https://pressline.example/news/bridge">Source link</a></p></article></body></html>'
    )
    report = desk.ingest_items(
        [
            # the identical copy arrives first, published before the wire (a late feed)
            doc("https://daily.example/world/bridge", ORIGINAL, T0 - timedelta(minutes=20), source="Daily"),
            doc("https://pressline.example/news/bridge", ORIGINAL, T0, source="Pressline"),
            doc(
                "https://metro.example/news/bridge",
                "",
                T0 + timedelta(hours=2),
                html=canonical_copy,
                source="Metro",
            ),
            doc(
                "https://spam.example/bridge-closed/",
                "",
                T0 + timedelta(hours=5),
                html=spun_page,
                source="Spam",
            ),
            doc(
                "https://gazette.example/local/queues", INDEPENDENT, T0 + timedelta(hours=3), source="Gazette"
            ),
        ]
    )
    assert report.new == 5
    ids = {
        desk.get_article(u).article.source: desk.get_article(u).id
        for u in (
            "https://daily.example/world/bridge",
            "https://pressline.example/news/bridge",
            "https://metro.example/news/bridge",
            "https://spam.example/bridge-closed/",
            "https://gazette.example/local/queues",
        )
    }
    edges = {e.copy_id: e for e in desk.copy_edges()}
    assert {e.original_id for e in edges.values()} == {ids["Pressline"]}
    assert edges[ids["Daily"]].kind is CopyKind.IDENTICAL
    assert "BEFORE the original" in edges[ids["Daily"]].evidence["time_order"]
    assert edges[ids["Metro"]].kind is CopyKind.SYNDICATED
    assert edges[ids["Metro"]].evidence["declared_link"] == "https://pressline.example/news/bridge"
    assert edges[ids["Spam"]].kind is CopyKind.REWRITTEN
    assert ids["Gazette"] not in edges
    found = desk.copies(ids["Spam"])
    up, group = found.original, found.copies
    assert up is not None and up.original_id == ids["Pressline"] and len(group) == 3

    before = sorted((e.copy_id, e.original_id, e.kind) for e in desk.copy_edges())
    desk.retrace()
    assert sorted((e.copy_id, e.original_id, e.kind) for e in desk.copy_edges()) == before
    report = {r.source: r for r in desk.provenance_by_source()}
    assert report["Spam"].by_kind == {"rewritten": 1} and report["Spam"].copied_from == {"Pressline": 1}
    assert report["Pressline"].originals == 1
    originals = {s.article.source for s in desk.originals(limit=100)}
    assert originals == {"Pressline", "Gazette"}


def test_an_index_of_an_older_fingerprint_scheme_is_reported_and_rebuilt(db_path: Path) -> None:
    with open_desk(db_path) as desk:
        desk.ingest_items(
            [
                doc("https://pressline.example/news/bridge", ORIGINAL, T0, source="Pressline"),
                doc("https://daily.example/world/bridge", ORIGINAL, T0 + timedelta(hours=1), source="Daily"),
            ]
        )
        assert desk.stale_index() is None and desk.check() == []
    # a database whose keys predate the scheme table (schema 4): the migration records scheme 1
    with sqlite3.connect(db_path) as db:
        for table in ("article_quotes_fts", "article_quotes", "article_entities", "article_understanding"):
            db.execute(f"DROP TABLE {table}")  # what 0015 added
        db.execute("DROP TABLE entities")
        db.execute("ALTER TABLE sources DROP COLUMN leased_by")  # what 0014 added
        db.execute("ALTER TABLE sources DROP COLUMN leased_until")
        # what 0013 changed: keys not listed in fingerprints, lsh_keys indexed by article
        db.execute("ALTER TABLE fingerprints DROP COLUMN keys")
        db.execute("CREATE INDEX lsh_keys_article ON lsh_keys (article_id)")
        # and what 0012 changed: texts as plain text, the word index over articles itself
        register(db)
        for table in ("articles", "article_revisions"):
            db.execute(f"UPDATE {table} SET text = CAST(sqlar_uncompress(text, text_size) AS TEXT)")
        for trigger in ("ai", "ad", "au"):  # (and what 0008 added)
            db.execute(f"DROP TRIGGER articles_{trigger}")
            db.execute(f"DROP TRIGGER articles_cjk_{trigger}")
        db.execute("DROP TABLE articles_fts")
        db.execute("DROP VIEW article_texts")
        for table in ("articles", "article_revisions"):
            db.execute(f"ALTER TABLE {table} DROP COLUMN text_size")
        for statement in _statements(_migrations()[0][2]):
            if "articles_fts" in statement:
                db.execute(statement)
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        db.execute("DROP TABLE provenance_state")
        for index in ("host", "source_ci", "site_ci", "category_ci", "section_ci"):  # and what 0007 added
            db.execute(f"DROP INDEX articles_{index}_time")
        db.execute("ALTER TABLE articles DROP COLUMN host")
        db.execute("DROP TABLE source_credentials")  # and what 0009 added
        db.execute("DROP TABLE input_digests")  # and what 0010 changed
        db.execute(
            "UPDATE article_revisions SET text = (SELECT a.text FROM articles a WHERE a.id = article_id) "
            "WHERE text IS NULL"
        )
        db.execute("DROP TABLE articles_cjk_terms")  # and what 0008 added
        db.execute("DROP TABLE articles_cjk")
        # and what 0011 changed: story vectors as JSON text, no lengths beside a centroid, no log
        for table, key, column in (("stories", "id", "centroid"), ("story_members", "article_id", "vector")):
            whole = "NULL" if table == "stories" else "(SELECT centroid FROM stories s WHERE s.id = story_id)"
            for k, packed, centroid in db.execute(f"SELECT {key}, {column}, {whole} FROM {table}").fetchall():
                # (a member may keep only its vector's length: the start of its story's centroid)
                vector = first(unpack(centroid), packed) if isinstance(packed, int) else unpack(packed)
                db.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (json.dumps(vector), k))
        db.execute("ALTER TABLE stories DROP COLUMN word_norm")
        db.execute("ALTER TABLE stories DROP COLUMN name_norm")
        db.execute("DROP TABLE story_df_log")
        db.execute("PRAGMA user_version = 4")
    with open_desk(db_path) as desk:
        why = desk.stale_index()
        assert why is not None and "newsdesk retrace" in why
        assert desk.check() == [why]
        desk.retrace()
        assert desk.stale_index() is None and desk.check() == []
        assert len(desk.copy_edges()) == 1


def test_a_copy_of_a_copy_shows_the_member_it_matches(desk: Desk) -> None:
    lines_o, lines_i = ORIGINAL.split("\n"), INDEPENDENT.split("\n")
    second = "\n".join(lines_o[:5] + lines_i[:3])  # most of the original, and paragraphs of its own
    third = "\n".join(lines_i[:4] + lines_o[:1])  # the second's own paragraphs, little of the original
    desk.ingest_items(
        [
            doc("https://pressline.example/news/bridge", ORIGINAL, T0, source="Pressline"),
            doc("https://daily.example/world/bridge", second, T0 + timedelta(hours=4), source="Daily"),
            doc("https://metro.example/bridge", third, T0 + timedelta(hours=8), source="Metro"),
        ]
    )
    ids = {
        u: desk.get_article(u).id
        for u in (
            "https://pressline.example/news/bridge",
            "https://daily.example/world/bridge",
            "https://metro.example/bridge",
        )
    }
    edges = {e.copy_id: e for e in desk.copy_edges()}
    first_id, second_id, third_id = ids.values()
    assert {e.original_id for e in edges.values()} == {first_id}
    assert "matched_via" not in edges[second_id].evidence
    via = edges[third_id].evidence["matched_via"]
    assert via["id"] == second_id
    assert (
        edges[third_id].kind is CopyKind.NEAR
        and edges[third_id].evidence["containment"] >= pv.NEAR_CONTAINMENT
    )
    assert pv.compare(pv.body(desk.get_article(third_id).article), ORIGINAL).kind is None


def test_sentences_split_in_every_script_and_short_rewrites_need_four() -> None:
    arabic = "وقال الوزير إن الحكومة ستعمل على ذلك قريبا. وأضاف أن القرار نهائي ولا رجعة فيه. هل هذا صحيح تماما الآن؟ نعم هذا صحيح تماما كما قال."
    assert len(pv.sentences(arabic)) == 4
    assert _split_sentences("今天天气很好。我们去公园散步吧！你觉得怎么样？") == [
        "今天天气很好。",
        "我们去公园散步吧！",
        "你觉得怎么样？",
    ]
    assert _split_sentences("राम ने कहा कि वह कल आएगा। सीता ने जवाब दिया।") == [
        "राम ने कहा कि वह कल आएगा।",
        "सीता ने जवाब दिया।",
    ]
    assert _split_sentences('The U.S. team met e.g. the minister. He said "no." Then he left.') == [
        "The U.S. team met e.g. the minister.",
        'He said "no."',
        "Then he left.",
    ]
    # three sentences reworded one by one: too little to call a rewrite
    three_o = "\n".join(ORIGINAL.split("\n")[:3])
    three_s = "\n".join(SPUN.split("\n")[:3])
    sim = pv.compare(three_o, three_s)
    assert sim.aligned >= pv.ALIGN_SHARE and sim.aligned_sentences == 3 and sim.kind is None
    assert pv.compare(ORIGINAL, SPUN).aligned_sentences >= pv.MIN_REWRITE_SENTENCES


def test_a_threshold_set_where_it_is_defined_reaches_the_code_that_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """provenance is a package of three modules; bench/provenance/sweep.py sets
    ``provenance._compare.ALIGN_SIMILARITY`` and measures again."""
    from newsdesk.provenance import _compare

    before = pv.compare(ORIGINAL, SPUN)
    assert before.kind == "rewritten"
    with monkeypatch.context() as m:
        m.setattr(_compare, "ALIGN_SIMILARITY", 0.95)  # no reworded sentence is that close
        strict = pv.compare(ORIGINAL, SPUN)
        assert strict.aligned < before.aligned and strict.kind is None
    assert pv.ALIGN_SIMILARITY == 0.22 and pv.compare(ORIGINAL, SPUN) == before


def test_the_provenance_modules_import_one_way() -> None:
    """fingerprint, then compare, then elect: each imports only those before it."""
    graph = newsdesk_imports()
    order = ["newsdesk.provenance._fingerprint", "newsdesk.provenance._compare", "newsdesk.provenance._elect"]
    for i, name in enumerate(order):
        assert reachable(graph, name) & set(order) == set(order[:i]), name


FOOTER = (
    "The Harbour Gazette is published by Gazette Media Group Ltd, registered in Kestrel Bay under company "
    "number 0451877, at 12 Quay Street, and is a member of the Independent Press Standards Organisation.\n"
    "All rights reserved. No part of this publication may be reproduced, stored or transmitted in any form "
    "without the prior written permission of the publisher; complaints go to our readers' editor."
)
BODIES = [
    "The town council approved a new budget on Tuesday that raises spending on schools and road repairs, "
    "after a long debate in which opposition members argued the plan relied on optimistic forecasts.",
    "Fishermen in the harbour reported their best mackerel season in a decade, with catches up by a third, "
    "and the cooperative said prices at the morning auction had held steady despite the larger landings.",
    "A jazz festival will fill the old warehouse district next month, with forty concerts on six stages "
    "and a free afternoon programme for families organised by the music school and local volunteers.",
    "Hospital managers opened a new emergency wing on Friday, adding twenty beds and a children's area, "
    "and said waiting times should fall before winter once the extra nurses finish their training.",
]


def test_pages_that_share_only_the_site_frame_are_not_copies(desk: Desk) -> None:
    pages = [
        doc(
            f"https://gazette.example/news/{i}",
            f"{body}\n{FOOTER}",
            T0 + timedelta(hours=i),
            source="Gazette",
        )
        for i, body in enumerate(BODIES)
    ]
    assert pv.compare(f"{BODIES[0]}\n{FOOTER}", f"{BODIES[1]}\n{FOOTER}").kind == "near"  # by the text alone
    desk.ingest_items(pages)
    # once other pages of the site carry the footer it is frame, not a story: the later pages copy nobody
    copies = {e.copy_id for e in desk.copy_edges()}
    assert not copies & {desk.get_article(f"https://gazette.example/news/{i}").id for i in (2, 3)}
    desk.retrace()  # with every page stored, none of them is a copy
    assert desk.copy_edges() == []
    # a real copy of a page with the footer is still one
    copy = doc(
        "https://daily.example/gazette-budget",
        f"{ORIGINAL}\n{FOOTER}",
        T0 + timedelta(hours=9),
        source="Daily",
    )
    desk.ingest_items(
        [
            doc(
                "https://gazette.example/news/bridge",
                f"{ORIGINAL}\n{FOOTER}",
                T0 + timedelta(hours=8),
                source="Gazette",
            ),
            copy,
        ]
    )
    assert [e.kind for e in desk.copy_edges()] == [CopyKind.IDENTICAL]


def test_shared_figures_keep_times_whole() -> None:
    """Evidence once showed "08:12" as two figures, "08" and "12"."""
    assert pv.figures_of("The ferry left at 08:12 with 1,400 people; 3.5% more than the 1400 of 2025.") == [
        "08:12",
        "1400",
        "3.5",
        "2025",
    ]
    a = ORIGINAL + "\nThe first crack was reported at 08:12 on Monday."
    b = SPUN + "\nEngineers first saw the crack at 08:12 on Monday."
    assert "08:12" in pv.compare(a, b).shared_figures


def test_an_ingest_counts_the_copy_relations_it_added(sample_store: Path, sample_dir: Path) -> None:
    """The demo's summary said "16 copy relations found" where its table listed 13: each arrival
    counted every member of its group. Now the count is the edges the ingest added."""
    from newsdesk import open_desk

    with open_desk(sample_store) as d:
        edges = len(d.copy_edges())
    with open_desk(sample_store.with_name("again.sqlite")) as d:
        report = d.ingest([sample_dir])
        assert report.copies_found == len(d.copy_edges()) == edges
        assert d.ingest([sample_dir]).copies_found == 0
