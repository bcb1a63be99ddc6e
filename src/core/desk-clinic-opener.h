/* desk-clinic-opener.h: opening a clinic file, then checking it in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a window does to show a clinic, without the window: open the file
 * (at once when nothing can make it wait, otherwise on a worker: a locked
 * file, an older file to upgrade, the demo to create), then, when the
 * window says its first frame is on screen, the full integrity check and
 * the upkeep of the client search index.  The window binds its pages to
 * the "state" property.
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

typedef enum
{
  DESK_CLINIC_OPENER_NONE,          /* nothing opened, or cancelled */
  DESK_CLINIC_OPENER_OPENING,       /* on a worker: waiting for another program, say */
  DESK_CLINIC_OPENER_CREATING_DEMO, /* the demo clinic is being made */
  DESK_CLINIC_OPENER_UPGRADING,     /* an older file is checked and brought up to date */
  DESK_CLINIC_OPENER_READY,         /* "store" is open */
  DESK_CLINIC_OPENER_FAILED,        /* "error" says why; also damage the check found */
} DeskClinicOpenerState;

GType desk_clinic_opener_state_get_type (void) G_GNUC_CONST;
#define DESK_TYPE_CLINIC_OPENER_STATE (desk_clinic_opener_state_get_type ())

#define DESK_TYPE_CLINIC_OPENER (desk_clinic_opener_get_type ())
G_DECLARE_FINAL_TYPE (DeskClinicOpener, desk_clinic_opener, DESK, CLINIC_OPENER, GObject)

DeskClinicOpener      *desk_clinic_opener_new        (void);

/* Opens @file; with @demo, creates the demo clinic there first if there is
 * no file.  Cancels whatever was under way.  READY may be reached before
 * this returns. */
void                   desk_clinic_opener_open       (DeskClinicOpener *self,
                                                      GFile            *file,
                                                      gboolean          demo);
/* Stops opening and checking; the state goes back to NONE unless READY. */
void                   desk_clinic_opener_cancel     (DeskClinicOpener *self);
/* Starts the full integrity check of the store opened (once), then the
 * search index upkeep.  Damage makes the state FAILED and drops the store:
 * nothing was written to it. */
void                   desk_clinic_opener_check      (DeskClinicOpener *self);

DeskClinicOpenerState  desk_clinic_opener_get_state  (DeskClinicOpener *self);
/* The clinic opened, when READY. */
DeskStore             *desk_clinic_opener_get_store  (DeskClinicOpener *self);
/* Why it FAILED. */
const GError          *desk_clinic_opener_get_error  (DeskClinicOpener *self);
/* Whether the check or the index upkeep is still running. */
gboolean               desk_clinic_opener_get_checking (DeskClinicOpener *self);

G_END_DECLS
