/* desk-record-slot.c: one row of a record selection, showing the record at its position
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See desk-record-selection.c: a view keeps a row for each slot, and the
 * slot takes the record that a new search or a refresh puts at its row.
 */
#include "config.h"

#include "desk-record-slot-private.h"

G_DEFINE_FINAL_TYPE (DeskRecordSlot, desk_record_slot, G_TYPE_OBJECT)

enum {
  SLOT_PROP_0,
  SLOT_PROP_RECORD,
  SLOT_N_PROPS
};

static GParamSpec *slot_properties[SLOT_N_PROPS];

static void
desk_record_slot_dispose (GObject *object)
{
  DeskRecordSlot *self = DESK_RECORD_SLOT (object);

  g_clear_object ((GObject **) &self->record);

  G_OBJECT_CLASS (desk_record_slot_parent_class)->dispose (object);
}

static void
desk_record_slot_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case SLOT_PROP_RECORD:
      g_value_set_object (value, DESK_RECORD_SLOT (object)->record);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_record_slot_class_init (DeskRecordSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_record_slot_dispose;
  object_class->get_property = desk_record_slot_get_property;

  slot_properties[SLOT_PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, SLOT_N_PROPS, slot_properties);
}

static void
desk_record_slot_init (DeskRecordSlot *self)
{
}

/* Takes @record. */
void
_desk_record_slot_set_record (DeskRecordSlot *self,
                              gpointer        record)
{
  if (self->record == record)
    {
      g_clear_object ((GObject **) &record);
      return;
    }
  g_clear_object ((GObject **) &self->record);
  self->record = record;
  g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_RECORD]);
}

gpointer
desk_record_slot_get_record (DeskRecordSlot *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_SLOT (self), NULL);

  return self->record;
}

