/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's event queue: workers on other threads post, the main thread runs
 * the callbacks; no curses involved. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include "client/tui/app.h"

#define THREADS 4
#define PER_THREAD 500

struct tally {
	int per_thread[THREADS];
	int total;
};

struct worker {
	struct app *app;
	struct tally *tally;
	int id;
};

static void count_event(struct app *app, void *data)
{
	struct worker *w = data;
	w->tally->per_thread[w->id]++;
	w->tally->total++;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < PER_THREAD; i++)
		if (app_post_event(w->app, count_event, w))
			return (void *)1;
	return NULL;
}

static void test_threads(void **state)
{
	struct app app;
	memset(&app, 0, sizeof(app));
	assert_int_equal(app_events_init(&app), 0);
	assert_int_equal(app_run_events(&app), 0); /* nothing queued: no blocking */

	struct tally tally = { { 0 }, 0 };
	struct worker w[THREADS];
	pthread_t th[THREADS];
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ &app, &tally, i };
		app_busy_begin(&app);
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	assert_int_equal(app.busy, THREADS);
	/* the loop's way: wait on the pipe, run what came (the pipe may fill up
	 * and block the writers until we read) */
	while (tally.total < THREADS * PER_THREAD) {
		struct pollfd p = { .fd = app.event_pipe[0], .events = POLLIN };
		assert_int_equal(poll(&p, 1, -1), 1);
		assert_true(app_run_events(&app) > 0);
	}
	for (int i = 0; i < THREADS; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		assert_null(ret);
		app_busy_end(&app);
		assert_int_equal(tally.per_thread[i], PER_THREAD);
	}
	assert_int_equal(app.busy, 0);
	app_busy_end(&app); /* never below zero */
	assert_int_equal(app.busy, 0);
	assert_int_equal(app_run_events(&app), 0);
	app_events_release(&app);
	assert_int_equal(app.event_pipe[0], -1);
}

TESTS_MAIN(test_threads)
