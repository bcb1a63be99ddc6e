/* desk-setup.h: a new clinic's first administrator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

/* Shorter passwords are refused for members. */
#define DESK_PASSWORD_MIN_LENGTH 10

/* The name of the role that carries every permission. */
#define DESK_ADMIN_ROLE_NAME "Administrator"

typedef struct
{
  const char     *username;
  const char     *given_name;
  const char     *family_name;
  const char     *email;
  const char     *province;     /* two letters, "ON" when NULL */
  DeskMemberKind  kind;
} DeskNewMember;

/* A clinic nobody can sign in to yet gets its first member: an
 * administrator with every permission, who then adds the others.  Refused
 * (DESK_STORE_ERROR_EXISTS) once the clinic has a member; audited.  The
 * new member's id, or 0 with @error set. */
gint64   desk_setup_add_first_administrator (DeskStore            *store,
                                             const DeskNewMember  *member,
                                             const char           *password,
                                             GError              **error);

/* Whether anyone can sign in to the clinic: it has an active member. */
gboolean desk_setup_has_active_members      (DeskStore            *store,
                                             GError              **error);

G_END_DECLS
