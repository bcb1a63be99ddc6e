/* test-store-files.c: the clinic's files: owner-only modes, building
 * beside the file and tidying leftovers, the read-only open, the full check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk-client.h"
#include "desk-audit.h"
#include "desk-session.h"
#include "desk-test-util.h"

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static char *
closed_demo (const char *dir,
             guint       clients)
{
  char *path = g_build_filename (dir, "clinic.db", NULL);

  g_object_unref (desk_test_demo_store (path, clients, 3));
  return path;
}

static GPtrArray *
list_dir (const char *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  return names;
}

/* With umask 0 SQLite would make its files 0644: the clinic, its -wal and
 * -shm are the owner's alone all the same. */
static void
test_create_owner_only (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  mode_t saved = umask (0);

  store = desk_store_create (path, "Clinique du Parc", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  umask (saved);
}

typedef struct
{
  const char *dir;
  guint       n_seen;   /* progress calls that found the demo's scratch file */
} ModeCheck;

static void
check_modes_cb (double   fraction,
                gpointer user_data)
{
  ModeCheck *check = user_data;
  g_autoptr(GPtrArray) names = list_dir (check->dir);
  gboolean scratch = FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (check->dir, name, NULL);

      if (file_mode (path) != 0600)
        g_error ("%s is %o while the demo is made", name, file_mode (path));
      if (g_str_has_suffix (name, ".demo-part"))
        scratch = TRUE;
    }
  if (scratch)
    check->n_seen++;
}

/* Every file the demo writes while it is made, its scratch file included. */
static void
test_demo_owner_only (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DeskDemoOptions options = { .clients = 300, .seed = 5, .reference_time = DESK_TEST_NOW };
  ModeCheck check = { dir, 0 };
  mode_t saved = umask (0);

  store = desk_demo_create (path, NULL, &options, check_modes_cb, &check, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (check.n_seen, >, 0);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  umask (saved);
}

static void
touch (const char *dir,
       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "left over", -1, NULL));
}

static gboolean
exists (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* What killed creations left is removed; what a running one holds, and
 * what is not a leftover of this file, stays. */
static void
test_create_removes_leftovers (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *held = g_build_filename (dir, ".clinic.db.CCCCCC.part", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  touch (dir, ".clinic.db.AAAAAA.part");
  touch (dir, ".clinic.db.AAAAAA.part-wal");
  touch (dir, ".clinic.db.AAAAAA.part.demo-part");
  touch (dir, ".clinic.db.BBBBBB.part.demo-part");   /* its part file is gone */
  touch (dir, ".clinic.db.CCCCCC.part");             /* a creation still running */
  touch (dir, ".clinic.db.CCCCCC.part.demo-part");
  touch (dir, ".other.db.DDDDDD.part");              /* another clinic's */
  touch (dir, ".clinic.db.EEEEEE.partial");          /* not ours */
  touch (dir, "clinic.db.notes");

  fd = g_open (held, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  store = desk_store_create (path, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (exists (dir, ".clinic.db.AAAAAA.part"));
  g_assert_false (exists (dir, ".clinic.db.AAAAAA.part-wal"));
  g_assert_false (exists (dir, ".clinic.db.AAAAAA.part.demo-part"));
  g_assert_false (exists (dir, ".clinic.db.BBBBBB.part.demo-part"));
  g_assert_true (exists (dir, ".clinic.db.CCCCCC.part"));
  g_assert_true (exists (dir, ".clinic.db.CCCCCC.part.demo-part"));
  g_assert_true (exists (dir, ".other.db.DDDDDD.part"));
  g_assert_true (exists (dir, ".clinic.db.EEEEEE.partial"));
  g_assert_true (exists (dir, "clinic.db.notes"));
  close (fd);
}

/* A creation that fails leaves nothing behind, and never replaces a file. */
static void
test_create_failure_leaves_nothing (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  DeskDemoOptions options = { .members = 3, .clients = 50 };

  g_assert_null (desk_demo_create (path, NULL, &options, NULL, NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
  names = list_dir (dir);
  g_assert_cmpuint (names->len, ==, 0);
}

typedef struct
{
  char   *sum;
  gint64  mtime_ns;
} FileState;

static void
file_state (const char *path,
            FileState  *state)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_free (state->sum);
  state->sum = desk_test_file_checksum (path);
  state->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
}

static void
assert_same (const char *path,
             FileState  *before)
{
  FileState after = { 0 };

  file_state (path, &after);
  g_assert_cmpstr (before->sum, ==, after.sum);
  g_assert_cmpint (before->mtime_ns, ==, after.mtime_ns);
  g_free (after.sum);
}

/* Signing in writes (the session, the audit entry): refused whole. */
static void
assert_writes_refused (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;

  session = desk_session_sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_null (session);
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_READ_ONLY);
}

/* DESK_STORE_OPEN_READ_ONLY on a writable file and on a 0444 one (the
 * path for read-only media: root could write it, so what shows the flag
 * at work is that nothing changes and no -wal or -shm appears). */
static void
test_open_read_only_flag (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = closed_demo (dir, 100);
  FileState before = { 0 };

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(DeskStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) names = NULL;
      guint64 n = 0;

      if (round == 1)
        g_assert_cmpint (g_chmod (path, 0444), ==, 0);
      file_state (path, &before);

      store = desk_store_open_full (path, DESK_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (desk_store_get_clinic_name (store), ==, "Test Clinic");
      g_assert_true (desk_audit_verify (store, &n, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 2);
      assert_writes_refused (store);
      g_clear_object (&store);

      names = list_dir (dir);
      g_assert_cmpuint (names->len, ==, 1);
      assert_same (path, &before);

      g_assert_true (desk_store_check_file (path, &error));
      g_assert_no_error (error);
      g_clear_pointer (&names, g_ptr_array_unref);
      names = list_dir (dir);
      g_assert_cmpuint (names->len, ==, 1);
      assert_same (path, &before);
    }
  g_free (before.sum);
}

static int
user_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version;
}

/* An older file is read as it is: no migration, no check before one. */
static void
test_open_read_only_older (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  FileState before = { 0 };
  guint64 n = 0;

  g_object_unref (_desk_store_create_at_version (path, "Old Clinic", 4, &error));
  g_assert_no_error (error);
  file_state (path, &before);

  store = desk_store_open_full (path, DESK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_store_get_clinic_name (store), ==, "Old Clinic");
  desk_audit_verify (store, &n, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_clear_object (&store);

  assert_same (path, &before);
  g_assert_cmpint (user_version (path), ==, 4);
  g_free (before.sum);
}

/* The full check names the part of the file that is damaged. */
static void
test_check_names_damage (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = closed_demo (dir, 2000);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 page = 0;
  guint8 garbage[2];
  FILE *file;

  g_assert_true (desk_store_check_file (path, &error));
  g_assert_no_error (error);

  /* A leaf page of the clients table. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE name = 'clients'"
                                           " AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 5",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Its number of cells (bytes 3 and 4 of the page header) made impossible. */
  memset (garbage, 0xff, sizeof garbage);
  file = g_fopen (path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, (page - 1) * 4096 + 3, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, file), ==, sizeof garbage);
  fclose (file);

  g_assert_false (desk_store_check_file (path, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "(in: clients"));
}

/* The full check in the background, and a clinic opened again, read the
 * file's header while this process has the file open.  Read with open()
 * and close(), that dropped every lock the process's connections held on
 * it: another program's connection, closing as it believed the last one,
 * then checkpointed and deleted the write-ahead log under them, and the
 * window read rows that were no longer there (a client of number 0). */
static void
test_check_keeps_locks (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = closed_demo (dir, 50);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (path, &error);
  g_autoptr(DeskClient) client = NULL;
  int status = 0;

  g_assert_no_error (error);
  client = desk_client_load (store, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&client);

  g_assert_true (desk_store_check_file (path, &error));
  g_assert_no_error (error);
  g_object_unref (desk_store_open (path, &error));
  g_assert_no_error (error);

  /* Another program, a process of its own (a forked child would share this
   * one's SQLite bookkeeping): Python's sqlite3, as someone with the file
   * might use it. */
  {
    const char *argv[] = { "/usr/bin/python3", "-c",
                           "import sqlite3, sys\n"
                           "db = sqlite3.connect(sys.argv[1])\n"
                           "db.execute(\"UPDATE clients SET phone = '(555) 555-0100' WHERE id = 1\")\n"
                           "db.commit()\n"
                           "db.close()\n",
                           path, NULL };

    if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
      {
        g_test_skip ("No /usr/bin/python3");
        return;
      }
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                 NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }

  /* This process still holds the file: the log stays, and what the other
   * program wrote is read here. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  client = desk_client_load (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_client_get_phone (client), ==, "(555) 555-0100");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-files/create/owner-only", test_create_owner_only);
  g_test_add_func ("/store-files/create/demo-owner-only", test_demo_owner_only);
  g_test_add_func ("/store-files/create/leftovers", test_create_removes_leftovers);
  g_test_add_func ("/store-files/create/failure", test_create_failure_leaves_nothing);
  g_test_add_func ("/store-files/read-only", test_open_read_only_flag);
  g_test_add_func ("/store-files/read-only/older", test_open_read_only_older);
  g_test_add_func ("/store-files/check/names-damage", test_check_names_damage);
  g_test_add_func ("/store-files/check/keeps-locks", test_check_keeps_locks);

  return g_test_run ();
}
