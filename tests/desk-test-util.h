/* desk-test-util.h: shared helpers for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "desk-demo.h"
#include "desk-store.h"
#include "desk-store-private.h"

G_BEGIN_DECLS

/* A fixed present: Tuesday 2026-11-03 00:00 UTC. */
#define DESK_TEST_NOW G_GINT64_CONSTANT (1793664000)

/* A fresh temporary folder, removed with its files by desk_test_dir_free(). */
static inline char *
desk_test_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("front-desk-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
desk_test_dir_free (char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_chmod (path, 0644);
      g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_chmod (dir, 0755);
  g_rmdir (dir);
  g_free (dir);
}

typedef char DeskTestDir;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskTestDir, desk_test_dir_free)

/* A demo clinic of @clients clients at @path, with "now" fixed. */
static inline DeskStore *
desk_test_demo_store (const char *path,
                      guint       clients,
                      guint64     seed)
{
  g_autoptr(GError) error = NULL;
  DeskDemoOptions options = { 0, clients, seed, DESK_TEST_NOW };
  DeskStore *store = desk_store_create (path, "Test Clinic", &error);

  g_assert_no_error (error);
  g_assert_true (desk_demo_populate (store, &options, NULL, NULL, &error));
  g_assert_no_error (error);
  desk_store_set_now (store, DESK_TEST_NOW);
  return store;
}

/* A demo clinic of 20 clients in a fresh folder, for g_test_add () fixtures:
 * the set-up most core tests share. */
typedef struct
{
  DeskTestDir *dir;
  char        *path;
  DeskStore   *store;
} DeskTestClinic;

static inline void
desk_test_clinic_set_up (DeskTestClinic *clinic,
                         gconstpointer   data)
{
  clinic->dir = desk_test_dir_new ();
  clinic->path = g_build_filename (clinic->dir, "clinic.db", NULL);
  clinic->store = desk_test_demo_store (clinic->path, 20, 8);
}

static inline void
desk_test_clinic_tear_down (DeskTestClinic *clinic,
                            gconstpointer   data)
{
  g_assert_finalize_object (clinic->store);
  g_free (clinic->path);
  desk_test_dir_free (clinic->dir);
}

/* Runs @sql (several statements) on the store's connection, behind the
 * model layer's back: what a person with the file and sqlite3 can do. */
static inline void
desk_test_exec (DeskStore  *store,
                const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_desk_db_exec (_desk_store_get_db (store), sql, &error));
  g_assert_no_error (error);
}

/* The checksum of a file's bytes, to show that a refused file was left alone. */
static inline char *
desk_test_file_checksum (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* The one number a query (printf-style) gives, on the store's connection. */
static inline gint64 G_GNUC_PRINTF (2, 3)
desk_test_count (DeskStore  *store,
                 const char *format,
                 ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  va_list args;
  gint64 n;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* A GAsyncReadyCallback that keeps the result in *user_data. */
static inline void
desk_test_async_result_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Waits (2 s at most) until @object has no more than @refs references: a
 * GTask lets go of its source object on its worker, just after its
 * callback ran on the calling thread. */
static inline void
desk_test_wait_for_workers (gpointer object,
                            guint    refs)
{
  for (guint i = 0; i < 2000 && g_atomic_int_get (&G_OBJECT (object)->ref_count) > (int) refs; i++)
    g_usleep (1000);
}

/* Runs @sql on @db as someone with the file and sqlite3 would behind the
 * triggers of @table: drops them, runs it, and puts them back as they were,
 * so that the schema looks untouched and only what @sql did shows. */
static inline void
desk_test_exec_behind_triggers (sqlite3    *db,
                                const char *table,
                                const char *sql)
{
  g_autoptr(GString) drop = g_string_new (NULL);
  g_autoptr(GString) create = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master"
                                           " WHERE type = 'trigger' AND tbl_name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_string_append_printf (drop, "DROP TRIGGER \"%s\";", sqlite3_column_text (stmt, 0));
      g_string_append_printf (create, "%s;", sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (drop->len, >, 0);

  g_string_append (drop, sql);
  g_string_append_c (drop, ';');
  g_string_append (drop, create->str);
  if (sqlite3_exec (db, drop->str, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", drop->str, message);
}

/* Appends " ARG" to @line, a command shown in the test's log. An argument that is not UTF-8
 * (tests give the CLI such bytes on purpose) is shown escaped, so that the TAP stream stays
 * text. */
static inline void
desk_test_append_arg (GString    *line,
                      const char *arg)
{
  if (g_utf8_validate (arg, -1, NULL))
    {
      g_string_append_printf (line, " %s", arg);
    }
  else
    {
      g_autofree char *escaped = g_strescape (arg, NULL);
      g_string_append_printf (line, " \"%s\"", escaped);
    }
}

G_END_DECLS
