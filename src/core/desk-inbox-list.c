/* desk-inbox-list.c: the signed-in member's inbox as a GListModel, paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A member can hold a hundred thousand messages in a clinic of twenty
 * million, so the list never holds them.  The query walks the member's
 * inbox along inbox_items_member (member, folder, arrival, and the item id
 * that every index ends with), newest first, and keeps only the count and
 * the key (arrival, id) of the first item of each page: 16 bytes for 64
 * messages, and never a row of another member's.  A page is one indexed
 * range read on the main thread, between its key and the next page's, with
 * the sender, the client and the provenance joined by primary key: about
 * PAGE_SIZE rows whatever the size of the inbox.  The first FIRST_PAGES
 * pages are handed over as soon as they are known.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-inbox-list.h"
#include "desk-inbox-private.h"
#include "desk-member.h"
#include "desk-paged-list-private.h"
#include "desk-session.h"
#include "desk-store.h"
#include "desk-store-private.h"

#define PAGE_SIZE 64
#define MAX_PAGES 32
#define FIRST_PAGES 4

typedef struct
{
  gint64 at;
  gint64 id;
} Key;

struct _DeskInboxList
{
  DeskPagedList  parent_instance;

  DeskSession   *session;
};

G_DEFINE_FINAL_TYPE (DeskInboxList, desk_inbox_list, DESK_TYPE_PAGED_LIST)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A query, and what it found: whose inbox, and the first key of each page. */
typedef struct
{
  gint64  member_id;
  GArray *keys;          /* Key */
} Keys;

/* Helpers */

static void
keys_free (gpointer data)
{
  Keys *keys = data;

  g_clear_pointer (&keys->keys, g_array_unref);
  g_free (keys);
}

static Keys *
keys_copy (const Keys *keys)
{
  Keys *copy = g_new0 (Keys, 1);

  copy->member_id = keys->member_id;
  copy->keys = g_array_copy (keys->keys);
  return copy;
}

/* The member whose inbox this is, while their session holds: signed in,
 * and still active. */
static gint64
session_member_id (DeskInboxList  *self,
                   GError        **error)
{
  if (!desk_session_require (self->session, 0, error))
    return 0;
  return desk_member_get_id (desk_session_get_member (self->session));
}

static gpointer
desk_inbox_list_query_new (DeskPagedList  *list,
                           GError        **error)
{
  DeskInboxList *self = DESK_INBOX_LIST (list);
  gint64 member_id = session_member_id (self, error);
  Keys *query;

  if (member_id == 0)
    return NULL;

  query = g_new0 (Keys, 1);
  query->member_id = member_id;
  query->keys = g_array_new (FALSE, FALSE, sizeof (Key));
  return query;
}

static DeskPagedResult *
desk_inbox_list_query_run (DeskPagedQuery  *paged,
                           sqlite3         *db,
                           GError         **error)
{
  Keys *query = desk_paged_query_get_data (paged);
  gboolean handed_over = FALSE;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  /* One snapshot: the pages handed over early are the first of the whole.
   * The list ends the transaction. */
  if (!_desk_db_exec (db, "BEGIN", error))
    return NULL;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT received_at, id FROM inbox_items INDEXED BY inbox_items_member"
                           " WHERE member_id = ?1 AND folder = 'inbox'"
                           " ORDER BY received_at DESC, id DESC",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, query->member_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n % PAGE_SIZE == 0)
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
  _desk_db_set_error (error, db, rc, _("reading the inbox"));
  sqlite3_finalize (stmt);
  return NULL;
}

/* The first pages of an unchanged inbox stay. */
static guint
desk_inbox_list_same_prefix (DeskPagedList         *list,
                             const DeskPagedResult *old,
                             const DeskPagedResult *result)
{
  const Keys *a = desk_paged_result_get_data (old);
  const Keys *b = desk_paged_result_get_data (result);
  guint n_keys = 0;

  if (a == NULL || b == NULL || a->member_id != b->member_id)
    return 0;
  while (n_keys < a->keys->len && n_keys < b->keys->len &&
         memcmp (&g_array_index (a->keys, Key, n_keys), &g_array_index (b->keys, Key, n_keys),
                 sizeof (Key)) == 0)
    n_keys++;

  /* A page is the same when it starts and ends at the same keys. */
  if (n_keys == a->keys->len && n_keys == b->keys->len &&
      desk_paged_result_get_n_items (old) == desk_paged_result_get_n_items (result))
    return desk_paged_result_get_n_items (old);
  return n_keys > 0 ? (n_keys - 1) * PAGE_SIZE : 0;
}

/* One page: an indexed range between its key and the next page's. */
static GPtrArray *
desk_inbox_list_fetch_page (DeskPagedList         *list,
                            const DeskPagedResult *result,
                            guint                  first,
                            guint                  n,
                            GError               **error)
{
  DeskInboxList *self = DESK_INBOX_LIST (list);
  const Keys *keys = desk_paged_result_get_data (result);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) sql = NULL;
  DeskStore *store = desk_paged_list_get_store (list);
  sqlite3 *db = _desk_store_get_db (store);
  guint page_number = first / PAGE_SIZE;
  gboolean last_page = page_number + 1 >= keys->keys->len;
  sqlite3_stmt *stmt = NULL;
  const Key *key;
  gint64 member_id;
  int rc;

  /* Read as the member, while their session holds (a session's member
   * never changes, so the result is theirs). */
  member_id = session_member_id (self, error);
  if (member_id == 0)
    return NULL;
  g_assert (member_id == keys->member_id);

  sql = g_string_new ("SELECT " DESK_INBOX_ITEM_COLUMNS
                      " FROM inbox_items i INDEXED BY inbox_items_member"
                      DESK_INBOX_ITEM_JOIN
                      " WHERE i.member_id = ?2 AND i.folder = 'inbox'"
                      " AND i.received_at <= ?3 AND (i.received_at < ?3 OR i.id <= ?4)");
  if (!last_page)
    g_string_append (sql, " AND i.received_at >= ?5 AND (i.received_at > ?5 OR i.id > ?6)");
  g_string_append (sql, " ORDER BY i.received_at DESC, i.id DESC LIMIT ?7");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  key = &g_array_index (keys->keys, Key, page_number);
  sqlite3_bind_int64 (stmt, 1, desk_store_get_now (store));
  sqlite3_bind_int64 (stmt, 2, keys->member_id);
  sqlite3_bind_int64 (stmt, 3, key->at);
  sqlite3_bind_int64 (stmt, 4, key->id);
  if (!last_page)
    {
      const Key *next = &g_array_index (keys->keys, Key, page_number + 1);

      sqlite3_bind_int64 (stmt, 5, next->at);
      sqlite3_bind_int64 (stmt, 6, next->id);
    }
  sqlite3_bind_int (stmt, 7, n);

  items = g_ptr_array_new_full (n, g_object_unref);
  while (items->len < n && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (items, _desk_inbox_item_new_from_row (stmt));
      _desk_paged_list_add_fetched (list, 1);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto failed;
  sqlite3_finalize (stmt);

  /* Items are never deleted, but one may have left the inbox (done, or
   * held with a deactivated member) since the query: keep the list whole
   * until it runs again. */
  while (items->len < n)
    g_ptr_array_add (items, _desk_inbox_item_new_empty ());
  return g_steal_pointer (&items);

failed:
  _desk_db_set_error (error, db, rc, _("reading the inbox"));
  sqlite3_finalize (stmt);
  return NULL;
}

static GType
desk_inbox_list_get_item_type (DeskPagedList *list)
{
  return DESK_TYPE_INBOX_ITEM;
}

/* Overrides */

static void
desk_inbox_list_finalize (GObject *object)
{
  DeskInboxList *self = (DeskInboxList *) object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (desk_inbox_list_parent_class)->finalize (object);
}

static void
desk_inbox_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DeskInboxList *self = DESK_INBOX_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_inbox_list_class_init (DeskInboxListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DeskPagedListClass *list_class = DESK_PAGED_LIST_CLASS (klass);

  object_class->finalize = desk_inbox_list_finalize;
  object_class->get_property = desk_inbox_list_get_property;

  list_class->page_size = PAGE_SIZE;
  list_class->max_pages = MAX_PAGES;
  list_class->clear_on_error = TRUE;
  list_class->get_item_type = desk_inbox_list_get_item_type;
  list_class->query_new = desk_inbox_list_query_new;
  list_class->query_free = keys_free;
  list_class->query_run = desk_inbox_list_query_run;
  list_class->same_prefix = desk_inbox_list_same_prefix;
  list_class->fetch_page = desk_inbox_list_fetch_page;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DESK_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_inbox_list_init (DeskInboxList *self)
{
}

/* Public API */

DeskInboxList *
desk_inbox_list_new (DeskSession  *session,
                     GError      **error)
{
  DeskInboxList *self;

  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!desk_session_require (session, 0, error))
    return NULL;

  self = g_object_new (DESK_TYPE_INBOX_LIST, "store", desk_session_get_store (session), NULL);
  self->session = g_object_ref (session);
  return self;
}

DeskSession *
desk_inbox_list_get_session (DeskInboxList *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_LIST (self), NULL);
  return self->session;
}
