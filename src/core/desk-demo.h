/* desk-demo.h: a realistic demo clinic, deterministic from a seed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

/* The demo administrator's sign-in, printed by `front-desk --demo`. */
#define DESK_DEMO_USERNAME "admin"
#define DESK_DEMO_PASSWORD "frontdesk-demo"

typedef struct
{
  guint   members;         /* 0: a clinic-sized default (clients / 500, at least 12) */
  guint   clients;         /* 0: 2,000 */
  guint64 seed;            /* same seed and reference time: same clinic */
  gint64  reference_time;  /* "now" for past and future records; 0: today at 00:00 UTC */
} DeskDemoOptions;

typedef void (*DeskDemoProgress) (double   fraction,
                                  gpointer user_data);

/* Fills an empty clinic (just created) with demo members, clients and their
 * records, in one transaction. */
gboolean desk_demo_populate (DeskStore             *store,
                             const DeskDemoOptions *options,
                             DeskDemoProgress       progress,
                             gpointer               user_data,
                             GError               **error);

G_END_DECLS
