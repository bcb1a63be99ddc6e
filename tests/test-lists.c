/* test-lists.c: what the member and client lists show after fast changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lists spare the main thread by keeping row widgets and by showing a
 * model a screenful at a time; none of that may change what they mean.
 * After fast typing, clearing, scrolling to the end and signing out, every
 * row widget the view has shows the record at its own position, the count
 * and the selection are the list's, and after sign-out no row holds a name.
 * The selection model under the view keeps its rows through a new result
 * and tells the view only what it must (DeskRecordSelection's slots).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-client.h"
#include "desk-closures.h"
#include "desk-record-list.h"
#include "desk-record-row.h"
#include "desk-record-selection.h"
#include "desk-test-util.h"
#include "desk-test-window.h"

static gboolean have_display;

typedef struct
{
  DeskRecordList *list;
  const char     *search;
} SearchDone;

static gboolean
search_done (gpointer data)
{
  SearchDone *done = data;

  return g_strcmp0 (desk_record_list_get_search (done->list), done->search) == 0 &&
         desk_test_list_loaded (done->list);
}

/* The view is shown every row of its model. */
static gboolean
rows_revealed (gpointer view)
{
  GtkSelectionModel *model = gtk_list_view_get_model (view);
  GListModel *inner;

  if (model == NULL)
    return FALSE;
  inner = desk_record_selection_get_model (DESK_RECORD_SELECTION (model));
  if (GTK_IS_SLICE_LIST_MODEL (inner))
    inner = gtk_slice_list_model_get_model (GTK_SLICE_LIST_MODEL (inner));
  return g_list_model_get_n_items (G_LIST_MODEL (model)) == g_list_model_get_n_items (inner);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (DESK_IS_RECORD_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* The row widgets within @widget. */
static GPtrArray *
find_rows (GtkWidget *widget)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (widget, rows);
  return rows;
}

/* Every row widget of @list_view shows the record of @list at its own
 * position, and one of them is the row at @position, on screen. */
static void
assert_rows_show (GtkListView    *list_view,
                  DeskRecordList *list,
                  guint           position)
{
  g_autoptr(GPtrArray) rows = find_rows (GTK_WIDGET (list_view));
  gboolean seen = FALSE;

  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      DeskRecordRow *row = g_ptr_array_index (rows, i);
      guint at = desk_record_row_get_position (row);
      g_autoptr(DeskClient) client = NULL;

      g_assert_cmpuint (at, <, g_list_model_get_n_items (G_LIST_MODEL (list)));
      client = g_list_model_get_item (G_LIST_MODEL (list), at);
      g_assert_cmpstr (desk_record_row_get_name (row), ==, desk_client_get_display_name (client));
      /* The row drawn (and announced) as selected is the selection's, only it. */
      g_assert_true (((gtk_widget_get_state_flags (gtk_widget_get_parent (GTK_WIDGET (row))) &
                       GTK_STATE_FLAG_SELECTED) != 0) == (at == position));
      if (at == position)
        {
          seen = TRUE;
          g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
        }
    }
  g_assert_true (seen);
}

/* The view shows @list whole: its count, its rows, and @selected selected. */
static void
assert_view_shows (DeskClientsView *view,
                   guint            selected)
{
  DeskRecordList *list = desk_clients_view_get_list (view);
  GtkListView *list_view = desk_clients_view_get_list_view (view);
  DeskRecordSelection *selection = NULL;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autofree char *count = desk_closures_client_count (NULL, n_items);
  DeskTestLabelShown label = { GTK_WIDGET (view), count };
  g_autoptr(DeskClient) client = NULL;

  wait_until (rows_revealed, list_view, "every row shown to the view");
  selection = DESK_RECORD_SELECTION (gtk_list_view_get_model (list_view));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, n_items);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, selected);
  client = g_list_model_get_item (G_LIST_MODEL (list), selected);
  g_assert_cmpint (desk_client_get_id (desk_record_selection_get_selected_item (selection)), ==,
                   desk_client_get_id (client));
  wait_until (desk_test_label_shown, &label, "the count");
  /* Drawn: the rows are laid out for what they show now. */
  for (guint i = 0; i < 3; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_rows_show (list_view, list, selected);
}

/* Replaces the items of @store from @position on: @n_items in all after,
 * new objects, as a new search's rows are. */
static void
store_replace (GListStore *store,
               guint       position,
               guint       n_items)
{
  guint old = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = position; i < n_items; i++)
    g_ptr_array_add (added, g_object_new (G_TYPE_OBJECT, NULL));
  g_list_store_splice (store, position, old - position, added->pdata, added->len);
}

/* What a selection told its view. */
typedef struct
{
  GArray *changes;      /* guint triples: position, removed, added */
  GArray *selected;     /* guint pairs: position, n_items */
} Told;

static void
on_told_items_changed (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       Told       *told)
{
  guint change[3] = { position, removed, added };

  g_array_append_vals (told->changes, change, 3);
}

static void
on_told_selection_changed (GtkSelectionModel *model,
                           guint              position,
                           guint              n_items,
                           Told              *told)
{
  guint change[2] = { position, n_items };

  g_array_append_vals (told->selected, change, 2);
}

static gboolean
told_selected (Told  *told,
               guint  position)
{
  for (guint i = 0; i < told->selected->len; i += 2)
    {
      guint first = g_array_index (told->selected, guint, i);

      if (position >= first && position < first + g_array_index (told->selected, guint, i + 1))
        return TRUE;
    }
  return FALSE;
}

static void
told_clear (Told *told)
{
  g_array_set_size (told->changes, 0);
  g_array_set_size (told->selected, 0);
}

/* The rows a view keeps (about 200, here the first 200) keep their item
 * object through a new search, which shows them the new records; the view
 * is told only of rows that came or went, and of the selection moving
 * among the rows it keeps.  A shorter result blanks the rows past its end
 * and lets them go over the next turns; a longer one arriving meanwhile
 * takes them back. */
static void
test_selection_keeps_rows (void)
{
  GListStore *list = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(DeskRecordSelection) selection = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  Told told = { g_array_new (FALSE, FALSE, sizeof (guint)), g_array_new (FALSE, FALSE, sizeof (guint)) };
  guint turns;

  store_replace (list, 0, 1000);
  selection = desk_record_selection_new (G_LIST_MODEL (list));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (selection)) == DESK_TYPE_RECORD_SLOT);
  for (guint i = 0; i < 200; i++)
    {
      DeskRecordSlot *slot = g_list_model_get_item (G_LIST_MODEL (selection), i);

      g_assert_nonnull (desk_record_slot_get_record (slot));
      g_ptr_array_add (rows, slot);
      g_ptr_array_add (shown, g_object_ref (desk_record_slot_get_record (slot)));
    }
  g_signal_connect (selection, "items-changed", G_CALLBACK (on_told_items_changed), &told);
  g_signal_connect (selection, "selection-changed", G_CALLBACK (on_told_selection_changed), &told);
  desk_record_selection_set_selected (selection, 150);
  told_clear (&told);

  /* A new result as long: no row comes or goes; each shows its new record;
   * the selection moves to the first row, and the view is told of both. */
  store_replace (list, 0, 1000);
  g_assert_cmpuint (told.changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1000);
  for (guint i = 0; i < 200; i++)
    {
      DeskRecordSlot *slot = g_ptr_array_index (rows, i);
      g_autoptr(DeskRecordSlot) again = g_list_model_get_item (G_LIST_MODEL (selection), i);

      g_assert_true (again == slot);
      g_assert_nonnull (desk_record_slot_get_record (slot));
      g_assert_true (desk_record_slot_get_record (slot) != g_ptr_array_index (shown, i));
    }
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 0);
  g_assert_nonnull (desk_record_selection_get_selected_item (selection));
  g_assert_true (told_selected (&told, 0));
  g_assert_true (told_selected (&told, 150));
  told_clear (&told);

  /* A longer one: only the rows added. */
  store_replace (list, 0, 1500);
  g_assert_cmpuint (told.changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (told.changes, guint, 0), ==, 1000);
  g_assert_cmpuint (g_array_index (told.changes, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (told.changes, guint, 2), ==, 500);
  told_clear (&told);

  /* A shorter one (a search's first 32): the rows past its end show
   * nothing at once; those the view has no row for go at once too. */
  store_replace (list, 0, 32);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 200);
  g_assert_cmpuint (told.changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (told.changes, guint, 0), ==, 200);
  g_assert_cmpuint (g_array_index (told.changes, guint, 1), ==, 1300);
  g_assert_cmpuint (g_array_index (told.changes, guint, 2), ==, 0);
  for (guint i = 0; i < 200; i++)
    {
      DeskRecordSlot *slot = g_ptr_array_index (rows, i);

      if (i < 32)
        g_assert_nonnull (desk_record_slot_get_record (slot));
      else
        g_assert_null (desk_record_slot_get_record (slot));
    }
  told_clear (&told);

  /* The rest of the result comes before they have gone: they show it. */
  store_replace (list, 32, 600);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 600);
  g_assert_cmpuint (told.changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (told.changes, guint, 0), ==, 200);
  g_assert_cmpuint (g_array_index (told.changes, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (told.changes, guint, 2), ==, 400);
  for (guint i = 0; i < 200; i++)
    g_assert_nonnull (desk_record_slot_get_record (g_ptr_array_index (rows, i)));
  told_clear (&told);

  /* A shorter one again, and nothing after it: the blank rows go over
   * several turns (not all in one), and then the view has the list's rows. */
  store_replace (list, 0, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 200);
  for (turns = 0; g_list_model_get_n_items (G_LIST_MODEL (selection)) > 10 && turns < 100; turns++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 10);
  g_assert_cmpuint (turns, >, 1);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), <, 10);

  /* Letting go (a session's end): the model goes now, the rows over
   * several turns, with nothing selected. */
  store_replace (list, 0, 1000);
  g_ptr_array_set_size (rows, 0);
  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (rows, g_list_model_get_item (G_LIST_MODEL (selection), i));
  told_clear (&told);
  desk_record_selection_let_go (selection);
  g_assert_null (desk_record_selection_get_model (selection));
  g_assert_null (desk_record_selection_get_selected_item (selection));
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 200);
  for (turns = 0; g_list_model_get_n_items (G_LIST_MODEL (selection)) > 0 && turns < 100; turns++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 0);
  g_assert_cmpuint (turns, >, 1);

  g_clear_pointer (&rows, g_ptr_array_unref);
  g_array_unref (told.changes);
  g_array_unref (told.selected);
  g_object_unref (list);
  g_assert_finalize_object (g_steal_pointer (&selection));
}

typedef struct
{
  DeskTestDir *dir;
  DeskStore   *store;
  DeskWindow  *window;
} Fixture;

static gboolean
fixture_set_up (Fixture *fixture)
{
  g_autofree char *path = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return FALSE;
    }

  fixture->dir = desk_test_dir_new ();
  path = g_build_filename (fixture->dir, "clinic.db", NULL);
  fixture->store = desk_test_demo_store (path, 600, 13);
  fixture->window = desk_test_new_window ();
  desk_window_set_store (fixture->window, fixture->store);
  desk_test_sign_in (fixture->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-clients", NULL));
  wait_until (desk_test_list_loaded,
              desk_clients_view_get_list (desk_window_get_clients_view (fixture->window)),
              "the clients");
  return TRUE;
}

static void
fixture_tear_down (Fixture *fixture)
{
  desk_test_destroy_window (fixture->window);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->dir, desk_test_dir_free);
}

/* Keys faster than the searches, then the search cleared at once: the rows
 * are the last search's, in its order, never an earlier one's. */
static void
test_lists_fast_typing (void)
{
  Fixture fixture = { NULL, NULL, NULL };
  g_autoptr(DeskClient) picked = NULL;
  g_autofree char *family = NULL;
  DeskClientsView *view;
  DeskRecordList *list;
  GtkEditable *entry;

  if (!fixture_set_up (&fixture))
    return;
  view = desk_window_get_clients_view (fixture.window);
  list = desk_clients_view_get_list (view);
  entry = desk_clients_view_get_search_entry (view);
  assert_view_shows (view, 0);

  picked = g_list_model_get_item (G_LIST_MODEL (list), 400);
  family = g_utf8_strdown (desk_client_get_family_name (picked), -1);
  for (glong i = 1; i <= g_utf8_strlen (family, -1); i++)
    {
      g_autofree char *prefix = g_utf8_substring (family, 0, i);

      gtk_editable_set_text (entry, prefix);
      g_main_context_iteration (NULL, FALSE);
    }
  {
    SearchDone done = { list, family };

    wait_until (search_done, &done, "the typed search");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), <, 600);
  assert_view_shows (view, 0);

  /* A search with more rows than the view keeps: the view keeps the row
   * widgets of its first screens (none torn down and built again), which
   * show the new rows.  Those past the search's first 32 rows are kept too
   * when the rest of it comes within 250 ms: not asserted, it is timing. */
  gtk_editable_set_text (entry, "");
  {
    SearchDone done = { list, "" };

    wait_until (search_done, &done, "the cleared search");
  }
  assert_view_shows (view, 0);
  {
    g_autoptr(GPtrArray) before = find_rows (GTK_WIDGET (desk_clients_view_get_list_view (view)));
    g_autoptr(GPtrArray) after = NULL;
    SearchDone done = { list, "e" };

    g_ptr_array_foreach (before, (GFunc) (void (*) (void)) g_object_ref, NULL);
    g_ptr_array_set_free_func (before, g_object_unref);
    gtk_editable_set_text (entry, "e");
    wait_until (search_done, &done, "the search for e");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, before->len);
    assert_view_shows (view, 0);
    after = find_rows (GTK_WIDGET (desk_clients_view_get_list_view (view)));
    g_assert_cmpuint (after->len, ==, before->len);
    for (guint i = 0; i < after->len; i++)
      {
        DeskRecordRow *row = g_ptr_array_index (after, i);

        if (desk_record_row_get_position (row) < 32)
          g_assert_true (g_ptr_array_find (before, row, NULL));
      }
  }

  /* One letter (many rows), then cleared before its rows came. */
  gtk_editable_set_text (entry, "a");
  g_main_context_iteration (NULL, FALSE);
  gtk_editable_set_text (entry, "");
  {
    SearchDone done = { list, "" };

    wait_until (search_done, &done, "the cleared search");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 600);
  assert_view_shows (view, 0);

  fixture_tear_down (&fixture);
}

/* Clearing a search with few results, the selection on its third row. */
static void
test_lists_clearing (void)
{
  Fixture fixture = { NULL, NULL, NULL };
  g_autoptr(DeskClient) picked = NULL;
  g_autofree char *family = NULL;
  DeskClientsView *view;
  DeskRecordList *list;
  GtkListView *list_view;
  GtkEditable *entry;

  if (!fixture_set_up (&fixture))
    return;
  view = desk_window_get_clients_view (fixture.window);
  list = desk_clients_view_get_list (view);
  list_view = desk_clients_view_get_list_view (view);
  entry = desk_clients_view_get_search_entry (view);

  picked = g_list_model_get_item (G_LIST_MODEL (list), 250);
  family = g_strdup (desk_client_get_family_name (picked));
  gtk_editable_set_text (entry, family);
  {
    SearchDone done = { list, family };

    wait_until (search_done, &done, "the search");
  }
  if (g_list_model_get_n_items (G_LIST_MODEL (list)) >= 3)
    {
      gtk_widget_activate_action (GTK_WIDGET (list_view), "list.select-item", "(ubb)", 2, FALSE,
                                  FALSE);
      assert_view_shows (view, 2);
    }

  gtk_editable_set_text (entry, "");
  {
    SearchDone done = { list, "" };

    wait_until (search_done, &done, "the cleared search");
  }
  /* A new list: its first row. */
  assert_view_shows (view, 0);

  fixture_tear_down (&fixture);
}

static gboolean
row_mapped (gpointer data)
{
  gpointer *args = data;
  g_autoptr(GPtrArray) rows = find_rows (args[0]);

  for (guint i = 0; i < rows->len; i++)
    {
      DeskRecordRow *row = g_ptr_array_index (rows, i);

      if (desk_record_row_get_position (row) == GPOINTER_TO_UINT (args[1]) &&
          gtk_widget_get_mapped (GTK_WIDGET (row)))
        return TRUE;
    }
  return FALSE;
}

/* End then Home, as the keys do (select, then scroll to the row). */
static void
test_lists_scroll_to_end (void)
{
  Fixture fixture = { NULL, NULL, NULL };
  DeskClientsView *view;
  DeskRecordList *list;
  GtkListView *list_view;
  guint last;

  if (!fixture_set_up (&fixture))
    return;
  view = desk_window_get_clients_view (fixture.window);
  list = desk_clients_view_get_list (view);
  list_view = desk_clients_view_get_list_view (view);
  assert_view_shows (view, 0);

  last = g_list_model_get_n_items (G_LIST_MODEL (list)) - 1;
  g_assert_cmpuint (last, ==, 599);
  desk_clients_view_focus_list (view);
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.select-item", "(ubb)", last, FALSE,
                              FALSE);
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", last);
  {
    gpointer args[] = { list_view, GUINT_TO_POINTER (last) };

    wait_until (row_mapped, args, "the last row");
  }
  assert_view_shows (view, last);

  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.select-item", "(ubb)", 0, FALSE,
                              FALSE);
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", 0);
  {
    gpointer args[] = { list_view, GUINT_TO_POINTER (0) };

    wait_until (row_mapped, args, "the first row");
  }
  assert_view_shows (view, 0);

  fixture_tear_down (&fixture);
}

/* After sign-out no row widget holds a record, in either list; the next
 * member's lists start whole, at their first row. */
static void
test_lists_sign_out (void)
{
  Fixture fixture = { NULL, NULL, NULL };
  DeskClientsView *view;
  DeskMembersView *members;
  DeskRecordList *list;
  GtkListView *list_view;
  g_autoptr(GPtrArray) rows = NULL;

  if (!fixture_set_up (&fixture))
    return;
  view = desk_window_get_clients_view (fixture.window);
  members = desk_window_get_members_view (fixture.window);
  list = desk_clients_view_get_list (view);
  list_view = desk_clients_view_get_list_view (view);
  gtk_editable_set_text (desk_clients_view_get_search_entry (view), "e");
  {
    SearchDone done = { list, "e" };

    wait_until (search_done, &done, "the search");
  }
  assert_view_shows (view, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.show-members", NULL));
  wait_until (rows_revealed, desk_members_view_get_list_view (members), "the members");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.sign-out", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (desk_window_get_page (fixture.window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  rows = find_rows (GTK_WIDGET (list_view));
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (desk_record_row_get_name (g_ptr_array_index (rows, i)), ==, "");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = find_rows (GTK_WIDGET (desk_members_view_get_list_view (members)));
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (desk_record_row_get_name (g_ptr_array_index (rows, i)), ==, "");
  g_clear_pointer (&rows, g_ptr_array_unref);

  desk_test_sign_in (fixture.window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.show-clients", NULL));
  list = desk_clients_view_get_list (view);
  wait_until (desk_test_list_loaded, list, "the clients");
  g_assert_cmpstr (desk_record_list_get_search (list), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 600);
  assert_view_shows (view, 0);

  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add_func ("/lists/selection-keeps-rows", test_selection_keeps_rows);
  g_test_add_func ("/lists/fast-typing", test_lists_fast_typing);
  g_test_add_func ("/lists/clearing", test_lists_clearing);
  g_test_add_func ("/lists/scroll-to-end", test_lists_scroll_to_end);
  g_test_add_func ("/lists/sign-out", test_lists_sign_out);

  return g_test_run ();
}
