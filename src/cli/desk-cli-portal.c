/* desk-cli-portal.c: front-desk-admin clients discharge|activate|portal|share|unshare|sees
 * and portal accept-invitation|sign-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client's status and their portal access are two things (desk-portal.h):
 * each command changes one of them and says so.  Staff commands act as the
 * member of --as and need "manage clients"; the model checks it again and
 * audits the change.  The portal commands run as the portal would, with no
 * member: what they read from standard input is the client's.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "desk-json.h"
#include "desk-cli-private.h"
#include "desk-client.h"
#include "desk-client-change.h"
#include "desk-portal.h"
#include "desk-record-list.h"
#include "desk-records.h"

/* An invitation token is far shorter; a longer first line is not one. */
#define TOKEN_MAX 1024

/* Helpers */

/* A client's number, or with @document a document's. */
static gboolean
parse_id (const char  *text,
          gboolean     document,
          gint64      *id,
          GError     **error)
{
  guint64 value;

  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      *id = (gint64) value;
      return TRUE;
    }

  if (document)
    desk_cli_set_usage_error (error,
                              /* Translators: %s is what was typed instead of a document's number */
                              _("“%s” is not a document number: give the ID that “clients sees” "
                                "or “clients show” shows."),
                              text);
  else
    desk_cli_set_usage_error (error,
                              /* Translators: %s is what was typed instead of a client's number */
                              _("“%s” is not a client number: give the ID that “clients list” "
                                "shows."),
                              text);
  return FALSE;
}

/* The clients named on the command line (args[1] on), then those the
 * --search and --status selection finds, through the record list (the
 * core's query): each once. */
static GArray *
select_clients (DeskSession  *session,
                char        **args,
                const char   *search,
                const char   *status,
                GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 1; args[i] != NULL; i++)
    {
      gint64 id;

      if (!parse_id (args[i], FALSE, &id, error))
        return NULL;
      if (g_hash_table_add (seen, g_memdup2 (&id, sizeof id)))
        g_array_append_val (ids, id);
    }

  if (search != NULL || status != NULL)
    {
      g_autoptr(DeskRecordList) list = desk_record_list_new_clients (desk_session_get_store (session));
      guint n_items;

      if (search != NULL)
        desk_record_list_set_search (list, search);
      if (g_strcmp0 (status, "active") == 0)
        desk_record_list_set_status_filter (list, DESK_CLIENT_STATUS_FILTER_ACTIVE);
      else if (g_strcmp0 (status, "inactive") == 0)
        desk_record_list_set_status_filter (list, DESK_CLIENT_STATUS_FILTER_INACTIVE);
      if (!desk_record_list_load_sync (list, NULL, error))
        return NULL;

      n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(DeskClient) client = g_list_model_get_item (G_LIST_MODEL (list), i);
          gint64 id;

          if (client == NULL)
            {
              const GError *list_error = desk_record_list_get_error (list);

              if (list_error != NULL)
                g_propagate_error (error, g_error_copy (list_error));
              else
                g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                             _("The list changed while it was being read. Try again."));
              return NULL;
            }
          id = desk_client_get_id (client);
          if (g_hash_table_add (seen, g_memdup2 (&id, sizeof id)))
            g_array_append_val (ids, id);
        }
    }

  if (ids->len == 0)
    {
      g_set_error_literal (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                           _("No client matches the selection: nothing was changed."));
      return NULL;
    }

  return g_steal_pointer (&ids);
}

/* --status of a bulk selection: active or inactive. */
static gboolean
check_status (const char  *status,
              GError     **error)
{
  if (status == NULL || g_str_equal (status, "active") || g_str_equal (status, "inactive"))
    return TRUE;

  desk_cli_set_usage_error (error,
                            /* Translators: %s is what was typed; the words before it stay
                             * in English: they are what the option takes */
                            _("--status must be active or inactive, not “%s”."), status);
  return FALSE;
}

/* "changed" and "unchanged" counts, as text or JSON. */
static gboolean
write_counts (gboolean    json,
              const char *text,
              guint       changed,
              guint       unchanged,
              GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (json)
    {
      desk_json_begin_object (out);
      desk_json_key (out, "changed");
      desk_json_int (out, changed);
      desk_json_key (out, "unchanged");
      desk_json_int (out, unchanged);
      desk_json_end_object (out);
      g_string_append_c (out, '\n');
    }
  else
    g_string_append_printf (out, "%s\n", text);

  return desk_cli_write (out, error) && desk_cli_flush (error);
}

static gboolean
write_line (gboolean    json,
            const char *key,
            gint64      id,
            const char *text,
            GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (json)
    {
      desk_json_begin_object (out);
      desk_json_key (out, key);
      desk_json_int (out, id);
      desk_json_end_object (out);
      g_string_append_c (out, '\n');
    }
  else
    g_string_append_printf (out, "%s\n", text);

  return desk_cli_write (out, error) && desk_cli_flush (error);
}

/* The first line of standard input, read a byte at a time so that the
 * password on the next line stays for desk_cli_read_password(). */
static char *
read_token (GError **error)
{
  g_autoptr(GString) token = g_string_new (NULL);

  for (;;)
    {
      char c;
      gssize n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, DESK_CLI_ERROR, DESK_CLI_ERROR_FAILED,
                       _("The invitation cannot be read from standard input: %s."),
                       g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;
      if (token->len >= TOKEN_MAX)
        {
          /* Not a token: the answer any wrong token gets. */
          g_set_error_literal (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVITATION_INVALID,
                               _("This invitation cannot be used: it has expired, was already "
                                 "used or was replaced by a newer one. Ask your provider for a "
                                 "new invitation."));
          return NULL;
        }
      g_string_append_c (token, c);
    }

  g_strstrip (token->str);
  if (token->str[0] == '\0')
    {
      desk_cli_set_usage_error (error, _("No invitation on standard input: give the invitation "
                                         "token on the first line and the new password on the "
                                         "second."));
      return NULL;
    }

  return g_strdup (token->str);
}

/* Commands */

gboolean
desk_cli_run_clients_discharge (DeskCli               *cli,
                                const DeskCliCommand  *command,
                                char                ***args,
                                GError               **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *search = NULL;
  g_autofree char *status = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GArray) ids = NULL;
  gboolean json = FALSE;
  guint changed = 0, unchanged = 0;
  DeskSession *session;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the client is discharged (required)"), N_("TEXT") },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search,
      N_("Also every client whose name, email or phone contain every word of TEXT"), N_("TEXT") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only with --search, or alone: every client with this status, active or inactive"),
      N_("STATUS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, G_MAXUINT, error))
    return FALSE;
  if (g_strv_length (*args) < 2 && search == NULL && status == NULL)
    {
      desk_cli_set_usage_error (error, _("“clients discharge” needs clients: their IDs, "
                                         "--search or --status."));
      return FALSE;
    }
  if (reason == NULL || g_strstrip (reason)[0] == '\0')
    {
      desk_cli_set_usage_error (error, _("A discharge needs a reason: give --reason TEXT."));
      return FALSE;
    }
  if (!check_status (status, error) || !desk_cli_check_search (&search, error))
    return FALSE;

  session = desk_cli_sign_in (cli, DESK_PERMISSION_MANAGE_CLIENTS, error);
  if (session == NULL)
    return FALSE;
  ids = select_clients (session, *args, search, status, error);
  if (ids == NULL)
    return FALSE;

  /* One client named alone is refused when already inactive; a selection
   * is one change for all of them, in which a client that is not there
   * refuses it all and those already inactive are counted. */
  if (g_strv_length (*args) == 2 && search == NULL && status == NULL)
    {
      if (!desk_client_discharge (session, g_array_index (ids, gint64, 0), reason, error))
        return FALSE;
      changed = 1;
    }
  else if (!desk_client_discharge_many (session, (const gint64 *) (gpointer) ids->data, ids->len,
                                        reason, &changed, &unchanged, error))
    return FALSE;

  text = g_strdup_printf (
    /* Translators: %u is a number of clients; a sentence follows */
    ngettext ("%u client discharged.", "%u clients discharged.", changed), changed);
  if (unchanged > 0)
    {
      g_autofree char *rest = g_strdup_printf (
        ngettext ("%u was already inactive.", "%u were already inactive.", unchanged), unchanged);
      g_autofree char *whole = g_strdup_printf ("%s %s", text, rest);

      g_free (text);
      text = g_steal_pointer (&whole);
    }
  {
    /* Status and portal access are two things: say which one changed. */
    g_autofree char *whole = g_strdup_printf ("%s %s", text, _("Portal access is unchanged."));

    g_free (text);
    text = g_steal_pointer (&whole);
  }

  return write_counts (json, text, changed, unchanged, error);
}

gboolean
desk_cli_run_clients_activate (DeskCli               *cli,
                               const DeskCliCommand  *command,
                               char                ***args,
                               GError               **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  DeskSession *session;
  gint64 id;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the client is active again"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, 1, error) ||
      !parse_id ((*args)[1], FALSE, &id, error))
    return FALSE;

  session = desk_cli_sign_in (cli, DESK_PERMISSION_MANAGE_CLIENTS, error);
  if (session == NULL || !desk_client_activate (session, id, reason, error))
    return FALSE;

  /* Translators: %s is a client's number */
  text = g_strdup_printf (_("Client %s is active again. Portal access is unchanged."), (*args)[1]);
  return write_line (json, "activated", id, text, error);
}

gboolean
desk_cli_run_clients_portal (DeskCli               *cli,
                             const DeskCliCommand  *command,
                             char                ***args,
                             GError               **error)
{
  g_autofree char *search = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean json = FALSE;
  const char *action;
  DeskSession *session;
  gint64 id;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search,
      N_("disable: also every client whose name, email or phone contain every word of TEXT"),
      N_("TEXT") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("disable: every client with this status, active or inactive"), N_("STATUS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, G_MAXUINT, error))
    return FALSE;
  action = (*args)[1];

  if (g_str_equal (action, "disable"))
    {
      g_autoptr(GArray) ids = NULL;
      guint changed = 0, unchanged = 0;
      g_autofree char *text = NULL;

      if (g_strv_length (*args) < 3 && search == NULL && status == NULL)
        {
          desk_cli_set_usage_error (error, _("“clients portal disable” needs clients: their IDs, "
                                             "--search or --status."));
          return FALSE;
        }
      if (!check_status (status, error) || !desk_cli_check_search (&search, error))
        return FALSE;

      /* One client is an ordinary change; several are a sensitive one:
       * the password read for --as confirms it. */
      if (g_strv_length (*args) == 3 && search == NULL && status == NULL)
        {
          if (!parse_id ((*args)[2], FALSE, &id, error))
            return FALSE;
          session = desk_cli_sign_in (cli, DESK_PERMISSION_MANAGE_CLIENTS, error);
          if (session == NULL || !desk_portal_disable (session, id, error))
            return FALSE;
          changed = 1;
        }
      else
        {
          session = desk_cli_sign_in_for_change (cli, DESK_PERMISSION_MANAGE_CLIENTS, error);
          if (session == NULL)
            return FALSE;
          ids = select_clients (session, *args + 1, search, status, error);
          if (ids == NULL)
            return FALSE;
          if (!desk_cli_confirm (cli, error) ||
              !desk_portal_disable_many (session, (const gint64 *) (gpointer) ids->data,
                                         ids->len, &changed, &unchanged, error))
            return FALSE;
        }

      text = g_strdup_printf (
        /* Translators: %u is a number of clients */
        ngettext ("Portal access disabled for %u client: they cannot sign in. Their records "
                  "are kept.",
                  "Portal access disabled for %u clients: they cannot sign in. Their records "
                  "are kept.", changed), changed);
      if (unchanged > 0)
        {
          g_autofree char *rest = g_strdup_printf (
            ngettext ("%u already had it disabled.", "%u already had it disabled.", unchanged),
            unchanged);
          g_autofree char *whole = g_strdup_printf ("%s %s", text, rest);

          g_free (text);
          text = g_steal_pointer (&whole);
        }
      return write_counts (json, text, changed, unchanged, error);
    }

  if (!g_str_equal (action, "enable") && !g_str_equal (action, "resend"))
    {
      desk_cli_set_usage_error (error,
                                /* Translators: %s is what was typed; the words before it stay
                                 * in English */
                                _("“clients portal” takes enable, disable or resend, not “%s”."),
                                action);
      return FALSE;
    }
  if (search != NULL || status != NULL)
    {
      desk_cli_set_usage_error (error, _("--search and --status select clients only for "
                                         "“clients portal disable”."));
      return FALSE;
    }
  if (g_strv_length (*args) != 3)
    {
      desk_cli_set_usage_error (error,
                                /* Translators: %s is enable or resend */
                                _("“clients portal %s” needs one client ID."), action);
      return FALSE;
    }
  if (!parse_id ((*args)[2], FALSE, &id, error))
    return FALSE;

  session = desk_cli_sign_in (cli, DESK_PERMISSION_MANAGE_CLIENTS, error);
  if (session == NULL)
    return FALSE;

  {
    g_autofree char *token = NULL;
    DeskPortalStatus portal;

    if (g_str_equal (action, "enable") ? !desk_portal_enable (session, id, &token, error)
                                       : !desk_portal_resend (session, id, &token, error))
      return FALSE;
    if (!desk_portal_get_status (desk_session_get_store (session), id, &portal, error))
      return FALSE;

    /* The token is what the clinic sends the client; only its hash is kept. */
    if (json)
      {
        desk_json_begin_object (out);
        desk_json_key (out, "client_id");
        desk_json_int (out, id);
        desk_json_key (out, "token");
        desk_json_string (out, token);
        desk_json_key (out, "expires_at");
        desk_json_time (out, portal.invited_until);
        desk_json_end_object (out);
        g_string_append_c (out, '\n');
      }
    else
      g_string_append_printf (out, "%s\n", token);
  }

  return desk_cli_write (out, error) && desk_cli_flush (error);
}

static gboolean
run_share (DeskCli               *cli,
           const DeskCliCommand  *command,
           char                ***args,
           gboolean               share,
           GError               **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean json = FALSE;
  DeskSession *session;
  gint64 client, document;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 2, 2, error) ||
      !parse_id ((*args)[1], FALSE, &client, error) ||
      !parse_id ((*args)[2], TRUE, &document, error))
    return FALSE;

  session = desk_cli_sign_in (cli, DESK_PERMISSION_MANAGE_CLIENTS, error);
  if (session == NULL)
    return FALSE;
  if (share ? !desk_client_share_document (session, client, document, error)
            : !desk_client_unshare_document (session, client, document, error))
    return FALSE;

  if (json)
    {
      desk_json_begin_object (out);
      desk_json_key (out, "client_id");
      desk_json_int (out, client);
      desk_json_key (out, "document_id");
      desk_json_int (out, document);
      desk_json_key (out, "shared");
      desk_json_bool (out, share);
      desk_json_end_object (out);
      g_string_append_c (out, '\n');
    }
  else if (share)
    /* Translators: a document's number, then a client's */
    g_string_append_printf (out, _("Document %s is shared with client %s.\n"),
                            (*args)[2], (*args)[1]);
  else
    /* Translators: a document's number, then a client's */
    g_string_append_printf (out, _("Document %s is no longer shared with client %s.\n"),
                            (*args)[2], (*args)[1]);

  return desk_cli_write (out, error) && desk_cli_flush (error);
}

gboolean
desk_cli_run_clients_share (DeskCli               *cli,
                            const DeskCliCommand  *command,
                            char                ***args,
                            GError               **error)
{
  return run_share (cli, command, args, TRUE, error);
}

gboolean
desk_cli_run_clients_unshare (DeskCli               *cli,
                              const DeskCliCommand  *command,
                              char                ***args,
                              GError               **error)
{
  return run_share (cli, command, args, FALSE, error);
}

static void
preview_text (GString           *out,
              DeskPortalPreview *preview)
{
  guint n_documents = g_list_model_get_n_items (preview->documents);
  guint n_appointments = g_list_model_get_n_items (preview->appointments);
  guint n_qnaires = preview->pending_qnaires != NULL ? g_strv_length (preview->pending_qnaires) : 0;

  if (preview->can_sign_in)
    g_string_append_printf (out, "%s\n", _("Can sign in to the portal."));
  else
    {
      g_autofree char *line = g_strdup_printf (
        /* Translators: %s says why, e.g. "Portal access is disabled." */
        _("Cannot sign in to the portal: %s"), preview->why_not != NULL ? preview->why_not : "");

      desk_cli_append_text (out, line);
      g_string_append_c (out, '\n');
    }

  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n", n_documents == 0 ? _("No shared documents.")
                                                        : _("Shared documents:"));
  for (guint i = 0; i < n_documents; i++)
    {
      g_autoptr(DeskDocument) document = g_list_model_get_item (preview->documents, i);

      g_string_append_printf (out, "  %" G_GINT64_FORMAT "  ", desk_document_get_id (document));
      desk_cli_append_text (out, desk_document_get_title (document));
      g_string_append_c (out, '\n');
    }

  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n", n_appointments == 0 ? _("No upcoming appointments.")
                                                           : _("Upcoming appointments:"));
  for (guint i = 0; i < n_appointments; i++)
    {
      g_autoptr(DeskAppointment) appointment = g_list_model_get_item (preview->appointments, i);
      g_autofree char *when = desk_time_format_minute (desk_appointment_get_starts_at (appointment));

      g_string_append_printf (out, "  %s  ", when);
      desk_cli_append_text (out, desk_appointment_get_kind (appointment));
      g_string_append_c (out, '\n');
    }

  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n", n_qnaires == 0 ? _("No Qnaires to fill in.")
                                                      : _("Qnaires to fill in:"));
  for (guint i = 0; i < n_qnaires; i++)
    {
      g_string_append (out, "  ");
      desk_cli_append_text (out, preview->pending_qnaires[i]);
      g_string_append_c (out, '\n');
    }
}

static void
preview_json (GString           *out,
              gint64             id,
              DeskPortalPreview *preview)
{
  guint n_documents = g_list_model_get_n_items (preview->documents);
  guint n_appointments = g_list_model_get_n_items (preview->appointments);

  desk_json_begin_object (out);
  desk_json_key (out, "client_id");
  desk_json_int (out, id);
  desk_json_key (out, "can_sign_in");
  desk_json_bool (out, preview->can_sign_in);
  desk_json_key (out, "why_not");
  desk_json_string (out, preview->can_sign_in ? NULL : preview->why_not);
  desk_json_key (out, "documents");
  desk_json_begin_array (out);
  for (guint i = 0; i < n_documents; i++)
    {
      g_autoptr(DeskDocument) document = g_list_model_get_item (preview->documents, i);

      desk_json_begin_object (out);
      desk_json_key (out, "id");
      desk_json_int (out, desk_document_get_id (document));
      desk_json_key (out, "title");
      desk_json_string (out, desk_document_get_title (document));
      desk_json_end_object (out);
    }
  desk_json_end_array (out);
  desk_json_key (out, "upcoming_appointments");
  desk_json_begin_array (out);
  for (guint i = 0; i < n_appointments; i++)
    {
      g_autoptr(DeskAppointment) appointment = g_list_model_get_item (preview->appointments, i);

      desk_json_begin_object (out);
      desk_json_key (out, "id");
      desk_json_int (out, desk_appointment_get_id (appointment));
      desk_json_key (out, "starts_at");
      desk_json_time (out, desk_appointment_get_starts_at (appointment));
      desk_json_key (out, "kind");
      desk_json_string (out, desk_appointment_get_kind (appointment));
      desk_json_end_object (out);
    }
  desk_json_end_array (out);
  desk_json_key (out, "pending_qnaires");
  desk_json_begin_array (out);
  for (guint i = 0; preview->pending_qnaires != NULL && preview->pending_qnaires[i] != NULL; i++)
    desk_json_string (out, preview->pending_qnaires[i]);
  desk_json_end_array (out);
  desk_json_end_object (out);
  g_string_append_c (out, '\n');
}

gboolean
desk_cli_run_clients_sees (DeskCli               *cli,
                           const DeskCliCommand  *command,
                           char                ***args,
                           GError               **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  DeskPortalPreview preview = { 0 };
  gboolean json = FALSE;
  DeskSession *session;
  gint64 id;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, 1, error) ||
      !parse_id ((*args)[1], FALSE, &id, error))
    return FALSE;

  session = desk_cli_sign_in (cli, DESK_CLI_ANY_MEMBER, error);
  if (session == NULL ||
      !desk_portal_preview (desk_session_get_store (session), id, &preview, error))
    return FALSE;

  if (json)
    preview_json (out, id, &preview);
  else
    preview_text (out, &preview);
  desk_portal_preview_clear (&preview);

  return desk_cli_write (out, error) && desk_cli_flush (error);
}

gboolean
desk_cli_run_portal_accept_invitation (DeskCli               *cli,
                                       const DeskCliCommand  *command,
                                       char                ***args,
                                       GError               **error)
{
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  gboolean json = FALSE;
  DeskStore *store;
  char *password;
  gboolean ok;
  gint64 id = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;
  store = desk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;

  token = read_token (error);
  if (token == NULL)
    return FALSE;
  password = desk_cli_read_password (_("No new password on standard input: give the invitation "
                                       "token on the first line and the new password on the "
                                       "second."),
                                     error);
  if (password == NULL)
    return FALSE;
  ok = desk_portal_accept_invitation (store, token, password, &id, error);
  sodium_free (password);
  sodium_memzero (token, strlen (token));
  if (!ok)
    return FALSE;

  number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  text = g_strdup_printf (
    /* Translators: %s is a client's number */
    _("Invitation accepted: client %s can sign in to the portal with the new password."),
    number);
  return write_line (json, "client_id", id, text, error);
}

gboolean
desk_cli_run_portal_sign_in (DeskCli               *cli,
                             const DeskCliCommand  *command,
                             char                ***args,
                             GError               **error)
{
  g_autofree char *email = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  gboolean json = FALSE;
  DeskStore *store;
  char *password;
  gboolean ok;
  gint64 id = 0;
  const GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email,
      N_("The client’s email address"), N_("EMAIL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Write a JSON object instead of text"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;
  if (email == NULL)
    {
      desk_cli_set_usage_error (error, _("“portal sign-in” needs --email EMAIL."));
      return FALSE;
    }
  store = desk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;

  password = desk_cli_read_password (_("No password on standard input: give the client’s "
                                       "portal password."),
                                     error);
  if (password == NULL)
    return FALSE;
  ok = desk_portal_sign_in (store, email, password, &id, error);
  sodium_free (password);
  if (!ok)
    return FALSE;

  number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  /* Translators: %s is a client's number */
  text = g_strdup_printf (_("Signed in to the portal as client %s."), number);
  return write_line (json, "client_id", id, text, error);
}
