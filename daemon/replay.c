/*
 * replay.c: --read FILE, the same engine on a savefile with packet time
 * as the clock, then the per-resolver summary.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "dnsreachd.h"
#include "journal.h"
#include "log.h"
#include "summary.h"

#define READ_BUFFER	(64 * 1024)	/* stdio buffer for savefiles */
#define READ_BATCH	4096		/* packets between alert drains */
#define MAX_EVENTS	(1024 * 1024)	/* alerts the summary lists */

struct replay {
	struct dr_engine	*engine;
	int			 dlt;
	/* --json keeps every alert for the summary. */
	struct dr_alert		*events;
	size_t			 nevents, events_cap;
};

static void
on_saved_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	struct replay	*rp = (struct replay *)arg;

	dr_engine_packet(rp->engine, rp->dlt, b, h->caplen, h->len,
	    dr_time_from_tv(h->ts.tv_sec, h->ts.tv_usec));
}

static void
keep_event(void *arg, const struct dr_alert *a)
{
	struct replay	*rp = arg;
	struct dr_alert	*v;
	size_t		 cap;

	if (rp->nevents == rp->events_cap) {
		if (rp->events_cap >= MAX_EVENTS) {
			if (rp->nevents == MAX_EVENTS)
				log_warnx("more than %d alerts: the summary "
				    "lists the first ones", MAX_EVENTS);
			rp->nevents = MAX_EVENTS + 1;	/* warned */
			return;
		}
		cap = rp->events_cap == 0 ? 64 : rp->events_cap * 2;
		if ((v = reallocarray(rp->events, cap, sizeof(*v))) == NULL)
			fatal("alerts of the replay");
		rp->events = v;
		rp->events_cap = cap;
	}
	if (rp->nevents < rp->events_cap)
		rp->events[rp->nevents++] = *a;
}

/*
 * Open a savefile with the configured filter (the decoder discards what
 * is not DNS faster than BPF would, so the default filter is not
 * applied).  0, or the exit status after saying why.
 */
int
savefile_open(struct daemon *d, const char *path, struct savefile *sf)
{
	char	 ebuf[PCAP_ERRBUF_SIZE];

	memset(sf, 0, sizeof(*sf));
	sf->path = path;
	if ((sf->f = fopen(path, "rb")) == NULL) {
		log_warn("%s", path);
		return EXIT_RUNTIME;
	}
	/*
	 * libpcap reads the file with fread(): a larger stdio buffer turns
	 * a read(2) per 4 KiB into one per 64 KiB, a good part of the cost
	 * of a replay once decoding is cheap (1 MiB was slower: it no
	 * longer stays in cache).  glibc ignores the size unless it is
	 * given the buffer too.
	 */
	if ((sf->iobuf = malloc(READ_BUFFER)) != NULL)
		setvbuf(sf->f, sf->iobuf, _IOFBF, READ_BUFFER);
	posix_fadvise(fileno(sf->f), 0, 0, POSIX_FADV_SEQUENTIAL);
	sf->p = pcap_fopen_offline_with_tstamp_precision(sf->f,
	    PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (sf->p == NULL) {
		fclose(sf->f);
		free(sf->iobuf);
		log_warnx("%s: %s", path, ebuf);
		return EXIT_RUNTIME;
	}
	sf->dlt = pcap_datalink(sf->p);
	if (strcmp(d->conf.filter, DR_DEFAULT_FILTER) != 0) {
		struct bpf_program	prog;

		if (pcap_compile(sf->p, &prog, d->conf.filter, 1,
		    PCAP_NETMASK_UNKNOWN) == -1 ||
		    pcap_setfilter(sf->p, &prog) == -1) {
			log_warnx("filter: %s", pcap_geterr(sf->p));
			savefile_close(sf);
			return EXIT_USAGE;
		}
		pcap_freecode(&prog);
	}
	return 0;
}

void
savefile_close(struct savefile *sf)
{
	if (sf->p != NULL)
		pcap_close(sf->p);	/* closes sf->f too */
	free(sf->iobuf);
	memset(sf, 0, sizeof(*sf));
}

int
run_read(struct daemon *d)
{
	struct savefile	 sf;
	struct replay	 rp = { 0 };
	int		 r;

	if ((r = savefile_open(d, d->opt.read_file, &sf)) != 0)
		return r;
	rp.dlt = sf.dlt;
	if (!dr_decode_linktype_ok(rp.dlt))
		log_warnx("%s: link type %s (%d) is not decoded",
		    d->opt.read_file, pcap_datalink_val_to_name(rp.dlt),
		    rp.dlt);
	if ((d->engine = dr_engine_new(&d->conf, hash_seed())) == NULL)
		fatalx("out of memory for the tables");
	if (d->opt.json) {
		d->on_alert = keep_event;
		d->on_alert_arg = &rp;
	}
	/* No loop to keep going: journald may take its time. */
	journal_set_patient(1);
	journal_start();
	rp.engine = d->engine;
	/* In batches, so that alerts leave the queue as they come. */
	while ((r = pcap_dispatch(sf.p, READ_BATCH, on_saved_packet,
	    (u_char *)&rp)) > 0)
		drain_alerts(d);
	if (r == PCAP_ERROR)
		log_warnx("%s: %s (summary covers what was read)",
		    d->opt.read_file, pcap_geterr(sf.p));
	savefile_close(&sf);
	/* The end of the capture judges its last bucket. */
	dr_engine_finish(d->engine);
	drain_alerts(d);
	/* The alerts out (or on stderr) before the summary. */
	journal_close(2000);
	if (d->opt.json)
		r = dr_summary_json(stdout, d->engine, d->opt.read_file,
		    rp.events, rp.nevents > MAX_EVENTS ? MAX_EVENTS :
		    rp.nevents);
	else
		r = dr_summary_text(stdout, d->engine, d->opt.read_file);
	dr_engine_free(d->engine);
	d->engine = NULL;
	free(rp.events);
	return r == 0 ? 0 : EXIT_RUNTIME;
}
