-- Documents: the digitized papers that workstations attach to dossier
-- components ('attach' operations of a push, server/attach.c). A document is
-- the workstation's row (its id, metadata) naming its file by SHA-256; the
-- file itself is a blob (0002_uploads.sql) sent on its own queue, before or
-- after the operation: whether the server holds it is a join with blobs
-- (`motcua-server stats`: documents_without_file), never a stored flag.

CREATE TABLE documents(
	id text PRIMARY KEY,            -- made by the workstation (UUIDv7)
	sha256 text NOT NULL,
	kind text NOT NULL,
	pages integer NOT NULL DEFAULT 0,
	bytes bigint NOT NULL DEFAULT 0,
	owner_id_number text,
	meta jsonb NOT NULL,            -- the document as the workstation sent it
	unit_code text NOT NULL,        -- the unit of the dossier it was first attached to
	device_id text NOT NULL,
	username text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_owner ON documents(owner_id_number);

-- Which paper fills which component of a dossier (one per component: a
-- later attach replaces it); reused when it came from the citizen's store
-- instead of a new scan.
CREATE TABLE dossier_documents(
	dossier_id text NOT NULL REFERENCES dossiers(id),
	component integer NOT NULL,
	document_id text NOT NULL REFERENCES documents(id),
	reused boolean NOT NULL DEFAULT false,
	op_id text NOT NULL,
	attached_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (dossier_id, component)
);
CREATE INDEX dossier_documents_document ON dossier_documents(document_id);
