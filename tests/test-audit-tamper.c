/* test-audit-tamper.c: every column of an audit entry is kept by the
 * append-only triggers and covered by its hash; an entry keeps who wrote it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The columns are read from the table itself, so that a column added later
 * is tested without a change here.
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

static void
behind_triggers (DeskStore  *store,
                 const char *sql)
{
  desk_test_exec_behind_triggers (_desk_store_get_db (store), "audit_log", sql);
}

static char *
query_text (DeskStore  *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static void
append (DeskStore  *store,
        gint64      at,
        gint64      actor,
        const char *action,
        gint64      target)
{
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  desk_test_exec (store, "BEGIN IMMEDIATE");
  g_assert_true (_desk_audit_append (db, at, actor, action, "client", target, "why",
                                     "{\"a\":1}", &error));
  g_assert_no_error (error);
  desk_test_exec (store, "COMMIT");
}

static void
assert_intact (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 broken = -1;

  g_assert_true (desk_audit_verify (store, NULL, &broken, NULL, &error));
  g_assert_no_error (error);
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
}

/* Entries 1 to 4 written under schema 5 (hash rule 1, no stored identity),
 * 5 to 7 after the upgrade (rule 2); members 1 and 2. */
static DeskStore *
mixed_clinic (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GError) error = NULL;
  DeskStore *store;

  store = _desk_store_create_at_version (path, "Mixed", 5, &error);
  g_assert_no_error (error);
  desk_test_exec (store, "INSERT INTO members (id, username, given_name, family_name, email, kind, province,"
               " created_at) VALUES (1, 'hcote', 'Hélène', 'Côté', 'h@x.ca', 'provider', 'QC', 0),"
               " (2, 'okhan', 'Omar', 'Khan', 'o@x.ca', 'employee', 'ON', 0)");
  for (guint i = 0; i < 3; i++)
    append (store, DESK_TEST_NOW + i, 1, "client.discharge", 10 + i);
  g_assert_finalize_object (store);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    append (store, DESK_TEST_NOW + 10 + i, 1, "client.discharge", 20 + i);
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM audit_log"), ==, 7);
  g_assert_cmpint (desk_test_count (store, "SELECT hash_version FROM audit_log WHERE id = 3"), ==,
                   1);
  g_assert_cmpint (desk_test_count (store, "SELECT hash_version FROM audit_log WHERE id = 6"), ==,
                   2);
  assert_intact (store);
  return store;
}

/* For every column of audit_log and an entry of each hash rule: an UPDATE is
 * refused by the trigger and leaves the entry as it was; done behind the
 * triggers' back, the chain breaks at that entry; put back, it holds. */
static void
test_every_column (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = mixed_clinic (dir);
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  const gint64 entries[] = { 3, 6 };
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_info ('audit_log')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  /* 10 from the start, 3 from schema 6. */
  g_assert_cmpuint (columns->len, ==, 13);

  for (guint e = 0; e < G_N_ELEMENTS (entries); e++)
    for (guint c = 0; c < columns->len; c++)
      {
        const char *column = columns->pdata[c];
        gint64 entry = entries[e];
        g_autofree char *row_sql = g_strdup_printf ("SELECT quote (%s) FROM audit_log"
                                                    " WHERE rowid = %" G_GINT64_FORMAT,
                                                    column, entry);
        g_autofree char *old_value = query_text (store, row_sql);
        g_autofree char *whole_before = NULL;
        g_autofree char *whole_after = NULL;
        g_autofree char *edit = NULL;
        g_autofree char *restore = NULL;
        g_autofree char *all = g_strdup_printf ("SELECT quote (id) || quote (at) ||"
                                                " quote (actor_member_id) || quote (action) ||"
                                                " quote (target_kind) || quote (target_id) ||"
                                                " quote (reason) || quote (details) ||"
                                                " quote (prev_hash) || quote (hash) ||"
                                                " quote (hash_version) || quote (actor_username) ||"
                                                " quote (actor_name) FROM audit_log"
                                                " WHERE rowid = %" G_GINT64_FORMAT, entry);
        g_autoptr(GError) error = NULL;

        g_test_message ("entry %" G_GINT64_FORMAT ", column %s", entry, column);
        /* Another value of the same kind: a number one more, a text one
         * longer, a NULL made 2. */
        edit = g_strdup_printf ("UPDATE audit_log SET %1$s = CASE typeof (%1$s)"
                                " WHEN 'integer' THEN %1$s + %3$d WHEN 'null' THEN 2"
                                " ELSE %1$s || 'x' END WHERE id = %2$" G_GINT64_FORMAT,
                                column, entry, g_str_equal (column, "id") ? 100 : 1);
        restore = g_strdup_printf ("UPDATE audit_log SET %s = %s WHERE rowid = %" G_GINT64_FORMAT,
                                   column, old_value,
                                   entry + (g_str_equal (column, "id") ? 100 : 0));

        whole_before = query_text (store, all);
        g_assert_false (_desk_db_exec (db, edit, &error));
        g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
        g_assert_nonnull (strstr (error->message, "append-only"));
        whole_after = query_text (store, all);
        g_assert_cmpstr (whole_before, ==, whole_after);

        behind_triggers (store, edit);
        /* A changed number leaves a gap: the entry after it is the first
         * that does not follow. */
        assert_broken_at (store, g_str_equal (column, "id") ? entry + 1 : entry);
        behind_triggers (store, restore);
        assert_intact (store);
      }

  /* Nor is an entry deleted. */
  for (guint e = 0; e < G_N_ELEMENTS (entries); e++)
    {
      g_autofree char *delete = g_strdup_printf ("DELETE FROM audit_log WHERE id = %"
                                                 G_GINT64_FORMAT, entries[e]);
      g_autoptr(GError) error = NULL;

      g_assert_false (_desk_db_exec (db, delete, &error));
      g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
      g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM audit_log"), ==, 7);
    }
  assert_intact (store);
}

static DeskAuditEntry *
read_entry (DeskStore *store,
            gint64     id)
{
  sqlite3_stmt *stmt = NULL;
  DeskAuditEntry *entry;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                                       "SELECT " DESK_AUDIT_ENTRY_COLUMNS " FROM audit_log a"
                                       DESK_AUDIT_ENTRY_JOIN " WHERE a.id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  entry = _desk_audit_entry_new_from_row (stmt);
  sqlite3_finalize (stmt);
  return entry;
}

static void
assert_actor (DeskStore  *store,
              gint64      id,
              const char *username,
              const char *name)
{
  g_autoptr(DeskAuditEntry) entry = read_entry (store, id);

  g_assert_cmpstr (desk_audit_entry_get_actor_username (entry), ==, username);
  g_assert_cmpstr (desk_audit_entry_get_actor_name (entry), ==, name);
}

/* Renaming a member does not re-attribute what they did: the entry keeps
 * them as they were, in the list and in the export, and the chain holds;
 * the stored identity changed breaks the chain at that entry. */
static void
test_identity (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autoptr(DeskStore) store = mixed_clinic (dir);
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash ("auditor password", &error);
  g_autofree char *sql = NULL;
  g_autofree char *csv = NULL;

  g_assert_no_error (error);
  assert_actor (store, 6, "hcote", "Hélène Côté");

  /* Someone with the file gives member 1's name to another. */
  desk_test_exec (store, "UPDATE members SET username = 'impostor', given_name = 'Someone',"
               " family_name = 'Else' WHERE id = 1");
  assert_intact (store);
  assert_actor (store, 6, "hcote", "Hélène Côté");
  /* An entry from before schema 6 stores no one: it shows the member now. */
  assert_actor (store, 3, "impostor", "Someone Else");

  /* The export says who did it, as they were. */
  sql = g_strdup_printf ("INSERT INTO roles (id, name) VALUES (1, 'Audit');"
                         "INSERT INTO role_permissions VALUES (1, 'view-audit');"
                         "UPDATE members SET password_hash = '%s' WHERE id = 2;"
                         "INSERT INTO member_roles VALUES (2, 1);", hash);
  desk_test_exec (store, sql);
  session = desk_session_sign_in (store, "okhan", "auditor password", &error);
  g_assert_no_error (error);
  g_assert_true (desk_audit_export (session, DESK_AUDIT_FORMAT_CSV, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_output_stream_close (out, NULL, NULL);
  csv = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_nonnull (strstr (csv, "\r\n6,2026-11-03T00:00:11Z,hcote,client.discharge,"));
  g_assert_nonnull (strstr (csv, "\r\n3,2026-11-03T00:00:01Z,impostor,client.discharge,"));
  g_assert_nonnull (strstr (csv, ",okhan,audit.export,"));
  assert_intact (store);

  /* The stored identity edited behind the triggers: found at that entry. */
  behind_triggers (store, "UPDATE audit_log SET actor_username = 'okhan' WHERE id = 6");
  assert_broken_at (store, 6);
  behind_triggers (store, "UPDATE audit_log SET actor_username = 'hcote' WHERE id = 6");
  assert_intact (store);
  behind_triggers (store, "UPDATE audit_log SET actor_name = 'Omar Khan' WHERE id = 5");
  assert_broken_at (store, 5);
  behind_triggers (store, "UPDATE audit_log SET actor_name = 'Hélène Côté' WHERE id = 5");
  assert_intact (store);
  /* Moved back to rule 1 with its identity dropped, to show today's name. */
  behind_triggers (store, "UPDATE audit_log SET hash_version = 1, actor_username = NULL,"
                          " actor_name = NULL WHERE id = 7");
  assert_broken_at (store, 7);
}

/* What an entry never holds: 0 for "no actor" or "no target" (the append
 * writes NULL), and a rule 1 entry after a rule 2 one. */
static void
test_malformed (void)
{
  const char *edits[] = {
    "UPDATE audit_log SET actor_member_id = 0 WHERE id = 1",
    "UPDATE audit_log SET target_id = 0 WHERE id = 1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
      g_autoptr(DeskStore) store = mixed_clinic (dir);

      g_test_message ("%s", edits[i]);
      desk_test_exec (store, "PRAGMA foreign_keys = OFF");
      behind_triggers (store, edits[i]);
      assert_broken_at (store, 1);
    }

  /* A rule 1 entry, whole by itself, appended after rule 2 entries (the
   * file's version set back for the append): rule 1 leaves the actor's
   * identity out of the hash, so the log never goes back to it. */
  {
    g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
    g_autoptr(DeskStore) store = mixed_clinic (dir);

    desk_test_exec (store, "PRAGMA user_version = 5");
    append (store, DESK_TEST_NOW + 20, 2, "client.discharge", 30);
    desk_test_exec (store, "PRAGMA user_version = 8");
    g_assert_cmpint (desk_test_count (store, "SELECT hash_version FROM audit_log WHERE id = 8"),
                     ==, 1);
    g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM audit_log WHERE id = 8"
                                             " AND actor_username IS NULL"), ==, 1);
    assert_broken_at (store, 8);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit-tamper/every-column", test_every_column);
  g_test_add_func ("/audit-tamper/identity", test_identity);
  g_test_add_func ("/audit-tamper/malformed", test_malformed);

  return g_test_run ();
}
