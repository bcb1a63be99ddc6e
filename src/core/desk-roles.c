/* desk-roles.c: the clinic's roles and groups, and who is in each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One query for each: the roles (or groups) joined with their members in
 * name order along members_sort, so that a clinic of two thousand members
 * is read in one pass.  Deactivated members are counted, not named: the
 * membership stays in member_roles and member_groups for their
 * reactivation, and only the lists hide it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-roles.h"
#include "desk-store.h"
#include "desk-store-private.h"

void
desk_role_members_free (DeskRoleMembers *members)
{
  if (members == NULL)
    return;
  g_free (members->name);
  g_strfreev (members->member_names);
  g_free (members);
}

static void
finish (DeskRoleMembers *current,
        GStrvBuilder    *names,
        GPtrArray       *all)
{
  current->member_names = g_strv_builder_end (names);
  g_ptr_array_add (all, current);
}

static gboolean
load_kind (DeskStore     *store,
           DeskRoleKind   kind,
           GPtrArray     *all,
           GError       **error)
{
  sqlite3_stmt *stmt;
  DeskRoleMembers *current = NULL;
  g_autoptr(GStrvBuilder) names = NULL;
  int rc;

  if (kind == DESK_ROLE_KIND_ROLE)
    stmt = _desk_store_prepare (store,
                                "SELECT r.id, r.name, m.status,"
                                "       m.given_name || ' ' || m.family_name"
                                " FROM roles r"
                                " LEFT JOIN member_roles x ON x.role_id = r.id"
                                " LEFT JOIN members m ON m.id = x.member_id"
                                " ORDER BY r.name COLLATE NOCASE, r.id, m.sort_key, m.id",
                                error);
  else
    stmt = _desk_store_prepare (store,
                                "SELECT g.id, g.name, m.status,"
                                "       m.given_name || ' ' || m.family_name"
                                " FROM groups g"
                                " LEFT JOIN member_groups x ON x.group_id = g.id"
                                " LEFT JOIN members m ON m.id = x.member_id"
                                " ORDER BY g.name COLLATE NOCASE, g.id, m.sort_key, m.id",
                                error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *status = (const char *) sqlite3_column_text (stmt, 2);

      if (current == NULL || current->id != id)
        {
          if (current != NULL)
            finish (current, names, all);
          g_clear_pointer (&names, g_strv_builder_unref);
          current = g_new0 (DeskRoleMembers, 1);
          current->kind = kind;
          current->id = id;
          current->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          names = g_strv_builder_new ();
        }

      if (status == NULL)
        continue;   /* a role or group without members */
      if (g_str_equal (status, "active"))
        g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 3));
      else
        current->n_hidden++;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      desk_role_members_free (current);
      _desk_db_set_error (error, _desk_store_get_db (store), rc,
                          _("reading the roles and groups"));
      return FALSE;
    }
  if (current != NULL)
    finish (current, names, all);
  return TRUE;
}

GPtrArray *
desk_roles_load (DeskStore  *store,
                 GError    **error)
{
  g_autoptr(GPtrArray) all = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  all = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_role_members_free);
  if (!load_kind (store, DESK_ROLE_KIND_ROLE, all, error) ||
      !load_kind (store, DESK_ROLE_KIND_GROUP, all, error))
    return NULL;
  return g_steal_pointer (&all);
}
