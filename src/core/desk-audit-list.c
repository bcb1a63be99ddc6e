/* desk-audit-list.c: the audit log as a GListModel, paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The log has millions of entries, so the list never holds them.  A
 * DeskPagedList whose query runs on a worker thread, inside one read
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
#include "desk-paged-list-private.h"
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

struct _DeskAuditList
{
  DeskPagedList    parent_instance;

  DeskSession     *session;
  DeskAuditFilter *filter;
};

G_DEFINE_FINAL_TYPE (DeskAuditList, desk_audit_list, DESK_TYPE_PAGED_LIST)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A query, and what it found: the keys of a result. */
typedef struct
{
  DeskAuditFilter *filter;
  Mode             mode;
  GArray          *keys;          /* Key */
  char            *actions_json;  /* the actions of a prefix, for MODE_PAGES */
} Keys;

/* Helpers */

static void
keys_free (gpointer data)
{
  Keys *keys = data;

  desk_audit_filter_free (keys->filter);
  g_clear_pointer (&keys->keys, g_array_unref);
  g_free (keys->actions_json);
  g_free (keys);
}

static Keys *
keys_copy (const Keys *keys)
{
  Keys *copy = g_new0 (Keys, 1);

  copy->filter = desk_audit_filter_copy (keys->filter);
  copy->mode = keys->mode;
  copy->keys = g_array_copy (keys->keys);
  copy->actions_json = g_strdup (keys->actions_json);
  return copy;
}

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

static gpointer
desk_audit_list_query_new (DeskPagedList  *list,
                           GError        **error)
{
  DeskAuditList *self = DESK_AUDIT_LIST (list);
  Keys *query;

  /* Whatever asks, the log is for those who may view it. */
  if (!desk_session_require (self->session, DESK_PERMISSION_VIEW_AUDIT, error))
    return NULL;

  query = g_new0 (Keys, 1);
  query->filter = desk_audit_filter_copy (self->filter);
  query->mode = mode_for (self->filter);
  query->keys = g_array_new (FALSE, FALSE, sizeof (Key));
  return query;
}

static DeskPagedResult *
walk (sqlite3         *db,
      DeskPagedQuery  *paged,
      Keys            *query,
      GError         **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT a.at, a.id FROM audit_log a");
  gboolean handed_over = FALSE;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  _desk_audit_filter_append_where (query->filter, FALSE, sql);
  g_string_append (sql, " ORDER BY a.at DESC, a.id DESC");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  _desk_audit_filter_bind (query->filter, NULL, stmt);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (query->mode == MODE_ROWS || n % PAGE_SIZE == 0)
        {
          Key key = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

          g_array_append_val (query->keys, key);
        }
      n++;

      /* The first pages, each with the key of the page after it. */
      if (!handed_over && n == FIRST_PAGES * PAGE_SIZE + 1)
        {
          g_autoptr(DeskPagedResult) partial =
            desk_paged_result_new (FIRST_PAGES * PAGE_SIZE, keys_copy (query), keys_free);

          desk_paged_query_hand_over (paged, partial);
          handed_over = TRUE;
        }
    }
  if (rc != SQLITE_DONE)
    goto failed;

  sqlite3_finalize (stmt);
  return desk_paged_result_new (n, keys_copy (query), keys_free);

failed:
  sqlite3_finalize (stmt);
  _desk_db_set_error (error, db, rc, _("reading the audit log"));
  return NULL;
}

static DeskPagedResult *
desk_audit_list_query_run (DeskPagedQuery  *paged,
                           sqlite3         *db,
                           GError         **error)
{
  Keys *query = desk_paged_query_get_data (paged);

  /* One snapshot: the pages handed over early are the first of the whole.
   * The list ends the transaction. */
  if (!_desk_db_exec (db, "BEGIN", error))
    return NULL;
  if (query->mode == MODE_PAGES && _desk_audit_filter_is_prefix (query->filter))
    {
      query->actions_json = _desk_audit_collect_actions (db, query->filter->action, TRUE, error);
      if (query->actions_json == NULL)
        return NULL;
    }
  return walk (db, paged, query, error);
}

/* The first pages of the same query (or an unchanged log) stay. */
static guint
desk_audit_list_same_prefix (DeskPagedList         *list,
                             const DeskPagedResult *old,
                             const DeskPagedResult *result)
{
  const Keys *a = desk_paged_result_get_data (old);
  const Keys *b = desk_paged_result_get_data (result);
  guint n_keys = 0;

  if (a == NULL || b == NULL || a->mode != b->mode ||
      !desk_audit_filter_equal (a->filter, b->filter) ||
      g_strcmp0 (a->actions_json, b->actions_json) != 0)
    return 0;
  while (n_keys < a->keys->len && n_keys < b->keys->len &&
         memcmp (&g_array_index (a->keys, Key, n_keys), &g_array_index (b->keys, Key, n_keys),
                 sizeof (Key)) == 0)
    n_keys++;

  if (a->mode == MODE_ROWS)
    return n_keys;
  /* A page is the same when it starts and ends at the same keys. */
  if (n_keys == a->keys->len && n_keys == b->keys->len &&
      desk_paged_result_get_n_items (old) == desk_paged_result_get_n_items (result))
    return desk_paged_result_get_n_items (old);
  return n_keys > 0 ? (n_keys - 1) * PAGE_SIZE : 0;
}

/* One page: an indexed range between its key and the next page's (MODE_PAGES),
 * or its entries by number (MODE_ROWS). */
static GPtrArray *
desk_audit_list_fetch_page (DeskPagedList         *list,
                            const DeskPagedResult *result,
                            guint                  first,
                            guint                  n,
                            GError               **error)
{
  DeskAuditList *self = DESK_AUDIT_LIST (list);
  const Keys *keys = desk_paged_result_get_data (result);
  g_autoptr(GString) sql = g_string_new ("SELECT " DESK_AUDIT_ENTRY_COLUMNS " FROM audit_log a");
  g_autoptr(GString) ids = NULL;
  g_autoptr(GPtrArray) items = NULL;
  sqlite3 *db = _desk_store_get_db (desk_paged_list_get_store (list));
  sqlite3_stmt *stmt = NULL;
  guint page_number = first / PAGE_SIZE;
  int rc;

  if (!desk_session_require (self->session, DESK_PERMISSION_VIEW_AUDIT, error))
    return NULL;

  if (keys->mode == MODE_PAGES)
    {
      g_string_append (sql, index_for (keys->filter));
      g_string_append (sql, DESK_AUDIT_ENTRY_JOIN);
      _desk_audit_filter_append_where (keys->filter, TRUE, sql);
      g_string_append (sql, " AND a.at <= ?8 AND (a.at < ?8 OR a.id <= ?9)");
      if (page_number + 1 < keys->keys->len)
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

  if (keys->mode == MODE_PAGES)
    {
      const Key *key = &g_array_index (keys->keys, Key, page_number);

      _desk_audit_filter_bind (keys->filter, keys->actions_json, stmt);
      sqlite3_bind_int64 (stmt, 8, key->at);
      sqlite3_bind_int64 (stmt, 9, key->id);
      if (page_number + 1 < keys->keys->len)
        {
          const Key *next = &g_array_index (keys->keys, Key, page_number + 1);

          sqlite3_bind_int64 (stmt, 10, next->at);
          sqlite3_bind_int64 (stmt, 11, next->id);
        }
      sqlite3_bind_int (stmt, 12, n);
    }
  else
    {
      ids = g_string_new ("[");
      for (guint i = first; i < first + n; i++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                                g_array_index (keys->keys, Key, i).id);
      g_string_append_c (ids, ']');
      sqlite3_bind_text (stmt, 13, ids->str, -1, SQLITE_STATIC);
    }

  items = g_ptr_array_new_full (n, g_object_unref);
  while (items->len < n && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (items, _desk_audit_entry_new_from_row (stmt));
      _desk_paged_list_add_fetched (list, 1);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto failed;
  sqlite3_finalize (stmt);

  /* Entries are never removed, but keep the list whole if a page came up short. */
  while (items->len < n)
    g_ptr_array_add (items, _desk_audit_entry_new (0, 0, 0, NULL, NULL, NULL, NULL, 0,
                                                   NULL, NULL, NULL));
  return g_steal_pointer (&items);

failed:
  _desk_db_set_error (error, db, rc, _("reading the audit log"));
  sqlite3_finalize (stmt);
  return NULL;
}

static GType
desk_audit_list_get_item_type (DeskPagedList *list)
{
  return DESK_TYPE_AUDIT_ENTRY;
}

/* Overrides */

static void
desk_audit_list_finalize (GObject *object)
{
  DeskAuditList *self = (DeskAuditList *) object;

  g_clear_pointer (&self->filter, desk_audit_filter_free);
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
  DeskPagedListClass *list_class = DESK_PAGED_LIST_CLASS (klass);

  object_class->finalize = desk_audit_list_finalize;
  object_class->get_property = desk_audit_list_get_property;
  object_class->set_property = desk_audit_list_set_property;

  list_class->page_size = PAGE_SIZE;
  list_class->max_pages = MAX_PAGES;
  list_class->clear_on_error = TRUE;
  list_class->get_item_type = desk_audit_list_get_item_type;
  list_class->query_new = desk_audit_list_query_new;
  list_class->query_free = keys_free;
  list_class->query_run = desk_audit_list_query_run;
  list_class->same_prefix = desk_audit_list_same_prefix;
  list_class->fetch_page = desk_audit_list_fetch_page;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DESK_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER] =
    g_param_spec_boxed ("filter", NULL, NULL, DESK_TYPE_AUDIT_FILTER,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_audit_list_init (DeskAuditList *self)
{
  self->filter = desk_audit_filter_new ();
}

/* Private API */

guint
_desk_audit_list_get_keys_held (DeskAuditList *self)
{
  const Keys *keys = desk_paged_result_get_data (_desk_paged_list_get_result (DESK_PAGED_LIST (self)));

  return keys != NULL ? keys->keys->len : 0;
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

  self = g_object_new (DESK_TYPE_AUDIT_LIST, "store", desk_session_get_store (session), NULL);
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
  _desk_paged_list_schedule (DESK_PAGED_LIST (self));
}

gboolean
desk_audit_list_get_loading (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), FALSE);
  return desk_paged_list_get_loading (DESK_PAGED_LIST (self));
}

const GError *
desk_audit_list_get_error (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), NULL);
  return desk_paged_list_get_error (DESK_PAGED_LIST (self));
}

void
desk_audit_list_reload (DeskAuditList *self)
{
  g_return_if_fail (DESK_IS_AUDIT_LIST (self));
  desk_paged_list_reload (DESK_PAGED_LIST (self));
}

gboolean
desk_audit_list_load_sync (DeskAuditList  *self,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), FALSE);
  return desk_paged_list_load_sync (DESK_PAGED_LIST (self), cancellable, error);
}

guint
desk_audit_list_get_rows_fetched (DeskAuditList *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_LIST (self), 0);
  return desk_paged_list_get_rows_fetched (DESK_PAGED_LIST (self));
}
