/* desk-client-order.c: the name order of every client, for ranking search hits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trigram index finds a search's matches in a few milliseconds, but in
 * id order; sorting them by name in SQL reads a row per match.  The full
 * client list already walks the name order once, so its ids become this
 * table of ranks (four bytes a client) and hits are sorted in memory.
 */
#include "config.h"

#include "desk-client-order.h"

struct _DeskClientOrder
{
  gint64   max_id;
  guint32 *rank_of;   /* by id: rank + 1, 0 when the id was not listed */
  char    *alphabet;
};

static void
client_order_clear (gpointer data)
{
  DeskClientOrder *self = data;

  g_free (self->rank_of);
  g_free (self->alphabet);
}

DeskClientOrder *
_desk_client_order_new (const gint64 *ids,
                        guint         n_ids,
                        const char   *alphabet)
{
  DeskClientOrder *self = g_atomic_rc_box_new0 (DeskClientOrder);

  for (guint i = 0; i < n_ids; i++)
    self->max_id = MAX (self->max_id, ids[i]);
  self->rank_of = g_new0 (guint32, self->max_id + 1);
  for (guint i = 0; i < n_ids; i++)
    {
      if (ids[i] > 0)
        self->rank_of[ids[i]] = i + 1;
    }
  self->alphabet = g_strdup (alphabet != NULL ? alphabet : "");

  return self;
}

DeskClientOrder *
_desk_client_order_ref (DeskClientOrder *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
_desk_client_order_unref (DeskClientOrder *self)
{
  g_atomic_rc_box_release_full (self, client_order_clear);
}

gboolean
_desk_client_order_rank (DeskClientOrder *self,
                         gint64           id,
                         guint32         *rank)
{
  if (id <= 0 || id > self->max_id || self->rank_of[id] == 0)
    return FALSE;
  *rank = self->rank_of[id] - 1;
  return TRUE;
}

const char *
_desk_client_order_get_alphabet (DeskClientOrder *self)
{
  return self->alphabet;
}
