/* test-deactivation.c: deactivating a member without losing anything, and message delivery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-audit.h"
#include "desk-change.h"
#include "desk-changes.h"
#include "desk-deactivation.h"
#include "desk-delivery.h"
#include "desk-demo.h"
#include "desk-client.h"
#include "desk-member.h"
#include "desk-records.h"
#include "desk-session.h"
#include "desk-sign-in.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

/* The people of these tests, beside the demo clinic's. */
#define LEAVER   9001   /* a provider who leaves */
#define DOCTOR   9002   /* a provider who receives */
#define CLERK    9003   /* an employee */
#define GONE     9004   /* a provider deactivated before */
#define HELPER   9005   /* every permission but "manage lab integrations" */

#define PASSWORD "correct horse battery"
#define DAY (24 * 60 * 60)

typedef struct
{
  DeskTestDir *dir;
  char        *path;
  DeskStore   *store;
  DeskSession *session;       /* the demo administrator: every permission */
} Fixture;

static DeskSession *
sign_in (DeskStore  *store,
         const char *username,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  DeskSession *session = desk_session_sign_in (store, username, password, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static void
confirm (DeskSession *session,
         const char  *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_session_reauthenticate (session, password, &error));
  g_assert_no_error (error);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return desk_test_count (f->store, "%s", sql);
}

/* The leaver's world: 3 future booked appointments (one past, one future
 * cancelled, which do not count), 2 Qnaires sent for two of them, a
 * recurring Qnaire, a sent Qnaire of their own and a completed one, 4 inbox
 * items (1 snoozed, 1 done, which does not count), 2 lab integrations (one
 * the clinic's main one), an MDBilling connection, a live confirmation. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = desk_password_hash (PASSWORD, &error);
  g_autofree char *sql = NULL;
  gint64 now = DESK_TEST_NOW;

  g_assert_no_error (error);
  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->store = desk_test_demo_store (f->path, 20, 8);

  sql = g_strdup_printf (
    "INSERT INTO members (id, username, given_name, family_name, email, kind, province,"
    "  password_hash, created_at, search_text, sort_key) VALUES"
    " (9001, 'leaver', 'Lea', 'Vermette', 'lv@x.ca', 'provider', 'ON', '%1$s', 0, 'lea', 'v'),"
    " (9002, 'doctor', 'Denis', 'Ouellet', 'do@x.ca', 'provider', 'ON', '%1$s', 0, 'denis', 'o'),"
    " (9003, 'clerk', 'Claire', 'Roy', 'cr@x.ca', 'employee', 'ON', '%1$s', 0, 'claire', 'r'),"
    " (9004, 'gone', 'Gaston', 'Nadeau', 'gn@x.ca', 'provider', 'ON', '%1$s', 0, 'gaston', 'n'),"
    " (9005, 'helper', 'Hugo', 'Lamy', 'hl@x.ca', 'employee', 'ON', '%1$s', 0, 'hugo', 'l');"
    "UPDATE members SET status = 'deactivated', deactivated_at = 1 WHERE id = 9004;"
    "INSERT INTO member_status_changes (member_id, change, at, by_member_id)"
    "  VALUES (9004, 'deactivated', 1, 1);"
    "INSERT INTO roles (id, name) VALUES (901, 'No labs');"
    "INSERT INTO role_permissions (role_id, permission)"
    "  SELECT 901, code FROM permissions WHERE code != 'manage-labs';"
    "INSERT INTO member_roles (member_id, role_id) VALUES (9005, 901), (9001, 901);"
    "INSERT INTO groups (id, name) VALUES (901, 'Night shift');"
    "INSERT INTO member_groups (member_id, group_id) VALUES (9001, 901);"
    "INSERT INTO appointments (id, client_id, practitioner_id, starts_at, duration_minutes, status)"
    " VALUES (90001, 1, 9001, %2$lld + 3600, 30, 'booked'),"
    "        (90002, 2, 9001, %2$lld + 2 * 86400, 30, 'booked'),"
    "        (90003, 3, 9001, %2$lld + 9 * 86400, 60, 'booked'),"
    "        (90004, 4, 9001, %2$lld - 86400, 30, 'completed'),"
    "        (90005, 5, 9001, %2$lld + 86400, 30, 'cancelled');"
    "INSERT INTO qnaire_sends (id, title, client_id, practitioner_id, appointment_id, sent_at, status)"
    " VALUES (90001, 'Intake', 1, 9001, 90001, 0, 'sent'),"
    "        (90002, 'PHQ-9', 2, 2, 90002, 0, 'sent'),"
    "        (90003, 'GAD-7', 6, 9001, NULL, 0, 'sent'),"
    "        (90004, 'GAD-7', 7, 9001, NULL, 0, 'completed');"
    "INSERT INTO qnaire_schedules (id, title, client_id, practitioner_id, every_days, next_send_at)"
    " VALUES (90001, 'PHQ-9', 8, 9001, 30, %2$lld + 86400);"
    "INSERT INTO messages (id, sender_member_id, subject, body, sent_at) VALUES"
    " (90001, 1, 'a', 'b', 0), (90002, 1, 'c', 'd', 0), (90003, 9001, 'e', 'f', 0),"
    " (90004, 1, 'g', 'h', 0);"
    "INSERT INTO inbox_items (id, message_id, member_id, received_at, folder, snoozed_until)"
    " VALUES (90001, 90001, 9001, 0, 'inbox', NULL), (90002, 90002, 9001, 0, 'inbox', %2$lld + 86400),"
    "        (90003, 90004, 9001, 0, 'inbox', NULL), (90004, 90003, 9001, 0, 'done', NULL);"
    "INSERT INTO lab_integrations (id, lab_name, account_number, member_id, is_main, created_at)"
    " VALUES (90001, 'Dynacare', 'D-1', 9001, 0, 0);"
    "INSERT INTO billing_connections (id, member_id, system, province, billing_number, connected_at)"
    " VALUES (90001, 9001, 'mdbilling', 'ON', '012345', 0);"
    "INSERT INTO reauth_tokens (member_id, token_hash, issued_at, expires_at)"
    " VALUES (9001, x'01', %2$lld, %2$lld + 600);",
    hash, (long long) now);
  desk_test_exec (f->store, sql);
  /* The clinic's main integration is the leaver's (or becomes it). */
  desk_test_exec (f->store, "UPDATE lab_integrations SET is_main = 0;"
                            "INSERT INTO lab_integrations (id, lab_name, account_number, member_id,"
                            " is_main, created_at) VALUES (90002, 'LifeLabs', 'L-2', 9001, 1, 0);");

  f->session = sign_in (f->store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  desk_test_wait_for_workers (f->session, 1);
  desk_test_wait_for_workers (f->store, 2);
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->store);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

static DeskDeactivationPlan *
plan_for (Fixture *f,
          gint64   member_id)
{
  g_autoptr(GError) error = NULL;
  DeskDeactivationPlan *plan = desk_deactivation_plan_new (f->session, member_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

/* Cancel, remove, archive: chosen, not defaulted. */
static void
choose_consequences (DeskDeactivationPlan *plan)
{
  g_autoptr(GError) error = NULL;

  for (guint i = DESK_DEACTIVATION_APPOINTMENTS; i < DESK_DEACTIVATION_LABS; i++)
    g_assert_true (desk_deactivation_plan_set_receiver (plan, i, 0, &error));
  g_assert_no_error (error);
}

static void
choose_all (DeskDeactivationPlan *plan)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_APPOINTMENTS,
                                                      DOCTOR, &error));
  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_QNAIRES,
                                                      DOCTOR, &error));
  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_INBOX,
                                                      CLERK, &error));
  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_LABS,
                                                      DOCTOR, &error));
  g_assert_no_error (error);
}

/* Everything the clinic keeps, counted: a deactivation changes none of it. */
static char *
record_counts (Fixture *f)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT,
                          count (f, "SELECT count (*) FROM appointments"),
                          count (f, "SELECT count (*) FROM qnaire_sends"),
                          count (f, "SELECT count (*) FROM qnaire_schedules"),
                          count (f, "SELECT count (*) FROM messages"),
                          count (f, "SELECT count (*) FROM inbox_items"),
                          count (f, "SELECT count (*) FROM lab_integrations"),
                          count (f, "SELECT count (*) FROM members"));
}

/* The whole state the leaver's deactivation could touch, as one string. */
static char *
snapshot (Fixture *f)
{
  g_autofree char *counts = record_counts (f);

  return g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                          "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                          counts,
                          count (f, "SELECT count (*) FROM audit_log"),
                          count (f, "SELECT count (*) FROM appointments WHERE practitioner_id = 9001"
                                    " AND status = 'booked'"),
                          count (f, "SELECT count (*) FROM inbox_items WHERE member_id = 9001"
                                    " AND folder = 'inbox'"),
                          count (f, "SELECT count (*) FROM lab_integrations WHERE member_id = 9001"),
                          count (f, "SELECT count (*) FROM members WHERE id = 9001"
                                    " AND status = 'active'"),
                          count (f, "SELECT count (*) FROM member_status_changes"));
}

/* The plan */

static void
test_impact (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (plan);
  DeskLabIntegration *lab;

  g_assert_cmpuint (desk_deactivation_plan_get_future_appointments (plan), ==, 3);
  g_assert_cmpuint (desk_deactivation_plan_get_recurring_qnaires (plan), ==, 1);
  g_assert_cmpuint (desk_deactivation_plan_get_sent_qnaires (plan), ==, 2);
  g_assert_cmpuint (desk_deactivation_plan_get_appointment_qnaires (plan), ==, 2);
  g_assert_cmpuint (desk_deactivation_plan_get_inbox_messages (plan), ==, 3);
  g_assert_cmpuint (desk_deactivation_plan_get_snoozed_messages (plan), ==, 1);
  g_assert_true (desk_deactivation_plan_get_billing_connected (plan));
  g_assert_cmpuint (labs->len, ==, 2);
  lab = labs->pdata[0];
  g_assert_true (lab->is_main);
  g_assert_cmpstr (lab->lab_name, ==, "LifeLabs");
  lab = labs->pdata[1];
  g_assert_false (lab->is_main);
  g_assert_cmpstr (lab->account_number, ==, "D-1");
  for (guint i = DESK_DEACTIVATION_APPOINTMENTS; i <= DESK_DEACTIVATION_LABS; i++)
    g_assert_true (desk_deactivation_plan_has (plan, i));

  /* A member with nothing: every page skipped. */
  {
    g_autoptr(DeskDeactivationPlan) empty = plan_for (f, CLERK);

    for (guint i = DESK_DEACTIVATION_APPOINTMENTS; i <= DESK_DEACTIVATION_LABS; i++)
      g_assert_false (desk_deactivation_plan_has (empty, i));
    g_assert_false (desk_deactivation_plan_get_billing_connected (empty));
  }
}

static void
test_impact_async (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DeskDeactivationPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  desk_deactivation_plan_new_async (f->session, LEAVER, NULL, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  plan = desk_deactivation_plan_new_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (desk_deactivation_plan_get_future_appointments (plan), ==, 3);
  g_assert_cmpuint (desk_deactivation_plan_get_inbox_messages (plan), ==, 3);
  /* Choices checked on the main connection after the worker's is gone. */
  g_assert_false (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_APPOINTMENTS,
                                                       GONE, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_DEACTIVATED);
  g_clear_object (&result);

  /* Refused at once on the calling thread: yourself. */
  g_clear_error (&error);
  desk_deactivation_plan_new_async (f->session,
                                    desk_member_get_id (desk_session_get_member (f->session)),
                                    NULL, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (desk_deactivation_plan_new_finish (result, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_SELF);
}

/* Refusals */

static void
test_refused_plans (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSession) clerk = NULL;
  gint64 me = desk_member_get_id (desk_session_get_member (f->session));

  /* Yourself. */
  g_assert_null (desk_deactivation_plan_new (f->session, me, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_SELF);
  g_clear_error (&error);

  /* Already deactivated. */
  g_assert_null (desk_deactivation_plan_new (f->session, GONE, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_ALREADY_DEACTIVATED);
  g_clear_error (&error);

  /* No such member. */
  g_assert_null (desk_deactivation_plan_new (f->session, 123456, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
  g_clear_error (&error);

  /* Without "edit other users": the clerk has no role. */
  clerk = sign_in (f->store, "clerk", PASSWORD);
  g_assert_null (desk_deactivation_plan_new (clerk, LEAVER, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
}

static void
test_refused_receivers (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(GError) error = NULL;

  /* The member themself, anywhere. */
  for (guint i = DESK_DEACTIVATION_APPOINTMENTS; i <= DESK_DEACTIVATION_LABS; i++)
    {
      g_assert_false (desk_deactivation_plan_set_receiver (plan, i, LEAVER, &error));
      g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_IS_MEMBER);
      g_clear_error (&error);
      /* A deactivated colleague. */
      g_assert_false (desk_deactivation_plan_set_receiver (plan, i, GONE, &error));
      g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_DEACTIVATED);
      g_clear_error (&error);
      g_assert_false (desk_deactivation_plan_set_receiver (plan, i, 123456, &error));
      g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
      g_clear_error (&error);
      /* The choice stays as it was. */
      g_assert_cmpint (desk_deactivation_plan_get_receiver (plan, i), ==, 0);
    }

  /* An employee takes no appointments or Qnaires, but may take an inbox
   * or a lab integration. */
  g_assert_false (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_APPOINTMENTS,
                                                       CLERK, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_NOT_PRACTITIONER);
  g_clear_error (&error);
  g_assert_false (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_QNAIRES,
                                                       CLERK, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_NOT_PRACTITIONER);
  g_clear_error (&error);
  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_INBOX, CLERK, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (desk_deactivation_plan_get_receiver_name (plan, DESK_DEACTIVATION_INBOX), ==,
                   "Claire Roy");
  g_assert_true (desk_deactivation_plan_set_lab_receiver (plan, 90001, CLERK, &error));
  g_assert_no_error (error);

  /* A lab integration is never left with no one. */
  g_assert_false (desk_deactivation_plan_set_lab_receiver (plan, 90002, 0, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER);
  g_clear_error (&error);
  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_APPOINTMENTS, 0, &error));
  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_QNAIRES, 0, &error));
  g_assert_false (desk_deactivation_plan_check (plan, f->session, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER);
  g_clear_error (&error);
  /* Nor one that is not the member's. */
  g_assert_false (desk_deactivation_plan_set_lab_receiver (plan, 1, DOCTOR, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
}

static void
test_refused_main_lab (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(DeskSession) helper = sign_in (f->store, "helper", PASSWORD);
  g_autoptr(DeskDeactivationPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  plan = desk_deactivation_plan_new (helper, LEAVER, &error);
  g_assert_no_error (error);
  choose_all (plan);
  g_assert_false (desk_deactivation_plan_check (plan, helper, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_MAIN_LAB_PERMISSION);
  g_assert_nonnull (strstr (error->message, "manage lab integrations"));
  g_clear_error (&error);

  confirm (helper, PASSWORD);
  before = snapshot (f);
  g_assert_null (desk_deactivation_execute (helper, plan, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_MAIN_LAB_PERMISSION);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);

  /* The same plan goes through for the administrator. */
  g_clear_error (&error);
  g_assert_true (desk_deactivation_plan_check (plan, f->session, &error));
  g_assert_no_error (error);
}

static void
test_refused_without_confirmation (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;

  choose_all (plan);
  g_assert_null (desk_deactivation_execute (f->session, plan, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);

  /* A wrong password confirms nothing. */
  g_clear_error (&error);
  g_assert_false (desk_session_reauthenticate (f->session, "wrong", &error));
  g_clear_error (&error);
  g_assert_null (desk_deactivation_execute (f->session, plan, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
}

/* Anything that changed between the plan and its execution refuses it. */
static const char *plan_changes[] = {
  "INSERT INTO appointments (client_id, practitioner_id, starts_at, duration_minutes)"
  " VALUES (9, 9001, 1793664000 + 5 * 86400, 30)",
  "UPDATE appointments SET practitioner_id = 1 WHERE id = 90003",
  /* One left and another came: the count alone would not see it. */
  "UPDATE appointments SET practitioner_id = 1 WHERE id = 90003;"
  "INSERT INTO appointments (client_id, practitioner_id, starts_at, duration_minutes)"
  " VALUES (9, 9001, 1793664000 + 5 * 86400, 30)",
  "INSERT INTO inbox_items (message_id, member_id, received_at) VALUES (90001, 9001, 5)",
  "UPDATE qnaire_sends SET status = 'completed' WHERE id = 90003",
  "INSERT INTO qnaire_schedules (title, client_id, practitioner_id, every_days, next_send_at)"
  " VALUES ('x', 3, 9001, 7, 0)",
  "INSERT INTO lab_integrations (lab_name, account_number, member_id, created_at)"
  " VALUES ('Gamma', 'G', 9001, 0)",
  "UPDATE billing_connections SET status = 'disconnected' WHERE id = 90001",
  "INSERT INTO qnaire_sends (title, client_id, practitioner_id, appointment_id, sent_at)"
  " VALUES ('x', 1, 2, 90003, 0)",
};

static void
test_refused_plan_changed (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  choose_all (plan);
  desk_test_exec (f->store, plan_changes[GPOINTER_TO_UINT (data)]);
  confirm (f->session, DESK_DEMO_PASSWORD);
  before = snapshot (f);
  g_assert_null (desk_deactivation_execute (f->session, plan, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_PLAN_CHANGED);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_refused_receiver_deactivated_since (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  choose_all (plan);
  /* Another workstation deactivated the receiver meanwhile. */
  desk_test_exec (f->store, "UPDATE members SET status = 'deactivated', deactivated_at = 5"
                            " WHERE id = 9002");
  confirm (f->session, DESK_DEMO_PASSWORD);
  before = snapshot (f);
  g_assert_null (desk_deactivation_execute (f->session, plan, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_DEACTIVATED);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);

  /* And the member deactivated meanwhile. */
  g_clear_error (&error);
  desk_test_exec (f->store, "UPDATE members SET status = 'active', deactivated_at = NULL"
                            " WHERE id = 9002;"
                            "UPDATE members SET status = 'deactivated', deactivated_at = 5"
                            " WHERE id = 9001");
  confirm (f->session, DESK_DEMO_PASSWORD);
  g_assert_null (desk_deactivation_execute (f->session, plan, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_ALREADY_DEACTIVATED);
}

/* Executing */

static void
test_moves (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(DeskDeactivationReport) report = NULL;
  guint64 n_entries = 0;
  gint64 first_broken = 0;
  g_autoptr(DeskMember) member = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *counts = record_counts (f);
  g_autofree char *counts_after = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 entries;
  gint64 d;

  choose_all (plan);
  desk_deactivation_plan_set_reason (plan, "  Moved to Halifax ");
  lines = desk_deactivation_plan_describe (plan);
  g_assert_cmpstr (lines[0], ==, "3 future appointments move to Denis Ouellet.");
  g_assert_cmpstr (lines[1], ==, "3 Qnaires (recurring or sent) move to Denis Ouellet.");
  g_assert_nonnull (strstr (lines[2], "3 inbox messages (1 snoozed) are forwarded to Claire Roy"));
  g_assert_nonnull (strstr (lines[3], "main lab integration, LifeLabs (account L-2), is transferred to Denis Ouellet"));
  g_assert_nonnull (strstr (lines[5], "disconnected from MDBilling"));

  confirm (f->session, DESK_DEMO_PASSWORD);
  entries = count (f, "SELECT count (*) FROM audit_log");
  report = desk_deactivation_execute (f->session, plan, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  d = report->deactivation_id;
  g_assert_cmpuint (report->appointments_moved, ==, 3);
  g_assert_cmpuint (report->appointments_cancelled, ==, 0);
  g_assert_cmpuint (report->recurring_qnaires_moved, ==, 1);
  g_assert_cmpuint (report->sent_qnaires_moved, ==, 2);
  g_assert_cmpuint (report->messages_forwarded, ==, 3);
  g_assert_cmpuint (report->lab_integrations_moved, ==, 2);
  g_assert_true (report->billing_disconnected);

  /* Nothing deleted, nothing added but the bookkeeping. */
  counts_after = record_counts (f);
  g_assert_cmpstr (counts_after, ==, counts);

  /* Each moved item: its new holder, its previous one, its deactivation. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM appointments WHERE"
                                    " practitioner_id = 9002 AND moved_from_practitioner_id = 9001"
                                    " AND deactivation_id = %" G_GINT64_FORMAT
                                    " AND status = 'booked'", d), ==, 3);
  /* The receiver sees where each came from. */
  {
    g_autoptr(GListModel) appointments = desk_client_list_appointments (f->store, 1, 50, &error);
    gboolean seen = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (appointments); i++)
      {
        g_autoptr(DeskAppointment) appointment = g_list_model_get_item (appointments, i);

        if (desk_appointment_get_id (appointment) != 90001)
          continue;
        seen = TRUE;
        g_assert_cmpstr (desk_appointment_get_practitioner_name (appointment), ==, "Denis Ouellet");
        g_assert_cmpstr (desk_appointment_get_moved_from_name (appointment), ==, "Lea Vermette");
        g_assert_cmpint (desk_appointment_get_moved_at (appointment), ==, DESK_TEST_NOW);
      }
    g_assert_true (seen);
  }
  /* The past and the cancelled stay as they were. */
  g_assert_cmpint (count (f, "SELECT count (*) FROM appointments WHERE practitioner_id = 9001"
                             " AND deactivation_id IS NULL AND id IN (90004, 90005)"), ==, 2);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM qnaire_schedules WHERE"
                                    " practitioner_id = 9002 AND moved_from_practitioner_id = 9001"
                                    " AND deactivation_id = %" G_GINT64_FORMAT, d), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM qnaire_sends WHERE practitioner_id = 9002"
                             " AND moved_from_practitioner_id = 9001 AND status = 'sent'"), ==, 2);
  /* A Qnaire sent by someone else for a moved appointment stays theirs. */
  g_assert_cmpint (count (f, "SELECT practitioner_id FROM qnaire_sends WHERE id = 90002"), ==, 2);
  g_assert_cmpint (count (f, "SELECT practitioner_id FROM qnaire_sends WHERE id = 90004"), ==, 9001);
  /* Snoozed forwarded too, still snoozed; the done one stays. */
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM inbox_items WHERE"
                                    " member_id = 9003 AND forwarded_from_member_id = 9001"
                                    " AND forwarded_at = %" G_GINT64_FORMAT " AND deactivation_id = %"
                                    G_GINT64_FORMAT, DESK_TEST_NOW, d), ==, 3);
  g_assert_cmpint (count (f, "SELECT count (*) FROM inbox_items WHERE id = 90002"
                             " AND snoozed_until IS NOT NULL AND member_id = 9003"), ==, 1);
  g_assert_cmpint (count (f, "SELECT member_id FROM inbox_items WHERE id = 90004"), ==, 9001);
  g_assert_cmpint (count (f, "SELECT count (*) FROM lab_integrations WHERE member_id = 9002"
                             " AND id IN (90001, 90002)"), ==, 2);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM lab_integration_transfers"
                                    " WHERE from_member_id = 9001 AND to_member_id = 9002"
                                    " AND deactivation_id = %" G_GINT64_FORMAT, d), ==, 2);
  g_assert_cmpint (count (f, "SELECT count (*) FROM billing_connections WHERE id = 90001"
                             " AND status = 'disconnected' AND disconnected_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM reauth_tokens WHERE member_id = 9001"
                             " AND revoked_at IS NULL"), ==, 0);

  /* The member: deactivated with the reason, their roles and groups kept. */
  member = desk_member_load (f->store, LEAVER, &error);
  g_assert_no_error (error);
  g_assert_false (desk_member_get_is_active (member));
  g_assert_cmpstr (desk_member_get_deactivation_reason (member), ==, "Moved to Halifax");
  g_assert_cmpint (count (f, "SELECT count (*) FROM member_roles WHERE member_id = 9001"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM member_groups WHERE member_id = 9001"), ==, 1);
  g_assert_cmpint (desk_test_count (f->store, "SELECT count (*) FROM member_status_changes"
                                    " WHERE id = %" G_GINT64_FORMAT " AND member_id = 9001"
                                    " AND change = 'deactivated' AND inbox_to_member_id = 9003"
                                    " AND reason = 'Moved to Halifax'", d), ==, 1);

  /* The audit log: one entry per category and integration, and the
   * deactivation; the chain intact. */
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log"), ==, entries + 7);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log WHERE action IN"
                             " ('appointments.move', 'qnaires.move', 'inbox.forward',"
                             "  'lab.transfer', 'lab.transfer-main', 'billing.disconnect',"
                             "  'member.deactivate') AND reason = 'Moved to Halifax'"), ==, 7);
  g_assert_true (desk_audit_verify (f->store, &n_entries, &first_broken, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries, ==, entries + 7);

  /* The report says it, and exports as CSV. */
  g_assert_cmpstr (report->lines[0], ==, "3 future appointments moved to Denis Ouellet.");
  csv = desk_deactivation_report_to_csv (report);
  g_assert_true (g_str_has_prefix (csv, "When,What happened\r\n"));
  g_assert_nonnull (strstr (csv, ",\"3 future appointments moved to Denis Ouellet.\"\r\n"));
}

static void
test_consequences (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *counts = record_counts (f);
  g_autofree char *counts_after = NULL;
  g_auto(GStrv) lines = NULL;

  /* Nothing moved: cancel, remove, archive; the labs must still go. */
  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_LABS, DOCTOR, &error));
  /* Not by default: each consequence is a choice. */
  g_assert_false (desk_deactivation_plan_check (plan, f->session, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_NOT_CHOSEN);
  g_assert_nonnull (strstr (error->message, "appointments"));
  g_clear_error (&error);
  confirm (f->session, DESK_DEMO_PASSWORD);
  g_assert_null (desk_deactivation_execute (f->session, plan, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_NOT_CHOSEN);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count (*) FROM members WHERE id = 9001"
                             " AND status = 'active'"), ==, 1);
  choose_consequences (plan);
  lines = desk_deactivation_plan_describe (plan);
  g_assert_cmpstr (lines[0], ==, "3 future appointments are cancelled; they stay in the record with the reason.");
  g_assert_cmpstr (lines[1], ==, "2 Qnaires sent for these appointments are removed; they stay in the record.");
  g_assert_nonnull (strstr (lines[3], "archived with Lea Vermette: kept, not deleted"));

  confirm (f->session, DESK_DEMO_PASSWORD);
  report = desk_deactivation_execute (f->session, plan, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->appointments_cancelled, ==, 3);
  /* 2 for the appointments (one of them another's), then 1 recurring and
   * the leaver's remaining sent one. */
  g_assert_cmpuint (report->qnaires_removed, ==, 4);
  g_assert_cmpuint (report->messages_archived, ==, 3);

  counts_after = record_counts (f);
  g_assert_cmpstr (counts_after, ==, counts);
  g_assert_cmpint (count (f, "SELECT count (*) FROM appointments WHERE status = 'cancelled'"
                             " AND cancel_reason = 'Lea Vermette was deactivated'"
                             " AND deactivation_id IS NOT NULL AND practitioner_id = 9001"), ==, 3);
  g_assert_cmpint (count (f, "SELECT count (*) FROM qnaire_sends WHERE status = 'removed'"
                             " AND id IN (90001, 90002, 90003) AND removed_reason <> ''"), ==, 3);
  g_assert_cmpint (count (f, "SELECT count (*) FROM qnaire_schedules WHERE id = 90001"
                             " AND status = 'removed'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM inbox_items WHERE member_id = 9001"
                             " AND folder = 'held' AND held_at IS NOT NULL"), ==, 3);
  g_assert_cmpint (count (f, "SELECT count (*) FROM member_status_changes WHERE member_id = 9001"
                             " AND change = 'deactivated' AND inbox_to_member_id IS NULL"), ==, 1);
}

/* A change that fails at its last step leaves nothing of its first ones. */
static void
test_all_or_nothing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  choose_all (plan);
  /* Only this connection sees it: the last write of the change fails. */
  desk_test_exec (f->store, "CREATE TEMP TRIGGER fail_last BEFORE UPDATE OF status ON members"
                            " WHEN new.status = 'deactivated'"
                            " BEGIN SELECT RAISE (ABORT, 'failed on purpose'); END");
  confirm (f->session, DESK_DEMO_PASSWORD);
  before = snapshot (f);
  g_assert_null (desk_deactivation_execute (f->session, plan, &error));
  g_assert_nonnull (error);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count (f, "SELECT count (*) FROM appointments WHERE deactivation_id IS NOT NULL"),
                   ==, 0);
  g_assert_cmpint (count (f, "SELECT count (*) FROM lab_integration_transfers"), ==, 0);
  desk_test_exec (f->store, "DROP TRIGGER temp.fail_last");
}

static void
test_execute_async (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;
  gulong id;

  choose_all (plan);
  id = g_signal_connect_swapped (f->store, "changed", G_CALLBACK (g_atomic_int_inc), &changed);
  confirm (f->session, DESK_DEMO_PASSWORD);
  desk_deactivation_execute_async (f->session, plan, NULL, desk_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = desk_deactivation_execute_finish (f->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->appointments_moved, ==, 3);
  g_assert_nonnull (report->lines);
  g_assert_cmpuint (changed, ==, 1);
  g_signal_handler_disconnect (f->store, id);
  g_assert_cmpint (count (f, "SELECT count (*) FROM members WHERE id = 9001"
                             " AND status = 'deactivated'"), ==, 1);
}

/* The member's other sessions end at their next action. */
static void
test_sessions_end (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DeskSession) leaver = sign_in (f->store, "leaver", PASSWORD);
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_session_require (leaver, 0, &error));
  choose_all (plan);
  confirm (f->session, DESK_DEMO_PASSWORD);
  report = desk_deactivation_execute (f->session, plan, &error);
  g_assert_no_error (error);
  g_assert_false (desk_session_require (leaver, 0, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED);
  g_clear_error (&error);
  g_assert_null (desk_session_sign_in (f->store, "leaver", PASSWORD, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_DEACTIVATED);
}

/* Reactivating */

static void
test_reactivate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(DeskSession) leaver = NULL;
  g_autoptr(GError) error = NULL;
  gboolean billing = FALSE;

  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_LABS, DOCTOR, &error));
  choose_consequences (plan);
  confirm (f->session, DESK_DEMO_PASSWORD);
  report = desk_deactivation_execute (f->session, plan, &error);
  g_assert_no_error (error);

  /* Without a confirmation: refused, nothing changed. */
  g_assert_false (desk_deactivation_reactivate (f->session, LEAVER, NULL, &billing, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count (*) FROM members WHERE id = 9001"
                             " AND status = 'deactivated'"), ==, 1);

  confirm (f->session, DESK_DEMO_PASSWORD);
  g_assert_true (desk_deactivation_reactivate (f->session, LEAVER, "Came back", &billing, &error));
  g_assert_no_error (error);
  g_assert_true (billing);
  g_assert_cmpint (count (f, "SELECT count (*) FROM members WHERE id = 9001 AND status = 'active'"
                             " AND deactivated_at IS NULL"), ==, 1);
  /* The archived inbox is back; billing stays disconnected; roles kept. */
  g_assert_cmpint (count (f, "SELECT count (*) FROM inbox_items WHERE member_id = 9001"
                             " AND folder = 'inbox'"), ==, 3);
  g_assert_cmpint (count (f, "SELECT count (*) FROM billing_connections WHERE member_id = 9001"
                             " AND status = 'disconnected'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM member_roles WHERE member_id = 9001"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM member_status_changes WHERE member_id = 9001"
                             " AND change = 'reactivated' AND reason = 'Came back'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count (*) FROM audit_log WHERE action = 'member.reactivate'"
                             " AND target_id = 9001"), ==, 1);
  leaver = sign_in (f->store, "leaver", PASSWORD);

  /* An active member: nothing to reactivate. */
  confirm (f->session, DESK_DEMO_PASSWORD);
  g_assert_false (desk_deactivation_reactivate (f->session, LEAVER, NULL, NULL, &error));
  g_assert_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_NOT_DEACTIVATED);
  g_clear_error (&error);

  /* Without "edit other users". */
  {
    g_autoptr(DeskSession) clerk = sign_in (f->store, "clerk", PASSWORD);

    confirm (clerk, PASSWORD);
    g_assert_false (desk_deactivation_reactivate (clerk, GONE, NULL, NULL, &error));
    g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_PERMISSION_DENIED);
  }
}

static void
test_reactivate_async (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean billing = FALSE;

  g_assert_true (desk_deactivation_plan_set_receiver (plan, DESK_DEACTIVATION_LABS, DOCTOR, &error));
  choose_consequences (plan);
  confirm (f->session, DESK_DEMO_PASSWORD);
  report = desk_deactivation_execute (f->session, plan, &error);
  g_assert_no_error (error);

  /* Refused without a confirmation, through the callback. */
  desk_deactivation_reactivate_async (f->session, LEAVER, NULL, NULL, desk_test_async_result_cb,
                                      &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (desk_deactivation_reactivate_finish (f->session, result, &billing, &error));
  g_assert_error (error, DESK_SESSION_ERROR, DESK_SESSION_ERROR_REAUTH_REQUIRED);
  g_clear_error (&error);
  g_clear_object (&result);

  confirm (f->session, DESK_DEMO_PASSWORD);
  desk_deactivation_reactivate_async (f->session, LEAVER, "Back", NULL, desk_test_async_result_cb,
                                      &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (desk_deactivation_reactivate_finish (f->session, result, &billing, &error));
  g_assert_no_error (error);
  g_assert_true (billing);
  g_assert_cmpint (count (f, "SELECT count (*) FROM inbox_items WHERE member_id = 9001"
                             " AND folder = 'inbox'"), ==, 3);
  g_assert_cmpint (count (f, "SELECT count (*) FROM members WHERE id = 9001"
                             " AND status = 'active'"), ==, 1);
}

/* Delivery */

static GArray *
deliver (Fixture  *f,
         gint64    to,
         GError  **error)
{
  GArray *recipients = NULL;

  if (!desk_delivery_deliver (f->session, to, 0, 1, "Lab result", "Please review.", NULL,
                              &recipients, error))
    return NULL;
  return recipients;
}

static void
test_delivery (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DeskDeactivationPlan) plan = plan_for (f, LEAVER);
  g_autoptr(DeskDeactivationReport) report = NULL;
  g_autoptr(GArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  gint64 messages;

  /* To an active member: to them. */
  recipients = deliver (f, LEAVER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, 1);
  g_assert_cmpint (g_array_index (recipients, gint64, 0), ==, LEAVER);
  g_clear_pointer (&recipients, g_array_unref);
  g_clear_object (&plan);
  plan = plan_for (f, LEAVER);

  /* Deactivated, inbox to the clerk: to the clerk, saying whom it was for. */
  choose_all (plan);
  confirm (f->session, DESK_DEMO_PASSWORD);
  report = desk_deactivation_execute (f->session, plan, &error);
  g_assert_no_error (error);
  recipients = deliver (f, LEAVER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, 1);
  g_assert_cmpint (g_array_index (recipients, gint64, 0), ==, CLERK);
  g_assert_cmpint (count (f, "SELECT count (*) FROM inbox_items i JOIN messages m"
                             " ON m.id = i.message_id WHERE i.member_id = 9003"
                             " AND i.addressed_to_member_id = 9001 AND m.subject = 'Lab result'"), ==, 1);
  g_clear_pointer (&recipients, g_array_unref);

  /* The clerk leaves too, her inbox archived: a chain with no one active
   * at its end reaches the members who may edit other users. */
  {
    g_autoptr(DeskDeactivationPlan) second = plan_for (f, CLERK);
    g_autoptr(DeskDeactivationReport) second_report = NULL;
    gint64 editors = count (f, "SELECT count (DISTINCT m.id) FROM members m"
                               " JOIN member_roles mr ON mr.member_id = m.id"
                               " JOIN role_permissions rp ON rp.role_id = mr.role_id"
                               " WHERE rp.permission = 'edit-users' AND m.status = 'active'");

    g_assert_true (desk_deactivation_plan_set_receiver (second, DESK_DEACTIVATION_INBOX, 0, &error));
    confirm (f->session, DESK_DEMO_PASSWORD);
    second_report = desk_deactivation_execute (f->session, second, &error);
    g_assert_no_error (error);
    /* Her own 3, the leaver's forwarded 3 and the one delivered in his place. */
    g_assert_cmpuint (second_report->messages_archived, ==, 5);
    recipients = deliver (f, LEAVER, &error);
    g_assert_no_error (error);
    g_assert_cmpint (editors, >, 0);
    g_assert_cmpuint (recipients->len, ==, editors);
    for (guint i = 0; i < recipients->len; i++)
      g_assert_cmpint (g_array_index (recipients, gint64, i), !=, CLERK);
    g_clear_pointer (&recipients, g_array_unref);
  }

  /* Deactivated before with an archived inbox: the members who may edit
   * other users. */
  recipients = deliver (f, GONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (recipients, gint64, 0), ==,
                   count (f, "SELECT id FROM members WHERE username = 'admin'"));
  g_clear_pointer (&recipients, g_array_unref);

  messages = count (f, "SELECT count (*) FROM messages");
  g_assert_null (deliver (f, 123456, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD);
  g_clear_error (&error);
  g_assert_false (desk_delivery_deliver (f->session, DOCTOR, 0, 0, "  ", "b", NULL, NULL, &error));
  g_assert_error (error, DESK_DELIVERY_ERROR, DESK_DELIVERY_ERROR_INVALID);
  g_assert_cmpint (count (f, "SELECT count (*) FROM messages"), ==, messages);
}

static void
test_delivery_no_recipient (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 messages = count (f, "SELECT count (*) FROM messages");
  gint64 items = count (f, "SELECT count (*) FROM inbox_items");

  /* Nobody active may edit other users (behind the model's back, as only
   * a broken clinic could be), and the addressee is gone with an archived
   * inbox: refused, nothing written. */
  desk_test_exec (f->store, "DELETE FROM role_permissions WHERE permission = 'edit-users'");
  g_assert_false (desk_delivery_deliver (f->session, GONE, 0, 0, "s", "b", NULL, NULL, &error));
  g_assert_error (error, DESK_DELIVERY_ERROR, DESK_DELIVERY_ERROR_NO_RECIPIENT);
  g_assert_cmpint (count (f, "SELECT count (*) FROM messages"), ==, messages);
  g_assert_cmpint (count (f, "SELECT count (*) FROM inbox_items"), ==, items);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/deactivation/plan/impact", test_impact);
  ADD ("/deactivation/plan/impact-async", test_impact_async);
  ADD ("/deactivation/refused/plans", test_refused_plans);
  ADD ("/deactivation/refused/receivers", test_refused_receivers);
  ADD ("/deactivation/refused/main-lab", test_refused_main_lab);
  ADD ("/deactivation/refused/without-confirmation", test_refused_without_confirmation);
  for (guint i = 0; i < G_N_ELEMENTS (plan_changes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/deactivation/refused/plan-changed/%u", i);

      g_test_add (path, Fixture, GUINT_TO_POINTER (i), fixture_set_up, test_refused_plan_changed,
                  fixture_tear_down);
    }
  ADD ("/deactivation/refused/receiver-deactivated-since", test_refused_receiver_deactivated_since);
  ADD ("/deactivation/execute/moves", test_moves);
  ADD ("/deactivation/execute/consequences", test_consequences);
  ADD ("/deactivation/execute/all-or-nothing", test_all_or_nothing);
  ADD ("/deactivation/execute/async", test_execute_async);
  ADD ("/deactivation/execute/sessions-end", test_sessions_end);
  ADD ("/deactivation/reactivate", test_reactivate);
  ADD ("/deactivation/reactivate-async", test_reactivate_async);
  ADD ("/delivery/successor", test_delivery);
  ADD ("/delivery/no-recipient", test_delivery_no_recipient);

  return g_test_run ();
}
