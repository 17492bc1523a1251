-- A person named by surname alone is the person of that surname the desk knows by full name, when
-- the desk has seen that person called by it alone (issue 17; newsdesk/_surnames.py): the evidence
-- is kept with the article that gives it, as the folded last word of a person's full name where
-- this article also calls that entity by the word alone ("Barack Obama ... Obama said": "obama"),
-- NULL otherwise; people_by_last_word reads it through the partial index (as SQLite's 0016).
-- newsdesk/_surnames.py's called_by (which the Desk passes to save_understanding) is the rule for the rows written from now on; for the
-- rows before it this fills the plain case: a person's key of two words or more and a mention
-- whose text, lower-cased, is its last word.

ALTER TABLE article_entities ADD COLUMN last_word text;
UPDATE article_entities AS ae SET last_word = p.word
    FROM (
        SELECT id, substring(key FROM '[^ ]*$') AS word FROM entities WHERE key LIKE 'person:% %'
    ) AS p
    WHERE p.id = ae.entity_id
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(ae.mentions::jsonb) AS m WHERE lower(m ->> 2) = p.word);
CREATE INDEX article_entities_by_last_word ON article_entities (last_word, entity_id) WHERE last_word IS NOT NULL;
