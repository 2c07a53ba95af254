/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <sodium.h>

#include "client/base/files.h"
#include "client/store/cryptvfs.h"
#include "client/store/keyring.h"
#include "client/store/supervision.h"

/* The name index by reception time (migration 9 -> 10): a dossier whose
 * received_at has the form YYYY-MM-DDTHH:MM (years 1000-2999) and whose rowid
 * is below 2^31 is indexed under the key KEY = T * 2^31 + rowid, where T is
 * received_at read digit by digit (month < 20, day < 40, hour < 30, minute <
 * 60): T grows with the string, so the key orders dossiers by (received_at,
 * rowid) exactly as the queries do, and rowid = KEY & (2^31 - 1).
 * client/store/dossier_query.c (search_keyed) reads it and uses UNKEYED, the
 * partial index's condition, word for word. */
#define RECEIVED_KEYED(r)                                                          \
	"(" r ".received_at GLOB"                                                   \
	" '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]'"        \
	" AND " r ".rowid < 2147483648)"
#define RECEIVED_KEY(r)                                                            \
	"((((((CAST(substr(" r ".received_at, 1, 4) AS INTEGER) - 1000) * 20"       \
	" + CAST(substr(" r ".received_at, 6, 2) AS INTEGER)) * 40"                 \
	" + CAST(substr(" r ".received_at, 9, 2) AS INTEGER)) * 30"                 \
	" + CAST(substr(" r ".received_at, 12, 2) AS INTEGER)) * 60"                \
	" + CAST(substr(" r ".received_at, 15, 2) AS INTEGER)) * 2147483648 + " r ".rowid)"
#define UNKEYED                                                                    \
	"NOT (received_at GLOB"                                                     \
	" '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]')"

/*
 * The indicator counts of migration 9 -> 10 (docs/indicators.md): a dossier
 * counts on the day of its reception (received, online, reused,
 * transferred) and on the day of each of its 'result-ready' (resolved,
 * on_time, digitized) and 'rate' events (rated, satisfied), under its unit
 * and clerk. Triggers keep the sums. SQLite runs a row's triggers as the row
 * changes, so a change to dossiers, to components or to events of the kinds
 * that count takes the dossier's whole contribution out before it and puts it
 * back after it (IND_DOSSIER, X the dossier's id), except inserts and deletes
 * of events, which add their own share after the row (an event insert may do
 * nothing: ON CONFLICT DO NOTHING). As with the other triggers, a row that
 * INSERT OR REPLACE replaces is not seen (no recursive_triggers).
 */
#define IND_DIGITIZED \
	"(d.result_document_id IS NOT NULL AND NOT EXISTS(SELECT 1 FROM dossier_components c" \
	" WHERE c.dossier_id = d.id AND c.originals + c.copies > 0 AND c.document_id IS NULL))"
#define IND_SATISFIED \
	"coalesce(CASE WHEN json_valid(e.payload) THEN json_extract(e.payload, '$.rating') END IN (1, 2), 0)"
#define IND_UPSERT \
	" ON CONFLICT(unit_code, clerk, day) DO UPDATE SET received = received + excluded.received," \
	" online = online + excluded.online, reused = reused + excluded.reused," \
	" transferred = transferred + excluded.transferred, resolved = resolved + excluded.resolved," \
	" on_time = on_time + excluded.on_time, digitized = digitized + excluded.digitized," \
	" rated = rated + excluded.rated, satisfied = satisfied + excluded.satisfied;"
#define IND_DOSSIER(X, S) \
	"INSERT INTO indicator_counts(unit_code, clerk, day, received, online, reused, transferred)" \
	" SELECT d.unit_code, coalesce(d.clerk, ''), substr(d.received_at, 1, 10), " S "," \
	" " S " * coalesce(d.channel = 2, 0), " S " * EXISTS(SELECT 1 FROM dossier_components c" \
	" WHERE c.dossier_id = d.id AND c.reused = 1), " S " * EXISTS(SELECT 1 FROM events t" \
	" WHERE t.dossier_id = d.id AND +t.kind = 'transfer') FROM dossiers d WHERE d.id = " X \
	IND_UPSERT \
	" INSERT INTO indicator_counts(unit_code, clerk, day, resolved, on_time, digitized, rated," \
	" satisfied) SELECT d.unit_code, coalesce(d.clerk, ''), substr(e.device_time, 1, 10)," \
	" " S " * sum(e.kind = 'result-ready')," \
	" " S " * sum(e.kind = 'result-ready' AND coalesce(e.device_time <= d.appointment, 0))," \
	" " S " * sum(e.kind = 'result-ready') * " IND_DIGITIZED "," \
	" " S " * sum(e.kind = 'rate'), " S " * sum(e.kind = 'rate' AND " IND_SATISFIED ")" \
	" FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE e.dossier_id = " X \
	" AND +e.kind IN ('result-ready', 'rate') GROUP BY d.id, 3" IND_UPSERT
/* One event row R (new or old) of kind result-ready or rate, sign S. */
#define IND_EVENT(R, S) \
	"INSERT INTO indicator_counts(unit_code, clerk, day, resolved, on_time, digitized, rated," \
	" satisfied) SELECT d.unit_code, coalesce(d.clerk, ''), substr(e.device_time, 1, 10)," \
	" " S " * (e.kind = 'result-ready')," \
	" " S " * (e.kind = 'result-ready' AND coalesce(e.device_time <= d.appointment, 0))," \
	" " S " * (e.kind = 'result-ready') * " IND_DIGITIZED "," \
	" " S " * (e.kind = 'rate'), " S " * (e.kind = 'rate' AND " IND_SATISFIED ")" \
	" FROM (SELECT " R ".dossier_id AS dossier_id, " R ".kind AS kind," \
	" " R ".device_time AS device_time, " R ".payload AS payload) e" \
	" JOIN dossiers d ON d.id = e.dossier_id WHERE e.kind IN ('result-ready', 'rate')" IND_UPSERT
/* A 'transfer' row R: the dossier is transferred while it has one, so the
 * first one in (N = 1 after it) or the last one out (N = 0) counts. */
#define IND_TRANSFER(R, S, N) \
	"INSERT INTO indicator_counts(unit_code, clerk, day, transferred)" \
	" SELECT d.unit_code, coalesce(d.clerk, ''), substr(d.received_at, 1, 10), " S \
	" FROM dossiers d WHERE d.id = " R ".dossier_id AND " R ".kind = 'transfer'" \
	" AND (SELECT count(*) FROM events t WHERE t.dossier_id = " R ".dossier_id" \
	" AND +t.kind = 'transfer') = " N IND_UPSERT
#define IND_DOSSIER_COLUMNS "id, unit_code, clerk, channel, received_at, appointment, result_document_id"
#define IND_DOSSIER_CHANGED \
	"(old.id IS NOT new.id OR old.unit_code IS NOT new.unit_code OR old.clerk IS NOT new.clerk" \
	" OR old.channel IS NOT new.channel OR old.received_at IS NOT new.received_at" \
	" OR old.appointment IS NOT new.appointment" \
	" OR old.result_document_id IS NOT new.result_document_id)"
/* Whether component row R can change its dossier's counts: reused, or handed
 * in without a document while the dossier has a result. */
#define IND_COMPONENT(R) \
	"(" R ".reused = 1 OR (" R ".originals + " R ".copies > 0 AND " R ".document_id IS NULL" \
	" AND EXISTS(SELECT 1 FROM events e WHERE e.dossier_id = " R ".dossier_id" \
	" AND +e.kind = 'result-ready')))"

/*
 * Forward-only migrations. Entry i brings the schema from version i to i+1.
 * Never edit a released entry, never drop the outbox: append a new one.
 */
static const char *const migrations[] = {
	/* 0 -> 1: the reception store */
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"

	"CREATE TABLE provinces(code TEXT PRIMARY KEY, name TEXT NOT NULL);\n"
	"CREATE TABLE communes(code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
	" province_code TEXT NOT NULL, province_name TEXT NOT NULL,"
	" fold TEXT NOT NULL);\n" /* folded 'name province_name' for the picker */
	"CREATE TABLE commune_merges(code TEXT NOT NULL, old_code TEXT NOT NULL,"
	" old_name TEXT NOT NULL, merge TEXT NOT NULL, fold TEXT NOT NULL,"
	" PRIMARY KEY(code, old_code));\n"
	/* Receiving and handling units: communes and agencies, with the identifier
	 * used in dossier codes (QCVN 102:2016 or Decision 20/2020 form). */
	"CREATE TABLE units(code TEXT PRIMARY KEY, name TEXT NOT NULL, ident TEXT NOT NULL,"
	" kind TEXT NOT NULL DEFAULT 'commune', parent_code TEXT, address TEXT, phone TEXT);\n"

	"CREATE TABLE procedures(code TEXT PRIMARY KEY, name TEXT NOT NULL, field TEXT NOT NULL,"
	" level TEXT, kind TEXT, decision TEXT, applicants TEXT, agency TEXT, steps TEXT,"
	" conditions TEXT, legal_basis TEXT, result TEXT, url TEXT,"
	" time_text TEXT, time_value REAL, time_unit TEXT," /* 'day' (working days) | 'hour' | 'inday' | NULL */
	" fee_text TEXT, fee_amount INTEGER,"               /* VND; 0 free; NULL unknown */
	" needs_review INTEGER NOT NULL DEFAULT 0, review_notes TEXT,"
	" fold TEXT NOT NULL);\n"                           /* folded 'code name' for search */
	"CREATE INDEX procedures_field ON procedures(field, name);\n"
	"CREATE TABLE procedure_channels(procedure_code TEXT NOT NULL, seq INTEGER NOT NULL,"
	" channel TEXT NOT NULL, time_text TEXT, fee_text TEXT, description TEXT,"
	" PRIMARY KEY(procedure_code, seq));\n"
	/* A component's id is its seq within the procedure (1, 2, ...). */
	"CREATE TABLE components(procedure_code TEXT NOT NULL, seq INTEGER NOT NULL,"
	" grp TEXT, name TEXT NOT NULL, form TEXT,"
	" originals INTEGER NOT NULL DEFAULT 0, copies INTEGER NOT NULL DEFAULT 0,"
	" kind TEXT NOT NULL DEFAULT 'submit'," /* 'submit' (kept) | 'present' (shown, returned) */
	" mandatory INTEGER NOT NULL DEFAULT 1, needs_review INTEGER NOT NULL DEFAULT 0,"
	" raw TEXT, PRIMARY KEY(procedure_code, seq));\n"

	"CREATE TABLE holidays(date TEXT PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK(kind IN ('off','work')), name TEXT);\n"

	"CREATE TABLE clerks(username TEXT PRIMARY KEY, full_name TEXT NOT NULL,"
	" unit_code TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'clerk',"
	" pw_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);\n"

	"CREATE TABLE dossiers(id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" procedure_code TEXT NOT NULL, procedure_name TEXT NOT NULL,"
	" unit_code TEXT NOT NULL, handling_unit TEXT, clerk TEXT NOT NULL,"
	" channel INTEGER NOT NULL DEFAULT 1, applicant_kind INTEGER NOT NULL DEFAULT 1,"
	" status INTEGER NOT NULL, received_at TEXT NOT NULL, appointment TEXT NOT NULL,"
	" finished_at TEXT,"
	" applicant_name TEXT NOT NULL, applicant_fold TEXT NOT NULL, id_number TEXT,"
	" birth_date TEXT, sex TEXT, phone TEXT, email TEXT, address TEXT, commune_code TEXT,"
	" note TEXT, rev INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL);\n"
	"CREATE INDEX dossiers_status_due ON dossiers(status, appointment);\n"
	"CREATE INDEX dossiers_due ON dossiers(appointment);\n"
	"CREATE INDEX dossiers_received ON dossiers(received_at);\n"
	"CREATE INDEX dossiers_idnum ON dossiers(id_number);\n"
	/* Diacritic-free name search: FTS5 over our own folding (đ -> d). */
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(applicant_fold, content='dossiers',"
	" content_rowid='rowid', prefix='1 2 3');\n"
	"CREATE TRIGGER dossiers_ai AFTER INSERT ON dossiers BEGIN"
	" INSERT INTO dossier_fts(rowid, applicant_fold) VALUES (new.rowid, new.applicant_fold); END;\n"
	"CREATE TRIGGER dossiers_ad AFTER DELETE ON dossiers BEGIN"
	" INSERT INTO dossier_fts(dossier_fts, rowid, applicant_fold)"
	" VALUES ('delete', old.rowid, old.applicant_fold); END;\n"
	"CREATE TRIGGER dossiers_au AFTER UPDATE OF applicant_fold ON dossiers BEGIN"
	" INSERT INTO dossier_fts(dossier_fts, rowid, applicant_fold)"
	" VALUES ('delete', old.rowid, old.applicant_fold);"
	" INSERT INTO dossier_fts(rowid, applicant_fold) VALUES (new.rowid, new.applicant_fold); END;\n"

	"CREATE TABLE dossier_components(dossier_id TEXT NOT NULL REFERENCES dossiers(id),"
	" seq INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, mandatory INTEGER NOT NULL,"
	" originals_required INTEGER NOT NULL, copies_required INTEGER NOT NULL,"
	" originals INTEGER NOT NULL, copies INTEGER NOT NULL, override_reason TEXT,"
	" PRIMARY KEY(dossier_id, seq));\n"

	/* Append-only: who did what, when (device clock; server time after sync). */
	"CREATE TABLE events(id TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, kind TEXT NOT NULL,"
	" status_from INTEGER, status_to INTEGER, actor TEXT NOT NULL, unit_code TEXT NOT NULL,"
	" device_time TEXT NOT NULL, server_time TEXT, payload TEXT);\n"
	"CREATE INDEX events_dossier ON events(dossier_id, device_time);\n"

	/* Written in the same transaction as the change it carries. */
	"CREATE TABLE outbox(op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
	" base_rev INTEGER, op TEXT NOT NULL, payload TEXT NOT NULL, payload_hash TEXT NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, last_error TEXT,"
	" state TEXT NOT NULL DEFAULT 'pending'"
	" CHECK(state IN ('pending','sending','done','rejected','conflict')),"
	" created_at TEXT NOT NULL);\n"
	"CREATE INDEX outbox_state ON outbox(state, created_at);\n"

	/* Local dossier numbering per unit identifier and day (leases come with sync). */
	"CREATE TABLE code_seq(unit_ident TEXT NOT NULL, day TEXT NOT NULL,"
	" last INTEGER NOT NULL, PRIMARY KEY(unit_ident, day));\n",

	/* 1 -> 2: dossier search and list (client/store/dossier_query.c). Indexes: a
	 * code's part after the unit identifier ("251127-0001", the very
	 * expression the queries use), statuses by reception time (the list's
	 * other order), units and statuses (counts by unit). And the name index
	 * rebuilt with prefixes of up to 6 letters ("nguyen", "truong"), so that a
	 * prefix query never merges a common word's whole doclist; the triggers
	 * of 0 -> 1 keep it in sync (they name the table, not its options). */
	"CREATE INDEX dossiers_code_tail ON dossiers(substr(code, instr(code, '-') + 1));\n"
	"CREATE INDEX dossiers_status_received ON dossiers(status, received_at);\n"
	"CREATE INDEX dossiers_unit_status ON dossiers(unit_code, status);\n"
	"DROP TABLE dossier_fts;\n"
	"CREATE VIRTUAL TABLE dossier_fts USING fts5(applicant_fold, content='dossiers',"
	" content_rowid='rowid', prefix='1 2 3 4 5 6');\n"
	"INSERT INTO dossier_fts(dossier_fts) VALUES ('rebuild');\n",

	/* 2 -> 3: how many dossiers each unit has in each status, kept exact by
	 * triggers in the transaction that changes a dossier, so that the list's
	 * count and its status filters add up a few rows instead of reading an
	 * index (client/store/dossier_query.c, dossier_count). Filled here from the
	 * dossiers already stored. Like dossier_fts, it needs every removal of a
	 * dossier to be a DELETE: an INSERT OR REPLACE that drops a row fires no
	 * delete trigger (unless recursive_triggers is on). */
	"CREATE TABLE dossier_status_counts(unit_code TEXT NOT NULL,"
	" status INTEGER NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY(unit_code, status)) WITHOUT ROWID;\n"
	"INSERT INTO dossier_status_counts(unit_code, status, n)"
	" SELECT unit_code, status, count(*) FROM dossiers GROUP BY unit_code, status;\n"
	"CREATE TRIGGER dossier_status_counts_ai AFTER INSERT ON dossiers BEGIN"
	" INSERT INTO dossier_status_counts(unit_code, status, n)"
	" VALUES (new.unit_code, new.status, 1)"
	" ON CONFLICT(unit_code, status) DO UPDATE SET n = n + 1; END;\n"
	"CREATE TRIGGER dossier_status_counts_ad AFTER DELETE ON dossiers BEGIN"
	" UPDATE dossier_status_counts SET n = n - 1"
	" WHERE unit_code = old.unit_code AND status = old.status; END;\n"
	"CREATE TRIGGER dossier_status_counts_au AFTER UPDATE OF unit_code, status ON dossiers"
	" WHEN new.unit_code IS NOT old.unit_code OR new.status IS NOT old.status BEGIN"
	" UPDATE dossier_status_counts SET n = n - 1"
	" WHERE unit_code = old.unit_code AND status = old.status;"
	" INSERT INTO dossier_status_counts(unit_code, status, n)"
	" VALUES (new.unit_code, new.status, 1)"
	" ON CONFLICT(unit_code, status) DO UPDATE SET n = n + 1; END;\n",

	/* 3 -> 4: sync with the central server (sync/, docs/sync-client.md).
	 * sync_state: one row, the server this workstation syncs with, its device
	 * id and token, the change-feed cursor, the last successful sync and the
	 * last error; stopped = the server refused the token (401/403): the queue
	 * waits for `motcua login`; lease_request = the id of a lease request
	 * sent but not yet answered (sent again with the same id: idempotent);
	 * done_seq numbers the operations in the order the server acknowledged
	 * them (outbox.done_seq) and last_applied_op is the last one it answered
	 * 'applied': together they notice a server restored from a backup.
	 * sync_leases: blocks of dossier sequence numbers leased by the server;
	 * code_fallback counts the codes numbered without a lease, and
	 * code_review lists them for a person to check. */
	"CREATE TABLE sync_state(id INTEGER PRIMARY KEY CHECK(id = 1),"
	" server_url TEXT, device_id TEXT, device_name TEXT, username TEXT, token TEXT,"
	" ca_file TEXT, cursor TEXT, last_sync_at TEXT, last_attempt_at TEXT,"
	" last_error TEXT, last_error_at TEXT, stopped INTEGER NOT NULL DEFAULT 0,"
	" online INTEGER NOT NULL DEFAULT 0, clock_skew_s INTEGER, last_device_clock TEXT,"
	" lease_request TEXT, last_applied_op TEXT, done_seq INTEGER NOT NULL DEFAULT 0);\n"
	"INSERT INTO sync_state(id) VALUES (1);\n"
	"CREATE TABLE sync_leases(unit_ident TEXT NOT NULL, day TEXT NOT NULL,"
	" first INTEGER NOT NULL, last INTEGER NOT NULL, obtained_at TEXT NOT NULL,"
	" PRIMARY KEY(unit_ident, first));\n"
	"CREATE TABLE code_fallback(unit_ident TEXT NOT NULL, day TEXT NOT NULL,"
	" last INTEGER NOT NULL, PRIMARY KEY(unit_ident, day));\n"
	"CREATE TABLE code_review(dossier_id TEXT PRIMARY KEY, code TEXT NOT NULL,"
	" reason TEXT NOT NULL, created_at TEXT NOT NULL);\n"
	"ALTER TABLE outbox ADD COLUMN error_code TEXT;\n"
	"ALTER TABLE outbox ADD COLUMN server_rev INTEGER;\n"
	"ALTER TABLE outbox ADD COLUMN done_seq INTEGER;\n"
	"ALTER TABLE outbox ADD COLUMN answered_at TEXT;\n"
	"CREATE INDEX outbox_entity ON outbox(entity_id, state);\n"
	"CREATE INDEX outbox_done ON outbox(done_seq) WHERE done_seq IS NOT NULL;\n",

	/* 4 -> 5: the citizen's document store: every digitized paper
	 * and every result, filed under its owner's ID number, reusable at the
	 * next reception. A component that points at a document is digitized;
	 * reused = 1 when the document was attached from the store instead of
	 * scanned again (Decision 766's digitization and reuse indicators).
	 * The file itself is content-addressed by sha256 under the store's
	 * folder (documents/<sha256>.pdf) and travels to the server by sync. */
	"CREATE TABLE documents(id TEXT PRIMARY KEY, owner_id_number TEXT,"
	" kind TEXT NOT NULL, title TEXT, number TEXT, issuer TEXT, issued_on TEXT,"
	" expires_on TEXT, sha256 TEXT NOT NULL, pages INTEGER NOT NULL DEFAULT 0,"
	" bytes INTEGER NOT NULL DEFAULT 0, is_result INTEGER NOT NULL DEFAULT 0,"
	" ocr_state TEXT NOT NULL DEFAULT 'none' CHECK(ocr_state IN ('none','pending','done','failed')),"
	" ocr_text TEXT, ocr_fold TEXT, created_at TEXT NOT NULL, created_by TEXT);\n"
	"CREATE INDEX documents_owner ON documents(owner_id_number, kind);\n"
	"CREATE INDEX documents_sha ON documents(sha256);\n"
	"CREATE VIRTUAL TABLE document_fts USING fts5(ocr_fold, content='documents',"
	" content_rowid='rowid', prefix='2 3');\n"
	"CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN"
	" INSERT INTO document_fts(rowid, ocr_fold) VALUES (new.rowid, coalesce(new.ocr_fold, '')); END;\n"
	"CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN"
	" INSERT INTO document_fts(document_fts, rowid, ocr_fold)"
	" VALUES ('delete', old.rowid, coalesce(old.ocr_fold, '')); END;\n"
	"CREATE TRIGGER documents_au AFTER UPDATE OF ocr_fold ON documents BEGIN"
	" INSERT INTO document_fts(document_fts, rowid, ocr_fold)"
	" VALUES ('delete', old.rowid, coalesce(old.ocr_fold, ''));"
	" INSERT INTO document_fts(rowid, ocr_fold) VALUES (new.rowid, coalesce(new.ocr_fold, '')); END;\n"
	"ALTER TABLE dossier_components ADD COLUMN document_id TEXT;\n"
	"ALTER TABLE dossier_components ADD COLUMN reused INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE dossiers ADD COLUMN result_document_id TEXT;\n"
	"CREATE INDEX dossier_components_document ON dossier_components(document_id)"
	" WHERE document_id IS NOT NULL;\n",

	/* 5 -> 6: the ledger (sổ theo dõi hồ sơ, form 06, client/print/ledger.c). A
	 * received dossier gets the next number of its receiving unit's book for
	 * the year of its reception, once and for good, in the transaction that
	 * writes it: numbers run on through the year across days and restarts,
	 * and a number printed on paper never changes. Dossiers already stored
	 * are numbered here in the order they were received. Status 1 (online,
	 * not yet received) and 3 (refused) are not received: a dossier gets its
	 * number when it leaves 1 for a received status. A deleted dossier keeps
	 * its row, so that its number is never given again. Safe to run again
	 * (IF NOT EXISTS, OR IGNORE): a store made to look older by undoing
	 * earlier migrations only keeps its numbers. */
	"CREATE TABLE IF NOT EXISTS ledger_numbers(dossier_id TEXT PRIMARY KEY, unit_code TEXT NOT NULL,"
	" year INTEGER NOT NULL, no INTEGER NOT NULL, UNIQUE(unit_code, year, no));\n"
	"INSERT OR IGNORE INTO ledger_numbers(dossier_id, unit_code, year, no)"
	" SELECT id, unit_code, year, row_number() OVER (PARTITION BY unit_code, year"
	" ORDER BY received_at, code) FROM (SELECT id, unit_code, received_at, code,"
	" CAST(substr(received_at, 1, 4) AS INTEGER) AS year FROM dossiers"
	" WHERE status NOT IN (1, 3));\n"
	"CREATE TRIGGER IF NOT EXISTS ledger_numbers_ai AFTER INSERT ON dossiers"
	" WHEN new.status NOT IN (1, 3) BEGIN"
	" INSERT OR IGNORE INTO ledger_numbers(dossier_id, unit_code, year, no)"
	" SELECT new.id, new.unit_code, CAST(substr(new.received_at, 1, 4) AS INTEGER),"
	" coalesce(max(no), 0) + 1 FROM ledger_numbers WHERE unit_code = new.unit_code"
	" AND year = CAST(substr(new.received_at, 1, 4) AS INTEGER); END;\n"
	"CREATE TRIGGER IF NOT EXISTS ledger_numbers_au AFTER UPDATE OF status ON dossiers"
	" WHEN old.status = 1 AND new.status NOT IN (1, 3, 7) BEGIN"
	" INSERT OR IGNORE INTO ledger_numbers(dossier_id, unit_code, year, no)"
	" SELECT new.id, new.unit_code, CAST(substr(new.received_at, 1, 4) AS INTEGER),"
	" coalesce(max(no), 0) + 1 FROM ledger_numbers WHERE unit_code = new.unit_code"
	" AND year = CAST(substr(new.received_at, 1, 4) AS INTEGER); END;\n",

	/* 6 -> 7: the indicators read events by kind over a period
	 * (client/store/indicators.c): a month on a million dossiers drops from 0.35 s
	 * to about 50 ms with this index. */
	"CREATE INDEX IF NOT EXISTS events_kind_time ON events(kind, device_time);\n",

	/* 7 -> 8: the clerk in charge of a dossier after a supervisor handed it
	 * to another clerk (a 'reassign' event, docs/lifecycle.md). No row: the
	 * clerk who received it (dossiers.clerk, which stays what the receipt
	 * and the indicators say). Kept by a trigger on the events, so that a
	 * reassignment made here and one that comes down the changes feed
	 * (whose events sync/apply.c inserts) both count; the latest event by
	 * device time wins whatever order they arrive in. Safe to run again. */
	"CREATE TABLE IF NOT EXISTS dossier_assignments(dossier_id TEXT PRIMARY KEY,"
	" clerk TEXT NOT NULL, event_id TEXT NOT NULL, at TEXT NOT NULL);\n"
	"INSERT OR REPLACE INTO dossier_assignments(dossier_id, clerk, event_id, at)"
	" SELECT dossier_id, json_extract(payload, '$.to_clerk'), id, device_time FROM ("
	" SELECT e.*, row_number() OVER (PARTITION BY dossier_id"
	" ORDER BY device_time DESC, rowid DESC) AS k FROM events e WHERE kind = 'reassign'"
	" AND json_extract(payload, '$.to_clerk') IS NOT NULL) WHERE k = 1;\n"
	"CREATE TRIGGER IF NOT EXISTS dossier_assignments_ai AFTER INSERT ON events"
	" WHEN new.kind = 'reassign' AND json_extract(new.payload, '$.to_clerk') IS NOT NULL BEGIN"
	" INSERT INTO dossier_assignments(dossier_id, clerk, event_id, at)"
	" VALUES (new.dossier_id, json_extract(new.payload, '$.to_clerk'), new.id, new.device_time)"
	" ON CONFLICT(dossier_id) DO UPDATE SET clerk = excluded.clerk,"
	" event_id = excluded.event_id, at = excluded.at"
	" WHERE excluded.at >= dossier_assignments.at; END;\n",
	/* 8 -> 9: files travel to the server (sync/upload.c, docs/sync-client.md).
	 * One row per file (content-addressed: documents that share a sha256
	 * share it), made by a trigger when a document is filed. state: pending
	 * (to send), sent (the server holds it), failed (the server refused it
	 * and the file on this disk is damaged: not sent again, last_error says
	 * why), remote (a document that came down from the server: its file is
	 * there, not here; a document of that file filed here makes it pending
	 * again, and the queue asks the server whether it has it). upload_url and server_offset: the tus upload under
	 * way and what the server last said it holds, so a cut link resumes.
	 * Safe to run again. */
	"CREATE TABLE IF NOT EXISTS file_uploads(sha256 TEXT PRIMARY KEY,"
	" bytes INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending'"
	" CHECK(state IN ('pending','sent','failed','remote')), upload_url TEXT,"
	" server_offset INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT, updated_at TEXT, sent_at TEXT);\n"
	"CREATE INDEX IF NOT EXISTS file_uploads_state ON file_uploads(state);\n"
	"INSERT OR IGNORE INTO file_uploads(sha256, bytes)"
	" SELECT sha256, max(bytes) FROM documents GROUP BY sha256;\n"
	"CREATE TRIGGER IF NOT EXISTS documents_upload AFTER INSERT ON documents BEGIN"
	" INSERT INTO file_uploads(sha256, bytes) VALUES (new.sha256, new.bytes)"
	" ON CONFLICT(sha256) DO UPDATE SET state = 'pending' WHERE state = 'remote'; END;\n",

	/* 9 -> 10: the applicant's folded name indexed by reception time, so that
	 * the newest N dossiers matching a name (every word a prefix, as typed in
	 * the live search) come first when a full-text query is read backwards,
	 * whatever the name's frequency (client/store/dossier_query.c, search_keyed).
	 * An FTS5 table whose rowid is RECEIVED_KEY (above) and which keeps its
	 * own copy of the folded name (read in key order to check the query's
	 * common words without reading the dossiers), kept by triggers in the
	 * transaction that changes a dossier. dossiers_unkeyed finds the dossiers
	 * it cannot hold (a received_at of another form), for which the search
	 * falls back to dossier_fts. Made anew each time it runs (safe to run
	 * again): 6 to 12 s on a million dossiers, 118 MB. Like dossier_fts, it
	 * needs every removal of a dossier to be a DELETE. */
	"DROP TRIGGER IF EXISTS dossier_name_fts_ai;\n"
	"DROP TRIGGER IF EXISTS dossier_name_fts_ad;\n"
	"DROP TRIGGER IF EXISTS dossier_name_fts_au;\n"
	"DROP TABLE IF EXISTS dossier_name_fts;\n"
	"CREATE VIRTUAL TABLE dossier_name_fts USING fts5(applicant_fold, columnsize=0,"
	" prefix='1 2 3 4 5 6');\n"
	"INSERT INTO dossier_name_fts(rowid, applicant_fold)"
	" SELECT " RECEIVED_KEY("d") ", d.applicant_fold FROM dossiers d"
	" WHERE " RECEIVED_KEYED("d") ";\n"
	"CREATE INDEX IF NOT EXISTS dossiers_unkeyed ON dossiers(received_at) WHERE " UNKEYED ";\n"
	"CREATE TRIGGER dossier_name_fts_ai AFTER INSERT ON dossiers WHEN " RECEIVED_KEYED("new")
	" BEGIN INSERT INTO dossier_name_fts(rowid, applicant_fold)"
	" VALUES (" RECEIVED_KEY("new") ", new.applicant_fold); END;\n"
	"CREATE TRIGGER dossier_name_fts_ad AFTER DELETE ON dossiers WHEN " RECEIVED_KEYED("old")
	" BEGIN DELETE FROM dossier_name_fts WHERE rowid = " RECEIVED_KEY("old") "; END;\n"
	"CREATE TRIGGER dossier_name_fts_au AFTER UPDATE OF received_at, applicant_fold"
	" ON dossiers BEGIN"
	" DELETE FROM dossier_name_fts WHERE rowid = " RECEIVED_KEY("old")
	" AND " RECEIVED_KEYED("old") ";"
	" INSERT INTO dossier_name_fts(rowid, applicant_fold)"
	" SELECT " RECEIVED_KEY("new") ", new.applicant_fold WHERE " RECEIVED_KEYED("new") "; END;\n",
	/* 10 -> 11: the indicators as counts per unit, clerk and day
	 * (client/store/indicators.c, the same as server migration 0005): a year of a
	 * million dossiers is a sum over some thousands of rows instead of a walk
	 * of every dossier, component and event of the year; and the index of
	 * the supervisor's workload per clerk. Safe to run again
	 * (IF NOT EXISTS; the counts made again from the rows). */
	"CREATE TABLE IF NOT EXISTS indicator_counts(unit_code TEXT NOT NULL, clerk TEXT NOT NULL,"
	" day TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0, online INTEGER NOT NULL DEFAULT 0,"
	" reused INTEGER NOT NULL DEFAULT 0, transferred INTEGER NOT NULL DEFAULT 0,"
	" resolved INTEGER NOT NULL DEFAULT 0, on_time INTEGER NOT NULL DEFAULT 0,"
	" digitized INTEGER NOT NULL DEFAULT 0, rated INTEGER NOT NULL DEFAULT 0,"
	" satisfied INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(unit_code, clerk, day)) WITHOUT ROWID;\n"
	"CREATE INDEX IF NOT EXISTS indicator_counts_day ON indicator_counts(day);\n"
	/* the supervisor's workload per clerk (screens/supervisor.c) */
	"CREATE INDEX IF NOT EXISTS dossiers_unit_status_clerk ON dossiers(unit_code, status, clerk,"
	" appointment);\n"
	"DELETE FROM indicator_counts;\n"
	"INSERT INTO indicator_counts SELECT unit_code, clerk, day, sum(received), sum(online),"
	" sum(reused), sum(transferred), sum(resolved), sum(on_time), sum(digitized), sum(rated),"
	" sum(satisfied) FROM ("
	" SELECT d.unit_code, coalesce(d.clerk, '') AS clerk, substr(d.received_at, 1, 10) AS day,"
	" 1 AS received, coalesce(d.channel = 2, 0) AS online,"
	" EXISTS(SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id AND c.reused = 1) AS reused,"
	" EXISTS(SELECT 1 FROM events t WHERE t.dossier_id = d.id AND +t.kind = 'transfer') AS transferred,"
	" 0 AS resolved, 0 AS on_time, 0 AS digitized, 0 AS rated, 0 AS satisfied FROM dossiers d"
	" UNION ALL SELECT d.unit_code, coalesce(d.clerk, ''), substr(e.device_time, 1, 10), 0, 0, 0, 0,"
	" e.kind = 'result-ready', e.kind = 'result-ready' AND coalesce(e.device_time <= d.appointment, 0),"
	" e.kind = 'result-ready' AND " IND_DIGITIZED ", e.kind = 'rate',"
	" e.kind = 'rate' AND " IND_SATISFIED
	" FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE e.kind IN ('result-ready', 'rate'))"
	" GROUP BY unit_code, clerk, day;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_dossiers_ai AFTER INSERT ON dossiers BEGIN "
	IND_DOSSIER("new.id", "1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_dossiers_bd BEFORE DELETE ON dossiers BEGIN "
	IND_DOSSIER("old.id", "-1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_dossiers_bu BEFORE UPDATE OF " IND_DOSSIER_COLUMNS " ON dossiers"
	" WHEN " IND_DOSSIER_CHANGED " BEGIN " IND_DOSSIER("old.id", "-1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_dossiers_au AFTER UPDATE OF " IND_DOSSIER_COLUMNS " ON dossiers"
	" WHEN " IND_DOSSIER_CHANGED " BEGIN " IND_DOSSIER("new.id", "1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_components_bi BEFORE INSERT ON dossier_components"
	" WHEN " IND_COMPONENT("new") " BEGIN " IND_DOSSIER("new.dossier_id", "-1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_components_ai AFTER INSERT ON dossier_components"
	" WHEN " IND_COMPONENT("new") " BEGIN " IND_DOSSIER("new.dossier_id", "1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_components_bd BEFORE DELETE ON dossier_components"
	" WHEN " IND_COMPONENT("old") " BEGIN " IND_DOSSIER("old.dossier_id", "-1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_components_ad AFTER DELETE ON dossier_components"
	" WHEN " IND_COMPONENT("old") " BEGIN " IND_DOSSIER("old.dossier_id", "1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_components_bu BEFORE UPDATE ON dossier_components"
	" WHEN " IND_COMPONENT("old") " OR " IND_COMPONENT("new")
	" OR old.dossier_id IS NOT new.dossier_id BEGIN " IND_DOSSIER("old.dossier_id", "-1")
	IND_DOSSIER("new.dossier_id AND new.dossier_id IS NOT old.dossier_id", "-1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_components_au AFTER UPDATE ON dossier_components"
	" WHEN " IND_COMPONENT("old") " OR " IND_COMPONENT("new")
	" OR old.dossier_id IS NOT new.dossier_id BEGIN " IND_DOSSIER("old.dossier_id", "1")
	IND_DOSSIER("new.dossier_id AND new.dossier_id IS NOT old.dossier_id", "1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_events_ai AFTER INSERT ON events"
	" WHEN new.kind IN ('result-ready', 'rate', 'transfer') BEGIN "
	IND_EVENT("new", "1") IND_TRANSFER("new", "1", "1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_events_ad AFTER DELETE ON events"
	" WHEN old.kind IN ('result-ready', 'rate', 'transfer') BEGIN "
	IND_EVENT("old", "-1") IND_TRANSFER("old", "-1", "0") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_events_bu BEFORE UPDATE ON events"
	" WHEN old.kind IN ('result-ready', 'rate', 'transfer')"
	" OR new.kind IN ('result-ready', 'rate', 'transfer') BEGIN "
	IND_DOSSIER("old.dossier_id", "-1")
	IND_DOSSIER("new.dossier_id AND new.dossier_id IS NOT old.dossier_id", "-1") " END;\n"
	"CREATE TRIGGER IF NOT EXISTS indicator_events_au AFTER UPDATE ON events"
	" WHEN old.kind IN ('result-ready', 'rate', 'transfer')"
	" OR new.kind IN ('result-ready', 'rate', 'transfer') BEGIN "
	IND_DOSSIER("old.dossier_id", "1")
	IND_DOSSIER("new.dossier_id AND new.dossier_id IS NOT old.dossier_id", "1") " END;\n",
	/* 11 -> 12: online dossiers (docs/portal.md). One submitted on the
	 * portal comes down with status 1 and no reception time yet
	 * (received_at ''): it is received when a clerk accepts it (1, or 5
	 * once supplemented, -> 2, received_at set), and only then gets its
	 * ledger number; asking for a supplement first (1 -> 5) gives none.
	 * The ledger's trigger of 5 -> 6 says so now; the waiting ones have an
	 * index of their own (client/store/online.c). Safe to run again. */
	"DROP TRIGGER IF EXISTS ledger_numbers_au;\n"
	"CREATE TRIGGER ledger_numbers_au AFTER UPDATE OF status ON dossiers"
	" WHEN new.status NOT IN (1, 3, 7) AND new.received_at <> ''"
	" AND (old.status = 1 OR old.received_at = '') BEGIN"
	" INSERT OR IGNORE INTO ledger_numbers(dossier_id, unit_code, year, no)"
	" SELECT new.id, new.unit_code, CAST(substr(new.received_at, 1, 4) AS INTEGER),"
	" coalesce(max(no), 0) + 1 FROM ledger_numbers WHERE unit_code = new.unit_code"
	" AND year = CAST(substr(new.received_at, 1, 4) AS INTEGER); END;\n"
	"CREATE INDEX IF NOT EXISTS dossiers_online ON dossiers(unit_code, status)"
	" WHERE channel = 2 AND received_at = '';\n",

	/* 12 -> 13: papers recorded as reusable (docs/reuse.md): the paper's
	 * type (core/papertype.h), and its digital signature when motcua signed
	 * it as it was filed (signer's name, signing time); the file itself is
	 * verified again whenever it is reused. One row per document that has
	 * either, kept by client/store/docstore.c beside its documents row (a
	 * table of its own: the migration is safe to run again). */
	"CREATE TABLE IF NOT EXISTS document_papers(document_id TEXT PRIMARY KEY,"
	" paper_type TEXT, signer TEXT, signed_at TEXT) WITHOUT ROWID;\n",

	/* 13 -> 14: counter visits that end without a received dossier
	 * (client/store/visit.h): a refusal with form 03 or a guidance with
	 * form 02, no code and no ledger number. items: the reasons or the
	 * papers, a JSON array of strings. Safe to run again. */
	"CREATE TABLE IF NOT EXISTS visits(id TEXT PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK(kind IN ('refuse','guide')),"
	" procedure_code TEXT NOT NULL, procedure_name TEXT NOT NULL, unit_code TEXT NOT NULL,"
	" clerk TEXT NOT NULL, at TEXT NOT NULL, applicant_name TEXT NOT NULL, id_number TEXT,"
	" birth_date TEXT, sex TEXT, phone TEXT, email TEXT, address TEXT, commune_code TEXT,"
	" items TEXT NOT NULL, note TEXT);\n"
	"CREATE INDEX IF NOT EXISTS visits_unit_at ON visits(unit_code, at);\n",

	/* 14 -> 15: the fee recorded at the counter (core/fee.h): collected,
	 * exempt (with the reason) or later, and the amount in đồng; one row per
	 * dossier received since, kept by client/store/fees.c in the reception's
	 * transaction and by the feed (a dossier received before has none). The
	 * closing report reads it by the dossier's reception time. */
	"CREATE TABLE IF NOT EXISTS dossier_fees(dossier_id TEXT PRIMARY KEY,"
	" status TEXT NOT NULL CHECK (status IN ('collected', 'exempt', 'later')),"
	" amount INTEGER NOT NULL CHECK (amount BETWEEN 0 AND 1000000000),"
	" reason TEXT) WITHOUT ROWID;\n",

	/* 15 -> 16: the snapshot a new workstation is downloading
	 * (sync/snapshot.c): at most one row, and the bytes received so far in
	 * snapshot_chunks by their position, kept in the store (so encrypted with
	 * it) until the last one is in and the snapshot applied, when both are
	 * emptied; a cut download resumes after the last chunk with HTTP Range.
	 * Safe to run again. */
	"CREATE TABLE IF NOT EXISTS snapshot_download(id INTEGER PRIMARY KEY CHECK (id = 1),"
	" snapshot_id TEXT NOT NULL, url TEXT NOT NULL, cursor TEXT NOT NULL,"
	" size INTEGER NOT NULL);\n"
	"CREATE TABLE IF NOT EXISTS snapshot_chunks(pos INTEGER PRIMARY KEY, data BLOB NOT NULL);\n"
	/* and the papers opened from the server (sync/paper.c): the parts of
	 * one being fetched (paper_chunks, by position), and those fetched,
	 * with their size and last use, evicted the least recently used first
	 * beyond the setting paper_cache_mb; never a paper of this workstation's
	 * own (those have no row here) */
	"CREATE TABLE IF NOT EXISTS paper_chunks(sha256 TEXT NOT NULL, pos INTEGER NOT NULL,"
	" data BLOB NOT NULL, PRIMARY KEY (sha256, pos)) WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS paper_cache(sha256 TEXT PRIMARY KEY, bytes INTEGER NOT NULL,"
	" used_at TEXT NOT NULL) WITHOUT ROWID;\n",
	/* 16 -> 17: the parties of a dossier beside its applicant row
	 * (client/store/parties.h): an organisation applying (its name and
	 * tax code; the dossier row has its name, applicant_kind 2) and the
	 * person who represents it, the second party of a procedure that has
	 * two. Safe to run again. */
	"CREATE TABLE IF NOT EXISTS dossier_parties(dossier_id TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('organisation', 'representative', 'second')),"
	" full_name TEXT NOT NULL, id_number TEXT, birth_date TEXT, sex TEXT, address TEXT,"
	" title TEXT, PRIMARY KEY (dossier_id, role)) WITHOUT ROWID;\n",

	/* 17 -> 18: how many dossiers each unit received of each procedure,
	 * kept by triggers like dossier_status_counts, so that the procedure
	 * search ranks by it (client/store/catalog.c) without counting the
	 * dossiers at each key. Safe to run again. */
	"CREATE TABLE IF NOT EXISTS procedure_counts(unit_code TEXT NOT NULL,"
	" procedure_code TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY(unit_code, procedure_code)) WITHOUT ROWID;\n"
	"DELETE FROM procedure_counts;\n"
	"INSERT INTO procedure_counts(unit_code, procedure_code, n)"
	" SELECT unit_code, procedure_code, count(*) FROM dossiers"
	" GROUP BY unit_code, procedure_code;\n"
	"CREATE TRIGGER IF NOT EXISTS procedure_counts_ai AFTER INSERT ON dossiers BEGIN"
	" INSERT INTO procedure_counts(unit_code, procedure_code, n)"
	" VALUES (new.unit_code, new.procedure_code, 1)"
	" ON CONFLICT(unit_code, procedure_code) DO UPDATE SET n = n + 1; END;\n"
	"CREATE TRIGGER IF NOT EXISTS procedure_counts_ad AFTER DELETE ON dossiers BEGIN"
	" UPDATE procedure_counts SET n = n - 1"
	" WHERE unit_code = old.unit_code AND procedure_code = old.procedure_code; END;\n"
	"CREATE TRIGGER IF NOT EXISTS procedure_counts_au AFTER UPDATE OF unit_code, procedure_code"
	" ON dossiers WHEN new.unit_code IS NOT old.unit_code"
	" OR new.procedure_code IS NOT old.procedure_code BEGIN"
	" UPDATE procedure_counts SET n = n - 1"
	" WHERE unit_code = old.unit_code AND procedure_code = old.procedure_code;"
	" INSERT INTO procedure_counts(unit_code, procedure_code, n)"
	" VALUES (new.unit_code, new.procedure_code, 1)"
	" ON CONFLICT(unit_code, procedure_code) DO UPDATE SET n = n + 1; END;\n",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_version(void)
{
	return N_MIGRATIONS;
}

const char *store_errmsg_vn(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return "ổ đĩa đã đầy, không ghi được dữ liệu";
	case SQLITE_READONLY:
		return "kho dữ liệu chỉ đọc, không ghi được";
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return "kho dữ liệu đang bận (một phiên khác đang ghi)";
	case SQLITE_CANTOPEN:
		return "không mở được tệp kho dữ liệu";
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return "tệp không phải kho dữ liệu motcua hoặc đã hỏng";
	case SQLITE_IOERR:
		return "lỗi đọc/ghi đĩa";
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return "không có quyền truy cập kho dữ liệu";
	case SQLITE_CONSTRAINT:
		return "dữ liệu vi phạm ràng buộc (trùng lặp hoặc thiếu)";
	default:
		return "lỗi kho dữ liệu";
	}
}

const char *store_last_errmsg_vn(struct store *st)
{
	return store_errmsg_vn(sqlite3_errcode(st->db));
}

/* ---- faults no caller repairs ----------------------------------------------
 *
 * A corrupt or unreadable file shows wherever a page is read, by any
 * statement of any thread. SQLite reports every such error to its log
 * (SQLITE_CONFIG_LOG); the store keeps the first one, and so does a
 * statement of ours that does not prepare (a foreign file, or a bug). From
 * then on no write transaction begins (store_begin), and the program's end
 * asks store_damaged: the CLI's exit and the TUI's loop leave with status 1
 * and the message, never with an abort. */

static struct {
	pthread_mutex_t lock;
	atomic_bool set;
	char path[512];   /* the store opened last (one per process in practice) */
	char detail[256]; /* SQLite's words */
	int rc;
} fault = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void fault_record(int rc, const char *detail)
{
	pthread_mutex_lock(&fault.lock);
	if (!atomic_load(&fault.set)) {
		fault.rc = rc;
		snprintf(fault.detail, sizeof(fault.detail), "%s", detail ? detail : "");
		atomic_store(&fault.set, true);
	}
	pthread_mutex_unlock(&fault.lock);
}

/* A file that does not read back: damaged pages, not a database, a read
 * that fails (a full disk or a write refused is no damage: the caller says
 * so, and the next action may succeed). */
static bool damage(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB ||
	       rc == SQLITE_IOERR_READ || rc == SQLITE_IOERR_SHORT_READ;
}

static void on_sqlite_log(void *arg, int rc, const char *msg)
{
	(void)arg;
	(void)msg; /* "database corruption at line N of [...]": for SQLite's developers */
	if (damage(rc))
		fault_record(rc, sqlite3_errstr(rc));
}

static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static void log_setup(void)
{
	/* Only before SQLite initialises; a program that used SQLite first (a
	 * test) goes without: its faults are still seen by their callers. */
	sqlite3_config(SQLITE_CONFIG_LOG, on_sqlite_log, NULL);
}

static void fault_path(const char *path)
{
	pthread_mutex_lock(&fault.lock);
	snprintf(fault.path, sizeof(fault.path), "%s", path);
	pthread_mutex_unlock(&fault.lock);
}

int store_damaged(struct strbuf *err)
{
	if (!atomic_load(&fault.set))
		return 0;
	if (!err)
		return -1;
	pthread_mutex_lock(&fault.lock);
	if (damage(fault.rc))
		strbuf_addf(err, "kho dữ liệu %s đã hỏng hoặc không đọc được (%s); hãy khôi phục tệp"
			    " từ bản sao lưu", fault.path[0] ? fault.path : "", fault.detail);
	else
		strbuf_addf(err, "kho dữ liệu %s không đọc được: %s (%s)", fault.path[0] ? fault.path : "",
			    store_errmsg_vn(fault.rc), fault.detail);
	pthread_mutex_unlock(&fault.lock);
	return -1;
}

static int mkdir_p(const char *dir)
{
	char *tmp = xstrdup(dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST) {
			free(tmp);
			return -1;
		}
		*p = '/';
	}
	int rc = (mkdir(tmp, 0700) && errno != EEXIST) ? -1 : 0;
	free(tmp);
	return rc;
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	/* the log of damage first: SQLite takes it only before it initialises,
	 * which registering the VFS does */
	pthread_once(&log_once, log_setup);
	cryptvfs_register();
}

void store_sqlite_init(void)
{
	pthread_once(&sqlite_once, sqlite_setup);
}

static store_unlock_fn *unlock_hook;

void store_set_unlock_hook(store_unlock_fn *fn)
{
	unlock_hook = fn;
}

void store_init(struct store *st, const char *path)
{
	st->db = NULL;
	st->path = xstrdup(path);
	st->lock_fd = -1;
	st->encrypted = false;
}

static int take_lock(struct store *st, const char *path, struct strbuf *err)
{
	char *lockpath = xasprintf("%s.lock", path);
	int fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int saved = errno;
	if (fd < 0)
		fd = open(lockpath, O_RDONLY | O_CLOEXEC);
	free(lockpath);
	if (fd < 0) {
		strbuf_addf(err, "không tạo được tệp khóa bên cạnh kho dữ liệu %s: %s", path,
			    strerror(saved));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		strbuf_addf(err, "kho dữ liệu %s đang được một phiên motcua khác sử dụng;"
			    " hãy đóng phiên đó trước", path);
		return -1;
	}
	st->lock_fd = fd;
	return 0;
}

int store_lock(struct store *st, struct strbuf *err)
{
	if (st->lock_fd >= 0)
		return 0;
	return take_lock(st, st->path, err);
}

void store_close_keep_lock(struct store *st)
{
	if (st->db)
		sqlite3_close_v2(st->db);
	st->db = NULL;
}

/* Only the owner reads the store, its journals, its keys and its folders
 * (a store made by an older release, or copied in with other modes). */
static void tighten(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".lock",
						KEYRING_SUFFIX, KEYRING_SUFFIX "-journal" };
	static const char *const dirs[] = { "documents", "receipts", "scans", "ocr" };
	uid_t me = geteuid();
	struct stat sb;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		if (!lstat(p, &sb) && S_ISREG(sb.st_mode) && sb.st_uid == me && (sb.st_mode & 077))
			chmod(p, sb.st_mode & 0700);
		free(p);
	}
	char *copy = xstrdup(path);
	char *folder = dirname(copy);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *p = xasprintf("%s/%s", folder, dirs[i]);
		if (!lstat(p, &sb) && S_ISDIR(sb.st_mode) && sb.st_uid == me && (sb.st_mode & 077))
			chmod(p, sb.st_mode & 0700);
		free(p);
	}
	free(copy);
}

void store_sweep(const char *path)
{
	static const char *const dirs[] = { "documents", "receipts" };
	char *copy = xstrdup(path);
	char *folder = dirname(copy);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *p = xasprintf("%s/%s", folder, dirs[i]);
		files_sweep_stale(p);
		free(p);
	}
	free(copy);
}

bool store_encryption_pending(struct store *st)
{
	if (st->encrypted)
		return false;
	char *v = store_get_setting(st, STORE_ENCRYPTION_KEY);
	bool pending = v && !strcmp(v, "pending");
	free(v);
	return pending;
}

/* PRAGMA user_version into *v: 0, or -1 with err set (a file SQLite cannot read). */
static int user_version(struct store *st, int *v, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "PRAGMA user_version");
	int rc = sqlite3_step(q);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW) {
		strbuf_addf(err, "không mở được kho dữ liệu %s: %s", st->path,
			    store_errmsg_vn(q ? rc : sqlite3_errcode(st->db)));
		return -1;
	}
	return 0;
}

static int migrate(struct store *st, struct strbuf *err)
{
	int version;
	if (user_version(st, &version, err))
		return -1;
	if (version > N_MIGRATIONS) {
		strbuf_addf(err, "kho dữ liệu có phiên bản %d, mới hơn chương trình này (%d);"
			    " hãy cập nhật motcua", version, N_MIGRATIONS);
		return -1;
	}
	if (version == N_MIGRATIONS)
		return 0;
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		strbuf_addf(err, "kho dữ liệu %s chỉ đọc, không nâng cấp được", st->path);
		return -1;
	}
	if (store_begin(st, err))
		return -1;
	for (int v = version; v < N_MIGRATIONS; v++) {
		if (store_exec(st, migrations[v], err)) {
			store_rollback(st);
			return -1;
		}
	}
	char *set = xasprintf("PRAGMA user_version = %d", N_MIGRATIONS);
	int rc = store_exec(st, set, err);
	free(set);
	if (rc) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

/* A store opened read-only by a newer program (a query command after an
 * update): when its schema is older and the file may be written, it is
 * upgraded once through a read-write connection, then read as asked. */
static int upgrade_first(struct store *st, unsigned flags, struct strbuf *err)
{
	int version;
	if (user_version(st, &version, err))
		return -1;
	if (version >= N_MIGRATIONS || access(st->path, W_OK))
		return 0;
	struct store rw = { 0 }; /* no STORE_HAVE_LOCK: store_open sets it all */
	if (store_open(&rw, st->path,
		       flags & ~(unsigned)(STORE_READONLY | STORE_EXCLUSIVE | STORE_HAVE_LOCK),
		       err))
		return -1;
	store_close(&rw);
	return 0;
}

/* A look over the whole file at open, cheap at any size: a file with
 * tables is a motcua store (the tables every store has are there, and its
 * schema version is set: each migration sets it in its transaction), and
 * every table's first row reads from the table itself (a damaged root or
 * first page shows here, before a command acts on the store; indexes are
 * read when used). An empty file is a store to be. PRAGMA quick_check would
 * read every page: too slow for a large store; damage deeper in the file is
 * caught where it is read (store_damaged). */
static int probe(struct store *st, struct strbuf *err)
{
	int version;
	if (user_version(st, &version, err))
		return -1;
	sqlite3_stmt *q = store_prepare(st, "SELECT name FROM sqlite_schema WHERE type = 'table'"
					    " AND sql NOT LIKE 'CREATE VIRTUAL%'");
	int tables = 0, ours = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		tables++;
		ours += !strcmp(name, "settings") || !strcmp(name, "dossiers");
		/* NOT INDEXED: the table's own pages, not a covering index */
		char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\" NOT INDEXED LIMIT 1", name);
		sqlite3_stmt *t = store_prepare(st, sql);
		sqlite3_free(sql);
		int trc = t ? sqlite3_step(t) : sqlite3_errcode(st->db);
		sqlite3_finalize(t);
		if (trc != SQLITE_ROW && trc != SQLITE_DONE) {
			rc = trc;
			break;
		}
	}
	sqlite3_finalize(q);
	if (!q || rc != SQLITE_DONE) {
		strbuf_addf(err, "kho dữ liệu %s đã hỏng hoặc không đọc được (%s); hãy khôi phục tệp"
			    " từ bản sao lưu", st->path, sqlite3_errstr(q ? rc : sqlite3_errcode(st->db)));
		return -1;
	}
	if (tables && (ours != 2 || version == 0)) {
		strbuf_addf(err, "tệp %s không phải kho dữ liệu motcua (thiếu bảng của kho)", st->path);
		return -1;
	}
	return 0;
}

int store_open(struct store *st, const char *path, unsigned flags, struct strbuf *err)
{
	char *own = xstrdup(path);
	if (flags & STORE_HAVE_LOCK)
		free(st->path);
	else
		st->lock_fd = -1;
	st->db = NULL;
	st->path = own;
	st->encrypted = false;
	path = own;

	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (!exists && !(flags & STORE_CREATE)) {
		strbuf_addf(err, "chưa có kho dữ liệu %s; hãy chạy: motcua init --db %s", path, path);
		goto fail;
	}
	if (!exists) {
		char *copy = xstrdup(path);
		int rc = mkdir_p(dirname(copy));
		free(copy);
		if (rc) {
			strbuf_addf(err, "không tạo được thư mục cho %s: %s", path, strerror(errno));
			goto fail;
		}
		/* SQLite gives the -wal and -shm the mode of the database: its
		 * owner's only, from the start */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	if ((flags & STORE_EXCLUSIVE) && st->lock_fd < 0 && take_lock(st, path, err))
		goto fail;

	store_sqlite_init();
	fault_path(path);
	if (keyring_is_encrypted(path)) {
		if (!keyring_unlocked(path) && !unlock_hook) {
			strbuf_addf(err, "kho dữ liệu %s đã được mã hóa: cần mật khẩu của một cán bộ để"
				    " mở", path);
			goto fail;
		}
		if (!keyring_unlocked(path) && unlock_hook(path, err))
			goto fail;
		st->encrypted = true;
	}
	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
					      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, CRYPTVFS_NAME);
	if (rc != SQLITE_OK) {
		strbuf_addf(err, "không mở được kho dữ liệu %s: %s", path, store_errmsg_vn(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	supervision_sql_functions(st->db);
	/* A damaged or foreign file is refused here, before anything is written
	 * to it (the journal mode, a migration). */
	if (probe(st, err))
		goto fail;
	if (!(flags & STORE_READONLY) && sqlite3_db_readonly(st->db, "main") != 1) {
		/* WAL: readers never block the writer; one transaction per action. */
		if (store_exec(st, "PRAGMA journal_mode=WAL", err))
			goto fail;
	}
	if (store_exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", err))
		goto fail;
	/* Memory, chosen (docs/PERFORMANCE.md, "Memory and start-up"): a 2 MiB
	 * page cache (SQLite's default, said here so that it stays one) holds
	 * every index page a screen walks for its page of rows, and no mmap: the
	 * pages of a 1.5 GB store read through a map would count in the
	 * process's RSS, and the encrypting VFS reads through xRead anyway. */
	if (store_exec(st, "PRAGMA cache_size=-2048; PRAGMA mmap_size=0;", err))
		goto fail;
	if ((flags & STORE_READONLY) && upgrade_first(st, flags, err))
		goto fail;
	if (migrate(st, err))
		goto fail;
	tighten(path);
	return 0;
fail:
	if (store_damaged(NULL)) { /* one message for a damaged file, whatever step met it */
		strbuf_reset(err);
		store_damaged(err);
	}
	store_close(st);
	return -1;
}

int store_upgrade(struct store *st, struct strbuf *err)
{
	return migrate(st, err);
}

void store_close(struct store *st)
{
	if (st->db)
		sqlite3_close_v2(st->db);
	st->db = NULL;
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	st->lock_fd = -1;
	FREE(&st->path);
}

int store_exec(struct store *st, const char *sql, struct strbuf *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		if (err)
			strbuf_addf(err, "%s (%s)", store_errmsg_vn(rc), msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

char *store_col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? xstrdup((const char *)t) : NULL;
}

char *store_col_nonempty(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t && *t ? xstrdup((const char *)t) : NULL;
}

char *store_col_str(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return xstrdup(t ? (const char *)t : "");
}

void store_col_copy(sqlite3_stmt *q, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

void store_bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

void store_bind_nonempty(sqlite3_stmt *q, int i, const char *s)
{
	store_bind_text(q, i, s && *s ? s : NULL);
}

sqlite3_stmt *store_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK) {
		char *detail = xasprintf("%s; câu lệnh: %.120s", sqlite3_errmsg(st->db), sql);
		fault_record(rc, detail);
		free(detail);
		sqlite3_finalize(q);
		q = NULL;
	}
	return q;
}

int store_begin(struct store *st, struct strbuf *err)
{
	if (store_damaged(err))
		return -1; /* nothing more is written to a damaged store */
	return store_exec(st, "BEGIN IMMEDIATE", err);
}

int store_commit(struct store *st, struct strbuf *err)
{
	if (store_exec(st, "COMMIT", err)) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

char *store_get_setting(struct store *st, const char *key)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT value FROM settings WHERE key = ?");
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	char *v = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return v;
}

int store_set_setting(struct store *st, const char *key, const char *value, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO settings(key, value) VALUES (?, ?)"
					    " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	if (err)
		strbuf_addf(err, "không ghi được thiết lập %s: %s", key,
			    store_errmsg_vn(q ? sqlite3_extended_errcode(st->db) : rc));
	return -1;
}

void store_uuid7(char buf[37])
{
	unsigned char b[16];
	struct timeval tv;
	gettimeofday(&tv, NULL);
	unsigned long long ms = (unsigned long long)tv.tv_sec * 1000 + (unsigned long long)tv.tv_usec / 1000;
	randombytes_buf(b, sizeof(b));
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (8 * (5 - i)));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	snprintf(buf, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
}
