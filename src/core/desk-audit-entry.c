/* desk-audit-entry.c: one entry of the audit log, as a list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-audit-entry.h"
#include "desk-audit-private.h"

struct _DeskAuditEntry
{
  GObject  parent_instance;

  gint64   id;
  gint64   time;
  gint64   actor_id;
  char    *actor_name;
  char    *actor_username;
  char    *action;
  char    *target_kind;
  gint64   target_id;
  char    *target_name;
  char    *reason;
  char    *details;
};

G_DEFINE_FINAL_TYPE (DeskAuditEntry, desk_audit_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TIME,
  PROP_ACTOR_ID,
  PROP_ACTOR_NAME,
  PROP_ACTOR_USERNAME,
  PROP_ACTION,
  PROP_TARGET_KIND,
  PROP_TARGET_ID,
  PROP_TARGET_NAME,
  PROP_REASON,
  PROP_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
desk_audit_entry_finalize (GObject *object)
{
  DeskAuditEntry *self = (DeskAuditEntry *) object;

  g_free (self->actor_name);
  g_free (self->actor_username);
  g_free (self->action);
  g_free (self->target_kind);
  g_free (self->target_name);
  g_free (self->reason);
  g_free (self->details);

  G_OBJECT_CLASS (desk_audit_entry_parent_class)->finalize (object);
}

static void
desk_audit_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskAuditEntry *self = DESK_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    case PROP_ACTOR_ID:
      g_value_set_int64 (value, self->actor_id);
      break;
    case PROP_ACTOR_NAME:
      g_value_set_string (value, self->actor_name);
      break;
    case PROP_ACTOR_USERNAME:
      g_value_set_string (value, self->actor_username);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_TARGET_KIND:
      g_value_set_string (value, self->target_kind);
      break;
    case PROP_TARGET_ID:
      g_value_set_int64 (value, self->target_id);
      break;
    case PROP_TARGET_NAME:
      g_value_set_string (value, self->target_name);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_audit_entry_class_init (DeskAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_audit_entry_finalize;
  object_class->get_property = desk_audit_entry_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR_ID] =
    g_param_spec_int64 ("actor-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR_NAME] =
    g_param_spec_string ("actor-name", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR_USERNAME] =
    g_param_spec_string ("actor-username", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET_KIND] =
    g_param_spec_string ("target-kind", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET_ID] =
    g_param_spec_int64 ("target-id", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET_NAME] =
    g_param_spec_string ("target-name", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_audit_entry_init (DeskAuditEntry *self)
{
  self->actor_name = g_strdup ("");
  self->actor_username = g_strdup ("");
  self->action = g_strdup ("");
  self->target_kind = g_strdup ("");
  self->target_name = g_strdup ("");
  self->reason = g_strdup ("");
  self->details = g_strdup ("");
}

/* Private API */

static void
set_text (char       **field,
          const char  *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

DeskAuditEntry *
_desk_audit_entry_new (gint64      id,
                       gint64       at,
                       gint64       actor_id,
                       const char *actor_name,
                       const char *actor_username,
                       const char *action,
                       const char *target_kind,
                       gint64       target_id,
                       const char *target_name,
                       const char *reason,
                       const char *details)
{
  DeskAuditEntry *self = g_object_new (DESK_TYPE_AUDIT_ENTRY, NULL);

  self->id = id;
  self->time = at;
  self->actor_id = actor_id;
  self->target_id = target_id;
  set_text (&self->actor_name, actor_name);
  set_text (&self->actor_username, actor_username);
  set_text (&self->action, action);
  set_text (&self->target_kind, target_kind);
  set_text (&self->target_name, target_name);
  set_text (&self->reason, reason);
  set_text (&self->details, details != NULL ? details : "{}");
  return self;
}

DeskAuditEntry *
_desk_audit_entry_new_from_row (sqlite3_stmt *stmt)
{
  return _desk_audit_entry_new (sqlite3_column_int64 (stmt, 0),
                                sqlite3_column_int64 (stmt, 1),
                                sqlite3_column_int64 (stmt, 2),
                                (const char *) sqlite3_column_text (stmt, 3),
                                (const char *) sqlite3_column_text (stmt, 4),
                                (const char *) sqlite3_column_text (stmt, 5),
                                (const char *) sqlite3_column_text (stmt, 6),
                                sqlite3_column_int64 (stmt, 7),
                                (const char *) sqlite3_column_text (stmt, 8),
                                (const char *) sqlite3_column_text (stmt, 9),
                                (const char *) sqlite3_column_text (stmt, 10));
}

/* Public API */

gint64
desk_audit_entry_get_id (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), 0);
  return self->id;
}

gint64
desk_audit_entry_get_time (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), 0);
  return self->time;
}

gint64
desk_audit_entry_get_actor_id (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), 0);
  return self->actor_id;
}

const char *
desk_audit_entry_get_actor_name (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), NULL);
  return self->actor_name;
}

const char *
desk_audit_entry_get_actor_username (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), NULL);
  return self->actor_username;
}

const char *
desk_audit_entry_get_action (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), NULL);
  return self->action;
}

const char *
desk_audit_entry_get_target_kind (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), NULL);
  return self->target_kind;
}

gint64
desk_audit_entry_get_target_id (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), 0);
  return self->target_id;
}

const char *
desk_audit_entry_get_target_name (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), NULL);
  return self->target_name;
}

const char *
desk_audit_entry_get_reason (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), NULL);
  return self->reason;
}

const char *
desk_audit_entry_get_details (DeskAuditEntry *self)
{
  g_return_val_if_fail (DESK_IS_AUDIT_ENTRY (self), NULL);
  return self->details;
}
