-- SPDX-License-Identifier: GPL-3.0-or-later
-- Every look-up of a citizen's papers from a counter (GET /api/v1/papers,
-- GET /api/v1/papers/{id}, server/papers.c, docs/reuse.md "Across units"):
-- who looked (the token's user and unit), for which dossier and citizen,
-- which paper was fetched (NULL for a list), what was answered, and when by
-- the server's clock. Nothing here comes from the request but the ID number,
-- the dossier's code and the paper asked for; written also when the look-up
-- is refused, so that a refused attempt is seen too. Append-only.

CREATE TABLE paper_lookups(
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	username text NOT NULL,
	unit_code text NOT NULL,          -- the user's unit (the token's)
	device_id text NOT NULL,
	dossier_code text NOT NULL,       -- as asked
	dossier_id text,                  -- the dossier in the user's scope; NULL: refused
	id_number text NOT NULL,
	document_id text,                 -- GET /api/v1/papers/{id}; NULL for a list
	status integer NOT NULL,          -- the HTTP status answered
	papers integer NOT NULL DEFAULT 0 -- papers listed (a list), 1 (a file sent) or 0
);
CREATE INDEX paper_lookups_id_number ON paper_lookups(id_number, at);
