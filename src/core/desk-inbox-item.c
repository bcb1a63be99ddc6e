/* desk-inbox-item.c: one message in a member's inbox, as a list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-inbox-private.h"

struct _DeskInboxItem
{
  GObject   parent_instance;

  gint64    id;
  gint64    message_id;
  gint64    received_at;
  gboolean  is_read;
  gint64    snoozed_until;
  char     *subject;
  char     *sender_name;
  gboolean  sender_is_client;
  gboolean  sender_deactivated;
  char     *client_name;
  char     *forwarded_from_name;
  gint64    forwarded_at;
  gint64    deactivated_at;
  char     *addressed_to_name;
};

G_DEFINE_FINAL_TYPE (DeskInboxItem, desk_inbox_item, G_TYPE_OBJECT)

static void
desk_inbox_item_finalize (GObject *object)
{
  DeskInboxItem *self = (DeskInboxItem *) object;

  g_free (self->subject);
  g_free (self->sender_name);
  g_free (self->client_name);
  g_free (self->forwarded_from_name);
  g_free (self->addressed_to_name);

  G_OBJECT_CLASS (desk_inbox_item_parent_class)->finalize (object);
}

static void
desk_inbox_item_class_init (DeskInboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_inbox_item_finalize;
}

static void
desk_inbox_item_init (DeskInboxItem *self)
{
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Private API */

DeskInboxItem *
_desk_inbox_item_new_from_row (sqlite3_stmt *stmt)
{
  DeskInboxItem *self = g_object_new (DESK_TYPE_INBOX_ITEM, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->message_id = sqlite3_column_int64 (stmt, 1);
  self->received_at = sqlite3_column_int64 (stmt, 2);
  self->is_read = sqlite3_column_int (stmt, 3) != 0;
  self->snoozed_until = sqlite3_column_int64 (stmt, 4);
  self->subject = dup_column (stmt, 5);
  self->sender_name = dup_column (stmt, 6);
  self->sender_is_client = sqlite3_column_int (stmt, 7) != 0;
  self->sender_deactivated = sqlite3_column_int (stmt, 8) != 0;
  self->client_name = dup_column (stmt, 9);
  self->forwarded_from_name = dup_column (stmt, 10);
  self->forwarded_at = sqlite3_column_int64 (stmt, 11);
  self->deactivated_at = sqlite3_column_int64 (stmt, 12);
  self->addressed_to_name = dup_column (stmt, 13);
  return self;
}

DeskInboxItem *
_desk_inbox_item_new_empty (void)
{
  DeskInboxItem *self = g_object_new (DESK_TYPE_INBOX_ITEM, NULL);

  self->subject = g_strdup ("");
  self->sender_name = g_strdup ("");
  self->client_name = g_strdup ("");
  return self;
}

/* Public API */

gint64
desk_inbox_item_get_id (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), 0);
  return self->id;
}

gint64
desk_inbox_item_get_message_id (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), 0);
  return self->message_id;
}

gint64
desk_inbox_item_get_received_at (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), 0);
  return self->received_at;
}

gboolean
desk_inbox_item_get_is_read (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), FALSE);
  return self->is_read;
}

const char *
desk_inbox_item_get_subject (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), NULL);
  return self->subject;
}

const char *
desk_inbox_item_get_sender_name (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), NULL);
  return self->sender_name;
}

gboolean
desk_inbox_item_get_sender_is_client (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), FALSE);
  return self->sender_is_client;
}

gboolean
desk_inbox_item_get_sender_deactivated (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), FALSE);
  return self->sender_deactivated;
}

const char *
desk_inbox_item_get_client_name (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), NULL);
  return self->client_name;
}

gint64
desk_inbox_item_get_snoozed_until (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), 0);
  return self->snoozed_until;
}

const char *
desk_inbox_item_get_forwarded_from_name (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), NULL);
  return self->forwarded_from_name;
}

gint64
desk_inbox_item_get_forwarded_at (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), 0);
  return self->forwarded_at;
}

gint64
desk_inbox_item_get_deactivated_at (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), 0);
  return self->deactivated_at;
}

const char *
desk_inbox_item_get_addressed_to_name (DeskInboxItem *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ITEM (self), NULL);
  return self->addressed_to_name;
}
