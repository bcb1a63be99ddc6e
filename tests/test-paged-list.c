/* test-paged-list.c: the paged list engine, through a subclass of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TestNumbers lists the numbers of a table made for the test that a
 * divisor divides, in order; its query can be held at a gate, run long
 * enough to need cancelling, or fail.
 */
#include "config.h"

#include <sqlite3.h>

#include "desk-paged-list-private.h"
#include "desk-test-util.h"

typedef enum
{
  RUN_PLAIN,
  RUN_GATED,    /* the whole result, then waits at the gate, then a chunk */
  RUN_SLOW,     /* a query that only cancelling ends early */
  RUN_FAIL,     /* SQL that fails */
  RUN_REFUSED,  /* refused before it starts */
} Run;

typedef struct
{
  guint divisor;
  Run   run;
} Query;

#define TEST_TYPE_NUMBERS (test_numbers_get_type ())
G_DECLARE_FINAL_TYPE (TestNumbers, test_numbers, TEST, NUMBERS, DeskPagedList)

struct _TestNumbers
{
  DeskPagedList parent_instance;

  guint         divisor;
  Run           run;
  gboolean      fail_pages;
};

G_DEFINE_FINAL_TYPE (TestNumbers, test_numbers, DESK_TYPE_PAGED_LIST)

/* The gate a RUN_GATED query waits at, and what the workers did. */
static GMutex gate_mutex;
static GCond  gate_cond;
static gboolean gate_open;
static gint   n_waiting;
static gint   n_freed;
static gint   n_interrupted;

static void
open_gate (void)
{
  g_mutex_lock (&gate_mutex);
  gate_open = TRUE;
  g_cond_broadcast (&gate_cond);
  g_mutex_unlock (&gate_mutex);
}

static void
query_free (gpointer data)
{
  g_free (data);
  g_atomic_int_inc (&n_freed);
}

static gpointer
test_numbers_query_new (DeskPagedList  *list,
                        GError        **error)
{
  TestNumbers *self = TEST_NUMBERS (list);
  Query *query;

  if (self->run == RUN_REFUSED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Not for you.");
      return NULL;
    }
  query = g_new0 (Query, 1);
  query->divisor = self->divisor;
  query->run = self->run;
  return query;
}

static DeskPagedResult *
ids_result (GArray *ids,
            guint   n)
{
  g_autoptr(GArray) copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  g_array_append_vals (copy, ids->data, n);
  return desk_paged_result_new (n, g_steal_pointer (&copy), (GDestroyNotify) g_array_unref);
}

static DeskPagedResult *
test_numbers_query_run (DeskPagedQuery  *paged,
                        sqlite3         *db,
                        GError         **error)
{
  Query *query = desk_paged_query_get_data (paged);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  const char *sql;
  int rc;

  switch (query->run)
    {
    case RUN_SLOW:
      sql = "WITH RECURSIVE c (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000)"
            " SELECT max (x) FROM c";
      break;
    case RUN_FAIL:
      sql = "SELECT n FROM no_such_table";
      break;
    default:
      sql = "SELECT n FROM numbers WHERE n % ?1 = 0 ORDER BY n";
      break;
    }

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, query->divisor);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 n = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, n);
          if (ids->len == 10 && query->run == RUN_PLAIN)
            {
              g_autoptr(DeskPagedResult) chunk = ids_result (ids, 10);

              desk_paged_query_hand_over (paged, chunk);
            }
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_INTERRUPT)
        g_atomic_int_inc (&n_interrupted);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot count: %s", sqlite3_errstr (rc));
      return NULL;
    }

  if (query->run == RUN_GATED)
    {
      g_autoptr(DeskPagedResult) chunk = ids_result (ids, MIN (ids->len, 10));

      g_mutex_lock (&gate_mutex);
      g_atomic_int_inc (&n_waiting);
      while (!gate_open)
        g_cond_wait (&gate_cond, &gate_mutex);
      g_mutex_unlock (&gate_mutex);
      desk_paged_query_hand_over (paged, chunk);
    }

  return ids_result (ids, ids->len);
}

static GPtrArray *
test_numbers_fetch_page (DeskPagedList         *list,
                         const DeskPagedResult *result,
                         guint                  first,
                         guint                  n,
                         GError               **error)
{
  GArray *ids = desk_paged_result_get_data (result);
  GPtrArray *items;

  if (TEST_NUMBERS (list)->fail_pages)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No page today.");
      return NULL;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = first; i < first + n; i++)
    {
      GObject *item = g_object_new (G_TYPE_OBJECT, NULL);

      g_object_set_data (item, "n", GINT_TO_POINTER ((int) g_array_index (ids, gint64, i)));
      g_ptr_array_add (items, item);
    }
  _desk_paged_list_add_fetched (list, n);
  return items;
}

static guint
test_numbers_same_prefix (DeskPagedList         *list,
                          const DeskPagedResult *old,
                          const DeskPagedResult *result)
{
  GArray *a = desk_paged_result_get_data (old);
  GArray *b = desk_paged_result_get_data (result);
  guint prefix = 0;

  while (a != NULL && b != NULL && prefix < a->len && prefix < b->len &&
         g_array_index (a, gint64, prefix) == g_array_index (b, gint64, prefix))
    prefix++;
  return prefix;
}

static GType
test_numbers_get_item_type (DeskPagedList *list)
{
  return G_TYPE_OBJECT;
}

static void
test_numbers_class_init (TestNumbersClass *klass)
{
  DeskPagedListClass *list_class = DESK_PAGED_LIST_CLASS (klass);

  list_class->page_size = 10;
  list_class->max_pages = 4;
  list_class->get_item_type = test_numbers_get_item_type;
  list_class->query_new = test_numbers_query_new;
  list_class->query_free = query_free;
  list_class->query_run = test_numbers_query_run;
  list_class->same_prefix = test_numbers_same_prefix;
  list_class->fetch_page = test_numbers_fetch_page;
}

static void
test_numbers_init (TestNumbers *self)
{
  self->divisor = 1;
}

/* Fixture: a clinic with a table of the numbers 1 to 1000. */

typedef struct
{
  DeskTestDir *dir;
  DeskStore   *store;
  TestNumbers *list;
  GArray      *changes;   /* guint added of each items-changed */
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  g_array_append_val (f->changes, added);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = desk_test_dir_new ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (path, 0, 3);
  g_assert_true (_desk_db_exec (_desk_store_get_db (f->store),
                                   "CREATE TABLE numbers (n INTEGER PRIMARY KEY);"
                                   "WITH RECURSIVE c (x) AS"
                                   " (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000)"
                                   " INSERT INTO numbers SELECT x FROM c;",
                                   &error));
  g_assert_no_error (error);
  f->list = g_object_new (TEST_TYPE_NUMBERS, "store", f->store, NULL);
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);

  gate_open = FALSE;
  n_waiting = n_freed = n_interrupted = 0;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  open_gate ();
  g_assert_finalize_object (f->list);
  /* A worker still running holds the store's path only, not the store. */
  g_assert_finalize_object (f->store);
  g_array_unref (f->changes);
  desk_test_dir_free (f->dir);
}

static int
item_n (TestNumbers *list,
        guint        position)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (list), position);

  g_assert_nonnull (item);
  return GPOINTER_TO_INT (g_object_get_data (item, "n"));
}

static void
wait_loaded (TestNumbers *list)
{
  while (desk_paged_list_get_loading (DESK_PAGED_LIST (list)))
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @n queries are freed: their results, chunks
 * and callbacks are all done with. */
static void
wait_freed (gint n)
{
  while (g_atomic_int_get (&n_freed) < n)
    g_main_context_iteration (NULL, FALSE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_chunk_then_result (Fixture       *f,
                        gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  desk_paged_list_reload (DESK_PAGED_LIST (f->list));
  g_assert_true (desk_paged_list_get_loading (DESK_PAGED_LIST (f->list)));
  wait_loaded (f->list);

  /* The first 10 while the query ran, then the other 990 after them. */
  g_assert_cmpuint (f->changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->changes, guint, 0), ==, 10);
  g_assert_cmpuint (g_array_index (f->changes, guint, 1), ==, 990);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 1000);
  g_assert_cmpint (item_n (f->list, 0), ==, 1);
  g_assert_cmpint (item_n (f->list, 999), ==, 1000);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->list), 1000));
  g_assert_null (desk_paged_list_get_error (DESK_PAGED_LIST (f->list)));
}

/* A query superseded while it runs: neither its chunk nor its result lands. */
static void
test_stale_dropped (Fixture       *f,
                    gconstpointer  data)
{
  TestNumbers *list = f->list;
  guint n_changes;

  list->divisor = 2;
  list->run = RUN_GATED;
  desk_paged_list_reload (DESK_PAGED_LIST (list));
  while (g_atomic_int_get (&n_waiting) == 0)
    g_main_context_iteration (NULL, FALSE);

  /* Its result is known and waits at the gate; another query supersedes it. */
  list->divisor = 3;
  list->run = RUN_PLAIN;
  desk_paged_list_reload (DESK_PAGED_LIST (list));
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 333);
  n_changes = f->changes->len;

  open_gate ();
  wait_freed (2);

  g_assert_cmpuint (f->changes->len, ==, n_changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 333);
  g_assert_cmpint (item_n (list, 0), ==, 3);
  g_assert_cmpint (item_n (list, 332), ==, 999);
  g_assert_false (desk_paged_list_get_loading (DESK_PAGED_LIST (list)));
}

/* A superseded query is stopped between rows, in the background and for
 * a caller's cancellable. */
static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  TestNumbers *list = f->list;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  list->run = RUN_SLOW;
  desk_paged_list_reload (DESK_PAGED_LIST (list));
  /* Started (the idle ran), then superseded at once. */
  while (g_atomic_int_get (&n_freed) == 0 && g_main_context_iteration (NULL, FALSE))
    ;
  list->run = RUN_PLAIN;
  list->divisor = 500;
  g_assert_true (desk_paged_list_load_sync (DESK_PAGED_LIST (list), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  wait_freed (2);
  g_assert_cmpint (g_atomic_int_get (&n_interrupted), ==, 1);
  g_assert_null (desk_paged_list_get_error (DESK_PAGED_LIST (list)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  /* On the calling thread: cancelled before it starts, it stops at once. */
  list->run = RUN_SLOW;
  g_cancellable_cancel (cancellable);
  g_assert_false (desk_paged_list_load_sync (DESK_PAGED_LIST (list), cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_atomic_int_get (&n_interrupted), ==, 2);
}

/* At most 4 pages (of 10) are kept, the most recently read. */
static void
test_lru_bound (Fixture       *f,
                gconstpointer  data)
{
  DeskPagedList *list = DESK_PAGED_LIST (f->list);
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_paged_list_load_sync (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (list), ==, 0);

  for (guint page = 0; page < 20; page++)
    g_assert_cmpint (item_n (f->list, page * 10 + 5), ==, page * 10 + 6);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (list), ==, 200);

  /* The last four read are kept, */
  for (guint page = 16; page < 20; page++)
    for (guint i = 0; i < 10; i++)
      g_assert_cmpint (item_n (f->list, page * 10 + i), ==, page * 10 + i + 1);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (list), ==, 200);

  /* the fifth is not, */
  g_assert_cmpint (item_n (f->list, 150), ==, 151);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (list), ==, 210);

  /* and reading it pushed out the least recent of those four (16), while
   * reading 17 first made it the most recent. */
  g_assert_cmpint (item_n (f->list, 170), ==, 171);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (list), ==, 210);
  g_assert_cmpint (item_n (f->list, 160), ==, 161);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (list), ==, 220);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  TestNumbers *list = f->list;
  g_autoptr(GError) error = NULL;
  const GError *reported;

  list->divisor = 100;
  g_assert_true (desk_paged_list_load_sync (DESK_PAGED_LIST (list), NULL, &error));
  g_assert_no_error (error);

  /* A query that fails in the background: reported, the items stay. */
  list->run = RUN_FAIL;
  desk_paged_list_reload (DESK_PAGED_LIST (list));
  wait_loaded (list);
  reported = desk_paged_list_get_error (DESK_PAGED_LIST (list));
  g_assert_error ((GError *) reported, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (reported->message, "Cannot count"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);

  /* On the calling thread: returned and reported. */
  g_assert_false (desk_paged_list_load_sync (DESK_PAGED_LIST (list), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_nonnull (desk_paged_list_get_error (DESK_PAGED_LIST (list)));

  /* A query refused before it starts. */
  list->run = RUN_REFUSED;
  desk_paged_list_reload (DESK_PAGED_LIST (list));
  wait_loaded (list);
  g_assert_error ((GError *) desk_paged_list_get_error (DESK_PAGED_LIST (list)),
                  G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);

  /* A page that cannot be read is no item, and is not kept. */
  list->fail_pages = TRUE;
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 0));
  list->fail_pages = FALSE;
  g_assert_cmpint (item_n (list, 0), ==, 100);

  /* The next query that works clears the error. */
  list->run = RUN_PLAIN;
  desk_paged_list_reload (DESK_PAGED_LIST (list));
  wait_loaded (list);
  g_assert_null (desk_paged_list_get_error (DESK_PAGED_LIST (list)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
}

/* A view's pacing: a filling list grows 25 at a time to 60, then whole. */
static void
test_pacing (Fixture       *f,
             gconstpointer  data)
{
  desk_paged_list_set_pacing (DESK_PAGED_LIST (f->list), 25, 60, 1);
  desk_paged_list_reload (DESK_PAGED_LIST (f->list));
  wait_loaded (f->list);

  /* The chunk (10), then 25, 50, 75 shown, then the rest. */
  g_assert_cmpuint (f->changes->len, ==, 5);
  g_assert_cmpuint (g_array_index (f->changes, guint, 0), ==, 10);
  g_assert_cmpuint (g_array_index (f->changes, guint, 1), ==, 15);
  g_assert_cmpuint (g_array_index (f->changes, guint, 2), ==, 25);
  g_assert_cmpuint (g_array_index (f->changes, guint, 3), ==, 25);
  g_assert_cmpuint (g_array_index (f->changes, guint, 4), ==, 925);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 1000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/paged-list/chunk-then-result", test_chunk_then_result);
  ADD ("/paged-list/stale-dropped", test_stale_dropped);
  ADD ("/paged-list/cancelled", test_cancelled);
  ADD ("/paged-list/lru-bound", test_lru_bound);
  ADD ("/paged-list/errors", test_errors);
  ADD ("/paged-list/pacing", test_pacing);
#undef ADD

  return g_test_run ();
}
