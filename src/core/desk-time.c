/* desk-time.c: dates and times as the clinic record writes and reads them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-time.h"

static char *
format (GDateTime  *time,
        const char *pattern)
{
  return time != NULL ? g_date_time_format (time, pattern) : g_strdup ("");
}

char *
desk_time_format_iso8601 (gint64 unix_time)
{
  g_autoptr(GDateTime) time = unix_time != 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;

  return format (time, "%Y-%m-%dT%H:%M:%SZ");
}

char *
desk_time_format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) time = unix_time != 0 ? g_date_time_new_from_unix_local (unix_time) : NULL;

  return format (time, "%Y-%m-%d");
}

char *
desk_time_format_minute (gint64 unix_time)
{
  g_autoptr(GDateTime) time = unix_time != 0 ? g_date_time_new_from_unix_local (unix_time) : NULL;

  return format (time, "%Y-%m-%d %H:%M");
}

gboolean
desk_time_parse_day (const char *text,
                     gint64     *start,
                     gint64     *next_start)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) next = NULL;
  guint64 year, month, dom;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = g_ascii_strtoull (text, NULL, 10);
  month = g_ascii_strtoull (text + 5, NULL, 10);
  dom = g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1970 || !g_date_valid_dmy ((GDateDay) dom, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  day = g_date_time_new_local ((int) year, (int) month, (int) dom, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  next = g_date_time_add_days (day, 1);
  if (next == NULL)
    return FALSE;

  if (start != NULL)
    *start = g_date_time_to_unix (day);
  if (next_start != NULL)
    *next_start = g_date_time_to_unix (next);
  return TRUE;
}
