#!/bin/sh
# Delivery delay on an idle link.  The capture hands packets over in
# TPACKET_V3 blocks, one wakeup per block rather than per packet; a block
# that is not full must still be handed over soon.  A single DNS query on
# an otherwise idle link, several times at different moments: each must
# reach the engine within 100 ms of the kernel's stamp.  The daemon (-v)
# measures it, clock against clock: its debug line gives the stamp and
# how long the first packet of the batch waited in the ring; the test
# also checks the stamp is the moment it sent the query, and that the
# line appears soon after.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

HELPERS=$TESTS_DIR/e2e/helpers.py
TRIES=6

netns_setup
# Nothing answers and nothing comes back: one packet per query.
if ! have_nft; then
	skip "$(basename "$0"): no nftables in the resolver namespace"
	finish
	exit 0
fi
res_firewall drop
# No neighbour discovery or router solicitations on the link: ICMPv6
# passes the filter, and would be batches of its own.
for _ns in "$NS_GW" "$NS_RES"; do
	ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null
done
daemon_conf
check "dnsreachd -v watches $VETH_GW" daemon_start --alerts stderr -v
sleep 2

# batch_of TIME: "packets waited_ms stamp" of the batch stamped from TIME
# on (within a second); fails when there is none yet.
batch_of() {
	sed -n 's/.*: \([0-9]*\) packets, the first waited \([0-9.]*\) ms in the ring (stamped \([0-9.]*\)).*/\1 \2 \3/p' \
	    "$NS_TMP/daemon.err" | awk -v t="$1" \
	    '$3 >= t - 0.01 && $3 < t + 1 { print; found = 1; exit }
	    END { exit !found }'
}

worst=0
bad=0
i=0
while [ $i -lt $TRIES ]; do
	i=$((i + 1))
	# Idle for a while, at a different phase of the kernel's timer.
	sleep "1.$((i * 137 % 1000))"
	sent=$(ip netns exec "$NS_GW" python3 "$HELPERS" one-query "$RES4" \
	    "d$i.$QNAME_SUFFIX")
	# The daemon's line for the batch that holds this query.
	if ! wait_for 3 batch_of "$sent"; then
		not_ok "query $i: never delivered to the engine"
		bad=$((bad + 1))
		continue
	fi
	seen=$(date +%s.%N)
	set -- $(batch_of "$sent")
	npk=$1 waited=$2 stamp=$3
	r=$(python3 -c "
sent, stamp, seen, waited = $sent, $stamp, $seen, $waited
ok = waited <= 100 and abs(stamp - sent) < 0.05 and seen - sent < 1.0
print('%d %.1f %.1f %d' % (ok, (stamp - sent) * 1000, (seen - sent) * 1000,
    round(waited)))")
	set -- $r
	if [ "$1" = 1 ] && [ "$npk" = 1 ]; then
		ok "query $i: delivered $4 ms after the kernel's stamp (stamp $2 ms after the send; line seen $3 ms after it)"
	else
		not_ok "query $i: $npk packets, waited $4 ms (want <= 100), stamp $2 ms after the send, line seen $3 ms after it"
		bad=$((bad + 1))
	fi
	[ "$4" -gt "$worst" ] && worst=$4
done
echo "# worst delivery delay over $TRIES lone queries: $worst ms"
check "SIGTERM: exit 0" daemon_stop
finish
