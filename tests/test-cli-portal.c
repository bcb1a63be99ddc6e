/* test-cli-portal.c: front-desk-admin clients discharge|activate|portal|share|unshare|sees
 * and portal accept-invitation|sign-in, run as a program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test spawns the built binary ($FRONT_DESK_ADMIN) on its own copy of
 * one demo clinic and checks the exit status, the output, and the records
 * read straight from the file with sqlite3: a refusal leaves them as they
 * were.  Passwords and tokens go to the program through a file on its
 * standard input, never a pipe (see test-cli.c).
 *
 * Over 900 lines, one file still: one harness and one demo clinic for
 * commands that test one another (an invitation is what a sign-in needs,
 * a discharge what an activation needs), and the story runs through all.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "desk-demo.h"
#include "desk-sign-in.h"
#include "desk-test-cli.h"
#include "desk-test-util.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

#define PORTAL_PASSWORD "a long portal password"
#define OTHER_PASSWORD  "another portal password"
#define REFUSED "We couldn’t sign you in. Check that your email address is correct, or contact " \
                "your provider."

static char *template_dir;
static char *template_db;

/* The clinic's records, read and written straight in the file, as someone
 * with sqlite3 would */

static char *
clinic_copy (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  char *path = g_build_filename (dir, "clinic.db", NULL);
  gsize length = 0;

  g_file_get_contents (template_db, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, (gssize) length, &error);
  g_assert_no_error (error);
  return path;
}

static sqlite3 *
sql_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static char * G_GNUC_PRINTF (2, 3)
sql_text (const char *path,
          const char *format,
          ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = sql_open (path);
  sqlite3_stmt *stmt = NULL;
  char *text;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text != NULL ? text : g_strdup ("");
}

/* sql_text()'s answer as a number, freed on the way. */
static gint64
text_to_int (char *text)
{
  gint64 n = g_ascii_strtoll (text, NULL, 10);

  g_free (text);
  return n;
}

#define sql_number(path, ...) text_to_int (sql_text (path, __VA_ARGS__))

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = sql_open (path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Every row of what these commands touch, and of the audit log but the members'
 * sign-ins: equal digests, nothing changed. */
static char *
records_digest (const char *path)
{
  static const char *const tables[] = {
    "clients", "client_status_changes", "portal_invitations", "portal_credentials",
    "document_shares", "audit_log",
  };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3 *db = sql_open (path);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      /* Each command's own sign-in (and confirmation) is audited; what it did is the rest. */
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s%s ORDER BY rowid", tables[t],
                                              g_str_equal (tables[t], "audit_log")
                                              ? " WHERE action NOT LIKE 'member.%'" : "");
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          /* A table this clinic's schema does not have. */
          g_test_message ("no table %s: %s", tables[t], sqlite3_errmsg (db));
          continue;
        }
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const guchar *text = sqlite3_column_text (stmt, c);

              g_checksum_update (checksum, text != NULL ? text : (const guchar *) "\x01NULL", -1);
              g_checksum_update (checksum, (const guchar *) "\x1f", 1);
            }
          g_checksum_update (checksum, (const guchar *) "\x1e", 1);
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);

  return g_strdup (g_checksum_get_string (checksum));
}

/* One test's clinic: a copy of the demo, and a client never invited, active,
 * with an email address and one document of their own, not shared. */
typedef struct
{
  DeskTestDir *dir;
  char        *db;
  gint64       client;
  char        *id;          /* the client's number, as typed */
  char        *email;
  char        *document;    /* their document's number, as typed */
} Clinic;

#define DOCUMENT 9001

static void
clinic_set_up (Clinic *c)
{
  g_autofree char *sql = NULL;

  c->dir = desk_test_dir_new ();
  c->db = clinic_copy (c->dir);
  c->client = sql_number (c->db, "SELECT id FROM clients WHERE status = 'active'"
                                 " AND portal_access = 'disabled' AND portal_invitation = 'none'"
                                 " AND email <> '' ORDER BY id LIMIT 1");
  g_assert_cmpint (c->client, >, 0);
  c->id = g_strdup_printf ("%" G_GINT64_FORMAT, c->client);
  c->email = sql_text (c->db, "SELECT email FROM clients WHERE id = %s", c->id);
  sql = g_strdup_printf ("INSERT INTO documents (id, client_id, title, kind, created_at)"
                         " VALUES (%d, %s, 'Discharge summary', 'file', 0)", DOCUMENT, c->id);
  sql_exec (c->db, sql);
  c->document = g_strdup_printf ("%d", DOCUMENT);
}

static void
clinic_tear_down (Clinic *c)
{
  g_free (c->id);
  g_free (c->email);
  g_free (c->document);
  g_free (c->db);
  desk_test_dir_free (c->dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Clinic, clinic_tear_down)

/* The first line of @out, the token the clinic emails. */
static char *
token_of (Result *result)
{
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->err, ==, "");
  /* One line, the token alone. */
  g_assert_true (g_str_has_suffix (result->out, "\n"));
  g_assert_null (strchr (result->out, ' '));
  g_assert_cmpuint (strlen (result->out), >, 20);
  g_assert_cmpuint (strchr (result->out, '\n') - result->out, ==, strlen (result->out) - 1);
  return g_strndup (result->out, strlen (result->out) - 1);
}

static void
accept_invitation (Result     *result,
                   const char *db,
                   const char *token,
                   const char *password)
{
  g_autofree char *input = g_strdup_printf ("%s\n%s\n", token, password);

  run_input_argv (result, input, (const char *[]) { "--database", db, "portal",
                                                    "accept-invitation", NULL });
}

static void
portal_sign_in (Result     *result,
                const char *db,
                const char *email,
                const char *password)
{
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  run_input_argv (result, input, (const char *[]) { "--database", db, "portal", "sign-in",
                                                    "--email", email, NULL });
}

static void
assert_refused (Result *result)
{
  g_assert_cmpint (result->status, ==, EXIT_FAILED);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_cmpstr (result->err, ==, "front-desk-admin: " REFUSED "\n");
}

/* Tests */

static void
test_help (void)
{
  g_auto(Result) result = { 0 };

  run_input_argv (&result, "", (const char *[]) { "--help", NULL });
  g_assert_cmpint (result.status, ==, 0);
  for (guint i = 0; i < 8; i++)
    {
      const char *names[] = { "clients discharge", "clients activate", "clients portal",
                              "clients share", "clients unshare", "clients sees",
                              "portal accept-invitation", "portal sign-in" };

      g_assert_nonnull (strstr (result.out, names[i]));
    }

  run_input_argv (&result, "", (const char *[]) { "portal", NULL });
  assert_failure (&result, EXIT_USAGE, "accept-invitation, sign-in");
}

/* The story a clinic lives: invited, accepts, signs in; discharged and still
 * signs in; disabled and refused; enabled again, where the old password stays
 * refused until the new invitation is accepted. */
static void
test_story (void)
{
  g_auto(Clinic) c = { 0 };
  g_auto(Result) result = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *second = NULL;
  g_autofree char *expected = NULL;

  clinic_set_up (&c);

  run_admin (&result, c.db, "clients", "show", c.id);
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "Not invited"));

  run_admin (&result, c.db, "clients", "portal", "enable", c.id);
  token = token_of (&result);
  /* Only the hash is in the file. */
  g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM portal_invitations"
                                     " WHERE client_id = %s AND instr (token_hash, '%s') = 0",
                               c.id, token), ==, 1);

  run_admin (&result, c.db, "clients", "show", c.id, "--json");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "\"portal_state\":\"invited\""));
  run_admin (&result, c.db, "clients", "show", c.id);
  g_assert_nonnull (strstr (result.out, "Invited until "));

  /* Not signed in before accepting. */
  portal_sign_in (&result, c.db, c.email, PORTAL_PASSWORD);
  assert_refused (&result);

  accept_invitation (&result, c.db, token, PORTAL_PASSWORD);
  assert_success (&result);
  expected = g_strdup_printf ("Invitation accepted: client %s can sign in to the portal with the "
                              "new password.\n", c.id);
  g_assert_cmpstr (result.out, ==, expected);
  g_clear_pointer (&expected, g_free);

  portal_sign_in (&result, c.db, c.email, PORTAL_PASSWORD);
  assert_success (&result);
  expected = g_strdup_printf ("Signed in to the portal as client %s.\n", c.id);
  g_assert_cmpstr (result.out, ==, expected);
  g_clear_pointer (&expected, g_free);

  /* Discharged: status changes, portal access does not. */
  run_admin (&result, c.db, "clients", "discharge", c.id, "--reason", "Moved away");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "1 client discharged. Portal access is unchanged.\n");
  g_assert_cmpint (sql_number (c.db, "SELECT status = 'inactive' AND portal_access = 'enabled'"
                                     " FROM clients WHERE id = %s", c.id), ==, 1);
  portal_sign_in (&result, c.db, c.email, PORTAL_PASSWORD);
  assert_success (&result);
  run_admin (&result, c.db, "clients", "show", c.id);
  g_assert_nonnull (strstr (result.out, "Moved away"));
  g_assert_nonnull (strstr (result.out, "can still sign in"));

  /* A document shared after the discharge is seen. */
  run_admin (&result, c.db, "clients", "share", c.id, c.document);
  assert_success (&result);
  run_admin (&result, c.db, "clients", "sees", c.id, "--json");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "\"can_sign_in\":true"));
  g_assert_nonnull (strstr (result.out, "\"title\":\"Discharge summary\""));

  /* Disabled: refused, everything kept. */
  run_admin (&result, c.db, "clients", "portal", "disable", c.id);
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Portal access disabled for 1 client: they cannot sign in. "
                                   "Their records are kept.\n");
  portal_sign_in (&result, c.db, c.email, PORTAL_PASSWORD);
  assert_refused (&result);
  run_admin (&result, c.db, "clients", "sees", c.id);
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "Cannot sign in to the portal: Their portal access "
                                                "is turned off.\n"));
  g_assert_nonnull (strstr (result.out, "Discharge summary"));
  g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM portal_credentials WHERE client_id = %s",
                               c.id), ==, 1);

  /* Enabled again: a new invitation; the old password is refused until it
   * is accepted, and after. */
  run_admin (&result, c.db, "clients", "portal", "enable", c.id);
  second = token_of (&result);
  g_assert_cmpstr (second, !=, token);
  portal_sign_in (&result, c.db, c.email, PORTAL_PASSWORD);
  assert_refused (&result);
  accept_invitation (&result, c.db, token, OTHER_PASSWORD);
  assert_failure (&result, EXIT_FAILED, "This invitation cannot be used");
  accept_invitation (&result, c.db, second, OTHER_PASSWORD);
  assert_success (&result);
  portal_sign_in (&result, c.db, c.email, OTHER_PASSWORD);
  assert_success (&result);
  /* Used once only. */
  accept_invitation (&result, c.db, second, PORTAL_PASSWORD);
  assert_failure (&result, EXIT_FAILED, "This invitation cannot be used");
  portal_sign_in (&result, c.db, c.email, PORTAL_PASSWORD);
  assert_refused (&result);
}

/* Wrong password, unknown email, disabled access: the same line, the same
 * exit status, nothing on standard output. */
static void
test_sign_in_refusals (void)
{
  g_auto(Clinic) c = { 0 };
  g_auto(Result) result = { 0 };
  g_autofree char *email = NULL;
  g_autofree char *id = NULL;
  g_autofree char *wrong = NULL;

  clinic_set_up (&c);
  /* A demo client who accepted their invitation. */
  id = sql_text (c.db, "SELECT id FROM clients WHERE portal_access = 'enabled'"
                       " AND portal_invitation = 'accepted' ORDER BY id LIMIT 1");
  email = sql_text (c.db, "SELECT email FROM clients WHERE id = %s", id);

  portal_sign_in (&result, c.db, email, DESK_DEMO_PORTAL_PASSWORD);
  assert_success (&result);
  run_input_argv (&result, DESK_DEMO_PORTAL_PASSWORD "\n",
                  (const char *[]) { "--database", c.db, "portal", "sign-in", "--email", email,
                                     "--json", NULL });
  assert_success (&result);
  {
    g_autofree char *expected = g_strdup_printf ("{\"client_id\":%s}\n", id);

    g_assert_cmpstr (result.out, ==, expected);
  }

  portal_sign_in (&result, c.db, email, "not the password");
  assert_refused (&result);
  wrong = g_strdup (result.err);
  portal_sign_in (&result, c.db, "nobody@example.com", DESK_DEMO_PORTAL_PASSWORD);
  assert_refused (&result);
  g_assert_cmpstr (result.err, ==, wrong);

  run_admin (&result, c.db, "clients", "portal", "disable", id);
  assert_success (&result);
  portal_sign_in (&result, c.db, email, DESK_DEMO_PORTAL_PASSWORD);
  assert_refused (&result);
  g_assert_cmpstr (result.err, ==, wrong);

  /* The command line itself. */
  run_input_argv (&result, "", (const char *[]) { "--database", c.db, "portal", "sign-in",
                                                  "--email", email, NULL });
  assert_failure (&result, EXIT_USAGE, "No password on standard input");
  run_input_argv (&result, "x\n", (const char *[]) { "--database", c.db, "portal", "sign-in",
                                                     NULL });
  assert_failure (&result, EXIT_USAGE, "needs --email");
}

static void
test_discharge (void)
{
  g_auto(Clinic) c = { 0 };
  g_auto(Result) result = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *inactive = NULL;
  g_autofree char *expected = NULL;
  gint64 n_inactive;

  clinic_set_up (&c);
  first = sql_text (c.db, "SELECT id FROM clients WHERE status = 'active' AND id <> %s"
                          " ORDER BY id LIMIT 1", c.id);
  second = sql_text (c.db, "SELECT id FROM clients WHERE status = 'active' AND id <> %s"
                           " ORDER BY id LIMIT 1 OFFSET 1", c.id);
  inactive = sql_text (c.db, "SELECT id FROM clients WHERE status = 'inactive' ORDER BY id LIMIT 1");
  n_inactive = sql_number (c.db, "SELECT count (*) FROM clients WHERE status = 'inactive'");
  before = records_digest (c.db);

  /* Refusals change nothing. */
  run_admin (&result, c.db, "clients", "discharge", first);
  assert_failure (&result, EXIT_USAGE, "needs a reason");
  run_admin (&result, c.db, "clients", "discharge", first, "--reason", "   ");
  assert_failure (&result, EXIT_USAGE, "needs a reason");
  run_admin (&result, c.db, "clients", "discharge", "--reason", "x");
  assert_failure (&result, EXIT_USAGE, "needs clients");
  run_admin (&result, c.db, "clients", "discharge", "twelve", "--reason", "x");
  assert_failure (&result, EXIT_USAGE, "is not a client number");
  run_admin (&result, c.db, "clients", "discharge", "--search", "zzzqqq", "--reason", "x");
  assert_failure (&result, EXIT_FAILED, "No client matches the selection");
  run_admin (&result, c.db, "clients", "discharge", "--status", "gone", "--reason", "x");
  assert_failure (&result, EXIT_USAGE, "--status must be active or inactive");
  /* All or nothing: one client that is not there, and the others stay. */
  run_admin (&result, c.db, "clients", "discharge", first, second, "999999", "--reason", "x");
  assert_failure (&result, EXIT_FAILED, "There is no client with number 999999");
  run_admin (&result, c.db, "clients", "discharge", inactive, "--reason", "Again");
  assert_failure (&result, EXIT_FAILED, "is already inactive");
  after = records_digest (c.db);
  g_assert_cmpstr (after, ==, before);

  /* Several: one change; those already inactive are counted. */
  run_admin (&result, c.db, "clients", "discharge", first, second, inactive, first,
             "--reason", "Clinic closed", "--json");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "{\"changed\":2,\"unchanged\":1}\n");
  g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM clients WHERE status = 'inactive'"),
                   ==, n_inactive + 2);
  g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM clients WHERE id IN (%s, %s)"
                                     " AND status = 'inactive'"
                                     " AND discharge_reason = 'Clinic closed'", first, second),
                   ==, 2);

  run_admin (&result, c.db, "clients", "discharge", first, c.id, "--reason", "Moved");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "1 client discharged. 1 was already inactive. "
                                   "Portal access is unchanged.\n");

  /* A selection: every inactive client, all of them already so. */
  run_admin (&result, c.db, "clients", "discharge", "--status", "inactive", "--reason", "x",
             "--json");
  assert_success (&result);
  expected = g_strdup_printf ("{\"changed\":0,\"unchanged\":%" G_GINT64_FORMAT "}\n",
                              n_inactive + 3);
  g_assert_cmpstr (result.out, ==, expected);

  /* By search: the client whose email address starts so. */
  {
    g_autofree char *other = sql_text (c.db, "SELECT id FROM clients WHERE status = 'active'"
                                             " AND email <> '' AND id NOT IN (%s, %s)"
                                             " ORDER BY id LIMIT 1", first, second);
    g_autofree char *email = sql_text (c.db, "SELECT substr (email, 1, instr (email, '@') - 1)"
                                             " FROM clients WHERE id = %s", other);

    run_admin (&result, c.db, "clients", "discharge", "--search", email, "--reason", "Found",
               "--json");
    assert_success (&result);
    g_assert_cmpint (sql_number (c.db, "SELECT status = 'inactive' FROM clients WHERE id = %s",
                                 other), ==, 1);
    g_assert_true (g_str_has_prefix (result.out, "{\"changed\":1,"));
  }

  /* Activate: again active, portal access as it was. */
  run_admin (&result, c.db, "clients", "activate", first, "--reason", "Came back");
  assert_success (&result);
  g_assert_cmpint (sql_number (c.db, "SELECT status = 'active' FROM clients WHERE id = %s",
                               first), ==, 1);
  run_admin (&result, c.db, "clients", "activate", first, "--json");
  assert_failure (&result, EXIT_FAILED, "is already active");
  run_admin (&result, c.db, "clients", "activate", second, "--json");
  assert_success (&result);
  expected = (g_free (expected), g_strdup_printf ("{\"activated\":%s}\n", second));
  g_assert_cmpstr (result.out, ==, expected);
}

static void
test_portal (void)
{
  g_auto(Clinic) c = { 0 };
  g_auto(Result) result = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *second = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *e1 = NULL;
  g_autofree char *e2 = NULL;
  gint64 enabled;

  clinic_set_up (&c);

  run_admin (&result, c.db, "clients", "portal", "enable", c.id, "--json");
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "{\"client_id\":"));
  g_assert_nonnull (strstr (result.out, "\"token\":\""));
  g_assert_nonnull (strstr (result.out, "\"expires_at\":\""));
  token = g_strdup (strstr (result.out, "\"token\":\"") + 9);
  *strchr (token, '"') = '\0';

  run_admin (&result, c.db, "clients", "portal", "enable", c.id);
  assert_failure (&result, EXIT_FAILED, "Portal access is already on");

  /* Resending: not within 5 minutes of the last. */
  run_admin (&result, c.db, "clients", "portal", "resend", c.id);
  assert_failure (&result, EXIT_FAILED, "An invitation was sent less than 5 minutes ago.");
  sql = g_strdup_printf ("UPDATE portal_invitations SET sent_at = sent_at - 300"
                         " WHERE client_id = %s", c.id);
  sql_exec (c.db, sql);
  run_admin (&result, c.db, "clients", "portal", "resend", c.id);
  second = token_of (&result);
  g_assert_cmpstr (second, !=, token);

  /* The voided one, one never issued, none, no password, a short one. */
  before = records_digest (c.db);
  accept_invitation (&result, c.db, token, PORTAL_PASSWORD);
  assert_failure (&result, EXIT_FAILED, "This invitation cannot be used");
  accept_invitation (&result, c.db, "not-a-token", PORTAL_PASSWORD);
  assert_failure (&result, EXIT_FAILED, "This invitation cannot be used");
  run_input_argv (&result, "", (const char *[]) { "--database", c.db, "portal",
                                                  "accept-invitation", NULL });
  assert_failure (&result, EXIT_USAGE, "No invitation on standard input");
  {
    g_autofree char *input = g_strdup_printf ("%s\n", second);

    run_input_argv (&result, input, (const char *[]) { "--database", c.db, "portal",
                                                       "accept-invitation", NULL });
    assert_failure (&result, EXIT_USAGE, "No new password on standard input");
  }
  {
    /* A first line far longer than any token: the same answer, and the
     * password after it is never taken for anything. */
    g_autofree char *huge = g_strnfill (100000, 'A');

    accept_invitation (&result, c.db, huge, PORTAL_PASSWORD);
    assert_failure (&result, EXIT_FAILED, "This invitation cannot be used");
  }
  accept_invitation (&result, c.db, second, "short");
  assert_failure (&result, EXIT_FAILED, "at least 8 characters");
  after = records_digest (c.db);
  g_assert_cmpstr (after, ==, before);

  /* Two clients of the portal at once with the same invitation: one wins. */
  {
    g_autofree char *input = g_strdup_printf ("%s\n%s\n", second, PORTAL_PASSWORD);
    const char *args[] = { "--database", c.db, "portal", "accept-invitation", NULL };
    g_autoptr(GSubprocess) one = spawn_input_argv (input, args);
    g_autoptr(GSubprocess) two = spawn_input_argv (input, args);
    g_auto(Result) other = { 0 };

    finish (&result, one);
    finish (&other, two);
    g_assert_cmpint (result.status + other.status, ==, EXIT_FAILED);
    g_assert_nonnull (strstr (result.status == 0 ? other.err : result.err,
                              "This invitation cannot be used"));
    g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM audit_log"
                                       " WHERE action = 'portal.accept-invitation'"
                                       " AND target_id = %s", c.id), ==, 1);
  }
  run_admin (&result, c.db, "clients", "portal", "resend", c.id);
  assert_failure (&result, EXIT_FAILED, "nothing to send again");

  /* Disabling one, then again. */
  run_admin (&result, c.db, "clients", "portal", "disable", c.id, "--json");
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "{\"changed\":1,\"unchanged\":0}\n");
  run_admin (&result, c.db, "clients", "portal", "disable", c.id);
  assert_failure (&result, EXIT_FAILED, "Portal access is already off");
  run_admin (&result, c.db, "clients", "portal", "close", c.id);
  assert_failure (&result, EXIT_USAGE, "takes enable, disable or resend");
  run_admin (&result, c.db, "clients", "portal", "enable", c.id, "--status", "active");
  assert_failure (&result, EXIT_USAGE, "only for");

  /* Several: a sensitive change, the password confirms it; a wrong one
   * changes nothing. */
  e1 = sql_text (c.db, "SELECT id FROM clients WHERE portal_access = 'enabled' ORDER BY id LIMIT 1");
  e2 = sql_text (c.db, "SELECT id FROM clients WHERE portal_access = 'enabled'"
                       " ORDER BY id LIMIT 1 OFFSET 1");
  enabled = sql_number (c.db, "SELECT count (*) FROM clients WHERE portal_access = 'enabled'");
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  before = records_digest (c.db);
  run_as_argv (&result, c.db, DESK_DEMO_USERNAME, "not the password",
               (const char *[]) { "clients", "portal", "disable", e1, e2, NULL });
  assert_failure (&result, EXIT_FAILED, "password");
  run_admin (&result, c.db, "clients", "portal", "disable", e1, e2, "999999");
  assert_failure (&result, EXIT_FAILED, "There is no client with number 999999");
  after = records_digest (c.db);
  g_assert_cmpstr (after, ==, before);

  run_admin (&result, c.db, "clients", "portal", "disable", e1, e2, c.id);
  assert_success (&result);
  g_assert_cmpstr (result.out, ==, "Portal access disabled for 2 clients: they cannot sign in. "
                                   "Their records are kept. 1 already had it disabled.\n");
  g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM clients WHERE portal_access = 'enabled'"),
                   ==, enabled - 2);
  /* Audited, client by client, as the administrator's, after their confirmation. */
  g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM audit_log WHERE actor_member_id = 1"
                                     " AND action = 'portal.disable' AND target_id IN (%s, %s)",
                               e1, e2), ==, 2);

  /* A selection: the inactive clients who still have access. */
  {
    gint64 n = sql_number (c.db, "SELECT count (*) FROM clients WHERE status = 'inactive'"
                                 " AND portal_access = 'enabled'");
    g_autofree char *expected = NULL;

    g_assert_cmpint (n, >, 0);
    run_admin (&result, c.db, "clients", "portal", "disable", "--status", "inactive", "--json");
    assert_success (&result);
    expected = g_strdup_printf ("{\"changed\":%" G_GINT64_FORMAT ",", n);
    g_assert_true (g_str_has_prefix (result.out, expected));
    g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM clients WHERE status = 'inactive'"
                                       " AND portal_access = 'enabled'"), ==, 0);
  }
}

static void
test_share (void)
{
  g_auto(Clinic) c = { 0 };
  g_auto(Result) result = { 0 };
  g_autofree char *other = NULL;
  g_autofree char *expected = NULL;

  clinic_set_up (&c);

  run_admin (&result, c.db, "clients", "share", c.id, c.document);
  assert_success (&result);
  expected = g_strdup_printf ("Document %s is shared with client %s.\n", c.document, c.id);
  g_assert_cmpstr (result.out, ==, expected);
  g_assert_cmpint (sql_number (c.db, "SELECT count (*) FROM document_shares WHERE document_id = %s"
                                     " AND client_id = %s", c.document, c.id), ==, 1);
  /* Sharing leaves status as it is. */
  g_assert_cmpint (sql_number (c.db, "SELECT status = 'active' FROM clients WHERE id = %s", c.id),
                   ==, 1);
  run_admin (&result, c.db, "clients", "share", c.id, c.document);
  assert_failure (&result, EXIT_FAILED, "already shared");

  run_admin (&result, c.db, "clients", "sees", c.id);
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "Cannot sign in to the portal: They have never "
                                                "been invited to the portal.\n"));
  g_assert_nonnull (strstr (result.out, "Shared documents:\n  9001  Discharge summary\n"));
  run_admin (&result, c.db, "clients", "show", c.id);
  g_assert_nonnull (strstr (result.out, "Discharge summary"));

  run_admin (&result, c.db, "clients", "unshare", c.id, c.document, "--json");
  assert_success (&result);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("{\"client_id\":%s,\"document_id\":%s,\"shared\":false}\n",
                              c.id, c.document);
  g_assert_cmpstr (result.out, ==, expected);
  run_admin (&result, c.db, "clients", "unshare", c.id, c.document);
  assert_failure (&result, EXIT_FAILED, "is not shared");
  run_admin (&result, c.db, "clients", "sees", c.id, "--json");
  g_assert_nonnull (strstr (result.out, "\"documents\":[]"));

  /* Another client's document, or no document at all. */
  other = sql_text (c.db, "SELECT id FROM clients WHERE id <> %s ORDER BY id LIMIT 1", c.id);
  run_admin (&result, c.db, "clients", "share", other, c.document);
  assert_failure (&result, EXIT_FAILED, "not in the client’s record");
  run_admin (&result, c.db, "clients", "share", c.id, "x");
  assert_failure (&result, EXIT_USAGE, "is not a document number");
  run_admin (&result, c.db, "clients", "share", c.id);
  assert_failure (&result, EXIT_USAGE, "needs ID DOCUMENT");
}

/* Without "manage clients", without --as, an unknown client: nothing changes. */
static void
test_refusals (void)
{
  g_auto(Clinic) c = { 0 };
  g_auto(Result) result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash ("billing password", &error);
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  clinic_set_up (&c);
  /* A member whose only role carries no permission (the demo's Billing). */
  sql = g_strdup_printf ("INSERT INTO members (id, username, given_name, family_name, email, kind,"
                         " province, password_hash, created_at) VALUES (9100, 'billy', 'B', 'Illy',"
                         " 'b@x.ca', 'employee', 'ON', '%s', 0);"
                         "INSERT INTO member_roles (member_id, role_id)"
                         " SELECT 9100, id FROM roles WHERE name = 'Billing'", hash);
  sql_exec (c.db, sql);
  before = records_digest (c.db);

#define run_billy(result, db, ...) \
  run_as_argv (result, db, "billy", "billing password", (const char *[]) { __VA_ARGS__, NULL })

  run_billy (&result, c.db, "clients", "discharge", c.id, "--reason", "x");
  assert_failure (&result, EXIT_FAILED, "“manage clients” permission");
  run_billy (&result, c.db, "clients", "activate", c.id);
  assert_failure (&result, EXIT_FAILED, "“manage clients” permission");
  run_billy (&result, c.db, "clients", "portal", "enable", c.id);
  assert_failure (&result, EXIT_FAILED, "“manage clients” permission");
  run_billy (&result, c.db, "clients", "portal", "disable", c.id, c.id);
  assert_failure (&result, EXIT_FAILED, "“manage clients” permission");
  run_billy (&result, c.db, "clients", "share", c.id, c.document);
  assert_failure (&result, EXIT_FAILED, "“manage clients” permission");
  /* Seeing is reading: any member who signs in. */
  run_billy (&result, c.db, "clients", "sees", c.id);
  assert_success (&result);

  run_input_argv (&result, "x\n", (const char *[]) { "--database", c.db, "clients", "discharge",
                                                     c.id, "--reason", "x", NULL });
  assert_failure (&result, EXIT_USAGE, "needs --as");
  run_input_argv (&result, "x\n", (const char *[]) { "--database", c.db, "clients", "sees",
                                                     c.id, NULL });
  assert_failure (&result, EXIT_USAGE, "needs --as");

  run_admin (&result, c.db, "clients", "portal", "enable", "999999");
  assert_failure (&result, EXIT_FAILED, "There is no client with number 999999");
  run_admin (&result, c.db, "clients", "discharge", "999999", "--reason", "x");
  assert_failure (&result, EXIT_FAILED, "There is no client with number 999999");
  run_admin (&result, c.db, "clients", "sees", "999999");
  assert_failure (&result, EXIT_FAILED, "There is no client with number 999999");
  run_admin (&result, c.db, "clients", "sees", "0");
  assert_failure (&result, EXIT_USAGE, "is not a client number");

  after = records_digest (c.db);
  g_assert_cmpstr (after, ==, before);
}

int
main (int    argc,
      char **argv)
{
  g_auto(Result) result = { 0 };
  int status;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  umask (022);

  /* One demo clinic, copied for each test. */
  template_dir = desk_test_dir_new ();
  template_db = g_build_filename (template_dir, "demo.db", NULL);
  run_input_argv (&result, "", (const char *[]) { "--database", template_db, "init", "--demo",
                                                  "--clients", "200", "--seed", "5", NULL });
  g_assert_cmpint (result.status, ==, 0);

  g_test_add_func ("/cli/portal/help", test_help);
  g_test_add_func ("/cli/portal/story", test_story);
  g_test_add_func ("/cli/portal/sign-in-refusals", test_sign_in_refusals);
  g_test_add_func ("/cli/portal/discharge", test_discharge);
  g_test_add_func ("/cli/portal/portal", test_portal);
  g_test_add_func ("/cli/portal/share", test_share);
  g_test_add_func ("/cli/portal/refusals", test_refusals);

  status = g_test_run ();

  desk_test_dir_free (template_dir);
  g_free (template_db);
  return status;
}
