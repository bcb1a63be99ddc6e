/* desk-startup.c: launch to first frame, Front Desk against a bare window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts each program several times, in pairs, and reads the monotonic
 * time at which it painted its first frame.  The Front Desk side is this
 * program started again with --window: it opens the real window in its own
 * process (the widgets are linked in, as in desk-stall.c, so the shipped
 * program carries no benchmark hooks), on the Clients view, and watches
 * the frame clock.  It first paints the sign-in page; it then signs in
 * with the demo credentials through that page, as a member would, and
 * reports when the password check ended and when it painted the first
 * frame with rows of the client list.  Needs a display: run under
 * xvfb-run.
 *   desk-startup BARE_WINDOW DEMO_DATABASE [RUNS]
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
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "desk-demo.h"
#include "desk-window.h"

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

/* The Front Desk side, in the child process: prints, in monotonic
 * microseconds, "sign-in-frame T" once the sign-in page is painted,
 * "sign-in-submitted T" and "signed-in T" around the password check, and
 * "first-frame T" once rows of the client list are painted. */

typedef struct
{
  DeskWindow *window;
  GMainLoop  *loop;
  gboolean    sign_in_painted;
  gboolean    failed;
} Child;

static void
report (const char *what)
{
  g_print ("%s %" G_GINT64_FORMAT "\n", what, g_get_monotonic_time ());
  fflush (stdout);
}

static gboolean
has_painted_rows (GtkWidget *list_view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (list_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_get_mapped (child) && gtk_widget_get_height (child) > 0)
        return TRUE;
    }

  return FALSE;
}

static void
on_session_changed (Child *child)
{
  if (desk_window_get_session (child->window) != NULL)
    report ("signed-in");
}

static void
on_after_paint (GdkFrameClock *clock,
                Child         *child)
{
  const char *page = desk_window_get_page (child->window);
  DeskClientsView *clients = desk_window_get_clients_view (child->window);

  if (g_strcmp0 (page, DESK_WINDOW_PAGE_ERROR) == 0)
    {
      g_printerr ("desk-startup: %s\n", desk_window_get_error_message (child->window));
      child->failed = TRUE;
    }
  else if (g_strcmp0 (page, DESK_WINDOW_PAGE_SIGN_IN) == 0)
    {
      DeskSignInPage *sign_in = desk_window_get_sign_in_page (child->window);

      if (!child->sign_in_painted)
        {
          child->sign_in_painted = TRUE;
          report ("sign-in-frame");
          gtk_editable_set_text (desk_sign_in_page_get_username (sign_in), DESK_DEMO_USERNAME);
          gtk_editable_set_text (desk_sign_in_page_get_password (sign_in), DESK_DEMO_PASSWORD);
          report ("sign-in-submitted");
          g_signal_emit_by_name (desk_sign_in_page_get_password (sign_in), "activate");
        }
      return;
    }
  else if (g_strcmp0 (page, DESK_WINDOW_PAGE_CLINIC) != 0 ||
           !has_painted_rows (GTK_WIDGET (desk_clients_view_get_list_view (clients))))
    {
      return;
    }
  else
    {
      report ("first-frame");
    }

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, child);
  g_main_loop_quit (child->loop);
}

static void
on_map (GtkWidget *window,
        Child     *child)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), child);
}

static int
run_window (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GMainLoop) loop = NULL;
  Child child = { NULL, NULL, FALSE, FALSE };
  GtkWidget *clients, *stack;

  /* As front-desk's main() does. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!gtk_init_check ())
    {
      g_printerr ("desk-startup: no display (run it under xvfb-run)\n");
      return 77;
    }
  adw_init ();

  loop = g_main_loop_new (NULL, FALSE);
  child.loop = loop;
  child.window = desk_window_new (NULL);
  /* The client list is the one that must page a million rows. */
  clients = GTK_WIDGET (desk_window_get_clients_view (child.window));
  stack = gtk_widget_get_ancestor (clients, ADW_TYPE_VIEW_STACK);
  adw_view_stack_set_visible_child (ADW_VIEW_STACK (stack), clients);
  g_signal_connect (child.window, "map", G_CALLBACK (on_map), &child);
  g_signal_connect_swapped (child.window, "notify::session", G_CALLBACK (on_session_changed),
                            &child);
  gtk_window_present (GTK_WINDOW (child.window));
  desk_window_open (child.window, file);

  g_main_loop_run (loop);
  gtk_window_destroy (GTK_WINDOW (child.window));
  return child.failed ? 1 : 0;
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
  int runs = argc > 3 ? atoi (argv[3]) : 11;
  g_autofree double *bare = NULL;
  g_autofree double *first = NULL;
  g_autofree double *rows = NULL;
  g_autofree double *check = NULL;
  g_autofree double *first_ratio = NULL;
  g_autofree double *rows_ratio = NULL;
  g_autofree double *total_ratio = NULL;
  const char *bare_argv[] = { NULL, NULL };
  g_autofree char *self_path = NULL;
  const char *desk_argv[] = { NULL, "--window", NULL, NULL };
  Times ignored;

  if (argc == 3 && g_str_equal (argv[1], "--window"))
    return run_window (argv[2]);
  if (argc < 3 || argc > 4 || runs < 1)
    {
      g_printerr ("usage: desk-startup BARE_WINDOW DEMO_DATABASE [RUNS]\n");
      return 2;
    }
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  bare_argv[0] = argv[1];
  desk_argv[0] = self_path != NULL ? self_path : argv[0];
  desk_argv[2] = argv[2];

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
