/*
 * pktline.h: one decoded packet as one line of `tcpdump -n`, so that an
 * analyst can find each piece of evidence in the capture with tcpdump:
 *
 *   13:24:32.192571 IP 192.51.100.15.52444 > 203.0.113.2.53: 35084+ A?
 *       yummyrecipesforme.com. (39)
 *   13:24:36.098564 IP 203.0.113.2 > 192.51.100.15: ICMP 203.0.113.2 udp
 *       port 53 unreachable, length 75
 *   13:24:36.098564 IP6 2001:db8::2 > 2001:db8:1::a: ICMP6, destination
 *       unreachable, unreachable port, 2001:db8::2 udp port 53, length 91
 *
 * (each on one line).  DNS over UDP and ICMP errors read as tcpdump 4.99
 * prints them, answers included, with these differences: times are UTC
 * (TZ=UTC tcpdump -n prints the same); names are in dr_dns_name()'s
 * escaped form, so a byte outside letters, digits, '-' and '_' reads
 * \DDD where tcpdump prints it raw; an ICMP "need to frag" leaves out the
 * MTU; an ICMP error's destination is the sender of the packet it quotes
 * (as RFC 792 has it).  TCP lines leave out what tcpdump prints between
 * the flags and the length (sequence numbers, window, options): "Flags
 * [R.]", or "Flags [P.], length 35 400+ A? www.example.com. (33)".  The
 * line is printable ASCII whatever the packet held.
 */
#ifndef DR_PKTLINE_H
#define DR_PKTLINE_H

#include <stddef.h>

#include "decode.h"

/* Room for any line worth reading; longer ones end in "...". */
#define DR_PKTLINE_MAX	512

/*
 * ev as dr_decode() left it, its DNS message still in the packet
 * buffer.  Writes a NUL-terminated line into buf (len > 4) and returns
 * its length; a line that does not fit is cut and ends in "...".
 */
size_t		dr_pktline(const struct dr_event *ev, char *buf, size_t len);

#endif
