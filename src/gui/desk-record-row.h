/* desk-record-row.h: the rows of the members and clients lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DESK_TYPE_RECORD_ROW (desk_record_row_get_type ())
G_DECLARE_FINAL_TYPE (DeskRecordRow, desk_record_row, DESK, RECORD_ROW, GtkWidget)

/* Factories for a list view of DeskClient or DeskMember items. */
GtkListItemFactory *desk_record_row_factory_new_clients (void);
GtkListItemFactory *desk_record_row_factory_new_members (void);

G_END_DECLS
