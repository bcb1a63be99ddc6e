/* main.c: front-desk-admin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-cli.h"
#include "desk-i18n.h"

int
main (int    argc,
      char **argv)
{
  desk_i18n_init ();

  return desk_cli_main (argc, argv);
}
