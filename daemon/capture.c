/*
 * capture.c: libpcap on libevent, the Linux way.
 *
 * Immediate mode, so TPACKET_V3 does not hold packets until a block fills
 * (libpcap #354, #472); nonblocking, with a bounded batch per wakeup so
 * the timers are not starved; a readable fd that yields no packet is
 * normal (#380); and pcap_get_required_select_timeout() is re-read after
 * every pass (#899).  A handle whose interface disappeared is closed and
 * reopened on a doubling back-off, never re-polled in a loop (#234).
 */
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "log.h"

#define DISPATCH_BATCH	512
#define RETRY_MAX_SEC	60

void
capture_configure(struct capture *c, const struct dr_config *conf)
{
	snprintf(c->iface, sizeof(c->iface), "%s", conf->interface);
	snprintf(c->filter, sizeof(c->filter), "%s", conf->filter);
	c->snaplen = conf->snaplen;
	c->buffer_size = conf->buffer_size;
	c->promiscuous = conf->promiscuous;
}

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture	*c = (struct capture *)arg;

	dr_engine_packet(c->engine, c->dlt, bytes, h->caplen, h->len,
	    dr_time_from_tv(h->ts.tv_sec, h->ts.tv_usec));
}

static void
rearm_poll(struct capture *c)
{
	const struct timeval	*tv;

	/* Non-NULL after ENETDOWN on Linux: poll until data flows again. */
	tv = pcap_get_required_select_timeout(c->p);
	if (tv != NULL && !evtimer_pending(c->ev_poll, NULL))
		evtimer_add(c->ev_poll, tv);
}

static void
capture_read(evutil_socket_t fd, short what, void *arg)
{
	struct capture	*c = arg;
	char		 why[PCAP_ERRBUF_SIZE + 64];
	int		 n;

	(void)fd;
	(void)what;
	if (c->p == NULL)
		return;
	n = pcap_dispatch(c->p, DISPATCH_BATCH, on_packet, (u_char *)c);
	if (n == PCAP_ERROR) {
		snprintf(why, sizeof(why), "%s", pcap_geterr(c->p));
		capture_lost(c, why);
		return;
	}
	/* 0 packets after a wakeup is normal; PCAP_ERROR_BREAK is ours. */
	if (n > 0 && c->on_batch != NULL)
		c->on_batch(c, c->arg);
	rearm_poll(c);
}

static void
capture_retry(evutil_socket_t fd, short what, void *arg)
{
	struct capture	*c = arg;
	struct timeval	 tv;
	char		 err[PCAP_ERRBUF_SIZE + 128];

	(void)fd;
	(void)what;
	if (capture_open(c, err, sizeof(err)) == 0) {
		log_notice("capture on %s is back", c->iface);
		c->retry_sec = 1;
		if (c->on_change != NULL)
			c->on_change(c, c->arg);
		return;
	}
	log_debug("reopening %s: %s", c->iface, err);
	c->retry_sec = c->retry_sec * 2 > RETRY_MAX_SEC ? RETRY_MAX_SEC :
	    c->retry_sec * 2;
	tv.tv_sec = c->retry_sec;
	tv.tv_usec = 0;
	evtimer_add(c->ev_retry, &tv);
}

static int
set_filter(pcap_t *p, const char *filter, char *err, size_t errlen)
{
	struct bpf_program	prog;

	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "filter \"%s\": %s", filter,
		    pcap_geterr(p));
		return -1;
	}
	if (pcap_setfilter(p, &prog) == -1) {
		snprintf(err, errlen, "setting filter: %s", pcap_geterr(p));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

int
capture_open(struct capture *c, char *err, size_t errlen)
{
	char	ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t	*p;
	int	 r, fd;

	if (c->p != NULL)
		capture_close(c);
	if ((p = pcap_create(c->iface, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", c->iface, ebuf);
		return PCAP_ERROR;
	}
	/* Order matters: everything before pcap_activate(). */
	pcap_set_snaplen(p, (int)c->snaplen);
	pcap_set_promisc(p, c->promiscuous);
	pcap_set_immediate_mode(p, 1);
	if (c->buffer_size > 0)
		pcap_set_buffer_size(p, (int)c->buffer_size);
	r = pcap_activate(p);
	if (r < 0) {
		if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, errlen, "%s: no such interface (%s)",
			    c->iface, pcap_geterr(p));
		else if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(err, errlen, "%s: permission denied (need "
			    "root or CAP_NET_RAW): %s", c->iface,
			    pcap_geterr(p));
		else
			snprintf(err, errlen, "%s: %s: %s", c->iface,
			    pcap_statustostr(r), pcap_geterr(p));
		pcap_close(p);
		return r;
	}
	if (r > 0)	/* a warning, not a failure */
		log_warnx("%s: %s: %s", c->iface, pcap_statustostr(r),
		    pcap_geterr(p));
	if (pcap_setnonblock(p, 1, ebuf) == -1) {
		snprintf(err, errlen, "%s: %s", c->iface, ebuf);
		pcap_close(p);
		return PCAP_ERROR;
	}
	if (set_filter(p, c->filter, err, errlen) == -1) {
		pcap_close(p);
		return PCAP_ERROR;
	}
	c->dlt = pcap_datalink(p);
	if (!dr_decode_linktype_ok(c->dlt))
		log_warnx("%s: link type %s (%d) is not decoded; nothing will "
		    "be counted", c->iface, pcap_datalink_val_to_name(c->dlt),
		    c->dlt);
	if ((fd = pcap_get_selectable_fd(p)) == -1) {
		snprintf(err, errlen, "%s: no selectable descriptor", c->iface);
		pcap_close(p);
		return PCAP_ERROR;
	}
	c->p = p;
	c->ev_read = event_new(c->base, fd, EV_READ | EV_PERSIST,
	    capture_read, c);
	if (c->ev_poll == NULL)
		c->ev_poll = evtimer_new(c->base, capture_read, c);
	if (c->ev_retry == NULL)
		c->ev_retry = evtimer_new(c->base, capture_retry, c);
	if (c->ev_read == NULL || c->ev_poll == NULL || c->ev_retry == NULL)
		fatalx("cannot create capture events");
	event_add(c->ev_read, NULL);
	c->up = 1;
	c->retry_sec = 1;
	log_info("capturing on %s, link type %s, snaplen %u", c->iface,
	    pcap_datalink_val_to_name(c->dlt), c->snaplen);
	return 0;
}

void
capture_close(struct capture *c)
{
	struct pcap_stat	ps;

	if (c->p == NULL)
		return;
	if (pcap_stats(c->p, &ps) == 0) {
		c->old_recv += ps.ps_recv;
		c->old_drop += ps.ps_drop;
		c->old_ifdrop += ps.ps_ifdrop;
	}
	if (c->ev_read != NULL) {
		event_free(c->ev_read);
		c->ev_read = NULL;
	}
	if (c->ev_poll != NULL)
		evtimer_del(c->ev_poll);
	pcap_close(c->p);
	c->p = NULL;
	c->up = 0;
}

void
capture_lost(struct capture *c, const char *why)
{
	struct timeval	tv;

	log_warnx("capture on %s lost: %s; retrying", c->iface, why);
	capture_close(c);
	if (c->on_change != NULL)
		c->on_change(c, c->arg);
	tv.tv_sec = c->retry_sec;
	tv.tv_usec = 0;
	evtimer_add(c->ev_retry, &tv);
}

int
capture_set_filter(struct capture *c, const char *filter, char *err,
    size_t errlen)
{
	snprintf(c->filter, sizeof(c->filter), "%s", filter);
	if (c->p == NULL)
		return 0;	/* applied on the next open */
	return set_filter(c->p, filter, err, errlen);
}

void
capture_stats(struct capture *c, uint64_t *recv, uint64_t *drop,
    uint64_t *ifdrop)
{
	struct pcap_stat	ps;

	*recv = c->old_recv;
	*drop = c->old_drop;
	*ifdrop = c->old_ifdrop;
	if (c->p != NULL && pcap_stats(c->p, &ps) == 0) {
		*recv += ps.ps_recv;
		*drop += ps.ps_drop;
		*ifdrop += ps.ps_ifdrop;
	}
}

int
capture_filter_ok(const char *filter, char *err, size_t errlen)
{
	struct bpf_program	 prog;
	pcap_t			*p;
	int			 r = 0;

	/* Ethernet is what a filter is usually written for. */
	if ((p = pcap_open_dead(DLT_EN10MB, 65535)) == NULL) {
		snprintf(err, errlen, "cannot check the filter");
		return -1;
	}
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		r = -1;
	} else
		pcap_freecode(&prog);
	pcap_close(p);
	return r;
}

int
capture_default_iface(char *buf, size_t len, char *err, size_t errlen)
{
	char		 ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t	*all, *d;

	if (pcap_findalldevs(&all, ebuf) == -1) {
		snprintf(err, errlen, "finding capture devices: %s", ebuf);
		return -1;
	}
	/* pcap lists devices that are up and not loopback first. */
	for (d = all; d != NULL; d = d->next)
		if ((d->flags & PCAP_IF_LOOPBACK) == 0 &&
		    strcmp(d->name, "any") != 0)
			break;
	if (d == NULL)
		d = all;
	if (d == NULL) {
		pcap_freealldevs(all);
		snprintf(err, errlen, "no capture device found (need root or "
		    "CAP_NET_RAW?)");
		return -1;
	}
	snprintf(buf, len, "%s", d->name);
	pcap_freealldevs(all);
	return 0;
}
