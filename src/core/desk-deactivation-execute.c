/* desk-deactivation-execute.c: executing a deactivation plan, and reactivating
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One sensitive change on the change path.  Inside its transaction the
 * departing member, the receivers and the impact are read again from the
 * file; anything different refuses the whole change.  Each statement moves
 * a whole category as one index range, so 50,000 appointments are one
 * UPDATE, and every row it touches keeps the deactivation's id and its
 * previous holder.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-change-private.h"
#include "desk-db-private.h"
#include "desk-deactivation-private.h"
#include "desk-json.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-time.h"

#define N_CATEGORIES 4

typedef struct
{
  gint64      member_id;
  char       *member_name;
  gint64      read_at;
  DeskImpact  impact;
  gint64      receivers[N_CATEGORIES];
  GPtrArray  *labs;                       /* DeskLabIntegration copies */
  char       *reason;

  DeskDeactivationReport *report;
} ExecData;

static void
exec_data_free (gpointer data)
{
  ExecData *exec = data;

  g_free (exec->member_name);
  g_clear_pointer (&exec->labs, g_ptr_array_unref);
  g_free (exec->reason);
  g_clear_pointer (&exec->report, desk_deactivation_report_free);
  g_free (exec);
}

static ExecData *
exec_data_new (DeskDeactivationPlan *plan)
{
  ExecData *exec = g_new0 (ExecData, 1);
  GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (plan);
  DeskMember *member = desk_deactivation_plan_get_member (plan);

  exec->member_id = desk_member_get_id (member);
  exec->member_name = g_strdup (desk_member_get_display_name (member));
  exec->read_at = desk_deactivation_plan_get_read_at (plan);
  exec->impact = *_desk_deactivation_plan_get_impact (plan);
  for (guint i = 0; i < N_CATEGORIES; i++)
    exec->receivers[i] = desk_deactivation_plan_get_receiver (plan, i);
  exec->labs = g_ptr_array_new_with_free_func (_desk_lab_integration_free);
  for (guint i = 0; i < labs->len; i++)
    g_ptr_array_add (exec->labs, _desk_lab_integration_copy (labs->pdata[i]));
  exec->reason = g_strdup (desk_deactivation_plan_get_reason (plan));
  return exec;
}

void
desk_deactivation_report_free (DeskDeactivationReport *report)
{
  if (report == NULL)
    return;
  g_strfreev (report->lines);
  g_free (report);
}

/* Steps */

/* Runs @sql with ?1 the member, ?2 the receiver, ?3 the deactivation,
 * ?4 now, ?5 the plan's time, ?6 a reason text; returns the rows changed,
 * or -1 with @error set. */
static gint64
run (DeskChange  *change,
     const char  *sql,
     const char  *doing,
     ExecData    *exec,
     gint64       receiver,
     gint64       deactivation_id,
     const char  *text,
     GError     **error)
{
  sqlite3_stmt *stmt = _desk_change_prepare (change, sql, error);
  int n;

  if (stmt == NULL)
    return -1;
  n = sqlite3_bind_parameter_count (stmt);
  sqlite3_bind_int64 (stmt, 1, exec->member_id);
  if (n >= 2)
    sqlite3_bind_int64 (stmt, 2, receiver);
  if (n >= 3)
    sqlite3_bind_int64 (stmt, 3, deactivation_id);
  if (n >= 4)
    sqlite3_bind_int64 (stmt, 4, desk_change_get_now (change));
  if (n >= 5)
    sqlite3_bind_int64 (stmt, 5, exec->read_at);
  if (n >= 6)
    sqlite3_bind_text (stmt, 6, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
  if (!_desk_change_step (change, stmt, doing, error))
    return -1;
  return sqlite3_changes64 (_desk_change_get_db (change));
}

static gboolean
actor_may_manage_labs (DeskChange  *change,
                       gboolean    *may,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_change_prepare (change,
                               "SELECT count (*) FROM member_roles mr"
                               " JOIN role_permissions rp ON rp.role_id = mr.role_id"
                               " WHERE mr.member_id = ? AND rp.permission = 'manage-labs'",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, desk_change_get_actor_id (change));
  rc = sqlite3_step (stmt);
  *may = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _desk_db_set_error (error, _desk_change_get_db (change), rc, _("checking your account"));
      return FALSE;
    }
  return TRUE;
}

/* The member, the receivers and the impact as the file says now. */
static gboolean
check_again (DeskChange  *change,
             ExecData    *exec,
             GError     **error)
{
  sqlite3 *db = _desk_change_get_db (change);
  g_autoptr(GPtrArray) labs = g_ptr_array_new_with_free_func (_desk_lab_integration_free);
  sqlite3_stmt *stmt;
  DeskImpact impact;
  gboolean active;
  int rc;

  if (desk_change_get_actor_id (change) == exec->member_id)
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_SELF,
                   _("You cannot deactivate your own account. Ask another administrator."));
      return FALSE;
    }

  stmt = _desk_change_prepare (change, "SELECT status = 'active' FROM members WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, exec->member_id);
  rc = sqlite3_step (stmt);
  active = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _desk_db_set_error (error, db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                          _("reading the member"));
      return FALSE;
    }
  if (!active)
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_ALREADY_DEACTIVATED,
                   /* Translators: %s is a member's name */
                   _("%s is already deactivated."), exec->member_name);
      return FALSE;
    }

  for (guint i = 0; i < N_CATEGORIES; i++)
    if (exec->receivers[i] != 0 && i != DESK_DEACTIVATION_LABS &&
        !_desk_deactivation_check_receiver (db, exec->member_id, exec->receivers[i],
                                            i != DESK_DEACTIVATION_INBOX, NULL, error))
      return FALSE;
  for (guint i = 0; i < exec->labs->len; i++)
    {
      DeskLabIntegration *lab = exec->labs->pdata[i];
      gboolean may = FALSE;

      if (lab->receiver_id == 0)
        {
          g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER,
                       /* Translators: the first %s is a lab's name, the second an account number */
                       _("The %s lab integration (account %s) has no one to receive it: nobody "
                         "would receive its results. Choose a colleague."),
                       lab->lab_name, lab->account_number);
          return FALSE;
        }
      if (!_desk_deactivation_check_receiver (db, exec->member_id, lab->receiver_id, FALSE,
                                              NULL, error))
        return FALSE;
      if (lab->is_main && (!actor_may_manage_labs (change, &may, error) || !may))
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, DESK_DEACTIVATION_ERROR,
                         DESK_DEACTIVATION_ERROR_MAIN_LAB_PERMISSION,
                         /* Translators: %s is a member's name */
                         _("%s’s information is used for the clinic’s main lab integration. "
                           "Transferring it needs the “manage lab integrations” permission: ask "
                           "an administrator who has it."),
                         exec->member_name);
          return FALSE;
        }
    }

  if (!_desk_deactivation_read_impact (db, exec->member_id, exec->read_at, &impact, labs, error))
    return FALSE;
  if (!_desk_deactivation_impact_equal (&impact, &exec->impact))
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_PLAN_CHANGED,
                   /* Translators: %s is a member's name */
                   _("What depends on %s changed since the plan was made (someone booked, moved "
                     "or sent something). Nothing was changed: review the new figures and "
                     "confirm again."),
                   exec->member_name);
      return FALSE;
    }
  return TRUE;
}

static char *
details_json (ExecData *exec,
              gint64    deactivation_id,
              gint64    count,
              gint64    receiver)
{
  g_autoptr(GString) out = g_string_new (NULL);

  desk_json_begin_object (out);
  desk_json_key (out, "deactivation_id");
  desk_json_int (out, deactivation_id);
  desk_json_key (out, "count");
  desk_json_int (out, count);
  if (receiver != 0)
    {
      desk_json_key (out, "to_member_id");
      desk_json_int (out, receiver);
    }
  desk_json_end_object (out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
audit_category (DeskChange  *change,
                ExecData    *exec,
                const char  *action,
                gint64       deactivation_id,
                gint64       count,
                gint64       receiver,
                GError     **error)
{
  g_autofree char *details = NULL;

  if (count <= 0)
    return TRUE;
  details = details_json (exec, deactivation_id, count, receiver);
  return desk_change_audit (change, action, DESK_RECORD_MEMBER, exec->member_id, exec->reason,
                            details, error);
}

static gboolean
deactivate (DeskChange  *change,
            gpointer     user_data,
            GError     **error)
{
  ExecData *exec = user_data;
  DeskDeactivationReport *report;
  sqlite3 *db = _desk_change_get_db (change);
  g_autofree char *cancel_reason = NULL;
  g_autofree char *details = NULL;
  gint64 to_appointments = exec->receivers[DESK_DEACTIVATION_APPOINTMENTS];
  gint64 to_qnaires = exec->receivers[DESK_DEACTIVATION_QNAIRES];
  gint64 to_inbox = exec->receivers[DESK_DEACTIVATION_INBOX];
  gint64 id, n, m;
  sqlite3_stmt *stmt;

  if (!check_again (change, exec, error))
    return FALSE;

  report = exec->report = g_new0 (DeskDeactivationReport, 1);
  report->member_id = exec->member_id;
  report->at = desk_change_get_now (change);

  /* The deactivation itself: the id every moved item keeps. */
  stmt = _desk_change_prepare (change,
                               "INSERT INTO member_status_changes (member_id, change, at,"
                               " by_member_id, reason, inbox_to_member_id)"
                               " VALUES (?, 'deactivated', ?, ?, ?, nullif (?, 0))",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, exec->member_id);
  sqlite3_bind_int64 (stmt, 2, desk_change_get_now (change));
  sqlite3_bind_int64 (stmt, 3, desk_change_get_actor_id (change));
  sqlite3_bind_text (stmt, 4, exec->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, to_inbox);
  if (!_desk_change_step (change, stmt, _("deactivating the member"), error))
    return FALSE;
  id = report->deactivation_id = sqlite3_last_insert_rowid (db);

  /* Translators: %s is a member's name; kept with each cancelled item */
  cancel_reason = g_strdup_printf (_("%s was deactivated"), exec->member_name);

  /* Appointments, and the Qnaires sent for the ones cancelled. */
  if (to_appointments != 0)
    {
      n = run (change, "UPDATE appointments SET practitioner_id = ?2,"
                       " moved_from_practitioner_id = ?1, deactivation_id = ?3"
                       " WHERE practitioner_id = ?1 AND status = 'booked' AND starts_at >= ?5",
               _("moving the appointments"), exec, to_appointments, id, NULL, error);
      if (n < 0 || !audit_category (change, exec, "appointments.move", id, n, to_appointments, error))
        return FALSE;
      report->appointments_moved = n;
    }
  else
    {
      m = run (change, "UPDATE qnaire_sends SET status = 'removed', removed_at = ?4,"
                       " removed_reason = ?6, deactivation_id = ?3"
                       " WHERE status = 'sent' AND appointment_id IN (SELECT id FROM appointments"
                       "  WHERE practitioner_id = ?1 AND status = 'booked' AND starts_at >= ?5)",
               _("removing the Qnaires of cancelled appointments"), exec, 0, id, cancel_reason,
               error);
      if (m < 0)
        return FALSE;
      n = run (change, "UPDATE appointments SET status = 'cancelled', cancelled_at = ?4,"
                       " cancel_reason = ?6, deactivation_id = ?3"
                       " WHERE practitioner_id = ?1 AND status = 'booked' AND starts_at >= ?5",
               _("cancelling the appointments"), exec, 0, id, cancel_reason, error);
      if (n < 0 || !audit_category (change, exec, "appointments.cancel", id, n, 0, error) ||
          !audit_category (change, exec, "qnaires.remove", id, m, 0, error))
        return FALSE;
      report->appointments_cancelled = n;
      report->qnaires_removed += m;
    }

  /* Qnaires, recurring and sent. */
  if (to_qnaires != 0)
    {
      n = run (change, "UPDATE qnaire_schedules SET practitioner_id = ?2,"
                       " moved_from_practitioner_id = ?1, deactivation_id = ?3"
                       " WHERE practitioner_id = ?1 AND status = 'active'",
               _("moving the recurring Qnaires"), exec, to_qnaires, id, NULL, error);
      m = n < 0 ? -1 :
          run (change, "UPDATE qnaire_sends SET practitioner_id = ?2,"
                       " moved_from_practitioner_id = ?1, deactivation_id = ?3"
                       " WHERE practitioner_id = ?1 AND status = 'sent'",
               _("moving the sent Qnaires"), exec, to_qnaires, id, NULL, error);
      if (m < 0 || !audit_category (change, exec, "qnaires.move", id, n + m, to_qnaires, error))
        return FALSE;
      report->recurring_qnaires_moved = n;
      report->sent_qnaires_moved = m;
    }
  else
    {
      n = run (change, "UPDATE qnaire_schedules SET status = 'removed', removed_at = ?4,"
                       " removed_reason = ?6, deactivation_id = ?3"
                       " WHERE practitioner_id = ?1 AND status = 'active'",
               _("removing the recurring Qnaires"), exec, 0, id, cancel_reason, error);
      m = n < 0 ? -1 :
          run (change, "UPDATE qnaire_sends SET status = 'removed', removed_at = ?4,"
                       " removed_reason = ?6, deactivation_id = ?3"
                       " WHERE practitioner_id = ?1 AND status = 'sent'",
               _("removing the sent Qnaires"), exec, 0, id, cancel_reason, error);
      if (m < 0 || !audit_category (change, exec, "qnaires.remove", id, n + m, 0, error))
        return FALSE;
      report->qnaires_removed += n + m;
    }

  /* The inbox, snoozed messages included: forwarded or archived, never dropped. */
  if (to_inbox != 0)
    {
      n = run (change, "UPDATE inbox_items SET member_id = ?2, forwarded_from_member_id = ?1,"
                       " forwarded_at = ?4, deactivation_id = ?3"
                       " WHERE member_id = ?1 AND folder = 'inbox'",
               _("forwarding the inbox"), exec, to_inbox, id, NULL, error);
      if (n < 0 || !audit_category (change, exec, "inbox.forward", id, n, to_inbox, error))
        return FALSE;
      report->messages_forwarded = n;
    }
  else
    {
      n = run (change, "UPDATE inbox_items SET folder = 'held', held_at = ?4, deactivation_id = ?3"
                       " WHERE member_id = ?1 AND folder = 'inbox'",
               _("archiving the inbox"), exec, 0, id, NULL, error);
      if (n < 0 || !audit_category (change, exec, "inbox.archive", id, n, 0, error))
        return FALSE;
      report->messages_archived = n;
    }

  /* Lab integrations, each to its receiver. */
  for (guint i = 0; i < exec->labs->len; i++)
    {
      DeskLabIntegration *lab = exec->labs->pdata[i];
      g_autofree char *lab_details = NULL;

      stmt = _desk_change_prepare (change,
                                   "UPDATE lab_integrations SET member_id = ? WHERE id = ?"
                                   " AND member_id = ?",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lab->receiver_id);
      sqlite3_bind_int64 (stmt, 2, lab->id);
      sqlite3_bind_int64 (stmt, 3, exec->member_id);
      if (!_desk_change_step (change, stmt, _("transferring the lab integrations"), error))
        return FALSE;
      stmt = _desk_change_prepare (change,
                                   "INSERT INTO lab_integration_transfers (integration_id,"
                                   " from_member_id, to_member_id, at, by_member_id, deactivation_id)"
                                   " VALUES (?, ?, ?, ?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lab->id);
      sqlite3_bind_int64 (stmt, 2, exec->member_id);
      sqlite3_bind_int64 (stmt, 3, lab->receiver_id);
      sqlite3_bind_int64 (stmt, 4, desk_change_get_now (change));
      sqlite3_bind_int64 (stmt, 5, desk_change_get_actor_id (change));
      sqlite3_bind_int64 (stmt, 6, id);
      if (!_desk_change_step (change, stmt, _("transferring the lab integrations"), error))
        return FALSE;
      lab_details = details_json (exec, id, 1, lab->receiver_id);
      if (!desk_change_audit (change, lab->is_main ? "lab.transfer-main" : "lab.transfer",
                              DESK_RECORD_LAB, lab->id, exec->reason, lab_details, error))
        return FALSE;
      report->lab_integrations_moved++;
    }

  /* MDBilling: disconnected, as the billing system requires. */
  n = run (change, "UPDATE billing_connections SET status = 'disconnected', disconnected_at = ?4,"
                   " disconnect_reason = ?6, deactivation_id = ?3"
                   " WHERE member_id = ?1 AND status = 'connected'",
           _("disconnecting MDBilling"), exec, 0, id, cancel_reason, error);
  if (n < 0 || !audit_category (change, exec, "billing.disconnect", id, n, 0, error))
    return FALSE;
  report->billing_disconnected = n > 0;

  /* No confirmation of theirs stands any more, on any workstation. */
  if (run (change, "UPDATE reauth_tokens SET revoked_at = ?4"
                   " WHERE member_id = ?1 AND revoked_at IS NULL",
           _("revoking the member’s confirmations"), exec, 0, id, NULL, error) < 0)
    return FALSE;

  if (run (change, "UPDATE members SET status = 'deactivated', deactivated_at = ?4,"
                   " deactivated_by = ?2, deactivation_reason = ?6"
                   " WHERE id = ?1 AND status = 'active'",
           _("deactivating the member"), exec, desk_change_get_actor_id (change), id,
           exec->reason, error) != 1)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_ALREADY_DEACTIVATED,
                     _("%s is already deactivated."), exec->member_name);
      return FALSE;
    }

  details = details_json (exec, id, 0, to_inbox);
  if (!desk_change_audit (change, "member.deactivate", DESK_RECORD_MEMBER, exec->member_id,
                          exec->reason, details, error))
    return FALSE;

  desk_change_touch (change, DESK_RECORD_MEMBER, exec->member_id);
  for (guint i = 0; i < N_CATEGORIES; i++)
    if (exec->receivers[i] != 0)
      desk_change_touch (change, DESK_RECORD_MEMBER, exec->receivers[i]);
  desk_change_touch (change, DESK_RECORD_APPOINTMENT, 0);
  desk_change_touch (change, DESK_RECORD_QNAIRE, 0);
  desk_change_touch (change, DESK_RECORD_MESSAGE, 0);
  desk_change_touch (change, DESK_RECORD_LAB, 0);
  desk_change_touch (change, DESK_RECORD_BILLING, 0);
  return TRUE;
}

/* The report */

static void
report_add_lines (DeskDeactivationReport *report,
                  DeskDeactivationPlan   *plan)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *name = desk_member_get_display_name (desk_deactivation_plan_get_member (plan));
  GPtrArray *labs = desk_deactivation_plan_get_lab_integrations (plan);
  guint n;

  if ((n = report->appointments_moved) > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, %s a member's name */
      g_dngettext (GETTEXT_PACKAGE, "%u future appointment moved to %s.",
                   "%u future appointments moved to %s.", n),
      n, desk_deactivation_plan_get_receiver_name (plan, DESK_DEACTIVATION_APPOINTMENTS)));
  if ((n = report->appointments_cancelled) > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u future appointment cancelled, kept in the record.",
                   "%u future appointments cancelled, kept in the record.", n), n));
  if ((n = report->recurring_qnaires_moved + report->sent_qnaires_moved) > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, %s a member's name */
      g_dngettext (GETTEXT_PACKAGE, "%u Qnaire moved to %s.", "%u Qnaires moved to %s.", n),
      n, desk_deactivation_plan_get_receiver_name (plan, DESK_DEACTIVATION_QNAIRES)));
  if ((n = report->qnaires_removed) > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u Qnaire removed, kept in the record.",
                   "%u Qnaires removed, kept in the record.", n), n));
  if ((n = report->messages_forwarded) > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, %s a member's name */
      g_dngettext (GETTEXT_PACKAGE, "%u inbox message forwarded to %s.",
                   "%u inbox messages forwarded to %s.", n),
      n, desk_deactivation_plan_get_receiver_name (plan, DESK_DEACTIVATION_INBOX)));
  if ((n = report->messages_archived) > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, %s a member's name */
      g_dngettext (GETTEXT_PACKAGE, "%u inbox message archived with %s.",
                   "%u inbox messages archived with %s.", n), n, name));
  for (guint i = 0; i < labs->len; i++)
    {
      DeskLabIntegration *lab = labs->pdata[i];

      g_ptr_array_add (lines, g_strdup_printf (
        /* Translators: a lab's name, an account number, a member's name */
        _("The %s lab integration (account %s) transferred to %s."),
        lab->lab_name, lab->account_number,
        _desk_deactivation_plan_get_lab_receiver_name (plan, lab->id)));
    }
  if (report->billing_disconnected)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %s is a member's name */
      _("%s disconnected from MDBilling."), name));
  g_ptr_array_add (lines, g_strdup_printf (
    /* Translators: %s is a member's name */
    _("%s deactivated."), name));

  g_ptr_array_add (lines, NULL);
  report->lines = (char **) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

char *
desk_deactivation_report_to_csv (DeskDeactivationReport *report)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *when = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  when = desk_time_format_iso8601 (report->at);
  /* Translators: the header of the exported report, two columns */
  g_string_append_printf (out, "%s,%s\r\n", _("When"), _("What happened"));
  for (guint i = 0; report->lines != NULL && report->lines[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;
      const char *line = report->lines[i];
      g_auto(GStrv) parts = g_strsplit (line, "\"", -1);

      quoted = g_strjoinv ("\"\"", parts);
      /* A spreadsheet must not run a line as a formula. */
      g_string_append_printf (out, "%s,\"%s%s\"\r\n", when,
                              strchr ("=+-@\t\r", line[0]) != NULL && line[0] != '\0' ? "'" : "",
                              quoted);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
desk_deactivation_report_to_json (DeskDeactivationReport *report)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (report != NULL, NULL);

  desk_json_begin_object (out);
  desk_json_key (out, "deactivation_id");
  desk_json_int (out, report->deactivation_id);
  desk_json_key (out, "member_id");
  desk_json_int (out, report->member_id);
  desk_json_key (out, "at");
  desk_json_time (out, report->at);
  desk_json_key (out, "appointments_moved");
  desk_json_int (out, report->appointments_moved);
  desk_json_key (out, "appointments_cancelled");
  desk_json_int (out, report->appointments_cancelled);
  desk_json_key (out, "recurring_qnaires_moved");
  desk_json_int (out, report->recurring_qnaires_moved);
  desk_json_key (out, "sent_qnaires_moved");
  desk_json_int (out, report->sent_qnaires_moved);
  desk_json_key (out, "qnaires_removed");
  desk_json_int (out, report->qnaires_removed);
  desk_json_key (out, "messages_forwarded");
  desk_json_int (out, report->messages_forwarded);
  desk_json_key (out, "messages_archived");
  desk_json_int (out, report->messages_archived);
  desk_json_key (out, "lab_integrations_moved");
  desk_json_int (out, report->lab_integrations_moved);
  desk_json_key (out, "billing_disconnected");
  desk_json_bool (out, report->billing_disconnected);
  desk_json_key (out, "lines");
  desk_json_strv (out, (const char * const *) report->lines);
  desk_json_end_object (out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Executing */

static gboolean
check_before (DeskSession           *session,
              DeskDeactivationPlan  *plan,
              GError               **error)
{
  DeskMember *member = desk_deactivation_plan_get_member (plan);

  if (desk_member_get_id (desk_session_get_member (session)) == desk_member_get_id (member))
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_SELF,
                   _("You cannot deactivate your own account. Ask another administrator."));
      return FALSE;
    }
  return desk_session_require (session, DESK_PERMISSION_EDIT_USERS, error) &&
         desk_deactivation_plan_check (plan, session, error);
}

DeskDeactivationReport *
desk_deactivation_execute (DeskSession           *session,
                           DeskDeactivationPlan  *plan,
                           GError               **error)
{
  ExecData *exec;
  DeskDeactivationReport *report = NULL;

  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (plan), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_before (session, plan, error))
    return NULL;
  exec = exec_data_new (plan);
  if (desk_change_run (session, DESK_PERMISSION_EDIT_USERS, DESK_CHANGE_SENSITIVE,
                       deactivate, exec, error))
    {
      report = g_steal_pointer (&exec->report);
      report_add_lines (report, plan);
    }
  exec_data_free (exec);
  return report;
}

typedef struct
{
  DeskDeactivationPlan *plan;
  ExecData             *exec;
} TaskData;

static void
task_data_free (gpointer data)
{
  TaskData *task = data;

  g_clear_object (&task->plan);
  g_free (task);
}

static void
executed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TaskData *data = g_task_get_task_data (task);
  GError *error = NULL;
  DeskDeactivationReport *report;

  if (!desk_change_run_finish (DESK_SESSION (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  report = g_steal_pointer (&data->exec->report);
  report_add_lines (report, data->plan);
  g_task_return_pointer (task, report, (GDestroyNotify) desk_deactivation_report_free);
}

void
desk_deactivation_execute_async (DeskSession          *session,
                                 DeskDeactivationPlan *plan,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  TaskData *data;

  g_return_if_fail (DESK_IS_SESSION (session));
  g_return_if_fail (DESK_IS_DEACTIVATION_PLAN (plan));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_deactivation_execute_async);
  if (!check_before (session, plan, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (TaskData, 1);
  data->plan = g_object_ref (plan);
  data->exec = exec_data_new (plan);
  g_task_set_task_data (task, data, task_data_free);
  /* The change owns the ExecData; the task reads its report when it ends. */
  desk_change_run_async (session, DESK_PERMISSION_EDIT_USERS, DESK_CHANGE_SENSITIVE,
                         deactivate, data->exec, exec_data_free, cancellable,
                         executed, g_steal_pointer (&task));
}

DeskDeactivationReport *
desk_deactivation_execute_finish (DeskSession   *session,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reactivating */

typedef struct
{
  gint64   member_id;
  char    *reason;
  gboolean billing_disconnected;
} Reactivation;

static gboolean
reactivate (DeskChange  *change,
            gpointer     user_data,
            GError     **error)
{
  Reactivation *data = user_data;
  sqlite3 *db = _desk_change_get_db (change);
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  sqlite3_stmt *stmt;
  gint64 restored;
  int rc;

  stmt = _desk_change_prepare (change,
                               "SELECT status, given_name || ' ' || family_name,"
                               " (SELECT count (*) FROM billing_connections b"
                               "   WHERE b.member_id = m.id AND b.status = 'disconnected'"
                               "   AND NOT EXISTS (SELECT 1 FROM billing_connections c"
                               "    WHERE c.member_id = m.id AND c.status = 'connected'))"
                               " FROM members m WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      status = _desk_db_column_dup (stmt, 0);
      name = _desk_db_column_dup (stmt, 1);
      data->billing_disconnected = sqlite3_column_int (stmt, 2) > 0;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      _desk_db_set_no_such_record (error, FALSE, data->member_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _desk_db_set_error (error, db, rc, _("reading the member"));
      return FALSE;
    }
  if (g_str_equal (status, "active"))
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_NOT_DEACTIVATED,
                   /* Translators: %s is a member's name */
                   _("%s is active: there is nothing to reactivate."), name);
      return FALSE;
    }

  stmt = _desk_change_prepare (change,
                               "UPDATE members SET status = 'active', deactivated_at = NULL,"
                               " deactivated_by = NULL, deactivation_reason = NULL WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->member_id);
  if (!_desk_change_step (change, stmt, _("reactivating the member"), error))
    return FALSE;

  stmt = _desk_change_prepare (change,
                               "INSERT INTO member_status_changes (member_id, change, at,"
                               " by_member_id, reason) VALUES (?, 'reactivated', ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->member_id);
  sqlite3_bind_int64 (stmt, 2, desk_change_get_now (change));
  sqlite3_bind_int64 (stmt, 3, desk_change_get_actor_id (change));
  sqlite3_bind_text (stmt, 4, data->reason, -1, SQLITE_TRANSIENT);
  if (!_desk_change_step (change, stmt, _("reactivating the member"), error))
    return FALSE;

  /* The archived inbox comes back as it was. */
  stmt = _desk_change_prepare (change,
                               "UPDATE inbox_items SET folder = 'inbox', held_at = NULL"
                               " WHERE member_id = ? AND folder = 'held'",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->member_id);
  if (!_desk_change_step (change, stmt, _("bringing back the archived inbox"), error))
    return FALSE;
  restored = sqlite3_changes64 (db);

  desk_json_begin_object (details);
  desk_json_key (details, "messages_restored");
  desk_json_int (details, restored);
  desk_json_key (details, "billing_disconnected");
  desk_json_bool (details, data->billing_disconnected);
  desk_json_end_object (details);
  if (!desk_change_audit (change, "member.reactivate", DESK_RECORD_MEMBER, data->member_id,
                          data->reason, details->str, error))
    return FALSE;
  desk_change_touch (change, DESK_RECORD_MESSAGE, 0);
  return TRUE;
}

gboolean
desk_deactivation_reactivate (DeskSession  *session,
                              gint64        member_id,
                              const char   *reason,
                              gboolean     *billing_disconnected,
                              GError      **error)
{
  Reactivation data = { member_id, NULL, FALSE };
  gboolean ok;

  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data.reason = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  ok = desk_change_run (session, DESK_PERMISSION_EDIT_USERS, DESK_CHANGE_SENSITIVE,
                        reactivate, &data, error);
  g_free (data.reason);
  if (ok && billing_disconnected != NULL)
    *billing_disconnected = data.billing_disconnected;
  return ok;
}

static void
reactivation_free (gpointer data)
{
  Reactivation *reactivation = data;

  g_free (reactivation->reason);
  g_free (reactivation);
}

static void
reactivated (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!desk_change_run_finish (DESK_SESSION (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
desk_deactivation_reactivate_async (DeskSession         *session,
                                    gint64               member_id,
                                    const char          *reason,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  Reactivation *data;

  g_return_if_fail (DESK_IS_SESSION (session));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_deactivation_reactivate_async);
  data = g_new0 (Reactivation, 1);
  data->member_id = member_id;
  data->reason = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  /* The task reads the billing state after the change, which owns @data
   * until then: the task keeps it alive with a reference of its own. */
  g_task_set_task_data (task, data, reactivation_free);
  desk_change_run_async (session, DESK_PERMISSION_EDIT_USERS, DESK_CHANGE_SENSITIVE,
                         reactivate, data, NULL, cancellable, reactivated, task);
}

gboolean
desk_deactivation_reactivate_finish (DeskSession   *session,
                                     GAsyncResult  *result,
                                     gboolean      *billing_disconnected,
                                     GError       **error)
{
  Reactivation *data;

  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (billing_disconnected != NULL)
    *billing_disconnected = data->billing_disconnected;
  return TRUE;
}
