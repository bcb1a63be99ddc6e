/* desk-window-chrome.h: what a window does around its content
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Calls @on_activity (with @data) at every key press, click, scroll or
 * pointer motion anywhere in @widget, before its children see it. */
void                  desk_window_chrome_watch_activity (GtkWidget *widget,
                                                         GCallback  on_activity,
                                                         gpointer   data);

/* The size and maximized state in @settings ("window-width",
 * "window-height", "window-maximized"): restored before the window is shown,
 * saved when it closes. */
void                  desk_window_chrome_restore_state  (GtkWindow *window,
                                                         GSettings *settings);
void                  desk_window_chrome_save_state     (GtkWindow *window,
                                                         GSettings *settings);

/* A modal chooser for a clinic database file, with a filter for clinic
 * files and one for all files. */
GtkFileChooserNative *desk_window_chrome_clinic_chooser (GtkWindow *parent);

/* The window's toast overlay (in its template), for desk_window_chrome_toast(). */
void                  desk_window_chrome_set_toast_overlay (GtkWindow       *window,
                                                            AdwToastOverlay *overlay);
/* Shows @title briefly over @window's content (plain text, not markup);
 * nothing for a window without the window template. */
void                  desk_window_chrome_toast          (GtkWindow *window,
                                                         const char *title);

G_END_DECLS
