-- newsdesk schema, version 1.
-- Times are ISO 8601 strings in UTC ("2026-03-02T08:15:00+00:00"); JSON columns hold arrays.

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    url           TEXT NOT NULL UNIQUE,
    name          TEXT,
    domain        TEXT,
    category      TEXT,
    added         TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    last_status   INTEGER,
    errors_in_row INTEGER NOT NULL DEFAULT 0,
    next_due      TEXT,
    paused_reason TEXT
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    url           TEXT NOT NULL,
    source        TEXT,
    site_name     TEXT,
    title         TEXT NOT NULL,
    byline        TEXT,
    published     TEXT,
    updated       TEXT,
    fetched       TEXT,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    language      TEXT,
    section       TEXT,
    category      TEXT,
    tags          TEXT NOT NULL DEFAULT '[]',
    source_links  TEXT NOT NULL DEFAULT '[]',
    description   TEXT,
    notes         TEXT NOT NULL DEFAULT '[]',
    text          TEXT NOT NULL,
    word_count    INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    revision      INTEGER NOT NULL DEFAULT 1,
    entry_id      TEXT,
    origin        TEXT
);
CREATE INDEX articles_published ON articles (coalesce(published, first_seen));
CREATE INDEX articles_category ON articles (category);
CREATE INDEX articles_source ON articles (source);

-- Every text an article has had, the current one included; a text seen before is "unchanged".
CREATE TABLE article_revisions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision     INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title        TEXT NOT NULL,
    text         TEXT NOT NULL,
    published    TEXT,
    updated      TEXT,
    stored       TEXT NOT NULL,
    origin       TEXT,
    UNIQUE (article_id, content_hash),
    UNIQUE (article_id, revision)
);

-- Other URLs that lead to the same article (the page URL when the canonical link differs, feed links).
CREATE TABLE article_urls (
    url        TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

-- Inputs that did not become articles, with the reason: nothing is dropped silently.
CREATE TABLE rejections (
    origin TEXT PRIMARY KEY,
    url    TEXT,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    seen   TEXT NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
