/* desk-clients-bulk.c: the clients view's selection mode and its bulk actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Select" starts a selection mode, as in GNOME's applications: rows show
 * check buttons, Ctrl+click, Shift+click, Ctrl+A and Shift+arrows extend
 * the selection (the list view's own bindings, over the selection's
 * multiple mode), a bar below the list says how many clients are selected
 * and offers what can be done to them all, and Escape ends it.
 *
 * A bulk action reads the ids of the clients selected on a worker (a
 * Shift+click can select a million rows), asks (the reason of a
 * discharge; how many clients; for portal access, the password), runs the
 * change on the change path's worker, all or nothing, and says what it did
 * in a toast; the store's "changed" signal refreshes the list, and the
 * selection stays on the same clients.  Nothing of it outlives the session.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-client-change.h"
#include "desk-clients-view-private.h"
#include "desk-portal.h"
#include "desk-reauth-dialog.h"
#include "desk-record-row.h"
#include "desk-session.h"
#include "desk-window-chrome.h"
#include "desk-window.h"

typedef enum
{
  BULK_DISCHARGE,
  BULK_ACTIVATE,
  BULK_DISABLE_PORTAL,
} BulkKind;

/* One bulk action, from reading its ids to its toast. */
typedef struct
{
  DeskClientsView *self;
  BulkKind         kind;
  GCancellable    *cancellable;   /* cancelled when the session ends */
  GArray          *ids;
  GtkEditable     *reason;        /* in the dialog, while it is shown */
} Bulk;

static void
bulk_free (Bulk *bulk)
{
  g_object_unref (bulk->self);
  g_object_unref (bulk->cancellable);
  g_clear_pointer (&bulk->ids, g_array_unref);
  g_free (bulk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Bulk, bulk_free)

/* Helpers */

static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

static DeskWindow *
get_window (DeskClientsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return DESK_IS_WINDOW (root) ? DESK_WINDOW (root) : NULL;
}

static DeskSession *
get_session (DeskClientsView *self)
{
  DeskWindow *window = get_window (self);

  return window != NULL ? desk_window_get_session (window) : NULL;
}

static void
toast (DeskClientsView *self,
       const char      *text)
{
  DeskWindow *window = get_window (self);

  if (window != NULL)
    desk_window_chrome_toast (GTK_WINDOW (window), text);
}

static void
update_bulk (DeskClientsView *self)
{
  DeskSession *session = get_session (self);
  guint n_marked = self->marks != NULL ? desk_record_marks_get_n_marked (self->marks) : 0;
  gboolean remapping = self->marks != NULL && desk_record_marks_get_remapping (self->marks);
  gboolean can_manage = session != NULL &&
                        desk_session_has_permission (session, DESK_PERMISSION_MANAGE_CLIENTS);
  gboolean idle = !self->bulk_preparing && !self->bulk_running;
  gboolean ready = self->selection_mode && idle && n_marked > 0 && !remapping && can_manage;
  g_autofree char *label = NULL;
  const char *why_not = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clients.discharge", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clients.activate", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clients.disable-portal", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clients.leave-selection",
                                 self->selection_mode && !self->bulk_running);

  if (self->bulk_running)
    label = g_strdup (self->bulk_status);
  else if (n_marked == 0)
    label = g_strdup (_("No clients selected"));
  else
    {
      g_autofree char *number = format_count (n_marked);

      /* Translators: %s is a number of clients, with thousands separators */
      label = g_strdup_printf (ngettext ("%s client selected", "%s clients selected", n_marked),
                               number);
    }
  gtk_label_set_label (self->selection_label, label);
  gtk_widget_set_visible (GTK_WIDGET (self->bulk_spinner), self->bulk_running);
  gtk_spinner_set_spinning (self->bulk_spinner, self->bulk_running);

  if (session != NULL && !can_manage)
    why_not = _("Changing clients needs the “manage clients” permission.");
  gtk_widget_set_tooltip_text (self->discharge_button,
                               why_not != NULL ? why_not : _("Discharge the clients selected"));
  gtk_widget_set_tooltip_text (self->activate_button,
                               why_not != NULL ? why_not
                                               : _("Make the clients selected active again"));
  gtk_widget_set_tooltip_text (self->portal_button,
                               why_not != NULL ? why_not
                                               : _("Turn off portal access for the clients selected"));

  /* While the change runs, the list stays as it is (its rows may be looked
   * at: the change has its ids; making 200 rows insensitive and sensitive
   * again restyled each, 10 ms and more). */
  gtk_widget_set_sensitive (self->search_box, !self->bulk_running);
  gtk_widget_set_sensitive (self->filter_box, !self->bulk_running);
}

/* Check buttons in the rows */

/* A check button toggled from the keyboard (Space): the row's selection
 * follows; the model says what is selected, the check shows it. */
static void
on_check_toggled (GtkCheckButton *check,
                  GtkListItem    *item)
{
  if (gtk_check_button_get_active (check) == gtk_list_item_get_selected (item))
    return;
  gtk_widget_activate_action (GTK_WIDGET (check), "list.select-item", "(ubb)",
                              gtk_list_item_get_position (item), TRUE, FALSE);
  gtk_check_button_set_active (check, gtk_list_item_get_selected (item));
}

/* The row's own click would select this row alone: a click on its check
 * is the check's, and toggles this row only (Shift: a range). */
static void
on_check_pressed (GtkGestureClick *gesture)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_check_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkListItem     *item)
{
  GtkWidget *check = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_activate_action (check, "list.select-item", "(ubb)",
                              gtk_list_item_get_position (item), TRUE,
                              (state & GDK_SHIFT_MASK) != 0);
}

static void
on_item_selected (GtkListItem    *item,
                  GParamSpec     *pspec,
                  GtkCheckButton *check)
{
  gtk_check_button_set_active (check, gtk_list_item_get_selected (item));
}

/* Rows get their check the first time they are shown in selection mode:
 * a row is built for each of a screenful of results, and most never are.
 * Returns whether it made one. */
static gboolean
show_check (DeskClientsView *self,
            GtkListItem     *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *check;
  GtkGesture *click;

  if (!DESK_IS_RECORD_ROW (row))
    return FALSE;
  check = desk_record_row_get_start (DESK_RECORD_ROW (row));
  if (check != NULL)
    {
      gtk_widget_set_visible (check, self->selection_mode);
      return FALSE;
    }
  if (!self->selection_mode)
    return FALSE;

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), gtk_list_item_get_selected (item));
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled), item, 0);
  g_signal_connect_object (item, "notify::selected", G_CALLBACK (on_item_selected), check, 0);
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_check_pressed), NULL);
  g_signal_connect_object (click, "released", G_CALLBACK (on_check_released), item, 0);
  gtk_widget_add_controller (check, GTK_EVENT_CONTROLLER (click));
  desk_record_row_set_start (DESK_RECORD_ROW (row), check);
  return TRUE;
}

static void
on_factory_setup (DeskClientsView *self,
                  GtkListItem     *item)
{
  if (self->rows == NULL)
    return;
  g_hash_table_add (self->rows, item);
  if (self->selection_mode)
    show_check (self, item);
}

static void
on_factory_teardown (DeskClientsView *self,
                     GtkListItem     *item)
{
  if (self->rows != NULL)
    g_hash_table_remove (self->rows, item);
}

/* Whether the row is on screen in its view. */
static gboolean
in_sight (DeskClientsView *self,
          GtkListItem     *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  graphene_rect_t bounds;

  if (row == NULL || !gtk_widget_get_mapped (row) ||
      !gtk_widget_compute_bounds (row, GTK_WIDGET (self->list_view), &bounds))
    return FALSE;
  return bounds.origin.y + bounds.size.height >= 0 &&
         bounds.origin.y <= gtk_widget_get_height (GTK_WIDGET (self->list_view));
}

/* Checks for the rows out of sight, a few score a main-loop turn. */
#define CHECK_STEP 24

static gboolean
add_checks (gpointer data)
{
  DeskClientsView *self = data;
  GHashTableIter iter;
  gpointer item;
  guint made = 0;

  g_hash_table_iter_init (&iter, self->rows);
  while (made < CHECK_STEP && g_hash_table_iter_next (&iter, &item, NULL))
    made += show_check (self, item);
  if (made == CHECK_STEP)
    return G_SOURCE_CONTINUE;
  self->checks_source = 0;
  return G_SOURCE_REMOVE;
}

/* Entering selection mode adds a check button to each of the view's 200
 * rows: a dozen on screen at once, the rest after the frame (all of them
 * at once held the main thread 10 ms and more). */
static void
show_checks (DeskClientsView *self)
{
  GHashTableIter iter;
  gpointer item;

  g_clear_handle_id (&self->checks_source, g_source_remove);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      if (!self->selection_mode || in_sight (self, item))
        show_check (self, item);
    }
  if (self->selection_mode)
    {
      self->checks_source = g_idle_add_full (G_PRIORITY_LOW, add_checks, self, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->checks_source),
                                "[desk] check buttons");
    }
}

/* Running a bulk action */

static void
bulk_end (DeskClientsView *self)
{
  self->bulk_preparing = FALSE;
  self->bulk_running = FALSE;
  g_clear_pointer (&self->bulk_status, g_free);
  update_bulk (self);
}

static char *
done_text (BulkKind kind,
           guint    changed,
           guint    unchanged)
{
  g_autofree char *n_changed = format_count (changed);
  g_autofree char *n_unchanged = format_count (unchanged);
  g_autofree char *main_text = NULL;
  g_autofree char *rest = NULL;

  switch (kind)
    {
    case BULK_DISCHARGE:
      if (changed == 0)
        main_text = g_strdup (_("No client was discharged"));
      else
        /* Translators: %s is a number of clients, with thousands separators */
        main_text = g_strdup_printf (ngettext ("%s client discharged", "%s clients discharged",
                                               changed), n_changed);
      if (unchanged > 0)
        /* Translators: follows "12 clients discharged"; %s is a number of clients */
        rest = g_strdup_printf (ngettext ("%s was already inactive.", "%s were already inactive.",
                                          unchanged), n_unchanged);
      break;

    case BULK_ACTIVATE:
      if (changed == 0)
        main_text = g_strdup (_("No client was made active"));
      else
        /* Translators: %s is a number of clients, with thousands separators */
        main_text = g_strdup_printf (ngettext ("%s client active again",
                                               "%s clients active again", changed), n_changed);
      if (unchanged > 0)
        /* Translators: follows "12 clients active again"; %s is a number of clients */
        rest = g_strdup_printf (ngettext ("%s was already active.", "%s were already active.",
                                          unchanged), n_unchanged);
      break;

    case BULK_DISABLE_PORTAL:
    default:
      if (changed == 0)
        main_text = g_strdup (_("No client’s portal access was turned off"));
      else
        /* Translators: %s is a number of clients, with thousands separators */
        main_text = g_strdup_printf (ngettext ("Portal access turned off for %s client",
                                               "Portal access turned off for %s clients",
                                               changed), n_changed);
      if (unchanged > 0)
        /* Translators: follows "Portal access turned off for 12 clients"; %s is a number of clients */
        rest = g_strdup_printf (ngettext ("%s already had it off.", "%s already had it off.",
                                          unchanged), n_unchanged);
      break;
    }
  return rest != NULL ? g_strdup_printf ("%s. %s", main_text, rest) : g_steal_pointer (&main_text);
}

static void
on_bulk_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Bulk) bulk = user_data;
  DeskClientsView *self = bulk->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint changed = 0, unchanged = 0;
  gboolean ok;

  if (bulk->kind == BULK_DISCHARGE)
    ok = desk_client_discharge_many_finish (DESK_SESSION (source), result, &changed, &unchanged,
                                            &error);
  else if (bulk->kind == BULK_ACTIVATE)
    ok = desk_client_activate_many_finish (DESK_SESSION (source), result, &changed, &unchanged,
                                           &error);
  else
    ok = desk_portal_disable_many_finish (DESK_SESSION (source), result, &changed, &unchanged,
                                          &error);

  /* The session ended meanwhile: its answer is no longer shown. */
  if (g_cancellable_is_cancelled (bulk->cancellable))
    return;
  bulk_end (self);
  if (!ok)
    /* Translators: %s says why, e.g. "You do not have the “manage clients” permission." */
    text = g_strdup_printf (_("Nothing was changed. %s"), error->message);
  else
    text = done_text (bulk->kind, changed, unchanged);
  toast (self, text);
}

static void
run (Bulk       *bulk,
     const char *reason)
{
  DeskClientsView *self = bulk->self;
  DeskSession *session = get_session (self);
  g_autofree char *number = format_count (bulk->ids->len);
  const gint64 *ids = (const gint64 *) (gpointer) bulk->ids->data;

  if (session == NULL)
    {
      bulk_end (self);
      bulk_free (bulk);
      return;
    }
  self->bulk_preparing = FALSE;
  self->bulk_running = TRUE;
  g_free (self->bulk_status);
  switch (bulk->kind)
    {
    case BULK_DISCHARGE:
      /* Translators: %s is a number of clients, with thousands separators */
      self->bulk_status = g_strdup_printf (ngettext ("Discharging %s client…",
                                                     "Discharging %s clients…", bulk->ids->len),
                                           number);
      update_bulk (self);
      desk_client_discharge_many_async (session, ids, bulk->ids->len, reason, NULL, on_bulk_done,
                                        bulk);
      break;

    case BULK_ACTIVATE:
      /* Translators: %s is a number of clients, with thousands separators */
      self->bulk_status = g_strdup_printf (ngettext ("Making %s client active…",
                                                     "Making %s clients active…", bulk->ids->len),
                                           number);
      update_bulk (self);
      desk_client_activate_many_async (session, ids, bulk->ids->len, NULL, NULL, on_bulk_done,
                                       bulk);
      break;

    case BULK_DISABLE_PORTAL:
    default:
      /* Translators: %s is a number of clients, with thousands separators */
      self->bulk_status = g_strdup_printf (ngettext ("Turning off portal access for %s client…",
                                                     "Turning off portal access for %s clients…",
                                                     bulk->ids->len),
                                           number);
      update_bulk (self);
      desk_portal_disable_many_async (session, ids, bulk->ids->len, NULL, on_bulk_done, bulk);
      break;
    }
}

static void
on_password_confirmed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Bulk *bulk = user_data;
  DeskClientsView *self = bulk->self;
  g_autoptr(GError) error = NULL;

  if (!desk_reauth_dialog_confirm_finish (result, &error))
    {
      if (!g_cancellable_is_cancelled (bulk->cancellable))
        {
          bulk_end (self);
          /* Cancelled: nothing to say, nothing was changed. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_autofree char *text = g_strdup_printf (_("Nothing was changed. %s"),
                                                       error->message);

              toast (self, text);
            }
        }
      bulk_free (bulk);
      return;
    }
  if (g_cancellable_is_cancelled (bulk->cancellable))
    {
      bulk_free (bulk);
      return;
    }
  run (bulk, NULL);
}

static void
on_dialog_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          data)
{
  Bulk *bulk = g_object_steal_data (G_OBJECT (dialog), "desk-bulk");
  DeskClientsView *self;
  g_autofree char *reason = NULL;

  if (bulk == NULL)
    return;
  self = bulk->self;
  if (g_strcmp0 (response, "cancel") == 0 || g_cancellable_is_cancelled (bulk->cancellable))
    {
      if (!g_cancellable_is_cancelled (bulk->cancellable))
        bulk_end (self);
      bulk_free (bulk);
      return;
    }

  if (bulk->kind == BULK_DISABLE_PORTAL)
    {
      DeskWindow *window = get_window (self);
      g_autofree char *number = format_count (bulk->ids->len);
      g_autofree char *what = NULL;

      if (window == NULL || desk_window_get_reauth (window) == NULL)
        {
          bulk_end (self);
          bulk_free (bulk);
          return;
        }
      /* Translators: %s is a number of clients, with thousands separators */
      what = g_strdup_printf (ngettext ("Turn off portal access for %s client.",
                                        "Turn off portal access for %s clients.", bulk->ids->len),
                              number);
      desk_reauth_dialog_confirm_async (GTK_WINDOW (window), desk_window_get_reauth (window), what,
                                        bulk->cancellable, on_password_confirmed, bulk);
      return;
    }

  if (bulk->reason != NULL)
    reason = g_strdup (gtk_editable_get_text (bulk->reason));
  run (bulk, reason);
}

static void
on_reason_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "discharge", reason[0] != '\0');
}

static void
bulk_free_data (gpointer data)
{
  bulk_free (data);
}

/* Asks before the change: how many clients, what it does and does not do. */
static void
ask (Bulk *bulk)
{
  DeskClientsView *self = bulk->self;
  guint n = bulk->ids->len;
  g_autofree char *number = format_count (n);
  g_autofree char *heading = NULL;
  const char *body;
  const char *response, *label;
  AdwResponseAppearance appearance = ADW_RESPONSE_SUGGESTED;
  GtkWidget *dialog;

  switch (bulk->kind)
    {
    case BULK_DISCHARGE:
      /* Translators: %s is a number of clients, with thousands separators */
      heading = g_strdup_printf (ngettext ("Discharge %s Client?", "Discharge %s Clients?", n),
                                 number);
      body = ngettext ("The client becomes inactive from today, with the reason below, which "
                       "stays in their record. Their portal access is not changed: if they have "
                       "it, they can still sign in and see the documents shared with them.",
                       "These clients become inactive from today, with the reason below, which "
                       "stays in their records. Their portal access is not changed: those who "
                       "have it can still sign in and see the documents shared with them.", n);
      response = "discharge";
      label = _("_Discharge");
      break;

    case BULK_ACTIVATE:
      /* Translators: %s is a number of clients, with thousands separators */
      heading = g_strdup_printf (ngettext ("Make %s Client Active Again?",
                                           "Make %s Clients Active Again?", n), number);
      body = ngettext ("Their discharge stays in their record’s history. Their portal access is "
                       "not changed.",
                       "Their discharges stay in their records’ history. Their portal access is "
                       "not changed.", n);
      response = "activate";
      label = _("_Activate");
      break;

    case BULK_DISABLE_PORTAL:
    default:
      /* Translators: %s is a number of clients, with thousands separators */
      heading = g_strdup_printf (ngettext ("Turn Off Portal Access for %s Client?",
                                           "Turn Off Portal Access for %s Clients?", n), number);
      body = ngettext ("The client can no longer sign in to the portal. Their status, records "
                       "and shared documents stay as they are. You will be asked for your "
                       "password.",
                       "These clients can no longer sign in to the portal. Their status, records "
                       "and shared documents stay as they are. You will be asked for your "
                       "password.", n);
      response = "disable";
      label = _("_Turn Off");
      appearance = ADW_RESPONSE_DESTRUCTIVE;
      break;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, appearance);
  /* Enter: the reason's too, where Discharge stays off without one. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), response);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  if (bulk->kind == BULK_DISCHARGE)
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (required)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Reason for the discharge"), -1);
      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      g_signal_connect_object (entry, "changed", G_CALLBACK (on_reason_changed), dialog, 0);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), response, FALSE);
      bulk->reason = GTK_EDITABLE (entry);
    }

  /* The dialog holds the action until it answers; destroyed unanswered
   * (the session ended), it frees it. */
  g_object_set_data_full (G_OBJECT (dialog), "desk-bulk", bulk, bulk_free_data);
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), NULL);
  g_set_weak_pointer (&self->bulk_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  if (bulk->reason != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (bulk->reason));
}

static void
on_ids_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Bulk *bulk = user_data;
  g_autoptr(GError) error = NULL;

  bulk->ids = desk_record_marks_dup_ids_finish (DESK_RECORD_MARKS (source), result, &error);
  if (g_cancellable_is_cancelled (bulk->cancellable))
    {
      bulk_free (bulk);
      return;
    }
  if (bulk->ids == NULL || bulk->ids->len == 0 || get_window (bulk->self) == NULL)
    {
      bulk_end (bulk->self);
      bulk_free (bulk);
      return;
    }
  ask (bulk);
}

static void
start_bulk (DeskClientsView *self,
            BulkKind         kind)
{
  Bulk *bulk;

  if (self->marks == NULL || self->bulk_preparing || self->bulk_running)
    return;

  if (self->bulk_cancellable == NULL)
    self->bulk_cancellable = g_cancellable_new ();
  bulk = g_new0 (Bulk, 1);
  bulk->self = g_object_ref (self);
  bulk->kind = kind;
  bulk->cancellable = g_object_ref (self->bulk_cancellable);
  self->bulk_preparing = TRUE;
  update_bulk (self);
  desk_record_marks_dup_ids_async (self->marks, bulk->cancellable, on_ids_read, bulk);
}

/* Actions */

static void
discharge_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  start_bulk (DESK_CLIENTS_VIEW (widget), BULK_DISCHARGE);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  start_bulk (DESK_CLIENTS_VIEW (widget), BULK_ACTIVATE);
}

static void
disable_portal_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  start_bulk (DESK_CLIENTS_VIEW (widget), BULK_DISABLE_PORTAL);
}

static void
leave_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DeskClientsView *self = DESK_CLIENTS_VIEW (widget);

  gtk_toggle_button_set_active (self->select_button, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Callbacks */

static void
on_select_toggled (DeskClientsView *self)
{
  gboolean active = gtk_toggle_button_get_active (self->select_button);

  if (self->selection_mode == active)
    return;
  self->selection_mode = active;
  if (self->selection != NULL)
    desk_record_selection_set_multiple (self->selection, active);
  show_checks (self);
  _desk_clients_view_update_activation (self);
  update_bulk (self);
}

static void
on_marks_notify (DeskClientsView *self)
{
  update_bulk (self);
}

/* Internal API */

void
_desk_clients_view_update_activation (DeskClientsView *self)
{
  gtk_list_view_set_single_click_activate (self->list_view,
                                           adw_leaflet_get_folded (self->leaflet) &&
                                           !self->selection_mode);
}

void
_desk_clients_view_bulk_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, search_box);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, select_button);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, selection_label);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, bulk_spinner);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, discharge_button);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, activate_button);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, portal_button);
  gtk_widget_class_bind_template_callback (widget_class, on_select_toggled);

  gtk_widget_class_install_action (widget_class, "clients.discharge", NULL, discharge_action);
  gtk_widget_class_install_action (widget_class, "clients.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "clients.disable-portal", NULL,
                                   disable_portal_action);
  gtk_widget_class_install_action (widget_class, "clients.leave-selection", NULL,
                                   leave_selection_action);
}

void
_desk_clients_view_bulk_init (DeskClientsView *self)
{
  GtkListItemFactory *factory = gtk_list_view_get_factory (self->list_view);

  self->rows = g_hash_table_new (NULL, NULL);
  g_signal_connect_object (factory, "setup", G_CALLBACK (on_factory_setup), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (factory, "teardown", G_CALLBACK (on_factory_teardown), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (_desk_clients_view_update_activation), self,
                           G_CONNECT_SWAPPED);
  desk_a11y_name_mnemonic_buttons (GTK_WIDGET (self->selection_bar));
  _desk_clients_view_update_activation (self);
  update_bulk (self);
}

void
_desk_clients_view_bulk_dispose (DeskClientsView *self)
{
  g_clear_handle_id (&self->checks_source, g_source_remove);
  _desk_clients_view_bulk_forget (self);
  _desk_clients_view_bulk_watch (self, NULL);
  g_clear_object (&self->bulk_cancellable);
  g_clear_weak_pointer (&self->bulk_dialog);
}

void
_desk_clients_view_bulk_watch (DeskClientsView     *self,
                               DeskRecordSelection *selection)
{
  DeskRecordMarks *marks = selection != NULL ? desk_record_selection_get_marks (selection) : NULL;

  if (self->marks == marks)
    return;
  if (self->marks != NULL)
    g_signal_handlers_disconnect_by_func (self->marks, on_marks_notify, self);
  g_set_object (&self->marks, marks);
  if (marks != NULL)
    {
      g_signal_connect_object (marks, "notify::n-marked", G_CALLBACK (on_marks_notify), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (marks, "notify::remapping", G_CALLBACK (on_marks_notify), self,
                               G_CONNECT_SWAPPED);
    }
  if (selection != NULL)
    desk_record_selection_set_multiple (selection, self->selection_mode);
  if (self->selection_label != NULL)
    update_bulk (self);
}

void
_desk_clients_view_unmark_all (DeskClientsView *self)
{
  if (self->marks != NULL)
    desk_record_marks_clear (self->marks);
}

/* A question asked for the session that ends goes with it; so does a
 * password confirmation asked for a bulk action. */
static void
close_questions (DeskClientsView *self)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->bulk_dialog != NULL)
    gtk_window_destroy (self->bulk_dialog);
  for (guint i = g_list_model_get_n_items (toplevels); root != NULL && i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (DESK_IS_REAUTH_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (root))
        gtk_window_destroy (window);
    }
}

void
_desk_clients_view_bulk_forget (DeskClientsView *self)
{
  gboolean asking = self->bulk_preparing;

  if (self->bulk_cancellable != NULL)
    {
      g_cancellable_cancel (self->bulk_cancellable);
      g_clear_object (&self->bulk_cancellable);
    }
  self->bulk_preparing = FALSE;
  self->bulk_running = FALSE;
  g_clear_pointer (&self->bulk_status, g_free);
  if (asking)
    close_questions (self);
  else if (self->bulk_dialog != NULL)
    gtk_window_destroy (self->bulk_dialog);
  if (self->select_button != NULL)
    gtk_toggle_button_set_active (self->select_button, FALSE);
  _desk_clients_view_unmark_all (self);
}

/* Public API */

GtkToggleButton *
desk_clients_view_get_select_button (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return self->select_button;
}

const char *
desk_clients_view_get_selection_text (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return gtk_label_get_label (self->selection_label);
}

gboolean
desk_clients_view_get_bulk_busy (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), FALSE);

  return self->bulk_preparing || self->bulk_running;
}
