/* desk-a11y.h: accessibility helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void desk_a11y_hide_inactive_pages (GtkWidget   *stack);
void desk_a11y_name_drop_down     (GtkDropDown *drop_down,
                                   const char  *name);
void desk_a11y_name_mnemonic_buttons (GtkWidget *root);
void desk_a11y_name_button        (GtkButton   *button,
                                   const char  *name);

G_END_DECLS
