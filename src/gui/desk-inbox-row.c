/* desk-inbox-row.c: the rows of the inbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As light as the member and client rows (desk-record-row.c): one widget
 * laying out a few labels on a grid, built in code, filled once when bound
 * (an item does not change; a refresh makes new items).
 *
 *   Sender [User deactivated] ........ date
 *   Subject · client ......... [Snoozed until …]
 *   From Dr. … (deactivated 3 Dec)
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-inbox-row.h"

struct _DeskInboxRow
{
  GtkWidget      parent_instance;

  DeskInboxItem *item;
  char          *accessible_name;
  GtkLabel      *sender;
  GtkLabel      *deactivated;
  GtkLabel      *date;
  GtkLabel      *subject;
  GtkLabel      *snoozed;
  GtkLabel      *provenance;
};

G_DEFINE_FINAL_TYPE (DeskInboxRow, desk_inbox_row, GTK_TYPE_WIDGET)

static char *
format_time (gint64      unix_time,
             const char *format)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_local (unix_time);
  return dt != NULL ? g_date_time_format (dt, format) : NULL;
}

static char *
short_date (gint64 unix_time)
{
  /* Translators: a day and month, e.g. "3 Dec"; a g_date_time_format()
   * string. xgettext:no-c-format */
  return format_time (unix_time, C_("day and month format", "%-d %b"));
}

char *
desk_inbox_row_provenance_text (DeskInboxItem *item)
{
  const char *from = desk_inbox_item_get_forwarded_from_name (item);
  const char *to = desk_inbox_item_get_addressed_to_name (item);
  gint64 deactivated_at = desk_inbox_item_get_deactivated_at (item);

  if (from != NULL && deactivated_at > 0)
    {
      g_autofree char *date = short_date (deactivated_at);

      /* Translators: where a moved message came from; %s is a member's
       * name, %s the day they were deactivated, e.g. "3 Dec" */
      return g_strdup_printf (_("From %s (deactivated %s)"), from, date);
    }
  if (from != NULL)
    /* Translators: a message forwarded from a colleague; %s is their name */
    return g_strdup_printf (_("Forwarded from %s"), from);
  if (to != NULL)
    /* Translators: a message that reached this member in a deactivated
     * colleague's place; %s is that colleague's name */
    return g_strdup_printf (_("Addressed to %s"), to);
  return NULL;
}

char *
desk_inbox_row_snoozed_text (DeskInboxItem *item)
{
  g_autofree char *until = NULL;

  /* Translators: a day and time, e.g. "12 Nov, 09:00"; a
   * g_date_time_format() string. xgettext:no-c-format */
  until = format_time (desk_inbox_item_get_snoozed_until (item),
                       C_("day and time format", "%-d %b, %H:%M"));
  if (until == NULL)
    return NULL;
  /* Translators: a tag on a snoozed message; %s is a day and time */
  return g_strdup_printf (_("Snoozed until %s"), until);
}

static void
desk_inbox_row_dispose (GObject *object)
{
  DeskInboxRow *self = DESK_INBOX_ROW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (desk_inbox_row_parent_class)->dispose (object);
}

static void
desk_inbox_row_finalize (GObject *object)
{
  DeskInboxRow *self = DESK_INBOX_ROW (object);

  g_free (self->accessible_name);

  G_OBJECT_CLASS (desk_inbox_row_parent_class)->finalize (object);
}

static void
desk_inbox_row_class_init (DeskInboxRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_inbox_row_dispose;
  object_class->finalize = desk_inbox_row_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inboxrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkLabel *
add_label (DeskInboxRow *self,
           int           column,
           int           row,
           int           span,
           gboolean      expand,
           const char   *css_class)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *label = gtk_label_new (NULL);
  GtkGridLayoutChild *cell;

  gtk_label_set_xalign (GTK_LABEL (label), expand ? 0 : 1);
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

  gtk_widget_set_parent (label, GTK_WIDGET (self));
  cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, label));
  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_row (cell, row);
  gtk_grid_layout_child_set_column_span (cell, span);
  return GTK_LABEL (label);
}

static void
desk_inbox_row_init (DeskInboxRow *self)
{
  GtkGridLayout *layout = GTK_GRID_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));

  gtk_grid_layout_set_column_spacing (layout, 6);
  gtk_grid_layout_set_row_spacing (layout, 3);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 6);

  self->sender = add_label (self, 0, 0, 1, FALSE, "record-name");
  gtk_widget_set_halign (GTK_WIDGET (self->sender), GTK_ALIGN_START);
  gtk_label_set_ellipsize (self->sender, PANGO_ELLIPSIZE_END);
  self->deactivated = add_label (self, 1, 0, 1, FALSE, "tag");
  gtk_widget_add_css_class (GTK_WIDGET (self->deactivated), "neutral");
  gtk_widget_set_halign (GTK_WIDGET (self->deactivated), GTK_ALIGN_START);
  gtk_widget_set_hexpand (GTK_WIDGET (self->deactivated), TRUE);
  gtk_label_set_label (self->deactivated, _("User deactivated"));
  self->date = add_label (self, 2, 0, 1, FALSE, "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->date), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->date), "numeric");
  self->subject = add_label (self, 0, 1, 2, TRUE, NULL);
  self->snoozed = add_label (self, 2, 1, 1, FALSE, "tag");
  gtk_widget_add_css_class (GTK_WIDGET (self->snoozed), "accent");
  self->provenance = add_label (self, 0, 2, 3, TRUE, "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->provenance), "dim-label");
}

/* Sets a label only when its text changes: a label set to the same text
 * still lays it out again. */
static void
set_text (GtkLabel   *label,
          const char *text)
{
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (text != NULL && g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
bind_item (DeskInboxRow  *self,
           DeskInboxItem *item)
{
  const char *client = desk_inbox_item_get_client_name (item);
  gboolean deactivated = desk_inbox_item_get_sender_deactivated (item);
  g_autofree char *date = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *snoozed = NULL;
  g_autofree char *provenance = NULL;
  g_autoptr(GString) name = g_string_new (desk_inbox_item_get_sender_name (item));

  g_set_object (&self->item, item);

  /* Translators: when a message arrived, e.g. "3 Nov 2026, 14:30"; a
   * g_date_time_format() string. xgettext:no-c-format */
  date = format_time (desk_inbox_item_get_received_at (item),
                      C_("message time format", "%-d %b %Y, %H:%M"));
  if (*client != '\0' && !desk_inbox_item_get_sender_is_client (item))
    /* Translators: a message's subject, then the client it is about */
    subject = g_strdup_printf (_("%s · %s"), desk_inbox_item_get_subject (item), client);
  else
    subject = g_strdup (desk_inbox_item_get_subject (item));
  snoozed = desk_inbox_row_snoozed_text (item);
  provenance = desk_inbox_row_provenance_text (item);

  set_text (self->sender, desk_inbox_item_get_sender_name (item));
  gtk_widget_set_visible (GTK_WIDGET (self->deactivated), deactivated);
  set_text (self->date, date);
  set_text (self->subject, subject);
  set_text (self->snoozed, snoozed);
  set_text (self->provenance, provenance);
  if (!desk_inbox_item_get_is_read (item))
    gtk_widget_add_css_class (GTK_WIDGET (self->subject), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->subject), "heading");

  /* One sentence a screen reader says, in the order the eye reads it. */
  if (deactivated)
    g_string_append_printf (name, " (%s)", _("User deactivated"));
  g_string_append_printf (name, ", %s", subject);
  if (date != NULL)
    g_string_append_printf (name, ", %s", date);
  if (!desk_inbox_item_get_is_read (item))
    g_string_append_printf (name, ", %s", _("unread"));
  if (snoozed != NULL)
    g_string_append_printf (name, ", %s", snoozed);
  if (provenance != NULL)
    g_string_append_printf (name, ", %s", provenance);
  g_free (self->accessible_name);
  self->accessible_name = g_string_free (g_steal_pointer (&name), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_name,
                                  -1);
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  gtk_list_item_set_child (item, g_object_new (DESK_TYPE_INBOX_ROW, NULL));
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item)
{
  DeskInboxRow *row = DESK_INBOX_ROW (gtk_list_item_get_child (item));
  gpointer record = gtk_list_item_get_item (item);

  if (DESK_IS_INBOX_ITEM (record))
    bind_item (row, record);
}

DeskInboxItem *
desk_inbox_row_get_item (DeskInboxRow *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ROW (self), NULL);
  return self->item;
}

const char *
desk_inbox_row_get_accessible_name (DeskInboxRow *self)
{
  g_return_val_if_fail (DESK_IS_INBOX_ROW (self), NULL);
  return self->accessible_name;
}

GtkListItemFactory *
desk_inbox_row_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), NULL);
  return factory;
}
