/* test-receivers.c: who may receive a departing member's work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-member.h"
#include "desk-search-text.h"
#include "desk-test-util.h"

/* Six members: providers and employees, one deactivated, one with accents. */
static DeskStore *
make_clinic (const char *path)
{
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_store_create (path, "Receivers Clinic", &error);

  g_assert_no_error (error);
  desk_test_exec (store,
    "INSERT INTO members (id, username, given_name, family_name, email, kind, province,"
    "                     created_at, status, deactivated_at) VALUES"
    " (1, 'ada', 'Ada', 'Ouellet', 'ada@clinic.ca', 'employee', 'QC', 0, 'active', NULL),"
    " (2, 'elodie', 'Élodie', 'Bérubé', 'eb@clinic.ca', 'provider', 'QC', 0, 'active', NULL),"
    " (3, 'marc', 'Marc', 'Bérubé', 'marc@clinic.ca', 'provider', 'ON', 0, 'active', NULL),"
    " (4, 'zoe', 'Zoé', 'Aubin', 'zoe@clinic.ca', 'employee', 'ON', 0, 'active', NULL),"
    " (5, 'gone', 'Élodie', 'Gagnon', 'gone@clinic.ca', 'provider', 'QC', 0, 'deactivated', 10),"
    " (6, 'yves', 'Yves', 'Caron', 'yves@clinic.ca', 'provider', 'QC', 0, 'active', NULL);"
    "UPDATE members SET"
    "  search_text = desk_fold (given_name || ' ' || family_name || ' ' || username || ' ' ||"
    "                           substr (email, 1, instr (email, '@') - 1)),"
    "  sort_key = desk_fold (family_name || ' ' || given_name);");
  return store;
}

/* The ids found, in order, as "2,3,6". */
static char *
ids_of (GListModel *found)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (found, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                              desk_member_get_id (member));
    }
  return g_string_free (out, FALSE);
}

static char *
find (DeskStore  *store,
      const char *text,
      gboolean    practitioners_only,
      gint64      exclude_id,
      guint       limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = desk_member_find_receivers (store, text, practitioners_only,
                                                            exclude_id, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return ids_of (found);
}

static void
test_receivers_find (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = make_clinic (path);
  char *ids;

#define CHECK(call, expected) \
  G_STMT_START { ids = call; g_assert_cmpstr (ids, ==, expected); g_free (ids); } G_STMT_END

  /* Nothing typed: every active member in name order (Aubin, Bérubé
   * Élodie, Bérubé Marc, Caron, Ouellet), never the deactivated one. */
  CHECK (find (store, "", FALSE, 0, 0), "4,2,3,6,1");
  CHECK (find (store, NULL, FALSE, 0, 0), "4,2,3,6,1");
  /* Providers only, the departing member left out, at most two. */
  CHECK (find (store, "", TRUE, 0, 0), "2,3,6");
  CHECK (find (store, "", TRUE, 3, 0), "2,6");
  CHECK (find (store, "", FALSE, 0, 2), "4,2");
  /* Case and accents aside, every word somewhere in the name, username or
   * e-mail; the deactivated Élodie never. */
  CHECK (find (store, "ELODIE", FALSE, 0, 0), "2");
  CHECK (find (store, "élo", FALSE, 0, 0), "2");
  CHECK (find (store, "berube", FALSE, 0, 0), "2,3");
  CHECK (find (store, "  bérubé   MARC ", FALSE, 0, 0), "3");
  CHECK (find (store, "eb", FALSE, 0, 0), "2");
  CHECK (find (store, "gagnon", FALSE, 0, 0), "");
  CHECK (find (store, "zoe", TRUE, 0, 0), "");
  CHECK (find (store, "berube", FALSE, 2, 0), "3");

#undef CHECK
}

static void
test_receivers_refused (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = make_clinic (path);
  g_autofree char *long_text = g_strnfill (201, 'a');
  g_autoptr(GError) error = NULL;
  GListModel *found;

  found = desk_member_find_receivers (store, "ada\x01", FALSE, 0, 0, &error);
  g_assert_null (found);
  g_assert_error (error, DESK_SEARCH_TEXT_ERROR, DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  g_clear_error (&error);

  found = desk_member_find_receivers (store, "\xff\xfe", FALSE, 0, 0, &error);
  g_assert_null (found);
  g_assert_error (error, DESK_SEARCH_TEXT_ERROR, DESK_SEARCH_TEXT_ERROR_NOT_TEXT);
  g_clear_error (&error);

  found = desk_member_find_receivers (store, long_text, FALSE, 0, 0, &error);
  g_assert_null (found);
  g_assert_error (error, DESK_SEARCH_TEXT_ERROR, DESK_SEARCH_TEXT_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* Text made to break the query is only text. */
  {
    g_autofree char *ids = find (store, "' OR 1=1 --", FALSE, 0, 0);

    g_assert_cmpstr (ids, ==, "");
  }
  {
    g_autofree char *ids = find (store, "%", FALSE, 0, 0);

    g_assert_cmpstr (ids, ==, "");
  }
}

/* A demo clinic: only active providers when asked, and capped. */
static void
test_receivers_clinic (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(DeskStore) store = desk_test_demo_store (path, 300, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  guint providers;

  found = desk_member_find_receivers (store, "", TRUE, 0, 0, &error);
  g_assert_no_error (error);
  providers = desk_test_count (store, "SELECT count(*) FROM members"
                                      " WHERE status = 'active' AND kind = 'provider'");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, providers);
  for (guint i = 0; i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr(DeskMember) member = g_list_model_get_item (found, i);
      g_assert_true (desk_member_get_is_active (member));
      g_assert_cmpint (desk_member_get_kind (member), ==, DESK_MEMBER_KIND_PROVIDER);
    }
  g_clear_object (&found);

  found = desk_member_find_receivers (store, "", FALSE, 0, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 8);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/receivers/find", test_receivers_find);
  g_test_add_func ("/receivers/refused", test_receivers_refused);
  g_test_add_func ("/receivers/clinic", test_receivers_clinic);

  return g_test_run ();
}
