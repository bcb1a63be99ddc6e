/* desk-record-selection.c: selection over a paged list of records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Like GtkSingleSelection with autoselect, but it never walks the list.
 * When the selected row falls in a changed range, GtkSingleSelection looks
 * for the same object among every added item; over a DeskRecordList, whose
 * items are made afresh from each page read, that reads the whole match set
 * (a million rows after a search is cleared).  Here the selection keeps its
 * row if the same record is still there, and otherwise moves to the first
 * changed row, touching at most two items.
 *
 * Its items are not the records but slots (DeskRecordSlot), one per row
 * the view keeps, that show whatever record is at their position.  GTK 4.8
 * builds a row widget anew for each item object it has not seen, and a
 * view keeps about 200: a new search result would tear down and build
 * them all in one main-loop turn.  So the rows that stay in place (the
 * first min (removed, added) of a change) keep their slot, which takes
 * its new record and tells its row; the view is told only of the rows
 * that came or went (the smallest items-changed that is true), and of the
 * selection moving among the rows it was not told of.
 *
 * In multiple mode (a view's selection mode) the rows selected are the
 * records marked (desk-record-marks.c): Ctrl+click, Shift+click, Ctrl+A and
 * Shift+arrows come here as ranges of positions; no record is read to mark
 * them.  The single selection is kept, unseen, until the mode ends.
 */
#include "config.h"

#include "desk-client.h"
#include "desk-member.h"
#include "desk-record-list.h"
#include "desk-record-marks.h"
#include "desk-record-selection.h"
#include "desk-record-slot-private.h"

struct _DeskRecordSelection
{
  GObject     parent_instance;

  GListModel *model;
  guint       selected;
  gpointer    selected_item;
  GHashTable *slots;      /* position -> DeskRecordSlot, weak: those someone holds */
  guint       n_items;    /* the model's, and blank rows after them on their way out */
  guint       trim_source;
  gboolean    multiple;
  DeskRecordMarks *marks; /* NULL once let go */
};

static void desk_record_selection_list_model_init      (GListModelInterface        *iface);
static void desk_record_selection_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskRecordSelection, desk_record_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      desk_record_selection_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      desk_record_selection_selection_model_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED,
  PROP_SELECTED_ITEM,
  PROP_MULTIPLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static gint64
record_id (gpointer item)
{
  if (DESK_IS_MEMBER (item))
    return desk_member_get_id (item);
  if (DESK_IS_CLIENT (item))
    return desk_client_get_id (item);
  return -1;
}

static gboolean
same_record (gpointer a,
             gpointer b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || G_OBJECT_TYPE (a) != G_OBJECT_TYPE (b))
    return FALSE;
  return record_id (a) >= 0 && record_id (a) == record_id (b);
}

/* Selects @position (or nothing) without signals. */
static void
select_quietly (DeskRecordSelection *self,
                guint                position)
{
  g_autoptr(GObject) item = NULL;

  if (position != GTK_INVALID_LIST_POSITION && self->model != NULL)
    item = g_list_model_get_item (self->model, position);
  if (item == NULL)
    position = GTK_INVALID_LIST_POSITION;

  self->selected = position;
  g_set_object ((GObject **) &self->selected_item, item);
}

/* Slots */

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  const DeskRecordSlot *slot_a = *(DeskRecordSlot * const *) a;
  const DeskRecordSlot *slot_b = *(DeskRecordSlot * const *) b;

  return slot_a->position < slot_b->position ? -1 : slot_a->position > slot_b->position;
}

static void
on_slot_gone (gpointer  data,
              GObject  *where_the_object_was)
{
  DeskRecordSelection *self = data;
  DeskRecordSlot *slot = (DeskRecordSlot *) where_the_object_was;
  gpointer key = GUINT_TO_POINTER (slot->position);

  if (g_hash_table_lookup (self->slots, key) == slot)
    g_hash_table_remove (self->slots, key);
}

static void
forget_slot (DeskRecordSelection *self,
             DeskRecordSlot      *slot)
{
  g_object_weak_unref (G_OBJECT (slot), on_slot_gone, self);
}

static void
forget_slots (DeskRecordSelection *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    forget_slot (self, value);
  g_hash_table_remove_all (self->slots);
}

/* After a change of the model, which the view is told of as
 * (@position + @kept, @removed, @added): the slots of the @kept rows from
 * @position stay and take the records now there (none past the model's
 * end: a blank row on its way out), those of the rows removed are
 * forgotten (the view lets go of them), those after move. */
static void
update_slots (DeskRecordSelection *self,
              guint                position,
              guint                kept,
              guint                removed,
              guint                added)
{
  g_autoptr(GPtrArray) rebind = g_ptr_array_new ();
  g_autoptr(GPtrArray) moved = g_ptr_array_new ();
  guint n_model = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DeskRecordSlot *slot = value;

      if (slot->position < position)
        continue;
      g_hash_table_iter_steal (&iter);
      if (slot->position < position + kept)
        g_ptr_array_add (rebind, slot);
      else if (slot->position < position + kept + removed)
        forget_slot (self, slot);
      else
        {
          slot->position = slot->position - removed + added;
          g_ptr_array_add (moved, slot);
        }
    }

  for (guint i = 0; i < moved->len; i++)
    {
      DeskRecordSlot *slot = g_ptr_array_index (moved, i);

      g_hash_table_insert (self->slots, GUINT_TO_POINTER (slot->position), slot);
    }
  /* In order, so that a page is read once. */
  g_ptr_array_sort (rebind, compare_slots);
  for (guint i = 0; i < rebind->len; i++)
    {
      DeskRecordSlot *slot = g_ptr_array_index (rebind, i);

      g_hash_table_insert (self->slots, GUINT_TO_POINTER (slot->position), slot);
    }
  /* Only now tell the rows: a row's handler may look at the selection. */
  for (guint i = 0; i < rebind->len; i++)
    {
      DeskRecordSlot *slot = g_ptr_array_index (rebind, i);

      _desk_record_slot_set_record (slot, slot->position < n_model
                             ? g_list_model_get_item (self->model, slot->position) : NULL);
    }
}

/* Blank rows past the model's end go a few score a main-loop turn, at low
 * priority (a frame comes first), from TRIM_DELAY_MS after the model
 * shortened; those the view has no widget for, at once. */
#define TRIM_STEP 48
#define TRIM_DELAY_MS 250

static guint
n_model_items (DeskRecordSelection *self)
{
  return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
}

static void
trim_to (DeskRecordSelection *self,
         guint                n_items)
{
  guint removed = self->n_items - n_items;

  if (n_items >= self->n_items)
    return;
  update_slots (self, n_items, 0, removed, 0);
  self->n_items = n_items;
  g_list_model_items_changed (G_LIST_MODEL (self), n_items, removed, 0);
}

/* Past the last row the view has a widget for. */
static void
trim_unseen (DeskRecordSelection *self)
{
  guint end = n_model_items (self);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    end = MAX (end, ((DeskRecordSlot *) value)->position + 1);
  trim_to (self, end);
}

static gboolean
trim_step (gpointer data)
{
  /* A handler of items-changed may drop the last other reference. */
  g_autoptr(DeskRecordSelection) self = g_object_ref (data);
  guint n_model = n_model_items (self);

  trim_unseen (self);
  trim_to (self, MAX (n_model, self->n_items > TRIM_STEP ? self->n_items - TRIM_STEP : 0));
  if (self->n_items > n_model)
    return G_SOURCE_CONTINUE;
  self->trim_source = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
start_trimming (gpointer data)
{
  DeskRecordSelection *self = data;

  self->trim_source = g_idle_add_full (G_PRIORITY_LOW, trim_step, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->trim_source),
                            "[desk] blank rows");
  return G_SOURCE_REMOVE;
}

/* A search's first rows come before the rest (a paged list hands over
 * its first screen, then shows the rest a screenful a frame): the rest
 * take the blank rows back if they come within @delay_ms. */
static void
trim_later (DeskRecordSelection *self,
            guint                delay_ms)
{
  trim_unseen (self);
  if (self->n_items <= n_model_items (self))
    return;
  if (delay_ms == 0)
    {
      g_clear_handle_id (&self->trim_source, g_source_remove);
      start_trimming (self);
    }
  else if (self->trim_source == 0)
    {
      self->trim_source = g_timeout_add_full (G_PRIORITY_LOW, delay_ms, start_trimming, self,
                                              NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->trim_source),
                                "[desk] blank rows, soon");
    }
}

/* Callbacks */

static void
on_items_changed (DeskRecordSelection *self,
                  guint                position,
                  guint                removed,
                  guint                added,
                  GListModel          *model)
{
  guint n_items = g_list_model_get_n_items (model);
  guint old_selected = self->selected;
  gpointer old_item = self->selected_item != NULL ? g_object_ref (self->selected_item) : NULL;
  gboolean at_end = position + removed == n_items + removed - added;
  guint view_removed = removed;   /* the rows of the view that change */
  guint kept;                     /* of those, the rows that stay, shown another record */
  guint old_kept;     /* the row that showed the old selection, if the view keeps it */
  gboolean marks_moved = self->marks != NULL &&
                         desk_record_marks_items_changed (self->marks, position, removed, added);

  /* A change reaching the model's end takes the blank rows after it. */
  if (at_end)
    view_removed += self->n_items - (n_items + removed - added);
  if (added >= view_removed)
    kept = view_removed;
  else if (at_end)
    kept = view_removed;    /* a shorter list: the rows past its end go blank, and later */
  else
    kept = added;

  if (old_selected == GTK_INVALID_LIST_POSITION || old_selected < position + kept)
    old_kept = old_selected;
  else if (old_selected >= position + view_removed)
    old_kept = old_selected + added - removed;
  else
    old_kept = GTK_INVALID_LIST_POSITION;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->selected == GTK_INVALID_LIST_POSITION)
    {
      if (n_items > 0)
        select_quietly (self, 0);
    }
  else if (self->selected < position)
    {
      /* Before the change: still there. */
    }
  else if (self->selected >= position + removed)
    {
      self->selected += added - removed;
    }
  else
    {
      g_autoptr(GObject) item = NULL;

      /* Within the change: the same record at the same row, or the first changed row. */
      if (old_selected < position + added)
        item = g_list_model_get_item (model, old_selected);

      if (item != NULL && same_record (item, old_item))
        select_quietly (self, old_selected);
      else if (position < n_items)
        select_quietly (self, position);
      else
        select_quietly (self, n_items > 0 ? n_items - 1 : GTK_INVALID_LIST_POSITION);
    }

  {
    guint view_added = MAX (added, kept);

    update_slots (self, position, kept, view_removed - kept, view_added - kept);
    self->n_items = self->n_items - view_removed + view_added;
    if (view_removed != view_added)
      g_list_model_items_changed (G_LIST_MODEL (self), position + kept, view_removed - kept,
                                  view_added - kept);
  }

  /* The rows the view was not told of keep their selected state: say
   * where it changed among them. */
  if (old_kept != self->selected)
    {
      if (old_kept != GTK_INVALID_LIST_POSITION)
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), old_kept, 1);
      if (self->selected != GTK_INVALID_LIST_POSITION &&
          (self->selected < position + kept || self->selected >= position + MAX (added, kept)))
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->selected, 1);
    }
  /* Marks moved among the rows the view keeps: it asks again. */
  if (self->multiple && marks_moved && position < self->n_items)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position,
                                           self->n_items - position);
  trim_later (self, TRIM_DELAY_MS);

  if (self->selected != old_selected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  /* Also for the same record read again: it may have changed. */
  if (self->selected_item != old_item)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);

  g_clear_object (&old_item);
  g_object_thaw_notify (G_OBJECT (self));
}

/* GListModel */

static GType
desk_record_selection_get_item_type (GListModel *model)
{
  return DESK_TYPE_RECORD_SLOT;
}

static guint
desk_record_selection_get_n_items (GListModel *model)
{
  return DESK_RECORD_SELECTION (model)->n_items;
}

static gpointer
desk_record_selection_get_item (GListModel *model,
                                guint       position)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);
  DeskRecordSlot *slot;
  gpointer record;

  if (position >= self->n_items)
    return NULL;

  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);

  /* Past the model's end, a blank row on its way out. */
  record = position < n_model_items (self) ? g_list_model_get_item (self->model, position) : NULL;
  slot = g_object_new (DESK_TYPE_RECORD_SLOT, NULL);
  slot->record = record;
  slot->position = position;
  g_object_weak_ref (G_OBJECT (slot), on_slot_gone, self);
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  return slot;
}

static void
desk_record_selection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = desk_record_selection_get_item_type;
  iface->get_n_items = desk_record_selection_get_n_items;
  iface->get_item = desk_record_selection_get_item;
}

/* GtkSelectionModel */

static gboolean
in_multiple (DeskRecordSelection *self)
{
  return self->multiple && self->marks != NULL;
}

static gboolean
desk_record_selection_is_selected (GtkSelectionModel *model,
                                   guint              position)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);

  if (in_multiple (self))
    return desk_record_marks_contains (self->marks, position);
  return self->selected == position;
}

static GtkBitset *
desk_record_selection_get_selection_in_range (GtkSelectionModel *model,
                                              guint              position,
                                              guint              n_items)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);
  GtkBitset *result;

  if (in_multiple (self))
    return desk_record_marks_get_in_range (self->marks, position, n_items);

  result = gtk_bitset_new_empty ();
  if (self->selected != GTK_INVALID_LIST_POSITION)
    gtk_bitset_add (result, self->selected);
  return result;
}

/* Marks or unmarks @selected within @mask; only rows that show a record
 * (not the blank ones on their way out). */
static gboolean
mark (DeskRecordSelection *self,
      GtkBitset           *selected,
      GtkBitset           *mask)
{
  guint n_model = n_model_items (self);

  if (!in_multiple (self))
    return FALSE;
  if (n_model < G_MAXUINT)
    gtk_bitset_remove_range (mask, n_model, G_MAXUINT - n_model);
  desk_record_marks_set (self->marks, selected, mask);
  return TRUE;
}

static gboolean
desk_record_selection_select_item (GtkSelectionModel *model,
                                   guint              position,
                                   gboolean           unselect_rest)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GtkBitset) mask = NULL;

  if (!in_multiple (self))
    {
      desk_record_selection_set_selected (self, position);
      return TRUE;
    }
  selected = gtk_bitset_new_range (position, 1);
  mask = unselect_rest ? gtk_bitset_new_range (0, G_MAXUINT) : gtk_bitset_new_range (position, 1);
  return mark (self, selected, mask);
}

static gboolean
desk_record_selection_unselect_item (GtkSelectionModel *model,
                                     guint              position)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = gtk_bitset_new_range (position, 1);

  /* Single: one record is always shown. */
  return mark (DESK_RECORD_SELECTION (model), selected, mask);
}

static gboolean
desk_record_selection_select_range (GtkSelectionModel *model,
                                    guint              position,
                                    guint              n_items,
                                    gboolean           unselect_rest)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_range (position, n_items);
  g_autoptr(GtkBitset) mask = unselect_rest ? gtk_bitset_new_range (0, G_MAXUINT)
                                            : gtk_bitset_new_range (position, n_items);

  return mark (DESK_RECORD_SELECTION (model), selected, mask);
}

static gboolean
desk_record_selection_unselect_range (GtkSelectionModel *model,
                                      guint              position,
                                      guint              n_items)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = gtk_bitset_new_range (position, n_items);

  return mark (DESK_RECORD_SELECTION (model), selected, mask);
}

static gboolean
desk_record_selection_select_all (GtkSelectionModel *model)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_range (0, n_model_items (self));
  g_autoptr(GtkBitset) mask = gtk_bitset_new_range (0, G_MAXUINT);

  return mark (self, selected, mask);
}

static gboolean
desk_record_selection_unselect_all (GtkSelectionModel *model)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);

  if (!in_multiple (self))
    return FALSE;
  desk_record_marks_clear (self->marks);
  return TRUE;
}

static gboolean
desk_record_selection_set_selection (GtkSelectionModel *model,
                                     GtkBitset         *selected,
                                     GtkBitset         *mask)
{
  g_autoptr(GtkBitset) own_mask = gtk_bitset_copy (mask);

  return mark (DESK_RECORD_SELECTION (model), selected, own_mask);
}

static void
desk_record_selection_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = desk_record_selection_is_selected;
  iface->get_selection_in_range = desk_record_selection_get_selection_in_range;
  iface->select_item = desk_record_selection_select_item;
  iface->unselect_item = desk_record_selection_unselect_item;
  iface->select_range = desk_record_selection_select_range;
  iface->unselect_range = desk_record_selection_unselect_range;
  iface->select_all = desk_record_selection_select_all;
  iface->unselect_all = desk_record_selection_unselect_all;
  iface->set_selection = desk_record_selection_set_selection;
}

/* The view hears of marks only in multiple mode. */
static void
on_marks_changed (DeskRecordSelection *self,
                  guint                position,
                  guint                n_items,
                  DeskRecordMarks     *marks)
{
  if (!self->multiple || position >= self->n_items)
    return;
  gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position,
                                         MIN (n_items, self->n_items - position));
}

static void
drop_marks (DeskRecordSelection *self)
{
  if (self->marks == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->marks, on_marks_changed, self);
  desk_record_marks_clear (self->marks);
  g_clear_object (&self->marks);
}

/* Overrides */

static void
desk_record_selection_dispose (GObject *object)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);
  g_clear_object ((GObject **) &self->selected_item);
  self->selected = GTK_INVALID_LIST_POSITION;
  drop_marks (self);
  forget_slots (self);
  self->n_items = 0;
  g_clear_handle_id (&self->trim_source, g_source_remove);

  G_OBJECT_CLASS (desk_record_selection_parent_class)->dispose (object);
}

static void
desk_record_selection_finalize (GObject *object)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (object);

  g_hash_table_unref (self->slots);

  G_OBJECT_CLASS (desk_record_selection_parent_class)->finalize (object);
}

static void
desk_record_selection_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;

    case PROP_SELECTED_ITEM:
      g_value_set_object (value, self->selected_item);
      break;

    case PROP_MULTIPLE:
      g_value_set_boolean (value, self->multiple);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_record_selection_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      if (self->model != NULL)
        {
          GListModel *list = self->model;

          g_signal_connect_object (self->model, "items-changed",
                                   G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
          self->n_items = g_list_model_get_n_items (self->model);
          select_quietly (self, 0);
          /* Marks name their records by the ids of the list under the rows. */
          if (GTK_IS_SLICE_LIST_MODEL (list))
            list = gtk_slice_list_model_get_model (GTK_SLICE_LIST_MODEL (list));
          self->marks = desk_record_marks_new (DESK_IS_RECORD_LIST (list) ? DESK_RECORD_LIST (list)
                                                                          : NULL);
          g_signal_connect_object (self->marks, "changed", G_CALLBACK (on_marks_changed), self,
                                   G_CONNECT_SWAPPED);
        }
      break;

    case PROP_MULTIPLE:
      desk_record_selection_set_multiple (self, g_value_get_boolean (value));
      break;

    case PROP_SELECTED:
      desk_record_selection_set_selected (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_record_selection_class_init (DeskRecordSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_record_selection_dispose;
  object_class->finalize = desk_record_selection_finalize;
  object_class->get_property = desk_record_selection_get_property;
  object_class->set_property = desk_record_selection_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, GTK_INVALID_LIST_POSITION,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MULTIPLE] =
    g_param_spec_boolean ("multiple", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_record_selection_init (DeskRecordSelection *self)
{
  self->selected = GTK_INVALID_LIST_POSITION;
  self->slots = g_hash_table_new (NULL, NULL);
}

/* Public API */

DeskRecordSelection *
desk_record_selection_new (GListModel *model)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  return g_object_new (DESK_TYPE_RECORD_SELECTION, "model", model, NULL);
}

GListModel *
desk_record_selection_get_model (DeskRecordSelection *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_SELECTION (self), NULL);

  return self->model;
}

guint
desk_record_selection_get_selected (DeskRecordSelection *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_SELECTION (self), GTK_INVALID_LIST_POSITION);

  return self->selected;
}

/**
 * desk_record_selection_set_selected:
 *
 * Selects the row at @position; a position past the end keeps the
 * selection as it is, as GtkSingleSelection does with autoselect.
 */
void
desk_record_selection_set_selected (DeskRecordSelection *self,
                                    guint                position)
{
  guint old_selected;

  g_return_if_fail (DESK_IS_RECORD_SELECTION (self));

  if (position == self->selected || self->model == NULL ||
      position >= g_list_model_get_n_items (self->model))
    return;

  old_selected = self->selected;
  select_quietly (self, position);

  if (old_selected == GTK_INVALID_LIST_POSITION)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position, 1);
  else
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self),
                                           MIN (position, old_selected),
                                           MAX (position, old_selected) - MIN (position, old_selected) + 1);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
  g_object_thaw_notify (G_OBJECT (self));
}

gpointer
desk_record_selection_get_selected_item (DeskRecordSelection *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_SELECTION (self), NULL);

  return self->selected_item;
}

/**
 * desk_record_selection_let_go:
 *
 * Lets go of the model (at a session's end), and of the rows over the next
 * main-loop turns, a few score a turn from the end, each with its record
 * (items-changed says when they are gone): blanking them all at once held
 * the main thread 4 to 12 ms, for rows on a page out of sight.
 */
void
desk_record_selection_let_go (DeskRecordSelection *self)
{
  g_return_if_fail (DESK_IS_RECORD_SELECTION (self));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);
  g_clear_object ((GObject **) &self->selected_item);
  self->selected = GTK_INVALID_LIST_POSITION;
  /* The marks held the list, and its ids. */
  drop_marks (self);
  if (self->multiple)
    {
      self->multiple = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MULTIPLE]);
    }

  trim_later (self, 0);
}

gboolean
desk_record_selection_get_multiple (DeskRecordSelection *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_SELECTION (self), FALSE);

  return self->multiple;
}

/**
 * desk_record_selection_set_multiple:
 *
 * In multiple mode the rows selected are those marked, none at first;
 * leaving it unmarks them all and shows the single selection again.
 */
void
desk_record_selection_set_multiple (DeskRecordSelection *self,
                                    gboolean             multiple)
{
  g_return_if_fail (DESK_IS_RECORD_SELECTION (self));

  multiple = !!multiple;
  if (self->multiple == multiple || (multiple && self->marks == NULL))
    return;

  /* Unmarked while the view hears of marks; then the single selection. */
  if (self->marks != NULL)
    desk_record_marks_clear (self->marks);
  self->multiple = multiple;
  if (self->selected != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->selected, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MULTIPLE]);
}

DeskRecordMarks *
desk_record_selection_get_marks (DeskRecordSelection *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_SELECTION (self), NULL);

  return self->marks;
}
