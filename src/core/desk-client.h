/* desk-client.h: a client (patient) of the clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_CLIENT (desk_client_get_type ())
G_DECLARE_FINAL_TYPE (DeskClient, desk_client, DESK, CLIENT, GObject)

gint64              desk_client_get_id                        (DeskClient *self);
const char         *desk_client_get_given_name                (DeskClient *self);
const char         *desk_client_get_family_name               (DeskClient *self);
const char         *desk_client_get_display_name              (DeskClient *self);
const char         *desk_client_get_date_of_birth             (DeskClient *self);
const char         *desk_client_get_email                     (DeskClient *self);
const char         *desk_client_get_phone                     (DeskClient *self);
const char         *desk_client_get_province                  (DeskClient *self);
DeskClientStatus    desk_client_get_status                    (DeskClient *self);
gboolean            desk_client_get_is_active                 (DeskClient *self);
gint64              desk_client_get_discharged_at             (DeskClient *self);
const char         *desk_client_get_discharge_reason          (DeskClient *self);
DeskPortalAccess    desk_client_get_portal_access             (DeskClient *self);
gboolean            desk_client_get_portal_enabled            (DeskClient *self);
DeskInvitationState desk_client_get_portal_invitation         (DeskClient *self);
gint64              desk_client_get_primary_practitioner_id   (DeskClient *self);
const char         *desk_client_get_primary_practitioner_name (DeskClient *self);


/* Loading clients: NULL with DESK_STORE_ERROR_NO_SUCH_RECORD when there is none. */
DeskClient         *desk_client_load               (DeskStore  *store,
                                                    gint64      id,
                                                    GError    **error);
/* DeskDocument items: documents shared with the client, newest first. */
GListModel         *desk_client_list_documents     (DeskStore  *store,
                                                    gint64      client_id,
                                                    GError    **error);
/* DeskDocument items: every document in the client's record, newest
 * first, each with its current share (shared-at 0 when not shared). */
GListModel         *desk_client_list_record_documents (DeskStore  *store,
                                                       gint64      client_id,
                                                       GError    **error);
/* DeskAppointment items: upcoming appointments, soonest first, at most @limit. */
GListModel         *desk_client_list_appointments  (DeskStore  *store,
                                                    gint64      client_id,
                                                    guint       limit,
                                                    GError    **error);
guint               desk_client_count              (DeskStore  *store,
                                                    GError    **error);

G_END_DECLS
