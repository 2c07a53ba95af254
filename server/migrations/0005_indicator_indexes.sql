-- The Decision 766 indicators (server/indicators.c, docs/indicators.md) as
-- counts per unit, clerk and day, kept by triggers in the transaction of each
-- change: a province's year is then a sum over some 10^5 small rows instead
-- of a scan of millions of dossiers and events (docs/PERFORMANCE.md).
--
-- A dossier D (unit, clerk = data->>'clerk' or '' without one) counts:
--   on the day of its received_at: received, online (data channel '2'),
--     reused (a component reused 1/true), transferred (a 'transfer' event);
--   on the day of each of its 'result-ready' events: resolved, on_time (the
--     event's time <= D's appointment), digitized (result_document_id set and
--     every component handed in has a document_id);
--   on the day of each of its 'rate' events: rated, satisfied (rating 1, 2).
-- day is the first 10 bytes of the time: for any text t and dates lo < hi
-- ("YYYY-MM-DD"), t >= lo AND t < hi byte-wise exactly when its day is, so
-- the sums are the counts the direct queries gave.
--
-- Triggers keep the counts: on dossiers a row's whole contribution is taken
-- out and put back when a field the indicators read changes; on events each
-- statement adds or takes out what its rows of the three kinds that count
-- change.

CREATE TABLE indicator_counts(
	unit_code text NOT NULL,
	clerk text NOT NULL,
	day text COLLATE "C" NOT NULL,
	received bigint NOT NULL DEFAULT 0,
	online bigint NOT NULL DEFAULT 0,
	reused bigint NOT NULL DEFAULT 0,
	transferred bigint NOT NULL DEFAULT 0,
	resolved bigint NOT NULL DEFAULT 0,
	on_time bigint NOT NULL DEFAULT 0,
	digitized bigint NOT NULL DEFAULT 0,
	rated bigint NOT NULL DEFAULT 0,
	satisfied bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_code, clerk, day)
);
CREATE INDEX indicator_counts_day ON indicator_counts(day);

-- Whether a component counts as handed in: originals + copies > 0 (text that
-- is not an integer counts as 0).
CREATE FUNCTION indicator_int(v text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN v ~ '^\s*[-+]?[0-9]{1,9}\s*$' THEN v::integer ELSE 0 END
$$;

CREATE FUNCTION indicator_components(data jsonb) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_array_elements(CASE jsonb_typeof(data->'components') WHEN 'array'
		THEN data->'components' ELSE '[]'::jsonb END)
$$;

CREATE FUNCTION indicator_reused(data jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT EXISTS(SELECT 1 FROM indicator_components(data) c WHERE c->>'reused' IN ('1', 'true'))
$$;

CREATE FUNCTION indicator_digitized(data jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT data->>'result_document_id' IS NOT NULL AND NOT EXISTS(
		SELECT 1 FROM indicator_components(data) c
		WHERE indicator_int(c->>'originals') + indicator_int(c->>'copies') > 0
		AND c->>'document_id' IS NULL)
$$;

-- Adds sgn (1 or -1) times dossier d's contribution, with the events the
-- table holds now.
CREATE FUNCTION indicator_dossier_add(d dossiers, sgn integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	k text := coalesce(d.data->>'clerk', '');
	dig integer := indicator_digitized(d.data)::integer;
BEGIN
	INSERT INTO indicator_counts AS x (unit_code, clerk, day, received, online, reused, transferred)
	VALUES (d.unit_code, k, left(d.received_at, 10), sgn,
		sgn * coalesce(d.data->>'channel' = '2', false)::integer,
		sgn * indicator_reused(d.data)::integer,
		sgn * EXISTS(SELECT 1 FROM events t WHERE t.dossier_id = d.id AND t.kind = 'transfer')::integer)
	ON CONFLICT (unit_code, clerk, day) DO UPDATE SET
		received = x.received + excluded.received, online = x.online + excluded.online,
		reused = x.reused + excluded.reused, transferred = x.transferred + excluded.transferred;
	INSERT INTO indicator_counts AS x (unit_code, clerk, day, resolved, on_time, digitized)
	SELECT d.unit_code, k, left(e.device_time, 10), sgn * count(*),
	       sgn * count(*) FILTER (WHERE e.device_time COLLATE "C" <= d.appointment),
	       sgn * dig * count(*)
	FROM events e WHERE e.dossier_id = d.id AND e.kind = 'result-ready'
	GROUP BY left(e.device_time, 10)
	ON CONFLICT (unit_code, clerk, day) DO UPDATE SET
		resolved = x.resolved + excluded.resolved, on_time = x.on_time + excluded.on_time,
		digitized = x.digitized + excluded.digitized;
	INSERT INTO indicator_counts AS x (unit_code, clerk, day, rated, satisfied)
	SELECT d.unit_code, k, left(e.device_time, 10), sgn * count(*),
	       sgn * count(*) FILTER (WHERE e.payload->>'rating' IN ('1', '2'))
	FROM events e WHERE e.dossier_id = d.id AND e.kind = 'rate'
	GROUP BY left(e.device_time, 10)
	ON CONFLICT (unit_code, clerk, day) DO UPDATE SET
		rated = x.rated + excluded.rated, satisfied = x.satisfied + excluded.satisfied;
END
$$;

CREATE FUNCTION indicator_dossiers_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM indicator_dossier_add(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		PERFORM indicator_dossier_add(NEW, 1);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER indicator_dossiers_change AFTER INSERT OR DELETE ON dossiers
	FOR EACH ROW EXECUTE FUNCTION indicator_dossiers_trigger();
CREATE TRIGGER indicator_dossiers_update AFTER UPDATE ON dossiers
	FOR EACH ROW WHEN ((OLD.id, OLD.unit_code, OLD.received_at, OLD.appointment,
			    OLD.data->'clerk', OLD.data->'channel', OLD.data->'components',
			    OLD.data->'result_document_id')
			   IS DISTINCT FROM
			   (NEW.id, NEW.unit_code, NEW.received_at, NEW.appointment,
			    NEW.data->'clerk', NEW.data->'channel', NEW.data->'components',
			    NEW.data->'result_document_id'))
	EXECUTE FUNCTION indicator_dossiers_trigger();

-- Events, once per statement, with the rows it inserted (s = 1), deleted
-- (s = -1) or changed (the old rows out, the new ones in): each 'result-ready'
-- and 'rate' row adds or takes out its own count; a dossier is transferred
-- while it has at least one 'transfer' event, so its received day changes by
-- having one after the statement less having one before it.
CREATE TYPE indicator_event_change AS (s integer, dossier_id text, kind text,
				       device_time text, rating text);

CREATE FUNCTION indicator_events_apply(ch indicator_event_change[]) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO indicator_counts AS x (unit_code, clerk, day, resolved, on_time, digitized,
					   rated, satisfied)
	SELECT d.unit_code, coalesce(d.data->>'clerk', ''), left(e.device_time, 10),
	       coalesce(sum(e.s) FILTER (WHERE e.kind = 'result-ready'), 0),
	       coalesce(sum(e.s) FILTER (WHERE e.kind = 'result-ready' AND e.device_time COLLATE "C" <= d.appointment), 0),
	       coalesce(sum(e.s) FILTER (WHERE e.kind = 'result-ready' AND indicator_digitized(d.data)), 0),
	       coalesce(sum(e.s) FILTER (WHERE e.kind = 'rate'), 0),
	       coalesce(sum(e.s) FILTER (WHERE e.kind = 'rate' AND e.rating IN ('1', '2')), 0)
	FROM unnest(ch) e JOIN dossiers d ON d.id = e.dossier_id
	WHERE e.kind IN ('result-ready', 'rate')
	GROUP BY 1, 2, 3
	ON CONFLICT (unit_code, clerk, day) DO UPDATE SET
		resolved = x.resolved + excluded.resolved, on_time = x.on_time + excluded.on_time,
		digitized = x.digitized + excluded.digitized, rated = x.rated + excluded.rated,
		satisfied = x.satisfied + excluded.satisfied;
	INSERT INTO indicator_counts AS x (unit_code, clerk, day, transferred)
	SELECT d.unit_code, coalesce(d.data->>'clerk', ''), left(d.received_at, 10),
	       sum((n.cnt > 0)::integer - (n.cnt - t.added + t.removed > 0)::integer)
	FROM (SELECT e.dossier_id, count(*) FILTER (WHERE e.s > 0) AS added,
		     count(*) FILTER (WHERE e.s < 0) AS removed
	      FROM unnest(ch) e WHERE e.kind = 'transfer' GROUP BY e.dossier_id) t
	JOIN dossiers d ON d.id = t.dossier_id
	CROSS JOIN LATERAL (SELECT count(*) AS cnt FROM events v
			    WHERE v.dossier_id = t.dossier_id AND v.kind = 'transfer') n
	GROUP BY 1, 2, 3
	ON CONFLICT (unit_code, clerk, day) DO UPDATE SET
		transferred = x.transferred + excluded.transferred;
$$;

CREATE FUNCTION indicator_events_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	ch indicator_event_change[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(ROW(1, dossier_id, kind, device_time, payload->>'rating')::indicator_event_change)
		INTO ch FROM new_rows WHERE kind IN ('transfer', 'result-ready', 'rate');
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(ROW(-1, dossier_id, kind, device_time, payload->>'rating')::indicator_event_change)
		INTO ch FROM old_rows WHERE kind IN ('transfer', 'result-ready', 'rate');
	ELSE
		SELECT array_agg(c) INTO ch FROM (
			SELECT ROW(1, dossier_id, kind, device_time, payload->>'rating')::indicator_event_change AS c
			FROM new_rows WHERE kind IN ('transfer', 'result-ready', 'rate')
			UNION ALL
			SELECT ROW(-1, dossier_id, kind, device_time, payload->>'rating')::indicator_event_change
			FROM old_rows WHERE kind IN ('transfer', 'result-ready', 'rate')) x;
	END IF;
	IF ch IS NOT NULL THEN
		PERFORM indicator_events_apply(ch);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER indicator_events_insert AFTER INSERT ON events
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION indicator_events_trigger();
CREATE TRIGGER indicator_events_delete AFTER DELETE ON events
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION indicator_events_trigger();
CREATE TRIGGER indicator_events_update AFTER UPDATE ON events
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION indicator_events_trigger();

-- Counts everything again from the dossiers and events (after a bulk load
-- with triggers off, or to check the triggers: the sums must not change).
CREATE FUNCTION indicator_counts_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE indicator_counts;
	INSERT INTO indicator_counts(unit_code, clerk, day, received, online, reused, transferred,
				     resolved, on_time, digitized, rated, satisfied)
	SELECT unit_code, clerk, day, sum(received), sum(online), sum(reused), sum(transferred),
	       sum(resolved), sum(on_time), sum(digitized), sum(rated), sum(satisfied)
	FROM (
		SELECT d.unit_code, coalesce(d.data->>'clerk', '') AS clerk,
		       left(d.received_at, 10) AS day, 1 AS received,
		       coalesce(d.data->>'channel' = '2', false)::integer AS online,
		       indicator_reused(d.data)::integer AS reused,
		       EXISTS(SELECT 1 FROM events t WHERE t.dossier_id = d.id
			      AND t.kind = 'transfer')::integer AS transferred,
		       0 AS resolved, 0 AS on_time, 0 AS digitized, 0 AS rated, 0 AS satisfied
		FROM dossiers d
		UNION ALL
		SELECT d.unit_code, coalesce(d.data->>'clerk', ''), left(e.device_time, 10),
		       0, 0, 0, 0, 1, (e.device_time COLLATE "C" <= d.appointment)::integer,
		       indicator_digitized(d.data)::integer, 0, 0
		FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE e.kind = 'result-ready'
		UNION ALL
		SELECT d.unit_code, coalesce(d.data->>'clerk', ''), left(e.device_time, 10),
		       0, 0, 0, 0, 0, 0, 0, 1, (e.payload->>'rating' IN ('1', '2'))::integer
		FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE e.kind = 'rate'
	) c
	GROUP BY unit_code, clerk, day;
END
$$;

SELECT indicator_counts_rebuild();
