/* desk-initials.c: a name's initials in a coloured circle, as one widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Initials in a coloured circle, as AdwAvatar draws them (its style
 * sheet's "avatar" node and colour classes), as one widget: an AdwAvatar is
 * four widgets and measures its font anew for each name, and the lists'
 * rows show one each (see desk-record-row.c).
 */
#include "config.h"

#include "desk-initials.h"

#define INITIALS_SIZE 36
#define N_AVATAR_COLORS 14

struct _DeskInitials
{
  GtkWidget    parent_instance;

  char        *text;
  PangoLayout *layout;
  char        *color;     /* its colour class */
};

G_DEFINE_FINAL_TYPE (DeskInitials, desk_initials, GTK_TYPE_WIDGET)

/* The first letter of the first and of the last word, as AdwAvatar makes them. */
static char *
initials_of (const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, " ", -1);
  GString *initials = g_string_new (NULL);
  const char *first = NULL, *last = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (first == NULL)
        first = words[i];
      else
        last = words[i];
    }
  if (first != NULL)
    g_string_append_unichar (initials, g_unichar_toupper (g_utf8_get_char (first)));
  if (last != NULL)
    g_string_append_unichar (initials, g_unichar_toupper (g_utf8_get_char (last)));
  return g_string_free (initials, FALSE);
}

static void
desk_initials_finalize (GObject *object)
{
  DeskInitials *self = DESK_INITIALS (object);

  g_free (self->text);
  g_free (self->color);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (desk_initials_parent_class)->finalize (object);
}

static void
desk_initials_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = *natural = INITIALS_SIZE;
}

static void
desk_initials_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  DeskInitials *self = DESK_INITIALS (widget);
  GdkRGBA color;
  int width, height;

  if (self->layout == NULL)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  pango_layout_get_pixel_size (self->layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((gtk_widget_get_width (widget) - width) / 2.f,
                                                (gtk_widget_get_height (widget) - height) / 2.f));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
desk_initials_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  DeskInitials *self = DESK_INITIALS (widget);

  GTK_WIDGET_CLASS (desk_initials_parent_class)->css_changed (widget, change);
  /* The font comes from the style. */
  if (self->layout != NULL)
    pango_layout_context_changed (self->layout);
}

static void
desk_initials_class_init (DeskInitialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = desk_initials_finalize;
  widget_class->measure = desk_initials_measure;
  widget_class->snapshot = desk_initials_snapshot;
  widget_class->css_changed = desk_initials_css_changed;

  gtk_widget_class_set_css_name (widget_class, "avatar");
  /* The name is in the row's label: the initials say nothing more. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
desk_initials_init (DeskInitials *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

void
desk_initials_set_text (DeskInitials *self,
                        const char   *text)
{
  g_autofree char *initials = NULL;

  g_return_if_fail (DESK_IS_INITIALS (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);

  initials = initials_of (text != NULL ? text : "");
  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), initials);
  else
    pango_layout_set_text (self->layout, initials, -1);

  /* The same colour for the same name, as AdwAvatar picks it. */
  if (self->color != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->color);
  g_free (self->color);
  self->color = g_strdup_printf ("color%u", g_str_hash (text != NULL ? text : "") % N_AVATAR_COLORS + 1);
  gtk_widget_add_css_class (GTK_WIDGET (self), self->color);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
