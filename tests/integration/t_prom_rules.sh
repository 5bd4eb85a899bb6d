#!/bin/sh
# The shipped Prometheus files: the alerting rules are valid and lint
# clean, their unit tests pass (promtool test rules), and the example
# prometheus.yml is a valid configuration that loads them.
. "$(dirname "$0")/../lib.sh"

DIR=$(cd "$(dirname "$0")/../../docs/prometheus" && pwd)
if ! command -v promtool >/dev/null 2>&1; then
	not_ok "promtool is not installed (make check installs prometheus)"
	finish
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

quiet() {
	"$@" >"$tmp/out" 2>&1 && return 0
	sed 's/^/# /' "$tmp/out"
	return 1
}
check "dnsreach.rules.yml: valid, lint clean" \
    quiet promtool check rules --lint=all --lint-fatal "$DIR/dnsreach.rules.yml"
if (cd "$DIR" && promtool test rules dnsreach.rules.test.yml) \
    >"$tmp/out" 2>&1; then
	ok "dnsreach.rules.test.yml: every rule unit test passes"
else
	not_ok "dnsreach.rules.test.yml: every rule unit test passes"
	sed 's/^/# /' "$tmp/out"
fi
# Each alert of the rules file has at least one test that fires it.
for a in $(sed -n 's/^ *- alert: //p' "$DIR/dnsreach.rules.yml"); do
	check "rule $a is tested firing" awk -v a="$a" '
	    /eval_time:/ { cur = 0 }
	    /alertname:/ { cur = ($2 == a) }
	    cur && /exp_labels:/ { found = 1 }
	    END { exit !found }' "$DIR/dnsreach.rules.test.yml"
done
check "example prometheus.yml: valid, loads the rules" \
    quiet promtool check config "$DIR/prometheus.yml"
finish
