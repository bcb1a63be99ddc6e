/* desk-member-actions.h: deactivating and reactivating a member, from any button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-types.h"

G_BEGIN_DECLS

/* Why the member signed in to @widget's window may not deactivate @member
 * (if active) or reactivate them (if not), in a sentence for a tooltip; or
 * %NULL when they may.  Only a convenience: the model refuses them anyway. */
const char *desk_member_actions_refusal    (GtkWidget  *widget,
                                            DeskMember *member);

/* Names @button "Deactivate NAME" or "Activate NAME" for @member, and sets
 * its tooltip to the refusal, or else to @tooltip; its accessible
 * description is the refusal (or nothing).  Returns the refusal. */
const char *desk_member_actions_describe   (GtkWidget  *button,
                                            DeskMember *member,
                                            const char *tooltip);

/* Opens the deactivation assistant for @member over @widget's window;
 * nothing where desk_member_actions_refusal() gives a reason. */
void        desk_member_actions_deactivate (GtkWidget  *widget,
                                            DeskMember *member);
/* Asks for the password, then reactivates @member in the background; a
 * toast in @widget's window says how it went.  Nothing where
 * desk_member_actions_refusal() gives a reason. */
void        desk_member_actions_reactivate (GtkWidget  *widget,
                                            DeskMember *member);

G_END_DECLS
