/* desk-cli-audit.c: front-desk-admin audit verify [--receipt R]|export [filters], check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "desk-time.h"
#include "desk-audit.h"
#include "desk-cli-private.h"
#include "desk-client.h"
#include "desk-member.h"

/* Filters whose values can be checked before anything is opened. */
static gboolean
parse_filter (const char       *action,
              const char       *since,
              const char       *until,
              DeskAuditFilter  *filter,
              GError          **error)
{
  gint64 next_day = 0;

  if (action != NULL)
    {
      if (!desk_audit_action_is_valid (action))
        {
          desk_cli_set_usage_error (error,
                                    _("--action must be an action such as member.deactivate, "
                                      "or the start of one ending in a dot, such as member."));
          return FALSE;
        }
      desk_audit_filter_set_action (filter, action);
    }

  if (since != NULL && !desk_time_parse_day (since, &filter->since, NULL))
    {
      /* Translators: %s is what was typed; YYYY-MM-DD stays as it is */
      desk_cli_set_usage_error (error, _("--since must be a date written YYYY-MM-DD, not “%s”."),
                                since);
      return FALSE;
    }
  if (until != NULL)
    {
      /* The whole day of --until is included. */
      if (!desk_time_parse_day (until, NULL, &next_day))
        {
          /* Translators: %s is what was typed; YYYY-MM-DD stays as it is */
          desk_cli_set_usage_error (error, _("--until must be a date written YYYY-MM-DD, not “%s”."),
                                    until);
          return FALSE;
        }
      filter->until = next_day;
    }
  if (filter->since != 0 && filter->until != 0 && filter->since >= filter->until)
    {
      desk_cli_set_usage_error (error, _("--since must not be after --until."));
      return FALSE;
    }

  return TRUE;
}

/* Writing the export failed: GIO's error, in the words the rest of the
 * program's output uses ("The output cannot be written: No space left on
 * device."), not GLib's ("Error writing to file descriptor: …"). */
static void
set_write_error (GError       **error,
                 const GError  *io_error)
{
  int code;

  switch (io_error->code)
    {
    case G_IO_ERROR_NO_SPACE:
      code = ENOSPC;
      break;
    case G_IO_ERROR_BROKEN_PIPE:
      code = EPIPE;
      break;
    case G_IO_ERROR_PERMISSION_DENIED:
      code = EACCES;
      break;
    default:
      code = EIO;
      break;
    }

  g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_OUTPUT,
               _("The output cannot be written: %s."), g_strerror (code));
}

/* The member and the client: they must be in the clinic. */
static gboolean
resolve_records (DeskStore        *store,
                 const char       *member,
                 const char       *client,
                 DeskAuditFilter  *filter,
                 GError          **error)
{
  if (member != NULL)
    {
      g_autoptr(DeskMember) found = NULL;
      guint64 id;

      found = desk_member_load_by_username (store, member, NULL);
      if (found == NULL && g_ascii_string_to_unsigned (member, 10, 1, G_MAXINT64, &id, NULL))
        found = desk_member_load (store, (gint64) id, NULL);
      if (found == NULL)
        {
          /* Translators: %s is what was typed after --member */
          desk_cli_set_usage_error (error, _("--member: There is no member “%s” in this clinic."),
                                    member);
          return FALSE;
        }
      filter->actor_id = desk_member_get_id (found);
    }

  if (client != NULL)
    {
      g_autoptr(DeskClient) found = NULL;
      guint64 id = 0;

      if (g_ascii_string_to_unsigned (client, 10, 1, G_MAXINT64, &id, NULL))
        found = desk_client_load (store, (gint64) id, NULL);
      if (found == NULL)
        {
          /* Translators: %s is what was typed after --client */
          desk_cli_set_usage_error (error, _("--client: There is no client with number “%s” in "
                                             "this clinic."),
                                    client);
          return FALSE;
        }
      filter->client_id = (gint64) id;
    }

  return TRUE;
}

gboolean
desk_cli_run_audit_verify (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *receipt = NULL;
  g_autofree char *next_receipt = NULL;
  g_autoptr(DeskStore) store = NULL;
  guint64 n_entries = 0;
  const char *path;
  const GOptionEntry entries[] = {
    { "receipt", 0, 0, G_OPTION_ARG_STRING, &receipt,
      N_("Also check that every entry an earlier check saw is still there, unchanged"),
      N_("RECEIPT") },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;

  /* Only reads: an evidence copy on read-only media, or a file from an
   * older Front Desk, verifies as it is and stays as it was. */
  path = desk_cli_get_database (cli, error);
  if (path == NULL)
    return FALSE;
  store = desk_store_open_full (path, DESK_STORE_OPEN_READ_ONLY, error);
  if (store == NULL)
    return FALSE;
  if (!desk_audit_verify_receipt (store, receipt, &n_entries, &next_receipt, NULL, NULL,
                                  &local_error))
    {
      /* A receipt that is not one is a mistake in the command, not a finding. */
      if (g_error_matches (local_error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_INVALID_RECEIPT))
        desk_cli_set_usage_error (error, "%s", local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_string_append_printf (out,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The audit log is intact: %lu entry.\n",
                                       "The audit log is intact: %lu entries.\n",
                                       (gulong) MIN (n_entries, G_MAXULONG)),
                          (gulong) n_entries);
  if (receipt != NULL)
    g_string_append (out, _("Every entry the receipt’s check saw is still there, unchanged.\n"));
  /* Translators: %s is a receipt, like 1234:3f9a…; keep "--receipt" as it is */
  g_string_append_printf (out, _("Receipt: %s (keep it: a later check with --receipt finds "
                                 "entries cut off the end)\n"),
                          next_receipt);
  return desk_cli_write (out, error) && desk_cli_flush (error);
}

/* The full check, which the clinic's programs do not run when they open
 * it, so that opening takes the same time at any size. */
gboolean
desk_cli_run_check (DeskCli               *cli,
                    const DeskCliCommand  *command,
                    char                ***args,
                    GError               **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *display_path = NULL;
  const char *path;

  if (!desk_cli_parse_options (cli, command, NULL, args, 0, 0, error))
    return FALSE;

  path = desk_cli_get_database (cli, error);
  if (path == NULL || !desk_store_check_file (path, error))
    return FALSE;

  display_path = g_filename_display_name (path);
  /* Translators: %s is the clinic's file; "ok" first, for scripts */
  g_string_append_printf (out, _("ok: the clinic database “%s” has no damage.\n"), display_path);
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
  g_autofree char *member = NULL;
  g_autofree char *client = NULL;
  g_autofree char *action = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DeskAuditFilter) filter = desk_audit_filter_new ();
  DeskAuditFormat audit_format;
  DeskSession *session;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("csv (the default) or json"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE, which must not exist yet, instead of standard output"), N_("FILE") },
    { "member", 0, 0, G_OPTION_ARG_STRING, &member,
      N_("Only what this member did"), N_("USERNAME|ID") },
    { "client", 0, 0, G_OPTION_ARG_STRING, &client,
      N_("Only entries about this client"), N_("ID") },
    { "action", 0, 0, G_OPTION_ARG_STRING, &action,
      N_("Only this action, or the actions starting with it when it ends in a dot (member.)"),
      N_("ACTION") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since,
      N_("Only entries from this day on"), N_("YYYY-MM-DD") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until,
      N_("Only entries up to the end of this day"), N_("YYYY-MM-DD") },
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
      desk_cli_set_usage_error (error,
                                /* Translators: %s is what was typed; csv and json stay as
                                 * they are */
                                _("--format must be csv or json, not “%s”."), format);
      return FALSE;
    }

  /* The log names members and clients: for those who may view it. */
  if (!parse_filter (action, since, until, filter, error))
    return FALSE;

  session = desk_cli_sign_in (cli, DESK_PERMISSION_VIEW_AUDIT, error);
  if (session == NULL ||
      !resolve_records (desk_session_get_store (session), member, client, filter, error))
    return FALSE;

  if (output != NULL)
    {
      g_autofree char *display = g_filename_display_name (output);
      int fd;

      /* Never over an existing file: an export is evidence, not scratch.
       * Opened here rather than through GFile, so that a refusal says why
       * in our words and the system's, not GLib's. */
      fd = g_open (output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0 && errno == EEXIST)
        {
          g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                       /* Translators: %s is a file name */
                       _("“%s” already exists: an export never replaces a file. Give a new "
                         "name to --output."),
                       display);
          return FALSE;
        }
      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                       /* Translators: a file name, then why it cannot be created */
                       _("The export “%s” cannot be created: %s."),
                       display, g_strerror (saved_errno));
          return FALSE;
        }
      stream = g_unix_output_stream_new (fd, TRUE);
    }
  else
    {
      if (!desk_cli_flush (error))
        return FALSE;
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }

  if (!desk_audit_export_filtered (session, audit_format, filter, stream, NULL, &local_error) ||
      !g_output_stream_close (stream, NULL, &local_error))
    {
      if (local_error->domain == G_IO_ERROR)
        set_write_error (error, local_error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
