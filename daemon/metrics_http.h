/*
 * metrics_http.h: GET /metrics over HTTP/1.x for Prometheus, on the
 * daemon's event loop.
 *
 * Built to be scraped, and to shrug off anyone else: a literal address
 * bound as given; at most METRICS_MAX_CONNS connections (the rest wait
 * in the kernel's backlog); each closed METRICS_DEADLINE seconds after
 * it was accepted, whatever it is doing; one request per connection, a
 * head of at most METRICS_MAX_HEAD bytes and no body; the text rendered
 * at most once per METRICS_CACHE_MS and shared by the replies; an
 * accept() that fails (out of descriptors) pauses the listener instead
 * of spinning on it.
 */
#ifndef DR_METRICS_HTTP_H
#define DR_METRICS_HTTP_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "engine.h"
#include "capture.h"

#define METRICS_MAX_CONNS	16
#define METRICS_BACKLOG		16
#define METRICS_DEADLINE	10	/* s from accept to close, at most */
#define METRICS_MAX_HEAD	8192	/* request line and headers */
#define METRICS_CACHE_MS	1000	/* scrapes within share a text */
#define METRICS_RETRY_SEC	1	/* accept again after an error */
#define METRICS_WARN_SEC	60	/* at most one warning about it */

struct mconn;
struct mbody;

struct metrics {
	struct event_base	*base;
	struct dr_engine	*engine;
	struct capture		*cap;
	char			 listen[64];

	struct evconnlistener	*lev;		/* NULL when off */
	struct event		*ev_resume;	/* accept after errors */
	LIST_HEAD(, mconn)	 conns;
	unsigned		 nconns;
	int			 accept_paused;	/* accept failed */
	int64_t			 accept_warned;	/* said at, ms */
	struct mbody		*body;		/* last text made */

	double			 start_time;	/* process start */
	char			 libpcap[32];	/* version number */
	uint64_t		 accepted;
	uint64_t		 expired;
	uint64_t		 accept_errors;
};

/*
 * Serve on listen ("ADDR:PORT", a literal address); "" stops serving.
 * A listen equal to the current one keeps the socket; a new one takes
 * over only once bound, and connections already open finish.  Returns
 * 0, or -1 with err set (the old endpoint, if any, still serving).
 */
int	metrics_listen(struct metrics *, const char *listen, char *err,
	    size_t errlen);
/* Stop serving: the listener and every connection. */
void	metrics_close(struct metrics *);
/* Something a scraper must see at once changed (the capture went down
 * or came back): the next scrape renders afresh, not from the cache. */
void	metrics_stale(struct metrics *);

#endif
