/*
 * metrics_http.c: the HTTP side of the metrics; the text comes from
 * lib/metrics.c.  libevent's evhttp does the protocol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <pcap/pcap.h>

#include "config.h"
#include "log.h"
#include "metrics_http.h"
#include "metrics.h"

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct metrics		*m = arg;
	struct evbuffer		*body;
	char			*text = NULL;
	size_t			 len = 0;
	FILE			*f;
	struct dr_metrics_info	 mi;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		evhttp_send_error(req, 405, "Method Not Allowed");
		return;
	}
	if ((f = open_memstream(&text, &len)) == NULL) {
		evhttp_send_error(req, 500, "Internal Server Error");
		return;
	}
	memset(&mi, 0, sizeof(mi));
	mi.version = DR_VERSION;
	mi.libpcap = pcap_lib_version();
	mi.libevent = event_get_version();
	mi.capture_up = m->cap->up;
	dr_metrics_write(f, m->engine, &mi);
	if (fclose(f) != 0 || (body = evbuffer_new()) == NULL) {
		free(text);
		evhttp_send_error(req, 500, "Internal Server Error");
		return;
	}
	evbuffer_add(body, text, len);
	free(text);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", body);
	evbuffer_free(body);
}

static void
on_other(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evhttp_send_error(req, 404, "Not Found");
}

void
metrics_close(struct metrics *m)
{
	if (m->http != NULL)
		evhttp_free(m->http);
	m->http = NULL;
	m->listen[0] = '\0';
}

int
metrics_listen(struct metrics *m, const char *listen, char *err,
    size_t errlen)
{
	char		 addr[DR_ADDR_STRLEN];
	uint16_t	 port;
	struct evhttp	*http;

	if (strcmp(listen, m->listen) == 0 && (m->http != NULL ||
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
	if ((http = evhttp_new(m->base)) == NULL) {
		snprintf(err, errlen, "metrics: evhttp_new failed");
		return -1;
	}
	/* A scraper needs little: refuse what is large or slow. */
	evhttp_set_max_headers_size(http, 8192);
	evhttp_set_max_body_size(http, 0);
	evhttp_set_timeout(http, 10);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_cb(http, "/metrics", on_request, m);
	evhttp_set_gencb(http, on_other, m);
	if (evhttp_bind_socket(http, addr, port) != 0) {
		snprintf(err, errlen, "metrics: cannot listen on %s", listen);
		evhttp_free(http);
		return -1;
	}
	metrics_close(m);
	m->http = http;
	snprintf(m->listen, sizeof(m->listen), "%s", listen);
	log_info("serving metrics at http://%s/metrics", listen);
	return 0;
}
