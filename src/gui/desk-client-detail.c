/* desk-client-detail.c: a client's status, portal access, documents and appointments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-changes.h"
#include "desk-client-action.h"
#include "desk-client-detail.h"
#include "desk-client-dialogs.h"
#include "desk-client.h"
#include "desk-closures.h"
#include "desk-portal.h"
#include "desk-records.h"
#include "desk-session.h"
#include "desk-store.h"
#include "desk-window-chrome.h"
#include "desk-window.h"

struct _DeskClientDetail
{
  GtkWidget   parent_instance;

  DeskStore        *store;
  DeskClient       *client;
  DeskPortalStatus  portal;
  gboolean          busy;         /* a change of this page runs */
  guint             resend_timeout;

  /* Template widgets */
  GtkWidget        *page;
  AdwActionRow     *status_row;
  GtkButton        *status_button;
  AdwPreferencesGroup *portal_group;
  AdwActionRow     *portal_row;
  GtkButton        *portal_button;
  AdwActionRow     *invitation_row;
  GtkButton        *resend_button;
  GtkListBox       *documents_list;
  GtkListBox       *appointments_list;
  AdwActionRow     *preview_sign_in_row;
  AdwActionRow     *preview_documents_row;
  AdwActionRow     *preview_appointments_row;
  AdwActionRow     *preview_qnaires_row;
};

G_DEFINE_FINAL_TYPE (DeskClientDetail, desk_client_detail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static GtkWidget *
new_placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "list-placeholder");
  return label;
}

static DeskWindow *
get_window (DeskClientDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return DESK_IS_WINDOW (root) ? DESK_WINDOW (root) : NULL;
}

static DeskSession *
get_session (DeskClientDetail *self)
{
  DeskWindow *window = get_window (self);

  return window != NULL ? desk_window_get_session (window) : NULL;
}

static void
toast (DeskClientDetail *self,
       const char       *text)
{
  DeskWindow *window = get_window (self);

  if (window != NULL)
    desk_window_chrome_toast (GTK_WINDOW (window), text);
}

/* Whether the signed-in member may change this client: the model refuses
 * anyway; the controls say so before. */
static const char *
why_not_allowed (DeskClientDetail *self)
{
  DeskSession *session = get_session (self);

  if (session == NULL)
    return _("Sign in to change this client.");
  if (!desk_session_has_permission (session, DESK_PERMISSION_MANAGE_CLIENTS))
    return _("Changing a client needs the “manage clients” permission.");
  return NULL;
}

static void
set_control (GtkButton  *button,
             const char *label,
             const char *accessible,
             gboolean    sensitive,
             const char *why_not)
{
  gtk_button_set_label (button, label);
  gtk_button_set_use_underline (button, TRUE);
  desk_a11y_name_button (button, accessible);
  gtk_widget_set_sensitive (GTK_WIDGET (button), sensitive && why_not == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), why_not);
  if (why_not != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why_not, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Changes */

typedef struct
{
  DeskClientDetail *self;
  char             *done;         /* the toast when it worked */
} Pending;

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->self);
  g_free (pending->done);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void update_controls (DeskClientDetail *self);

static void
on_action_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  DeskClientDetail *self = pending->self;

  self->busy = FALSE;
  if (!desk_client_action_run_finish (DESK_SESSION (source), result, &error))
    toast (self, error->message);
  else
    toast (self, pending->done);
  update_controls (self);
}

/* Runs one change of this client on the change path's worker: a locked or
 * busy file never holds the window.  The store's "changed" refreshes the
 * page (and the lists) when it is done. */
static void
run_action (DeskClientDetail      *self,
            DeskClientAction       action,
            DeskClientActionFlags  flags,
            gint64                 document_id,
            const char            *reason,
            char                  *done)
{
  DeskSession *session = get_session (self);
  Pending *pending;

  if (session == NULL || self->client == NULL || self->busy)
    {
      g_free (done);
      return;
    }
  pending = g_new0 (Pending, 1);
  pending->self = g_object_ref (self);
  pending->done = done;
  self->busy = TRUE;
  update_controls (self);
  desk_client_action_run_async (session, desk_client_get_id (self->client), action, flags,
                                document_id, reason, NULL, on_action_done, pending);
}

static const char *
client_name (DeskClientDetail *self)
{
  return desk_client_get_display_name (self->client);
}

static void
on_discharge_response (AdwMessageDialog *dialog,
                       const char       *response,
                       DeskClientDetail *self)
{
  const char *reason = gtk_editable_get_text (desk_client_dialogs_get_reason (dialog));
  gboolean portal_off = gtk_check_button_get_active (desk_client_dialogs_get_portal_off (dialog));

  if (g_strcmp0 (response, DESK_CLIENT_RESPONSE_DISCHARGE) != 0 || self->client == NULL)
    return;

  run_action (self, DESK_CLIENT_ACTION_DISCHARGE,
              portal_off ? DESK_CLIENT_ACTION_ALSO_PORTAL_OFF : DESK_CLIENT_ACTION_FLAGS_NONE,
              0, reason,
              portal_off
              /* Translators: %s is a client's name */
              ? g_strdup_printf (_("%s is discharged, and their portal access is off"),
                                 client_name (self))
              /* Translators: %s is a client's name */
              : g_strdup_printf (_("%s is discharged; their portal access is unchanged"),
                                 client_name (self)));
}

static void
on_status_clicked (DeskClientDetail *self)
{
  AdwMessageDialog *dialog;

  if (self->client == NULL)
    return;
  if (!desk_client_get_is_active (self->client))
    {
      run_action (self, DESK_CLIENT_ACTION_ACTIVATE, DESK_CLIENT_ACTION_FLAGS_NONE, 0, NULL,
                  /* Translators: %s is a client's name */
                  g_strdup_printf (_("%s is active again"), client_name (self)));
      return;
    }

  dialog = desk_client_dialogs_discharge (GTK_WINDOW (get_window (self)), client_name (self));
  desk_client_dialogs_set_portal_on (dialog, self->portal.state != DESK_PORTAL_STATE_DISABLED &&
                                             self->portal.state != DESK_PORTAL_STATE_NOT_INVITED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discharge_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_portal_off_response (AdwMessageDialog *dialog,
                        const char       *response,
                        DeskClientDetail *self)
{
  if (g_strcmp0 (response, DESK_CLIENT_RESPONSE_PORTAL_OFF) != 0 || self->client == NULL)
    return;
  run_action (self, DESK_CLIENT_ACTION_PORTAL_DISABLE, DESK_CLIENT_ACTION_FLAGS_NONE, 0, NULL,
              /* Translators: %s is a client's name */
              g_strdup_printf (_("Portal access is off for %s"), client_name (self)));
}

static gboolean
portal_on (DeskClientDetail *self)
{
  return self->portal.state != DESK_PORTAL_STATE_NOT_INVITED &&
         self->portal.state != DESK_PORTAL_STATE_DISABLED;
}

static void
on_portal_clicked (DeskClientDetail *self)
{
  AdwMessageDialog *dialog;

  if (self->client == NULL)
    return;
  if (!portal_on (self))
    {
      run_action (self, DESK_CLIENT_ACTION_PORTAL_ENABLE, DESK_CLIENT_ACTION_FLAGS_NONE, 0, NULL,
                  /* Translators: %s is an email address */
                  g_strdup_printf (_("Portal access is on: an invitation was sent to %s"),
                                   desk_client_get_email (self->client)));
      return;
    }
  dialog = desk_client_dialogs_portal_off (GTK_WINDOW (get_window (self)), client_name (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_portal_off_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_resend_clicked (DeskClientDetail *self)
{
  if (self->client == NULL)
    return;
  run_action (self, DESK_CLIENT_ACTION_PORTAL_RESEND, DESK_CLIENT_ACTION_FLAGS_NONE, 0, NULL,
              /* Translators: %s is an email address */
              g_strdup_printf (_("The invitation was sent again to %s"),
                               desk_client_get_email (self->client)));
}

static void
on_share_clicked (GtkButton        *button,
                  DeskClientDetail *self)
{
  DeskDocument *document = g_object_get_data (G_OBJECT (button), "desk-document");
  gboolean shared = desk_document_get_shared_at (document) != 0;

  run_action (self, shared ? DESK_CLIENT_ACTION_UNSHARE : DESK_CLIENT_ACTION_SHARE,
              DESK_CLIENT_ACTION_FLAGS_NONE, desk_document_get_id (document), NULL,
              shared
              /* Translators: %s is a document's title */
              ? g_strdup_printf (_("“%s” is no longer shared with the client"),
                                 desk_document_get_title (document))
              /* Translators: %s is a document's title */
              : g_strdup_printf (_("“%s” is shared with the client"),
                                 desk_document_get_title (document)));
}

/* The controls: what each does, in plain words */

static void
update_status (DeskClientDetail *self,
               const char       *why_not)
{
  gboolean active = self->client == NULL || desk_client_get_is_active (self->client);
  g_autofree char *detail = NULL;
  g_autofree char *accessible = NULL;
  const char *name = self->client != NULL ? client_name (self) : "";

  detail = desk_closures_client_status_detail (NULL, active,
                                               self->client != NULL
                                               ? desk_client_get_discharged_at (self->client)
                                               : 0);
  adw_action_row_set_subtitle (self->status_row, detail);
  accessible = active
               /* Translators: %s is a client's name */
               ? g_strdup_printf (_("Discharge %s…"), name)
               /* Translators: %s is a client's name */
               : g_strdup_printf (_("Reactivate %s"), name);
  set_control (self->status_button, active ? _("_Discharge…") : _("_Reactivate"), accessible,
               self->client != NULL && !self->busy, why_not);
  if (active)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status_button), "suggested-action");
}

static char *
portal_explanation (DeskClientDetail *self)
{
  g_autofree char *until = NULL;
  const char *email = self->client != NULL ? desk_client_get_email (self->client) : NULL;

  switch (self->portal.state)
    {
    case DESK_PORTAL_STATE_INVITED:
      return g_strdup (_("An invitation was sent: the client can sign in once they accept it and "
                         "choose a password. Turning access off voids it; it does not change the "
                         "client’s status."));
    case DESK_PORTAL_STATE_INVITATION_EXPIRED:
      return g_strdup (_("The invitation expired before the client accepted it: send it again "
                         "to give them a new one. Turning access off does not change the "
                         "client’s status."));
    case DESK_PORTAL_STATE_ACTIVE:
      return g_strdup (_("The client can sign in to the portal and see the documents shared with "
                         "them, whatever their status. Turning access off stops them signing in; "
                         "their record and shared documents are kept."));
    case DESK_PORTAL_STATE_DISABLED:
    case DESK_PORTAL_STATE_NOT_INVITED:
    default:
      if (email == NULL || email[0] == '\0')
        return g_strdup (_("The client has no email address, so no invitation can be sent. "
                           "Add one to their record first."));
      return g_strdup_printf (self->portal.state == DESK_PORTAL_STATE_DISABLED
                              /* Translators: %s is an email address */
                              ? _("The client cannot sign in. Turning access on sends an "
                                  "invitation to %s; their old portal password stays refused "
                                  "until they accept it. It does not change the client’s status.")
                              /* Translators: %s is an email address */
                              : _("The client has never been invited. Turning access on sends "
                                  "an invitation to %s. It does not change the client’s status."),
                              email);
    }
}

static gboolean
on_resend_allowed (gpointer user_data)
{
  DeskClientDetail *self = user_data;

  self->resend_timeout = 0;
  update_controls (self);
  return G_SOURCE_REMOVE;
}

static void
update_portal (DeskClientDetail *self,
               const char       *why_not)
{
  g_autofree char *explanation = portal_explanation (self);
  g_autofree char *state = desk_portal_status_describe (&self->portal);
  const char *email = self->client != NULL ? desk_client_get_email (self->client) : NULL;
  gboolean on = portal_on (self);
  gboolean invited = self->portal.state == DESK_PORTAL_STATE_INVITED ||
                     self->portal.state == DESK_PORTAL_STATE_INVITATION_EXPIRED;
  gint64 now = self->store != NULL ? desk_store_get_now (self->store) : 0;
  g_autofree char *wait = NULL;

  adw_preferences_group_set_description (self->portal_group, explanation);
  adw_action_row_set_subtitle (self->portal_row, on ? C_("portal access", "On")
                                                    : C_("portal access", "Off"));
  set_control (self->portal_button, on ? _("Turn _Off…") : _("Turn _On"),
               on ? _("Turn off portal access…") : _("Turn on portal access"),
               self->client != NULL && !self->busy && (on || (email != NULL && email[0] != '\0')),
               why_not);

  gtk_widget_set_visible (GTK_WIDGET (self->invitation_row), invited);
  adw_action_row_set_subtitle (self->invitation_row, state);
  g_clear_handle_id (&self->resend_timeout, g_source_remove);
  if (invited && self->portal.resend_after > now)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (self->portal.resend_after);
      g_autofree char *time = g_date_time_format (at, "%H:%M");

      /* Translators: %s is a time of day, e.g. "15:42" */
      wait = g_strdup_printf (_("An invitation can be sent again from %s."), time);
      self->resend_timeout = g_timeout_add_seconds ((guint) (self->portal.resend_after - now) + 1,
                                                    on_resend_allowed, self);
    }
  set_control (self->resend_button, _("Send _Again"), _("Send the invitation again"),
               self->client != NULL && !self->busy, why_not != NULL ? why_not : wait);
}

static void
update_controls (DeskClientDetail *self)
{
  const char *why_not = why_not_allowed (self);

  update_status (self, why_not);
  update_portal (self, why_not);
  /* The documents' buttons follow the page's state. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->documents_list), !self->busy && why_not == NULL);
}

static GtkWidget *
create_document_row (gpointer item,
                     gpointer user_data)
{
  DeskClientDetail *self = user_data;
  DeskDocument *document = item;
  gint64 shared_at = desk_document_get_shared_at (document);
  g_autofree char *date = shared_at != 0 ? desk_closures_date (NULL, shared_at) : NULL;
  g_autofree char *kind = desk_closures_document_kind (NULL, desk_document_get_kind (document));
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("x-office-document-symbolic");
  GtkWidget *button;

  if (date != NULL)
    /* Translators: a document's kind and the date it was shared, e.g. "Form · shared 3 March 2024" */
    subtitle = g_strdup_printf (_("%s · shared %s"), kind, date);
  else
    /* Translators: a document's kind, e.g. "Form · not shared" */
    subtitle = g_strdup_printf (_("%s · not shared"), kind);

  /* Clinic data, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), desk_document_get_title (document));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Document"), -1);

  if (desk_document_get_completed (document))
    {
      GtkWidget *tag = gtk_label_new (_("Completed"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "tag");
      gtk_widget_add_css_class (tag, "success");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }

  button = gtk_button_new_with_mnemonic (shared_at != 0 ? _("Stop _Sharing") : _("_Share"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  accessible = shared_at != 0
               /* Translators: %s is a document's title */
               ? g_strdup_printf (_("Stop sharing %s"), desk_document_get_title (document))
               /* Translators: %s is a document's title */
               : g_strdup_printf (_("Share %s"), desk_document_get_title (document));
  desk_a11y_name_button (GTK_BUTTON (button), accessible);
  g_object_set_data_full (G_OBJECT (button), "desk-document", g_object_ref (document),
                          g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_share_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static GtkWidget *
create_appointment_row (gpointer item,
                        gpointer user_data)
{
  DeskAppointment *appointment = item;
  g_autofree char *when = desk_closures_date_time (NULL, desk_appointment_get_starts_at (appointment));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("x-office-calendar-symbolic");
  const char *kind = desk_appointment_get_kind (appointment);
  const char *practitioner = desk_appointment_get_practitioner_name (appointment);

  /* Translators: an appointment: its kind, its length in minutes and the practitioner,
   * e.g. "Follow-up · 30 min · Dr. Ana Lima" */
  subtitle = g_strdup_printf (_("%s · %u min · %s"),
                              kind != NULL ? kind : "",
                              desk_appointment_get_duration_minutes (appointment),
                              practitioner != NULL ? practitioner : "");

  if (desk_appointment_get_moved_from_name (appointment) != NULL)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (desk_appointment_get_moved_at (appointment));
      g_autofree char *date = at != NULL ? g_date_time_format (at, C_("day and month format", "%-d %b")) : NULL;
      /* Translators: where a moved appointment came from; %s is a member's
       * name, %s the day they were deactivated, e.g. "3 Dec" */
      g_autofree char *from = g_strdup_printf (_("From %s (deactivated %s)"),
                                               desk_appointment_get_moved_from_name (appointment),
                                               date != NULL ? date : "");
      char *both = g_strconcat (subtitle, "\n", from, NULL);

      g_free (subtitle);
      subtitle = both;
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when != NULL ? when : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Appointment"), -1);

  return row;
}

/* The Share or Stop Sharing button of document @id under @widget. */
static GtkWidget *
find_document_button (GtkWidget *widget,
                      gint64     id)
{
  DeskDocument *document = g_object_get_data (G_OBJECT (widget), "desk-document");

  if (document != NULL && desk_document_get_id (document) == id)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_document_button (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
titles_of (GListModel *documents,
           guint       n)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeskDocument) document = g_list_model_get_item (documents, i);

      if (i > 0)
        /* Translators: between two items of a list, e.g. "Intake form, Results" */
        g_string_append (text, _(", "));
      g_string_append (text, desk_document_get_title (document));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "What this client sees": read again with every change of the client. */
static void
update_preview (DeskClientDetail *self)
{
  DeskPortalPreview preview;
  g_autoptr(GError) error = NULL;
  g_autofree char *documents = NULL;
  g_autofree char *appointments = NULL;
  g_autofree char *qnaires = NULL;
  guint n;

  if (self->store == NULL || self->client == NULL)
    return;
  if (!desk_portal_preview (self->store, desk_client_get_id (self->client), &preview, &error))
    {
      adw_action_row_set_subtitle (self->preview_sign_in_row, error->message);
      return;
    }

  adw_action_row_set_subtitle (self->preview_sign_in_row,
                               preview.can_sign_in ? _("Can sign in") : preview.why_not);

  n = g_list_model_get_n_items (preview.documents);
  if (n == 0)
    documents = g_strdup (_("None"));
  else
    {
      g_autofree char *titles = titles_of (preview.documents, n);

      /* Translators: the number of shared documents, then their titles */
      documents = g_strdup_printf (_("%'u: %s"), n, titles);
    }
  adw_action_row_set_subtitle (self->preview_documents_row, documents);

  n = g_list_model_get_n_items (preview.appointments);
  if (n == 0)
    appointments = g_strdup (_("None"));
  else
    {
      g_autoptr(DeskAppointment) next = g_list_model_get_item (preview.appointments, 0);
      g_autofree char *when = desk_closures_date_time (NULL, desk_appointment_get_starts_at (next));

      /* Translators: the number of upcoming appointments and when the next one is */
      appointments = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u, on %s",
                                                   "%'u, the next on %s", n),
                                      n, when != NULL ? when : "");
    }
  adw_action_row_set_subtitle (self->preview_appointments_row, appointments);

  qnaires = preview.pending_qnaires[0] != NULL
            /* Translators: between two items of a list, e.g. "Intake, Follow-up" */
            ? g_strjoinv (_(", "), preview.pending_qnaires)
            : g_strdup (_("None"));
  adw_action_row_set_subtitle (self->preview_qnaires_row, qnaires);
  desk_portal_preview_clear (&preview);
}

static void
update_lists (DeskClientDetail *self)
{
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) appointments = NULL;
  g_autoptr(GError) error = NULL;

  memset (&self->portal, 0, sizeof self->portal);
  if (self->store != NULL && self->client != NULL)
    {
      gint64 id = desk_client_get_id (self->client);

      /* Small lists of one client, on indexed columns: quick enough to read here. */
      if (!desk_portal_get_status (self->store, id, &self->portal, &error))
        {
          g_debug ("Cannot read the portal access of client %" G_GINT64_FORMAT ": %s", id,
                   error->message);
          g_clear_error (&error);
        }

      documents = desk_client_list_record_documents (self->store, id, &error);
      if (documents == NULL)
        {
          g_debug ("Cannot list the documents of client %" G_GINT64_FORMAT ": %s", id, error->message);
          gtk_list_box_set_placeholder (self->documents_list, new_placeholder (error->message));
          g_clear_error (&error);
        }
      else
        {
          gtk_list_box_set_placeholder (self->documents_list,
                                        new_placeholder (_("The client’s record has no documents")));
        }

      appointments = desk_client_list_appointments (self->store, id,
                                                    DESK_CLIENT_DETAIL_APPOINTMENTS, &error);
      if (appointments == NULL)
        {
          g_debug ("Cannot list the appointments of client %" G_GINT64_FORMAT ": %s", id, error->message);
          gtk_list_box_set_placeholder (self->appointments_list, new_placeholder (error->message));
          g_clear_error (&error);
        }
      else
        {
          gtk_list_box_set_placeholder (self->appointments_list,
                                        new_placeholder (_("No upcoming appointments")));
        }
    }

  {
    /* A keyboard user who just shared a document keeps the focus on it. */
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
    DeskDocument *focused = NULL;

    if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->documents_list)))
      focused = g_object_get_data (G_OBJECT (focus), "desk-document");
    gtk_list_box_bind_model (self->documents_list, documents, create_document_row, self, NULL);
    focus = focused != NULL ? find_document_button (GTK_WIDGET (self->documents_list),
                                                    desk_document_get_id (focused))
                            : NULL;
    if (focus != NULL)
      gtk_widget_grab_focus (focus);
  }
  gtk_list_box_bind_model (self->appointments_list, appointments, create_appointment_row, NULL, NULL);
  update_preview (self);
  update_controls (self);
}

/* Refreshing after a change */

/* The record shown, read again when a change (here, or another program's)
 * may have touched it: one row by its id. */
static void
on_store_changed (DeskClientDetail *self,
                  DeskChanges      *changes)
{
  g_autoptr(DeskClient) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  if (self->store == NULL || self->client == NULL)
    return;

  id = desk_client_get_id (self->client);
  if (!desk_changes_contains (changes, DESK_RECORD_CLIENT, id) &&
      (desk_changes_get_kinds (changes) & (DESK_RECORD_DOCUMENT | DESK_RECORD_APPOINTMENT |
                                           DESK_RECORD_INVITATION)) == 0)
    return;

  fresh = desk_client_load (self->store, id, &error);
  if (fresh == NULL)
    {
      g_debug ("Cannot read client %" G_GINT64_FORMAT " again: %s", id, error->message);
      return;
    }
  g_set_object (&self->client, fresh);
  update_lists (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
watch_store_changes (DeskClientDetail *self,
                     DeskStore        *old_store,
                     DeskStore        *new_store)
{
  if (old_store != NULL)
    g_signal_handlers_disconnect_by_func (old_store, on_store_changed, self);
  if (new_store != NULL)
    g_signal_connect_object (new_store, "changed", G_CALLBACK (on_store_changed), self,
                             G_CONNECT_SWAPPED);
}

/* Overrides */

static void
desk_client_detail_dispose (GObject *object)
{
  DeskClientDetail *self = DESK_CLIENT_DETAIL (object);

  g_clear_handle_id (&self->resend_timeout, g_source_remove);
  if (self->documents_list != NULL)
    gtk_list_box_bind_model (self->documents_list, NULL, NULL, NULL, NULL);
  if (self->appointments_list != NULL)
    gtk_list_box_bind_model (self->appointments_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_CLIENT_DETAIL);

  g_clear_object (&self->client);
  watch_store_changes (self, self->store, NULL);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (desk_client_detail_parent_class)->dispose (object);
}

static void
desk_client_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DeskClientDetail *self = DESK_CLIENT_DETAIL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_client_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DeskClientDetail *self = DESK_CLIENT_DETAIL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      desk_client_detail_set_store (self, g_value_get_object (value));
      break;

    case PROP_CLIENT:
      desk_client_detail_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_client_detail_class_init (DeskClientDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autoptr(GtkBuilderScope) scope = desk_closures_new_scope ();

  object_class->dispose = desk_client_detail_dispose;
  object_class->get_property = desk_client_detail_get_property;
  object_class->set_property = desk_client_detail_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DESK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DESK_TYPE_CLIENT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "clientdetail");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/desk-client-detail.ui");
  gtk_widget_class_set_template_scope (widget_class, scope);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, page);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, status_row);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, status_button);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, portal_group);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, portal_row);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, portal_button);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, invitation_row);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, resend_button);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, documents_list);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, appointments_list);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, preview_sign_in_row);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, preview_documents_row);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, preview_appointments_row);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, preview_qnaires_row);
  gtk_widget_class_bind_template_callback (widget_class, on_status_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_portal_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_resend_clicked);
}

static void
desk_client_detail_init (DeskClientDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The signed-in member's permissions decide the controls' state. */
  g_signal_connect (self, "map", G_CALLBACK (update_controls), NULL);
  update_controls (self);
}

/* Public API */

DeskStore *
desk_client_detail_get_store (DeskClientDetail *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT_DETAIL (self), NULL);

  return self->store;
}

void
desk_client_detail_set_store (DeskClientDetail *self,
                              DeskStore        *store)
{
  g_return_if_fail (DESK_IS_CLIENT_DETAIL (self));
  g_return_if_fail (store == NULL || DESK_IS_STORE (store));

  if (self->store == store)
    return;
  watch_store_changes (self, self->store, store);
  g_set_object (&self->store, store);

  desk_client_detail_set_client (self, NULL);
  update_lists (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DeskClient *
desk_client_detail_get_client (DeskClientDetail *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT_DETAIL (self), NULL);

  return self->client;
}

void
desk_client_detail_set_client (DeskClientDetail *self,
                               DeskClient       *client)
{
  g_return_if_fail (DESK_IS_CLIENT_DETAIL (self));
  g_return_if_fail (client == NULL || DESK_IS_CLIENT (client));

  if (self->client != NULL && client != NULL &&
      desk_client_get_id (self->client) == desk_client_get_id (client))
    {
      /* The same client read again by the list after a change: what the
       * page reads itself was read with the change (on_store_changed). */
      if (g_set_object (&self->client, client))
        {
          update_controls (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
        }
      return;
    }
  if (!g_set_object (&self->client, client))
    return;

  update_lists (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}
