/* desk-record-marks.c: the records checked in a list's selection mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Marks are positions (a GtkBitset: Ctrl+A over a million rows is one
 * range) together with the ids the list showed at those positions (the
 * list's id snapshot, shared, never copied on the main thread).  No record
 * is read to mark it, count it or name it.
 *
 * When the list changes under them (a refresh after a change: another
 * client discharged, the rows after it moved up), the marks must stay on
 * the same records.  Rows read again in place, or rows added at the end,
 * move nothing.  Otherwise the ids marked are looked up in the new ids on
 * a worker (a million ids are 10 to 50 ms of work); meanwhile the marks
 * move as the rows moved (GtkMultiSelection's rule), what is marked or
 * unmarked meanwhile is kept aside, and the remap's answer, with those,
 * replaces them.  A later change meanwhile starts the remap again from the
 * last exact state.
 */
#include "config.h"

#include <string.h>

#include "desk-record-marks.h"

struct _DeskRecordMarks
{
  GObject         parent_instance;

  DeskRecordList *list;
  GtkBitset      *marks;       /* positions of the list as it is shown now */
  GBytes         *ids;         /* the list's ids now, while anything is marked */
  guint           n_marked;

  /* A remap under way. */
  gboolean        remapping;
  guint           generation;
  GBytes         *base_ids;    /* the last exact state, before the list changed */
  GtkBitset      *base_marks;
  guint           base_from;   /* positions before this have not moved since */
  GtkBitset      *plus;        /* marked since, in the positions of now */
  GtkBitset      *minus;       /* unmarked since */
  GQueue          waiting;     /* GTask: ids asked for meanwhile */
};

G_DEFINE_FINAL_TYPE (DeskRecordMarks, desk_record_marks, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_MARKED,
  PROP_REMAPPING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static guint
n_ids (GBytes *ids)
{
  return ids != NULL ? (guint) (g_bytes_get_size (ids) / sizeof (gint64)) : 0;
}

static const gint64 *
ids_data (GBytes *ids)
{
  return ids != NULL ? g_bytes_get_data (ids, NULL) : NULL;
}

static GBytes *
dup_list_ids (DeskRecordMarks *self)
{
  return self->list != NULL ? desk_record_list_dup_ids (self->list) : NULL;
}

static void
update_count (DeskRecordMarks *self)
{
  guint n_marked = (guint) gtk_bitset_get_size (self->marks);

  if (n_marked == self->n_marked)
    return;
  self->n_marked = n_marked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MARKED]);
}

/* Tells the view where marks differ between @before and now. */
static void
emit_difference (DeskRecordMarks *self,
                 GtkBitset       *before)
{
  g_autoptr(GtkBitset) difference = gtk_bitset_copy (before);
  guint first, last;

  gtk_bitset_difference (difference, self->marks);
  update_count (self);
  if (gtk_bitset_is_empty (difference))
    return;
  first = gtk_bitset_get_minimum (difference);
  last = gtk_bitset_get_maximum (difference);
  g_signal_emit (self, signals[CHANGED], 0, first, last - first + 1);
}

static void serve_waiting (DeskRecordMarks *self);

static void
stop_remap (DeskRecordMarks *self)
{
  self->generation++;
  g_clear_pointer (&self->base_ids, g_bytes_unref);
  g_clear_pointer (&self->base_marks, gtk_bitset_unref);
  g_clear_pointer (&self->plus, gtk_bitset_unref);
  g_clear_pointer (&self->minus, gtk_bitset_unref);
  if (!self->remapping)
    return;
  self->remapping = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAPPING]);
}

/* Remapping, on a worker */

typedef struct
{
  GBytes    *base_ids;
  GtkBitset *base_marks;      /* the worker's own copy */
  guint      from;
  GBytes    *new_ids;
  GtkBitset *result;
  guint      generation;
} Remap;

static void
remap_free (gpointer data)
{
  Remap *remap = data;

  g_bytes_unref (remap->base_ids);
  g_clear_pointer (&remap->base_marks, gtk_bitset_unref);
  g_bytes_unref (remap->new_ids);
  g_clear_pointer (&remap->result, gtk_bitset_unref);
  g_free (remap);
}

static void
remap_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Remap *remap = task_data;
  const gint64 *old = ids_data (remap->base_ids);
  const gint64 *new = ids_data (remap->new_ids);
  guint n_old = n_ids (remap->base_ids), n_new = n_ids (remap->new_ids);
  g_autoptr(GHashTable) marked = g_hash_table_new (NULL, NULL);
  GtkBitsetIter iter;
  guint position;

  /* Before @from nothing moved: those marks stay. */
  remap->result = gtk_bitset_copy (remap->base_marks);
  if (remap->from < G_MAXUINT)
    gtk_bitset_remove_range (remap->result, remap->from, G_MAXUINT - remap->from);
  if (n_new < G_MAXUINT)
    gtk_bitset_remove_range (remap->result, n_new, G_MAXUINT - n_new);

  /* Ids fit a pointer here (64-bit hosts: see the static assertion). */
  for (gboolean more = gtk_bitset_iter_init_at (&iter, remap->base_marks, remap->from, &position);
       more && position < n_old;
       more = gtk_bitset_iter_next (&iter, &position))
    g_hash_table_add (marked, GSIZE_TO_POINTER ((gsize) old[position]));
  gtk_bitset_unref (g_steal_pointer (&remap->base_marks));

  for (position = remap->from; position < n_new && g_hash_table_size (marked) > 0; position++)
    {
      if (g_hash_table_remove (marked, GSIZE_TO_POINTER ((gsize) new[position])))
        gtk_bitset_add (remap->result, position);
    }
  g_task_return_boolean (task, TRUE);
}

G_STATIC_ASSERT (sizeof (gsize) >= sizeof (gint64));

static void
remapped (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  DeskRecordMarks *self = DESK_RECORD_MARKS (source);
  Remap *remap = g_task_get_task_data (G_TASK (result));
  g_autoptr(GtkBitset) before = NULL;
  guint n_now;

  /* A later change started another remap, or the marks were cleared. */
  if (remap->generation != self->generation || !self->remapping)
    return;

  before = g_steal_pointer (&self->marks);
  self->marks = g_steal_pointer (&remap->result);
  gtk_bitset_subtract (self->marks, self->minus);
  gtk_bitset_union (self->marks, self->plus);
  n_now = n_ids (self->ids);
  if (n_now < G_MAXUINT)
    gtk_bitset_remove_range (self->marks, n_now, G_MAXUINT - n_now);
  stop_remap (self);
  if (gtk_bitset_is_empty (self->marks))
    g_clear_pointer (&self->ids, g_bytes_unref);
  emit_difference (self, before);
  serve_waiting (self);
}

static void
start_remap (DeskRecordMarks *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, remapped, NULL);
  Remap *remap = g_new0 (Remap, 1);

  remap->base_ids = g_bytes_ref (self->base_ids);
  remap->base_marks = gtk_bitset_copy (self->base_marks);
  remap->from = self->base_from;
  remap->new_ids = g_bytes_ref (self->ids);
  remap->generation = ++self->generation;
  g_task_set_source_tag (task, start_remap);
  g_task_set_task_data (task, remap, remap_free);
  g_task_run_in_thread (task, remap_thread);
}

/* Reading the ids marked, on a worker */

typedef struct
{
  GBytes    *ids;
  GtkBitset *marks;
} IdsData;

static void
ids_data_free (gpointer data)
{
  IdsData *ids = data;

  g_clear_pointer (&ids->ids, g_bytes_unref);
  g_clear_pointer (&ids->marks, gtk_bitset_unref);
  g_free (ids);
}

static void
ids_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  IdsData *data = task_data;
  const gint64 *ids = ids_data (data->ids);
  guint n = n_ids (data->ids);
  GArray *result = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                      (guint) gtk_bitset_get_size (data->marks));
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, data->marks, &position);
       more && position < n;
       more = gtk_bitset_iter_next (&iter, &position))
    g_array_append_val (result, ids[position]);
  g_task_return_pointer (task, result, (GDestroyNotify) g_array_unref);
}

static void
read_ids (DeskRecordMarks *self,
          GTask           *task)
{
  IdsData *data;

  if (gtk_bitset_is_empty (self->marks) || self->ids == NULL)
    {
      g_task_return_pointer (task, g_array_new (FALSE, FALSE, sizeof (gint64)),
                             (GDestroyNotify) g_array_unref);
      return;
    }
  data = g_new0 (IdsData, 1);
  data->ids = g_bytes_ref (self->ids);
  data->marks = gtk_bitset_copy (self->marks);
  g_task_set_task_data (task, data, ids_data_free);
  g_task_run_in_thread (task, ids_thread);
}

static void
serve_waiting (DeskRecordMarks *self)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      read_ids (self, task);
      g_object_unref (task);
    }
}

/* Overrides */

static void
desk_record_marks_dispose (GObject *object)
{
  DeskRecordMarks *self = DESK_RECORD_MARKS (object);
  GTask *task;

  stop_remap (self);
  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The list is gone");
      g_object_unref (task);
    }
  g_clear_object (&self->list);
  g_clear_pointer (&self->ids, g_bytes_unref);

  G_OBJECT_CLASS (desk_record_marks_parent_class)->dispose (object);
}

static void
desk_record_marks_finalize (GObject *object)
{
  DeskRecordMarks *self = DESK_RECORD_MARKS (object);

  gtk_bitset_unref (self->marks);

  G_OBJECT_CLASS (desk_record_marks_parent_class)->finalize (object);
}

static void
desk_record_marks_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DeskRecordMarks *self = DESK_RECORD_MARKS (object);

  switch (prop_id)
    {
    case PROP_N_MARKED:
      g_value_set_uint (value, self->n_marked);
      break;

    case PROP_REMAPPING:
      g_value_set_boolean (value, self->remapping);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_record_marks_class_init (DeskRecordMarksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_record_marks_dispose;
  object_class->finalize = desk_record_marks_finalize;
  object_class->get_property = desk_record_marks_get_property;

  properties[PROP_N_MARKED] =
    g_param_spec_uint ("n-marked", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMAPPING] =
    g_param_spec_boolean ("remapping", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Marks changed at [position, position + n_items). */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
desk_record_marks_init (DeskRecordMarks *self)
{
  self->marks = gtk_bitset_new_empty ();
  g_queue_init (&self->waiting);
}

/* Public API */

DeskRecordMarks *
desk_record_marks_new (DeskRecordList *list)
{
  DeskRecordMarks *self;

  g_return_val_if_fail (list == NULL || DESK_IS_RECORD_LIST (list), NULL);

  self = g_object_new (DESK_TYPE_RECORD_MARKS, NULL);
  g_set_object (&self->list, list);
  return self;
}

DeskRecordList *
desk_record_marks_get_list (DeskRecordMarks *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_MARKS (self), NULL);

  return self->list;
}

guint
desk_record_marks_get_n_marked (DeskRecordMarks *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_MARKS (self), 0);

  return self->n_marked;
}

gboolean
desk_record_marks_get_remapping (DeskRecordMarks *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_MARKS (self), FALSE);

  return self->remapping;
}

gboolean
desk_record_marks_contains (DeskRecordMarks *self,
                            guint            position)
{
  g_return_val_if_fail (DESK_IS_RECORD_MARKS (self), FALSE);

  return gtk_bitset_contains (self->marks, position);
}

GtkBitset *
desk_record_marks_get_in_range (DeskRecordMarks *self,
                                guint            position,
                                guint            n_items)
{
  GtkBitset *result;

  g_return_val_if_fail (DESK_IS_RECORD_MARKS (self), NULL);

  result = gtk_bitset_new_range (position, n_items);
  gtk_bitset_intersect (result, self->marks);
  return result;
}

void
desk_record_marks_set (DeskRecordMarks *self,
                       const GtkBitset *selected,
                       const GtkBitset *mask)
{
  g_autoptr(GtkBitset) before = NULL;
  g_autoptr(GtkBitset) chosen = NULL;

  g_return_if_fail (DESK_IS_RECORD_MARKS (self));
  g_return_if_fail (selected != NULL && mask != NULL);

  chosen = gtk_bitset_copy (selected);
  gtk_bitset_intersect (chosen, mask);

  if (self->remapping)
    {
      g_autoptr(GtkBitset) unchosen = gtk_bitset_copy (mask);

      gtk_bitset_subtract (unchosen, chosen);
      gtk_bitset_subtract (self->plus, mask);
      gtk_bitset_union (self->plus, chosen);
      gtk_bitset_subtract (self->minus, mask);
      gtk_bitset_union (self->minus, unchosen);
    }

  before = gtk_bitset_copy (self->marks);
  gtk_bitset_subtract (self->marks, mask);
  gtk_bitset_union (self->marks, chosen);

  /* The ids of the positions marked: the list as it is now. */
  if (gtk_bitset_is_empty (self->marks) && !self->remapping)
    g_clear_pointer (&self->ids, g_bytes_unref);
  else if (self->ids == NULL)
    self->ids = dup_list_ids (self);
  emit_difference (self, before);
}

void
desk_record_marks_clear (DeskRecordMarks *self)
{
  g_autoptr(GtkBitset) before = NULL;

  g_return_if_fail (DESK_IS_RECORD_MARKS (self));

  stop_remap (self);
  before = g_steal_pointer (&self->marks);
  self->marks = gtk_bitset_new_empty ();
  g_clear_pointer (&self->ids, g_bytes_unref);
  emit_difference (self, before);
  serve_waiting (self);
}

gboolean
desk_record_marks_items_changed (DeskRecordMarks *self,
                                 guint            position,
                                 guint            removed,
                                 guint            added)
{
  g_autoptr(GBytes) ids = NULL;
  guint n_old;
  gboolean same;

  g_return_val_if_fail (DESK_IS_RECORD_MARKS (self), FALSE);

  if (gtk_bitset_is_empty (self->marks) && !self->remapping)
    return FALSE;

  if (self->list == NULL)
    {
      /* By position alone. */
      gtk_bitset_splice (self->marks, position, removed, added);
      update_count (self);
      return TRUE;
    }

  ids = dup_list_ids (self);
  n_old = n_ids (self->ids);
  /* The same result shown further (a view shown more of it), rows added
   * at the end, or the same records read again in place. */
  same = (ids_data (ids) == ids_data (self->ids) && n_ids (ids) >= n_old) ||
         (removed == 0 && position == n_old) ||
         (removed == added && n_ids (ids) == n_old &&
          memcmp (ids_data (ids) + position, ids_data (self->ids) + position,
                  (gsize) removed * sizeof (gint64)) == 0);
  if (same)
    {
      g_bytes_unref (self->ids);
      self->ids = g_steal_pointer (&ids);
      return FALSE;
    }

  if (!self->remapping)
    {
      self->base_ids = g_bytes_ref (self->ids);
      self->base_marks = gtk_bitset_copy (self->marks);
      self->base_from = position;
      self->plus = gtk_bitset_new_empty ();
      self->minus = gtk_bitset_new_empty ();
      self->remapping = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAPPING]);
    }
  else
    {
      self->base_from = MIN (self->base_from, position);
      gtk_bitset_splice (self->plus, position, removed, added);
      gtk_bitset_splice (self->minus, position, removed, added);
    }
  gtk_bitset_splice (self->marks, position, removed, added);
  g_bytes_unref (self->ids);
  self->ids = g_steal_pointer (&ids);
  update_count (self);
  start_remap (self);
  return TRUE;
}

void
desk_record_marks_dup_ids_async (DeskRecordMarks     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_RECORD_MARKS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_record_marks_dup_ids_async);
  if (self->remapping)
    g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  else
    read_ids (self, task);
}

GArray *
desk_record_marks_dup_ids_finish (DeskRecordMarks  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
