-- Fetching live sources: each source's health and schedule, entry ids, and pages fetched for entries.

ALTER TABLE sources ADD COLUMN last_fetched TEXT;      -- last attempt, whatever its outcome
ALTER TABLE sources ADD COLUMN last_success TEXT;      -- last 2xx or 304
ALTER TABLE sources ADD COLUMN first_success TEXT;     -- the start of the "new articles per day" window
ALTER TABLE sources ADD COLUMN last_error TEXT;        -- the reason of the last failure (kept after recovery)
ALTER TABLE sources ADD COLUMN last_new_article TEXT;  -- when an update last brought a new article
ALTER TABLE sources ADD COLUMN new_articles INTEGER NOT NULL DEFAULT 0;  -- new articles, all updates
ALTER TABLE sources ADD COLUMN fetches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN not_modified INTEGER NOT NULL DEFAULT 0;  -- of which 304s
ALTER TABLE sources ADD COLUMN ttl_seconds INTEGER;    -- the feed's <ttl> or Cache-Control max-age
ALTER TABLE sources ADD COLUMN rate_per_day REAL;      -- publishing rate seen in the entries' dates
CREATE INDEX sources_due ON sources (next_due) WHERE paused_reason IS NULL;

-- Which stored article a feed entry id stands for, per source: an entry whose link changes but whose
-- id stays is recognised; a link that stays with a changing id is recognised by the link itself.
CREATE TABLE entry_ids (
    source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    entry_id   TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, entry_id)
) WITHOUT ROWID;
CREATE INDEX entry_ids_article ON entry_ids (article_id);

-- Pages fetched for feed entries and sitemap URLs: what happened, so a page that is not an article
-- or is gone is not fetched again, and a page that failed for now is retried a few times.
CREATE TABLE page_fetches (
    url        TEXT PRIMARY KEY,
    source_id  INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    status     INTEGER,
    outcome    TEXT NOT NULL,      -- stored | rejected | gone | failed
    detail     TEXT,
    attempts   INTEGER NOT NULL DEFAULT 1,
    tried      TEXT NOT NULL
);
