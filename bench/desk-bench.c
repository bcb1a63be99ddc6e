/* desk-bench.c: figures for a large clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Creates (or reuses) a demo clinic of --clients clients and prints:
 * creation time, open time, search latency (time until the first results
 * can be shown, and until the whole match set is known) over many
 * searches, page-fetch latency at random scroll positions, main-thread
 * detail queries, and peak RSS.  Run it with `meson test --benchmark` or
 * directly: build/bench/desk-bench --clients 1000000 --path /tmp/big.db
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "desk-member.h"
#include "desk-client.h"
#include "desk-client-search.h"
#include "desk-demo.h"
#include "desk-record-list.h"
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
  g_print ("%-34s n=%-4u p50 %8.2f ms   p95 %8.2f ms   max %8.2f ms\n", what, ms->len,
           v[ms->len / 2], v[(guint) (ms->len * 0.95)], v[ms->len - 1]);
}

typedef struct
{
  gint64 started;
  gint64 first;
} Timing;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Timing     *timing)
{
  if (timing->first == 0)
    timing->first = g_get_monotonic_time ();
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskRecordList) list = NULL;
  g_autoptr(GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) detail_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  int clients = 1000000;
  int n_queries = 120;
  gboolean keep = FALSE;
  double show_over = 16;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Clients in the demo clinic", "N" },
    { "path", 0, 0, G_OPTION_ARG_FILENAME, &path, "Clinic file (reused if it exists)", "FILE" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Searches to time", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep a clinic this run created", NULL },
    { "show-over", 0, 0, G_OPTION_ARG_DOUBLE, &show_over,
      "Print each search slower than this (default 16)", "MS" },
    { NULL }
  };
  gboolean created = FALSE;
  GRand *rand;
  gint64 t0;
  guint n;

  context = g_option_context_new ("- Front Desk benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("desk-bench: %s\n", error->message);
      return 2;
    }
  if (path == NULL)
    path = g_strdup_printf ("%s/front-desk-bench-%d.db", g_get_tmp_dir (), clients);

  g_print ("Front Desk benchmark: %d clients, %s\n", clients, path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      DeskDemoOptions options = { 0, (guint) clients, 1, 0 };

      t0 = g_get_monotonic_time ();
      store = desk_store_create (path, "Benchmark Clinic", &error);
      if (store == NULL || !desk_demo_populate (store, &options, NULL, NULL, &error))
        {
          g_printerr ("desk-bench: %s\n", error->message);
          return 1;
        }
      g_print ("%-34s %8.2f s\n", "creation (demo clinic)", (g_get_monotonic_time () - t0) / 1e6);
      g_clear_object (&store);
      created = TRUE;
    }

  t0 = g_get_monotonic_time ();
  store = desk_store_open_full (path, DESK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_printerr ("desk-bench: %s\n", error->message);
      return 1;
    }
  g_print ("%-34s %8.2f ms\n", "open (integrity check deferred)",
           (g_get_monotonic_time () - t0) / 1e3);

  /* The first screen of the client list, as the window shows it. */
  list = desk_record_list_new_clients (store);
  /* Paced as the window's views pace it (desk_record_rows_model_new()). */
  desk_paged_list_set_pacing (DESK_PAGED_LIST (list), 32, 256, 16);
  {
    Timing timing = { g_get_monotonic_time (), 0 };
    gulong id = g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &timing);

    desk_record_list_reload (list);
    while (timing.first == 0 && desk_record_list_get_loading (list))
      g_main_context_iteration (NULL, TRUE);
    g_print ("%-34s %8.2f ms\n", "first rows of the full list", (timing.first - timing.started) / 1e3);
    while (desk_record_list_get_loading (list))
      g_main_context_iteration (NULL, TRUE);
    g_print ("%-34s %8.2f ms (%u clients)\n", "whole client list known",
             (g_get_monotonic_time () - timing.started) / 1e3,
             g_list_model_get_n_items (G_LIST_MODEL (list)));
    g_signal_handler_disconnect (list, id);
  }

  /* Searches: prefixes and substrings of 1 to 3 letters of real names, and
   * a few whole names, all drawn from the clinic itself. */
  rand = g_rand_new_with_seed (7);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  while (queries->len < (guint) n_queries)
    {
      g_autoptr(DeskClient) client =
        g_list_model_get_item (G_LIST_MODEL (list), g_rand_int_range (rand, 0, n));
      const char *name = g_rand_boolean (rand) ? desk_client_get_family_name (client)
                                               : desk_client_get_given_name (client);
      glong length = g_utf8_strlen (name, -1);
      glong take = MIN (length, 1 + queries->len % 3);
      glong start = (queries->len % 2 == 0) ? 0 : g_rand_int_range (rand, 0, length - take + 1);
      const char *from = g_utf8_offset_to_pointer (name, start);
      const char *to = g_utf8_offset_to_pointer (from, take);

      if (queries->len % 10 == 9)
        g_ptr_array_add (queries, g_strdup (name));
      else
        g_ptr_array_add (queries, g_strndup (from, to - from));
    }

  for (guint i = 0; i < queries->len; i++)
    {
      Timing timing = { 0, 0 };
      gulong id;
      double ms;

      /* Back to the full list between searches, like clearing the entry. */
      desk_record_list_set_search (list, "");
      desk_record_list_load_sync (list, NULL, NULL);

      id = g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &timing);
      timing.started = g_get_monotonic_time ();
      desk_record_list_set_search (list, g_ptr_array_index (queries, i));
      while (timing.first == 0 && desk_record_list_get_loading (list))
        g_main_context_iteration (NULL, TRUE);
      ms = ((timing.first != 0 ? timing.first : g_get_monotonic_time ()) - timing.started) / 1e3;
      g_array_append_val (first_ms, ms);
      if (ms > show_over)
        g_print ("  search “%s”: %.1f ms to first results, %u matches\n",
                 (const char *) g_ptr_array_index (queries, i), ms,
                 g_list_model_get_n_items (G_LIST_MODEL (list)));
      while (desk_record_list_get_loading (list))
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - timing.started) / 1e3;
      g_array_append_val (full_ms, ms);
      g_signal_handler_disconnect (list, id);
    }
  print_stats ("search: first results shown", first_ms);
  print_stats ("search: whole match set known", full_ms);

  /* Scrolling: a page at random positions of the full list. */
  desk_record_list_set_search (list, "");
  desk_record_list_load_sync (list, NULL, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < 200; i++)
    {
      guint position = g_rand_int_range (rand, 0, n);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (list), position);
      double ms = (g_get_monotonic_time () - start) / 1e3;

      g_array_append_val (page_ms, ms);
    }
  print_stats ("page fetch at a random position", page_ms);

  /* The member detail page's counts, on the main thread. */
  for (guint i = 0; i < 100; i++)
    {
      DeskMemberSummary summary;
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (desk_member_load_summary (store, 1 + g_rand_int_range (rand, 0, 100), &summary,
                                         NULL))
        desk_member_summary_clear (&summary);
      ms = (g_get_monotonic_time () - start) / 1e3;
      g_array_append_val (detail_ms, ms);
    }
  print_stats ("member detail counts", detail_ms);

  /* The window's upkeep of the search index after the integrity check: a
   * pass over the name order, and the splits a grown clinic needs. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 start = g_get_monotonic_time ();
    guint n_split = 0;

    desk_client_search_balance_async (store, NULL, on_done, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    if (!desk_client_search_balance_finish (store, result, &n_split, &error))
      {
        g_printerr ("desk-bench: %s\n", error->message);
        return 1;
      }
    g_print ("%-34s %8.2f ms (%u buckets split)\n", "search index upkeep",
             (g_get_monotonic_time () - start) / 1e3, n_split);
  }

  g_print ("%-34s %8.1f MB\n", "peak RSS", peak_rss_mb ());

  g_rand_free (rand);
  g_clear_object (&list);
  g_clear_object (&store);
  if (created && !keep)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
    }
  return 0;
}
