# motcua — hand-written GNU Makefile (see DEVELOPERS.md, style: tig).
#
#   make            build the client (build/motcua)
#   make run        build and open the client on a demo store
#   make check      layers, unit + CLI + UI + sync tests, then again under ASan + UBSan
#   make layers     every include points down the layers (docs/hacking.md)
#   make bench      benchmarks (see docs/PERFORMANCE.md)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Variables: B (build dir, default build), SAN=1 (sanitizers), V=1 (verbose).

PREFIX  ?= /usr/local
DESTDIR ?=
B       ?= build
SAN     ?=
PKG_CONFIG ?= pkg-config

CLIENT_PKGS := ncursesw sqlite3 libcurl jansson cairo pangocairo libqrencode libsodium libutf8proc sane-backends libjpeg libtiff-4 poppler-glib zlib
CORE_PKGS   := jansson libutf8proc zlib

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifneq ($(MAKECMDGOALS),deps)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(CLIENT_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(CLIENT_PKGS) 2>/dev/null)
endif

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) -I. -I$(B)/gen $(PKG_CFLAGS) \
	-DMOTCUA_DATADIR='"$(abspath data)"' -MMD -MP
ALL_LDFLAGS := $(LDFLAGS)
LIBS := $(PKG_LIBS) -lpthread -lm

ifeq ($(SAN),1)
ALL_CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ALL_LDFLAGS += -fsanitize=address,undefined
endif

CORE_SRC   := $(sort $(wildcard core/*.c))
# The client's layers, bottom to top (docs/hacking.md; `make layers` checks
# that every include points down).
CLIENT_DIRS := client/base client/store sync client/print client/scan client/services \
	client/tui client/cli screens
CLIENT_SRC := $(sort $(foreach d,$(CLIENT_DIRS),$(wildcard $(d)/*.c)))
GEN_SRC    := $(B)/gen/default_keys.c
LIB_OBJ    := $(CORE_SRC:%.c=$(B)/%.o) $(CLIENT_SRC:%.c=$(B)/%.o) $(B)/gen/default_keys.o
MAIN_OBJ   := $(B)/client/main.o

UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

BENCH_SRC  := $(sort $(wildcard bench/*.c))
BENCH_BIN  := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all run check layers test test-unit test-cli test-ui test-sync server bench clean install deps demo
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

# Fixtures shared by the unit tests (tests/unit/fixtures.h), as an archive:
# a test links only what it uses.
UNIT_LIB   := $(B)/tests/libfixtures.a

$(UNIT_LIB): $(B)/tests/unit/fixtures.o
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/tests/%: tests/unit/%.c $(UNIT_LIB) $(B)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(UNIT_LIB) $(B)/libmotcua.a $(LIBS) $(shell $(PKG_CONFIG) --libs cmocka)

$(B)/bench/%: bench/%.c $(B)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libmotcua.a $(LIBS)

# ---- motcua-server (issue 3): server/*.c + the core objects, with
# libmicrohttpd and libpq; the SQL migrations are compiled in. ----------------
SERVER_PKGS    := libmicrohttpd libpq jansson libsodium libutf8proc zlib
ifneq ($(MAKECMDGOALS),deps)
SERVER_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(SERVER_PKGS) 2>/dev/null)
SERVER_LIBS    := $(shell $(PKG_CONFIG) --libs $(SERVER_PKGS) 2>/dev/null)
endif
SERVER_SRC     := $(sort $(wildcard server/*.c))
SERVER_OBJ     := $(SERVER_SRC:%.c=$(B)/%.o) $(B)/gen/server_migrations.o
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

# The sync suite: a throwaway PostgreSQL cluster, real servers on 127.0.0.1;
# the client's tests find slowproxy next to motcua-server.
test-sync: $(B)/motcua-server $(SYNCTOOL) $(B)/motcua $(SLOWPROXY)
	$(Q)sh tests/sync/run.sh $(abspath $(B)/motcua-server) $(abspath $(SYNCTOOL)) $(abspath $(B)/motcua)

# Installs missing Debian packages (as root) or says exactly what to install.
deps:
	$(Q)sh tools/deps.sh

# Open the client on a demo store (created on first run under build/demo).
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tools/run-demo.sh $(B)/motcua

test-unit: $(UNIT_BIN)
	$(Q)sh tests/unit/run.sh $(UNIT_BIN)

test-cli: $(B)/motcua
	$(Q)sh tests/cli/run.sh $(abspath $(B)/motcua)

test-ui: $(B)/motcua
	$(Q)sh tests/ui/run.sh $(abspath $(B)/motcua)

test: test-unit test-cli test-ui test-sync

# Every include points down the layers of docs/hacking.md; only the store and
# sync run SQL (tools/layers.sh; tests/cli/t_layers.sh tests the check).
layers:
	$(Q)sh tools/layers.sh

check: deps layers
	$(Q)$(MAKE) --no-print-directory test B=build
	$(Q)$(MAKE) --no-print-directory test B=build-san SAN=1 OPT=-O1
	@echo "make check: all suites passed (plain and ASan+UBSan)"

bench: $(B)/motcua $(BENCH_BIN) $(B)/motcua-server $(SYNCTOOL) $(SLOWPROXY)
	$(Q)sh bench/run.sh $(abspath $(B))

install: $(B)/motcua $(B)/motcua-server
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/motcua
	install -m 755 $(B)/motcua $(DESTDIR)$(PREFIX)/bin/motcua
	install -m 644 data/*.csv data/*.jsonl data/*.txt $(DESTDIR)$(PREFIX)/share/motcua/

clean:
	rm -rf build build-san

-include $(shell find $(B) -name '*.d' 2>/dev/null)
