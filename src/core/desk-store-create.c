/* desk-store-create.c: making a clinic file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A clinic is built in a hidden file beside its place and moved there only
 * once complete, never over another file; the file, and so its -wal and
 * -shm, are the owner's alone whatever the umask.
 */
#define _GNU_SOURCE /* renameat2 () */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk-audit-private.h"
#include "desk-json.h"
#include "desk-store-private.h"

/* The names of a clinic's hidden build files: ".NAME.XXXXXX.part", and
 * beside it the files SQLite and the demo keep while it is built. */
static const char * const part_suffixes[] = {
  "-wal", "-shm", "-journal", ".demo-part", ".demo-part-journal",
};

static void
unlink_part (const char *part)
{
  for (guint i = 0; i < G_N_ELEMENTS (part_suffixes); i++)
    {
      g_autofree char *extra = g_strconcat (part, part_suffixes[i], NULL);

      g_unlink (extra);
    }
  g_unlink (part);
}

/* Whether @name is ".BASE.XXXXXX.part" followed by @suffix. */
static gboolean
is_part_name (const char *name,
              const char *base,
              const char *suffix)
{
  gsize base_len = strlen (base);
  gsize len = strlen (name);
  gsize tail = strlen (".XXXXXX.part") + strlen (suffix);

  return len == 1 + base_len + tail && name[0] == '.' &&
         strncmp (name + 1, base, base_len) == 0 && name[1 + base_len] == '.' &&
         strncmp (name + 1 + base_len + 7, ".part", 5) == 0 &&
         strcmp (name + 1 + base_len + 12, suffix) == 0;
}

/* Removes what creations of @base killed midway left in @dir.  A build
 * holds a lock on its part file as long as it runs, so a part file whose
 * lock can be taken is a leftover; files beside a part file that is gone
 * are leftovers too. */
static void
remove_leftovers (const char *dir,
                  const char *base)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] == '.')
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);

  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (is_part_name (entry, base, ""))
        {
          int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);

          if (fd < 0)
            continue;
          if (flock (fd, LOCK_EX | LOCK_NB) == 0)
            unlink_part (path);
          close (fd);
          continue;
        }

      for (guint j = 0; j < G_N_ELEMENTS (part_suffixes); j++)
        {
          if (is_part_name (entry, base, part_suffixes[j]))
            {
              g_autofree char *part = g_strndup (path, strlen (path) - strlen (part_suffixes[j]));

              if (!g_file_test (part, G_FILE_TEST_EXISTS))
                g_unlink (path);
              break;
            }
        }
    }
}

/* Writes the clinic row and the first audit entry into the empty file at
 * @path, at schema @version. */
static gboolean
init_schema (const char  *path,
             const char  *clinic_name,
             int          version,
             GError     **error)
{
  g_autofree char *uuid = NULL;
  g_autoptr(GString) details = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  gint64 now;
  int rc;

  db = _desk_db_open (path, SQLITE_OPEN_READWRITE, error);
  if (db == NULL)
    return FALSE;

  if (!_desk_db_exec (db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;", error) ||
      !_desk_schema_migrate (db, version, error))
    goto failed;

  /* A file being built, not yet a clinic anyone can sign in to: its first
   * entry is written here, by the system, in the transaction that makes it
   * a clinic (the change path starts from a clinic with members). */
  uuid = g_uuid_string_random ();
  now = g_get_real_time () / G_USEC_PER_SEC;
  if (!_desk_db_exec (db, "BEGIN IMMEDIATE", error))
    goto failed;
  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO clinic (id, uuid, name, created_at) VALUES (1, ?, ?, ?)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, clinic_name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _desk_db_set_error (error, db, rc, _("creating the clinic database"));
      goto failed;
    }

  /* The first entry of the audit log: the clinic itself. */
  details = g_string_new (NULL);
  desk_json_begin_object (details);
  desk_json_key (details, "name");
  desk_json_string (details, clinic_name);
  desk_json_key (details, "schema_version");
  desk_json_int (details, version);
  desk_json_end_object (details);
  if (!_desk_audit_append (db, now, 0, "clinic.create", "clinic", 1, "", details->str, error) ||
      !_desk_db_exec (db, "COMMIT", error))
    goto failed;

  return sqlite3_close (db) == SQLITE_OK;

failed:
  sqlite3_close (db);
  return FALSE;
}

static void
set_create_error (GError     **error,
                  const char  *path,
                  int          saved_errno)
{
  if (saved_errno == EEXIST)
    _desk_store_set_file_error (error, path, DESK_STORE_ERROR_EXISTS);
  else
    g_set_error (error, DESK_STORE_ERROR,
                 saved_errno == ENOENT || saved_errno == ENOTDIR ? DESK_STORE_ERROR_NOT_FOUND
                                                                 : DESK_STORE_ERROR_READ_ONLY,
                 _("The clinic database cannot be created: %s."), g_strerror (saved_errno));
}

/* Moves the finished @part to @path, never over a file there: atomic where
 * the file system knows RENAME_NOREPLACE, a hard link elsewhere. */
static gboolean
move_into_place (const char  *part,
                 const char  *path,
                 GError     **error)
{
  int saved_errno;

  if (renameat2 (AT_FDCWD, part, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
    return TRUE;
  saved_errno = errno;
  if (saved_errno == EINVAL || saved_errno == ENOSYS || saved_errno == ENOTSUP)
    {
      if (link (part, path) == 0)
        {
          g_unlink (part);
          return TRUE;
        }
      saved_errno = errno;
    }
  set_create_error (error, path, saved_errno);
  return FALSE;
}

DeskStore *
_desk_store_build (const char     *path,
                   const char     *clinic_name,
                   int             version,
                   DeskStoreFill   fill,
                   gpointer        user_data,
                   GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *part = NULL;
  g_autoptr(DeskStore) store = NULL;
  GStatBuf st;
  int dir_fd = -1;
  int fd = -1;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 1 && version <= DESK_SCHEMA_VERSION, NULL);

  if (clinic_name == NULL || *clinic_name == '\0')
    clinic_name = _("My Clinic");

  if (g_lstat (path, &st) == 0)
    {
      _desk_store_set_file_error (error, path, DESK_STORE_ERROR_EXISTS);
      return NULL;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  remove_leftovers (dir, base);

  /* Owner-only whatever the umask: SQLite gives the -wal and -shm files
   * the mode of the database file. */
  part = g_strdup_printf ("%s%s.%s.XXXXXX.part", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (part, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_create_error (error, path, errno);
      return NULL;
    }
  if (fchmod (fd, 0600) != 0 || flock (fd, LOCK_EX) != 0)
    {
      set_create_error (error, path, errno);
      goto failed;
    }

  if (!init_schema (part, clinic_name, version, error))
    goto failed;
  if (fill != NULL)
    {
      store = _desk_store_open_at (part, version, DESK_STORE_OPEN_DEFAULT, error);
      if (store == NULL || !fill (store, user_data, error))
        goto failed;
      /* Closing the last connection folds the write-ahead log into the file. */
      g_clear_object (&store);
    }

  dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fsync (fd) != 0 || !move_into_place (part, path, error))
    {
      if (error != NULL && *error == NULL)
        set_create_error (error, path, errno);
      goto failed;
    }
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  close (fd);

  return _desk_store_open_at (path, version, DESK_STORE_OPEN_DEFAULT, error);

failed:
  g_clear_object (&store);
  unlink_part (part);
  if (dir_fd >= 0)
    close (dir_fd);
  close (fd);
  return NULL;
}

DeskStore *
_desk_store_create_at_version (const char  *path,
                               const char  *clinic_name,
                               int          version,
                               GError     **error)
{
  return _desk_store_build (path, clinic_name, version, NULL, NULL, error);
}

/* Public API */

/**
 * desk_store_create:
 * @path: where the new clinic database goes; nothing may be there yet
 * @clinic_name: (nullable): the clinic's name
 */
DeskStore *
desk_store_create (const char  *path,
                   const char  *clinic_name,
                   GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _desk_store_create_at_version (path, clinic_name, DESK_SCHEMA_VERSION, error);
}
