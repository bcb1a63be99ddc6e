/* desk-inbox-private.h: reading inbox items, for the model layer only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-inbox-item.h"

G_BEGIN_DECLS

/* The columns _desk_inbox_item_new_from_row() reads, over
 * DESK_INBOX_ITEM_JOIN ("i" the inbox item); ?1 is the present, for
 * whether a snooze still holds.  An item a deactivation moved keeps that
 * deactivation (its member_status_changes row) and its previous holder; one
 * delivered in a deactivated member's place keeps whom it was addressed to
 * (schema 7).  Each is joined by primary key. */
#define DESK_INBOX_ITEM_COLUMNS \
  "i.id, i.message_id, i.received_at, i.is_read," \
  " CASE WHEN i.snoozed_until > ?1 THEN i.snoozed_until ELSE 0 END," \
  " msg.subject," \
  " coalesce (s.given_name || ' ' || s.family_name, sc.given_name || ' ' || sc.family_name, '')," \
  " msg.sender_member_id IS NULL," \
  " coalesce (s.status = 'deactivated', 0)," \
  " coalesce (c.given_name || ' ' || c.family_name, '')," \
  " f.given_name || ' ' || f.family_name," \
  " coalesce (i.forwarded_at, 0)," \
  " coalesce (d.at, 0)," \
  " t.given_name || ' ' || t.family_name"

#define DESK_INBOX_ITEM_JOIN \
  " JOIN messages msg ON msg.id = i.message_id" \
  " LEFT JOIN members s ON s.id = msg.sender_member_id" \
  " LEFT JOIN clients sc ON sc.id = msg.sender_client_id" \
  " LEFT JOIN clients c ON c.id = msg.client_id" \
  " LEFT JOIN members f ON f.id = i.forwarded_from_member_id" \
  " LEFT JOIN member_status_changes d ON d.id = i.deactivation_id" \
  " LEFT JOIN members t ON t.id = i.addressed_to_member_id"

DeskInboxItem *_desk_inbox_item_new_from_row (sqlite3_stmt *stmt);
/* A placeholder that keeps a list whole when a row went missing. */
DeskInboxItem *_desk_inbox_item_new_empty    (void);

G_END_DECLS
