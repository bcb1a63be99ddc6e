/* desk-reauth-cache.c: re-authentication tokens kept in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring holds the token (which the database can verify and revoke),
 * never the password.  Its attributes name a clinic by UUID and a member by
 * number: nothing about patients.  A keyring that does not answer in time
 * is treated as absent: the caller asks for the password.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "desk-reauth-cache.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    .name = "io.github.frontdesk.FrontDesk.ReauthToken",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { .name = "clinic", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "member", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = NULL, .type = 0 },
    },
  };

  return &schema;
}

/* A task whose own cancellable fires after the timeout or when the
 * caller's does. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *outer;
  gulong        outer_id;
  guint         timeout_id;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  if (call->outer != NULL)
    g_cancellable_disconnect (call->outer, call->outer_id);
  g_clear_object (&call->outer);
  g_clear_object (&call->cancellable);
  g_free (call);
}

static gboolean
on_timeout (gpointer data)
{
  Call *call = data;

  call->timeout_id = 0;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable *outer,
                    gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static GTask *
call_new (guint                timeout_ms,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  /* The keyring's error is the answer, not the task's cancellation. */
  g_task_set_check_cancellable (task, FALSE);
  call->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->outer = g_object_ref (cancellable);
      call->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                              g_object_ref (call->cancellable), g_object_unref);
    }
  call->timeout_id = g_timeout_add (MAX (timeout_ms, 1), on_timeout, call);
  g_task_set_task_data (task, call, call_free);
  return task;
}

static GCancellable *
call_cancellable (GTask *task)
{
  return ((Call *) g_task_get_task_data (task))->cancellable;
}

static void
return_error (GTask  *task,
              GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      (g_task_get_cancellable (task) == NULL ||
       !g_cancellable_is_cancelled (g_task_get_cancellable (task))))
    {
      g_clear_error (&error);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           _("The keyring did not answer in time."));
    }
  g_task_return_error (task, error);
}

static void
stored (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    return_error (task, error);
}

void
desk_reauth_cache_store_async (const char          *clinic_uuid,
                               gint64               member_id,
                               const char          *token,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = call_new (timeout_ms, cancellable, callback, user_data,
                          desk_reauth_cache_store_async);
  g_autofree char *member = g_strdup_printf ("%" G_GINT64_FORMAT, member_id);

  secret_password_store (get_schema (), SECRET_COLLECTION_SESSION,
                         _("Front Desk confirmation"), token, call_cancellable (task),
                         stored, task,
                         "clinic", clinic_uuid, "member", member, NULL);
}

gboolean
desk_reauth_cache_store_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    return_error (task, error);
  else if (token == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("No confirmation is kept in the keyring."));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

void
desk_reauth_cache_lookup_async (const char          *clinic_uuid,
                                gint64               member_id,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = call_new (timeout_ms, cancellable, callback, user_data,
                          desk_reauth_cache_lookup_async);
  g_autofree char *member = g_strdup_printf ("%" G_GINT64_FORMAT, member_id);

  secret_password_lookup (get_schema (), call_cancellable (task), looked_up, task,
                          "clinic", clinic_uuid, "member", member, NULL);
}

char *
desk_reauth_cache_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  char *token = g_task_propagate_pointer (G_TASK (result), error);
  char *copy;

  if (token == NULL)
    return NULL;
  /* A plain string for the caller; the keyring's copy is wiped. */
  copy = g_strdup (token);
  secret_password_free (token);
  return copy;
}

/* On a worker: at a session's end, the first call to the keyring
 * (connecting to the Secret Service, reading its collections) held the
 * main thread about 20 ms, in the turn that shows the sign-in page. */
static void
clear_thread (GTask        *inner,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (secret_password_clear_sync (get_schema (), cancellable, &error,
                                  "clinic", (const char *) task_data, NULL) ||
      error == NULL)
    g_task_return_boolean (inner, TRUE);
  else
    g_task_return_error (inner, error);
}

static void
cleared (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
desk_reauth_cache_clear_async (const char          *clinic_uuid,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = call_new (timeout_ms, cancellable, callback, user_data,
                          desk_reauth_cache_clear_async);

  g_autoptr(GTask) inner = g_task_new (NULL, call_cancellable (task), cleared, task);

  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, g_strdup (clinic_uuid), g_free);
  g_task_run_in_thread (inner, clear_thread);
}

gboolean
desk_reauth_cache_clear_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
