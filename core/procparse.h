/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parsing one procedure of the National Public Service Portal as crawled into
 * data/procedures.jsonl (one JSON object per line). The crawl flattened the
 * portal's tables into run-on text ("Tên giấy tờMẫu đơn, tờ khaiSố lượng- …
 * 1 bản chính- …"); this module recovers the channels, processing time, fee,
 * components and legal basis. Whatever it cannot read confidently is kept as
 * text and flagged needs_review with a Vietnamese note: never dropped.
 * Pure (jansson + core/text), no I/O. See docs/import.md. */
#ifndef MC_PROCPARSE_H
#define MC_PROCPARSE_H
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

/* Processing time units (procedures.time_unit): NULL when unknown. */
#define MC_TIME_DAY "day"     /* working days */
#define MC_TIME_HOUR "hour"   /* working hours */
#define MC_TIME_INDAY "inday" /* within the day of reception */

enum mc_component_kind {
	MC_COMPONENT_SUBMIT, /* handed in and kept in the dossier */
	MC_COMPONENT_PRESENT /* shown (xuất trình), checked and handed back */
};

struct mc_channel {
	char *channel;     /* "Trực tiếp" | "Trực tuyến" | "Dịch vụ bưu chính" */
	char *time_text;   /* as written, e.g. "5 Ngày làm việc"; NULL if none */
	double time_value; /* valid when time_unit != NULL */
	const char *time_unit;
	char *fee_text;    /* e.g. "Miễn phí", "8,000 VNĐ (8.000 đồng/bản)"; NULL */
	long long fee_amount; /* VND, valid when has_fee_amount */
	bool has_fee_amount;
	char *description; /* NULL if none */
};

struct mc_component {
	char *grp;  /* "Giấy tờ phải nộp", "Giấy tờ phải xuất trình", ...; NULL */
	char *name; /* cleaned text of the paper, never NULL */
	char *form; /* form file (mẫu đơn, tờ khai) when the row names one; NULL */
	int originals, copies;
	enum mc_component_kind kind;
	bool mandatory;
	bool needs_review;
	char *raw; /* the row exactly as crawled */
};

struct mc_legal {
	char *name;   /* "Luật Hộ tịch ..." (may be NULL) */
	char *number; /* "60/2014/QH13" (may be NULL when not recognised) */
};

struct mc_procedure {
	char *code, *name, *field;
	char *level, *kind, *decision, *applicants, *agency; /* NULL if "no information" */
	char *steps, *conditions, *result, *url;
	char *legal_text; /* one line per document: "number\tname" (see mc_legal) */
	struct mc_legal *legal;
	size_t nlegal;
	struct mc_channel *channels;
	size_t nchannels;
	struct mc_component *components; /* id of components[i] is i + 1 */
	size_t ncomponents;
	/* The procedure's own time and fee: those of the in-person channel (the
	 * counter), else of the first channel. */
	char *time_text;
	double time_value;
	const char *time_unit; /* MC_TIME_*, NULL when unknown */
	char *fee_text;
	long long fee_amount;
	bool has_fee_amount;
	bool needs_review;
	struct strbuf notes; /* Vietnamese review notes, "; "-separated */
};

void mc_procedure_init(struct mc_procedure *p);
void mc_procedure_release(struct mc_procedure *p);

/* Parses one JSON line into p (which must be initialised). Returns 0, or -1
 * with a Vietnamese message in err when the line is not a JSON object or lacks
 * the code or the name (p is then released). Unparsed parts never fail: they
 * set needs_review and a note. */
int mc_procedure_parse(const char *line, struct mc_procedure *p, struct strbuf *err);

/* The pieces, exposed for tests and for re-parsing edited text. Each appends to
 * p and may flag it. */
void mc_parse_channels(struct mc_procedure *p, const char *text, const char *steps);
void mc_parse_components(struct mc_procedure *p, const char *text);
void mc_parse_legal(struct mc_procedure *p, const char *text);

/* Whether a paper described by name (in group grp, may be NULL) is mandatory at
 * the counter: conditional papers ("Trường hợp ...", "Nếu ...", "(nếu có)",
 * "... trong trường hợp ...") are not, unless the condition is the in-person
 * channel itself. */
bool mc_component_mandatory(const char *grp, const char *name);

/* "a paper to present" from its group label and name. */
enum mc_component_kind mc_component_kind_of(const char *grp, const char *name);

/* Whitespace collapsed (tabs, new lines, invisible marks), trimmed; malloc'd. */
char *mc_clean_text(const char *s, size_t n);

#endif
