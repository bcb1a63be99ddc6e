/* desk-records.c: small records shown in detail pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-records.h"
#include "desk-store-private.h"

struct _DeskAppointment
{
  GObject  parent_instance;

  gint64   id;
  gint64   starts_at;
  guint    duration_minutes;
  char    *kind;
  char    *status;
  char    *practitioner_name;
  char    *moved_from_name;
  gint64   moved_at;
};

G_DEFINE_FINAL_TYPE (DeskAppointment, desk_appointment, G_TYPE_OBJECT)

enum {
  APPT_PROP_0,
  APPT_PROP_ID,
  APPT_PROP_STARTS_AT,
  APPT_PROP_DURATION_MINUTES,
  APPT_PROP_KIND,
  APPT_PROP_STATUS,
  APPT_PROP_PRACTITIONER_NAME,
  APPT_N_PROPS
};

static GParamSpec *appointment_properties[APPT_N_PROPS];

static void
desk_appointment_finalize (GObject *object)
{
  DeskAppointment *self = (DeskAppointment *) object;

  g_free (self->kind);
  g_free (self->status);
  g_free (self->practitioner_name);
  g_free (self->moved_from_name);

  G_OBJECT_CLASS (desk_appointment_parent_class)->finalize (object);
}

static void
desk_appointment_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskAppointment *self = DESK_APPOINTMENT (object);

  switch (prop_id)
    {
    case APPT_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case APPT_PROP_STARTS_AT:
      g_value_set_int64 (value, self->starts_at);
      break;
    case APPT_PROP_DURATION_MINUTES:
      g_value_set_uint (value, self->duration_minutes);
      break;
    case APPT_PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case APPT_PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case APPT_PROP_PRACTITIONER_NAME:
      g_value_set_string (value, self->practitioner_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_appointment_class_init (DeskAppointmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = desk_appointment_finalize;
  object_class->get_property = desk_appointment_get_property;

  appointment_properties[APPT_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  appointment_properties[APPT_PROP_STARTS_AT] =
    g_param_spec_int64 ("starts-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  appointment_properties[APPT_PROP_DURATION_MINUTES] =
    g_param_spec_uint ("duration-minutes", NULL, NULL, 0, G_MAXUINT, 0, flags);
  appointment_properties[APPT_PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  appointment_properties[APPT_PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL, flags);
  appointment_properties[APPT_PROP_PRACTITIONER_NAME] =
    g_param_spec_string ("practitioner-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, APPT_N_PROPS, appointment_properties);
}

static void
desk_appointment_init (DeskAppointment *self)
{
}

DeskAppointment *
_desk_appointment_new (gint64      id,
                       gint64      starts_at,
                       guint       duration_minutes,
                       const char *kind,
                       const char *status,
                       const char *practitioner_name)
{
  DeskAppointment *self = g_object_new (DESK_TYPE_APPOINTMENT, NULL);

  self->id = id;
  self->starts_at = starts_at;
  self->duration_minutes = duration_minutes;
  self->kind = g_strdup (kind != NULL ? kind : "");
  self->status = g_strdup (status != NULL ? status : "");
  self->practitioner_name = g_strdup (practitioner_name != NULL ? practitioner_name : "");

  return self;
}

void
_desk_appointment_set_moved_from (DeskAppointment *self,
                                  const char      *name,
                                  gint64           at)
{
  g_free (self->moved_from_name);
  self->moved_from_name = g_strdup (name);
  self->moved_at = at;
}

const char *
desk_appointment_get_moved_from_name (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), NULL);
  return self->moved_from_name;
}

gint64
desk_appointment_get_moved_at (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), 0);
  return self->moved_at;
}

gint64
desk_appointment_get_id (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), 0);
  return self->id;
}

gint64
desk_appointment_get_starts_at (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), 0);
  return self->starts_at;
}

guint
desk_appointment_get_duration_minutes (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), 0);
  return self->duration_minutes;
}

const char *
desk_appointment_get_kind (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), NULL);
  return self->kind;
}

const char *
desk_appointment_get_status (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), NULL);
  return self->status;
}

const char *
desk_appointment_get_practitioner_name (DeskAppointment *self)
{
  g_return_val_if_fail (DESK_IS_APPOINTMENT (self), NULL);
  return self->practitioner_name;
}

struct _DeskDocument
{
  GObject   parent_instance;

  gint64    id;
  char     *title;
  char     *kind;
  gint64    shared_at;
  gboolean  completed;
};

G_DEFINE_FINAL_TYPE (DeskDocument, desk_document, G_TYPE_OBJECT)

enum {
  DOC_PROP_0,
  DOC_PROP_ID,
  DOC_PROP_TITLE,
  DOC_PROP_KIND,
  DOC_PROP_SHARED_AT,
  DOC_PROP_COMPLETED,
  DOC_N_PROPS
};

static GParamSpec *document_properties[DOC_N_PROPS];

static void
desk_document_finalize (GObject *object)
{
  DeskDocument *self = (DeskDocument *) object;

  g_free (self->title);
  g_free (self->kind);

  G_OBJECT_CLASS (desk_document_parent_class)->finalize (object);
}

static void
desk_document_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DeskDocument *self = DESK_DOCUMENT (object);

  switch (prop_id)
    {
    case DOC_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case DOC_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case DOC_PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case DOC_PROP_SHARED_AT:
      g_value_set_int64 (value, self->shared_at);
      break;
    case DOC_PROP_COMPLETED:
      g_value_set_boolean (value, self->completed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_document_class_init (DeskDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = desk_document_finalize;
  object_class->get_property = desk_document_get_property;

  document_properties[DOC_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  document_properties[DOC_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  document_properties[DOC_PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  document_properties[DOC_PROP_SHARED_AT] =
    g_param_spec_int64 ("shared-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  document_properties[DOC_PROP_COMPLETED] =
    g_param_spec_boolean ("completed", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, DOC_N_PROPS, document_properties);
}

static void
desk_document_init (DeskDocument *self)
{
}

DeskDocument *
_desk_document_new (gint64      id,
                    const char *title,
                    const char *kind,
                    gint64      shared_at,
                    gboolean    completed)
{
  DeskDocument *self = g_object_new (DESK_TYPE_DOCUMENT, NULL);

  self->id = id;
  self->title = g_strdup (title != NULL ? title : "");
  self->kind = g_strdup (kind != NULL ? kind : "");
  self->shared_at = shared_at;
  self->completed = completed;

  return self;
}

gint64
desk_document_get_id (DeskDocument *self)
{
  g_return_val_if_fail (DESK_IS_DOCUMENT (self), 0);
  return self->id;
}

const char *
desk_document_get_title (DeskDocument *self)
{
  g_return_val_if_fail (DESK_IS_DOCUMENT (self), NULL);
  return self->title;
}

const char *
desk_document_get_kind (DeskDocument *self)
{
  g_return_val_if_fail (DESK_IS_DOCUMENT (self), NULL);
  return self->kind;
}

gint64
desk_document_get_shared_at (DeskDocument *self)
{
  g_return_val_if_fail (DESK_IS_DOCUMENT (self), 0);
  return self->shared_at;
}

gboolean
desk_document_get_completed (DeskDocument *self)
{
  g_return_val_if_fail (DESK_IS_DOCUMENT (self), FALSE);
  return self->completed;
}
