/* desk-client-action.h: one change to one client, on the change path's worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the client page does: each action is one change on the change path
 * (needs "manage clients", audited, all or nothing), run on a worker with
 * a connection of its own so that a busy or locked file never holds the
 * window.  The same checks and refusals as the calling-thread functions of
 * desk-client-change.h and desk-portal.h, with their error domains.
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

typedef enum
{
  /* Inactive from now, with a reason (required); with
   * DESK_CLIENT_ACTION_ALSO_PORTAL_OFF, portal access is turned off in the
   * same change, else it stays as it is. */
  DESK_CLIENT_ACTION_DISCHARGE,
  DESK_CLIENT_ACTION_ACTIVATE,
  /* A new invitation (access on), older ones voided. */
  DESK_CLIENT_ACTION_PORTAL_ENABLE,
  DESK_CLIENT_ACTION_PORTAL_RESEND,
  DESK_CLIENT_ACTION_PORTAL_DISABLE,
  DESK_CLIENT_ACTION_SHARE,
  DESK_CLIENT_ACTION_UNSHARE,
} DeskClientAction;

typedef enum
{
  DESK_CLIENT_ACTION_FLAGS_NONE      = 0,
  DESK_CLIENT_ACTION_ALSO_PORTAL_OFF = 1 << 0,
} DeskClientActionFlags;

/* @document_id: for SHARE and UNSHARE, else 0.  @reason: for DISCHARGE
 * (required) and ACTIVATE (may be %NULL), else %NULL. */
void     desk_client_action_run_async  (DeskSession            *session,
                                        gint64                  client_id,
                                        DeskClientAction        action,
                                        DeskClientActionFlags   flags,
                                        gint64                  document_id,
                                        const char             *reason,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean desk_client_action_run_finish (DeskSession            *session,
                                        GAsyncResult           *result,
                                        GError                **error);

G_END_DECLS
