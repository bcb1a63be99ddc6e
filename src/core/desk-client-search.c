/* desk-client-search.c: client search by the trigram index, and its buckets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Client search is substring search over the folded name, e-mail and phone,
 * shown in name order.  The trigram index (client_search, FTS5) is keyed by
 * bucket and id: a client's rowid holds the number of its bucket, a slice
 * of the name order (client_search_buckets: the lowest sort key of each,
 * and numbers that grow with it), in the top 24 bits and its id in the low
 * ID_BITS.  So the index hands its hits over in name order bucket by
 * bucket, and a search knows its first screen once the buckets it has read
 * whole hold one; the rest are ranked in memory by the client order that
 * the full list leaves behind.
 *
 * How fast that is depends on how big a bucket is.  Buckets are cut when
 * the index is built; as a clinic grows, the ones that have grown too big
 * are split here: a new lowest sort key, numbered between the bucket and
 * the next, and the clients from that key on re-keyed in the index.
 * Nothing but the index changes, so nothing is audited.  One coherent
 * thing, the index's layout, kept in one file: hence its length.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-client-search.h"
#include "desk-store-private.h"

#define ID_BITS 39
#define BUCKET_LIMIT (1 << 24)
/* A bucket the maintenance splits: four times what the build cuts; and
 * the most clients one split re-keys (a few hundred milliseconds). */
#define BUCKET_ROWS 1024
#define MAX_MOVE 8192
/* Without a client order to rank by, at most this many hits are sorted in SQL. */
#define SPARSE_LIMIT 5000

/* Cuts the name order into at most 4096 buckets of at least 64 clients,
 * numbered 256 apart so that a bucket can later be split in place. */
#define BUCKETS_SQL                                                            \
  "DELETE FROM client_search_buckets;"                                        \
  "INSERT INTO client_search_buckets (lower, bucket) VALUES ('', 0);"         \
  "INSERT INTO client_search_buckets (lower, bucket)"                         \
  "  SELECT lower, (row_number () OVER (ORDER BY lower)) << 8 FROM ("         \
  "    SELECT DISTINCT min (sort_key) AS lower FROM ("                        \
  "      SELECT sort_key, (row_number () OVER (ORDER BY sort_key, id) - 1)"   \
  "        / max (64, (SELECT count (*) FROM clients) / 4096 + 1) AS slice"   \
  "      FROM clients)"                                                       \
  "    GROUP BY slice)"                                                       \
  "  WHERE lower > '';"

/* Fills the (empty) index from clients in key order, which writes it as a
 * few large sorted segments, then merges them into one. */
#define FILL_SQL                                                               \
  "INSERT INTO client_search (rowid, search_text)"                            \
  "  SELECT " DESK_CLIENT_SEARCH_KEY ("") ", search_text FROM clients"        \
  "  ORDER BY 1;"                                                             \
  "INSERT INTO client_search (client_search) VALUES ('optimize');"

G_STATIC_ASSERT (ID_BITS == 39);  /* as DESK_CLIENT_SEARCH_KEY and the triggers have it */

typedef struct
{
  char   *lower;
  gint64  bucket;
} Bucket;

static void
bucket_clear (gpointer data)
{
  g_free (((Bucket *) data)->lower);
}

/* Prepares @sql and binds what it uses of :from, :upper (the bucket's
 * upper end: the next bucket's lowest key, or a blob, which SQLite sorts
 * after every text), :number and :offset. */
static int
prepare_range (sqlite3       *db,
               const char    *sql,
               const char    *from,
               const char    *upper,
               gint64         number,
               sqlite3_stmt **stmt)
{
  static const guchar beyond[] = { 0xff };
  int rc = sqlite3_prepare_v2 (db, sql, -1, stmt, NULL);
  int i;

  if (rc != SQLITE_OK)
    return rc;
  if ((i = sqlite3_bind_parameter_index (*stmt, ":from")) > 0)
    sqlite3_bind_text (*stmt, i, from, -1, SQLITE_TRANSIENT);
  if ((i = sqlite3_bind_parameter_index (*stmt, ":upper")) > 0)
    {
      if (upper != NULL)
        sqlite3_bind_text (*stmt, i, upper, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_blob (*stmt, i, beyond, sizeof beyond, SQLITE_STATIC);
    }
  if ((i = sqlite3_bind_parameter_index (*stmt, ":number")) > 0)
    sqlite3_bind_int64 (*stmt, i, number);
  return SQLITE_OK;
}

/* Runs @sql to its end. */
static int
exec_range (sqlite3    *db,
            const char *sql,
            const char *from,
            const char *upper,
            gint64      number)
{
  sqlite3_stmt *stmt = NULL;
  int rc = prepare_range (db, sql, from, upper, number, &stmt);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The first row of @sql, if any: @text from its first column (NULL stays
 * NULL), @value from its last. */
static int
query_range (sqlite3     *db,
             const char  *sql,
             const char  *from,
             const char  *upper,
             gint64       number,
             gint64      *value,
             char       **text)
{
  sqlite3_stmt *stmt = NULL;
  int rc = prepare_range (db, sql, from, upper, number, &stmt);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (value != NULL)
        *value = sqlite3_column_int64 (stmt, sqlite3_column_count (stmt) - 1);
      if (text != NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        *text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static GArray *
read_buckets (sqlite3  *db,
              GError  **error)
{
  g_autoptr(GArray) buckets = g_array_new (FALSE, FALSE, sizeof (Bucket));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_array_set_clear_func (buckets, bucket_clear);
  rc = sqlite3_prepare_v2 (db, "SELECT lower, bucket FROM client_search_buckets ORDER BY lower",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Bucket bucket = { g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                        sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (buckets, bucket);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("maintaining the client search index"));
      return NULL;
    }
  return g_steal_pointer (&buckets);
}

#define IN_BUCKET " sort_key >= :from AND sort_key < :upper"
#define COUNT_SQL "SELECT count (*) FROM clients WHERE" IN_BUCKET

/* Splits the bucket starting at @lower if it still holds more than
 * @max_rows clients, in one write transaction that re-keys at most
 * @max_move of them: halfway, or the last @max_move (a bucket a bulk import
 * made huge is cut from the top, a slice a pass, so that no transaction
 * keeps the clinic's other writers waiting long). */
static gboolean
split_bucket (sqlite3     *db,
              const char  *lower,
              guint        max_rows,
              guint        max_move,
              gboolean    *split,
              GError     **error)
{
  g_autofree char *upper = NULL;
  g_autofree char *middle = NULL;
  gint64 bucket = -1, next = BUCKET_LIMIT, count = 0, new_bucket;
  int rc;

  *split = FALSE;
  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Read again under the write lock: another program may have split it. */
  rc = query_range (db, "SELECT bucket FROM client_search_buckets WHERE lower = :from",
                    lower, NULL, 0, &bucket, NULL);
  if (rc == SQLITE_OK && bucket >= 0)
    rc = query_range (db, "SELECT lower, bucket FROM client_search_buckets"
                          " WHERE lower > :from ORDER BY lower LIMIT 1",
                      lower, NULL, 0, &next, &upper);
  if (rc != SQLITE_OK)
    goto failed;
  new_bucket = bucket + (next - bucket) / 2;
  if (bucket < 0 || new_bucket == bucket)
    goto done;                  /* gone, or no number left between */

  rc = query_range (db, COUNT_SQL, lower, upper, 0, &count, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  if (count <= max_rows)
    goto done;

  /* The key halfway through (or @max_move from the end); if the rows
   * before it are all one name, the first key after that name. */
  rc = query_range (db, "SELECT sort_key FROM clients WHERE" IN_BUCKET
                        " ORDER BY sort_key LIMIT 1 OFFSET :number",
                    lower, upper, MAX (count / 2, count - (gint64) max_move), NULL, &middle);
  if (rc == SQLITE_OK && (middle == NULL || g_strcmp0 (middle, lower) == 0))
    {
      g_clear_pointer (&middle, g_free);
      rc = query_range (db, "SELECT min (sort_key) FROM clients"
                            " WHERE sort_key > :from AND sort_key < :upper",
                        lower, upper, 0, NULL, &middle);
    }
  if (rc != SQLITE_OK)
    goto failed;
  if (middle == NULL)
    goto done;                  /* one name: nothing to cut between */

  /* Out of the index under the old key, then in under the new one. */
  rc = exec_range (db, "INSERT INTO client_search (client_search, rowid, search_text)"
                       " SELECT 'delete', (:number << " G_STRINGIFY (ID_BITS)
                       ") | id, search_text FROM clients WHERE" IN_BUCKET,
                   middle, upper, bucket);
  if (rc == SQLITE_OK)
    rc = exec_range (db, "INSERT INTO client_search_buckets (lower, bucket)"
                         " VALUES (:from, :number)",
                     middle, upper, new_bucket);
  if (rc == SQLITE_OK)
    rc = exec_range (db, "INSERT INTO client_search (rowid, search_text)"
                         " SELECT (:number << " G_STRINGIFY (ID_BITS)
                         ") | id, search_text FROM clients WHERE" IN_BUCKET,
                     middle, upper, new_bucket);
  if (rc != SQLITE_OK)
    goto failed;
  *split = TRUE;

done:
  if (_desk_db_exec (db, "COMMIT", error))
    return TRUE;
  *split = FALSE;
  goto rollback;

failed:
  _desk_db_set_error (error, db, rc, _("maintaining the client search index"));
rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
_desk_client_search_balance (sqlite3       *db,
                             guint          max_rows,
                             guint          max_move,
                             GCancellable  *cancellable,
                             guint         *n_split,
                             GError       **error)
{
  gboolean any = TRUE;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (max_rows > 0, FALSE);
  g_return_val_if_fail (max_move > 0, FALSE);

  if (n_split != NULL)
    *n_split = 0;

  /* Rounds until no bucket is split: a bucket far too big takes several. */
  while (any)
    {
      g_autoptr(GArray) buckets = read_buckets (db, error);
      g_autoptr(GPtrArray) big = g_ptr_array_new_with_free_func (g_free);

      any = FALSE;
      if (buckets == NULL)
        return FALSE;

      /* Counted without a lock; split_bucket counts again under it. */
      for (guint i = 0; i < buckets->len; i++)
        {
          const char *lower = g_array_index (buckets, Bucket, i).lower;
          const char *upper = i + 1 < buckets->len ? g_array_index (buckets, Bucket, i + 1).lower
                                                   : NULL;
          gint64 count = 0;
          int rc;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          rc = query_range (db, COUNT_SQL, lower, upper, 0, &count, NULL);
          if (rc != SQLITE_OK)
            {
              _desk_db_set_error (error, db, rc, _("maintaining the client search index"));
              return FALSE;
            }
          if (count > max_rows)
            g_ptr_array_add (big, g_strdup (lower));
        }

      for (guint i = 0; i < big->len; i++)
        {
          gboolean split = FALSE;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (!split_bucket (db, g_ptr_array_index (big, i), max_rows, max_move, &split,
                             error))
            return FALSE;
          if (split)
            {
              any = TRUE;
              if (n_split != NULL)
                (*n_split)++;
            }
        }
    }

  return TRUE;
}

/* Searching */

/* The WHERE clauses of the filters and the words; binds start at ?10. */
static void
append_filters (const DeskClientSearch *search,
                GString                *sql)
{
  if (search->status != NULL)
    g_string_append (sql, " AND status = ?10");
  if (search->portal != NULL)
    g_string_append (sql, " AND portal_access = ?11");
  for (guint i = 0; search->terms[i] != NULL; i++)
    g_string_append_printf (sql, " AND instr (search_text, ?%u) > 0", 20 + i);
}

static void
bind_filters (const DeskClientSearch *search,
              sqlite3_stmt           *stmt)
{
  if (search->status != NULL)
    sqlite3_bind_text (stmt, 10, search->status, -1, SQLITE_STATIC);
  if (search->portal != NULL)
    sqlite3_bind_text (stmt, 11, search->portal, -1, SQLITE_STATIC);
  for (guint i = 0; search->terms[i] != NULL; i++)
    sqlite3_bind_text (stmt, 20 + i, search->terms[i], -1, SQLITE_STATIC);
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
needs_sql_check (const DeskClientSearch *search)
{
  if (search->status != NULL || search->portal != NULL)
    return TRUE;
  for (guint i = 0; search->terms[i] != NULL; i++)
    if (g_utf8_strlen (search->terms[i], -1) < 2)
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
hand_over_known (const DeskClientSearch *search,
                 GArray *known)
{
  g_autoptr(GArray) sorted = g_array_copy (known);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), search->first_screen);

  g_array_sort (sorted, compare_hits);
  for (guint i = 0; i < search->first_screen; i++)
    g_array_append_val (ids, g_array_index (sorted, Hit, i).id);
  if (search->hand_over != NULL)
    search->hand_over ((const gint64 *) (gpointer) ids->data, ids->len, search->user_data);
}

/* The trigram index's hits, ranked by the client order in memory.  The
 * index hands them over in search-key order, that is bucket by bucket of
 * the name order; once the buckets read whole hold a screenful, that
 * screen is known and handed over, and the rest are read on.  Sets @stale when a hit is missing from the client order (a
 * client added since it was made). */
static gboolean
run_ranked (sqlite3     *db,
            const DeskClientSearch *search,
            const char  *match,
            GArray      *ids,
            gboolean    *stale,
            GError     **error)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  g_autoptr(GArray) passed = g_array_new (FALSE, FALSE, sizeof (Hit));
  gboolean check = needs_sql_check (search);
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

      append_filters (search, sql);
      rc = sqlite3_prepare_v2 (db, sql->str, -1, &filter, NULL);
      if (rc != SQLITE_OK)
        goto failed;
      bind_filters (search, filter);
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
      guint64 key_bucket = key >> ID_BITS;
      Hit hit = { 0, (gint64) (key & ((G_GUINT64_CONSTANT (1) << ID_BITS) - 1)) };

      if (!handed_over && key_bucket != bucket)
        {
          /* Every hit so far is in a bucket read whole. */
          if (check)
            {
              if (!check_hits (db, filter, hits, checked, hits->len, passed, error))
                goto out;
              checked = hits->len;
            }
          if ((check ? passed : hits)->len >= search->first_screen)
            {
              hand_over_known (search, check ? passed : hits);
              handed_over = TRUE;
            }
          bucket = key_bucket;
        }

      if (!_desk_client_order_rank (search->order, hit.id, &hit.rank))
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
  if (!g_cancellable_set_error_if_cancelled (search->cancellable, error))
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
            const DeskClientSearch *search,
            GArray   *ids,
            gboolean *handled,
            GError  **error)
{
  g_autofree char *match = fts_match_expression (search->terms, NULL);
  g_autoptr(GString) candidates = NULL;
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  *handled = FALSE;
  if (match == NULL)
    return TRUE;

  rc = sqlite3_prepare_v2 (db, "SELECT rowid & ((1 << " G_STRINGIFY (ID_BITS)
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
  append_filters (search, sql);
  g_string_append (sql, " ORDER BY sort_key, id");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (stmt, 1, candidates->str, -1, SQLITE_STATIC);
  bind_filters (search, stmt);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto failed;
  *handled = TRUE;
  return TRUE;

failed:
  sqlite3_finalize (stmt);
  if (!g_cancellable_set_error_if_cancelled (search->cancellable, error))
    _desk_db_set_error (error, db, rc, _("searching the clinic record"));
  return FALSE;
}

/* The characters of every client's search text, read from the covering
 * name index: what a two-letter word can be next to. */
char *
_desk_client_search_read_alphabet (sqlite3       *db,
                                   GCancellable  *cancellable,
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
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
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

gboolean
_desk_client_search_run (sqlite3                *db,
                         const DeskClientSearch *search,
                         GArray                 *ids,
                         gboolean               *handled,
                         GError                **error)
{
  *handled = FALSE;
  g_return_val_if_fail (search->terms != NULL && search->terms[0] != NULL, FALSE);

  /* Ranked by the client order when there is one. */
  if (search->order != NULL)
    {
      g_autofree char *match =
        fts_match_expression (search->terms, _desk_client_order_get_alphabet (search->order));
      gboolean stale = FALSE;

      if (match != NULL)
        {
          if (!run_ranked (db, search, match, ids, &stale, error))
            return FALSE;
          *handled = !stale;
          if (stale)
            g_array_set_size (ids, 0);
        }
    }
  if (!*handled && !run_sparse (db, search, ids, handled, error))
    return FALSE;
  return TRUE;
}

gboolean
_desk_client_search_rebuild (sqlite3  *db,
                             GError  **error)
{
  /* The index is contentless: emptied, cut into buckets anew, filled. */
  return _desk_db_exec (db,
                           "INSERT INTO client_search (client_search) VALUES ('delete-all');"
                           BUCKETS_SQL FILL_SQL,
                           error);
}

static void
balance_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  guint n_split = 0;
  sqlite3 *db;

  db = _desk_db_open (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &error);
  if (db != NULL &&
      _desk_client_search_balance (db, BUCKET_ROWS, MAX_MOVE, cancellable, &n_split, &error))
    g_task_return_int (task, n_split);
  else
    g_task_return_error (task, error);
  sqlite3_close (db);
}

void
desk_client_search_balance_async (DeskStore           *store,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_client_search_balance_async);
  g_task_set_task_data (task, g_strdup (desk_store_get_path (store)), g_free);
  g_task_run_in_thread (task, balance_thread);
}

gboolean
desk_client_search_balance_finish (DeskStore     *store,
                                   GAsyncResult  *result,
                                   guint         *n_split,
                                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  n = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (n_split != NULL)
    *n_split = (guint) n;
  return TRUE;
}
