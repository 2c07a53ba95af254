-- Files: content-addressed blobs stored in the database itself (so that any
-- server of a pair answers for any of them) in chunks, and resumable tus 1.0
-- uploads whose bytes are kept chunk by chunk as they arrive (a cut link
-- loses nothing already received). pos is a chunk's byte offset in its file.

CREATE TABLE blob_chunks(
	sha256 text NOT NULL REFERENCES blobs(sha256),
	pos bigint NOT NULL,
	data bytea NOT NULL,
	PRIMARY KEY (sha256, pos)
);

CREATE TABLE uploads(
	id text PRIMARY KEY,
	sha256 text NOT NULL,
	length bigint NOT NULL CHECK (length >= 0),
	received bigint NOT NULL DEFAULT 0,   -- the tus Upload-Offset
	done boolean NOT NULL DEFAULT false,  -- checked and stored as a blob
	filename text,
	device_id text NOT NULL,
	username text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE upload_chunks(
	upload_id text NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
	pos bigint NOT NULL,
	data bytea NOT NULL,
	PRIMARY KEY (upload_id, pos)
);
