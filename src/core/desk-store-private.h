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
void _desk_appointment_set_moved_from (DeskAppointment *self,
                                       const char      *name,
                                       gint64           at);
DeskDocument *_desk_document_new (gint64      id,
                                  const char *title,
                                  const char *kind,
                                  gint64      shared_at,
                                  gboolean    completed);

void _desk_store_mark_demo (DeskStore *self,
                            gint64     seed);

G_END_DECLS

G_BEGIN_DECLS


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
