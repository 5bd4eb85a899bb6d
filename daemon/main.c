/*
 * dnsreachd: watch a gateway's DNS traffic and say, in the journal, when a
 * resolver stops answering and when it is back.
 *
 * main() is options and configuration; then replay.c (--read) or live.c
 * (capture on the event loop) runs; alert.c decides where alerts go.
 */
#include <sys/random.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "dnsreachd.h"
#include "incidents.h"
#include "journal.h"
#include "log.h"
#include "report.h"
#include "version.h"

#define OPT_REPORT		256	/* long options without a letter */
#define OPT_REPORT_FORMAT	257

static void __attribute__((noreturn))
usage(int code)
{
	FILE	*f = code == 0 ? stdout : stderr;

	fprintf(f,
"usage: dnsreachd [-c FILE] [-i IFACE] [-o KEY=VALUE]... [--alerts DEST]\n"
"                 [--user USER] [--foreground] [-v]\n"
"       dnsreachd --read FILE [--json] [-c FILE] [-o KEY=VALUE]...\n"
"       dnsreachd --report FILE [--report-format FORMAT] [-c FILE]\n"
"                 [-o KEY=VALUE]...\n"
"       dnsreachd --check-config [-c FILE] [-o KEY=VALUE]...\n"
"       dnsreachd --incidents [--since TIME] [--until TIME]\n"
"                 [-D DIR | --file F] [--json | --report-format=FORMAT]\n"
"\n"
"  -c, --config FILE     configuration (default %s)\n"
"  -i, --interface IFACE capture interface (default: the first pcap finds)\n"
"  -r, --read FILE       replay a pcap/pcapng savefile, print a summary\n"
"  -j, --json            with --read: the summary as JSON\n"
"      --report FILE     an incident report from a savefile, on stdout\n"
"      --report-format F with --report: markdown (default) or html (one\n"
"                        page); with --incidents: text (default), json\n"
"                        (the same as --json) or markdown\n"
"  -a, --alerts DEST     journal, stderr or both\n"
"  -o, --option K=V      override one configuration key\n"
"  -u, --user USER       switch to USER after opening the capture\n"
"  -n, --check-config    validate the configuration and exit\n"
"  -f, --foreground      do not detach (always so under systemd)\n"
"  -v, --verbose         debug messages\n"
"  -V, --version         print versions and exit\n"
"  -h, --help            this text\n"
"      --incidents       list past incidents from the journal; with\n"
"      --since, --until  TIME: 2026-01-01 12:00, yesterday, today, -2h,\n"
"                        \"2 hours ago\" (journal time, as journalctl)\n"
"  -D, --directory DIR   read the journal files in DIR (journal-remote's)\n"
"      --file FILE       read one journal file\n", DR_CONF_PATH);
	exit(code);
}

void
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
	if (o->nopt == MAX_OVERRIDES)
		usage_error("too many -o options (at most %d)", MAX_OVERRIDES);
	o->nopt++;
	o->origin[o->noverrides] = "-o";
	o->overrides[o->noverrides++] = kv;
}

/* -i, -a, -u as "key=value" overrides, in the options' own buffers. */
static void
add_derived(struct options *o, const char *key, const char *value)
{
	char	*s;

	if (o->nderived == MAX_DERIVED)
		usage_error("-i, -a and -u given more than %d times",
		    MAX_DERIVED);
	s = o->derived[o->nderived];
	if ((size_t)snprintf(s, DERIVED_LEN, "%s=%s", key, value) >=
	    DERIVED_LEN)
		usage_error("%s: \"%.32s...\" is too long", key, value);
	o->nderived++;
	o->origin[o->noverrides] = "command line";
	o->overrides[o->noverrides++] = s;
}

/*
 * The config's path made absolute now: a detached daemon has chdir("/")
 * by the time SIGHUP asks it to read the file again.
 */
static void
absolute_conf_path(struct options *o)
{
	char	cwd[PATH_MAX];

	if (o->conf_path[0] == '/')
		return;
	if (realpath(o->conf_path, o->conf_buf) != NULL) {
		o->conf_path = o->conf_buf;
		return;
	}
	/* Not there (yet): keep the name, but from here. */
	if (getcwd(cwd, sizeof(cwd)) != NULL &&
	    (size_t)snprintf(o->conf_buf, sizeof(o->conf_buf), "%s/%s", cwd,
	    o->conf_path) < sizeof(o->conf_buf))
		o->conf_path = o->conf_buf;
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	  required_argument, NULL, 'c' },
		{ "interface",	  required_argument, NULL, 'i' },
		{ "read",	  required_argument, NULL, 'r' },
		{ "json",	  no_argument,	     NULL, 'j' },
		{ "report",	  required_argument, NULL, OPT_REPORT },
		{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
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
	enum dr_doc_format	fmt;
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
			add_derived(o, "interface", optarg);
			break;
		case 'r':
			o->read_file = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case OPT_REPORT:
			o->report_file = optarg;
			break;
		case OPT_REPORT_FORMAT:
			if (dr_report_format(optarg, &fmt) == -1)
				usage_error("--report-format: \"%s\" is not "
				    "markdown or html", optarg);
			o->report_format = optarg;
			break;
		case 'a':
			if (dr_parse_alert_dest(optarg, &dest) == -1)
				usage_error("--alerts: \"%s\" is not journal, "
				    "stderr or both", optarg);
			add_derived(o, "alerts", optarg);
			o->alerts_given = 1;
			break;
		case 'o':
			add_override(o, optarg);
			break;
		case 'u':
			add_derived(o, "user", optarg);
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
			version_print(stdout);
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
	if (o->report_format != NULL && o->report_file == NULL)
		usage_error("%s goes with --report", "--report-format");
	if (o->report_file != NULL && o->read_file != NULL)
		usage_error("--read and --report: one at a time");
	absolute_conf_path(o);
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
 * checks that span keys.  Returns the number of errors; all are reported,
 * each naming where it comes from: the file, the command line, or both.
 */
int
load_config(const struct options *o, struct dr_config *c, int to_log)
{
	struct errsink	 es = { to_log, 0 };
	char		 msg[PATH_MAX + PCAP_ERRBUF_SIZE + 1200];
	char		 err[PCAP_ERRBUF_SIZE + 64], where[PATH_MAX + 32];
	size_t		 i;
	int		 have_file;

	dr_config_defaults(c);
	if (!(have_file = dr_config_load(c, o->conf_path, config_error,
	    &es) != -1)) {
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
		else
			log_info("%s not found: using built-in defaults",
			    o->conf_path);
	}
	/* A savefile's alerts go to stderr unless asked otherwise. */
	if ((o->read_file != NULL || o->report_file != NULL) &&
	    !o->alerts_given)
		c->alerts = DR_ALERTS_STDERR;
	for (i = 0; i < o->noverrides; i++)
		dr_config_override(c, o->overrides[i], o->origin[i],
		    config_error, &es);
	/* Errors across keys: where could they come from? */
	if (have_file && o->noverrides > 0)
		snprintf(where, sizeof(where), "%s with the command line",
		    o->conf_path);
	else if (have_file)
		snprintf(where, sizeof(where), "%s", o->conf_path);
	else
		snprintf(where, sizeof(where), "%s", o->noverrides > 0 ?
		    "command line" : "built-in defaults");
	dr_config_validate(c, where, config_error, &es);
	if (es.n == 0)
		dr_config_check_memory(c, dr_engine_memory(c), where,
		    config_error, &es);
	if (capture_filter_ok(c, o->read_file == NULL, err,
	    sizeof(err)) == -1) {
		snprintf(msg, sizeof(msg), "%s: filter %s", where, err);
		config_error(&es, msg);
	}
	return es.n;
}

/* --check-config -v: what the configuration will take. */
static void
print_memory(const struct dr_config *c)
{
	uint64_t	tables = dr_engine_memory(c);
	unsigned	nif = 1;
	const char	*p;

	for (p = c->interface; *p != '\0'; p++)
		nif += *p == ',';
	printf("memory: engine tables %.1f MiB (max_resolvers %u with "
	    "%lld-bucket windows, max_pending %u; limit %.0f MiB), capture "
	    "buffers %.1f MiB (%u x buffer_size)\n", (double)tables / 1048576,
	    c->max_resolvers, (long long)(c->window / c->bucket),
	    c->max_pending, (double)c->memory_limit / 1048576,
	    (double)nif * c->buffer_size / 1048576, nif);
}

uint32_t
hash_seed(void)
{
	uint32_t	seed;

	/* Only needs to differ between runs, unguessably: not fatal. */
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	return seed;
}

int
main(int argc, char **argv)
{
	struct daemon	d;
	int		errs, rv;

	memset(&d, 0, sizeof(d));
	if (incidents_wanted(argc, argv))
		return incidents_main(argc, argv);
	parse_options(&d.opt, argc, argv);
	log_init(0, d.opt.verbose);
	if ((errs = load_config(&d.opt, &d.conf, 0)) > 0) {
		fprintf(stderr, "dnsreachd: %d configuration error%s\n", errs,
		    errs == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	if (d.opt.check_config) {
		if (d.opt.verbose)
			print_memory(&d.conf);
		printf("configuration OK\n");
		return 0;
	}
	log_set_journal(d.conf.alerts & DR_ALERTS_JOURNAL);
	if (d.opt.read_file != NULL) {
		d.source = d.opt.read_file;
		rv = run_read(&d);
	} else if (d.opt.report_file != NULL)
		rv = run_report(&d);
	else
		rv = run_live(&d);
	journal_close(1000);
	return rv;
}
