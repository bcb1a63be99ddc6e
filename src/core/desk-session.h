/* desk-session.h: a member signed in to the clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-sign-in.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_SESSION (desk_session_get_type ())
G_DECLARE_FINAL_TYPE (DeskSession, desk_session, DESK, SESSION, GObject)

/* Checks the password (Argon2id, constant time) and opens a session.
 * Every attempt is recorded; failures are written to the audit log.  The
 * caller wipes its copy of @password afterwards (sodium_memzero). */
DeskSession *desk_session_sign_in           (DeskStore       *store,
                                             const char      *username,
                                             const char      *password,
                                             GError         **error);
/* The same, with the password check (tens of milliseconds by design) on a
 * worker thread with its own connection: for the GTK main thread. */
void         desk_session_sign_in_async     (DeskStore           *store,
                                             const char          *username,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
DeskSession *desk_session_sign_in_finish    (GAsyncResult        *result,
                                             GError             **error);
/* Ends the session: re-authentication tokens are revoked, and the
 * sign-out is audited. */
void         desk_session_sign_out          (DeskSession     *self);

DeskStore   *desk_session_get_store         (DeskSession     *self);
DeskMember  *desk_session_get_member        (DeskSession     *self);
guint        desk_session_get_permissions   (DeskSession     *self);
gboolean     desk_session_get_signed_in     (DeskSession     *self);
gboolean     desk_session_has_permission    (DeskSession     *self,
                                             DeskPermission   permission);
/* Fails with DESK_SESSION_ERROR_PERMISSION_DENIED, saying which permission
 * is missing, unless the member has it, and with
 * DESK_SESSION_ERROR_DEACTIVATED once the account has been deactivated (from
 * any workstation: the member's row is read each time); the model layer
 * calls this before every change, whatever asked for it. */
gboolean     desk_session_require           (DeskSession     *self,
                                             DeskPermission   permission,
                                             GError         **error);

/* Re-authentication before a sensitive change: the member types their
 * password again.  Failures count toward the sign-in limits and are
 * audited. */
gboolean     desk_session_reauthenticate    (DeskSession     *self,
                                             const char      *password,
                                             GError         **error);
void         desk_session_reauthenticate_async  (DeskSession         *self,
                                                 const char          *password,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean     desk_session_reauthenticate_finish (DeskSession         *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* Called by the model layer before every sensitive change (deactivate,
 * reactivate, transfer the main lab integration, disable portal access in
 * bulk): succeeds while a token issued or checked in this session is still
 * valid in the database (this member's, unexpired, not revoked by any
 * session's sign-out), or once after a password confirmation of the last
 * DESK_REAUTH_CONFIRM_WINDOW seconds; fails with
 * DESK_SESSION_ERROR_REAUTH_REQUIRED otherwise, and with
 * DESK_SESSION_ERROR_DEACTIVATED once the account is deactivated. */
gboolean     desk_session_require_reauth    (DeskSession     *self,
                                             GError         **error);

/* After desk_session_reauthenticate() (within DESK_REAUTH_CONFIRM_WINDOW
 * seconds, and in its place: the confirmation is used up), a token that
 * stands for it during @grace_seconds (at most DESK_REAUTH_MAX_GRACE), for
 * a keyring to keep.  Fails with DESK_SESSION_ERROR_REAUTH_REQUIRED without
 * a fresh confirmation.  The database keeps only its hash and expiry. */
char        *desk_session_issue_reauth_token (DeskSession    *self,
                                              guint           grace_seconds,
                                              GError        **error);
/* Whether @token (from this clinic, for this member, unexpired, not
 * revoked) stands for a re-authentication now; if so, sensitive changes
 * are allowed until it expires. */
gboolean     desk_session_check_reauth_token (DeskSession    *self,
                                              const char     *token);

#define DESK_REAUTH_MAX_GRACE (15 * 60)
/* How long a password confirmation without a grace period stands for the
 * one sensitive change it was asked for. */
#define DESK_REAUTH_CONFIRM_WINDOW 120


G_END_DECLS
