-- Notices to the citizen (docs/notices.md): the appointment set or moved,
-- a supplement asked for, the result ready, by SMS and by e-mail, only with
-- the consent the counter recorded in the dossier (applicant.consent_sms,
-- applicant.consent_email). The rows are made by a trigger in the
-- transaction that writes the dossier, so a dossier change and its notices
-- commit together; `motcua-server notify run` sends them.

-- The texts, one per notice kind and channel, editable by the province
-- (`motcua-server notify template`). Placeholders: {ma_ho_so}, {ho_ten},
-- {thu_tuc}, {ngay_hen}, {don_vi}.
CREATE TABLE notice_templates(
	kind text NOT NULL CHECK (kind IN ('received', 'moved', 'supplement', 'result')),
	channel text NOT NULL CHECK (channel IN ('sms', 'email')),
	subject text NOT NULL DEFAULT '',
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by text,
	PRIMARY KEY (kind, channel)
);
INSERT INTO notice_templates(kind, channel, subject, body) VALUES
('received', 'sms', '',
 '{don_vi} da tiep nhan ho so {ma_ho_so}. Hen tra ket qua: {ngay_hen}.'),
('received', 'email', 'Đã tiếp nhận hồ sơ {ma_ho_so}',
 'Kính gửi {ho_ten},

{don_vi} đã tiếp nhận hồ sơ {ma_ho_so} ({thu_tuc}).
Ngày hẹn trả kết quả: {ngay_hen}.

Tra cứu hồ sơ bằng mã trên phiếu tiếp nhận.'),
('moved', 'sms', '',
 'Ho so {ma_ho_so} duoc hen lai: {ngay_hen}. {don_vi} xin loi vi su cham tre.'),
('moved', 'email', 'Hồ sơ {ma_ho_so} được hẹn lại',
 'Kính gửi {ho_ten},

{don_vi} xin lỗi vì hồ sơ {ma_ho_so} ({thu_tuc}) chưa có kết quả đúng hẹn.
Ngày hẹn mới: {ngay_hen}.'),
('supplement', 'sms', '',
 'Ho so {ma_ho_so} can bo sung giay to. Vui long lien he {don_vi}.'),
('supplement', 'email', 'Hồ sơ {ma_ho_so} cần bổ sung',
 'Kính gửi {ho_ten},

Hồ sơ {ma_ho_so} ({thu_tuc}) cần bổ sung giấy tờ. Xin liên hệ {don_vi}
để biết các giấy tờ cần bổ sung.'),
('result', 'sms', '',
 'Ho so {ma_ho_so} da co ket qua. Moi ong/ba den {don_vi} nhan ket qua.'),
('result', 'email', 'Hồ sơ {ma_ho_so} đã có kết quả',
 'Kính gửi {ho_ten},

Hồ sơ {ma_ho_so} ({thu_tuc}) đã có kết quả. Mời ông/bà đến {don_vi} để
nhận kết quả, mang theo phiếu tiếp nhận.');

-- One row per notice and channel; (event_id, channel) is unique, so an
-- event told again (a push repeated) never makes a second notice.
-- States: waiting (to send at next_at), sending (claimed by the sender,
-- sent or not: a sender that stops there leaves it 'unknown' at its next
-- start, never sends it twice by itself), sent, failed (refused for good:
-- a bad address, a 4xx of the gateway), unknown (an admin looks, and
-- `notify retry ID` sends it again).
CREATE TABLE notices(
	id bigserial PRIMARY KEY,
	dossier_id text NOT NULL REFERENCES dossiers(id),
	event_id text NOT NULL,
	kind text NOT NULL,
	channel text NOT NULL CHECK (channel IN ('sms', 'email')),
	address text NOT NULL,
	subject text NOT NULL,
	body text NOT NULL,
	state text NOT NULL DEFAULT 'waiting'
		CHECK (state IN ('waiting', 'sending', 'sent', 'failed', 'unknown')),
	attempts integer NOT NULL DEFAULT 0,
	next_at timestamptz NOT NULL DEFAULT now(),
	last_error text,
	created_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz,
	UNIQUE (event_id, channel)
);
CREATE INDEX notices_due ON notices(next_at, id) WHERE state = 'waiting';
CREATE INDEX notices_dossier ON notices(dossier_id);

-- The notice an event makes, NULL for none.
CREATE FUNCTION notice_kind(event_kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE event_kind
		WHEN 'receive' THEN 'received'
		WHEN 'accept' THEN 'received'
		WHEN 'apologize' THEN 'moved'
		WHEN 'request-supplement' THEN 'supplement'
		WHEN 'online-supplement' THEN 'supplement'
		WHEN 'result-ready' THEN 'result'
	END
$$;

-- A template filled in (placeholders above).
CREATE FUNCTION notice_fill(t text, d dossiers, unit_name text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT replace(replace(replace(replace(replace(t,
		'{ma_ho_so}', d.code),
		'{ho_ten}', coalesce(d.data->'applicant'->>'full_name', '')),
		'{thu_tuc}', d.procedure_name),
		'{ngay_hen}', CASE WHEN d.appointment ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d$'
			THEN to_char(d.appointment::timestamp, 'HH24:MI "ngày" DD/MM/YYYY')
			ELSE d.appointment END),
		'{don_vi}', coalesce(unit_name, d.unit_code))
$$;

CREATE FUNCTION notice_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	ev jsonb;
	k text;
	a jsonb;
	unit_name text;
	ch text;
	addr text;
BEGIN
	IF TG_OP = 'INSERT' THEN
		ev := coalesce(NEW.data->'event', NEW.data->'events'->0);
	ELSE
		ev := NEW.data->'events'->-1;
	END IF;
	IF ev IS NULL OR jsonb_typeof(ev) <> 'object' OR ev->>'id' IS NULL
	   OR (TG_OP = 'UPDATE' AND ev->>'kind' = 'receive') THEN
		RETURN NULL;
	END IF;
	k := notice_kind(ev->>'kind');
	a := NEW.data->'applicant';
	IF k IS NULL OR jsonb_typeof(a) <> 'object' THEN
		RETURN NULL;
	END IF;
	SELECT name INTO unit_name FROM units WHERE code = NEW.unit_code;
	FOREACH ch IN ARRAY ARRAY['sms', 'email'] LOOP
		IF a->('consent_' || ch) = 'true'::jsonb THEN
			addr := a->>(CASE ch WHEN 'sms' THEN 'phone' ELSE 'email' END);
			IF addr IS NOT NULL AND addr <> '' THEN
				INSERT INTO notices(dossier_id, event_id, kind, channel, address, subject, body)
				SELECT NEW.id, ev->>'id', k, ch, addr, notice_fill(t.subject, NEW, unit_name),
				       notice_fill(t.body, NEW, unit_name)
				FROM notice_templates t WHERE t.kind = k AND t.channel = ch
				ON CONFLICT (event_id, channel) DO NOTHING;
			END IF;
		END IF;
	END LOOP;
	PERFORM pg_notify('motcua_notices', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER notice_enqueue_insert AFTER INSERT ON dossiers
	FOR EACH ROW EXECUTE FUNCTION notice_enqueue();
CREATE TRIGGER notice_enqueue_update AFTER UPDATE ON dossiers
	FOR EACH ROW WHEN (OLD.rev IS DISTINCT FROM NEW.rev)
	EXECUTE FUNCTION notice_enqueue();
