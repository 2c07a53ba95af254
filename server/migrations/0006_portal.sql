-- The link with the National Public Service Portal (docs/portal.md):
-- what the province publishes (every dossier and every change of its
-- status), queued by a trigger in the very transaction that applies the
-- change, whatever writes it; the portal's codes for our units and
-- procedures; the online dossiers fetched from the portal. The publisher
-- and the fetcher are `motcua-server portal` (server/portal.c).

-- The portal's codes for ours: 'unit' (our unit code -> its QCVN 102
-- identifier, DonViXuLy), 'procedure' (our procedure code -> MaTTHC, when
-- they differ), 'field' (the procedure's field as our catalog names it ->
-- MaLinhVuc). `motcua-server portal codes import FILE`.
CREATE TABLE portal_codes(
	kind text NOT NULL CHECK (kind IN ('unit', 'procedure', 'field')),
	ours text NOT NULL,
	theirs text NOT NULL,
	name text,
	PRIMARY KEY (kind, ours)
);
-- an online dossier names its unit by the portal's code: one unit per code
CREATE UNIQUE INDEX portal_codes_unit ON portal_codes(theirs) WHERE kind = 'unit';

-- One row: whether changes are published (`portal enable`), and the
-- publisher's state: consecutive failures of the portal and when it tries
-- again (the backoff is the endpoint's, not a message's: while the portal
-- answers 500 or does not answer, nothing is sent but the next attempt).
CREATE TABLE portal_state(
	id boolean PRIMARY KEY DEFAULT true CHECK (id),
	enabled boolean NOT NULL DEFAULT false,
	enabled_at timestamptz,
	failures integer NOT NULL DEFAULT 0,
	retry_at timestamptz,
	last_error text,
	last_error_at timestamptz,
	last_success_at timestamptz,
	last_fetch_at timestamptz
);
INSERT INTO portal_state DEFAULT VALUES;

-- The publication queue: one row per message, numbered per dossier (seq:
-- SoThuTu, the message's identity at the portal with MaHoSo). A change
-- makes two rows: the dossier as it left it (DongBoHoSoMC) and the step
-- (CapNhatTienDoHoSoMC). States: waiting (never sent), sent (sent, no
-- acknowledgement yet: sent again, the same message), acknowledged,
-- error (the portal refused it, or it cannot be made: waits for an admin,
-- and so do the dossier's later rows), dropped (by an admin, with a reason).
CREATE TABLE portal_queue(
	id bigserial PRIMARY KEY,
	dossier_id text NOT NULL,
	seq integer NOT NULL CHECK (seq > 0),
	service text NOT NULL CHECK (service IN ('DongBoHoSoMC', 'CapNhatTienDoHoSoMC')),
	updating boolean NOT NULL,      -- DongBoHoSoMC: the portal knows the dossier already
	rev integer NOT NULL,
	dossier jsonb NOT NULL,         -- the stored dossier as this change left it
	event jsonb NOT NULL,           -- the change's event
	state text NOT NULL DEFAULT 'waiting'
		CHECK (state IN ('waiting', 'sent', 'acknowledged', 'error', 'dropped')),
	attempts integer NOT NULL DEFAULT 0,
	message jsonb,                  -- the item as last sent
	last_error text,
	created_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz,
	acked_at timestamptz,
	error_at timestamptz,
	dropped_reason text,
	dropped_by text,
	UNIQUE (dossier_id, seq)
);
-- the head of each dossier's queue, and what is to be sent in queue order
CREATE INDEX portal_queue_open ON portal_queue(dossier_id, seq)
	WHERE state IN ('waiting', 'sent', 'error');
CREATE INDEX portal_queue_pending ON portal_queue(id) WHERE state IN ('waiting', 'sent');
CREATE INDEX portal_queue_state ON portal_queue(state);

-- The events the portal is told of: every action of the lifecycle
-- (core/lifecycle.h) but the rating (core/portal.c, portal_event_published,
-- says the same).
CREATE FUNCTION portal_published(kind text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT kind IN ('receive', 'transfer', 'request-supplement', 'supplement-received', 'refuse',
			'apologize', 'request-payment', 'paid', 'result-ready', 'return', 'withdraw',
			'stop', 'accept', 'online-supplement')
$$;

-- A dossier written (a reception) or changed (a new revision): its
-- messages, in the transaction that writes it. The change's event is the
-- reception's "event", or the last of "events" (push.c appends each
-- action's event there). An online dossier fetched from the portal is not
-- told back to it; its acceptance, supplement request or refusal is.
CREATE FUNCTION portal_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	ev jsonb;
	n integer;
BEGIN
	IF NOT (SELECT enabled FROM portal_state) THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
		ev := coalesce(NEW.data->'event', NEW.data->'events'->0);
	ELSE
		ev := NEW.data->'events'->-1;
	END IF;
	IF ev IS NULL OR jsonb_typeof(ev) <> 'object' OR NOT portal_published(ev->>'kind')
	   OR (TG_OP = 'UPDATE' AND ev->>'kind' = 'receive') THEN
		RETURN NULL;
	END IF;
	SELECT coalesce(max(seq), 0) INTO n FROM portal_queue WHERE dossier_id = NEW.id;
	INSERT INTO portal_queue(dossier_id, seq, service, updating, rev, dossier, event)
	VALUES (NEW.id, n + 1, 'DongBoHoSoMC', TG_OP = 'UPDATE', NEW.rev, NEW.data, ev),
	       (NEW.id, n + 2, 'CapNhatTienDoHoSoMC', TG_OP = 'UPDATE', NEW.rev, NEW.data, ev);
	-- the publisher, when it waits, wakes at the commit (one per transaction)
	PERFORM pg_notify('motcua_portal', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER portal_enqueue_insert AFTER INSERT ON dossiers
	FOR EACH ROW EXECUTE FUNCTION portal_enqueue();
CREATE TRIGGER portal_enqueue_update AFTER UPDATE ON dossiers
	FOR EACH ROW WHEN (OLD.rev IS DISTINCT FROM NEW.rev)
	EXECUTE FUNCTION portal_enqueue();

-- Online dossiers offered by the portal (LayHoSoTrucTuyen), by the
-- portal's code: stored (a dossier with status 1 and channel 2 in its
-- unit's feed; offered again, it is the same dossier), or held (it did not
-- validate, or names a unit without a code mapping: kept with the reason,
-- not confirmed, taken again when offered again).
CREATE TABLE portal_inbox(
	portal_code text PRIMARY KEY,
	dossier_id text UNIQUE REFERENCES dossiers(id),
	state text NOT NULL CHECK (state IN ('stored', 'held')),
	content_hash text NOT NULL,     -- SHA-256 of the item as last stored or held
	reason text,
	offers integer NOT NULL DEFAULT 1,
	item jsonb NOT NULL,
	first_seen_at timestamptz NOT NULL DEFAULT now(),
	stored_at timestamptz,
	confirmed_at timestamptz
);
