/* desk-closures.c: pure functions used as <closure> in the Builder files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "desk-closures.h"

/* Helpers */

static char *
format_unix_time (gint64      unix_time,
                  const char *format)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time <= 0)
    return NULL;

  dt = g_date_time_new_from_unix_local (unix_time);
  if (dt == NULL)
    return NULL;

  return g_date_time_format (dt, format);
}

static const char *
date_format (void)
{
  /* Translators: how a date is shown, e.g. "12 March 2024"; a
   * g_date_time_format() string. xgettext:no-c-format */
  return C_("date format", "%-d %B %Y");
}

/* Closures */

/**
 * desk_closures_list_page:
 *
 * Which page of a list's content stack to show: the rows, the state of a
 * list with nothing in it, or the state of a search (or of @filtered, a
 * filter) that found nothing.
 * While the first query runs, the (empty) list is shown, with a spinner
 * beside the search entry.
 */
char *
desk_closures_list_page (gpointer    this,
                         guint       n_items,
                         gboolean    loading,
                         const char *search,
                         gboolean    filtered)
{
  if (n_items > 0 || loading)
    return g_strdup (DESK_LIST_PAGE_LIST);

  if (filtered)
    return g_strdup (DESK_LIST_PAGE_NO_RESULTS);

  for (const char *p = search; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return g_strdup (DESK_LIST_PAGE_NO_RESULTS);
    }

  return g_strdup (DESK_LIST_PAGE_EMPTY);
}

char *
desk_closures_member_kind_label (gpointer       this,
                                 DeskMemberKind kind)
{
  switch (kind)
    {
    case DESK_MEMBER_KIND_PROVIDER:
      return g_strdup (C_("member kind", "Provider"));
    case DESK_MEMBER_KIND_EMPLOYEE:
      return g_strdup (C_("member kind", "Employee"));
    default:
      return g_strdup ("");
    }
}

/* "Family Physician · jdoe", or "Employee · jdoe" without a title. */
char *
desk_closures_member_subtitle (gpointer        this,
                               const char     *title,
                               DeskMemberKind  kind,
                               const char     *username)
{
  g_autofree char *kind_label = NULL;
  const char *what = title;

  if (what == NULL || *what == '\0')
    what = kind_label = desk_closures_member_kind_label (this, kind);

  if (username == NULL || *username == '\0')
    return g_strdup (what);

  /* Translators: a member's job title (or kind) and their username */
  return g_strdup_printf (C_("member subtitle", "%s · %s"), what, username);
}

char *
desk_closures_member_status_label (gpointer this,
                                   gboolean is_active,
                                   gint64   deactivated_at)
{
  g_autofree char *date = NULL;

  if (is_active)
    return g_strdup (C_("member status", "Active"));

  date = format_unix_time (deactivated_at, date_format ());
  if (date == NULL)
    return g_strdup (C_("member status", "Deactivated"));

  /* Translators: %s is a date */
  return g_strdup_printf (_("Deactivated on %s"), date);
}

char *
desk_closures_deactivated_tag (gpointer this,
                               gint64   deactivated_at)
{
  g_autofree char *date = NULL;

  /* Translators: a short date in a tag, e.g. "3 Mar 2024"; a
   * g_date_time_format() string. xgettext:no-c-format */
  date = format_unix_time (deactivated_at, C_("short date format", "%-d %b %Y"));
  if (date == NULL)
    return g_strdup (C_("member status", "Deactivated"));

  /* Translators: a tag on a deactivated member's row; %s is a short date */
  return g_strdup_printf (_("Deactivated %s"), date);
}

char *
desk_closures_client_status_label (gpointer this,
                                   gboolean is_active)
{
  return g_strdup (is_active ? C_("client status", "Active")
                             : C_("client status", "Inactive"));
}

/* The style of a status tag, for members and clients alike. */
char **
desk_closures_status_classes (gpointer this,
                              gboolean is_active)
{
  const char *classes[] = { "tag", is_active ? "success" : "neutral", NULL };

  return g_strdupv ((char **) classes);
}

char *
desk_closures_portal_label (gpointer            this,
                            gboolean            portal_enabled,
                            DeskInvitationState invitation)
{
  if (!portal_enabled)
    return g_strdup (_("Portal disabled"));
  if (invitation == DESK_INVITATION_PENDING)
    return g_strdup (_("Invitation pending"));
  return g_strdup (_("Portal enabled"));
}

char **
desk_closures_portal_classes (gpointer            this,
                              gboolean            portal_enabled,
                              DeskInvitationState invitation)
{
  const char *classes[] = { "tag", NULL, NULL };

  if (!portal_enabled)
    classes[1] = "error";
  else if (invitation == DESK_INVITATION_PENDING)
    classes[1] = "warning";
  else
    classes[1] = "accent";

  return g_strdupv ((char **) classes);
}

char *
desk_closures_client_status_detail (gpointer this,
                                    gboolean is_active,
                                    gint64   discharged_at)
{
  g_autofree char *date = NULL;

  if (is_active)
    return g_strdup (C_("client status", "Active"));

  date = format_unix_time (discharged_at, date_format ());
  if (date == NULL)
    return g_strdup (C_("client status", "Inactive"));

  /* Translators: %s is a date */
  return g_strdup_printf (_("Inactive, discharged on %s"), date);
}

/* @iso_date is "YYYY-MM-DD", as the clinic record stores it. */
char *
desk_closures_date_of_birth (gpointer    this,
                             const char *iso_date)
{
  g_autoptr(GDate) date = NULL;
  int year, month, day;
  char buf[128];

  if (iso_date == NULL || *iso_date == '\0')
    return g_strdup (_("Date of birth unknown"));

  if (sscanf (iso_date, "%d-%d-%d", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return g_strdup (iso_date);

  date = g_date_new_dmy (day, month, year);

  /* Translators: a date of birth, e.g. "12 Mar 1980"; a strftime() format.
   * xgettext:no-c-format */
  if (g_date_strftime (buf, sizeof buf, C_("date of birth format", "%e %b %Y"), date) == 0)
    return g_strdup (iso_date);

  return g_strdup (g_strstrip (buf));
}

/* "Born 12 Mar 1980". */
char *
desk_closures_born_label (gpointer    this,
                          const char *iso_date)
{
  g_autofree char *date = NULL;

  if (iso_date == NULL || *iso_date == '\0')
    return g_strdup (_("Date of birth unknown"));

  date = desk_closures_date_of_birth (this, iso_date);
  /* Translators: %s is a date of birth */
  return g_strdup_printf (_("Born %s"), date);
}

char *
desk_closures_date (gpointer this,
                    gint64   unix_time)
{
  return format_unix_time (unix_time, date_format ());
}

char *
desk_closures_date_time (gpointer this,
                         gint64   unix_time)
{
  /* Translators: a date and time, e.g. "Tue 12 Mar 2024, 14:30"; a
   * g_date_time_format() string. xgettext:no-c-format */
  return format_unix_time (unix_time, C_("date and time format", "%a %-d %b %Y, %H:%M"));
}

/* The kinds the clinic record stores, as a front desk says them. */
char *
desk_closures_document_kind (gpointer    this,
                             const char *kind)
{
  if (g_strcmp0 (kind, "file") == 0)
    return g_strdup (C_("document kind", "File"));
  if (g_strcmp0 (kind, "form") == 0)
    return g_strdup (C_("document kind", "Form"));
  if (g_strcmp0 (kind, "note") == 0)
    return g_strdup (C_("document kind", "Note"));

  return g_strdup (kind != NULL ? kind : "");
}

/* "Ontario" for "ON"; other text as it is. */
char *
desk_closures_province_name (gpointer    this,
                             const char *code)
{
  static const struct {
    const char *code;
    const char *name;
  } provinces[] = {
    { "AB", N_("Alberta") },
    { "BC", N_("British Columbia") },
    { "MB", N_("Manitoba") },
    { "NB", N_("New Brunswick") },
    { "NL", N_("Newfoundland and Labrador") },
    { "NS", N_("Nova Scotia") },
    { "NT", N_("Northwest Territories") },
    { "NU", N_("Nunavut") },
    { "ON", N_("Ontario") },
    { "PE", N_("Prince Edward Island") },
    { "QC", N_("Quebec") },
    { "SK", N_("Saskatchewan") },
    { "YT", N_("Yukon") },
  };

  if (code == NULL || *code == '\0')
    return g_strdup (C_("no value", "None"));

  for (guint i = 0; i < G_N_ELEMENTS (provinces); i++)
    {
      if (g_ascii_strcasecmp (code, provinces[i].code) == 0)
        return g_strdup (_(provinces[i].name));
    }

  return g_strdup (code);
}

char *
desk_closures_or_none (gpointer    this,
                       const char *text)
{
  if (text == NULL || *text == '\0')
    return g_strdup (C_("no value", "None"));
  return g_strdup (text);
}

gboolean
desk_closures_not (gpointer this,
                   gboolean value)
{
  return !value;
}

char *
desk_closures_client_count (gpointer this,
                            guint    n_items)
{
  g_autofree char *number = g_strdup_printf ("%'u", n_items);

  /* Translators: %s is a number of clients, with thousands separators */
  return g_strdup_printf (ngettext ("%s client", "%s clients", n_items), number);
}

char *
desk_closures_permissions_label (gpointer this,
                                 guint    permissions)
{
  static const struct {
    DeskPermission  permission;
    const char     *label;
  } labels[] = {
    { DESK_PERMISSION_EDIT_USERS, N_("Edit other users") },
    { DESK_PERMISSION_MANAGE_CLIENTS, N_("Manage clients") },
    { DESK_PERMISSION_MANAGE_LABS, N_("Manage lab integrations") },
    { DESK_PERMISSION_VIEW_AUDIT, N_("View the audit log") },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (permissions & labels[i].permission)
        g_strv_builder_add (builder, _(labels[i].label));
    }

  strv = g_strv_builder_end (builder);
  return desk_closures_strv_label (this, (const char * const *) strv);
}

/* "A, B, C", or "None". */
char *
desk_closures_strv_label (gpointer            this,
                          const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return g_strdup (C_("no value", "None"));

  /* Translators: the separator of a list of names, e.g. roles */
  return g_strjoinv (C_("list separator", ", "), (char **) strv);
}

void
desk_closures_add_to_scope (GtkBuilderCScope *scope)
{
  g_return_if_fail (GTK_IS_BUILDER_CSCOPE (scope));

#define ADD(name) gtk_builder_cscope_add_callback_symbol (scope, #name, G_CALLBACK (name))
  ADD (desk_closures_list_page);
  ADD (desk_closures_member_kind_label);
  ADD (desk_closures_member_subtitle);
  ADD (desk_closures_member_status_label);
  ADD (desk_closures_deactivated_tag);
  ADD (desk_closures_client_status_label);
  ADD (desk_closures_status_classes);
  ADD (desk_closures_portal_label);
  ADD (desk_closures_portal_classes);
  ADD (desk_closures_client_status_detail);
  ADD (desk_closures_date_of_birth);
  ADD (desk_closures_born_label);
  ADD (desk_closures_date);
  ADD (desk_closures_date_time);
  ADD (desk_closures_document_kind);
  ADD (desk_closures_province_name);
  ADD (desk_closures_or_none);
  ADD (desk_closures_not);
  ADD (desk_closures_client_count);
  ADD (desk_closures_permissions_label);
  ADD (desk_closures_strv_label);
#undef ADD
}

GtkBuilderScope *
desk_closures_new_scope (void)
{
  GtkBuilderScope *scope = gtk_builder_cscope_new ();

  desk_closures_add_to_scope (GTK_BUILDER_CSCOPE (scope));
  return scope;
}
