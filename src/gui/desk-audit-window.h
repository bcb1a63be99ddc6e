/* desk-audit-window.h: the audit log, filtered, for members who may view it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_AUDIT_WINDOW (desk_audit_window_get_type ())
G_DECLARE_FINAL_TYPE (DeskAuditWindow, desk_audit_window, DESK, AUDIT_WINDOW, AdwWindow)

/* A window over @parent showing the audit log to @session's member; without
 * the "view the audit log" permission it says so and shows nothing. */
DeskAuditWindow *desk_audit_window_new            (GtkWindow       *parent,
                                                   DeskSession     *session);

DeskSession     *desk_audit_window_get_session    (DeskAuditWindow *self);

/* Exports the entries the filters select to @file as CSV, in the background,
 * as the Export button does once its file dialog is answered; the outcome
 * is shown in a toast. */
void             desk_audit_window_export_to_file (DeskAuditWindow *self,
                                                   GFile           *file);
/* TRUE while an export runs. */
gboolean         desk_audit_window_get_exporting  (DeskAuditWindow *self);

G_END_DECLS
