/* desk-store-private.h: what the model layer's own modules share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-changes.h"
#include "desk-client-order.h"
#include "desk-db-private.h"
#include "desk-schema-private.h"
#include "desk-store.h"

G_BEGIN_DECLS

sqlite3      *_desk_store_get_db          (DeskStore    *self);

/* Emits "changed": the change path, after its commit. */
void          _desk_store_emit_changed    (DeskStore    *self,
                                           DeskChanges  *changes);

/* A prepared statement cached on the store's main connection, reset and
 * with its bindings cleared; do not finalize it. */
sqlite3_stmt *_desk_store_prepare         (DeskStore    *self,
                                           const char   *sql,
                                           GError      **error);

/* Opens @path as a fresh clinic file at schema version @version (tests). */
DeskStore    *_desk_store_create_at_version (const char  *path,
                                             const char  *clinic_name,
                                             int          version,
                                             GError     **error);

/* open_store () at @target_version (migrating up to it), for the builder. */
DeskStore    *_desk_store_open_at         (const char         *path,
                                           int                 target_version,
                                           DeskStoreOpenFlags  flags,
                                           GError            **error);

/* The error for a file that cannot be a clinic (DESK_STORE_ERROR_EXISTS,
 * _NOT_FOUND, _NOT_A_DATABASE, _NOT_A_CLINIC, _READ_ONLY, _TOO_NEW). */
void          _desk_store_set_file_error  (GError            **error,
                                           const char         *path,
                                           int                 code);

/* Fills the clinic being built (desk_store_create ()) before it is moved
 * into place. */
typedef gboolean (*DeskStoreFill) (DeskStore  *store,
                                   gpointer    user_data,
                                   GError    **error);

/* desk_store_create () at schema @version, with @fill (nullable) run on
 * the clinic before it is moved into place. */
DeskStore    *_desk_store_build           (const char     *path,
                                           const char     *clinic_name,
                                           int             version,
                                           DeskStoreFill   fill,
                                           gpointer        user_data,
                                           GError        **error);

/* The last name order of all clients a list model read (or NULL), for
 * ranking search hits; main thread only. */
DeskClientOrder *_desk_store_dup_client_order (DeskStore       *self);
void             _desk_store_set_client_order (DeskStore       *self,
                                               DeskClientOrder *order);

G_END_DECLS

G_BEGIN_DECLS

/* Column lists and row readers shared by the store and the list models:
 * one SELECT shape per record type. */
#define DESK_MEMBER_COLUMNS \
  "m.id, m.username, m.given_name, m.family_name, m.email, m.kind, m.title, " \
  "m.province, m.status, m.deactivated_at, m.deactivation_reason, " \
  "(SELECT d.given_name || ' ' || d.family_name FROM members d WHERE d.id = m.deactivated_by)"
#define DESK_CLIENT_COLUMNS \
  "c.id, c.given_name, c.family_name, c.date_of_birth, c.email, c.phone, " \
  "c.province, c.status, c.discharged_at, c.discharge_reason, c.portal_access, " \
  "c.portal_invitation, c.primary_practitioner_id, " \
  "(SELECT p.given_name || ' ' || p.family_name FROM members p " \
  "  WHERE p.id = c.primary_practitioner_id)"

DeskMember *_desk_member_new_from_row (sqlite3_stmt *stmt);
DeskClient *_desk_client_new_from_row (sqlite3_stmt *stmt);
DeskAppointment *_desk_appointment_new (gint64      id,
                                        gint64      starts_at,
                                        guint       duration_minutes,
                                        const char *kind,
                                        const char *status,
                                        const char *practitioner_name);
DeskDocument *_desk_document_new (gint64      id,
                                  const char *title,
                                  const char *kind,
                                  gint64      shared_at,
                                  gboolean    completed);

void _desk_store_mark_demo (DeskStore *self,
                            gint64     seed);

G_END_DECLS

G_BEGIN_DECLS

/* A client's rowid in the trigram index client_search (schema 4): the
 * number of its bucket in the top 24 bits, and its id in the low
 * DESK_CLIENT_SEARCH_ID_BITS.  Buckets are slices of the name order
 * (client_search_buckets: the lowest sort key of each, and numbers that
 * grow with it), so the index's hits come in name order bucket by bucket.
 * @row is the SQL prefix of the columns: "", "new." or "old.". */
#define DESK_CLIENT_SEARCH_ID_BITS 39
#define DESK_CLIENT_SEARCH_BUCKET_LIMIT (1 << 24)
/* A bucket the maintenance splits: four times what the build cuts; and
 * the most clients one split re-keys (a few hundred milliseconds). */
#define DESK_CLIENT_SEARCH_BUCKET_ROWS 1024
#define DESK_CLIENT_SEARCH_MAX_MOVE 8192
#define DESK_CLIENT_SEARCH_KEY(row)                                            \
  "(((SELECT bucket FROM client_search_buckets WHERE lower <= " row "sort_key" \
  "   ORDER BY lower DESC LIMIT 1) << 39) | " row "id)"

/* Cuts the name order into at most 4096 buckets of at least 64 clients,
 * numbered 256 apart so that a bucket can later be split in place. */
#define DESK_CLIENT_SEARCH_BUCKETS_SQL                                         \
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
#define DESK_CLIENT_SEARCH_FILL_SQL                                            \
  "INSERT INTO client_search (rowid, search_text)"                            \
  "  SELECT " DESK_CLIENT_SEARCH_KEY ("") ", search_text FROM clients"        \
  "  ORDER BY 1;"                                                             \
  "INSERT INTO client_search (client_search) VALUES ('optimize');"

/* Splits the buckets of client_search that hold more than @max_rows
 * clients, each in a short write transaction of its own that re-keys at
 * most @max_move clients, until none is left to split; a bucket of one
 * name, or with no number left between it and the next, stays as it is.
 * Sets @n_split to the splits made. */
gboolean _desk_client_search_balance (sqlite3       *db,
                                      guint          max_rows,
                                      guint          max_move,
                                      GCancellable  *cancellable,
                                      guint         *n_split,
                                      GError       **error);

/* A member's counts (?1 the member, ?2 now), read on the main thread: each
 * is a range of an index alone (schema 5; test-store checks the plan). */
#define DESK_MEMBER_SUMMARY_SQL                                                            \
  "SELECT"                                                                                \
  " (SELECT count(*) FROM appointments"                                                   \
  "   WHERE practitioner_id = ?1 AND starts_at >= ?2 AND status = 'booked'),"             \
  " (SELECT count(*) FROM qnaire_schedules WHERE practitioner_id = ?1 AND status = 'active'),"\
  " (SELECT count(*) FROM qnaire_sends WHERE practitioner_id = ?1 AND status = 'sent'),"  \
  " (SELECT count(*) FROM inbox_items WHERE member_id = ?1 AND folder = 'inbox'),"        \
  " (SELECT count(*) FROM inbox_items"                                                    \
  "   WHERE member_id = ?1 AND folder = 'inbox' AND snoozed_until > ?2),"                 \
  " (SELECT count(*) FROM lab_integrations WHERE member_id = ?1),"                        \
  " (SELECT count(*) FROM lab_integrations WHERE member_id = ?1 AND is_main = 1),"        \
  " (SELECT count(*) FROM billing_connections"                                            \
  "   WHERE member_id = ?1 AND status = 'connected'),"                                    \
  " (SELECT coalesce (sum (bit), 0) FROM permissions WHERE code IN"                       \
  "   (SELECT rp.permission FROM member_roles mr"                                         \
  "     JOIN role_permissions rp ON rp.role_id = mr.role_id WHERE mr.member_id = ?1))"    \
  " FROM members WHERE id = ?1"

/* Steps a one-row statement: TRUE on its row; otherwise FALSE with @error
 * set and the statement reset (DESK_STORE_ERROR_NO_SUCH_RECORD saying
 * @missing when there is no row). */
gboolean _desk_store_step_one (DeskStore    *self,
                               sqlite3_stmt *stmt,
                               const char   *missing,
                               GError      **error);
/* The one number a query gives, with @bind_text as its parameter unless NULL. */
guint    _desk_store_count    (DeskStore    *self,
                               const char   *sql,
                               const char   *bind_text,
                               GError      **error);

G_END_DECLS
