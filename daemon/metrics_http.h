/*
 * metrics_http.h: /metrics over HTTP with libevent's evhttp, for Prometheus.
 */
#ifndef DR_METRICS_HTTP_H
#define DR_METRICS_HTTP_H

#include <stddef.h>

#include <event2/event.h>

#include "engine.h"
#include "capture.h"

struct metrics {
	struct event_base	*base;
	struct evhttp		*http;
	struct dr_engine	*engine;
	struct capture		*cap;
	char			 listen[64];
};

/*
 * Serve on listen ("ADDR:PORT"); "" stops serving.  A listen equal to
 * the current one keeps the socket.  Returns 0, or -1 with err set.
 */
int	metrics_listen(struct metrics *, const char *listen, char *err,
	    size_t errlen);
void	metrics_close(struct metrics *);

#endif
