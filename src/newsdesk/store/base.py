"""The Store interface: the only way stages and front ends reach persisted data.

Implementations live beside this file (``sqlite.py`` now, PostgreSQL later). They speak SQL; nothing
else in newsdesk does. Every driver error surfaces as ``StorageError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from ..model import (
    Article,
    CopyEdge,
    Outcome,
    Rejected,
    SearchFilters,
    SearchHit,
    SourceProvenance,
    StoredArticle,
)


@dataclass(frozen=True, slots=True)
class Revision:
    revision: int
    title: str
    text: str
    published: datetime | None
    updated: datetime | None
    stored: datetime
    origin: str | None
    current: bool


@dataclass(frozen=True, slots=True)
class StoredSource:
    id: int
    kind: str
    url: str
    name: str | None
    domain: str | None
    added: datetime


@dataclass(frozen=True, slots=True)
class StoreStats:
    articles: int
    revisions: int
    sources: int
    rejections: int
    by_category: dict[str, int]
    by_source: dict[str, int]
    by_language: dict[str, int]


@runtime_checkable
class Store(Protocol):
    """Persistence for newsdesk. Each write method is one transaction: all of it or none of it."""

    def save_article(self, article: Article, *, seen: datetime) -> tuple[int, Outcome]:
        """Store an article under its canonical URL; decide new / updated / unchanged / older."""
        ...

    def record_rejection(self, rejected: Rejected, *, seen: datetime) -> None: ...

    def add_source(self, kind: str, url: str, name: str | None, *, added: datetime) -> bool:
        """Remember a source; returns False when it was already known."""
        ...

    def sources(self) -> list[StoredSource]: ...

    def get_article(self, article_id: int) -> StoredArticle: ...

    def find_article(self, url: str) -> StoredArticle | None:
        """Look an article up by any URL it is known under (normalised by the caller)."""
        ...

    def revisions(self, article_id: int) -> list[Revision]: ...

    def latest(self, limit: int, filters: SearchFilters | None = None) -> list[StoredArticle]: ...

    def iter_articles(self, filters: SearchFilters | None = None) -> Iterator[StoredArticle]: ...

    def search(
        self, query: str, filters: SearchFilters | None = None, *, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]: ...

    def rejections(self) -> list[Rejected]: ...

    def stats(self) -> StoreStats: ...

    # -- provenance -----------------------------------------------------------------------------

    def save_fingerprint(self, article_id: int, exact: str, words: int, keys: Iterable[int]) -> None:
        """Store (replacing) an article's fingerprint and its LSH keys."""
        ...

    def candidates(self, exact: str, keys: Sequence[int], *, exclude: int, limit: int) -> list[int]:
        """Articles sharing the exact fingerprint or any LSH key, most shared keys first."""
        ...

    def copy_group(self, article_id: int) -> list[int]:
        """Every member of the article's copy group (empty when it is in none)."""
        ...

    def save_copy_group(self, members: Sequence[int], original: int, edges: Sequence[CopyEdge]) -> None:
        """Make ``members`` one group (dissolving the groups they were in) with these edges."""
        ...

    def copy_edges(self, *, original_id: int | None = None, copy_id: int | None = None) -> list[CopyEdge]: ...

    def provenance_by_source(self) -> list[SourceProvenance]: ...

    def clear_provenance(self) -> None:
        """Forget every fingerprint, group and edge (before tracing again from scratch)."""
        ...

    def integrity_check(self) -> list[str]:
        """Problems PRAGMA integrity_check (and the FTS index check) found; empty when sound."""
        ...

    def close(self) -> None: ...
