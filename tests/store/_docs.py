"""What the story tests of the store share: a clustering document stored as an article."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk import stories as st
from newsdesk.model import Article


def article_of(doc: st.Doc) -> Article:
    """The article a story test saves for ``doc`` (its id in the URL, its title, source, category
    and time), so that the store has an article row for every member."""
    assert doc.when is not None
    url = f"https://news.example/{doc.article_id}"
    return Article(
        url=url,
        canonical_url=url,
        title=doc.title,
        text=f"text of {doc.article_id}",
        source=doc.source,
        category=doc.category,
        published=datetime.fromtimestamp(doc.when, UTC),
    )
