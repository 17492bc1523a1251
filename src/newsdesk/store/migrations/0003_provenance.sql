-- Provenance: fingerprints, the LSH index over them, copy groups and copy edges.

CREATE TABLE fingerprints (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    exact      TEXT NOT NULL,
    words      INTEGER NOT NULL
);
CREATE INDEX fingerprints_exact ON fingerprints (exact);

-- One row per LSH band key of an article (text bands and anchor bands share the key space; the
-- keys are salted per kind). WITHOUT ROWID: the primary key is the lookup.
CREATE TABLE lsh_keys (
    key        INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE INDEX lsh_keys_article ON lsh_keys (article_id);

-- Every article in a copy group; the group's original has no row in copies.
CREATE TABLE copy_groups (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL,
    original   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX copy_groups_group ON copy_groups (group_id);

-- copy -> original, with the kind, a score and the evidence (JSON) a person can check.
CREATE TABLE copies (
    copy_id     INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    original_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    score       REAL NOT NULL,
    evidence    TEXT NOT NULL,
    decided     TEXT NOT NULL
);
CREATE INDEX copies_original ON copies (original_id);
