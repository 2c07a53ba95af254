/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Online dossiers (docs/portal.md "At the counter"): the dossiers citizens
 * submitted on the National Public Service Portal for this workstation's
 * unit, waiting to be received, the oldest first, with the procedure, the
 * applicant, how long each has waited and its papers (fetched by the sync:
 * Tab goes to them, Enter or o opens one with the desktop's viewer). a
 * accepts the selected dossier (its code and appointment are given now),
 * s asks for a supplement (the papers, then an optional reason: form 02's
 * content, sent back through the portal), r refuses it (the reasons:
 * form 03's). Everything goes through client/services/online.h, exactly as
 * `motcua online` does, and syncs like any other action. Read when the
 * screen opens and whenever it is on top again or an action was done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/base/clock.h"
#include "client/base/files.h"
#include "client/services/online.h"
#include "client/store/online.h"
#include "client/tui/app.h"
#include "client/tui/dialog.h"
#include "client/tui/listview.h"
#include "client/tui/menu.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "screens/screens.h"

enum mode { M_LIST, M_ACCEPT, M_PAPERS, M_REASON, M_REFUSE };

struct online {
	struct app *app;
	struct online_dossier *items;
	size_t n;
	struct listview list;   /* the dossiers (the screen draws the rows) */
	struct listview papers; /* the selected dossier's papers */
	bool on_papers;         /* Tab: the papers have the moves */
	enum mode mode;
	struct dialog dlg;
	char *code;             /* the dossier a dialog is about */
	char *papers_text;      /* the supplement's papers, while its reason is asked */
};

static const struct online_dossier *selected(const struct online *s)
{
	return s->n ? &s->items[s->list.selected] : NULL;
}

/* Reads the list again, keeping the selection on the same dossier. */
static void reload(struct online *s)
{
	const struct online_dossier *d = selected(s);
	char *keep = d ? xstrdup(d->code) : NULL;
	online_list_free(s->items, s->n);
	s->items = NULL;
	s->n = 0;
	int rc = online_list(&s->app->store, s->app->unit_code, &s->items, &s->n);
	if (rc != SQLITE_OK)
		app_error(s->app, "Không đọc được hồ sơ trực tuyến: %s", store_errmsg_vn(rc));
	listview_set_count(&s->list, s->n);
	for (size_t i = 0; keep && i < s->n; i++)
		if (!strcmp(s->items[i].code, keep))
			listview_select(&s->list, i);
	free(keep);
	d = selected(s);
	listview_set_count(&s->papers, d ? d->npapers : 0);
	if (!d || !d->npapers)
		s->on_papers = false;
}

static int online_open(struct app *app, void *priv, const void *arg)
{
	(void)arg;
	struct online *s = priv;
	s->app = app;
	listview_init(&s->list, NULL, NULL);
	listview_init(&s->papers, NULL, NULL);
	reload(s);
	return 0;
}

static void online_resume(struct app *app, void *priv)
{
	(void)app;
	reload(priv);
}

static void flow_end(struct online *s)
{
	if (s->mode != M_LIST)
		dialog_release(&s->dlg);
	s->mode = M_LIST;
	FREE(&s->code);
	FREE(&s->papers_text);
}

static void online_done(struct app *app, void *priv)
{
	(void)app;
	struct online *s = priv;
	flow_end(s);
	online_list_free(s->items, s->n);
	listview_release(&s->list);
	listview_release(&s->papers);
}

/* ---- the actions ---------------------------------------------------------------- */

static int start(struct online *s, enum mode m)
{
	const struct online_dossier *d = selected(s);
	if (!d) {
		app_info(s->app, "Không có hồ sơ trực tuyến nào chờ tiếp nhận");
		return SCR_HANDLED;
	}
	s->code = xstrdup(d->code);
	s->mode = m;
	char *msg;
	switch (m) {
	case M_ACCEPT:
		msg = xasprintf("Tiếp nhận hồ sơ trực tuyến %s của %s? Hồ sơ được cấp mã và ngày hẹn trả"
				" tính từ bây giờ; Cổng Dịch vụ công được báo ở lần đồng bộ tới.",
				d->code, d->applicant_name ? d->applicant_name : "");
		dialog_init_confirm(&s->dlg, "Tiếp nhận hồ sơ trực tuyến", msg, true);
		break;
	case M_PAPERS:
		msg = xasprintf("Giấy tờ công dân cần bổ sung cho hồ sơ %s (nhiều giấy tờ cách nhau bởi"
				" dấu ;). Nội dung mẫu 02 được gửi cho công dân qua Cổng.", d->code);
		dialog_init_prompt(&s->dlg, "Yêu cầu bổ sung", msg, 500, true);
		break;
	default:
		msg = xasprintf("Lý do từ chối hồ sơ %s (nhiều lý do cách nhau bởi dấu ;). Nội dung mẫu"
				" 03 được gửi cho công dân qua Cổng.", d->code);
		dialog_init_prompt(&s->dlg, "Từ chối hồ sơ trực tuyến", msg, 500, true);
		break;
	}
	free(msg);
	return SCR_HANDLED;
}

static int do_accept(struct app *app, void *priv, int id)
{
	return start(priv, M_ACCEPT);
}

static int do_supplement(struct app *app, void *priv, int id)
{
	return start(priv, M_PAPERS);
}

static int do_refuse(struct app *app, void *priv, int id)
{
	return start(priv, M_REFUSE);
}

static int do_open(struct app *app, void *priv, int id)
{
	struct online *s = priv;
	const struct online_dossier *d = selected(s);
	if (!d || !d->npapers) {
		app_info(app, "Hồ sơ không có giấy tờ nào");
		return SCR_HANDLED;
	}
	const struct online_paper *p = &d->papers[s->papers.selected];
	if (!p->path) {
		app_error(app, "Giấy tờ «%s» chưa được tải về máy: đồng bộ (F5) để tải",
			  p->name ? p->name : "");
		return SCR_HANDLED;
	}
	struct strbuf err = STRBUF_INIT;
	const char *viewer = NULL;
	if (files_open(p->path, &viewer, &err))
		app_error(app, "Không mở được giấy tờ: %s", err.buf);
	else
		app_info(app, "Đã mở «%s» bằng %s", p->name ? p->name : "", viewer);
	strbuf_release(&err);
	return SCR_HANDLED;
}

/* What the screen's keys do, shown at its foot. */
static const struct menu_item keys_menu[] = {
	{ .action = ACTION_ACCEPT_ONLINE, .label = "tiếp nhận", .run = do_accept },
	{ .action = ACTION_ASK_SUPPLEMENT, .label = "yêu cầu bổ sung", .run = do_supplement },
	{ .action = ACTION_REFUSE_ONLINE, .label = "từ chối", .run = do_refuse },
	{ .action = ACTION_OPEN_PAPER, .label = "mở giấy tờ", .run = do_open },
};
#define N_KEYS (sizeof(keys_menu) / sizeof(keys_menu[0]))

/* Runs the action the dialogs asked for. */
static void commit(struct online *s, char *answer)
{
	struct mc_dt now;
	struct strbuf err = STRBUF_INIT;
	struct online_result res;
	int rc = ONLINE_REFUSED;
	const char *clerk = s->app->clerk.username;
	if (clock_now(&now)) {
		strbuf_addstr(&err, "Đồng hồ của máy không hợp lệ");
	} else if (s->mode == M_ACCEPT) {
		rc = online_accept(&s->app->store, s->code, clerk, &now, &res, &err);
	} else if (s->mode == M_REASON) {
		rc = online_supplement(&s->app->store, s->code, s->papers_text, answer, clerk, &now, &res,
				       &err);
	} else {
		rc = online_refuse(&s->app->store, s->code, answer, clerk, &now, &res, &err);
	}
	if (rc) {
		app_error(s->app, "%s", err.buf);
	} else if (s->mode == M_ACCEPT) {
		char due[16];
		struct mc_dt t;
		mc_parse_dt(res.appointment, &t);
		mc_format_date_vn(due, sizeof due, t.y, t.m, t.d);
		app_info(s->app, "Đã tiếp nhận: mã hồ sơ %s, hẹn trả %.5s %s%s", res.code,
			 res.appointment + 11, due, res.code_review ? " (mã cần rà soát)" : "");
	} else {
		app_info(s->app, "Đã %s hồ sơ %s (Cổng được báo khi đồng bộ)",
			 s->mode == M_REASON ? "yêu cầu bổ sung" : "từ chối", res.code);
	}
	strbuf_release(&err);
	flow_end(s);
	reload(s);
}

static int handle_dialog(struct online *s, const struct key_event *ev)
{
	enum widget_rc rc = dialog_key(&s->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_CANCEL) {
		flow_end(s);
	} else if (rc == WIDGET_DONE && s->mode == M_PAPERS) {
		s->papers_text = dialog_value(&s->dlg);
		dialog_release(&s->dlg);
		dialog_init_prompt(&s->dlg, "Yêu cầu bổ sung", "Lý do (không bắt buộc; Enter để bỏ qua)",
				   500, false);
		s->mode = M_REASON;
	} else if (rc == WIDGET_DONE) {
		char *answer = s->mode == M_ACCEPT ? NULL : dialog_value(&s->dlg);
		commit(s, answer);
		free(answer);
	}
	return SCR_HANDLED;
}

static int online_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct online *s = priv;
	if (s->mode != M_LIST) {
		if (act == ACTION_QUIT)
			return SCR_IGNORED;
		return handle_dialog(s, ev);
	}
	switch (act) {
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD: {
		const struct online_dossier *d = selected(s);
		s->on_papers = !s->on_papers && d && d->npapers;
		return SCR_HANDLED;
	}
	case ACTION_CONFIRM:
		if (s->on_papers)
			return do_open(app, s, 0);
		if (selected(s) && selected(s)->npapers)
			s->on_papers = true;
		return SCR_HANDLED;
	default: {
		int rc = menu_run(app, s, keys_menu, N_KEYS, act);
		return rc ? rc : SCR_IGNORED;
	}
	}
}

static struct listview *online_list_of(struct app *app, void *priv, enum action act)
{
	struct online *s = priv;
	return s->on_papers ? &s->papers : &s->list;
}

static void online_moved(struct app *app, void *priv, struct listview *lv)
{
	struct online *s = priv;
	if (lv != &s->list)
		return;
	const struct online_dossier *d = selected(s);
	listview_set_count(&s->papers, d ? d->npapers : 0);
	listview_home(&s->papers);
}

/* ---- drawing ---------------------------------------------------------------------- */

static void short_time(char *buf, size_t n, const char *at)
{
	/* "YYYY-MM-DDTHH:MM" -> "HH:MM DD/MM/YYYY" */
	if (strlen(at) < 16)
		snprintf(buf, n, "%s", at);
	else
		snprintf(buf, n, "%.5s %.2s/%.2s/%.4s", at + 11, at + 8, at + 5, at);
}

static void label_value(WINDOW *win, int y, int x, int w, const char *label, const char *value)
{
	wattrset(win, term_style(STYLE_DIM));
	int lw = term_text(win, y, x, w, label);
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y, x + lw, w - lw, value ? value : "");
}

static void draw_detail(struct online *s, WINDOW *win, int y, int x, int w, int h,
			const struct mc_dt *now)
{
	const struct online_dossier *d = selected(s);
	if (!d || h < 5)
		return;
	char buf[512], when[32], waiting[64];
	snprintf(buf, sizeof buf, "%s %s", d->procedure_code ? d->procedure_code : "",
		 d->procedure_name ? d->procedure_name : "");
	label_value(win, y, x, w, "Thủ tục: ", buf);
	snprintf(buf, sizeof buf, "%s%s%s%s%s", d->applicant_name ? d->applicant_name : "",
		 d->id_number ? " · " : "", d->id_number ? d->id_number : "", d->phone ? " · " : "",
		 d->phone ? d->phone : "");
	label_value(win, y + 1, x, w, "Người nộp: ", buf);
	short_time(when, sizeof when, d->submitted_at);
	online_waiting_text(d->submitted_at, now, waiting, sizeof waiting);
	const char *st = mc_status_name(d->status);
	if (d->status == MC_ST_SUPPLEMENT)
		st = d->supplemented ? "Đã bổ sung trên Cổng, chờ tiếp nhận" : "Chờ công dân bổ sung";
	snprintf(buf, sizeof buf, "%s (chờ %s) · %s", when, waiting, st ? st : "");
	label_value(win, y + 2, x, w, "Nộp lúc: ", buf);
	snprintf(buf, sizeof buf, "Giấy tờ (%zu, đã tải %zu)%s", d->npapers, d->nhere,
		 s->on_papers ? " · Enter: mở" : " · Tab: chọn giấy tờ");
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y + 3, x, w, buf);
	wattrset(win, term_style(STYLE_NORMAL));
	int rows = h - 4;
	listview_set_height(&s->papers, rows);
	for (int r = 0; r < rows && s->papers.top + (size_t)r < d->npapers; r++) {
		size_t i = s->papers.top + (size_t)r;
		const struct online_paper *p = &d->papers[i];
		bool sel = s->on_papers && i == s->papers.selected;
		wattrset(win, term_style(sel ? STYLE_SELECTED : STYLE_NORMAL));
		if (sel)
			term_blank(win, y + 4 + r, x, w);
		char size[32];
		snprintf(size, sizeof size, "%lld KB", (p->bytes + 1023) / 1024);
		snprintf(buf, sizeof buf, "%2d. %s", p->seq, p->name ? p->name : "");
		term_text(win, y + 4 + r, x, w - 22, buf);
		term_text(win, y + 4 + r, x + w - 21, 8, size);
		term_text(win, y + 4 + r, x + w - 12, 12, p->path ? "đã tải về" : "chưa tải về");
	}
	wattrset(win, term_style(STYLE_NORMAL));
}

static void online_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct online *s = priv;
	int x = body->x + 1, w = body->w - 2, y = body->y;
	struct mc_dt now;
	if (clock_now(&now))
		memset(&now, 0, sizeof now);
	char buf[256];
	wattrset(win, term_style(STYLE_HEADER));
	snprintf(buf, sizeof buf, "Hồ sơ nộp trực tuyến chờ tiếp nhận: %zu · %s", s->n,
		 app->unit_name ? app->unit_name : "");
	term_text(win, y, x, w, buf);
	/* columns: code 25, applicant 16, procedure (the rest), waiting 14, papers 5 */
	int cw = w - 25 - 16 - 14 - 5 - 4;
	if (cw < 8)
		cw = 8;
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y + 1, x, 25, "Mã hồ sơ trên Cổng");
	term_text(win, y + 1, x + 26, 16, "Người nộp");
	term_text(win, y + 1, x + 43, cw, "Thủ tục");
	term_text(win, y + 1, x + 44 + cw, 14, "Đã chờ");
	term_text(win, y + 1, x + 59 + cw, 5, "Giấy");
	wattrset(win, term_style(STYLE_NORMAL));
	int list_h = (body->h - 3) / 2 - 1;
	if (list_h < 2)
		list_h = 2;
	listview_set_height(&s->list, list_h);
	if (!s->n)
		term_text(win, y + 2, x, w, "(không có hồ sơ nào; hồ sơ mới đến sau mỗi lần đồng bộ)");
	for (int r = 0; r < list_h && s->list.top + (size_t)r < s->n; r++) {
		size_t i = s->list.top + (size_t)r;
		const struct online_dossier *d = &s->items[i];
		bool sel = i == s->list.selected;
		wattrset(win, term_style(sel ? (s->on_papers ? STYLE_HEADER : STYLE_SELECTED) : STYLE_NORMAL));
		if (sel)
			term_blank(win, y + 2 + r, x, w);
		char waiting[64], papers[16];
		online_waiting_text(d->submitted_at, &now, waiting, sizeof waiting);
		snprintf(papers, sizeof papers, "%zu/%zu", d->nhere, d->npapers);
		term_text(win, y + 2 + r, x, 25, d->code);
		term_text(win, y + 2 + r, x + 26, 16, d->applicant_name ? d->applicant_name : "");
		term_text(win, y + 2 + r, x + 43, cw, d->procedure_name ? d->procedure_name : "");
		term_text(win, y + 2 + r, x + 44 + cw, 14, waiting);
		term_text(win, y + 2 + r, x + 59 + cw, 5, papers);
	}
	wattrset(win, term_style(STYLE_NORMAL));
	int dy = y + 3 + list_h;
	draw_detail(s, win, dy, x, w, body->h - (dy - body->y) - 1, &now);
	wattrset(win, term_style(STYLE_DIM));
	char *keys = menu_legend(&app->keymap, KEYMAP_ONLINE, keys_menu, N_KEYS, "%s %s", " · ");
	term_text(win, y + body->h - 1, x, w, keys);
	free(keys);
	wattrset(win, term_style(STYLE_NORMAL));
	if (s->mode != M_LIST) {
		dialog_draw(&s->dlg, win);
		if (s->mode == M_ACCEPT) {
			app->cursor_shown = false;
		} else {
			int cy, cx;
			getyx(win, cy, cx);
			app_set_cursor(app, cy, cx);
		}
	}
}

static const enum action online_hints[] = { ACTION_ACCEPT_ONLINE, ACTION_ASK_SUPPLEMENT,
					    ACTION_REFUSE_ONLINE, ACTION_BACK, ACTION_NONE };

const struct screen_ops online_screen = {
	.name = "online",
	.title = "Hồ sơ trực tuyến",
	.keymap = "online",
	.fields = true,
	.private_size = sizeof(struct online),
	.hints = online_hints,
	.open = online_open,
	.resume = online_resume,
	.draw = online_draw,
	.handle = online_handle,
	.list = online_list_of,
	.moved = online_moved,
	.done = online_done,
};
