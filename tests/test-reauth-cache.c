/* test-reauth-cache.c: the keyring cache of re-authentication tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With a real gnome-keyring on the test's session bus, and with no bus at
 * all (a subprocess): there, every call fails at once and means "ask".
 */
#include "config.h"

#include <string.h>

#include "desk-reauth-cache.h"
#include "desk-test-util.h"

#define CLINIC "4b7e3c0a-9d1f-4e2b-8a6c-0f1e2d3c4b5a"
#define OTHER_CLINIC "00000000-0000-4000-8000-000000000000"
#define TIMEOUT_MS 5000

static gboolean have_keyring;

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gboolean
store_token (const char  *clinic,
             gint64       member,
             const char  *token,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_reauth_cache_store_async (clinic, member, token, TIMEOUT_MS, NULL,
                                 desk_test_async_result_cb, &result);
  return desk_reauth_cache_store_finish (wait_for (&result), error);
}

static char *
lookup_token (const char  *clinic,
              gint64       member,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_reauth_cache_lookup_async (clinic, member, TIMEOUT_MS, NULL, desk_test_async_result_cb,
                                  &result);
  return desk_reauth_cache_lookup_finish (wait_for (&result), error);
}

static gboolean
clear_tokens (const char  *clinic,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_reauth_cache_clear_async (clinic, TIMEOUT_MS, NULL, desk_test_async_result_cb, &result);
  return desk_reauth_cache_clear_finish (wait_for (&result), error);
}

static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  g_autofree char *gone = NULL;

  if (!have_keyring)
    {
      g_test_skip ("No gnome-keyring-daemon on a session bus");
      return;
    }

  g_assert_true (store_token (CLINIC, 1, CLINIC ":0123abcd", &error));
  g_assert_no_error (error);
  token = lookup_token (CLINIC, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, CLINIC ":0123abcd");

  /* Another member, another clinic: nothing. */
  other = lookup_token (CLINIC, 2, &error);
  g_assert_null (other);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  other = lookup_token (OTHER_CLINIC, 1, &error);
  g_assert_null (other);
  g_clear_error (&error);

  /* Signing out forgets it. */
  g_assert_true (clear_tokens (CLINIC, &error));
  g_assert_no_error (error);
  gone = lookup_token (CLINIC, 1, &error);
  g_assert_null (gone);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      g_assert_false (store_token (CLINIC, 1, CLINIC ":0123abcd", &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      token = lookup_token (CLINIC, 1, &error);
      g_assert_null (token);
      g_assert_nonnull (error);
      return;
    }

  /* The subprocess finds no session bus at all. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/front-desk-test", TRUE);
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Starts an unlocked keyring on the test's own session bus, in a throwaway home. */
static gboolean
start_keyring (void)
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess ())
    have_keyring = start_keyring ();

  g_test_add_func ("/reauth-cache/keyring", test_keyring);
  g_test_add_func ("/reauth-cache/no-keyring", test_no_keyring);

  return g_test_run ();
}
