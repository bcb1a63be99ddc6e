/* desk-json.h: writing JSON into a GString
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Just enough JSON for exports and front-desk-admin's output: values are appended in
 * order and the commas come by themselves.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void desk_json_begin_object (GString            *out);
void desk_json_end_object   (GString            *out);
void desk_json_begin_array  (GString            *out);
void desk_json_end_array    (GString            *out);

/* The key of the next member of an object. */
void desk_json_key          (GString            *out,
                             const char         *key);

/* A string, or null for NULL. */
void desk_json_string       (GString            *out,
                             const char         *value);
void desk_json_int          (GString            *out,
                             gint64              value);
void desk_json_bool         (GString            *out,
                             gboolean            value);
void desk_json_null         (GString            *out);
/* "2024-05-01T14:30:00Z", or null for 0. */
void desk_json_time         (GString            *out,
                             gint64              unix_time);
/* An array of strings. */
void desk_json_strv         (GString            *out,
                             const char * const *values);

G_END_DECLS
