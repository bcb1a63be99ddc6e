/* desk-i18n.h: the locale and the translations, set up once by each program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds Front Desk's catalogue:
 * from FRONT_DESK_LOCALEDIR when it is set (the build tree's po/, which
 * tools/run and `meson devenv` give, so that an uninstalled build shows
 * its translations), else from where it is installed. */
void desk_i18n_init (void);

G_END_DECLS
