/* desk-record-selection.c: single selection over a paged list of records
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
 */
#include "config.h"

#include "desk-client.h"
#include "desk-member.h"
#include "desk-record-selection.h"

struct _DeskRecordSelection
{
  GObject     parent_instance;

  GListModel *model;
  guint       selected;
  gpointer    selected_item;
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
  guint old_mapped;   /* where the old selection is now, if it survived the change */

  if (old_selected == GTK_INVALID_LIST_POSITION || old_selected < position)
    old_mapped = old_selected;
  else if (old_selected >= position + removed)
    old_mapped = old_selected + added - removed;
  else
    old_mapped = GTK_INVALID_LIST_POSITION;

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

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);

  /* A row outside the changed range that became selected is not replaced, so say it. */
  if (self->selected != GTK_INVALID_LIST_POSITION && self->selected != old_mapped &&
      (self->selected < position || self->selected >= position + added))
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->selected, 1);

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
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
desk_record_selection_get_n_items (GListModel *model)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);

  return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
}

static gpointer
desk_record_selection_get_item (GListModel *model,
                                guint       position)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);

  return self->model != NULL ? g_list_model_get_item (self->model, position) : NULL;
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
desk_record_selection_is_selected (GtkSelectionModel *model,
                                   guint              position)
{
  return DESK_RECORD_SELECTION (model)->selected == position;
}

static GtkBitset *
desk_record_selection_get_selection_in_range (GtkSelectionModel *model,
                                              guint              position,
                                              guint              n_items)
{
  DeskRecordSelection *self = DESK_RECORD_SELECTION (model);
  GtkBitset *result = gtk_bitset_new_empty ();

  if (self->selected != GTK_INVALID_LIST_POSITION)
    gtk_bitset_add (result, self->selected);

  return result;
}

static gboolean
desk_record_selection_select_item (GtkSelectionModel *model,
                                   guint              position,
                                   gboolean           unselect_rest)
{
  desk_record_selection_set_selected (DESK_RECORD_SELECTION (model), position);
  return TRUE;
}

static gboolean
desk_record_selection_unselect_item (GtkSelectionModel *model,
                                     guint              position)
{
  /* One record is always shown. */
  return FALSE;
}

static void
desk_record_selection_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = desk_record_selection_is_selected;
  iface->get_selection_in_range = desk_record_selection_get_selection_in_range;
  iface->select_item = desk_record_selection_select_item;
  iface->unselect_item = desk_record_selection_unselect_item;
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

  G_OBJECT_CLASS (desk_record_selection_parent_class)->dispose (object);
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
          g_signal_connect_object (self->model, "items-changed",
                                   G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
          select_quietly (self, 0);
        }
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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_record_selection_init (DeskRecordSelection *self)
{
  self->selected = GTK_INVALID_LIST_POSITION;
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
