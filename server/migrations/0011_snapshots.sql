-- Snapshots for new workstations (server/snapshot.c, docs/api.md
-- "Snapshot"): the records a scope of units sees at one point of the change
-- log, one change per entity (the last), gzipped, with the feed cursor that
-- follows them. units is the scope, sorted; data the gzip stream served with
-- HTTP Range. Rebuilt when older than snapshot_max_age; old ones dropped as
-- new ones are made.
CREATE TABLE snapshots(
	id text PRIMARY KEY,          -- SHA-256 of data, hex
	units text[] NOT NULL,
	seq bigint NOT NULL,          -- the last change it holds
	cursor text NOT NULL,         -- the feed cursor after it
	changes integer NOT NULL,     -- changes it holds
	size bigint NOT NULL,
	data bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
-- data is gzip already: kept out of line, uncompressed, so that a range is
-- read without the whole value
ALTER TABLE snapshots ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX snapshots_units ON snapshots(units, created_at);
