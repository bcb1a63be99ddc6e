/* desk-change-private.h: what the model layer's changes use inside the transaction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-change.h"

G_BEGIN_DECLS

/* The connection the change's transaction is open on. */
sqlite3      *_desk_change_get_db      (DeskChange     *change);

/* A prepared statement for @sql (a string that outlives the change: a
 * literal), reset, bindings cleared; do not finalize it. */
sqlite3_stmt *_desk_change_prepare     (DeskChange     *change,
                                        const char     *sql,
                                        GError        **error);

/* Steps @stmt to its end and resets it; on failure sets @error, saying
 * what was being done (@doing, translated, "moving the appointments"). */
gboolean      _desk_change_step        (DeskChange     *change,
                                        sqlite3_stmt   *stmt,
                                        const char     *doing,
                                        GError        **error);

/* A change made by the system, not by a member, for the few that have no
 * session by nature: the clinic's first administrator (no member exists
 * yet).  Audited as actor 0; "changed" emitted on @store. */
gboolean      _desk_change_run_system  (DeskStore      *store,
                                        DeskChangeFunc  func,
                                        gpointer        user_data,
                                        GError        **error);

/* The transaction of a member's change on @db, a worker's own connection,
 * for work that already runs off the main thread (an export to a file).
 * The caller checked the session (desk_session_require() and, for a
 * sensitive change, desk_session_require_reauth()) on the main thread;
 * the member is checked again here against the file.  On success,
 * @changes (if not NULL) receives what to emit on the main thread's store
 * (_desk_store_emit_changed()). */
gboolean      _desk_change_run_on      (sqlite3        *db,
                                        gint64          now,
                                        gint64          actor_id,
                                        guint           permission,
                                        GCancellable   *cancellable,
                                        DeskChangeFunc  func,
                                        gpointer        user_data,
                                        DeskChanges   **changes,
                                        GError        **error);

G_END_DECLS
