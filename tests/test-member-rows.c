/* test-member-rows.c: the Deactivate and Activate buttons on the members list's rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each member's row has one flat button: the lock of an active member, the
 * Activate of a deactivated one, named for the member, insensitive with the
 * reason (tooltip and accessible description) where the signed-in member
 * may not use it.  It takes no Tab stop; the keyboard opens the row's
 * context menu instead (Menu, Shift+F10).  Run with GTK_A11Y=test, so that
 * the accessible names and descriptions can be read back.
 */
#include "config.h"

#include <adwaita.h>

#include "desk-deactivation.h"
#include "desk-deactivation-assistant.h"
#include "desk-member.h"
#include "desk-reauth-dialog.h"
#include "desk-record-row.h"
#include "desk-session.h"
#include "desk-test-gui.h"
#include "desk-test-util.h"
#include "desk-test-window.h"
#include "desk-window.h"

#define SELF_REFUSAL "You cannot deactivate your own account."
#define DEACTIVATE_REFUSAL "Deactivating members needs the “edit other users” permission."
#define REACTIVATE_REFUSAL "Reactivating members needs the “edit other users” permission."

static gboolean have_display;

typedef struct
{
  DeskTestClinic  clinic;
  DeskWindow     *window;
  gint64          self_id;    /* the member signed in */
} Fixture;

/* Helpers */

static void
pump (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture *f)
{
  desk_test_destroy_window (f->window);
  desk_test_clinic_tear_down (&f->clinic, NULL);
}

/* The username of an active member who may not edit other users, as the
 * model has their permissions. */
static char *
member_without_edit_users (DeskStore *store)
{
  g_autoptr(DeskMember) admin = desk_member_load_by_username (store, DESK_DEMO_USERNAME, NULL);
  g_autoptr(GListModel) members = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (admin);
  members = desk_member_find_receivers (store, "", FALSE, desk_member_get_id (admin), 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (members, i);
      DeskMemberSummary summary = { 0 };
      gboolean may_edit;

      g_assert_true (desk_member_load_summary (store, desk_member_get_id (member), &summary, NULL));
      may_edit = (summary.permissions & DESK_PERMISSION_EDIT_USERS) != 0;
      desk_member_summary_clear (&summary);
      if (!may_edit)
        return g_strdup (desk_member_get_username (member));
    }
  g_error ("No member without “edit other users”");
  return NULL;
}

/* The demo clinic in a window, signed in as its administrator or, unless
 * @may_edit_users, as a member who may not edit other users; the members
 * shown. */
static gboolean
fixture_set_up (Fixture  *f,
                gboolean  may_edit_users)
{
  g_autofree char *username = NULL;

  if (!have_display)
    {
      g_test_skip ("No display");
      return FALSE;
    }
  desk_test_clinic_set_up (&f->clinic, NULL);
  username = may_edit_users ? g_strdup (DESK_DEMO_USERNAME)
                            : member_without_edit_users (f->clinic.store);
  f->window = desk_test_new_window ();
  desk_window_set_store (f->window, f->clinic.store);
  desk_test_type_sign_in (f->window, username, DESK_DEMO_PASSWORD);
  g_assert_cmpstr (desk_window_get_page (f->window), ==, DESK_WINDOW_PAGE_CLINIC);
  g_assert_cmpint (desk_session_has_permission (desk_window_get_session (f->window),
                                                DESK_PERMISSION_EDIT_USERS), ==, may_edit_users);
  f->self_id = desk_member_get_id (desk_session_get_member (desk_window_get_session (f->window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-members", NULL));
  return TRUE;
}

/* The row widgets of @list_view: the child of each of its list items. */
static GPtrArray *
find_rows (GtkListView *list_view)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    if (DESK_IS_RECORD_ROW (gtk_widget_get_first_child (item)))
      g_ptr_array_add (rows, gtk_widget_get_first_child (item));
  return rows;
}

/* Every item of the list shown has its row, showing it, in the window
 * (none for an empty list). */
static gboolean
rows_shown (gpointer data)
{
  DeskMembersView *view = data;
  DeskRecordList *list = desk_members_view_get_list (view, desk_members_view_get_status (view));
  GtkListView *list_view = desk_members_view_get_list_view (view);
  g_autoptr(GPtrArray) rows = NULL;
  guint n_items, shown = 0;

  if (!desk_test_list_loaded (list) ||
      gtk_list_view_get_model (list_view) == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list_view))) !=
        g_list_model_get_n_items (G_LIST_MODEL (list)))
    return FALSE;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  rows = find_rows (list_view);
  for (guint i = 0; i < rows->len; i++)
    {
      DeskRecordRow *row = g_ptr_array_index (rows, i);
      guint position = desk_record_row_get_position (row);
      g_autoptr(DeskMember) member = NULL;

      if (position >= n_items || gtk_widget_get_root (GTK_WIDGET (row)) == NULL)
        continue;
      member = g_list_model_get_item (G_LIST_MODEL (list), position);
      if (g_strcmp0 (desk_record_row_get_name (row), desk_member_get_display_name (member)) == 0)
        shown++;
    }
  return shown == n_items;
}

static DeskMembersView *
show_status (Fixture          *f,
             DeskMemberStatus  status)
{
  DeskMembersView *view = desk_window_get_members_view (f->window);

  desk_members_view_set_status (view, status);
  wait_until (rows_shown, view, "every member's row");
  return view;
}

/* The member that @row shows. */
static DeskMember *
member_of (DeskMembersView *view,
           DeskRecordRow   *row)
{
  DeskRecordList *list = desk_members_view_get_list (view, desk_members_view_get_status (view));

  return g_list_model_get_item (G_LIST_MODEL (list), desk_record_row_get_position (row));
}

/* The row at @position, or NULL. */
static DeskRecordRow *
row_at (DeskMembersView *view,
        guint            position)
{
  g_autoptr(GPtrArray) rows = find_rows (desk_members_view_get_list_view (view));

  for (guint i = 0; i < rows->len; i++)
    if (desk_record_row_get_position (g_ptr_array_index (rows, i)) == position)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* The position in @list of the member with @id (@same), or of the first
 * other member (!@same); G_MAXUINT if none. */
static guint
find_position (DeskRecordList *list,
               gint64          id,
               gboolean        same)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (G_LIST_MODEL (list), i);

      if ((desk_member_get_id (member) == id) == same)
        return i;
    }
  return G_MAXUINT;
}

/* The row of the member with @id (@same), or of the first other member
 * (!@same), in the list shown; NULL if none. */
static DeskRecordRow *
find_row (DeskMembersView *view,
          gint64           id,
          gboolean         same)
{
  DeskRecordList *list = desk_members_view_get_list (view, desk_members_view_get_status (view));
  guint position = find_position (list, id, same);

  return position != G_MAXUINT ? row_at (view, position) : NULL;
}

static void
assert_accessible (GtkWidget             *widget,
                   GtkAccessibleProperty  property,
                   const char            *value)
{
  g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                                                  value);

  if (mismatch != NULL)
    g_error ("%s: %s", gtk_widget_get_tooltip_text (widget), mismatch);
}

/* @row's button: named "@verb NAME", insensitive with @refusal as tooltip
 * and description, or sensitive with @tooltip and no description. */
static void
assert_button (DeskMembersView *view,
               DeskRecordRow   *row,
               const char      *verb,
               const char      *refusal,
               const char      *tooltip)
{
  GtkWidget *button = desk_record_row_get_status_button (row);
  g_autoptr(DeskMember) member = member_of (view, row);
  g_autofree char *name = g_strdup_printf ("%s %s", verb, desk_member_get_display_name (member));

  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_get_visible (button));
  assert_accessible (button, GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  g_assert_cmpint (gtk_widget_get_sensitive (button), ==, refusal == NULL);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, refusal != NULL ? refusal : tooltip);
  assert_accessible (button, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, refusal != NULL ? refusal : "");
  /* No Tab stop on each row (issue 9): the keyboard has the context menu. */
  g_assert_false (gtk_widget_get_can_focus (button));
}

/* Every row of the list shown, all of @active members: its button, named
 * for its member, with @refusal, or sensitive with @tooltip; except the
 * signed-in member's own (@self_id, among the active), refused as theirs. */
static void
assert_buttons (DeskMembersView *view,
                gboolean         active,
                gint64           self_id,
                const char      *refusal,
                const char      *tooltip)
{
  g_autoptr(GPtrArray) rows = find_rows (desk_members_view_get_list_view (view));
  DeskRecordList *list = desk_members_view_get_list (view, desk_members_view_get_status (view));
  gboolean seen_self = FALSE;

  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, ==, g_list_model_get_n_items (G_LIST_MODEL (list)));
  for (guint i = 0; i < rows->len; i++)
    {
      DeskRecordRow *row = g_ptr_array_index (rows, i);
      g_autoptr(DeskMember) member = member_of (view, row);

      g_assert_cmpint (desk_member_get_is_active (member), ==, active);
      if (active && desk_member_get_id (member) == self_id)
        {
          seen_self = TRUE;
          assert_button (view, row, "Deactivate", SELF_REFUSAL, NULL);
        }
      else
        assert_button (view, row, active ? "Deactivate" : "Activate", refusal, tooltip);
    }
  g_assert_true (seen_self == active);
}

static DeskDeactivationAssistant *
find_assistant (void)
{
  return (DeskDeactivationAssistant *) desk_test_find_toplevel (DESK_TYPE_DEACTIVATION_ASSISTANT);
}

static gboolean
assistant_shown (gpointer data)
{
  DeskDeactivationAssistant *assistant = find_assistant ();

  return assistant != NULL && !desk_deactivation_assistant_get_busy (assistant);
}

/* The assistant opened over the window is for @member: then closed. */
static void
assert_assistant_for (Fixture    *f,
                      DeskMember *member)
{
  DeskDeactivationAssistant *assistant;
  DeskDeactivationPlan *plan;

  wait_until (assistant_shown, NULL, "the deactivation assistant");
  assistant = g_object_ref (find_assistant ());
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (assistant)) == GTK_WINDOW (f->window));
  g_assert_cmpstr (desk_deactivation_assistant_get_page (assistant), ==, DESK_ASSISTANT_PAGE_IMPACT);
  plan = desk_deactivation_assistant_get_plan (assistant);
  g_assert_nonnull (plan);
  g_assert_cmpint (desk_member_get_id (desk_deactivation_plan_get_member (plan)), ==,
                   desk_member_get_id (member));
  gtk_window_destroy (GTK_WINDOW (assistant));
  pump ();
  g_assert_finalize_object (assistant);
}

static DeskReauthDialog *
find_reauth_dialog (void)
{
  return (DeskReauthDialog *) desk_test_find_toplevel (DESK_TYPE_REAUTH_DIALOG);
}

/* Presses @trigger in the list, as GTK does for a key that matches it:
 * the shortcut's action, run on the widget that has the shortcut. */
static void
press (GtkListView *list_view,
       const char  *trigger)
{
  GtkShortcut *shortcut = desk_test_find_shortcut (GTK_WIDGET (list_view), trigger);

  if (shortcut == NULL)
    g_error ("No shortcut %s in the members list", trigger);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                               GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                               GTK_WIDGET (list_view), NULL));
}

/* The keyboard focus on @row's list item, as Up and Down put it. */
static void
focus_row (DeskRecordRow *row)
{
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (row));

  g_assert_true (gtk_widget_grab_focus (item));
  g_assert_true (gtk_root_get_focus (gtk_widget_get_root (item)) == item);
}

/* The menu item of @menu labelled @text, mnemonic and all (a GtkModelButton). */
static GtkWidget *
find_menu_item (GtkWidget  *menu,
                const char *text)
{
  GtkWidget *item = desk_test_find_mapped_label (menu, text);

  while (item != NULL && !g_str_equal (G_OBJECT_TYPE_NAME (item), "GtkModelButton"))
    item = gtk_widget_get_parent (item);
  return item;
}

static gboolean
menu_dropped (gpointer row)
{
  return desk_record_row_get_menu (row) == NULL;
}

/* Tests */

/* The signed-in administrator: a named lock on every active member's row,
 * insensitive with the reason on their own; Activate on the deactivated
 * ones; no button on a client's row. */
static void
test_buttons (void)
{
  Fixture f = { NULL };
  DeskMembersView *view;
  g_autoptr(GPtrArray) rows = NULL;

  if (!fixture_set_up (&f, TRUE))
    return;

  view = show_status (&f, DESK_MEMBER_STATUS_ACTIVE);
  assert_buttons (view, TRUE, f.self_id, NULL, "Deactivate…");
  view = show_status (&f, DESK_MEMBER_STATUS_DEACTIVATED);
  assert_buttons (view, FALSE, f.self_id, NULL, "Activate…");

  /* Clients' rows stay as light as they were. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-clients", NULL));
  wait_until (desk_test_list_loaded,
              desk_clients_view_get_list (desk_window_get_clients_view (f.window)), "the clients");
  pump ();
  rows = find_rows (desk_clients_view_get_list_view (desk_window_get_clients_view (f.window)));
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      g_assert_null (desk_record_row_get_status_button (g_ptr_array_index (rows, i)));
      g_assert_false (desk_record_row_popup_menu (g_ptr_array_index (rows, i), NULL));
    }

  fixture_tear_down (&f);
}

/* A member without "edit other users": every button insensitive, saying
 * which permission; their own row says it is theirs.  The context menu's
 * item is insensitive too, with the reason over it, and does nothing. */
static void
test_without_permission (void)
{
  Fixture f = { NULL };
  DeskMembersView *view;
  DeskRecordRow *other;
  GtkWidget *menu, *item;

  if (!fixture_set_up (&f, FALSE))
    return;

  view = show_status (&f, DESK_MEMBER_STATUS_ACTIVE);
  assert_buttons (view, TRUE, f.self_id, DEACTIVATE_REFUSAL, NULL);

  /* Clicked anyway (a button's accessible action does): nothing opens. */
  other = find_row (view, f.self_id, FALSE);
  g_signal_emit_by_name (desk_record_row_get_status_button (other), "clicked");
  pump ();
  g_assert_null (find_assistant ());

  /* From the keyboard: the menu says why, and its item does nothing. */
  focus_row (other);
  press (desk_members_view_get_list_view (view), "Menu");
  menu = desk_record_row_get_menu (other);
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_get_visible (menu));
  g_assert_nonnull (desk_test_find_mapped_label (menu, DEACTIVATE_REFUSAL));
  item = find_menu_item (menu, "_Deactivate…");
  g_assert_nonnull (item);
  g_assert_false (gtk_widget_is_sensitive (item));
  /* Even clicked (the menu closes), or its action asked for: nothing. */
  g_signal_emit_by_name (item, "clicked");
  wait_until (menu_dropped, other, "the menu to go");
  gtk_widget_activate_action (GTK_WIDGET (other), "row.change-status", NULL);
  pump ();
  g_assert_null (find_assistant ());

  /* Activate likewise; clicked anyway, no password is asked (and no
   * reactivation is left waiting: the window is finalized below). */
  view = show_status (&f, DESK_MEMBER_STATUS_DEACTIVATED);
  assert_buttons (view, FALSE, f.self_id, REACTIVATE_REFUSAL, NULL);
  g_signal_emit_by_name (desk_record_row_get_status_button (row_at (view, 0)), "clicked");
  pump ();
  g_assert_null (find_reauth_dialog ());

  fixture_tear_down (&f);
}

/* The lock on another member's row opens the assistant for that member. */
static void
test_deactivate (void)
{
  Fixture f = { NULL };
  DeskMembersView *view;
  DeskRecordRow *row;
  g_autoptr(DeskMember) member = NULL;
  guint position;

  if (!fixture_set_up (&f, TRUE))
    return;
  view = show_status (&f, DESK_MEMBER_STATUS_ACTIVE);

  /* The last row (or the one before, if the last is yours): not the
   * first, selected, whose member's page is shown. */
  position = g_list_model_get_n_items (G_LIST_MODEL (desk_members_view_get_list (view, DESK_MEMBER_STATUS_ACTIVE))) - 1;
  row = row_at (view, position);
  member = member_of (view, row);
  if (desk_member_get_id (member) == f.self_id)
    {
      g_clear_object (&member);
      row = row_at (view, position - 1);
      member = member_of (view, row);
    }
  g_assert_cmpuint (desk_record_row_get_position (row), >, 0);
  g_signal_emit_by_name (desk_record_row_get_status_button (row), "clicked");
  assert_assistant_for (&f, member);

  /* Nothing changed: the member is still active. */
  {
    g_autoptr(DeskMember) fresh = desk_member_load (f.clinic.store, desk_member_get_id (member), NULL);

    g_assert_true (desk_member_get_is_active (fresh));
  }

  fixture_tear_down (&f);
}

typedef struct
{
  DeskMembersView *view;
  gint64           id;
} Moved;

static gboolean
is_active_again (gpointer data)
{
  Moved *moved = data;
  g_autoptr(DeskMember) fresh = desk_member_load (desk_members_view_get_store (moved->view),
                                                  moved->id, NULL);

  return fresh != NULL && desk_member_get_is_active (fresh);
}

/* The member has left the Deactivated list (read again) and so its rows,
 * which show the list. */
static gboolean
left_the_list (gpointer data)
{
  Moved *moved = data;
  DeskRecordList *list = desk_members_view_get_list (moved->view, DESK_MEMBER_STATUS_DEACTIVATED);

  return desk_test_list_loaded (list) && rows_shown (moved->view) &&
         find_position (list, moved->id, TRUE) == G_MAXUINT;
}

static gboolean
in_active_list (gpointer data)
{
  Moved *moved = data;
  DeskRecordList *list = desk_members_view_get_list (moved->view, DESK_MEMBER_STATUS_ACTIVE);

  return desk_test_list_loaded (list) && find_position (list, moved->id, TRUE) != G_MAXUINT;
}

/* An active member (not the demo administrator) with an MDBilling
 * connection and no lab integration, deactivated through the model:
 * appointments cancelled, Qnaires removed, inbox archived. */
static DeskMember *
deactivate_one_with_billing (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) admin = desk_session_sign_in (store, DESK_DEMO_USERNAME,
                                                       DESK_DEMO_PASSWORD, &error);
  g_autoptr(GListModel) members = NULL;

  g_assert_no_error (error);
  members = desk_member_find_receivers (store, "", FALSE,
                                        desk_member_get_id (desk_session_get_member (admin)), 0,
                                        &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (members, i);
      g_autoptr(DeskDeactivationPlan) plan = NULL;
      g_autoptr(DeskDeactivationReport) report = NULL;

      plan = desk_deactivation_plan_new (admin, desk_member_get_id (member), &error);
      g_assert_no_error (error);
      if (!desk_deactivation_plan_get_billing_connected (plan) ||
          desk_deactivation_plan_has (plan, DESK_DEACTIVATION_LABS))
        continue;
      for (guint c = DESK_DEACTIVATION_APPOINTMENTS; c < DESK_DEACTIVATION_LABS; c++)
        g_assert_true (desk_deactivation_plan_set_receiver (plan, c, 0, &error));
      g_assert_true (desk_session_reauthenticate (admin, DESK_DEMO_PASSWORD, &error));
      report = desk_deactivation_execute (admin, plan, &error);
      g_assert_no_error (error);
      g_assert_true (report->billing_disconnected);
      return g_steal_pointer (&member);
    }
  g_error ("No member with an MDBilling connection and no lab");
  return NULL;
}

/* The toast the member page's Activate shows for @member: with the note
 * on MDBilling when the member has a connection left disconnected. */
static char *
reactivated_toast (DeskStore  *store,
                   DeskMember *member)
{
  const char *name = desk_member_get_display_name (member);

  if (desk_test_count (store, "SELECT count (*) FROM billing_connections"
                              " WHERE member_id = %" G_GINT64_FORMAT " AND status = 'disconnected'",
                       desk_member_get_id (member)) > 0)
    return g_strdup_printf ("%s is reactivated. Their MDBilling connection stays disconnected until it is configured again.",
                            name);
  return g_strdup_printf ("%s is reactivated", name);
}

/* Activate on @member's row, confirmed with @password (a wrong one first
 * when @wrong_first): the member is active in the clinic record, the
 * lists say so, and so does a toast. */
static void
activate_from_row (Fixture    *f,
                   DeskMember *member,
                   gboolean    wrong_first)
{
  DeskMembersView *view = show_status (f, DESK_MEMBER_STATUS_DEACTIVATED);
  guint n_deactivated = g_list_model_get_n_items (G_LIST_MODEL (desk_members_view_get_list (view, DESK_MEMBER_STATUS_DEACTIVATED)));
  g_autofree char *toast = reactivated_toast (f->clinic.store, member);
  DeskTestLabelShown shown = { GTK_WIDGET (f->window), toast };
  Moved moved = { view, desk_member_get_id (member) };
  DeskRecordRow *row = find_row (view, desk_member_get_id (member), TRUE);
  DeskReauthDialog *dialog;

  g_assert_nonnull (row);
  assert_button (view, row, "Activate", NULL, "Activate…");
  g_signal_emit_by_name (desk_record_row_get_status_button (row), "clicked");
  wait_until (desk_test_toplevel_shown, GSIZE_TO_POINTER (DESK_TYPE_REAUTH_DIALOG),
              "the confirmation");
  dialog = find_reauth_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));

  if (wrong_first)
    {
      g_autoptr(DeskMember) fresh = NULL;

      /* Refused, the dialog stays, nothing changes. */
      gtk_editable_set_text (desk_reauth_dialog_get_password (dialog), "not the password");
      g_signal_emit_by_name (desk_reauth_dialog_get_password (dialog), "activate");
      wait_until ((DeskTestCondition) desk_reauth_dialog_get_error, dialog, "the refusal");
      g_assert_true (find_reauth_dialog () == dialog);
      fresh = desk_member_load (f->clinic.store, desk_member_get_id (member), NULL);
      g_assert_false (desk_member_get_is_active (fresh));
    }

  gtk_editable_set_text (desk_reauth_dialog_get_password (dialog), DESK_DEMO_PASSWORD);
  g_signal_emit_by_name (desk_reauth_dialog_get_password (dialog), "activate");
  wait_until (is_active_again, &moved, "the reactivation");
  wait_until (desk_test_label_shown, &shown, "the toast");

  /* The lists are read again: the member moved from one to the other. */
  wait_until (left_the_list, &moved, "the member to leave the Deactivated list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (desk_members_view_get_list (view, DESK_MEMBER_STATUS_DEACTIVATED))),
                    ==, n_deactivated - 1);
  wait_until (in_active_list, &moved, "the member in the Active list");
}

/* Activate on deactivated members' rows: a member whose MDBilling
 * connection the deactivation cut (told so), then the demo's own. */
static void
test_activate (void)
{
  Fixture f = { NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(DeskMember) with_billing = NULL;
  g_autoptr(DeskMember) other = NULL;
  DeskMembersView *view;

  /* The password every time: the keyring is not asked. */
  g_settings_set_int (settings, "reauth-grace-minutes", 0);
  if (!fixture_set_up (&f, TRUE))
    return;
  with_billing = deactivate_one_with_billing (f.clinic.store);

  activate_from_row (&f, with_billing, TRUE);

  view = show_status (&f, DESK_MEMBER_STATUS_DEACTIVATED);
  {
    g_autoptr(GPtrArray) rows = find_rows (desk_members_view_get_list_view (view));

    g_assert_cmpuint (rows->len, >, 0);
    other = member_of (view, g_ptr_array_index (rows, 0));
  }
  activate_from_row (&f, other, FALSE);

  g_settings_reset (settings, "reauth-grace-minutes");
  fixture_tear_down (&f);
}

/* From the keyboard: Tab leaves the list without stopping on any row's
 * button; Menu or Shift+F10 on the focused row opens its menu, whose
 * Deactivate… opens the assistant for that member.  A right click opens
 * the same menu on the row under the pointer. */
static void
test_keyboard (void)
{
  Fixture f = { NULL };
  DeskMembersView *view;
  GtkListView *list_view;
  DeskRecordRow *row;
  GtkWidget *menu, *item, *focus;
  g_autoptr(DeskMember) member = NULL;

  if (!fixture_set_up (&f, TRUE))
    return;
  view = show_status (&f, DESK_MEMBER_STATUS_ACTIVE);
  list_view = desk_members_view_get_list_view (view);
  row = find_row (view, f.self_id, FALSE);
  member = member_of (view, row);

  /* Tab, as the window moves the focus for it, from the first row until
   * the focus leaves the list: GTK 4.8 stops on each row's item (issue 9
   * is about that), never on a row's button. */
  {
    guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (desk_members_view_get_list (view, DESK_MEMBER_STATUS_ACTIVE)));
    guint stops = 0;

    focus_row (row_at (view, 0));
    for (;;)
      {
        if (!gtk_widget_child_focus (GTK_WIDGET (f.window), GTK_DIR_TAB_FORWARD))
          {
            gtk_window_set_focus (GTK_WINDOW (f.window), NULL);
            g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f.window), GTK_DIR_TAB_FORWARD));
          }
        focus = gtk_root_get_focus (GTK_ROOT (f.window));
        g_assert_nonnull (focus);
        if (!gtk_widget_is_ancestor (focus, GTK_WIDGET (list_view)))
          break;
        g_assert_null (gtk_widget_get_ancestor (focus, DESK_TYPE_RECORD_ROW));
        g_assert_false (GTK_IS_BUTTON (focus));
        stops++;
        g_assert_cmpuint (stops, <, n_rows);
      }
  }

  /* Shift+F10 is there too; Menu opens it here. */
  g_assert_nonnull (desk_test_find_shortcut (GTK_WIDGET (list_view), "<Shift>F10"));
  focus_row (row);
  press (list_view, "Menu");
  menu = desk_record_row_get_menu (row);
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_get_visible (menu));
  item = find_menu_item (menu, "_Deactivate…");
  g_assert_nonnull (item);
  g_assert_true (gtk_widget_is_sensitive (item));
  g_signal_emit_by_name (item, "clicked");
  assert_assistant_for (&f, member);
  wait_until (menu_dropped, row, "the menu to go");

  /* On your own row the item is insensitive, and the menu says why. */
  focus_row (find_row (view, f.self_id, TRUE));
  press (list_view, "<Shift>F10");
  menu = desk_record_row_get_menu (find_row (view, f.self_id, TRUE));
  g_assert_nonnull (menu);
  g_assert_nonnull (desk_test_find_mapped_label (menu, SELF_REFUSAL));
  g_assert_false (gtk_widget_is_sensitive (find_menu_item (menu, "_Deactivate…")));
  gtk_popover_popdown (GTK_POPOVER (menu));
  wait_until (menu_dropped, find_row (view, f.self_id, TRUE), "the menu to go");

  /* A right click on a row: the menu of that row. */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (list_view));
    GtkGesture *right_click = NULL;
    graphene_point_t center;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller) &&
            gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == 3)
          right_click = GTK_GESTURE (controller);
      }
    g_assert_nonnull (right_click);
    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (list_view),
                                             &GRAPHENE_POINT_INIT (gtk_widget_get_width (GTK_WIDGET (row)) / 3.f,
                                                                   gtk_widget_get_height (GTK_WIDGET (row)) / 2.f),
                                             &center));
    g_signal_emit_by_name (right_click, "pressed", 1, (double) center.x, (double) center.y);
    menu = desk_record_row_get_menu (row);
    g_assert_nonnull (menu);
    g_assert_true (gtk_widget_get_visible (menu));
    g_assert_nonnull (find_menu_item (menu, "_Deactivate…"));
    gtk_popover_popdown (GTK_POPOVER (menu));
    wait_until (menu_dropped, row, "the menu to go");
  }

  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add_func ("/member-rows/buttons", test_buttons);
  g_test_add_func ("/member-rows/without-permission", test_without_permission);
  g_test_add_func ("/member-rows/deactivate", test_deactivate);
  g_test_add_func ("/member-rows/activate", test_activate);
  g_test_add_func ("/member-rows/keyboard", test_keyboard);

  return g_test_run ();
}
