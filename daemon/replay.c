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
#include "log.h"
#include "summary.h"

#define READ_BUFFER	(64 * 1024)	/* stdio buffer for savefiles */

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

int
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

