-- What the understand stage finds in articles (issue 17), as SQLite's migration 0015: people,
-- organisations and places joined across articles by key into one entity each, with their counts
-- kept as articles are understood; quotes, who said what; figures; and the version of the stage
-- each article was understood under (`newsdesk reunderstand`). JSON columns are text, as in 0001.
--
-- The ids of entities and quotes are numbered as SQLite numbers a rowid, one past the largest
-- (store/postgres/_understanding.py, in the understanding's turn), not by a sequence: a sequence
-- spends a number on every conflict of an upsert and never gives back a deleted quote's, and a
-- desk is the same, id for id, on either backend (copy-store both ways, tests/store/test_postgres.py).
-- An entity nobody names any more keeps its row and id (links to its page stay good), zero
-- counts and no times, and is not listed.

CREATE TABLE entities (
    id         bigint PRIMARY KEY,
    key        text NOT NULL UNIQUE,          -- type and folded name: "person:joe biden"
    name       text NOT NULL,                 -- as the first article to name it wrote it
    type       text NOT NULL,                 -- person | organisation | place
    articles   integer NOT NULL DEFAULT 0,
    mentions   integer NOT NULL DEFAULT 0,
    quotes     integer NOT NULL DEFAULT 0,
    first_seen timestamptz,
    last_seen  timestamptz
);
-- The most named first, then by name (byte order, as SQLite's BINARY): one walk, whatever the
-- number of entities; listed entities only (those nobody names are skipped without a look).
CREATE INDEX entities_by_articles ON entities (articles DESC, name COLLATE "C", id) WHERE articles > 0;
CREATE INDEX entities_by_type ON entities (type, articles DESC, name COLLATE "C", id) WHERE articles > 0;

CREATE TABLE article_entities (
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  bigint NOT NULL REFERENCES entities (id),
    seq        integer NOT NULL,              -- its place in the article's list
    name       text NOT NULL,                 -- the form this article gives
    mentions   text NOT NULL,                 -- JSON: [[start, end, text], ...]
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_entities_by_entity ON article_entities (entity_id, article_id);

CREATE TABLE article_quotes (
    id              bigint PRIMARY KEY,
    article_id      bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq             integer NOT NULL,
    speaker         text,
    speaker_key     text,
    speaker_entity  bigint REFERENCES entities (id),
    speaker_mention text,
    speaker_start   integer,
    speaker_end     integer,
    cue             text NOT NULL,
    cue_start       integer NOT NULL,
    cue_end         integer NOT NULL,
    text            text NOT NULL,
    text_start      integer NOT NULL,
    text_end        integer NOT NULL,
    direct          boolean NOT NULL,
    statement       text NOT NULL,            -- the same for the same words quoted anywhere
    UNIQUE (article_id, seq)
);
CREATE INDEX article_quotes_by_speaker ON article_quotes (speaker_entity, article_id);
CREATE INDEX article_quotes_by_statement ON article_quotes (statement);
-- The quotes' words, as the articles' word index reads a text (0001: the 'simple' configuration,
-- ASCII punctuation a space): what `newsdesk quotes QUERY` asks with websearch_to_tsquery. The
-- expression is store/postgres/_understanding.py's _QUOTE_WORDS, letter for letter (the planner
-- uses the index only for the same expression; a test checks the plan).
CREATE INDEX article_quotes_words ON article_quotes USING gin (
    to_tsvector('simple'::regconfig, translate(text,
        '!"#$%&''()*+,-./:;<=>?@[\]^`{|}~', '                               '))
);

CREATE TABLE article_understanding (
    article_id          bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version             text NOT NULL,
    figures             text NOT NULL,        -- JSON: [{"kind", "text", "start", "end", "value"}, ...]
    category_basis      text,                 -- section | learned
    category_confidence double precision,
    at                  timestamptz           -- the article's time, its entities' first/last seen
);
-- No index on version: what is left to understand is a merge of this primary key with the
-- articles' (both walked by id from `after`, stopping at `limit`), which any version needs.
