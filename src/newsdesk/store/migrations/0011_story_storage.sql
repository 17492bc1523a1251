-- Story vectors as packed bytes (store/_vectors.py) instead of JSON text: a story's centroid took
-- about 8.6 KB of JSON, and reading two dozen of them back for each article was most of what the
-- stories stage cost through the store. The lengths of a centroid's word and name parts are kept
-- beside it, so a story read back is scored without a pass over its centroid.
-- The tables are made anew with these columns; the data step (migrations/__init__.py) packs every
-- row of the old ones into them, then drops the old ones.

DROP INDEX stories_open;
DROP INDEX stories_last;
ALTER TABLE stories RENAME TO stories_json;
CREATE TABLE stories (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    title_article INTEGER NOT NULL,
    first_seen    REAL,                       -- the earliest member's time (published, else first seen)
    last_seen     REAL,
    size          INTEGER NOT NULL,
    category      TEXT,                       -- the members' majority category
    open          INTEGER NOT NULL DEFAULT 1, -- 0: closed (left the index) or merged away
    merged_into   INTEGER,                    -- set when merged into another story
    centroid      BLOB NOT NULL,              -- packed {term: weight}: the sum of member vectors, pruned
    word_norm     REAL,                       -- lengths of the centroid's word and name parts (NULL:
    name_norm     REAL,                       --   not known yet, computed when needed)
    sources       TEXT NOT NULL,              -- JSON {source: articles}
    categories    TEXT NOT NULL               -- JSON {category: articles}
);
CREATE INDEX stories_open ON stories (last_seen) WHERE open = 1;
CREATE INDEX stories_last ON stories (last_seen);

DROP INDEX story_members_story;
ALTER TABLE story_members RENAME TO story_members_json;
-- Which story each article belongs to (at most one), how it joined, and its vector (packed, truncated).
CREATE TABLE story_members (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL,
    at         REAL,
    joined     TEXT NOT NULL,      -- new | joined | copy
    score      REAL NOT NULL,
    vector     BLOB NOT NULL
);
CREATE INDEX story_members_story ON story_members (story_id);

-- Document frequencies in two parts: story_df holds the counts folded in, and story_df_log the terms
-- of each article counted since, one row an article (so counting an article's hundred-odd terms
-- writes one page, not a page for nearly each of them). The store folds the log into story_df
-- every thousand articles (store/sqlite.py, _DF_FOLD); a term's frequency is the sum of both.
CREATE TABLE story_df_log (
    id    INTEGER PRIMARY KEY,
    terms BLOB NOT NULL         -- the article's terms, UTF-8, separated by NUL (an article has some)
);
