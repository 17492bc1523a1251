-- Texts compressed, as SQLite's archive format (sqlar) compresses files (see store/_texts.py).
--
-- articles.text and article_revisions.text hold a BLOB, and text_size the length of the text in
-- UTF-8: the BLOB is the text compressed by zlib when the two lengths differ, the UTF-8 itself when
-- they are equal. sqlar_uncompress(text, text_size) gives the UTF-8 back, in newsdesk (which
-- registers the function on every connection) as in the sqlite3 shell (where it is built in). A
-- row whose text_size is NULL holds its text as it is (what a client that wrote plain text left).
-- The view article_texts shows every article's text as text: it is what the word index reads
-- (its external content), and what a person reads in the shell: SELECT text FROM article_texts.
--
-- The word index (articles_fts) is made again over the view (FTS5 cannot change its content
-- table in place) and rebuilt from it: the same words, so the same matches and ranks. The
-- substring index (articles_cjk) keeps its data; only its triggers change, to read the text through
-- sqlar_uncompress. The data step (migrations/__init__.py, same transaction) then folds the
-- document-frequency log into story_df and compresses the stored story vectors.

DROP TRIGGER articles_ai;
DROP TRIGGER articles_ad;
DROP TRIGGER articles_au;
DROP TRIGGER articles_cjk_ai;
DROP TRIGGER articles_cjk_ad;
DROP TRIGGER articles_cjk_au;
DROP TABLE articles_fts;

ALTER TABLE articles ADD COLUMN text_size INTEGER;           -- bytes of the text in UTF-8
ALTER TABLE article_revisions ADD COLUMN text_size INTEGER;  -- (NULL with text NULL: the article's)

-- In one UPDATE every expression reads the row as it was: the size is the plain text's.
UPDATE articles SET text_size = length(CAST(text AS BLOB)), text = sqlar_compress(CAST(text AS BLOB));
UPDATE article_revisions SET text_size = length(CAST(text AS BLOB)), text = sqlar_compress(CAST(text AS BLOB))
WHERE text IS NOT NULL;

CREATE VIEW article_texts (id, title, text) AS
SELECT id, title, CAST(sqlar_uncompress(text, text_size) AS TEXT) FROM articles;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'article_texts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text)
    VALUES (new.id, new.title, CAST(sqlar_uncompress(new.text, new.text_size) AS TEXT));
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, CAST(sqlar_uncompress(old.text, old.text_size) AS TEXT));
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text, text_size ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, CAST(sqlar_uncompress(old.text, old.text_size) AS TEXT));
    INSERT INTO articles_fts (rowid, title, text)
    VALUES (new.id, new.title, CAST(sqlar_uncompress(new.text, new.text_size) AS TEXT));
END;

-- The substring index's triggers of migration 0008, each text read through sqlar_uncompress.
CREATE TRIGGER articles_cjk_ai AFTER INSERT ON articles
WHEN substr(new.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(CAST(sqlar_uncompress(new.text, new.text_size) AS TEXT), 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' BEGIN
    INSERT INTO articles_cjk (rowid, title, text)
    VALUES (new.id, new.title || '  ', CAST(sqlar_uncompress(new.text, new.text_size) AS TEXT) || '  ');
END;
CREATE TRIGGER articles_cjk_ad AFTER DELETE ON articles
WHEN substr(old.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(CAST(sqlar_uncompress(old.text, old.text_size) AS TEXT), 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' BEGIN
    INSERT INTO articles_cjk (articles_cjk, rowid, title, text)
    VALUES ('delete', old.id, old.title || '  ', CAST(sqlar_uncompress(old.text, old.text_size) AS TEXT) || '  ');
END;
CREATE TRIGGER articles_cjk_au AFTER UPDATE OF title, text, text_size ON articles BEGIN
    INSERT INTO articles_cjk (articles_cjk, rowid, title, text)
    SELECT 'delete', old.id, old.title || '  ', CAST(sqlar_uncompress(old.text, old.text_size) AS TEXT) || '  '
    WHERE substr(old.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(CAST(sqlar_uncompress(old.text, old.text_size) AS TEXT), 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*';
    INSERT INTO articles_cjk (rowid, title, text)
    SELECT new.id, new.title || '  ', CAST(sqlar_uncompress(new.text, new.text_size) AS TEXT) || '  '
    WHERE substr(new.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(CAST(sqlar_uncompress(new.text, new.text_size) AS TEXT), 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*';
END;
