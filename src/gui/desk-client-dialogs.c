/* desk-client-dialogs.c: the questions the client page asks before a change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each says in plain words what the change does and what it does not do:
 * front desks confuse a client's status with their portal access, and the
 * seed thread is a clinic that could not tell what a discharged client can
 * still do.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-client-dialogs.h"

#define REASON_KEY     "desk-reason"
#define PORTAL_OFF_KEY "desk-portal-off"

static void
on_reason_changed (GtkEditable      *reason,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, DESK_CLIENT_RESPONSE_DISCHARGE,
                                           text[0] != '\0');
}

AdwMessageDialog *
desk_client_dialogs_discharge (GtkWindow  *parent,
                               const char *name)
{
  AdwMessageDialog *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *reason = gtk_entry_new ();
  GtkWidget *portal_off;
  GtkWidget *portal_note;
  g_autofree char *heading = NULL;
  g_autofree char *note = NULL;

  /* Translators: %s is a client's name */
  heading = g_strdup_printf (_("Discharge %s?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading,
                                                       _("The client becomes inactive from today. "
                                                         "Their record, appointments and documents "
                                                         "are kept, and you can reactivate them at "
                                                         "any time.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    DESK_CLIENT_RESPONSE_DISCHARGE, _("_Discharge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, DESK_CLIENT_RESPONSE_DISCHARGE,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, DESK_CLIENT_RESPONSE_DISCHARGE, FALSE);
  adw_message_dialog_set_default_response (dialog, DESK_CLIENT_RESPONSE_DISCHARGE);
  adw_message_dialog_set_close_response (dialog, "cancel");

  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Reason (required)"));
  gtk_entry_set_activates_default (GTK_ENTRY (reason), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for discharge"), -1);
  g_signal_connect_object (reason, "changed", G_CALLBACK (on_reason_changed), dialog, 0);
  gtk_box_append (GTK_BOX (box), reason);

  portal_off = gtk_check_button_new_with_mnemonic (_("Also _turn off portal access"));
  /* GTK 4.8 would say the mnemonic's underscore. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (portal_off), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Also turn off portal access"), -1);
  /* Translators: %s is a client's name */
  note = g_strdup_printf (_("Left unticked, %s can still sign in to the portal and see the "
                            "documents shared with them."), name);
  portal_note = gtk_label_new (note);
  gtk_label_set_wrap (GTK_LABEL (portal_note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (portal_note), 0);
  gtk_widget_add_css_class (portal_note, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (portal_off),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, portal_note, NULL, -1);
  gtk_box_append (GTK_BOX (box), portal_off);
  gtk_box_append (GTK_BOX (box), portal_note);
  g_object_set_data (G_OBJECT (portal_off), "desk-note", portal_note);

  adw_message_dialog_set_extra_child (dialog, box);
  g_object_set_data (G_OBJECT (dialog), REASON_KEY, reason);
  g_object_set_data (G_OBJECT (dialog), PORTAL_OFF_KEY, portal_off);
  desk_client_dialogs_set_portal_on (dialog, FALSE);
  gtk_window_set_focus (GTK_WINDOW (dialog), reason);
  desk_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  return dialog;
}

void
desk_client_dialogs_set_portal_on (AdwMessageDialog *dialog,
                                   gboolean          portal_on)
{
  GtkWidget *portal_off = g_object_get_data (G_OBJECT (dialog), PORTAL_OFF_KEY);

  g_return_if_fail (GTK_IS_CHECK_BUTTON (portal_off));

  /* With access already off there is nothing to choose. */
  gtk_widget_set_visible (portal_off, portal_on);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (portal_off), "desk-note"), portal_on);
  if (!portal_on)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (portal_off), FALSE);
}

GtkEditable *
desk_client_dialogs_get_reason (AdwMessageDialog *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), REASON_KEY);
}

GtkCheckButton *
desk_client_dialogs_get_portal_off (AdwMessageDialog *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), PORTAL_OFF_KEY);
}

AdwMessageDialog *
desk_client_dialogs_portal_off (GtkWindow  *parent,
                                const char *name)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  /* Translators: %s is a client's name */
  heading = g_strdup_printf (_("Turn Off Portal Access for %s?"), name);
  /* Translators: %s is a client's name */
  body = g_strdup_printf (_("%s will no longer be able to sign in to the portal. Their record, "
                            "status and shared documents stay as they are. To give access back, "
                            "you turn it on again: they get a new invitation and choose a new "
                            "password."), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    DESK_CLIENT_RESPONSE_PORTAL_OFF, _("_Turn Off"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, DESK_CLIENT_RESPONSE_PORTAL_OFF,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  desk_a11y_name_mnemonic_buttons (GTK_WIDGET (dialog));
  return dialog;
}
