/* desk-test-keyring.h: a real gnome-keyring for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Starts an unlocked keyring on the test's own session bus, in a throwaway home. */
static inline gboolean
desk_test_start_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autofree char *home = NULL;
  const char *argv[] = {
    "gnome-keyring-daemon", "--unlock", "--components=secrets", NULL,
  };
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL || program == NULL)
    return FALSE;

  home = g_dir_make_tmp ("front-desk-keyring-XXXXXX", NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", home, TRUE);
  daemon = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                    G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                    G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (daemon == NULL)
    return FALSE;
  /* It reads the new keyring's password, then leaves a daemon behind. */
  return g_subprocess_communicate_utf8 (daemon, "test\n", NULL, NULL, NULL, &error) &&
         g_subprocess_get_successful (daemon);
}

G_END_DECLS
