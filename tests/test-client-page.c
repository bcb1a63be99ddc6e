/* test-client-page.c: the client page's status and portal controls, in the real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each control is used as a front desk would (its button, the dialog it
 * opens), and the result read back through the public API; a member
 * without "manage clients" finds the controls insensitive with the reason,
 * and a change refused by a locked file leaves the client as they were.
 */
#include "config.h"

#include <sqlite3.h>

#include "desk-client-detail.h"
#include "desk-client-dialogs.h"
#include "desk-client.h"
#include "desk-clients-view.h"
#include "desk-demo.h"
#include "desk-portal.h"
#include "desk-record-list.h"
#include "desk-sign-in.h"
#include "desk-store-private.h"
#include "desk-test-util.h"
#include "desk-test-window.h"

static gboolean have_display;

typedef struct
{
  DeskTestDir *dir;
  char        *path;
  DeskStore   *store;
  DeskWindow  *window;
  gint64       client;     /* active, portal access on (accepted), a document not shared */
  char        *name;
  gint64       document;
  char        *title;
} Fixture;

/* Widgets */

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

/* The button showing @label under @widget (its mnemonic underscore included). */
static GtkButton *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static DeskClientDetail *
detail (Fixture *f)
{
  return DESK_CLIENT_DETAIL (find_widget (GTK_WIDGET (desk_window_get_clients_view (f->window)),
                                          DESK_TYPE_CLIENT_DETAIL));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

/* The client as the file has them now. */
static DeskClient *
load (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DeskClient *client = desk_client_load (f->store, f->client, &error);

  g_assert_no_error (error);
  return client;
}

static gboolean
page_shows_client (gpointer data)
{
  Fixture *f = data;
  DeskClientDetail *page = detail (f);

  return page != NULL && desk_client_detail_get_client (page) != NULL &&
         desk_client_get_id (desk_client_detail_get_client (page)) == f->client &&
         gtk_widget_get_mapped (GTK_WIDGET (page));
}

typedef struct
{
  Fixture    *f;
  const char *label;
} Control;

/* The page shows the button @label, sensitive: its change is over. */
static gboolean
control_ready (gpointer data)
{
  Control *control = data;
  DeskClientDetail *page = detail (control->f);
  GtkButton *button = page != NULL ? find_button (GTK_WIDGET (page), control->label) : NULL;

  return button != NULL && gtk_widget_is_sensitive (GTK_WIDGET (button));
}

static void
wait_for_control (Fixture    *f,
                  const char *label)
{
  Control control = { f, label };

  wait_until (control_ready, &control, label);
  /* The page never shows another record while it refreshes. */
  g_assert_cmpint (desk_client_get_id (desk_client_detail_get_client (detail (f))), ==, f->client);
}

static void
click (Fixture    *f,
       const char *label)
{
  GtkButton *button;

  wait_for_control (f, label);
  button = find_button (GTK_WIDGET (detail (f)), label);
  g_signal_emit_by_name (button, "clicked");
}

static AdwMessageDialog *
wait_for_dialog (void)
{
  wait_until (dialog_shown, NULL, "the dialog");
  return find_dialog ();
}

static DeskPortalState
portal_state (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DeskPortalStatus status;

  g_assert_true (desk_portal_get_status (f->store, f->client, &status, &error));
  g_assert_no_error (error);
  return status.state;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  sqlite3_stmt *stmt = NULL;

  if (!have_display)
    return;
  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 300, 7);

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (f->store),
                                       "SELECT c.id, c.given_name || ' ' || c.family_name,"
                                       " d.id, d.title FROM clients c JOIN documents d"
                                       " ON d.client_id = c.id WHERE c.status = 'active'"
                                       " AND c.portal_access = 'enabled'"
                                       " AND c.portal_invitation = 'accepted'"
                                       " AND NOT EXISTS (SELECT 1 FROM document_shares s"
                                       "  WHERE s.document_id = d.id AND s.unshared_at IS NULL)"
                                       " ORDER BY c.id, d.id LIMIT 1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  f->client = sqlite3_column_int64 (stmt, 0);
  f->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  f->document = sqlite3_column_int64 (stmt, 2);
  f->title = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);

  f->window = desk_test_new_window ();
  desk_window_set_store (f->window, f->store);
}

static void
open_client (Fixture *f)
{
  DeskClientsView *view = desk_window_get_clients_view (f->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-clients", NULL));
  wait_until (desk_test_list_loaded, desk_clients_view_get_list (view), "the clients");
  gtk_editable_set_text (desk_clients_view_get_search_entry (view), f->name);
  wait_until (page_shows_client, f, "the client page");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;

  if (!have_display)
    return;
  dialog = find_dialog ();
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  desk_test_destroy_window (f->window);
  g_clear_object (&f->store);
  g_free (f->name);
  g_free (f->title);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

/* Discharging asks for a reason, and separately, unticked, about portal
 * access; left unticked, access stays on. */
static void
test_discharge_keeps_portal (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(DeskClient) after = NULL;
  AdwMessageDialog *dialog;
  GtkCheckButton *portal_off;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }
  desk_test_sign_in (f->window);
  open_client (f);

  click (f, "_Discharge…");
  dialog = wait_for_dialog ();
  portal_off = desk_client_dialogs_get_portal_off (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (portal_off)));
  g_assert_false (gtk_check_button_get_active (portal_off));
  /* No reason, no discharge; blanks are no reason. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, DESK_CLIENT_RESPONSE_DISCHARGE));
  gtk_editable_set_text (desk_client_dialogs_get_reason (dialog), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, DESK_CLIENT_RESPONSE_DISCHARGE));
  gtk_editable_set_text (desk_client_dialogs_get_reason (dialog), "Moved to Halifax");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, DESK_CLIENT_RESPONSE_DISCHARGE));
  adw_message_dialog_response (dialog, DESK_CLIENT_RESPONSE_DISCHARGE);

  wait_for_control (f, "_Reactivate");
  after = load (f);
  g_assert_false (desk_client_get_is_active (after));
  g_assert_cmpstr (desk_client_get_discharge_reason (after), ==, "Moved to Halifax");
  g_assert_cmpint (portal_state (f), ==, DESK_PORTAL_STATE_ACTIVE);
  /* The portal control still offers to turn access off. */
  wait_for_control (f, "Turn _Off…");

  /* Reactivating: active again, access as it was. */
  click (f, "_Reactivate");
  wait_for_control (f, "_Discharge…");
  g_clear_object (&after);
  after = load (f);
  g_assert_true (desk_client_get_is_active (after));
  g_assert_cmpint (portal_state (f), ==, DESK_PORTAL_STATE_ACTIVE);
}

/* Ticked, the discharge turns access off in the same change; Cancel
 * (Escape) changes nothing. */
static void
test_discharge_with_portal_off (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(DeskClient) after = NULL;
  AdwMessageDialog *dialog;
  gint64 entries;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }
  desk_test_sign_in (f->window);
  open_client (f);
  entries = desk_test_count (f->store, "SELECT count (*) FROM audit_log");

  click (f, "_Discharge…");
  dialog = wait_for_dialog ();
  gtk_editable_set_text (desk_client_dialogs_get_reason (dialog), "Moved away");
  adw_message_dialog_response (dialog, "cancel");
  wait_for_control (f, "_Discharge…");
  g_assert_true (desk_client_get_is_active (after = load (f)));
  g_clear_object (&after);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM audit_log"), ==, entries);

  click (f, "_Discharge…");
  dialog = wait_for_dialog ();
  gtk_editable_set_text (desk_client_dialogs_get_reason (dialog), "Moved away");
  gtk_check_button_set_active (desk_client_dialogs_get_portal_off (dialog), TRUE);
  adw_message_dialog_response (dialog, DESK_CLIENT_RESPONSE_DISCHARGE);
  wait_for_control (f, "_Reactivate");
  g_assert_false (desk_client_get_is_active (after = load (f)));
  g_assert_cmpint (portal_state (f), ==, DESK_PORTAL_STATE_DISABLED);
  wait_for_control (f, "Turn _On");
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM audit_log WHERE id > %"
                                    G_GINT64_FORMAT " AND target_id = %" G_GINT64_FORMAT
                                    " AND action IN ('client.discharge', 'portal.disable')",
                                    entries, f->client), ==, 2);
}

/* Off (asked first), on again (a new invitation; Send Again not yet),
 * sharing: the preview follows each change. */
static void
test_portal_and_sharing (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *share = g_strdup ("_Share");
  AdwMessageDialog *dialog;
  DeskTestLabelShown shown;
  gint64 invitations = desk_test_count (f->store, "SELECT count (*) FROM portal_invitations");

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }
  desk_test_sign_in (f->window);
  open_client (f);
  shown = (DeskTestLabelShown) { GTK_WIDGET (detail (f)), "Can sign in" };
  wait_until (desk_test_label_shown, &shown, "the preview: can sign in");

  click (f, "Turn _Off…");
  dialog = wait_for_dialog ();
  adw_message_dialog_response (dialog, DESK_CLIENT_RESPONSE_PORTAL_OFF);
  wait_for_control (f, "Turn _On");
  g_assert_cmpint (portal_state (f), ==, DESK_PORTAL_STATE_DISABLED);
  shown.text = "Their portal access is turned off.";
  wait_until (desk_test_label_shown, &shown, "the preview: access off");

  click (f, "Turn _On");
  wait_for_control (f, "Turn _Off…");
  g_assert_cmpint (portal_state (f), ==, DESK_PORTAL_STATE_INVITED);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM portal_invitations"), ==,
                   invitations + 1);
  shown.text = "They have not accepted their invitation yet.";
  wait_until (desk_test_label_shown, &shown, "the preview: invited");
  {
    GtkButton *again = find_button (GTK_WIDGET (detail (f)), "Send _Again");

    /* Shown, but not before 5 minutes have passed, and it says from when. */
    g_assert_nonnull (again);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (again)));
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (again)));
    g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (GTK_WIDGET (again)),
                                     "An invitation can be sent again from "));
  }

  click (f, share);
  wait_for_control (f, "Stop _Sharing");
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM document_shares"
                                    " WHERE document_id = %" G_GINT64_FORMAT
                                    " AND unshared_at IS NULL", f->document), ==, 1);
  click (f, "Stop _Sharing");
  wait_for_control (f, "_Share");
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM document_shares"
                                    " WHERE document_id = %" G_GINT64_FORMAT
                                    " AND unshared_at IS NULL", f->document), ==, 0);
  /* Sharing never changed the status. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM clients WHERE id = %"
                                    G_GINT64_FORMAT " AND status = 'active'", f->client), ==, 1);
}

/* Without "manage clients" every control is insensitive and says why. */
static void
test_without_permission (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash ("billing password", &error);
  g_autofree char *sql = NULL;
  const char *labels[] = { "_Discharge…", "Turn _Off…" };

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }
  sql = g_strdup_printf ("INSERT INTO members (id, username, given_name, family_name, email, kind,"
                         " province, password_hash, created_at) VALUES (9100, 'billy', 'B', 'Illy',"
                         " 'b@x.ca', 'employee', 'ON', '%s', 0);"
                         "INSERT INTO member_roles (member_id, role_id)"
                         " SELECT 9100, id FROM roles WHERE name = 'Billing'", hash);
  desk_test_exec (f->store, sql);
  desk_test_type_sign_in (f->window, "billy", "billing password");
  open_client (f);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkButton *button = find_button (GTK_WIDGET (detail (f)), labels[i]);

      g_assert_nonnull (button);
      g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==,
                       "Changing a client needs the “manage clients” permission.");
    }
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (find_button (GTK_WIDGET (detail (f)),
                                                                   "_Share"))));
}

/* Another program holds the file: the change is refused after the wait,
 * the window never waits with it, the client is as they were and the
 * page can be used again. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DeskClient) after = NULL;
  sqlite3 *other = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }
  desk_test_sign_in (f->window);
  open_client (f);

  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  click (f, "Turn _Off…");
  adw_message_dialog_response (wait_for_dialog (), DESK_CLIENT_RESPONSE_PORTAL_OFF);
  /* While the change waits for the file, the page says it is busy. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (find_button (GTK_WIDGET (detail (f)),
                                                                    "Turn _Off…"))));
  wait_for_control (f, "Turn _Off…");
  g_assert_cmpint (portal_state (f), ==, DESK_PORTAL_STATE_ACTIVE);
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  /* And again, with the file free. */
  click (f, "Turn _Off…");
  adw_message_dialog_response (wait_for_dialog (), DESK_CLIENT_RESPONSE_PORTAL_OFF);
  wait_for_control (f, "Turn _On");
  g_assert_cmpint (portal_state (f), ==, DESK_PORTAL_STATE_DISABLED);
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/client-page/discharge/keeps-portal", test_discharge_keeps_portal);
  ADD ("/client-page/discharge/with-portal-off", test_discharge_with_portal_off);
  ADD ("/client-page/portal-and-sharing", test_portal_and_sharing);
  ADD ("/client-page/without-permission", test_without_permission);
  ADD ("/client-page/locked", test_locked);

  return g_test_run ();
}
