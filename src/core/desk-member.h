/* desk-member.h: a member of the clinic (provider or employee)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_MEMBER (desk_member_get_type ())
G_DECLARE_FINAL_TYPE (DeskMember, desk_member, DESK, MEMBER, GObject)

gint64            desk_member_get_id                  (DeskMember *self);
const char       *desk_member_get_username            (DeskMember *self);
const char       *desk_member_get_given_name          (DeskMember *self);
const char       *desk_member_get_family_name         (DeskMember *self);
const char       *desk_member_get_display_name        (DeskMember *self);
const char       *desk_member_get_email               (DeskMember *self);
DeskMemberKind    desk_member_get_kind                (DeskMember *self);
const char       *desk_member_get_title               (DeskMember *self);
const char       *desk_member_get_province            (DeskMember *self);
DeskMemberStatus  desk_member_get_status              (DeskMember *self);
gboolean          desk_member_get_is_active           (DeskMember *self);
gint64            desk_member_get_deactivated_at      (DeskMember *self);
const char       *desk_member_get_deactivation_reason (DeskMember *self);
const char       *desk_member_get_deactivated_by_name (DeskMember *self);

typedef struct
{
  char   **roles;                 /* role names, sorted */
  char   **groups;                /* group names, sorted */
  guint    permissions;           /* DeskPermission flags, union of the roles' */
  guint    future_appointments;
  guint    recurring_qnaires;
  guint    sent_qnaires;          /* sent and not completed */
  guint    inbox_messages;        /* in the inbox, snoozed included */
  guint    snoozed_messages;
  guint    lab_integrations;
  gboolean main_lab_integration;
  gboolean billing_connected;     /* an MDBilling connection is live */
} DeskMemberSummary;

/* Loading members: NULL (or FALSE) with DESK_STORE_ERROR_NO_SUCH_RECORD
 * when there is none. */
DeskMember       *desk_member_load                    (DeskStore         *store,
                                                       gint64             id,
                                                       GError           **error);
DeskMember       *desk_member_load_by_username        (DeskStore         *store,
                                                       const char        *username,
                                                       GError           **error);
/* What depends on a member: roles, groups, and what a deactivation moves. */
gboolean          desk_member_load_summary            (DeskStore         *store,
                                                       gint64             member_id,
                                                       DeskMemberSummary *summary,
                                                       GError           **error);
void              desk_member_summary_clear           (DeskMemberSummary *summary);
guint             desk_member_count                   (DeskStore         *store,
                                                       DeskMemberStatus   status,
                                                       GError           **error);

/* The active members who may receive a departing member's work, in name
 * order: each word of @text (folded as the members list folds it) found in
 * their name, username or e-mail, @exclude_id (0 for none) left out,
 * providers only when @practitioners_only, at most @limit (0: no limit).
 * A list of DeskMember; refuses @text as desk_search_text_check() does. */
GListModel       *desk_member_find_receivers          (DeskStore         *store,
                                                       const char        *text,
                                                       gboolean           practitioners_only,
                                                       gint64             exclude_id,
                                                       guint              limit,
                                                       GError           **error);

G_END_DECLS
