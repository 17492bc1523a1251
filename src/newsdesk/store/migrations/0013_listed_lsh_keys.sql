-- Each article's LSH keys listed in its fingerprint row, and no index on lsh_keys (article_id).
--
-- The index served one query: removing an article's old keys before its new ones go in (an update,
-- `newsdesk retrace`). It took as much room as lsh_keys itself (about 1 KB an article, 58 keys).
-- Now fingerprints.keys lists the keys (little-endian int64 each, in the order they were made),
-- and the old keys are removed by lsh_keys's own primary key (key, article_id); a fingerprint whose
-- keys is NULL (written by a client that did not list them) has its keys found by a scan of
-- lsh_keys. Deleting an article (newsdesk never does; a client may) also scans lsh_keys to cascade.
-- The data step (migrations/__init__.py, same transaction) lists the keys of every article.

ALTER TABLE fingerprints ADD COLUMN keys BLOB;
