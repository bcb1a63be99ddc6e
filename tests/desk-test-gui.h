/* desk-test-gui.h: shared helpers for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Generous: a loaded CI machine under a sanitizer is slow. */
#define DESK_TEST_TIMEOUT_SECONDS 30

typedef gboolean (*DeskTestCondition) (gpointer data);

/* Runs the main loop until @condition holds; fails the test after the timeout. */
static inline void
wait_until (DeskTestCondition  condition,
            gpointer           data,
            const char        *what)
{
  gint64 deadline = g_get_monotonic_time () + DESK_TEST_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

G_END_DECLS
