/* test-record-list.c: paging, search and filters of the member and client lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "desk-client.h"
#include "desk-member.h"
#include "desk-record-list.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

typedef struct
{
  DeskTestDir *dir;
  DeskStore   *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  f->dir = desk_test_dir_new ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (path, GPOINTER_TO_UINT (data), 11);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  desk_test_dir_free (f->dir);
}

/* The expected ids, computed without the list model. */
static GArray *
expected_ids (DeskStore  *store,
              const char *sql)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  return ids;
}

static gint64
item_id (GListModel *model,
         guint       position)
{
  g_autoptr(GObject) item = g_list_model_get_item (model, position);
  gint64 id = 0;

  g_assert_nonnull (item);
  g_object_get (item, "id", &id, NULL);
  return id;
}

static void
assert_ids (GListModel *model,
            GArray     *ids)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (item_id (model, i), ==, g_array_index (ids, gint64, i));
  g_assert_null (g_list_model_get_item (model, ids->len));
}

static void
load (DeskRecordList *list)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_no_error (error);
}

static void
test_members (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DeskRecordList) active = desk_record_list_new_members (f->store,
                                                                   DESK_MEMBER_STATUS_ACTIVE);
  g_autoptr(DeskRecordList) gone = desk_record_list_new_members (f->store,
                                                                 DESK_MEMBER_STATUS_DEACTIVATED);
  g_autoptr(GArray) ids = NULL;

  load (active);
  load (gone);
  g_assert_true (desk_record_list_get_record_type (active) == DESK_TYPE_MEMBER);

  ids = expected_ids (f->store, "SELECT id FROM members WHERE status = 'active'"
                                " ORDER BY sort_key, id");
  assert_ids (G_LIST_MODEL (active), ids);
  g_clear_pointer (&ids, g_array_unref);
  ids = expected_ids (f->store, "SELECT id FROM members WHERE status = 'deactivated'"
                                " ORDER BY sort_key, id");
  g_assert_cmpuint (ids->len, >, 0);
  assert_ids (G_LIST_MODEL (gone), ids);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (gone)); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (G_LIST_MODEL (gone), i);

      g_assert_false (desk_member_get_is_active (member));
      g_assert_cmpint (desk_member_get_deactivated_at (member), >, 0);
      g_assert_cmpstr (desk_member_get_deactivation_reason (member), !=, "");
      /* The demo administrator deactivated them. */
      g_assert_cmpstr (desk_member_get_deactivated_by_name (member), ==, "Morgan Tremblay");
    }

  /* Search by username, case and accents aside. */
  desk_record_list_set_search (active, "ADMIN");
  load (active);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), ==, 1);
  {
    g_autoptr(DeskMember) admin = g_list_model_get_item (G_LIST_MODEL (active), 0);

    g_assert_cmpstr (desk_member_get_username (admin), ==, DESK_DEMO_USERNAME);
  }
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  g_autoptr(GArray) ids = expected_ids (f->store, "SELECT id FROM clients ORDER BY sort_key, id");
  GListModel *model = G_LIST_MODEL (list);
  guint n = ids->len;
  guint boundaries[] = { 0, 63, 64, 65, 127, 128, n - 65, n - 64, n - 1 };
  guint fetched;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  load (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpuint (desk_record_list_get_rows_fetched (list), ==, 0);

  /* Items on both sides of page boundaries, read out of order. */
  for (guint i = G_N_ELEMENTS (boundaries); i > 0; i--)
    g_assert_cmpint (item_id (model, boundaries[i - 1]), ==,
                     g_array_index (ids, gint64, boundaries[i - 1]));
  g_assert_null (g_list_model_get_item (model, n));
  g_assert_null (g_list_model_get_item (model, G_MAXUINT));

  /* A whole pass reads each row once; a second pass reads them again only
   * because a bounded cache let them go. */
  assert_ids (model, ids);
  fetched = desk_record_list_get_rows_fetched (list);
  g_assert_cmpuint (fetched, >=, n);
  assert_ids (model, ids);
  g_assert_cmpuint (desk_record_list_get_rows_fetched (list), ==, fetched + n);

  /* Reading one page again right away needs no query. */
  fetched = desk_record_list_get_rows_fetched (list);
  (void) item_id (model, n - 1);
  (void) item_id (model, n - 2);
  g_assert_cmpuint (desk_record_list_get_rows_fetched (list), ==, fetched);
}

/* The clients @search finds, by reading every client's search text. */
static GArray *
brute_force (DeskStore  *store,
             const char *search)
{
  g_autofree char *folded = _desk_fold_for_search (search);
  g_auto(GStrv) words = g_strsplit (folded, " ", -1);
  g_autoptr(GArray) all = expected_ids (store, "SELECT id FROM clients ORDER BY sort_key, id");
  GArray *want = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(DeskClient) client =
        desk_client_load (store, g_array_index (all, gint64, i), NULL);
      g_autofree char *text = _desk_client_search_text (desk_client_get_given_name (client),
                                                        desk_client_get_family_name (client),
                                                        desk_client_get_email (client),
                                                        desk_client_get_phone (client));
      gboolean match = TRUE;

      for (guint w = 0; words[w] != NULL; w++)
        if (*words[w] != '\0' && strstr (text, words[w]) == NULL)
          match = FALSE;
      if (match)
        g_array_append_val (want, g_array_index (all, gint64, i));
    }

  return want;
}

/* Each search against a brute-force reading of every client. */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  const char *searches[] = {
    "a", "e", "ma", "tr", "tre", "gagnon", "GAGNON", "cote", "Côté", "mull", "o'b", "van der",
    "olivia smith", "smith olivia", "555-01", "zzzq", "qx", "  lee  ", "%", "_", "\"", "é",
    "st", "pa", "ke", "hu", "oh", "y", "ng", "n ", "e t", "ol smith", "a o", "5-", "(4", "\"a",
  };

  /* Twice: with no client order known (SQL sorts), and with the order the
   * full list leaves behind (the trigram index's hits ranked in memory,
   * two-letter words through trigrams). */
  for (guint pass = 0; pass < 2; pass++)
  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autoptr(GArray) want = NULL;

      if (pass == 0)
        _desk_store_set_client_order (f->store, NULL);
      else if (s == 0)
        {
          desk_record_list_set_search (list, "");
          load (list);
        }
      want = brute_force (f->store, searches[s]);

      desk_record_list_set_search (list, searches[s]);
      load (list);
      g_test_message ("search “%s”: %u clients", searches[s], want->len);
      assert_ids (G_LIST_MODEL (list), want);
    }
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  struct {
    DeskClientStatusFilter status;
    DeskPortalFilter portal;
    const char *search;
    const char *sql;
  } cases[] = {
    { DESK_CLIENT_STATUS_FILTER_INACTIVE, DESK_PORTAL_FILTER_ANY, "",
      "SELECT id FROM clients WHERE status = 'inactive' ORDER BY sort_key, id" },
    { DESK_CLIENT_STATUS_FILTER_ACTIVE, DESK_PORTAL_FILTER_ANY, "",
      "SELECT id FROM clients WHERE status = 'active' ORDER BY sort_key, id" },
    { DESK_CLIENT_STATUS_FILTER_ANY, DESK_PORTAL_FILTER_DISABLED, "",
      "SELECT id FROM clients WHERE portal_access = 'disabled' ORDER BY sort_key, id" },
    { DESK_CLIENT_STATUS_FILTER_INACTIVE, DESK_PORTAL_FILTER_ENABLED, "",
      "SELECT id FROM clients WHERE status = 'inactive' AND portal_access = 'enabled'"
      " ORDER BY sort_key, id" },
    { DESK_CLIENT_STATUS_FILTER_ACTIVE, DESK_PORTAL_FILTER_DISABLED, "mar",
      "SELECT id FROM clients WHERE status = 'active' AND portal_access = 'disabled'"
      " AND instr (search_text, 'mar') ORDER BY sort_key, id" },
    { DESK_CLIENT_STATUS_FILTER_INACTIVE, DESK_PORTAL_FILTER_ANY, "an",
      "SELECT id FROM clients WHERE status = 'inactive' AND instr (search_text, 'an')"
      " ORDER BY sort_key, id" },
  };

  /* With the client order known: hits ranked in memory, filters checked in
   * SQL batch by batch. */
  load (list);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) want = expected_ids (f->store, cases[i].sql);

      desk_record_list_set_status_filter (list, cases[i].status);
      desk_record_list_set_portal_filter (list, cases[i].portal);
      desk_record_list_set_search (list, cases[i].search);
      load (list);
      g_assert_cmpuint (want->len, >, 0);
      assert_ids (G_LIST_MODEL (list), want);

      /* Inactive does not mean portal disabled: the filters are independent. */
      for (guint p = 0; p < MIN (want->len, 70); p++)
        {
          g_autoptr(DeskClient) client = g_list_model_get_item (G_LIST_MODEL (list), p);

          if (cases[i].status == DESK_CLIENT_STATUS_FILTER_INACTIVE)
            g_assert_false (desk_client_get_is_active (client));
          if (cases[i].portal == DESK_PORTAL_FILTER_ENABLED)
            g_assert_true (desk_client_get_portal_enabled (client));
        }
    }
}

typedef struct
{
  guint changes;
  guint first_added;
  guint last_removed;
  guint last_added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  if (changes->changes++ == 0)
    changes->first_added = added;
  changes->last_removed = removed;
  changes->last_added = added;
}

static void
wait_loaded (DeskRecordList *list)
{
  while (desk_record_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  g_autoptr(GArray) all = expected_ids (f->store, "SELECT id FROM clients ORDER BY sort_key, id");
  g_autoptr(GArray) some = expected_ids (f->store, "SELECT id FROM clients"
                                                   " WHERE instr (search_text, 'gagnon')"
                                                   " ORDER BY sort_key, id");
  Changes changes = { 0 };
  guint n_items = 0;

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);

  desk_record_list_reload (list);
  g_assert_true (desk_record_list_get_loading (list));
  wait_loaded (list);
  g_assert_null (desk_record_list_get_error (list));
  /* An empty list gets one screen first, the rest after it is drawn. */
  g_assert_cmpuint (changes.changes, >=, 2);
  g_assert_cmpuint (changes.first_added, >, 0);
  g_assert_cmpuint (changes.first_added, <=, 64);
  g_object_get (list, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, all->len);
  assert_ids (G_LIST_MODEL (list), all);

  /* Typing fast: only the last search counts. */
  desk_record_list_set_search (list, "g");
  desk_record_list_set_search (list, "ga");
  desk_record_list_set_search (list, "gagnon");
  wait_loaded (list);
  assert_ids (G_LIST_MODEL (list), some);
  g_assert_cmpstr (desk_record_list_get_search (list), ==, "gagnon");
}

static gint64
add_client (DeskStore  *store,
            const char *given,
            const char *family,
            gboolean    active)
{
  sqlite3 *db = _desk_store_get_db (store);
  g_autofree char *search = _desk_client_search_text (given, family, "", "");
  g_autofree char *sort = _desk_sort_key (given, family);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO clients (given_name, family_name,"
                                       " date_of_birth, primary_practitioner_id, created_at,"
                                       " search_text, sort_key, status, discharged_at)"
                                       " VALUES (?1, ?2, '1980-01-01', 2, 0, ?3, ?4, ?5, ?6)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, given, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, family, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, search, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, sort, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, active ? "active" : "inactive", -1, SQLITE_STATIC);
  if (active)
    sqlite3_bind_null (stmt, 6);
  else
    sqlite3_bind_int64 (stmt, 6, 1);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return sqlite3_last_insert_rowid (db);
}

typedef struct
{
  DeskRecordList *list;
  GArray         *first;   /* the rows shown while the search was still running */
} FirstScreen;

static void
on_first_screen (GListModel  *model,
                 guint        position,
                 guint        removed,
                 guint        added,
                 FirstScreen *screen)
{
  guint n = g_list_model_get_n_items (model);

  if (screen->first != NULL || !desk_record_list_get_loading (screen->list))
    return;
  screen->first = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      gint64 id = item_id (model, i);

      g_array_append_val (screen->first, id);
    }
}

/* The first screen a search shows before it is done is exactly the start
 * of its whole result (the brute force gives the order): for names sharing
 * a bucket, names beyond Latin-1, and with a filter checked in SQL. */
static void
test_first_screen (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  const char *searches[] = {
    "qwxy", "qwx", "xy", "qwx ana", "ma", "st", "pa", "ke", "an", "tre", "mar", "gagnon", "555",
    "e t", "ωz", "яa", "a",
  };
  FirstScreen screen = { list, NULL };
  guint early = 0;
  gint64 moved = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *search = NULL;
  g_autofree char *sort = NULL;

  /* 20 each, in this name order: "Ma", "Mar", then "Ωz" before "Яa". */
  for (guint i = 0; i < 20; i++)
    {
      add_client (f->store, "Qwxy", "Ma", TRUE);
      moved = add_client (f->store, "Qwxy", "Ωz", i % 3 != 0);
      add_client (f->store, "Qwxy", "Яa", i % 2 == 0);
      add_client (f->store, i % 2 ? "Qwxz Ana" : "Ana Qwxz", "Mar", TRUE);
    }

  desk_record_list_set_search (list, "");
  load (list);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_first_screen), &screen);

  for (guint round = 0; round < 3; round++)
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) want = brute_force (f->store, searches[i]);
      g_autoptr(GArray) filtered = NULL;

      /* The second round with a filter: checked in SQL as the hits come. */
      desk_record_list_set_status_filter (list, round == 1 ? DESK_CLIENT_STATUS_FILTER_ACTIVE
                                                           : DESK_CLIENT_STATUS_FILTER_ANY);
      if (round == 1)
        {
          filtered = g_array_new (FALSE, FALSE, sizeof (gint64));
          for (guint k = 0; k < want->len; k++)
            {
              gint64 id = g_array_index (want, gint64, k);
              g_autoptr(DeskClient) client = desk_client_load (f->store, id, NULL);

              if (desk_client_get_is_active (client))
                g_array_append_val (filtered, id);
            }
          g_array_unref (want);
          want = g_steal_pointer (&filtered);
        }

      g_clear_pointer (&screen.first, g_array_unref);
      desk_record_list_set_search (list, searches[i]);
      wait_loaded (list);
      assert_ids (G_LIST_MODEL (list), want);

      if (screen.first != NULL)
        {
          g_test_message ("“%s”: %u of %u shown early", searches[i], screen.first->len,
                          want->len);
          g_assert_cmpuint (screen.first->len, >, 0);
          g_assert_cmpuint (screen.first->len, <=, want->len);
          for (guint k = 0; k < screen.first->len; k++)
            g_assert_cmpint (g_array_index (screen.first, gint64, k), ==,
                             g_array_index (want, gint64, k));
          early++;
          /* Found in the "Ma" and "Mar" buckets before the rest was read. */
          if (g_str_equal (searches[i], "qwx"))
            g_assert_cmpuint (screen.first->len, ==, 32);
        }
      desk_record_list_set_search (list, "");
      wait_loaded (list);

      /* The third round after a change of name, which moves a client from
       * one bucket to another: the index follows the row. */
      if (round == 1 && i + 1 == G_N_ELEMENTS (searches))
        {
          search = _desk_client_search_text ("Qwxy", "Aa", "", "");
          sort = _desk_sort_key ("Qwxy", "Aa");
          sql = g_strdup_printf ("UPDATE clients SET family_name = 'Aa', search_text = '%s',"
                                 " sort_key = '%s' WHERE id = %" G_GINT64_FORMAT,
                                 search, sort, moved);
          g_assert_true (_desk_db_exec (_desk_store_get_db (f->store), sql, &error));
          g_assert_no_error (error);
          desk_record_list_set_status_filter (list, DESK_CLIENT_STATUS_FILTER_ANY);
          load (list);
        }
    }
  g_clear_pointer (&screen.first, g_array_unref);

  /* Most of these searches have more than a screen of matches. */
  g_assert_cmpuint (early, >=, 20);

  /* The renamed client left its old name behind. */
  desk_record_list_set_search (list, "ωz");
  load (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 19);
  desk_record_list_set_search (list, "qwxy");
  load (list);
  g_assert_cmpint (item_id (G_LIST_MODEL (list), 0), ==, moved);
}


/* Every client is in the index exactly once, under the key its name and the
 * buckets give it now. */
static void
assert_index_consistent (DeskStore *store)
{
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM client_search"), ==,
                   desk_test_count (store, "SELECT count (*) FROM clients"));
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM clients c WHERE NOT EXISTS"
                                      " (SELECT 1 FROM client_search s"
                                      "  WHERE s.rowid = " DESK_CLIENT_SEARCH_KEY ("c.") ")"),
                   ==, 0);
}

/* Bucket sizes: the largest, and the largest of more than one name. */
static void
bucket_sizes (DeskStore *store,
              gint64    *largest,
              gint64    *largest_mixed)
{
  *largest = desk_test_count (store, "SELECT max (n) FROM (SELECT count (*) AS n FROM clients"
                                " GROUP BY " DESK_CLIENT_SEARCH_KEY ("") " >> 39)");
  *largest_mixed = desk_test_count (store, "SELECT coalesce (max (n), 0) FROM ("
                                      " SELECT count (*) AS n, count (DISTINCT sort_key) AS k"
                                      " FROM clients GROUP BY "
                                      DESK_CLIENT_SEARCH_KEY ("") " >> 39) WHERE k > 1");
}


static gboolean
balance_full (DeskStore     *store,
              GCancellable  *cancellable,
              guint         *n_split,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_store_balance_search_async (store, cancellable, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return desk_store_balance_search_finish (store, result, n_split, error);
}

static gboolean
balance (DeskStore  *store,
         guint      *n_split,
         GError    **error)
{
  return balance_full (store, NULL, n_split, error);
}

/* A clinic that grows: the buckets it outgrows are split, only the index
 * changes, and searches find the same clients in the same order. */
static void
test_buckets (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  const char *searches[] = { "bucketson", "given01", "same", "same n", "ana", "et", "0 buck" };
  g_autoptr(GError) error = NULL;
  sqlite3 *writer = NULL;
  gint64 largest, mixed, buckets, audit;
  guint n_split = 0;

  /* As built: at least 64 a bucket, and none much bigger. */
  assert_index_consistent (f->store);
  bucket_sizes (f->store, &largest, &mixed);
  g_assert_cmpint (mixed, <=, 200);
  buckets = desk_test_count (f->store, "SELECT count (*) FROM client_search_buckets");
  g_assert_cmpint (buckets, >=, 1500 / 200);
  g_assert_cmpint (buckets, <=, 1500 / 64 + 2);      /* the slices, and '' before them */

  /* 3,000 of one family name (distinct given names) and 1,500 of one name. */
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *given = g_strdup_printf ("Given%04u", (i * 7919) % 3000);

      add_client (f->store, given, "Bucketson", TRUE);
      if (i % 2 == 0)
        add_client (f->store, "Same", "Name", i % 4 == 0);
    }
  assert_index_consistent (f->store);
  bucket_sizes (f->store, &largest, &mixed);
  g_assert_cmpint (mixed, >, 3000);
  audit = desk_test_count (f->store, "SELECT count (*) FROM audit_log");

  /* Another program holds the write lock: refused, nothing changed. */
  g_assert_cmpint (sqlite3_open (desk_store_get_path (f->store), &writer), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, "BEGIN IMMEDIATE;"
                                         " UPDATE clinic SET name = name WHERE id = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (balance (f->store, &n_split, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  sqlite3_exec (writer, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (writer);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM client_search_buckets"), ==,
                   buckets);
  assert_index_consistent (f->store);

  /* Cancelled (the window closed): nothing changed either. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (balance_full (f->store, cancellable, &n_split, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM client_search_buckets"), ==,
                     buckets);
  }

  /* Split until no bucket of more than one name holds more than 1,024. */
  g_assert_true (balance (f->store, &n_split, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_split, >=, 3);
  assert_index_consistent (f->store);
  bucket_sizes (f->store, &largest, &mixed);
  g_assert_cmpint (mixed, <=, 1024);
  g_assert_cmpint (largest, >=, 1500);     /* "Name Same" cannot be cut */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM client_search_buckets"), ==,
                   buckets + n_split);
  /* Index upkeep, not a change to anyone's record. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM audit_log"), ==, audit);

  /* Nothing left to do. */
  g_assert_true (balance (f->store, &n_split, &error));
  g_assert_cmpuint (n_split, ==, 0);

  /* The same clients, in the same order. */
  desk_record_list_set_search (list, "");
  load (list);
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) want = brute_force (f->store, searches[i]);

      desk_record_list_set_search (list, searches[i]);
      wait_loaded (list);
      g_assert_cmpuint (want->len, >, 0);
      assert_ids (G_LIST_MODEL (list), want);
    }
}

/* A bucket a bulk import made huge is cut from the top, a bounded slice a
 * transaction, so that the clinic's other writers never wait long. */
static void
test_buckets_bounded (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) want = NULL;
  gint64 before;
  guint n_split = 0;

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *given = g_strdup_printf ("Given%04u", (i * 7919) % 3000);

      add_client (f->store, given, "Bucketson", TRUE);
    }
  before = desk_test_count (f->store, "SELECT count (*) FROM client_search_buckets");

  g_assert_true (_desk_client_search_balance (_desk_store_get_db (f->store), 1024, 200, NULL,
                                              &n_split, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_split, >=, 8);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM client_search_buckets"), ==,
                   before + n_split);
  assert_index_consistent (f->store);

  /* Each bucket a split made (numbered between the built ones) got at most
   * 200 clients. */
  g_assert_cmpint (desk_test_count (f->store,
                                    "SELECT coalesce (max (n), 0) FROM ("
                                    " SELECT count (*) AS n FROM clients"
                                    " GROUP BY " DESK_CLIENT_SEARCH_KEY ("") " >> 39"
                                    " HAVING (" DESK_CLIENT_SEARCH_KEY ("") " >> 39) %% 256 <> 0)"),
                   <=, 200);

  desk_record_list_set_search (list, "");
  load (list);
  want = brute_force (f->store, "bucketson");
  desk_record_list_set_search (list, "bucketson");
  wait_loaded (list);
  assert_ids (G_LIST_MODEL (list), want);
}

static void
test_after_change (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  g_autoptr(DeskRecordList) inactive = desk_record_list_new_clients (f->store);
  g_autofree char *search = _desk_client_search_text ("Aaron", "Aardvark", "aa@example.com", "");
  g_autofree char *sort = _desk_sort_key ("Aaron", "Aardvark");
  g_autoptr(GArray) want = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };
  guint before;

  load (list);
  desk_record_list_set_status_filter (inactive, DESK_CLIENT_STATUS_FILTER_INACTIVE);
  load (inactive);
  before = g_list_model_get_n_items (G_LIST_MODEL (inactive));
  /* Pages in the cache that the change will make stale. */
  (void) item_id (G_LIST_MODEL (list), 0);
  (void) item_id (G_LIST_MODEL (list), 100);

  sql = g_strdup_printf ("INSERT INTO clients (given_name, family_name, date_of_birth, email,"
                         " primary_practitioner_id, created_at, search_text, sort_key)"
                         " VALUES ('Aaron', 'Aardvark', '1980-01-01', 'aa@example.com', 2, 0,"
                         " '%s', '%s');"
                         "UPDATE clients SET status = 'inactive', discharged_at = 1,"
                         " discharge_reason = 'Moved away' WHERE id = 5 AND status = 'active';",
                         search, sort);
  g_assert_true (_desk_db_exec (_desk_store_get_db (f->store), sql, &error));
  g_assert_no_error (error);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  desk_record_list_reload (list);
  wait_loaded (list);
  g_assert_cmpuint (changes.changes, >=, 1);

  /* The new client sorts first; every page read afterwards is current. */
  want = expected_ids (f->store, "SELECT id FROM clients ORDER BY sort_key, id");
  assert_ids (G_LIST_MODEL (list), want);
  {
    g_autoptr(DeskClient) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpstr (desk_client_get_display_name (first), ==, "Aaron Aardvark");
  }

  desk_record_list_reload (inactive);
  wait_loaded (inactive);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inactive)), >=, before);
  g_clear_pointer (&want, g_array_unref);
  want = expected_ids (f->store, "SELECT id FROM clients WHERE status = 'inactive'"
                                 " ORDER BY sort_key, id");
  assert_ids (G_LIST_MODEL (inactive), want);
}

/* A row added at the end: the last page, cached while it was shorter,
 * must not be served with a row missing. */
static void
test_grows_at_end (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  g_autofree char *search = _desk_client_search_text ("Zed", "Zzyzx", "zz@example.com", "");
  g_autofree char *sort = _desk_sort_key ("Zed", "Zzyzx");
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) want = NULL;
  guint n;

  load (list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n % 64, !=, 0);
  (void) item_id (G_LIST_MODEL (list), n - 1);

  sql = g_strdup_printf ("INSERT INTO clients (given_name, family_name, date_of_birth,"
                         " primary_practitioner_id, created_at, search_text, sort_key)"
                         " VALUES ('Zed', 'Zzyzx', '1980-01-01', 2, 0, '%s', '%s')",
                         search, sort);
  g_assert_true (_desk_db_exec (_desk_store_get_db (f->store), sql, &error));
  g_assert_no_error (error);

  desk_record_list_reload (list);
  wait_loaded (list);
  want = expected_ids (f->store, "SELECT id FROM clients ORDER BY sort_key, id");
  g_assert_cmpuint (want->len, ==, n + 1);
  assert_ids (G_LIST_MODEL (list), want);
}

static void
test_failure (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  g_autofree char *path = g_strdup (desk_store_get_path (f->store));
  g_autofree char *moved = g_strconcat (path, ".moved", NULL);
  g_autoptr(GError) error = NULL;

  load (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);

  /* The file vanishes under the application (a network share went away). */
  g_assert_cmpint (g_rename (path, moved), ==, 0);
  desk_record_list_set_search (list, "a");
  g_assert_false (desk_record_list_load_sync (list, NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_READ_ONLY);

  /* In the background the error is kept for the view, and the old rows stay. */
  desk_record_list_set_search (list, "b");
  wait_loaded (list);
  g_assert_nonnull (desk_record_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);

  g_assert_cmpint (g_rename (moved, path), ==, 0);
  desk_record_list_reload (list);
  wait_loaded (list);
  g_assert_null (desk_record_list_get_error (list));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, clients) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (clients), fixture_set_up, func, fixture_tear_down)

  ADD ("/list/members", test_members, 400);
  ADD ("/list/clients/paging", test_paging, 5000);
  ADD ("/list/clients/search", test_search, 1500);
  ADD ("/list/clients/first-screen", test_first_screen, 3000);
  ADD ("/list/clients/buckets", test_buckets, 1500);
  ADD ("/list/clients/buckets/bounded", test_buckets_bounded, 1500);
  ADD ("/list/clients/filters", test_filters, 1500);
  ADD ("/list/clients/async", test_async, 1500);
  ADD ("/list/clients/after-change", test_after_change, 600);
  ADD ("/list/clients/grows-at-end", test_grows_at_end, 300);
  ADD ("/list/clients/failure", test_failure, 300);

  return g_test_run ();
}
