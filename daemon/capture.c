/*
 * capture.c: libpcap on libevent, the Linux way.
 *
 * TPACKET_V3 blocks with a short timeout, not immediate mode: immediate
 * mode wakes the loop for every packet (10-16 times tcpdump's CPU at
 * 60k-100k packets/s), while a block is handed over when it is full or
 * when the kernel's retire timer, which runs every CAPTURE_TIMEOUT_MS,
 * finds it holding a packet; an empty block just waits, so an idle link
 * wakes nobody and a lone packet waits at most about that long.  A
 * timeout of 0 would mean "when the block is full" (libpcap #335, #860,
 * #905): never 0.  The fd is nonblocking and libevent polls it; libpcap's
 * own poll() then has a timeout of 0, and the block timeout still
 * applies, since the kernel has it (fixed at activation).
 *
 * A bounded batch per wakeup keeps the timers going; a readable fd that
 * yields no packet is normal (#380); pcap_get_required_select_timeout()
 * is re-read after every pass (#899).  A handle whose interface
 * disappeared is closed and reopened on a doubling back-off, never
 * re-polled in a loop (#234).  Each interface has its own handle,
 * counters, state and back-off; "any" is one handle (Linux cooked).
 */
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "clock.h"
#include "log.h"

#define DISPATCH_BATCH	4096	/* packets per wakeup, ~1 ms of work */
#define RETRY_MAX_SEC	60
#define SRC_NAMSIZ	32	/* IFNAMSIZ is 16 */

struct capsrc {
	struct capture	*cap;
	char		 iface[SRC_NAMSIZ];
	pcap_t		*p;
	int		 dlt;
	struct event	*ev_read;	/* on the pcap fd, while open */
	struct event	*ev_poll;	/* required_select_timeout */
	struct event	*ev_retry;	/* reopen after a loss */
	int		 retry_sec;
	int		 up;

	/* Counters of handles already closed, so totals survive reopens. */
	uint64_t	 old_recv, old_drop, old_ifdrop;

	/* How long packets waited in the ring (first of each batch). */
	dr_time_t	 batch_first;
	uint64_t	 batches;
	int64_t		 max_delay, delay_logged;
	dr_time_t	 last_delay_log;
};

static void	capture_read(evutil_socket_t, short, void *);
static void	capture_retry(evutil_socket_t, short, void *);

/* Split "eth0,eth1" (the config keeps the list so) into names. */
static size_t
split_ifaces(const char *list, char names[][SRC_NAMSIZ], size_t max)
{
	const char	*p = list, *e;
	size_t		 n = 0, len;

	while (*p != '\0' && n < max) {
		e = p + strcspn(p, ", \t");
		len = (size_t)(e - p);
		if (len > 0 && len < SRC_NAMSIZ) {
			memcpy(names[n], p, len);
			names[n][len] = '\0';
			n++;
		}
		p = e + strspn(e, ", \t");
	}
	return n;
}

int
capture_sees_twice(const struct dr_config *conf)
{
	char	names[DR_CONF_MAX_IFACES][SRC_NAMSIZ];
	size_t	n;

	n = split_ifaces(conf->interface, names, DR_CONF_MAX_IFACES);
	return n > 1 || (n == 1 && strcmp(names[0], "any") == 0);
}

/*
 * The default filter, for the link type at hand: the VLAN part only
 * where libpcap knows VLAN tags (Ethernet); "any", raw IP (tun,
 * WireGuard, ipip) and PPP refuse it.  A filter of the user's is theirs.
 */
static const char *
filter_for(const char *filter, int dlt)
{
	if (strcmp(filter, DR_DEFAULT_FILTER) == 0 && dlt != DLT_EN10MB)
		return DR_FILTER_DNS;
	return filter;
}

static void
src_config(struct capture *c, const struct dr_config *conf)
{
	snprintf(c->filter, sizeof(c->filter), "%s", conf->filter);
	c->snaplen = conf->snaplen;
	c->buffer_size = conf->buffer_size;
	c->promiscuous = conf->promiscuous;
}

static void
src_free(struct capsrc *s)
{
	if (s == NULL)
		return;
	if (s->ev_read != NULL)
		event_free(s->ev_read);
	if (s->ev_poll != NULL)
		event_free(s->ev_poll);
	if (s->ev_retry != NULL)
		event_free(s->ev_retry);
	if (s->p != NULL)
		pcap_close(s->p);
	free(s);
}

static struct capsrc *
src_new(struct capture *c, const char *iface)
{
	struct capsrc	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->cap = c;
	snprintf(s->iface, sizeof(s->iface), "%s", iface);
	s->retry_sec = 1;
	s->ev_poll = evtimer_new(c->base, capture_read, s);
	s->ev_retry = evtimer_new(c->base, capture_retry, s);
	if (s->ev_poll == NULL || s->ev_retry == NULL) {
		src_free(s);
		return NULL;
	}
	return s;
}

/* "eth0,eth1" from the names. */
static void
join_names(char names[][SRC_NAMSIZ], size_t n, char *buf, size_t len)
{
	size_t	i, o = 0;
	int	k;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		k = snprintf(buf + o, len - o, "%s%s", i ? "," : "", names[i]);
		if (k < 0 || (size_t)k >= len - o)
			return;
		o += (size_t)k;
	}
}

/* Build the sources from the config's list; 0 or -1 (no memory). */
static int
make_sources(struct capture *c, const struct dr_config *conf)
{
	char	names[DR_CONF_MAX_IFACES][SRC_NAMSIZ];
	size_t	n, i;

	n = split_ifaces(conf->interface, names, DR_CONF_MAX_IFACES);
	join_names(names, n, c->name, sizeof(c->name));
	for (i = 0; i < n; i++) {
		if ((c->src[i] = src_new(c, names[i])) == NULL)
			return -1;
		c->nsrc = i + 1;
	}
	return 0;
}

static void	src_counts(struct capsrc *, uint64_t *, uint64_t *,
		    uint64_t *);

/* Close and free every source, keeping what they counted. */
static void
free_sources(struct capture *c)
{
	uint64_t	r, d, f;
	size_t		i;

	for (i = 0; i < c->nsrc; i++) {
		src_counts(c->src[i], &r, &d, &f);
		c->old_recv += r;
		c->old_drop += d;
		c->old_ifdrop += f;
		src_free(c->src[i]);
		c->src[i] = NULL;
	}
	c->nsrc = 0;
}

struct capture *
capture_new(struct event_base *base, struct dr_engine *engine,
    const struct dr_config *conf)
{
	struct capture	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->base = base;
	c->engine = engine;
	src_config(c, conf);
	if (make_sources(c, conf) == -1) {
		capture_free(c);
		return NULL;
	}
	return c;
}

static void
update_up(struct capture *c)
{
	size_t	i;

	c->up = c->nsrc > 0;
	for (i = 0; i < c->nsrc; i++)
		if (!c->src[i]->up)
			c->up = 0;
}

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capsrc	*s = (struct capsrc *)arg;
	dr_time_t	 ts = dr_time_from_tv(h->ts.tv_sec, h->ts.tv_usec);

	if (s->batch_first == 0)
		s->batch_first = ts;
	dr_engine_packet(s->cap->engine, s->dlt, bytes, h->caplen, h->len,
	    clock_from_wall(ts));
}

/*
 * How long the first packet of a batch waited between the kernel's
 * stamp and the engine: the capture's delivery delay.  The longest is
 * kept for statistics; with -v it is logged, at most once a second.
 */
static void
note_delay(struct capsrc *s, int n)
{
	dr_time_t	now = clock_wall();
	int64_t		d = now - s->batch_first;

	s->batches++;
	if (d > s->max_delay)
		s->max_delay = d;
	if (d > s->delay_logged)
		s->delay_logged = d;
	if (now - s->last_delay_log >= DR_USEC) {
		log_debug("capture on %s: %d packets, the first waited "
		    "%lld.%03lld ms in the ring (stamped %lld.%06lld)",
		    s->iface, n, (long long)(s->delay_logged / 1000),
		    (long long)(s->delay_logged % 1000),
		    (long long)(s->batch_first / DR_USEC),
		    (long long)(s->batch_first % DR_USEC));
		s->last_delay_log = now;
		s->delay_logged = 0;
	}
}

static void
rearm_poll(struct capsrc *s)
{
	const struct timeval	*tv;

	/* Non-NULL after ENETDOWN on Linux: poll until data flows again. */
	tv = pcap_get_required_select_timeout(s->p);
	if (tv != NULL && !evtimer_pending(s->ev_poll, NULL))
		evtimer_add(s->ev_poll, tv);
}

static void	src_lost(struct capsrc *, const char *);

static void
capture_read(evutil_socket_t fd, short what, void *arg)
{
	struct capsrc	*s = arg;
	struct capture	*c = s->cap;
	char		 why[PCAP_ERRBUF_SIZE + 64];
	int		 n;

	(void)fd;
	(void)what;
	if (s->p == NULL)
		return;
	s->batch_first = 0;
	clock_sample();
	n = pcap_dispatch(s->p, DISPATCH_BATCH, on_packet, (u_char *)s);
	if (n == PCAP_ERROR) {
		snprintf(why, sizeof(why), "%s", pcap_geterr(s->p));
		src_lost(s, why);
		return;
	}
	/* 0 packets after a wakeup is normal; PCAP_ERROR_BREAK is ours. */
	if (n > 0) {
		if (s->batch_first != 0)
			note_delay(s, n);
		if (c->on_batch != NULL)
			c->on_batch(c, c->arg);
	}
	rearm_poll(s);
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

static void
src_close(struct capsrc *s)
{
	struct pcap_stat	ps;

	if (s->p == NULL)
		return;
	if (pcap_stats(s->p, &ps) == 0) {
		s->old_recv += ps.ps_recv;
		s->old_drop += ps.ps_drop;
		s->old_ifdrop += ps.ps_ifdrop;
	}
	if (s->ev_read != NULL) {
		event_free(s->ev_read);
		s->ev_read = NULL;
	}
	evtimer_del(s->ev_poll);
	pcap_close(s->p);
	s->p = NULL;
	s->up = 0;
}

static int
src_open(struct capsrc *s, char *err, size_t errlen)
{
	struct capture	*c = s->cap;
	char		 ebuf[PCAP_ERRBUF_SIZE] = "", ferr[PCAP_ERRBUF_SIZE + 64];
	pcap_t		*p;
	int		 r, fd;

	src_close(s);
	evtimer_del(s->ev_retry);
	if ((p = pcap_create(s->iface, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", s->iface, ebuf);
		return PCAP_ERROR;
	}
	/* Order matters: everything before pcap_activate(). */
	pcap_set_snaplen(p, (int)c->snaplen);
	pcap_set_promisc(p, c->promiscuous);
	pcap_set_immediate_mode(p, 0);
	pcap_set_timeout(p, CAPTURE_TIMEOUT_MS);
	if (c->buffer_size > 0)
		pcap_set_buffer_size(p, (int)c->buffer_size);
	r = pcap_activate(p);
	if (r < 0) {
		if (r == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, errlen, "%s: no such interface (%s)",
			    s->iface, pcap_geterr(p));
		else if (r == PCAP_ERROR_PERM_DENIED)
			snprintf(err, errlen, "%s: permission denied (need "
			    "root or CAP_NET_RAW): %s", s->iface,
			    pcap_geterr(p));
		else
			snprintf(err, errlen, "%s: %s: %s", s->iface,
			    pcap_statustostr(r), pcap_geterr(p));
		pcap_close(p);
		return r;
	}
	if (r > 0)	/* a warning, not a failure */
		log_warnx("%s: %s: %s", s->iface, pcap_statustostr(r),
		    pcap_geterr(p));
	if (pcap_setnonblock(p, 1, ebuf) == -1) {
		snprintf(err, errlen, "%s: %s", s->iface, ebuf);
		pcap_close(p);
		return PCAP_ERROR;
	}
	s->dlt = pcap_datalink(p);
	if (set_filter(p, filter_for(c->filter, s->dlt), ferr,
	    sizeof(ferr)) == -1) {
		snprintf(err, errlen, "%s (link type %s): %s", s->iface,
		    pcap_datalink_val_to_name(s->dlt), ferr);
		pcap_close(p);
		return PCAP_ERROR;
	}
	if (!dr_decode_linktype_ok(s->dlt))
		log_warnx("%s: link type %s (%d) is not decoded; nothing will "
		    "be counted", s->iface, pcap_datalink_val_to_name(s->dlt),
		    s->dlt);
	if ((fd = pcap_get_selectable_fd(p)) == -1) {
		snprintf(err, errlen, "%s: no selectable descriptor", s->iface);
		pcap_close(p);
		return PCAP_ERROR;
	}
	s->ev_read = event_new(c->base, fd, EV_READ | EV_PERSIST,
	    capture_read, s);
	if (s->ev_read == NULL || event_add(s->ev_read, NULL) == -1) {
		if (s->ev_read != NULL)
			event_free(s->ev_read);
		s->ev_read = NULL;
		snprintf(err, errlen, "%s: cannot watch the capture", s->iface);
		pcap_close(p);
		return PCAP_ERROR;
	}
	s->p = p;
	s->up = 1;
	s->retry_sec = 1;
	log_info("capturing on %s, link type %s, snaplen %u", s->iface,
	    pcap_datalink_val_to_name(s->dlt), c->snaplen);
	return 0;
}

static void
arm_retry(struct capsrc *s)
{
	struct timeval	tv;

	tv.tv_sec = s->retry_sec;
	tv.tv_usec = 0;
	evtimer_add(s->ev_retry, &tv);
}

/* Close (counting what it saw) and retry opening with back-off. */
static void
src_lost(struct capsrc *s, const char *why)
{
	struct capture	*c = s->cap;

	log_warnx("capture on %s lost: %s; retrying", s->iface, why);
	src_close(s);
	update_up(c);
	if (c->on_change != NULL)
		c->on_change(c, c->arg);
	arm_retry(s);
}

static void
capture_retry(evutil_socket_t fd, short what, void *arg)
{
	struct capsrc	*s = arg;
	struct capture	*c = s->cap;
	char		 err[PCAP_ERRBUF_SIZE + 128];

	(void)fd;
	(void)what;
	if (src_open(s, err, sizeof(err)) == 0) {
		log_notice("capture on %s is back", s->iface);
		update_up(c);
		if (c->on_change != NULL)
			c->on_change(c, c->arg);
		return;
	}
	log_debug("reopening %s: %s", s->iface, err);
	s->retry_sec = s->retry_sec * 2 > RETRY_MAX_SEC ? RETRY_MAX_SEC :
	    s->retry_sec * 2;
	arm_retry(s);
}

int
capture_start(struct capture *c, char *err, size_t errlen)
{
	size_t	i, j;
	int	r;

	for (i = 0; i < c->nsrc; i++) {
		if ((r = src_open(c->src[i], err, errlen)) != 0) {
			for (j = 0; j < i; j++)
				src_close(c->src[j]);
			update_up(c);
			return r;
		}
	}
	update_up(c);
	return 0;
}

void
capture_free(struct capture *c)
{
	if (c == NULL)
		return;
	free_sources(c);
	free(c);
}

static int
handle_settings_differ(const struct capture *c, const struct dr_config *nc)
{
	char	names[DR_CONF_MAX_IFACES][SRC_NAMSIZ], name[DR_CONF_IFNAMSIZ];
	size_t	n;

	n = split_ifaces(nc->interface, names, DR_CONF_MAX_IFACES);
	join_names(names, n, name, sizeof(name));
	return strcmp(c->name, name) != 0 || c->snaplen != nc->snaplen ||
	    c->buffer_size != nc->buffer_size ||
	    c->promiscuous != nc->promiscuous;
}

int
capture_reconfigure(struct capture *c, const struct dr_config *nc,
    char *err, size_t errlen)
{
	char	e[PCAP_ERRBUF_SIZE + 256];
	size_t	i;
	int	rv = 0, was_up = c->up, reopen;

	err[0] = '\0';
	reopen = handle_settings_differ(c, nc);
	src_config(c, nc);
	if (reopen) {
		free_sources(c);
		if (make_sources(c, nc) == -1) {
			snprintf(err, errlen, "out of memory for the capture");
			rv = -1;
		}
	}
	for (i = 0; i < c->nsrc; i++) {
		struct capsrc *s = c->src[i];

		if (s->p != NULL) {
			if (set_filter(s->p, filter_for(c->filter, s->dlt), e,
			    sizeof(e)) == -1 && rv == 0) {
				snprintf(err, errlen, "%s: %s", s->iface, e);
				rv = -1;
			}
			continue;
		}
		/* New, or down: try now rather than on the back-off. */
		if (src_open(s, e, sizeof(e)) != 0) {
			if (rv == 0)
				snprintf(err, errlen, "cannot capture: %s", e);
			rv = -1;
			log_warnx("capture on %s: %s; retrying", s->iface, e);
			arm_retry(s);
		}
	}
	update_up(c);
	/* Tell the engine now, not when a retry timer fires. */
	if (reopen || c->up != was_up) {
		if (c->on_change != NULL)
			c->on_change(c, c->arg);
	}
	return rv;
}

static void
src_counts(struct capsrc *s, uint64_t *recv, uint64_t *drop,
    uint64_t *ifdrop)
{
	struct pcap_stat	ps;

	*recv = s->old_recv;
	*drop = s->old_drop;
	*ifdrop = s->old_ifdrop;
	if (s->p != NULL && pcap_stats(s->p, &ps) == 0) {
		*recv += ps.ps_recv;
		*drop += ps.ps_drop;
		*ifdrop += ps.ps_ifdrop;
	}
}

void
capture_stats(struct capture *c, uint64_t *recv, uint64_t *drop,
    uint64_t *ifdrop)
{
	uint64_t	r, d, f;
	size_t		i;

	*recv = c->old_recv;
	*drop = c->old_drop;
	*ifdrop = c->old_ifdrop;
	for (i = 0; i < c->nsrc; i++) {
		src_counts(c->src[i], &r, &d, &f);
		*recv += r;
		*drop += d;
		*ifdrop += f;
	}
}

int
capture_ifstats(struct capture *c, size_t i, struct capture_ifstats *st)
{
	struct capsrc	*s;

	if (i >= c->nsrc)
		return -1;
	s = c->src[i];
	st->iface = s->iface;
	st->up = s->up;
	st->dlt = s->dlt;
	src_counts(s, &st->recv, &st->drop, &st->ifdrop);
	st->batches = s->batches;
	st->max_delay_us = s->max_delay;
	return 0;
}

void
capture_down_names(struct capture *c, char *buf, size_t len)
{
	size_t	i, o = 0;
	int	n;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < c->nsrc; i++) {
		if (c->src[i]->up)
			continue;
		n = snprintf(buf + o, len - o, "%s%s", o ? "," : "",
		    c->src[i]->iface);
		if (n < 0 || (size_t)n >= len - o)
			return;
		o += (size_t)n;
	}
}

/*
 * The link type libpcap will give an interface, from its ARPHRD type in
 * sysfs: no privilege and no capture needed.  As libpcap's
 * map_arphrd_to_dlt() for what dnsreach decodes; anything else it runs
 * in cooked mode.  -1 when the interface is not there.
 */
static int
iface_dlt(const char *iface)
{
	char	path[128];
	FILE	*f;
	int	type;

	if (strcmp(iface, "any") == 0)
		return DLT_LINUX_SLL;
	snprintf(path, sizeof(path), "/sys/class/net/%s/type", iface);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%d", &type) != 1)
		type = -1;
	fclose(f);
	switch (type) {
	case -1:
		return -1;
	case 1:		/* ARPHRD_ETHER */
	case 772:	/* ARPHRD_LOOPBACK */
		return DLT_EN10MB;
	case 65534:	/* ARPHRD_NONE: tun, WireGuard */
	case 768:	/* ARPHRD_TUNNEL: ipip */
	case 769:	/* ARPHRD_TUNNEL6 */
	case 776:	/* ARPHRD_SIT */
	case 256:	/* ARPHRD_SLIP */
	case 257:	/* ARPHRD_CSLIP */
		return DLT_RAW;
	default:	/* PPP and the rest: cooked */
		return DLT_LINUX_SLL;
	}
}

static int
compile_for(const char *filter, int dlt, uint32_t snaplen, char *err,
    size_t errlen)
{
	struct bpf_program	 prog;
	pcap_t			*p;

	if ((p = pcap_open_dead(dlt, (int)snaplen)) == NULL) {
		snprintf(err, errlen, "cannot check the filter");
		return -1;
	}
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "\"%s\": %s", filter, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_freecode(&prog);
	pcap_close(p);
	return 0;
}

int
capture_filter_ok(const struct dr_config *conf, int probe, char *err,
    size_t errlen)
{
	char	names[DR_CONF_MAX_IFACES][SRC_NAMSIZ], e[PCAP_ERRBUF_SIZE + 64];
	size_t	n = 0, i;
	int	dlt;

	if (probe)
		n = split_ifaces(conf->interface, names, DR_CONF_MAX_IFACES);
	/* Ethernet is what a filter is usually written for. */
	if (compile_for(conf->filter, DLT_EN10MB, conf->snaplen, e,
	    sizeof(e)) == -1) {
		snprintf(err, errlen, "%s", e);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((dlt = iface_dlt(names[i])) == -1 || dlt == DLT_EN10MB)
			continue;
		if (compile_for(filter_for(conf->filter, dlt), dlt,
		    conf->snaplen, e, sizeof(e)) == -1) {
			snprintf(err, errlen, "on %s (link type %s) %s",
			    names[i], pcap_datalink_val_to_name(dlt), e);
			return -1;
		}
	}
	return 0;
}

int
capture_default_iface(char *buf, size_t len, char *err, size_t errlen)
{
	pcap_if_t	*all, *d;
	char		 ebuf[PCAP_ERRBUF_SIZE];

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
