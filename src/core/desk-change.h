/* desk-change.h: the one way the clinic record is changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change a member makes is a short DeskChangeFunc run by
 * desk_change_run():
 *
 *  1. before anything is written: the session is signed in, the member
 *     holds @permission, and for a DESK_CHANGE_SENSITIVE change their
 *     password was confirmed (desk_session_require_reauth());
 *  2. one write transaction (BEGIN IMMEDIATE, the store's busy timeout,
 *     DESK_STORE_ERROR_LOCKED while another program writes), in which the
 *     member is checked again against the file as it is now (still active,
 *     still holding the permission: another workstation may have changed
 *     either) and the function runs;
 *  3. the function appends its audit entries with desk_change_audit(): a
 *     change that wrote none is refused, so there is no change without its
 *     entry, and entries written by a change that fails roll back with it;
 *  4. after the commit, the store emits "changed" with what was touched,
 *     and the views refresh from that.
 */
#pragma once

#include <gio/gio.h>

#include "desk-changes.h"
#include "desk-types.h"

G_BEGIN_DECLS

typedef enum
{
  DESK_CHANGE_DEFAULT   = 0,
  /* Needs the member's password confirmed (re-authentication). */
  DESK_CHANGE_SENSITIVE = 1 << 0,
} DeskChangeFlags;

/* Runs inside the transaction; returns FALSE with @error set to roll the
 * whole change back. */
typedef gboolean (*DeskChangeFunc) (DeskChange  *change,
                                    gpointer     user_data,
                                    GError     **error);

/* @permission: the DeskPermission the change needs, or 0 for any signed-in
 * member (their own bookkeeping). */
gboolean     desk_change_run           (DeskSession      *session,
                                        guint             permission,
                                        DeskChangeFlags   flags,
                                        DeskChangeFunc    func,
                                        gpointer          user_data,
                                        GError          **error);

/* The same, the transaction on a worker thread with a connection of its
 * own, for changes that can take longer than a frame.  The checks of step
 * 1 run at once on the calling thread; @func runs on the worker and must
 * not touch the session, the store or anything of the calling thread.
 * "changed" is emitted on the calling thread when it finishes. */
void         desk_change_run_async     (DeskSession         *session,
                                        guint                permission,
                                        DeskChangeFlags      flags,
                                        DeskChangeFunc       func,
                                        gpointer             user_data,
                                        GDestroyNotify       user_data_free,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             callback_data);
gboolean     desk_change_run_finish    (DeskSession         *session,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Inside a DeskChangeFunc. */
gint64       desk_change_get_now       (DeskChange      *change);
/* The member making the change; 0 for the system. */
gint64       desk_change_get_actor_id  (DeskChange      *change);
GCancellable *desk_change_get_cancellable (DeskChange   *change);

/* Appends an audit entry in the change's transaction and notes the target
 * as touched.  @target_kind: one DeskRecordKind; @target_id 0 for none;
 * @reason may be NULL; @details is a JSON object or NULL. */
gboolean     desk_change_audit         (DeskChange      *change,
                                        const char      *action,
                                        DeskRecordKind   target_kind,
                                        gint64           target_id,
                                        const char      *reason,
                                        const char      *details,
                                        GError         **error);
/* Notes a record the change touched besides its audit targets. */
void         desk_change_touch         (DeskChange      *change,
                                        DeskRecordKind   kind,
                                        gint64           id);

G_END_DECLS
