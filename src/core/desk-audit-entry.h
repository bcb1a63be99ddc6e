/* desk-audit-entry.h: one entry of the audit log, as a list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DESK_TYPE_AUDIT_ENTRY (desk_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (DeskAuditEntry, desk_audit_entry, DESK, AUDIT_ENTRY, GObject)

gint64      desk_audit_entry_get_id          (DeskAuditEntry *self);
/* Unix time. */
gint64      desk_audit_entry_get_time        (DeskAuditEntry *self);
/* 0: the system (no member). */
gint64      desk_audit_entry_get_actor_id    (DeskAuditEntry *self);
/* The member's full name; "" for the system. */
const char *desk_audit_entry_get_actor_name  (DeskAuditEntry *self);
/* The member's username; "" for the system. */
const char *desk_audit_entry_get_actor_username (DeskAuditEntry *self);
const char *desk_audit_entry_get_action      (DeskAuditEntry *self);
/* "member", "client", "clinic", ... */
const char *desk_audit_entry_get_target_kind (DeskAuditEntry *self);
/* 0: none. */
gint64      desk_audit_entry_get_target_id   (DeskAuditEntry *self);
/* The member's or client's name, the clinic's name; "" when unknown. */
const char *desk_audit_entry_get_target_name (DeskAuditEntry *self);
const char *desk_audit_entry_get_reason      (DeskAuditEntry *self);
/* A JSON object. */
const char *desk_audit_entry_get_details     (DeskAuditEntry *self);

G_END_DECLS
