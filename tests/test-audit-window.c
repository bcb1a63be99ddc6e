/* test-audit-window.c: the audit log window on a demo clinic, under a (virtual) display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-audit-window.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store-private.h"
#include "desk-test-gui.h"
#include "desk-test-util.h"

static gboolean have_display;

/* Helpers */

/* The @index-th widget of @type under @widget, depth first. */
static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             guint     *index)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      if (*index == 0)
        return widget;
      (*index)--;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, index);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
nth_widget (gpointer root,
            GType    type,
            guint    index)
{
  GtkWidget *found = find_widget (root, type, &index);

  g_assert_nonnull (found);
  return found;
}

/* The label that says which filter is wrong. */
static GtkWidget *
find_error_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error"))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_error_label (child);

      if (found != NULL)
        return found;
    }

  return NULL;
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

/* How many mapped labels under @widget contain @text. */
static guint
count_mapped_labels (GtkWidget  *widget,
                     const char *text)
{
  guint n = 0;

  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_mapped_labels (child, text);

  return n;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelShown;

static gboolean
label_shown (gpointer data)
{
  LabelShown *shown = data;

  return count_mapped_labels (shown->root, shown->text) > 0;
}

static void
wait_for_label (gpointer    root,
                const char *text)
{
  LabelShown shown = { root, text };

  wait_until (label_shown, &shown, text);
}

/* The stack of the list, its empty state and its error page. */
static GtkStack *
content_stack (DeskAuditWindow *window)
{
  for (guint i = 0;; i++)
    {
      GtkStack *stack = GTK_STACK (nth_widget (window, GTK_TYPE_STACK, i));

      if (gtk_stack_get_child_by_name (stack, "error") != NULL)
        return stack;
    }
}

static DeskAuditList *
window_list (DeskAuditWindow *window)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (nth_widget (window, GTK_TYPE_COLUMN_VIEW, 0));
  GtkSelectionModel *selection = gtk_column_view_get_model (view);

  g_assert_true (GTK_IS_SINGLE_SELECTION (selection));
  return DESK_AUDIT_LIST (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection)));
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

static void
wait_for_items (DeskAuditWindow *window,
                guint            n_items)
{
  ListHas has = { window_list (window), n_items };
  g_autofree char *what = g_strdup_printf ("%u entries", n_items);

  wait_until (list_has, &has, what);
}

static gboolean
actions_loaded (gpointer data)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (data)) > 1;
}

static gboolean
not_exporting (gpointer data)
{
  return !desk_audit_window_get_exporting (data);
}

static guint
action_position (GtkDropDown *dropdown,
                 const char  *action)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), action) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

typedef struct
{
  GtkDropDown *dropdown;
  const char  *action;
} ActionListed;

static gboolean
action_listed (gpointer data)
{
  ActionListed *listed = data;

  return action_position (listed->dropdown, listed->action) != GTK_INVALID_LIST_POSITION;
}

/* The action's position in the drop-down, once the actions are read. */
static guint
find_action (GtkDropDown *dropdown,
             const char  *action)
{
  ActionListed listed = { dropdown, action };

  wait_until (action_listed, &listed, action);
  return action_position (dropdown, action);
}

static void
type_filter (GtkEntry   *entry,
             const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

static DeskStore *
new_clinic (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  DeskStore *store = desk_test_demo_store (path, 300, 1);
  sqlite3 *db = _desk_store_get_db (store);
  g_autoptr(GError) error = NULL;

  /* 40 discharges by the administrator, 10 deactivations by member 2. */
  g_assert_true (_desk_db_exec (db, "BEGIN IMMEDIATE", &error));
  for (guint i = 0; i < 40; i++)
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW - 3600 + i, 1, "client.discharge",
                                       "client", 1 + i, "Moved away\nto Quebec", NULL, &error));
  for (guint i = 0; i < 10; i++)
    g_assert_true (_desk_audit_append (db, DESK_TEST_NOW - 60 + i, 2, "member.deactivate",
                                       "member", 3 + i, "Left the clinic", NULL, &error));
  g_assert_true (_desk_db_exec (db, "COMMIT", &error));
  g_assert_no_error (error);
  return store;
}

static DeskSession *
sign_in (DeskStore  *store,
         const char *username,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  DeskSession *session = desk_session_sign_in (store, username, password, &error);

  g_assert_no_error (error);
  return session;
}

static DeskAuditWindow *
open_window (DeskSession *session)
{
  DeskAuditWindow *window = desk_audit_window_new (NULL, session);

  /* The test owns a reference, so that it can check the window is finalized. */
  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (DeskAuditWindow *window)
{
  /* Escape and Ctrl+W are shortcuts for this action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

/* Tests */

static void
test_rows_filters_export (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GFile) csv_file = NULL;
  DeskAuditWindow *window;
  GtkDropDown *dropdown;
  GtkEntry *member_entry, *client_entry, *since_entry, *until_entry;
  GtkWidget *filter_error;
  GtkStack *stack;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  store = new_clinic (dir);
  session = sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
  csv_path = g_build_filename (dir, "audit.csv", NULL);
  csv_file = g_file_new_for_path (csv_path);

  window = open_window (session);
  g_assert_true (desk_audit_window_get_session (window) == session);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Audit Log");

  /* Creation, demo data, the sign-in and the 50 above; rows on screen,
   * newest first, a reason on one line. */
  wait_for_items (window, 53);
  wait_for_label (window, "member.deactivate");
  wait_for_label (window, "client.discharge");
  wait_for_label (window, "Moved away to Quebec");
  wait_for_label (window, "53 entries");
  g_assert_cmpuint (count_mapped_labels (GTK_WIDGET (window), "System"), >, 0);

  /* The action filter: only the deactivations are left. */
  dropdown = GTK_DROP_DOWN (nth_widget (window, GTK_TYPE_DROP_DOWN, 0));
  wait_until (actions_loaded, dropdown, "the actions");
  gtk_drop_down_set_selected (dropdown, find_action (dropdown, "member.deactivate"));
  wait_for_items (window, 10);
  wait_for_label (window, "10 entries");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count_mapped_labels (GTK_WIDGET (window), "client.discharge"), ==, 0);
  g_assert_cmpuint (count_mapped_labels (GTK_WIDGET (window), "member.deactivate"), >, 0);

  /* Export what is shown; the export is itself in the log afterwards. */
  desk_audit_window_export_to_file (window, csv_file);
  g_assert_true (desk_audit_window_get_exporting (window));
  wait_until (not_exporting, window, "the export");
  csv = read_file (csv_path);
  g_assert_true (g_str_has_prefix (csv, "id,at,actor,action,target_kind,target_id,reason,"));
  g_assert_cmpuint (count_lines_with (csv, ",member.deactivate,member,"), ==, 10);
  g_assert_cmpuint (count_lines_with (csv, "client.discharge"), ==, 0);
  g_assert_cmpuint (count_lines_with (csv, ","), ==, 1 + 10);
  wait_for_label (window, "Audit log exported to");
  gtk_drop_down_set_selected (dropdown, find_action (dropdown, "audit.export"));
  wait_for_items (window, 1);

  /* A known action reads as words, in its cell and in the drop-down; its
   * code is not shown (codes are for the export and the command line). */
  wait_for_label (window, "Audit log exported");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count_mapped_labels (GTK_WIDGET (window), "Audit log exported"), >=, 2);
  g_assert_cmpuint (count_mapped_labels (GTK_WIDGET (window), "audit.export"), ==, 0);

  /* The entries, in their order in the template. */
  member_entry = GTK_ENTRY (nth_widget (window, GTK_TYPE_ENTRY, 0));
  client_entry = GTK_ENTRY (nth_widget (window, GTK_TYPE_ENTRY, 1));
  since_entry = GTK_ENTRY (nth_widget (window, GTK_TYPE_ENTRY, 2));
  until_entry = GTK_ENTRY (nth_widget (window, GTK_TYPE_ENTRY, 3));
  filter_error = find_error_label (GTK_WIDGET (window));

  /* A member by username, then by number, with a client. */
  gtk_drop_down_set_selected (dropdown, 0);
  type_filter (member_entry, "admin");
  wait_for_items (window, 40 + 1 + 1);
  type_filter (client_entry, "7");
  wait_for_items (window, 1);
  type_filter (member_entry, "2");
  wait_for_items (window, 0);
  stack = content_stack (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  wait_for_label (window, "No entries match");

  /* Dates: a bad one is named and the list keeps its last filters. */
  type_filter (member_entry, "");
  type_filter (client_entry, "");
  wait_for_items (window, 53 + 1);
  type_filter (since_entry, "2026-11-3");
  g_assert_nonnull (filter_error);
  g_assert_true (gtk_widget_get_visible (filter_error));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (filter_error)), "YYYY-MM-DD"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (since_entry), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window_list (window))), ==, 53 + 1);
  /* The day before the fixed "now": the 40 discharges and the deactivations. */
  type_filter (since_entry, "2026-11-02");
  g_assert_false (gtk_widget_get_visible (filter_error));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (since_entry), "error"));
  type_filter (until_entry, "2026-11-02");
  wait_for_items (window, 50);
  type_filter (until_entry, "2026-11-01");
  g_assert_true (gtk_widget_get_visible (filter_error));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (until_entry), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window_list (window))), ==, 50);

  /* Unknown member and client: named, nothing applied. */
  type_filter (until_entry, "");
  type_filter (member_entry, "nobody");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (member_entry), "error"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (filter_error)), "nobody"));
  type_filter (member_entry, "");
  type_filter (client_entry, "999999");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (client_entry), "error"));

  /* Clear Filters brings every entry back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "audit.clear-filters", NULL));
  wait_for_items (window, 53 + 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (since_entry)), ==, "");
  g_assert_false (gtk_widget_get_visible (filter_error));

  close_window (window);
}

static void
test_export_fails (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GFile) missing_file = NULL;
  DeskAuditWindow *window;
  guint64 n_before = 0, n_after = 0;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  store = new_clinic (dir);
  session = sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
  missing = g_build_filename (dir, "no-such-folder", "audit.csv", NULL);
  missing_file = g_file_new_for_path (missing);

  window = open_window (session);
  wait_for_items (window, 53);
  g_assert_true (desk_audit_verify (store, &n_before, NULL, NULL, NULL));

  /* A folder that is not there: said in a toast, no file, nothing recorded. */
  desk_audit_window_export_to_file (window, missing_file);
  wait_until (not_exporting, window, "the export");
  wait_for_label (window, "No such file");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_true (desk_audit_verify (store, &n_after, NULL, NULL, NULL));
  g_assert_cmpuint (n_after, ==, n_before);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window_list (window))), ==, 53);

  close_window (window);
}

/* Signed out while the window is open: the next query is refused. */
static void
test_signed_out (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  DeskAuditWindow *window;
  GtkStack *stack;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  store = new_clinic (dir);
  session = sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
  window = open_window (session);
  wait_for_items (window, 53);

  desk_session_sign_out (session);
  type_filter (GTK_ENTRY (nth_widget (window, GTK_TYPE_ENTRY, 2)), "2026-11-02");
  wait_for_items (window, 0);
  stack = content_stack (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  wait_for_label (window, "signed out");

  close_window (window);
}

/* A member without "view the audit log": told so, nothing shown or exported. */
static void
test_refused (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskMember) clerk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  DeskAuditWindow *window;
  GtkWidget *export_button;
  GtkStack *stack;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  store = new_clinic (dir);
  path = g_build_filename (dir, "audit.csv", NULL);
  file = g_file_new_for_path (path);

  /* Member 5, the demo's billing clerk, has no permissions at all. */
  hash = desk_password_hash ("billing 2", &error);
  sql = g_strdup_printf ("UPDATE members SET password_hash = '%s', status = 'active',"
                         " deactivated_at = NULL WHERE id = 5", hash);
  g_assert_true (_desk_db_exec (_desk_store_get_db (store), sql, &error));
  clerk = desk_member_load (store, 5, &error);
  g_assert_no_error (error);
  session = sign_in (store, desk_member_get_username (clerk), "billing 2");

  window = open_window (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  stack = content_stack (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  wait_for_label (window, "view the audit log");
  g_assert_null (gtk_column_view_get_model (GTK_COLUMN_VIEW (nth_widget (window,
                                                                         GTK_TYPE_COLUMN_VIEW,
                                                                         0))));
  export_button = find_button (GTK_WIDGET (window), "_Export…");
  g_assert_nonnull (export_button);
  g_assert_false (gtk_widget_is_sensitive (export_button));

  desk_audit_window_export_to_file (window, file);
  g_assert_false (desk_audit_window_get_exporting (window));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/audit-window/rows-filters-export", test_rows_filters_export);
  g_test_add_func ("/audit-window/export-fails", test_export_fails);
  g_test_add_func ("/audit-window/signed-out", test_signed_out);
  g_test_add_func ("/audit-window/refused", test_refused);

  return g_test_run ();
}
