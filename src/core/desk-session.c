/* desk-session.c: a member signed in to the clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session opens after desk-sign-in.c has checked the password within the
 * limits, knows the member's permissions, and knows whether a sensitive
 * change has been confirmed (a password a moment ago, or a
 * re-authentication token the database still honours).  Checking a
 * password takes tens of milliseconds by design: the GTK window calls it
 * from a worker.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-json.h"
#include "desk-member.h"
#include "desk-sign-in-private.h"
#include "desk-session.h"
#include "desk-store-private.h"


struct _DeskSession
{
  GObject     parent_instance;

  DeskStore  *store;
  DeskMember *member;
  guint       permissions;
  gboolean    signed_in;
  /* A password confirmation not yet used by a sensitive change (a store
   * time), and the token issued or checked in this session that lasts
   * longest: its row, which is read again every time, since another
   * session's sign-out revokes it. */
  gint64      reauth_confirmed_at;
  gint64      reauth_token_id;
  gint64      reauth_valid_until;
};

G_DEFINE_FINAL_TYPE (DeskSession, desk_session, G_TYPE_OBJECT)

/* Helpers */

static guint
read_permissions (DeskStore  *store,
                  gint64      member_id,
                  GError    **error)
{
  sqlite3_stmt *stmt;
  guint permissions = 0;
  int rc;

  stmt = _desk_store_prepare (store,
                              "SELECT coalesce (sum (bit), 0) FROM permissions WHERE code IN"
                              " (SELECT rp.permission FROM member_roles mr"
                              "   JOIN role_permissions rp ON rp.role_id = mr.role_id"
                              "   WHERE mr.member_id = ?)",
                              error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    permissions = sqlite3_column_int (stmt, 0);
  else
    _desk_db_set_error (error, _desk_store_get_db (store), rc, _("signing in"));
  sqlite3_reset (stmt);
  return permissions;
}

static const char *
permission_label (DeskPermission permission)
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

/* Overrides */

static void
desk_session_dispose (GObject *object)
{
  DeskSession *self = (DeskSession *) object;

  g_clear_object (&self->member);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (desk_session_parent_class)->dispose (object);
}

static void
desk_session_class_init (DeskSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_session_dispose;
}

static void
desk_session_init (DeskSession *self)
{
}

static void
token_hash (const guint8 *secret,
            gsize         length,
            guint8        out[32])
{
  crypto_generichash (out, 32, secret, length, NULL, 0);
}

/* The token row @token_id stands for this session while it lasts; the
 * longest-lasting one is kept (a sign-out revokes them all together). */
static void
keep_token (DeskSession *self,
            gint64       token_id,
            gint64       expires_at)
{
  if (expires_at >= self->reauth_valid_until)
    {
      self->reauth_token_id = token_id;
      self->reauth_valid_until = expires_at;
    }
}

/* Whether the kept token is still this member's, unexpired and not revoked
 * (by a sign-out in any session): FALSE with @error unset when not, with
 * @error set when the database could not say. */
static gboolean
token_still_valid (DeskSession  *self,
                   gint64        now,
                   GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_store_prepare (self->store, "SELECT 1 FROM reauth_tokens WHERE id = ?"
                                           " AND member_id = ? AND revoked_at IS NULL"
                                           " AND expires_at > ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->reauth_token_id);
  sqlite3_bind_int64 (stmt, 2, desk_member_get_id (self->member));
  sqlite3_bind_int64 (stmt, 3, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    _desk_db_set_error (error, _desk_store_get_db (self->store), rc,
                           _("checking your confirmation"));
  return FALSE;
}

/* One read of the member's row (by its key): an account deactivated from
 * another workstation ends what its open sessions may do. */
static gboolean
member_still_active (DeskSession  *self,
                     GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean active = FALSE;
  int rc;

  stmt = _desk_store_prepare (self->store, "SELECT status = 'active' FROM members WHERE id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, desk_member_get_id (self->member));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    active = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_store_get_db (self->store), rc,
                             _("checking your account"));
      return FALSE;
    }
  if (!active)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED,
                   _("This account is deactivated. Ask a clinic administrator to reactivate "
                     "it."));
      return FALSE;
    }
  return TRUE;
}

/* Public API */

/* A session for @member_id, who has just been authenticated. */
static DeskSession *
session_new (DeskStore  *store,
             gint64      member_id,
             GError    **error)
{
  g_autoptr(DeskSession) self = NULL;
  g_autoptr(GError) local_error = NULL;

  self = g_object_new (DESK_TYPE_SESSION, NULL);
  self->store = g_object_ref (store);
  self->member = desk_member_load (store, member_id, error);
  if (self->member == NULL)
    return NULL;
  self->permissions = read_permissions (store, member_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->signed_in = TRUE;
  return g_steal_pointer (&self);
}

/* What a worker needs to check a password on its own connection. */
typedef struct
{
  char   *path;
  gint64  now;             /* the store's fixed present, or 0 */
  char   *purpose;
  char   *username;
  char   *password;        /* sodium_malloc: wiped when freed */
  gint64  member_id;       /* the answer */
} AuthData;

static void
auth_data_free (AuthData *data)
{
  g_free (data->path);
  g_free (data->purpose);
  g_free (data->username);
  if (data->password != NULL)
    sodium_free (data->password);
  g_free (data);
}

static AuthData *
auth_data_new (DeskStore  *store,
               const char *purpose,
               const char *username,
               const char *password)
{
  AuthData *data = g_new0 (AuthData, 1);
  gsize length = strlen (password);

  data->path = g_strdup (desk_store_get_path (store));
  data->now = desk_store_get_now (store);
  data->purpose = g_strdup (purpose);
  data->username = g_strdup (username);
  /* sodium_malloc aborts before sodium_init; a failed init leaves the
   * password NULL, which the worker reports. */
  if (sodium_init () >= 0)
    data->password = sodium_malloc (length + 1);
  if (data->password != NULL)
    memcpy (data->password, password, length + 1);
  return data;
}

static void
auth_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AuthData *data = task_data;
  g_autoptr(DeskStore) store = NULL;
  GError *error = NULL;

  if (data->password == NULL)
    {
      g_task_return_new_error (task, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                               _("Not enough memory to protect the password."));
      return;
    }

  /* Its own connection: the main one belongs to the main thread. */
  store = desk_store_open_full (data->path, DESK_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  desk_store_set_now (store, data->now);

  data->member_id = _desk_session_authenticate (store, data->purpose, data->username,
                                                data->password, &error);
  if (data->member_id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GTask *
auth_task_new (gpointer             source_object,
               DeskStore           *store,
               const char          *purpose,
               const char          *username,
               const char          *password,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, auth_data_new (store, purpose, username, password),
                        (GDestroyNotify) auth_data_free);
  /* The attempt is recorded whatever happens: a caller that gave up still
   * gets the session, to end it properly. */
  g_task_set_check_cancellable (task, FALSE);
  return task;
}

DeskSession *
desk_session_sign_in (DeskStore   *store,
                      const char  *username,
                      const char  *password,
                      GError     **error)
{
  gint64 member_id;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);
  g_return_val_if_fail (username != NULL && password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  member_id = _desk_session_authenticate (store, "sign-in", username, password, error);
  if (member_id == 0)
    return NULL;

  return session_new (store, member_id, error);
}

void
desk_session_sign_in_async (DeskStore           *store,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_STORE (store));
  g_return_if_fail (username != NULL && password != NULL);

  task = auth_task_new (store, store, "sign-in", username, password, cancellable, callback,
                        user_data, desk_session_sign_in_async);
  g_task_run_in_thread (task, auth_thread);
}

DeskSession *
desk_session_sign_in_finish (GAsyncResult  *result,
                             GError       **error)
{
  GTask *task;
  AuthData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == desk_session_sign_in_async,
                        NULL);

  task = G_TASK (result);
  if (!g_task_propagate_boolean (task, error))
    return NULL;
  data = g_task_get_task_data (task);
  return session_new (DESK_STORE (g_task_get_source_object (task)), data->member_id, error);
}

void
desk_session_sign_out (DeskSession *self)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 now;

  g_return_if_fail (DESK_IS_SESSION (self));

  if (!self->signed_in)
    return;
  self->signed_in = FALSE;
  self->permissions = 0;
  self->reauth_confirmed_at = 0;
  self->reauth_token_id = 0;
  self->reauth_valid_until = 0;

  /* The session's own bookkeeping writes its transaction here: the change
   * path stands on the session (it starts from one), so the session cannot
   * use it.  Audited in the same transaction all the same. */
  db = _desk_store_get_db (self->store);
  now = desk_store_get_now (self->store);
  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", &error))
    goto failed;
  stmt = _desk_store_prepare (self->store, "UPDATE reauth_tokens SET revoked_at = ?"
                                           " WHERE member_id = ? AND revoked_at IS NULL", &error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, desk_member_get_id (self->member));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _desk_db_set_error (&error, db, sqlite3_errcode (db), _("signing out"));
      sqlite3_reset (stmt);
      goto rollback;
    }
  sqlite3_reset (stmt);
  if (_desk_audit_append (db, now, desk_member_get_id (self->member), "member.sign-out",
                          "member", desk_member_get_id (self->member), "", NULL, &error) &&
      _desk_db_exec (db, "COMMIT", &error))
    return;

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
failed:
  /* The session has ended here whatever happened; the tokens expire anyway. */
  g_warning ("Signing out could not end the re-authentication tokens: %s", error->message);
}

gboolean
desk_session_reauthenticate (DeskSession  *self,
                             const char   *password,
                             GError      **error)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!self->signed_in)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT,
                   _("You have been signed out. Sign in again to continue."));
      return FALSE;
    }

  /* The same checks and limits as signing in, recorded as what it is. */
  if (_desk_session_authenticate (self->store, "reauthenticate",
                                  desk_member_get_username (self->member), password, error) == 0)
    return FALSE;

  self->reauth_confirmed_at = desk_store_get_now (self->store);
  return TRUE;
}

void
desk_session_reauthenticate_async (DeskSession         *self,
                                   const char          *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_SESSION (self));
  g_return_if_fail (password != NULL);

  task = auth_task_new (self, self->store, "reauthenticate",
                        desk_member_get_username (self->member), password, cancellable,
                        callback, user_data, desk_session_reauthenticate_async);
  if (!self->signed_in)
    {
      g_task_return_new_error (task, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT,
                               _("You have been signed out. Sign in again to continue."));
      return;
    }
  g_task_run_in_thread (task, auth_thread);
}

gboolean
desk_session_reauthenticate_finish (DeskSession   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  /* Signed out while the password was being checked: it confirms nothing. */
  if (!self->signed_in)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT,
                   _("You have been signed out. Sign in again to continue."));
      return FALSE;
    }

  self->reauth_confirmed_at = desk_store_get_now (self->store);
  return TRUE;
}

gboolean
desk_session_require_reauth (DeskSession  *self,
                             GError      **error)
{
  gint64 now;

  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);

  if (!self->signed_in)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT,
                   _("You have been signed out. Sign in again to continue."));
      return FALSE;
    }

  if (!member_still_active (self, error))
    return FALSE;
  now = desk_store_get_now (self->store);
  if (self->reauth_token_id != 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (token_still_valid (self, now, &local_error))
        return TRUE;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (self->reauth_confirmed_at != 0 &&
      now - self->reauth_confirmed_at <= DESK_REAUTH_CONFIRM_WINDOW)
    {
      /* One confirmation, one change. */
      self->reauth_confirmed_at = 0;
      return TRUE;
    }

  g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED,
               _("This change needs your password. Confirm it and try again."));
  return FALSE;
}

char *
desk_session_issue_reauth_token (DeskSession  *self,
                                 guint         grace_seconds,
                                 GError      **error)
{
  guint8 secret[32];
  guint8 hash[32];
  g_autofree char *hex = NULL;
  g_autofree char *details = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  gint64 now, token_id;
  char *token;
  int rc;

  g_return_val_if_fail (DESK_IS_SESSION (self), NULL);
  g_return_val_if_fail (grace_seconds > 0 && grace_seconds <= DESK_REAUTH_MAX_GRACE, NULL);

  if (!self->signed_in)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT,
                   _("You have been signed out. Sign in again to continue."));
      return NULL;
    }

  /* A token stands for a password confirmation: it is only ever made from
   * a fresh one, which it uses up. */
  now = desk_store_get_now (self->store);
  if (self->reauth_confirmed_at == 0 ||
      now - self->reauth_confirmed_at > DESK_REAUTH_CONFIRM_WINDOW)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED,
                   _("This change needs your password. Confirm it and try again."));
      return NULL;
    }

  randombytes_buf (secret, sizeof secret);
  token_hash (secret, sizeof secret, hash);
  db = _desk_store_get_db (self->store);

  /* A credential, if a short-lived one: audited with it, in one go.  Not
   * through the change path, which stands on the session (see sign-out). */
  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
    goto failed;
  stmt = _desk_store_prepare (self->store, "INSERT INTO reauth_tokens (member_id, token_hash,"
                                           " issued_at, expires_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, desk_member_get_id (self->member));
  sqlite3_bind_blob (stmt, 2, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now + grace_seconds);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("confirming your password"));
      goto rollback;
    }
  token_id = sqlite3_last_insert_rowid (db);
  details = g_strdup_printf ("{\"token\":%" G_GINT64_FORMAT ",\"expires_at\":%" G_GINT64_FORMAT "}",
                             token_id, now + grace_seconds);
  if (!_desk_audit_append (db, now, desk_member_get_id (self->member), "member.reauth-token",
                           "member", desk_member_get_id (self->member), "", details, error) ||
      !_desk_db_exec (db, "COMMIT", error))
    goto rollback;
  self->reauth_confirmed_at = 0;
  keep_token (self, token_id, now + grace_seconds);

  /* The clinic's UUID first: a token is only ever tried on its own clinic. */
  hex = g_malloc (sizeof secret * 2 + 1);
  sodium_bin2hex (hex, sizeof secret * 2 + 1, secret, sizeof secret);
  sodium_memzero (secret, sizeof secret);
  token = g_strconcat (desk_store_get_clinic_uuid (self->store), ":", hex, NULL);
  sodium_memzero (hex, strlen (hex));
  return token;

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
failed:
  sodium_memzero (secret, sizeof secret);
  return NULL;
}

gboolean
desk_session_check_reauth_token (DeskSession *self,
                                 const char  *token)
{
  const char *uuid;
  const char *colon;
  guint8 secret[32];
  guint8 hash[32];
  gsize length = 0;
  sqlite3_stmt *stmt;
  gboolean valid;

  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);

  if (!self->signed_in || token == NULL)
    return FALSE;

  uuid = desk_store_get_clinic_uuid (self->store);
  colon = strchr (token, ':');
  if (colon == NULL || (gsize) (colon - token) != strlen (uuid) ||
      strncmp (token, uuid, colon - token) != 0)
    return FALSE;
  if (sodium_hex2bin (secret, sizeof secret, colon + 1, strlen (colon + 1), NULL, &length,
                      NULL) != 0 || length != sizeof secret)
    return FALSE;
  token_hash (secret, sizeof secret, hash);
  sodium_memzero (secret, sizeof secret);

  stmt = _desk_store_prepare (self->store, "SELECT id, expires_at FROM reauth_tokens"
                                           " WHERE token_hash = ? AND member_id = ?"
                                           " AND revoked_at IS NULL AND expires_at > ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, desk_member_get_id (self->member));
  sqlite3_bind_int64 (stmt, 3, desk_store_get_now (self->store));
  valid = sqlite3_step (stmt) == SQLITE_ROW;
  if (valid)
    keep_token (self, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);
  return valid;
}

DeskStore *
desk_session_get_store (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), NULL);
  return self->store;
}

DeskMember *
desk_session_get_member (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), NULL);
  return self->member;
}

guint
desk_session_get_permissions (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), 0);
  return self->permissions;
}

gboolean
desk_session_get_signed_in (DeskSession *self)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);
  return self->signed_in;
}

gboolean
desk_session_has_permission (DeskSession    *self,
                             DeskPermission  permission)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);
  return self->signed_in && (self->permissions & permission) == (guint) permission;
}

gboolean
desk_session_require (DeskSession     *self,
                      DeskPermission   permission,
                      GError         **error)
{
  g_return_val_if_fail (DESK_IS_SESSION (self), FALSE);

  if (!self->signed_in)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT,
                   _("You have been signed out. Sign in again to continue."));
      return FALSE;
    }
  if (!member_still_active (self, error))
    return FALSE;
  if ((self->permissions & permission) != (guint) permission)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is a permission, such as "edit other users" */
                   _("You do not have the “%s” permission. Ask a clinic administrator."),
                   permission_label (permission));
      return FALSE;
    }
  return TRUE;
}
