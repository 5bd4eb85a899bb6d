#!/bin/sh
# A real Prometheus server scrapes dnsreachd through an outage and
# evaluates the shipped alerting rules (docs/prometheus/dnsreach.rules.yml,
# unchanged): dnsreach_resolver_failing reads 0 while the resolver
# answers, 1 during the outage and 0 after, as Prometheus's HTTP API
# reports it; the DnsreachResolverFailing rule goes pending, fires after
# its for: and is gone once the resolver is back.  Prometheus runs in the
# gateway namespace with the daemon, scraping 127.0.0.1 there every
# second, its storage in the test's temporary directory.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/netns.sh"

PORT=9754
PROM_PORT=9090
RULES=$(cd "$(dirname "$0")/../../docs/prometheus" && pwd)/dnsreach.rules.yml

if ! command -v prometheus >/dev/null 2>&1; then
	not_ok "$(basename "$0"): prometheus is not installed (make check" \
	    "installs it)"
	finish
	exit 1
fi
netns_setup journal
daemon_conf metrics_listen=127.0.0.1:$PORT
check "responder answers on $RES4" resp_start
check "dnsreachd watches $VETH_GW" daemon_start
load_start "$RES4" 20

mkdir -p "$NS_TMP/prom/data"
cat >"$NS_TMP/prom/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES
scrape_configs:
  - job_name: dnsreach
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOF
ip netns exec "$NS_GW" prometheus \
    --config.file="$NS_TMP/prom/prometheus.yml" \
    --web.listen-address=127.0.0.1:$PROM_PORT \
    --storage.tsdb.path="$NS_TMP/prom/data" --log.level=warn \
    >"$NS_TMP/prom/log" 2>&1 &
PROM_PID=$!
NS_PIDS="$NS_PIDS $PROM_PID"

# api PATH [curl options]: Prometheus's HTTP API, JSON on stdout.
api() {
	_p=$1
	shift
	ip netns exec "$NS_GW" curl -sf -m 5 "$@" \
	    "http://127.0.0.1:$PROM_PORT$_p"
}

# pq EXPR: the value of an instant query with one result, or nothing.
pq() {
	api /api/v1/query --data-urlencode "query=$1" |
	    sed -n 's/.*"value":\[[0-9.]*,"\([^"]*\)"\].*/\1/p'
}

# pq_is EXPR VALUE: the query's value is VALUE now.
pq_is() {
	[ "$(pq "$1")" = "$2" ]
}

# alert_state NAME: pending, firing, or nothing, for our resolver.
alert_state() {
	api /api/v1/alerts | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    l = a["labels"]
    if l.get("alertname") == sys.argv[1] and \
       l.get("resolver") == "203.0.113.2":
        print(a["state"])'  "$1"
}

alert_is() {
	[ "$(alert_state "$1")" = "$2" ]
}

# no_alert: DnsreachResolverFailing is neither pending nor firing.
no_alert() {
	api /api/v1/alerts >"$NS_TMP/alerts.now" &&
	    ! grep -q DnsreachResolverFailing "$NS_TMP/alerts.now"
}

check "prometheus is ready" wait_for 60 api /-/ready -o /dev/null
rules_loaded() {
	api /api/v1/rules | grep -q '"name":"DnsreachResolverFailing"'
}
check "prometheus loaded the shipped rules" rules_loaded
check "the target is up" wait_for 20 pq_is 'up{job="dnsreach"}' 1

# ---- healthy ----
F='dnsreach_resolver_failing{resolver="203.0.113.2"}'
check "healthy: $F is 0" wait_for 10 pq_is "$F" 0
n=$(pq 'dnsreach_resolver_answer_seconds_count{resolver="203.0.113.2"}')
check "healthy: answers in the histogram (${n:-none})" \
    [ "${n:-0}" -gt 0 ]
q=$(pq 'histogram_quantile(0.95, dnsreach_resolver_answer_seconds_bucket{resolver="203.0.113.2"})')
check "healthy: histogram_quantile reads a p95 below 1 s (${q:-none})" \
    awk -v q="${q:-x}" 'BEGIN { exit !(q + 0 > 0 && q + 0 < 1) }'
a=$(pq 'dnsreach_resolver_answer_seconds_sum{resolver="203.0.113.2"} / dnsreach_resolver_answer_seconds_count{resolver="203.0.113.2"}')
check "healthy: _sum / _count is a mean answer time below 1 s (${a:-none})" \
    awk -v a="${a:-x}" 'BEGIN { exit !(a + 0 > 0 && a + 0 < 1) }'
check "healthy: DnsreachResolverFailing is not active" no_alert

# ---- outage ----
t0=$(now_ms)
resp_stop
if wait_for 10 pq_is "$F" 1; then
	t1=$(now_ms)
	ok "outage: $F is 1 in Prometheus $((t1 - t0)) ms after it began"
else
	t1=$(now_ms)
	not_ok "outage: $F is 1 in Prometheus within 10 s"
fi
check "outage: the daemon said so too" seen failing "$RES4"
check "outage: DnsreachResolverFailing pending first (for: holds it)" \
    wait_for 5 alert_is DnsreachResolverFailing pending
if wait_for 40 alert_is DnsreachResolverFailing firing; then
	t2=$(now_ms)
	ok "outage: DnsreachResolverFailing firing $((t2 - t1)) ms after the gauge"
	# The shipped for: is 15 s; evaluation every second.
	check "outage: it fired after the rule's for: ($((t2 - t1)) ms)" \
	    [ $((t2 - t1)) -ge 13000 ]
else
	not_ok "outage: DnsreachResolverFailing firing within 40 s"
fi
api /api/v1/alerts >"$NS_TMP/alerts.json"
check "outage: the alert's labels and summary" python3 -c '
import json, sys
al = [a for a in json.load(open(sys.argv[1]))["data"]["alerts"]
    if a["labels"]["alertname"] == "DnsreachResolverFailing"]
assert len(al) == 1, al
l, an = al[0]["labels"], al[0]["annotations"]
assert l["resolver"] == "203.0.113.2" and l["severity"] == "critical", l
assert l["job"] == "dnsreach" and l["instance"] == "127.0.0.1:9754", l
assert an["summary"] == "DNS resolver 203.0.113.2 is failing, seen from 127.0.0.1:9754", an
' "$NS_TMP/alerts.json"

# ---- recovery ----
resp_start
t0=$(now_ms)
if wait_for 15 pq_is "$F" 0; then
	ok "recovery: $F is 0 in Prometheus $(($(now_ms) - t0)) ms after the service returned"
else
	not_ok "recovery: $F is 0 in Prometheus within 15 s"
fi
check "recovery: the alert is no longer active" wait_for 10 no_alert
n=$(pq 'dnsreach_alerts_total{kind="recovered"}')
check "recovery: one recovery counted (${n:-none})" [ "${n:-0}" = 1 ]
n=$(pq 'changes(dnsreach_resolver_failing{resolver="203.0.113.2"}[5m])')
check "one episode: the gauge changed twice, no flapping (${n:-none})" \
    [ "${n:-0}" = 2 ]

# Prometheus stops cleanly; the trap deletes its storage with the rest.
ns_kill "$PROM_PID"
ns_forget "$PROM_PID"
check "prometheus logged no error" sh -c "! grep -q 'level=error' \
    $NS_TMP/prom/log"
finish
