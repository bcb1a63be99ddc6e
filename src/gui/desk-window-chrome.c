/* desk-window-chrome.c: what a window does around its content
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-window-chrome.h"

typedef struct
{
  GCallback callback;
  gpointer  data;
} Activity;

static void
activity (Activity *self)
{
  ((void (*) (gpointer)) self->callback) (self->data);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                Activity              *self)
{
  activity (self);
  return GDK_EVENT_PROPAGATE;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           Activity                 *self)
{
  activity (self);
  return GDK_EVENT_PROPAGATE;
}

void
desk_window_chrome_watch_activity (GtkWidget *widget,
                                   GCallback  on_activity,
                                   gpointer   data)
{
  GtkEventController *controller;
  Activity *self;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (on_activity != NULL);

  self = g_new0 (Activity, 1);
  self->callback = on_activity;
  self->data = data;
  g_object_set_data_full (G_OBJECT (widget), "desk-window-chrome-activity", self, g_free);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (widget, controller);
  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  g_signal_connect_swapped (controller, "pressed", G_CALLBACK (activity), self);
  gtk_widget_add_controller (widget, controller);
  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);
  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (activity), self);
  gtk_widget_add_controller (widget, controller);
}

void
desk_window_chrome_restore_state (GtkWindow *window,
                                  GSettings *settings)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));

  gtk_window_set_default_size (window,
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (window);
}

void
desk_window_chrome_save_state (GtkWindow *window,
                               GSettings *settings)
{
  int width, height;
  gboolean maximized;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));

  maximized = gtk_window_is_maximized (window);
  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (settings);
  g_settings_set_boolean (settings, "window-maximized", maximized);
  if (!maximized && width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_apply (settings);
}

GtkFileChooserNative *
desk_window_chrome_clinic_chooser (GtkWindow *parent)
{
  g_autoptr(GtkFileFilter) clinics = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Clinic Database"),
                                         parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (clinics, _("Clinic databases"));
  gtk_file_filter_add_mime_type (clinics, "application/vnd.sqlite3");
  gtk_file_filter_add_mime_type (clinics, "application/x-sqlite3");
  gtk_file_filter_add_suffix (clinics, "db");
  gtk_file_filter_add_suffix (clinics, "sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), clinics);

  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  return chooser;
}

/* Toasts */

#define TOAST_OVERLAY_KEY "desk-toast-overlay"

void
desk_window_chrome_set_toast_overlay (GtkWindow       *window,
                                      AdwToastOverlay *overlay)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  g_object_set_data (G_OBJECT (window), TOAST_OVERLAY_KEY, overlay);
}

void
desk_window_chrome_toast (GtkWindow  *window,
                          const char *title)
{
  AdwToastOverlay *overlay;
  g_autofree char *markup = NULL;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (title != NULL);

  overlay = g_object_get_data (G_OBJECT (window), TOAST_OVERLAY_KEY);
  if (overlay == NULL)
    return;
  /* A toast's title is markup: a member's name may hold "&" or "<". */
  markup = g_markup_escape_text (title, -1);
  adw_toast_overlay_add_toast (overlay, adw_toast_new (markup));
}
