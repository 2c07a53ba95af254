# SPDX-License-Identifier: GPL-3.0-or-later
# motcua — hand-written GNU Makefile (see DEVELOPERS.md, style: tig).
#
#   make            build the client (build/motcua)
#   make run        build and open the client on a demo store
#   make check      layers, unit + CLI + UI + sync tests, then again under ASan + UBSan
#   make layers     every include points down the layers (docs/hacking.md)
#   make analyze    clang's static analyser (scan-build): any report fails
#   make bench      benchmarks (see docs/PERFORMANCE.md)
#   make fuzz       the fuzz targets (tests/fuzz/) under libFuzzer, FUZZ_SECONDS each
#   make install    both programs, data, man pages, docs, the systemd unit
#   make uninstall  (PREFIX=/usr/local DESTDIR= as for install)
#
# Variables: B (build dir, default build), SAN=1 (sanitizers), V=1 (verbose),
# HARDEN=0 (no hardening flags); CPPFLAGS, CFLAGS and LDFLAGS from the
# environment are honoured (dpkg-buildflags).

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share/motcua
DOCDIR  ?= $(PREFIX)/share/doc/motcua
MANDIR  ?= $(PREFIX)/share/man
# /usr installs read /etc, like Debian's packages; other prefixes their own etc
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
B       ?= build
SAN     ?=
PKG_CONFIG ?= pkg-config

CLIENT_PKGS := ncursesw sqlite3 libcurl jansson cairo pangocairo libqrencode libsodium libutf8proc sane-backends libjpeg libtiff-4 poppler-glib \
	libcrypto zlib
# Of those, the ones the program loads with dlopen when a screen or command
# first needs them (client/base/lazylib.h): it is not linked with them, so a
# session that never prints, scans, signs or syncs never maps them. The tests
# and benchmarks are (with --as-needed: only those that call them directly).
LAZY_PKGS   := libcurl cairo pangocairo libqrencode sane-backends libjpeg libtiff-4 poppler-glib libcrypto
# KEY=library for tools/sonames.sh, in client/base/lazylib.h's order
LAZY_SONAMES := GLIB=glib-2.0 GOBJECT=gobject-2.0 CAIRO=cairo PANGO=pango-1.0 PANGOCAIRO=pangocairo-1.0 \
	POPPLER=poppler-glib SANE=sane JPEG=jpeg TIFF=tiff QRENCODE=qrencode CURL=curl CRYPTO=crypto
# Signatures (client/sign/): PKCS#11's header only; modules are loaded at run time.
HEADER_PKGS := p11-kit-1
CORE_PKGS   := jansson libutf8proc zlib

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifneq ($(MAKECMDGOALS),deps)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(CLIENT_PKGS) $(HEADER_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(filter-out $(LAZY_PKGS),$(CLIENT_PKGS)) 2>/dev/null)
LAZY_LIBS  := $(shell $(PKG_CONFIG) --libs $(LAZY_PKGS) 2>/dev/null)
endif

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter

# Hardening on by default (HARDEN=0 turns it off): what Debian's
# hardening=+all gives, so that a plain `make` builds what the packages ship.
# _FORTIFY_SOURCE needs optimisation and fights ASan: only with -O and
# without SAN=1, and only when the environment has not set it already.
HARDEN ?= 1
cc-option = $(shell $(CC) -Werror $(1) -x c -c /dev/null -o /dev/null 2>/dev/null && echo $(1))
ifeq ($(HARDEN),1)
ifneq ($(MAKECMDGOALS),deps)
HARDEN_CFLAGS := -fstack-protector-strong -fPIE $(call cc-option,-fstack-clash-protection) \
	$(call cc-option,-fcf-protection)
endif
HARDEN_LDFLAGS := -pie -Wl,-z,relro -Wl,-z,now
ifeq ($(SAN),)
ifneq ($(filter -O -O1 -O2 -O3 -Os -Og -Ofast,$(CFLAGS)),)
ifeq ($(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),)
HARDEN_CPPFLAGS := -D_FORTIFY_SOURCE=2
endif
endif
endif
endif

# Without MOTCUA_DATADIR: the objects of the installed programs (below).
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) $(HARDEN_CPPFLAGS) $(CPPFLAGS) $(HARDEN_CFLAGS) \
	$(CFLAGS) -I. -I$(B)/gen $(PKG_CFLAGS) -MMD -MP
# The programs of the build tree find the tree's data/.
ALL_CFLAGS := $(BASE_CFLAGS) -DMOTCUA_DATADIR='"$(abspath data)"'
# -O1 and --as-needed: fewer shared objects for the dynamic loader to map and
# relocate at every start (docs/PERFORMANCE.md, "Memory and start-up").
ALL_LDFLAGS := -Wl,-O1,--as-needed $(HARDEN_LDFLAGS) $(LDFLAGS)
LIBS := $(PKG_LIBS) -ldl -lpthread -lm

ifeq ($(SAN),1)
ALL_CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ALL_LDFLAGS += -fsanitize=address,undefined
endif
# FUZZ=1 (make fuzz sets it, with clang): every object instrumented for
# libFuzzer's coverage; the fuzz targets link libFuzzer's main.
ifeq ($(FUZZ),1)
ALL_CFLAGS  += -fsanitize=fuzzer-no-link
endif

CORE_SRC   := $(sort $(wildcard core/*.c))
# The client's layers, bottom to top (docs/hacking.md; `make layers` checks
# that every include points down).
CLIENT_DIRS := client/base client/store sync client/print client/scan client/sign \
	client/services client/tui client/cli screens
CLIENT_SRC := $(sort $(foreach d,$(CLIENT_DIRS),$(wildcard $(d)/*.c)))
GEN_SRC    := $(B)/gen/default_keys.c
LIB_OBJ    := $(CORE_SRC:%.c=$(B)/%.o) $(CLIENT_SRC:%.c=$(B)/%.o) $(B)/gen/default_keys.o
MAIN_OBJ   := $(B)/client/main.o

UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

BENCH_SRC  := $(sort $(wildcard bench/*.c))
BENCH_BIN  := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all run check analyze layers spdx docs-listed test test-unit test-cli test-ui test-sync test-install test-bins server bench clean \
	fuzz fuzz-build fuzz-check test-fuzz \
	install install-bins uninstall test-pkg openapi-lint deps demo
.DELETE_ON_ERROR:

all: $(B)/motcua $(B)/motcua-server

$(B)/motcua: $(MAIN_OBJ) $(B)/libmotcua.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/libmotcua.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/gen/default_keys.o: $(B)/gen/default_keys.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The default key bindings are written in the keymap language and compiled in.
$(B)/gen/default_keys.c: keymaps/default.keys tools/embed.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)sh tools/embed.sh motcua_default_keys $< > $@

# The sonames client/base/lazylib.c opens, as this toolchain finds them.
$(B)/gen/lazylib_names.h: Makefile tools/sonames.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)sh tools/sonames.sh '$(CC)' $(LAZY_SONAMES) > $@

$(B)/client/base/lazylib.o: $(B)/gen/lazylib_names.h

# Fixtures shared by the unit tests (tests/unit/fixtures.h), as an archive:
# a test links only what it uses.
UNIT_LIB   := $(B)/tests/libfixtures.a

$(UNIT_LIB): $(B)/tests/unit/fixtures.o
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/tests/%: tests/unit/%.c $(UNIT_LIB) $(B)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(UNIT_LIB) $(B)/libmotcua.a $(LIBS) $(LAZY_LIBS) $(shell $(PKG_CONFIG) --libs cmocka)

$(B)/bench/%: bench/%.c $(B)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libmotcua.a $(LIBS) $(LAZY_LIBS)

# ---- motcua-server (issue 3): server/*.c + the core objects, with
# libmicrohttpd and libpq; the SQL migrations are compiled in. ----------------
SERVER_PKGS    := libmicrohttpd libpq jansson libsodium libutf8proc libcurl zlib
ifneq ($(MAKECMDGOALS),deps)
SERVER_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(SERVER_PKGS) 2>/dev/null)
SERVER_LIBS    := $(shell $(PKG_CONFIG) --libs $(SERVER_PKGS) 2>/dev/null)
endif
SERVER_SRC     := $(sort $(wildcard server/*.c))
SERVER_OBJ     := $(SERVER_SRC:%.c=$(B)/%.o) $(B)/gen/server_migrations.o $(B)/gen/portal_schemas.o
SERVER_MIGRATIONS := $(sort $(wildcard server/migrations/*.sql))
CORE_OBJ       := $(CORE_SRC:%.c=$(B)/%.o)
SYNCTOOL       := $(B)/tests/synctool

server: $(B)/motcua-server

$(B)/motcua-server: $(SERVER_OBJ) $(CORE_OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(SERVER_LIBS) -lpthread -lm

$(B)/server/%.o: server/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(SERVER_CFLAGS) -c -o $@ $<

$(B)/gen/server_migrations.c: $(SERVER_MIGRATIONS) server/gen-migrations.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)sh server/gen-migrations.sh $(SERVER_MIGRATIONS) > $@

# The portal's schemas (docs/portal/NAME.schema.json) are compiled in: the
# server checks what it sends and receives with the documents themselves.
PORTAL_SCHEMAS := $(sort $(wildcard docs/portal/*.schema.json))
$(B)/gen/portal_schemas.c: $(PORTAL_SCHEMAS) tools/embed.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)for f in $(PORTAL_SCHEMAS); do sh tools/embed.sh portal_schema_$$(basename $$f .schema.json) $$f; done > $@

$(B)/gen/portal_schemas.o: $(B)/gen/portal_schemas.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/gen/server_migrations.o: $(B)/gen/server_migrations.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-variable-declarations -c -o $@ $<

# A small client for the sync tests: batches with real payload hashes, JSON paths.
$(SYNCTOOL): tests/sync/synctool.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(SERVER_LIBS) -lpthread -lm

# A throttling TCP proxy for the client's sync tests (tests/sync/t_client_sync.sh).
SLOWPROXY      := $(B)/tests/slowproxy
$(SLOWPROXY): tests/sync/slowproxy.c
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The stand-in for the National Public Service Portal (tests/sync/t_portal.sh):
# it checks every message against docs/portal/NAME.schema.json with core/jschema.
STANDIN        := $(B)/tests/standin
$(STANDIN): tests/portal/standin.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SERVER_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter %.c %.o,$^) $(SERVER_LIBS) -lpthread -lm

# A mail server and SMS gateway for the notices' tests (tests/sync/t_notices.sh).
SINK           := $(B)/tests/sink
$(SINK): tests/notify/sink.c
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The sync suite: a throwaway PostgreSQL cluster, real servers on 127.0.0.1;
# the client's tests find slowproxy and standin next to motcua-server.
test-sync: $(B)/motcua-server $(SYNCTOOL) $(B)/motcua $(SLOWPROXY) $(STANDIN) $(SINK)
	$(Q)sh tests/sync/run.sh $(abspath $(B)/motcua-server) $(abspath $(SYNCTOOL)) $(abspath $(B)/motcua)

# ---- fuzz targets (tests/fuzz/, docs/hacking.md) -----------------------------
# tests/fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput; corpus/NAME/ holds
# its seeds and every input that once found a bug. Built with FUZZ=1
# (clang): a libFuzzer program; otherwise linked with tests/fuzz/replay.c,
# a plain program that runs the corpus once (make test-fuzz, part of make
# test, with and without sanitizers). FUZZ_OBJ_NAME: what NAME links
# besides the core; FUZZ_LIBS_NAME: its libraries (default: the server's, which
# the core needs).
FUZZ_TARGETS := sync dossier_doc procparse csv keymap server
FUZZ_SECONDS ?= 10
FUZZ_CHECK_SECONDS ?= 6
FUZZ_CC ?= clang
FUZZ_BINS := $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
FUZZ_OBJ_keymap := $(B)/client/tui/keymap.o $(B)/gen/default_keys.o
FUZZ_LIBS_keymap := $(PKG_LIBS)
FUZZ_OBJ_server := $(filter-out $(B)/server/main.o,$(SERVER_OBJ))
FUZZ_LIBS_DEFAULT = $(SERVER_LIBS)
ifeq ($(FUZZ),1)
FUZZ_MAIN := -fsanitize=fuzzer
else
FUZZ_MAIN := tests/fuzz/replay.c
endif

define FUZZ_RULE
$(B)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c tests/fuzz/fuzz.h tests/fuzz/replay.c $$(FUZZ_OBJ_$(1)) $$(CORE_OBJ)
	@mkdir -p $$(dir $$@)
	@echo "  FUZZ    $$@"
	$$(Q)$$(CC) $$(ALL_CFLAGS) $$(SERVER_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$< $$(FUZZ_MAIN) \
		$$(FUZZ_OBJ_$(1)) $$(CORE_OBJ) $$(or $$(FUZZ_LIBS_$(1)),$$(FUZZ_LIBS_DEFAULT)) -lpthread -lm
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULE,$(t))))

fuzz-build: $(FUZZ_BINS)

# The corpora replayed by the plain programs (any compiler, no time bound).
test-fuzz: $(FUZZ_BINS)
	$(Q)sh tests/fuzz/run.sh replay $(abspath $(B))/fuzz

# libFuzzer, FUZZ_SECONDS per target (ONLY="sync keymap" for some), in
# build-fuzz (clang, ASan + UBSan); a crash leaves its input in
# build-fuzz/fuzz/artifacts/ and fails.
fuzz:
	$(Q)sh tests/fuzz/run.sh have $(FUZZ_CC) || \
		{ echo "fuzz: $(FUZZ_CC) cannot build libFuzzer programs (apt-get install clang)"; exit 1; }
	$(Q)$(MAKE) --no-print-directory fuzz-build B=build-fuzz CC=$(FUZZ_CC) SAN=1 OPT=-O1 FUZZ=1
	$(Q)sh tests/fuzz/run.sh fuzz $(abspath build-fuzz)/fuzz $(FUZZ_SECONDS)

# make check's part: a short bound, skipped (said) where clang is not.
fuzz-check:
	$(Q)if sh tests/fuzz/run.sh have $(FUZZ_CC); then \
		$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS); \
	else \
		echo "fuzz: skipped ($(FUZZ_CC) with -fsanitize=fuzzer not available; the corpora were replayed by make test)"; \
	fi

# Installs missing Debian packages (as root) or says exactly what to install:
# everything CI needs (tools/deps.sh lists the runtime, server, build and test sets).
deps:
	$(Q)sh tools/deps.sh

# Open the client on a demo store (created on first run under build/demo),
# after installing what building and running need (not the test tools).
run:
	$(Q)sh tools/deps.sh build runtime
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tools/run-demo.sh $(B)/motcua

test-unit: $(UNIT_BIN)
	$(Q)sh tests/unit/run.sh $(UNIT_BIN)

test-cli: $(B)/motcua
	$(Q)sh tests/cli/run.sh $(abspath $(B)/motcua)

test-ui: $(B)/motcua
	$(Q)sh tests/ui/run.sh $(abspath $(B)/motcua)

# make install into a throwaway PREFIX: the installed programs run with no
# build tree; then make uninstall leaves only the settings (tests/pkg).
TEST_PREFIX := $(abspath $(B))/test-prefix
test-install: $(B)/motcua $(B)/motcua-server
	$(Q)rm -rf $(TEST_PREFIX)
	$(Q)$(MAKE) --no-print-directory install PREFIX=$(TEST_PREFIX) >$(B)/test-install.log 2>&1 || \
		{ cat $(B)/test-install.log; exit 1; }
	$(Q)sh tests/pkg/install.sh $(TEST_PREFIX) $(abspath data)
	$(Q)$(MAKE) --no-print-directory uninstall PREFIX=$(TEST_PREFIX) >>$(B)/test-install.log 2>&1
	$(Q)sh tests/pkg/install.sh --uninstalled $(TEST_PREFIX)
	$(Q)rm -rf $(TEST_PREFIX)

test: test-unit test-cli test-ui test-sync test-install test-fuzz

# The Debian packages built, checked (lintian, hardening-check) and run
# installed in a root without the build tree (tests/pkg/deb.sh; as root; a
# few minutes). MOTCUA_PKG_FRESH=1: in a fresh Debian 12 made by debootstrap.
# make check runs it once (not under sanitizers) where dpkg-buildpackage is.
test-pkg:
	$(Q)sh tests/pkg/deb.sh .

HAVE_DEB := $(shell command -v dpkg-buildpackage >/dev/null 2>&1 && command -v dh >/dev/null 2>&1 && \
	[ "$$(id -u)" = 0 ] && echo 1)

# Every include points down the layers of docs/hacking.md; only the store and
# sync run SQL (tools/layers.sh; tests/cli/t_layers.sh tests the check).
layers:
	$(Q)sh tools/layers.sh

# clang's static analyser (scan-build) over a full build in build-analyze;
# any report fails (tools/analyze.sh, docs/hacking.md). Not in make check.
analyze:
	$(Q)CC='$(CC)' sh tools/analyze.sh

# docs/openapi.yaml through redocly's linter, where node is (tools/openapi-lint.sh).
openapi-lint:
	$(Q)sh tools/openapi-lint.sh

# Every source file, test and script carries the licence's SPDX line.
spdx:
	$(Q)sh tools/spdx.sh --check

# every docs/ file shipped by a package or named as not installed (dh_missing).
docs-listed:
	$(Q)sh tools/docs-listed.sh

# Everything the suites run, so that it can be built ahead on both cores.
test-bins: all $(UNIT_BIN) $(SYNCTOOL) $(SLOWPROXY) $(STANDIN) $(SINK) $(FUZZ_BINS)

# Each build made on both cores first; then the sync suite (the longest: a
# PostgreSQL cluster and servers of its own) beside the others one after
# another (test-local). The local suites never run beside each other: the
# CLI's and the UI's scans both drive SANE's test backend, and two at once
# stalled a scan under ASan. Each side's output printed whole when it ends.
CHECK_SUITES := test-sync test-local
CHECK_J := -j2 --output-sync=target
.PHONY: test-local
test-local:
	$(Q)$(MAKE) --no-print-directory -j1 test-unit test-cli test-ui test-install test-fuzz
check: deps layers spdx docs-listed openapi-lint
	$(Q)$(MAKE) --no-print-directory -j2 test-bins B=build
	$(Q)$(MAKE) --no-print-directory $(CHECK_J) $(CHECK_SUITES) B=build
	$(Q)$(MAKE) --no-print-directory -j2 test-bins B=build-san SAN=1 OPT=-O1
	$(Q)$(MAKE) --no-print-directory $(CHECK_J) $(CHECK_SUITES) B=build-san SAN=1 OPT=-O1
ifeq ($(HAVE_DEB),1)
	$(Q)$(MAKE) --no-print-directory test-pkg
endif
	@echo "make check: all suites passed (plain and ASan+UBSan)"

bench: $(B)/motcua $(BENCH_BIN) $(B)/motcua-server $(SYNCTOOL) $(SLOWPROXY) $(STANDIN)
	$(Q)sh bench/run.sh $(abspath $(B))

# ---- make install / make uninstall ------------------------------------------
# The installed programs are linked apart, in $(B)/inst: the few objects that
# name a place (the data, the server's configuration file) are compiled again
# with the installed places instead of the build tree's, so that the build
# tree's programs keep finding ./data and the installed ones PREFIX's.
INST := $(B)/inst
INST_DEFS := -DDATADIR_INSTALLED='"$(DATADIR)"' -DMOTCUA_DATADIR='"$(DATADIR)"' \
	-DMOTCUA_SERVER_CONF='"$(SYSCONFDIR)/motcua/server.conf"'
INST_CLIENT := $(INST)/client/base/datadir.o
INST_SERVER := $(INST)/server/import.o $(INST)/server/config.o
MAN_PAGES := man/motcua.1 man/motcua-server.8
DOCS := README.md $(sort $(wildcard docs/*.md)) docs/openapi.yaml

# The places in a file that changes only when they do: a new PREFIX rebuilds.
ifneq ($(filter install install-bins,$(MAKECMDGOALS)),)
$(shell mkdir -p $(INST) && { echo '$(INST_DEFS) $(SBINDIR)' | cmp -s - $(INST)/places || \
	echo '$(INST_DEFS) $(SBINDIR)' >$(INST)/places; })
endif
$(INST)/places:
	@mkdir -p $(dir $@)
	@echo '$(INST_DEFS) $(SBINDIR)' >$@

$(INST)/client/base/datadir.o: client/base/datadir.c $(INST)/places
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(BASE_CFLAGS) -DDATADIR_INSTALLED='"$(DATADIR)"' -c -o $@ $<

$(INST)/server/%.o: server/%.c $(INST)/places
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(BASE_CFLAGS) $(SERVER_CFLAGS) $(INST_DEFS) -c -o $@ $<

# datadir.o comes before the archive: the archive's own is then not pulled in
$(INST)/motcua: $(MAIN_OBJ) $(INST_CLIENT) $(B)/libmotcua.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(INST)/motcua-server: $(filter-out $(B)/server/import.o $(B)/server/config.o,$(SERVER_OBJ)) \
		$(INST_SERVER) $(CORE_OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(SERVER_LIBS) -lpthread -lm

$(INST)/motcua-server.service: dist/motcua-server.service.in $(INST)/places
	@echo "  GEN     $@"
	$(Q)sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $< >$@

install-bins: $(INST)/motcua $(INST)/motcua-server $(INST)/motcua-server.service

# The configuration file is installed only where none is: it is the admin's.
install: install-bins
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)/examples \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSCONFDIR)/motcua
	install -m 755 $(INST)/motcua $(DESTDIR)$(BINDIR)/motcua
	install -m 755 $(INST)/motcua-server $(DESTDIR)$(SBINDIR)/motcua-server
	install -m 644 data/*.csv data/*.jsonl data/*.txt $(DESTDIR)$(DATADIR)/
	install -m 644 man/motcua.1 $(DESTDIR)$(MANDIR)/man1/motcua.1
	install -m 644 man/motcua-server.8 $(DESTDIR)$(MANDIR)/man8/motcua-server.8
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 644 keymaps/default.keys dist/server.conf $(DESTDIR)$(DOCDIR)/examples/
	install -m 644 $(INST)/motcua-server.service $(DESTDIR)$(SYSTEMDUNITDIR)/motcua-server.service
	test -e $(DESTDIR)$(SYSCONFDIR)/motcua/server.conf || \
		install -m 640 dist/server.conf $(DESTDIR)$(SYSCONFDIR)/motcua/server.conf

# Leaves the configuration file (the admin's) and what others put beside.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/motcua $(DESTDIR)$(SBINDIR)/motcua-server \
		$(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(wildcard data/*.csv data/*.jsonl data/*.txt))) \
		$(DESTDIR)$(MANDIR)/man1/motcua.1 $(DESTDIR)$(MANDIR)/man8/motcua-server.8 \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS))) \
		$(DESTDIR)$(DOCDIR)/examples/default.keys $(DESTDIR)$(DOCDIR)/examples/server.conf \
		$(DESTDIR)$(SYSTEMDUNITDIR)/motcua-server.service
	-rmdir $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf build build-san build-analyze build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
