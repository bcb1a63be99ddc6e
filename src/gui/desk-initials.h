/* desk-initials.h: a name's initials in a coloured circle, as one widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DESK_TYPE_INITIALS (desk_initials_get_type ())
G_DECLARE_FINAL_TYPE (DeskInitials, desk_initials, DESK, INITIALS, GtkWidget)

/* Shows the initials of @text (its first and last words), in the colour
 * AdwAvatar gives that name. */
void desk_initials_set_text (DeskInitials *self,
                             const char   *text);

G_END_DECLS
