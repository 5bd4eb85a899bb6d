/*
 * metrics_http.c: the HTTP side of the metrics; the text comes from
 * lib/metrics.c.
 *
 * A scraper needs one thing: GET /metrics, answered, then the
 * connection closed.  libevent 2.1's evhttp does much more, but offers
 * no connection limit and only idle timeouts (a client sending a byte
 * every few seconds stays as long as it likes), and it owns its
 * connections where we cannot see them.  So this is a small HTTP/1.x
 * responder on bufferevents, where every connection is ours: counted,
 * given a deadline, and freed here.
 *
 * A connection reads its request head, gets one reply with
 * "Connection: close" and reads nothing more while the reply is sent.
 * Then its sending side is shut down and what the client still sends is
 * read and dropped until it closes (closing with unread data would
 * reset the connection and could cost the client the reply), up to
 * METRICS_MAX_HEAD bytes: a client streaming data is cut off at once.
 * METRICS_DEADLINE after accept a connection is freed whatever it is
 * doing.  The listener takes at most METRICS_MAX_CONNS at a time, so a
 * flood of connections gets a bounded turn of each loop iteration, as
 * the capture does.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <pcap/pcap.h>

#include "config.h"
#include "log.h"
#include "metrics_http.h"
#include "metrics.h"

#define REQLINE_MAX	1024	/* longer: 414 */

enum cstate {
	C_HEAD = 0,	/* reading the request head */
	C_REPLY,	/* the reply is being sent */
	C_LINGER	/* sent and shut down: dropping input until EOF */
};

struct mconn {
	LIST_ENTRY(mconn)	 entry;
	struct metrics		*m;
	struct bufferevent	*bev;
	struct event		*ev_deadline;
	enum cstate		 state;
	size_t			 searched;	/* head: look from */
	size_t			 drained;	/* read after the head */
	int			 eof;		/* client said EOF */
};

/* A rendered text, shared by the replies that send it. */
struct mbody {
	char		*text;
	size_t		 len;
	unsigned	 refs;		/* cache's, each reply's */
	int64_t		 at;		/* rendered, mono ms */
};

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
body_unref(struct mbody *b)
{
	if (b != NULL && --b->refs == 0) {
		free(b->text);
		free(b);
	}
}

/* evbuffer_add_reference's cleanup: a reply is done with the text. */
static void
body_done(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	body_unref(arg);
}

static struct mbody *
body_render(struct metrics *m)
{
	struct dr_metrics_info	 mi;
	struct mbody		*b;
	FILE			*f;
	int			 r;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if ((f = open_memstream(&b->text, &b->len)) == NULL) {
		free(b);
		return NULL;
	}
	memset(&mi, 0, sizeof(mi));
	mi.version = DR_VERSION;
	mi.libpcap = m->libpcap;
	mi.libevent = event_get_version();
	mi.start_time = m->start_time;
	mi.capture_up = m->cap->up;
	mi.http_open = m->nconns;
	mi.http_accepted = m->accepted;
	mi.http_expired = m->expired;
	mi.http_accept_errors = m->accept_errors;
	r = dr_metrics_write(f, m->engine, &mi);
	if (fclose(f) != 0 || r == -1) {
		free(b->text);
		free(b);
		return NULL;
	}
	b->refs = 1;
	b->at = mono_ms();
	return b;
}

/* The current text: a client asking in a loop costs one a second. */
static struct mbody *
body_get(struct metrics *m)
{
	struct mbody	*b;

	if (m->body == NULL || mono_ms() - m->body->at >= METRICS_CACHE_MS) {
		if ((b = body_render(m)) == NULL)
			return NULL;
		body_unref(m->body);
		m->body = b;
	}
	return m->body;
}

/* Whether the listener should take connections now. */
static void
update_listener(struct metrics *m)
{
	if (m->lev == NULL)
		return;
	if (m->nconns >= METRICS_MAX_CONNS || m->accept_paused)
		evconnlistener_disable(m->lev);
	else
		evconnlistener_enable(m->lev);
}

static void
conn_free(struct mconn *c)
{
	struct metrics	*m = c->m;

	LIST_REMOVE(c, entry);
	m->nconns--;
	event_free(c->ev_deadline);
	bufferevent_free(c->bev);	/* closes the socket */
	free(c);
	if (m->nconns == METRICS_MAX_CONNS - 1)
		update_listener(m);
}

/*
 * Queue the whole reply; a body, when given, is sent unless the method
 * was HEAD.
 */
static void
reply(struct mconn *c, int code, const char *reason, const char *extra,
    struct mbody *b, int head_only)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	size_t		 len = b != NULL ? b->len : strlen(reason) + 1;

	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\n"
	    "Content-Type: text/plain; %scharset=utf-8\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n%s\r\n", code,
	    reason, b != NULL ? "version=0.0.4; " : "", len, extra);
	if (head_only)
		;
	else if (b == NULL)
		evbuffer_add_printf(out, "%s\n", reason);
	else {
		b->refs++;
		if (evbuffer_add_reference(out, b->text, b->len, body_done,
		    b) == -1)
			b->refs--;	/* the length says it was cut */
	}
	/* Nothing more is read until the reply has left. */
	c->state = C_REPLY;
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_enable(c->bev, EV_WRITE);
}

/* The request head is whole: answer its request line. */
static void
request(struct mconn *c)
{
	struct evbuffer	*in = bufferevent_get_input(c->bev);
	char		 line[REQLINE_MAX], *sp1, *sp2, *end;
	struct mbody	*b;
	size_t		 n;
	int		 head;

	n = evbuffer_copyout(in, line, sizeof(line) - 1);
	line[n] = '\0';
	if ((end = strchr(line, '\n')) == NULL) {
		reply(c, 414, "URI Too Long", "", NULL, 0);
		return;
	}
	if (end > line && end[-1] == '\r')
		end--;
	*end = '\0';
	if ((sp1 = strchr(line, ' ')) == NULL ||
	    (sp2 = strchr(sp1 + 1, ' ')) == NULL ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) != 0 || strchr(sp2 + 1, ' ')) {
		reply(c, 400, "Bad Request", "", NULL, 0);
		return;
	}
	*sp1++ = *sp2 = '\0';
	head = strcmp(line, "HEAD") == 0;
	if (!head && strcmp(line, "GET") != 0) {
		reply(c, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n",
		    NULL, 0);
		return;
	}
	/* Origin form; a query string is allowed and ignored. */
	if (strncmp(sp1, "/metrics", 8) != 0 ||
	    (sp1[8] != '\0' && sp1[8] != '?')) {
		reply(c, 404, "Not Found", "", NULL, head);
		return;
	}
	if ((b = body_get(c->m)) == NULL) {
		reply(c, 500, "Internal Server Error", "", NULL, head);
		return;
	}
	reply(c, 200, "OK", "", b, head);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct mconn		*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 from, p;
	size_t			 len = evbuffer_get_length(in);

	if (c->state != C_HEAD) {
		/* Lingering: a little more is fine, a stream is not. */
		evbuffer_drain(in, len);
		c->drained += len;
		if (c->drained > METRICS_MAX_HEAD)
			conn_free(c);
		return;
	}
	/* The end of the head: CRLF CRLF, or LF LF from a bare client. */
	evbuffer_ptr_set(in, &from, c->searched, EVBUFFER_PTR_SET);
	p = evbuffer_search(in, "\r\n\r\n", 4, &from);
	if (p.pos == -1)
		p = evbuffer_search(in, "\n\n", 2, &from);
	if (p.pos != -1 && (size_t)p.pos < METRICS_MAX_HEAD) {
		request(c);
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if (len >= METRICS_MAX_HEAD) {
		reply(c, 431, "Request Header Fields Too Large", "", NULL, 0);
		evbuffer_drain(in, len);
		return;
	}
	c->searched = len > 3 ? len - 3 : 0;
}

/* The reply has left (the output is empty). */
static void
on_write(struct bufferevent *bev, void *arg)
{
	struct mconn	*c = arg;

	if (c->state != C_REPLY)
		return;
	if (c->eof) {
		conn_free(c);
		return;
	}
	shutdown(bufferevent_getfd(bev), SHUT_WR);
	c->state = C_LINGER;
	bufferevent_enable(bev, EV_READ);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct mconn	*c = arg;

	(void)bev;
	/* A client may close its side and still wait for the reply. */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    c->state == C_REPLY) {
		c->eof = 1;
		return;
	}
	conn_free(c);
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct mconn	*c = arg;

	(void)fd;
	(void)what;
	c->m->expired++;
	conn_free(c);
}

static void
on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct metrics	*m = arg;
	struct mconn	*c;
	struct timeval	 tv = { METRICS_DEADLINE, 0 };

	(void)lev;
	(void)sa;
	(void)salen;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->m = m;
	c->bev = bufferevent_socket_new(m->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->ev_deadline = evtimer_new(m->base, on_deadline, c);
	if (c->bev == NULL || c->ev_deadline == NULL ||
	    evtimer_add(c->ev_deadline, &tv) == -1) {
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		else
			close(fd);
		if (c->ev_deadline != NULL)
			event_free(c->ev_deadline);
		free(c);
		return;
	}
	LIST_INSERT_HEAD(&m->conns, c, entry);
	m->nconns++;
	m->accepted++;
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_enable(c->bev, EV_READ);
	if (m->nconns >= METRICS_MAX_CONNS)
		update_listener(m);
}

static void
on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct metrics	*m = arg;

	(void)fd;
	(void)what;
	m->accept_paused = 0;
	update_listener(m);
}

/*
 * accept() failed for want of descriptors or memory: the connection
 * stays in the backlog and the socket stays readable, so without a
 * pause the loop would spin on it.  Said at most once a minute.
 */
static void
on_accept_error(struct evconnlistener *lev, void *arg)
{
	struct metrics	*m = arg;
	struct timeval	 tv = { METRICS_RETRY_SEC, 0 };
	int		 err = EVUTIL_SOCKET_ERROR();
	int64_t		 now = mono_ms();

	(void)lev;
	m->accept_errors++;
	if (m->accept_warned == 0 ||
	    now - m->accept_warned >= METRICS_WARN_SEC * 1000) {
		log_warnx("metrics: cannot accept connections on %s: %s; "
		    "pausing them for %d s at a time (%llu failures so far)",
		    m->listen, strerror(err), METRICS_RETRY_SEC,
		    (unsigned long long)m->accept_errors);
		m->accept_warned = now;
	}
	m->accept_paused = 1;
	update_listener(m);
	event_add(m->ev_resume, &tv);
}

/* A literal address, bound as given: no resolver, no AI_ADDRCONFIG. */
static struct evconnlistener *
bind_literal(struct metrics *m, const char *addr, uint16_t port)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	unsigned		 flags = LEV_OPT_CLOSE_ON_FREE |
				    LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE |
				    LEV_OPT_DISABLED;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		return evconnlistener_new_bind(m->base, on_accept, m, flags,
		    METRICS_BACKLOG, (struct sockaddr *)&sin, sizeof(sin));
	}
	if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		return evconnlistener_new_bind(m->base, on_accept, m,
		    flags | LEV_OPT_BIND_IPV6ONLY, METRICS_BACKLOG,
		    (struct sockaddr *)&sin6, sizeof(sin6));
	}
	errno = EINVAL;
	return NULL;
}

static void
listener_close(struct metrics *m)
{
	if (m->lev != NULL)
		evconnlistener_free(m->lev);
	if (m->ev_resume != NULL)
		event_free(m->ev_resume);
	m->lev = NULL;
	m->ev_resume = NULL;
	m->accept_paused = 0;
	m->listen[0] = '\0';
}

void
metrics_stale(struct metrics *m)
{
	/* Replies being sent keep their reference; the next one renders. */
	body_unref(m->body);
	m->body = NULL;
}

void
metrics_close(struct metrics *m)
{
	listener_close(m);
	while (!LIST_EMPTY(&m->conns))
		conn_free(LIST_FIRST(&m->conns));
	body_unref(m->body);
	m->body = NULL;
}

/* What build_info and process_start_time_seconds say. */
static void
init_once(struct metrics *m)
{
	struct timeval	 tv;
	const char	*v, *p;
	size_t		 n;

	if (m->start_time != 0)
		return;
	/* The first call is at start, before the loop runs. */
	gettimeofday(&tv, NULL);
	m->start_time = (double)tv.tv_sec + tv.tv_usec / 1e6;
	/* "libpcap version 1.10.3 (with TPACKET_V3)": the number. */
	v = pcap_lib_version();
	if ((p = strstr(v, "version ")) != NULL)
		v = p + strlen("version ");
	n = strcspn(v, " ");
	snprintf(m->libpcap, sizeof(m->libpcap), "%.*s", (int)n, v);
}

int
metrics_listen(struct metrics *m, const char *listen, char *err,
    size_t errlen)
{
	char			 addr[DR_ADDR_STRLEN];
	uint16_t		 port;
	struct evconnlistener	*lev;
	struct event		*resume;

	init_once(m);
	if (strcmp(listen, m->listen) == 0 && (m->lev != NULL ||
	    listen[0] == '\0'))
		return 0;
	if (listen[0] == '\0') {
		metrics_close(m);
		return 0;
	}
	if (dr_parse_listen(listen, addr, sizeof(addr), &port) == -1) {
		snprintf(err, errlen, "metrics_listen: bad address %s", listen);
		return -1;
	}
	if ((lev = bind_literal(m, addr, port)) == NULL) {
		snprintf(err, errlen, "metrics: cannot listen on %s: %s",
		    listen, strerror(errno));
		return -1;
	}
	if ((resume = evtimer_new(m->base, on_resume, m)) == NULL) {
		evconnlistener_free(lev);
		snprintf(err, errlen, "metrics: out of memory");
		return -1;
	}
	evconnlistener_set_error_cb(lev, on_accept_error);
	listener_close(m);
	m->lev = lev;
	m->ev_resume = resume;
	snprintf(m->listen, sizeof(m->listen), "%s", listen);
	update_listener(m);
	log_info("serving metrics at http://%s/metrics", listen);
	return 0;
}
