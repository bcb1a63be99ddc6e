/* desk-cli-input.c: what front-desk-admin takes from a person: the member
 * it acts as with their password, and search text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords are read with read(2) into memory libsodium guards and wipes,
 * whole (up to DESK_CLI_PASSWORD_MAX bytes) or not at all: a password is
 * never cut.  A command signs in before it reads or writes anything else.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "desk-cli-private.h"
#include "desk-search-text.h"

/* Reads standard input straight into @buffer, never through stdio, whose
 * buffer would keep a copy nobody wipes; stops after a line.  The length
 * of the line (without the new line), or -1 with errno set; @nothing tells
 * an empty line from no input at all. */
static gssize
read_line (char     *buffer,
           gsize     size,
           gboolean *nothing)
{
  gsize length = 0;

  *nothing = FALSE;

  while (length < size)
    {
      gssize n = read (STDIN_FILENO, buffer + length, size - length);
      const char *newline;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        {
          *nothing = length == 0;
          break;
        }

      newline = memchr (buffer + length, '\n', (gsize) n);
      if (newline != NULL)
        return newline - buffer;
      length += (gsize) n;
    }

  return (gssize) length;
}

char *
desk_cli_read_password (const char  *missing,
                        GError     **error)
{
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO);
  gboolean nothing = FALSE;
  gssize length;
  int saved_errno;
  char *buffer = NULL;

  if (sodium_init () >= 0)
    buffer = sodium_malloc (DESK_CLI_PASSWORD_MAX + 1);
  if (buffer == NULL)
    {
      g_set_error_literal (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                           _("Not enough memory to protect the password."));
      return NULL;
    }

  if (terminal)
    {
      fprintf (stderr, "%s", _("Password: "));
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  /* One byte more than a password may have: a longer line is refused, not cut. */
  length = read_line (buffer, DESK_CLI_PASSWORD_MAX + 1, &nothing);
  saved_errno = errno;
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }

  if (length < 0)
    {
      g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                   _("The password cannot be read from standard input: %s."),
                   g_strerror (saved_errno));
      sodium_free (buffer);
      return NULL;
    }
  if (nothing)
    {
      g_set_error_literal (error, DESK_CLI_ERROR, DESK_CLI_ERROR_USAGE, missing);
      sodium_free (buffer);
      return NULL;
    }
  if (length > DESK_CLI_PASSWORD_MAX)
    {
      g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                   /* Translators: %d is a number of bytes, 65536 */
                   _("The password on standard input is too long: a password can have at most "
                     "%d bytes."),
                   DESK_CLI_PASSWORD_MAX);
      sodium_free (buffer);
      return NULL;
    }
  if (memchr (buffer, '\0', (gsize) length) != NULL)
    {
      g_set_error_literal (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                           _("The password on standard input has a NUL byte, which a password "
                             "cannot have."));
      sodium_free (buffer);
      return NULL;
    }

  if (length > 0 && buffer[length - 1] == '\r')
    length--;
  buffer[length] = '\0';
  return buffer;
}

gboolean
desk_cli_check_search (char    **search,
                       GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  if (*search == NULL)
    return TRUE;

  /* Taken as bytes; text in another encoding than UTF-8 is converted here,
   * where a failure gets the same words as any other text that is not. */
  if (!g_get_charset (NULL))
    {
      char *converted = g_locale_to_utf8 (*search, -1, NULL, NULL, NULL);

      if (converted != NULL)
        {
          g_free (*search);
          *search = converted;
        }
    }

  if (!desk_search_text_check (*search, &local_error))
    {
      /* Translators: %s says what is wrong with the search */
      desk_cli_set_usage_error (error, _("--search: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static DeskSession *
sign_in (DeskCli         *cli,
         DeskPermission   permission,
         gboolean         keep_password,
         GError         **error)
{
  DeskStore *store;
  char *password;

  if (cli->session == NULL)
    {
      if (cli->as == NULL)
        {
          desk_cli_set_usage_error (error, _("This command needs --as USERNAME, the member it "
                                             "acts as; their password is read from standard "
                                             "input."));
          return NULL;
        }

      store = desk_cli_open_store (cli, error);
      if (store == NULL)
        return NULL;
      password = desk_cli_read_password (_("No password on standard input: give the password "
                                           "of the member named with --as."),
                                         error);
      if (password == NULL)
        return NULL;
      cli->session = desk_session_sign_in (store, cli->as, password, error);
      if (cli->session == NULL || !keep_password)
        sodium_free (password);
      else
        cli->password = password;
      if (cli->session == NULL)
        return NULL;
    }

  if (!desk_session_require (cli->session, permission, error))
    return NULL;
  return cli->session;
}

DeskSession *
desk_cli_sign_in (DeskCli         *cli,
                  DeskPermission   permission,
                  GError         **error)
{
  return sign_in (cli, permission, FALSE, error);
}

DeskSession *
desk_cli_sign_in_for_change (DeskCli         *cli,
                             DeskPermission   permission,
                             GError         **error)
{
  return sign_in (cli, permission, TRUE, error);
}

gboolean
desk_cli_confirm (DeskCli  *cli,
                  GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (cli->session != NULL && cli->password != NULL, FALSE);

  /* The password typed once stands for the sign-in and for this one
   * confirmation, then is wiped. */
  ok = desk_session_reauthenticate (cli->session, cli->password, error);
  g_clear_pointer (&cli->password, sodium_free);
  return ok;
}
