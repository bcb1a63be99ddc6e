/* desk-member-actions.c: deactivating and reactivating a member, from any button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The member page's buttons and the members list's rows do the same two
 * things, in the same words: one copy here.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-deactivation.h"
#include "desk-deactivation-assistant.h"
#include "desk-member.h"
#include "desk-member-actions.h"
#include "desk-reauth-dialog.h"
#include "desk-session.h"
#include "desk-window.h"
#include "desk-window-chrome.h"

static DeskWindow *
window_of (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return DESK_IS_WINDOW (root) ? DESK_WINDOW (root) : NULL;
}

static DeskSession *
session_of (GtkWidget *widget)
{
  DeskWindow *window = window_of (widget);

  return window != NULL ? desk_window_get_session (window) : NULL;
}

const char *
desk_member_actions_refusal (GtkWidget  *widget,
                             DeskMember *member)
{
  DeskSession *session;
  gboolean active;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (DESK_IS_MEMBER (member), NULL);

  session = session_of (widget);
  active = desk_member_get_is_active (member);
  if (session == NULL)
    return _("Sign in to change a member’s status.");
  if (active && desk_member_get_id (desk_session_get_member (session)) == desk_member_get_id (member))
    return _("You cannot deactivate your own account.");
  if (!desk_session_has_permission (session, DESK_PERMISSION_EDIT_USERS))
    return active ? _("Deactivating members needs the “edit other users” permission.")
                  : _("Reactivating members needs the “edit other users” permission.");
  return NULL;
}

const char *
desk_member_actions_describe (GtkWidget  *button,
                              DeskMember *member,
                              const char *tooltip)
{
  const char *refusal;
  g_autofree char *name = NULL;

  g_return_val_if_fail (GTK_IS_BUTTON (button), NULL);
  g_return_val_if_fail (DESK_IS_MEMBER (member), NULL);

  refusal = desk_member_actions_refusal (button, member);
  if (desk_member_get_is_active (member))
    /* Translators: the accessible name of the lock button; %s is a member's name */
    name = g_strdup_printf (_("Deactivate %s"), desk_member_get_display_name (member));
  else
    /* Translators: the accessible name of a button; %s is a member's name */
    name = g_strdup_printf (_("Activate %s"), desk_member_get_display_name (member));
  desk_a11y_name_button (GTK_BUTTON (button), name);
  /* A list's rows come here each time they show another member: the same
   * tooltip, and so the same description, is not set again (each is a
   * change told to the screen reader).  The tooltip first: GTK makes it
   * the description too. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (button), refusal != NULL ? refusal : tooltip) != 0)
    {
      gtk_widget_set_tooltip_text (button, refusal != NULL ? refusal : tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, refusal != NULL ? refusal : "",
                                      -1);
    }
  return refusal;
}

void
desk_member_actions_deactivate (GtkWidget  *widget,
                                DeskMember *member)
{
  DeskWindow *window;
  DeskDeactivationAssistant *assistant;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (DESK_IS_MEMBER (member));

  /* A button made insensitive can still be clicked through its
   * accessible action. */
  window = window_of (widget);
  if (window == NULL || desk_member_actions_refusal (widget, member) != NULL)
    return;

  assistant = desk_deactivation_assistant_new (GTK_WINDOW (window),
                                               desk_window_get_session (window),
                                               desk_window_get_reauth (window), member);
  gtk_window_present (GTK_WINDOW (assistant));
}

/* The window, not the button, is kept: the row clicked may be gone from
 * the list by the time the member is back (the list read again). */
typedef struct
{
  DeskWindow  *window;
  DeskSession *session;
  DeskMember  *member;
} Reactivation;

static void
reactivation_free (Reactivation *reactivation)
{
  g_object_unref (reactivation->window);
  g_object_unref (reactivation->session);
  g_object_unref (reactivation->member);
  g_free (reactivation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reactivation, reactivation_free)

static void
on_reactivated (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Reactivation) reactivation = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *name = desk_member_get_display_name (reactivation->member);
  gboolean billing = FALSE;

  if (!desk_deactivation_reactivate_finish (DESK_SESSION (source), result, &billing, &error))
    {
      desk_window_chrome_toast (GTK_WINDOW (reactivation->window), error->message);
      return;
    }

  if (billing)
    /* Translators: %s is a member's name */
    text = g_strdup_printf (_("%s is reactivated. Their MDBilling connection stays disconnected until it is configured again."),
                            name);
  else
    /* Translators: %s is a member's name */
    text = g_strdup_printf (_("%s is reactivated"), name);
  desk_window_chrome_toast (GTK_WINDOW (reactivation->window), text);
}

static void
on_reactivation_confirmed (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(Reactivation) reactivation = user_data;
  g_autoptr(GError) error = NULL;
  DeskSession *session = reactivation->session;
  gint64 member_id = desk_member_get_id (reactivation->member);

  if (!desk_reauth_dialog_confirm_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        desk_window_chrome_toast (GTK_WINDOW (reactivation->window), error->message);
      return;
    }
  /* The password confirmed was this session's member's: not another
   * member's, signed in meanwhile. */
  if (desk_window_get_session (reactivation->window) != session)
    return;

  /* The archived inbox may be large: on a worker, with its own connection. */
  desk_deactivation_reactivate_async (session, member_id, NULL, NULL,
                                      on_reactivated, g_steal_pointer (&reactivation));
}

void
desk_member_actions_reactivate (GtkWidget  *widget,
                                DeskMember *member)
{
  DeskWindow *window;
  g_autofree char *what = NULL;
  Reactivation *reactivation;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (DESK_IS_MEMBER (member));

  window = window_of (widget);
  if (window == NULL || desk_member_actions_refusal (widget, member) != NULL ||
      desk_window_get_reauth (window) == NULL)
    return;

  /* Translators: %s is a member's name */
  what = g_strdup_printf (_("Reactivate %s’s account: they can sign in again, with their roles, groups and archived messages."),
                          desk_member_get_display_name (member));
  reactivation = g_new (Reactivation, 1);
  reactivation->window = g_object_ref (window);
  reactivation->session = g_object_ref (desk_window_get_session (window));
  reactivation->member = g_object_ref (member);
  desk_reauth_dialog_confirm_async (GTK_WINDOW (window), desk_window_get_reauth (window), what,
                                    NULL, on_reactivation_confirmed, reactivation);
}
