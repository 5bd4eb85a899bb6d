#!/bin/sh
# Compile the benchmark's capture writers: bench/build-gen.sh [BUILD]
# writes BUILD/bench/gen (the 2M-packet gateway capture) and
# BUILD/bench/edge (corner cases), with the project's warning flags, when
# missing or older than their sources.  Used by bench/run.sh and
# tests/integration/t_oracle.sh, so both build them alike.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
mkdir -p "$BUILD/bench"
deps="tests/util_pkt.c tests/util_pkt.h lib/addr.c lib/addr.h"
for prog in gen edge; do
	out=$BUILD/bench/$prog
	if [ -x "$out" ]; then
		stale=
		for s in "bench/$prog.c" $deps; do
			[ "$s" -nt "$out" ] && stale=1
		done
		[ -z "$stale" ] && continue
	fi
	# The same warnings as the Makefile's WARN.
	${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
	    -Wcast-qual -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	    -Wvla -Wnull-dereference -Wundef -O2 -g -D_GNU_SOURCE \
	    -Ilib -Itests -o "$out.tmp" "bench/$prog.c" tests/util_pkt.c \
	    lib/addr.c
	mv "$out.tmp" "$out"
done
