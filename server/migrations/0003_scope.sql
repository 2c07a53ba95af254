-- A dossier handed over to another unit (op "transfer", payload
-- "handling_unit") is that unit's too: its clerks pull it and act on it
-- (docs/api.md "Scope"). A change of a dossier is for its receiving unit
-- (changes.unit_code) and for the units in changes.units: the dossier's
-- handling unit after the change and, when the change moved it, the one
-- before (the unit that handed it over sees the hand-over). Every writer
-- gets this from the trigger below, whatever the operation.

ALTER TABLE changes ADD COLUMN units text[];

-- The handling unit a dossier change leaves behind, and the one before it.
CREATE FUNCTION changes_units() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	now_unit text := NULLIF(NEW.data->>'handling_unit', '');
	before_unit text;
BEGIN
	IF NEW.entity <> 'dossier' THEN
		RETURN NEW;
	END IF;
	SELECT NULLIF(c.data->>'handling_unit', '') INTO before_unit FROM changes c
	 WHERE c.entity = 'dossier' AND c.entity_id = NEW.entity_id AND c.seq < NEW.seq
	 ORDER BY c.seq DESC LIMIT 1;
	SELECT array_agg(DISTINCT u) INTO NEW.units FROM unnest(ARRAY[now_unit, before_unit]) u
	 WHERE u IS NOT NULL AND u IS DISTINCT FROM NEW.unit_code;
	RETURN NEW;
END
$$;

CREATE TRIGGER changes_units BEFORE INSERT ON changes
	FOR EACH ROW EXECUTE FUNCTION changes_units();

-- the trigger's look-up of a dossier's previous change
CREATE INDEX changes_entity ON changes(entity_id, seq);

-- Changes written before this version: their handling unit.
UPDATE changes SET units = ARRAY[data->>'handling_unit']
 WHERE entity = 'dossier' AND coalesce(data->>'handling_unit', '') <> ''
   AND data->>'handling_unit' IS DISTINCT FROM unit_code;
