/*
 * live.c: the live daemon.  run_live() is its whole life: live_start()
 * (the capture open, privileges dropped, READY=1), the loop, live_stop()
 * (STOPPING=1, everything freed).  Each part owns its events: the
 * capture its handles' (capture.c), the journal writer its timer
 * (journal.c), struct live the tick, the watchdog and the signals.
 *
 * Two event priorities: the watchdog, the tick, the signals and the
 * journal's check run before any packet, so a flood of packets cannot
 * delay them; they run on the loop, so a stuck loop stops the watchdog,
 * which is its point.  Nothing here waits on journald (journal.c).
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

#include "capture.h"
#include "clock.h"
#include "dnsreachd.h"
#include "journal.h"
#include "log.h"
#include "metrics_http.h"
#include "privdrop.h"

#define DROP_WARN_US	(60 * DR_USEC)	/* at most one loss warning a minute */
#define DEDUP_AUTO_US	(10 * DR_MSEC)	/* dedup_window = auto */
#define PRI_HIGH	0		/* timers, signals */
#define NPRI		2		/* and the capture, metrics: 1 */

static const int live_sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
#define NSIGS	(sizeof(live_sigs) / sizeof(live_sigs[0]))

struct live {
	struct daemon		*d;
	struct event_base	*base;
	struct capture		*cap;
	struct metrics		 metrics;
	struct event		*ev_tick;
	struct event		*ev_watchdog;
	struct event		*ev_sig[NSIGS];

	uint64_t		 warned_drops;
	dr_time_t		 last_drop_warn;
	uint64_t		 status_ticks;
	dr_time_t		 last_stats;
};

/* auto: several interfaces or "any" see a forwarded packet twice. */
static void
resolve_dedup(struct dr_config *c)
{
	if (c->dedup_window < 0)
		c->dedup_window = capture_sees_twice(c) ? DEDUP_AUTO_US : 0;
}

static void
update_status(struct live *l)
{
	const struct dr_engine_stats	*st = dr_engine_stats(l->d->engine);
	char				 down[DR_CONF_IFNAMSIZ];

	if (!l->cap->up) {
		capture_down_names(l->cap, down, sizeof(down));
		sd_notifyf(0, "STATUS=capture on %s down, retrying; %zu "
		    "resolvers, %zu failing", down,
		    dr_tracker_nresolvers(dr_engine_tracker(l->d->engine)),
		    dr_engine_nfailing(l->d->engine));
		return;
	}
	sd_notifyf(0, "STATUS=capturing on %s: %llu packets, %zu resolvers, "
	    "%zu failing, %zu slow, %llu dropped", l->cap->name,
	    (unsigned long long)st->packets,
	    dr_tracker_nresolvers(dr_engine_tracker(l->d->engine)),
	    dr_engine_nfailing(l->d->engine), dr_engine_nslow(l->d->engine),
	    (unsigned long long)(st->capture_dropped + st->capture_ifdropped));
}

/* Alerts out; STATUS= again soon when there were any. */
static void
drain(struct live *l)
{
	if (drain_alerts(l->d) > 0)
		l->status_ticks = 0;
}

static void
check_drops(struct live *l, dr_time_t now)
{
	uint64_t	recv, drop, ifdrop;

	capture_stats(l->cap, &recv, &drop, &ifdrop);
	dr_engine_capture_stats(l->d->engine, recv, drop, ifdrop, now);
	if (drop + ifdrop > l->warned_drops &&
	    now - l->last_drop_warn >= DROP_WARN_US) {
		log_warnx("capture on %s is losing packets: %llu dropped by "
		    "the kernel, %llu by the interface, of %llu received; a "
		    "lost answer looks like a timeout", l->cap->name,
		    (unsigned long long)drop, (unsigned long long)ifdrop,
		    (unsigned long long)recv);
		l->warned_drops = drop + ifdrop;
		l->last_drop_warn = now;
	}
}

static void
log_stats(struct live *l, const char *why)
{
	const struct dr_engine_stats	*st = dr_engine_stats(l->d->engine);
	struct dr_tracker		*t = dr_engine_tracker(l->d->engine);
	struct dr_resolver		*r;
	struct capture_ifstats		 is;
	struct journal_stats		 js;
	char				 addr[DR_ADDR_STRLEN];
	uint64_t			 recv, drop, ifdrop;
	uint32_t			 it = 0;
	size_t				 i;

	capture_stats(l->cap, &recv, &drop, &ifdrop);
	log_notice("%s: %llu packets (%llu truncated, %llu malformed, %llu "
	    "seen twice), capture received %llu, dropped %llu, interface "
	    "dropped %llu; %zu resolvers, %zu queries outstanding, %llu "
	    "alerts", why, (unsigned long long)st->packets,
	    (unsigned long long)st->decode[DR_DECODE_TRUNCATED],
	    (unsigned long long)st->decode[DR_DECODE_MALFORMED],
	    (unsigned long long)st->duplicates,
	    (unsigned long long)recv, (unsigned long long)drop,
	    (unsigned long long)ifdrop, dr_tracker_nresolvers(t),
	    dr_tracker_npending(t), (unsigned long long)st->alerts);
	for (i = 0; capture_ifstats(l->cap, i, &is) == 0; i++)
		log_notice("capture on %s: %s, link type %s, received %llu, "
		    "dropped %llu, interface dropped %llu; %llu batches, the "
		    "longest wait in the ring %lld ms", is.iface,
		    is.up ? "up" : "down", is.up ?
		    pcap_datalink_val_to_name(is.dlt) : "none",
		    (unsigned long long)is.recv, (unsigned long long)is.drop,
		    (unsigned long long)is.ifdrop,
		    (unsigned long long)is.batches,
		    (long long)(is.max_delay_us / 1000));
	journal_stats(&js);
	log_notice("journal: %llu entries written, %zu waiting, %llu dropped "
	    "(queue full), %llu not written (stderr only)%s",
	    (unsigned long long)js.sent, js.queued,
	    (unsigned long long)js.dropped, (unsigned long long)js.unwritten,
	    js.trouble ? "; journald stalled or away" : "");
	while ((r = dr_tracker_next(t, &it)) != NULL) {
		const struct dr_resolver_counts *n = dr_resolver_counts(r);
		const struct dr_detect_state *ds = dr_resolver_cstate(r);
		const uint64_t *lat = dr_resolver_latency(r);

		log_notice("resolver %s: %llu queries, %llu responses, %llu "
		    "unreachable (%llu unmatched), %llu timeouts, %llu TCP "
		    "resets, %llu SERVFAIL, %llu REFUSED, %llu retransmissions, "
		    "answers p50/p95/p99 %.1f/%.1f/%.1f ms, %llu alerts%s%s",
		    dr_addr_format(dr_resolver_addr(r), addr,
		    sizeof(addr)), (unsigned long long)n->queries,
		    (unsigned long long)n->responses,
		    (unsigned long long)n->unreachable,
		    (unsigned long long)n->unmatched,
		    (unsigned long long)n->timeouts,
		    (unsigned long long)n->tcp_resets,
		    (unsigned long long)n->rcodes[DR_RC_SERVFAIL],
		    (unsigned long long)n->rcodes[DR_RC_REFUSED],
		    (unsigned long long)n->retransmissions,
		    (double)dr_latency_quantile(lat, 0.50, NULL) / DR_MSEC,
		    (double)dr_latency_quantile(lat, 0.95, NULL) / DR_MSEC,
		    (double)dr_latency_quantile(lat, 0.99, NULL) / DR_MSEC,
		    (unsigned long long)n->alerts,
		    ds->failing ? ", FAILING" : "", ds->slow ? ", SLOW" : "");
	}
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct live	*l = arg;
	dr_time_t	 now;

	(void)fd;
	(void)what;
	clock_sample();
	now = clock_now();
	check_drops(l, now);
	dr_engine_tick(l->d->engine, now);
	drain(l);
	if (l->status_ticks++ % 10 == 0)
		update_status(l);
	if (l->d->conf.stats_interval > 0 &&
	    now - l->last_stats >= l->d->conf.stats_interval) {
		if (l->last_stats != 0)
			log_stats(l, "statistics");
		l->last_stats = now;
	}
}

/*
 * Its own timer (a long bucket must not starve it), on the loop that
 * reads the capture: the ping says that loop turns.
 */
static void
on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

static void
arm_tick(struct live *l)
{
	struct timeval	tv;

	tv.tv_sec = l->d->conf.bucket / DR_USEC;
	tv.tv_usec = l->d->conf.bucket % DR_USEC;
	if (event_add(l->ev_tick, &tv) == -1)
		fatalx("cannot set up the timer");
}

static struct event *
high_event(struct event_base *base, evutil_socket_t fd, short what,
    event_callback_fn cb, void *arg)
{
	struct event	*ev;

	if ((ev = event_new(base, fd, what, cb, arg)) == NULL)
		fatalx("cannot set up an event");
	event_priority_set(ev, PRI_HIGH);
	return ev;
}

/* An interface lost or back: the engine knows at once. */
static void
on_capture_change(struct capture *c, void *arg)
{
	struct live	*l = arg;

	dr_engine_capture_state(l->d->engine, c->up, clock_now());
	drain(l);
	metrics_stale(&l->metrics);
	update_status(l);
}

/* Alerts leave the engine after every batch of packets. */
static void
on_capture_batch(struct capture *c, void *arg)
{
	(void)c;
	drain(arg);
}

static void
reload(struct live *l)
{
	struct daemon		*d = l->d;
	struct dr_config	 nc;
	char			 err[PCAP_ERRBUF_SIZE + 256];
	int			 n, kept;

	sd_notify(0, "RELOADING=1\nSTATUS=reloading configuration");
	if ((n = load_config(&d->opt, &nc, 1)) > 0) {
		log_errx("%s: %d error%s; configuration not reloaded, the "
		    "running one stays", d->opt.conf_path, n,
		    n == 1 ? "" : "s");
		sd_notify(0, "READY=1");
		update_status(l);
		return;
	}
	if (nc.interface[0] == '\0')
		snprintf(nc.interface, sizeof(nc.interface), "%s",
		    d->conf.interface);
	resolve_dedup(&nc);
	drain(l);
	if ((kept = dr_engine_reconfigure(d->engine, &nc)) == -1) {
		log_errx("out of memory applying the new configuration; the "
		    "running one stays");
		sd_notify(0, "READY=1");
		return;
	}
	/* Reopens now what changed or is down, and tells the engine. */
	if (capture_reconfigure(l->cap, &nc, err, sizeof(err)) == -1)
		log_warnx("%s", err);
	if (nc.bucket != d->conf.bucket) {
		d->conf.bucket = nc.bucket;
		arm_tick(l);
	}
	if (metrics_listen(&l->metrics, nc.metrics_listen, err,
	    sizeof(err)) == -1)
		log_errx("%s; metrics stay at %s", err,
		    l->metrics.listen[0] ? l->metrics.listen : "off");
	d->conf = nc;
	d->source = l->cap->name;
	log_set_journal(d->conf.alerts & DR_ALERTS_JOURNAL);
	log_notice("configuration reloaded from %s%s", d->opt.conf_path,
	    kept ? "" : "; new window or table sizes, window totals "
	    "carried over");
	sd_notify(0, "READY=1");
	update_status(l);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct live	*l = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		reload(l);
		break;
	case SIGUSR1:
		log_stats(l, "statistics");
		break;
	default:
		event_base_loopexit(l->base, NULL);
		break;
	}
}

/* libevent's signal events: the callbacks run in the loop, not async. */
static void
signals_add(struct live *l)
{
	size_t	i;

	for (i = 0; i < NSIGS; i++) {
		l->ev_sig[i] = evsignal_new(l->base, live_sigs[i], on_signal,
		    l);
		if (l->ev_sig[i] == NULL)
			fatalx("cannot set up signal handling");
		event_priority_set(l->ev_sig[i], PRI_HIGH);
		if (evsignal_add(l->ev_sig[i], NULL) == -1)
			fatalx("cannot set up signal handling");
	}
}

static void
signals_del(struct live *l)
{
	size_t	i;

	for (i = 0; i < NSIGS; i++) {
		if (l->ev_sig[i] != NULL)
			event_free(l->ev_sig[i]);
		l->ev_sig[i] = NULL;
	}
}

static void
timers_add(struct live *l)
{
	struct timeval	tv;
	uint64_t	wd_usec;

	l->ev_tick = high_event(l->base, -1, EV_PERSIST, on_tick, l);
	arm_tick(l);
	if (sd_watchdog_enabled(0, &wd_usec) > 0) {
		tv.tv_sec = (time_t)(wd_usec / 2 / DR_USEC);
		tv.tv_usec = (suseconds_t)(wd_usec / 2 % DR_USEC);
		l->ev_watchdog = high_event(l->base, -1, EV_PERSIST,
		    on_watchdog, l);
		if (event_add(l->ev_watchdog, &tv) == -1)
			fatalx("cannot set up the watchdog timer");
	}
}

static void
timers_del(struct live *l)
{
	if (l->ev_tick != NULL)
		event_free(l->ev_tick);
	if (l->ev_watchdog != NULL)
		event_free(l->ev_watchdog);
	l->ev_tick = l->ev_watchdog = NULL;
}

/* Whatever live_start() got so far, in reverse. */
static void
live_free(struct live *l)
{
	signals_del(l);
	timers_del(l);
	metrics_close(&l->metrics);
	capture_free(l->cap);
	l->cap = NULL;
	journal_attach(NULL);
	dr_engine_free(l->d->engine);
	l->d->engine = NULL;
	if (l->base != NULL)
		event_base_free(l->base);
	l->base = NULL;
}

static int
live_start(struct live *l, struct daemon *d)
{
	char	err[PCAP_ERRBUF_SIZE + 256];

	memset(l, 0, sizeof(*l));
	l->d = d;
	if (d->conf.interface[0] == '\0' &&
	    capture_default_iface(d->conf.interface,
	    sizeof(d->conf.interface), err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	resolve_dedup(&d->conf);
	/* A closed metrics peer or stderr must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	if ((l->base = event_base_new()) == NULL ||
	    event_base_priority_init(l->base, NPRI) == -1)
		fatalx("cannot set up the event loop");
	log_info("dnsreachd %s: %s, libevent %s (%s)", DR_VERSION,
	    pcap_lib_version(), event_get_version(),
	    event_base_get_method(l->base));
	clock_start();
	if ((d->engine = dr_engine_new(&d->conf, hash_seed())) == NULL)
		fatalx("out of memory for the tables");
	if ((l->cap = capture_new(l->base, d->engine, &d->conf)) == NULL)
		fatalx("out of memory for the capture");
	l->cap->on_change = on_capture_change;
	l->cap->on_batch = on_capture_batch;
	l->cap->arg = l;
	if (capture_start(l->cap, err, sizeof(err)) != 0) {
		log_warnx("cannot capture: %s", err);
		goto fail;
	}
	d->source = l->cap->name;
	/* Before dropping privileges: a port below 1024 needs them. */
	l->metrics.base = l->base;
	l->metrics.engine = d->engine;
	l->metrics.cap = l->cap;
	if (metrics_listen(&l->metrics, d->conf.metrics_listen, err,
	    sizeof(err)) == -1) {
		log_warnx("%s", err);
		goto fail;
	}
	if (priv_drop(d->conf.user, d->conf.allow_root, err,
	    sizeof(err)) == -1) {
		log_warnx("%s", err);
		goto fail;
	}
	if (!d->opt.foreground && getenv("NOTIFY_SOCKET") == NULL) {
		log_set_journal(1);
		if (daemon(0, 0) == -1)
			fatal("daemon");
		log_set_detached();
		d->detached = 1;
	}
	/* After daemon(3): the writer is a thread, and threads do not fork. */
	journal_start();
	journal_attach(l->base);
	signals_add(l);
	timers_add(l);
	sd_notify(0, "READY=1");
	update_status(l);
	log_notice("watching DNS on %s: window %g s, threshold %.0f%%, "
	    "clear %.0f%%, min_queries %u", l->cap->name,
	    (double)d->conf.window / DR_USEC, d->conf.threshold * 100,
	    d->conf.clear_threshold * 100, d->conf.min_queries);
	return 0;

fail:
	live_free(l);
	return EXIT_RUNTIME;
}

static void
live_stop(struct live *l)
{
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
	drain(l);
	log_stats(l, "stopping");
	live_free(l);
}

int
run_live(struct daemon *d)
{
	struct live	l;
	int		rv;

	if ((rv = live_start(&l, d)) != 0)
		return rv;
	if (event_base_dispatch(l.base) == -1)
		log_warnx("event loop failed");
	live_stop(&l);
	return 0;
}
