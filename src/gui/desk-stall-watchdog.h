/* desk-stall-watchdog.h: how long the main thread could not handle input or draw
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A stall longer than this (one frame at 60 Hz) is reported. */
#define DESK_STALL_REPORT_MS 16

/* Starts watching the default main context.  With @report, each stall over
 * DESK_STALL_REPORT_MS is printed to stderr with the action it happened in.
 * Does nothing when already started. */
void        desk_stall_watchdog_start         (gboolean    report);
/* Starts it, reporting, when FRONT_DESK_STALL_WATCHDOG=1. */
void        desk_stall_watchdog_start_from_env (void);
gboolean    desk_stall_watchdog_is_running    (void);
void        desk_stall_watchdog_stop          (void);

/* Names what the main thread is doing from now on; resets the longest
 * stall.  Cheap and harmless when the watchdog is not running. */
void        desk_stall_watchdog_set_action    (const char *action);
const char *desk_stall_watchdog_get_action    (void);
/* The longest stall, in microseconds, since the action was set. */
gint64      desk_stall_watchdog_get_longest   (void);
/* The most CPU time the main thread spent between two of the watchdog's
 * turns, in microseconds, since the action was set: the stall less the
 * time other processes held the CPU. */
gint64      desk_stall_watchdog_get_longest_cpu (void);
/* Stalls over DESK_STALL_REPORT_MS since the action was set. */
guint       desk_stall_watchdog_get_n_stalls  (void);

G_END_DECLS
