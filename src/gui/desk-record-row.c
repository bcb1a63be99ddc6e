/* desk-record-row.c: the rows of the members and clients lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list view keeps about 200 row widgets alive and, in GTK 4.8, builds one
 * anew for each item object it has not shown before: every search result
 * builds a screenful of rows or more in one main-loop turn.  So a row is as
 * light as it can be: one widget laying out its initials and four labels on
 * a grid (no boxes within boxes), built in code rather than from a Builder
 * template, and filled when bound and when its slot takes another record
 * (no expressions, no bindings).  The initials are one widget
 * (desk-initials.c).
 *
 *   [avatar]  Name ............ tag  [lock]
 *             second line ..... tag
 *
 * A member's row has one flat icon button more (not a client's): the lock
 * that deactivates the member or, deactivated, the Activate, set again
 * when the row shows another member.  It takes no keyboard focus: a
 * focusable button would be one more Tab stop on every row (issue 9).  The
 * keyboard has the same action in the row's context menu, which the
 * members view opens for the focused row on Menu or Shift+F10 (and a right
 * click), as GNOME's lists do: where a menu is looked for, saying why the
 * action is unavailable when it is.  A shortcut such as Ctrl+Delete was not
 * chosen: it says "delete", and nothing ever is.  The menu is made when
 * asked for and goes once closed.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gi18n.h>

#include "desk-client.h"
#include "desk-closures.h"
#include "desk-initials.h"
#include "desk-member.h"
#include "desk-member-actions.h"
#include "desk-paged-list.h"
#include "desk-record-row.h"
#include "desk-record-selection.h"

struct _DeskRecordRow
{
  GtkWidget    parent_instance;

  GtkListItem *list_item;   /* weak: the list item owns the row */
  GtkWidget   *avatar;
  GtkLabel  *name;
  GtkLabel  *line2;
  GtkLabel  *tag1;
  GtkLabel  *tag2;
  GtkWidget   *start;       /* a view's check button, before the initials, or NULL */

  DeskRecordSlot *slot;     /* while bound */
  gulong          slot_handler;

  /* Member rows only */
  GtkWidget      *status_button;
  DeskMember     *member;   /* the member shown */
  GtkWidget      *menu;     /* the context menu, while open */
};

G_DEFINE_FINAL_TYPE (DeskRecordRow, desk_record_row, GTK_TYPE_WIDGET)

static void unwatch_slot (DeskRecordRow *self);
static void update_status_button (DeskRecordRow *self);

static void
desk_record_row_dispose (GObject *object)
{
  DeskRecordRow *self = DESK_RECORD_ROW (object);
  GtkWidget *child;

  unwatch_slot (self);
  g_clear_object (&self->member);
  self->menu = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (desk_record_row_parent_class)->dispose (object);
}

/* A row is bound before the view takes it in: whether the signed-in
 * member may use its button is known once it is in the window. */
static void
desk_record_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (desk_record_row_parent_class)->root (widget);
  update_status_button (DESK_RECORD_ROW (widget));
}

static void
change_status (DeskRecordRow *self)
{
  if (self->member == NULL)
    return;
  if (desk_member_get_is_active (self->member))
    desk_member_actions_deactivate (GTK_WIDGET (self), self->member);
  else
    desk_member_actions_reactivate (GTK_WIDGET (self), self->member);
}

static void
change_status_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  change_status (DESK_RECORD_ROW (widget));
}

static void
desk_record_row_class_init (DeskRecordRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_record_row_dispose;
  widget_class->root = desk_record_row_root;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "recordrow");

  /* The context menu's; enabled as the button is, when the menu opens. */
  gtk_widget_class_install_action (widget_class, "row.change-status", NULL, change_status_action);
}

static void
place (DeskRecordRow *self,
       GtkWidget     *child,
       int            column,
       int            row)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkGridLayoutChild *cell;

  gtk_widget_set_parent (child, GTK_WIDGET (self));
  cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));
  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_row (cell, row);
  if (child == self->avatar || child == self->status_button || child == self->start)
    gtk_grid_layout_child_set_row_span (cell, 2);
}

static GtkLabel *
new_label (float       xalign,
           gboolean    expand,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (expand)
    {
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  else
    {
      gtk_widget_set_halign (label, GTK_ALIGN_END);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
    }
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return GTK_LABEL (label);
}

static void
desk_record_row_init (DeskRecordRow *self)
{
  GtkGridLayout *layout = GTK_GRID_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));

  gtk_grid_layout_set_column_spacing (layout, 6);
  gtk_grid_layout_set_row_spacing (layout, 3);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "record-row");

  self->avatar = g_object_new (DESK_TYPE_INITIALS, NULL);
  gtk_widget_set_valign (self->avatar, GTK_ALIGN_CENTER);
  /* With the column spacing, 12 pixels between the avatar and the text. */
  gtk_widget_set_margin_end (self->avatar, 6);
  self->name = new_label (0, TRUE, "record-name");
  self->line2 = new_label (0, TRUE, "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->line2), "dim-label");
  self->tag1 = new_label (1, FALSE, NULL);
  self->tag2 = new_label (1, FALSE, NULL);

  place (self, self->avatar, 0, 0);
  place (self, GTK_WIDGET (self->name), 1, 0);
  place (self, GTK_WIDGET (self->tag1), 2, 0);
  place (self, GTK_WIDGET (self->line2), 1, 1);
  place (self, GTK_WIDGET (self->tag2), 2, 1);
}

/* Sets a label's style classes only when they change: new classes restyle it. */
static void
set_classes (GtkLabel  *label,
             GStrv      classes)
{
  g_auto(GStrv) current = gtk_widget_get_css_classes (GTK_WIDGET (label));

  if (!g_strv_equal ((const char * const *) current, (const char * const *) classes))
    gtk_widget_set_css_classes (GTK_WIDGET (label), (const char **) classes);
  g_strfreev (classes);
}

/* Sets a label only when its text changes: a label set to the same text
 * still lays it out again. */
static void
set_text (GtkLabel   *label,
          const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
set_text_take (GtkLabel *label,
               char     *text)
{
  set_text (label, text);
  g_free (text);
}

static void
bind_client (DeskRecordRow *self,
             DeskClient    *client)
{
  gboolean active = desk_client_get_is_active (client);
  gboolean portal = desk_client_get_portal_enabled (client);
  DeskInvitationState invitation = desk_client_get_portal_invitation (client);

  desk_initials_set_text (DESK_INITIALS (self->avatar), desk_client_get_display_name (client));
  set_text (self->name, desk_client_get_display_name (client));
  set_text_take (self->line2,
                 desk_closures_born_label (NULL, desk_client_get_date_of_birth (client)));
  set_text_take (self->tag1, desk_closures_client_status_label (NULL, active));
  set_classes (self->tag1, desk_closures_status_classes (NULL, active));
  set_text_take (self->tag2, desk_closures_portal_label (NULL, portal, invitation));
  set_classes (self->tag2, desk_closures_portal_classes (NULL, portal, invitation));
}

static void
bind_member (DeskRecordRow *self,
             DeskMember    *member)
{
  gint64 deactivated_at = desk_member_get_deactivated_at (member);
  g_autofree char *tag = NULL;

  desk_initials_set_text (DESK_INITIALS (self->avatar), desk_member_get_display_name (member));
  set_text (self->name, desk_member_get_display_name (member));
  set_text_take (self->line2,
                 desk_closures_member_subtitle (NULL, desk_member_get_title (member),
                                                desk_member_get_kind (member),
                                                desk_member_get_username (member)));
  set_text (self->tag1, desk_member_get_province (member));
  gtk_widget_set_visible (GTK_WIDGET (self->tag2), !desk_member_get_is_active (member));
  if (!desk_member_get_is_active (member))
    {
      tag = desk_closures_deactivated_tag (NULL, deactivated_at);
      set_text (self->tag2, tag);
    }
}

/* The lock of an active member, the unlock of a deactivated one; named for
 * the member, insensitive with the reason where the signed-in member may
 * not use it. */
static void
update_status_button (DeskRecordRow *self)
{
  GtkButton *button = GTK_BUTTON (self->status_button);
  gboolean active;
  const char *icon;
  const char *refusal;

  if (button == NULL)
    return;
  gtk_widget_set_visible (self->status_button, self->member != NULL);
  if (self->member == NULL)
    return;

  active = desk_member_get_is_active (self->member);
  icon = active ? "system-lock-screen-symbolic" : "changes-allow-symbolic";
  if (g_strcmp0 (gtk_button_get_icon_name (button), icon) != 0)
    gtk_button_set_icon_name (button, icon);
  refusal = desk_member_actions_describe (self->status_button, self->member,
                                          active ? _("Deactivate…") : _("Activate…"));
  gtk_widget_set_sensitive (self->status_button, refusal == NULL);
}

static void
add_status_button (DeskRecordRow *self)
{
  self->status_button = gtk_button_new ();
  gtk_widget_add_css_class (self->status_button, "flat");
  gtk_widget_set_valign (self->status_button, GTK_ALIGN_CENTER);
  /* No Tab stop per row: see the top of this file. */
  gtk_widget_set_can_focus (self->status_button, FALSE);
  gtk_widget_set_focus_on_click (self->status_button, FALSE);
  g_signal_connect_swapped (self->status_button, "clicked", G_CALLBACK (change_status), self);
  place (self, self->status_button, 3, 0);
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  members)
{
  DeskRecordRow *row = g_object_new (DESK_TYPE_RECORD_ROW, NULL);

  /* A member's province is quiet; "Deactivated on …" is a tag, shown on
   * inactive members only. */
  if (members != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row->tag1), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (row->tag1), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (row->tag2), "tag");
      gtk_widget_add_css_class (GTK_WIDGET (row->tag2), "neutral");
      add_status_button (row);
    }
  row->list_item = item;
  gtk_list_item_set_child (item, GTK_WIDGET (row));
}

static void
show_record (DeskRecordRow *self,
             gpointer       record)
{
  /* A menu opened for the member shown is not for the next. */
  if (self->menu != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->menu));
  if (self->status_button != NULL)
    {
      DeskMember *member = DESK_IS_MEMBER (record) ? record : NULL;

      g_set_object (&self->member, member);
      update_status_button (self);
    }

  if (DESK_IS_CLIENT (record))
    bind_client (self, record);
  else if (DESK_IS_MEMBER (record))
    bind_member (self, record);
  else
    {
      /* A page that could not be read: no stale record in its place. */
      desk_initials_set_text (DESK_INITIALS (self->avatar), "");
      set_text (self->name, "");
      set_text (self->line2, "");
      set_text (self->tag1, "");
      set_text (self->tag2, "");
    }
}

/* Rows out of sight that wait for their new record: see on_slot_record(). */
#define CATCH_UP_STEP 24

static GHashTable *behind;      /* DeskRecordRow, not held */
static guint catch_up_source;

static void
stop_waiting (DeskRecordRow *self)
{
  if (behind != NULL)
    g_hash_table_remove (behind, self);
}

static gboolean
catch_up (gpointer data)
{
  GHashTableIter iter;
  gpointer row;
  guint done = 0;

  g_hash_table_iter_init (&iter, behind);
  while (done < CATCH_UP_STEP && g_hash_table_iter_next (&iter, &row, NULL))
    {
      DeskRecordRow *self = row;

      g_hash_table_iter_remove (&iter);
      show_record (self, self->slot != NULL ? desk_record_slot_get_record (self->slot) : NULL);
      done++;
    }
  if (g_hash_table_size (behind) > 0)
    return G_SOURCE_CONTINUE;
  catch_up_source = 0;
  return G_SOURCE_REMOVE;
}

/* Whether the row is on screen, or near it, in its view. */
static gboolean
in_sight (DeskRecordRow *self)
{
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);
  graphene_rect_t bounds;
  int height;

  if (view == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      !gtk_widget_compute_bounds (GTK_WIDGET (self), view, &bounds))
    return TRUE;
  height = gtk_widget_get_height (view);
  return bounds.origin.y + bounds.size.height >= -height &&
         bounds.origin.y <= 2 * height;
}

/* A new search puts another record in each of the view's 200 rows: those
 * on screen (and a screen either side) show it now; the rest, out of
 * sight, a few score a main-loop turn after the frame, so that the frame
 * lays out a screenful of new text, not 200 rows of it. */
static void
on_slot_record (DeskRecordSlot *slot,
                GParamSpec     *pspec,
                DeskRecordRow  *self)
{
  if (in_sight (self))
    {
      stop_waiting (self);
      show_record (self, desk_record_slot_get_record (slot));
      return;
    }
  if (behind == NULL)
    behind = g_hash_table_new (NULL, NULL);
  g_hash_table_add (behind, self);
  if (catch_up_source == 0)
    {
      catch_up_source = g_idle_add_full (G_PRIORITY_LOW, catch_up, NULL, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, catch_up_source),
                                "[desk] rows out of sight");
    }
}

static void
unwatch_slot (DeskRecordRow *self)
{
  stop_waiting (self);
  if (self->slot != NULL)
    g_clear_signal_handler (&self->slot_handler, self->slot);
  g_clear_object (&self->slot);
}

/* A row keeps its slot while it is in place: another search, or the
 * records read again, put another record in it (see desk-record-selection.c). */
static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item)
{
  DeskRecordRow *row = DESK_RECORD_ROW (gtk_list_item_get_child (item));
  gpointer slot = gtk_list_item_get_item (item);

  unwatch_slot (row);
  if (DESK_IS_RECORD_SLOT (slot))
    {
      row->slot = g_object_ref (slot);
      row->slot_handler = g_signal_connect (slot, "notify::record", G_CALLBACK (on_slot_record),
                                            row);
      show_record (row, desk_record_slot_get_record (slot));
    }
  else
    show_record (row, slot);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (DESK_IS_RECORD_ROW (row))
    {
      unwatch_slot (DESK_RECORD_ROW (row));
      g_clear_object (&DESK_RECORD_ROW (row)->member);
    }
}

guint
desk_record_row_get_position (DeskRecordRow *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_ROW (self), GTK_INVALID_LIST_POSITION);

  return gtk_list_item_get_position (self->list_item);
}

const char *
desk_record_row_get_name (DeskRecordRow *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_ROW (self), NULL);

  return gtk_label_get_label (self->name);
}

GtkWidget *
desk_record_row_get_status_button (DeskRecordRow *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_ROW (self), NULL);

  return self->status_button;
}

/* The menu goes once closed, after the item chosen has run. */
static gboolean
drop_menu (gpointer data)
{
  GtkWidget *menu = data;
  GtkWidget *parent = gtk_widget_get_parent (menu);

  if (DESK_IS_RECORD_ROW (parent) && DESK_RECORD_ROW (parent)->menu == menu &&
      !gtk_widget_get_visible (menu))
    {
      DESK_RECORD_ROW (parent)->menu = NULL;
      gtk_widget_unparent (menu);
    }
  return G_SOURCE_REMOVE;
}

static void
on_menu_closed (GtkWidget *menu)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, drop_menu, g_object_ref (menu), g_object_unref);
}

gboolean
desk_record_row_popup_menu (DeskRecordRow          *self,
                            const graphene_point_t *at)
{
  g_autoptr(GMenu) menu = NULL;
  const char *refusal;
  graphene_rect_t bounds;
  GdkRectangle pointing;

  g_return_val_if_fail (DESK_IS_RECORD_ROW (self), FALSE);

  if (self->member == NULL)
    return FALSE;

  refusal = desk_member_actions_refusal (GTK_WIDGET (self), self->member);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.change-status", refusal == NULL);
  menu = g_menu_new ();
  g_menu_append (menu, desk_member_get_is_active (self->member) ? _("_Deactivate…") : _("_Activate…"),
                 "row.change-status");
  /* The item is insensitive: under it, why, as under the member page's button. */
  if (refusal != NULL)
    {
      g_autoptr(GMenuItem) reason = g_menu_item_new (NULL, NULL);

      g_menu_item_set_attribute (reason, "custom", "s", "refusal");
      g_menu_append_item (menu, reason);
    }

  if (self->menu != NULL)
    gtk_widget_unparent (g_steal_pointer (&self->menu));
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  g_signal_connect (self->menu, "closed", G_CALLBACK (on_menu_closed), NULL);
  if (refusal != NULL)
    {
      GtkWidget *label = gtk_label_new (refusal);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_popover_menu_add_child (GTK_POPOVER_MENU (self->menu), label, "refusal");
    }

  /* At the pointer, or from the keyboard at the button. */
  if (at != NULL)
    pointing = (GdkRectangle) { (int) at->x, (int) at->y, 1, 1 };
  else if (gtk_widget_compute_bounds (self->status_button, GTK_WIDGET (self), &bounds))
    pointing = (GdkRectangle) { (int) bounds.origin.x, (int) bounds.origin.y,
                                (int) bounds.size.width, (int) bounds.size.height };
  else
    pointing = (GdkRectangle) { 0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                gtk_widget_get_height (GTK_WIDGET (self)) };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &pointing);
  gtk_popover_popup (GTK_POPOVER (self->menu));
  return TRUE;
}

GtkWidget *
desk_record_row_get_menu (DeskRecordRow *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_ROW (self), NULL);

  return self->menu;
}

void
desk_record_row_set_start (DeskRecordRow *self,
                           GtkWidget     *widget)
{
  g_return_if_fail (DESK_IS_RECORD_ROW (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  if (self->start == widget)
    return;
  if (self->start != NULL)
    gtk_widget_unparent (self->start);
  self->start = widget;
  if (widget == NULL)
    return;
  place (self, widget, -1, 0);
  /* Named by the record it is for: "Dana Lee, check box". */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  self->name, NULL, -1);
}

GtkWidget *
desk_record_row_get_start (DeskRecordRow *self)
{
  g_return_val_if_fail (DESK_IS_RECORD_ROW (self), NULL);

  return self->start;
}

static GtkListItemFactory *
factory_new (gboolean members)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), GINT_TO_POINTER (members));
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), NULL);
  return factory;
}

GtkListItemFactory *
desk_record_row_factory_new_clients (void)
{
  return factory_new (FALSE);
}

GtkListItemFactory *
desk_record_row_factory_new_members (void)
{
  return factory_new (TRUE);
}

/* Revealing a model to a view: a screenful a frame, up to what the view
 * keeps row widgets for, then the rest at once (no widgets for those). */
#define REVEAL_STEP 32
#define REVEAL_WHOLE 256

GListModel *
desk_record_rows_model_new (GListModel *list)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (list), NULL);

  /* A row widget is built for each row added: a list filling up is shown
   * a screen a frame, up to the rows a view builds, so that the first
   * screen is drawn before the rest are built. */
  if (DESK_IS_PAGED_LIST (list))
    desk_paged_list_set_pacing (DESK_PAGED_LIST (list), 32, 256, 16);
  return G_LIST_MODEL (gtk_slice_list_model_new (g_object_ref (list), 0, G_MAXUINT));
}

static GtkSliceListModel *
shown_slice (GtkListView *view)
{
  GtkSelectionModel *model = gtk_list_view_get_model (view);
  GListModel *inner;

  if (!DESK_IS_RECORD_SELECTION (model))
    return NULL;
  inner = desk_record_selection_get_model (DESK_RECORD_SELECTION (model));
  return GTK_IS_SLICE_LIST_MODEL (inner) ? GTK_SLICE_LIST_MODEL (inner) : NULL;
}

static gboolean
reveal_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  GtkSliceListModel *slice = data;
  guint size = gtk_slice_list_model_get_size (slice) + REVEAL_STEP;

  /* The view was given another model meanwhile: that one is whole. */
  if (shown_slice (GTK_LIST_VIEW (widget)) != slice || size >= REVEAL_WHOLE)
    {
      gtk_slice_list_model_set_size (slice, G_MAXUINT);
      g_object_set_data (G_OBJECT (widget), "desk-reveal", NULL);
      return G_SOURCE_REMOVE;
    }

  gtk_slice_list_model_set_size (slice, size);
  return G_SOURCE_CONTINUE;
}

static GtkSliceListModel *
slice_of (GtkSelectionModel *model)
{
  GListModel *inner;

  if (!DESK_IS_RECORD_SELECTION (model))
    return NULL;
  inner = desk_record_selection_get_model (DESK_RECORD_SELECTION (model));
  return GTK_IS_SLICE_LIST_MODEL (inner) ? GTK_SLICE_LIST_MODEL (inner) : NULL;
}

void
desk_record_rows_set_model (GtkListView       *view,
                            GtkSelectionModel *model)
{
  GtkSliceListModel *slice;
  guint tick;

  g_return_if_fail (GTK_IS_LIST_VIEW (view));
  g_return_if_fail (model == NULL || GTK_IS_SELECTION_MODEL (model));

  tick = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), "desk-reveal"));
  if (tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (view), tick);
      g_object_set_data (G_OBJECT (view), "desk-reveal", NULL);
    }

  /* Shortened before the view has it: the view builds a row for each
   * item of a model it is given, at once. */
  slice = slice_of (model);
  if (slice != NULL &&
      g_list_model_get_n_items (gtk_slice_list_model_get_model (slice)) > REVEAL_STEP)
    gtk_slice_list_model_set_size (slice, REVEAL_STEP);
  else
    slice = NULL;

  gtk_list_view_set_model (view, model);
  if (slice == NULL)
    return;
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (view), reveal_tick, g_object_ref (slice),
                                       g_object_unref);
  g_object_set_data (G_OBJECT (view), "desk-reveal", GUINT_TO_POINTER (tick));
}

/* Letting go of a model's rows (at sign-out): the selection lets go of the
 * list at once and takes the rows out a few score a main-loop turn, at low
 * priority so that the frame of the page shown instead comes first (the
 * rows are on a page out of sight, and out of the accessibility tree);
 * when the last has gone, the view is left without a model. */
#define LET_GO_KEY "desk-let-go"

typedef struct
{
  GtkListView       *view;        /* weak */
  GtkSelectionModel *model;
  guint              done_source;
} LetGo;

static void on_let_go_items_changed (LetGo *let_go);

static void
let_go_free (gpointer data)
{
  LetGo *let_go = data;

  g_signal_handlers_disconnect_by_func (let_go->model, on_let_go_items_changed, let_go);
  /* Its idle holds the view: it is the one freeing this, or it is gone. */
  g_clear_weak_pointer (&let_go->view);
  g_clear_object (&let_go->model);
  g_free (let_go);
}

static gboolean
let_go_done (gpointer data)
{
  GtkListView *view = data;
  LetGo *let_go = g_object_get_data (G_OBJECT (view), LET_GO_KEY);

  /* Another session's rows may be going meanwhile: they say when they are done. */
  if (let_go == NULL || g_list_model_get_n_items (G_LIST_MODEL (let_go->model)) > 0)
    return G_SOURCE_REMOVE;
  /* The view was given a model meanwhile: the rest went with that. */
  if (gtk_list_view_get_model (view) == let_go->model)
    gtk_list_view_set_model (view, NULL);
  g_object_set_data (G_OBJECT (view), LET_GO_KEY, NULL);
  return G_SOURCE_REMOVE;
}

/* Not within the model's own signal: the view lets go of it after. */
static void
on_let_go_items_changed (LetGo *let_go)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (let_go->model)) > 0 || let_go->view == NULL ||
      let_go->done_source != 0)
    return;
  let_go->done_source = g_idle_add_full (G_PRIORITY_LOW, let_go_done,
                                         g_object_ref (let_go->view), g_object_unref);
}

void
desk_record_rows_let_go (GtkListView *view)
{
  GtkSelectionModel *model;
  guint tick;
  LetGo *let_go;

  g_return_if_fail (GTK_IS_LIST_VIEW (view));

  if (desk_record_rows_letting_go (view))
    return;

  tick = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (view), "desk-reveal"));
  if (tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (view), tick);
      g_object_set_data (G_OBJECT (view), "desk-reveal", NULL);
    }

  model = gtk_list_view_get_model (view);
  if (!DESK_IS_RECORD_SELECTION (model))
    {
      gtk_list_view_set_model (view, NULL);
      return;
    }

  let_go = g_new0 (LetGo, 1);
  g_set_weak_pointer (&let_go->view, view);
  let_go->model = g_object_ref (model);
  g_object_set_data_full (G_OBJECT (view), LET_GO_KEY, let_go, let_go_free);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (on_let_go_items_changed), let_go);
  desk_record_selection_let_go (DESK_RECORD_SELECTION (model));
  on_let_go_items_changed (let_go);
}

gboolean
desk_record_rows_letting_go (GtkListView *view)
{
  LetGo *let_go;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (view), FALSE);

  let_go = g_object_get_data (G_OBJECT (view), LET_GO_KEY);

  return let_go != NULL && gtk_list_view_get_model (view) == let_go->model;
}
