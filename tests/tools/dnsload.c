/*
 * dnsload: DNS queries at a known rate, for the end-to-end tests.
 *
 *   dnsload -s RESOLVER [-r QPS] [-d SECONDS] [-t] [-n NAME] [-p PORT]
 *
 * Sends QPS queries a second (10) to RESOLVER (IPv4 or IPv6) port PORT
 * (53) for SECONDS (0, the default, runs until SIGTERM or SIGINT).  Each
 * query goes out from a fresh socket, so from a new source port, with a
 * random id and the name "q<N>.NAME" (NAME is example.com unless given).
 * A socket stays open about 3 s in a ring and is drained, so answers and
 * ICMP errors meet an open socket as they would for a real client.  -t
 * asks over TCP instead of UDP (one connection per query).  At exit it
 * prints "dnsload: sent N answered M" on stderr.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util_pkt.h"

#define KEEP_NS		3000000000LL	/* how long a socket stays open */
#define RING_MAX	8192
#define MSG_MAX		1024

struct slot {
	int		fd;
	uint16_t	id;
	int		connecting;	/* TCP: query not written yet */
	size_t		qlen;
	size_t		rlen;
	uint8_t		q[2 + MSG_MAX];	/* TCP: with its length prefix */
	uint8_t		r[2 + MSG_MAX];
};

static volatile sig_atomic_t	stop;
static unsigned long		sent, answered;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dnsload -s RESOLVER [-r QPS] [-d SECONDS] "
	    "[-t] [-n NAME] [-p PORT]\n");
	exit(2);
}

static long long
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
slot_close(struct slot *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

/* An answer to our query: the id, and QR set. */
static int
is_answer(const struct slot *s, const uint8_t *m, size_t len)
{
	return len >= 12 && (m[0] << 8 | m[1]) == s->id && (m[2] & 0x80);
}

static void
send_query(struct slot *s, const struct addrinfo *ai, int tcp,
    unsigned long n, const char *name)
{
	char	qname[300];
	size_t	len;

	slot_close(s);
	snprintf(qname, sizeof(qname), "q%lu.%s", n, name);
	s->id = (uint16_t)random();
	s->rlen = 0;
	s->connecting = 0;
	len = pkt_dns(s->q + 2, sizeof(s->q) - 2, s->id, 0, 0, qname);
	if (len == 0) {
		fprintf(stderr, "dnsload: bad name \"%s\"\n", qname);
		exit(2);
	}
	s->q[0] = (uint8_t)(len >> 8);
	s->q[1] = (uint8_t)len;
	s->qlen = len;
	s->fd = socket(ai->ai_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd == -1) {
		fprintf(stderr, "dnsload: socket: %s\n", strerror(errno));
		return;
	}
	sent++;
	if (connect(s->fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (tcp && errno == EINPROGRESS) {
			s->connecting = 1;
			return;
		}
		slot_close(s);	/* no route, say: counted, not answered */
		return;
	}
	if (tcp) {
		if (write(s->fd, s->q, len + 2) != (ssize_t)(len + 2))
			slot_close(s);
	} else if (send(s->fd, s->q + 2, len, 0) == -1)
		slot_close(s);
}

static void
udp_drain(struct slot *s)
{
	uint8_t	buf[MSG_MAX];
	ssize_t	n;

	for (;;) {
		n = recv(s->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue;	/* ECONNREFUSED from an ICMP error */
		}
		if (is_answer(s, buf, (size_t)n) && s->rlen == 0) {
			s->rlen = (size_t)n;
			answered++;
		}
	}
}

static void
tcp_event(struct slot *s, short revents)
{
	socklen_t	elen = sizeof(int);
	size_t		mlen;
	ssize_t		n;
	int		err = 0;

	if (s->connecting) {
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &elen) ==
		    -1 || err != 0) {
			slot_close(s);	/* refused (RST) or unreachable */
			return;
		}
		if (!(revents & POLLOUT))
			return;
		s->connecting = 0;
		if (write(s->fd, s->q, s->qlen + 2) != (ssize_t)(s->qlen + 2))
			slot_close(s);
		return;
	}
	n = read(s->fd, s->r + s->rlen, sizeof(s->r) - s->rlen);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		slot_close(s);
		return;
	}
	s->rlen += (size_t)n;
	if (s->rlen < 2)
		return;
	mlen = (size_t)s->r[0] << 8 | s->r[1];
	if (mlen > MSG_MAX) {
		slot_close(s);
		return;
	}
	if (s->rlen < 2 + mlen)
		return;
	if (is_answer(s, s->r + 2, mlen))
		answered++;
	slot_close(s);
}

int
main(int argc, char **argv)
{
	static struct slot	 ring[RING_MAX];
	static struct pollfd	 pfd[RING_MAX];
	struct addrinfo		 hints, *ai;
	struct sigaction	 sa;
	const char		*server = NULL, *name = "example.com";
	const char		*port = "53";
	double			 qps = 10, secs = 0;
	long long		 t0, next, end, now, interval, wait;
	unsigned long		 n = 0;
	size_t			 nring, i, nfd, idx[RING_MAX];
	int			 ch, tcp = 0, e;
	char			*ep;

	while ((ch = getopt(argc, argv, "s:r:d:tn:p:")) != -1) {
		switch (ch) {
		case 's':
			server = optarg;
			break;
		case 'r':
			qps = strtod(optarg, &ep);
			if (*ep != '\0' || !(qps > 0 && qps <= 1000))
				usage();
			break;
		case 'd':
			secs = strtod(optarg, &ep);
			if (*ep != '\0' || !(secs >= 0))
				usage();
			break;
		case 't':
			tcp = 1;
			break;
		case 'n':
			name = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		default:
			usage();
		}
	}
	if (server == NULL || optind != argc)
		usage();
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((e = getaddrinfo(server, port, &hints, &ai)) != 0) {
		fprintf(stderr, "dnsload: %s: %s\n", server, gai_strerror(e));
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)(time(NULL) ^ (getpid() << 16)));

	nring = (size_t)(qps * KEEP_NS / 1000000000LL) + 1;
	if (nring > RING_MAX)
		nring = RING_MAX;
	for (i = 0; i < nring; i++)
		ring[i].fd = -1;
	interval = (long long)(1000000000.0 / qps);
	t0 = next = now_ns();
	end = secs > 0 ? t0 + (long long)(secs * 1000000000.0) : 0;

	while (!stop) {
		now = now_ns();
		if (end != 0 && now >= end)
			break;
		while (next <= now) {
			send_query(&ring[n % nring], ai, tcp, n + 1, name);
			n++;
			next += interval;
		}
		nfd = 0;
		for (i = 0; i < nring; i++) {
			if (ring[i].fd == -1)
				continue;
			pfd[nfd].fd = ring[i].fd;
			pfd[nfd].events = POLLIN |
			    (ring[i].connecting ? POLLOUT : 0);
			idx[nfd++] = i;
		}
		wait = (next - now + 999999) / 1000000;
		if (end != 0 && (end - now + 999999) / 1000000 < wait)
			wait = (end - now + 999999) / 1000000;
		if (poll(pfd, (nfds_t)nfd, (int)wait) <= 0)
			continue;	/* timeout, or EINTR */
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (tcp)
				tcp_event(&ring[idx[i]], pfd[i].revents);
			else
				udp_drain(&ring[idx[i]]);
		}
	}
	for (i = 0; i < nring; i++)
		slot_close(&ring[i]);
	freeaddrinfo(ai);
	fprintf(stderr, "dnsload: sent %lu answered %lu\n", sent, answered);
	return 0;
}
