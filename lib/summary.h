/*
 * summary.h: the per-resolver summary after a savefile, as text for a
 * person or as the JSON object of the contract in design.md.
 */
#ifndef DR_SUMMARY_H
#define DR_SUMMARY_H

#include <stdio.h>

#include "engine.h"

/* Both return 0, or -1 when writing failed. */
int		dr_summary_text(FILE *, struct dr_engine *, const char *source);
int		dr_summary_json(FILE *, struct dr_engine *, const char *source);

#endif
