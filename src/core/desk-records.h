/* desk-records.h: small records shown in detail pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_APPOINTMENT (desk_appointment_get_type ())
G_DECLARE_FINAL_TYPE (DeskAppointment, desk_appointment, DESK, APPOINTMENT, GObject)

gint64      desk_appointment_get_id                (DeskAppointment *self);
gint64      desk_appointment_get_starts_at         (DeskAppointment *self);
guint       desk_appointment_get_duration_minutes  (DeskAppointment *self);
const char *desk_appointment_get_kind              (DeskAppointment *self);
const char *desk_appointment_get_status            (DeskAppointment *self);
const char *desk_appointment_get_practitioner_name (DeskAppointment *self);
/* When a deactivation moved it: the practitioner it came from (NULL
 * otherwise), and when that member was deactivated. */
const char *desk_appointment_get_moved_from_name   (DeskAppointment *self);
gint64      desk_appointment_get_moved_at          (DeskAppointment *self);

#define DESK_TYPE_DOCUMENT (desk_document_get_type ())
G_DECLARE_FINAL_TYPE (DeskDocument, desk_document, DESK, DOCUMENT, GObject)

gint64      desk_document_get_id                   (DeskDocument *self);
const char *desk_document_get_title                (DeskDocument *self);
const char *desk_document_get_kind                 (DeskDocument *self);
gint64      desk_document_get_shared_at            (DeskDocument *self);
gboolean    desk_document_get_completed            (DeskDocument *self);

G_END_DECLS
