/* desk-audit-list.c: the audit log as a GListModel, paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The log has millions of entries, so the list never holds them.  A query
 * runs on a worker thread with its own read-only connection, inside one read
 * transaction, and walks the matching entries newest first along an index;
 * it keeps only the count and the key (time, id) of the first entry of each
 * page of PAGE_SIZE: 16 bytes for 64 entries.  A page is then one indexed
 * range read on the main thread: the entries between its key and the next
 * page's, along the same index, so it reads about PAGE_SIZE rows whatever
 * the size of the log.  The first FIRST_PAGES pages are handed over as soon
 * as they are known.
 *
 * That works when one index holds every condition of the filter: one of
 * member, client or action (an action prefix becomes one range per action),
 * with the dates, which every index has after its first columns.  A filter
 * on two of those (member and action, say) has no such index, and a page's
 * range could pass over many entries of one that do not match the other;
 * then the worker keeps the key of every match (still no more than the
 * matches), and a page reads exactly its entries by number.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-session.h"
#include "desk-store-private.h"

#define PAGE_SIZE 64
#define MAX_PAGES 32
#define FIRST_PAGES 4

typedef struct
{
  gint64 at;
  gint64 id;
} Key;

typedef enum
{
  MODE_PAGES,   /* keys: the first entry of each page */
  MODE_ROWS,    /* keys: every entry */
} Mode;

typedef struct
{
  guint      page;
  GPtrArray *items;
} Page;

struct _DeskAuditList
{
  GObject          parent_instance;

  DeskSession     *session;
  DeskAuditFilter *filter;

  Mode             mode;
  guint            n_items;
  GArray          *keys;          /* Key */
  char            *actions_json;  /* the actions of a prefix, for MODE_PAGES */
  GHashTable      *pages;         /* page number -> Page */
  GQueue           lru;           /* Page, most recent first */

  guint            generation;
  guint            pending_source;
  GCancellable    *cancellable;
  gboolean         loading;
  GError          *error;
  guint            rows_fetched;
};

static void desk_audit_list_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskAuditList, desk_audit_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      desk_audit_list_list_model_init))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_FILTER,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A query, copied for the worker, and what it found. */
typedef struct
{
  DeskAuditFilter *filter;
  Mode             mode;
  char            *path;
  GCancellable    *cancellable;

  /* Found */
  guint            n;
  GArray          *keys;
  char            *actions_json;

  /* Handing the first pages over to the main thread. */
  GWeakRef         list;
  guint            generation;
  GMainContext    *context;
} Query;

typedef struct
{
  Query   *query;
  guint    n;
  GArray  *keys;
} Chunk;

/* Helpers */

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
query_clear (gpointer data)
{
  Query *query = data;

  desk_audit_filter_free (query->filter);
  g_free (query->path);
  g_clear_object (&query->cancellable);
  g_clear_pointer (&query->keys, g_array_unref);
  g_free (query->actions_json);
  g_weak_ref_clear (&query->list);
  g_clear_pointer (&query->context, g_main_context_unref);
}

static void
query_unref (Query *query)
{
  g_atomic_rc_box_release_full (query, query_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_unref)

static Mode
mode_for (const DeskAuditFilter *filter)
{
  guint n_indexed = (filter->actor_id > 0) + (filter->client_id > 0) + (filter->action != NULL);

  return n_indexed > 1 ? MODE_ROWS : MODE_PAGES;
}

/* The index that holds the filter's conditions, in MODE_PAGES. */
static const char *
index_for (const DeskAuditFilter *filter)
{
  if (filter->client_id > 0)
    return " INDEXED BY audit_log_target";
  if (filter->actor_id > 0)
    return " INDEXED BY audit_log_actor";
  if (filter->action != NULL)
    return " INDEXED BY audit_log_action";
  return " INDEXED BY audit_log_time";
}

static Query *
query_new (DeskAuditList *self)
{
  Query *query = g_atomic_rc_box_new0 (Query);

  query->filter = desk_audit_filter_copy (self->filter);
  query->mode = mode_for (self->filter);
  query->path = g_strdup (desk_store_get_path (desk_session_get_store (self->session)));
  query->keys = g_array_new (FALSE, FALSE, sizeof (Key));
  g_weak_ref_init (&query->list, self);
  query->generation = self->generation;
  return query;
}

static int
on_progress (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static gboolean
deliver_chunk (gpointer data)
{
  Chunk *chunk = data;
  g_autoptr(DeskAuditList) self = g_weak_ref_get (&chunk->query->list);
  guint removed;

  if (self == NULL || self->generation != chunk->query->generation || !self->loading)
    return G_SOURCE_REMOVE;

  removed = self->n_items;
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->keys, g_array_unref);
  self->keys = g_array_ref (chunk->keys);
  g_free (self->actions_json);
  self->actions_json = g_strdup (chunk->query->actions_json);
  self->mode = chunk->query->mode;
  self->n_items = chunk->n;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);
  if (removed != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return G_SOURCE_REMOVE;
}

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  query_unref (chunk->query);
  g_array_unref (chunk->keys);
  g_free (chunk);
}

static void
hand_over (Query *query,
           guint  n)
{
  Chunk *chunk;

  if (query->context == NULL)
    return;

  chunk = g_new0 (Chunk, 1);
  chunk->query = g_atomic_rc_box_acquire (query);
  chunk->n = n;
  chunk->keys = g_array_copy (query->keys);
  g_main_context_invoke_full (query->context, G_PRIORITY_DEFAULT, deliver_chunk, chunk,
                              chunk_free);
}

static gboolean
walk (sqlite3  *db,
      Query    *query,
      GError  **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT a.at, a.id FROM audit_log a");
  gboolean handed_over = FALSE;
  sqlite3_stmt *stmt = NULL;
  int rc;

  _desk_audit_filter_append_where (query->filter, FALSE, sql);
  g_string_append (sql, " ORDER BY a.at DESC, a.id DESC");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  _desk_audit_filter_bind (query->filter, NULL, stmt);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (query->mode == MODE_ROWS || query->n % PAGE_SIZE == 0)
        {
          Key key = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

          g_array_append_val (query->keys, key);
        }
      query->n++;

      /* The first pages, each with the key of the page after it. */
      if (!handed_over && query->n == FIRST_PAGES * PAGE_SIZE + 1)
        {
          hand_over (query, FIRST_PAGES * PAGE_SIZE);
          handed_over = TRUE;
        }
    }
  if (rc != SQLITE_DONE)
    goto failed;

  sqlite3_finalize (stmt);
  return TRUE;

failed:
  sqlite3_finalize (stmt);
  if (!g_cancellable_set_error_if_cancelled (query->cancellable, error))
    _desk_db_set_error (error, db, rc, _("reading the audit log"));
  return FALSE;
}

static gboolean
run_query (Query   *query,
           GError **error)
{
  gboolean ok;
  sqlite3 *db;

  /* Its own connection: this runs on a worker thread. */
  db = _desk_db_open (query->path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                    error);
  if (db == NULL)
    return FALSE;
  if (query->cancellable != NULL)
    sqlite3_progress_handler (db, 1000, on_progress, query->cancellable);

  /* One snapshot: the pages handed over early are the first of the whole. */
  ok = _desk_db_exec (db, "BEGIN", error);
  if (ok && query->mode == MODE_PAGES && _desk_audit_filter_is_prefix (query->filter))
    {
      query->actions_json = _desk_audit_collect_actions (db, query->filter->action, TRUE, error);
      ok = query->actions_json != NULL;
    }
  ok = ok && walk (db, query, error);

  sqlite3_close (db);
  return ok;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Query *query = task_data;
  GError *error = NULL;

  if (run_query (query, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
set_loading (DeskAuditList *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
clear_pages (DeskAuditList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

/* The query's result replaces the items; what its first pages showed stays. */
static void
take_result (DeskAuditList *self,
             Query         *query)
{
  guint old_n = self->n_items;
  gboolean extends;

  /* The first pages of this very query: the rest is appended. */
  extends = old_n > 0 && old_n < query->n && self->keys->len > 0 && query->keys->len > 0 &&
            self->mode == query->mode && g_strcmp0 (self->actions_json, query->actions_json) == 0 &&
            memcmp (self->keys->data, query->keys->data,
                    MIN (self->keys->len, query->keys->len) * sizeof (Key)) == 0 &&
            old_n == FIRST_PAGES * PAGE_SIZE;

  g_clear_pointer (&self->keys, g_array_unref);
  self->keys = g_array_ref (query->keys);
  g_free (self->actions_json);
  self->actions_json = g_strdup (query->actions_json);
  self->mode = query->mode;
  self->n_items = query->n;

  if (extends)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->n_items - old_n);
    }
  else
    {
      clear_pages (self);
      if (old_n > 0 || self->n_items > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
    }
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
clear_items (DeskAuditList *self)
{
  guint old_n = self->n_items;

  clear_pages (self);
  g_array_set_size (self->keys, 0);
  self->n_items = 0;
  if (old_n > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void
query_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Query *query = g_task_get_task_data (G_TASK (result));
  g_autoptr(DeskAuditList) self = g_weak_ref_get (&query->list);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);
  if (self == NULL || query->generation != self->generation)
    return;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  if (ok)
    take_result (self, query);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->error = g_steal_pointer (&error);
      clear_items (self);
    }

  set_loading (self, FALSE);
}

static void
cancel_query (DeskAuditList *self)
{
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
start_query (DeskAuditList *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Query *query;

  cancel_query (self);

  /* Whatever asks, the log is for those who may view it. */
  if (!desk_session_require (self->session, DESK_PERMISSION_VIEW_AUDIT, &error))
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      clear_items (self);
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  query = query_new (self);
  query->cancellable = g_object_ref (self->cancellable);
  query->context = g_main_context_ref_thread_default ();

  /* No source object: the task must not keep the list alive, or the
   * worker thread could drop the last reference to it. */
  task = g_task_new (NULL, self->cancellable, query_done, NULL);
  g_task_set_source_tag (task, start_query);
  g_task_set_task_data (task, query, (GDestroyNotify) query_unref);
  g_task_set_return_on_cancel (task, FALSE);

  set_loading (self, TRUE);
  g_task_run_in_thread (task, query_thread);
}

static gboolean
start_pending_query (gpointer data)
{
  DeskAuditList *self = data;

  self->pending_source = 0;
  start_query (self);
  return G_SOURCE_REMOVE;
}

/* Several changes made together make one query, started from the main loop. */
static void
schedule_query (DeskAuditList *self)
{
  GSource *source;

  if (self->pending_source != 0)
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, start_pending_query, self, NULL);
  g_source_set_static_name (source, "[desk] audit list query");
  self->pending_source = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
  set_loading (self, TRUE);
}

static void
cancel_pending_query (DeskAuditList *self)
{
  if (self->pending_source != 0)
    {
      GSource *source = g_main_context_find_source_by_id (g_main_context_get_thread_default (),
                                                          self->pending_source);

      if (source != NULL)
        g_source_destroy (source);
      self->pending_source = 0;
    }
}

/* One page: an indexed range between its key and the next page's (MODE_PAGES),
 * or its entries by number (MODE_ROWS). */
static Page *
fetch_page (DeskAuditList *self,
            guint          page_number)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " DESK_AUDIT_ENTRY_COLUMNS " FROM audit_log a");
  g_autoptr(GString) ids = NULL;
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_session_get_store (self->session);
  sqlite3 *db = _desk_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  guint first = page_number * PAGE_SIZE;
  guint last = MIN (first + PAGE_SIZE, self->n_items);
  Page *page;
  int rc;

  if (!desk_session_require (self->session, DESK_PERMISSION_VIEW_AUDIT, &error))
    {
      g_debug ("Cannot read a page of the audit log: %s", error->message);
      return NULL;
    }

  if (self->mode == MODE_PAGES)
    {
      g_string_append (sql, index_for (self->filter));
      g_string_append (sql, DESK_AUDIT_ENTRY_JOIN);
      _desk_audit_filter_append_where (self->filter, TRUE, sql);
      g_string_append (sql, " AND a.at <= ?8 AND (a.at < ?8 OR a.id <= ?9)");
      if (page_number + 1 < self->keys->len)
        g_string_append (sql, " AND a.at >= ?10 AND (a.at > ?10 OR a.id > ?11)");
      g_string_append (sql, " ORDER BY a.at DESC, a.id DESC LIMIT ?12");
    }
  else
    {
      g_string_append (sql, DESK_AUDIT_ENTRY_JOIN);
      g_string_append (sql, " WHERE a.id IN (SELECT value FROM json_each (?13))"
                            " ORDER BY a.at DESC, a.id DESC");
    }

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  if (self->mode == MODE_PAGES)
    {
      const Key *key = &g_array_index (self->keys, Key, page_number);

      _desk_audit_filter_bind (self->filter, self->actions_json, stmt);
      sqlite3_bind_int64 (stmt, 8, key->at);
      sqlite3_bind_int64 (stmt, 9, key->id);
      if (page_number + 1 < self->keys->len)
        {
          const Key *next = &g_array_index (self->keys, Key, page_number + 1);

          sqlite3_bind_int64 (stmt, 10, next->at);
          sqlite3_bind_int64 (stmt, 11, next->id);
        }
      sqlite3_bind_int (stmt, 12, last - first);
    }
  else
    {
      ids = g_string_new ("[");
      for (guint i = first; i < last; i++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                                g_array_index (self->keys, Key, i).id);
      g_string_append_c (ids, ']');
      sqlite3_bind_text (stmt, 13, ids->str, -1, SQLITE_STATIC);
    }

  page = g_new0 (Page, 1);
  page->page = page_number;
  page->items = g_ptr_array_new_full (last - first, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (page->items, _desk_audit_entry_new_from_row (stmt));
      self->rows_fetched++;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    {
      page_free (page);
      goto failed;
    }

  /* Entries are never removed, but keep the list whole if a page came up short. */
  while (page->items->len < last - first)
    g_ptr_array_add (page->items, _desk_audit_entry_new (0, 0, 0, NULL, NULL, NULL, NULL, 0,
                                                         NULL, NULL, NULL));
  return page;

failed:
  g_debug ("Cannot read a page of the audit log: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return NULL;
}

/* GListModel */

static GType
desk_audit_list_get_item_type (GListModel *model)
{
  return DESK_TYPE_AUDIT_ENTRY;
}

static guint
desk_audit_list_get_n_items (GListModel *model)
{
  return DESK_AUDIT_LIST (model)->n_items;
}

static gpointer
desk_audit_list_get_item (GListModel *model,
                          guint       position)
{
  DeskAuditList *self = DESK_AUDIT_LIST (model);
  guint page_number = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_number));
  if (page != NULL)
    {
      g_queue_remove (&self->lru, page);
      g_queue_push_head (&self->lru, page);
    }
  else
    {
      page = fetch_page (self, page_number);
      if (page == NULL)
        return NULL;
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_number), page);
      g_queue_push_head (&self->lru, page);
      while (self->lru.length > MAX_PAGES)
        {
          Page *old = g_queue_pop_tail (&self->lru);

          g_hash_table_remove (self->pages, GUINT_TO_POINTER (old->page));
        }
    }

  return g_object_ref (g_ptr_array_index (page->items, position - page_number * PAGE_SIZE));
}

static void
desk_audit_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = desk_audit_list_get_item_type;
  iface->get_n_items = desk_audit_list_get_n_items;
  iface->get_item = desk_audit_list_get_item;
}

/* Overrides */

static void
desk_audit_list_dispose (GObject *object)
{
  DeskAuditList *self = (DeskAuditList *) object;

  cancel_pending_query (self);
  cancel_query (self);

  G_OBJECT_CLASS (desk_audit_list_parent_class)->dispose (object);
}

static void
desk_audit_list_finalize (GObject *object)
{
  DeskAuditList *self = (DeskAuditList *) object;

  g_queue_clear (&self->lru);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->actions_json, g_free);
  g_clear_pointer (&self->filter, desk_audit_filter_free);
  g_clear_error (&self->error);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (desk_audit_list_parent_class)->finalize (object);
}

static void
desk_audit_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DeskAuditList *self = DESK_AUDIT_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_FILTER:
      g_value_set_boxed (value, self->filter);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_audit_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DeskAuditList *self = DESK_AUDIT_LIST (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      desk_audit_list_set_filter (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_audit_list_class_init (DeskAuditListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_audit_list_dispose;
  object_class->finalize = desk_audit_list_finalize;
  object_class->get_property = desk_audit_list_get_property;
  object_class->set_property = desk_audit_list_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DESK_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER] =
    g_param_spec_boxed ("filter", NULL, NULL, DESK_TYPE_AUDIT_FILTER,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_audit_list_init (DeskAuditList *self)
{
  self->filter = desk_audit_filter_new ();
  self->keys = g_array_new (FALSE, FALSE, sizeof (Key));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  g_queue_init (&self->lru);
}

/* Private API */

guint
_desk_audit_list_get_keys_held (DeskAuditList *self)
{
  return self->keys->len;
}

/* Public API */

DeskAuditList *
desk_audit_list_new (DeskSession  *session,
                     GError      **error)
{
  DeskAuditList *self;

  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!desk_session_require (session, DESK_PERMISSION_VIEW_AUDIT, error))
    return NULL;

  self = g_object_new (DESK_TYPE_AUDIT_LIST, NULL);
  self->session = g_object_ref (session);
  return self;
}

DeskSession *
desk_audit_list_get_session (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), NULL);
  return self->session;
}

const DeskAuditFilter *
desk_audit_list_get_filter (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), NULL);
  return self->filter;
}

void
desk_audit_list_set_filter (DeskAuditList         *self,
                            const DeskAuditFilter *filter)
{
  g_return_if_fail (DESK_IS_AUDIT_LIST (self));
  g_return_if_fail (filter == NULL || filter->action == NULL ||
                    desk_audit_action_is_valid (filter->action));

  if (desk_audit_filter_equal (self->filter, filter))
    return;

  desk_audit_filter_free (self->filter);
  self->filter = filter != NULL ? desk_audit_filter_copy (filter) : desk_audit_filter_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
  schedule_query (self);
}

gboolean
desk_audit_list_get_loading (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), FALSE);
  return self->loading;
}

const GError *
desk_audit_list_get_error (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), NULL);
  return self->error;
}

void
desk_audit_list_reload (DeskAuditList *self)
{
  g_return_if_fail (DESK_IS_AUDIT_LIST (self));
  schedule_query (self);
}

gboolean
desk_audit_list_load_sync (DeskAuditList  *self,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(Query) query = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Supersedes a background query. */
  cancel_pending_query (self);
  cancel_query (self);
  set_loading (self, FALSE);
  g_clear_error (&self->error);

  if (!desk_session_require (self->session, DESK_PERMISSION_VIEW_AUDIT, &local_error))
    goto failed;

  query = query_new (self);
  if (cancellable != NULL)
    query->cancellable = g_object_ref (cancellable);
  if (!run_query (query, &local_error))
    goto failed;

  take_result (self, query);
  return TRUE;

failed:
  self->error = g_error_copy (local_error);
  clear_items (self);
  g_propagate_error (error, local_error);
  return FALSE;
}

guint
desk_audit_list_get_rows_fetched (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), 0);
  return self->rows_fetched;
}
