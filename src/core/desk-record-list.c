/* desk-record-list.c: a GListModel of members or clients paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DeskPagedList whose query yields the ordered ids of the matching rows
 * (8 bytes a row), and whose pages are those rows read by id.  The first
 * FIRST_CHUNK ids are handed over as soon as they are known, so that a
 * search shows its first screen before the whole match set is counted.
 *
 * Searching: every word of the search must occur in the record's folded
 * search text.  For clients, the trigram index answers what it can
 * (desk-client-search.h), ranked by the client order that the full list
 * leaves behind.  Searches of one-letter words only, and members, walk the
 * name index, which is covering, and find the first screen in a few pages.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-client.h"
#include "desk-client-search.h"
#include "desk-enums.h"
#include "desk-member.h"
#include "desk-paged-list-private.h"
#include "desk-record-list.h"
#include "desk-search-text.h"
#include "desk-store-private.h"

#define FIRST_CHUNK 32

typedef enum
{
  LIST_MEMBERS,
  LIST_CLIENTS,
} ListKind;

struct _DeskRecordList
{
  DeskPagedList           parent_instance;

  ListKind                kind;
  DeskMemberStatus        member_status;
  char                   *search;
  DeskClientStatusFilter  status_filter;
  DeskPortalFilter        portal_filter;
  GError                 *search_error;  /* why the search is refused, or NULL */
};

G_DEFINE_FINAL_TYPE (DeskRecordList, desk_record_list, DESK_TYPE_PAGED_LIST)

enum {
  PROP_0,
  PROP_SEARCH,
  PROP_STATUS_FILTER,
  PROP_PORTAL_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A query, copied for the worker. */
typedef struct
{
  ListKind                kind;
  DeskMemberStatus        member_status;
  char                  **terms;         /* folded words */
  DeskClientStatusFilter  status_filter;
  DeskPortalFilter        portal_filter;
  DeskClientOrder        *order;         /* ranks for search hits, or NULL */
  DeskClientOrder        *new_order;     /* made by an unfiltered client query */
  DeskPagedQuery         *paged;         /* while it runs */
} Query;

/* Helpers */

static void
query_free (gpointer data)
{
  Query *query = data;

  g_strfreev (query->terms);
  g_clear_pointer (&query->order, _desk_client_order_unref);
  g_clear_pointer (&query->new_order, _desk_client_order_unref);
  g_free (query);
}

/* NULL for a search desk_search_text_check() refuses: it matches nothing. */
static char **
split_terms (const char *search)
{
  g_autofree char *folded = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) words = NULL;

  if (!desk_search_text_check (search, NULL))
    return NULL;
  folded = _desk_fold_for_search (search);
  builder = g_strv_builder_new ();
  words = g_strsplit (folded, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] != '\0')
        g_strv_builder_add (builder, words[i]);
    }

  return g_strv_builder_end (builder);
}

static gpointer
desk_record_list_query_new (DeskPagedList  *list,
                            GError        **error)
{
  DeskRecordList *self = DESK_RECORD_LIST (list);
  Query *query = g_new0 (Query, 1);

  query->kind = self->kind;
  query->member_status = self->member_status;
  query->terms = split_terms (self->search);
  query->status_filter = self->status_filter;
  query->portal_filter = self->portal_filter;
  if (self->kind == LIST_CLIENTS)
    query->order = _desk_store_dup_client_order (desk_paged_list_get_store (list));
  return query;
}

static const char *
status_filter_string (DeskClientStatusFilter filter)
{
  if (filter == DESK_CLIENT_STATUS_FILTER_ANY)
    return NULL;
  return filter == DESK_CLIENT_STATUS_FILTER_ACTIVE ? "active" : "inactive";
}

static const char *
portal_filter_string (DeskPortalFilter filter)
{
  if (filter == DESK_PORTAL_FILTER_ANY)
    return NULL;
  return filter == DESK_PORTAL_FILTER_ENABLED ? "enabled" : "disabled";
}

/* The WHERE clauses of a walk of the name order; binds start at ?10. */
static void
append_filters (const Query *query,
                GString     *sql)
{
  if (query->kind == LIST_MEMBERS || query->status_filter != DESK_CLIENT_STATUS_FILTER_ANY)
    g_string_append (sql, " AND status = ?10");
  if (query->kind == LIST_CLIENTS && query->portal_filter != DESK_PORTAL_FILTER_ANY)
    g_string_append (sql, " AND portal_access = ?11");
  for (guint i = 0; query->terms[i] != NULL; i++)
    g_string_append_printf (sql, " AND instr (search_text, ?%u) > 0", 20 + i);
}

static void
bind_filters (const Query  *query,
              sqlite3_stmt *stmt)
{
  if (query->kind == LIST_MEMBERS)
    sqlite3_bind_text (stmt, 10, desk_member_status_to_string (query->member_status), -1,
                       SQLITE_STATIC);
  else
    {
      sqlite3_bind_text (stmt, 10, status_filter_string (query->status_filter), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, portal_filter_string (query->portal_filter), -1,
                         SQLITE_STATIC);
    }
  for (guint i = 0; query->terms[i] != NULL; i++)
    sqlite3_bind_text (stmt, 20 + i, query->terms[i], -1, SQLITE_STATIC);
}

static DeskPagedResult *
ids_result (GArray *ids)
{
  return desk_paged_result_new (ids->len, g_array_ref (ids), (GDestroyNotify) g_array_unref);
}

static void
hand_over (const gint64 *ids,
           guint         n,
           gpointer      user_data)
{
  Query *query = user_data;
  g_autoptr(GArray) copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_autoptr(DeskPagedResult) partial = NULL;

  g_array_append_vals (copy, ids, n);
  partial = ids_result (copy);
  desk_paged_query_hand_over (query->paged, partial);
}

/* Walks the name order (the index is covering), testing each row, and
 * hands the first screen over as soon as it is full: for lists without a
 * search, searches of one-letter words, and whatever the trigram index
 * cannot rank. */
static gboolean
run_scan (sqlite3   *db,
          Query     *query,
          GArray    *ids,
          GError   **error)
{
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (query->kind == LIST_MEMBERS)
    sql = g_string_new ("SELECT id FROM members INDEXED BY members_sort WHERE 1");
  else
    sql = g_string_new ("SELECT id FROM clients INDEXED BY clients_sort WHERE 1");
  append_filters (query, sql);
  g_string_append (sql, query->kind == LIST_MEMBERS ? " ORDER BY status, sort_key, id"
                                                    : " ORDER BY sort_key, id");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_filters (query, stmt);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
          if (ids->len == FIRST_CHUNK)
            hand_over ((const gint64 *) (gpointer) ids->data, ids->len, query);
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("searching the clinic record"));
      return FALSE;
    }
  return TRUE;
}

static DeskPagedResult *
desk_record_list_query_run (DeskPagedQuery  *paged,
                            sqlite3         *db,
                            GError         **error)
{
  Query *query = desk_paged_query_get_data (paged);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1024);
  gboolean handled = FALSE;

  query->paged = paged;
  if (query->terms == NULL)
    return ids_result (ids);

  if (query->kind == LIST_CLIENTS && query->terms[0] != NULL)
    {
      DeskClientSearch search = {
        .terms = query->terms,
        .status = status_filter_string (query->status_filter),
        .portal = portal_filter_string (query->portal_filter),
        .order = query->order,
        .cancellable = desk_paged_query_get_cancellable (paged),
        .first_screen = FIRST_CHUNK,
        .hand_over = hand_over,
        .user_data = query,
      };

      if (!_desk_client_search_run (db, &search, ids, &handled, error))
        return NULL;
    }
  if (!handled && !run_scan (db, query, ids, error))
    return NULL;

  /* The whole client list, in name order: keep it to rank later searches. */
  if (query->kind == LIST_CLIENTS && query->terms[0] == NULL &&
      query->status_filter == DESK_CLIENT_STATUS_FILTER_ANY &&
      query->portal_filter == DESK_PORTAL_FILTER_ANY)
    {
      g_autofree char *alphabet =
        _desk_client_search_read_alphabet (db, desk_paged_query_get_cancellable (paged), error);

      if (alphabet == NULL)
        return NULL;
      query->new_order = _desk_client_order_new ((const gint64 *) (gpointer) ids->data, ids->len,
                                                 alphabet);
    }

  return ids_result (ids);
}

static void
desk_record_list_query_landed (DeskPagedList *list,
                               gpointer       data)
{
  Query *query = data;

  if (query->new_order != NULL)
    _desk_store_set_client_order (desk_paged_list_get_store (list), query->new_order);
}

static guint
desk_record_list_same_prefix (DeskPagedList         *list,
                              const DeskPagedResult *old,
                              const DeskPagedResult *result)
{
  GArray *a = desk_paged_result_get_data (old);
  GArray *b = desk_paged_result_get_data (result);
  guint prefix = 0;

  if (a == NULL || b == NULL)
    return 0;
  while (prefix < a->len && prefix < b->len &&
         g_array_index (a, gint64, prefix) == g_array_index (b, gint64, prefix))
    prefix++;
  return prefix;
}

static GPtrArray *
desk_record_list_fetch_page (DeskPagedList         *list,
                             const DeskPagedResult *result,
                             guint                  first,
                             guint                  n,
                             GError               **error)
{
  DeskRecordList *self = DESK_RECORD_LIST (list);
  DeskStore *store = desk_paged_list_get_store (list);
  GArray *ids = desk_paged_result_get_data (result);
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GHashTable) by_id = NULL;
  GPtrArray *items;
  sqlite3_stmt *stmt;
  int rc;

  if (self->kind == LIST_MEMBERS)
    stmt = _desk_store_prepare (store,
                                "SELECT " DESK_MEMBER_COLUMNS " FROM members m"
                                " WHERE m.id IN (SELECT value FROM json_each (?))",
                                error);
  else
    stmt = _desk_store_prepare (store,
                                "SELECT " DESK_CLIENT_COLUMNS " FROM clients c"
                                " WHERE c.id IN (SELECT value FROM json_each (?))",
                                error);
  if (stmt == NULL)
    return NULL;

  for (guint i = first; i < first + n; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  sqlite3_bind_text (stmt, 1, json->str, -1, SQLITE_STATIC);

  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GObject *item = self->kind == LIST_MEMBERS
                        ? G_OBJECT (_desk_member_new_from_row (stmt))
                        : G_OBJECT (_desk_client_new_from_row (stmt));
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 0);
      g_object_set_data_full (item, "desk-id", id, g_free);
      g_hash_table_insert (by_id, id, item);
      _desk_paged_list_add_fetched (list, 1);
    }
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_store_get_db (store), rc,
                             _("reading the clinic record"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = first; i < first + n; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      GObject *item = g_hash_table_lookup (by_id, &id);

      /* A row cannot vanish (nothing is deleted), but keep the list whole. */
      if (item == NULL)
        item = g_object_new (desk_record_list_get_record_type (self), NULL);
      else
        g_object_ref (item);
      g_ptr_array_add (items, item);
    }

  return items;
}

static GType
desk_record_list_get_item_type (DeskPagedList *list)
{
  return desk_record_list_get_record_type (DESK_RECORD_LIST (list));
}

/* Overrides */

static void
desk_record_list_finalize (GObject *object)
{
  DeskRecordList *self = (DeskRecordList *) object;

  g_clear_pointer (&self->search, g_free);
  g_clear_error (&self->search_error);

  G_OBJECT_CLASS (desk_record_list_parent_class)->finalize (object);
}

static void
desk_record_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskRecordList *self = DESK_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_STATUS_FILTER:
      g_value_set_enum (value, self->status_filter);
      break;
    case PROP_PORTAL_FILTER:
      g_value_set_enum (value, self->portal_filter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_record_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DeskRecordList *self = DESK_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_SEARCH:
      desk_record_list_set_search (self, g_value_get_string (value));
      break;
    case PROP_STATUS_FILTER:
      desk_record_list_set_status_filter (self, g_value_get_enum (value));
      break;
    case PROP_PORTAL_FILTER:
      desk_record_list_set_portal_filter (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_record_list_class_init (DeskRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DeskPagedListClass *list_class = DESK_PAGED_LIST_CLASS (klass);

  object_class->finalize = desk_record_list_finalize;
  object_class->get_property = desk_record_list_get_property;
  object_class->set_property = desk_record_list_set_property;

  list_class->page_size = 64;
  list_class->max_pages = 64;
  list_class->get_item_type = desk_record_list_get_item_type;
  list_class->query_new = desk_record_list_query_new;
  list_class->query_free = query_free;
  list_class->query_run = desk_record_list_query_run;
  list_class->query_landed = desk_record_list_query_landed;
  list_class->same_prefix = desk_record_list_same_prefix;
  list_class->fetch_page = desk_record_list_fetch_page;

  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_FILTER] =
    g_param_spec_enum ("status-filter", NULL, NULL, DESK_TYPE_CLIENT_STATUS_FILTER,
                       DESK_CLIENT_STATUS_FILTER_ANY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORTAL_FILTER] =
    g_param_spec_enum ("portal-filter", NULL, NULL, DESK_TYPE_PORTAL_FILTER,
                       DESK_PORTAL_FILTER_ANY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_record_list_init (DeskRecordList *self)
{
  self->search = g_strdup ("");
}

/* Public API */

static DeskRecordList *
record_list_new (DeskStore *store,
                 ListKind   kind)
{
  DeskRecordList *self = g_object_new (DESK_TYPE_RECORD_LIST, "store", store, NULL);

  self->kind = kind;
  return self;
}

/**
 * desk_record_list_new_members:
 *
 * The list starts empty: desk_record_list_reload() loads it in the
 * background, desk_record_list_load_sync() at once.
 */
DeskRecordList *
desk_record_list_new_members (DeskStore        *store,
                              DeskMemberStatus  status)
{
  DeskRecordList *self;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  self = record_list_new (store, LIST_MEMBERS);
  self->member_status = status;
  return self;
}

DeskRecordList *
desk_record_list_new_clients (DeskStore *store)
{
  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  return record_list_new (store, LIST_CLIENTS);
}

DeskStore *
desk_record_list_get_store (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), NULL);
  return desk_paged_list_get_store (DESK_PAGED_LIST (self));
}

GType
desk_record_list_get_record_type (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), G_TYPE_INVALID);
  return self->kind == LIST_MEMBERS ? DESK_TYPE_MEMBER : DESK_TYPE_CLIENT;
}

const char *
desk_record_list_get_search (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), NULL);
  return self->search;
}

void
desk_record_list_set_search (DeskRecordList *self,
                             const char     *search)
{
  g_return_if_fail (DESK_IS_RECORD_LIST (self));

  if (search == NULL)
    search = "";
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  g_clear_error (&self->search_error);
  desk_search_text_check (self->search, &self->search_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
  _desk_paged_list_schedule (DESK_PAGED_LIST (self));
}

DeskClientStatusFilter
desk_record_list_get_status_filter (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), DESK_CLIENT_STATUS_FILTER_ANY);
  return self->status_filter;
}

void
desk_record_list_set_status_filter (DeskRecordList         *self,
                                    DeskClientStatusFilter  filter)
{
  g_return_if_fail (DESK_IS_RECORD_LIST (self));

  if (self->status_filter == filter)
    return;
  self->status_filter = filter;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_FILTER]);
  _desk_paged_list_schedule (DESK_PAGED_LIST (self));
}

DeskPortalFilter
desk_record_list_get_portal_filter (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), DESK_PORTAL_FILTER_ANY);
  return self->portal_filter;
}

void
desk_record_list_set_portal_filter (DeskRecordList   *self,
                                    DeskPortalFilter  filter)
{
  g_return_if_fail (DESK_IS_RECORD_LIST (self));

  if (self->portal_filter == filter)
    return;
  self->portal_filter = filter;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_FILTER]);
  _desk_paged_list_schedule (DESK_PAGED_LIST (self));
}

gboolean
desk_record_list_get_loading (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), FALSE);
  return desk_paged_list_get_loading (DESK_PAGED_LIST (self));
}

const GError *
desk_record_list_get_error (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), NULL);
  if (self->search_error != NULL)
    return self->search_error;
  return desk_paged_list_get_error (DESK_PAGED_LIST (self));
}

void
desk_record_list_reload (DeskRecordList *self)
{
  g_return_if_fail (DESK_IS_RECORD_LIST (self));
  desk_paged_list_reload (DESK_PAGED_LIST (self));
}

void
desk_record_list_refresh (DeskRecordList *self)
{
  g_return_if_fail (DESK_IS_RECORD_LIST (self));
  desk_paged_list_refresh (DESK_PAGED_LIST (self));
}

gboolean
desk_record_list_load_sync (DeskRecordList  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!desk_paged_list_load_sync (DESK_PAGED_LIST (self), cancellable, error))
    return FALSE;
  if (self->search_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->search_error));
      return FALSE;
    }
  return TRUE;
}

guint
desk_record_list_get_rows_fetched (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), 0);
  return desk_paged_list_get_rows_fetched (DESK_PAGED_LIST (self));
}

GBytes *
desk_record_list_dup_ids (DeskRecordList *self)
{
  const DeskPagedResult *result;
  GArray *ids;
  guint n_items;

  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), NULL);

  result = _desk_paged_list_get_result (DESK_PAGED_LIST (self));
  ids = desk_paged_result_get_data (result);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self));
  if (ids == NULL || n_items == 0)
    return g_bytes_new (NULL, 0);
  /* A result's ids are never changed once it is made: shared, not copied. */
  g_assert (n_items <= ids->len);
  return g_bytes_new_with_free_func (ids->data, n_items * sizeof (gint64),
                                     (GDestroyNotify) g_array_unref, g_array_ref (ids));
}
