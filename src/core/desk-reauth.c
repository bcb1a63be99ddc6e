/* desk-reauth.c: confirming a sensitive change with the member's password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session verifies passwords and tokens and knows whether a sensitive
 * change is allowed now (desk_session_require_reauth); the keyring cache
 * keeps tokens between changes.  This joins the two, so that every caller
 * (the window's confirmation dialog, later the command line) asks the same
 * way.
 */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "desk-member.h"
#include "desk-reauth-cache.h"
#include "desk-reauth.h"
#include "desk-session.h"
#include "desk-store.h"

struct _DeskReauth
{
  GObject      parent_instance;

  DeskSession *session;
  guint        grace_seconds;
  guint        keyring_timeout_ms;
};

G_DEFINE_FINAL_TYPE (DeskReauth, desk_reauth, G_TYPE_OBJECT)

/* Helpers */

static const char *
clinic_uuid (DeskReauth *self)
{
  return desk_store_get_clinic_uuid (desk_session_get_store (self->session));
}

static gint64
member_id (DeskReauth *self)
{
  return desk_member_get_id (desk_session_get_member (self->session));
}

static void
wipe_and_free (char *secret)
{
  if (secret != NULL)
    {
      sodium_memzero (secret, strlen (secret));
      g_free (secret);
    }
}

/* Callbacks */

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskReauth *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *token = desk_reauth_cache_lookup_finish (result, &error);
  gboolean valid;

  if (token == NULL)
    {
      g_debug ("No re-authentication token from the keyring: %s", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  /* The keyring's word is not enough: the clinic must still accept it. */
  valid = desk_session_check_reauth_token (self->session, token);
  wipe_and_free (token);
  g_task_return_boolean (task, valid);
}

static void
token_stored (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!desk_reauth_cache_store_finish (result, &error))
    g_debug ("The re-authentication token is not kept: %s", error->message);
  /* Confirmed either way; without the keyring the next change asks again. */
  g_task_return_boolean (task, TRUE);
}

static void
reauthenticated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeskReauth *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *token;

  if (!desk_session_reauthenticate_finish (self->session, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->grace_seconds == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  token = desk_session_issue_reauth_token (self->session, self->grace_seconds, &error);
  if (token == NULL)
    {
      /* The password was right; only the grace period is lost. */
      g_debug ("No re-authentication token: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  desk_reauth_cache_store_async (clinic_uuid (self), member_id (self), token,
                                 self->keyring_timeout_ms, g_task_get_cancellable (task),
                                 token_stored, g_object_ref (task));
  wipe_and_free (token);
}

static void
forgotten (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (desk_reauth_cache_clear_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Overrides */

static void
desk_reauth_dispose (GObject *object)
{
  DeskReauth *self = DESK_REAUTH (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (desk_reauth_parent_class)->dispose (object);
}

static void
desk_reauth_class_init (DeskReauthClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = desk_reauth_dispose;
}

static void
desk_reauth_init (DeskReauth *self)
{
}

/* Public API */

DeskReauth *
desk_reauth_new (DeskSession *session,
                 guint        grace_seconds,
                 guint        keyring_timeout_ms)
{
  DeskReauth *self;

  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);

  self = g_object_new (DESK_TYPE_REAUTH, NULL);
  self->session = g_object_ref (session);
  self->grace_seconds = MIN (grace_seconds, DESK_REAUTH_MAX_GRACE);
  self->keyring_timeout_ms = MAX (keyring_timeout_ms, 1);
  return self;
}

DeskSession *
desk_reauth_get_session (DeskReauth *self)
{
  g_return_val_if_fail (DESK_IS_REAUTH (self), NULL);
  return self->session;
}

guint
desk_reauth_get_grace (DeskReauth *self)
{
  g_return_val_if_fail (DESK_IS_REAUTH (self), 0);
  return self->grace_seconds;
}

void
desk_reauth_check_async (DeskReauth          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_REAUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_reauth_check_async);

  /* No grace period ("always ask"), or signed out: nothing to look for. */
  if (self->grace_seconds == 0 || !desk_session_get_signed_in (self->session))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  desk_reauth_cache_lookup_async (clinic_uuid (self), member_id (self), self->keyring_timeout_ms,
                                  cancellable, looked_up, g_steal_pointer (&task));
}

gboolean
desk_reauth_check_finish (DeskReauth   *self,
                          GAsyncResult *result)
{
  g_return_val_if_fail (DESK_IS_REAUTH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), NULL);
}

void
desk_reauth_confirm_async (DeskReauth          *self,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_REAUTH (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_reauth_confirm_async);
  desk_session_reauthenticate_async (self->session, password, cancellable, reauthenticated,
                                     task);
}

gboolean
desk_reauth_confirm_finish (DeskReauth    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (DESK_IS_REAUTH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
desk_reauth_forget_async (DeskReauth          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_REAUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_reauth_forget_async);
  desk_reauth_cache_clear_async (clinic_uuid (self), self->keyring_timeout_ms, cancellable,
                                 forgotten, task);
}

gboolean
desk_reauth_forget_finish (DeskReauth    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (DESK_IS_REAUTH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
