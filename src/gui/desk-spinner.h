/* desk-spinner.h: a spinner that shows only for slow work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How long work goes on before its spinner shows: quick queries, most of
 * them, finish first and never flash it. */
#define DESK_SPINNER_DELAY_MS 300

/* Busy: shows and starts @spinner once DESK_SPINNER_DELAY_MS have passed,
 * unless it is made idle first.  Idle: hides and stops it at once. */
void desk_spinner_set_busy (GtkSpinner *spinner,
                            gboolean    busy);

G_END_DECLS
