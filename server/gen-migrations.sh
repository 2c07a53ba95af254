#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# gen-migrations.sh FILE...: print the SQL migrations as a C array (compiled
# into motcua-server, applied in the order given: name them NNNN_what.sql).
echo "/* generated from server/migrations by server/gen-migrations.sh; do not edit */"
echo "#include <stddef.h>"
echo "struct server_migration { const char *name; const char *sql; };"
echo "extern const struct server_migration server_migrations[];"
echo "extern const size_t server_nmigrations;"
echo "const struct server_migration server_migrations[] = {"
for f in "$@"; do
	echo "{ \"$(basename "$f")\", \"\""
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$f"
	echo "},"
done
echo "};"
echo "const size_t server_nmigrations = sizeof(server_migrations) / sizeof(server_migrations[0]);"
