/* desk-audit-filter.c: which entries of the audit log to show or export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filter turns into one WHERE clause (desk-audit-private.h), shared by
 * the list model's queries and the export, so both agree on what matches.
 */
#include "config.h"

#include <string.h>

#include "desk-audit-filter.h"
#include "desk-audit-private.h"

G_DEFINE_BOXED_TYPE (DeskAuditFilter, desk_audit_filter, desk_audit_filter_copy,
                     desk_audit_filter_free)

/* Private API */

gboolean
_desk_audit_filter_is_prefix (const DeskAuditFilter *filter)
{
  return filter != NULL && filter->action != NULL && g_str_has_suffix (filter->action, ".");
}

/* The first string after every string that starts with @prefix: its last
 * byte one higher ("member." -> "member/"); actions are ASCII. */
char *
_desk_audit_prefix_end (const char *prefix)
{
  char *end = g_strdup (prefix);
  gsize length = strlen (end);

  g_assert (length > 0 && (guchar) end[length - 1] < 0x7f);
  end[length - 1]++;
  return end;
}

void
_desk_audit_filter_append_where (const DeskAuditFilter *filter,
                                 gboolean               expand_prefix,
                                 GString               *sql)
{
  g_string_append (sql, " WHERE 1");
  if (filter == NULL)
    return;

  if (filter->actor_id > 0)
    g_string_append (sql, " AND a.actor_member_id = ?1");
  if (filter->client_id > 0)
    g_string_append (sql, " AND a.target_kind = 'client' AND a.target_id = ?2");
  if (filter->action != NULL && !_desk_audit_filter_is_prefix (filter))
    g_string_append (sql, " AND a.action = ?3");
  else if (filter->action != NULL && expand_prefix)
    g_string_append (sql, " AND a.action IN (SELECT value FROM json_each (?5))");
  else if (filter->action != NULL)
    g_string_append (sql, " AND a.action >= ?3 AND a.action < ?4");
  if (filter->since != 0)
    g_string_append (sql, " AND a.at >= ?6");
  if (filter->until != 0)
    g_string_append (sql, " AND a.at < ?7");
}

void
_desk_audit_filter_bind (const DeskAuditFilter *filter,
                         const char            *actions_json,
                         sqlite3_stmt          *stmt)
{
  if (filter == NULL)
    return;

  if (filter->actor_id > 0)
    sqlite3_bind_int64 (stmt, 1, filter->actor_id);
  if (filter->client_id > 0)
    sqlite3_bind_int64 (stmt, 2, filter->client_id);
  if (filter->action != NULL)
    {
      sqlite3_bind_text (stmt, 3, filter->action, -1, SQLITE_TRANSIENT);
      if (_desk_audit_filter_is_prefix (filter))
        sqlite3_bind_text (stmt, 4, _desk_audit_prefix_end (filter->action), -1, g_free);
    }
  if (actions_json != NULL)
    sqlite3_bind_text (stmt, 5, actions_json, -1, SQLITE_TRANSIENT);
  if (filter->since != 0)
    sqlite3_bind_int64 (stmt, 6, filter->since);
  if (filter->until != 0)
    sqlite3_bind_int64 (stmt, 7, filter->until);
}

/* Public API */

DeskAuditFilter *
desk_audit_filter_new (void)
{
  return g_new0 (DeskAuditFilter, 1);
}

DeskAuditFilter *
desk_audit_filter_copy (const DeskAuditFilter *filter)
{
  DeskAuditFilter *copy;

  g_return_val_if_fail (filter != NULL, NULL);

  copy = g_memdup2 (filter, sizeof *filter);
  copy->action = g_strdup (filter->action);
  return copy;
}

void
desk_audit_filter_free (DeskAuditFilter *filter)
{
  if (filter == NULL)
    return;

  g_free (filter->action);
  g_free (filter);
}

gboolean
desk_audit_filter_equal (const DeskAuditFilter *a,
                         const DeskAuditFilter *b)
{
  if (a == NULL || b == NULL)
    return desk_audit_filter_is_empty (a) && desk_audit_filter_is_empty (b);

  return a->actor_id == b->actor_id && a->client_id == b->client_id &&
         g_strcmp0 (a->action, b->action) == 0 && a->since == b->since && a->until == b->until;
}

gboolean
desk_audit_filter_is_empty (const DeskAuditFilter *filter)
{
  return filter == NULL ||
         (filter->actor_id <= 0 && filter->client_id <= 0 && filter->action == NULL &&
          filter->since == 0 && filter->until == 0);
}

void
desk_audit_filter_set_action (DeskAuditFilter *filter,
                              const char      *action)
{
  g_return_if_fail (filter != NULL);
  g_return_if_fail (action == NULL || *action == '\0' || desk_audit_action_is_valid (action));

  g_free (filter->action);
  filter->action = action != NULL && *action != '\0' ? g_strdup (action) : NULL;
}

gboolean
desk_audit_action_is_valid (const char *action)
{
  if (action == NULL || *action == '\0' || !g_utf8_validate (action, -1, NULL))
    return FALSE;

  for (const char *p = action; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return FALSE;
    }

  return TRUE;
}

