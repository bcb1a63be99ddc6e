/* desk-deactivation-private.h: what the plan and its execution share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-deactivation.h"

G_BEGIN_DECLS

/* One category's items as read: how many, and the sum of their ids, so
 * that an item that left and another that came in are noticed too. */
typedef struct
{
  gint64 count;
  double id_sum;
} DeskImpactRange;

typedef struct
{
  DeskImpactRange appointments;          /* future, booked */
  DeskImpactRange recurring_qnaires;
  DeskImpactRange sent_qnaires;
  DeskImpactRange appointment_qnaires;   /* sent for those appointments, anyone's */
  DeskImpactRange inbox;                 /* snoozed included */
  DeskImpactRange labs;
  DeskImpactRange billing;               /* live MDBilling connections */
  gint64          snoozed;               /* shown, not compared: it changes with time */
} DeskImpact;

/* Reads the impact of deactivating @member_id on @db, appointments from
 * @from on. */
gboolean   _desk_deactivation_read_impact (sqlite3      *db,
                                           gint64        member_id,
                                           gint64        from,
                                           DeskImpact   *impact,
                                           GPtrArray    *labs,
                                           GError      **error);
gboolean   _desk_deactivation_impact_equal (const DeskImpact *a,
                                            const DeskImpact *b);

/* A receiver as the file says: refused with its own error unless active,
 * not @member_id, and a provider when @practitioner. */
gboolean   _desk_deactivation_check_receiver (sqlite3     *db,
                                              gint64       member_id,
                                              gint64       receiver_id,
                                              gboolean     practitioner,
                                              char       **name,
                                              GError     **error);

const DeskImpact *_desk_deactivation_plan_get_impact (DeskDeactivationPlan *self);
DeskLabIntegration *_desk_lab_integration_copy (const DeskLabIntegration *lab);
void       _desk_lab_integration_free      (gpointer data);

/* For the report: the receiver names the plan chose, by category. */
const char *_desk_deactivation_plan_get_lab_receiver_name (DeskDeactivationPlan *self,
                                                          gint64                integration_id);

G_END_DECLS
