/* desk-deactivation.h: deactivating a member who leaves, and reactivating them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A deactivation is planned, then executed:
 *
 *  1. desk_deactivation_plan_new() reads the impact (each count one index
 *     range): future appointments, recurring and sent Qnaires, inbox items
 *     (snoozed counted apart), the lab integrations that use the member's
 *     information (the clinic's main one marked), a live MDBilling
 *     connection.  It refuses at once what can never be allowed (no "edit
 *     other users", the member is yourself, already deactivated).
 *  2. The caller chooses, for each category, who receives it, or the
 *     documented consequence: appointments cancelled (and the Qnaires sent
 *     for them removed), Qnaires removed, inbox archived with the member.
 *     Every lab integration needs a receiver.  Each choice is validated as
 *     it is made (the receiver active, not the member, a practitioner where
 *     the record needs one).
 *  3. desk_deactivation_execute() is one sensitive change on the change
 *     path (re-authentication): inside its transaction the impact is read
 *     again and the change refused with DESK_DEACTIVATION_ERROR_PLAN_CHANGED
 *     if it differs; then everything moves, the MDBilling connection is
 *     disconnected, the member's re-authentication tokens are revoked, the
 *     member is deactivated, and the audit entries are written; all or
 *     nothing.
 *
 * Nothing is deleted.  Every moved or cancelled item keeps the deactivation
 * it belongs to and its previous holder, so the receiver sees where it came
 * from.  Reactivation brings back sign-in, roles and groups (never
 * removed) and the archived inbox; MDBilling stays disconnected until it is
 * configured again.
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_DEACTIVATION_ERROR (desk_deactivation_error_quark ())

typedef enum
{
  DESK_DEACTIVATION_ERROR_SELF,                    /* deactivating yourself */
  DESK_DEACTIVATION_ERROR_ALREADY_DEACTIVATED,
  DESK_DEACTIVATION_ERROR_NOT_DEACTIVATED,         /* reactivating an active member */
  DESK_DEACTIVATION_ERROR_MAIN_LAB_PERMISSION,     /* the main integration without "manage lab integrations" */
  DESK_DEACTIVATION_ERROR_RECEIVER_IS_MEMBER,      /* the departing member as receiver */
  DESK_DEACTIVATION_ERROR_RECEIVER_DEACTIVATED,
  DESK_DEACTIVATION_ERROR_RECEIVER_NOT_PRACTITIONER,
  DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER,    /* a lab integration left with no one */
  DESK_DEACTIVATION_ERROR_PLAN_CHANGED,            /* the impact changed since the plan was made */
  DESK_DEACTIVATION_ERROR_NOT_CHOSEN,              /* a category with something in it, nothing chosen */
} DeskDeactivationError;

GQuark desk_deactivation_error_quark (void);

/* What a deactivation moves. */
typedef enum
{
  DESK_DEACTIVATION_APPOINTMENTS,
  DESK_DEACTIVATION_QNAIRES,       /* recurring scheduled and sent */
  DESK_DEACTIVATION_INBOX,         /* snoozed included */
  DESK_DEACTIVATION_LABS,
} DeskDeactivationCategory;

/* A lab integration that uses the member's information. */
typedef struct
{
  gint64    id;
  char     *lab_name;
  char     *account_number;
  gboolean  is_main;
  gint64    receiver_id;           /* 0 until chosen */
} DeskLabIntegration;

#define DESK_TYPE_DEACTIVATION_PLAN (desk_deactivation_plan_get_type ())
G_DECLARE_FINAL_TYPE (DeskDeactivationPlan, desk_deactivation_plan, DESK, DEACTIVATION_PLAN, GObject)

/* Refuses with DESK_SESSION_ERROR_PERMISSION_DENIED (no "edit other
 * users"), DESK_DEACTIVATION_ERROR_SELF, _ALREADY_DEACTIVATED, or
 * DESK_STORE_ERROR_NO_SUCH_RECORD. */
DeskDeactivationPlan *desk_deactivation_plan_new        (DeskSession          *session,
                                                         gint64                member_id,
                                                         GError              **error);
/* The same, the impact read on a worker with its own connection. */
void                  desk_deactivation_plan_new_async  (DeskSession          *session,
                                                         gint64                member_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
DeskDeactivationPlan *desk_deactivation_plan_new_finish (GAsyncResult         *result,
                                                         GError              **error);

DeskMember *desk_deactivation_plan_get_member               (DeskDeactivationPlan *self);
/* When the impact was read. */
gint64      desk_deactivation_plan_get_read_at              (DeskDeactivationPlan *self);

/* The impact */
guint       desk_deactivation_plan_get_future_appointments  (DeskDeactivationPlan *self);
guint       desk_deactivation_plan_get_recurring_qnaires    (DeskDeactivationPlan *self);
guint       desk_deactivation_plan_get_sent_qnaires         (DeskDeactivationPlan *self);
/* Of the sent Qnaires (the member's or anyone's), those sent for the
 * member's future appointments: removed if the appointments are cancelled. */
guint       desk_deactivation_plan_get_appointment_qnaires  (DeskDeactivationPlan *self);
guint       desk_deactivation_plan_get_inbox_messages       (DeskDeactivationPlan *self);  /* snoozed included */
guint       desk_deactivation_plan_get_snoozed_messages     (DeskDeactivationPlan *self);
/* The integrations, in name order; the plan keeps them. */
GPtrArray  *desk_deactivation_plan_get_lab_integrations     (DeskDeactivationPlan *self);
gboolean    desk_deactivation_plan_get_billing_connected    (DeskDeactivationPlan *self);
/* Whether @category has anything to move (the assistant skips its page
 * otherwise). */
gboolean    desk_deactivation_plan_has                      (DeskDeactivationPlan *self,
                                                             DeskDeactivationCategory category);

/* The choices.  @receiver_id 0: the consequence (cancel appointments,
 * remove Qnaires, archive the inbox).  A receiver is refused with
 * DESK_DEACTIVATION_ERROR_RECEIVER_IS_MEMBER, _RECEIVER_DEACTIVATED,
 * _RECEIVER_NOT_PRACTITIONER (appointments and Qnaires need a provider),
 * or DESK_STORE_ERROR_NO_SUCH_RECORD, and the choice is left as it was. */
gboolean    desk_deactivation_plan_set_receiver             (DeskDeactivationPlan *self,
                                                             DeskDeactivationCategory category,
                                                             gint64                receiver_id,
                                                             GError              **error);
/* For DESK_DEACTIVATION_LABS, the receiver of every integration at once. */
gint64      desk_deactivation_plan_get_receiver             (DeskDeactivationPlan *self,
                                                             DeskDeactivationCategory category);
/* The receiver's display name, or NULL for the consequence. */
const char *desk_deactivation_plan_get_receiver_name        (DeskDeactivationPlan *self,
                                                             DeskDeactivationCategory category);
/* One integration's receiver (never 0: an integration must go to someone). */
gboolean    desk_deactivation_plan_set_lab_receiver         (DeskDeactivationPlan *self,
                                                             gint64                integration_id,
                                                             gint64                receiver_id,
                                                             GError              **error);
void        desk_deactivation_plan_set_reason               (DeskDeactivationPlan *self,
                                                             const char           *reason);
const char *desk_deactivation_plan_get_reason               (DeskDeactivationPlan *self);

/* Whether the plan can be executed by @session as it stands: each of
 * appointments, Qnaires and inbox that has something in it was given a
 * receiver or its consequence, explicitly
 * (DESK_DEACTIVATION_ERROR_NOT_CHOSEN: nothing is cancelled or archived by
 * default), every lab
 * integration has a receiver (DESK_DEACTIVATION_ERROR_LAB_WITHOUT_RECEIVER),
 * the main one only with "manage lab integrations"
 * (DESK_DEACTIVATION_ERROR_MAIN_LAB_PERMISSION). */
gboolean    desk_deactivation_plan_check                    (DeskDeactivationPlan *self,
                                                             DeskSession          *session,
                                                             GError              **error);
/* Everything that will happen, in plain words, one sentence each,
 * translated: what moves where, what is cancelled, removed or archived,
 * what stops arriving, the billing disconnect. */
char      **desk_deactivation_plan_describe                 (DeskDeactivationPlan *self);
/* The plan as a JSON object (for --dry-run --json). */
char       *desk_deactivation_plan_to_json                  (DeskDeactivationPlan *self);

/* What a deactivation did, for the assistant's last page and the CLI. */
typedef struct
{
  gint64   deactivation_id;        /* member_status_changes row */
  gint64   member_id;
  gint64   at;
  guint    appointments_moved;
  guint    appointments_cancelled;
  guint    recurring_qnaires_moved;
  guint    sent_qnaires_moved;
  guint    qnaires_removed;        /* recurring and sent, their own and those of cancelled appointments */
  guint    messages_forwarded;
  guint    messages_archived;
  guint    lab_integrations_moved;
  gboolean billing_disconnected;
  char   **lines;                  /* what went where, in plain words, translated */
} DeskDeactivationReport;

void        desk_deactivation_report_free                   (DeskDeactivationReport *report);
/* The report as CSV (one line per sentence, with a header), for export. */
char       *desk_deactivation_report_to_csv                 (DeskDeactivationReport *report);
char       *desk_deactivation_report_to_json                (DeskDeactivationReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskDeactivationReport, desk_deactivation_report_free)

/* Executes @plan as @session's member: a sensitive change (needs a
 * re-authentication), refused as desk_deactivation_plan_check() refuses,
 * and with DESK_DEACTIVATION_ERROR_PLAN_CHANGED when the impact is not the
 * one read, _ALREADY_DEACTIVATED, or _RECEIVER_DEACTIVATED when a
 * receiver was deactivated meanwhile.  Returns the report, or NULL with
 * nothing changed. */
DeskDeactivationReport *desk_deactivation_execute           (DeskSession          *session,
                                                             DeskDeactivationPlan *plan,
                                                             GError              **error);
/* The same on a worker with its own connection (desk_change_run_async()). */
void                    desk_deactivation_execute_async     (DeskSession          *session,
                                                             DeskDeactivationPlan *plan,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
DeskDeactivationReport *desk_deactivation_execute_finish    (DeskSession          *session,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Reactivates a deactivated member: a sensitive change needing "edit
 * other users"; DESK_DEACTIVATION_ERROR_NOT_DEACTIVATED for an active one.
 * Sign-in, roles and groups and the archived inbox come back; a billing
 * connection stays disconnected (@billing_disconnected, if not NULL, says
 * whether the member has one to configure again). */
gboolean    desk_deactivation_reactivate                    (DeskSession          *session,
                                                             gint64                member_id,
                                                             const char           *reason,
                                                             gboolean             *billing_disconnected,
                                                             GError              **error);
/* The same on a worker with its own connection: the archived inbox can be
 * large. */
void        desk_deactivation_reactivate_async              (DeskSession          *session,
                                                             gint64                member_id,
                                                             const char           *reason,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean    desk_deactivation_reactivate_finish             (DeskSession          *session,
                                                             GAsyncResult         *result,
                                                             gboolean             *billing_disconnected,
                                                             GError              **error);

G_END_DECLS
