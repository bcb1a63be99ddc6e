/* desk-db.c: the database layer, under everything else of the model layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Connections as Front Desk makes them (busy timeout, the desk_fold ()
 * SQL function), SQLite's result codes turned into errors a front desk can
 * read, and the folded text that search and name order use.  It knows
 * nothing of clinics, records or sessions: the schema (desk-schema.c) and
 * the store (desk-store.c) stand on it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "desk-db-private.h"

G_DEFINE_QUARK (desk-store-error-quark, desk_store_error)

char *
_desk_fold_for_search (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  gboolean space = TRUE;

  if (text == NULL)
    return g_strdup ("");

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (decomposed, -1);

  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (g_unichar_isspace (c))
        {
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
          continue;
        }
      g_string_append_unichar (out, c);
      space = FALSE;
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

char *
_desk_member_search_text (const char *given,
                          const char *family,
                          const char *username,
                          const char *email)
{
  const char *at = strchr (email, '@');
  g_autofree char *local = at != NULL ? g_strndup (email, at - email) : g_strdup (email);
  g_autofree char *text = g_strconcat (given, " ", family, " ", username, " ", local, NULL);

  return _desk_fold_for_search (text);
}

/* The e-mail's domain is left out: half the clients would match "gmail". */
char *
_desk_client_search_text (const char *given,
                          const char *family,
                          const char *email,
                          const char *phone)
{
  const char *at = strchr (email, '@');
  g_autofree char *local = at != NULL ? g_strndup (email, at - email) : g_strdup (email);
  g_autofree char *text = g_strconcat (given, " ", family, " ", local, " ", phone, NULL);

  return _desk_fold_for_search (text);
}

char *
_desk_sort_key (const char *given,
                const char *family)
{
  g_autofree char *text = g_strconcat (family, " ", given, NULL);

  return _desk_fold_for_search (text);
}

static void
sql_desk_fold (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded = _desk_fold_for_search (text);

  sqlite3_result_text (ctx, folded, -1, g_free);
}

void
_desk_db_set_error (GError     **error,
                       sqlite3     *db,
                       int          rc,
                       const char  *doing)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_LOCKED,
                   _("The clinic database is in use by another program. "
                     "Wait until it has finished, then try again."));
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_READ_ONLY,
                   _("The clinic database cannot be written to. "
                     "Check that the file and its folder may be changed."));
      break;
    /* The header was read before SQLite opened the file (check_file ()):
     * met later, "not a database" is damage inside it. */
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT,
                   _("The clinic database is damaged. Restore it from a backup; "
                     "Front Desk has not changed it."));
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_INVALID,
                   /* Translators: %s says what Front Desk was doing, %s the database's reason */
                   _("The clinic record refused this change while %s: %s."),
                   doing, detail);
      break;
    default:
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_FAILED,
                   /* Translators: %s says what Front Desk was doing, %s the database's reason */
                   _("The clinic database failed while %s: %s."), doing, detail);
      break;
    }
}

gboolean
_desk_db_exec (sqlite3     *db,
                  const char  *sql,
                  GError     **error)
{
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  sqlite3_free (message);
  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (error, db, rc, _("updating the clinic record"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_desk_db_read_header (const char *path,
                      guint8     *buffer,
                      gsize       size,
                      gsize      *n_read)
{
  sqlite3 *db = NULL;
  sqlite3_file *file = NULL;
  sqlite3_int64 file_size = 0;
  int rc;

  *n_read = 0;
  /* Opening reads nothing yet: the first statement would. */
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_file_control (db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc == SQLITE_OK && (file == NULL || file->pMethods == NULL))
    rc = SQLITE_CANTOPEN;
  if (rc == SQLITE_OK)
    rc = file->pMethods->xFileSize (file, &file_size);
  if (rc == SQLITE_OK && file_size > 0)
    {
      size = (gsize) MIN ((sqlite3_int64) size, file_size);
      rc = file->pMethods->xRead (file, buffer, (int) size, 0);
      if (rc == SQLITE_OK)
        *n_read = size;
    }
  sqlite3_close (db);
  return rc == SQLITE_OK;
}

sqlite3 *
_desk_db_open (const char  *path,
               int          flags,
               GError     **error)
{
  static gsize configured = 0;
  sqlite3 *db = NULL;
  int rc;

  /* SQLite's memory statistics take a process-wide lock on every
   * allocation: two connections on two threads then take turns. */
  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }

  rc = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (error, db, rc, _("opening the clinic database"));
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, DESK_DB_BUSY_TIMEOUT_MS);
  sqlite3_create_function (db, "desk_fold", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, sql_desk_fold, NULL, NULL);
  return db;
}

void
_desk_db_statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

void
_desk_db_set_no_such_record (GError   **error,
                             gboolean   client,
                             gint64     id)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (client)
    g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD,
                 _("There is no client with number %s in this clinic."), number);
  else
    g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD,
                 _("There is no member “%s” in this clinic."), number);
}

char *
_desk_db_column_dup (sqlite3_stmt *stmt,
                  int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

static void
add_name (GString    *names,
          GHashTable *seen,
          const char *name)
{
  if (name == NULL || g_hash_table_contains (seen, name))
    return;
  if (names->len > 0)
    g_string_append (names, ", ");
  g_string_append (names, name);
  g_hash_table_add (seen, g_strdup (name));
}

/* The tables and indexes quick_check's lines are about, as "clients,
 * clients_sort", or NULL when SQLite cannot tell: named in the line
 * ("NULL value in clients.given_name"), or by a page of theirs ("Page 33:
 * …", "On tree page 33 cell 2: …"), which dbstat finds while the damage
 * leaves the way to it. */
static char *
name_damaged (sqlite3   *db,
              GPtrArray *lines)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type IN ('table', 'index')",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_add (known, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (sqlite3_prepare_v2 (db, "SELECT name FROM dbstat WHERE pageno = ?", -1, &stmt,
                          NULL) != SQLITE_OK)
    g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *line = g_ascii_strdown (g_ptr_array_index (lines, i), -1);
      g_auto(GStrv) words = g_regex_split_simple ("[^a-z0-9_]+", line, 0, 0);
      const char *at = strstr (line, "page ");

      for (guint j = 0; words[j] != NULL; j++)
        if (g_hash_table_contains (known, words[j]))
          add_name (names, seen, words[j]);

      if (stmt == NULL || at == NULL || !g_ascii_isdigit (at[5]))
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, (gint64) g_ascii_strtoull (at + 5, NULL, 10));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        add_name (names, seen, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);

  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

/* PRAGMA quick_check: the whole file read for damage, named by the tables
 * and indexes it is in when SQLite can tell. */
gboolean
_desk_db_check_integrity (sqlite3  *db,
                          GError  **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *damaged = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      rc = SQLITE_OK;
      if (g_strcmp0 (line, "ok") != 0 && line != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (line, "\n", -1);

          g_debug ("quick_check: %s", line);
          for (guint i = 0; parts[i] != NULL; i++)
            g_ptr_array_add (lines, g_strdup (parts[i]));
        }
    }
  sqlite3_finalize (stmt);

  /* What it found before the damage stopped it still says where. */
  if (rc != SQLITE_DONE && (lines->len == 0 || (rc & 0xff) != SQLITE_CORRUPT))
    {
      _desk_db_set_error (error, db, rc, _("checking the clinic database"));
      return FALSE;
    }
  if (lines->len == 0)
    return TRUE;

  damaged = name_damaged (db, lines);
  if (damaged != NULL)
    g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_CORRUPT,
                 /* Translators: %s lists the damaged parts of the file by their names,
                  * such as "clients, clients_sort" */
                 _("The clinic database is damaged (in: %s). Restore it from a backup; "
                   "Front Desk has not changed it."),
                 damaged);
  else
    _desk_db_set_error (error, db, SQLITE_CORRUPT, NULL);
  return FALSE;
}
