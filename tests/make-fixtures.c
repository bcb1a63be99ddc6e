/* make-fixtures.c: the small clinics tests/fixtures/ keeps, one per older
 * schema version, as tests/fixtures/make-dumps.sh dumps them to SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run once when a schema version is released, never again for the older
 * ones: the dumps are what clinics of those versions hold.  Records are
 * written as that version's code wrote them (the columns it had), audit
 * entries through the append of that version's hash rule.
 */
#include "config.h"

#include <sqlite3.h>

#include "desk-audit-private.h"
#include "desk-store-private.h"

static const struct
{
  gint64      id;
  const char *username;
  const char *given;
  const char *family;
  const char *email;
} members[] = {
  { 1, "hcote", "Hélène", "Côté", "hcote@clinique.example" },
  { 2, "obrien", "Seán", "O'Brien", "sobrien@clinique.example" },
  { 3, "ntran", "Ngọc", "Trần", "ntran@clinique.example" },
};

static const struct
{
  gint64      id;
  const char *given;
  const char *family;
  const char *email;
  const char *phone;
} clients[] = {
  { 1, "Zoé", "Lévesque", "zoe.l@example.com", "(514) 555-0100" },
  { 2, "Omar", "Khan", "okhan@example.com", "(416) 555-0199" },
  { 3, "Åsa", "Ødegård", "asa@example.com", "(604) 555-0123" },
  { 4, "Jean-François", "Tremblay", "", "(418) 555-0177" },
};

static void
exec (sqlite3    *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!_desk_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static void
audit (sqlite3    *db,
       gint64      at,
       gint64      actor,
       const char *action,
       const char *kind,
       gint64      target,
       const char *reason)
{
  g_autoptr(GError) error = NULL;

  if (!_desk_audit_append (db, at, actor, action, kind, target, reason, "{}", &error))
    g_error ("%s", error->message);
}

static void
make (const char *dir,
      int         version)
{
  g_autofree char *name = g_strdup_printf ("clinic-v%d.db", version);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *clinic = g_strdup_printf ("Clinique version %d", version);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  const gint64 now = 1793664000;
  sqlite3 *db;

  store = _desk_store_create_at_version (path, clinic, version, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  db = _desk_store_get_db (store);

  exec (db, "BEGIN IMMEDIATE");
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *search = _desk_member_search_text (members[i].given, members[i].family,
                                                          members[i].username, members[i].email);
      g_autofree char *sort = _desk_sort_key (members[i].given, members[i].family);
      char *sql;

      /* Search columns came with version 2. */
      if (version >= 2)
        sql = sqlite3_mprintf ("INSERT INTO members (id, username, given_name, family_name, email,"
                               " kind, province, created_at, search_text, sort_key)"
                               " VALUES (%lld, %Q, %Q, %Q, %Q, 'provider', 'QC', %lld, %Q, %Q)",
                               (long long) members[i].id, members[i].username, members[i].given,
                               members[i].family, members[i].email, (long long) now, search,
                               sort);
      else
        sql = sqlite3_mprintf ("INSERT INTO members (id, username, given_name, family_name, email,"
                               " kind, province, created_at)"
                               " VALUES (%lld, %Q, %Q, %Q, %Q, 'provider', 'QC', %lld)",
                               (long long) members[i].id, members[i].username, members[i].given,
                               members[i].family, members[i].email, (long long) now);
      exec (db, sql);
      sqlite3_free (sql);
      audit (db, now + i, 0, "member.create", "member", members[i].id, "");
    }
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *search = _desk_client_search_text (clients[i].given, clients[i].family,
                                                          clients[i].email, clients[i].phone);
      g_autofree char *sort = _desk_sort_key (clients[i].given, clients[i].family);
      char *sql;

      if (version >= 2)
        sql = sqlite3_mprintf ("INSERT INTO clients (id, given_name, family_name, date_of_birth,"
                               " email, phone, primary_practitioner_id, created_at, search_text,"
                               " sort_key) VALUES (%lld, %Q, %Q, '1980-05-17', %Q, %Q, 1, %lld,"
                               " %Q, %Q)",
                               (long long) clients[i].id, clients[i].given, clients[i].family,
                               clients[i].email, clients[i].phone, (long long) now, search, sort);
      else
        sql = sqlite3_mprintf ("INSERT INTO clients (id, given_name, family_name, date_of_birth,"
                               " email, phone, primary_practitioner_id, created_at)"
                               " VALUES (%lld, %Q, %Q, '1980-05-17', %Q, %Q, 1, %lld)",
                               (long long) clients[i].id, clients[i].given, clients[i].family,
                               clients[i].email, clients[i].phone, (long long) now);
      exec (db, sql);
      sqlite3_free (sql);
      audit (db, now + 10 + i, 1, "client.create", "client", clients[i].id, "");
    }
  exec (db, "INSERT INTO appointments (id, client_id, practitioner_id, starts_at, duration_minutes,"
            " kind, status) VALUES (1, 1, 1, 1793700000, 30, 'Follow-up', 'booked'),"
            " (2, 2, 1, 1793703600, 60, 'Intake', 'booked'),"
            " (3, 3, 2, 1793000000, 30, 'Follow-up', 'completed');"
            "INSERT INTO messages (id, sender_member_id, client_id, subject, body, sent_at)"
            " VALUES (1, 2, 1, 'Résultats', 'Les résultats sont arrivés.', 1793600000),"
            " (2, 1, 2, 'Rappel', 'Votre rendez-vous de mardi.', 1793600100);"
            "INSERT INTO inbox_items (message_id, member_id, received_at, folder)"
            " VALUES (1, 1, 1793600000, 'inbox'), (2, 3, 1793600100, 'done');"
            "UPDATE clients SET status = 'inactive', discharged_at = 1793650000,"
            " discharge_reason = 'Moved away' WHERE id = 4;"
            "INSERT INTO client_status_changes (client_id, change, at, by_member_id, reason)"
            " VALUES (4, 'discharged', 1793650000, 1, 'Moved away');");
  audit (db, now + 20, 1, "client.discharge", "client", 4, "Moved away");
  audit (db, now + 21, 2, "member.sign-in", "member", 2, "");
  exec (db, "COMMIT");
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 2)
    {
      g_printerr ("Usage: %s FOLDER\n", argv[0]);
      return 2;
    }
  for (int version = 1; version < DESK_SCHEMA_VERSION; version++)
    make (argv[1], version);
  return 0;
}
