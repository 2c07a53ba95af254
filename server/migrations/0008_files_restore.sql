-- Files a server restored from an older backup lacks, and uploads abandoned.
--
-- A document whose file the server does not hold (its attach came first, or
-- the blob was sent after the dump the database was restored from) is
-- flagged, so that a push answer can name the files of the pushing device
-- the server lacks (docs/api.md "Push": missing_files) without reading every
-- document of the device. The flag is a hint kept by triggers in the very
-- transactions that add documents and blobs; the answer still joins with
-- blobs (a document and its blob committed at the same time can leave the
-- flag set: the join clears it). pg_dump copies documents and blobs from one
-- snapshot, so a restored database keeps flag and blobs consistent.
ALTER TABLE documents ADD COLUMN file_missing boolean NOT NULL DEFAULT false;
UPDATE documents d SET file_missing = true
	WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256);
CREATE INDEX documents_file_missing ON documents(device_id) WHERE file_missing;

CREATE FUNCTION documents_flag_missing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.file_missing := NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = NEW.sha256);
	RETURN NEW;
END $$;
CREATE TRIGGER documents_flag_missing BEFORE INSERT ON documents
	FOR EACH ROW EXECUTE FUNCTION documents_flag_missing();

CREATE FUNCTION blobs_clear_missing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE documents SET file_missing = false WHERE sha256 = NEW.sha256 AND file_missing;
	RETURN NULL;
END $$;
CREATE TRIGGER blobs_clear_missing AFTER INSERT ON blobs
	FOR EACH ROW EXECUTE FUNCTION blobs_clear_missing();

-- Uploads not finished and untouched for a day are removed (their chunks
-- with them) by the server's sweep (server/files.c).
CREATE INDEX uploads_stale ON uploads(updated_at) WHERE NOT done;
