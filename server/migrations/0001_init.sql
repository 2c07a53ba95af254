-- motcua-server schema, version 1. Forward-only: never edit a released file,
-- add server/migrations/NNNN_name.sql instead (applied in file-name order,
-- each in its own transaction, recorded in schema_version).

-- One row per database: a random id so that a cursor from another database
-- (a new cluster, not a restored dump) is recognised and refused.
CREATE TABLE server_meta(
	id boolean PRIMARY KEY DEFAULT true CHECK (id),
	epoch text NOT NULL DEFAULT substr(md5(random()::text || clock_timestamp()::text), 1, 8)
);
INSERT INTO server_meta DEFAULT VALUES;

-- Reference data ------------------------------------------------------------

-- Provinces and communes (and later agencies). ident is the identifier used
-- in dossier codes (Decision 20/2020 form: H<province>.<commune>).
CREATE TABLE units(
	code text PRIMARY KEY,
	name text NOT NULL,
	ident text NOT NULL UNIQUE,
	kind text NOT NULL,
	parent_code text REFERENCES units(code)
);
CREATE INDEX units_parent ON units(parent_code);

-- data is the JSON sent to clients (the parsed procedure, core/procparse.h).
CREATE TABLE procedures(
	code text PRIMARY KEY,
	name text NOT NULL,
	data jsonb NOT NULL
);

CREATE TABLE holidays(
	day date PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('off', 'work')),
	name text
);

-- People and devices ----------------------------------------------------------

CREATE TABLE users(
	username text PRIMARY KEY,
	full_name text NOT NULL,
	unit_code text NOT NULL REFERENCES units(code),
	role text NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
	pw_hash text NOT NULL,
	disabled boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Units a user serves besides users.unit_code.
CREATE TABLE user_units(
	username text NOT NULL REFERENCES users(username),
	unit_code text NOT NULL REFERENCES units(code),
	PRIMARY KEY (username, unit_code)
);

-- A workstation (device_id is made by the client). last_applied_op lets a
-- client notice a server restored from an older backup.
CREATE TABLE devices(
	device_id text PRIMARY KEY,
	name text,
	username text NOT NULL REFERENCES users(username),
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz,
	last_applied_op text,
	ops_applied bigint NOT NULL DEFAULT 0
);

-- Tokens are stored as SHA-256 of the token; revoked ones stay for the record.
CREATE TABLE tokens(
	token_hash bytea PRIMARY KEY,
	device_id text NOT NULL REFERENCES devices(device_id),
	username text NOT NULL REFERENCES users(username),
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);
CREATE INDEX tokens_device ON tokens(device_id);
CREATE INDEX tokens_user ON tokens(username);

-- Dossiers ----------------------------------------------------------------------

-- data is the dossier JSON as the workstation wrote it (docs/api.md), kept
-- up to date with status, appointment and rev by later operations.
CREATE TABLE dossiers(
	id text PRIMARY KEY,
	code text NOT NULL UNIQUE,
	unit_code text NOT NULL REFERENCES units(code),
	procedure_code text NOT NULL,
	procedure_name text NOT NULL,
	status integer NOT NULL,
	received_at text NOT NULL,
	appointment text NOT NULL,
	rev integer NOT NULL,
	data jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossiers_unit ON dossiers(unit_code);

-- Append-only: who did what, when (device clock and server clock).
CREATE TABLE events(
	id text PRIMARY KEY,
	dossier_id text NOT NULL REFERENCES dossiers(id),
	kind text NOT NULL,
	status_from integer,
	status_to integer,
	actor text NOT NULL,
	unit_code text NOT NULL,
	device_time text NOT NULL,
	server_time timestamptz NOT NULL DEFAULT now(),
	device_id text,
	payload jsonb
);
CREATE INDEX events_dossier ON events(dossier_id);

-- Sync ------------------------------------------------------------------------------

-- Applied operations: UNIQUE(op_id) makes every push idempotent.
CREATE TABLE ops(
	op_id text PRIMARY KEY,
	device_id text NOT NULL,
	username text NOT NULL,
	entity text NOT NULL,
	entity_id text NOT NULL,
	op text NOT NULL,
	payload_hash text NOT NULL,
	rev integer,
	applied_at timestamptz NOT NULL DEFAULT now()
);

-- Operations answered 'conflict' or 'rejected', kept for a person to look at.
CREATE TABLE op_problems(
	op_id text NOT NULL,
	payload_hash text NOT NULL,
	device_id text NOT NULL,
	username text NOT NULL,
	status text NOT NULL CHECK (status IN ('conflict', 'rejected')),
	code text NOT NULL,
	message text NOT NULL,
	payload jsonb,
	first_seen_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	attempts integer NOT NULL DEFAULT 1,
	PRIMARY KEY (op_id, payload_hash)
);

-- The change log clients pull, written in the transaction of each change.
-- unit_code NULL: reference data every client receives; otherwise only
-- clients serving that unit. Writers take advisory lock 7001 before taking a
-- seq so that seqs become visible in order (no reader skips a late commit).
CREATE TABLE changes(
	seq bigserial PRIMARY KEY,
	entity text NOT NULL,
	entity_id text NOT NULL,
	rev integer NOT NULL,
	unit_code text,
	data jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_unit ON changes(unit_code, seq);

-- Dossier-number leases: blocks [first, last] of sequence numbers per unit
-- identifier, taken from one counter per identifier so no two blocks meet.
CREATE TABLE lease_counters(
	unit_ident text PRIMARY KEY,
	last bigint NOT NULL
);
CREATE TABLE leases(
	id bigserial PRIMARY KEY,
	request_id text UNIQUE,
	unit_ident text NOT NULL,
	day text NOT NULL,
	first bigint NOT NULL,
	last bigint NOT NULL,
	device_id text NOT NULL,
	username text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Content-addressed files (scans, results): uploads come in a later version.
CREATE TABLE blobs(
	sha256 text PRIMARY KEY,
	size bigint NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- The units a user serves: an admin all, a supervisor its unit and the units
-- under it, anyone its own unit and those listed in user_units.
CREATE FUNCTION user_scope(u text) RETURNS TABLE(unit_code text)
LANGUAGE sql STABLE AS $$
	SELECT x.code FROM users usr JOIN units x
	  ON usr.role = 'admin' OR x.code = usr.unit_code
	  OR (usr.role = 'supervisor' AND x.parent_code = usr.unit_code)
	  OR x.code IN (SELECT uu.unit_code FROM user_units uu WHERE uu.username = usr.username)
	WHERE usr.username = u
$$;
