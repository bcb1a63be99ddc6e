/* main.c: front-desk-admin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "desk-cli.h"
#include "desk-i18n.h"

/* GLib prints (g_printerr (), GOption's --help) in the character set of
 * the locale, and the plain C or POSIX locale of a bare server, a cron job
 * or `env -i` has only ASCII: every “”, ’ and … of our messages came out as
 * "?".  Writing UTF-8 whatever the locale says would garble a terminal
 * that really is in Latin-1; so, as Python does since PEP 538, only that
 * plain locale is taken as its UTF-8 twin, and only for the character
 * set: messages, dates and numbers stay those of the C locale.  A locale
 * someone chose is kept as it is.  C.UTF-8 is in every glibc since 2.35
 * and in Debian long before; without it nothing changes. */
static void
use_utf8_for_plain_c_locale (void)
{
  const char *ctype = setlocale (LC_CTYPE, NULL);

  if (ctype == NULL || (strcmp (ctype, "C") != 0 && strcmp (ctype, "POSIX") != 0))
    return;
  if (setlocale (LC_CTYPE, "C.UTF-8") == NULL)
    setlocale (LC_CTYPE, "C.utf8");
}

int
main (int    argc,
      char **argv)
{
  desk_i18n_init ();
  use_utf8_for_plain_c_locale ();

  return desk_cli_main (argc, argv);
}
