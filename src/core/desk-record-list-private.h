/* desk-record-list-private.h: knobs for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-record-list.h"

G_BEGIN_DECLS

/* Rows a client search walks in name order before the trigram index takes
 * over; tests make it small to take that path on a small clinic. */
void _desk_record_list_set_scan_budget (DeskRecordList *self,
                                        int             rows);

G_END_DECLS
