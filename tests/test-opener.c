/* test-opener.c: DeskClinicOpener, without a window or a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "desk-clinic-opener.h"
#include "desk-store-private.h"
#include "desk-test-gui.h"
#include "desk-test-util.h"

/* Every state the opener went through, in order. */
typedef struct
{
  GArray *states;
} Trace;

static void
on_state (DeskClinicOpener *opener,
          GParamSpec       *pspec,
          Trace            *trace)
{
  DeskClinicOpenerState state = desk_clinic_opener_get_state (opener);

  g_array_append_val (trace->states, state);
}

static DeskClinicOpener *
traced_opener (Trace *trace)
{
  DeskClinicOpener *opener = desk_clinic_opener_new ();

  trace->states = g_array_new (FALSE, FALSE, sizeof (DeskClinicOpenerState));
  g_signal_connect (opener, "notify::state", G_CALLBACK (on_state), trace);
  return opener;
}

static DeskClinicOpenerState
nth_state (Trace *trace,
           guint  n)
{
  g_assert_cmpuint (n, <, trace->states->len);
  return g_array_index (trace->states, DeskClinicOpenerState, n);
}

static gboolean
not_busy (gpointer data)
{
  DeskClinicOpenerState state = desk_clinic_opener_get_state (data);

  return state != DESK_CLINIC_OPENER_OPENING && state != DESK_CLINIC_OPENER_UPGRADING &&
         state != DESK_CLINIC_OPENER_CREATING_DEMO;
}

static gboolean
not_checking (gpointer data)
{
  return !desk_clinic_opener_get_checking (data);
}

static gboolean
quit_loop (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_main_loop (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_loop, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static sqlite3 *
hold_write_lock (const char *path)
{
  sqlite3 *writer = NULL;

  g_assert_cmpint (sqlite3_open (path, &writer), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, "BEGIN IMMEDIATE;"
                                         " UPDATE clinic SET name = name WHERE id = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  return writer;
}

static void
release_write_lock (sqlite3 *writer)
{
  g_assert_cmpint (sqlite3_exec (writer, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (writer);
}

/* A sound, current file opens before open() returns (nothing can make it
 * wait), and its background check finds nothing: still READY. */
static void
test_opener_at_once (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DeskClinicOpener) opener = NULL;
  Trace trace;

  g_object_unref (desk_test_demo_store (path, 50, 1));
  opener = traced_opener (&trace);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_NONE);

  desk_clinic_opener_open (opener, file, FALSE);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_READY);
  g_assert_cmpuint (trace.states->len, ==, 1);
  g_assert_nonnull (desk_clinic_opener_get_store (opener));
  g_assert_cmpstr (desk_store_get_clinic_name (desk_clinic_opener_get_store (opener)), ==,
                   "Test Clinic");
  g_assert_null (desk_clinic_opener_get_error (opener));

  /* The check waits for the window's word. */
  g_assert_false (desk_clinic_opener_get_checking (opener));
  desk_clinic_opener_check (opener);
  g_assert_true (desk_clinic_opener_get_checking (opener));
  wait_until (not_checking, opener, "the background check");
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_READY);
  g_assert_nonnull (desk_clinic_opener_get_store (opener));

  /* Once per store. */
  desk_clinic_opener_check (opener);
  g_assert_false (desk_clinic_opener_get_checking (opener));
  g_assert_cmpuint (trace.states->len, ==, 1);
  g_array_unref (trace.states);
}

/* A file another program is writing goes to a worker, which waits for
 * the write to end. */
static void
test_opener_locked (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DeskClinicOpener) opener = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *writer;
  Trace trace;

  /* An older file, so that opening it must write (the upgrade). */
  g_object_unref (_desk_store_create_at_version (path, "Older Clinic", 3, &error));
  g_assert_no_error (error);
  writer = hold_write_lock (path);

  opener = traced_opener (&trace);
  desk_clinic_opener_open (opener, file, FALSE);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_UPGRADING);
  g_assert_null (desk_clinic_opener_get_store (opener));
  spin_main_loop (300);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_UPGRADING);

  release_write_lock (writer);
  wait_until (not_busy, opener, "the upgrade after the lock");
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_READY);
  g_assert_cmpuint (trace.states->len, ==, 2);
  g_assert_cmpint (nth_state (&trace, 0), ==, DESK_CLINIC_OPENER_UPGRADING);
  g_assert_cmpint (nth_state (&trace, 1), ==, DESK_CLINIC_OPENER_READY);
  g_assert_cmpstr (desk_store_get_clinic_name (desk_clinic_opener_get_store (opener)), ==,
                   "Older Clinic");

  /* Brought up to date. */
  g_clear_object (&opener);
  store = desk_store_open_full (path, DESK_STORE_OPEN_NO_UPGRADE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_array_unref (trace.states);
}

/* Cancelled while waiting: back to NONE, and the worker's store, when it
 * comes, is let go. */
static void
test_opener_cancel (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DeskClinicOpener) opener = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *writer;
  Trace trace;

  g_object_unref (_desk_store_create_at_version (path, "Older Clinic", 3, &error));
  g_assert_no_error (error);
  writer = hold_write_lock (path);

  opener = traced_opener (&trace);
  desk_clinic_opener_open (opener, file, FALSE);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_UPGRADING);
  desk_clinic_opener_cancel (opener);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_NONE);

  release_write_lock (writer);
  spin_main_loop (1500);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_NONE);
  g_assert_null (desk_clinic_opener_get_store (opener));
  g_assert_null (desk_clinic_opener_get_error (opener));
  g_assert_cmpuint (trace.states->len, ==, 2);
  g_array_unref (trace.states);
}

/* No file, or not a clinic: FAILED, with a message a person understands. */
static void
test_opener_errors (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.db", NULL);
  g_autoptr(DeskClinicOpener) opener = desk_clinic_opener_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = g_file_new_for_path (missing);
  desk_clinic_opener_open (opener, file, FALSE);
  wait_until (not_busy, opener, "a missing file");
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_FAILED);
  g_assert_nonnull (desk_clinic_opener_get_error (opener));
  g_assert_null (desk_clinic_opener_get_store (opener));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (text, "Call the plumber on Monday.\n", -1, &error));
  g_clear_object (&file);
  file = g_file_new_for_path (text);
  desk_clinic_opener_open (opener, file, FALSE);
  wait_until (not_busy, opener, "a file that is not a clinic");
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_FAILED);
  g_assert_null (strstr (desk_clinic_opener_get_error (opener)->message, "SQLITE"));
  g_assert_null (desk_clinic_opener_get_store (opener));
}

/* Damage in the middle of the file: opening only reads the header and the
 * clinic row, so it opens; the background check finds the damage, drops
 * the store and says why.  Nothing was written. */
static void
test_opener_damage_found_later (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DeskClinicOpener) opener = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint8 garbage[4096];
  FILE *stream;
  Trace trace;

  g_object_unref (desk_test_demo_store (path, 300, 4));
  memset (garbage, 0x3c, sizeof garbage);
  stream = g_fopen (path, "r+b");
  g_assert_nonnull (stream);
  g_assert_cmpint (fseek (stream, 20 * 4096, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, stream), ==, sizeof garbage);
  fclose (stream);
  before = desk_test_file_checksum (path);

  opener = traced_opener (&trace);
  desk_clinic_opener_open (opener, file, FALSE);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_READY);
  desk_clinic_opener_check (opener);
  wait_until (not_checking, opener, "the background check");
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_FAILED);
  g_assert_null (desk_clinic_opener_get_store (opener));
  g_assert_nonnull (strstr (desk_clinic_opener_get_error (opener)->message, "damaged"));
  g_assert_cmpuint (trace.states->len, ==, 2);
  g_clear_object (&opener);

  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_array_unref (trace.states);
}

/* Opening another file while one is checked: the old check's result is
 * not the new file's. */
static void
test_opener_reopen_cancels_check (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *damaged = g_build_filename (dir, "damaged.db", NULL);
  g_autofree char *sound = g_build_filename (dir, "sound.db", NULL);
  g_autoptr(GFile) damaged_file = g_file_new_for_path (damaged);
  g_autoptr(GFile) sound_file = g_file_new_for_path (sound);
  g_autoptr(DeskClinicOpener) opener = desk_clinic_opener_new ();
  guint8 garbage[4096];
  FILE *stream;

  g_object_unref (desk_test_demo_store (damaged, 300, 4));
  g_object_unref (desk_test_demo_store (sound, 50, 5));
  memset (garbage, 0x3c, sizeof garbage);
  stream = g_fopen (damaged, "r+b");
  g_assert_nonnull (stream);
  g_assert_cmpint (fseek (stream, 20 * 4096, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, stream), ==, sizeof garbage);
  fclose (stream);

  desk_clinic_opener_open (opener, damaged_file, FALSE);
  desk_clinic_opener_check (opener);
  desk_clinic_opener_open (opener, sound_file, FALSE);
  g_assert_false (desk_clinic_opener_get_checking (opener));
  spin_main_loop (1000);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_READY);
  g_assert_cmpstr (desk_store_get_path (desk_clinic_opener_get_store (opener)), ==, sound);
}

/* A file given through the document portal (a Flatpak's file chooser, for a
 * file outside what the sandbox sees) is refused before anything opens it:
 * SQLite could not keep its -wal and -shm beside it, nor share its locks
 * with the other programs on the real file.  The same clinic at a real
 * path opens. */
static void
test_opener_document_portal (void)
{
  g_autofree char *portal = g_build_filename (g_get_user_runtime_dir (), "doc", "a1b2c3d4",
                                              NULL);
  g_autofree char *path = g_build_filename (portal, "clinic.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *real = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskClinicOpener) opener = desk_clinic_opener_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) real_file = g_file_new_for_path (real);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const GError *error;

  /* The test's own runtime folder (see main ()), never the session's. */
  g_assert_true (g_str_has_prefix (portal, g_get_tmp_dir ()));
  g_assert_cmpint (g_mkdir_with_parents (portal, 0700), ==, 0);
  g_object_unref (desk_test_demo_store (path, 50, 1));
  g_unlink (wal);
  g_unlink (shm);
  before = desk_test_file_checksum (path);

  desk_clinic_opener_open (opener, file, FALSE);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_FAILED);
  g_assert_null (desk_clinic_opener_get_store (opener));
  error = desk_clinic_opener_get_error (opener);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "Front Desk cannot open “clinic.db” safely: it was given the file without the "
                   "folder it is in, where a clinic database keeps its working files. Move the "
                   "clinic database into your home folder, or ask your IT support to give Front "
                   "Desk access to its folder.");
  /* Not even opened: nothing was made beside it, nothing changed in it. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);

  /* The folder itself is no clinic's place either. */
  g_clear_object (&file);
  file = g_file_new_for_path (portal);
  desk_clinic_opener_open (opener, file, FALSE);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_FAILED);
  g_assert_error (desk_clinic_opener_get_error (opener), G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  /* The same file where the sandbox sees it opens as any clinic. */
  g_assert_true (g_rename (path, real) == 0);
  desk_clinic_opener_open (opener, real_file, FALSE);
  g_assert_cmpint (desk_clinic_opener_get_state (opener), ==, DESK_CLINIC_OPENER_READY);
  desk_clinic_opener_cancel (opener);

  g_rmdir (portal);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *runtime_dir = NULL;
  int status;

  /* A runtime folder of the test's own, for the document portal's mount
   * point: read once by GLib, so set before anything asks for it. */
  runtime_dir = g_dir_make_tmp ("test-opener-runtime-XXXXXX", NULL);
  g_assert_nonnull (runtime_dir);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/opener/at-once", test_opener_at_once);
  g_test_add_func ("/opener/locked-older", test_opener_locked);
  g_test_add_func ("/opener/cancel", test_opener_cancel);
  g_test_add_func ("/opener/errors", test_opener_errors);
  g_test_add_func ("/opener/damage-found-later", test_opener_damage_found_later);
  g_test_add_func ("/opener/reopen-cancels-check", test_opener_reopen_cancels_check);
  g_test_add_func ("/opener/document-portal", test_opener_document_portal);

  status = g_test_run ();

  {
    g_autofree char *doc = g_build_filename (runtime_dir, "doc", NULL);

    g_rmdir (doc);
    g_rmdir (runtime_dir);
  }
  return status;
}
