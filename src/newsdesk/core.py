"""The Desk: the one object every front end (CLI, web, API, batch) uses.

It owns a store and runs the stages over plain records. Front ends never touch the store or a stage
directly, so a behaviour fixed here is fixed everywhere.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from . import _valid, provenance
from . import export as _export
from . import stories as _stories
from ._intake import ItemCallback, Preparer, _Intake, guarded, publication_order
from ._understanding import _Understanding, analysed, story_terms
from .config import Config, load_config
from .exceptions import (
    ArticleNotFoundError,
    InputError,
    InvalidURLError,
    SourceNotFoundError,
    StoryNotFoundError,
    UnsupportedInputError,
)
from .model import (
    Article,
    Broken,
    Compaction,
    CopyEdge,
    CopyGroup,
    Fetched,
    FoundSource,
    IndexKeys,
    IngestReport,
    MissingPart,
    OpmlImport,
    PagesReport,
    Prepared,
    QueryBudget,
    Rejected,
    RelatedArticle,
    SearchFilters,
    SearchHit,
    SourceProvenance,
    StoredArticle,
    Story,
    StoryCoverage,
    StoryDecision,
    StoryLatest,
    StoryMember,
    Understanding,
    UnfinishedArticle,
    UpdateReport,
)
from .sources import Item
from .sources.files import display_path, list_inputs, read_file
from .store import DiskUsage, Revision, Store, StoredSource, StoreStats, open_store
from .urls import is_http_url, normalize_url, redact_url, split_credentials

if TYPE_CHECKING:
    from .scheduler import Collector, UpdateProgress

log = logging.getLogger(__name__)

#: Most candidate articles verified per traced article: bounds the cost of one article.
_CANDIDATES = 20

#: Called after each input file: (file, files done, files in all).
ProgressCallback = Callable[[Path, int, int], None]


def _now() -> datetime:
    return datetime.now(UTC)


def _normalized(url: str) -> str | None:
    try:
        return normalize_url(url)
    except InvalidURLError:
        return None  # a source stored before URLs were checked this closely: matched by id only


class Desk(_Intake, _Understanding):
    """A news desk over one store. Make one with ``open_desk``; close it (or use ``with``)."""

    def __init__(self, store: Store, config: Config, *, clock: Callable[[], datetime] = _now):
        self._store = store
        self.config = config
        self._clock = clock
        #: Whether the index's fingerprint scheme was looked at (recorded when empty, warned when old).
        self._scheme_seen = False
        #: The stages that need no store: digests, extraction within its budget (its worker
        #: processes start only when a large page comes), fingerprints.
        self._preparer = Preparer(config)

    # -- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        self._preparer.close()
        self._store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        progress: ProgressCallback | None = None,
        on_item: ItemCallback | None = None,
        force: bool = False,
    ) -> IngestReport:
        """Ingest local files and folders; each item is stored (or rejected) in its own transaction.

        An item stored before, byte for byte, under the same extraction (see ``_digest``) is
        counted unchanged without being extracted again; ``force`` extracts every item anyway.

        Raises InputError for a path that does not exist, before anything is read. After that, no
        input can stop the run: an unreadable file, a broken record or a bug that one item
        triggers is recorded as that item's outcome and the run goes on. Only a store that cannot
        record anything any more (StorageError) stops it. ``on_item`` hears how every item ended.
        """
        db = Path(self.config.db)
        own = [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]
        files = list_inputs(paths, exclude=own)
        report = IngestReport()
        deferred: list[tuple[Rejected, Fetched]] = []
        for n, path in enumerate(files, start=1):
            origin = display_path(path)
            items = read_file(path, max_bytes=self.config.max_input_bytes)
            self._ingest_items(guarded(items, origin), report, deferred, on_item, force=force)
            if progress:
                progress(path, n, len(files))
        self._settle_summaries(deferred, report, on_item)
        self._store.settle()
        return report

    def ingest_items(
        self, items: Iterable[Item], *, on_item: ItemCallback | None = None, force: bool = False
    ) -> IngestReport:
        """Ingest documents already read (by a reader, the fetcher or a test); ``force`` as for
        ``ingest``."""
        report = self._ingest_some(items, on_item=on_item, force=force)
        self._store.settle()
        return report

    def ingest_prepared(
        self,
        items: Iterable[Prepared | FoundSource | Broken | Rejected],
        *,
        on_item: ItemCallback | None = None,
        force: bool = False,
    ) -> IngestReport:
        """Store documents prepared away from the store (by a ``Preparer``: a batch's workers
        decode, digest, extract and fingerprint them) with the steps ``ingest`` runs after
        extraction: each article saved with its copy keys, copy edges, story and input digest as
        one unit of work; rejections, broken inputs and found sources recorded as ingest records
        them. An input the store knows by its digests is counted unchanged (or rejected again),
        as in ``ingest``; ``force`` stores it anyway.

        The order-dependent stages (copy election, story assignment) see the articles in order
        of publication (those without a date last); among equals, in the order given (a stable
        sort: give them in input order, record by record). Raises only StorageError, as
        ``ingest`` does."""
        ordered = sorted(items, key=publication_order)
        report = self._ingest_some(ordered, on_item=on_item, force=force)
        self._store.settle()
        return report

    def known_inputs(self, digests: Sequence[bytes]) -> list[bool]:
        """For each input digest (``Preparer.input_digest``): whether the store holds what an input
        of that digest became under this desk's extraction (``ingest`` would not extract it)."""
        extraction = self._preparer.extraction_digest
        found = self._store.known_inputs([(d, extraction) for d in digests])
        return [f is not None for f in found]

    def extraction_digest(self) -> bytes:
        """The digest of what shapes extraction here (``_digest.extraction_digest``): a
        ``Preparer`` made elsewhere (a batch's worker) under the same versions and settings has
        the same one."""
        return self._preparer.extraction_digest

    def fetch_pending(
        self, report: IngestReport, *, progress: Callable[[int, int], None] | None = None
    ) -> PagesReport:
        """Fetch and ingest the pages an ingest could not store from the files alone: feed entries
        with only a summary and the URLs of a sitemap (``report.summary_pending``). Polite and
        guarded as ``update`` is (robots.txt, per-host delay, the address guard); archived as WARC.
        """
        try:
            return asyncio.run(self._collector().fetch_pages(report.pending, progress=progress))
        finally:
            self._store.settle()

    # -- provenance -----------------------------------------------------------------------------

    def stale_index(self) -> str | None:
        """Why copy detection cannot see the articles already stored, or None when it can: the
        index's keys were made by another fingerprint scheme (an upgrade changed it)."""
        scheme = self._store.fingerprint_scheme()
        if scheme is None or scheme == provenance.FINGERPRINT_SCHEME:
            return None
        return (
            f"the copy index was built with fingerprint scheme {scheme} and this newsdesk uses "
            f"scheme {provenance.FINGERPRINT_SCHEME}: copies of articles stored before the upgrade "
            "go unnoticed until you run `newsdesk retrace`"
        )

    def _is_frame_line(self, line: str, source: str) -> bool:
        """Whether ``FRAME_ARTICLES`` articles of ``source`` carry ``line``, besides one of the pair."""
        enough = provenance.FRAME_ARTICLES + 1
        return self._store.articles_with_line(line, source=source, limit=enough) >= enough

    def _see_fingerprint_scheme(self) -> None:
        """Before writing keys: record the scheme on an empty index, warn (once) on an old one."""
        if self._scheme_seen:
            return
        if self._store.fingerprint_scheme() is None:
            self._store.set_fingerprint_scheme(provenance.FINGERPRINT_SCHEME)
        elif (why := self.stale_index()) is not None:
            log.warning("%s", why)
        self._scheme_seen = True

    def trace(self, article_id: int) -> int:
        """Fingerprint one article, find the articles it copies or that copy it, and (re)elect the
        original of their group. Returns how many copy relations (edges) that added.

        Cost is bounded per article: candidates come from the LSH index (at most
        ``_CANDIDATES``), never from a scan.
        """
        article = self._store.get_article(article_id).article
        fp = provenance.fingerprint(provenance.body(article)).index
        self._see_fingerprint_scheme()
        with self._store.transaction():
            self._store.save_fingerprint(article_id, fp)
            return self._trace(article_id, article, fp)

    def _trace(self, article_id: int, article: Article, fp: IndexKeys) -> int:
        if fp.words < provenance.MIN_WORDS:
            return 0
        candidates = self._store.candidates(fp.exact, fp.keys, exclude=article_id, limit=_CANDIDATES)
        for url in provenance.declared_urls(article):
            declared = self._store.find_article(url)
            if declared is not None and declared.id != article_id and declared.id not in candidates:
                candidates.append(declared.id)
        members: dict[int, Article] = {article_id: article}
        sims: dict[tuple[int, int], provenance.Similarity] = {}
        for cid in candidates:
            other = self._store.get_article(cid).article
            sim = provenance.related(article, other, frame=self._is_frame_line)
            if sim is not None:
                members[cid] = other
                sims[(article_id, cid)] = sim
        if len(members) == 1:
            return 0
        groups: list[set[int]] = []
        for mid in [article_id, *list(members)]:
            group = self._store.copy_group(mid)
            if group and not any(mid in g for g in groups):
                groups.append(set(group))
            for gid in group:
                if gid not in members:
                    members[gid] = self._store.get_article(gid).article
        original, edges = provenance.group_edges(members, sims, self._clock())
        self._store.save_copy_group(list(members), original, edges)
        # Every member of a group but its original has one edge: the relations this arrival added
        # are the edges of the group now, less those its old groups had.
        return len(edges) - sum(max(len(g) - 1, 0) for g in groups)

    def retrace(self, *, progress: Callable[[int, int], None] | None = None) -> int:
        """Forget all provenance and trace every article again, in order of arrival: after an
        upgrade that changed copy detection or the fingerprint scheme (see ``stale_index``)."""
        self._store.clear_provenance()
        self._scheme_seen = False
        ids = [s.id for s in self._store.iter_articles()]
        found = 0
        for n, aid in enumerate(ids, start=1):
            found += self.trace(aid)
            if progress:
                progress(n, len(ids))
        return found

    def copies(self, ref: int | str) -> CopyGroup:
        """An article, the edge to its original (if it is a copy), and the edges of its copies."""
        stored = self.get_article(ref)
        up = self._store.copy_edges(copy_id=stored.id)
        original = up[0] if up else None
        root = original.original_id if original else stored.id
        return CopyGroup(stored, original, self._store.copy_edges(original_id=root))

    def copy_edges(self) -> list[CopyEdge]:
        return self._store.copy_edges()

    def originals(self, filters: SearchFilters | None = None, *, limit: int = 20) -> list[StoredArticle]:
        """The newest ``limit`` articles that copy nobody (the originals and the articles nobody
        copied), filtered: ``latest`` with ``originals``, one bounded read, never a scan."""
        return self._store.latest(limit, filters, originals=True)

    def provenance_by_source(self) -> list[SourceProvenance]:
        return self._store.provenance_by_source()

    # -- stories --------------------------------------------------------------------------------

    def cluster(self, article_id: int) -> int:
        """Place one stored article in a story (after ``trace``: a copy joins its original's story);
        returns the story id. An article already in a story stays where it is.

        An article is placed by the text it arrived with (its first revision): a later correction
        does not move it, and ``recluster`` decides as ingest did.
        """
        stored = self._store.get_article(article_id)
        article = stored.article
        understood = None
        if stored.revisions > 1:
            first = self._store.revisions(article_id)[0]
            article = dataclasses.replace(
                article, title=first.title, text=first.text, published=first.published
            )
            understood = analysed(article)  # what ingest understood of that text
        return self._cluster(article_id, article, understood)

    def _cluster(
        self,
        article_id: int,
        article: Article,
        understood: Understanding | None = None,
        *,
        when: datetime | None = None,
    ) -> int:
        """Place an article in a story, by its words and what the understand stage found in the
        same text (``understood``; read from the store when not given), at ``when`` (the article's
        time: published, else first seen; read from the store when not given)."""
        known = self._store.story_id_of(article_id)
        if known is not None:
            return known
        if when is None:
            when = article.published or self._store.get_article(article_id).first_seen
        if understood is None:
            understood = self._store.understandings([article_id]).get(article_id)
        doc = _stories.features(
            article_id,
            article.title,
            article.text,
            when=when,
            source=article.source or article.site_name,
            category=article.category,
            **story_terms(understood),
        )
        change = _stories.assign(
            self._store, doc, copy_story=self._copy_story(article_id), decided=self._clock()
        )
        return change.story_id

    def _copy_story(self, article_id: int) -> int | None:
        """The story of the article this one copies, else of the first member of its copy group
        already placed."""
        up = self._store.copy_edges(copy_id=article_id)
        if up:
            found = self._store.story_id_of(up[0].original_id)
            if found is not None:
                return found
        for member in self._store.copy_group(article_id):
            if member != article_id:
                found = self._store.story_id_of(member)
                if found is not None:
                    return found
        return None

    def recluster(self, *, progress: Callable[[int, int], None] | None = None) -> int:
        """Forget all stories and provenance, then trace and cluster every article again in order
        of arrival: the same steps ingest ran, so the same arrival order gives the same stories.
        Returns how many stories there are."""
        self._store.clear_stories()
        self._store.clear_provenance()
        self._scheme_seen = False
        ids = [s.id for s in self._store.iter_articles()]
        for n, aid in enumerate(sorted(ids), start=1):
            self._finish(aid)
            if progress:
                progress(n, len(ids))
        self._store.settle()
        return len(self._store.stories())

    def _finish(self, article_id: int) -> int:
        """Trace and cluster a stored article as one unit of work (what ingest does after saving
        it); returns how many articles it was found related to."""
        with self._store.transaction():
            found = self.trace(article_id)
            self.cluster(article_id)
        return found

    def compact(self) -> Compaction:
        """Give back the room the store does not need (see ``Store.compact``)."""
        before = self._store.disk_usage().file_bytes
        self._store.compact()
        return Compaction(before, self._store.disk_usage().file_bytes)

    def repair(self, *, progress: Callable[[int, int], None] | None = None) -> int:
        """Finish every unfinished article: trace and cluster each, in order of arrival, each as one
        unit of work. Returns how many were finished."""
        todo = self._store.unfinished_articles()
        for n, u in enumerate(todo, start=1):
            self._finish(u.article_id)
            if progress:
                progress(n, len(todo))
        self._store.settle()
        return len(todo)

    def stories(
        self,
        *,
        since: datetime | None = None,
        category: str | None = None,
        min_size: int = 1,
        limit: int | None = None,
    ) -> list[Story]:
        """Stories last seen since ``since`` (in ``category``: the majority of their articles) of at
        least ``min_size`` articles, newest first."""
        return self._store.stories(since=since, category=category, limit=limit, min_size=min_size)

    def story(self, story_id: int) -> StoryCoverage:
        """A story, its articles in order of publication, and its merges and splits.

        A story merged into another leads to that one. Raises StoryNotFoundError."""
        found = self._store.get_story(story_id)
        if found is None:
            raise StoryNotFoundError(f"no story with id {story_id} (see `newsdesk stories`)")
        members = [self._store.get_article(m.article_id) for m in self._store.story_members(found.id)]
        members.sort(key=lambda s: (s.article.published or s.first_seen, s.id))
        return StoryCoverage(found, members, self._store.story_decisions(found.id))

    def story_of(self, ref: int | str) -> Story | None:
        """The story of an article (by id or URL), or None before it is clustered."""
        sid = self._store.story_id_of(self.get_article(ref).id)
        return None if sid is None else self._store.get_story(sid)

    def related(self, ref: int | str, *, limit: int = 10, others: int = 5) -> list[RelatedArticle]:
        """For an article: the other articles of its story, central ones first and sources varied,
        then the nearest articles of other stories (from the story index, never a scan)."""
        stored = self.get_article(ref)
        me = self._store.story_member(stored.id)
        if me is None:
            return []
        sketch = self._store.story_sketch(me.story_id)
        if sketch is None:
            return []
        mates = [m for m in self._store.story_members(sketch.id) if m.article_id != stored.id]
        out: list[RelatedArticle] = []
        for m, score in _stories.rank_related(
            me.vector, sketch.centroid, mates, limit=limit, own_source=me.source
        ):
            out.append(self._related(m, score, True))
        near = _stories.nearest(self._store, me, exclude=sketch.id, limit=others)
        out.extend(self._related(m, score, False) for m, score in near)
        return out

    def _related(self, m: StoryMember, score: float, same: bool) -> RelatedArticle:
        a = self._store.get_article(m.article_id).article
        return RelatedArticle(m.article_id, a.title, m.source, a.published, m.story_id, score, same)

    def story_decisions(self, story_id: int | None = None) -> list[StoryDecision]:
        """Every merge and split, or those of one story (as the story kept or the other one)."""
        return self._store.story_decisions(story_id)

    #: Stories read to rank the front page: the newest by last article, whatever their rank.
    TOP_WINDOW = 300
    #: Half-life of a story's weight on the front page, in hours.
    TOP_HALF_LIFE_HOURS = 12.0

    def top_stories(self, category: str | None = None, limit: int = 30) -> list[Story]:
        """The front page: stories ranked by recency and by how many distinct sources cover them.

        score = distinct sources x 0.5 ** (age / TOP_HALF_LIFE_HOURS), where age is the time from
        the story's last article to the newest last article among the candidates. A story covered
        by 4 sources 12 hours ago ranks with one covered by 2 sources now; a single-source story
        ranks last unless it is much newer. Ties go to more articles, then the newer story.

        Age is measured from the newest candidate rather than the clock, so a store that stopped
        updating still has a front page (the order is the same either way: the clock would scale
        every score by the same factor). Candidates are the ``TOP_WINDOW`` (at least 10 x
        ``limit``) stories with the newest last article, in ``category`` when given: one bounded
        read of the stories' time index, never a scan. Stories without a time rank last.
        """
        window = max(self.TOP_WINDOW, 10 * limit)
        found = self._store.stories(category=category or None, limit=window)
        newest = max((s.last_seen for s in found if s.last_seen is not None), default=None)

        def score(s: Story) -> float:
            if s.last_seen is None or newest is None:
                return 0.0
            hours = (newest - s.last_seen).total_seconds() / 3600
            return len(s.sources) * float(0.5 ** (hours / self.TOP_HALF_LIFE_HOURS))

        def key(s: Story) -> tuple[float, int, float, int]:
            when = s.last_seen.timestamp() if s.last_seen is not None else float("-inf")
            return (-score(s), -s.size, -when, -s.id)

        return sorted(found, key=key)[:limit]

    def categories(self, *, recent: int = 500) -> list[str]:
        """The categories of the ``recent`` newest stories (the front page's tabs), by name.

        A bounded read: a category nobody has written in lately has no tab."""
        return sorted(self._store.story_categories(recent), key=lambda c: (c.casefold(), c))

    # -- sources --------------------------------------------------------------------------------

    def sources(self) -> list[StoredSource]:
        return self._store.sources()

    def source(self, ref: int | str) -> StoredSource:
        """A source by id or URL; raises SourceNotFoundError."""
        found = None
        if isinstance(ref, int) or ref.isdigit():
            found = self._store.get_source(int(ref))
        else:
            found = self._store.find_source(ref.strip())
            if found is None and is_http_url(ref):
                wanted = normalize_url(ref)  # user info given with the URL is no part of it
                found = next((s for s in self._store.sources() if _normalized(s.url) == wanted), None)
        if found is None:
            shown = redact_url(repr(ref))
            raise SourceNotFoundError(f"no source with id or URL {shown} (see `newsdesk sources`)")
        return found

    def _add_found(self, item: FoundSource, *, keep_category: bool = True) -> StoredSource | None:
        """Remember a source an input names: the new source, or None when it was known. User info
        in its URL becomes its credentials. Raises InvalidURLError for an address that is no URL."""
        url, credentials = split_credentials(item.url)
        category = item.category if keep_category else None
        if not self._store.add_source(
            item.kind.value, url, item.name, added=self._clock(), category=category, credentials=credentials
        ):
            return None
        return self._store.find_source(url)

    def _collector(self) -> Collector:
        from .scheduler import Collector

        return Collector(
            self._store,
            self.config,
            ingest=self._ingest_some,
            prepare=self._prepare,
            is_large=self._is_large,
            known=self._known_inputs,
            clock=self._clock,
        )

    def add_source(
        self, url: str, *, name: str | None = None, category: str | None = None
    ) -> list[tuple[StoredSource, bool]]:
        """Fetch ``url``, tell what it is, and remember what it gives: a feed, a sitemap (or news
        sitemap), every feed of an OPML list, or the feeds an HTML page advertises. Returns each
        source with whether it is new. Raises InvalidURLError (with the reason), FetchError or
        UnsupportedInputError.

        ``user:password@`` in ``url`` is sent as HTTP Basic auth to that origin only and kept as a
        secret apart from the URL (adding a known source with credentials replaces its own): no
        listing, export, message or log shows it."""
        return asyncio.run(self._collector().add(url, name=name, category=category))

    def remove_source(self, ref: int | str) -> StoredSource:
        """Forget a source (its articles stay)."""
        src = self.source(ref)
        self._store.remove_source(src.id)
        return src

    def pause_source(self, ref: int | str, reason: str = "paused by hand") -> StoredSource:
        """Stop updating a source until it is resumed (its articles stay)."""
        src = self.source(ref)
        self._store.set_source_paused(src.id, reason, now=self._clock())
        return self.source(src.id)

    def resume_source(self, ref: int | str) -> StoredSource:
        """Un-pause a source: due now, its error count forgotten."""
        src = self.source(ref)
        self._store.set_source_paused(src.id, None, now=self._clock())
        return self.source(src.id)

    def update(
        self,
        *,
        watch: bool = False,
        stop_after: float | None = None,
        sources: Iterable[int | str] | None = None,
        progress: UpdateProgress | None = None,
    ) -> UpdateReport:
        """Fetch every source that is due, once (or the given ones, due or not). With ``watch``,
        keep going, each source on its own schedule, until ``stop_after`` seconds (or Ctrl-C)."""
        chosen = [self.source(r) for r in sources] if sources is not None else None
        try:
            return asyncio.run(
                self._collector().run(watch=watch, stop_after=stop_after, sources=chosen, progress=progress)
            )
        finally:
            self._store.settle()  # also after Ctrl-C: what was stored is put away

    def import_opml(self, path: str | Path) -> OpmlImport:
        """Remember every feed of an OPML file: the new sources, how many were already known, what
        could not be read. A damaged list gives every outline that can be read, and a line for each problem;
        raises UnsupportedInputError, with the reason, when not one feed could be read."""
        from .sources import SNIFF_BYTES, opml

        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as e:
            raise InputError(f"{p}: cannot read: {e.strerror or e}") from e
        if not opml.sniff(data[:SNIFF_BYTES]):
            raise UnsupportedInputError(f"{p}: not an OPML file")
        found: list[FoundSource] = []
        broken: list[Broken] = []
        for item in opml.read(data, str(p)):
            if isinstance(item, Broken):
                broken.append(item)
            elif isinstance(item, FoundSource):
                found.append(item)
        if not found:
            why = "; ".join(b.detail for b in broken[:3]) or "no feed in it"
            raise UnsupportedInputError(f"{p}: no feed could be read: {why}")
        added: list[StoredSource] = []
        known = 0
        for item in found:
            try:
                stored = self._add_found(item)
            except InvalidURLError as e:
                broken.append(Broken(origin=str(p), detail=f"outline {item.name!r}: {e}"))
                continue
            if stored is not None:
                added.append(stored)
            else:
                known += 1
        return OpmlImport(added, known, broken)

    def export_opml(self) -> bytes:
        """The feeds and sitemaps as an OPML 2.0 list, by category."""
        from .sources.opml import opml_document

        return opml_document(self._store.sources())

    def reextract(self) -> IngestReport:
        """Run extraction again over the WARC archive of fetched pages and feeds (after an upgrade),
        without refetching: the latest archived copy of each document; articles whose extraction
        changed get a new revision."""
        from .archive import iter_archive

        folder = Path(self.config.data_dir) / "warc"
        limit = self.config.max_input_bytes

        def key(item: Fetched) -> str:
            url = item.url or item.final_url
            try:
                return normalize_url(url) if url else item.origin
            except InvalidURLError:
                return item.origin

        latest: dict[str, tuple[str, int]] = {}
        for path, n, item in iter_archive(folder, max_record_bytes=limit):
            if isinstance(item, Fetched) and item.body.strip():
                latest[key(item)] = (str(path), n)
        wanted = set(latest.values())
        chosen = (
            item for path, n, item in iter_archive(folder, max_record_bytes=limit) if (str(path), n) in wanted
        )
        return self.ingest_items(chosen, force=True)

    # -- reading --------------------------------------------------------------------------------

    def get_article(self, ref: int | str) -> StoredArticle:
        """An article by id, or by any URL it is known under (canonical or page URL)."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return self._store.get_article(int(ref))
        try:
            url = normalize_url(ref)
        except InvalidURLError as e:
            raise ArticleNotFoundError(f"{ref!r} is neither an article id nor a URL") from e
        found = self._store.find_article(url)
        if found is None:
            raise ArticleNotFoundError(f"no article stored under {url}")
        return found

    def revisions(self, article_id: int) -> list[Revision]:
        return self._store.revisions(article_id)

    def latest(
        self, limit: int = 10, filters: SearchFilters | None = None, *, originals: bool = False
    ) -> list[StoredArticle]:
        """The newest articles, filtered; ``originals``: only articles that copy nobody."""
        return self._store.latest(limit, filters, originals=originals)

    def source_articles(self, name: str, *, limit: int = 50, offset: int = 0) -> list[StoredArticle]:
        """The newest articles of the source called ``name`` (exactly as articles store it),
        skipping the ``offset`` newest.

        Raises SourceNotFoundError when no article carries that name."""
        found = self._store.latest_of_source(name, limit, offset=offset)
        if not found and (offset == 0 or not self._store.latest_of_source(name, 1)):
            raise SourceNotFoundError(f"no article comes from a source called {name!r}")
        return found

    def source_provenance(self, name: str) -> SourceProvenance:
        """How much of what the source called ``name`` publishes is its own, how much it copies
        (by kind) and from whom: ``provenance_by_source`` for one source, from its own articles
        only (the source index), never a scan of the store."""
        return self._store.provenance_of_source(name)

    def category_articles(
        self, name: str, *, limit: int = 50, originals: bool = False
    ) -> list[StoredArticle]:
        """The newest articles of a category (``world``, ``business``, ...; any case), newest
        first; ``originals``: only articles that copy nobody. One walk down an index: an unknown
        category costs nothing."""
        return self._store.latest_of_category(name.strip().lower(), limit, originals=originals)

    def story_articles(self, story_id: int, *, limit: int = 50) -> StoryLatest:
        """A story and its newest ``limit`` articles, newest first (a merged-away id leads to the
        story it was merged into). Raises StoryNotFoundError."""
        found = self._store.get_story(story_id)
        if found is None:
            raise StoryNotFoundError(f"no story with id {story_id} (see `newsdesk stories`)")
        return StoryLatest(found, self._store.latest_of_story(found.id, limit))

    def articles(self, filters: SearchFilters | None = None) -> Iterator[StoredArticle]:
        return self._store.iter_articles(filters)

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        originals: bool = False,
        window: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[SearchHit]:
        """Full-text search, best first; ``originals``: only articles that copy nobody.

        ``window``: without filters, rank only the ``window`` latest arrivals among the matches
        (the site passes one, so that a word found in most articles costs about what a rarer one
        does); None, or any filter, ranks every match.

        A search runs at most ``search_timeout`` seconds (SearchTimeoutError), and stops soon
        after ``cancelled()`` turns True (SearchCancelledError): the web passes "the client has
        disconnected"."""
        return self._store.search(
            _valid.composed(query),
            filters,
            limit=limit,
            offset=offset,
            originals=originals,
            window=window,
            budget=self._budget(cancelled),
        )

    def search_latest(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 50,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[StoredArticle]:
        """The ``limit`` latest arrivals matching ``query`` (what a saved search follows), newest
        published first. Raises SearchQueryError for an empty query; stops as ``search`` does."""
        return self._store.search_latest(
            _valid.composed(query), filters, limit=limit, budget=self._budget(cancelled)
        )

    def _budget(self, cancelled: Callable[[], bool] | None) -> QueryBudget:
        return QueryBudget(seconds=self.config.search_timeout or None, cancelled=cancelled)

    def rejections(self) -> list[Rejected]:
        return self._store.rejections()

    def stats(self) -> StoreStats:
        return self._store.stats()

    def disk_usage(self) -> DiskUsage:
        """The bytes each table and index of the store takes, with the text it holds."""
        return self._store.disk_usage()

    @property
    def threads_share(self) -> bool:
        """Whether many threads may use this desk at once (for reading): on a store with a pool
        of connections; see ``StoreBase.threads_share``."""
        return self._store.threads_share

    def version(self) -> tuple[int, ...]:
        """Changes whenever the store may have changed (any writer): what a cache keys on."""
        return self._store.version()

    def check(self) -> list[str]:
        """Integrity problems of the store, articles left unfinished (without their copy keys or
        story: see ``repair``), and a copy index made by an older fingerprint scheme; empty when it
        is sound."""
        problems = self._store.integrity_check()
        problems += _unfinished_problems(self._store.unfinished_articles())
        stale = self.stale_index()
        return [*problems, stale] if stale else problems

    # -- paging (the JSON API) ------------------------------------------------------------------

    def article_page(
        self,
        filters: SearchFilters | None = None,
        *,
        before: tuple[datetime, int] | None = None,
        limit: int = 20,
        originals: bool = False,
    ) -> list[StoredArticle]:
        """One page of articles, newest first by (published else first seen, id). ``before`` is
        the key of the last article of the previous page: pages stay put while articles arrive."""
        return self._store.article_page(filters, before=before, limit=limit, originals=originals)

    def story_page(
        self,
        *,
        since: datetime | None = None,
        category: str | None = None,
        before: tuple[datetime | None, int] | None = None,
        limit: int = 20,
    ) -> list[Story]:
        """One page of stories, newest first by (last seen, id), after the key ``before``."""
        return self._store.story_page(since=since, category=category, before=before, limit=limit)

    def copy_page(
        self, *, kind: str | None = None, source: str | None = None, after: int | None = None, limit: int = 20
    ) -> list[CopyEdge]:
        """One page of copy edges in order of copy id, after ``after``; ``source`` matches the
        copy's or the original's source."""
        return self._store.copy_page(kind=kind, source=source, after=after, limit=limit)

    def original_of(self, article_id: int) -> CopyEdge | None:
        """The edge to the original an article copies, or None when it copies nobody."""
        up = self._store.copy_edges(copy_id=article_id)
        return up[0] if up else None

    def story_id_of(self, article_id: int) -> int | None:
        """The id of an article's story, or None before it is clustered (no article lookup)."""
        return self._store.story_id_of(article_id)

    def originals_of(self, article_ids: Sequence[int]) -> dict[int, CopyEdge]:
        """``original_of`` for a page of articles in one read: the edge of each that copies another."""
        return self._store.originals_of(article_ids)

    def story_ids_of(self, article_ids: Sequence[int]) -> dict[int, int]:
        """``story_id_of`` for a page of articles in one read (an article in no story is absent)."""
        return self._store.story_ids_of(article_ids)

    # -- export ---------------------------------------------------------------------------------

    def export(
        self,
        fmt: str,
        out: IO[str] | Path,
        filters: SearchFilters | None = None,
        *,
        ids: Collection[int] | None = None,
        by_date: bool = False,
    ) -> int:
        """Write every stored field of every (filtered) article; returns how many were written.

        ``ids``: only these articles. ``by_date`` (Parquet): ``out`` is a folder, written as a
        dataset partitioned by day (``date=YYYY-MM-DD``; see ``export.write_parquet_dataset``)."""
        edges = {e.copy_id: e for e in self._store.copy_edges()}
        story_ids = self._store.story_assignments()
        urls: dict[int, str] = {}
        wanted = None if ids is None else frozenset(ids)

        def plain() -> Iterator[dict[str, Any]]:
            for stored in self.articles(filters):
                if wanted is not None and stored.id not in wanted:
                    continue
                edge = edges.get(stored.id)
                if edge is not None and edge.original_id not in urls:
                    urls[edge.original_id] = self._store.get_article(edge.original_id).article.canonical_url
                yield _export.record(
                    stored,
                    edge,
                    urls.get(edge.original_id) if edge else None,
                    story_id=story_ids.get(stored.id),
                )

        def records() -> Iterator[dict[str, Any]]:
            # Each article's quotes and entities, read a batch of articles at a time.
            return _export.understood(plain(), self.understandings)

        if fmt == "jsonl":
            if isinstance(out, Path):
                with out.open("w", encoding="utf-8") as f:
                    return _export.write_jsonl(records(), f)
            return _export.write_jsonl(records(), out)
        if fmt == "parquet":
            if not isinstance(out, Path):
                raise ValueError("Parquet is written to a file: give a path")
            if by_date:
                return _export.write_parquet_dataset(records(), out)
            return _export.write_parquet(records(), out)
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(_export.FORMATS)}")


#: Article ids named in one problem line of ``check``; the rest are counted.
_IDS_SHOWN = 10


def _unfinished_problems(unfinished: list[UnfinishedArticle]) -> list[str]:
    """One line per missing part, naming the first articles (by id) that miss it."""
    out = []
    for part in MissingPart:
        ids = [u.article_id for u in unfinished if part in u.missing]
        if ids:
            shown = ", ".join(map(str, ids[:_IDS_SHOWN])) + (", ..." if len(ids) > _IDS_SHOWN else "")
            out.append(
                f"{len(ids)} article(s) without {part.value} (ids {shown}): a run was killed before "
                "it finished them; `newsdesk check --repair` traces and clusters them"
            )
    return out


def open_desk(
    db: str | Path | None = None,
    *,
    config_file: str | Path | None = None,
    clock: Callable[[], datetime] = _now,
    **settings: Any,
) -> Desk:
    """Open the desk on a database (a SQLite path), creating and migrating it as needed.

    Other settings (see ``newsdesk.config.SETTINGS``) may be given as keywords; the rest come from the
    environment, ``newsdesk.toml`` or the defaults.
    """
    config = load_config({"db": str(db) if db is not None else None, **settings}, config_file=config_file)
    return Desk(open_store(config.db), config, clock=clock)
