/* desk-member.c: a member of the clinic (provider or employee)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A snapshot of one row, read by the store or a list model; changes go
 * through the store, never through this object.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-enums.h"
#include "desk-member.h"
#include "desk-search-text.h"
#include "desk-store-private.h"

struct _DeskMember
{
  GObject           parent_instance;

  gint64            id;
  char             *username;
  char             *given_name;
  char             *family_name;
  char             *display_name;
  char             *email;
  DeskMemberKind    kind;
  char             *title;
  char             *province;
  DeskMemberStatus  status;
  gint64            deactivated_at;
  char             *deactivation_reason;
  char             *deactivated_by_name;
};

G_DEFINE_FINAL_TYPE (DeskMember, desk_member, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USERNAME,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_DISPLAY_NAME,
  PROP_EMAIL,
  PROP_KIND,
  PROP_TITLE,
  PROP_PROVINCE,
  PROP_STATUS,
  PROP_IS_ACTIVE,
  PROP_DEACTIVATED_AT,
  PROP_DEACTIVATION_REASON,
  PROP_DEACTIVATED_BY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
desk_member_finalize (GObject *object)
{
  DeskMember *self = (DeskMember *) object;

  g_free (self->username);
  g_free (self->given_name);
  g_free (self->family_name);
  g_free (self->display_name);
  g_free (self->email);
  g_free (self->title);
  g_free (self->province);
  g_free (self->deactivation_reason);
  g_free (self->deactivated_by_name);

  G_OBJECT_CLASS (desk_member_parent_class)->finalize (object);
}

static void
desk_member_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DeskMember *self = DESK_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
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
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PROVINCE:
      g_value_set_string (value, self->province);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_IS_ACTIVE:
      g_value_set_boolean (value, self->status == DESK_MEMBER_STATUS_ACTIVE);
      break;
    case PROP_DEACTIVATED_AT:
      g_value_set_int64 (value, self->deactivated_at);
      break;
    case PROP_DEACTIVATION_REASON:
      g_value_set_string (value, self->deactivation_reason);
      break;
    case PROP_DEACTIVATED_BY_NAME:
      g_value_set_string (value, self->deactivated_by_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_member_class_init (DeskMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = desk_member_finalize;
  object_class->get_property = desk_member_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_GIVEN_NAME] = g_param_spec_string ("given-name", NULL, NULL, NULL, flags);
  properties[PROP_FAMILY_NAME] = g_param_spec_string ("family-name", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, DESK_TYPE_MEMBER_KIND,
                                             DESK_MEMBER_KIND_PROVIDER, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_PROVINCE] = g_param_spec_string ("province", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, DESK_TYPE_MEMBER_STATUS,
                                               DESK_MEMBER_STATUS_ACTIVE, flags);
  properties[PROP_IS_ACTIVE] = g_param_spec_boolean ("is-active", NULL, NULL, TRUE, flags);
  properties[PROP_DEACTIVATED_AT] = g_param_spec_int64 ("deactivated-at", NULL, NULL,
                                                        0, G_MAXINT64, 0, flags);
  properties[PROP_DEACTIVATION_REASON] = g_param_spec_string ("deactivation-reason", NULL, NULL,
                                                              NULL, flags);

  properties[PROP_DEACTIVATED_BY_NAME] = g_param_spec_string ("deactivated-by-name", NULL, NULL,
                                                              NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_member_init (DeskMember *self)
{
}

/* Reads a row selected with DESK_MEMBER_COLUMNS. */
DeskMember *
_desk_member_new_from_row (sqlite3_stmt *stmt)
{
  DeskMember *self = g_object_new (DESK_TYPE_MEMBER, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->username = _desk_db_column_dup (stmt, 1);
  self->given_name = _desk_db_column_dup (stmt, 2);
  self->family_name = _desk_db_column_dup (stmt, 3);
  self->display_name = g_strdup_printf ("%s %s", self->given_name, self->family_name);
  self->email = _desk_db_column_dup (stmt, 4);
  if (!desk_member_kind_from_string ((const char *) sqlite3_column_text (stmt, 5), &self->kind))
    self->kind = DESK_MEMBER_KIND_EMPLOYEE;
  self->title = _desk_db_column_dup (stmt, 6);
  self->province = _desk_db_column_dup (stmt, 7);
  if (!desk_member_status_from_string ((const char *) sqlite3_column_text (stmt, 8),
                                       &self->status))
    self->status = DESK_MEMBER_STATUS_ACTIVE;
  self->deactivated_at = sqlite3_column_int64 (stmt, 9);
  self->deactivation_reason = _desk_db_column_dup (stmt, 10);
  self->deactivated_by_name = _desk_db_column_dup (stmt, 11);

  return self;
}

gint64
desk_member_get_id (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), 0);
  return self->id;
}

const char *
desk_member_get_username (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->username;
}

const char *
desk_member_get_given_name (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->given_name;
}

const char *
desk_member_get_family_name (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->family_name;
}

const char *
desk_member_get_display_name (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->display_name;
}

const char *
desk_member_get_email (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->email;
}

DeskMemberKind
desk_member_get_kind (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), DESK_MEMBER_KIND_EMPLOYEE);
  return self->kind;
}

const char *
desk_member_get_title (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->title;
}

const char *
desk_member_get_province (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->province;
}

DeskMemberStatus
desk_member_get_status (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), DESK_MEMBER_STATUS_ACTIVE);
  return self->status;
}

gboolean
desk_member_get_is_active (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), FALSE);
  return self->status == DESK_MEMBER_STATUS_ACTIVE;
}

gint64
desk_member_get_deactivated_at (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), 0);
  return self->deactivated_at;
}

const char *
desk_member_get_deactivation_reason (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->deactivation_reason;
}

/* The name of the member who deactivated this one, "" when active. */
const char *
desk_member_get_deactivated_by_name (DeskMember *self)
{
  g_return_val_if_fail (DESK_IS_MEMBER (self), NULL);
  return self->deactivated_by_name;
}

/* Loading members */

static char *
no_such_member (const char *which)
{
  return g_strdup_printf (_("There is no member “%s” in this clinic."), which);
}

DeskMember *
desk_member_load (DeskStore  *self,
                  gint64      id,
                  GError    **error)
{
  g_autofree char *which = NULL;
  g_autofree char *missing = NULL;
  sqlite3_stmt *stmt;
  DeskMember *member;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  stmt = _desk_store_prepare (self, "SELECT " DESK_MEMBER_COLUMNS " FROM members m WHERE m.id = ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  which = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  missing = no_such_member (which);
  if (!_desk_store_step_one (self, stmt, missing, error))
    return NULL;

  member = _desk_member_new_from_row (stmt);
  sqlite3_reset (stmt);
  return member;
}

DeskMember *
desk_member_load_by_username (DeskStore   *self,
                              const char  *username,
                              GError     **error)
{
  g_autofree char *missing = NULL;
  sqlite3_stmt *stmt;
  DeskMember *member;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  stmt = _desk_store_prepare (self,
                              "SELECT " DESK_MEMBER_COLUMNS " FROM members m WHERE m.username = ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);

  missing = no_such_member (username);
  if (!_desk_store_step_one (self, stmt, missing, error))
    return NULL;

  member = _desk_member_new_from_row (stmt);
  sqlite3_reset (stmt);
  return member;
}

static char **
collect_names (DeskStore   *self,
               const char  *sql,
               gint64       member_id,
               GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_store_get_db (self), rc, _("reading the clinic record"));
      return NULL;
    }

  return g_strv_builder_end (builder);
}

/**
 * desk_member_load_summary:
 *
 * What depends on a member: their roles and groups and the counts that a
 * deactivation would have to move.  Each count is one indexed range.
 */
gboolean
desk_member_load_summary (DeskStore         *self,
                          gint64             member_id,
                          DeskMemberSummary *summary,
                          GError           **error)
{
  g_autofree char *which = NULL;
  g_autofree char *missing = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);

  stmt = _desk_store_prepare (self, DESK_MEMBER_SUMMARY_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_int64 (stmt, 2, desk_store_get_now (self));

  which = g_strdup_printf ("%" G_GINT64_FORMAT, member_id);
  missing = no_such_member (which);
  if (!_desk_store_step_one (self, stmt, missing, error))
    return FALSE;

  summary->future_appointments = sqlite3_column_int (stmt, 0);
  summary->recurring_qnaires = sqlite3_column_int (stmt, 1);
  summary->sent_qnaires = sqlite3_column_int (stmt, 2);
  summary->inbox_messages = sqlite3_column_int (stmt, 3);
  summary->snoozed_messages = sqlite3_column_int (stmt, 4);
  summary->lab_integrations = sqlite3_column_int (stmt, 5);
  summary->main_lab_integration = sqlite3_column_int (stmt, 6) > 0;
  summary->billing_connected = sqlite3_column_int (stmt, 7) > 0;
  summary->permissions = sqlite3_column_int (stmt, 8);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  g_assert (rc == SQLITE_DONE);

  summary->roles = collect_names (self,
                                  "SELECT r.name FROM member_roles mr"
                                  " JOIN roles r ON r.id = mr.role_id"
                                  " WHERE mr.member_id = ? ORDER BY r.name",
                                  member_id, error);
  if (summary->roles == NULL)
    goto failed;
  summary->groups = collect_names (self,
                                   "SELECT g.name FROM member_groups mg"
                                   " JOIN groups g ON g.id = mg.group_id"
                                   " WHERE mg.member_id = ? ORDER BY g.name",
                                   member_id, error);
  if (summary->groups == NULL)
    goto failed;

  return TRUE;

failed:
  desk_member_summary_clear (summary);
  return FALSE;
}

void
desk_member_summary_clear (DeskMemberSummary *summary)
{
  g_return_if_fail (summary != NULL);

  g_clear_pointer (&summary->roles, g_strfreev);
  g_clear_pointer (&summary->groups, g_strfreev);
  memset (summary, 0, sizeof *summary);
}

guint
desk_member_count (DeskStore         *self,
                   DeskMemberStatus   status,
                   GError           **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), 0);

  return _desk_store_count (self, "SELECT count(*) FROM members WHERE status = ?",
                            desk_member_status_to_string (status), error);
}

/* Receivers */

GListModel *
desk_member_find_receivers (DeskStore   *self,
                            const char  *text,
                            gboolean     practitioners_only,
                            gint64       exclude_id,
                            guint        limit,
                            GError     **error)
{
  g_autoptr(GListStore) found = NULL;
  g_autoptr(GString) sql = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  sqlite3_stmt *stmt;
  guint n_terms = 0;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!desk_search_text_check (text, error))
    return NULL;

  /* At clinic scale (a few thousand members) a walk of the name order,
   * testing each active row, takes about a millisecond: no index of words
   * is needed. */
  folded = _desk_fold_for_search (text);
  words = g_strsplit (folded, " ", -1);
  sql = g_string_new ("SELECT " DESK_MEMBER_COLUMNS " FROM members m INDEXED BY members_sort"
                      " WHERE m.status = 'active' AND m.id != ?1");
  if (practitioners_only)
    g_string_append (sql, " AND m.kind = 'provider'");
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      g_string_append_printf (sql, " AND instr (m.search_text, ?%u) > 0", 10 + n_terms);
      n_terms++;
    }
  g_string_append (sql, " ORDER BY m.sort_key, m.id LIMIT ?2");

  /* Not _desk_store_prepare (): its cache keeps the text of the query,
   * and this one is made for each search. */
  rc = sqlite3_prepare_v2 (_desk_store_get_db (self), sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (error, _desk_store_get_db (self), rc, _("reading the clinic record"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, exclude_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  n_terms = 0;
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      sqlite3_bind_text (stmt, 10 + n_terms, words[i], -1, SQLITE_TRANSIENT);
      n_terms++;
    }

  found = g_list_store_new (DESK_TYPE_MEMBER);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(DeskMember) member = _desk_member_new_from_row (stmt);

      g_list_store_append (found, member);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, _desk_store_get_db (self), rc, _("reading the clinic record"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&found));
}
