/*
 * capture.h: a live pcap handle on the event loop, reopened with
 * back-off when its interface goes away.
 */
#ifndef DR_CAPTURE_H
#define DR_CAPTURE_H

#include <stdint.h>

#include <event2/event.h>
#include <pcap/pcap.h>

#include "config.h"
#include "engine.h"

struct capture {
	struct event_base	*base;
	struct dr_engine	*engine;
	char			 iface[DR_CONF_IFNAMSIZ];
	char			 filter[DR_CONF_FILTER_MAX];
	uint32_t		 snaplen;
	uint32_t		 buffer_size;
	int			 promiscuous;

	pcap_t			*p;
	int			 dlt;
	struct event		*ev_read;	/* persistent, on the pcap fd */
	struct event		*ev_poll;	/* required_select_timeout */
	struct event		*ev_retry;	/* reopen after loss */
	int			 retry_sec;
	int			 up;
	void			(*on_change)(struct capture *, void *);
	void			(*on_batch)(struct capture *, void *);
	void			*arg;

	/* Counters of handles already closed, so totals survive reopens. */
	uint64_t		 old_recv, old_drop, old_ifdrop;
};

/* Take capture settings from a config (no I/O). */
void	capture_configure(struct capture *, const struct dr_config *);
/*
 * Open and start reading.  Returns 0, or a PCAP_ERROR* code with a
 * message in err.
 */
int	capture_open(struct capture *, char *err, size_t errlen);
void	capture_close(struct capture *);
/* Close (counting what it saw) and retry opening with back-off. */
void	capture_lost(struct capture *, const char *why);
/* Replace the filter on the open handle; 0 or -1 with err. */
int	capture_set_filter(struct capture *, const char *, char *, size_t);
/* Cumulative counts over every handle this capture had. */
void	capture_stats(struct capture *, uint64_t *recv, uint64_t *drop,
	    uint64_t *ifdrop);
/* Check that a filter compiles, without any capture open. */
int	capture_filter_ok(const char *, char *err, size_t errlen);
/* The interface pcap would pick when none is configured. */
int	capture_default_iface(char *, size_t, char *err, size_t errlen);

#endif
