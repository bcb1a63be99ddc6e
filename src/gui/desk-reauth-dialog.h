/* desk-reauth-dialog.h: asking for the password before a sensitive change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-reauth.h"

G_BEGIN_DECLS

#define DESK_TYPE_REAUTH_DIALOG (desk_reauth_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DeskReauthDialog, desk_reauth_dialog, DESK, REAUTH_DIALOG, AdwWindow)

/* Confirms a sensitive change: at once when a token in the keyring still
 * stands, otherwise with a dialog over @parent asking for the password,
 * which stays open on a wrong password.  @what says what is about to
 * happen ("Deactivate Dana Lee's account.").  Finishes with TRUE when
 * confirmed, or FALSE with G_IO_ERROR_CANCELLED when the member cancelled. */
void         desk_reauth_dialog_confirm_async  (GtkWindow           *parent,
                                                DeskReauth          *reauth,
                                                const char          *what,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     desk_reauth_dialog_confirm_finish (GAsyncResult        *result,
                                                GError             **error);

/* For tests: the password row and the error shown (or %NULL). */
GtkEditable *desk_reauth_dialog_get_password   (DeskReauthDialog    *self);
const char  *desk_reauth_dialog_get_error      (DeskReauthDialog    *self);
gboolean     desk_reauth_dialog_get_busy       (DeskReauthDialog    *self);

G_END_DECLS
