/* test-session.c: sign-in, rate limiting, permissions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-audit.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-setup.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

typedef DeskTestClinic Fixture;

static void
test_right_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;

  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_true (desk_session_get_signed_in (session));
  g_assert_cmpstr (desk_member_get_username (desk_session_get_member (session)), ==,
                   DESK_DEMO_USERNAME);
  /* The administrator role carries every permission. */
  g_assert_cmpuint (desk_session_get_permissions (session), ==,
                    DESK_PERMISSION_EDIT_USERS | DESK_PERMISSION_MANAGE_CLIENTS |
                    DESK_PERMISSION_MANAGE_LABS | DESK_PERMISSION_VIEW_AUDIT);
  g_assert_true (desk_session_require (session, DESK_PERMISSION_EDIT_USERS, &error));
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.sign-in' AND actor_member_id = 1"), ==, 1);

  /* Signed out: nothing is allowed any more. */
  desk_session_sign_out (session);
  g_assert_false (desk_session_has_permission (session, DESK_PERMISSION_MANAGE_CLIENTS));
  g_assert_false (desk_session_require (session, DESK_PERMISSION_MANAGE_CLIENTS, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) wrong = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) verify_error = NULL;

  g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "frontdesk-dem0", &wrong));
  g_assert_error (wrong, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);

  /* An unknown username gets the very same answer. */
  g_assert_null (desk_session_sign_in (f->store, "nobody", DESK_DEMO_PASSWORD, &unknown));
  g_assert_error (unknown, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
  g_assert_cmpstr (wrong->message, ==, unknown->message);

  /* Both failures are recorded and audited; the chain holds. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts WHERE succeeded = 0"),
                   ==, 2);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.sign-in-failed'"), ==, 2);
  g_assert_true (desk_audit_verify (f->store, NULL, NULL, NULL, &verify_error));
  g_assert_no_error (verify_error);
}

static void
test_deactivated (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  desk_test_exec (f->store, "UPDATE members SET status = 'deactivated', deactivated_at = 1,"
                  " deactivated_by = 1, deactivation_reason = 'Left' WHERE username = 'admin'");
  g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED);
  g_assert_nonnull (strstr (error->message, "deactivated"));
  g_clear_error (&error);

  /* Without the password, it does not say so. */
  g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "guess", &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);

  /* Both attempts are audited, for what they were. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.sign-in-failed'"
                                              " AND target_id = 1 AND json_extract (details,"
                                              " '$.outcome') = 'deactivated'"), ==, 1);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.sign-in-failed'"
                                              " AND target_id = 1 AND json_extract (details,"
                                              " '$.outcome') = 'wrong-password'"), ==, 1);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE member_id = 1 AND succeeded = 0"), ==, 2);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DeskSession) session = NULL;
  gint64 now = DESK_TEST_NOW;

  /* The first few failures cost nothing. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "guess", &error));
      g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
    }

  /* Then each attempt must wait, even with the right password. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD,
                                         &error));
    g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS);
    g_assert_nonnull (strstr (error->message, "second"));
  }

  /* After the wait, the right password works, and the count starts over. */
  now += 600;
  desk_store_set_now (f->store, now);
  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, NULL);
  g_assert_nonnull (session);
  g_clear_object (&session);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "guess", &error));
    g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
  }

  /* At most 100 failures an hour: after that, an hour's wait. */
  desk_test_exec (f->store, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
                  " INSERT INTO sign_in_attempts (member_id, username, at, succeeded)"
                  " SELECT 1, 'admin', 1793664000 + 600, 0 FROM n");
  now += 3000;
  desk_store_set_now (f->store, now);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD,
                                         &error));
    g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS);
    g_assert_nonnull (strstr (error->message, "hour"));
  }
}

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autofree char *hash = desk_password_hash ("front desk 1", &error);
  g_autofree char *sql = NULL;
  g_autoptr(DeskMember) front_desk = NULL;

  g_assert_no_error (error);
  /* Member 4 is the demo's front desk: clients only. */
  sql = g_strdup_printf ("UPDATE members SET password_hash = '%s' WHERE id = 4", hash);
  desk_test_exec (f->store, sql);
  desk_test_exec (f->store, "UPDATE members SET status = 'active', deactivated_at = NULL,"
                  " deactivated_by = NULL WHERE id = 4");

  front_desk = desk_member_load (f->store, 4, &error);
  g_assert_no_error (error);
  session = desk_session_sign_in (f->store, desk_member_get_username (front_desk),
                                  "front desk 1", &error);
  g_assert_no_error (error);
  g_assert_true (desk_session_has_permission (session, DESK_PERMISSION_MANAGE_CLIENTS));
  for (guint i = 0; i < 3; i++)
    {
      DeskPermission refused[] = {
        DESK_PERMISSION_EDIT_USERS, DESK_PERMISSION_MANAGE_LABS, DESK_PERMISSION_VIEW_AUDIT,
      };
      g_autoptr(GError) denied = NULL;

      g_assert_false (desk_session_require (session, refused[i], &denied));
      g_assert_error (denied, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (denied->message, "permission"));
    }
}

static void
test_rehash (Fixture       *f,
             gconstpointer  data)
{
  char weak[crypto_pwhash_STRBYTES];
  g_autofree char *sql = NULL;
  g_autoptr(DeskSession) session = NULL;
  sqlite3_stmt *stmt = NULL;

  /* A hash made with weaker parameters than today's. */
  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str (weak, DESK_DEMO_PASSWORD, strlen (DESK_DEMO_PASSWORD), 1,
                                      8 * 1024 * 1024), ==, 0);
  sql = g_strdup_printf ("UPDATE members SET password_hash = '%s' WHERE id = 1", weak);
  desk_test_exec (f->store, sql);

  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, NULL);
  g_assert_nonnull (session);

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (f->store),
                                       "SELECT password_hash FROM members WHERE id = 1", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    char stored[crypto_pwhash_STRBYTES] = { 0 };

    g_strlcpy (stored, (const char *) sqlite3_column_text (stmt, 0), sizeof stored);
    g_assert_cmpstr (stored, !=, weak);
    g_assert_cmpint (crypto_pwhash_str_needs_rehash (stored, 2, 19 * 1024 * 1024), ==, 0);
    g_assert_cmpint (crypto_pwhash_str_verify (stored, DESK_DEMO_PASSWORD,
                                               strlen (DESK_DEMO_PASSWORD)), ==, 0);
  }
  sqlite3_finalize (stmt);
}

static void
test_reauth (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autofree char *token = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *sql = NULL;

  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);

  /* A wrong password: refused, and audited like a failed sign-in. */
  g_assert_false (desk_session_reauthenticate (session, "guess", &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (desk_session_reauthenticate (session, DESK_DEMO_PASSWORD, &error));
  g_assert_no_error (error);
  /* Recorded as what they were, not as sign-ins. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.reauthenticate-failed'"), ==, 1);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.reauthenticate'"), ==, 1);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.sign-in'"), ==, 1);

  token = desk_session_issue_reauth_token (session, 300, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (token, desk_store_get_clinic_uuid (f->store)));
  g_assert_true (desk_session_check_reauth_token (session, token));

  /* The database keeps a hash, never the token. */
  sql = g_strdup_printf ("SELECT count(*) FROM reauth_tokens WHERE hex (token_hash) = upper ('%s')",
                         strchr (token, ':') + 1);
  g_assert_cmpint (desk_test_count (f->store, "%s", sql), ==, 0);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM reauth_tokens"), ==, 1);

  /* Issuing it is audited with it: which token, until when, by whom. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log a, reauth_tokens t"
                                              " WHERE a.action = 'member.reauth-token'"
                                              " AND a.actor_member_id = t.member_id"
                                              " AND json_extract (a.details, '$.token') = t.id"
                                              " AND json_extract (a.details, '$.expires_at')"
                                              "   = t.expires_at AND t.expires_at = %" G_GINT64_FORMAT,
                                   DESK_TEST_NOW + 300), ==, 1);
  g_assert_true (desk_audit_verify (f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Refused while another program writes: no token, nothing recorded. */
  {
    sqlite3 *writer = NULL;
    gint64 entries = desk_test_count (f->store, "SELECT count(*) FROM audit_log");
    char *refused;

    /* Only ever made from a fresh password confirmation, which it used up. */
    refused = desk_session_issue_reauth_token (session, 300, &error);
    g_assert_null (refused);
    g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
    g_clear_error (&error);
    g_assert_true (desk_session_reauthenticate (session, DESK_DEMO_PASSWORD, &error));
    g_assert_no_error (error);
    entries = desk_test_count (f->store, "SELECT count(*) FROM audit_log");

    g_assert_cmpint (sqlite3_open (desk_store_get_path (f->store), &writer), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (writer, "BEGIN IMMEDIATE; UPDATE clinic SET name = name;",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    refused = desk_session_issue_reauth_token (session, 300, &error);
    g_assert_null (refused);
    g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED);
    g_clear_error (&error);
    sqlite3_exec (writer, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close (writer);
    g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM reauth_tokens"), ==, 1);
    g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"), ==, entries);
  }

  /* Altered, for another clinic, or garbage: no. */
  forged = g_strdup (token);
  forged[strlen (forged) - 1] = forged[strlen (forged) - 1] == '0' ? '1' : '0';
  g_assert_false (desk_session_check_reauth_token (session, forged));
  g_free (forged);
  forged = g_strconcat ("00000000-0000-4000-8000-000000000000", strchr (token, ':'), NULL);
  g_assert_false (desk_session_check_reauth_token (session, forged));
  g_assert_false (desk_session_check_reauth_token (session, "nonsense"));
  g_assert_false (desk_session_check_reauth_token (session, ""));

  /* Expired after the grace period. */
  desk_store_set_now (f->store, DESK_TEST_NOW + 299);
  g_assert_true (desk_session_check_reauth_token (session, token));
  desk_store_set_now (f->store, DESK_TEST_NOW + 300);
  g_assert_false (desk_session_check_reauth_token (session, token));

  /* Revoked by signing out, even within the grace period. */
  desk_store_set_now (f->store, DESK_TEST_NOW);
  g_free (token);
  token = desk_session_issue_reauth_token (session, 600, &error);
  g_assert_no_error (error);
  g_assert_true (desk_session_check_reauth_token (session, token));
  desk_session_sign_out (session);
  g_assert_false (desk_session_check_reauth_token (session, token));
  g_clear_object (&session);
  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_false (desk_session_check_reauth_token (session, token));
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.sign-out'"), ==, 1);
}

/* A token of one clinic is useless on another, even with the same member. */
static void
test_reauth_other_clinic (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autoptr(DeskStore) other = desk_test_demo_store (other_path, 20, 8);
  g_autoptr(DeskSession) here = NULL;
  g_autoptr(DeskSession) there = NULL;
  g_autofree char *token = NULL;

  here = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, NULL);
  there = desk_session_sign_in (other, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, NULL);
  g_assert_nonnull (here);
  g_assert_nonnull (there);
  g_assert_true (desk_session_reauthenticate (here, DESK_DEMO_PASSWORD, NULL));
  token = desk_session_issue_reauth_token (here, 300, NULL);
  g_assert_true (desk_session_check_reauth_token (here, token));
  g_assert_false (desk_session_check_reauth_token (there, token));
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Lets go of an async result and waits for the worker thread to let go of
 * its task too, which holds the store. */
static void
drop_result (GAsyncResult **result)
{
  gpointer task = *result;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (task == NULL)
    return;
  g_object_add_weak_pointer (task, &task);
  g_clear_object (result);
  while (task != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (task);
}

static void
test_sign_in_async (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) right = NULL;
  g_autoptr(GAsyncResult) wrong = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskSession) none = NULL;
  g_autoptr(GError) error = NULL;
  gint64 attempts = desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts");

  desk_session_sign_in_async (f->store, DESK_DEMO_USERNAME, "wrong password", NULL,
                              desk_test_async_result_cb, &wrong);
  none = desk_session_sign_in_finish (wait_for (&wrong), &error);
  g_assert_null (none);
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);

  desk_session_sign_in_async (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, NULL,
                              desk_test_async_result_cb, &right);
  session = desk_session_sign_in_finish (wait_for (&right), &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_true (desk_session_get_store (session) == f->store);
  g_assert_cmpstr (desk_member_get_username (desk_session_get_member (session)), ==,
                   DESK_DEMO_USERNAME);
  g_assert_true (desk_session_has_permission (session, DESK_PERMISSION_VIEW_AUDIT));

  /* Both attempts were recorded, at the store's own (fixed) time, on the worker's connection. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"), ==, attempts + 2);
  g_assert_cmpint (desk_test_count (f->store, "SELECT max (at) FROM sign_in_attempts"), ==, DESK_TEST_NOW);
  desk_session_sign_out (session);
  drop_result (&right);
  drop_result (&wrong);
}

static void
test_require_reauth (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskSession) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;

  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);

  /* Signed in is not enough for a sensitive change. */
  g_assert_false (desk_session_require_reauth (session, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);

  /* A wrong password confirms nothing. */
  desk_session_reauthenticate_async (session, "nope", NULL, desk_test_async_result_cb, &result);
  g_assert_false (desk_session_reauthenticate_finish (session, wait_for (&result), &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  drop_result (&result);
  g_assert_false (desk_session_require_reauth (session, NULL));

  /* A password confirmation stands for one change, within its window. */
  desk_session_reauthenticate_async (session, DESK_DEMO_PASSWORD, NULL, desk_test_async_result_cb,
                                     &result);
  g_assert_true (desk_session_reauthenticate_finish (session, wait_for (&result), &error));
  g_assert_no_error (error);
  drop_result (&result);
  g_assert_true (desk_session_require_reauth (session, &error));
  g_assert_no_error (error);
  g_assert_false (desk_session_require_reauth (session, NULL));

  g_assert_true (desk_session_reauthenticate (session, DESK_DEMO_PASSWORD, &error));
  desk_store_set_now (f->store, DESK_TEST_NOW + DESK_REAUTH_CONFIRM_WINDOW + 1);
  g_assert_false (desk_session_require_reauth (session, NULL));

  /* A token: every change during its grace period, none after. */
  g_assert_true (desk_session_reauthenticate (session, DESK_DEMO_PASSWORD, &error));
  token = desk_session_issue_reauth_token (session, 300, &error);
  g_assert_no_error (error);
  g_assert_true (desk_session_require_reauth (session, NULL));
  g_assert_true (desk_session_require_reauth (session, NULL));
  desk_store_set_now (f->store, DESK_TEST_NOW + DESK_REAUTH_CONFIRM_WINDOW + 1 + 300);
  g_assert_false (desk_session_require_reauth (session, NULL));
  desk_store_set_now (f->store, DESK_TEST_NOW + DESK_REAUTH_CONFIRM_WINDOW + 1 + 100);

  /* Another session of the same member, handed the token (from the keyring): it stands. */
  again = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_false (desk_session_require_reauth (again, NULL));
  g_assert_true (desk_session_check_reauth_token (again, token));
  g_assert_true (desk_session_require_reauth (again, NULL));

  /* Signed out: nothing stands, and the token is revoked for every session. */
  desk_session_sign_out (session);
  g_assert_false (desk_session_require_reauth (session, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
  g_clear_error (&error);
  g_assert_false (desk_session_check_reauth_token (again, token));
  desk_session_reauthenticate_async (session, DESK_DEMO_PASSWORD, NULL, desk_test_async_result_cb,
                                     &result);
  g_assert_false (desk_session_reauthenticate_finish (session, wait_for (&result), &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
  drop_result (&result);
  desk_session_sign_out (again);
}

/* Member @id, active, with @password. */
static DeskSession *
sign_in_member (DeskStore  *store,
                gint64      id,
                const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash (password, &error);
  g_autofree char *sql = NULL;
  g_autoptr(DeskMember) member = NULL;
  DeskSession *session;

  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE members SET password_hash = '%s', status = 'active',"
                         " deactivated_at = NULL, deactivated_by = NULL WHERE id = %"
                         G_GINT64_FORMAT, hash, id);
  desk_test_exec (store, sql);
  member = desk_member_load (store, id, &error);
  g_assert_no_error (error);
  session = desk_session_sign_in (store, desk_member_get_username (member), password, &error);
  g_assert_no_error (error);
  return session;
}

/* Every permission but the one asked for is not enough, for each of them. */
static void
test_all_permissions_but_one (Fixture       *f,
                              gconstpointer  data)
{
  static const struct {
    DeskPermission permission;
    const char    *code;
  } permissions[] = {
    { DESK_PERMISSION_EDIT_USERS, "edit-users" },
    { DESK_PERMISSION_MANAGE_CLIENTS, "manage-clients" },
    { DESK_PERMISSION_MANAGE_LABS, "manage-labs" },
    { DESK_PERMISSION_VIEW_AUDIT, "view-audit" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (permissions); i++)
    {
      g_autoptr(DeskSession) session = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = NULL;

      /* Member 4 holds one role: every permission but this one. */
      sql = g_strdup_printf ("INSERT INTO roles (id, name) VALUES (%u, 'All but %s');"
                             "INSERT INTO role_permissions (role_id, permission)"
                             " SELECT %u, code FROM permissions WHERE code != '%s';"
                             "DELETE FROM member_roles WHERE member_id = 4;"
                             "INSERT INTO member_roles (member_id, role_id) VALUES (4, %u);",
                             100 + i, permissions[i].code, 100 + i, permissions[i].code, 100 + i);
      desk_test_exec (f->store, sql);
      session = sign_in_member (f->store, 4, "front desk 1");

      g_assert_false (desk_session_has_permission (session, permissions[i].permission));
      g_assert_false (desk_session_require (session, permissions[i].permission, &error));
      g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "permission"));
      g_clear_error (&error);
      for (guint j = 0; j < G_N_ELEMENTS (permissions); j++)
        if (j != i)
          {
            g_assert_true (desk_session_require (session, permissions[j].permission, &error));
            g_assert_no_error (error);
          }
      desk_session_sign_out (session);
    }
}

/* An account deactivated from another workstation: its open session may do
 * nothing more, not even with a confirmation in hand. */
static void
test_deactivated_elsewhere (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(DeskSession) session = sign_in_member (f->store, 4, "front desk 1");
  g_autoptr(GError) error = NULL;
  sqlite3 *other = NULL;

  g_assert_true (desk_session_reauthenticate (session, "front desk 1", &error));
  g_assert_no_error (error);
  g_assert_true (desk_session_require (session, DESK_PERMISSION_MANAGE_CLIENTS, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (desk_store_get_path (f->store), &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "UPDATE members SET status = 'deactivated',"
                                        " deactivated_at = 1793664000, deactivated_by = 1,"
                                        " deactivation_reason = 'Left' WHERE id = 4",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  g_assert_false (desk_session_require (session, DESK_PERMISSION_MANAGE_CLIENTS, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED);
  g_clear_error (&error);
  g_assert_false (desk_session_require_reauth (session, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED);
  desk_session_sign_out (session);
}

/* Session B accepted a token; session A, the same member, signs out and so
 * revokes it: B's sensitive changes are refused from that moment, not at
 * the end of the grace period.  The same when the token is revoked or
 * expires any other way. */
static void
test_require_reauth_revoked (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) a = NULL;
  g_autoptr(DeskSession) b = NULL;
  g_autofree char *token = NULL;
  sqlite3 *other = NULL;

  a = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  b = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);

  g_assert_true (desk_session_reauthenticate (a, DESK_DEMO_PASSWORD, &error));
  token = desk_session_issue_reauth_token (a, 600, &error);
  g_assert_no_error (error);
  g_assert_true (desk_session_require_reauth (a, NULL));
  g_assert_true (desk_session_check_reauth_token (b, token));
  g_assert_true (desk_session_require_reauth (b, NULL));
  g_assert_true (desk_session_require_reauth (b, NULL));

  desk_session_sign_out (a);
  g_assert_false (desk_session_require_reauth (b, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);

  /* A new token, revoked by another program (another workstation's
   * sign-out): refused at once in the session that issued it as well. */
  g_assert_true (desk_session_reauthenticate (b, DESK_DEMO_PASSWORD, &error));
  g_free (token);
  token = desk_session_issue_reauth_token (b, 600, &error);
  g_assert_no_error (error);
  g_assert_true (desk_session_require_reauth (b, NULL));
  g_assert_cmpint (sqlite3_open (desk_store_get_path (f->store), &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "UPDATE reauth_tokens SET revoked_at = 1793664000",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  g_assert_false (desk_session_require_reauth (b, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  desk_session_sign_out (b);
}

/* A member's token is worth nothing in another member's session. */
static void
test_reauth_other_member (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) admin = NULL;
  g_autoptr(DeskSession) front_desk = NULL;
  g_autofree char *token = NULL;

  admin = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (desk_session_reauthenticate (admin, DESK_DEMO_PASSWORD, &error));
  token = desk_session_issue_reauth_token (admin, 600, &error);
  g_assert_no_error (error);
  front_desk = sign_in_member (f->store, 4, "front desk 1");

  g_assert_false (desk_session_check_reauth_token (front_desk, token));
  g_assert_false (desk_session_require_reauth (front_desk, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_assert_true (desk_session_check_reauth_token (admin, token));
  desk_session_sign_out (front_desk);
  desk_session_sign_out (admin);
}

/* A grace period is 15 minutes at most (900 seconds): asking for more is a
 * programming error, and issues nothing. */
static void
test_reauth_grace_limit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) admin = NULL;
  g_autofree char *token = NULL;
  g_autofree char *refused = NULL;

  admin = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (desk_session_reauthenticate (admin, DESK_DEMO_PASSWORD, &error));
  token = desk_session_issue_reauth_token (admin, 900, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpint (desk_test_count (f->store, "SELECT max (expires_at - issued_at)"
                                              " FROM reauth_tokens"), ==, 900);

  g_test_expect_message ("desk-core", G_LOG_LEVEL_CRITICAL, "*grace_seconds*");
  refused = desk_session_issue_reauth_token (admin, 901, &error);
  g_test_assert_expected_messages ();
  g_assert_null (refused);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM reauth_tokens"), ==, 1);
  desk_session_sign_out (admin);
}

/* A password confirmation without a grace period stands for 120 seconds,
 * and for one sensitive change. */
static void
test_confirm_window (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DeskSession) admin = NULL;
  g_autoptr(GError) error = NULL;

  desk_store_set_now (f->store, DESK_TEST_NOW);
  admin = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);

  g_assert_true (desk_session_reauthenticate (admin, DESK_DEMO_PASSWORD, &error));
  desk_store_set_now (f->store, DESK_TEST_NOW + 120);
  g_assert_true (desk_session_require_reauth (admin, &error));
  g_assert_no_error (error);
  g_assert_false (desk_session_require_reauth (admin, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);

  g_assert_true (desk_session_reauthenticate (admin, DESK_DEMO_PASSWORD, &error));
  desk_store_set_now (f->store, DESK_TEST_NOW + 120 + 121);
  g_assert_false (desk_session_require_reauth (admin, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  desk_session_sign_out (admin);
}

static void
test_first_administrator (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  DeskNewMember admin = {
    "ada", "Ada", "Ouellet", "ada@clinic.example", "QC", DESK_MEMBER_KIND_EMPLOYEE,
  };
  const struct {
    DeskNewMember member;
    const char   *password;
    const char   *message;
  } bad[] = {
    { { "", "Ada", "Ouellet", "ada@clinic.example", NULL, 0 }, "long enough pass", "username" },
    { { "ada o", "Ada", "Ouellet", "ada@clinic.example", NULL, 0 }, "long enough pass", "without spaces" },
    { { "ada", " ", "Ouellet", "ada@clinic.example", NULL, 0 }, "long enough pass", "given name" },
    { { "ada", "Ada", "Ouellet", "ada.clinic.example", NULL, 0 }, "long enough pass", "e-mail" },
    { { "ada", "Ada", "Ouellet", "ada@", NULL, 0 }, "long enough pass", "e-mail" },
    { { "ada", "Ada", "Ouellet", "ada@clinic.example", "Quebec", 0 }, "long enough pass", "two letters" },
    { { "ada", "Ada", "Ouellet", "ada@clinic.example", NULL, 0 }, "short", "at least 10" },
  };
  gint64 id;

  store = desk_store_create (path, "New Clinic", &error);
  g_assert_no_error (error);
  desk_store_set_now (store, DESK_TEST_NOW);
  g_assert_false (desk_setup_has_active_members (store, &error));
  g_assert_no_error (error);

  /* Refused input changes nothing. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_cmpint (desk_setup_add_first_administrator (store, &bad[i].member, bad[i].password,
                                                           &error), ==, 0);
      g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].message));
      g_clear_error (&error);
    }
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM members"), ==, 0);
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM audit_log"
                                           " WHERE action LIKE 'member.%%'"), ==, 0);

  id = desk_setup_add_first_administrator (store, &admin, "correct horse battery", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (desk_setup_has_active_members (store, NULL));
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM audit_log"
                                           " WHERE action = 'member.create-first-administrator'"), ==, 1);

  /* Every permission, through the administrator role. */
  session = desk_session_sign_in (store, "ada", "correct horse battery", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (desk_session_get_permissions (session), ==,
                    DESK_PERMISSION_EDIT_USERS | DESK_PERMISSION_MANAGE_CLIENTS |
                    DESK_PERMISSION_MANAGE_LABS | DESK_PERMISSION_VIEW_AUDIT);
  desk_session_sign_out (session);

  /* Only ever the first. */
  admin.username = "bob";
  g_assert_cmpint (desk_setup_add_first_administrator (store, &admin, "correct horse battery",
                                                       &error), ==, 0);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_EXISTS);
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM members"), ==, 1);

  /* The chain still verifies. */
  g_clear_error (&error);
  g_assert_true (desk_audit_verify (store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Every action a member's session writes has words for the audit window,
 * and an action this version does not know has none (its code is shown). */
static void
test_action_labels (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "guess", NULL));
  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_false (desk_session_reauthenticate (session, "guess", NULL));
  g_assert_true (desk_session_reauthenticate (session, DESK_DEMO_PASSWORD, &error));
  token = desk_session_issue_reauth_token (session, 300, &error);
  g_assert_nonnull (token);
  g_assert_true (desk_audit_export (session, DESK_AUDIT_FORMAT_CSV, out, NULL, &error));
  g_assert_no_error (error);
  desk_session_sign_out (session);

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (f->store),
                                       "SELECT DISTINCT action FROM audit_log", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *action = (const char *) sqlite3_column_text (stmt, 0);

      g_test_message ("%s: %s", action, desk_audit_action_label (action));
      g_assert_nonnull (desk_audit_action_label (action));
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, >=, 9);

  g_assert_null (desk_audit_action_label ("member.something-new"));
  g_assert_null (desk_audit_action_label (""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, desk_test_clinic_set_up, func, desk_test_clinic_tear_down)

  ADD ("/session/right-password", test_right_password);
  ADD ("/session/wrong-password", test_wrong_password);
  ADD ("/session/deactivated", test_deactivated);
  ADD ("/session/rate-limit", test_rate_limit);
  ADD ("/session/permissions", test_permissions);
  ADD ("/session/rehash", test_rehash);
  ADD ("/session/reauth", test_reauth);
  ADD ("/session/reauth-other-clinic", test_reauth_other_clinic);
  ADD ("/session/sign-in-async", test_sign_in_async);
  ADD ("/session/require-reauth", test_require_reauth);
  ADD ("/session/action-labels", test_action_labels);
  ADD ("/session/all-permissions-but-one", test_all_permissions_but_one);
  ADD ("/session/deactivated-elsewhere", test_deactivated_elsewhere);
  ADD ("/session/require-reauth-revoked", test_require_reauth_revoked);
  ADD ("/session/reauth-other-member", test_reauth_other_member);
  ADD ("/session/reauth-grace-limit", test_reauth_grace_limit);
  ADD ("/session/confirm-window", test_confirm_window);
  g_test_add_func ("/setup/first-administrator", test_first_administrator);

  return g_test_run ();
}
