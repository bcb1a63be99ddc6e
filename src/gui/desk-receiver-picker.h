/* desk-receiver-picker.h: choosing who receives a departing member's work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_RECEIVER_PICKER (desk_receiver_picker_get_type ())
G_DECLARE_FINAL_TYPE (DeskReceiverPicker, desk_receiver_picker, DESK, RECEIVER_PICKER, GtkWidget)

/* How many matches are offered at once: type more to narrow them. */
#define DESK_RECEIVER_PICKER_MATCHES 6

DeskReceiverPicker *desk_receiver_picker_new              (void);
/* Who may be offered: active members of @store (providers only when
 * @practitioners_only), never @exclude_id. */
void                desk_receiver_picker_set_context      (DeskReceiverPicker *self,
                                                           DeskStore          *store,
                                                           gboolean            practitioners_only,
                                                           gint64              exclude_id);
/* The name a screen reader gives the search and the matches. */
void                desk_receiver_picker_set_label        (DeskReceiverPicker *self,
                                                           const char         *label);
/* The member chosen (0 and NULL for none). */
gint64              desk_receiver_picker_get_receiver_id  (DeskReceiverPicker *self);
const char         *desk_receiver_picker_get_receiver_name (DeskReceiverPicker *self);
void                desk_receiver_picker_clear            (DeskReceiverPicker *self);

/* For tests: the search entry, and the matches shown (DeskMember). */
GtkEditable        *desk_receiver_picker_get_entry        (DeskReceiverPicker *self);
GListModel         *desk_receiver_picker_get_matches      (DeskReceiverPicker *self);
/* Activates the @index-th match, as a click or Enter on it does. */
void                desk_receiver_picker_activate_match   (DeskReceiverPicker *self,
                                                           guint               index);

G_END_DECLS
