-- A person named by surname alone is the person of that surname the desk knows by full name, when
-- the desk has seen that person called by it alone (issue 17; newsdesk/_surnames.py): the evidence
-- is kept with the article that gives it, as the folded last word of a person's full name where
-- this article also calls that entity by the word alone ("Barack Obama ... Obama said": "obama"),
-- NULL otherwise; people_by_last_word reads it through the partial index.
-- newsdesk/_surnames.py's called_by (which the Desk passes to save_understanding) is the rule for the rows written from now on (a title
-- or possessive around the word counts too, and people's adjectives and titles are never
-- surnames). For the rows before it this fills the plain case: a person's key of two words or more
-- (its last word: the rtrim below strips every character but the spaces from the right) and a
-- mention whose text, lower-cased, is that word; `newsdesk reunderstand --all` applies the rule.

ALTER TABLE article_entities ADD COLUMN last_word TEXT;
UPDATE article_entities AS ae SET last_word = p.word
    FROM (
        SELECT id, substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1) AS word
        FROM entities WHERE key LIKE 'person:% %'
    ) AS p
    WHERE p.id = ae.entity_id
      AND EXISTS (SELECT 1 FROM json_each(ae.mentions) AS m WHERE lower(json_extract(m.value, '$[2]')) = p.word);
CREATE INDEX article_entities_by_last_word ON article_entities (last_word, entity_id) WHERE last_word IS NOT NULL;
