-- The server benchmark's province (bench/sync.sh): :n dossiers of the 126
-- communes of Hà Nội (province 01) received over the working days of the
-- three years before :'now' (YYYY-MM-DD), written straight into a migrated
-- and imported motcua-server database with generate_series, in the shapes
-- the server stores (dossiers.data as the pushed dossier JSON, events as the
-- push writes them). psql -v n=10000000 -v now=2025-11-27 -f bench/server_gen.sql
--
-- Distribution (random(), seeded): busy communes get more (a power law over
-- the communes), recent days more than old ones (the load grows), 3 to 6
-- clerks a commune, about 25 % online, statuses by age as gen_store's
-- (old ones mostly returned, recent ones received or processing), result
-- ready before the appointment 9 times in 10, ratings for 40 % of the
-- returned, a transfer to another unit for 30 % of those
-- handled, reused papers for 12 %, electronic results
-- for 45 % of the resolved. Foreign keys and triggers are off during the
-- load (session_replication_role = replica); the indicator counts are
-- rebuilt at the end when the schema has them (migration 0005).
\set ON_ERROR_STOP 1
SET session_replication_role = replica;
SET synchronous_commit = off;
SELECT setseed(0.27);

CREATE TEMP TABLE bu AS
	SELECT (row_number() OVER (ORDER BY code) - 1)::int AS k, code, ident,
	       3 + (hashtext(code) & 3) AS clerks
	FROM units WHERE parent_code = '01';
CREATE TEMP TABLE wd AS
	SELECT (row_number() OVER (ORDER BY d) - 1)::int AS k, d::date AS d
	FROM generate_series(:'now'::date - 1095, :'now'::date, '1 day') d
	WHERE extract(isodow FROM d) < 6;
ANALYZE bu;
ANALYZE wd;

-- One row per dossier: every random draw, then the times as text.
CREATE UNLOGGED TABLE bench_gen AS
WITH g AS (
	SELECT i,
	       floor((SELECT count(*) FROM bu) * power(random(), 1.8))::int AS uk,
	       floor((SELECT count(*) FROM wd) * power(random(), 0.7))::int AS wk,
	       450 + floor(random() * 570)::int AS minute,
	       random() AS r_status, random() AS r_fin, random() AS r_ret, random() AS r_rate,
	       random() AS r_rating, random() AS r_transfer, random() AS r_reuse,
	       random() AS r_doc, random() AS r_clerk, random() AS r_channel,
	       2 + floor(random() * 12)::int AS days
	FROM generate_series(1, :n) i
), t AS (
	SELECT g.*, u.code AS unit, u.ident, u.clerks, w.d AS day,
	       w.d + make_interval(mins => g.minute) AS recv,
	       w.d + make_interval(days => g.days, mins => g.minute) AS appt,
	       (:'now'::date - w.d) AS age
	FROM g JOIN bu u ON u.k = g.uk JOIN wd w ON w.k = g.wk
), s AS (
	SELECT t.*,
	       CASE WHEN age > 60 THEN
			CASE WHEN r_status < 0.88 THEN 10 WHEN r_status < 0.91 THEN 9
			     WHEN r_status < 0.94 THEN 3 WHEN r_status < 0.97 THEN 7 ELSE 8 END
		    WHEN age > 15 THEN
			CASE WHEN r_status < 0.60 THEN 10 WHEN r_status < 0.85 THEN 9
			     WHEN r_status < 0.93 THEN 4 WHEN r_status < 0.97 THEN 5 ELSE 3 END
		    ELSE
			CASE WHEN r_status < 0.40 THEN 2 WHEN r_status < 0.70 THEN 4
			     WHEN r_status < 0.75 THEN 5 WHEN r_status < 0.90 THEN 9 ELSE 10 END
	       END AS status
	FROM t
)
SELECT i, unit, ident, day, status, days,
       md5('d' || i)::uuid::text AS id,
       ident || '-' || to_char(day, 'YYMMDD') || '-' || lpad(i::text, 8, '0') AS code,
       to_char(recv, 'YYYY-MM-DD"T"HH24:MI') AS received_at,
       to_char(appt, 'YYYY-MM-DD"T"HH24:MI') AS appointment,
       'cb' || unit || '_' || (1 + floor(r_clerk * clerks)::int) AS clerk,
       CASE WHEN r_channel < 0.25 THEN 2 ELSE 1 END AS channel,
       -- finished: before the appointment 9 times in 10, never before the
       -- reception nor after now
       CASE WHEN status IN (9, 10) THEN to_char(greatest(recv + interval '1 hour', least(
		CASE WHEN r_fin < 0.9 THEN appt - make_interval(mins => floor(r_fin / 0.9 * 2880)::int)
		     ELSE appt + make_interval(mins => floor((r_fin - 0.9) * 43200)::int) END,
		:'now'::date + interval '10 hours')), 'YYYY-MM-DD"T"HH24:MI') END AS finished_at,
       r_ret, r_rate < 0.4 AND status = 10 AS rated,
       CASE WHEN r_rating < 0.5 THEN 1 WHEN r_rating < 0.85 THEN 2 WHEN r_rating < 0.95 THEN 3 ELSE 4 END AS rating,
       r_transfer < 0.3 AND status NOT IN (2, 3) AS transferred,
       r_reuse < 0.12 AS reused,
       r_doc < 0.6 AS scanned,
       r_doc < 0.45 AND status IN (9, 10) AS e_result
FROM s;

INSERT INTO dossiers(id, code, unit_code, procedure_code, procedure_name, status, received_at,
		     appointment, rev, data, created_at, updated_at)
SELECT id, code, unit, '1.001193', 'Thủ tục đăng ký khai sinh', status, received_at, appointment,
       1 + (status <> 2)::int + transferred::int,
       jsonb_build_object('id', id, 'code', code, 'procedure_code', '1.001193',
		'procedure_name', 'Thủ tục đăng ký khai sinh', 'unit_code', unit, 'unit_ident', ident,
		'clerk', clerk, 'channel', channel, 'status', status, 'received_at', received_at,
		'appointment', appointment, 'rev', 1 + (status <> 2)::int + transferred::int,
		'updated_at', coalesce(finished_at, received_at),
		'applicant', jsonb_build_object('kind', 1, 'full_name', 'Nguyễn Văn An',
			'id_number', '001090' || lpad((i % 1000000)::text, 6, '0'),
			'birth_date', '1990-05-01', 'sex', 'M', 'phone', '0912345678',
			'address', 'Số 12 phố Điện Biên Phủ', 'commune', unit),
		'components', jsonb_build_array(
			jsonb_build_object('seq', 1, 'name', 'Tờ khai theo mẫu', 'kind', 'submit',
				'originals', 1, 'copies', 0, 'reused', 0,
				'document_id', CASE WHEN scanned THEN md5('c1' || i)::uuid::text END),
			jsonb_build_object('seq', 2, 'name', 'Giấy tờ tùy thân', 'kind', 'present',
				'originals', 1, 'copies', 0, 'reused', reused::int,
				'document_id', CASE WHEN scanned OR reused THEN md5('c2' || i)::uuid::text END)),
		'result_document_id', CASE WHEN e_result THEN md5('r' || i)::uuid::text END),
       received_at::timestamp, coalesce(finished_at, received_at)::timestamp
FROM bench_gen;

INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor, unit_code, device_time,
		   server_time, device_id, payload)
SELECT md5(k || i)::uuid::text, id, kind, sf, st, clerk, unit, t, t::timestamp, 'bench', payload
FROM (
	SELECT 'e' AS k, i, id, 'receive' AS kind, 1 AS sf, 2 AS st, clerk, unit,
	       received_at AS t, jsonb_build_object('code', code) AS payload
	FROM bench_gen
	UNION ALL
	SELECT 't', i, id, 'transfer', 2, 4, clerk, unit,
	       to_char(received_at::timestamp + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI'),
	       jsonb_build_object('to', unit)
	FROM bench_gen WHERE transferred
	UNION ALL
	SELECT 'f', i, id, CASE status WHEN 3 THEN 'refuse' WHEN 7 THEN 'withdraw' ELSE 'stop' END,
	       2, status, clerk, unit,
	       to_char(received_at::timestamp + interval '2 hours', 'YYYY-MM-DD"T"HH24:MI'), NULL
	FROM bench_gen WHERE status IN (3, 7, 8)
	UNION ALL
	SELECT 'r', i, id, 'result-ready', 4, 9, clerk, unit, finished_at,
	       jsonb_build_object('result_code', 'KQ-' || i)
	FROM bench_gen WHERE status IN (9, 10)
	UNION ALL
	SELECT 'x', i, id, 'return', 9, 10, clerk, unit,
	       to_char(least(finished_at::timestamp + make_interval(mins => floor(r_ret * 7200)::int),
			     :'now'::date + interval '10 hours'), 'YYYY-MM-DD"T"HH24:MI'), NULL
	FROM bench_gen WHERE status = 10
	UNION ALL
	SELECT 'v', i, id, 'rate', NULL, NULL, clerk, unit,
	       to_char(least(finished_at::timestamp + make_interval(mins => floor(r_ret * 7200)::int + 5),
			     :'now'::date + interval '10 hours'), 'YYYY-MM-DD"T"HH24:MI'),
	       jsonb_build_object('rating', rating)
	FROM bench_gen WHERE rated
) e;

DROP TABLE bench_gen;
-- The indicator counts (migration 0005), when the schema has them.
SELECT to_regproc('indicator_counts_rebuild') IS NOT NULL AS have_counts \gset
\if :have_counts
SELECT indicator_counts_rebuild();
\endif
ANALYZE;
