# dnsreach: build, test, install.
#
#   make                build build/dnsreachd and build/libdnsreach.a
#   make check          unit tests, integration and end-to-end tests
#   make asan-check     the unit tests again under ASan + UBSan, no fork
#   make fuzz           libFuzzer targets (clang); make fuzz-run FUZZ_TIME=60
#   make run            run the daemon in the foreground (root)
#   make install        DESTDIR and PREFIX honoured

PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR	?= /lib/systemd/system
CATALOGDIR ?= /usr/lib/systemd/catalog

BUILD	?= build
CC	?= cc
PKG_CONFIG ?= pkg-config
PKGS	:= libpcap libevent libsystemd libcap-ng
VERSION	:= 0.1.0

WARN	:= -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wcast-qual \
	   -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
	   -Wnull-dereference -Wundef
CFLAGS	?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE \
	   -DDR_VERSION='"$(VERSION)"' -Ilib \
	   $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS	:= $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm -pthread
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

LIB_SRC	:= $(sort $(wildcard lib/*.c))
LIB_OBJ	:= $(LIB_SRC:%.c=$(BUILD)/%.o)
DAEMON_SRC := $(sort $(wildcard daemon/*.c))
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/%.o)
# tests/test_*.c are Check suites; tests/util_*.c are shared helpers.
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_UTIL := $(sort $(wildcard tests/util_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
FUZZ_TIME ?= 60

.PHONY: all deps check unit-check integration-check asan-check fuzz \
	fuzz-run run install uninstall clean bench demo

all: $(BUILD)/dnsreachd $(TOOL_BIN)

deps:
	@sh .ci/deps build

# V=1 shows the whole command lines.
Q	:= $(if $(V),,@)
.SECONDARY:

$(BUILD)/%.o: %.c $(wildcard lib/*.h daemon/*.h tests/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(BUILD)/libdnsreach.a: $(LIB_OBJ)
	$(Q)$(AR) rcs $@ $^

$(BUILD)/dnsreachd: $(DAEMON_OBJ) $(BUILD)/libdnsreach.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJ) \
	    $(BUILD)/libdnsreach.a $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_UTIL:%.c=$(BUILD)/%.o) \
    $(BUILD)/libdnsreach.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(TEST_UTIL:%.c=$(BUILD)/%.o) $(BUILD)/libdnsreach.a \
	    $(CHECK_LIBS) $(LIBS)

$(BUILD)/tools/%: tests/tools/%.c $(TEST_UTIL:%.c=$(BUILD)/%.o) \
    $(BUILD)/libdnsreach.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests $(LDFLAGS) -o $@ $< \
	    $(TEST_UTIL:%.c=$(BUILD)/%.o) $(BUILD)/libdnsreach.a $(LIBS)

check: 
	@sh .ci/deps build test
	$(MAKE) all $(TEST_BIN)
	$(MAKE) unit-check integration-check

unit-check: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
	    echo "== $$t"; $$t || fail=1; done; \
	test $$fail = 0

integration-check: all
	@sh tests/run-integration.sh $(BUILD)

# The same unit tests with ASan and UBSan, in one process (CK_FORK=no) so
# state leaking from one test to the next shows up; then the savefile and
# command-line tests against the sanitized daemon (a leak fails them).
asan-check:
	@sh .ci/deps build test
	$(MAKE) BUILD=build-asan CC=gcc \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" \
	    build-asan/dnsreachd $(TEST_BIN:$(BUILD)/%=build-asan/%) \
	    $(TOOL_BIN:$(BUILD)/%=build-asan/%)
	@fail=0; for t in $(TEST_BIN:$(BUILD)/%=build-asan/%); do \
	    echo "== $$t (asan, no fork)"; \
	    CK_FORK=no ASAN_OPTIONS=detect_leaks=1 $$t || fail=1; done; \
	for t in t_read t_cli; do \
	    echo "== $$t (asan daemon)"; \
	    BUILD=build-asan ASAN_OPTIONS=detect_leaks=1 \
	        sh tests/integration/$$t.sh || fail=1; done; \
	test $$fail = 0

# libFuzzer targets: each links the library sources built with clang.
build-fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(wildcard lib/*.h)
	@sh .ci/deps build fuzz
	@mkdir -p build-fuzz
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -Ilib \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ $< $(LIB_SRC) $(LIBS)

fuzz: $(FUZZ_BIN)

fuzz-run: fuzz
	@for f in $(FUZZ_BIN); do \
	    n=$$(basename $$f); mkdir -p build-fuzz/corpus-$$n; \
	    echo "== $$n for $(FUZZ_TIME) s"; \
	    dict=tests/fuzz/$$n.dict; \
	    if [ -f $$dict ]; then d=-dict=$$dict; else d=; fi; \
	    seed=tests/fuzz/corpus/$$n; [ -d $$seed ] || seed=; \
	    $$f -max_total_time=$(FUZZ_TIME) -print_final_stats=1 $$d \
	        build-fuzz/corpus-$$n $$seed \
	        >build-fuzz/$$n.log 2>&1 || { tail -n 40 build-fuzz/$$n.log; exit 1; }; \
	    grep -E 'stat::number_of_executed_units|Done' build-fuzz/$$n.log; \
	done

run:
	@sh .ci/deps build
	$(MAKE) all
	$(BUILD)/dnsreachd --foreground --alerts both $(ARGS)

demo:
	@sh .ci/deps build test
	$(MAKE) all
	@sh tests/e2e/demo.sh $(BUILD)

bench:
	@sh .ci/deps build bench
	$(MAKE) all
	@sh bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/dnsreach \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(CATALOGDIR)
	install -m 755 $(BUILD)/dnsreachd $(DESTDIR)$(SBINDIR)/dnsreachd
	install -m 644 docs/dnsreachd.8 $(DESTDIR)$(MANDIR)/man8/dnsreachd.8
	install -m 644 docs/dnsreach.conf.5 \
	    $(DESTDIR)$(MANDIR)/man5/dnsreach.conf.5
	test -e $(DESTDIR)$(SYSCONFDIR)/dnsreach/dnsreach.conf || \
	    install -m 644 conf/dnsreach.conf \
	    $(DESTDIR)$(SYSCONFDIR)/dnsreach/dnsreach.conf
	sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/dnsreachd.service.in \
	    >$(DESTDIR)$(UNITDIR)/dnsreachd.service
	chmod 644 $(DESTDIR)$(UNITDIR)/dnsreachd.service
	install -m 644 systemd/dnsreach.catalog \
	    $(DESTDIR)$(CATALOGDIR)/dnsreach.catalog

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/dnsreachd \
	    $(DESTDIR)$(MANDIR)/man8/dnsreachd.8 \
	    $(DESTDIR)$(MANDIR)/man5/dnsreach.conf.5 \
	    $(DESTDIR)$(UNITDIR)/dnsreachd.service \
	    $(DESTDIR)$(CATALOGDIR)/dnsreach.catalog

clean:
	rm -rf build build-asan build-fuzz
