/* test-clients-bulk.c: discharging, reactivating and turning portal access off for many clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bulk changes run on the change path's worker (the _async forms the
 * clients view calls): refused before anything is written without the
 * permission or (portal access) a confirmed password; one change, all or
 * nothing; exactly the clients asked for; one audit entry each; the
 * store's "changed" signal on the calling thread once it is done.
 */
#include "config.h"

#include "desk-changes.h"
#include "desk-client-change.h"
#include "desk-demo.h"
#include "desk-portal.h"
#include "desk-session.h"
#include "desk-sign-in.h"
#include "desk-test-util.h"

typedef struct
{
  DeskTestDir *dir;
  char        *path;
  DeskStore   *store;
  DeskSession *session;       /* the demo administrator */
  guint        changed_signals;
  guint        changed_kinds;
} Fixture;

static gint64
count (Fixture    *f,
       const char *sql)
{
  return desk_test_count (f->store, "%s", sql);
}

static void
on_store_changed (DeskStore   *store,
                  DeskChanges *changes,
                  Fixture     *f)
{
  f->changed_signals++;
  f->changed_kinds |= desk_changes_get_kinds (changes);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 300, 21);
  f->session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);
  g_signal_connect (f->store, "changed", G_CALLBACK (on_store_changed), f);
}

/* The worker's task lets go of the session a moment after it answered. */
static void
wait_for_workers (Fixture *f)
{
  for (guint i = 0; i < 5000 && G_OBJECT (f->session)->ref_count > 1; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (G_OBJECT (f->session)->ref_count, ==, 1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wait_for_workers (f);
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->store);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

/* The ids a query gives, in its order. */
static GArray *
ids_of (Fixture    *f,
        const char *sql)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (f->store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  return ids;
}

/* A fingerprint of every client's status and portal access, and of the
 * tables a bulk change writes: equal before and after a refused change. */
static char *
fingerprint (Fixture *f)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                          "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                          count (f, "SELECT total (id * (status = 'active') * 3"
                                    " + id * (portal_access = 'enabled') * 7) FROM clients"),
                          count (f, "SELECT count (*) FROM clients WHERE discharged_at IS NOT NULL"),
                          count (f, "SELECT count (*) FROM client_status_changes"),
                          count (f, "SELECT count (*) FROM portal_invitations"
                                    " WHERE revoked_at IS NOT NULL"),
                          count (f, "SELECT count (*) FROM audit_log WHERE action LIKE 'client.%'"
                                    " OR action LIKE 'portal.%'"),
                          count (f, "SELECT count (*) FROM clients WHERE discharge_reason"
                                    " IS NOT NULL"));
}

typedef enum
{
  DISCHARGE,
  ACTIVATE,
  DISABLE,
} Bulk;

/* Runs one bulk change through its _async form and waits for it. */
static gboolean
run (Fixture       *f,
     DeskSession   *session,
     Bulk           bulk,
     GArray        *ids,
     const char    *reason,
     GCancellable  *cancellable,
     guint         *changed,
     guint         *unchanged,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  const gint64 *data = ids != NULL ? (const gint64 *) (gpointer) ids->data : NULL;
  guint n = ids != NULL ? ids->len : 0;
  gboolean ok;

  if (bulk == DISCHARGE)
    desk_client_discharge_many_async (session, data, n, reason, cancellable,
                                      desk_test_async_result_cb, &result);
  else if (bulk == ACTIVATE)
    desk_client_activate_many_async (session, data, n, reason, cancellable,
                                     desk_test_async_result_cb, &result);
  else
    desk_portal_disable_many_async (session, data, n, cancellable, desk_test_async_result_cb,
                                    &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (bulk == DISCHARGE)
    ok = desk_client_discharge_many_finish (session, result, changed, unchanged, error);
  else if (bulk == ACTIVATE)
    ok = desk_client_activate_many_finish (session, result, changed, unchanged, error);
  else
    ok = desk_portal_disable_many_finish (session, result, changed, unchanged, error);
  return ok;
}

static void
confirm_password (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_session_reauthenticate (f->session, DESK_DEMO_PASSWORD, &error));
  g_assert_no_error (error);
}

/* Turning portal access off for many clients, on the worker. */
static void
test_disable_async (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  /* Those with an invitation waiting first. */
  g_autoptr(GArray) on = ids_of (f, "SELECT id FROM clients WHERE portal_access = 'enabled'"
                                    " ORDER BY portal_invitation = 'pending' DESC, id");
  g_autoptr(GArray) off = ids_of (f, "SELECT id FROM clients WHERE portal_access = 'disabled'"
                                     " ORDER BY id LIMIT 3");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *sql = NULL;
  gint64 pending, audit;
  guint changed = 0, unchanged = 0;

  /* Some clients with access on, among them one with an invitation waiting. */
  g_assert_cmpuint (on->len, >=, 20);
  g_assert_cmpuint (off->len, ==, 3);
  pending = count (f, "SELECT count (*) FROM portal_invitations i JOIN clients c"
                      " ON c.id = i.client_id WHERE c.portal_access = 'enabled'"
                      " AND i.revoked_at IS NULL AND i.accepted_at IS NULL");
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM portal_invitations"
                                              " WHERE client_id = %" G_GINT64_FORMAT
                                              " AND revoked_at IS NULL AND accepted_at IS NULL",
                                    g_array_index (on, gint64, 0)), ==, 1);
  g_array_append_vals (ids, on->data, 12);
  g_array_append_vals (ids, off->data, 3);

  /* Without a confirmed password: refused at once, nothing written. */
  before = fingerprint (f);
  g_assert_false (run (f, f->session, DISABLE, ids, NULL, NULL, &changed, &unchanged, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (f->changed_signals, ==, 0);

  /* No client at all. */
  g_assert_false (run (f, f->session, DISABLE, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_EMPTY_SELECTION);
  g_assert_cmpstr (error->message, ==, "No client is selected.");
  g_clear_error (&error);

  /* One that does not exist, last of the 15: none of the 15 change. */
  confirm_password (f);
  {
    gint64 missing = 999999;

    g_array_append_val (ids, missing);
    g_assert_false (run (f, f->session, DISABLE, ids, NULL, NULL, &changed, &unchanged, &error));
    g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
    g_clear_error (&error);
    g_array_set_size (ids, 15);
  }
  g_free (after);
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (f->changed_signals, ==, 0);

  /* The confirmation was used by the refused change: asked again. */
  g_assert_false (run (f, f->session, DISABLE, ids, NULL, NULL, &changed, &unchanged, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);

  /* Cancelled before the worker began: nothing. */
  confirm_password (f);
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (run (f, f->session, DISABLE, ids, NULL, cancellable, &changed, &unchanged,
                         &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_free (after);
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);

  /* Confirmed: the 12 with access lose it, the 3 without are counted. */
  audit = count (f, "SELECT count (*) FROM audit_log WHERE action = 'portal.disable'");
  confirm_password (f);
  g_assert_true (run (f, f->session, DISABLE, ids, NULL, NULL, &changed, &unchanged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 12);
  g_assert_cmpuint (unchanged, ==, 3);
  g_assert_cmpuint (f->changed_signals, ==, 1);
  g_assert_true ((f->changed_kinds & DESK_RECORD_CLIENT) != 0);
  for (guint i = 0; i < on->len; i++)
    {
      gint64 id = g_array_index (on, gint64, i);

      g_assert_cmpint (desk_test_count (f->store, "SELECT portal_access = 'enabled' FROM clients"
                                                  " WHERE id = %" G_GINT64_FORMAT, id),
                       ==, i < 12 ? 0 : 1);
    }
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log WHERE action = 'portal.disable'"),
                   ==, audit + 12);
  /* Their invitations waiting are void; status untouched. */
  sql = g_strdup_printf ("SELECT count (*) FROM portal_invitations i JOIN clients c"
                         " ON c.id = i.client_id WHERE c.portal_access = 'enabled'"
                         " AND i.revoked_at IS NULL AND i.accepted_at IS NULL");
  g_assert_cmpint (count (f, sql), <=, pending);
  g_assert_cmpint (count (f, "SELECT count (*) FROM portal_invitations i JOIN clients c"
                             " ON c.id = i.client_id WHERE c.portal_access = 'disabled'"
                             " AND i.revoked_at IS NULL AND i.accepted_at IS NULL"), ==, 0);

  /* All already off: on record as asked, nothing changed. */
  confirm_password (f);
  g_array_set_size (ids, 12);
  g_assert_true (run (f, f->session, DISABLE, ids, NULL, NULL, &changed, &unchanged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpuint (unchanged, ==, 12);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log WHERE action = 'portal.disable-none'"),
                   ==, 1);
}

/* A member without "manage clients" changes nothing in bulk, whatever the
 * password. */
static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) billing = NULL;
  g_autoptr(GArray) ids = ids_of (f, "SELECT id FROM clients ORDER BY id LIMIT 40");
  g_autofree char *hash = desk_password_hash ("billing password", &error);
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* A member whose only role carries no permission (the demo's Billing). */
  sql = g_strdup_printf ("INSERT INTO members (id, username, given_name, family_name, email, kind,"
                         " province, password_hash, created_at) VALUES (9100, 'billy', 'B', 'Illy',"
                         " 'b@x.ca', 'employee', 'ON', '%s', 0);"
                         "INSERT INTO member_roles (member_id, role_id)"
                         " SELECT 9100, id FROM roles WHERE name = 'Billing'", hash);
  desk_test_exec (f->store, sql);
  billing = desk_session_sign_in (f->store, "billy", "billing password", &error);
  g_assert_no_error (error);
  before = fingerprint (f);

  g_assert_false (run (f, billing, DISCHARGE, ids, "Clinic closed", NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==,
                   "You do not have the “manage clients” permission. Ask a clinic administrator.");
  g_clear_error (&error);
  g_assert_false (run (f, billing, ACTIVATE, ids, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (desk_session_reauthenticate (billing, "billing password", &error));
  g_assert_no_error (error);
  g_assert_false (run (f, billing, DISABLE, ids, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (f->changed_signals, ==, 0);

  /* The permission taken away after signing in, from another workstation:
   * the administrator's session is refused too. */
  desk_test_exec (f->store, "DELETE FROM role_permissions WHERE permission = 'manage-clients'");
  g_assert_false (run (f, f->session, DISCHARGE, ids, "Clinic closed", NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_free (after);
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);

  while (G_OBJECT (billing)->ref_count > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Discharging and reactivating many clients: exactly those, with the
 * reason, all or nothing. */
static void
test_discharge_activate (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) active = ids_of (f, "SELECT id FROM clients WHERE status = 'active'"
                                        " ORDER BY id");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 inactive = count (f, "SELECT count (*) FROM clients WHERE status = 'inactive'");
  gint64 portal = count (f, "SELECT total (id * (portal_access = 'enabled')) FROM clients");
  guint changed = 0, unchanged = 0;

  g_assert_cmpuint (active->len, >=, 200);
  /* Every other one of the first 200 active clients. */
  for (guint i = 0; i < 200; i += 2)
    g_array_append_val (ids, g_array_index (active, gint64, i));

  /* A discharge needs its reason. */
  before = fingerprint (f);
  g_assert_false (run (f, f->session, DISCHARGE, ids, "  ", NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (run (f, f->session, DISCHARGE, NULL, "Practice closed in bulk", NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_EMPTY_SELECTION);
  g_clear_error (&error);

  /* A missing client in the middle: none of the 101. */
  {
    gint64 missing = 999999;

    g_array_insert_val (ids, 50, missing);
    g_assert_false (run (f, f->session, DISCHARGE, ids, "Practice closed in bulk", NULL, NULL, NULL, &error));
    g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
    g_clear_error (&error);
    g_array_remove_index (ids, 50);
  }
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (f->changed_signals, ==, 0);

  g_assert_true (run (f, f->session, DISCHARGE, ids, "Practice closed in bulk", NULL, &changed, &unchanged,
                      &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 100);
  g_assert_cmpuint (unchanged, ==, 0);
  g_assert_cmpuint (f->changed_signals, ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM clients WHERE status = 'inactive'"), ==,
                   inactive + 100);
  /* Exactly those: the ones between stay active. */
  for (guint i = 0; i < 200; i++)
    g_assert_cmpint (desk_test_count (f->store, "SELECT status = 'inactive' FROM clients WHERE id = %"
                                                G_GINT64_FORMAT, g_array_index (active, gint64, i)),
                     ==, i % 2 == 0 ? 1 : 0);
  g_assert_cmpint (count (f, "SELECT count (*) FROM clients WHERE discharge_reason = 'Practice closed in bulk'"),
                   ==, 100);
  g_assert_cmpint (count (f, "SELECT count (*) FROM client_status_changes"
                             " WHERE change = 'discharged' AND reason = 'Practice closed in bulk'"), ==, 100);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log WHERE action = 'client.discharge'"
                             " AND reason = 'Practice closed in bulk'"), ==, 100);
  /* Portal access is another thing. */
  g_assert_cmpint (count (f, "SELECT total (id * (portal_access = 'enabled')) FROM clients"), ==,
                   portal);

  /* Back: the same 100 and two that were active all along. */
  g_array_append_val (ids, g_array_index (active, gint64, 1));
  g_array_append_val (ids, g_array_index (active, gint64, 3));
  {
    gint64 missing = 999999;

    g_array_append_val (ids, missing);
    g_free (before);
    before = fingerprint (f);
    g_assert_false (run (f, f->session, ACTIVATE, ids, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
    g_clear_error (&error);
    g_array_set_size (ids, ids->len - 1);
    g_free (after);
    after = fingerprint (f);
    g_assert_cmpstr (after, ==, before);
  }
  g_assert_true (run (f, f->session, ACTIVATE, ids, NULL, NULL, &changed, &unchanged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 100);
  g_assert_cmpuint (unchanged, ==, 2);
  g_assert_cmpint (count (f, "SELECT count (*) FROM clients WHERE status = 'inactive'"), ==,
                   inactive);
  g_assert_cmpint (count (f, "SELECT count (*) FROM clients WHERE discharge_reason = 'Practice closed in bulk'"),
                   ==, 0);
  g_assert_cmpint (count (f, "SELECT count (*) FROM client_status_changes"
                             " WHERE change = 'reactivated'"), ==, 100);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log WHERE action = 'client.activate'"),
                   ==, 100);
  g_assert_cmpint (count (f, "SELECT total (id * (portal_access = 'enabled')) FROM clients"), ==,
                   portal);

  /* The synchronous form, for the command line: the same rules. */
  g_assert_true (desk_client_activate_many (f->session, (const gint64 *) (gpointer) ids->data, 2,
                                            "Back", &changed, &unchanged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpuint (unchanged, ==, 2);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log WHERE action = 'client.activate-none'"
                             " AND reason = 'Back'"), ==, 1);
  g_assert_false (desk_client_activate_many (f->session, NULL, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_EMPTY_SELECTION);
}

/* Many clients, so that the change takes a while on its worker, cancelled
 * while it runs: rolled back whole. */
static void
test_cancel_while_running (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 first = count (f, "SELECT id FROM clients WHERE status = 'active' ORDER BY id LIMIT 1");

  /* The same active client many times over: read each time, changed once
   * (seconds of work); cancelled once the worker is well into it. */
  for (guint i = 0; i < 400000; i++)
    g_array_append_val (ids, first);
  before = fingerprint (f);
  desk_client_discharge_many_async (f->session, (const gint64 *) (gpointer) ids->data, ids->len,
                                    "Practice closed in bulk", cancellable,
                                    desk_test_async_result_cb, &result);
  g_usleep (150 * 1000);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (desk_client_discharge_many_finish (f->session, result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = fingerprint (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (f->changed_signals, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/clients/bulk/disable-async", test_disable_async);
  ADD ("/clients/bulk/permission", test_permission);
  ADD ("/clients/bulk/discharge-activate", test_discharge_activate);
  ADD ("/clients/bulk/cancel-while-running", test_cancel_while_running);

  return g_test_run ();
}
