/*
 * dnsreachd: watch a gateway's DNS traffic and say, in the journal, when a
 * resolver stops answering and when it is back.
 *
 * main() is the whole life of the process: options, configuration,
 * capture, privileges, the loop, and the way out.
 */
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <pcap/pcap.h>
#include <systemd/sd-daemon.h>

#include "capture.h"
#include "config.h"
#include "engine.h"
#include "log.h"
#include "metrics_http.h"
#include "privdrop.h"
#include "sink.h"
#include "summary.h"

#define MAX_OVERRIDES	64
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define DROP_WARN_US	(60 * DR_USEC)	/* at most one loss warning a minute */
#define READ_BUFFER	(64 * 1024)	/* stdio buffer for savefiles */

struct options {
	const char	*conf_path;
	int		 conf_explicit;
	const char	*read_file;
	int		 json;
	int		 check_config;
	int		 foreground;
	int		 verbose;
	int		 alerts_given;
	const char	*overrides[MAX_OVERRIDES];
	size_t		 noverrides;
};

struct daemon {
	struct options		 opt;
	struct dr_config	 conf;
	struct event_base	*base;
	struct dr_engine	*engine;
	struct capture		 cap;
	struct metrics		 metrics;
	struct event		*ev_tick;
	struct event		*ev_watchdog;
	struct event		*ev_sig[5];
	const char		*source;	/* DNSREACH_INTERFACE */
	int			 journal_warned;
	int			 detached;	/* stderr is /dev/null */
	uint64_t		 warned_drops;
	dr_time_t		 last_drop_warn;
	uint64_t		 status_ticks;
	dr_time_t		 last_stats;
};

static void __attribute__((noreturn))
usage(int code)
{
	FILE	*f = code == 0 ? stdout : stderr;

	fprintf(f,
"usage: dnsreachd [-c FILE] [-i IFACE] [-o KEY=VALUE]... [--alerts DEST]\n"
"                 [--user USER] [--foreground] [-v]\n"
"       dnsreachd --read FILE [--json] [-c FILE] [-o KEY=VALUE]...\n"
"       dnsreachd --check-config [-c FILE] [-o KEY=VALUE]...\n"
"\n"
"  -c, --config FILE     configuration (default %s)\n"
"  -i, --interface IFACE capture interface (default: the first pcap finds)\n"
"  -r, --read FILE       replay a pcap/pcapng savefile, print a summary\n"
"  -j, --json            with --read: the summary as JSON\n"
"  -a, --alerts DEST     journal, stderr or both\n"
"  -o, --option K=V      override one configuration key\n"
"  -u, --user USER       switch to USER after opening the capture\n"
"  -n, --check-config    validate the configuration and exit\n"
"  -f, --foreground      do not detach (always so under systemd)\n"
"  -v, --verbose         debug messages\n"
"  -V, --version         print versions and exit\n"
"  -h, --help            this text\n", DR_CONF_PATH);
	exit(code);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "dnsreachd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see dnsreachd --help)\n");
	exit(EXIT_USAGE);
}

static void
add_override(struct options *o, const char *kv)
{
	if (o->noverrides == MAX_OVERRIDES)
		usage_error("too many overrides (at most %d)", MAX_OVERRIDES);
	o->overrides[o->noverrides++] = kv;
}

static char *
kv(const char *key, const char *value)
{
	char	*s;

	if (asprintf(&s, "%s=%s", key, value) == -1)
		fatal("asprintf");
	return s;
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	  required_argument, NULL, 'c' },
		{ "interface",	  required_argument, NULL, 'i' },
		{ "read",	  required_argument, NULL, 'r' },
		{ "json",	  no_argument,	     NULL, 'j' },
		{ "alerts",	  required_argument, NULL, 'a' },
		{ "option",	  required_argument, NULL, 'o' },
		{ "user",	  required_argument, NULL, 'u' },
		{ "check-config", no_argument,	     NULL, 'n' },
		{ "foreground",	  no_argument,	     NULL, 'f' },
		{ "verbose",	  no_argument,	     NULL, 'v' },
		{ "version",	  no_argument,	     NULL, 'V' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum dr_alert_dest	dest;
	int			ch;

	memset(o, 0, sizeof(*o));
	o->conf_path = DR_CONF_PATH;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:i:r:ja:o:u:nfvVh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->conf_path = optarg;
			o->conf_explicit = 1;
			break;
		case 'i':
			add_override(o, kv("interface", optarg));
			break;
		case 'r':
			o->read_file = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'a':
			if (dr_parse_alert_dest(optarg, &dest) == -1)
				usage_error("--alerts: \"%s\" is not journal, "
				    "stderr or both", optarg);
			add_override(o, kv("alerts", optarg));
			o->alerts_given = 1;
			break;
		case 'o':
			add_override(o, optarg);
			break;
		case 'u':
			add_override(o, kv("user", optarg));
			break;
		case 'n':
			o->check_config = 1;
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'V':
			printf("dnsreachd %s (%s, libevent %s)\n", DR_VERSION,
			    pcap_lib_version(), event_get_version());
			exit(0);
		case 'h':
			usage(0);
		case ':':
			usage_error("option %s needs a value",
			    argv[optind - 1]);
		default:
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->json && o->read_file == NULL)
		usage_error("%s goes with --read", "--json");
}

struct errsink {
	int	to_log;
	int	n;
};

static void
config_error(void *arg, const char *msg)
{
	struct errsink	*es = arg;

	es->n++;
	if (es->to_log)
		log_errx("%s", msg);
	else
		fprintf(stderr, "dnsreachd: %s\n", msg);
}

/*
 * Defaults, then the file, then the command line's overrides, then the
 * checks that span keys.  Returns the number of errors; all are reported.
 */
static int
load_config(const struct options *o, struct dr_config *c, int to_log)
{
	struct errsink	es = { to_log, 0 };
	char		msg[1200], err[PCAP_ERRBUF_SIZE + 64];
	size_t		i;

	dr_config_defaults(c);
	if (dr_config_load(c, o->conf_path, config_error, &es) == -1) {
		/* The default path may be absent: built-in defaults then. */
		if (errno == EACCES && geteuid() != 0)
			snprintf(msg, sizeof(msg), "%s: %s (the daemon now "
			    "runs as uid %lu: make the file readable to it)",
			    o->conf_path, strerror(errno),
			    (unsigned long)geteuid());
		else
			snprintf(msg, sizeof(msg), "%s: %s", o->conf_path,
			    strerror(errno));
		if (errno != ENOENT || o->conf_explicit)
			config_error(&es, msg);
	}
	for (i = 0; i < o->noverrides; i++)
		dr_config_override(c, o->overrides[i], "-o", config_error, &es);
	dr_config_validate(c, o->conf_path, config_error, &es);
	if (capture_filter_ok(c->filter, err, sizeof(err)) == -1) {
		snprintf(msg, sizeof(msg), "%s: filter: %s", o->conf_path, err);
		config_error(&es, msg);
	}
	return es.n;
}

/* ---- alerts ---- */

static void
on_alert(void *arg, const struct dr_alert *a)
{
	struct daemon	*d = arg;
	int		 to_stderr = d->conf.alerts & DR_ALERTS_STDERR;
	int		 r;

	if (d->conf.alerts & DR_ALERTS_JOURNAL) {
		if ((r = dr_sink_journal(a, d->source)) < 0) {
			/* Not lost: it goes to stderr instead. */
			if (!d->journal_warned)
				log_warnx("journal unavailable (%s); alerts "
				    "go to stderr until it is back",
				    strerror(-r));
			d->journal_warned = 1;
			to_stderr = 1;
		} else if (d->journal_warned) {
			log_notice("journal is back; alerts go there again");
			d->journal_warned = 0;
		}
	}
	if (to_stderr && d->detached) {
		char	msg[1024];

		/* No stderr after daemon(3): syslog is the last resort. */
		dr_alert_message(a, msg, sizeof(msg));
		syslog(dr_alert_priority(a) | LOG_DAEMON, "%s", msg);
	} else if (to_stderr)
		dr_sink_stream(stderr, a, d->source);
	d->status_ticks = 0;	/* refresh STATUS= now */
}

/* ---- savefile mode ---- */

struct replay {
	struct dr_engine	*engine;
	int			 dlt;
};

static void
on_saved_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	struct replay	*rp = (struct replay *)arg;

	dr_engine_packet(rp->engine, rp->dlt, b, h->caplen, h->len,
	    (dr_time_t)h->ts.tv_sec * DR_USEC + h->ts.tv_usec);
}

static int
run_read(struct daemon *d)
{
	char		 ebuf[PCAP_ERRBUF_SIZE], err[PCAP_ERRBUF_SIZE + 64];
	struct replay	 rp;
	pcap_t		*p;
	FILE		*f;
	char		*iobuf;
	int		 r;

	if ((f = fopen(d->opt.read_file, "rb")) == NULL) {
		log_warn("%s", d->opt.read_file);
		return EXIT_RUNTIME;
	}
	/*
	 * libpcap reads the file with fread(): a larger stdio buffer turns
	 * a read(2) per 4 KiB into one per 64 KiB, a good part of the cost
	 * of a replay once decoding is cheap (1 MiB was slower: it no
	 * longer stays in cache).  glibc ignores the size unless it is
	 * given the buffer too.
	 */
	if ((iobuf = malloc(READ_BUFFER)) != NULL)
		setvbuf(f, iobuf, _IOFBF, READ_BUFFER);
	posix_fadvise(fileno(f), 0, 0, POSIX_FADV_SEQUENTIAL);
	p = pcap_fopen_offline_with_tstamp_precision(f,
	    PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (p == NULL) {
		fclose(f);
		free(iobuf);
		log_warnx("%s: %s", d->opt.read_file, ebuf);
		return EXIT_RUNTIME;
	}
	rp.dlt = pcap_datalink(p);
	if (!dr_decode_linktype_ok(rp.dlt))
		log_warnx("%s: link type %s (%d) is not decoded",
		    d->opt.read_file, pcap_datalink_val_to_name(rp.dlt),
		    rp.dlt);
	/*
	 * The decoder discards what is not DNS faster than BPF would; a
	 * filter applies only when the configuration changed it.
	 */
	if (strcmp(d->conf.filter, DR_DEFAULT_FILTER) != 0) {
		struct bpf_program	prog;

		if (pcap_compile(p, &prog, d->conf.filter, 1,
		    PCAP_NETMASK_UNKNOWN) == -1 ||
		    pcap_setfilter(p, &prog) == -1) {
			snprintf(err, sizeof(err), "%s", pcap_geterr(p));
			log_warnx("filter: %s", err);
			pcap_close(p);
			free(iobuf);
			return EXIT_USAGE;
		}
		pcap_freecode(&prog);
	}
	if ((d->engine = dr_engine_new(&d->conf, on_alert, d)) == NULL)
		fatalx("out of memory for the tables");
	rp.engine = d->engine;
	r = pcap_loop(p, -1, on_saved_packet, (u_char *)&rp);
	if (r == PCAP_ERROR)
		log_warnx("%s: %s (summary covers what was read)",
		    d->opt.read_file, pcap_geterr(p));
	pcap_close(p);
	free(iobuf);
	/* One last tick at the end of packet time, then settle queries. */
	dr_engine_tick(d->engine, dr_engine_now(d->engine));
	dr_engine_finish(d->engine);
	if (d->opt.json)
		r = dr_summary_json(stdout, d->engine, d->opt.read_file);
	else
		r = dr_summary_text(stdout, d->engine, d->opt.read_file);
	dr_engine_free(d->engine);
	return r == 0 ? 0 : EXIT_RUNTIME;
}

/* ---- live mode ---- */

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
	update_status(d);
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
	while ((r = dr_tracker_next(t, &it)) != NULL)
		log_notice("resolver %s: %llu queries, %llu responses, %llu "
		    "unreachable (%llu unmatched), %llu timeouts, %llu late, "
		    "%llu alerts%s", dr_addr_format(&r->addr, addr,
		    sizeof(addr)), (unsigned long long)r->n.queries,
		    (unsigned long long)r->n.responses,
		    (unsigned long long)r->n.unreachable,
		    (unsigned long long)r->n.unmatched,
		    (unsigned long long)r->n.timeouts,
		    (unsigned long long)r->n.late,
		    (unsigned long long)r->n.alerts,
		    r->det.failing ? ", FAILING" : "");
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

static int
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
	if ((d->engine = dr_engine_new(&d->conf, on_alert, d)) == NULL)
		fatalx("out of memory for the tables");
	d->cap.base = d->base;
	d->cap.engine = d->engine;
	d->cap.on_change = on_capture_change;
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

int
main(int argc, char **argv)
{
	struct daemon	d;
	int		errs;

	memset(&d, 0, sizeof(d));
	parse_options(&d.opt, argc, argv);
	/* A savefile's alerts go to stderr unless asked otherwise. */
	if (d.opt.read_file != NULL && !d.opt.alerts_given)
		add_override(&d.opt, "alerts=stderr");
	log_init(0, d.opt.verbose);
	if ((errs = load_config(&d.opt, &d.conf, 0)) > 0) {
		fprintf(stderr, "dnsreachd: %s: %d configuration error%s\n",
		    d.opt.conf_path, errs, errs == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	if (d.opt.check_config) {
		printf("configuration OK\n");
		return 0;
	}
	srandom((unsigned)(time(NULL) ^ getpid()));
	log_set_journal(d.conf.alerts & DR_ALERTS_JOURNAL);
	if (d.opt.read_file != NULL) {
		d.source = d.opt.read_file;
		return run_read(&d);
	}
	return run_live(&d);
}
