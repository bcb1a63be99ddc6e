/* desk-setup.c: a new clinic's first administrator, the one change made by the system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-member.h"
#include "desk-change-private.h"
#include "desk-json.h"
#include "desk-sign-in.h"
#include "desk-setup.h"
#include "desk-store-private.h"

/* Helpers */

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
check_new_member (const DeskNewMember  *member,
                  const char           *password,
                  GError              **error)
{
  const char *at;

  if (is_blank (member->username) || strpbrk (member->username, " \t\n") != NULL)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   _("A username is needed, without spaces."));
      return FALSE;
    }
  if (is_blank (member->given_name) || is_blank (member->family_name))
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   _("Both a given name and a family name are needed."));
      return FALSE;
    }
  at = member->email != NULL ? strchr (member->email, '@') : NULL;
  if (at == NULL || at == member->email || at[1] == '\0')
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   _("An e-mail address such as name@clinic.ca is needed."));
      return FALSE;
    }
  if (member->province != NULL && strlen (member->province) != 2)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   _("The province is given by its two letters, such as ON or QC."));
      return FALSE;
    }
  if (password == NULL || g_utf8_strlen (password, -1) < DESK_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The password must have at least %d character.",
                                "The password must have at least %d characters.",
                                DESK_PASSWORD_MIN_LENGTH),
                   DESK_PASSWORD_MIN_LENGTH);
      return FALSE;
    }
  return TRUE;
}

/* Public API */

gboolean
desk_setup_has_active_members (DeskStore  *store,
                               GError    **error)
{
  GError *local_error = NULL;
  guint n;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  n = desk_member_count (store, DESK_MEMBER_STATUS_ACTIVE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return n > 0;
}

typedef struct
{
  const DeskNewMember *member;
  const char          *hash;
  gint64               member_id;  /* out */
} FirstAdministrator;

/* The first administrator is the one change made by the system: there is
 * no member yet to make it.  It only works while the clinic has none. */
static gboolean
add_first_administrator (DeskChange  *change,
                         gpointer     user_data,
                         GError     **error)
{
  FirstAdministrator *first = user_data;
  const DeskNewMember *member = first->member;
  sqlite3 *db = _desk_change_get_db (change);
  g_autofree char *search_text = NULL;
  g_autofree char *sort_key = NULL;
  g_autoptr(GString) details = NULL;
  sqlite3_stmt *stmt;
  gint64 role_id;
  int rc;

  stmt = _desk_change_prepare (change, "SELECT count(*) FROM members", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _desk_db_set_error (error, db, rc, _("adding the first administrator"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (sqlite3_column_int64 (stmt, 0) > 0)
    {
      sqlite3_reset (stmt);
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_EXISTS,
                   _("This clinic has members already: an administrator adds new members."));
      return FALSE;
    }
  sqlite3_reset (stmt);

  /* The role with every permission, made once. */
  stmt = _desk_change_prepare (change, "INSERT OR IGNORE INTO roles (name) VALUES (?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, DESK_ADMIN_ROLE_NAME, -1, SQLITE_STATIC);
  if (!_desk_change_step (change, stmt, _("adding the first administrator"), error))
    return FALSE;
  stmt = _desk_change_prepare (change, "SELECT id FROM roles WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, DESK_ADMIN_ROLE_NAME, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  role_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (role_id == 0)
    {
      _desk_db_set_error (error, db, rc, _("adding the first administrator"));
      return FALSE;
    }
  stmt = _desk_change_prepare (change,
                               "INSERT OR IGNORE INTO role_permissions (role_id, permission)"
                               " SELECT ?, code FROM permissions", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, role_id);
  if (!_desk_change_step (change, stmt, _("adding the first administrator"), error))
    return FALSE;

  search_text = _desk_member_search_text (member->given_name, member->family_name,
                                          member->username, member->email);
  sort_key = _desk_sort_key (member->given_name, member->family_name);
  stmt = _desk_change_prepare (change,
                               "INSERT INTO members (username, given_name, family_name, email,"
                               " kind, title, province, password_hash, created_at, search_text,"
                               " sort_key) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, member->username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, member->given_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, member->family_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, member->email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, desk_member_kind_to_string (member->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, member->province != NULL ? member->province : "ON", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, first->hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, desk_change_get_now (change));
  sqlite3_bind_text (stmt, 9, search_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, sort_key, -1, SQLITE_TRANSIENT);
  if (!_desk_change_step (change, stmt, _("adding the first administrator"), error))
    return FALSE;
  first->member_id = sqlite3_last_insert_rowid (db);

  stmt = _desk_change_prepare (change,
                               "INSERT INTO member_roles (member_id, role_id) VALUES (?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first->member_id);
  sqlite3_bind_int64 (stmt, 2, role_id);
  if (!_desk_change_step (change, stmt, _("adding the first administrator"), error))
    return FALSE;

  details = g_string_new (NULL);
  desk_json_begin_object (details);
  desk_json_key (details, "username");
  desk_json_string (details, member->username);
  desk_json_key (details, "role");
  desk_json_string (details, DESK_ADMIN_ROLE_NAME);
  desk_json_end_object (details);
  return desk_change_audit (change, "member.create-first-administrator", DESK_RECORD_MEMBER,
                            first->member_id, NULL, details->str, error);
}

gint64
desk_setup_add_first_administrator (DeskStore            *store,
                                    const DeskNewMember  *member,
                                    const char           *password,
                                    GError              **error)
{
  g_autofree char *hash = NULL;
  FirstAdministrator first = { member, NULL, 0 };

  g_return_val_if_fail (DESK_IS_STORE (store), 0);
  g_return_val_if_fail (member != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_new_member (member, password, error))
    return 0;

  /* Tens of milliseconds: before the transaction, which it need not hold. */
  hash = desk_password_hash (password, error);
  if (hash == NULL)
    return 0;
  first.hash = hash;

  if (!_desk_change_run_system (store, add_first_administrator, &first, error))
    return 0;
  return first.member_id;
}
