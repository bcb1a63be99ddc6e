/* desk-client.c: a client (patient) of the clinic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A snapshot of one row; status (active or inactive) and portal access
 * (enabled or disabled) are separate on purpose: front desks confuse them.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-client.h"
#include "desk-enums.h"
#include "desk-records.h"
#include "desk-store-private.h"

struct _DeskClient
{
  GObject              parent_instance;

  gint64               id;
  char                *given_name;
  char                *family_name;
  char                *display_name;
  char                *date_of_birth;
  char                *email;
  char                *phone;
  char                *province;
  DeskClientStatus     status;
  gint64               discharged_at;
  char                *discharge_reason;
  DeskPortalAccess     portal_access;
  DeskInvitationState  portal_invitation;
  gint64               primary_practitioner_id;
  char                *primary_practitioner_name;
};

G_DEFINE_FINAL_TYPE (DeskClient, desk_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_DISPLAY_NAME,
  PROP_DATE_OF_BIRTH,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_PROVINCE,
  PROP_STATUS,
  PROP_IS_ACTIVE,
  PROP_DISCHARGED_AT,
  PROP_DISCHARGE_REASON,
  PROP_PORTAL_ACCESS,
  PROP_PORTAL_ENABLED,
  PROP_PORTAL_INVITATION,
  PROP_PRIMARY_PRACTITIONER_ID,
  PROP_PRIMARY_PRACTITIONER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
desk_client_finalize (GObject *object)
{
  DeskClient *self = (DeskClient *) object;

  g_free (self->given_name);
  g_free (self->family_name);
  g_free (self->display_name);
  g_free (self->date_of_birth);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->province);
  g_free (self->discharge_reason);
  g_free (self->primary_practitioner_name);

  G_OBJECT_CLASS (desk_client_parent_class)->finalize (object);
}

static void
desk_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DeskClient *self = DESK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_GIVEN_NAME:
      g_value_set_string (value, self->given_name);
      break;
    case PROP_FAMILY_NAME:
      g_value_set_string (value, self->family_name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_DATE_OF_BIRTH:
      g_value_set_string (value, self->date_of_birth);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_PROVINCE:
      g_value_set_string (value, self->province);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_IS_ACTIVE:
      g_value_set_boolean (value, self->status == DESK_CLIENT_STATUS_ACTIVE);
      break;
    case PROP_DISCHARGED_AT:
      g_value_set_int64 (value, self->discharged_at);
      break;
    case PROP_DISCHARGE_REASON:
      g_value_set_string (value, self->discharge_reason);
      break;
    case PROP_PORTAL_ACCESS:
      g_value_set_enum (value, self->portal_access);
      break;
    case PROP_PORTAL_ENABLED:
      g_value_set_boolean (value, self->portal_access == DESK_PORTAL_ACCESS_ENABLED);
      break;
    case PROP_PORTAL_INVITATION:
      g_value_set_enum (value, self->portal_invitation);
      break;
    case PROP_PRIMARY_PRACTITIONER_ID:
      g_value_set_int64 (value, self->primary_practitioner_id);
      break;
    case PROP_PRIMARY_PRACTITIONER_NAME:
      g_value_set_string (value, self->primary_practitioner_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_client_class_init (DeskClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = desk_client_finalize;
  object_class->get_property = desk_client_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_GIVEN_NAME] = g_param_spec_string ("given-name", NULL, NULL, NULL, flags);
  properties[PROP_FAMILY_NAME] = g_param_spec_string ("family-name", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_DATE_OF_BIRTH] = g_param_spec_string ("date-of-birth", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  properties[PROP_PROVINCE] = g_param_spec_string ("province", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, DESK_TYPE_CLIENT_STATUS,
                                               DESK_CLIENT_STATUS_ACTIVE, flags);
  properties[PROP_IS_ACTIVE] = g_param_spec_boolean ("is-active", NULL, NULL, TRUE, flags);
  properties[PROP_DISCHARGED_AT] = g_param_spec_int64 ("discharged-at", NULL, NULL,
                                                       0, G_MAXINT64, 0, flags);
  properties[PROP_DISCHARGE_REASON] = g_param_spec_string ("discharge-reason", NULL, NULL,
                                                           NULL, flags);
  properties[PROP_PORTAL_ACCESS] = g_param_spec_enum ("portal-access", NULL, NULL,
                                                      DESK_TYPE_PORTAL_ACCESS,
                                                      DESK_PORTAL_ACCESS_DISABLED, flags);
  properties[PROP_PORTAL_ENABLED] = g_param_spec_boolean ("portal-enabled", NULL, NULL,
                                                          FALSE, flags);
  properties[PROP_PORTAL_INVITATION] = g_param_spec_enum ("portal-invitation", NULL, NULL,
                                                          DESK_TYPE_INVITATION_STATE,
                                                          DESK_INVITATION_NONE, flags);
  properties[PROP_PRIMARY_PRACTITIONER_ID] =
    g_param_spec_int64 ("primary-practitioner-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PRIMARY_PRACTITIONER_NAME] =
    g_param_spec_string ("primary-practitioner-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_client_init (DeskClient *self)
{
}

/* Reads a row selected with DESK_CLIENT_COLUMNS. */
DeskClient *
_desk_client_new_from_row (sqlite3_stmt *stmt)
{
  DeskClient *self = g_object_new (DESK_TYPE_CLIENT, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->given_name = _desk_db_column_dup (stmt, 1);
  self->family_name = _desk_db_column_dup (stmt, 2);
  self->display_name = g_strdup_printf ("%s %s", self->given_name, self->family_name);
  self->date_of_birth = _desk_db_column_dup (stmt, 3);
  self->email = _desk_db_column_dup (stmt, 4);
  self->phone = _desk_db_column_dup (stmt, 5);
  self->province = _desk_db_column_dup (stmt, 6);
  if (!desk_client_status_from_string ((const char *) sqlite3_column_text (stmt, 7),
                                       &self->status))
    self->status = DESK_CLIENT_STATUS_ACTIVE;
  self->discharged_at = sqlite3_column_int64 (stmt, 8);
  self->discharge_reason = _desk_db_column_dup (stmt, 9);
  if (!desk_portal_access_from_string ((const char *) sqlite3_column_text (stmt, 10),
                                       &self->portal_access))
    self->portal_access = DESK_PORTAL_ACCESS_DISABLED;
  if (!desk_invitation_state_from_string ((const char *) sqlite3_column_text (stmt, 11),
                                          &self->portal_invitation))
    self->portal_invitation = DESK_INVITATION_NONE;
  self->primary_practitioner_id = sqlite3_column_int64 (stmt, 12);
  self->primary_practitioner_name = _desk_db_column_dup (stmt, 13);

  return self;
}

gint64
desk_client_get_id (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), 0);
  return self->id;
}

const char *
desk_client_get_given_name (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->given_name;
}

const char *
desk_client_get_family_name (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->family_name;
}

const char *
desk_client_get_display_name (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->display_name;
}

const char *
desk_client_get_date_of_birth (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->date_of_birth;
}

const char *
desk_client_get_email (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->email;
}

const char *
desk_client_get_phone (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->phone;
}

const char *
desk_client_get_province (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->province;
}

DeskClientStatus
desk_client_get_status (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), DESK_CLIENT_STATUS_ACTIVE);
  return self->status;
}

gboolean
desk_client_get_is_active (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), FALSE);
  return self->status == DESK_CLIENT_STATUS_ACTIVE;
}

gint64
desk_client_get_discharged_at (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), 0);
  return self->discharged_at;
}

const char *
desk_client_get_discharge_reason (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->discharge_reason;
}

DeskPortalAccess
desk_client_get_portal_access (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), DESK_PORTAL_ACCESS_DISABLED);
  return self->portal_access;
}

gboolean
desk_client_get_portal_enabled (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), FALSE);
  return self->portal_access == DESK_PORTAL_ACCESS_ENABLED;
}

DeskInvitationState
desk_client_get_portal_invitation (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), DESK_INVITATION_NONE);
  return self->portal_invitation;
}

gint64
desk_client_get_primary_practitioner_id (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), 0);
  return self->primary_practitioner_id;
}

const char *
desk_client_get_primary_practitioner_name (DeskClient *self)
{
  g_return_val_if_fail (DESK_IS_CLIENT (self), NULL);
  return self->primary_practitioner_name;
}

/* Loading clients */

DeskClient *
desk_client_load (DeskStore  *self,
                  gint64      id,
                  GError    **error)
{
  g_autofree char *which = NULL;
  g_autofree char *missing = NULL;
  sqlite3_stmt *stmt;
  DeskClient *client;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  stmt = _desk_store_prepare (self, "SELECT " DESK_CLIENT_COLUMNS " FROM clients c WHERE c.id = ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  which = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  missing = g_strdup_printf (_("There is no client with number %s in this clinic."), which);
  if (!_desk_store_step_one (self, stmt, missing, error))
    return NULL;

  client = _desk_client_new_from_row (stmt);
  sqlite3_reset (stmt);
  return client;
}

static GListModel *
list_documents (DeskStore   *self,
                const char  *sql,
                gint64       client_id,
                GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (DESK_TYPE_DOCUMENT);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(DeskDocument) doc =
        _desk_document_new (sqlite3_column_int64 (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1),
                            (const char *) sqlite3_column_text (stmt, 2),
                            sqlite3_column_int64 (stmt, 3),
                            sqlite3_column_int (stmt, 4) != 0);
      g_list_store_append (list, doc);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_store_get_db (self), rc, _("reading the client’s documents"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

GListModel *
desk_client_list_documents (DeskStore  *self,
                            gint64      client_id,
                            GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return list_documents (self,
                         "SELECT d.id, d.title, d.kind, s.shared_at, s.completed_at IS NOT NULL"
                         " FROM document_shares s JOIN documents d ON d.id = s.document_id"
                         " WHERE s.client_id = ? AND s.unshared_at IS NULL"
                         " ORDER BY s.shared_at DESC, s.id DESC",
                         client_id, error);
}

GListModel *
desk_client_list_record_documents (DeskStore  *self,
                                   gint64      client_id,
                                   GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  /* One current share at most per document (sharing again is refused). */
  return list_documents (self,
                         "SELECT d.id, d.title, d.kind, coalesce (s.shared_at, 0),"
                         " s.completed_at IS NOT NULL"
                         " FROM documents d LEFT JOIN document_shares s ON s.document_id = d.id"
                         " AND s.client_id = d.client_id AND s.unshared_at IS NULL"
                         " WHERE d.client_id = ?"
                         " ORDER BY d.created_at DESC, d.id DESC",
                         client_id, error);
}

GListModel *
desk_client_list_appointments (DeskStore  *self,
                               gint64      client_id,
                               guint       limit,
                               GError    **error)
{
  g_autoptr(GListStore) list = g_list_store_new (DESK_TYPE_APPOINTMENT);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  stmt = _desk_store_prepare (self,
                              "SELECT a.id, a.starts_at, a.duration_minutes, a.kind, a.status,"
                              "  m.given_name || ' ' || m.family_name,"
                              "  (SELECT f.given_name || ' ' || f.family_name FROM members f"
                              "    WHERE f.id = a.moved_from_practitioner_id),"
                              "  (SELECT s.at FROM member_status_changes s WHERE s.id = a.deactivation_id)"
                              " FROM appointments a JOIN members m ON m.id = a.practitioner_id"
                              " WHERE a.client_id = ? AND a.starts_at >= ? AND a.status = 'booked'"
                              " ORDER BY a.starts_at LIMIT ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, desk_store_get_now (self));
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(DeskAppointment) appointment =
        _desk_appointment_new (sqlite3_column_int64 (stmt, 0),
                               sqlite3_column_int64 (stmt, 1),
                               sqlite3_column_int (stmt, 2),
                               (const char *) sqlite3_column_text (stmt, 3),
                               (const char *) sqlite3_column_text (stmt, 4),
                               (const char *) sqlite3_column_text (stmt, 5));
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        _desk_appointment_set_moved_from (appointment, (const char *) sqlite3_column_text (stmt, 6),
                                          sqlite3_column_int64 (stmt, 7));
      g_list_store_append (list, appointment);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_store_get_db (self), rc, _("reading the client’s appointments"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&list));
}

guint
desk_client_count (DeskStore  *self,
                   GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), 0);

  return _desk_store_count (self, "SELECT count(*) FROM clients", NULL, error);
}
