/* desk-client-dialogs.h: the questions the client page asks before a change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The responses, besides "cancel" (also Escape). */
#define DESK_CLIENT_RESPONSE_DISCHARGE  "discharge"
#define DESK_CLIENT_RESPONSE_PORTAL_OFF "portal-off"

/* Discharging @name: the reason (required: the response stays insensitive
 * without one) and, when @portal_on, as a separate choice that starts
 * unticked, whether to turn portal access off too. */
AdwMessageDialog *desk_client_dialogs_discharge       (GtkWindow        *parent,
                                                       const char       *name);
void              desk_client_dialogs_set_portal_on   (AdwMessageDialog *dialog,
                                                       gboolean          portal_on);
GtkEditable      *desk_client_dialogs_get_reason      (AdwMessageDialog *dialog);
GtkCheckButton   *desk_client_dialogs_get_portal_off  (AdwMessageDialog *dialog);

/* Turning portal access off for @name: what stops and what stays. */
AdwMessageDialog *desk_client_dialogs_portal_off      (GtkWindow        *parent,
                                                       const char       *name);

G_END_DECLS
