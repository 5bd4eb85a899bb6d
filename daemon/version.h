/*
 * version.h: what dnsreachd --version prints.
 */
#ifndef DR_VERSION_H
#define DR_VERSION_H

#include <stdio.h>

/* The version, how the binary was built and with what (unbound -V). */
void	version_print(FILE *);

#endif
