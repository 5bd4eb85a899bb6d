#!/bin/sh
# Run every shell-driven test (integration, then end-to-end) against the
# built binary, and total the results in the one line CI reads.
BUILD=${1:-build}
export BUILD
DR_RESULTS=$(mktemp)
export DR_RESULTS
cd "$(dirname "$0")/.." || exit 1

# One journald for the whole run when none works (CI, containers), so
# the tests do not each start and stop their own and race its sockets.
. tests/lib.sh
ensure_journald || echo "# no systemd-journald: journal tests will skip"
trap 'rm -f "$DR_RESULTS"; stop_journald' EXIT

status=0
for t in tests/integration/t_*.sh tests/e2e/t_*.sh; do
	[ -f "$t" ] || continue
	case " ${DR_ONLY:-$t} " in *" $t "*) ;; *) continue ;; esac
	echo "== $t"
	sh "$t" || status=1
done
awk '{ p += $1; f += $2; s += $3 }
    END { printf "integration: %d passed, %d failed, %d skipped\n", p, f, s }' \
    "$DR_RESULTS"
exit $status
