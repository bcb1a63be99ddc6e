/* desk-cli-clients.c: front-desk-admin clients list|show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-json.h"
#include "desk-cli-private.h"
#include "desk-client.h"
#include "desk-portal.h"
#include "desk-record-list.h"
#include "desk-records.h"

/* Upcoming appointments shown by "clients show". */
#define SHOW_APPOINTMENTS 10

/* Helpers */

static const char *
non_null (const char *text)
{
  return text != NULL ? text : "";
}

static void
client_text_row (GString  *out,
                 gpointer  item)
{
  DeskClient *client = item;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, desk_client_get_id (client));
  const char *fields[] = {
    id,
    desk_client_get_display_name (client),
    desk_client_get_date_of_birth (client),
    desk_client_get_email (client),
    desk_client_get_phone (client),
    desk_client_get_province (client),
    desk_client_status_to_string (desk_client_get_status (client)),
    desk_portal_access_to_string (desk_client_get_portal_access (client)),
    desk_client_get_primary_practitioner_name (client),
  };

  desk_cli_append_row (out, fields, G_N_ELEMENTS (fields));
}

static void
client_json_fields (GString    *out,
                    DeskClient *client)
{
  DeskClientStatus status = desk_client_get_status (client);
  gint64 practitioner_id = desk_client_get_primary_practitioner_id (client);

  desk_json_key (out, "id");
  desk_json_int (out, desk_client_get_id (client));
  desk_json_key (out, "given_name");
  desk_json_string (out, desk_client_get_given_name (client));
  desk_json_key (out, "family_name");
  desk_json_string (out, desk_client_get_family_name (client));
  desk_json_key (out, "display_name");
  desk_json_string (out, desk_client_get_display_name (client));
  desk_json_key (out, "date_of_birth");
  desk_json_string (out, desk_client_get_date_of_birth (client));
  desk_json_key (out, "email");
  desk_json_string (out, desk_client_get_email (client));
  desk_json_key (out, "phone");
  desk_json_string (out, desk_client_get_phone (client));
  desk_json_key (out, "province");
  desk_json_string (out, desk_client_get_province (client));
  desk_json_key (out, "status");
  desk_json_string (out, desk_client_status_to_string (status));
  desk_json_key (out, "discharged_at");
  desk_json_time (out, status == DESK_CLIENT_STATUS_INACTIVE
                         ? desk_client_get_discharged_at (client) : 0);
  desk_json_key (out, "discharge_reason");
  desk_json_string (out, status == DESK_CLIENT_STATUS_INACTIVE
                           ? desk_client_get_discharge_reason (client) : NULL);
  desk_json_key (out, "portal_access");
  desk_json_string (out, desk_portal_access_to_string (desk_client_get_portal_access (client)));
  desk_json_key (out, "portal_invitation");
  desk_json_string (out,
                    desk_invitation_state_to_string (desk_client_get_portal_invitation (client)));
  desk_json_key (out, "primary_practitioner_id");
  if (practitioner_id > 0)
    desk_json_int (out, practitioner_id);
  else
    desk_json_null (out);
  desk_json_key (out, "primary_practitioner_name");
  desk_json_string (out, practitioner_id > 0
                           ? desk_client_get_primary_practitioner_name (client) : NULL);
}

static void
client_json_row (GString  *out,
                 gpointer  item)
{
  desk_json_begin_object (out);
  client_json_fields (out, item);
  desk_json_end_object (out);
}

static const char *
invitation_text (DeskInvitationState state)
{
  switch (state)
    {
    case DESK_INVITATION_NONE:
      return _("no invitation sent");
    case DESK_INVITATION_PENDING:
      return _("invitation not accepted yet");
    case DESK_INVITATION_ACCEPTED:
      return _("invitation accepted");
    default:
      g_return_val_if_reached ("");
    }
}

static void
client_show_text (GString                *out,
                  DeskClient             *client,
                  const DeskPortalStatus *portal,
                  GListModel             *documents,
                  GListModel             *appointments)
{
  g_autofree char *portal_state = desk_portal_status_describe (portal);
  g_autoptr(DeskCliFields) fields = desk_cli_fields_new ();
  DeskClientStatus status = desk_client_get_status (client);
  DeskPortalAccess access = desk_client_get_portal_access (client);
  guint n_documents = g_list_model_get_n_items (documents);
  guint n_appointments = g_list_model_get_n_items (appointments);

  desk_cli_fields_add_printf (fields, _("ID:"), "%" G_GINT64_FORMAT, desk_client_get_id (client));
  desk_cli_fields_add (fields, _("Name:"), desk_client_get_display_name (client));
  desk_cli_fields_add (fields, _("Date of birth:"), desk_client_get_date_of_birth (client));
  desk_cli_fields_add (fields, _("Email:"), desk_client_get_email (client));
  desk_cli_fields_add (fields, _("Phone:"), desk_client_get_phone (client));
  desk_cli_fields_add (fields, _("Province:"), desk_client_get_province (client));
  desk_cli_fields_add (fields, _("Primary practitioner:"),
                       desk_client_get_primary_practitioner_name (client));
  desk_cli_fields_add (fields, _("Status:"), desk_client_status_to_string (status));
  if (status == DESK_CLIENT_STATUS_INACTIVE)
    {
      g_autofree char *when = desk_time_format_date (desk_client_get_discharged_at (client));

      desk_cli_fields_add (fields, _("Discharged:"), when);
      desk_cli_fields_add (fields, _("Reason:"), desk_client_get_discharge_reason (client));
    }
  if (access == DESK_PORTAL_ACCESS_ENABLED)
    desk_cli_fields_add_printf (fields, _("Portal access:"),
                                /* Translators: "enabled", then the state of the invitation */
                                _("%s (%s)"), desk_portal_access_to_string (access),
                                invitation_text (desk_client_get_portal_invitation (client)));
  else
    desk_cli_fields_add (fields, _("Portal access:"), desk_portal_access_to_string (access));
  desk_cli_fields_add (fields, _("Portal:"), portal_state);
  desk_cli_fields_append (fields, out);

  /* Status and portal access are two things; say what they mean together. */
  if (status == DESK_CLIENT_STATUS_INACTIVE && access == DESK_PORTAL_ACCESS_ENABLED)
    g_string_append_printf (out, "%s\n",
                            _("This client is inactive but can still sign in to the portal and "
                              "see what was shared with them."));
  else if (access == DESK_PORTAL_ACCESS_DISABLED)
    g_string_append_printf (out, "%s\n",
                            _("Portal access is disabled: this client cannot sign in to the "
                              "portal. Their records are kept."));

  g_string_append_c (out, '\n');
  if (n_documents == 0)
    g_string_append_printf (out, "%s\n", _("No shared documents."));
  else
    g_string_append_printf (out, "%s\n", _("Shared documents:"));
  for (guint i = 0; i < n_documents; i++)
    {
      g_autoptr(DeskDocument) document = g_list_model_get_item (documents, i);
      g_autofree char *when = desk_time_format_date (desk_document_get_shared_at (document));

      g_string_append (out, "  ");
      g_string_append (out, when);
      g_string_append (out, "  ");
      desk_cli_append_text (out, desk_document_get_title (document));
      g_string_append (out, " (");
      desk_cli_append_text (out, desk_document_get_kind (document));
      if (desk_document_get_completed (document))
        {
          g_string_append (out, ", ");
          g_string_append (out, _("completed"));
        }
      g_string_append (out, ")\n");
    }

  g_string_append_c (out, '\n');
  if (n_appointments == 0)
    g_string_append_printf (out, "%s\n", _("No upcoming appointments."));
  else
    g_string_append_printf (out, "%s\n", _("Upcoming appointments:"));
  for (guint i = 0; i < n_appointments; i++)
    {
      g_autoptr(DeskAppointment) appointment = g_list_model_get_item (appointments, i);
      g_autofree char *when = desk_time_format_minute (desk_appointment_get_starts_at (appointment));
      g_autofree char *line = NULL;

      line = g_strdup_printf (
        /* Translators: an upcoming appointment: when, length in minutes, kind,
         * practitioner, status; e.g. "2024-05-01 14:30  30 min  follow-up  with Ana Roy  booked" */
        _("%s  %u min  %s  with %s  %s"),
        when, desk_appointment_get_duration_minutes (appointment),
        non_null (desk_appointment_get_kind (appointment)),
        non_null (desk_appointment_get_practitioner_name (appointment)),
        non_null (desk_appointment_get_status (appointment)));
      g_string_append (out, "  ");
      desk_cli_append_text (out, line);
      g_string_append_c (out, '\n');
    }
}

static void
client_show_json (GString                *out,
                  DeskClient             *client,
                  const DeskPortalStatus *portal,
                  GListModel             *documents,
                  GListModel             *appointments)
{
  guint n_documents = g_list_model_get_n_items (documents);
  guint n_appointments = g_list_model_get_n_items (appointments);

  desk_json_begin_object (out);
  client_json_fields (out, client);
  desk_json_key (out, "portal_state");
  desk_json_string (out, desk_portal_state_to_string (portal->state));
  desk_json_key (out, "portal_invited_until");
  desk_json_time (out, portal->invited_until);

  desk_json_key (out, "documents");
  desk_json_begin_array (out);
  for (guint i = 0; i < n_documents; i++)
    {
      g_autoptr(DeskDocument) document = g_list_model_get_item (documents, i);

      desk_json_begin_object (out);
      desk_json_key (out, "id");
      desk_json_int (out, desk_document_get_id (document));
      desk_json_key (out, "title");
      desk_json_string (out, desk_document_get_title (document));
      desk_json_key (out, "kind");
      desk_json_string (out, desk_document_get_kind (document));
      desk_json_key (out, "shared_at");
      desk_json_time (out, desk_document_get_shared_at (document));
      desk_json_key (out, "completed");
      desk_json_bool (out, desk_document_get_completed (document));
      desk_json_end_object (out);
    }
  desk_json_end_array (out);

  desk_json_key (out, "upcoming_appointments");
  desk_json_begin_array (out);
  for (guint i = 0; i < n_appointments; i++)
    {
      g_autoptr(DeskAppointment) appointment = g_list_model_get_item (appointments, i);

      desk_json_begin_object (out);
      desk_json_key (out, "id");
      desk_json_int (out, desk_appointment_get_id (appointment));
      desk_json_key (out, "starts_at");
      desk_json_time (out, desk_appointment_get_starts_at (appointment));
      desk_json_key (out, "duration_minutes");
      desk_json_int (out, desk_appointment_get_duration_minutes (appointment));
      desk_json_key (out, "kind");
      desk_json_string (out, desk_appointment_get_kind (appointment));
      desk_json_key (out, "status");
      desk_json_string (out, desk_appointment_get_status (appointment));
      desk_json_key (out, "practitioner_name");
      desk_json_string (out, desk_appointment_get_practitioner_name (appointment));
      desk_json_end_object (out);
    }
  desk_json_end_array (out);

  desk_json_end_object (out);
  g_string_append_c (out, '\n');
}

/* --status: a client status as the clinic database names it, or "all". */
static gboolean
parse_status_filter (const char              *value,
                     DeskClientStatusFilter  *filter,
                     GError                 **error)
{
  DeskClientStatus status;

  if (value == NULL || g_str_equal (value, "all"))
    *filter = DESK_CLIENT_STATUS_FILTER_ANY;
  else if (desk_client_status_from_string (value, &status))
    *filter = status == DESK_CLIENT_STATUS_ACTIVE ? DESK_CLIENT_STATUS_FILTER_ACTIVE
                                                  : DESK_CLIENT_STATUS_FILTER_INACTIVE;
  else
    {
      desk_cli_set_usage_error (error,
                                /* Translators: %s is what was typed; the words before it stay
                                 * in English: they are what the option takes */
                                _("--status must be active, inactive or all, not “%s”."),
                                value);
      return FALSE;
    }
  return TRUE;
}

/* --portal: a portal access as the clinic database names it, or "all". */
static gboolean
parse_portal_filter (const char        *value,
                     DeskPortalFilter  *filter,
                     GError           **error)
{
  DeskPortalAccess access;

  if (value == NULL || g_str_equal (value, "all"))
    *filter = DESK_PORTAL_FILTER_ANY;
  else if (desk_portal_access_from_string (value, &access))
    *filter = access == DESK_PORTAL_ACCESS_ENABLED ? DESK_PORTAL_FILTER_ENABLED
                                                   : DESK_PORTAL_FILTER_DISABLED;
  else
    {
      desk_cli_set_usage_error (error,
                                /* Translators: %s is what was typed; the words before it stay
                                 * in English: they are what the option takes */
                                _("--portal must be enabled, disabled or all, not “%s”."),
                                value);
      return FALSE;
    }
  return TRUE;
}

/* Commands */

gboolean
desk_cli_run_clients_list (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autoptr(DeskRecordList) list = NULL;
  g_autofree char *status = NULL;
  g_autofree char *portal = NULL;
  g_autofree char *search = NULL;
  g_autofree char *limit = NULL;
  DeskClientStatusFilter status_filter;
  DeskPortalFilter portal_filter;
  DeskCliListWriter writer;
  guint64 max_rows = G_MAXUINT64;
  gboolean json = FALSE;
  gboolean ok;
  DeskSession *session;
  const char *header[] = {
    /* Translators: column headings of "front-desk-admin clients list" */
    C_("column", "ID"),
    C_("column", "Name"),
    C_("column", "Date of birth"),
    C_("column", "Email"),
    C_("column", "Phone"),
    C_("column", "Province"),
    C_("column", "Status"),
    C_("column", "Portal"),
    C_("column", "Practitioner"),
  };
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Which clients: active, inactive or all (the default)"), N_("STATUS") },
    { "portal", 0, 0, G_OPTION_ARG_STRING, &portal,
      N_("Which portal access: enabled, disabled or all (the default)"), N_("ACCESS") },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search,
      N_("Only clients whose name, email or phone contain every word of TEXT"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON array instead of a table"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit,
      N_("Write at most N clients"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;

  if (!parse_status_filter (status, &status_filter, error) ||
      !parse_portal_filter (portal, &portal_filter, error))
    return FALSE;
  if (limit != NULL && !desk_cli_parse_number ("--limit", limit, 0, G_MAXUINT64, &max_rows, error))
    return FALSE;
  if (!desk_cli_check_search (&search, error))
    return FALSE;

  /* Clients are shown only to a member who signs in. */
  session = desk_cli_sign_in (cli, DESK_CLI_ANY_MEMBER, error);
  if (session == NULL)
    return FALSE;

  list = desk_record_list_new_clients (desk_session_get_store (session));
  if (search != NULL)
    desk_record_list_set_search (list, search);
  desk_record_list_set_status_filter (list, status_filter);
  desk_record_list_set_portal_filter (list, portal_filter);
  if (!desk_record_list_load_sync (list, NULL, error))
    return FALSE;

  desk_cli_list_writer_init (&writer, json, max_rows, client_text_row, client_json_row);
  ok = desk_cli_list_writer_begin (&writer, header, G_N_ELEMENTS (header), error) &&
       desk_cli_list_writer_add (&writer, G_LIST_MODEL (list), error) &&
       desk_cli_list_writer_end (&writer, error);
  desk_cli_list_writer_clear (&writer);

  return ok;
}

gboolean
desk_cli_run_clients_show (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autoptr(DeskClient) client = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) appointments = NULL;
  g_autoptr(GString) out = NULL;
  DeskPortalStatus portal;
  gboolean json = FALSE;
  DeskSession *session;
  DeskStore *store;
  guint64 id;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, 1, error))
    return FALSE;

  if (!g_ascii_string_to_unsigned ((*args)[1], 10, 1, G_MAXINT64, &id, NULL))
    {
      desk_cli_set_usage_error (error,
                                /* Translators: %s is what was typed instead of a client's number */
                                _("“%s” is not a client number: give the ID that “clients list” "
                                  "shows."),
                                (*args)[1]);
      return FALSE;
    }

  session = desk_cli_sign_in (cli, DESK_CLI_ANY_MEMBER, error);
  if (session == NULL)
    return FALSE;
  store = desk_session_get_store (session);

  client = desk_client_load (store, (gint64) id, error);
  if (client == NULL)
    return FALSE;

  documents = desk_client_list_documents (store, (gint64) id, error);
  if (documents == NULL)
    return FALSE;
  appointments = desk_client_list_appointments (store, (gint64) id, SHOW_APPOINTMENTS,
                                                      error);
  if (appointments == NULL)
    return FALSE;

  if (!desk_portal_get_status (store, (gint64) id, &portal, error))
    return FALSE;

  out = g_string_new (NULL);
  if (json)
    client_show_json (out, client, &portal, documents, appointments);
  else
    client_show_text (out, client, &portal, documents, appointments);

  return desk_cli_write (out, error) && desk_cli_flush (error);
}
