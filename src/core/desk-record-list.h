/* desk-record-list.h: a GListModel of members or clients paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-paged-list.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_RECORD_LIST (desk_record_list_get_type ())
G_DECLARE_FINAL_TYPE (DeskRecordList, desk_record_list, DESK, RECORD_LIST, DeskPagedList)

/* Items are DeskMember, sorted by family then given name. */
DeskRecordList         *desk_record_list_new_members      (DeskStore              *store,
                                                           DeskMemberStatus        status);
/* Items are DeskClient, sorted by family then given name. */
DeskRecordList         *desk_record_list_new_clients      (DeskStore              *store);

DeskStore              *desk_record_list_get_store        (DeskRecordList         *self);
GType                   desk_record_list_get_record_type  (DeskRecordList         *self);

/* Every word of @search must occur, case and accents aside, in the name,
 * or the part of the e-mail address before the @ (members: also the
 * username; clients: also the phone number).  A search that
 * desk_search_text_check() refuses matches nothing, and
 * desk_record_list_get_error() says why until the search changes. */
const char             *desk_record_list_get_search       (DeskRecordList         *self);
void                    desk_record_list_set_search       (DeskRecordList         *self,
                                                           const char             *search);
DeskClientStatusFilter  desk_record_list_get_status_filter (DeskRecordList        *self);
void                    desk_record_list_set_status_filter (DeskRecordList        *self,
                                                            DeskClientStatusFilter filter);
DeskPortalFilter        desk_record_list_get_portal_filter (DeskRecordList        *self);
void                    desk_record_list_set_portal_filter (DeskRecordList        *self,
                                                            DeskPortalFilter       filter);

/* TRUE while a query runs in the background; the items are those of the
 * previous query until it ends. */
gboolean                desk_record_list_get_loading      (DeskRecordList         *self);
/* Why the search is refused (DESK_SEARCH_TEXT_ERROR), or else the error
 * of the last query, if it failed. */
const GError           *desk_record_list_get_error        (DeskRecordList         *self);

/* Runs the query in the background: after creating the list (it starts
 * empty) and after a change to the records. */
void                    desk_record_list_reload           (DeskRecordList         *self);
/* The same after the records changed: the rows already read are read again. */
void                    desk_record_list_refresh          (DeskRecordList         *self);

/* Runs the query on the calling thread, for command-line use and tests. */
gboolean                desk_record_list_load_sync        (DeskRecordList         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);

/* The ids of the records shown, in the list's order (a gint64 for each
 * item): a snapshot that later queries leave as it is, which a selection
 * keeps to name its rows, and may read on any thread.  No row is read. */
GBytes                 *desk_record_list_dup_ids          (DeskRecordList         *self);

/* For benchmarks: rows fetched from SQLite so far, pages cached now. */
guint                   desk_record_list_get_rows_fetched (DeskRecordList         *self);

G_END_DECLS
