/* desk-record-selection.h: selection over a paged list of records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-record-marks.h"

G_BEGIN_DECLS

#define DESK_TYPE_RECORD_SELECTION (desk_record_selection_get_type ())
G_DECLARE_FINAL_TYPE (DeskRecordSelection, desk_record_selection, DESK, RECORD_SELECTION, GObject)

DeskRecordSelection *desk_record_selection_new               (GListModel          *model);

GListModel          *desk_record_selection_get_model         (DeskRecordSelection *self);
guint                desk_record_selection_get_selected      (DeskRecordSelection *self);
void                 desk_record_selection_set_selected      (DeskRecordSelection *self,
                                                              guint                position);
gpointer             desk_record_selection_get_selected_item (DeskRecordSelection *self);
/* At a session's end: lets go of the model now, and of the rows (and their
 * records) over the next turns. */
void                 desk_record_selection_let_go            (DeskRecordSelection *self);

/* Multiple mode, for a view's selection mode: the rows selected are the
 * records marked (Ctrl+click, Shift+click, Ctrl+A, check buttons), none at
 * first; the single selection comes back when it ends. */
gboolean             desk_record_selection_get_multiple      (DeskRecordSelection *self);
void                 desk_record_selection_set_multiple      (DeskRecordSelection *self,
                                                              gboolean             multiple);
/* The records marked, or NULL once let go. */
DeskRecordMarks     *desk_record_selection_get_marks         (DeskRecordSelection *self);

/* The selection's items, what a view's rows show: one per row, kept while
 * the row is, showing the record now at its position ("record" changes
 * when a new search or a refresh puts another record there). */
#define DESK_TYPE_RECORD_SLOT (desk_record_slot_get_type ())
G_DECLARE_FINAL_TYPE (DeskRecordSlot, desk_record_slot, DESK, RECORD_SLOT, GObject)

gpointer             desk_record_slot_get_record             (DeskRecordSlot      *self);

G_END_DECLS
