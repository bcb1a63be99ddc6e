/* test-change.c: the one change path (desk-change.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "desk-change-private.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

typedef struct
{
  DeskTestDir *dir;
  char        *path;
  DeskStore   *store;
  DeskSession *session;       /* the demo administrator: every permission */
  GPtrArray   *emitted;       /* DeskChanges */
} Fixture;

/* What a test change does: set client 1's phone, then audit, then fail
 * where asked. */
typedef struct
{
  const char *phone;
  gboolean    audit;
  gboolean    fail_after;     /* fail once everything is written */
  guint       calls;
} PhoneChange;

static void
exec (sqlite3    *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_desk_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static void
changed_cb (DeskStore   *store,
            DeskChanges *changes,
            Fixture     *f)
{
  g_ptr_array_add (f->emitted, desk_changes_ref (changes));
}

static DeskSession *
sign_in (DeskStore  *store,
         const char *username,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  DeskSession *session = desk_session_sign_in (store, username, password, &error);

  g_assert_no_error (error);
  return session;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 20, 8);
  f->session = sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
  f->emitted = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_changes_unref);
  g_signal_connect (f->store, "changed", G_CALLBACK (changed_cb), f);
  /* The connection's first look at data_version. */
  desk_store_poll_external_changes (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->store, f);
  g_ptr_array_unref (f->emitted);
  /* A GTask lets go of its source object on the worker, just after the
   * callback ran here. */
  for (guint i = 0; i < 2000 && G_OBJECT (f->session)->ref_count > 1; i++)
    g_usleep (1000);
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->store);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

static gboolean
set_phone (DeskChange  *change,
           gpointer     user_data,
           GError     **error)
{
  PhoneChange *phone = user_data;
  sqlite3_stmt *stmt;

  phone->calls++;
  stmt = _desk_change_prepare (change, "UPDATE clients SET phone = ? WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, phone->phone, -1, SQLITE_STATIC);
  if (!_desk_change_step (change, stmt, "changing a phone number", error))
    return FALSE;
  if (phone->audit &&
      !desk_change_audit (change, "client.edit", DESK_RECORD_CLIENT, 1, "A test",
                          "{\"field\":\"phone\"}", error))
    return FALSE;
  if (phone->fail_after)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Failed on purpose");
      return FALSE;
    }
  return TRUE;
}

static char *
client_phone (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;
  char *phone;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (f->store),
                                       "SELECT phone FROM clients WHERE id = 1", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  phone = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return phone;
}

static gint64
n_entries (Fixture *f)
{
  return desk_test_count (f->store, "SELECT count(*) FROM audit_log");
}

/* A member (id 2) holding every permission but @missing, signed in. */
static DeskSession *
sign_in_without (Fixture        *f,
                 DeskPermission  missing)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash ("all but one", &error);
  g_autofree char *sql = NULL;
  g_autoptr(DeskMember) member = NULL;
  sqlite3 *db = _desk_store_get_db (f->store);

  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO roles (id, name) VALUES (900, 'All but %s');"
                         "INSERT INTO role_permissions (role_id, permission)"
                         "  SELECT 900, code FROM permissions WHERE code != '%s';"
                         "DELETE FROM member_roles WHERE member_id = 2;"
                         "INSERT INTO member_roles (member_id, role_id) VALUES (2, 900);"
                         "UPDATE members SET password_hash = '%s', status = 'active',"
                         "  deactivated_at = NULL, deactivated_by = NULL WHERE id = 2;",
                         desk_permission_to_string (missing),
                         desk_permission_to_string (missing), hash);
  exec (db, sql);
  member = desk_member_load (f->store, 2, &error);
  g_assert_no_error (error);
  return sign_in (f->store, desk_member_get_username (member), "all but one");
}

static void
test_commits (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = NULL;
  PhoneChange change = { "555-0100", TRUE, FALSE, 0 };
  gint64 before = n_entries (f);
  DeskChanges *changes;

  g_assert_true (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone,
                                  &change, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (change.calls, ==, 1);
  phone = client_phone (f);
  g_assert_cmpstr (phone, ==, "555-0100");

  /* One entry, as the member, for the client, with the reason and details. */
  g_assert_cmpint (n_entries (f), ==, before + 1);
  g_assert_cmpint (desk_test_count (f->store,
                                    "SELECT count(*) FROM audit_log WHERE id = %" G_GINT64_FORMAT
                                    " AND action = 'client.edit' AND target_kind = 'client'"
                                    " AND target_id = 1 AND reason = 'A test'"
                                    " AND actor_member_id = %" G_GINT64_FORMAT
                                    " AND details = '{\"field\":\"phone\"}'",
                                    before + 1,
                                    desk_member_get_id (desk_session_get_member (f->session))),
                   ==, 1);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log WHERE id = %"
                                    G_GINT64_FORMAT " AND at = %" G_GINT64_FORMAT,
                                    before + 1, DESK_TEST_NOW), ==, 1);

  /* Announced once, after the commit: the client and the log. */
  g_assert_cmpuint (f->emitted->len, ==, 1);
  changes = g_ptr_array_index (f->emitted, 0);
  g_assert_false (desk_changes_get_external (changes));
  g_assert_true (desk_changes_contains (changes, DESK_RECORD_CLIENT, 1));
  g_assert_false (desk_changes_contains (changes, DESK_RECORD_CLIENT, 2));
  g_assert_true ((desk_changes_get_kinds (changes) & DESK_RECORD_AUDIT) != 0);
  g_assert_false ((desk_changes_get_kinds (changes) & DESK_RECORD_MEMBER) != 0);

  /* Our own commit is not mistaken for another program's. */
  g_assert_false (desk_store_poll_external_changes (f->store));
}

/* Refused before anything is written: the function is not even called. */
static void
test_refused_permission (Fixture       *f,
                         gconstpointer  data)
{
  DeskPermission permissions[] = {
    DESK_PERMISSION_EDIT_USERS, DESK_PERMISSION_MANAGE_CLIENTS,
    DESK_PERMISSION_MANAGE_LABS, DESK_PERMISSION_VIEW_AUDIT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (permissions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskSession) session = NULL;
      g_autofree char *phone = NULL;
      g_autofree char *cleanup = NULL;
      PhoneChange change = { "555-0199", TRUE, FALSE, 0 };
      gint64 before;

      session = sign_in_without (f, permissions[i]);
      before = n_entries (f);
      g_ptr_array_set_size (f->emitted, 0);
      g_assert_false (desk_change_run (session, permissions[i], 0, set_phone, &change, &error));
      g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
      g_assert_cmpuint (change.calls, ==, 0);
      g_assert_cmpint (n_entries (f), ==, before);
      g_assert_cmpuint (f->emitted->len, ==, 0);
      phone = client_phone (f);
      g_assert_cmpstr (phone, !=, "555-0199");

      /* Every other permission is enough for changes that need it. */
      for (guint j = 0; j < G_N_ELEMENTS (permissions); j++)
        {
          PhoneChange other = { "555-0142", TRUE, FALSE, 0 };

          if (j == i)
            continue;
          g_assert_true (desk_change_run (session, permissions[j], 0, set_phone, &other, NULL));
        }

      desk_session_sign_out (session);
      cleanup = g_strdup ("DELETE FROM member_roles WHERE role_id = 900;"
                          "DELETE FROM role_permissions WHERE role_id = 900;"
                          "DELETE FROM roles WHERE id = 900;");
      exec (_desk_store_get_db (f->store), cleanup);
    }
}

/* Taken away on another workstation after sign-in: refused at the next change. */
static void
test_refused_in_transaction (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) deactivated = NULL;
  g_autoptr(DeskSession) session = sign_in_without (f, DESK_PERMISSION_VIEW_AUDIT);
  PhoneChange change = { "555-0123", TRUE, FALSE, 0 };
  sqlite3 *other = _desk_db_open (f->path, SQLITE_OPEN_READWRITE, NULL);
  gint64 before;
  g_autofree char *phone = NULL;

  g_assert_nonnull (other);
  exec (other, "DELETE FROM role_permissions WHERE role_id = 900 AND permission = 'manage-clients'");
  before = n_entries (f);
  g_assert_false (desk_change_run (session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone, &change,
                                   &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (change.calls, ==, 0);
  g_assert_cmpint (n_entries (f), ==, before);

  exec (other, "UPDATE members SET status = 'deactivated', deactivated_at = 1 WHERE id = 2");
  g_assert_false (desk_change_run (session, DESK_PERMISSION_EDIT_USERS, 0, set_phone, &change,
                                   &deactivated));
  g_assert_error (deactivated, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED);
  g_assert_cmpuint (change.calls, ==, 0);
  g_assert_cmpint (n_entries (f), ==, before);
  phone = client_phone (f);
  g_assert_cmpstr (phone, !=, "555-0123");
  sqlite3_close (other);
}

/* A change that fails after writing leaves no row and no entry. */
static void
test_fails_halfway (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) audit_error = NULL;
  g_autofree char *original = client_phone (f);
  g_autofree char *phone = NULL;
  g_autofree char *phone2 = NULL;
  PhoneChange change = { "555-0111", TRUE, TRUE, 0 };
  PhoneChange audited = { "555-0112", TRUE, FALSE, 0 };
  gint64 before = n_entries (f);

  g_assert_false (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone,
                                   &change, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  phone = client_phone (f);
  g_assert_cmpstr (phone, ==, original);
  g_assert_cmpint (n_entries (f), ==, before);
  g_assert_cmpuint (f->emitted->len, ==, 0);

  /* The audit append itself fails: the change goes with it. */
  exec (_desk_store_get_db (f->store),
        "CREATE TEMP TRIGGER refuse_entries BEFORE INSERT ON audit_log"
        " BEGIN SELECT RAISE (ABORT, 'no entries today'); END");
  g_assert_false (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone,
                                   &audited, &audit_error));
  g_assert_nonnull (audit_error);
  exec (_desk_store_get_db (f->store), "DROP TRIGGER temp.refuse_entries");
  phone2 = client_phone (f);
  g_assert_cmpstr (phone2, ==, original);
  g_assert_cmpint (n_entries (f), ==, before);
  g_assert_cmpuint (f->emitted->len, ==, 0);
  g_assert_true (sqlite3_get_autocommit (_desk_store_get_db (f->store)));
}

/* No change without its entry. */
static void
test_unaudited_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *original = client_phone (f);
  g_autofree char *phone = NULL;
  PhoneChange change = { "555-0113", FALSE, FALSE, 0 };
  gint64 before = n_entries (f);

  g_test_expect_message ("desk-core", G_LOG_LEVEL_CRITICAL, "*wrote no audit entry*");
  g_assert_false (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone,
                                   &change, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED);
  phone = client_phone (f);
  g_assert_cmpstr (phone, ==, original);
  g_assert_cmpint (n_entries (f), ==, before);
}

/* Another program holds the write lock: refused after the busy timeout,
 * with the product's words, nothing written. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PhoneChange change = { "555-0114", TRUE, FALSE, 0 };
  sqlite3 *other = _desk_db_open (f->path, SQLITE_OPEN_READWRITE, NULL);
  gint64 before = n_entries (f);

  exec (other, "BEGIN IMMEDIATE");
  g_assert_false (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone,
                                   &change, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "another program"));
  g_assert_cmpuint (change.calls, ==, 0);
  exec (other, "ROLLBACK");
  sqlite3_close (other);
  g_assert_cmpint (n_entries (f), ==, before);
  g_assert_true (sqlite3_get_autocommit (_desk_store_get_db (f->store)));
}

static void
test_sensitive (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  PhoneChange change = { "555-0115", TRUE, FALSE, 0 };
  gint64 before = n_entries (f);

  g_assert_false (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS,
                                   DESK_CHANGE_SENSITIVE, set_phone, &change, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_assert_cmpuint (change.calls, ==, 0);
  g_assert_cmpint (n_entries (f), ==, before);

  g_assert_true (desk_session_reauthenticate (f->session, DESK_DEMO_PASSWORD, NULL));
  before = n_entries (f);
  g_assert_true (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS,
                                  DESK_CHANGE_SENSITIVE, set_phone, &change, NULL));
  g_assert_cmpint (n_entries (f), ==, before + 1);
  /* One confirmation, one sensitive change. */
  g_assert_false (desk_change_run (f->session, DESK_PERMISSION_MANAGE_CLIENTS,
                                   DESK_CHANGE_SENSITIVE, set_phone, &change, &again));
  g_assert_error (again, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
}

static void
test_signed_out (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PhoneChange change = { "555-0116", TRUE, FALSE, 0 };
  gint64 before;

  desk_session_sign_out (f->session);
  before = n_entries (f);
  g_assert_false (desk_change_run (f->session, 0, 0, set_phone, &change, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
  g_assert_cmpuint (change.calls, ==, 0);
  g_assert_cmpint (n_entries (f), ==, before);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = NULL;
  PhoneChange change = { "555-0117", TRUE, FALSE, 0 };
  PhoneChange failing = { "555-0118", TRUE, TRUE, 0 };
  gint64 before = n_entries (f);

  desk_change_run_async (f->session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone, &change, NULL,
                         NULL, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (desk_change_run_finish (f->session, result, &error));
  g_assert_no_error (error);
  phone = client_phone (f);
  g_assert_cmpstr (phone, ==, "555-0117");
  g_assert_cmpint (n_entries (f), ==, before + 1);
  g_assert_cmpuint (f->emitted->len, ==, 1);
  g_assert_true (desk_changes_contains (g_ptr_array_index (f->emitted, 0),
                                        DESK_RECORD_CLIENT, 1));

  desk_change_run_async (f->session, DESK_PERMISSION_MANAGE_CLIENTS, 0, set_phone, &failing,
                         NULL, NULL, desk_test_async_result_cb, &refused);
  while (refused == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (desk_change_run_finish (f->session, refused, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_pointer (&phone, g_free);
  phone = client_phone (f);
  g_assert_cmpstr (phone, ==, "555-0117");
  g_assert_cmpint (n_entries (f), ==, before + 1);
  g_assert_cmpuint (f->emitted->len, ==, 1);
}

/* Another program's commit is noticed by data_version. */
static void
test_external (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  DeskChanges *changes;

  g_assert_false (desk_store_poll_external_changes (f->store));
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error, "sqlite3", f->path,
                            "UPDATE clients SET phone = '555-0177' WHERE id = 3", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (child, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (desk_store_poll_external_changes (f->store));
  g_assert_cmpuint (f->emitted->len, ==, 1);
  changes = g_ptr_array_index (f->emitted, 0);
  g_assert_true (desk_changes_get_external (changes));
  g_assert_true (desk_changes_contains (changes, DESK_RECORD_CLIENT, 3));
  g_assert_true (desk_changes_contains (changes, DESK_RECORD_MEMBER, 1));
  /* Once. */
  g_assert_false (desk_store_poll_external_changes (f->store));
}

static void
test_changes_set (void)
{
  g_autoptr(DeskChanges) changes = desk_changes_new ();
  g_autoptr(DeskChanges) other = desk_changes_new ();
  const gint64 *ids;
  guint n = 0;

  g_assert_true (desk_changes_is_empty (changes));
  desk_changes_add (changes, DESK_RECORD_CLIENT, 9);
  desk_changes_add (changes, DESK_RECORD_CLIENT, 3);
  desk_changes_add (changes, DESK_RECORD_CLIENT, 9);
  desk_changes_add (other, DESK_RECORD_MEMBER, 4);
  desk_changes_add (other, DESK_RECORD_CLIENT, 5);
  desk_changes_merge (changes, other);
  ids = desk_changes_get_ids (changes, DESK_RECORD_CLIENT, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (ids[0], ==, 3);
  g_assert_cmpint (ids[1], ==, 5);
  g_assert_cmpint (ids[2], ==, 9);
  g_assert_true (desk_changes_contains (changes, DESK_RECORD_MEMBER, 4));
  g_assert_false (desk_changes_contains (changes, DESK_RECORD_MEMBER, 5));
  g_assert_false (desk_changes_contains (changes, DESK_RECORD_AUDIT, 1));
  g_assert_null (desk_changes_get_ids (changes, DESK_RECORD_AUDIT, &n));
  g_assert_cmpuint (n, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/change/commits", test_commits);
  ADD ("/change/refused/permission", test_refused_permission);
  ADD ("/change/refused/in-transaction", test_refused_in_transaction);
  ADD ("/change/refused/sensitive", test_sensitive);
  ADD ("/change/refused/signed-out", test_signed_out);
  ADD ("/change/refused/locked", test_locked);
  ADD ("/change/fails-halfway", test_fails_halfway);
  ADD ("/change/unaudited", test_unaudited_refused);
  ADD ("/change/async", test_async);
  ADD ("/change/external", test_external);
#undef ADD
  g_test_add_func ("/change/changes-set", test_changes_set);

  return g_test_run ();
}
