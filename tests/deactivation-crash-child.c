/* deactivation-crash-child.c: deactivates and reactivates two members, for ever, until killed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The child of test-deactivation-crash.  Signs in to CLINIC as the demo
 * administrator, shows the re-authentication token the test was given when
 * it confirmed the password (it stands for every change that follows, as
 * a token kept in the keyring does), finishes what a killed predecessor
 * left (a member left deactivated is reactivated), prints "ready", and then
 * deactivates whichever of the two members holds the work, giving all of it
 * to the other, and reactivates them, again and again, printing "turn"
 * after each pair.  Each deactivation
 * moves everything, so the work goes back and forth between the two and is
 * always whole with one of them.  Any error ends the child with status 1:
 * the test expects it to die only of its SIGKILL.
 *   deactivation-crash-child CLINIC TOKEN FIRST_MEMBER SECOND_MEMBER
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "desk-deactivation.h"
#include "desk-demo.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store.h"

static void G_GNUC_NORETURN
fail (const char *doing,
      GError     *error)
{
  fprintf (stderr, "deactivation-crash-child: %s: %s\n", doing,
           error != NULL ? error->message : "failed");
  exit (1);
}

static gboolean
is_active (DeskStore *store,
           gint64     member_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskMember) member = desk_member_load (store, member_id, &error);

  if (member == NULL)
    fail ("loading a member", error);
  return desk_member_get_is_active (member);
}

static void
reactivate (DeskSession *session,
            gint64       member_id)
{
  g_autoptr(GError) error = NULL;

  if (!desk_deactivation_reactivate (session, member_id, "Back", NULL, &error))
    fail ("reactivating", error);
}

/* Deactivates @leaver, everything to @receiver; FALSE if @leaver holds nothing. */
static gboolean
deactivate (DeskSession *session,
            gint64       leaver,
            gint64       receiver)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskDeactivationPlan) plan = NULL;
  g_autoptr(DeskDeactivationReport) report = NULL;

  plan = desk_deactivation_plan_new (session, leaver, &error);
  if (plan == NULL)
    fail ("planning", error);
  if (desk_deactivation_plan_get_future_appointments (plan) == 0)
    return FALSE;
  for (DeskDeactivationCategory c = DESK_DEACTIVATION_APPOINTMENTS; c <= DESK_DEACTIVATION_LABS; c++)
    if (!desk_deactivation_plan_set_receiver (plan, c, receiver, &error))
      fail ("choosing", error);
  desk_deactivation_plan_set_reason (plan, "Crash test");
  report = desk_deactivation_execute (session, plan, &error);
  if (report == NULL)
    fail ("deactivating", error);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskSession) session = NULL;
  gint64 members[2];

  if (argc != 5)
    {
      fprintf (stderr, "Usage: deactivation-crash-child CLINIC TOKEN FIRST_MEMBER SECOND_MEMBER\n");
      return 2;
    }
  members[0] = g_ascii_strtoll (argv[3], NULL, 10);
  members[1] = g_ascii_strtoll (argv[4], NULL, 10);

  store = desk_store_open (argv[1], &error);
  if (store == NULL)
    fail ("opening", error);
  session = desk_session_sign_in (store, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD, &error);
  if (session == NULL)
    fail ("signing in", error);
  if (!desk_session_check_reauth_token (session, argv[2]))
    fail ("showing the confirmation", NULL);

  for (guint i = 0; i < 2; i++)
    if (!is_active (store, members[i]))
      reactivate (session, members[i]);
  printf ("ready\n");
  fflush (stdout);

  for (;;)
    {
      gint64 leaver = members[0], receiver = members[1];

      if (!deactivate (session, leaver, receiver))
        {
          leaver = members[1];
          receiver = members[0];
          if (!deactivate (session, leaver, receiver))
            fail ("finding the work", NULL);
        }
      reactivate (session, leaver);
      /* The test times a turn, to spread its kills over a few. */
      printf ("turn\n");
      fflush (stdout);
    }
  return 0;
}
