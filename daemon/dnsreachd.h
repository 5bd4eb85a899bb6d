/*
 * dnsreachd.h: what main.c (options and configuration), alert.c (where
 * alerts go), replay.c (--read) and live.c (capture on the event loop)
 * share.  Each mode keeps its own state to itself.
 */
#ifndef DR_DNSREACHD_H
#define DR_DNSREACHD_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <event2/event.h>
#include <pcap/pcap.h>

#include "alert.h"
#include "config.h"
#include "engine.h"

#define MAX_OVERRIDES	64	/* -o KEY=VALUE options */
#define MAX_DERIVED	8	/* -i, -a, -u become overrides too */
#define DERIVED_LEN	(DR_CONF_IFNAMSIZ + 32)
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

/* "dnsreachd: MESSAGE (see dnsreachd --help)" on stderr, exit 2. */
void	usage_error(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

struct options {
	const char	*conf_path;	/* absolute: reload after chdir("/") */
	char		 conf_buf[PATH_MAX];
	int		 conf_explicit;
	const char	*read_file;
	const char	*report_file;
	const char	*report_format;	/* NULL: markdown */
	int		 json;
	int		 check_config;
	int		 foreground;
	int		 verbose;
	int		 alerts_given;
	const char	*overrides[MAX_OVERRIDES + MAX_DERIVED];
	const char	*origin[MAX_OVERRIDES + MAX_DERIVED];	/* "-o", ... */
	size_t		 noverrides;
	size_t		 nopt;		/* of them -o options */
	char		 derived[MAX_DERIVED][DERIVED_LEN];
	size_t		 nderived;
};

/* What every mode shares: the configuration, the engine, the alerts. */
struct daemon {
	struct options		 opt;
	struct dr_config	 conf;
	struct dr_engine	*engine;
	const char		*source;	/* DNSREACH_INTERFACE */
	int			 detached;	/* stderr is /dev/null */
	/* Each alert once it went out (--read keeps them for a summary). */
	void			(*on_alert)(void *, const struct dr_alert *);
	void			*on_alert_arg;
};

/* A savefile being read. */
struct savefile {
	const char	*path;
	pcap_t		*p;
	FILE		*f;
	char		*iobuf;
	int		 dlt;
};

/* Defaults, file, overrides, cross-key checks; returns the error count. */
int	load_config(const struct options *, struct dr_config *, int to_log);
/* Route the engine's queued alerts: journal, stderr, or both. */
size_t	drain_alerts(struct daemon *);
/* A seed for the engine's hash tables, different every run. */
uint32_t hash_seed(void);
/* Open a savefile (with the configured filter): 0 or an exit status. */
int	savefile_open(struct daemon *, const char *, struct savefile *);
void	savefile_close(struct savefile *);
/* --read FILE: replay, summary, exit status. */
int	run_read(struct daemon *);
/* --report FILE: replay, a second look, the report; exit status. */
int	run_report(struct daemon *);
/* Live capture until SIGTERM/SIGINT: exit status. */
int	run_live(struct daemon *);

#endif
