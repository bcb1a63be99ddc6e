/* main.c: front-desk, the GTK application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-application.h"
#include "desk-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DeskApplication) app = NULL;

  desk_i18n_init ();

  g_set_application_name (_("Front Desk"));

  app = desk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
