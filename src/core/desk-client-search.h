/* desk-client-search.h: client search by the trigram index, for the lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the index is laid out (and kept small) is desk-client-search.c's
 * alone; a list asks it for the ids that match, in name order.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "desk-client-order.h"
#include "desk-types.h"

G_BEGIN_DECLS

/* A search: every word must occur in the client's folded search text. */
typedef struct
{
  char            **terms;        /* folded words, at least one */
  const char       *status;       /* "active", "inactive", or NULL: any */
  const char       *portal;       /* "enabled", "disabled", or NULL: any */
  DeskClientOrder  *order;        /* the name order to rank hits by, or NULL */
  GCancellable     *cancellable;
  /* Called on the searching thread with the first @first_screen ids, in
   * name order, as soon as no hit still to come can rank before them. */
  guint             first_screen;
  void            (*hand_over)   (const gint64 *ids,
                                  guint         n,
                                  gpointer      user_data);
  gpointer          user_data;
} DeskClientSearch;

/* Appends the ids of the clients @search matches to @ids, in name order,
 * and sets @handled; leaves @handled FALSE (and @ids empty) when the index
 * cannot rank them: then the caller walks the name order. */
gboolean  _desk_client_search_run            (sqlite3                *db,
                                              const DeskClientSearch *search,
                                              GArray                 *ids,
                                              gboolean               *handled,
                                              GError                **error);

/* The characters of every client's search text (for ranking later
 * searches; see _desk_client_order_new()). */
char     *_desk_client_search_read_alphabet  (sqlite3                *db,
                                              GCancellable           *cancellable,
                                              GError                **error);

/* Empties the index and builds it anew from the clients (the demo). */
gboolean  _desk_client_search_rebuild        (sqlite3                *db,
                                              GError                **error);

/* Splits, in the background and on a connection of its own, the index's
 * buckets that have grown too big (after the integrity check, say); sets
 * @n_split to how many. */
void      desk_client_search_balance_async   (DeskStore              *store,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
gboolean  desk_client_search_balance_finish  (DeskStore              *store,
                                              GAsyncResult           *result,
                                              guint                  *n_split,
                                              GError                **error);

/* For tests, which check the index itself.  A client's rowid in the index:
 * its bucket (a slice of the name order) in the top 24 bits, its id in the
 * low 39; @row is the SQL prefix of the columns: "", "new." or "old.". */
#define DESK_CLIENT_SEARCH_KEY(row)                                            \
  "(((SELECT bucket FROM client_search_buckets WHERE lower <= " row "sort_key" \
  "   ORDER BY lower DESC LIMIT 1) << 39) | " row "id)"

/* Splits the buckets that hold more than @max_rows clients, each in a
 * short write transaction of its own that re-keys at most @max_move
 * clients, until none is left to split; a bucket of one name, or with no
 * number left between it and the next, stays as it is. */
gboolean  _desk_client_search_balance        (sqlite3                *db,
                                              guint                   max_rows,
                                              guint                   max_move,
                                              GCancellable           *cancellable,
                                              guint                  *n_split,
                                              GError                **error);

G_END_DECLS
