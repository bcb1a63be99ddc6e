/* desk-client.h: a client (patient) of the clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

G_END_DECLS
