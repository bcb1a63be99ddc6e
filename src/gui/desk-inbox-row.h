/* desk-inbox-row.h: the rows of the inbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-inbox-item.h"

G_BEGIN_DECLS

#define DESK_TYPE_INBOX_ROW (desk_inbox_row_get_type ())
G_DECLARE_FINAL_TYPE (DeskInboxRow, desk_inbox_row, DESK, INBOX_ROW, GtkWidget)

/* The item shown, and what a screen reader says of the row. */
DeskInboxItem      *desk_inbox_row_get_item          (DeskInboxRow  *self);
const char         *desk_inbox_row_get_accessible_name (DeskInboxRow *self);

/* "From Dr. Roy (deactivated 3 Dec)", "Addressed to Dr. Roy", or NULL:
 * where the item came from, translated. */
char               *desk_inbox_row_provenance_text   (DeskInboxItem *item);
/* "Snoozed until 12 Nov, 09:00", or NULL. */
char               *desk_inbox_row_snoozed_text      (DeskInboxItem *item);

GtkListItemFactory *desk_inbox_row_factory_new       (void);

G_END_DECLS
