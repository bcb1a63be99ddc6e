/* desk-changes.c: what a change to the clinic record touched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "desk-changes.h"

#define N_KINDS 11

struct _DeskChanges
{
  gatomicrefcount ref_count;
  guint           kinds;
  gboolean        external;
  GArray         *ids[N_KINDS];   /* gint64, sorted and unique once read */
  gboolean        sorted[N_KINDS];
};

G_DEFINE_BOXED_TYPE (DeskChanges, desk_changes, desk_changes_ref, desk_changes_unref)

static guint
kind_index (DeskRecordKind kind)
{
  guint index = g_bit_nth_lsf (kind, -1);

  g_assert (kind != 0 && (kind & (kind - 1)) == 0 && index < N_KINDS);
  return index;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
sort_ids (DeskChanges *self,
          guint        index)
{
  GArray *ids = self->ids[index];
  guint kept = 0;

  if (ids == NULL || self->sorted[index])
    return;
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    {
      if (kept == 0 || g_array_index (ids, gint64, kept - 1) != g_array_index (ids, gint64, i))
        g_array_index (ids, gint64, kept++) = g_array_index (ids, gint64, i);
    }
  g_array_set_size (ids, kept);
  self->sorted[index] = TRUE;
}

DeskChanges *
desk_changes_new (void)
{
  DeskChanges *self = g_new0 (DeskChanges, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

DeskChanges *
desk_changes_new_external (void)
{
  DeskChanges *self = desk_changes_new ();

  self->kinds = DESK_RECORD_ALL;
  self->external = TRUE;
  return self;
}

DeskChanges *
desk_changes_ref (DeskChanges *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
desk_changes_unref (DeskChanges *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint i = 0; i < N_KINDS; i++)
    g_clear_pointer (&self->ids[i], g_array_unref);
  g_free (self);
}

void
desk_changes_add (DeskChanges    *self,
                  DeskRecordKind  kind,
                  gint64          id)
{
  guint index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind != 0 && (kind & (kind - 1)) == 0 && (kind & ~DESK_RECORD_ALL) == 0);

  self->kinds |= kind;
  if (id <= 0)
    return;
  index = kind_index (kind);
  if (self->ids[index] == NULL)
    self->ids[index] = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->ids[index], id);
  self->sorted[index] = FALSE;
}

void
desk_changes_merge (DeskChanges *self,
                    DeskChanges *other)
{
  g_return_if_fail (self != NULL && other != NULL);

  self->kinds |= other->kinds;
  self->external |= other->external;
  for (guint i = 0; i < N_KINDS; i++)
    {
      if (other->ids[i] == NULL || other->ids[i]->len == 0)
        continue;
      if (self->ids[i] == NULL)
        self->ids[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_vals (self->ids[i], other->ids[i]->data, other->ids[i]->len);
      self->sorted[i] = FALSE;
    }
}

guint
desk_changes_get_kinds (DeskChanges *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->kinds;
}

gboolean
desk_changes_is_empty (DeskChanges *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->kinds == 0;
}

gboolean
desk_changes_get_external (DeskChanges *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->external;
}

gboolean
desk_changes_contains (DeskChanges    *self,
                       DeskRecordKind  kind,
                       gint64          id)
{
  guint index;
  GArray *ids;

  g_return_val_if_fail (self != NULL, FALSE);

  if ((self->kinds & kind) == 0)
    return FALSE;
  if (self->external)
    return TRUE;
  index = kind_index (kind);
  sort_ids (self, index);
  ids = self->ids[index];
  if (ids == NULL)
    return FALSE;
  return bsearch (&id, ids->data, ids->len, sizeof (gint64), compare_ids) != NULL;
}

const gint64 *
desk_changes_get_ids (DeskChanges    *self,
                      DeskRecordKind  kind,
                      guint          *n_ids)
{
  guint index;

  g_return_val_if_fail (self != NULL, NULL);

  if (n_ids != NULL)
    *n_ids = 0;
  if (self->external || (self->kinds & kind) == 0)
    return NULL;
  index = kind_index (kind);
  sort_ids (self, index);
  if (self->ids[index] == NULL || self->ids[index]->len == 0)
    return NULL;
  if (n_ids != NULL)
    *n_ids = self->ids[index]->len;
  return (const gint64 *) (gpointer) self->ids[index]->data;
}
