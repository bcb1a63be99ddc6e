/* desk-a11y.c: accessibility helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-a11y.h"

static void
update_hidden_pages (GtkWidget *stack)
{
  g_autoptr(GtkWidget) visible = NULL;

  g_object_get (stack, "visible-child", &visible, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (stack);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child),
                                 GTK_ACCESSIBLE_STATE_HIDDEN, child != visible,
                                 -1);
}

/**
 * desk_a11y_name_drop_down:
 * @name: what the drop-down chooses, e.g. "Status"
 *
 * Names a drop-down and the button inside it: GTK 4.8 leaves that button
 * unnamed, so a screen reader announces it as a bare toggle button.
 */
void
desk_a11y_name_drop_down (GtkDropDown *drop_down,
                          const char  *name)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (name != NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

/**
 * desk_a11y_hide_inactive_pages:
 * @stack: a GtkStack or an AdwViewStack
 *
 * GTK 4.8 shows screen readers every page of a stack, the ones out of sight
 * too (an empty list's "No Results Found" beside its rows); this marks all
 * but the visible page hidden, and keeps doing so as the page changes.
 */
void
desk_a11y_hide_inactive_pages (GtkWidget *stack)
{
  g_return_if_fail (GTK_IS_WIDGET (stack));
  g_return_if_fail (g_object_class_find_property (G_OBJECT_GET_CLASS (stack), "visible-child") != NULL);

  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (update_hidden_pages), NULL);
  update_hidden_pages (stack);
}

/**
 * desk_a11y_name_mnemonic_buttons:
 * @root: a widget whose buttons are named
 *
 * GTK 4.8 names a button with a mnemonic by its raw label followed by the
 * label it shows, so a screen reader says "underscore Next Next".  This
 * drops the raw label from every such button under @root (in its current
 * tree), leaving the name to the label the button shows ("Next").
 */
void
desk_a11y_name_mnemonic_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    desk_a11y_name_mnemonic_buttons (child);
}

/**
 * desk_a11y_name_button:
 * @name: the button's whole name, e.g. "Deactivate Dmitri Côté"
 *
 * Names a button whose content (an icon and a short label) says less than
 * it does.  GTK 4.8 would add the content's label after @name ("Deactivate
 * Dmitri Côté Deactivate…"): the relation to it is dropped.
 */
void
desk_a11y_name_button (GtkButton  *button,
                       const char *name)
{
  g_return_if_fail (GTK_IS_BUTTON (button));
  g_return_if_fail (name != NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}
