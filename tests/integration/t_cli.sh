#!/bin/sh
# Options, configuration errors and exit codes: 0 ok, 2 usage or
# configuration (naming file and line), 1 runtime.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_exit CODE DESC CMD...: CMD's exit code must be CODE; its stderr
# is kept in $tmp/err.
expect_exit() {
	want=$1 desc=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$desc (exit $got)"
	else
		not_ok "$desc: exit $got, want $want; stderr: $(head -n 3 "$tmp/err")"
	fi
}

expect_exit 0 "--version" "$DNSREACHD" --version
check "--version names libpcap and libevent" \
    grep -q 'libpcap.*libevent' "$tmp/out"
expect_exit 0 "--help" "$DNSREACHD" --help
check "--help shows --read" grep -q -- '--read' "$tmp/out"
expect_exit 2 "unknown option" "$DNSREACHD" --bogus
check "unknown option: one clear line" \
    sh -c "[ \$(wc -l <$tmp/err) = 1 ] && grep -q bogus $tmp/err"
expect_exit 2 "missing option value" "$DNSREACHD" -c
expect_exit 2 "stray argument" "$DNSREACHD" extra
expect_exit 2 "--json without --read" "$DNSREACHD" --json
expect_exit 2 "--alerts with a bad value" "$DNSREACHD" --alerts syslog

cp "$TESTS_DIR/../conf/dnsreach.conf" "$tmp/good.conf"
expect_exit 0 "shipped config checks" "$DNSREACHD" -c "$tmp/good.conf" \
    --check-config
check "--check-config says configuration OK" \
    grep -qx 'configuration OK' "$tmp/out"
expect_exit 0 "default path absent: built-in defaults" \
    "$DNSREACHD" --check-config
expect_exit 2 "explicit config missing" "$DNSREACHD" -c "$tmp/none.conf" \
    --check-config

cat >"$tmp/bad.conf" <<'CONF'
# a config with three mistakes
window = 30s
threshold = 150%
tresh = 0.5
window = 20s
CONF
expect_exit 2 "bad config" "$DNSREACHD" -c "$tmp/bad.conf" --check-config
check "bad value named with file and line" \
    grep -q "bad.conf:3: threshold" "$tmp/err"
check "unknown key named with file and line" \
    grep -q "bad.conf:4: .*tresh" "$tmp/err"
check "duplicate key named with file and line" \
    grep -q "bad.conf:5: .*window" "$tmp/err"

printf 'threshold = 0.3\nclear_threshold = 0.5\n' >"$tmp/cross.conf"
expect_exit 2 "clear_threshold above threshold" "$DNSREACHD" \
    -c "$tmp/cross.conf" --check-config
check "cross-key error names the file" grep -q "cross.conf" "$tmp/err"

printf 'filter = "udp port 53 and and"\n' >"$tmp/filter.conf"
expect_exit 2 "filter that does not compile" "$DNSREACHD" \
    -c "$tmp/filter.conf" --check-config
check "filter error names the key" grep -q "filter" "$tmp/err"

expect_exit 2 "-o with a bad value" "$DNSREACHD" -o window=forever \
    --check-config
expect_exit 2 "-o with an unknown key" "$DNSREACHD" -o nokey=1 \
    --check-config
expect_exit 0 "-o with a good value" "$DNSREACHD" -o threshold=80% \
    -o window=2m --check-config

# An error across keys from -o alone names the command line, not a
# configuration file that was never read.
if [ ! -e /etc/dnsreach/dnsreach.conf ]; then
	expect_exit 2 "-o clear_threshold above -o threshold" "$DNSREACHD" \
	    -o threshold=20% -o clear_threshold=50% --check-config
	check "... blames the command line, not the absent default file" \
	    sh -c "grep -q 'command line: clear_threshold' $tmp/err &&
	    ! grep clear_threshold $tmp/err | grep -q /etc/dnsreach"
else
	skip "-o errors naming: /etc/dnsreach/dnsreach.conf exists here"
fi
printf 'threshold = 20%%\n' >"$tmp/t20.conf"
expect_exit 2 "file and -o together in error" "$DNSREACHD" \
    -c "$tmp/t20.conf" -o clear_threshold=50% --check-config
check "... names the file with the command line" \
    grep -q "t20.conf with the command line: clear_threshold" "$tmp/err"

# Tables beyond memory_limit: refused with what to change, before the
# daemon would fail to allocate them (or take the machine's memory).
expect_exit 2 "max_resolvers x window over memory_limit" "$DNSREACHD" \
    -o max_resolvers=1000000 -o window=1h -o bucket=1s --check-config
check "... says how much, and which keys" \
    grep -q 'max_resolvers (1000000) with 3600-bucket windows .* MiB of tables, more than memory_limit (1G)' \
    "$tmp/err"
expect_exit 0 "the same with memory_limit raised" "$DNSREACHD" \
    -o max_resolvers=1000000 -o window=1h -o bucket=1s \
    -o memory_limit=1024G --check-config
expect_exit 0 "--check-config -v" "$DNSREACHD" -v --check-config
check "--check-config -v: the memory the configuration takes" \
    grep -Eq '^memory: engine tables [0-9.]+ MiB \(max_resolvers 4096 with 20-bucket windows, max_pending 65536; limit 1024 MiB\), capture buffers 4.0 MiB' \
    "$tmp/out"

# 64 -o options are allowed, and --read adds none of its own.
set --
i=0
while [ $i -lt 64 ]; do
	set -- "$@" -o threshold=50%
	i=$((i + 1))
done
"$MKPCAP" -o "$tmp/small.pcap" -c 4 answer:5 >/dev/null
expect_exit 0 "64 -o options with --read" "$DNSREACHD" "$@" \
    --read "$tmp/small.pcap"
expect_exit 2 "65 -o options" "$DNSREACHD" "$@" -o threshold=50% \
    --check-config
check "... says at most 64" grep -q "at most 64" "$tmp/err"
set --
# -i, -a, -u are kept without allocating (ASan builds check for leaks).
expect_exit 0 "-i, -a, -u with --check-config" "$DNSREACHD" -i lo -i eth0 \
    -a both -u nobody --check-config

if [ "$(id -u)" = 0 ]; then
	expect_exit 1 "missing interface" "$DNSREACHD" -i dr-no-such0 \
	    --foreground --alerts stderr
	check "missing interface: says so" grep -q "dr-no-such0" "$tmp/err"
else
	skip "missing interface (not root)"
fi
expect_exit 1 "--read of a missing file" "$DNSREACHD" --read "$tmp/none"
finish
