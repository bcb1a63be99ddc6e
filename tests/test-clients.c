/* test-clients.c: a client's status, portal access, invitations, sharing and what they see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-client-action.h"
#include "desk-client-change.h"
#include "desk-client.h"
#include "desk-demo.h"
#include "desk-portal.h"
#include "desk-records.h"
#include "desk-session.h"
#include "desk-sign-in.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

#define DAY (24 * 60 * 60)
#define PORTAL_PASSWORD "a long portal password"
#define REFUSED "We couldn’t sign you in. Check that your email address is correct, or contact your provider."

typedef struct
{
  DeskTestDir *dir;
  char        *path;
  DeskStore   *store;
  DeskSession *session;       /* the demo administrator */
  gint64       client;        /* a client never invited, with an email address */
  char        *email;
  gint64       document;      /* one of the client's documents, not shared */
} Fixture;

static gint64
count (Fixture    *f,
       const char *sql)
{
  return desk_test_count (f->store, "%s", sql);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;

  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 60, 8);
  f->session = desk_session_sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (f->store),
                                       "SELECT id, email FROM clients WHERE status = 'active'"
                                       " AND portal_access = 'disabled' AND portal_invitation = 'none'"
                                       " AND email <> '' ORDER BY id LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  f->client = sqlite3_column_int64 (stmt, 0);
  f->email = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);

  sql = g_strdup_printf ("INSERT INTO documents (id, client_id, title, kind, created_at)"
                         " VALUES (9001, %" G_GINT64_FORMAT ", 'Discharge summary', 'file', 0)",
                         f->client);
  desk_test_exec (f->store, sql);
  f->document = 9001;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  desk_test_wait_for_workers (f->session, 1);
  desk_test_wait_for_workers (f->store, 2);
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->store);
  g_free (f->email);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

static DeskPortalState
state (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DeskPortalStatus status;

  g_assert_true (desk_portal_get_status (f->store, f->client, &status, &error));
  g_assert_no_error (error);
  return status.state;
}

static char *
enable (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  char *token = NULL;

  g_assert_true (desk_portal_enable (f->session, f->client, &token, &error));
  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

static void
accept (Fixture    *f,
        const char *token,
        const char *password)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (desk_portal_accept_invitation (f->store, token, password, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, f->client);
}

static void
assert_signs_in (Fixture    *f,
                 const char *email,
                 const char *password)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (desk_portal_sign_in (f->store, email, password, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, f->client);
}

static void
assert_refused (Fixture    *f,
                const char *email,
                const char *password)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_false (desk_portal_sign_in (f->store, email, password, &id, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_SIGN_IN_REFUSED);
  g_assert_cmpstr (error->message, ==, REFUSED);
  g_assert_cmpint (id, ==, 0);
}

/* A member whose only role carries no permission (the demo's Billing). */
static DeskSession *
sign_in_billing (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash ("billing password", &error);
  g_autofree char *sql = NULL;
  DeskSession *billing;

  sql = g_strdup_printf ("INSERT INTO members (id, username, given_name, family_name, email, kind,"
                         " province, password_hash, created_at) VALUES (9100, 'billy', 'B', 'Illy',"
                         " 'b@x.ca', 'employee', 'ON', '%s', 0);"
                         "INSERT INTO member_roles (member_id, role_id)"
                         " SELECT 9100, id FROM roles WHERE name = 'Billing'", hash);
  desk_test_exec (f->store, sql);
  billing = desk_session_sign_in (f->store, "billy", "billing password", &error);
  g_assert_no_error (error);
  return billing;
}

/* Status */

static void
test_discharge (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DeskClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = enable (f);
  gint64 entries = count (f, "SELECT count (*) FROM audit_log");

  accept (f, token, PORTAL_PASSWORD);

  /* A reason is required. */
  g_assert_false (desk_client_discharge (f->session, f->client, "  ", &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);

  g_assert_true (desk_client_discharge (f->session, f->client, " Moved away ", &error));
  g_assert_no_error (error);
  client = desk_client_load (f->store, f->client, &error);
  g_assert_no_error (error);
  g_assert_false (desk_client_get_is_active (client));
  g_assert_cmpint (desk_client_get_discharged_at (client), ==, DESK_TEST_NOW);
  g_assert_cmpstr (desk_client_get_discharge_reason (client), ==, "Moved away");
  /* Status never changes portal access. */
  g_assert_true (desk_client_get_portal_enabled (client));
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_ACTIVE);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM audit_log WHERE id > %"
                                    G_GINT64_FORMAT " AND action = 'client.discharge'"
                                    " AND target_id = %" G_GINT64_FORMAT
                                    " AND reason = 'Moved away'", entries, f->client), ==, 1);

  /* Twice: refused. */
  g_assert_false (desk_client_discharge (f->session, f->client, "Again", &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_ALREADY_INACTIVE);
  g_clear_error (&error);

  /* An inactive client with access still signs in, and sees a document
   * shared after the discharge. */
  assert_signs_in (f, f->email, PORTAL_PASSWORD);
  g_assert_true (desk_client_share_document (f->session, f->client, f->document, &error));
  g_assert_no_error (error);
  {
    DeskPortalPreview preview;

    g_assert_true (desk_portal_preview (f->store, f->client, &preview, &error));
    g_assert_true (preview.can_sign_in);
    g_assert_cmpuint (g_list_model_get_n_items (preview.documents), >=, 1);
    desk_portal_preview_clear (&preview);
  }

  /* Active again; access still as it was. */
  g_assert_true (desk_client_activate (f->session, f->client, "Came back", &error));
  g_assert_no_error (error);
  g_clear_object (&client);
  client = desk_client_load (f->store, f->client, &error);
  g_assert_true (desk_client_get_is_active (client));
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_ACTIVE);
  g_assert_false (desk_client_activate (f->session, f->client, NULL, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_ALREADY_ACTIVE);
  g_clear_error (&error);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM client_status_changes"
                                    " WHERE client_id = %" G_GINT64_FORMAT, f->client), ==, 2);

  /* No such client. */
  g_assert_false (desk_client_discharge (f->session, 999999, "x", &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
}

static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) billing = sign_in_billing (f);
  gint64 before = count (f, "SELECT count (*) FROM audit_log");

  g_assert_false (desk_client_discharge (billing, f->client, "x", &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (desk_portal_enable (billing, f->client, NULL, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (desk_client_share_document (billing, f->client, f->document, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (desk_portal_set_invitation_lifetime (billing, 10, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log"), ==, before);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_NOT_INVITED);
}

/* Portal access */

static void
test_invitation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *second = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  DeskPortalStatus status;
  gsize length;

  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_NOT_INVITED);
  token = enable (f);
  g_assert_true (desk_portal_get_status (f->store, f->client, &status, &error));
  g_assert_cmpint (status.state, ==, DESK_PORTAL_STATE_INVITED);
  /* 7 days by default. */
  g_assert_cmpint (status.invited_until, ==, DESK_TEST_NOW + 7 * DAY);
  g_assert_cmpint (status.resend_after, ==, DESK_TEST_NOW + 5 * 60);
  text = desk_portal_status_describe (&status);
  g_assert_true (g_str_has_prefix (text, "Invited until "));

  /* Twice: refused. */
  g_assert_false (desk_portal_enable (f->session, f->client, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_ALREADY_ENABLED);
  g_clear_error (&error);

  /* Only the token's hash is kept: someone with the file does not find it. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, token));
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM portal_invitations"
                                    " WHERE client_id = %" G_GINT64_FORMAT
                                    " AND length (token_hash) = 32", f->client), ==, 1);

  /* Resending: not within 5 minutes of the last; then a new token that
   * voids the first. */
  desk_store_set_now (f->store, DESK_TEST_NOW + 4 * 60 + 59);
  g_assert_false (desk_portal_resend (f->session, f->client, &second, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_RESEND_TOO_SOON);
  g_assert_null (second);
  g_clear_error (&error);
  desk_store_set_now (f->store, DESK_TEST_NOW + 5 * 60);
  g_assert_true (desk_portal_resend (f->session, f->client, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (second, !=, token);

  /* The voided one is refused, the new one accepted, and only once. */
  g_assert_false (desk_portal_accept_invitation (f->store, token, PORTAL_PASSWORD, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVITATION_INVALID);
  g_clear_error (&error);
  /* A short password: refused, the invitation still good. */
  g_assert_false (desk_portal_accept_invitation (f->store, second, "short", NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_WEAK_PASSWORD);
  g_clear_error (&error);
  accept (f, second, PORTAL_PASSWORD);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_ACTIVE);
  g_assert_false (desk_portal_accept_invitation (f->store, second, PORTAL_PASSWORD, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVITATION_INVALID);
  g_clear_error (&error);
  /* Nothing to resend once accepted. */
  desk_store_set_now (f->store, DESK_TEST_NOW + 60 * 60);
  g_assert_false (desk_portal_resend (f->session, f->client, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_NOT_INVITED);
  g_clear_error (&error);
  /* A token that was never issued. */
  g_assert_false (desk_portal_accept_invitation (f->store, "not-a-token", PORTAL_PASSWORD, NULL,
                                                 &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVITATION_INVALID);
}

static void
test_invitation_expires (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *message = NULL;
  DeskPortalStatus status;

  /* The clinic's lifetime: 1 to 30 days. */
  g_assert_false (desk_portal_set_invitation_lifetime (f->session, 0, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVALID_LIFETIME);
  g_clear_error (&error);
  g_assert_false (desk_portal_set_invitation_lifetime (f->session, 31, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVALID_LIFETIME);
  g_clear_error (&error);
  g_assert_true (desk_portal_set_invitation_lifetime (f->session, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (desk_portal_get_invitation_lifetime (f->store, &error), ==, 2);
  /* Even behind the model's back, the file refuses 31. */
  g_assert_false (_desk_db_exec (_desk_store_get_db (f->store),
                                 "UPDATE clinic SET invitation_lifetime_days = 31", &error));
  g_clear_error (&error);

  token = enable (f);
  g_assert_true (desk_portal_get_status (f->store, f->client, &status, &error));
  g_assert_cmpint (status.invited_until, ==, DESK_TEST_NOW + 2 * DAY);

  desk_store_set_now (f->store, DESK_TEST_NOW + 2 * DAY);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_INVITATION_EXPIRED);
  g_assert_false (desk_portal_accept_invitation (f->store, token, PORTAL_PASSWORD, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_INVITATION_INVALID);
  message = g_strdup (error->message);
  g_clear_error (&error);

  /* Used, voided, expired, unknown: the same answer. */
  g_assert_false (desk_portal_accept_invitation (f->store, "unknown", PORTAL_PASSWORD, NULL, &error));
  g_assert_cmpstr (error->message, ==, message);
}

/* Disabling, re-enabling, and the old password. */
static void
test_disable (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = enable (f);
  g_autofree char *again = NULL;
  g_autofree char *upper = g_ascii_strup (f->email, -1);
  gint64 documents;

  accept (f, token, PORTAL_PASSWORD);
  /* The email as typed, in any case, with spaces around. */
  {
    g_autofree char *spaced = g_strdup_printf ("  %s ", upper);

    assert_signs_in (f, spaced, PORTAL_PASSWORD);
  }

  g_assert_true (desk_client_share_document (f->session, f->client, f->document, &error));
  documents = count (f, "SELECT count (*) FROM document_shares");
  g_assert_true (desk_portal_disable (f->session, f->client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_DISABLED);
  assert_refused (f, f->email, PORTAL_PASSWORD);
  /* Everything kept. */
  g_assert_cmpint (count (f, "SELECT count (*) FROM document_shares"), ==, documents);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM portal_credentials"
                                    " WHERE client_id = %" G_GINT64_FORMAT, f->client), ==, 1);
  g_assert_false (desk_portal_disable (f->session, f->client, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_ALREADY_DISABLED);
  g_clear_error (&error);
  /* Disabling never changes the status. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM clients WHERE id = %"
                                    G_GINT64_FORMAT " AND status = 'active'", f->client), ==, 1);

  /* Enabled again: a new invitation, and the old password still refused
   * until it is accepted. */
  desk_store_set_now (f->store, DESK_TEST_NOW + 10 * 60);
  again = enable (f);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_INVITED);
  assert_refused (f, f->email, PORTAL_PASSWORD);
  accept (f, again, "a brand new password");
  assert_refused (f, f->email, PORTAL_PASSWORD);
  /* Three failures in a row: the next waits a second (the limit). */
  desk_store_set_now (f->store, DESK_TEST_NOW + 10 * 60 + 2);
  assert_signs_in (f, f->email, "a brand new password");
}

/* The three refusals: the same words. */
static void
test_same_refusal (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = enable (f);

  accept (f, token, PORTAL_PASSWORD);
  assert_refused (f, f->email, "wrong password");
  assert_refused (f, "nobody@example.com", PORTAL_PASSWORD);
  g_assert_true (desk_portal_disable (f->session, f->client, &error));
  assert_refused (f, f->email, PORTAL_PASSWORD);
  /* And the demo's clients who accepted sign in with the demo password. */
  {
    sqlite3_stmt *stmt = NULL;
    g_autofree char *email = NULL;
    gint64 id = 0, signed_in = 0;

    g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (f->store),
                                         "SELECT p.client_id, p.email FROM portal_credentials p"
                                         " JOIN clients c ON c.id = p.client_id"
                                         " WHERE c.portal_access = 'enabled'"
                                         " AND (SELECT count (*) FROM portal_credentials q"
                                         "  WHERE q.email = p.email) = 1 LIMIT 1",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    id = sqlite3_column_int64 (stmt, 0);
    email = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    sqlite3_finalize (stmt);
    g_assert_true (desk_portal_sign_in (f->store, email, DESK_DEMO_PORTAL_PASSWORD, &signed_in,
                                        &error));
    g_assert_no_error (error);
    g_assert_cmpint (signed_in, ==, id);
  }
}

/* Failed portal sign-ins are limited per address, known or not. */
static void
test_sign_in_limit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = enable (f);

  accept (f, token, PORTAL_PASSWORD);
  for (guint i = 0; i < 3; i++)
    assert_refused (f, f->email, "wrong");
  /* The 4th comes too soon: refused without checking, the right password too. */
  g_assert_false (desk_portal_sign_in (f->store, f->email, PORTAL_PASSWORD, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_TOO_MANY_ATTEMPTS);
  g_clear_error (&error);
  /* An unknown address is limited the same way: the limit tells nothing. */
  for (guint i = 0; i < 3; i++)
    assert_refused (f, "nobody@example.com", "wrong");
  g_assert_false (desk_portal_sign_in (f->store, "nobody@example.com", "wrong", NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_TOO_MANY_ATTEMPTS);
  g_clear_error (&error);
  /* After the wait, the right password goes through. */
  desk_store_set_now (f->store, DESK_TEST_NOW + 2);
  assert_signs_in (f, f->email, PORTAL_PASSWORD);
  g_assert_cmpint (count (f, "SELECT count (*) FROM portal_sign_in_attempts WHERE succeeded = 1"),
                   ==, 1);
}

/* Documents */

static void
test_sharing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 other;

  g_assert_true (desk_client_discharge (f->session, f->client, "Moved", &error));
  g_assert_true (desk_client_share_document (f->session, f->client, f->document, &error));
  g_assert_no_error (error);
  /* Sharing never changes the status, nor access. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM clients WHERE id = %"
                                    G_GINT64_FORMAT " AND status = 'inactive'"
                                    " AND portal_access = 'disabled'", f->client), ==, 1);
  g_assert_false (desk_client_share_document (f->session, f->client, f->document, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_ALREADY_SHARED);
  g_clear_error (&error);
  g_assert_true (desk_client_unshare_document (f->session, f->client, f->document, &error));
  g_assert_no_error (error);
  g_assert_false (desk_client_unshare_document (f->session, f->client, f->document, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_NOT_SHARED);
  g_clear_error (&error);
  /* Nothing deleted: the share stays, marked. */
  g_assert_cmpint (count (f, "SELECT count (*) FROM document_shares WHERE document_id = 9001"
                             " AND unshared_at IS NOT NULL"), ==, 1);
  g_assert_true (desk_client_share_document (f->session, f->client, f->document, &error));
  g_assert_cmpint (count (f, "SELECT count (*) FROM document_shares WHERE document_id = 9001"),
                   ==, 2);

  /* Another client's document cannot be shared with this one. */
  other = count (f, "SELECT id FROM documents WHERE id <> 9001 LIMIT 1");
  g_assert_false (desk_client_share_document (f->session, f->client, other, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_NOT_THEIR_DOCUMENT);
  g_clear_error (&error);
  (void) sql;
}

/* What the client sees */

static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *token = NULL;
  DeskPortalPreview preview;

  sql = g_strdup_printf ("INSERT INTO appointments (client_id, practitioner_id, starts_at,"
                         " duration_minutes) VALUES (%1$" G_GINT64_FORMAT ", 1, %2$" G_GINT64_FORMAT
                         " + 86400, 30);"
                         "INSERT INTO qnaire_sends (title, client_id, practitioner_id, sent_at, status)"
                         " VALUES ('PHQ-9', %1$" G_GINT64_FORMAT ", 1, 0, 'sent'),"
                         " ('Done one', %1$" G_GINT64_FORMAT ", 1, 0, 'completed')",
                         f->client, DESK_TEST_NOW);
  desk_test_exec (f->store, sql);

  g_assert_true (desk_portal_preview (f->store, f->client, &preview, &error));
  g_assert_no_error (error);
  g_assert_false (preview.can_sign_in);
  g_assert_cmpstr (preview.why_not, ==, "They have never been invited to the portal.");
  desk_portal_preview_clear (&preview);

  token = enable (f);
  g_assert_true (desk_portal_preview (f->store, f->client, &preview, &error));
  g_assert_cmpstr (preview.why_not, ==, "They have not accepted their invitation yet.");
  desk_portal_preview_clear (&preview);

  accept (f, token, PORTAL_PASSWORD);
  g_assert_true (desk_client_share_document (f->session, f->client, f->document, &error));
  g_assert_true (desk_portal_preview (f->store, f->client, &preview, &error));
  g_assert_true (preview.can_sign_in);
  g_assert_null (preview.why_not);
  {
    g_autoptr(DeskDocument) document = g_list_model_get_item (preview.documents, 0);

    g_assert_cmpstr (desk_document_get_title (document), ==, "Discharge summary");
  }
  g_assert_cmpuint (g_list_model_get_n_items (preview.appointments), >=, 1);
  g_assert_cmpuint (g_strv_length (preview.pending_qnaires), >=, 1);
  g_assert_true (g_strv_contains ((const char * const *) preview.pending_qnaires, "PHQ-9"));
  g_assert_false (g_strv_contains ((const char * const *) preview.pending_qnaires, "Done one"));
  desk_portal_preview_clear (&preview);

  g_assert_true (desk_portal_disable (f->session, f->client, &error));
  g_assert_true (desk_portal_preview (f->store, f->client, &preview, &error));
  g_assert_false (preview.can_sign_in);
  g_assert_cmpstr (preview.why_not, ==, "Their portal access is turned off.");
  desk_portal_preview_clear (&preview);
}

/* In bulk: all or nothing. */
static void
test_bulk (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[4];
  guint changed = 0, unchanged = 0;
  gint64 inactive = count (f, "SELECT count (*) FROM clients WHERE status = 'inactive'");
  gint64 enabled;

  ids[0] = count (f, "SELECT id FROM clients WHERE status = 'active' ORDER BY id LIMIT 1");
  ids[1] = count (f, "SELECT id FROM clients WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 1");
  ids[2] = count (f, "SELECT id FROM clients WHERE status = 'inactive' ORDER BY id LIMIT 1");
  ids[3] = 999999;

  /* One that does not exist: nothing at all. */
  g_assert_false (desk_client_discharge_many (f->session, ids, 4, "Clinic closed", &changed,
                                              &unchanged, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count (*) FROM clients WHERE status = 'inactive'"), ==, inactive);

  g_assert_false (desk_client_discharge_many (f->session, ids, 0, "x", NULL, NULL, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_EMPTY_SELECTION);
  g_clear_error (&error);

  g_assert_true (desk_client_discharge_many (f->session, ids, 3, "Clinic closed", &changed,
                                             &unchanged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (unchanged, ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM clients WHERE status = 'inactive'"), ==,
                   inactive + 2);

  /* Asynchronously, on a worker. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 more[1];

    more[0] = count (f, "SELECT id FROM clients WHERE status = 'active' ORDER BY id LIMIT 1");
    desk_client_discharge_many_async (f->session, more, 1, "Moved", NULL,
                                      desk_test_async_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (desk_client_discharge_many_finish (f->session, result, &changed, &unchanged,
                                                      &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changed, ==, 1);
    g_clear_object (&result);
    for (guint i = 0; i < 2000 && G_OBJECT (f->session)->ref_count > 1; i++)
      g_usleep (1000);
  }

  /* Disabling portal access in bulk asks for the password again. */
  enabled = count (f, "SELECT count (*) FROM clients WHERE portal_access = 'enabled'");
  ids[0] = count (f, "SELECT id FROM clients WHERE portal_access = 'enabled' ORDER BY id LIMIT 1");
  ids[1] = count (f, "SELECT id FROM clients WHERE portal_access = 'disabled' ORDER BY id LIMIT 1");
  g_assert_false (desk_portal_disable_many (f->session, ids, 0, NULL, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_EMPTY_SELECTION);
  g_clear_error (&error);
  g_assert_false (desk_portal_disable_many (f->session, ids, 2, &changed, &unchanged, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);
  g_assert_true (desk_session_reauthenticate (f->session, DESK_DEMO_PASSWORD, &error));
  g_assert_true (desk_portal_disable_many (f->session, ids, 2, &changed, &unchanged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (unchanged, ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM clients WHERE portal_access = 'enabled'"), ==,
                   enabled - 1);
}

/* The client page's actions, on the change path's worker */

static gboolean
run_action (Fixture                *f,
            DeskSession            *session,
            DeskClientAction        action,
            DeskClientActionFlags   flags,
            gint64                  document_id,
            const char             *reason,
            GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  desk_client_action_run_async (session, f->client, action, flags, document_id, reason, NULL,
                                desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return desk_client_action_run_finish (session, result, error);
}

static DeskDocument *
find_document (GListModel *documents,
               gint64      id)
{
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(DeskDocument) item = g_list_model_get_item (documents, i);

      if (desk_document_get_id (item) == id)
        return g_steal_pointer (&item);
    }
  g_assert_not_reached ();
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(DeskDocument) document = NULL;
  gint64 entries = count (f, "SELECT count (*) FROM audit_log");

  /* Enabling, then resending at once: refused in the portal's words. */
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_PORTAL_ENABLE, 0, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_INVITED);
  g_assert_false (run_action (f, f->session, DESK_CLIENT_ACTION_PORTAL_RESEND, 0, 0, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_RESEND_TOO_SOON);
  g_clear_error (&error);
  /* The front desk's action stores the token's hash only, like the rest. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM portal_invitations"
                                    " WHERE client_id = %" G_GINT64_FORMAT
                                    " AND length (token_hash) = 32", f->client), ==, 1);

  /* A reason is required, checked on the worker too. */
  g_assert_false (run_action (f, f->session, DESK_CLIENT_ACTION_DISCHARGE,
                              DESK_CLIENT_ACTION_ALSO_PORTAL_OFF, 0, " ", &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_INVITED);

  /* Discharging leaves access alone unless asked... */
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_DISCHARGE, 0, 0, "Moved", &error));
  g_assert_no_error (error);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_INVITED);
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_ACTIVATE, 0, 0, NULL, &error));
  g_assert_no_error (error);

  /* ...and when asked, turns it off in the same change: two entries. */
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_DISCHARGE,
                             DESK_CLIENT_ACTION_ALSO_PORTAL_OFF, 0, "Moved away", &error));
  g_assert_no_error (error);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_DISABLED);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM clients WHERE id = %"
                                    G_GINT64_FORMAT " AND status = 'inactive'"
                                    " AND discharge_reason = 'Moved away'", f->client), ==, 1);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM audit_log WHERE id > %"
                                    G_GINT64_FORMAT " AND target_id = %" G_GINT64_FORMAT
                                    " AND action IN ('client.discharge', 'portal.disable')",
                                    entries, f->client), ==, 3);

  /* All or nothing: discharging an inactive client with "portal off"
   * fails whole, and access turned on again in between stays on. */
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_PORTAL_ENABLE, 0, 0, NULL, &error));
  g_assert_no_error (error);
  entries = count (f, "SELECT count (*) FROM audit_log");
  g_assert_false (run_action (f, f->session, DESK_CLIENT_ACTION_DISCHARGE,
                              DESK_CLIENT_ACTION_ALSO_PORTAL_OFF, 0, "Again", &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_ALREADY_INACTIVE);
  g_clear_error (&error);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_INVITED);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log"), ==, entries);

  /* Disabling twice: the second is refused. */
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_PORTAL_DISABLE, 0, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (run_action (f, f->session, DESK_CLIENT_ACTION_PORTAL_DISABLE, 0, 0, NULL, &error));
  g_assert_error (error, DESK_PORTAL_ERROR, DESK_PORTAL_ERROR_ALREADY_DISABLED);
  g_clear_error (&error);

  /* Sharing and unsharing, whatever the status; the record's documents
   * list says which are shared. */
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_SHARE, 0, f->document, NULL, &error));
  g_assert_no_error (error);
  documents = desk_client_list_record_documents (f->store, f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==,
                    count (f, "SELECT count (*) FROM documents WHERE client_id ="
                              " (SELECT client_id FROM documents WHERE id = 9001)"));
  document = find_document (documents, f->document);
  g_assert_cmpint (desk_document_get_shared_at (document), ==, DESK_TEST_NOW);
  g_assert_true (run_action (f, f->session, DESK_CLIENT_ACTION_UNSHARE, 0, f->document, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&documents);
  g_clear_object (&document);
  documents = desk_client_list_record_documents (f->store, f->client, &error);
  g_assert_no_error (error);
  document = find_document (documents, f->document);
  g_assert_cmpint (desk_document_get_shared_at (document), ==, 0);
  g_assert_false (run_action (f, f->session, DESK_CLIENT_ACTION_UNSHARE, 0, f->document, NULL, &error));
  g_assert_error (error, DESK_CLIENT_CHANGE_ERROR, DESK_CLIENT_CHANGE_ERROR_NOT_SHARED);
  g_clear_error (&error);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM clients WHERE id = %"
                                    G_GINT64_FORMAT " AND status = 'inactive'", f->client), ==, 1);
}

static void
test_actions_permission (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) billing = sign_in_billing (f);
  gint64 before;

  before = count (f, "SELECT count (*) FROM audit_log");

  for (DeskClientAction action = DESK_CLIENT_ACTION_DISCHARGE;
       action <= DESK_CLIENT_ACTION_UNSHARE; action++)
    {
      g_assert_false (run_action (f, billing, action, DESK_CLIENT_ACTION_ALSO_PORTAL_OFF,
                                  f->document, "Moved", &error));
      g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
    }
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log"), ==, before);
  g_assert_cmpint (state (f), ==, DESK_PORTAL_STATE_NOT_INVITED);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM clients WHERE id = %"
                                    G_GINT64_FORMAT " AND status = 'active'", f->client), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/clients/discharge", test_discharge);
  ADD ("/clients/permission", test_permission);
  ADD ("/clients/portal/invitation", test_invitation);
  ADD ("/clients/portal/invitation-expires", test_invitation_expires);
  ADD ("/clients/portal/disable", test_disable);
  ADD ("/clients/portal/same-refusal", test_same_refusal);
  ADD ("/clients/portal/sign-in-limit", test_sign_in_limit);
  ADD ("/clients/sharing", test_sharing);
  ADD ("/clients/preview", test_preview);
  ADD ("/clients/bulk", test_bulk);
  ADD ("/clients/actions", test_actions);
  ADD ("/clients/actions/permission", test_actions_permission);

  return g_test_run ();
}
