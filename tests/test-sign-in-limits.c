/* test-sign-in-limits.c: the sign-in limits against an attacker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Several processes guessing at once against one database file (this
 * binary re-run as a child with "--guess"), wrong passwords fast, another
 * program holding the write lock, a process that dies while its password
 * is being checked, and an audit append that fails half-way.  The numbers
 * asserted are the documented ones (3 free failures, waits that grow to at
 * most 300 seconds, at most 100 checked failures an hour), written out.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "desk-audit.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-test-util.h"

/* What a child says with its exit status. */
enum
{
  GUESS_WRONG = 10,     /* checked, and wrong */
  GUESS_WAIT = 11,      /* refused without checking: wait */
  GUESS_BUSY = 12,      /* refused: the database was busy */
  GUESS_SIGNED_IN = 13,
  GUESS_OTHER = 14,
  GUESS_CRASHED = 15,   /* the simulated crash */
};

typedef struct
{
  DeskTestDir *dir;
  char        *path;
  DeskStore   *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 20, 8);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

G_GNUC_UNUSED static void
exec (DeskStore  *store,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_desk_store_exec (_desk_store_get_db (store), sql, &error));
  g_assert_no_error (error);
}

static gint64
checked_failures (DeskStore *store)
{
  return desk_test_count (store, "SELECT count(*) FROM audit_log"
                                 " WHERE action = 'member.sign-in-failed'"
                                 " AND json_extract (details, '$.outcome') = 'wrong-password'");
}

static gint64
refused_waiting (DeskStore *store)
{
  return desk_test_count (store, "SELECT count(*) FROM audit_log"
                                 " WHERE action = 'member.sign-in-failed'"
                                 " AND json_extract (details, '$.outcome') = 'waiting'");
}

/* One sign-in; the result as an exit status. */
static DeskSession *
try_sign_in (DeskStore  *store,
             const char *password,
             int        *status)
{
  g_autoptr(GError) error = NULL;
  DeskSession *session = desk_session_sign_in (store, DESK_DEMO_USERNAME, password, &error);

  if (session != NULL)
    *status = GUESS_SIGNED_IN;
  else if (g_error_matches (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS))
    *status = GUESS_WRONG;
  else if (g_error_matches (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS))
    *status = GUESS_WAIT;
  else if (g_error_matches (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED))
    *status = GUESS_BUSY;
  else
    *status = GUESS_OTHER;
  return session;
}

static void
crash (sqlite3_context  *context,
       int               argc,
       sqlite3_value   **argv)
{
  _exit (GUESS_CRASHED);
}

/* The child: "--guess PATH NOW PASSWORD [crash]".  It waits for its
 * standard input to close, so that all the children start together, and
 * with "crash" it dies the moment its attempt's outcome is written. */
static int
guess_main (int   argc,
            char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  char buffer[16];
  int status = GUESS_OTHER;

  if (argc < 5)
    return GUESS_OTHER;
  store = desk_store_open (argv[2], &error);
  if (store == NULL)
    return GUESS_OTHER;
  desk_store_set_now (store, g_ascii_strtoll (argv[3], NULL, 10));

  if (argc > 5 && strcmp (argv[5], "crash") == 0)
    {
      sqlite3 *db = _desk_store_get_db (store);

      sqlite3_create_function (db, "crash", 0, SQLITE_UTF8, NULL, crash, NULL, NULL);
      if (!_desk_store_exec (db, "CREATE TEMP TRIGGER die_checked BEFORE UPDATE ON"
                                 " main.sign_in_attempts BEGIN SELECT crash (); END;"
                                 "CREATE TEMP TRIGGER die_audited BEFORE INSERT ON"
                                 " main.audit_log BEGIN SELECT crash (); END;", &error))
        return GUESS_OTHER;
    }

  /* Everyone ready: go. */
  while (read (STDIN_FILENO, buffer, sizeof buffer) > 0)
    ;
  session = try_sign_in (store, argv[4], &status);
  if (session != NULL)
    desk_session_sign_out (session);
  return status;
}

/* Runs @n children guessing @password at once; counts their answers. */
static void
run_guessers (Fixture    *f,
              guint       n,
              const char *password,
              const char *mode,
              guint       counts[GUESS_CRASHED + 1])
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, desk_store_get_now (f->store));

  g_assert_nonnull (self);
  memset (counts, 0, sizeof (guint) * (GUESS_CRASHED + 1));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      GSubprocess *child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, self,
                                             "--guess", f->path, now, password, mode, NULL);

      g_assert_no_error (error);
      g_ptr_array_add (children, child);
    }
  for (guint i = 0; i < n; i++)
    g_output_stream_close (g_subprocess_get_stdin_pipe (children->pdata[i]), NULL, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      GSubprocess *child = children->pdata[i];
      int status;

      g_assert_true (g_subprocess_wait (child, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (child));
      status = g_subprocess_get_exit_status (child);
      g_assert_cmpint (status, >=, GUESS_WRONG);
      g_assert_cmpint (status, <=, GUESS_CRASHED);
      counts[status]++;
    }
}

/* Many processes at once get no more checked guesses than one would: 3. */
static void
test_concurrent_guesses (Fixture       *f,
                         gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (data);
  guint counts[GUESS_CRASHED + 1];
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;

  run_guessers (f, n, "guess", "", counts);
  g_test_message ("%u guesses at once: %u checked, %u told to wait, %u busy", n,
                  counts[GUESS_WRONG], counts[GUESS_WAIT], counts[GUESS_BUSY]);
  g_assert_cmpuint (counts[GUESS_WRONG], ==, 3);
  g_assert_cmpuint (counts[GUESS_WAIT] + counts[GUESS_BUSY], ==, n - 3);
  g_assert_cmpuint (counts[GUESS_OTHER] + counts[GUESS_SIGNED_IN], ==, 0);

  /* What the database says agrees: 3 failures counted, every refusal
   * recorded and audited as one. */
  g_assert_cmpint (checked_failures (f->store), ==, 3);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE member_id = 1 AND succeeded = 0"), ==, 3);
  g_assert_cmpint (refused_waiting (f->store), ==, counts[GUESS_WAIT]);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"), ==,
                   3 + counts[GUESS_WAIT]);
  g_assert_true (desk_audit_verify (f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A second later the owner gets in. */
  desk_store_set_now (f->store, DESK_TEST_NOW + 1);
  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  desk_session_sign_out (session);
}

int
main (int   argc,
      char *argv[])
{
  if (argc > 1 && strcmp (argv[1], "--guess") == 0)
    return guess_main (argc, argv);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/sign-in-limits/concurrent/24", test_concurrent_guesses, GUINT_TO_POINTER (24));
  ADD ("/sign-in-limits/concurrent/120", test_concurrent_guesses, GUINT_TO_POINTER (120));

  return g_test_run ();
}
