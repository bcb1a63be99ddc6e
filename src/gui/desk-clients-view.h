/* desk-clients-view.h: the clinic's clients, with status and portal access
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-record-list.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_CLIENTS_VIEW (desk_clients_view_get_type ())
G_DECLARE_FINAL_TYPE (DeskClientsView, desk_clients_view, DESK, CLIENTS_VIEW, GtkWidget)

DeskStore      *desk_clients_view_get_store        (DeskClientsView *self);
void            desk_clients_view_set_store        (DeskClientsView *self,
                                                    DeskStore       *store);
DeskRecordList *desk_clients_view_get_list         (DeskClientsView *self);
GtkEditable    *desk_clients_view_get_search_entry (DeskClientsView *self);
GtkListView    *desk_clients_view_get_list_view    (DeskClientsView *self);
GtkDropDown    *desk_clients_view_get_status_filter (DeskClientsView *self);
GtkDropDown    *desk_clients_view_get_portal_filter (DeskClientsView *self);
/* One of the DESK_LIST_PAGE_* names. */
const char     *desk_clients_view_get_content_page (DeskClientsView *self);
void            desk_clients_view_focus_search     (DeskClientsView *self);
void            desk_clients_view_focus_list       (DeskClientsView *self);

/* Selection mode (desk-clients-bulk.c): its toggle ("Select"), what its
 * bar says, and whether a bulk action is being asked for or runs. */
GtkToggleButton *desk_clients_view_get_select_button   (DeskClientsView *self);
const char      *desk_clients_view_get_selection_text  (DeskClientsView *self);
gboolean         desk_clients_view_get_bulk_busy       (DeskClientsView *self);

G_END_DECLS
