/* desk-client-change.h: a client's status and shared documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client's status (active, or inactive: discharged, with date and
 * reason) and their portal access (desk-portal.h) are separate: changing
 * one never changes the other.  Sharing a document never changes either.
 * Every change needs "manage clients", goes through the change path and
 * is audited; nothing is deleted.
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_CLIENT_CHANGE_ERROR (desk_client_change_error_quark ())

typedef enum
{
  DESK_CLIENT_CHANGE_ERROR_ALREADY_INACTIVE,
  DESK_CLIENT_CHANGE_ERROR_ALREADY_ACTIVE,
  DESK_CLIENT_CHANGE_ERROR_REASON_REQUIRED,
  DESK_CLIENT_CHANGE_ERROR_NOT_THEIR_DOCUMENT,
  DESK_CLIENT_CHANGE_ERROR_ALREADY_SHARED,
  DESK_CLIENT_CHANGE_ERROR_NOT_SHARED,
  DESK_CLIENT_CHANGE_ERROR_EMPTY_SELECTION,
} DeskClientChangeError;

GQuark   desk_client_change_error_quark (void);

/* Discharges an active client (inactive from now, with @reason, which is
 * required); their portal access stays as it is. */
gboolean desk_client_discharge      (DeskSession  *session,
                                     gint64        client_id,
                                     const char   *reason,
                                     GError      **error);
/* Makes an inactive client active again. */
gboolean desk_client_activate       (DeskSession  *session,
                                     gint64        client_id,
                                     const char   *reason,
                                     GError      **error);

/* Shares one of the client's documents with them (on the portal), or
 * stops sharing it; whatever their status. */
gboolean desk_client_share_document   (DeskSession  *session,
                                       gint64        client_id,
                                       gint64        document_id,
                                       GError      **error);
gboolean desk_client_unshare_document (DeskSession  *session,
                                       gint64        client_id,
                                       gint64        document_id,
                                       GError      **error);

/* Discharges every client of @ids (@n_ids of them) in one change, all or
 * nothing: a client that does not exist refuses the whole of it; those
 * already inactive are left as they are and counted in @unchanged.  On a
 * worker with its own connection: 10,000 clients take longer than a frame. */
void     desk_client_discharge_many_async  (DeskSession          *session,
                                            const gint64         *ids,
                                            guint                 n_ids,
                                            const char           *reason,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean desk_client_discharge_many_finish (DeskSession          *session,
                                            GAsyncResult         *result,
                                            guint                *changed,
                                            guint                *unchanged,
                                            GError              **error);
/* The same, on the calling thread (the command line). */
gboolean desk_client_discharge_many        (DeskSession          *session,
                                            const gint64         *ids,
                                            guint                 n_ids,
                                            const char           *reason,
                                            guint                *changed,
                                            guint                *unchanged,
                                            GError              **error);

/* Makes every client of @ids active again in one change, all or nothing,
 * as desk_client_discharge_many() discharges them; @reason may be NULL.
 * Those already active are counted in @unchanged. */
void     desk_client_activate_many_async   (DeskSession          *session,
                                            const gint64         *ids,
                                            guint                 n_ids,
                                            const char           *reason,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean desk_client_activate_many_finish  (DeskSession          *session,
                                            GAsyncResult         *result,
                                            guint                *changed,
                                            guint                *unchanged,
                                            GError              **error);
gboolean desk_client_activate_many         (DeskSession          *session,
                                            const gint64         *ids,
                                            guint                 n_ids,
                                            const char           *reason,
                                            guint                *changed,
                                            guint                *unchanged,
                                            GError              **error);

G_END_DECLS
