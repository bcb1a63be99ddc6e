/* desk-change.c: the one way the clinic record is changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See desk-change.h for the steps.  The member is checked twice: against
 * the session first, so that a refusal costs nothing and writes nothing,
 * then inside the write transaction against the file itself, so that a
 * member deactivated or stripped of a role on another workstation is
 * refused at their next change rather than when they sign in again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-audit-private.h"
#include "desk-change-private.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store-private.h"

struct _DeskChange
{
  sqlite3      *db;
  DeskStore    *store;        /* the main connection's store, or NULL on a worker */
  GHashTable   *statements;   /* on a worker: const char *sql -> sqlite3_stmt * */
  GCancellable *cancellable;
  gint64        now;
  gint64        actor_id;     /* 0: the system */
  guint         permission;
  DeskChanges  *changes;
  guint         n_entries;
};

/* Helpers */

static void
change_init (DeskChange   *change,
             sqlite3      *db,
             DeskStore    *store,
             gint64        now,
             gint64        actor_id,
             guint         permission,
             GCancellable *cancellable)
{
  *change = (DeskChange) {
    .db = db,
    .store = store,
    .cancellable = cancellable,
    .now = now,
    .actor_id = actor_id,
    .permission = permission,
    .changes = desk_changes_new (),
  };
  if (store == NULL)
    change->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                _desk_db_statement_free);
}

static void
change_clear (DeskChange *change)
{
  g_clear_pointer (&change->statements, g_hash_table_unref);
  g_clear_pointer (&change->changes, desk_changes_unref);
}

static const char *
permission_label (guint permission)
{
  switch (permission)
    {
    case DESK_PERMISSION_EDIT_USERS:
      return _("edit other users");
    case DESK_PERMISSION_MANAGE_CLIENTS:
      return _("manage clients");
    case DESK_PERMISSION_MANAGE_LABS:
      return _("manage lab integrations");
    case DESK_PERMISSION_VIEW_AUDIT:
      return _("view the audit log");
    default:
      g_return_val_if_reached ("?");
    }
}

/* The member as the file says now: still active, still holding the
 * permission.  Inside the transaction, so nothing can change it before
 * the commit. */
static gboolean
check_actor (DeskChange  *change,
             GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *status = NULL;
  guint permissions = 0;
  int rc;

  if (change->actor_id == 0)
    return TRUE;

  stmt = _desk_change_prepare (change,
                               "SELECT m.status, (SELECT coalesce (sum (bit), 0) FROM permissions"
                               "  WHERE code IN (SELECT rp.permission FROM member_roles mr"
                               "   JOIN role_permissions rp ON rp.role_id = mr.role_id"
                               "   WHERE mr.member_id = m.id))"
                               " FROM members m WHERE m.id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change->actor_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      status = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      permissions = (guint) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, change->db, rc, _("checking your account"));
      return FALSE;
    }

  if (g_strcmp0 (status, "active") != 0)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED,
                   _("Your account has been deactivated. Nothing was changed."));
      return FALSE;
    }
  if ((permissions & change->permission) != change->permission)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is a permission, such as "edit other users" */
                   _("You do not have the “%s” permission. Ask a clinic administrator."),
                   permission_label (change->permission));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_transaction (DeskChange      *change,
                 DeskChangeFunc   func,
                 gpointer         user_data,
                 GError         **error)
{
  if (g_cancellable_set_error_if_cancelled (change->cancellable, error))
    return FALSE;
  if (!_desk_db_exec (change->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!check_actor (change, error) || !func (change, user_data, error))
    goto rollback;

  if (change->n_entries == 0)
    {
      /* A programming error, refused so that no change is ever unaudited. */
      g_critical ("A change to the clinic record wrote no audit entry; it was rolled back");
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   _("The change could not be recorded in the audit log, so it was not made."));
      goto rollback;
    }
  if (g_cancellable_set_error_if_cancelled (change->cancellable, error))
    goto rollback;
  if (!_desk_db_exec (change->db, "COMMIT", error))
    goto rollback;
  return TRUE;

rollback:
  /* After a failed COMMIT SQLite may have rolled back already: harmless. */
  if (!sqlite3_get_autocommit (change->db))
    sqlite3_exec (change->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
check_session (DeskSession      *session,
               guint             permission,
               DeskChangeFlags   flags,
               GError          **error)
{
  if (!desk_session_require (session, permission, error))
    return FALSE;
  if ((flags & DESK_CHANGE_SENSITIVE) != 0 && !desk_session_require_reauth (session, error))
    return FALSE;
  return TRUE;
}

/* Asynchronous changes */

typedef struct
{
  char           *path;
  gint64          now;
  gint64          actor_id;
  guint           permission;
  DeskChangeFunc  func;
  gpointer        user_data;
  GDestroyNotify  user_data_free;
  DeskChanges    *changes;
} AsyncData;

static void
async_data_free (gpointer data)
{
  AsyncData *async = data;

  if (async->user_data_free != NULL)
    async->user_data_free (async->user_data);
  g_clear_pointer (&async->changes, desk_changes_unref);
  g_free (async->path);
  g_free (async);
}

static void
async_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AsyncData *async = task_data;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  gboolean ok;

  db = _desk_db_open (async->path, SQLITE_OPEN_READWRITE, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ok = _desk_change_run_on (db, async->now, async->actor_id, async->permission, cancellable,
                            async->func, async->user_data, &async->changes, &error);
  sqlite3_close (db);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Public API */

gboolean
desk_change_run (DeskSession      *session,
                 guint             permission,
                 DeskChangeFlags   flags,
                 DeskChangeFunc    func,
                 gpointer          user_data,
                 GError          **error)
{
  DeskStore *store;
  DeskChange change;
  gboolean ok;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_session (session, permission, flags, error))
    return FALSE;

  store = desk_session_get_store (session);
  change_init (&change, _desk_store_get_db (store), store, desk_store_get_now (store),
               desk_member_get_id (desk_session_get_member (session)), permission, NULL);
  ok = run_transaction (&change, func, user_data, error);
  if (ok)
    _desk_store_emit_changed (store, change.changes);
  change_clear (&change);
  return ok;
}

void
desk_change_run_async (DeskSession         *session,
                       guint                permission,
                       DeskChangeFlags      flags,
                       DeskChangeFunc       func,
                       gpointer             user_data,
                       GDestroyNotify       user_data_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             callback_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  DeskStore *store;
  AsyncData *async;

  g_return_if_fail (DESK_IS_SESSION (session));
  g_return_if_fail (func != NULL);

  task = g_task_new (session, cancellable, callback, callback_data);
  g_task_set_source_tag (task, desk_change_run_async);
  store = desk_session_get_store (session);

  async = g_new0 (AsyncData, 1);
  async->path = g_strdup (desk_store_get_path (store));
  async->now = desk_store_get_now (store);
  async->actor_id = desk_member_get_id (desk_session_get_member (session));
  async->permission = permission;
  async->func = func;
  async->user_data = user_data;
  async->user_data_free = user_data_free;
  g_task_set_task_data (task, async, async_data_free);

  if (!check_session (session, permission, flags, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, async_thread);
}

gboolean
desk_change_run_finish (DeskSession   *session,
                        GAsyncResult  *result,
                        GError       **error)
{
  AsyncData *async;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  async = g_task_get_task_data (G_TASK (result));
  if (async->changes != NULL)
    _desk_store_emit_changed (desk_session_get_store (session), async->changes);
  return TRUE;
}

gint64
desk_change_get_now (DeskChange *change)
{
  g_return_val_if_fail (change != NULL, 0);
  return change->now;
}

gint64
desk_change_get_actor_id (DeskChange *change)
{
  g_return_val_if_fail (change != NULL, 0);
  return change->actor_id;
}

GCancellable *
desk_change_get_cancellable (DeskChange *change)
{
  g_return_val_if_fail (change != NULL, NULL);
  return change->cancellable;
}

gboolean
desk_change_audit (DeskChange      *change,
                   const char      *action,
                   DeskRecordKind   target_kind,
                   gint64           target_id,
                   const char      *reason,
                   const char      *details,
                   GError         **error)
{
  g_return_val_if_fail (change != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (!_desk_audit_append (change->db, change->now, change->actor_id, action,
                           desk_record_kind_to_string (target_kind), target_id, reason, details,
                           error))
    return FALSE;
  change->n_entries++;
  desk_changes_add (change->changes, DESK_RECORD_AUDIT, 0);
  desk_changes_add (change->changes, target_kind, target_id);
  return TRUE;
}

void
desk_change_touch (DeskChange     *change,
                   DeskRecordKind  kind,
                   gint64          id)
{
  g_return_if_fail (change != NULL);
  desk_changes_add (change->changes, kind, id);
}

/* Private API */

sqlite3 *
_desk_change_get_db (DeskChange *change)
{
  return change->db;
}

sqlite3_stmt *
_desk_change_prepare (DeskChange  *change,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (change->store != NULL)
    return _desk_store_prepare (change->store, sql, error);

  stmt = g_hash_table_lookup (change->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (change->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (error, change->db, rc, _("updating the clinic record"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (change->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
_desk_change_step (DeskChange    *change,
                   sqlite3_stmt  *stmt,
                   const char    *doing,
                   GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  _desk_db_set_error (error, change->db, rc, doing);
  return FALSE;
}

gboolean
_desk_change_run_system (DeskStore       *store,
                         DeskChangeFunc   func,
                         gpointer         user_data,
                         GError         **error)
{
  DeskChange change;
  gboolean ok;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  change_init (&change, _desk_store_get_db (store), store, desk_store_get_now (store), 0, 0,
               NULL);
  ok = run_transaction (&change, func, user_data, error);
  if (ok)
    _desk_store_emit_changed (store, change.changes);
  change_clear (&change);
  return ok;
}

gboolean
_desk_change_run_on (sqlite3         *db,
                     gint64           now,
                     gint64           actor_id,
                     guint            permission,
                     GCancellable    *cancellable,
                     DeskChangeFunc   func,
                     gpointer         user_data,
                     DeskChanges    **changes,
                     GError         **error)
{
  DeskChange change;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (actor_id > 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  change_init (&change, db, NULL, now, actor_id, permission, cancellable);
  ok = run_transaction (&change, func, user_data, error);
  if (ok && changes != NULL)
    *changes = desk_changes_ref (change.changes);
  change_clear (&change);
  return ok;
}
