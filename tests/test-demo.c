/* test-demo.c: the demo clinic generator's invariants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-store-private.h"
#include "desk-test-util.h"

#define assert_none(store, ...) g_assert_cmpint (desk_test_count (store, __VA_ARGS__), ==, 0)
#define assert_some(store, ...) g_assert_cmpint (desk_test_count (store, __VA_ARGS__), >, 0)

static void
test_invariants (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(DeskStore) store = desk_test_demo_store (path, 3000, 2026);
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (desk_store_get_is_demo (store));
  /* The worker's scratch database is gone. */
  {
    g_autofree char *scratch = g_strconcat (path, ".demo-part", NULL);

    g_assert_false (g_file_test (scratch, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM clients"), ==, 3000);
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM members"), ==, 12);

  /* Messages addressed to members who have left reached whoever delivery
   * names (their inboxes were archived: the members who may edit other
   * users), saying whom they were for; none sits with a deactivated member. */
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM inbox_items i"
                                           " JOIN members m ON m.id = i.member_id"
                                           " WHERE m.status = 'deactivated'"), ==, 0);
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM inbox_items"
                                           " WHERE addressed_to_member_id IS NOT NULL"), >, 0);
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM inbox_items i"
                                           " JOIN members a ON a.id = i.addressed_to_member_id"
                                           " WHERE a.status <> 'deactivated' OR i.member_id NOT IN"
                                           " (SELECT mr.member_id FROM member_roles mr"
                                           "  JOIN role_permissions rp ON rp.role_id = mr.role_id"
                                           "  WHERE rp.permission = 'edit-users')"), ==, 0);

  /* The demo administrator can do everything, with the printed password. */
  g_assert_cmpint (desk_test_count (store, "SELECT count(DISTINCT rp.permission) FROM members m"
                                           " JOIN member_roles mr ON mr.member_id = m.id"
                                           " JOIN role_permissions rp ON rp.role_id = mr.role_id"
                                           " WHERE m.username = 'admin' AND m.status = 'active'"), ==, 4);
  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                                       "SELECT password_hash FROM members WHERE username = 'admin'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str_verify (hash, DESK_DEMO_PASSWORD,
                                             strlen (DESK_DEMO_PASSWORD)), ==, 0);
  g_assert_cmpint (crypto_pwhash_str_verify (hash, "wrong", 5), !=, 0);

  /* Exactly one main lab integration, on an active member. */
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM lab_integrations l JOIN members m"
                                           " ON m.id = l.member_id WHERE l.is_main = 1"
                                           " AND m.status = 'active'"), ==, 1);

  /* Members: provinces, kinds, a deactivated one with when, by whom and why. */
  assert_some (store, "SELECT count(*) FROM members WHERE province = 'ON'");
  assert_some (store, "SELECT count(*) FROM clients WHERE province = 'QC'");
  assert_some (store, "SELECT count(*) FROM members WHERE kind = 'provider'");
  assert_some (store, "SELECT count(*) FROM members WHERE kind = 'employee'");
  assert_some (store, "SELECT count(*) FROM members WHERE status = 'deactivated'"
                      " AND deactivated_by IS NOT NULL AND deactivation_reason <> ''");
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM members WHERE status = 'deactivated'"), ==,
                   desk_test_count (store, "SELECT count(*) FROM member_status_changes"));
  assert_none (store, "SELECT count(*) FROM members m WHERE NOT EXISTS"
                      " (SELECT 1 FROM member_roles WHERE member_id = m.id)");
  assert_none (store, "SELECT count(*) FROM billing_connections b JOIN members m"
                      " ON m.id = b.member_id WHERE m.province <> 'ON' OR m.kind <> 'provider'");
  assert_some (store, "SELECT count(*) FROM billing_connections WHERE status = 'connected'");

  /* Clients: status and portal access vary independently. */
  assert_some (store, "SELECT count(*) FROM clients WHERE status = 'inactive'"
                      " AND portal_access = 'enabled'");
  assert_some (store, "SELECT count(*) FROM clients WHERE status = 'active'"
                      " AND portal_access = 'disabled'");
  assert_some (store, "SELECT count(*) FROM clients WHERE portal_invitation = 'pending'");
  assert_none (store, "SELECT count(*) FROM clients WHERE status = 'inactive'"
                      " AND (discharged_at IS NULL OR discharge_reason IS NULL)");
  assert_none (store, "SELECT count(*) FROM clients c WHERE c.portal_invitation <> 'none'"
                      " AND NOT EXISTS (SELECT 1 FROM portal_invitations WHERE client_id = c.id)");
  assert_none (store, "SELECT count(*) FROM clients c JOIN members m"
                      " ON m.id = c.primary_practitioner_id"
                      " WHERE m.kind <> 'provider' OR m.status <> 'active'");

  /* Their records: past and future, snoozed messages, Qnaires, documents. */
  assert_some (store, "SELECT count(*) FROM appointments WHERE status = 'booked'"
                                   " AND starts_at >  %" G_GINT64_FORMAT, DESK_TEST_NOW);
  assert_some (store, "SELECT count(*) FROM appointments WHERE starts_at <  %" G_GINT64_FORMAT, DESK_TEST_NOW);
  assert_none (store, "SELECT count(*) FROM appointments a JOIN clients c"
                                   " ON c.id = a.client_id WHERE c.status = 'inactive'"
                                   " AND a.status = 'booked' AND a.starts_at >  %" G_GINT64_FORMAT, DESK_TEST_NOW);
  assert_some (store, "SELECT count(*) FROM inbox_items WHERE folder = 'inbox'"
                                   " AND snoozed_until >  %" G_GINT64_FORMAT, DESK_TEST_NOW);
  assert_some (store, "SELECT count(*) FROM qnaire_schedules WHERE status = 'active'");
  assert_some (store, "SELECT count(*) FROM qnaire_sends WHERE status = 'sent'"
                      " AND appointment_id IS NOT NULL");
  assert_some (store, "SELECT count(*) FROM document_shares s JOIN clients c"
                      " ON c.id = s.client_id WHERE c.status = 'inactive'");
  assert_some (store, "SELECT count(*) FROM messages WHERE sender_member_id IS NOT NULL");

  /* Search text as the model layer writes it; the index in step. */
  assert_none (store, "SELECT count(*) FROM clients WHERE search_text <> desk_fold ("
                      " given_name || ' ' || family_name || ' ' ||"
                      " substr (email, 1, instr (email, '@') - 1) || ' ' || phone)");
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM client_search WHERE client_search MATCH"
                                           " '\"tremblay\"'"), ==,
                   desk_test_count (store, "SELECT count(*) FROM clients"
                                           " WHERE instr (search_text, 'tremblay')"));

  /* Whole and consistent. */
  assert_none (store, "SELECT count(*) FROM pragma_foreign_key_check");
  g_assert_cmpint (desk_test_count (store, "SELECT quick_check = 'ok' FROM pragma_quick_check"), ==, 1);
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                           " AND name = 'clients_sort'"), ==, 1);
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                           " AND name = 'clients_search_insert'"), ==, 1);
}

/* Every table's rows, in order, as one checksum. */
static char *
dump (DeskStore *store)
{
  const char *tables[] = {
    "members", "member_roles", "member_groups", "clients", "appointments", "qnaire_sends",
    "qnaire_schedules", "messages", "inbox_items", "lab_integrations", "billing_connections",
    "documents", "document_shares", "portal_invitations",
  };
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *result;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2", tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store), sql, -1, &stmt, NULL),
                       ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            /* Password hashes are salted: the same password, other bytes. */
            if (strcmp (sqlite3_column_name (stmt, c), "password_hash") == 0)
              continue;
            g_checksum_update (checksum, sqlite3_column_blob (stmt, c),
                               sqlite3_column_bytes (stmt, c));
            g_checksum_update (checksum, (const guchar *) "|", 1);
          }
      sqlite3_finalize (stmt);
    }

  result = g_strdup (g_checksum_get_string (checksum));
  g_checksum_free (checksum);
  return result;
}

static void
test_deterministic (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *a_path = g_build_filename (dir, "a.db", NULL);
  g_autofree char *b_path = g_build_filename (dir, "b.db", NULL);
  g_autofree char *c_path = g_build_filename (dir, "c.db", NULL);
  g_autoptr(DeskStore) a = desk_test_demo_store (a_path, 500, 77);
  g_autoptr(DeskStore) b = desk_test_demo_store (b_path, 500, 77);
  g_autoptr(DeskStore) c = desk_test_demo_store (c_path, 500, 78);
  g_autofree char *a_dump = dump (a);
  g_autofree char *b_dump = dump (b);
  g_autofree char *c_dump = dump (c);

  g_assert_cmpstr (a_dump, ==, b_dump);
  g_assert_cmpstr (a_dump, !=, c_dump);
}

static void
test_sizes (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *small_path = g_build_filename (dir, "small.db", NULL);
  g_autofree char *wide_path = g_build_filename (dir, "wide.db", NULL);
  g_autoptr(DeskStore) small = desk_test_demo_store (small_path, 1, 1);
  g_autoptr(DeskStore) wide = NULL;
  g_autoptr(GError) error = NULL;
  DeskDemoOptions options = { 40, 100, 5, DESK_TEST_NOW };

  g_assert_cmpint (desk_test_count (small, "SELECT count(*) FROM clients"), ==, 1);

  wide = desk_store_create (wide_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (desk_demo_populate (wide, &options, NULL, NULL, &error));
  g_assert_cmpint (desk_test_count (wide, "SELECT count(*) FROM members"), ==, 40);
}

static void
test_refuses_non_empty (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(DeskStore) store = desk_test_demo_store (path, 50, 9);
  g_autoptr(GError) error = NULL;
  DeskDemoOptions options = { 0, 50, 9, DESK_TEST_NOW };
  DeskDemoOptions too_few = { 3, 50, 9, DESK_TEST_NOW };
  g_autofree char *before = dump (store);
  g_autofree char *after = NULL;
  g_autofree char *empty_path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(DeskStore) empty = NULL;

  g_assert_false (desk_demo_populate (store, &options, NULL, NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
  after = dump (store);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);

  empty = desk_store_create (empty_path, NULL, &error);
  g_assert_false (desk_demo_populate (empty, &too_few, NULL, NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID);
  g_assert_cmpint (desk_test_count (empty, "SELECT count(*) FROM members"), ==, 0);
  g_assert_false (desk_store_get_is_demo (empty));
}

/* desk_demo_create () builds beside the file: once done, the clinic is
 * all there is in the folder, with the demo's own name. */
static void
test_create_in_place (void)
{
  g_autoptr(DeskTestDir) dir = desk_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DeskDemoOptions options = { .clients = 100, .seed = 9, .reference_time = DESK_TEST_NOW };
  const char *name;
  GDir *d;

  store = desk_demo_create (path, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (desk_store_get_is_demo (store));
  g_assert_cmpstr (desk_store_get_clinic_name (store), ==, "Maple Grove Family Health");
  g_assert_cmpint (desk_test_count (store, "SELECT count(*) FROM clients"), ==, 100);
  g_clear_object (&store);

  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_cmpstr (name, ==, "demo.db");
  g_dir_close (d);

  /* Never over a file that is there. */
  g_assert_null (desk_demo_create (path, NULL, &options, NULL, NULL, &error));
  g_assert_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_EXISTS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/invariants", test_invariants);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/sizes", test_sizes);
  g_test_add_func ("/demo/refuses-non-empty", test_refuses_non_empty);
  g_test_add_func ("/demo/create-in-place", test_create_in_place);

  return g_test_run ();
}
