/* desk-window.c: the main window, showing one clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "desk-a11y.h"
#include "desk-audit-window.h"
#include "desk-client-search.h"
#include "desk-closures.h"
#include "desk-clinic-opener.h"
#include "desk-inbox-view.h"
#include "desk-member.h"
#include "desk-reauth.h"
#include "desk-session.h"
#include "desk-sign-in-page.h"
#include "desk-store.h"
#include "desk-stall-watchdog.h"
#include "desk-window.h"
#include "desk-window-chrome.h"

/* How often the window looks whether the member has gone idle. */
#define IDLE_CHECK_SECONDS 15
/* How often, while a member is signed in, the window looks whether another
 * program changed the file (one PRAGMA: microseconds). */
#define EXTERNAL_POLL_SECONDS 1

struct _DeskWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  DeskStore            *store;
  DeskClinicOpener     *opener;
  GFile                *demo_file;        /* where the demo clinic lives */
  gulong                check_map_id;
  gulong                check_paint_id;
  GtkFileChooserNative *chooser;
  char                 *error_message;

  DeskSession          *session;          /* the member signed in, or NULL */
  DeskReauth           *reauth;
  GtkWindow            *audit_window;     /* weak */
  gint64                last_activity;    /* monotonic, for locking when idle */
  guint                 idle_source;
  guint                 poll_source;      /* looks for other programs' changes */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *audit_button;
  GtkMenuButton        *account_button;
  GtkStack             *main_stack;
  DeskSignInPage       *sign_in_page;
  AdwStatusPage        *loading_page;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *error_page;
  AdwViewStack         *view_stack;
  DeskMembersView      *members_view;
  DeskClientsView      *clients_view;
};

G_DEFINE_FINAL_TYPE (DeskWindow, desk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Every action's state, in one place.  An action the member's permissions
 * do not allow stays visible, insensitive, and says why. */
static void
desk_window_actions_update (DeskWindow *self)
{
  gboolean clinic = self->store != NULL && self->session != NULL &&
                    g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                               DESK_WINDOW_PAGE_CLINIC) == 0;
  gboolean audit = clinic && desk_session_has_permission (self->session,
                                                          DESK_PERMISSION_VIEW_AUDIT);
  g_autofree char *account = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", clinic);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-members", clinic);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-clients", clinic);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-audit-log", audit);

  gtk_widget_set_visible (self->audit_button, clinic);
  gtk_widget_set_visible (GTK_WIDGET (self->account_button), self->session != NULL);

  if (audit || !clinic)
    {
      gtk_widget_set_tooltip_text (self->audit_button, _("Audit Log"));
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->audit_button),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  else
    {
      const char *why = _("You do not have the “view the audit log” permission. Ask a clinic administrator.");
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s", _("Audit Log"), why);

      gtk_widget_set_tooltip_text (self->audit_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->audit_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why, -1);
    }

  if (self->session != NULL)
    {
      /* Translators: %s is the name of the member who is signed in */
      account = g_strdup_printf (_("Signed in as %s"),
                                 desk_member_get_display_name (desk_session_get_member (self->session)));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), account);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->account_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, account, -1);
    }
}

/* The bar at the bottom stands in for the switcher when the title has no room for it. */
static void
update_switcher_bar (DeskWindow *self)
{
  gboolean clinic = adw_view_switcher_title_get_view_switcher_enabled (self->switcher_title);

  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    clinic && adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static void
set_page (DeskWindow *self,
          const char *page)
{
  gboolean clinic = g_str_equal (page, DESK_WINDOW_PAGE_CLINIC);
  gboolean loading = g_str_equal (page, DESK_WINDOW_PAGE_LOADING);

  gtk_stack_set_visible_child_name (self->main_stack, page);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, clinic);
  update_switcher_bar (self);
  gtk_spinner_set_spinning (self->loading_spinner, loading);

  /* The sign-in page is still the clinic's: it keeps the clinic's title. */
  if (!clinic && !g_str_equal (page, DESK_WINDOW_PAGE_SIGN_IN))
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Front Desk"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
    }

  desk_window_actions_update (self);
}

static void check_when_painted (DeskWindow *self);

static void
on_check_painted (DeskWindow    *self,
                  GdkFrameClock *clock)
{
  g_clear_signal_handler (&self->check_paint_id, clock);

  /* Another clinic since: nothing to check. */
  if (self->store == NULL || self->store != desk_clinic_opener_get_store (self->opener))
    return;
  desk_clinic_opener_check (self->opener);
}

/* The check reads the whole file: on a two-core machine it would compete
 * with the window's first frame, so it starts once that is on screen. */
static void
check_when_painted (DeskWindow *self)
{
  GdkFrameClock *clock = NULL;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL)
    {
      if (self->check_map_id == 0)
        self->check_map_id = g_signal_connect (self, "map", G_CALLBACK (check_when_painted), NULL);
      return;
    }

  g_clear_signal_handler (&self->check_map_id, self);
  if (self->check_paint_id == 0)
    self->check_paint_id = g_signal_connect_object (clock, "after-paint",
                                                    G_CALLBACK (on_check_painted), self,
                                                    G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The opener's state decides the page: loading (with why it takes long),
 * the clinic's sign-in page, or the error page. */
static void
on_opener_state (DeskWindow *self)
{
  DeskClinicOpenerState state = desk_clinic_opener_get_state (self->opener);

  switch (state)
    {
    case DESK_CLINIC_OPENER_NONE:
      return;

    case DESK_CLINIC_OPENER_READY:
      desk_window_set_store (self, desk_clinic_opener_get_store (self->opener));
      check_when_painted (self);
      return;

    case DESK_CLINIC_OPENER_FAILED:
      desk_window_show_error (self, desk_clinic_opener_get_error (self->opener));
      return;

    case DESK_CLINIC_OPENER_CREATING_DEMO:
      adw_status_page_set_title (self->loading_page, _("Creating the Demo Clinic…"));
      adw_status_page_set_description (self->loading_page,
                                       _("Front Desk is making up members, clients and their appointments. This happens only once."));
      break;

    case DESK_CLINIC_OPENER_UPGRADING:
      /* A minute or so for a large clinic: say why it takes long. */
      adw_status_page_set_title (self->loading_page, _("Updating the Clinic Record…"));
      adw_status_page_set_description (self->loading_page,
                                       _("An earlier version of Front Desk last opened this clinic. Its record is being brought up to date, which can take a minute for a large clinic. No information is changed or lost."));
      break;

    case DESK_CLINIC_OPENER_OPENING:
    default:
      adw_status_page_set_title (self->loading_page, _("Opening Clinic…"));
      adw_status_page_set_description (self->loading_page, NULL);
      break;
    }

  desk_window_set_store (self, NULL);
  set_page (self, DESK_WINDOW_PAGE_LOADING);
}

static void
forgotten (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!desk_reauth_forget_finish (DESK_REAUTH (source), result, &error))
    g_debug ("The keyring kept its confirmations: %s", error->message);
}

/* Ends the member's session: the clinic's views let go of it, the
 * confirmations kept in the keyring go, the tokens are revoked and the
 * sign-out is audited.  Back on the sign-in page, with @username filled in
 * and @message shown when given. */
static void
end_session (DeskWindow *self,
             const char *username,
             const char *message)
{
  g_autoptr(DeskSession) session = g_steal_pointer (&self->session);
  g_autoptr(DeskReauth) reauth = g_steal_pointer (&self->reauth);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->audit_window != NULL)
    gtk_window_destroy (self->audit_window);

  desk_members_view_set_store (self->members_view, NULL);
  desk_clients_view_set_store (self->clients_view, NULL);

  if (session != NULL)
    {
      /* The keyring call holds its own reference while it runs. */
      desk_reauth_forget_async (reauth, NULL, forgotten, NULL);
      desk_session_sign_out (session);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
    }

  desk_sign_in_page_reset (self->sign_in_page, username, message);
  if (self->store != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), DESK_WINDOW_PAGE_CLINIC) == 0)
    {
      set_page (self, DESK_WINDOW_PAGE_SIGN_IN);
      desk_sign_in_page_focus (self->sign_in_page);
    }
  desk_window_actions_update (self);
}

/* Another program (the command line, another workstation) may write to
 * the same file: the store says so with "changed", and the views refresh.
 * Looking costs one PRAGMA, so it is done every second while someone is
 * signed in, and at once when the window becomes active again. */
static gboolean
poll_cb (gpointer data)
{
  DeskWindow *self = data;

  if (self->store != NULL && self->session != NULL)
    desk_store_poll_external_changes (self->store);
  return G_SOURCE_CONTINUE;
}

static void
on_active_changed (DeskWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    poll_cb (self);
}

static gboolean
check_idle_cb (gpointer data)
{
  DeskWindow *self = data;

  desk_window_lock_if_idle (self, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

static void
note_activity (DeskWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

/* Callbacks */

static void
on_signed_in (DeskWindow     *self,
              DeskSession    *session,
              DeskSignInPage *page)
{
  guint grace = (guint) g_settings_get_int (self->settings, "reauth-grace-minutes") * 60;
  guint timeout = (guint) g_settings_get_int (self->settings, "reauth-keyring-timeout-ms");

  g_return_if_fail (desk_session_get_store (session) == self->store);

  g_set_object (&self->session, session);
  g_clear_object (&self->reauth);
  self->reauth = desk_reauth_new (session, grace, timeout);

  desk_members_view_set_store (self->members_view, self->store);
  desk_clients_view_set_store (self->clients_view, self->store);
  set_page (self, DESK_WINDOW_PAGE_CLINIC);

  note_activity (self);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  self->idle_source = g_timeout_add_seconds (IDLE_CHECK_SECONDS, check_idle_cb, self);
  /* The first look only takes note of the file as the lists will read it. */
  desk_store_poll_external_changes (self->store);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->poll_source = g_timeout_add_seconds (EXTERNAL_POLL_SECONDS, poll_cb, self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
on_chooser_response (DeskWindow           *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        desk_window_open (self, file);
    }

  g_clear_object (&self->chooser);
}

/* Actions */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = desk_window_chrome_clinic_chooser (GTK_WINDOW (self));
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_chooser_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  desk_window_open_demo (DESK_WINDOW (widget));
}

static void
show_members_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  desk_stall_watchdog_set_action ("win.show-members");

  adw_view_stack_set_visible_child_name (self->view_stack, "members");
  desk_members_view_focus_list (self->members_view);
}

static void
show_clients_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  desk_stall_watchdog_set_action ("win.show-clients");

  adw_view_stack_set_visible_child_name (self->view_stack, "clients");
  desk_clients_view_focus_list (self->clients_view);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  desk_stall_watchdog_set_action ("win.sign-out");
  desk_window_sign_out (DESK_WINDOW (widget));
}

static void
show_audit_log_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  desk_stall_watchdog_set_action ("win.show-audit-log");

  /* The model layer checks again; this only spares opening an empty window. */
  if (self->session == NULL ||
      !desk_session_require (self->session, DESK_PERMISSION_VIEW_AUDIT, &error))
    return;

  if (self->audit_window == NULL)
    {
      self->audit_window = GTK_WINDOW (desk_audit_window_new (GTK_WINDOW (self), self->session));
      g_object_add_weak_pointer (G_OBJECT (self->audit_window), (gpointer *) &self->audit_window);
    }
  gtk_window_present (self->audit_window);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  GtkWidget *view = adw_view_stack_get_visible_child (self->view_stack);

  desk_stall_watchdog_set_action ("win.search");

  if (view == GTK_WIDGET (self->clients_view))
    desk_clients_view_focus_search (self->clients_view);
  else
    desk_members_view_focus_search (self->members_view);
}

/* Overrides */

static gboolean
desk_window_close_request (GtkWindow *window)
{
  DeskWindow *self = DESK_WINDOW (window);

  desk_window_chrome_save_state (window, self->settings);
  end_session (self, NULL, NULL);

  return GTK_WINDOW_CLASS (desk_window_parent_class)->close_request (window);
}

static void
desk_window_dispose (GObject *object)
{
  DeskWindow *self = DESK_WINDOW (object);

  if (self->opener != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->opener, self);
      desk_clinic_opener_cancel (self->opener);
    }
  g_clear_object (&self->opener);
  g_clear_signal_handler (&self->check_map_id, self);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->session != NULL)
    desk_session_sign_out (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->reauth);
  if (self->audit_window != NULL)
    gtk_window_destroy (self->audit_window);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* Adwaita cannot tell whether the title is visible once its children are gone. */
  if (self->switcher_title != NULL)
    g_signal_handlers_disconnect_by_data (self->switcher_title, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_WINDOW);

  g_clear_object (&self->store);
  g_clear_object (&self->demo_file);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (desk_window_parent_class)->dispose (object);
}

static void
desk_window_finalize (GObject *object)
{
  DeskWindow *self = DESK_WINDOW (object);

  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (desk_window_parent_class)->finalize (object);
}

static void
desk_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DeskWindow *self = DESK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DeskWindow *self = DESK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      desk_window_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_window_class_init (DeskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  g_autoptr(GtkBuilderScope) scope = desk_closures_new_scope ();

  object_class->dispose = desk_window_dispose;
  object_class->finalize = desk_window_finalize;
  object_class->get_property = desk_window_get_property;
  object_class->set_property = desk_window_set_property;

  window_class->close_request = desk_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DESK_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DESK_TYPE_SIGN_IN_PAGE);
  g_type_ensure (DESK_TYPE_MEMBERS_VIEW);
  g_type_ensure (DESK_TYPE_CLIENTS_VIEW);
  g_type_ensure (DESK_TYPE_INBOX_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/desk-window.ui");
  gtk_widget_class_set_template_scope (widget_class, scope);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, audit_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, members_view);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, clients_view);
  gtk_widget_class_bind_template_callback (widget_class, update_switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.show-members", NULL, show_members_action);
  gtk_widget_class_install_action (widget_class, "win.show-clients", NULL, show_clients_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.show-audit-log", NULL,
                                   show_audit_log_action);
}

static void
desk_window_init (DeskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->opener = desk_clinic_opener_new ();
  g_signal_connect_swapped (self->opener, "notify::state", G_CALLBACK (on_opener_state), self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-demo", FALSE);

  /* Input anywhere in the window keeps the session from locking. */
  desk_window_chrome_watch_activity (GTK_WIDGET (self), G_CALLBACK (note_activity), self);
  desk_window_chrome_set_toast_overlay (GTK_WINDOW (self), self->toast_overlay);

  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->main_stack));
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->view_stack));

  self->settings = g_settings_new (APP_ID);
  desk_window_chrome_restore_state (GTK_WINDOW (self), self->settings);

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  set_page (self, DESK_WINDOW_PAGE_WELCOME);
}

/* Public API */

DeskWindow *
desk_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (DESK_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

DeskStore *
desk_window_get_store (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * desk_window_set_store:
 * @store: (nullable): an open clinic
 *
 * Shows @store's members and clients; with %NULL, the views let go of the
 * clinic they showed.
 */
void
desk_window_set_store (DeskWindow *self,
                       DeskStore  *store)
{
  g_return_if_fail (DESK_IS_WINDOW (self));
  g_return_if_fail (store == NULL || DESK_IS_STORE (store));

  if (self->store == store)
    return;

  /* Nothing of a clinic shows before its member signs in. */
  end_session (self, NULL, NULL);
  g_set_object (&self->store, store);
  desk_sign_in_page_set_store (self->sign_in_page, store);

  if (store != NULL)
    {
      const char *name = desk_store_get_clinic_name (store);
      g_autofree char *basename = g_path_get_basename (desk_store_get_path (store));

      /* A clinic given directly replaces whatever was being opened. */
      if (store != desk_clinic_opener_get_store (self->opener))
        desk_clinic_opener_cancel (self->opener);

      gtk_window_set_title (GTK_WINDOW (self), name != NULL && *name ? name : basename);
      adw_view_switcher_title_set_subtitle (self->switcher_title,
                                            desk_store_get_is_demo (store) ? _("Demo clinic") : basename);
      g_settings_set_string (self->settings, "last-database", desk_store_get_path (store));

      set_page (self, DESK_WINDOW_PAGE_SIGN_IN);
      desk_sign_in_page_focus (self->sign_in_page);
    }
  else
    {
      const char *page = gtk_stack_get_visible_child_name (self->main_stack);

      if (g_str_equal (page, DESK_WINDOW_PAGE_CLINIC) || g_str_equal (page, DESK_WINDOW_PAGE_SIGN_IN))
        set_page (self, DESK_WINDOW_PAGE_WELCOME);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
desk_window_open (DeskWindow *self,
                  GFile      *file)
{
  g_return_if_fail (DESK_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  desk_clinic_opener_open (self->opener, file, FALSE);
}

/**
 * desk_window_set_demo_file:
 * @file: (nullable): where the demo clinic is, or is made
 *
 * Without one, "win.open-demo" does nothing.
 */
void
desk_window_set_demo_file (DeskWindow *self,
                           GFile      *file)
{
  g_return_if_fail (DESK_IS_WINDOW (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  g_set_object (&self->demo_file, file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-demo", file != NULL);
}

void
desk_window_open_demo (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  /* Made on first use; afterwards opened like any clinic. */
  if (self->demo_file != NULL)
    desk_clinic_opener_open (self->opener, self->demo_file, TRUE);
}

void
desk_window_show_welcome (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  desk_clinic_opener_cancel (self->opener);
  desk_window_set_store (self, NULL);
  set_page (self, DESK_WINDOW_PAGE_WELCOME);
}

void
desk_window_show_error (DeskWindow   *self,
                        const GError *error)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (DESK_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  g_free (self->error_message);
  self->error_message = g_strdup (error->message);

  /* The description is markup; a path can hold any character. */
  markup = g_markup_escape_text (error->message, -1);
  adw_status_page_set_description (self->error_page, markup);

  desk_window_set_store (self, NULL);
  set_page (self, DESK_WINDOW_PAGE_ERROR);
}

const char *
desk_window_get_page (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
desk_window_get_error_message (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->error_message;
}

DeskMembersView *
desk_window_get_members_view (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->members_view;
}

DeskClientsView *
desk_window_get_clients_view (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->clients_view;
}

DeskSession *
desk_window_get_session (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->session;
}

DeskReauth *
desk_window_get_reauth (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->reauth;
}

DeskSignInPage *
desk_window_get_sign_in_page (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->sign_in_page;
}

void
desk_window_sign_out (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->session == NULL)
    return;
  end_session (self, NULL, _("You signed out."));
}

/**
 * desk_window_lock_if_idle:
 * @now: the monotonic time, in microseconds
 *
 * Locks the window (ends the session, back to the sign-in page with the
 * username filled in) when no input has come for the idle-lock-minutes
 * setting; 0 never locks.
 *
 * Returns: whether the window locked
 */
gboolean
desk_window_lock_if_idle (DeskWindow *self,
                          gint64      now)
{
  int minutes;
  g_autofree char *username = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  minutes = g_settings_get_int (self->settings, "idle-lock-minutes");
  if (self->session == NULL || minutes <= 0 ||
      now - self->last_activity < (gint64) minutes * 60 * G_USEC_PER_SEC)
    return FALSE;

  username = g_strdup (desk_member_get_username (desk_session_get_member (self->session)));
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Locked after %d minute without activity. Sign in again to continue.",
                                          "Locked after %d minutes without activity. Sign in again to continue.",
                                          minutes),
                             minutes);
  end_session (self, username, message);
  return TRUE;
}
