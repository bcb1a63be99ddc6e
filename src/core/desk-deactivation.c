/* desk-deactivation.c: the plan of a member's deactivation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plan holds the impact as it was read and the choices made since.
 * Execution (desk-deactivation-execute.c) reads the impact again inside its
 * transaction and refuses when it differs: a plan never guesses.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-db-private.h"
#include "desk-deactivation-private.h"
#include "desk-json.h"
#include "desk-member.h"
#include "desk-session.h"
#include "desk-store-private.h"
#include "desk-time.h"

G_DEFINE_QUARK (desk-deactivation-error-quark, desk_deactivation_error)

#define N_CATEGORIES 4

struct _DeskDeactivationPlan
{
  GObject      parent_instance;

  DeskMember  *member;
  gint64       read_at;
  DeskImpact   impact;
  GPtrArray   *labs;                        /* DeskLabIntegration */
  GHashTable  *lab_receiver_names;          /* integration id -> name */
  gint64       receivers[N_CATEGORIES];
  gboolean     chosen[N_CATEGORIES];
  char        *receiver_names[N_CATEGORIES];
  char        *reason;
  char        *path;                        /* the file, to check receivers */
  DeskStore   *store;                       /* weak: for receivers on the main thread */
};

G_DEFINE_FINAL_TYPE (DeskDeactivationPlan, desk_deactivation_plan, G_TYPE_OBJECT)

/* Labs */

DeskLabIntegration *
_desk_lab_integration_copy (const DeskLabIntegration *lab)
{
  DeskLabIntegration *copy = g_new0 (DeskLabIntegration, 1);

  *copy = *lab;
  copy->lab_name = g_strdup (lab->lab_name);
  copy->account_number = g_strdup (lab->account_number);
  return copy;
}

void
_desk_lab_integration_free (gpointer data)
{
  DeskLabIntegration *lab = data;

  g_free (lab->lab_name);
  g_free (lab->account_number);
  g_free (lab);
}

/* Reading the impact */

static gboolean
read_range (sqlite3          *db,
            const char       *sql,
            gint64            member_id,
            gint64            from,
            DeskImpactRange  *range,
            GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, member_id);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_int64 (stmt, 2, from);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    {
      range->count = sqlite3_column_int64 (stmt, 0);
      range->id_sum = sqlite3_column_double (stmt, 1);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (error, db, rc, _("reading what depends on the member"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_desk_deactivation_read_impact (sqlite3      *db,
                                gint64        member_id,
                                gint64        from,
                                DeskImpact   *impact,
                                GPtrArray    *labs,
                                GError      **error)
{
  DeskImpactRange snoozed = { 0, };
  sqlite3_stmt *stmt = NULL;
  int rc;

  memset (impact, 0, sizeof *impact);

  /* Each a range of one index (schema 5 and 7). */
  if (!read_range (db, "SELECT count (*), total (id) FROM appointments"
                       " WHERE practitioner_id = ?1 AND status = 'booked' AND starts_at >= ?2",
                   member_id, from, &impact->appointments, error) ||
      !read_range (db, "SELECT count (*), total (id) FROM qnaire_schedules"
                       " WHERE practitioner_id = ?1 AND status = 'active'",
                   member_id, from, &impact->recurring_qnaires, error) ||
      !read_range (db, "SELECT count (*), total (id) FROM qnaire_sends"
                       " WHERE practitioner_id = ?1 AND status = 'sent'",
                   member_id, from, &impact->sent_qnaires, error) ||
      !read_range (db, "SELECT count (*), total (q.id) FROM appointments a"
                       " JOIN qnaire_sends q ON q.appointment_id = a.id"
                       " WHERE a.practitioner_id = ?1 AND a.status = 'booked'"
                       " AND a.starts_at >= ?2 AND q.status = 'sent'",
                   member_id, from, &impact->appointment_qnaires, error) ||
      !read_range (db, "SELECT count (*), total (id) FROM inbox_items"
                       " WHERE member_id = ?1 AND folder = 'inbox'",
                   member_id, from, &impact->inbox, error) ||
      !read_range (db, "SELECT count (*), 0 FROM inbox_items"
                       " WHERE member_id = ?1 AND folder = 'inbox' AND snoozed_until > ?2",
                   member_id, from, &snoozed, error) ||
      !read_range (db, "SELECT count (*), total (id) FROM lab_integrations WHERE member_id = ?1",
                   member_id, from, &impact->labs, error) ||
      !read_range (db, "SELECT count (*), total (id) FROM billing_connections"
                       " WHERE member_id = ?1 AND status = 'connected'",
                   member_id, from, &impact->billing, error))
    return FALSE;
  impact->snoozed = snoozed.count;

  if (labs == NULL)
    return TRUE;

  rc = sqlite3_prepare_v2 (db, "SELECT id, lab_name, account_number, is_main"
                               " FROM lab_integrations WHERE member_id = ?"
                               " ORDER BY is_main DESC, lab_name, id",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    sqlite3_bind_int64 (stmt, 1, member_id);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeskLabIntegration *lab = g_new0 (DeskLabIntegration, 1);

      rc = SQLITE_OK;
      lab->id = sqlite3_column_int64 (stmt, 0);
      lab->lab_name = _desk_db_column_dup (stmt, 1);
      lab->account_number = _desk_db_column_dup (stmt, 2);
      lab->is_main = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (labs, lab);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("reading what depends on the member"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
range_equal (const DeskImpactRange *a,
             const DeskImpactRange *b)
{
  return a->count == b->count && a->id_sum == b->id_sum;
}

gboolean
_desk_deactivation_impact_equal (const DeskImpact *a,
                                 const DeskImpact *b)
{
  return range_equal (&a->appointments, &b->appointments) &&
         range_equal (&a->recurring_qnaires, &b->recurring_qnaires) &&
         range_equal (&a->sent_qnaires, &b->sent_qnaires) &&
         range_equal (&a->appointment_qnaires, &b->appointment_qnaires) &&
         range_equal (&a->inbox, &b->inbox) &&
         range_equal (&a->labs, &b->labs) &&
         range_equal (&a->billing, &b->billing);
}

gboolean
_desk_deactivation_check_receiver (sqlite3     *db,
                                   gint64       member_id,
                                   gint64       receiver_id,
                                   gboolean     practitioner,
                                   char       **name,
                                   GError     **error)
{
  g_autofree char *status = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *display = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (receiver_id == member_id)
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_IS_MEMBER,
                   _("The member being deactivated cannot receive their own work. Choose a colleague."));
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "SELECT status, kind, given_name || ' ' || family_name"
                               " FROM members WHERE id = ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, receiver_id);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    {
      status = _desk_db_column_dup (stmt, 0);
      kind = _desk_db_column_dup (stmt, 1);
      display = _desk_db_column_dup (stmt, 2);
      rc = SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("checking the receiver"));
      return FALSE;
    }
  if (status == NULL)
    {
      _desk_db_set_no_such_record (error, FALSE, receiver_id);
      return FALSE;
    }
  if (!g_str_equal (status, "active"))
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_DEACTIVATED,
                   /* Translators: %s is a member's name */
                   _("%s is deactivated and cannot receive anything. Choose an active colleague."),
                   display);
      return FALSE;
    }
  if (practitioner && !g_str_equal (kind, "provider"))
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_RECEIVER_NOT_PRACTITIONER,
                   /* Translators: %s is a member's name */
                   _("%s is not a practitioner. Appointments and Qnaires can only go to a provider."),
                   display);
      return FALSE;
    }
  if (name != NULL)
    *name = g_steal_pointer (&display);
  return TRUE;
}

/* The plan */

static void
desk_deactivation_plan_finalize (GObject *object)
{
  DeskDeactivationPlan *self = DESK_DEACTIVATION_PLAN (object);

  g_clear_object (&self->member);
  g_clear_pointer (&self->labs, g_ptr_array_unref);
  g_clear_pointer (&self->lab_receiver_names, g_hash_table_unref);
  for (guint i = 0; i < N_CATEGORIES; i++)
    g_free (self->receiver_names[i]);
  g_free (self->reason);
  g_free (self->path);
  g_clear_weak_pointer (&self->store);

  G_OBJECT_CLASS (desk_deactivation_plan_parent_class)->finalize (object);
}

static void
desk_deactivation_plan_class_init (DeskDeactivationPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = desk_deactivation_plan_finalize;
}

static void
desk_deactivation_plan_init (DeskDeactivationPlan *self)
{
  self->labs = g_ptr_array_new_with_free_func (_desk_lab_integration_free);
  self->lab_receiver_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->reason = g_strdup ("");
}

/* What can never be allowed, checked at once on the calling thread. */
static gboolean
check_session (DeskSession  *session,
               gint64        member_id,
               GError      **error)
{
  if (!desk_session_require (session, DESK_PERMISSION_EDIT_USERS, error))
    return FALSE;
  if (desk_member_get_id (desk_session_get_member (session)) == member_id)
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_SELF,
                   _("You cannot deactivate your own account. Ask another administrator."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_member (DeskMember  *member,
              GError     **error)
{
  if (!desk_member_get_is_active (member))
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_ALREADY_DEACTIVATED,
                   /* Translators: %s is a member's name */
                   _("%s is already deactivated."), desk_member_get_display_name (member));
      return FALSE;
    }
  return TRUE;
}

static DeskMember *
load_member (sqlite3  *db,
             gint64    member_id,
             GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  DeskMember *member = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT " DESK_MEMBER_COLUMNS " FROM members m WHERE m.id = ?",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, member_id);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    member = _desk_member_new_from_row (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    _desk_db_set_no_such_record (error, FALSE, member_id);
  else if (rc != SQLITE_ROW)
    _desk_db_set_error (error, db, rc, _("reading the member"));
  return member;
}

/* Reads a plan on @db; the caller checked the session. */
static DeskDeactivationPlan *
read_plan (sqlite3     *db,
           const char  *path,
           gint64       member_id,
           gint64       now,
           GError     **error)
{
  g_autoptr(DeskDeactivationPlan) self = g_object_new (DESK_TYPE_DEACTIVATION_PLAN, NULL);
  gboolean ok;

  /* One read transaction: the counts agree with one another. */
  if (!_desk_db_exec (db, "BEGIN", error))
    return NULL;
  self->member = load_member (db, member_id, error);
  ok = self->member != NULL && check_member (self->member, error) &&
       _desk_deactivation_read_impact (db, member_id, now, &self->impact, self->labs, error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (!ok)
    return NULL;

  self->read_at = now;
  self->path = g_strdup (path);
  return g_steal_pointer (&self);
}

DeskDeactivationPlan *
desk_deactivation_plan_new (DeskSession  *session,
                            gint64        member_id,
                            GError      **error)
{
  DeskStore *store;
  DeskDeactivationPlan *self;

  g_return_val_if_fail (DESK_IS_SESSION (session), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_session (session, member_id, error))
    return NULL;
  store = desk_session_get_store (session);
  self = read_plan (_desk_store_get_db (store), desk_store_get_path (store), member_id,
                    desk_store_get_now (store), error);
  if (self != NULL)
    g_set_weak_pointer (&self->store, store);
  return self;
}

typedef struct
{
  char   *path;
  gint64  member_id;
  gint64  now;
} PlanData;

static void
plan_data_free (gpointer data)
{
  PlanData *plan = data;

  g_free (plan->path);
  g_free (plan);
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlanData *data = task_data;
  g_autoptr(GError) error = NULL;
  DeskDeactivationPlan *plan = NULL;
  sqlite3 *db;

  db = _desk_db_open (data->path, SQLITE_OPEN_READWRITE, &error);
  if (db != NULL)
    plan = read_plan (db, data->path, data->member_id, data->now, &error);
  sqlite3_close (db);

  if (plan != NULL)
    g_task_return_pointer (task, plan, g_object_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
desk_deactivation_plan_new_async (DeskSession         *session,
                                  gint64               member_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  DeskStore *store;
  PlanData *data;

  g_return_if_fail (DESK_IS_SESSION (session));

  store = desk_session_get_store (session);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_deactivation_plan_new_async);
  if (!check_session (session, member_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (PlanData, 1);
  data->path = g_strdup (desk_store_get_path (store));
  data->member_id = member_id;
  data->now = desk_store_get_now (store);
  g_task_set_task_data (task, data, plan_data_free);
  g_task_run_in_thread (task, plan_thread);
}

DeskDeactivationPlan *
desk_deactivation_plan_new_finish (GAsyncResult  *result,
                                   GError       **error)
{
  DeskDeactivationPlan *self;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  self = g_task_propagate_pointer (G_TASK (result), error);
  if (self != NULL)
    g_set_weak_pointer (&self->store, g_task_get_source_object (G_TASK (result)));
  return self;
}

/* Getters */

DeskMember *
desk_deactivation_plan_get_member (DeskDeactivationPlan *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), NULL);
  return self->member;
}

gint64
desk_deactivation_plan_get_read_at (DeskDeactivationPlan *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), 0);
  return self->read_at;
}

const DeskImpact *
_desk_deactivation_plan_get_impact (DeskDeactivationPlan *self)
{
  return &self->impact;
}

#define COUNT_GETTER(name, field)                                 \
  guint                                                           \
  desk_deactivation_plan_get_##name (DeskDeactivationPlan *self)  \
  {                                                               \
    g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), 0);   \
    return (guint) self->impact.field;                            \
  }

COUNT_GETTER (future_appointments, appointments.count)
COUNT_GETTER (recurring_qnaires, recurring_qnaires.count)
COUNT_GETTER (sent_qnaires, sent_qnaires.count)
COUNT_GETTER (appointment_qnaires, appointment_qnaires.count)
COUNT_GETTER (inbox_messages, inbox.count)
COUNT_GETTER (snoozed_messages, snoozed)

GPtrArray *
desk_deactivation_plan_get_lab_integrations (DeskDeactivationPlan *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), NULL);
  return self->labs;
}

gboolean
desk_deactivation_plan_get_billing_connected (DeskDeactivationPlan *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), FALSE);
  return self->impact.billing.count > 0;
}

gboolean
desk_deactivation_plan_has (DeskDeactivationPlan     *self,
                            DeskDeactivationCategory  category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), FALSE);

  switch (category)
    {
    case DESK_DEACTIVATION_APPOINTMENTS:
      return self->impact.appointments.count > 0;
    case DESK_DEACTIVATION_QNAIRES:
      return self->impact.recurring_qnaires.count + self->impact.sent_qnaires.count > 0;
    case DESK_DEACTIVATION_INBOX:
      return self->impact.inbox.count > 0;
    case DESK_DEACTIVATION_LABS:
      return self->labs->len > 0;
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Choices */

static sqlite3 *
plan_db (DeskDeactivationPlan *self)
{
  return self->store != NULL ? _desk_store_get_db (self->store) : NULL;
}

static gboolean
check_receiver (DeskDeactivationPlan  *self,
                gint64                 receiver_id,
                gboolean               practitioner,
                char                 **name,
                GError               **error)
{
  sqlite3 *db = plan_db (self);
  gboolean ok;

  if (db != NULL)
    return _desk_deactivation_check_receiver (db, desk_member_get_id (self->member), receiver_id,
                                              practitioner, name, error);

  /* The store is gone (a plan kept past its window): a connection of its own. */
  db = _desk_db_open (self->path, SQLITE_OPEN_READWRITE, error);
  if (db == NULL)
    return FALSE;
  ok = _desk_deactivation_check_receiver (db, desk_member_get_id (self->member), receiver_id,
                                          practitioner, name, error);
  sqlite3_close (db);
  return ok;
}

gboolean
desk_deactivation_plan_set_receiver (DeskDeactivationPlan      *self,
                                     DeskDeactivationCategory   category,
                                     gint64                     receiver_id,
                                     GError                   **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), FALSE);
  g_return_val_if_fail ((guint) category < N_CATEGORIES, FALSE);
  g_return_val_if_fail (receiver_id >= 0, FALSE);

  if (category == DESK_DEACTIVATION_LABS)
    {
      if (receiver_id == 0)
        {
          g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER,
                       _("A lab integration cannot be left with no one: nobody would receive its "
                         "results. Choose a colleague."));
          return FALSE;
        }
      for (guint i = 0; i < self->labs->len; i++)
        {
          DeskLabIntegration *lab = self->labs->pdata[i];

          if (!desk_deactivation_plan_set_lab_receiver (self, lab->id, receiver_id, error))
            return FALSE;
        }
    }
  else if (receiver_id != 0 &&
           !check_receiver (self, receiver_id, category != DESK_DEACTIVATION_INBOX, &name, error))
    return FALSE;

  self->receivers[category] = receiver_id;
  self->chosen[category] = TRUE;
  g_free (self->receiver_names[category]);
  self->receiver_names[category] = g_steal_pointer (&name);
  if (category == DESK_DEACTIVATION_LABS && self->labs->len > 0)
    self->receiver_names[category] =
      g_strdup (g_hash_table_lookup (self->lab_receiver_names,
                                     &((DeskLabIntegration *) self->labs->pdata[0])->id));
  return TRUE;
}

gint64
desk_deactivation_plan_get_receiver (DeskDeactivationPlan     *self,
                                     DeskDeactivationCategory  category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), 0);
  g_return_val_if_fail ((guint) category < N_CATEGORIES, 0);
  return self->receivers[category];
}

const char *
desk_deactivation_plan_get_receiver_name (DeskDeactivationPlan     *self,
                                          DeskDeactivationCategory  category)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), NULL);
  g_return_val_if_fail ((guint) category < N_CATEGORIES, NULL);
  return self->receiver_names[category];
}

gboolean
desk_deactivation_plan_set_lab_receiver (DeskDeactivationPlan  *self,
                                         gint64                 integration_id,
                                         gint64                 receiver_id,
                                         GError               **error)
{
  DeskLabIntegration *lab = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), FALSE);

  for (guint i = 0; i < self->labs->len; i++)
    if (((DeskLabIntegration *) self->labs->pdata[i])->id == integration_id)
      lab = self->labs->pdata[i];
  if (lab == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, integration_id);

      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD,
                   /* Translators: %s is a lab integration's number */
                   _("Lab integration %s does not use this member’s information."), number);
      return FALSE;
    }
  if (receiver_id == 0)
    {
      g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER,
                   _("A lab integration cannot be left with no one: nobody would receive its "
                     "results. Choose a colleague."));
      return FALSE;
    }
  if (!check_receiver (self, receiver_id, FALSE, &name, error))
    return FALSE;

  lab->receiver_id = receiver_id;
  g_hash_table_replace (self->lab_receiver_names, g_memdup2 (&lab->id, sizeof lab->id),
                        g_steal_pointer (&name));
  return TRUE;
}

const char *
_desk_deactivation_plan_get_lab_receiver_name (DeskDeactivationPlan *self,
                                               gint64                integration_id)
{
  return g_hash_table_lookup (self->lab_receiver_names, &integration_id);
}

void
desk_deactivation_plan_set_reason (DeskDeactivationPlan *self,
                                   const char           *reason)
{
  g_return_if_fail (DESK_IS_DEACTIVATION_PLAN (self));

  g_free (self->reason);
  self->reason = g_strstrip (g_strdup (reason != NULL ? reason : ""));
}

const char *
desk_deactivation_plan_get_reason (DeskDeactivationPlan *self)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), NULL);
  return self->reason;
}

gboolean
desk_deactivation_plan_check (DeskDeactivationPlan  *self,
                              DeskSession           *session,
                              GError               **error)
{
  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), FALSE);
  g_return_val_if_fail (DESK_IS_SESSION (session), FALSE);

  for (guint i = DESK_DEACTIVATION_APPOINTMENTS; i < DESK_DEACTIVATION_LABS; i++)
    {
      static const char *what[] = {
        N_("Choose who receives the future appointments, or to cancel them."),
        N_("Choose who receives the Qnaires, or to remove them."),
        N_("Choose who receives the inbox, or to archive it with the member."),
      };

      if (desk_deactivation_plan_has (self, i) && !self->chosen[i])
        {
          g_set_error_literal (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_NOT_CHOSEN,
                               _(what[i]));
          return FALSE;
        }
    }
  for (guint i = 0; i < self->labs->len; i++)
    {
      DeskLabIntegration *lab = self->labs->pdata[i];

      if (lab->is_main && !desk_session_has_permission (session, DESK_PERMISSION_MANAGE_LABS))
        {
          g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_MAIN_LAB_PERMISSION,
                       /* Translators: %s is a member's name */
                       _("%s’s information is used for the clinic’s main lab integration. "
                         "Transferring it needs the “manage lab integrations” permission: ask "
                         "an administrator who has it."),
                       desk_member_get_display_name (self->member));
          return FALSE;
        }
    }
  for (guint i = 0; i < self->labs->len; i++)
    {
      DeskLabIntegration *lab = self->labs->pdata[i];

      if (lab->receiver_id == 0)
        {
          g_set_error (error, DESK_DEACTIVATION_ERROR, DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER,
                       /* Translators: the first %s is a lab's name, the second an account number */
                       _("The %s lab integration (account %s) has no one to receive it: nobody "
                         "would receive its results. Choose a colleague."),
                       lab->lab_name, lab->account_number);
          return FALSE;
        }
    }
  return TRUE;
}

/* In words */

char **
desk_deactivation_plan_describe (DeskDeactivationPlan *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const DeskImpact *impact;
  const char *name;
  guint n;

  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), NULL);

  impact = &self->impact;
  name = desk_member_get_display_name (self->member);

  n = (guint) impact->appointments.count;
  if (n > 0 && self->receivers[DESK_DEACTIVATION_APPOINTMENTS] != 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, %s a member's name */
      g_dngettext (GETTEXT_PACKAGE, "%u future appointment moves to %s.",
                   "%u future appointments move to %s.", n),
      n, self->receiver_names[DESK_DEACTIVATION_APPOINTMENTS]));
  else if (n > 0)
    {
      g_ptr_array_add (lines, g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "%u future appointment is cancelled; it stays in the record with the reason.",
                     "%u future appointments are cancelled; they stay in the record with the reason.",
                     n), n));
      if (impact->appointment_qnaires.count > 0)
        g_ptr_array_add (lines, g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "%u Qnaire sent for these appointments is removed; it stays in the record.",
                       "%u Qnaires sent for these appointments are removed; they stay in the record.",
                       (guint) impact->appointment_qnaires.count),
          (guint) impact->appointment_qnaires.count));
    }

  n = (guint) (impact->recurring_qnaires.count + impact->sent_qnaires.count);
  if (n > 0 && self->receivers[DESK_DEACTIVATION_QNAIRES] != 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, %s a member's name */
      g_dngettext (GETTEXT_PACKAGE, "%u Qnaire (recurring or sent) moves to %s.",
                   "%u Qnaires (recurring or sent) move to %s.", n),
      n, self->receiver_names[DESK_DEACTIVATION_QNAIRES]));
  else if (n > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "%u Qnaire (recurring or sent) is removed; it stays in the record with the reason.",
                   "%u Qnaires (recurring or sent) are removed; they stay in the record with the reason.",
                   n), n));

  n = (guint) impact->inbox.count;
  if (n > 0 && self->receivers[DESK_DEACTIVATION_INBOX] != 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, the first %s a member's name */
      g_dngettext (GETTEXT_PACKAGE,
                   "%u inbox message (%u snoozed) is forwarded to %s, and messages addressed to %s from now on reach them.",
                   "%u inbox messages (%u snoozed) are forwarded to %s, and messages addressed to %s from now on reach them.",
                   n),
      n, (guint) impact->snoozed, self->receiver_names[DESK_DEACTIVATION_INBOX], name));
  else if (n > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %u is a number, %s a member's name */
      g_dngettext (GETTEXT_PACKAGE,
                   "%u inbox message (%u snoozed) is archived with %s: kept, not deleted, and back if they are reactivated. Messages addressed to them from now on reach the members who may edit other users.",
                   "%u inbox messages (%u snoozed) are archived with %s: kept, not deleted, and back if they are reactivated. Messages addressed to them from now on reach the members who may edit other users.",
                   n),
      n, (guint) impact->snoozed, name));
  else if (self->receivers[DESK_DEACTIVATION_INBOX] != 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: both %s are members' names */
      _("Messages addressed to %s from now on reach %s."),
      name, self->receiver_names[DESK_DEACTIVATION_INBOX]));
  else
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %s is a member's name */
      _("Messages addressed to %s from now on reach the members who may edit other users."),
      name));

  for (guint i = 0; i < self->labs->len; i++)
    {
      DeskLabIntegration *lab = self->labs->pdata[i];
      const char *to = g_hash_table_lookup (self->lab_receiver_names, &lab->id);

      if (to != NULL)
        g_ptr_array_add (lines, g_strdup_printf (
          /* Translators: a lab's name, an account number, a member's name */
          lab->is_main ? _("The main lab integration, %s (account %s), is transferred to %s: its results keep arriving.")
                       : _("The %s lab integration (account %s) is transferred to %s: its results keep arriving."),
          lab->lab_name, lab->account_number, to));
      else
        g_ptr_array_add (lines, g_strdup_printf (
          /* Translators: a lab's name, an account number */
          _("The %s lab integration (account %s) has no receiver yet: it must be transferred before deactivating."),
          lab->lab_name, lab->account_number));
    }

  if (impact->billing.count > 0)
    g_ptr_array_add (lines, g_strdup_printf (
      /* Translators: %s is a member's name */
      _("%s is disconnected from MDBilling: claims submitted earlier get no further updates. "
        "Reactivating does not reconnect it; it must be configured again."),
      name));

  g_ptr_array_add (lines, g_strdup_printf (
    /* Translators: %s is a member's name */
    _("%s can no longer sign in, is listed under deactivated members and is hidden from the "
      "member lists of their roles and groups (the memberships are kept). Their open sessions "
      "end at their next action."),
    name));

  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

char *
desk_deactivation_plan_to_json (DeskDeactivationPlan *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  static const char *categories[] = { "appointments", "qnaires", "inbox", "labs" };

  g_return_val_if_fail (DESK_IS_DEACTIVATION_PLAN (self), NULL);

  desk_json_begin_object (out);
  desk_json_key (out, "member");
  desk_json_string (out, desk_member_get_username (self->member));
  desk_json_key (out, "member_id");
  desk_json_int (out, desk_member_get_id (self->member));
  desk_json_key (out, "read_at");
  desk_json_time (out, self->read_at);
  desk_json_key (out, "impact");
  desk_json_begin_object (out);
  desk_json_key (out, "future_appointments");
  desk_json_int (out, self->impact.appointments.count);
  desk_json_key (out, "recurring_qnaires");
  desk_json_int (out, self->impact.recurring_qnaires.count);
  desk_json_key (out, "sent_qnaires");
  desk_json_int (out, self->impact.sent_qnaires.count);
  desk_json_key (out, "appointment_qnaires");
  desk_json_int (out, self->impact.appointment_qnaires.count);
  desk_json_key (out, "inbox_messages");
  desk_json_int (out, self->impact.inbox.count);
  desk_json_key (out, "snoozed_messages");
  desk_json_int (out, self->impact.snoozed);
  desk_json_key (out, "lab_integrations");
  desk_json_begin_array (out);
  for (guint i = 0; i < self->labs->len; i++)
    {
      DeskLabIntegration *lab = self->labs->pdata[i];

      desk_json_begin_object (out);
      desk_json_key (out, "id");
      desk_json_int (out, lab->id);
      desk_json_key (out, "lab");
      desk_json_string (out, lab->lab_name);
      desk_json_key (out, "account");
      desk_json_string (out, lab->account_number);
      desk_json_key (out, "main");
      desk_json_bool (out, lab->is_main);
      desk_json_key (out, "to");
      if (lab->receiver_id != 0)
        desk_json_int (out, lab->receiver_id);
      else
        desk_json_null (out);
      desk_json_end_object (out);
    }
  desk_json_end_array (out);
  desk_json_key (out, "billing_connected");
  desk_json_bool (out, self->impact.billing.count > 0);
  desk_json_end_object (out);
  desk_json_key (out, "receivers");
  desk_json_begin_object (out);
  for (guint i = 0; i < DESK_DEACTIVATION_LABS; i++)
    {
      desk_json_key (out, categories[i]);
      if (self->receivers[i] != 0)
        desk_json_int (out, self->receivers[i]);
      else
        desk_json_null (out);
    }
  desk_json_end_object (out);
  desk_json_key (out, "reason");
  desk_json_string (out, self->reason);
  desk_json_key (out, "what_happens");
  lines = desk_deactivation_plan_describe (self);
  desk_json_strv (out, (const char * const *) lines);
  desk_json_end_object (out);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
