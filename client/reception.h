/* Reception of a dossier at the counter: the one piece of code behind both
 * the reception wizard (screens/reception.c) and `motcua receive`.
 *
 * The wizard checks each page as the clerk leaves it (reception_check_*),
 * shows the plan (appointment, missing components) on the summary page and
 * confirms with reception_commit. The CLI fills the whole input from JSON and
 * calls reception_commit, which runs every check again: both paths apply
 * exactly the same rules. */
#ifndef MC_RECEPTION_H
#define MC_RECEPTION_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store.h"
#include "core/datetime.h"
#include "core/dcode.h"

struct reception_applicant {
	char *full_name;  /* required */
	char *id_number;  /* CCCD, 12 digits; required for citizens */
	char *birth_date; /* YYYY-MM-DD; required */
	char sex;         /* 'M' | 'F'; required */
	char *phone;      /* optional; digits, +, spaces */
	char *email;      /* optional */
	char *address;    /* street, village: free text */
	char *commune;    /* 5-digit commune code of the address; required */
};

struct reception_component {
	int id;                /* component seq within the procedure */
	int originals, copies; /* presented */
	char *override_reason; /* required when a mandatory one is missing */
};

struct reception_input {
	char *procedure;   /* national code, e.g. "1.001193" */
	char *received_at; /* YYYY-MM-DDTHH:MM, NULL = now */
	struct reception_applicant applicant;
	struct reception_component *components;
	size_t n_components;
	char *note;
};

/* Which input a refusal is about, so the wizard can focus it. */
enum reception_field {
	RF_NONE, RF_PROCEDURE, RF_RECEIVED_AT, RF_FULL_NAME, RF_ID_NUMBER, RF_BIRTH_DATE,
	RF_SEX, RF_PHONE, RF_EMAIL, RF_ADDRESS, RF_COMMUNE, RF_COMPONENTS, RF_STORE
};

struct reception_error {
	enum reception_field field;
	int component; /* component id for RF_COMPONENTS, else 0 */
	char msg[512]; /* Vietnamese, one sentence */
};

/* What a reception will produce, shown on the summary page. */
struct reception_plan {
	struct mc_dt received;    /* as given (or now) */
	struct mc_dt appointment; /* from the working-day calendar */
	char time_text[64];       /* "5 ngày làm việc", "Trong ngày", ... */
	int missing;              /* mandatory components not presented */
};

struct reception_result {
	char id[37];
	char code[MC_DCODE_MAX];
	struct mc_dt appointment;
	char *receipt_path; /* malloc'd; NULL if the PDF could not be written */
	bool printed;
};

void reception_input_init(struct reception_input *in);
void reception_input_release(struct reception_input *in);
void reception_result_release(struct reception_result *res);

/* Page checks. Return 0, or -1 with err filled. */
int reception_check_procedure(struct store *st, const struct reception_input *in,
			      struct reception_error *err);
int reception_check_applicant(struct store *st, const struct reception_input *in,
			      const struct mc_dt *now, struct reception_error *err);
int reception_check_components(struct store *st, const struct reception_input *in,
			       struct reception_error *err);

/* All checks, then the plan. */
int reception_plan(struct store *st, const struct reception_input *in, const struct mc_dt *now,
		   struct reception_plan *plan, struct reception_error *err);

/* Checks everything again, then in ONE transaction: issues the dossier code,
 * writes the dossier, its components, a 'receive' event and an outbox row.
 * After the commit it writes the receipt PDF (receipt_dir/<code>.pdf) and sends
 * it to the configured printer (setting "printer"). A failure before the
 * commit changes nothing; a failed PDF after it is reported in res and can be
 * redone with `motcua receipt`. */
int reception_commit(struct store *st, const struct reception_input *in, const char *clerk,
		     const struct mc_dt *now, struct reception_result *res,
		     struct reception_error *err);

/* Writes the receipt PDF of an existing dossier (form 01). */
int reception_write_receipt(struct store *st, const char *code, const char *path,
			    struct strbuf *err);

/* The folder for receipts next to the store: <dir of db>/receipts. */
char *reception_receipt_dir(struct store *st);

#endif
