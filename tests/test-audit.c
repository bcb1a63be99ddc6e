/* test-audit.c: the audit log's chain, its verification and its export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-session.h"
#include "desk-member.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

static void
exec (DeskStore  *store,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_desk_store_exec (_desk_store_get_db (store), sql, &error));
  g_assert_no_error (error);
}

/* Appends @n entries in one transaction, as a change would. */
static void
append_entries (DeskStore *store,
                guint      n)
{
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  exec (store, "BEGIN IMMEDIATE");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *reason = g_strdup_printf ("Reason %u, with \"quotes\"\nand a line", i);

      g_assert_true (_desk_audit_append (db, DESK_TEST_NOW + i, 1, "client.discharge", "client",
                                         10 + i, reason, "{\"status\":\"inactive\"}", &error));
      g_assert_no_error (error);
    }
  exec (store, "COMMIT");
}

static DeskStore *
new_clinic (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);

  return desk_test_demo_store (path, 20, 1);
}

static void
assert_intact (DeskStore *store,
               guint64    expected)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gint64 broken = -1;

  g_assert_true (desk_audit_verify (store, &n, &broken, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expected);
  g_assert_cmpint (broken, ==, 0);
}

static void
assert_broken_at (DeskStore *store,
                  gint64     expected)
{
  g_autoptr(GError) error = NULL;
  gint64 broken = 0;

  g_assert_false (desk_audit_verify (store, NULL, &broken, NULL, &error));
  g_assert_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_BROKEN);
  g_assert_cmpint (broken, ==, expected);
  g_assert_nonnull (strstr (error->message, "tampered"));
}

static void
test_chain (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);

  /* Creating the clinic and filling it with demo data are the first two. */
  assert_intact (store, 2);
  append_entries (store, 5);
  assert_intact (store, 7);
}

static void
test_rollback_leaves_nothing (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  /* A change that fails after its entry was written: both go. */
  exec (store, "BEGIN IMMEDIATE");
  g_assert_true (_desk_audit_append (db, DESK_TEST_NOW, 1, "member.deactivate", "member", 2, "",
                                     NULL, &error));
  g_assert_false (_desk_store_exec (db, "DELETE FROM members WHERE id = 2", &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
  exec (store, "ROLLBACK");
  assert_intact (store, 2);
}

static void
test_append_outside_transaction (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
      g_autoptr(DeskStore) store = new_clinic (dir);

      /* A programming error: refused, and nothing written. */
      g_assert_false (_desk_audit_append (_desk_store_get_db (store), 1, 0, "x", "clinic", 0,
                                          NULL, NULL, NULL));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*sqlite3_get_autocommit*");
}

/* Going around the triggers, as someone with the file in hand could. */
static void
test_tampering (void)
{
  struct {
    const char *what;
    const char *sql;
    gint64      broken;
  } cases[] = {
    { "an edited reason", "UPDATE audit_log SET reason = 'nothing to see' WHERE id = 4", 4 },
    { "an edited actor", "UPDATE audit_log SET actor_member_id = 2 WHERE id = 3", 3 },
    { "a removed entry", "DELETE FROM audit_log WHERE id = 5", 6 },
    { "a forged entry", "INSERT INTO audit_log (id, at, action, target_kind, reason, details,"
                        " prev_hash, hash) SELECT 8, 1, 'x', 'clinic', '', '{}', hash, 'f00d'"
                        " FROM audit_log WHERE id = 7", 8 },
    { "a rehashed edit", "UPDATE audit_log SET reason = 'x', hash = prev_hash WHERE id = 2", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
      g_autoptr(DeskStore) store = new_clinic (dir);

      g_test_message ("%s", cases[i].what);
      append_entries (store, 5);
      exec (store, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
      exec (store, cases[i].sql);
      assert_broken_at (store, cases[i].broken);
    }
}

/* Entries copied into another clinic do not verify there. */
static void
test_other_clinic (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);

  exec (store, "UPDATE clinic SET uuid = 'e6a3c1d0-0000-4000-8000-000000000000'");
  assert_broken_at (store, 1);
}

static char *
export (DeskStore       *store,
        DeskAuditFormat  format)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = desk_session_sign_in (store, DESK_DEMO_USERNAME,
                                                         DESK_DEMO_PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_true (desk_audit_export (session, format, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_export (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  append_entries (store, 2);
  /* A reason a spreadsheet would run as a formula. */
  exec (store, "BEGIN IMMEDIATE");
  g_assert_true (_desk_audit_append (db, DESK_TEST_NOW, 0, "x", "clinic", 0,
                                     "=HYPERLINK(\"http://x\")", NULL, &error));
  exec (store, "COMMIT");

  csv = export (store, DESK_AUDIT_FORMAT_CSV);
  g_assert_true (g_str_has_prefix (csv, "id,at,actor,action,target_kind,target_id,reason,"
                                        "details,hash\r\n"));
  /* The demo administrator, quotes doubled, the new line kept inside quotes. */
  g_assert_nonnull (strstr (csv, "3,2026-11-03T00:00:00Z,admin,client.discharge,client,10,"
                                 "\"Reason 0, with \"\"quotes\"\"\nand a line\","
                                 "\"{\"\"status\"\":\"\"inactive\"\"}\","));
  g_assert_nonnull (strstr (csv, ",\"'=HYPERLINK(\"\"http://x\"\")\","));
  /* Empty fields stay empty: no actor (the system), no reason. */
  g_assert_nonnull (strstr (csv, "Z,,clinic.create,clinic,1,,\"{"));
  lines = g_strsplit (csv, "\r\n", -1);
  /* Header; 5 entries, the sign-in and the export itself; and the empty
   * rest after the last line end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 9);
  g_assert_true (g_str_has_prefix (lines[7], "7,"));
  g_assert_nonnull (strstr (lines[7], ",admin,audit.export,clinic,1,"));

  json = export (store, DESK_AUDIT_FORMAT_JSON);
  g_assert_true (g_str_has_prefix (json, "[{\"id\":1,"));
  g_assert_nonnull (strstr (json, "\"reason\":\"Reason 1, with \\\"quotes\\\"\\nand a line\""));
  g_assert_nonnull (strstr (json, "\"actor\":null"));
  g_assert_true (g_str_has_suffix (json, "}]\n"));
}

/* Only members who may view the log export it, whatever calls this. */
static void
test_export_refused (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash ("billing 2", &error);
  g_autofree char *sql = NULL;
  g_autofree char *username = NULL;
  guint64 n = 0;

  /* Member 5 is the demo's billing clerk: no permissions at all. */
  sql = g_strdup_printf ("UPDATE members SET password_hash = '%s', status = 'active',"
                         " deactivated_at = NULL WHERE id = 5", hash);
  exec (store, sql);
  {
    g_autoptr(DeskMember) clerk = desk_store_get_member (store, 5, &error);

    g_assert_no_error (error);
    username = g_strdup (desk_member_get_username (clerk));
  }
  session = desk_session_sign_in (store, username, "billing 2", &error);
  g_assert_no_error (error);

  g_assert_false (desk_audit_export (session, DESK_AUDIT_FORMAT_CSV, out, NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
  /* Nothing recorded for a refused export: creation, demo data, the sign-in. */
  g_clear_error (&error);
  g_assert_true (desk_audit_verify (store, &n, NULL, NULL, &error));
  g_assert_cmpuint (n, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit/chain", test_chain);
  g_test_add_func ("/audit/rollback-leaves-nothing", test_rollback_leaves_nothing);
  g_test_add_func ("/audit/append-outside-transaction", test_append_outside_transaction);
  g_test_add_func ("/audit/tampering", test_tampering);
  g_test_add_func ("/audit/other-clinic", test_other_clinic);
  g_test_add_func ("/audit/export", test_export);
  g_test_add_func ("/audit/export-refused", test_export_refused);

  return g_test_run ();
}
