/* desk-client-private.h: one client's changes, for use inside a change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The change functions of desk-client-change.c and desk-portal.c, each for
 * one client and run inside a change that is already open, so that
 * desk-client-action.c can put them on the change path's worker, or two
 * of them in one transaction (a discharge that also turns portal access
 * off).  Each writes its own audit entry.
 */
#pragma once

#include "desk-change-private.h"

G_BEGIN_DECLS

/* Discharges (@discharge) or activates the client; refuses when they are
 * already so.  @reason is required for a discharge. */
gboolean _desk_client_change_status  (DeskChange  *change,
                                      gint64       client_id,
                                      gboolean     discharge,
                                      const char  *reason,
                                      GError     **error);
gboolean _desk_client_change_share   (DeskChange  *change,
                                      gint64       client_id,
                                      gint64       document_id,
                                      gboolean     shared,
                                      GError     **error);
/* A new invitation (enabling access, or @resend), older ones voided. */
gboolean _desk_portal_change_invite  (DeskChange  *change,
                                      gint64       client_id,
                                      gboolean     resend,
                                      GError     **error);
/* Turns portal access off; when it is already off, refuses if
 * @refuse_if_off, else does nothing and sets *@changed to FALSE. */
gboolean _desk_portal_change_disable (DeskChange  *change,
                                      gint64       client_id,
                                      gboolean     refuse_if_off,
                                      gboolean    *changed,
                                      GError     **error);

G_END_DECLS
