/* desk-client-change.c: a client's status and shared documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * None of these statements touches portal_access or the invitations: the
 * status and the portal are separate on purpose (see desk-portal.h).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-change-private.h"
#include "desk-client-change.h"
#include "desk-client-private.h"
#include "desk-db-private.h"
#include "desk-json.h"
#include "desk-session.h"

G_DEFINE_QUARK (desk-client-change-error-quark, desk_client_change_error)

typedef struct
{
  const gint64 *ids;
  guint         n_ids;
  char         *reason;
  gint64        document_id;
  gboolean      discharge;    /* in bulk: discharge, or make active */
  guint         changed;
  guint         unchanged;
} ClientChange;

static void
client_change_free (gpointer data)
{
  ClientChange *change = data;

  g_free ((gpointer) change->ids);
  g_free (change->reason);
  g_free (change);
}

/* The client's status and name, or NO_SUCH_RECORD. */
static gboolean
read_client (DeskChange  *change,
             gint64       client_id,
             gboolean    *active,
             char       **name,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_change_prepare (change, "SELECT status = 'active', given_name || ' ' || family_name"
                                       " FROM clients WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *active = sqlite3_column_int (stmt, 0) != 0;
      if (name != NULL)
        *name = _desk_db_column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      _desk_db_set_no_such_record (error, TRUE, client_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _desk_db_set_error (error, _desk_change_get_db (change), rc, _("reading the client"));
      return FALSE;
    }
  return TRUE;
}

/* Discharges the client, or makes them active, unless they are so already:
 * @set says which. */
static gboolean
set_status (DeskChange  *change,
            gint64       client_id,
            gboolean     discharge,
            const char  *reason,
            gboolean    *set,
            GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _desk_change_prepare (change, discharge
                               ? "UPDATE clients SET status = 'inactive', discharged_at = ?2,"
                                 " discharge_reason = ?3 WHERE id = ?1 AND status = 'active'"
                               : "UPDATE clients SET status = 'active', discharged_at = NULL,"
                                 " discharge_reason = NULL WHERE id = ?1 AND status = 'inactive'",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  if (discharge)
    {
      sqlite3_bind_int64 (stmt, 2, desk_change_get_now (change));
      sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
    }
  if (!_desk_change_step (change, stmt, discharge ? _("discharging the client")
                                                  : _("making the client active"), error))
    return FALSE;
  *set = sqlite3_changes (_desk_change_get_db (change)) > 0;
  if (!*set)
    return TRUE;

  stmt = _desk_change_prepare (change, "INSERT INTO client_status_changes (client_id, change, at,"
                                       " by_member_id, reason) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_text (stmt, 2, discharge ? "discharged" : "reactivated", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, desk_change_get_now (change));
  sqlite3_bind_int64 (stmt, 4, desk_change_get_actor_id (change));
  sqlite3_bind_text (stmt, 5, reason != NULL ? reason : "", -1, SQLITE_TRANSIENT);
  if (!_desk_change_step (change, stmt, _("recording the status change"), error))
    return FALSE;

  return desk_change_audit (change, discharge ? "client.discharge" : "client.activate",
                            DESK_RECORD_CLIENT, client_id, reason, NULL, error);
}

static gboolean
discharge_one (DeskChange  *change,
               gpointer     user_data,
               GError     **error)
{
  ClientChange *data = user_data;
  g_autofree char *name = NULL;
  gboolean active = FALSE, set = FALSE;

  if (!read_client (change, data->ids[0], &active, &name, error))
    return FALSE;
  if (!active)
    {
      g_set_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_ALREADY_INACTIVE,
                   /* Translators: %s is a client's name */
                   _("%s is already inactive."), name);
      return FALSE;
    }
  /* Read just now in this transaction: it is set. */
  return set_status (change, data->ids[0], TRUE, data->reason, &set, error);
}

static gboolean
activate_one (DeskChange  *change,
              gpointer     user_data,
              GError     **error)
{
  ClientChange *data = user_data;
  g_autofree char *name = NULL;
  gboolean active = FALSE, set = FALSE;

  if (!read_client (change, data->ids[0], &active, &name, error))
    return FALSE;
  if (active)
    {
      g_set_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_ALREADY_ACTIVE,
                   /* Translators: %s is a client's name */
                   _("%s is already active."), name);
      return FALSE;
    }
  /* Read just now in this transaction: it is set. */
  return set_status (change, data->ids[0], FALSE, data->reason, &set, error);
}

/* Discharges, or makes active, every client of the selection; those
 * already so are counted and left as they are.  The UPDATE says whether a
 * client was so already; only then is the client read, to tell that from
 * one that does not exist (reading each first cost a third of the change). */
static gboolean
set_many (DeskChange  *change,
          gpointer     user_data,
          GError     **error)
{
  ClientChange *data = user_data;

  data->changed = data->unchanged = 0;
  for (guint i = 0; i < data->n_ids; i++)
    {
      gboolean active = FALSE, set = FALSE;

      if ((i & 1023) == 1023 && g_cancellable_set_error_if_cancelled (desk_change_get_cancellable (change),
                                                                      error))
        return FALSE;
      if (!set_status (change, data->ids[i], data->discharge, data->reason, &set, error))
        return FALSE;
      if (set)
        {
          data->changed++;
          continue;
        }
      if (!read_client (change, data->ids[i], &active, NULL, error))
        return FALSE;
      data->unchanged++;
    }
  if (data->changed == 0)
    {
      g_autoptr(GString) details = g_string_new (NULL);

      /* Nothing to do is still something that was asked: on record. */
      desk_json_begin_object (details);
      desk_json_key (details, "unchanged");
      desk_json_int (details, data->unchanged);
      desk_json_end_object (details);
      return desk_change_audit (change, data->discharge ? "client.discharge-none"
                                                        : "client.activate-none",
                                DESK_RECORD_CLIENT, 0, data->reason, details->str, error);
    }
  return TRUE;
}

static gboolean
check_reason (const char  *reason,
              GError     **error)
{
  if (reason == NULL || reason[0] == '\0')
    {
      g_set_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_REASON_REQUIRED,
                   _("Say why the client is discharged: the reason stays in their record."));
      return FALSE;
    }
  return TRUE;
}

static ClientChange *
client_change_new (const gint64 *ids,
                   guint         n_ids,
                   const char   *reason)
{
  ClientChange *data = g_new0 (ClientChange, 1);

  data->ids = g_memdup2 (ids, sizeof (gint64) * MAX (n_ids, 1));
  data->n_ids = n_ids;
  data->reason = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  return data;
}

gboolean
desk_client_discharge (DeskSession  *session,
                       gint64        client_id,
                       const char   *reason,
                       GError      **error)
{
  ClientChange *data;
  gboolean ok;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);

  data = client_change_new (&client_id, 1, reason);
  ok = check_reason (data->reason, error) &&
       desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT,
                        discharge_one, data, error);
  client_change_free (data);
  return ok;
}

gboolean
desk_client_activate (DeskSession  *session,
                      gint64        client_id,
                      const char   *reason,
                      GError      **error)
{
  ClientChange *data;
  gboolean ok;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);

  data = client_change_new (&client_id, 1, reason);
  ok = desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT,
                        activate_one, data, error);
  client_change_free (data);
  return ok;
}

/* Documents */

static gboolean
share (DeskChange  *change,
       gpointer     user_data,
       GError     **error)
{
  ClientChange *data = user_data;
  gint64 client_id = data->ids[0];
  sqlite3_stmt *stmt;
  gboolean active = FALSE;
  gint64 owner = 0, shares = 0;
  int rc;

  if (!read_client (change, client_id, &active, NULL, error))
    return FALSE;
  stmt = _desk_change_prepare (change,
                               "SELECT client_id, (SELECT count (*) FROM document_shares s"
                               "  WHERE s.document_id = d.id AND s.client_id = d.client_id"
                               "  AND s.unshared_at IS NULL)"
                               " FROM documents d WHERE d.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->document_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      owner = sqlite3_column_int64 (stmt, 0);
      shares = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_change_get_db (change), rc, _("reading the document"));
      return FALSE;
    }
  if (owner != client_id)
    {
      g_set_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_NOT_THEIR_DOCUMENT,
                   _("This document is not in the client’s record."));
      return FALSE;
    }

  if (data->changed == 1)   /* share */
    {
      if (shares > 0)
        {
          g_set_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_ALREADY_SHARED,
                       _("This document is already shared with the client."));
          return FALSE;
        }
      stmt = _desk_change_prepare (change, "INSERT INTO document_shares (document_id, client_id,"
                                           " shared_at, shared_by) VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, data->document_id);
      sqlite3_bind_int64 (stmt, 2, client_id);
      sqlite3_bind_int64 (stmt, 3, desk_change_get_now (change));
      sqlite3_bind_int64 (stmt, 4, desk_change_get_actor_id (change));
      if (!_desk_change_step (change, stmt, _("sharing the document"), error))
        return FALSE;
    }
  else
    {
      if (shares == 0)
        {
          g_set_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_NOT_SHARED,
                       _("This document is not shared with the client."));
          return FALSE;
        }
      stmt = _desk_change_prepare (change, "UPDATE document_shares SET unshared_at = ?"
                                           " WHERE document_id = ? AND client_id = ?"
                                           " AND unshared_at IS NULL", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, desk_change_get_now (change));
      sqlite3_bind_int64 (stmt, 2, data->document_id);
      sqlite3_bind_int64 (stmt, 3, client_id);
      if (!_desk_change_step (change, stmt, _("unsharing the document"), error))
        return FALSE;
    }

  {
    g_autoptr(GString) details = g_string_new (NULL);

    desk_json_begin_object (details);
    desk_json_key (details, "document_id");
    desk_json_int (details, data->document_id);
    desk_json_end_object (details);
    desk_change_touch (change, DESK_RECORD_DOCUMENT, data->document_id);
    return desk_change_audit (change, data->changed == 1 ? "client.share" : "client.unshare",
                              DESK_RECORD_CLIENT, client_id, NULL, details->str, error);
  }
}

static gboolean
run_share (DeskSession  *session,
           gint64        client_id,
           gint64        document_id,
           gboolean      shared,
           GError      **error)
{
  ClientChange *data;
  gboolean ok;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);

  data = client_change_new (&client_id, 1, NULL);
  data->document_id = document_id;
  data->changed = shared ? 1 : 0;
  ok = desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT, share,
                        data, error);
  client_change_free (data);
  return ok;
}

gboolean
desk_client_share_document (DeskSession  *session,
                            gint64        client_id,
                            gint64        document_id,
                            GError      **error)
{
  return run_share (session, client_id, document_id, TRUE, error);
}

gboolean
desk_client_unshare_document (DeskSession  *session,
                              gint64        client_id,
                              gint64        document_id,
                              GError      **error)
{
  return run_share (session, client_id, document_id, FALSE, error);
}

/* Inside a change (desk-client-private.h) */

gboolean
_desk_client_change_status (DeskChange  *change,
                            gint64       client_id,
                            gboolean     discharge,
                            const char  *reason,
                            GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  ClientChange data = { .ids = &client_id, .n_ids = 1, .reason = stripped };

  if (discharge)
    return check_reason (stripped, error) && discharge_one (change, &data, error);
  return activate_one (change, &data, error);
}

gboolean
_desk_client_change_share (DeskChange  *change,
                           gint64       client_id,
                           gint64       document_id,
                           gboolean     shared,
                           GError     **error)
{
  ClientChange data = { .ids = &client_id, .n_ids = 1, .document_id = document_id,
                        .changed = shared ? 1 : 0 };

  return share (change, &data, error);
}

/* In bulk */

static gboolean
check_selection (guint    n_ids,
                 GError **error)
{
  if (n_ids == 0)
    {
      g_set_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_EMPTY_SELECTION,
                   _("No client is selected."));
      return FALSE;
    }
  return TRUE;
}

/* The selection and (for a discharge) the reason, checked before the change. */
static ClientChange *
many_new (const gint64  *ids,
          guint          n_ids,
          const char    *reason,
          gboolean       discharge,
          GError       **error)
{
  ClientChange *data;

  if (!check_selection (n_ids, error))
    return NULL;
  data = client_change_new (ids, n_ids, reason);
  data->discharge = discharge;
  if (discharge && !check_reason (data->reason, error))
    {
      client_change_free (data);
      return NULL;
    }
  return data;
}

static gboolean
run_many (DeskSession   *session,
          const gint64  *ids,
          guint          n_ids,
          const char    *reason,
          gboolean       discharge,
          guint         *changed,
          guint         *unchanged,
          GError       **error)
{
  ClientChange *data;
  gboolean ok;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  data = many_new (ids, n_ids, reason, discharge, error);
  if (data == NULL)
    return FALSE;
  ok = desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT, set_many,
                        data, error);
  if (ok && changed != NULL)
    *changed = data->changed;
  if (ok && unchanged != NULL)
    *unchanged = data->unchanged;
  client_change_free (data);
  return ok;
}

static void
ran_many (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!desk_change_run_finish (DESK_SESSION (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_many_async (DeskSession          *session,
                const gint64         *ids,
                guint                 n_ids,
                const char           *reason,
                gboolean              discharge,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data,
                gpointer              source_tag)
{
  GTask *task;
  GError *error = NULL;
  ClientChange *data;

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  data = many_new (ids, n_ids, reason, discharge, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, data, client_change_free);
  desk_change_run_async (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT,
                         set_many, data, NULL, cancellable, ran_many, task);
}

static gboolean
run_many_finish (DeskSession   *session,
                 GAsyncResult  *result,
                 gpointer       source_tag,
                 guint         *changed,
                 guint         *unchanged,
                 GError       **error)
{
  ClientChange *data;

  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (changed != NULL)
    *changed = data->changed;
  if (unchanged != NULL)
    *unchanged = data->unchanged;
  return TRUE;
}

gboolean
desk_client_discharge_many (DeskSession   *session,
                            const gint64  *ids,
                            guint          n_ids,
                            const char    *reason,
                            guint         *changed,
                            guint         *unchanged,
                            GError       **error)
{
  return run_many (session, ids, n_ids, reason, TRUE, changed, unchanged, error);
}

void
desk_client_discharge_many_async (DeskSession          *session,
                                  const gint64         *ids,
                                  guint                 n_ids,
                                  const char           *reason,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_return_if_fail (DESK_IS_SESSION (session));
  g_return_if_fail (ids != NULL || n_ids == 0);

  run_many_async (session, ids, n_ids, reason, TRUE, cancellable, callback, user_data,
                  desk_client_discharge_many_async);
}

gboolean
desk_client_discharge_many_finish (DeskSession   *session,
                                   GAsyncResult  *result,
                                   guint         *changed,
                                   guint         *unchanged,
                                   GError       **error)
{
  return run_many_finish (session, result, desk_client_discharge_many_async, changed, unchanged,
                          error);
}

gboolean
desk_client_activate_many (DeskSession   *session,
                           const gint64  *ids,
                           guint          n_ids,
                           const char    *reason,
                           guint         *changed,
                           guint         *unchanged,
                           GError       **error)
{
  return run_many (session, ids, n_ids, reason, FALSE, changed, unchanged, error);
}

void
desk_client_activate_many_async (DeskSession          *session,
                                 const gint64         *ids,
                                 guint                 n_ids,
                                 const char           *reason,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_return_if_fail (DESK_IS_SESSION (session));
  g_return_if_fail (ids != NULL || n_ids == 0);

  run_many_async (session, ids, n_ids, reason, FALSE, cancellable, callback, user_data,
                  desk_client_activate_many_async);
}

gboolean
desk_client_activate_many_finish (DeskSession   *session,
                                  GAsyncResult  *result,
                                  guint         *changed,
                                  guint         *unchanged,
                                  GError       **error)
{
  return run_many_finish (session, result, desk_client_activate_many_async, changed, unchanged,
                          error);
}
