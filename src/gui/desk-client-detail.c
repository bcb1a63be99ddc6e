/* desk-client-detail.c: a client's status, portal access, documents and appointments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-client.h"
#include "desk-changes.h"
#include "desk-client-detail.h"
#include "desk-closures.h"
#include "desk-records.h"
#include "desk-store.h"

struct _DeskClientDetail
{
  GtkWidget   parent_instance;

  DeskStore  *store;
  DeskClient *client;

  /* Template widgets */
  GtkWidget  *page;
  GtkListBox *documents_list;
  GtkListBox *appointments_list;
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

static GtkWidget *
create_document_row (gpointer item,
                     gpointer user_data)
{
  DeskDocument *document = item;
  g_autofree char *date = desk_closures_date (NULL, desk_document_get_shared_at (document));
  g_autofree char *kind = desk_closures_document_kind (NULL, desk_document_get_kind (document));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("x-office-document-symbolic");

  if (date != NULL)
    /* Translators: a document's kind and the date it was shared, e.g. "Form · shared 3 March 2024" */
    subtitle = g_strdup_printf (_("%s · shared %s"), kind, date);
  else
    subtitle = g_strdup (kind);

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

static void
update_lists (DeskClientDetail *self)
{
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) appointments = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL && self->client != NULL)
    {
      gint64 id = desk_client_get_id (self->client);

      /* Small lists of one client, on indexed columns: quick enough to read here. */
      documents = desk_client_list_documents (self->store, id, &error);
      if (documents == NULL)
        {
          g_debug ("Cannot list the documents of client %" G_GINT64_FORMAT ": %s", id, error->message);
          gtk_list_box_set_placeholder (self->documents_list, new_placeholder (error->message));
          g_clear_error (&error);
        }
      else
        {
          gtk_list_box_set_placeholder (self->documents_list,
                                        new_placeholder (_("No documents are shared with this client")));
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

  gtk_list_box_bind_model (self->documents_list, documents, create_document_row, NULL, NULL);
  gtk_list_box_bind_model (self->appointments_list, appointments, create_appointment_row, NULL, NULL);
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
      (desk_changes_get_kinds (changes) & (DESK_RECORD_DOCUMENT | DESK_RECORD_APPOINTMENT)) == 0)
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
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, documents_list);
  gtk_widget_class_bind_template_child (widget_class, DeskClientDetail, appointments_list);
}

static void
desk_client_detail_init (DeskClientDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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

  if (!g_set_object (&self->client, client))
    return;

  update_lists (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}
