/* desk-window.h: the main window, showing one clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-clients-view.h"
#include "desk-members-view.h"
#include "desk-reauth.h"
#include "desk-sign-in-page.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_WINDOW (desk_window_get_type ())
G_DECLARE_FINAL_TYPE (DeskWindow, desk_window, DESK, WINDOW, AdwApplicationWindow)

/* Names of the window's pages. */
#define DESK_WINDOW_PAGE_WELCOME "welcome"
#define DESK_WINDOW_PAGE_LOADING "loading"
#define DESK_WINDOW_PAGE_ERROR   "error"
#define DESK_WINDOW_PAGE_SIGN_IN "sign-in"
#define DESK_WINDOW_PAGE_CLINIC  "clinic"

DeskWindow      *desk_window_new               (GtkApplication *application);

DeskStore       *desk_window_get_store         (DeskWindow     *self);
void             desk_window_set_store         (DeskWindow     *self,
                                                DeskStore      *store);

/* Opens @file in the background: the loading page, then the clinic or the
 * error page. */
void             desk_window_open              (DeskWindow     *self,
                                                GFile          *file);
/* Where the demo clinic is, or is made (the application says). */
void             desk_window_set_demo_file     (DeskWindow     *self,
                                                GFile          *file);
/* Opens the demo clinic, creating it in the background the first time. */
void             desk_window_open_demo         (DeskWindow     *self);

void             desk_window_show_welcome      (DeskWindow     *self);
void             desk_window_show_error        (DeskWindow     *self,
                                                const GError   *error);

/* One of DESK_WINDOW_PAGE_*. */
const char      *desk_window_get_page          (DeskWindow     *self);
/* The message shown on the error page. */
const char      *desk_window_get_error_message (DeskWindow     *self);

/* The member signed in to the clinic shown, or %NULL. */
DeskSession     *desk_window_get_session       (DeskWindow     *self);
/* How sensitive changes are confirmed in this session, or %NULL. */
DeskReauth      *desk_window_get_reauth        (DeskWindow     *self);
DeskSignInPage  *desk_window_get_sign_in_page  (DeskWindow     *self);
/* Ends the session and returns to the sign-in page. */
void             desk_window_sign_out          (DeskWindow     *self);
gboolean         desk_window_lock_if_idle      (DeskWindow     *self,
                                                gint64          now);

DeskMembersView *desk_window_get_members_view  (DeskWindow     *self);
DeskClientsView *desk_window_get_clients_view  (DeskWindow     *self);

G_END_DECLS
