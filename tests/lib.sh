# Shared helpers for the shell-driven tests (sourced, not run).
#
# Each test script prints TAP-like "ok - ..." / "not ok - ..." lines and
# appends its counts to $DR_RESULTS so run-integration.sh can total them.

DR_PASS=0
DR_FAIL=0
DR_SKIP=0
: "${BUILD:=build}"
DNSREACHD=${DNSREACHD:-$BUILD/dnsreachd}
MKPCAP=${MKPCAP:-$BUILD/tools/mkpcap}
TESTS_DIR=$(cd "$(dirname "$0")/.." && pwd)
DR_STARTED_JOURNALD=

ok() {
	DR_PASS=$((DR_PASS + 1))
	echo "ok - $*"
}

not_ok() {
	DR_FAIL=$((DR_FAIL + 1))
	echo "not ok - $*"
}

skip() {
	DR_SKIP=$((DR_SKIP + 1))
	echo "SKIP - $*"
}

# check DESC CMD...: pass when CMD exits 0.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

finish() {
	if [ -n "${DR_RESULTS:-}" ]; then
		echo "$DR_PASS $DR_FAIL $DR_SKIP" >>"$DR_RESULTS"
	fi
	echo "# $(basename "$0"): $DR_PASS passed, $DR_FAIL failed, $DR_SKIP skipped"
	[ "$DR_FAIL" = 0 ]
}

# A real systemd-journald: the running one, or one we start ourselves
# (it works without systemd as PID 1).  Returns 1 when there is none.
# A socket file alone proves nothing: its journald may have died.
journald_running() {
	[ -S /run/systemd/journal/socket ] &&
	    timeout 5 journalctl --sync >/dev/null 2>&1
}

ensure_journald() {
	journald_running && return 0
	[ -x /lib/systemd/systemd-journald ] || return 1
	[ "$(id -u)" = 0 ] || return 1
	mkdir -p /run/systemd/journal
	/lib/systemd/systemd-journald >/dev/null 2>&1 &
	DR_STARTED_JOURNALD=$!
	i=0
	while [ $i -lt 50 ]; do
		[ -S /run/systemd/journal/socket ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

stop_journald() {
	if [ -n "$DR_STARTED_JOURNALD" ]; then
		# A test may have stopped it (SIGSTOP): TERM waits for CONT.
		kill -CONT "$DR_STARTED_JOURNALD" 2>/dev/null
		kill "$DR_STARTED_JOURNALD" 2>/dev/null
		wait "$DR_STARTED_JOURNALD" 2>/dev/null
		DR_STARTED_JOURNALD=
	fi
}

# journal_json FIELD=VALUE...: matching entries as JSON lines, after
# making sure journald has written what it was sent.
journal_json() {
	journalctl --sync 2>/dev/null || sleep 0.5
	journalctl --no-pager -o json "$@" 2>/dev/null
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	limit=$(( $1 * 5 ))
	shift
	n=0
	while [ $n -lt $limit ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n + 1))
	done
	return 1
}
