/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A mail server and an SMS gateway for the notices' tests
 * (tests/sync/t_notices.sh), on 127.0.0.1: real SMTP (RFC 5321: EHLO, MAIL,
 * RCPT, DATA, QUIT) and real HTTP (POST /sms with a JSON body). Each
 * message accepted is a file DIR/mail-N.eml or DIR/sms-N.json, so a test
 * counts what arrived. Faults on demand: while DIR/smtp-down exists the
 * mail server answers 421 and closes; a recipient "reject@..." gets 550;
 * while DIR/sms-down exists the gateway answers 503.
 *
 *   sink --dir DIR    prints "smtp 127.0.0.1:P" and "http 127.0.0.1:Q" on
 *                     stderr once listening; runs until killed. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static int listen_on(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		perror("sink");
		exit(1);
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

static bool exists(const char *name)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return stat(p, &st) == 0;
}

/* Writes the next DIR/PREFIX-N.EXT with text. */
static void keep(const char *prefix, const char *ext, const char *text, size_t n)
{
	char p[4096];
	for (int i = 1;; i++) {
		snprintf(p, sizeof p, "%s/%s-%d.%s", dir, prefix, i, ext);
		FILE *fp = fopen(p, "wx");
		if (!fp && errno == EEXIST)
			continue;
		if (!fp)
			return;
		fwrite(text, 1, n, fp);
		fclose(fp);
		return;
	}
}

static void say(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* A line (CRLF or LF ended, kept) into buf; its length, 0 at the end. */
static size_t read_line(FILE *in, char *buf, size_t size)
{
	if (!fgets(buf, (int)size, in))
		return 0;
	return strlen(buf);
}

static void smtp_session(int fd)
{
	if (exists("smtp-down")) {
		say(fd, "421 sink busy\r\n");
		return;
	}
	FILE *in = fdopen(dup(fd), "r");
	if (!in)
		return;
	say(fd, "220 sink ESMTP\r\n");
	char line[4096];
	bool rcpt = false;
	while (read_line(in, line, sizeof line)) {
		if (!strncasecmp(line, "EHLO", 4)) {
			say(fd, "250-sink\r\n250 8BITMIME\r\n");
		} else if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "NOOP", 4) ||
			   !strncasecmp(line, "RSET", 4) || !strncasecmp(line, "MAIL FROM:", 10)) {
			rcpt = false;
			say(fd, "250 ok\r\n");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			bool reject = strstr(line, "<reject@") != NULL;
			rcpt = rcpt || !reject;
			say(fd, reject ? "550 no such user\r\n" : "250 ok\r\n");
		} else if (!strncasecmp(line, "DATA", 4)) {
			if (!rcpt) {
				say(fd, "554 no valid recipients\r\n");
				continue;
			}
			say(fd, "354 go on\r\n");
			size_t cap = 1 << 16, n = 0;
			char *msg = malloc(cap);
			size_t k;
			while (msg && (k = read_line(in, line, sizeof line))) {
				if (!strcmp(line, ".\r\n") || !strcmp(line, ".\n"))
					break;
				const char *l = line[0] == '.' ? line + 1 : line; /* dot-stuffing */
				k = strlen(l);
				if (n + k + 1 > cap) {
					char *m = realloc(msg, cap *= 2);
					if (!m)
						break;
					msg = m;
				}
				memcpy(msg + n, l, k);
				n += k;
			}
			if (msg)
				keep("mail", "eml", msg, n);
			free(msg);
			say(fd, "250 queued\r\n");
		} else if (!strncasecmp(line, "QUIT", 4)) {
			say(fd, "221 bye\r\n");
			break;
		} else {
			say(fd, "502 not here\r\n");
		}
	}
	fclose(in);
}

static void http_session(int fd)
{
	FILE *in = fdopen(dup(fd), "r");
	if (!in)
		return;
	char line[4096];
	long length = -1;
	bool post_sms = false;
	if (read_line(in, line, sizeof line))
		post_sms = !strncmp(line, "POST /sms ", 10);
	while (read_line(in, line, sizeof line) && strcmp(line, "\r\n") && strcmp(line, "\n"))
		if (!strncasecmp(line, "Content-Length:", 15))
			length = strtol(line + 15, NULL, 10);
	char *body = length >= 0 && length < (1 << 20) ? malloc((size_t)length + 1) : NULL;
	size_t got = body ? fread(body, 1, (size_t)length, in) : 0;
	const char *answer;
	if (!post_sms || !body || got != (size_t)length)
		answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	else if (exists("sms-down"))
		answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	else {
		keep("sms", "json", body, got);
		answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
			 "Connection: close\r\n\r\n{\"ok\":true}";
	}
	say(fd, answer);
	free(body);
	fclose(in);
}

int main(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--dir")) {
		fprintf(stderr, "usage: sink --dir DIR\n");
		return 2;
	}
	dir = argv[2];
	int sp, hp;
	struct pollfd fds[2] = { { listen_on(&sp), POLLIN, 0 }, { listen_on(&hp), POLLIN, 0 } };
	fprintf(stderr, "smtp 127.0.0.1:%d\nhttp 127.0.0.1:%d\n", sp, hp);
	for (;;) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < 2; i++) {
			if (!(fds[i].revents & POLLIN))
				continue;
			int c = accept(fds[i].fd, NULL, NULL);
			if (c < 0)
				continue;
			if (i == 0)
				smtp_session(c);
			else
				http_session(c);
			close(c);
		}
	}
}
