/* test-sign-in.c: signing in and out, locking, permissions and re-authentication in the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-audit-window.h"
#include "desk-client.h"
#include "desk-member.h"
#include "desk-reauth-cache.h"
#include "desk-record-list.h"
#include "desk-record-selection.h"
#include "desk-reauth-dialog.h"
#include "desk-reauth.h"
#include "desk-session.h"
#include "desk-setup.h"
#include "desk-test-gui.h"
#include "desk-test-keyring.h"
#include "desk-test-util.h"
#include "desk-test-window.h"
#include "desk-window.h"

static gboolean have_display;
static gboolean have_keyring;

/* A value of the first row of @sql on the clinic file, as text. */
static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The widget inside @root whose action is @action_name. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_window_sign_in (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *failures = NULL;
  g_autoptr(DeskStore) store = NULL;
  DeskSignInPage *page;
  DeskWindow *window;
  DeskTestLabelShown demo_hint;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 60, 9);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  page = desk_window_get_sign_in_page (window);

  /* Nothing of the clinic before sign-in: the lists have no model at all. */
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  g_assert_null (desk_window_get_session (window));
  g_assert_null (desk_clients_view_get_list (desk_window_get_clients_view (window)));
  g_assert_null (desk_members_view_get_list (desk_window_get_members_view (window),
                                             DESK_MEMBER_STATUS_ACTIVE));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL) &&
                  g_strcmp0 (desk_window_get_page (window), DESK_WINDOW_PAGE_CLINIC) == 0);

  /* A demo clinic says its demo sign-in. */
  demo_hint.root = GTK_WIDGET (page);
  demo_hint.text = NULL;
  {
    g_autofree char *expected = g_strdup_printf ("Everyone here is made up. Sign in as “%s” with the password “%s”.",
                                                 DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
    demo_hint.text = expected;
    wait_until (desk_test_label_shown, &demo_hint, "the demo sign-in");
  }

  /* A wrong password: the same page, a message, and the attempt recorded. */
  desk_test_type_sign_in (window, DESK_DEMO_USERNAME, "not-the-password");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  g_assert_null (desk_window_get_session (window));
  g_assert_nonnull (strstr (desk_sign_in_page_get_message (page), "not right"));
  failures = query_text (path, "SELECT count(*) FROM audit_log WHERE action = 'member.sign-in-failed'");
  g_assert_cmpstr (failures, ==, "1");

  /* An unknown username gets the same answer. */
  desk_test_type_sign_in (window, "nobody", DESK_DEMO_PASSWORD);
  g_assert_nonnull (strstr (desk_sign_in_page_get_message (page), "not right"));

  desk_test_sign_in (window);
  g_assert_cmpstr (desk_member_get_username (desk_session_get_member (desk_window_get_session (window))),
                   ==, DESK_DEMO_USERNAME);
  g_assert_null (desk_sign_in_page_get_message (page));
  wait_until (desk_test_list_loaded, desk_clients_view_get_list (desk_window_get_clients_view (window)),
              "the clients");

  desk_test_destroy_window (window);
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

static gboolean
no_message (gpointer data)
{
  return desk_sign_in_page_get_message (DESK_SIGN_IN_PAGE (data)) == NULL;
}

/* After too many failures the page counts the wait down with Sign In
 * insensitive; an error marks the password entry without moving the page. */
static void
test_window_sign_in_wait (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  DeskSignInPage *page;
  DeskWindow *window;
  GtkWidget *password;
  GtkWidget *sign_in;
  graphene_rect_t before, after;
  const char *message;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 20, 9);
  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  page = desk_window_get_sign_in_page (window);
  sign_in = find_button (GTK_WIDGET (page), "Sign In");
  g_assert_nonnull (sign_in);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_compute_bounds (sign_in, GTK_WIDGET (window), &before));

  /* The first wrong password: marked, the page where it was. */
  desk_test_type_sign_in (window, DESK_DEMO_USERNAME, "wrong 1");
  password = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_WIDGET (password));
  while (!GTK_IS_PASSWORD_ENTRY (password) && password != NULL)
    password = gtk_widget_get_parent (password);
  g_assert_nonnull (password);
  g_assert_true (gtk_widget_has_css_class (password, "error"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_compute_bounds (sign_in, GTK_WIDGET (window), &after));
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  /* Typing again takes the mark away. */
  gtk_editable_set_text (GTK_EDITABLE (password), "x");
  g_assert_false (gtk_widget_has_css_class (password, "error"));

  /* After three failures in a row the account waits 1 second, after the
   * fourth 2 (the clinic's clock stands still here): Sign In waits too. */
  desk_test_type_sign_in (window, DESK_DEMO_USERNAME, "wrong 2");
  desk_test_type_sign_in (window, DESK_DEMO_USERNAME, "wrong 3");
  g_assert_cmpstr (desk_sign_in_page_get_message (page), ==,
                   "Too many failed sign-ins. Wait 1 second and try again.");
  gtk_editable_set_text (GTK_EDITABLE (password), "wrong 4");
  g_assert_false (gtk_widget_is_sensitive (sign_in));
  wait_until (no_message, page, "the first wait to end");
  /* The clinic's clock moves on as the window's did. */
  desk_store_set_now (store, DESK_TEST_NOW + 10);
  desk_test_type_sign_in (window, DESK_DEMO_USERNAME, "wrong 4");
  message = desk_sign_in_page_get_message (page);
  g_assert_cmpstr (message, ==, "Too many failed sign-ins. Wait 2 seconds and try again.");
  gtk_editable_set_text (GTK_EDITABLE (password), DESK_DEMO_PASSWORD);
  g_assert_false (gtk_widget_is_sensitive (sign_in));
  wait_until (no_message, page, "the wait to end");
  g_assert_true (gtk_widget_is_sensitive (sign_in));

  desk_test_destroy_window (window);
}

static void
test_window_sign_in_real_clinic (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "real.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  DeskWindow *window;
  DeskSignInPage *page;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  store = desk_store_create (path, "Clinique du Parc", &error);
  g_assert_no_error (error);
  desk_store_set_now (store, DESK_TEST_NOW);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  page = desk_window_get_sign_in_page (window);

  /* No member yet: the page says how to add the first administrator. */
  g_assert_nonnull (strstr (desk_sign_in_page_get_message (page), "add-first-admin"));

  desk_test_add_administrator (store);
  desk_window_set_store (window, NULL);
  desk_window_set_store (window, store);
  /* A real clinic never shows a sign-in. */
  g_assert_null (desk_sign_in_page_get_message (page));
  {
    DeskTestLabelShown hint = { GTK_WIDGET (page), NULL };
    g_autofree char *text = g_strdup_printf ("Everyone here is made up. Sign in as “%s” with the password “%s”.",
                                             DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);

    hint.text = text;
    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_assert_false (desk_test_label_shown (&hint));
  }

  /* Usernames are not case-sensitive; the password is. */
  desk_test_type_sign_in (window, "First.Admin", "Correct Horse Battery");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  desk_test_type_sign_in (window, "First.Admin", DESK_TEST_ADMIN_PASSWORD);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_CLINIC);

  desk_test_destroy_window (window);
}

static void
test_window_sign_out (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *open_tokens = NULL;
  g_autofree char *last = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DeskSession *session;
  DeskWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 60, 2);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  session = g_object_ref (desk_window_get_session (window));

  /* A confirmation kept for the grace period, then sign out (Ctrl+L's action). */
  g_assert_true (desk_session_reauthenticate (session, DESK_DEMO_PASSWORD, &error));
  g_assert_no_error (error);
  token = desk_session_issue_reauth_token (session, 300, &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));

  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  g_assert_null (desk_window_get_session (window));
  g_assert_null (desk_window_get_reauth (window));
  g_assert_false (desk_session_get_signed_in (session));
  g_assert_false (desk_session_check_reauth_token (session, token));
  g_assert_null (desk_clients_view_get_list (desk_window_get_clients_view (window)));
  g_assert_cmpstr (desk_sign_in_page_get_message (desk_window_get_sign_in_page (window)), ==,
                   "You signed out.");
  g_assert_cmpstr (gtk_editable_get_text (desk_sign_in_page_get_username (desk_window_get_sign_in_page (window))),
                   ==, "");

  open_tokens = query_text (path, "SELECT count(*) FROM reauth_tokens WHERE revoked_at IS NULL");
  g_assert_cmpstr (open_tokens, ==, "0");
  last = query_text (path, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (last, ==, "member.sign-out");

  /* Signed out, the old session allows nothing. */
  g_assert_false (desk_session_require (session, DESK_PERMISSION_VIEW_AUDIT, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT);
  g_object_unref (session);

  desk_test_destroy_window (window);
}

/* Gives the first active member other than the demo's administrator a
 * password, as an administrator would; returns their username. */
static char *
other_member (const char *path,
              const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash (password, &error);
  g_autofree char *username = NULL;
  char *sql;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  username = query_text (path, "SELECT username FROM members WHERE status = 'active'"
                               " AND username <> 'admin' ORDER BY id LIMIT 1");
  g_assert_nonnull (username);
  sql = sqlite3_mprintf ("UPDATE members SET password_hash = %Q WHERE username = %Q", hash, username);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (sql);
  sqlite3_close (db);
  return g_steal_pointer (&username);
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

static GtkWindow *
find_audit_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DESK_IS_AUDIT_WINDOW (window))
        return window;
    }
  return NULL;
}

static double
scrolled (GtkListView *view)
{
  return gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)));
}

static gboolean
list_scrolled (gpointer view)
{
  return scrolled (view) > 0;
}

static gboolean
search_is (gpointer data)
{
  DeskRecordList *list = ((gpointer *) data)[0];

  return g_strcmp0 (desk_record_list_get_search (list), ((gpointer *) data)[1]) == 0 &&
         desk_test_list_loaded (list);
}

/* Everything a session showed (searches, filters, selection, detail pages,
 * the audit window, scroll position) is gone when it ends: the next member
 * at the desk sees none of it (issue 8). */
static void
test_window_sign_out_forgets (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *username = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskClient) picked = NULL;
  DeskWindow *window;
  DeskMembersView *members;
  DeskClientsView *clients;
  GtkListView *list_view;
  DeskRecordSelection *selection;
  DeskRecordList *list;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 300, 5);
  username = other_member (path, "another long password");

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  members = desk_window_get_members_view (window);
  clients = desk_window_get_clients_view (window);

  /* The first member searches the members and looks at the deactivated ones… */
  gtk_editable_set_text (desk_members_view_get_search_entry (members), "a");
  desk_members_view_set_status (members, DESK_MEMBER_STATUS_DEACTIVATED);

  /* …scrolls the clients, searches, filters and opens a client… */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL));
  list = desk_clients_view_get_list (clients);
  list_view = desk_clients_view_get_list_view (clients);
  wait_until (desk_test_list_loaded, list, "the clients");
  wait_until (rows_revealed, list_view, "every row shown to the view");
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", 250);
  wait_until (list_scrolled, list_view, "the scrolled list");
  picked = g_list_model_get_item (G_LIST_MODEL (list), 0);
  prefix = g_utf8_substring (desk_client_get_family_name (picked), 0, 3);
  gtk_editable_set_text (desk_clients_view_get_search_entry (clients), prefix);
  {
    gpointer done[] = { list, prefix };

    wait_until (search_is, done, "the search");
  }
  gtk_drop_down_set_selected (desk_clients_view_get_status_filter (clients),
                              DESK_CLIENT_STATUS_FILTER_ACTIVE);
  gtk_drop_down_set_selected (desk_clients_view_get_portal_filter (clients),
                              DESK_PORTAL_FILTER_ENABLED);
  wait_until (desk_test_list_loaded, list, "the filtered clients");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 1);
  g_signal_emit_by_name (list_view, "activate", 1);
  selection = DESK_RECORD_SELECTION (gtk_list_view_get_model (list_view));
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 1);

  /* …and the audit log. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-audit-log", NULL));
  g_assert_nonnull (find_audit_window ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* Nothing of it is left, even out of sight. */
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  g_assert_null (find_audit_window ());
  g_assert_cmpstr (gtk_editable_get_text (desk_members_view_get_search_entry (members)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (desk_clients_view_get_search_entry (clients)), ==, "");
  g_assert_cmpuint (gtk_drop_down_get_selected (desk_clients_view_get_status_filter (clients)), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (desk_clients_view_get_portal_filter (clients)), ==, 0);
  g_assert_cmpint (desk_members_view_get_status (members), ==, DESK_MEMBER_STATUS_ACTIVE);
  g_assert_null (desk_clients_view_get_list (clients));
  g_assert_null (gtk_list_view_get_model (list_view));
  g_assert_null (gtk_list_view_get_model (desk_members_view_get_list_view (members)));

  /* The next member starts afresh. */
  desk_test_type_sign_in (window, username, "another long password");
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_CLINIC);
  g_assert_cmpstr (desk_member_get_username (desk_session_get_member (desk_window_get_session (window))),
                   ==, username);
  g_assert_null (find_audit_window ());
  g_assert_cmpint (desk_members_view_get_status (members), ==, DESK_MEMBER_STATUS_ACTIVE);
  g_assert_cmpstr (desk_record_list_get_search (desk_members_view_get_list (members,
                                                                            DESK_MEMBER_STATUS_ACTIVE)),
                   ==, "");
  g_assert_cmpstr (gtk_editable_get_text (desk_clients_view_get_search_entry (clients)), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-clients", NULL));
  list = desk_clients_view_get_list (clients);
  wait_until (desk_test_list_loaded, list, "the next member's clients");
  g_assert_cmpstr (desk_record_list_get_search (list), ==, "");
  g_assert_cmpint (desk_record_list_get_status_filter (list), ==, DESK_CLIENT_STATUS_FILTER_ANY);
  g_assert_cmpint (desk_record_list_get_portal_filter (list), ==, DESK_PORTAL_FILTER_ANY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 300);
  wait_until (rows_revealed, list_view, "every row shown to the view");
  selection = DESK_RECORD_SELECTION (gtk_list_view_get_model (list_view));
  g_assert_cmpuint (desk_record_selection_get_selected (selection), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpfloat (scrolled (list_view), ==, 0);

  desk_test_destroy_window (window);
}

static void
test_window_idle_lock (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DeskSignInPage *page;
  DeskWindow *window;
  gint64 now;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 60, 6);
  g_settings_set_int (settings, "idle-lock-minutes", 10);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  page = desk_window_get_sign_in_page (window);
  now = g_get_monotonic_time ();

  /* Nine minutes without input: still signed in. */
  g_assert_false (desk_window_lock_if_idle (window, now + (gint64) 9 * 60 * G_USEC_PER_SEC));
  g_assert_nonnull (desk_window_get_session (window));

  /* A key press counts as activity. */
  {
    GtkEventController *key = NULL;
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && key == NULL; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
            gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
          key = controller;
      }
    g_object_unref (controllers);
    g_assert_nonnull (key);
    g_usleep (2000);
    {
      gboolean handled = TRUE;

      g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
      g_assert_false (handled);
    }
  }
  g_assert_false (desk_window_lock_if_idle (window, now + (gint64) 10 * 60 * G_USEC_PER_SEC));

  /* Eleven minutes: locked, the username kept, the reason shown. */
  g_assert_true (desk_window_lock_if_idle (window, g_get_monotonic_time () + (gint64) 11 * 60 * G_USEC_PER_SEC));
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  g_assert_null (desk_window_get_session (window));
  g_assert_cmpstr (gtk_editable_get_text (desk_sign_in_page_get_username (page)), ==,
                   DESK_DEMO_USERNAME);
  g_assert_nonnull (strstr (desk_sign_in_page_get_message (page), "Locked after 10 minutes"));

  /* 0 never locks. */
  g_settings_set_int (settings, "idle-lock-minutes", 0);
  desk_test_sign_in (window);
  g_assert_false (desk_window_lock_if_idle (window, g_get_monotonic_time () + (gint64) G_USEC_PER_SEC * 3600 * 24));
  g_settings_reset (settings, "idle-lock-minutes");

  desk_test_destroy_window (window);
}

static void
test_window_audit_permission (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *front_desk = NULL;
  g_autoptr(DeskStore) store = NULL;
  GtkWidget *button;
  DeskWindow *window;
  const char *tooltip;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 60, 8);
  front_desk = query_text (path,
                           "SELECT username FROM members m WHERE status = 'active' AND NOT EXISTS"
                           " (SELECT 1 FROM member_roles mr JOIN role_permissions rp"
                           "   ON rp.role_id = mr.role_id"
                           "  WHERE mr.member_id = m.id AND rp.permission = 'view-audit')"
                           " ORDER BY id LIMIT 1");
  g_assert_nonnull (front_desk);

  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_type_sign_in (window, front_desk, DESK_DEMO_PASSWORD);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_CLINIC);

  /* Shown, insensitive, and saying why. */
  button = find_actionable (GTK_WIDGET (window), "win.show-audit-log");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_is_sensitive (button));
  tooltip = gtk_widget_get_tooltip_text (button);
  g_assert_nonnull (strstr (tooltip, "“view the audit log” permission"));

  /* An administrator may. */
  desk_window_sign_out (window);
  desk_test_sign_in (window);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_null (strstr (gtk_widget_get_tooltip_text (button), "permission"));

  desk_test_destroy_window (window);
}

typedef struct
{
  GAsyncResult *result;
} Confirmation;

static DeskReauthDialog *
find_reauth_dialog (void)
{
  return (DeskReauthDialog *) desk_test_find_toplevel (DESK_TYPE_REAUTH_DIALOG);
}

static gboolean
reauth_dialog_shown (gpointer data)
{
  return find_reauth_dialog () != NULL;
}

static gboolean
reauth_dialog_settled (gpointer data)
{
  return !desk_reauth_dialog_get_busy (data);
}

static gboolean
confirmation_done (gpointer data)
{
  return ((Confirmation *) data)->result != NULL;
}

static void
test_reauth_dialog (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(GError) error = NULL;
  Confirmation confirmation = { NULL };
  DeskReauthDialog *dialog;
  DeskWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 40, 3);
  window = desk_test_new_window ();
  desk_window_set_store (window, store);
  desk_test_sign_in (window);
  session = g_object_ref (desk_window_get_session (window));
  /* No grace period: the password every time, and the keyring is not asked. */
  reauth = desk_reauth_new (session, 0, 1000);

  g_assert_false (desk_session_require_reauth (session, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);

  desk_reauth_dialog_confirm_async (GTK_WINDOW (window), reauth, "Deactivate Dana Lee’s account.",
                                    NULL, desk_test_async_result_cb, &confirmation.result);
  wait_until (reauth_dialog_shown, NULL, "the confirmation dialog");
  dialog = find_reauth_dialog ();
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  /* A wrong password keeps the dialog open and says so. */
  gtk_editable_set_text (desk_reauth_dialog_get_password (dialog), "guess");
  g_signal_emit_by_name (desk_reauth_dialog_get_password (dialog), "activate");
  g_assert_true (desk_reauth_dialog_get_busy (dialog));
  wait_until (reauth_dialog_settled, dialog, "the password check");
  g_assert_nonnull (strstr (desk_reauth_dialog_get_error (dialog), "not right"));
  g_assert_null (confirmation.result);
  g_assert_false (desk_session_require_reauth (session, NULL));

  /* The right one confirms, once. */
  gtk_editable_set_text (desk_reauth_dialog_get_password (dialog), DESK_DEMO_PASSWORD);
  g_signal_emit_by_name (desk_reauth_dialog_get_password (dialog), "activate");
  wait_until (confirmation_done, &confirmation, "the confirmation");
  g_assert_true (desk_reauth_dialog_confirm_finish (confirmation.result, &error));
  g_assert_no_error (error);
  g_clear_object (&confirmation.result);
  g_assert_true (desk_session_require_reauth (session, &error));
  g_assert_no_error (error);
  g_assert_false (desk_session_require_reauth (session, NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (find_reauth_dialog ());

  /* Cancelled (Escape closes it): not confirmed. */
  desk_reauth_dialog_confirm_async (GTK_WINDOW (window), reauth, "Reactivate Dana Lee’s account.",
                                    NULL, desk_test_async_result_cb, &confirmation.result);
  wait_until (reauth_dialog_shown, NULL, "the confirmation dialog");
  gtk_window_close (GTK_WINDOW (find_reauth_dialog ()));
  wait_until (confirmation_done, &confirmation, "the cancellation");
  g_assert_false (desk_reauth_dialog_confirm_finish (confirmation.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&confirmation.result);
  g_assert_false (desk_session_require_reauth (session, NULL));

  g_clear_object (&reauth);
  g_clear_object (&session);
  desk_test_destroy_window (window);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* The token the keyring keeps for this member of this clinic, or NULL. */
static char *
keyring_token (const char *clinic,
               gint64      member)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  desk_reauth_cache_lookup_async (clinic, member, 5000, NULL, desk_test_async_result_cb,
                                  &result);
  token = desk_reauth_cache_lookup_finish (wait_for_result (&result), &error);
  if (token == NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  return token;
}

/* Confirms the password through the window's own DeskReauth (the grace
 * period is on by default), which keeps a token in the keyring. */
static void
keep_confirmation (DeskWindow *window)
{
  DeskReauth *reauth = desk_window_get_reauth (window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gpointer task;

  g_assert_cmpuint (desk_reauth_get_grace (reauth), >, 0);
  desk_reauth_confirm_async (reauth, DESK_DEMO_PASSWORD, NULL, desk_test_async_result_cb,
                             &result);
  g_assert_true (desk_reauth_confirm_finish (reauth, wait_for_result (&result), &error));
  g_assert_no_error (error);
  /* The worker lets go of its task (and the store) a moment later. */
  task = result;
  g_object_add_weak_pointer (task, &task);
  g_clear_object (&result);
  while (task != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Whether the keyring lets go of the token within 10 seconds (the window
 * clears it without waiting). */
static gboolean
keyring_forgets (const char *clinic,
                 gint64      member)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *token = keyring_token (clinic, member);

      if (token == NULL)
        return TRUE;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20000);
    }
  return FALSE;
}

/* Signing out and locking leave no confirmation in the keyring. */
static void
test_window_keyring_cleared (void)
{
  g_autoptr(DeskTestDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GSettings) settings = NULL;
  const char *clinic;
  DeskWindow *window;

  if (!have_display || !have_keyring)
    {
      g_test_skip (have_display ? "No gnome-keyring-daemon on a session bus" : "No display");
      return;
    }

  dir = desk_test_dir_new ();
  path = g_build_filename (dir, "clinic.db", NULL);
  store = desk_test_demo_store (path, 20, 4);
  clinic = desk_store_get_clinic_uuid (store);
  settings = g_settings_new (APP_ID);
  g_settings_set_int (settings, "idle-lock-minutes", 10);
  window = desk_test_new_window ();
  desk_window_set_store (window, store);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *kept = NULL;

      desk_test_sign_in (window);
      keep_confirmation (window);
      kept = keyring_token (clinic, 1);
      g_assert_nonnull (kept);
      g_assert_true (g_str_has_prefix (kept, clinic));

      if (i == 0)
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
      else
        g_assert_true (desk_window_lock_if_idle (window, g_get_monotonic_time () +
                                                 (gint64) 11 * 60 * G_USEC_PER_SEC));
      g_assert_null (desk_window_get_session (window));
      g_assert_true (keyring_forgets (clinic, 1));
    }

  g_settings_reset (settings, "idle-lock-minutes");
  desk_test_destroy_window (window);
}

/* The documented numbers of the settings that end a session or skip a
 * password: locked after 10 minutes by default, a grace period of 5 minutes
 * by default and 15 at most. */
static void
test_settings_documented (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  const struct
  {
    const char *key;
    int         fallback;
    int         min;
    int         max;
  } keys[] = {
    { "idle-lock-minutes", 10, 0, 240 },
    { "reauth-grace-minutes", 5, 0, 15 },
  };

  g_assert_nonnull (schema);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i].key);
      g_autoptr(GVariant) fallback = g_settings_schema_key_get_default_value (key);
      g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
      const char *type = NULL;
      g_autoptr(GVariant) bounds = NULL;
      int min = -1, max = -1;

      g_test_message ("%s", keys[i].key);
      g_assert_cmpint (g_variant_get_int32 (fallback), ==, keys[i].fallback);
      g_variant_get (range, "(&sv)", &type, &bounds);
      g_assert_cmpstr (type, ==, "range");
      g_variant_get (bounds, "(ii)", &min, &max);
      g_assert_cmpint (min, ==, keys[i].min);
      g_assert_cmpint (max, ==, keys[i].max);
    }
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);
  if (have_display && !g_test_subprocess ())
    have_keyring = desk_test_start_keyring ();

  g_test_add_func ("/window/sign-in/demo", test_window_sign_in);
  g_test_add_func ("/window/sign-in/real-clinic", test_window_sign_in_real_clinic);
  g_test_add_func ("/window/sign-in/wait", test_window_sign_in_wait);
  g_test_add_func ("/window/sign-out", test_window_sign_out);
  g_test_add_func ("/window/sign-out-forgets", test_window_sign_out_forgets);
  g_test_add_func ("/window/idle-lock", test_window_idle_lock);
  g_test_add_func ("/window/keyring-cleared", test_window_keyring_cleared);
  g_test_add_func ("/window/audit-permission", test_window_audit_permission);
  g_test_add_func ("/window/reauth-dialog", test_reauth_dialog);
  g_test_add_func ("/window/settings/documented", test_settings_documented);

  return g_test_run ();
}
