/* desk-clients-view.c: the clinic's clients, with status and portal access
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-client.h"
#include "desk-changes.h"
#include "desk-client-detail.h"
#include "desk-clients-view-private.h"
#include "desk-a11y.h"
#include "desk-closures.h"
#include "desk-record-row.h"
#include "desk-record-selection.h"
#include "desk-search-text.h"
#include "desk-spinner.h"
#include "desk-store.h"

G_DEFINE_FINAL_TYPE (DeskClientsView, desk_clients_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The drop-downs list their choices in the order of the filter enums. */
G_STATIC_ASSERT (DESK_CLIENT_STATUS_FILTER_ANY == 0);
G_STATIC_ASSERT (DESK_CLIENT_STATUS_FILTER_ACTIVE == 1);
G_STATIC_ASSERT (DESK_CLIENT_STATUS_FILTER_INACTIVE == 2);
G_STATIC_ASSERT (DESK_PORTAL_FILTER_ANY == 0);
G_STATIC_ASSERT (DESK_PORTAL_FILTER_ENABLED == 1);
G_STATIC_ASSERT (DESK_PORTAL_FILTER_DISABLED == 2);

/* Helpers */


static gboolean
has_filter (DeskClientsView *self)
{
  return gtk_drop_down_get_selected (self->status_dropdown) != DESK_CLIENT_STATUS_FILTER_ANY ||
         gtk_drop_down_get_selected (self->portal_dropdown) != DESK_PORTAL_FILTER_ANY;
}

static void update_detail (DeskClientsView *self);

static void
stop_waiting_for_rows (DeskClientsView *self)
{
  if (self->after_paint_id != 0)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

static void
on_after_paint (DeskClientsView *self)
{
  self->rows_shown = TRUE;
  stop_waiting_for_rows (self);
  update_detail (self);
}

/* The details of the client selected with the first rows (the detail page,
 * a query for their documents and appointments) would hold up the frame
 * that shows those rows: they follow one frame later.  Out of sight, map()
 * comes back here. */
static void
wait_for_rows (DeskClientsView *self)
{
  GdkFrameClock *clock;

  if (self->after_paint_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  g_assert (clock != NULL);
  self->frame_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect_object (clock, "after-paint",
                                                  G_CALLBACK (on_after_paint), self,
                                                  G_CONNECT_SWAPPED);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
update_detail (DeskClientsView *self)
{
  DeskClient *client = NULL;

  if (self->selection != NULL)
    client = desk_record_selection_get_selected_item (self->selection);

  if (client != NULL && !self->rows_shown)
    {
      wait_for_rows (self);
      gtk_stack_set_visible_child_name (self->detail_stack, "waiting");
      return;
    }

  stop_waiting_for_rows (self);

  if (client != NULL && self->detail == NULL)
    {
      self->detail = g_object_new (DESK_TYPE_CLIENT_DETAIL, "store", self->store, NULL);
      gtk_stack_add_named (self->detail_stack, GTK_WIDGET (self->detail), "detail");
    }

  if (self->detail != NULL)
    desk_client_detail_set_client (self->detail, client);
  gtk_stack_set_visible_child_name (self->detail_stack, client != NULL ? "detail" : "none");
}

static void
update_state (DeskClientsView *self)
{
  g_autofree char *page = NULL;
  g_autofree char *count = NULL;
  const GError *error;
  gboolean loading = FALSE;
  guint n_items = 0;

  if (self->list != NULL)
    {
      loading = desk_record_list_get_loading (self->list);
      n_items = g_list_model_get_n_items (G_LIST_MODEL (self->list));
    }

  desk_spinner_set_busy (self->spinner, loading);

  page = desk_closures_list_page (self, n_items, loading,
                                  gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                  has_filter (self));
  gtk_stack_set_visible_child_name (self->content_stack, page);

  /* A search the model refuses (too long, not text) says why instead. */
  error = self->list != NULL ? desk_record_list_get_error (self->list) : NULL;
  if (error != NULL && error->domain == DESK_SEARCH_TEXT_ERROR)
    adw_status_page_set_description (self->no_results_page, error->message);
  else
    adw_status_page_set_description (self->no_results_page, _("Try a different search or filter"));

  count = desk_closures_client_count (self, n_items);
  gtk_label_set_label (self->count_label, self->list != NULL ? count : "");
}

static void
show_detail (DeskClientsView *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_widget_grab_focus (self->back_button);
}

/* Callbacks */

static void
on_list_changed (DeskClientsView *self)
{
  gboolean loading = desk_record_list_get_loading (self->list);

  if (loading && self->query_started == 0)
    self->query_started = g_get_monotonic_time ();
  else if (!loading && self->query_started != 0)
    {
      g_debug ("Clients for “%s”: %u in %.1f ms",
               desk_record_list_get_search (self->list),
               g_list_model_get_n_items (G_LIST_MODEL (self->list)),
               (g_get_monotonic_time () - self->query_started) / 1000.0);
      self->query_started = 0;
    }

  update_state (self);
}

static void
on_selection_changed (DeskClientsView *self)
{
  update_detail (self);
}

static void
on_search_changed (DeskClientsView *self,
                   GtkSearchEntry  *entry)
{
  _desk_clients_view_unmark_all (self);
  if (self->list != NULL)
    {
      desk_record_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (entry)));
    }

  update_state (self);
}

static void
on_stop_search (DeskClientsView *self,
                GtkSearchEntry  *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_search_activate (DeskClientsView *self,
                    GtkSearchEntry  *entry)
{
  desk_clients_view_focus_list (self);
}

static void
on_status_filter_changed (DeskClientsView *self,
                          GParamSpec      *pspec,
                          GtkDropDown     *dropdown)
{
  _desk_clients_view_unmark_all (self);
  if (self->list != NULL)
    desk_record_list_set_status_filter (self->list, gtk_drop_down_get_selected (dropdown));

  update_state (self);
}

static void
on_portal_filter_changed (DeskClientsView *self,
                          GParamSpec      *pspec,
                          GtkDropDown     *dropdown)
{
  _desk_clients_view_unmark_all (self);
  if (self->list != NULL)
    desk_record_list_set_portal_filter (self->list, gtk_drop_down_get_selected (dropdown));

  update_state (self);
}

static void
on_list_activate (DeskClientsView *self,
                  guint            position,
                  GtkListView     *list_view)
{
  /* In selection mode a row is chosen, not opened. */
  if (self->selection == NULL || self->selection_mode)
    return;

  desk_record_selection_set_selected (self->selection, position);
  show_detail (self);
}

static void
on_back_clicked (DeskClientsView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Overrides */

static void
desk_clients_view_dispose (GObject *object)
{
  DeskClientsView *self = DESK_CLIENTS_VIEW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  desk_clients_view_set_store (self, NULL);
  stop_waiting_for_rows (self);
  _desk_clients_view_bulk_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_CLIENTS_VIEW);
  self->detail = NULL;   /* it was the stack's */
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (desk_clients_view_parent_class)->dispose (object);
}

static void
desk_clients_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DeskClientsView *self = DESK_CLIENTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_clients_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DeskClientsView *self = DESK_CLIENTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      desk_clients_view_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_clients_view_class_init (DeskClientsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autoptr(GtkBuilderScope) scope = desk_closures_new_scope ();

  object_class->dispose = desk_clients_view_dispose;
  object_class->get_property = desk_clients_view_get_property;
  object_class->set_property = desk_clients_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DESK_TYPE_CLIENT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "clientsview");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/desk-clients-view.ui");
  gtk_widget_class_set_template_scope (widget_class, scope);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, list_pane);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, portal_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskClientsView, back_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_status_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_portal_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  _desk_clients_view_bulk_class_init (widget_class);
}

/* A list view makes row widgets for up to 200 items as soon as it has a
 * model, shown or not: the model goes in when the view is first shown. */
static void
attach_model (DeskClientsView *self)
{
  GtkSelectionModel *model = NULL;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    model = (GtkSelectionModel *) self->selection;
  if (model == NULL && desk_record_rows_letting_go (self->list_view))
    return;
  if (gtk_list_view_get_model (self->list_view) != model)
    {
      desk_record_rows_set_model (self->list_view, model);
    }
}

static void
on_map (DeskClientsView *self)
{
  attach_model (self);
  update_detail (self);
}

static void
desk_clients_view_init (DeskClientsView *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (stop_waiting_for_rows), NULL);

  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->content_stack));
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->detail_stack));
  desk_a11y_name_drop_down (self->status_dropdown, _("Status"));
  desk_a11y_name_drop_down (self->portal_dropdown, _("Portal access"));

  factory = desk_record_row_factory_new_clients ();
  gtk_list_view_set_factory (self->list_view, factory);
  _desk_clients_view_bulk_init (self);

  gtk_search_entry_set_key_capture_widget (self->search_entry, self->list_pane);

  update_state (self);
  update_detail (self);
}

/* Nothing of a session outlives it (the next member at this desk would see
 * it): its search, its filters, the selection and the client it showed go
 * with its store; the list, the selection and the rows are made anew. */
static void
forget_session (DeskClientsView *self)
{
  if (self->search_entry == NULL)
    return;   /* the template is being disposed */

  _desk_clients_view_bulk_forget (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->status_dropdown, DESK_CLIENT_STATUS_FILTER_ANY);
  gtk_drop_down_set_selected (self->portal_dropdown, DESK_PORTAL_FILTER_ANY);
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

/* Refreshing after a change */

/* A change to clients (here, or another program's) re-runs the list's
 * query on its worker: search, filters, selection and scroll stay. */
static void
on_store_changed (DeskClientsView *self,
                  DeskChanges     *changes)
{
  if (self->list != NULL && (desk_changes_get_kinds (changes) & DESK_RECORD_CLIENT) != 0)
    desk_record_list_refresh (self->list);
}

static void
watch_store_changes (DeskClientsView *self,
                     DeskStore       *old_store,
                     DeskStore       *new_store)
{
  if (old_store != NULL)
    g_signal_handlers_disconnect_by_func (old_store, on_store_changed, self);
  if (new_store != NULL)
    g_signal_connect_object (new_store, "changed", G_CALLBACK (on_store_changed), self,
                             G_CONNECT_SWAPPED);
}

/* Public API */

DeskStore *
desk_clients_view_get_store (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return self->store;
}

void
desk_clients_view_set_store (DeskClientsView *self,
                             DeskStore       *store)
{
  g_return_if_fail (DESK_IS_CLIENTS_VIEW (self));
  g_return_if_fail (store == NULL || DESK_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  _desk_clients_view_bulk_watch (self, NULL);
  /* Its rows go over the next turns (the session's end has a frame to show). */
  if (self->list_view != NULL)
    desk_record_rows_let_go (self->list_view);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);

  watch_store_changes (self, self->store, store);
  g_set_object (&self->store, store);
  forget_session (self);
  self->rows_shown = FALSE;
  stop_waiting_for_rows (self);

  if (store != NULL)
    {
      g_autoptr(GListModel) rows = NULL;

      self->list = desk_record_list_new_clients (store);
      desk_record_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      desk_record_list_set_status_filter (self->list, gtk_drop_down_get_selected (self->status_dropdown));
      desk_record_list_set_portal_filter (self->list, gtk_drop_down_get_selected (self->portal_dropdown));
      g_signal_connect_object (self->list, "notify::n-items",
                               G_CALLBACK (on_list_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->list, "notify::loading",
                               G_CALLBACK (on_list_changed), self, G_CONNECT_SWAPPED);

      rows = desk_record_rows_model_new (G_LIST_MODEL (self->list));
      self->selection = desk_record_selection_new (rows);
      g_signal_connect_object (self->selection, "notify::selected-item",
                               G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
      _desk_clients_view_bulk_watch (self, self->selection);
      attach_model (self);

      desk_record_list_reload (self->list);
    }

  /* Not while the template is being disposed. */
  if (self->detail_stack != NULL)
    {
      if (self->detail != NULL)
        desk_client_detail_set_store (self->detail, store);
      update_state (self);
      update_detail (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DeskRecordList *
desk_clients_view_get_list (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return self->list;
}

GtkEditable *
desk_clients_view_get_search_entry (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GtkListView *
desk_clients_view_get_list_view (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return self->list_view;
}

GtkDropDown *
desk_clients_view_get_status_filter (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return self->status_dropdown;
}

GtkDropDown *
desk_clients_view_get_portal_filter (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return self->portal_dropdown;
}

const char *
desk_clients_view_get_content_page (DeskClientsView *self)
{
  g_return_val_if_fail (DESK_IS_CLIENTS_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

void
desk_clients_view_focus_search (DeskClientsView *self)
{
  g_return_if_fail (DESK_IS_CLIENTS_VIEW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
desk_clients_view_focus_list (DeskClientsView *self)
{
  g_return_if_fail (DESK_IS_CLIENTS_VIEW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), DESK_LIST_PAGE_LIST))
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}
