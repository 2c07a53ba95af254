# SPDX-License-Identifier: GPL-3.0-or-later
# The binary runs and answers JSON; an unknown command is refused with status 2.
expect_status 0 "$MOTCUA" version
expect_grep "$T/out" '"version"'
expect_status 2 "$MOTCUA" no-such-command
expect_grep "$T/err" "không có lệnh"
