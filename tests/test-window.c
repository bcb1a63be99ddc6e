/* test-window.c: the main window on a demo clinic, under a (virtual) display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-client.h"
#include "desk-closures.h"
#include "desk-member.h"
#include "desk-record-selection.h"
#include "desk-spinner.h"
#include "desk-test-gui.h"
#include "desk-test-util.h"
#include "desk-test-window.h"
#include "desk-window.h"

static gboolean have_display;

/* Helpers */

typedef struct
{
  DeskRecordList *list;
  const char     *search;
} SearchDone;

/* The search entry hands its text over after a short delay; then the query runs. */
static gboolean
search_done (gpointer data)
{
  SearchDone *done = data;

  return g_strcmp0 (desk_record_list_get_search (done->list), done->search) == 0 &&
         desk_test_list_loaded (done->list);
}


static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}




/* Case and accents aside, as the model compares. */
static char *
fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_NFD);
  g_autofree char *folded = g_utf8_casefold (decomposed, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static gboolean
client_matches (DeskClient *client,
                const char *search)
{
  g_autofree char *needle = fold (search);
  const char *fields[] = {
    desk_client_get_display_name (client),
    desk_client_get_email (client),
    desk_client_get_phone (client),
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *haystack = fold (fields[i]);

      if (strstr (haystack, needle) != NULL)
        return TRUE;
    }

  return FALSE;
}









static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* A list whose items are made afresh on every read, like a DeskRecordList's
 * pages, and which counts the reads. */
#define TEST_TYPE_FRESH_LIST (test_fresh_list_get_type ())
G_DECLARE_FINAL_TYPE (TestFreshList, test_fresh_list, TEST, FRESH_LIST, GObject)

struct _TestFreshList
{
  GObject parent_instance;
  guint   n_items;
  guint   reads;
};

static GType
test_fresh_list_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
test_fresh_list_get_n_items (GListModel *model)
{
  return TEST_FRESH_LIST (model)->n_items;
}

static gpointer
test_fresh_list_get_item (GListModel *model,
                          guint       position)
{
  TestFreshList *self = TEST_FRESH_LIST (model);

  if (position >= self->n_items)
    return NULL;
  self->reads++;
  return g_object_new (G_TYPE_OBJECT, NULL);
}

static void
test_fresh_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = test_fresh_list_get_item_type;
  iface->get_n_items = test_fresh_list_get_n_items;
  iface->get_item = test_fresh_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFreshList, test_fresh_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, test_fresh_list_list_model_init))

static void
test_fresh_list_class_init (TestFreshListClass *klass)
{
}

static void
test_fresh_list_init (TestFreshList *self)
{
}

static void
test_fresh_list_replace (TestFreshList *self,
                         guint          position,
                         guint          n_items)
{
  guint old = self->n_items;

  self->n_items = n_items;
  g_list_model_items_changed (G_LIST_MODEL (self), position, old - position, n_items - position);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* Closures: pure functions, no display needed */

static void
test_closures_list_page (void)
{
  struct {
    guint       n_items;
    gboolean    loading;
    const char *search;
    gboolean    filtered;
    const char *page;
  } cases[] = {
    { 10, FALSE, "", FALSE, DESK_LIST_PAGE_LIST },
    { 10, TRUE, "ann", FALSE, DESK_LIST_PAGE_LIST },
    { 0, TRUE, "", FALSE, DESK_LIST_PAGE_LIST },
    { 0, FALSE, "", FALSE, DESK_LIST_PAGE_EMPTY },
    { 0, FALSE, NULL, FALSE, DESK_LIST_PAGE_EMPTY },
    { 0, FALSE, "   ", FALSE, DESK_LIST_PAGE_EMPTY },
    { 0, FALSE, "zzq", FALSE, DESK_LIST_PAGE_NO_RESULTS },
    { 0, FALSE, "", TRUE, DESK_LIST_PAGE_NO_RESULTS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *page = desk_closures_list_page (NULL, cases[i].n_items, cases[i].loading,
                                                       cases[i].search, cases[i].filtered);

      g_assert_cmpstr (page, ==, cases[i].page);
    }
}

static void
test_closures_client (void)
{
  struct {
    gboolean            is_active;
    gboolean            portal_enabled;
    DeskInvitationState invitation;
    const char         *status;
    const char         *portal;
    const char         *portal_class;
  } cases[] = {
    { TRUE, TRUE, DESK_INVITATION_ACCEPTED, "Active", "Portal enabled", "accent" },
    { FALSE, TRUE, DESK_INVITATION_ACCEPTED, "Inactive", "Portal enabled", "accent" },
    { FALSE, FALSE, DESK_INVITATION_ACCEPTED, "Inactive", "Portal disabled", "error" },
    { TRUE, FALSE, DESK_INVITATION_NONE, "Active", "Portal disabled", "error" },
    { TRUE, TRUE, DESK_INVITATION_PENDING, "Active", "Invitation pending", "warning" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *status = desk_closures_client_status_label (NULL, cases[i].is_active);
      g_autofree char *portal = desk_closures_portal_label (NULL, cases[i].portal_enabled,
                                                            cases[i].invitation);
      g_auto(GStrv) classes = desk_closures_portal_classes (NULL, cases[i].portal_enabled,
                                                            cases[i].invitation);
      g_auto(GStrv) status_classes = desk_closures_status_classes (NULL, cases[i].is_active);

      g_assert_cmpstr (status, ==, cases[i].status);
      g_assert_cmpstr (portal, ==, cases[i].portal);
      g_assert_true (g_strv_contains ((const char * const *) classes, "tag"));
      g_assert_true (g_strv_contains ((const char * const *) classes, cases[i].portal_class));
      g_assert_true (g_strv_contains ((const char * const *) status_classes,
                                      cases[i].is_active ? "success" : "neutral"));
    }
}

static void
test_closures_dates (void)
{
  g_autofree char *born = desk_closures_born_label (NULL, "1980-03-12");
  g_autofree char *bad = desk_closures_date_of_birth (NULL, "not a date");
  g_autofree char *unknown = desk_closures_born_label (NULL, NULL);
  /* 2024-03-03 12:00 UTC; the tests run with TZ=UTC. */
  g_autofree char *tag = desk_closures_deactivated_tag (NULL, 1709467200);
  g_autofree char *status = desk_closures_member_status_label (NULL, FALSE, 1709467200);
  g_autofree char *active = desk_closures_member_status_label (NULL, TRUE, 0);
  g_autofree char *no_date = desk_closures_date (NULL, 0);
  g_autofree char *discharged = desk_closures_client_status_detail (NULL, FALSE, 1709467200);

  g_assert_cmpstr (born, ==, "Born 12 Mar 1980");
  g_assert_cmpstr (bad, ==, "not a date");
  g_assert_cmpstr (unknown, ==, "Date of birth unknown");
  g_assert_cmpstr (tag, ==, "Deactivated 3 Mar 2024");
  g_assert_cmpstr (status, ==, "Deactivated on 3 March 2024");
  g_assert_cmpstr (active, ==, "Active");
  g_assert_null (no_date);
  g_assert_cmpstr (discharged, ==, "Inactive, discharged on 3 March 2024");
}

static void
test_closures_members (void)
{
  const char *roles[] = { "Administrator", "Physician", NULL };
  const char *none[] = { NULL };
  g_autofree char *subtitle = desk_closures_member_subtitle (NULL, "Family Physician",
                                                             DESK_MEMBER_KIND_PROVIDER, "alima");
  g_autofree char *no_title = desk_closures_member_subtitle (NULL, "", DESK_MEMBER_KIND_EMPLOYEE,
                                                             "jdoe");
  g_autofree char *joined = desk_closures_strv_label (NULL, roles);
  g_autofree char *empty = desk_closures_strv_label (NULL, none);
  g_autofree char *permissions =
    desk_closures_permissions_label (NULL, DESK_PERMISSION_EDIT_USERS | DESK_PERMISSION_VIEW_AUDIT);
  g_autofree char *count = desk_closures_client_count (NULL, 1);
  g_autofree char *counts = desk_closures_client_count (NULL, 300);

  g_assert_cmpstr (subtitle, ==, "Family Physician · alima");
  g_assert_cmpstr (no_title, ==, "Employee · jdoe");
  g_assert_cmpstr (joined, ==, "Administrator, Physician");
  g_assert_cmpstr (empty, ==, "None");
  g_assert_cmpstr (permissions, ==, "Edit other users, View the audit log");
  g_assert_cmpstr (count, ==, "1 client");
  g_assert_cmpstr (counts, ==, "300 clients");
}

/* Selection */

static void
test_selection_follows_changes (void)
{
  TestFreshList *list = g_object_new (TEST_TYPE_FRESH_LIST, NULL);
  g_autoptr(DeskRecordSelection) selection = desk_record_selection_new (G_LIST_MODEL (list));
  guint item_notifies = 0;

  g_signal_connect (selection, "notify::selected-item", G_CALLBACK (count_notify), &item_notifies);

  /* Empty: nothing selected. */
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  g_assert_null (desk_record_selection_get_selected_item (selection));

  /* The first rows arrive: the first is selected. */
  test_fresh_list_replace (list, 0, 200);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 0);
  g_assert_nonnull (desk_record_selection_get_selected_item (selection));
  g_assert_cmpuint (item_notifies, ==, 1);

  /* The rest arrive after them: the selection stays. */
  test_fresh_list_replace (list, 200, 1000000);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 0);
  g_assert_cmpuint (item_notifies, ==, 1);

  desk_record_selection_set_selected (selection, 150);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 150);
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), 150));
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), 0));

  /* Past the end: nothing changes. */
  desk_record_selection_set_selected (selection, 2000000);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 150);

  /* A new search replaces a million rows: no walk through them
   * (GtkSingleSelection would read every one looking for its item). */
  list->reads = 0;
  test_fresh_list_replace (list, 0, 1000000);
  g_assert_cmpuint (list->reads, <=, 2);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 0);

  /* The list shrinks below the selection: the last row is selected. */
  desk_record_selection_set_selected (selection, 999);
  test_fresh_list_replace (list, 500, 500);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 499);

  /* Rows change before the selection: it moves with its row. */
  desk_record_selection_set_selected (selection, 10);
  {
    gpointer item = desk_record_selection_get_selected_item (selection);

    list->n_items = 505;
    g_list_model_items_changed (G_LIST_MODEL (list), 0, 0, 5);
    g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 15);
    g_assert_true (desk_record_selection_get_selected_item (selection) == item);
  }

  /* Everything goes: nothing is selected. */
  test_fresh_list_replace (list, 0, 0);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  g_assert_null (desk_record_selection_get_selected_item (selection));

  g_object_unref (list);
  g_assert_finalize_object (g_steal_pointer (&selection));
}

/* Widgets */

static void
test_window_lists_and_search (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskClient) first = NULL;
  g_autofree char *prefix = NULL;
  DeskWindow *window;
  DeskMembersView *members_view;
  DeskClientsView *clients_view;
  DeskRecordList *active, *deactivated, *clients;
  GtkEditable *entry;
  GtkWidget *focus;
  guint all_clients, narrowed;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 7);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_CLINIC);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Test Clinic");

  members_view = desk_window_get_members_view (window);
  clients_view = desk_window_get_clients_view (window);
  active = desk_members_view_get_list (members_view, DESK_MEMBER_STATUS_ACTIVE);
  deactivated = desk_members_view_get_list (members_view, DESK_MEMBER_STATUS_DEACTIVATED);
  clients = desk_clients_view_get_list (clients_view);

  wait_until (desk_test_list_loaded, active, "the active members");
  wait_until (desk_test_list_loaded, deactivated, "the deactivated members");
  wait_until (desk_test_list_loaded, clients, "the clients");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (clients)), ==, 300);
  g_assert_cmpstr (desk_members_view_get_content_page (members_view), ==, DESK_LIST_PAGE_LIST);

  /* The members' rows are on screen. */
  {
    g_autoptr(DeskMember) member = g_list_model_get_item (G_LIST_MODEL (active), 0);
    DeskTestLabelShown shown = { GTK_WIDGET (desk_members_view_get_list_view (members_view)),
                         desk_member_get_display_name (member) };

    wait_until (desk_test_label_shown, &shown, "a member's row");
  }

  /* Alt+2's action shows the clients, whose rows are on screen. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL));
  first = g_list_model_get_item (G_LIST_MODEL (clients), 0);
  {
    DeskTestLabelShown shown = { GTK_WIDGET (desk_clients_view_get_list_view (clients_view)),
                         desk_client_get_display_name (first) };

    wait_until (desk_test_label_shown, &shown, "a client's row");
    g_assert_true (gtk_widget_get_realized (desk_test_find_mapped_label (shown.root, shown.text)));
  }

  /* Ctrl+F's action puts the keyboard in the clients' search entry. */
  entry = desk_clients_view_get_search_entry (clients_view);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));

  /* Typing a name narrows the list to the clients that match. */
  all_clients = g_list_model_get_n_items (G_LIST_MODEL (clients));
  prefix = g_utf8_substring (desk_client_get_family_name (first), 0, 4);
  gtk_editable_set_text (entry, prefix);
  {
    SearchDone done = { clients, prefix };

    wait_until (search_done, &done, "the search");
  }
  narrowed = g_list_model_get_n_items (G_LIST_MODEL (clients));
  g_assert_cmpuint (narrowed, >, 0);
  g_assert_cmpuint (narrowed, <, all_clients);
  for (guint i = 0; i < narrowed; i++)
    {
      g_autoptr(DeskClient) client = g_list_model_get_item (G_LIST_MODEL (clients), i);

      if (!client_matches (client, prefix))
        g_error ("“%s” does not match the search “%s”", desk_client_get_display_name (client), prefix);
    }
  g_assert_cmpstr (desk_clients_view_get_content_page (clients_view), ==, DESK_LIST_PAGE_LIST);

  /* A search that finds nothing says so. */
  gtk_editable_set_text (entry, "qxzjvw");
  {
    SearchDone done = { clients, "qxzjvw" };

    wait_until (search_done, &done, "the nonsense search");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (clients)), ==, 0);
  g_assert_cmpstr (desk_clients_view_get_content_page (clients_view), ==, DESK_LIST_PAGE_NO_RESULTS);

  /* Clearing it brings every client back. */
  gtk_editable_set_text (entry, "");
  {
    SearchDone done = { clients, "" };

    wait_until (search_done, &done, "the cleared search");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (clients)), ==, all_clients);
  g_assert_cmpstr (desk_clients_view_get_content_page (clients_view), ==, DESK_LIST_PAGE_LIST);

  /* The filters narrow in the model too. */
  gtk_drop_down_set_selected (desk_clients_view_get_status_filter (clients_view),
                              DESK_CLIENT_STATUS_FILTER_INACTIVE);
  g_assert_cmpint (desk_record_list_get_status_filter (clients), ==, DESK_CLIENT_STATUS_FILTER_INACTIVE);
  wait_until (desk_test_list_loaded, clients, "the status filter");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (clients)); i++)
    {
      g_autoptr(DeskClient) client = g_list_model_get_item (G_LIST_MODEL (clients), i);

      g_assert_false (desk_client_get_is_active (client));
    }
  gtk_drop_down_set_selected (desk_clients_view_get_status_filter (clients_view),
                              DESK_CLIENT_STATUS_FILTER_ANY);
  wait_until (desk_test_list_loaded, clients, "the cleared filter");

  /* Alt+1's action goes back to the members. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-members", NULL));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (members_view)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (clients_view)));

  desk_test_destroy_window (window);
}

/* The view is shown every row of its model (a new model is shown to it a
 * screenful a frame). */
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

/* The ids of @list's items, read in order. */
static GArray *
list_ids (GListModel *list)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(DeskClient) client = g_list_model_get_item (list, i);
      gint64 id = desk_client_get_id (client);

      g_array_append_val (ids, id);
    }
  return ids;
}

/* What a list of its own, loaded at once, holds for @search. */
static GArray *
expected_ids (DeskStore  *store,
              const char *search)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (store);
  g_autoptr(GError) error = NULL;

  desk_record_list_set_search (list, search);
  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_no_error (error);
  return list_ids (G_LIST_MODEL (list));
}

static void
assert_same_ids (GArray *a,
                 GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

/* The view shows @list: its count, its first row on screen and selected. */
static void
check_view_shows (DeskClientsView *view,
                  DeskStore       *store,
                  const char      *search)
{
  DeskRecordList *list = desk_clients_view_get_list (view);
  GtkListView *list_view = desk_clients_view_get_list_view (view);
  DeskRecordSelection *selection = DESK_RECORD_SELECTION (gtk_list_view_get_model (list_view));
  g_autoptr(GArray) expected = expected_ids (store, search);
  g_autoptr(GArray) shown = list_ids (G_LIST_MODEL (list));
  g_autoptr(DeskClient) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_autofree char *count = desk_closures_client_count (NULL, expected->len);
  DeskTestLabelShown row = { GTK_WIDGET (list_view), desk_client_get_display_name (first) };
  DeskTestLabelShown label = { GTK_WIDGET (view), count };

  assert_same_ids (shown, expected);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, expected->len);
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 0);
  g_assert_cmpint (desk_client_get_id (desk_record_selection_get_selected_item (selection)), ==,
                   g_array_index (expected, gint64, 0));
  wait_until (desk_test_label_shown, &row, "the first row");
  wait_until (desk_test_label_shown, &label, "the count");
}

static void
assert_view_shows (DeskClientsView *view,
                   DeskStore       *store,
                   const char      *search)
{
  wait_until (rows_revealed, desk_clients_view_get_list_view (view), "every row shown to the view");
  check_view_shows (view, store, search);
}

/* Keys typed faster than the searches run, and the search cleared before
 * its results came: the list ends with the last search's rows, count and
 * selection, never an earlier one's. */
static void
test_window_fast_typing (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskClient) first = NULL;
  g_autofree char *family = NULL;
  g_autofree char *typed = NULL;
  DeskWindow *window;
  DeskClientsView *view;
  DeskRecordList *clients;
  GtkEditable *entry;
  glong length;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 9);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL));
  view = desk_window_get_clients_view (window);
  clients = desk_clients_view_get_list (view);
  entry = desk_clients_view_get_search_entry (view);
  wait_until (desk_test_list_loaded, clients, "the clients");
  assert_view_shows (view, store, "");

  /* A family name key by key, each key before the last one's result. */
  first = g_list_model_get_item (G_LIST_MODEL (clients), 150);
  family = g_utf8_strdown (desk_client_get_family_name (first), -1);
  length = g_utf8_strlen (family, -1);
  for (glong i = 1; i <= length; i++)
    {
      g_autofree char *prefix = g_utf8_substring (family, 0, i);

      gtk_editable_set_text (entry, prefix);
      g_main_context_iteration (NULL, FALSE);
    }
  {
    SearchDone done = { clients, family };

    wait_until (search_done, &done, "the typed search");
  }
  assert_view_shows (view, store, family);

  /* Typed, then cleared before the search ran. */
  typed = g_utf8_substring (family, 0, 2);
  gtk_editable_set_text (entry, typed);
  {
    SearchDone done = { clients, typed };

    wait_until (search_done, &done, "two letters");
  }
  gtk_editable_set_text (entry, "");
  {
    SearchDone done = { clients, "" };

    wait_until (search_done, &done, "the cleared search");
  }
  assert_view_shows (view, store, "");

  desk_test_destroy_window (window);
}

static void
test_window_empty_clinic (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  DeskWindow *window;
  DeskClientsView *clients_view;
  DeskMembersView *members_view;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  store = desk_store_create (path, "Empty Clinic", &error);
  g_assert_no_error (error);
  desk_store_set_now (store, DESK_TEST_NOW);
  desk_test_add_administrator (store);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_type_sign_in (window, "first.admin", DESK_TEST_ADMIN_PASSWORD);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_CLINIC);
  clients_view = desk_window_get_clients_view (window);
  members_view = desk_window_get_members_view (window);

  wait_until (desk_test_list_loaded, desk_clients_view_get_list (clients_view), "the clients");
  wait_until (desk_test_list_loaded, desk_members_view_get_list (members_view, DESK_MEMBER_STATUS_DEACTIVATED),
              "the deactivated members");
  g_assert_cmpstr (desk_clients_view_get_content_page (clients_view), ==, DESK_LIST_PAGE_EMPTY);

  desk_members_view_set_status (members_view, DESK_MEMBER_STATUS_DEACTIVATED);
  g_assert_cmpstr (desk_members_view_get_content_page (members_view), ==, DESK_LIST_PAGE_EMPTY);

  desk_test_destroy_window (window);
}

static void
test_window_open_errors (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *missing_path = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *checksum_after = NULL;
  g_autoptr(GFile) text_file = NULL;
  g_autoptr(GFile) missing_file = NULL;
  DeskWindow *window;
  const char *message;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  text_path = g_build_filename (dir, "notes.txt", NULL);
  write_file (text_path, "Call the lab back on Monday.\n");
  checksum = desk_test_file_checksum (text_path);
  text_file = g_file_new_for_path (text_path);

  window = desk_test_new_window ();

  /* A text file: the error page, with a message a front desk can read. */
  desk_window_open (window, text_file);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_LOADING);
  wait_until (desk_test_window_not_loading, window, "the text file to be refused");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_ERROR);
  message = desk_window_get_error_message (window);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "notes.txt"));
  g_assert_nonnull (strstr (message, "not a clinic database"));
  g_assert_null (desk_window_get_store (window));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.nonexistent", NULL));

  checksum_after = desk_test_file_checksum (text_path);
  g_assert_cmpstr (checksum, ==, checksum_after);

  /* A path with nothing there: the error page again, and nothing created. */
  missing_path = g_build_filename (dir, "missing.db", NULL);
  missing_file = g_file_new_for_path (missing_path);
  desk_window_open (window, missing_file);
  wait_until (desk_test_window_not_loading, window, "the missing file to be refused");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_ERROR);
  g_assert_nonnull (strstr (desk_window_get_error_message (window), "missing.db"));
  g_assert_false (g_file_test (missing_path, G_FILE_TEST_EXISTS));

  desk_test_destroy_window (window);
}

static gboolean
window_shows_error (gpointer data)
{
  return g_strcmp0 (desk_window_get_page (DESK_WINDOW (data)), DESK_WINDOW_PAGE_ERROR) == 0;
}

/* A damaged clinic opens at once (the integrity check runs afterwards, in
 * the background) and is then refused, unchanged. */
static void
test_window_open_corrupt (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) file = NULL;
  guint8 garbage[4096];
  DeskWindow *window;
  FILE *stream;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  g_object_unref (desk_test_demo_store (path, 300, 4));
  memset (garbage, 0x3c, sizeof garbage);
  stream = g_fopen (path, "r+b");
  g_assert_nonnull (stream);
  g_assert_cmpint (fseek (stream, 20 * 4096, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, stream), ==, sizeof garbage);
  fclose (stream);
  before = desk_test_file_checksum (path);
  file = g_file_new_for_path (path);

  window = desk_test_new_window ();
  desk_window_open (window, file);
  wait_until (window_shows_error, window, "the damaged clinic to be refused");
  g_assert_nonnull (strstr (desk_window_get_error_message (window), "damaged"));
  g_assert_null (desk_window_get_store (window));
  desk_test_destroy_window (window);

  after = desk_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
quit_loop (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_main_loop (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_loop, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Quick work never shows the spinner; slow work does; a spinner dropped
 * while it waits leaves nothing behind. */
static void
test_delayed_spinner (void)
{
  GtkSpinner *spinner;
  gboolean spinning;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  spinner = GTK_SPINNER (g_object_ref_sink (gtk_spinner_new ()));
  gtk_widget_set_visible (GTK_WIDGET (spinner), FALSE);

  desk_spinner_set_busy (spinner, TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (spinner)));
  desk_spinner_set_busy (spinner, FALSE);
  spin_main_loop (DESK_SPINNER_DELAY_MS + 100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (spinner)));

  desk_spinner_set_busy (spinner, TRUE);
  desk_spinner_set_busy (spinner, TRUE);     /* still busy: one delay, not two */
  wait_until (widget_visible, spinner, "the spinner of slow work");
  g_object_get (spinner, "spinning", &spinning, NULL);
  g_assert_true (spinning);
  desk_spinner_set_busy (spinner, FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (spinner)));
  g_object_get (spinner, "spinning", &spinning, NULL);
  g_assert_false (spinning);

  desk_spinner_set_busy (spinner, TRUE);
  g_assert_finalize_object (spinner);
  spin_main_loop (DESK_SPINNER_DELAY_MS + 100);
}

static gint64
raw_count (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 2000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gboolean
release_lock (gpointer data)
{
  sqlite3 *writer = data;

  g_assert_cmpint (sqlite3_exec (writer, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (writer);
  return G_SOURCE_REMOVE;
}

/* An older clinic is brought up to date in the background, and the window
 * says so meanwhile (on a large clinic it takes a minute). */
static void
test_window_open_older (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  DeskTestLabelShown shown;
  DeskWindow *window;
  sqlite3 *writer = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  g_object_unref (_desk_store_create_at_version (path, "Older Clinic", 3, &error));
  g_assert_no_error (error);

  /* Another program writing keeps the upgrade waiting long enough to look. */
  g_assert_cmpint (sqlite3_open (path, &writer), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (writer, "BEGIN IMMEDIATE;"
                                         " UPDATE clinic SET name = name WHERE id = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  file = g_file_new_for_path (path);
  window = desk_test_new_window ();
  desk_window_open (window, file);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_LOADING);
  shown.root = GTK_WIDGET (window);
  shown.text = "Updating the Clinic Record…";
  wait_until (desk_test_label_shown, &shown, "the window to say the clinic is being updated");
  g_timeout_add (200, release_lock, writer);

  wait_until (desk_test_window_not_loading, window, "the upgrade");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  g_assert_cmpint (raw_count (path, "PRAGMA user_version"), ==, DESK_SCHEMA_VERSION);
  desk_test_destroy_window (window);
}

typedef struct
{
  const char *path;
  gint64      buckets;
} Buckets;

static gboolean
buckets_split (gpointer data)
{
  Buckets *buckets = data;

  return raw_count (buckets->path, "SELECT count (*) FROM client_search_buckets") >
         buckets->buckets;
}

/* Once a sound clinic is on screen, the search index's buckets it has
 * outgrown are split in the background. */
static void
test_window_balances_search (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  DeskWindow *window;
  Buckets buckets;
  sqlite3 *db = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  g_object_unref (desk_test_demo_store (path, 300, 3));

  /* 2,000 clients of one family, all in one bucket. */
  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (sql, "INSERT INTO clients (given_name, family_name, date_of_birth,"
                                 " primary_practitioner_id, created_at, search_text, sort_key)"
                                 " VALUES ('Given%04u', 'Bucketson', '1980-01-01', 2, 0,"
                                 " 'given%04u bucketson', 'bucketson given%04u');",
                            i, i, i);
  g_string_append (sql, "COMMIT;");
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  buckets.path = path;
  buckets.buckets = raw_count (path, "SELECT count (*) FROM client_search_buckets");
  g_assert_cmpint (buckets.buckets, >, 0);

  file = g_file_new_for_path (path);
  window = desk_test_new_window ();
  desk_window_open (window, file);
  wait_until (buckets_split, &buckets, "the search index's buckets to be split");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  desk_test_destroy_window (window);
}

static void
test_window_open_file (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  DeskWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  g_object_unref (desk_test_demo_store (path, 50, 3));
  file = g_file_new_for_path (path);

  window = desk_test_new_window ();
  desk_window_open (window, file);
  wait_until (desk_test_window_not_loading, window, "the clinic to open");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  g_assert_nonnull (desk_window_get_store (window));
  desk_test_sign_in (window);
  g_assert_cmpstr (desk_store_get_path (desk_window_get_store (window)), ==, path);

  wait_until (desk_test_list_loaded, desk_clients_view_get_list (desk_window_get_clients_view (window)),
              "the clients");
  desk_test_destroy_window (window);
}

static void
test_window_shortcuts (void)
{
  const struct {
    const char *trigger;
    const char *action;
  } expected[] = {
    { "<Control>f", "win.search" },
    { "<Alt>1", "win.show-members" },
    { "<Alt>2", "win.show-clients" },
    { "<Control>o", "win.open" },
  };
  DeskWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  window = desk_test_new_window ();

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      GtkShortcut *shortcut = desk_test_find_shortcut (GTK_WIDGET (window), expected[e].trigger);
      GtkShortcutAction *action = shortcut != NULL ? gtk_shortcut_get_action (shortcut) : NULL;

      if (!GTK_IS_NAMED_ACTION (action) ||
          g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                     expected[e].action) != 0)
        g_error ("No shortcut %s for %s", expected[e].trigger, expected[e].action);
    }

  /* Without a clinic there is nothing to search or switch to. */
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_WELCOME);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_WELCOME);

  desk_test_destroy_window (window);
}

static void
test_window_folded_navigation (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  DeskWindow *window;
  DeskClientsView *clients_view;
  GtkListView *list_view;
  AdwLeaflet *leaflet;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 40, 11);

  window = desk_test_new_window_sized (400, 700);
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL));

  clients_view = desk_window_get_clients_view (window);
  list_view = desk_clients_view_get_list_view (clients_view);
  leaflet = ADW_LEAFLET (gtk_widget_get_ancestor (GTK_WIDGET (list_view), ADW_TYPE_LEAFLET));
  wait_until (desk_test_list_loaded, desk_clients_view_get_list (clients_view), "the clients");
  {
    g_autoptr(DeskClient) first = g_list_model_get_item (G_LIST_MODEL (desk_clients_view_get_list (clients_view)), 0);
    DeskTestLabelShown shown = { GTK_WIDGET (list_view), desk_client_get_display_name (first) };

    wait_until (desk_test_label_shown, &shown, "a client's row");
  }

  /* Narrow: one pane at a time, the list first. */
  wait_until (leaflet_folded, leaflet, "the narrow window to fold");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  /* Activating a row (Enter) shows its details... */
  g_signal_emit_by_name (list_view, "activate", 2);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "detail");
  g_assert_true (gtk_selection_model_is_selected (gtk_list_view_get_model (list_view), 2));

  /* ...and Ctrl+F goes back to the list's search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  desk_test_destroy_window (window);
}

/* Clinic data is text, never markup: an "&" or a "<" must show as it is
 * (and not make GTK warn, which G_DEBUG=fatal-warnings turns into a failure). */
static void
test_window_details_plain_text (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  DeskWindow *window;
  DeskClientsView *clients_view;
  DeskMembersView *members_view;
  GtkSelectionModel *selection;
  sqlite3 *db = NULL;
  guint n_items;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 40, 5);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE documents SET title = 'Blood work & <results>';"
                                 "UPDATE clients SET discharge_reason = 'Moved & <away>' WHERE status = 'inactive';"
                                 "UPDATE members SET title = 'Nurse & <midwife>';"
                                 "UPDATE members SET deactivation_reason = 'Left & <moved>' WHERE status = 'deactivated';",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  clients_view = desk_window_get_clients_view (window);
  members_view = desk_window_get_members_view (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL));
  wait_until (desk_test_list_loaded, desk_clients_view_get_list (clients_view), "the clients");

  /* Every client's details, documents and all. */
  selection = gtk_list_view_get_model (desk_clients_view_get_list_view (clients_view));
  n_items = g_list_model_get_n_items (G_LIST_MODEL (selection));
  g_assert_cmpuint (n_items, ==, 40);
  for (guint i = 0; i < n_items; i++)
    {
      gtk_selection_model_select_item (selection, i, TRUE);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  /* Every member's, deactivated ones too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-members", NULL));
  for (guint status = 0; status < 2; status++)
    {
      desk_members_view_set_status (members_view, status);
      wait_until (desk_test_list_loaded, desk_members_view_get_list (members_view, status), "the members");
      selection = gtk_list_view_get_model (desk_members_view_get_list_view (members_view));
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
        {
          gtk_selection_model_select_item (selection, i, TRUE);
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
    }

  desk_test_destroy_window (window);
}

static void
test_window_saves_size (void)
{
  g_autoptr(GSettings) settings = NULL;
  DeskWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  settings = g_settings_new (APP_ID);
  window = desk_test_new_window_sized (900, 650);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* Closing (not destroying) is what saves, as the window manager's close button does. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

/* The search entry has handed its text over and the model is done with it,
 * whether it ran or refused it. */
static gboolean
search_settled (gpointer data)
{
  SearchDone *done = data;

  return g_strcmp0 (desk_record_list_get_search (done->list), done->search) == 0 &&
         !desk_record_list_get_loading (done->list);
}

/* A search the model refuses (a pasted page, bytes that are not text) finds
 * nothing, and the page says why in words, not SQLite's. */
static void
test_window_refused_search (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GString) long_search = g_string_new (NULL);
  DeskWindow *window;
  DeskMembersView *members_view;
  DeskClientsView *clients_view;
  DeskRecordList *active, *clients;
  const char *too_many = "A search can have at most 16 words. Search for fewer words.";

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  for (guint i = 0; i < 1000; i++)
    g_string_append (long_search, "lee ");

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 7);
  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);

  members_view = desk_window_get_members_view (window);
  clients_view = desk_window_get_clients_view (window);
  active = desk_members_view_get_list (members_view, DESK_MEMBER_STATUS_ACTIVE);
  clients = desk_clients_view_get_list (clients_view);
  wait_until (desk_test_list_loaded, active, "the active members");
  wait_until (desk_test_list_loaded, clients, "the clients");

  /* The members. */
  gtk_editable_set_text (desk_members_view_get_search_entry (members_view), long_search->str);
  {
    SearchDone done = { active, long_search->str };
    DeskTestLabelShown shown = { GTK_WIDGET (members_view), too_many };

    wait_until (search_settled, &done, "the members' refused search");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), ==, 0);
    g_assert_cmpstr (desk_members_view_get_content_page (members_view), ==,
                     DESK_LIST_PAGE_NO_RESULTS);
    wait_until (desk_test_label_shown, &shown, "the members' search error");
  }

  /* The clients, and a search that is fine again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL));
  gtk_editable_set_text (desk_clients_view_get_search_entry (clients_view), long_search->str);
  {
    SearchDone done = { clients, long_search->str };
    DeskTestLabelShown shown = { GTK_WIDGET (clients_view), too_many };

    wait_until (search_settled, &done, "the clients' refused search");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (clients)), ==, 0);
    g_assert_cmpstr (desk_clients_view_get_content_page (clients_view), ==,
                     DESK_LIST_PAGE_NO_RESULTS);
    wait_until (desk_test_label_shown, &shown, "the clients' search error");
  }
  gtk_editable_set_text (desk_clients_view_get_search_entry (clients_view), "qxzjvw");
  {
    SearchDone done = { clients, "qxzjvw" };
    DeskTestLabelShown shown = { GTK_WIDGET (clients_view), "Try a different search or filter" };

    wait_until (search_done, &done, "the nonsense search");
    g_assert_null (desk_record_list_get_error (clients));
    wait_until (desk_test_label_shown, &shown, "the usual words");
  }

  desk_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add_func ("/closures/list-page", test_closures_list_page);
  g_test_add_func ("/closures/client", test_closures_client);
  g_test_add_func ("/closures/dates", test_closures_dates);
  g_test_add_func ("/closures/members", test_closures_members);
  g_test_add_func ("/selection/follows-changes", test_selection_follows_changes);
  g_test_add_func ("/window/lists-and-search", test_window_lists_and_search);
  g_test_add_func ("/window/balances-search", test_window_balances_search);
  g_test_add_func ("/window/fast-typing", test_window_fast_typing);
  g_test_add_func ("/spinner/delayed", test_delayed_spinner);
  g_test_add_func ("/window/open-older", test_window_open_older);
  g_test_add_func ("/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/window/folded-navigation", test_window_folded_navigation);
  g_test_add_func ("/window/details-plain-text", test_window_details_plain_text);
  g_test_add_func ("/window/saves-size", test_window_saves_size);
  g_test_add_func ("/window/empty-clinic", test_window_empty_clinic);
  g_test_add_func ("/window/open/errors", test_window_open_errors);
  g_test_add_func ("/window/open/file", test_window_open_file);
  g_test_add_func ("/window/open/corrupt", test_window_open_corrupt);
  g_test_add_func ("/window/refused-search", test_window_refused_search);

  return g_test_run ();
}
