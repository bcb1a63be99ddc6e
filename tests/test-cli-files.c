/* test-cli-files.c: front-desk-admin and the clinic's files: init that a
 * kill cannot leave half-made, owner-only files, check, and audit verify
 * that only reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test spawns the built binary ($FRONT_DESK_ADMIN).  The tests run as
 * root here and in CI, and root writes a 0444 file: "read-only" is shown by
 * the file's bytes, its time and the files beside it staying as they were.
 */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "desk-client.h"
#include "desk-audit.h"
#include "desk-test-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
run_argv (Result             *result,
          const char         *input,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input_path = NULL;
  const char *program = g_getenv ("FRONT_DESK_ADMIN");
  int fd;

  g_assert_nonnull (program);
  result_clear (result);
  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Standard input from a file, not a pipe: a program that stops before
   * reading it (a refused file) must not turn into a broken pipe here. */
  fd = g_file_open_tmp ("test-cli-files-input-XXXXXX", &input_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (input_path, input != NULL ? input : "", -1, &error));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_unlink (input_path);
  g_assert_no_error (error);
  /* Exited, not killed by a signal. */
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  if (result->out == NULL)
    result->out = g_strdup ("");
  if (result->err == NULL)
    result->err = g_strdup ("");
  if (result->err[0] != '\0')
    g_test_message ("stderr: %s", result->err);
}

#define run(result, ...) run_argv (result, NULL, (const char *[]) { __VA_ARGS__, NULL })
#define run_input(result, input, ...) \
  run_argv (result, input, (const char *[]) { __VA_ARGS__, NULL })
/* As the demo administrator: reading members or clients needs a member. */
#define run_as(result, path, ...) \
  run_argv (result, DESK_DEMO_PASSWORD "\n", \
            (const char *[]) { "--database", path, "--as", DESK_DEMO_USERNAME, __VA_ARGS__, NULL })

static guint
count_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

static char *
closed_demo (const char *dir,
             const char *name,
             guint       clients)
{
  char *path = g_build_filename (dir, name, NULL);

  g_object_unref (desk_test_demo_store (path, clients, 3));
  return path;
}

/* Overwrites the middle half of the file with garbage. */
static void
damage_middle (const char *path)
{
  GStatBuf st;
  guint8 garbage[4096];
  FILE *file;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  memset (garbage, 0x5a, sizeof garbage);
  file = g_fopen (path, "r+b");
  g_assert_nonnull (file);
  for (goffset at = st.st_size / 4 / 4096 * 4096; at < st.st_size * 3 / 4; at += 4096)
    {
      g_assert_cmpint (fseek (file, at, SEEK_SET), ==, 0);
      g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, file), ==, sizeof garbage);
    }
  fclose (file);
}

static void
test_check (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = closed_demo (dir, "clinic.db", 300);
  g_autofree char *missing = g_build_filename (dir, "none.db", NULL);
  g_autofree char *before = NULL;
  g_auto(Result) result = { 0 };

  run (&result, "--database", path, "check");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "ok"));

  damage_middle (path);
  before = desk_test_file_checksum (path);

  run (&result, "--database", path, "check");
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "is damaged"));
  g_assert_nonnull (strstr (result.err, "Restore it from a backup"));
  g_assert_null (strstr (result.err, "malformed"));

  /* A command that meets the damage says so in the same words. */
  run_as (&result, path, "clients", "list");
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "is damaged"));
  g_assert_null (strstr (result.err, "malformed"));

  {
    g_autofree char *after = desk_test_file_checksum (path);

    g_assert_cmpstr (before, ==, after);
  }

  run (&result, "--database", missing, "check");
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "There is no clinic database"));
}

typedef struct
{
  char   *sum;
  gint64  mtime_ns;
  guint   mode;
} FileState;

static void
file_state (const char *path,
            FileState  *state)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  state->sum = desk_test_file_checksum (path);
  state->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  state->mode = st.st_mode & 07777;
}

static void
assert_unchanged (const char *dir,
                  const char *path,
                  FileState  *before,
                  guint       n_entries)
{
  FileState after = { 0 };

  file_state (path, &after);
  g_assert_cmpstr (before->sum, ==, after.sum);
  g_assert_cmpint (before->mtime_ns, ==, after.mtime_ns);
  g_assert_cmpuint (before->mode, ==, after.mode);
  /* No -wal, no -shm, nothing else beside it. */
  g_assert_cmpuint (count_entries (dir), ==, n_entries);
  g_free (after.sum);
}

/* An evidence copy: the file 0444 in a 0555 folder.  Root could still
 * write it, so what shows that verify only reads is that nothing changed. */
static void
test_verify_read_only (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = closed_demo (dir, "evidence.db", 100);
  g_auto(Result) result = { 0 };
  FileState before = { 0 };

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  file_state (path, &before);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  run (&result, "--database", path, "audit", "verify");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "The audit log is intact"));
  assert_unchanged (dir, path, &before, 1);

  run (&result, "--database", path, "check");
  g_assert_cmpint (result.status, ==, 0);
  assert_unchanged (dir, path, &before, 1);

  /* A program that writes refuses it. */
  run_as (&result, path, "members", "list");
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "read-only"));

  g_chmod (dir, 0755);
  g_free (before.sum);
}

/* Verify on a writable file leaves it as it was too. */
static void
test_verify_writable (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = closed_demo (dir, "clinic.db", 100);
  g_auto(Result) result = { 0 };
  FileState before = { 0 };

  file_state (path, &before);
  run (&result, "--database", path, "audit", "verify");
  g_assert_cmpint (result.status, ==, 0);
  assert_unchanged (dir, path, &before, 1);
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

/* A file from an older Front Desk is verified as it is, not upgraded. */
static void
test_verify_older (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Result) result = { 0 };
  FileState before = { 0 };

  g_object_unref (_desk_store_create_at_version (path, "Old Clinic", 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (user_version (path), ==, 4);
  file_state (path, &before);

  run (&result, "--database", path, "audit", "verify");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "The audit log is intact: 1 entry."));
  assert_unchanged (dir, path, &before, 1);
  g_assert_cmpint (user_version (path), ==, 4);

  /* What the ordinary open does to it, which verify must not. */
  /* (The old clinic has no members, so the sign-in after it fails.) */
  run_as (&result, path, "members", "list");
  g_assert_cmpint (user_version (path), ==, 8);
  g_free (before.sum);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("%s: %o", path, st.st_mode & 0777);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

/* With a umask that lets everyone read, what init and export write is
 * still the owner's alone. */
static void
test_files_owner_only (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *demo = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *csv = g_build_filename (dir, "audit.csv", NULL);
  g_auto(Result) result = { 0 };
  mode_t saved = umask (0);

  run (&result, "--database", path, "init", "--name", "Clinique du Parc");
  g_assert_cmpint (result.status, ==, 0);
  assert_mode (path, 0600);

  run (&result, "--database", demo, "init", "--demo", "--clients", "50");
  g_assert_cmpint (result.status, ==, 0);
  assert_mode (demo, 0600);

  run_input (&result, "frontdesk-demo\n", "--database", demo, "--as", "admin", "audit", "export",
             "--output", csv);
  g_assert_cmpint (result.status, ==, 0);
  assert_mode (csv, 0600);

  umask (saved);
}

/* Both demo paths make the same clinic: `front-desk --demo` calls
 * desk_demo_create () with the seed 2026 and no name, as here. */
static void
test_demo_same_as_window (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *window_path = g_build_filename (dir, "window.db", NULL);
  g_autofree char *cli_path = g_build_filename (dir, "cli.db", NULL);
  g_autoptr(DeskStore) window = NULL;
  g_autoptr(DeskStore) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) result = { 0 };
  DeskDemoOptions options = { .clients = 120, .seed = 2026 };
  const char *tables[] = { "members", "clients", "appointments", "inbox_items",
                           "qnaire_sends", "lab_integrations" };

  window = desk_demo_create (window_path, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);

  run (&result, "--database", cli_path, "init", "--demo", "--clients", "120");
  g_assert_cmpint (result.status, ==, 0);
  cli = desk_store_open (cli_path, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (desk_store_get_clinic_name (window), ==, "Maple Grove Family Health");
  g_assert_cmpstr (desk_store_get_clinic_name (cli), ==, desk_store_get_clinic_name (window));
  g_assert_true (desk_store_get_is_demo (cli));
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_assert_cmpint (desk_test_count (cli, "SELECT count(*) FROM %s", tables[i]), ==,
                     desk_test_count (window, "SELECT count(*) FROM %s", tables[i]));
  g_assert_cmpint (desk_test_count (cli, "SELECT count(*) FROM clients"), ==, 120);
  g_assert_cmpint (desk_test_count (cli, "SELECT demo_seed FROM clinic"), ==, 2026);
  /* The same people, not only as many. */
  g_assert_cmpint (desk_test_count (cli, "SELECT sum(length(given_name || family_name)) FROM clients"),
                   ==,
                   desk_test_count (window, "SELECT sum(length(given_name || family_name)) FROM clients"));
}

static double
run_seconds (const char *path)
{
  g_auto(Result) result = { 0 };
  gint64 started = g_get_monotonic_time ();

  run (&result, "--database", path, "init", "--demo", "--clients", "200");
  g_assert_cmpint (result.status, ==, 0);
  return (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
}

/* init --demo killed at random moments: what is left is either nothing
 * (the next init tidies up) or a whole clinic. */
static void
test_init_killed (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *seed_text = NULL;
  const char *program = g_getenv ("FRONT_DESK_ADMIN");
  guint n_whole = 0, n_nothing = 0;
  double duration;
  GRand *rand;

  duration = run_seconds (path);
  g_unlink (path);
  g_test_message ("init --demo --clients 200: %.3f s", duration);
  rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint i = 0; i < 36; i++)
    {
      g_auto(Result) result = { 0 };
      const char *argv[] = { program, "--database", path, "init", "--demo", "--clients", "200",
                             NULL };
      gulong delay = (gulong) (g_rand_double (rand) * duration * 1.1 * G_USEC_PER_SEC);
      GPid pid;
      int status = 0;
      g_autoptr(GError) error = NULL;

      g_spawn_async (NULL, (char **) argv, NULL,
                     G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error);
      g_assert_no_error (error);
      g_usleep (delay);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autoptr(DeskStore) store = desk_store_open_full (path, DESK_STORE_OPEN_READ_ONLY,
                                                             &error);
          guint64 n = 0;

          g_assert_no_error (error);
          g_assert_true (desk_store_get_is_demo (store));
          g_assert_cmpuint (desk_client_count (store, &error), ==, 200);
          g_assert_true (desk_audit_verify (store, &n, NULL, NULL, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (n, ==, 2);
          g_clear_object (&store);
          g_assert_true (desk_store_check_file (path, &error));
          g_assert_cmpint (g_unlink (path), ==, 0);
          n_whole++;
        }
      else
        n_nothing++;

      /* The next init succeeds and leaves nothing but the clinic. */
      run (&result, "--database", path, "init");
      g_assert_cmpint (result.status, ==, 0);
      g_assert_cmpuint (count_entries (dir), ==, 1);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_test_message ("killed 36 times: %u left a whole clinic, %u nothing", n_whole, n_nothing);
  g_assert_cmpuint (n_nothing, >, 0);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  /* A program that exits before reading its password must fail a test, not kill it. */
  signal (SIGPIPE, SIG_IGN);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-files/check", test_check);
  g_test_add_func ("/cli-files/verify/read-only", test_verify_read_only);
  g_test_add_func ("/cli-files/verify/writable", test_verify_writable);
  g_test_add_func ("/cli-files/verify/older", test_verify_older);
  g_test_add_func ("/cli-files/owner-only", test_files_owner_only);
  g_test_add_func ("/cli-files/demo-same-as-window", test_demo_same_as_window);
  g_test_add_func ("/cli-files/init-killed", test_init_killed);

  return g_test_run ();
}
