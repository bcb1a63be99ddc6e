/* desk-activity-indicator.h: a spinner that costs a small repaint a frame, not a layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DESK_TYPE_ACTIVITY_INDICATOR (desk_activity_indicator_get_type ())
G_DECLARE_FINAL_TYPE (DeskActivityIndicator, desk_activity_indicator,
                      DESK, ACTIVITY_INDICATOR, GtkWidget)

GtkWidget  *desk_activity_indicator_new          (void);
/* Spinning, it turns; otherwise it shows nothing (as GtkSpinner). */
void        desk_activity_indicator_set_spinning (DeskActivityIndicator *self,
                                                  gboolean               spinning);
gboolean    desk_activity_indicator_get_spinning (DeskActivityIndicator *self);

G_END_DECLS
