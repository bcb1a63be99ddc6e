/* desk-members-view.c: the clinic's members, active and deactivated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-closures.h"
#include "desk-record-row.h"
#include "desk-record-selection.h"
#include "desk-search-text.h"
#include "desk-spinner.h"
#include "desk-enums.h"
#include "desk-member.h"
#include "desk-member-detail.h"
#include "desk-changes.h"
#include "desk-members-view.h"
#include "desk-roles-view.h"
#include "desk-store.h"

#define N_STATUSES 2

struct _DeskMembersView
{
  GtkWidget           parent_instance;

  DeskStore          *store;
  DeskRecordList     *lists[N_STATUSES];        /* by DeskMemberStatus */
  DeskRecordSelection *selections[N_STATUSES];
  DeskMemberStatus    status;
  DeskMemberDetail   *detail;          /* made when a member is first shown */

  /* Template widgets */
  AdwLeaflet         *leaflet;
  GtkWidget          *list_pane;
  GtkWidget          *detail_pane;
  GtkSearchEntry     *search_entry;
  GtkSpinner         *spinner;
  GtkToggleButton    *active_toggle;
  GtkToggleButton    *deactivated_toggle;
  GtkLabel           *active_count;
  GtkLabel           *deactivated_count;
  GtkStack           *content_stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *no_results_page;
  GtkStack           *detail_stack;
  GtkWidget          *back_button;
};

G_DEFINE_FINAL_TYPE (DeskMembersView, desk_members_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */


static void
update_count (DeskMembersView  *self,
              DeskMemberStatus  status)
{
  GtkLabel *label = status == DESK_MEMBER_STATUS_ACTIVE ? self->active_count
                                                        : self->deactivated_count;
  GtkToggleButton *toggle = status == DESK_MEMBER_STATUS_ACTIVE ? self->active_toggle
                                                                : self->deactivated_toggle;
  g_autofree char *count = NULL;
  g_autofree char *accessible = NULL;
  guint n_items = 0;

  if (self->lists[status] != NULL)
    n_items = g_list_model_get_n_items (G_LIST_MODEL (self->lists[status]));

  count = g_strdup_printf ("%'u", n_items);
  gtk_label_set_label (label, self->lists[status] != NULL ? count : "");

  if (status == DESK_MEMBER_STATUS_ACTIVE)
    /* Translators: the accessible name of a toggle button; %s is a number */
    accessible = g_strdup_printf (_("Active members: %s"), count);
  else
    /* Translators: the accessible name of a toggle button; %s is a number */
    accessible = g_strdup_printf (_("Deactivated members: %s"), count);

  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
update_detail (DeskMembersView *self)
{
  DeskRecordSelection *selection = self->selections[self->status];
  DeskMember *member = NULL;

  /* A member's summary is a query on the clinic: not for a view out of
   * sight (the window can start on the clients); map() catches up. */
  if (selection != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    member = desk_record_selection_get_selected_item (selection);

  if (member != NULL && self->detail == NULL)
    {
      self->detail = g_object_new (DESK_TYPE_MEMBER_DETAIL, "store", self->store, NULL);
      gtk_stack_add_named (self->detail_stack, GTK_WIDGET (self->detail), "detail");
    }

  if (self->detail != NULL)
    desk_member_detail_set_member (self->detail, member);
  gtk_stack_set_visible_child_name (self->detail_stack, member != NULL ? "detail" : "none");
}

static void
update_state (DeskMembersView *self)
{
  DeskRecordList *list = self->lists[self->status];
  g_autofree char *page = NULL;
  const GError *error;
  gboolean loading = FALSE;
  guint n_items = 0;

  if (list != NULL)
    {
      loading = desk_record_list_get_loading (list);
      n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
    }

  desk_spinner_set_busy (self->spinner, loading);

  page = desk_closures_list_page (self, n_items, loading,
                                  gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                  FALSE);
  gtk_stack_set_visible_child_name (self->content_stack, page);

  /* A search the model refuses (too long, not text) says why instead. */
  error = list != NULL ? desk_record_list_get_error (list) : NULL;
  if (error != NULL && error->domain == DESK_SEARCH_TEXT_ERROR)
    adw_status_page_set_description (self->no_results_page, error->message);
  else
    adw_status_page_set_description (self->no_results_page, _("Try a different search"));

  update_count (self, DESK_MEMBER_STATUS_ACTIVE);
  update_count (self, DESK_MEMBER_STATUS_DEACTIVATED);
}

static void
update_empty_page (DeskMembersView *self)
{
  if (self->status == DESK_MEMBER_STATUS_ACTIVE)
    {
      adw_status_page_set_title (self->empty_page, _("No Members"));
      adw_status_page_set_description (self->empty_page,
                                       _("The providers and employees who sign in to the clinic record appear here"));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Deactivated Members"));
      adw_status_page_set_description (self->empty_page,
                                       _("Members who left the clinic appear here; their history stays in the record"));
    }
}

/* A list view makes row widgets for up to 200 items as soon as it has a
 * model, shown or not: the model goes in when the view is first shown, so
 * that a start on the Clients view does not build the Members rows. */
static void
attach_model (DeskMembersView *self)
{
  GtkSelectionModel *model = NULL;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    model = (GtkSelectionModel *) self->selections[self->status];
  if (model == NULL && desk_record_rows_letting_go (self->list_view))
    return;
  if (gtk_list_view_get_model (self->list_view) != model)
    {
      desk_record_rows_set_model (self->list_view, model);
    }
}

/* Until the view is first shown its content stays hidden: a hidden widget
 * gets no style, size or drawing, and a stack sizes its pages out of sight
 * too, so a start on the Clients view would pay for the Members view in
 * the window's first frame. */
static void
on_map (DeskMembersView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->leaflet), TRUE);
  attach_model (self);
  update_detail (self);
}

static void
show_status (DeskMembersView *self)
{
  attach_model (self);
  update_empty_page (self);
  update_state (self);
  update_detail (self);
}

static void
show_detail (DeskMembersView *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_widget_grab_focus (self->back_button);
}

/* Callbacks */

static void
on_list_changed (DeskMembersView *self)
{
  update_state (self);
}

static void
on_selection_changed (DeskMembersView *self)
{
  update_detail (self);
}

static void
on_search_changed (DeskMembersView *self,
                   GtkSearchEntry  *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  for (guint i = 0; i < N_STATUSES; i++)
    {
      if (self->lists[i] != NULL)
        desk_record_list_set_search (self->lists[i], text);
    }

  update_state (self);
}

static void
on_stop_search (DeskMembersView *self,
                GtkSearchEntry  *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_search_activate (DeskMembersView *self,
                    GtkSearchEntry  *entry)
{
  desk_members_view_focus_list (self);
}

static void
on_status_toggled (DeskMembersView *self,
                   GtkToggleButton *toggle)
{
  if (!gtk_toggle_button_get_active (toggle))
    return;

  desk_members_view_set_status (self, toggle == self->active_toggle
                                        ? DESK_MEMBER_STATUS_ACTIVE
                                        : DESK_MEMBER_STATUS_DEACTIVATED);
}

static void
on_list_activate (DeskMembersView *self,
                  guint            position,
                  GtkListView     *list_view)
{
  DeskRecordSelection *selection = self->selections[self->status];

  if (selection == NULL)
    return;

  desk_record_selection_set_selected (selection, position);
  show_detail (self);
}

/* The row of the list item that @widget is in, or NULL. */
static DeskRecordRow *
row_of (DeskMembersView *self,
        GtkWidget       *widget)
{
  while (widget != NULL && gtk_widget_get_parent (widget) != GTK_WIDGET (self->list_view))
    widget = gtk_widget_get_parent (widget);
  widget = widget != NULL ? gtk_widget_get_first_child (widget) : NULL;
  return DESK_IS_RECORD_ROW (widget) ? DESK_RECORD_ROW (widget) : NULL;
}

static void
on_list_right_click (DeskMembersView *self,
                     int              n_press,
                     double           x,
                     double           y,
                     GtkGestureClick *gesture)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  DeskRecordRow *row = row_of (self, picked);
  graphene_point_t at;

  if (row == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (self->list_view), GTK_WIDGET (row),
                                 &GRAPHENE_POINT_INIT (x, y), &at))
    return;
  if (desk_record_row_popup_menu (row, &at))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_back_clicked (DeskMembersView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* Actions */

static void
show_roles_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DeskMembersView *self = DESK_MEMBERS_VIEW (widget);
  DeskRolesView *roles;

  if (self->store == NULL)
    return;
  roles = desk_roles_view_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store);
  gtk_window_present (GTK_WINDOW (roles));
}

/* Menu or Shift+F10 on a row: its context menu. */
static void
row_menu_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DeskMembersView *self = DESK_MEMBERS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  DeskRecordRow *row = root != NULL ? row_of (self, gtk_root_get_focus (root)) : NULL;

  if (row != NULL)
    desk_record_row_popup_menu (row, NULL);
}

/* Overrides */

static void
desk_members_view_dispose (GObject *object)
{
  DeskMembersView *self = DESK_MEMBERS_VIEW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  desk_members_view_set_store (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_MEMBERS_VIEW);
  self->detail = NULL;   /* it was the stack's */

  G_OBJECT_CLASS (desk_members_view_parent_class)->dispose (object);
}

static void
desk_members_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DeskMembersView *self = DESK_MEMBERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_members_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DeskMembersView *self = DESK_MEMBERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      desk_members_view_set_store (self, g_value_get_object (value));
      break;

    case PROP_STATUS:
      desk_members_view_set_status (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_members_view_class_init (DeskMembersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autoptr(GtkBuilderScope) scope = desk_closures_new_scope ();

  object_class->dispose = desk_members_view_dispose;
  object_class->get_property = desk_members_view_get_property;
  object_class->set_property = desk_members_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DESK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, DESK_TYPE_MEMBER_STATUS, DESK_MEMBER_STATUS_ACTIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DESK_TYPE_MEMBER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "membersview");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/desk-members-view.ui");
  gtk_widget_class_set_template_scope (widget_class, scope);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, list_pane);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, active_toggle);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, deactivated_toggle);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, active_count);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, deactivated_count);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, list_view);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskMembersView, back_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_status_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_list_right_click);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "members.show-roles", NULL, show_roles_action);
  gtk_widget_class_install_action (widget_class, "members.row-menu", NULL, row_menu_action);
}

static void
desk_members_view_init (DeskMembersView *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->leaflet), FALSE);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);

  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->content_stack));
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->detail_stack));

  factory = desk_record_row_factory_new_members ();
  gtk_list_view_set_factory (self->list_view, factory);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_pane));

  show_status (self);
}

/* Nothing of a session outlives it (the next member at this desk would see
 * it): its search, the list shown, the selection and the member it showed
 * go with its store; the lists, selections and rows are made anew. */
static void
forget_session (DeskMembersView *self)
{
  if (self->search_entry == NULL)
    return;   /* the template is being disposed */

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  desk_members_view_set_status (self, DESK_MEMBER_STATUS_ACTIVE);
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

/* Refreshing after a change */

/* A change to members (here, or another program's) re-runs each list's
 * query on its worker: search, selection and scroll stay. */
static void
on_store_changed (DeskMembersView *self,
                  DeskChanges     *changes)
{
  if ((desk_changes_get_kinds (changes) & DESK_RECORD_MEMBER) == 0)
    return;
  for (guint i = 0; i < N_STATUSES; i++)
    if (self->lists[i] != NULL)
      desk_record_list_refresh (self->lists[i]);
}

static void
watch_store_changes (DeskMembersView *self,
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
desk_members_view_get_store (DeskMembersView *self)
{
  g_return_val_if_fail (DESK_IS_MEMBERS_VIEW (self), NULL);

  return self->store;
}

void
desk_members_view_set_store (DeskMembersView *self,
                             DeskStore       *store)
{
  g_return_if_fail (DESK_IS_MEMBERS_VIEW (self));
  g_return_if_fail (store == NULL || DESK_IS_STORE (store));

  if (self->store == store)
    return;

  /* Its rows go over the next turns (the session's end has a frame to show). */
  if (self->list_view != NULL)
    desk_record_rows_let_go (self->list_view);
  for (guint i = 0; i < N_STATUSES; i++)
    {
      if (self->lists[i] != NULL)
        g_signal_handlers_disconnect_by_data (self->lists[i], self);
      if (self->selections[i] != NULL)
        g_signal_handlers_disconnect_by_data (self->selections[i], self);
      g_clear_object (&self->selections[i]);
      g_clear_object (&self->lists[i]);
    }

  watch_store_changes (self, self->store, store);
  g_set_object (&self->store, store);
  forget_session (self);

  if (store != NULL)
    {
      for (guint i = 0; i < N_STATUSES; i++)
        {
          g_autoptr(GListModel) rows = NULL;

          self->lists[i] = desk_record_list_new_members (store, (DeskMemberStatus) i);
          desk_record_list_set_search (self->lists[i],
                                       gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
          g_signal_connect_object (self->lists[i], "notify::n-items",
                                   G_CALLBACK (on_list_changed), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->lists[i], "notify::loading",
                                   G_CALLBACK (on_list_changed), self, G_CONNECT_SWAPPED);

          rows = desk_record_rows_model_new (G_LIST_MODEL (self->lists[i]));
          self->selections[i] = desk_record_selection_new (rows);
          g_signal_connect_object (self->selections[i], "notify::selected-item",
                                   G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);

          desk_record_list_reload (self->lists[i]);
        }
    }

  if (self->detail != NULL)
    desk_member_detail_set_store (self->detail, store);

  if (self->list_view != NULL)
    show_status (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DeskMemberStatus
desk_members_view_get_status (DeskMembersView *self)
{
  g_return_val_if_fail (DESK_IS_MEMBERS_VIEW (self), DESK_MEMBER_STATUS_ACTIVE);

  return self->status;
}

void
desk_members_view_set_status (DeskMembersView  *self,
                              DeskMemberStatus  status)
{
  g_return_if_fail (DESK_IS_MEMBERS_VIEW (self));
  g_return_if_fail (status < N_STATUSES);

  if (self->status == status)
    return;

  self->status = status;
  gtk_toggle_button_set_active (status == DESK_MEMBER_STATUS_ACTIVE ? self->active_toggle
                                                                    : self->deactivated_toggle,
                                TRUE);
  show_status (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

DeskRecordList *
desk_members_view_get_list (DeskMembersView  *self,
                            DeskMemberStatus  status)
{
  g_return_val_if_fail (DESK_IS_MEMBERS_VIEW (self), NULL);
  g_return_val_if_fail (status < N_STATUSES, NULL);

  return self->lists[status];
}

GtkEditable *
desk_members_view_get_search_entry (DeskMembersView *self)
{
  g_return_val_if_fail (DESK_IS_MEMBERS_VIEW (self), NULL);

  return GTK_EDITABLE (self->search_entry);
}

GtkListView *
desk_members_view_get_list_view (DeskMembersView *self)
{
  g_return_val_if_fail (DESK_IS_MEMBERS_VIEW (self), NULL);

  return self->list_view;
}

const char *
desk_members_view_get_content_page (DeskMembersView *self)
{
  g_return_val_if_fail (DESK_IS_MEMBERS_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

void
desk_members_view_focus_search (DeskMembersView *self)
{
  g_return_if_fail (DESK_IS_MEMBERS_VIEW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
desk_members_view_focus_list (DeskMembersView *self)
{
  g_return_if_fail (DESK_IS_MEMBERS_VIEW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), DESK_LIST_PAGE_LIST))
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}
