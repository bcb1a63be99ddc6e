/* test-reauth-cache.c: the keyring cache of re-authentication tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With a real gnome-keyring on the test's session bus, with no bus at all
 * (a subprocess: every call fails at once and means "ask"), and with a
 * Secret Service that never answers (a subprocess on a private bus: every
 * call gives up after its timeout, and means "ask").
 */
#include "config.h"

#include <string.h>

#include "desk-member.h"
#include "desk-reauth-cache.h"
#include "desk-reauth.h"
#include "desk-session.h"
#include "desk-test-keyring.h"
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

/* DeskReauth: the keyring cache and the clinic's tokens together. */

typedef struct
{
  DeskTestDir *dir;
  DeskStore   *store;
  DeskSession *session;
} Clinic;

static void
clinic_open (Clinic *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  c->dir = desk_test_dir_new ();
  path = g_build_filename (c->dir, "clinic.db", NULL);
  c->store = desk_test_demo_store (path, 20, 5);
  c->session = desk_session_sign_in (c->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
}

static void
clinic_close (Clinic *c)
{
  desk_session_sign_out (c->session);
  g_clear_object (&c->session);
  g_clear_object (&c->store);
  desk_test_dir_free (c->dir);
}

static gboolean
reauth_check (DeskReauth *reauth)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_reauth_check_async (reauth, NULL, desk_test_async_result_cb, &result);
  return desk_reauth_check_finish (reauth, wait_for (&result));
}

static gboolean
reauth_confirm (DeskReauth  *reauth,
                const char  *password,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  desk_reauth_confirm_async (reauth, password, NULL, desk_test_async_result_cb, &result);
  ok = desk_reauth_confirm_finish (reauth, wait_for (&result), error);
  /* The worker thread lets go of its task (and the store) a moment later. */
  {
    gpointer task = result;
    g_object_add_weak_pointer (task, &task);
    g_clear_object (&result);
    while (task != NULL)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
  }
  return ok;
}

static void
test_reauth_with_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  g_autoptr(DeskReauth) later = NULL;
  g_autoptr(DeskReauth) always = NULL;
  g_autofree char *kept = NULL;
  Clinic c = { 0 };

  if (!have_keyring)
    {
      g_test_skip ("No gnome-keyring-daemon on a session bus");
      return;
    }

  clinic_open (&c);
  clear_tokens (desk_store_get_clinic_uuid (c.store), NULL);
  reauth = desk_reauth_new (c.session, 300, TIMEOUT_MS);

  /* Nothing kept yet: ask. */
  g_assert_false (reauth_check (reauth));
  g_assert_false (desk_session_require_reauth (c.session, NULL));

  /* A wrong password keeps nothing. */
  g_assert_false (reauth_confirm (reauth, "wrong", &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_WRONG_CREDENTIALS);
  g_clear_error (&error);
  kept = lookup_token (desk_store_get_clinic_uuid (c.store),
                       desk_member_get_id (desk_session_get_member (c.session)), &error);
  g_assert_null (kept);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The right one keeps a token, not the password. */
  g_assert_true (reauth_confirm (reauth, DESK_DEMO_PASSWORD, &error));
  g_assert_no_error (error);
  kept = lookup_token (desk_store_get_clinic_uuid (c.store),
                       desk_member_get_id (desk_session_get_member (c.session)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_null (strstr (kept, DESK_DEMO_PASSWORD));
  g_assert_true (g_str_has_prefix (kept, desk_store_get_clinic_uuid (c.store)));

  /* The next change within the grace period needs no password. */
  later = desk_reauth_new (c.session, 300, TIMEOUT_MS);
  g_assert_true (reauth_check (later));
  g_assert_true (desk_session_require_reauth (c.session, NULL));

  /* "Always ask" never looks. */
  always = desk_reauth_new (c.session, 0, TIMEOUT_MS);
  g_assert_false (reauth_check (always));

  /* After the grace period the keyring's copy is worth nothing. */
  desk_store_set_now (c.store, DESK_TEST_NOW + 301);
  g_assert_false (reauth_check (later));
  g_assert_false (desk_session_require_reauth (c.session, NULL));
  desk_store_set_now (c.store, DESK_TEST_NOW + 100);
  g_assert_true (reauth_check (later));

  /* Signed out: revoked in the database, whatever the keyring still has. */
  desk_session_sign_out (c.session);
  g_assert_false (reauth_check (later));

  /* Forgetting clears the keyring. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *gone = NULL;

    desk_reauth_forget_async (later, NULL, desk_test_async_result_cb, &result);
    g_assert_true (desk_reauth_forget_finish (later, wait_for (&result), &error));
    g_assert_no_error (error);
    gone = lookup_token (desk_store_get_clinic_uuid (c.store),
                         desk_member_get_id (desk_session_get_member (c.session)), &error);
    g_assert_null (gone);
    g_clear_error (&error);
  }

  g_clear_object (&reauth);
  g_clear_object (&later);
  g_clear_object (&always);
  clinic_close (&c);
}

/* Without a keyring (or one that does not answer), each change asks for the
 * password, and the password still confirms. */
static void
check_reauth_without_keyring (guint timeout_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskReauth) reauth = NULL;
  Clinic c = { 0 };
  gint64 started;

  clinic_open (&c);
  reauth = desk_reauth_new (c.session, 300, timeout_ms);

  started = g_get_monotonic_time ();
  g_assert_false (reauth_check (reauth));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_true (reauth_confirm (reauth, DESK_DEMO_PASSWORD, &error));
  g_assert_no_error (error);
  /* Confirmed for this change (the token stands in this session), though
   * the keyring could keep nothing for the next session. */
  g_assert_true (desk_session_require_reauth (c.session, NULL));
  g_assert_false (reauth_check (reauth));

  g_clear_object (&reauth);
  clinic_close (&c);
}

static void
test_reauth_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      check_reauth_without_keyring (TIMEOUT_MS);
      return;
    }

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/front-desk-test", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A Secret Service that takes every call and never answers, as a keyring
 * stuck behind an unlock prompt does. */
static GDBusMessage *
swallow_secret_calls (GDBusConnection *connection,
                      GDBusMessage    *message,
                      gboolean         incoming,
                      gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_str_has_prefix (g_dbus_message_get_path (message), "/org/freedesktop/secrets"))
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static void
test_reauth_keyring_timeout (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GDBusConnection) service = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *token = NULL;
      gint64 started;

      g_test_dbus_up (bus);
      service = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                        NULL, NULL, &error);
      g_assert_no_error (error);
      g_dbus_connection_add_filter (service, swallow_secret_calls, NULL, NULL);
      reply = g_dbus_connection_call_sync (service, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "RequestName",
                                           g_variant_new ("(su)", "org.freedesktop.secrets", 4),
                                           G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &error);
      g_assert_no_error (error);

      /* The cache gives up after its timeout... */
      started = g_get_monotonic_time ();
      desk_reauth_cache_lookup_async (CLINIC, 1, 300, NULL, desk_test_async_result_cb, &result);
      token = desk_reauth_cache_lookup_finish (wait_for (&result), &error);
      g_assert_null (token);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
      g_clear_error (&error);

      /* ...and re-authentication asks for the password, which still works. */
      check_reauth_without_keyring (300);

      g_dbus_connection_close_sync (service, NULL, NULL);
      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess ())
    have_keyring = desk_test_start_keyring ();

  g_test_add_func ("/reauth-cache/keyring", test_keyring);
  g_test_add_func ("/reauth-cache/no-keyring", test_no_keyring);
  g_test_add_func ("/reauth/keyring", test_reauth_with_keyring);
  g_test_add_func ("/reauth/no-keyring", test_reauth_no_keyring);
  g_test_add_func ("/reauth/keyring-timeout", test_reauth_keyring_timeout);

  return g_test_run ();
}
