/* desk-reauth.h: confirming a sensitive change with the member's password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_REAUTH (desk_reauth_get_type ())
G_DECLARE_FINAL_TYPE (DeskReauth, desk_reauth, DESK, REAUTH, GObject)

/* The one place that asks for re-authentication before a sensitive change
 * (deactivate, reactivate, transfer the main lab integration, disable
 * portal access in bulk).  With a grace period, a confirmed password leaves
 * a token in the keyring that spares the next confirmations until it
 * expires; the database keeps only its hash and can revoke it.  Without a
 * keyring (absent, locked, not answering within @keyring_timeout_ms) the
 * password is asked every time and nothing is kept anywhere. */
DeskReauth  *desk_reauth_new            (DeskSession         *session,
                                         guint                grace_seconds,
                                         guint                keyring_timeout_ms);

DeskSession *desk_reauth_get_session    (DeskReauth          *self);
guint        desk_reauth_get_grace      (DeskReauth          *self);

/* Whether a token kept in the keyring still stands for this member on this
 * clinic: then the change may go ahead without asking (and
 * desk_session_require_reauth() allows it).  FALSE means ask for the
 * password; it never fails otherwise. */
void         desk_reauth_check_async    (DeskReauth          *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean     desk_reauth_check_finish   (DeskReauth          *self,
                                         GAsyncResult        *result);

/* Checks @password on a worker (the sign-in limits apply, and the attempt
 * is audited); on success, with a grace period, keeps a new token in the
 * keyring.  A keyring that fails only means the next change asks again. */
void         desk_reauth_confirm_async  (DeskReauth          *self,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean     desk_reauth_confirm_finish (DeskReauth          *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Forgets the tokens of this clinic kept in the keyring (sign-out, lock);
 * the database has revoked them already when the session ended. */
void         desk_reauth_forget_async   (DeskReauth          *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean     desk_reauth_forget_finish  (DeskReauth          *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
