/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reception of a dossier at the counter: the one piece of code behind both
 * the reception wizard (screens/reception.c) and `motcua receive`.
 *
 * The wizard checks each page as the clerk leaves it (reception_check_*),
 * shows the plan (appointment, missing components) on the summary page and
 * confirms with reception_commit. The CLI fills the whole input from JSON and
 * calls reception_commit, which runs every check again: both paths apply
 * exactly the same rules (docs/reception.md). */
#ifndef MC_RECEPTION_H
#define MC_RECEPTION_H
#include <stdbool.h>
#include <stddef.h>

#include "client/services/reception_receipt.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "core/dcode.h"
#include "core/fee.h"

#define RECEPTION_NAME_MAX 100    /* characters of a full name */
#define RECEPTION_TEXT_MAX 500    /* characters of an address, reason or note */
#define RECEPTION_COUNT_MAX 99    /* papers of one component */

struct reception_applicant {
	char *full_name;  /* required; letters, spaces, ' . - */
	char *id_number;  /* CCCD, 12 digits; required */
	char *birth_date; /* YYYY-MM-DD; required */
	char sex;         /* 'M' | 'F'; required */
	char *phone;      /* optional; 0xxxxxxxxx or +84..., spaces allowed */
	char *email;      /* optional */
	char *address;    /* street, village: free text, optional */
	char *commune;    /* 5-digit commune code of the address; required */
	/* the citizen agrees to be told of the dossier's steps (appointment,
	 * supplement asked, result ready) by SMS / e-mail: needs the phone /
	 * the e-mail address; the server sends (docs/notices.md) */
	bool consent_sms, consent_email;
};

/* A person beside the applicant: an organisation's representative, or the
 * second party of a procedure that has two (marriage registration). Name
 * and CCCD required; birth_date and sex optional (checked against the CCCD
 * when given); role: a representative's ("Giám đốc"), optional. */
struct reception_party {
	char *full_name;
	char *id_number;
	char *birth_date;
	char sex;
	char *address;
	char *role;
};

/* The applicant as an organisation: its name goes in applicant.full_name
 * (checked as free text), its address, commune, phone and email in the
 * applicant's; applicant.id_number, birth_date and sex are not used. */
struct reception_organisation {
	char *tax_code; /* core/idnum.h: mc_taxcode_check */
	struct reception_party representative;
};

struct reception_component {
	int id;                /* component seq within the procedure */
	int originals, copies; /* presented */
	/* "bản chính đối chiếu": the originals shown where the procedure asks
	 * for copies were compared, and the clerk copies them; they count for
	 * the copies asked */
	bool original_for_copy;
	char *override_reason; /* required when a mandatory one is missing */
	/* The id of one of the applicant's stored papers still valid
	 * (client/store/docstore.h) used for this component instead of a paper
	 * brought or scanned again, or NULL. It counts as presented; the commit
	 * attaches it (reused = 1) in the dossier's transaction, no file is
	 * written. */
	char *reuse;
};

/* The fee as the clerk records it (core/fee.h). status NULL: the default,
 * "collected" with the procedure's amount from the catalogue when it has
 * one, else nothing is recorded. amount: when has_amount, the clerk's;
 * otherwise the catalogue's (collected and later need one; exempt is 0). */
struct reception_fee {
	char *status;     /* "collected" | "exempt" | "later" | NULL */
	long long amount; /* đồng, valid when has_amount */
	bool has_amount;
	char *reason;     /* an exemption's: required for it, refused otherwise */
};

struct reception_input {
	char *procedure;   /* national code, e.g. "1.001193" */
	char *received_at; /* YYYY-MM-DDTHH:MM, NULL = now */
	/* YYYY-MM-DDTHH:MM typed by the clerk, only for a procedure whose
	 * processing time is unknown (procedures.time_unit NULL); refused for
	 * the others, whose appointment is computed. */
	char *appointment;
	struct reception_applicant applicant;
	struct reception_component *components; /* components not listed: none presented */
	size_t n_components;
	char *note;        /* optional */
	struct reception_fee fee;
	bool organisation; /* the applicant is an organisation: see org */
	struct reception_organisation org;
	bool has_second_party;
	struct reception_party second_party;
};

/* Which input a refusal is about, so the wizard can focus it. RF_STORE is a
 * fault of the store (full disk, read-only, busy): the CLI exits 1 for it and
 * 2 for every other field. */
enum reception_field {
	RF_NONE, RF_PROCEDURE, RF_RECEIVED_AT, RF_FULL_NAME, RF_ID_NUMBER, RF_BIRTH_DATE,
	RF_SEX, RF_PHONE, RF_EMAIL, RF_ADDRESS, RF_COMMUNE, RF_COMPONENTS, RF_APPOINTMENT,
	RF_NOTE, RF_FEE, RF_TAX_CODE, RF_REPRESENTATIVE, RF_SECOND_PARTY, RF_CLERK, RF_UNIT, RF_ITEMS, RF_STORE
};

struct reception_error {
	enum reception_field field;
	int component; /* component id for RF_COMPONENTS, else 0 */
	char msg[512]; /* Vietnamese, one sentence */
};

/* What a reception will produce, shown on the summary page. */
struct reception_plan {
	struct mc_dt received;    /* as given (or now) */
	struct mc_dt appointment; /* from the working-day calendar (or typed) */
	char time_text[64];       /* "5 ngày làm việc", "trong ngày", ... */
	int missing;              /* mandatory components not fully presented (overridden) */
	bool manual_appointment;  /* the procedure's time is unknown: typed by the clerk */
	/* the fee that will be recorded (MC_FEE_NONE: none, the catalogue has
	 * no amount and the clerk gave none) */
	enum mc_fee_status fee_status;
	long long fee_amount;
};

struct reception_result {
	char id[37];
	char code[MC_DCODE_MAX];
	struct mc_dt received;
	struct mc_dt appointment;
	char *receipt_path;  /* malloc'd; NULL if the PDF was not written */
	char *receipt_error; /* malloc'd; why the PDF could not be written */
	bool printed;
	char *print_error;   /* malloc'd; set when a configured printer refused */
};

void reception_input_init(struct reception_input *in);
void reception_input_release(struct reception_input *in);
void reception_party_release(struct reception_party *p);
void reception_result_init(struct reception_result *res);
void reception_result_release(struct reception_result *res);

/* Page checks. Return 0, or -1 with err filled (the first problem found).
 * procedure: the procedure exists (and, when its time is unknown, says so
 * only at the plan). applicant: every field of the applicant page; now
 * bounds the birth date. components: ids exist, counts 0..99, no id twice,
 * every mandatory component fully presented or given an override reason. */
int reception_check_procedure(struct store *st, const struct reception_input *in,
			      struct reception_error *err);
int reception_check_applicant(struct store *st, const struct reception_input *in,
			      const struct mc_dt *now, struct reception_error *err);
/* One field of the applicant page alone, as the wizard checks it when the
 * clerk leaves it (RF_FULL_NAME .. RF_COMMUNE; the CCCD by itself, not yet
 * against the birth date and sex). A blank field passes: the page's check
 * says what is missing. Returns 0, or -1 with err. */
int reception_check_field(struct store *st, const struct reception_input *in,
			  enum reception_field field, const struct mc_dt *now,
			  struct reception_error *err);
int reception_check_components(struct store *st, const struct reception_input *in,
			       struct reception_error *err);

/* Every error of the applicant page at once, for the wizard to list them
 * together when the clerk confirms: each field on its own in the page's
 * order (a required one blank says so), then what only the whole page says
 * (reception_check_applicant's refusal, when not one of those). Fills at
 * most max of errs; returns how many (0: the page passes). */
size_t reception_applicant_errors(struct store *st, const struct reception_input *in,
				  const struct mc_dt *now, struct reception_error *errs, size_t max);

/* The fee alone (RF_FEE): see struct reception_fee. On success, *status
 * and *amount are what will be recorded. */
int reception_check_fee(struct store *st, const struct reception_input *in,
			enum mc_fee_status *status, long long *amount, struct reception_error *err);

/* All checks (those above, the papers reused: known, the applicant's and
 * not expired on now's date; the fee; then the reception time and the
 * appointment), then the plan. */
int reception_plan(struct store *st, const struct reception_input *in, const struct mc_dt *now,
		   struct reception_plan *plan, struct reception_error *err);

enum reception_flags {
	/* no PDF, no printing here: demo data, benchmarks, or a caller that makes
	 * the receipt itself after the commit (the TUI, in a worker:
	 * client/services/reception_receipt.h) */
	RECEPTION_NO_RECEIPT = 1 << 0
};

/* Checks everything again, then in ONE transaction: issues the dossier code,
 * writes the dossier, its components, its fee (client/store/fees.h), a
 * 'receive' event and an outbox row (the fee travels in the dossier),
 * then attaches each paper reused (docstore_attach_reuse: an 'attach' event
 * and outbox row each).
 * After the commit, outside the transaction, it writes the receipt PDF
 * (receipt_dir/<code>.pdf) and sends it to the configured printer (setting
 * "printer"), unless RECEPTION_NO_RECEIPT. A failure before the commit
 * changes nothing; a failed PDF after it is reported in res and can be
 * redone with `motcua receipt`. Returns 0, or -1 with err (err.field RF_STORE
 * for a store fault).
 *
 * Outside a transaction it runs BEGIN IMMEDIATE ... COMMIT, so concurrent
 * receptions on one store are serialised and get distinct codes. Inside the
 * caller's transaction (e.g. `init --demo`) it uses a savepoint: the caller's
 * COMMIT makes it durable, and on failure only this reception is undone. */
int reception_commit(struct store *st, const struct reception_input *in, const char *clerk,
		     const struct mc_dt *now, struct reception_result *res,
		     struct reception_error *err);
int reception_commit_flags(struct store *st, const struct reception_input *in, const char *clerk,
			   const struct mc_dt *now, unsigned flags, struct reception_result *res,
			   struct reception_error *err);

/* A visit that ends without a received dossier (a refusal or a guidance
 * at the counter: client/services/visit.h): the procedure and the applicant
 * checked exactly as a reception checks them (the papers are not), the
 * note, the clerk and the workstation's unit. */
struct reception_person {
	char *procedure_code, *procedure_name, *unit_code;
	char *full_name, *id_number, *phone, *email, *address, *commune; /* cleaned; NULL if none */
	char birth_date[11];
	char sex;
	char *note;
};
void reception_person_release(struct reception_person *p);
/* 0 with p filled (release it), or -1 with err (p empty; RF_STORE: a fault). */
int reception_check_visit(struct store *st, const struct reception_input *in, const char *clerk,
			  const struct mc_dt *now, struct reception_person *p,
			  struct reception_error *err);

#endif
