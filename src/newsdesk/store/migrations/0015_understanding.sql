-- What the understand stage finds in articles (issue 17): their people, organisations and places,
-- joined across articles by key into one entity each; their quotes, who said what; their figures;
-- and the version of the stage each article was understood under (`newsdesk reunderstand`).
--
-- An entity's counts (articles naming it, mentions, quotes it is the speaker of) and its first and
-- last times are kept as articles are understood, so the most named entities are one walk down
-- entities_by_articles. An entity nobody names any more keeps its row (and id: links to its page
-- stay good) with zero counts, and is not listed.

CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,      -- type and folded name: "person:joe biden"
    name        TEXT NOT NULL,             -- as the first article to name it wrote it
    type        TEXT NOT NULL,             -- person | organisation | place
    articles    INTEGER NOT NULL DEFAULT 0,
    mentions    INTEGER NOT NULL DEFAULT 0,
    quotes      INTEGER NOT NULL DEFAULT 0,
    first_seen  TEXT,
    last_seen   TEXT
);
CREATE INDEX entities_by_articles ON entities (articles DESC, name);
CREATE INDEX entities_by_type ON entities (type, articles DESC, name);

CREATE TABLE article_entities (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id   INTEGER NOT NULL REFERENCES entities(id),
    seq         INTEGER NOT NULL,          -- its place in the article's list (first mention order)
    name        TEXT NOT NULL,             -- the form this article gives
    mentions    TEXT NOT NULL,             -- JSON: [[start, end, text], ...]
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX article_entities_by_entity ON article_entities (entity_id, article_id);

CREATE TABLE article_quotes (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    speaker         TEXT,
    speaker_key     TEXT,
    speaker_entity  INTEGER REFERENCES entities(id),
    speaker_mention TEXT,
    speaker_start   INTEGER,
    speaker_end     INTEGER,
    cue             TEXT NOT NULL,
    cue_start       INTEGER NOT NULL,
    cue_end         INTEGER NOT NULL,
    text            TEXT NOT NULL,
    text_start      INTEGER NOT NULL,
    text_end        INTEGER NOT NULL,
    direct          INTEGER NOT NULL,
    statement       TEXT NOT NULL,         -- the same for the same words quoted anywhere
    UNIQUE (article_id, seq)
);
CREATE INDEX article_quotes_by_speaker ON article_quotes (speaker_entity, article_id);
CREATE INDEX article_quotes_by_statement ON article_quotes (statement);

-- The quotes' words, for `newsdesk quotes QUERY` and /quotes?q= (the articles' tokenizer).
CREATE VIRTUAL TABLE article_quotes_fts USING fts5 (
    text, content = 'article_quotes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_quotes_fts_insert AFTER INSERT ON article_quotes BEGIN
    INSERT INTO article_quotes_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER article_quotes_fts_delete AFTER DELETE ON article_quotes BEGIN
    INSERT INTO article_quotes_fts (article_quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE article_understanding (
    article_id          INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version             TEXT NOT NULL,
    figures             TEXT NOT NULL,     -- JSON: [{"kind", "text", "start", "end", "value"}, ...]
    category_basis      TEXT,              -- section | learned
    category_confidence REAL,
    at                  TEXT               -- the article's time its entities' first/last seen count
);
CREATE INDEX article_understanding_by_version ON article_understanding (version, article_id);
