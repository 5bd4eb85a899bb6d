/*
 * capture.h: live capture on the event loop: one pcap handle per
 * configured interface (or one on "any"), each reopened on its own
 * back-off when its interface goes away.  The object owns its handles
 * and events: capture_new() makes them, capture_free() frees them all.
 */
#ifndef DR_CAPTURE_H
#define DR_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <pcap/pcap.h>

#include "config.h"
#include "engine.h"

/* Longest a packet waits in the kernel's ring before it is read. */
#define CAPTURE_TIMEOUT_MS	20

struct capsrc;

struct capture {
	struct event_base	*base;
	struct dr_engine	*engine;
	/* The interfaces as one name, "eth0,eth1": DNSREACH_INTERFACE. */
	char			 name[DR_CONF_IFNAMSIZ];
	char			 filter[DR_CONF_FILTER_MAX];
	uint32_t		 snaplen;
	uint32_t		 buffer_size;
	int			 promiscuous;
	int			 up;		/* every interface captured */
	struct capsrc		*src[DR_CONF_MAX_IFACES];
	size_t			 nsrc;
	/* Counts of interfaces a reload took away. */
	uint64_t		 old_recv, old_drop, old_ifdrop;

	/* Any interface lost or back; after a batch of packets. */
	void			(*on_change)(struct capture *, void *);
	void			(*on_batch)(struct capture *, void *);
	void			*arg;
};

/* The capture the config asks for, nothing opened yet; NULL: no memory. */
struct capture	*capture_new(struct event_base *, struct dr_engine *,
		    const struct dr_config *);
/*
 * Open every interface and start reading.  Returns 0, or a PCAP_ERROR*
 * code with a message in err (then nothing stays open).
 */
int		 capture_start(struct capture *, char *err, size_t errlen);
/* Close every handle, free every event, and the object. */
void		 capture_free(struct capture *);
/*
 * A reloaded config: new interfaces or handle settings reopen now, a
 * new filter applies to the open handles, and an interface that is down
 * is tried again at once.  Returns 0, or -1 with err when something
 * could not be applied (an interface that cannot open retries on its
 * back-off).
 */
int		 capture_reconfigure(struct capture *, const struct dr_config *,
		    char *err, size_t errlen);
/* Cumulative counts over every handle every interface had. */
void		 capture_stats(struct capture *, uint64_t *recv, uint64_t *drop,
		    uint64_t *ifdrop);
/* Per interface, for statistics: 0, or -1 past the last one. */
struct capture_ifstats {
	const char	*iface;
	int		 up;
	int		 dlt;
	uint64_t	 recv, drop, ifdrop;
	uint64_t	 batches;
	int64_t		 max_delay_us;	/* longest wait in the ring */
};
int		 capture_ifstats(struct capture *, size_t,
		    struct capture_ifstats *);
/* Names of the interfaces that are down, "eth1,wg0", into buf. */
void		 capture_down_names(struct capture *, char *, size_t);
/*
 * Check that the filter compiles for each interface of the config,
 * against the link type it has now when it exists (an interface that
 * is not there yet is checked as Ethernet).  0, or -1 with err set.
 */
int		 capture_filter_ok(const struct dr_config *, int probe,
		    char *err, size_t errlen);
/* The interface pcap would pick when none is configured. */
int		 capture_default_iface(char *, size_t, char *err,
		    size_t errlen);
/* 1 when more than one interface, or "any": a packet may be seen twice. */
int		 capture_sees_twice(const struct dr_config *);

#endif
