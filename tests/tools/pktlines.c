/*
 * pktlines: every DNS packet of a savefile as dr_pktline() writes it, one
 * line each, for comparison with `TZ=UTC tcpdump -n -r FILE`.
 *
 *   pktlines FILE
 *
 * A packet that is not DNS prints as "-" so that line n is packet n.
 */
#include <stdio.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "pktline.h"

static void
one(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	struct dr_event	ev;
	char		line[DR_PKTLINE_MAX];
	int		dlt = *(int *)arg;

	if (dr_decode(dlt, b, h->caplen, h->len,
	    dr_time_from_tv(h->ts.tv_sec, h->ts.tv_usec), &ev) !=
	    DR_DECODE_OK) {
		puts("-");
		return;
	}
	dr_pktline(&ev, line, sizeof(line));
	puts(line);
}

int
main(int argc, char **argv)
{
	char	 err[PCAP_ERRBUF_SIZE];
	pcap_t	*p;
	int	 dlt;

	if (argc != 2) {
		fprintf(stderr, "usage: pktlines FILE\n");
		return 2;
	}
	if ((p = pcap_open_offline(argv[1], err)) == NULL) {
		fprintf(stderr, "pktlines: %s\n", err);
		return 1;
	}
	dlt = pcap_datalink(p);
	if (pcap_loop(p, -1, one, (u_char *)&dlt) == PCAP_ERROR)
		fprintf(stderr, "pktlines: %s\n", pcap_geterr(p));
	pcap_close(p);
	return 0;
}
