-- SPDX-License-Identifier: GPL-3.0-or-later
-- Counter visits that ended without a received dossier (docs/api.md
-- "Operation visit / record"): a refusal with form 03 or a guidance with
-- form 02. No code, no ledger number, no event row (events belong to
-- dossiers); counted per unit and day beside the received dossiers.
CREATE TABLE visits(
	id text PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('refuse', 'guide')),
	unit_code text NOT NULL REFERENCES units(code),
	procedure_code text NOT NULL,
	clerk text NOT NULL,
	at text NOT NULL,
	data jsonb NOT NULL,
	device_id text,
	username text NOT NULL,
	server_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visits_unit_at ON visits(unit_code, at);
