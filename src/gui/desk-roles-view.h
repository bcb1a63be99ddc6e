/* desk-roles-view.h: the clinic's roles and groups, and who is in each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-types.h"

G_BEGIN_DECLS

#define DESK_TYPE_ROLES_VIEW (desk_roles_view_get_type ())
G_DECLARE_FINAL_TYPE (DeskRolesView, desk_roles_view, DESK, ROLES_VIEW, AdwWindow)

/* A window over @parent listing @store's roles and groups; it reads them
 * again when members change. */
DeskRolesView *desk_roles_view_new           (GtkWindow     *parent,
                                              DeskStore     *store);

/* For tests: the sidebar of roles and groups, the names shown for the
 * one selected, and selecting one by its position. */
GtkListBox    *desk_roles_view_get_sidebar   (DeskRolesView *self);
GListModel    *desk_roles_view_get_members   (DeskRolesView *self);
void           desk_roles_view_select        (DeskRolesView *self,
                                              guint          position);

G_END_DECLS
