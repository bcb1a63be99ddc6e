/* desk-record-marks.h: the records checked in a list's selection mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-record-list.h"

G_BEGIN_DECLS

#define DESK_TYPE_RECORD_MARKS (desk_record_marks_get_type ())
G_DECLARE_FINAL_TYPE (DeskRecordMarks, desk_record_marks, DESK, RECORD_MARKS, GObject)

/* Marks positions of @list (or of any list, by position alone, for NULL);
 * the records marked stay marked when the list changes under them. */
DeskRecordMarks *desk_record_marks_new             (DeskRecordList   *list);
DeskRecordList  *desk_record_marks_get_list        (DeskRecordMarks  *self);

guint            desk_record_marks_get_n_marked    (DeskRecordMarks  *self);
/* TRUE while the marks are being found again after the list changed (on a
 * worker); meanwhile they are where they were, moved as the rows moved. */
gboolean         desk_record_marks_get_remapping   (DeskRecordMarks  *self);
gboolean         desk_record_marks_contains        (DeskRecordMarks  *self,
                                                    guint             position);
/* The positions marked within [@position, @position + @n_items). */
GtkBitset       *desk_record_marks_get_in_range    (DeskRecordMarks  *self,
                                                    guint             position,
                                                    guint             n_items);

/* Positions of @mask are marked or not as @selected says; the others stay
 * as they are (GtkSelectionModel's set_selection()).  Emits "changed". */
void             desk_record_marks_set             (DeskRecordMarks  *self,
                                                    const GtkBitset  *selected,
                                                    const GtkBitset  *mask);
void             desk_record_marks_clear           (DeskRecordMarks  *self);

/* The list changed: @removed items at @position became @added.  Returns
 * TRUE when marks may have moved from @position on (the caller tells its
 * view once it has told it of the items); a remap starts if the records
 * there are others now. */
gboolean         desk_record_marks_items_changed   (DeskRecordMarks  *self,
                                                    guint             position,
                                                    guint             removed,
                                                    guint             added);

/* The ids of the records marked, in the list's order (GArray of gint64),
 * read on a worker: 10,000 marks after a Shift+click are not read on the
 * calling thread.  Waits for a remap under way. */
void             desk_record_marks_dup_ids_async   (DeskRecordMarks     *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GArray          *desk_record_marks_dup_ids_finish  (DeskRecordMarks     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
