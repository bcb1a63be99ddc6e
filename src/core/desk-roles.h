/* desk-roles.h: the clinic's roles and groups, and who is in each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-types.h"

G_BEGIN_DECLS

typedef enum
{
  DESK_ROLE_KIND_ROLE,
  DESK_ROLE_KIND_GROUP,
} DeskRoleKind;

/* A role or a group, and its members as the clinic lists them: active
 * members only.  A deactivated member keeps their membership (it comes back
 * with them on reactivation), hidden: counted in @n_hidden, never named. */
typedef struct
{
  DeskRoleKind   kind;
  gint64         id;
  char          *name;
  char         **member_names;   /* active members, by family then given name */
  guint          n_hidden;       /* deactivated members kept in it */
} DeskRoleMembers;

void        desk_role_members_free (DeskRoleMembers *members);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskRoleMembers, desk_role_members_free)

/* Every role (by name), then every group (by name), each with its members;
 * a GPtrArray of DeskRoleMembers, or NULL and @error. */
GPtrArray  *desk_roles_load        (DeskStore        *store,
                                    GError          **error);

G_END_DECLS
