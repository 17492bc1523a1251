-- Leases on sources, as SQLite's migration 0014: several collectors share one source list without
-- fetching a source twice at once. A collector claims due sources with FOR UPDATE SKIP LOCKED (two
-- collectors claiming at once take different rows instead of waiting on each other), renews its
-- leases while it works, and recording a fetch ends the lease. A dead collector's leases run out.

ALTER TABLE sources ADD COLUMN leased_by text;
ALTER TABLE sources ADD COLUMN leased_until timestamptz;
