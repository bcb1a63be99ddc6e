/* desk-cli.c: front-desk-admin's command line, dispatch and shared output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `front-desk-admin [--database FILE] COMMAND [OPTION…]`: the global options
 * come first (or anywhere after the command), then a command ("init") or a
 * group and its command ("members list"), each parsing its own options with
 * desk_cli_parse_options().  A new command is a row of the table below and a
 * run function in a desk-cli-<group>.c; a new global option (--as) is a
 * field of Globals.
 *
 * Errors: a GError from the model layer (already a sentence a front desk can
 * read) exits 1; a wrong command line (G_OPTION_ERROR or DESK_CLI_ERROR_USAGE)
 * exits 2.  Either way one line on standard error, printed in one place.
 * Every message is a sentence with its full stop; one about the value of
 * an option may lead with the option ("--search: A search can have…").
 * GLib's own words never reach the person: parse_strv() ends GOption's
 * with a full stop and the command's --help.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "desk-cli-private.h"
#include "desk-record-list.h"

/* Output goes out in chunks of about this size. */
#define WRITE_CHUNK 65536

struct _DeskCliFields
{
  GPtrArray *labels;
  GPtrArray *values;
};

G_DEFINE_QUARK (desk-cli-error-quark, desk_cli_error)

static const DeskCliCommand commands[] = {
  { NULL, "init", NULL,
    N_("Create a clinic database, empty or filled with a demo clinic"),
    desk_cli_run_init },
  { NULL, "check", NULL,
    N_("Read the whole clinic database and report any damage (minutes for a large clinic); "
       "only reads"),
    desk_cli_run_check },
  { "members", "add-first-admin", N_("USERNAME"),
    N_("Give a clinic without members its first administrator (password on standard input)"),
    desk_cli_run_members_add_first_admin },
  { "members", "list", NULL,
    N_("List members"),
    desk_cli_run_members_list },
  { "members", "show", N_("USERNAME|ID"),
    N_("Show a member with their roles, groups and what depends on them"),
    desk_cli_run_members_show },
  { "members", "deactivate", N_("USERNAME|ID"),
    N_("Deactivate a member who leaves, giving what depends on them to others "
       "(--dry-run shows what would happen)"),
    desk_cli_run_members_deactivate },
  { "members", "reactivate", N_("USERNAME|ID"),
    N_("Reactivate a deactivated member"),
    desk_cli_run_members_reactivate },
  { "messages", "deliver", NULL,
    N_("Deliver a message to a member, or to whoever receives their messages since they left"),
    desk_cli_run_messages_deliver },
  { "clients", "list", NULL,
    N_("List clients"),
    desk_cli_run_clients_list },
  { "clients", "show", N_("ID"),
    N_("Show a client with their shared documents and upcoming appointments"),
    desk_cli_run_clients_show },
  { "clients", "discharge", N_("ID…"),
    N_("Discharge clients (inactive, with --reason), all or none; their portal access stays as it is"),
    desk_cli_run_clients_discharge },
  { "clients", "activate", N_("ID"),
    N_("Make an inactive client active again; their portal access stays as it is"),
    desk_cli_run_clients_activate },
  { "clients", "portal", N_("enable|disable|resend ID…"),
    N_("Invite a client to the portal (the invitation token is printed), send a new invitation, "
       "or disable their access"),
    desk_cli_run_clients_portal },
  { "clients", "share", N_("ID DOCUMENT"),
    N_("Share one of a client’s documents with them on the portal"),
    desk_cli_run_clients_share },
  { "clients", "unshare", N_("ID DOCUMENT"),
    N_("Stop sharing a document with a client"),
    desk_cli_run_clients_unshare },
  { "clients", "sees", N_("ID"),
    N_("Show what a client sees on the portal now, and whether they can sign in"),
    desk_cli_run_clients_sees },
  { "portal", "accept-invitation", NULL,
    N_("Accept a portal invitation as the client would (token and new password on standard input, "
       "one a line)"),
    desk_cli_run_portal_accept_invitation },
  { "portal", "sign-in", NULL,
    N_("Sign in to the portal as a client would (--email; password on standard input)"),
    desk_cli_run_portal_sign_in },
  { "audit", "verify", NULL,
    N_("Check that no entry of the audit log was changed, removed or forged, and print a receipt for the next check"),
    desk_cli_run_audit_verify },
  { "audit", "export", NULL,
    N_("Write the audit log, or the entries the filters select, as CSV or JSON"),
    desk_cli_run_audit_export },
};

/* Helpers */

static char *
command_full_name (const DeskCliCommand *command)
{
  if (command->group == NULL)
    return g_strdup (command->name);
  return g_strdup_printf ("%s %s", command->group, command->name);
}

/* "Commands:" and a line for each command of @group (NULL: all of them,
 * by their full names). */
static char *
commands_summary (const char *group)
{
  GString *out = g_string_new (_("Commands:"));
  gsize width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *name = command_full_name (&commands[i]);

      if (group == NULL)
        width = MAX (width, strlen (name));
      else if (g_strcmp0 (commands[i].group, group) == 0)
        width = MAX (width, strlen (commands[i].name));
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *name = command_full_name (&commands[i]);

      if (group != NULL && g_strcmp0 (commands[i].group, group) != 0)
        continue;
      g_string_append_printf (out, "\n  %-*s  %s", (int) width,
                              group == NULL ? name : commands[i].name,
                              _(commands[i].summary));
    }

  return g_string_free (out, FALSE);
}

/* @text, ending with a full stop unless it has one (or another end). */
static void
append_sentence (GString    *out,
                 const char *text)
{
  gsize length = strlen (text);

  g_string_append (out, text);
  if (length > 0 && strchr (".!?", text[length - 1]) == NULL &&
      !g_str_has_suffix (text, "…"))
    g_string_append_c (out, '.');
}

/* g_option_context_parse_strv(), but an argument that is not text in the
 * locale's encoding is a usage error in our words, not GLib's conversion
 * error ("Invalid byte sequence in conversion input", exit 1); and GOption's
 * own errors ("Unknown option --frob") become a sentence that says where
 * the options are: "front-desk-admin members list --help", @command. */
static gboolean
parse_strv (GOptionContext   *context,
            const char       *command,
            char           ***args,
            GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_option_context_parse_strv (context, args, &local_error))
    return TRUE;

  if (local_error->domain == G_CONVERT_ERROR)
    desk_cli_set_usage_error (error, _("An argument is not text in this system’s character "
                                       "encoding. Type it again."));
  else if (local_error->domain == G_OPTION_ERROR)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      append_sentence (message, local_error->message);
      g_string_append_c (message, ' ');
      g_string_append_printf (message,
                              /* Translators: %s is a command line, "front-desk-admin
                               * members list"; it follows what GLib found wrong */
                              _("Run “%s --help” to see the options."), command);
      desk_cli_set_usage_error (error, "%s", message->str);
    }
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* The names of the commands of @group, "list, show". */
static char *
group_commands (const char *group)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_strcmp0 (commands[i].group, group) != 0)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, commands[i].name);
    }

  return g_string_free (out, FALSE);
}

/* The global options, accepted before the command and after it (a script
 * may write either).  Parsed into @globals, then kept by merge_globals(). */
typedef struct
{
  char *database;
  char *as;
} Globals;

static void
add_global_entries (GOptionContext *context,
                    Globals        *globals)
{
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &globals->database,
      N_("The clinic database"), N_("FILE") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &globals->as,
      N_("Act as this member; their password is read from standard input"), N_("USERNAME") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static void
merge_globals (DeskCli *cli,
               Globals *globals)
{
  if (globals->database != NULL)
    {
      g_free (cli->database);
      cli->database = g_steal_pointer (&globals->database);
    }
  if (globals->as != NULL)
    {
      g_free (cli->as);
      cli->as = g_steal_pointer (&globals->as);
    }
}

static void
clear_globals (Globals *globals)
{
  g_clear_pointer (&globals->database, g_free);
  g_clear_pointer (&globals->as, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Globals, clear_globals)

static gboolean
is_group (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, word) == 0)
      return TRUE;
  return FALSE;
}

/* The words GOption takes for --help. */
static gboolean
is_help (const char *word)
{
  return g_str_equal (word, "--help") || g_str_equal (word, "-h") || g_str_equal (word, "-?");
}

/* "front-desk-admin members --help": the usage line, the group's commands
 * and where their options are, on standard output like any --help. */
static gboolean
print_group_help (const char  *group,
                  GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *summary = commands_summary (group);

  g_string_append_printf (out, "%s\n  %s %s %s\n\n%s\n\n", _("Usage:"), DESK_CLI_PROGRAM, group,
                          /* Translators: in the usage line of front-desk-admin --help */
                          _("COMMAND [OPTION…]"), summary);
  g_string_append_printf (out,
                          /* Translators: the program name, then a group of commands
                           * ("members") */
                          _("Run “%s %s COMMAND --help” to see the options of a command."),
                          DESK_CLI_PROGRAM, group);
  g_string_append_c (out, '\n');

  return desk_cli_write (out, error) && desk_cli_flush (error);
}

static const DeskCliCommand *
find_command (char     **args,
              guint     *n_words,
              GError   **error)
{
  guint n_args = g_strv_length (args);
  const char *word = args[1];
  gboolean group_found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const DeskCliCommand *command = &commands[i];

      if (command->group == NULL)
        {
          if (strcmp (command->name, word) == 0)
            {
              *n_words = 1;
              return command;
            }
        }
      else if (strcmp (command->group, word) == 0)
        {
          group_found = TRUE;
          if (n_args > 2 && strcmp (command->name, args[2]) == 0)
            {
              *n_words = 2;
              return command;
            }
        }
    }

  if (group_found)
    {
      g_autofree char *names = group_commands (word);

      if (n_args > 2)
        desk_cli_set_usage_error (error,
                                  /* Translators: the first %s is a group of commands ("members"), the
                                   * second what was typed after it, the third the commands it has */
                                  _("“%s” has no command “%s”; it has: %s."),
                                  word, args[2], names);
      else
        desk_cli_set_usage_error (error,
                                  /* Translators: %s is a group of commands ("members"), then its
                                   * commands ("list, show") */
                                  _("“%s” needs a command: %s."), word, names);
      return NULL;
    }

  desk_cli_set_usage_error (error,
                            /* Translators: %s is what was typed as a command, then the program name */
                            _("Unknown command “%s”. Run “%s --help” to see the commands."),
                            word, DESK_CLI_PROGRAM);
  return NULL;
}

static gboolean
run (DeskCli  *cli,
     int       argc,
     char    **argv,
     GError  **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) command_args = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;
  const DeskCliCommand *command;
  gboolean version = FALSE;
  guint n_words = 0;
  guint n_args;
  g_auto(Globals) globals = { 0 };
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  if (args[0] == NULL)
    args[0] = g_strdup (DESK_CLI_PROGRAM);

  /* Translators: in the usage line of front-desk-admin --help */
  context = g_option_context_new (_("COMMAND [OPTION…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* The command's own options come after its name. */
  g_option_context_set_strict_posix (context, TRUE);
  add_global_entries (context, &globals);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  summary = commands_summary (NULL);
  g_option_context_set_summary (context, summary);
  description = g_strdup_printf (
    /* Translators: %s is the program name */
    _("Run “%s COMMAND --help” to see the options of a command."), DESK_CLI_PROGRAM);
  g_option_context_set_description (context, description);

  if (!parse_strv (context, DESK_CLI_PROGRAM, &args, error))
    return FALSE;
  merge_globals (cli, &globals);

  if (version)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      g_string_append_printf (out, "%s %s\n", DESK_CLI_PROGRAM, PACKAGE_VERSION);
      return desk_cli_write (out, error) && desk_cli_flush (error);
    }

  n_args = g_strv_length (args);
  if (n_args < 2)
    {
      desk_cli_set_usage_error (error,
                                /* Translators: %s is the program name */
                                _("No command given. Run “%s --help” to see the commands."),
                                DESK_CLI_PROGRAM);
      return FALSE;
    }

  /* "members --help": the group's commands, as "--help" shows them all. */
  if (n_args > 2 && is_help (args[2]) && is_group (args[1]))
    return print_group_help (args[1], error);

  command = find_command (args, &n_words, error);
  if (command == NULL)
    return FALSE;

  /* The command sees the program name, then what follows its own name. */
  command_args = g_new0 (char *, n_args - n_words + 1);
  command_args[0] = g_strdup (args[0]);
  for (guint i = 1 + n_words; i < n_args; i++)
    command_args[i - n_words] = g_strdup (args[i]);

  return command->run (cli, command, &command_args, error);
}

static int
exit_status_for (const GError *error)
{
  if (error->domain == G_OPTION_ERROR ||
      g_error_matches (error, DESK_CLI_ERROR, DESK_CLI_ERROR_USAGE))
    return DESK_CLI_EXIT_USAGE;
  return DESK_CLI_EXIT_FAILED;
}

/* The one line an error gets on standard error. */
static void
print_error (const GError *error)
{
  g_autofree char *line = g_strdup (error->message);

  g_strdelimit (line, "\r\n", ' ');
  g_strstrip (line);
  g_printerr ("%s: %s\n", DESK_CLI_PROGRAM, line);
}

/* Public API */

void
desk_cli_set_usage_error (GError     **error,
                          const char  *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, DESK_CLI_ERROR, DESK_CLI_ERROR_USAGE, message);
}

gboolean
desk_cli_parse_options (DeskCli               *cli,
                        const DeskCliCommand  *command,
                        const GOptionEntry    *entries,
                        char                ***args,
                        guint                  min_args,
                        guint                  max_args,
                        GError               **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *name = command_full_name (command);
  g_autofree char *parameters = NULL;
  g_autofree char *help_command = NULL;
  g_auto(Globals) globals = { 0 };
  guint n_args;

  if (command->parameters != NULL)
    parameters = g_strdup_printf ("%s %s", name, _(command->parameters));
  else
    parameters = g_strdup (name);

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_global_entries (context, &globals);

  help_command = g_strdup_printf ("%s %s", DESK_CLI_PROGRAM, name);
  if (!parse_strv (context, help_command, args, error))
    return FALSE;
  merge_globals (cli, &globals);

  /* args[0] is the program name. */
  n_args = g_strv_length (*args) - 1;
  if (n_args < min_args)
    {
      if (command->parameters != NULL)
        desk_cli_set_usage_error (error,
                                  /* Translators: the first %s is a command ("members show"), the
                                   * second what it needs ("USERNAME|ID") */
                                  _("“%s” needs %s."), name, _(command->parameters));
      else
        desk_cli_set_usage_error (error, _("Too few arguments for “%s”."), name);
      return FALSE;
    }
  if (n_args > max_args)
    {
      desk_cli_set_usage_error (error,
                                /* Translators: the first %s is what was typed, the second a
                                 * command ("members list") */
                                _("Unexpected argument “%s” for “%s”."),
                                (*args)[1 + max_args], name);
      return FALSE;
    }

  return TRUE;
}

gboolean
desk_cli_parse_number (const char  *option,
                       const char  *value,
                       guint64      min,
                       guint64      max,
                       guint64     *number,
                       GError     **error)
{
  g_autofree char *min_text = NULL;
  g_autofree char *max_text = NULL;

  if (g_ascii_string_to_unsigned (value, 10, min, max, number, NULL))
    return TRUE;

  min_text = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
  max_text = g_strdup_printf ("%" G_GUINT64_FORMAT, max);
  if (max == G_MAXUINT64)
    desk_cli_set_usage_error (error,
                              /* Translators: an option ("--limit"), then the smallest number
                               * it takes */
                              _("%s must be a whole number of %s or more."),
                              option, min_text);
  else
    desk_cli_set_usage_error (error,
                              /* Translators: an option ("--clients"), then the smallest and
                               * largest numbers it takes */
                              _("%s must be a whole number from %s to %s."),
                              option, min_text, max_text);
  return FALSE;
}

const char *
desk_cli_get_database (DeskCli  *cli,
                       GError  **error)
{
  if (cli->database == NULL || cli->database[0] == '\0')
    {
      desk_cli_set_usage_error (error, _("No clinic database given: use --database FILE."));
      return NULL;
    }

  return cli->database;
}

DeskStore *
desk_cli_open_store (DeskCli  *cli,
                     GError  **error)
{
  const char *path;

  if (cli->store != NULL)
    return cli->store;

  path = desk_cli_get_database (cli, error);
  if (path == NULL)
    return NULL;

  cli->store = desk_store_open (path, error);
  return cli->store;
}

gboolean
desk_cli_write (GString  *buffer,
                GError  **error)
{
  if (buffer->len > 0 && fwrite (buffer->str, 1, buffer->len, stdout) != buffer->len)
    {
      int saved_errno = errno;

      g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_OUTPUT,
                   _("The output cannot be written: %s."), g_strerror (saved_errno));
      return FALSE;
    }

  g_string_truncate (buffer, 0);
  return TRUE;
}

gboolean
desk_cli_flush (GError **error)
{
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      int saved_errno = errno;

      g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_OUTPUT,
                   _("The output cannot be written: %s."), g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

void
desk_cli_show_progress (DeskCli    *cli,
                        const char *what,
                        double      fraction)
{
  int percent = (int) (CLAMP (fraction, 0.0, 1.0) * 100.0);

  if (!isatty (STDERR_FILENO))
    return;
  if (cli->progress_shown && percent == cli->progress_percent)
    return;

  /* \r and "erase line": the next update or the result replaces it. */
  g_printerr ("\r\033[K%s %3d%%", what, percent);
  cli->progress_shown = TRUE;
  cli->progress_percent = percent;
}

void
desk_cli_clear_progress (DeskCli *cli)
{
  if (!cli->progress_shown)
    return;

  g_printerr ("\r\033[K");
  cli->progress_shown = FALSE;
}

void
desk_cli_append_text (GString    *out,
                      const char *value)
{
  if (value == NULL)
    return;

  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      g_string_append_c (out, c < 0x20 || c == 0x7f ? ' ' : (char) c);
    }
}

void
desk_cli_append_row (GString            *out,
                     const char * const *fields,
                     guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\t');
      desk_cli_append_text (out, fields[i]);
    }
  g_string_append_c (out, '\n');
}

DeskCliFields *
desk_cli_fields_new (void)
{
  DeskCliFields *fields = g_new0 (DeskCliFields, 1);

  fields->labels = g_ptr_array_new_with_free_func (g_free);
  fields->values = g_ptr_array_new_with_free_func (g_free);
  return fields;
}

void
desk_cli_fields_add (DeskCliFields *fields,
                     const char    *label,
                     const char    *value)
{
  g_ptr_array_add (fields->labels, g_strdup (label));
  g_ptr_array_add (fields->values, g_strdup (value != NULL ? value : ""));
}

void
desk_cli_fields_add_printf (DeskCliFields *fields,
                            const char    *label,
                            const char    *format,
                            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (fields->labels, g_strdup (label));
  g_ptr_array_add (fields->values, g_strdup_vprintf (format, args));
  va_end (args);
}

void
desk_cli_fields_append (DeskCliFields *fields,
                        GString       *out)
{
  glong width = 0;

  for (guint i = 0; i < fields->labels->len; i++)
    width = MAX (width, g_utf8_strlen (g_ptr_array_index (fields->labels, i), -1));

  for (guint i = 0; i < fields->labels->len; i++)
    {
      const char *label = g_ptr_array_index (fields->labels, i);

      g_string_append (out, label);
      for (glong pad = g_utf8_strlen (label, -1); pad <= width; pad++)
        g_string_append_c (out, ' ');
      desk_cli_append_text (out, g_ptr_array_index (fields->values, i));
      g_string_append_c (out, '\n');
    }
}

void
desk_cli_fields_free (DeskCliFields *fields)
{
  g_ptr_array_unref (fields->labels);
  g_ptr_array_unref (fields->values);
  g_free (fields);
}

void
desk_cli_list_writer_init (DeskCliListWriter *writer,
                           gboolean           json,
                           guint64            limit,
                           DeskCliRowFunc     text_row,
                           DeskCliRowFunc     json_row)
{
  memset (writer, 0, sizeof *writer);
  writer->json = json;
  writer->limit = limit;
  writer->text_row = text_row;
  writer->json_row = json_row;
  writer->buffer = g_string_sized_new (WRITE_CHUNK + 4096);
}

gboolean
desk_cli_list_writer_begin (DeskCliListWriter  *writer,
                            const char * const *header,
                            guint               n_columns,
                            GError            **error)
{
  if (writer->json)
    g_string_append (writer->buffer, "[\n");
  else
    desk_cli_append_row (writer->buffer, header, n_columns);

  return desk_cli_write (writer->buffer, error);
}

gboolean
desk_cli_list_writer_add (DeskCliListWriter  *writer,
                          GListModel         *model,
                          GError            **error)
{
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items && writer->written < writer->limit; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == NULL)
        {
          const GError *list_error = NULL;

          if (DESK_IS_RECORD_LIST (model))
            list_error = desk_record_list_get_error (DESK_RECORD_LIST (model));
          if (list_error != NULL)
            {
              g_propagate_error (error, g_error_copy (list_error));
              return FALSE;
            }
          g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                       _("The list changed while it was being read. Try again."));
          return FALSE;
        }

      if (writer->json)
        {
          if (writer->written > 0)
            g_string_append (writer->buffer, ",\n");
          writer->json_row (writer->buffer, item);
        }
      else
        writer->text_row (writer->buffer, item);
      writer->written++;

      if (writer->buffer->len >= WRITE_CHUNK && !desk_cli_write (writer->buffer, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
desk_cli_list_writer_end (DeskCliListWriter  *writer,
                          GError            **error)
{
  if (writer->json)
    g_string_append (writer->buffer, writer->written > 0 ? "\n]\n" : "]\n");

  return desk_cli_write (writer->buffer, error) && desk_cli_flush (error);
}

void
desk_cli_list_writer_clear (DeskCliListWriter *writer)
{
  if (writer->buffer != NULL)
    g_string_free (writer->buffer, TRUE);
  writer->buffer = NULL;
}

/**
 * desk_cli_main:
 *
 * Returns: the exit status: 0 on success, 1 when the clinic database or the
 *   model refused, 2 for a wrong command line; on failure one line on
 *   standard error.
 */
int
desk_cli_main (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  DeskCli cli = { 0 };
  int status = DESK_CLI_EXIT_OK;

  g_set_prgname (DESK_CLI_PROGRAM);

  if (!run (&cli, argc, argv, &error))
    {
      g_assert (error != NULL);
      desk_cli_clear_progress (&cli);
      /* Whatever was written before the failure goes out before the error. */
      fflush (stdout);
      print_error (error);
      status = exit_status_for (error);
    }

  g_clear_object (&cli.session);
  g_clear_object (&cli.store);
  g_clear_pointer (&cli.database, g_free);
  g_clear_pointer (&cli.as, g_free);
  g_clear_pointer (&cli.password, sodium_free);

  return status;
}
