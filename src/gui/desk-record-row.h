/* desk-record-row.h: the rows of the members and clients lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DESK_TYPE_RECORD_ROW (desk_record_row_get_type ())
G_DECLARE_FINAL_TYPE (DeskRecordRow, desk_record_row, DESK, RECORD_ROW, GtkWidget)

/* The list item the row shows, by its position in the view's model, and
 * the name it shows: for tests that compare the rows with the list. */
guint               desk_record_row_get_position        (DeskRecordRow *self);
const char         *desk_record_row_get_name            (DeskRecordRow *self);
/* A widget before the initials (a view's check button in its selection
 * mode), labelled by the row's name; the row holds it.  NULL takes it out. */
void                desk_record_row_set_start           (DeskRecordRow *self,
                                                         GtkWidget     *widget);
GtkWidget          *desk_record_row_get_start           (DeskRecordRow *self);

/* A member's row: its Deactivate or Activate button (NULL on a client's
 * row), and its context menu, with the same action, opened at @at (in the
 * row's coordinates) or, for the keyboard (@at NULL), at the button.
 * FALSE, and no menu, on a row without a member.  The menu is made when
 * asked for; get_menu() gives it while it is open, for tests. */
GtkWidget          *desk_record_row_get_status_button   (DeskRecordRow          *self);
gboolean            desk_record_row_popup_menu          (DeskRecordRow          *self,
                                                         const graphene_point_t *at);
GtkWidget          *desk_record_row_get_menu            (DeskRecordRow          *self);

/* Factories for a list view of DeskClient or DeskMember items. */
GtkListItemFactory *desk_record_row_factory_new_clients (void);
GtkListItemFactory *desk_record_row_factory_new_members (void);

/* A view given a new model builds row widgets for a screenful of its items
 * (about 200) at once.  Wraps @list so that the view can be shown it a
 * screenful a frame, see desk_record_rows_set_model(). */
GListModel         *desk_record_rows_model_new          (GListModel  *list);
/* Gives @view @model (a selection over a model made by
 * desk_record_rows_model_new(), or NULL): shows it the first rows now, a
 * screenful more each frame. */
void                desk_record_rows_set_model          (GtkListView       *view,
                                                         GtkSelectionModel *model);

/* Lets go of @view's model over the next main-loop turns, a few score row
 * widgets at a time, then leaves it without a model; a model given to it
 * meanwhile ends that.  For a session's end, once its page is hidden. */
void                desk_record_rows_let_go             (GtkListView *view);
gboolean            desk_record_rows_letting_go         (GtkListView *view);

G_END_DECLS
