/* desk-store.c: a clinic database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk-enums.h"
#include "desk-store-private.h"

struct _DeskStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* const char *sql (static) -> sqlite3_stmt * */

  char       *clinic_name;
  char       *clinic_uuid;
  gboolean    is_demo;
  gint64      now;          /* 0: the real clock */

  DeskClientOrder *client_order;
  gint64      data_version; /* PRAGMA data_version last seen, -1 before the first look */
};

G_DEFINE_TYPE (DeskStore, desk_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_CLINIC_NAME,
  PROP_IS_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char sqlite_header[16] = "SQLite format 3";

/* Helpers */

void
_desk_store_set_file_error (GError     **error,
                            const char  *path,
                            int          code)
{
  g_autofree char *display = g_filename_display_name (path);

  switch (code)
    {
    case DESK_STORE_ERROR_NOT_FOUND:
      g_set_error (error, DESK_STORE_ERROR, code,
                   _("There is no clinic database at “%s”."), display);
      break;
    case DESK_STORE_ERROR_EXISTS:
      g_set_error (error, DESK_STORE_ERROR, code,
                   _("A file already exists at “%s”; Front Desk will not overwrite it."),
                   display);
      break;
    case DESK_STORE_ERROR_NOT_A_DATABASE:
      g_set_error (error, DESK_STORE_ERROR, code,
                   _("“%s” is not a clinic database."), display);
      break;
    case DESK_STORE_ERROR_NOT_A_CLINIC:
      g_set_error (error, DESK_STORE_ERROR, code,
                   _("“%s” is a database, but not a Front Desk clinic database."), display);
      break;
    case DESK_STORE_ERROR_READ_ONLY:
      g_set_error (error, DESK_STORE_ERROR, code,
                   _("The clinic database “%s” is read-only. Front Desk needs to be able to "
                     "change the file and its folder; ask your administrator to allow it."),
                   display);
      break;
    case DESK_STORE_ERROR_TOO_NEW:
      g_set_error (error, DESK_STORE_ERROR, code,
                   _("The clinic database “%s” was made by a newer version of Front Desk. "
                     "Update Front Desk to open it; the file has not been changed."),
                   display);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Reads the first bytes before SQLite reads the file as a database, so
 * that a file which is not one is never touched by it. */
static gboolean
check_file (const char  *path,
            gboolean     for_writing,
            GError     **error)
{
  g_autofree char *dir = NULL;
  GStatBuf st;
  guint8 header[16];
  gsize n;

  if (g_stat (path, &st) != 0)
    {
      if (errno == ENOENT || errno == ENOTDIR)
        _desk_store_set_file_error (error, path, DESK_STORE_ERROR_NOT_FOUND);
      else
        g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_READ_ONLY,
                     _("The clinic database cannot be read: %s."), g_strerror (errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_NOT_A_DATABASE);
      return FALSE;
    }

  /* Write bits, not only access(): an administrator marks a file read-only
   * with its mode, and that must hold for root too. */
  dir = g_path_get_dirname (path);
  if (for_writing &&
      ((st.st_mode & 0222) == 0 || g_access (path, W_OK) != 0 || g_access (dir, W_OK) != 0))
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_READ_ONLY);
      return FALSE;
    }

  if (g_access (path, R_OK) != 0)
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_READ_ONLY,
                   _("The clinic database cannot be read: %s."), g_strerror (errno));
      return FALSE;
    }
  /* The file may be open in this process already (the background check,
   * a clinic opened again): see _desk_db_read_header(). */
  if (!_desk_db_read_header (path, header, sizeof header, &n))
    {
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_READ_ONLY,
                   _("The clinic database cannot be read: %s."), g_strerror (EIO));
      return FALSE;
    }

  if (n == 0)
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_NOT_A_CLINIC);
      return FALSE;
    }
  if (n < sizeof header || memcmp (header, sqlite_header, sizeof header) != 0)
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_NOT_A_DATABASE);
      return FALSE;
    }

  return TRUE;
}

/* Whether the header says write-ahead logging (file format 2, byte 18). */
static gboolean
is_wal_file (const char *path)
{
  guint8 header[20];
  gsize n;

  return _desk_db_read_header (path, header, sizeof header, &n) && n == sizeof header &&
         header[18] == 2;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *value = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
      return TRUE;
    }

  _desk_db_set_error (error, db, rc, _("opening the clinic database"));
  sqlite3_finalize (stmt);
  return FALSE;
}

/* Everything that can refuse a file, done before anything is written. */
static gboolean
check_database (sqlite3     *db,
                const char  *path,
                gboolean    *needs_migration,
                GError     **error)
{
  int app_id = 0;
  int version = 0;

  if (!query_int (db, "PRAGMA application_id", &app_id, error) ||
      !query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;

  if (app_id != DESK_APPLICATION_ID)
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_NOT_A_CLINIC);
      return FALSE;
    }
  if (version > DESK_SCHEMA_VERSION)
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_TOO_NEW);
      return FALSE;
    }
  if (version < DESK_SCHEMA_VERSION)
    *needs_migration = TRUE;

  return TRUE;
}

/* A connection that only reads and leaves the file and its folder as they
 * were.  Where the file and its folder can be written, a read-write
 * connection made query-only: a read-only one would leave a WAL file's
 * -wal and -shm behind, which only a read-write one removes when it
 * closes.  Where they cannot (read-only media, an evidence copy), a
 * read-only one; and for a WAL file without its -shm, which nobody could
 * create there, "immutable": no other program can be writing to it. */
static sqlite3 *
open_reading_connection (const char  *path,
                         int          extra_flags,
                         GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  GStatBuf st;
  sqlite3 *db;

  if (g_stat (path, &st) == 0 && (st.st_mode & 0222) != 0 &&
      g_access (path, W_OK) == 0 && g_access (dir, W_OK) == 0)
    {
      db = _desk_db_open (path, SQLITE_OPEN_READWRITE | extra_flags, error);
      if (db != NULL && !_desk_db_exec (db, "PRAGMA query_only = ON", error))
        g_clear_pointer (&db, sqlite3_close);
      return db;
    }

  if (!g_file_test (shm, G_FILE_TEST_EXISTS) && is_wal_file (path))
    {
      g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
      g_autofree char *immutable = NULL;

      if (uri == NULL)
        {
          _desk_store_set_file_error (error, path, DESK_STORE_ERROR_NOT_FOUND);
          return NULL;
        }
      immutable = g_strconcat (uri, "?immutable=1", NULL);
      return _desk_db_open (immutable, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | extra_flags,
                              error);
    }

  return _desk_db_open (path, SQLITE_OPEN_READONLY | extra_flags, error);
}

static gboolean
load_clinic (DeskStore  *self,
             GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _desk_store_prepare (self, "SELECT name, uuid, is_demo FROM clinic WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        _desk_store_set_file_error (error, self->path, DESK_STORE_ERROR_NOT_A_CLINIC);
      else
        _desk_db_set_error (error, self->db, rc, _("opening the clinic database"));
      return FALSE;
    }

  self->clinic_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  self->clinic_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  self->is_demo = sqlite3_column_int (stmt, 2) != 0;
  sqlite3_reset (stmt);

  return TRUE;
}

/* Takes and drops the write lock: a database that another program keeps
 * locked is refused at open, not at the first change. */
static gboolean
probe_write_lock (sqlite3  *db,
                  GError  **error)
{
  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  return _desk_db_exec (db, "ROLLBACK", error);
}

static DeskStore *
open_store (const char          *path,
            int                  target_version,
            DeskStoreOpenFlags   flags,
            GError             **error)
{
  g_autoptr(DeskStore) self = NULL;
  gboolean needs_migration = FALSE;
  sqlite3 *db;
  int version = 0;

  /* Checks first, only reading, so a refused file is never written.  Not a
   * read-only connection: on a WAL file that would leave empty -wal and
   * -shm files behind, which only a read-write connection removes. */
  db = _desk_db_open (path, SQLITE_OPEN_READWRITE, error);
  if (db == NULL)
    return NULL;
  if (flags & DESK_STORE_OPEN_NO_WAIT)
    sqlite3_busy_timeout (db, 0);
  if (!check_database (db, path, &needs_migration, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  if (needs_migration && (flags & DESK_STORE_OPEN_NO_UPGRADE))
    {
      sqlite3_close (db);
      g_set_error (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NEEDS_UPGRADE,
                   _("The clinic database needs an upgrade before it can be opened."));
      return NULL;
    }
  /* Only before a migration: the full check reads every page (seconds at
   * a million clients), and a query that meets damage reports it anyway. */
  if (needs_migration && !_desk_db_check_integrity (db, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_close (db);

  self = g_object_new (DESK_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = _desk_db_open (path, SQLITE_OPEN_READWRITE, error);
  if (self->db == NULL)
    return NULL;
  if (flags & DESK_STORE_OPEN_NO_WAIT)
    sqlite3_busy_timeout (self->db, 0);

  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_READ_ONLY);
      return NULL;
    }

  if (!_desk_db_exec (self->db,
                         "PRAGMA journal_mode = WAL;"
                         "PRAGMA synchronous = NORMAL;"
                         "PRAGMA foreign_keys = ON;",
                         error) ||
      !probe_write_lock (self->db, error) ||
      !query_int (self->db, "PRAGMA user_version", &version, error))
    return NULL;

  if (version < target_version && !_desk_schema_migrate (self->db, target_version, error))
    return NULL;
  if (!_desk_schema_check_protection (self->db, error))
    return NULL;

  if (!load_clinic (self, error))
    return NULL;

  sqlite3_busy_timeout (self->db, DESK_DB_BUSY_TIMEOUT_MS);
  return g_steal_pointer (&self);
}

static DeskStore *
open_store_read_only (const char  *path,
                      GError     **error)
{
  g_autoptr(DeskStore) self = g_object_new (DESK_TYPE_STORE, NULL);
  gboolean needs_migration = FALSE;

  self->path = g_strdup (path);
  self->db = open_reading_connection (path, 0, error);
  if (self->db == NULL)
    return NULL;

  /* An older file is read as it is: the clinic row and the audit log are
   * the same since the first schema. */
  if (!check_database (self->db, path, &needs_migration, error) ||
      !load_clinic (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

DeskStore *
_desk_store_open_at (const char          *path,
                     int                  target_version,
                     DeskStoreOpenFlags   flags,
                     GError             **error)
{
  return open_store (path, target_version, flags, error);
}

/* Overrides */

static void
desk_store_finalize (GObject *object)
{
  DeskStore *self = (DeskStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->client_order, _desk_client_order_unref);
  if (self->db != NULL)
    {
      sqlite3_close (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->clinic_name, g_free);
  g_clear_pointer (&self->clinic_uuid, g_free);

  G_OBJECT_CLASS (desk_store_parent_class)->finalize (object);
}

static void
desk_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DeskStore *self = DESK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_CLINIC_NAME:
      g_value_set_string (value, self->clinic_name);
      break;
    case PROP_IS_DEMO:
      g_value_set_boolean (value, self->is_demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_store_class_init (DeskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_store_finalize;
  object_class->get_property = desk_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLINIC_NAME] =
    g_param_spec_string ("clinic-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_DEMO] =
    g_param_spec_boolean ("is-demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DeskStore::changed:
   * @changes: a #DeskChanges: what was touched
   *
   * After every change committed through the change path, and when
   * desk_store_poll_external_changes() notices that another program, or
   * another connection of this one, wrote to the file.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, DESK_TYPE_CHANGES | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
desk_store_init (DeskStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            _desk_db_statement_free);
  self->data_version = -1;
}

/* PRAGMA data_version: it changes when another connection commits to the
 * file, never for this connection's own commits. */
static gint64
read_data_version (DeskStore *self)
{
  sqlite3_stmt *stmt = _desk_store_prepare (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

/* Private API */

void
_desk_store_emit_changed (DeskStore   *self,
                          DeskChanges *changes)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (changes != NULL);

  /* A commit of ours does not move data_version, but another connection's
   * commit before it did: look now, so that the next poll does not report
   * it again as external (our own notification covers what we know). */
  if (self->data_version < 0)
    self->data_version = read_data_version (self);
  if (!desk_changes_is_empty (changes))
    g_signal_emit (self, signals[CHANGED], 0, changes);
}

sqlite3 *
_desk_store_get_db (DeskStore *self)
{
  return self->db;
}

DeskClientOrder *
_desk_store_dup_client_order (DeskStore *self)
{
  return self->client_order != NULL ? _desk_client_order_ref (self->client_order) : NULL;
}

void
_desk_store_set_client_order (DeskStore       *self,
                              DeskClientOrder *order)
{
  g_clear_pointer (&self->client_order, _desk_client_order_unref);
  if (order != NULL)
    self->client_order = _desk_client_order_ref (order);
}

sqlite3_stmt *
_desk_store_prepare (DeskStore   *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _desk_db_set_error (error, self->db, rc, _("reading the clinic record"));
      sqlite3_finalize (stmt);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Public API */

/**
 * desk_store_open:
 * @path: an existing clinic database
 *
 * Opens a clinic database, bringing its schema up to date.  Refuses (and
 * leaves untouched) a missing file, a file that is not a clinic database, a
 * damaged, read-only or locked one, and one from a newer Front Desk.
 */
DeskStore *
desk_store_open (const char  *path,
                 GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return desk_store_open_full (path, DESK_STORE_OPEN_DEFAULT, error);
}

DeskStore *
desk_store_open_full (const char          *path,
                      DeskStoreOpenFlags   flags,
                      GError             **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (flags & DESK_STORE_OPEN_READ_ONLY)
    {
      if (!check_file (path, FALSE, error))
        return NULL;
      return open_store_read_only (path, error);
    }

  if (!check_file (path, TRUE, error))
    return NULL;

  return open_store (path, DESK_SCHEMA_VERSION, flags, error);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;

  if (desk_store_check_file (path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

gboolean
desk_store_check_file (const char  *path,
                       GError     **error)
{
  gboolean needs_migration = FALSE;
  gboolean ok;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_file (path, FALSE, error))
    return FALSE;
  db = open_reading_connection (path, SQLITE_OPEN_NOMUTEX, error);
  if (db == NULL)
    return FALSE;
  ok = check_database (db, path, &needs_migration, error) && _desk_db_check_integrity (db, error);
  sqlite3_close (db);
  return ok;
}

void
desk_store_check_async (DeskStore           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DESK_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_store_check_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, check_thread);
}

gboolean
desk_store_check_finish (DeskStore     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
desk_store_get_path (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  return self->path;
}

const char *
desk_store_get_clinic_name (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  return self->clinic_name;
}

const char *
desk_store_get_clinic_uuid (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);
  return self->clinic_uuid;
}

gboolean
desk_store_get_is_demo (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  return self->is_demo;
}

gint64
desk_store_get_now (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), 0);

  if (self->now != 0)
    return self->now;
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * desk_store_set_now:
 * @unix_time: the time to use as "now", or 0 for the real clock
 *
 * For tests and benchmarks that need a fixed present.
 */
void
desk_store_set_now (DeskStore *self,
                    gint64     unix_time)
{
  g_return_if_fail (DESK_IS_STORE (self));
  self->now = unix_time;
}

/* Steps a one-row statement: TRUE on its row; otherwise FALSE with @error
 * set and the statement reset: DESK_STORE_ERROR_NO_SUCH_RECORD saying
 * @missing when there is no row, or the read's failure. */
gboolean
_desk_store_step_one (DeskStore    *self,
                      sqlite3_stmt *stmt,
                      const char   *missing,
                      GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, DESK_STORE_ERROR, DESK_STORE_ERROR_NO_SUCH_RECORD, missing);
  else
    _desk_db_set_error (error, self->db, rc, _("reading the clinic record"));
  sqlite3_reset (stmt);
  return FALSE;
}

/* The one number a query gives, with @bind_text as its parameter unless NULL. */
guint
_desk_store_count (DeskStore   *self,
                   const char  *sql,
                   const char  *bind_text,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  guint n;
  int rc;

  stmt = _desk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return 0;
  if (bind_text != NULL)
    sqlite3_bind_text (stmt, 1, bind_text, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _desk_db_set_error (error, self->db, rc, _("reading the clinic record"));
      sqlite3_reset (stmt);
      return 0;
    }
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

void
_desk_store_mark_demo (DeskStore *self,
                       gint64     seed)
{
  self->is_demo = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEMO]);
}

/**
 * desk_store_poll_external_changes:
 *
 * Looks whether another program, or another connection of this one, has
 * committed to the file since the last look, and if so emits "changed"
 * with external changes of every kind.  One PRAGMA on the main connection:
 * microseconds, cheap enough for a timer on the GTK main thread.
 *
 * Returns: whether "changed" was emitted
 */
gboolean
desk_store_poll_external_changes (DeskStore *self)
{
  g_autoptr(DeskChanges) changes = NULL;
  gint64 version;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  version = read_data_version (self);
  if (version < 0 || version == self->data_version)
    return FALSE;
  if (self->data_version < 0)
    {
      self->data_version = version;
      return FALSE;
    }
  self->data_version = version;
  changes = desk_changes_new_external ();
  g_signal_emit (self, signals[CHANGED], 0, changes);
  return TRUE;
}
