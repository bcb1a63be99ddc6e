/* desk-json.c: writing JSON into a GString
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-json.h"
#include "desk-time.h"

/* Helpers */

/* A comma before a value, unless it opens a container or follows a key. */
static void
separate (GString *out)
{
  char last;

  if (out->len == 0)
    return;

  last = out->str[out->len - 1];
  if (last != '{' && last != '[' && last != ':' && last != '\n')
    g_string_append_c (out, ',');
}

static void
append_escaped (GString    *out,
                const char *value)
{
  g_autofree char *valid = NULL;

  /* JSON is UTF-8: a broken byte sequence in the record becomes U+FFFD
   * rather than invalid output. */
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          /* U+2028 and U+2029 are valid JSON but end lines in JavaScript. */
          else if (c == 0xe2 && (guchar) p[1] == 0x80 &&
                   ((guchar) p[2] == 0xa8 || (guchar) p[2] == 0xa9))
            {
              g_string_append_printf (out, "\\u%04x", (guchar) p[2] == 0xa8 ? 0x2028 : 0x2029);
              p += 2;
            }
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* Public API */

void
desk_json_begin_object (GString *out)
{
  separate (out);
  g_string_append_c (out, '{');
}

void
desk_json_end_object (GString *out)
{
  g_string_append_c (out, '}');
}

void
desk_json_begin_array (GString *out)
{
  separate (out);
  g_string_append_c (out, '[');
}

void
desk_json_end_array (GString *out)
{
  g_string_append_c (out, ']');
}

void
desk_json_key (GString    *out,
               const char *key)
{
  g_return_if_fail (key != NULL);

  separate (out);
  append_escaped (out, key);
  g_string_append_c (out, ':');
}

void
desk_json_string (GString    *out,
                  const char *value)
{
  separate (out);
  if (value == NULL)
    g_string_append (out, "null");
  else
    append_escaped (out, value);
}

void
desk_json_int (GString *out,
               gint64   value)
{
  separate (out);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

void
desk_json_bool (GString  *out,
                gboolean  value)
{
  separate (out);
  g_string_append (out, value ? "true" : "false");
}

void
desk_json_null (GString *out)
{
  separate (out);
  g_string_append (out, "null");
}

void
desk_json_time (GString *out,
                gint64   unix_time)
{
  g_autofree char *text = desk_time_format_iso8601 (unix_time);

  if (*text == '\0')
    desk_json_null (out);
  else
    desk_json_string (out, text);
}

void
desk_json_strv (GString            *out,
                const char * const *values)
{
  desk_json_begin_array (out);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    desk_json_string (out, values[i]);
  desk_json_end_array (out);
}
