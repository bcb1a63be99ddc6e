/* desk-audit-actions.c: the actions of the audit log: their words, and
 * the distinct actions a log holds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-audit-private.h"
#include "desk-json.h"
#include "desk-session.h"
#include "desk-store-private.h"

/* Labels */

static const struct
{
  const char *action;
  const char *label;
} action_labels[] = {
  { "audit.export", N_("Audit log exported") },
  { "clinic.create", N_("Clinic created") },
  { "clinic.demo-data", N_("Demo data added") },
  { "member.create-first-administrator", N_("First administrator added") },
  { "member.reauth-token", N_("Password confirmation remembered") },
  { "member.reauthenticate", N_("Password confirmed") },
  { "member.reauthenticate-failed", N_("Password confirmation refused") },
  { "member.sign-in", N_("Signed in") },
  { "member.sign-in-failed", N_("Sign-in refused") },
  { "member.sign-out", N_("Signed out") },
};

const char *
desk_audit_action_label (const char *action)
{
  for (guint i = 0; action != NULL && i < G_N_ELEMENTS (action_labels); i++)
    if (g_str_equal (action, action_labels[i].action))
      return _(action_labels[i].label);
  return NULL;
}

/* Actions */

gpointer
_desk_audit_collect_actions (sqlite3     *db,
                             const char  *prefix,
                             gboolean     json,
                             GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) array = g_string_new (NULL);
  g_autofree char *end = prefix != NULL ? _desk_audit_prefix_end (prefix) : NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* A skip scan of the action index: one seek per distinct action. */
  rc = sqlite3_prepare_v2 (db,
                           "WITH RECURSIVE actions (action) AS ("
                           "  SELECT (SELECT min (action) FROM audit_log WHERE action >= ?1)"
                           "  UNION ALL"
                           "  SELECT (SELECT min (action) FROM audit_log WHERE action > actions.action)"
                           "    FROM actions WHERE actions.action IS NOT NULL"
                           "      AND (?2 IS NULL OR actions.action < ?2))"
                           " SELECT action FROM actions"
                           "  WHERE action IS NOT NULL AND (?2 IS NULL OR action < ?2)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, prefix != NULL ? prefix : "", -1, SQLITE_STATIC);
      if (end != NULL)
        sqlite3_bind_text (stmt, 2, end, -1, SQLITE_STATIC);
    }
  desk_json_begin_array (array);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *action = (const char *) sqlite3_column_text (stmt, 0);

      rc = SQLITE_OK;
      if (json)
        desk_json_string (array, action);
      else
        g_strv_builder_add (builder, action);
    }
  sqlite3_finalize (stmt);
  desk_json_end_array (array);

  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("reading the audit log"));
      return NULL;
    }

  if (json)
    return g_string_free (g_steal_pointer (&array), FALSE);
  return g_strv_builder_end (builder);
}

char **
desk_audit_get_actions (DeskSession  *session,
                        GError      **error)
{
  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!desk_session_require (session, DESK_PERMISSION_VIEW_AUDIT, error))
    return NULL;

  return _desk_audit_collect_actions (_desk_store_get_db (desk_session_get_store (session)), NULL,
                                      FALSE, error);
}

static void
actions_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  char **actions = NULL;
  sqlite3 *db;

  db = _desk_db_open (task_data, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                    &error);
  if (db != NULL)
    actions = _desk_audit_collect_actions (db, NULL, FALSE, &error);
  sqlite3_close (db);

  if (actions != NULL)
    g_task_return_pointer (task, actions, (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, error);
}

void
desk_audit_get_actions_async (DeskSession         *session,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DESK_IS_SESSION (session));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_audit_get_actions_async);

  if (!desk_session_require (session, DESK_PERMISSION_VIEW_AUDIT, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, g_strdup (desk_store_get_path (desk_session_get_store (session))),
                        g_free);
  g_task_run_in_thread (task, actions_thread);
}

char **
desk_audit_get_actions_finish (DeskSession   *session,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
