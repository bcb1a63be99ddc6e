/* desk-inbox-view.c: the signed-in member's messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DeskInboxList (paged: a member can hold a hundred thousand messages)
 * in a list view of light rows (desk-inbox-row.c).  The model goes in when
 * the view is first shown, so that a start on another view builds no
 * inbox rows; a change to messages or members (a deactivation moves
 * messages and marks their sender) refreshes it on its worker.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-changes.h"
#include "desk-inbox-row.h"
#include "desk-inbox-view.h"
#include "desk-session.h"
#include "desk-store.h"

struct _DeskInboxView
{
  GtkWidget           parent_instance;

  DeskSession        *session;
  DeskStore          *store;           /* the session's, watched for changes */
  DeskInboxList      *list;
  GtkSingleSelection *selection;
  GError             *error;           /* why there is no list */

  /* Template widgets */
  GtkStack           *content_stack;
  GtkListView        *list_view;
  AdwStatusPage      *error_page;
};

G_DEFINE_FINAL_TYPE (DeskInboxView, desk_inbox_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static void
update_state (DeskInboxView *self)
{
  const GError *error = self->error;
  const char *page = "list";

  if (error == NULL && self->list != NULL)
    error = desk_paged_list_get_error (DESK_PAGED_LIST (self->list));

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      page = "error";
    }
  else if (self->list == NULL ||
           (g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0 &&
            !desk_paged_list_get_loading (DESK_PAGED_LIST (self->list))))
    page = "empty";

  gtk_stack_set_visible_child_name (self->content_stack, page);
}

static void
attach_model (DeskInboxView *self)
{
  GtkSelectionModel *model = NULL;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    model = GTK_SELECTION_MODEL (self->selection);
  if (gtk_list_view_get_model (self->list_view) != model)
    gtk_list_view_set_model (self->list_view, model);
}

/* Callbacks */

static void
on_map (DeskInboxView *self)
{
  attach_model (self);
}

static void
on_store_changed (DeskInboxView *self,
                  DeskChanges   *changes)
{
  if ((desk_changes_get_kinds (changes) & (DESK_RECORD_MESSAGE | DESK_RECORD_MEMBER)) == 0)
    return;
  if (self->list != NULL)
    desk_paged_list_refresh (DESK_PAGED_LIST (self->list));
}

/* Actions */

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DeskInboxView *self = DESK_INBOX_VIEW (widget);
  GtkWidget *stack = gtk_widget_get_ancestor (widget, ADW_TYPE_VIEW_STACK);

  if (self->session == NULL || stack == NULL)
    return;
  adw_view_stack_set_visible_child (ADW_VIEW_STACK (stack), widget);
  desk_inbox_view_focus_list (self);
}

/* Overrides */

static void
desk_inbox_view_dispose (GObject *object)
{
  DeskInboxView *self = DESK_INBOX_VIEW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  desk_inbox_view_set_session (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_INBOX_VIEW);

  G_OBJECT_CLASS (desk_inbox_view_parent_class)->dispose (object);
}

static void
desk_inbox_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DeskInboxView *self = DESK_INBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_inbox_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DeskInboxView *self = DESK_INBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      desk_inbox_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_inbox_view_class_init (DeskInboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_inbox_view_dispose;
  object_class->get_property = desk_inbox_view_get_property;
  object_class->set_property = desk_inbox_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DESK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inboxview");

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/desk-inbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskInboxView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskInboxView, list_view);
  gtk_widget_class_bind_template_child (widget_class, DeskInboxView, error_page);

  /* Alt+3, from anywhere in the window (the shortcut is global). */
  gtk_widget_class_install_action (widget_class, "inbox.show", NULL, show_action);
}

static void
desk_inbox_view_init (DeskInboxView *self)
{
  g_autoptr(GtkListItemFactory) factory = desk_inbox_row_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->content_stack));
  gtk_list_view_set_factory (self->list_view, factory);
  update_state (self);
}

/* Public API */

DeskSession *
desk_inbox_view_get_session (DeskInboxView *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_VIEW (self), NULL);
  return self->session;
}

void
desk_inbox_view_set_session (DeskInboxView *self,
                             DeskSession   *session)
{
  g_return_if_fail (DESK_IS_INBOX_VIEW (self));
  g_return_if_fail (session == NULL || DESK_IS_SESSION (session));

  if (self->session == session)
    return;

  /* Nothing of a session outlives it: the list, its rows and its pages go. */
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_error (&self->error);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      self->list = desk_inbox_list_new (session, &self->error);
      if (self->list != NULL)
        {
          /* A screenful a frame while the first result fills the view. */
          desk_paged_list_set_pacing (DESK_PAGED_LIST (self->list), 32, 256, 16);
          g_signal_connect_object (self->list, "notify::n-items",
                                   G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->list, "notify::loading",
                                   G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
          self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
          gtk_single_selection_set_autoselect (self->selection, FALSE);
          gtk_single_selection_set_can_unselect (self->selection, TRUE);
          self->store = g_object_ref (desk_session_get_store (session));
          g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self,
                                   G_CONNECT_SWAPPED);
          desk_paged_list_reload (DESK_PAGED_LIST (self->list));
        }
    }

  if (self->list_view != NULL)
    {
      attach_model (self);
      update_state (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

DeskInboxList *
desk_inbox_view_get_list (DeskInboxView *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_VIEW (self), NULL);
  return self->list;
}

GtkListView *
desk_inbox_view_get_list_view (DeskInboxView *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_VIEW (self), NULL);
  return self->list_view;
}

const char *
desk_inbox_view_get_content_page (DeskInboxView *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

void
desk_inbox_view_focus_list (DeskInboxView *self)
{
  g_return_if_fail (DESK_IS_INBOX_VIEW (self));

  if (g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "list"))
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}
