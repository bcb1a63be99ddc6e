/* desk-record-slot-private.h: a row's slot, as the selection moves it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-record-selection.h"

G_BEGIN_DECLS

struct _DeskRecordSlot
{
  GObject  parent_instance;

  gpointer record;
  guint    position;
};

/* Takes @record; notifies "record" when it is another. */
void _desk_record_slot_set_record (DeskRecordSlot *self,
                                   gpointer        record);

G_END_DECLS
