/*
 * incidents.h: dnsreachd --incidents, past incidents from the journal.
 */
#ifndef DR_INCIDENTS_H
#define DR_INCIDENTS_H

/* Whether the command line asks for --incidents. */
int	incidents_wanted(int argc, char **argv);
/* Parse its options, read the journal, print; returns the exit status. */
int	incidents_main(int argc, char **argv);

#endif
