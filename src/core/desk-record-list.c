/* desk-record-list.c: a GListModel of members or clients paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A query runs on a worker thread with its own read-only connection and
 * yields only the ordered ids of the matching rows (8 bytes a row); the rows
 * themselves are read a page at a time when the view asks for them, and at
 * most MAX_PAGES pages are kept.  The first FIRST_CHUNK ids are handed over
 * as soon as they are known, so that a search shows its first screen of
 * results before the whole match set has been counted.
 *
 * Searching: every word of the search must occur in the record's folded
 * search text.  For clients, words of two letters or more ask the trigram
 * index, whose rowids lead with a bucket, a slice of the name order (see
 * DESK_CLIENT_SEARCH_KEY): its hits come bucket by bucket in name order, so
 * the first screen is known after the first buckets, and the whole set is
 * ranked in memory by the client order that the full list leaves behind.
 * Searches of one-letter words only, and members, walk the name index,
 * which is covering, and find the first screen in a few pages.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "desk-client.h"
#include "desk-enums.h"
#include "desk-member.h"
#include "desk-record-list.h"
#include "desk-search-text.h"
#include "desk-store-private.h"

#define PAGE_SIZE 64
#define MAX_PAGES 64
#define FIRST_CHUNK 32
#define SPARSE_LIMIT 5000

typedef enum
{
  LIST_MEMBERS,
  LIST_CLIENTS,
} ListKind;

typedef struct
{
  guint      page;
  GPtrArray *items;
} Page;

/* The worker connection kept between queries, so that a search neither
 * opens the file again nor reads the pages it needs (the trigram index's
 * busiest ones) anew each time.  Shared by the list and its queries, which
 * may outlive it; a query finding it taken (another query still running)
 * opens one of its own.  It is kept only while the path still names the
 * file it was opened on: a file moved away or replaced is opened afresh,
 * and reported if it is gone. */
typedef struct
{
  GMutex   mutex;
  sqlite3 *db;      /* idle, or NULL */
  dev_t    dev;     /* the file @db reads */
  ino_t    ino;
} Reader;

/* Pages the kept connection may cache (PRAGMA cache_size, in KiB). */
#define READER_CACHE_KIB 32768

struct _DeskRecordList
{
  GObject                 parent_instance;

  DeskStore              *store;
  ListKind                kind;
  DeskMemberStatus        member_status;
  char                   *search;
  DeskClientStatusFilter  status_filter;
  DeskPortalFilter        portal_filter;

  GArray                 *ids;           /* gint64, in list order */
  GHashTable             *pages;         /* page number -> Page */
  GQueue                  lru;           /* Page, most recent first */

  guint                   generation;
  guint                   pending_source; /* coalesces changes made together */
  guint                   rest_source;    /* the rest of a first fill, after a frame */
  GArray                 *rest;
  GCancellable           *cancellable;
  gboolean                loading;
  GError                 *error;
  GError                 *search_error;  /* why the search is refused, or NULL */
  guint                   rows_fetched;
  Reader                 *reader;
};

static void desk_record_list_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskRecordList, desk_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      desk_record_list_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  PROP_STATUS_FILTER,
  PROP_PORTAL_FILTER,
  PROP_LOADING,
  PROP_N_ITEMS,
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
  char                   *path;
  GCancellable           *cancellable;
  DeskClientOrder        *order;         /* ranks for search hits, or NULL */
  DeskClientOrder        *new_order;     /* made by an unfiltered client query */
  Reader                 *reader;

  /* Handing the first chunk over to the main thread. */
  GWeakRef                list;
  guint                   generation;
  GMainContext           *context;
} Query;

typedef struct
{
  Query    *query;        /* its weak reference is only read on the main thread */
  GArray   *ids;
} Chunk;

/* Helpers */

static void
reader_clear (gpointer data)
{
  Reader *reader = data;

  g_clear_pointer (&reader->db, sqlite3_close);
  g_mutex_clear (&reader->mutex);
}

static Reader *
reader_new (void)
{
  Reader *reader = g_atomic_rc_box_new0 (Reader);

  g_mutex_init (&reader->mutex);
  return reader;
}

static void
reader_unref (Reader *reader)
{
  g_atomic_rc_box_release_full (reader, reader_clear);
}

/* The kept connection, or a new one when it is taken. */
static sqlite3 *
reader_take (Reader      *reader,
             const char  *path,
             GError     **error)
{
  sqlite3 *db;

  GStatBuf file;
  gboolean same;

  same = g_stat (path, &file) == 0;
  g_mutex_lock (&reader->mutex);
  db = g_steal_pointer (&reader->db);
  same = same && file.st_dev == reader->dev && file.st_ino == reader->ino;
  g_mutex_unlock (&reader->mutex);
  if (db != NULL && same)
    return db;
  g_clear_pointer (&db, sqlite3_close);

  db = _desk_db_open (path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, error);
  if (db == NULL)
    return NULL;
  sqlite3_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (READER_CACHE_KIB), NULL, NULL, NULL);
  if (g_stat (path, &file) == 0)
    {
      g_mutex_lock (&reader->mutex);
      reader->dev = file.st_dev;
      reader->ino = file.st_ino;
      g_mutex_unlock (&reader->mutex);
    }
  return db;
}

/* Hands @db back to be kept, unless another is kept already. */
static void
reader_give (Reader  *reader,
             sqlite3 *db)
{
  sqlite3_progress_handler (db, 0, NULL, NULL);
  g_mutex_lock (&reader->mutex);
  if (reader->db == NULL)
    reader->db = g_steal_pointer (&db);
  g_mutex_unlock (&reader->mutex);
  if (db != NULL)
    sqlite3_close (db);
}

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

  g_strfreev (query->terms);
  g_free (query->path);
  g_clear_object (&query->cancellable);
  g_clear_pointer (&query->order, _desk_client_order_unref);
  g_clear_pointer (&query->new_order, _desk_client_order_unref);
  g_weak_ref_clear (&query->list);
  g_clear_pointer (&query->context, g_main_context_unref);
  g_clear_pointer (&query->reader, reader_unref);
}

static void
query_unref (Query *query)
{
  g_atomic_rc_box_release_full (query, query_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_unref)

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

static Query *
query_new (DeskRecordList *self)
{
  Query *query = g_atomic_rc_box_new0 (Query);

  query->kind = self->kind;
  query->member_status = self->member_status;
  query->terms = split_terms (self->search);
  query->status_filter = self->status_filter;
  query->portal_filter = self->portal_filter;
  query->path = g_strdup (desk_store_get_path (self->store));
  if (self->kind == LIST_CLIENTS)
    query->order = _desk_store_dup_client_order (self->store);
  query->reader = g_atomic_rc_box_acquire (self->reader);
  g_weak_ref_init (&query->list, self);
  query->generation = self->generation;

  return query;
}

/* The WHERE clauses shared by both search paths; binds start at ?10. */
static void
append_filters (const Query *query,
                GString     *sql)
{
  if (query->kind == LIST_MEMBERS)
    {
      g_string_append (sql, " AND status = ?10");
    }
  else
    {
      if (query->status_filter != DESK_CLIENT_STATUS_FILTER_ANY)
        g_string_append (sql, " AND status = ?10");
      if (query->portal_filter != DESK_PORTAL_FILTER_ANY)
        g_string_append (sql, " AND portal_access = ?11");
    }

  for (guint i = 0; query->terms[i] != NULL; i++)
    g_string_append_printf (sql, " AND instr (search_text, ?%u) > 0", 20 + i);
}

static void
bind_filters (const Query  *query,
              sqlite3_stmt *stmt)
{
  if (query->kind == LIST_MEMBERS)
    {
      sqlite3_bind_text (stmt, 10, desk_member_status_to_string (query->member_status), -1,
                         SQLITE_STATIC);
    }
  else
    {
      if (query->status_filter != DESK_CLIENT_STATUS_FILTER_ANY)
        sqlite3_bind_text (stmt, 10,
                           query->status_filter == DESK_CLIENT_STATUS_FILTER_ACTIVE
                             ? "active" : "inactive",
                           -1, SQLITE_STATIC);
      if (query->portal_filter != DESK_PORTAL_FILTER_ANY)
        sqlite3_bind_text (stmt, 11,
                           query->portal_filter == DESK_PORTAL_FILTER_ENABLED
                             ? "enabled" : "disabled",
                           -1, SQLITE_STATIC);
    }

  for (guint i = 0; query->terms[i] != NULL; i++)
    sqlite3_bind_text (stmt, 20 + i, query->terms[i], -1, SQLITE_STATIC);
}

/* Cancels a query that is no longer wanted, between rows. */
static int
on_progress (void *data)
{
  GCancellable *cancellable = data;

  return g_cancellable_is_cancelled (cancellable);
}

static gboolean
deliver_chunk (gpointer data)
{
  Chunk *chunk = data;
  g_autoptr(DeskRecordList) self = g_weak_ref_get (&chunk->query->list);

  if (self != NULL && self->generation == chunk->query->generation && self->loading)
    {
      guint removed = self->ids->len;

      g_hash_table_remove_all (self->pages);
      g_queue_clear (&self->lru);
      g_array_set_size (self->ids, 0);
      g_array_append_vals (self->ids, chunk->ids->data, chunk->ids->len);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->ids->len);
      if (removed != self->ids->len)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  return G_SOURCE_REMOVE;
}

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  query_unref (chunk->query);
  g_array_unref (chunk->ids);
  g_free (chunk);
}

static void
hand_over_first_chunk (Query  *query,
                       GArray *ids)
{
  Chunk *chunk;

  if (query->context == NULL)
    return;

  chunk = g_new0 (Chunk, 1);
  chunk->query = g_atomic_rc_box_acquire (query);
  chunk->ids = g_array_copy (ids);
  g_main_context_invoke_full (query->context, G_PRIORITY_DEFAULT, deliver_chunk,
                              chunk, chunk_free);
}

static gboolean
collect_ids (sqlite3       *db,
             sqlite3_stmt  *stmt,
             Query         *query,
             gboolean       stream,
             GArray        *ids,
             GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      if (stream && ids->len == FIRST_CHUNK)
        hand_over_first_chunk (query, ids);
    }

  if (rc != SQLITE_DONE)
    {
      if (g_cancellable_set_error_if_cancelled (query->cancellable, error))
        return FALSE;
      _desk_db_set_error (error, db, rc, _("searching the clinic record"));
      return FALSE;
    }

  return TRUE;
}

static void
append_phrase (GString    *match,
               const char *text,
               gssize      length)
{
  const char *end = text + (length < 0 ? (gssize) strlen (text) : length);

  g_string_append_c (match, '"');
  for (const char *p = text; p < end; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

/* The trigram query for the search's words: a word of three letters or more
 * is a phrase; a two-letter word "xy" occurs exactly where a trigram "xy?" or
 * "?xy" does, for ? any character of @alphabet (NULL: such words are left to
 * SQL).  One-letter words are always left to SQL.  NULL when no word fits. */
static char *
fts_match_expression (char       **terms,
                      const char  *alphabet)
{
  GString *match = g_string_new (NULL);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      glong length = g_utf8_strlen (terms[i], -1);

      if (length < 2 || (length == 2 && (alphabet == NULL || *alphabet == '\0')))
        continue;
      if (match->len > 0)
        g_string_append (match, " AND ");
      if (length >= 3)
        {
          append_phrase (match, terms[i], -1);
          continue;
        }

      g_string_append_c (match, '(');
      for (const char *c = alphabet; *c; c = g_utf8_next_char (c))
        {
          gsize n = g_utf8_next_char (c) - c;
          g_autoptr(GString) phrase = g_string_new (terms[i]);

          if (c != alphabet)
            g_string_append (match, " OR ");
          g_string_append_len (phrase, c, n);
          append_phrase (match, phrase->str, phrase->len);
          g_string_truncate (phrase, 0);
          g_string_append_len (phrase, c, n);
          g_string_append (phrase, terms[i]);
          g_string_append (match, " OR ");
          append_phrase (match, phrase->str, phrase->len);
        }
      g_string_append_c (match, ')');
    }

  return g_string_free (match, match->len == 0);
}

typedef struct
{
  guint32 rank;
  gint64  id;
} Hit;

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *x = a, *y = b;

  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static gboolean
needs_sql_check (const Query *query)
{
  if (query->status_filter != DESK_CLIENT_STATUS_FILTER_ANY ||
      query->portal_filter != DESK_PORTAL_FILTER_ANY)
    return TRUE;
  for (guint i = 0; query->terms[i] != NULL; i++)
    if (g_utf8_strlen (query->terms[i], -1) < 2)
      return TRUE;
  return FALSE;
}

/* Appends the hits of @batch that pass the filters and the short words to
 * @passed, in the batch's order. */
static gboolean
check_batch (sqlite3       *db,
             sqlite3_stmt  *stmt,
             const Hit     *batch,
             guint          n,
             GArray        *passed,
             GError       **error)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GHashTable) ok = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ok_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  int rc;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", batch[i].id);
  g_string_append_c (json, ']');

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, json->str, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ok_ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("searching the clinic record"));
      return FALSE;
    }
  for (guint i = 0; i < ok_ids->len; i++)
    g_hash_table_add (ok, &g_array_index (ok_ids, gint64, i));

  for (guint i = 0; i < n; i++)
    if (g_hash_table_contains (ok, &batch[i].id))
      g_array_append_val (passed, batch[i]);

  return TRUE;
}

/* Checks hits[from, to) in batches of 512. */
static gboolean
check_hits (sqlite3      *db,
            sqlite3_stmt *stmt,
            GArray       *hits,
            guint         from,
            guint         to,
            GArray       *passed,
            GError      **error)
{
  for (guint i = from; i < to; i += 512)
    {
      if (!check_batch (db, stmt, &g_array_index (hits, Hit, i), MIN (512, to - i), passed,
                        error))
        return FALSE;
    }
  return TRUE;
}

/* The first screen of @known, hits from whole buckets of the index: no hit
 * still to come can rank before them. */
static void
hand_over_known (Query  *query,
                 GArray *known)
{
  g_autoptr(GArray) sorted = g_array_copy (known);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), FIRST_CHUNK);

  g_array_sort (sorted, compare_hits);
  for (guint i = 0; i < FIRST_CHUNK; i++)
    g_array_append_val (ids, g_array_index (sorted, Hit, i).id);
  hand_over_first_chunk (query, ids);
}

/* The trigram index's hits, ranked by the client order in memory.  The
 * index hands them over in search-key order, that is bucket by bucket of
 * the name order; once the buckets read whole hold a screenful, that
 * screen is known and handed over, and the rest are read on.  Sets @stale when a hit is missing from the client order (a
 * client added since it was made). */
static gboolean
run_ranked (sqlite3     *db,
            Query       *query,
            const char  *match,
            GArray      *ids,
            gboolean    *stale,
            GError     **error)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  g_autoptr(GArray) passed = g_array_new (FALSE, FALSE, sizeof (Hit));
  gboolean check = needs_sql_check (query);
  sqlite3_stmt *filter = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean handed_over = FALSE;
  guint64 bucket = G_MAXUINT64;
  guint checked = 0;
  int rc = SQLITE_OK;

  *stale = FALSE;

  /* Filters and one-letter words are checked in SQL, a batch at a time. */
  if (check)
    {
      g_autoptr(GString) sql =
        g_string_new ("SELECT id FROM clients WHERE id IN (SELECT value FROM json_each (?1))");

      append_filters (query, sql);
      rc = sqlite3_prepare_v2 (db, sql->str, -1, &filter, NULL);
      if (rc != SQLITE_OK)
        goto failed;
      bind_filters (query, filter);
    }

  rc = sqlite3_prepare_v2 (db, "SELECT rowid FROM client_search WHERE client_search MATCH ?"
                               " ORDER BY rowid",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint64 key = (guint64) sqlite3_column_int64 (stmt, 0);
      guint64 key_bucket = key >> DESK_CLIENT_SEARCH_ID_BITS;
      Hit hit = { 0, (gint64) (key & ((G_GUINT64_CONSTANT (1) << DESK_CLIENT_SEARCH_ID_BITS) - 1)) };

      if (!handed_over && key_bucket != bucket)
        {
          /* Every hit so far is in a bucket read whole. */
          if (check)
            {
              if (!check_hits (db, filter, hits, checked, hits->len, passed, error))
                goto out;
              checked = hits->len;
            }
          if ((check ? passed : hits)->len >= FIRST_CHUNK)
            {
              hand_over_known (query, check ? passed : hits);
              handed_over = TRUE;
            }
          bucket = key_bucket;
        }

      if (!_desk_client_order_rank (query->order, hit.id, &hit.rank))
        {
          *stale = TRUE;
          break;
        }
      g_array_append_val (hits, hit);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (*stale)
    {
      sqlite3_finalize (filter);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    goto failed;

  if (check)
    {
      if (!check_hits (db, filter, hits, checked, hits->len, passed, error))
        goto out;
      g_array_sort (passed, compare_hits);
      for (guint i = 0; i < passed->len; i++)
        g_array_append_val (ids, g_array_index (passed, Hit, i).id);
    }
  else
    {
      g_array_sort (hits, compare_hits);
      for (guint i = 0; i < hits->len; i++)
        g_array_append_val (ids, g_array_index (hits, Hit, i).id);
    }
  sqlite3_finalize (filter);
  return TRUE;

failed:
  if (!g_cancellable_set_error_if_cancelled (query->cancellable, error))
    _desk_db_set_error (error, db, rc, _("searching the clinic record"));
out:
  sqlite3_finalize (stmt);
  sqlite3_finalize (filter);
  return FALSE;
}

/* Without a client order to rank by: few trigram matches are sorted in SQL
 * and done.  Returns FALSE in @handled when there are too many for that. */
static gboolean
run_sparse (sqlite3  *db,
            Query    *query,
            GArray   *ids,
            gboolean *handled,
            GError  **error)
{
  g_autofree char *match = fts_match_expression (query->terms, NULL);
  g_autoptr(GString) candidates = NULL;
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  *handled = FALSE;
  if (match == NULL)
    return TRUE;

  rc = sqlite3_prepare_v2 (db, "SELECT rowid & ((1 << " G_STRINGIFY (DESK_CLIENT_SEARCH_ID_BITS)
                               ") - 1) FROM client_search WHERE client_search MATCH ?"
                               " LIMIT " G_STRINGIFY (SPARSE_LIMIT) " + 1",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);

  candidates = g_string_new ("[");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n++ > 0)
        g_string_append_c (candidates, ',');
      g_string_append_printf (candidates, "%" G_GINT64_FORMAT,
                              (gint64) sqlite3_column_int64 (stmt, 0));
    }
  g_string_append_c (candidates, ']');
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto failed;

  if (n > SPARSE_LIMIT)
    return TRUE;

  sql = g_string_new ("SELECT id FROM clients WHERE id IN (SELECT value FROM json_each (?1))");
  append_filters (query, sql);
  g_string_append (sql, " ORDER BY sort_key, id");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (stmt, 1, candidates->str, -1, SQLITE_STATIC);
  bind_filters (query, stmt);

  *handled = collect_ids (db, stmt, query, FALSE, ids, error);
  sqlite3_finalize (stmt);
  return *handled;

failed:
  sqlite3_finalize (stmt);
  if (!g_cancellable_set_error_if_cancelled (query->cancellable, error))
    _desk_db_set_error (error, db, rc, _("searching the clinic record"));
  return FALSE;
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
  gboolean ok;
  int rc;

  if (query->kind == LIST_MEMBERS)
    sql = g_string_new ("SELECT id FROM members INDEXED BY members_sort WHERE 1");
  else
    sql = g_string_new ("SELECT id FROM clients INDEXED BY clients_sort WHERE 1");
  append_filters (query, sql);
  g_string_append (sql, query->kind == LIST_MEMBERS ? " ORDER BY status, sort_key, id"
                                                    : " ORDER BY sort_key, id");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (error, db, rc, _("searching the clinic record"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  bind_filters (query, stmt);

  ok = collect_ids (db, stmt, query, TRUE, ids, error);
  sqlite3_finalize (stmt);
  return ok;
}

/* The characters of every client's search text, read from the covering
 * name index: what a two-letter word can be next to. */
static char *
read_alphabet (sqlite3  *db,
               Query    *query,
               GError  **error)
{
  g_autoptr(GHashTable) others = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) alphabet = g_string_new (NULL);
  gboolean ascii[128] = { FALSE };
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer key;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT search_text FROM clients INDEXED BY clients_sort",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const guchar *text = sqlite3_column_text (stmt, 0);

      rc = SQLITE_OK;
      for (const guchar *p = text; p != NULL && *p; p++)
        {
          if (*p < 128)
            {
              ascii[*p] = TRUE;
              continue;
            }
          g_hash_table_add (others, GUINT_TO_POINTER (g_utf8_get_char ((const char *) p)));
          while ((p[1] & 0xc0) == 0x80)
            p++;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      if (!g_cancellable_set_error_if_cancelled (query->cancellable, error))
        _desk_db_set_error (error, db, rc, _("searching the clinic record"));
      return NULL;
    }

  for (guint c = 1; c < 128; c++)
    if (ascii[c])
      g_string_append_c (alphabet, (char) c);
  g_hash_table_iter_init (&iter, others);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_string_append_unichar (alphabet, GPOINTER_TO_UINT (key));

  return g_string_free (g_steal_pointer (&alphabet), FALSE);
}

static GArray *
run_query (Query   *query,
           GError **error)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1024);
  g_autoptr(GError) local_error = NULL;
  gboolean handled = FALSE;
  sqlite3 *db = NULL;

  if (query->terms == NULL)
    return g_steal_pointer (&ids);

  /* Its own connection: this runs on a worker thread. */
  db = reader_take (query->reader, query->path, error);
  if (db == NULL)
    return NULL;
  sqlite3_progress_handler (db, 1000, on_progress, query->cancellable);

  /* A search the trigram index can answer, ranked by the client order. */
  if (query->kind == LIST_CLIENTS && query->order != NULL && query->terms[0] != NULL)
    {
      g_autofree char *match =
        fts_match_expression (query->terms, _desk_client_order_get_alphabet (query->order));
      gboolean stale = FALSE;

      if (match != NULL)
        {
          if (!run_ranked (db, query, match, ids, &stale, &local_error))
            goto failed;
          handled = !stale;
          if (stale)
            g_array_set_size (ids, 0);
        }
    }
  if (!handled && query->kind == LIST_CLIENTS && query->terms[0] != NULL &&
      !run_sparse (db, query, ids, &handled, &local_error))
    goto failed;
  if (!handled && !run_scan (db, query, ids, &local_error))
    goto failed;

  /* The whole client list, in name order: keep it to rank later searches. */
  if (query->kind == LIST_CLIENTS && query->terms[0] == NULL &&
      query->status_filter == DESK_CLIENT_STATUS_FILTER_ANY &&
      query->portal_filter == DESK_PORTAL_FILTER_ANY)
    {
      g_autofree char *alphabet = read_alphabet (db, query, &local_error);

      if (alphabet == NULL)
        goto failed;
      query->new_order = _desk_client_order_new ((const gint64 *) (gpointer) ids->data, ids->len,
                                                 alphabet);
    }

  reader_give (query->reader, db);
  return g_steal_pointer (&ids);

failed:
  reader_give (query->reader, db);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Query *query = task_data;
  GError *error = NULL;
  GArray *ids;

  ids = run_query (query, &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

static void
set_loading (DeskRecordList *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Replaces the items with @ids, keeping the prefix a first chunk showed. */
static void
take_ids (DeskRecordList *self,
          GArray         *ids)
{
  guint old_len = self->ids->len;
  guint prefix = 0;
  GHashTableIter iter;
  gpointer key, value;

  while (prefix < old_len && prefix < ids->len &&
         g_array_index (self->ids, gint64, prefix) == g_array_index (ids, gint64, prefix))
    prefix++;

  /* Cached pages reaching past the common prefix may hold other rows now,
   * or too few: a last page cached while the list was shorter. */
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Page *page = value;

      if ((page->page + 1) * PAGE_SIZE > prefix)
        {
          g_queue_remove (&self->lru, page);
          g_hash_table_iter_remove (&iter);
        }
    }

  g_array_unref (self->ids);
  self->ids = g_array_ref (ids);

  if (prefix < old_len || prefix < ids->len)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix, ids->len - prefix);
  if (old_len != ids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
drop_rest (DeskRecordList *self)
{
  g_clear_handle_id (&self->rest_source, g_source_remove);
  g_clear_pointer (&self->rest, g_array_unref);
}

/* A screen more a frame, while a view would still build row widgets for
 * what is added; then the rest at once.  Each step is a short main loop
 * dispatch, one a frame, so the first screen is drawn before the rest of
 * the rows are built (the model cannot see frames; a frame's length it can
 * wait). */
#define ROW_WIDGET_WINDOW 256
#define FRAME_MS 16

static gboolean
take_rest (gpointer data)
{
  DeskRecordList *self = data;
  guint next = self->ids->len + FIRST_CHUNK;

  if (next < self->rest->len && self->ids->len < ROW_WIDGET_WINDOW)
    {
      g_autoptr(GArray) step = g_array_sized_new (FALSE, FALSE, sizeof (gint64), next);

      g_array_append_vals (step, self->rest->data, next);
      take_ids (self, step);
      return G_SOURCE_CONTINUE;
    }

  take_ids (self, self->rest);
  self->rest_source = 0;
  g_clear_pointer (&self->rest, g_array_unref);
  set_loading (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
query_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Query *query = g_task_get_task_data (G_TASK (result));
  g_autoptr(DeskRecordList) self = g_weak_ref_get (&query->list);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  ids = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || query->generation != self->generation)
    return;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  if (query->new_order != NULL)
    _desk_store_set_client_order (self->store, query->new_order);

  /* A list filling up (empty, or showing just the first screen of these
   * very rows): one screen now, the rest (a view builds row widgets for up
   * to 200 of them) a screen a frame, see take_rest(). */
  if (ids != NULL && self->ids->len <= FIRST_CHUNK && ids->len > FIRST_CHUNK &&
      (self->ids->len == 0 ||
       memcmp (self->ids->data, ids->data, self->ids->len * sizeof (gint64)) == 0))
    {
      g_autoptr(GArray) first = g_array_sized_new (FALSE, FALSE, sizeof (gint64), FIRST_CHUNK);

      g_array_append_vals (first, ids->data, FIRST_CHUNK);
      take_ids (self, first);
      self->rest = g_steal_pointer (&ids);
      self->rest_source = g_timeout_add_full (G_PRIORITY_LOW, FRAME_MS, take_rest, self, NULL);
      return;
    }

  if (ids != NULL)
    take_ids (self, ids);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->error = g_steal_pointer (&error);

  set_loading (self, FALSE);
}

static void
start_query (DeskRecordList *self)
{
  g_autoptr(GTask) task = NULL;
  Query *query;

  self->generation++;
  drop_rest (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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
  DeskRecordList *self = data;

  self->pending_source = 0;
  start_query (self);
  return G_SOURCE_REMOVE;
}

/* A search and two filters set in one go make one query, started from the
 * main loop; desk_record_list_load_sync() runs it at once instead. */
static void
schedule_query (DeskRecordList *self)
{
  GSource *source;

  if (self->pending_source != 0)
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, start_pending_query, self, NULL);
  g_source_set_static_name (source, "[desk] record list query");
  self->pending_source = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
  set_loading (self, TRUE);
}

static void
cancel_pending_query (DeskRecordList *self)
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

static Page *
fetch_page (DeskRecordList *self,
            guint           page_number)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  guint first = page_number * PAGE_SIZE;
  guint last = MIN (first + PAGE_SIZE, self->ids->len);
  Page *page;
  int rc;

  if (self->kind == LIST_MEMBERS)
    stmt = _desk_store_prepare (self->store,
                                "SELECT " DESK_MEMBER_COLUMNS " FROM members m"
                                " WHERE m.id IN (SELECT value FROM json_each (?))",
                                &error);
  else
    stmt = _desk_store_prepare (self->store,
                                "SELECT " DESK_CLIENT_COLUMNS " FROM clients c"
                                " WHERE c.id IN (SELECT value FROM json_each (?))",
                                &error);
  if (stmt == NULL)
    {
      g_debug ("Cannot read a page of records: %s", error->message);
      return NULL;
    }

  for (guint i = first; i < last; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                            g_array_index (self->ids, gint64, i));
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
      self->rows_fetched++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_debug ("Cannot read a page of records: %s",
               sqlite3_errmsg (_desk_store_get_db (self->store)));
      return NULL;
    }

  page = g_new0 (Page, 1);
  page->page = page_number;
  page->items = g_ptr_array_new_full (last - first, g_object_unref);
  for (guint i = first; i < last; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, i);
      GObject *item = g_hash_table_lookup (by_id, &id);

      /* A row cannot vanish (nothing is deleted), but keep the list whole. */
      if (item == NULL)
        item = self->kind == LIST_MEMBERS ? g_object_new (DESK_TYPE_MEMBER, NULL)
                                          : g_object_new (DESK_TYPE_CLIENT, NULL);
      else
        g_object_ref (item);
      g_ptr_array_add (page->items, item);
    }

  return page;
}

/* GListModel */

static GType
desk_record_list_get_item_type (GListModel *model)
{
  return desk_record_list_get_record_type (DESK_RECORD_LIST (model));
}

static guint
desk_record_list_get_n_items (GListModel *model)
{
  return DESK_RECORD_LIST (model)->ids->len;
}

static gpointer
desk_record_list_get_item (GListModel *model,
                           guint       position)
{
  DeskRecordList *self = DESK_RECORD_LIST (model);
  guint page_number = position / PAGE_SIZE;
  Page *page;

  if (position >= self->ids->len)
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
desk_record_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = desk_record_list_get_item_type;
  iface->get_n_items = desk_record_list_get_n_items;
  iface->get_item = desk_record_list_get_item;
}

/* Overrides */

static void
desk_record_list_dispose (GObject *object)
{
  DeskRecordList *self = (DeskRecordList *) object;

  cancel_pending_query (self);
  drop_rest (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (desk_record_list_parent_class)->dispose (object);
}

static void
desk_record_list_finalize (GObject *object)
{
  DeskRecordList *self = (DeskRecordList *) object;

  g_queue_clear (&self->lru);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_error (&self->error);
  g_clear_error (&self->search_error);
  g_clear_object (&self->store);
  g_clear_pointer (&self->reader, reader_unref);

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
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_STATUS_FILTER:
      g_value_set_enum (value, self->status_filter);
      break;
    case PROP_PORTAL_FILTER:
      g_value_set_enum (value, self->portal_filter);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
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

  object_class->dispose = desk_record_list_dispose;
  object_class->finalize = desk_record_list_finalize;
  object_class->get_property = desk_record_list_get_property;
  object_class->set_property = desk_record_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
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
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_record_list_init (DeskRecordList *self)
{
  self->search = g_strdup ("");
  self->reader = reader_new ();
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  g_queue_init (&self->lru);
}

/* Public API */

static DeskRecordList *
record_list_new (DeskStore *store,
                 ListKind   kind)
{
  DeskRecordList *self = g_object_new (DESK_TYPE_RECORD_LIST, NULL);

  self->store = g_object_ref (store);
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
  return self->store;
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
  schedule_query (self);
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
  schedule_query (self);
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
  schedule_query (self);
}

gboolean
desk_record_list_get_loading (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), FALSE);
  return self->loading;
}

const GError *
desk_record_list_get_error (DeskRecordList *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), NULL);
  return self->search_error != NULL ? self->search_error : self->error;
}

void
desk_record_list_reload (DeskRecordList *self)
{
  g_return_if_fail (DESK_IS_RECORD_LIST (self));
  schedule_query (self);
}

gboolean
desk_record_list_load_sync (DeskRecordList  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(Query) query = NULL;
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (DESK_IS_RECORD_LIST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Supersedes a background query. */
  cancel_pending_query (self);
  drop_rest (self);
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  query = query_new (self);
  if (cancellable != NULL)
    query->cancellable = g_object_ref (cancellable);

  ids = run_query (query, error);
  set_loading (self, FALSE);
  if (ids == NULL)
    return FALSE;
  if (query->new_order != NULL)
    _desk_store_set_client_order (self->store, query->new_order);

  g_clear_error (&self->error);
  take_ids (self, ids);
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
  return self->rows_fetched;
}
