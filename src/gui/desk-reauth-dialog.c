/* desk-reauth-dialog.c: asking for the password before a sensitive change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwWindow rather than an AdwMessageDialog, which closes on every
 * response: a mistyped password must leave the dialog open with the reason.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-member.h"
#include "desk-reauth-dialog.h"
#include "desk-session.h"

struct _DeskReauthDialog
{
  AdwWindow     parent_instance;

  GTask        *task;          /* the confirmation the dialog answers */
  DeskReauth   *reauth;
  GCancellable *checking;      /* the password check under way */

  /* Template widgets */
  GtkLabel     *body_label;
  GtkPasswordEntry *password_row;
  GtkLabel     *error_label;
  GtkSpinner   *spinner;
};

G_DEFINE_FINAL_TYPE (DeskReauthDialog, desk_reauth_dialog, ADW_TYPE_WINDOW)

/* Helpers */

static void
update_actions (DeskReauthDialog *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reauth.confirm",
                                 self->task != NULL && self->checking == NULL &&
                                 *password != '\0');
}

static void
set_busy (DeskReauthDialog *self,
          gboolean          busy)
{
  /* Not insensitive, which would pull the focus from under the entry. */
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
}

static void
show_error (DeskReauthDialog *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Answers the confirmation once; the dialog then closes. */
static void
finish (DeskReauthDialog *self,
        GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Callbacks */

static void
confirmed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DeskReauthDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = desk_reauth_confirm_finish (DESK_REAUTH (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->checking);
  set_busy (self, FALSE);

  if (ok)
    {
      finish (self, NULL);
      return;
    }

  /* Wrong password, too many attempts: say so and let the member try again
   * (or cancel); signed out: nothing more can be confirmed here. */
  if (g_error_matches (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_SIGNED_OUT))
    {
      finish (self, g_steal_pointer (&error));
      return;
    }
  show_error (self, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_password_changed (DeskReauthDialog *self)
{
  update_actions (self);
}

static void
on_password_activated (DeskReauthDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "reauth.confirm", NULL);
}

/* Actions */

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DeskReauthDialog *self = DESK_REAUTH_DIALOG (widget);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->task == NULL || self->checking != NULL || *password == '\0')
    return;

  self->checking = g_cancellable_new ();
  desk_reauth_confirm_async (self->reauth, password, self->checking, confirmed,
                             g_object_ref (self));
  /* The worker has its own wiped copy. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  set_busy (self, TRUE);
}

/* Overrides */

static gboolean
desk_reauth_dialog_close_request (GtkWindow *window)
{
  DeskReauthDialog *self = DESK_REAUTH_DIALOG (window);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);

  if (self->task != NULL)
    {
      GError *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The change was not confirmed."));
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_error (task, error);
    }

  return GTK_WINDOW_CLASS (desk_reauth_dialog_parent_class)->close_request (window);
}

static void
desk_reauth_dialog_dispose (GObject *object)
{
  DeskReauthDialog *self = DESK_REAUTH_DIALOG (object);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  if (self->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The change was not confirmed."));
    }
  g_clear_object (&self->reauth);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_REAUTH_DIALOG);

  G_OBJECT_CLASS (desk_reauth_dialog_parent_class)->dispose (object);
}

static void
desk_reauth_dialog_class_init (DeskReauthDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = desk_reauth_dialog_dispose;
  window_class->close_request = desk_reauth_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/desk-reauth-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskReauthDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, DeskReauthDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, DeskReauthDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, DeskReauthDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);

  gtk_widget_class_install_action (widget_class, "reauth.confirm", NULL, confirm_action);
}

static void
desk_reauth_dialog_init (DeskReauthDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  desk_a11y_name_mnemonic_buttons (GTK_WIDGET (self));
}

/* Public API */

static void
checked (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskReauth *reauth = DESK_REAUTH (source);
  DeskReauthDialog *self;
  DeskMember *member;
  g_autofree char *body = NULL;
  g_autofree char *who = NULL;
  GtkWindow *parent;

  if (desk_reauth_check_finish (reauth, result))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  parent = g_object_get_data (G_OBJECT (task), "parent");
  member = desk_session_get_member (desk_reauth_get_session (reauth));
  who = g_strdup_printf (/* Translators: %s is the name of the signed-in member */
                         _("Signed in as %s. Type your password to confirm."),
                         desk_member_get_display_name (member));
  body = g_strdup_printf ("%s\n\n%s", (const char *) g_task_get_task_data (task), who);

  self = g_object_new (DESK_TYPE_REAUTH_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  gtk_label_set_label (self->body_label, body);
  self->reauth = g_object_ref (reauth);
  self->task = g_steal_pointer (&task);
  update_actions (self);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

void
desk_reauth_dialog_confirm_async (GtkWindow           *parent,
                                  DeskReauth          *reauth,
                                  const char          *what,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (DESK_IS_REAUTH (reauth));
  g_return_if_fail (what != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_reauth_dialog_confirm_async);
  g_task_set_task_data (task, g_strdup (what), g_free);
  if (parent != NULL)
    g_object_set_data_full (G_OBJECT (task), "parent", g_object_ref (parent), g_object_unref);
  desk_reauth_check_async (reauth, cancellable, checked, task);
}

gboolean
desk_reauth_dialog_confirm_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GtkEditable *
desk_reauth_dialog_get_password (DeskReauthDialog *self)
{
  g_return_val_if_fail (DESK_IS_REAUTH_DIALOG (self), NULL);
  return GTK_EDITABLE (self->password_row);
}

const char *
desk_reauth_dialog_get_error (DeskReauthDialog *self)
{
  g_return_val_if_fail (DESK_IS_REAUTH_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

gboolean
desk_reauth_dialog_get_busy (DeskReauthDialog *self)
{
  g_return_val_if_fail (DESK_IS_REAUTH_DIALOG (self), FALSE);
  return self->checking != NULL;
}
