/* desk-client-action.c: one change to one client, on the change path's worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"


#include "desk-change.h"
#include "desk-client-action.h"
#include "desk-client-change.h"
#include "desk-client-private.h"
#include "desk-session.h"

typedef struct
{
  gint64                client_id;
  DeskClientAction      action;
  DeskClientActionFlags flags;
  gint64                document_id;
  char                 *reason;
} Action;

static void
action_free (gpointer data)
{
  Action *action = data;

  g_free (action->reason);
  g_free (action);
}

/* On the worker, inside the transaction. */
static gboolean
run (DeskChange  *change,
     gpointer     user_data,
     GError     **error)
{
  Action *action = user_data;
  gboolean changed;

  switch (action->action)
    {
    case DESK_CLIENT_ACTION_DISCHARGE:
      if (!_desk_client_change_status (change, action->client_id, TRUE, action->reason, error))
        return FALSE;
      /* Portal access off too only when asked, and then quietly if it is
       * already off: the discharge is what was asked for. */
      return (action->flags & DESK_CLIENT_ACTION_ALSO_PORTAL_OFF) == 0 ||
             _desk_portal_change_disable (change, action->client_id, FALSE, &changed, error);
    case DESK_CLIENT_ACTION_ACTIVATE:
      return _desk_client_change_status (change, action->client_id, FALSE, action->reason, error);
    case DESK_CLIENT_ACTION_PORTAL_ENABLE:
    case DESK_CLIENT_ACTION_PORTAL_RESEND:
      return _desk_portal_change_invite (change, action->client_id,
                                         action->action == DESK_CLIENT_ACTION_PORTAL_RESEND,
                                         error);
    case DESK_CLIENT_ACTION_PORTAL_DISABLE:
      return _desk_portal_change_disable (change, action->client_id, TRUE, &changed, error);
    case DESK_CLIENT_ACTION_SHARE:
    case DESK_CLIENT_ACTION_UNSHARE:
      return _desk_client_change_share (change, action->client_id, action->document_id,
                                        action->action == DESK_CLIENT_ACTION_SHARE, error);
    default:
      g_assert_not_reached ();
    }
}

static void
ran (GObject      *source,
     GAsyncResult *result,
     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!desk_change_run_finish (DESK_SESSION (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
desk_client_action_run_async (DeskSession            *session,
                              gint64                  client_id,
                              DeskClientAction        action,
                              DeskClientActionFlags   flags,
                              gint64                  document_id,
                              const char             *reason,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  Action *data;

  g_return_if_fail (DESK_IS_SESSION (session));
  g_return_if_fail (action <= DESK_CLIENT_ACTION_UNSHARE);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_client_action_run_async);

  data = g_new0 (Action, 1);
  data->client_id = client_id;
  data->action = action;
  data->flags = flags;
  data->document_id = document_id;
  data->reason = g_strdup (reason);
  desk_change_run_async (session, DESK_PERMISSION_MANAGE_CLIENTS, DESK_CHANGE_DEFAULT,
                         run, data, action_free, cancellable, ran, g_steal_pointer (&task));
}

gboolean
desk_client_action_run_finish (DeskSession   *session,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
