/* desk-stall-watchdog.c: how long the main thread could not handle input or draw
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A timeout of 1 ms at G_PRIORITY_HIGH on the default main context: the
 * main loop runs it as soon as it is due unless something holds the thread
 * (a callback, a layout, a paint), so the gap between two runs, less the
 * millisecond asked for, is how long input and frames had to wait.  The
 * frame clock alone would not do: it is idle when nothing changes, and a
 * stall between frames is the one a typing member feels.  Not started in
 * ordinary use (a thousand wake-ups a second); FRONT_DESK_STALL_WATCHDOG=1
 * starts it in any build, and the benchmark starts it itself.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "desk-stall-watchdog.h"

#define TICK_MS 1

typedef struct
{
  guint    source;
  gboolean report;
  gint64   last;
  gint64   last_cpu;
  gint64   longest;
  gint64   longest_cpu;
  guint    n_stalls;
  char    *action;
} Watchdog;

static Watchdog watchdog;

/* The main thread's CPU time, in microseconds: on a loaded machine a gap
 * can be another process's, and this tells how much of it was ours. */
static gint64
thread_cpu_time (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static gboolean
on_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();
  gint64 stall = now - watchdog.last - TICK_MS * 1000;
  gint64 running = cpu - watchdog.last_cpu;

  if (running > watchdog.longest_cpu)
    watchdog.longest_cpu = running;
  watchdog.last = now;
  watchdog.last_cpu = cpu;
  if (stall > watchdog.longest)
    watchdog.longest = stall;
  if (stall > DESK_STALL_REPORT_MS * 1000)
    {
      watchdog.n_stalls++;
      if (watchdog.report)
        {
          fprintf (stderr, "front-desk: stall of %.1f ms (%.1f ms of it running) in %s\n",
                   stall / 1000.0, running / 1000.0,
                   watchdog.action != NULL ? watchdog.action : "(no action)");
          fflush (stderr);
        }
    }

  return G_SOURCE_CONTINUE;
}

void
desk_stall_watchdog_start (gboolean report)
{
  watchdog.report = report;
  if (watchdog.source != 0)
    return;

  watchdog.last = g_get_monotonic_time ();
  watchdog.last_cpu = thread_cpu_time ();
  watchdog.source = g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, NULL, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, watchdog.source),
                            "[desk] stall watchdog");
}

void
desk_stall_watchdog_start_from_env (void)
{
  if (g_strcmp0 (g_getenv ("FRONT_DESK_STALL_WATCHDOG"), "1") == 0)
    desk_stall_watchdog_start (TRUE);
}

gboolean
desk_stall_watchdog_is_running (void)
{
  return watchdog.source != 0;
}

void
desk_stall_watchdog_stop (void)
{
  g_clear_handle_id (&watchdog.source, g_source_remove);
  g_clear_pointer (&watchdog.action, g_free);
  watchdog.longest = 0;
  watchdog.n_stalls = 0;
}

void
desk_stall_watchdog_set_action (const char *action)
{
  if (watchdog.source == 0)
    return;

  g_free (watchdog.action);
  watchdog.action = g_strdup (action);
  watchdog.longest = 0;
  watchdog.longest_cpu = 0;
  watchdog.n_stalls = 0;
  /* The gap before the action is the previous action's. */
  watchdog.last = g_get_monotonic_time ();
  watchdog.last_cpu = thread_cpu_time ();
}

const char *
desk_stall_watchdog_get_action (void)
{
  return watchdog.action;
}

gint64
desk_stall_watchdog_get_longest (void)
{
  return watchdog.longest;
}

gint64
desk_stall_watchdog_get_longest_cpu (void)
{
  return watchdog.longest_cpu;
}

guint
desk_stall_watchdog_get_n_stalls (void)
{
  return watchdog.n_stalls;
}
