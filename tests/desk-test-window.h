/* desk-test-window.h: opening, signing in to and closing the window, for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-store.h"
#include "desk-test-gui.h"
#include "desk-window.h"

G_BEGIN_DECLS

/* The password desk_test_add_administrator() gives the first administrator. */
#define DESK_TEST_ADMIN_PASSWORD "correct horse battery"

/* g_test_init(), the C.UTF-8 locale, GTK and libadwaita, the cursor not
 * blinking: FALSE without a display, and then every widget test skips. */
gboolean    desk_test_gui_init           (int         *argc,
                                          char      ***argv);

/* A presented window the test holds a reference to, so that
 * desk_test_destroy_window() can check it is finalized. */
DeskWindow *desk_test_new_window_sized   (int          width,
                                          int          height);
DeskWindow *desk_test_new_window         (void);
void        desk_test_destroy_window     (DeskWindow  *window);

/* "first.admin", with DESK_TEST_ADMIN_PASSWORD. */
void        desk_test_add_administrator  (DeskStore   *store);

/* Types @username and @password into the sign-in page and presses Enter in
 * the password, as a member does; returns once the check is over. */
void        desk_test_type_sign_in       (DeskWindow  *window,
                                          const char  *username,
                                          const char  *password);
/* Signs in to the demo clinic and checks the window shows it. */
void        desk_test_sign_in            (DeskWindow  *window);

/* Conditions for wait_until(). */
gboolean    desk_test_list_loaded        (gpointer     list);
gboolean    desk_test_window_not_loading (gpointer     window);

/* A mapped label with @text inside @widget: a row the user can see. */
GtkWidget  *desk_test_find_mapped_label  (GtkWidget   *widget,
                                          const char  *text);

typedef struct
{
  GtkWidget  *root;
  const char *text;
} DeskTestLabelShown;

/* A visible toplevel window of @type (a dialog, an assistant), or NULL. */
GtkWindow  *desk_test_find_toplevel      (GType        type);
/* For wait_until(): a visible toplevel of the GType given as GSIZE_TO_POINTER (type). */
gboolean    desk_test_toplevel_shown     (gpointer     type);

/* The shortcut of @widget's shortcut controllers whose trigger is
 * @trigger, or has it as one of its alternatives ("<Shift>F10|Menu"); NULL
 * if none. */
GtkShortcut *desk_test_find_shortcut     (GtkWidget   *widget,
                                          const char  *trigger);

gboolean    desk_test_label_shown        (gpointer     shown);

G_END_DECLS
