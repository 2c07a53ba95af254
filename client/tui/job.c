/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Side effects on threads of their own: see job.h. */
#include "client/tui/job.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "core/xalloc.h"

struct job {
	pthread_t thread;
	struct app *app;
	app_job_fn *run;
	app_event_fn *done;
	void *data;
};

/* Main thread: the job's thread has posted its last event. */
static void job_ended(struct app *app, void *arg)
{
	struct job *j = arg;
	pthread_join(j->thread, NULL);
	app->jobs--;
	app_busy_end(app);
	j->done(app, j->data);
	free(j);
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	j->run(j->app, j->data);
	/* Fails only once the event pipe is closed, which app_release does
	 * after app_jobs_finish: not while a job runs. */
	app_post_event(j->app, job_ended, j);
	return NULL;
}

int app_job_start(struct app *app, app_job_fn *run, app_event_fn *done, void *data)
{
	struct job *j = xmalloc(sizeof(*j));
	*j = (struct job){ .app = app, .run = run, .done = done, .data = data };
	/* the new thread inherits the mask: block everything while creating it */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&j->thread, NULL, job_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		free(j);
		errno = rc;
		return -1;
	}
	app->jobs++;
	app_busy_begin(app);
	return 0;
}

void app_jobs_finish(struct app *app)
{
	while (app->jobs && app->event_pipe[0] >= 0) {
		struct pollfd p = { .fd = app->event_pipe[0], .events = POLLIN };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return;
		app_run_events(app);
	}
}
