-- The fee recorded at the counter (docs/api.md, operation dossier / receive):
-- collected, exempt or later, and its amount in đồng, checked by the push
-- (core/fee.h) and kept in columns of their own so that the day's totals
-- per unit are one query. The stored document keeps the whole "fee" (with
-- an exemption's reason). A dossier received before fees has NULLs; one an
-- older server stored with a well-formed "fee" gets its columns here.
ALTER TABLE dossiers
	ADD COLUMN fee_status text CHECK (fee_status IN ('collected', 'exempt', 'later')),
	ADD COLUMN fee_amount bigint CHECK (fee_amount BETWEEN 0 AND 1000000000);
UPDATE dossiers SET fee_status = data->'fee'->>'status',
	fee_amount = (data->'fee'->>'amount')::bigint
WHERE data->'fee'->>'status' IN ('collected', 'exempt', 'later')
	AND jsonb_typeof(data->'fee'->'amount') = 'number'
	AND (data->'fee'->>'amount') ~ '^[0-9]{1,10}$'
	AND (data->'fee'->>'amount')::bigint <= 1000000000;
