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

if [ "$(id -u)" = 0 ]; then
	expect_exit 1 "missing interface" "$DNSREACHD" -i dr-no-such0 \
	    --foreground --alerts stderr
	check "missing interface: says so" grep -q "dr-no-such0" "$tmp/err"
else
	skip "missing interface (not root)"
fi
expect_exit 1 "--read of a missing file" "$DNSREACHD" --read "$tmp/none"
finish
