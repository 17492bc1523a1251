-- Each text stored once, and a digest of every input that became an article.
--
-- 1. article_revisions kept every text an article has had, the current one included, so the current
-- text was stored twice (in articles and here). Now the revision whose text is the article's current
-- one has text NULL: its text is articles.text (the word index, articles_fts, and the substring
-- index, articles_cjk, read and index only that). A past revision keeps its own text. When an
-- update replaces the current text, the store first writes the text being replaced into its
-- revision's row (SQLiteStore.save_article), so a revision's text is always
-- coalesce(article_revisions.text, articles.text).
--
-- SQLite cannot drop a NOT NULL constraint in place: the table is made again and filled from the
-- old one (ids kept). Only a revision whose text is exactly the current text loses it.
CREATE TABLE article_revisions_lean (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision     INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title        TEXT NOT NULL,
    text         TEXT,              -- NULL: the article's current text (articles.text)
    published    TEXT,
    updated      TEXT,
    stored       TEXT NOT NULL,
    origin       TEXT,
    UNIQUE (article_id, content_hash),
    UNIQUE (article_id, revision)
);

INSERT INTO article_revisions_lean
    (id, article_id, revision, content_hash, title, text, published, updated, stored, origin)
SELECT r.id, r.article_id, r.revision, r.content_hash, r.title,
       CASE WHEN r.content_hash = a.content_hash AND r.text = a.text THEN NULL ELSE r.text END,
       r.published, r.updated, r.stored, r.origin
FROM article_revisions r LEFT JOIN articles a ON a.id = r.article_id
ORDER BY r.id;

DROP TABLE article_revisions;
ALTER TABLE article_revisions_lean RENAME TO article_revisions;

-- 2. Inputs already stored: the digest of an input item's raw bytes and of what its reader said
-- about it (newsdesk._digest.input_digest), the digest of what shaped its extraction then (versions,
-- code and settings: newsdesk._digest.extraction_digest), and what it became: an article, or a
-- rejection whose reason the same bytes always get (reason, detail, url; article_id NULL). An item
-- seen again with both digests the same is the same thing again and is not extracted again; a new
-- version of newsdesk or of the extraction libraries, or other extraction settings, extract it
-- again. An article that is deleted takes its inputs' rows with it (its input is then new again).
CREATE TABLE input_digests (
    digest     BLOB PRIMARY KEY,
    extraction BLOB NOT NULL,
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    reason     TEXT,
    detail     TEXT,
    url        TEXT,
    CHECK ((article_id IS NULL) != (reason IS NULL))
) WITHOUT ROWID;
CREATE INDEX input_digests_article ON input_digests (article_id) WHERE article_id IS NOT NULL;
