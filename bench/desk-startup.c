/* desk-startup.c: launch to first frame, Front Desk against a bare window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts each program several times, alternating, and reads the monotonic
 * time at which it painted its first frame (Front Desk: its first frame
 * with rows in the client list).  Needs a display: run under xvfb-run.
 *   desk-startup BARE_WINDOW FRONT_DESK DATABASE [RUNS]
 */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
launch (const char * const *argv,
        double             *ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  gint64 started = g_get_monotonic_time ();
  const char *line;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    {
      g_printerr ("desk-startup: %s: %s\n", argv[0], error->message);
      return FALSE;
    }
  line = out != NULL ? strstr (out, "first-frame ") : NULL;
  if (line == NULL)
    {
      g_printerr ("desk-startup: %s printed no first frame\n", argv[0]);
      return FALSE;
    }
  *ms = (g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10) - started) / 1e3;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  int runs = argc > 4 ? atoi (argv[4]) : 7;
  g_autofree double *bare = NULL;
  g_autofree double *desk = NULL;
  const char *bare_argv[] = { NULL, NULL };
  const char *desk_argv[] = { NULL, "--database", NULL, NULL };

  if (argc < 4)
    {
      g_printerr ("usage: desk-startup BARE_WINDOW FRONT_DESK DATABASE [RUNS]\n");
      return 2;
    }
  bare_argv[0] = argv[1];
  desk_argv[0] = argv[2];
  desk_argv[2] = argv[3];
  g_setenv ("FRONT_DESK_REPORT_FIRST_FRAME", "1", TRUE);

  bare = g_new0 (double, runs);
  desk = g_new0 (double, runs);
  for (int i = 0; i < runs; i++)
    {
      if (!launch (bare_argv, &bare[i]) || !launch (desk_argv, &desk[i]))
        return 1;
    }
  qsort (bare, runs, sizeof (double), compare_double);
  qsort (desk, runs, sizeof (double), compare_double);

  g_print ("%-34s %8.1f ms (median of %d)\n", "bare libadwaita window", bare[runs / 2], runs);
  g_print ("%-34s %8.1f ms (median of %d)\n", "Front Desk, first frame with rows",
           desk[runs / 2], runs);
  g_print ("%-34s %8.2f x\n", "ratio", desk[runs / 2] / bare[runs / 2]);
  return 0;
}
