/* desk-member-detail.h: a member's account and the work in their name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_MEMBER_DETAIL (desk_member_detail_get_type ())
G_DECLARE_FINAL_TYPE (DeskMemberDetail, desk_member_detail, DESK, MEMBER_DETAIL, GtkWidget)

DeskStore  *desk_member_detail_get_store  (DeskMemberDetail *self);
void        desk_member_detail_set_store  (DeskMemberDetail *self,
                                           DeskStore        *store);
DeskMember *desk_member_detail_get_member (DeskMemberDetail *self);
void        desk_member_detail_set_member (DeskMemberDetail *self,
                                           DeskMember       *member);

G_END_DECLS
