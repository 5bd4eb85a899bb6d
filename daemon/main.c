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
#include "log.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int code)
{
	FILE	*f = code == 0 ? stdout : stderr;

	fprintf(f,
"usage: dnsreachd [-c FILE] [-i IFACE] [-o KEY=VALUE]... [--alerts DEST]\n"
"                 [--user USER] [--foreground] [-v]\n"
"       dnsreachd --read FILE [--json] [-c FILE] [-o KEY=VALUE]...\n"
"       dnsreachd --check-config [-c FILE] [-o KEY=VALUE]...\n"
"       dnsreachd --incidents [--since TIME] [--until TIME]\n"
"                 [-D DIR | --file F] [--json | --report-format=FORMAT]\n"
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
"  -h, --help            this text\n"
"      --incidents       list past incidents from the journal; with\n"
"      --since, --until  TIME: 2026-01-01 12:00, yesterday, today, -2h,\n"
"                        \"2 hours ago\" (journal time, as journalctl)\n"
"  -D, --directory DIR   read the journal files in DIR (journal-remote's)\n"
"      --file FILE       read one journal file\n"
"      --report-format F text (default), json (the same as --json) or\n"
"                        markdown\n", DR_CONF_PATH);
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
int
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
		else
			log_info("%s not found: using built-in defaults",
			    o->conf_path);
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
	int		errs;

	memset(&d, 0, sizeof(d));
	if (incidents_wanted(argc, argv))
		return incidents_main(argc, argv);
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
	log_set_journal(d.conf.alerts & DR_ALERTS_JOURNAL);
	if (d.opt.read_file != NULL) {
		d.source = d.opt.read_file;
		return run_read(&d);
	}
	return run_live(&d);
}
