-- Leases on sources, so that several collectors (`newsdesk update --watch` in several processes,
-- on one machine or several) share one source list without fetching a source twice at once.
--
-- A collector claims due sources by writing its name and the end of its lease; it renews the lease
-- while it works and clears it when it records the fetch. A collector that dies (SIGKILL, a lost
-- machine) clears nothing: its lease runs out and another collector takes the source, so no source
-- is lost. A source whose lease is running is not due, whatever its next_due says.

ALTER TABLE sources ADD COLUMN leased_by TEXT;
ALTER TABLE sources ADD COLUMN leased_until TEXT;
