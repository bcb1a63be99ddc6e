/* desk-paged-list.c: a GListModel paged from SQLite, the base of the lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A query runs on a worker thread, on a read-only connection kept between
 * queries, and yields a small result (ids, or keys of pages): never the
 * rows.  Rows are read a page at a time when a view asks for them, and at
 * most max_pages pages are kept.  A query may hand over the first items of
 * its result while it runs, so that a view shows them before the whole
 * result is known.  Each query has a generation: the result or chunk of a
 * query that another has superseded is dropped, and its worker cancelled
 * between rows.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-paged-list-private.h"
#include "desk-paged-list-reader.h"
#include "desk-store-private.h"

struct _DeskPagedResult
{
  guint          n_items;
  gpointer       data;
  GDestroyNotify data_free;
};

typedef struct
{
  guint      page;
  GPtrArray *items;
} Page;

struct _DeskPagedQuery
{
  gpointer          data;
  GDestroyNotify    data_free;
  DeskPagedResult *(*run) (DeskPagedQuery *, sqlite3 *, GError **);
  char             *path;
  GCancellable     *cancellable;
  DeskPagedReader  *reader;

  /* Handing chunks over to the main thread. */
  GWeakRef          list;
  guint             generation;
  GMainContext     *context;
};

typedef struct
{
  DeskStore       *store;

  DeskPagedResult *result;        /* shown: its first n_shown items */
  guint            n_shown;
  GHashTable      *pages;         /* page number -> Page */
  GQueue           lru;           /* Page, most recent first */

  guint            generation;
  guint            pending_source; /* coalesces changes made together */
  GCancellable    *cancellable;
  gboolean         loading;
  gboolean         refresh_rows;  /* the next result also re-reads the rows cached */
  GError          *error;
  guint            rows_fetched;
  DeskPagedReader *reader;

  guint            pace_step;
  guint            pace_window;
  guint            pace_interval;
  guint            pace_source;
} DeskPagedListPrivate;

static void desk_paged_list_list_model_init (GListModelInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (DeskPagedList, desk_paged_list, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (DeskPagedList)
                                  G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                         desk_paged_list_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Results */

DeskPagedResult *
desk_paged_result_new (guint          n_items,
                       gpointer       data,
                       GDestroyNotify data_free)
{
  DeskPagedResult *result = g_atomic_rc_box_new0 (DeskPagedResult);

  result->n_items = n_items;
  result->data = data;
  result->data_free = data_free;
  return result;
}

DeskPagedResult *
desk_paged_result_ref (DeskPagedResult *result)
{
  return g_atomic_rc_box_acquire (result);
}

static void
result_clear (gpointer data)
{
  DeskPagedResult *result = data;

  if (result->data_free != NULL)
    result->data_free (result->data);
}

void
desk_paged_result_unref (DeskPagedResult *result)
{
  g_atomic_rc_box_release_full (result, result_clear);
}

guint
desk_paged_result_get_n_items (const DeskPagedResult *result)
{
  return result->n_items;
}

gpointer
desk_paged_result_get_data (const DeskPagedResult *result)
{
  return result->data;
}

/* Queries */

static void
query_clear (gpointer data)
{
  DeskPagedQuery *query = data;

  if (query->data_free != NULL)
    query->data_free (query->data);
  g_free (query->path);
  g_clear_object (&query->cancellable);
  g_weak_ref_clear (&query->list);
  g_clear_pointer (&query->context, g_main_context_unref);
  g_clear_pointer (&query->reader, _desk_paged_reader_unref);
}

static void
query_unref (DeskPagedQuery *query)
{
  g_atomic_rc_box_release_full (query, query_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskPagedQuery, query_unref)

gpointer
desk_paged_query_get_data (DeskPagedQuery *query)
{
  return query->data;
}

GCancellable *
desk_paged_query_get_cancellable (DeskPagedQuery *query)
{
  return query->cancellable;
}

static DeskPagedQuery *
query_new (DeskPagedList  *self,
           GError        **error)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  DeskPagedListClass *klass = DESK_PAGED_LIST_GET_CLASS (self);
  DeskPagedQuery *query;
  gpointer data;

  data = klass->query_new (self, error);
  if (data == NULL)
    return NULL;

  query = g_atomic_rc_box_new0 (DeskPagedQuery);
  query->data = data;
  query->data_free = klass->query_free;
  query->run = klass->query_run;
  query->path = g_strdup (desk_store_get_path (priv->store));
  query->reader = g_atomic_rc_box_acquire (priv->reader);
  g_weak_ref_init (&query->list, self);
  query->generation = priv->generation;
  return query;
}

/* Cancels a query that is no longer wanted, between rows. */
static int
on_progress (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static DeskPagedResult *
query_run (DeskPagedQuery  *query,
           GError         **error)
{
  DeskPagedResult *result;
  sqlite3 *db;

  db = _desk_paged_reader_take (query->reader, query->path, error);
  if (db == NULL)
    return NULL;
  if (query->cancellable != NULL)
    sqlite3_progress_handler (db, 1000, on_progress, query->cancellable);

  result = query->run (query, db, error);
  if (result == NULL && error != NULL && *error != NULL &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (query->cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (query->cancellable, error);
    }
  _desk_paged_reader_give (query->reader, db);
  return result;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  DeskPagedResult *result;

  result = query_run (task_data, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) desk_paged_result_unref);
}

/* The items */

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
set_loading (DeskPagedList *self,
             gboolean       loading)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  if (priv->loading == loading)
    return;
  priv->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Shows the first @n_shown items of @result, keeping the first @prefix of
 * those shown now (and their cached pages). */
static void
show (DeskPagedList   *self,
      DeskPagedResult *result,
      guint            prefix,
      guint            n_shown)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  guint page_size = DESK_PAGED_LIST_GET_CLASS (self)->page_size;
  guint old_n = priv->n_shown;
  g_autoptr(GArray) stale = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer value;

  prefix = MIN (prefix, MIN (old_n, n_shown));

  /* Cached pages reaching past the common prefix may hold other rows now,
   * or too few: a last page cached while the list was shorter.  After
   * desk_paged_list_refresh() the rows of the others may have changed
   * too: they are read again when asked for. */
  if (result != priv->result)
    {
      g_hash_table_iter_init (&iter, priv->pages);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Page *page = value;

          if ((page->page + 1) * page_size > prefix || priv->refresh_rows)
            {
              if (page->page * page_size < prefix)
                g_array_append_val (stale, page->page);
              g_queue_remove (&priv->lru, page);
              g_hash_table_iter_remove (&iter);
            }
        }
      priv->refresh_rows = FALSE;
      desk_paged_result_ref (result);
      g_clear_pointer (&priv->result, desk_paged_result_unref);
      priv->result = result;
    }
  priv->n_shown = n_shown;

  if (prefix < old_n || prefix < n_shown)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_n - prefix, n_shown - prefix);
  for (guint i = 0; i < stale->len; i++)
    {
      guint start = g_array_index (stale, guint, i) * page_size;
      guint n = MIN (page_size, prefix - start);

      g_list_model_items_changed (G_LIST_MODEL (self), start, n, n);
    }
  if (old_n != n_shown)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static guint
same_prefix (DeskPagedList         *self,
             const DeskPagedResult *result)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  DeskPagedListClass *klass = DESK_PAGED_LIST_GET_CLASS (self);

  if (klass->same_prefix == NULL || priv->n_shown == 0)
    return 0;
  return MIN (priv->n_shown, klass->same_prefix (self, priv->result, result));
}

static void
stop_pacing (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_clear_handle_id (&priv->pace_source, g_source_remove);
}

static gboolean
pace (gpointer data)
{
  DeskPagedList *self = data;
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  guint next = priv->n_shown + priv->pace_step;

  if (next < priv->result->n_items && priv->n_shown < priv->pace_window)
    {
      show (self, priv->result, priv->n_shown, next);
      return G_SOURCE_CONTINUE;
    }

  priv->pace_source = 0;
  show (self, priv->result, priv->n_shown, priv->result->n_items);
  set_loading (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
clear_items (DeskPagedList *self)
{
  g_autoptr(DeskPagedResult) empty = desk_paged_result_new (0, NULL, NULL);

  show (self, empty, 0, 0);
}

typedef struct
{
  DeskPagedQuery  *query;
  DeskPagedResult *partial;
} Chunk;

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  query_unref (chunk->query);
  desk_paged_result_unref (chunk->partial);
  g_free (chunk);
}

static gboolean
chunk_deliver (gpointer data)
{
  Chunk *chunk = data;
  g_autoptr(DeskPagedList) self = g_weak_ref_get (&chunk->query->list);
  DeskPagedListPrivate *priv;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  priv = desk_paged_list_get_instance_private (self);
  /* A refresh keeps the rows shown (and the view's scroll) until the whole
   * answer is known: then show() changes only what differs. */
  if (priv->generation == chunk->query->generation && priv->loading && !priv->refresh_rows)
    show (self, chunk->partial, same_prefix (self, chunk->partial), chunk->partial->n_items);
  return G_SOURCE_REMOVE;
}

void
desk_paged_query_hand_over (DeskPagedQuery  *query,
                            DeskPagedResult *partial)
{
  Chunk *chunk;

  if (query->context == NULL)
    return;

  chunk = g_new0 (Chunk, 1);
  chunk->query = g_atomic_rc_box_acquire (query);
  chunk->partial = desk_paged_result_ref (partial);
  g_main_context_invoke_full (query->context, G_PRIORITY_DEFAULT, chunk_deliver, chunk,
                              chunk_free);
}

/* Shows a query's result; a list filling up is paced if the view asked. */
static void
land (DeskPagedList   *self,
      DeskPagedResult *result,
      gboolean         background)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  guint prefix = same_prefix (self, result);

  if (background && priv->pace_step > 0 && priv->n_shown <= priv->pace_step &&
      result->n_items > priv->pace_step && prefix == priv->n_shown)
    {
      show (self, result, prefix, priv->pace_step);
      priv->pace_source = g_timeout_add_full (G_PRIORITY_LOW, priv->pace_interval, pace, self,
                                              NULL);
      return;
    }

  show (self, result, prefix, result->n_items);
  set_loading (self, FALSE);
}

static void
fail (DeskPagedList *self,
      GError        *error)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_clear_error (&priv->error);
  priv->error = error;
  if (DESK_PAGED_LIST_GET_CLASS (self)->clear_on_error)
    clear_items (self);
}

static void
query_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  DeskPagedQuery *query = g_task_get_task_data (G_TASK (res));
  g_autoptr(DeskPagedList) self = g_weak_ref_get (&query->list);
  g_autoptr(DeskPagedResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DeskPagedListPrivate *priv;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (self == NULL)
    return;
  priv = desk_paged_list_get_instance_private (self);
  if (query->generation != priv->generation)
    return;

  g_clear_object (&priv->cancellable);
  g_clear_error (&priv->error);

  if (result != NULL)
    {
      if (DESK_PAGED_LIST_GET_CLASS (self)->query_landed != NULL)
        DESK_PAGED_LIST_GET_CLASS (self)->query_landed (self, query->data);
      land (self, result, TRUE);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fail (self, g_steal_pointer (&error));
  set_loading (self, FALSE);
}

/* Supersedes whatever query runs or waits, and a result still paced. */
static void
supersede (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  if (priv->pending_source != 0)
    {
      GSource *source = g_main_context_find_source_by_id (g_main_context_get_thread_default (),
                                                          priv->pending_source);

      if (source != NULL)
        g_source_destroy (source);
      priv->pending_source = 0;
    }
  stop_pacing (self);
  priv->generation++;
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
}

static void
start_query (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  DeskPagedQuery *query;

  supersede (self);

  query = query_new (self, &error);
  if (query == NULL)
    {
      fail (self, g_steal_pointer (&error));
      set_loading (self, FALSE);
      return;
    }
  priv->cancellable = g_cancellable_new ();
  query->cancellable = g_object_ref (priv->cancellable);
  query->context = g_main_context_ref_thread_default ();

  /* No source object: the task must not keep the list alive, or the
   * worker thread could drop the last reference to it. */
  task = g_task_new (NULL, priv->cancellable, query_done, NULL);
  g_task_set_source_tag (task, start_query);
  g_task_set_task_data (task, query, (GDestroyNotify) query_unref);
  g_task_set_return_on_cancel (task, FALSE);

  set_loading (self, TRUE);
  g_task_run_in_thread (task, query_thread);
}

static gboolean
start_pending_query (gpointer data)
{
  DeskPagedList *self = data;
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  priv->pending_source = 0;
  start_query (self);
  return G_SOURCE_REMOVE;
}

void
_desk_paged_list_schedule (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  GSource *source;

  if (priv->pending_source != 0)
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, start_pending_query, self, NULL);
  g_source_set_static_name (source, "[desk] paged list query");
  priv->pending_source = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
  set_loading (self, TRUE);
}

/* GListModel */

static GType
desk_paged_list_get_item_type (GListModel *model)
{
  return DESK_PAGED_LIST_GET_CLASS (model)->get_item_type (DESK_PAGED_LIST (model));
}

static guint
desk_paged_list_get_n_items (GListModel *model)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (DESK_PAGED_LIST (model));

  return priv->n_shown;
}

static gpointer
desk_paged_list_get_item (GListModel *model,
                          guint       position)
{
  DeskPagedList *self = DESK_PAGED_LIST (model);
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  DeskPagedListClass *klass = DESK_PAGED_LIST_GET_CLASS (self);
  guint page_number = position / klass->page_size;
  Page *page;

  if (position >= priv->n_shown)
    return NULL;

  page = g_hash_table_lookup (priv->pages, GUINT_TO_POINTER (page_number));
  if (page != NULL)
    {
      g_queue_remove (&priv->lru, page);
      g_queue_push_head (&priv->lru, page);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      guint first = page_number * klass->page_size;
      guint n = MIN (klass->page_size, priv->result->n_items - first);
      GPtrArray *items = klass->fetch_page (self, priv->result, first, n, &error);

      if (items == NULL)
        {
          g_debug ("Cannot read a page of %s: %s", G_OBJECT_TYPE_NAME (self), error->message);
          return NULL;
        }
      g_assert (items->len == n);

      page = g_new0 (Page, 1);
      page->page = page_number;
      page->items = items;
      g_hash_table_insert (priv->pages, GUINT_TO_POINTER (page_number), page);
      g_queue_push_head (&priv->lru, page);
      while (priv->lru.length > klass->max_pages)
        {
          Page *old = g_queue_pop_tail (&priv->lru);

          g_hash_table_remove (priv->pages, GUINT_TO_POINTER (old->page));
        }
    }

  return g_object_ref (g_ptr_array_index (page->items, position - page_number * klass->page_size));
}

static void
desk_paged_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = desk_paged_list_get_item_type;
  iface->get_n_items = desk_paged_list_get_n_items;
  iface->get_item = desk_paged_list_get_item;
}

/* Overrides */

static void
desk_paged_list_dispose (GObject *object)
{
  supersede (DESK_PAGED_LIST (object));

  G_OBJECT_CLASS (desk_paged_list_parent_class)->dispose (object);
}

static void
desk_paged_list_finalize (GObject *object)
{
  DeskPagedList *self = DESK_PAGED_LIST (object);
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_queue_clear (&priv->lru);
  /* Thousands of records, 10 ms and more to free (at a session's end). */
  if (g_hash_table_size (priv->pages) > 0)
    _desk_paged_free_in_steps (g_steal_pointer (&priv->pages));
  g_clear_pointer (&priv->pages, g_hash_table_unref);
  g_clear_pointer (&priv->result, desk_paged_result_unref);
  g_clear_error (&priv->error);
  g_clear_object (&priv->store);
  g_clear_pointer (&priv->reader, _desk_paged_reader_unref);

  G_OBJECT_CLASS (desk_paged_list_parent_class)->finalize (object);
}

static void
desk_paged_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DeskPagedList *self = DESK_PAGED_LIST (object);
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, priv->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, priv->n_shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_paged_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DeskPagedList *self = DESK_PAGED_LIST (object);
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      priv->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_paged_list_class_init (DeskPagedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_paged_list_dispose;
  object_class->finalize = desk_paged_list_finalize;
  object_class->get_property = desk_paged_list_get_property;
  object_class->set_property = desk_paged_list_set_property;

  klass->page_size = 64;
  klass->max_pages = 64;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_paged_list_init (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  priv->result = desk_paged_result_new (0, NULL, NULL);
  priv->reader = _desk_paged_reader_new ();
  priv->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  g_queue_init (&priv->lru);
}

/* Private API */

const DeskPagedResult *
_desk_paged_list_get_result (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  return priv->result;
}

void
_desk_paged_list_add_fetched (DeskPagedList *self,
                              guint          n)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  priv->rows_fetched += n;
}

/* Public API */

DeskStore *
desk_paged_list_get_store (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_return_val_if_fail (DESK_IS_PAGED_LIST (self), NULL);
  return priv->store;
}

gboolean
desk_paged_list_get_loading (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_return_val_if_fail (DESK_IS_PAGED_LIST (self), FALSE);
  return priv->loading;
}

const GError *
desk_paged_list_get_error (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_return_val_if_fail (DESK_IS_PAGED_LIST (self), NULL);
  return priv->error;
}

void
desk_paged_list_reload (DeskPagedList *self)
{
  g_return_if_fail (DESK_IS_PAGED_LIST (self));
  _desk_paged_list_schedule (self);
}

/**
 * desk_paged_list_refresh:
 *
 * Runs the current query again on its worker, after the records may have
 * changed: rows that stay in place are read again (only the pages
 * cached), rows that moved, came or went change; the rows shown stay until
 * the answer is known, so a view keeps its scroll.
 */
void
desk_paged_list_refresh (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_return_if_fail (DESK_IS_PAGED_LIST (self));
  priv->refresh_rows = TRUE;
  _desk_paged_list_schedule (self);
}

gboolean
desk_paged_list_load_sync (DeskPagedList  *self,
                           GCancellable   *cancellable,
                           GError        **error)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);
  DeskPagedListClass *klass;
  g_autoptr(DeskPagedQuery) query = NULL;
  g_autoptr(DeskPagedResult) result = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (DESK_IS_PAGED_LIST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = DESK_PAGED_LIST_GET_CLASS (self);
  supersede (self);
  set_loading (self, FALSE);
  g_clear_error (&priv->error);

  query = query_new (self, &local_error);
  if (query != NULL)
    {
      if (cancellable != NULL)
        query->cancellable = g_object_ref (cancellable);
      result = query_run (query, &local_error);
    }
  if (result == NULL)
    {
      fail (self, g_error_copy (local_error));
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (klass->query_landed != NULL)
    klass->query_landed (self, query->data);
  land (self, result, FALSE);
  return TRUE;
}

void
desk_paged_list_set_pacing (DeskPagedList *self,
                            guint          step,
                            guint          window,
                            guint          interval_ms)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_return_if_fail (DESK_IS_PAGED_LIST (self));
  priv->pace_step = step;
  priv->pace_window = window;
  priv->pace_interval = interval_ms;
}

guint
desk_paged_list_get_rows_fetched (DeskPagedList *self)
{
  DeskPagedListPrivate *priv = desk_paged_list_get_instance_private (self);

  g_return_val_if_fail (DESK_IS_PAGED_LIST (self), 0);
  return priv->rows_fetched;
}
