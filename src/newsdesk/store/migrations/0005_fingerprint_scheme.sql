-- The fingerprint scheme the keys in lsh_keys were made with (provenance.FINGERPRINT_SCHEME). Keys of
-- another scheme never match new ones, so copies of older articles would go unnoticed: the Desk
-- reports the mismatch (`newsdesk check`, a warning on open) and `newsdesk retrace` rebuilds the keys.
CREATE TABLE provenance_state (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

-- An index built before this table existed was made with scheme 1 (blake2b band keys).
INSERT INTO provenance_state (name, value)
SELECT 'fingerprint_scheme', 1 WHERE EXISTS (SELECT 1 FROM fingerprints);
