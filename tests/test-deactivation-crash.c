/* test-deactivation-crash.c: a deactivation killed at any moment is entirely done or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A child process (deactivation-crash-child) deactivates and reactivates
 * two members in a loop, the work going back and forth between them; this
 * test kills it with SIGKILL at random moments, 200 times, and after each
 * kill opens the file as the next program would and checks it: the file
 * is sound, the audit chain verifies, nothing was lost or added, every
 * item is with one member as a whole (the last deactivation moved all of
 * it or none), and every moved item, status and audit entry belongs to a
 * deactivation that is recorded in full.  The kill times are random (the
 * seed is printed: G_TEST_SEED or --seed replays them); what is asserted
 * is not.
 */
#include "config.h"

#include <signal.h>

#include "desk-audit.h"
#include "desk-deactivation.h"
#include "desk-session.h"
#include "desk-test-util.h"

#define KILLS 200

#define FIRST  9001
#define SECOND 9002
/* The fixture's items have ids above this; the demo's are below. */
#define BASE   1000000
#define APPOINTMENTS 1500
#define RECURRING    200
#define SENT         400      /* half of them for the appointments */
#define MESSAGES     1500
#define SNOOZED      100
/* The first child runs this many turns (a deactivation and a reactivation
 * each) before it is killed: so there is work to find whatever the kill
 * times, and the test learns how long a turn takes on this machine (a
 * sanitizer, a loaded CI runner).  The others are killed within two turns
 * of their start, before, inside or between the transactions. */
#define FIRST_TURNS  3

typedef struct
{
  DeskTestDir *dir;
  char        *path;
  char        *token;         /* the administrator's confirmation, for the children */
  gint64       audit_start;   /* the last audit entry before the test */
  char        *totals;        /* the record's counts, which nothing may change */
} Fixture;

static gint64
count (DeskStore  *store,
       const char *sql)
{
  return desk_test_count (store, "%s", sql);
}

/* Everything the clinic keeps, counted. */
static char *
record_totals (DeskStore *store)
{
  return g_strdup_printf ("appointments %" G_GINT64_FORMAT ", recurring Qnaires %" G_GINT64_FORMAT
                          ", sent Qnaires %" G_GINT64_FORMAT ", messages %" G_GINT64_FORMAT
                          ", inbox items %" G_GINT64_FORMAT ", lab integrations %" G_GINT64_FORMAT
                          ", members %" G_GINT64_FORMAT ", billing connections %" G_GINT64_FORMAT,
                          count (store, "SELECT count (*) FROM appointments"),
                          count (store, "SELECT count (*) FROM qnaire_schedules"),
                          count (store, "SELECT count (*) FROM qnaire_sends"),
                          count (store, "SELECT count (*) FROM messages"),
                          count (store, "SELECT count (*) FROM inbox_items"),
                          count (store, "SELECT count (*) FROM lab_integrations"),
                          count (store, "SELECT count (*) FROM members"),
                          count (store, "SELECT count (*) FROM billing_connections"));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *sql = NULL;
  /* The child plans with the real clock. */
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  f->dir = desk_test_dir_new ();
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  store = desk_test_demo_store (f->path, 20, 8);
  sql = g_strdup_printf (
    "INSERT INTO members (id, username, given_name, family_name, email, kind, province,"
    "  created_at, search_text, sort_key) VALUES"
    " (9001, 'first', 'Lea', 'Vermette', 'lv@x.ca', 'provider', 'ON', 0, 'lea', 'v'),"
    " (9002, 'second', 'Denis', 'Ouellet', 'do@x.ca', 'provider', 'ON', 0, 'denis', 'o');"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %2$d)"
    " INSERT INTO appointments (id, client_id, practitioner_id, starts_at, duration_minutes)"
    "  SELECT %1$d + i, 1 + i %% 20, 9001, %3$" G_GINT64_FORMAT " + 30 * 86400 + i * 900, 30"
    "  FROM n;"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %4$d)"
    " INSERT INTO qnaire_schedules (id, title, client_id, practitioner_id, every_days,"
    "  next_send_at) SELECT %1$d + i, 'PHQ-9', 1 + i %% 20, 9001, 30,"
    "  %3$" G_GINT64_FORMAT " + 86400 FROM n;"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %5$d)"
    " INSERT INTO qnaire_sends (id, title, client_id, practitioner_id, appointment_id, sent_at)"
    "  SELECT %1$d + i, 'Intake', 1 + i %% 20, 9001, CASE WHEN i %% 2 = 0 THEN %1$d + i END,"
    "  0 FROM n;"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %6$d)"
    " INSERT INTO messages (id, sender_member_id, subject, body, sent_at)"
    "  SELECT %1$d + i, 1, 'Results ' || i, 'Please review.', i FROM n;"
    "INSERT INTO inbox_items (id, message_id, member_id, received_at, snoozed_until)"
    "  SELECT id, id, 9001, sent_at, CASE WHEN id %% (%6$d / %7$d) = 0"
    "   THEN %3$" G_GINT64_FORMAT " + 86400 END FROM messages WHERE id > %1$d;"
    "INSERT INTO lab_integrations (id, lab_name, account_number, member_id, is_main, created_at)"
    "  VALUES (%1$d + 1, 'Dynacare', 'D-1', 9001, 0, 0);"
    "INSERT INTO billing_connections (id, member_id, system, province, billing_number,"
    "  connected_at) VALUES (%1$d + 1, 9001, 'mdbilling', 'ON', '012345', 0);",
    BASE, APPOINTMENTS, now, RECURRING, SENT, MESSAGES, SNOOZED);
  desk_test_exec (store, sql);

  /* One password confirmation, kept as a token for the children: each
   * would otherwise hash the password twice, and there are 200. */
  desk_store_set_now (store, now);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskSession) session = desk_session_sign_in (store, DESK_DEMO_USERNAME,
                                                           DESK_DEMO_PASSWORD, &error);

    g_assert_no_error (error);
    g_assert_true (desk_session_reauthenticate (session, DESK_DEMO_PASSWORD, &error));
    g_assert_no_error (error);
    f->token = desk_session_issue_reauth_token (session, 15 * 60, &error);
    g_assert_no_error (error);
    g_assert_nonnull (f->token);
  }

  f->audit_start = count (store, "SELECT coalesce (max (id), 0) FROM audit_log");
  f->totals = record_totals (store);
  g_assert_cmpint (count (store, "SELECT count (*) FROM appointments WHERE id > 1000000"), ==, 1500);
  g_assert_cmpint (count (store, "SELECT count (*) FROM inbox_items WHERE id > 1000000"), ==, 1500);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->totals);
  g_free (f->token);
  g_free (f->path);
  desk_test_dir_free (f->dir);
}

/* What the kills found, for the log. */
typedef struct
{
  gint64 deactivations;
  gint64 reactivations;
  guint  left_deactivated;   /* kills after a deactivation, before its reactivation */
} Seen;

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* The file as the next program finds it. */
static void
check_clinic (Fixture *f,
              Seen    *seen)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (f->path, &error);
  g_autofree char *integrity = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *sql = NULL;
  guint64 n_entries = 0;
  gint64 first_broken = -1;
  gint64 last, holder, other;

  g_assert_no_error (error);
  g_assert_nonnull (store);

  integrity = query_text (_desk_store_get_db (store), "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_true (desk_audit_verify (store, &n_entries, &first_broken, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, >, f->audit_start);

  /* Nothing lost, nothing added. */
  totals = record_totals (store);
  g_assert_cmpstr (totals, ==, f->totals);

  /* Every item with one member, the same for all: the work is whole. */
  holder = count (store, "SELECT practitioner_id FROM appointments WHERE id = 1000001");
  g_assert_true (holder == FIRST || holder == SECOND);
  other = holder == FIRST ? SECOND : FIRST;
  sql = g_strdup_printf (
    "SELECT (SELECT count (*) FROM appointments WHERE id > 1000000"
    "         AND practitioner_id = %1$" G_GINT64_FORMAT " AND status = 'booked')"
    "     + (SELECT count (*) FROM qnaire_schedules WHERE id > 1000000"
    "         AND practitioner_id = %1$" G_GINT64_FORMAT " AND status = 'active')"
    "     + (SELECT count (*) FROM qnaire_sends WHERE id > 1000000"
    "         AND practitioner_id = %1$" G_GINT64_FORMAT " AND status = 'sent')"
    "     + (SELECT count (*) FROM inbox_items WHERE id > 1000000"
    "         AND member_id = %1$" G_GINT64_FORMAT " AND folder = 'inbox')"
    "     + (SELECT count (*) FROM lab_integrations WHERE id = 1000001"
    "         AND member_id = %1$" G_GINT64_FORMAT ")", holder);
  g_assert_cmpint (desk_test_count (store, "%s", sql), ==, 1500 + 200 + 400 + 1500 + 1);
  /* The holder is active: deactivating them would have moved it all. */
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM members WHERE id = %"
                                    G_GINT64_FORMAT " AND status = 'active'", holder), ==, 1);

  /* The last deactivation moved all of it, each item keeping where it came from. */
  last = count (store, "SELECT coalesce (max (id), 0) FROM member_status_changes"
                       " WHERE change = 'deactivated' AND member_id IN (9001, 9002)");
  if (last == 0)
    {
      g_assert_cmpint (holder, ==, FIRST);
      g_assert_cmpint (count (store, "SELECT count (*) FROM appointments WHERE id > 1000000"
                                     " AND deactivation_id IS NOT NULL"), ==, 0);
    }
  else
    {
      g_assert_cmpint (desk_test_count (store, "SELECT member_id FROM member_status_changes"
                                        " WHERE id = %" G_GINT64_FORMAT, last), ==, other);
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf (
        "SELECT (SELECT count (*) FROM appointments WHERE id > 1000000"
        "         AND deactivation_id = %1$" G_GINT64_FORMAT
        "         AND moved_from_practitioner_id = %2$" G_GINT64_FORMAT ")"
        "     + (SELECT count (*) FROM qnaire_schedules WHERE id > 1000000"
        "         AND deactivation_id = %1$" G_GINT64_FORMAT
        "         AND moved_from_practitioner_id = %2$" G_GINT64_FORMAT ")"
        "     + (SELECT count (*) FROM qnaire_sends WHERE id > 1000000"
        "         AND deactivation_id = %1$" G_GINT64_FORMAT
        "         AND moved_from_practitioner_id = %2$" G_GINT64_FORMAT ")"
        "     + (SELECT count (*) FROM inbox_items WHERE id > 1000000"
        "         AND deactivation_id = %1$" G_GINT64_FORMAT
        "         AND forwarded_from_member_id = %2$" G_GINT64_FORMAT ")"
        "     + (SELECT count (*) FROM lab_integration_transfers WHERE integration_id = 1000001"
        "         AND deactivation_id = %1$" G_GINT64_FORMAT
        "         AND from_member_id = %2$" G_GINT64_FORMAT ")", last, other);
      g_assert_cmpint (desk_test_count (store, "%s", sql), ==, 1500 + 200 + 400 + 1500 + 1);
    }

  /* No item of a deactivation without its recorded deactivation. */
  g_assert_cmpint (count (store, "SELECT count (*) FROM appointments a"
                                 " WHERE deactivation_id IS NOT NULL AND NOT EXISTS"
                                 " (SELECT 1 FROM member_status_changes s"
                                 "  WHERE s.id = a.deactivation_id AND s.change = 'deactivated'"
                                 "  AND s.member_id = a.moved_from_practitioner_id)"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count (*) FROM inbox_items i"
                                 " WHERE deactivation_id IS NOT NULL AND NOT EXISTS"
                                 " (SELECT 1 FROM member_status_changes s"
                                 "  WHERE s.id = i.deactivation_id AND s.change = 'deactivated'"
                                 "  AND s.member_id = i.forwarded_from_member_id)"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count (*) FROM billing_connections b"
                                 " WHERE id > 1000000 AND status = 'disconnected' AND NOT EXISTS"
                                 " (SELECT 1 FROM member_status_changes s"
                                 "  WHERE s.id = b.deactivation_id AND s.member_id = b.member_id)"),
                   ==, 0);

  /* Each member's status is that of their last status change. */
  g_assert_cmpint (count (store, "SELECT count (*) FROM members m WHERE id IN (9001, 9002)"
                                 " AND m.status != coalesce ((SELECT CASE s.change"
                                 "  WHEN 'reactivated' THEN 'active' ELSE 'deactivated' END"
                                 "  FROM member_status_changes s WHERE s.member_id = m.id"
                                 "  ORDER BY s.id DESC LIMIT 1), 'active')"), ==, 0);

  /* The audit entries: each deactivation has exactly its own (appointments,
   * Qnaires, inbox, the lab, the member, and the billing disconnect the
   * first time), each reactivation one, and nothing else was written but
   * sign-ins and confirmations. */
  /* One pass over the entries the test wrote, grouped by deactivation. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf (
    "WITH entries AS (SELECT json_extract (details, '$.deactivation_id') AS deactivation,"
    "   count (*) AS n, total (action = 'member.deactivate') AS member"
    "   FROM audit_log WHERE id > %" G_GINT64_FORMAT " GROUP BY 1),"
    " deactivations AS (SELECT s.id, s.member_id,"
    "   5 + (SELECT count (*) FROM billing_connections b WHERE b.deactivation_id = s.id) AS n"
    "   FROM member_status_changes s"
    "   WHERE change = 'deactivated' AND member_id IN (9001, 9002))"
    " SELECT (SELECT count (*) FROM deactivations d LEFT JOIN entries e ON e.deactivation = d.id"
    "          WHERE coalesce (e.n, 0) != d.n OR coalesce (e.member, 0) != 1)"
    "      + (SELECT count (*) FROM entries e WHERE e.deactivation IS NOT NULL"
    "          AND e.deactivation NOT IN (SELECT id FROM deactivations))",
    f->audit_start);
  g_assert_cmpint (desk_test_count (store, "%s", sql), ==, 0);
  g_assert_cmpint (count (store, "SELECT count (*) FROM audit_log WHERE action = 'member.reactivate'"
                                 " AND target_id IN (9001, 9002)"), ==,
                   count (store, "SELECT count (*) FROM member_status_changes"
                                 " WHERE change = 'reactivated' AND member_id IN (9001, 9002)"));
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM audit_log WHERE id > %"
                                    G_GINT64_FORMAT " AND action NOT IN ('member.sign-in',"
                                    " 'member.reauthenticate', 'member.reauth-token',"
                                    " 'appointments.move', 'qnaires.move', 'inbox.forward',"
                                    " 'lab.transfer', 'billing.disconnect', 'member.deactivate',"
                                    " 'member.reactivate')", f->audit_start), ==, 0);

  seen->deactivations = count (store, "SELECT count (*) FROM member_status_changes"
                                      " WHERE change = 'deactivated' AND member_id IN (9001, 9002)");
  seen->reactivations = count (store, "SELECT count (*) FROM member_status_changes"
                                      " WHERE change = 'reactivated' AND member_id IN (9001, 9002)");
  if (count (store, "SELECT count (*) FROM members WHERE id IN (9001, 9002)"
                    " AND status = 'deactivated'") > 0)
    seen->left_deactivated++;
}

static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GRand) rand = NULL;
  g_autofree char *first = g_strdup_printf ("%d", FIRST);
  g_autofree char *second = g_strdup_printf ("%d", SECOND);
  guint32 seed = g_test_rand_int ();
  Seen seen = { 0, };
  gint64 last_deactivations = 0;
  gint64 ready_us = 0, check_us = 0, turn_us = 0;
  guint ready_runs = 0;
  guint progressed = 0;

  g_test_message ("kill times: seed %" G_GUINT32_FORMAT, seed);
  rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < KILLS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autofree char *line = NULL;
      gint64 start = g_get_monotonic_time ();
      /* One kill in four during the start: opening, signing in, finishing
       * what the last child left half-way in its loop. */
      gboolean early = i % 4 == 3 && ready_runs > 0;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                DESK_CRASH_CHILD, f->path, f->token, first, second, NULL);
      g_assert_no_error (error);
      if (early)
        g_usleep (g_rand_int_range (rand, 0, ready_us / ready_runs));
      else
        {
          out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
          line = g_data_input_stream_read_line (out, NULL, NULL, &error);
          g_assert_no_error (error);
          /* The child says why on stderr if it ends before. */
          g_assert_cmpstr (line, ==, "ready");
          ready_us += g_get_monotonic_time () - start;
          ready_runs++;
          if (i == 0)
            {
              gint64 ready = g_get_monotonic_time ();

              for (guint turn = 0; turn < FIRST_TURNS; turn++)
                {
                  g_free (line);
                  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
                  g_assert_no_error (error);
                  g_assert_cmpstr (line, ==, "turn");
                }
              turn_us = (g_get_monotonic_time () - ready) / FIRST_TURNS;
            }
          else
            g_usleep (g_rand_int_range (rand, 0, 2 * turn_us));
        }
      g_subprocess_send_signal (child, SIGKILL);
      g_assert_true (g_subprocess_wait (child, NULL, &error));
      g_assert_no_error (error);
      /* Killed, not ended by an error of its own. */
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      start = g_get_monotonic_time ();
      check_clinic (f, &seen);
      check_us += g_get_monotonic_time () - start;
      if (seen.deactivations > last_deactivations)
        progressed++;
      last_deactivations = seen.deactivations;
    }

  g_test_message ("%d kills: %" G_GINT64_FORMAT " deactivations and %" G_GINT64_FORMAT
                  " reactivations done; %u kills left a member deactivated; %u runs got a"
                  " deactivation through",
                  KILLS, seen.deactivations, seen.reactivations, seen.left_deactivated, progressed);
  g_test_message ("on average %.0f ms until a child is ready, %.0f ms a turn, %.0f ms to check"
                  " the file", ready_us / 1000.0 / ready_runs, turn_us / 1000.0,
                  check_us / 1000.0 / KILLS);
  /* The first child's turns at least. */
  g_assert_cmpint (seen.deactivations, >=, FIRST_TURNS);
  g_assert_cmpint (seen.reactivations, >=, FIRST_TURNS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/deactivation/crash/killed", Fixture, NULL, fixture_set_up, test_killed,
              fixture_tear_down);

  return g_test_run ();
}
