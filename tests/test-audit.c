/* test-audit.c: the audit log's chain, its verification and its export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "desk-time.h"
#include "desk-audit-private.h"
#include "desk-client.h"
#include "desk-session.h"
#include "desk-member.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

static void
behind_triggers (DeskStore  *store,
                 const char *sql)
{
  desk_test_exec_behind_triggers (_desk_store_get_db (store), "audit_log", sql);
}

/* Appends @n entries in one transaction, as a change would. */
static void
append_entries (DeskStore *store,
                guint      n)
{
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  desk_test_exec (store, "BEGIN IMMEDIATE");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *reason = g_strdup_printf ("Reason %u, with \"quotes\"\nand a line", i);

      g_assert_true (_desk_audit_append (db, DESK_TEST_NOW + i, 1, "client.discharge", "client",
                                         10 + i, reason, "{\"status\":\"inactive\"}", &error));
      g_assert_no_error (error);
    }
  desk_test_exec (store, "COMMIT");
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

static char *
verified_receipt (DeskStore  *store,
                  const char *receipt,
                  guint64     expected)
{
  g_autoptr(GError) error = NULL;
  char *next = NULL;
  guint64 n = 0;

  g_assert_true (desk_audit_verify_receipt (store, receipt, &n, &next, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expected);
  g_assert_nonnull (next);
  return next;
}

/* A receipt finds what the chain alone cannot: entries cut off the end, and
 * a chain computed anew after an edit. */
static void
test_receipt (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskTestDir) other_dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskStore) other = new_clinic (other_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *early = NULL;
  const char *invalid[] = {
    "", "7", "7:", "abc", "7:xyz",
    "7:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
    "-1:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
    "7:abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678",
  };
  gint64 broken = 0;

  early = verified_receipt (store, NULL, 2);
  append_entries (store, 5);
  first = verified_receipt (store, NULL, 7);
  g_assert_true (g_str_has_prefix (first, "7:"));
  g_assert_cmpuint (strlen (first), ==, 2 + 64);

  /* Entries added since: the old receipt still holds. */
  append_entries (store, 3);
  second = verified_receipt (store, first, 10);
  g_assert_true (g_str_has_prefix (second, "10:"));
  g_clear_pointer (&second, g_free);
  second = verified_receipt (store, NULL, 10);

  /* Not receipts: a usage mistake, told as such. */
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (desk_audit_verify_receipt (store, invalid[i], NULL, NULL, NULL, NULL,
                                                 &error));
      g_assert_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_INVALID_RECEIPT);
      g_clear_error (&error);
    }

  /* Another clinic's receipt does not match this log. */
  foreign = verified_receipt (other, NULL, 2);
  g_assert_false (desk_audit_verify_receipt (store, foreign, NULL, NULL, &broken, NULL, &error));
  g_assert_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_BROKEN);
  g_assert_cmpint (broken, ==, 2);
  g_clear_error (&error);

  /* The last two entries cut off behind the triggers' back: the chain
   * alone still holds, the receipt does not. */
  behind_triggers (store, "DELETE FROM audit_log WHERE id > 8");
  g_free (verified_receipt (store, NULL, 8));
  g_assert_false (desk_audit_verify_receipt (store, second, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_CUT_SHORT);
  g_assert_nonnull (strstr (error->message, "ends at entry 8"));
  g_assert_nonnull (strstr (error->message, "up to 10"));
  g_clear_error (&error);

  /* Everything from entry 4 on replaced by a chain computed anew: whole by
   * itself, but entry 7 is not the one the first receipt saw. */
  behind_triggers (store, "DELETE FROM audit_log WHERE id >= 4");
  append_entries (store, 5);
  g_free (verified_receipt (store, NULL, 8));
  g_assert_false (desk_audit_verify_receipt (store, first, NULL, NULL, &broken, NULL, &error));
  g_assert_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_BROKEN);
  g_assert_cmpint (broken, ==, 7);
  g_clear_error (&error);

  /* A receipt of the first two entries still holds: they were not touched. */
  g_free (verified_receipt (store, early, 8));
}

/* A receipt's check saw entry 5; only entry 5 is cut off since. */
static void
test_receipt_one_cut (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *receipt = NULL;

  append_entries (store, 3);
  receipt = verified_receipt (store, NULL, 5);
  g_assert_true (g_str_has_prefix (receipt, "5:"));

  behind_triggers (store, "DELETE FROM audit_log WHERE id = 5");
  assert_intact (store, 4);
  g_assert_false (desk_audit_verify_receipt (store, receipt, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_CUT_SHORT);
  g_assert_nonnull (strstr (error->message, "ends at entry 4"));
  g_assert_nonnull (strstr (error->message, "up to 5"));
}

/* Entries 4 to 6 removed, and an entry appended after entry 3 numbered 5:
 * it names entry 3's hash and its own hash is right, so only the numbers
 * show the gap. */
static void
test_gap (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);

  append_entries (store, 4);
  assert_intact (store, 6);

  /* Entry 3 moved to 4 for a moment, so that the next append is 5. */
  behind_triggers (store, "DELETE FROM audit_log WHERE id >= 4;"
                          "UPDATE audit_log SET id = 4 WHERE id = 3");
  append_entries (store, 1);
  behind_triggers (store, "UPDATE audit_log SET id = 3 WHERE id = 4");
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM audit_log"), ==, 4);
  g_assert_cmpint (desk_test_count (store, "SELECT max (id) FROM audit_log"), ==, 5);
  assert_broken_at (store, 5);
}

static void
test_rollback_leaves_nothing (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  /* A change that fails after its entry was written: both go. */
  desk_test_exec (store, "BEGIN IMMEDIATE");
  g_assert_true (_desk_audit_append (db, DESK_TEST_NOW, 1, "member.deactivate", "member", 2, "",
                                     NULL, &error));
  g_assert_false (_desk_db_exec (db, "DELETE FROM members WHERE id = 2", &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
  desk_test_exec (store, "ROLLBACK");
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
      behind_triggers (store, cases[i].sql);
      assert_broken_at (store, cases[i].broken);
    }
}

/* Entries copied into another clinic do not verify there. */
static void
test_other_clinic (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);

  desk_test_exec (store, "UPDATE clinic SET uuid = 'e6a3c1d0-0000-4000-8000-000000000000'");
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
  desk_test_exec (store, "BEGIN IMMEDIATE");
  g_assert_true (_desk_audit_append (db, DESK_TEST_NOW, 0, "x", "clinic", 0,
                                     "=HYPERLINK(\"http://x\")", NULL, &error));
  desk_test_exec (store, "COMMIT");

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
  desk_test_exec (store, sql);
  {
    g_autoptr(DeskMember) clerk = desk_member_load (store, 5, &error);

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

/* The list and the filtered export */

/* Adds entries of several actions, members and clients, with times that do
 * not follow the entry numbers: ties across page boundaries, older entries
 * written later, entries spread over days. */
static void
append_varied_entries (DeskStore *store)
{
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  desk_test_exec (store, "BEGIN IMMEDIATE");
  /* 150 at the same second, over the first page boundaries. */
  for (guint i = 0; i < 150; i++)
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW, 1, "client.discharge", "client",
                                       1 + i % 20, "moved away", NULL, &error));
  /* Newer, by another member. */
  for (guint i = 0; i < 100; i++)
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW + 1000 + i, 2, "member.deactivate",
                                       "member", 1 + i % 12, "", NULL, &error));
  /* Older, written after: a tenth of a day apart, over six days. */
  for (guint i = 0; i < 60; i++)
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW - 5000 - (gint64) i * 8640, 3,
                                       "client.portal-disable", "client", 1 + i % 5, "", NULL,
                                       &error));
  for (guint i = 0; i < 7; i++)
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW + 50 + i, 1, "member.reactivate",
                                       "member", 2, "back", NULL, &error));
  /* An action that shares the start of "member." but not the dot. */
  g_assert_true (_desk_audit_append (db, DESK_TEST_NOW + 60, 1, "members", "clinic", 1, "",
                                     NULL, &error));
  g_assert_no_error (error);
  desk_test_exec (store, "COMMIT");
}

static DeskSession *
sign_in_admin (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  DeskSession *session = desk_session_sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD,
                                               &error);

  g_assert_no_error (error);
  return session;
}

/* Member 5, the demo's billing clerk, has no permissions at all. */
static DeskSession *
sign_in_clerk (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash ("billing 2", &error);
  g_autofree char *sql = NULL;
  g_autoptr(DeskMember) clerk = NULL;
  DeskSession *session;

  sql = g_strdup_printf ("UPDATE members SET password_hash = '%s', status = 'active',"
                         " deactivated_at = NULL WHERE id = 5", hash);
  desk_test_exec (store, sql);
  clerk = desk_member_load (store, 5, &error);
  g_assert_no_error (error);
  session = desk_session_sign_in (store, desk_member_get_username (clerk), "billing 2", &error);
  g_assert_no_error (error);
  g_assert_false (desk_session_has_permission (session, DESK_PERMISSION_VIEW_AUDIT));
  return session;
}

/* What a filter must match, worked out the plain way: every entry, tested
 * one by one, newest first. */
static GArray *
expected_ids (DeskStore             *store,
              const DeskAuditFilter *filter)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                                       "SELECT id, at, coalesce (actor_member_id, 0), action,"
                                       " target_kind, coalesce (target_id, 0) FROM audit_log"
                                       " ORDER BY at DESC, id DESC", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 at = sqlite3_column_int64 (stmt, 1);
      const char *action = (const char *) sqlite3_column_text (stmt, 3);
      const char *kind = (const char *) sqlite3_column_text (stmt, 4);

      if (filter->actor_id > 0 && sqlite3_column_int64 (stmt, 2) != filter->actor_id)
        continue;
      if (filter->client_id > 0 &&
          (g_strcmp0 (kind, "client") != 0 || sqlite3_column_int64 (stmt, 5) != filter->client_id))
        continue;
      if (filter->action != NULL && g_str_has_suffix (filter->action, ".") &&
          !g_str_has_prefix (action, filter->action))
        continue;
      if (filter->action != NULL && !g_str_has_suffix (filter->action, ".") &&
          g_strcmp0 (action, filter->action) != 0)
        continue;
      if (filter->since != 0 && at < filter->since)
        continue;
      if (filter->until != 0 && at >= filter->until)
        continue;
      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  return ids;
}

static void
assert_list_matches (DeskAuditList         *list,
                     DeskStore             *store,
                     const DeskAuditFilter *filter)
{
  g_autoptr(GArray) expected = expected_ids (store, filter);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  gint64 previous_at = G_MAXINT64, previous_id = G_MAXINT64;

  g_assert_cmpuint (n, ==, expected->len);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeskAuditEntry) entry = g_list_model_get_item (G_LIST_MODEL (list), i);
      gint64 at, id;

      g_assert_nonnull (entry);
      at = desk_audit_entry_get_time (entry);
      id = desk_audit_entry_get_id (entry);
      g_assert_cmpint (id, ==, g_array_index (expected, gint64, i));
      /* Newest first, the entry number breaking ties. */
      g_assert_true (at < previous_at || (at == previous_at && id < previous_id));
      previous_at = at;
      previous_id = id;
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));
}

static DeskAuditList *
load_list (DeskSession           *session,
           const DeskAuditFilter *filter)
{
  g_autoptr(GError) error = NULL;
  DeskAuditList *list = desk_audit_list_new (session, &error);

  g_assert_no_error (error);
  g_assert_true (G_IS_LIST_MODEL (list));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == DESK_TYPE_AUDIT_ENTRY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  desk_audit_list_set_filter (list, filter);
  g_assert_true (desk_audit_list_load_sync (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (desk_audit_list_get_loading (list));
  g_assert_null (desk_audit_list_get_error (list));
  return list;
}

static void
test_list_entries (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) session = sign_in_admin (store);
  g_autoptr(DeskAuditList) list = NULL;
  g_autoptr(DeskAuditEntry) first = NULL;
  g_autoptr(DeskAuditEntry) last = NULL;
  g_autoptr(DeskAuditEntry) discharge = NULL;
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autoptr(DeskClient) client = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  append_varied_entries (store);
  list = load_list (session, NULL);
  assert_list_matches (list, store, filter);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  /* Creation, demo data, the sign-in and 318 more. */
  g_assert_cmpuint (n, ==, 321);

  /* The clinic's creation and demo data carry the real clock: newest. */
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (desk_audit_entry_get_action (first), ==, "clinic.demo-data");
  g_assert_cmpint (desk_audit_entry_get_actor_id (first), ==, 0);
  g_assert_cmpstr (desk_audit_entry_get_actor_name (first), ==, "");
  g_assert_cmpstr (desk_audit_entry_get_target_kind (first), ==, "clinic");
  g_assert_cmpstr (desk_audit_entry_get_target_name (first), ==, "Test Clinic");

  /* The oldest: the last of the portal entries. */
  last = g_list_model_get_item (G_LIST_MODEL (list), n - 1);
  g_assert_cmpstr (desk_audit_entry_get_action (last), ==, "client.portal-disable");
  g_assert_cmpint (desk_audit_entry_get_time (last), ==, DESK_TEST_NOW - 5000 - 59 * 8640);
  g_assert_cmpint (desk_audit_entry_get_actor_id (last), ==, 3);
  g_assert_cmpstr (desk_audit_entry_get_details (last), ==, "{}");

  /* Names of the member who acted and of the client. */
  filter->action = g_strdup ("client.discharge");
  desk_audit_list_set_filter (list, filter);
  g_assert_true (desk_audit_list_load_sync (list, NULL, &error));
  discharge = g_list_model_get_item (G_LIST_MODEL (list), 0);
  client = desk_client_load (store, desk_audit_entry_get_target_id (discharge), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_audit_entry_get_target_name (discharge), ==,
                   desk_client_get_display_name (client));
  g_assert_cmpstr (desk_audit_entry_get_actor_username (discharge), ==, DESK_DEMO_USERNAME);
  g_assert_cmpstr (desk_audit_entry_get_actor_name (discharge), ==,
                   desk_member_get_display_name (desk_session_get_member (session)));
  g_assert_cmpstr (desk_audit_entry_get_reason (discharge), ==, "moved away");
}

static void
test_list_filters (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) session = sign_in_admin (store);
  gint64 day = 0, next_day = 0;
  struct {
    const char *what;
    gint64      actor_id;
    gint64      client_id;
    const char *action;
    gint64      since;
    gint64      until;
    guint       expected;
  } cases[] = {
    { "a member", 2, 0, NULL, 0, 0, 100 },
    { "a client", 0, 3, NULL, 0, 0, 8 + 12 },
    { "a client with no entries", 0, 19 + 100, NULL, 0, 0, 0 },
    { "an action", 0, 0, "member.reactivate", 0, 0, 7 },
    /* The sign-in is a "member." action too; "members" is not. */
    { "an action prefix", 0, 0, "member.", 0, 0, 107 + 1 },
    { "a prefix of two actions", 0, 0, "client.", 0, 0, 210 },
    { "an unknown action", 0, 0, "nothing.here", 0, 0, 0 },
    { "since", 0, 0, NULL, DESK_TEST_NOW + 1000, 0, 100 + 2 },
    { "until", 0, 0, NULL, 0, DESK_TEST_NOW, 60 },
    { "a day", 0, 0, NULL, -1, -1, 0 },
    { "a member and an action", 1, 0, "member.", 0, 0, 7 + 1 },
    { "a member and a client", 1, 3, NULL, 0, 0, 8 },
    { "a client, an action prefix and dates", 0, 2, "client.",
      DESK_TEST_NOW - 5000 - 30 * 8640, DESK_TEST_NOW, 6 },
    { "a member, an action and dates", 2, 0, "member.deactivate",
      DESK_TEST_NOW + 1010, DESK_TEST_NOW + 1020, 10 },
    { "everything, matching nothing", 3, 1, "member.", 1, 2, 0 },
  };

  append_varied_entries (store);
  g_assert_true (desk_time_parse_day ("2026-11-02", &day, &next_day));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
      g_autoptr(DeskAuditList) list = NULL;
      g_autoptr(GArray) expected = NULL;

      g_test_message ("%s", cases[i].what);
      filter->actor_id = cases[i].actor_id;
      filter->client_id = cases[i].client_id;
      desk_audit_filter_set_action (filter, cases[i].action);
      filter->since = cases[i].since == -1 ? day : cases[i].since;
      filter->until = cases[i].until == -1 ? next_day : cases[i].until;

      list = load_list (session, filter);
      expected = expected_ids (store, filter);
      if (cases[i].since != -1)
        g_assert_cmpuint (expected->len, ==, cases[i].expected);
      assert_list_matches (list, store, filter);
      g_assert_true (desk_audit_filter_equal (desk_audit_list_get_filter (list), filter));
      g_assert_finalize_object (g_steal_pointer (&list));
    }
}

/* Rows come from SQLite a page at a time; the list holds one key a page. */
static void
test_list_paging (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) session = sign_in_admin (store);
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autoptr(DeskAuditList) list = NULL;
  g_autoptr(GArray) expected = NULL;
  guint positions[] = { 0, 63, 64, 127, 128, 191, 192, 255, 256, 320 };

  append_varied_entries (store);
  list = load_list (session, NULL);
  expected = expected_ids (store, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 321);
  /* 321 entries: six pages, one key each. */
  g_assert_cmpuint (_desk_audit_list_get_keys_held (list), ==, 6);
  g_assert_cmpuint (desk_audit_list_get_rows_fetched (list), ==, 0);

  /* Either side of each page boundary, out of order; the 150 ties at one
   * second run over the boundaries at 64, 128 and 192. */
  for (guint i = G_N_ELEMENTS (positions); i > 0; i--)
    {
      g_autoptr(DeskAuditEntry) entry =
        g_list_model_get_item (G_LIST_MODEL (list), positions[i - 1]);

      g_assert_cmpint (desk_audit_entry_get_id (entry), ==,
                       g_array_index (expected, gint64, positions[i - 1]));
    }
  /* Six pages read, each once: the last has one row. */
  g_assert_cmpuint (desk_audit_list_get_rows_fetched (list), ==, 5 * 64 + 1);

  /* A page read again comes from memory. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), 65));
  g_assert_cmpuint (desk_audit_list_get_rows_fetched (list), ==, 5 * 64 + 1);

  /* A filter on two indexed fields keeps every match's key, and no more. */
  filter->actor_id = 1;
  desk_audit_filter_set_action (filter, "client.discharge");
  g_clear_object (&list);
  list = load_list (session, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 150);
  g_assert_cmpuint (_desk_audit_list_get_keys_held (list), ==, 150);
  assert_list_matches (list, store, filter);
  g_assert_cmpuint (desk_audit_list_get_rows_fetched (list), ==, 150);
}

/* Only members who may view the log see it, whatever asks. */
static void
test_list_refused (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) clerk = sign_in_clerk (store);
  g_autoptr(DeskSession) admin = sign_in_admin (store);
  g_autoptr(DeskAuditList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) actions = NULL;

  g_assert_null (desk_audit_list_new (clerk, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (desk_audit_get_actions (clerk, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Allowed, then signed out: the next query and the next page are refused. */
  list = load_list (admin, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
  desk_session_sign_out (admin);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 0));
  g_assert_false (desk_audit_list_load_sync (list, NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_error ((GError *) desk_audit_list_get_error (list), DESK_SESSION_ERROR,
                  DESK_SESSION_ERROR_SIGNED_OUT);
  g_clear_error (&error);
  actions = desk_audit_get_actions (admin, &error);
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
  g_assert_null (actions);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    user_data)
{
  GArray *changes = user_data;
  guint change[3] = { position, removed, added };

  g_array_append_vals (changes, change, 3);
}

static gboolean
list_loaded (DeskAuditList *list)
{
  return !desk_audit_list_get_loading (list);
}

static void
wait_loaded (DeskAuditList *list)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!list_loaded (list))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* In the background: the first pages first, then the rest appended. */
static void
test_list_background (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) session = sign_in_admin (store);
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autoptr(DeskAuditList) list = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  guint n_changes;

  append_varied_entries (store);
  list = desk_audit_list_new (session, &error);
  g_assert_no_error (error);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), changes);

  desk_audit_list_reload (list);
  g_assert_true (desk_audit_list_get_loading (list));
  wait_loaded (list);
  g_assert_null (desk_audit_list_get_error (list));
  assert_list_matches (list, store, filter);

  /* Whatever came first, the changes add up to the list, each one extending it. */
  n_changes = changes->len / 3;
  g_assert_cmpuint (n_changes, >=, 1);
  g_assert_cmpuint (n_changes, <=, 2);
  if (n_changes == 2)
    {
      g_assert_cmpuint (g_array_index (changes, guint, 2), ==, 256);
      g_assert_cmpuint (g_array_index (changes, guint, 3), ==, 256);
      g_assert_cmpuint (g_array_index (changes, guint, 4), ==, 0);
      g_assert_cmpuint (g_array_index (changes, guint, 5), ==, 321 - 256);
    }

  /* A filter set while a query runs supersedes it. */
  g_array_set_size (changes, 0);
  desk_audit_list_reload (list);
  desk_audit_filter_set_action (filter, "member.");
  desk_audit_list_set_filter (list, filter);
  /* The same filter again starts nothing new. */
  desk_audit_list_set_filter (list, filter);
  wait_loaded (list);
  assert_list_matches (list, store, filter);

  /* New entries show after a reload. */
  {
    sqlite3 *db = _desk_store_get_db (store);

    desk_test_exec (store, "BEGIN IMMEDIATE");
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW + 5000, 1, "member.deactivate",
                                       "member", 4, "", NULL, &error));
    desk_test_exec (store, "COMMIT");
  }
  desk_audit_list_reload (list);
  wait_loaded (list);
  assert_list_matches (list, store, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 108 + 1);

  /* A list dropped while its query runs goes away cleanly. */
  desk_audit_list_reload (list);
  g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (g_steal_pointer (&list));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_actions (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) session = sign_in_admin (store);
  g_autoptr(DeskSession) clerk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) actions = NULL;
  g_auto(GStrv) async_actions = NULL;
  const char *expected[] = {
    "client.discharge", "client.portal-disable", "clinic.create", "clinic.demo-data",
    "member.deactivate", "member.reactivate", "member.sign-in", "members", NULL,
  };

  append_varied_entries (store);
  actions = desk_audit_get_actions (session, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (actions, expected);

  desk_audit_get_actions_async (session, NULL, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  async_actions = desk_audit_get_actions_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (async_actions, expected);

  g_clear_object (&result);
  clerk = sign_in_clerk (store);
  desk_audit_get_actions_async (clerk, NULL, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (desk_audit_get_actions_finish (clerk, result, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
}

static void
test_parse_day (void)
{
  const char *bad[] = {
    "", "2026-11", "2026-11-3", "2026-1-03", "2026-13-01", "2026-02-29", "2026-11-31",
    "2026-00-10", "2026-11-00", "1969-12-31", "2026/11/03", "2026-11-03 ", " 2026-11-03",
    "20261103", "abcd-ef-gh", "2026-11-0x", "+026-11-03",
  };
  gint64 start = 0, next = 0;

  g_assert_true (desk_time_parse_day ("2026-11-03", &start, &next));
  g_assert_cmpint (start, ==, DESK_TEST_NOW);
  g_assert_cmpint (next, ==, DESK_TEST_NOW + 86400);
  g_assert_true (desk_time_parse_day ("2024-02-29", NULL, NULL));
  g_assert_true (desk_time_parse_day ("2026-12-31", &start, &next));
  g_assert_cmpint (next - start, ==, 86400);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      start = next = 42;
      g_assert_false (desk_time_parse_day (bad[i], &start, &next));
      g_assert_cmpint (start, ==, 42);
      g_assert_cmpint (next, ==, 42);
    }
  g_assert_false (desk_time_parse_day (NULL, &start, &next));
}

static void
test_filter (void)
{
  g_autoptr(DeskAuditFilter) a = desk_audit_filter_new ();
  g_autoptr(DeskAuditFilter) b = NULL;
  const char *valid[] = { "member.", "client.discharge", "a", "x-y_z.9", "é.", "a'b" };
  const char *invalid[] = { "", " member.", "a b", "member.\n", "a\tb", "\xff", NULL };

  g_assert_true (desk_audit_filter_is_empty (a));
  g_assert_true (desk_audit_filter_is_empty (NULL));
  g_assert_true (desk_audit_filter_equal (a, NULL));
  desk_audit_filter_set_action (a, "member.");
  g_assert_false (desk_audit_filter_is_empty (a));
  g_assert_false (desk_audit_filter_equal (a, NULL));
  b = desk_audit_filter_copy (a);
  g_assert_true (desk_audit_filter_equal (a, b));
  g_assert_true (a->action != b->action);
  b->until = 5;
  g_assert_false (desk_audit_filter_equal (a, b));
  desk_audit_filter_set_action (a, "");
  g_assert_null (a->action);
  g_assert_true (desk_audit_filter_is_empty (a));

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (desk_audit_action_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (desk_audit_action_is_valid (invalid[i]));
}

static char *
export_filtered (DeskSession           *session,
                 DeskAuditFormat        format,
                 const DeskAuditFilter *filter)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_audit_export_filtered (session, format, filter, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* The last entry of the log: the export's own. */
static DeskAuditEntry *
last_entry (DeskSession *session)
{
  g_autoptr(DeskAuditList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();

  desk_audit_filter_set_action (filter, "audit.export");
  list = load_list (session, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
  return g_list_model_get_item (G_LIST_MODEL (list), 0);
}

static void
test_export_filtered (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) session = sign_in_admin (store);
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autoptr(DeskAuditEntry) recorded = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 n_before = 0, n_after = 0;
  gint64 previous_id = 0;

  append_varied_entries (store);
  g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));

  /* Client 2, its portal entries, in the last fifteen days before now. */
  filter->client_id = 2;
  desk_audit_filter_set_action (filter, "client.portal-disable");
  filter->since = DESK_TEST_NOW - 15 * 86400;
  filter->until = DESK_TEST_NOW;
  csv = export_filtered (session, DESK_AUDIT_FORMAT_CSV, filter);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "id,at,actor,action,target_kind,target_id,reason,details,hash");
  /* Header, 12 entries, the empty rest. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 12 + 1);
  for (guint i = 1; lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      gint64 id = g_ascii_strtoll (fields[0], NULL, 10);

      /* Oldest first, as the chain goes. */
      g_assert_cmpint (id, >, previous_id);
      previous_id = id;
      g_assert_cmpstr (fields[3], ==, "client.portal-disable");
      g_assert_cmpstr (fields[4], ==, "client");
      g_assert_cmpstr (fields[5], ==, "2");
    }

  /* The export is recorded, with its filter, and the chain still holds. */
  recorded = last_entry (session);
  g_assert_cmpstr (desk_audit_entry_get_action (recorded), ==, "audit.export");
  g_assert_cmpint (desk_audit_entry_get_actor_id (recorded), ==,
                   desk_member_get_id (desk_session_get_member (session)));
  g_assert_cmpstr (desk_audit_entry_get_details (recorded), ==,
                   "{\"format\":\"csv\",\"filter\":{\"client_id\":2,"
                   "\"action\":\"client.portal-disable\",\"since\":\"2026-10-19T00:00:00Z\","
                   "\"until\":\"2026-11-03T00:00:00Z\"}}");
  g_assert_true (desk_audit_verify (store, &n_after, NULL, NULL, NULL));
  g_assert_cmpuint (n_after, ==, n_before + 1);

  /* A filter that matches the export itself shows it; JSON too. */
  desk_audit_filter_free (g_steal_pointer (&filter));
  filter = desk_audit_filter_new ();
  desk_audit_filter_set_action (filter, "audit.");
  json = export_filtered (session, DESK_AUDIT_FORMAT_JSON, filter);
  g_assert_true (g_str_has_prefix (json, "[{\"id\":"));
  /* The details are the object itself, not a string holding it. */
  g_assert_nonnull (strstr (json, "\"details\":{\"format\":\"json\","
                                  "\"filter\":{\"action\":\"audit.\"}},"));
  /* No entry of another action (an export's filter, in its details, may
   * name one: an entry's own action is followed by its target_kind). */
  g_assert_false (g_regex_match_simple ("\"action\":\"(client|member)\\.[^\"]*\",\"target_kind\"",
                                        json, 0, 0));
  g_assert_true (g_regex_match_simple ("\"action\":\"audit\\.export\",\"target_kind\"",
                                       json, 0, 0));

  /* Nothing matches: a header alone, still recorded. */
  g_clear_pointer (&csv, g_free);
  filter->actor_id = 99999;
  csv = export_filtered (session, DESK_AUDIT_FORMAT_CSV, filter);
  g_assert_cmpstr (csv, ==, "id,at,actor,action,target_kind,target_id,reason,details,hash\r\n");
  g_assert_true (desk_audit_verify (store, &n_after, NULL, NULL, NULL));
  g_assert_cmpuint (n_after, ==, n_before + 3);
}

static void
test_export_filtered_refused (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) clerk = sign_in_clerk (store);
  g_autoptr(DeskSession) admin = sign_in_admin (store);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autoptr(GError) error = NULL;
  guint64 n_before = 0, n_after = 0;

  filter->actor_id = 1;
  g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));
  g_assert_false (desk_audit_export_filtered (clerk, DESK_AUDIT_FORMAT_CSV, filter, out, NULL,
                                              &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  desk_session_sign_out (admin);
  g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));
  g_assert_false (desk_audit_export_filtered (admin, DESK_AUDIT_FORMAT_CSV, filter, out, NULL,
                                              &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);

  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
  g_assert_true (desk_audit_verify (store, &n_after, NULL, NULL, NULL));
  g_assert_cmpuint (n_after, ==, n_before);
}

static gboolean
export_file (DeskSession            *session,
             const DeskAuditFilter  *filter,
             GFile                  *file,
             GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_audit_export_file_async (session, DESK_AUDIT_FORMAT_CSV, filter, file, NULL,
                                desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return desk_audit_export_file_finish (session, result, error);
}

static DeskSession *sign_in_with_role (DeskStore  *store,
                                       gint64      id,
                                       const char *where);

static void
test_export_file (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) session = sign_in_admin (store);
  g_autoptr(DeskSession) clerk = NULL;
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autofree char *path = g_build_filename (dir, "audit.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "audit.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 n_before = 0, n_after = 0;

  append_varied_entries (store);
  desk_audit_filter_set_action (filter, "member.reactivate");
  /* Readable by its owner alone, whatever the umask: the log names members
   * and clients. */
  {
    mode_t saved_umask = umask (022);
    GStatBuf st;

    g_assert_true (export_file (session, filter, file, &error));
    g_assert_no_error (error);
    umask (saved_umask);
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 7 + 1);
  g_assert_nonnull (strstr (lines[1], ",admin,member.reactivate,member,2,back,{},"));

  /* Written by the worker's own connection, and recorded there. */
  g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));
  {
    g_autoptr(DeskAuditEntry) recorded = last_entry (session);

    g_assert_cmpstr (desk_audit_entry_get_details (recorded), ==,
                     "{\"format\":\"csv\",\"filter\":{\"action\":\"member.reactivate\"}}");
  }

  /* Over an existing file: replaced. */
  g_clear_pointer (&contents, g_free);
  g_assert_true (export_file (session, NULL, file, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpuint (strlen (contents), >, 1000);

  /* A folder that does not exist: an error, no file, nothing recorded. */
  g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));
  g_assert_false (export_file (session, NULL, missing_file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_true (desk_audit_verify (store, &n_after, NULL, NULL, NULL));
  g_assert_cmpuint (n_after, ==, n_before);

  /* Refused: the old file stays as it was, nothing recorded. */
  clerk = sign_in_clerk (store);
  g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));
  {
    g_autofree char *before = desk_test_file_checksum (path);
    g_autofree char *after = NULL;

    g_assert_false (export_file (clerk, NULL, file, &error));
    g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    after = desk_test_file_checksum (path);
    g_assert_cmpstr (before, ==, after);
  }
  g_assert_true (desk_audit_verify (store, &n_after, NULL, NULL, NULL));
  g_assert_cmpuint (n_after, ==, n_before);

  /* Refused by the worker, after the file was opened: the member's role
   * lost "view the audit log" on another workstation since they signed in
   * (the session still holds it; the file says otherwise).  No new file is
   * left behind, empty or half-written. */
  {
    g_autoptr(DeskSession) stripped = sign_in_with_role (store, 102, "1");
    g_autofree char *new_path = g_build_filename (dir, "stripped.csv", NULL);
    g_autoptr(GFile) new_file = g_file_new_for_path (new_path);

    g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));
    desk_test_exec (store, "DELETE FROM role_permissions WHERE role_id = 102 AND permission = 'view-audit'");
    g_assert_true (desk_session_has_permission (stripped, DESK_PERMISSION_VIEW_AUDIT));
    g_assert_false (export_file (stripped, NULL, new_file, &error));
    g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
    g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
  }
  g_assert_true (desk_audit_verify (store, &n_after, NULL, NULL, NULL));
  g_assert_cmpuint (n_after, ==, n_before);
}

/* A member @id whose one role holds the permissions WHERE @where (over the
 * permissions table, so that a permission added later is in it), signed in. */
static DeskSession *
sign_in_with_role (DeskStore  *store,
                   gint64      id,
                   const char *where)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strdup_printf ("password of %" G_GINT64_FORMAT, id);
  g_autofree char *hash = desk_password_hash (password, &error);
  g_autofree char *username = g_strdup_printf ("member%" G_GINT64_FORMAT, id);
  g_autofree char *sql = NULL;
  DeskSession *session;

  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO roles (id, name) VALUES (%1$" G_GINT64_FORMAT ", 'Role %1$"
                         G_GINT64_FORMAT "');"
                         "INSERT INTO role_permissions SELECT %1$" G_GINT64_FORMAT ", code"
                         " FROM permissions WHERE %2$s;"
                         "INSERT INTO members (id, username, given_name, family_name, email, kind,"
                         " province, created_at, password_hash) VALUES (%1$" G_GINT64_FORMAT
                         ", '%3$s', 'Test', 'Member', '%3$s@example.com', 'employee', 'QC', 0,"
                         " '%4$s');"
                         "INSERT INTO member_roles VALUES (%1$" G_GINT64_FORMAT ", %1$"
                         G_GINT64_FORMAT ");",
                         id, where, username, hash);
  desk_test_exec (store, sql);
  session = desk_session_sign_in (store, username, password, &error);
  g_assert_no_error (error);
  return session;
}

static guint64
count_entries (DeskStore *store)
{
  guint64 n = 0;

  g_assert_true (desk_audit_verify (store, &n, NULL, NULL, NULL));
  return n;
}

/* Every way into the log asks for "view the audit log" itself: a member
 * with every other permission is refused, and records nothing; a member
 * with that one alone is let in. */
static void
test_permission_checks (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = new_clinic (dir);
  g_autoptr(DeskSession) others = sign_in_with_role (store, 100, "code <> 'view-audit'");
  g_autoptr(DeskSession) auditor = sign_in_with_role (store, 101, "code = 'view-audit'");
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  g_autofree char *path = g_build_filename (dir, "audit.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  enum { EXPORT, EXPORT_FILTERED, EXPORT_FILE, ACTIONS, ACTIONS_ASYNC, LIST, LIST_BACKGROUND,
         N_CHECKS };

  /* Every permission there is but one. */
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM permissions"), ==, 4);
  g_assert_true (desk_session_has_permission (others, DESK_PERMISSION_EDIT_USERS));
  g_assert_true (desk_session_has_permission (others, DESK_PERMISSION_MANAGE_CLIENTS));
  g_assert_true (desk_session_has_permission (others, DESK_PERMISSION_MANAGE_LABS));
  g_assert_false (desk_session_has_permission (others, DESK_PERMISSION_VIEW_AUDIT));
  g_assert_true (desk_session_has_permission (auditor, DESK_PERMISSION_VIEW_AUDIT));
  g_assert_false (desk_session_has_permission (auditor, DESK_PERMISSION_EDIT_USERS));

  desk_audit_filter_set_action (filter, "member.");
  for (guint check = 0; check < N_CHECKS; check++)
    for (guint allowed = 0; allowed < 2; allowed++)
      {
        DeskSession *session = allowed ? auditor : others;
        g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(DeskAuditList) list = NULL;
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) actions = NULL;
        guint64 n_before = count_entries (store);
        gboolean ok = FALSE;

        g_test_message ("check %u, %s", check, allowed ? "allowed" : "refused");
        g_unlink (path);
        switch (check)
          {
          case EXPORT:
            ok = desk_audit_export (session, DESK_AUDIT_FORMAT_CSV, out, NULL, &error);
            break;
          case EXPORT_FILTERED:
            ok = desk_audit_export_filtered (session, DESK_AUDIT_FORMAT_JSON, filter, out, NULL,
                                             &error);
            break;
          case EXPORT_FILE:
            ok = export_file (session, filter, file, &error);
            g_assert_cmpint (g_file_test (path, G_FILE_TEST_EXISTS), ==, allowed);
            break;
          case ACTIONS:
            actions = desk_audit_get_actions (session, &error);
            ok = actions != NULL;
            break;
          case ACTIONS_ASYNC:
            desk_audit_get_actions_async (session, NULL, desk_test_async_result_cb, &result);
            while (result == NULL)
              g_main_context_iteration (NULL, TRUE);
            actions = desk_audit_get_actions_finish (session, result, &error);
            ok = actions != NULL;
            break;
          case LIST:
            list = desk_audit_list_new (session, &error);
            ok = list != NULL && desk_audit_list_load_sync (list, NULL, &error) &&
                 g_list_model_get_n_items (G_LIST_MODEL (list)) > 0;
            break;
          case LIST_BACKGROUND:
            /* The query in the background, then every entry read by page. */
            list = desk_audit_list_new (session, &error);
            if (list == NULL)
              break;
            desk_audit_list_reload (list);
            wait_loaded (list);
            g_assert_null (desk_audit_list_get_error (list));
            ok = g_list_model_get_n_items (G_LIST_MODEL (list)) > 0;
            for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
              {
                g_autoptr(DeskAuditEntry) entry = g_list_model_get_item (G_LIST_MODEL (list), i);

                g_assert_nonnull (entry);
              }
            break;
          default:
            g_assert_not_reached ();
          }

        if (allowed)
          {
            g_assert_no_error (error);
            g_assert_true (ok);
          }
        else
          {
            g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
            g_assert_false (ok);
            g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                              ==, 0);
          }
        /* An export is recorded; nothing else is, and nothing refused. */
        g_assert_cmpuint (count_entries (store), ==,
                          n_before + (allowed && check <= EXPORT_FILE ? 1 : 0));
      }
}

/* A clinic from before the audit view gets the index that pages it by time. */
static void
test_migration (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(DeskStore) old = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;

  old = _desk_store_create_at_version (path, "Old Clinic", 2, &error);
  g_assert_no_error (error);
  g_clear_object (&old);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                                       "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                       " AND name = 'audit_log_time' AND tbl_name = 'audit_log'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  assert_intact (store, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit/chain", test_chain);
  g_test_add_func ("/audit/receipt", test_receipt);
  g_test_add_func ("/audit/receipt/one-cut", test_receipt_one_cut);
  g_test_add_func ("/audit/gap", test_gap);
  g_test_add_func ("/audit/rollback-leaves-nothing", test_rollback_leaves_nothing);
  g_test_add_func ("/audit/append-outside-transaction", test_append_outside_transaction);
  g_test_add_func ("/audit/tampering", test_tampering);
  g_test_add_func ("/audit/other-clinic", test_other_clinic);
  g_test_add_func ("/audit/export", test_export);
  g_test_add_func ("/audit/export-refused", test_export_refused);
  g_test_add_func ("/audit/filter", test_filter);
  g_test_add_func ("/audit/parse-day", test_parse_day);
  g_test_add_func ("/audit/list/entries", test_list_entries);
  g_test_add_func ("/audit/list/filters", test_list_filters);
  g_test_add_func ("/audit/list/paging", test_list_paging);
  g_test_add_func ("/audit/list/refused", test_list_refused);
  g_test_add_func ("/audit/list/background", test_list_background);
  g_test_add_func ("/audit/actions", test_actions);
  g_test_add_func ("/audit/export/filtered", test_export_filtered);
  g_test_add_func ("/audit/export/filtered-refused", test_export_filtered_refused);
  g_test_add_func ("/audit/export/file", test_export_file);
  g_test_add_func ("/audit/migration", test_migration);
  g_test_add_func ("/audit/permission-checks", test_permission_checks);

  return g_test_run ();
}
