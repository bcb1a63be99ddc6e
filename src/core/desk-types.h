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
typedef struct _DeskChange      DeskChange;
typedef struct _DeskChanges     DeskChanges;

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

/* The kinds of records a change can touch: what the views refresh on. */
typedef enum
{
  DESK_RECORD_MEMBER      = 1 << 0,
  DESK_RECORD_CLIENT      = 1 << 1,
  DESK_RECORD_AUDIT       = 1 << 2,
  DESK_RECORD_CLINIC      = 1 << 3,
  DESK_RECORD_APPOINTMENT = 1 << 4,
  DESK_RECORD_QNAIRE      = 1 << 5,
  DESK_RECORD_MESSAGE     = 1 << 6,
  DESK_RECORD_LAB         = 1 << 7,
  DESK_RECORD_BILLING     = 1 << 8,
  DESK_RECORD_DOCUMENT    = 1 << 9,
  DESK_RECORD_INVITATION  = 1 << 10,
} DeskRecordKind;

#define DESK_RECORD_ALL ((DeskRecordKind) ((1 << 11) - 1))

const char *desk_member_kind_to_string      (DeskMemberKind      kind);
const char *desk_member_status_to_string    (DeskMemberStatus    status);
const char *desk_client_status_to_string    (DeskClientStatus    status);
const char *desk_portal_access_to_string    (DeskPortalAccess    access);
const char *desk_invitation_state_to_string (DeskInvitationState state);
const char *desk_permission_to_string       (DeskPermission      permission);
/* "member", "client", ...: the target_kind of audit entries; one kind only. */
const char *desk_record_kind_to_string      (DeskRecordKind      kind);

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
