/* desk-sign-in-page.h: signing in to a clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_SIGN_IN_PAGE (desk_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (DeskSignInPage, desk_sign_in_page, DESK, SIGN_IN_PAGE, GtkWidget)

DeskStore   *desk_sign_in_page_get_store       (DeskSignInPage *self);
/* The clinic to sign in to: its name, and for a demo clinic the demo
 * sign-in; %NULL cancels a sign-in under way. */
void         desk_sign_in_page_set_store       (DeskSignInPage *self,
                                                DeskStore      *store);
/* Empties the password (and the username unless @username is given) and
 * shows @message (or nothing), e.g. why the window locked. */
void         desk_sign_in_page_reset           (DeskSignInPage *self,
                                                const char     *username,
                                                const char     *message);
/* Puts the focus where typing should go: the username, or the password
 * when the username is filled in. */
void         desk_sign_in_page_focus           (DeskSignInPage *self);

/* The message shown (an error, or why the window locked), or %NULL. */
const char  *desk_sign_in_page_get_message     (DeskSignInPage *self);
gboolean     desk_sign_in_page_get_busy        (DeskSignInPage *self);
GtkEditable *desk_sign_in_page_get_username    (DeskSignInPage *self);
GtkEditable *desk_sign_in_page_get_password    (DeskSignInPage *self);

G_END_DECLS
