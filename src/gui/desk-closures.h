/* desk-closures.h: pure functions used as <closure> in the Builder files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each takes the expression's "this" object first (unused) and returns a
 * newly allocated value, as GtkBuilder closures must. Labels are translated.
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-types.h"

G_BEGIN_DECLS

/* Names of the pages of a list's content stack. */
#define DESK_LIST_PAGE_LIST       "list"
#define DESK_LIST_PAGE_EMPTY      "empty"
#define DESK_LIST_PAGE_NO_RESULTS "no-results"

char     *desk_closures_list_page             (gpointer            this,
                                               guint               n_items,
                                               gboolean            loading,
                                               const char         *search,
                                               gboolean            filtered);

char     *desk_closures_member_kind_label     (gpointer            this,
                                               DeskMemberKind      kind);
char     *desk_closures_member_subtitle       (gpointer            this,
                                               const char         *title,
                                               DeskMemberKind      kind,
                                               const char         *username);
char     *desk_closures_member_status_label   (gpointer            this,
                                               gboolean            is_active,
                                               gint64              deactivated_at);
char     *desk_closures_deactivated_tag       (gpointer            this,
                                               gint64              deactivated_at);

char     *desk_closures_client_status_label   (gpointer            this,
                                               gboolean            is_active);
char    **desk_closures_status_classes        (gpointer            this,
                                               gboolean            is_active);
char     *desk_closures_portal_label          (gpointer            this,
                                               gboolean            portal_enabled,
                                               DeskInvitationState invitation);
char    **desk_closures_portal_classes        (gpointer            this,
                                               gboolean            portal_enabled,
                                               DeskInvitationState invitation);
char     *desk_closures_client_status_detail  (gpointer            this,
                                               gboolean            is_active,
                                               gint64              discharged_at);
char     *desk_closures_date_of_birth         (gpointer            this,
                                               const char         *iso_date);

char     *desk_closures_born_label            (gpointer            this,
                                               const char         *iso_date);
char     *desk_closures_date                  (gpointer            this,
                                               gint64              unix_time);
char     *desk_closures_date_time             (gpointer            this,
                                               gint64              unix_time);
char     *desk_closures_province_name         (gpointer            this,
                                               const char         *code);
char     *desk_closures_document_kind         (gpointer            this,
                                               const char         *kind);
char     *desk_closures_or_none               (gpointer            this,
                                               const char         *text);
gboolean  desk_closures_not                   (gpointer            this,
                                               gboolean            value);

char     *desk_closures_client_count          (gpointer            this,
                                               guint               n_items);
char     *desk_closures_permissions_label     (gpointer            this,
                                               guint               permissions);
char     *desk_closures_strv_label            (gpointer            this,
                                               const char * const *strv);

/* Adds every closure above to @scope under its own name. */
void             desk_closures_add_to_scope   (GtkBuilderCScope   *scope);
/* A new scope holding every closure above. */
GtkBuilderScope *desk_closures_new_scope      (void);

G_END_DECLS
