# SPDX-License-Identifier: GPL-3.0-or-later
# The layer check (tools/layers.sh, `make layers`): the real tree passes, and
# a tree with an include that points up, one that points sideways, or SQL in a
# screen fails with the file and line named.
root="$(dirname "$MOTCUA")/.."
[ -f "$root/tools/layers.sh" ] || root=.
check="$root/tools/layers.sh"

expect_status 0 sh "$check" "$root"
expect_grep "$T/out" "every include points down"

mk() { mkdir -p "$T/tree/$(dirname "$1")"; printf '%s\n' "$2" > "$T/tree/$1"; }
mk core/text.h '/* pure */'
mk client/store/store.h '#include "core/text.h"'
mk client/store/store.c '#include "client/store/store.h"
static int x(void) { return sqlite3_changes(0); }'
mk client/tui/app.h '#include "client/store/store.h"'
mk screens/home.c '#include "client/tui/app.h"'
expect_status 0 sh "$check" "$T/tree"

# the store climbs into the TUI: refused, with the line
mk client/store/store.c '#include "client/store/store.h"
#include "client/tui/app.h"'
expect_status 1 sh "$check" "$T/tree"
expect_grep "$T/out" 'client/store/store.c:2: store may not include tui'
mk client/store/store.c '#include "client/store/store.h"'

# print and scan sit side by side: neither includes the other
mk client/scan/scan.h '#include "core/text.h"'
mk client/print/pdf.c '#include "client/scan/scan.h"'
expect_status 1 sh "$check" "$T/tree"
expect_grep "$T/out" 'client/print/pdf.c:1: print may not include scan'
rm "$T/tree/client/print/pdf.c"

# a screen that runs SQL itself
mk screens/home.c '#include "client/tui/app.h"
static void f(void) { sqlite3_exec(0, "", 0, 0, 0); }'
expect_status 1 sh "$check" "$T/tree"
expect_grep "$T/out" 'screens/home.c:2: SQLite in the screens layer'
mk screens/home.c '#include "client/tui/app.h"'

# an include of a folder that is in no layer
mk client/store/store.c '#include "tests/unit/fixtures.h"'
expect_status 1 sh "$check" "$T/tree"
expect_grep "$T/out" 'client/store/store.c:1: includes "tests/unit/fixtures.h", which is in no layer'
mk client/store/store.c '#include "client/store/store.h"'

# the server's HTTP engine knows no handler: http.c may not include api.h,
# while a handler includes the engine
mk server/server.h '#include "core/text.h"'
mk server/http.h '#include "server/server.h"'
mk server/api.h '#include "server/http.h"'
mk server/files.c '#include "server/api.h"'
mk server/http.c '#include "server/http.h"'
expect_status 0 sh "$check" "$T/tree"
mk server/http.c '#include "server/http.h"
#include "server/api.h"'
expect_status 1 sh "$check" "$T/tree"
expect_grep "$T/out" 'server/http.c:2: server-http may not include server ("server/api.h")'
