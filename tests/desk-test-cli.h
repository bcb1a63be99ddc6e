/* desk-test-cli.h: running front-desk-admin from the command-line tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each run is a real process, with its standard input read from a file
 * (never a pipe: a program that stops before reading must not turn into a
 * broken pipe here).
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "desk-demo.h"
#include "desk-test-util.h"

/* Running the program */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static inline void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* Starts the program with @input on its standard input, in the
 * environment @envp (NULL: the test's own), its standard output to the file
 * @stdout_path (NULL: read back by finish ()). */
static inline GSubprocess *
spawn_full_argv (const char * const *envp,
                 const char         *stdout_path,
                 const char         *input,
                 const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new ("$ front-desk-admin");
  g_autofree char *input_path = NULL;
  const char *program = g_getenv ("FRONT_DESK_ADMIN");
  GSubprocess *process;
  int fd;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) args[i]);
      desk_test_append_arg (line, args[i]);
    }
  g_ptr_array_add (argv, NULL);
  g_test_message ("%s", line->str);

  fd = g_file_open_tmp ("desk-test-cli-XXXXXX", &input_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (input_path, input, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new ((stdout_path == NULL ? G_SUBPROCESS_FLAGS_STDOUT_PIPE : 0) |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (envp != NULL)
    g_subprocess_launcher_set_environ (launcher, (char **) envp);
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* The program has it open: the name can go. */
  g_unlink (input_path);
  return process;
}

/* Starts the program with @input on its standard input. */
static inline GSubprocess *
spawn_input_argv (const char         *input,
                  const char * const *args)
{
  return spawn_full_argv (NULL, NULL, input, args);
}

/* Waits for @process to end, and keeps what it wrote. */
static inline void
finish (Result      *result,
        GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  result_clear (result);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);

  /* Exited, not killed by a signal (a crash is never an error message). */
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  if (result->out == NULL)
    result->out = g_strdup ("");
  if (result->err == NULL)
    result->err = g_strdup ("");
  if (result->out[0] != '\0')
    g_test_message ("stdout: %s", result->out);
  if (result->err[0] != '\0')
    g_test_message ("stderr: %s", result->err);
}

static inline void
run_input_argv (Result             *result,
                const char         *input,
                const char * const *args)
{
  g_autoptr(GSubprocess) process = spawn_input_argv (input, args);

  finish (result, process);
}

/* Runs with --database @db --as @as, @password on standard input. */
static inline void
run_as_argv (Result             *result,
             const char         *db,
             const char         *as,
             const char         *password,
             const char * const *rest)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  g_ptr_array_add (args, (gpointer) "--database");
  g_ptr_array_add (args, (gpointer) db);
  g_ptr_array_add (args, (gpointer) "--as");
  g_ptr_array_add (args, (gpointer) as);
  for (guint i = 0; rest[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) rest[i]);
  g_ptr_array_add (args, NULL);

  run_input_argv (result, input, (const char * const *) args->pdata);
}

/* As the demo administrator. */
#define run_admin(result, db, ...) \
  run_as_argv (result, db, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, \
               (const char *[]) { __VA_ARGS__, NULL })
/* As another demo member. */
#define run_member(result, db, as, ...) \
  run_as_argv (result, db, as, DESK_DEMO_PASSWORD, (const char *[]) { __VA_ARGS__, NULL })

static inline void
assert_success (Result *result)
{
  g_assert_cmpstr (result->err, ==, "");
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->out, !=, "");
}

/* The one way to fail: a status, one line on stderr containing @words,
 * nothing on stdout. */
static inline void
assert_failure (Result     *result,
                int         status,
                const char *words)
{
  const char *newline = strchr (result->err, '\n');

  g_assert_cmpint (result->status, ==, status);
  g_assert_true (g_str_has_prefix (result->err, "front-desk-admin: "));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
  g_assert_cmpstr (result->out, ==, "");
  if (strstr (result->err, words) == NULL)
    g_error ("“%s” not in the error: %s", words, result->err);
}
