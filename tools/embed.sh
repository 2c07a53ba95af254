#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# embed.sh NAME FILE: print FILE as a C string constant NAME (used to compile in
# keymaps/default.keys so that one parser serves built-in and user keymaps).
name=$1; file=$2
echo "/* generated from $file by tools/embed.sh; do not edit */"
echo "const char $name[] = \"\""
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$file"
echo ";"
