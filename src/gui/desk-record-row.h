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

/* A view given a new model builds row widgets for a screenful of its items
 * (about 200) at once.  Wraps @list so that the view can be shown it a
 * screenful a frame, see desk_record_rows_reveal(). */
GListModel         *desk_record_rows_model_new          (GListModel  *list);
/* Call when @view has been given a model made by desk_record_rows_model_new()
 * (through a selection model): shows it the first rows now, a screenful
 * more each frame. */
void                desk_record_rows_reveal             (GtkListView *view);

G_END_DECLS
