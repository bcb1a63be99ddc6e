/* desk-roles-view.c: the clinic's roles and groups, and who is in each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The roles, then the groups, in a sidebar; the active members of the one
 * selected in a list view (a role can hold most of a clinic's two thousand
 * members).  Deactivated members are not listed: the model keeps their
 * membership for their reactivation, and the view says how many it hides.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-a11y.h"
#include "desk-changes.h"
#include "desk-roles.h"
#include "desk-roles-view.h"
#include "desk-store.h"

struct _DeskRolesView
{
  AdwWindow       parent_instance;

  DeskStore      *store;
  GPtrArray      *roles;          /* DeskRoleMembers, the sidebar's rows in order */
  GtkStringList  *members;

  /* Template widgets */
  GtkListBox     *sidebar;
  GtkLabel       *title_label;
  GtkLabel       *hidden_label;
  GtkStack       *members_stack;
  GtkListView    *members_view;
  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (DeskRolesView, desk_roles_view, ADW_TYPE_WINDOW)

/* Helpers */

static void
show_selected (DeskRolesView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar);
  DeskRoleMembers *members = NULL;
  g_autofree char *hidden = NULL;
  guint n_members;

  if (row != NULL && self->roles != NULL &&
      (guint) gtk_list_box_row_get_index (row) < self->roles->len)
    members = g_ptr_array_index (self->roles, gtk_list_box_row_get_index (row));

  n_members = g_list_model_get_n_items (G_LIST_MODEL (self->members));
  gtk_string_list_splice (self->members, 0, n_members,
                          members != NULL ? (const char * const *) members->member_names : NULL);

  gtk_label_set_label (self->title_label, members != NULL ? members->name : "");
  if (members != NULL && members->n_hidden > 0)
    /* Translators: under a role's or group's members; %u is a number */
    hidden = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u deactivated member is not listed; their membership is kept",
                                           "%u deactivated members are not listed; their membership is kept",
                                           members->n_hidden),
                              members->n_hidden);
  gtk_label_set_label (self->hidden_label, hidden != NULL ? hidden : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hidden_label), hidden != NULL);

  gtk_stack_set_visible_child_name (self->members_stack,
                                    members != NULL && members->member_names[0] != NULL
                                      ? "list" : "empty");
  if (members != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->members_view),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, members->name,
                                    -1);
}

static GtkWidget *
new_row (DeskRoleMembers *members)
{
  guint n = g_strv_length (members->member_names);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *accessible = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (members->name);
  GtkWidget *number = gtk_label_new (count);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (number, "dim-label");
  gtk_widget_add_css_class (number, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), number);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  accessible = g_strdup_printf (members->kind == DESK_ROLE_KIND_ROLE
                                  /* Translators: a role in a list; %s its name, %u a number */
                                  ? g_dngettext (GETTEXT_PACKAGE, "Role %s, %u active member",
                                                 "Role %s, %u active members", n)
                                  /* Translators: a group in a list; %s its name, %u a number */
                                  : g_dngettext (GETTEXT_PACKAGE, "Group %s, %u active member",
                                                 "Group %s, %u active members", n),
                                members->name, n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return row;
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  DeskRolesView *self = user_data;
  int index = gtk_list_box_row_get_index (row);
  DeskRoleMembers *members, *previous = NULL;
  GtkWidget *header;

  /* Rows are removed (on reload, on dispose) after the roles they showed went. */
  if (self->roles == NULL || index < 0 || (guint) index >= self->roles->len)
    return;
  members = g_ptr_array_index (self->roles, index);
  if (before != NULL)
    previous = g_ptr_array_index (self->roles, gtk_list_box_row_get_index (before));

  if (previous != NULL && previous->kind == members->kind)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (members->kind == DESK_ROLE_KIND_ROLE ? _("Roles") : _("Groups"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, before != NULL ? 12 : 6);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

/* Reads the roles again, keeping the one selected. */
static void
reload (DeskRolesView *self)
{
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->sidebar);
  int position = selected != NULL ? gtk_list_box_row_get_index (selected) : 0;
  GtkWidget *child;

  g_clear_pointer (&self->roles, g_ptr_array_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))) != NULL)
    gtk_list_box_remove (self->sidebar, child);

  self->roles = desk_roles_load (self->store, &error);
  if (self->roles == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Cannot Show the Roles and Groups"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_label_set_label (self->title_label, "");
      gtk_stack_set_visible_child_name (self->members_stack, "empty");
      return;
    }
  adw_status_page_set_title (self->empty_page, _("No Active Members"));
  adw_status_page_set_description (self->empty_page, NULL);

  for (guint i = 0; i < self->roles->len; i++)
    gtk_list_box_append (self->sidebar, new_row (g_ptr_array_index (self->roles, i)));
  gtk_list_box_select_row (self->sidebar,
                           gtk_list_box_get_row_at_index (self->sidebar,
                                                          MIN ((guint) position,
                                                               self->roles->len - 1)));
  show_selected (self);
}

/* Callbacks */

static void
on_row_selected (DeskRolesView *self)
{
  if (self->sidebar != NULL)   /* not while the template is disposed */
    show_selected (self);
}

static void
on_store_changed (DeskRolesView *self,
                  DeskChanges   *changes)
{
  if ((desk_changes_get_kinds (changes) & DESK_RECORD_MEMBER) != 0)
    reload (self);
}

static void
on_setup_member (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
on_bind_member (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkStringObject *name = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (name));
}

/* Overrides */

static void
desk_roles_view_dispose (GObject *object)
{
  DeskRolesView *self = DESK_ROLES_VIEW (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->roles, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_ROLES_VIEW);
  g_clear_object (&self->members);

  G_OBJECT_CLASS (desk_roles_view_parent_class)->dispose (object);
}

static void
desk_roles_view_class_init (DeskRolesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_roles_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/desk-roles-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskRolesView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DeskRolesView, title_label);
  gtk_widget_class_bind_template_child (widget_class, DeskRolesView, hidden_label);
  gtk_widget_class_bind_template_child (widget_class, DeskRolesView, members_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskRolesView, members_view);
  gtk_widget_class_bind_template_child (widget_class, DeskRolesView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
}

static void
desk_roles_view_init (DeskRolesView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  desk_a11y_hide_inactive_pages (GTK_WIDGET (self->members_stack));

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_member), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_member), NULL);
  gtk_list_view_set_factory (self->members_view, factory);
  self->members = gtk_string_list_new (NULL);
  gtk_list_view_set_model (self->members_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->members)))));
  gtk_list_box_set_header_func (self->sidebar, header_func, self, NULL);
}

/* Public API */

DeskRolesView *
desk_roles_view_new (GtkWindow *parent,
                     DeskStore *store)
{
  DeskRolesView *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  self = g_object_new (DESK_TYPE_ROLES_VIEW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return self;
}

GtkListBox *
desk_roles_view_get_sidebar (DeskRolesView *self)
{
  g_return_val_if_fail (DESK_IS_ROLES_VIEW (self), NULL);
  return self->sidebar;
}

GListModel *
desk_roles_view_get_members (DeskRolesView *self)
{
  g_return_val_if_fail (DESK_IS_ROLES_VIEW (self), NULL);
  return G_LIST_MODEL (self->members);
}

void
desk_roles_view_select (DeskRolesView *self,
                        guint          position)
{
  g_return_if_fail (DESK_IS_ROLES_VIEW (self));
  gtk_list_box_select_row (self->sidebar, gtk_list_box_get_row_at_index (self->sidebar, position));
}
