/* test-activity-indicator.c: a spinner that repaints itself and lays out nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's GtkSpinner lays its window out again at every frame it turns
 * (on X11, round trips to the X server each time).  The activity indicator
 * must keep turning, frame after frame, without one layout of its window;
 * stopped it asks for no frames; a screen reader hears a busy progress bar.
 */
#include "config.h"

#include "desk-activity-indicator.h"
#include "desk-test-window.h"

static gboolean have_display;

typedef struct
{
  guint paints;
  guint layouts;
} Frames;

static void
on_after_paint (GdkFrameClock *clock,
                Frames        *frames)
{
  frames->paints++;
}

static void
on_layout (GdkSurface *surface,
           int         width,
           int         height,
           Frames     *frames)
{
  frames->layouts++;
}

static gboolean
painted (gpointer data)
{
  return ((Frames *) data)->paints >= 12;
}

typedef struct
{
  GtkWindow *window;
  GtkWidget *indicator;
  Frames     frames;
  gulong     paint_id;
  gulong     layout_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;
  f->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  f->indicator = desk_activity_indicator_new ();
  gtk_widget_set_size_request (f->indicator, 32, 32);
  gtk_window_set_child (f->window, f->indicator);
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;
  g_clear_signal_handler (&f->paint_id, gtk_widget_get_frame_clock (GTK_WIDGET (f->window)));
  g_clear_signal_handler (&f->layout_id, gtk_native_get_surface (GTK_NATIVE (f->window)));
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->window);
}

/* Counts from now on. */
static void
count_frames (Fixture *f)
{
  f->frames.paints = f->frames.layouts = 0;
  f->paint_id = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (f->window)),
                                  "after-paint", G_CALLBACK (on_after_paint), &f->frames);
  f->layout_id = g_signal_connect (gtk_native_get_surface (GTK_NATIVE (f->window)),
                                   "layout", G_CALLBACK (on_layout), &f->frames);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Tests */

static void
test_turns_without_layout (Fixture       *f,
                           gconstpointer  data)
{
  DeskActivityIndicator *indicator;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  indicator = DESK_ACTIVITY_INDICATOR (f->indicator);

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (indicator),
                                               GTK_ACCESSIBLE_ROLE_PROGRESS_BAR));
  wait_until (mapped, f->indicator, "the indicator shown");
  /* The window's own first frames are over. */
  run_for (200);

  count_frames (f);
  desk_activity_indicator_set_spinning (indicator, TRUE);
  g_assert_true (desk_activity_indicator_get_spinning (indicator));
  g_assert_null (gtk_test_accessible_check_state (GTK_ACCESSIBLE (indicator),
                                                  GTK_ACCESSIBLE_STATE_BUSY, TRUE));
  /* Frame after frame, each one a repaint and none a layout (counted once
   * it turns: a late configure of the new window is not its doing). */
  wait_until (painted, &f->frames, "the indicator turning");
  f->frames.paints = f->frames.layouts = 0;
  wait_until (painted, &f->frames, "the indicator turning");
  g_assert_cmpuint (f->frames.layouts, ==, 0);

  /* Stopped, it asks for no more frames. */
  desk_activity_indicator_set_spinning (indicator, FALSE);
  g_assert_null (gtk_test_accessible_check_state (GTK_ACCESSIBLE (indicator),
                                                  GTK_ACCESSIBLE_STATE_BUSY, FALSE));
  run_for (100);
  f->frames.paints = 0;
  run_for (300);
  g_assert_cmpuint (f->frames.paints, ==, 0);
  g_assert_cmpuint (f->frames.layouts, ==, 0);
}

/* GtkSpinner, for comparison: the test above can tell them apart. */
static void
test_gtk_spinner_lays_out (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *spinner;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  spinner = gtk_spinner_new ();
  gtk_window_set_child (f->window, spinner);
  wait_until (mapped, spinner, "the spinner shown");
  run_for (200);

  count_frames (f);
  gtk_spinner_start (GTK_SPINNER (spinner));
  wait_until (painted, &f->frames, "the spinner turning");
  f->frames.paints = f->frames.layouts = 0;
  wait_until (painted, &f->frames, "the spinner turning");
  g_assert_cmpuint (f->frames.layouts, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  have_display = desk_test_gui_init (&argc, &argv);

  g_test_add ("/activity-indicator/turns-without-layout", Fixture, NULL,
              fixture_set_up, test_turns_without_layout, fixture_tear_down);
  g_test_add ("/activity-indicator/gtk-spinner-lays-out", Fixture, NULL,
              fixture_set_up, test_gtk_spinner_lays_out, fixture_tear_down);

  return g_test_run ();
}
