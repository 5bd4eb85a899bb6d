/*
 * incidents.c: dnsreachd --incidents.  Reads dnsreachd's own alerts from
 * the journal (local, a directory such as systemd-journal-remote's, or
 * one file) with sd-journal, pairs them with lib/incident.c and prints
 * the incidents as a table, JSON or a Markdown report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "dnsreachd.h"
#include "escape.h"
#include "incident.h"
#include "incidents.h"
#include "log.h"
#include "when.h"

#define FIELD_MAX	1024	/* bytes of a journal field kept */
#define ESC_MAX		DR_ESC_SIZE(FIELD_MAX)
#define NONE		DR_INC_TIME_NONE

enum format {
	FMT_TEXT = 0,
	FMT_JSON,
	FMT_MARKDOWN
};

struct inc_opts {
	const char	*since_arg;
	const char	*until_arg;
	int64_t		 since;		/* journal time, or NONE */
	int64_t		 until;
	const char	*dir;
	const char	*file;
	enum format	 fmt;
	int		 json;
};

/* What was read, for the closing lines. */
struct inc_read {
	uint64_t	entries;	/* matching entries in the range */
	uint64_t	skipped;	/* without a known MESSAGE_ID */
};

int
incidents_wanted(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--incidents") == 0)
			return 1;
	}
	return 0;
}

static int64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
parse_inc_options(struct inc_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "incidents",	   no_argument,	      NULL, 'I' },
		{ "since",	   required_argument, NULL, 'S' },
		{ "until",	   required_argument, NULL, 'U' },
		{ "directory",	   required_argument, NULL, 'D' },
		{ "file",	   required_argument, NULL, 'F' },
		{ "json",	   no_argument,	      NULL, 'j' },
		{ "report-format", required_argument, NULL, 'R' },
		{ "help",	   no_argument,	      NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t	now = now_us();
	int	ch, fmt_given = 0;

	memset(o, 0, sizeof(*o));
	o->since = o->until = NONE;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":D:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'I':
			break;
		case 'S':
			o->since_arg = optarg;
			break;
		case 'U':
			o->until_arg = optarg;
			break;
		case 'D':
			o->dir = optarg;
			break;
		case 'F':
			o->file = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'R':
			if (strcmp(optarg, "text") == 0)
				o->fmt = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o->fmt = FMT_JSON;
			else if (strcmp(optarg, "markdown") == 0)
				o->fmt = FMT_MARKDOWN;
			else
				usage_error("--report-format: \"%s\" is "
				    "not text, json or markdown", optarg);
			fmt_given = 1;
			break;
		case 'h':
			printf("usage: dnsreachd --incidents [--since TIME] "
			    "[--until TIME]\n"
			    "                 [-D DIR | --file FILE] [--json | "
			    "--report-format=FORMAT]\n");
			exit(0);
		case ':':
			usage_error("option %s needs a value",
			    argv[optind - 1]);
		default:
			usage_error("%s does not go with --incidents",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->json) {
		if (fmt_given && o->fmt != FMT_JSON)
			usage_error("--json and --report-format=%s: "
			    "choose one", o->fmt == FMT_TEXT ? "text" :
			    "markdown");
		o->fmt = FMT_JSON;
	}
	if (o->dir != NULL && o->file != NULL)
		usage_error("-D and --file: choose one");
	if (o->since_arg != NULL &&
	    dr_when_parse(o->since_arg, now, &o->since) < 0)
		usage_error("--since: cannot read \"%s\" as a time (try "
		    "\"2026-01-01 12:00\", \"yesterday\" or \"-2h\")",
		    o->since_arg);
	if (o->until_arg != NULL &&
	    dr_when_parse(o->until_arg, now, &o->until) < 0)
		usage_error("--until: cannot read \"%s\" as a time (try "
		    "\"2026-01-01 12:00\", \"today\" or \"-2h\")",
		    o->until_arg);
	if (o->since != NONE && o->until != NONE && o->since > o->until)
		usage_error("--since \"%s\" is after --until \"%s\"",
		    o->since_arg, o->until_arg);
}

/* ---- reading the journal ---- */

static int
open_journal(const struct inc_opts *o, sd_journal **jp)
{
	const char	*paths[2];
	const char	*what = o->dir != NULL ? o->dir : o->file;
	struct stat	 st;
	uint64_t	 bytes = 0;
	int		 r;

	if (what != NULL) {
		if (stat(what, &st) == -1) {
			log_warn("%s", what);
			return -1;
		}
		if (o->dir != NULL && !S_ISDIR(st.st_mode)) {
			log_warnx("%s: not a directory", what);
			return -1;
		}
		if (o->file != NULL && !S_ISREG(st.st_mode)) {
			log_warnx("%s: not a journal file", what);
			return -1;
		}
		if (access(what, o->dir != NULL ? R_OK | X_OK : R_OK) == -1) {
			log_warn("%s", what);
			return -1;
		}
	}
	if (o->dir != NULL)
		r = sd_journal_open_directory(jp, o->dir, 0);
	else if (o->file != NULL) {
		paths[0] = o->file;
		paths[1] = NULL;
		r = sd_journal_open_files(jp, paths, 0);
	} else
		r = sd_journal_open(jp, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0) {
		log_warnx("%s: cannot open the journal: %s",
		    what != NULL ? what : "local journal", strerror(-r));
		return -1;
	}
	/* Files it cannot read are skipped in silence: say so. */
	if (sd_journal_get_usage(*jp, &bytes) < 0 || bytes == 0) {
		if (o->dir != NULL)
			log_warnx("%s: no journal files that can be read",
			    what);
		else if (o->file != NULL)
			log_warnx("%s: not a journal file that can be read",
			    what);
		else
			log_warnx("no journal files that can be read (is "
			    "systemd-journald running? reading the system "
			    "journal needs root or the systemd-journal "
			    "group)");
		sd_journal_close(*jp);
		*jp = NULL;
		return -1;
	}
	return 0;
}

/* dnsreachd's alerts: any of the MESSAGE_IDs, and from dnsreachd. */
static int
add_matches(sd_journal *j)
{
	char	m[64];
	int	ev, r;

	for (ev = 0; ev < DR_INC_EV_N; ev++) {
		snprintf(m, sizeof(m), "MESSAGE_ID=%s",
		    dr_inc_event_msgid((enum dr_inc_event)ev));
		/* Matches on one field are ORed. */
		if ((r = sd_journal_add_match(j, m, 0)) < 0)
			return r;
	}
	/* and one on another field ANDed to them. */
	return sd_journal_add_match(j, "SYSLOG_IDENTIFIER=dnsreachd", 0);
}

/*
 * The value of FIELD in the current entry into buf (at most len - 1
 * bytes, up to any NUL in it): 1, or 0 when the entry has no such field.
 */
static int
field(sd_journal *j, const char *name, char *buf, size_t len)
{
	const void	*data;
	size_t		 n, nl = strlen(name), vl;
	const char	*v, *nul;

	buf[0] = '\0';
	if (sd_journal_get_data(j, name, &data, &n) < 0 || n <= nl)
		return 0;
	v = (const char *)data + nl + 1;
	vl = n - nl - 1;
	if ((nul = memchr(v, '\0', vl)) != NULL)
		vl = (size_t)(nul - v);
	if (vl > len - 1)
		vl = len - 1;
	memcpy(buf, v, vl);
	buf[vl] = '\0';
	return 1;
}

static uint64_t
fnv64(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int64_t
time_field(sd_journal *j, const char *name)
{
	char	buf[64];
	int64_t	t;

	if (!field(j, name, buf, sizeof(buf)) ||
	    dr_inc_parse_iso(buf, &t) < 0)
		return NONE;
	return t;
}

static double
number_field(sd_journal *j, const char *name)
{
	char	buf[64], *end;
	double	v;

	if (!field(j, name, buf, sizeof(buf)) || buf[0] == '\0')
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || !(v >= 0))
		return -1;
	return v;
}

struct entry_buf {
	char	msgid[64];
	char	host[FIELD_MAX];
	char	iface[FIELD_MAX];
	char	resolver[FIELD_MAX];
	char	cause[FIELD_MAX];
	char	qname[FIELD_MAX];
	char	boot[64];
	char	pid[32];
	char	reminder[8];
};

/* The current entry as a record; -1 when it is not one of ours. */
static int
read_entry(sd_journal *j, struct entry_buf *b, struct dr_inc_record *r)
{
	uint64_t	rt;
	double		clients;
	int		ev;

	memset(r, 0, sizeof(*r));
	if (!field(j, "MESSAGE_ID", b->msgid, sizeof(b->msgid)) ||
	    (ev = dr_inc_event_from_msgid(b->msgid)) < 0)
		return -1;
	r->event = (enum dr_inc_event)ev;
	r->realtime = sd_journal_get_realtime_usec(j, &rt) < 0 ? NONE :
	    (int64_t)rt;
	field(j, "_HOSTNAME", b->host, sizeof(b->host));
	field(j, "DNSREACH_INTERFACE", b->iface, sizeof(b->iface));
	field(j, "DNSREACH_RESOLVER", b->resolver, sizeof(b->resolver));
	field(j, "DNSREACH_CAUSE", b->cause, sizeof(b->cause));
	field(j, "DNSREACH_SAMPLE_QNAME", b->qname, sizeof(b->qname));
	field(j, "DNSREACH_REMINDER", b->reminder, sizeof(b->reminder));
	r->host = b->host;
	r->iface = b->iface;
	r->resolver = b->resolver;
	r->cause = b->cause;
	r->qname = b->qname;
	r->reminder = strcmp(b->reminder, "1") == 0;
	/*
	 * The writing process: a new one means the daemon restarted.  Both
	 * fields are read ("|", not "||"); either one is enough.
	 */
	if (field(j, "_BOOT_ID", b->boot, sizeof(b->boot)) |
	    field(j, "_PID", b->pid, sizeof(b->pid))) {
		r->writer = fnv64(fnv64(14695981039346656037ULL, b->boot),
		    b->pid);
		if (r->writer == 0)
			r->writer = 1;
	}
	r->first_failure = time_field(j, "DNSREACH_FIRST_FAILURE");
	r->event_time = time_field(j, "DNSREACH_EVENT_TIME");
	r->rate = number_field(j, "DNSREACH_FAILURE_RATE");
	r->p95_ms = number_field(j, "DNSREACH_P95_MS");
	clients = number_field(j, "DNSREACH_CLIENTS");
	r->clients = clients >= 0 && clients < 1e9 ? (long)clients : -1;
	return 0;
}

static int
read_journal(sd_journal *j, const struct inc_opts *o,
    struct dr_incidents *s, struct inc_read *rd)
{
	struct entry_buf	*b;
	struct dr_inc_record	 rec;
	uint64_t		 rt;
	int			 r;

	if ((r = add_matches(j)) < 0) {
		log_warnx("journal match: %s", strerror(-r));
		return -1;
	}
	r = o->since != NONE ? sd_journal_seek_realtime_usec(j,
	    (uint64_t)o->since) : sd_journal_seek_head(j);
	if (r < 0) {
		log_warnx("journal seek: %s", strerror(-r));
		return -1;
	}
	if ((b = malloc(sizeof(*b))) == NULL) {
		log_warn("malloc");
		return -1;
	}
	while ((r = sd_journal_next(j)) > 0) {
		if (sd_journal_get_realtime_usec(j, &rt) < 0)
			continue;
		if (o->since != NONE && (int64_t)rt < o->since)
			continue;
		/* As journalctl --until: the first one past it ends it. */
		if (o->until != NONE && (int64_t)rt > o->until)
			break;
		if (read_entry(j, b, &rec) < 0) {
			rd->skipped++;
			continue;
		}
		rd->entries++;
		if ((r = dr_incidents_add(s, &rec)) < 0) {
			log_warnx("pairing entries: %s", strerror(-r));
			free(b);
			return -1;
		}
	}
	free(b);
	if (r < 0) {
		log_warnx("reading the journal: %s", strerror(-r));
		return -1;
	}
	return 0;
}

/* ---- words for people ---- */

/* "2026-01-01 00:01:18" in UTC, or what stands for unknown. */
static void
utc_time(int64_t us, char *buf, size_t len, const char *unknown)
{
	struct tm	tm;
	time_t		t;

	if (us == NONE) {
		snprintf(buf, len, "%s", unknown);
		return;
	}
	t = (time_t)(us / 1000000);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "?");
}

/* A --since/--until bound for a sentence, in local time. */
static void
bound(int64_t us, char *buf, size_t len, const char *none)
{
	struct tm	tm;
	time_t		t;

	if (us == NONE) {
		snprintf(buf, len, "%s", none);
		return;
	}
	t = (time_t)(us / 1000000);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(buf, len, "?");
}

/* 45s, 12m05s, 3h04m, 2d03h. */
static void
span(int64_t us, char *buf, size_t len)
{
	long long	s = us < 0 ? 0 : us / 1000000;

	if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

/* The duration, or at least how long it has been known to last. */
static void
duration(const struct dr_incident *inc, char *buf, size_t len)
{
	char	tmp[32];

	if (inc->start == NONE) {
		snprintf(buf, len, "?");
		return;
	}
	if (inc->status == DR_INC_ST_ENDED) {
		span(inc->end - inc->start, buf, len);
		return;
	}
	if (inc->last_event == NONE) {
		snprintf(buf, len, "?");
		return;
	}
	span(inc->last_event - inc->start, tmp, sizeof(tmp));
	snprintf(buf, len, ">%s", tmp);
}

static void
peak(const struct dr_incident *inc, char *buf, size_t len)
{
	if (inc->kind == DR_INC_KIND_SLOW && inc->peak_p95_ms >= 0)
		snprintf(buf, len, "p95 %.0fms", inc->peak_p95_ms);
	else if (inc->peak_rate >= 0)
		snprintf(buf, len, "%.1f%%", inc->peak_rate * 100);
	else
		snprintf(buf, len, "-");
}

static void
notes(const struct dr_incident *inc, char *buf, size_t len)
{
	size_t	n = 0;

	buf[0] = '\0';
#define NOTE(...)	do {						\
		if (n < len)						\
			n += (size_t)snprintf(buf + n, len - n,		\
			    "%s", n > 0 ? ", " : "");			\
		if (n < len)						\
			n += (size_t)snprintf(buf + n, len - n,		\
			    __VA_ARGS__);				\
	} while (0)
	if (inc->partial)
		NOTE("onset not read");
	if (inc->status == DR_INC_ST_NO_END)
		NOTE("no end recorded");
	if (inc->flaps > 0)
		NOTE("flapped %u", inc->flaps);
	if (inc->updates > 0)
		NOTE("cause changed %u", inc->updates);
#undef NOTE
	if (n == 0)
		snprintf(buf, len, "-");
}

/* ---- text ---- */

enum col {
	C_GATEWAY, C_IFACE, C_RESOLVER, C_KIND, C_START, C_END, C_DURATION,
	C_CAUSE, C_PEAK, C_CLIENTS, C_REMINDERS, C_NOTES, C_SAMPLE, C_N
};

static const char *const col_head[C_N] = {
	"GATEWAY", "INTERFACE", "RESOLVER", "KIND", "START (UTC)",
	"END (UTC)", "DURATION", "CAUSE", "PEAK", "CLIENTS", "REMINDERS",
	"NOTES", "SAMPLE"
};

/* One cell, escaped for mode. */
static void
cell(const struct dr_incident *inc, enum col c, enum dr_esc_mode mode,
    char *buf, size_t len)
{
	char	tmp[128];

	switch (c) {
	case C_GATEWAY:
		dr_escape(mode, buf, len, inc->host);
		return;
	case C_IFACE:
		dr_escape(mode, buf, len, inc->iface);
		return;
	case C_RESOLVER:
		dr_escape(mode, buf, len, inc->resolver);
		return;
	case C_KIND:
		snprintf(tmp, sizeof(tmp), "%s", dr_inc_kind_name(inc->kind));
		break;
	case C_START:
		utc_time(inc->start, tmp, sizeof(tmp), "?");
		break;
	case C_END:
		utc_time(inc->end, tmp, sizeof(tmp),
		    inc->status == DR_INC_ST_ONGOING ? "ongoing" : "unknown");
		break;
	case C_DURATION:
		duration(inc, tmp, sizeof(tmp));
		break;
	case C_CAUSE:
		dr_escape(mode, buf, len, inc->cause[0] != '\0' ? inc->cause :
		    "-");
		return;
	case C_PEAK:
		peak(inc, tmp, sizeof(tmp));
		break;
	case C_CLIENTS:
		if (inc->clients >= 0)
			snprintf(tmp, sizeof(tmp), "%ld", inc->clients);
		else
			snprintf(tmp, sizeof(tmp), "-");
		break;
	case C_REMINDERS:
		snprintf(tmp, sizeof(tmp), "%u", inc->reminders);
		break;
	case C_NOTES:
		notes(inc, tmp, sizeof(tmp));
		break;
	case C_SAMPLE:
		dr_escape(mode, buf, len, inc->qname[0] != '\0' ? inc->qname :
		    "-");
		return;
	case C_N:
		tmp[0] = '\0';
		break;
	}
	dr_escape(mode, buf, len, tmp);
}

/* Padded to its column, the last one not. */
static void
put_cell(FILE *f, int c, size_t width, const char *s)
{
	if (c + 1 < C_N)
		fprintf(f, "%-*s  ", (int)width, s);
	else
		fprintf(f, "%s\n", s);
}

static void
print_text(FILE *f, const struct dr_incidents *s)
{
	const struct dr_incident	*inc;
	size_t				 w[C_N], n = dr_incidents_count(s), i;
	char				*buf;
	int				 c;

	if ((buf = malloc(ESC_MAX)) == NULL)
		fatal("malloc");
	for (c = 0; c < C_N; c++)
		w[c] = strlen(col_head[c]);
	for (i = 0; i < n; i++) {
		inc = dr_incidents_get(s, i);
		for (c = 0; c < C_N; c++) {
			cell(inc, (enum col)c, DR_ESC_TEXT, buf, ESC_MAX);
			if (buf[0] == '\0')
				snprintf(buf, ESC_MAX, "-");
			if (strlen(buf) > w[c])
				w[c] = strlen(buf);
		}
	}
	for (c = 0; c < C_N; c++)
		put_cell(f, c, w[c], col_head[c]);
	for (i = 0; i < n; i++) {
		inc = dr_incidents_get(s, i);
		for (c = 0; c < C_N; c++) {
			cell(inc, (enum col)c, DR_ESC_TEXT, buf, ESC_MAX);
			put_cell(f, c, w[c], buf[0] != '\0' ? buf : "-");
		}
	}
	free(buf);
}

/* ---- JSON ---- */

static void
json_str(FILE *f, const char *key, const char *v, char *buf)
{
	dr_escape(DR_ESC_JSON, buf, ESC_MAX, v);
	fprintf(f, "\"%s\": \"%s\"", key, buf);
}

static void
json_time(FILE *f, const char *key, int64_t t)
{
	char	iso[40];

	if (t == NONE) {
		fprintf(f, "\"%s\": null", key);
		return;
	}
	dr_inc_format_iso(t, iso, sizeof(iso));
	fprintf(f, "\"%s\": \"%s\"", key, iso);
}

static void
json_incident(FILE *f, const struct dr_incident *inc, char *buf)
{
	fputc('{', f);
	json_str(f, "gateway", inc->host, buf);
	fputs(", ", f);
	json_str(f, "interface", inc->iface, buf);
	fputs(", ", f);
	json_str(f, "resolver", inc->resolver, buf);
	fprintf(f, ", \"kind\": \"%s\", \"status\": \"%s\", "
	    "\"partial\": %s, ", dr_inc_kind_name(inc->kind),
	    dr_inc_status_name(inc->status), inc->partial ? "true" : "false");
	json_time(f, "start", inc->start);
	fputs(", ", f);
	json_time(f, "end", inc->end);
	if (inc->status == DR_INC_ST_ENDED && inc->start != NONE &&
	    inc->end >= inc->start)
		fprintf(f, ", \"duration_sec\": %.3f",
		    (double)(inc->end - inc->start) / 1e6);
	else
		fputs(", \"duration_sec\": null", f);
	fputs(", ", f);
	json_time(f, "last_event", inc->last_event);
	fputs(", ", f);
	if (inc->cause[0] != '\0')
		json_str(f, "cause", inc->cause, buf);
	else
		fputs("\"cause\": null", f);
	if (inc->peak_rate >= 0)
		fprintf(f, ", \"peak_failure_rate\": %.3f", inc->peak_rate);
	else
		fputs(", \"peak_failure_rate\": null", f);
	if (inc->peak_p95_ms >= 0)
		fprintf(f, ", \"peak_p95_ms\": %.1f", inc->peak_p95_ms);
	else
		fputs(", \"peak_p95_ms\": null", f);
	if (inc->clients >= 0)
		fprintf(f, ", \"clients\": %ld", inc->clients);
	else
		fputs(", \"clients\": null", f);
	fputs(", ", f);
	json_str(f, "sample_qname", inc->qname, buf);
	fprintf(f, ", \"reminders\": %u, \"flaps\": %u, \"updates\": %u, "
	    "\"entries\": %u, ", inc->reminders, inc->flaps, inc->updates,
	    inc->entries);
	json_time(f, "first_seen", inc->first_seen);
	fputs(", ", f);
	json_time(f, "last_seen", inc->last_seen);
	fputc('}', f);
}

static void
print_json(FILE *f, const struct dr_incidents *s, const struct inc_opts *o,
    const struct inc_read *rd)
{
	const struct dr_inc_stats	*st = dr_incidents_stats(s);
	size_t				 n = dr_incidents_count(s), i;
	char				*buf;

	if ((buf = malloc(ESC_MAX)) == NULL)
		fatal("malloc");
	fputc('{', f);
	json_time(f, "since", o->since);
	fputs(", ", f);
	json_time(f, "until", o->until);
	fprintf(f, ", \"entries\": %llu, \"duplicates\": %llu, "
	    "\"restarts\": %llu, \"evicted\": %llu, \"total\": %llu, "
	    "\"unlisted\": %llu, \"incidents\": [",
	    (unsigned long long)rd->entries,
	    (unsigned long long)st->duplicates,
	    (unsigned long long)st->restarts,
	    (unsigned long long)st->evicted,
	    (unsigned long long)st->incidents,
	    (unsigned long long)st->unlisted);
	for (i = 0; i < n; i++) {
		fputs(i == 0 ? "\n  " : ",\n  ", f);
		json_incident(f, dr_incidents_get(s, i), buf);
	}
	fputs(n > 0 ? "\n]}\n" : "]}\n", f);
	free(buf);
}

/* ---- Markdown ---- */

struct group {
	const struct dr_incident	*first;
	size_t				 count;
	size_t				 ended;
	int64_t				 total;		/* ended ones */
	int64_t				 longest;
	size_t				 ongoing;
	const char			*causes[4];
	size_t				 ncauses;
	int				 more_causes;
};

static int
same_group(const struct dr_incident *x, const struct dr_incident *y)
{
	return strcmp(x->host, y->host) == 0 &&
	    strcmp(x->resolver, y->resolver) == 0 && x->kind == y->kind;
}

static int
cmp_by_resolver(const void *a, const void *b)
{
	const struct dr_incident *const	*x = a, *const *y = b;
	int				 c;

	if ((c = strcmp((*x)->host, (*y)->host)) != 0 ||
	    (c = strcmp((*x)->resolver, (*y)->resolver)) != 0)
		return c;
	if ((*x)->kind != (*y)->kind)
		return (int)(*x)->kind - (int)(*y)->kind;
	/* The list is sorted by start: keep that order within a group. */
	return *x < *y ? -1 : *x > *y;
}

static void
group_add(struct group *g, const struct dr_incident *inc)
{
	size_t	i;

	if (g->count++ == 0)
		g->first = inc;
	if (inc->status == DR_INC_ST_ENDED && inc->start != NONE) {
		g->ended++;
		g->total += inc->end - inc->start;
		if (inc->end - inc->start > g->longest)
			g->longest = inc->end - inc->start;
	}
	if (inc->status == DR_INC_ST_ONGOING)
		g->ongoing++;
	if (inc->cause[0] == '\0')
		return;
	for (i = 0; i < g->ncauses; i++)
		if (strcmp(g->causes[i], inc->cause) == 0)
			return;
	if (g->ncauses < sizeof(g->causes) / sizeof(g->causes[0]))
		g->causes[g->ncauses++] = inc->cause;
	else
		g->more_causes = 1;
}

static void
group_print(FILE *f, const struct group *g, char *buf)
{
	char	tot[32], lng[32];
	size_t	i;

	dr_escape(DR_ESC_MARKDOWN, buf, ESC_MAX, g->first->host);
	fprintf(f, "| %s | ", buf[0] != '\0' ? buf : "-");
	dr_escape(DR_ESC_MARKDOWN, buf, ESC_MAX, g->first->resolver);
	if (g->ended > 0) {
		span(g->total, tot, sizeof(tot));
		span(g->longest, lng, sizeof(lng));
	} else {
		snprintf(tot, sizeof(tot), "-");
		snprintf(lng, sizeof(lng), "-");
	}
	fprintf(f, "%s | %s | %zu | %zu | %s | %s | ", buf,
	    dr_inc_kind_name(g->first->kind), g->count, g->ongoing, tot, lng);
	for (i = 0; i < g->ncauses; i++) {
		dr_escape(DR_ESC_MARKDOWN, buf, ESC_MAX, g->causes[i]);
		fprintf(f, "%s%s", i > 0 ? ", " : "", buf);
	}
	fprintf(f, "%s |\n", g->ncauses == 0 ? "-" :
	    g->more_causes ? ", ..." : "");
}

static void
print_markdown(FILE *f, const struct dr_incidents *s,
    const struct inc_opts *o, const struct inc_read *rd)
{
	const struct dr_inc_stats	 *st = dr_incidents_stats(s);
	const struct dr_incident	**v;
	struct group			  g;
	size_t				  n = dr_incidents_count(s), i;
	size_t				  ongoing = 0, slow = 0;
	int64_t				  total = 0;
	char				  from[64], to[64], tot[32], *buf;
	int				  c;

	bound(o->since, from, sizeof(from), "the start of the journal");
	bound(o->until, to, sizeof(to), "now");
	fprintf(f, "# DNS incidents\n\nFrom %s to %s.\n\n", from, to);
	if (n == 0) {
		fprintf(f, "No incidents between %s and %s.\n", from, to);
		return;
	}
	if ((buf = malloc(ESC_MAX)) == NULL ||
	    (v = calloc(n, sizeof(*v))) == NULL)
		fatal("malloc");
	for (i = 0; i < n; i++) {
		v[i] = dr_incidents_get(s, i);
		if (v[i]->status == DR_INC_ST_ONGOING)
			ongoing++;
		if (v[i]->kind == DR_INC_KIND_SLOW)
			slow++;
		else if (v[i]->status == DR_INC_ST_ENDED &&
		    v[i]->start != NONE)
			total += v[i]->end - v[i]->start;
	}
	span(total, tot, sizeof(tot));
	fprintf(f, "**%zu incident%s** (%zu failing, %zu slow; %zu still "
	    "ongoing); resolvers failing for %s in all (ended incidents); "
	    "%llu journal entries read.\n\n", n, n == 1 ? "" : "s", n - slow,
	    slow, ongoing, tot, (unsigned long long)rd->entries);
	if (st->unlisted > 0)
		fprintf(f, "Only the first %zu of %llu incidents are listed: "
		    "narrow the range with --since and --until.\n\n", n,
		    (unsigned long long)st->incidents);

	fprintf(f, "## By resolver\n\n| Gateway | Resolver | Kind | "
	    "Incidents | Ongoing | Total | Longest | Causes |\n"
	    "|---|---|---|--:|--:|--:|--:|---|\n");
	qsort(v, n, sizeof(*v), cmp_by_resolver);
	memset(&g, 0, sizeof(g));
	for (i = 0; i < n; i++) {
		if (g.count > 0 && !same_group(g.first, v[i])) {
			group_print(f, &g, buf);
			memset(&g, 0, sizeof(g));
		}
		group_add(&g, v[i]);
	}
	group_print(f, &g, buf);
	free(v);

	fprintf(f, "\n## Incidents\n\n|");
	for (c = 0; c < C_N; c++)
		fprintf(f, " %s |", col_head[c]);
	fprintf(f, "\n|");
	for (c = 0; c < C_N; c++)
		fprintf(f, "%s|", c == C_CLIENTS || c == C_REMINDERS ||
		    c == C_DURATION || c == C_PEAK ? "--:" : "---");
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		fputc('|', f);
		for (c = 0; c < C_N; c++) {
			cell(dr_incidents_get(s, i), (enum col)c,
			    DR_ESC_MARKDOWN, buf, ESC_MAX);
			fprintf(f, " %s |", buf[0] != '\0' ? buf : "-");
		}
		fputc('\n', f);
	}
	free(buf);
}

/* ---- the command ---- */

int
incidents_main(int argc, char **argv)
{
	struct inc_opts		 o;
	struct inc_read		 rd;
	struct dr_incidents	*s;
	sd_journal		*j = NULL;
	const struct dr_inc_stats *st;
	char			 from[64], to[64];
	int			 r;

	log_init(0, 0);
	parse_inc_options(&o, argc, argv);
	if (open_journal(&o, &j) < 0)
		return EXIT_RUNTIME;
	if ((s = dr_incidents_new(DR_INC_OPEN_MAX, DR_INC_LIST_MAX)) == NULL) {
		sd_journal_close(j);
		log_warnx("out of memory");
		return EXIT_RUNTIME;
	}
	memset(&rd, 0, sizeof(rd));
	r = read_journal(j, &o, s, &rd);
	sd_journal_close(j);
	if (r < 0 || dr_incidents_finish(s) < 0) {
		if (r >= 0)
			log_warnx("pairing entries: out of memory");
		dr_incidents_free(s);
		return EXIT_RUNTIME;
	}
	st = dr_incidents_stats(s);
	bound(o.since, from, sizeof(from), "the start of the journal");
	bound(o.until, to, sizeof(to), "now");
	switch (o.fmt) {
	case FMT_JSON:
		print_json(stdout, s, &o, &rd);
		break;
	case FMT_MARKDOWN:
		print_markdown(stdout, s, &o, &rd);
		break;
	case FMT_TEXT:
		if (dr_incidents_count(s) == 0) {
			printf("no incidents between %s and %s\n", from, to);
			break;
		}
		print_text(stdout, s);
		printf("%llu incident%s between %s and %s, from %llu journal "
		    "entries\n", (unsigned long long)st->incidents,
		    st->incidents == 1 ? "" : "s", from, to,
		    (unsigned long long)rd.entries);
		break;
	}
	if (st->unlisted > 0)
		log_warnx("%llu incidents not listed (at most %d): narrow the "
		    "range with --since and --until",
		    (unsigned long long)st->unlisted, DR_INC_LIST_MAX);
	dr_incidents_free(s);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("standard output");
		return EXIT_RUNTIME;
	}
	return 0;
}
