/* desk-types.c: names of the enumerations as stored in the clinic database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-types.h"

static const char *member_kinds[] = { "provider", "employee" };
static const char *member_statuses[] = { "active", "deactivated" };
static const char *client_statuses[] = { "active", "inactive" };
static const char *portal_accesses[] = { "disabled", "enabled" };
static const char *invitation_states[] = { "none", "pending", "accepted" };

static const char *
to_string (const char **names,
           guint        n_names,
           guint        value)
{
  g_return_val_if_fail (value < n_names, NULL);
  return names[value];
}

static gboolean
from_string (const char **names,
             guint        n_names,
             const char  *str,
             guint       *value)
{
  for (guint i = 0; str != NULL && i < n_names; i++)
    {
      if (strcmp (names[i], str) == 0)
        {
          *value = i;
          return TRUE;
        }
    }
  return FALSE;
}

#define DEFINE_NAMES(prefix, Type, names)                                    \
  const char *                                                               \
  prefix##_to_string (Type value)                                            \
  {                                                                          \
    return to_string (names, G_N_ELEMENTS (names), (guint) value);           \
  }                                                                          \
  gboolean                                                                   \
  prefix##_from_string (const char *str,                                     \
                        Type       *value)                                   \
  {                                                                          \
    guint v;                                                                 \
    if (!from_string (names, G_N_ELEMENTS (names), str, &v))                 \
      return FALSE;                                                          \
    *value = (Type) v;                                                       \
    return TRUE;                                                             \
  }

DEFINE_NAMES (desk_member_kind, DeskMemberKind, member_kinds)
DEFINE_NAMES (desk_member_status, DeskMemberStatus, member_statuses)
DEFINE_NAMES (desk_client_status, DeskClientStatus, client_statuses)
DEFINE_NAMES (desk_portal_access, DeskPortalAccess, portal_accesses)
DEFINE_NAMES (desk_invitation_state, DeskInvitationState, invitation_states)

const char *
desk_permission_to_string (DeskPermission permission)
{
  switch (permission)
    {
    case DESK_PERMISSION_EDIT_USERS:
      return "edit-users";
    case DESK_PERMISSION_MANAGE_CLIENTS:
      return "manage-clients";
    case DESK_PERMISSION_MANAGE_LABS:
      return "manage-labs";
    case DESK_PERMISSION_VIEW_AUDIT:
      return "view-audit";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
desk_record_kind_to_string (DeskRecordKind kind)
{
  switch (kind)
    {
    case DESK_RECORD_MEMBER:
      return "member";
    case DESK_RECORD_CLIENT:
      return "client";
    case DESK_RECORD_AUDIT:
      return "audit";
    case DESK_RECORD_CLINIC:
      return "clinic";
    case DESK_RECORD_APPOINTMENT:
      return "appointment";
    case DESK_RECORD_QNAIRE:
      return "qnaire";
    case DESK_RECORD_MESSAGE:
      return "message";
    case DESK_RECORD_LAB:
      return "lab-integration";
    case DESK_RECORD_BILLING:
      return "billing-connection";
    case DESK_RECORD_DOCUMENT:
      return "document";
    case DESK_RECORD_INVITATION:
      return "invitation";
    default:
      g_return_val_if_reached (NULL);
    }
}
