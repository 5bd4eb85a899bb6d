/*
 * dnsreachd.h: the process's state, shared by main.c (options and
 * configuration), alert.c (where alerts go), replay.c (--read) and
 * live.c (capture on the event loop).
 */
#ifndef DR_DNSREACHD_H
#define DR_DNSREACHD_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "alert.h"
#include "capture.h"
#include "config.h"
#include "engine.h"
#include "metrics_http.h"

#define MAX_OVERRIDES	64
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

struct options {
	const char	*conf_path;
	int		 conf_explicit;
	const char	*read_file;
	int		 json;
	int		 check_config;
	int		 foreground;
	int		 verbose;
	int		 alerts_given;
	const char	*overrides[MAX_OVERRIDES];
	size_t		 noverrides;
};

struct daemon {
	struct options		 opt;
	struct dr_config	 conf;
	struct event_base	*base;
	struct dr_engine	*engine;
	struct capture		 cap;
	struct metrics		 metrics;
	struct event		*ev_tick;
	struct event		*ev_watchdog;
	struct event		*ev_sig[5];
	const char		*source;	/* DNSREACH_INTERFACE */
	int			 journal_warned;
	int			 detached;	/* stderr is /dev/null */
	uint64_t		 warned_drops;
	dr_time_t		 last_drop_warn;
	uint64_t		 status_ticks;
	dr_time_t		 last_stats;
	/* --read keeps every alert for the summary. */
	int			 keep_events;
	struct dr_alert		*events;
	size_t			 nevents, events_cap;
};

/* Defaults, file, overrides, cross-key checks; returns the error count. */
int	load_config(const struct options *, struct dr_config *, int to_log);
/* Route the engine's queued alerts: journal, stderr, or syslog. */
size_t	drain_alerts(struct daemon *);
/* --read: remember an alert for the summary. */
void	keep_event(struct daemon *, const struct dr_alert *);
/* A seed for the engine's hash tables, different every run. */
uint32_t hash_seed(void);
/* --read FILE: replay, summary, exit status. */
int	run_read(struct daemon *);
/* Live capture until SIGTERM/SIGINT: exit status. */
int	run_live(struct daemon *);

#endif
