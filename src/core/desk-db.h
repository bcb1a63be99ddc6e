/* desk-db.h: the errors and versions of a clinic database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DESK_STORE_ERROR (desk_store_error_quark ())

typedef enum
{
  DESK_STORE_ERROR_NOT_FOUND,       /* no file at that path */
  DESK_STORE_ERROR_EXISTS,          /* creating over an existing file */
  DESK_STORE_ERROR_NOT_A_DATABASE,  /* not an SQLite file at all */
  DESK_STORE_ERROR_NOT_A_CLINIC,    /* an SQLite file, but not a Front Desk clinic */
  DESK_STORE_ERROR_CORRUPT,         /* damaged: integrity check failed */
  DESK_STORE_ERROR_READ_ONLY,       /* file or folder cannot be written */
  DESK_STORE_ERROR_LOCKED,          /* another program holds the write lock */
  DESK_STORE_ERROR_TOO_NEW,         /* written by a newer Front Desk */
  DESK_STORE_ERROR_NO_SUCH_RECORD,  /* the member or client does not exist */
  DESK_STORE_ERROR_INVALID,         /* a value the clinic record cannot hold */
  DESK_STORE_ERROR_FAILED,          /* anything else SQLite reports */
  DESK_STORE_ERROR_NEEDS_UPGRADE,   /* DESK_STORE_OPEN_NO_UPGRADE, and the file is older */
  DESK_STORE_ERROR_UNPROTECTED,     /* a trigger or table that protects the record was removed,
                                     * changed or added to (_desk_schema_check_protection) */
} DeskStoreError;

/* The schema version this build reads and writes. */
#define DESK_SCHEMA_VERSION 8

/* PRAGMA application_id of a clinic database: "FrDk". */
#define DESK_APPLICATION_ID 0x4672446b

GQuark desk_store_error_quark (void);

G_END_DECLS
