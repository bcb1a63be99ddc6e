/* desk-inbox-item.h: one message in a member's inbox, as a list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DESK_TYPE_INBOX_ITEM (desk_inbox_item_get_type ())
G_DECLARE_FINAL_TYPE (DeskInboxItem, desk_inbox_item, DESK, INBOX_ITEM, GObject)

gint64      desk_inbox_item_get_id                  (DeskInboxItem *self);
gint64      desk_inbox_item_get_message_id          (DeskInboxItem *self);
/* When it reached this inbox (Unix time). */
gint64      desk_inbox_item_get_received_at         (DeskInboxItem *self);
gboolean    desk_inbox_item_get_is_read             (DeskInboxItem *self);
const char *desk_inbox_item_get_subject             (DeskInboxItem *self);

/* The member or client who sent it. */
const char *desk_inbox_item_get_sender_name         (DeskInboxItem *self);
gboolean    desk_inbox_item_get_sender_is_client    (DeskInboxItem *self);
/* The sender is a member who has been deactivated ("User deactivated"). */
gboolean    desk_inbox_item_get_sender_deactivated  (DeskInboxItem *self);
/* The client the message is about, or "". */
const char *desk_inbox_item_get_client_name         (DeskInboxItem *self);

/* Snoozed: still in the inbox, hidden until this time (0: not snoozed,
 * or no longer, at the time the list read it). */
gint64      desk_inbox_item_get_snoozed_until       (DeskInboxItem *self);

/* Where it came from: the member whose inbox it was in before it was
 * forwarded here (NULL: it was delivered here), and, when a deactivation
 * moved it, when that member was deactivated (0 otherwise). */
const char *desk_inbox_item_get_forwarded_from_name (DeskInboxItem *self);
gint64      desk_inbox_item_get_forwarded_at        (DeskInboxItem *self);
gint64      desk_inbox_item_get_deactivated_at      (DeskInboxItem *self);
/* The deactivated colleague it was addressed to, when it reached this
 * member in their place (NULL otherwise). */
const char *desk_inbox_item_get_addressed_to_name   (DeskInboxItem *self);

G_END_DECLS
