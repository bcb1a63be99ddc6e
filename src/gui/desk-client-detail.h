/* desk-client-detail.h: a client's status, portal access, documents and appointments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_CLIENT_DETAIL (desk_client_detail_get_type ())
G_DECLARE_FINAL_TYPE (DeskClientDetail, desk_client_detail, DESK, CLIENT_DETAIL, GtkWidget)

/* How many upcoming appointments the page lists. */
#define DESK_CLIENT_DETAIL_APPOINTMENTS 10

DeskStore  *desk_client_detail_get_store  (DeskClientDetail *self);
void        desk_client_detail_set_store  (DeskClientDetail *self,
                                           DeskStore        *store);
DeskClient *desk_client_detail_get_client (DeskClientDetail *self);
void        desk_client_detail_set_client (DeskClientDetail *self,
                                           DeskClient       *client);

G_END_DECLS
