/* desk-paged-list-reader.h: the read-only connection a paged list keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept between a list's queries, so that a query neither opens the file
 * again nor reads the pages it needs anew each time.  Thread-safe and
 * reference counted: a list's queries may outlive it.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _DeskPagedReader DeskPagedReader;

DeskPagedReader *_desk_paged_reader_new   (void);
void             _desk_paged_reader_unref (DeskPagedReader  *reader);
/* The kept connection, or a new one when it is taken or the path names
 * another file now. */
sqlite3         *_desk_paged_reader_take  (DeskPagedReader  *reader,
                                           const char       *path,
                                           GError          **error);
/* Hands @db back to be kept (its transaction ended), or closes it. */
void             _desk_paged_reader_give  (DeskPagedReader  *reader,
                                           sqlite3          *db);
/* For what is slow to free: @data with @free on a worker (no GObjects
 * widgets may watch), or @table a few entries a turn on the main thread. */
void             _desk_paged_free_later   (gpointer          data,
                                           GDestroyNotify    free);
void             _desk_paged_free_in_steps (GHashTable       *table);

G_END_DECLS
