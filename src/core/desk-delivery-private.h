/* desk-delivery-private.h: who receives a message, for the demo generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-delivery.h"

G_BEGIN_DECLS

/* Appends to @recipients (gint64) the members a message addressed to
 * @to_member_id reaches now (see desk-delivery.h), read on @db. */
gboolean _desk_delivery_resolve (sqlite3  *db,
                                 gint64    to_member_id,
                                 GArray   *recipients,
                                 GError  **error);

G_END_DECLS
