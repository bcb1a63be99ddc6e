/* test-store.c: the clinic database, its schema, migrations and bad input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-client.h"
#include "desk-client-search.h"
#include "desk-member.h"
#include "desk-records.h"
#include "desk-record-list.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
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

static int
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_fold (void)
{
  struct { const char *in, *out; } cases[] = {
    { "Chloé  CÔTÉ", "chloe cote" },
    { "  Müller\tSt-Pierre ", "muller st-pierre" },
    { "O'Brien", "o'brien" },
    { "", "" },
    { "Ελένη", "ελενη" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = _desk_fold_for_search (cases[i].in);

      g_assert_cmpstr (folded, ==, cases[i].out);
    }
}

static void
test_create_and_open (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *uuid = NULL;
  sqlite3 *db;

  store = desk_store_create (path, "Clinique du Parc", &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (desk_store_get_clinic_name (store), ==, "Clinique du Parc");
  g_assert_false (desk_store_get_is_demo (store));
  uuid = g_strdup (desk_store_get_clinic_uuid (store));
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_finalize_object (g_steal_pointer (&store));

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_store_get_clinic_uuid (store), ==, uuid);
  g_assert_cmpstr (desk_store_get_path (store), ==, path);

  db = _desk_store_get_db (store);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, DESK_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, DESK_APPLICATION_ID);
  g_assert_cmpint (raw_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM permissions"), ==, 4);
  g_assert_cmpint (desk_client_count (store, &error), ==, 0);
  g_assert_no_error (error);

  /* Every record kind of PRODUCT.md has its table from the start. */
  {
    const char *tables[] = {
      "members", "roles", "role_permissions", "groups", "member_roles", "member_groups",
      "member_status_changes", "clients", "client_status_changes", "appointments",
      "qnaire_schedules", "qnaire_sends", "messages", "inbox_items", "lab_integrations",
      "lab_integration_transfers", "billing_connections", "documents", "document_shares",
      "portal_invitations", "portal_credentials", "audit_log", "reauth_tokens",
      "sign_in_attempts", "client_search",
    };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *sql =
          g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE name = '%s'", tables[i]);

        g_assert_cmpint (raw_int (db, sql), ==, 1);
      }
  }

  g_assert_finalize_object (g_steal_pointer (&store));

  /* WAL: readers never wait for the writer. */
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);
  sqlite3_close (db);
}

static void
test_create_refuses_existing (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  DeskStore *store;

  g_file_set_contents (path, "precious notes\n", -1, &error);
  g_assert_no_error (error);
  before = desk_test_file_checksum (path);

  store = desk_store_create (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_EXISTS);
  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_create_in_missing_folder (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "no-such-folder", "clinic.db", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (desk_store_create (path, NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NOT_FOUND);
}

static void
test_migrate_from_v1 (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskRecordList) list = NULL;
  g_autoptr(DeskClient) client = NULL;
  g_autoptr(DeskMember) member = NULL;
  sqlite3 *db;

  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  store = _desk_store_create_at_version (path, "Old Clinic", 1, &error);
  g_assert_no_error (error);
  db = _desk_store_get_db (store);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 1);
  raw_exec (db,
            "INSERT INTO members (id, username, given_name, family_name, email, kind, province,"
            " created_at) VALUES (1, 'hcote', 'Hélène', 'Côté', 'hcote@x.ca', 'provider', 'QC', 0);"
            "INSERT INTO clients (id, given_name, family_name, date_of_birth, email, phone,"
            " primary_practitioner_id, created_at) VALUES"
            " (1, 'Zoé', 'Lévesque', '1990-04-01', 'zoe.l@example.com', '(514) 555-0100', 1, 0),"
            " (2, 'Omar', 'Khan', '1971-12-24', 'okhan@example.com', '(416) 555-0199', 1, 0);");
  g_assert_finalize_object (g_steal_pointer (&store));

  /* A caller that cannot wait for an upgrade is told so, and the file is untouched. */
  before = desk_test_file_checksum (path);
  store = desk_store_open_full (path, DESK_STORE_OPEN_NO_WAIT |
                                      DESK_STORE_OPEN_NO_UPGRADE, &error);
  g_assert_null (store);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NEEDS_UPGRADE);
  g_clear_error (&error);
  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  db = _desk_store_get_db (store);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, DESK_SCHEMA_VERSION);

  /* The data came along, and migration 2 made it searchable. */
  member = desk_member_load_by_username (store, "HCOTE", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_member_get_display_name (member), ==, "Hélène Côté");

  list = desk_record_list_new_clients (store);
  desk_record_list_set_search (list, "levesque");
  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  client = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (desk_client_get_display_name (client), ==, "Zoé Lévesque");
  g_assert_cmpstr (desk_client_get_primary_practitioner_name (client), ==, "Hélène Côté");

  /* The trigram index was rebuilt from the migrated rows. */
  desk_record_list_set_search (list, "555-0199");
  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

/* Migration 4 keys the trigram index by name order: every client of a
 * version 3 clinic is in it once, under its new key, and found. */
static void
test_migrate_from_v3 (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskRecordList) list = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3 *db;

  store = _desk_store_create_at_version (path, "Version 3 Clinic", 3, &error);
  g_assert_no_error (error);
  db = _desk_store_get_db (store);
  raw_exec (db, "INSERT INTO members (id, username, given_name, family_name, email, kind,"
                " province, created_at) VALUES (1, 'hcote', 'Hélène', 'Côté', 'hcote@x.ca',"
                " 'provider', 'QC', 0);");
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *given = g_strdup_printf ("Given%03u", i);
      const char *family = i % 3 == 0 ? "Tremblay" : i % 3 == 1 ? "Lévesque" : "Ωmega";
      g_autofree char *search = _desk_client_search_text (given, family, "", "");
      g_autofree char *sort = _desk_sort_key (given, family);

      g_string_append_printf (sql, "INSERT INTO clients (given_name, family_name, date_of_birth,"
                                   " primary_practitioner_id, created_at, search_text, sort_key)"
                                   " VALUES ('%s', '%s', '1990-01-01', 1, 0, '%s', '%s');",
                              given, family, search, sort);
    }
  raw_exec (db, sql->str);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM client_search WHERE client_search"
                                " MATCH '\"tremblay\"'"), ==, 100);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  db = _desk_store_get_db (store);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, DESK_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM client_search_buckets"), >=, 2);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM client_search"), ==, 300);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM clients c WHERE NOT EXISTS"
                                " (SELECT 1 FROM client_search s"
                                "  WHERE s.rowid = " DESK_CLIENT_SEARCH_KEY ("c.") ")"), ==, 0);
  /* Keys grow with the name order. */
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM clients a JOIN clients b"
                                " ON a.sort_key < b.sort_key"
                                " WHERE " DESK_CLIENT_SEARCH_KEY ("a.") " >> 39 >"
                                " " DESK_CLIENT_SEARCH_KEY ("b.") " >> 39"), ==, 0);

  list = desk_record_list_new_clients (store);
  desk_record_list_set_search (list, "levesque");
  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 100);
  desk_record_list_set_search (list, "ωme");
  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 100);

  /* A new client goes into the index under its key. */
  raw_exec (db, "INSERT INTO clients (given_name, family_name, date_of_birth,"
                " primary_practitioner_id, created_at, search_text, sort_key)"
                " VALUES ('Zoé', 'Tremblay', '1990-01-01', 1, 0, 'zoe tremblay', 'tremblay zoe');");
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM client_search WHERE client_search"
                                " MATCH '\"tremblay\"'"), ==, 101);
}

static void
test_migration_is_atomic (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  sqlite3 *db;

  store = _desk_store_create_at_version (path, "Old Clinic", 1, &error);
  g_assert_no_error (error);
  /* Something in the way of migration 2: it must fail whole. */
  raw_exec (_desk_store_get_db (store), "CREATE TABLE client_search (x);");
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_null (desk_store_open (path, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED);

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('clients')"
                                " WHERE name = 'search_text'"), ==, 0);
  sqlite3_close (db);
}

static void
assert_open_refused (const char *path,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  gboolean existed = g_file_test (path, G_FILE_TEST_EXISTS);
  g_autofree char *before = g_file_test (path, G_FILE_TEST_IS_REGULAR)
                              ? desk_test_file_checksum (path) : NULL;
  DeskStore *store;

  store = desk_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, DESK_STORE_ERROR, code);
  /* A message a front-desk user can read: one sentence, no SQL. */
  g_assert_null (strstr (error->message, "sqlite"));
  g_assert_null (strchr (error->message, '\n'));

  if (before != NULL)
    {
      g_autofree char *after = desk_test_file_checksum (path);

      g_assert_cmpstr (before, ==, after);
    }
  else
    {
      g_assert_cmpint (existed, ==, g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
test_open_missing (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "nothing.db", NULL);

  assert_open_refused (path, DESK_STORE_ERROR_NOT_FOUND);
}

static void
test_open_not_a_database (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "letter.db", NULL);

  g_file_set_contents (path, "Dear Dr. Tremblay,\nThis is not a database.\n", -1, NULL);
  assert_open_refused (path, DESK_STORE_ERROR_NOT_A_DATABASE);
  assert_open_refused (dir, DESK_STORE_ERROR_NOT_A_DATABASE);
}

static void
test_open_empty_file (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);

  g_file_set_contents (path, "", 0, NULL);
  assert_open_refused (path, DESK_STORE_ERROR_NOT_A_CLINIC);
}

static void
test_open_other_sqlite (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "other.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  raw_exec (db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('tarte');");
  sqlite3_close (db);

  assert_open_refused (path, DESK_STORE_ERROR_NOT_A_CLINIC);
}

static char *
make_closed_demo (const char *dir,
                  guint       clients)
{
  char *path = g_build_filename (dir, "clinic.db", NULL);
  DeskStore *store = desk_test_demo_store (path, clients, 3);

  g_assert_finalize_object (store);
  return path;
}

/* Opening reads the header and the clinic row, not the whole file: a file
 * damaged in the middle opens, and the first query that meets the damage
 * says so, in words for a person, without changing the file. */
static void
test_open_corrupt (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = make_closed_demo (dir, 300);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  guint8 garbage[4096];
  sqlite3 *db = raw_open (path);
  FILE *file;

  /* Every leaf page of the clients table and its indexes: what counting
   * the clients reads, and nothing opening reads. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE pagetype = 'leaf'"
                                           " AND name IN (SELECT name FROM sqlite_schema"
                                           "   WHERE tbl_name = 'clients')", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 page = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (pages, page);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (pages->len, >, 4);

  memset (garbage, 0xa5, sizeof garbage);
  file = g_fopen (path, "r+b");
  g_assert_nonnull (file);
  for (guint i = 0; i < pages->len; i++)
    {
      g_assert_cmpint (fseek (file, (g_array_index (pages, gint64, i) - 1) * 4096, SEEK_SET), ==, 0);
      g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, file), ==, sizeof garbage);
    }
  fclose (file);
  before = desk_test_file_checksum (path);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_store_get_clinic_name (store), ==, "Test Clinic");

  g_assert_cmpuint (desk_client_count (store, &error), ==, 0);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "is damaged"));
  g_assert_null (strstr (error->message, "malformed"));
  g_clear_error (&error);
  g_clear_object (&store);

  g_assert_false (desk_store_check_file (path, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT);
  g_assert_null (strstr (error->message, "malformed"));

  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (desk_store_check_finish (DESK_STORE (source), result, error));
}

/* The window opens at once and checks the file in the background: a
 * damaged file is still refused, and still not changed. */
static void
test_open_corrupt_deferred (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = make_closed_demo (dir, 300);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  guint8 garbage[4096];
  FILE *file;

  memset (garbage, 0x5a, sizeof garbage);
  file = g_fopen (path, "r+b");
  g_assert_cmpint (fseek (file, 20 * 4096, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, file), ==, sizeof garbage);
  fclose (file);
  before = desk_test_file_checksum (path);

  store = desk_store_open_full (path, DESK_STORE_OPEN_DEFAULT, &error);
  if (store != NULL)
    {
      desk_store_check_async (store, NULL, check_done, &error);
      while (error == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_clear_object (&store);
    }
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT);

  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

/* A file that needs migrating is read whole for damage first: a migration
 * never writes into a damaged file. */
static void
test_open_corrupt_older (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) old = NULL;
  g_autoptr(DeskStore) store = NULL;
  guint8 garbage[4096];
  FILE *file;

  old = _desk_store_create_at_version (path, "Old Clinic", 5, &error);
  g_assert_no_error (error);
  desk_test_exec (old, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                       " WHERE i < 3000) INSERT INTO clients (given_name, family_name,"
                       " date_of_birth, created_at) SELECT 'Given ' || i, 'Family ' || i,"
                       " '2000-01-01', 0 FROM n");
  g_clear_object (&old);

  memset (garbage, 0x5a, sizeof garbage);
  file = g_fopen (path, "r+b");
  g_assert_cmpint (fseek (file, 40 * 4096, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, file), ==, sizeof garbage);
  fclose (file);
  before = desk_test_file_checksum (path);

  store = desk_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT);
  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_check_async_healthy (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = make_closed_demo (dir, 100);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open_full (path, DESK_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  desk_store_check_async (store, NULL, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (desk_store_check_finish (store, result, &error));
  g_assert_no_error (error);
}

static void
test_open_read_only (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = make_closed_demo (dir, 50);

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  assert_open_refused (path, DESK_STORE_ERROR_READ_ONLY);
}

static void
test_open_locked (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = make_closed_demo (dir, 50);
  sqlite3 *writer = raw_open (path);

  /* Another program in the middle of a write. */
  raw_exec (writer, "BEGIN IMMEDIATE; UPDATE clients SET phone = phone WHERE id = 1;");
  assert_open_refused (path, DESK_STORE_ERROR_LOCKED);

  /* Without waiting: refused at once. */
  {
    g_autoptr(GError) error = NULL;
    gint64 started = g_get_monotonic_time ();

    g_assert_null (desk_store_open_full (path, DESK_STORE_OPEN_NO_WAIT,
                                         &error));
    g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED);
    /* Not a timing test: only that it did not wait out the 2 s busy timeout. */
    g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  }
  raw_exec (writer, "ROLLBACK");
  sqlite3_close (writer);

  /* Once it is done, the file opens. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskStore) store = desk_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_nonnull (store);
  }
}

static void
test_open_too_new (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = make_closed_demo (dir, 50);
  sqlite3 *db = raw_open (path);

  raw_exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);

  assert_open_refused (path, DESK_STORE_ERROR_TOO_NEW);

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 99);
  sqlite3_close (db);
}

static void
test_never_deletes (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = desk_test_demo_store (path, 20, 1);
  sqlite3 *db = _desk_store_get_db (store);
  const char *refused[] = {
    "DELETE FROM members WHERE id = 2",
    "DELETE FROM clients WHERE id = 1",
    "INSERT INTO audit_log (at, action, target_kind, prev_hash, hash)"
    " VALUES (1, 'test', 'clinic', '', 'x'); UPDATE audit_log SET action = 'forged'",
    "INSERT INTO audit_log (at, action, target_kind, prev_hash, hash)"
    " VALUES (1, 'test', 'clinic', '', 'x'); DELETE FROM audit_log",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      raw_exec (db, "SAVEPOINT t");
      g_assert_false (_desk_db_exec (db, refused[i], &error));
      g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
      raw_exec (db, "ROLLBACK TO t; RELEASE t");
    }

  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM clients"), ==, 20);
}

/* A small clinic built by hand, where every count is known. */
static DeskStore *
make_counted_clinic (const char *path)
{
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_store_create (path, "Counted", &error);
  const gint64 now = DESK_TEST_NOW;
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  desk_store_set_now (store, now);
  sql = g_strdup_printf (
    "INSERT INTO roles (id, name) VALUES (1, 'Practitioner'), (2, 'Lab coordinator');"
    "INSERT INTO role_permissions VALUES (1, 'manage-clients'), (2, 'manage-labs'),"
    " (2, 'manage-clients');"
    "INSERT INTO groups (id, name) VALUES (1, 'Physiotherapy'), (2, 'Family medicine');"
    "INSERT INTO members (id, username, given_name, family_name, email, kind, province,"
    " created_at, search_text, sort_key) VALUES"
    " (1, 'ada', 'Ada', 'Roy', 'ada@x.ca', 'provider', 'ON', 0, 'ada roy ada', 'roy ada'),"
    " (2, 'bo', 'Bo', 'Li', 'bo@x.ca', 'employee', 'QC', 0, 'bo li bo', 'li bo');"
    "INSERT INTO member_roles VALUES (1, 1), (1, 2);"
    "INSERT INTO member_groups VALUES (1, 2), (1, 1);"
    "INSERT INTO clients (id, given_name, family_name, date_of_birth, primary_practitioner_id,"
    " created_at) VALUES (1, 'Cy', 'Ng', '2001-01-01', 1, 0);"
    /* 3 future booked, 1 future cancelled, 2 past: 3 count */
    "INSERT INTO appointments (client_id, practitioner_id, starts_at, duration_minutes, status)"
    " VALUES (1, 1, %1$" G_GINT64_FORMAT " + 3600, 30, 'booked'),"
    " (1, 1, %1$" G_GINT64_FORMAT " + 86400, 30, 'booked'),"
    " (1, 1, %1$" G_GINT64_FORMAT " + 900000, 60, 'booked'),"
    " (1, 1, %1$" G_GINT64_FORMAT " + 7200, 30, 'cancelled'),"
    " (1, 1, %1$" G_GINT64_FORMAT " - 86400, 30, 'completed'),"
    " (1, 2, %1$" G_GINT64_FORMAT " + 3600, 30, 'booked');"
    "INSERT INTO qnaire_schedules (title, client_id, practitioner_id, every_days, next_send_at,"
    " status) VALUES ('PHQ-9', 1, 1, 30, 0, 'active'), ('GAD-7', 1, 1, 30, 0, 'removed');"
    "INSERT INTO qnaire_sends (title, client_id, practitioner_id, sent_at, status) VALUES"
    " ('Intake', 1, 1, 0, 'sent'), ('Intake', 1, 1, 0, 'sent'), ('Pain', 1, 1, 0, 'completed');"
    "INSERT INTO messages (id, sender_client_id, client_id, subject, body, sent_at) VALUES"
    " (1, 1, 1, 's', 'b', 0), (2, 1, 1, 's', 'b', 0), (3, 1, 1, 's', 'b', 0);"
    "INSERT INTO inbox_items (message_id, member_id, received_at, folder, snoozed_until) VALUES"
    " (1, 1, 0, 'inbox', NULL), (2, 1, 0, 'inbox', %1$" G_GINT64_FORMAT " + 86400),"
    " (3, 1, 0, 'done', NULL), (3, 2, 0, 'inbox', NULL);"
    "INSERT INTO lab_integrations (lab_name, account_number, member_id, is_main, created_at)"
    " VALUES ('LifeLabs', 'A1', 1, 1, 0), ('Dynacare', 'B2', 1, 0, 0), ('Biron', 'C3', 2, 0, 0);"
    "INSERT INTO billing_connections (member_id, system, province, billing_number, status,"
    " connected_at) VALUES (1, 'mdbilling', 'ON', '123456', 'connected', 0);"
    "INSERT INTO documents (id, client_id, title, kind, created_at) VALUES"
    " (1, 1, 'Visit summary', 'file', 0), (2, 1, 'Consent form', 'form', 0),"
    " (3, 1, 'Withdrawn', 'file', 0);"
    "INSERT INTO document_shares (document_id, client_id, shared_at, completed_at, unshared_at)"
    " VALUES (1, 1, 100, NULL, NULL), (2, 1, 200, 250, NULL), (3, 1, 300, NULL, 400);",
    now);
  g_assert_true (_desk_db_exec (_desk_store_get_db (store), sql, &error));
  g_assert_no_error (error);
  return store;
}

/* The counts the member detail reads on the main thread: a member's
 * appointments and inbox items (thousands of them) are counted in an index
 * alone, and nothing is scanned. */
static void
test_member_summary_plan (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = desk_test_demo_store (path, 200, 5);
  g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", DESK_MEMBER_SUMMARY_SQL, NULL);
  sqlite3_stmt *stmt = NULL;
  guint searches = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *detail = (const char *) sqlite3_column_text (stmt, 3);

      g_test_message ("%s", detail);
      g_assert_false (g_str_has_prefix (detail, "SCAN"));
      if (strstr (detail, "appointments") != NULL || strstr (detail, "inbox_items") != NULL)
        {
          g_assert_nonnull (strstr (detail, "USING COVERING INDEX"));
          searches++;
        }
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (searches, ==, 3);
}

static void
test_member_summary (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = make_counted_clinic (path);
  g_autoptr(GError) error = NULL;
  DeskMemberSummary summary;
  const char *roles[] = { "Lab coordinator", "Practitioner", NULL };
  const char *groups[] = { "Family medicine", "Physiotherapy", NULL };

  g_assert_true (desk_member_load_summary (store, 1, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (summary.roles, roles);
  g_assert_cmpstrv (summary.groups, groups);
  g_assert_cmpuint (summary.permissions, ==,
                    DESK_PERMISSION_MANAGE_CLIENTS | DESK_PERMISSION_MANAGE_LABS);
  g_assert_cmpuint (summary.future_appointments, ==, 3);
  g_assert_cmpuint (summary.recurring_qnaires, ==, 1);
  g_assert_cmpuint (summary.sent_qnaires, ==, 2);
  g_assert_cmpuint (summary.inbox_messages, ==, 2);
  g_assert_cmpuint (summary.snoozed_messages, ==, 1);
  g_assert_cmpuint (summary.lab_integrations, ==, 2);
  g_assert_true (summary.main_lab_integration);
  g_assert_true (summary.billing_connected);
  desk_member_summary_clear (&summary);

  g_assert_true (desk_member_load_summary (store, 2, &summary, &error));
  g_assert_cmpuint (summary.future_appointments, ==, 1);
  g_assert_cmpuint (summary.inbox_messages, ==, 1);
  g_assert_cmpuint (summary.lab_integrations, ==, 1);
  g_assert_false (summary.main_lab_integration);
  g_assert_false (summary.billing_connected);
  g_assert_cmpuint (g_strv_length (summary.roles), ==, 0);
  desk_member_summary_clear (&summary);

  g_assert_false (desk_member_load_summary (store, 99, &summary, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
  g_assert_null (summary.roles);
}

static void
test_client_details (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = make_counted_clinic (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) appointments = NULL;
  g_autoptr(DeskDocument) first = NULL;
  g_autoptr(DeskAppointment) soonest = NULL;
  g_autoptr(DeskClient) client = NULL;

  client = desk_client_load (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_client_get_display_name (client), ==, "Cy Ng");
  g_assert_true (desk_client_get_is_active (client));
  g_assert_false (desk_client_get_portal_enabled (client));
  g_assert_cmpint (desk_client_get_portal_invitation (client), ==, DESK_INVITATION_NONE);

  /* Shared and not withdrawn, newest first. */
  documents = desk_client_list_documents (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==, 2);
  first = g_list_model_get_item (documents, 0);
  g_assert_cmpstr (desk_document_get_title (first), ==, "Consent form");
  g_assert_true (desk_document_get_completed (first));

  /* Booked and upcoming, soonest first, limited. */
  appointments = desk_client_list_appointments (store, 1, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (appointments), ==, 3);
  soonest = g_list_model_get_item (appointments, 0);
  g_assert_cmpint (desk_appointment_get_starts_at (soonest), ==, DESK_TEST_NOW + 3600);
  g_assert_cmpstr (desk_appointment_get_status (soonest), ==, "booked");

  g_clear_object (&client);
  client = desk_client_load (store, 42, &error);
  g_assert_null (client);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
  g_assert_nonnull (strstr (error->message, "42"));
}

static void
test_find_member (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = make_counted_clinic (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskMember) member = NULL;

  member = desk_member_load_by_username (store, "Ada", &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_member_get_id (member), ==, 1);
  g_assert_cmpint (desk_member_get_kind (member), ==, DESK_MEMBER_KIND_PROVIDER);
  g_assert_true (desk_member_get_is_active (member));
  g_assert_cmpuint (desk_member_count (store, DESK_MEMBER_STATUS_ACTIVE, NULL), ==, 2);

  g_clear_object (&member);
  member = desk_member_load_by_username (store, "nobody", &error);
  g_assert_null (member);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
  g_assert_nonnull (strstr (error->message, "nobody"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/fold", test_fold);
  g_test_add_func ("/store/create-and-open", test_create_and_open);
  g_test_add_func ("/store/create/refuses-existing", test_create_refuses_existing);
  g_test_add_func ("/store/create/missing-folder", test_create_in_missing_folder);
  g_test_add_func ("/store/migrate/from-v1", test_migrate_from_v1);
  g_test_add_func ("/store/migrate/from-v3", test_migrate_from_v3);
  g_test_add_func ("/store/migrate/atomic", test_migration_is_atomic);
  g_test_add_func ("/store/open/missing", test_open_missing);
  g_test_add_func ("/store/open/not-a-database", test_open_not_a_database);
  g_test_add_func ("/store/open/empty-file", test_open_empty_file);
  g_test_add_func ("/store/open/other-sqlite", test_open_other_sqlite);
  g_test_add_func ("/store/open/corrupt", test_open_corrupt);
  g_test_add_func ("/store/open/corrupt-deferred", test_open_corrupt_deferred);
  g_test_add_func ("/store/open/corrupt-older", test_open_corrupt_older);
  g_test_add_func ("/store/open/check-async", test_check_async_healthy);
  g_test_add_func ("/store/open/read-only", test_open_read_only);
  g_test_add_func ("/store/open/locked", test_open_locked);
  g_test_add_func ("/store/open/too-new", test_open_too_new);
  g_test_add_func ("/store/never-deletes", test_never_deletes);
  g_test_add_func ("/store/member-summary", test_member_summary);
  g_test_add_func ("/store/member-summary/plan", test_member_summary_plan);
  g_test_add_func ("/store/client-details", test_client_details);
  g_test_add_func ("/store/find-member", test_find_member);

  return g_test_run ();
}
