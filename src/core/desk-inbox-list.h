/* desk-inbox-list.h: the signed-in member's inbox as a GListModel, paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-inbox-item.h"
#include "desk-paged-list.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_INBOX_LIST (desk_inbox_list_get_type ())
G_DECLARE_FINAL_TYPE (DeskInboxList, desk_inbox_list, DESK, INBOX_LIST, DeskPagedList)

/* Items are DeskInboxItem: the messages in the inbox folder of @session's
 * member, snoozed ones included, newest first (by arrival, then by item
 * number).  Nobody else's: the session is checked again before every query
 * and every page read, and a signed-out or deactivated session reads
 * nothing.  The list starts empty: desk_paged_list_reload() loads it in the
 * background, desk_paged_list_load_sync() at once. */
DeskInboxList *desk_inbox_list_new         (DeskSession    *session,
                                            GError        **error);

DeskSession   *desk_inbox_list_get_session (DeskInboxList  *self);

G_END_DECLS
