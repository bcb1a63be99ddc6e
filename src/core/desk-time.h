/* desk-time.h: dates and times as the clinic record writes and reads them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that turns Unix times into text and days into Unix times,
 * for exports, JSON and the command line.  (The window words its dates in
 * the member's language with translatable formats: desk-closures.c.)
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "2026-11-03T14:30:00Z" (UTC, for exports and JSON); "" for 0. */
char     *desk_time_format_iso8601 (gint64       unix_time);
/* "2026-11-03" in local time; "" for 0. */
char     *desk_time_format_date    (gint64       unix_time);
/* "2026-11-03 14:30" in local time; "" for 0. */
char     *desk_time_format_minute  (gint64       unix_time);

/* A day written YYYY-MM-DD, in local time: its first second in @start and
 * the next day's in @next_start (either may be NULL).  FALSE for anything
 * else, a day that does not exist, or one before 1970. */
gboolean  desk_time_parse_day      (const char  *text,
                                    gint64      *start,
                                    gint64      *next_start);

G_END_DECLS
