/* desk-delivery.c: delivering a message to a member, never to nobody
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-change-private.h"
#include "desk-db-private.h"
#include "desk-delivery.h"
#include "desk-delivery-private.h"
#include "desk-json.h"
#include "desk-session.h"

G_DEFINE_QUARK (desk-delivery-error-quark, desk_delivery_error)

/* A chain of successors longer than the clinic has members is a loop. */
#define MAX_HOPS 4096

static gboolean
member_state (sqlite3  *db,
              gint64    member_id,
              gboolean *exists,
              gboolean *active,
              gint64   *successor,
              GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *exists = *active = FALSE;
  *successor = 0;
  /* The latest deactivation's receiver of the inbox (NULL: archived). */
  rc = sqlite3_prepare_v2 (db, "SELECT m.status = 'active',"
                               " (SELECT coalesce (s.inbox_to_member_id, 0)"
                               "   FROM member_status_changes s"
                               "   WHERE s.member_id = m.id AND s.change = 'deactivated'"
                               "   ORDER BY s.at DESC, s.id DESC LIMIT 1)"
                               " FROM members m WHERE m.id = ?",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, member_id);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    {
      *exists = TRUE;
      *active = sqlite3_column_int (stmt, 0) != 0;
      *successor = sqlite3_column_int64 (stmt, 1);
      rc = SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("finding who receives the message"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_desk_delivery_resolve (sqlite3  *db,
                        gint64    to_member_id,
                        GArray   *recipients,
                        GError  **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  gint64 member = to_member_id;
  int rc;

  for (guint hop = 0; member != 0 && hop < MAX_HOPS; hop++)
    {
      gboolean exists, active;
      gint64 successor;

      if (!member_state (db, member, &exists, &active, &successor, error))
        return FALSE;
      if (!exists)
        {
          _desk_db_set_no_such_record (error, FALSE, member);
          return FALSE;
        }
      if (active)
        {
          g_array_append_val (recipients, member);
          return TRUE;
        }
      if (g_hash_table_contains (seen, &member))
        break;
      g_hash_table_add (seen, g_memdup2 (&member, sizeof member));
      member = successor;
    }

  /* Archived, or the chain ends with no one active: the members who may
   * edit other users see it, so that it is handled. */
  rc = sqlite3_prepare_v2 (db, "SELECT DISTINCT m.id FROM members m"
                               " JOIN member_roles mr ON mr.member_id = m.id"
                               " JOIN role_permissions rp ON rp.role_id = mr.role_id"
                               " WHERE rp.permission = 'edit-users' AND m.status = 'active'"
                               " ORDER BY m.id",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      rc = SQLITE_OK;
      g_array_append_val (recipients, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("finding who receives the message"));
      return FALSE;
    }
  if (recipients->len == 0)
    {
      g_set_error (error, DESK_DELIVERY_ERROR, DESK_DELIVERY_ERROR_NO_RECIPIENT,
                   _("No active member can receive this message: its addressee is deactivated "
                     "and no one may edit other users. Nothing was sent."));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64      to_member_id;
  gint64      from_client_id;
  gint64      client_id;
  const char *subject;
  const char *body;
  gint64      message_id;
  GArray     *recipients;
} Delivery;

/* A client named by the message (0: none) must exist: an integration's
 * mistake gets a sentence, not the foreign key's words. */
static gboolean
check_client (DeskChange  *change,
              gint64       client_id,
              GError     **error)
{
  g_autofree char *number = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (client_id == 0)
    return TRUE;
  stmt = _desk_change_prepare (change, "SELECT 1 FROM clients WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_change_get_db (change), rc,
                          _("finding who receives the message"));
      return FALSE;
    }

  _desk_db_set_no_such_record (error, TRUE, client_id);
  return FALSE;
}

static gboolean
deliver (DeskChange  *change,
         gpointer     user_data,
         GError     **error)
{
  Delivery *data = user_data;
  sqlite3 *db = _desk_change_get_db (change);
  g_autoptr(GString) details = g_string_new (NULL);
  sqlite3_stmt *stmt;

  if (!check_client (change, data->from_client_id, error) ||
      !check_client (change, data->client_id, error) ||
      !_desk_delivery_resolve (db, data->to_member_id, data->recipients, error))
    return FALSE;

  stmt = _desk_change_prepare (change,
                               "INSERT INTO messages (sender_member_id, sender_client_id, client_id,"
                               " subject, body, sent_at)"
                               " VALUES (nullif (?, 0), nullif (?, 0), nullif (?, 0), ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->from_client_id != 0 ? 0 : desk_change_get_actor_id (change));
  sqlite3_bind_int64 (stmt, 2, data->from_client_id);
  sqlite3_bind_int64 (stmt, 3, data->client_id);
  sqlite3_bind_text (stmt, 4, data->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, data->body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, desk_change_get_now (change));
  if (!_desk_change_step (change, stmt, _("sending the message"), error))
    return FALSE;
  data->message_id = sqlite3_last_insert_rowid (db);

  for (guint i = 0; i < data->recipients->len; i++)
    {
      gint64 to = g_array_index (data->recipients, gint64, i);

      stmt = _desk_change_prepare (change,
                                   "INSERT INTO inbox_items (message_id, member_id, received_at,"
                                   " addressed_to_member_id) VALUES (?, ?, ?, nullif (?, ?))",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, data->message_id);
      sqlite3_bind_int64 (stmt, 2, to);
      sqlite3_bind_int64 (stmt, 3, desk_change_get_now (change));
      sqlite3_bind_int64 (stmt, 4, data->to_member_id);
      sqlite3_bind_int64 (stmt, 5, to);
      if (!_desk_change_step (change, stmt, _("sending the message"), error))
        return FALSE;
      desk_change_touch (change, DESK_RECORD_MEMBER, to);
    }

  desk_json_begin_object (details);
  desk_json_key (details, "message_id");
  desk_json_int (details, data->message_id);
  desk_json_key (details, "addressed_to_member_id");
  desk_json_int (details, data->to_member_id);
  desk_json_key (details, "recipients");
  desk_json_begin_array (details);
  for (guint i = 0; i < data->recipients->len; i++)
    desk_json_int (details, g_array_index (data->recipients, gint64, i));
  desk_json_end_array (details);
  desk_json_end_object (details);
  desk_change_touch (change, DESK_RECORD_MESSAGE, data->message_id);
  return desk_change_audit (change, "message.deliver", DESK_RECORD_MEMBER, data->to_member_id,
                            NULL, details->str, error);
}

gboolean
desk_delivery_deliver (DeskSession  *session,
                       gint64        to_member_id,
                       gint64        from_client_id,
                       gint64        client_id,
                       const char   *subject,
                       const char   *body,
                       gint64       *message_id,
                       GArray      **recipients,
                       GError      **error)
{
  g_autofree char *clean_subject = NULL;
  Delivery data = { 0, };
  gboolean ok;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  clean_subject = g_strstrip (g_strdup (subject != NULL ? subject : ""));
  if (clean_subject[0] == '\0' || !g_utf8_validate (clean_subject, -1, NULL) ||
      (body != NULL && !g_utf8_validate (body, -1, NULL)))
    {
      g_set_error (error, DESK_DELIVERY_ERROR, DESK_DELIVERY_ERROR_INVALID,
                   _("A message needs a subject, in readable text."));
      return FALSE;
    }

  data.to_member_id = to_member_id;
  data.from_client_id = from_client_id;
  data.client_id = client_id;
  data.subject = clean_subject;
  data.body = body != NULL ? body : "";
  data.recipients = g_array_new (FALSE, FALSE, sizeof (gint64));
  ok = desk_change_run (session, 0, DESK_CHANGE_DEFAULT, deliver, &data, error);
  if (ok && message_id != NULL)
    *message_id = data.message_id;
  if (ok && recipients != NULL)
    *recipients = g_steal_pointer (&data.recipients);
  g_clear_pointer (&data.recipients, g_array_unref);
  return ok;
}
