/* desk-portal.h: a client's portal access, invitations, sign-in and what they see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Portal access has a state a front desk can read: not invited, invited
 * (until a date), invitation expired, active, disabled.  Disabling refuses
 * sign-in from then on and keeps everything.  Enabling issues a new
 * invitation: a single-use token stored only as a hash, expiring after the
 * clinic's invitation lifetime (7 days by default, 1 to 30); a new
 * invitation voids the older ones; resending is refused within 5 minutes
 * of the last.  Credentials belong to the invitation that set them, so a
 * client's old password stays refused after access is enabled again until
 * the new invitation is accepted.
 *
 * Status (desk-client-change.h) never changes portal access: an inactive
 * client with access still signs in and sees what was shared with them.
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_PORTAL_ERROR (desk_portal_error_quark ())

typedef enum
{
  DESK_PORTAL_ERROR_ALREADY_ENABLED,
  DESK_PORTAL_ERROR_ALREADY_DISABLED,
  DESK_PORTAL_ERROR_NOT_INVITED,        /* resending with access off, or already accepted */
  DESK_PORTAL_ERROR_RESEND_TOO_SOON,
  DESK_PORTAL_ERROR_NO_EMAIL,
  DESK_PORTAL_ERROR_INVITATION_INVALID, /* unknown, expired, used or voided: one answer */
  DESK_PORTAL_ERROR_WEAK_PASSWORD,
  DESK_PORTAL_ERROR_SIGN_IN_REFUSED,    /* wrong password, unknown email, disabled: one answer */
  DESK_PORTAL_ERROR_TOO_MANY_ATTEMPTS,
  DESK_PORTAL_ERROR_INVALID_LIFETIME,
  DESK_PORTAL_ERROR_EMPTY_SELECTION,
} DeskPortalError;

GQuark desk_portal_error_quark (void);

/* Resending an invitation is refused this soon after the last one. */
#define DESK_PORTAL_RESEND_INTERVAL (5 * 60)
/* A portal password's shortest length, in characters. */
#define DESK_PORTAL_MIN_PASSWORD 8

typedef enum
{
  DESK_PORTAL_STATE_NOT_INVITED,
  DESK_PORTAL_STATE_INVITED,
  DESK_PORTAL_STATE_INVITATION_EXPIRED,
  DESK_PORTAL_STATE_ACTIVE,
  DESK_PORTAL_STATE_DISABLED,
} DeskPortalState;

typedef struct
{
  DeskPortalState state;
  gint64          invited_at;      /* the latest invitation, or 0 */
  gint64          invited_until;   /* its expiry, or 0 */
  gint64          resend_after;    /* when Resend is allowed again, or 0 */
  gint64          accepted_at;     /* when access became active, or 0 */
} DeskPortalStatus;

const char *desk_portal_state_to_string   (DeskPortalState state);
/* The state in a front desk's words, translated, e.g. "Invited until 9 Dec". */
char       *desk_portal_status_describe   (const DeskPortalStatus *status);

gboolean    desk_portal_get_status        (DeskStore        *store,
                                           gint64            client_id,
                                           DeskPortalStatus *status,
                                           GError          **error);

/* The clinic's invitation lifetime, in days (1 to 30, 7 by default). */
guint       desk_portal_get_invitation_lifetime (DeskStore   *store,
                                                 GError     **error);
gboolean    desk_portal_set_invitation_lifetime (DeskSession *session,
                                                 guint        days,
                                                 GError     **error);

/* Staff changes: "manage clients", audited.  Enabling and resending give
 * the new invitation's token in @token (for the email to the client); the
 * file keeps only its hash. */
gboolean    desk_portal_enable            (DeskSession  *session,
                                           gint64        client_id,
                                           char        **token,
                                           GError      **error);
gboolean    desk_portal_resend            (DeskSession  *session,
                                           gint64        client_id,
                                           char        **token,
                                           GError      **error);
gboolean    desk_portal_disable           (DeskSession  *session,
                                           gint64        client_id,
                                           GError      **error);
/* Disables portal access for every client of @ids in one change, all or
 * nothing; a sensitive change (re-authentication).  Those already
 * disabled are counted in @unchanged. */
gboolean    desk_portal_disable_many      (DeskSession  *session,
                                           const gint64 *ids,
                                           guint         n_ids,
                                           guint        *changed,
                                           guint        *unchanged,
                                           GError      **error);
/* The same on the change path's worker, with a connection of its own:
 * 10,000 clients take longer than a frame.  The session's checks
 * (permission, re-authentication) run at once, on the calling thread. */
void        desk_portal_disable_many_async  (DeskSession          *session,
                                             const gint64         *ids,
                                             guint                 n_ids,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    desk_portal_disable_many_finish (DeskSession          *session,
                                             GAsyncResult         *result,
                                             guint                *changed,
                                             guint                *unchanged,
                                             GError              **error);

/* The portal's side, as the portal would run it (no member signed in). */
gboolean    desk_portal_accept_invitation (DeskStore    *store,
                                           const char   *token,
                                           const char   *password,
                                           gint64       *client_id,
                                           GError      **error);
/* Signs a client in by email and password: DESK_PORTAL_ERROR_SIGN_IN_REFUSED
 * with one text for a wrong password, an unknown email or disabled access,
 * taking as long; limited per email address like members' sign-ins (only
 * checked passwords count). */
gboolean    desk_portal_sign_in           (DeskStore    *store,
                                           const char   *email,
                                           const char   *password,
                                           gint64       *client_id,
                                           GError      **error);

/* What the client's portal shows now. */
typedef struct
{
  gboolean    can_sign_in;
  char       *why_not;            /* translated, when not */
  GListModel *documents;          /* DeskDocument: shared, not unshared */
  GListModel *appointments;       /* DeskAppointment: upcoming */
  char      **pending_qnaires;    /* titles of Qnaires sent and not completed */
} DeskPortalPreview;

gboolean    desk_portal_preview           (DeskStore         *store,
                                           gint64             client_id,
                                           DeskPortalPreview *preview,
                                           GError           **error);
void        desk_portal_preview_clear     (DeskPortalPreview *preview);

G_END_DECLS
