/* desk-members-view.h: the clinic's members, active and deactivated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-record-list.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_MEMBERS_VIEW (desk_members_view_get_type ())
G_DECLARE_FINAL_TYPE (DeskMembersView, desk_members_view, DESK, MEMBERS_VIEW, GtkWidget)

DeskStore        *desk_members_view_get_store        (DeskMembersView  *self);
void              desk_members_view_set_store        (DeskMembersView  *self,
                                                      DeskStore        *store);
DeskMemberStatus  desk_members_view_get_status       (DeskMembersView  *self);
void              desk_members_view_set_status       (DeskMembersView  *self,
                                                      DeskMemberStatus  status);
DeskRecordList   *desk_members_view_get_list         (DeskMembersView  *self,
                                                      DeskMemberStatus  status);
GtkEditable      *desk_members_view_get_search_entry (DeskMembersView  *self);
GtkListView      *desk_members_view_get_list_view    (DeskMembersView  *self);
/* One of the DESK_LIST_PAGE_* names. */
const char       *desk_members_view_get_content_page (DeskMembersView  *self);
void              desk_members_view_focus_search     (DeskMembersView  *self);
void              desk_members_view_focus_list       (DeskMembersView  *self);

G_END_DECLS
