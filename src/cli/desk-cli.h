/* desk-cli.h: front-desk-admin, the clinic database from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of front-desk-admin. */
typedef enum
{
  DESK_CLI_EXIT_OK     = 0,
  DESK_CLI_EXIT_FAILED = 1,   /* the clinic database or the model refused */
  DESK_CLI_EXIT_USAGE  = 2,   /* the command line is wrong */
} DeskCliExit;

/* Runs front-desk-admin with @argv; returns the exit status.  Expects the
 * locale and the text domain to be set up by the caller. */
int desk_cli_main (int    argc,
                   char **argv);

G_END_DECLS
