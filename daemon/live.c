/*
 * live.c: the live daemon: capture on the libevent loop, the tick, the
 * signals, reload, statistics, sd_notify.  run_live() is its whole life:
 * open the capture, drop privileges, READY=1, dispatch, STOPPING=1.
 */
#include <sys/time.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <pcap/pcap.h>
#include <systemd/sd-daemon.h>

#include "dnsreachd.h"
#include "log.h"
#include "privdrop.h"

#define DROP_WARN_US	(60 * DR_USEC)	/* at most one loss warning a minute */

static void
update_status(struct daemon *d)
{
	const struct dr_engine_stats	*st = dr_engine_stats(d->engine);

	if (!d->cap.up) {
		sd_notifyf(0, "STATUS=capture on %s down, retrying; %zu "
		    "resolvers, %zu failing", d->cap.iface,
		    dr_tracker_nresolvers(dr_engine_tracker(d->engine)),
		    dr_engine_nfailing(d->engine));
		return;
	}
	sd_notifyf(0, "STATUS=capturing on %s: %llu packets, %zu resolvers, "
	    "%zu failing, %llu dropped", d->cap.iface,
	    (unsigned long long)st->packets,
	    dr_tracker_nresolvers(dr_engine_tracker(d->engine)),
	    dr_engine_nfailing(d->engine),
	    (unsigned long long)(st->capture_dropped + st->capture_ifdropped));
}

static dr_time_t
wall_now(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (dr_time_t)tv.tv_sec * DR_USEC + tv.tv_usec;
}

static void
check_drops(struct daemon *d, dr_time_t now)
{
	uint64_t	recv, drop, ifdrop;

	capture_stats(&d->cap, &recv, &drop, &ifdrop);
	dr_engine_capture_stats(d->engine, recv, drop, ifdrop, now);
	if (drop + ifdrop > d->warned_drops &&
	    now - d->last_drop_warn >= DROP_WARN_US) {
		log_warnx("capture on %s is losing packets: %llu dropped by "
		    "the kernel, %llu by the interface, of %llu received; a "
		    "lost answer looks like a timeout", d->cap.iface,
		    (unsigned long long)drop, (unsigned long long)ifdrop,
		    (unsigned long long)recv);
		d->warned_drops = drop + ifdrop;
		d->last_drop_warn = now;
	}
}

static void	log_stats(struct daemon *, const char *);

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct daemon	*d = arg;
	dr_time_t	 now = wall_now();

	(void)fd;
	(void)what;
	check_drops(d, now);
	dr_engine_tick(d->engine, now);
	drain_alerts(d);
	if (d->status_ticks++ % 10 == 0)
		update_status(d);
	if (d->conf.stats_interval > 0 &&
	    now - d->last_stats >= d->conf.stats_interval) {
		if (d->last_stats != 0)
			log_stats(d, "statistics");
		d->last_stats = now;
	}
}

/* Its own timer: a long bucket must not starve the watchdog. */
static void
on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

static void
arm_tick(struct daemon *d)
{
	struct timeval	tv;

	tv.tv_sec = d->conf.bucket / DR_USEC;
	tv.tv_usec = d->conf.bucket % DR_USEC;
	if (event_add(d->ev_tick, &tv) == -1)
		fatalx("cannot set up the timer");
}

static void
on_capture_change(struct capture *c, void *arg)
{
	struct daemon	*d = arg;

	dr_engine_capture_state(d->engine, c->up, wall_now());
	drain_alerts(d);
	update_status(d);
}

/* Alerts leave the engine after every batch of packets. */
static void
on_capture_batch(struct capture *c, void *arg)
{
	(void)c;
	drain_alerts(arg);
}

static void
log_stats(struct daemon *d, const char *why)
{
	const struct dr_engine_stats	*st = dr_engine_stats(d->engine);
	struct dr_tracker		*t = dr_engine_tracker(d->engine);
	struct dr_resolver		*r;
	char				 addr[DR_ADDR_STRLEN];
	uint64_t			 recv, drop, ifdrop;
	uint32_t			 it = 0;

	capture_stats(&d->cap, &recv, &drop, &ifdrop);
	log_notice("%s: %llu packets (%llu truncated, %llu malformed), "
	    "capture received %llu, dropped %llu, interface dropped %llu; "
	    "%zu resolvers, %zu queries outstanding, %llu alerts", why,
	    (unsigned long long)st->packets,
	    (unsigned long long)st->decode[DR_DECODE_TRUNCATED],
	    (unsigned long long)st->decode[DR_DECODE_MALFORMED],
	    (unsigned long long)recv, (unsigned long long)drop,
	    (unsigned long long)ifdrop, dr_tracker_nresolvers(t),
	    dr_tracker_npending(t), (unsigned long long)st->alerts);
	while ((r = dr_tracker_next(t, &it)) != NULL) {
		const struct dr_resolver_counts *n = dr_resolver_counts(r);
		const struct dr_detect_state *ds = dr_resolver_cstate(r);

		log_notice("resolver %s: %llu queries, %llu responses, %llu "
		    "unreachable (%llu unmatched), %llu timeouts, %llu TCP "
		    "resets, %llu SERVFAIL, %llu REFUSED, %llu retransmissions, "
		    "%llu alerts%s%s", dr_addr_format(dr_resolver_addr(r), addr,
		    sizeof(addr)), (unsigned long long)n->queries,
		    (unsigned long long)n->responses,
		    (unsigned long long)n->unreachable,
		    (unsigned long long)n->unmatched,
		    (unsigned long long)n->timeouts,
		    (unsigned long long)n->tcp_resets,
		    (unsigned long long)n->rcodes[DR_RC_SERVFAIL],
		    (unsigned long long)n->rcodes[DR_RC_REFUSED],
		    (unsigned long long)n->retransmissions,
		    (unsigned long long)n->alerts,
		    ds->failing ? ", FAILING" : "", ds->slow ? ", SLOW" : "");
	}
}

static int
capture_settings_differ(const struct dr_config *a, const struct dr_config *b)
{
	return strcmp(a->interface, b->interface) != 0 ||
	    a->snaplen != b->snaplen || a->buffer_size != b->buffer_size ||
	    a->promiscuous != b->promiscuous;
}

static void
reload(struct daemon *d)
{
	struct dr_config	nc;
	char			err[PCAP_ERRBUF_SIZE + 256];
	int			n, kept;

	sd_notify(0, "RELOADING=1\nSTATUS=reloading configuration");
	if ((n = load_config(&d->opt, &nc, 1)) > 0) {
		log_errx("%s: %d error%s; configuration not reloaded, the "
		    "running one stays", d->opt.conf_path, n,
		    n == 1 ? "" : "s");
		sd_notify(0, "READY=1");
		update_status(d);
		return;
	}
	if (nc.interface[0] == '\0')
		snprintf(nc.interface, sizeof(nc.interface), "%s",
		    d->conf.interface);
	drain_alerts(d);
	if ((kept = dr_engine_reconfigure(d->engine, &nc)) == -1) {
		log_errx("out of memory applying the new configuration; the "
		    "running one stays");
		sd_notify(0, "READY=1");
		return;
	}
	if (capture_settings_differ(&d->conf, &nc)) {
		capture_configure(&d->cap, &nc);
		if (capture_open(&d->cap, err, sizeof(err)) != 0)
			capture_lost(&d->cap, err);
	} else if (strcmp(d->conf.filter, nc.filter) != 0) {
		if (capture_set_filter(&d->cap, nc.filter, err,
		    sizeof(err)) == -1)
			log_warnx("%s", err);
	}
	if (nc.bucket != d->conf.bucket) {
		d->conf.bucket = nc.bucket;
		arm_tick(d);
	}
	if (metrics_listen(&d->metrics, nc.metrics_listen, err,
	    sizeof(err)) == -1)
		log_errx("%s; metrics stay at %s", err,
		    d->metrics.listen[0] ? d->metrics.listen : "off");
	d->conf = nc;
	d->source = d->cap.iface;
	log_set_journal(d->conf.alerts & DR_ALERTS_JOURNAL);
	log_notice("configuration reloaded from %s%s", d->opt.conf_path,
	    kept ? "" : "; new window or table sizes, window totals "
	    "carried over");
	sd_notify(0, "READY=1");
	update_status(d);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		reload(d);
		break;
	case SIGUSR1:
		log_stats(d, "statistics");
		break;
	default:
		event_base_loopexit(d->base, NULL);
		break;
	}
}

int
run_live(struct daemon *d)
{
	static const int	 sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	struct timeval		 tv;
	char			 err[PCAP_ERRBUF_SIZE + 256];
	uint64_t		 wd_usec;
	size_t			 i;

	if (d->conf.interface[0] == '\0' &&
	    capture_default_iface(d->conf.interface,
	    sizeof(d->conf.interface), err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	if ((d->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	log_info("dnsreachd %s: %s, libevent %s (%s)", DR_VERSION,
	    pcap_lib_version(), event_get_version(),
	    event_base_get_method(d->base));
	if ((d->engine = dr_engine_new(&d->conf, hash_seed())) == NULL)
		fatalx("out of memory for the tables");
	d->cap.base = d->base;
	d->cap.engine = d->engine;
	d->cap.on_change = on_capture_change;
	d->cap.on_batch = on_capture_batch;
	d->cap.arg = d;
	capture_configure(&d->cap, &d->conf);
	if (capture_open(&d->cap, err, sizeof(err)) != 0) {
		log_warnx("cannot capture: %s", err);
		return EXIT_RUNTIME;
	}
	d->source = d->cap.iface;
	/* Before dropping privileges: a port below 1024 needs them. */
	d->metrics.base = d->base;
	d->metrics.engine = d->engine;
	d->metrics.cap = &d->cap;
	if (metrics_listen(&d->metrics, d->conf.metrics_listen, err,
	    sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	if (priv_drop(d->conf.user, d->conf.allow_root, err,
	    sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	if (!d->opt.foreground && getenv("NOTIFY_SOCKET") == NULL) {
		log_set_journal(1);
		if (daemon(0, 0) == -1)
			fatal("daemon");
		d->detached = 1;
	}
	/* libevent's signal events: callbacks run in the loop, not async. */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		d->ev_sig[i] = evsignal_new(d->base, sigs[i], on_signal, d);
		if (d->ev_sig[i] == NULL || evsignal_add(d->ev_sig[i], NULL))
			fatalx("cannot set up signal handling");
	}
	signal(SIGPIPE, SIG_IGN);
	if ((d->ev_tick = event_new(d->base, -1, EV_PERSIST, on_tick,
	    d)) == NULL)
		fatalx("cannot set up the timer");
	arm_tick(d);
	if (sd_watchdog_enabled(0, &wd_usec) > 0) {
		tv.tv_sec = (time_t)(wd_usec / 2 / DR_USEC);
		tv.tv_usec = (suseconds_t)(wd_usec / 2 % DR_USEC);
		d->ev_watchdog = event_new(d->base, -1, EV_PERSIST,
		    on_watchdog, d);
		if (d->ev_watchdog == NULL ||
		    event_add(d->ev_watchdog, &tv) == -1)
			fatalx("cannot set up the watchdog timer");
	}

	sd_notify(0, "READY=1");
	update_status(d);
	log_notice("watching DNS on %s: window %g s, threshold %.0f%%, "
	    "clear %.0f%%, min_queries %u", d->cap.iface,
	    (double)d->conf.window / DR_USEC, d->conf.threshold * 100,
	    d->conf.clear_threshold * 100, d->conf.min_queries);
	if (event_base_dispatch(d->base) == -1)
		log_warnx("event loop failed");
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
	log_stats(d, "stopping");

	capture_close(&d->cap);
	metrics_close(&d->metrics);
	if (d->cap.ev_poll != NULL)
		event_free(d->cap.ev_poll);
	if (d->cap.ev_retry != NULL)
		event_free(d->cap.ev_retry);
	event_free(d->ev_tick);
	if (d->ev_watchdog != NULL)
		event_free(d->ev_watchdog);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		event_free(d->ev_sig[i]);
	dr_engine_free(d->engine);
	event_base_free(d->base);
	return 0;
}

