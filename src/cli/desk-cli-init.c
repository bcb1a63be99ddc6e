/* desk-cli-init.c: front-desk-admin init
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <sodium.h>

#include "desk-client.h"
#include "desk-member.h"
#include "desk-cli-private.h"
#include "desk-demo.h"
#include "desk-setup.h"

/* Helpers */

static void
demo_progress_cb (double   fraction,
                  gpointer user_data)
{
  DeskCli *cli = user_data;

  desk_cli_show_progress (cli, _("Creating the demo clinic…"), fraction);
}

/* Commands */

gboolean
desk_cli_run_init (DeskCli               *cli,
                   const DeskCliCommand  *command,
                   char                ***args,
                   GError               **error)
{
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *name = NULL;
  g_autofree char *members = NULL;
  g_autofree char *clients = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *display_path = NULL;
  DeskDemoOptions options = { .seed = DESK_DEMO_SEED };
  gboolean demo = FALSE;
  const char *path;
  guint64 number;
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Fill the clinic with realistic demo data"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("The clinic’s name"), N_("NAME") },
    { "members", 0, 0, G_OPTION_ARG_STRING, &members,
      N_("Number of demo members (default: one for every 500 clients, at least 12)"), N_("N") },
    { "clients", 0, 0, G_OPTION_ARG_STRING, &clients,
      N_("Number of demo clients (default: 2000)"), N_("N") },
    /* What the seed decides, exactly: the demo's generator draws from it
     * alone and dates everything from today at 00:00 UTC; the clinic's
     * own ID, the password hashes' salts and the audit log's times and
     * hashes are made fresh each time. */
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("Seed of the demo data (default: 2026, as front-desk --demo). The same seed, "
         "--members and --clients, on the same day (UTC) and in the same language, give the "
         "same members, clients and records with the same numbers and dates; the clinic’s "
         "own ID, the password hashes and the audit log differ every time."), N_("S") },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 0, 0, error))
    return FALSE;

  if (!demo && (members != NULL || clients != NULL || seed != NULL))
    {
      desk_cli_set_usage_error (error, _("--members, --clients and --seed need --demo."));
      return FALSE;
    }

  if (members != NULL)
    {
      if (!desk_cli_parse_number ("--members", members, 1, G_MAXUINT, &number, error))
        return FALSE;
      options.members = (guint) number;
    }
  if (clients != NULL)
    {
      if (!desk_cli_parse_number ("--clients", clients, 1, G_MAXUINT, &number, error))
        return FALSE;
      options.clients = (guint) number;
    }
  if (seed != NULL &&
      !desk_cli_parse_number ("--seed", seed, 0, G_MAXUINT64, &options.seed, error))
    return FALSE;

  path = desk_cli_get_database (cli, error);
  if (path == NULL)
    return FALSE;

  /* Built beside the file and moved into place once complete: a run that
   * is interrupted leaves no half-made clinic, and the next one tidies up. */
  if (demo)
    {
      store = desk_demo_create (path, name, &options, demo_progress_cb, cli, error);
      desk_cli_clear_progress (cli);
    }
  else
    store = desk_store_create (path, name, error);
  if (store == NULL)
    return FALSE;

  out = g_string_new (NULL);
  display_path = g_filename_display_name (path);

  if (demo)
    {
      g_autofree char *members_text = NULL;
      g_autofree char *clients_text = NULL;
      guint n_members;
      guint n_clients = 0;
      GError *count_error = NULL;

      n_members = desk_member_count (store, DESK_MEMBER_STATUS_ACTIVE, &count_error);
      if (count_error == NULL)
        n_members += desk_member_count (store, DESK_MEMBER_STATUS_DEACTIVATED,
                                               &count_error);
      if (count_error == NULL)
        n_clients = desk_client_count (store, &count_error);
      if (count_error != NULL)
        {
          g_propagate_error (error, count_error);
          return FALSE;
        }

      /* Translators: part of "Created the demo clinic … with 12 members and 200 clients" */
      members_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u member", "%u members",
                                                   n_members),
                                      n_members);
      /* Translators: part of "Created the demo clinic … with 12 members and 200 clients" */
      clients_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u client", "%u clients",
                                                   n_clients),
                                      n_clients);
      g_string_append_printf (out,
                              /* Translators: the clinic's name, its file, "12 members",
                               * "200 clients", then a username and its password */
                              _("Created the demo clinic “%s” in “%s” with %s and %s; "
                                "sign in as “%s” with the password “%s”."),
                              desk_store_get_clinic_name (store), display_path,
                              members_text, clients_text,
                              DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
    }
  else
    {
      g_string_append_printf (out,
                              /* Translators: the clinic's name, then its file */
                              _("Created the clinic “%s” in “%s”."),
                              desk_store_get_clinic_name (store), display_path);
      g_string_append_c (out, ' ');
      g_string_append_printf (out,
                              /* Translators: %s is the clinic's file */
                              _("Give it its first administrator with: front-desk-admin "
                                "--database %s members add-first-admin USERNAME --given-name "
                                "NAME --family-name NAME --email ADDRESS"),
                              display_path);
    }
  g_string_append_c (out, '\n');

  return desk_cli_write (out, error) && desk_cli_flush (error);
}

gboolean
desk_cli_run_members_add_first_admin (DeskCli               *cli,
                                      const DeskCliCommand  *command,
                                      char                ***args,
                                      GError               **error)
{
  g_autofree char *given = NULL;
  g_autofree char *family = NULL;
  g_autofree char *email = NULL;
  g_autofree char *province = NULL;
  g_autoptr(GString) out = NULL;
  char *password;
  DeskNewMember member = { 0 };
  DeskStore *store;
  gint64 id;
  const GOptionEntry entries[] = {
    { "given-name", 0, 0, G_OPTION_ARG_STRING, &given,
      N_("The administrator’s given name"), N_("NAME") },
    { "family-name", 0, 0, G_OPTION_ARG_STRING, &family,
      N_("The administrator’s family name"), N_("NAME") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email,
      N_("The administrator’s e-mail address"), N_("ADDRESS") },
    { "province", 0, 0, G_OPTION_ARG_STRING, &province,
      N_("The province, by its two letters (default: ON)"), N_("XX") },
    G_OPTION_ENTRY_NULL
  };

  if (!desk_cli_parse_options (cli, command, entries, args, 1, 1, error))
    return FALSE;
  if (given == NULL || family == NULL || email == NULL)
    {
      desk_cli_set_usage_error (error, _("--given-name, --family-name and --email are needed."));
      return FALSE;
    }

  store = desk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;

  member.username = (*args)[1];
  member.given_name = given;
  member.family_name = family;
  member.email = email;
  member.province = province != NULL ? g_ascii_strup (province, -1) : NULL;
  member.kind = DESK_MEMBER_KIND_EMPLOYEE;

  password = desk_cli_read_password (_("No password on standard input: give the new "
                                       "administrator’s password."),
                                     error);
  if (password == NULL)
    {
      g_free ((char *) member.province);
      return FALSE;
    }
  id = desk_setup_add_first_administrator (store, &member, password, error);
  sodium_free (password);
  g_free ((char *) member.province);
  if (id == 0)
    return FALSE;

  out = g_string_new (NULL);
  g_string_append_printf (out,
                          /* Translators: %s is a username */
                          _("Added the administrator “%s”, who can sign in now and add the "
                            "clinic’s other members."),
                          (*args)[1]);
  g_string_append_c (out, '\n');
  return desk_cli_write (out, error) && desk_cli_flush (error);
}
