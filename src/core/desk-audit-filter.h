/* desk-audit-filter.h: which entries of the audit log to show or export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _DeskAuditFilter DeskAuditFilter;

/* Every field left at 0 (or NULL) matches everything; the fields that are
 * set must all match. */
struct _DeskAuditFilter
{
  gint64  actor_id;    /* the member who acted; 0: anyone, the system too */
  gint64  client_id;   /* the client the entry is about; 0: any record */
  char   *action;      /* "member.deactivate"; ending in "." a prefix ("member."); NULL: any */
  gint64  since;       /* entries at or after this time (Unix time); 0: no bound */
  gint64  until;       /* entries before this time (Unix time); 0: no bound */
};

#define DESK_TYPE_AUDIT_FILTER (desk_audit_filter_get_type ())

GType            desk_audit_filter_get_type  (void) G_GNUC_CONST;

DeskAuditFilter *desk_audit_filter_new       (void);
DeskAuditFilter *desk_audit_filter_copy      (const DeskAuditFilter *filter);
void             desk_audit_filter_free      (DeskAuditFilter       *filter);
gboolean         desk_audit_filter_equal     (const DeskAuditFilter *a,
                                              const DeskAuditFilter *b);
/* Whether it matches every entry. */
gboolean         desk_audit_filter_is_empty  (const DeskAuditFilter *filter);
/* Sets the action, NULL or "" for any. */
void             desk_audit_filter_set_action (DeskAuditFilter      *filter,
                                               const char           *action);
/* Whether @action can name an action or a prefix of actions: not empty,
 * without spaces or control characters. */
gboolean         desk_audit_action_is_valid  (const char            *action);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskAuditFilter, desk_audit_filter_free)

G_END_DECLS
