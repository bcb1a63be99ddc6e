/* desk-audit.h: the clinic's append-only, hash-chained audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-audit-filter.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_AUDIT_ERROR (desk_audit_error_quark ())

typedef enum
{
  DESK_AUDIT_ERROR_BROKEN,          /* an entry was changed, removed or forged */
  DESK_AUDIT_ERROR_CUT_SHORT,       /* entries an earlier check saw are gone from the end */
  DESK_AUDIT_ERROR_INVALID_RECEIPT, /* not a receipt desk_audit_verify_receipt() gave */
  DESK_AUDIT_ERROR_UNPROTECTED,     /* the triggers that keep the log were removed or changed,
                                     * or a trigger was added */
} DeskAuditError;

typedef enum
{
  DESK_AUDIT_FORMAT_CSV,
  DESK_AUDIT_FORMAT_JSON,
} DeskAuditFormat;

GQuark   desk_audit_error_quark (void);

/* Checks first that the schema's protective triggers and tables are as
 * shipped (else DESK_AUDIT_ERROR_UNPROTECTED, saying what differs), then
 * recomputes the whole chain.  On a broken chain, fails with
 * DESK_AUDIT_ERROR_BROKEN and sets @first_broken to the first entry that
 * does not follow from the ones before it. */
gboolean desk_audit_verify      (DeskStore        *store,
                                 guint64          *n_entries,
                                 gint64           *first_broken,
                                 GCancellable     *cancellable,
                                 GError          **error);

/* The same, and a receipt of the chain as it stands: "ID:HASH" of its last
 * entry, in @receipt_out.  Whoever checks the log keeps it; given back as
 * @receipt to a later check, it finds what the chain alone cannot: entries
 * cut off the end (DESK_AUDIT_ERROR_CUT_SHORT), or a chain computed anew
 * after an edit (DESK_AUDIT_ERROR_BROKEN at the receipt's entry). */
gboolean desk_audit_verify_receipt (DeskStore     *store,
                                    const char    *receipt,
                                    guint64       *n_entries,
                                    char         **receipt_out,
                                    gint64        *first_broken,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* What @action means, in words for the person reading the log (translated),
 * or NULL for an action this version does not know: show the code then. */
const char *desk_audit_action_label (const char *action);

/* Every entry, oldest first, as CSV (RFC 4180, with a header line) or as a
 * JSON array, streamed to @out.  Needs the "view the audit log" permission;
 * the export itself is recorded in the log first. */
gboolean desk_audit_export      (DeskSession      *session,
                                 DeskAuditFormat   format,
                                 GOutputStream    *out,
                                 GCancellable     *cancellable,
                                 GError          **error);

/* The same, limited to the entries that match @filter (NULL: all), still
 * oldest first; the export's entry in the log says which filter it used. */
gboolean desk_audit_export_filtered (DeskSession            *session,
                                     DeskAuditFormat         format,
                                     const DeskAuditFilter  *filter,
                                     GOutputStream          *out,
                                     GCancellable           *cancellable,
                                     GError                **error);

/* The same into @file (replaced), on a worker thread with its own
 * connection; a failed or cancelled export leaves no file behind. */
void     desk_audit_export_file_async  (DeskSession            *session,
                                        DeskAuditFormat         format,
                                        const DeskAuditFilter  *filter,
                                        GFile                  *file,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean desk_audit_export_file_finish (DeskSession            *session,
                                        GAsyncResult           *result,
                                        GError                **error);

/* The distinct actions in the log ("client.discharge", ...), sorted; needs
 * the "view the audit log" permission.  One index seek per action. */
char   **desk_audit_get_actions        (DeskSession            *session,
                                        GError                **error);
void     desk_audit_get_actions_async  (DeskSession            *session,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
char   **desk_audit_get_actions_finish (DeskSession            *session,
                                        GAsyncResult           *result,
                                        GError                **error);

G_END_DECLS
