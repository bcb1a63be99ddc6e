/* desk-application.c: the Front Desk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-application.h"
#include "desk-demo.h"
#include "desk-stall-watchdog.h"
#include "desk-window.h"

struct _DeskApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (DeskApplication, desk_application, ADW_TYPE_APPLICATION)

/* Helpers */

/* A window showing no clinic yet (welcome or error page) is reused;
 * otherwise another clinic gets a window of its own. */
static DeskWindow *
get_window_for_opening (DeskApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (DESK_IS_WINDOW (window) && desk_window_get_store (DESK_WINDOW (window)) == NULL)
    return DESK_WINDOW (window);

  return desk_window_new (GTK_APPLICATION (self));
}

static void
print_demo_sign_in (GApplicationCommandLine *cmdline,
                    const char              *path)
{
  /* Translators: %s is the path of the demo clinic's database file */
  g_application_command_line_print (cmdline, _("Demo clinic: %s\n"), path);
  /* Translators: the first %s is a username, the second a password */
  g_application_command_line_print (cmdline, _("Sign in as “%s” with the password “%s”.\n"),
                                    DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
}

/* Actions */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  DeskApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows (rather than g_application_quit) lets each save its size. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  DeskApplication *self = user_data;
  static const char *developers[] = { "Front Desk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Front Desk"),
                        "application-icon", APP_ID,
                        "developer-name", _("Front Desk developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Manage a clinic’s members and clients"),
                        "website", "https://github.com/frontdesk/front-desk",
                        "issue-url", "https://github.com/frontdesk/front-desk/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 Front Desk developers",
                        "developers", developers,
                        /* Translators: your names, one a line, to be credited in the About window */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
};

/* Overrides */

static int
desk_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("front-desk %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return G_APPLICATION_CLASS (desk_application_parent_class)->handle_local_options (app, options);
}

static int
desk_application_command_line (GApplication            *app,
                               GApplicationCommandLine *cmdline)
{
  DeskApplication *self = DESK_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *database = NULL;
  gboolean demo = FALSE;
  DeskWindow *window;

  g_variant_dict_lookup (options, "database", "^&ay", &database);
  g_variant_dict_lookup (options, "demo", "b", &demo);

  if (database != NULL && demo)
    {
      g_application_command_line_printerr (cmdline, "%s\n",
                                           _("Use either --database or --demo, not both."));
      return EXIT_FAILURE;
    }

  if (database != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, database);

      window = get_window_for_opening (self);
      desk_window_open (window, file);
    }
  else if (demo)
    {
      g_autofree char *path = desk_application_get_demo_path ();

      print_demo_sign_in (cmdline, path);
      window = get_window_for_opening (self);
      desk_window_open_demo (window);
    }
  else
    {
      g_application_activate (app);
      return EXIT_SUCCESS;
    }

  gtk_window_present (GTK_WINDOW (window));
  return EXIT_SUCCESS;
}

static void
desk_application_activate (GApplication *app)
{
  DeskApplication *self = DESK_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *last = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (desk_window_new (GTK_APPLICATION (self)));

  last = g_settings_get_string (self->settings, "last-database");
  if (last != NULL && *last != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (last);

      desk_window_open (DESK_WINDOW (window), file);
    }
  else
    {
      desk_window_show_welcome (DESK_WINDOW (window));
    }

  gtk_window_present (window);
}

static void
desk_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  DeskApplication *self = DESK_APPLICATION (app);

  G_APPLICATION_CLASS (desk_application_parent_class)->startup (app);

  desk_stall_watchdog_start_from_env ();

  gtk_window_set_default_icon_name (APP_ID);

  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
desk_application_dispose (GObject *object)
{
  DeskApplication *self = DESK_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (desk_application_parent_class)->dispose (object);
}

static void
desk_application_class_init (DeskApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = desk_application_dispose;

  app_class->handle_local_options = desk_application_handle_local_options;
  app_class->command_line = desk_application_command_line;
  app_class->activate = desk_application_activate;
  app_class->startup = desk_application_startup;
}

static void
desk_application_init (DeskApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "database", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME,
                                 _("Open the clinic database FILE"),
                                 /* Translators: the placeholder of --database's argument */
                                 _("FILE"));
  g_application_add_main_option (G_APPLICATION (self), "demo", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Open a demo clinic with realistic data, creating it the first time"),
                                 NULL);
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Show the version and quit"),
                                 NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Manage a clinic’s members and clients."));
}

/* Public API */

DeskApplication *
desk_application_new (void)
{
  return g_object_new (DESK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

char *
desk_application_get_demo_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "front-desk", "demo-clinic.db", NULL);
}
