/* desk-open-bench.c: how long opening a large clinic takes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening must not grow with the file: it reads the header and the clinic
 * row, and leaves the full check (PRAGMA quick_check) to the window's
 * background, `front-desk-admin check` and `audit verify`.  Prints, on a
 * clinic of --clients clients (created at --path when nothing is there):
 * desk_store_open (), a read-only open, a whole `front-desk-admin members
 * list --limit 5` call ($FRONT_DESK_ADMIN), and the full check, which
 * every open used to run.  Target: an open under 50 ms at 1,000,000 clients.
 *   build/bench/desk-open-bench --path /tmp/big.db --clients 1000000
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "desk-demo.h"
#include "desk-store.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_stats (const char *what,
             GArray     *ms)
{
  double *v = (double *) (gpointer) ms->data;

  qsort (v, ms->len, sizeof (double), compare_double);
  g_print ("%-40s n=%-3u p50 %9.2f ms   max %9.2f ms\n", what, ms->len,
           v[ms->len / 2], v[ms->len - 1]);
}

static double
elapsed_ms (gint64 started)
{
  return (g_get_monotonic_time () - started) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) read_only_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cli_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *path = NULL;
  const char *admin = g_getenv ("FRONT_DESK_ADMIN");
  gint clients = 1000000;
  gint runs = 20;
  gint64 started;
  double check_ms;
  const GOptionEntry entries[] = {
    { "path", 0, 0, G_OPTION_ARG_FILENAME, &path, "The clinic (created when missing)", "FILE" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Clients of a clinic created here", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Opens to time", "N" },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (path == NULL)
    path = g_build_filename (g_get_tmp_dir (), "desk-open-bench.db", NULL);
  runs = CLAMP (runs, 1, 1000);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(DeskStore) store = NULL;
      DeskDemoOptions options = { .clients = (guint) clients, .seed = 1 };

      started = g_get_monotonic_time ();
      store = desk_demo_create (path, NULL, &options, NULL, NULL, &error);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%-40s %9.2f s\n", "create", elapsed_ms (started) / 1000.0);
    }

  for (gint i = 0; i < runs; i++)
    {
      g_autoptr(DeskStore) store = NULL;
      double ms;

      started = g_get_monotonic_time ();
      store = desk_store_open (path, &error);
      ms = elapsed_ms (started);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_array_append_val (open_ms, ms);

      g_clear_object (&store);
      started = g_get_monotonic_time ();
      store = desk_store_open_full (path, DESK_STORE_OPEN_READ_ONLY, &error);
      ms = elapsed_ms (started);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_array_append_val (read_only_ms, ms);
    }
  print_stats ("open", open_ms);
  print_stats ("open, read-only", read_only_ms);

  if (admin != NULL)
    {
      for (gint i = 0; i < MIN (runs, 10); i++)
        {
          const char *argv_cli[] = { admin, "--database", path, "members", "list", "--limit", "5",
                                     NULL };
          gint status = 0;
          double ms;

          started = g_get_monotonic_time ();
          if (!g_spawn_sync (NULL, (char **) argv_cli, NULL,
                             G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
                             NULL, NULL, NULL, &status, &error) ||
              !g_spawn_check_wait_status (status, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          ms = elapsed_ms (started);
          g_array_append_val (cli_ms, ms);
        }
      print_stats ("front-desk-admin members list --limit 5", cli_ms);
    }

  started = g_get_monotonic_time ();
  if (!desk_store_check_file (path, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  check_ms = elapsed_ms (started);
  g_print ("%-40s %9.2f ms (what every open cost before)\n", "full check (quick_check)", check_ms);

  return 0;
}
