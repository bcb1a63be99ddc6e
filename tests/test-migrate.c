/* test-migrate.c: upgrades from every older schema version, and the
 * schema's protective triggers and tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clinics of older versions are SQL dumps in tests/fixtures/ (no
 * database is kept in git), loaded into a fresh file for each test.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-client.h"
#include "desk-member.h"
#include "desk-record-list.h"
#include "desk-session.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
raw_exec_path (const char *path,
               const char *sql)
{
  sqlite3 *db = raw_open (path);

  raw_exec (db, sql);
  sqlite3_close (db);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Loads tests/fixtures/clinic-v@version.sql into a new file @path. */
static void
load_fixture (const char *path,
              int         version)
{
  g_autofree char *name = g_strdup_printf ("clinic-v%d.sql", version);
  g_autofree char *fixture = g_build_filename (DESK_TEST_FIXTURES, name, NULL);
  g_autofree char *dump = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_true (g_file_get_contents (fixture, &dump, NULL, &error));
  g_assert_no_error (error);
  db = raw_open (path);
  raw_exec (db, dump);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, version);
  sqlite3_close (db);
}

static guint64
assert_intact (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 broken = -1;
  guint64 n = 0;

  g_assert_true (desk_audit_verify (store, &n, &broken, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (broken, ==, 0);
  return n;
}

static guint
search_clients (DeskStore  *store,
                const char *text)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (store);
  g_autoptr(GError) error = NULL;

  desk_record_list_set_search (list, text);
  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (list));
}

/* Upgrades */

/* Each older clinic, as it was kept, opens with this build: brought to the
 * current version, its records and audit chain whole, its clients found,
 * and its schema exactly what a new clinic's is. */
static void
test_upgrade (gconstpointer data)
{
  int version = GPOINTER_TO_INT (data);
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *fresh_path = g_build_filename (dir, "new.db", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskStore) fresh = NULL;
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(DeskClient) client = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  load_fixture (path, version);
  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  db = _desk_store_get_db (store);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 8);
  g_assert_true (g_str_has_prefix (desk_store_get_clinic_name (store), "Clinique version "));
  g_assert_cmpint (atoi (desk_store_get_clinic_name (store) + strlen ("Clinique version ")), ==,
                   version);

  /* Creation, 3 members, 4 clients, a discharge, a sign-in: rule 1 before
   * version 6, rule 2 with the actor's identity from it. */
  g_assert_cmpuint (assert_intact (store), ==, 10);
  if (version < 6)
    g_assert_cmpint (raw_int (db, "SELECT count (*) FROM audit_log WHERE hash_version = 1"
                                  " AND actor_username IS NULL AND actor_name IS NULL"), ==, 10);
  else
    g_assert_cmpint (raw_int (db, "SELECT count (*) FROM audit_log WHERE hash_version = 2"), ==, 10);

  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM members"), ==, 3);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM clients"), ==, 4);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM appointments"), ==, 3);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM messages"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM inbox_items"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM client_status_changes"), ==, 1);
  g_assert_cmpint (desk_client_count (store, &error), ==, 4);

  member = desk_member_load_by_username (store, "NTRAN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_member_get_display_name (member), ==, "Ngọc Trần");
  client = desk_client_load (store, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_client_get_display_name (client), ==, "Jean-François Tremblay");
  g_assert_cmpstr (desk_client_get_discharge_reason (client), ==, "Moved away");

  /* Found by name without accents, by part of a name, by phone. */
  g_assert_cmpuint (search_clients (store, "levesque"), ==, 1);
  g_assert_cmpuint (search_clients (store, "ødegard"), ==, 1);
  g_assert_cmpuint (search_clients (store, "jean-fran"), ==, 1);
  g_assert_cmpuint (search_clients (store, "555-0199"), ==, 1);
  g_assert_cmpuint (search_clients (store, "zz-no-such"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM client_search"), ==, 4);

  /* New entries follow the old ones under rule 2, and the chain holds. */
  {
    raw_exec (db, "BEGIN IMMEDIATE");
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW, 2, "client.discharge", "client", 3,
                                       "", NULL, &error));
    g_assert_no_error (error);
    raw_exec (db, "COMMIT");
    g_assert_cmpuint (assert_intact (store), ==, 11);
    g_assert_cmpint (raw_int (db, "SELECT hash_version FROM audit_log WHERE id = 11"), ==, 2);
    g_assert_cmpint (raw_int (db, "SELECT actor_username = 'obrien' AND actor_name = 'Seán O''Brien'"
                                  " FROM audit_log WHERE id = 11"), ==, 1);
  }

  /* The schema is the one a new clinic gets, object for object. */
  fresh = desk_store_create (fresh_path, "Fresh", &error);
  g_assert_no_error (error);
  {
    g_autofree char *attach = g_strdup_printf ("ATTACH '%s' AS fresh", fresh_path);

    raw_exec (db, attach);
    g_assert_cmpint (raw_int (db, "SELECT count (*) FROM (SELECT type, name, tbl_name, sql"
                                  " FROM main.sqlite_master EXCEPT SELECT type, name, tbl_name,"
                                  " sql FROM fresh.sqlite_master)"), ==, 0);
    g_assert_cmpint (raw_int (db, "SELECT count (*) FROM (SELECT type, name, tbl_name, sql"
                                  " FROM fresh.sqlite_master EXCEPT SELECT type, name, tbl_name,"
                                  " sql FROM main.sqlite_master)"), ==, 0);
    raw_exec (db, "DETACH fresh");
  }
}

/* Protection */

/* A clinic as Front Desk makes it, closed; copied for each case. */
static char *
make_pristine (const char *dir)
{
  char *path = g_build_filename (dir, "pristine.db", NULL);
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_store_create (path, "Pristine", &error);

  g_assert_no_error (error);
  g_assert_finalize_object (store);
  return path;
}

static char *
copy_of (const char *pristine,
         const char *dir,
         guint       n)
{
  g_autofree char *name = g_strdup_printf ("case-%u.db", n);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (pristine, &contents, &length, &error));
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return path;
}

/* @sql done to a copy of the clinic with sqlite3 is refused at open, naming
 * @named, the file untouched; and done under an open store, audit verify
 * reports it the same way. */
static void
assert_refused (const char *pristine,
                const char *dir,
                guint       n,
                const char *sql,
                const char *named,
                gboolean    audit_log)
{
  g_autofree char *path = copy_of (pristine, dir, n);
  g_autofree char *open_path = copy_of (pristine, dir, n + 1000);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *prefix = audit_log ? "The audit log’s protection was removed or changed: "
                                 : "The clinic record’s protection was removed or changed: ";

  raw_exec_path (path, sql);
  before = desk_test_file_checksum (path);
  store = desk_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_UNPROTECTED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, named));
  g_assert_nonnull (strstr (error->message, "restore it from a backup"));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strstr (error->message, "sqlite"));
  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);

  /* While a store has the file open. */
  store = desk_store_open (open_path, &error);
  g_assert_no_error (error);
  assert_intact (store);
  raw_exec_path (open_path, sql);
  g_assert_false (desk_audit_verify (store, NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_UNPROTECTED);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, named));
}

static void
test_protection (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *pristine = make_pristine (dir);
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  const struct
  {
    const char *what;
    const char *sql;
    const char *named;
    gboolean    audit_log;
  } cases[] = {
    { "rate limiting switched off",
      "CREATE TRIGGER sign_in_attempts_x BEFORE INSERT ON sign_in_attempts"
      " BEGIN SELECT RAISE (IGNORE); END",
      "an unknown trigger sign_in_attempts_x was added on sign_in_attempts", FALSE },
    { "a trigger added on the audit log",
      "CREATE TRIGGER audit_log_x BEFORE INSERT ON audit_log WHEN new.action = 'member.sign-in'"
      " BEGIN SELECT RAISE (IGNORE); END",
      "an unknown trigger audit_log_x was added on audit_log", TRUE },
    { "the append-only trigger reduced to one column",
      "DROP TRIGGER audit_log_no_update;"
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF action ON audit_log"
      "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END",
      "trigger audit_log_no_update was changed", TRUE },
    { "a no-delete trigger that never fires",
      "DROP TRIGGER clients_no_delete;"
      "CREATE TRIGGER clients_no_delete BEFORE DELETE ON clients WHEN 0"
      "  BEGIN SELECT RAISE (ABORT, 'clients are never deleted'); END",
      "trigger clients_no_delete was changed", FALSE },
    { "a unique index dropped", "DROP INDEX lab_integrations_one_main",
      "index lab_integrations_one_main is missing", FALSE },
    { "a column added to the audit log", "ALTER TABLE audit_log ADD COLUMN note TEXT",
      "table audit_log was changed", TRUE },
    { "a table's checks rewritten",
      "PRAGMA writable_schema = ON;"
      "UPDATE sqlite_master SET sql = replace (sql, 'CHECK (succeeded IN (0, 1))', '')"
      " WHERE name = 'sign_in_attempts';",
      "table sign_in_attempts was changed", FALSE },
    { "two at once",
      "DROP TRIGGER audit_log_no_delete; DROP TRIGGER members_no_delete;",
      "trigger audit_log_no_delete is missing; trigger members_no_delete is missing", TRUE },
  };
  guint n = 0;

  /* Every trigger the clinic has, dropped in turn. */
  {
    sqlite3 *db = raw_open (pristine);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, tbl_name FROM sqlite_master"
                                             " WHERE type = 'trigger' ORDER BY name", -1, &stmt,
                                         NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      }
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  /* 2 on the audit log, 16 no-delete, 3 of the search index. */
  g_assert_cmpuint (triggers->len, ==, 21);

  for (guint i = 0; i < triggers->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER %s", (char *) triggers->pdata[i]);
      g_autofree char *named = g_strdup_printf ("trigger %s is missing",
                                                (char *) triggers->pdata[i]);

      g_test_message ("dropped: %s", (char *) triggers->pdata[i]);
      assert_refused (pristine, dir, n++, sql, named,
                      g_str_equal (tables->pdata[i], "audit_log"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].what);
      assert_refused (pristine, dir, n++, cases[i].sql, cases[i].named, cases[i].audit_log);
    }
}

/* What cannot weaken the record is let be: a table, an index, a view of
 * one's own. */
static void
test_protection_allows (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *pristine = make_pristine (dir);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;

  raw_exec_path (pristine, "CREATE TABLE my_notes (x); CREATE INDEX my_index ON clients (email);"
                           " CREATE VIEW my_view AS SELECT id FROM clients;"
                           " ANALYZE;");
  store = desk_store_open (pristine, &error);
  g_assert_no_error (error);
  assert_intact (store);
}

/* A clinic made at each version passes the check of that version. */
static void
test_protection_each_version (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();

  for (int version = 1; version <= 7; version++)
    {
      g_autofree char *name = g_strdup_printf ("v%d.db", version);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskStore) store = _desk_store_create_at_version (path, "Any", version, &error);

      g_assert_no_error (error);
      g_assert_true (_desk_schema_check_protection (_desk_store_get_db (store), &error));
      g_assert_no_error (error);
    }
}

/* The table of what this build ships is what its migrations make. */
static void
test_shipped_table (void)
{
  gboolean matches = FALSE;
  g_autofree char *table = _desk_schema_shipped_table (&matches);

  if (!matches)
    g_test_message ("src/core/desk-schema-shipped.h should read:\n%s", table);
  g_assert_true (matches);
}

/* Records are never deleted */

/* Every table with a no-delete trigger, and a row of it that nothing else
 * refers to, so that no foreign key stands in for the trigger. */
static const struct
{
  const char *table;
  const char *insert;
} undeletable[] = {
  { "appointments", "INSERT INTO appointments (id, client_id, practitioner_id, starts_at,"
                    " duration_minutes) VALUES (1000, 1, 1, 0, 30)" },
  { "billing_connections", "INSERT INTO billing_connections (id, member_id, system, province,"
                           " billing_number, connected_at) VALUES (1000, 1, 'mdbilling', 'ON',"
                           " '012345', 0)" },
  { "client_status_changes", "INSERT INTO client_status_changes (id, client_id, change, at,"
                             " by_member_id) VALUES (1000, 1, 'discharged', 0, 1)" },
  { "clients", "INSERT INTO clients (id, given_name, family_name, date_of_birth, created_at)"
               " VALUES (1000, 'Nobody', 'Refers', '2000-01-01', 0)" },
  { "document_shares", "INSERT INTO document_shares (id, document_id, client_id, shared_at)"
                       " VALUES (1000, 1, 1, 0)" },
  { "documents", "INSERT INTO documents (id, client_id, title, kind, created_at)"
                 " VALUES (1000, 1, 'Note', 'note', 0)" },
  { "inbox_items", "INSERT INTO inbox_items (id, message_id, member_id, received_at)"
                   " VALUES (1000, 1, 1, 0)" },
  { "lab_integration_transfers", "INSERT INTO lab_integration_transfers (id, integration_id,"
                                 " from_member_id, to_member_id, at, by_member_id)"
                                 " VALUES (1000, 1, 1, 1, 0, 1)" },
  { "lab_integrations", "INSERT INTO lab_integrations (id, lab_name, account_number, member_id,"
                        " created_at) VALUES (1000, 'LifeLabs', 'A-1', 1, 0)" },
  { "member_status_changes", "INSERT INTO member_status_changes (id, member_id, change, at,"
                             " by_member_id) VALUES (1000, 1, 'deactivated', 0, 1)" },
  { "members", "INSERT INTO members (id, username, given_name, family_name, email, kind,"
               " province, created_at) VALUES (1000, 'nobody', 'No', 'Body', 'n@x.ca',"
               " 'employee', 'QC', 0)" },
  { "messages", "INSERT INTO messages (id, sender_member_id, subject, body, sent_at)"
                " VALUES (1000, 1, 's', 'b', 0)" },
  { "portal_credentials", "INSERT INTO portal_credentials (client_id, invitation_id, email,"
                          " password_hash, set_at) VALUES (1000, 1, 'c@x.ca', 'h', 0)" },
  { "portal_invitations", "INSERT INTO portal_invitations (id, client_id, email, token_hash,"
                          " sent_at, expires_at) VALUES (1000, 1, 'c@x.ca', x'1000', 0, 1)" },
  { "qnaire_schedules", "INSERT INTO qnaire_schedules (id, title, client_id, practitioner_id,"
                        " every_days, next_send_at) VALUES (1000, 'PHQ-9', 1, 1, 30, 0)" },
  { "qnaire_sends", "INSERT INTO qnaire_sends (id, title, client_id, practitioner_id, sent_at)"
                    " VALUES (1000, 'Intake', 1, 1, 0)" },
};

static void
test_never_deleted (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = make_pristine (dir);
  g_autoptr(GString) tables = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;

  /* Someone with the file and sqlite3: no foreign keys enforced. */
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA foreign_keys"), ==, 0);
  raw_exec (db, "INSERT INTO members (id, username, given_name, family_name, email, kind,"
                " province, created_at) VALUES (1, 'a', 'A', 'A', 'a@x.ca', 'provider', 'QC', 0);"
                "INSERT INTO clients (id, given_name, family_name, date_of_birth, created_at)"
                " VALUES (1, 'C', 'C', '2000-01-01', 0);"
                "INSERT INTO messages (id, sender_member_id, subject, body, sent_at)"
                " VALUES (1, 1, 's', 'b', 0);"
                "INSERT INTO documents (id, client_id, title, kind, created_at)"
                " VALUES (1, 1, 'd', 'file', 0);"
                "INSERT INTO lab_integrations (id, lab_name, account_number, member_id,"
                " created_at) VALUES (1, 'Dynacare', 'B-2', 1, 0);"
                "INSERT INTO portal_invitations (id, client_id, email, token_hash, sent_at,"
                " expires_at) VALUES (1, 1, 'c@x.ca', x'01', 0, 1);");

  /* The list above is every table with such a trigger, and only those. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT tbl_name FROM sqlite_master"
                                           " WHERE type = 'trigger' AND sql LIKE '%BEFORE DELETE%'"
                                           " AND tbl_name <> 'audit_log' ORDER BY tbl_name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (tables, "%s ", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < G_N_ELEMENTS (undeletable); i++)
    g_string_append_printf (expected, "%s ", undeletable[i].table);
  g_assert_cmpstr (tables->str, ==, expected->str);

  for (guint i = 0; i < G_N_ELEMENTS (undeletable); i++)
    {
      g_autofree char *count = g_strdup_printf ("SELECT count (*) FROM %s WHERE rowid = 1000",
                                                undeletable[i].table);
      g_autofree char *delete = g_strdup_printf ("DELETE FROM %s WHERE rowid = 1000",
                                                 undeletable[i].table);
      char *message = NULL;

      g_test_message ("%s", undeletable[i].table);
      raw_exec (db, undeletable[i].insert);
      g_assert_cmpint (raw_int (db, count), ==, 1);
      /* Nothing refers to it: with foreign keys on, nothing would stop this. */
      raw_exec (db, "PRAGMA foreign_keys = ON");
      g_assert_cmpint (raw_int (db, "SELECT count (*) FROM pragma_foreign_key_check"), ==, 0);

      g_assert_cmpint (sqlite3_exec (db, delete, NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (message, "never deleted"));
      sqlite3_free (message);
      raw_exec (db, "PRAGMA foreign_keys = OFF");
      g_assert_cmpint (sqlite3_exec (db, delete, NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
      sqlite3_free (message);
      g_assert_cmpint (raw_int (db, count), ==, 1);
    }

  /* A discharged client and a deactivated member as much as active ones:
   * nothing refers to them either. */
  raw_exec (db, "INSERT INTO clients (id, given_name, family_name, date_of_birth, created_at,"
                " status, discharged_at) VALUES (1001, 'Gone', 'Away', '2000-01-01', 0,"
                " 'inactive', 0);"
                "INSERT INTO members (id, username, given_name, family_name, email, kind,"
                " province, created_at, status, deactivated_at) VALUES (1001, 'left', 'Le',"
                " 'Ft', 'l@x.ca', 'employee', 'QC', 0, 'deactivated', 0)");
  for (guint i = 0; i < 2; i++)
    {
      const char *table = i == 0 ? "clients" : "members";
      g_autofree char *count = g_strdup_printf ("SELECT count (*) FROM %s WHERE id = 1001", table);
      g_autofree char *delete = g_strdup_printf ("DELETE FROM %s WHERE id = 1001", table);
      char *message = NULL;

      g_test_message ("%s, not active", table);
      g_assert_cmpint (sqlite3_exec (db, delete, NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (message, "never deleted"));
      sqlite3_free (message);
      g_assert_cmpint (raw_int (db, count), ==, 1);
    }
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (int version = 1; version <= 7; version++)
    {
      g_autofree char *name = g_strdup_printf ("/migrate/upgrade/from-v%d", version);

      g_test_add_data_func (name, GINT_TO_POINTER (version), test_upgrade);
    }
  g_test_add_func ("/migrate/protection/refused", test_protection);
  g_test_add_func ("/migrate/protection/allows", test_protection_allows);
  g_test_add_func ("/migrate/protection/each-version", test_protection_each_version);
  g_test_add_func ("/migrate/protection/shipped-table", test_shipped_table);
  g_test_add_func ("/migrate/never-deleted", test_never_deleted);

  return g_test_run ();
}
