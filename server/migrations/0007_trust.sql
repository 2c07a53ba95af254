-- Logins and tokens a workstation cannot abuse (docs/api.md "Login").
--
-- Failed logins, per user name and per client address: the server refuses
-- to try a password (an Argon2id hash, costly on purpose) while a name or an
-- address has failed too often recently (429 with Retry-After). A success
-- clears the user's failures. Rows older than a day are deleted as new
-- ones come.
CREATE TABLE login_failures(
	id bigserial PRIMARY KEY,
	username text NOT NULL,
	addr text NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_user ON login_failures(username, at);
CREATE INDEX login_failures_addr ON login_failures(addr, at);

-- Tokens expire (serve --token-days); a refresh gives a new one. Tokens
-- given before this version expire 30 days from now.
ALTER TABLE tokens ADD COLUMN expires_at timestamptz;
UPDATE tokens SET expires_at = now() + interval '30 days' WHERE expires_at IS NULL;
ALTER TABLE tokens ALTER COLUMN expires_at SET NOT NULL;

-- A released device (motcua-server device release) is bound anew at its
-- next login.
ALTER TABLE devices ADD COLUMN released_at timestamptz;

-- A device is bound to a unit (its first user's): the unit's clerks may
-- share it (the binding moves to the last one, the previous one's tokens on
-- it revoked); a user of another unit is refused until an admin releases it.
ALTER TABLE devices ADD COLUMN unit_code text REFERENCES units(code);
UPDATE devices d SET unit_code = u.unit_code FROM users u WHERE u.username = d.username;
