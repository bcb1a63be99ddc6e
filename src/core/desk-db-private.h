/* desk-db-private.h: the database layer, for the model layer's own modules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-db.h"

G_BEGIN_DECLS

/* How long a connection waits for another program's write to end. */
#define DESK_DB_BUSY_TIMEOUT_MS 2000

/* Reads up to @size bytes from the start of the file at @path into
 * @buffer (*@n_read of them), through SQLite's own file layer and without
 * SQLite reading it as a database.  Never with open() and close(): closing
 * any descriptor of a file drops every POSIX lock this process holds on it,
 * those of its SQLite connections too, and another program could then
 * checkpoint and delete the write-ahead log under them.  FALSE (and errno
 * set where the system said why) when the file cannot be read. */
gboolean      _desk_db_read_header  (const char   *path,
                                     guint8       *buffer,
                                     gsize         size,
                                     gsize        *n_read);

/* A connection as Front Desk makes them (busy timeout, desk_fold ()). */
sqlite3      *_desk_db_open         (const char   *path,
                                     int           flags,
                                     GError      **error);

/* Translates an SQLite result code into a DESK_STORE_ERROR that a front
 * desk can read; @doing (translated) says what was being done. */
void          _desk_db_set_error    (GError      **error,
                                     sqlite3      *db,
                                     int           rc,
                                     const char   *doing);

/* Runs @sql (several statements) on @db. */
gboolean      _desk_db_exec         (sqlite3      *db,
                                     const char   *sql,
                                     GError      **error);

/* Reads the whole file for damage (PRAGMA quick_check: seconds to minutes
 * for a large clinic): DESK_STORE_ERROR_CORRUPT naming what is damaged. */
gboolean      _desk_db_check_integrity (sqlite3   *db,
                                        GError   **error);

/* A GDestroyNotify for prepared statements. */
void          _desk_db_statement_free (gpointer    stmt);

/* DESK_STORE_ERROR_NO_SUCH_RECORD for member or client @id (the only kinds
 * asked for by number), in the words the record loaders use. */
void          _desk_db_set_no_such_record (GError   **error,
                                           gboolean   client,
                                           gint64     id);

/* The text of a column, "" for NULL, newly allocated. */
char         *_desk_db_column_dup   (sqlite3_stmt *stmt,
                                     int           column);

/* Folds @text for searching: lower case, accents removed, spaces collapsed. */
char         *_desk_fold_for_search       (const char   *text);

/* The folded search text and name order of records: what the list models
 * search and sort on.  Schema migration 2 computes the same in SQL. */
char *_desk_member_search_text (const char *given,
                                const char *family,
                                const char *username,
                                const char *email);
char *_desk_client_search_text (const char *given,
                                const char *family,
                                const char *email,
                                const char *phone);
char *_desk_sort_key           (const char *given,
                                const char *family);

G_END_DECLS
