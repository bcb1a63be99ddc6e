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

#include <sodium.h>
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

typedef DeskTestClinic Fixture;

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
      if (!_desk_db_exec (db, "CREATE TEMP TRIGGER die_checked BEFORE UPDATE ON"
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

/* Wrong passwords as fast as a script types them: 3 are checked, the rest
 * are refused without a check, recorded and audited as refused, and the
 * account is not locked for an hour: a second later its owner gets in. */
static void
test_fast_guesses_do_not_lock (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;
  guint wrong = 0, waiting = 0;

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GError) refused = NULL;

      g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "guess", &refused));
      if (g_error_matches (refused, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS))
        wrong++;
      else if (g_error_matches (refused, DESK_SESSION_ERROR,
                                DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS))
        waiting++;
      else
        g_assert_no_error (refused);
    }
  g_assert_cmpuint (wrong, ==, 3);
  g_assert_cmpuint (waiting, ==, 97);

  /* Every one on record: 3 counted failures, 97 refusals that do not count. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"), ==, 100);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE member_id = 1 AND succeeded = 0"), ==, 3);
  g_assert_cmpint (checked_failures (f->store), ==, 3);
  g_assert_cmpint (refused_waiting (f->store), ==, 97);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"
                                              " WHERE action = 'member.sign-in-failed'"
                                              " AND target_id = 1"), ==, 100);

  desk_store_set_now (f->store, DESK_TEST_NOW + 1);
  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  desk_session_sign_out (session);
}

static void
assert_wait (DeskStore *store,
             gint64     now,
             int        seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  desk_store_set_now (store, now);
  g_assert_null (desk_session_sign_in (store, DESK_DEMO_USERNAME, "guess", &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS);
  expected = seconds == 1 ? g_strdup ("Wait 1 second ")
                          : g_strdup_printf ("Wait %d seconds ", seconds);
  g_assert_nonnull (strstr (error->message, expected));
}

static void
assert_checked (DeskStore  *store,
                gint64      now,
                const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) session = NULL;

  desk_store_set_now (store, now);
  session = desk_session_sign_in (store, DESK_DEMO_USERNAME, password, &error);
  if (strcmp (password, DESK_DEMO_PASSWORD) == 0)
    {
      g_assert_no_error (error);
      desk_session_sign_out (session);
    }
  else
    {
      g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
    }
}

/* The documented numbers, written out: 3 failures cost nothing; then
 * waits of 1, 2, 4... seconds, at most 300; and at most 100 checked
 * failures an hour per account. */
static void
test_documented_numbers (Fixture       *f,
                         gconstpointer  data)
{
  static const int waits[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300 };
  g_autoptr(GError) error = NULL;
  gint64 now = DESK_TEST_NOW;

  for (guint i = 0; i < 3; i++)
    assert_checked (f->store, now, "guess");
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      assert_wait (f->store, now, waits[i]);
      assert_wait (f->store, now + waits[i] - 1, 1);
      now += waits[i];
      assert_checked (f->store, now, "guess");
    }
  /* Even the right password waits its turn; then it works, and the count
   * starts over. */
  assert_wait (f->store, now, 300);
  assert_checked (f->store, now + 300, DESK_DEMO_PASSWORD);
  now += 300;
  for (guint i = 0; i < 3; i++)
    assert_checked (f->store, now, "guess");
  assert_wait (f->store, now, 1);

  /* 99 failures within the hour, long enough ago for their waits to be
   * over: the 100th is still checked, and then the account is closed for
   * the rest of the hour, even to the right password. */
  now += 3600;
  desk_test_exec (f->store, "UPDATE sign_in_attempts SET succeeded = 1 WHERE member_id = 1");
  {
    g_autofree char *sql = g_strdup_printf (
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 99)"
      " INSERT INTO sign_in_attempts (member_id, username, at, succeeded)"
      " SELECT 1, 'admin', %" G_GINT64_FORMAT ", 0 FROM n", now - 3000);

    desk_test_exec (f->store, sql);
  }
  assert_checked (f->store, now, "guess");
  for (guint i = 0; i < 3; i++)
    {
      static const gint64 later[] = { 0, 300, 599 };

      desk_store_set_now (f->store, now + later[i]);
      g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD,
                                           &error));
      g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS);
      g_assert_nonnull (strstr (error->message, "hour"));
      g_clear_error (&error);
    }
  /* Once the 99 are an hour old, the owner gets in. */
  assert_checked (f->store, now + 600, DESK_DEMO_PASSWORD);
}

/* Another program holds the write lock from the moment an attempt has been
 * reserved: the outcome cannot be written. */
typedef struct
{
  sqlite3 *writer;
  gboolean armed;
} LockAfterCommit;

static int
lock_after_commit (void       *user_data,
                   sqlite3    *db,
                   const char *name,
                   int         pages)
{
  LockAfterCommit *lock = user_data;

  /* Called once the commit is done and its write lock let go. */
  if (lock->armed)
    {
      lock->armed = FALSE;
      g_assert_cmpint (sqlite3_exec (lock->writer, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==,
                       SQLITE_OK);
    }
  return SQLITE_OK;
}

static void
release (sqlite3 *writer)
{
  if (!sqlite3_get_autocommit (writer))
    g_assert_cmpint (sqlite3_exec (writer, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
}

/* While another program writes, no password is accepted, right or wrong,
 * and an attempt that could not be recorded opens no session. */
static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  sqlite3 *db = _desk_store_get_db (f->store);
  LockAfterCommit lock = { NULL, FALSE };
  gint64 entries = desk_test_count (f->store, "SELECT count(*) FROM audit_log");

  g_assert_cmpint (sqlite3_open (f->path, &lock.writer), ==, SQLITE_OK);

  /* Held from before: refused at once (after the busy timeout), unchecked,
   * nothing written. */
  for (guint i = 0; i < 2; i++)
    {
      const char *password = i == 0 ? "guess" : DESK_DEMO_PASSWORD;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (sqlite3_exec (lock.writer, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==,
                       SQLITE_OK);
      g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, password, &error));
      g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED);
      g_assert_nonnull (strstr (error->message, "in use by another program"));
      release (lock.writer);
    }
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"), ==, 0);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"), ==, entries);

  /* Taken between the reservation and the outcome: a wrong password is
   * refused, and still counts as a failure. */
  sqlite3_wal_hook (db, lock_after_commit, &lock);
  for (guint i = 0; i < 2; i++)
    {
      const char *password = i == 0 ? "guess" : DESK_DEMO_PASSWORD;
      g_autoptr(GError) error = NULL;

      lock.armed = TRUE;
      g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, password, &error));
      g_assert_false (lock.armed);
      g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED);
      release (lock.writer);
    }
  sqlite3_wal_hook (db, NULL, NULL);
  /* The right password too: no session without its success on record, and
   * both reserved attempts stay failures. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE member_id = 1 AND succeeded = 0"), ==, 2);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE succeeded = 1"), ==, 0);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"), ==, entries);
  sqlite3_close (lock.writer);

  /* Once the other program is done, it works. */
  assert_checked (f->store, DESK_TEST_NOW, DESK_DEMO_PASSWORD);
}

/* An audit append that fails half-way through an attempt leaves nothing
 * half-written: no refusal without its entry, no success without its
 * entry, no upgraded hash. */
static void
test_audit_fails (Fixture       *f,
                  gconstpointer  data)
{
  char weak[crypto_pwhash_STRBYTES];
  g_autofree char *sql = NULL;
  g_autofree char *hash_before = NULL;
  g_autoptr(GError) error = NULL;
  gint64 entries;

  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str (weak, DESK_DEMO_PASSWORD, strlen (DESK_DEMO_PASSWORD), 1,
                                      8 * 1024 * 1024), ==, 0);
  sql = g_strdup_printf ("UPDATE members SET password_hash = '%s' WHERE id = 1", weak);
  desk_test_exec (f->store, sql);
  entries = desk_test_count (f->store, "SELECT count(*) FROM audit_log");
  desk_test_exec (f->store, "CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON main.audit_log"
                  " BEGIN SELECT RAISE (ABORT, 'no audit'); END");

  /* The right password: no session, the attempt stays a failure. */
  g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD,
                                       &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, DESK_SESSION_ERROR,
                                   DESK_SESSION_ERROR_WRONG_CREDENTIALS));
  g_clear_error (&error);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE succeeded = 1"), ==, 0);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM members WHERE id = 1"
                                              " AND password_hash = '%s'", weak), ==, 1);

  /* Two wrong ones: refused, and counted. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "guess", &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE member_id = 1 AND succeeded = 0"), ==, 3);

  /* Now one that must wait: its refusal is either written whole or not at
   * all. */
  g_assert_null (desk_session_sign_in (f->store, DESK_DEMO_USERNAME, "guess", &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, DESK_SESSION_ERROR,
                                   DESK_SESSION_ERROR_WRONG_CREDENTIALS));
  g_clear_error (&error);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"), ==, 3);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM audit_log"), ==, entries);

  desk_test_exec (f->store, "DROP TRIGGER temp.refuse_audit");
  g_assert_true (desk_audit_verify (f->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_checked (f->store, DESK_TEST_NOW + 1, DESK_DEMO_PASSWORD);
}

/* A process that dies while its password is checked has spent a guess. */
static void
test_crash_counts (Fixture       *f,
                   gconstpointer  data)
{
  guint counts[GUESS_CRASHED + 1];

  /* Even with the right password: its success was never written. */
  for (guint i = 0; i < 3; i++)
    {
      run_guessers (f, 1, DESK_DEMO_PASSWORD, "crash", counts);
      g_assert_cmpuint (counts[GUESS_CRASHED], ==, 1);
    }
  g_assert_cmpint (desk_test_count (f->store, "SELECT count(*) FROM sign_in_attempts"
                                              " WHERE member_id = 1 AND succeeded = 0"), ==, 3);
  assert_wait (f->store, DESK_TEST_NOW, 1);
  assert_checked (f->store, DESK_TEST_NOW + 1, DESK_DEMO_PASSWORD);
}

int
main (int   argc,
      char *argv[])
{
  if (argc > 1 && strcmp (argv[1], "--guess") == 0)
    return guess_main (argc, argv);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, desk_test_clinic_set_up, func, desk_test_clinic_tear_down)

  ADD ("/sign-in-limits/busy", test_busy, NULL);
  ADD ("/sign-in-limits/audit-fails", test_audit_fails, NULL);
  ADD ("/sign-in-limits/crash-counts", test_crash_counts, NULL);
  ADD ("/sign-in-limits/concurrent/24", test_concurrent_guesses, GUINT_TO_POINTER (24));
  ADD ("/sign-in-limits/fast-guesses", test_fast_guesses_do_not_lock, NULL);
  ADD ("/sign-in-limits/documented-numbers", test_documented_numbers, NULL);
  ADD ("/sign-in-limits/concurrent/120", test_concurrent_guesses, GUINT_TO_POINTER (120));

  return g_test_run ();
}
