/* desk-clients-view-private.h: the clients view, shared with its selection mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-client-detail.h"
#include "desk-clients-view.h"
#include "desk-record-marks.h"
#include "desk-record-selection.h"

G_BEGIN_DECLS

struct _DeskClientsView
{
  GtkWidget           parent_instance;

  DeskStore          *store;
  DeskRecordList     *list;
  DeskRecordSelection *selection;
  gint64              query_started;   /* when the running query started, for the debug log */
  DeskClientDetail   *detail;          /* made when a client is first shown */
  gboolean            rows_shown;      /* a frame has drawn this clinic's rows */
  GdkFrameClock      *frame_clock;     /* while the details wait for that frame */
  gulong              after_paint_id;

  /* Template widgets */
  AdwLeaflet         *leaflet;
  GtkWidget          *list_pane;
  GtkWidget          *detail_pane;
  GtkSearchEntry     *search_entry;
  GtkSpinner         *spinner;
  GtkWidget          *search_box;
  GtkWidget          *filter_box;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *portal_dropdown;
  GtkStack           *content_stack;
  GtkListView        *list_view;
  AdwStatusPage      *no_results_page;
  GtkLabel           *count_label;
  GtkStack           *detail_stack;
  GtkWidget          *back_button;

  /* Selection mode (desk-clients-bulk.c) */
  GHashTable         *rows;             /* DeskRecordRow -> GtkListItem, those set up */
  gboolean            selection_mode;
  guint               checks_source;    /* adding check buttons to rows out of sight */
  DeskRecordMarks    *marks;            /* the selection's, watched */
  GCancellable       *bulk_cancellable; /* a bulk action from its ids to its toast */
  gboolean            bulk_preparing;   /* reading the ids, asking */
  gboolean            bulk_running;     /* the change on its worker */
  char               *bulk_status;      /* "Discharging 12 clients…" while it runs */
  GtkWindow          *bulk_dialog;      /* weak: the question asked now */
  GtkToggleButton    *select_button;
  GtkRevealer        *selection_bar;
  GtkLabel           *selection_label;
  GtkSpinner         *bulk_spinner;
  GtkWidget          *discharge_button;
  GtkWidget          *activate_button;
  GtkWidget          *portal_button;
};

/* desk-clients-bulk.c: selection mode and the bulk actions */
void _desk_clients_view_bulk_class_init (GtkWidgetClass      *widget_class);
void _desk_clients_view_bulk_init       (DeskClientsView     *self);
void _desk_clients_view_bulk_dispose    (DeskClientsView     *self);
/* The list has a new selection (a new session), or none. */
void _desk_clients_view_bulk_watch      (DeskClientsView     *self,
                                         DeskRecordSelection *selection);
/* A new search or filter: nothing stays selected. */
void _desk_clients_view_unmark_all      (DeskClientsView     *self);
/* The session ends: selection mode, its questions and the bulk action under
 * way (whose answer is no longer shown) go with it. */
void _desk_clients_view_bulk_forget     (DeskClientsView     *self);
/* Whether a click activates a row (a folded view, not in selection mode). */
void _desk_clients_view_update_activation (DeskClientsView   *self);

G_END_DECLS
