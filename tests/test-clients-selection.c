/* test-clients-selection.c: the clients view's selection mode and its bulk actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Through the real window and its widgets: "Select", the check buttons,
 * Ctrl+click, Shift+click and Ctrl+A (the list view's own actions, which
 * its keys and clicks call), the count in the bar, Escape; a discharge and
 * a portal shutdown of exactly the clients selected, checked through the
 * model's public API; the password asked for portal access (a wrong one
 * changes nothing); Cancel; the selection kept on the same clients when
 * the list refreshes, and gone after a new search and at sign-out.  And
 * the marks under it, alone: remapped by id, edits made meanwhile kept.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "desk-client-change.h"
#include "desk-client.h"
#include "desk-portal.h"
#include "desk-record-list.h"
#include "desk-record-row.h"
#include "desk-record-selection.h"
#include "desk-reauth-dialog.h"
#include "desk-session.h"
#include "desk-test-util.h"
#include "desk-test-window.h"

#define N_CLIENTS 600

static gboolean have_display;

typedef struct
{
  DeskTestDir     *dir;
  DeskStore       *store;
  DeskWindow      *window;
  GSettings       *settings;
  DeskClientsView *view;
  GtkListView     *list_view;
} Fixture;

static DeskRecordList *
list_of (Fixture *f)
{
  return desk_clients_view_get_list (f->view);
}

static DeskRecordSelection *
selection_of (Fixture *f)
{
  return DESK_RECORD_SELECTION (gtk_list_view_get_model (f->list_view));
}

static DeskRecordMarks *
marks_of (Fixture *f)
{
  return desk_record_selection_get_marks (selection_of (f));
}

static gboolean
settled (gpointer data)
{
  Fixture *f = data;

  return desk_test_list_loaded (list_of (f)) && !desk_clients_view_get_bulk_busy (f->view) &&
         (marks_of (f) == NULL || !desk_record_marks_get_remapping (marks_of (f)));
}

static void
wait_settled (Fixture *f)
{
  wait_until (settled, f, "the list, its marks and the bulk action to settle");
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
fixture_set_up (Fixture *f)
{
  g_autofree char *path = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return FALSE;
    }

  f->dir = desk_test_dir_new ();
  path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (path, N_CLIENTS, 13);
  /* The password every time: the keyring is not asked. */
  f->settings = g_settings_new (APP_ID);
  g_settings_set_int (f->settings, "reauth-grace-minutes", 0);
  f->window = desk_test_new_window ();
  desk_window_set_store (f->window, f->store);
  desk_test_sign_in (f->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-clients", NULL));
  f->view = desk_window_get_clients_view (f->window);
  f->list_view = desk_clients_view_get_list_view (f->view);
  wait_settled (f);
  return TRUE;
}

static void
fixture_tear_down (Fixture *f)
{
  desk_test_destroy_window (f->window);
  g_settings_reset (f->settings, "reauth-grace-minutes");
  g_clear_object (&f->settings);
  g_clear_object (&f->store);
  g_clear_pointer (&f->dir, desk_test_dir_free);
}

/* A click on the row at @position: Ctrl (@modify), Shift (@extend). */
static void
click_row (Fixture  *f,
           guint     position,
           gboolean  modify,
           gboolean  extend)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->list_view), "list.select-item",
                                             "(ubb)", position, modify, extend));
}

static void
set_selection_mode (Fixture  *f,
                    gboolean  active)
{
  gtk_toggle_button_set_active (desk_clients_view_get_select_button (f->view), active);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  GArray **ids;
} IdsWait;

static void
on_ids (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = desk_record_marks_dup_ids_finish (DESK_RECORD_MARKS (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
array_set (gpointer data)
{
  return *(GArray **) data != NULL;
}

/* The ids of the clients marked, read as the bulk actions read them. */
static GArray *
marked_ids (DeskRecordMarks *marks)
{
  GArray *ids = NULL;

  desk_record_marks_dup_ids_async (marks, NULL, on_ids, &ids);
  wait_until (array_set, &ids, "the ids marked");
  return ids;
}

static gint64
id_at (DeskRecordList *list,
       guint           position)
{
  g_autoptr(DeskClient) client = g_list_model_get_item (G_LIST_MODEL (list), position);

  g_assert_nonnull (client);
  return desk_client_get_id (client);
}

static void
assert_marked_positions (Fixture     *f,
                         const guint *positions,
                         guint        n)
{
  g_autoptr(GArray) ids = marked_ids (marks_of (f));

  g_assert_cmpuint (desk_record_marks_get_n_marked (marks_of (f)), ==, n);
  g_assert_cmpuint (ids->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection_of (f)),
                                                      positions[i]));
      g_assert_cmpint (g_array_index (ids, gint64, i), ==, id_at (list_of (f), positions[i]));
    }
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

/* Every row the user can see shows a check button (in selection mode) or
 * none, checked when its row is selected. */
static void
assert_checks (Fixture  *f,
               gboolean  shown)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint seen = 0;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  collect_rows (GTK_WIDGET (f->list_view), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      DeskRecordRow *row = g_ptr_array_index (rows, i);
      GtkWidget *check = desk_record_row_get_start (row);
      guint position = desk_record_row_get_position (row);

      if (!gtk_widget_get_mapped (GTK_WIDGET (row)))
        continue;
      seen++;
      if (!shown)
        {
          g_assert_true (check == NULL || !gtk_widget_get_visible (check));
          continue;
        }
      g_assert_nonnull (check);
      g_assert_true (gtk_widget_get_mapped (check));
      g_assert_cmpint (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)), ==,
                       gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection_of (f)),
                                                        position));
      /* Named by the client it selects. */
      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (check),
                                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY));
    }
  g_assert_cmpuint (seen, >, 5);
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the bar's button for @action, which must be sensitive. */
static void
click_bulk (Fixture    *f,
            const char *action)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (f->view), action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* The bar slides in. */
  wait_until ((DeskTestCondition) gtk_widget_get_mapped, button, "the bar's buttons");
  g_signal_emit_by_name (button, "clicked");
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
reauth_dialog_shown (gpointer data)
{
  return find_toplevel (DESK_TYPE_REAUTH_DIALOG) != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL &&
         find_toplevel (DESK_TYPE_REAUTH_DIALOG) == NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the dialog's button labelled @label, as the member does. */
static void
respond (AdwMessageDialog *dialog,
         const char       *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static AdwMessageDialog *
wait_for_question (const char *heading)
{
  AdwMessageDialog *dialog;

  wait_until (message_dialog_shown, NULL, "the question");
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  return dialog;
}

static void
wait_for_toast (Fixture    *f,
                const char *text)
{
  DeskTestLabelShown shown = { GTK_WIDGET (f->window), text };

  wait_until (desk_test_label_shown, &shown, text);
}

static GtkWidget *
find_toast_button (GtkWidget *widget,
                   gboolean   in_toast)
{
  in_toast = in_toast || g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");
  if (in_toast && GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toast_button (child, in_toast);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The toast shown is dismissed (a window without focus keeps it, and the
 * next one waits behind it). */
static void
dismiss_toast (Fixture *f)
{
  GtkWidget *button = find_toast_button (GTK_WIDGET (f->window), FALSE);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Every client's status, reason and portal access, through the model. */
static GHashTable *
clients_state (Fixture *f)
{
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (f->store);
  g_autoptr(GError) error = NULL;
  GHashTable *state = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CLIENTS);
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_autoptr(DeskClient) client = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autoptr(GError) status_error = NULL;
      gint64 *id = g_new (gint64, 1);
      DeskPortalStatus status;

      *id = desk_client_get_id (client);
      g_assert_true (desk_portal_get_status (f->store, *id, &status, &status_error));
      g_hash_table_insert (state, id,
                           g_strdup_printf ("%d/%s/%d/%d", desk_client_get_is_active (client),
                                            desk_client_get_discharge_reason (client) != NULL
                                              ? desk_client_get_discharge_reason (client) : "",
                                            desk_client_get_portal_enabled (client),
                                            status.state));
    }
  return state;
}

/* Only the clients of @changed (their ids, @n of them) differ. */
static void
assert_only_changed (GHashTable   *before,
                     GHashTable   *after,
                     const gint64 *changed,
                     guint         n)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = *(gint64 *) key;
      gboolean expected = FALSE;

      for (guint i = 0; i < n; i++)
        expected = expected || changed[i] == id;
      g_assert_cmpint (g_strcmp0 (value, g_hash_table_lookup (after, &id)) != 0, ==, expected);
    }
}

/* Positions among the first rows of clients that @want says. */
typedef gboolean (*ClientTest) (DeskClient *client);

static guint
find_positions (Fixture    *f,
                ClientTest  want,
                guint       n,
                guint      *positions)
{
  guint found = 0;

  for (guint i = 0; i < 40 && found < n; i++)
    {
      g_autoptr(DeskClient) client = g_list_model_get_item (G_LIST_MODEL (list_of (f)), i);

      if (want (client))
        positions[found++] = i;
    }
  g_assert_cmpuint (found, ==, n);
  return found;
}

static gboolean
is_active (DeskClient *client)
{
  return desk_client_get_is_active (client);
}

static gboolean
has_portal (DeskClient *client)
{
  return desk_client_get_portal_enabled (client);
}

static gboolean
lacks_portal (DeskClient *client)
{
  return !desk_client_get_portal_enabled (client);
}

/* Selection mode: entering, the count, clicks, check buttons, Ctrl+A, Escape. */
static void
test_mode (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  DeskRecordSelection *selection;
  GtkWidget *check = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GListModel *controllers;
  gboolean escaped = FALSE;

  if (!fixture_set_up (f))
    return;
  selection = selection_of (f);
  g_assert_false (desk_record_selection_get_multiple (selection));
  g_assert_true (gtk_test_accessible_check_property (GTK_ACCESSIBLE (desk_clients_view_get_select_button (f->view)),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, "Select") == NULL);
  assert_checks (f, FALSE);
  /* Outside selection mode the bulk actions are off. */
  g_assert_false (gtk_widget_is_sensitive (find_actionable (GTK_WIDGET (f->view), "clients.discharge")));

  set_selection_mode (f, TRUE);
  g_assert_true (desk_record_selection_get_multiple (selection));
  g_assert_false (gtk_list_view_get_single_click_activate (f->list_view));
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "No clients selected");
  g_assert_false (gtk_widget_is_sensitive (find_actionable (GTK_WIDGET (f->view), "clients.discharge")));
  /* The single selection (row 0) is not shown as selected. */
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), 0));
  assert_checks (f, TRUE);

  /* A click selects that row alone; Ctrl+click adds and takes away. */
  click_row (f, 3, FALSE, FALSE);
  click_row (f, 5, TRUE, FALSE);
  click_row (f, 7, TRUE, FALSE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "3 clients selected");
  click_row (f, 5, TRUE, FALSE);
  {
    const guint positions[] = { 3, 7 };

    assert_marked_positions (f, positions, 2);
  }
  click_row (f, 1, FALSE, FALSE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "1 client selected");
  g_assert_true (gtk_widget_is_sensitive (find_actionable (GTK_WIDGET (f->view), "clients.discharge")));
  /* The client shown beside the list stays the one shown before. */
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 0);

  /* A row's check button (Space on it, or a click) toggles that row only. */
  collect_rows (GTK_WIDGET (f->list_view), rows);
  for (guint i = 0; i < rows->len; i++)
    if (desk_record_row_get_position (g_ptr_array_index (rows, i)) == 9)
      check = desk_record_row_get_start (g_ptr_array_index (rows, i));
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  {
    const guint positions[] = { 1, 9 };

    assert_marked_positions (f, positions, 2);
  }
  assert_checks (f, TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "1 client selected");

  /* Ctrl+A: every client of the list, none read. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->list_view), "list.select-all", NULL));
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "600 clients selected");
  assert_checks (f, TRUE);
  {
    g_autoptr(GArray) ids = marked_ids (marks_of (f));
    g_autoptr(GBytes) list_ids = desk_record_list_dup_ids (list_of (f));

    g_assert_cmpuint (ids->len, ==, N_CLIENTS);
    g_assert_cmpmem (ids->data, ids->len * sizeof (gint64),
                     g_bytes_get_data (list_ids, NULL), g_bytes_get_size (list_ids));
  }

  /* Escape (the view's shortcut) leaves selection mode, and its selection. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->view));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, "Escape"))
            escaped = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                    GTK_WIDGET (f->view), NULL);
        }
    }
  g_object_unref (controllers);
  g_assert_true (escaped);
  g_assert_false (gtk_toggle_button_get_active (desk_clients_view_get_select_button (f->view)));
  g_assert_false (desk_record_selection_get_multiple (selection));
  g_assert_cmpuint (desk_record_marks_get_n_marked (marks_of (f)), ==, 0);
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection), 0));
  assert_checks (f, FALSE);

  /* Back in: nothing selected. */
  set_selection_mode (f, TRUE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "No clients selected");
  assert_checks (f, TRUE);

  fixture_tear_down (f);
}

/* Shift+click selects the range from the last row clicked: 296 rows, their
 * ids read on a worker, none of their records. */
static void
test_shift_range (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  g_autoptr(GArray) ids = NULL;
  guint fetched;

  if (!fixture_set_up (f))
    return;
  set_selection_mode (f, TRUE);
  click_row (f, 5, FALSE, FALSE);
  fetched = desk_record_list_get_rows_fetched (list_of (f));
  click_row (f, 300, FALSE, TRUE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "296 clients selected");
  ids = marked_ids (marks_of (f));
  /* Named from the list's ids: no row was read to select them. */
  g_assert_cmpuint (desk_record_list_get_rows_fetched (list_of (f)), ==, fetched);
  g_assert_cmpuint (ids->len, ==, 296);
  {
    g_autoptr(GBytes) list_ids = desk_record_list_dup_ids (list_of (f));
    const gint64 *all = g_bytes_get_data (list_ids, NULL);

    g_assert_cmpmem (ids->data, 296 * sizeof (gint64), all + 5, 296 * sizeof (gint64));
  }
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection_of (f)), 4));
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (selection_of (f)), 301));

  /* Shift+click above the anchor: the range from it, alone. */
  click_row (f, 2, FALSE, TRUE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "4 clients selected");
  /* Ctrl+Shift+click adds a range. */
  click_row (f, 20, TRUE, FALSE);
  click_row (f, 24, TRUE, TRUE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "9 clients selected");

  fixture_tear_down (f);
}

/* Discharge…: the reason is required; exactly the clients selected are
 * discharged, their portal access as it was; the list shows it and the
 * selection stays on them. */
static void
test_discharge (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *reason;
  guint positions[3];
  gint64 ids[3];

  if (!fixture_set_up (f))
    return;
  find_positions (f, is_active, 3, positions);
  for (guint i = 0; i < 3; i++)
    ids[i] = id_at (list_of (f), positions[i]);
  before = clients_state (f);

  set_selection_mode (f, TRUE);
  for (guint i = 0; i < 3; i++)
    click_row (f, positions[i], TRUE, FALSE);
  click_bulk (f, "clients.discharge");
  dialog = wait_for_question ("Discharge 3 Clients?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "Their portal access is not changed"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  g_assert_true (desk_clients_view_get_bulk_busy (f->view));

  /* No reason, no discharge. */
  reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "discharge"));
  gtk_editable_set_text (reason, "   ");
  g_signal_emit_by_name (gtk_editable_get_delegate (reason), "activate");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "discharge"));
  g_assert_true (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == GTK_WINDOW (dialog));
  gtk_editable_set_text (reason, "Moved to another clinic");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "discharge"));
  g_signal_emit_by_name (gtk_editable_get_delegate (reason), "activate");

  wait_for_toast (f, "3 clients discharged");
  wait_until (no_dialog, NULL, "the question to close");
  wait_settled (f);
  after = clients_state (f);
  assert_only_changed (before, after, ids, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskClient) client = desk_client_load (f->store, ids[i], &error);

      g_assert_no_error (error);
      g_assert_false (desk_client_get_is_active (client));
      g_assert_cmpstr (desk_client_get_discharge_reason (client), ==, "Moved to another clinic");
    }
  /* The list refreshed; the same clients stay selected. */
  assert_marked_positions (f, positions, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DeskClient) shown = g_list_model_get_item (G_LIST_MODEL (list_of (f)), positions[i]);

      g_assert_false (desk_client_get_is_active (shown));
    }
  assert_checks (f, TRUE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "3 clients selected");

  /* Again, now that they are inactive: nothing to do, and it says so. */
  dismiss_toast (f);
  click_bulk (f, "clients.discharge");
  dialog = wait_for_question ("Discharge 3 Clients?");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Again");
  respond (dialog, "_Discharge");
  wait_for_toast (f, "No client was discharged. 3 were already inactive.");

  fixture_tear_down (f);
}

/* Cancel, at each question, changes nothing. */
static void
test_cancel (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  AdwMessageDialog *dialog;
  guint positions[2];

  if (!fixture_set_up (f))
    return;
  find_positions (f, has_portal, 2, positions);
  before = clients_state (f);
  set_selection_mode (f, TRUE);
  click_row (f, positions[0], TRUE, FALSE);
  click_row (f, positions[1], TRUE, FALSE);

  click_bulk (f, "clients.discharge");
  dialog = wait_for_question ("Discharge 2 Clients?");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Moved");
  respond (dialog, "_Cancel");
  wait_until (no_dialog, NULL, "the question to close");
  wait_settled (f);

  click_bulk (f, "clients.activate");
  dialog = wait_for_question ("Make 2 Clients Active Again?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "Their portal access is not changed"));
  gtk_window_close (GTK_WINDOW (dialog));
  wait_until (no_dialog, NULL, "the question to close");
  wait_settled (f);

  /* Portal access: Cancel at the question, then at the password. */
  click_bulk (f, "clients.disable-portal");
  dialog = wait_for_question ("Turn Off Portal Access for 2 Clients?");
  respond (dialog, "_Cancel");
  wait_until (no_dialog, NULL, "the question to close");
  wait_settled (f);
  click_bulk (f, "clients.disable-portal");
  dialog = wait_for_question ("Turn Off Portal Access for 2 Clients?");
  respond (dialog, "_Turn Off");
  wait_until (reauth_dialog_shown, NULL, "the password");
  gtk_window_close (find_toplevel (DESK_TYPE_REAUTH_DIALOG));
  wait_until (no_dialog, NULL, "the password to close");
  wait_settled (f);

  after = clients_state (f);
  assert_only_changed (before, after, NULL, 0);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "2 clients selected");
  g_assert_true (gtk_widget_is_sensitive (find_actionable (GTK_WIDGET (f->view), "clients.discharge")));

  fixture_tear_down (f);
}

static int
compare_positions (const void *a,
                   const void *b)
{
  guint pa = *(const guint *) a, pb = *(const guint *) b;

  return pa < pb ? -1 : pa > pb;
}

/* Turn Off Portal Access…: says how many clients, asks for the password;
 * a wrong one changes nothing and says so; the right one turns off exactly
 * those clients' access, their status as it was. */
static void
test_disable_portal (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  AdwMessageDialog *dialog;
  DeskReauthDialog *reauth;
  guint positions[3];
  gint64 ids[2];

  if (!fixture_set_up (f))
    return;
  find_positions (f, has_portal, 2, positions);
  find_positions (f, lacks_portal, 1, positions + 2);
  for (guint i = 0; i < 2; i++)
    ids[i] = id_at (list_of (f), positions[i]);
  before = clients_state (f);
  /* In the list's order, as the marks are. */
  qsort (positions, 3, sizeof (guint), compare_positions);

  set_selection_mode (f, TRUE);
  for (guint i = 0; i < 3; i++)
    click_row (f, positions[i], TRUE, FALSE);
  click_bulk (f, "clients.disable-portal");
  dialog = wait_for_question ("Turn Off Portal Access for 3 Clients?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "can no longer sign in to the portal"));
  respond (dialog, "_Turn Off");
  wait_until (reauth_dialog_shown, NULL, "the password");
  reauth = DESK_REAUTH_DIALOG (find_toplevel (DESK_TYPE_REAUTH_DIALOG));

  gtk_editable_set_text (desk_reauth_dialog_get_password (reauth), "not the password");
  g_signal_emit_by_name (desk_reauth_dialog_get_password (reauth), "activate");
  while (desk_reauth_dialog_get_busy (reauth))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (desk_reauth_dialog_get_error (reauth), ==,
                   "The username or password is not right. Check them and try again.");
  after = clients_state (f);
  assert_only_changed (before, after, NULL, 0);
  g_clear_pointer (&after, g_hash_table_unref);
  g_assert_true (desk_clients_view_get_bulk_busy (f->view));

  gtk_editable_set_text (desk_reauth_dialog_get_password (reauth), DESK_DEMO_PASSWORD);
  g_signal_emit_by_name (desk_reauth_dialog_get_password (reauth), "activate");
  wait_for_toast (f, "Portal access turned off for 2 clients. 1 already had it off.");
  wait_settled (f);

  after = clients_state (f);
  assert_only_changed (before, after, ids, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskClient) client = desk_client_load (f->store, ids[i], &error);
      DeskPortalStatus status;

      g_assert_true (desk_portal_get_status (f->store, ids[i], &status, &error));
      g_assert_cmpint (status.state, ==, DESK_PORTAL_STATE_DISABLED);
      g_assert_cmpint (desk_client_get_is_active (client), ==,
                       g_str_has_prefix (g_hash_table_lookup (before, &ids[i]), "1/"));
    }
  assert_marked_positions (f, positions, 3);

  fixture_tear_down (f);
}

/* The model refuses (the permission was taken away on another
 * workstation): a clear message, nothing changed, nothing half-done. */
static void
test_refused (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  AdwMessageDialog *dialog;
  guint positions[2];

  if (!fixture_set_up (f))
    return;
  find_positions (f, is_active, 2, positions);
  before = clients_state (f);
  set_selection_mode (f, TRUE);
  click_row (f, positions[0], TRUE, FALSE);
  click_row (f, positions[1], TRUE, FALSE);

  desk_test_exec (f->store, "DELETE FROM role_permissions WHERE permission = 'manage-clients'");
  click_bulk (f, "clients.discharge");
  dialog = wait_for_question ("Discharge 2 Clients?");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Moved");
  respond (dialog, "_Discharge");
  wait_for_toast (f, "Nothing was changed. You do not have the “manage clients” permission. "
                     "Ask a clinic administrator.");
  wait_settled (f);
  after = clients_state (f);
  assert_only_changed (before, after, NULL, 0);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "2 clients selected");

  fixture_tear_down (f);
}

/* Another client leaves the filtered list (discharged elsewhere): the rows
 * after it move up, and the selection moves with its clients. */
static void
test_refresh_keeps_selection (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids_before = NULL;
  g_autoptr(GArray) ids_after = NULL;
  const guint positions[] = { 2, 5, 9 };
  const guint moved[] = { 1, 4, 8 };
  guint n_items;

  if (!fixture_set_up (f))
    return;
  gtk_drop_down_set_selected (desk_clients_view_get_status_filter (f->view),
                              DESK_CLIENT_STATUS_FILTER_ACTIVE);
  wait_settled (f);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list_of (f)));
  set_selection_mode (f, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    click_row (f, positions[i], TRUE, FALSE);
  ids_before = marked_ids (marks_of (f));

  session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (desk_client_discharge (session, id_at (list_of (f), 1), "Moved away", &error));
  g_assert_no_error (error);
  /* The window notices another program's change within a second. */
  {
    gint64 deadline = g_get_monotonic_time () + DESK_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;

    while (g_list_model_get_n_items (G_LIST_MODEL (list_of (f))) != n_items - 1)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  wait_settled (f);

  assert_marked_positions (f, moved, 3);
  ids_after = marked_ids (marks_of (f));
  g_assert_cmpmem (ids_before->data, 3 * sizeof (gint64), ids_after->data, 3 * sizeof (gint64));
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "3 clients selected");
  assert_checks (f, TRUE);

  fixture_tear_down (f);
}

static gboolean
nothing_selected (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (desk_clients_view_get_selection_text (f->view), "No clients selected") == 0;
}

/* A new search or filter starts with nothing selected; sign-out ends
 * selection mode, closes its question and forgets all of it. */
static void
test_cleared (void)
{
  Fixture fixture = { NULL, }, *f = &fixture;
  DeskRecordSelection *selection;

  if (!fixture_set_up (f))
    return;
  set_selection_mode (f, TRUE);
  click_row (f, 1, TRUE, FALSE);
  click_row (f, 2, TRUE, FALSE);
  gtk_editable_set_text (desk_clients_view_get_search_entry (f->view), "a");
  /* When the search changes (the entry waits for the typing to stop). */
  wait_until (nothing_selected, f, "the selection cleared");
  g_assert_cmpstr (desk_record_list_get_search (list_of (f)), ==, "a");
  wait_settled (f);
  g_assert_cmpuint (desk_record_marks_get_n_marked (marks_of (f)), ==, 0);

  click_row (f, 0, TRUE, FALSE);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "1 client selected");
  gtk_drop_down_set_selected (desk_clients_view_get_portal_filter (f->view),
                              DESK_PORTAL_FILTER_ENABLED);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "No clients selected");
  wait_settled (f);

  click_row (f, 0, TRUE, FALSE);
  click_bulk (f, "clients.discharge");
  wait_for_question ("Discharge 1 Client?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-out", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (desk_window_get_page (f->window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  wait_until (no_dialog, NULL, "the question to close");
  g_assert_false (gtk_toggle_button_get_active (desk_clients_view_get_select_button (f->view)));
  g_assert_false (desk_clients_view_get_bulk_busy (f->view));

  desk_test_sign_in (f->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-clients", NULL));
  wait_settled (f);
  selection = selection_of (f);
  g_assert_false (desk_record_selection_get_multiple (selection));
  g_assert_cmpuint (desk_record_marks_get_n_marked (desk_record_selection_get_marks (selection)),
                    ==, 0);
  g_assert_cmpstr (desk_clients_view_get_selection_text (f->view), ==, "No clients selected");
  assert_checks (f, FALSE);

  fixture_tear_down (f);
}

/* The marks under a selection, alone: a refresh that removes rows before
 * them remaps them by id on a worker; what is unmarked and marked while
 * that runs is kept. */
static gboolean
list_loaded (gpointer list)
{
  return desk_test_list_loaded (list);
}

static gboolean
remapped (gpointer marks)
{
  return !desk_record_marks_get_remapping (marks);
}

static void
test_marks_remap (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = desk_test_demo_store (path, 200, 3);
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskRecordList) list = desk_record_list_new_clients (store);
  g_autoptr(DeskRecordSelection) selection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  GtkSelectionModel *model;
  DeskRecordMarks *marks;
  gint64 gone[2];

  desk_record_list_set_status_filter (list, DESK_CLIENT_STATUS_FILTER_ACTIVE);
  g_assert_true (desk_record_list_load_sync (list, NULL, &error));
  selection = desk_record_selection_new (G_LIST_MODEL (list));
  model = GTK_SELECTION_MODEL (selection);
  marks = desk_record_selection_get_marks (selection);
  /* Single mode: no ranges. */
  g_assert_false (gtk_selection_model_select_range (model, 0, 10, FALSE));
  desk_record_selection_set_multiple (selection, TRUE);

  g_assert_true (gtk_selection_model_select_range (model, 20, 30, FALSE));   /* 20..49 */
  g_assert_true (gtk_selection_model_select_item (model, 100, FALSE));
  g_assert_cmpuint (desk_record_marks_get_n_marked (marks), ==, 31);
  before = marked_ids (marks);

  /* Two rows before the marks leave the list. */
  session = desk_session_sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  gone[0] = id_at (list, 3);
  gone[1] = id_at (list, 30);
  g_assert_true (desk_client_discharge_many (session, gone, 2, "Moved away", NULL, NULL, &error));
  g_assert_no_error (error);
  desk_record_list_refresh (list);
  while (!desk_record_marks_get_remapping (marks))
    g_main_context_iteration (NULL, TRUE);
  /* Meanwhile, as the rows are now: 19 unmarked, 150 marked. */
  g_assert_true (gtk_selection_model_unselect_item (model, 19));
  g_assert_true (gtk_selection_model_select_item (model, 150, FALSE));
  wait_until (list_loaded, list, "the refreshed list");
  wait_until (remapped, marks, "the remap");

  /* 20..49 were the clients now at 19..47 less the one discharged at 30
   * (29 of them), and 100 is now 98; then 19 unmarked, 150 marked. */
  g_assert_cmpuint (desk_record_marks_get_n_marked (marks), ==, 30);
  after = marked_ids (marks);
  for (guint i = 0, j = 0; i < before->len; i++)
    {
      gint64 id = g_array_index (before, gint64, i);

      if (id == gone[1] || id == id_at (list, 19))
        continue;
      g_assert_cmpint (g_array_index (after, gint64, j), ==, id);
      j++;
    }
  g_assert_cmpint (g_array_index (after, gint64, after->len - 1), ==, id_at (list, 150));
  g_assert_false (gtk_selection_model_is_selected (model, 19));
  g_assert_true (gtk_selection_model_is_selected (model, 20));
  g_assert_true (gtk_selection_model_is_selected (model, 98));
  g_assert_false (gtk_selection_model_is_selected (model, 99));

  /* Leaving multiple mode forgets every mark. */
  desk_record_selection_set_multiple (selection, FALSE);
  g_assert_cmpuint (desk_record_marks_get_n_marked (marks), ==, 0);
  g_assert_false (gtk_selection_model_is_selected (model, 20));
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add_func ("/clients-selection/marks-remap", test_marks_remap);
  g_test_add_func ("/clients-selection/mode", test_mode);
  g_test_add_func ("/clients-selection/shift-range", test_shift_range);
  g_test_add_func ("/clients-selection/discharge", test_discharge);
  g_test_add_func ("/clients-selection/cancel", test_cancel);
  g_test_add_func ("/clients-selection/disable-portal", test_disable_portal);
  g_test_add_func ("/clients-selection/refused", test_refused);
  g_test_add_func ("/clients-selection/refresh-keeps-selection", test_refresh_keeps_selection);
  g_test_add_func ("/clients-selection/cleared", test_cleared);

  return g_test_run ();
}
