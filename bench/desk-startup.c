/* desk-startup.c: launch to first frame, Front Desk against a bare window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts each program several times, in pairs, and reads the monotonic
 * time at which it painted its first frame.  Front Desk first paints its
 * sign-in page; the benchmark then signs in with the demo credentials
 * (FRONT_DESK_BENCH_SIGN_IN, typed into that page by the window itself),
 * and Front Desk reports when the password check ended and when it painted
 * the first frame with rows of the client list.  Needs a display: run under
 * xvfb-run.
 *   desk-startup BARE_WINDOW FRONT_DESK DEMO_DATABASE [RUNS]
 *
 * Two ratios against the bare window: the first frame (the sign-in page),
 * and the first frame with rows less the password check, which is Argon2id
 * on a worker at OWASP's minimum, slow by design, and a person types for
 * longer anyway.  The check itself is printed beside them.
 *
 * One pair is run first and not counted (it fills the page cache).  Within a
 * pair the order alternates, so that a machine slowing down or speeding up
 * (another build starting) weighs on both programs alike; the ratio of each
 * pair is taken, and the median of those ratios is the figure to quote,
 * with the spread of the pairs beside it.
 */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "desk-demo.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* A program that never paints its first frame (a page that waits for the
 * user, say) is stopped after this long, and the benchmark fails. */
#define LAUNCH_TIMEOUT_S 30

typedef struct
{
  GMainLoop *loop;
  char      *out;
  GError    *error;
  gboolean   done;
  gboolean   timed_out;
} Launch;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Launch *launch = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &launch->out, NULL,
                                        &launch->error);
  launch->done = TRUE;
  g_main_loop_quit (launch->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  Launch *launch = user_data;

  launch->timed_out = TRUE;
  g_main_loop_quit (launch->loop);
  return G_SOURCE_REMOVE;
}

/* What one launch of Front Desk reported, in ms from its start. */
typedef struct
{
  double first;      /* first frame: the bare window's only one */
  double check;      /* the password check, submitted to done */
  double rows;       /* the first frame with rows, less the check */
} Times;

static gboolean
read_time (const char *out,
           const char *what,
           gint64     *value)
{
  g_autofree char *key = g_strconcat ("\n", what, " ", NULL);
  g_autofree char *text = g_strconcat ("\n", out, NULL);
  const char *line = strstr (text, key);

  if (line == NULL)
    return FALSE;
  *value = g_ascii_strtoll (line + strlen (key), NULL, 10);
  return TRUE;
}

static gboolean
launch (const char * const *argv,
        Times              *times)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Launch launch = { loop, NULL, NULL, FALSE, FALSE };
  g_autofree char *out = NULL;
  gint64 started = g_get_monotonic_time ();
  guint timeout;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL)
    {
      g_printerr ("desk-startup: %s: %s\n", argv[0], error->message);
      return FALSE;
    }

  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &launch);
  timeout = g_timeout_add_seconds (LAUNCH_TIMEOUT_S, on_timeout, &launch);
  g_main_loop_run (loop);

  if (launch.timed_out && !launch.done)
    {
      g_printerr ("desk-startup: %s painted no first frame in %d s\n", argv[0], LAUNCH_TIMEOUT_S);
      g_subprocess_force_exit (process);
      /* Let the communication end, so that nothing refers to @launch. */
      while (!launch.done)
        g_main_context_iteration (NULL, TRUE);
      g_clear_error (&launch.error);
      g_free (launch.out);
      return FALSE;
    }
  if (!launch.timed_out)
    g_source_remove (timeout);

  out = launch.out;
  if (launch.error != NULL)
    {
      g_printerr ("desk-startup: %s: %s\n", argv[0], launch.error->message);
      g_error_free (launch.error);
      return FALSE;
    }
  {
    gint64 sign_in_frame, submitted, signed_in, first_frame;

    if (out == NULL || !read_time (out, "first-frame", &first_frame))
      {
        g_printerr ("desk-startup: %s printed no first frame\n", argv[0]);
        return FALSE;
      }
    if (!read_time (out, "sign-in-frame", &sign_in_frame))
      {
        /* The bare window: one frame. */
        times->first = times->rows = (first_frame - started) / 1e3;
        times->check = 0;
        return TRUE;
      }
    if (!read_time (out, "sign-in-submitted", &submitted) ||
        !read_time (out, "signed-in", &signed_in))
      {
        g_printerr ("desk-startup: %s did not sign in\n", argv[0]);
        return FALSE;
      }
    times->first = (sign_in_frame - started) / 1e3;
    times->check = (signed_in - submitted) / 1e3;
    times->rows = (first_frame - started - (signed_in - submitted)) / 1e3;
  }
  return TRUE;
}

/* Sorts @values. */
static void
print_spread (const char *what,
              double     *values,
              int         n,
              const char *unit)
{
  qsort (values, n, sizeof (double), compare_double);
  g_print ("%-34s min %7.2f  median %7.2f  max %7.2f %s\n",
           what, values[0], values[n / 2], values[n - 1], unit);
}

int
main (int   argc,
      char *argv[])
{
  int runs = argc > 4 ? atoi (argv[4]) : 11;
  g_autofree double *bare = NULL;
  g_autofree double *first = NULL;
  g_autofree double *rows = NULL;
  g_autofree double *check = NULL;
  g_autofree double *first_ratio = NULL;
  g_autofree double *rows_ratio = NULL;
  g_autofree double *total_ratio = NULL;
  const char *bare_argv[] = { NULL, NULL };
  const char *desk_argv[] = { NULL, "--database", NULL, NULL };
  Times ignored;

  if (argc < 4 || runs < 1)
    {
      g_printerr ("usage: desk-startup BARE_WINDOW FRONT_DESK DEMO_DATABASE [RUNS]\n");
      return 2;
    }
  bare_argv[0] = argv[1];
  desk_argv[0] = argv[2];
  desk_argv[2] = argv[3];
  g_setenv ("FRONT_DESK_REPORT_FIRST_FRAME", "1", TRUE);
  g_setenv ("FRONT_DESK_BENCH_SIGN_IN", DESK_DEMO_USERNAME ":" DESK_DEMO_PASSWORD, TRUE);

  if (!launch (bare_argv, &ignored) || !launch (desk_argv, &ignored))
    return 1;

  bare = g_new0 (double, runs);
  first = g_new0 (double, runs);
  rows = g_new0 (double, runs);
  check = g_new0 (double, runs);
  first_ratio = g_new0 (double, runs);
  rows_ratio = g_new0 (double, runs);
  total_ratio = g_new0 (double, runs);
  for (int i = 0; i < runs; i++)
    {
      Times b, d;
      gboolean ok;

      if (i % 2 == 0)
        ok = launch (bare_argv, &b) && launch (desk_argv, &d);
      else
        ok = launch (desk_argv, &d) && launch (bare_argv, &b);
      if (!ok)
        return 1;
      bare[i] = b.first;
      first[i] = d.first;
      rows[i] = d.rows;
      check[i] = d.check;
      first_ratio[i] = d.first / b.first;
      rows_ratio[i] = d.rows / b.first;
      total_ratio[i] = (d.rows + d.check) / b.first;
    }

  g_print ("%d pairs, after one not counted\n", runs);
  print_spread ("bare libadwaita window", bare, runs, "ms");
  print_spread ("Front Desk, first frame (sign-in)", first, runs, "ms");
  print_spread ("  ratio of each pair", first_ratio, runs, "x");
  print_spread ("Front Desk, rows, less the check", rows, runs, "ms");
  print_spread ("  ratio of each pair", rows_ratio, runs, "x");
  print_spread ("password check (Argon2id)", check, runs, "ms");
  print_spread ("rows with the check, ratio", total_ratio, runs, "x");
  return 0;
}
