/* desk-client-order.h: the name order of every client, for ranking search hits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An immutable snapshot, shared between the main thread and workers: the
 * position of each client id in name order, and the characters that occur
 * in the clients' search text. */
typedef struct _DeskClientOrder DeskClientOrder;

DeskClientOrder *_desk_client_order_new          (const gint64    *ids,
                                                  guint            n_ids,
                                                  const char      *alphabet);
DeskClientOrder *_desk_client_order_ref          (DeskClientOrder *self);
void             _desk_client_order_unref        (DeskClientOrder *self);
gboolean         _desk_client_order_rank         (DeskClientOrder *self,
                                                  gint64           id,
                                                  guint32         *rank);
const char      *_desk_client_order_get_alphabet (DeskClientOrder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskClientOrder, _desk_client_order_unref)

G_END_DECLS
