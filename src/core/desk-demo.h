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
/* Every demo client who accepted their portal invitation signs in with it. */
#define DESK_DEMO_PORTAL_PASSWORD "portal-demo-2026"

/* The seed both `front-desk --demo` and `front-desk-admin init --demo` use
 * when none is given: demo clinics made on the same day are the same, so
 * that a support call can talk about the same records. */
#define DESK_DEMO_SEED 2026

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

/* A new demo clinic at @path (nothing may be there yet), built beside it
 * and moved into place once complete; @clinic_name NULL for the demo's
 * own name.  The clinic, open. */
DeskStore *desk_demo_create  (const char             *path,
                              const char             *clinic_name,
                              const DeskDemoOptions  *options,
                              DeskDemoProgress        progress,
                              gpointer                user_data,
                              GError                **error);

G_END_DECLS
