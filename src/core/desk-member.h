/* desk-member.h: a member of the clinic (provider or employee)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

G_END_DECLS
