/* desk-member-detail.c: a member's account and the work in their name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-closures.h"
#include "desk-member.h"
#include "desk-member-actions.h"
#include "desk-changes.h"
#include "desk-member-detail.h"
#include "desk-store.h"

struct _DeskMemberDetail
{
  GtkWidget           parent_instance;

  DeskStore          *store;
  DeskMember         *member;

  /* Template widgets */
  AdwPreferencesPage *page;
  AdwActionRow       *roles_row;
  AdwActionRow       *groups_row;
  AdwActionRow       *permissions_row;
  AdwPreferencesGroup *work_group;
  GtkLabel           *appointments_label;
  GtkLabel           *recurring_label;
  GtkLabel           *sent_label;
  GtkLabel           *messages_label;
  GtkLabel           *labs_label;
  GtkLabel           *billing_label;
  GtkWidget          *deactivate_button;
  GtkWidget          *activate_button;
  GtkLabel           *action_reason;
};

G_DEFINE_FINAL_TYPE (DeskMemberDetail, desk_member_detail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MEMBER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = g_strdup_printf ("%'u", count);

  gtk_label_set_label (label, text);
}

static void
clear_summary (DeskMemberDetail *self)
{
  GtkLabel *labels[] = {
    self->appointments_label, self->recurring_label, self->sent_label,
    self->messages_label, self->labs_label, self->billing_label,
  };

  adw_action_row_set_subtitle (self->roles_row, "");
  adw_action_row_set_subtitle (self->groups_row, "");
  adw_action_row_set_subtitle (self->permissions_row, "");
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gtk_label_set_label (labels[i], "");
}

static void
show_summary (DeskMemberDetail        *self,
              const DeskMemberSummary *summary)
{
  g_autofree char *roles = NULL;
  g_autofree char *groups = NULL;
  g_autofree char *permissions = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *labs = NULL;

  roles = desk_closures_strv_label (self, (const char * const *) summary->roles);
  groups = desk_closures_strv_label (self, (const char * const *) summary->groups);
  permissions = desk_closures_permissions_label (self, summary->permissions);
  adw_action_row_set_subtitle (self->roles_row, roles);
  adw_action_row_set_subtitle (self->groups_row, groups);
  adw_action_row_set_subtitle (self->permissions_row, permissions);

  set_count (self->appointments_label, summary->future_appointments);
  set_count (self->recurring_label, summary->recurring_qnaires);
  set_count (self->sent_label, summary->sent_qnaires);

  if (summary->snoozed_messages > 0)
    /* Translators: inbox messages; the first %'u is all of them, the second the snoozed ones */
    messages = g_strdup_printf (ngettext ("%'u, %'u snoozed", "%'u, %'u snoozed",
                                          summary->snoozed_messages),
                                summary->inbox_messages, summary->snoozed_messages);
  else
    messages = g_strdup_printf ("%'u", summary->inbox_messages);
  gtk_label_set_label (self->messages_label, messages);

  if (summary->main_lab_integration)
    /* Translators: %'u is a number of lab integrations, one of them the clinic's main one */
    labs = g_strdup_printf (ngettext ("%'u, the main integration", "%'u, including the main integration",
                                      summary->lab_integrations),
                            summary->lab_integrations);
  else
    labs = g_strdup_printf ("%'u", summary->lab_integrations);
  gtk_label_set_label (self->labs_label, labs);

  gtk_label_set_label (self->billing_label,
                       summary->billing_connected ? _("Connected") : _("Not connected"));
}

static void
update_summary (DeskMemberDetail *self)
{
  DeskMemberSummary summary = { 0 };
  g_autoptr(GError) error = NULL;

  clear_summary (self);

  if (self->store == NULL || self->member == NULL)
    return;

  adw_preferences_group_set_description (self->work_group,
                                         desk_member_get_is_active (self->member)
                                           ? _("What still depends on this member. Before the account is deactivated, all of it must go to someone else.")
                                           : _("What still depends on this member after deactivation."));

  /* Each count is a range of an index alone (DESK_MEMBER_SUMMARY_SQL): about
   * a millisecond even with nothing cached, so it is read here. */
  if (!desk_member_load_summary (self->store, desk_member_get_id (self->member),
                                      &summary, &error))
    {
      g_debug ("Cannot read the summary of member %" G_GINT64_FORMAT ": %s",
               desk_member_get_id (self->member), error->message);
      adw_preferences_group_set_description (self->work_group, error->message);
      return;
    }

  show_summary (self, &summary);
  desk_member_summary_clear (&summary);
}

/* Deactivating and reactivating */

/* The lock button shows for every member, insensitive with the reason
 * where the signed-in member may not use it (as the model would refuse). */
static void
update_status_actions (DeskMemberDetail *self)
{
  gboolean active = self->member != NULL && desk_member_get_is_active (self->member);
  GtkWidget *button = active ? self->deactivate_button : self->activate_button;
  const char *reason;

  gtk_widget_set_visible (self->deactivate_button, self->member != NULL && active);
  gtk_widget_set_visible (self->activate_button, self->member != NULL && !active);
  if (self->member == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->action_reason), FALSE);
      return;
    }

  reason = desk_member_actions_describe (button, self->member,
                                         active ? _("Deactivate this member’s account")
                                                : _("Reactivate this member’s account"));
  gtk_widget_set_sensitive (button, reason == NULL);
  gtk_label_set_label (self->action_reason, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_reason), reason != NULL);
}

static void
on_deactivate_clicked (DeskMemberDetail *self)
{
  if (self->member != NULL)
    desk_member_actions_deactivate (GTK_WIDGET (self), self->member);
}

static void
on_activate_clicked (DeskMemberDetail *self)
{
  if (self->member != NULL)
    desk_member_actions_reactivate (GTK_WIDGET (self), self->member);
}

/* Refreshing after a change */

/* The record shown, read again when a change (here, or another program's)
 * may have touched it: one row by its id. */
static void
on_store_changed (DeskMemberDetail *self,
                  DeskChanges      *changes)
{
  g_autoptr(DeskMember) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  /* The summary counts what depends on the member: clients, appointments,
   * messages, labs, billing. */
  guint others = ~(guint) (DESK_RECORD_MEMBER | DESK_RECORD_AUDIT | DESK_RECORD_CLINIC);

  if (self->store == NULL || self->member == NULL)
    return;

  id = desk_member_get_id (self->member);
  if (!desk_changes_contains (changes, DESK_RECORD_MEMBER, id))
    {
      if ((desk_changes_get_kinds (changes) & others) != 0)
        update_summary (self);
      return;
    }

  fresh = desk_member_load (self->store, id, &error);
  if (fresh == NULL)
    {
      g_debug ("Cannot read member %" G_GINT64_FORMAT " again: %s", id, error->message);
      return;
    }
  g_set_object (&self->member, fresh);
  update_summary (self);
  update_status_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);
}

static void
watch_store_changes (DeskMemberDetail *self,
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
desk_member_detail_dispose (GObject *object)
{
  DeskMemberDetail *self = DESK_MEMBER_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_MEMBER_DETAIL);

  g_clear_object (&self->member);
  watch_store_changes (self, self->store, NULL);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (desk_member_detail_parent_class)->dispose (object);
}

static void
desk_member_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DeskMemberDetail *self = DESK_MEMBER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_MEMBER:
      g_value_set_object (value, self->member);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_member_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DeskMemberDetail *self = DESK_MEMBER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      desk_member_detail_set_store (self, g_value_get_object (value));
      break;

    case PROP_MEMBER:
      desk_member_detail_set_member (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_member_detail_class_init (DeskMemberDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autoptr(GtkBuilderScope) scope = desk_closures_new_scope ();

  object_class->dispose = desk_member_detail_dispose;
  object_class->get_property = desk_member_detail_get_property;
  object_class->set_property = desk_member_detail_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMBER] =
    g_param_spec_object ("member", NULL, NULL, DESK_TYPE_MEMBER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DESK_TYPE_MEMBER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "memberdetail");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/desk-member-detail.ui");
  gtk_widget_class_set_template_scope (widget_class, scope);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, page);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, roles_row);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, groups_row);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, permissions_row);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, work_group);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, appointments_label);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, recurring_label);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, sent_label);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, messages_label);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, labs_label);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, billing_label);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, deactivate_button);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, activate_button);
  gtk_widget_class_bind_template_child (widget_class, DeskMemberDetail, action_reason);
  gtk_widget_class_bind_template_callback (widget_class, on_deactivate_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_clicked);
}

static void
desk_member_detail_init (DeskMemberDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The signed-in member may change while the page stays (sign-in). */
  g_signal_connect (self, "map", G_CALLBACK (update_status_actions), NULL);
  update_status_actions (self);
}

/* Public API */

DeskStore *
desk_member_detail_get_store (DeskMemberDetail *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER_DETAIL (self), NULL);

  return self->store;
}

void
desk_member_detail_set_store (DeskMemberDetail *self,
                              DeskStore        *store)
{
  g_return_if_fail (DESK_IS_MEMBER_DETAIL (self));
  g_return_if_fail (store == NULL || DESK_IS_STORE (store));

  if (self->store == store)
    return;
  watch_store_changes (self, self->store, store);
  g_set_object (&self->store, store);

  desk_member_detail_set_member (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DeskMember *
desk_member_detail_get_member (DeskMemberDetail *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER_DETAIL (self), NULL);

  return self->member;
}

void
desk_member_detail_set_member (DeskMemberDetail *self,
                               DeskMember       *member)
{
  g_return_if_fail (DESK_IS_MEMBER_DETAIL (self));
  g_return_if_fail (member == NULL || DESK_IS_MEMBER (member));

  if (!g_set_object (&self->member, member))
    return;

  update_summary (self);
  update_status_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);
}
