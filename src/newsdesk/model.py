"""Plain records shared by every stage.

Stages pass these between each other and import nothing of each other; the store persists them.
They are frozen dataclasses so a record handed to a stage cannot be changed behind the caller's back.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import StoredSource

#: Markers around matched terms in search snippets; front ends turn them into their own markup.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"


class SourceKind(enum.StrEnum):
    """What a source is; decides which reader handles it."""

    FEED = "feed"
    OPML = "opml"
    SITEMAP = "sitemap"
    PAGE = "page"
    FILE = "file"
    WARC = "warc"


@dataclass(frozen=True, slots=True)
class EntryHints:
    """What a feed or JSONL record said about an item, before we look at the page itself.

    Extraction prefers what the page says and falls back to these; categories from a feed are often
    the best section signal a page has.
    """

    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    entry_id: str | None = None
    source_name: str | None = None
    language: str | None = None
    #: Plain text given directly (a JSONL record with ``text`` and no ``html``).
    text: str | None = None
    #: What the reader noticed that a person debugging the item wants to know (a link it did not
    #: trust, a damaged feed the entry was recovered from); carried into the article's notes.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fetched:
    """One document as it arrived, from a file, a feed entry, a JSONL record or (later) HTTP.

    ``origin`` says where it came from (a file path, ``path#entry-3``, a URL) so a report can point a
    person at the exact input that failed.
    """

    url: str | None
    body: bytes
    origin: str
    content_type: str | None = None
    final_url: str | None = None
    status: int | None = None
    fetched_at: datetime | None = None
    headers: tuple[tuple[str, str], ...] = ()
    hints: EntryHints = field(default_factory=EntryHints)
    #: Feed or outlet that delivered it, when known (the OPML/feed title or a JSONL ``source``).
    source: str | None = None


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A link the article declares as where it came from ("Source link", "Originally published at")."""

    url: str
    label: str


@dataclass(frozen=True, slots=True)
class Article:
    """A clean news article, as extraction makes it and the store keeps it."""

    url: str
    canonical_url: str
    title: str
    text: str
    source: str | None = None
    site_name: str | None = None
    byline: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    fetched: datetime | None = None
    language: str | None = None
    section: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    source_links: tuple[SourceLink, ...] = ()
    description: str | None = None
    #: Things extraction did that a person debugging a page wants to know (clutter removed, fallbacks).
    notes: tuple[str, ...] = ()
    origin: str | None = None
    entry_id: str | None = None

    @property
    def word_count(self) -> int:
        """Words, fair to scripts written without spaces (see ``newsdesk._text``)."""
        from ._text import word_count

        return word_count(self.text)


class RejectReason(enum.StrEnum):
    """Why a document did not become an article. Stable values: reports and tests count them."""

    NOT_HTML = "not-html"
    EMPTY = "empty"
    ERROR_PAGE = "error-page"
    INDEX_PAGE = "index-page"
    TOO_SHORT = "too-short"
    #: Larger than the budget of a page (``max_page_bytes``, ``max_page_elements``: not parsed) or
    #: of an article (``max_article_chars``): no real article is that long.
    TOO_LARGE = "too-large"
    NO_URL = "no-url"
    UNPARSABLE = "unparsable"
    SUMMARY_ONLY = "summary-only"
    #: The input itself could not be read (malformed feed, bad JSON line, unreadable file).
    BROKEN = "broken-input"
    #: A page that had to be fetched could not be (HTTP error, timeout, robots.txt, address guard).
    FETCH_FAILED = "fetch-failed"
    #: newsdesk itself failed on this item (a bug to report): recorded so the run goes on.
    INTERNAL_ERROR = "internal-error"
    #: Extraction ran past its time budget (``extract_timeout``) and was stopped.
    TIMED_OUT = "timed-out"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A document that is not an article, with a reason a person can act on."""

    origin: str
    reason: RejectReason
    detail: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password a source wants (HTTP Basic auth), given as ``user:password@`` in its URL.

    A secret: kept apart from the URL, sent only to the source's own origin, never shown, listed or
    exported; the repr hides both parts, so a log line or a traceback cannot print them.
    """

    username: str
    password: str

    def __repr__(self) -> str:
        return "Credentials(username=***, password=***)"


@dataclass(frozen=True, slots=True)
class Extracted:
    """A document and what extraction made of it, ahead of storing: ``update`` extracts away from
    the store's one writer, then hands this to ingest, which stores it without extracting again."""

    fetched: Fetched
    result: Article | Rejected


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document made ready for the store by the stages that need none (``Preparer``: decode,
    digest, extract, fingerprint), so that they may run elsewhere (a batch's workers) and
    ``Desk.ingest_prepared`` runs the rest (save, copies, story) as ingest does.

    ``input_digest`` and ``extraction_digest`` are ``_digest``'s pair for the document. ``result``
    is what extraction made of it, or None when it was not extracted because the store knew the
    pair already (it is then counted unchanged, or rejected again, as ingest does). ``index`` is an
    article's copy-detection keys, ``understanding`` what the understand stage found in it.
    ``fetched`` keeps what storing and reporting read (origin, URLs, hints); a worker sends it
    without its body, which nothing after extraction reads.
    """

    fetched: Fetched
    input_digest: bytes
    extraction_digest: bytes
    result: Article | Rejected | None
    index: IndexKeys | None = None
    understanding: Understanding | None = None


@dataclass(frozen=True, slots=True)
class FoundSource:
    """A source an input names (an OPML outline, a feed's own address), to remember for fetching."""

    kind: SourceKind
    url: str
    name: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Broken:
    """An input that could not be read at all (malformed feed, unreadable file, bad JSON line)."""

    origin: str
    detail: str


class ItemStatus(enum.StrEnum):
    """How one input item ended: every item ends in exactly one of these."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    OLDER = "older-revision"
    REJECTED = "rejected"
    BROKEN = "broken"
    SOURCE = "source"
    #: A link or summary-only entry whose page is not stored yet: it must be fetched.
    PENDING = "pending"
    #: A link or summary-only entry whose page is already stored.
    COVERED = "covered"


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What became of one input item: the unit a progress callback, an audit or a test counts.

    ``article_id`` is set for stored articles (and covered entries); ``reason`` and ``detail`` for
    the rest (a RejectReason value for rejections, the source URL for a source found)."""

    origin: str
    status: ItemStatus
    article_id: int | None = None
    reason: str | None = None
    detail: str | None = None


class Outcome(enum.StrEnum):
    """What storing an article did."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    #: A revision older than what is stored: kept in history, the current text stays.
    OLDER = "older-revision"


class PageOutcome(enum.StrEnum):
    """How the last fetch of an entry's page ended (a page that failed for now is tried again)."""

    STORED = "stored"
    REJECTED = "rejected"  # fetched, but extraction refused it: not tried again
    GONE = "gone"  # never fetchable (404, 410, robots.txt, a blocked address): not tried again
    FAILED = "failed"  # failed for now: tried again, up to a limit


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as read back from the store, with its identity and history."""

    id: int
    article: Article
    first_seen: datetime
    last_seen: datetime
    revisions: int


class MissingPart(enum.StrEnum):
    """What a stored article lacks when the run that stored it was killed before it finished it."""

    FINGERPRINT = "fingerprint"  # no copy-detection keys: copies of it go unnoticed
    STORY = "story"  # in no story (and its copy edges may be missing too)


@dataclass(frozen=True, slots=True)
class UnfinishedArticle:
    """A stored article that misses part of what a finished ingest gives every article."""

    article_id: int
    missing: frozenset[MissingPart]


@dataclass(frozen=True, slots=True)
class IndexKeys:
    """What the store indexes of an article for copy detection: its exact-text hash, its size and its
    LSH band keys (made by the provenance stage)."""

    exact: str
    words: int
    keys: tuple[int, ...]


class CopyKind(enum.StrEnum):
    """How a copy relates to its original."""

    IDENTICAL = "identical"  # the same text, after normalising case, punctuation and spacing
    NEAR = "near"  # small edits, other boilerplate, truncation
    SYNDICATED = "syndicated"  # declared by a link (canonical, "Source link") and textually close
    REWRITTEN = "rewritten"  # reworded ("spun"): names, figures, quotes and order survive


@dataclass(frozen=True, slots=True)
class CopyEdge:
    """``copy_id`` copies ``original_id``; ``evidence`` is what a person can check."""

    copy_id: int
    original_id: int
    kind: CopyKind
    score: float
    evidence: dict[str, Any]
    decided: datetime


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """An article and the copy group it belongs to: the edge to the original it copies (None when
    it copies nobody) and every copy of that original (or of the article itself)."""

    article: StoredArticle
    original: CopyEdge | None
    copies: list[CopyEdge]

    @property
    def root_id(self) -> int:
        """The group's original: the one the article copies, else the article itself."""
        return self.original.original_id if self.original else self.article.id


@dataclass(frozen=True, slots=True)
class SourceProvenance:
    """How much of what one source publishes is its own, and whom it copies."""

    source: str
    articles: int
    originals: int
    by_kind: dict[str, int]
    copied_from: dict[str, int]


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    url: str
    title: str
    source: str | None
    published: datetime | None
    section: str | None
    language: str | None
    snippet: str
    rank: float


class Health(enum.StrEnum):
    """How a source is doing (the API's ``health.status``)."""

    OK = "ok"
    FAILING = "failing"  # its last fetch failed
    PAUSED = "paused"  # not updated until resumed
    NEVER_FETCHED = "never_fetched"


@dataclass(frozen=True, slots=True)
class SearchFilters:
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    language: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class QueryBudget:
    """How long one search may run (``seconds``; None: no limit), and how its caller stops it
    sooner: ``cancelled`` is asked while the query runs (from the query's own thread) and stops it
    once it answers True (a web client that disconnected)."""

    seconds: float | None = None
    cancelled: Callable[[], bool] | None = None


@dataclass(slots=True)
class IngestReport:
    """The closing summary of an ingest: counts and, for everything not stored, the reason."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    sources_found: int = 0
    #: Feed entries with only a summary: those whose page was stored too, and those still to fetch.
    summary_covered: int = 0
    #: Articles found related to an earlier one (copies or originals of it).
    copies_found: int = 0
    summary_pending: list[Rejected] = field(default_factory=list)
    #: The entries of ``summary_pending`` themselves, with what their feed or sitemap said of them:
    #: what ``Desk.fetch_pending`` fetches.
    pending: list[Fetched] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.older += 1

    def as_dict(self) -> dict[str, Any]:
        reasons: dict[str, int] = {}
        for r in self.rejected:
            reasons[r.reason.value] = reasons.get(r.reason.value, 0) + 1
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "older": self.older,
            "rejected": len(self.rejected),
            "rejected_by_reason": reasons,
            "broken": len(self.broken),
            "sources_found": self.sources_found,
            "copies_found": self.copies_found,
            "summary_only_covered": self.summary_covered,
            "summary_only_pending": len(self.summary_pending),
        }


@dataclass(slots=True)
class PagesReport:
    """What fetching the pages of local entries did (``newsdesk ingest --fetch``)."""

    fetched: int = 0
    new: int = 0
    updated: int = 0
    rejected: int = 0
    failed: int = 0
    #: Pages left for another run: more than ``max_pages_per_update`` were waiting.
    skipped: int = 0


@dataclass(slots=True)
class SourceResult:
    """What one update did for one source; ``error`` is the reason a person reads when it failed."""

    source_id: int
    url: str
    name: str | None = None
    status: int | None = None
    not_modified: bool = False
    new: int = 0
    updated: int = 0
    entries: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0
    error: str | None = None
    #: Why the source is paused now, if this update paused it.
    paused: str | None = None
    #: Where a permanent redirect moved the source.
    moved_to: str | None = None
    next_due: datetime | None = None


class BatchStage(enum.StrEnum):
    """The two halves of a batch, as its progress reports them."""

    #: Partitions read, digested, extracted and fingerprinted on the workers.
    PREPARE = "prepare"
    #: Documents stored on the client, in publication order.
    STORE = "store"


@dataclass(frozen=True, slots=True)
class BatchStep:
    """Progress of a batch: ``done`` of ``total`` (partitions, then documents) in ``stage``;
    ``total`` may grow while large web archives are split into parts."""

    stage: BatchStage
    done: int
    total: int


@dataclass(slots=True)
class BatchReport:
    """The closing summary of ``newsdesk batch``: what the workers did, and what storing did
    (``ingest``, as ``newsdesk ingest`` reports it)."""

    ingest: IngestReport
    inputs: int = 0
    partitions: int = 0
    #: Documents read (pages and feed entries), and of those: known to the store before the
    #: batch, so not extracted; extracted on a worker.
    documents: int = 0
    known: int = 0
    extracted: int = 0
    #: Seconds the workers spent preparing partitions (summed over workers), and the client
    #: storing (the order-dependent stages).
    prepare_seconds: float = 0.0
    store_seconds: float = 0.0
    seconds: float = 0.0
    #: Wall seconds of the parallel phase: from the first task submitted to the last partition's
    #: result (what more workers shorten; ``store_seconds`` is the serial rest).
    parallel_seconds: float = 0.0
    workers: int = 0
    dashboard: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "partitions": self.partitions,
            "documents": self.documents,
            "known": self.known,
            "extracted": self.extracted,
            "prepare_seconds": round(self.prepare_seconds, 3),
            "store_seconds": round(self.store_seconds, 3),
            "seconds": round(self.seconds, 3),
            "parallel_seconds": round(self.parallel_seconds, 3),
            "workers": self.workers,
            "dashboard": self.dashboard,
            **self.ingest.as_dict(),
        }


@dataclass(slots=True)
class UpdateReport:
    """The closing summary of ``newsdesk update``: one result per source fetched."""

    results: list[SourceResult] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0
    bytes_received: int = 0

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.results)

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.error]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": len(self.results),
            "new": self.new,
            "updated": self.updated,
            "failed": len(self.failed),
            "not_modified": sum(1 for r in self.results if r.not_modified),
            "pages_fetched": sum(r.pages_fetched for r in self.results),
            "requests": self.requests,
            "bytes_received": self.bytes_received,
            "results": [
                {
                    "source": r.source_id,
                    "url": r.url,
                    "status": r.status,
                    "new": r.new,
                    "updated": r.updated,
                    "entries": r.entries,
                    "pages_fetched": r.pages_fetched,
                    "pages_failed": r.pages_failed,
                    "error": r.error,
                    "paused": r.paused,
                    "moved_to": r.moved_to,
                    "next_due": r.next_due.isoformat() if r.next_due else None,
                }
                for r in self.results
            ],
        }


# -- stories (see stories.py) ------------------------------------------------------------------------


class JoinKind(enum.StrEnum):
    """How an article came into its story."""

    NEW = "new"  # it started the story
    JOINED = "joined"  # it scored at the threshold or more against the story
    MEMBER = "member"  # no story scored so, but it closely matches one article of this one
    COPY = "copy"  # it copies an article of the story, or is copied by one


class DecisionKind(enum.StrEnum):
    """What a story decision did."""

    MERGE = "merge"  # another story was merged into this one
    SPLIT = "split"  # part of this story became a story of its own


def majority(counts: dict[str, int]) -> str | None:
    """The most counted key, ties to the first in alphabetical order; None when there is none: a
    story's category from its members' (``StorySketch.category``, and a store refiling one)."""
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass(slots=True)
class StorySketch:
    """A story as clustering keeps it: the sum of its members' vectors (pruned to the heaviest
    terms), its span in POSIX seconds, and counts of its sources and categories. Mutable: the stage
    works on a copy and hands it back to the store."""

    id: int
    centroid: dict[str, float]
    size: int
    first: float | None
    last: float | None
    title: str
    title_article: int
    sources: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    open: bool = True
    merged_into: int | None = None
    norms: tuple[float, float] | None = None  # lengths of the centroid's word and name parts (a cache)

    @property
    def category(self) -> str | None:
        """By majority; ties go to the first in alphabetical order (``majority``)."""
        return majority(self.categories)


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, with the (truncated) vector clustering gave it."""

    article_id: int
    story_id: int
    vector: dict[str, float]
    when: float | None
    title: str
    source: str | None
    category: str | None
    joined: JoinKind = JoinKind.NEW
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class StoryDecision:
    """A merge or a split, kept so a person can see why a story changed."""

    kind: DecisionKind
    story_id: int  # the story that stays
    other_id: int  # the story merged into it, or split from it
    articles: tuple[int, ...]  # the articles that moved
    score: float
    reason: str
    article_id: int  # the arrival that triggered it


@dataclass(slots=True)
class StoryChange:
    """Everything one arrival changes; the store writes it in one transaction."""

    article_id: int
    story_id: int
    score: float
    reason: JoinKind
    terms: tuple[str, ...]  # counted once more in the document frequencies
    member: StoryMember
    sketches: dict[int, StorySketch] = field(default_factory=dict)
    keys: dict[int, tuple[str, ...]] = field(default_factory=dict)  # index terms per open story
    moves: list[tuple[int, int]] = field(default_factory=list)  # (article, to story)
    decisions: list[StoryDecision] = field(default_factory=list)
    close_before: float | None = None  # stories last seen before this close (leave the index)
    decided: datetime | None = None  # when, for the record of merges and splits


@dataclass(frozen=True, slots=True)
class Story:
    """A story as front ends show it."""

    id: int
    title: str
    title_article: int
    first_seen: datetime | None
    last_seen: datetime | None
    size: int
    sources: tuple[str, ...]  # most articles first
    category: str | None
    open: bool


@dataclass(frozen=True, slots=True)
class StoryCoverage:
    """A story with its articles in order of publication and the merges and splits that shaped it."""

    story: Story
    articles: list[StoredArticle]
    decisions: list[StoryDecision]


@dataclass(frozen=True, slots=True)
class StoryLatest:
    """A story and its newest articles, newest first: what a story page or a story's feed shows.
    ``story.id`` differs from the id asked for when that story was merged into this one."""

    story: Story
    articles: list[StoredArticle]


@dataclass(frozen=True, slots=True)
class Compaction:
    """What compacting the store gave back: the size of its files before and after, in bytes."""

    before: int
    after: int


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """What importing an OPML list did: the sources it added, how many it already knew, and what
    could not be read (a line each)."""

    added: list[StoredSource]
    known: int
    broken: list[Broken]


@dataclass(frozen=True, slots=True)
class RelatedArticle:
    """An article related to another: of the same story, or the nearest of another story."""

    id: int
    title: str
    source: str | None
    published: datetime | None
    story_id: int
    score: float
    same_story: bool


# -- understanding (issue 17): what the understand stage finds in an article -----------------------


@dataclass(frozen=True, slots=True)
class Span:
    """Where an article says something: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int


#: The kinds of entity the understand stage names (``understand.entities.EntityType``'s values),
#: for the layers that may not import a stage: the stores' lookups, the CLI's and the site's filters.
ENTITY_TYPES = ("person", "organisation", "place", "group")


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """A person, organisation, place or group (a people or faith) as one article names it. ``key``
    joins it across articles (``person:joe biden``: type and folded name); ``name`` is the fullest
    form this article gives."""

    key: str
    name: str
    type: str  # one of ENTITY_TYPES (a group: a people, nationality or faith)
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class ArticleFigure:
    """A date, sum of money, percentage or quantity, with a normalised ``value`` where one is cheap
    (``2015-08-21``, ``USD 4500000``, ``3.2``, ``200 km``)."""

    kind: str  # date | money | percent | quantity
    text: str
    start: int
    end: int
    value: str | None


@dataclass(frozen=True, slots=True)
class ArticleQuote:
    """One attribution, who said what, with offsets into the article's stored text.

    ``speaker`` is the person or organisation the quote is resolved to (a name; ``speaker_key`` is
    its entity's key when the article names it as one), ``speaker_mention`` the words that name the
    speaker where the quote is ("he", "the minister", "Sill"). ``statement`` is the same for the
    same words quoted in any article (copies, other outlets): what makes them one statement."""

    speaker: str | None
    speaker_key: str | None
    speaker_mention: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str
    cue_start: int
    cue_end: int
    text: str
    start: int
    end: int
    direct: bool
    statement: str

    @property
    def said(self) -> str:
        """The words said, for a reader: ``text`` with the attribution that interrupts a quotation
        left out (“A,” said Sill of the union. “B.” reads “A,” … “B.”; "A, he said, B" reads
        "A B"). ``text`` keeps it, so that its offsets stay those of the stored text."""
        return said_words(self)


#: Marks that open and close a quotation (two apostrophes are one mark in some papers' plain text).
_OPENING = ("“", '"', "‘", "«", "''")
_CLOSING = ("”", '"', "’", "»", "''")


def said_words(q: ArticleQuote) -> str:
    """``ArticleQuote.said``. A cue (and a speaker) inside a quote's span interrupts it: from the
    closing mark just before them to the next opening mark is narration, shown as " … "; with no
    marks around them, the clause between the commas around them ("A, he said on Tuesday, B") goes."""
    inside = [(q.cue_start, q.cue_end)]
    if q.speaker_start is not None and q.speaker_end is not None:
        inside.append((q.speaker_start, q.speaker_end))
    inside = [(a - q.start, b - q.start) for a, b in inside if q.start < a and b <= q.end]
    if not inside or len(q.text) != q.end - q.start:
        return q.text
    text = q.text
    first, last = min(a for a, _ in inside), max(b for _, b in inside)
    head = text[:first].rstrip()
    opening = min((i for m in _OPENING if (i := text.find(m, last)) >= 0), default=-1)
    if head.endswith(_CLOSING) and opening >= 0:
        return f"{head} … {text[opening:]}"
    before, after = text.rfind(",", 0, first), text.find(",", last)
    if before > 0 and after >= 0 and len(text[last:after].split()) <= 6 and text[after + 1 :].strip():
        return f"{text[:before]} {text[after + 1 :].lstrip()}"
    return text


@dataclass(frozen=True, slots=True)
class Understanding:
    """What the understand stage made of one article's text, and under which version of it
    (``reunderstand`` recomputes articles of an older version). The article's category lives on
    the article; ``category_basis`` says whether it was its source's section (``section``) or
    learned (``learned``, with ``category_confidence``)."""

    version: str
    entities: tuple[NamedEntity, ...] = ()
    figures: tuple[ArticleFigure, ...] = ()
    quotes: tuple[ArticleQuote, ...] = ()
    category_basis: str | None = None
    category_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """One entity across the desk: how many articles name it, how often, how many quotes it is the
    speaker of, and the first and last time an article naming it was seen."""

    id: int
    key: str
    name: str
    type: str
    articles: int
    mentions: int
    quotes: int
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A quote as the desk keeps it: the quote, its article (title, URL, outlet, time), the speaker's
    entity when resolved, and the first article of the desk to report the same statement."""

    article_id: int
    title: str
    url: str
    source: str | None
    when: datetime | None
    quote: ArticleQuote
    speaker_entity_id: int | None
    first_article_id: int
    first_source: str | None
    first_when: datetime | None
    #: How many of the desk's articles report the statement (this one's included): a quote
    #: repeated by copies and other outlets is one statement.
    reports: int = 1

    @property
    def first_report(self) -> bool:
        """Whether this article is the first of the desk to report the statement."""
        return self.first_article_id == self.article_id
