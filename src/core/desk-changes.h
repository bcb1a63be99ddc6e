/* desk-changes.h: what a change to the clinic record touched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DeskStore emits "changed" with one of these after every commit of the
 * change path, and after noticing that another program (or another
 * connection of this one) wrote to the file.  Views refresh from it.
 */
#pragma once

#include <glib-object.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_CHANGES (desk_changes_get_type ())

GType        desk_changes_get_type     (void) G_GNUC_CONST;

DeskChanges *desk_changes_new          (void);
/* Changes made elsewhere: every kind, no ids known. */
DeskChanges *desk_changes_new_external (void);
DeskChanges *desk_changes_ref          (DeskChanges    *self);
void         desk_changes_unref        (DeskChanges    *self);

void         desk_changes_add          (DeskChanges    *self,
                                        DeskRecordKind  kind,
                                        gint64          id);
/* Adds every kind and id of @other. */
void         desk_changes_merge        (DeskChanges    *self,
                                        DeskChanges    *other);

/* The DeskRecordKind flags touched. */
guint        desk_changes_get_kinds    (DeskChanges    *self);
gboolean     desk_changes_is_empty     (DeskChanges    *self);
/* Whether the changes were made elsewhere, ids unknown: whatever shows
 * records of the kinds touched reloads them. */
gboolean     desk_changes_get_external (DeskChanges    *self);
/* Whether record @id of @kind may have changed (always, for external
 * changes of that kind). */
gboolean     desk_changes_contains     (DeskChanges    *self,
                                        DeskRecordKind  kind,
                                        gint64          id);
/* The ids of @kind touched, sorted, without repeats; NULL when none (or
 * external). */
const gint64 *desk_changes_get_ids     (DeskChanges    *self,
                                        DeskRecordKind  kind,
                                        guint          *n_ids);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskChanges, desk_changes_unref)

G_END_DECLS
