/* desk-paged-list-reader.c: the read-only connection a paged list keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "desk-paged-list-reader.h"
#include "desk-store-private.h"

/* Pages the kept connection may cache (PRAGMA cache_size, in KiB). */
#define READER_CACHE_KIB 32768

/* The worker connection kept between queries, so that a query neither
 * opens the file again nor reads the pages it needs (an index's busiest
 * ones) anew each time.  Shared by the list and its queries, which may
 * outlive it; a query finding it taken (another query still running)
 * opens one of its own.  It is kept only while the path still names the
 * file it was opened on: a file moved away or replaced is opened afresh,
 * and reported if it is gone. */
struct _DeskPagedReader
{
  GMutex   mutex;
  sqlite3 *db;      /* idle, or NULL */
  dev_t    dev;     /* the file @db reads */
  ino_t    ino;
};

typedef struct
{
  gpointer       data;
  GDestroyNotify free;
} Later;

static void
free_on_worker (gpointer data,
                gpointer user_data)
{
  Later *later = data;

  later->free (later->data);
  g_free (later);
}

/**
 * _desk_paged_free_later:
 *
 * Frees @data with @free on a worker thread, one after another: closing a
 * connection frees its page cache (up to READER_CACHE_KIB), at a
 * session's end 10 to 35 ms of the main thread.  @free must be safe on
 * any thread: not for GObjects that widgets may watch.
 */
void
_desk_paged_free_later (gpointer       data,
                        GDestroyNotify free)
{
  static GThreadPool *pool;
  Later *later = g_new0 (Later, 1);

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (free_on_worker, NULL, 1, FALSE, NULL));
  later->data = data;
  later->free = free;
  g_thread_pool_push (pool, later, NULL);
}

/* A few entries a main-loop turn, after the frame. */
#define FREE_STEP 8

static gboolean
free_some (gpointer data)
{
  GHashTable *table = data;
  GHashTableIter iter;
  guint n = 0;

  g_hash_table_iter_init (&iter, table);
  while (n++ < FREE_STEP && g_hash_table_iter_next (&iter, NULL, NULL))
    g_hash_table_iter_remove (&iter);
  return g_hash_table_size (table) > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/**
 * _desk_paged_free_in_steps:
 *
 * Frees @table (a list's page cache: thousands of records) a few entries
 * a main-loop turn, at low priority.  On the main thread, not a worker: a
 * record may be watched by widgets, and freed on a worker it raced with
 * them.
 */
void
_desk_paged_free_in_steps (GHashTable *table)
{
  g_idle_add_full (G_PRIORITY_LOW, free_some, table, (GDestroyNotify) g_hash_table_unref);
}

static void
close_db (gpointer db)
{
  sqlite3_close (db);
}

static void
reader_clear (gpointer data)
{
  DeskPagedReader *reader = data;

  if (reader->db != NULL)
    _desk_paged_free_later (g_steal_pointer (&reader->db), close_db);
  g_mutex_clear (&reader->mutex);
}

DeskPagedReader *
_desk_paged_reader_new (void)
{
  DeskPagedReader *reader = g_atomic_rc_box_new0 (DeskPagedReader);

  g_mutex_init (&reader->mutex);
  return reader;
}

void
_desk_paged_reader_unref (DeskPagedReader *reader)
{
  g_atomic_rc_box_release_full (reader, reader_clear);
}

/* The kept connection, or a new one when it is taken. */
sqlite3 *
_desk_paged_reader_take (DeskPagedReader  *reader,
                         const char       *path,
                         GError          **error)
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
void
_desk_paged_reader_give (DeskPagedReader *reader,
                         sqlite3         *db)
{
  sqlite3_progress_handler (db, 0, NULL, NULL);
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  g_mutex_lock (&reader->mutex);
  if (reader->db == NULL)
    reader->db = g_steal_pointer (&db);
  g_mutex_unlock (&reader->mutex);
  if (db != NULL)
    sqlite3_close (db);
}
