/* desk-delivery.h: delivering a message to a member, never to nobody
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message addressed to a member reaches them while they are active.
 * Once they are deactivated it reaches the colleague who received their
 * inbox at their deactivation (following that colleague's own deactivation
 * in turn), or, when their inbox was archived or the chain ends with no
 * active member, every active member who may edit other users.  The inbox
 * item records whom the message was addressed to, so that the receiver sees
 * why it reached them.
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_DELIVERY_ERROR (desk_delivery_error_quark ())

typedef enum
{
  DESK_DELIVERY_ERROR_NO_RECIPIENT,   /* no active member could receive it */
  DESK_DELIVERY_ERROR_INVALID,        /* an empty subject, or a sender that is no one */
} DeskDeliveryError;

GQuark desk_delivery_error_quark (void);

/* Delivers a message to @to_member_id as @session's member (the sender,
 * unless @from_client_id is not 0: a message from a client, brought in by
 * an integration); @client_id (0 for none) is the client it concerns.  Any
 * signed-in member may deliver.  On success @recipients (if not NULL)
 * receives the ids of the members it reached (gint64), and @message_id its
 * id.  One change, audited. */
gboolean desk_delivery_deliver (DeskSession  *session,
                                gint64        to_member_id,
                                gint64        from_client_id,
                                gint64        client_id,
                                const char   *subject,
                                const char   *body,
                                gint64       *message_id,
                                GArray      **recipients,
                                GError      **error);

G_END_DECLS
