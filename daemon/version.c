/*
 * version.c: dnsreachd --version.  The first line is the one people and
 * scripts look for; the rest says how this binary was built (flags,
 * compiler, the libraries' versions then and now), as unbound -V does,
 * so a bug report carries it.  buildinfo.h is written by the Makefile.
 */
#include <stdio.h>

#include <event2/event.h>
#include <pcap/pcap.h>

#include "buildinfo.h"
#include "config.h"
#include "version.h"

#ifdef __clang__
#define DR_COMPILER	__VERSION__
#else
#define DR_COMPILER	"gcc " __VERSION__
#endif

void
version_print(FILE *f)
{
	fprintf(f, "dnsreachd %s (%s, libevent %s)\n\n", DR_VERSION,
	    pcap_lib_version(), event_get_version());
	fprintf(f, "Compiler: %s\n", DR_COMPILER);
	fprintf(f, "CPPFLAGS: %s\n", DR_BUILD_CPPFLAGS);
	fprintf(f, "CFLAGS: %s\n", DR_BUILD_CFLAGS);
	fprintf(f, "LDFLAGS: %s\n", DR_BUILD_LDFLAGS);
	fprintf(f, "Built with: libpcap %s, libevent %s, libsystemd %s, "
	    "libcap-ng %s\n", DR_BUILD_LIBPCAP, DR_BUILD_LIBEVENT,
	    DR_BUILD_LIBSYSTEMD, DR_BUILD_LIBCAPNG);
	fprintf(f, "Features: journal alerts and sd_notify (libsystemd), "
	    "privilege drop to CAP_NET_RAW (libcap-ng), metrics over HTTP, "
	    "pcap and pcapng savefiles\n");
	fprintf(f, "Configuration: %s\n", DR_CONF_PATH);
}
