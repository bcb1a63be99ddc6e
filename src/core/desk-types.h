/* desk-types.h: forward declarations shared by every layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _DeskStore       DeskStore;
typedef struct _DeskMember      DeskMember;
typedef struct _DeskClient      DeskClient;
typedef struct _DeskRecordList  DeskRecordList;
typedef struct _DeskAppointment DeskAppointment;
typedef struct _DeskDocument    DeskDocument;
typedef struct _DeskSession     DeskSession;

typedef enum
{
  DESK_MEMBER_KIND_PROVIDER,
  DESK_MEMBER_KIND_EMPLOYEE,
} DeskMemberKind;

typedef enum
{
  DESK_MEMBER_STATUS_ACTIVE,
  DESK_MEMBER_STATUS_DEACTIVATED,
} DeskMemberStatus;

typedef enum
{
  DESK_CLIENT_STATUS_ACTIVE,
  DESK_CLIENT_STATUS_INACTIVE,
} DeskClientStatus;

typedef enum
{
  DESK_PORTAL_ACCESS_DISABLED,
  DESK_PORTAL_ACCESS_ENABLED,
} DeskPortalAccess;

typedef enum
{
  DESK_INVITATION_NONE,
  DESK_INVITATION_PENDING,
  DESK_INVITATION_ACCEPTED,
} DeskInvitationState;

/* Filters of the client list: "any" means no filter. */
typedef enum
{
  DESK_CLIENT_STATUS_FILTER_ANY,
  DESK_CLIENT_STATUS_FILTER_ACTIVE,
  DESK_CLIENT_STATUS_FILTER_INACTIVE,
} DeskClientStatusFilter;

typedef enum
{
  DESK_PORTAL_FILTER_ANY,
  DESK_PORTAL_FILTER_ENABLED,
  DESK_PORTAL_FILTER_DISABLED,
} DeskPortalFilter;

/* Permissions carried by roles. */
typedef enum
{
  DESK_PERMISSION_EDIT_USERS          = 1 << 0,
  DESK_PERMISSION_MANAGE_CLIENTS      = 1 << 1,
  DESK_PERMISSION_MANAGE_LABS         = 1 << 2,
  DESK_PERMISSION_VIEW_AUDIT          = 1 << 3,
} DeskPermission;

const char *desk_member_kind_to_string      (DeskMemberKind      kind);
const char *desk_member_status_to_string    (DeskMemberStatus    status);
const char *desk_client_status_to_string    (DeskClientStatus    status);
const char *desk_portal_access_to_string    (DeskPortalAccess    access);
const char *desk_invitation_state_to_string (DeskInvitationState state);
const char *desk_permission_to_string       (DeskPermission      permission);

gboolean desk_member_kind_from_string      (const char          *str,
                                            DeskMemberKind      *kind);
gboolean desk_member_status_from_string    (const char          *str,
                                            DeskMemberStatus    *status);
gboolean desk_client_status_from_string    (const char          *str,
                                            DeskClientStatus    *status);
gboolean desk_portal_access_from_string    (const char          *str,
                                            DeskPortalAccess    *access);
gboolean desk_invitation_state_from_string (const char          *str,
                                            DeskInvitationState *state);

G_END_DECLS
