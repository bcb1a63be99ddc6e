/* desk-client-search.c: keeping the trigram index's buckets small
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search hands its first screen over once the buckets it has read whole
 * hold that screen (desk-record-list.c), so how fast it is depends on how
 * big a bucket is.  Buckets are cut when the index is built; as a clinic
 * grows, the ones that have grown too big are split here: a new lowest
 * sort key, numbered between the bucket and the next, and the clients from
 * that key on re-keyed in the index.  Nothing but the index changes, so
 * nothing is audited.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-store-private.h"

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
  gint64 bucket = -1, next = DESK_CLIENT_SEARCH_BUCKET_LIMIT, count = 0, new_bucket;
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
                       " SELECT 'delete', (:number << " G_STRINGIFY (DESK_CLIENT_SEARCH_ID_BITS)
                       ") | id, search_text FROM clients WHERE" IN_BUCKET,
                   middle, upper, bucket);
  if (rc == SQLITE_OK)
    rc = exec_range (db, "INSERT INTO client_search_buckets (lower, bucket)"
                         " VALUES (:from, :number)",
                     middle, upper, new_bucket);
  if (rc == SQLITE_OK)
    rc = exec_range (db, "INSERT INTO client_search (rowid, search_text)"
                         " SELECT (:number << " G_STRINGIFY (DESK_CLIENT_SEARCH_ID_BITS)
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
