/* desk-cli-members.c: front-desk-admin members list|show, and finding a member by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-json.h"
#include "desk-cli-private.h"
#include "desk-enums.h"
#include "desk-member.h"
#include "desk-record-list.h"

/* Helpers */

static void
member_text_row (GString  *out,
                 gpointer  item)
{
  DeskMember *member = item;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, desk_member_get_id (member));
  g_autofree char *deactivated = desk_time_format_date (desk_member_get_deactivated_at (member));
  const char *fields[] = {
    id,
    desk_member_get_username (member),
    desk_member_get_display_name (member),
    desk_member_kind_to_string (desk_member_get_kind (member)),
    desk_member_get_title (member),
    desk_member_get_email (member),
    desk_member_get_province (member),
    desk_member_status_to_string (desk_member_get_status (member)),
    deactivated,
  };

  desk_cli_append_row (out, fields, G_N_ELEMENTS (fields));
}

/* The members of a member object, shared by list and show. */
static void
member_json_fields (GString    *out,
                    DeskMember *member)
{
  DeskMemberStatus status = desk_member_get_status (member);

  desk_json_key (out, "id");
  desk_json_int (out, desk_member_get_id (member));
  desk_json_key (out, "username");
  desk_json_string (out, desk_member_get_username (member));
  desk_json_key (out, "given_name");
  desk_json_string (out, desk_member_get_given_name (member));
  desk_json_key (out, "family_name");
  desk_json_string (out, desk_member_get_family_name (member));
  desk_json_key (out, "display_name");
  desk_json_string (out, desk_member_get_display_name (member));
  desk_json_key (out, "email");
  desk_json_string (out, desk_member_get_email (member));
  desk_json_key (out, "kind");
  desk_json_string (out, desk_member_kind_to_string (desk_member_get_kind (member)));
  desk_json_key (out, "title");
  desk_json_string (out, desk_member_get_title (member));
  desk_json_key (out, "province");
  desk_json_string (out, desk_member_get_province (member));
  desk_json_key (out, "status");
  desk_json_string (out, desk_member_status_to_string (status));
  desk_json_key (out, "deactivated_at");
  desk_json_time (out, status == DESK_MEMBER_STATUS_DEACTIVATED
                         ? desk_member_get_deactivated_at (member) : 0);
  desk_json_key (out, "deactivation_reason");
  desk_json_string (out, status == DESK_MEMBER_STATUS_DEACTIVATED
                           ? desk_member_get_deactivation_reason (member) : NULL);
  desk_json_key (out, "deactivated_by");
  desk_json_string (out, status == DESK_MEMBER_STATUS_DEACTIVATED
                           ? desk_member_get_deactivated_by_name (member) : NULL);
}

static void
member_json_row (GString  *out,
                 gpointer  item)
{
  desk_json_begin_object (out);
  member_json_fields (out, item);
  desk_json_end_object (out);
}

/* The names of the permissions in @permissions, in the order of the enum. */
static GStrv
permission_names (guint permissions)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GFlagsClass *flags = g_type_class_ref (DESK_TYPE_PERMISSION);

  for (guint i = 0; i < flags->n_values; i++)
    {
      DeskPermission permission = flags->values[i].value;

      if ((permissions & permission) != 0)
        g_strv_builder_add (builder, desk_permission_to_string (permission));
    }
  g_type_class_unref (flags);

  return g_strv_builder_end (builder);
}

static char *
join_or_none (const char * const *values)
{
  if (values == NULL || values[0] == NULL)
    /* Translators: shown for an empty list of roles, groups or permissions */
    return g_strdup (C_("list", "none"));
  return g_strjoinv (", ", (char **) values);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("yes") : _("no");
}

static void
member_show_text (GString                 *out,
                  DeskMember              *member,
                  const DeskMemberSummary *summary,
                  const char * const      *permissions)
{
  g_autoptr(DeskCliFields) fields = desk_cli_fields_new ();
  g_autofree char *roles = join_or_none ((const char * const *) summary->roles);
  g_autofree char *groups = join_or_none ((const char * const *) summary->groups);
  g_autofree char *permissions_text = join_or_none (permissions);

  desk_cli_fields_add_printf (fields, _("ID:"), "%" G_GINT64_FORMAT, desk_member_get_id (member));
  desk_cli_fields_add (fields, _("Username:"), desk_member_get_username (member));
  desk_cli_fields_add (fields, _("Name:"), desk_member_get_display_name (member));
  desk_cli_fields_add (fields, _("Email:"), desk_member_get_email (member));
  desk_cli_fields_add (fields, _("Kind:"),
                       desk_member_kind_to_string (desk_member_get_kind (member)));
  desk_cli_fields_add (fields, _("Title:"), desk_member_get_title (member));
  desk_cli_fields_add (fields, _("Province:"), desk_member_get_province (member));
  if (desk_member_get_status (member) == DESK_MEMBER_STATUS_DEACTIVATED)
    {
      g_autofree char *when = desk_time_format_minute (desk_member_get_deactivated_at (member));
      const char *reason = desk_member_get_deactivation_reason (member);

      desk_cli_fields_add (fields, _("Status:"),
                           desk_member_status_to_string (DESK_MEMBER_STATUS_DEACTIVATED));
      desk_cli_fields_add (fields, _("Deactivated:"), when);
      desk_cli_fields_add (fields, _("Deactivated by:"),
                           desk_member_get_deactivated_by_name (member));
      desk_cli_fields_add (fields, _("Reason:"), reason);
    }
  else
    {
      desk_cli_fields_add (fields, _("Status:"),
                           desk_member_status_to_string (DESK_MEMBER_STATUS_ACTIVE));
    }
  desk_cli_fields_add (fields, _("Roles:"), roles);
  desk_cli_fields_add (fields, _("Groups:"), groups);
  desk_cli_fields_add (fields, _("Permissions:"), permissions_text);
  desk_cli_fields_add_printf (fields, _("Future appointments:"), "%u",
                              summary->future_appointments);
  desk_cli_fields_add_printf (fields, _("Recurring Qnaires:"), "%u", summary->recurring_qnaires);
  desk_cli_fields_add_printf (fields, _("Sent Qnaires:"), "%u", summary->sent_qnaires);
  desk_cli_fields_add_printf (fields, _("Inbox messages:"),
                              /* Translators: inbox messages, then how many of them are snoozed */
                              _("%u (%u snoozed)"),
                              summary->inbox_messages, summary->snoozed_messages);
  desk_cli_fields_add_printf (fields, _("Lab integrations:"), "%u", summary->lab_integrations);
  desk_cli_fields_add (fields, _("Main lab integration:"),
                       yes_no (summary->main_lab_integration));
  desk_cli_fields_add (fields, _("MDBilling connected:"), yes_no (summary->billing_connected));

  desk_cli_fields_append (fields, out);
}

static void
member_show_json (GString                 *out,
                  DeskMember              *member,
                  const DeskMemberSummary *summary,
                  const char * const      *permissions)
{
  desk_json_begin_object (out);
  member_json_fields (out, member);
  desk_json_key (out, "roles");
  desk_json_strv (out, (const char * const *) summary->roles);
  desk_json_key (out, "groups");
  desk_json_strv (out, (const char * const *) summary->groups);
  desk_json_key (out, "permissions");
  desk_json_strv (out, permissions);
  desk_json_key (out, "future_appointments");
  desk_json_int (out, summary->future_appointments);
  desk_json_key (out, "recurring_qnaires");
  desk_json_int (out, summary->recurring_qnaires);
  desk_json_key (out, "sent_qnaires");
  desk_json_int (out, summary->sent_qnaires);
  desk_json_key (out, "inbox_messages");
  desk_json_int (out, summary->inbox_messages);
  desk_json_key (out, "snoozed_messages");
  desk_json_int (out, summary->snoozed_messages);
  desk_json_key (out, "lab_integrations");
  desk_json_int (out, summary->lab_integrations);
  desk_json_key (out, "main_lab_integration");
  desk_json_bool (out, summary->main_lab_integration);
  desk_json_key (out, "billing_connected");
  desk_json_bool (out, summary->billing_connected);
  desk_json_end_object (out);
  g_string_append_c (out, '\n');
}

/* Public: shared with the commands that name members */

DeskMember *
desk_cli_find_member (DeskStore   *store,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  DeskMember *member;
  guint64 id;

  member = desk_member_load_by_username (store, name, &local_error);
  if (member != NULL)
    return member;

  if (g_error_matches (local_error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD) &&
      g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT64, &id, NULL))
    return desk_member_load (store, (gint64) id, error);

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* Commands */

gboolean
desk_cli_run_members_list (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autofree char *status = NULL;
  g_autofree char *search = NULL;
  g_autofree char *limit = NULL;
  DeskCliListWriter writer;
  DeskMemberStatus statuses[2];
  guint n_statuses;
  guint64 max_rows = G_MAXUINT64;
  gboolean json = FALSE;
  gboolean ok;
  DeskSession *session;
  const char *header[] = {
    /* Translators: column headings of "front-desk-admin members list" */
    C_("column", "ID"),
    C_("column", "Username"),
    C_("column", "Name"),
    C_("column", "Kind"),
    C_("column", "Title"),
    C_("column", "Email"),
    C_("column", "Province"),
    C_("column", "Status"),
    C_("column", "Deactivated"),
  };
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Which members: active, deactivated or all (the default)"), N_("STATUS") },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search,
      N_("Only members whose name, username or email contain every word of TEXT"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON array instead of a table"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit,
      N_("Write at most N members"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;

  /* Every member unless --status says otherwise, as "clients list" lists
   * every client: a list's filters only ever narrow it. */
  if (status == NULL || g_str_equal (status, "all"))
    {
      statuses[0] = DESK_MEMBER_STATUS_ACTIVE;
      statuses[1] = DESK_MEMBER_STATUS_DEACTIVATED;
      n_statuses = 2;
    }
  else if (desk_member_status_from_string (status, &statuses[0]))
    n_statuses = 1;
  else
    {
      desk_cli_set_usage_error (error,
                                /* Translators: %s is what was typed; the words before it stay
                                 * in English: they are what the option takes */
                                _("--status must be active, deactivated or all, not “%s”."),
                                status);
      return FALSE;
    }

  if (limit != NULL && !desk_cli_parse_number ("--limit", limit, 0, G_MAXUINT64, &max_rows, error))
    return FALSE;
  if (!desk_cli_check_search (&search, error))
    return FALSE;

  /* Members are named only to a member who signs in. */
  session = desk_cli_sign_in (cli, DESK_CLI_ANY_MEMBER, error);
  if (session == NULL)
    return FALSE;

  desk_cli_list_writer_init (&writer, json, max_rows, member_text_row, member_json_row);
  ok = desk_cli_list_writer_begin (&writer, header, G_N_ELEMENTS (header), error);

  for (guint i = 0; ok && i < n_statuses; i++)
    {
      g_autoptr(DeskRecordList) list =
        desk_record_list_new_members (desk_session_get_store (session), statuses[i]);

      if (search != NULL)
        desk_record_list_set_search (list, search);
      ok = desk_record_list_load_sync (list, NULL, error) &&
           desk_cli_list_writer_add (&writer, G_LIST_MODEL (list), error);
    }

  ok = ok && desk_cli_list_writer_end (&writer, error);
  desk_cli_list_writer_clear (&writer);

  return ok;
}

gboolean
desk_cli_run_members_show (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) permissions = NULL;
  DeskMemberSummary summary = { 0 };
  gboolean json = FALSE;
  DeskSession *session;
  DeskStore *store;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, 1, error))
    return FALSE;

  session = desk_cli_sign_in (cli, DESK_CLI_ANY_MEMBER, error);
  if (session == NULL)
    return FALSE;
  store = desk_session_get_store (session);

  member = desk_cli_find_member (store, (*args)[1], error);
  if (member == NULL)
    return FALSE;

  if (!desk_member_load_summary (store, desk_member_get_id (member), &summary, error))
    {
      desk_member_summary_clear (&summary);
      return FALSE;
    }

  permissions = permission_names (summary.permissions);
  out = g_string_new (NULL);
  if (json)
    member_show_json (out, member, &summary, (const char * const *) permissions);
  else
    member_show_text (out, member, &summary, (const char * const *) permissions);
  desk_member_summary_clear (&summary);

  return desk_cli_write (out, error) && desk_cli_flush (error);
}
