/*
 * report.c: --report FILE, an incident report from a savefile.
 *
 * Two passes over the file: the replay (the engine, its alerts to the
 * report rather than to the journal or stderr), then, when something
 * failed, every packet again for the report's own measurements.  The
 * report goes to stdout only once both passes are done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "dnsreachd.h"
#include "log.h"
#include "report.h"

#define READ_BATCH	4096		/* packets between alert drains */

struct pass {
	struct dr_engine	*engine;
	struct dr_report	*report;
	int			 dlt;
	dr_time_t		 first, last;
};

static void
on_replay(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	struct pass	*ps = (struct pass *)arg;
	dr_time_t	 ts = dr_time_from_tv(h->ts.tv_sec, h->ts.tv_usec);

	dr_engine_packet(ps->engine, ps->dlt, b, h->caplen, h->len, ts);
	if (!dr_time_valid(ts))
		return;
	if (ps->first == INT64_MIN || ts < ps->first)
		ps->first = ts;
	if (ps->last == INT64_MIN || ts > ps->last)
		ps->last = ts;
}

static void
on_look(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	struct pass	*ps = (struct pass *)arg;

	dr_report_packet(ps->report, ps->dlt, b, h->caplen, h->len,
	    dr_time_from_tv(h->ts.tv_sec, h->ts.tv_usec));
}

/* The engine's alerts go into the report, nowhere else. */
static void
drain(struct pass *ps)
{
	struct dr_alert	a;

	while (dr_engine_next_alert(ps->engine, &a))
		dr_report_alert(ps->report, &a);
}

/* Every packet through pcap_dispatch(cb); 0, or -1 when the file broke. */
static int
read_all(struct savefile *sf, pcap_handler cb, struct pass *ps, int drains,
    char *why, size_t whylen)
{
	int	r;

	while ((r = pcap_dispatch(sf->p, READ_BATCH, cb, (u_char *)ps)) > 0)
		if (drains)
			drain(ps);
	if (r == PCAP_ERROR) {
		snprintf(why, whylen, "%s", pcap_geterr(sf->p));
		return -1;
	}
	return 0;
}

int
run_report(struct daemon *d)
{
	enum dr_doc_format	 fmt = DR_DOC_MARKDOWN;
	struct savefile		 sf;
	struct pass		 ps;
	char			 why[PCAP_ERRBUF_SIZE + 64] = "";
	const char		*path = d->opt.report_file;
	int			 r;

	if (d->opt.report_format != NULL &&
	    dr_report_format(d->opt.report_format, &fmt) == -1)
		fatalx("report format %s", d->opt.report_format);
	if ((r = savefile_open(d, path, &sf)) != 0)
		return r;
	memset(&ps, 0, sizeof(ps));
	ps.dlt = sf.dlt;
	ps.first = ps.last = INT64_MIN;
	if (!dr_decode_linktype_ok(ps.dlt))
		log_warnx("%s: link type %s (%d) is not decoded", path,
		    pcap_datalink_val_to_name(ps.dlt), ps.dlt);
	if ((ps.engine = dr_engine_new(&d->conf, hash_seed())) == NULL ||
	    (ps.report = dr_report_new(&d->conf, path)) == NULL)
		fatalx("out of memory for the tables");

	/* Pass 1: the replay finds the incidents. */
	if (read_all(&sf, on_replay, &ps, 1, why, sizeof(why)) == -1) {
		log_warnx("%s: %s (the report covers what was read)", path,
		    why);
		dr_report_cut(ps.report, why);
	}
	savefile_close(&sf);
	dr_engine_finish(ps.engine);
	drain(&ps);
	if (dr_report_engine(ps.report, ps.engine, ps.first, ps.last) == -1)
		fatalx("out of memory for the report");
	dr_engine_free(ps.engine);
	ps.engine = NULL;

	/* Pass 2: a closer look at what failed. */
	if (dr_report_wants_packets(ps.report)) {
		if ((r = savefile_open(d, path, &sf)) != 0) {
			dr_report_free(ps.report);
			return r;
		}
		/* The same break again: already said. */
		read_all(&sf, on_look, &ps, 0, why, sizeof(why));
		savefile_close(&sf);
		dr_report_finish(ps.report);
	}

	if (dr_report_nothing(ps.report))
		log_warnx("%s: no DNS traffic in this capture (the report "
		    "says what it holds)", path);
	r = dr_report_write(stdout, ps.report, fmt);
	dr_report_free(ps.report);
	if (r == -1) {
		log_warnx("cannot write the report");
		return EXIT_RUNTIME;
	}
	return 0;
}
