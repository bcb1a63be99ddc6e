/* desk-sign-in.h: members' passwords, the sign-in limits and their errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_SESSION_ERROR (desk_session_error_quark ())

typedef enum
{
  DESK_SESSION_ERROR_WRONG_CREDENTIALS,  /* unknown username or wrong password */
  DESK_SESSION_ERROR_DEACTIVATED,        /* the account is deactivated */
  DESK_SESSION_ERROR_TOO_MANY_ATTEMPTS,  /* wait before trying again */
  DESK_SESSION_ERROR_PERMISSION_DENIED,  /* the member may not do this */
  DESK_SESSION_ERROR_SIGNED_OUT,         /* the session has ended */
  DESK_SESSION_ERROR_REAUTH_REQUIRED,    /* confirm with the password first */
} DeskSessionError;

/* Failures of one account within an hour before sign-in is refused. */
#define DESK_SIGN_IN_MAX_FAILURES_PER_HOUR 100
/* Failures before each further attempt has to wait, longer each time. */
#define DESK_SIGN_IN_FREE_FAILURES 3

GQuark       desk_session_error_quark       (void);

/* How many seconds from now sign-in as @username is refused for too many
 * failed attempts (0: it may be tried now), for a sign-in page to count
 * down.  It says no more than the next attempt would. */
gint64       desk_sign_in_get_wait          (DeskStore       *store,
                                             const char      *username,
                                             GError         **error);

/* The Argon2id hash stored for a new password: at least OWASP's minimum
 * (19 MiB, 2 passes). */
char        *desk_password_hash             (const char      *password,
                                             GError         **error);

G_END_DECLS
