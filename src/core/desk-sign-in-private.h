/* desk-sign-in-private.h: the sign-in checks, for the session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-store.h"

G_BEGIN_DECLS

/* OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes. */
#define DESK_PWHASH_OPSLIMIT 2
#define DESK_PWHASH_MEMLIMIT (19 * 1024 * 1024)

gboolean _desk_session_ensure_sodium (GError **error);

/* Checks @password for @username with every limit, records the attempt as
 * @purpose ("sign-in", "reauthenticate") and audits it.  The member's id,
 * or 0 with @error set. */
gint64   _desk_session_authenticate  (DeskStore   *store,
                                      const char  *purpose,
                                      const char  *username,
                                      const char  *password,
                                      GError     **error);

/* The sign-in limits' policy: seconds to wait before the next attempt. */
gint64   _desk_sign_in_required_wait (guint        failures_in_a_row,
                                      guint        failures_this_hour,
                                      gint64       last_failure_at,
                                      gint64       now);

G_END_DECLS
