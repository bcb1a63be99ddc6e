/* desk-inbox-view.h: the signed-in member's messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-inbox-list.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_INBOX_VIEW (desk_inbox_view_get_type ())
G_DECLARE_FINAL_TYPE (DeskInboxView, desk_inbox_view, DESK, INBOX_VIEW, GtkWidget)

DeskSession   *desk_inbox_view_get_session      (DeskInboxView *self);
/* Shows @session's member's inbox (NULL: nothing); the window binds it to
 * its own session. */
void           desk_inbox_view_set_session      (DeskInboxView *self,
                                                 DeskSession   *session);

/* For tests: the list shown (NULL without a session), its list view, and
 * the name of the content page ("list", "empty", "error"). */
DeskInboxList *desk_inbox_view_get_list         (DeskInboxView *self);
GtkListView   *desk_inbox_view_get_list_view    (DeskInboxView *self);
const char    *desk_inbox_view_get_content_page (DeskInboxView *self);

void           desk_inbox_view_focus_list       (DeskInboxView *self);

G_END_DECLS
