/* desk-spinner.c: a spinner that shows only for slow work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pending timeout is kept on the spinner itself, and removed with it:
 * a view disposed while it waits leaves nothing behind to fire.
 */
#include "config.h"

#include "desk-spinner.h"

static GQuark
pending_quark (void)
{
  return g_quark_from_static_string ("desk-spinner-pending");
}

static void
remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static gboolean
show_now (gpointer data)
{
  GtkSpinner *spinner = data;

  /* The source ends here: forget it without removing it. */
  g_object_steal_qdata (G_OBJECT (spinner), pending_quark ());
  gtk_widget_set_visible (GTK_WIDGET (spinner), TRUE);
  gtk_spinner_set_spinning (spinner, TRUE);
  return G_SOURCE_REMOVE;
}

void
desk_spinner_set_busy (GtkSpinner *spinner,
                       gboolean    busy)
{
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  if (busy)
    {
      if (g_object_get_qdata (G_OBJECT (spinner), pending_quark ()) == NULL &&
          !gtk_widget_get_visible (GTK_WIDGET (spinner)))
        g_object_set_qdata_full (G_OBJECT (spinner), pending_quark (),
                                 GUINT_TO_POINTER (g_timeout_add (DESK_SPINNER_DELAY_MS, show_now,
                                                                  spinner)),
                                 remove_source);
      return;
    }

  g_object_set_qdata (G_OBJECT (spinner), pending_quark (), NULL);
  gtk_widget_set_visible (GTK_WIDGET (spinner), FALSE);
  gtk_spinner_set_spinning (spinner, FALSE);
}
