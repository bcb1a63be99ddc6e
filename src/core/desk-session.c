/* desk-session.c: a member signed in to the clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sign-in checks an Argon2id hash with libsodium (constant time), limits
 * guessing per account (growing waits after a few failures, and at most
 * DESK_SIGN_IN_MAX_FAILURES_PER_HOUR failures an hour), records every
 * attempt and audits failures.  Note that checking a password takes tens of
 * milliseconds by design: the GTK window calls this from a worker.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-json.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store-private.h"

/* OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes. */
#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19 * 1024 * 1024)
#define MAX_WAIT_SECONDS 300

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

G_DEFINE_QUARK (desk-session-error-quark, desk_session_error)

/* Helpers */

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   _("The password library could not start."));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64   member_id;        /* 0: no such member */
  gboolean active;
  char    *password_hash;
  guint    failures_this_hour;
  guint    failures_in_a_row;
  gint64   last_failure_at;
} Account;

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->password_hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

static gboolean
read_account (DeskStore   *store,
              const char  *username,
              gint64       now,
              Account     *account,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (account, 0, sizeof *account);
  stmt = _desk_store_prepare (store,
    "SELECT m.id, m.status = 'active', m.password_hash,"
    " (SELECT count(*) FROM sign_in_attempts a"
    "   WHERE a.member_id = m.id AND a.succeeded = 0 AND a.at > ?2 - 3600),"
    " (SELECT count(*) FROM sign_in_attempts a WHERE a.member_id = m.id AND a.succeeded = 0"
    "   AND a.id > coalesce ((SELECT max (s.id) FROM sign_in_attempts s"
    "                          WHERE s.member_id = m.id AND s.succeeded = 1), 0)),"
    " (SELECT max (a.at) FROM sign_in_attempts a WHERE a.member_id = m.id AND a.succeeded = 0)"
    " FROM members m WHERE m.username = ?1",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      account->member_id = sqlite3_column_int64 (stmt, 0);
      account->active = sqlite3_column_int (stmt, 1) != 0;
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        account->password_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      account->failures_this_hour = sqlite3_column_int (stmt, 3);
      account->failures_in_a_row = sqlite3_column_int (stmt, 4);
      account->last_failure_at = sqlite3_column_int64 (stmt, 5);
      rc = SQLITE_DONE;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _desk_store_set_error (error, _desk_store_get_db (store), rc, _("signing in"));
      return FALSE;
    }
  return TRUE;
}

/* Seconds to wait before the next attempt: none for the first few
 * failures in a row, then 1, 2, 4... up to five minutes. */
static gint64
required_wait (const Account *account,
               gint64         now)
{
  guint extra;
  gint64 wait;

  if (account->failures_this_hour >= DESK_SIGN_IN_MAX_FAILURES_PER_HOUR)
    return 3600;
  if (account->failures_in_a_row < DESK_SIGN_IN_FREE_FAILURES)
    return 0;

  extra = MIN (account->failures_in_a_row - DESK_SIGN_IN_FREE_FAILURES, 9);
  wait = MIN ((gint64) 1 << extra, MAX_WAIT_SECONDS) - (now - account->last_failure_at);
  return MAX (wait, 0);
}

/* An attempt's row.  @member_id 0 leaves it out of the account's counts:
 * an unknown username, or an attempt refused without checking. */
static gint64
insert_attempt (DeskStore   *store,
                gint64       member_id,
                const char  *username,
                gint64       now,
                GError     **error)
{
  sqlite3 *db = _desk_store_get_db (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_store_prepare (store, "INSERT INTO sign_in_attempts (member_id, username, at,"
                                     " succeeded) VALUES (?, ?, ?, 0)", error);
  if (stmt == NULL)
    return 0;
  if (member_id > 0)
    sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_error (error, db, rc, _("signing in"));
      return 0;
    }
  return sqlite3_last_insert_rowid (db);
}

static gboolean
audit_attempt (DeskStore   *store,
               const char  *purpose,
               const char  *username,
               gint64       member_id,
               gint64       now,
               gboolean     succeeded,
               const char  *outcome,
               GError     **error)
{
  g_autofree char *action = g_strdup_printf ("member.%s%s", purpose,
                                             succeeded ? "" : "-failed");
  g_autoptr(GString) details = g_string_new (NULL);

  desk_json_begin_object (details);
  desk_json_key (details, "username");
  desk_json_string (details, username);
  desk_json_key (details, "outcome");
  desk_json_string (details, outcome);
  desk_json_end_object (details);
  return _desk_audit_append (_desk_store_get_db (store), now, succeeded ? member_id : 0, action,
                             "member", member_id, "", details->str, error);
}

/* The first half of an attempt, in one write transaction so that no other
 * process reads the limits between: either refuses it without looking at
 * the password (@wait > 0; recorded and audited, but not counted), or
 * reserves it as a failure (*@attempt_id), which it stays unless its
 * outcome says otherwise -- a process that dies while checking the
 * password has spent a guess. */
static gboolean
reserve_attempt (DeskStore   *store,
                 const char  *purpose,
                 const char  *username,
                 gint64       now,
                 Account     *account,
                 gint64      *wait,
                 gint64      *attempt_id,
                 GError     **error)
{
  sqlite3 *db = _desk_store_get_db (store);

  *wait = 0;
  *attempt_id = 0;
  if (!_desk_store_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!read_account (store, username, now, account, error))
    goto rollback;

  *wait = account->member_id > 0 ? required_wait (account, now) : 0;
  if (*wait > 0)
    {
      if (insert_attempt (store, 0, username, now, error) == 0 ||
          !audit_attempt (store, purpose, username, account->member_id, now, FALSE, "waiting",
                          error))
        goto rollback;
    }
  else
    {
      *attempt_id = insert_attempt (store, account->member_id, username, now, error);
      if (*attempt_id == 0)
        goto rollback;
    }

  if (_desk_store_exec (db, "COMMIT", error))
    return TRUE;

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* The second half: audits the outcome of the reserved attempt
 * @attempt_id and, for a right password, turns it into a success (with a
 * stronger hash if @new_hash).  All of it, or nothing. */
static gboolean
record_outcome (DeskStore   *store,
                const char  *purpose,
                const char  *username,
                gint64       member_id,
                gint64       attempt_id,
                gint64       now,
                gboolean     succeeded,
                const char  *outcome,
                const char  *new_hash,
                GError     **error)
{
  sqlite3 *db = _desk_store_get_db (store);
  sqlite3_stmt *stmt;
  int rc;

  if (!_desk_store_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (succeeded)
    {
      stmt = _desk_store_prepare (store, "UPDATE sign_in_attempts SET succeeded = 1"
                                         " WHERE id = ? AND member_id = ?", error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, attempt_id);
      sqlite3_bind_int64 (stmt, 2, member_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE || sqlite3_changes (db) != 1)
        {
          _desk_store_set_error (error, db, rc == SQLITE_DONE ? SQLITE_ERROR : rc,
                                 _("signing in"));
          goto rollback;
        }
    }

  /* Stronger hashing parameters since the password was set: upgrade. */
  if (new_hash != NULL)
    {
      stmt = _desk_store_prepare (store, "UPDATE members SET password_hash = ? WHERE id = ?",
                                  error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_text (stmt, 1, new_hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, member_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _desk_store_set_error (error, db, rc, _("signing in"));
          goto rollback;
        }
    }

  if (audit_attempt (store, purpose, username, member_id, now, succeeded, outcome, error) &&
      _desk_store_exec (db, "COMMIT", error))
    return TRUE;

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

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
    _desk_store_set_error (error, _desk_store_get_db (store), rc, _("signing in"));
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
    _desk_store_set_error (error, _desk_store_get_db (self->store), rc,
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
      _desk_store_set_error (error, _desk_store_get_db (self->store), rc,
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

char *
desk_password_hash (const char  *password,
                    GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  if (crypto_pwhash_str (hash, password, strlen (password), PWHASH_OPSLIMIT,
                         PWHASH_MEMLIMIT) != 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   _("Not enough memory to protect the password."));
      return NULL;
    }
  return g_strdup (hash);
}

/* Checks @password for @username with every limit, records the attempt as
 * @purpose ("sign-in", "reauthenticate") and audits it.  The member's id,
 * or 0 with @error set. */
static gint64
authenticate (DeskStore   *store,
              const char  *purpose,
              const char  *username,
              const char  *password,
              GError     **error)
{
  /* Checked when the username is unknown, so that it takes as long. */
  static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  g_auto(Account) account = { 0 };
  g_autofree char *new_hash = NULL;
  char stored[crypto_pwhash_STRBYTES];
  gboolean password_ok;
  gint64 now, wait, attempt_id;

  if (!ensure_sodium (error))
    return 0;

  now = desk_store_get_now (store);
  if (!reserve_attempt (store, purpose, username, now, &account, &wait, &attempt_id, error))
    return 0;

  if (wait > 0)
    {
      /* Refused without looking at the password: recorded, not counted. */
      if (wait >= 3600)
        g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS,
                     _("Too many failed sign-ins for this account. Try again in an hour, or "
                       "ask an administrator."));
      else
        g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "Too many failed sign-ins. Wait %d second and try again.",
                                  "Too many failed sign-ins. Wait %d seconds and try again.",
                                  (int) wait),
                     (int) wait);
      return 0;
    }

  /* libsodium reads the stored hash as a buffer of crypto_pwhash_STRBYTES. */
  memset (stored, 0, sizeof stored);
  g_strlcpy (stored, account.password_hash != NULL ? account.password_hash : dummy_hash,
             sizeof stored);
  password_ok = crypto_pwhash_str_verify (stored, password, strlen (password)) == 0;
  password_ok = password_ok && account.member_id > 0 && account.password_hash != NULL;

  if (!password_ok)
    {
      /* Already counted as a failure: if this cannot be written, the
       * attempt is refused all the same. */
      if (!record_outcome (store, purpose, username, account.member_id, attempt_id, now, FALSE,
                           "wrong-password", NULL, error))
        return 0;
      /* The same answer for an unknown username: it does not say which. */
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS,
                   _("The username or password is not right. Check them and try again."));
      return 0;
    }

  /* Only someone who knows the password learns that the account is deactivated. */
  if (!account.active)
    {
      if (!record_outcome (store, purpose, username, account.member_id, attempt_id, now, FALSE,
                           "deactivated", NULL, error))
        return 0;
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED,
                   _("This account is deactivated. Ask a clinic administrator to reactivate "
                     "it."));
      return 0;
    }

  if (crypto_pwhash_str_needs_rehash (account.password_hash, PWHASH_OPSLIMIT,
                                      PWHASH_MEMLIMIT) != 0)
    {
      new_hash = desk_password_hash (password, error);
      if (new_hash == NULL)
        return 0;
    }

  /* No session unless its success is on record. */
  if (!record_outcome (store, purpose, username, account.member_id, attempt_id, now, TRUE,
                       "confirmed", new_hash, error))
    return 0;
  return account.member_id;
}

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
  self->member = desk_store_get_member (store, member_id, error);
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

  data->member_id = authenticate (store, data->purpose, data->username, data->password, &error);
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

  member_id = authenticate (store, "sign-in", username, password, error);
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

  db = _desk_store_get_db (self->store);
  now = desk_store_get_now (self->store);
  if (!_desk_store_exec (db, "BEGIN IMMEDIATE", &error))
    goto failed;
  stmt = _desk_store_prepare (self->store, "UPDATE reauth_tokens SET revoked_at = ?"
                                           " WHERE member_id = ? AND revoked_at IS NULL", &error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, desk_member_get_id (self->member));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _desk_store_set_error (&error, db, sqlite3_errcode (db), _("signing out"));
      sqlite3_reset (stmt);
      goto rollback;
    }
  sqlite3_reset (stmt);
  if (_desk_audit_append (db, now, desk_member_get_id (self->member), "member.sign-out",
                          "member", desk_member_get_id (self->member), "", NULL, &error) &&
      _desk_store_exec (db, "COMMIT", &error))
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
  if (authenticate (self->store, "reauthenticate", desk_member_get_username (self->member),
                    password, error) == 0)
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
  if (self->reauth_confirmed_at == 0 || now - self->reauth_confirmed_at > DESK_REAUTH_CONFIRM_WINDOW)
    {
      g_set_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED,
                   _("This change needs your password. Confirm it and try again."));
      return NULL;
    }

  randombytes_buf (secret, sizeof secret);
  token_hash (secret, sizeof secret, hash);
  db = _desk_store_get_db (self->store);

  /* A credential, if a short-lived one: audited with it, in one go. */
  if (!_desk_store_exec (db, "BEGIN IMMEDIATE", error))
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
      _desk_store_set_error (error, db, rc, _("confirming your password"));
      goto rollback;
    }
  token_id = sqlite3_last_insert_rowid (db);
  details = g_strdup_printf ("{\"token\":%" G_GINT64_FORMAT ",\"expires_at\":%" G_GINT64_FORMAT "}",
                             token_id, now + grace_seconds);
  if (!_desk_audit_append (db, now, desk_member_get_id (self->member), "member.reauth-token",
                           "member", desk_member_get_id (self->member), "", details, error) ||
      !_desk_store_exec (db, "COMMIT", error))
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
