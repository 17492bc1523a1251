"""Search over articles of any size: snippets from a bounded part of each hit (the speed is in
bench/search_size.py), with FTS5's own snippet for ordinary articles."""

from __future__ import annotations

import asyncio
import itertools
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import (
    Article,
    EntryHints,
    Fetched,
    SearchCancelledError,
    SearchFilters,
    SearchHit,
    SearchTimeoutError,
    open_desk,
)
from newsdesk.config import load_config
from newsdesk.model import HIGHLIGHT_END, HIGHLIGHT_START
from newsdesk.store import SQLiteStore
from newsdesk.store._snippets import CHUNK_CHARS, SCAN_BYTES, chunk_bounds
from newsdesk.store._texts import register
from newsdesk.store.sqlite import _SUBSTRING_SCRIPTS, _migrations, _statements
from newsdesk.web import create_app

from ..conftest import invoke_cli

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def art(url: str, text: str, title: str = "A report") -> Article:
    return Article(url=url, canonical_url=url, title=title, text=text)


def marked(word: str) -> str:
    return HIGHLIGHT_START + word + HIGHLIGHT_END


def filler(chars: int, seed: int = 0) -> str:
    """Plain sentences without the words the tests look for."""
    words = ["harbour", "council", "ferry", "budget", "weather", "market", "river", "school"]
    out: list[str] = []
    size, i = 0, seed
    while size < chars:
        sentence = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(12)).capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
        i += 1
    return "".join(out)[:chars]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(str(tmp_path / "s.sqlite"))
    yield s
    s.close()


ORDINARY = [
    "The harbour bridge closed after engineers found a crack in a girder. The council said the "
    "bridge would reopen in spring; ferries run every twenty minutes until then.",
    "Football club sacks its manager after a run of defeats; the bridge between the board and the "
    "fans, one supporter said, had long been burnt. Café owners near the ground were relieved.",
    "A long report. " + filler(1500) + " The minister visited the bridge. " + filler(300, 3),
]


@pytest.mark.parametrize(
    "query",
    [
        "bridge",
        "bridge council",
        '"crack in a girder"',
        "brid*",
        "cafe",
        "minister OR ferries",
        "title: report",
    ],
)
def test_an_ordinary_articles_snippet_is_fts5s_own(store: SQLiteStore, query: str) -> None:
    for n, text in enumerate(ORDINARY):
        store.save_article(art(f"https://a.example/{n}", text), seen=T0)
    hits = store.search(query)
    assert hits
    with sqlite3.connect(store.path) as db:
        register(db)  # articles_fts reads the texts through sqlar_uncompress (migration 0012)
        own = dict(
            db.execute(
                f"SELECT rowid, snippet(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24) "
                "FROM articles_fts WHERE articles_fts MATCH ?",
                (query,),
            ).fetchall()
        )
    assert {h.id: h.snippet for h in hits} == {i: own[i] for i in (h.id for h in hits)}


def test_a_huge_article_is_found_with_its_match_marked(store: SQLiteStore) -> None:
    before = filler(300_000)
    text = before + " The zanzibarite deposit was found. " + filler(2_000_000, 5)
    aid, _ = store.save_article(art("https://huge.example/1", text), seen=T0)
    [hit] = store.search("zanzibarite")
    assert hit.id == aid
    assert marked("zanzibarite") in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")  # cut from the text around it
    assert len(hit.snippet) < 400


def test_a_word_on_every_line_of_a_huge_article(store: SQLiteStore) -> None:
    text = "".join(f"Line {i}: the epsilon reading was taken at the weir. " for i in range(60_000))
    store.save_article(art("https://huge.example/2", text), seen=T0)
    [hit] = store.search("epsilon")
    assert hit.snippet.count(marked("epsilon")) >= 2
    assert "Line 1: the " + marked("epsilon") in hit.snippet  # from the first chunk


def test_a_match_past_the_part_looked_at_leaves_the_start_of_the_text(store: SQLiteStore) -> None:
    text = filler(SCAN_BYTES + 10_000) + " The zanzibarite deposit was found."
    store.save_article(art("https://huge.example/3", text), seen=T0)
    [hit] = store.search("zanzibarite")
    assert HIGHLIGHT_START not in hit.snippet
    assert text.startswith(hit.snippet.removesuffix("…"))
    assert hit.snippet.endswith("…")


def test_a_phrase_across_a_chunk_boundary_is_marked(store: SQLiteStore) -> None:
    # Put the phrase where the first chunk ends, whatever the exact cut.
    head = filler(CHUNK_CHARS - 12)
    text = head + " crack in a girder was found. " + filler(5000, 2)
    store.save_article(art("https://a.example/long", text), seen=T0)
    [hit] = store.search('"crack in a girder"')
    assert marked("crack in a girder") in hit.snippet


def test_words_far_apart_still_get_a_marked_snippet(store: SQLiteStore) -> None:
    text = "Alphonse opened the meeting. " + filler(20_000) + " Zebedee closed it."
    store.save_article(art("https://a.example/far", text), seen=T0)
    [hit] = store.search("alphonse AND zebedee")
    assert marked("Alphonse") in hit.snippet


@given(st.text(alphabet=st.sampled_from("ab \n東"), max_size=3000), st.integers(20, 400))
def test_chunks_cover_the_text_in_order(text: str, size: int) -> None:
    overlap = size // 4
    bounds = chunk_bounds(text, size, overlap)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    for start, end in bounds:
        assert 0 <= start <= end <= len(text) and end - start <= size
    for (s1, e1), (s2, _e2) in itertools.pairwise(bounds):
        assert s1 < s2 <= e1  # each chunk starts inside the previous one, and later than it did
        assert e1 - s2 <= overlap


# -- a time budget, and a caller that goes away ------------------------------------------------


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 100,000 short articles that all say "council": ranking them all takes a search
    about 0.2 s (here), hundreds of thousands of SQLite steps. Written with one INSERT ... SELECT
    (the triggers index them as save_article's rows are) because 100,000 save_article calls would
    take minutes."""
    path = tmp_path_factory.mktemp("crowded") / "crowded.sqlite"
    SQLiteStore(str(path)).close()
    with sqlite3.connect(path) as db:
        register(db)  # the triggers read the texts through sqlar_uncompress (migration 0012)
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
            "INSERT INTO articles (canonical_url, url, title, text, word_count, content_hash, "
            "first_seen, last_seen, source, tags, source_links, notes, revision) "
            "SELECT 'https://x.example/' || i, 'https://x.example/' || i, 'Council report ' || i, "
            "'The council met on day ' || i || '.', 6, 'h' || i, '2026-03-01T00:00:00+00:00', "
            "'2026-03-01T00:00:00+00:00', 'Gazette', '[]', '[]', '[]', 1 FROM n"
        )
    return path


GAZETTE = SearchFilters(source="Gazette")  # a filter: every match is ranked


def test_a_search_past_its_budget_stops_with_a_clear_error(crowded: Path) -> None:
    with open_desk(crowded, search_timeout=0.000001) as desk:
        with pytest.raises(SearchTimeoutError, match="search_timeout") as caught:
            desk.search("council", GAZETTE)
        assert isinstance(caught.value, TimeoutError)
        with pytest.raises(SearchTimeoutError):
            desk.search_latest("council", GAZETTE, limit=100_000)
    with open_desk(crowded, search_timeout=0) as desk:  # 0: no limit
        assert len(desk.search("council", GAZETTE)) == 20


def test_a_cancelled_search_stops_while_it_runs(crowded: Path) -> None:
    asked = 0

    def cancelled() -> bool:  # asked by SQLite while the query runs; True from the third time
        nonlocal asked
        asked += 1
        return asked >= 3

    with open_desk(crowded) as desk:
        with pytest.raises(SearchCancelledError):
            desk.search("council", GAZETTE, cancelled=cancelled)
        assert asked == 3
        # The connection is fine afterwards, and the handler is gone.
        assert [h.title for h in desk.search("council", GAZETTE, limit=1)] != []
        assert asked == 3


def test_the_cli_says_when_a_search_ran_out_of_time(crowded: Path) -> None:
    r = invoke_cli(
        "--db",
        str(crowded),
        "search",
        "council",
        "--source",
        "Gazette",
        env={"NEWSDESK_SEARCH_TIMEOUT": "0.000001"},
    )
    assert r.returncode == 1
    assert "search_timeout" in r.stderr and "Traceback" not in r.stderr


def test_the_web_answers_503_when_a_search_runs_out_of_time(crowded: Path) -> None:
    config = load_config({"db": str(crowded), "search_timeout": 0.000001})
    with TestClient(create_app(config)) as client:
        page = client.get("/search", params={"q": "council", "source": "Gazette"})
        assert page.status_code == 503
        assert "search_timeout" in page.text and 'value="council"' in page.text  # the form stays
        api = client.get("/api/v1/articles", params={"q": "council", "source": "Gazette"})
        assert api.status_code == 503
        assert api.json()["error"]["code"] == "search_timeout"


@pytest.mark.parametrize(
    "path", ["/search?q=council&source=Gazette", "/api/v1/articles?q=council&source=Gazette&limit=5"]
)
def test_a_client_that_hangs_up_stops_its_search(crowded: Path, path: str) -> None:
    """The real app over ASGI: the client's connection closes as soon as the request is sent (its
    next message is http.disconnect), long before the search could rank 100,000 articles."""
    app = create_app(load_config({"db": str(crowded)}))
    target, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages = iter([{"type": "http.request", "body": b"", "more_body": False}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    try:
        asyncio.run(app(scope, receive, send))
    finally:
        app.state.pool.close()
    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 499  # the search was cancelled; with no watch it would be 200


# -- every script ----------------------------------------------------------------------------------

#: Our own short reports (language, title, text, source).
SCRIPTS = [
    (
        "zh",
        "东京地震后地铁恢复运行",
        "今天上午东京发生四级地震，地铁一度停运。中午以后，所有线路恢复正常运行。气象厅表示，"
        "未来一周可能还会有余震，请市民注意安全。北京的专家说，这次地震的震源很浅。",
        "Huaxia Daily",
    ),
    (
        "zh",
        "北京下雪",
        "北京今天迎来今年的第一场雪，气温降到零下五度。很多学生在操场上堆雪人。专家提醒，上次地震后修好的道路也要注意防滑。",
        "Huaxia Daily",
    ),
    (
        "ja",
        "大阪で新しい橋が開通",
        "大阪市で新しい橋が開通しました。市長は式典で「この橋は町の未来をつなぐ」と述べました。"
        "東京から来た観光客も多く、地元の商店街はにぎわいました。",
        "Naniwa Shimbun",
    ),
    ("ko", "서울에 첫눈", "서울에서 오늘 아침 첫눈이 내렸다. 시민들은 우산을 들고 출근했다.", "Hangang Ilbo"),
    ("ru", "Москва", "В Москве сегодня идёт снег, и пробки выросли на треть.", "Vestnik"),
    ("ar", "القاهرة", "الطقس في القاهرة مشمس اليوم والحرارة مرتفعة.", "Al-Nahar Weekly"),
    ("he", "ירושלים", "בירושלים יורד גשם היום והרחובות רטובים.", "Yom Yom"),
    (
        "en",
        "Tokyo quake",
        "An earthquake shook Tokyo this morning; trains stopped for an hour.",
        "Harbour Times",
    ),
]


def record(n: int, language: str, title: str, text: str, source: str) -> Fetched:
    return Fetched(
        url=f"https://{language}.example/{n}",
        body=b"",
        origin=f"scripts.jsonl#{n}",
        source=source,
        hints=EntryHints(title=title, text=text, language=language, published=T0),
    )


@pytest.fixture
def scripts_db(tmp_path: Path) -> Path:
    path = tmp_path / "scripts.sqlite"
    # min_words=1: extraction counts words by spaces, so a Chinese report is one "word" long.
    with open_desk(path, min_words=1) as desk:
        report = desk.ingest_items([record(n, *r) for n, r in enumerate(SCRIPTS)])
        assert report.new == len(SCRIPTS), report.rejected
    return path


def titles(hits: list[SearchHit]) -> list[str]:
    return [h.title for h in hits]


@pytest.mark.parametrize(
    ("query", "found", "marked_text"),
    [
        ("地震", ["东京地震后地铁恢复运行", "北京下雪"], "地震"),  # two characters, inside runs
        ("雪", ["北京下雪"], "雪"),  # one character
        ("恢复正常运行", ["东京地震后地铁恢复运行"], "恢复正常运行"),
        ("東京", ["大阪で新しい橋が開通"], "東京"),  # Japanese kanji: not the simplified 东京
        ("新しい橋", ["大阪で新しい橋が開通"], "新しい橋"),
        ("にぎわい", ["大阪で新しい橋が開通"], "にぎわい"),
        ("서울", ["서울에 첫눈"], "서울"),  # Korean: the particle 에서 is attached
        ("우산을", ["서울에 첫눈"], "우산을"),
        ("地震 北京", ["北京下雪", "东京地震后地铁恢复运行"], "北京"),
        ("地震 NOT 北京下雪", ["东京地震后地铁恢复运行"], "地震"),
        ("大阪 OR 서울", ["大阪で新しい橋が開通", "서울에 첫눈"], "大阪"),
        ("Москве", ["Москва"], "Москве"),
        ("القاهرة", ["القاهرة"], "القاهرة"),
        ("בירושלים", ["ירושלים"], "בירושלים"),
        ("tokyo", ["Tokyo quake"], "Tokyo"),
    ],
)
def test_search_finds_words_in_every_script(
    scripts_db: Path, query: str, found: list[str], marked_text: str
) -> None:
    with open_desk(scripts_db) as desk:
        hits = desk.search(query)
    assert sorted(titles(hits)) == sorted(found)
    assert any(marked(marked_text) in h.snippet for h in hits), [h.snippet for h in hits]


def test_substring_search_ranks_titles_first_and_filters(scripts_db: Path) -> None:
    with open_desk(scripts_db) as desk:
        assert titles(desk.search("地震")) == ["东京地震后地铁恢复运行", "北京下雪"]  # in a title first
        assert titles(desk.search("北京")) == ["北京下雪", "东京地震后地铁恢复运行"]
        assert titles(desk.search("京", SearchFilters(language="ja"))) == ["大阪で新しい橋が開通"]
        assert titles(desk.search("地震", SearchFilters(source="Naniwa Shimbun"))) == []
        assert titles(desk.search("地震", limit=1, offset=1)) == ["北京下雪"]
        assert [s.article.title for s in desk.search_latest("橋")] == ["大阪で新しい橋が開通"]
        assert desk.search("没有这个词") == []
        assert titles(desk.search('"大阪 OR')) == ["大阪で新しい橋が開通"]  # not FTS5 syntax: its strings


def test_a_substring_snippet_is_a_window_of_a_long_text(tmp_path: Path) -> None:
    with open_desk(tmp_path / "long.sqlite", min_words=1) as desk:
        text = "今天天气很好。" * 400 + "东京塔重新开放了。" + "市民很高兴。" * 400
        desk.ingest_items([record(1, "zh", "东京消息", text, "Huaxia Daily")])
        [hit] = desk.search("东京塔")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert marked("东京塔") in hit.snippet and len(hit.snippet) < 140


def test_chinese_and_japanese_on_the_web(scripts_db: Path) -> None:
    with TestClient(create_app(load_config({"db": str(scripts_db)}))) as client:
        page = client.get("/search", params={"q": "地震"})
        assert page.status_code == 200
        assert page.text.count("<mark>地震</mark>") >= 2
        assert "东京地震后地铁恢复运行" in page.text and "北京下雪" in page.text
        api = client.get("/api/v1/articles", params={"q": "新しい橋", "language": "ja"}).json()
        assert [i["title"] for i in api["items"]] == ["大阪で新しい橋が開通"]
        assert "<mark>新しい橋</mark>" in api["items"][0]["snippet_html"]
        feed = client.get("/feeds/search.atom", params={"q": "서울"})
        assert feed.status_code == 200 and "서울에 첫눈" in feed.text


def test_an_updated_text_is_searched_as_it_now_reads(tmp_path: Path) -> None:
    with open_desk(tmp_path / "u.sqlite", min_words=1) as desk:
        desk.ingest_items([record(1, "zh", "天气", "今天下雨。", "Huaxia Daily")])
        assert titles(desk.search("下雨")) == ["天气"]
        desk.ingest_items([record(1, "zh", "天气", "今天下雪。", "Huaxia Daily")])
        assert titles(desk.search("下雪")) == ["天气"]
        assert desk.search("下雨") == []
        assert desk.check() == []


MIGRATIONS = Path(__file__).parents[2] / "src/newsdesk/store/migrations"


@pytest.mark.parametrize("name", ["0008_cjk_search.sql", "0012_compressed_texts.sql"])
def test_the_index_and_the_query_agree_on_which_scripts_need_substrings(name: str) -> None:
    """Every trigger that decides what goes in the substring index (0008 made them, 0012 made them
    again) uses the query's list of scripts."""
    patterns = set(re.findall(r"GLOB '(\*\[[^']+\]\*)'", (MIGRATIONS / name).read_text(encoding="utf-8")))
    assert len(patterns) == 1
    pattern = patterns.pop()
    edges = [0x0DFF, 0x0E00, 0x0EFF, 0x0F00, 0x0FFF, 0x1000, 0x109F, 0x10A0, 0x177F, 0x1780, 0x17FF]
    edges += [0x1800, 0x303F, 0x3040, 0x9FFF, 0xA000, 0xABFF, 0xAC00, 0xD7AF, 0xD7B0, 0xF8FF, 0xF900]
    edges += [0xFAFF, 0xFB00, 0x1FFFF, 0x20000, 0x3134F, 0x31350, ord("a"), ord("я"), ord("א")]
    with sqlite3.connect(":memory:") as db:
        for code in edges:
            char = chr(code)
            indexed = db.execute("SELECT ? GLOB ?", (f"x{char}y", pattern)).fetchone()[0]
            assert bool(indexed) == bool(_SUBSTRING_SCRIPTS.search(char)), hex(code)


def test_a_store_made_before_substring_search_is_migrated_and_filled(tmp_path: Path) -> None:
    path = tmp_path / "v7.sqlite"
    with sqlite3.connect(path, isolation_level=None) as db:  # schema 7, as the last release made it
        for number, _name, sql in _migrations():
            if number <= 7:
                for statement in _statements(sql):
                    db.execute(statement)
        db.execute("PRAGMA user_version = 7")
        for n, (language, title, text, source) in enumerate(SCRIPTS):
            db.execute(
                "INSERT INTO articles (canonical_url, url, title, text, word_count, content_hash, "
                "first_seen, last_seen, source, language, tags, source_links, notes, revision) "
                "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, '[]', '[]', '[]', 1)",
                (
                    f"https://{language}.example/{n}",
                    f"https://{language}.example/{n}",
                    title,
                    text,
                    str(n),
                    T0.isoformat(),
                    T0.isoformat(),
                    source,
                    language,
                ),
            )
    with open_desk(path) as desk:
        assert desk.search("東京") and titles(desk.search("서울")) == ["서울에 첫눈"]
        assert titles(desk.search("地震")) == ["东京地震后地铁恢复运行", "北京下雪"]
        # Sound; only the articles this test wrote by hand lack fingerprints and stories.
        assert [p for p in desk.check() if "article(s) without" not in p] == []
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 8
        db.execute("CREATE VIRTUAL TABLE temp.cjk USING fts5vocab(main, articles_cjk, instance)")
        indexed = {r[0] for r in db.execute("SELECT DISTINCT doc FROM temp.cjk")}
    assert indexed == {1, 2, 3, 4}  # the Chinese, Japanese and Korean ones, not the others
