/* desk-audit-list.h: the audit log as a GListModel, paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-audit-filter.h"
#include "desk-paged-list.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_AUDIT_LIST (desk_audit_list_get_type ())
G_DECLARE_FINAL_TYPE (DeskAuditList, desk_audit_list, DESK, AUDIT_LIST, DeskPagedList)

/* Items are DeskAuditEntry, newest first (by time, then by entry number).
 * Needs the "view the audit log" permission, checked again before every
 * query and every page read.  The list starts empty: desk_audit_list_reload()
 * loads it in the background, desk_audit_list_load_sync() at once. */
DeskAuditList         *desk_audit_list_new            (DeskSession            *session,
                                                       GError                **error);

DeskSession           *desk_audit_list_get_session    (DeskAuditList          *self);
/* Never NULL; an empty filter matches every entry. */
const DeskAuditFilter *desk_audit_list_get_filter     (DeskAuditList          *self);
/* Copies @filter (NULL: every entry) and queries again if it changed. */
void                   desk_audit_list_set_filter     (DeskAuditList          *self,
                                                       const DeskAuditFilter  *filter);

/* TRUE while a query runs in the background; the items are those of the
 * previous query until its first pages are known. */
gboolean               desk_audit_list_get_loading    (DeskAuditList          *self);
/* The error of the last query (a refused permission too), if it failed. */
const GError          *desk_audit_list_get_error      (DeskAuditList          *self);

/* Queries again in the background, e.g. after entries were added. */
void                   desk_audit_list_reload         (DeskAuditList          *self);
/* Queries on the calling thread, for the command line and tests. */
gboolean               desk_audit_list_load_sync      (DeskAuditList          *self,
                                                       GCancellable           *cancellable,
                                                       GError                **error);

/* Rows read from SQLite for pages so far (for tests and benchmarks). */
guint                  desk_audit_list_get_rows_fetched (DeskAuditList        *self);

G_END_DECLS
