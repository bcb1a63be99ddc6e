/* desk-audit-private.h: writing the audit log, for the model layer only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-audit.h"
#include "desk-audit-entry.h"
#include "desk-audit-filter.h"
#include "desk-audit-list.h"

G_BEGIN_DECLS

/* Appends an entry inside the caller's open transaction, so that the entry
 * and the change it records commit together or not at all.  @actor_id 0
 * is the system; @target_id 0 is none; @details is a JSON object or NULL. */
gboolean _desk_audit_append (sqlite3     *db,
                             gint64       at,
                             gint64       actor_id,
                             const char  *action,
                             const char  *target_kind,
                             gint64       target_id,
                             const char  *reason,
                             const char  *details,
                             GError     **error);

/* The columns _desk_audit_entry_new_from_row() reads, over ENTRY_FROM. */
/* The actor as the entry stores them (schema 6, covered by its hash); an
 * entry from before has none, and shows the member as they are now. */
#define DESK_AUDIT_ENTRY_COLUMNS \
  "a.id, a.at, coalesce (a.actor_member_id, 0)," \
  " coalesce (a.actor_name, m.given_name || ' ' || m.family_name, '')," \
  " coalesce (a.actor_username, m.username, '')," \
  " a.action, a.target_kind, coalesce (a.target_id, 0)," \
  " coalesce (CASE a.target_kind" \
  "   WHEN 'client' THEN (SELECT c.given_name || ' ' || c.family_name FROM clients c" \
  "                        WHERE c.id = a.target_id)" \
  "   WHEN 'member' THEN (SELECT t.given_name || ' ' || t.family_name FROM members t" \
  "                        WHERE t.id = a.target_id)" \
  "   WHEN 'clinic' THEN (SELECT k.name FROM clinic k WHERE k.id = a.target_id) END, '')," \
  " a.reason, a.details"
#define DESK_AUDIT_ENTRY_JOIN " LEFT JOIN members m ON m.id = a.actor_member_id"

DeskAuditEntry *_desk_audit_entry_new (gint64      id,
                                       gint64      at,
                                       gint64      actor_id,
                                       const char *actor_name,
                                       const char *actor_username,
                                       const char *action,
                                       const char *target_kind,
                                       gint64      target_id,
                                       const char *target_name,
                                       const char *reason,
                                       const char *details);
DeskAuditEntry *_desk_audit_entry_new_from_row (sqlite3_stmt *stmt);

/* The filter as SQL over "audit_log a": appends " WHERE ...", with the
 * parameters ?1 to ?7; _desk_audit_filter_bind() binds them.  With
 * @expand_prefix, an action prefix is matched against the JSON array of
 * actions bound as ?5 (an index range per action), otherwise as a range. */
void     _desk_audit_filter_append_where (const DeskAuditFilter *filter,
                                          gboolean               expand_prefix,
                                          GString               *sql);
void     _desk_audit_filter_bind         (const DeskAuditFilter *filter,
                                          const char            *actions_json,
                                          sqlite3_stmt          *stmt);
gboolean _desk_audit_filter_is_prefix    (const DeskAuditFilter *filter);
char    *_desk_audit_prefix_end          (const char            *prefix);

/* The distinct actions (starting with @prefix, unless NULL), sorted, as a
 * JSON array when @json, else as a GStrv; one index seek each. */
gpointer _desk_audit_collect_actions     (sqlite3               *db,
                                          const char            *prefix,
                                          gboolean               json,
                                          GError               **error);

/* For the tests: the page keys (or row keys) the list holds in memory. */
guint    _desk_audit_list_get_keys_held  (DeskAuditList         *self);

G_END_DECLS
