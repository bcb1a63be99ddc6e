/* test-roles.c: roles and groups, and who is listed in each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-roles.h"
#include "desk-store.h"
#include "desk-test-util.h"

static DeskRoleMembers *
find (GPtrArray    *all,
      DeskRoleKind  kind,
      const char   *name)
{
  for (guint i = 0; i < all->len; i++)
    {
      DeskRoleMembers *members = g_ptr_array_index (all, i);

      if (members->kind == kind && g_str_equal (members->name, name))
        return members;
    }
  return NULL;
}

static gboolean
lists (DeskRoleMembers *members,
       const char      *name)
{
  return g_strv_contains ((const char * const *) members->member_names, name);
}

static char *
member_name (DeskStore *store,
             gint64     id)
{
  sqlite3_stmt *stmt = NULL;
  char *name;

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                                       "SELECT given_name || ' ' || family_name FROM members"
                                       " WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return name;
}

/* The demo's six roles then six groups, each with exactly its active
 * members; the deactivated ones counted apart, their membership kept. */
static void
test_load (DeskTestClinic *clinic,
           gconstpointer   data)
{
  DeskStore *store = clinic->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = desk_roles_load (store, &error);
  guint listed = 0, hidden = 0;

  g_assert_no_error (error);
  g_assert_nonnull (all);
  g_assert_cmpuint (all->len, ==, 12);
  for (guint i = 0; i < all->len; i++)
    {
      DeskRoleMembers *members = g_ptr_array_index (all, i);

      g_assert_cmpint (members->kind, ==, i < 6 ? DESK_ROLE_KIND_ROLE : DESK_ROLE_KIND_GROUP);
      if (i > 0 && i != 6)
        {
          DeskRoleMembers *previous = g_ptr_array_index (all, i - 1);

          g_assert_cmpint (g_ascii_strcasecmp (previous->name, members->name), <, 0);
        }
      listed += g_strv_length (members->member_names);
      hidden += members->n_hidden;
    }
  g_assert_nonnull (find (all, DESK_ROLE_KIND_ROLE, "Administrator"));
  g_assert_nonnull (find (all, DESK_ROLE_KIND_GROUP, "Front office"));

  /* Every membership, once, either listed or hidden. */
  g_assert_cmpint (listed, ==, desk_test_count (store, "SELECT count (*) FROM member_roles x"
                                                       " JOIN members m ON m.id = x.member_id"
                                                       " WHERE m.status = 'active'")
                               + desk_test_count (store, "SELECT count (*) FROM member_groups x"
                                                         " JOIN members m ON m.id = x.member_id"
                                                         " WHERE m.status = 'active'"));
  g_assert_cmpint (hidden, >, 0);
  g_assert_cmpint (hidden, ==, desk_test_count (store, "SELECT count (*) FROM member_roles x"
                                                       " JOIN members m ON m.id = x.member_id"
                                                       " WHERE m.status = 'deactivated'")
                               + desk_test_count (store, "SELECT count (*) FROM member_groups x"
                                                         " JOIN members m ON m.id = x.member_id"
                                                         " WHERE m.status = 'deactivated'"));
}

/* Deactivating hides a member from their role and group, the membership
 * stays in the file, and reactivating shows them again. */
static void
test_deactivated_hidden (DeskTestClinic *clinic,
                         gconstpointer   data)
{
  DeskStore *store = clinic->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) back = NULL;
  gint64 id = desk_test_count (store, "SELECT min (m.id) FROM members m"
                                      " JOIN member_roles x ON x.member_id = m.id"
                                      " JOIN roles r ON r.id = x.role_id"
                                      " WHERE m.status = 'active' AND r.name = 'Practitioner'");
  gint64 group_id = desk_test_count (store, "SELECT min (group_id) FROM member_groups"
                                            " WHERE member_id = %" G_GINT64_FORMAT, id);
  g_autofree char *name = member_name (store, id);
  g_autofree char *group = NULL;
  g_autofree char *sql = NULL;
  DeskRoleMembers *role_before, *role_after;

  before = desk_roles_load (store, &error);
  g_assert_no_error (error);
  role_before = find (before, DESK_ROLE_KIND_ROLE, "Practitioner");
  g_assert_true (lists (role_before, name));
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (_desk_store_get_db (store), "SELECT name FROM groups WHERE id = ?", -1,
                        &stmt, NULL);
    sqlite3_bind_int64 (stmt, 1, group_id);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    group = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  g_assert_true (lists (find (before, DESK_ROLE_KIND_GROUP, group), name));

  sql = g_strdup_printf ("UPDATE members SET status = 'deactivated', deactivated_at = %"
                         G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT, DESK_TEST_NOW, id);
  desk_test_exec (store, sql);
  after = desk_roles_load (store, &error);
  g_assert_no_error (error);
  role_after = find (after, DESK_ROLE_KIND_ROLE, "Practitioner");
  g_assert_false (lists (role_after, name));
  g_assert_false (lists (find (after, DESK_ROLE_KIND_GROUP, group), name));
  g_assert_cmpuint (g_strv_length (role_after->member_names), ==,
                    g_strv_length (role_before->member_names) - 1);
  g_assert_cmpuint (role_after->n_hidden, ==, role_before->n_hidden + 1);
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM member_roles"
                                           " WHERE member_id = %" G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (desk_test_count (store, "SELECT count (*) FROM member_groups"
                                           " WHERE member_id = %" G_GINT64_FORMAT, id), ==, 1);

  g_free (sql);
  sql = g_strdup_printf ("UPDATE members SET status = 'active', deactivated_at = NULL"
                         " WHERE id = %" G_GINT64_FORMAT, id);
  desk_test_exec (store, sql);
  back = desk_roles_load (store, &error);
  g_assert_no_error (error);
  g_assert_true (lists (find (back, DESK_ROLE_KIND_ROLE, "Practitioner"), name));
  g_assert_true (lists (find (back, DESK_ROLE_KIND_GROUP, group), name));
}

/* A role nobody holds is listed, empty. */
static void
test_empty_role (DeskTestClinic *clinic,
                 gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  DeskRoleMembers *members;

  desk_test_exec (clinic->store, "INSERT INTO roles (name) VALUES ('Locum')");
  all = desk_roles_load (clinic->store, &error);
  g_assert_no_error (error);
  members = find (all, DESK_ROLE_KIND_ROLE, "Locum");
  g_assert_nonnull (members);
  g_assert_cmpuint (g_strv_length (members->member_names), ==, 0);
  g_assert_cmpuint (members->n_hidden, ==, 0);
}

/* A file whose groups table someone renamed: a clear error, no list. */
static void
test_damaged (DeskTestClinic *clinic,
              gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;

  desk_test_exec (clinic->store, "ALTER TABLE member_groups RENAME TO member_groups_old");
  all = desk_roles_load (clinic->store, &error);
  g_assert_null (all);
  g_assert_true (error != NULL && error->domain == DESK_STORE_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/roles/" path, DeskTestClinic, NULL, desk_test_clinic_set_up, func, \
              desk_test_clinic_tear_down)
  ADD ("load", test_load);
  ADD ("deactivated-hidden", test_deactivated_hidden);
  ADD ("empty-role", test_empty_role);
  ADD ("damaged", test_damaged);
#undef ADD

  return g_test_run ();
}
