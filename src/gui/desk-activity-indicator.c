/* desk-activity-indicator.c: a spinner that costs a small repaint a frame, not a layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's GtkSpinner turns its icon by a CSS animation, and every step of
 * that animation lays out the whole window again: on X11 the window then
 * asks the X server for its monitor and work area, several round trips a
 * frame for as long as it spins (a bare window with a spinner asks 260
 * times in two seconds, without one 6).  Under a busy X server that is a
 * stall at each frame.  This one turns the same icon in its own snapshot
 * from a tick callback: each frame repaints its square and lays out
 * nothing.  It looks and reads as GtkSpinner does: nothing shown while
 * stopped, a progress bar that is busy for a screen reader, no turning
 * when animations are off.
 */
#include "config.h"

#include "desk-activity-indicator.h"

#define SIZE 16          /* as GtkSpinner: one icon */
#define TURN_US 1000000  /* one turn a second, as Adwaita's spinner */

struct _DeskActivityIndicator
{
  GtkWidget     parent_instance;

  gboolean      spinning;
  guint         tick_id;
  gint64        start;     /* the frame time of the first turn */
  float         angle;
  GdkPaintable *icon;
  int           icon_size;
  int           icon_scale;
};

G_DEFINE_FINAL_TYPE (DeskActivityIndicator, desk_activity_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPINNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static gboolean
animations_enabled (GtkWidget *widget)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (widget), "gtk-enable-animations", &enabled, NULL);
  return enabled;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  DeskActivityIndicator *self = DESK_ACTIVITY_INDICATOR (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (self->start == 0)
    self->start = now;
  self->angle = (float) ((now - self->start) % TURN_US) * 360.f / TURN_US;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* A tick only while it turns where it can be seen. */
static void
update_tick (DeskActivityIndicator *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean turn = self->spinning && gtk_widget_get_mapped (widget) && animations_enabled (widget);

  if (turn && self->tick_id == 0)
    {
      self->start = 0;
      self->tick_id = gtk_widget_add_tick_callback (widget, on_tick, NULL, NULL);
    }
  else if (!turn && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
      self->angle = 0;
    }
}

static GdkPaintable *
get_icon (DeskActivityIndicator *self,
          int                    size)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int scale = gtk_widget_get_scale_factor (widget);

  if (self->icon == NULL || self->icon_size != size || self->icon_scale != scale)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));

      g_clear_object (&self->icon);
      self->icon = GDK_PAINTABLE (gtk_icon_theme_lookup_icon (theme, "process-working-symbolic",
                                                              NULL, size, scale,
                                                              gtk_widget_get_direction (widget),
                                                              0));
      self->icon_size = size;
      self->icon_scale = scale;
    }
  return self->icon;
}

/* Overrides */

static void
desk_activity_indicator_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  *minimum = *natural = SIZE;
}

static void
desk_activity_indicator_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  DeskActivityIndicator *self = DESK_ACTIVITY_INDICATOR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int size = MIN (width, height);
  GdkRGBA color;

  if (!self->spinning || size <= 0)
    return;

  /* The colour of the text around it, as a symbolic icon is drawn. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2.f, height / 2.f));
  gtk_snapshot_rotate (snapshot, self->angle);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-size / 2.f, -size / 2.f));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (get_icon (self, size)),
                                            snapshot, size, size, &color, 1);
  gtk_snapshot_restore (snapshot);
}

static void
desk_activity_indicator_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (desk_activity_indicator_parent_class)->map (widget);
  update_tick (DESK_ACTIVITY_INDICATOR (widget));
}

static void
desk_activity_indicator_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (desk_activity_indicator_parent_class)->unmap (widget);
  update_tick (DESK_ACTIVITY_INDICATOR (widget));
}

static void
desk_activity_indicator_dispose (GObject *object)
{
  DeskActivityIndicator *self = DESK_ACTIVITY_INDICATOR (object);

  g_clear_object (&self->icon);

  G_OBJECT_CLASS (desk_activity_indicator_parent_class)->dispose (object);
}

static void
desk_activity_indicator_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DeskActivityIndicator *self = DESK_ACTIVITY_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      g_value_set_boolean (value, self->spinning);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_activity_indicator_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  DeskActivityIndicator *self = DESK_ACTIVITY_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      desk_activity_indicator_set_spinning (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_activity_indicator_class_init (DeskActivityIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_activity_indicator_dispose;
  object_class->get_property = desk_activity_indicator_get_property;
  object_class->set_property = desk_activity_indicator_set_property;

  widget_class->measure = desk_activity_indicator_measure;
  widget_class->snapshot = desk_activity_indicator_snapshot;
  widget_class->map = desk_activity_indicator_map;
  widget_class->unmap = desk_activity_indicator_unmap;

  properties[PROP_SPINNING] =
    g_param_spec_boolean ("spinning", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "activityindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
desk_activity_indicator_init (DeskActivityIndicator *self)
{
}

/* Public API */

GtkWidget *
desk_activity_indicator_new (void)
{
  return g_object_new (DESK_TYPE_ACTIVITY_INDICATOR, NULL);
}

void
desk_activity_indicator_set_spinning (DeskActivityIndicator *self,
                                      gboolean               spinning)
{
  g_return_if_fail (DESK_IS_ACTIVITY_INDICATOR (self));

  spinning = !!spinning;
  if (self->spinning == spinning)
    return;

  self->spinning = spinning;
  update_tick (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, spinning, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPINNING]);
}

gboolean
desk_activity_indicator_get_spinning (DeskActivityIndicator *self)
{
  g_return_val_if_fail (DESK_IS_ACTIVITY_INDICATOR (self), FALSE);

  return self->spinning;
}
