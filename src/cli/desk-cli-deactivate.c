/* desk-cli-deactivate.c: front-desk-admin members deactivate|reactivate,
 * messages deliver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A script offboards a member the way the assistant does: the plan of the
 * model (desk-deactivation.h), one option per category that has something
 * to move, and the --as member's password, typed once, standing for both
 * the sign-in and the confirmation of the change.  --dry-run stops after
 * the plan and changes nothing.  Every refusal is the model's; the command
 * line adds only what it alone can say: a missing or doubled option.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk-cli-private.h"
#include "desk-deactivation.h"
#include "desk-delivery.h"
#include "desk-json.h"
#include "desk-member.h"

/* The longest --body-file, in bytes: far more than a message needs, little
 * enough to hold at once. */
#define BODY_FILE_MAX (1024 * 1024)

/* Helpers */

/* "Dr. Ada Lovelace (ada)" */
static char *
member_label (DeskMember *member)
{
  return g_strdup_printf ("%s (%s)", desk_member_get_display_name (member),
                          desk_member_get_username (member));
}

/* At most one of two options that exclude each other. */
static gboolean
check_exclusive (gboolean     first_given,
                 const char  *first,
                 gboolean     second_given,
                 const char  *second,
                 GError     **error)
{
  if (first_given && second_given)
    {
      desk_cli_set_usage_error (error,
                                /* Translators: two options ("--inbox-to", "--archive-inbox") */
                                _("%s and %s cannot be given together: choose one."),
                                first, second);
      return FALSE;
    }
  return TRUE;
}

/* The id of the member @name, given to @option; errors name the option. */
static gboolean
resolve_member (DeskStore   *store,
                const char  *option,
                const char  *name,
                gint64      *id,
                GError     **error)
{
  g_autoptr(DeskMember) member = desk_cli_find_member (store, name, error);

  if (member == NULL)
    {
      /* Translators: an option ("--inbox-to") before what is wrong with its value */
      g_prefix_error (error, _("%s: "), option);
      return FALSE;
    }
  *id = desk_member_get_id (member);
  return TRUE;
}

/* Gives @category to the member named by @option, or its consequence. */
static gboolean
choose (DeskDeactivationPlan      *plan,
        DeskStore                 *store,
        DeskDeactivationCategory   category,
        const char                *option,
        const char                *receiver,
        GError                   **error)
{
  gint64 id = 0;

  if (receiver != NULL && !resolve_member (store, option, receiver, &id, error))
    return FALSE;
  if (!desk_deactivation_plan_set_receiver (plan, category, id, error))
    {
      if (receiver != NULL)
        g_prefix_error (error, _("%s: "), option);
      return FALSE;
    }
  return TRUE;
}

/* A category with something to move needs its option, or its consequence's. */
static gboolean
require_choice (DeskDeactivationPlan      *plan,
                DeskDeactivationCategory   category,
                gboolean                   given,
                const char                *message,
                GError                   **error)
{
  if (given || !desk_deactivation_plan_has (plan, category))
    return TRUE;

  desk_cli_set_usage_error (error, "%s", message);
  return FALSE;
}

/* One --lab INTEGRATION_ID=MEMBER. */
typedef struct
{
  gint64      integration_id;
  const char *receiver;
} LabChoice;

static gboolean
parse_lab_choices (char     **values,
                   GArray    *choices,
                   GError   **error)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *equals = strchr (values[i], '=');
      g_autofree char *number = NULL;
      LabChoice choice;
      guint64 id;

      if (equals != NULL)
        number = g_strndup (values[i], (gsize) (equals - values[i]));
      if (equals == NULL || equals[1] == '\0' ||
          !g_ascii_string_to_unsigned (number, 10, 1, G_MAXINT64, &id, NULL))
        {
          desk_cli_set_usage_error (error,
                                    /* Translators: %s is what was typed; INTEGRATION_ID=MEMBER
                                     * is the option's form, as in --help */
                                    _("--lab takes INTEGRATION_ID=MEMBER (a number, then a "
                                      "username or ID), not “%s”."),
                                    values[i]);
          return FALSE;
        }
      for (guint j = 0; j < choices->len; j++)
        {
          if (g_array_index (choices, LabChoice, j).integration_id == (gint64) id)
            {
              desk_cli_set_usage_error (error,
                                        /* Translators: %s is a lab integration's number */
                                        _("--lab names lab integration %s twice."), number);
              return FALSE;
            }
        }

      choice.integration_id = (gint64) id;
      choice.receiver = equals + 1;
      g_array_append_val (choices, choice);
    }

  return TRUE;
}

static DeskLabIntegration *
find_integration (GPtrArray *integrations,
                  gint64     id)
{
  for (guint i = 0; integrations != NULL && i < integrations->len; i++)
    {
      DeskLabIntegration *integration = g_ptr_array_index (integrations, i);

      if (integration->id == id)
        return integration;
    }
  return NULL;
}

/* --labs-to for all, then --lab for each named integration; every
 * integration needs someone. */
static gboolean
choose_labs (DeskDeactivationPlan  *plan,
             DeskStore             *store,
             const char            *labs_to,
             GArray                *choices,
             GError               **error)
{
  GPtrArray *integrations = desk_deactivation_plan_get_lab_integrations (plan);

  for (guint i = 0; i < choices->len; i++)
    {
      const LabChoice *choice = &g_array_index (choices, LabChoice, i);

      if (find_integration (integrations, choice->integration_id) == NULL)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, choice->integration_id);

          desk_cli_set_usage_error (error,
                                    /* Translators: %s is the number given with --lab */
                                    _("--lab: lab integration %s does not use this member’s "
                                      "information (see --dry-run)."),
                                    number);
          return FALSE;
        }
    }

  if (labs_to != NULL &&
      !choose (plan, store, DESK_DEACTIVATION_LABS, "--labs-to", labs_to, error))
    return FALSE;

  for (guint i = 0; i < choices->len; i++)
    {
      const LabChoice *choice = &g_array_index (choices, LabChoice, i);
      gint64 id;

      if (!resolve_member (store, "--lab", choice->receiver, &id, error))
        return FALSE;
      if (!desk_deactivation_plan_set_lab_receiver (plan, choice->integration_id, id, error))
        {
          g_prefix_error (error, _("%s: "), "--lab");
          return FALSE;
        }
    }

  for (guint i = 0; labs_to == NULL && integrations != NULL && i < integrations->len; i++)
    {
      DeskLabIntegration *integration = g_ptr_array_index (integrations, i);
      g_autofree char *number = NULL;

      if (integration->receiver_id != 0)
        continue;
      number = g_strdup_printf ("%" G_GINT64_FORMAT, integration->id);
      desk_cli_set_usage_error (error,
                                /* Translators: a lab's name, its account number, then the
                                 * integration's number, in the option the user must give */
                                _("The lab integration %s (account %s) uses this member’s "
                                  "information and needs someone to receive its results: give "
                                  "--labs-to MEMBER or --lab %s=MEMBER."),
                                integration->lab_name, integration->account_number, number);
      return FALSE;
    }

  return TRUE;
}

static void
append_lines (GString            *out,
              const char * const *lines)
{
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_string_append (out, "- ");
      desk_cli_append_text (out, lines[i]);
      g_string_append_c (out, '\n');
    }
}

static void
dry_run_text (GString              *out,
              DeskDeactivationPlan *plan)
{
  g_autoptr(DeskCliFields) fields = desk_cli_fields_new ();
  g_autofree char *label = member_label (desk_deactivation_plan_get_member (plan));
  g_auto(GStrv) lines = desk_deactivation_plan_describe (plan);
  GPtrArray *integrations = desk_deactivation_plan_get_lab_integrations (plan);

  desk_cli_fields_add (fields, _("Member:"), label);
  desk_cli_fields_add_printf (fields, _("Future appointments:"), "%u",
                              desk_deactivation_plan_get_future_appointments (plan));
  desk_cli_fields_add_printf (fields, _("Qnaires for these appointments:"), "%u",
                              desk_deactivation_plan_get_appointment_qnaires (plan));
  desk_cli_fields_add_printf (fields, _("Recurring Qnaires:"), "%u",
                              desk_deactivation_plan_get_recurring_qnaires (plan));
  desk_cli_fields_add_printf (fields, _("Sent Qnaires:"), "%u",
                              desk_deactivation_plan_get_sent_qnaires (plan));
  desk_cli_fields_add_printf (fields, _("Inbox messages:"),
                              /* Translators: inbox messages, then how many of them are snoozed */
                              _("%u (%u snoozed)"),
                              desk_deactivation_plan_get_inbox_messages (plan),
                              desk_deactivation_plan_get_snoozed_messages (plan));
  desk_cli_fields_add_printf (fields, _("Lab integrations:"), "%u",
                              integrations != NULL ? integrations->len : 0);
  for (guint i = 0; integrations != NULL && i < integrations->len; i++)
    {
      DeskLabIntegration *integration = g_ptr_array_index (integrations, i);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, integration->id);
      /* Translators: %s is a lab integration's number, as --lab takes it */
      g_autofree char *name = g_strdup_printf (_("Lab integration %s:"), number);

      if (integration->is_main)
        desk_cli_fields_add_printf (fields, name,
                                    /* Translators: a lab's name and its account number */
                                    _("%s, account %s (the main integration)"),
                                    integration->lab_name, integration->account_number);
      else
        desk_cli_fields_add_printf (fields, name, _("%s, account %s"),
                                    integration->lab_name, integration->account_number);
    }
  desk_cli_fields_add (fields, _("MDBilling connected:"),
                       desk_deactivation_plan_get_billing_connected (plan) ? _("yes") : _("no"));
  desk_cli_fields_append (fields, out);

  g_string_append (out, "\n");
  g_string_append (out, _("What would happen (nothing was changed):"));
  g_string_append_c (out, '\n');
  append_lines (out, (const char * const *) lines);
}

/* Commands */

gboolean
desk_cli_run_members_deactivate (DeskCli               *cli,
                                 const DeskCliCommand  *command,
                                 char                ***args,
                                 GError               **error)
{
  g_autofree char *appointments_to = NULL;
  g_autofree char *qnaires_to = NULL;
  g_autofree char *inbox_to = NULL;
  g_autofree char *labs_to = NULL;
  g_autofree char *reason = NULL;
  g_auto(GStrv) labs = NULL;
  g_autoptr(GArray) lab_choices = g_array_new (FALSE, FALSE, sizeof (LabChoice));
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(DeskDeactivationPlan) plan = NULL;
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean cancel_appointments = FALSE;
  gboolean remove_qnaires = FALSE;
  gboolean archive_inbox = FALSE;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  DeskSession *session;
  DeskStore *store;
  const GOptionEntry entries[] = {
    { "appointments-to", 0, 0, G_OPTION_ARG_STRING, &appointments_to,
      N_("Move the member’s future appointments to this practitioner"), N_("MEMBER") },
    { "cancel-appointments", 0, 0, G_OPTION_ARG_NONE, &cancel_appointments,
      N_("Cancel the member’s future appointments instead (their Qnaires are removed; both "
         "stay in the record)"), NULL },
    { "qnaires-to", 0, 0, G_OPTION_ARG_STRING, &qnaires_to,
      N_("Move the member’s recurring and sent Qnaires to this practitioner"), N_("MEMBER") },
    { "remove-qnaires", 0, 0, G_OPTION_ARG_NONE, &remove_qnaires,
      N_("Remove the member’s Qnaires instead (they stay in the record)"), NULL },
    { "inbox-to", 0, 0, G_OPTION_ARG_STRING, &inbox_to,
      N_("Forward the member’s inbox, snoozed messages included, to this member"),
      N_("MEMBER") },
    { "archive-inbox", 0, 0, G_OPTION_ARG_NONE, &archive_inbox,
      N_("Archive the member’s inbox with them instead (back if they are reactivated)"), NULL },
    { "labs-to", 0, 0, G_OPTION_ARG_STRING, &labs_to,
      N_("Transfer every lab integration that uses the member’s information to this member"),
      N_("MEMBER") },
    { "lab", 0, 0, G_OPTION_ARG_STRING_ARRAY, &labs,
      N_("Transfer one lab integration to a member (repeat for each; overrides --labs-to)"),
      N_("INTEGRATION_ID=MEMBER") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the member is deactivated (kept with the record)"), N_("TEXT") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Show the impact and what would happen, and change nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, 1, error))
    return FALSE;

  /* What the command line alone shows to be wrong, before a password. */
  if (!check_exclusive (appointments_to != NULL, "--appointments-to",
                        cancel_appointments, "--cancel-appointments", error) ||
      !check_exclusive (qnaires_to != NULL, "--qnaires-to",
                        remove_qnaires, "--remove-qnaires", error) ||
      !check_exclusive (inbox_to != NULL, "--inbox-to",
                        archive_inbox, "--archive-inbox", error) ||
      !parse_lab_choices (labs, lab_choices, error))
    return FALSE;

  /* A dry run changes nothing and needs no confirmation. */
  session = dry_run ? desk_cli_sign_in (cli, DESK_PERMISSION_EDIT_USERS, error)
                    : desk_cli_sign_in_for_change (cli, DESK_PERMISSION_EDIT_USERS, error);
  if (session == NULL)
    return FALSE;
  store = desk_session_get_store (session);

  member = desk_cli_find_member (store, (*args)[1], error);
  if (member == NULL)
    return FALSE;
  plan = desk_deactivation_plan_new (session, desk_member_get_id (member), error);
  if (plan == NULL)
    return FALSE;

  if (!require_choice (plan, DESK_DEACTIVATION_APPOINTMENTS,
                       appointments_to != NULL || cancel_appointments,
                       _("This member has future appointments: give --appointments-to "
                         "PRACTITIONER or --cancel-appointments."), error) ||
      !require_choice (plan, DESK_DEACTIVATION_QNAIRES,
                       qnaires_to != NULL || remove_qnaires,
                       _("This member has recurring or sent Qnaires: give --qnaires-to "
                         "PRACTITIONER or --remove-qnaires."), error) ||
      !require_choice (plan, DESK_DEACTIVATION_INBOX,
                       inbox_to != NULL || archive_inbox,
                       _("This member has inbox messages: give --inbox-to MEMBER or "
                         "--archive-inbox."), error))
    return FALSE;

  if ((appointments_to != NULL || cancel_appointments) &&
      !choose (plan, store, DESK_DEACTIVATION_APPOINTMENTS, "--appointments-to",
               appointments_to, error))
    return FALSE;
  if ((qnaires_to != NULL || remove_qnaires) &&
      !choose (plan, store, DESK_DEACTIVATION_QNAIRES, "--qnaires-to", qnaires_to, error))
    return FALSE;
  if ((inbox_to != NULL || archive_inbox) &&
      !choose (plan, store, DESK_DEACTIVATION_INBOX, "--inbox-to", inbox_to, error))
    return FALSE;
  if (!choose_labs (plan, store, labs_to, lab_choices, error))
    return FALSE;

  desk_deactivation_plan_set_reason (plan, reason);
  if (!desk_deactivation_plan_check (plan, session, error))
    return FALSE;

  if (dry_run)
    {
      if (json)
        {
          g_autofree char *text = desk_deactivation_plan_to_json (plan);

          g_string_append (out, text);
          if (!g_str_has_suffix (out->str, "\n"))
            g_string_append_c (out, '\n');
        }
      else
        dry_run_text (out, plan);
      return desk_cli_write (out, error) && desk_cli_flush (error);
    }

  if (!desk_cli_confirm (cli, error))
    return FALSE;
  report = desk_deactivation_execute (session, plan, error);
  if (report == NULL)
    return FALSE;

  if (json)
    {
      g_autofree char *text = desk_deactivation_report_to_json (report);

      g_string_append (out, text);
      if (!g_str_has_suffix (out->str, "\n"))
        g_string_append_c (out, '\n');
    }
  else
    {
      g_autofree char *label = member_label (member);

      /* Translators: %s is a member's name and username */
      g_string_append_printf (out, _("%s is deactivated."), label);
      g_string_append_c (out, '\n');
      append_lines (out, (const char * const *) report->lines);
    }
  return desk_cli_write (out, error) && desk_cli_flush (error);
}

gboolean
desk_cli_run_members_reactivate (DeskCli               *cli,
                                 const DeskCliCommand  *command,
                                 char                ***args,
                                 GError               **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *label = NULL;
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean billing_disconnected = FALSE;
  gboolean json = FALSE;
  DeskSession *session;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the member is reactivated (kept with the record)"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, 1, error))
    return FALSE;

  session = desk_cli_sign_in_for_change (cli, DESK_PERMISSION_EDIT_USERS, error);
  if (session == NULL)
    return FALSE;
  member = desk_cli_find_member (desk_session_get_store (session), (*args)[1], error);
  if (member == NULL)
    return FALSE;

  if (!desk_cli_confirm (cli, error) ||
      !desk_deactivation_reactivate (session, desk_member_get_id (member), reason,
                                     &billing_disconnected, error))
    return FALSE;

  if (json)
    {
      desk_json_begin_object (out);
      desk_json_key (out, "member_id");
      desk_json_int (out, desk_member_get_id (member));
      desk_json_key (out, "username");
      desk_json_string (out, desk_member_get_username (member));
      desk_json_key (out, "billing_disconnected");
      desk_json_bool (out, billing_disconnected);
      desk_json_end_object (out);
      g_string_append_c (out, '\n');
    }
  else
    {
      label = member_label (member);
      /* Translators: %s is a member's name and username */
      g_string_append_printf (out, _("%s is active again: they can sign in, with their roles, "
                                     "groups and archived messages."), label);
      g_string_append_c (out, '\n');
      if (billing_disconnected)
        {
          g_string_append (out, _("Their MDBilling connection stays disconnected until it is "
                                  "configured again."));
          g_string_append_c (out, '\n');
        }
    }
  return desk_cli_write (out, error) && desk_cli_flush (error);
}

/* --body-file: UTF-8 text of at most BODY_FILE_MAX bytes.  Errors in our
 * words and the system's reason (strerror), not GLib's sentences. */
static char *
read_body_file (const char  *path,
                GError     **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *contents = NULL;
  gsize length = 0;
  struct stat st;
  int saved_errno;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd >= 0 && fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      close (fd);
      fd = -1;
      errno = EISDIR;
    }
  if (fd >= 0)
    {
      contents = g_malloc (BODY_FILE_MAX + 2);
      while (length <= BODY_FILE_MAX)
        {
          gssize n = read (fd, contents + length, BODY_FILE_MAX + 1 - length);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              if (n < 0)
                length = G_MAXSIZE;
              break;
            }
          length += (gsize) n;
        }
      saved_errno = errno;
      close (fd);
      errno = saved_errno;
    }
  if (fd < 0 || length == G_MAXSIZE)
    {
      saved_errno = errno;
      g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                   /* Translators: a file name, then why it cannot be read */
                   _("The message body “%s” cannot be read: %s."), name,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (length > BODY_FILE_MAX)
    {
      desk_cli_set_usage_error (error,
                                /* Translators: a file name, then a number of bytes (1048576) */
                                _("The message body “%s” is too long: a message can have at "
                                  "most %d bytes."), name, BODY_FILE_MAX);
      return NULL;
    }
  contents[length] = '\0';
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      desk_cli_set_usage_error (error,
                                /* Translators: a file name */
                                _("The message body “%s” is not UTF-8 text."), name);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

static gboolean
parse_optional_id (const char  *option,
                   const char  *value,
                   gint64      *id,
                   GError     **error)
{
  guint64 number = 0;

  *id = 0;
  if (value == NULL)
    return TRUE;
  if (!desk_cli_parse_number (option, value, 1, G_MAXINT64, &number, error))
    return FALSE;
  *id = (gint64) number;
  return TRUE;
}

gboolean
desk_cli_run_messages_deliver (DeskCli               *cli,
                               const DeskCliCommand  *command,
                               char                ***args,
                               GError               **error)
{
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *from_client = NULL;
  g_autofree char *client = NULL;
  g_autoptr(DeskMember) addressee = NULL;
  g_autoptr(GArray) recipients = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 from_client_id, client_id, message_id = 0;
  gboolean json = FALSE;
  DeskSession *session;
  DeskStore *store;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("The member the message is for (it reaches their successor if they have left)"),
      N_("MEMBER") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject,
      N_("The message’s subject"), N_("TEXT") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body,
      N_("The message’s text"), N_("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file,
      N_("Read the message’s text from FILE (standard input holds the password)"),
      N_("FILE") },
    { "from-client", 0, 0, G_OPTION_ARG_STRING, &from_client,
      N_("The message comes from this client, brought in by an integration"), N_("ID") },
    { "client", 0, 0, G_OPTION_ARG_STRING, &client,
      N_("The client the message is about"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;

  if (to == NULL)
    {
      desk_cli_set_usage_error (error, _("“messages deliver” needs --to MEMBER, the member the "
                                         "message is for."));
      return FALSE;
    }
  if (subject == NULL)
    {
      desk_cli_set_usage_error (error, _("“messages deliver” needs --subject TEXT."));
      return FALSE;
    }
  if (!check_exclusive (body != NULL, "--body", body_file != NULL, "--body-file", error) ||
      !parse_optional_id ("--from-client", from_client, &from_client_id, error) ||
      !parse_optional_id ("--client", client, &client_id, error))
    return FALSE;
  if (body_file != NULL)
    {
      body = read_body_file (body_file, error);
      if (body == NULL)
        return FALSE;
    }

  session = desk_cli_sign_in (cli, DESK_CLI_ANY_MEMBER, error);
  if (session == NULL)
    return FALSE;
  store = desk_session_get_store (session);

  addressee = desk_cli_find_member (store, to, error);
  if (addressee == NULL)
    {
      g_prefix_error (error, _("%s: "), "--to");
      return FALSE;
    }
  if (!desk_delivery_deliver (session, desk_member_get_id (addressee), from_client_id, client_id,
                              subject, body != NULL ? body : "", &message_id, &recipients, error))
    return FALSE;

  if (json)
    {
      desk_json_begin_object (out);
      desk_json_key (out, "message_id");
      desk_json_int (out, message_id);
      desk_json_key (out, "to");
      desk_json_int (out, desk_member_get_id (addressee));
      desk_json_key (out, "recipients");
      desk_json_begin_array (out);
    }
  else if (!desk_member_get_is_active (addressee))
    {
      g_autofree char *label = member_label (addressee);

      g_string_append_printf (out,
                              /* Translators: %s is a member's name and username */
                              _("%s is deactivated; the message went to whoever receives their "
                                "messages:"), label);
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; recipients != NULL && i < recipients->len; i++)
    {
      gint64 id = g_array_index (recipients, gint64, i);
      g_autoptr(DeskMember) recipient = desk_member_load (store, id, error);

      if (recipient == NULL)
        return FALSE;
      if (json)
        {
          desk_json_begin_object (out);
          desk_json_key (out, "id");
          desk_json_int (out, id);
          desk_json_key (out, "username");
          desk_json_string (out, desk_member_get_username (recipient));
          desk_json_key (out, "display_name");
          desk_json_string (out, desk_member_get_display_name (recipient));
          desk_json_end_object (out);
        }
      else
        {
          g_autofree char *label = member_label (recipient);

          /* Translators: %s is a member's name and username */
          g_string_append_printf (out, _("Delivered to %s."), label);
          g_string_append_c (out, '\n');
        }
    }

  if (json)
    {
      desk_json_end_array (out);
      desk_json_end_object (out);
      g_string_append_c (out, '\n');
    }
  return desk_cli_write (out, error) && desk_cli_flush (error);
}
