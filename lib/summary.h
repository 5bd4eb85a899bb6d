/*
 * summary.h: the per-resolver summary after a savefile, as text for a
 * person or as the JSON object of the contract in design.md.
 */
#ifndef DR_SUMMARY_H
#define DR_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "alert.h"
#include "engine.h"

/*
 * Both return 0, or -1 when writing failed.  events are the alerts of
 * the replay in order (the JSON lists them; the text only counts them).
 */
int		dr_summary_text(FILE *, struct dr_engine *, const char *source);
int		dr_summary_json(FILE *, struct dr_engine *, const char *source,
		    const struct dr_alert *events, size_t nevents);
/* s as a JSON string, quotes included. */
void		dr_json_string(FILE *, const char *s);

#endif
