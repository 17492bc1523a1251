-- Search in scripts written without spaces between words (Chinese, Japanese, Korean, Thai, Lao,
-- Khmer, Myanmar). The word index (articles_fts, unicode61) takes a run of such characters for one
-- "word", so a search for a word inside the run found nothing. An article with a character of those
-- scripts in the first 1,000 characters of its title or text is also indexed here by trigrams (every
-- three characters), which finds any string of three or more characters; a string of one or two is
-- looked up as the start of trigrams (through articles_cjk_terms), which is why two spaces end each
-- indexed value: the last one or two characters of a title or text start a trigram too.
-- Only the start is looked at because GLOB costs about 0.17 ms a 1,000 characters (a 1 MB English
-- text would pay 0.17 s on every write): a Chinese report shows Chinese at once, while an English
-- report that quotes a Chinese name only deep inside is not in this index (a search containing such
-- characters asks this index only).
-- Contentless: the text is the articles table's; deletes give the old values, as FTS5 asks.
--
-- The pattern lists the scripts' blocks: U+0E00-0EFF Thai and Lao, U+1000-109F Myanmar, U+1780-17FF
-- Khmer, U+3040-9FFF kana, CJK symbols, Hangul jamo and CJK ideographs (with extension A),
-- U+AC00-D7AF Hangul syllables, U+F900-FAFF CJK compatibility ideographs, U+20000-3134F CJK
-- extensions B-G. store/sqlite.py's _SUBSTRING_SCRIPTS is the same list (a test checks they agree).

CREATE VIRTUAL TABLE articles_cjk USING fts5 (
    title, text,
    content = '',
    tokenize = 'trigram'
);
-- Its terms (trigrams), for the one- and two-character lookups.
CREATE VIRTUAL TABLE articles_cjk_terms USING fts5vocab (articles_cjk, row);

CREATE TRIGGER articles_cjk_ai AFTER INSERT ON articles
WHEN substr(new.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(new.text, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' BEGIN
    INSERT INTO articles_cjk (rowid, title, text) VALUES (new.id, new.title || '  ', new.text || '  ');
END;
CREATE TRIGGER articles_cjk_ad AFTER DELETE ON articles
WHEN substr(old.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(old.text, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' BEGIN
    INSERT INTO articles_cjk (articles_cjk, rowid, title, text)
    VALUES ('delete', old.id, old.title || '  ', old.text || '  ');
END;
-- One trigger for updates, so that the old values leave before the new ones come.
CREATE TRIGGER articles_cjk_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_cjk (articles_cjk, rowid, title, text)
    SELECT 'delete', old.id, old.title || '  ', old.text || '  '
    WHERE substr(old.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(old.text, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*';
    INSERT INTO articles_cjk (rowid, title, text)
    SELECT new.id, new.title || '  ', new.text || '  '
    WHERE substr(new.title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(new.text, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*';
END;

-- The articles already stored.
INSERT INTO articles_cjk (rowid, title, text)
SELECT id, title || '  ', text || '  ' FROM articles
WHERE substr(title, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*' OR substr(text, 1, 1000) GLOB '*[฀-໿က-႟ក-៿぀-鿿가-힯豈-﫿𠀀-𱍏]*';
