/* test-inbox-list.c: the signed-in member's inbox, paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Messages are put in the demo clinic with SQL, as an integration or the
 * demo generator writes them; the list is read through its public API.
 */
#include "config.h"

#include "desk-inbox-list.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-test-util.h"

#define DAY 86400

typedef struct
{
  DeskTestClinic  clinic;
  DeskSession    *session;
  gint64          me;             /* the signed-in member */
  gint64          colleague;      /* another active member */
  gint64          departed;       /* a deactivated member */
  gint64          departed_at;
  gint64          client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DeskStore *store;

  desk_test_clinic_set_up (&fixture->clinic, data);
  store = fixture->clinic.store;
  fixture->session = desk_session_sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  fixture->me = desk_member_get_id (desk_session_get_member (fixture->session));
  fixture->colleague = desk_test_count (store, "SELECT min (id) FROM members"
                                               " WHERE status = 'active' AND id != %" G_GINT64_FORMAT,
                                        fixture->me);
  fixture->departed = desk_test_count (store, "SELECT min (id) FROM members"
                                              " WHERE status = 'deactivated'");
  g_assert_cmpint (fixture->departed, >, 0);
  fixture->departed_at = desk_test_count (store, "SELECT deactivated_at FROM members"
                                                 " WHERE id = %" G_GINT64_FORMAT, fixture->departed);
  fixture->client = desk_test_count (store, "SELECT min (id) FROM clients");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  desk_test_clinic_tear_down (&fixture->clinic, data);
}

typedef struct
{
  gint64      to;
  gint64      sender_member;     /* or 0 */
  gint64      sender_client;     /* or 0 */
  const char *subject;
  gint64      received_at;
  const char *folder;            /* NULL: inbox */
  gint64      snoozed_until;
  gint64      forwarded_from;
} NewItem;

/* A message and the inbox item that delivers it; returns the item's id. */
static gint64
add_item (DeskStore     *store,
          const NewItem *item)
{
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO messages (sender_member_id, sender_client_id, client_id,"
                         " subject, body, sent_at) VALUES (nullif (%" G_GINT64_FORMAT ", 0),"
                         " nullif (%" G_GINT64_FORMAT ", 0), NULL, '%s', 'Body', %" G_GINT64_FORMAT ");"
                         "INSERT INTO inbox_items (message_id, member_id, received_at, folder,"
                         " snoozed_until, forwarded_from_member_id, forwarded_at)"
                         " VALUES (last_insert_rowid (), %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ","
                         " '%s', nullif (%" G_GINT64_FORMAT ", 0), nullif (%" G_GINT64_FORMAT ", 0),"
                         " CASE WHEN %" G_GINT64_FORMAT " > 0 THEN %" G_GINT64_FORMAT " END);",
                         item->sender_member, item->sender_client, item->subject,
                         item->received_at, item->to, item->received_at,
                         item->folder != NULL ? item->folder : "inbox", item->snoozed_until,
                         item->forwarded_from, item->forwarded_from, item->received_at);
  desk_test_exec (store, sql);
  return sqlite3_last_insert_rowid (_desk_store_get_db (store));
}

static char *
member_name (DeskStore *store,
             gint64     id)
{
  sqlite3_stmt *stmt = NULL;
  char *name;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                                       "SELECT given_name || ' ' || family_name FROM members"
                                       " WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return name;
}

static DeskInboxList *
load_list (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskInboxList) list = desk_inbox_list_new (fixture->session, &error);

  g_assert_no_error (error);
  g_assert_true (desk_paged_list_load_sync (DESK_PAGED_LIST (list), NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&list);
}

/* The item of @list with id @id, or NULL. */
static DeskInboxItem *
find_item (DeskInboxList *list,
           gint64         id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeskInboxItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (desk_inbox_item_get_id (item) == id)
        return g_steal_pointer (&item);
    }
  return NULL;
}

/* The ids the list shows, in order, are exactly the member's inbox items,
 * newest first, ties by item number; read a page at a time. */
static void
test_order_and_paging (Fixture       *fixture,
                       gconstpointer  data)
{
  DeskStore *store = fixture->clinic.store;
  g_autoptr(DeskInboxList) list = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  guint n, before;

  /* 300 messages, three at each of 100 moments, out of order. */
  for (guint i = 0; i < 300; i++)
    {
      NewItem item = { fixture->me, fixture->colleague, 0, "Paged",
                       DESK_TEST_NOW - (gint64) ((i * 37) % 100) * 3600 };

      add_item (store, &item);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                                       "SELECT id FROM inbox_items WHERE member_id = ?"
                                       " AND folder = 'inbox' ORDER BY received_at DESC, id DESC",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, fixture->me);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (expected, id);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (expected->len, >=, 300);

  list = load_list (fixture);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, expected->len);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (DESK_PAGED_LIST (list)), ==, 0);

  /* The last item costs one page, not the inbox. */
  {
    g_autoptr(DeskInboxItem) last = g_list_model_get_item (G_LIST_MODEL (list), n - 1);

    g_assert_cmpint (desk_inbox_item_get_id (last), ==, g_array_index (expected, gint64, n - 1));
    g_assert_cmpuint (desk_paged_list_get_rows_fetched (DESK_PAGED_LIST (list)), <=, 64);
  }

  before = desk_paged_list_get_rows_fetched (DESK_PAGED_LIST (list));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeskInboxItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_cmpint (desk_inbox_item_get_id (item), ==, g_array_index (expected, gint64, i));
    }
  /* Each row read once more at most: pages, not a query per item. */
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (DESK_PAGED_LIST (list)) - before, <=, n);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));
}

/* Another member's items, and the member's own items in other folders
 * (done, or held with a deactivated member), are never in the list. */
static void
test_only_own_inbox (Fixture       *fixture,
                     gconstpointer  data)
{
  DeskStore *store = fixture->clinic.store;
  g_autoptr(DeskInboxList) list = NULL;
  NewItem other = { fixture->colleague, fixture->colleague, 0, "Not yours", DESK_TEST_NOW + 10 };
  NewItem done = { fixture->me, fixture->colleague, 0, "Done", DESK_TEST_NOW + 9, "done" };
  NewItem held = { fixture->me, fixture->colleague, 0, "Held", DESK_TEST_NOW + 8, "held" };
  NewItem mine = { fixture->me, fixture->colleague, 0, "Mine", DESK_TEST_NOW + 7 };
  gint64 other_id = add_item (store, &other);
  gint64 done_id = add_item (store, &done);
  gint64 held_id = add_item (store, &held);
  gint64 mine_id = add_item (store, &mine);
  guint n;

  list = load_list (fixture);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpint (n, ==, desk_test_count (store, "SELECT count (*) FROM inbox_items"
                                                  " WHERE member_id = %" G_GINT64_FORMAT
                                                  " AND folder = 'inbox'", fixture->me));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeskInboxItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);
      gint64 id = desk_inbox_item_get_id (item);

      g_assert_cmpint (id, !=, other_id);
      g_assert_cmpint (id, !=, done_id);
      g_assert_cmpint (id, !=, held_id);
      g_assert_cmpint (desk_test_count (store, "SELECT member_id FROM inbox_items WHERE id = %"
                                               G_GINT64_FORMAT, id), ==, fixture->me);
    }
  {
    g_autoptr(DeskInboxItem) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpint (desk_inbox_item_get_id (first), ==, mine_id);
    g_assert_cmpstr (desk_inbox_item_get_subject (first), ==, "Mine");
  }
}

/* A deactivated sender is flagged ("User deactivated"); an active one and
 * a client are not. */
static void
test_sender_deactivated (Fixture       *fixture,
                         gconstpointer  data)
{
  DeskStore *store = fixture->clinic.store;
  g_autoptr(DeskInboxList) list = NULL;
  g_autoptr(DeskInboxItem) from_departed = NULL;
  g_autoptr(DeskInboxItem) from_colleague = NULL;
  g_autoptr(DeskInboxItem) from_client = NULL;
  NewItem a = { fixture->me, fixture->departed, 0, "From departed", DESK_TEST_NOW - 1 };
  NewItem b = { fixture->me, fixture->colleague, 0, "From colleague", DESK_TEST_NOW - 2 };
  NewItem c = { fixture->me, 0, fixture->client, "From client", DESK_TEST_NOW - 3 };
  gint64 a_id = add_item (store, &a);
  gint64 b_id = add_item (store, &b);
  gint64 c_id = add_item (store, &c);
  g_autofree char *departed_name = NULL;

  list = load_list (fixture);
  from_departed = find_item (list, a_id);
  from_colleague = find_item (list, b_id);
  from_client = find_item (list, c_id);
  g_assert_nonnull (from_departed);
  g_assert_nonnull (from_colleague);
  g_assert_nonnull (from_client);

  g_assert_true (desk_inbox_item_get_sender_deactivated (from_departed));
  g_assert_false (desk_inbox_item_get_sender_is_client (from_departed));
  g_assert_false (desk_inbox_item_get_sender_deactivated (from_colleague));
  g_assert_false (desk_inbox_item_get_sender_deactivated (from_client));
  g_assert_true (desk_inbox_item_get_sender_is_client (from_client));
  g_assert_cmpstr (desk_inbox_item_get_sender_name (from_client), !=, "");
  g_assert_cmpstr (desk_inbox_item_get_subject (from_departed), ==, "From departed");

  /* The name is the member's as the record has it now. */
  desk_test_exec (store, "UPDATE members SET given_name = 'Renée', family_name = 'Gagnon'"
                         " WHERE status = 'deactivated' AND id = (SELECT min (id) FROM members"
                         " WHERE status = 'deactivated')");
  g_clear_object (&list);
  list = load_list (fixture);
  g_clear_object (&from_departed);
  from_departed = find_item (list, a_id);
  departed_name = g_strdup (desk_inbox_item_get_sender_name (from_departed));
  g_assert_cmpstr (departed_name, ==, "Renée Gagnon");
}

/* Items a deactivation moved say where they came from and when that
 * member was deactivated (the deactivation's own record); a plain forward
 * has no deactivation; a message that reached the member in a deactivated
 * colleague's place says whom it was addressed to. */
static void
test_provenance (Fixture       *fixture,
                 gconstpointer  data)
{
  DeskStore *store = fixture->clinic.store;
  g_autoptr(DeskInboxList) list = NULL;
  g_autoptr(DeskInboxItem) moved = NULL;
  g_autoptr(DeskInboxItem) forwarded = NULL;
  g_autoptr(DeskInboxItem) direct = NULL;
  g_autoptr(DeskInboxItem) addressed = NULL;
  NewItem a = { fixture->me, 0, fixture->client, "Moved", DESK_TEST_NOW - 1, NULL, 0,
                fixture->departed };
  NewItem b = { fixture->me, 0, fixture->client, "Forwarded", DESK_TEST_NOW - 2, NULL, 0,
                fixture->departed };
  NewItem c = { fixture->me, 0, fixture->client, "Direct", DESK_TEST_NOW - 3 };
  NewItem d = { fixture->me, 0, fixture->client, "Addressed", DESK_TEST_NOW - 4 };
  gint64 a_id = add_item (store, &a);
  gint64 b_id = add_item (store, &b);
  gint64 c_id = add_item (store, &c);
  gint64 d_id = add_item (store, &d);
  gint64 change_id, change_at = DESK_TEST_NOW - 30 * DAY;
  g_autofree char *departed_name = NULL;
  g_autofree char *sql = NULL;

  /* The deactivation, as its own record, at another time than the
   * member's deactivated_at: the item shows the record's. */
  sql = g_strdup_printf ("INSERT INTO member_status_changes (member_id, change, at, by_member_id,"
                         " reason, inbox_to_member_id) VALUES (%" G_GINT64_FORMAT ", 'deactivated',"
                         " %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'Left', %" G_GINT64_FORMAT ");",
                         fixture->departed, change_at, fixture->me, fixture->me);
  desk_test_exec (store, sql);
  change_id = sqlite3_last_insert_rowid (_desk_store_get_db (store));
  g_free (sql);
  sql = g_strdup_printf ("UPDATE inbox_items SET deactivation_id = %" G_GINT64_FORMAT
                         " WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE inbox_items SET addressed_to_member_id = %" G_GINT64_FORMAT
                         " WHERE id = %" G_GINT64_FORMAT ";",
                         change_id, a_id, fixture->departed, d_id);
  desk_test_exec (store, sql);
  departed_name = member_name (store, fixture->departed);

  list = load_list (fixture);
  moved = find_item (list, a_id);
  forwarded = find_item (list, b_id);
  direct = find_item (list, c_id);
  addressed = find_item (list, d_id);

  g_assert_cmpstr (desk_inbox_item_get_forwarded_from_name (moved), ==, departed_name);
  g_assert_cmpint (desk_inbox_item_get_deactivated_at (moved), ==, change_at);
  g_assert_cmpint (desk_inbox_item_get_forwarded_at (moved), ==, DESK_TEST_NOW - 1);
  g_assert_null (desk_inbox_item_get_addressed_to_name (moved));

  g_assert_cmpstr (desk_inbox_item_get_forwarded_from_name (forwarded), ==, departed_name);
  g_assert_cmpint (desk_inbox_item_get_deactivated_at (forwarded), ==, 0);

  g_assert_null (desk_inbox_item_get_forwarded_from_name (direct));
  g_assert_cmpint (desk_inbox_item_get_deactivated_at (direct), ==, 0);
  g_assert_null (desk_inbox_item_get_addressed_to_name (direct));

  g_assert_cmpstr (desk_inbox_item_get_addressed_to_name (addressed), ==, departed_name);
  g_assert_null (desk_inbox_item_get_forwarded_from_name (addressed));
}

/* Snoozed messages are listed, with the time they come back; a snooze
 * that has run out is not one any more. */
static void
test_snoozed (Fixture       *fixture,
              gconstpointer  data)
{
  DeskStore *store = fixture->clinic.store;
  g_autoptr(DeskInboxList) list = NULL;
  g_autoptr(DeskInboxItem) snoozed = NULL;
  g_autoptr(DeskInboxItem) woken = NULL;
  NewItem a = { fixture->me, fixture->colleague, 0, "Snoozed", DESK_TEST_NOW - 1, NULL,
                DESK_TEST_NOW + 3 * DAY };
  NewItem b = { fixture->me, fixture->colleague, 0, "Woken", DESK_TEST_NOW - 2, NULL,
                DESK_TEST_NOW - DAY };
  gint64 a_id = add_item (store, &a);
  gint64 b_id = add_item (store, &b);

  list = load_list (fixture);
  snoozed = find_item (list, a_id);
  woken = find_item (list, b_id);
  g_assert_nonnull (snoozed);
  g_assert_nonnull (woken);
  g_assert_cmpint (desk_inbox_item_get_snoozed_until (snoozed), ==, DESK_TEST_NOW + 3 * DAY);
  g_assert_cmpint (desk_inbox_item_get_snoozed_until (woken), ==, 0);
}

/* A session that ended, or whose member was deactivated meanwhile, reads
 * nothing: neither a new query nor a page not read yet. */
static void
test_session_ended (Fixture       *fixture,
                    gconstpointer  data)
{
  DeskStore *store = fixture->clinic.store;
  g_autoptr(DeskInboxList) list = NULL;
  g_autoptr(DeskInboxList) refused = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  for (guint i = 0; i < 200; i++)
    {
      NewItem item = { fixture->me, fixture->colleague, 0, "Many", DESK_TEST_NOW - i };

      add_item (store, &item);
    }
  list = load_list (fixture);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, >=, 200);

  /* Deactivated from another workstation. */
  desk_test_exec (store, "UPDATE members SET status = 'deactivated', deactivated_at = 1"
                         " WHERE username = 'admin'");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n - 1));
  g_assert_false (desk_paged_list_load_sync (DESK_PAGED_LIST (list), NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_clear_error (&error);

  desk_test_exec (store, "UPDATE members SET status = 'active', deactivated_at = NULL"
                         " WHERE username = 'admin'");
  g_assert_true (desk_paged_list_load_sync (DESK_PAGED_LIST (list), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);

  desk_session_sign_out (fixture->session);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n - 1));
  g_assert_false (desk_paged_list_load_sync (DESK_PAGED_LIST (list), NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_clear_error (&error);

  refused = desk_inbox_list_new (fixture->session, &error);
  g_assert_null (refused);
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
}

/* 100,000 messages: the list keeps a key a page and reads a page for the
 * last item. */
static void
test_large_inbox (Fixture       *fixture,
                  gconstpointer  data)
{
  DeskStore *store = fixture->clinic.store;
  g_autoptr(DeskInboxList) list = NULL;
  g_autoptr(DeskInboxItem) last = NULL;
  g_autoptr(DeskInboxItem) middle = NULL;
  g_autofree char *sql = NULL;
  gint64 total;
  guint n;

  sql = g_strdup_printf ("WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                         " WHERE i < 100000)"
                         " INSERT INTO messages (sender_member_id, subject, body, sent_at)"
                         " SELECT %" G_GINT64_FORMAT ", 'Bulk ' || i, '', %" G_GINT64_FORMAT
                         " - i FROM n;"
                         "INSERT INTO inbox_items (message_id, member_id, received_at)"
                         " SELECT id, %" G_GINT64_FORMAT ", sent_at FROM messages"
                         " WHERE subject LIKE 'Bulk %%';",
                         fixture->colleague, DESK_TEST_NOW, fixture->me);
  desk_test_exec (store, sql);
  total = desk_test_count (store, "SELECT count (*) FROM inbox_items WHERE member_id = %"
                                  G_GINT64_FORMAT " AND folder = 'inbox'", fixture->me);
  g_assert_cmpint (total, >=, 100000);

  list = load_list (fixture);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpint (n, ==, total);
  last = g_list_model_get_item (G_LIST_MODEL (list), n - 1);
  g_assert_nonnull (last);
  middle = g_list_model_get_item (G_LIST_MODEL (list), 50000);
  g_assert_nonnull (middle);
  g_assert_cmpuint (desk_paged_list_get_rows_fetched (DESK_PAGED_LIST (list)), <=, 2 * 64);
  g_assert_cmpint (desk_inbox_item_get_received_at (middle), >=,
                   desk_inbox_item_get_received_at (last));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/inbox-list/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("order-and-paging", test_order_and_paging);
  ADD ("only-own-inbox", test_only_own_inbox);
  ADD ("sender-deactivated", test_sender_deactivated);
  ADD ("provenance", test_provenance);
  ADD ("snoozed", test_snoozed);
  ADD ("session-ended", test_session_ended);
  ADD ("large-inbox", test_large_inbox);
#undef ADD

  return g_test_run ();
}
