/* desk-schema-private.h: the clinic database's schema and its migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-db.h"

G_BEGIN_DECLS

/* Migrations, exposed for the tests: brings @db from its user_version up to
 * @target (at most DESK_SCHEMA_VERSION) inside one transaction. */
gboolean      _desk_schema_migrate         (sqlite3      *db,
                                           int           target,
                                           GError      **error);

/* Fails with DESK_STORE_ERROR_UNPROTECTED, saying what differs, unless the
 * triggers, tables, indexes and views of @db are exactly those the
 * migrations make for its schema version, and no trigger was added.  Reads
 * sqlite_master only. */
gboolean      _desk_schema_check_protection (sqlite3    *db,
                                             GError    **error);

/* For the tests: whether the table of what this build ships (in
 * desk-schema-shipped.h) is what the migrations make, and the table's
 * text as it should be. */
char         *_desk_schema_shipped_table    (gboolean  *matches);

G_END_DECLS
