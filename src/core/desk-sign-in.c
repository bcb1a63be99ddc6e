/* desk-sign-in.c: checking a member's password within the sign-in limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argon2id with libsodium (constant time); per account, 3 failures cost
 * nothing, then each attempt waits 1, 2, 4... seconds, at most 300, and at
 * most DESK_SIGN_IN_MAX_FAILURES_PER_HOUR checked failures an hour.  Every
 * attempt is recorded and audited.
 *
 * Only attempts whose password was checked count toward the limits, and
 * processes guessing at once must get no more checks than one would: an
 * attempt is first reserved, as a failure, in the same write transaction
 * that reads the limits (or refused there, recorded and audited but not
 * counted); the password is checked outside any transaction, so that other
 * writers never wait on Argon2id; then the outcome is written.  A process
 * that dies in between has spent its guess, and a success that cannot be
 * written opens no session.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-json.h"
#include "desk-sign-in-private.h"
#include "desk-sign-in.h"
#include "desk-store-private.h"

#define MAX_WAIT_SECONDS 300

G_DEFINE_QUARK (desk-session-error-quark, desk_session_error)

gboolean
_desk_session_ensure_sodium (GError **error)
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
      _desk_db_set_error (error, _desk_store_get_db (store), rc, _("signing in"));
      return FALSE;
    }
  return TRUE;
}

/* Seconds to wait before the next attempt: none for the first few
 * failures in a row, then 1, 2, 4... up to five minutes; an hour after too
 * many in the hour.  The portal's sign-in keeps the same policy. */
gint64
_desk_sign_in_required_wait (guint  failures_in_a_row,
                             guint  failures_this_hour,
                             gint64 last_failure_at,
                             gint64 now)
{
  guint extra;
  gint64 wait;

  if (failures_this_hour >= DESK_SIGN_IN_MAX_FAILURES_PER_HOUR)
    return 3600;
  if (failures_in_a_row < DESK_SIGN_IN_FREE_FAILURES)
    return 0;

  extra = MIN (failures_in_a_row - DESK_SIGN_IN_FREE_FAILURES, 9);
  wait = MIN ((gint64) 1 << extra, MAX_WAIT_SECONDS) - (now - last_failure_at);
  return MAX (wait, 0);
}

static gint64
required_wait (const Account *account,
               gint64         now)
{
  return _desk_sign_in_required_wait (account->failures_in_a_row, account->failures_this_hour,
                                      account->last_failure_at, now);
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
      _desk_db_set_error (error, db, rc, _("signing in"));
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

/* Sign-in writes its own transactions, not through the change path
 * (desk-change.c): that path starts from a signed-in session, which a
 * sign-in is still making.  Its rules are kept here the same way: every
 * attempt is audited in the transaction that records it.
 *
 * The first half of an attempt, in one write transaction so that no other
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
  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
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

  if (_desk_db_exec (db, "COMMIT", error))
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

  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
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
          _desk_db_set_error (error, db, rc == SQLITE_DONE ? SQLITE_ERROR : rc,
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
          _desk_db_set_error (error, db, rc, _("signing in"));
          goto rollback;
        }
    }

  if (audit_attempt (store, purpose, username, member_id, now, succeeded, outcome, error) &&
      _desk_db_exec (db, "COMMIT", error))
    return TRUE;

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gint64
desk_sign_in_get_wait (DeskStore   *store,
                       const char  *username,
                       GError     **error)
{
  g_auto(Account) account = { 0 };
  gint64 now;

  g_return_val_if_fail (DESK_IS_STORE (store), 0);
  g_return_val_if_fail (username != NULL, 0);

  now = desk_store_get_now (store);
  if (!read_account (store, username, now, &account, error))
    return 0;
  return account.member_id > 0 ? required_wait (&account, now) : 0;
}

/* Checks @password for @username with every limit, records the attempt as
 * @purpose ("sign-in", "reauthenticate") and audits it.  The member's id,
 * or 0 with @error set. */
gint64
_desk_session_authenticate (DeskStore   *store,
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

  if (!_desk_session_ensure_sodium (error))
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

  if (crypto_pwhash_str_needs_rehash (account.password_hash, DESK_PWHASH_OPSLIMIT,
                                      DESK_PWHASH_MEMLIMIT) != 0)
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

/* Public API */

char *
desk_password_hash (const char  *password,
                    GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (!_desk_session_ensure_sodium (error))
    return NULL;
  if (crypto_pwhash_str (hash, password, strlen (password), DESK_PWHASH_OPSLIMIT,
                         DESK_PWHASH_MEMLIMIT) != 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   _("Not enough memory to protect the password."));
      return NULL;
    }
  return g_strdup (hash);
}
