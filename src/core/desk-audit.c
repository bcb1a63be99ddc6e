/* desk-audit.c: the clinic's append-only, hash-chained audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each entry stores the hash of the entry before it and its own hash:
 * SHA-256 of the previous hash and the entry's canonical content (every
 * field length-prefixed, so no two entries read alike).  Since schema 6 an
 * entry also keeps its actor's username and name as they were, and its
 * hash covers them (rule 2, in hash_version): renaming a member does not
 * re-attribute what they did.  Entries written before keep rule 1, which
 * has no stored identity; they show the member's name of today.  The first entry
 * chains from a hash of the clinic's UUID, so entries copied from another
 * clinic do not verify.  Triggers in the schema refuse UPDATE and DELETE;
 * the chain shows it when someone went around them.  (An attacker who
 * rewrites the whole chain, or cuts entries off its end, needs an outside
 * anchor to be caught: the export ends with the last hash for that.)
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-audit-private.h"
#include "desk-store-private.h"

G_DEFINE_QUARK (desk-audit-error-quark, desk_audit_error)

typedef struct
{
  gint64      id;
  gint64      at;
  gint64      actor_id;     /* 0: the system */
  const char *actor;        /* the actor's username, or "" */
  const char *action;
  const char *target_kind;
  gint64      target_id;    /* 0: none */
  const char *reason;
  const char *details;
  const char *prev_hash;
  const char *hash;
  gint64      hash_version;
  const char *actor_username;   /* as stored: NULL under rule 1 */
  const char *actor_name;       /* as stored: NULL under rule 1 */
  gboolean    well_formed;      /* no value the append never writes */
} Entry;

#define ENTRY_COLUMNS \
  "a.id, a.at, coalesce (a.actor_member_id, 0), coalesce (a.actor_username, m.username, '')," \
  " a.action, a.target_kind, coalesce (a.target_id, 0), a.reason, a.details, a.prev_hash," \
  " a.hash, a.hash_version, a.actor_username, a.actor_name," \
  " coalesce (a.actor_member_id > 0, 1) AND coalesce (a.target_id > 0, 1)" \
  "  AND typeof (a.hash_version) = 'integer'"
/* The same from a file older than schema 6 (an evidence copy verified as it
 * is, never upgraded): every entry is rule 1, without a stored identity. */
#define ENTRY_COLUMNS_BEFORE_6 \
  "a.id, a.at, coalesce (a.actor_member_id, 0), coalesce (m.username, '')," \
  " a.action, a.target_kind, coalesce (a.target_id, 0), a.reason, a.details, a.prev_hash," \
  " a.hash, 1, NULL, NULL," \
  " coalesce (a.actor_member_id > 0, 1) AND coalesce (a.target_id > 0, 1)"
#define ENTRY_FROM \
  " FROM audit_log a LEFT JOIN members m ON m.id = a.actor_member_id"

/* Helpers */

static void
read_entry (sqlite3_stmt *stmt,
            Entry        *entry)
{
  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->at = sqlite3_column_int64 (stmt, 1);
  entry->actor_id = sqlite3_column_int64 (stmt, 2);
  entry->actor = (const char *) sqlite3_column_text (stmt, 3);
  entry->action = (const char *) sqlite3_column_text (stmt, 4);
  entry->target_kind = (const char *) sqlite3_column_text (stmt, 5);
  entry->target_id = sqlite3_column_int64 (stmt, 6);
  entry->reason = (const char *) sqlite3_column_text (stmt, 7);
  entry->details = (const char *) sqlite3_column_text (stmt, 8);
  entry->prev_hash = (const char *) sqlite3_column_text (stmt, 9);
  entry->hash = (const char *) sqlite3_column_text (stmt, 10);
  entry->hash_version = sqlite3_column_int64 (stmt, 11);
  entry->actor_username = (const char *) sqlite3_column_text (stmt, 12);
  entry->actor_name = (const char *) sqlite3_column_text (stmt, 13);
  entry->well_formed = sqlite3_column_int (stmt, 14) != 0;
}

static void
add_field (GChecksum  *checksum,
           const char *value)
{
  g_autofree char *length = NULL;

  if (value == NULL)
    value = "";
  length = g_strdup_printf ("%zu:", strlen (value));
  g_checksum_update (checksum, (const guchar *) length, -1);
  g_checksum_update (checksum, (const guchar *) value, -1);
}

static void
add_number (GChecksum *checksum,
            gint64     value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  add_field (checksum, text);
}

/* The hash an entry must have under rule @version (1 or 2), given the
 * hash before it.  The rule's name leads, so an entry moved to another
 * rule does not verify. */
static char *
entry_hash (int         version,
            const char *prev_hash,
            gint64      id,
            gint64      at,
            gint64      actor_id,
            const char *actor_username,
            const char *actor_name,
            const char *action,
            const char *target_kind,
            gint64      target_id,
            const char *reason,
            const char *details)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  add_field (checksum, version == 1 ? "front-desk-audit-1" : "front-desk-audit-2");
  add_field (checksum, prev_hash);
  add_number (checksum, id);
  add_number (checksum, at);
  add_number (checksum, actor_id);
  if (version >= 2)
    {
      add_field (checksum, actor_username);
      add_field (checksum, actor_name);
    }
  add_field (checksum, action);
  add_field (checksum, target_kind);
  add_number (checksum, target_id);
  add_field (checksum, reason);
  add_field (checksum, details);

  return g_strdup (g_checksum_get_string (checksum));
}

static char *
genesis_hash (const char *clinic_uuid)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  add_field (checksum, "front-desk-audit-genesis");
  add_field (checksum, clinic_uuid);
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
read_genesis (sqlite3  *db,
              GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  char *genesis = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT uuid FROM clinic WHERE id = 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    genesis = genesis_hash ((const char *) sqlite3_column_text (stmt, 0));
  else
    _desk_db_set_error (error, db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                           _("reading the audit log"));
  sqlite3_finalize (stmt);
  return genesis;
}

/* Private API */

gboolean
_desk_audit_append (sqlite3     *db,
                    gint64       at,
                    gint64       actor_id,
                    const char  *action,
                    const char  *target_kind,
                    gint64       target_id,
                    const char  *reason,
                    const char  *details,
                    GError     **error)
{
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *actor_username = NULL;
  g_autofree char *actor_name = NULL;
  sqlite3_stmt *stmt = NULL;
  int schema_version = 0;
  gint64 id = 1;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (action != NULL && target_kind != NULL, FALSE);
  /* The entry and the change it records commit together, or neither. */
  g_return_val_if_fail (!sqlite3_get_autocommit (db), FALSE);

  if (reason == NULL)
    reason = "";
  if (details == NULL)
    details = "{}";

  rc = sqlite3_prepare_v2 (db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", -1,
                           &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          id = sqlite3_column_int64 (stmt, 0) + 1;
          prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          rc = SQLITE_DONE;
        }
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto failed;
  if (prev_hash == NULL && (prev_hash = read_genesis (db, error)) == NULL)
    return FALSE;

  /* Rule 2 from schema 6 on: the actor as they are now, kept for good.
   * (Older schemas are only written by the tests and by creating a clinic
   * at an older version.) */
  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      schema_version = sqlite3_column_int (stmt, 0);
      rc = SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto failed;
  if (schema_version >= 6)
    {
      rc = sqlite3_prepare_v2 (db, "SELECT username, given_name || ' ' || family_name"
                                   " FROM members WHERE id = ?", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_int64 (stmt, 1, actor_id);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            {
              actor_username = _desk_db_column_dup (stmt, 0);
              actor_name = _desk_db_column_dup (stmt, 1);
              rc = SQLITE_DONE;
            }
        }
      sqlite3_finalize (stmt);
      stmt = NULL;
      if (rc != SQLITE_DONE)
        goto failed;
      /* The system, or a member who does not exist (the foreign key
       * refuses the entry then). */
      if (actor_username == NULL)
        {
          actor_username = g_strdup ("");
          actor_name = g_strdup ("");
        }
    }

  hash = entry_hash (schema_version >= 6 ? 2 : 1, prev_hash, id, at, actor_id, actor_username,
                     actor_name, action, target_kind, target_id, reason, details);

  if (schema_version >= 6)
    rc = sqlite3_prepare_v2 (db, "INSERT INTO audit_log (id, at, actor_member_id, action,"
                                 " target_kind, target_id, reason, details, prev_hash, hash,"
                                 " hash_version, actor_username, actor_name)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?)", -1, &stmt,
                             NULL);
  else
    rc = sqlite3_prepare_v2 (db, "INSERT INTO audit_log (id, at, actor_member_id, action,"
                                 " target_kind, target_id, reason, details, prev_hash, hash)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      if (schema_version >= 6)
        {
          sqlite3_bind_text (stmt, 11, actor_username, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 12, actor_name, -1, SQLITE_STATIC);
        }
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, at);
      if (actor_id > 0)
        sqlite3_bind_int64 (stmt, 3, actor_id);
      sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, target_kind, -1, SQLITE_STATIC);
      if (target_id > 0)
        sqlite3_bind_int64 (stmt, 6, target_id);
      sqlite3_bind_text (stmt, 7, reason, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, details, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, prev_hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, hash, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

failed:
  _desk_db_set_error (error, db, rc, _("writing the audit log"));
  return FALSE;
}

/* Public API */

gboolean
desk_audit_verify (DeskStore     *store,
                   guint64       *n_entries,
                   gint64        *first_broken,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return desk_audit_verify_receipt (store, NULL, n_entries, NULL, first_broken, cancellable,
                                    error);
}

/* "ID:HASH", ID an entry number (0: the log was empty) and HASH 64
 * lower-case hex digits. */
static gboolean
parse_receipt (const char  *receipt,
               gint64      *id,
               char       **hash,
               GError     **error)
{
  const char *colon = strchr (receipt, ':');
  g_autofree char *number = NULL;
  guint64 value = 0;

  if (colon != NULL && strlen (colon + 1) == 64)
    {
      number = g_strndup (receipt, colon - receipt);
      for (const char *p = colon + 1; *p; p++)
        if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
          goto invalid;
      if (g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT64, &value, NULL))
        {
          *id = (gint64) value;
          *hash = g_strdup (colon + 1);
          return TRUE;
        }
    }

invalid:
  g_set_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_INVALID_RECEIPT,
               /* Translators: %s is what was given; a receipt reads like 1234:3f9a…, a number,
                * a colon and 64 hexadecimal digits */
               _("“%s” is not a receipt of the audit log: a receipt is an entry number, a colon "
                 "and 64 hexadecimal digits, as an earlier check printed it."),
               receipt);
  return FALSE;
}

gboolean
desk_audit_verify_receipt (DeskStore     *store,
                           const char    *receipt,
                           guint64       *n_entries,
                           char         **receipt_out,
                           gint64        *first_broken,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *expected_prev = NULL;
  g_autofree char *receipt_hash = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 receipt_id = 0;
  gint64 expected_id = 1;
  gint64 rule = 1;
  guint64 n = 0;
  sqlite3 *db;
  int version = 0;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (first_broken != NULL)
    *first_broken = 0;
  if (receipt != NULL && !parse_receipt (receipt, &receipt_id, &receipt_hash, error))
    return FALSE;

  db = _desk_store_get_db (store);

  /* A chain that verifies says little if the triggers that keep it were
   * dropped, or a trigger now quietly ignores what should be written. */
  {
    g_autoptr(GError) local_error = NULL;

    if (!_desk_schema_check_protection (db, &local_error))
      {
        if (g_error_matches (local_error, DESK_STORE_ERROR, DESK_STORE_ERROR_UNPROTECTED))
          g_set_error_literal (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_UNPROTECTED,
                               local_error->message);
        else
          g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  }

  expected_prev = read_genesis (db, error);
  if (expected_prev == NULL)
    return FALSE;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      version = sqlite3_column_int (stmt, 0);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db,
                             version >= 6
                               ? "SELECT " ENTRY_COLUMNS ENTRY_FROM " ORDER BY a.id"
                               : "SELECT " ENTRY_COLUMNS_BEFORE_6 ENTRY_FROM " ORDER BY a.id",
                             -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *hash = NULL;
      Entry e;

      rc = SQLITE_OK;
      read_entry (stmt, &e);
      hash = entry_hash (e.hash_version, e.prev_hash, e.id, e.at, e.actor_id, e.actor_username,
                         e.actor_name, e.action, e.target_kind, e.target_id, e.reason, e.details);

      /* A gap in the numbers is a removed entry; a hash that does not chain
       * is an edited, removed or forged one.  Rule 1 stores no identity and
       * never follows rule 2; rule 2 always stores one.  A value the append
       * never writes (0 for "none", where it writes NULL) is an edit the
       * hash alone would not see. */
      if (e.id != expected_id || g_strcmp0 (e.prev_hash, expected_prev) != 0 ||
          g_strcmp0 (e.hash, hash) != 0 || !e.well_formed || e.hash_version < rule ||
          (e.hash_version == 1 && (e.actor_username != NULL || e.actor_name != NULL)) ||
          (e.hash_version == 2 && (e.actor_username == NULL || e.actor_name == NULL)) ||
          e.hash_version < 1 || e.hash_version > 2)
        {
          g_autofree char *which = g_strdup_printf ("%" G_GINT64_FORMAT, e.id);

          if (first_broken != NULL)
            *first_broken = e.id;
          g_set_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_BROKEN,
                       /* Translators: %s is the number of an entry of the audit log */
                       _("The audit log has been tampered with: entry %s does not follow from "
                         "the entries before it."),
                       which);
          sqlite3_finalize (stmt);
          return FALSE;
        }

      /* The entry an earlier check ended at: the same one, or the chain
       * was computed anew after an edit. */
      if (e.id == receipt_id && g_strcmp0 (e.hash, receipt_hash) != 0)
        {
          g_autofree char *which = g_strdup_printf ("%" G_GINT64_FORMAT, e.id);

          if (first_broken != NULL)
            *first_broken = e.id;
          g_set_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_BROKEN,
                       /* Translators: %s is the number of an entry of the audit log */
                       _("The audit log does not match the receipt: entry %s is not the one "
                         "the receipt’s check saw. Either the receipt is of another clinic, or "
                         "the log has been tampered with and its chain computed anew."),
                       which);
          sqlite3_finalize (stmt);
          return FALSE;
        }

      g_free (expected_prev);
      expected_prev = g_strdup (e.hash);
      expected_id = e.id + 1;
      rule = e.hash_version;
      n++;

      if ((n % 4096) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("reading the audit log"));
      return FALSE;
    }

  if (receipt_id >= expected_id)
    {
      g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, expected_id - 1);
      g_autofree char *seen = g_strdup_printf ("%" G_GINT64_FORMAT, receipt_id);

      g_set_error (error, DESK_AUDIT_ERROR, DESK_AUDIT_ERROR_CUT_SHORT,
                   /* Translators: both %s are numbers of entries of the audit log */
                   _("The audit log has been cut short: it ends at entry %s, but the receipt’s "
                     "check saw entries up to %s."),
                   last, seen);
      return FALSE;
    }

  if (n_entries != NULL)
    *n_entries = n;
  if (receipt_out != NULL)
    *receipt_out = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", expected_id - 1, expected_prev);
  return TRUE;
}
