"""The store's contract: what any backend must do, checked through the Protocols of
``newsdesk.store.protocols`` alone, one domain at a time.

Every test takes the domains it uses as fixtures (``articles``, ``index``, ``sources``, ``copies``,
``book``, ``stories``, ``upkeep``, or ``store`` for the whole), each the same store seen through
one Protocol only: a test that reaches past its Protocols (a private attribute, a table) fails
with AttributeError, so nothing here can pass by knowing SQLite. A new backend joins ``BACKENDS``
(and ``Backend.open``) and must pass the whole file; one written a domain at a time passes that
domain's tests first. Every test runs on SQLite and on PostgreSQL (a throwaway server for the
session, a database for each test: ``postgres_server`` in tests/conftest.py). What only SQLite has
(its file, its pragmas, its migrations, its memo) is tested in test_store.py, test_story_store.py
and test_migrations.py; what only PostgreSQL has, in test_postgres.py.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk import stories as st
from newsdesk.exceptions import ArticleNotFoundError, SearchQueryError, StorageError
from newsdesk.model import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Article,
    CopyEdge,
    CopyKind,
    Credentials,
    IndexKeys,
    MissingPart,
    Outcome,
    PageOutcome,
    Rejected,
    RejectReason,
    SearchFilters,
    SourceLink,
    UnfinishedArticle,
)
from newsdesk.store import (
    ArticleStore,
    CopyIndex,
    KnownInput,
    Maintenance,
    SearchIndex,
    SourceFetch,
    SourceStore,
    Store,
    StoreBase,
    StoryBook,
    StoryStore,
    Transfer,
    open_store,
)

from ._docs import article_of

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

#: The backends every test runs on (PostgreSQL: a database of its own for each test, on the
#: session's server, ``postgres_server`` in tests/conftest.py).
BACKENDS = ["sqlite", "postgresql"]


@dataclass
class Backend:
    """Opens stores of one backend at one location: ``open()`` again is another connection to the
    same data (another process, a second web worker)."""

    name: str
    tmp_path: Path
    opened: list[Store] = field(default_factory=list)
    #: The database's URL, for a backend that is a server, and what makes another one.
    url: str | None = None
    new_database: Any = None

    @property
    def location(self) -> str:
        if self.name == "sqlite":
            return f"sqlite:///{self.tmp_path / 'contract.sqlite'}"
        if self.name == "postgresql" and self.url is not None:
            return self.url
        raise AssertionError(f"no location for backend {self.name!r}")

    def open(self) -> Store:
        s = open_store(self.location)
        self.opened.append(s)
        return s

    def another(self) -> Store:
        """A store of the same backend at another, empty location."""
        if self.name == "sqlite":
            s = open_store(f"sqlite:///{self.tmp_path / f'other{len(self.opened)}.sqlite'}")
        else:
            s = open_store(self.new_database())
        self.opened.append(s)
        return s


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    b = Backend(request.param, tmp_path)
    if b.name == "postgresql":
        b.new_database = request.getfixturevalue("postgres_server").database
        b.url = b.new_database()
    yield b
    for s in b.opened:
        s.close()


class Surface:
    """A store seen through one Protocol: only the Protocol's own methods (and its bases') can be
    reached, so a test proves the contract and not one implementation's insides."""

    def __init__(self, store: Store, protocol: type) -> None:
        self._store = store
        self._protocol = protocol
        self._names = {
            name
            for klass in protocol.__mro__
            if klass.__module__ == "newsdesk.store.protocols"
            for name in vars(klass)
            if not name.startswith("_")
        }

    def __getattr__(self, name: str) -> Any:
        if name not in self._names:
            raise AttributeError(f"{name!r} is not part of {self._protocol.__name__}")
        return getattr(self._store, name)


@pytest.fixture
def store(backend: Backend) -> Store:
    s = backend.open()
    assert isinstance(s, Store)
    return s


def _surface(store: Store, protocol: type) -> Any:
    return Surface(store, protocol)


@pytest.fixture
def articles(store: Store) -> ArticleStore:
    s: ArticleStore = _surface(store, ArticleStore)
    return s


@pytest.fixture
def index(store: Store) -> SearchIndex:
    s: SearchIndex = _surface(store, SearchIndex)
    return s


@pytest.fixture
def sources(store: Store) -> SourceStore:
    s: SourceStore = _surface(store, SourceStore)
    return s


@pytest.fixture
def copies(store: Store) -> CopyIndex:
    s: CopyIndex = _surface(store, CopyIndex)
    return s


@pytest.fixture
def book(store: Store) -> StoryBook:
    s: StoryBook = _surface(store, StoryBook)
    return s


@pytest.fixture
def stories(store: Store) -> StoryStore:
    s: StoryStore = _surface(store, StoryStore)
    return s


@pytest.fixture
def upkeep(store: Store) -> Maintenance:
    s: Maintenance = _surface(store, Maintenance)
    return s


def art(
    url: str = "https://a.example/world/1", text: str = "The bridge closed today.", **kw: object
) -> Article:
    fields: dict[str, object] = {"url": url, "canonical_url": url, "title": "Bridge closed", "text": text}
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


def test_a_surface_hides_what_its_protocol_does_not_hold(articles: ArticleStore) -> None:
    """The fixtures really narrow the store (else the suite could lean on SQLite's insides)."""
    assert articles.latest(1) == []
    with pytest.raises(AttributeError, match="not part of ArticleStore"):
        articles.search("x")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        articles._db  # type: ignore[attr-defined]  # noqa: B018


# -- StoreBase: units of work and the version ---------------------------------------------------------


def test_a_unit_of_work_commits_all_its_writes_or_none(backend: Backend) -> None:
    store, other = backend.open(), backend.open()
    url = art().canonical_url
    with pytest.raises(RuntimeError, match="killed"), store.transaction():
        aid, _ = store.save_article(art(), seen=T0)
        store.save_fingerprint(aid, IndexKeys("e", 5, (1, 2)))
        store.add_source("feed", "https://a.example/feed", "A", added=T0)
        assert store.find_article(url) is not None  # the unit sees its own writes
        assert other.find_article(url) is None  # nobody else does before it ends
        raise RuntimeError("killed")
    assert store.find_article(url) is None and other.find_article(url) is None
    assert store.sources() == [] and store.candidates("e", (1, 2), exclude=0, limit=5) == []
    with store.transaction():
        aid, _ = store.save_article(art(), seen=T0)
        with store.transaction():  # an inner unit joins the outer one
            store.save_fingerprint(aid, IndexKeys("e", 5, (1, 2)))
    assert other.find_article(url) is not None
    assert other.candidates("e", (), exclude=0, limit=5) == [aid]


def test_an_inner_unit_that_raises_undoes_the_whole_outer_one(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.save_article(art(), seen=T0)
        with store.transaction():
            store.save_article(art("https://a.example/2"), seen=T0)
            raise RuntimeError("inner")
    assert store.latest(5) == []


def test_the_version_moves_with_every_write_from_any_connection(backend: Backend) -> None:
    reader, writer = backend.open(), backend.open()
    v0 = reader.version()
    reader.latest(5)
    assert reader.version() == v0  # reading changes nothing
    writer.save_article(art(), seen=T0)
    v1 = reader.version()
    assert v1 != v0  # another connection's commit
    assert reader.version() == v1
    own = writer.version()
    writer.add_source("feed", "https://a.example/feed", None, added=T0)
    assert writer.version() != own  # this connection's own commit


# -- ArticleStore --------------------------------------------------------------------------------------


def test_new_then_unchanged_then_updated_then_older(articles: ArticleStore) -> None:
    a1 = art(published=T0)
    id1, out = articles.save_article(a1, seen=T0)
    assert out is Outcome.NEW
    assert articles.save_article(a1, seen=T0) == (id1, Outcome.UNCHANGED)
    # whitespace noise from re-extraction is not an update
    noisy = art(text="The  bridge\nclosed today.", published=T0)
    assert articles.save_article(noisy, seen=T0)[1] is Outcome.UNCHANGED
    a2 = art(
        text="The bridge closed today. Engineers found a crack.",
        published=T0,
        updated=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    assert articles.save_article(a2, seen=T0 + timedelta(hours=5)) == (id1, Outcome.UPDATED)
    stored = articles.get_article(id1)
    assert stored.article.text == a2.text and stored.first_seen == T0
    assert stored.last_seen == T0 + timedelta(hours=5)
    assert articles.save_article(a1, seen=T0)[1] is Outcome.UNCHANGED  # seen before
    a0 = art(text="Bridge reported shut.", published=T0)  # earlier than the current one
    assert articles.save_article(a0, seen=T0)[1] is Outcome.OLDER
    assert articles.get_article(id1).article.text == a2.text
    revs = articles.revisions(id1)
    assert [r.revision for r in revs] == [1, 2, 3]
    assert [r.current for r in revs] == [False, True, False]
    assert [r.text for r in revs] == [a1.text, a2.text, a0.text]
    assert articles.get_article(id1).revisions == 3


def test_every_field_reads_back(articles: ArticleStore) -> None:
    a = art(
        source="Harbour Times",
        site_name="The Harbour Times",
        byline="Mira Castellan",
        published=T0,
        updated=datetime(2026, 3, 3, tzinfo=UTC),
        fetched=T0,
        language="en",
        section="World News",
        category="world",
        tags=("bridges", "Kestrel Bay"),
        source_links=(SourceLink("https://wire.example/x", "Source link"),),
        description="A crack.",
        notes=("removed clutter: '[ad_1]'",),
        origin="file.html",
        entry_id="urn:1",
        text="Ünïcode, emoji 🌉 and\nlines\x00 kept " * 50,
    )
    aid, _ = articles.save_article(a, seen=T0)
    assert articles.get_article(aid).article == a


def test_a_missing_article_is_an_error(articles: ArticleStore) -> None:
    with pytest.raises(ArticleNotFoundError):
        articles.get_article(999)
    with pytest.raises(LookupError):
        articles.revisions(999)
    assert articles.find_article("https://a.example/none") is None


def test_an_article_is_found_under_each_of_its_urls(articles: ArticleStore) -> None:
    aid, _ = articles.save_article(
        art(url="https://a.example/p?id=1", canonical_url="https://a.example/story"), seen=T0
    )
    other, _ = articles.save_article(art("https://b.example/2", "Other text."), seen=T0)
    for url in ("https://a.example/p?id=1", "https://a.example/story"):
        found = articles.find_article(url)
        assert found is not None and found.id == aid
        assert articles.article_id_for(url) == aid
    assert articles.article_id_for("https://a.example/other") is None
    assert articles.add_article_url(aid, "https://a.example/amp/story") is True
    assert articles.add_article_url(aid, "https://a.example/amp/story") is False  # leads somewhere
    assert articles.add_article_url(aid, "https://b.example/2") is False  # another's URL
    assert articles.article_id_for("https://a.example/amp/story") == aid
    assert articles.article_id_for("https://b.example/2") == other
    asked = ["https://a.example/amp/story", "https://b.example/2", "https://c.example/none"]
    assert articles.known_urls(asked) == {"https://a.example/amp/story", "https://b.example/2"}
    many = [f"https://x.example/{i}" for i in range(1200)] + ["https://b.example/2"]
    assert articles.known_urls(many) == {"https://b.example/2"}  # more than one statement's worth


def test_an_input_is_remembered_as_what_it_became(articles: ArticleStore) -> None:
    aid, _ = articles.save_article(art(), seen=T0)
    refused = Rejected(origin="feed#2", reason=RejectReason.TOO_SHORT, detail="3 words", url="https://x/2")
    articles.save_input(b"d1", b"x1", article_id=aid)
    articles.save_input(b"d2", b"x1", rejected=refused)
    assert articles.known_inputs([(b"d1", b"x1"), (b"d2", b"x1"), (b"d1", b"x2"), (b"d3", b"x1")]) == [
        KnownInput(aid),
        KnownInput(None, RejectReason.TOO_SHORT, "3 words", "https://x/2"),
        None,  # another extraction: not known
        None,
    ]
    articles.save_input(b"d2", b"x1", article_id=aid)  # a later extraction made it an article
    assert articles.known_inputs([(b"d2", b"x1")]) == [KnownInput(aid)]
    with pytest.raises(ValueError):
        articles.save_input(b"d4", b"x1")
    with pytest.raises(ValueError):
        articles.save_input(b"d4", b"x1", article_id=aid, rejected=refused)


def _filtered(articles: ArticleStore) -> list[Article]:
    """60 articles of 3 outlets (one named differently on its site) in 3 categories/sections."""
    outlets = [
        ("Harbour Gazette", None, "https://www.harbourgazette.example"),
        ("HG", "Harbour Gazette", "https://harbourgazette.example"),  # site name, no www.
        ("Metro Daily", "Metro Daily", "https://metro.example:8443"),
    ]
    saved = []
    for i in range(60):
        source, site, base = outlets[i % 3]
        fields: dict[str, object] = {"source": source, "site_name": site, "language": "en" if i % 4 else "fr"}
        if i % 5 == 0:
            fields["section"] = "World"
        else:
            fields["category"] = ["world", "business", "sport"][i % 3 if i % 7 else 0]
        published = datetime(2026, 3, 1, tzinfo=UTC) + (i * 7 % 60) * timedelta(hours=10)
        a = art(f"{base}/news/{i}", f"Report number {i} on the harbour.", published=published, **fields)
        articles.save_article(a, seen=T0)
        saved.append(a)
    return saved


def _matches(a: Article, f: SearchFilters) -> bool:
    """The filters' meaning, spelled out in Python over one article."""
    host = (a.canonical_url or "").split("://")[1].split("/")[0].removeprefix("www.")
    if f.source:
        wanted = f.source.casefold()
        as_host = wanted.split("://")[-1].split("/")[0].removeprefix("www.")
        if wanted not in {(a.source or "").casefold(), (a.site_name or "").casefold()} and as_host != host:
            return False
    if f.category and f.category.casefold() not in {
        (a.category or "").casefold(),
        (a.section or "").casefold(),
    }:
        return False
    if f.language and (a.language or "") != f.language:
        return False
    return not (f.since and a.published is not None and a.published < f.since)


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(source="harbour gazette"),  # a name and a site name, two spellings at once
        SearchFilters(source="HARBOURGAZETTE.example"),  # the host, with and without www.
        SearchFilters(source="https://www.harbourgazette.example/anything"),
        SearchFilters(source="metro.example:8443"),
        SearchFilters(source="Nobody"),
        SearchFilters(category="WORLD"),  # a category or a section
        SearchFilters(category="business", language="en"),
        SearchFilters(source="Harbour Gazette", category="world"),
        SearchFilters(source="hg", since=datetime(2026, 3, 20, tzinfo=UTC)),
        None,
    ],
)
def test_filtered_listings_keep_what_the_filter_means(
    articles: ArticleStore, filters: SearchFilters | None
) -> None:
    """Keyset pages, ``latest`` and ``iter_articles`` of a filter hold exactly the articles the
    filter's meaning keeps: newest first (the pages and latest), none repeated or skipped."""
    saved = _filtered(articles)
    everything = {s.article.canonical_url: s for s in articles.article_page(None, limit=1000)}
    assert len(everything) == len(saved)
    by_url = {a.canonical_url: a for a in saved}
    expected = [u for u in everything if filters is None or _matches(by_url[u], filters)]
    pages: list[str] = []
    before = None
    while True:
        page = articles.article_page(filters, before=before, limit=7)
        pages += [s.article.canonical_url for s in page]
        if len(page) < 7:
            break
        last = page[-1]
        before = (last.article.published or last.first_seen, last.id)
    assert pages == expected
    assert [s.article.canonical_url for s in articles.latest(9, filters)] == expected[:9]
    assert sorted(s.article.canonical_url for s in articles.iter_articles(filters)) == sorted(expected)


def test_latest_by_source_category_and_originals(articles: ArticleStore, copies: CopyIndex) -> None:
    ids = []
    for i in range(6):
        a = art(
            f"https://a.example/{i}",
            f"Story {i} text.",
            source="A" if i % 2 else "B",
            category="world" if i < 3 else "sport",
            published=T0 + timedelta(hours=i),
        )
        ids.append(articles.save_article(a, seen=T0)[0])
    newest_first = ids[::-1]
    assert [s.id for s in articles.latest(3)] == newest_first[:3]
    assert [s.id for s in articles.latest_of_source("A", 2)] == [ids[5], ids[3]]
    assert [s.id for s in articles.latest_of_source("A", 2, offset=1)] == [ids[3], ids[1]]
    assert [s.id for s in articles.latest_of_category("world", 5)] == [ids[2], ids[1], ids[0]]
    edge = CopyEdge(ids[2], ids[0], CopyKind.NEAR, 0.9, {"why": "test"}, T0)
    copies.save_copy_group([ids[0], ids[2]], ids[0], [edge])
    assert [s.id for s in articles.latest_of_category("world", 5, originals=True)] == [ids[1], ids[0]]
    assert ids[2] not in [s.id for s in articles.latest(10, originals=True)]
    assert ids[2] not in [s.id for s in articles.article_page(limit=10, originals=True)]


# -- SearchIndex ---------------------------------------------------------------------------------------


def test_search_ranks_highlights_and_filters(articles: ArticleStore, index: SearchIndex) -> None:
    articles.save_article(
        art(
            "https://a.example/1",
            "Harbour bridge closed after a crack in a girder.",
            title="Bridge closed",
            category="world",
            language="en",
            source="A",
            published=T0,
        ),
        seen=T0,
    )
    articles.save_article(
        art(
            "https://b.example/2",
            "Football club sacks manager; bridge mentioned once.",
            title="Manager sacked",
            category="sport",
            language="en",
            source="B",
            published=datetime(2026, 3, 5, tzinfo=UTC),
        ),
        seen=T0,
    )
    hits = index.search("bridge")
    assert hits[0].url == "https://a.example/1"  # a title match ranks first
    assert (HIGHLIGHT_START + "bridge" + HIGHLIGHT_END).lower() in hits[0].snippet.lower()
    assert [h.url for h in index.search("bridge", SearchFilters(category="sport"))] == ["https://b.example/2"]
    assert [h.url for h in index.search("bridge", SearchFilters(source="a.example"))] == [
        "https://a.example/1"
    ]
    since = SearchFilters(since=datetime(2026, 3, 4, tzinfo=UTC))
    assert [h.url for h in index.search("bridge", since)] == ["https://b.example/2"]
    assert index.search("bridge", SearchFilters(language="fr")) == []
    assert [h.url for h in index.search("bridge", limit=1, offset=1)] == ["https://b.example/2"]
    # a phrase works, and text the query syntax cannot parse is searched as plain words
    assert len(index.search('"crack in a girder"')) == 1
    assert len(index.search('girder "(')) == 1
    with pytest.raises(SearchQueryError):
        index.search("   ")
    with pytest.raises(SearchQueryError):
        index.search('"(")')  # nothing left to look for
    with pytest.raises(SearchQueryError):
        index.search_latest("")


def test_search_folds_accents_as_sqlite_unicode61_does(articles: ArticleStore, index: SearchIndex) -> None:
    """Accents fold on every backend, both ways (SQLite's FTS5 unicode61 with remove_diacritics 2;
    PostgreSQL's migration 0004): "zurich" finds "Zürich", and "Zürich" finds "Zurich". A letter with
    no decomposition is its own (ø, æ, ß, ł): "Ærø" is found by "ærø", not by "aero"."""
    accented = articles.save_article(
        art(
            "https://a.example/accents",
            "José Álvarez flew from São Paulo to Zürich, then on to Ærø and Łódź; ĐẠI HỌC, Straße. "
            "Decomposed: Jose\u0301 Mun\u0303oz.",
            title="Trip to Zürich",
        ),
        seen=T0,
    )[0]
    plain = articles.save_article(
        art("https://b.example/plain", "Jose Alvarez met Munoz in Sao Paulo and Zurich.", title="Meeting"),
        seen=T0,
    )[0]
    both = {accented, plain}
    for query in ("zurich", "ZURICH", "Zürich", "sao paulo", "São Paulo", '"sao paulo"', "jose alvarez"):
        assert {h.id for h in index.search(query)} == both, query
    for query in ("José Álvarez", "title:zurich", "zür*", "zur*", "Muñoz", "munoz", "jose\u0301"):
        found = {h.id for h in index.search(query)}
        assert found == (both if not query.startswith("title:") else {accented}), query
    # the snippet marks the text's own words, as written
    snippet = next(h.snippet for h in index.search("zurich jose") if h.id == accented)
    assert HIGHLIGHT_START + "Zürich" + HIGHLIGHT_END in snippet, snippet
    assert HIGHLIGHT_START + "José" + HIGHLIGHT_END in snippet, snippet
    assert [h.id for h in index.search("ærø")] == [accented]
    assert [h.id for h in index.search("Ærø")] == [accented]
    assert index.search("aero") == [] and index.search("aro") == []
    assert [h.id for h in index.search("łódź")] == [accented]  # ł has no decomposition; ó, ź fold
    assert [h.id for h in index.search("łodz")] == [accented]
    assert index.search("lodz") == []
    assert [h.id for h in index.search("dai hoc")] == []  # Đ stays đ
    assert [h.id for h in index.search("đai hoc")] == [accented]
    assert [h.id for h in index.search("straße")] == [accented]
    assert index.search("strasse") == []


def test_search_latest_gives_the_newest_matches_and_originals_only_when_asked(
    articles: ArticleStore, index: SearchIndex, copies: CopyIndex
) -> None:
    ids = [
        articles.save_article(
            art(f"https://a.example/{i}", f"Harbour report {i}.", published=T0 + timedelta(days=i)), seen=T0
        )[0]
        for i in range(5)
    ]
    articles.save_article(art("https://a.example/x", "Nothing to see."), seen=T0)
    assert [s.id for s in index.search_latest("harbour", limit=3)] == [ids[4], ids[3], ids[2]]
    assert {h.id for h in index.search("harbour", window=2)} <= set(ids)
    copies.save_copy_group(
        [ids[0], ids[1]], ids[0], [CopyEdge(ids[1], ids[0], CopyKind.IDENTICAL, 1.0, {}, T0)]
    )
    assert ids[1] not in {h.id for h in index.search("harbour", originals=True)}
    assert ids[1] in {h.id for h in index.search("harbour")}


def test_text_written_without_spaces_is_found_by_its_substrings(
    articles: ArticleStore, index: SearchIndex
) -> None:
    aid, _ = articles.save_article(
        art("https://jp.example/1", "東京都で大きな橋が閉鎖された。", title="橋"), seen=T0
    )
    articles.save_article(art("https://jp.example/2", "大阪の天気は晴れ。", title="天気"), seen=T0)
    assert [h.id for h in index.search("閉鎖")] == [aid]
    assert [s.id for s in index.search_latest("東京")] == [aid]


# -- SourceStore ---------------------------------------------------------------------------------------


def test_a_source_is_added_once_listed_found_and_removed(sources: SourceStore) -> None:
    assert sources.add_source("feed", "https://a.example/feed", "A", added=T0, category="world") is True
    assert sources.add_source("feed", "https://a.example/feed", "Again", added=T0) is False
    assert sources.add_source("sitemap", "https://b.example/sitemap.xml", None, added=T0) is True
    listed = sources.sources()
    assert [(s.kind, s.url, s.name, s.category) for s in listed] == [
        ("feed", "https://a.example/feed", "A", "world"),
        ("sitemap", "https://b.example/sitemap.xml", None, None),
    ]
    a = listed[0]
    assert a.domain == "a.example" and a.added == T0 and a.errors_in_row == 0 and a.fetches == 0
    assert sources.get_source(a.id) == a
    assert sources.find_source("https://a.example/feed") == a
    assert sources.find_source("https://none.example/") is None and sources.get_source(999) is None
    assert sources.remove_source(a.id) is True
    assert sources.remove_source(a.id) is False
    assert [s.url for s in sources.sources()] == ["https://b.example/sitemap.xml"]


def test_credentials_are_kept_apart_replaced_and_forgotten_on_a_move(sources: SourceStore) -> None:
    secret = Credentials("reader", "s3cret")
    sources.add_source("feed", "https://a.example/feed", "A", added=T0, credentials=secret)
    (a,) = sources.sources()
    assert sources.source_credentials(a.id) == secret
    assert "s3cret" not in repr(sources.sources()) + repr(sources.get_source(a.id))
    sources.add_source("feed", "https://a.example/feed", "A", added=T0)  # without: kept
    assert sources.source_credentials(a.id) == secret
    sources.add_source("feed", "https://a.example/feed", "A", added=T0, credentials=Credentials("r", "new"))
    assert sources.source_credentials(a.id) == Credentials("r", "new")
    assert sources.move_source(a.id, "https://a.example/rss") is True
    assert sources.source_credentials(a.id) == Credentials("r", "new")
    assert sources.move_source(a.id, "https://other.example/rss", keep_credentials=False) is True
    assert sources.source_credentials(a.id) is None
    moved = sources.get_source(a.id)
    assert moved is not None and moved.url == "https://other.example/rss" and moved.domain == "other.example"
    sources.add_source("feed", "https://b.example/feed", "B", added=T0)
    assert sources.move_source(a.id, "https://b.example/feed") is False  # another source has it


def test_fetches_move_a_sources_health_and_schedule(sources: SourceStore) -> None:
    sources.add_source("feed", "https://a.example/feed", "A", added=T0)
    sources.add_source("feed", "https://b.example/feed", "B", added=T0)
    sources.add_source("sitemap", "https://c.example/sitemap.xml", "C", added=T0)
    a, b, c = sources.sources()
    assert [s.id for s in sources.due_sources(T0, ["feed"])] == [a.id, b.id]  # never fetched: due
    assert sources.next_due(["feed"]) is not None
    ok = SourceFetch(
        fetched=T0,
        status=200,
        ok=True,
        next_due=T0 + timedelta(hours=1),
        etag='"v1"',
        last_modified="Mon, 02 Mar 2026 08:00:00 GMT",
        new_articles=4,
        ttl_seconds=600,
        rate_per_day=12.0,
    )
    sources.record_source_fetch(a.id, ok)
    first = sources.get_source(a.id)
    assert first is not None and (first.ttl_seconds, first.rate_per_day) == (600, 12.0)
    later = T0 + timedelta(days=2)
    sources.record_source_fetch(
        a.id, SourceFetch(later, 304, True, later + timedelta(hours=1), not_modified=True)
    )
    failed = SourceFetch(later, 500, False, later + timedelta(hours=4), error="HTTP 500", errors_in_row=1)
    sources.record_source_fetch(b.id, failed)
    a2, b2 = sources.get_source(a.id), sources.get_source(b.id)
    assert a2 is not None and b2 is not None
    assert (a2.fetches, a2.not_modified, a2.new_articles, a2.last_status) == (2, 1, 4, 304)
    assert (a2.etag, a2.last_modified) == ('"v1"', "Mon, 02 Mar 2026 08:00:00 GMT")  # kept on a 304
    assert (a2.first_success, a2.last_success, a2.last_new_article) == (T0, later, T0)
    assert a2.rate_per_day == 12.0  # kept until a fetch says otherwise
    assert a2.new_per_day == pytest.approx(2.0)
    assert (b2.errors_in_row, b2.last_error, b2.last_success, b2.fetches) == (1, "HTTP 500", None, 1)
    assert [s.id for s in sources.due_sources(later + timedelta(hours=2), ["feed"])] == [a.id]
    assert sources.next_due(["feed"]) == later + timedelta(hours=1)
    assert sources.next_due(["sitemap"]) is not None and c.next_due is None
    sources.set_source_paused(b.id, "gone for good", now=later)
    assert sources.due_sources(later + timedelta(days=9), ["feed"])[0].id == a.id
    assert b.id not in [s.id for s in sources.due_sources(later + timedelta(days=9), ["feed"])]
    paused = sources.get_source(b.id)
    assert paused is not None and paused.paused_reason == "gone for good"
    sources.set_source_paused(b.id, None, now=later)  # resumed: due now, its errors forgotten
    resumed = sources.get_source(b.id)
    assert resumed is not None and resumed.paused_reason is None and resumed.errors_in_row == 0
    assert resumed.next_due == later


def test_a_due_source_is_leased_to_one_collector_at_a_time(backend: Backend) -> None:
    """Two collectors (two connections, as two processes have) claim the same due sources: each
    source goes to one of them; a lease that runs out (its collector died) makes it due again;
    recording the fetch or releasing ends the lease."""
    one, two = backend.open(), backend.open()
    for n in range(5):
        one.add_source("feed", f"https://s{n}.example/feed", f"S{n}", added=T0)
    until = T0 + timedelta(minutes=5)
    first = one.claim_sources(T0, ["feed"], holder="one", until=until, limit=3)
    second = two.claim_sources(T0, ["feed"], holder="two", until=until, limit=10)
    assert len(first) == 3 and len(second) == 2
    assert not {s.id for s in first} & {s.id for s in second}
    assert {(s.leased_by, s.leased_until) for s in first} == {("one", until)}
    assert one.claim_sources(T0, ["feed"], holder="three", until=until, limit=10) == []
    assert one.due_sources(T0, ["feed"]) == []  # leased: not due, though never fetched
    assert one.next_due(["feed"]) == until  # due again no earlier than the leases' end

    # "one" works on and renews its leases (only its own); "two" recorded one fetch and was killed.
    later = until + timedelta(minutes=20)
    one.renew_claims("one", [s.id for s in first], later)
    done, lost = second
    one.renew_claims("one", [lost.id], later)  # not one's: no effect
    two.record_source_fetch(done.id, SourceFetch(T0, 200, True, T0 + timedelta(hours=1)))
    recorded = one.get_source(done.id)
    assert recorded is not None and (recorded.leased_by, recorded.leased_until) == (None, None)
    soon = until - timedelta(seconds=1)
    assert one.claim_sources(soon, ["feed"], holder="one", until=later, limit=9) == []
    taken = one.claim_sources(until, ["feed"], holder="one", until=later, limit=9)
    assert [s.id for s in taken] == [lost.id]  # the dead collector's source, once its lease ran out

    # Releasing gives every lease of a holder back at once (a collector stopping early).
    assert two.claim_sources(until, ["feed"], holder="two", until=later, limit=9) == []
    one.release_claims("one")
    back = two.claim_sources(until, ["feed"], holder="two", until=later, limit=9)
    assert sorted(s.id for s in back) == sorted([*(s.id for s in first), lost.id])


def test_entry_ids_page_fetches_and_rejections(articles: ArticleStore, sources: SourceStore) -> None:
    sources.add_source("feed", "https://a.example/feed", "A", added=T0)
    (src,) = sources.sources()
    aid, _ = articles.save_article(art(), seen=T0)
    other, _ = articles.save_article(art("https://a.example/2", "Another."), seen=T0)
    assert sources.entry_article(src.id, "urn:1") is None
    sources.save_entry_ids(src.id, [("urn:1", aid)])
    sources.save_entry_ids(src.id, [("urn:1", other), ("urn:2", aid)])
    sources.save_entry_ids(src.id, [])
    assert (sources.entry_article(src.id, "urn:1"), sources.entry_article(src.id, "urn:2")) == (other, aid)

    page = "https://a.example/page"
    failed = Rejected(origin=page, reason=RejectReason.FETCH_FAILED, detail="timeout", url=page)
    sources.record_rejection(failed, seen=T0)
    sources.record_rejection(Rejected(origin="f#9", reason=RejectReason.EMPTY, detail="-"), seen=T0)
    assert [r.origin for r in sources.rejections()] == ["f#9", page]
    assert sources.page_fetch(page) is None
    for outcome in (PageOutcome.FAILED, PageOutcome.FAILED):
        sources.record_page_fetch(
            page, source_id=src.id, status=None, outcome=outcome, detail="timeout", tried=T0
        )
    fetch = sources.page_fetch(page)
    assert fetch is not None and (fetch.outcome, fetch.attempts, fetch.tried) == (PageOutcome.FAILED, 2, T0)
    later = T0 + timedelta(hours=1)
    sources.record_page_fetch(
        page, source_id=src.id, status=200, outcome=PageOutcome.STORED, detail=None, tried=later
    )
    fetch = sources.page_fetch(page)
    assert fetch is not None and (fetch.status, fetch.outcome, fetch.attempts) == (200, PageOutcome.STORED, 3)
    assert [r.origin for r in sources.rejections()] == ["f#9"]  # a stored page is no longer refused


# -- CopyIndex -----------------------------------------------------------------------------------------


def test_candidates_share_the_exact_fingerprint_or_most_keys(
    articles: ArticleStore, copies: CopyIndex
) -> None:
    ids = [articles.save_article(art(f"https://a.example/{i}", f"Text {i}."), seen=T0)[0] for i in range(5)]
    copies.save_fingerprint(ids[0], IndexKeys("same", 10, (1, 2, 3)))
    copies.save_fingerprint(ids[1], IndexKeys("same", 10, (9,)))
    copies.save_fingerprint(ids[2], IndexKeys("x2", 10, (1, 2, 3)))
    copies.save_fingerprint(ids[3], IndexKeys("x3", 10, (3,)))
    articles.save_article(
        art(f"https://a.example/{4}", "Text 4, updated."), seen=T0, index=IndexKeys("x4", 3, (2,))
    )
    assert copies.candidates("same", (1, 2, 3), exclude=ids[0], limit=10) == [ids[1], ids[2], ids[3], ids[4]]
    # the exact fingerprint first, then most shared keys, then the lower id
    assert copies.candidates("none", (1, 2, 3), exclude=ids[0], limit=2) == [ids[2], ids[3]]
    assert copies.candidates("none", (), exclude=0, limit=5) == []
    copies.save_fingerprint(ids[2], IndexKeys("x2", 10, (7,)))  # new keys replace the old ones
    assert ids[2] not in copies.candidates("none", (1, 2, 3), exclude=ids[0], limit=10)
    assert copies.candidates("none", (7,), exclude=0, limit=10) == [ids[2]]
    many = tuple(range(1000, 2300))  # more keys than one statement binds
    copies.save_fingerprint(ids[3], IndexKeys("x3", 10, many))
    assert copies.candidates("none", many, exclude=0, limit=10) == [ids[3]]


def test_copy_groups_edges_pages_and_reports(articles: ArticleStore, copies: CopyIndex) -> None:
    def save(i: int, source: str) -> int:
        return articles.save_article(
            art(f"https://{source.lower()}.example/{i}", f"Text {i}.", source=source), seen=T0
        )[0]

    o, c1, c2, lone = save(1, "Wire"), save(2, "Herald"), save(3, "Herald"), save(4, "Wire")
    e1 = CopyEdge(c1, o, CopyKind.SYNDICATED, 0.95, {"link": "canonical"}, T0)
    e2 = CopyEdge(c2, o, CopyKind.REWRITTEN, 0.7, {"names": 3}, T0)
    assert copies.copy_group(o) == []
    copies.save_copy_group([o, c1], o, [e1])
    copies.save_copy_group([o, c1, c2], o, [e1, e2])  # a bigger group replaces the first
    assert copies.copy_group(c2) == sorted([o, c1, c2]) and copies.copy_group(lone) == []
    assert copies.copy_edges() == [e1, e2]
    assert copies.copy_edges(original_id=o) == [e1, e2] and copies.copy_edges(copy_id=c2) == [e2]
    assert copies.originals_of([c2, lone, o, c1, c2]) == {c1: e1, c2: e2}  # a page in one read
    assert copies.originals_of([]) == {}
    assert copies.copy_page(limit=1) == [e1] and copies.copy_page(after=c1) == [e2]
    assert copies.copy_page(kind="rewritten") == [e2]
    assert copies.copy_page(source="wire") == [e1, e2] and copies.copy_page(source="nobody") == []
    report = {p.source: p for p in copies.provenance_by_source()}
    assert (report["Herald"].articles, report["Herald"].originals) == (2, 0)
    assert report["Herald"].by_kind == {"syndicated": 1, "rewritten": 1}
    assert report["Herald"].copied_from == {"Wire": 2}
    assert (report["Wire"].articles, report["Wire"].originals) == (2, 2)
    assert copies.provenance_of_source("Herald") == report["Herald"]
    copies.set_fingerprint_scheme(3)
    copies.save_fingerprint(o, IndexKeys("e", 5, (1,)))
    copies.clear_provenance()
    assert copies.copy_edges() == [] and copies.copy_group(c1) == []
    assert copies.candidates("e", (1,), exclude=0, limit=5) == []
    assert copies.fingerprint_scheme() is None


def test_the_fingerprint_scheme_is_recorded(copies: CopyIndex) -> None:
    assert copies.fingerprint_scheme() is None
    copies.set_fingerprint_scheme(2)
    copies.set_fingerprint_scheme(3)
    assert copies.fingerprint_scheme() == 3


def test_a_line_many_articles_of_a_source_carry_is_counted(articles: ArticleStore, copies: CopyIndex) -> None:
    for i in range(4):
        articles.save_article(
            art(
                f"https://a.example/{i}", f"Story {i} here. Follow us on Harbour Radio for more.", source="A"
            ),
            seen=T0,
        )
    articles.save_article(
        art("https://b.example/1", "Follow us on Harbour Radio for more.", source="B"), seen=T0
    )
    assert copies.articles_with_line("Follow us on Harbour Radio!", source="A", limit=10) == 4
    assert copies.articles_with_line("Follow us on Harbour Radio!", source="A", limit=2) == 2
    assert copies.articles_with_line("Radio Harbour on us follow", source="A", limit=10) == 0
    assert copies.articles_with_line("...", source="A", limit=10) == 0


# -- StoryBook and StoryStore ------------------------------------------------------------------------


def _stream(n: int, seed: int = 3) -> list[st.Doc]:
    """A few events, four outlets, three categories, an article every 20 minutes."""
    rng = random.Random(seed)
    common = [f"word{i}" for i in range(400)]
    events = [
        ([f"topic{j}term{i}" for i in range(20)], f"Alda{j} Brun{j}", ["world", "local", "sport"][j % 3])
        for j in range(8)
    ]
    start = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    docs = []
    for i in range(1, n + 1):
        topic, name, category = events[min(int(rng.random() * 8), (i // 15) % 8 + 1)]
        body = [rng.choice(common) for _ in range(30)] + [rng.choice(topic) for _ in range(12)] + [name] * 3
        rng.shuffle(body)
        title = " ".join(rng.choice(topic) for _ in range(4)) + " " + name
        source = rng.choice(["Harbour", "Valley", "Metro", "Courier"])
        docs.append(
            st.features(
                i,
                title,
                "the " + " ".join(body) + ".",
                when=start + 1200 * i,
                source=source,
                category=category,
            )
        )
    return docs


def test_a_store_decides_every_story_as_the_memory_book_does(
    store: Store, book: StoryBook, stories: StoryStore
) -> None:
    """``stories.assign`` over the store gives what it gives over ``MemoryBook`` (the pure
    reference), article after article; the store then reads back what the book holds."""
    memory = st.MemoryBook()
    for doc in _stream(160):
        with store.transaction():
            aid, _ = store.save_article(article_of(doc), seen=T0)
            assert aid == doc.article_id
            assert st.assign(book, doc) == st.assign(memory, doc), doc.article_id
    assert stories.story_assignments() == memory.labels()
    assert stories.story_decisions() == memory.decisions
    terms = sorted({t for doc in _stream(20) for t in doc.counts})
    assert book.story_doc_freqs(terms) == memory.story_doc_freqs(terms)
    for aid, sid in list(memory.labels().items())[::17]:
        assert book.story_id_of(aid) == sid
        member = book.story_member(aid)
        assert member == memory.story_member(aid)
        assert [m.article_id for m in book.story_members(sid)] == sorted(memory.member_ids[sid])
        sketch, expected = book.story_sketch(sid), memory.story_sketch(sid)
        assert sketch is not None and expected is not None
        assert (sketch.id, sketch.size, sketch.title, sketch.first, sketch.last) == (
            expected.id,
            expected.size,
            expected.title,
            expected.first,
            expected.last,
        )
    assert book.story_id_of(10_000) is None and book.story_member(10_000) is None
    assert book.story_sketch(10_000) is None
    assert book.new_story_id() > max(memory.labels().values())


def test_stories_are_listed_paged_and_cleared(
    store: Store, articles: ArticleStore, book: StoryBook, stories: StoryStore
) -> None:
    for doc in _stream(120, seed=4):
        with store.transaction():
            store.save_article(article_of(doc), seen=T0)
            st.assign(book, doc)
    listed = stories.stories()
    assert listed and len({s.id for s in listed}) == len(listed)
    keys = [(s.last_seen, s.id) for s in listed]
    assert keys == sorted(keys, reverse=True)  # newest first
    assert sum(s.size for s in listed) == 120
    assert all(s.size >= 2 for s in stories.stories(min_size=2))
    assert stories.stories(limit=2) == listed[:2]
    since = listed[len(listed) // 2].last_seen
    assert since is not None
    assert stories.stories(since=since) == [s for s in listed if s.last_seen and s.last_seen >= since]
    world = stories.stories(category="WORLD")
    assert world and all((s.category or "").lower() == "world" for s in world)
    assert set(stories.story_categories(len(listed))) == {s.category for s in listed if s.category}
    paged = []
    before = None
    while page := stories.story_page(before=before, limit=3):
        paged += page
        before = (page[-1].last_seen, page[-1].id)
    assert paged == listed
    for s in listed[:5]:
        assert stories.get_story(s.id) == s
    assert stories.get_story(10_000) is None
    biggest = max(listed, key=lambda s: (s.size, s.id))
    members = sorted(book.story_members(biggest.id), key=lambda m: (m.when or 0, m.article_id), reverse=True)
    every = [a.id for a in articles.latest(200)]
    assert stories.story_ids_of([*every, 10_000]) == {aid: book.story_id_of(aid) for aid in every}
    assert stories.story_ids_of([]) == {}
    assert [a.id for a in articles.latest_of_story(biggest.id, 3)] == [m.article_id for m in members[:3]]
    decisions = stories.story_decisions()
    for d in decisions[:3]:
        assert d in stories.story_decisions(d.story_id)
    stories.clear_stories()
    assert stories.stories() == [] and stories.story_assignments() == {} and stories.story_decisions() == []
    assert book.story_doc_freqs(["the"]) == ({}, 0)


# -- Maintenance ---------------------------------------------------------------------------------------


def test_statistics_usage_integrity_and_unfinished_articles(
    articles: ArticleStore, sources: SourceStore, upkeep: Maintenance
) -> None:
    bare, _ = articles.save_article(art("https://a.example/1", source="A", category="world"), seen=T0)
    keyed, _ = articles.save_article(
        art("https://a.example/2", "Other text.", source="A", language="en"),
        seen=T0,
        index=IndexKeys("e", 5, ()),
    )
    articles.save_article(
        art("https://a.example/2", "Other text, changed.", source="A", language="en"), seen=T0
    )
    sources.add_source("feed", "https://a.example/feed", "A", added=T0)
    sources.record_rejection(Rejected(origin="o", reason=RejectReason.EMPTY, detail="-"), seen=T0)
    stats = upkeep.stats()
    assert (stats.articles, stats.revisions, stats.sources, stats.rejections) == (2, 3, 1, 1)
    assert stats.by_source == {"A": 2} and stats.by_category == {"(none)": 1, "world": 1}
    assert stats.by_language == {"(none)": 1, "en": 1}
    assert upkeep.unfinished_articles() == [
        UnfinishedArticle(bare, frozenset({MissingPart.FINGERPRINT, MissingPart.STORY})),
        UnfinishedArticle(keyed, frozenset({MissingPart.STORY})),
    ]
    usage = upkeep.disk_usage()
    assert usage.articles == 2 and usage.text_bytes > 0 and usage.file_bytes >= usage.free_bytes
    assert sum(o.bytes for o in usage.objects) <= usage.file_bytes
    assert upkeep.integrity_check() == []


def test_settling_and_compacting_change_nothing_a_read_gives(store: Store, book: StoryBook) -> None:
    docs = _stream(60, seed=6)
    for doc in docs:
        with store.transaction():
            store.save_article(article_of(doc), seen=T0)
            st.assign(book, doc)
    terms = sorted({t for doc in docs for t in doc.counts})

    def reads() -> object:
        return (
            book.story_doc_freqs(terms),
            store.story_assignments(),
            store.stories(),
            [s.article for s in store.latest(100)],
            [h.id for h in store.search("the")],
        )

    before = reads()
    store.settle()
    assert reads() == before
    store.compact()
    assert reads() == before
    assert store.integrity_check() == []
    with pytest.raises(StorageError), store.transaction():
        store.compact()  # not inside a unit of work


# -- Transfer ------------------------------------------------------------------------------------------


def test_a_whole_desk_moves_to_another_store_with_nothing_lost(backend: Backend) -> None:
    """``copy_store`` through ``Transfer``: every table, and what the Protocols read, the same in
    the copy (the copy between backends is tests/store/test_copy_store.py)."""
    from newsdesk.store import TRANSFER_TABLES, copy_store

    store = backend.open()
    for doc in _stream(160):
        with store.transaction():
            store.save_article(article_of(doc), seen=T0)
            st.assign(store, doc)
    aid, _ = store.save_article(art(text="Ünïcode \x00 kept", published=T0), seen=T0)
    store.save_article(art(text="Changed.", published=T0, updated=T0 + timedelta(hours=1)), seen=T0)
    store.save_copy_group([1, 2], 1, [CopyEdge(2, 1, CopyKind.NEAR, 0.9, {"why": ["x"]}, T0)])
    store.save_fingerprint(1, IndexKeys("e", 5, (7, -3)))
    store.set_fingerprint_scheme(3)
    store.add_source("feed", "https://a.example/feed", "A", added=T0, credentials=Credentials("u", "p"))
    store.save_input(b"d", b"x", article_id=aid)
    assert store.story_decisions()
    copy = backend.another()
    reported: dict[str, tuple[int, int]] = {}
    copied = copy_store(
        store, copy, progress=lambda table, done, total: reported.update({table: (done, total)})
    )
    assert reported["articles"] == (161, 161) and set(reported) == {t.name for t in TRANSFER_TABLES}
    assert copied["articles"] == 161 and copied["article_revisions"] == 162
    for table in TRANSFER_TABLES:
        assert sorted(copy.export_rows(table.name), key=repr) == sorted(
            store.export_rows(table.name), key=repr
        )
    assert copy.story_decisions() == store.story_decisions() and copy.stories() == store.stories()
    assert copy.revisions(aid) == store.revisions(aid) and copy.get_article(aid) == store.get_article(aid)
    assert copy.candidates("e", (7,), exclude=0, limit=5) == [1]
    with pytest.raises(StorageError, match="already holds a desk"):
        copy_store(store, copy)
    new, _ = copy.save_article(art("https://new.example/1"), seen=T0)
    assert new == 162  # numbered after the copied ones


def test_the_store_satisfies_every_protocol(store: Store) -> None:
    """``Store`` is the union: a store passes as each domain's Protocol (and mypy checks
    ``open_store``'s SQLiteStore against ``Store``)."""
    for protocol in (
        StoreBase,
        ArticleStore,
        SearchIndex,
        SourceStore,
        CopyIndex,
        StoryBook,
        StoryStore,
        Maintenance,
        Transfer,
    ):
        missing = [n for n in Surface(store, protocol)._names if not callable(getattr(store, n, None))]
        assert missing == [], protocol.__name__
