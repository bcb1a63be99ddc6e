/* desk-store.h: a clinic database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-db.h"
#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_STORE (desk_store_get_type ())
G_DECLARE_FINAL_TYPE (DeskStore, desk_store, DESK, STORE, GObject)

typedef enum
{
  /* Opening reads the file's header and its clinic row, never the whole
   * file: it takes the same time at any size.  Damage is reported
   * (DESK_STORE_ERROR_CORRUPT) by whichever query meets it; the full check
   * is desk_store_check_file() or desk_store_check_async().  A file that
   * needs a migration is still checked in full before it is changed. */
  DESK_STORE_OPEN_DEFAULT     = 0,
  /* Kept so that older callers still build: every open now defers the
   * full check, so it changes nothing. */
  DESK_STORE_OPEN_DEFER_CHECK = 1 << 0,
  /* Fail at once with DESK_STORE_ERROR_LOCKED instead of waiting for
   * another program's write to end: for a first try on the GTK main thread. */
  DESK_STORE_OPEN_NO_WAIT     = 1 << 1,
  /* Fail with DESK_STORE_ERROR_NEEDS_UPGRADE, without touching the file,
   * when it needs a migration (a check and an upgrade can take seconds):
   * also for a first try on the GTK main thread. */
  DESK_STORE_OPEN_NO_UPGRADE  = 1 << 2,
  /* Only read, never write: no migration (an older file is read as it is),
   * no journal mode change, every change refused (DESK_STORE_ERROR_READ_ONLY).
   * A file on read-only media opens too.  The file's bytes and its folder
   * are left as they were. */
  DESK_STORE_OPEN_READ_ONLY   = 1 << 3,
} DeskStoreOpenFlags;

DeskStore   *desk_store_open                (const char        *path,
                                             GError           **error);
DeskStore   *desk_store_open_full           (const char        *path,
                                             DeskStoreOpenFlags flags,
                                             GError           **error);
/* The full integrity check (PRAGMA quick_check: it reads every page, seconds
 * on a large clinic) of the file at @path, on a read-only connection of its
 * own.  DESK_STORE_ERROR_CORRUPT names what is damaged. */
gboolean     desk_store_check_file          (const char        *path,
                                             GError           **error);
/* desk_store_check_file() on a worker thread. */
void         desk_store_check_async         (DeskStore         *self,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
gboolean     desk_store_check_finish        (DeskStore         *self,
                                             GAsyncResult      *result,
                                             GError           **error);
/* Splits the buckets of the client search index that a growing clinic has
 * made too big (at most 1024 clients each), on a worker connection of its
 * own, in short write transactions.  Only the index changes. */
void         desk_store_balance_search_async  (DeskStore         *self,
                                               GCancellable      *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer           user_data);
gboolean     desk_store_balance_search_finish (DeskStore         *self,
                                               GAsyncResult      *result,
                                               guint             *n_split,
                                               GError           **error);
/* Builds the clinic in a hidden file beside @path (".NAME.XXXXXX.part",
 * owner-only) and moves it into place only once it is complete, never over
 * an existing file: a creation that is interrupted leaves either nothing
 * at @path or a whole clinic.  Leftovers of earlier interrupted creations
 * that no running program holds are removed first. */
DeskStore   *desk_store_create              (const char        *path,
                                             const char        *clinic_name,
                                             GError           **error);

const char  *desk_store_get_path            (DeskStore         *self);
const char  *desk_store_get_clinic_name     (DeskStore         *self);
const char  *desk_store_get_clinic_uuid     (DeskStore         *self);
gboolean     desk_store_get_is_demo         (DeskStore         *self);
gint64       desk_store_get_now             (DeskStore         *self);
void         desk_store_set_now             (DeskStore         *self,
                                             gint64             unix_time);

/* Emits "changed" if another program wrote to the file since the last
 * look; the first call only takes note. */
gboolean     desk_store_poll_external_changes (DeskStore  *self);

G_END_DECLS
