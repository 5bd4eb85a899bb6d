#!/bin/sh
# Privileges, checked on the running process: started as root it becomes
# nobody keeping CAP_NET_RAW only; started unprivileged with an ambient
# CAP_NET_RAW (what systemd's DynamicUser= and AmbientCapabilities= give)
# it runs as it is; as root with no user it refuses unless allowed.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
	skip "privilege tests need root"
	finish
	exit 0
fi

# CAP_NET_RAW is bit 13.
NET_RAW_ONLY=0000000000002000

status_field() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# start ARGS...: dnsreachd on lo in the background; waits until it says
# it is watching (after the capture is open and privileges are dropped).
start() {
	"$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_for 5 grep -q "watching DNS" "$tmp/err"
}

stop() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

if start "$DNSREACHD" -i lo --foreground --alerts stderr; then
	check "root start: runs as nobody" \
	    [ "$(status_field $pid Uid | cut -f1)" = 65534 ]
	check "root start: effective capabilities are CAP_NET_RAW only" \
	    [ "$(status_field $pid CapEff)" = $NET_RAW_ONLY ]
	check "root start: permitted capabilities are CAP_NET_RAW only" \
	    [ "$(status_field $pid CapPrm)" = $NET_RAW_ONLY ]
	# libcap-ng clears the bounding set: nothing can come back by exec.
	check "root start: bounding set holds nothing more" \
	    sh -c "case $(status_field $pid CapBnd) in
	    0000000000000000|$NET_RAW_ONLY) exit 0 ;; esac; exit 1"
	check "root start: no supplementary groups" \
	    [ -z "$(status_field $pid Groups)" ]
	stop
else
	not_ok "root start: did not come up: $(tail -n 2 "$tmp/err")"
	stop
fi

if command -v setpriv >/dev/null 2>&1; then
	# What systemd does for DynamicUser=yes + AmbientCapabilities=.
	if start setpriv --reuid=65534 --regid=65534 --clear-groups \
	    --inh-caps=+net_raw --ambient-caps=+net_raw \
	    "$DNSREACHD" -i lo --foreground --alerts stderr; then
		ok "unprivileged start with ambient CAP_NET_RAW captures"
		check "unprivileged start: stays uid 65534" \
		    [ "$(status_field $pid Uid | cut -f1)" = 65534 ]
		check "unprivileged start: CAP_NET_RAW kept" \
		    [ "$(status_field $pid CapEff)" = $NET_RAW_ONLY ]
	else
		not_ok "unprivileged start: $(tail -n 2 "$tmp/err")"
	fi
	stop
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    --inh-caps=-all "$DNSREACHD" -i lo --foreground \
	    --alerts stderr >/dev/null 2>"$tmp/err"
	rc=$?
	check "unprivileged without CAP_NET_RAW: exit 1" [ $rc = 1 ]
	check "unprivileged without CAP_NET_RAW: says why" \
	    grep -q "CAP_NET_RAW" "$tmp/err"
else
	skip "setpriv missing: unprivileged start not tested"
fi

"$DNSREACHD" -i lo --foreground --alerts stderr -o 'user=""' \
    >/dev/null 2>"$tmp/err"
rc=$?
check "root with no user: refuses, exit 1" [ $rc = 1 ]
check "root with no user: says how to allow it" \
    grep -q "allow_root" "$tmp/err"
if start "$DNSREACHD" -i lo --foreground --alerts stderr -o 'user=""' \
    -o allow_root=yes; then
	check "allow_root = yes: runs as root" \
	    [ "$(status_field $pid Uid | cut -f1)" = 0 ]
else
	not_ok "allow_root = yes: did not come up"
fi
stop
# user = 0 is root by number: allowed with allow_root, refused without,
# and never "unknown".
if start "$DNSREACHD" -i lo --foreground --alerts stderr -o user=0 \
    -o allow_root=yes; then
	check "user = 0, allow_root = yes: runs as uid 0" \
	    [ "$(status_field $pid Uid | cut -f1)" = 0 ]
	check "user = 0, allow_root = yes: with CAP_NET_RAW only" \
	    [ "$(status_field $pid CapEff)" = $NET_RAW_ONLY ]
else
	not_ok "user = 0, allow_root = yes: did not come up: $(tail -n 1 \
	    "$tmp/err")"
fi
stop
"$DNSREACHD" -i lo --foreground --alerts stderr -o user=0 \
    >/dev/null 2>"$tmp/err"
rc=$?
check "user = 0 without allow_root: exit 1, says it is root" \
    sh -c "[ $rc = 1 ] && grep -q 'is root' $tmp/err &&
    ! grep -q unknown $tmp/err"
"$DNSREACHD" -i lo --foreground --alerts stderr -o user=dr-nosuchuser \
    >/dev/null 2>"$tmp/err"
rc=$?
check "unknown user: exit 1 naming it" \
    sh -c "[ $rc = 1 ] && grep -q dr-nosuchuser $tmp/err"
finish
