/* test-refresh.c: the views follow changes to the clinic record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After a change through the change path the store emits "changed" and the
 * views refresh at once; after another program's change the window notices
 * it by looking (PRAGMA data_version, every second) and they refresh the
 * same way.  A list refreshes on its worker, keeping its search and its
 * selection.
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-audit-list.h"
#include "desk-audit-window.h"
#include "desk-change.h"
#include "desk-change-private.h"
#include "desk-client.h"
#include "desk-client-detail.h"
#include "desk-record-list.h"
#include "desk-record-selection.h"
#include "desk-test-util.h"
#include "desk-test-window.h"

static gboolean have_display;

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  DeskTestDir     *dir;
  char            *path;
  DeskStore       *store;
  DeskWindow      *window;
  DeskClientsView *view;
  DeskRecordList  *list;
  gint64           client_id;
  guint            position;
  char            *family;
} Fixture;

static DeskRecordSelection *
selection (Fixture *f)
{
  return DESK_RECORD_SELECTION (gtk_list_view_get_model (desk_clients_view_get_list_view (f->view)));
}

static DeskClient *
selected_client (Fixture *f)
{
  return desk_record_selection_get_selected_item (selection (f));
}

static DeskClientDetail *
client_page (Fixture *f)
{
  return DESK_CLIENT_DETAIL (find_widget (GTK_WIDGET (f->view), DESK_TYPE_CLIENT_DETAIL));
}

static gboolean
search_done (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (desk_record_list_get_search (f->list), f->family) == 0 &&
         desk_test_list_loaded (f->list);
}

static gboolean
page_shows_selected (gpointer data)
{
  Fixture *f = data;
  DeskClientDetail *page = client_page (f);

  return page != NULL && selected_client (f) != NULL &&
         desk_client_detail_get_client (page) != NULL &&
         desk_client_get_id (desk_client_detail_get_client (page)) ==
           desk_client_get_id (selected_client (f));
}

/* A signed-in window on the clients, searching for one client's family
 * name, with that client selected and shown. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DeskClient) client = NULL;
  GListModel *rows;
  guint n;

  if (!have_display)
    return;

  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 60, 7);
  f->window = desk_test_new_window ();
  desk_window_set_store (f->window, f->store);
  desk_test_sign_in (f->window);
  f->view = desk_window_get_clients_view (f->window);
  f->list = desk_clients_view_get_list (f->view);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-clients", NULL));
  wait_until (desk_test_list_loaded, f->list, "the clients");

  client = g_list_model_get_item (G_LIST_MODEL (f->list), 5);
  /* With a search, one letter of the family name: several rows, the client
   * among them.  Without one, the whole list, whose rows a refresh must
   * read again where they are. */
  f->family = data != NULL ? g_utf8_substring (desk_client_get_family_name (client), 0, 1)
                           : g_strdup ("");
  f->client_id = desk_client_get_id (client);
  gtk_editable_set_text (desk_clients_view_get_search_entry (f->view), f->family);
  wait_until (search_done, f, "the search");

  rows = G_LIST_MODEL (f->list);
  n = g_list_model_get_n_items (rows);
  f->position = G_MAXUINT;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeskClient) item = g_list_model_get_item (rows, i);

      if (desk_client_get_id (item) == f->client_id)
        f->position = i;
    }
  g_assert_cmpuint (f->position, <, n);
  g_assert_cmpuint (n, >, 1);
  g_assert_cmpuint (f->position, >, 0);
  desk_record_selection_set_selected (selection (f), f->position);
  wait_until (page_shows_selected, f, "the client's page");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  desk_test_destroy_window (f->window);
  g_clear_object (&f->store);
  g_free (f->family);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

typedef struct
{
  Fixture    *f;
  const char *phone;
} Renamed;

/* The list's row, the selected item and the open page all show the new
 * phone number, and the search and the selection are the ones set before.
 * (A phone number leaves the order as it was: the row stays where it is,
 * so only reading it again can show the change.) */
static gboolean
renamed_everywhere (gpointer data)
{
  Renamed *renamed = data;
  Fixture *f = renamed->f;
  g_autoptr(DeskClient) row = NULL;
  DeskClientDetail *page = client_page (f);

  if (g_list_model_get_n_items (G_LIST_MODEL (f->list)) <= f->position)
    return FALSE;
  row = g_list_model_get_item (G_LIST_MODEL (f->list), f->position);
  return g_strcmp0 (desk_client_get_phone (row), renamed->phone) == 0 &&
         selected_client (f) != NULL &&
         g_strcmp0 (desk_client_get_phone (selected_client (f)), renamed->phone) == 0 &&
         desk_client_detail_get_client (page) != NULL &&
         g_strcmp0 (desk_client_get_phone (desk_client_detail_get_client (page)),
                    renamed->phone) == 0;
}

static void
assert_kept (Fixture *f)
{
  g_assert_true (desk_clients_view_get_list (f->view) == f->list);
  g_assert_cmpstr (gtk_editable_get_text (desk_clients_view_get_search_entry (f->view)), ==,
                   f->family);
  g_assert_cmpstr (desk_record_list_get_search (f->list), ==, f->family);
  g_assert_cmpuint (desk_record_selection_get_selected (selection (f)), ==, f->position);
  g_assert_cmpint (desk_client_get_id (selected_client (f)), ==, f->client_id);
}

/* Another program changes the selected client's phone number: after the
 * window's next look, the list and the open page show the new number. */
static void
test_refresh_external (Fixture       *f,
                       gconstpointer  data)
{
  Renamed renamed = { f, "555-0101" };
  g_autofree char *sql = NULL;
  sqlite3 *other = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  /* Not the change path: a person with sqlite3, on a connection of its own. */
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  sql = g_strdup_printf ("UPDATE clients SET phone = '555-0101' WHERE id = %" G_GINT64_FORMAT,
                         f->client_id);
  g_assert_cmpint (sqlite3_exec (other, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  /* The window looks every second while someone is signed in. */
  wait_until (renamed_everywhere, &renamed, "the other program's change to show");
  assert_kept (f);
}

typedef struct
{
  gint64      id;
  const char *phone;
} Rename;

static gboolean
rename_client (DeskChange  *change,
               gpointer     user_data,
               GError     **error)
{
  Rename *rename = user_data;
  sqlite3_stmt *stmt;

  stmt = _desk_change_prepare (change, "UPDATE clients SET phone = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rename->phone, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rename->id);
  if (!_desk_change_step (change, stmt, "changing a phone number", error))
    return FALSE;
  return desk_change_audit (change, "client.edit", DESK_RECORD_CLIENT, rename->id, NULL,
                            "{\"field\":\"phone\"}", error);
}

static gboolean
poll_finds_nothing (DeskStore *store)
{
  return !desk_store_poll_external_changes (store);
}

/* A change through the change path: the views refresh from "changed",
 * without waiting for the window to look. */
static void
test_refresh_change_path (Fixture       *f,
                          gconstpointer  data)
{
  Renamed renamed = { f, "555-0102" };
  Rename rename = { 0, "555-0102" };
  g_autoptr(GError) error = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  rename.id = f->client_id;
  g_assert_true (desk_change_run (desk_window_get_session (f->window),
                                  DESK_PERMISSION_MANAGE_CLIENTS, 0, rename_client, &rename,
                                  &error));
  g_assert_no_error (error);

  /* Our own connection wrote: looking finds nothing, so what follows came
   * from "changed" alone. */
  g_assert_true (poll_finds_nothing (f->store));
  wait_until (renamed_everywhere, &renamed, "the change to show");
  assert_kept (f);
}

static GtkAdjustment *
list_scroll (Fixture *f)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (desk_clients_view_get_list_view (f->view)),
                                                 GTK_TYPE_SCROLLED_WINDOW);

  g_assert_nonnull (scrolled);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
}

static gboolean
scrolled_to_end (gpointer data)
{
  GtkAdjustment *adjustment = data;
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  return end > 0 && gtk_adjustment_get_value (adjustment) >= end - 1;
}

typedef struct
{
  guint fewest;
} Shrink;

static void
on_list_items_changed (GListModel *list,
                       guint       position,
                       guint       removed,
                       guint       added,
                       Shrink     *shrink)
{
  shrink->fewest = MIN (shrink->fewest, g_list_model_get_n_items (list));
}

static gboolean
all_rows_revealed (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (G_LIST_MODEL (selection (f))) ==
         g_list_model_get_n_items (G_LIST_MODEL (f->list));
}

/* Scrolled to the end of the list, a change leaves it there: the list
 * never empties to refill (which would scroll back up), it only reads its
 * rows again. */
static void
test_refresh_keeps_scroll (Fixture       *f,
                           gconstpointer  data)
{
  Renamed renamed = { f, "555-0104" };
  Rename rename = { 0, "555-0104" };
  g_autoptr(GError) error = NULL;
  GtkAdjustment *adjustment;
  Shrink shrink = { G_MAXUINT };
  double value;
  guint n_items;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  adjustment = list_scroll (f);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (f->list));
  /* The rows are revealed to the view a screen a frame: all of them first. */
  wait_until (all_rows_revealed, f, "every row in the view");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk_clients_view_get_list_view (f->view)),
                                             "list.scroll-to-item", "u", n_items - 1));
  wait_until (scrolled_to_end, adjustment, "the list to scroll to its end");
  value = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (value, >, 0);

  g_signal_connect (f->list, "items-changed", G_CALLBACK (on_list_items_changed), &shrink);
  rename.id = f->client_id;
  g_assert_true (desk_change_run (desk_window_get_session (f->window),
                                  DESK_PERMISSION_MANAGE_CLIENTS, 0, rename_client, &rename,
                                  &error));
  g_assert_no_error (error);
  wait_until (renamed_everywhere, &renamed, "the change to show");
  g_signal_handlers_disconnect_by_func (f->list, on_list_items_changed, &shrink);

  g_assert_cmpuint (shrink.fewest, ==, n_items);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment), value, 1.0);
  assert_kept (f);
}

static DeskAuditWindow *
find_audit_window (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (DESK_IS_AUDIT_WINDOW (l->data))
      return l->data;
  return NULL;
}

static DeskAuditList *
audit_list (DeskAuditWindow *window)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find_widget (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW));
  GtkSelectionModel *model = gtk_column_view_get_model (view);

  return DESK_AUDIT_LIST (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model)));
}

typedef struct
{
  DeskAuditList *list;
  guint          n_items;
} ListHas;

static gboolean
list_has (gpointer data)
{
  ListHas *has = data;

  return !desk_audit_list_get_loading (has->list) &&
         g_list_model_get_n_items (G_LIST_MODEL (has->list)) == has->n_items;
}

static gboolean
audit_loaded (gpointer data)
{
  return !desk_audit_list_get_loading (data);
}

/* The audit window shows a change's entry, and another program's. */
static void
test_refresh_audit_window (Fixture       *f,
                           gconstpointer  data)
{
  Rename rename = { 0, "555-0102" };
  g_autoptr(GError) error = NULL;
  DeskAuditWindow *audit;
  ListHas has;
  DeskStore *other;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-audit-log", NULL));
  audit = find_audit_window ();
  g_assert_nonnull (audit);
  has.list = audit_list (audit);
  wait_until (audit_loaded, has.list, "the audit log");
  has.n_items = g_list_model_get_n_items (G_LIST_MODEL (has.list));
  g_assert_cmpuint (has.n_items, >, 0);

  rename.id = f->client_id;
  g_assert_true (desk_change_run (desk_window_get_session (f->window),
                                  DESK_PERMISSION_MANAGE_CLIENTS, 0, rename_client, &rename,
                                  &error));
  g_assert_no_error (error);
  has.n_items++;
  wait_until (list_has, &has, "the change's entry");

  /* Another workstation's change, on a connection of its own: the window
   * notices it by looking. */
  other = desk_store_open (f->path, &error);
  g_assert_no_error (error);
  rename.phone = "555-0103";
  g_assert_true (_desk_change_run_system (other, rename_client, &rename, &error));
  g_assert_no_error (error);
  g_clear_object (&other);
  has.n_items++;
  wait_until (list_has, &has, "the other workstation's entry");
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add ("/refresh/external", Fixture, "search", fixture_set_up, test_refresh_external,
              fixture_tear_down);
  g_test_add ("/refresh/change-path", Fixture, NULL, fixture_set_up, test_refresh_change_path,
              fixture_tear_down);
  g_test_add ("/refresh/change-path-search", Fixture, "search", fixture_set_up,
              test_refresh_change_path, fixture_tear_down);
  g_test_add ("/refresh/keeps-scroll", Fixture, NULL, fixture_set_up, test_refresh_keeps_scroll,
              fixture_tear_down);
  g_test_add ("/refresh/external-no-search", Fixture, NULL, fixture_set_up,
              test_refresh_external, fixture_tear_down);
  g_test_add ("/refresh/audit-window", Fixture, "search", fixture_set_up, test_refresh_audit_window,
              fixture_tear_down);

  return g_test_run ();
}
