#!/bin/sh
# make install into a DESTDIR: every file in its place (PREFIX=/usr and
# /usr/local), a hardened binary, a default configuration path that
# follows SYSCONFDIR, both units verified, hardened and doing what their
# ExecStart=/ExecReload= lines say, the man pages render, and the message
# catalog explains a real alert (journalctl -x) without touching the
# system's catalog.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
root=$tmp/root
# make install must not take the flags of a make that runs this test.
unset MAKEFLAGS MFLAGS MAKELEVEL

# joined UNIT: the unit file with continuation lines joined, as systemd
# reads it.
joined() {
	awk '/\\$/ { sub(/\\$/, " "); buf = buf $0; next }
	    { print buf $0; buf = "" }' "$1"
}

make -s install DESTDIR="$root" PREFIX=/usr BUILD="$BUILD" \
    >"$tmp/install.log" 2>&1
check "make install DESTDIR=... PREFIX=/usr" [ $? = 0 ]
for f in /usr/sbin/dnsreachd /etc/dnsreach/dnsreach.conf \
    /lib/systemd/system/dnsreachd.service \
    /lib/systemd/system/dnsreachd@.service \
    /usr/lib/systemd/catalog/dnsreach.catalog \
    /usr/share/man/man8/dnsreachd.8 /usr/share/man/man5/dnsreach.conf.5; do
	check "installed $f" [ -s "$root$f" ]
done
check "installed binary runs" \
    sh -c "$root/usr/sbin/dnsreachd --version >/dev/null"
check "installed config checks" sh -c "$root/usr/sbin/dnsreachd \
    -c $root/etc/dnsreach/dnsreach.conf --check-config >/dev/null"
for u in dnsreachd.service dnsreachd@.service; do
	joined "$root/lib/systemd/system/$u" >"$tmp/joined"
	check "$u points at the installed binary" \
	    grep -q '^ExecStart=.*/usr/sbin/dnsreachd ' "$tmp/joined"
	check "$u: no placeholder left" \
	    sh -c "! grep -q '@[A-Z]*@' $root/lib/systemd/system/$u"
done

# A local install keeps out of the directories dpkg owns.
make -s install DESTDIR="$tmp/local" PREFIX=/usr/local BUILD="$BUILD" \
    >"$tmp/install-local.log" 2>&1
check "make install PREFIX=/usr/local" [ $? = 0 ]
check "PREFIX=/usr/local: unit in /usr/local/lib/systemd/system" \
    [ -s "$tmp/local/usr/local/lib/systemd/system/dnsreachd.service" ]
check "PREFIX=/usr/local: catalog in /usr/local/lib/systemd/catalog" \
    [ -s "$tmp/local/usr/local/lib/systemd/catalog/dnsreach.catalog" ]
check "PREFIX=/usr/local: nothing in /lib/systemd or /usr/lib/systemd" \
    sh -c "! [ -e $tmp/local/lib ] && ! [ -e $tmp/local/usr/lib ]"

# Hardened (the default build): full RELRO, PIE, stack protector and
# _FORTIFY_SOURCE's checked functions.
bin=$root/usr/sbin/dnsreachd
check "hardening: GNU_RELRO segment" \
    sh -c "readelf -lW $bin | grep -q GNU_RELRO"
check "hardening: BIND_NOW (full RELRO)" \
    sh -c "readelf -dW $bin | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'"
check "hardening: PIE (ELF type DYN)" \
    sh -c "readelf -hW $bin | grep -q 'Type: *DYN'"
check "hardening: stack protector (__stack_chk_fail)" \
    sh -c "readelf -sW --dyn-syms $bin | grep -q __stack_chk_fail"
check "hardening: fortified calls (__*_chk)" \
    sh -c "readelf -sW --dyn-syms $bin | grep -Eq '__[a-z]+_chk@'"

"$bin" --version >"$tmp/version" 2>&1
check "--version: first line names libpcap and libevent" \
    sh -c "head -n 1 $tmp/version | grep -q '^dnsreachd .*libpcap.*libevent'"
check "--version: compiler and flags as built" \
    sh -c "grep -q '^Compiler: ' $tmp/version &&
    grep -q '^CFLAGS: .*-fstack-protector-strong' $tmp/version &&
    grep -q '^LDFLAGS: .*relro' $tmp/version"
check "--version: libsystemd and libcap-ng versions" \
    grep -Eq "libsystemd [0-9]+.*libcap-ng [0-9]" "$tmp/version"

# SYSCONFDIR is compiled in: a build with its own (here under $tmp) reads
# its default configuration there, and its units name it.
etc=$tmp/etc
sc=$tmp/sc
make -s -j2 install BUILD="$tmp/build-sc" SYSCONFDIR="$etc" \
    DESTDIR="$sc" PREFIX=/usr/local >"$tmp/install-sc.log" 2>&1
check "make install SYSCONFDIR=$etc" [ $? = 0 ]
scbin=$sc/usr/local/sbin/dnsreachd
check "SYSCONFDIR: --version names $etc/dnsreach/dnsreach.conf" \
    sh -c "$scbin --version |
    grep -qx 'Configuration: $etc/dnsreach/dnsreach.conf'"
"$scbin" --check-config >"$tmp/out" 2>"$tmp/err"
rc=$?
check "default config absent: exit 0 with built-in defaults" [ $rc = 0 ]
check "default config absent: one line says built-in defaults" \
    sh -c "[ \$(wc -l <$tmp/err) = 1 ] &&
    grep -q '$etc/dnsreach/dnsreach.conf.*built-in defaults' $tmp/err"
mkdir -p "$etc/dnsreach"
printf '# broken\nthreshold = 2\n' >"$etc/dnsreach/dnsreach.conf"
"$scbin" --check-config >/dev/null 2>"$tmp/err"
rc=$?
check "default config from SYSCONFDIR is read: exit 2 naming file:line" \
    sh -c "[ $rc = 2 ] && grep -q '$etc/dnsreach/dnsreach.conf:2' $tmp/err"
for u in dnsreachd.service dnsreachd@.service; do
	check "$u: ReadOnlyPaths= follows SYSCONFDIR" grep -qx \
	    "ReadOnlyPaths=-$etc/dnsreach" "$sc/usr/local/lib/systemd/system/$u"
done

# The units as installed, run from here: the binary's path in DESTDIR.
for u in dnsreachd.service dnsreachd@.service; do
	sed "s|/usr/sbin/dnsreachd|$bin|g" "$root/lib/systemd/system/$u" \
	    >"$tmp/$u"
	sed "s|/usr/local/sbin/dnsreachd|$scbin|g" \
	    "$sc/usr/local/lib/systemd/system/$u" >"$tmp/sc-$u"
done
cp "$tmp/dnsreachd@.service" "$tmp/dnsreachd@eth0.service"
for u in dnsreachd.service dnsreachd@eth0.service; do
	check "$u: systemd-analyze verify is clean" \
	    sh -c "systemd-analyze verify --man=no $tmp/$u \
	    >$tmp/verify.log 2>&1 && ! [ -s $tmp/verify.log ]"
	exposure=$(systemd-analyze security --offline=true "$tmp/$u" \
	    2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	check "$u: systemd-analyze security exposure ${exposure:-?} <= 1.7" \
	    awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 1.7) }'
done
# One sandbox for both: the template must not drift from the main unit.
sandbox() {
	sed -n '/^# Capture needs CAP_NET_RAW/,/^\[Install\]/p' "$1"
}
sandbox "$tmp/dnsreachd.service" >"$tmp/sandbox.main"
sandbox "$tmp/dnsreachd@.service" >"$tmp/sandbox.tmpl"
check "template has the main unit's sandbox" \
    sh -c "[ \$(wc -l <$tmp/sandbox.main) -gt 20 ] &&
    cmp -s $tmp/sandbox.main $tmp/sandbox.tmpl"
for u in dnsreachd.service dnsreachd@.service; do
	check "$u: a configuration error (exit 2) is not restarted" \
	    grep -qx 'RestartPreventExitStatus=2' "$tmp/$u"
	check "$u: no ExecStartPre= (its exit 2 would be restarted)" \
	    sh -c "! grep -q '^ExecStartPre=' $tmp/$u"
	joined "$tmp/$u" | grep '^ExecReload=' >"$tmp/reload"
	check "$u: reload checks the configuration before SIGHUP" \
	    sh -c "[ \$(wc -l <$tmp/reload) = 2 ] &&
	    head -n 1 $tmp/reload | grep -q -- --check-config &&
	    tail -n 1 $tmp/reload |
	    grep -qx 'ExecReload=/bin/kill -HUP \$MAINPID'"
done
check "template binds to its interface's device" \
    sh -c "grep -qx 'BindsTo=sys-subsystem-net-devices-%i.device' \
    $tmp/dnsreachd@.service &&
    grep -q '^After=.*sys-subsystem-net-devices-%i.device' \
    $tmp/dnsreachd@.service"

# exec_lines KEY UNIT IFACE: the unit's KEY= command lines, one a line,
# as systemd would run them: $MAINPID, %i/%I and $$ replaced ($pid is
# the main process).
exec_lines() {
	joined "$2" | sed -n "s/^$1=//p" |
	    sed -e "s/\\\$MAINPID/${pid:-0}/g" -e 's/\$\$/$/g' \
	    -e "s/%[iI]/$3/g"
}
# run_unit KEY UNIT IFACE: run them in order, stopping at the first that
# fails, as systemd does; the status of the last one run.
run_unit() {
	exec_lines "$@" >"$tmp/lines"
	while IFS= read -r line; do
		sh -c "exec $line" </dev/null || return $?
	done <"$tmp/lines"
}
# start_unit UNIT IFACE: ExecStart= in the background; waits until the
# daemon watches.
start_unit() {
	line=$(exec_lines ExecStart "$1" "$2")
	: >"$tmp/daemon.err"
	sh -c "exec $line" </dev/null >/dev/null 2>"$tmp/daemon.err" &
	pid=$!
	wait_for 5 grep -q "watching DNS" "$tmp/daemon.err"
}
stop_unit() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}
# test_and STATUS CMD...: STATUS is 0 and CMD succeeds.
test_and() {
	[ "$1" = 0 ] || return 1
	shift
	"$@"
}

# The daemon drops to nobody and rereads its file on reload.
chmod 755 "$tmp"
printf 'interface = lo\nthreshold = 0.6\n' >"$etc/dnsreach/dnsreach.conf"
chmod 755 "$etc" "$etc/dnsreach"
if start_unit "$tmp/sc-dnsreachd.service" lo; then
	ok "dnsreachd.service: ExecStart= runs the daemon"
	printf 'interface = lo\nthreshold = 2\n' \
	    >"$etc/dnsreach/dnsreach.conf"
	run_unit ExecReload "$tmp/sc-dnsreachd.service" lo 2>"$tmp/err"
	rc=$?
	sleep 0.5
	check "reload with a broken file fails (exit 2) before SIGHUP" \
	    sh -c "[ $rc = 2 ] && ! grep -q 'reload' $tmp/daemon.err"
	check "reload with a broken file: the daemon runs on" \
	    kill -0 "$pid"
	printf 'interface = lo\nthreshold = 0.7\n' \
	    >"$etc/dnsreach/dnsreach.conf"
	run_unit ExecReload "$tmp/sc-dnsreachd.service" lo >/dev/null
	rc=$?
	check "reload with a good file: exit 0 and the daemon reloads" \
	    test_and $rc wait_for 3 grep -q "configuration reloaded" \
	    "$tmp/daemon.err"
else
	not_ok "dnsreachd.service: ExecStart= did not come up: $(tail -n 2 "$tmp/daemon.err")"
fi
stop_unit

# The template: dnsreach-IFACE.conf when it exists, else the shared file;
# -i IFACE wins over the file's interface.
inst=$etc/dnsreach/dnsreach-lo.conf
exec_lines ExecReload "$tmp/sc-dnsreachd@.service" lo | head -n 1 \
    >"$tmp/check-line"
check_inst() {
	sh -c "exec $(cat "$tmp/check-line")" </dev/null >/dev/null \
	    2>"$tmp/err"
}
check_inst
check "template, no dnsreach-lo.conf: the shared file is checked" [ $? = 0 ]
printf 'window = forever\n' >"$inst"
check_inst
rc=$?
check "template: a broken dnsreach-lo.conf fails the check, named" \
    sh -c "[ $rc = 2 ] && grep -q 'dnsreach-lo.conf:1' $tmp/err"
printf 'interface = dr-nosuch0\nthreshold = 0.6\n' >"$inst"
chmod 644 "$inst"
if start_unit "$tmp/sc-dnsreachd@.service" lo; then
	check "template: ExecStart= watches %I, not the file's interface" \
	    grep -q "watching DNS on lo" "$tmp/daemon.err"
else
	not_ok "template: ExecStart= did not come up: $(tail -n 2 "$tmp/daemon.err")"
fi
stop_unit

for m in docs/dnsreachd.8 docs/dnsreach.conf.5; do
	check "$m renders without warnings" \
	    sh -c "groff -mandoc -Tutf8 -ww $m 2>&1 >/dev/null | \
	    (! grep -q .)"
done

check "catalog compiles" journalctl --root="$root" --update-catalog
# Every event kind has its entry, every cause token its explanation, and
# the failing entry shows every count field.
for id in 5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 c41f9e2a7d3b4a56b0e8f1a2d9c7e305 \
    0761d1fefbc0431dabca009b1c52785c 2d8b35f540f2466a8a87e39ae1db5009 \
    40a33b3f4543463885518cff8ea342ef 33b4cec992dc4fd0b641565c7459560a
do
	check "catalog has an entry for $id" \
	    sh -c "journalctl --root=$root --dump-catalog $id | grep -q Subject"
done
journalctl --root="$root" --dump-catalog 5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 \
    >"$tmp/cat.txt" 2>&1
for c in service-not-listening blocked-by-firewall host-down \
    unreachable-other silent-drop servfail refused error-rcode; do
	check "catalog explains cause $c" grep -q "^  $c: " "$tmp/cat.txt"
done
for f in QUERIES UNREACHABLE TCP_RESETS TIMEOUTS SERVFAIL REFUSED \
    FAILURE_RATE THRESHOLD DETECTOR; do
	check "catalog failing entry shows DNSREACH_$f" \
	    grep -q "@DNSREACH_$f@" "$tmp/cat.txt"
done

# journalctl -x on a real alert, with the installed catalog, in a mount
# namespace of its own so the system's catalog database stays as it was.
if ensure_journald && unshare -m true 2>/dev/null; then
	"$MKPCAP" -o "$tmp/x.pcap" answer:10 icmp3:30 >/dev/null
	"$DNSREACHD" --read "$tmp/x.pcap" --alerts journal >/dev/null 2>&1
	journalctl --sync 2>/dev/null
	mkdir -p /var/lib/systemd/catalog
	unshare -m sh -c "
	    mount -t tmpfs none /var/lib/systemd/catalog &&
	    mount --bind $root/usr/lib/systemd/catalog /usr/lib/systemd/catalog &&
	    journalctl --update-catalog &&
	    journalctl --no-pager -x MESSAGE_ID=5b2d8a0e4c7f4f7e9a31d6c2b8e0f417 \
	        DNSREACH_INTERFACE=$tmp/x.pcap" >"$tmp/x.txt" 2>&1
	check "journalctl -x explains the alert" \
	    grep -q "Subject: DNS resolver 203.0.113.2 is failing (service-not-listening)" "$tmp/x.txt"
	check "journalctl -x says what to check" \
	    grep -q "Check the DNS service on that host" "$tmp/x.txt"
else
	skip "journalctl -x: no journald or no mount namespaces"
fi
finish
