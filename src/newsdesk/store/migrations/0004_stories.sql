-- Stories: articles grouped online by the event they report (see stories.py).
-- Times of stories and members are POSIX seconds (REAL): clustering compares them, people never read them.

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
    centroid      TEXT NOT NULL,              -- JSON {term: weight}: the sum of member vectors, pruned
    sources       TEXT NOT NULL,              -- JSON {source: articles}
    categories    TEXT NOT NULL               -- JSON {category: articles}
);
CREATE INDEX stories_open ON stories (last_seen) WHERE open = 1;
CREATE INDEX stories_last ON stories (last_seen);

-- Which story each article belongs to (at most one), how it joined, and its vector (JSON, truncated).
CREATE TABLE story_members (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL,
    at         REAL,
    joined     TEXT NOT NULL,      -- new | joined | copy
    score      REAL NOT NULL,
    vector     TEXT NOT NULL
);
CREATE INDEX story_members_story ON story_members (story_id);

-- The index over open stories: each is listed under the heaviest terms of its centroid.
CREATE TABLE story_terms (
    term     TEXT NOT NULL,
    story_id INTEGER NOT NULL,
    PRIMARY KEY (term, story_id)
) WITHOUT ROWID;
CREATE INDEX story_terms_story ON story_terms (story_id);

-- Document frequencies learned as articles arrive (the IDF of clustering), and how many were counted.
CREATE TABLE story_df (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE story_counts (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    docs INTEGER NOT NULL
);
INSERT INTO story_counts (id, docs) VALUES (1, 0);

-- Merges and splits, with the reason.
CREATE TABLE story_decisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,     -- merge | split
    story_id   INTEGER NOT NULL,  -- the story that stays
    other_id   INTEGER NOT NULL,  -- merged into it, or split from it
    articles   TEXT NOT NULL,     -- JSON [article ids moved]
    score      REAL NOT NULL,
    reason     TEXT NOT NULL,
    article_id INTEGER NOT NULL,  -- the arrival that triggered it
    decided    TEXT NOT NULL
);
CREATE INDEX story_decisions_story ON story_decisions (story_id);
CREATE INDEX story_decisions_other ON story_decisions (other_id);
