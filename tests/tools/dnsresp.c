/*
 * dnsresp: a tiny DNS responder for the end-to-end tests.
 *
 *   dnsresp -a ADDR [-a ADDR]... [-p PORT] [-A]
 *
 * Binds every ADDR on PORT (53) over UDP and TCP and answers every
 * query: the id and question copied, QR and RA set, RCODE 0, and with -A
 * one A record 192.0.2.1 for a question of type A.  Anything that is not
 * a query with one question gets no answer.  Runs until SIGTERM or
 * SIGINT, then prints "dnsresp: answered N" on stderr; exits 1 with a
 * message when an address cannot be bound.  "dnsresp: ready" on stderr
 * says every socket is bound.
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
#include <unistd.h>

#define MAX_ADDRS	16
#define MAX_CONNS	64
#define MSG_MAX		4096

struct conn {
	int		fd;
	size_t		len;
	uint8_t		buf[2 + MSG_MAX];
};

static volatile sig_atomic_t	stop;
static unsigned long		answered;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dnsresp -a ADDR [-a ADDR]... [-p PORT] [-A]\n");
	exit(2);
}

/*
 * The answer to query q[0..qlen) in out[0..cap): its length, or 0 when
 * the message is not a query with one well-formed question.
 */
static size_t
build_response(const uint8_t *q, size_t qlen, uint8_t *out, size_t cap,
    int with_a)
{
	static const uint8_t	rr[] = {
		0xc0, 0x0c,		/* name: the question's */
		0x00, 0x01, 0x00, 0x01,	/* A, IN */
		0x00, 0x00, 0x00, 0x3c,	/* TTL 60 */
		0x00, 0x04, 192, 0, 2, 1
	};
	size_t			off = 12, n;
	int			a;

	if (qlen < 12 || (q[2] & 0x80) != 0 || q[4] != 0 || q[5] != 1)
		return 0;
	for (;;) {
		if (off >= qlen)
			return 0;
		n = q[off];
		if (n == 0)
			break;
		if ((n & 0xc0) != 0 || n > qlen - off - 1)
			return 0;
		off += 1 + n;
	}
	off++;			/* the root label */
	if (qlen - off < 4)
		return 0;
	/* QTYPE A, QCLASS IN */
	a = with_a && q[off] == 0 && q[off + 1] == 1 && q[off + 2] == 0 &&
	    q[off + 3] == 1;
	off += 4;
	if (off + (a ? sizeof(rr) : 0) > cap)
		return 0;
	memcpy(out, q, off);
	out[2] = (uint8_t)(0x80 | (q[2] & 0x79));	/* QR, opcode, RD */
	out[3] = 0x80;					/* RA, NOERROR */
	memset(out + 6, 0, 6);
	if (a) {
		out[7] = 1;
		memcpy(out + off, rr, sizeof(rr));
		off += sizeof(rr);
	}
	return off;
}

static int
open_socket(const char *addr, const char *port, int type)
{
	struct addrinfo	 hints, *res;
	int		 fd, on = 1, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = type;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if ((e = getaddrinfo(addr, port, &hints, &res)) != 0) {
		fprintf(stderr, "dnsresp: %s: %s\n", addr, gai_strerror(e));
		exit(1);
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		fprintf(stderr, "dnsresp: socket: %s\n", strerror(errno));
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (res->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1) {
		fprintf(stderr, "dnsresp: cannot bind %s port %s/%s: %s\n",
		    addr, port, type == SOCK_DGRAM ? "udp" : "tcp",
		    strerror(errno));
		exit(1);
	}
	if (type == SOCK_STREAM && listen(fd, 64) == -1) {
		fprintf(stderr, "dnsresp: listen %s: %s\n", addr,
		    strerror(errno));
		exit(1);
	}
	freeaddrinfo(res);
	return fd;
}

static void
udp_read(int fd, int with_a)
{
	struct sockaddr_storage	ss;
	socklen_t		sslen;
	uint8_t			q[MSG_MAX], r[MSG_MAX];
	ssize_t			n;
	size_t			len;

	for (;;) {
		sslen = sizeof(ss);
		n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&ss,
		    &sslen);
		if (n < 0)
			return;		/* EAGAIN, or an error: next poll */
		len = build_response(q, (size_t)n, r, sizeof(r), with_a);
		if (len == 0)
			continue;
		if (sendto(fd, r, len, 0, (struct sockaddr *)&ss, sslen) ==
		    (ssize_t)len)
			answered++;
	}
}

static void
tcp_accept(int lfd, struct conn *conns)
{
	int	fd, i;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		for (i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd == -1)
				break;
		if (i == MAX_CONNS) {
			close(fd);
			continue;
		}
		conns[i].fd = fd;
		conns[i].len = 0;
	}
}

/* One read on a TCP connection; closes it when done or broken. */
static void
tcp_read(struct conn *c, int with_a)
{
	uint8_t	r[2 + MSG_MAX];
	size_t	mlen, len;
	ssize_t	n;

	n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		goto done;
	c->len += (size_t)n;
	if (c->len < 2)
		return;
	mlen = (size_t)c->buf[0] << 8 | c->buf[1];
	if (mlen > MSG_MAX)
		goto done;
	if (c->len < 2 + mlen)
		return;
	len = build_response(c->buf + 2, mlen, r + 2, sizeof(r) - 2, with_a);
	if (len > 0) {
		r[0] = (uint8_t)(len >> 8);
		r[1] = (uint8_t)len;
		/* Small enough for any socket buffer: one write does it. */
		if (write(c->fd, r, len + 2) == (ssize_t)(len + 2))
			answered++;
	}
done:
	close(c->fd);
	c->fd = -1;
}

int
main(int argc, char **argv)
{
	struct pollfd		 pfd[2 * MAX_ADDRS + MAX_CONNS];
	static struct conn	 conns[MAX_CONNS];
	struct sigaction	 sa;
	const char		*addrs[MAX_ADDRS], *port = "53";
	int			 ch, with_a = 0, i, n, nfd, naddrs = 0;
	int			 ufd[MAX_ADDRS], tfd[MAX_ADDRS];

	while ((ch = getopt(argc, argv, "a:p:A")) != -1) {
		switch (ch) {
		case 'a':
			if (naddrs == MAX_ADDRS)
				usage();
			addrs[naddrs++] = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'A':
			with_a = 1;
			break;
		default:
			usage();
		}
	}
	if (naddrs == 0 || optind != argc)
		usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < naddrs; i++) {
		ufd[i] = open_socket(addrs[i], port, SOCK_DGRAM);
		tfd[i] = open_socket(addrs[i], port, SOCK_STREAM);
		fprintf(stderr, "dnsresp: answering on %s port %s\n",
		    addrs[i], port);
	}
	for (i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	fprintf(stderr, "dnsresp: ready\n");

	while (!stop) {
		nfd = 0;
		for (i = 0; i < naddrs; i++) {
			pfd[nfd].fd = ufd[i];
			pfd[nfd++].events = POLLIN;
			pfd[nfd].fd = tfd[i];
			pfd[nfd++].events = POLLIN;
		}
		for (i = 0; i < MAX_CONNS; i++) {
			pfd[nfd].fd = conns[i].fd;	/* -1 is ignored */
			pfd[nfd++].events = POLLIN;
		}
		n = poll(pfd, (nfds_t)nfd, 1000);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "dnsresp: poll: %s\n",
			    strerror(errno));
			return 1;
		}
		for (i = 0; i < naddrs; i++) {
			if (pfd[2 * i].revents != 0)
				udp_read(ufd[i], with_a);
			if (pfd[2 * i + 1].revents != 0)
				tcp_accept(tfd[i], conns);
		}
		for (i = 0; i < MAX_CONNS; i++)
			if (pfd[2 * naddrs + i].revents != 0 &&
			    conns[i].fd != -1 &&
			    conns[i].fd == pfd[2 * naddrs + i].fd)
				tcp_read(&conns[i], with_a);
	}
	fprintf(stderr, "dnsresp: answered %lu\n", answered);
	return 0;
}
