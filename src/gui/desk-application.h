/* desk-application.h: the Front Desk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DESK_TYPE_APPLICATION (desk_application_get_type ())
G_DECLARE_FINAL_TYPE (DeskApplication, desk_application, DESK, APPLICATION, AdwApplication)

DeskApplication *desk_application_new            (void);

/* Where `front-desk --demo` keeps its demo clinic, in the user's data folder. */
char            *desk_application_get_demo_path  (void);

G_END_DECLS
