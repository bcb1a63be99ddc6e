/* desk-schema.c: the clinic database schema and its migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each migration brings the schema from version N-1 to N.  A migration is
 * never edited once released: a change is a new migration.  Nothing here
 * deletes clinic records; "removed" and "cancelled" things are states.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-db-private.h"
#include "desk-schema-private.h"

static const char *migrations[] = {
  /* 0 -> 1: every record Front Desk keeps */
  "CREATE TABLE clinic ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  uuid TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),"
  "  demo_seed INTEGER,"
  "  created_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE permissions ("
  "  code TEXT PRIMARY KEY,"
  "  bit INTEGER NOT NULL UNIQUE"
  ") WITHOUT ROWID;"
  "INSERT INTO permissions (code, bit) VALUES"
  "  ('edit-users', 1), ('manage-clients', 2), ('manage-labs', 4), ('view-audit', 8);"

  "CREATE TABLE roles ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE"
  ");"
  "CREATE TABLE role_permissions ("
  "  role_id INTEGER NOT NULL REFERENCES roles (id),"
  "  permission TEXT NOT NULL REFERENCES permissions (code),"
  "  PRIMARY KEY (role_id, permission)"
  ") WITHOUT ROWID;"
  "CREATE TABLE groups ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE"
  ");"

  "CREATE TABLE members ("
  "  id INTEGER PRIMARY KEY,"
  "  username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  given_name TEXT NOT NULL,"
  "  family_name TEXT NOT NULL,"
  "  email TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('provider', 'employee')),"
  "  title TEXT NOT NULL DEFAULT '',"
  "  province TEXT NOT NULL,"
  "  password_hash TEXT,"
  "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),"
  "  deactivated_at INTEGER,"
  "  deactivated_by INTEGER REFERENCES members (id),"
  "  deactivation_reason TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  CHECK ((status = 'active') = (deactivated_at IS NULL))"
  ");"
  "CREATE TABLE member_roles ("
  "  member_id INTEGER NOT NULL REFERENCES members (id),"
  "  role_id INTEGER NOT NULL REFERENCES roles (id),"
  "  PRIMARY KEY (member_id, role_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX member_roles_role ON member_roles (role_id, member_id);"
  "CREATE TABLE member_groups ("
  "  member_id INTEGER NOT NULL REFERENCES members (id),"
  "  group_id INTEGER NOT NULL REFERENCES groups (id),"
  "  PRIMARY KEY (member_id, group_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX member_groups_group ON member_groups (group_id, member_id);"
  /* Every deactivation and reactivation, kept for good. */
  "CREATE TABLE member_status_changes ("
  "  id INTEGER PRIMARY KEY,"
  "  member_id INTEGER NOT NULL REFERENCES members (id),"
  "  change TEXT NOT NULL CHECK (change IN ('deactivated', 'reactivated')),"
  "  at INTEGER NOT NULL,"
  "  by_member_id INTEGER NOT NULL REFERENCES members (id),"
  "  reason TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX member_status_changes_member ON member_status_changes (member_id, at);"

  /* Sign-in and re-authentication. */
  "CREATE TABLE sign_in_attempts ("
  "  id INTEGER PRIMARY KEY,"
  "  member_id INTEGER REFERENCES members (id),"
  "  username TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))"
  ");"
  "CREATE INDEX sign_in_attempts_member ON sign_in_attempts (member_id, at);"
  "CREATE TABLE reauth_tokens ("
  "  id INTEGER PRIMARY KEY,"
  "  member_id INTEGER NOT NULL REFERENCES members (id),"
  "  token_hash BLOB NOT NULL UNIQUE,"
  "  issued_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ");"

  "CREATE TABLE clients ("
  "  id INTEGER PRIMARY KEY,"
  "  given_name TEXT NOT NULL,"
  "  family_name TEXT NOT NULL,"
  "  date_of_birth TEXT NOT NULL,"           /* ISO 8601 date */
  "  email TEXT NOT NULL DEFAULT '',"
  "  phone TEXT NOT NULL DEFAULT '',"
  "  address TEXT NOT NULL DEFAULT '',"
  "  province TEXT NOT NULL DEFAULT '',"
  "  primary_practitioner_id INTEGER REFERENCES members (id),"
  "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),"
  "  discharged_at INTEGER,"
  "  discharge_reason TEXT,"
  "  portal_access TEXT NOT NULL DEFAULT 'disabled'"
  "    CHECK (portal_access IN ('enabled', 'disabled')),"
  "  portal_invitation TEXT NOT NULL DEFAULT 'none'"
  "    CHECK (portal_invitation IN ('none', 'pending', 'accepted')),"
  "  created_at INTEGER NOT NULL,"
  "  CHECK ((status = 'active') = (discharged_at IS NULL))"
  ");"
  "CREATE INDEX clients_practitioner ON clients (primary_practitioner_id);"
  "CREATE TABLE client_status_changes ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  change TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  by_member_id INTEGER NOT NULL REFERENCES members (id),"
  "  reason TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX client_status_changes_client ON client_status_changes (client_id, at);"

  /* The patient portal: an invitation per grant of access; credentials
   * belong to the invitation that created them, so that re-enabling access
   * needs a new, accepted invitation before sign-in works again. */
  "CREATE TABLE portal_invitations ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  email TEXT NOT NULL,"
  "  token_hash BLOB NOT NULL,"
  "  sent_at INTEGER NOT NULL,"
  "  sent_by INTEGER REFERENCES members (id),"
  "  expires_at INTEGER NOT NULL,"
  "  accepted_at INTEGER,"
  "  revoked_at INTEGER"
  ");"
  "CREATE INDEX portal_invitations_client ON portal_invitations (client_id, sent_at);"
  "CREATE TABLE portal_credentials ("
  "  client_id INTEGER PRIMARY KEY REFERENCES clients (id),"
  "  invitation_id INTEGER NOT NULL REFERENCES portal_invitations (id),"
  "  email TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  set_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE appointments ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  practitioner_id INTEGER NOT NULL REFERENCES members (id),"
  "  starts_at INTEGER NOT NULL,"
  "  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),"
  "  kind TEXT NOT NULL DEFAULT '',"
  "  status TEXT NOT NULL DEFAULT 'booked'"
  "    CHECK (status IN ('booked', 'completed', 'cancelled', 'no-show')),"
  "  cancelled_at INTEGER,"
  "  cancel_reason TEXT,"
  "  moved_from_practitioner_id INTEGER REFERENCES members (id)"
  ");"
  "CREATE INDEX appointments_practitioner ON appointments (practitioner_id, starts_at);"
  "CREATE INDEX appointments_client ON appointments (client_id, starts_at);"

  "CREATE TABLE qnaire_schedules ("            /* recurring scheduled Qnaires */
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  practitioner_id INTEGER NOT NULL REFERENCES members (id),"
  "  every_days INTEGER NOT NULL CHECK (every_days > 0),"
  "  next_send_at INTEGER NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),"
  "  removed_at INTEGER,"
  "  removed_reason TEXT"
  ");"
  "CREATE INDEX qnaire_schedules_practitioner ON qnaire_schedules (practitioner_id, status);"
  "CREATE INDEX qnaire_schedules_client ON qnaire_schedules (client_id);"
  "CREATE TABLE qnaire_sends ("                /* sent Qnaires */
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  practitioner_id INTEGER NOT NULL REFERENCES members (id),"
  "  appointment_id INTEGER REFERENCES appointments (id),"
  "  schedule_id INTEGER REFERENCES qnaire_schedules (id),"
  "  sent_at INTEGER NOT NULL,"
  "  completed_at INTEGER,"
  "  status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'completed', 'removed')),"
  "  removed_at INTEGER,"
  "  removed_reason TEXT"
  ");"
  "CREATE INDEX qnaire_sends_practitioner ON qnaire_sends (practitioner_id, status);"
  "CREATE INDEX qnaire_sends_appointment ON qnaire_sends (appointment_id);"
  "CREATE INDEX qnaire_sends_client ON qnaire_sends (client_id);"

  /* Messages and the inbox items that deliver them to members.  A
   * deactivated member's undelivered items are held, never dropped. */
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  sender_member_id INTEGER REFERENCES members (id),"
  "  sender_client_id INTEGER REFERENCES clients (id),"
  "  client_id INTEGER REFERENCES clients (id),"
  "  subject TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  sent_at INTEGER NOT NULL,"
  "  CHECK (sender_member_id IS NOT NULL OR sender_client_id IS NOT NULL)"
  ");"
  "CREATE INDEX messages_sender_member ON messages (sender_member_id);"
  "CREATE INDEX messages_client ON messages (client_id);"
  "CREATE TABLE inbox_items ("
  "  id INTEGER PRIMARY KEY,"
  "  message_id INTEGER NOT NULL REFERENCES messages (id),"
  "  member_id INTEGER NOT NULL REFERENCES members (id),"
  "  received_at INTEGER NOT NULL,"
  "  is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),"
  "  folder TEXT NOT NULL DEFAULT 'inbox' CHECK (folder IN ('inbox', 'done', 'held')),"
  "  snoozed_until INTEGER,"
  "  forwarded_from_member_id INTEGER REFERENCES members (id),"
  "  forwarded_at INTEGER,"
  "  held_at INTEGER"
  ");"
  "CREATE INDEX inbox_items_member ON inbox_items (member_id, folder, received_at);"
  "CREATE INDEX inbox_items_message ON inbox_items (message_id);"

  "CREATE TABLE lab_integrations ("
  "  id INTEGER PRIMARY KEY,"
  "  lab_name TEXT NOT NULL,"
  "  account_number TEXT NOT NULL,"
  "  member_id INTEGER NOT NULL REFERENCES members (id),"
  "  is_main INTEGER NOT NULL DEFAULT 0 CHECK (is_main IN (0, 1)),"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX lab_integrations_one_main ON lab_integrations (is_main) WHERE is_main = 1;"
  "CREATE INDEX lab_integrations_member ON lab_integrations (member_id);"
  "CREATE TABLE lab_integration_transfers ("
  "  id INTEGER PRIMARY KEY,"
  "  integration_id INTEGER NOT NULL REFERENCES lab_integrations (id),"
  "  from_member_id INTEGER NOT NULL REFERENCES members (id),"
  "  to_member_id INTEGER NOT NULL REFERENCES members (id),"
  "  at INTEGER NOT NULL,"
  "  by_member_id INTEGER NOT NULL REFERENCES members (id)"
  ");"

  "CREATE TABLE billing_connections ("
  "  id INTEGER PRIMARY KEY,"
  "  member_id INTEGER NOT NULL REFERENCES members (id),"
  "  system TEXT NOT NULL CHECK (system IN ('mdbilling')),"
  "  province TEXT NOT NULL,"
  "  billing_number TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'disconnected')),"
  "  connected_at INTEGER NOT NULL,"
  "  disconnected_at INTEGER,"
  "  disconnect_reason TEXT"
  ");"
  "CREATE INDEX billing_connections_member ON billing_connections (member_id);"

  "CREATE TABLE documents ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  title TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('file', 'form', 'note')),"
  "  created_at INTEGER NOT NULL,"
  "  created_by INTEGER REFERENCES members (id)"
  ");"
  "CREATE INDEX documents_client ON documents (client_id);"
  "CREATE TABLE document_shares ("
  "  id INTEGER PRIMARY KEY,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id),"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  shared_at INTEGER NOT NULL,"
  "  shared_by INTEGER REFERENCES members (id),"
  "  completed_at INTEGER,"
  "  unshared_at INTEGER"
  ");"
  "CREATE INDEX document_shares_client ON document_shares (client_id, shared_at);"

  /* The audit log: append-only, hash-chained. */
  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  actor_member_id INTEGER REFERENCES members (id),"
  "  action TEXT NOT NULL,"
  "  target_kind TEXT NOT NULL,"
  "  target_id INTEGER,"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  details TEXT NOT NULL DEFAULT '{}',"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_log_actor ON audit_log (actor_member_id, at);"
  "CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, at);"
  "CREATE INDEX audit_log_action ON audit_log (action, at);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"

  /* Members and clients are never deleted. */
  "CREATE TRIGGER members_no_delete BEFORE DELETE ON members"
  "  BEGIN SELECT RAISE (ABORT, 'members are never deleted'); END;"
  "CREATE TRIGGER clients_no_delete BEFORE DELETE ON clients"
  "  BEGIN SELECT RAISE (ABORT, 'clients are never deleted'); END;"
  ,

  /* 1 -> 2: search.  Folded name text kept beside each record (written by
   * the model layer, which folds accents and case), an ordered name key,
   * and a trigram index for substring search over a million clients. */
  "ALTER TABLE members ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE members ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';"
  "UPDATE members SET"
  "  search_text = desk_fold (given_name || ' ' || family_name || ' ' || username || ' ' ||"
  "    substr (email, 1, instr (email || '@', '@') - 1)),"
  "  sort_key = desk_fold (family_name || ' ' || given_name);"
  "CREATE INDEX members_sort ON members (status, sort_key, id);"

  "ALTER TABLE clients ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE clients ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';"
  "UPDATE clients SET"
  "  search_text = desk_fold (given_name || ' ' || family_name || ' ' ||"
  "    substr (email, 1, instr (email || '@', '@') - 1) || ' ' || phone),"
  "  sort_key = desk_fold (family_name || ' ' || given_name);"
  /* Covering, so that a filtered scan in name order never visits the table. */
  "CREATE INDEX clients_sort ON clients (sort_key, id, status, portal_access, search_text);"
  "CREATE VIRTUAL TABLE client_search USING fts5 ("
  "  search_text, content = 'clients', content_rowid = 'id', tokenize = 'trigram');"
  "INSERT INTO client_search (client_search) VALUES ('rebuild');"
  "CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN"
  "  INSERT INTO client_search (rowid, search_text) VALUES (new.id, new.search_text);"
  "END;"
  "CREATE TRIGGER clients_search_update AFTER UPDATE OF search_text ON clients BEGIN"
  "  INSERT INTO client_search (client_search, rowid, search_text)"
  "    VALUES ('delete', old.id, old.search_text);"
  "  INSERT INTO client_search (rowid, search_text) VALUES (new.id, new.search_text);"
  "END;"
  ,

  /* 2 -> 3: the audit log newest first, over all entries or between two
   * dates, as one index range (with the entry number as tie-break). */
  "CREATE INDEX audit_log_time ON audit_log (at);"
  ,

  /* 3 -> 4: the trigram index in name order.  Its rowid is the client's
   * search key (DESK_CLIENT_SEARCH_KEY), which leads with the client's
   * bucket, a slice of the name order, so that a search reads its hits
   * bucket by bucket in name order and knows its first screen after a few
   * of them.  The index is contentless: the rows are in clients, and the
   * triggers hand it the old text to take out.  The SQL is the expansion of
   * DESK_CLIENT_SEARCH_KEY and desk-client-search.c's BUCKETS_SQL and
   * FILL_SQL as they were when this was released, written out: live code
   * may change its macros, never what an upgrade did. */
  "DROP TRIGGER clients_search_insert;"
  "DROP TRIGGER clients_search_update;"
  "DROP TABLE client_search;"
  "CREATE TRIGGER clients_id_range BEFORE INSERT ON clients"
  "  WHEN new.id >= (1 << 39)"
  "  BEGIN SELECT RAISE (ABORT, 'client ids must stay below 2^39'); END;"
  "CREATE TABLE client_search_buckets ("
  "  lower TEXT PRIMARY KEY,"
  "  bucket INTEGER NOT NULL UNIQUE"
  "    CHECK (bucket >= 0 AND bucket < (1 << 24))"
  ") WITHOUT ROWID;"
  /* BUCKETS_SQL as released */
  "DELETE FROM client_search_buckets;"
  "INSERT INTO client_search_buckets (lower, bucket) VALUES ('', 0);"
  "INSERT INTO client_search_buckets (lower, bucket)"
  "  SELECT lower, (row_number () OVER (ORDER BY lower)) << 8 FROM ("
  "    SELECT DISTINCT min (sort_key) AS lower FROM ("
  "      SELECT sort_key, (row_number () OVER (ORDER BY sort_key, id) - 1)"
  "        / max (64, (SELECT count (*) FROM clients) / 4096 + 1) AS slice"
  "      FROM clients)"
  "    GROUP BY slice)"
  "  WHERE lower > '';"
  "CREATE VIRTUAL TABLE client_search USING fts5 ("
  "  search_text, content = '', tokenize = 'trigram');"
  /* FILL_SQL as released */
  "INSERT INTO client_search (rowid, search_text)"
  "  SELECT (((SELECT bucket FROM client_search_buckets WHERE lower <= sort_key"
  "   ORDER BY lower DESC LIMIT 1) << 39) | id), search_text FROM clients"
  "  ORDER BY 1;"
  "INSERT INTO client_search (client_search) VALUES ('optimize');"
  /* DESK_CLIENT_SEARCH_KEY ("new.") and ("old.") as released */
  "CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN"
  "  INSERT INTO client_search (rowid, search_text)"
  "    VALUES ((((SELECT bucket FROM client_search_buckets WHERE lower <= new.sort_key"
  "   ORDER BY lower DESC LIMIT 1) << 39) | new.id), new.search_text);"
  "END;"
  "CREATE TRIGGER clients_search_update AFTER UPDATE OF id, sort_key, search_text ON clients"
  " BEGIN"
  "  INSERT INTO client_search (client_search, rowid, search_text)"
  "    VALUES ('delete', (((SELECT bucket FROM client_search_buckets WHERE lower <= old.sort_key"
  "   ORDER BY lower DESC LIMIT 1) << 39) | old.id), old.search_text);"
  "  INSERT INTO client_search (rowid, search_text)"
  "    VALUES ((((SELECT bucket FROM client_search_buckets WHERE lower <= new.sort_key"
  "   ORDER BY lower DESC LIMIT 1) << 39) | new.id), new.search_text);"
  "END;"
  ,

  /* 4 -> 5: a member's counts (desk_member_load_summary, read on the
   * main thread) as ranges of an index alone, with no row read, so that a
   * provider with thousands of appointments costs a millisecond even with
   * nothing cached: future booked appointments, and snoozed inbox items. */
  "DROP INDEX appointments_practitioner;"
  "CREATE INDEX appointments_practitioner ON appointments (practitioner_id, status, starts_at);"
  "CREATE INDEX inbox_items_snoozed ON inbox_items (member_id, snoozed_until, folder)"
  "  WHERE folder = 'inbox' AND snoozed_until IS NOT NULL;"
  ,

  /* 5 -> 6: who did it, as they were.  An entry keeps its actor's username
   * and name from when it was written, covered by its hash (hash rule 2),
   * so that renaming a member does not re-attribute what they did.  Older
   * entries keep rule 1 and no stored identity (NULL).  And the clinic's
   * other records are never deleted either. */
  "ALTER TABLE audit_log ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE audit_log ADD COLUMN actor_username TEXT;"
  "ALTER TABLE audit_log ADD COLUMN actor_name TEXT;"
  "CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments"
  "  BEGIN SELECT RAISE (ABORT, 'appointments are never deleted'); END;"
  "CREATE TRIGGER messages_no_delete BEFORE DELETE ON messages"
  "  BEGIN SELECT RAISE (ABORT, 'messages are never deleted'); END;"
  "CREATE TRIGGER inbox_items_no_delete BEFORE DELETE ON inbox_items"
  "  BEGIN SELECT RAISE (ABORT, 'inbox items are never deleted'); END;"
  "CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents"
  "  BEGIN SELECT RAISE (ABORT, 'documents are never deleted'); END;"
  "CREATE TRIGGER document_shares_no_delete BEFORE DELETE ON document_shares"
  "  BEGIN SELECT RAISE (ABORT, 'document shares are never deleted'); END;"
  "CREATE TRIGGER qnaire_schedules_no_delete BEFORE DELETE ON qnaire_schedules"
  "  BEGIN SELECT RAISE (ABORT, 'Qnaire schedules are never deleted'); END;"
  "CREATE TRIGGER qnaire_sends_no_delete BEFORE DELETE ON qnaire_sends"
  "  BEGIN SELECT RAISE (ABORT, 'sent Qnaires are never deleted'); END;"
  "CREATE TRIGGER member_status_changes_no_delete BEFORE DELETE ON member_status_changes"
  "  BEGIN SELECT RAISE (ABORT, 'status changes are never deleted'); END;"
  "CREATE TRIGGER client_status_changes_no_delete BEFORE DELETE ON client_status_changes"
  "  BEGIN SELECT RAISE (ABORT, 'status changes are never deleted'); END;"
  ,

  /* 6 -> 7: deactivation without loss (issue 10).  A deactivation is its
   * member_status_changes row; every item it moved or cancelled keeps that
   * row's id and its previous holder, so that the receiver sees where it
   * came from and a later undo knows what to undo.  The row keeps who
   * received the inbox (NULL: archived with the member), so that a message
   * addressed to the member later reaches that colleague; an inbox item
   * delivered in someone's place keeps whom it was addressed to. */
  "ALTER TABLE member_status_changes ADD COLUMN inbox_to_member_id INTEGER REFERENCES members (id);"
  "ALTER TABLE appointments ADD COLUMN deactivation_id INTEGER"
  "  REFERENCES member_status_changes (id);"
  "ALTER TABLE qnaire_schedules ADD COLUMN moved_from_practitioner_id INTEGER"
  "  REFERENCES members (id);"
  "ALTER TABLE qnaire_schedules ADD COLUMN deactivation_id INTEGER"
  "  REFERENCES member_status_changes (id);"
  "ALTER TABLE qnaire_sends ADD COLUMN moved_from_practitioner_id INTEGER"
  "  REFERENCES members (id);"
  "ALTER TABLE qnaire_sends ADD COLUMN deactivation_id INTEGER"
  "  REFERENCES member_status_changes (id);"
  "ALTER TABLE inbox_items ADD COLUMN deactivation_id INTEGER"
  "  REFERENCES member_status_changes (id);"
  "ALTER TABLE inbox_items ADD COLUMN addressed_to_member_id INTEGER REFERENCES members (id);"
  "ALTER TABLE lab_integration_transfers ADD COLUMN deactivation_id INTEGER"
  "  REFERENCES member_status_changes (id);"
  "ALTER TABLE billing_connections ADD COLUMN deactivation_id INTEGER"
  "  REFERENCES member_status_changes (id);"
  "CREATE INDEX appointments_deactivation ON appointments (deactivation_id)"
  "  WHERE deactivation_id IS NOT NULL;"
  "CREATE INDEX qnaire_schedules_deactivation ON qnaire_schedules (deactivation_id)"
  "  WHERE deactivation_id IS NOT NULL;"
  "CREATE INDEX qnaire_sends_deactivation ON qnaire_sends (deactivation_id)"
  "  WHERE deactivation_id IS NOT NULL;"
  "CREATE INDEX inbox_items_deactivation ON inbox_items (deactivation_id)"
  "  WHERE deactivation_id IS NOT NULL;"
  "CREATE TRIGGER lab_integrations_no_delete BEFORE DELETE ON lab_integrations"
  "  BEGIN SELECT RAISE (ABORT, 'lab integrations are never deleted'); END;"
  "CREATE TRIGGER lab_integration_transfers_no_delete BEFORE DELETE ON lab_integration_transfers"
  "  BEGIN SELECT RAISE (ABORT, 'lab integration transfers are never deleted'); END;"
  "CREATE TRIGGER billing_connections_no_delete BEFORE DELETE ON billing_connections"
  "  BEGIN SELECT RAISE (ABORT, 'billing connections are never deleted'); END;"
  ,

  /* 7 -> 8: clients' portal (issue 11).  The clinic's invitation lifetime,
   * and the portal's sign-in attempts, counted per email address whether
   * or not it is a client's, so that the limit tells nothing either.
   * Invitations are never deleted: voided ones keep revoked_at. */
  "ALTER TABLE clinic ADD COLUMN invitation_lifetime_days INTEGER NOT NULL DEFAULT 7"
  "  CHECK (invitation_lifetime_days BETWEEN 1 AND 30);"
  "CREATE TABLE portal_sign_in_attempts ("
  "  id INTEGER PRIMARY KEY,"
  "  email TEXT NOT NULL,"
  "  client_id INTEGER REFERENCES clients (id),"
  "  at INTEGER NOT NULL,"
  "  succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))"
  ");"
  "CREATE INDEX portal_sign_in_attempts_email ON portal_sign_in_attempts (email, at);"
  "CREATE UNIQUE INDEX portal_invitations_token ON portal_invitations (token_hash);"
  "CREATE INDEX portal_credentials_email ON portal_credentials (email);"
  "CREATE INDEX document_shares_document ON document_shares (document_id, unshared_at);"
  "CREATE TRIGGER portal_invitations_no_delete BEFORE DELETE ON portal_invitations"
  "  BEGIN SELECT RAISE (ABORT, 'portal invitations are never deleted'); END;"
  "CREATE TRIGGER portal_credentials_no_delete BEFORE DELETE ON portal_credentials"
  "  BEGIN SELECT RAISE (ABORT, 'portal credentials are never deleted'); END;"
  ,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DESK_SCHEMA_VERSION);

static int
get_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

gboolean
_desk_schema_migrate (sqlite3  *db,
                     int       target,
                     GError  **error)
{
  g_autofree char *set_version = NULL;
  int version;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (target > 0 && target <= DESK_SCHEMA_VERSION, FALSE);

  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Read inside the write transaction: another process may have migrated. */
  version = get_user_version (db);
  if (version < 0)
    {
      _desk_db_set_error (error, db, sqlite3_errcode (db), _("reading the schema version"));
      goto rollback;
    }

  for (int v = version; v < target; v++)
    {
      if (!_desk_db_exec (db, migrations[v], error))
        goto rollback;
    }

  if (version < target)
    {
      set_version = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d;",
                                     target, DESK_APPLICATION_ID);
      if (!_desk_db_exec (db, set_version, error))
        goto rollback;
    }

  return _desk_db_exec (db, "COMMIT", error);

rollback:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Protection
 *
 * Triggers keep the audit log append-only and the records undeleted;
 * tables' CHECKs and unique indexes keep them whole.  Someone with the file
 * and sqlite3 can drop or rewrite them, or add a trigger that quietly
 * ignores writes (RAISE (IGNORE) on sign_in_attempts switches the sign-in
 * limit off for good).  So every object this build ships for the file's
 * version must be there with its SQL as shipped, and no trigger may be
 * added.  Extra tables, indexes and views are let be: they cannot change
 * what Front Desk writes.  What is shipped is what the migrations make:
 * for the current version, the table below (SHA-256 of each object's SQL),
 * which test-migrate holds to the migrations and prints anew when they
 * change; for an older one (only tests and fixtures make those), built
 * once in memory.  So the check reads sqlite_master and nothing else:
 * building the schema would cost some 20 ms on the main thread.
 */

typedef struct
{
  char *type;
  char *name;
  char *tbl_name;
  char *sql;        /* its SHA-256 */
} SchemaObject;

#include "desk-schema-shipped.h"

static void
schema_object_free (gpointer data)
{
  SchemaObject *object = data;

  g_free (object->type);
  g_free (object->name);
  g_free (object->tbl_name);
  g_free (object->sql);
  g_free (object);
}

/* name -> SchemaObject */
static GHashTable *
read_schema (sqlite3  *db,
             GError  **error)
{
  g_autoptr(GHashTable) objects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         schema_object_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, coalesce (sql, '')"
                               " FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SchemaObject *object = g_new0 (SchemaObject, 1);

      rc = SQLITE_OK;
      object->type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      object->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      object->tbl_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      object->sql = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                   (const char *) sqlite3_column_text (stmt, 3),
                                                   -1);
      g_hash_table_replace (objects, object->name, object);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("checking the clinic database"));
      return NULL;
    }
  return g_steal_pointer (&objects);
}

/* What the migrations up to @version make, built in memory. */
static GHashTable *
build_schema (int      version,
              GError **error)
{
  GHashTable *objects = NULL;
  sqlite3 *db = _desk_db_open (":memory:",
                                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);

  if (db != NULL && _desk_schema_migrate (db, version, error))
    objects = read_schema (db, error);
  sqlite3_close (db);
  return objects;
}

/* The same, from the table for the current version; kept for the process. */
static GHashTable *
get_shipped_schema (int      version,
                    GError **error)
{
  static GHashTable *shipped[DESK_SCHEMA_VERSION + 1];
  G_LOCK_DEFINE_STATIC (shipped);
  GHashTable *objects;

  G_LOCK (shipped);
  if (shipped[version] == NULL && version == DESK_SCHEMA_VERSION)
    {
      shipped[version] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                schema_object_free);
      for (guint i = 0; i < G_N_ELEMENTS (shipped_objects); i++)
        {
          SchemaObject *object = g_new0 (SchemaObject, 1);

          object->type = g_strdup (shipped_objects[i][0]);
          object->name = g_strdup (shipped_objects[i][1]);
          object->tbl_name = g_strdup (shipped_objects[i][2]);
          object->sql = g_strdup (shipped_objects[i][3]);
          g_hash_table_replace (shipped[version], object->name, object);
        }
    }
  else if (shipped[version] == NULL)
    {
      shipped[version] = build_schema (version, error);
    }
  objects = shipped[version];
  G_UNLOCK (shipped);

  return objects;
}

static void
describe_difference (GString            *out,
                     const SchemaObject *object,
                     gboolean            missing)
{
  const char *type = object->type;

  if (out->len > 0)
    g_string_append (out, "; ");
  /* Translators: each %s is the name of an object of the database schema */
  if (g_str_equal (type, "trigger"))
    g_string_append_printf (out, missing ? _("trigger %s is missing") : _("trigger %s was changed"),
                            object->name);
  else if (g_str_equal (type, "index"))
    g_string_append_printf (out, missing ? _("index %s is missing") : _("index %s was changed"),
                            object->name);
  else if (g_str_equal (type, "view"))
    g_string_append_printf (out, missing ? _("view %s is missing") : _("view %s was changed"),
                            object->name);
  else
    g_string_append_printf (out, missing ? _("table %s is missing") : _("table %s was changed"),
                            object->name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* In name order, so that the message reads the same every time. */
static GPtrArray *
sorted_names (GHashTable *objects)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, objects);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (names, name);
  g_ptr_array_sort (names, compare_names);
  return names;
}

gboolean
_desk_schema_check_protection (sqlite3  *db,
                               GError  **error)
{
  g_autoptr(GHashTable) objects = NULL;
  g_autoptr(GString) differences = g_string_new (NULL);
  g_autoptr(GPtrArray) names = NULL;
  gboolean audit_log = FALSE;
  GHashTable *shipped;
  int version;

  g_return_val_if_fail (db != NULL, FALSE);

  version = get_user_version (db);
  if (version < 1 || version > DESK_SCHEMA_VERSION)
    {
      _desk_db_set_error (error, db, version < 0 ? sqlite3_errcode (db) : SQLITE_CORRUPT,
                             _("checking the clinic database"));
      return FALSE;
    }

  shipped = get_shipped_schema (version, error);
  if (shipped == NULL)
    return FALSE;
  objects = read_schema (db, error);
  if (objects == NULL)
    return FALSE;

  names = sorted_names (shipped);
  for (guint i = 0; i < names->len; i++)
    {
      const SchemaObject *want = g_hash_table_lookup (shipped, names->pdata[i]);
      const SchemaObject *have = g_hash_table_lookup (objects, names->pdata[i]);

      if (have != NULL && g_str_equal (have->type, want->type) &&
          g_str_equal (have->tbl_name, want->tbl_name) && g_str_equal (have->sql, want->sql))
        continue;
      describe_difference (differences, want, have == NULL);
      audit_log |= g_str_equal (want->tbl_name, "audit_log");
    }

  g_clear_pointer (&names, g_ptr_array_unref);
  names = sorted_names (objects);
  for (guint i = 0; i < names->len; i++)
    {
      const SchemaObject *have = g_hash_table_lookup (objects, names->pdata[i]);

      if (!g_str_equal (have->type, "trigger") || g_hash_table_contains (shipped, have->name))
        continue;
      if (differences->len > 0)
        g_string_append (differences, "; ");
      /* Translators: the first %s is the name of a trigger, the second of a table */
      g_string_append_printf (differences, _("an unknown trigger %s was added on %s"),
                              have->name, have->tbl_name);
      audit_log |= g_str_equal (have->tbl_name, "audit_log");
    }

  if (differences->len == 0)
    return TRUE;

  if (audit_log)
    g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_UNPROTECTED,
                 /* Translators: %s lists what differs, e.g. "trigger audit_log_no_update is
                  * missing; an unknown trigger x was added on sign_in_attempts" */
                 _("The audit log’s protection was removed or changed: %s. Someone changed the "
                   "clinic database outside Front Desk; restore it from a backup."),
                 differences->str);
  else
    g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_UNPROTECTED,
                 /* Translators: %s lists what differs, e.g. "trigger clients_no_delete is
                  * missing; an unknown trigger x was added on sign_in_attempts" */
                 _("The clinic record’s protection was removed or changed: %s. Someone changed "
                   "the clinic database outside Front Desk; restore it from a backup."),
                 differences->str);
  return FALSE;
}

char *
_desk_schema_shipped_table (gboolean *matches)
{
  g_autoptr(GHashTable) built = build_schema (DESK_SCHEMA_VERSION, NULL);
  g_autoptr(GPtrArray) names = NULL;
  GHashTable *shipped = get_shipped_schema (DESK_SCHEMA_VERSION, NULL);
  GString *table = g_string_new (NULL);

  g_return_val_if_fail (built != NULL && shipped != NULL, NULL);

  *matches = g_hash_table_size (built) == g_hash_table_size (shipped);
  names = sorted_names (built);
  for (guint i = 0; i < names->len; i++)
    {
      const SchemaObject *want = g_hash_table_lookup (built, names->pdata[i]);
      const SchemaObject *have = g_hash_table_lookup (shipped, names->pdata[i]);

      g_string_append_printf (table, "  { \"%s\", \"%s\", \"%s\",\n    \"%s\" },\n",
                              want->type, want->name, want->tbl_name, want->sql);
      if (have == NULL || !g_str_equal (have->type, want->type) ||
          !g_str_equal (have->tbl_name, want->tbl_name) || !g_str_equal (have->sql, want->sql))
        *matches = FALSE;
    }
  return g_string_free (table, FALSE);
}
