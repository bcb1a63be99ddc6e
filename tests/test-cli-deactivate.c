/* test-cli-deactivate.c: front-desk-admin members deactivate|reactivate and
 * messages deliver, run as a program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test spawns the built binary ($FRONT_DESK_ADMIN) on its own copy of
 * one demo clinic and checks the exit status, the output, and the records
 * through the model (desk_member_load_summary()) and through the file
 * itself: a refusal or a --dry-run must leave every record a deactivation
 * touches exactly as it was (a digest of those tables, row by row).
 *
 * The demo clinic's first members are fixed (desk-demo.c): 1 the
 * administrator (every permission), 2 the clinical director (a provider,
 * "edit other users" but not "manage lab integrations", the main lab
 * integration's identity), 4 front desk (an employee, "manage clients"
 * only), 6 a member who has left.  Every demo member has the demo password.
 *
 * Passwords go to the program through a file on its standard input, never a
 * pipe (see test-cli.c).
 *
 * Over 900 lines, one file still: one harness and one demo clinic for the
 * three commands, which test one another (a deactivation is what makes a
 * delivery reach a successor, a reactivation needs a deactivation).
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "desk-demo.h"
#include "desk-member.h"
#include "desk-test-cli.h"
#include "desk-test-util.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  2

#define ADMIN      1
#define DIRECTOR   2
#define FRONT_DESK 4
#define DEPARTED   6

/* The tables a deactivation reads or writes. */
static const char *const touched_tables[] = {
  "members", "member_status_changes", "appointments", "qnaire_schedules", "qnaire_sends",
  "messages", "inbox_items", "lab_integrations", "lab_integration_transfers",
  "billing_connections", "reauth_tokens",
};

static char *template_dir;
static char *template_db;

/* The clinic's records */

/* A fresh copy of the demo clinic, in @dir. */
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

static DeskStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* What depends on member @id, read through the model. */
static void
load_summary (const char        *path,
              gint64             id,
              DeskMemberSummary *summary)
{
  g_autoptr(DeskStore) store = open_store (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_member_load_summary (store, id, summary, &error));
  g_assert_no_error (error);
}

static gint64
count (const char *path,
       const char *sql)
{
  g_autoptr(DeskStore) store = open_store (path);

  return desk_test_count (store, "%s", sql);
}

static DeskMember *
load_member (const char *path,
             gint64      id)
{
  g_autoptr(DeskStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  DeskMember *member = desk_member_load (store, id, &error);

  g_assert_no_error (error);
  return member;
}

static char *
username_of (const char *path,
             gint64      id)
{
  g_autoptr(DeskMember) member = load_member (path, id);

  return g_strdup (desk_member_get_username (member));
}

/* Every row of the tables a deactivation touches, read straight from the
 * file: equal digests, nothing moved. */
static char *
records_digest (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (touched_tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY rowid",
                                              touched_tables[t]);
      sqlite3_stmt *stmt = NULL;
      guint rows = 0;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const guchar *text = sqlite3_column_text (stmt, c);

              g_checksum_update (checksum, text != NULL ? text : (const guchar *) "\x01NULL", -1);
              g_checksum_update (checksum, (const guchar *) "\x1f", 1);
            }
          g_checksum_update (checksum, (const guchar *) "\x1e", 1);
          rows++;
        }
      sqlite3_finalize (stmt);
      g_test_message ("%s: %u rows", touched_tables[t], rows);
    }
  sqlite3_close (db);

  return g_strdup (g_checksum_get_string (checksum));
}

/* An active provider other than the director: who receives appointments. */
static gint64
other_practitioner (const char *path)
{
  gint64 id = count (path, "SELECT min(id) FROM members WHERE kind = 'provider'"
                           " AND status = 'active' AND id > 2");

  g_assert_cmpint (id, >, DIRECTOR);
  return id;
}

/* The value after @label in text output ("Future appointments:   12"). */
static char *
field (const char *out,
       const char *label)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], label))
        return g_strstrip (g_strdup (lines[i] + strlen (label)));
    }
  g_error ("no “%s” in: %s", label, out);
  return NULL;
}

static void
assert_field_number (const char *out,
                     const char *label,
                     guint       expected)
{
  g_autofree char *value = field (out, label);
  g_autofree char *number = g_strdup_printf ("%u", expected);

  g_assert_cmpstr (value, ==, number);
}

/* Tests */

/* --dry-run prints the director's impact as the model counts it, and changes
 * nothing. */
static void
test_dry_run (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  g_autofree char *before = records_digest (db);
  g_autofree char *after = NULL;
  g_autofree char *receiver = g_strdup_printf ("%" G_GINT64_FORMAT, other_practitioner (db));
  g_autofree char *inbox = NULL;
  g_autofree char *expected_inbox = NULL;
  g_auto(Result) result = { 0 };
  DeskMemberSummary summary = { 0 };

  load_summary (db, DIRECTOR, &summary);
  /* The demo director has something in every category (else this proves little). */
  g_assert_cmpuint (summary.future_appointments, >, 0);
  g_assert_cmpuint (summary.recurring_qnaires + summary.sent_qnaires, >, 0);
  g_assert_cmpuint (summary.inbox_messages, >, 0);
  g_assert_cmpuint (summary.lab_integrations, >, 0);
  g_assert_true (summary.main_lab_integration);

  run_admin (&result, db, "members", "deactivate", "2", "--dry-run",
             "--appointments-to", receiver, "--qnaires-to", receiver,
             "--inbox-to", receiver, "--labs-to", DESK_DEMO_USERNAME);
  assert_success (&result);
  assert_field_number (result.out, "Future appointments:", summary.future_appointments);
  assert_field_number (result.out, "Recurring Qnaires:", summary.recurring_qnaires);
  assert_field_number (result.out, "Sent Qnaires:", summary.sent_qnaires);
  assert_field_number (result.out, "Lab integrations:", summary.lab_integrations);
  inbox = field (result.out, "Inbox messages:");
  expected_inbox = g_strdup_printf ("%u (%u snoozed)", summary.inbox_messages,
                                    summary.snoozed_messages);
  g_assert_cmpstr (inbox, ==, expected_inbox);
  g_assert_nonnull (strstr (result.out, "(the main integration)"));
  g_assert_nonnull (strstr (result.out, "What would happen"));

  /* The same as JSON. */
  run_admin (&result, db, "members", "deactivate", "2", "--dry-run", "--json",
             "--cancel-appointments", "--remove-qnaires", "--archive-inbox",
             "--labs-to", DESK_DEMO_USERNAME);
  assert_success (&result);
  g_assert_true (g_str_has_prefix (result.out, "{"));
  g_assert_true (g_str_has_suffix (result.out, "}\n"));

  after = records_digest (db);
  g_assert_cmpstr (after, ==, before);
  {
    g_autoptr(DeskMember) member = load_member (db, DIRECTOR);

    g_assert_true (desk_member_get_is_active (member));
  }
  desk_member_summary_clear (&summary);
}

/* Everything moves to whom the options say; the member is deactivated with
 * the reason, by the administrator. */
static void
test_deactivate_moves (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  gint64 receiver_id = other_practitioner (db);
  g_autofree char *receiver = username_of (db, receiver_id);
  g_autofree char *director = username_of (db, DIRECTOR);
  g_autoptr(DeskMember) member = NULL;
  g_auto(Result) result = { 0 };
  DeskMemberSummary departing = { 0 }, before = { 0 }, after = { 0 }, admin_before = { 0 },
                    admin_after = { 0 }, gone = { 0 };

  load_summary (db, DIRECTOR, &departing);
  load_summary (db, receiver_id, &before);
  load_summary (db, ADMIN, &admin_before);

  run_admin (&result, db, "members", "deactivate", director,
             "--appointments-to", receiver, "--qnaires-to", receiver, "--inbox-to", receiver,
             "--labs-to", DESK_DEMO_USERNAME, "--reason", "Moved to Gatineau");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "is deactivated."));

  load_summary (db, receiver_id, &after);
  load_summary (db, ADMIN, &admin_after);
  load_summary (db, DIRECTOR, &gone);
  g_assert_cmpuint (after.future_appointments, ==,
                    before.future_appointments + departing.future_appointments);
  g_assert_cmpuint (after.recurring_qnaires, ==,
                    before.recurring_qnaires + departing.recurring_qnaires);
  g_assert_cmpuint (after.sent_qnaires, ==, before.sent_qnaires + departing.sent_qnaires);
  g_assert_cmpuint (after.inbox_messages, ==, before.inbox_messages + departing.inbox_messages);
  g_assert_cmpuint (after.snoozed_messages, ==,
                    before.snoozed_messages + departing.snoozed_messages);
  g_assert_cmpuint (admin_after.lab_integrations, ==,
                    admin_before.lab_integrations + departing.lab_integrations);
  g_assert_true (admin_after.main_lab_integration);
  g_assert_cmpuint (gone.future_appointments, ==, 0);
  g_assert_cmpuint (gone.recurring_qnaires, ==, 0);
  g_assert_cmpuint (gone.sent_qnaires, ==, 0);
  g_assert_cmpuint (gone.inbox_messages, ==, 0);
  g_assert_cmpuint (gone.lab_integrations, ==, 0);
  g_assert_false (gone.billing_connected);

  member = load_member (db, DIRECTOR);
  g_assert_false (desk_member_get_is_active (member));
  g_assert_cmpstr (desk_member_get_deactivation_reason (member), ==, "Moved to Gatineau");

  /* members show says so. */
  run_admin (&result, db, "members", "show", director);
  assert_success (&result);
  {
    g_autofree char *status = field (result.out, "Status:");
    g_autofree char *reason = field (result.out, "Reason:");
    g_autofree char *by = field (result.out, "Deactivated by:");
    g_autoptr(DeskMember) admin = load_member (db, ADMIN);

    g_assert_cmpstr (status, ==, "deactivated");
    g_assert_cmpstr (reason, ==, "Moved to Gatineau");
    g_assert_cmpstr (by, ==, desk_member_get_display_name (admin));
  }
  run_admin (&result, db, "members", "list", "--status", "deactivated", "--json");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "\"Moved to Gatineau\""));

  /* Once is enough. */
  run_admin (&result, db, "members", "deactivate", director, "--dry-run");
  assert_failure (&result, EXIT_FAILED, "is already deactivated.");

  desk_member_summary_clear (&departing);
  desk_member_summary_clear (&before);
  desk_member_summary_clear (&after);
  desk_member_summary_clear (&admin_before);
  desk_member_summary_clear (&admin_after);
  desk_member_summary_clear (&gone);
}

/* The consequences instead of receivers: appointments cancelled, Qnaires
 * removed, the inbox archived, each kept in the record; each lab integration
 * to its own receiver with --lab. */
static void
test_deactivate_consequences (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  g_autoptr(GPtrArray) lab_args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(Result) result = { 0 };
  DeskMemberSummary departing = { 0 }, gone = { 0 };
  gint64 cancelled, removed_schedules, removed_sends, inbox_rows, n_labs;
  gint64 practitioner = other_practitioner (db);

  load_summary (db, DIRECTOR, &departing);
  cancelled = count (db, "SELECT count(*) FROM appointments WHERE status = 'cancelled'");
  removed_schedules = count (db, "SELECT count(*) FROM qnaire_schedules WHERE status = 'removed'");
  removed_sends = count (db, "SELECT count(*) FROM qnaire_sends WHERE status = 'removed'");
  inbox_rows = count (db, "SELECT count(*) FROM inbox_items");
  n_labs = count (db, "SELECT count(*) FROM lab_integrations WHERE member_id = 2");
  g_assert_cmpint (n_labs, ==, departing.lab_integrations);

  /* Each integration by its number: the main one to the administrator,
   * any other to a practitioner. */
  {
    g_autoptr(DeskStore) store = open_store (db);

    for (gint64 i = 0; i < n_labs; i++)
      {
        gint64 id = desk_test_count (store, "SELECT id FROM lab_integrations WHERE member_id = 2"
                                            " ORDER BY id LIMIT 1 OFFSET %" G_GINT64_FORMAT, i);
        gboolean is_main = desk_test_count (store, "SELECT is_main FROM lab_integrations"
                                                   " WHERE id = %" G_GINT64_FORMAT, id);

        g_ptr_array_add (lab_args, g_strdup ("--lab"));
        g_ptr_array_add (lab_args, g_strdup_printf ("%" G_GINT64_FORMAT "=%" G_GINT64_FORMAT,
                                                    id, is_main ? ADMIN : practitioner));
      }
  }

  g_ptr_array_add (args, (gpointer) "members");
  g_ptr_array_add (args, (gpointer) "deactivate");
  g_ptr_array_add (args, (gpointer) "2");
  g_ptr_array_add (args, (gpointer) "--cancel-appointments");
  g_ptr_array_add (args, (gpointer) "--remove-qnaires");
  g_ptr_array_add (args, (gpointer) "--archive-inbox");
  g_ptr_array_add (args, (gpointer) "--json");
  for (guint i = 0; i < lab_args->len; i++)
    g_ptr_array_add (args, g_ptr_array_index (lab_args, i));
  g_ptr_array_add (args, NULL);
  run_as_argv (&result, db, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD,
               (const char * const *) args->pdata);
  assert_success (&result);
  /* What it did, as the model's report in JSON. */
  {
    g_autofree char *cancelled_text = g_strdup_printf ("\"appointments_cancelled\":%u,",
                                                       departing.future_appointments);
    g_autofree char *archived_text = g_strdup_printf ("\"messages_archived\":%u,",
                                                      departing.inbox_messages);

    g_assert_true (g_str_has_prefix (result.out, "{\"deactivation_id\":"));
    g_assert_true (g_str_has_suffix (result.out, "}\n"));
    g_assert_nonnull (strstr (result.out, cancelled_text));
    g_assert_nonnull (strstr (result.out, archived_text));
    g_assert_nonnull (strstr (result.out, "\"appointments_moved\":0,"));
  }

  load_summary (db, DIRECTOR, &gone);
  g_assert_cmpuint (gone.future_appointments, ==, 0);
  g_assert_cmpuint (gone.recurring_qnaires, ==, 0);
  g_assert_cmpuint (gone.sent_qnaires, ==, 0);
  g_assert_cmpuint (gone.lab_integrations, ==, 0);
  /* Cancelled and removed, never deleted. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM appointments WHERE status = 'cancelled'"), ==,
                   cancelled + departing.future_appointments);
  g_assert_cmpint (count (db, "SELECT count(*) FROM qnaire_schedules WHERE status = 'removed'"),
                   ==, removed_schedules + departing.recurring_qnaires);
  g_assert_cmpint (count (db, "SELECT count(*) FROM qnaire_sends WHERE status = 'removed'"), >=,
                   removed_sends + departing.sent_qnaires);
  /* Archived with the member, not forwarded and not deleted. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM inbox_items"), ==, inbox_rows);
  g_assert_cmpint (count (db, "SELECT count(*) FROM inbox_items WHERE member_id = 2"), >=,
                   departing.inbox_messages);
  g_assert_cmpint (count (db, "SELECT count(*) FROM lab_integrations WHERE member_id = 1"
                              " AND is_main = 1"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM lab_integrations WHERE member_id = 2"), ==, 0);

  desk_member_summary_clear (&departing);
  desk_member_summary_clear (&gone);
}

/* Every refusal: one line, the right status, and not one record changed. */
static void
test_refusals (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  g_autofree char *before = records_digest (db);
  g_autofree char *after = NULL;
  g_autofree char *receiver = g_strdup_printf ("%" G_GINT64_FORMAT, other_practitioner (db));
  g_autofree char *front_desk = username_of (db, FRONT_DESK);
  g_autofree char *director = username_of (db, DIRECTOR);
  g_autofree char *departed = username_of (db, DEPARTED);
  g_auto(Result) result = { 0 };

#define ALL_TO(r) "--appointments-to", r, "--qnaires-to", r, "--inbox-to", r, "--labs-to", \
                  DESK_DEMO_USERNAME

  /* Without "edit other users", before anything is read. */
  run_member (&result, db, front_desk, "members", "deactivate", "2", ALL_TO (receiver));
  assert_failure (&result, EXIT_FAILED, "edit other users");
  run_member (&result, db, front_desk, "members", "reactivate", departed);
  assert_failure (&result, EXIT_FAILED, "edit other users");

  /* Yourself. */
  run_admin (&result, db, "members", "deactivate", DESK_DEMO_USERNAME, "--dry-run");
  assert_failure (&result, EXIT_FAILED, "You cannot deactivate your own account.");

  /* Receivers: deactivated, the member, not a practitioner. */
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO (departed));
  assert_failure (&result, EXIT_FAILED, "--appointments-to: ");
  assert_failure (&result, EXIT_FAILED, "is deactivated and cannot receive anything");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--qnaires-to", receiver, "--inbox-to", departed, "--labs-to", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_FAILED, "--inbox-to: ");
  assert_failure (&result, EXIT_FAILED, "is deactivated and cannot receive anything");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--qnaires-to", receiver, "--inbox-to", director, "--labs-to", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_FAILED, "--inbox-to: ");
  assert_failure (&result, EXIT_FAILED, "cannot receive their own work");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--qnaires-to", receiver, "--inbox-to", receiver, "--labs-to", director);
  assert_failure (&result, EXIT_FAILED, "--labs-to: ");
  assert_failure (&result, EXIT_FAILED, "cannot receive their own work");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", front_desk,
             "--qnaires-to", receiver, "--inbox-to", receiver, "--labs-to", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_FAILED, "--appointments-to: ");
  assert_failure (&result, EXIT_FAILED, "is not a practitioner");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--qnaires-to", front_desk, "--inbox-to", receiver, "--labs-to", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_FAILED, "--qnaires-to: ");
  assert_failure (&result, EXIT_FAILED, "is not a practitioner");
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO ("nobody-here"));
  assert_failure (&result, EXIT_FAILED, "--appointments-to: ");
  /* An employee may receive the inbox and the labs, though. */
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--qnaires-to", receiver, "--inbox-to", front_desk, "--labs-to", DESK_DEMO_USERNAME,
             "--dry-run");
  assert_success (&result);

  /* A category with something in it needs its option; each error names it. */
  run_admin (&result, db, "members", "deactivate", "2", "--qnaires-to", receiver,
             "--inbox-to", receiver, "--labs-to", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_USAGE, "--appointments-to PRACTITIONER or --cancel-appointments");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--inbox-to", receiver, "--labs-to", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_USAGE, "--qnaires-to PRACTITIONER or --remove-qnaires");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--qnaires-to", receiver, "--labs-to", DESK_DEMO_USERNAME);
  assert_failure (&result, EXIT_USAGE, "--inbox-to MEMBER or --archive-inbox");
  run_admin (&result, db, "members", "deactivate", "2", "--appointments-to", receiver,
             "--qnaires-to", receiver, "--inbox-to", receiver);
  assert_failure (&result, EXIT_USAGE, "--labs-to MEMBER or --lab ");

  /* Options that exclude each other, refused before the password is read. */
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO (receiver), "--cancel-appointments");
  assert_failure (&result, EXIT_USAGE, "--appointments-to and --cancel-appointments cannot");
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO (receiver), "--remove-qnaires");
  assert_failure (&result, EXIT_USAGE, "--qnaires-to and --remove-qnaires cannot");
  run_as_argv (&result, db, DESK_DEMO_USERNAME, "not the password",
               (const char *[]) { "members", "deactivate", "2", ALL_TO (receiver),
                                  "--archive-inbox", NULL });
  assert_failure (&result, EXIT_USAGE, "--inbox-to and --archive-inbox cannot");

  /* --lab: its form, and only the member's integrations. */
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO (receiver), "--lab", "x=admin");
  assert_failure (&result, EXIT_USAGE, "INTEGRATION_ID=MEMBER");
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO (receiver), "--lab", "1=");
  assert_failure (&result, EXIT_USAGE, "INTEGRATION_ID=MEMBER");
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO (receiver), "--lab", "1=admin",
             "--lab", "1=admin");
  assert_failure (&result, EXIT_USAGE, "twice");
  run_admin (&result, db, "members", "deactivate", "2", ALL_TO (receiver), "--lab", "999999=admin");
  assert_failure (&result, EXIT_USAGE, "999999");

  /* Already deactivated; reactivating an active member. */
  run_admin (&result, db, "members", "deactivate", departed, "--dry-run");
  assert_failure (&result, EXIT_FAILED, "is already deactivated.");
  run_admin (&result, db, "members", "deactivate", departed, "--cancel-appointments",
             "--remove-qnaires", "--archive-inbox");
  assert_failure (&result, EXIT_FAILED, "is already deactivated.");
  run_admin (&result, db, "members", "reactivate", director);
  assert_failure (&result, EXIT_FAILED, "there is nothing to reactivate.");
  run_admin (&result, db, "members", "deactivate", "999999", "--dry-run");
  assert_failure (&result, EXIT_FAILED, "");

  /* A wrong password changes nothing; nor does none.  Last: failed sign-ins
   * slow the next ones down. */
  run_as_argv (&result, db, DESK_DEMO_USERNAME, "not the password",
               (const char *[]) { "members", "deactivate", "2", ALL_TO (receiver), NULL });
  assert_failure (&result, EXIT_FAILED, "password");
  run_as_argv (&result, db, DESK_DEMO_USERNAME, "",
               (const char *[]) { "members", "deactivate", "2", ALL_TO (receiver), NULL });
  assert_failure (&result, EXIT_FAILED, "password");
  run_as_argv (&result, db, DESK_DEMO_USERNAME, "not the password",
               (const char *[]) { "members", "reactivate", departed, NULL });
  assert_failure (&result, EXIT_FAILED, "password");

#undef ALL_TO

  after = records_digest (db);
  g_assert_cmpstr (after, ==, before);
}

/* Handing over the main lab integration needs "manage lab integrations",
 * which the director has not: they may deactivate a practitioner, but not
 * one who holds the main integration. */
static void
test_main_lab_permission (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  gint64 holder_id = other_practitioner (db);
  g_autofree char *holder = username_of (db, holder_id);
  g_autofree char *director = username_of (db, DIRECTOR);
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(Result) result = { 0 };

  /* The main integration under the practitioner's identity, as a clinic
   * might have set it up. */
  {
    g_autoptr(DeskStore) store = open_store (db);

    sql = g_strdup_printf ("UPDATE lab_integrations SET member_id = %" G_GINT64_FORMAT
                           " WHERE is_main = 1", holder_id);
    desk_test_exec (store, sql);
  }
  before = records_digest (db);

  run_member (&result, db, director, "members", "deactivate", holder, "--cancel-appointments",
              "--remove-qnaires", "--archive-inbox", "--labs-to", director);
  assert_failure (&result, EXIT_FAILED, "main lab integration");
  after = records_digest (db);
  g_assert_cmpstr (after, ==, before);

  /* The administrator may. */
  run_admin (&result, db, "members", "deactivate", holder, "--cancel-appointments",
             "--remove-qnaires", "--archive-inbox", "--labs-to", director);
  assert_success (&result);
}

/* Two administrators deactivate the same member at once, with different
 * receivers: one wins, the other is refused with one line, and everything
 * went to the winner's receiver. */
static void
test_concurrent (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  gint64 first_id = other_practitioner (db);
  gint64 second_id = count (db, "SELECT min(id) FROM members WHERE kind = 'provider'"
                                " AND status = 'active' AND id > 2 AND id <> "
                                "(SELECT min(id) FROM members WHERE kind = 'provider'"
                                " AND status = 'active' AND id > 2)");
  g_autofree char *first = username_of (db, first_id);
  g_autofree char *second = username_of (db, second_id);
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_auto(Result) result_a = { 0 };
  g_auto(Result) result_b = { 0 };
  DeskMemberSummary departing = { 0 }, first_before = { 0 }, second_before = { 0 },
                    first_after = { 0 }, second_after = { 0 };
  Result *winner, *loser;
  gboolean first_won;

  g_assert_cmpint (second_id, >, first_id);
  load_summary (db, DIRECTOR, &departing);
  load_summary (db, first_id, &first_before);
  load_summary (db, second_id, &second_before);

  a = spawn_input_argv (DESK_DEMO_PASSWORD "\n",
                        (const char *[]) { "--database", db, "--as", DESK_DEMO_USERNAME,
                                           "members", "deactivate", "2",
                                           "--appointments-to", first, "--qnaires-to", first,
                                           "--inbox-to", first, "--labs-to", DESK_DEMO_USERNAME,
                                           NULL });
  b = spawn_input_argv (DESK_DEMO_PASSWORD "\n",
                        (const char *[]) { "--database", db, "--as", DESK_DEMO_USERNAME,
                                           "members", "deactivate", "2",
                                           "--appointments-to", second, "--qnaires-to", second,
                                           "--inbox-to", second, "--labs-to", DESK_DEMO_USERNAME,
                                           NULL });
  finish (&result_a, a);
  finish (&result_b, b);

  g_assert_true ((result_a.status == 0) != (result_b.status == 0));
  first_won = result_a.status == 0;
  winner = first_won ? &result_a : &result_b;
  loser = first_won ? &result_b : &result_a;
  assert_success (winner);
  assert_failure (loser, EXIT_FAILED, "");

  load_summary (db, first_id, &first_after);
  load_summary (db, second_id, &second_after);
  g_assert_cmpuint (first_after.future_appointments, ==,
                    first_before.future_appointments +
                    (first_won ? departing.future_appointments : 0));
  g_assert_cmpuint (second_after.future_appointments, ==,
                    second_before.future_appointments +
                    (first_won ? 0 : departing.future_appointments));
  g_assert_cmpuint (first_after.inbox_messages, ==,
                    first_before.inbox_messages + (first_won ? departing.inbox_messages : 0));
  g_assert_cmpuint (second_after.inbox_messages, ==,
                    second_before.inbox_messages + (first_won ? 0 : departing.inbox_messages));
  g_assert_cmpint (count (db, "SELECT count(*) FROM member_status_changes WHERE member_id = 2"),
                   ==, 1);

  desk_member_summary_clear (&departing);
  desk_member_summary_clear (&first_before);
  desk_member_summary_clear (&second_before);
  desk_member_summary_clear (&first_after);
  desk_member_summary_clear (&second_after);
}

static void
test_help (void)
{
  g_auto(Result) result = { 0 };

  run_input_argv (&result, "", (const char *[]) { "--help", NULL });
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "members deactivate"));
  g_assert_nonnull (strstr (result.out, "members reactivate"));
  g_assert_nonnull (strstr (result.out, "messages deliver"));
  run_input_argv (&result, "", (const char *[]) { "members", "deactivate", "--help", NULL });
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "--dry-run"));
  g_assert_nonnull (strstr (result.out, "--lab=INTEGRATION_ID=MEMBER"));
}

/* Reactivation restores sign-in and says that MDBilling stays disconnected. */
static void
test_reactivate (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  g_autofree char *receiver = g_strdup_printf ("%" G_GINT64_FORMAT, other_practitioner (db));
  g_autofree char *director = username_of (db, DIRECTOR);
  g_autoptr(DeskMember) member = NULL;
  g_auto(Result) result = { 0 };
  DeskMemberSummary summary = { 0 };
  gboolean had_billing;
  guint inbox, snoozed;

  load_summary (db, DIRECTOR, &summary);
  had_billing = summary.billing_connected;
  inbox = summary.inbox_messages;
  snoozed = summary.snoozed_messages;
  g_assert_cmpuint (inbox, >, 0);
  desk_member_summary_clear (&summary);

  run_admin (&result, db, "members", "deactivate", director, "--cancel-appointments",
             "--remove-qnaires", "--archive-inbox", "--labs-to", receiver);
  assert_success (&result);
  load_summary (db, DIRECTOR, &summary);
  g_assert_cmpuint (summary.inbox_messages, ==, 0);
  desk_member_summary_clear (&summary);
  run_member (&result, db, director, "members", "list");
  assert_failure (&result, EXIT_FAILED, "This account is deactivated.");

  run_admin (&result, db, "members", "reactivate", director, "--reason", "Came back");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "active again"));
  if (had_billing)
    g_assert_nonnull (strstr (result.out, "MDBilling connection stays disconnected"));
  else
    g_assert_null (strstr (result.out, "MDBilling"));

  member = load_member (db, DIRECTOR);
  g_assert_true (desk_member_get_is_active (member));
  load_summary (db, DIRECTOR, &summary);
  g_assert_false (summary.billing_connected);
  g_assert_cmpuint (g_strv_length (summary.roles), >, 0);
  /* The archived inbox is back, snoozed messages included. */
  g_assert_cmpuint (summary.inbox_messages, ==, inbox);
  g_assert_cmpuint (summary.snoozed_messages, ==, snoozed);
  desk_member_summary_clear (&summary);

  /* They can sign in again. */
  run_member (&result, db, director, "members", "list");
  assert_success (&result);

  /* Once more, as JSON. */
  run_admin (&result, db, "members", "deactivate", director, "--cancel-appointments",
             "--remove-qnaires", "--archive-inbox", "--labs-to", receiver);
  assert_success (&result);
  run_admin (&result, db, "members", "reactivate", director, "--json");
  assert_success (&result);
  {
    g_autofree char *expected =
      g_strdup_printf ("{\"member_id\":2,\"username\":\"%s\",\"billing_disconnected\":%s}\n",
                       director, had_billing ? "true" : "false");

    g_assert_cmpstr (result.out, ==, expected);
  }

  run_admin (&result, db, "members", "reactivate", director);
  assert_failure (&result, EXIT_FAILED, "there is nothing to reactivate.");
}

/* The recipients `messages deliver` printed, by username. */
static GStrv
delivered_to (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *open, *close;

      if (!g_str_has_prefix (lines[i], "Delivered to "))
        continue;
      open = strrchr (lines[i], '(');
      close = strrchr (lines[i], ')');
      g_assert_nonnull (open);
      g_assert_nonnull (close);
      {
        g_autofree char *username = g_strndup (open + 1, (gsize) (close - open - 1));

        g_strv_builder_add (builder, username);
      }
    }
  return g_strv_builder_end (builder);
}

/* A message for a member who left reaches their inbox's receiver, or, with
 * their inbox archived, every member who may edit other users. */
static void
test_deliver (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *db = clinic_copy (dir);
  gint64 receiver_id = other_practitioner (db);
  g_autofree char *receiver = username_of (db, receiver_id);
  g_autofree char *director = username_of (db, DIRECTOR);
  g_autofree char *front_desk = username_of (db, FRONT_DESK);
  g_auto(GStrv) to = NULL;
  g_auto(Result) result = { 0 };
  DeskMemberSummary before = { 0 }, after = { 0 };

  /* To an active member: them. */
  load_summary (db, FRONT_DESK, &before);
  run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "Lab results",
             "--body", "Two new results.", "--client", "1");
  assert_success (&result);
  to = delivered_to (result.out);
  g_assert_cmpuint (g_strv_length (to), ==, 1);
  g_assert_cmpstr (to[0], ==, front_desk);
  load_summary (db, FRONT_DESK, &after);
  g_assert_cmpuint (after.inbox_messages, ==, before.inbox_messages + 1);
  desk_member_summary_clear (&before);
  desk_member_summary_clear (&after);

  /* The director leaves, their inbox to the receiver: it reaches the receiver. */
  run_admin (&result, db, "members", "deactivate", director, "--appointments-to", receiver,
             "--qnaires-to", receiver, "--inbox-to", receiver, "--labs-to", DESK_DEMO_USERNAME);
  assert_success (&result);
  load_summary (db, receiver_id, &before);
  run_member (&result, db, front_desk, "messages", "deliver", "--to", director,
              "--subject", "Referral", "--from-client", "1");
  assert_success (&result);
  g_assert_nonnull (strstr (result.out, "is deactivated"));
  g_clear_pointer (&to, g_strfreev);
  to = delivered_to (result.out);
  g_assert_cmpuint (g_strv_length (to), ==, 1);
  g_assert_cmpstr (to[0], ==, receiver);
  load_summary (db, receiver_id, &after);
  g_assert_cmpuint (after.inbox_messages, ==, before.inbox_messages + 1);
  desk_member_summary_clear (&before);
  desk_member_summary_clear (&after);

  /* The receiver leaves in turn, their inbox archived: every active member
   * who may edit other users (here only the administrator, the director
   * being gone). */
  run_admin (&result, db, "members", "deactivate", receiver, "--cancel-appointments",
             "--remove-qnaires", "--archive-inbox", "--labs-to", DESK_DEMO_USERNAME);
  assert_success (&result);
  run_admin (&result, db, "messages", "deliver", "--to", director, "--subject", "Referral");
  assert_success (&result);
  g_clear_pointer (&to, g_strfreev);
  to = delivered_to (result.out);
  g_assert_cmpuint (g_strv_length (to), ==,
                    count (db, "SELECT count(*) FROM members m WHERE status = 'active' AND"
                               " EXISTS (SELECT 1 FROM member_roles r JOIN role_permissions p"
                               " ON p.role_id = r.role_id WHERE r.member_id = m.id"
                               " AND p.permission = 'edit-users')"));
  g_assert_true (g_strv_contains ((const char * const *) to, DESK_DEMO_USERNAME));

  /* Bad input. */
  run_admin (&result, db, "messages", "deliver", "--subject", "x");
  assert_failure (&result, EXIT_USAGE, "--to");
  run_admin (&result, db, "messages", "deliver", "--to", front_desk);
  assert_failure (&result, EXIT_USAGE, "--subject");
  run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "");
  assert_failure (&result, EXIT_FAILED, "A message needs a subject");
  run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
             "--from-client", "999999");
  assert_failure (&result, EXIT_FAILED, "There is no client with number 999999");
  run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
             "--client", "999999");
  assert_failure (&result, EXIT_FAILED, "There is no client with number 999999");
  run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
             "--body-file", dir);
  assert_failure (&result, EXIT_FAILED, "cannot be read: Is a directory");
  {
    g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
    g_autofree char *latin1 = g_build_filename (dir, "latin1.txt", NULL);
    g_autofree char *big = g_build_filename (dir, "big.txt", NULL);
    g_autofree char *exact = g_build_filename (dir, "exact.txt", NULL);
    g_autofree char *text = g_strnfill (1024 * 1024 + 1, 'a');
    g_autofree char *expected = NULL;

    run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
               "--body-file", missing);
    assert_failure (&result, EXIT_FAILED, "cannot be read: No such file or directory");
    g_assert_true (g_file_set_contents (latin1, "Caf\xe9", -1, NULL));
    run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
               "--body-file", latin1);
    assert_failure (&result, EXIT_USAGE, "is not UTF-8 text");
    /* 1 MiB is the most a body may have. */
    g_assert_true (g_file_set_contents (big, text, -1, NULL));
    run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
               "--body-file", big);
    assert_failure (&result, EXIT_USAGE, "at most 1048576 bytes");
    g_assert_true (g_file_set_contents (exact, text, 1024 * 1024, NULL));
    run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "Long",
               "--body-file", exact);
    assert_success (&result);
    expected = g_strdup_printf ("SELECT count(*) FROM messages WHERE subject = 'Long'"
                                " AND length (body) = %d", 1024 * 1024);
    g_assert_cmpint (count (db, expected), ==, 1);
  }
  run_admin (&result, db, "messages", "deliver", "--to", "nobody-here", "--subject", "x");
  assert_failure (&result, EXIT_FAILED, "--to: ");
  run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
             "--client", "zero");
  assert_failure (&result, EXIT_USAGE, "--client");
  run_admin (&result, db, "messages", "deliver", "--to", front_desk, "--subject", "x",
             "--body", "y", "--body-file", "/dev/null");
  assert_failure (&result, EXIT_USAGE, "--body and --body-file cannot");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
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

  g_test_add_func ("/cli/deactivate/help", test_help);
  g_test_add_func ("/cli/deactivate/dry-run", test_dry_run);
  g_test_add_func ("/cli/deactivate/moves", test_deactivate_moves);
  g_test_add_func ("/cli/deactivate/consequences", test_deactivate_consequences);
  g_test_add_func ("/cli/deactivate/refusals", test_refusals);
  g_test_add_func ("/cli/deactivate/main-lab-permission", test_main_lab_permission);
  g_test_add_func ("/cli/deactivate/concurrent", test_concurrent);
  g_test_add_func ("/cli/reactivate", test_reactivate);
  g_test_add_func ("/cli/messages/deliver", test_deliver);

  status = g_test_run ();

  desk_test_dir_free (template_dir);
  g_free (template_db);
  return status;
}
