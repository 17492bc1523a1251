-- A person named by surname alone is the person of that surname the desk knows by full name, when
-- it knows exactly one (issue 17; newsdesk/_surnames.py): what finds the full names of a surname
-- is the folded last word of each person's key of two words or more ("person:barack obama" ->
-- "obama"), NULL for every other entity, one indexed read whatever the number of entities.
-- store/_understanding_rows.py's last_word is the same rule, for the entities written from now on:
-- the name after the key's type when it holds a space, its part after the last space (the rtrim
-- below strips every character but the spaces from the right).

ALTER TABLE entities ADD COLUMN last_word TEXT;
UPDATE entities SET last_word = substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1)
    WHERE key LIKE 'person:% %';
CREATE INDEX entities_by_last_word ON entities (last_word) WHERE last_word IS NOT NULL;
