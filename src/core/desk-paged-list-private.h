/* desk-paged-list-private.h: what a paged list's subclass provides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A subclass says how to query (on a worker thread, on a read-only
 * connection the list keeps between queries) and how to read a page of
 * items (on the main thread); DeskPagedList does the rest: GListModel,
 * the page cache and its bound, generations (a superseded query's result
 * never lands), cancellation, early chunks, errors and pacing.
 */
#pragma once

#include <sqlite3.h>

#include "desk-paged-list.h"

G_BEGIN_DECLS

/* What a query found (DeskPagedResult): its number of items and what the
 * subclass needs to read their pages (ids, keys...).  Immutable once made;
 * shared between threads. */

DeskPagedResult *desk_paged_result_new      (guint            n_items,
                                             gpointer         data,
                                             GDestroyNotify   data_free);
DeskPagedResult *desk_paged_result_ref      (DeskPagedResult *result);
void             desk_paged_result_unref    (DeskPagedResult *result);
guint            desk_paged_result_get_n_items (const DeskPagedResult *result);
gpointer         desk_paged_result_get_data (const DeskPagedResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskPagedResult, desk_paged_result_unref)

/* A running query (DeskPagedQuery), as the worker sees it. */

/* What the subclass's query_new() copied from the list. */
gpointer         desk_paged_query_get_data        (DeskPagedQuery  *query);
GCancellable    *desk_paged_query_get_cancellable (DeskPagedQuery  *query);
/* Shows @partial, the first items of the result, while the query runs on
 * (if it is still the list's latest, and in the background only). */
void             desk_paged_query_hand_over       (DeskPagedQuery  *query,
                                                   DeskPagedResult *partial);


/* The result shown now (never NULL). */
const DeskPagedResult *_desk_paged_list_get_result    (DeskPagedList *self);
/* Counts rows read for pages (desk_paged_list_get_rows_fetched()). */
void                   _desk_paged_list_add_fetched   (DeskPagedList *self,
                                                       guint          n);
/* Makes the list query again; a search and two filters set in one go
 * make one query, started from the main loop. */
void                   _desk_paged_list_schedule      (DeskPagedList *self);

G_END_DECLS
