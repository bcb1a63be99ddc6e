/* desk-cli-audit.c: front-desk-admin audit verify|export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "desk-audit.h"
#include "desk-cli-private.h"

gboolean
desk_cli_run_audit_verify (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint64 n_entries = 0;
  DeskStore *store;

  if (!desk_cli_parse_options (cli, command, NULL, args, 0, 0, error))
    return FALSE;

  store = desk_cli_open_store (cli, error);
  if (store == NULL || !desk_audit_verify (store, &n_entries, NULL, NULL, error))
    return FALSE;

  g_string_append_printf (out,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The audit log is intact: %lu entry.\n",
                                       "The audit log is intact: %lu entries.\n",
                                       (gulong) MIN (n_entries, G_MAXULONG)),
                          (gulong) n_entries);
  return desk_cli_write (out, error) && desk_cli_flush (error);
}

gboolean
desk_cli_run_audit_export (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  DeskAuditFormat audit_format;
  DeskSession *session;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("csv (the default) or json"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE, which must not exist yet, instead of standard output"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;

  if (format == NULL || g_str_equal (format, "csv"))
    audit_format = DESK_AUDIT_FORMAT_CSV;
  else if (g_str_equal (format, "json"))
    audit_format = DESK_AUDIT_FORMAT_JSON;
  else
    {
      desk_cli_set_usage_error (error, _("--format must be csv or json"));
      return FALSE;
    }

  /* The log names members and clients: for those who may view it. */
  session = desk_cli_sign_in (cli, DESK_PERMISSION_VIEW_AUDIT, error);
  if (session == NULL)
    return FALSE;

  if (output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      /* Never over an existing file: an export is evidence, not scratch. */
      stream = G_OUTPUT_STREAM (g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, error));
      if (stream == NULL)
        return FALSE;
    }
  else
    {
      if (!desk_cli_flush (error))
        return FALSE;
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }

  if (!desk_audit_export (session, audit_format, stream, NULL, error))
    return FALSE;
  return g_output_stream_close (stream, NULL, error);
}
