/*
 * config.h: dnsreach.conf: "key = value" lines, '#' comments.
 *
 * Every key is typed and range-checked; an unknown key, a bad value or a
 * key given twice in one file is reported as "file:line: message" through
 * the caller's error function, and parsing goes on so that one run shows
 * every mistake.  "-o KEY=VALUE" overrides take the same path.
 */
#ifndef DR_CONFIG_H
#define DR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "base.h"

#ifndef DR_CONF_PATH		/* the Makefile sets it from SYSCONFDIR */
#define DR_CONF_PATH		"/etc/dnsreach/dnsreach.conf"
#endif
#define DR_CONF_MAX_RESOLVERS	64	/* entries in "resolvers" */
#define DR_CONF_MAX_IFACES	8	/* in "interface" */
#define DR_CONF_IFNAME_MAX	15	/* bytes of one name (IFNAMSIZ - 1) */
#define DR_CONF_IFNAMSIZ	((DR_CONF_IFNAME_MAX + 1) * DR_CONF_MAX_IFACES)
#define DR_CONF_FILTER_MAX	1024
#define DR_CONF_USER_MAX	64

/*
 * The default capture filter: DNS both ways, ICMP errors, and the same
 * under one or two VLAN tags.  Each "vlan" shifts the offsets for the
 * rest of the expression, so the tagged forms nest instead of following
 * one another (a flat "or (vlan and vlan and ...)" matches nothing).
 */
#define DR_FILTER_DNS	"udp port 53 or tcp port 53 or icmp or icmp6"
#define DR_DEFAULT_FILTER \
	DR_FILTER_DNS " or (vlan and (" DR_FILTER_DNS " or (vlan and (" \
	DR_FILTER_DNS "))))"

enum dr_alert_dest {
	DR_ALERTS_JOURNAL = 1,
	DR_ALERTS_STDERR = 2,
	DR_ALERTS_BOTH = 3
};

struct dr_config {
	/* "eth0,eth1" (one name, or "any"); "" = pcap picks */
	char		interface[DR_CONF_IFNAMSIZ];
	char		filter[DR_CONF_FILTER_MAX];
	uint32_t	snaplen;		/* bytes, 128 .. 262144 */
	uint32_t	buffer_size;		/* bytes, 0 = libpcap default */
	int		promiscuous;		/* 0/1 */
	dr_time_t	window;			/* us */
	dr_time_t	bucket;			/* us */
	double		threshold;		/* 0 < t <= 1 */
	double		clear_threshold;	/* 0 <= c < threshold */
	uint32_t	min_queries;		/* known outcomes */
	uint32_t	min_clients;
	dr_time_t	fast_window;		/* us, 0 = no fast path */
	double		fast_threshold;
	uint32_t	fail_streak;		/* 0 = no streak test */
	dr_time_t	flap_window;		/* us, 0 = no flapping state */
	dr_time_t	idle_clear;		/* us, 0 = never */
	dr_time_t	slow_threshold;		/* us, 0 = no slow alerts */
	uint16_t	failure_rcodes;		/* bit n: rcode n fails */
	dr_time_t	realert_interval;	/* us, 0 = never remind */
	dr_time_t	query_timeout;		/* us */
	dr_time_t	match_window;		/* us: keep timed-out queries */
	int		count_timeouts;		/* 0/1 */
	int		count_unmatched;	/* 0/1 */
	struct dr_prefix resolvers[DR_CONF_MAX_RESOLVERS];
	size_t		nresolvers;		/* 0 = watch all */
	uint32_t	max_resolvers;
	uint32_t	max_pending;
	enum dr_alert_dest alerts;
	char		user[DR_CONF_USER_MAX];	/* "" = stay as started */
	int		allow_root;		/* 0/1 */
	dr_time_t	stats_interval;		/* us, 0 = never */
	char		metrics_listen[DR_ADDR_STRLEN + 8];	/* "" = off */
	dr_time_t	dedup_window;		/* us, 0 = off, -1 = auto */
	uint64_t	memory_limit;		/* bytes of engine tables */

	/* Which keys the file set: for duplicate detection.  Not a key. */
	uint64_t	seen;
};

/* Receives one complete "file:line: message" text, no newline. */
typedef void	(*dr_config_error_fn)(void *arg, const char *msg);

void		dr_config_defaults(struct dr_config *);
/*
 * Parse a whole file's text (buf need not be NUL-terminated).  name is
 * used in messages.  Returns the number of errors (0 = all good).
 */
int		dr_config_parse(struct dr_config *, const char *buf,
		    size_t len, const char *name, dr_config_error_fn, void *);
/*
 * Read and parse a file.  Returns the number of errors, or -1 when the
 * file cannot be read (errno set; nothing reported through fn).
 */
int		dr_config_load(struct dr_config *, const char *path,
		    dr_config_error_fn, void *);
/*
 * Apply "KEY=VALUE" (a -o option).  origin names it in messages (e.g.
 * "-o").  Returns 0 or 1 (errors).
 */
int		dr_config_override(struct dr_config *, const char *kv,
		    const char *origin, dr_config_error_fn, void *);
/*
 * Checks that span keys (clear_threshold < threshold, window a multiple
 * of bucket and at most DR_WINDOW_MAX_BUCKETS buckets, ...).  name is the
 * file for messages.  Returns the number of errors.
 */
int		dr_config_validate(const struct dr_config *, const char *name,
		    dr_config_error_fn, void *);

/*
 * The engine's tables for c take need bytes (dr_engine_memory()): more
 * than memory_limit is an error, reported like the others.  Returns the
 * number of errors.
 */
int		dr_config_check_memory(const struct dr_config *c,
		    uint64_t need, const char *name, dr_config_error_fn,
		    void *);

/* Value syntax, exposed for tests and for the command line. */
int		dr_parse_duration(const char *, dr_time_t *);	/* 0 / -1 */
int		dr_parse_rate(const char *, double *);		/* 0 / -1 */
int		dr_parse_size(const char *, uint64_t *);	/* 0 / -1 */
int		dr_parse_bool(const char *, int *);		/* 0 / -1 */
/* "SERVFAIL, REFUSED" (names or numbers 0-15, "" = none).  0 / -1. */
int		dr_parse_rcodes(const char *, uint16_t *);
/* The set back as text, "SERVFAIL REFUSED" ("" when empty). */
void		dr_rcodes_format(uint16_t, char *, size_t);
/* "ADDR:PORT" or "[ADDR6]:PORT"; addr, port may be NULL.  0 / -1. */
int		dr_parse_listen(const char *, char *addr, size_t addrlen,
		    uint16_t *port);
const char	*dr_alert_dest_name(enum dr_alert_dest);
int		dr_parse_alert_dest(const char *, enum dr_alert_dest *);

#endif
