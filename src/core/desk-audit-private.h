/* desk-audit-private.h: writing the audit log, for the model layer only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-audit.h"

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

G_END_DECLS
