/* SPDX-License-Identifier: GPL-3.0-or-later */
/* slowproxy: a TCP proxy that makes a poor link for the sync tests.
 *
 *   slowproxy --target HOST:PORT [--listen PORT] [--rate-up B/S] [--rate-down B/S]
 *             [--latency-ms N] [--cut-prob P] [--first-cut-after BYTES]
 *             [--max-cuts N] [--stall-ms N] [--seed N]
 *
 * Listens on 127.0.0.1 (port 0: a free one, said on stderr as "slowproxy:
 * listening on 127.0.0.1:PORT") and forwards every connection to the target.
 * Each direction is one link shared by all connections: a byte leaves no
 * sooner than --latency-ms after it arrived, and the link carries at most
 * --rate-up (client to server) or --rate-down bytes per second (0: no
 * limit). Loss is emulated by cutting connections (RST both ways): the
 * first one once --first-cut-after bytes went up, then each forwarded KiB
 * with probability --cut-prob, at most --max-cuts in all; every cut is
 * logged on stderr ("slowproxy: cut ..."). With --stall-ms the link first
 * goes dead for that long (nothing more forwarded either way, what the proxy
 * still queued is lost) and is then reset, as when a cable is pulled: what
 * reached the peers' kernels is still read by them. Bytes up are counted as
 * they are handed to the server's socket; the total is said at the end
 * ("slowproxy: N cuts, M bytes up", after "slowproxy: K bytes down": bench/sync.sh
 * counts bytes on the wire with them). Single-threaded, poll(2). Stops on
 * SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 1024
#define MAX_CONNS 64
#define QUEUE_MAX 256 /* chunks queued per direction before reading stops */

struct chunk {
	struct chunk *next;
	double release; /* not before this time */
	size_t len, off;
	char data[CHUNK];
};

struct dir {
	int from, to;
	struct chunk *head, *tail;
	size_t queued;
	bool eof, shut;
};

struct conn {
	bool used;
	int id;
	double dead_until; /* > 0: the link is dead, reset at that time */
	struct dir d[2]; /* 0: up (client to server), 1: down */
};

static struct {
	struct sockaddr_in target;
	double rate[2], latency;
	double cut_prob, stall;
	unsigned long long first_cut_after, up_bytes, down_bytes;
	int max_cuts, cuts;
	bool first_cut_done;
	unsigned long long rng;
} cfg;

static double link_free[2];
static struct conn conns[MAX_CONNS];
static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64*: reproducible with --seed */
static double uniform(void)
{
	cfg.rng ^= cfg.rng >> 12;
	cfg.rng ^= cfg.rng << 25;
	cfg.rng ^= cfg.rng >> 27;
	return (double)((cfg.rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void hard_close(int fd)
{
	if (fd < 0)
		return;
	struct linger l = { 1, 0 }; /* RST: the peer sees a cut, not an end */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static void drop_queue(struct dir *d)
{
	while (d->head) {
		struct chunk *c = d->head;
		d->head = c->next;
		free(c);
	}
	d->tail = NULL;
	d->queued = 0;
}

static void conn_close(struct conn *c, bool cut)
{
	int a = c->d[0].from, b = c->d[0].to;
	drop_queue(&c->d[0]);
	drop_queue(&c->d[1]);
	if (cut) {
		hard_close(a);
		hard_close(b);
	} else {
		close(a);
		close(b);
	}
	c->used = false;
}

static void accept_one(int lfd)
{
	static int next_id;
	int cfd = accept(lfd, NULL, NULL);
	if (cfd < 0)
		return;
	int sfd = socket(AF_INET, SOCK_STREAM, 0);
	if (sfd < 0 || connect(sfd, (struct sockaddr *)&cfg.target, sizeof(cfg.target))) {
		fprintf(stderr, "slowproxy: target refused: %s\n", strerror(errno));
		if (sfd >= 0)
			close(sfd);
		hard_close(cfd);
		return;
	}
	int one = 1;
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	nonblock(cfd);
	nonblock(sfd);
	for (int i = 0; i < MAX_CONNS; i++) {
		if (conns[i].used)
			continue;
		struct conn *c = &conns[i];
		memset(c, 0, sizeof(*c));
		c->used = true;
		c->id = ++next_id;
		c->d[0] = (struct dir){ .from = cfd, .to = sfd };
		c->d[1] = (struct dir){ .from = sfd, .to = cfd };
		return;
	}
	fprintf(stderr, "slowproxy: too many connections\n");
	close(sfd);
	hard_close(cfd);
}

/* Reads what is there into the queue; false when the connection failed. */
static bool read_dir(struct dir *d)
{
	struct chunk *c = malloc(sizeof(*c));
	if (!c)
		abort();
	ssize_t n = read(d->from, c->data, CHUNK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		free(c);
		return true;
	}
	if (n <= 0) {
		free(c);
		if (n < 0)
			return false;
		d->eof = true;
		return true;
	}
	c->next = NULL;
	c->len = (size_t)n;
	c->off = 0;
	c->release = now() + cfg.latency;
	if (d->tail)
		d->tail->next = c;
	else
		d->head = c;
	d->tail = c;
	d->queued++;
	return true;
}

/* When the head chunk may leave; 0 when the queue is empty. */
static double ready_at(const struct dir *d, int which)
{
	if (!d->head)
		return 0;
	double t = d->head->release;
	return link_free[which] > t ? link_free[which] : t;
}

static bool should_cut(size_t n, int which)
{
	if (cfg.cuts >= cfg.max_cuts)
		return false;
	if (which == 0 && cfg.first_cut_after && !cfg.first_cut_done &&
	    cfg.up_bytes >= cfg.first_cut_after) {
		cfg.first_cut_done = true;
		return true;
	}
	return cfg.cut_prob > 0 && uniform() < cfg.cut_prob * (double)n / 1024.0;
}

/* Sends the head chunk if its time came; false when the connection ends. */
static bool write_dir(struct conn *c, int which)
{
	struct dir *d = &c->d[which];
	struct chunk *h = d->head;
	double t = now();
	if (!h || ready_at(d, which) > t)
		return true;
	ssize_t n = write(d->to, h->data + h->off, h->len - h->off);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (which == 0)
		cfg.up_bytes += (unsigned long long)n;
	else
		cfg.down_bytes += (unsigned long long)n;
	if (cfg.rate[which] > 0)
		link_free[which] = (link_free[which] > t ? link_free[which] : t) + (double)n / cfg.rate[which];
	h->off += (size_t)n;
	if (h->off == h->len) {
		d->head = h->next;
		if (!d->head)
			d->tail = NULL;
		d->queued--;
		free(h);
	}
	if (should_cut((size_t)n, which)) {
		cfg.cuts++;
		fprintf(stderr, "slowproxy: cut connection %d (%s, %llu bytes up so far)\n", c->id,
			which ? "down" : "up", cfg.up_bytes);
		if (cfg.stall <= 0)
			return false;
		c->dead_until = t + cfg.stall;
		drop_queue(&c->d[0]);
		drop_queue(&c->d[1]);
	}
	return true;
}

static void step(int lfd)
{
	struct pollfd pf[1 + 4 * MAX_CONNS];
	int who[1 + 4 * MAX_CONNS];
	int n = 0;
	pf[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	double t = now(), wake = t + 1.0;
	for (int i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &conns[i];
		if (!c->used)
			continue;
		if (c->dead_until > 0) { /* a dead link: reset when its time comes */
			if (c->dead_until <= t)
				conn_close(c, true);
			else if (c->dead_until < wake)
				wake = c->dead_until;
			continue;
		}
		for (int k = 0; k < 2; k++) {
			struct dir *d = &c->d[k];
			if (!d->eof && d->queued < QUEUE_MAX) {
				who[n] = i * 4 + k * 2;
				pf[n++] = (struct pollfd){ .fd = d->from, .events = POLLIN };
			}
			double r = ready_at(d, k);
			if (d->head && r <= t) {
				who[n] = i * 4 + k * 2 + 1;
				pf[n++] = (struct pollfd){ .fd = d->to, .events = POLLOUT };
			} else if (d->head && r < wake) {
				wake = r;
			}
		}
	}
	int ms = (int)((wake - t) * 1000) + 1;
	if (poll(pf, (nfds_t)n, ms < 0 ? 0 : ms) < 0)
		return;
	if (pf[0].revents & POLLIN)
		accept_one(lfd);
	for (int j = 1; j < n; j++) {
		if (!pf[j].revents)
			continue;
		struct conn *c = &conns[who[j] / 4];
		if (!c->used || c->dead_until > 0)
			continue;
		int k = (who[j] / 2) % 2;
		bool ok = (who[j] % 2) ? write_dir(c, k) : read_dir(&c->d[k]);
		if (!ok)
			conn_close(c, true);
	}
	/* half-closes once a side's data is all through; done when both are */
	for (int i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &conns[i];
		for (int k = 0; c->used && !c->dead_until && k < 2; k++) {
			struct dir *d = &c->d[k];
			if (d->eof && !d->head && !d->shut) {
				shutdown(d->to, SHUT_WR);
				d->shut = true;
			}
		}
		if (c->used && c->d[0].shut && c->d[1].shut)
			conn_close(c, false);
	}
}

static int usage(void)
{
	fputs("usage: slowproxy --target HOST:PORT [--listen PORT] [--rate-up B/S] [--rate-down B/S]\n"
	      "                 [--latency-ms N] [--cut-prob P] [--first-cut-after BYTES]\n"
	      "                 [--max-cuts N] [--stall-ms N] [--seed N]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *target = NULL;
	int port = 0;
	cfg.max_cuts = 1000000;
	cfg.rng = 88172645463325252ULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--target"))
			target = v;
		else if (!strcmp(k, "--listen"))
			port = atoi(v);
		else if (!strcmp(k, "--rate-up"))
			cfg.rate[0] = atof(v);
		else if (!strcmp(k, "--rate-down"))
			cfg.rate[1] = atof(v);
		else if (!strcmp(k, "--latency-ms"))
			cfg.latency = atof(v) / 1000.0;
		else if (!strcmp(k, "--cut-prob"))
			cfg.cut_prob = atof(v);
		else if (!strcmp(k, "--first-cut-after"))
			cfg.first_cut_after = strtoull(v, NULL, 10);
		else if (!strcmp(k, "--stall-ms"))
			cfg.stall = atof(v) / 1000.0;
		else if (!strcmp(k, "--max-cuts"))
			cfg.max_cuts = atoi(v);
		else if (!strcmp(k, "--seed"))
			cfg.rng = strtoull(v, NULL, 10) | 1;
		else
			return usage();
	}
	if (argc % 2 == 0 || !target)
		return usage();
	char host[64];
	const char *colon = strrchr(target, ':');
	if (!colon || (size_t)(colon - target) >= sizeof(host))
		return usage();
	memcpy(host, target, (size_t)(colon - target));
	host[colon - target] = '\0';
	cfg.target.sin_family = AF_INET;
	cfg.target.sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &cfg.target.sin_addr) != 1)
		return usage();

	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 16) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len)) {
		perror("slowproxy");
		return 1;
	}
	nonblock(lfd);
	signal(SIGPIPE, SIG_IGN);
	struct sigaction act;
	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	fprintf(stderr, "slowproxy: listening on 127.0.0.1:%d\n", ntohs(sa.sin_port));
	while (!stopping)
		step(lfd);
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].used)
			conn_close(&conns[i], false);
	close(lfd);
	fprintf(stderr, "slowproxy: %llu bytes down\n", cfg.down_bytes);
	fprintf(stderr, "slowproxy: %d cuts, %llu bytes up\n", cfg.cuts, cfg.up_bytes);
	return 0;
}
