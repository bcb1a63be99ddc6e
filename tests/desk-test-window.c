/* desk-test-window.c: opening, signing in to and closing the window, for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "desk-demo.h"
#include "desk-record-list.h"
#include "desk-setup.h"
#include "desk-test-window.h"

gboolean
desk_test_gui_init (int    *argc,
                    char ***argv)
{
  g_test_init (argc, argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  if (!gtk_init_check ())
    return FALSE;
  adw_init ();
  /* Without a window manager, Xvfb moves the keyboard focus between a
   * dialog and the main window without focus events, and GTK 4.8's cursor
   * blink then warns (fatally under G_DEBUG) about the entry that lost it. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  return TRUE;
}

DeskWindow *
desk_test_new_window_sized (int width,
                            int height)
{
  DeskWindow *window = desk_window_new (NULL);

  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

DeskWindow *
desk_test_new_window (void)
{
  return desk_test_new_window_sized (1100, 720);
}

void
desk_test_destroy_window (DeskWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let pending frame and idle callbacks drop what they hold. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (window);
}

void
desk_test_add_administrator (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  DeskNewMember admin = {
    "first.admin", "Ada", "Ouellet", "ada@clinic.example", "QC", DESK_MEMBER_KIND_EMPLOYEE,
  };

  g_assert_cmpint (desk_setup_add_first_administrator (store, &admin, DESK_TEST_ADMIN_PASSWORD,
                                                       &error),
                   >, 0);
  g_assert_no_error (error);
}

static gboolean
sign_in_settled (gpointer data)
{
  return !desk_sign_in_page_get_busy (desk_window_get_sign_in_page (data));
}

void
desk_test_type_sign_in (DeskWindow *window,
                        const char *username,
                        const char *password)
{
  DeskSignInPage *page = desk_window_get_sign_in_page (window);

  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_SIGN_IN);
  gtk_editable_set_text (desk_sign_in_page_get_username (page), username);
  gtk_editable_set_text (desk_sign_in_page_get_password (page), password);
  g_signal_emit_by_name (desk_sign_in_page_get_password (page), "activate");
  g_assert_true (desk_sign_in_page_get_busy (page));
  /* The password is not kept in the entry while it is checked. */
  g_assert_cmpstr (gtk_editable_get_text (desk_sign_in_page_get_password (page)), ==, "");
  wait_until (sign_in_settled, window, "the password check");
}

void
desk_test_sign_in (DeskWindow *window)
{
  desk_test_type_sign_in (window, DESK_DEMO_USERNAME, DESK_DEMO_PASSWORD);
  g_assert_cmpstr (desk_window_get_page (window), ==, DESK_WINDOW_PAGE_CLINIC);
  g_assert_nonnull (desk_window_get_session (window));
}

gboolean
desk_test_list_loaded (gpointer data)
{
  DeskRecordList *list = data;

  return list != NULL && !desk_record_list_get_loading (list) &&
         desk_record_list_get_error (list) == NULL;
}

gboolean
desk_test_window_not_loading (gpointer data)
{
  return g_strcmp0 (desk_window_get_page (data), DESK_WINDOW_PAGE_LOADING) != 0;
}

GtkWidget *
desk_test_find_mapped_label (GtkWidget  *widget,
                             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = desk_test_find_mapped_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
desk_test_label_shown (gpointer data)
{
  DeskTestLabelShown *shown = data;

  return desk_test_find_mapped_label (shown->root, shown->text) != NULL;
}

GtkWindow *
desk_test_find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

gboolean
desk_test_toplevel_shown (gpointer type)
{
  return desk_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
trigger_has (GtkShortcutTrigger *trigger,
             GtkShortcutTrigger *wanted)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_has (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted) ||
           trigger_has (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted);
  return gtk_shortcut_trigger_equal (trigger, wanted);
}

GtkShortcut *
desk_test_find_shortcut (GtkWidget  *widget,
                         const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (trigger);

  g_assert_nonnull (wanted);
  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);

          /* The controller keeps it. */
          if (trigger_has (gtk_shortcut_get_trigger (shortcut), wanted))
            return shortcut;
        }
    }
  return NULL;
}
