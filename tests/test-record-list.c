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
#include "desk-record-list-private.h"
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

  /* Three times: with no client order known (SQL sorts); with the order the
   * full list leaves behind and a budget so small that every search the
   * trigram index can answer goes there (hits ranked in memory, two-letter
   * words through trigrams); and with the usual budget. */
  for (guint pass = 0; pass < 3; pass++)
  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autofree char *folded = NULL;
      g_auto(GStrv) words = NULL;
      g_autoptr(GArray) all = NULL;
      g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (pass == 0)
        _desk_store_set_client_order (f->store, NULL);
      else if (s == 0)
        {
          desk_record_list_set_search (list, "");
          load (list);
          _desk_record_list_set_scan_budget (list, pass == 1 ? 10 : 20000);
        }
      folded = _desk_fold_for_search (searches[s]);
      words = g_strsplit (folded, " ", -1);
      all = expected_ids (f->store, "SELECT id FROM clients ORDER BY sort_key, id");

      for (guint i = 0; i < all->len; i++)
        {
          g_autoptr(DeskClient) client =
            desk_store_get_client (f->store, g_array_index (all, gint64, i), NULL);
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

  /* With the client order known and a small budget: hits ranked in
   * memory, filters checked in SQL batch by batch. */
  load (list);
  _desk_record_list_set_scan_budget (list, 10);

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
  g_assert_true (_desk_store_exec (_desk_store_get_db (f->store), sql, &error));
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
  g_assert_true (_desk_store_exec (_desk_store_get_db (f->store), sql, &error));
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
  ADD ("/list/clients/filters", test_filters, 1500);
  ADD ("/list/clients/async", test_async, 1500);
  ADD ("/list/clients/after-change", test_after_change, 600);
  ADD ("/list/clients/grows-at-end", test_grows_at_end, 300);
  ADD ("/list/clients/failure", test_failure, 300);

  return g_test_run ();
}
