/* desk-sign-in-page.c: signing in to a clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing of the clinic is shown before sign-in: this page knows only the
 * clinic's name and, for a demo clinic, the demo sign-in.  The password is
 * checked on a worker (Argon2id takes tens of milliseconds by design) and
 * the entry's copy is emptied as soon as it has been handed over.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-demo.h"
#include "desk-session.h"
#include "desk-setup.h"
#include "desk-sign-in-page.h"
#include "desk-sign-in.h"
#include "desk-store.h"

struct _DeskSignInPage
{
  GtkWidget     parent_instance;

  DeskStore    *store;
  GCancellable *cancellable;   /* the sign-in under way */

  /* Template widgets */
  AdwStatusPage *status_page;
  GtkEntry         *username_row;
  GtkPasswordEntry *password_row;
  GtkLabel      *message_label;
  GtkButton     *sign_in_button;
  GtkSpinner    *spinner;
  GtkLabel      *demo_label;

  /* Too many failed attempts: Sign In waits until then (monotonic µs). */
  gint64         wait_until;
  guint          wait_timer;
};

G_DEFINE_FINAL_TYPE (DeskSignInPage, desk_sign_in_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers */

/* Two lines of the label's font: what the longest messages take. */
static void
reserve_message_room (DeskSignInPage *self)
{
  g_autoptr(PangoLayout) layout =
    gtk_widget_create_pango_layout (GTK_WIDGET (self->message_label), "X\nX");
  int height = 0;

  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_widget_set_size_request (GTK_WIDGET (self->message_label), -1, height);
}

/* The message keeps its place (two lines, reserve_message_room()) whether
 * it says something or not, so that an error does not move the page under
 * the pointer; an error also marks the password entry. */
static void
show_message (DeskSignInPage *self,
              const char     *message,
              gboolean        is_error)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->password_row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->password_row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
update_actions (DeskSignInPage *self)
{
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit",
                                 self->store != NULL && self->cancellable == NULL &&
                                 self->wait_timer == 0 &&
                                 *username != '\0' && *password != '\0');
}

static void
set_busy (DeskSignInPage *self,
          gboolean        busy)
{
  /* Not insensitive: that would take the focus away from under the entry
   * (GTK then warns that its cursor never saw a focus-out). */
  gtk_editable_set_editable (GTK_EDITABLE (self->username_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
cancel_sign_in (DeskSignInPage *self)
{
  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

/* Waiting after too many failed attempts */

static void
stop_waiting (DeskSignInPage *self)
{
  g_clear_handle_id (&self->wait_timer, g_source_remove);
  self->wait_until = 0;
}

static gboolean
on_wait_tick (gpointer user_data)
{
  DeskSignInPage *self = user_data;
  gint64 left = (self->wait_until - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  g_autofree char *text = NULL;

  if (left <= 0)
    {
      self->wait_timer = 0;
      self->wait_until = 0;
      show_message (self, NULL, FALSE);
      update_actions (self);
      return G_SOURCE_REMOVE;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Too many failed sign-ins. Wait %d second and try again.",
                                       "Too many failed sign-ins. Wait %d seconds and try again.",
                                       (int) left),
                          (int) left);
  show_message (self, text, TRUE);
  return G_SOURCE_CONTINUE;
}

/* After a failure: when the account must now wait, Sign In stays
 * insensitive and the message counts the seconds down.  The wait is the
 * model's (desk_sign_in_get_wait()), which the next attempt would say. */
static void
wait_if_needed (DeskSignInPage *self,
                const char     *username)
{
  g_autoptr(GError) error = NULL;
  gint64 wait;

  stop_waiting (self);
  wait = desk_sign_in_get_wait (self->store, username, &error);
  if (error != NULL)
    g_debug ("Cannot read the sign-in wait: %s", error->message);
  /* An hour or more: the model's own message says what to do. */
  if (wait <= 0 || wait >= 3600)
    return;
  self->wait_until = g_get_monotonic_time () + wait * G_USEC_PER_SEC;
  self->wait_timer = g_timeout_add_seconds (1, on_wait_tick, self);
  on_wait_tick (self);
  update_actions (self);
}

/* Callbacks */

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DeskSignInPage) self = user_data;
  g_autoptr(DeskSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  session = desk_session_sign_in_finish (result, &error);

  /* Another clinic, or the page went away, since. */
  if (cancellable == NULL || g_cancellable_is_cancelled (cancellable) ||
      cancellable != self->cancellable)
    {
      if (session != NULL)
        desk_session_sign_out (session);
      return;
    }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (session == NULL)
    {
      g_autofree char *username =
        g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));

      show_message (self, error->message, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      if (g_error_matches (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS) ||
          g_error_matches (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS))
        wait_if_needed (self, username);
      return;
    }

  show_message (self, NULL, FALSE);
  g_signal_emit (self, signals[SIGNED_IN], 0, session);
}

static void
on_input_changed (DeskSignInPage *self)
{
  /* Typing again takes the error's mark away; a wait keeps counting. */
  if (self->wait_timer == 0 &&
      gtk_widget_has_css_class (GTK_WIDGET (self->password_row), "error") &&
      *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0')
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->password_row), GTK_ACCESSIBLE_STATE_INVALID);
    }
  update_actions (self);
}

static void
on_username_activated (DeskSignInPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_password_activated (DeskSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

/* Actions */

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DeskSignInPage *self = DESK_SIGN_IN_PAGE (widget);
  g_autofree char *username = NULL;

  if (self->store == NULL || self->cancellable != NULL)
    return;

  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  if (*username == '\0')
    return;

  self->cancellable = g_cancellable_new ();
  desk_session_sign_in_async (self->store, username,
                              gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                              self->cancellable, signed_in_cb, g_object_ref (self));
  /* The worker has its own (wiped) copy; the entry's goes now. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_message (self, NULL, FALSE);
  set_busy (self, TRUE);
}

/* Overrides */

static void
desk_sign_in_page_dispose (GObject *object)
{
  DeskSignInPage *self = DESK_SIGN_IN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  stop_waiting (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (desk_sign_in_page_parent_class)->dispose (object);
}

static void
desk_sign_in_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DeskSignInPage *self = DESK_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, desk_sign_in_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_sign_in_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DeskSignInPage *self = DESK_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      desk_sign_in_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_sign_in_page_class_init (DeskSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_sign_in_page_dispose;
  object_class->get_property = desk_sign_in_page_get_property;
  object_class->set_property = desk_sign_in_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DeskSignInPage::signed-in:
   * @session: the new session
   *
   * A member signed in.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, DESK_TYPE_SESSION);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/desk-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, DeskSignInPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, DeskSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, DeskSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, DeskSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, DeskSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DeskSignInPage, demo_label);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_username_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);
}

static void
desk_sign_in_page_init (DeskSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
  /* Measured again once the label has its style (the application's fonts). */
  g_signal_connect_object (self->message_label, "realize", G_CALLBACK (reserve_message_room),
                           self, G_CONNECT_SWAPPED);
  reserve_message_room (self);
}

/* Public API */

DeskStore *
desk_sign_in_page_get_store (DeskSignInPage *self)
{
  g_return_val_if_fail (DESK_IS_SIGN_IN_PAGE (self), NULL);
  return self->store;
}

void
desk_sign_in_page_set_store (DeskSignInPage *self,
                             DeskStore      *store)
{
  g_return_if_fail (DESK_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (store == NULL || DESK_IS_STORE (store));

  if (self->store == store)
    return;

  cancel_sign_in (self);
  g_set_object (&self->store, store);

  if (store != NULL)
    {
      const char *name = desk_store_get_clinic_name (store);

      adw_status_page_set_title (self->status_page, name != NULL && *name ? name : _("Sign In"));
      adw_status_page_set_description (self->status_page,
                                       _("Sign in with your clinic account to manage its members and clients."));
    }

  /* Only a demo clinic says its sign-in; a real clinic never does. */
  if (store != NULL && desk_store_get_is_demo (store))
    {
      g_autofree char *text =
        /* Translators: the first %s is a username, the second a password */
        g_strdup_printf (_("Everyone here is made up. Sign in as “%s” with the password “%s”."),
                         DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);

      gtk_label_set_label (self->demo_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), TRUE);
    }
  else
    {
      gtk_label_set_label (self->demo_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->demo_label), FALSE);
    }

  desk_sign_in_page_reset (self, NULL, NULL);

  /* A new clinic, before its first administrator: say how to get in. */
  if (store != NULL && !desk_setup_has_active_members (store, NULL))
    show_message (self, _("Nobody can sign in to this clinic yet. Its first administrator is "
                          "added with “front-desk-admin members add-first-admin”."), FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
desk_sign_in_page_reset (DeskSignInPage *self,
                         const char     *username,
                         const char     *message)
{
  g_return_if_fail (DESK_IS_SIGN_IN_PAGE (self));

  cancel_sign_in (self);
  stop_waiting (self);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username != NULL ? username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_message (self, message, FALSE);
  update_actions (self);
}

void
desk_sign_in_page_focus (DeskSignInPage *self)
{
  const char *username;

  g_return_if_fail (DESK_IS_SIGN_IN_PAGE (self));

  username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  if (*username != '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
}

const char *
desk_sign_in_page_get_message (DeskSignInPage *self)
{
  g_return_val_if_fail (DESK_IS_SIGN_IN_PAGE (self), NULL);

  if (*gtk_label_get_label (self->message_label) == '\0')
    return NULL;
  return gtk_label_get_label (self->message_label);
}

gboolean
desk_sign_in_page_get_busy (DeskSignInPage *self)
{
  g_return_val_if_fail (DESK_IS_SIGN_IN_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

GtkEditable *
desk_sign_in_page_get_username (DeskSignInPage *self)
{
  g_return_val_if_fail (DESK_IS_SIGN_IN_PAGE (self), NULL);
  return GTK_EDITABLE (self->username_row);
}

GtkEditable *
desk_sign_in_page_get_password (DeskSignInPage *self)
{
  g_return_val_if_fail (DESK_IS_SIGN_IN_PAGE (self), NULL);
  return GTK_EDITABLE (self->password_row);
}
