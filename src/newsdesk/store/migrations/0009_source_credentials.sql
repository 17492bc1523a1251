-- Credentials of sources (HTTP Basic auth, given as "user:password@" in the URL a person added) are
-- a secret: they live here, apart from sources.url, which every listing, the API and OPML exports
-- show. Only the fetcher reads this table (SQLiteStore.source_credentials). Removing a source
-- removes its credentials.
--
-- The data step of this migration (DATA_STEPS[9] in __init__.py, same transaction) moves the user
-- info of stored source URLs here and takes it out of the other places a URL or a message about one
-- was kept.
CREATE TABLE source_credentials (
    source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    username  TEXT NOT NULL,
    password  TEXT NOT NULL
);
