/* desk-paged-list.h: a GListModel paged from SQLite, the base of the lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_PAGED_LIST (desk_paged_list_get_type ())
G_DECLARE_DERIVABLE_TYPE (DeskPagedList, desk_paged_list, DESK, PAGED_LIST, GObject)

/* For subclasses: see desk-paged-list-private.h. */
typedef struct _DeskPagedResult DeskPagedResult;
typedef struct _DeskPagedQuery DeskPagedQuery;
struct sqlite3;

struct _DeskPagedListClass
{
  GObjectClass parent_class;

  /* Items read a page at a time, and pages kept at most. */
  guint    page_size;
  guint    max_pages;
  /* A failed query empties the list (else it keeps the last result). */
  gboolean clear_on_error;

  GType            (*get_item_type) (DeskPagedList    *self);

  /* Main thread: the list's query, copied for the worker (freed with
   * query_free); NULL and @error to refuse it. */
  gpointer         (*query_new)     (DeskPagedList    *self,
                                     GError          **error);
  void             (*query_free)    (gpointer          data);
  /* Worker thread (or the caller's, for load_sync): the result.  A
   * transaction left open on @db is ended by the list. */
  DeskPagedResult *(*query_run)     (DeskPagedQuery   *query,
                                     struct sqlite3   *db,
                                     GError          **error);
  /* Main thread, optional: a query's result landed. */
  void             (*query_landed)  (DeskPagedList    *self,
                                     gpointer          data);

  /* Main thread: how many first items @old and @result have in common
   * (optional; none).  Pages within stay cached, and views keep those rows. */
  guint            (*same_prefix)   (DeskPagedList         *self,
                                     const DeskPagedResult *old,
                                     const DeskPagedResult *result);
  /* Main thread: items [@first, @first + @n) of @result, @n of them. */
  GPtrArray       *(*fetch_page)    (DeskPagedList         *self,
                                     const DeskPagedResult *result,
                                     guint                  first,
                                     guint                  n,
                                     GError               **error);
};


DeskStore    *desk_paged_list_get_store        (DeskPagedList *self);

/* TRUE while a query runs in the background, or its result is still
 * being shown (see desk_paged_list_set_pacing()). */
gboolean      desk_paged_list_get_loading      (DeskPagedList *self);
/* The error of the last query, if it failed. */
const GError *desk_paged_list_get_error        (DeskPagedList *self);

/* Queries again in the background; changes made together make one query. */
void          desk_paged_list_reload           (DeskPagedList *self);
/* The same after the records changed: the rows already read are read again. */
void          desk_paged_list_refresh          (DeskPagedList *self);
/* Queries on the calling thread, for the command line and tests. */
gboolean      desk_paged_list_load_sync        (DeskPagedList *self,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* For a view that builds a widget for each row it is told of: when a
 * background query's result fills a list that was empty (or showing only
 * the first rows of that result), it is shown @step items at a time, one
 * step every @interval_ms, until @window items are shown; then the rest at
 * once.  The view knows its frames and how many rows it builds; the list
 * does not.  @step 0 (the default) shows a result at once. */
void          desk_paged_list_set_pacing       (DeskPagedList *self,
                                                guint          step,
                                                guint          window,
                                                guint          interval_ms);

/* Rows read from SQLite for pages so far (for tests and benchmarks). */
guint         desk_paged_list_get_rows_fetched (DeskPagedList *self);

G_END_DECLS
